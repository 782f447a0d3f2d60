//! Neighbourhood queries behind a trait, so that focus and expand work the
//! same whether the graph is in memory or in a database that is never
//! loaded whole (a `PostgreSQL` source is planned). Queries speak database
//! ids, the one identity both kinds of source share; an in-memory answer is
//! mapped back to indices by the caller.

use std::collections::VecDeque;

use super::{Graph, NodeIx};

/// An entity's id in its source (the `entities.id` column).
pub type EntityId = i64;

/// Which relations a neighbourhood follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    /// Subject to object.
    Outgoing,
    /// Object to subject.
    Incoming,
    /// Either way (what focus and expand use).
    #[default]
    Both,
}

/// Why a source could not answer.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SourceError {
    #[error("entity {0} is not in the graph")]
    UnknownEntity(EntityId),
    /// A remote source's failure, in its own words.
    #[error("the graph source could not answer: {0}")]
    Backend(String),
    /// The connection to a server was lost and could not be opened again;
    /// the next question tries again.
    #[error("{0}")]
    ConnectionLost(String),
    /// The user cancelled the question.
    #[error("cancelled")]
    Cancelled,
    /// The source cannot do this (a graph file keeps no saved views), or
    /// may not (the role lacks a right): said in full, for the window.
    #[error("{0}")]
    Unsupported(String),
}

/// The neighbourhood queries focus and expand need. A database-backed
/// source answers each with one or a few queries (a recursive CTE for
/// `neighbourhood`) and never loads the whole graph.
pub trait GraphSource {
    /// The entities joined to `entity` by one relation in `direction`,
    /// without `entity` itself, ascending.
    fn neighbours(
        &self,
        entity: EntityId,
        direction: Direction,
    ) -> Result<Vec<EntityId>, SourceError>;

    /// The entities within `hops` relations of any of `seeds` (the seeds
    /// included), ascending. Unknown seeds are an error.
    fn neighbourhood(
        &self,
        seeds: &[EntityId],
        hops: u8,
        direction: Direction,
    ) -> Result<Vec<EntityId>, SourceError>;
}

impl Graph {
    /// The nodes joined to `node` in `direction`, ascending, without `node`.
    pub fn neighbours_directed(&self, node: NodeIx, direction: Direction) -> Vec<NodeIx> {
        if direction == Direction::Both {
            return self.neighbours(node);
        }
        let mut found: Vec<NodeIx> = self
            .incident_edges(node)
            .into_iter()
            .filter_map(|edge| {
                let (source, target) = self.edge_endpoints(edge);
                match direction {
                    Direction::Outgoing if source == node => Some(target),
                    Direction::Incoming if target == node => Some(source),
                    _ => None,
                }
            })
            .filter(|&other| other != node)
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Marks the nodes within `hops` of `seeds` in `members` (one flag per
    /// node; already-marked nodes count as reached and are not expanded
    /// again). A breadth-first search that touches only what it reaches.
    pub fn mark_neighbourhood(
        &self,
        seeds: &[NodeIx],
        hops: u8,
        direction: Direction,
        members: &mut [bool],
    ) {
        let mut frontier: VecDeque<(NodeIx, u8)> = VecDeque::new();
        for &seed in seeds {
            if let Some(slot) = members.get_mut(seed as usize)
                && !*slot
            {
                *slot = true;
                frontier.push_back((seed, 0));
            }
        }
        while let Some((node, depth)) = frontier.pop_front() {
            if depth >= hops {
                continue;
            }
            for other in self.neighbours_directed(node, direction) {
                let slot = &mut members[other as usize];
                if !*slot {
                    *slot = true;
                    frontier.push_back((other, depth + 1));
                }
            }
        }
    }
}

impl GraphSource for Graph {
    fn neighbours(
        &self,
        entity: EntityId,
        direction: Direction,
    ) -> Result<Vec<EntityId>, SourceError> {
        let node = self
            .node_by_db_id(entity)
            .ok_or(SourceError::UnknownEntity(entity))?;
        let mut ids: Vec<EntityId> = self
            .neighbours_directed(node, direction)
            .into_iter()
            .map(|other| self.node_db_id(other))
            .collect();
        ids.sort_unstable();
        Ok(ids)
    }

    fn neighbourhood(
        &self,
        seeds: &[EntityId],
        hops: u8,
        direction: Direction,
    ) -> Result<Vec<EntityId>, SourceError> {
        let seeds = seeds
            .iter()
            .map(|&id| self.node_by_db_id(id).ok_or(SourceError::UnknownEntity(id)))
            .collect::<Result<Vec<NodeIx>, _>>()?;
        let mut members = vec![false; self.node_count()];
        self.mark_neighbourhood(&seeds, hops, direction, &mut members);
        let mut ids: Vec<EntityId> = members
            .iter()
            .enumerate()
            .filter(|(_, member)| **member)
            .map(|(node, _)| self.node_db_id(node as NodeIx))
            .collect();
        ids.sort_unstable();
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GraphBuilder;

    /// 1 → 2 → 3 → 4, and 5 → 2.
    fn chain() -> Graph {
        let mut builder = GraphBuilder::default();
        for id in 1..=5 {
            builder.add_entity(id, "actor", &format!("n{id}")).unwrap();
        }
        for (id, (from, to)) in [(1, 2), (2, 3), (3, 4), (5, 2)].into_iter().enumerate() {
            builder
                .add_relation(id as i64 + 100, from, to, "next", None)
                .unwrap();
        }
        builder.finish(Vec::new())
    }

    #[test]
    fn neighbourhoods_grow_by_hops_in_the_asked_direction() {
        let graph = chain();
        let source: &dyn GraphSource = &graph;
        assert_eq!(source.neighbours(2, Direction::Both).unwrap(), [1, 3, 5]);
        assert_eq!(source.neighbours(2, Direction::Outgoing).unwrap(), [3]);
        assert_eq!(source.neighbours(2, Direction::Incoming).unwrap(), [1, 5]);
        assert_eq!(source.neighbourhood(&[1], 0, Direction::Both).unwrap(), [1]);
        assert_eq!(
            source.neighbourhood(&[1], 2, Direction::Both).unwrap(),
            [1, 2, 3, 5]
        );
        assert_eq!(
            source.neighbourhood(&[1], 3, Direction::Outgoing).unwrap(),
            [1, 2, 3, 4]
        );
        assert_eq!(
            source.neighbourhood(&[4, 5], 1, Direction::Both).unwrap(),
            [2, 3, 4, 5]
        );
        assert_eq!(
            source.neighbourhood(&[9], 1, Direction::Both),
            Err(SourceError::UnknownEntity(9))
        );
    }
}
