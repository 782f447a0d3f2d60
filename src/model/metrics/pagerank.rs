//! PageRank as `networkx.pagerank` computes it: the directed graph with
//! parallel relations merged, a uniform teleport, and the rank of nodes
//! without outgoing relations spread evenly over all nodes.

use super::{Cancelled, Csr, MetricsPhase, MetricsProgress};
use crate::model::NodeIx;

/// Stops when the ranks moved less than this in total (L1) in one step:
/// tighter than networkx's default (1e-6 per node), so that the values agree
/// with a tight networkx run to many digits.
const TOLERANCE: f64 = 1e-12;
/// A bound that is never reached on real graphs (the error shrinks by the
/// damping factor each step), there only to end pathological runs.
const MAX_ITERATIONS: usize = 1_000;

/// PageRank of every node, summing to 1 (empty for an empty graph).
pub fn pagerank(
    node_count: usize,
    edges: &[(NodeIx, NodeIx)],
    damping: f64,
    progress: &MetricsProgress,
) -> Result<Vec<f64>, Cancelled> {
    progress.start(MetricsPhase::PageRank, MAX_ITERATIONS as u64);
    if node_count == 0 {
        return Ok(Vec::new());
    }
    // Incoming lists (target -> sources), merged, self-loops kept as networkx keeps them.
    let incoming = Csr::from_pairs(node_count, edges.iter().map(|&(s, t)| (t, s)).collect());
    let mut out_degree = vec![0_u32; node_count];
    for &source in &incoming.targets {
        out_degree[source as usize] += 1;
    }
    let n = node_count as f64;
    let mut rank = vec![1.0 / n; node_count];
    let mut next = vec![0.0; node_count];
    // rank[u] / out_degree[u], refreshed each step.
    let mut share = vec![0.0; node_count];
    for iteration in 0..MAX_ITERATIONS {
        let mut dangling = 0.0;
        for node in 0..node_count {
            if out_degree[node] == 0 {
                dangling += rank[node];
                share[node] = 0.0;
            } else {
                share[node] = rank[node] / f64::from(out_degree[node]);
            }
        }
        let base = damping * dangling / n + (1.0 - damping) / n;
        let mut error = 0.0;
        for (node, value) in next.iter_mut().enumerate() {
            let inflow: f64 = incoming
                .neighbours(node)
                .iter()
                .map(|&source| share[source as usize])
                .sum();
            *value = damping * inflow + base;
            error += (*value - rank[node]).abs();
        }
        std::mem::swap(&mut rank, &mut next);
        progress.step(iteration as u64 + 1)?;
        if error < TOLERANCE {
            break;
        }
    }
    Ok(rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_ranks_every_node_the_same() {
        let ranks = pagerank(
            3,
            &[(0, 1), (1, 2), (2, 0)],
            0.85,
            &MetricsProgress::default(),
        )
        .unwrap();
        for rank in ranks {
            assert!((rank - 1.0 / 3.0).abs() < 1e-12);
        }
    }

    /// Hand-derived: 0 -> 1, node 1 dangling. With d = 0.85, n = 2:
    /// r1 = d*r0 + d*r1/2 + 0.075 and r0 = d*r1/2 + 0.075, r0 + r1 = 1, so
    /// r0 = 0.075 + 0.425*r1 and r1 = 1 - r0 → r0 = 0.5/1.425.
    #[test]
    fn a_dangling_node_spreads_its_rank_evenly() {
        let ranks = pagerank(2, &[(0, 1), (0, 1)], 0.85, &MetricsProgress::default()).unwrap();
        let r0 = 0.5 / 1.425;
        assert!((ranks[0] - r0).abs() < 1e-10, "{ranks:?}");
        assert!((ranks[1] - (1.0 - r0)).abs() < 1e-10, "{ranks:?}");
    }
}
