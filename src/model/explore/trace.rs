//! Trace on a source that is never loaded whole: a breadth-first search
//! from both ends at once, one query per level (the smaller side grows),
//! bounded by hops, by time and by how many entities it may reach. It says
//! which limit stopped it, so "no path" is only said when the search ran
//! out of entities, not of budget. Relations are followed either way.

use std::time::{Duration, Instant};

use super::Explorer;
use crate::model::FastMap;
use crate::model::source::{EntityId, SourceError};

/// How far a trace on the source may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceLimits {
    /// The longest path looked for, in relations.
    pub max_hops: u32,
    /// Time for the whole search; checked between queries.
    pub time: Duration,
    /// Entities the two sides may reach together.
    pub max_reached: usize,
}

impl Default for TraceLimits {
    fn default() -> Self {
        Self {
            max_hops: 4,
            time: Duration::from_secs(5),
            max_reached: 200_000,
        }
    }
}

/// Why a trace ended without a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceEnd {
    /// Every entity joined to one end was reached: there is no path.
    NoPath,
    /// No path of up to `max_hops` relations; a longer one may exist.
    HopLimit,
    /// The time ran out first.
    TimeLimit,
    /// The search reached `max_reached` entities first.
    SizeLimit,
}

/// What a trace on the source found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceTrace {
    /// A shortest path: its entities from start to end, and the relation
    /// taken at each hop.
    Path {
        entities: Vec<EntityId>,
        relations: Vec<i64>,
    },
    Stopped(TraceEnd),
}

/// One side of the search: each entity reached, with the entity and
/// relation it was reached from and its distance from this side's end.
#[derive(Default)]
struct Side {
    reached: FastMap<EntityId, (Option<(EntityId, i64)>, u32)>,
    frontier: Vec<EntityId>,
    depth: u32,
}

impl Side {
    fn new(end: EntityId) -> Self {
        let mut reached = FastMap::default();
        reached.insert(end, (None, 0));
        Self {
            reached,
            frontier: vec![end],
            depth: 0,
        }
    }

    /// The entities and relations from `entity` back to this side's end.
    fn chain(&self, mut entity: EntityId) -> (Vec<EntityId>, Vec<i64>) {
        let mut entities = vec![entity];
        let mut relations = Vec::new();
        while let Some(&(Some((parent, relation)), _)) = self.reached.get(&entity) {
            entities.push(parent);
            relations.push(relation);
            entity = parent;
        }
        (entities, relations)
    }
}

/// The shortest path between `from` and `to` on `source`, following
/// relations either way, within `limits`.
pub fn trace_on_source(
    source: &mut dyn Explorer,
    from: EntityId,
    to: EntityId,
    limits: TraceLimits,
) -> Result<SourceTrace, SourceError> {
    if from == to {
        return Ok(SourceTrace::Path {
            entities: vec![from],
            relations: Vec::new(),
        });
    }
    let started = Instant::now();
    let mut forward = Side::new(from);
    let mut backward = Side::new(to);
    while forward.depth + backward.depth < limits.max_hops {
        if forward.frontier.is_empty() || backward.frontier.is_empty() {
            return Ok(SourceTrace::Stopped(TraceEnd::NoPath));
        }
        if started.elapsed() > limits.time {
            return Ok(SourceTrace::Stopped(TraceEnd::TimeLimit));
        }
        let grow_forward = forward.frontier.len() <= backward.frontier.len();
        let (side, other) = if grow_forward {
            (&mut forward, &backward)
        } else {
            (&mut backward, &forward)
        };
        let room = limits
            .max_reached
            .saturating_sub(side.reached.len() + other.reached.len());
        let (mut touches, cut) = source.relations_touching(&side.frontier, room + 1)?;
        if cut || touches.len() > room {
            return Ok(SourceTrace::Stopped(TraceEnd::SizeLimit));
        }
        // The same answer whatever order the source gave.
        touches.sort_unstable_by_key(|touch| (touch.relation, touch.from, touch.to));
        let depth = side.depth + 1;
        let mut next = Vec::new();
        // The meeting with the shortest total, the lowest relation first.
        let mut best: Option<(u32, EntityId)> = None;
        for touch in touches {
            if side.reached.contains_key(&touch.to) {
                continue;
            }
            side.reached
                .insert(touch.to, (Some((touch.from, touch.relation)), depth));
            next.push(touch.to);
            if let Some(&(_, there)) = other.reached.get(&touch.to) {
                let total = depth + there;
                if best.is_none_or(|(shortest, _)| total < shortest) {
                    best = Some((total, touch.to));
                }
            }
        }
        side.frontier = next;
        side.depth = depth;
        if let Some((_, meeting)) = best {
            let (mut entities, mut relations) = forward.chain(meeting);
            entities.reverse();
            relations.reverse();
            let (rest, rest_relations) = backward.chain(meeting);
            entities.extend(rest.into_iter().skip(1));
            relations.extend(rest_relations);
            return Ok(SourceTrace::Path {
                entities,
                relations,
            });
        }
    }
    Ok(SourceTrace::Stopped(
        if forward.frontier.is_empty() || backward.frontier.is_empty() {
            TraceEnd::NoPath
        } else {
            TraceEnd::HopLimit
        },
    ))
}
