//! Centrality and communities of a loaded graph: degree, PageRank,
//! betweenness and Louvain communities, as networkx defines them, so that
//! the numbers an analyst sees can be checked against a tool they trust.
//!
//! Everything here is plain data in, numbers out, on the calling thread.
//! Long runs report how far they are through [`MetricsProgress`] and stop
//! early when the caller raises the cancel flag: the window computes them in
//! the background after each load and drops them when another file opens.
//!
//! Which graph each measure sees (the relations are directed, and a pair of
//! entities may be joined by several relations):
//! - degree: every relation touching the entity, parallel ones included, a
//!   self-loop twice (networkx's `MultiDiGraph.degree`);
//! - PageRank: the directed graph with parallel relations merged;
//! - betweenness and communities: direction ignored, parallel relations
//!   merged and self-loops left out (networkx's `Graph`).

mod betweenness;
mod look;
mod louvain;
mod pagerank;

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

use super::{Graph, NodeIx};

pub use betweenness::{BetweennessMode, betweenness};
pub use look::{ColourBy, NodeLook, SizeBy};
pub use louvain::{Partition, louvain, modularity};
pub use pagerank::pagerank;

/// PageRank's damping factor, as networkx's default.
pub const DAMPING: f64 = 0.85;

/// Up to this many nodes, betweenness is exact (a breadth-first search from
/// every node); above it, it is estimated from a sample of source nodes.
pub const EXACT_BETWEENNESS_MAX_NODES: usize = 5_000;

/// How many source nodes the estimate uses at most: enough to rank the big
/// brokers of a million-relation file in a few seconds on two cores.
pub const BETWEENNESS_PIVOTS: usize = 64;

/// Fixed, so that the same file always gets the same estimate.
pub const BETWEENNESS_SEED: u64 = 0x6c69_6e6b_7363_6f70;

/// The computation stopped because the caller asked it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the metrics computation was cancelled")]
pub struct Cancelled;

/// The step the computation is in, for the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsPhase {
    Preparing,
    PageRank,
    Communities,
    Betweenness,
    Done,
}

impl MetricsPhase {
    pub fn text(self) -> &'static str {
        match self {
            Self::Preparing => "preparing",
            Self::PageRank => "PageRank",
            Self::Communities => "communities",
            Self::Betweenness => "betweenness",
            Self::Done => "done",
        }
    }

    fn from_u8(value: u8) -> Self {
        match value {
            1 => Self::PageRank,
            2 => Self::Communities,
            3 => Self::Betweenness,
            4 => Self::Done,
            _ => Self::Preparing,
        }
    }
}

/// Shared between the computing thread and the UI: the phase, how much of
/// it is done, and the cancel flag.
#[derive(Debug, Default)]
pub struct MetricsProgress {
    phase: AtomicU8,
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
}

impl MetricsProgress {
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The phase and the share of it done, 0 to 1.
    pub fn get(&self) -> (MetricsPhase, f32) {
        let phase = MetricsPhase::from_u8(self.phase.load(Ordering::Relaxed));
        let total = self.total.load(Ordering::Relaxed);
        let done = self.done.load(Ordering::Relaxed);
        let share = if total == 0 {
            0.0
        } else {
            (done as f64 / total as f64).min(1.0) as f32
        };
        (phase, share)
    }

    fn start(&self, phase: MetricsPhase, total: u64) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.phase.store(phase as u8, Ordering::Relaxed);
    }

    /// Records `done` steps of the phase; fails once the caller cancelled.
    fn step(&self, done: u64) -> Result<(), Cancelled> {
        self.done.store(done, Ordering::Relaxed);
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Adjacency lists in one array: `targets[offsets[v]..offsets[v + 1]]` are
/// `v`'s neighbours, sorted.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    pub offsets: Vec<usize>,
    pub targets: Vec<NodeIx>,
}

impl Csr {
    /// From (from, to) pairs, each listed once per direction wanted; sorts
    /// and merges repeats.
    fn from_pairs(node_count: usize, mut pairs: Vec<(NodeIx, NodeIx)>) -> Self {
        pairs.sort_unstable();
        pairs.dedup();
        let mut offsets = vec![0_usize; node_count + 1];
        for &(from, _) in &pairs {
            offsets[from as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut targets: Vec<NodeIx> = pairs.into_iter().map(|(_, to)| to).collect();
        // Collected in place, the pairs' buffer is twice what the targets need.
        targets.shrink_to_fit();
        Self { offsets, targets }
    }

    /// The undirected simple graph: direction ignored, parallel relations
    /// merged, self-loops left out.
    pub fn undirected(node_count: usize, edges: &[(NodeIx, NodeIx)]) -> Self {
        let mut pairs = Vec::with_capacity(edges.len() * 2);
        for &(a, b) in edges {
            if a != b {
                pairs.push((a, b));
                pairs.push((b, a));
            }
        }
        Self::from_pairs(node_count, pairs)
    }

    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn neighbours(&self, node: usize) -> &[NodeIx] {
        &self.targets[self.offsets[node]..self.offsets[node + 1]]
    }

    /// Number of (merged) undirected edges, when built by [`Self::undirected`].
    pub fn undirected_edge_count(&self) -> usize {
        self.targets.len() / 2
    }
}

/// Every measure for every node, indexed by node index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    pub degree: Vec<u32>,
    pub pagerank: Vec<f64>,
    pub betweenness: Vec<f64>,
    /// Community of each node, numbered by size: 0 is the largest.
    pub community: Vec<u32>,
    /// Members per community, largest first.
    pub community_sizes: Vec<u32>,
    /// Modularity of the communities found (direction ignored).
    pub modularity: f64,
    /// How betweenness was computed: exactly, or from how many sources.
    pub betweenness_mode: BetweennessMode,
}

impl Metrics {
    /// The largest value of each size-by measure, to scale node sizes.
    pub fn max_betweenness(&self) -> f64 {
        self.betweenness.iter().copied().fold(0.0, f64::max)
    }

    pub fn max_pagerank(&self) -> f64 {
        self.pagerank.iter().copied().fold(0.0, f64::max)
    }

    pub fn max_degree(&self) -> u32 {
        self.degree.iter().copied().max().unwrap_or(0)
    }
}

/// Computes every measure of `graph`. Betweenness is exact up to
/// [`EXACT_BETWEENNESS_MAX_NODES`] nodes and sampled above.
pub fn compute(graph: &Graph, progress: &MetricsProgress) -> Result<Metrics, Cancelled> {
    let mode = if graph.node_count() <= EXACT_BETWEENNESS_MAX_NODES {
        BetweennessMode::Exact
    } else {
        BetweennessMode::Sampled {
            pivots: BETWEENNESS_PIVOTS,
            seed: BETWEENNESS_SEED,
        }
    };
    compute_with(graph, mode, progress)
}

/// As [`compute`], with betweenness computed as `mode` says.
pub fn compute_with(
    graph: &Graph,
    mode: BetweennessMode,
    progress: &MetricsProgress,
) -> Result<Metrics, Cancelled> {
    progress.start(MetricsPhase::Preparing, 1);
    let node_count = graph.node_count();
    let edges = graph.edge_pairs();
    let degree = (0..node_count as NodeIx)
        .map(|node| graph.degree(node) as u32)
        .collect();
    progress.step(0)?;
    let pagerank = pagerank(node_count, &edges, DAMPING, progress)?;
    let undirected = Csr::undirected(node_count, &edges);
    drop(edges);
    let partition = louvain(&undirected, progress)?;
    let (betweenness, betweenness_mode) = betweenness(&undirected, mode, progress)?;
    progress.start(MetricsPhase::Done, 1);
    progress.step(1)?;
    Ok(Metrics {
        degree,
        pagerank,
        betweenness,
        community: partition.community,
        community_sizes: partition.sizes,
        modularity: partition.modularity,
        betweenness_mode,
    })
}
