//! A neighbourhood of the graph as a graph of its own: for pictures that
//! focus on one entity (`linkscope render --focus`).

use std::collections::VecDeque;

use super::{EdgeIx, Graph, GraphBuilder, NodeIx};

impl Graph {
    /// The nodes within `hops` relations of `center`, in either direction,
    /// in index order (`center` included).
    pub fn neighbourhood(&self, center: NodeIx, hops: usize) -> Vec<NodeIx> {
        let mut distance = vec![usize::MAX; self.node_count()];
        let Some(start) = distance.get_mut(center as usize) else {
            return Vec::new();
        };
        *start = 0;
        let mut queue = VecDeque::from([center]);
        while let Some(node) = queue.pop_front() {
            let next = distance[node as usize] + 1;
            if next > hops {
                continue;
            }
            for neighbour in self.neighbours(node) {
                if distance[neighbour as usize] == usize::MAX {
                    distance[neighbour as usize] = next;
                    queue.push_back(neighbour);
                }
            }
        }
        (0..self.node_count() as NodeIx)
            .filter(|&node| distance[node as usize] != usize::MAX)
            .collect()
    }

    /// The graph made of `nodes` (ascending indices) and the relations
    /// between them, with the same database ids, kinds, names, labels and
    /// evidence counts; and for each new edge, its index here.
    pub fn subgraph(&self, nodes: &[NodeIx]) -> (Graph, Vec<EdgeIx>) {
        let mut keep = vec![false; self.node_count()];
        for &node in nodes {
            if let Some(slot) = keep.get_mut(node as usize) {
                *slot = true;
            }
        }
        let edges: Vec<EdgeIx> = (0..self.edge_count() as EdgeIx)
            .filter(|&edge| {
                let (source, target) = self.edge_endpoints(edge);
                keep[source as usize] && keep[target as usize]
            })
            .collect();
        let mut builder = GraphBuilder::with_capacity(nodes.len(), edges.len());
        for &node in nodes {
            // Ids are unique in `self`, so they are unique here.
            let _ = builder.add_entity(
                self.node_db_id(node),
                self.node_kind_text(node),
                self.node_name(node),
            );
        }
        for &edge in &edges {
            let (source, target) = self.edge_endpoints(edge);
            let _ = builder.add_relation(
                self.edge_db_id(edge),
                self.node_db_id(source),
                self.node_db_id(target),
                self.edge_kind_text(edge),
                Some(self.edge_label(edge)),
            );
        }
        let counts = edges
            .iter()
            .map(|&edge| self.edge_excerpt_count(edge))
            .collect();
        let support = edges.iter().map(|&edge| self.edge_support(edge)).collect();
        let contradicting = if self.has_contradicting() {
            edges
                .iter()
                .map(|&edge| self.edge_contradicting_count(edge))
                .collect()
        } else {
            Vec::new()
        };
        (
            builder.finish_with_evidence(counts, support, contradicting),
            edges,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_graph() -> Graph {
        let mut builder = GraphBuilder::with_capacity(5, 4);
        for id in 1..=5 {
            builder.add_entity(id, "actor", &format!("n{id}")).unwrap();
        }
        for id in 1..=4 {
            builder
                .add_relation(100 + id, id, id + 1, "next", None)
                .unwrap();
        }
        builder.finish(vec![1, 0, 2, 0])
    }

    #[test]
    fn neighbourhoods_follow_relations_both_ways() {
        let graph = path_graph();
        let middle = graph.node_by_db_id(3).unwrap();
        assert_eq!(graph.neighbourhood(middle, 0), vec![middle]);
        let one: Vec<i64> = graph
            .neighbourhood(middle, 1)
            .into_iter()
            .map(|node| graph.node_db_id(node))
            .collect();
        assert_eq!(one, vec![2, 3, 4]);
        assert_eq!(graph.neighbourhood(middle, 2).len(), 5);
    }

    #[test]
    fn a_subgraph_keeps_ids_names_and_evidence() {
        let graph = path_graph();
        let nodes = graph.neighbourhood(graph.node_by_db_id(3).unwrap(), 1);
        let (sub, edges) = graph.subgraph(&nodes);
        assert_eq!(sub.node_count(), 3);
        assert_eq!(sub.edge_count(), 2);
        assert_eq!(edges.len(), 2);
        let ids: Vec<i64> = (0..2).map(|edge| sub.edge_db_id(edge)).collect();
        assert_eq!(ids, vec![102, 103]);
        assert_eq!(sub.edge_excerpt_count(0), 0);
        assert_eq!(sub.edge_excerpt_count(1), 2);
        assert_eq!(sub.node_name(sub.node_by_db_id(4).unwrap()), "n4");
    }
}
