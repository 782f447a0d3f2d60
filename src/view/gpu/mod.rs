//! GPU graph renderer: draws every node and edge of the canvas with instancing
//! inside one `egui_wgpu` paint callback.
//!
//! Graphs reach 1M edges and 200k nodes while the layout moves every node each
//! frame, so edges only reference node indices and node positions live in one
//! storage buffer: while the layout runs, that buffer is the only thing
//! re-uploaded. Styles and edges are re-uploaded when `styles_generation`
//! changes; the small hover/selection overlays every frame.
//!
//! World coordinates grow rightwards and downwards, like egui's screen space.
//! Only one graph canvas per egui frame is supported: the GPU resources
//! (uniforms included) are shared by all callbacks of a frame.

mod buffers;
mod cache;
mod lod;
pub mod offscreen;
mod pipelines;
mod resources;
pub mod software;

use std::sync::Arc;

use egui_wgpu::wgpu;

use resources::GraphResources;

/// Tessellation of curved edges and self-loops: each is drawn with
/// `6 * EDGE_SEGMENTS + 3` vertices (quads plus one arrowhead triangle).
pub const EDGE_SEGMENTS: u32 = 24;

/// Vertices of a straight edge: one quad and the arrowhead triangle.
pub const STRAIGHT_VERTICES: u32 = 6 + 3;
/// Vertices of a curved edge or self-loop.
pub const CURVED_VERTICES: u32 = 6 * EDGE_SEGMENTS + 3;

/// Nodes never get smaller than this on screen (points), so zoomed-out graphs
/// keep visible dots.
pub const MIN_NODE_RADIUS_PT: f32 = 2.0;

/// Half the width of a node's bounding square, relative to its radius (the
/// diamond's tips reach furthest). Useful for conservative hit-testing.
pub const SHAPE_EXTENT: f32 = 1.2;

/// Draw an arrowhead at the target end, where it fits (see
/// [`crate::view::edge_style::arrow_length_px`]).
pub const EDGE_ARROW: u32 = 1;
/// Draw the edge dashed (6 points on, 4 off, in screen space).
pub const EDGE_DASHED: u32 = 2;

// Self-loop proportions (see `self_loop_circle`).
const LOOP_RADIUS_FACTOR: f32 = 0.8;
const LOOP_CENTER_DISTANCE: f32 = 1.0;

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
    /// [`crate::view::edge_style::arrow_length_px`]).
    pub const ARROW_HALF_WIDTH: f32 = 0.45;
    /// The line stops this fraction into the arrowhead so no gap shows at
    /// its base.
    pub const ARROW_OVERLAP: f32 = 0.7;
    /// Curves get one segment per this many pixels of control polygon.
    pub const CURVE_PX_PER_SEGMENT: f32 = 8.0;
    /// Extra pixels around every primitive for the anti-aliased fringe.
    pub const AA_PX: f32 = 0.5;
}

/// The constants the shaders share with the CPU geometry (hit-testing,
/// fitting, labels), written from the Rust values so that the two sides
/// cannot drift apart; prepended to the WGSL source.
pub(crate) fn shader_prelude() -> String {
    use super::edge_style::{
        ARROW_BASE_LEN_PT, ARROW_LEN_PER_WIDTH, ARROW_MAX_PER_RADIUS, ARROW_MIN_LEN_PT,
    };
    format!(
        "const SEGMENTS: u32 = {EDGE_SEGMENTS}u;\n\
         const EDGE_ARROW: u32 = {EDGE_ARROW}u;\n\
         const EDGE_DASHED: u32 = {EDGE_DASHED}u;\n\
         const ARROW_BASE_LEN_PT: f32 = {ARROW_BASE_LEN_PT:?};\n\
         const ARROW_LEN_PER_WIDTH: f32 = {ARROW_LEN_PER_WIDTH:?};\n\
         const ARROW_MAX_PER_RADIUS: f32 = {ARROW_MAX_PER_RADIUS:?};\n\
         const ARROW_MIN_LEN_PT: f32 = {ARROW_MIN_LEN_PT:?};\n\
         const MIN_NODE_RADIUS_PT: f32 = {MIN_NODE_RADIUS_PT:?};\n\
         const SHAPE_EXTENT: f32 = {SHAPE_EXTENT:?};\n\
         const LOOP_RADIUS_FACTOR: f32 = {LOOP_RADIUS_FACTOR:?};\n\
         const LOOP_CENTER_DISTANCE: f32 = {LOOP_CENTER_DISTANCE:?};\n\
         const SQUARE_HALF: f32 = {:?};\n\
         const SQUARE_CORNER: f32 = {:?};\n\
         const TRIANGLE_INRADIUS: f32 = {:?};\n\
         const OUTLINE_PT: f32 = {:?};\n\
         const DASH_ON_PT: f32 = {:?};\n\
         const DASH_OFF_PT: f32 = {:?};\n\
         const ARROW_HALF_WIDTH: f32 = {:?};\n\
         const ARROW_OVERLAP: f32 = {:?};\n\
         const CURVE_PX_PER_SEGMENT: f32 = {:?};\n\
         const AA_PX: f32 = {:?};\n",
        look::SQUARE_HALF,
        look::SQUARE_CORNER,
        look::TRIANGLE_INRADIUS,
        look::OUTLINE_PT,
        look::DASH_ON_PT,
        look::DASH_OFF_PT,
        look::ARROW_HALF_WIDTH,
        look::ARROW_OVERLAP,
        look::CURVE_PX_PER_SEGMENT,
        look::AA_PX,
    )
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
    /// [`crate::view::edge_style::density_alpha`]; 1 draws them as they
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

/// Whether `render_state` draws in software (lavapipe, WARP, SwiftShader):
/// every pixel and vertex costs CPU time there.
pub fn is_software(render_state: &egui_wgpu::RenderState) -> bool {
    render_state.adapter.get_info().device_type == wgpu::DeviceType::Cpu
}

/// Asks for the device with small memory blocks on a software adapter.
///
/// wgpu's allocator otherwise takes host memory in blocks of 64–128 MiB and
/// device memory in blocks of 128–256 MiB. On lavapipe or WARP both are the
/// process's own heap, and the pages an upload touches stay resident: at
/// 200k entities / 1M relations those blocks held about 80 MB of the
/// window's resident set. A GPU keeps wgpu's default, which favours speed.
pub fn prefer_small_memory_blocks_in_software(setup: &mut egui_wgpu::WgpuSetup) {
    if let egui_wgpu::WgpuSetup::CreateNew(create) = setup {
        let base = std::sync::Arc::clone(&create.device_descriptor);
        create.device_descriptor = std::sync::Arc::new(move |adapter| {
            let mut descriptor = base(adapter);
            if adapter.get_info().device_type == wgpu::DeviceType::Cpu {
                descriptor.memory_hints = wgpu::MemoryHints::MemoryUsage;
            }
            descriptor
        });
    }
}

/// Makes the renderer ask `ctx` for another frame while it draws the full
/// picture slice by slice (see [`RenderQuality::Adaptive`]).
pub fn repaint_while_refining(render_state: &egui_wgpu::RenderState, ctx: &egui::Context) {
    if let Some(resources) = render_state
        .renderer
        .write()
        .callback_resources
        .get_mut::<GraphResources>()
    {
        resources.repaint = Some(ctx.clone());
    }
}

/// Whether the renderer still owes the window a frame: a full-detail
/// picture is being drawn slice by slice (see [`RenderQuality::Adaptive`]).
/// The app asks for another frame while this holds.
pub fn is_refining(render_state: &egui_wgpu::RenderState) -> bool {
    render_state
        .renderer
        .read()
        .callback_resources
        .get::<GraphResources>()
        .is_some_and(GraphResources::is_refining)
}

/// Packs an egui colour the way the shaders read it.
pub fn color_to_u32(color: egui::Color32) -> u32 {
    u32::from_le_bytes(color.to_array())
}

/// Storage buffers the vertex shaders read (positions, styles, edges,
/// overlay nodes).
const VERTEX_STORAGE_BUFFERS: u32 = 4;

/// Whether the device can run the graph shaders: they read storage buffers in
/// the vertex stage, which the GL fallback backend usually cannot. When this
/// is false, [`install`] does nothing and [`paint_graph`] draws nothing, so the
/// app should tell the user instead.
pub fn is_supported(render_state: &egui_wgpu::RenderState) -> bool {
    let downlevel = render_state.adapter.get_downlevel_capabilities();
    downlevel
        .flags
        .contains(wgpu::DownlevelFlags::VERTEX_STORAGE)
        && render_state
            .device
            .limits()
            .max_storage_buffers_per_shader_stage
            >= VERTEX_STORAGE_BUFFERS
}

/// Registers the pipelines in the renderer's callback resources, for egui's
/// default render target (no MSAA, no depth buffer: eframe's defaults). Call
/// once with `cc.wgpu_render_state`.
pub fn install(render_state: &egui_wgpu::RenderState) {
    install_with(render_state, 1, None);
}

/// Like [`install`] for apps whose `NativeOptions` set `multisampling`
/// (`msaa_samples`) or `depth_buffer`: the pipelines must match egui's render
/// pass, whose settings the renderer does not expose.
pub fn install_with(
    render_state: &egui_wgpu::RenderState,
    msaa_samples: u32,
    depth_format: Option<wgpu::TextureFormat>,
) {
    if !is_supported(render_state) {
        // Creating the pipelines would be a wgpu validation error, which
        // panics; an empty canvas is the better failure.
        log::error!(
            "the GPU cannot read storage buffers in vertex shaders; the graph is not drawn"
        );
        return;
    }
    let resources = GraphResources::new(
        &render_state.device,
        render_state.target_format,
        msaa_samples.max(1),
        depth_format,
    );
    render_state
        .renderer
        .write()
        .callback_resources
        .insert(resources);
}

/// Adds the paint callback drawing `frame` into `viewport` (the canvas rect,
/// in points) to the painter. Clipping follows the painter's clip rect.
pub fn paint_graph(painter: &egui::Painter, viewport: egui::Rect, frame: GraphFrame) {
    painter.add(egui_wgpu::Callback::new_paint_callback(
        viewport,
        GraphCallback { viewport, frame },
    ));
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

/// The per-frame callback: uploads in `prepare`, draws in `paint`.
struct GraphCallback {
    viewport: egui::Rect,
    frame: GraphFrame,
}

impl egui_wgpu::CallbackTrait for GraphCallback {
    fn prepare(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        screen_descriptor: &egui_wgpu::ScreenDescriptor,
        _egui_encoder: &mut wgpu::CommandEncoder,
        callback_resources: &mut egui_wgpu::CallbackResources,
    ) -> Vec<wgpu::CommandBuffer> {
        // Without resources (install not called, or unsupported: logged
        // there) the canvas stays empty rather than logging every frame.
        callback_resources
            .get_mut::<GraphResources>()
            .map(|resources| {
                resources.prepare(device, queue, screen_descriptor, self.viewport, &self.frame)
            })
            .unwrap_or_default()
    }

    fn paint(
        &self,
        info: egui::PaintCallbackInfo,
        render_pass: &mut wgpu::RenderPass<'static>,
        callback_resources: &egui_wgpu::CallbackResources,
    ) {
        if let Some(resources) = callback_resources.get::<GraphResources>() {
            resources.paint(&info, render_pass);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_round_trips() {
        let viewport = egui::Rect::from_min_size(egui::pos2(10.0, 20.0), egui::vec2(400.0, 300.0));
        let camera = Camera {
            center_world: [5.0, -3.0],
            zoom: 2.5,
        };
        let p = [12.0, 7.5];
        let s = camera.screen_from_world(viewport, p);
        let back = camera.world_from_screen(viewport, s);
        assert!((back[0] - p[0]).abs() < 1e-4 && (back[1] - p[1]).abs() < 1e-4);
        assert_eq!(
            camera.screen_from_world(viewport, [5.0, -3.0]),
            viewport.center()
        );
    }

    #[test]
    fn control_point_is_left_of_travel() {
        // Travelling right on a y-down screen, "left" is up (smaller y).
        let near =
            |a: [f32; 2], b: [f32; 2]| (a[0] - b[0]).abs() < 1e-5 && (a[1] - b[1]).abs() < 1e-5;
        assert!(near(
            edge_control_point([0.0, 0.0], [10.0, 0.0], 4.0),
            [5.0, -4.0]
        ));
        assert!(near(
            edge_control_point([1.0, 1.0], [1.0, 1.0], 4.0),
            [1.0, 1.0]
        ));
        // The curve's midpoint is halfway to the control point.
        assert!(near(
            edge_point([0.0, 0.0], [10.0, 0.0], 4.0, 0.5),
            [5.0, -2.0]
        ));
    }

    #[test]
    fn self_loops_grow_with_bend() {
        let (c0, r0) = self_loop_circle([0.0, 0.0], 10.0);
        let (c1, r1) = self_loop_circle([0.0, 0.0], 10.0 + 5.0);
        assert!(r1 > r0);
        assert!(c0[0] > 0.0 && c0[1] < 0.0, "above-right of the node");
        // The loop overlaps the node, so it visibly leaves and re-enters it.
        let d = c0[0].hypot(c0[1]);
        assert!(d < 10.0 + r0 && d > 10.0 - r0);
        assert!(c1[0] > c0[0]);
    }

    #[test]
    fn gpu_structs_match_shader_layout() {
        assert_eq!(std::mem::size_of::<NodeStyle>(), 16);
        assert_eq!(std::mem::size_of::<EdgeInstance>(), 24);
    }
}
