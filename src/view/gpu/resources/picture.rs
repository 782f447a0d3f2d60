//! Drawing the graph's picture (see cache.rs): at full detail in one pass,
//! the low-detail picture on the CPU while it moves, or the full one slice
//! by slice behind the shown one once it holds still.

use egui_wgpu::wgpu;

use super::super::cache::{Picture, PictureKey, SliceCursor, SliceDraw};
use std::sync::Arc;

use super::super::lod::{self, LodScene};
use super::super::software::{self, SoftwareView};
use super::super::{CURVED_VERTICES, GraphFrame, RenderQuality, STRAIGHT_VERTICES};
use super::GraphResources;

impl GraphResources {
    /// Brings `shown` up to date with `key`, at `quality`.
    #[allow(clippy::too_many_arguments)] // one frame's inputs, each needed
    pub(super) fn draw_picture(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        frame: &GraphFrame,
        key: PictureKey,
        background: [f32; 4],
        center_px: [f32; 2],
    ) {
        let shown_key = self.shown.as_ref().and_then(|picture| picture.key);
        if shown_key == Some(key) && self.shown_is_full {
            self.budget.other_frame();
            return;
        }
        let moving = self.last_key != Some(key);
        match frame.quality {
            RenderQuality::Cpu if !self.linear_output => {
                if let Some(shown) = &mut self.shown {
                    shown.key = Some(key);
                }
                self.shown_is_full = true;
                self.slicing = None;
                self.budget.other_frame();
                self.draw_on_cpu(queue, frame, key, center_px);
            }
            // The CPU draws in the target's gamma space: an sRGB target
            // gets the GPU's picture.
            RenderQuality::Full | RenderQuality::Cpu => {
                if let Some(shown) = &mut self.shown {
                    shown.key = Some(key);
                }
                self.shown_is_full = true;
                self.slicing = None;
                self.budget.other_frame();
                let draws = self.all_draws();
                self.draw_into(encoder, true, background, &draws, false);
            }
            RenderQuality::Adaptive if moving || shown_key.is_none() => {
                if let Some(shown) = &mut self.shown {
                    shown.key = Some(key);
                }
                self.shown_is_full = false;
                self.slicing = None;
                self.budget.other_frame();
                self.draw_low_detail(queue, frame, key, center_px);
            }
            RenderQuality::Adaptive => {
                if self.back.is_none()
                    && let Some(shown) = &self.shown
                {
                    self.back = Some(Picture::new(
                        device,
                        self.target_format,
                        shown.size(),
                        &self.pipelines.composite_layout,
                        &self.composite_uniforms,
                    ));
                }
                let budget = self.budget.start_frame();
                let cursor = match self.slicing {
                    Some((slicing_key, cursor)) if slicing_key == key => cursor,
                    _ => SliceCursor::default(),
                };
                let first = cursor == SliceCursor::default();
                let nodes = self.node_count();
                let (draws, next) =
                    cursor.next(self.straight_edge_count, self.edge_count, nodes, budget);
                self.draw_into(encoder, false, background, &draws, first);
                if next.is_done(self.edge_count, nodes) {
                    std::mem::swap(&mut self.shown, &mut self.back);
                    if let Some(shown) = &mut self.shown {
                        shown.key = Some(key);
                    }
                    self.shown_is_full = true;
                    self.slicing = None;
                } else {
                    self.slicing = Some((key, next));
                }
            }
        }
    }

    pub(super) fn node_count(&self) -> u32 {
        self.positions_len.min(self.styles_len)
    }

    /// Every draw of the full picture, in one slice.
    fn all_draws(&self) -> Vec<SliceDraw> {
        vec![
            SliceDraw::Edges {
                instances: 0..self.straight_edge_count,
                vertices: STRAIGHT_VERTICES,
            },
            SliceDraw::Edges {
                instances: self.straight_edge_count..self.edge_count,
                vertices: CURVED_VERTICES,
            },
            SliceDraw::Nodes(0..self.node_count()),
        ]
    }

    /// Whether the target stores blue first: pictures drawn on the CPU
    /// (RGBA) are swizzled to match before upload.
    fn target_is_bgra(&self) -> bool {
        matches!(
            self.target_format,
            wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb
        )
    }

    /// Draws the low-detail picture on the CPU (see lod.rs) and uploads it
    /// as the shown one.
    /// `center_px` is the canvas's centre in framebuffer pixels.
    fn draw_low_detail(
        &mut self,
        queue: &wgpu::Queue,
        frame: &GraphFrame,
        key: PictureKey,
        center_px: [f32; 2],
    ) {
        let Some(shown) = &self.shown else {
            return;
        };
        let size = shown.size();
        let [left, top, ..] = key.canvas_px.map(|value| value as f32);
        let scene = LodScene {
            positions: &frame.positions,
            styles: &frame.node_styles,
            edges: &frame.edges,
            camera: frame.camera,
            center_px: [center_px[0] - left, center_px[1] - top],
            pixels_per_point: key.pixels_per_point,
            edge_alpha: frame.edge_alpha,
            background: frame.background.map_or([0; 4], |color| color.to_array()),
            bgra: self.target_is_bgra(),
        };
        lod::draw(&scene, size, &mut self.lod_pixels);
        upload_pixels(queue, &shown.texture, size, &self.lod_pixels);
    }

    /// Draws the full picture on the CPU (see software/) and uploads it
    /// as the shown one; the highlights are drawn over it by the GPU.
    fn draw_on_cpu(
        &mut self,
        queue: &wgpu::Queue,
        frame: &GraphFrame,
        key: PictureKey,
        center_px: [f32; 2],
    ) {
        let Some(shown) = &self.shown else {
            return;
        };
        let size = shown.size();
        let [left, top, ..] = key.canvas_px.map(|value| value as f32);
        let view = SoftwareView {
            camera: frame.camera,
            center_px: [center_px[0] - left, center_px[1] - top],
            pixels_per_point: key.pixels_per_point,
            size,
        };
        let graph = GraphFrame {
            overlay_edges: Arc::default(),
            overlay_nodes: Arc::default(),
            ..frame.clone()
        };
        let mut pixels = software::draw(&graph, &view);
        if self.target_is_bgra() {
            for pixel in &mut pixels {
                let [r, g, b, a] = pixel.to_le_bytes();
                *pixel = u32::from_le_bytes([b, g, r, a]);
            }
        }
        upload_pixels(queue, &shown.texture, size, &pixels);
    }

    /// One pass into the shown picture (`into_shown`) or the one behind it:
    /// cleared first when `clear`, then `draws`.
    fn draw_into(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        into_shown: bool,
        background: [f32; 4],
        draws: &[SliceDraw],
        clear: bool,
    ) {
        let picture = if into_shown { &self.shown } else { &self.back };
        let Some(picture) = picture else {
            return;
        };
        // A draw into the shown picture always starts from scratch.
        let clear = clear || into_shown;
        let load = if clear {
            let [r, g, b, a] = background.map(f64::from);
            wgpu::LoadOp::Clear(wgpu::Color { r, g, b, a })
        } else {
            wgpu::LoadOp::Load
        };
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("linkscope_graph_picture"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: &picture.view,
                resolve_target: None,
                ops: wgpu::Operations {
                    load,
                    store: wgpu::StoreOp::Store,
                },
                depth_slice: None,
            })],
            ..Default::default()
        });
        let nodes = self.node_count();
        if nodes == 0 {
            return;
        }
        pass.set_bind_group(0, &self.groups.picture_scene, &[]);
        pass.set_bind_group(1, &self.groups.edges, &[]);
        for draw in draws {
            match draw {
                SliceDraw::Edges {
                    instances,
                    vertices,
                } if !instances.is_empty() => {
                    pass.set_pipeline(&self.pipelines.edges);
                    pass.draw(0..*vertices, instances.clone());
                }
                SliceDraw::Nodes(range) if !range.is_empty() => {
                    pass.set_pipeline(&self.pipelines.nodes);
                    pass.draw(0..6, range.clone());
                }
                _ => {}
            }
        }
    }

    /// (Re)creates both pictures when the canvas's size changed.
    pub(super) fn ensure_pictures(&mut self, device: &wgpu::Device, size: [u32; 2]) {
        if self
            .shown
            .as_ref()
            .is_some_and(|picture| picture.size() == size)
        {
            return;
        }
        self.shown = Some(Picture::new(
            device,
            self.target_format,
            size,
            &self.pipelines.composite_layout,
            &self.composite_uniforms,
        ));
        // The one behind is made when first needed: a GPU never slices.
        self.back = None;
        self.shown_is_full = false;
        self.slicing = None;
    }
}

/// Writes a picture drawn on the CPU (`size` pixels, one `u32` each) into
/// the whole of `texture`.
fn upload_pixels(queue: &wgpu::Queue, texture: &wgpu::Texture, size: [u32; 2], pixels: &[u32]) {
    queue.write_texture(
        wgpu::TexelCopyTextureInfo {
            texture,
            mip_level: 0,
            origin: wgpu::Origin3d::ZERO,
            aspect: wgpu::TextureAspect::All,
        },
        bytemuck::cast_slice(pixels),
        wgpu::TexelCopyBufferLayout {
            offset: 0,
            bytes_per_row: Some(size[0] * 4),
            rows_per_image: Some(size[1]),
        },
        wgpu::Extent3d {
            width: size[0],
            height: size[1],
            depth_or_array_layers: 1,
        },
    );
}
