//! Box and lasso selection: the gesture as it is drawn (Shift-drag on the
//! background for a box, Ctrl/⌘+Shift-drag for a lasso), and which entities
//! it takes. An entity is inside when its centre is, as in most drawing
//! tools: a node half in the box is a node the analyst did not aim at.
//!
//! The shape is tested in world units against the layout's positions, the
//! same positions the canvas draws, on all cores. A lasso is tested through
//! horizontal bands of its edges, so that each point meets only the few
//! edges at its height; where many edges cross a band (a star, a zigzag),
//! they are kept sorted and a point finds how many lie to its right by a
//! binary search (see the `select` benches).

use egui::{Color32, Pos2, Rect, Shape, Stroke};
use rayon::prelude::*;

use super::gpu::Camera;
use crate::model::NodeIx;

/// Pointer moves shorter than this (points) add no lasso vertex.
const LASSO_STEP_PT: f32 = 3.0;
/// A lasso keeps at most this many vertices (every other one is dropped
/// when it grows past it), so that testing it stays cheap.
const MAX_LASSO_VERTICES: usize = 1024;
/// A lasso's edges are sorted into one horizontal band per vertex (within
/// these bounds): a hand-drawn loop then has two or three edges per band.
const MIN_LASSO_BANDS: usize = 16;
const MAX_LASSO_BANDS: usize = 2048;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarqueeKind {
    /// The rectangle between where the drag started and the pointer.
    Box,
    /// The free shape the pointer traces, closed back to its start.
    Lasso,
}

/// A box or lasso being drawn, in screen points.
#[derive(Clone, Debug, PartialEq)]
pub struct Marquee {
    pub kind: MarqueeKind,
    /// Box: the start and the pointer; lasso: every vertex so far.
    screen: Vec<Pos2>,
}

impl Marquee {
    pub fn start(kind: MarqueeKind, at: Pos2) -> Self {
        Self {
            kind,
            screen: vec![at, at],
        }
    }

    /// Follows the pointer.
    pub fn extend(&mut self, pointer: Pos2) {
        match self.kind {
            MarqueeKind::Box => {
                if let Some(corner) = self.screen.last_mut() {
                    *corner = pointer;
                }
            }
            MarqueeKind::Lasso => {
                let far_enough = self
                    .screen
                    .last()
                    .is_none_or(|last| last.distance(pointer) >= LASSO_STEP_PT);
                if far_enough {
                    self.screen.push(pointer);
                }
                if self.screen.len() > MAX_LASSO_VERTICES {
                    let mut index = 0;
                    self.screen.retain(|_| {
                        index += 1;
                        index % 2 == 1
                    });
                }
            }
        }
    }

    /// The outline over the canvas, in the selection colour.
    pub fn paint(&self, painter: &egui::Painter, color: Color32) {
        let stroke = Stroke::new(1.5, color);
        let fill = color.gamma_multiply(0.12);
        match self.kind {
            MarqueeKind::Box => {
                if let [start, corner] = self.screen[..] {
                    painter.rect(
                        Rect::from_two_pos(start, corner),
                        0.0,
                        fill,
                        stroke,
                        egui::StrokeKind::Middle,
                    );
                }
            }
            MarqueeKind::Lasso => {
                // A concave fill would need tessellation; the closed line
                // says enough.
                painter.add(Shape::closed_line(self.screen.clone(), stroke));
            }
        }
    }

    /// The shape in world units, under the camera it was drawn with.
    pub fn region(&self, camera: Camera, viewport: Rect) -> Region {
        let world = |p: Pos2| camera.world_from_screen(viewport, p);
        match self.kind {
            MarqueeKind::Box => {
                let (a, b) = (world(self.screen[0]), world(self.screen[1]));
                Region::Rect {
                    min: [a[0].min(b[0]), a[1].min(b[1])],
                    max: [a[0].max(b[0]), a[1].max(b[1])],
                }
            }
            MarqueeKind::Lasso => Region::Polygon(self.screen.iter().map(|&p| world(p)).collect()),
        }
    }
}

/// A selection shape in world units.
#[derive(Clone, Debug, PartialEq)]
pub enum Region {
    Rect {
        min: [f32; 2],
        max: [f32; 2],
    },
    /// Closed back to its first vertex.
    Polygon(Vec<[f32; 2]>),
}

impl Region {
    /// The nodes whose centres lie inside, in index order.
    pub fn nodes_inside(&self, points: &[[f32; 2]]) -> Vec<NodeIx> {
        match self {
            // Rayon keeps the order when collecting into a Vec.
            Self::Rect { min, max } => points
                .par_iter()
                .enumerate()
                .filter(|(_, p)| in_rect(**p, *min, *max))
                .map(|(node, _)| node as NodeIx)
                .collect(),
            Self::Polygon(vertices) => {
                let Some(bands) = Bands::of(vertices) else {
                    return Vec::new();
                };
                points
                    .par_iter()
                    .enumerate()
                    .filter(|(_, p)| bands.contains(**p))
                    .map(|(node, _)| node as NodeIx)
                    .collect()
            }
        }
    }
}

fn in_rect(p: [f32; 2], min: [f32; 2], max: [f32; 2]) -> bool {
    (min[0]..=max[0]).contains(&p[0]) && (min[1]..=max[1]).contains(&p[1])
}

/// Bands with at least this many edges crossing them from top to bottom
/// keep those sorted, for a binary search.
const SORTED_BAND_MIN: usize = 8;

/// A polygon's edges sorted into horizontal bands: a point crosses only
/// the edges of its band (even-odd rule).
struct Bands {
    min: [f32; 2],
    max: [f32; 2],
    band_height: f32,
    /// `starts[b]..starts[b + 1]` indexes `edges` for band `b`: tested one
    /// by one.
    starts: Vec<usize>,
    edges: Vec<Crossing>,
    /// `sorted_starts[b]..sorted_starts[b + 1]` indexes `sorted` for band
    /// `b`: edges that cross the whole band (and a margin beyond it), left
    /// to right at every height in it, apart by more than rounding can
    /// blur. Whether a ray from a point meets one is then monotone along
    /// them, and their count to its right is found by a binary search.
    sorted_starts: Vec<usize>,
    sorted: Vec<Crossing>,
}

/// One polygon edge, as a horizontal ray meets it: it is crossed at height
/// `y` when `y_low <= y < y_high`, at `x_low + (y - y_low) * dx_dy`
/// (horizontal edges are never crossed, and left out).
#[derive(Clone, Copy)]
struct Crossing {
    y_low: f32,
    y_high: f32,
    x_low: f32,
    dx_dy: f32,
}

impl Bands {
    fn of(vertices: &[[f32; 2]]) -> Option<Self> {
        if vertices.len() < 3 || vertices.iter().flatten().any(|c| !c.is_finite()) {
            return None;
        }
        let mut min = [f32::INFINITY; 2];
        let mut max = [f32::NEG_INFINITY; 2];
        for v in vertices {
            for axis in 0..2 {
                min[axis] = min[axis].min(v[axis]);
                max[axis] = max[axis].max(v[axis]);
            }
        }
        let bands = vertices.len().clamp(MIN_LASSO_BANDS, MAX_LASSO_BANDS);
        let band_height = ((max[1] - min[1]) / bands as f32).max(f32::MIN_POSITIVE);
        let band_of = |y: f32| (((y - min[1]) / band_height) as usize).min(bands - 1);
        let mut buckets: Vec<Vec<Crossing>> = vec![Vec::new(); bands];
        for (index, &a) in vertices.iter().enumerate() {
            let b = vertices[(index + 1) % vertices.len()];
            let (low, high) = if a[1] < b[1] { (a, b) } else { (b, a) };
            if low[1] >= high[1] {
                continue; // horizontal
            }
            let crossing = Crossing {
                y_low: low[1],
                y_high: high[1],
                x_low: low[0],
                dx_dy: (high[0] - low[0]) / (high[1] - low[1]),
            };
            for bucket in &mut buckets[band_of(low[1])..=band_of(high[1])] {
                bucket.push(crossing);
            }
        }
        // Each band apart: the edges crossing it whole, sorted, when they
        // are many and do not come close inside it.
        let split: Vec<(Vec<Crossing>, Vec<Crossing>)> = buckets
            .into_par_iter()
            .enumerate()
            .map(|(band, bucket)| {
                // Points are put in a band by a rounded division; a margin
                // of a hundredth of a band covers that many times over.
                let margin = band_height * 0.01;
                let bottom = min[1] + band as f32 * band_height - margin;
                let top = min[1] + (band + 1) as f32 * band_height + margin;
                let (mut whole, mut partial): (Vec<Crossing>, Vec<Crossing>) = bucket
                    .into_iter()
                    .partition(|edge| edge.y_low < bottom && edge.y_high > top);
                if whole.len() < SORTED_BAND_MIN {
                    partial.append(&mut whole);
                } else {
                    partial.extend(keep_apart(&mut whole, bottom, top));
                }
                (partial, whole)
            })
            .collect();
        let mut starts = Vec::with_capacity(bands + 1);
        let mut edges = Vec::new();
        let mut sorted_starts = Vec::with_capacity(bands + 1);
        let mut sorted = Vec::new();
        for (partial, whole) in split {
            starts.push(edges.len());
            edges.extend(partial);
            sorted_starts.push(sorted.len());
            sorted.extend(whole);
        }
        starts.push(edges.len());
        sorted_starts.push(sorted.len());
        Some(Self {
            min,
            max,
            band_height,
            starts,
            edges,
            sorted_starts,
            sorted,
        })
    }

    /// Even-odd rule: a ray from `p` towards +x crosses the outline an odd
    /// number of times when `p` is inside.
    fn contains(&self, p: [f32; 2]) -> bool {
        if !in_rect(p, self.min, self.max) {
            return false;
        }
        let band = (((p[1] - self.min[1]) / self.band_height) as usize).min(self.starts.len() - 2);
        let mut inside = false;
        for edge in &self.edges[self.starts[band]..self.starts[band + 1]] {
            if edge.y_low <= p[1] && p[1] < edge.y_high && p[0] < edge.x_at(p[1]) {
                inside = !inside;
            }
        }
        let sorted = &self.sorted[self.sorted_starts[band]..self.sorted_starts[band + 1]];
        // Each spans the point's height; those right of it are crossed.
        let left = sorted.partition_point(|edge| p[0] >= edge.x_at(p[1]));
        inside ^= (sorted.len() - left) % 2 == 1;
        inside
    }
}

impl Crossing {
    /// Where the edge is at height `y`.
    fn x_at(self, y: f32) -> f32 {
        self.x_low + (y - self.y_low) * self.dx_dy
    }
}

/// Sorts `edges` (each crossing the whole band `bottom..top`) left to
/// right and keeps those whose neighbours are apart at both heights by
/// more than rounding in [`Crossing::x_at`] can move them (a straight edge
/// lies between its ends, so they are apart all through the band); the
/// others (edges that meet or come that close, such as the two sides of a
/// spike near its tip) are returned, to be tested one by one.
fn keep_apart(edges: &mut Vec<Crossing>, bottom: f32, top: f32) -> Vec<Crossing> {
    let middle = f32::midpoint(bottom, top);
    edges.sort_unstable_by(|a, b| a.x_at(middle).total_cmp(&b.x_at(middle)));
    let y_size = bottom.abs().max(top.abs());
    // A few units in the last place of each term of `x_at`, many times over.
    let slack = |edge: &Crossing| {
        f32::EPSILON
            * 16.0
            * (edge.x_low.abs()
                + (y_size + edge.y_low.abs()) * edge.dx_dy.abs()
                + edge.x_at(middle).abs())
    };
    let mut kept: Vec<Crossing> = Vec::with_capacity(edges.len());
    let mut close = Vec::new();
    for &edge in edges.iter() {
        let apart = kept.last().is_none_or(|left| {
            let gap = slack(left) + slack(&edge);
            edge.x_at(bottom) - left.x_at(bottom) > gap && edge.x_at(top) - left.x_at(top) > gap
        });
        if apart {
            kept.push(edge);
        } else {
            close.push(edge);
        }
    }
    *edges = kept;
    close
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain even-odd test over every edge, for comparison.
    fn brute_contains(polygon: &[[f32; 2]], p: [f32; 2]) -> bool {
        let mut inside = false;
        for (index, &a) in polygon.iter().enumerate() {
            let b = polygon[(index + 1) % polygon.len()];
            if (a[1] > p[1]) != (b[1] > p[1])
                && p[0] < a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0])
            {
                inside = !inside;
            }
        }
        inside
    }

    fn distance_to_segment(p: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f32 {
        let (ab, ap) = ([b[0] - a[0], b[1] - a[1]], [p[0] - a[0], p[1] - a[1]]);
        let length_sq = (ab[0] * ab[0] + ab[1] * ab[1]).max(1e-12);
        let t = ((ap[0] * ab[0] + ap[1] * ab[1]) / length_sq).clamp(0.0, 1.0);
        (ap[0] - ab[0] * t).hypot(ap[1] - ab[1] * t)
    }

    #[test]
    fn a_box_takes_the_centres_inside_it() {
        let points = [[0.0, 0.0], [5.0, 5.0], [10.0, 1.0], [-1.0, 2.0], [3.0, 9.9]];
        let region = Region::Rect {
            min: [0.0, 0.0],
            max: [6.0, 10.0],
        };
        assert_eq!(region.nodes_inside(&points), [0, 1, 4]);
    }

    #[test]
    fn a_concave_lasso_leaves_out_its_notch() {
        // A U shape: the notch between its arms is outside.
        let u = Region::Polygon(vec![
            [0.0, 0.0],
            [9.0, 0.0],
            [9.0, 9.0],
            [6.0, 9.0],
            [6.0, 3.0],
            [3.0, 3.0],
            [3.0, 9.0],
            [0.0, 9.0],
        ]);
        let points = [[1.0, 8.0], [4.5, 6.0], [7.5, 8.0], [4.5, 1.0], [10.0, 1.0]];
        assert_eq!(u.nodes_inside(&points), [0, 2, 3]);
    }

    #[test]
    fn banded_lasso_agrees_with_the_plain_even_odd_test() {
        // A star with 40 spikes, tested on a grid of points.
        let polygon: Vec<[f32; 2]> = (0..80)
            .map(|i| {
                let angle = i as f32 / 80.0 * std::f32::consts::TAU;
                let radius = if i % 2 == 0 { 10.0 } else { 4.0 };
                [radius * angle.cos(), radius * angle.sin()]
            })
            .collect();
        let points: Vec<[f32; 2]> = (0..10_000)
            .map(|i| {
                [
                    (i % 100) as f32 * 0.23 - 11.3,
                    (i / 100) as f32 * 0.23 - 11.1,
                ]
            })
            .collect();
        // Points within rounding of the outline may fall either way: the
        // two tests compute the crossing differently.
        let points: Vec<[f32; 2]> = points
            .into_iter()
            .filter(|&p| {
                (0..polygon.len()).all(|i| {
                    distance_to_segment(p, polygon[i], polygon[(i + 1) % polygon.len()]) > 1e-3
                })
            })
            .collect();
        assert!(points.len() > 9_900);
        let expected: Vec<NodeIx> = points
            .iter()
            .enumerate()
            .filter(|(_, p)| brute_contains(&polygon, **p))
            .map(|(node, _)| node as NodeIx)
            .collect();
        assert!(expected.len() > 1000);
        assert_eq!(Region::Polygon(polygon).nodes_inside(&points), expected);
    }

    /// Many edges across a band are binary-searched: a star of 512 spikes
    /// (the bench's worst case) and a zigzag that crosses itself (its
    /// bands fall back to testing edge by edge) must agree with the plain
    /// test.
    #[test]
    fn sorted_bands_agree_with_the_plain_even_odd_test() {
        let star: Vec<[f32; 2]> = (0..1024)
            .map(|i| {
                let angle = i as f32 / 1024.0 * std::f32::consts::TAU;
                let radius = if i % 2 == 0 { 1000.0 } else { 400.0 };
                [radius * angle.cos() + 5000.0, radius * angle.sin() - 300.0]
            })
            .collect();
        // Back and forth across a strip, then home: every leg crosses the
        // next ones.
        let mut zigzag: Vec<[f32; 2]> = (0..200)
            .map(|i| [if i % 2 == 0 { 0.0 } else { 100.0 }, (i * 37 % 200) as f32])
            .collect();
        zigzag.push([50.0, -10.0]);
        let mut state = 12_345_u64;
        let mut random = move |low: f32, high: f32| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            low + (high - low) * ((state >> 40) as f32 / (1_u64 << 24) as f32)
        };
        for (polygon, min, max) in [
            (star, [3900.0, -1400.0], [6100.0, 800.0]),
            (zigzag, [-10.0, -20.0], [110.0, 210.0]),
        ] {
            let bands = Bands::of(&polygon).expect("a polygon");
            let points: Vec<[f32; 2]> = (0..40_000)
                .map(|_| [random(min[0], max[0]), random(min[1], max[1])])
                .filter(|&p| {
                    (0..polygon.len()).all(|i| {
                        distance_to_segment(p, polygon[i], polygon[(i + 1) % polygon.len()]) > 1e-2
                    })
                })
                .collect();
            let expected: Vec<NodeIx> = points
                .iter()
                .enumerate()
                .filter(|(_, p)| brute_contains(&polygon, **p))
                .map(|(node, _)| node as NodeIx)
                .collect();
            assert!(expected.len() > 1000 && expected.len() < points.len() - 1000);
            assert_eq!(Region::Polygon(polygon).nodes_inside(&points), expected);
            // The star's middle bands are searched, not walked.
            assert!(!bands.sorted.is_empty() || min[0] < 0.0);
        }
    }

    #[test]
    fn degenerate_lassos_take_nothing() {
        let points = [[0.0, 0.0], [1.0, 1.0]];
        assert!(Region::Polygon(vec![]).nodes_inside(&points).is_empty());
        assert!(
            Region::Polygon(vec![[0.0, 0.0], [2.0, 2.0]])
                .nodes_inside(&points)
                .is_empty()
        );
        assert!(
            Region::Polygon(vec![[0.0, 0.0], [f32::NAN, 2.0], [2.0, 0.0]])
                .nodes_inside(&points)
                .is_empty()
        );
    }

    #[test]
    fn a_long_lasso_is_thinned_not_grown_without_bound() {
        let mut lasso = Marquee::start(MarqueeKind::Lasso, Pos2::ZERO);
        for i in 0..10_000 {
            let angle = i as f32 / 10_000.0 * std::f32::consts::TAU;
            lasso.extend(Pos2::new(400.0 * angle.cos(), 400.0 * angle.sin()));
        }
        assert!(lasso.screen.len() <= MAX_LASSO_VERTICES);
        assert!(lasso.screen.len() > MAX_LASSO_VERTICES / 4);
    }
}
