//! A graph that grows in place: an explored scene, read again from its
//! source with more in it, keeps every node and edge it had under the same
//! index, and the newcomers follow. What names indices (the selection,
//! pins, hidden items, the focus, the undo history, positions) then holds
//! across a growth without translation.

use std::collections::HashMap;

use super::{BuildError, EdgeIx, Graph, GraphBuilder, NodeIx, Symbol};

/// Where a growth's newcomers start: the indices below these were there
/// before.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Growth {
    pub first_new_node: NodeIx,
    pub first_new_edge: EdgeIx,
}

impl Graph {
    /// `after` (the same source read again) in `self`'s order: `self`'s
    /// nodes and edges first, under their indices, with `after`'s
    /// attributes where it has them (its evidence counts are the newer),
    /// then what only `after` has, in its order. Nodes and edges that
    /// `after` lacks are kept, so an index never changes meaning.
    pub fn grown_by(&self, after: &Self) -> Result<(Self, Growth), BuildError> {
        let after_edges: HashMap<i64, EdgeIx> = (0..after.edge_count() as EdgeIx)
            .map(|edge| (after.edge_db_id(edge), edge))
            .collect();
        let mut builder = GraphBuilder::with_capacity(
            self.node_count().max(after.node_count()),
            self.edge_count().max(after.edge_count()),
        );
        let add_node = |builder: &mut GraphBuilder, graph: &Self, node: NodeIx| {
            builder.add_entity(
                graph.node_db_id(node),
                graph.node_kind_text(node),
                graph.node_name(node),
            )
        };
        for node in 0..self.node_count() as NodeIx {
            match after.node_by_db_id(self.node_db_id(node)) {
                Some(later) => add_node(&mut builder, after, later)?,
                None => add_node(&mut builder, self, node)?,
            };
        }
        for node in 0..after.node_count() as NodeIx {
            if !builder.has_entity(after.node_db_id(node)) {
                add_node(&mut builder, after, node)?;
            }
        }
        let mut excerpt_counts = Vec::with_capacity(self.edge_count().max(after.edge_count()));
        let mut support = Vec::with_capacity(excerpt_counts.capacity());
        let mut contradicting = Vec::new();
        let any_contradicting = self.has_contradicting() || after.has_contradicting();
        let mut add_edge = |builder: &mut GraphBuilder, graph: &Self, edge: EdgeIx| {
            let (source, target) = graph.edge_endpoints(edge);
            let label = graph.edge_label[edge as usize];
            builder.add_relation(
                graph.edge_db_id(edge),
                graph.node_db_id(source),
                graph.node_db_id(target),
                graph.edge_kind_text(edge),
                (label != Symbol::NONE).then(|| graph.symbols.resolve(label)),
            )?;
            excerpt_counts.push(graph.edge_excerpt_count(edge));
            support.push(graph.edge_support(edge));
            if any_contradicting {
                contradicting.push(graph.edge_contradicting_count(edge));
            }
            Ok::<(), BuildError>(())
        };
        let mut kept = std::collections::HashSet::with_capacity(self.edge_count());
        for edge in 0..self.edge_count() as EdgeIx {
            let db_id = self.edge_db_id(edge);
            kept.insert(db_id);
            match after_edges.get(&db_id) {
                Some(&later) => add_edge(&mut builder, after, later)?,
                None => add_edge(&mut builder, self, edge)?,
            }
        }
        for edge in 0..after.edge_count() as EdgeIx {
            if !kept.contains(&after.edge_db_id(edge)) {
                add_edge(&mut builder, after, edge)?;
            }
        }
        let growth = Growth {
            first_new_node: self.node_count() as NodeIx,
            first_new_edge: self.edge_count() as EdgeIx,
        };
        Ok((
            builder.finish_with_evidence(excerpt_counts, support, contradicting),
            growth,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A graph as the loader builds one from rows: (id, name) entities in
    /// id order, then (id, subject, object, excerpts) relations.
    fn graph(entities: &[(i64, &str)], relations: &[(i64, i64, i64, u32)]) -> Graph {
        let mut builder = GraphBuilder::default();
        for &(id, name) in entities {
            builder.add_entity(id, "actor", name).unwrap();
        }
        let mut counts = Vec::new();
        for &(id, subject, object, excerpts) in relations {
            builder
                .add_relation(id, subject, object, "knows", Some("knows"))
                .unwrap();
            counts.push(excerpts);
        }
        builder.finish(counts)
    }

    fn edges_by_id(graph: &Graph) -> Vec<(i64, i64, i64, u32)> {
        let mut edges: Vec<_> = (0..graph.edge_count() as EdgeIx)
            .map(|edge| {
                let (source, target) = graph.edge_endpoints(edge);
                (
                    graph.edge_db_id(edge),
                    graph.node_db_id(source),
                    graph.node_db_id(target),
                    graph.edge_excerpt_count(edge),
                )
            })
            .collect();
        edges.sort_unstable();
        edges
    }

    #[test]
    fn a_growth_keeps_every_index_and_ends_equal_to_the_graph_read_again() {
        // The hub has a high id: read again in id order, the newcomers
        // (lower ids) come before it, so the loader alone would move it.
        let before = graph(
            &[(1, "Shell 1"), (2, "Shell 2"), (90, "Hub")],
            &[(10, 90, 1, 1), (11, 90, 2, 0)],
        );
        let after = graph(
            &[(1, "Shell 1"), (2, "Shell 2"), (3, "Shell 3"), (90, "Hub")],
            &[
                (10, 90, 1, 1),
                (11, 90, 2, 2),
                (12, 90, 3, 1),
                (13, 1, 2, 0),
            ],
        );
        let (grown, growth) = before.grown_by(&after).unwrap();
        assert_eq!(
            growth,
            Growth {
                first_new_node: 3,
                first_new_edge: 2
            }
        );
        for node in 0..before.node_count() as NodeIx {
            assert_eq!(grown.node_db_id(node), before.node_db_id(node));
            assert_eq!(grown.node_name(node), before.node_name(node));
        }
        for edge in 0..before.edge_count() as EdgeIx {
            assert_eq!(grown.edge_db_id(edge), before.edge_db_id(edge));
        }
        assert_eq!(grown.node_db_id(3), 3, "the newcomer follows");
        // As a set, the grown graph is the graph read again, with its
        // newer evidence counts and degrees.
        assert_eq!(edges_by_id(&grown), edges_by_id(&after));
        for node in 0..grown.node_count() as NodeIx {
            let later = after.node_by_db_id(grown.node_db_id(node)).unwrap();
            assert_eq!(grown.degree(node), after.degree(later));
        }
        assert_eq!(grown.edge_label(2), "knows");
    }

    #[test]
    fn what_the_source_no_longer_has_is_kept() {
        let before = graph(&[(1, "A"), (2, "B")], &[(5, 1, 2, 1)]);
        let after = graph(&[(1, "A"), (3, "C")], &[(6, 1, 3, 0)]);
        let (grown, _) = before.grown_by(&after).unwrap();
        assert_eq!(grown.node_count(), 3);
        assert_eq!(grown.node_db_id(1), 2);
        assert_eq!(grown.edge_db_id(0), 5);
        assert_eq!(grown.edge_db_id(1), 6);
    }
}
