//! GPU-side state of the graph renderer: pipelines, growable storage buffers,
//! bind groups and the generations last uploaded, kept in `egui_wgpu`'s
//! callback resources between frames.

use std::borrow::Cow;

use egui_wgpu::wgpu;

use super::buffers::{GrowBuffer, bind_groups, layout_entry, storage};
use super::{EDGE_SEGMENTS, EdgeInstance, GraphFrame, NodeStyle};

/// Alpha of the non-overlay graph while `background_dim` is set.
const DIM_ALPHA: f32 = 0.25;

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
    pad: [f32; 2],
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
fn partition_edges(edges: &[EdgeInstance]) -> (Vec<EdgeInstance>, u32) {
    let is_straight = |e: &&EdgeInstance| e.source != e.target && e.bend == 0.0;
    let mut sorted = Vec::with_capacity(edges.len());
    sorted.extend(edges.iter().filter(is_straight));
    let straight = sorted.len() as u32;
    sorted.extend(edges.iter().filter(|e| !is_straight(e)));
    (sorted, straight)
}

pub(super) struct GraphResources {
    edge_pipeline: wgpu::RenderPipeline,
    overlay_edge_pipeline: wgpu::RenderPipeline,
    node_pipeline: wgpu::RenderPipeline,
    overlay_node_pipeline: wgpu::RenderPipeline,
    scene_layout: wgpu::BindGroupLayout,
    edges_layout: wgpu::BindGroupLayout,
    uniforms: wgpu::Buffer,
    linear_output: bool,

    positions: GrowBuffer,
    styles: GrowBuffer,
    edges: GrowBuffer,
    overlay_edges: GrowBuffer,
    overlay_nodes: GrowBuffer,
    scene_group: wgpu::BindGroup,
    edges_group: wgpu::BindGroup,
    overlay_group: wgpu::BindGroup,

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
}

impl GraphResources {
    pub(super) fn new(
        device: &wgpu::Device,
        target_format: wgpu::TextureFormat,
        msaa_samples: u32,
        depth_format: Option<wgpu::TextureFormat>,
    ) -> Self {
        // WGSL has no includes: the edge half is appended to the shared half.
        let source = format!(
            "{}\n{}\n{}",
            super::shader_prelude(),
            include_str!("graph.wgsl"),
            include_str!("edges.wgsl")
        );
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("linkscope_graph"),
            source: wgpu::ShaderSource::Wgsl(Cow::Owned(source)),
        });

        let vertex_stages = wgpu::ShaderStages::VERTEX;
        let scene_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("linkscope_graph_scene"),
            entries: &[
                layout_entry(
                    0,
                    wgpu::BufferBindingType::Uniform,
                    vertex_stages | wgpu::ShaderStages::FRAGMENT,
                ),
                layout_entry(1, storage(), vertex_stages),
                layout_entry(2, storage(), vertex_stages),
            ],
        });
        let edges_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("linkscope_graph_edges"),
            entries: &[
                layout_entry(0, storage(), vertex_stages),
                layout_entry(1, storage(), vertex_stages),
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("linkscope_graph"),
            bind_group_layouts: &[Some(&scene_layout), Some(&edges_layout)],
            immediate_size: 0,
        });

        let pipeline = |label: &str, vertex: &str, fragment: &str| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(&pipeline_layout),
                vertex: wgpu::VertexState {
                    module: &module,
                    entry_point: Some(vertex),
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                    buffers: &[],
                },
                primitive: wgpu::PrimitiveState::default(),
                // Must match egui's render pass exactly, or wgpu rejects the draw.
                depth_stencil: depth_format.map(|format| wgpu::DepthStencilState {
                    format,
                    depth_write_enabled: Some(false),
                    depth_compare: Some(wgpu::CompareFunction::Always),
                    stencil: wgpu::StencilState::default(),
                    bias: wgpu::DepthBiasState::default(),
                }),
                multisample: wgpu::MultisampleState {
                    count: msaa_samples,
                    mask: !0,
                    alpha_to_coverage_enabled: false,
                },
                fragment: Some(wgpu::FragmentState {
                    module: &module,
                    entry_point: Some(fragment),
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                    targets: &[Some(wgpu::ColorTargetState {
                        format: target_format,
                        // Premultiplied alpha, the same blending egui uses.
                        blend: Some(wgpu::BlendState {
                            color: wgpu::BlendComponent {
                                src_factor: wgpu::BlendFactor::One,
                                dst_factor: wgpu::BlendFactor::OneMinusSrcAlpha,
                                operation: wgpu::BlendOperation::Add,
                            },
                            alpha: wgpu::BlendComponent {
                                src_factor: wgpu::BlendFactor::OneMinusDstAlpha,
                                dst_factor: wgpu::BlendFactor::One,
                                operation: wgpu::BlendOperation::Add,
                            },
                        }),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        };

        let uniforms = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("linkscope_graph_uniforms"),
            size: std::mem::size_of::<Uniforms>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let positions = GrowBuffer::new(device, "linkscope_graph_positions");
        let styles = GrowBuffer::new(device, "linkscope_graph_styles");
        let edges = GrowBuffer::new(device, "linkscope_graph_edges");
        let overlay_edges = GrowBuffer::new(device, "linkscope_graph_overlay_edges");
        let overlay_nodes = GrowBuffer::new(device, "linkscope_graph_overlay_nodes");
        let (scene_group, edges_group, overlay_group) = bind_groups(
            device,
            &scene_layout,
            &edges_layout,
            &uniforms,
            [&positions, &styles, &edges, &overlay_edges, &overlay_nodes],
        );

        Self {
            edge_pipeline: pipeline("linkscope_graph_edges", "vs_edge", "fs_edge"),
            overlay_edge_pipeline: pipeline(
                "linkscope_graph_overlay_edges",
                "vs_overlay_edge",
                "fs_edge",
            ),
            node_pipeline: pipeline("linkscope_graph_nodes", "vs_node", "fs_node"),
            overlay_node_pipeline: pipeline(
                "linkscope_graph_overlay_nodes",
                "vs_overlay_node",
                "fs_node",
            ),
            scene_layout,
            edges_layout,
            uniforms,
            linear_output: target_format.is_srgb(),
            positions,
            styles,
            edges,
            overlay_edges,
            overlay_nodes,
            scene_group,
            edges_group,
            overlay_group,
            positions_uploaded: None,
            styles_uploaded: None,
            positions_len: 0,
            styles_len: 0,
            edge_count: 0,
            straight_edge_count: 0,
            overlay_edge_count: 0,
            overlay_straight_count: 0,
            overlay_node_count: 0,
        }
    }

    /// Uploads what changed since the last frame and the per-frame uniforms.
    pub(super) fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        screen: &egui_wgpu::ScreenDescriptor,
        viewport: egui::Rect,
        frame: &GraphFrame,
    ) {
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
            (self.scene_group, self.edges_group, self.overlay_group) = bind_groups(
                device,
                &self.scene_layout,
                &self.edges_layout,
                &self.uniforms,
                [
                    &self.positions,
                    &self.styles,
                    &self.edges,
                    &self.overlay_edges,
                    &self.overlay_nodes,
                ],
            );
        }

        let ppp = screen.pixels_per_point;
        let [screen_w, screen_h] = screen.size_in_pixels;
        // Cull against the canvas as egui will clip it (viewport ∩ screen).
        let visible =
            egui::epaint::ViewportInPixels::from_points(&viewport, ppp, screen.size_in_pixels);
        let center = viewport.center();
        let uniforms = Uniforms {
            screen_size_px: [screen_w as f32, screen_h as f32],
            center_px: [center.x * ppp, center.y * ppp],
            camera_world: frame.camera.center_world,
            px_per_world: frame.camera.zoom * ppp,
            pixels_per_point: ppp,
            cull_min: [visible.left_px as f32, visible.top_px as f32],
            cull_max: [
                (visible.left_px + visible.width_px) as f32,
                (visible.top_px + visible.height_px) as f32,
            ],
            dim_alpha: if frame.background_dim { DIM_ALPHA } else { 1.0 },
            linear_output: u32::from(self.linear_output),
            pad: [0.0; 2],
        };
        queue.write_buffer(&self.uniforms, 0, bytemuck::bytes_of(&uniforms));
    }

    /// Draws edges, nodes, overlay edges, overlay nodes, in that order.
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
        pass.set_bind_group(0, &self.scene_group, &[]);

        let curved_vertices = 6 * EDGE_SEGMENTS + 3;
        let nodes = self.positions_len.min(self.styles_len);

        pass.set_bind_group(1, &self.edges_group, &[]);
        if self.edge_count > 0 && nodes > 0 {
            pass.set_pipeline(&self.edge_pipeline);
            pass.draw(0..9, 0..self.straight_edge_count);
            pass.draw(
                0..curved_vertices,
                self.straight_edge_count..self.edge_count,
            );
        }
        if nodes > 0 {
            pass.set_pipeline(&self.node_pipeline);
            pass.draw(0..6, 0..nodes);
        }

        pass.set_bind_group(1, &self.overlay_group, &[]);
        if self.overlay_edge_count > 0 && nodes > 0 {
            pass.set_pipeline(&self.overlay_edge_pipeline);
            pass.draw(0..9, 0..self.overlay_straight_count);
            pass.draw(
                0..curved_vertices,
                self.overlay_straight_count..self.overlay_edge_count,
            );
        }
        if self.overlay_node_count > 0 && nodes > 0 {
            pass.set_pipeline(&self.overlay_node_pipeline);
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
