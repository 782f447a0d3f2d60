//! Bytes to UTF-8 text for the CSV parser: the encoding (a byte order
//! mark, else UTF-8 when the first bytes are valid UTF-8, else
//! Windows-1252), decoded as a stream, and the delimiter guessed from the
//! first lines. A guard refuses a record longer than [`RECORD_MAX_BYTES`]
//! (a file without line ends, an unclosed quote), so the parser never
//! buffers without bound.

use std::io::{BufRead, Read};

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_8, WINDOWS_1252};

/// The longest record read: longer ones stop the import with the line
/// they started on.
pub const RECORD_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The delimiters guessed among, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The encoding of a file starting with `head`: its byte order mark's, else
/// UTF-8 when `head` is valid UTF-8 (a sequence cut at its end allowed),
/// else Windows-1252.
pub fn detect_encoding(head: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return encoding;
    }
    match std::str::from_utf8(head) {
        Ok(_) => UTF_8,
        // Cut in the middle of a character by the end of the head.
        Err(error) if error.error_len().is_none() => UTF_8,
        Err(_) => WINDOWS_1252,
    }
}

/// The encoding a mapping names (any WHATWG label: `utf-8`, `latin1`,
/// `windows-1252`, `utf-16le`, …).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// The delimiter of a CSV text whose first lines are `head`: the candidate
/// found the same number of times (outside quotes) on most of the first
/// lines, ties going to the more usual; a comma when none is found.
pub fn detect_delimiter(head: &str) -> u8 {
    // The last line may be cut by the end of the head.
    let mut lines: Vec<&str> = head.lines().take(21).collect();
    if lines.len() > 1 && !head.ends_with('\n') {
        lines.pop();
    }
    let mut best = (0_usize, 0_usize, b',');
    for &delimiter in DELIMITERS.iter().rev() {
        let counts: Vec<usize> = lines
            .iter()
            .map(|line| count_outside_quotes(line, delimiter))
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        if first == 0 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&count| count == first).count();
        if (agreeing, first) >= (best.0, best.1) {
            best = (agreeing, first, delimiter);
        }
    }
    best.2
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for &byte in line.as_bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if byte == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

/// The error a too long record gives (read back by [`too_long_line`]).
#[derive(Debug)]
struct RecordTooLong {
    line: u64,
}

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a record longer than {} MiB (no line end, or a quote never closed)",
            RECORD_MAX_BYTES / 1024 / 1024
        )
    }
}

impl std::error::Error for RecordTooLong {}

/// The line a too long record started on, when `error` is that refusal.
pub fn too_long_line(error: &std::io::Error) -> Option<(u64, String)> {
    let inner = error.get_ref()?.downcast_ref::<RecordTooLong>()?;
    Some((inner.line, inner.to_string()))
}

/// Where the guard is in a record, as the CSV parser sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    InField,
    Quoted,
    QuoteInQuoted,
}

/// Counts the bytes of the record being read and refuses one past the cap.
#[derive(Debug)]
struct RecordGuard {
    delimiter: u8,
    limit: u64,
    state: State,
    record_bytes: u64,
    newlines: u64,
    record_line: u64,
}

impl RecordGuard {
    fn scan(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        for &byte in bytes {
            self.record_bytes += 1;
            let record_end = match (self.state, byte) {
                (State::Quoted, b'"') => {
                    self.state = State::QuoteInQuoted;
                    false
                }
                (State::Quoted, _) => false,
                (State::QuoteInQuoted | State::FieldStart, b'"') => {
                    self.state = State::Quoted;
                    false
                }
                (_, b'\n') => true,
                (_, byte) if byte == self.delimiter => {
                    self.state = State::FieldStart;
                    false
                }
                _ => {
                    self.state = State::InField;
                    false
                }
            };
            if byte == b'\n' {
                self.newlines += 1;
            }
            if record_end {
                self.state = State::FieldStart;
                self.record_bytes = 0;
                self.record_line = self.newlines + 1;
            } else if self.record_bytes > self.limit {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    RecordTooLong {
                        line: self.record_line,
                    },
                ));
            }
        }
        Ok(())
    }
}

/// A reader of UTF-8 text decoded from `inner` as it is read.
pub struct Decoded<R> {
    inner: R,
    decoder: Decoder,
    out: Vec<u8>,
    start: usize,
    finished: bool,
    /// Whether bytes that are not text in the encoding were replaced.
    replaced: bool,
    guard: RecordGuard,
}

impl<R: BufRead> Decoded<R> {
    /// Decodes `inner` as `encoding` (a byte order mark is removed), for a
    /// CSV parser splitting fields at `delimiter`.
    pub fn new(inner: R, encoding: &'static Encoding, delimiter: u8) -> Self {
        Self::with_limit(inner, encoding, delimiter, RECORD_MAX_BYTES)
    }

    pub(super) fn with_limit(
        inner: R,
        encoding: &'static Encoding,
        delimiter: u8,
        limit: u64,
    ) -> Self {
        Self {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            out: Vec::new(),
            start: 0,
            finished: false,
            replaced: false,
            guard: RecordGuard {
                delimiter,
                limit,
                state: State::FieldStart,
                record_bytes: 0,
                newlines: 0,
                record_line: 1,
            },
        }
    }

    /// Whether bytes that were not text in the encoding were replaced by
    /// U+FFFD so far.
    pub fn replaced(&self) -> bool {
        self.replaced
    }

    /// Decodes the next chunk into `out`; false at the end.
    fn refill(&mut self) -> std::io::Result<bool> {
        loop {
            if self.finished {
                return Ok(false);
            }
            self.out.resize(64 * 1024, 0);
            let input = self.inner.fill_buf()?;
            let last = input.is_empty();
            let (result, read, written, replaced) =
                self.decoder.decode_to_utf8(input, &mut self.out, last);
            self.inner.consume(read);
            self.replaced |= replaced;
            if last && result == CoderResult::InputEmpty {
                self.finished = true;
            }
            self.out.truncate(written);
            self.start = 0;
            if written > 0 {
                self.guard.scan(&self.out)?;
                return Ok(true);
            }
        }
    }
}

impl<R: BufRead> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.start >= self.out.len() && !self.refill()? {
            return Ok(0);
        }
        let available = &self.out[self.start..];
        let count = available.len().min(buf.len());
        buf[..count].copy_from_slice(&available[..count]);
        self.start += count;
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_16BE, UTF_16LE};

    fn decoded(bytes: &[u8]) -> (String, bool) {
        let encoding = detect_encoding(bytes);
        let mut reader = Decoded::new(bytes, encoding, b',');
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        (text, reader.replaced())
    }

    #[test]
    fn encodings_are_told_by_their_marks_and_bytes() {
        assert_eq!(detect_encoding(b"Id,Label\n"), UTF_8);
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFId\n"), UTF_8);
        assert_eq!(detect_encoding(b"\xFF\xFEI\0d\0"), UTF_16LE);
        assert_eq!(detect_encoding(b"\xFE\xFF\0I\0d"), UTF_16BE);
        assert_eq!(detect_encoding(b"Id\nJos\xE9\n"), WINDOWS_1252);
        // A character cut by the end of the head is still UTF-8.
        assert_eq!(detect_encoding(b"Id\nJos\xC3"), UTF_8);
        assert_eq!(decoded(b"\xEF\xBB\xBFa,b\n").0, "a,b\n");
        assert_eq!(decoded(b"\xFF\xFEa\0,\0\xE9\0\n\0").0, "a,\u{e9}\n");
        assert_eq!(decoded(b"\xFE\xFF\0a\0,\0b").0, "a,b");
        assert_eq!(decoded(b"Jos\xE9,\x80\n").0, "Jos\u{e9},\u{20ac}\n");
        assert_eq!(encoding_for_label("latin1"), Some(WINDOWS_1252));
    }

    #[test]
    fn invalid_utf8_after_the_head_is_replaced_and_told() {
        let (text, replaced) = decoded(b"a,b\nc,\xFF\n");
        // The head holds the bad byte here, so it is read as Windows-1252.
        assert_eq!(text, "a,b\nc,\u{ff}\n");
        assert!(!replaced);
        let mut reader = Decoded::new(&b"a,b\nc,\xFF\n"[..], UTF_8, b',');
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(text, "a,b\nc,\u{fffd}\n");
        assert!(reader.replaced());
    }

    #[test]
    fn delimiters_are_guessed_from_the_first_lines() {
        assert_eq!(detect_delimiter("Id,Label\n1,A\n2,B\n"), b',');
        assert_eq!(detect_delimiter("Id;Label;Note\n1;A;x,y\n2;B;z\n"), b';');
        assert_eq!(detect_delimiter("Id\tLabel\n1\tA, B\n"), b'\t');
        assert_eq!(detect_delimiter("Id|Label\n1|\"A|B\"\n"), b'|');
        assert_eq!(detect_delimiter("Id\n1\n"), b',');
        assert_eq!(detect_delimiter(""), b',');
    }

    #[test]
    fn a_record_past_the_cap_is_refused_with_its_line() {
        let mut bytes = b"a,b\n1,2\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 5000));
        let mut reader = Decoded::with_limit(&bytes[..], UTF_8, b',', 1000);
        let mut text = String::new();
        let error = reader.read_to_string(&mut text).unwrap_err();
        assert_eq!(too_long_line(&error).unwrap().0, 3);
        // An unclosed quote spanning lines counts as one record.
        let mut bytes = b"a,b\n1,\"2\n".to_vec();
        bytes.extend(b"xxxxxxxxx\n".repeat(200));
        let mut reader = Decoded::with_limit(&bytes[..], UTF_8, b',', 1000);
        let error = reader.read_to_string(&mut text).unwrap_err();
        assert_eq!(too_long_line(&error).unwrap().0, 2);
        // Many short records pass; an inch mark inside a field is no quote.
        let bytes = b"a,5\"x,b\n".repeat(1000);
        let mut reader = Decoded::with_limit(&bytes[..], UTF_8, b',', 100);
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(text.len(), bytes.len());
    }
}
