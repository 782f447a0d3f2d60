//! Betweenness centrality by Brandes' algorithm on the undirected simple
//! graph, normalised as `networkx.betweenness_centrality` normalises it.
//! Exact, or estimated from a seeded sample of source nodes ("pivots"),
//! scaled up as networkx scales its `k`-sample.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::{Cancelled, Csr, MetricsPhase, MetricsProgress};

/// Sources are split into at most this many chunks, each with its own
/// scratch arrays and sum (a few MB each on a million relations).
const MAX_CHUNKS: usize = 16;

/// How betweenness is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BetweennessMode {
    /// From every node.
    #[default]
    Exact,
    /// From `pivots` source nodes drawn with `seed` (all of them when the
    /// graph has no more nodes than that).
    Sampled { pivots: usize, seed: u64 },
}

/// Betweenness of every node, and how it was in fact computed (a sample as
/// large as the graph is exact).
pub fn betweenness(
    graph: &Csr,
    mode: BetweennessMode,
    progress: &MetricsProgress,
) -> Result<(Vec<f64>, BetweennessMode), Cancelled> {
    let n = graph.node_count();
    let (sources, mode) = match mode {
        BetweennessMode::Sampled { pivots, seed } if pivots < n => (sample(n, pivots, seed), mode),
        _ => ((0..n as u32).collect(), BetweennessMode::Exact),
    };
    progress.start(MetricsPhase::Betweenness, sources.len() as u64);
    // Sources in fixed chunks, each summed into its own vector, the vectors then
    // added in chunk order: the same sums in the same order on any number of
    // threads, so the result does not depend on the machine.
    // The chunks run a wave of one per thread at a time, so only that many
    // partial vectors are held at once.
    let per_chunk = sources.len().div_ceil(MAX_CHUNKS).max(1);
    let wave = rayon::current_num_threads().max(1) * per_chunk;
    let done = AtomicU64::new(0);
    let mut centrality = vec![0.0_f64; n];
    for wave_sources in sources.chunks(wave) {
        let partials: Vec<Result<Vec<f64>, Cancelled>> = wave_sources
            .par_chunks(per_chunk)
            .map(|chunk| {
                let mut partial = vec![0.0_f64; n];
                let mut scratch = Scratch::new(n);
                for &source in chunk {
                    scratch.accumulate_from(graph, source as usize, &mut partial);
                    progress.step(done.fetch_add(1, Ordering::Relaxed) + 1)?;
                }
                Ok(partial)
            })
            .collect();
        for partial in partials {
            for (total, value) in centrality.iter_mut().zip(partial?) {
                *total += value;
            }
        }
    }
    if n > 2 {
        // Each unordered pair was counted from both ends when every node is a source.
        let mut scale = 1.0 / ((n - 1) as f64 * (n - 2) as f64);
        if let BetweennessMode::Sampled { .. } = mode {
            scale *= n as f64 / sources.len() as f64;
        }
        for value in &mut centrality {
            *value *= scale;
        }
    } else {
        centrality.fill(0.0);
    }
    Ok((centrality, mode))
}

/// `count` distinct nodes of `0..n`, drawn with a fixed-seed generator
/// (splitmix64) by a partial Fisher–Yates shuffle, then sorted.
fn sample(n: usize, count: usize, seed: u64) -> Vec<u32> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut nodes: Vec<u32> = (0..n as u32).collect();
    for i in 0..count {
        let j = i + (next() % (n - i) as u64) as usize;
        nodes.swap(i, j);
    }
    nodes.truncate(count);
    nodes.sort_unstable();
    nodes
}

/// What one search knows of a node, packed together: the searches visit
/// nodes in no useful order, and one cache line per visit beats three.
#[derive(Clone, Copy)]
struct Slot {
    /// Hops from the source; -1 until reached.
    distance: i32,
    /// Shortest paths from the source.
    paths: f64,
    /// The source's dependency on the node (Brandes' delta).
    dependency: f64,
}

const UNREACHED: Slot = Slot {
    distance: -1,
    paths: 0.0,
    dependency: 0.0,
};

/// Per-search arrays, reused from one source to the next.
struct Scratch {
    slots: Vec<Slot>,
    order: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            slots: vec![UNREACHED; n],
            order: Vec::with_capacity(n),
        }
    }

    /// One breadth-first search from `source`, then the dependencies added
    /// back in reverse order of distance. Predecessors are not stored: they
    /// are the neighbours one step nearer the source.
    fn accumulate_from(&mut self, graph: &Csr, source: usize, centrality: &mut [f64]) {
        let slots = &mut self.slots;
        self.order.clear();
        slots[source] = Slot {
            distance: 0,
            paths: 1.0,
            dependency: 0.0,
        };
        self.order.push(source as u32);
        let mut head = 0;
        while head < self.order.len() {
            let node = self.order[head] as usize;
            head += 1;
            let next = slots[node].distance + 1;
            let paths = slots[node].paths;
            for &other in graph.neighbours(node) {
                let slot = &mut slots[other as usize];
                if slot.distance < 0 {
                    slot.distance = next;
                    self.order.push(other);
                }
                if slot.distance == next {
                    slot.paths += paths;
                }
            }
        }
        for &node in self.order.iter().rev() {
            let node = node as usize;
            let Slot {
                distance,
                paths,
                dependency,
            } = slots[node];
            let coefficient = (1.0 + dependency) / paths;
            for &other in graph.neighbours(node) {
                let slot = &mut slots[other as usize];
                if slot.distance == distance - 1 {
                    slot.dependency += slot.paths * coefficient;
                }
            }
            if node != source {
                centrality[node] += dependency;
            }
        }
        for &node in &self.order {
            slots[node as usize] = UNREACHED;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path a - b - c - d: b lies on a–c and a–d, c on a–d and b–d; each
    /// 2 of the 3 pairs not involving it, normalised by (n-1)(n-2)/2 = 3.
    #[test]
    fn the_middle_of_a_path_lies_between_its_ends() {
        let graph = Csr::undirected(4, &[(0, 1), (1, 2), (3, 2), (2, 3)]);
        let (values, mode) =
            betweenness(&graph, BetweennessMode::Exact, &MetricsProgress::default()).unwrap();
        assert_eq!(mode, BetweennessMode::Exact);
        let expected = [0.0, 2.0 / 3.0, 2.0 / 3.0, 0.0];
        for (value, expected) in values.iter().zip(expected) {
            assert!((value - expected).abs() < 1e-12, "{values:?}");
        }
    }

    /// The same bits on one thread as on four: the chunks, not the threads,
    /// decide the order of the sums.
    #[test]
    fn the_result_does_not_depend_on_the_thread_count() {
        let edges: Vec<(u32, u32)> = (0..400_u32)
            .flat_map(|a| [(a, (a * 7 + 3) % 400), (a, (a * 13 + 1) % 400)])
            .collect();
        let graph = Csr::undirected(400, &edges);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    betweenness(&graph, BetweennessMode::Exact, &MetricsProgress::default())
                        .unwrap()
                        .0
                })
        };
        let one: Vec<u64> = run(1).iter().map(|value| value.to_bits()).collect();
        let four: Vec<u64> = run(4).iter().map(|value| value.to_bits()).collect();
        assert_eq!(one, four);
        assert!(one.iter().any(|&bits| f64::from_bits(bits) > 0.0));
    }

    #[test]
    fn a_sample_is_deterministic_and_distinct() {
        let first = sample(1000, 50, 7);
        assert_eq!(first, sample(1000, 50, 7));
        let mut unique = first.clone();
        unique.dedup();
        assert_eq!(unique.len(), 50);
        assert_ne!(first, sample(1000, 50, 8));
    }

    #[test]
    fn a_sample_as_large_as_the_graph_is_exact() {
        let graph = Csr::undirected(4, &[(0, 1), (1, 2), (2, 3)]);
        let (_, mode) = betweenness(
            &graph,
            BetweennessMode::Sampled {
                pivots: 10,
                seed: 1,
            },
            &MetricsProgress::default(),
        )
        .unwrap();
        assert_eq!(mode, BetweennessMode::Exact);
    }
}
