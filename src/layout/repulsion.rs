//! The repulsion pass: Barnes–Hut by groups. Points are taken in sorted (Morton) order in fixed
//! groups of [`GROUP`] neighbours; one tree walk per group collects an interaction list (far
//! cells and near points), and every point of the group then sums over that list in a tight,
//! vectorisable loop. This replaces one branchy walk per point by one per group.

use std::cell::RefCell;

use rayon::prelude::*;

use super::order::CHUNK;
use super::quadtree::QuadTree;

/// Points per group: large enough to amortise the walk, small enough that the group's box stays
/// tight and the list short.
const GROUP: usize = 16;
/// Lanes of the summation loop; independent per-lane accumulators let the compiler use SIMD
/// without reassociating (so results stay reproducible).
const LANES: usize = 8;

/// Squared distances are clamped to at least this (distances below 1e-12 are not resolved), so
/// a pseudo-point's mass (below 1e14) over it stays finite.
const MIN_D2: f32 = 1e-24;

/// Pseudo-points (position and mass) a group interacts with, as structure of arrays.
#[derive(Default)]
pub(crate) struct Interactions {
    x: Vec<f32>,
    y: Vec<f32>,
    m: Vec<f32>,
}

impl Interactions {
    #[inline]
    pub(crate) fn push(&mut self, x: f32, y: f32, m: f32) {
        self.x.push(x);
        self.y.push(y);
        self.m.push(m);
    }

    #[inline]
    pub(crate) fn extend(&mut self, x: &[f32], y: &[f32], m: &[f32]) {
        self.x.extend_from_slice(x);
        self.y.extend_from_slice(y);
        self.m.extend_from_slice(m);
    }

    fn clear(&mut self) {
        self.x.clear();
        self.y.clear();
        self.m.clear();
    }

    /// `Σ m (q - p) / |q - p|²` over the list for the query point `q = (x, y)`. Entries at `q`
    /// itself (the point, or coincident points) contribute nothing, as in Gephi: their squared
    /// distance is clamped to [`MIN_D2`], which keeps the factor finite, and it multiplies a zero
    /// offset. Branch-free so the loop vectorises.
    /// Adds `Σ m (q - p) / |q - p|²` over the list to `(ax, ay)` for [`LANES`] query points
    /// `q = (qx[l], qy[l])` at once: the list entry is broadcast and each lane accumulates
    /// independently, so the loop vectorises without reassociating any sum. Entries at `q`
    /// itself (the point, or coincident points) contribute nothing, as in Gephi: [`MIN_D2`]
    /// keeps the factor finite and it multiplies a zero offset.
    #[inline(never)] // one tight loop; keeping it out of line keeps its registers clean
    fn sum(
        &self,
        qx: &[f32; LANES],
        qy: &[f32; LANES],
        ax: &mut [f32; LANES],
        ay: &mut [f32; LANES],
    ) {
        for ((&px, &py), &pm) in self.x.iter().zip(&self.y).zip(&self.m) {
            let mut dx = [0.0f32; LANES];
            let mut dy = [0.0f32; LANES];
            let mut f = [0.0f32; LANES];
            for l in 0..LANES {
                dx[l] = qx[l] - px;
            }
            for l in 0..LANES {
                dy[l] = qy[l] - py;
            }
            for l in 0..LANES {
                f[l] = pm / (dx[l] * dx[l] + dy[l] * dy[l] + MIN_D2);
            }
            for l in 0..LANES {
                ax[l] += dx[l] * f[l];
            }
            for l in 0..LANES {
                ay[l] += dy[l] * f[l];
            }
        }
    }
}

thread_local! {
    /// One list per worker thread, kept across iterations so the pass does not allocate once
    /// the lists have grown to their working size.
    static LIST: RefCell<Interactions> = RefCell::new(Interactions::default());
}

/// Writes into `rx[k]`, `ry[k]` the raw repulsion sum `Σ m_p (q_k - p) / |q_k - p|²` of the
/// `k`-th point in sorted order (before the `k_r · mass` factor).
pub(crate) fn repulsion_pass(tree: &QuadTree, rx: &mut [f32], ry: &mut [f32]) {
    let (px, py) = (&tree.px, &tree.py);
    rx.par_chunks_mut(CHUNK)
        .zip(ry.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each(|(c, (rxs, rys))| {
            LIST.with_borrow_mut(|list| {
                for g in (0..rxs.len()).step_by(GROUP) {
                    let (s, e) = (c * CHUNK + g, c * CHUNK + (g + GROUP).min(rxs.len()));
                    let mut bbox = [
                        f32::INFINITY,
                        f32::INFINITY,
                        f32::NEG_INFINITY,
                        f32::NEG_INFINITY,
                    ];
                    for (&x, &y) in px[s..e].iter().zip(&py[s..e]) {
                        bbox = [
                            bbox[0].min(x),
                            bbox[1].min(y),
                            bbox[2].max(x),
                            bbox[3].max(y),
                        ];
                    }
                    list.clear();
                    tree.gather(bbox, list);
                    // Query points in batches of LANES; a short last batch is padded with copies of
                    // its first point, whose results are dropped.
                    for b in (s..e).step_by(LANES) {
                        let len = LANES.min(e - b);
                        let mut qx = [px[b]; LANES];
                        let mut qy = [py[b]; LANES];
                        qx[..len].copy_from_slice(&px[b..b + len]);
                        qy[..len].copy_from_slice(&py[b..b + len]);
                        let (mut ax, mut ay) = ([0.0f32; LANES], [0.0f32; LANES]);
                        list.sum(&qx, &qy, &mut ax, &mut ay);
                        let o = b - c * CHUNK;
                        rxs[o..o + len].copy_from_slice(&ax[..len]);
                        rys[o..o + len].copy_from_slice(&ay[..len]);
                    }
                }
            });
        });
}
