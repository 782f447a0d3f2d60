//! Layout quality. Neighbourhood preservation: For a seeded sample of nodes with degree `k > 0`,
//! the fraction of the `k` nearest nodes in the plane that are graph neighbours, averaged. It is
//! 1.0 when every node's neighbours are exactly its nearest nodes and about `k / n` for a random
//! placement. Computed from positions and edges only, so any tool's output can be scored the
//! same way.

use rayon::prelude::*;

use super::adjacency::{Adjacency, SOURCE_FLAG};
use super::rng::SplitMix64;

/// Mean neighbourhood preservation over `sample` nodes (all nodes with an edge when `sample` is
/// larger), drawn with `seed`. Brute-force nearest neighbours: O(sample · n), parallel over the
/// sample; each score is independent and they are added in sample order, so the result does not
/// depend on the pool. Returns 0.0 when no node has an edge.
pub fn quality(positions: &[[f32; 2]], edges: &[(u32, u32)], sample: usize, seed: u64) -> f64 {
    let n = positions.len();
    // Compact rows (both directions); only sampled rows are deduplicated, below.
    let adj = Adjacency::new(n, edges);
    let mut candidates: Vec<u32> = (0..n as u32)
        .filter(|&v| adj.degree(v as usize) > 0)
        .collect();
    if candidates.is_empty() {
        return 0.0;
    }
    // Partial Fisher–Yates: the first `take` candidates become a uniform sample.
    let take = sample.clamp(1, candidates.len());
    let mut rng = SplitMix64::new(seed);
    for i in 0..take {
        let j = i + rng.below((candidates.len() - i) as u64) as usize;
        candidates.swap(i, j);
    }
    let scores: Vec<f64> = candidates[..take]
        .par_iter()
        .map_init(
            || (Vec::new(), Vec::new()),
            |(dist, neighbours): &mut (Vec<(f32, u32)>, Vec<u32>), &v| {
                let [vx, vy] = positions[v as usize];
                dist.clear();
                dist.extend(
                    positions
                        .iter()
                        .enumerate()
                        .filter(|&(u, _)| u != v as usize)
                        .map(|(u, p)| {
                            let (dx, dy) = (p[0] - vx, p[1] - vy);
                            (dx * dx + dy * dy, u as u32)
                        }),
                );
                // Distinct neighbours, sorted for binary search.
                neighbours.clear();
                neighbours.extend(adj.row(v as usize).iter().map(|&e| e & !SOURCE_FLAG));
                neighbours.sort_unstable();
                neighbours.dedup();
                let k = neighbours.len().min(dist.len());
                // Ties are broken by index so the selected set is unique.
                let cmp = |a: &(f32, u32), b: &(f32, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
                if k < dist.len() {
                    dist.select_nth_unstable_by(k - 1, cmp);
                }
                let hits = dist[..k]
                    .iter()
                    .filter(|(_, u)| neighbours.binary_search(u).is_ok())
                    .count();
                hits as f64 / k as f64
            },
        )
        .collect();
    scores.iter().sum::<f64>() / take as f64
}

/// Mean edge length divided by the mean distance between random node pairs (`sample` pairs
/// drawn with `seed`): how much shorter edges are than chance, lower is better (about 1.0 for a
/// random placement). Scale-free, so layouts of different spread compare directly. Returns 1.0
/// when there are no edges or fewer than two nodes.
pub fn edge_length_ratio(
    positions: &[[f32; 2]],
    edges: &[(u32, u32)],
    sample: usize,
    seed: u64,
) -> f64 {
    let n = positions.len();
    let dist = |a: usize, b: usize| {
        let (p, q) = (positions[a], positions[b]);
        f64::from(p[0] - q[0]).hypot(f64::from(p[1] - q[1]))
    };
    let (mut total, mut count) = (0.0, 0usize);
    for &(s, t) in edges {
        if s != t && (s as usize) < n && (t as usize) < n {
            total += dist(s as usize, t as usize);
            count += 1;
        }
    }
    if count == 0 || n < 2 {
        return 1.0;
    }
    let mut rng = SplitMix64::new(seed);
    let pairs = sample.max(1);
    let mut random = 0.0;
    for _ in 0..pairs {
        let a = rng.below(n as u64) as usize;
        let b = (a + 1 + rng.below(n as u64 - 1) as usize) % n;
        random += dist(a, b);
    }
    if random > 0.0 {
        (total / count as f64) / (random / pairs as f64)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::{edge_length_ratio, quality};

    #[test]
    fn perfect_path_scores_one_and_scrambled_scores_less() {
        // A path laid out on a line: each node's neighbours are its nearest nodes.
        let pos: Vec<[f32; 2]> = (0..50).map(|i| [i as f32, 0.0]).collect();
        let edges: Vec<(u32, u32)> = (0..49).map(|i| (i, i + 1)).collect();
        // End nodes have one neighbour at distance 1; inner nodes two at distance 1.
        assert!((quality(&pos, &edges, 1000, 1) - 1.0).abs() < 1e-12);
        let scrambled: Vec<[f32; 2]> = (0..50).map(|i| [((i * 17) % 50) as f32, 0.0]).collect();
        assert!(quality(&scrambled, &edges, 1000, 1) < 0.5);
        assert!(quality(&pos, &[], 10, 1).abs() < 1e-12);
        // Path edges have length 1; random pairs on a line of 50 average about 17.
        let ratio = edge_length_ratio(&pos, &edges, 10_000, 1);
        assert!(ratio > 0.03 && ratio < 0.09, "{ratio}");
        assert!((edge_length_ratio(&pos, &[], 10, 1) - 1.0).abs() < 1e-12);
    }
}
