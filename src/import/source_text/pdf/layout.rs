//! A page's text laid out from the characters pdf-extract reports, with
//! their positions: a line break where the baseline moves, a blank line
//! where it moves by more than a line's height (a paragraph's gap), a space
//! where the pen jumps ahead. pdf-extract's own `PlainTextOutput` writes a
//! blank line after every line of a paragraph, which hides the paragraphs.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// A baseline move over this many font sizes starts a paragraph. Body
/// text is set at 1.0–1.6; a paragraph adds a gap of about one line.
const PARAGRAPH_GAP: f64 = 1.9;
/// A baseline move over this many font sizes is a new line, not a
/// superscript.
const LINE_GAP: f64 = 0.5;
/// A jump of the pen over this many font sizes is a space between words.
const WORD_GAP: f64 = 0.1;

#[derive(Default)]
pub(super) struct PageText {
    pub text: String,
    last: Option<Pen>,
}

/// Where the last character ended, in device space.
#[derive(Clone, Copy)]
struct Pen {
    x_end: f64,
    y: f64,
    size: f64,
}

impl PageText {
    fn push_break(&mut self, paragraph: bool) {
        self.text.truncate(self.text.trim_end_matches(' ').len());
        self.text.push_str(if paragraph { "\n\n" } else { "\n" });
    }
}

impl OutputDev for PageText {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        // The text rendering matrix places the glyph: its origin, and the
        // font size as drawn (the side of a square of the same area).
        let (x, y) = (trm.m31, trm.m32);
        let drawn = (font_size * (trm.m11 + trm.m21) * font_size * (trm.m12 + trm.m22))
            .abs()
            .sqrt();
        let size = if drawn.is_finite() && drawn > 0.0 {
            drawn
        } else {
            1.0
        };
        if let Some(last) = self.last {
            let line = last.size.max(size);
            let rise = (y - last.y).abs();
            if rise > line * LINE_GAP {
                self.push_break(rise > line * PARAGRAPH_GAP);
            } else if x > last.x_end + size * WORD_GAP && !self.text.ends_with([' ', '\n']) {
                self.text.push(' ');
            }
        }
        for c in text.chars() {
            match c {
                ' ' if self.text.is_empty() || self.text.ends_with([' ', '\n']) => {}
                // Broken font maps give control codes; they are not text.
                c if c.is_control() => {}
                c => push_unligated(&mut self.text, c),
            }
        }
        if x.is_finite() && y.is_finite() {
            self.last = Some(Pen {
                x_end: x + width * size,
                y,
                size,
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Typesetters draw "ff", "fi", "fl" as one glyph, which a font maps to a
/// ligature character (U+FB00–FB06): spelled out, so that a search for
/// "Affairs" finds it (as poppler's pdftotext does).
fn push_unligated(text: &mut String, c: char) {
    let spelled = match c {
        '\u{fb00}' => "ff",
        '\u{fb01}' => "fi",
        '\u{fb02}' => "fl",
        '\u{fb03}' => "ffi",
        '\u{fb04}' => "ffl",
        '\u{fb05}' | '\u{fb06}' => "st",
        c => {
            text.push(c);
            return;
        }
    };
    text.push_str(spelled);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A glyph `text` at (x, y) in a 10-point font, 0.5 em wide.
    fn draw(page: &mut PageText, x: f64, y: f64, text: &str) {
        let trm = Transform::row_major(10.0, 0.0, 0.0, 10.0, x, y);
        page.output_character(&trm, 0.5, 0.0, 1.0, text).unwrap();
    }

    #[test]
    fn lines_words_and_paragraphs_come_from_positions() {
        let mut page = PageText::default();
        draw(&mut page, 0.0, 700.0, "A");
        draw(&mut page, 5.0, 700.0, "b"); // touching: same word
        draw(&mut page, 14.0, 700.0, "c"); // 4 points on: a space
        draw(&mut page, 0.0, 686.0, "d"); // 1.4 lines down: a new line
        draw(&mut page, 0.0, 660.0, "e"); // 2.6 lines down: a paragraph
        draw(&mut page, 5.0, 663.0, "2"); // a superscript stays on the line
        assert_eq!(page.text, "Ab c\nd\n\ne2");
    }

    #[test]
    fn ligatures_are_spelled_out_and_control_codes_dropped() {
        let mut page = PageText::default();
        draw(&mut page, 0.0, 700.0, "A\u{fb00}airs\u{0}");
        assert_eq!(page.text, "Affairs");
    }
}
