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

use egui_wgpu::wgpu;

use resources::GraphResources;

pub use crate::scene::instances::*;

/// Tessellation of curved edges and self-loops: each is drawn with
/// `6 * EDGE_SEGMENTS + 3` vertices (quads plus one arrowhead triangle).
pub const EDGE_SEGMENTS: u32 = 24;

/// Vertices of a straight edge: one quad and the arrowhead triangle.
pub const STRAIGHT_VERTICES: u32 = 6 + 3;
/// Vertices of a curved edge or self-loop.
pub const CURVED_VERTICES: u32 = 6 * EDGE_SEGMENTS + 3;

/// The constants the shaders share with the CPU geometry (hit-testing,
/// fitting, labels), written from the Rust values so that the two sides
/// cannot drift apart; prepended to the WGSL source.
pub(crate) fn shader_prelude() -> String {
    use crate::scene::edge_style::{
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
