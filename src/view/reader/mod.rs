//! The reader: a source document's text beside the graph, where the
//! analyst selects a passage to capture. A 5 MB text stays fluid because
//! no widget ever holds it whole: the text is cut into paragraphs once,
//! only the paragraphs in view are laid out (each its own small galley),
//! and the heights of those never seen are estimated from their length.
//!
//! Offsets are chars (Unicode scalar values) of the whole text, as the
//! file format stores them; the selection snaps to grapheme clusters.

use std::sync::Arc;

use egui::{Galley, Rect};
use unicode_segmentation::UnicodeSegmentation;

mod ui;

pub use ui::reader_ui;

/// Paragraphs longer than this are shown in pieces: one galley never
/// holds a whole book that has no line breaks.
const MAX_PIECE_CHARS: usize = 2_000;
/// Hits of a search inside the document beyond this are not listed.
const MAX_FIND_HITS: usize = 10_000;
const TEXT_SIZE: f32 = 14.0;
const PARAGRAPH_GAP: f32 = 6.0;

/// One piece of the text shown as a unit: a line of the source (or part of
/// a long one).
#[derive(Clone, Copy, Debug)]
struct Piece {
    char_start: usize,
    byte_start: usize,
    byte_end: usize,
    chars: usize,
}

/// A passage painted over the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
    pub contradicts: bool,
}

/// How far a keyboard step moves the caret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Grapheme,
    Word,
    Sentence,
}

/// What the reader asks the app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReaderAction {
    /// Open the capture form for the selection.
    Capture,
}

/// The reader's state for one document.
pub struct ReaderView {
    pub document_id: i64,
    text: Arc<str>,
    pieces: Vec<Piece>,
    /// Each piece's laid-out height at `heights_width` (0: not yet known).
    heights: Vec<f32>,
    heights_width: f32,
    /// Where the selection started and where the caret is (chars).
    anchor: usize,
    caret: usize,
    /// Scroll so that this char is in view, next frame.
    scroll_to: Option<usize>,
    /// Captured passages of this document, sorted by start.
    pub highlights: Vec<Highlight>,
    /// A passage shown by "Open in source", drawn stronger.
    flash: Option<(usize, usize)>,
    pub find_text: String,
    find_hits: Vec<(usize, usize)>,
    find_current: usize,
    /// The pieces painted last frame and where, for the pointer.
    painted: Vec<(usize, Rect, Arc<Galley>)>,
    /// Give the text keyboard focus next frame.
    focus_next: bool,
    /// The text had the keys last frame.
    focused: bool,
}

impl ReaderView {
    pub fn new(document_id: i64, text: Arc<str>) -> Self {
        let pieces = cut_into_pieces(&text);
        Self {
            document_id,
            heights: vec![0.0; pieces.len()],
            pieces,
            text,
            heights_width: 0.0,
            anchor: 0,
            caret: 0,
            scroll_to: None,
            highlights: Vec::new(),
            flash: None,
            find_text: String::new(),
            find_hits: Vec::new(),
            find_current: 0,
            painted: Vec::new(),
            focus_next: false,
            focused: false,
        }
    }

    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// The selected passage (start < end, chars), if any.
    pub fn selection(&self) -> Option<(usize, usize)> {
        (self.anchor != self.caret)
            .then(|| (self.anchor.min(self.caret), self.anchor.max(self.caret)))
    }

    /// Selects `start..end` (snapped out to grapheme clusters) and scrolls
    /// to it.
    pub fn select(&mut self, start: usize, end: usize) {
        let (start, end) = self.snap(start, end);
        self.anchor = start;
        self.caret = end;
        self.scroll_to = Some(start);
    }

    /// Selects and marks a passage ("Open in source").
    pub fn show_passage(&mut self, start: usize, end: usize) {
        self.select(start, end);
        self.flash = Some((self.anchor, self.caret));
    }

    pub fn clear_selection(&mut self) {
        self.anchor = self.caret;
    }

    /// Whether the text had the keys last frame.
    pub fn has_focus(&self) -> bool {
        self.focused
    }

    /// Gives the text keyboard focus next frame.
    pub fn request_focus(&mut self) {
        self.focus_next = true;
    }

    fn total_chars(&self) -> usize {
        self.pieces
            .last()
            .map_or(0, |piece| piece.char_start + piece.chars)
    }

    /// The piece holding char `offset` (a piece's end belongs to it).
    fn piece_of(&self, offset: usize) -> usize {
        self.pieces
            .partition_point(|piece| piece.char_start <= offset)
            .saturating_sub(1)
    }

    fn piece_text(&self, piece: usize) -> &str {
        let piece = self.pieces[piece];
        &self.text[piece.byte_start..piece.byte_end]
    }

    /// `start..end` moved out to grapheme cluster boundaries.
    pub fn snap(&self, start: usize, end: usize) -> (usize, usize) {
        let total = self.total_chars();
        let (start, end) = (start.min(total), end.min(total));
        (
            self.boundary(start, false),
            self.boundary(end.max(start), true),
        )
    }

    /// The nearest grapheme boundary at or before (`after` false) or at or
    /// after `offset`.
    fn boundary(&self, offset: usize, after: bool) -> usize {
        let index = self.piece_of(offset);
        let piece = self.pieces[index];
        let text = self.piece_text(index);
        let local = offset - piece.char_start;
        let mut chars = 0;
        let mut best = if after { piece.chars } else { 0 };
        for grapheme in text.graphemes(true) {
            if chars == local {
                return offset;
            }
            let next = chars + grapheme.chars().count();
            if chars < local && local < next {
                best = if after { next } else { chars };
                break;
            }
            chars = next;
        }
        if local >= piece.chars {
            return offset;
        }
        piece.char_start + best
    }

    /// The caret moved one step from `offset`.
    fn step(&self, offset: usize, step: Step, forward: bool) -> usize {
        let index = self.piece_of(offset);
        let piece = self.pieces[index];
        let local = offset - piece.char_start;
        if forward && local >= piece.chars {
            return (offset + 1).min(self.total_chars());
        }
        if !forward && local == 0 {
            return offset.saturating_sub(1);
        }
        let text = self.piece_text(index);
        let mut bounds: Vec<(usize, bool)> = Vec::new();
        let mut chars = 0;
        let mut push = |segment: &str| {
            let blank = segment.chars().all(char::is_whitespace);
            chars += segment.chars().count();
            bounds.push((chars, blank));
        };
        match step {
            Step::Grapheme => text.graphemes(true).for_each(&mut push),
            Step::Word => text.split_word_bounds().for_each(&mut push),
            Step::Sentence => text.split_sentence_bounds().for_each(&mut push),
        }
        let target = if forward {
            bounds
                .iter()
                .find(|(end, blank)| *end > local && !(step == Step::Word && *blank))
                .map_or(piece.chars, |(end, _)| *end)
        } else {
            let mut starts = vec![(0, false)];
            let mut previous = 0;
            for &(end, blank) in &bounds {
                starts.push((previous, blank));
                previous = end;
            }
            starts
                .iter()
                .rev()
                .find(|(start, blank)| *start < local && !(step == Step::Word && *blank))
                .map_or(0, |(start, _)| *start)
        };
        piece.char_start + target
    }

    /// The word (or grapheme) at `offset`, for a double-click.
    fn word_at(&self, offset: usize) -> (usize, usize) {
        let index = self.piece_of(offset);
        let piece = self.pieces[index];
        let local = offset - piece.char_start;
        let mut chars = 0;
        for segment in self.piece_text(index).split_word_bounds() {
            let next = chars + segment.chars().count();
            if local < next {
                return (piece.char_start + chars, piece.char_start + next);
            }
            chars = next;
        }
        (offset, offset)
    }

    /// Finds `find_text` (ASCII case ignored) and selects the next hit.
    pub fn find_next(&mut self) {
        if self.find_hits.is_empty() {
            self.refresh_find();
        }
        if self.find_hits.is_empty() {
            return;
        }
        let from = self.selection().map_or(self.caret, |(start, _)| start + 1);
        let next = self
            .find_hits
            .iter()
            .position(|(start, _)| *start >= from)
            .unwrap_or(0);
        self.find_current = next;
        let (start, end) = self.find_hits[next];
        self.select(start, end);
    }

    /// How many hits the search has, and which is selected (1-based).
    pub fn find_status(&self) -> (usize, usize) {
        (self.find_hits.len(), self.find_current + 1)
    }

    fn refresh_find(&mut self) {
        self.find_hits.clear();
        self.find_current = 0;
        let needle = self.find_text.to_ascii_lowercase();
        if needle.is_empty() {
            return;
        }
        // ASCII lower-casing keeps every byte where it was.
        let haystack = self.text.to_ascii_lowercase();
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        for byte in finder.find_iter(haystack.as_bytes()).take(MAX_FIND_HITS) {
            let start = self.char_of_byte(byte);
            let end = start + needle.chars().count();
            self.find_hits.push((start, end));
        }
    }

    fn char_of_byte(&self, byte: usize) -> usize {
        let index = self
            .pieces
            .partition_point(|piece| piece.byte_start <= byte)
            .saturating_sub(1);
        let piece = self.pieces[index];
        let local = byte
            .saturating_sub(piece.byte_start)
            .min(piece.byte_end - piece.byte_start);
        piece.char_start
            + self.text[piece.byte_start..piece.byte_start + local]
                .chars()
                .count()
    }
}

/// A piece's height: as laid out, else the estimate.
fn known_or(height: f32, estimate: f32) -> f32 {
    if height > 0.0 { height } else { estimate }
}

/// Cuts `text` at its line breaks, and long lines at a space near
/// [`MAX_PIECE_CHARS`].
fn cut_into_pieces(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut char_start = 0;
    let mut byte_start = 0;
    for line in text.split('\n') {
        let mut rest = line;
        let mut rest_start = byte_start;
        loop {
            let chars = rest.chars().count();
            if chars <= MAX_PIECE_CHARS {
                pieces.push(Piece {
                    char_start,
                    byte_start: rest_start,
                    byte_end: rest_start + rest.len(),
                    chars,
                });
                char_start += chars;
                break;
            }
            // Cut after a space near the limit (or at the limit).
            let limit = rest
                .char_indices()
                .nth(MAX_PIECE_CHARS)
                .map_or(rest.len(), |(byte, _)| byte);
            let cut = rest[..limit]
                .rfind(' ')
                .map_or(limit, |space| space + 1)
                .max(1);
            let cut = (cut..=rest.len())
                .find(|&byte| rest.is_char_boundary(byte))
                .unwrap_or(rest.len());
            let head = &rest[..cut];
            let head_chars = head.chars().count();
            pieces.push(Piece {
                char_start,
                byte_start: rest_start,
                byte_end: rest_start + cut,
                chars: head_chars,
            });
            char_start += head_chars;
            rest = &rest[cut..];
            rest_start += cut;
        }
        // The line break itself is one char that no piece shows.
        char_start += 1;
        byte_start += line.len() + 1;
    }
    pieces
}

#[cfg(test)]
mod tests;
