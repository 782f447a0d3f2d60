//! Communities by the Louvain method (Blondel et al. 2008) on the
//! undirected simple graph, resolution 1: nodes move to the neighbouring
//! community that raises modularity most, then each community becomes one
//! node, until a level no longer raises it. Nodes are visited in index
//! order, so the same file always gets the same communities.

use std::borrow::Cow;

use super::{Cancelled, Csr, MetricsPhase, MetricsProgress};

/// A level that raises modularity by less than this ends the search (as
/// networkx's `threshold`).
const THRESHOLD: f64 = 1e-7;
/// Sweeps over the nodes of one level at most; on real graphs moves stop
/// after a handful.
const MAX_SWEEPS: usize = 64;
/// Levels at most; each one merges communities, so real graphs need few.
const MAX_LEVELS: u64 = 32;

/// Communities found, numbered by size.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Community of each node; 0 is the largest, ties go to the community
    /// holding the lowest node index.
    pub community: Vec<u32>,
    /// Members per community, largest first.
    pub sizes: Vec<u32>,
    pub modularity: f64,
}

/// A weighted undirected graph: each edge listed from both ends, and the
/// weight of edges inside a node (merged communities) kept apart. The first
/// level reads the simple graph's rows in place, every edge weighing 1:
/// copies would cost 26 MB at a million relations.
struct Weighted<'a> {
    offsets: Cow<'a, [usize]>,
    targets: Cow<'a, [u32]>,
    /// Each row entry's weight; `None` when every edge weighs 1.
    weights: Option<Vec<f64>>,
    /// Weight of the edges inside the node, each counted once.
    inner: Vec<f64>,
}

impl<'a> Weighted<'a> {
    fn from_csr(graph: &'a Csr) -> Self {
        Self {
            offsets: Cow::Borrowed(&graph.offsets),
            targets: Cow::Borrowed(&graph.targets),
            weights: None,
            inner: vec![0.0; graph.node_count()],
        }
    }

    fn node_count(&self) -> usize {
        self.inner.len()
    }

    #[inline]
    fn weight(&self, slot: usize) -> f64 {
        self.weights.as_ref().map_or(1.0, |weights| weights[slot])
    }

    /// Weighted degree: edges to others, plus inner edges twice.
    fn degrees(&self) -> Vec<f64> {
        (0..self.node_count())
            .map(|node| {
                (self.offsets[node]..self.offsets[node + 1])
                    .map(|slot| self.weight(slot))
                    .sum::<f64>()
                    + 2.0 * self.inner[node]
            })
            .collect()
    }

    /// One node per community of `of`; weights between them summed. Each
    /// community's members are walked together, summing into a dense row,
    /// so no list of every link is held (32 MB at a million relations).
    /// The weights are sums of whole and half edges, exact in `f64`, so the
    /// order of the additions does not change them.
    fn aggregate(&self, of: &[u32], count: usize) -> Weighted<'static> {
        let mut starts = vec![0_usize; count + 1];
        for &community in of {
            starts[community as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut members = vec![0_u32; of.len()];
        let mut fill = starts.clone();
        for (node, &community) in of.iter().enumerate() {
            members[fill[community as usize]] = node as u32;
            fill[community as usize] += 1;
        }
        drop(fill);
        let mut inner = vec![0.0; count];
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.push(0);
        let (mut targets, mut weights) = (Vec::new(), Vec::new());
        let mut link = vec![0.0_f64; count];
        let mut touched: Vec<u32> = Vec::new();
        for from in 0..count {
            for &node in &members[starts[from]..starts[from + 1]] {
                let node = node as usize;
                inner[from] += self.inner[node];
                for slot in self.offsets[node]..self.offsets[node + 1] {
                    let to = of[self.targets[slot] as usize];
                    let weight = self.weight(slot);
                    if to as usize == from {
                        // Seen from both ends.
                        inner[from] += weight / 2.0;
                    } else {
                        // Weights are positive: zero means not seen yet.
                        if link[to as usize] == 0.0 {
                            touched.push(to);
                        }
                        link[to as usize] += weight;
                    }
                }
            }
            touched.sort_unstable();
            for &to in &touched {
                targets.push(to);
                weights.push(link[to as usize]);
                link[to as usize] = 0.0;
            }
            touched.clear();
            offsets.push(targets.len());
        }
        Weighted {
            offsets: Cow::Owned(offsets),
            targets: Cow::Owned(targets),
            weights: Some(weights),
            inner,
        }
    }
}

/// Modularity of `community` (any numbering) on the undirected simple
/// graph, resolution 1: the share of edges inside communities less the
/// share expected if edges were placed at random keeping degrees.
pub fn modularity(graph: &Csr, community: &[u32]) -> f64 {
    let edges2 = graph.targets.len() as f64;
    if edges2 == 0.0 {
        return 0.0;
    }
    let count = community
        .iter()
        .copied()
        .max()
        .map_or(0, |max| max as usize + 1);
    let mut inside = vec![0.0_f64; count];
    let mut total = vec![0.0_f64; count];
    for node in 0..graph.node_count() {
        let own = community[node];
        total[own as usize] += graph.neighbours(node).len() as f64;
        for &other in graph.neighbours(node) {
            if community[other as usize] == own {
                inside[own as usize] += 1.0;
            }
        }
    }
    inside
        .iter()
        .zip(&total)
        .map(|(inside, total)| inside / edges2 - (total / edges2).powi(2))
        .sum()
}

/// Louvain communities of `graph`.
pub fn louvain(graph: &Csr, progress: &MetricsProgress) -> Result<Partition, Cancelled> {
    progress.start(MetricsPhase::Communities, MAX_LEVELS);
    let n = graph.node_count();
    // Community of each original node, renumbered 0.. after every level.
    let mut membership: Vec<u32> = (0..n as u32).collect();
    let mut level_graph = Weighted::from_csr(graph);
    let mut best = modularity(graph, &membership);
    for level in 0..MAX_LEVELS {
        let (of, count, moved) = one_level(&level_graph, progress)?;
        if !moved {
            break;
        }
        let candidate: Vec<u32> = membership.iter().map(|&c| of[c as usize]).collect();
        let score = modularity(graph, &candidate);
        if score - best < THRESHOLD {
            break;
        }
        best = score;
        membership = candidate;
        level_graph = level_graph.aggregate(&of, count);
        progress.step(level + 1)?;
    }
    Ok(numbered_by_size(&membership, best))
}

/// Moves nodes between communities until a sweep moves none (or raises
/// modularity no further). Returns each node's community, numbered
/// 0..count in order of first appearance, the count, and whether any moved.
fn one_level(
    graph: &Weighted<'_>,
    progress: &MetricsProgress,
) -> Result<(Vec<u32>, usize, bool), Cancelled> {
    let n = graph.node_count();
    let degree = graph.degrees();
    let edges2: f64 = degree.iter().sum();
    let mut community: Vec<u32> = (0..n as u32).collect();
    let mut total = degree.clone();
    // Weight from the node being moved to each community, and which ones were touched.
    let mut link = vec![0.0_f64; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut moved_any = false;
    if edges2 > 0.0 {
        for _ in 0..MAX_SWEEPS {
            let mut moved = 0_usize;
            for node in 0..n {
                if node % 65_536 == 0 && progress.is_cancelled() {
                    return Err(Cancelled);
                }
                let own = community[node];
                for slot in graph.offsets[node]..graph.offsets[node + 1] {
                    let to = community[graph.targets[slot] as usize];
                    if link[to as usize] == 0.0 {
                        touched.push(to);
                    }
                    link[to as usize] += graph.weight(slot);
                }
                let k = degree[node];
                total[own as usize] -= k;
                // Gain of joining c, up to terms that do not depend on c:
                // link(c) - total(c) * k / 2m.
                let gain = |c: u32, link: &[f64]| link[c as usize] - total[c as usize] * k / edges2;
                let mut best = own;
                let mut best_gain = gain(own, &link);
                for &candidate in &touched {
                    let candidate_gain = gain(candidate, &link);
                    // Strictly better only: ties keep the node where it is, or with the
                    // first community met, so that the result does not wobble.
                    if candidate_gain > best_gain + 1e-12 {
                        best = candidate;
                        best_gain = candidate_gain;
                    }
                }
                total[best as usize] += k;
                if best != own {
                    community[node] = best;
                    moved += 1;
                }
                for &c in &touched {
                    link[c as usize] = 0.0;
                }
                touched.clear();
            }
            if moved == 0 {
                break;
            }
            moved_any = true;
        }
    }
    let mut renumber = vec![u32::MAX; n];
    let mut count = 0_u32;
    let of = community
        .iter()
        .map(|&c| {
            if renumber[c as usize] == u32::MAX {
                renumber[c as usize] = count;
                count += 1;
            }
            renumber[c as usize]
        })
        .collect();
    Ok((of, count as usize, moved_any))
}

/// Renumbers communities by size, largest first; ties by lowest member.
fn numbered_by_size(membership: &[u32], modularity: f64) -> Partition {
    let count = membership
        .iter()
        .copied()
        .max()
        .map_or(0, |max| max as usize + 1);
    let mut sizes = vec![0_u32; count];
    let mut first = vec![u32::MAX; count];
    for (node, &c) in membership.iter().enumerate() {
        sizes[c as usize] += 1;
        first[c as usize] = first[c as usize].min(node as u32);
    }
    let mut order: Vec<u32> = (0..count as u32)
        .filter(|&c| sizes[c as usize] > 0)
        .collect();
    order.sort_unstable_by_key(|&c| (std::cmp::Reverse(sizes[c as usize]), first[c as usize]));
    let mut rank = vec![0_u32; count];
    for (new, &old) in order.iter().enumerate() {
        rank[old as usize] = new as u32;
    }
    Partition {
        community: membership.iter().map(|&c| rank[c as usize]).collect(),
        sizes: order.iter().map(|&c| sizes[c as usize]).collect(),
        modularity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two triangles joined by one edge: the two triangles are the
    /// communities, and modularity is 2 * (3/7 - (7/14)^2) = 5/14 by hand.
    #[test]
    fn two_triangles_joined_by_a_bridge_are_two_communities() {
        let edges = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)];
        let graph = Csr::undirected(6, &edges);
        let partition = louvain(&graph, &MetricsProgress::default()).unwrap();
        assert_eq!(partition.community, vec![0, 0, 0, 1, 1, 1]);
        assert_eq!(partition.sizes, vec![3, 3]);
        assert!((partition.modularity - 5.0 / 14.0).abs() < 1e-12);
        assert!((modularity(&graph, &partition.community) - 5.0 / 14.0).abs() < 1e-12);
    }

    #[test]
    fn isolated_nodes_are_communities_of_their_own() {
        let graph = Csr::undirected(4, &[(0, 1)]);
        let partition = louvain(&graph, &MetricsProgress::default()).unwrap();
        assert_eq!(partition.sizes, vec![2, 1, 1]);
        assert_eq!(partition.community, vec![0, 0, 1, 2]);
    }

    #[test]
    fn a_cancelled_search_stops() {
        let graph = Csr::undirected(3, &[(0, 1), (1, 2)]);
        let progress = MetricsProgress::default();
        progress.cancel();
        assert_eq!(louvain(&graph, &progress), Err(Cancelled));
    }
}
