//! Tracing a chain of relations between two entities: the shortest path
//! (fewest hops by breadth-first search, or the best-sourced route by
//! Dijkstra over [`hop_cost`]), following relation direction or ignoring it,
//! and every simple path up to a length, capped.
//!
//! The searches run on a [`TraceIndex`]: the graph's relations as two
//! compressed adjacency arrays (out and in), each hop's cost beside them.
//! petgraph's linked edge lists send a search to a random place in memory
//! for every edge it looks at; these arrays keep a node's relations
//! together, which is what keeps a search of a million relations within a
//! frame's time. The index is built once per graph, off the UI thread, when
//! the first trace is asked for.

mod all_paths;
mod shortest;

use super::grades::hop_cost;
use super::{EdgeIx, Graph, NodeIx};

pub use all_paths::{AllPaths, MAX_PATH_HOPS, MAX_PATHS, all_paths};
pub use shortest::shortest_path;

/// Whether a relation can be walked only from its subject to its object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Subject → object only: "who reaches whom".
    Follow,
    /// Either way: "how are these two connected at all".
    #[default]
    Ignore,
}

/// How a trace searches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TraceOptions {
    pub direction: Direction,
    /// Cost each hop by how well its evidence supports it (Dijkstra over
    /// [`hop_cost`]) instead of counting hops (breadth-first search).
    pub prefer_evidence: bool,
}

/// One route from the first node to the last.
#[derive(Clone, Debug, PartialEq)]
pub struct TracePath {
    /// The entities passed through, ends included.
    pub nodes: Vec<NodeIx>,
    /// The relation taken for each hop: among parallel relations, the best
    /// supported (then the first).
    pub edges: Vec<EdgeIx>,
}

impl TracePath {
    pub fn hops(&self) -> usize {
        self.edges.len()
    }

    /// The sum of the hops' [`hop_cost`]s.
    pub fn evidence_cost(&self, graph: &Graph) -> f32 {
        self.edges
            .iter()
            .map(|&edge| hop_cost(graph.edge_support(edge)))
            .sum()
    }

    /// The chance that every link holds: the product of the hops' support.
    pub fn support(&self, graph: &Graph) -> f32 {
        self.edges
            .iter()
            .map(|&edge| graph.edge_support(edge))
            .product()
    }
}

/// The graph's relations as compressed adjacency arrays, for searching.
/// Self-loops are left out: no path needs one.
#[derive(Debug, Default)]
pub struct TraceIndex {
    out_start: Vec<u32>,
    /// (neighbour, edge) of each node's outgoing relations, by edge index.
    out: Vec<(NodeIx, EdgeIx)>,
    in_start: Vec<u32>,
    incoming: Vec<(NodeIx, EdgeIx)>,
    /// [`hop_cost`] of each edge, by edge index.
    cost: Vec<f32>,
}

impl TraceIndex {
    /// Two counting sorts over the edges: linear, about 20 bytes a relation.
    pub fn build(graph: &Graph) -> Self {
        let nodes = graph.node_count();
        let edges = graph.edge_count() as EdgeIx;
        let pairs: Vec<(NodeIx, NodeIx)> =
            (0..edges).map(|edge| graph.edge_endpoints(edge)).collect();
        let (out_start, out) = csr(nodes, &pairs, |(source, target)| (source, target));
        let (in_start, incoming) = csr(nodes, &pairs, |(source, target)| (target, source));
        let cost = (0..edges)
            .map(|edge| hop_cost(graph.edge_support(edge)))
            .collect();
        Self {
            out_start,
            out,
            in_start,
            incoming,
            cost,
        }
    }

    pub fn node_count(&self) -> usize {
        self.out_start.len().saturating_sub(1)
    }

    /// Approximate bytes held.
    pub fn heap_bytes(&self) -> usize {
        (self.out_start.capacity() + self.in_start.capacity()) * 4
            + (self.out.capacity() + self.incoming.capacity()) * 8
            + self.cost.capacity() * 4
    }

    fn outgoing(&self, node: NodeIx) -> &[(NodeIx, EdgeIx)] {
        let node = node as usize;
        &self.out[self.out_start[node] as usize..self.out_start[node + 1] as usize]
    }

    fn incoming(&self, node: NodeIx) -> &[(NodeIx, EdgeIx)] {
        let node = node as usize;
        &self.incoming[self.in_start[node] as usize..self.in_start[node + 1] as usize]
    }

    /// The relations a search may leave `node` by, walking forwards (from
    /// the source) or backwards (from the target).
    fn steps(
        &self,
        node: NodeIx,
        direction: Direction,
        forwards: bool,
    ) -> impl Iterator<Item = (NodeIx, EdgeIx)> + '_ {
        let (first, second): (&[_], &[_]) = match (direction, forwards) {
            (Direction::Follow, true) => (self.outgoing(node), &[]),
            (Direction::Follow, false) => (self.incoming(node), &[]),
            (Direction::Ignore, _) => (self.outgoing(node), self.incoming(node)),
        };
        first.iter().chain(second).copied()
    }

    fn cost(&self, edge: EdgeIx) -> f32 {
        self.cost[edge as usize]
    }

    /// The best relation for the hop `from → to`: the lowest cost (best
    /// supported), then the lowest index. None when no relation joins them
    /// that way.
    fn best_edge(&self, from: NodeIx, to: NodeIx, direction: Direction) -> Option<EdgeIx> {
        self.steps(from, direction, true)
            .filter(|&(neighbour, _)| neighbour == to)
            .map(|(_, edge)| edge)
            .min_by(|&a, &b| self.cost(a).total_cmp(&self.cost(b)).then(a.cmp(&b)))
    }

    /// The path through `nodes`, each hop by its best relation.
    fn path_through(&self, nodes: Vec<NodeIx>, direction: Direction) -> Option<TracePath> {
        let edges = nodes
            .windows(2)
            .map(|hop| self.best_edge(hop[0], hop[1], direction))
            .collect::<Option<Vec<_>>>()?;
        Some(TracePath { nodes, edges })
    }
}

/// Adjacency lists in one array: entries of node `n` are
/// `entries[start[n]..start[n + 1]]`, in edge order.
fn csr(
    nodes: usize,
    pairs: &[(NodeIx, NodeIx)],
    ends: impl Fn((NodeIx, NodeIx)) -> (NodeIx, NodeIx),
) -> (Vec<u32>, Vec<(NodeIx, EdgeIx)>) {
    let mut start = vec![0_u32; nodes + 1];
    for &pair in pairs {
        let (from, to) = ends(pair);
        if from != to {
            start[from as usize + 1] += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut cursor = start.clone();
    let mut entries = vec![(0, 0); start[nodes] as usize];
    for (edge, &pair) in pairs.iter().enumerate() {
        let (from, to) = ends(pair);
        if from != to {
            let slot = &mut cursor[from as usize];
            entries[*slot as usize] = (to, edge as EdgeIx);
            *slot += 1;
        }
    }
    (start, entries)
}

/// Why a name or id given for an entity (on the command line) names no
/// single entity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntityLookupError {
    #[error("no entity has the id or the name {text:?}")]
    Unknown {
        text: String,
        /// Entities whose names contain the text, for a "did you mean".
        similar: Vec<NodeIx>,
    },
    #[error("{} entities are named {text:?}; give one of their ids", candidates.len())]
    Ambiguous {
        text: String,
        candidates: Vec<NodeIx>,
    },
}

/// At most this many near names are suggested for an unknown one.
const MAX_SUGGESTIONS: usize = 10;

/// The entity `text` names: a database id, else the exact name, else the
/// name with case ignored. A name several entities share is ambiguous.
pub fn find_entity(graph: &Graph, text: &str) -> Result<NodeIx, EntityLookupError> {
    let text = text.trim();
    if let Ok(id) = text.parse::<i64>()
        && let Some(node) = graph.node_by_db_id(id)
    {
        return Ok(node);
    }
    let all = 0..graph.node_count() as NodeIx;
    let exact: Vec<NodeIx> = all
        .clone()
        .filter(|&node| graph.node_name(node) == text)
        .collect();
    let matches = if exact.is_empty() {
        let lower = text.to_lowercase();
        all.clone()
            .filter(|&node| graph.node_name(node).to_lowercase() == lower)
            .collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [node] => Ok(*node),
        [] => {
            let lower = text.to_lowercase();
            let similar = all
                .filter(|&node| graph.node_name(node).to_lowercase().contains(&lower))
                .take(MAX_SUGGESTIONS)
                .collect();
            Err(EntityLookupError::Unknown {
                text: text.to_owned(),
                similar,
            })
        }
        _ => Err(EntityLookupError::Ambiguous {
            text: text.to_owned(),
            candidates: matches,
        }),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::GraphBuilder;

    /// Entities 1..=n and relations (id, subject, object, excerpt count).
    pub(crate) fn graph_of(nodes: i64, relations: &[(i64, i64, i64, u32)]) -> Graph {
        let mut builder = GraphBuilder::default();
        for id in 1..=nodes {
            builder.add_entity(id, "actor", &format!("n{id}")).unwrap();
        }
        for &(id, subject, object, _) in relations {
            builder
                .add_relation(id, subject, object, "knows", None)
                .unwrap();
        }
        builder.finish(relations.iter().map(|relation| relation.3).collect())
    }

    #[test]
    fn the_index_lists_each_relation_both_ways_and_drops_self_loops() {
        let graph = graph_of(3, &[(1, 1, 2, 0), (2, 2, 3, 0), (3, 3, 3, 0), (4, 1, 2, 1)]);
        let index = TraceIndex::build(&graph);
        assert_eq!(index.node_count(), 3);
        assert_eq!(index.outgoing(0), &[(1, 0), (1, 3)]);
        assert_eq!(index.incoming(1), &[(0, 0), (0, 3)]);
        assert!(index.outgoing(2).is_empty(), "the self-loop is left out");
        // Of the two parallel relations 1 → 2, the supported one is best.
        assert_eq!(index.best_edge(0, 1, Direction::Follow), Some(3));
        assert_eq!(index.best_edge(1, 0, Direction::Follow), None);
        assert_eq!(index.best_edge(1, 0, Direction::Ignore), Some(3));
    }
}
