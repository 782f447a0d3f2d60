//! A window for a long text (an excerpt or a description of up to a
//! megabyte): the text is cut into lines once, and only the lines on screen
//! are laid out each frame.

use std::ops::Range;

use egui::{RichText, TextStyle};

use super::text::wrap_lines;

/// Characters per line of the viewer.
const LINE_CHARS: usize = 90;
/// The viewer's size until the user changes it (points).
const DEFAULT_SIZE: [f32; 2] = [700.0, 520.0];

pub struct TextViewer {
    title: String,
    text: String,
    lines: Vec<Range<usize>>,
    chars: usize,
    /// A note above the text (it was cut, and how big it is whole).
    note: Option<String>,
}

impl TextViewer {
    pub fn new(title: String, text: String, note: Option<String>) -> Self {
        let lines = wrap_lines(&text, LINE_CHARS);
        Self {
            title,
            chars: text.chars().count(),
            text,
            lines,
            note,
        }
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }
}

/// Shows the viewer; false once the user closed it.
pub fn text_viewer_ui(ctx: &egui::Context, viewer: &TextViewer) -> bool {
    let mut open = true;
    // Between the menu bar and the status bar; the rows scroll inside, so
    // the window's own scrolling stays off.
    super::fit::fit_window(
        egui::Window::new(RichText::new(&viewer.title))
            .id(egui::Id::unique("text_viewer"))
            .open(&mut open)
            .default_size(DEFAULT_SIZE)
            .collapsible(false),
        ctx,
    )
    .vscroll(false)
    .show(ctx, |ui| {
        if let Some(note) = &viewer.note {
            ui.colored_label(ui.visuals().warn_fg_color, note);
        }
        ui.label(
            RichText::new(format!(
                "{} characters, {} lines",
                viewer.chars,
                viewer.lines.len()
            ))
            .weak(),
        );
        ui.separator();
        let row_height = ui.text_style_height(&TextStyle::Body);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, viewer.lines.len(), |ui, rows| {
                for line in &viewer.lines[rows] {
                    ui.add(
                        egui::Label::new(&viewer.text[line.clone()])
                            .wrap_mode(egui::TextWrapMode::Truncate),
                    );
                }
            });
    });
    open
}
