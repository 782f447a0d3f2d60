//! What the renderers draw, as plain data: one style per node, one
//! instance per edge, the camera and the frame, and the geometry of curved
//! edges and self-loops. Shared by the window's GPU renderer (`view::gpu`),
//! the CPU rasteriser and the SVG writer of exports, and hit-testing, so
//! that none of them depends on the window's code.

use std::sync::Arc;

/// Nodes never get smaller than this on screen (points), so zoomed-out graphs
/// keep visible dots.
pub const MIN_NODE_RADIUS_PT: f32 = 2.0;

/// Half the width of a node's bounding square, relative to its radius (the
/// diamond's tips reach furthest). Useful for conservative hit-testing.
pub const SHAPE_EXTENT: f32 = 1.2;

/// Draw an arrowhead at the target end, where it fits (see
/// [`crate::scene::edge_style::arrow_length_px`]).
pub const EDGE_ARROW: u32 = 1;
/// Draw the edge dashed (6 points on, 4 off, in screen space).
pub const EDGE_DASHED: u32 = 2;

// Self-loop proportions (see `self_loop_circle`).
pub(crate) const LOOP_RADIUS_FACTOR: f32 = 0.8;
pub(crate) const LOOP_CENTER_DISTANCE: f32 = 1.0;

/// How nodes and edges are drawn, shared by the shaders (through
/// [`shader_prelude`]), the CPU rasteriser of exports (software/) and
/// the SVG writer, so the three pictures cannot drift apart. Shape
/// proportions are relative to the style radius, chosen so all four shapes
/// look about as heavy as the circle.
pub mod look {
    pub const SQUARE_HALF: f32 = 0.886;
    pub const SQUARE_CORNER: f32 = 0.25;
    /// A point-up triangle's inradius: its tip reaches [`super::SHAPE_EXTENT`].
    pub const TRIANGLE_INRADIUS: f32 = 0.6;
    /// The outline ring, inside the node's boundary.
    pub const OUTLINE_PT: f32 = 1.5;
    pub const DASH_ON_PT: f32 = 6.0;
    pub const DASH_OFF_PT: f32 = 4.0;
    /// Relative to the arrow's length (its length is
    /// [`crate::scene::edge_style::arrow_length_px`]).
    pub const ARROW_HALF_WIDTH: f32 = 0.45;
    /// The line stops this fraction into the arrowhead so no gap shows at
    /// its base.
    pub const ARROW_OVERLAP: f32 = 0.7;
    /// Curves get one segment per this many pixels of control polygon.
    pub const CURVE_PX_PER_SEGMENT: f32 = 8.0;
    /// Extra pixels around every primitive for the anti-aliased fringe.
    pub const AA_PX: f32 = 0.5;
}

/// How one node looks. Laid out exactly as the shader reads it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct NodeStyle {
    /// World units.
    pub radius: f32,
    /// RGBA8 premultiplied: `color_to_u32(egui::Color32)`.
    pub fill: u32,
    /// RGBA8 premultiplied; drawn as a 1.5 point ring inside the boundary.
    pub outline: u32,
    /// `NodeShape as u32`.
    pub shape: u32,
}

/// Distance from the centre of a node of `shape` (a [`NodeShape`] as u32)
/// and radius `r` to its boundary along unit `dir` (y grows down), as the
/// shaders draw it; hit-testing uses it so a click lands where is drawn.
pub fn shape_boundary(shape: u32, r: f32, dir: [f32; 2]) -> f32 {
    let [x, y] = [dir[0].abs(), dir[1].abs()];
    match shape {
        1 => look::SQUARE_HALF * r / x.max(y).max(1e-4),
        2 => SHAPE_EXTENT * r / (x + y).max(1e-4),
        3 => look::TRIANGLE_INRADIUS * r / dir[1].max(0.866_025_4 * x - 0.5 * dir[1]).max(1e-4),
        _ => r,
    }
}

/// Node outline shapes, drawn by signed distance functions.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeShape {
    Circle = 0,
    RoundedSquare = 1,
    Diamond = 2,
    /// Point up: told apart from the circle even a few pixels across.
    Triangle = 3,
}

/// One edge. Laid out exactly as the shader reads it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct EdgeInstance {
    /// Node index into the positions.
    pub source: u32,
    /// Node index into the positions; equal to `source` for a self-loop.
    pub target: u32,
    /// Signed offset (world units) of the quadratic Bézier control point from
    /// the chord midpoint along the chord's left normal; 0 = straight. For a
    /// self-loop, the loop is `self_loop_circle(node, radius + |bend|)`.
    pub bend: f32,
    /// On-screen width in points.
    pub width_px: f32,
    /// RGBA8 premultiplied: `color_to_u32(egui::Color32)`.
    pub color: u32,
    /// [`EDGE_ARROW`] | [`EDGE_DASHED`].
    pub flags: u32,
}

/// The camera of the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// The world point shown at the centre of the canvas.
    pub center_world: [f32; 2],
    /// Screen points per world unit.
    pub zoom: f32,
}

impl Camera {
    /// Where world point `p` lands on screen (points) in a canvas `viewport`.
    pub fn screen_from_world(&self, viewport: egui::Rect, p: [f32; 2]) -> egui::Pos2 {
        let c = viewport.center();
        egui::pos2(
            c.x + (p[0] - self.center_world[0]) * self.zoom,
            c.y + (p[1] - self.center_world[1]) * self.zoom,
        )
    }

    /// The world point under screen point `p` in a canvas `viewport`.
    pub fn world_from_screen(&self, viewport: egui::Rect, p: egui::Pos2) -> [f32; 2] {
        let c = viewport.center();
        [
            self.center_world[0] + (p.x - c.x) / self.zoom,
            self.center_world[1] + (p.y - c.y) / self.zoom,
        ]
    }
}

/// Everything one frame of the graph needs. Cheap to clone (Arcs); the
/// generations tell the renderer what to re-upload, so bump them whenever the
/// contents change (a global counter works; a fresh graph must not reuse the
/// previous graph's numbers unless the lengths differ).
#[derive(Clone)]
pub struct GraphFrame {
    /// World coordinates, one per node.
    pub positions: Arc<Vec<[f32; 2]>>,
    pub positions_generation: u64,
    /// One per node (indices as in `positions`).
    pub node_styles: Arc<Vec<NodeStyle>>,
    pub edges: Arc<Vec<EdgeInstance>>,
    /// Covers both `node_styles` and `edges`.
    pub styles_generation: u64,
    /// Hover/selection highlights drawn above everything; re-uploaded each frame.
    pub overlay_edges: Arc<Vec<EdgeInstance>>,
    /// (node index, style) highlights drawn above the overlay edges.
    pub overlay_nodes: Arc<Vec<(u32, NodeStyle)>>,
    pub camera: Camera,
    /// Fade the non-overlay graph (e.g. while something is hovered).
    pub background_dim: bool,
    /// Opacity (0..=1) of the non-overlay edges and their arrowheads, from
    /// how densely they cover the picture (see
    /// [`crate::scene::edge_style::density_alpha`]; 1 draws them as they
    /// are). Highlights are never faded.
    pub edge_alpha: f32,
    /// The canvas fill, drawn by the renderer (None: transparent). egui's
    /// own fill samples a texture per pixel, which a software rasteriser
    /// pays about 50 ms for on a 1600 × 1000 canvas.
    pub background: Option<egui::Color32>,
    pub quality: RenderQuality,
}

/// How a frame trades detail for time. The graph is drawn into a picture
/// kept between frames (only the highlights are drawn every frame), so a
/// frame where neither the graph nor the camera changed costs one copy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RenderQuality {
    /// The whole picture at full detail in this frame, whatever it costs:
    /// GPUs, small graphs, exports and tests.
    #[default]
    Full,
    /// The whole picture at full detail, drawn on the CPU on every core
    /// (software/) and copied in; the highlights, labels and the rest on
    /// the GPU as usual. For exports of big graphs on a software
    /// rasteriser, where it is many times faster than the rasteriser.
    Cpu,
    /// For software rasterisers and big graphs: while the picture changes
    /// (camera, layout), edges are drawn as one-pixel lines without
    /// arrowheads; once it holds still, the full picture is drawn a slice
    /// per frame behind the one shown, and replaces it when complete.
    Adaptive,
}

impl RenderQuality {
    /// Below this many edges a software rasteriser draws the full picture
    /// in a few milliseconds, so there is nothing to gain.
    pub const ADAPTIVE_MIN_EDGES: usize = 5_000;

    /// The quality the window uses on `adapter` for a graph of `edges`.
    pub fn for_window(software: bool, edges: usize) -> Self {
        if software && edges >= Self::ADAPTIVE_MIN_EDGES {
            Self::Adaptive
        } else {
            Self::Full
        }
    }
}

/// Packs an egui colour the way the shaders read it.
pub fn color_to_u32(color: egui::Color32) -> u32 {
    u32::from_le_bytes(color.to_array())
}

/// The quadratic Bézier control point of an edge; the curve's own midpoint
/// (t = 0.5) lies halfway between the chord midpoint and this point.
pub fn edge_control_point(source: [f32; 2], target: [f32; 2], bend: f32) -> [f32; 2] {
    let mid = [0.5 * (source[0] + target[0]), 0.5 * (source[1] + target[1])];
    let d = [target[0] - source[0], target[1] - source[1]];
    let len = d[0].hypot(d[1]);
    if len < 1e-6 {
        return mid;
    }
    // Left normal of the direction of travel, with y pointing down.
    [mid[0] + d[1] / len * bend, mid[1] - d[0] / len * bend]
}

/// Point at parameter `t` in [0, 1] of the edge curve (straight when `bend` is
/// 0), for hit-testing against exactly what is drawn.
pub fn edge_point(source: [f32; 2], target: [f32; 2], bend: f32, t: f32) -> [f32; 2] {
    let c = edge_control_point(source, target, bend);
    let s = 1.0 - t;
    [
        s * s * source[0] + 2.0 * s * t * c[0] + t * t * target[0],
        s * s * source[1] + 2.0 * s * t * c[1] + t * t * target[1],
    ]
}

/// Centre and radius (world units) of the circle drawn for a self-loop on a
/// node at `node` with radius `radius`: above-right of the node, centred on its
/// boundary, so the loop visibly leaves and re-enters it; the part outside the
/// node is drawn. Several loops on one node: pass `radius + |bend|`, which
/// grows and moves the loop outwards while it stays attached (up to
/// `|bend|` = 4 radii).
pub fn self_loop_circle(node: [f32; 2], radius: f32) -> ([f32; 2], f32) {
    let offset = LOOP_CENTER_DISTANCE * radius * std::f32::consts::FRAC_1_SQRT_2;
    (
        [node[0] + offset, node[1] - offset],
        LOOP_RADIUS_FACTOR * radius,
    )
}
