//! Text as the panels show it: short where a line is meant. A file may hold
//! a 4 KiB name or a megabyte of excerpt (see `store::limits`); egui lays out
//! every character it is given, so the panels give it only what fits.

use std::borrow::Cow;

use egui::text::{LayoutJob, TextWrapping};
use egui::{FontSelection, RichText, TextStyle};

/// A name in a heading, a list or a link: longer ones end in "…".
pub const NAME_MAX_CHARS: usize = 120;
/// The part of a long excerpt shown in the evidence panel; "Show all" opens
/// the rest in a viewer that lays out only the lines on screen.
pub const EXCERPT_PREVIEW_CHARS: usize = 3000;
/// A heading wraps to at most this many lines.
const HEADING_MAX_ROWS: usize = 2;

/// `text` cut to its first `max_chars` characters, with "…" when cut.
pub fn shortened(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// A name for a list, a link or a tooltip.
pub fn short_name(name: &str) -> Cow<'_, str> {
    shortened(name, NAME_MAX_CHARS)
}

/// A heading of at most two lines, ending in "…" when the name is longer;
/// hovering shows more of it.
pub fn heading_ui(ui: &mut egui::Ui, text: &str) -> egui::Response {
    let shown = shortened(text, NAME_MAX_CHARS * 2);
    let mut job = LayoutJob::default();
    RichText::new(shown.as_ref()).heading().append_to(
        &mut job,
        ui.style(),
        FontSelection::Style(TextStyle::Heading),
        egui::Align::Center,
    );
    job.wrap = TextWrapping {
        max_width: ui.available_width(),
        max_rows: HEADING_MAX_ROWS,
        break_anywhere: false,
        overflow_character: Some('…'),
    };
    ui.add(egui::Label::new(job))
        .on_hover_text(shortened(text, NAME_MAX_CHARS * 8))
}

/// A field's name in a two-column grid: never broken inside a word.
pub fn key_label(ui: &mut egui::Ui, name: &str) -> egui::Response {
    ui.add(egui::Label::new(RichText::new(name).weak()).wrap_mode(egui::TextWrapMode::Extend))
}

/// Lines of at most `width` characters, broken after a space where there is
/// one: the viewer's rows, each laid out only when it is on screen.
pub fn wrap_lines(text: &str, width: usize) -> Vec<std::ops::Range<usize>> {
    let width = width.max(8);
    let mut lines = Vec::new();
    for paragraph in split_inclusive_ranges(text) {
        let mut start = paragraph.start;
        let end = paragraph.end;
        loop {
            let rest = &text[start..end];
            let Some((cut, _)) = rest.char_indices().nth(width) else {
                lines.push(start..end);
                break;
            };
            // Break after the last space of the line, else mid-word.
            let line = &rest[..cut];
            let at = line.rfind(' ').map_or(cut, |space| space + 1);
            lines.push(start..start + at);
            start += at;
        }
    }
    lines
}

/// The paragraphs of `text`, without their line breaks.
fn split_inclusive_ranges(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let range = start..start + line.len();
        start = range.end + 1;
        let trimmed = line.strip_suffix('\r').map_or(line.len(), str::len);
        range.start..range.start + trimmed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortened_cuts_on_characters_and_marks_the_cut() {
        assert_eq!(shortened("Haqqani", 7), "Haqqani");
        assert_eq!(shortened("Haqqani", 3), "Haq…");
        assert_eq!(shortened("€€€€", 2), "€€…");
        assert_eq!(shortened("", 0), "");
    }

    #[test]
    fn lines_break_after_spaces_and_keep_every_character() {
        let text = "one two three four\nfive six";
        let lines: Vec<&str> = wrap_lines(text, 9).into_iter().map(|r| &text[r]).collect();
        assert_eq!(lines, ["one two ", "three ", "four", "five six"]);
        let long = "x".repeat(20);
        let lines: Vec<&str> = wrap_lines(&long, 8).into_iter().map(|r| &long[r]).collect();
        assert_eq!(lines, ["xxxxxxxx", "xxxxxxxx", "xxxx"]);
    }
}
