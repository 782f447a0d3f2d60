//! One description of a picture of the graph, drawn by two consumers: the
//! window and PNG exports paint it with egui and the GPU renderer
//! (`view::paint`); SVG exports write it as vectors (`export::svg`). Labels,
//! legend, highlights and colours are decided once, here, so an export
//! cannot drift from the screen.

use std::borrow::Cow;
use std::sync::Arc;

use egui::{Color32, Pos2, Rect, Vec2};

use super::GraphScene;
use super::edge_style::EvidenceMode;
use super::instances::{self, Camera, GraphFrame, NodeShape};
use super::labels::{LabelPlacer, label_text};
use super::theme::{self, Palette, Theme};
use crate::model::{Graph, NodeIx};

/// Size of label text, in points.
pub const LABEL_FONT_PT: f32 = 11.5;
/// Size of legend, title and footer text, in points.
pub const LEGEND_FONT_PT: f32 = 12.0;
pub const TITLE_FONT_PT: f32 = 18.0;
pub const FOOTER_FONT_PT: f32 = 10.5;
const LEGEND_ROW_PT: f32 = 18.0;
/// Room between the picture's edge and the legend, title and footer.
pub const INSET_PT: f32 = 10.0;

/// A node's name placed on the picture.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawLabel<'a> {
    pub node: NodeIx,
    /// The box behind the text, in points.
    pub rect: Rect,
    pub text: Cow<'a, str>,
}

/// Everything one picture of the graph shows.
#[derive(Clone)]
pub struct DrawList<'a> {
    /// The picture's rectangle, in points (the canvas, or the export).
    pub viewport: Rect,
    pub theme: Theme,
    /// Paint the theme's background (false: transparent).
    pub background: bool,
    /// Nodes, edges and highlights, with the camera: what the GPU draws.
    pub graph: GraphFrame,
    pub labels: Vec<DrawLabel<'a>>,
    pub legend: bool,
    /// The colours of the communities, when nodes are coloured by them: the
    /// legend lists these in place of the kinds.
    pub node_legend: Option<Arc<Vec<(String, Color32)>>>,
    /// How evidence shows on the edges: the legend's relation rows follow.
    pub evidence: EvidenceMode,
    /// Some relation is disputed: the legend gets a row for it.
    pub disputed: bool,
    pub title: Option<String>,
    /// Lines at the bottom: the documents behind the visible edges.
    pub footer: Vec<String>,
}

impl DrawList<'_> {
    pub fn palette(&self) -> &'static Palette {
        self.theme.palette()
    }

    /// The legend's rows, when it has one.
    pub fn legend_rows(&self) -> Option<Vec<LegendRow>> {
        self.legend.then(|| {
            legend_rows(
                self.palette(),
                self.evidence,
                self.disputed,
                self.node_legend.as_deref().map(Vec::as_slice),
            )
        })
    }
}

/// Places labels for `frame` the way the canvas does (the biggest nodes
/// first, where they fit), with `always` labelled whatever their size.
pub fn place_labels<'a>(
    placer: &mut LabelPlacer,
    graph: &'a Graph,
    scene: &GraphScene,
    frame: &GraphFrame,
    viewport: Rect,
    always: &[NodeIx],
) -> Vec<DrawLabel<'a>> {
    placer.place(
        &scene.label_order,
        always,
        &frame.positions,
        |node| scene.node_radius(node),
        |node| graph.node_name(node).chars().count(),
        &frame.camera,
        viewport,
    );
    placer
        .placed
        .iter()
        .map(|label| DrawLabel {
            node: label.node,
            rect: label.rect,
            text: label_text(graph.node_name(label.node)),
        })
        .collect()
}

/// Where the footer starts: right of the legend when there is one.
pub fn footer_left(list: &DrawList<'_>) -> f32 {
    footer_left_in(list.viewport, list.legend_rows().as_deref())
}

fn footer_left_in(viewport: Rect, legend: Option<&[LegendRow]>) -> f32 {
    match legend {
        Some(rows) => legend_rect(viewport, rows).right() + INSET_PT * 2.0,
        None => viewport.left() + INSET_PT,
    }
}

/// A generous width of one footer character, in points: wider than the
/// average glyph of the proportional font, so wrapped lines fit in the PNG
/// and in the SVG (whose viewer may pick another font) alike.
const FOOTER_CHAR_PT: f32 = FOOTER_FONT_PT * 0.6;

/// `lines` broken at spaces so that each fits between the footer's left
/// edge and the picture's right edge; a continuation is indented. A word
/// longer than a line (a long URL) is cut where the line ends. Done when
/// the list is built, so the screen, the PNG and the SVG show the same lines.
pub fn wrap_footer(
    lines: Vec<String>,
    viewport: Rect,
    legend: Option<&[LegendRow]>,
) -> Vec<String> {
    const INDENT: &str = "    ";
    let width = viewport.right() - INSET_PT - footer_left_in(viewport, legend);
    let columns = ((width / FOOTER_CHAR_PT) as usize).max(INDENT.len() + 8);
    let mut wrapped = Vec::with_capacity(lines.len());
    for line in lines {
        let mut current = String::new();
        let mut current_chars = 0;
        for word in line.split(' ') {
            let mut word: Vec<char> = word.chars().collect();
            loop {
                let room = columns - current_chars;
                let space = usize::from(current_chars > 0 && !current.ends_with(INDENT));
                if word.len() + space <= room {
                    if space == 1 {
                        current.push(' ');
                    }
                    current.extend(&word);
                    current_chars += word.len() + space;
                    break;
                }
                if current.trim().is_empty() {
                    // Not even a fresh line holds the word: cut it.
                    let (head, tail) = word.split_at(room);
                    current.extend(head);
                    wrapped.push(std::mem::take(&mut current));
                    word = tail.to_vec();
                } else {
                    wrapped.push(std::mem::take(&mut current));
                }
                current.push_str(INDENT);
                current_chars = INDENT.len();
            }
        }
        wrapped.push(current);
    }
    wrapped
}

/// One row of the legend: a node kind or a community, or an edge style.
pub enum LegendRow {
    Kind {
        label: &'static str,
        shape: NodeShape,
        fill: Color32,
    },
    /// Nodes of one colour (a community), drawn as circles.
    Group { label: String, fill: Color32 },
    Edge {
        label: &'static str,
        color: Color32,
        dashed: bool,
    },
    /// A line of text without a swatch.
    Note { label: &'static str },
}

/// The legend's rows, in order: the node kinds (or the `groups` the nodes
/// are coloured by, as the window's legend lists them), then the relations
/// as `evidence` draws them, with a row for disputed ones when some
/// relation is (`disputed`).
pub fn legend_rows(
    palette: &Palette,
    evidence: EvidenceMode,
    disputed: bool,
    groups: Option<&[(String, Color32)]>,
) -> Vec<LegendRow> {
    let mut rows: Vec<LegendRow> = match groups {
        Some(groups) => groups
            .iter()
            .map(|(label, fill)| LegendRow::Group {
                label: label.clone(),
                fill: *fill,
            })
            .collect(),
        None => theme::KIND_STYLES
            .iter()
            .map(|(_, style)| LegendRow::Kind {
                label: style.label,
                shape: style.shape,
                fill: style.fill,
            })
            .collect(),
    };
    match evidence {
        EvidenceMode::NoEvidence => {
            rows.push(LegendRow::Edge {
                label: "Relation",
                color: palette.edge,
                dashed: false,
            });
            rows.push(LegendRow::Note {
                label: "No evidence in this file",
            });
        }
        EvidenceMode::Quiet | EvidenceMode::Overlay => {
            let overlay = evidence == EvidenceMode::Overlay;
            rows.push(LegendRow::Edge {
                label: "Supported relation",
                color: palette.edge,
                dashed: false,
            });
            rows.push(LegendRow::Edge {
                label: "Unsupported relation",
                color: if overlay {
                    palette.edge_unsupported
                } else {
                    palette.edge_unsupported_quiet
                },
                dashed: overlay,
            });
            if disputed {
                rows.push(LegendRow::Edge {
                    label: "Disputed relation",
                    color: if overlay {
                        palette.edge_disputed
                    } else {
                        palette.edge_disputed_quiet
                    },
                    dashed: overlay,
                });
            }
        }
    }
    rows
}

/// The legend's box for `rows`, in the picture's bottom-left corner: 150
/// points wide, which holds the kinds and the relations' rows, or wider for
/// longer communities' labels (a generous width per character, as the
/// footer's, so it holds in the PNG and in an SVG viewer's font alike).
pub fn legend_rect(viewport: Rect, rows: &[LegendRow]) -> Rect {
    let longest = rows
        .iter()
        .filter(|row| matches!(row, LegendRow::Group { .. }))
        .map(|row| row.label().chars().count())
        .max()
        .unwrap_or(0);
    let width = (38.0 + longest as f32 * LEGEND_FONT_PT * 0.55).max(150.0);
    let height = rows.len() as f32 * LEGEND_ROW_PT + 8.0;
    Rect::from_min_size(
        Pos2::new(
            viewport.left() + INSET_PT,
            viewport.bottom() - INSET_PT - height,
        ),
        Vec2::new(width, height),
    )
}

impl LegendRow {
    pub fn label(&self) -> &str {
        match self {
            Self::Kind { label, .. } | Self::Edge { label, .. } | Self::Note { label } => label,
            Self::Group { label, .. } => label,
        }
    }
}

/// The centre of legend row `index`'s swatch, and where its text starts.
pub fn legend_row_anchor(frame: Rect, index: usize) -> (Pos2, Pos2) {
    let y = frame.top() + 4.0 + LEGEND_ROW_PT / 2.0 + index as f32 * LEGEND_ROW_PT;
    (
        Pos2::new(frame.left() + 16.0, y),
        Pos2::new(frame.left() + 30.0, y),
    )
}

/// The corners of a node shape of `radius` around `center`, for polygon
/// shapes (None for the circle); shared by the legend and SVG.
pub fn shape_polygon(shape: NodeShape, center: Pos2, radius: f32) -> Option<Vec<Pos2>> {
    match shape {
        NodeShape::Circle => None,
        NodeShape::RoundedSquare => {
            let half = radius * instances::look::SQUARE_HALF;
            Some(vec![
                center + Vec2::new(-half, -half),
                center + Vec2::new(half, -half),
                center + Vec2::new(half, half),
                center + Vec2::new(-half, half),
            ])
        }
        NodeShape::Diamond => {
            let tip = radius * instances::SHAPE_EXTENT;
            Some(vec![
                center + Vec2::new(0.0, -tip),
                center + Vec2::new(tip, 0.0),
                center + Vec2::new(0.0, tip),
                center + Vec2::new(-tip, 0.0),
            ])
        }
        NodeShape::Triangle => {
            // Point up, the inradius as the GPU draws it.
            let inradius = radius * instances::look::TRIANGLE_INRADIUS;
            let half_side = inradius * 3.0_f32.sqrt();
            Some(vec![
                center + Vec2::new(0.0, -2.0 * inradius),
                center + Vec2::new(half_side, inradius),
                center + Vec2::new(-half_side, inradius),
            ])
        }
    }
}

/// The camera that shows the whole graph in a picture of `viewport`.
pub fn whole_graph_camera(scene: &GraphScene, positions: &[[f32; 2]], viewport: Rect) -> Camera {
    super::camera::fit_camera(scene.world_bounds(positions), viewport)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footer_lines_wrap_at_spaces_and_cut_words_longer_than_a_line() {
        let viewport = Rect::from_min_size(Pos2::ZERO, Vec2::new(200.0, 100.0));
        let columns = ((200.0 - 2.0 * INSET_PT) / FOOTER_CHAR_PT) as usize;
        let long = format!("[1] {} end", "word ".repeat(20).trim_end());
        let url = "x".repeat(columns * 2);
        let wrapped = wrap_footer(
            vec!["Sources:".to_owned(), long.clone(), url],
            viewport,
            None,
        );
        assert_eq!(wrapped[0], "Sources:");
        for line in &wrapped {
            assert!(
                line.chars().count() <= columns,
                "{line:?} is over {columns}"
            );
        }
        // Every word of the long line is kept, in order, continuations indented.
        let rejoined: Vec<&str> = wrapped[1..]
            .iter()
            .flat_map(|line| line.split_whitespace())
            .take(22)
            .collect();
        assert_eq!(rejoined.join(" "), long);
        assert!(wrapped[2].starts_with("    word"), "{:?}", wrapped[2]);
        let cut: String = wrapped
            .iter()
            .filter(|line| line.contains('x'))
            .map(|line| line.trim())
            .collect();
        assert_eq!(cut.len(), columns * 2);
    }
}
