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
//! drawing every primitive's part in its band, in the GPU's order
//! (`raster.rs`: coverage row by row, and the blending).

mod bounds;
mod raster;
mod run;

use egui::{Vec2, vec2};
use rayon::prelude::*;

use raster::Band;

use super::resources::partition_edges;
use crate::scene::edge_style::arrow_length_px;

use super::{
    Camera, EDGE_ARROW, EDGE_DASHED, EDGE_SEGMENTS, EdgeInstance, GraphFrame, MIN_NODE_RADIUS_PT,
    NodeStyle, SHAPE_EXTENT, edge_control_point, look, self_loop_circle,
};

/// Side of the square tiles the picture is drawn in, in pixels: 64 KiB.
const TILE: usize = 128;

/// Pixels from one row of a tile's buffer to the next: room for a vector
/// step that runs past the tile's right edge (`run::RUN_SLACK`).
const STRIDE: usize = TILE + run::RUN_SLACK;

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
    draw_layers(frame, view, &mut pixels, true);
    pixels
}

/// The picture the window shows while a big graph moves, when the adapter
/// cannot run the graph shaders (`view::cpu_drawing`): the low-detail
/// picture (lod.rs: thin lines, plain discs) with the highlights drawn over
/// it at full detail, as the GPU draws them over its low-detail picture.
pub fn draw_low_detail(frame: &GraphFrame, view: &SoftwareView) -> Vec<u32> {
    let scene = super::lod::LodScene {
        positions: &frame.positions,
        styles: &frame.node_styles,
        edges: &frame.edges,
        camera: frame.camera,
        center_px: view.center_px,
        pixels_per_point: view.pixels_per_point,
        edge_alpha: frame.edge_alpha,
        background: frame.background.map_or([0; 4], |color| color.to_array()),
        bgra: false,
    };
    let mut pixels = Vec::new();
    super::lod::draw(&scene, view.size, &mut pixels);
    draw_layers(frame, view, &mut pixels, false);
    pixels
}

/// Draws only `frame`'s highlights over `pixels`, a picture of `view.size`
/// (the window's CPU drawing keeps the graph's picture without them).
pub fn draw_highlights(frame: &GraphFrame, view: &SoftwareView, pixels: &mut [u32]) {
    draw_layers(frame, view, pixels, false);
}

/// Draws `frame` over `pixels` (a picture of `view.size`): the graph
/// itself when `graph`, then the highlights.
fn draw_layers(frame: &GraphFrame, view: &SoftwareView, pixels: &mut [u32], graph: bool) {
    let [width, height] = view.size.map(|side| side as usize);
    if width == 0 || height == 0 || pixels.len() != width * height {
        return;
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
    let (edges, nodes) = if graph {
        let (edges, _) = partition_edges(&frame.edges);
        let nodes: Vec<NodeShape> = (0..points.len().min(frame.node_styles.len()))
            .into_par_iter()
            .filter_map(|node| scene.node_shape(node as u32, frame.node_styles[node], alpha))
            .collect();
        (shapes(&edges, alpha * edge_alpha), nodes)
    } else {
        (Vec::new(), Vec::new())
    };
    let (overlay_edges, _) = partition_edges(&frame.overlay_edges);
    let overlay_edges = shapes(&overlay_edges, 1.0);
    let overlay_nodes: Vec<NodeShape> = frame
        .overlay_nodes
        .iter()
        .filter_map(|&(node, style)| scene.node_shape(node, style, 1.0))
        .collect();

    // The picture is drawn in tiles small enough to stay in a core's
    // cache (a steep line touches a new row at every pixel): each thread
    // takes a band of rows, sorts what crosses it into its tiles, in
    // drawing order, and draws tile by tile.
    let shapes = Shapes {
        edges: &edges,
        nodes: &nodes,
        overlay_edges: &overlay_edges,
        overlay_nodes: &overlay_nodes,
    };
    pixels
        .par_chunks_mut(TILE * width)
        .enumerate()
        .for_each(|(band, rows)| {
            let band = Band {
                height: rows.len() / width,
                tile: vec![0; STRIDE * TILE],
                rows,
                width,
                top: band * TILE,
                left: 0,
                right: width,
            };
            draw_band(band, &shapes);
        });
}

/// What a picture draws, in drawing order.
struct Shapes<'a> {
    edges: &'a [EdgeShape],
    nodes: &'a [NodeShape],
    overlay_edges: &'a [EdgeShape],
    overlay_nodes: &'a [NodeShape],
}

/// Sorts what crosses the band into its tiles, in drawing order, and draws
/// tile by tile.
fn draw_band(mut band: Band<'_>, shapes: &Shapes<'_>) {
    let columns = band.width.div_ceil(TILE);
    let edge_tiles = band.bin(shapes.edges, columns, EdgeShape::columns);
    let node_tiles = band.bin(shapes.nodes, columns, NodeShape::columns);
    let overlay_edge_tiles = band.bin(shapes.overlay_edges, columns, EdgeShape::columns);
    let overlay_node_tiles = band.bin(shapes.overlay_nodes, columns, NodeShape::columns);
    for column in 0..columns {
        let left = column * TILE;
        band.open_tile(left, (left + TILE).min(band.width));
        for &index in &edge_tiles[column] {
            band.edge(&shapes.edges[index as usize]);
        }
        for &index in &node_tiles[column] {
            band.node(&shapes.nodes[index as usize]);
        }
        for &index in &overlay_edge_tiles[column] {
            band.edge(&shapes.overlay_edges[index as usize]);
        }
        for &index in &overlay_node_tiles[column] {
            band.node(&shapes.overlay_nodes[index as usize]);
        }
        band.close_tile();
    }
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
            // Point up (screen y grows down): the farthest of the three sides.
            p.y.max(0.866_025_4 * p.x.abs() - 0.5 * p.y) - look::TRIANGLE_INRADIUS * r
        }
        _ => p.length() - r,
    }
}

/// Distance from a node's centre to its boundary along unit `dir`.
fn boundary_distance(shape: u32, r: f32, dir: Vec2) -> f32 {
    super::shape_boundary(shape, r, [dir.x, dir.y])
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
