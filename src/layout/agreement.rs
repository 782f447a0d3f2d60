//! kNN community agreement: the mean share of each node's `k` nearest neighbours on screen that
//! belong to its own community. It measures whether a picture shows a graph's communities
//! (random placement scores about 1/communities, perfectly separated clusters 1). Exact nearest
//! neighbours through a uniform grid, so it runs on a million nodes in seconds.

use rayon::prelude::*;

/// A node whose community is unknown: it is not scored, and it never counts as a neighbour of
/// the same community.
pub const UNKNOWN_COMMUNITY: u32 = u32::MAX;

/// The agreement of `positions` with `communities` (one per node, [`UNKNOWN_COMMUNITY`] to skip
/// a node), over each scored node's `k` nearest other nodes (Euclidean; ties broken by the lower
/// node index). `None` when no node can be scored (no known community, or fewer than `k + 1`
/// nodes). Deterministic: the counts are integers.
pub fn knn_agreement(positions: &[[f32; 2]], communities: &[u32], k: usize) -> Option<f64> {
    let n = positions.len().min(communities.len());
    if k == 0 || n <= k {
        return None;
    }
    let grid = Grid::new(&positions[..n]);
    let (same, scored) = (0..n)
        .into_par_iter()
        .filter(|&i| communities[i] != UNKNOWN_COMMUNITY)
        .map(|i| {
            let mut best = Vec::with_capacity(k + 1);
            grid.nearest(positions, i, k, &mut best);
            let own = communities[i];
            let same = best.iter().filter(|&&(_, j)| communities[j] == own).count();
            (same as u64, 1u64)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    (scored > 0).then(|| same as f64 / (scored as f64 * k as f64))
}

/// Points bucketed by cell (counting sort), about two per cell on average.
struct Grid {
    origin: [f32; 2],
    cell: f32,
    side: usize,
    /// Points of cell `c` are `members[starts[c]..starts[c + 1]]`.
    starts: Vec<u32>,
    members: Vec<u32>,
}

impl Grid {
    fn new(positions: &[[f32; 2]]) -> Self {
        let n = positions.len();
        let mut b = [
            f32::INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        ];
        for p in positions
            .iter()
            .filter(|p| p[0].is_finite() && p[1].is_finite())
        {
            b = [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ];
        }
        if b[0] > b[2] {
            b = [0.0, 0.0, 1.0, 1.0];
        }
        let extent = (b[2] - b[0]).max(b[3] - b[1]).max(f32::MIN_POSITIVE);
        let side = ((n as f64 / 2.0).sqrt().ceil() as usize).clamp(1, 4096);
        let cell = extent / side as f32;
        let mut grid = Self {
            origin: [b[0], b[1]],
            cell,
            side,
            starts: vec![0; side * side + 1],
            members: vec![0; n],
        };
        let cells: Vec<usize> = positions.iter().map(|p| grid.cell_of(*p)).collect();
        for &c in &cells {
            grid.starts[c + 1] += 1;
        }
        for c in 0..side * side {
            grid.starts[c + 1] += grid.starts[c];
        }
        let mut fill = grid.starts.clone();
        for (i, &c) in cells.iter().enumerate() {
            grid.members[fill[c] as usize] = i as u32;
            fill[c] += 1;
        }
        grid
    }

    fn coord(&self, v: f32, axis: usize) -> usize {
        let t = ((v - self.origin[axis]) / self.cell).floor();
        // NaN and out-of-range values land in the edge cells.
        if t.is_nan() || t < 0.0 {
            0
        } else {
            (t as usize).min(self.side - 1)
        }
    }

    fn cell_of(&self, p: [f32; 2]) -> usize {
        self.coord(p[1], 1) * self.side + self.coord(p[0], 0)
    }

    /// The `k` nearest other points of `i` into `best` as `(squared distance, index)`, nearest
    /// first. Searches rings of cells outward until the ring is farther than the `k`-th point.
    #[allow(clippy::many_single_char_names)] // point, cell and rank names
    fn nearest(&self, positions: &[[f32; 2]], i: usize, k: usize, best: &mut Vec<(f32, usize)>) {
        best.clear();
        let q = positions[i];
        let (cx, cy) = (self.coord(q[0], 0) as isize, self.coord(q[1], 1) as isize);
        let side = self.side as isize;
        for r in 0..side {
            for y in (cy - r)..=(cy + r) {
                for x in (cx - r)..=(cx + r) {
                    let on_ring = (y - cy).abs() == r || (x - cx).abs() == r;
                    if !on_ring || x < 0 || y < 0 || x >= side || y >= side {
                        continue;
                    }
                    let c = (y * side + x) as usize;
                    for &j in &self.members[self.starts[c] as usize..self.starts[c + 1] as usize] {
                        let j = j as usize;
                        if j == i {
                            continue;
                        }
                        let p = positions[j];
                        let d = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
                        let d = if d.is_nan() { f32::INFINITY } else { d };
                        insert(best, k, (d, j));
                    }
                }
            }
            // Every point outside rings 0..=r is at least r cells away from the query.
            let reach = r as f32 * self.cell;
            if best.len() == k && best[k - 1].0 <= reach * reach {
                break;
            }
        }
    }
}

/// Keeps the `k` smallest entries of `best`, sorted by distance and then index.
fn insert(best: &mut Vec<(f32, usize)>, k: usize, entry: (f32, usize)) {
    let less = |a: &(f32, usize), b: &(f32, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).is_lt();
    if best.len() == k && !less(&entry, &best[k - 1]) {
        return;
    }
    let at = best.partition_point(|e| less(e, &entry));
    best.insert(at, entry);
    best.truncate(k);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::rng::SplitMix64;

    /// The definition, by brute force: every pair's distance, sorted.
    fn brute_force(positions: &[[f32; 2]], communities: &[u32], k: usize) -> f64 {
        let (mut total, mut scored) = (0.0, 0);
        for (i, p) in positions.iter().enumerate() {
            if communities[i] == UNKNOWN_COMMUNITY {
                continue;
            }
            scored += 1;
            let mut others: Vec<(f32, usize)> = (0..positions.len())
                .filter(|&j| j != i)
                .map(|j| {
                    let q = positions[j];
                    ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2), j)
                })
                .collect();
            others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let same = others[..k]
                .iter()
                .filter(|&&(_, j)| communities[j] == communities[i])
                .count();
            total += same as f64 / k as f64;
        }
        total / f64::from(scored)
    }

    #[test]
    fn grid_search_matches_brute_force_on_clustered_points() {
        let mut rng = SplitMix64::new(3);
        // Five tight clusters of different sizes plus uniform noise, so cells are uneven.
        let mut positions = Vec::new();
        let mut communities = Vec::new();
        for i in 0..700u32 {
            let c = i % 5;
            let spread = if i % 7 == 0 {
                400.0
            } else {
                3.0 + f64::from(c) * 5.0
            };
            let centre = [f64::from(c) * 40.0, f64::from(c % 2) * 60.0];
            positions.push([
                (centre[0] + (rng.next_f64() - 0.5) * spread) as f32,
                (centre[1] + (rng.next_f64() - 0.5) * spread) as f32,
            ]);
            communities.push(c);
        }
        let got = knn_agreement(&positions, &communities, 10).expect("scored");
        let want = brute_force(&positions, &communities, 10);
        assert!(
            (got - want).abs() < 1e-12,
            "grid {got} vs brute force {want}"
        );
        assert!(got > 0.5 && got < 1.0, "{got}");
    }

    #[test]
    fn separated_clusters_score_one_and_unknown_nodes_are_skipped() {
        // Two groups of 12 far apart: every node's 10 nearest are its own group.
        let mut positions: Vec<[f32; 2]> = (0..24)
            .map(|i| [(i % 12) as f32 + if i < 12 { 0.0 } else { 1e4 }, 0.0])
            .collect();
        let mut communities: Vec<u32> = (0..24).map(|i| u32::from(i >= 12)).collect();
        assert_eq!(knn_agreement(&positions, &communities, 10), Some(1.0));
        // Unknown communities are not scored and never agree.
        communities[0] = UNKNOWN_COMMUNITY;
        let got = knn_agreement(&positions, &communities, 10).expect("scored");
        let want = brute_force(&positions, &communities, 10);
        assert!((got - want).abs() < 1e-12 && got < 1.0, "{got} vs {want}");
        positions.truncate(10);
        assert_eq!(knn_agreement(&positions, &communities, 10), None);
    }
}
