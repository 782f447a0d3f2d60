//! A set of row ids. Tables are usually numbered in the order they are read: 1, 2, 3, … or
//! ascending with gaps (rows deleted over a file's life). While ids run on without a gap the set
//! is just a range; ascending ids with gaps go into a bitmap over the ids' span; only ids that
//! go backwards or spread very thinly move it into a hash set.

use crate::model::FastSet;

/// A bitmap may hold at most this many bits per id in it (plus [`BITMAP_SLACK`]), so a sparse
/// table (ids 1 and 10⁹) never costs more than a hash set would.
const MAX_BITS_PER_ID: u64 = 64;
const BITMAP_SLACK: u64 = 1 << 16;

#[derive(Debug, Clone)]
pub(crate) enum IdSet {
    Range {
        first: i64,
        count: u64,
    },
    /// Bit `id - first` of `words` is set for each id.
    Bits {
        first: i64,
        words: Vec<u64>,
        count: u64,
    },
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
                    (*first, *count) = (id, 1);
                    return true;
                }
                if first.checked_add(*count as i64) == Some(id) {
                    *count += 1;
                    return true;
                }
                if id > *first {
                    let mut words = vec![u64::MAX; (*count / 64) as usize];
                    if *count % 64 != 0 {
                        words.push((1 << (*count % 64)) - 1);
                    }
                    *self = Self::Bits {
                        first: *first,
                        words,
                        count: *count,
                    };
                } else {
                    *self = Self::Set(self.iter().collect());
                }
                self.insert(id)
            }
            Self::Bits {
                first,
                words,
                count,
            } => {
                let offset = id.wrapping_sub(*first) as u64;
                let fits = id >= *first
                    && offset <= (*count + 1) * MAX_BITS_PER_ID + BITMAP_SLACK
                    && usize::try_from(offset / 64).is_ok();
                if !fits {
                    *self = Self::Set(self.iter().chain([id]).collect());
                    return true;
                }
                let (word, bit) = ((offset / 64) as usize, offset % 64);
                if word >= words.len() {
                    words.resize(word + 1, 0);
                }
                let added = words[word] & (1 << bit) == 0;
                words[word] |= 1 << bit;
                *count += u64::from(added);
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
            Self::Bits { first, words, .. } => {
                let Some(offset) = id.checked_sub(*first).filter(|&offset| offset >= 0) else {
                    return false;
                };
                usize::try_from(offset / 64)
                    .ok()
                    .and_then(|word| words.get(word))
                    .is_some_and(|word| word & (1 << (offset % 64)) != 0)
            }
            Self::Set(set) => set.contains(&id),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Self::Range { count, .. } | Self::Bits { count, .. } => *count as usize,
            Self::Set(set) => set.len(),
        }
    }

    /// Every id, in ascending order except for a hash set.
    fn iter(&self) -> Box<dyn Iterator<Item = i64> + '_> {
        match self {
            Self::Range { first, count } => Box::new((0..*count as i64).map(|o| *first + o)),
            Self::Bits { first, words, .. } => {
                Box::new(words.iter().enumerate().flat_map(move |(w, &word)| {
                    (0..64)
                        .filter(move |bit| word & (1 << bit) != 0)
                        .map(move |bit| *first + (w as i64) * 64 + bit)
                }))
            }
            Self::Set(set) => Box::new(set.iter().copied()),
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
        assert!(matches!(ids, IdSet::Bits { .. }));
        assert!(!ids.insert(10));
        assert!(!ids.insert(5));
        assert!(ids.contains(3) && ids.contains(10) && !ids.contains(9));
        assert!(!ids.contains(i64::MIN) && !ids.contains(i64::MAX));
        assert_eq!(ids.len(), 4);
        // Going backwards moves everything into a hash set, nothing lost.
        assert!(ids.insert(1));
        assert!(matches!(ids, IdSet::Set(_)));
        assert!(!ids.insert(10));
        for id in [1, 3, 4, 5, 10] {
            assert!(ids.contains(id));
        }
        assert_eq!(ids.len(), 5);
    }

    #[test]
    fn thin_ids_leave_the_bitmap_and_extremes_do_not_overflow() {
        let mut ids = IdSet::default();
        for id in [1, 2, 64, 65, 200] {
            assert!(ids.insert(id));
        }
        assert!(matches!(ids, IdSet::Bits { .. }));
        assert!(ids.insert(i64::MAX));
        assert!(matches!(ids, IdSet::Set(_)));
        assert!(ids.contains(64) && ids.contains(i64::MAX) && !ids.contains(3));
        assert_eq!(ids.len(), 6);

        let mut ids = IdSet::default();
        assert!(ids.insert(i64::MIN) && ids.insert(i64::MIN + 2));
        assert!(ids.insert(i64::MAX) && !ids.insert(i64::MAX));
        assert!(ids.contains(i64::MIN + 2) && !ids.contains(i64::MIN + 1));
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn a_gappy_ascending_table_is_matched_exactly() {
        let mut ids = IdSet::default();
        let kept: Vec<i64> = (1..20_000).filter(|id| id % 7 != 3).collect();
        for &id in &kept {
            assert!(ids.insert(id));
        }
        assert!(matches!(ids, IdSet::Bits { .. }));
        assert_eq!(ids.len(), kept.len());
        assert!(
            (0..20_010).all(|id| ids.contains(id) == (id % 7 != 3 && (1..20_000).contains(&id)))
        );
    }
}
