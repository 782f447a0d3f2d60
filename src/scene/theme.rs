//! Every colour and shape choice in one place, so the legend, the canvas and
//! the panels agree.

use egui::Color32;

use super::instances::NodeShape;
use crate::model::EntityKind;

/// How one kind of entity is drawn.
#[derive(Clone, Copy, Debug)]
pub struct KindStyle {
    pub label: &'static str,
    pub shape: NodeShape,
    pub fill: Color32,
}

pub const KIND_STYLES: [(EntityKind, KindStyle); 4] = [
    (
        EntityKind::Actor,
        KindStyle {
            label: "Actor",
            shape: NodeShape::Circle,
            fill: Color32::from_rgb(66, 133, 244),
        },
    ),
    (
        EntityKind::Organization,
        KindStyle {
            label: "Organization",
            shape: NodeShape::RoundedSquare,
            fill: Color32::from_rgb(242, 153, 0),
        },
    ),
    (
        EntityKind::Event,
        KindStyle {
            label: "Event",
            shape: NodeShape::Diamond,
            fill: Color32::from_rgb(219, 68, 85),
        },
    ),
    (
        EntityKind::Other,
        KindStyle {
            label: "Other",
            shape: NodeShape::Triangle,
            fill: Color32::from_rgb(150, 150, 160),
        },
    ),
];

/// Colours of the largest communities (View > Colour by Community), in
/// order: distinct hues of similar weight, readable on both themes. Smaller
/// communities share [`COMMUNITY_OTHER`].
pub const COMMUNITY_COLOURS: [Color32; 12] = [
    Color32::from_rgb(31, 119, 180),
    Color32::from_rgb(255, 127, 14),
    Color32::from_rgb(44, 160, 44),
    Color32::from_rgb(214, 39, 40),
    Color32::from_rgb(148, 103, 189),
    Color32::from_rgb(140, 86, 75),
    Color32::from_rgb(227, 119, 194),
    Color32::from_rgb(188, 189, 34),
    Color32::from_rgb(23, 190, 207),
    Color32::from_rgb(174, 199, 232),
    Color32::from_rgb(255, 187, 120),
    Color32::from_rgb(152, 223, 138),
];

/// The colour shared by every community past [`COMMUNITY_COLOURS`].
pub const COMMUNITY_OTHER: Color32 = Color32::from_rgb(127, 127, 127);

pub fn kind_style(kind: EntityKind) -> KindStyle {
    KIND_STYLES
        .iter()
        .find(|(candidate, _)| *candidate == kind)
        .map_or(KIND_STYLES[3].1, |(_, style)| *style)
}

/// The canvas's colours in one theme: the window, PNG and SVG exports all
/// draw with the palette of the chosen theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub background: Color32,
    pub node_outline: Color32,
    pub edge: Color32,
    /// Warning colour of an unsupported relation, for the evidence overlay.
    pub edge_unsupported: Color32,
    /// An unsupported relation outside the overlay: told apart from the
    /// supported grey by a warmer hue, not by alarm.
    pub edge_unsupported_quiet: Color32,
    /// A disputed relation (every excerpt it cites contradicts it): a
    /// magenta apart from the unsupported amber, dashed in the overlay.
    pub edge_disputed: Color32,
    /// A disputed relation outside the overlay: the same hue, quieter.
    pub edge_disputed_quiet: Color32,
    pub label: Color32,
    pub label_background: Color32,
    pub highlight: Color32,
    pub selected: Color32,
    pub neighbour_edge: Color32,
    /// A traced path, drawn over the graph.
    pub trace: Color32,
    /// The outline of entities that Find marks on the canvas.
    pub found: Color32,
    /// What filters grey out: a node's fill and a relation's line.
    pub dimmed_node: Color32,
    pub dimmed_edge: Color32,
    /// The timeline's bars and the brush over them.
    pub timeline_entities: Color32,
    pub timeline_relations: Color32,
    pub timeline_brush: Color32,
}

/// Dark for the screen, light for print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

impl Theme {
    pub fn palette(self) -> &'static Palette {
        match self {
            Self::Dark => &DARK,
            Self::Light => &LIGHT,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Dark => "dark",
            Self::Light => "light",
        }
    }
}

pub const DARK: Palette = Palette {
    background: CANVAS_BACKGROUND,
    node_outline: NODE_OUTLINE,
    edge: EDGE,
    edge_unsupported: EDGE_UNSUPPORTED,
    edge_unsupported_quiet: Color32::from_rgba_premultiplied(136, 120, 88, 150),
    edge_disputed: Color32::from_rgba_premultiplied(215, 60, 190, 220),
    edge_disputed_quiet: Color32::from_rgba_premultiplied(150, 60, 135, 170),
    label: LABEL,
    label_background: LABEL_BACKGROUND,
    highlight: HIGHLIGHT,
    selected: SELECTED,
    neighbour_edge: NEIGHBOUR_EDGE,
    trace: Color32::from_rgb(70, 225, 150),
    found: FOUND,
    dimmed_node: Color32::from_rgb(62, 65, 74),
    dimmed_edge: Color32::from_rgba_premultiplied(40, 43, 50, 110),
    timeline_entities: Color32::from_rgb(66, 133, 244),
    timeline_relations: Color32::from_rgb(150, 160, 180),
    timeline_brush: Color32::from_rgba_premultiplied(70, 64, 25, 70),
};

/// For print: white paper, dark ink, the same kind colours.
pub const LIGHT: Palette = Palette {
    background: Color32::from_rgb(255, 255, 255),
    node_outline: Color32::from_rgb(255, 255, 255),
    edge: Color32::from_rgba_premultiplied(60, 66, 80, 150),
    edge_unsupported: Color32::from_rgba_premultiplied(150, 100, 0, 200),
    edge_unsupported_quiet: Color32::from_rgba_premultiplied(112, 92, 58, 150),
    edge_disputed: Color32::from_rgba_premultiplied(180, 0, 140, 220),
    edge_disputed_quiet: Color32::from_rgba_premultiplied(130, 30, 110, 170),
    label: Color32::from_rgb(20, 22, 28),
    label_background: Color32::from_rgba_premultiplied(240, 240, 240, 200),
    highlight: Color32::from_rgb(230, 150, 0),
    selected: Color32::from_rgb(0, 0, 0),
    neighbour_edge: Color32::from_rgb(210, 120, 0),
    trace: Color32::from_rgb(0, 140, 80),
    found: Color32::from_rgb(0, 140, 120),
    dimmed_node: Color32::from_rgb(218, 220, 226),
    dimmed_edge: Color32::from_rgba_premultiplied(94, 95, 97, 120),
    timeline_entities: Color32::from_rgb(50, 110, 220),
    timeline_relations: Color32::from_rgb(110, 116, 130),
    timeline_brush: Color32::from_rgba_premultiplied(80, 50, 0, 60),
};

pub const CANVAS_BACKGROUND: Color32 = Color32::from_rgb(24, 26, 32);
pub const NODE_OUTLINE: Color32 = Color32::from_rgb(20, 20, 24);
pub const EDGE: Color32 = Color32::from_rgba_premultiplied(120, 130, 150, 150);
pub const EDGE_UNSUPPORTED: Color32 = Color32::from_rgba_premultiplied(200, 170, 90, 200);
pub const HIGHLIGHT: Color32 = Color32::from_rgb(255, 230, 90);
pub const SELECTED: Color32 = Color32::from_rgb(255, 255, 255);
pub const NEIGHBOUR_EDGE: Color32 = Color32::from_rgb(250, 210, 120);
pub const FOUND: Color32 = Color32::from_rgb(80, 235, 200);
/// Behind the phrase in a Find result's excerpt.
pub const FOUND_BACKGROUND: Color32 = Color32::from_rgba_premultiplied(40, 110, 95, 200);
pub const LABEL: Color32 = Color32::from_rgb(230, 232, 238);
pub const LABEL_BACKGROUND: Color32 = Color32::from_rgba_premultiplied(16, 18, 22, 190);

/// egui's look for a theme, with every text colour readable on the panels
/// and windows it is drawn on (WCAG AA, 4.5:1): egui's own light theme
/// draws warnings in orange and weak text in light grey on near-white.
pub fn visuals(theme: Theme) -> egui::Visuals {
    match theme {
        Theme::Dark => egui::Visuals {
            warn_fg_color: Color32::from_rgb(240, 190, 90),
            error_fg_color: Color32::from_rgb(255, 120, 120),
            weak_text_color: Some(Color32::from_gray(150)),
            ..egui::Visuals::dark()
        },
        Theme::Light => egui::Visuals {
            warn_fg_color: Color32::from_rgb(145, 78, 0),
            error_fg_color: Color32::from_rgb(185, 20, 20),
            weak_text_color: Some(Color32::from_gray(100)),
            hyperlink_color: Color32::from_rgb(0, 88, 170),
            ..egui::Visuals::light()
        },
    }
}

/// Premultiplied RGBA packed the way the GPU renderer reads it.
pub fn packed(color: Color32) -> u32 {
    u32::from_le_bytes(color.to_array())
}

/// A packed colour that draws nothing: how the scene marks a hidden item
/// (see `scene::GraphScene::styled`), and how the renderer can cull it.
pub const HIDDEN: u32 = 0;

/// Whether a packed colour is fully transparent.
pub fn is_transparent(packed: u32) -> bool {
    packed >> 24 == 0
}

/// Node radius in world units: hubs are bigger, but not overwhelmingly.
pub fn node_radius(degree: usize) -> f32 {
    1.4 + (degree as f32).sqrt() * 0.45
}

/// WCAG 2.x relative luminance of an opaque sRGB colour.
pub fn relative_luminance(colour: Color32) -> f64 {
    let channel = |value: u8| {
        let value = f64::from(value) / 255.0;
        if value <= 0.039_28 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(colour.r()) + 0.7152 * channel(colour.g()) + 0.0722 * channel(colour.b())
}

/// WCAG 2.x contrast ratio of two opaque colours (1 to 21).
pub fn contrast_ratio(first: Color32, second: Color32) -> f64 {
    let (a, b) = (relative_luminance(first), relative_luminance(second));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contrast formula checked against WCAG's own worked values:
    /// black on white is 21:1, and #767676 on white is the AA limit 4.54.
    #[test]
    fn contrast_ratio_matches_wcag() {
        assert!((contrast_ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
        let grey = Color32::from_rgb(0x76, 0x76, 0x76);
        assert!((contrast_ratio(grey, Color32::WHITE) - 4.54).abs() < 0.01);
    }

    /// Every text colour of both themes on the panels, windows and text
    /// fields it is drawn on: WCAG AA for normal text is 4.5:1.
    #[test]
    fn both_themes_meet_wcag_aa_for_text() {
        for theme in [Theme::Dark, Theme::Light] {
            let visuals = visuals(theme);
            let texts = [
                ("text", visuals.text_color()),
                ("weak text", visuals.weak_text_color()),
                ("warning", visuals.warn_fg_color),
                ("error", visuals.error_fg_color),
                ("link", visuals.hyperlink_color),
            ];
            let fills = [
                ("panel", visuals.panel_fill),
                ("window", visuals.window_fill),
                ("text field", visuals.text_edit_bg_color()),
            ];
            for (text_name, text) in texts {
                for (fill_name, fill) in fills {
                    let ratio = contrast_ratio(text, fill);
                    assert!(
                        ratio >= 4.5,
                        "{theme:?}: {text_name} on {fill_name} is {ratio:.2}:1"
                    );
                }
            }
        }
    }
}
