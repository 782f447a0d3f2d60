//! GPU-side state of the graph renderer: pipelines, growable storage buffers,
//! bind groups and the generations last uploaded, kept in `egui_wgpu`'s
//! callback resources between frames.

use egui_wgpu::wgpu;

mod picture;

use super::buffers::{BindGroups, GrowBuffer, SceneBuffers, bind_groups};
use super::cache::{Picture, PictureKey, SliceBudget, SliceCursor};
use super::pipelines::Pipelines;
use super::{
    CURVED_VERTICES, EdgeInstance, GraphFrame, NodeStyle, RenderQuality, STRAIGHT_VERTICES,
};

/// Alpha of the non-overlay graph while `background_dim` is set.
pub(super) const DIM_ALPHA: f32 = 0.25;

/// Per-frame uniforms, laid out as `Uniforms` in graph.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
struct Uniforms {
    screen_size_px: [f32; 2],
    center_px: [f32; 2],
    camera_world: [f32; 2],
    px_per_world: f32,
    pixels_per_point: f32,
    cull_min: [f32; 2],
    cull_max: [f32; 2],
    dim_alpha: f32,
    linear_output: u32,
    edge_alpha: f32,
    pad: f32,
}

/// The copy of the picture into the window, laid out as in composite.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
struct CompositeUniforms {
    origin_px: [f32; 2],
    size_px: [f32; 2],
    screen_size_px: [f32; 2],
    fade: f32,
    pad: f32,
    background: [f32; 4],
}

/// Overlay node as the shader reads it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
struct OverlayNode {
    index: u32,
    style: NodeStyle,
}

/// Edges sorted so straight ones (6-vertex quads) come first and curved ones
/// and self-loops (tessellated) after, so each range is one draw call with
/// the right vertex count.
pub(super) fn partition_edges(edges: &[EdgeInstance]) -> (Vec<EdgeInstance>, u32) {
    let is_straight = |e: &&EdgeInstance| e.source != e.target && e.bend == 0.0;
    let mut sorted = Vec::with_capacity(edges.len());
    sorted.extend(edges.iter().filter(is_straight));
    let straight = sorted.len() as u32;
    sorted.extend(edges.iter().filter(|e| !is_straight(e)));
    (sorted, straight)
}

/// How the graph reaches the window's pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Presentation {
    /// The canvas is not on screen.
    Nothing,
    /// The kept picture is copied in (see cache.rs).
    Picture,
    /// Drawn straight into the window's pass, on the background if any.
    Direct { background: bool },
}

pub(super) struct GraphResources {
    pipelines: Pipelines,
    target_format: wgpu::TextureFormat,
    linear_output: bool,
    /// The window pass's uniforms (highlights), the picture passes', and
    /// the copy's.
    frame_uniforms: wgpu::Buffer,
    picture_uniforms: wgpu::Buffer,
    composite_uniforms: wgpu::Buffer,

    positions: GrowBuffer,
    styles: GrowBuffer,
    edges: GrowBuffer,
    overlay_edges: GrowBuffer,
    overlay_nodes: GrowBuffer,
    groups: BindGroups,
    /// The low-detail picture's pixels, kept to reuse the allocation.
    lod_pixels: Vec<u32>,

    /// (generation, length) last uploaded; None = nothing yet.
    positions_uploaded: Option<(u64, usize)>,
    styles_uploaded: Option<(u64, usize, usize)>,
    positions_len: u32,
    styles_len: u32,
    edge_count: u32,
    straight_edge_count: u32,
    overlay_edge_count: u32,
    overlay_straight_count: u32,
    overlay_node_count: u32,

    /// The picture the window shows, and the one drawn behind it slice by
    /// slice (see cache.rs).
    shown: Option<Picture>,
    back: Option<Picture>,
    /// Whether `shown` has every detail (not the low-detail lines).
    shown_is_full: bool,
    /// The full picture being drawn into `back`, and how far it got.
    slicing: Option<(PictureKey, SliceCursor)>,
    budget: SliceBudget,
    last_key: Option<PictureKey>,
    /// How this frame's graph reaches the window.
    presentation: Presentation,
    /// Asked for another frame while the full picture is owed.
    pub(super) repaint: Option<egui::Context>,
}

impl GraphResources {
    pub(super) fn new(
        device: &wgpu::Device,
        target_format: wgpu::TextureFormat,
        msaa_samples: u32,
        depth_format: Option<wgpu::TextureFormat>,
    ) -> Self {
        let pipelines = Pipelines::new(device, target_format, msaa_samples, depth_format);
        let uniform_buffer = |label, size: usize| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: size as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        };
        let frame_uniforms =
            uniform_buffer("linkscope_graph_uniforms", std::mem::size_of::<Uniforms>());
        let picture_uniforms = uniform_buffer(
            "linkscope_graph_picture_uniforms",
            std::mem::size_of::<Uniforms>(),
        );
        let composite_uniforms = uniform_buffer(
            "linkscope_graph_composite_uniforms",
            std::mem::size_of::<CompositeUniforms>(),
        );
        let positions = GrowBuffer::new(device, "linkscope_graph_positions");
        let styles = GrowBuffer::new(device, "linkscope_graph_styles");
        let edges = GrowBuffer::new(device, "linkscope_graph_edges");
        let overlay_edges = GrowBuffer::new(device, "linkscope_graph_overlay_edges");
        let overlay_nodes = GrowBuffer::new(device, "linkscope_graph_overlay_nodes");
        let groups = bind_groups(
            device,
            &pipelines.scene_layout,
            &pipelines.edges_layout,
            [&frame_uniforms, &picture_uniforms],
            &SceneBuffers {
                positions: &positions,
                styles: &styles,
                edges: &edges,
                overlay_edges: &overlay_edges,
                overlay_nodes: &overlay_nodes,
            },
        );
        Self {
            pipelines,
            target_format,
            linear_output: target_format.is_srgb(),
            frame_uniforms,
            picture_uniforms,
            composite_uniforms,
            positions,
            styles,
            edges,
            overlay_edges,
            overlay_nodes,
            groups,
            lod_pixels: Vec::new(),
            positions_uploaded: None,
            styles_uploaded: None,
            positions_len: 0,
            styles_len: 0,
            edge_count: 0,
            straight_edge_count: 0,
            overlay_edge_count: 0,
            overlay_straight_count: 0,
            overlay_node_count: 0,
            shown: None,
            back: None,
            shown_is_full: false,
            slicing: None,
            budget: SliceBudget::default(),
            last_key: None,
            presentation: Presentation::Nothing,
            repaint: None,
        }
    }

    /// Whether the full picture is still owed (see [`super::is_refining`]).
    pub(super) fn is_refining(&self) -> bool {
        self.presentation == Presentation::Picture && !self.shown_is_full
    }

    /// Uploads what changed since the last frame, and draws the graph's
    /// picture if it must change: returns the command buffers that do it,
    /// which egui submits before its own pass.
    pub(super) fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        screen: &egui_wgpu::ScreenDescriptor,
        viewport: egui::Rect,
        frame: &GraphFrame,
    ) -> Vec<wgpu::CommandBuffer> {
        self.upload(device, queue, frame);

        let ppp = screen.pixels_per_point;
        let [screen_w, screen_h] = screen.size_in_pixels;
        // The canvas as egui will clip it (viewport ∩ screen), in pixels.
        let visible =
            egui::epaint::ViewportInPixels::from_points(&viewport, ppp, screen.size_in_pixels);
        let canvas_px = [
            visible.left_px.max(0) as u32,
            visible.top_px.max(0) as u32,
            visible.width_px.max(0) as u32,
            visible.height_px.max(0) as u32,
        ];
        let center = viewport.center();
        let uniforms = |origin: [f32; 2], size: [f32; 2]| Uniforms {
            screen_size_px: size,
            center_px: [center.x * ppp - origin[0], center.y * ppp - origin[1]],
            camera_world: frame.camera.center_world,
            px_per_world: frame.camera.zoom * ppp,
            pixels_per_point: ppp,
            cull_min: [0.0, 0.0],
            cull_max: size,
            dim_alpha: 1.0,
            linear_output: u32::from(self.linear_output),
            edge_alpha: if frame.edge_alpha.is_finite() {
                frame.edge_alpha.clamp(0.0, 1.0)
            } else {
                1.0
            },
            pad: 0.0,
        };
        // Highlights are drawn in the window's pass, in framebuffer pixels.
        // Small graphs at full detail are drawn straight into the window:
        // cheaper than keeping a picture and copying it in every frame.
        let direct = frame.quality == RenderQuality::Full
            && frame.edges.len() < RenderQuality::ADAPTIVE_MIN_EDGES;
        let frame_uniforms = Uniforms {
            dim_alpha: if direct && frame.background_dim {
                DIM_ALPHA
            } else {
                1.0
            },
            cull_min: [canvas_px[0] as f32, canvas_px[1] as f32],
            cull_max: [
                (canvas_px[0] + canvas_px[2]) as f32,
                (canvas_px[1] + canvas_px[3]) as f32,
            ],
            ..uniforms([0.0, 0.0], [screen_w as f32, screen_h as f32])
        };
        queue.write_buffer(&self.frame_uniforms, 0, bytemuck::bytes_of(&frame_uniforms));

        self.presentation = match (canvas_px[2] > 0 && canvas_px[3] > 0, direct) {
            (false, _) => Presentation::Nothing,
            (true, true) => Presentation::Direct {
                background: frame.background.is_some(),
            },
            (true, false) => Presentation::Picture,
        };
        if self.presentation == Presentation::Nothing {
            return Vec::new();
        }
        let origin = [canvas_px[0] as f32, canvas_px[1] as f32];
        let size = [canvas_px[2] as f32, canvas_px[3] as f32];
        queue.write_buffer(
            &self.picture_uniforms,
            0,
            bytemuck::bytes_of(&uniforms(origin, size)),
        );
        let background = frame
            .background
            .map_or([0.0; 4], |color| self.output_color(color));
        let composite = CompositeUniforms {
            origin_px: origin,
            size_px: size,
            screen_size_px: [screen_w as f32, screen_h as f32],
            fade: if frame.background_dim { DIM_ALPHA } else { 1.0 },
            pad: 0.0,
            background,
        };
        queue.write_buffer(&self.composite_uniforms, 0, bytemuck::bytes_of(&composite));
        // Direct drawing binds the shown picture's group for the background.
        self.ensure_pictures(device, [canvas_px[2], canvas_px[3]]);
        if matches!(self.presentation, Presentation::Direct { .. }) {
            self.last_key = None;
            return Vec::new();
        }

        let key = PictureKey {
            positions_generation: frame.positions_generation,
            styles_generation: frame.styles_generation,
            lengths: [frame.positions.len(), frame.edges.len()],
            camera: frame.camera,
            canvas_px,
            pixels_per_point: ppp,
            background: frame.background,
            edge_alpha: frame.edge_alpha.to_bits(),
        };
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("linkscope_graph_picture"),
        });
        let center_px = [center.x * ppp, center.y * ppp];
        self.draw_picture(
            device,
            queue,
            &mut encoder,
            frame,
            key,
            background,
            center_px,
        );
        self.last_key = Some(key);
        if self.is_refining()
            && let Some(ctx) = &self.repaint
        {
            ctx.request_repaint();
        }
        vec![encoder.finish()]
    }

    /// `color` as the shaders write it into the target (premultiplied,
    /// linear when the target is sRGB).
    fn output_color(&self, color: egui::Color32) -> [f32; 4] {
        let rgba = egui::Rgba::from(color);
        if self.linear_output {
            rgba.to_array()
        } else {
            let [r, g, b, a] = color.to_array();
            [r, g, b, a].map(|channel| f32::from(channel) / 255.0)
        }
    }

    /// Uploads positions, styles, edges and overlays when they changed, and rebuilds the bind groups if a buffer grew.
    fn upload(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, frame: &GraphFrame) {
        let mut replaced = false;

        let positions_key = (frame.positions_generation, frame.positions.len());
        if self.positions_uploaded != Some(positions_key) {
            replaced |=
                self.positions
                    .upload(device, queue, bytemuck::cast_slice(&frame.positions));
            self.positions_len = frame.positions.len() as u32;
            self.positions_uploaded = Some(positions_key);
        }

        let styles_key = (
            frame.styles_generation,
            frame.node_styles.len(),
            frame.edges.len(),
        );
        if self.styles_uploaded != Some(styles_key) {
            replaced |= self
                .styles
                .upload(device, queue, bytemuck::cast_slice(&frame.node_styles));
            let (sorted, straight) = partition_edges(&frame.edges);
            replaced |= self
                .edges
                .upload(device, queue, bytemuck::cast_slice(&sorted));
            self.styles_len = frame.node_styles.len() as u32;
            self.edge_count = sorted.len() as u32;
            self.straight_edge_count = straight;
            self.styles_uploaded = Some(styles_key);
        }
        let (overlay_edges, overlay_straight) = partition_edges(&frame.overlay_edges);
        replaced |= self
            .overlay_edges
            .upload(device, queue, bytemuck::cast_slice(&overlay_edges));
        self.overlay_edge_count = overlay_edges.len() as u32;
        self.overlay_straight_count = overlay_straight;
        // Overlay nodes pointing past the uploaded positions would read garbage.
        let overlay_nodes: Vec<OverlayNode> = frame
            .overlay_nodes
            .iter()
            .filter(|(index, _)| *index < self.positions_len)
            .map(|&(index, style)| OverlayNode { index, style })
            .collect();
        replaced |= self
            .overlay_nodes
            .upload(device, queue, bytemuck::cast_slice(&overlay_nodes));
        self.overlay_node_count = overlay_nodes.len() as u32;

        if replaced {
            self.groups = bind_groups(
                device,
                &self.pipelines.scene_layout,
                &self.pipelines.edges_layout,
                [&self.frame_uniforms, &self.picture_uniforms],
                &SceneBuffers {
                    positions: &self.positions,
                    styles: &self.styles,
                    edges: &self.edges,
                    overlay_edges: &self.overlay_edges,
                    overlay_nodes: &self.overlay_nodes,
                },
            );
        }
    }

    /// Copies the picture into the window, then draws the highlights.
    pub(super) fn paint(
        &self,
        info: &egui::PaintCallbackInfo,
        pass: &mut wgpu::RenderPass<'static>,
    ) {
        // The shaders work in whole-framebuffer pixels (egui set the viewport
        // to the canvas, clamped to the screen, which would skew a canvas that
        // is partly off screen); egui's scissor still clips to the canvas.
        let [w, h] = info.screen_size_px;
        pass.set_viewport(0.0, 0.0, w as f32, h as f32, 0.0, 1.0);
        let Some(shown) = &self.shown else {
            return;
        };
        let nodes = self.node_count();
        match self.presentation {
            Presentation::Nothing => return,
            Presentation::Picture => {
                pass.set_pipeline(&self.pipelines.composite);
                pass.set_bind_group(0, &shown.composite_group, &[]);
                pass.draw(0..6, 0..1);
            }
            Presentation::Direct { background } => {
                if background {
                    pass.set_pipeline(&self.pipelines.background);
                    pass.set_bind_group(0, &shown.composite_group, &[]);
                    pass.draw(0..6, 0..1);
                }
                pass.set_bind_group(0, &self.groups.frame_scene, &[]);
                pass.set_bind_group(1, &self.groups.edges, &[]);
                if nodes > 0 {
                    pass.set_pipeline(&self.pipelines.direct_edges);
                    pass.draw(0..STRAIGHT_VERTICES, 0..self.straight_edge_count);
                    pass.draw(
                        0..CURVED_VERTICES,
                        self.straight_edge_count..self.edge_count,
                    );
                    pass.set_pipeline(&self.pipelines.direct_nodes);
                    pass.draw(0..6, 0..nodes);
                }
            }
        }

        pass.set_bind_group(0, &self.groups.frame_scene, &[]);
        pass.set_bind_group(1, &self.groups.overlay, &[]);
        if self.overlay_edge_count > 0 && nodes > 0 {
            pass.set_pipeline(&self.pipelines.overlay_edges);
            pass.draw(0..STRAIGHT_VERTICES, 0..self.overlay_straight_count);
            pass.draw(
                0..CURVED_VERTICES,
                self.overlay_straight_count..self.overlay_edge_count,
            );
        }
        if self.overlay_node_count > 0 && nodes > 0 {
            pass.set_pipeline(&self.pipelines.overlay_nodes);
            pass.draw(0..6, 0..self.overlay_node_count);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_puts_straight_edges_first() {
        let edge = |source, target, bend| EdgeInstance {
            source,
            target,
            bend,
            width_px: 1.0,
            color: 0,
            flags: 0,
        };
        let edges = [
            edge(0, 1, 2.0),
            edge(1, 2, 0.0),
            edge(3, 3, 0.0),
            edge(2, 0, 0.0),
        ];
        let (sorted, straight) = partition_edges(&edges);
        assert_eq!(straight, 2);
        assert_eq!(sorted[..2], [edges[1], edges[3]]);
        assert_eq!(sorted[2..], [edges[0], edges[2]]);
        assert_eq!(std::mem::size_of::<Uniforms>() % 16, 0);
        assert_eq!(std::mem::size_of::<OverlayNode>(), 20);
    }
}
