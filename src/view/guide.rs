//! Help ▸ User Guide: `docs/guide.md`, bundled into the binary so that it
//! reads offline (a locked-down desktop may have no browser, no network and
//! no docs folder), with its pictures.

use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

/// The guide as the repository holds it.
pub const GUIDE: &str = include_str!("../../docs/guide.md");

/// The pictures the guide shows, by file name under `assets/`.
const PICTURES: [(&str, &[u8]); 9] = [
    (
        "guide-capture-form.png",
        include_bytes!("../../assets/guide-capture-form.png"),
    ),
    (
        "guide-capture.png",
        include_bytes!("../../assets/guide-capture.png"),
    ),
    (
        "guide-details.png",
        include_bytes!("../../assets/guide-details.png"),
    ),
    (
        "guide-filters.png",
        include_bytes!("../../assets/guide-filters.png"),
    ),
    (
        "guide-communities.png",
        include_bytes!("../../assets/guide-communities.png"),
    ),
    (
        "communities.png",
        include_bytes!("../../assets/communities.png"),
    ),
    (
        "components.png",
        include_bytes!("../../assets/components.png"),
    ),
    (
        "no-evidence.png",
        include_bytes!("../../assets/no-evidence.png"),
    ),
    ("explore.png", include_bytes!("../../assets/explore.png")),
];

/// Symbols the guide uses that the fonts bundled with egui lack, written
/// plainly: a desktop without system fonts would show boxes for them.
const PLAIN_SYMBOLS: [(char, &str); 4] = [('→', "->"), ('−', "-"), ('▸', ">"), ('⌘', "Cmd")];

/// The guide window's width where the screen has room: a comfortable line.
const GUIDE_WIDTH: f32 = 760.0;

/// Where the guide's pictures are served from inside the app.
const PICTURE_URI: &str = "bytes://guide/";

/// The guide window's state: the parsed text, kept between frames.
#[derive(Default)]
pub struct GuideState {
    cache: CommonMarkCache,
    /// The guide with its pictures pointing into the binary; built (and
    /// the pictures handed to egui) when first shown.
    text: Option<String>,
}

impl GuideState {
    fn text(&mut self, ctx: &egui::Context) -> &str {
        self.text.get_or_insert_with(|| {
            for (name, bytes) in PICTURES {
                ctx.include_bytes(format!("{PICTURE_URI}{name}"), bytes);
            }
            let mut text = GUIDE.replace("](../assets/", &format!("]({PICTURE_URI}"));
            for (symbol, plain) in PLAIN_SYMBOLS {
                text = text.replace(symbol, plain);
            }
            text
        })
    }
}

/// The User Guide window; false once the user closed it.
pub fn guide_window_ui(ctx: &egui::Context, state: &mut GuideState) -> bool {
    let mut open = true;
    let room = super::fit::free_rect(ctx);
    let width = room.width().min(GUIDE_WIDTH);
    egui::Window::new("User Guide")
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_size([width, (room.height() - 40.0).max(200.0)])
        // Long code lines would otherwise widen the window past the text.
        .max_width(width)
        .max_height(room.height())
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| {
                    let text = state.text(ui.ctx()).to_owned();
                    // Pictures as wide as the text, never wider: a wide
                    // screenshot would otherwise widen the window.
                    let picture_width = ui.available_width().min(width).max(100.0);
                    CommonMarkViewer::new()
                        .max_image_width(Some(picture_width as usize))
                        .show(ui, &mut state.cache, &text);
                });
        });
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every picture the guide names is bundled, so none shows broken.
    #[test]
    fn every_picture_of_the_guide_is_bundled() {
        let named: Vec<&str> = GUIDE
            .split("](../assets/")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
            .collect();
        assert!(!named.is_empty());
        for name in named {
            assert!(
                PICTURES.iter().any(|(bundled, _)| *bundled == name),
                "the guide shows {name}, which is not bundled"
            );
        }
    }
}
