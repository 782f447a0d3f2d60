//! Anchoring captured evidence in a source document's text: what an
//! excerpt stores (its quote, offsets, context and the text's hash), how a
//! selection snaps to whole grapheme clusters, and how an excerpt is found
//! again in a text that changed since (see [`SourceText::reanchor`]).
//!
//! Offsets count Unicode scalar values (Rust `char`s), end exclusive: the
//! W3C Web Annotation model's code points, and what the file format stores.
//! No egui and no SQL here; the reader panel and the store use this.

mod index;
mod myers;
mod reanchor;

use std::fmt::Write as _;

use sha2::{Digest as _, Sha256};
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation as _};

pub use myers::edit_distance;

use index::CharIndex;

/// Chars of context kept before and after a quote for re-anchoring.
pub const CONTEXT_CHARS: usize = 32;

/// SHA-256 of `bytes` in lower-case hex (as `sha256sum` prints it).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for byte in Sha256::digest(bytes) {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Where an excerpt was taken from, as stored with it: enough to find the
/// passage again when the document's text has changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextAnchor {
    /// The exact quote (`excerpts.text`).
    pub quote: String,
    /// Offsets of the quote in chars, end exclusive.
    pub start_char: usize,
    pub end_char: usize,
    /// Up to [`CONTEXT_CHARS`] chars before and after the quote.
    pub prefix: String,
    pub suffix: String,
    /// [`sha256_hex`] of the text the offsets were taken in.
    pub anchored_sha256: String,
}

/// How an excerpt was found again (`excerpts.anchor_state`).
///
/// - `Exact`: the offsets hold (same text), or the quote occurs once,
///   verbatim.
/// - `Relocated`: found without asking the user, but by a choice: the
///   quote occurs several times and its prefix, suffix and nearness to the
///   old offsets chose one, or its words are there with only the
///   whitespace between them changed (text reflowed). The words quoted are
///   all there, in order, so no confirmation is needed.
/// - `Fuzzy`: only a passage within 10% edits of the quote was found; the
///   user confirms it.
/// - `Orphaned`: not found; the quote and the relation are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnchorState {
    Exact,
    Relocated,
    Fuzzy,
    Orphaned,
}

impl AnchorState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Relocated => "relocated",
            Self::Fuzzy => "fuzzy",
            Self::Orphaned => "orphaned",
        }
    }

    /// The state a stored word names; `None` for any other text.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "exact" => Some(Self::Exact),
            "relocated" => Some(Self::Relocated),
            "fuzzy" => Some(Self::Fuzzy),
            "orphaned" => Some(Self::Orphaned),
            _ => None,
        }
    }
}

/// The outcome of re-anchoring one excerpt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reanchored {
    pub state: AnchorState,
    /// Where the passage is now, in chars, end exclusive, on grapheme
    /// cluster boundaries; `None` when orphaned. For `Fuzzy` it is a
    /// proposal; [`SourceText::anchor`] on it gives the confirmed anchor.
    pub span: Option<(usize, usize)>,
}

impl Reanchored {
    const ORPHANED: Self = Self {
        state: AnchorState::Orphaned,
        span: None,
    };

    fn at(state: AnchorState, span: (usize, usize)) -> Self {
        Self {
            state,
            span: Some(span),
        }
    }
}

/// A document's text, hashed and indexed once, so that anchoring and
/// re-anchoring on a long text (5 MB) stay cheap.
#[derive(Clone, Debug)]
pub struct SourceText {
    text: String,
    sha256: String,
    index: CharIndex,
}

/// Chars looked at on each side of a double-click for its word: words
/// longer than this are cut there.
const WORD_WINDOW_CHARS: usize = 256;

impl SourceText {
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            sha256: sha256_hex(text.as_bytes()),
            index: CharIndex::new(&text),
            text,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// [`sha256_hex`] of the text's UTF-8 bytes (`documents.sha256_text`).
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Length in chars (`document_text.n_chars`).
    pub fn char_count(&self) -> usize {
        self.index.n_chars()
    }

    /// Byte offset of a char offset; the text's length at or past its end.
    pub fn byte_of_char(&self, char_offset: usize) -> usize {
        self.index.byte_of_char(&self.text, char_offset)
    }

    /// Char offset of a byte offset (a byte inside a char gives the char
    /// after it).
    pub fn char_of_byte(&self, byte_offset: usize) -> usize {
        self.index.char_of_byte(&self.text, byte_offset)
    }

    /// Both ends in order and within the text.
    fn clamp(&self, start_char: usize, end_char: usize) -> (usize, usize) {
        let n = self.char_count();
        let (start, end) = (start_char.min(n), end_char.min(n));
        (start.min(end), start.max(end))
    }

    /// The text between two char offsets (clamped to the text, in order).
    pub fn slice(&self, start_char: usize, end_char: usize) -> &str {
        let (start, end) = self.clamp(start_char, end_char);
        &self.text[self.byte_of_char(start)..self.byte_of_char(end)]
    }

    /// Moves the ends of a selection out to extended grapheme cluster
    /// boundaries, so that no end falls inside an emoji ZWJ sequence, a
    /// letter and its combining marks, or a CRLF: the start back, the end
    /// forward. An empty selection stays empty, at the boundary before.
    pub fn snap_to_graphemes(&self, start_char: usize, end_char: usize) -> (usize, usize) {
        let (start, end) = self.clamp(start_char, end_char);
        let start_byte = self.boundary_at_or_before(self.byte_of_char(start));
        let end_byte = if end == start {
            start_byte
        } else {
            self.boundary_at_or_after(self.byte_of_char(end))
        };
        (self.char_of_byte(start_byte), self.char_of_byte(end_byte))
    }

    fn is_grapheme_boundary(&self, byte: usize) -> bool {
        let bytes = self.text.as_bytes();
        if byte == 0 || byte >= bytes.len() {
            return true;
        }
        let (before, after) = (bytes[byte - 1], bytes[byte]);
        // Between two ASCII chars only CR LF is one cluster.
        if before.is_ascii() && after.is_ascii() {
            return !(before == b'\r' && after == b'\n');
        }
        GraphemeCursor::new(byte, self.text.len(), true)
            .is_boundary(&self.text, 0)
            // With the whole text as the one chunk the cursor needs no
            // more context, so this error does not occur.
            .unwrap_or(true)
    }

    fn boundary_at_or_before(&self, byte: usize) -> usize {
        if self.is_grapheme_boundary(byte) {
            return byte;
        }
        let mut cursor = GraphemeCursor::new(byte, self.text.len(), true);
        // Whole text, no missing context (as above); 0 is a boundary.
        cursor
            .prev_boundary(&self.text, 0)
            .ok()
            .flatten()
            .unwrap_or(0)
    }

    fn boundary_at_or_after(&self, byte: usize) -> usize {
        if self.is_grapheme_boundary(byte) {
            return byte;
        }
        let mut cursor = GraphemeCursor::new(byte, self.text.len(), true);
        cursor
            .next_boundary(&self.text, 0)
            .ok()
            .flatten()
            .unwrap_or(self.text.len())
    }

    /// The word (Unicode word boundaries, UAX #29) holding char `at`, for
    /// a double-click: a run of spaces or one punctuation mark when that is
    /// what was clicked. Past the end it is the last word.
    pub fn word_at(&self, at: usize) -> (usize, usize) {
        let n = self.char_count();
        if n == 0 {
            return (0, 0);
        }
        let at = at.min(n - 1);
        let from = self.byte_of_char(at.saturating_sub(WORD_WINDOW_CHARS));
        let to = self.byte_of_char(at + 1 + WORD_WINDOW_CHARS);
        let at_byte = self.byte_of_char(at);
        let window = &self.text[from..to];
        let word = window
            .split_word_bound_indices()
            .map(|(offset, word)| (from + offset, from + offset + word.len()))
            .find(|&(_, end)| end > at_byte)
            .unwrap_or((at_byte, to));
        // A window cut inside a cluster (a word longer than the window)
        // could leave an end inside one.
        self.snap_to_graphemes(self.char_of_byte(word.0), self.char_of_byte(word.1))
    }

    /// The anchor of a selection: snapped to grapheme clusters, with its
    /// quote, context and this text's hash.
    pub fn anchor(&self, start_char: usize, end_char: usize) -> TextAnchor {
        let (start, end) = self.snap_to_graphemes(start_char, end_char);
        TextAnchor {
            quote: self.slice(start, end).to_owned(),
            start_char: start,
            end_char: end,
            prefix: self
                .slice(start.saturating_sub(CONTEXT_CHARS), start)
                .to_owned(),
            suffix: self.slice(end, end + CONTEXT_CHARS).to_owned(),
            anchored_sha256: self.sha256.clone(),
        }
    }

    /// Finds an excerpt again in this text. In order:
    /// 1. the same text hash (and the offsets slicing out the quote): the
    ///    offsets hold, `Exact`;
    /// 2. the quote verbatim, ends on cluster boundaries: found once,
    ///    `Exact`; several times, the hit whose prefix and suffix differ
    ///    least from the stored ones (Levenshtein), then the nearest to the
    ///    old offsets, `Relocated`;
    /// 3. the quote's words in order with any whitespace between them
    ///    (reflowed text), chosen as above: `Relocated`;
    /// 4. a passage within 10% of the quote's length in char edits,
    ///    context and nearness breaking ties: `Fuzzy`;
    /// 5. else `Orphaned`.
    ///
    /// Limits, so that no text stalls it: a quote found more than 10,000
    /// times is chosen among its first 10,000 hits, and quotes over 4,096
    /// chars are not searched approximately.
    pub fn reanchor(&self, anchor: &TextAnchor) -> Reanchored {
        self.reanchor_all(std::slice::from_ref(anchor))
            .pop()
            .unwrap_or(Reanchored::ORPHANED)
    }

    /// [`Self::reanchor`] for many excerpts at once, in their order: the
    /// text is scanned once per step for all of them, not once per excerpt.
    pub fn reanchor_all(&self, anchors: &[TextAnchor]) -> Vec<Reanchored> {
        reanchor::reanchor_all(self, anchors)
    }
}

#[cfg(test)]
mod tests;
