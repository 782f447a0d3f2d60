//! A byte per row id (a document's or an excerpt's packed grades), kept
//! while a file loads. Ids usually ascend with few gaps, so the bytes sit in
//! one table indexed by `id - first`; ids that go backwards or spread very
//! thinly move everything into a hash map. A lookup is then one index, not
//! a search, for each of a million evidence links.

use crate::model::FastMap;

/// A table may span at most this many ids per id in it (plus
/// [`TABLE_SLACK`]): a sparse table (ids 1 and 10⁹) costs no more than a map.
const MAX_SPAN_PER_ID: u64 = 8;
const TABLE_SLACK: u64 = 1 << 16;

#[derive(Debug, Clone)]
pub(crate) enum IdBytes {
    /// `bytes[id - first]` is the value, 0 where there is none.
    Table {
        first: i64,
        bytes: Vec<u8>,
        count: u64,
    },
    Map(FastMap<i64, u8>),
}

impl Default for IdBytes {
    fn default() -> Self {
        Self::Table {
            first: 0,
            bytes: Vec::new(),
            count: 0,
        }
    }
}

impl IdBytes {
    /// Sets the byte of `id`; `value` must not be 0 (which means "none").
    pub fn insert(&mut self, id: i64, value: u8) {
        debug_assert_ne!(value, 0, "0 means no value");
        match self {
            Self::Table {
                first,
                bytes,
                count,
            } => {
                if bytes.is_empty() {
                    *first = id;
                }
                let offset = id.checked_sub(*first).and_then(|o| u64::try_from(o).ok());
                let fits = offset.filter(|&offset| {
                    offset <= (*count + 1) * MAX_SPAN_PER_ID + TABLE_SLACK
                        && usize::try_from(offset).is_ok()
                });
                let Some(offset) = fits else {
                    let mut map: FastMap<i64, u8> = self.iter().collect();
                    map.insert(id, value);
                    *self = Self::Map(map);
                    return;
                };
                let offset = offset as usize;
                if offset >= bytes.len() {
                    bytes.resize(offset + 1, 0);
                }
                *count += u64::from(bytes[offset] == 0);
                bytes[offset] = value;
            }
            Self::Map(map) => {
                map.insert(id, value);
            }
        }
    }

    pub fn get(&self, id: i64) -> Option<u8> {
        match self {
            Self::Table { first, bytes, .. } => {
                let offset = usize::try_from(id.checked_sub(*first)?).ok()?;
                bytes.get(offset).copied().filter(|&value| value != 0)
            }
            Self::Map(map) => map.get(&id).copied(),
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = (i64, u8)> + '_> {
        match self {
            Self::Table { first, bytes, .. } => Box::new(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|&(_, &value)| value != 0)
                    .map(move |(offset, &value)| (*first + offset as i64, value)),
            ),
            Self::Map(map) => Box::new(map.iter().map(|(&id, &value)| (id, value))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_values_before_and_after_leaving_the_table() {
        let mut bytes = IdBytes::default();
        assert_eq!(bytes.get(1), None);
        for id in [5, 6, 9, 12] {
            bytes.insert(id, id as u8);
        }
        assert!(matches!(bytes, IdBytes::Table { .. }));
        assert_eq!(bytes.get(9), Some(9));
        assert_eq!(bytes.get(7), None);
        assert_eq!(bytes.get(4), None);
        assert_eq!(bytes.get(i64::MIN), None);
        bytes.insert(2, 2);
        assert!(matches!(bytes, IdBytes::Map(_)), "going backwards");
        for id in [2, 5, 6, 9, 12] {
            assert_eq!(bytes.get(id), Some(id as u8));
        }
        assert_eq!(bytes.get(7), None);

        let mut thin = IdBytes::default();
        thin.insert(1, 1);
        thin.insert(i64::MAX, 3);
        assert!(matches!(thin, IdBytes::Map(_)), "too thin for a table");
        assert_eq!(thin.get(i64::MAX), Some(3));
        assert_eq!(thin.get(1), Some(1));
    }
}
