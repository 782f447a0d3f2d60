//! How edges are drawn so that they stay legible at every density: the
//! arrowhead's size, the fade that keeps a hairball from becoming a solid
//! blob, and what the evidence behind a relation does to its line.
//!
//! Every decision here is made on the CPU and lands in the per-edge instance
//! data ([`EdgeInstance`]: width, colour, flags) or in one per-frame number
//! ([`crate::scene::instances::GraphFrame::edge_alpha`]), so the GPU shaders, the
//! low-detail lines, SVG exports and any other rasteriser draw the same
//! picture from the same data. The arrowhead rule is the one formula the
//! shader evaluates itself (it needs the target node's drawn radius); it is
//! [`arrow_length_px`] here and `arrow_length_px` in edges.wgsl, with the
//! constants written into the shader from these.

use egui::Color32;

use super::instances::{Camera, EDGE_ARROW, EDGE_DASHED, EdgeInstance, GraphFrame};
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
pub const DENSITY_MIN_ALPHA: f32 = 0.02;
/// At most this many edges and nodes are sampled per estimate: enough for a
/// stable mean, and cheap enough to run every frame on a million edges.
const DENSITY_SAMPLES: usize = 8192;

/// The opacity (0..=1) every non-highlighted edge is drawn with under
/// `camera` in a canvas of `viewport_pt` points, so that the edges cover
/// about [`DENSITY_TARGET_COVERAGE`] of the part of the graph on screen.
///
/// Ink is estimated from an evenly spaced sample of the edges (the same
/// sample for the same data: no flicker): the length of each inside the
/// visible part of the graph's bounding box, times its width, scaled to
/// every edge, over that part's area. So zooming into a sparse corner makes
/// its edges more opaque, and zooming into the middle of a hairball, where
/// every long edge passes, keeps them faint.
pub fn density_alpha(
    edges: &[EdgeInstance],
    positions: &[[f32; 2]],
    camera: Camera,
    viewport_pt: [f32; 2],
) -> f32 {
    let zoom = camera.zoom;
    if edges.is_empty() || positions.is_empty() || zoom.is_nan() || zoom <= 0.0 {
        return 1.0;
    }
    // The graph's bounds, from a sample of its nodes.
    let node_step = positions.len().div_ceil(DENSITY_SAMPLES).max(1);
    let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
    for p in positions.iter().step_by(node_step) {
        if p[0].is_finite() && p[1].is_finite() {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
    }
    let position = |node: u32| positions.get(node as usize).copied();
    let step = edges.len().div_ceil(DENSITY_SAMPLES).max(1);
    // The sampled edges that are drawn, as segments.
    let segments = || {
        edges.iter().step_by(step).filter_map(|edge| {
            if theme::is_transparent(edge.color) || edge.source == edge.target {
                return None;
            }
            let (a, b) = (position(edge.source)?, position(edge.target)?);
            let finite = a.iter().chain(&b).all(|value| value.is_finite());
            finite.then_some((a, b, edge.width_px))
        })
    };
    // A margin of 2% (a line of nodes still has an area)...
    let pad = 0.02 * (hi[0] - lo[0]).max(hi[1] - lo[1]) + f32::EPSILON;
    // ... and only what the camera shows counts.
    let half = [0.5 * viewport_pt[0] / zoom, 0.5 * viewport_pt[1] / zoom];
    let [cx, cy] = camera.center_world;
    let lo = [
        (lo[0] - pad).max(cx - half[0]),
        (lo[1] - pad).max(cy - half[1]),
    ];
    let hi = [
        (hi[0] + pad).min(cx + half[0]),
        (hi[1] + pad).min(cy + half[1]),
    ];
    if !(lo[0] < hi[0] && lo[1] < hi[1]) {
        return 1.0;
    }
    // Lines thinner than a pixel are drawn a pixel wide, but fainter: the
    // same ink. Curves count as their chords.
    let ink: f64 = segments()
        .map(|(a, b, width)| f64::from(clipped_length(a, b, lo, hi)) * f64::from(width))
        .sum();
    if ink <= 0.0 {
        return 1.0;
    }
    let sampled = edges.len().div_ceil(step);
    let area_world = f64::from(hi[0] - lo[0]) * f64::from(hi[1] - lo[1]);
    // Ink in points·world units over an area in world units²: divided by
    // the zoom (points per world unit), the share of the area covered.
    let coverage = ink * edges.len() as f64 / sampled as f64 / (area_world * f64::from(zoom));
    if !coverage.is_finite() || coverage <= f64::from(DENSITY_TARGET_COVERAGE) {
        return 1.0;
    }
    ((f64::from(DENSITY_TARGET_COVERAGE) / coverage) as f32).clamp(DENSITY_MIN_ALPHA, 1.0)
}

/// [`density_alpha`] for what `frame` shows in a canvas of `viewport_pt`.
pub fn frame_density_alpha(frame: &GraphFrame, viewport_pt: [f32; 2]) -> f32 {
    density_alpha(&frame.edges, &frame.positions, frame.camera, viewport_pt)
}

/// Length of the part of segment a–b inside the box lo–hi (Liang–Barsky).
fn clipped_length(a: [f32; 2], b: [f32; 2], lo: [f32; 2], hi: [f32; 2]) -> f32 {
    let d = [b[0] - a[0], b[1] - a[1]];
    let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
    for axis in 0..2 {
        for (p, q) in [
            (-d[axis], a[axis] - lo[axis]),
            (d[axis], hi[axis] - a[axis]),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return 0.0;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
    }
    if t1 <= t0 {
        0.0
    } else {
        (t1 - t0) * d[0].hypot(d[1])
    }
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
    /// colour, disputed ones dashed in magenta; supported ones wider with
    /// more excerpts and more opaque with better grades.
    Overlay,
}

/// What the drawing of a relation needs to know about its evidence.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EdgeEvidence {
    /// How many excerpts it cites, saturating (the width stops growing at
    /// 16): with `disputed` beside it the whole fits in 8 bytes an edge.
    pub excerpts: u16,
    /// The chance the relation holds, from its excerpts' grades (see
    /// `model::grades::support`).
    pub support: f32,
    /// It cites excerpts and every one contradicts it.
    pub disputed: bool,
}

/// The widest an evidence-weighted edge gets, in points.
pub const EVIDENCE_MAX_WIDTH: f32 = 3.0 * EDGE_WIDTH;
/// The least opacity share of a supported edge in the overlay (support 0).
const EVIDENCE_MIN_ALPHA: f32 = 0.35;

/// How one shown relation is drawn: width in points, packed colour, flags.
/// A disputed relation has its own colour in both modes, dashed in the
/// overlay as an unsupported one is, and told apart from it by the hue.
pub fn edge_look(evidence: EdgeEvidence, mode: EvidenceMode, palette: &Palette) -> (f32, u32, u32) {
    let supported = evidence.excerpts > 0;
    match mode {
        EvidenceMode::NoEvidence => (EDGE_WIDTH, theme::packed(palette.edge), EDGE_ARROW),
        EvidenceMode::Quiet if evidence.disputed => (
            EDGE_WIDTH,
            theme::packed(palette.edge_disputed_quiet),
            EDGE_ARROW,
        ),
        EvidenceMode::Overlay if evidence.disputed => (
            EDGE_WIDTH,
            theme::packed(palette.edge_disputed),
            EDGE_ARROW | EDGE_DASHED,
        ),
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
            let width = (EDGE_WIDTH * (1.0 + 0.5 * f32::from(evidence.excerpts).log2()))
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
    use crate::scene::theme::DARK;

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
        // Four corners of a 100 × 100 box; edges along its left side.
        let positions = [[0.0, 0.0], [100.0, 100.0], [0.0, 100.0], [100.0, 0.0]];
        let camera = |zoom| Camera {
            center_world: [50.0, 50.0],
            zoom,
        };
        // The whole box on screen whatever the zoom (up to 10).
        let whole = [1000.0, 1000.0];
        let one = [edge(0, 2)];
        assert_close(density_alpha(&one, &positions, camera(1.0), whole), 1.0);
        // 100 copies at zoom 1, in the box with its 2% margin (104 × 104):
        // coverage 100 · 100 · 1.2 / 104² ≈ 1.11.
        let few = vec![edge(0, 2); 100];
        assert_close(
            density_alpha(&few, &positions, camera(1.0), whole),
            0.35 * 104.0 * 104.0 / 12_000.0,
        );
        // 1,000 copies: 11.
        let many = vec![edge(0, 2); 1000];
        assert_close(
            density_alpha(&many, &positions, camera(1.0), whole),
            0.35 * 104.0 * 104.0 / 120_000.0,
        );
        // 100,000 copies: 1,109, faded as far as it goes.
        let more = vec![edge(0, 2); 100_000];
        assert_close(
            density_alpha(&more, &positions, camera(1.0), whole),
            DENSITY_MIN_ALPHA,
        );
        // At zoom 10 only the box itself is on screen: 1000 · 100 · 1.2 /
        // (10,000 · 10) = 1.2.
        assert_close(
            density_alpha(&many, &positions, camera(10.0), whole),
            0.35 / 1.2,
        );
        // Zoomed into the right half, where no edge runs: full opacity.
        let right = Camera {
            center_world: [75.0, 50.0],
            zoom: 20.0,
        };
        assert_close(density_alpha(&many, &positions, right, [400.0, 400.0]), 1.0);
        // Zoomed into the left edge, where they all run: faint.
        let left = Camera {
            center_world: [0.0, 50.0],
            zoom: 10.0,
        };
        assert!(density_alpha(&many, &positions, left, [200.0, 200.0]) < 0.35 / 1.2);
        // Hidden edges are no ink.
        let mut hidden = many.clone();
        for instance in &mut hidden {
            instance.color = theme::HIDDEN;
        }
        assert_close(density_alpha(&hidden, &positions, camera(1.0), whole), 1.0);
    }

    #[test]
    fn clipping_keeps_the_inside_part() {
        let (lo, hi) = ([0.0, 0.0], [10.0, 10.0]);
        assert_close(clipped_length([-5.0, 5.0], [15.0, 5.0], lo, hi), 10.0);
        assert_close(clipped_length([-5.0, 20.0], [15.0, 20.0], lo, hi), 0.0);
        assert_close(clipped_length([2.0, 2.0], [5.0, 6.0], lo, hi), 5.0);
    }

    #[test]
    fn evidence_modes() {
        let none = EdgeEvidence::default();
        let strong = EdgeEvidence {
            excerpts: 4,
            support: 1.0,
            disputed: false,
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
