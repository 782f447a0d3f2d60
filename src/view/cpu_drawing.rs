//! The graph drawn on the CPU, for adapters that cannot run the graph
//! shaders (OpenGL through wgpu's GL backend: they read storage buffers in
//! vertex shaders). The window then shows the picture the exports draw on
//! the CPU (`gpu::software`), so the graph is never missing.
//!
//! Why a picture and not egui's own shapes (which GL can draw): shapes are
//! built and tessellated on the UI thread in every frame where the graph
//! moves, and then rasterised by the GL driver, often llvmpipe itself, on
//! the same thread. At 10k nodes / 50k edges, tessellating bare lines and
//! discs alone took 7–31 ms a frame (`cargo bench --bench cpu_drawing`, two
//! runs on two shared cores), so the window would stutter while the layout
//! runs; and matching the GPU's
//! picture (trimmed curves, dashes, arrowheads, outlined shapes) would need
//! a second copy of its geometry. The exports' rasteriser draws exactly that
//! picture, on a worker thread: the UI thread only uploads the texture.
//! The frame's `GraphFrame` is drawn into RGBA pixels there, the latest
//! finished picture is shown as an egui texture under the labels, and the
//! next one is asked for: the UI thread never waits for a picture. When
//! only the highlights change (hover, selection), they are drawn over a
//! copy of the kept picture of the graph, in milliseconds.
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

/// What the graph's picture without its highlights depends on: when only
/// the highlights change (hover, selection), they are drawn over a copy of
/// it, in milliseconds, instead of drawing the whole graph again.
#[derive(Clone, Copy, Debug, PartialEq)]
struct BaseKey {
    geometry: Geometry,
    background_dim: bool,
    background: Option<Color32>,
}

impl PictureKey {
    fn base(&self) -> BaseKey {
        BaseKey {
            geometry: self.geometry,
            background_dim: self.background_dim,
            background: self.background,
        }
    }
}

/// The full-detail picture without highlights (premultiplied RGBA pixels).
type Base = (BaseKey, Arc<Vec<u32>>);

/// A picture drawn on the worker thread.
struct Finished {
    key: PictureKey,
    detail: Detail,
    image: ColorImage,
    /// The picture under the highlights, when it was drawn anew.
    base: Option<Base>,
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
    /// The last full-detail picture without highlights.
    base: Option<Base>,
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
        if finished.base.is_some() {
            self.base = finished.base;
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
        let base_key = key.base();
        let reuse = match &self.base {
            Some((kept, pixels)) if detail == Detail::Full && *kept == base_key => {
                Some(Arc::clone(pixels))
            }
            _ => None,
        };
        let (sender, receiver) = channel();
        let repaint = ctx.clone();
        let job_key = key.clone();
        let spawned = std::thread::Builder::new()
            .name("linkscope-cpu-drawing".to_owned())
            .spawn(move || {
                let start = Instant::now();
                let (pixels, base) = draw(&frame, &view, detail, reuse, base_key);
                let image = color_image(pixels, view.size);
                // The window may be gone: nothing is waiting then.
                let _ = sender.send(Finished {
                    key: job_key,
                    detail,
                    image,
                    base,
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

/// The full picture of `frame` at once, on the calling thread: for an
/// offscreen export on an adapter that cannot run the graph shaders.
pub fn picture_now(frame: &GraphFrame, view: &SoftwareView) -> ColorImage {
    color_image(software::draw(frame, view), view.size)
}

/// The rasteriser's premultiplied pixels as an egui image of `size`.
fn color_image(pixels: Vec<u32>, size: [u32; 2]) -> ColorImage {
    let [width, height] = size.map(|side| side as usize);
    let pixels = pixels
        .into_iter()
        .map(|pixel| {
            let [r, g, b, a] = pixel.to_le_bytes();
            Color32::from_rgba_premultiplied(r, g, b, a)
        })
        .collect();
    ColorImage::new([width, height], pixels)
}

/// Draws the picture of `frame` at `detail` (on the worker thread): over a
/// copy of `reuse` when the graph under the highlights is unchanged, and
/// returns the new picture under the highlights when it drew one.
fn draw(
    frame: &GraphFrame,
    view: &SoftwareView,
    detail: Detail,
    reuse: Option<Arc<Vec<u32>>>,
    base_key: BaseKey,
) -> (Vec<u32>, Option<Base>) {
    if detail == Detail::Low {
        return (software::draw_low_detail(frame, view), None);
    }
    let drawn = reuse.is_none();
    let base = reuse.unwrap_or_else(|| {
        let bare = GraphFrame {
            overlay_edges: Arc::default(),
            overlay_nodes: Arc::default(),
            ..frame.clone()
        };
        Arc::new(software::draw(&bare, view))
    });
    let mut pixels = base.as_ref().clone();
    software::draw_highlights(frame, view, &mut pixels);
    (pixels, drawn.then_some((base_key, base)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::gpu::{EDGE_ARROW, NodeShape, color_to_u32};

    fn style(fill: Color32, radius: f32) -> NodeStyle {
        NodeStyle {
            radius,
            fill: color_to_u32(fill),
            outline: color_to_u32(Color32::from_gray(230)),
            shape: NodeShape::Circle as u32,
        }
    }

    /// Highlights drawn over the kept picture give the pixels of the whole
    /// picture drawn at once, as the exports draw it.
    #[test]
    fn highlights_over_the_kept_picture_match_a_fresh_picture() {
        let edge = |source, target, color: Color32| EdgeInstance {
            source,
            target,
            bend: 0.0,
            width_px: 2.0,
            color: color_to_u32(color),
            flags: EDGE_ARROW,
        };
        let frame = GraphFrame {
            positions: Arc::new(vec![[-40.0, 0.0], [40.0, 10.0], [0.0, 40.0]]),
            positions_generation: 1,
            node_styles: Arc::new(vec![
                style(Color32::from_rgb(70, 130, 230), 10.0),
                style(Color32::from_rgb(235, 150, 50), 12.0),
                style(Color32::from_rgb(220, 70, 70), 8.0),
            ]),
            edges: Arc::new(vec![
                edge(0, 1, Color32::from_gray(170)),
                edge(1, 2, Color32::from_gray(170)),
            ]),
            styles_generation: 1,
            overlay_edges: Arc::new(vec![edge(0, 1, Color32::from_rgb(255, 210, 60))]),
            overlay_nodes: Arc::new(vec![(1, style(Color32::WHITE, 14.0))]),
            camera: Camera {
                center_world: [0.0, 10.0],
                zoom: 1.5,
            },
            background_dim: false,
            edge_alpha: 0.8,
            background: Some(Color32::from_rgb(24, 26, 32)),
            quality: RenderQuality::Full,
        };
        let view = SoftwareView {
            camera: frame.camera,
            center_px: [100.0, 75.0],
            pixels_per_point: 1.0,
            size: [200, 150],
        };
        let key = BaseKey {
            geometry: Geometry {
                positions_generation: 1,
                styles_generation: 1,
                lengths: [3, 2],
                camera: frame.camera,
                size: view.size,
                pixels_per_point: 1.0,
                edge_alpha: frame.edge_alpha.to_bits(),
            },
            background_dim: false,
            background: frame.background,
        };
        let whole = software::draw(&frame, &view);
        let (fresh, base) = draw(&frame, &view, Detail::Full, None, key);
        let (_, base) = base.expect("a fresh picture keeps its base");
        let (over_kept, none) = draw(&frame, &view, Detail::Full, Some(base), key);
        assert!(none.is_none(), "a kept base is not drawn again");
        assert!(
            fresh == over_kept,
            "highlights over the kept picture differ from a fresh picture"
        );
        let differing = whole
            .iter()
            .zip(&fresh)
            .filter(|(a, b)| {
                a.to_le_bytes()
                    .iter()
                    .zip(b.to_le_bytes())
                    .any(|(x, y)| x.abs_diff(y) > 1)
            })
            .count();
        assert_eq!(
            differing, 0,
            "highlights drawn apart differ from the export's picture"
        );
        // And they are drawn: the highlight's yellow is on the picture.
        let yellow = u32::from_le_bytes([255, 210, 60, 255]);
        assert!(fresh.contains(&yellow));
    }
}
