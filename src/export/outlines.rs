//! Text as paths, in the font the window and the PNG draw with (egui's proportional font,
//! Ubuntu Light), laid out as egui lays out one line: each glyph's advance at the font size
//! in points, no kerning, the baseline one ascent below the top of the row. An SVG whose
//! labels are outlines looks the same in every viewer, with or without that font installed.

use std::fmt::Write as _;

use egui::{Align, Align2, Pos2};

/// The font's outlines and metrics.
pub struct OutlineFont {
    data: std::sync::Arc<egui::FontData>,
}

/// Why the font could not be read (it is egui's own, so this means a broken build).
#[derive(Debug, thiserror::Error)]
#[error("egui's proportional font could not be read for outlines: {0}")]
pub struct OutlineFontError(String);

impl OutlineFont {
    /// egui's first proportional font: the one the PNG's labels are drawn in.
    pub fn egui_proportional() -> Result<Self, OutlineFontError> {
        let definitions = egui::FontDefinitions::default();
        let name = definitions
            .families
            .get(&egui::FontFamily::Proportional)
            .and_then(|names| names.first())
            .ok_or_else(|| OutlineFontError("no proportional family".to_owned()))?;
        let data = definitions
            .font_data
            .get(name)
            .cloned()
            .ok_or_else(|| OutlineFontError(format!("no data for {name}")))?;
        ttf_parser::Face::parse((*data.font).as_ref(), data.index)
            .map_err(|error| OutlineFontError(error.to_string()))?;
        Ok(Self { data })
    }

    fn face(&self) -> Option<ttf_parser::Face<'_>> {
        ttf_parser::Face::parse((*self.data.font).as_ref(), self.data.index).ok()
    }

    /// The width of `text` at `size_pt`, as egui lays it out.
    pub fn width(&self, text: &str, size_pt: f32) -> f32 {
        let Some(face) = self.face() else {
            return 0.0;
        };
        let scale = size_pt / f32::from(face.units_per_em());
        text.chars()
            .filter_map(|c| face.glyph_hor_advance(face.glyph_index(c).unwrap_or_default()))
            .map(|advance| f32::from(advance) * scale)
            .sum()
    }

    /// The path data (`d`) of one line of `text` at `size_pt`, placed as egui's painter
    /// places a galley at `anchor` with `align`.
    pub fn text_path(&self, text: &str, size_pt: f32, anchor: Pos2, align: Align2) -> String {
        let Some(face) = self.face() else {
            return String::new();
        };
        let scale = size_pt / f32::from(face.units_per_em());
        // egui rounds the row's metrics to its UI grid (1/32 point); close enough to ignore.
        let ascent = f32::from(face.ascender()) * scale;
        let row_height = (f32::from(face.ascender()) - f32::from(face.descender())
            + f32::from(face.line_gap()))
            * scale;
        let glyphs: Vec<(Option<ttf_parser::GlyphId>, f32)> = text
            .chars()
            .map(|c| {
                let glyph = face.glyph_index(c);
                let advance = glyph
                    .or(Some(ttf_parser::GlyphId(0)))
                    .and_then(|id| face.glyph_hor_advance(id))
                    .map_or(0.0, |a| f32::from(a) * scale);
                (glyph, advance)
            })
            .collect();
        let width: f32 = glyphs.iter().map(|(_, advance)| advance).sum();
        let left = match align.x() {
            Align::Min => anchor.x,
            Align::Center => anchor.x - width / 2.0,
            Align::Max => anchor.x - width,
        };
        let top = match align.y() {
            Align::Min => anchor.y,
            Align::Center => anchor.y - row_height / 2.0,
            Align::Max => anchor.y - row_height,
        };
        let mut path = PathWriter {
            out: String::new(),
            origin: [left, top + ascent],
            scale,
        };
        for (glyph, advance) in glyphs {
            if let Some(glyph) = glyph {
                face.outline_glyph(glyph, &mut path);
            }
            path.origin[0] += advance;
        }
        path.out
    }
}

/// Writes glyph outlines as SVG path commands in picture points (font units scaled, y down).
struct PathWriter {
    out: String,
    origin: [f32; 2],
    scale: f32,
}

impl PathWriter {
    fn point(&mut self, x: f32, y: f32) {
        let _ = write!(
            self.out,
            "{} {} ",
            short(self.origin[0] + x * self.scale),
            short(self.origin[1] - y * self.scale)
        );
    }
}

impl ttf_parser::OutlineBuilder for PathWriter {
    fn move_to(&mut self, x: f32, y: f32) {
        self.out.push('M');
        self.point(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.out.push('L');
        self.point(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.out.push('Q');
        self.point(x1, y1);
        self.point(x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.out.push('C');
        self.point(x1, y1);
        self.point(x2, y2);
        self.point(x, y);
    }

    fn close(&mut self) {
        self.out.push('Z');
    }
}

/// A coordinate with at most two decimals and no trailing zeros.
fn short(value: f32) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_of_text_becomes_closed_outlines_where_egui_would_put_it() {
        let font = OutlineFont::egui_proportional().unwrap();
        let d = font.text_path("Hi", 12.0, Pos2::new(100.0, 50.0), Align2::LEFT_TOP);
        // "H" is two stems and a bar, one closed contour; "i" a stem and a dot.
        assert!(d.starts_with('M'), "{d}");
        assert_eq!(d.matches('Z').count(), 3, "{d}");
        let numbers: Vec<f32> = d
            .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let (xs, ys): (Vec<f32>, Vec<f32>) =
            numbers.chunks(2).map(|pair| (pair[0], pair[1])).unzip();
        // Within the row egui would lay out: right of the anchor, below it, about 12 points.
        assert!(xs.iter().all(|&x| (100.0..120.0).contains(&x)), "{xs:?}");
        assert!(ys.iter().all(|&y| (50.0..66.0).contains(&y)), "{ys:?}");
        let height = ys.iter().copied().fold(f32::MIN, f32::max)
            - ys.iter().copied().fold(f32::MAX, f32::min);
        assert!((7.0..11.0).contains(&height), "cap height {height}");
    }
}
