//! Giving freed memory back to the operating system.
//!
//! Loading a big graph allocates and frees hundreds of megabytes of rows,
//! maps and buffers on several threads. glibc keeps what was freed in its
//! per-thread arenas (its mmap threshold rises after the first large frees,
//! so later large blocks come from the arenas too), and the window went on
//! holding about 60 MB it no longer used at 200k entities / 1M relations.

/// Makes every large block (1 MiB and up) its own mapping, returned to the
/// OS when freed. glibc otherwise raises this threshold after the first
/// large frees (up to 32 MiB), and the blocks a big graph churns through
/// (hit-test grids rebuilt twice a second while the layout runs, picture
/// and upload buffers) then pile up in its arenas. Call once, at start.
pub fn prefer_returning_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: mallopt only sets an allocator parameter; it has no
    // preconditions and is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Returns the allocator's free memory to the OS; a few milliseconds. Call
/// it after bursts of temporary allocation (a file opened, the layout
/// settled), not every frame.
pub fn return_free_memory() {
    // The binary's own allocator (mimalloc, see `main.rs`); in a test
    // binary, which keeps the system allocator, this finds nothing to do.
    #[allow(unsafe_code)]
    // SAFETY: mi_collect only walks mimalloc's own heaps; it has no
    // preconditions and is safe to call from any thread at any time.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    // glibc's, which the C libraries (SQLite, the Vulkan driver) use.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it has
    // no preconditions and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
