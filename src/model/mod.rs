//! The graph in memory: entities as nodes, relations as directed edges.
//!
//! Attributes live in flat arrays indexed by node or edge index (cheap to
//! stream a million rows into, cheap to scan), and the topology in a petgraph
//! `DiGraph` whose node and edge indices are the same numbers. Nothing here
//! knows about SQLite or egui; long texts (descriptions, excerpts) stay in the
//! file and are read on demand.

pub mod anchor;
pub mod capture;
pub mod claims;
pub mod confirm;
pub mod corrections;
pub mod dates;
pub mod explore;
pub mod grades;
pub mod growth;
mod interner;
pub mod metrics;
pub mod search;
pub mod source;
mod subgraph;
pub mod timeline;
pub mod trace;
pub mod visibility;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef as _;

pub use interner::{Interner, StringArena, Symbol};

/// Hash maps keyed by values from an opened file: fast, and seeded per
/// process so that a crafted file cannot make every key collide.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Index of a node in [`Graph`] (not the database id).
pub type NodeIx = u32;
/// Index of an edge in [`Graph`] (not the database id).
pub type EdgeIx = u32;

/// The three kinds the format names, plus everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Actor,
    Organization,
    Event,
    Other,
}

impl EntityKind {
    pub fn from_kind_text(kind: &str) -> Self {
        match kind {
            "actor" => Self::Actor,
            "organization" => Self::Organization,
            "event" => Self::Event,
            _ => Self::Other,
        }
    }
}

/// The whole graph as loaded from one file.
#[derive(Debug, Default)]
pub struct Graph {
    pub symbols: Interner,
    node_db_id: Vec<i64>,
    node_kind: Vec<Symbol>,
    node_names: StringArena,
    node_of_db_id: NodeLookup,
    node_degree: Vec<u32>,
    edge_db_id: Vec<i64>,
    edge_kind: Vec<Symbol>,
    edge_label: Vec<Symbol>,
    edge_excerpt_count: Vec<u32>,
    /// How well the relation's excerpts support it, from their grades
    /// (see [`grades::support`]): what a trace that prefers well-sourced
    /// edges costs each hop by.
    edge_support: Vec<f32>,
    /// How many of each relation's excerpts contradict it (in
    /// `edge_excerpt_count`, but adding nothing to its support); empty
    /// when none does, so a file without stances pays nothing for it.
    edge_contradicting: Vec<u32>,
    /// Signed position of an edge among the edges joining the same two nodes,
    /// so that parallel edges are drawn as distinct curves (0 = straight).
    edge_curve_slot: Vec<f32>,
    topology: DiGraph<(), (), u32>,
}

impl Graph {
    pub fn node_count(&self) -> usize {
        self.node_db_id.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edge_db_id.len()
    }

    pub fn node_db_id(&self, node: NodeIx) -> i64 {
        self.node_db_id[node as usize]
    }

    pub fn node_by_db_id(&self, db_id: i64) -> Option<NodeIx> {
        self.node_of_db_id.get(db_id, self.node_db_id.len())
    }

    pub fn node_name(&self, node: NodeIx) -> &str {
        self.node_names.get(node as usize)
    }

    pub fn node_kind_text(&self, node: NodeIx) -> &str {
        self.symbols.resolve(self.node_kind[node as usize])
    }

    /// The kind as an interned symbol, for tables indexed by kind.
    pub fn node_kind_symbol(&self, node: NodeIx) -> Symbol {
        self.node_kind[node as usize]
    }

    pub fn node_kind(&self, node: NodeIx) -> EntityKind {
        EntityKind::from_kind_text(self.node_kind_text(node))
    }

    /// Number of relations touching the node, self-loops counted twice.
    pub fn degree(&self, node: NodeIx) -> usize {
        self.node_degree
            .get(node as usize)
            .map_or(0, |&degree| degree as usize)
    }

    pub fn edge_db_id(&self, edge: EdgeIx) -> i64 {
        self.edge_db_id[edge as usize]
    }

    /// The edge of relation `db_id`: a scan, for rare lookups (a capture).
    pub fn edge_by_db_id(&self, db_id: i64) -> Option<EdgeIx> {
        self.edge_db_id
            .iter()
            .position(|&id| id == db_id)
            .map(|edge| edge as EdgeIx)
    }

    pub fn edge_endpoints(&self, edge: EdgeIx) -> (NodeIx, NodeIx) {
        // invariant: every edge index below edge_count() exists in the topology.
        let (source, target) = self
            .topology
            .edge_endpoints(EdgeIndex::new(edge as usize))
            .expect("edge index in range");
        (source.index() as NodeIx, target.index() as NodeIx)
    }

    pub fn edge_kind_text(&self, edge: EdgeIx) -> &str {
        self.symbols.resolve(self.edge_kind[edge as usize])
    }

    /// The kind as an interned symbol, for tables indexed by kind.
    pub fn edge_kind_symbol(&self, edge: EdgeIx) -> Symbol {
        self.edge_kind[edge as usize]
    }

    /// The distinct entity kinds (`entities.kind`), sorted.
    pub fn entity_kinds(&self) -> Vec<&str> {
        let mut seen = vec![false; self.symbols.len()];
        for symbol in &self.node_kind {
            if let Some(seen) = seen.get_mut(symbol.index()) {
                *seen = true;
            }
        }
        self.kinds_of(&seen)
    }

    /// The distinct relation kinds (`relations.kind`), sorted.
    pub fn relation_kinds(&self) -> Vec<&str> {
        let mut seen = vec![false; self.symbols.len()];
        for symbol in &self.edge_kind {
            if let Some(seen) = seen.get_mut(symbol.index()) {
                *seen = true;
            }
        }
        self.kinds_of(&seen)
    }

    fn kinds_of(&self, seen: &[bool]) -> Vec<&str> {
        let mut kinds: Vec<&str> = seen
            .iter()
            .enumerate()
            .filter(|(_, seen)| **seen)
            .map(|(index, _)| self.symbols.resolve(Symbol::from_index(index)))
            .collect();
        kinds.sort_unstable();
        kinds
    }

    /// The human phrase, falling back to the machine word.
    pub fn edge_label(&self, edge: EdgeIx) -> &str {
        let label = self.edge_label[edge as usize];
        if label.is_none() {
            self.edge_kind_text(edge)
        } else {
            self.symbols.resolve(label)
        }
    }

    pub fn edge_excerpt_count(&self, edge: EdgeIx) -> u32 {
        self.edge_excerpt_count[edge as usize]
    }

    /// The chance, from its excerpts' grades, that the relation holds (see
    /// [`grades::support`]); 0 when it cites nothing.
    pub fn edge_support(&self, edge: EdgeIx) -> f32 {
        self.edge_support[edge as usize]
    }

    /// A relation that cites no excerpt is shown as unsupported.
    pub fn edge_is_supported(&self, edge: EdgeIx) -> bool {
        self.edge_excerpt_count[edge as usize] > 0
    }

    /// How many of the relation's excerpts speak against it.
    pub fn edge_contradicting_count(&self, edge: EdgeIx) -> u32 {
        self.edge_contradicting
            .get(edge as usize)
            .copied()
            .unwrap_or(0)
    }

    /// The relation cites excerpts and every one of them contradicts it:
    /// drawn as disputed, apart from the unsupported ones that cite none.
    pub fn edge_is_disputed(&self, edge: EdgeIx) -> bool {
        let contradicting = self.edge_contradicting_count(edge);
        contradicting > 0 && contradicting >= self.edge_excerpt_count[edge as usize]
    }

    /// Whether any relation cites an excerpt that contradicts it.
    pub fn has_contradicting(&self) -> bool {
        !self.edge_contradicting.is_empty()
    }

    pub fn edge_curve_slot(&self, edge: EdgeIx) -> f32 {
        self.edge_curve_slot[edge as usize]
    }

    /// Edges as (source, target) pairs, in edge order, for the layout.
    pub fn edge_pairs(&self) -> Vec<(NodeIx, NodeIx)> {
        self.topology
            .raw_edges()
            .iter()
            .map(|edge| {
                (
                    edge.source().index() as NodeIx,
                    edge.target().index() as NodeIx,
                )
            })
            .collect()
    }

    /// Every relation touching `node`, outgoing first, each in edge order.
    pub fn incident_edges(&self, node: NodeIx) -> Vec<EdgeIx> {
        let index = NodeIndex::new(node as usize);
        let mut outgoing: Vec<EdgeIx> = self
            .topology
            .edges_directed(index, petgraph::Direction::Outgoing)
            .map(|edge| edge.id().index() as EdgeIx)
            .collect();
        let mut incoming: Vec<EdgeIx> = self
            .topology
            .edges_directed(index, petgraph::Direction::Incoming)
            .filter(|edge| edge.source() != edge.target())
            .map(|edge| edge.id().index() as EdgeIx)
            .collect();
        outgoing.sort_unstable();
        incoming.sort_unstable();
        outgoing.extend(incoming);
        outgoing
    }

    /// Nodes joined to `node` by any relation, without `node` itself.
    pub fn neighbours(&self, node: NodeIx) -> Vec<NodeIx> {
        let mut neighbours: Vec<NodeIx> = self
            .topology
            .neighbors_undirected(NodeIndex::new(node as usize))
            .map(|other| other.index() as NodeIx)
            .filter(|&other| other != node)
            .collect();
        neighbours.sort_unstable();
        neighbours.dedup();
        neighbours
    }

    /// Approximate bytes held, for the memory-per-relation figure.
    pub fn heap_bytes(&self) -> usize {
        let nodes = self.node_db_id.capacity() * 8
            + self.node_kind.capacity() * 4
            + self.node_names.heap_bytes()
            + self.node_of_db_id.heap_bytes()
            + self.node_degree.capacity() * 4
            + self.topology.node_count() * 8;
        let edges = self.edge_db_id.capacity() * 8
            + self.edge_kind.capacity() * 4
            + self.edge_label.capacity() * 4
            + self.edge_excerpt_count.capacity() * 4
            + self.edge_support.capacity() * 4
            + self.edge_contradicting.capacity() * 4
            + self.edge_curve_slot.capacity() * 4
            + self.topology.edge_count() * 20;
        nodes + edges + self.symbols.heap_bytes()
    }
}

/// Database id → node index. Files usually number entities 1, 2, 3, …, so
/// while ids run on without a gap the lookup is a subtraction; the first
/// gap moves everything into a hash map.
#[derive(Debug)]
enum NodeLookup {
    Dense { first: i64 },
    Map(FastMap<i64, NodeIx>),
}

impl Default for NodeLookup {
    fn default() -> Self {
        Self::Dense { first: 0 }
    }
}

impl NodeLookup {
    /// `count` is the number of nodes added so far.
    fn get(&self, db_id: i64, count: usize) -> Option<NodeIx> {
        match self {
            Self::Dense { first } => {
                let offset = db_id.checked_sub(*first)?;
                (0..count as i64)
                    .contains(&offset)
                    .then_some(offset as NodeIx)
            }
            Self::Map(map) => map.get(&db_id).copied(),
        }
    }

    /// Adds `db_id` as node `node` (= the count so far); false if present.
    fn insert(&mut self, db_id: i64, node: NodeIx) -> bool {
        match self {
            Self::Dense { first } => {
                if node == 0 {
                    *first = db_id;
                    return true;
                }
                if first.checked_add(i64::from(node)) == Some(db_id) {
                    return true;
                }
                let first = *first;
                let map: FastMap<i64, NodeIx> = (0..node)
                    .map(|index| (first + i64::from(index), index))
                    .collect();
                *self = Self::Map(map);
                self.insert(db_id, node)
            }
            // An id already there keeps its node: `insert` would replace
            // it with one that is never added (a fuzzed file's duplicate id
            // then sent its relations past the last node).
            Self::Map(map) => match map.entry(db_id) {
                std::collections::hash_map::Entry::Occupied(_) => false,
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(node);
                    true
                }
            },
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Self::Dense { .. } => 0,
            Self::Map(map) => map.capacity() * 16,
        }
    }
}

/// Why a node or edge could not be added.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BuildError {
    #[error("entity id {0} appears twice")]
    DuplicateEntity(i64),
    #[error("entity {0} does not exist")]
    MissingEntity(i64),
    #[error("relation {0} does not exist")]
    MissingRelation(i64),
}

/// Streams rows into a [`Graph`]; the store uses it while reading a file.
#[derive(Debug)]
pub struct GraphBuilder {
    graph: Graph,
    /// The previous row's symbols, per column (see `intern_with_hint`).
    last_node_kind: Symbol,
    last_edge_kind: Symbol,
    last_edge_label: Symbol,
}

impl Default for GraphBuilder {
    fn default() -> Self {
        Self {
            graph: Graph::default(),
            last_node_kind: Symbol::NONE,
            last_edge_kind: Symbol::NONE,
            last_edge_label: Symbol::NONE,
        }
    }
}

impl GraphBuilder {
    pub fn with_capacity(nodes: usize, edges: usize) -> Self {
        let mut graph = Graph {
            node_db_id: Vec::with_capacity(nodes),
            node_kind: Vec::with_capacity(nodes),
            edge_db_id: Vec::with_capacity(edges),
            edge_kind: Vec::with_capacity(edges),
            edge_label: Vec::with_capacity(edges),
            ..Graph::default()
        };

        graph.topology.reserve_nodes(nodes);
        graph.topology.reserve_edges(edges);
        Self {
            graph,
            ..Self::default()
        }
    }

    pub fn add_entity(&mut self, db_id: i64, kind: &str, name: &str) -> Result<NodeIx, BuildError> {
        let graph = &mut self.graph;
        let node = graph.node_db_id.len() as NodeIx;
        if !graph.node_of_db_id.insert(db_id, node) {
            return Err(BuildError::DuplicateEntity(db_id));
        }
        graph.node_db_id.push(db_id);
        let kind = graph
            .symbols
            .intern_with_hint(kind, &mut self.last_node_kind);
        graph.node_kind.push(kind);
        graph.node_names.push(name);
        graph.topology.add_node(());
        Ok(node)
    }

    pub fn has_entity(&self, db_id: i64) -> bool {
        self.graph
            .node_of_db_id
            .get(db_id, self.graph.node_db_id.len())
            .is_some()
    }

    /// Adds a relation between two entities already added.
    pub fn add_relation(
        &mut self,
        db_id: i64,
        subject_db_id: i64,
        object_db_id: i64,
        kind: &str,
        label: Option<&str>,
    ) -> Result<EdgeIx, BuildError> {
        let graph = &mut self.graph;
        let nodes = graph.node_db_id.len();
        let source = graph
            .node_of_db_id
            .get(subject_db_id, nodes)
            .ok_or(BuildError::MissingEntity(subject_db_id))?;
        let target = graph
            .node_of_db_id
            .get(object_db_id, nodes)
            .ok_or(BuildError::MissingEntity(object_db_id))?;
        let edge = graph.edge_db_id.len() as EdgeIx;
        graph.edge_db_id.push(db_id);
        let kind = graph
            .symbols
            .intern_with_hint(kind, &mut self.last_edge_kind);
        graph.edge_kind.push(kind);
        let label = label.map_or(Symbol::NONE, |label| {
            graph
                .symbols
                .intern_with_hint(label, &mut self.last_edge_label)
        });
        graph.edge_label.push(label);
        graph.topology.add_edge(
            NodeIndex::new(source as usize),
            NodeIndex::new(target as usize),
            (),
        );
        Ok(edge)
    }

    /// Finishes the graph; `excerpt_counts` holds, in edge order, the number
    /// of valid excerpts each relation cites. Their grades are not known, so
    /// each counts as an ungraded excerpt in [`Graph::edge_support`].
    pub fn finish(self, excerpt_counts: Vec<u32>) -> Graph {
        let ungraded = grades::PackedGrades::new(None, None).weight();
        let support = excerpt_counts
            .iter()
            .map(|&count| grades::support((0..count).map(|_| ungraded)))
            .collect();
        self.finish_with_support(excerpt_counts, support)
    }

    /// As [`Self::finish`], with each relation's support from its excerpts'
    /// grades (in edge order; missing ones are 0).
    pub fn finish_with_support(self, excerpt_counts: Vec<u32>, support: Vec<f32>) -> Graph {
        self.finish_with_evidence(excerpt_counts, support, Vec::new())
    }

    /// As [`Self::finish_with_support`], with how many of each relation's
    /// excerpts contradict it (in edge order; missing ones are 0). Each
    /// is counted in `excerpt_counts` too, and adds nothing to `support`.
    pub fn finish_with_evidence(
        mut self,
        mut excerpt_counts: Vec<u32>,
        mut support: Vec<f32>,
        mut contradicting: Vec<u32>,
    ) -> Graph {
        let graph = &mut self.graph;
        let edges = graph.edge_db_id.len();
        excerpt_counts.resize(edges, 0);
        graph.edge_excerpt_count = excerpt_counts;
        support.resize(edges, 0.0);
        graph.edge_support = support;
        if contradicting.iter().any(|&count| count > 0) {
            contradicting.resize(edges, 0);
            contradicting.shrink_to_fit();
            graph.edge_contradicting = contradicting;
        }
        graph.edge_curve_slot = curve_slots(&graph.topology);
        let mut degree = vec![0_u32; graph.node_db_id.len()];
        for edge in graph.topology.raw_edges() {
            degree[edge.source().index()] += 1;
            degree[edge.target().index()] += 1;
        }
        graph.node_degree = degree;
        self.graph
    }
}

/// Spreads the edges that join the same two nodes symmetrically around the
/// straight line: one edge gets 0, two get ±0.5, three get -1, 0, 1, and so
/// on. Slots are signed in the direction lower index → higher index, so an
/// edge drawn the other way round bends to its own side.
fn curve_slots(topology: &DiGraph<(), (), u32>) -> Vec<f32> {
    let edges = topology.raw_edges();
    let ends = |edge: u32| {
        let raw = &edges[edge as usize];
        let (a, b) = (raw.source().index(), raw.target().index());
        (a.min(b), a.max(b))
    };
    // Edges bucketed by their lower end (a counting sort, so edge order holds within a bucket);
    // each bucket is then sorted by the higher end, and runs of equal ends are the edges
    // joining the same two nodes, in edge order. Linear, where one sort of all edges is not.
    let mut bucket_start = vec![0_u32; topology.node_count() + 1];
    for edge in 0..edges.len() as u32 {
        bucket_start[ends(edge).0 + 1] += 1;
    }
    for i in 1..bucket_start.len() {
        bucket_start[i] += bucket_start[i - 1];
    }
    let mut order = vec![0_u32; edges.len()];
    for edge in 0..edges.len() as u32 {
        let low = ends(edge).0;
        order[bucket_start[low] as usize] = edge;
        bucket_start[low] += 1;
    }
    // Each cursor now sits at the start of the next bucket.
    let mut slots = vec![0.0; edges.len()];
    let mut from = 0;
    for &to in &bucket_start[..bucket_start.len() - 1] {
        let bucket = &mut order[from..to as usize];
        from = to as usize;
        if bucket.len() > 1 {
            bucket.sort_unstable_by_key(|&edge| (ends(edge).1, edge));
        }
        for run in bucket.chunk_by(|&a, &b| ends(a).1 == ends(b).1) {
            let (low, high) = ends(run[0]);
            let is_self_loop = low == high;
            if run.len() == 1 && !is_self_loop {
                continue;
            }
            let count = run.len() as f32;
            for (rank, &edge) in run.iter().enumerate() {
                let slot = if is_self_loop {
                    rank as f32
                } else {
                    rank as f32 - (count - 1.0) / 2.0
                };
                let raw = &edges[edge as usize];
                let reversed = raw.source().index() > raw.target().index();
                slots[edge as usize] = if reversed { -slot } else { slot };
            }
        }
    }
    slots
}

#[cfg(test)]
mod tests;
