//! The scene: the graph turned into what is drawn, one style per node and
//! one instance per edge, built once per graph (not per frame), plus the
//! exact curve geometry that hit-testing shares with the shaders, and the
//! draw list that the window and the exports both paint. Out of `view/`,
//! so that exports and jobs use it without the window's code; only egui's
//! plain types (colours, rectangles) come along.

use std::sync::Arc;

pub mod camera;
pub mod draw_list;
pub mod edge_style;
pub mod instances;
pub mod labels;
pub mod node_look;
pub mod node_scale;
pub mod theme;

use crate::model::visibility::{Shown, VisibleSet};
use crate::model::{EdgeIx, Graph, NodeIx};
use camera::WorldBounds;
use edge_style::{EdgeEvidence, EvidenceMode, edge_look};
use instances::{EdgeInstance, NodeStyle, edge_control_point, self_loop_circle};

/// World units between two neighbouring parallel curves at their middle.
pub const BEND_UNIT: f32 = 3.0;
pub use edge_style::EDGE_WIDTH;

#[derive(Clone)]
pub struct GraphScene {
    pub node_styles: Arc<Vec<NodeStyle>>,
    /// One instance per edge, in edge order.
    pub edges: Arc<Vec<EdgeInstance>>,
    /// Bumped whenever styles or edges change, so the GPU re-uploads them.
    pub styles_generation: u64,
    /// Nodes by degree, biggest first: the order labels are tried in.
    /// Hidden nodes are left out.
    pub label_order: Vec<NodeIx>,
    /// (node, bend) of every self-loop, so fitting can keep loops in view.
    pub self_loops: Vec<(NodeIx, f32)>,
    /// Every node by degree, hidden ones too, for [`Self::styled`].
    all_label_order: Arc<Vec<NodeIx>>,
    /// Each node's own colour (its kind's, or its community's: View >
    /// Colour by), whatever it is drawn in now.
    kind_fills: Arc<Vec<u32>>,
    /// The legend rows that explain the node colours when they are not the
    /// kinds' (label, colour); None: the kinds.
    pub node_legend: Option<Arc<Vec<(String, egui::Color32)>>>,
    /// Each edge's excerpts and support, in edge order: what the evidence
    /// styling draws from.
    evidence: Arc<Vec<EdgeEvidence>>,
    /// Some relation is disputed (worked out once, for the legend).
    any_disputed: bool,
    /// How evidence shows on the edges (see [`Self::with_evidence_overlay`]).
    pub evidence_mode: EvidenceMode,
    /// What is shown, greyed and hidden (None: everything shown). Hidden
    /// items are drawn with alpha 0 (fill and outline of a node, colour
    /// of an edge): the contract with the renderer, which may cull them.
    pub visible: Option<Arc<VisibleSet>>,
    /// Each node's radius before [`Self::node_scale`]: from its degree, or
    /// from View > Size by.
    base_radii: Arc<Vec<f32>>,
    /// What the base radii are multiplied by to draw the nodes at a size
    /// that follows the picture (see `node_scale`).
    pub node_scale: f32,
}

impl GraphScene {
    pub fn build(graph: &Graph, generation: u64) -> Self {
        let node_styles: Vec<NodeStyle> = (0..graph.node_count() as NodeIx)
            .map(|node| {
                let style = theme::kind_style(graph.node_kind(node));
                NodeStyle {
                    radius: theme::node_radius(graph.degree(node)),
                    fill: theme::packed(style.fill),
                    outline: theme::packed(theme::NODE_OUTLINE),
                    shape: style.shape as u32,
                }
            })
            .collect();
        let evidence: Vec<EdgeEvidence> = (0..graph.edge_count() as EdgeIx)
            .map(|edge| EdgeEvidence {
                excerpts: u16::try_from(graph.edge_excerpt_count(edge)).unwrap_or(u16::MAX),
                support: graph.edge_support(edge),
                disputed: graph.edge_is_disputed(edge),
            })
            .collect();
        // A file whose relations cite nothing carries no evidence to show:
        // marking every edge unsupported would only paint it in warnings.
        let evidence_mode = if evidence.iter().any(|edge| edge.excerpts > 0) {
            EvidenceMode::Quiet
        } else {
            EvidenceMode::NoEvidence
        };
        let edges: Vec<EdgeInstance> = (0..graph.edge_count() as EdgeIx)
            .zip(&evidence)
            .map(|(edge, &evidence)| {
                let (source, target) = graph.edge_endpoints(edge);
                let (width_px, color, flags) = edge_look(evidence, evidence_mode, &theme::DARK);
                EdgeInstance {
                    source,
                    target,
                    bend: graph.edge_curve_slot(edge) * BEND_UNIT,
                    width_px,
                    color,
                    flags,
                }
            })
            .collect();
        let self_loops = edges
            .iter()
            .filter(|edge| edge.source == edge.target)
            .map(|edge| (edge.source, edge.bend))
            .collect();
        let mut label_order: Vec<NodeIx> = (0..graph.node_count() as NodeIx).collect();
        label_order.sort_by_key(|&node| (std::cmp::Reverse(graph.degree(node)), node));
        let kind_fills = node_styles.iter().map(|style| style.fill).collect();
        let any_disputed = graph.has_contradicting() && evidence.iter().any(|edge| edge.disputed);
        let base_radii = node_styles.iter().map(|style| style.radius).collect();
        Self {
            node_styles: Arc::new(node_styles),
            edges: Arc::new(edges),
            styles_generation: generation,
            all_label_order: Arc::new(label_order.clone()),
            label_order,
            self_loops,
            kind_fills: Arc::new(kind_fills),
            node_legend: None,
            evidence: Arc::new(evidence),
            any_disputed,
            evidence_mode,
            visible: None,
            base_radii: Arc::new(base_radii),
            node_scale: 1.0,
        }
    }

    /// Whether any relation is disputed (the legend then explains its
    /// colour).
    pub fn has_disputed(&self) -> bool {
        self.any_disputed
    }

    /// Whether any relation cites an excerpt: without that, there is no
    /// evidence to overlay.
    pub fn has_evidence(&self) -> bool {
        self.evidence_mode != EvidenceMode::NoEvidence
    }

    /// The same scene with the evidence overlay on or off (dashed
    /// unsupported relations, width and opacity from excerpts and grades),
    /// drawn in `theme`, tagged `generation`. A file without evidence stays
    /// plain either way.
    #[must_use]
    pub fn with_evidence_overlay(&self, on: bool, theme: theme::Theme, generation: u64) -> Self {
        let mut scene = self.clone();
        if scene.has_evidence() {
            scene.evidence_mode = if on {
                EvidenceMode::Overlay
            } else {
                EvidenceMode::Quiet
            };
        }
        scene.styled(theme, self.visible.clone(), generation)
    }

    /// The same scene drawn in `theme` with `visible` applied (None: all
    /// shown), tagged `generation`: shown items in their own colours,
    /// greyed ones in the theme's dimmed colours, hidden ones transparent.
    /// Linear in the graph's size; no per-frame work.
    #[must_use]
    pub fn styled(
        &self,
        theme: theme::Theme,
        visible: Option<Arc<VisibleSet>>,
        generation: u64,
    ) -> Self {
        let palette = theme.palette();
        let outline = theme::packed(palette.node_outline);
        let dimmed_node = theme::packed(palette.dimmed_node);
        let dimmed_edge = theme::packed(palette.dimmed_edge);
        let node_state = |node: usize| {
            visible
                .as_deref()
                .map_or(Shown::Shown, |set| set.node(node as NodeIx))
        };
        let node_styles = self
            .node_styles
            .iter()
            .enumerate()
            .map(|(node, style)| {
                let (fill, outline) = match node_state(node) {
                    Shown::Shown => (
                        self.kind_fills.get(node).copied().unwrap_or(style.fill),
                        outline,
                    ),
                    Shown::Greyed => (dimmed_node, outline),
                    Shown::Hidden => (theme::HIDDEN, theme::HIDDEN),
                };
                NodeStyle {
                    fill,
                    outline,
                    ..*style
                }
            })
            .collect();
        let edges = self
            .edges
            .iter()
            .enumerate()
            .map(|(edge, instance)| {
                let state = visible
                    .as_deref()
                    .map_or(Shown::Shown, |set| set.edge(edge as EdgeIx));
                let evidence = self.evidence.get(edge).copied().unwrap_or_default();
                let (width_px, color, flags) = edge_look(evidence, self.evidence_mode, palette);
                EdgeInstance {
                    color: match state {
                        Shown::Hidden => theme::HIDDEN,
                        Shown::Greyed => dimmed_edge,
                        Shown::Shown => color,
                    },
                    width_px,
                    flags,
                    ..*instance
                }
            })
            .collect();
        let label_order = match visible.as_deref() {
            Some(set) => self
                .all_label_order
                .iter()
                .copied()
                .filter(|&node| set.node(node) != Shown::Hidden)
                .collect(),
            None => self.all_label_order.to_vec(),
        };
        Self {
            node_styles: Arc::new(node_styles),
            edges: Arc::new(edges),
            styles_generation: generation,
            label_order,
            self_loops: self.self_loops.clone(),
            all_label_order: Arc::clone(&self.all_label_order),
            kind_fills: Arc::clone(&self.kind_fills),
            node_legend: self.node_legend.clone(),
            evidence: Arc::clone(&self.evidence),
            any_disputed: self.any_disputed,
            evidence_mode: self.evidence_mode,
            visible,
            base_radii: Arc::clone(&self.base_radii),
            node_scale: self.node_scale,
        }
    }

    /// The same scene with each node's own colour (`fills`, packed) and
    /// radius replaced, as View > Colour by and Size by choose, and the
    /// legend rows that explain the colours (None: the kinds); drawn in
    /// `theme` with what is greyed or hidden kept so.
    #[must_use]
    pub fn with_node_look(
        &self,
        fills: Vec<u32>,
        radii: &[f32],
        legend: Option<Arc<Vec<(String, egui::Color32)>>>,
        theme: theme::Theme,
        generation: u64,
    ) -> Self {
        let node_styles = self
            .node_styles
            .iter()
            .zip(radii)
            .map(|(style, &radius)| NodeStyle {
                radius: radius * self.node_scale,
                ..*style
            })
            .collect();
        let base = Self {
            node_styles: Arc::new(node_styles),
            base_radii: Arc::new(radii.to_vec()),
            kind_fills: Arc::new(fills),
            node_legend: legend,
            ..self.clone()
        };
        base.styled(theme, self.visible.clone(), generation)
    }

    /// The same scene with every node drawn `scale` times its base radius,
    /// tagged `generation` (see `node_scale`).
    #[must_use]
    pub fn with_node_scale(&self, scale: f32, generation: u64) -> Self {
        let node_styles = self
            .node_styles
            .iter()
            .zip(self.base_radii.iter())
            .map(|(style, &radius)| NodeStyle {
                radius: radius * scale,
                ..*style
            })
            .collect();
        Self {
            node_styles: Arc::new(node_styles),
            node_scale: scale,
            styles_generation: generation,
            ..self.clone()
        }
    }

    /// Each node's radius before the picture's scale.
    pub fn base_radii(&self) -> &[f32] {
        &self.base_radii
    }

    /// The same scene in another theme's colours (outlines and edges; kind
    /// fills are the same in every theme), tagged `generation`; what is
    /// greyed or hidden stays so.
    #[must_use]
    pub fn recolored(&self, theme: theme::Theme, generation: u64) -> Self {
        self.styled(theme, self.visible.clone(), generation)
    }

    /// Whether both scenes draw nodes in the same colours and sizes (no
    /// [`Self::with_node_look`] between them): a view update built from an
    /// older scene must not undo a look chosen since.
    pub fn same_node_look(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.kind_fills, &other.kind_fills)
    }

    /// Whether `node` is drawn at all.
    pub fn node_is_hidden(&self, node: NodeIx) -> bool {
        self.node_styles
            .get(node as usize)
            .is_some_and(node_style_is_hidden)
    }

    /// Whether `edge` is drawn at all.
    pub fn edge_is_hidden(&self, edge: EdgeIx) -> bool {
        self.edges
            .get(edge as usize)
            .is_some_and(|instance| theme::is_transparent(instance.color))
    }

    /// Where every node's shape and loops reach, at `points`.
    pub fn world_bounds(&self, points: &[[f32; 2]]) -> Option<WorldBounds> {
        WorldBounds::of(points, &self.node_styles, &self.self_loops)
    }

    pub fn node_radius(&self, node: NodeIx) -> f32 {
        self.node_styles
            .get(node as usize)
            .map_or(1.0, |style| style.radius)
    }
}

/// A hidden node: transparent fill and outline (see [`GraphScene::styled`]).
pub fn node_style_is_hidden(style: &NodeStyle) -> bool {
    theme::is_transparent(style.fill) && theme::is_transparent(style.outline)
}

/// The shape of one edge in world coordinates, exactly as the GPU draws it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EdgeGeometry {
    Straight([f32; 2], [f32; 2]),
    Curve([f32; 2], [f32; 2], [f32; 2]),
    Loop { center: [f32; 2], radius: f32 },
}

impl EdgeGeometry {
    pub fn of(
        edge: &EdgeInstance,
        positions: &[[f32; 2]],
        node_styles: &[NodeStyle],
    ) -> Option<Self> {
        let source = *positions.get(edge.source as usize)?;
        let target = *positions.get(edge.target as usize)?;
        if edge.source == edge.target {
            let radius = node_styles
                .get(edge.source as usize)
                .map_or(1.0, |style| style.radius);
            let (center, loop_radius) = self_loop_circle(source, radius + edge.bend.abs());
            return Some(Self::Loop {
                center,
                radius: loop_radius,
            });
        }
        if edge.bend == 0.0 {
            Some(Self::Straight(source, target))
        } else {
            Some(Self::Curve(
                source,
                edge_control_point(source, target, edge.bend),
                target,
            ))
        }
    }

    /// Axis-aligned bounds (min, max).
    pub fn bounds(&self) -> ([f32; 2], [f32; 2]) {
        match *self {
            Self::Straight(a, b) => (min2(a, b), max2(a, b)),
            Self::Curve(a, c, b) => (min2(min2(a, b), c), max2(max2(a, b), c)),
            Self::Loop { center, radius } => (
                [center[0] - radius, center[1] - radius],
                [center[0] + radius, center[1] + radius],
            ),
        }
    }

    /// A straight stand-in for the edge and how far the drawn line can stray
    /// from it: the cheap first test when many edges are near the pointer.
    pub fn chord(&self) -> ([f32; 4], f32) {
        match *self {
            Self::Straight(a, b) => ([a[0], a[1], b[0], b[1]], 0.0),
            Self::Curve(a, c, b) => {
                let middle = lerp(a, b, 0.5);
                // A quadratic Bézier strays at most half its control
                // point's offset from the chord.
                (
                    [a[0], a[1], b[0], b[1]],
                    length(sub(c, middle)) * 0.5 + 1e-3,
                )
            }
            Self::Loop { center, radius } => {
                ([center[0], center[1], center[0], center[1]], radius + 1e-3)
            }
        }
    }

    /// The drawn line as straight segments, for the hit-test grid; the exact
    /// distance is checked afterwards, so a coarse polyline is enough.
    pub fn segments(&self, out: &mut Vec<([f32; 2], [f32; 2])>) {
        const PIECES: usize = 8;
        match *self {
            Self::Straight(a, b) => out.push((a, b)),
            Self::Curve(a, c, b) => {
                let mut previous = a;
                for piece in 1..=PIECES {
                    let next = bezier(a, c, b, piece as f32 / PIECES as f32);
                    out.push((previous, next));
                    previous = next;
                }
            }
            Self::Loop { center, radius } => {
                // A polygon around the circle, so the circle lies inside it.
                let outer = radius / (std::f32::consts::PI / PIECES as f32).cos();
                let corner = |i: usize| {
                    let angle = std::f32::consts::TAU * i as f32 / PIECES as f32;
                    [
                        center[0] + outer * angle.cos(),
                        center[1] + outer * angle.sin(),
                    ]
                };
                for piece in 0..PIECES {
                    out.push((corner(piece), corner(piece + 1)));
                }
            }
        }
    }

    /// The point halfway along the edge (for a loop, its far side, away from
    /// its node).
    pub fn midpoint(&self) -> [f32; 2] {
        self.point_at(0.5)
    }

    /// The point at `t` in [0, 1] along the drawn line. A loop goes once
    /// round its circle, starting and ending nearest its node.
    pub fn point_at(&self, t: f32) -> [f32; 2] {
        match *self {
            Self::Straight(a, b) => lerp(a, b, t),
            Self::Curve(a, c, b) => bezier(a, c, b, t),
            Self::Loop { center, radius } => {
                // The loop's centre is above-right of its node (angle -45°
                // on a y-down screen), so that is where the far side is.
                let angle = -std::f32::consts::FRAC_PI_4 + (t - 0.5) * std::f32::consts::TAU;
                [
                    center[0] + radius * angle.cos(),
                    center[1] + radius * angle.sin(),
                ]
            }
        }
    }

    /// Distance from `point` to the drawn line.
    pub fn distance_to(&self, point: [f32; 2]) -> f32 {
        match *self {
            Self::Straight(a, b) => segment_distance(point, a, b),
            Self::Curve(a, c, b) => {
                const SEGMENTS: usize = 24;
                let mut best = f32::INFINITY;
                let mut previous = a;
                for step in 1..=SEGMENTS {
                    let next = bezier(a, c, b, step as f32 / SEGMENTS as f32);
                    best = best.min(segment_distance(point, previous, next));
                    previous = next;
                }
                best
            }
            Self::Loop { center, radius } => (length(sub(point, center)) - radius).abs(),
        }
    }
}

fn min2(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [a[0].min(b[0]), a[1].min(b[1])]
}

fn max2(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [a[0].max(b[0]), a[1].max(b[1])]
}

fn sub(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [a[0] - b[0], a[1] - b[1]]
}

fn length(v: [f32; 2]) -> f32 {
    v[0].hypot(v[1])
}

fn lerp(a: [f32; 2], b: [f32; 2], t: f32) -> [f32; 2] {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
}

fn bezier(a: [f32; 2], c: [f32; 2], b: [f32; 2], t: f32) -> [f32; 2] {
    lerp(lerp(a, c, t), lerp(c, b, t), t)
}

pub(crate) fn segment_distance(p: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f32 {
    let ab = sub(b, a);
    let ap = sub(p, a);
    let len2 = ab[0] * ab[0] + ab[1] * ab[1];
    let t = if len2 > 0.0 {
        ((ap[0] * ab[0] + ap[1] * ab[1]) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    length(sub(p, lerp(a, b, t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_zero_on_the_line_and_grows_away_from_it() {
        let straight = EdgeGeometry::Straight([0.0, 0.0], [10.0, 0.0]);
        assert!(straight.distance_to([5.0, 0.0]) < 1e-6);
        assert!((straight.distance_to([5.0, 3.0]) - 3.0).abs() < 1e-5);
        let curve = EdgeGeometry::Curve([0.0, 0.0], [5.0, 4.0], [10.0, 0.0]);
        assert!(curve.distance_to(curve.midpoint()) < 1e-3);
        assert!(curve.distance_to([5.0, 0.0]) > 1.5);
        let ring = EdgeGeometry::Loop {
            center: [0.0, 0.0],
            radius: 2.0,
        };
        assert!(ring.distance_to([2.0, 0.0]) < 1e-6);
        assert!((ring.distance_to([0.0, 0.0]) - 2.0).abs() < 1e-6);
    }
}
