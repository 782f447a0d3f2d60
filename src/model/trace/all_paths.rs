//! Every simple path between two entities up to a number of hops, shortest
//! first, capped: a hub can join two names by millions of routes, and an
//! analyst reads the first few dozen.

use super::{Direction, TraceIndex, TracePath};
use crate::model::{Graph, NodeIx};

/// The longest paths listed: beyond six hops everything connects to
/// everything ("six degrees"), and the list says nothing.
pub const MAX_PATH_HOPS: usize = 6;
/// The most paths listed.
pub const MAX_PATHS: usize = 100;
/// Steps of the search before it gives up on finding more, so a dense graph
/// cannot keep a trace running: a few tens of milliseconds.
const MAX_STEPS: u64 = 5_000_000;

/// Paths found, and whether the list was cut short.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AllPaths {
    /// By hops, then by evidence cost (best sourced first), then by nodes.
    pub paths: Vec<TracePath>,
    /// True when there may be more paths than listed: the cap was reached,
    /// or the search ran out of steps.
    pub truncated: bool,
}

/// The simple paths (no entity twice) from `from` to `to` of at most
/// `max_hops` hops (clamped to [`MAX_PATH_HOPS`]), at most `cap` of them
/// (clamped to [`MAX_PATHS`]). Paths are sequences of entities; each hop
/// takes its best-supported relation, so parallel relations do not
/// multiply the list.
///
/// A search backwards from `to` first gives every node's distance to it;
/// the search forwards then only steps onto a node from which `to` is still
/// reachable in the hops left, so nearly every step leads to a path.
pub fn all_paths(
    index: &TraceIndex,
    graph: &Graph,
    from: NodeIx,
    to: NodeIx,
    max_hops: usize,
    direction: Direction,
    cap: usize,
) -> AllPaths {
    let nodes = index.node_count();
    let max_hops = max_hops.min(MAX_PATH_HOPS);
    let cap = cap.min(MAX_PATHS);
    let mut found = AllPaths::default();
    if from as usize >= nodes || to as usize >= nodes || from == to || cap == 0 {
        return found;
    }
    let to_target = distances_to(index, to, max_hops, direction);
    let mut search = Search {
        index,
        direction,
        to,
        to_target: &to_target,
        on_path: vec![false; nodes],
        seen_stamp: vec![0; nodes],
        stamp: 0,
        steps: 0,
        route: vec![from],
    };
    search.on_path[from as usize] = true;
    for hops in 1..=max_hops {
        if to_target[from as usize] as usize > hops {
            continue;
        }
        let mut routes = Vec::new();
        let complete = search.extend(hops, cap - found.paths.len(), &mut routes);
        let mut paths: Vec<(f32, TracePath)> = routes
            .into_iter()
            .filter_map(|route| index.path_through(route, direction))
            .map(|path| (path.evidence_cost(graph), path))
            .collect();
        paths.sort_by(|(a, path_a), (b, path_b)| {
            a.total_cmp(b).then_with(|| path_a.nodes.cmp(&path_b.nodes))
        });
        found.paths.extend(paths.into_iter().map(|(_, path)| path));
        if !complete {
            found.truncated = true;
            break;
        }
    }
    found
}

/// Hops from every node to `target` along the allowed direction, up to
/// `max_hops`; `u32::MAX` beyond.
fn distances_to(
    index: &TraceIndex,
    target: NodeIx,
    max_hops: usize,
    direction: Direction,
) -> Vec<u32> {
    let mut distance = vec![u32::MAX; index.node_count()];
    distance[target as usize] = 0;
    let mut frontier = vec![target];
    let mut next = Vec::new();
    for depth in 1..=max_hops as u32 {
        next.clear();
        for &node in &frontier {
            for (neighbour, _) in index.steps(node, direction, false) {
                if distance[neighbour as usize] == u32::MAX {
                    distance[neighbour as usize] = depth;
                    next.push(neighbour);
                }
            }
        }
        std::mem::swap(&mut frontier, &mut next);
    }
    distance
}

struct Search<'a> {
    index: &'a TraceIndex,
    direction: Direction,
    to: NodeIx,
    to_target: &'a [u32],
    on_path: Vec<bool>,
    /// `seen_stamp[n] == stamp` when `n` was already stepped onto from the
    /// node being expanded (parallel relations, or both directions).
    seen_stamp: Vec<u32>,
    stamp: u32,
    steps: u64,
    /// The route so far, from the source.
    route: Vec<NodeIx>,
}

impl Search<'_> {
    /// Adds to `routes` the routes that extend the current one to `to` in
    /// exactly `hops` hops, at most `room` of them; false when it stopped
    /// early (room or steps ran out).
    fn extend(&mut self, hops: usize, room: usize, routes: &mut Vec<Vec<NodeIx>>) -> bool {
        // invariant: the route always holds at least its source.
        let node = *self.route.last().expect("a route has a source");
        let left = hops - (self.route.len() - 1);
        self.stamp = self.stamp.wrapping_add(1);
        let stamp = self.stamp;
        let neighbours: Vec<NodeIx> = self
            .index
            .steps(node, self.direction, true)
            .map(|(neighbour, _)| neighbour)
            .filter(|&neighbour| {
                let slot = neighbour as usize;
                let fresh = self.seen_stamp[slot] != stamp;
                self.seen_stamp[slot] = stamp;
                fresh
                    && !self.on_path[slot]
                    && (self.to_target[slot] as usize) < left
                    && (neighbour != self.to || left == 1)
            })
            .collect();
        for neighbour in neighbours {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                return false;
            }
            if left == 1 {
                let mut route = self.route.clone();
                route.push(neighbour);
                routes.push(route);
                if routes.len() >= room {
                    return false;
                }
                continue;
            }
            self.on_path[neighbour as usize] = true;
            self.route.push(neighbour);
            let complete = self.extend(hops, room, routes);
            self.route.pop();
            self.on_path[neighbour as usize] = false;
            if !complete {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::graph_of;
    use super::*;

    #[test]
    fn lists_every_simple_path_shortest_first_and_says_when_capped() {
        // A square 1–2–4, 1–3–4 with a chord 2–3, and a parallel 1 → 2.
        let graph = graph_of(
            4,
            &[
                (1, 1, 2, 0),
                (2, 1, 3, 1),
                (3, 2, 4, 1),
                (4, 3, 4, 1),
                (5, 2, 3, 1),
                (6, 1, 2, 2),
            ],
        );
        let index = TraceIndex::build(&graph);
        let ids = |found: &AllPaths| -> Vec<Vec<i64>> {
            found
                .paths
                .iter()
                .map(|path| path.nodes.iter().map(|&n| graph.node_db_id(n)).collect())
                .collect()
        };
        let all = all_paths(&index, &graph, 0, 3, 6, Direction::Follow, 100);
        assert!(!all.truncated);
        // 1→2→4 uses the better-supported parallel relation (id 6, index 5).
        assert_eq!(
            ids(&all),
            vec![vec![1, 2, 4], vec![1, 3, 4], vec![1, 2, 3, 4]]
        );
        assert_eq!(all.paths[0].edges, vec![5, 2]);
        let ignore = all_paths(&index, &graph, 0, 3, 6, Direction::Ignore, 100);
        // Ignoring direction adds 1–3–2–4.
        assert_eq!(ignore.paths.len(), 4);
        let two = all_paths(&index, &graph, 0, 3, 2, Direction::Follow, 100);
        assert_eq!(two.paths.len(), 2);
        let capped = all_paths(&index, &graph, 0, 3, 6, Direction::Follow, 1);
        assert!(capped.truncated);
        assert_eq!(capped.paths.len(), 1);
        assert!(
            all_paths(&index, &graph, 3, 0, 6, Direction::Follow, 100)
                .paths
                .is_empty()
        );
    }
}
