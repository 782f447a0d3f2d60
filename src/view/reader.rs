//! The reader: a source document's text beside the graph, where the
//! analyst selects a passage to capture. A 5 MB text stays fluid because
//! no widget ever holds it whole: the text is cut into paragraphs once,
//! only the paragraphs in view are laid out (each its own small galley),
//! and the heights of those never seen are estimated from their length.
//!
//! Offsets are chars (Unicode scalar values) of the whole text, as the
//! file format stores them; the selection snaps to grapheme clusters.

use std::sync::Arc;

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Key, Rect, Sense, Vec2};
use unicode_segmentation::UnicodeSegmentation;

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

/// Shows the reader's text; returns what the analyst asked for.
pub fn reader_ui(ui: &mut egui::Ui, view: &mut ReaderView) -> Vec<ReaderAction> {
    let mut actions = Vec::new();
    find_bar_ui(ui, view);
    ui.horizontal(|ui| {
        let selected = view.selection();
        let text = match selected {
            Some((start, end)) => format!("Selected {} characters", end - start),
            None => "Select a passage to capture it".to_owned(),
        };
        ui.label(text);
        let button = ui.add_enabled(selected.is_some(), egui::Button::new("Capture..."));
        if button
            .on_hover_text("Turn the selected passage into a quoted excerpt of a relation")
            .clicked()
        {
            actions.push(ReaderAction::Capture);
        }
    });
    ui.separator();
    text_ui(ui, view);
    actions
}

fn find_bar_ui(ui: &mut egui::Ui, view: &mut ReaderView) {
    ui.horizontal(|ui| {
        let label = ui.label("Find in text:");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut view.find_text)
                    .hint_text("words in this document")
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
        if field.changed() {
            view.find_hits.clear();
        }
        let enter = field.lost_focus() && ui.input(|input| input.key_pressed(Key::Enter));
        let next_button = ui.button("Next");
        if next_button.clicked() || enter {
            view.find_next();
            if enter {
                view.request_focus();
            }
        }
        let (hits, current) = view.find_status();
        if !view.find_text.is_empty() && !view.find_hits.is_empty() {
            ui.label(format!("{current} of {hits}"));
        } else if !view.find_text.is_empty() && enter {
            ui.label("Not found");
        }
    });
}

fn text_ui(ui: &mut egui::Ui, view: &mut ReaderView) {
    let font = FontId::proportional(TEXT_SIZE);
    let width = (ui.available_width() - 12.0).max(80.0);
    if (width - view.heights_width).abs() > 0.5 {
        view.heights.iter_mut().for_each(|height| *height = 0.0);
        view.heights_width = width;
    }
    let row_height = ui.fonts_mut(|fonts| fonts.row_height(&font));
    let chars_per_row = (width / (TEXT_SIZE * 0.5)).max(1.0);
    let estimate_of =
        |piece: &Piece| row_height * ((piece.chars as f32 / chars_per_row).ceil().max(1.0));
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt(("reader", view.document_id))
        .auto_shrink([false, false]);
    if let Some(offset) = view.scroll_to.take() {
        let index = view.piece_of(offset);
        let y: f32 = view.pieces[..index]
            .iter()
            .zip(&view.heights)
            .map(|(piece, height)| known_or(*height, estimate_of(piece)) + PARAGRAPH_GAP)
            .sum();
        scroll = scroll.vertical_scroll_offset((y - 3.0 * row_height).max(0.0));
    }
    let id = ui.scope_id().with(("reader-text", view.document_id));
    scroll.show_viewport(ui, |ui, viewport| {
        let total: f32 = view
            .pieces
            .iter()
            .zip(&view.heights)
            .map(|(piece, height)| known_or(*height, estimate_of(piece)) + PARAGRAPH_GAP)
            .sum();
        let (content, _) = ui.allocate_exact_size(Vec2::new(width, total), Sense::hover());
        let response = ui.interact(content, id, Sense::click_and_drag());
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Document, true, "Source text"));
        view.painted.clear();
        let mut y = 0.0;
        let style = ui.style().clone();
        for index in 0..view.pieces.len() {
            let piece = view.pieces[index];
            let known = view.heights[index];
            let height = if known > 0.0 {
                known
            } else {
                estimate_of(&piece)
            };
            if y + height < viewport.min.y {
                y += height + PARAGRAPH_GAP;
                continue;
            }
            if y > viewport.max.y {
                break;
            }
            let job = piece_job(view, index, &font, &style, width);
            let galley = ui.fonts_mut(|fonts| fonts.layout_job(job));
            let laid = galley.size().y.max(row_height);
            view.heights[index] = laid;
            let top_left = content.min + Vec2::new(0.0, y);
            ui.painter()
                .galley(top_left, Arc::clone(&galley), style.visuals.text_color());
            let rect = Rect::from_min_size(top_left, Vec2::new(width, laid));
            view.painted.push((index, rect, galley));
            y += laid + PARAGRAPH_GAP;
        }
        pointer_ui(ui, view, &response);
        if view.focus_next {
            view.focus_next = false;
            response.request_focus();
        }
        view.focused = response.has_focus();
        if response.has_focus() {
            // The arrows move the caret, not the focus to another widget.
            ui.memory_mut(|memory| {
                memory.set_focus_lock_filter(
                    id,
                    egui::EventFilter {
                        horizontal_arrows: true,
                        vertical_arrows: true,
                        ..egui::EventFilter::default()
                    },
                );
            });
            keyboard_ui(ui, view);
            caret_ui(ui, view);
        }
    });
}

/// The layout of piece `index`, its highlights, the selection and the find
/// hits as backgrounds.
fn piece_job(
    view: &ReaderView,
    index: usize,
    font: &FontId,
    style: &egui::Style,
    width: f32,
) -> LayoutJob {
    let piece = view.pieces[index];
    let text = view.piece_text(index);
    let (start, end) = (piece.char_start, piece.char_start + piece.chars);
    let dark = style.visuals.dark_mode;
    let captured = if dark {
        Color32::from_rgb(90, 80, 20)
    } else {
        Color32::from_rgb(255, 236, 150)
    };
    let contradicting = if dark {
        Color32::from_rgb(110, 40, 40)
    } else {
        Color32::from_rgb(255, 200, 200)
    };
    let flash = if dark {
        Color32::from_rgb(40, 110, 60)
    } else {
        Color32::from_rgb(170, 235, 180)
    };
    let selection = style.visuals.selection.bg_fill;
    // Each char's background, by priority: selection, flash, find hit,
    // captured passage.
    let mut spans: Vec<(usize, usize, Color32)> = Vec::new();
    for highlight in &view.highlights {
        spans.push((
            highlight.start,
            highlight.end,
            if highlight.contradicts {
                contradicting
            } else {
                captured
            },
        ));
    }
    let hit_colour = style.visuals.warn_fg_color.gamma_multiply(0.35);
    let first_hit = view
        .find_hits
        .partition_point(|(_, hit_end)| *hit_end <= start);
    for &(hit_start, hit_end) in view.find_hits[first_hit..]
        .iter()
        .take_while(|(hit_start, _)| *hit_start < end)
    {
        spans.push((hit_start, hit_end, hit_colour));
    }
    if let Some((flash_start, flash_end)) = view.flash {
        spans.push((flash_start, flash_end, flash));
    }
    if let Some((selected_start, selected_end)) = view.selection() {
        spans.push((selected_start, selected_end, selection));
    }
    let mut cuts = vec![start, end];
    for &(span_start, span_end, _) in &spans {
        if span_end > start && span_start < end {
            cuts.push(span_start.clamp(start, end));
            cuts.push(span_end.clamp(start, end));
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut job = LayoutJob {
        wrap: egui::text::TextWrapping {
            max_width: width,
            ..Default::default()
        },
        ..LayoutJob::default()
    };
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(byte, _)| byte)
        .chain(std::iter::once(text.len()))
        .collect();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if from == to {
            continue;
        }
        let background = spans
            .iter()
            .rev()
            .find(|(span_start, span_end, _)| *span_start <= from && to <= *span_end)
            .map_or(Color32::TRANSPARENT, |(_, _, colour)| *colour);
        let section = &text[byte_of[from - start]..byte_of[to - start]];
        job.append(
            section,
            0.0,
            TextFormat {
                font_id: font.clone(),
                color: style.visuals.text_color(),
                background,
                ..TextFormat::default()
            },
        );
    }
    if text.is_empty() {
        job.append(
            "",
            0.0,
            TextFormat::simple(font.clone(), style.visuals.text_color()),
        );
    }
    job
}

/// The char under the pointer at `pos`, if it is over a painted piece.
fn offset_at(view: &ReaderView, pos: egui::Pos2) -> Option<usize> {
    let nearest = view.painted.iter().min_by(|a, b| {
        let distance = |rect: &Rect| (rect.center().y - pos.y).abs() - rect.height() / 2.0;
        distance(&a.1).total_cmp(&distance(&b.1))
    })?;
    let (index, rect, galley) = nearest;
    let cursor = galley.cursor_from_pos(pos - rect.min);
    Some(view.pieces[*index].char_start + cursor.index.0)
}

fn pointer_ui(ui: &egui::Ui, view: &mut ReaderView, response: &egui::Response) {
    let pointer = ui.input(|input| input.pointer.interact_pos());
    let Some(pos) = pointer else {
        return;
    };
    if response.double_clicked() {
        if let Some(offset) = offset_at(view, pos) {
            let (start, end) = view.word_at(offset);
            view.anchor = start;
            view.caret = end;
            view.flash = None;
        }
        response.request_focus();
        return;
    }
    if response.drag_started() || response.clicked() {
        if let Some(offset) = offset_at(view, pos) {
            let offset = view.boundary(offset, false);
            let extend = ui.input(|input| input.modifiers.shift) && response.clicked();
            if !extend {
                view.anchor = offset;
            }
            view.caret = offset;
            view.flash = None;
        }
        response.request_focus();
    } else if response.dragged()
        && let Some(offset) = offset_at(view, pos)
    {
        let forward = offset >= view.anchor;
        view.caret = view.boundary(offset, forward);
    }
}

fn keyboard_ui(ui: &egui::Ui, view: &mut ReaderView) {
    let events = ui.input(|input| input.events.clone());
    for event in events {
        let egui::Event::Key {
            key,
            pressed: true,
            modifiers,
            ..
        } = event
        else {
            continue;
        };
        let step = if modifiers.command || modifiers.alt {
            Step::Word
        } else {
            Step::Grapheme
        };
        let moved = match key {
            Key::ArrowRight => Some(view.step(view.caret, step, true)),
            Key::ArrowLeft => Some(view.step(view.caret, step, false)),
            Key::ArrowDown => Some(view.step(view.caret, Step::Sentence, true)),
            Key::ArrowUp => Some(view.step(view.caret, Step::Sentence, false)),
            Key::Home => Some(view.pieces[view.piece_of(view.caret)].char_start),
            Key::End => {
                let piece = view.pieces[view.piece_of(view.caret)];
                Some(piece.char_start + piece.chars)
            }
            _ => None,
        };
        if let Some(caret) = moved {
            view.caret = caret;
            if !modifiers.shift {
                view.anchor = caret;
            }
            view.flash = None;
            view.scroll_to = Some(caret);
        }
    }
}

fn caret_ui(ui: &egui::Ui, view: &ReaderView) {
    let index = view.piece_of(view.caret);
    let Some((_, rect, galley)) = view.painted.iter().find(|(painted, ..)| *painted == index)
    else {
        return;
    };
    let local = view.caret - view.pieces[index].char_start;
    let at = galley
        .pos_from_cursor(CCursor::new(local))
        .translate(rect.min.to_vec2());
    ui.painter().line_segment(
        [at.left_top(), at.left_bottom()],
        egui::Stroke::new(1.5, ui.visuals().text_color()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(text: &str) -> ReaderView {
        ReaderView::new(1, Arc::from(text))
    }

    #[test]
    fn pieces_cover_the_text_and_skip_only_line_breaks() {
        let text = "first line\r\nnot cut\n\nafter a blank line\n";
        let reader = view(text);
        let shown: String = reader
            .pieces
            .iter()
            .map(|piece| &text[piece.byte_start..piece.byte_end])
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(shown, text);
        // Char offsets count every char, line breaks included.
        assert_eq!(
            reader.pieces[2].char_start,
            "first line\r\nnot cut\n".chars().count()
        );
    }

    #[test]
    fn a_long_line_is_shown_in_pieces_that_join_back_into_it() {
        let line = "word ".repeat(1_000) + "é🙂";
        let reader = view(&line);
        assert!(reader.pieces.len() > 2);
        let joined: String = reader
            .pieces
            .iter()
            .map(|piece| &line[piece.byte_start..piece.byte_end])
            .collect();
        assert_eq!(joined, line);
        assert!(
            reader
                .pieces
                .iter()
                .all(|piece| piece.chars <= MAX_PIECE_CHARS)
        );
    }

    #[test]
    fn steps_and_snapping_never_split_a_grapheme() {
        // A ZWJ family, an e with a combining accent, then Arabic.
        let text = "a \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} e\u{301}t \u{0645}\u{0631}\u{062D}\u{0628}\u{0627}";
        let reader = view(text);
        // Chars: a, space, the family (5 chars: 2..7), space, e + accent (8..10), t.
        assert_eq!(reader.step(2, Step::Grapheme, true), 7);
        assert_eq!(reader.step(7, Step::Grapheme, false), 2);
        assert_eq!(reader.snap(3, 9), (2, 10));
        assert_eq!(reader.step(8, Step::Grapheme, true), 10);
        assert_eq!(reader.word_at(0), (0, 1));
    }

    #[test]
    fn find_selects_each_hit_in_turn_ignoring_ascii_case() {
        let mut reader = view("Kabul.\nIn kabul they met; KABUL again");
        reader.find_text = "kabul".to_owned();
        reader.find_next();
        assert_eq!(reader.selection(), Some((0, 5)));
        reader.find_next();
        assert_eq!(reader.selection(), Some((10, 15)));
        reader.find_next();
        assert_eq!(reader.selection(), Some((26, 31)));
        assert_eq!(reader.find_status(), (3, 3));
    }
}
