//! The names of a file laid out for fast scanning, and the character masks that let a scan
//! skip most names with one AND.

use rayon::prelude::*;

use super::CHUNK;
use crate::model::NodeIx;

/// Which letters, digits and punctuation a text holds, one bit each (case
/// ignored); a non-ASCII text holds "everything", as accents and case
/// folding make its letters unknowable here. A name lacking a letter of
/// the query cannot match it, so one AND skips most names.
pub fn char_mask(text: &str) -> u64 {
    let mut mask = 0_u64;
    for byte in text.bytes() {
        if !byte.is_ascii() {
            return u64::MAX;
        }
        mask |= byte_bit(byte);
    }
    mask
}

fn byte_bit(byte: u8) -> u64 {
    let byte = byte.to_ascii_lowercase();
    match byte {
        b'a'..=b'z' => 1 << (byte - b'a'),
        b'0'..=b'9' => 1 << (26 + byte - b'0'),
        b' ' => 0,
        other => 1 << (36 + other % 28),
    }
}

/// The bits a name must hold to match `query`: 0 (no filter) when the
/// query has a non-ASCII character or an escaped space.
pub(super) fn query_mask(query: &str) -> u64 {
    if !query.is_ascii() || query.contains('\\') {
        return 0;
    }
    query.bytes().fold(0, |mask, byte| mask | byte_bit(byte))
}

/// The names laid out for fast scanning, built once per file on the
/// search thread: the ASCII names back to back in one buffer (no pointer
/// per name to follow: a scan reads memory in order), and each name's
/// [`char_mask`]. A scan then decides most names with a mask test and a
/// byte loop, and calls the matcher, on the same bytes, only for names
/// that may enter the best kept.
#[derive(Debug, Default)]
pub struct NameIndex {
    /// Every ASCII name; a non-ASCII name adds nothing.
    bytes: Vec<u8>,
    /// Where each name's bytes end in `bytes` (starts at the previous end).
    ends: Vec<usize>,
    /// [`char_mask`] of every name: `u64::MAX` for a non-ASCII name (and,
    /// harmlessly, for an ASCII one holding every character class), which
    /// is always left to the matcher.
    pub(super) masks: Vec<u64>,
}

impl NameIndex {
    /// Indexes `count` names (`name_of(i)` for i in `0..count`), on all cores.
    pub fn new<'a>(count: usize, name_of: impl Fn(NodeIx) -> &'a str + Sync) -> Self {
        let parts: Vec<(Vec<u8>, Vec<usize>, Vec<u64>)> = (0..count.div_ceil(CHUNK))
            .into_par_iter()
            .map(|chunk| {
                let start = chunk * CHUNK;
                let end = (start + CHUNK).min(count);
                let mut bytes = Vec::new();
                let mut lens = Vec::with_capacity(end - start);
                let mut masks = Vec::with_capacity(end - start);
                for node in start..end {
                    let name = name_of(node as NodeIx);
                    let mask = char_mask(name);
                    if mask == u64::MAX {
                        lens.push(0);
                    } else {
                        bytes.extend_from_slice(name.as_bytes());
                        lens.push(name.len());
                    }
                    masks.push(mask);
                }
                (bytes, lens, masks)
            })
            .collect();
        let mut index = Self {
            bytes: Vec::with_capacity(parts.iter().map(|part| part.0.len()).sum()),
            ends: Vec::with_capacity(count),
            masks: Vec::with_capacity(count),
        };
        for (bytes, lens, masks) in parts {
            index.bytes.extend_from_slice(&bytes);
            let mut end = index.ends.last().copied().unwrap_or(0);
            index.ends.extend(lens.into_iter().map(|len| {
                end += len;
                end
            }));
            index.masks.extend_from_slice(&masks);
        }
        index
    }

    pub fn len(&self) -> usize {
        self.masks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.masks.is_empty()
    }

    /// The name of `node`, None when it is not ASCII.
    pub(super) fn ascii_name(&self, node: usize) -> Option<&[u8]> {
        if self.masks.get(node).is_none_or(|&mask| mask == u64::MAX) {
            return None;
        }
        let start = node.checked_sub(1).map_or(0, |before| self.ends[before]);
        self.bytes.get(start..self.ends[node])
    }
}
