//! A set of row ids. Tables are usually numbered 1, 2, 3, … in the order
//! they are read, so while ids run on without a gap the set is just a range;
//! the first gap or repeat moves it into a hash set.

use crate::model::FastSet;

#[derive(Debug, Clone)]
pub(crate) enum IdSet {
    Range { first: i64, count: u64 },
    Set(FastSet<i64>),
}

impl Default for IdSet {
    fn default() -> Self {
        Self::Range { first: 0, count: 0 }
    }
}

impl IdSet {
    /// Adds `id`; false if it was already there.
    pub fn insert(&mut self, id: i64) -> bool {
        match self {
            Self::Range { first, count } => {
                if *count == 0 {
                    *first = id;
                    *count = 1;
                    return true;
                }
                if first.checked_add(*count as i64) == Some(id) {
                    *count += 1;
                    return true;
                }
                let mut set: FastSet<i64> =
                    (0..*count as i64).map(|offset| *first + offset).collect();
                let added = set.insert(id);
                *self = Self::Set(set);
                added
            }
            Self::Set(set) => set.insert(id),
        }
    }

    pub fn contains(&self, id: i64) -> bool {
        match self {
            Self::Range { first, count } => id
                .checked_sub(*first)
                .is_some_and(|offset| (0..*count as i64).contains(&offset)),
            Self::Set(set) => set.contains(&id),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Self::Range { count, .. } => *count as usize,
            Self::Set(set) => set.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_set_before_and_after_the_first_gap() {
        let mut ids = IdSet::default();
        assert_eq!(ids.len(), 0);
        for id in [3, 4, 5] {
            assert!(ids.insert(id));
        }
        assert!(matches!(ids, IdSet::Range { .. }));
        assert!(ids.contains(4) && !ids.contains(6) && !ids.contains(2));
        assert!(!ids.insert(4), "a repeat is refused");
        assert!(ids.insert(10));
        assert!(!ids.insert(10));
        assert!(ids.contains(3) && ids.contains(10) && !ids.contains(9));
        assert_eq!(ids.len(), 4);
    }
}
