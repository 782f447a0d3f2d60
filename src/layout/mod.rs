//! Force-directed layout engine: `ForceAtlas2` (Jacomy et al. 2014, Gephi's formulas) with a
//! parallel Barnes–Hut quadtree, fast and deterministic, independent of any UI.
//!
//! Design, per iteration (all passes parallel on the current rayon pool):
//! 1. Morton keys of all nodes, sorted ([`order`]); the tree is built from the sorted keys
//!    ([`quadtree`]).
//! 2. One fused pass computes each node's repulsion (tree walk), attraction (its adjacency row,
//!    [`adjacency`]) and gravity, plus its swinging ([`forces`]).
//! 3. The global speed is adapted and nodes move ([`speed`]).
//!
//! Node state is kept as flat arrays (structure of arrays) in *internal* order, which follows the
//! space-filling curve so neighbours in the plane are neighbours in memory; nodes are re-sorted
//! every [`RESORT_INTERVAL`] iterations as they move, and a permutation maps the caller's node
//! ids. A re-sort allocates nothing; the adjacency rows, the one array too large to keep twice,
//! are re-packed into curve order only on a thinning schedule ([`repacks_rows_at`]) and are
//! otherwise found through a per-node row number. Results are bit-identical for the same input and settings whatever the thread count:
//! every node's force is computed by one task in a fixed order, and global sums are taken over
//! fixed chunks and added sequentially.

mod adjacency;
pub mod agreement;
pub mod bench;
mod forces;
mod multilevel;
mod order;
mod packing;
mod parts;
mod quadtree;
mod quality;
mod repulsion;
mod rng;
mod settings;
mod speed;
mod start;
#[cfg(test)]
mod tests;

use rayon::prelude::*;

pub use bench::{BenchError, BenchLayoutArgs, BenchReport, run_layout_bench};
pub use forces::exact_forces;
pub use parts::Layout;
pub use quality::{edge_length_ratio, quality};
pub use settings::{LayoutAlgorithm, LayoutSettings};
pub use start::{Cancelled, StartProgress, StartState, StartStep};

use adjacency::Adjacency;
use forces::{ForceOut, ForceParams, Nodes};
use order::{CHUNK, KeySpace};
use quadtree::QuadTree;
use speed::{Moving, Speed};

/// Nodes are re-sorted along the curve this often (iterations): often enough that memory order
/// tracks the moving layout, rarely enough that rebuilding the adjacency rows is noise.
pub const RESORT_INTERVAL: u64 = 10;

/// Whether the re-sort at `iteration` also re-packs the adjacency rows into curve order: at
/// iterations 10, 20, 40, 80, … (doubling gaps), so a layout of 3,000 iterations allocates at
/// 9 of them. Early on nodes travel far and row order matters (rows read out of order cost up
/// to 1.5× per iteration at 1M nodes); later the order drifts little.
pub fn repacks_rows_at(iteration: u64) -> bool {
    iteration.is_multiple_of(RESORT_INTERVAL) && (iteration / RESORT_INTERVAL).is_power_of_two()
}

/// What one [`Layout::step`] did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepStats {
    /// Iterations completed so far, this one included.
    pub iteration: u64,
    /// FA2's global speed used for this step.
    pub global_speed: f32,
    /// Mean displacement of the free nodes in this step.
    pub mean_displacement: f32,
    /// Whether the layout has converged (see [`Layout::converged`]).
    pub converged: bool,
}

/// A `ForceAtlas2` force engine over one set of nodes (the whole graph, or one component):
/// [`Layout`] runs one or several.
pub(crate) struct Engine {
    settings: LayoutSettings,
    params: ForceParams,
    // Node state in internal (curve) order. Positions are `[x, y]` pairs because the attraction
    // gather reads them at random; everything else is one flat array per quantity.
    pos: Vec<[f32; 2]>,
    dx: Vec<f32>,
    dy: Vec<f32>,
    swing: Vec<f32>,
    mass: Vec<f32>,
    pinned: Vec<bool>,
    /// Caller id of each internal node, and the inverse.
    ext_of_int: Vec<u32>,
    int_of_ext: Vec<u32>,
    /// Adjacency row of each internal node.
    row_of: Vec<u32>,
    adj: Adjacency,
    keys: Vec<u64>,
    tree: QuadTree,
    /// Raw repulsion per node in sorted order, and each internal node's sorted position.
    rep_x: Vec<f32>,
    rep_y: Vec<f32>,
    sorted_pos: Vec<u32>,
    partials: Vec<[f64; 2]>,
    speed: Speed,
    iteration: u64,
    calm_streak: u32,
    converged: bool,
    /// Positions at the last settle check, in internal order at that time, with the caller id
    /// of each (internal order changes on re-sorts).
    checkpoint: Vec<[f32; 2]>,
    /// The positions of the current check, before they become the checkpoint.
    check_scratch: Vec<[f32; 2]>,
}

impl Engine {
    /// A layout starting from `positions` (one per node; the node count is their number).
    ///
    /// # Panics
    /// If there are `2^31` nodes or more (indices share a word with a flag bit).
    pub fn with_positions(
        positions: &[[f32; 2]],
        edges: &[(u32, u32)],
        settings: LayoutSettings,
    ) -> Self {
        assert!(
            positions.len() < (1usize << 31),
            "a layout holds fewer than 2^31 nodes"
        );
        Self::with_adjacency(positions, Adjacency::new(positions.len(), edges), settings)
    }

    /// As [`Self::with_positions`], edge `k` weighing `weights[k]`: it attracts that many times
    /// as strongly and adds that much to its ends' masses, exactly as that many parallel edges
    /// would (the multilevel start's coarse levels merge parallel edges so).
    ///
    /// # Panics
    /// As [`Self::with_positions`], or if `weights` and `edges` differ in length.
    pub(crate) fn with_weighted_edges(
        positions: &[[f32; 2]],
        edges: &[(u32, u32)],
        weights: &[f32],
        settings: LayoutSettings,
    ) -> Self {
        assert!(
            positions.len() < (1usize << 31),
            "a layout holds fewer than 2^31 nodes"
        );
        let adj = Adjacency::with_weights(positions.len(), edges, weights);
        Self::with_adjacency(positions, adj, settings)
    }

    fn with_adjacency(positions: &[[f32; 2]], adj: Adjacency, settings: LayoutSettings) -> Self {
        let n = positions.len();
        let mass: Vec<f32> = (0..n).map(|i| 1.0 + adj.weighted_degree(i)).collect();
        let mean_mass = if n == 0 {
            1.0
        } else {
            mass.iter().map(|&m| f64::from(m)).sum::<f64>() / n as f64
        };
        let params = ForceParams::new(&settings, mean_mass);
        let ids: Vec<u32> = (0..n as u32).collect();
        let mut layout = Self {
            settings,
            params,
            pos: positions.to_vec(),
            dx: vec![0.0; n],
            dy: vec![0.0; n],
            swing: vec![0.0; n],
            mass,
            pinned: vec![false; n],
            ext_of_int: ids.clone(),
            row_of: ids.clone(),
            int_of_ext: ids,
            adj,
            keys: vec![0; n],
            tree: QuadTree::new(n),
            rep_x: vec![0.0; n],
            rep_y: vec![0.0; n],
            sorted_pos: vec![0; n],
            partials: vec![[0.0; 2]; n.div_ceil(CHUNK)],
            speed: Speed::new(),
            iteration: 0,
            calm_streak: 0,
            converged: false,
            // Sized once, so settle checks allocate nothing.
            checkpoint: Vec::with_capacity(n),
            check_scratch: Vec::with_capacity(n),
        };
        // Put nodes in curve order right away, so the first iterations are already local.
        layout.sort_keys(true);
        layout.repack_rows();
        layout
    }

    /// Runs one `ForceAtlas2` iteration.
    pub fn step(&mut self) -> StepStats {
        let n = self.pos.len();
        if n == 0 {
            self.iteration += 1;
            self.converged = true;
            return StepStats {
                iteration: self.iteration,
                global_speed: 0.0,
                mean_displacement: 0.0,
                converged: true,
            };
        }
        let resort = self.iteration > 0 && self.iteration.is_multiple_of(RESORT_INTERVAL);
        let space = self.sort_keys(resort);
        if resort && repacks_rows_at(self.iteration) {
            self.repack_rows();
        }
        let (swinging, traction) = self.compute_forces(&space);
        let free = self.pinned.iter().filter(|&&p| !p).count();
        let speed = self.speed.update(
            swinging,
            traction,
            n,
            f64::from(self.settings.jitter_tolerance),
        );
        let mut moving = Moving {
            pos: &mut self.pos,
            dx: &self.dx,
            dy: &self.dy,
            swing: &self.swing,
            pinned: &self.pinned,
        };
        let total = speed::apply_moves(
            &mut moving,
            speed,
            self.settings.max_displacement,
            &mut self.partials,
        );
        let mean_displacement = if free == 0 { 0.0 } else { total / free as f64 };
        self.iteration += 1;

        self.check_settled();
        StepStats {
            iteration: self.iteration,
            global_speed: speed as f32,
            mean_displacement: mean_displacement as f32,
            converged: self.converged,
        }
    }

    /// Every [`LayoutSettings::convergence_window`] iterations: how far the picture moved since
    /// the previous check (see [`LayoutSettings::convergence_tolerance`]).
    fn check_settled(&mut self) {
        let window = u64::from(self.settings.convergence_window.max(1));
        if !self.iteration.is_multiple_of(window) {
            return;
        }
        let mut now = std::mem::take(&mut self.check_scratch);
        self.copy_positions_into(&mut now);
        if self.checkpoint.len() == now.len() {
            let b = order::bounding_box(&self.pos);
            let extent = f64::from((b[2] - b[0]).max(b[3] - b[1])).max(f64::MIN_POSITIVE);
            let (mut total, mut free) = (0.0f64, 0usize);
            for (ext, (p, q)) in now.iter().zip(&self.checkpoint).enumerate() {
                if self.pinned[self.int_of_ext[ext] as usize] {
                    continue;
                }
                total += f64::from(((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt());
                free += 1;
            }
            let moved = if free == 0 {
                0.0
            } else {
                total / free as f64 / extent
            };
            if moved < f64::from(self.settings.convergence_tolerance) {
                self.calm_streak = self.calm_streak.saturating_add(1);
            } else {
                self.calm_streak = 0;
            }
            self.converged = self.calm_streak >= 2;
        }
        self.check_scratch = std::mem::replace(&mut self.checkpoint, now);
    }

    /// The bounding box `[min x, min y, max x, max y]` of all nodes.
    pub(crate) fn bounding_box(&self) -> [f32; 4] {
        order::bounding_box(&self.pos)
    }

    /// Mean length of `edges` (in this engine's ids) at the current positions.
    pub(crate) fn mean_edge_length(&self, edges: &[(u32, u32)]) -> f32 {
        let (mut total, mut count) = (0.0f64, 0usize);
        for &(s, t) in edges {
            if (s as usize) < self.pos.len() && (t as usize) < self.pos.len() && s != t {
                let (p, q) = (self.position(s), self.position(t));
                total += f64::from(((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt());
                count += 1;
            }
        }
        if count == 0 {
            0.0
        } else {
            (total / count as f64) as f32
        }
    }

    /// Keys every node on the curve, sorts the keys and copies positions and masses into the
    /// tree's sorted arrays; with `resort`, also renumbers all nodes in that order.
    #[allow(clippy::many_single_char_names)] // coordinates and arrays
    fn sort_keys(&mut self, resort: bool) -> KeySpace {
        let n = self.pos.len();
        let space = KeySpace::new(n, order::bounding_box(&self.pos));
        {
            let pos = &self.pos;
            self.keys
                .par_chunks_mut(CHUNK)
                .enumerate()
                .for_each(|(c, keys)| {
                    for (k, key) in keys.iter_mut().enumerate() {
                        let i = c * CHUNK + k;
                        *key = space.key(pos[i][0], pos[i][1], i as u32);
                    }
                });
        }
        // Keys are unique (they embed the index), so the sorted order is the same whatever
        // the sort's scheduling.
        self.keys.par_sort_unstable();
        let (pos, keys, mass) = (&self.pos, &self.keys, &self.mass);
        let t = &mut self.tree;
        t.px.par_iter_mut()
            .zip(t.py.par_iter_mut())
            .zip(t.pm.par_iter_mut())
            .zip(keys.par_iter())
            .for_each(|(((px, py), pm), &key)| {
                let i = space.index(key);
                (*px, *py, *pm) = (pos[i][0], pos[i][1], mass[i]);
            });
        if resort {
            self.renumber(&space);
        }
        space
    }

    /// Renumbers internal nodes in sorted-key order and rewrites the keys to match. Allocates
    /// nothing: the tree's sorted arrays already hold positions and masses in the new order,
    /// and buffers that the next force pass overwrites serve as scratch.
    fn renumber(&mut self, space: &KeySpace) {
        // `sorted_pos` is rewritten by every force pass; here it holds the old index of each
        // new one.
        let old_of_new = &mut self.sorted_pos;
        old_of_new
            .par_iter_mut()
            .zip(self.keys.par_iter())
            .for_each(|(old, &key)| *old = space.index(key) as u32);
        let t = &self.tree;
        self.pos
            .par_iter_mut()
            .zip(self.mass.par_iter_mut())
            .enumerate()
            .for_each(|(k, (p, m))| (*p, *m) = ([t.px[k], t.py[k]], t.pm[k]));
        for v in [&mut self.dx, &mut self.dy, &mut self.swing] {
            // `rep_x` is recomputed every iteration, so it doubles as the permutation buffer.
            self.rep_x
                .par_iter_mut()
                .zip(old_of_new.par_iter())
                .for_each(|(s, &old)| *s = v[old as usize]);
            std::mem::swap(v, &mut self.rep_x);
        }
        // Row numbers travel through `rep_x` as bit patterns (exact).
        self.rep_x
            .par_iter_mut()
            .zip(old_of_new.par_iter())
            .for_each(|(s, &old)| *s = f32::from_bits(self.row_of[old as usize]));
        self.row_of
            .par_iter_mut()
            .zip(self.rep_x.par_iter())
            .for_each(|(r, &s)| *r = s.to_bits());
        // Likewise `rep_y` carries the pin flags across as 0 or 1.
        self.rep_y
            .par_iter_mut()
            .zip(old_of_new.par_iter())
            .for_each(|(s, &old)| *s = f32::from(u8::from(self.pinned[old as usize])));
        self.pinned
            .par_iter_mut()
            .zip(self.rep_y.par_iter())
            .for_each(|(p, &s)| *p = s != 0.0);
        // Caller id ↔ internal index: the new inverse first (reading the old forward map),
        // then neighbour entries go old → caller → new, then the forward map is rebuilt from
        // the new inverse. Every array is a permutation, so each scatter writes every slot once.
        for (k, &old) in old_of_new.iter().enumerate() {
            self.int_of_ext[self.ext_of_int[old as usize] as usize] = k as u32;
        }
        let (int_of_ext, ext_of_int) = (&self.int_of_ext, &self.ext_of_int);
        self.adj
            .rename_neighbours(|old| int_of_ext[ext_of_int[old as usize] as usize]);
        for (ext, &int) in self.int_of_ext.iter().enumerate() {
            self.ext_of_int[int as usize] = ext as u32;
        }
        self.keys
            .par_iter_mut()
            .enumerate()
            .for_each(|(k, key)| *key = space.with_index(*key, k as u32));
    }

    /// Rewrites the adjacency rows in internal order (see [`repacks_rows_at`]).
    fn repack_rows(&mut self) {
        self.adj = self.adj.repacked(&self.row_of);
        self.row_of
            .par_iter_mut()
            .enumerate()
            .for_each(|(k, r)| *r = k as u32);
    }

    /// Builds the tree and computes every node's force into `dx`/`dy`; returns the totals of
    /// swinging and effective traction.
    fn compute_forces(&mut self, space: &KeySpace) -> (f64, f64) {
        let theta = if self.settings.barnes_hut {
            self.settings.theta
        } else {
            0.0
        };
        self.tree.build(&self.keys, space, theta);
        repulsion::repulsion_pass(&self.tree, &mut self.rep_x, &mut self.rep_y);
        // A sequential scatter: cheap, and parallel scatters need unsafe or atomics.
        for (k, &key) in self.keys.iter().enumerate() {
            self.sorted_pos[space.index(key)] = k as u32;
        }
        let nodes = Nodes {
            rep_x: &self.rep_x,
            rep_y: &self.rep_y,
            sorted_pos: &self.sorted_pos,
            pos: &self.pos,
            mass: &self.mass,
            pinned: &self.pinned,
            row_of: &self.row_of,
        };
        let mut out = ForceOut {
            dx: &mut self.dx,
            dy: &mut self.dy,
            swing: &mut self.swing,
            partials: &mut self.partials,
        };
        forces::force_pass(&self.params, &nodes, &self.adj, &mut out)
    }

    /// Whether the layout has settled (see [`LayoutSettings::convergence_tolerance`]).
    pub fn converged(&self) -> bool {
        self.converged
    }

    pub fn node_count(&self) -> usize {
        self.pos.len()
    }

    /// Writes all positions in the caller's node order into `out`, reusing its allocation.
    pub fn copy_positions_into(&self, out: &mut Vec<[f32; 2]>) {
        out.clear();
        out.resize(self.pos.len(), [0.0; 2]);
        for (i, &ext) in self.ext_of_int.iter().enumerate() {
            out[ext as usize] = self.pos[i];
        }
    }

    /// The position of caller node `node`.
    pub fn position(&self, node: u32) -> [f32; 2] {
        let i = self.int_of_ext[node as usize] as usize;
        self.pos[i]
    }

    /// Moves `node` (pinned or not). A converged layout stays converged, so
    /// moving one node of a settled picture moves nothing else; call
    /// [`Self::wake`] to let the layout answer the move.
    pub fn set_position(&mut self, node: u32, position: [f32; 2]) {
        let i = self.int_of_ext[node as usize] as usize;
        self.pos[i] = position;
    }

    /// Pins or releases `node`. A pinned node never moves but still exerts its forces.
    pub fn set_pinned(&mut self, node: u32, pinned: bool) {
        let i = self.int_of_ext[node as usize] as usize;
        self.pinned[i] = pinned;
    }

    pub fn is_pinned(&self, node: u32) -> bool {
        self.pinned[self.int_of_ext[node as usize] as usize]
    }

    /// Forgets that the layout converged, so stepping goes on until it
    /// settles again.
    pub fn wake(&mut self) {
        self.calm_streak = 0;
        self.converged = false;
        self.checkpoint.clear();
    }

    /// Bytes of memory held by the layout state (all buffers, by capacity).
    pub fn state_bytes(&self) -> usize {
        let f32s = [
            &self.dx,
            &self.dy,
            &self.swing,
            &self.mass,
            &self.rep_x,
            &self.rep_y,
        ];
        f32s.iter()
            .map(|v| v.capacity() * size_of::<f32>())
            .sum::<usize>()
            + self.pos.capacity() * size_of::<[f32; 2]>()
            + self.pinned.capacity()
            + (self.ext_of_int.capacity()
                + self.int_of_ext.capacity()
                + self.row_of.capacity()
                + self.sorted_pos.capacity())
                * size_of::<u32>()
            + self.keys.capacity() * size_of::<u64>()
            + self.partials.capacity() * size_of::<[f64; 2]>()
            + self.adj.bytes()
            + self.tree.bytes()
            + size_of::<Self>()
    }

    /// The current force on every node in the caller's order, computed exactly as an iteration
    /// would (tree and all) but without moving anything.
    pub fn current_forces(&mut self) -> Vec<[f64; 2]> {
        let space = self.sort_keys(false);
        self.compute_forces(&space);
        let mut out = vec![[0.0; 2]; self.pos.len()];
        for (i, &ext) in self.ext_of_int.iter().enumerate() {
            out[ext as usize] = [f64::from(self.dx[i]), f64::from(self.dy[i])];
        }
        out
    }
}

/// `ForceAtlas2` forces at `positions` as computed by the layout (Barnes–Hut unless disabled in
/// `settings`, f32, parallel), in the caller's order: compare with [`exact_forces`].
pub fn barnes_hut_forces(
    positions: &[[f32; 2]],
    edges: &[(u32, u32)],
    settings: &LayoutSettings,
) -> Vec<[f64; 2]> {
    Engine::with_positions(positions, edges, settings.clone()).current_forces()
}
