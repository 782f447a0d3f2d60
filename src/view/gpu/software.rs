//! The full-detail picture drawn on the CPU, for exports on a software
//! rasteriser: the same geometry and coverage as graph.wgsl and edges.wgsl
//! (trimmed edges, curves and loops, dashes, arrowheads, shaped nodes with
//! outlines, anti-aliased), pixel for pixel within rounding.
//!
//! Mesa's lavapipe runs the edge shader's vertex stage on one thread at
//! about half a microsecond a vertex, and an export at 4× has sixteen times
//! the pixels of the screen: a 100k-node / 500k-edge graph took minutes.
//! Here each edge's geometry is worked out once, on every core, and the
//! picture is cut into bands of rows that the cores fill in parallel, each
//! drawing every primitive's part in its band, in the GPU's order.

use egui::{Vec2, vec2};
use rayon::prelude::*;

use super::lod::over;
use super::resources::partition_edges;
use crate::view::edge_style::arrow_length_px;

use super::{
    Camera, EDGE_ARROW, EDGE_DASHED, EDGE_SEGMENTS, EdgeInstance, GraphFrame, MIN_NODE_RADIUS_PT,
    NodeStyle, SHAPE_EXTENT, edge_control_point, look, self_loop_circle,
};

/// Side of the square tiles the picture is drawn in, in pixels: 64 KiB.
const TILE: usize = 128;

/// Where the picture is drawn: the camera, and the frame's pixels.
#[derive(Clone, Copy, Debug)]
pub struct SoftwareView {
    pub camera: Camera,
    /// Where the camera's centre lands, in picture pixels.
    pub center_px: [f32; 2],
    pub pixels_per_point: f32,
    /// The picture's size in pixels.
    pub size: [u32; 2],
}

impl SoftwareView {
    fn px_per_world(&self) -> f32 {
        self.camera.zoom * self.pixels_per_point
    }

    fn px_of(&self, world: [f32; 2]) -> Vec2 {
        let scale = self.px_per_world();
        vec2(
            self.center_px[0] + (world[0] - self.camera.center_world[0]) * scale,
            self.center_px[1] + (world[1] - self.camera.center_world[1]) * scale,
        )
    }

    fn node_radius_px(&self, radius_world: f32) -> f32 {
        (radius_world * self.px_per_world()).max(MIN_NODE_RADIUS_PT * self.pixels_per_point)
    }

    fn box_visible(&self, lo: Vec2, hi: Vec2) -> bool {
        hi.x >= 0.0 && hi.y >= 0.0 && lo.x <= self.size[0] as f32 && lo.y <= self.size[1] as f32
    }
}

/// Draws `frame` as the GPU draws it at full detail into a picture of
/// `view.size`: the background (when the frame has one), the edges, the
/// nodes, then the highlights. Returns premultiplied RGBA pixels, one
/// little-endian `u32` each, rows top to bottom.
pub fn draw(frame: &GraphFrame, view: &SoftwareView) -> Vec<u32> {
    let [width, height] = view.size.map(|side| side as usize);
    let background = frame
        .background
        .map_or(0, |color| u32::from_le_bytes(color.to_array()));
    let mut pixels = vec![background; width * height];
    if width == 0 || height == 0 {
        return pixels;
    }
    let alpha = if frame.background_dim {
        super::resources::DIM_ALPHA
    } else {
        1.0
    };
    let points: Vec<Vec2> = frame
        .positions
        .par_iter()
        .map(|&world| view.px_of(world))
        .collect();
    let scene = Scene {
        view,
        positions: &frame.positions,
        points: &points,
        styles: &frame.node_styles,
    };
    let (edges, _) = partition_edges(&frame.edges);
    let (overlay_edges, _) = partition_edges(&frame.overlay_edges);
    let shapes = |edges: &[EdgeInstance], alpha: f32| -> Vec<EdgeShape> {
        edges
            .par_iter()
            .filter_map(|edge| scene.edge_shape(edge, alpha))
            .collect()
    };
    // Edges fade with density (`GraphFrame::edge_alpha`); highlights don't.
    let edge_alpha = if frame.edge_alpha.is_finite() {
        frame.edge_alpha.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let edges = shapes(&edges, alpha * edge_alpha);
    let overlay_edges = shapes(&overlay_edges, 1.0);
    let nodes: Vec<NodeShape> = (0..points.len().min(frame.node_styles.len()))
        .into_par_iter()
        .filter_map(|node| scene.node_shape(node as u32, frame.node_styles[node], alpha))
        .collect();
    let overlay_nodes: Vec<NodeShape> = frame
        .overlay_nodes
        .iter()
        .filter_map(|&(node, style)| scene.node_shape(node, style, 1.0))
        .collect();

    // The picture is drawn in tiles small enough to stay in a core's
    // cache (a steep line touches a new row at every pixel): each thread
    // takes a band of rows, sorts what crosses it into its tiles, in
    // drawing order, and draws tile by tile.
    pixels
        .par_chunks_mut(TILE * width)
        .enumerate()
        .for_each(|(band, rows)| {
            let mut band = Band {
                height: rows.len() / width,
                rows,
                width,
                top: band * TILE,
                left: 0,
                right: width,
            };
            let columns = width.div_ceil(TILE);
            let edge_tiles = band.bin(&edges, columns, EdgeShape::columns);
            let node_tiles = band.bin(&nodes, columns, NodeShape::columns);
            let overlay_edge_tiles = band.bin(&overlay_edges, columns, EdgeShape::columns);
            let overlay_node_tiles = band.bin(&overlay_nodes, columns, NodeShape::columns);
            for column in 0..columns {
                band.left = column * TILE;
                band.right = (band.left + TILE).min(width);
                for &index in &edge_tiles[column] {
                    band.edge(&edges[index as usize]);
                }
                for &index in &node_tiles[column] {
                    band.node(&nodes[index as usize]);
                }
                for &index in &overlay_edge_tiles[column] {
                    band.edge(&overlay_edges[index as usize]);
                }
                for &index in &overlay_node_tiles[column] {
                    band.node(&overlay_nodes[index as usize]);
                }
            }
        });
    pixels
}

struct Scene<'a> {
    view: &'a SoftwareView,
    positions: &'a [[f32; 2]],
    points: &'a [Vec2],
    styles: &'a [NodeStyle],
}

/// The visible part of an edge's path, in picture pixels.
enum Body {
    /// Kept inline: most edges are straight, and each is visited once per
    /// tile it crosses.
    Straight([Vec2; 2]),
    /// Points along a curve or loop, with the path's unit normal there.
    Curve(Vec<(Vec2, Vec2)>),
}

impl Body {
    /// Each quad's start and end.
    fn chords(&self) -> impl Iterator<Item = (Vec2, Vec2)> + '_ {
        let (straight, curve): (&[Vec2], &[(Vec2, Vec2)]) = match self {
            Self::Straight(ends) => (ends, &[]),
            Self::Curve(points) => (&[], points),
        };
        straight
            .windows(2)
            .map(|pair| (pair[0], pair[1]))
            .chain(curve.windows(2).map(|pair| (pair[0].0, pair[1].0)))
    }
}

/// An edge's drawn geometry, in picture pixels: the body as a polyline of
/// quads, and the arrowhead.
struct EdgeShape {
    body: Body,
    half_width: f32,
    color: u32,
    body_alpha: f32,
    /// The dash's "on" length and its period, in pixels.
    dash: Option<(f32, f32)>,
    arrow: Option<[Vec2; 3]>,
    arrow_alpha: f32,
    /// Rows it may touch.
    top: f32,
    bottom: f32,
}

struct NodeShape {
    center: Vec2,
    radius: f32,
    shape: u32,
    fill: [f32; 4],
    outline: [f32; 4],
    outline_width: f32,
    alpha: f32,
}

/// The visible part of an edge's path (see `Path` in edges.wgsl).
#[derive(Clone, Copy)]
enum Path {
    Segment { a: Vec2, b: Vec2 },
    Bezier { a: Vec2, b: Vec2, c: Vec2 },
    Arc { center: Vec2, radius: f32 },
}

impl Path {
    fn point(self, t: f32) -> Vec2 {
        match self {
            Self::Segment { a, b } => a + (b - a) * t,
            Self::Bezier { a, b, c } => {
                let s = 1.0 - t;
                a * (s * s) + b * (2.0 * s * t) + c * (t * t)
            }
            Self::Arc { center, radius } => center + vec2(t.cos(), t.sin()) * radius,
        }
    }

    fn derivative(self, t: f32) -> Vec2 {
        match self {
            Self::Segment { a, b } => b - a,
            Self::Bezier { a, b, c } => (b - a) * (2.0 * (1.0 - t)) + (c - b) * (2.0 * t),
            Self::Arc { radius, .. } => vec2(-t.sin(), t.cos()) * radius,
        }
    }

    /// Where a Bézier leaves the source shape (searching from 0) or enters
    /// the target's (from 1), by bisection on the shape's distance.
    fn bezier_exit(self, center: Vec2, shape: u32, radius: f32, from_end: bool) -> f32 {
        let mut inside = if from_end { 1.0 } else { 0.0 };
        let mut outside = 0.5;
        for _ in 0..10 {
            let mid = 0.5 * (inside + outside);
            if shape_sdf(shape, radius, self.point(mid) - center) < 0.0 {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        outside
    }
}

fn perp(v: Vec2) -> Vec2 {
    vec2(-v.y, v.x)
}

fn safe_normalize(v: Vec2) -> Vec2 {
    let length = v.length();
    if length < 1e-6 {
        vec2(1.0, 0.0)
    } else {
        v / length
    }
}

/// Signed distance (pixels, negative inside) to a node shape of radius `r`.
fn shape_sdf(shape: u32, r: f32, p: Vec2) -> f32 {
    match shape {
        1 => {
            let corner = look::SQUARE_CORNER * r;
            let q = p.abs() - Vec2::splat(look::SQUARE_HALF * r - corner);
            q.max(Vec2::ZERO).length() + q.x.max(q.y).min(0.0) - corner
        }
        2 => {
            let a = p.abs();
            (a.x + a.y - SHAPE_EXTENT * r) * std::f32::consts::FRAC_1_SQRT_2
        }
        3 => {
            // Flat top and bottom (Inigo Quilez' exact hexagon distance).
            let k = [-0.866_025_4_f32, 0.5, 0.577_350_26];
            let apothem = look::HEXAGON_APOTHEM * r;
            let mut q = p.abs();
            let fold = 2.0 * (k[0] * q.x + k[1] * q.y).min(0.0);
            q -= vec2(k[0], k[1]) * fold;
            q -= vec2(q.x.clamp(-k[2] * apothem, k[2] * apothem), apothem);
            q.length() * q.y.signum()
        }
        _ => p.length() - r,
    }
}

/// Distance from a node's centre to its boundary along unit `dir`.
fn boundary_distance(shape: u32, r: f32, dir: Vec2) -> f32 {
    let a = dir.abs();
    match shape {
        1 => look::SQUARE_HALF * r / a.x.max(a.y).max(1e-4),
        2 => SHAPE_EXTENT * r / (a.x + a.y).max(1e-4),
        3 => look::HEXAGON_APOTHEM * r / a.y.max(0.866_025_4 * a.x + 0.5 * a.y).max(1e-4),
        _ => r,
    }
}

impl Scene<'_> {
    /// What `edge_vertex` in edges.wgsl computes, once per edge.
    fn edge_shape(&self, edge: &EdgeInstance, alpha: f32) -> Option<EdgeShape> {
        use std::f32::consts::{PI, TAU};
        if edge.color >> 24 == 0 {
            return None; // hidden
        }
        let (source, target) = (edge.source as usize, edge.target as usize);
        let (&src_w, &dst_w) = (self.positions.get(source)?, self.positions.get(target)?);
        let (src_style, dst_style) = (*self.styles.get(source)?, *self.styles.get(target)?);
        let view = self.view;
        let (src, dst) = (self.points[source], self.points[target]);
        let rs = view.node_radius_px(src_style.radius);
        let rt = view.node_radius_px(dst_style.radius);
        let ppp = view.pixels_per_point;

        let width = edge.width_px * ppp;
        let half_width = 0.5 * width.max(1.0);
        let width_alpha = width.clamp(0.0, 1.0);
        let arrow_len = if edge.flags & EDGE_ARROW != 0 {
            arrow_length_px(width, rt, ppp)
        } else {
            0.0
        };
        // Too small to read: no arrowhead, and the line runs to the node.
        let arrow = arrow_len > 0.0;

        let is_loop = source == target;
        let curved = is_loop || edge.bend != 0.0;
        let (mut path, lo, hi) = if is_loop {
            let (center, radius) = self_loop_circle(src_w, src_style.radius + edge.bend.abs());
            let center = view.px_of(center);
            let rho = radius * view.px_per_world();
            (
                Path::Arc {
                    center,
                    radius: rho,
                },
                center - Vec2::splat(rho),
                center + Vec2::splat(rho),
            )
        } else if curved {
            let control = view.px_of(edge_control_point(src_w, dst_w, edge.bend));
            (
                Path::Bezier {
                    a: src,
                    b: control,
                    c: dst,
                },
                src.min(dst).min(control),
                src.max(dst).max(control),
            )
        } else {
            (Path::Segment { a: src, b: dst }, src.min(dst), src.max(dst))
        };
        let pad = Vec2::splat(half_width + arrow_len + look::AA_PX);
        if !view.box_visible(lo - pad, hi + pad) {
            return None;
        }

        let mut used_segments = 1;
        if curved {
            let extent = match path {
                Path::Arc { radius, .. } => TAU * radius,
                Path::Bezier { a, b, c } => (b - a).length() + (c - b).length(),
                Path::Segment { a, b } => (b - a).length(),
            };
            used_segments =
                ((extent / look::CURVE_PX_PER_SEGMENT).ceil() as u32).clamp(2, EDGE_SEGMENTS);
        }

        // Trim both ends to the node boundaries, and find the arrow's tip.
        let (t0, t1, tip, tip_dir);
        match path {
            Path::Segment { .. } => {
                let dir = safe_normalize(dst - src);
                let start = src + dir * boundary_distance(src_style.shape, rs, dir);
                tip = dst - dir * boundary_distance(dst_style.shape, rt, -dir);
                tip_dir = dir;
                let end = tip - dir * (arrow_len * look::ARROW_OVERLAP);
                if (end - start).dot(dir) <= 0.0 {
                    return None; // the nodes overlap
                }
                path = Path::Segment { a: start, b: end };
                (t0, t1) = (0.0, 1.0);
            }
            Path::Bezier { .. } => {
                t0 = path.bezier_exit(src, src_style.shape, rs, false);
                let t_tip = path.bezier_exit(dst, dst_style.shape, rt, true);
                let speed = path.derivative(t_tip).length().max(1e-3);
                tip = path.point(t_tip);
                tip_dir = safe_normalize(tip - path.point(t0.max(t_tip - arrow_len / speed)));
                t1 = t0.max(t_tip - arrow_len * look::ARROW_OVERLAP / speed);
            }
            Path::Arc {
                center,
                radius: rho,
            } => {
                let to_node = src - center;
                let d = to_node.length().max(1e-3);
                let cos_alpha = ((d * d + rho * rho - rs * rs) / (2.0 * d * rho)).clamp(-1.0, 1.0);
                let alpha_angle = cos_alpha.acos();
                if rho < 0.5 || alpha_angle >= PI {
                    return None;
                }
                let beta = to_node.y.atan2(to_node.x);
                t0 = beta + alpha_angle;
                let t_tip = beta + TAU - alpha_angle;
                tip = path.point(t_tip);
                tip_dir =
                    safe_normalize(tip - path.point(t0.max(t_tip - arrow_len / rho.max(1e-3))));
                t1 = t0.max(t_tip - arrow_len * look::ARROW_OVERLAP / rho.max(1e-3));
            }
        }

        let body = match path {
            Path::Segment { a, b } => Body::Straight([a, b]),
            _ => Body::Curve(
                (0..=used_segments)
                    .map(|step| {
                        let t = t0 + (t1 - t0) * (step as f32 / used_segments as f32);
                        (path.point(t), perp(safe_normalize(path.derivative(t))))
                    })
                    .collect(),
            ),
        };
        let arrow = arrow.then(|| {
            let side = perp(tip_dir) * (look::ARROW_HALF_WIDTH * arrow_len);
            let base = tip - tip_dir * arrow_len;
            [tip, base + side, base - side]
        });
        let reach = half_width + look::AA_PX + 1.0;
        let mut top = f32::INFINITY;
        let mut bottom = f32::NEG_INFINITY;
        for (a, b) in body.chords() {
            top = top.min(a.y.min(b.y) - reach);
            bottom = bottom.max(a.y.max(b.y) + reach);
        }
        for corner in arrow.iter().flatten() {
            top = top.min(corner.y - look::AA_PX - 2.0);
            bottom = bottom.max(corner.y + look::AA_PX + 2.0);
        }
        Some(EdgeShape {
            body,
            half_width,
            color: edge.color,
            body_alpha: alpha * width_alpha,
            dash: (edge.flags & EDGE_DASHED != 0).then_some((
                look::DASH_ON_PT * ppp,
                (look::DASH_ON_PT + look::DASH_OFF_PT) * ppp,
            )),
            arrow,
            arrow_alpha: alpha,
            top,
            bottom,
        })
    }

    /// What `node_vertex` in graph.wgsl computes, once per node.
    fn node_shape(&self, node: u32, style: NodeStyle, alpha: f32) -> Option<NodeShape> {
        if style.fill >> 24 == 0 && style.outline >> 24 == 0 {
            return None; // hidden
        }
        let center = *self.points.get(node as usize)?;
        let view = self.view;
        let radius = view.node_radius_px(style.radius);
        let extent = radius * SHAPE_EXTENT + look::AA_PX;
        if !view.box_visible(center - Vec2::splat(extent), center + Vec2::splat(extent)) {
            return None;
        }
        let unpack = |color: u32| {
            color
                .to_le_bytes()
                .map(|channel| f32::from(channel) / 255.0)
        };
        Some(NodeShape {
            center,
            radius,
            shape: style.shape,
            fill: unpack(style.fill),
            outline: unpack(style.outline),
            // Tiny nodes keep some fill.
            outline_width: (look::OUTLINE_PT * view.pixels_per_point).min(radius * 0.35),
            alpha,
        })
    }
}

/// The rows of the picture one thread draws, and the columns of the tile
/// of them being drawn.
struct Band<'a> {
    rows: &'a mut [u32],
    width: usize,
    /// First row, in picture pixels.
    top: usize,
    height: usize,
    /// The tile's columns: `left..right`.
    left: usize,
    right: usize,
}

/// `color` (premultiplied) scaled by `factor` in 0..=1, with 12 bits of
/// the factor kept: a dense graph's faded edges overlap hundreds deep, and
/// coarser steps would add up to a visible shift from the GPU's picture.
#[inline]
fn scale(color: u32, factor: f32) -> u32 {
    let weight = (factor * 4096.0 + 0.5) as u32;
    if weight >= 4096 {
        return color;
    }
    u32::from_le_bytes(color.to_le_bytes().map(|channel| {
        // At most 255 · 4095 + 2048: no overflow, and the result ≤ 255.
        ((u32::from(channel) * weight + 2048) >> 12) as u8
    }))
}

#[inline]
fn blend(pixel: &mut u32, src: u32) {
    if src != 0 {
        *pixel = over(*pixel, src, 255 - (src >> 24));
    }
}

/// A linear function of the pixel centre: `normal · (p − origin)`.
#[derive(Clone, Copy)]
struct Linear {
    normal: Vec2,
    offset: f32,
}

impl Linear {
    fn new(normal: Vec2, origin: Vec2) -> Self {
        Self {
            normal,
            offset: -normal.dot(origin),
        }
    }

    fn negated(self) -> Self {
        Self {
            normal: -self.normal,
            offset: -self.offset,
        }
    }

    #[inline]
    fn at(self, x: f32, y: f32) -> f32 {
        self.normal.x * x + self.normal.y * y + self.offset
    }
}

/// A convex region `f(p) <= limit` for up to four linear `f`, scanned row
/// by row: on each row it is the pixel centres between the greatest lower
/// bound and the least upper bound on x, each `start + step * y`. Unused
/// bounds are infinite, so the scan is four fixed steps each way.
struct Region {
    lower: [(f32, f32); 4],
    upper: [(f32, f32); 4],
}

impl Region {
    fn new(constraints: &[(Linear, f32)]) -> Self {
        let mut region = Self {
            lower: [(f32::NEG_INFINITY, 0.0); 4],
            upper: [(f32::INFINITY, 0.0); 4],
        };
        let (mut lowers, mut uppers) = (0, 0);
        for &(function, limit) in constraints.iter().take(4) {
            // a x + b y + c <= limit  ⇔  x <= (limit − c − b y) / a  (a > 0).
            let a = if function.normal.x.abs() < 1e-6 {
                // Horizontal bound: all of the row or none of it.
                1e-6f32.copysign(function.normal.x)
            } else {
                function.normal.x
            };
            let bound = ((limit - function.offset) / a, -function.normal.y / a);
            if a > 0.0 {
                region.upper[uppers] = bound;
                uppers += 1;
            } else {
                region.lower[lowers] = bound;
                lowers += 1;
            }
        }
        region
    }

    /// The pixels of the row at `center_y` inside the region, within
    /// columns `left..right`.
    #[inline]
    fn pixels(&self, center_y: f32, left: usize, right: usize) -> Option<(usize, usize)> {
        let [l0, l1, l2, l3] = self.lower.map(|(start, step)| start + step * center_y);
        let [u0, u1, u2, u3] = self.upper.map(|(start, step)| start + step * center_y);
        let lo = (left as f32).max(l0.max(l1)).max(l2.max(l3));
        let hi = (right as f32).min(u0.min(u1)).min(u2.min(u3));
        // Pixel x's centre is x + 0.5: x in [lo − 0.5, hi − 0.5].
        let from = ceil_index(lo - 0.5).max(left as i64);
        let to = floor_index(hi - 0.5).min(right as i64 - 1);
        (to >= from).then_some((from as usize, to as usize))
    }
}

/// `x.floor()` as an integer, without a libm call or a branch (x86-64's
/// baseline has no rounding instruction). Clamped to ±10⁹, far outside any
/// picture; NaN gives 0, which the callers' ranges then clip.
#[inline]
fn floor_index(x: f32) -> i64 {
    let x = x.clamp(-1.0e9, 1.0e9);
    let truncated = x as i32;
    i64::from(truncated - i32::from(truncated as f32 > x))
}

#[inline]
fn ceil_index(x: f32) -> i64 {
    -floor_index(-x)
}

/// The box-filtered dash pattern at `arc` pixels along the path: the
/// pixel's overlap with the "on" part (as in edges.wgsl).
#[inline]
fn dash_coverage(arc: f32, on: f32, period: f32) -> f32 {
    let m = arc - (arc / period).floor() * period;
    ((m + 0.5).min(on) - (m - 0.5).max(0.0)).clamp(0.0, 1.0) + (m + 0.5 - period).clamp(0.0, 1.0)
}

impl EdgeShape {
    /// The columns (pixels) this edge may touch within rows `top..bottom`.
    fn columns(&self, top: f32, bottom: f32) -> Option<(f32, f32)> {
        if self.bottom < top || self.top > bottom {
            return None;
        }
        let reach = self.half_width + look::AA_PX + 1.0;
        let (mut left, mut right) = (f32::INFINITY, f32::NEG_INFINITY);
        for (a, b) in self.body.chords() {
            // The centre line's part within the rows, widened by the reach.
            let (lo, hi) = (top - reach, bottom + reach);
            let dy = b.y - a.y;
            let (mut t0, mut t1) = (0.0f32, 1.0f32);
            if dy.abs() < 1e-9 {
                if a.y < lo || a.y > hi {
                    continue;
                }
            } else {
                let (ta, tb) = ((lo - a.y) / dy, (hi - a.y) / dy);
                t0 = t0.max(ta.min(tb));
                t1 = t1.min(ta.max(tb));
                if t0 > t1 {
                    continue;
                }
            }
            let (x0, x1) = (a.x + (b.x - a.x) * t0, a.x + (b.x - a.x) * t1);
            left = left.min(x0.min(x1) - reach);
            right = right.max(x0.max(x1) + reach);
        }
        if let Some(corners) = self.arrow {
            let (lo, hi) = corners
                .iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), c| {
                    (lo.min(c.y), hi.max(c.y))
                });
            if hi + 2.0 >= top && lo - 2.0 <= bottom {
                for corner in corners {
                    left = left.min(corner.x - 2.0);
                    right = right.max(corner.x + 2.0);
                }
            }
        }
        (left <= right).then_some((left, right))
    }
}

impl NodeShape {
    fn columns(&self, top: f32, bottom: f32) -> Option<(f32, f32)> {
        let extent = self.radius * SHAPE_EXTENT + look::AA_PX + 1.0;
        let c = self.center;
        (c.y + extent >= top && c.y - extent <= bottom).then_some((c.x - extent, c.x + extent))
    }
}

impl Band<'_> {
    /// Which of `shapes` each tile of this band must draw, in order.
    fn bin<T: Sync>(
        &self,
        shapes: &[T],
        columns: usize,
        reach: impl Fn(&T, f32, f32) -> Option<(f32, f32)>,
    ) -> Vec<Vec<u32>> {
        let mut tiles = vec![Vec::new(); columns];
        let (top, bottom) = (self.top as f32, (self.top + self.height) as f32);
        for (index, shape) in shapes.iter().enumerate() {
            let Some((left, right)) = reach(shape, top, bottom) else {
                continue;
            };
            if right < 0.0 || left >= self.width as f32 || left.is_nan() || right.is_nan() {
                continue;
            }
            let first = (left.max(0.0) as usize / TILE).min(columns - 1);
            let last = (right.min(self.width as f32 - 1.0) as usize / TILE).min(columns - 1);
            for tile in &mut tiles[first..=last] {
                tile.push(index as u32);
            }
        }
        tiles
    }

    #[inline]
    fn blend(&mut self, row: usize, x: usize, src: u32) {
        if src == 0 {
            return;
        }
        let pixel = &mut self.rows[row * self.width + x];
        *pixel = over(*pixel, src, 255 - (src >> 24));
    }

    /// Calls `shade` with the centre of every pixel of this band inside the
    /// convex polygon `corners`, and blends what it returns.
    fn fill(&mut self, corners: &[Vec2], mut shade: impl FnMut(Vec2) -> u32) {
        let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
        for corner in corners {
            lo = lo.min(corner.y);
            hi = hi.max(corner.y);
        }
        let Some((first, last)) = self.rows_between(lo, hi) else {
            return;
        };
        let max_x = self.right as i64 - 1;
        for y in first..=last {
            let center_y = y as f32 + 0.5;
            let (mut left, mut right) = (f32::INFINITY, f32::NEG_INFINITY);
            for (index, &p) in corners.iter().enumerate() {
                let q = corners[(index + 1) % corners.len()];
                if (p.y <= center_y) != (q.y <= center_y) {
                    let x = p.x + (center_y - p.y) * (q.x - p.x) / (q.y - p.y);
                    left = left.min(x);
                    right = right.max(x);
                } else if (p.y - center_y).abs() < f32::EPSILON {
                    left = left.min(p.x);
                    right = right.max(p.x);
                }
            }
            let from = ceil_index(left - 0.5).max(self.left as i64);
            let to = floor_index(right - 0.5).min(max_x);
            if to < from {
                continue;
            }
            for x in from as usize..=to as usize {
                let src = shade(vec2(x as f32 + 0.5, center_y));
                self.blend(y - self.top, x, src);
            }
        }
    }

    fn edge(&mut self, shape: &EdgeShape) {
        let (top, bottom) = (self.top as f32, (self.top + self.height) as f32);
        if shape.bottom < top || shape.top > bottom {
            return;
        }
        match &shape.body {
            Body::Straight([p0, p1]) => self.segment(shape, *p0, *p1, 0.0),
            Body::Curve(points) => {
                let mut arc_start = 0.0;
                for pair in points.windows(2) {
                    self.curve_segment(
                        shape,
                        [pair[0].0, pair[0].1],
                        [pair[1].0, pair[1].1],
                        arc_start,
                    );
                    arc_start += (pair[1].0 - pair[0].0).length();
                }
            }
        }
        if let Some([a, b, c]) = shape.arrow {
            self.arrowhead(a, b, c, shape.color, shape.arrow_alpha);
        }
    }

    /// A straight quad from `p0` to `p1`, row by row: each row's pixels
    /// inside it lie between bounds that move by a constant step per row,
    /// and those fully covered get one colour without per-pixel work.
    fn segment(&mut self, shape: &EdgeShape, p0: Vec2, p1: Vec2, arc_start: f32) {
        let chord = p1 - p0;
        let length = chord.length();
        if length <= 0.0 || !length.is_finite() {
            return;
        }
        let along = chord / length;
        let normal = perp(along);
        let half_width = shape.half_width;
        let reach = half_width + look::AA_PX;
        let Some((first, last)) = self.rows_between(p0.y.min(p1.y) - reach, p0.y.max(p1.y) + reach)
        else {
            return;
        };
        // across(p) = normal · (p − p0); along(p) = along · (p − p0).
        let across = Linear::new(normal, p0);
        let along_p = Linear::new(along, p0);
        let outer = Region::new(&[
            (across, reach),
            (across.negated(), reach),
            (along_p, length),
            (along_p.negated(), 0.0),
        ]);
        // Fully covered where |across| <= half width − 0.5 (not for dashes).
        let solid_limit = half_width - 0.5;
        let solid_region = (shape.dash.is_none() && solid_limit > 0.01).then(|| {
            Region::new(&[
                (across, solid_limit),
                (across.negated(), solid_limit),
                (along_p, length),
                (along_p.negated(), 0.0),
            ])
        });
        let solid = scale(shape.color, shape.body_alpha);
        let keep = 255 - (solid >> 24);
        let (left, right) = (self.left, self.right);
        for y in first..=last {
            let center_y = y as f32 + 0.5;
            let Some((from, to)) = outer.pixels(center_y, left, right) else {
                continue;
            };
            let (solid_from, solid_to) = solid_region
                .as_ref()
                .and_then(|region| region.pixels(center_y, from, to + 1))
                .unwrap_or((to + 1, to));
            let row = (y - self.top) * self.width;
            let pixels = &mut self.rows[row..row + self.width];
            let fringe = |pixels: &mut [u32], from: usize, to: usize| {
                // across and along change by a constant per pixel.
                let x_center = from as f32 + 0.5;
                let mut across_here = across.at(x_center, center_y);
                let mut arc = arc_start + along_p.at(x_center, center_y);
                for pixel in pixels.iter_mut().take(to).skip(from) {
                    let mut coverage = (half_width + 0.5 - across_here.abs()).clamp(0.0, 1.0);
                    if let Some((on, period)) = shape.dash {
                        coverage *= dash_coverage(arc, on, period);
                    }
                    blend(pixel, scale(shape.color, coverage * shape.body_alpha));
                    across_here += across.normal.x;
                    arc += along_p.normal.x;
                }
            };
            fringe(pixels, from, solid_from);
            for pixel in &mut pixels[solid_from..=solid_to] {
                *pixel = over(*pixel, solid, keep);
            }
            fringe(pixels, (solid_to + 1).max(from), to + 1);
        }
    }

    /// One quad of a tessellated curve or loop, with the normals of the
    /// path at both ends, as the GPU draws it.
    fn curve_segment(
        &mut self,
        shape: &EdgeShape,
        [p0, n0]: [Vec2; 2],
        [p1, n1]: [Vec2; 2],
        arc_start: f32,
    ) {
        let chord = p1 - p0;
        let length = chord.length();
        if length <= 0.0 {
            return;
        }
        let along = chord / length;
        let normal = perp(along);
        let reach = shape.half_width + look::AA_PX;
        let corners = [
            p0 - n0 * reach,
            p1 - n1 * reach,
            p1 + n1 * reach,
            p0 + n0 * reach,
        ];
        let (half_width, color, alpha, dash) =
            (shape.half_width, shape.color, shape.body_alpha, shape.dash);
        self.fill(&corners, |pixel| {
            let offset = pixel - p0;
            let mut coverage = (half_width + 0.5 - offset.dot(normal).abs()).clamp(0.0, 1.0);
            if let Some((on, period)) = dash {
                coverage *= dash_coverage(arc_start + offset.dot(along), on, period);
            }
            scale(color, coverage * alpha)
        });
    }

    /// An arrowhead a–b–c, its edges anti-aliased with the exact distance
    /// (as `sd_triangle` in edges.wgsl); the inside is one colour.
    fn arrowhead(&mut self, a: Vec2, b: Vec2, c: Vec2, color: u32, alpha: f32) {
        let triangle = Triangle::new(a, b, c);
        // Signed distance to each side's line, positive outside.
        let sides = [0, 1, 2].map(|index| {
            let edge = triangle.edges[index];
            let outward = safe_normalize(vec2(-edge.y, edge.x) * triangle.sign);
            Linear::new(outward, triangle.corners[index])
        });
        let outer = Region::new(&sides.map(|side| (side, 0.5)));
        let inside = Region::new(&sides.map(|side| (side, -0.5)));
        let top = a.y.min(b.y).min(c.y) - 1.0;
        let bottom = a.y.max(b.y).max(c.y) + 1.0;
        let Some((first, last)) = self.rows_between(top, bottom) else {
            return;
        };
        let solid = scale(color, alpha);
        let keep = 255 - (solid >> 24);
        let (left, right) = (self.left, self.right);
        for y in first..=last {
            let center_y = y as f32 + 0.5;
            let Some((from, to)) = outer.pixels(center_y, left, right) else {
                continue;
            };
            let (solid_from, solid_to) = inside
                .pixels(center_y, from, to + 1)
                .unwrap_or((to + 1, to));
            let row = (y - self.top) * self.width;
            let pixels = &mut self.rows[row..row + self.width];
            let shade = |x: usize| {
                let p = vec2(x as f32 + 0.5, center_y);
                let nearest_line = sides
                    .iter()
                    .map(|side| side.at(p.x, p.y))
                    .fold(f32::NEG_INFINITY, f32::max);
                // Inside, the nearest side's line is the distance; outside,
                // a corner may be nearer than any line.
                let distance = if nearest_line <= 0.0 {
                    nearest_line
                } else {
                    triangle.distance(p)
                };
                scale(color, (0.5 - distance).clamp(0.0, 1.0) * alpha)
            };
            for (x, pixel) in pixels.iter_mut().enumerate().take(solid_from).skip(from) {
                blend(pixel, shade(x));
            }
            for pixel in &mut pixels[solid_from..=solid_to] {
                *pixel = over(*pixel, solid, keep);
            }
            let rest = (solid_to + 1).max(from);
            for (x, pixel) in pixels.iter_mut().enumerate().take(to + 1).skip(rest) {
                blend(pixel, shade(x));
            }
        }
    }

    /// The band's rows whose centres lie between `top` and `bottom`.
    fn rows_between(&self, top: f32, bottom: f32) -> Option<(usize, usize)> {
        let first = (top - 0.5).ceil().max(self.top as f32);
        let last = (bottom - 0.5)
            .floor()
            .min((self.top + self.height) as f32 - 1.0);
        (last >= first).then_some((first as usize, last as usize))
    }

    /// A node's square of pixels, shaded by its shape's distance: the
    /// fill, the outline ring inside the boundary, the anti-aliased edge.
    fn node(&mut self, node: &NodeShape) {
        let extent = node.radius * SHAPE_EXTENT + look::AA_PX;
        let center = node.center;
        let Some((first, last)) = self.rows_between(center.y - extent, center.y + extent) else {
            return;
        };
        let from = ceil_index(center.x - extent - 0.5).max(self.left as i64);
        let to = floor_index(center.x + extent - 0.5).min(self.right as i64 - 1);
        if to < from {
            return;
        }
        for y in first..=last {
            let row = (y - self.top) * self.width;
            for x in from as usize..=to as usize {
                let pixel = vec2(x as f32 + 0.5, y as f32 + 0.5);
                let distance = shape_sdf(node.shape, node.radius, pixel - center);
                let coverage = (0.5 - distance).clamp(0.0, 1.0);
                if coverage <= 0.0 {
                    continue;
                }
                let inner = (0.5 - (distance + node.outline_width)).clamp(0.0, 1.0);
                let strength = coverage * node.alpha;
                let channel = |index: usize| {
                    let value =
                        node.outline[index] + (node.fill[index] - node.outline[index]) * inner;
                    ((value * strength * 255.0 + 0.5) as u32).min(255)
                };
                let color = channel(0) | channel(1) << 8 | channel(2) << 16 | channel(3) << 24;
                blend(&mut self.rows[row + x], color);
            }
        }
    }
}

/// A triangle's exact signed distance (Inigo Quilez), negative inside.
struct Triangle {
    corners: [Vec2; 3],
    edges: [Vec2; 3],
    /// 1 or −1: the winding.
    sign: f32,
}

impl Triangle {
    fn new(a: Vec2, b: Vec2, c: Vec2) -> Self {
        let edges = [b - a, c - b, a - c];
        let sign = (edges[0].x * edges[2].y - edges[0].y * edges[2].x).signum();
        Self {
            corners: [a, b, c],
            edges,
            sign,
        }
    }

    fn distance(&self, p: Vec2) -> f32 {
        let mut nearest = f32::INFINITY;
        let mut side = f32::INFINITY;
        for (corner, edge) in self.corners.iter().zip(&self.edges) {
            let v = p - *corner;
            let along = (v.dot(*edge) / edge.dot(*edge)).clamp(0.0, 1.0);
            let off = v - *edge * along;
            nearest = nearest.min(off.dot(off));
            side = side.min(self.sign * (v.x * edge.y - v.y * edge.x));
        }
        -nearest.sqrt() * side.signum()
    }
}
