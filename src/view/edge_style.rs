//! How edges are drawn so that they stay legible at every density: the
//! arrowhead's size, the fade that keeps a hairball from becoming a solid
//! blob, and what the evidence behind a relation does to its line.
//!
//! Every decision here is made on the CPU and lands in the per-edge instance
//! data ([`EdgeInstance`]: width, colour, flags) or in one per-frame number
//! ([`crate::view::gpu::GraphFrame::edge_alpha`]), so the GPU shaders, the
//! low-detail lines, SVG exports and any other rasteriser draw the same
//! picture from the same data. The arrowhead rule is the one formula the
//! shader evaluates itself (it needs the target node's drawn radius); it is
//! [`arrow_length_px`] here and `arrow_length_px` in edges.wgsl, with the
//! constants written into the shader from these.

use egui::Color32;

use super::gpu::{EDGE_ARROW, EDGE_DASHED, EdgeInstance, NodeStyle};
use super::theme::{self, Palette};

/// On-screen width of an edge, in points.
pub const EDGE_WIDTH: f32 = 1.2;

/// An arrowhead is this many points long on a normal-width edge...
pub const ARROW_BASE_LEN_PT: f32 = 8.0;
/// ... or this many edge widths long on a wide one.
pub const ARROW_LEN_PER_WIDTH: f32 = 4.0;
/// It never gets longer than this fraction of the drawn radius of the node
/// it points at (its base is 0.9 of its length wide), so it never outgrows
/// that node.
pub const ARROW_MAX_PER_RADIUS: f32 = 0.8;
/// Below this length (points) it would be a smudge, not an arrow: it is not
/// drawn at all.
pub const ARROW_MIN_LEN_PT: f32 = 3.0;

/// Length in framebuffer pixels of the arrowhead of an edge `width_px`
/// pixels wide pointing at a node drawn `target_radius_px` pixels wide, or 0
/// when it is too small to draw. Mirrored by `arrow_length_px` in edges.wgsl.
pub fn arrow_length_px(width_px: f32, target_radius_px: f32, pixels_per_point: f32) -> f32 {
    let wanted = (ARROW_BASE_LEN_PT * pixels_per_point).max(ARROW_LEN_PER_WIDTH * width_px);
    let length = wanted.min(ARROW_MAX_PER_RADIUS * target_radius_px);
    if length < ARROW_MIN_LEN_PT * pixels_per_point {
        0.0
    } else {
        length
    }
}

/// The share of the drawn graph's area that edge ink may cover before the
/// edges fade: above it, lines pile into a solid blob.
pub const DENSITY_TARGET_COVERAGE: f32 = 0.35;
/// Edges never fade below this share of their own opacity, so the sparsest
/// corner of a hairball still shows its lines.
pub const DENSITY_MIN_ALPHA: f32 = 0.05;
/// At most this many edges and nodes are sampled per estimate: enough for a
/// stable mean, and cheap enough to run every frame on a million edges.
const DENSITY_SAMPLES: usize = 4096;

/// The opacity (0..=1) every non-highlighted edge is drawn with under a
/// camera of `zoom` points per world unit, so that the edges cover about
/// [`DENSITY_TARGET_COVERAGE`] of the area the graph takes on screen.
///
/// Ink is estimated as drawn edges × mean edge length × line width, and the
/// area as the graph's bounding box, both from an evenly spaced sample (the
/// same sample for the same data: no flicker). Zooming in spreads the same
/// lines over more screen, so edges get more opaque; zooming out fades them.
pub fn density_alpha(
    edges: &[EdgeInstance],
    positions: &[[f32; 2]],
    styles: &[NodeStyle],
    zoom: f32,
) -> f32 {
    if edges.is_empty() || positions.is_empty() || zoom.is_nan() || zoom <= 0.0 {
        return 1.0;
    }
    let position = |node: u32| positions.get(node as usize).copied();
    let step = edges.len().div_ceil(DENSITY_SAMPLES).max(1);
    let (mut sampled, mut drawn, mut ink) = (0_usize, 0_usize, 0.0_f64);
    for edge in edges.iter().step_by(step) {
        sampled += 1;
        if theme::is_transparent(edge.color) || edge.source == edge.target {
            continue;
        }
        let (Some(a), Some(b)) = (position(edge.source), position(edge.target)) else {
            continue;
        };
        // Only the part between the node outlines is drawn.
        let radius = |node: u32| styles.get(node as usize).map_or(0.0, |style| style.radius);
        let length =
            ((a[0] - b[0]).hypot(a[1] - b[1]) - radius(edge.source) - radius(edge.target)).max(0.0);
        if !length.is_finite() {
            continue;
        }
        drawn += 1;
        // Lines thinner than a pixel are drawn a pixel wide, but fainter:
        // the same ink.
        ink += f64::from(length) * f64::from(edge.width_px);
    }
    if drawn == 0 {
        return 1.0;
    }
    // Scale the sample's ink to every edge (points·world units).
    let ink_pt_world = ink * edges.len() as f64 / sampled as f64;
    let node_step = positions.len().div_ceil(DENSITY_SAMPLES).max(1);
    let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
    for p in positions.iter().step_by(node_step) {
        if p[0].is_finite() && p[1].is_finite() {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
    }
    let mean_length = ink / drawn as f64 / f64::from(EDGE_WIDTH);
    // A line of nodes has no area: count at least a mean edge's square.
    let floor = (mean_length * mean_length).max(1e-6);
    let area_world = (f64::from(hi[0] - lo[0]) * f64::from(hi[1] - lo[1])).max(floor);
    // Ink in points·world, over area in world², is coverage per point/world.
    let coverage = ink_pt_world / (area_world * f64::from(zoom));
    if !coverage.is_finite() || coverage <= f64::from(DENSITY_TARGET_COVERAGE) {
        return 1.0;
    }
    ((f64::from(DENSITY_TARGET_COVERAGE) / coverage) as f32).clamp(DENSITY_MIN_ALPHA, 1.0)
}

/// How evidence shows on the edges.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EvidenceMode {
    /// The file carries no evidence at all: every edge is drawn plainly
    /// (calling them all unsupported would paint the picture in warnings).
    NoEvidence,
    /// Unsupported relations are a quieter, warmer grey than supported
    /// ones: told apart, without alarm.
    #[default]
    Quiet,
    /// The evidence overlay: unsupported relations dashed in the warning
    /// colour; supported ones wider with more excerpts and more opaque with
    /// better grades.
    Overlay,
}

/// What the drawing of a relation needs to know about its evidence.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EdgeEvidence {
    pub excerpts: u32,
    /// The chance the relation holds, from its excerpts' grades (see
    /// `model::grades::support`).
    pub support: f32,
}

/// The widest an evidence-weighted edge gets, in points.
pub const EVIDENCE_MAX_WIDTH: f32 = 3.0 * EDGE_WIDTH;
/// The least opacity share of a supported edge in the overlay (support 0).
const EVIDENCE_MIN_ALPHA: f32 = 0.35;

/// How one shown relation is drawn: width in points, packed colour, flags.
pub fn edge_look(evidence: EdgeEvidence, mode: EvidenceMode, palette: &Palette) -> (f32, u32, u32) {
    let supported = evidence.excerpts > 0;
    match mode {
        EvidenceMode::NoEvidence => (EDGE_WIDTH, theme::packed(palette.edge), EDGE_ARROW),
        EvidenceMode::Quiet => {
            let color = if supported {
                palette.edge
            } else {
                palette.edge_unsupported_quiet
            };
            (EDGE_WIDTH, theme::packed(color), EDGE_ARROW)
        }
        EvidenceMode::Overlay if !supported => (
            EDGE_WIDTH,
            theme::packed(palette.edge_unsupported),
            EDGE_ARROW | EDGE_DASHED,
        ),
        EvidenceMode::Overlay => {
            // 1 excerpt: the normal width; each doubling adds half of it.
            let width = (EDGE_WIDTH * (1.0 + 0.5 * (evidence.excerpts as f32).log2()))
                .min(EVIDENCE_MAX_WIDTH);
            let share =
                EVIDENCE_MIN_ALPHA + (1.0 - EVIDENCE_MIN_ALPHA) * evidence.support.clamp(0.0, 1.0);
            (
                width,
                theme::packed(scaled(palette.edge, share)),
                EDGE_ARROW,
            )
        }
    }
}

/// `color` (premultiplied) at `share` of its opacity.
pub fn scaled(color: Color32, share: f32) -> Color32 {
    color.gamma_multiply(share.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::theme::DARK;

    fn assert_close(value: f32, expected: f32) {
        assert!((value - expected).abs() < 1e-5, "{value} is not {expected}");
    }

    #[test]
    fn arrowheads_follow_the_width_but_never_outgrow_the_target() {
        // A big node: the arrow is its normal size, growing with the width.
        assert_close(arrow_length_px(1.2, 100.0, 1.0), 8.0);
        assert_close(arrow_length_px(3.0, 100.0, 1.0), 12.0);
        assert_close(arrow_length_px(1.2, 100.0, 2.0), 16.0);
        // A small node caps it at 0.8 of its radius.
        assert!((arrow_length_px(1.2, 5.0, 1.0) - 4.0).abs() < 1e-6);
        // Below 3 points it vanishes.
        assert_close(arrow_length_px(1.2, 3.0, 1.0), 0.0);
        assert!(arrow_length_px(1.2, 3.0, 0.5) > 0.0);
    }

    fn edge(source: u32, target: u32) -> EdgeInstance {
        EdgeInstance {
            source,
            target,
            bend: 0.0,
            width_px: EDGE_WIDTH,
            color: theme::packed(DARK.edge),
            flags: EDGE_ARROW,
        }
    }

    #[test]
    fn sparse_graphs_keep_full_opacity_and_dense_ones_fade_more_when_zoomed_out() {
        let style = NodeStyle {
            radius: 0.0,
            fill: 0,
            outline: 0,
            shape: 0,
        };
        // Two nodes 100 units apart, joined once, in a 100 × 100 box: a
        // line 1.2 points wide covers 1.2 / (100 · zoom) of it.
        let positions = [[0.0, 0.0], [100.0, 100.0], [0.0, 100.0], [100.0, 0.0]];
        let styles = [style; 4];
        let one = [edge(0, 2)];
        assert_close(density_alpha(&one, &positions, &styles, 1.0), 1.0);
        // 1,000 parallel copies at zoom 1: coverage 1000·100·1.2 / 10⁴ = 12.
        let many = vec![edge(0, 2); 1000];
        let alpha = density_alpha(&many, &positions, &styles, 1.0);
        assert_close(alpha, DENSITY_MIN_ALPHA);
        let zoomed_in = density_alpha(&many, &positions, &styles, 20.0);
        assert!((zoomed_in - 0.35 / 0.6).abs() < 1e-3, "{zoomed_in}");
        let zoomed_out = density_alpha(&many, &positions, &styles, 10.0);
        assert!(zoomed_out < zoomed_in);
        // Hidden edges are no ink.
        let mut hidden = many.clone();
        for instance in &mut hidden {
            instance.color = theme::HIDDEN;
        }
        assert_close(density_alpha(&hidden, &positions, &styles, 1.0), 1.0);
    }

    #[test]
    fn evidence_modes() {
        let none = EdgeEvidence::default();
        let strong = EdgeEvidence {
            excerpts: 4,
            support: 1.0,
        };
        assert_eq!(
            edge_look(none, EvidenceMode::NoEvidence, &DARK),
            (EDGE_WIDTH, theme::packed(DARK.edge), EDGE_ARROW)
        );
        let (_, quiet, quiet_flags) = edge_look(none, EvidenceMode::Quiet, &DARK);
        assert_eq!(quiet_flags & EDGE_DASHED, 0);
        assert_ne!(quiet, theme::packed(DARK.edge));
        assert_ne!(quiet, theme::packed(DARK.edge_unsupported));
        let (_, _, overlay_flags) = edge_look(none, EvidenceMode::Overlay, &DARK);
        assert_ne!(overlay_flags & EDGE_DASHED, 0);
        let (width, color, _) = edge_look(strong, EvidenceMode::Overlay, &DARK);
        assert!((width - 2.0 * EDGE_WIDTH).abs() < 1e-6);
        assert_eq!(color, theme::packed(DARK.edge));
    }
}
