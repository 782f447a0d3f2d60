//! Giving freed memory back to the operating system.
//!
//! Loading a big graph allocates and frees hundreds of megabytes of rows,
//! maps and buffers on several threads. glibc keeps what was freed in its
//! per-thread arenas (its mmap threshold rises after the first large frees,
//! so later large blocks come from the arenas too), and the window went on
//! holding about 60 MB it no longer used at 200k entities / 1M relations.

/// Returns the allocator's free memory to the OS; a few milliseconds. Call
/// it after bursts of temporary allocation (a file opened, the layout
/// settled), not every frame.
pub fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it has
    // no preconditions and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
