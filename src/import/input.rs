//! An import's inputs: named byte streams that count what was read (for
//! the progress bar and for `file:line` notes) and stop when cancelled.

use std::io::{BufRead, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Shared between an import and whoever watches it: bytes read so far, of
/// how many, and the cancel flag.
#[derive(Debug, Default)]
pub struct Progress {
    pub read_bytes: AtomicU64,
    pub total_bytes: AtomicU64,
    pub cancelled: AtomicBool,
}

impl Progress {
    /// The share read so far, 0 to 1 (0 while the size is unknown).
    pub fn fraction(&self) -> f32 {
        let total = self.total_bytes.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.read_bytes.load(Ordering::Relaxed) as f64 / total as f64).min(1.0) as f32
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// How much of an input is read at a time: small enough to stay in the
/// processor's cache while the parser goes over it.
const READ_BUFFER_BYTES: usize = 64 * 1024;

/// The message of the error a cancelled input returns.
const CANCELLED: &str = "the import was cancelled";

/// Whether `error` is the one a cancelled [`CountingReader`] returned.
pub fn is_cancel(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::Other
        && error
            .get_ref()
            .is_some_and(|inner| inner.to_string() == CANCELLED)
}

/// One input of an import: its name (for notes and messages: the file
/// name, or "stdin") and its bytes.
pub struct ImportInput {
    pub name: String,
    /// The lower-case extension of the file's name, when it has one.
    pub extension: Option<String>,
    pub reader: LineCounter<CountingReader<Box<dyn Read + Send>>>,
}

impl ImportInput {
    /// An input reading `bytes` (tests and fuzzers).
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Self {
        Self::new(
            name,
            Box::new(std::io::Cursor::new(bytes)),
            Arc::new(Progress::default()),
        )
    }

    /// An input reading `reader`, counting into `progress`.
    pub fn new(name: &str, reader: Box<dyn Read + Send>, progress: Arc<Progress>) -> Self {
        let extension = std::path::Path::new(name)
            .extension()
            .map(|extension| extension.to_string_lossy().to_lowercase());
        Self {
            name: name.to_owned(),
            extension,
            reader: LineCounter::new(
                CountingReader {
                    inner: reader,
                    progress,
                },
                READ_BUFFER_BYTES,
            ),
        }
    }

    /// The bytes at the start of the input, without consuming them (at
    /// most the reader's buffer).
    pub fn head(&mut self) -> std::io::Result<&[u8]> {
        self.reader.fill_buf()
    }
}

/// A reader that adds what it reads to a [`Progress`] and fails with a
/// cancel error once the import is cancelled: every parser stops at its
/// next read, whatever it is.
pub struct CountingReader<R> {
    inner: R,
    progress: Arc<Progress>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.progress.is_cancelled() {
            // Not `Interrupted`: the standard readers retry on that.
            return Err(std::io::Error::other(CANCELLED));
        }
        let read = self.inner.read(buf)?;
        self.progress
            .read_bytes
            .fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

/// A buffered reader that counts the lines its user has consumed, so a
/// streaming parser's position can be named as `file:line`.
///
/// Lines are counted when asked for (or when the buffer is refilled), over
/// everything consumed since: parsers consume a few bytes at a time, and
/// counting each piece was a few per cent of a big XML import.
pub struct LineCounter<R> {
    inner: R,
    buffer: Box<[u8]>,
    /// The buffer's read bytes are `..filled`; the consumer is at `position`.
    position: usize,
    filled: usize,
    /// Newlines before `counted` in the buffer (and in earlier buffers).
    newlines: std::cell::Cell<u64>,
    counted: std::cell::Cell<usize>,
}

impl<R: Read> LineCounter<R> {
    fn new(inner: R, capacity: usize) -> Self {
        Self {
            inner,
            buffer: vec![0; capacity].into_boxed_slice(),
            position: 0,
            filled: 0,
            newlines: std::cell::Cell::new(0),
            counted: std::cell::Cell::new(0),
        }
    }

    /// The 1-based line the consumer is on.
    pub fn line(&self) -> u64 {
        let counted = self.counted.get();
        if counted < self.position {
            let more = count_newlines(&self.buffer[counted..self.position]);
            self.newlines.set(self.newlines.get() + more);
            self.counted.set(self.position);
        }
        self.newlines.get() + 1
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let read = available.len().min(buf.len());
        buf[..read].copy_from_slice(&available[..read]);
        self.consume(read);
        Ok(read)
    }
}

impl<R: Read> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.position >= self.filled {
            // Count what is left of this buffer before it is overwritten.
            self.line();
            let filled = loop {
                match self.inner.read(&mut self.buffer) {
                    Ok(read) => break read,
                    Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(error) => return Err(error),
                }
            };
            self.position = 0;
            self.filled = filled;
            self.counted.set(0);
        }
        Ok(&self.buffer[self.position..self.filled])
    }

    fn consume(&mut self, amount: usize) {
        self.position = (self.position + amount).min(self.filled);
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_follow_what_was_consumed() {
        let mut input = ImportInput::from_bytes("a.csv", b"one\ntwo\nthree\n".to_vec());
        let mut line = String::new();
        input.reader.read_line(&mut line).unwrap();
        assert_eq!(input.reader.line(), 2);
        input.reader.read_line(&mut line).unwrap();
        assert_eq!(input.reader.line(), 3);
        assert_eq!(input.extension.as_deref(), Some("csv"));
    }

    #[test]
    fn a_cancelled_input_stops_at_its_next_read() {
        let progress = Arc::new(Progress::default());
        let mut input = ImportInput::new(
            "big.gexf",
            Box::new(std::io::repeat(b'x')),
            Arc::clone(&progress),
        );
        let mut buffer = [0_u8; 16];
        input.reader.read_exact(&mut buffer).unwrap();
        progress.cancel();
        let mut rest = Vec::new();
        let error = input.reader.read_to_end(&mut rest).unwrap_err();
        assert!(is_cancel(&error), "{error}");
    }
}
