//! Rasterising the shapes of `mod.rs` into a band of rows: each
//! edge's and arrowhead's rows as spans between linear bounds, solid inside
//! and anti-aliased at the fringe; nodes by their shape's distance.

use egui::{Vec2, vec2};

use super::super::lod::over;
use super::super::look;
use super::bounds::{
    Linear, Region, Span, ceil_index, clip, floor_index, pixel_range, rows_within_columns,
};
use super::run::{self, RowRun, Stroke};
use super::{
    Body, EdgeShape, NodeShape, SHAPE_EXTENT, STRIDE, TILE, perp, safe_normalize, shape_sdf,
};

/// The rows of the picture one thread draws, and the tile of them being
/// drawn: its pixels are copied out into `tile`, rows `STRIDE` apart (with
/// room after each for the vector steps of `run.rs`), and back when it is
/// done.
pub(super) struct Band<'a> {
    pub(super) rows: &'a mut [u32],
    pub(super) tile: Vec<u32>,
    pub(super) width: usize,
    /// First row, in picture pixels.
    pub(super) top: usize,
    pub(super) height: usize,
    /// The tile's columns: `left..right`.
    pub(super) left: usize,
    pub(super) right: usize,
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

/// Branch-free: `over` with nothing to add returns the pixel unchanged,
/// and a fringe's zero coverage is too common to predict.
#[inline]
fn blend(pixel: &mut u32, src: u32) {
    *pixel = over(*pixel, src, 255 - (src >> 24));
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
    pub(super) fn columns(&self, top: f32, bottom: f32) -> Option<(f32, f32)> {
        if self.bottom < top || self.top > bottom {
            return None;
        }
        let reach = self.half_width + look::AA_PX + 1.0;
        let (mut left, mut right) = (f32::INFINITY, f32::NEG_INFINITY);
        for (a, b) in self.body.chords() {
            // The centre line's part within the rows, widened by the reach.
            let Some((t0, t1)) = clip(a.y, b.y - a.y, top - reach, bottom + reach) else {
                continue;
            };
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
    pub(super) fn columns(&self, top: f32, bottom: f32) -> Option<(f32, f32)> {
        let extent = self.radius * SHAPE_EXTENT + look::AA_PX + 1.0;
        let c = self.center;
        (c.y + extent >= top && c.y - extent <= bottom).then_some((c.x - extent, c.x + extent))
    }
}

impl Band<'_> {
    /// Which of `shapes` each tile of this band must draw, in order.
    pub(super) fn bin<T: Sync>(
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
        let pixel = &mut self.tile[row * STRIDE + x - self.left];
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

    pub(super) fn edge(&mut self, shape: &EdgeShape) {
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
        let (left, right) = (self.left, self.right);
        // Only the rows where the quad crosses this tile's columns: a
        // shallow edge crosses many tiles, each for a few of its rows.
        let corners = [
            p0 + normal * reach,
            p1 + normal * reach,
            p1 - normal * reach,
            p0 - normal * reach,
        ];
        let Some((top, bottom)) = rows_within_columns(&corners, left as f32, right as f32) else {
            return;
        };
        let Some((first, last)) = self.rows_between(top, bottom) else {
            return;
        };
        // across(p) = normal · (p − p0); along(p) = along · (p − p0).
        let across = Linear::new(normal, p0);
        let along_p = Linear::new(along, p0);
        let ends = Span::new(along_p, 0.0, length);
        let outer = Span::new(across, -reach, reach);
        let stroke = Stroke {
            step: across.normal.x,
            reach: half_width + 0.5,
            color: Stroke::fixed_color(shape.color, shape.body_alpha),
        };
        // A solid edge's rows, gathered to be blended in one go.
        let mut runs = [RowRun::default(); TILE];
        let mut run_count = 0;
        for y in first..=last {
            let center_y = y as f32 + 0.5;
            let (ends_lo, ends_hi) = ends.at(center_y);
            let (outer_lo, outer_hi) = outer.at(center_y);
            let lo = (left as f32).max(ends_lo).max(outer_lo);
            let hi = (right as f32).min(ends_hi).min(outer_hi);
            let Some((from, to)) = pixel_range(lo, hi, left, right) else {
                continue;
            };
            let row = (y - self.top) * STRIDE - left;
            // across and along change by a constant per pixel.
            let x_center = from as f32 + 0.5;
            let across_start = across.at(x_center, center_y);
            let count = to - from + 1;
            let Some((on, period)) = shape.dash else {
                // A band has at most TILE rows; the tile's buffer fits u32.
                runs[run_count] = RowRun {
                    start: (row + from) as u32,
                    count: count as u32,
                    across: across_start,
                };
                run_count += 1;
                continue;
            };
            let mut across_here = across_start;
            let mut arc = arc_start + along_p.at(x_center, center_y);
            for pixel in &mut self.tile[row + from..=row + to] {
                let coverage = (half_width + 0.5 - across_here.abs()).clamp(0.0, 1.0)
                    * dash_coverage(arc, on, period);
                blend(pixel, scale(shape.color, coverage * shape.body_alpha));
                across_here += across.normal.x;
                arc += along_p.normal.x;
            }
        }
        run::paint(&mut self.tile, &runs[..run_count], &stroke);
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
            let row = (y - self.top) * STRIDE;
            let pixels = &mut self.tile[row..row + (right - left)];
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
            for x in from..solid_from.min(to + 1) {
                blend(&mut pixels[x - left], shade(x));
            }
            for pixel in &mut pixels[solid_from - left..=solid_to - left] {
                *pixel = over(*pixel, solid, keep);
            }
            for x in (solid_to + 1).max(from)..=to {
                blend(&mut pixels[x - left], shade(x));
            }
        }
    }

    /// Copies the pixels of the tile at columns `left..right` out of the
    /// band's rows, to draw into.
    pub(super) fn open_tile(&mut self, left: usize, right: usize) {
        self.left = left;
        self.right = right;
        let span = right - left;
        for (row, tile_row) in self
            .rows
            .chunks_exact(self.width)
            .zip(self.tile.chunks_exact_mut(STRIDE))
        {
            tile_row[..span].copy_from_slice(&row[left..right]);
        }
    }

    /// Copies the drawn tile back into the band's rows.
    pub(super) fn close_tile(&mut self) {
        let (left, right) = (self.left, self.right);
        for (row, tile_row) in self
            .rows
            .chunks_exact_mut(self.width)
            .zip(self.tile.chunks_exact(STRIDE))
        {
            row[left..right].copy_from_slice(&tile_row[..right - left]);
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
    pub(super) fn node(&mut self, node: &NodeShape) {
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
            let row = (y - self.top) * STRIDE;
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
                blend(&mut self.tile[row + x - self.left], color);
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
