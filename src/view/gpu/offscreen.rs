//! Offscreen frames through exactly the window's path (an egui frame whose canvas is this
//! module's paint callback, rendered by `egui_wgpu` into a texture), timed to GPU completion:
//! the GPU frame time of `linkscope bench-render`, with no window or display needed.

use std::iter::once;
use std::time::{Duration, Instant};

use egui_wgpu::{RenderState, ScreenDescriptor, wgpu};

use super::software::SoftwareView;
use super::{GraphFrame, RenderQuality, install, is_supported, paint_graph};
use crate::scene::draw_list::DrawList;
use crate::view::cpu_drawing;

/// Longest wait for one frame: a software rasteriser drawing a 4× export of
/// a large graph takes minutes (it runs in the background).
const FRAME_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Debug, thiserror::Error)]
pub enum OffscreenError {
    #[error("no GPU adapter could be set up: {0}")]
    Setup(String),
    #[error("the adapter ({0}) cannot read storage buffers in vertex shaders")]
    Unsupported(String),
    #[error("the GPU did not finish a frame: {0}")]
    Poll(String),
    #[error("the rendered picture could not be read back: {0}")]
    Readback(String),
}

/// A GPU (or software rasteriser) ready to render frames of `width` × `height` pixels.
pub struct OffscreenRenderer {
    state: RenderState,
    target: wgpu::Texture,
    context: egui::Context,
    width: u32,
    height: u32,
    /// The adapter runs the graph shaders (not OpenGL).
    graph_shaders: bool,
}

impl OffscreenRenderer {
    /// Sets up the default adapter (a hardware GPU when there is one) without a display.
    pub fn new(width: u32, height: u32) -> Result<Self, OffscreenError> {
        let mut setup = egui_wgpu::WgpuSetup::without_display_handle();
        super::prefer_small_memory_blocks_in_software(&mut setup);
        let instance = pollster::block_on(setup.new_instance());
        let state = pollster::block_on(RenderState::create(
            &egui_wgpu::WgpuConfiguration {
                wgpu_setup: setup,
                ..Default::default()
            },
            &instance,
            None,
            egui_wgpu::RendererOptions::default(),
        ))
        .map_err(|error| OffscreenError::Setup(error.to_string()))?;
        // Without the graph shaders (OpenGL), pictures are still drawn: the
        // graph on the CPU, as the window draws it there.
        let graph_shaders = is_supported(&state);
        if graph_shaders {
            install(&state);
        }
        let target = state.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("linkscope offscreen target"),
            size: wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: state.target_format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        Ok(Self {
            state,
            target,
            context: egui::Context::default(),
            width,
            height,
            graph_shaders,
        })
    }

    /// Whether the adapter draws in software (see [`super::is_software`]).
    pub fn is_software(&self) -> bool {
        super::is_software(&self.state)
    }

    /// The adapter in words: its name, backend and kind.
    pub fn adapter(&self) -> String {
        adapter_name(&self.state)
    }

    /// Renders one frame showing `frame` across the whole target and waits for the GPU;
    /// returns the time from the start of the upload to the GPU's completion.
    /// Fails where the adapter cannot run the graph shaders.
    pub fn render(&mut self, frame: &GraphFrame) -> Result<Duration, OffscreenError> {
        if !self.graph_shaders {
            return Err(OffscreenError::Unsupported(self.adapter()));
        }
        let frame = GraphFrame {
            background: frame
                .background
                .or(Some(crate::scene::theme::CANVAS_BACKGROUND)),
            ..frame.clone()
        };
        self.render_with(1.0, |painter, rect| {
            paint_graph(painter, rect, frame.clone());
        })
    }

    /// Renders `list` as the window would paint it, at `pixels_per_point`
    /// (the target is `list.viewport`'s size times that), and reads the
    /// picture back. Where the list has no background, the picture is
    /// transparent. On a software rasteriser, big graphs are drawn on the
    /// CPU (see software/): the same picture, in a fraction of the time.
    /// Where the adapter cannot run the graph shaders, the graph is always
    /// drawn on the CPU.
    pub fn render_draw_list(
        &mut self,
        list: &DrawList<'_>,
        pixels_per_point: f32,
    ) -> Result<egui::ColorImage, OffscreenError> {
        if !self.graph_shaders {
            return self.render_draw_list_as_picture(list, pixels_per_point);
        }
        let drawing =
            if self.is_software() && list.graph.edges.len() >= RenderQuality::ADAPTIVE_MIN_EDGES {
                GraphDrawing::Cpu
            } else {
                GraphDrawing::Gpu
            };
        self.render_draw_list_with(list, pixels_per_point, drawing)
    }

    /// [`Self::render_draw_list`], with the graph drawn by `drawing`.
    pub fn render_draw_list_with(
        &mut self,
        list: &DrawList<'_>,
        pixels_per_point: f32,
        drawing: GraphDrawing,
    ) -> Result<egui::ColorImage, OffscreenError> {
        match drawing {
            GraphDrawing::Gpu => self.render_draw_list_on_gpu(list, pixels_per_point),
            GraphDrawing::Cpu => self.render_draw_list_on_cpu(list, pixels_per_point),
        }
    }

    /// The graph drawn on the CPU ([`RenderQuality::Cpu`]), the rest of
    /// the list by egui over it, as on screen.
    fn render_draw_list_on_cpu(
        &mut self,
        list: &DrawList<'_>,
        pixels_per_point: f32,
    ) -> Result<egui::ColorImage, OffscreenError> {
        let list = DrawList {
            graph: GraphFrame {
                quality: RenderQuality::Cpu,
                ..list.graph.clone()
            },
            ..list.clone()
        };
        self.render_draw_list_on_gpu(&list, pixels_per_point)
    }

    /// The graph drawn on the CPU into a picture, shown as an egui texture
    /// under the labels: the window's drawing on OpenGL (`cpu_drawing`),
    /// which needs none of the graph shaders.
    fn render_draw_list_as_picture(
        &mut self,
        list: &DrawList<'_>,
        pixels_per_point: f32,
    ) -> Result<egui::ColorImage, OffscreenError> {
        let list = DrawList {
            viewport: egui::Rect::from_min_size(egui::Pos2::ZERO, list.viewport.size()),
            ..list.clone()
        };
        let size = [self.width, self.height];
        // Held until the frame is rendered: dropping it frees the texture.
        let mut texture = None;
        self.render_with(pixels_per_point, |painter, _| {
            crate::view::paint::paint_with(painter, &list, |painter, viewport, graph| {
                let view = SoftwareView {
                    camera: graph.camera,
                    center_px: [
                        viewport.width() * 0.5 * pixels_per_point,
                        viewport.height() * 0.5 * pixels_per_point,
                    ],
                    pixels_per_point,
                    size,
                };
                let image = cpu_drawing::picture_now(&graph, &view);
                let handle = painter.ctx().load_texture(
                    "linkscope_offscreen_graph",
                    image,
                    egui::TextureOptions::NEAREST,
                );
                painter.image(
                    handle.id(),
                    viewport,
                    egui::Rect::from_min_max(egui::Pos2::ZERO, egui::pos2(1.0, 1.0)),
                    egui::Color32::WHITE,
                );
                texture = Some(handle);
            });
        })?;
        let image = self.read_back();
        drop(texture);
        image
    }

    fn render_draw_list_on_gpu(
        &mut self,
        list: &DrawList<'_>,
        pixels_per_point: f32,
    ) -> Result<egui::ColorImage, OffscreenError> {
        let list = DrawList {
            viewport: egui::Rect::from_min_size(egui::Pos2::ZERO, list.viewport.size()),
            ..list.clone()
        };
        self.render_with(pixels_per_point, |painter, _| {
            crate::view::paint::paint(painter, &list);
        })?;
        self.read_back()
    }

    /// Runs one egui frame of the target's size in points, painting with
    /// `paint`, renders it at `pixels_per_point` and waits for the GPU.
    fn render_with(
        &mut self,
        pixels_per_point: f32,
        mut paint: impl FnMut(&egui::Painter, egui::Rect),
    ) -> Result<Duration, OffscreenError> {
        let size = egui::vec2(
            self.width as f32 / pixels_per_point,
            self.height as f32 / pixels_per_point,
        );
        let mut input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
            ..Default::default()
        };
        // The scale comes in as the display's, as a window's does. Setting
        // it on the context as well would be read as a zoom on top of the
        // display's scale: text laid out at the square of the scale, then
        // tessellated at the scale, which epaint warns about once per label.
        if let Some(viewport) = input.viewports.get_mut(&egui::ViewportId::ROOT) {
            viewport.native_pixels_per_point = Some(pixels_per_point);
        }
        let output = self.context.run_ui(input, |ui| {
            let rect = ui.max_rect();
            let painter = ui.painter_at(rect);
            paint(&painter, rect);
        });
        let started = Instant::now();
        let state = &self.state;
        let mut renderer = state.renderer.write();
        for (id, deltas) in &output.textures_delta.set {
            for delta in deltas {
                renderer.update_texture(&state.device, &state.queue, *id, delta);
            }
        }
        let screen = ScreenDescriptor {
            size_in_pixels: [self.width, self.height],
            pixels_per_point,
        };
        let shapes = self.context.tessellate(output.shapes, pixels_per_point);
        let mut encoder = state
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        let callback_buffers =
            renderer.update_buffers(&state.device, &state.queue, &mut encoder, &shapes, &screen);
        let view = self
            .target
            .create_view(&wgpu::TextureViewDescriptor::default());
        {
            let mut pass = encoder
                .begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("linkscope offscreen pass"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view: &view,
                        resolve_target: None,
                        ops: wgpu::Operations {
                            load: wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT),
                            store: wgpu::StoreOp::Store,
                        },
                        depth_slice: None,
                    })],
                    ..Default::default()
                })
                .forget_lifetime();
            renderer.render(&mut pass, &shapes, &screen);
        }
        state
            .queue
            .submit(callback_buffers.into_iter().chain(once(encoder.finish())));
        state
            .device
            .poll(wgpu::PollType::Wait {
                submission_index: None,
                timeout: Some(FRAME_TIMEOUT),
            })
            .map_err(|error| OffscreenError::Poll(error.to_string()))?;
        for id in &output.textures_delta.free {
            renderer.free_texture(id);
        }
        Ok(started.elapsed())
    }
}

/// Who draws the graph of an offscreen picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphDrawing {
    /// The GPU renderer, as in the window.
    Gpu,
    /// The CPU rasteriser (software/), with labels and the rest by egui.
    Cpu,
}

/// Frame times of one graph in each of the renderer's situations, in
/// milliseconds (see `linkscope bench-render`).
#[derive(Clone, Debug, Default)]
pub struct FrameTimes {
    /// Full detail, the graph changing every frame (a GPU's steady state).
    pub full: Vec<f64>,
    /// [`RenderQuality::Adaptive`] while the graph or camera changes every
    /// frame: the low-detail picture.
    pub moving: Vec<f64>,
    /// Adaptive, once the picture holds still: each frame of drawing the
    /// full-detail picture behind the shown one, until it is complete.
    pub settling: Vec<f64>,
    /// Nothing changed: the kept picture copied into the frame.
    pub still: Vec<f64>,
}

impl OffscreenRenderer {
    /// Times `frames` frames of `frame` in each situation of [`FrameTimes`]
    /// (settling runs until the full picture is complete).
    pub fn time_frames(
        &mut self,
        frame: &GraphFrame,
        frames: usize,
    ) -> Result<FrameTimes, OffscreenError> {
        let mut times = FrameTimes::default();
        let mut frame = frame.clone();
        let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
        frame.quality = RenderQuality::Full;
        for _ in 0..frames {
            frame.positions_generation += 1;
            times.full.push(ms(self.render(&frame)?));
        }
        frame.quality = RenderQuality::Adaptive;
        for _ in 0..frames {
            frame.positions_generation += 1;
            times.moving.push(ms(self.render(&frame)?));
        }
        // Bounded, in case a picture never completes.
        for _ in 0..100_000 {
            if !self.is_refining() {
                break;
            }
            times.settling.push(ms(self.render(&frame)?));
        }
        for _ in 0..frames {
            times.still.push(ms(self.render(&frame)?));
        }
        Ok(times)
    }

    /// Whether the last frame left the full picture owed (see
    /// [`super::is_refining`]).
    pub fn is_refining(&self) -> bool {
        super::is_refining(&self.state)
    }

    /// Renders `frame` like [`Self::render`] and reads the picture back:
    /// what the window's canvas would show, for pixel checks and exports.
    pub fn render_image(&mut self, frame: &GraphFrame) -> Result<egui::ColorImage, OffscreenError> {
        self.render(frame)?;
        self.read_back()
    }

    /// The target's pixels after the last render.
    fn read_back(&mut self) -> Result<egui::ColorImage, OffscreenError> {
        let state = &self.state;
        // Rows of a texture copy are padded to the copy alignment.
        let row_bytes = self.width * 4;
        let padded_row_bytes = row_bytes.div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
            * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let buffer = state.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("linkscope offscreen readback"),
            size: u64::from(padded_row_bytes) * u64::from(self.height),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut encoder = state
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        encoder.copy_texture_to_buffer(
            self.target.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded_row_bytes),
                    rows_per_image: Some(self.height),
                },
            },
            wgpu::Extent3d {
                width: self.width,
                height: self.height,
                depth_or_array_layers: 1,
            },
        );
        state.queue.submit(once(encoder.finish()));
        let slice = buffer.slice(..);
        let (sender, receiver) = std::sync::mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |result| {
            // The receiver waits below; if it is gone there is no one to tell.
            let _ = sender.send(result);
        });
        state
            .device
            .poll(wgpu::PollType::Wait {
                submission_index: None,
                timeout: Some(FRAME_TIMEOUT),
            })
            .map_err(|error| OffscreenError::Poll(error.to_string()))?;
        receiver
            .recv()
            .map_err(|error| OffscreenError::Readback(error.to_string()))?
            .map_err(|error| OffscreenError::Readback(error.to_string()))?;
        let bgra = matches!(
            state.target_format,
            wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb
        );
        let mut pixels = Vec::with_capacity((self.width * self.height) as usize);
        {
            let mapped = slice
                .get_mapped_range()
                .map_err(|error| OffscreenError::Readback(error.to_string()))?;
            for row in mapped.chunks(padded_row_bytes as usize) {
                for texel in row[..row_bytes as usize].chunks_exact(4) {
                    let (red, blue) = if bgra {
                        (texel[2], texel[0])
                    } else {
                        (texel[0], texel[2])
                    };
                    pixels.push(egui::Color32::from_rgba_premultiplied(
                        red, texel[1], blue, texel[3],
                    ));
                }
            }
        }
        buffer.unmap();
        Ok(egui::ColorImage::new(
            [self.width as usize, self.height as usize],
            pixels,
        ))
    }
}

fn adapter_name(state: &RenderState) -> String {
    let info = state.adapter.get_info();
    format!("{} ({:?}, {:?})", info.name, info.backend, info.device_type)
}
