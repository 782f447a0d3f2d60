//! The picture of the graph kept between frames, and the plan for drawing
//! the full-detail picture a slice per frame (see `RenderQuality::Adaptive`).
//!
//! The graph is drawn into a texture the size of the canvas; the window's
//! frame copies it in and draws the highlights on top. So a frame where only
//! a panel, the hover or the selection changed costs one copy, and a slow
//! full-detail picture can be drawn behind the one shown, slice by slice,
//! while the window keeps answering.

use std::ops::Range;
use std::time::{Duration, Instant};

use egui_wgpu::wgpu;

use super::{CURVED_VERTICES, Camera, STRAIGHT_VERTICES};

/// What a picture shows: drawing it again with the same key gives the same
/// pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct PictureKey {
    pub positions_generation: u64,
    pub styles_generation: u64,
    /// Nodes and edges: a graph replaced by one with reused generations
    /// still differs here.
    pub lengths: [usize; 2],
    pub camera: Camera,
    /// The canvas in framebuffer pixels: left, top, width, height.
    pub canvas_px: [u32; 4],
    pub pixels_per_point: f32,
    pub background: Option<egui::Color32>,
    /// `GraphFrame::edge_alpha`, as bits.
    pub edge_alpha: u32,
}

/// One draw of a slice: a range of edges or nodes, with the vertices each
/// instance takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum SliceDraw {
    Edges {
        instances: Range<u32>,
        vertices: u32,
    },
    Nodes(Range<u32>),
}

/// How far the full-detail picture has been drawn: straight edges first,
/// then curved ones, then the nodes (the order of a one-pass draw).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct SliceCursor {
    edges_done: u32,
    nodes_done: u32,
}

impl SliceCursor {
    /// The draws of the next slice of about `budget` vertices (at least one
    /// item, so every slice makes progress), and the cursor after them.
    pub(super) fn next(
        self,
        straight_edges: u32,
        edges: u32,
        nodes: u32,
        budget: u32,
    ) -> (Vec<SliceDraw>, Self) {
        let mut cursor = self;
        let mut left = budget.max(1);
        let mut draws = Vec::new();
        for (end, vertices) in [
            (straight_edges, STRAIGHT_VERTICES),
            (edges, CURVED_VERTICES),
        ] {
            if left == 0 || cursor.edges_done >= end {
                continue;
            }
            let count = (left / vertices).clamp(1, end - cursor.edges_done);
            draws.push(SliceDraw::Edges {
                instances: cursor.edges_done..cursor.edges_done + count,
                vertices,
            });
            cursor.edges_done += count;
            // Curved edges may start only once every straight one is drawn.
            left = if cursor.edges_done < end {
                0
            } else {
                left.saturating_sub(count * vertices)
            };
        }
        if left > 0 && cursor.edges_done >= edges && cursor.nodes_done < nodes {
            let count = (left / 6).clamp(1, nodes - cursor.nodes_done);
            draws.push(SliceDraw::Nodes(
                cursor.nodes_done..cursor.nodes_done + count,
            ));
            cursor.nodes_done += count;
        }
        (draws, cursor)
    }

    pub(super) fn is_done(self, edges: u32, nodes: u32) -> bool {
        self.edges_done >= edges && self.nodes_done >= nodes
    }
}

/// Vertices per slice: grown while frames stay short, cut when they run
/// long, so the window keeps about `TARGET_FRAME` per frame on any machine.
pub(super) struct SliceBudget {
    vertices: u32,
    last_frame: Option<Instant>,
}

const TARGET_FRAME: Duration = Duration::from_millis(60);
const MIN_VERTICES: u32 = 10_000;
const MAX_VERTICES: u32 = 2_000_000;

impl Default for SliceBudget {
    fn default() -> Self {
        Self {
            vertices: 40_000,
            last_frame: None,
        }
    }
}

impl SliceBudget {
    /// A frame that drew no slice: the next slice frame has no previous one
    /// to learn from.
    pub(super) fn other_frame(&mut self) {
        self.last_frame = None;
    }

    /// Called at the start of each slice frame: adapts to how long the
    /// previous one took (the time between the two calls), when it was a
    /// slice frame too.
    pub(super) fn start_frame(&mut self) -> u32 {
        let now = Instant::now();
        if let Some(last) = self.last_frame {
            let took = now - last;
            let scaled = if took > TARGET_FRAME {
                f64::from(self.vertices) * 0.7
            } else if took < TARGET_FRAME / 2 {
                f64::from(self.vertices) * 1.4
            } else {
                f64::from(self.vertices)
            };
            self.vertices = (scaled as u32).clamp(MIN_VERTICES, MAX_VERTICES);
        }
        self.last_frame = Some(now);
        self.vertices
    }
}

/// A picture of the canvas, with what it shows.
pub(super) struct Picture {
    pub texture: wgpu::Texture,
    pub view: wgpu::TextureView,
    /// Bound for the copy into the window.
    pub composite_group: wgpu::BindGroup,
    pub key: Option<PictureKey>,
}

impl Picture {
    pub(super) fn new(
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
        size: [u32; 2],
        composite_layout: &wgpu::BindGroupLayout,
        composite_uniforms: &wgpu::Buffer,
    ) -> Self {
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("linkscope_graph_picture"),
            size: wgpu::Extent3d {
                width: size[0].max(1),
                height: size[1].max(1),
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            // Drawn by the GPU, or written from the CPU (the low-detail picture).
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT
                | wgpu::TextureUsages::TEXTURE_BINDING
                | wgpu::TextureUsages::COPY_DST,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let composite_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("linkscope_graph_composite"),
            layout: composite_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: composite_uniforms.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(&view),
                },
            ],
        });
        Self {
            texture,
            view,
            composite_group,
            key: None,
        }
    }

    pub(super) fn size(&self) -> [u32; 2] {
        [self.texture.width(), self.texture.height()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drawing slice after slice covers every edge and node exactly once,
    /// in the one-pass order, whatever the budget.
    #[test]
    fn slices_cover_everything_once_in_order() {
        for budget in [1, 9, 100, 1_000, 1_000_000] {
            let (straight, edges, nodes) = (40, 47, 30);
            let mut cursor = SliceCursor::default();
            let mut edge_order = Vec::new();
            let mut node_order = Vec::new();
            let mut slices = 0;
            while !cursor.is_done(edges, nodes) {
                let (draws, next) = cursor.next(straight, edges, nodes, budget);
                assert!(!draws.is_empty(), "every slice makes progress");
                for draw in draws {
                    match draw {
                        SliceDraw::Edges {
                            instances,
                            vertices,
                        } => {
                            for edge in instances {
                                let expected = if edge < straight {
                                    STRAIGHT_VERTICES
                                } else {
                                    CURVED_VERTICES
                                };
                                assert_eq!(vertices, expected);
                                edge_order.push(edge);
                            }
                        }
                        SliceDraw::Nodes(range) => node_order.extend(range),
                    }
                }
                cursor = next;
                slices += 1;
                assert!(slices < 10_000);
            }
            assert_eq!(edge_order, (0..edges).collect::<Vec<_>>());
            assert_eq!(node_order, (0..nodes).collect::<Vec<_>>());
            if budget == 1_000_000 {
                assert_eq!(slices, 1, "a big budget draws it all at once");
            }
        }
    }

    #[test]
    fn budget_shrinks_after_long_frames_and_grows_after_short_ones() {
        let mut budget = SliceBudget::default();
        let first = budget.start_frame();
        budget.last_frame = Instant::now().checked_sub(Duration::from_millis(500));
        let after_long = budget.start_frame();
        assert!(after_long < first);
        budget.last_frame = Some(Instant::now());
        let after_short = budget.start_frame();
        assert!(after_short > after_long);
    }
}
