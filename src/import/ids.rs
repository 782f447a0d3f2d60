//! Other tools name their nodes with strings; the graph file numbers its
//! entities. One map per import, bounded by the graph's size.

use crate::model::FastMap;

/// The database id of every external id seen so far.
#[derive(Debug, Default)]
pub struct EntityIds {
    ids: FastMap<Box<str>, i64>,
}

impl EntityIds {
    pub fn get(&self, key: &str) -> Option<i64> {
        self.ids.get(key).copied()
    }

    /// Records `key` as entity `id`; false when the key was already taken
    /// (the caller notes the duplicate and keeps the first).
    pub fn insert(&mut self, key: &str, id: i64) -> bool {
        if self.ids.contains_key(key) {
            return false;
        }
        self.ids.insert(key.into(), id);
        true
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}
