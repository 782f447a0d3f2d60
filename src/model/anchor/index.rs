//! Char ↔ byte offsets in a long text without walking it from the start:
//! the byte offset of every 64th char is kept, so a lookup walks at most
//! 63 chars (a 5 MB text needs about 80k checkpoints, 640 kB).

/// Chars between two checkpoints.
const STRIDE: usize = 64;

#[derive(Debug, Clone)]
pub(super) struct CharIndex {
    n_chars: usize,
    /// Byte offset of chars 0, 64, 128, …; empty for an ASCII text, where
    /// chars and bytes are the same offsets.
    checkpoints: Vec<usize>,
}

/// True for the bytes that start a char in UTF-8 (not `0b10xx_xxxx`).
fn starts_char(byte: u8) -> bool {
    byte & 0xC0 != 0x80
}

impl CharIndex {
    pub(super) fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self {
                n_chars: text.len(),
                checkpoints: Vec::new(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut n_chars = 0;
        for (offset, &byte) in text.as_bytes().iter().enumerate() {
            if starts_char(byte) {
                if n_chars % STRIDE == 0 {
                    checkpoints.push(offset);
                }
                n_chars += 1;
            }
        }
        Self {
            n_chars,
            checkpoints,
        }
    }

    pub(super) fn n_chars(&self) -> usize {
        self.n_chars
    }

    /// Byte offset of char `char_offset`; the text's length at or past its end.
    pub(super) fn byte_of_char(&self, text: &str, char_offset: usize) -> usize {
        if char_offset >= self.n_chars {
            return text.len();
        }
        if self.checkpoints.is_empty() {
            return char_offset;
        }
        let from = self.checkpoints[char_offset / STRIDE];
        text.get(from..)
            .and_then(|rest| rest.char_indices().nth(char_offset % STRIDE))
            .map_or(text.len(), |(offset, _)| from + offset)
    }

    /// Chars before byte `byte_offset`; a byte inside a char counts that
    /// char as before it.
    pub(super) fn char_of_byte(&self, text: &str, byte_offset: usize) -> usize {
        if byte_offset >= text.len() {
            return self.n_chars;
        }
        if self.checkpoints.is_empty() {
            return byte_offset;
        }
        let block = self
            .checkpoints
            .partition_point(|&checkpoint| checkpoint <= byte_offset)
            .saturating_sub(1);
        let from = self.checkpoints[block];
        let within = text.as_bytes()[from..byte_offset]
            .iter()
            .filter(|&&byte| starts_char(byte))
            .count();
        block * STRIDE + within
    }
}
