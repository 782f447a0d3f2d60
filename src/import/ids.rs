//! Other tools name their nodes with strings; the graph file numbers its
//! entities. One map per import, bounded by the graph's size.

use crate::model::FastMap;

/// The database id of every external id seen so far.
///
/// Most files number their nodes `1`, `2`, … (Gephi, networkx, our own
/// exports): such ids are kept in a dense list by number, a lookup without
/// hashing or comparing strings (a million edges look up two million
/// endpoints). Every other id, and numbers too far beyond the ids seen so
/// far for the list to stay small, go to a map.
#[derive(Debug, Default)]
pub struct EntityIds {
    /// By external number: the database id, or 0 for none (database ids
    /// start at 1).
    numbered: Vec<i64>,
    others: FastMap<Box<str>, i64>,
    count: usize,
}

/// The dense list grows to at most this many entries, or four per id seen.
const DENSE_FLOOR: usize = 1 << 16;

impl EntityIds {
    pub fn get(&self, key: &str) -> Option<i64> {
        if let Some(number) = plain_number(key)
            && let Some(&id) = self.numbered.get(number)
            && id != 0
        {
            return Some(id);
        }
        self.others.get(key).copied()
    }

    /// Records `key` as entity `id`; false when the key was already taken
    /// (the caller notes the duplicate and keeps the first).
    pub fn insert(&mut self, key: &str, id: i64) -> bool {
        if self.get(key).is_some() {
            return false;
        }
        self.count += 1;
        let limit = DENSE_FLOOR.max(self.count.saturating_mul(4));
        match plain_number(key) {
            Some(number) if number < limit && id != 0 => {
                if number >= self.numbered.len() {
                    self.numbered.resize(number + 1, 0);
                }
                self.numbered[number] = id;
            }
            _ => {
                self.others.insert(key.into(), id);
            }
        }
        true
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// `key` as a number when it is written the one plain way (`0`, `17`; not
/// `017`, `+17` or ` 17`), so that distinct strings never share a slot.
fn plain_number(key: &str) -> Option<usize> {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 9 || (bytes.len() > 1 && bytes[0] == b'0') {
        return None;
    }
    bytes.iter().try_fold(0_usize, |number, &byte| {
        byte.is_ascii_digit()
            .then(|| number * 10 + usize::from(byte - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_are_told_apart_and_duplicates_refused() {
        let mut ids = EntityIds::default();
        assert!(ids.insert("7", 1));
        assert!(ids.insert("007", 2));
        assert!(ids.insert("n7", 3));
        assert!(ids.insert("999999999", 4));
        assert!(!ids.insert("7", 5));
        assert!(!ids.insert("999999999", 6));
        assert_eq!(ids.get("7"), Some(1));
        assert_eq!(ids.get("007"), Some(2));
        assert_eq!(ids.get("n7"), Some(3));
        assert_eq!(ids.get("999999999"), Some(4));
        assert_eq!(ids.get("8"), None);
        assert_eq!(ids.get(""), None);
        assert_eq!(ids.len(), 4);
        // A huge number did not grow the dense list.
        assert!(ids.numbered.len() <= DENSE_FLOOR);
    }
}
