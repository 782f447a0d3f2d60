//! The shortest path between two entities, searched from both ends at once:
//! each side explores about the square root of what a one-sided search
//! would on a small-world graph, and when the two ends are in different
//! components the smaller one runs dry first.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{Direction, TraceIndex, TraceOptions, TracePath};
use crate::model::NodeIx;

const UNSEEN: u32 = u32::MAX;

/// The fewest-hops path (or, with `prefer_evidence`, the cheapest by
/// [`crate::model::grades::hop_cost`]) from `from` to `to`; None when there
/// is none or a node is out of range.
pub fn shortest_path(
    index: &TraceIndex,
    from: NodeIx,
    to: NodeIx,
    options: TraceOptions,
) -> Option<TracePath> {
    let nodes = index.node_count();
    if from as usize >= nodes || to as usize >= nodes {
        return None;
    }
    if from == to {
        return Some(TracePath {
            nodes: vec![from],
            edges: Vec::new(),
        });
    }
    let route = if options.prefer_evidence {
        cheapest(index, from, to, options.direction)
    } else {
        fewest_hops(index, from, to, options.direction)
    }?;
    index.path_through(route, options.direction)
}

/// One side of a two-sided search: how far each node is from this side's
/// end, and the node it was reached from.
struct Side<D> {
    distance: Vec<D>,
    parent: Vec<NodeIx>,
}

impl<D: Copy> Side<D> {
    fn new(nodes: usize, start: NodeIx, unseen: D, zero: D) -> Self {
        let mut side = Self {
            distance: vec![unseen; nodes],
            parent: vec![UNSEEN; nodes],
        };
        side.distance[start as usize] = zero;
        side.parent[start as usize] = start;
        side
    }

    /// The nodes from this side's end to `node`, in that order.
    fn chain_to(&self, node: NodeIx) -> Vec<NodeIx> {
        let mut chain = vec![node];
        let mut at = node;
        while self.parent[at as usize] != at {
            at = self.parent[at as usize];
            chain.push(at);
        }
        chain.reverse();
        chain
    }
}

/// Joins the two half-routes at `meet`: source … meet … target.
fn join<D: Copy>(forward: &Side<D>, backward: &Side<D>, meet: NodeIx) -> Vec<NodeIx> {
    let mut route = forward.chain_to(meet);
    let mut back = backward.chain_to(meet);
    back.pop();
    route.extend(back.into_iter().rev());
    route
}

/// Breadth-first from both ends, a whole level at a time, always on the
/// smaller frontier. The first level that meets the other side holds the
/// shortest route; of its meetings, the one nearest the other end wins
/// (then the lowest node index, so the answer is the same every time).
fn fewest_hops(
    index: &TraceIndex,
    from: NodeIx,
    to: NodeIx,
    direction: Direction,
) -> Option<Vec<NodeIx>> {
    let nodes = index.node_count();
    let mut forward = Side::new(nodes, from, UNSEEN, 0);
    let mut backward = Side::new(nodes, to, UNSEEN, 0);
    let mut forward_frontier = vec![from];
    let mut backward_frontier = vec![to];
    let mut next = Vec::new();
    while !forward_frontier.is_empty() && !backward_frontier.is_empty() {
        let forwards = forward_frontier.len() <= backward_frontier.len();
        let (this, other, frontier) = if forwards {
            (&mut forward, &backward, &mut forward_frontier)
        } else {
            (&mut backward, &forward, &mut backward_frontier)
        };
        let mut meet: Option<(u32, NodeIx)> = None;
        next.clear();
        for &node in frontier.iter() {
            let depth = this.distance[node as usize] + 1;
            for (neighbour, _) in index.steps(node, direction, forwards) {
                let slot = neighbour as usize;
                if this.distance[slot] == UNSEEN {
                    this.distance[slot] = depth;
                    this.parent[slot] = node;
                    next.push(neighbour);
                }
                if other.distance[slot] != UNSEEN {
                    let total = this.distance[slot] + other.distance[slot];
                    if meet.is_none_or(|best| (total, neighbour) < best) {
                        meet = Some((total, neighbour));
                    }
                }
            }
        }
        if let Some((_, node)) = meet {
            return Some(join(&forward, &backward, node));
        }
        std::mem::swap(frontier, &mut next);
    }
    None
}

/// Dijkstra from both ends, each step on the side whose next node is
/// nearer; it stops once the two nearest unsettled nodes together are no
/// nearer than the best meeting found, which is then the cheapest route.
fn cheapest(
    index: &TraceIndex,
    from: NodeIx,
    to: NodeIx,
    direction: Direction,
) -> Option<Vec<NodeIx>> {
    let nodes = index.node_count();
    let mut forward = Side::new(nodes, from, f32::INFINITY, 0.0);
    let mut backward = Side::new(nodes, to, f32::INFINITY, 0.0);
    // Costs are never negative, so their bit patterns sort as the numbers do.
    let mut forward_heap = BinaryHeap::from([Reverse((0_u32, from))]);
    let mut backward_heap = BinaryHeap::from([Reverse((0_u32, to))]);
    let top = |heap: &BinaryHeap<Reverse<(u32, NodeIx)>>| {
        heap.peek()
            .map_or(f32::INFINITY, |Reverse((bits, _))| f32::from_bits(*bits))
    };
    let mut best = f32::INFINITY;
    let mut meet = None;
    loop {
        let (forward_top, backward_top) = (top(&forward_heap), top(&backward_heap));
        if forward_top + backward_top >= best || forward_top.min(backward_top).is_infinite() {
            break;
        }
        let forwards = forward_top <= backward_top;
        let (this, other, heap) = if forwards {
            (&mut forward, &backward, &mut forward_heap)
        } else {
            (&mut backward, &forward, &mut backward_heap)
        };
        let Some(Reverse((bits, node))) = heap.pop() else {
            break;
        };
        let distance = f32::from_bits(bits);
        if distance > this.distance[node as usize] {
            continue;
        }
        for (neighbour, edge) in index.steps(node, direction, forwards) {
            let slot = neighbour as usize;
            let through = distance + index.cost(edge);
            if through < this.distance[slot] {
                this.distance[slot] = through;
                this.parent[slot] = node;
                heap.push(Reverse((through.to_bits(), neighbour)));
            }
            let total = this.distance[slot] + other.distance[slot];
            if total < best {
                best = total;
                meet = Some(neighbour);
            }
        }
        // A side that runs dry without meeting the other proves there is
        // no route; the loop's test sees its empty heap as infinitely far.
        if heap.is_empty() && meet.is_none() {
            return None;
        }
    }
    meet.map(|node| join(&forward, &backward, node))
}

#[cfg(test)]
mod tests {
    use super::super::tests::graph_of;
    use super::*;

    fn names(graph: &crate::model::Graph, path: &TracePath) -> Vec<i64> {
        path.nodes
            .iter()
            .map(|&node| graph.node_db_id(node))
            .collect()
    }

    #[test]
    fn fewest_hops_follows_or_ignores_direction() {
        // 1 → 2 → 3 → 4, and 5 → 1, 5 → 4 (so 1 … 4 is 2 hops ignoring direction).
        let graph = graph_of(
            5,
            &[
                (1, 1, 2, 1),
                (2, 2, 3, 1),
                (3, 3, 4, 1),
                (4, 5, 1, 1),
                (5, 5, 4, 1),
            ],
        );
        let index = TraceIndex::build(&graph);
        let follow = TraceOptions {
            direction: Direction::Follow,
            prefer_evidence: false,
        };
        let ignore = TraceOptions::default();
        let path = shortest_path(&index, 0, 3, follow).unwrap();
        assert_eq!(names(&graph, &path), vec![1, 2, 3, 4]);
        assert_eq!(path.edges, vec![0, 1, 2]);
        let path = shortest_path(&index, 0, 3, ignore).unwrap();
        assert_eq!(names(&graph, &path), vec![1, 5, 4]);
        assert_eq!(path.edges, vec![3, 4]);
        assert_eq!(shortest_path(&index, 3, 0, follow), None, "no way back");
        assert_eq!(shortest_path(&index, 2, 2, follow).unwrap().hops(), 0);
        assert_eq!(shortest_path(&index, 0, 9, ignore), None, "out of range");
    }

    #[test]
    fn preferring_evidence_takes_the_longer_well_sourced_route() {
        // 1 – 2 directly by an unsupported relation, or 1 – 3 – 4 – 2 by
        // relations with three excerpts each.
        let graph = graph_of(4, &[(1, 1, 2, 0), (2, 1, 3, 3), (3, 3, 4, 3), (4, 4, 2, 3)]);
        let index = TraceIndex::build(&graph);
        let hops = shortest_path(&index, 0, 1, TraceOptions::default()).unwrap();
        assert_eq!(names(&graph, &hops), vec![1, 2]);
        let sourced = TraceOptions {
            prefer_evidence: true,
            ..TraceOptions::default()
        };
        let path = shortest_path(&index, 0, 1, sourced).unwrap();
        assert_eq!(names(&graph, &path), vec![1, 3, 4, 2]);
        assert!(path.evidence_cost(&graph) < hops.evidence_cost(&graph));
        // Three ungraded excerpts: support 1 − 0.75³ each.
        let support = 1.0 - 0.75_f32.powi(3);
        assert!((path.support(&graph) - support.powi(3)).abs() < 1e-5);
    }

    #[test]
    fn separate_components_have_no_path_either_way() {
        let graph = graph_of(4, &[(1, 1, 2, 1), (2, 3, 4, 1)]);
        let index = TraceIndex::build(&graph);
        for prefer_evidence in [false, true] {
            let options = TraceOptions {
                prefer_evidence,
                ..TraceOptions::default()
            };
            assert_eq!(shortest_path(&index, 0, 3, options), None);
            assert_eq!(shortest_path(&index, 0, 1, options).unwrap().hops(), 1);
        }
    }
}
