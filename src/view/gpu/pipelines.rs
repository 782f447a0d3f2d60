//! The graph renderer's shaders and pipelines: the picture passes (drawn
//! into a texture the size of the canvas, see cache.rs) and the window pass
//! (the picture copied in, and the highlights on top).

use std::borrow::Cow;

use egui_wgpu::wgpu;

use super::buffers::{layout_entry, storage};

pub(super) struct Pipelines {
    /// Picture passes: full-detail edges and nodes.
    pub edges: wgpu::RenderPipeline,
    pub nodes: wgpu::RenderPipeline,
    /// Window pass: the picture (or, for small graphs, the background and
    /// the graph drawn directly), then highlights.
    pub composite: wgpu::RenderPipeline,
    pub background: wgpu::RenderPipeline,
    pub direct_edges: wgpu::RenderPipeline,
    pub direct_nodes: wgpu::RenderPipeline,
    pub overlay_edges: wgpu::RenderPipeline,
    pub overlay_nodes: wgpu::RenderPipeline,
    pub scene_layout: wgpu::BindGroupLayout,
    pub edges_layout: wgpu::BindGroupLayout,
    pub composite_layout: wgpu::BindGroupLayout,
}

/// Premultiplied alpha, the blending egui uses.
const PREMULTIPLIED: wgpu::BlendState = wgpu::BlendState {
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
};

/// The render pass a pipeline draws in.
#[derive(Clone, Copy)]
struct Pass {
    samples: u32,
    depth: Option<wgpu::TextureFormat>,
}

impl Pipelines {
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
        let composite_module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("linkscope_graph_composite"),
            source: wgpu::ShaderSource::Wgsl(Cow::Borrowed(include_str!("composite.wgsl"))),
        });

        let vertex = wgpu::ShaderStages::VERTEX;
        let scene_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("linkscope_graph_scene"),
            entries: &[
                layout_entry(
                    0,
                    wgpu::BufferBindingType::Uniform,
                    vertex | wgpu::ShaderStages::FRAGMENT,
                ),
                layout_entry(1, storage(), vertex),
                layout_entry(2, storage(), vertex),
            ],
        });
        let edges_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("linkscope_graph_edges"),
            entries: &[
                layout_entry(0, storage(), vertex),
                layout_entry(1, storage(), vertex),
            ],
        });
        let composite_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("linkscope_graph_composite"),
            entries: &[
                layout_entry(
                    0,
                    wgpu::BufferBindingType::Uniform,
                    vertex | wgpu::ShaderStages::FRAGMENT,
                ),
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: false },
                        view_dimension: wgpu::TextureViewDimension::D2,
                        multisampled: false,
                    },
                    count: None,
                },
            ],
        });
        let graph_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("linkscope_graph"),
            bind_group_layouts: &[Some(&scene_layout), Some(&edges_layout)],
            immediate_size: 0,
        });
        let composite_pipeline_layout =
            device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some("linkscope_graph_composite"),
                bind_group_layouts: &[Some(&composite_layout)],
                immediate_size: 0,
            });

        let picture_pass = Pass {
            samples: 1,
            depth: None,
        };
        let window_pass = Pass {
            samples: msaa_samples,
            depth: depth_format,
        };
        let pipeline = |label: &str,
                        layout: &wgpu::PipelineLayout,
                        module: &wgpu::ShaderModule,
                        [vertex, fragment]: [&str; 2],
                        pass: Pass| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(layout),
                vertex: wgpu::VertexState {
                    module,
                    entry_point: Some(vertex),
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                    buffers: &[],
                },
                primitive: wgpu::PrimitiveState::default(),
                // Must match the render pass exactly, or wgpu rejects the draw.
                depth_stencil: pass.depth.map(|format| wgpu::DepthStencilState {
                    format,
                    depth_write_enabled: Some(false),
                    depth_compare: Some(wgpu::CompareFunction::Always),
                    stencil: wgpu::StencilState::default(),
                    bias: wgpu::DepthBiasState::default(),
                }),
                multisample: wgpu::MultisampleState {
                    count: pass.samples,
                    mask: !0,
                    alpha_to_coverage_enabled: false,
                },
                fragment: Some(wgpu::FragmentState {
                    module,
                    entry_point: Some(fragment),
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                    targets: &[Some(wgpu::ColorTargetState {
                        format: target_format,
                        blend: Some(PREMULTIPLIED),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        let graph = |label, entries, pass| pipeline(label, &graph_layout, &module, entries, pass);
        Self {
            edges: graph(
                "linkscope_graph_edges",
                ["vs_edge", "fs_edge"],
                picture_pass,
            ),
            nodes: graph(
                "linkscope_graph_nodes",
                ["vs_node", "fs_node"],
                picture_pass,
            ),
            composite: pipeline(
                "linkscope_graph_composite",
                &composite_pipeline_layout,
                &composite_module,
                ["vs_composite", "fs_composite"],
                window_pass,
            ),
            background: pipeline(
                "linkscope_graph_background",
                &composite_pipeline_layout,
                &composite_module,
                ["vs_composite", "fs_background"],
                window_pass,
            ),
            direct_edges: graph(
                "linkscope_graph_direct_edges",
                ["vs_edge", "fs_edge"],
                window_pass,
            ),
            direct_nodes: graph(
                "linkscope_graph_direct_nodes",
                ["vs_node", "fs_node"],
                window_pass,
            ),
            overlay_edges: graph(
                "linkscope_graph_overlay_edges",
                ["vs_overlay_edge", "fs_edge"],
                window_pass,
            ),
            overlay_nodes: graph(
                "linkscope_graph_overlay_nodes",
                ["vs_overlay_node", "fs_node"],
                window_pass,
            ),
            scene_layout,
            edges_layout,
            composite_layout,
        }
    }
}
