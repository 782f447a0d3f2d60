//! The best few of many matches, kept as they stream in.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{Closeness, MatchField, RankKey, Ranked};
use crate::model::NodeIx;

/// Keeps the best `limit` of a stream of ranked items: closer first, then
/// the higher score, then the lower node index, so a ranking never depends
/// on thread timing.
#[derive(Debug)]
pub struct TopK {
    limit: usize,
    /// A min-heap on (key, Reverse(node)): the worst kept is on top.
    heap: BinaryHeap<Reverse<(RankKey, Reverse<NodeIx>)>>,
    total: usize,
}

impl TopK {
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            heap: BinaryHeap::with_capacity(limit.min(1 << 16) + 1),
            total: 0,
        }
    }

    /// Keeps a description match (they are all [`Closeness::Fuzzy`]).
    pub fn push(&mut self, node: NodeIx, score: u32) {
        self.push_ranked(node, (Closeness::Fuzzy, score));
    }

    pub(super) fn push_ranked(&mut self, node: NodeIx, key: RankKey) {
        self.total += 1;
        if self.limit == 0 {
            return;
        }
        let item = Reverse((key, Reverse(node)));
        if self.heap.len() < self.limit {
            self.heap.push(item);
        } else if let Some(worst) = self.heap.peek()
            && item < *worst
        {
            self.heap.pop();
            self.heap.push(item);
        }
    }

    /// Counts a match known not to enter the kept ones.
    pub(super) fn count(&mut self) {
        self.total += 1;
    }

    pub(super) fn merge(mut self, other: Self) -> Self {
        let total = self.total + other.total;
        for Reverse((key, Reverse(node))) in other.heap {
            self.push_ranked(node, key);
        }
        self.total = total;
        self
    }

    pub fn total(&self) -> usize {
        self.total
    }

    /// Best first.
    pub fn into_sorted(self, field: MatchField) -> Vec<Ranked> {
        let mut items: Vec<(RankKey, NodeIx)> = self
            .heap
            .into_iter()
            .map(|Reverse((key, Reverse(node)))| (key, node))
            .collect();
        items.sort_unstable_by_key(|&(key, node)| (Reverse(key), node));
        items
            .into_iter()
            .map(|((closeness, score), node)| Ranked {
                node,
                closeness,
                score,
                field,
            })
            .collect()
    }
}
