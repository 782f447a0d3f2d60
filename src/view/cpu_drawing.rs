//! The graph drawn on the CPU, for adapters that cannot run the graph
//! shaders (OpenGL through wgpu's GL backend: they read storage buffers in
//! vertex shaders). The window then shows the picture the exports draw on
//! the CPU (`gpu::software`), so the graph is never missing.
//!
//! Why a picture and not egui shapes: the draw list's nodes and edges as
//! epaint shapes are tessellated on the UI thread every frame and the
//! triangles rasterised by the GL driver, which is often llvmpipe itself;
//! measured on two cores, that cost more per frame than the CPU rasteriser
//! at 10k nodes / 50k edges, and would need a second copy of the shapes'
//! geometry (trimmed curves, dashes, arrowheads). Instead the frame's
//! `GraphFrame` is rasterised on a background thread into RGBA pixels, the
//! latest finished picture is shown as an egui texture under the labels,
//! and the next one is asked for: the UI thread never waits for a picture.
//!
//! As on a software Vulkan adapter (`RenderQuality::Adaptive`), a big graph
//! is drawn at low detail while it moves (`software::draw_low_detail`) and
//! in full once it holds still; highlights, hidden and greyed items and the
//! evidence styling are in the `GraphFrame`, so they show as on the GPU.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use egui::{Color32, ColorImage, Pos2, Rect, TextureHandle, TextureOptions, Vec2};

use super::gpu::software::{self, SoftwareView};
use super::gpu::{Camera, EdgeInstance, GraphFrame, NodeStyle, RenderQuality};

/// What a picture shows: the same key gives the same pixels.
#[derive(Clone, Debug, PartialEq)]
struct PictureKey {
    /// Where the graph is: a change here means it moves.
    geometry: Geometry,
    background_dim: bool,
    background: Option<Color32>,
    overlay_edges: Arc<Vec<EdgeInstance>>,
    overlay_nodes: Arc<Vec<(u32, NodeStyle)>>,
}

/// The part of the key that changes while the graph or the camera moves.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Geometry {
    positions_generation: u64,
    styles_generation: u64,
    /// Nodes and edges: a graph replaced by one with reused generations
    /// still differs here.
    lengths: [usize; 2],
    camera: Camera,
    size: [u32; 2],
    pixels_per_point: f32,
    /// `GraphFrame::edge_alpha`, as bits.
    edge_alpha: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Detail {
    /// Thin lines and plain discs, while a big graph moves.
    Low,
    Full,
}

/// A picture drawn on the worker thread.
struct Finished {
    key: PictureKey,
    detail: Detail,
    image: ColorImage,
    took: Duration,
}

/// The CPU picture of the canvas, kept between frames.
#[derive(Default)]
pub struct CpuDrawing {
    texture: Option<TextureHandle>,
    /// What the texture shows.
    shown: Option<(PictureKey, Detail)>,
    /// The picture being drawn, and where it comes back.
    pending: Option<(PictureKey, Receiver<Finished>)>,
    /// What the last picture asked for was drawn for: when the next one
    /// differs in geometry, the graph is moving.
    last_asked: Option<Geometry>,
    /// How long the last full-detail and low-detail pictures took.
    pub last_full: Option<Duration>,
    pub last_low: Option<Duration>,
    /// A worker thread could not be started (said once).
    spawn_failed: bool,
}

impl CpuDrawing {
    /// Forgets the picture (a new graph is opened).
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Whether the shown picture is not yet the full picture of the last
    /// frame: a picture is on its way (screenshots and tests wait for it).
    pub fn is_drawing(&self) -> bool {
        self.pending.is_some()
    }

    /// Paints the latest finished picture of `frame` into `viewport` and
    /// asks for the next one when it is out of date.
    pub fn paint(&mut self, painter: &egui::Painter, viewport: Rect, frame: GraphFrame) {
        let ctx = painter.ctx();
        self.receive(ctx);
        let pixels_per_point = ctx.pixels_per_point();
        let size = (viewport.size() * pixels_per_point).round().max(Vec2::ZERO);
        let view = SoftwareView {
            camera: frame.camera,
            center_px: [
                viewport.width() * 0.5 * pixels_per_point,
                viewport.height() * 0.5 * pixels_per_point,
            ],
            pixels_per_point,
            size: [size.x as u32, size.y as u32],
        };
        let key = PictureKey {
            geometry: Geometry {
                positions_generation: frame.positions_generation,
                styles_generation: frame.styles_generation,
                lengths: [frame.positions.len(), frame.edges.len()],
                camera: frame.camera,
                size: view.size,
                pixels_per_point,
                edge_alpha: frame.edge_alpha.to_bits(),
            },
            background_dim: frame.background_dim,
            background: frame.background,
            overlay_edges: Arc::clone(&frame.overlay_edges),
            overlay_nodes: Arc::clone(&frame.overlay_nodes),
        };
        let up_to_date = self
            .shown
            .as_ref()
            .is_some_and(|(shown, detail)| *shown == key && *detail == Detail::Full);
        let background = key.background;
        if !up_to_date && self.pending.is_none() {
            self.start(ctx, key, frame, view);
        }
        match &self.texture {
            Some(texture) => {
                let [width, height] = texture.size();
                let rect = Rect::from_min_size(
                    viewport.min,
                    Vec2::new(width as f32, height as f32) / pixels_per_point,
                );
                painter.image(
                    texture.id(),
                    rect,
                    Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                    Color32::WHITE,
                );
            }
            None => {
                // The canvas's fill until the first picture arrives.
                if let Some(background) = background {
                    painter.rect_filled(viewport, 0.0, background);
                }
            }
        }
    }

    /// Takes a finished picture into the texture.
    fn receive(&mut self, ctx: &egui::Context) {
        let Some((_, receiver)) = &self.pending else {
            return;
        };
        let finished = match receiver.try_recv() {
            Ok(finished) => finished,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                // The worker panicked (reported by the panic hook): ask again.
                self.pending = None;
                return;
            }
        };
        self.pending = None;
        match finished.detail {
            Detail::Full => self.last_full = Some(finished.took),
            Detail::Low => self.last_low = Some(finished.took),
        }
        // Nearest: the picture is drawn at the canvas's own pixels.
        match &mut self.texture {
            Some(texture) => texture.set(finished.image, TextureOptions::NEAREST),
            None => {
                self.texture = Some(ctx.load_texture(
                    "linkscope_cpu_graph",
                    finished.image,
                    TextureOptions::NEAREST,
                ));
            }
        }
        self.shown = Some((finished.key, finished.detail));
    }

    /// Draws the picture for `key` on a worker thread; it asks for a frame
    /// when done.
    fn start(
        &mut self,
        ctx: &egui::Context,
        key: PictureKey,
        frame: GraphFrame,
        view: SoftwareView,
    ) {
        let moving = self.last_asked.is_some_and(|last| last != key.geometry);
        self.last_asked = Some(key.geometry);
        let big = frame.edges.len() >= RenderQuality::ADAPTIVE_MIN_EDGES;
        let detail = if moving && big {
            Detail::Low
        } else {
            Detail::Full
        };
        let (sender, receiver) = channel();
        let repaint = ctx.clone();
        let job_key = key.clone();
        let spawned = std::thread::Builder::new()
            .name("linkscope-cpu-drawing".to_owned())
            .spawn(move || {
                let start = Instant::now();
                let pixels = match detail {
                    Detail::Full => software::draw(&frame, &view),
                    Detail::Low => software::draw_low_detail(&frame, &view),
                };
                let [width, height] = view.size.map(|side| side as usize);
                let pixels = pixels
                    .into_iter()
                    .map(|pixel| {
                        let [r, g, b, a] = pixel.to_le_bytes();
                        Color32::from_rgba_premultiplied(r, g, b, a)
                    })
                    .collect();
                let image = ColorImage::new([width, height], pixels);
                // The window may be gone: nothing is waiting then.
                let _ = sender.send(Finished {
                    key: job_key,
                    detail,
                    image,
                    took: start.elapsed(),
                });
                repaint.request_repaint();
            });
        match spawned {
            Ok(_) => self.pending = Some((key, receiver)),
            Err(error) if !self.spawn_failed => {
                self.spawn_failed = true;
                log::error!("cannot start the thread that draws the graph: {error}");
            }
            Err(_) => {}
        }
    }
}
