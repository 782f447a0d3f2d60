//! The low-detail picture drawn while the graph moves on a software
//! rasteriser, drawn here on the CPU: every edge a one-pixel line between its
//! nodes' centres, every node a filled disc, no arrowheads or outlines.
//!
//! On Mesa's lavapipe the full edge shader costs about half a microsecond
//! per vertex on one thread, and its line primitives about 20 µs a line, so
//! 50k edges took a second a frame either way. Plain Bresenham-style lines
//! into a buffer cost a few nanoseconds per pixel, on every core: the canvas
//! is cut into bands of rows, and each thread draws every edge's part in its
//! band.

use rayon::prelude::*;

use super::{Camera, EdgeInstance, MIN_NODE_RADIUS_PT, NodeStyle};

/// What the low-detail picture shows, and how it is laid out in memory.
pub(super) struct LodScene<'a> {
    pub positions: &'a [[f32; 2]],
    pub styles: &'a [NodeStyle],
    pub edges: &'a [EdgeInstance],
    pub camera: Camera,
    /// Where the camera's centre lands, in picture pixels.
    pub center_px: [f32; 2],
    pub pixels_per_point: f32,
    /// Opacity of the edges (`GraphFrame::edge_alpha`).
    pub edge_alpha: f32,
    /// Premultiplied RGBA, or transparent.
    pub background: [u8; 4],
    /// The texture stores blue first (Bgra8 formats).
    pub bgra: bool,
}

/// Draws `scene` into `pixels` (one premultiplied RGBA or BGRA pixel per
/// `u32`, little-endian, rows of `size[0]`).
pub(super) fn draw(scene: &LodScene<'_>, size: [u32; 2], pixels: &mut Vec<u32>) {
    let [width, height] = size.map(|side| side as usize);
    let order = |[r, g, b, a]: [u8; 4]| {
        // Premultiplied colours never exceed their alpha; clamping keeps a
        // bad one from carrying into the next channel in `over`.
        let [r, g, b] = [r, g, b].map(|channel| channel.min(a));
        u32::from_le_bytes(if scene.bgra {
            [b, g, r, a]
        } else {
            [r, g, b, a]
        })
    };
    let fade = if scene.edge_alpha.is_finite() {
        scene.edge_alpha.clamp(0.0, 1.0)
    } else {
        1.0
    };
    // Premultiplied: every channel scales with the opacity.
    let faded = |rgba: [u8; 4]| rgba.map(|channel| (f32::from(channel) * fade).round() as u8);
    pixels.clear();
    pixels.resize(width * height, order(scene.background));
    if width == 0 || height == 0 {
        return;
    }
    let zoom = scene.camera.zoom * scene.pixels_per_point;
    let to_px = |world: [f32; 2]| {
        [
            scene.center_px[0] + (world[0] - scene.camera.center_world[0]) * zoom,
            scene.center_px[1] + (world[1] - scene.camera.center_world[1]) * zoom,
        ]
    };
    let points: Vec<[f32; 2]> = scene.positions.par_iter().map(|&p| to_px(p)).collect();
    let min_radius = MIN_NODE_RADIUS_PT * scene.pixels_per_point;

    // Several bands per thread, so a band crowded with edges doesn't hold
    // up the others.
    let bands = (rayon::current_num_threads() * 4).max(1);
    let band_rows = height.div_ceil(bands).max(1);
    pixels
        .par_chunks_mut(band_rows * width)
        .enumerate()
        .for_each(|(band, rows)| {
            let mut band = Band {
                height: rows.len() / width,
                rows,
                width,
                top: (band * band_rows) as f32,
            };
            let bottom = band.top + band.height as f32;
            for edge in scene.edges {
                let color = order(faded(edge.color.to_le_bytes()));
                if color >> 24 == 0 || edge.source == edge.target {
                    continue; // hidden, or a loop (no length)
                }
                let (Some(&a), Some(&b)) = (
                    points.get(edge.source as usize),
                    points.get(edge.target as usize),
                ) else {
                    continue;
                };
                if (a[1] < band.top && b[1] < band.top) || (a[1] >= bottom && b[1] >= bottom) {
                    continue;
                }
                band.line(a, b, color);
            }
            for (&center, style) in points.iter().zip(scene.styles) {
                let fill = order(style.fill.to_le_bytes());
                if fill >> 24 == 0 {
                    continue; // hidden
                }
                let radius = (style.radius * zoom).max(min_radius);
                if center[1] + radius < band.top || center[1] - radius >= bottom {
                    continue;
                }
                band.disc(center, radius, fill);
            }
        });
}

/// Premultiplied "source over": `src` plus `dst` scaled by `keep` = 255 −
/// the source's alpha, two channels per multiply.
#[inline]
pub(super) fn over(dst: u32, src: u32, keep: u32) -> u32 {
    let rb = (dst & 0x00ff_00ff) * keep;
    let ag = ((dst >> 8) & 0x00ff_00ff) * keep;
    // x / 255, rounded, for each 16-bit lane.
    let rb = ((rb + 0x0080_0080 + ((rb >> 8) & 0x00ff_00ff)) >> 8) & 0x00ff_00ff;
    let ag = (ag + 0x0080_0080 + ((ag >> 8) & 0x00ff_00ff)) & 0xff00_ff00;
    src + rb + ag
}

/// The rows of the picture one thread draws.
struct Band<'a> {
    rows: &'a mut [u32],
    width: usize,
    /// First row, in picture pixels.
    top: f32,
    height: usize,
}

impl Band<'_> {
    /// A one-pixel line from `a` to `b` (picture pixels), the part inside
    /// this band: one pixel per column or row along the longer axis.
    fn line(&mut self, a: [f32; 2], b: [f32; 2], color: u32) {
        // Clipped first, so a long line crossing many bands costs each only
        // its own part, and every pixel below is inside the band.
        let max = [
            self.width as f32 - 0.001,
            self.top + self.height as f32 - 0.001,
        ];
        let Some((a, b)) = clip(a, b, [0.0, self.top], max) else {
            return;
        };
        let (a, b) = ([a[0], a[1] - self.top], [b[0], b[1] - self.top]);
        let keep = 255 - (color >> 24);
        let (width, last_row) = (self.width, self.height - 1);
        let last_column = width - 1;
        let dx = b[0] - a[0];
        let dy = b[1] - a[1];
        if dx.abs() >= dy.abs() {
            let (a, b) = if a[0] <= b[0] { (a, b) } else { (b, a) };
            let slope = if dx == 0.0 { 0.0 } else { dy / dx };
            let (first, last) = (a[0] as usize, (b[0] as usize).min(last_column));
            let mut y = a[1] + (first as f32 + 0.5 - a[0]) * slope;
            for x in first..=last {
                let row = (y.max(0.0) as usize).min(last_row);
                let pixel = &mut self.rows[row * width + x];
                *pixel = over(*pixel, color, keep);
                y += slope;
            }
        } else {
            let (a, b) = if a[1] <= b[1] { (a, b) } else { (b, a) };
            let slope = dx / dy;
            let (first, last) = (a[1] as usize, (b[1] as usize).min(last_row));
            let mut x = a[0] + (first as f32 + 0.5 - a[1]) * slope;
            for row in first..=last {
                let column = (x.max(0.0) as usize).min(last_column);
                let pixel = &mut self.rows[row * width + column];
                *pixel = over(*pixel, color, keep);
                x += slope;
            }
        }
    }

    /// A filled disc: the pixels whose centres lie within `radius`.
    fn disc(&mut self, center: [f32; 2], radius: f32, color: u32) {
        let keep = 255 - (color >> 24);
        let top = self.top as i64;
        let first = ((center[1] - radius).floor() as i64).max(top);
        let last = ((center[1] + radius).ceil() as i64).min(top + self.height as i64 - 1);
        for y in first..=last {
            let dy = y as f32 + 0.5 - center[1];
            let half = radius * radius - dy * dy;
            if half < 0.0 {
                continue;
            }
            let half = half.sqrt();
            let from = ((center[0] - half - 0.5).ceil() as i64).max(0);
            let to = ((center[0] + half - 0.5).floor() as i64).min(self.width as i64 - 1);
            let row = (y - top) as usize * self.width;
            for x in from..=to {
                let pixel = &mut self.rows[row + x as usize];
                *pixel = over(*pixel, color, keep);
            }
        }
    }
}

/// The part of segment a–b inside the box [min, max] (Liang–Barsky).
fn clip(a: [f32; 2], b: [f32; 2], min: [f32; 2], max: [f32; 2]) -> Option<([f32; 2], [f32; 2])> {
    let d = [b[0] - a[0], b[1] - a[1]];
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for axis in 0..2 {
        for (p, q) in [
            (-d[axis], a[axis] - min[axis]),
            (d[axis], max[axis] - a[axis]),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
    }
    // NaN (a degenerate input) fails this too.
    if t0.partial_cmp(&t1).is_none_or(std::cmp::Ordering::is_gt) {
        return None;
    }
    let at = |t: f32| [a[0] + d[0] * t, a[1] + d[1] * t];
    Some((at(t0), at(t1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(radius: f32, fill: u32) -> NodeStyle {
        NodeStyle {
            radius,
            fill,
            outline: 0,
            shape: 0,
        }
    }

    fn pixel(pixels: &[u32], width: u32, x: u32, y: u32) -> [u8; 4] {
        pixels[(y * width + x) as usize].to_le_bytes()
    }

    /// `over` against the textbook formula, for every alpha and a spread
    /// of values.
    #[test]
    fn over_matches_the_formula() {
        for alpha in 0..=255u32 {
            for dst in [0u32, 1, 77, 128, 200, 255] {
                let src = alpha / 2;
                let packed_src = u32::from_le_bytes([src as u8, 0, src as u8, alpha as u8]);
                let packed_dst = u32::from_le_bytes([dst as u8, dst as u8, 0, 255]);
                let out = over(packed_dst, packed_src, 255 - alpha).to_le_bytes();
                let expected = |s: u32, d: u32| {
                    (f64::from(s) + f64::from(d) * f64::from(255 - alpha) / 255.0).round()
                };
                assert!((f64::from(out[0]) - expected(src, dst)).abs() <= 1.0);
                assert!((f64::from(out[1]) - expected(0, dst)).abs() <= 1.0);
                assert!((f64::from(out[3]) - expected(alpha, 255)).abs() <= 1.0);
            }
        }
    }

    /// A horizontal edge lights the pixels between its nodes and nothing
    /// off its row; the nodes are discs; a hidden edge draws nothing.
    #[test]
    fn draws_lines_and_discs_where_the_camera_puts_them() {
        let white = u32::from_le_bytes([255, 255, 255, 255]);
        let red = u32::from_le_bytes([255, 0, 0, 255]);
        let hidden = u32::from_le_bytes([0, 255, 0, 0]);
        let edge = |source, target, color| EdgeInstance {
            source,
            target,
            bend: 0.0,
            width_px: 1.0,
            color,
            flags: 0,
        };
        let scene = LodScene {
            positions: &[[-20.0, 0.0], [20.0, 0.0], [0.0, -20.0]],
            styles: &[style(1.0, red), style(1.0, red), style(1.0, red)],
            edges: &[edge(0, 1, white), edge(1, 2, hidden)],
            camera: Camera {
                center_world: [0.0, 0.0],
                zoom: 1.0,
            },
            center_px: [50.5, 50.5],
            pixels_per_point: 1.0,
            edge_alpha: 1.0,
            background: [0, 0, 0, 255],
            bgra: false,
        };
        let mut pixels = Vec::new();
        draw(&scene, [101, 101], &mut pixels);
        assert_eq!(pixel(&pixels, 101, 50, 50), [255, 255, 255, 255]);
        assert_eq!(pixel(&pixels, 101, 40, 50), [255, 255, 255, 255]);
        assert_eq!(pixel(&pixels, 101, 50, 52), [0, 0, 0, 255]);
        // Node 0 at (30.5, 50.5): a disc of the minimum radius, in red.
        assert_eq!(pixel(&pixels, 101, 29, 50), [255, 0, 0, 255]);
        // The hidden edge from (70.5, 50.5) to (50.5, 30.5) left no trace.
        assert_eq!(pixel(&pixels, 101, 60, 40), [0, 0, 0, 255]);
        // Blue first for Bgra8 targets.
        let mut bgra = Vec::new();
        draw(
            &LodScene {
                bgra: true,
                ..scene
            },
            [101, 101],
            &mut bgra,
        );
        assert_eq!(pixel(&bgra, 101, 29, 50), [0, 0, 255, 255]);
    }

    #[test]
    fn clipping_keeps_the_inside_part() {
        let clipped = clip([-10.0, 5.0], [20.0, 5.0], [0.0, 0.0], [10.0, 10.0]);
        assert_eq!(clipped, Some(([0.0, 5.0], [10.0, 5.0])));
        assert_eq!(
            clip([-10.0, 20.0], [20.0, 20.0], [0.0, 0.0], [10.0, 10.0]),
            None
        );
    }
}
