//! Levenshtein distance on chars with Myers' bit-parallel algorithm (1999)
//! in Hyyrö's block form, as edlib has it: one text char advances a column
//! of the dynamic-programming table 64 rows per machine word, so
//! verifying a 200-char quote against a window costs a few word operations
//! per char of the window instead of 200 cells.

use std::cmp::Ordering;

const WORD: usize = 64;

/// A pattern's match masks: for each distinct char, the rows (pattern
/// positions) holding it, 64 rows per word.
#[derive(Debug)]
pub(super) struct Pattern {
    len: usize,
    blocks: usize,
    /// Mask slot of each ASCII char; 0 (all-zero masks) when absent.
    ascii: [u32; 128],
    /// Mask slot of the other chars, sorted by char.
    others: Vec<(char, u32)>,
    /// `blocks` words per slot; slot 0 matches nothing.
    masks: Vec<u64>,
}

impl Pattern {
    pub(super) fn new(chars: impl IntoIterator<Item = char>) -> Self {
        let chars: Vec<char> = chars.into_iter().collect();
        let blocks = chars.len().div_ceil(WORD);
        let mut ascii = [0_u32; 128];
        let mut others: Vec<(char, u32)> = Vec::new();
        let mut slots = 1_u32;
        for &c in &chars {
            if let Some(slot) = ascii.get_mut(c as usize) {
                if *slot == 0 {
                    *slot = slots;
                    slots += 1;
                }
            } else {
                others.push((c, 0));
            }
        }
        others.sort_unstable();
        others.dedup_by_key(|(c, _)| *c);
        for (_, slot) in &mut others {
            *slot = slots;
            slots += 1;
        }
        let mut pattern = Self {
            len: chars.len(),
            blocks,
            ascii,
            others,
            masks: vec![0; slots as usize * blocks],
        };
        for (row, &c) in chars.iter().enumerate() {
            let at = pattern.slot(c) * blocks + row / WORD;
            pattern.masks[at] |= 1 << (row % WORD);
        }
        pattern
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    fn slot(&self, c: char) -> usize {
        match self.ascii.get(c as usize) {
            Some(&slot) => slot as usize,
            None => self
                .others
                .binary_search_by(|(other, _)| other.cmp(&c))
                .map_or(0, |at| self.others[at].1 as usize),
        }
    }

    fn masks_of(&self, c: char) -> &[u64] {
        let from = self.slot(c) * self.blocks;
        &self.masks[from..from + self.blocks]
    }
}

/// The table's columns, one text char at a time. `score()` is the last
/// row: the edit distance between the whole pattern and the text read so
/// far (`Anchored`), or its best suffix (`Free`: the match may start
/// anywhere, which finds a pattern inside a longer text).
#[derive(Debug)]
pub(super) struct Columns<'p> {
    pattern: &'p Pattern,
    /// +1 and −1 vertical differences of the current column, per block.
    plus: Vec<u64>,
    minus: Vec<u64>,
    score: usize,
    /// Horizontal difference entering the first row: +1 when the match
    /// must start at the first char read, 0 when it may start anywhere.
    top: i8,
    last_row_bit: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Start {
    Anchored,
    Free,
}

impl<'p> Columns<'p> {
    pub(super) fn new(pattern: &'p Pattern, start: Start) -> Self {
        Self {
            pattern,
            plus: vec![!0; pattern.blocks],
            minus: vec![0; pattern.blocks],
            score: pattern.len,
            top: match start {
                Start::Anchored => 1,
                Start::Free => 0,
            },
            last_row_bit: 1 << ((pattern.len + WORD - 1) % WORD),
        }
    }

    pub(super) fn score(&self) -> usize {
        self.score
    }

    /// Reads one more text char; returns the new score.
    pub(super) fn push(&mut self, c: char) -> usize {
        let masks = self.pattern.masks_of(c);
        let mut carry = self.top;
        let last = self.pattern.blocks.saturating_sub(1);
        for (block, &eq) in masks.iter().enumerate() {
            let high = if block == last {
                self.last_row_bit
            } else {
                1 << (WORD - 1)
            };
            carry = advance(
                &mut self.plus[block],
                &mut self.minus[block],
                eq,
                carry,
                high,
            );
        }
        self.score = self.score.saturating_add_signed(isize::from(carry));
        self.score
    }
}

/// One block of one column (edlib's `calculateBlock`): updates the
/// vertical differences and returns the horizontal difference leaving the
/// row marked by `high`.
fn advance(plus: &mut u64, minus: &mut u64, eq: u64, carry_in: i8, high: u64) -> i8 {
    let (pv, mv) = (*plus, *minus);
    let carry_negative = u64::from(carry_in < 0);
    let xv = eq | mv;
    let eq = eq | carry_negative;
    let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
    let mut ph = mv | !(xh | pv);
    let mut mh = pv & xh;
    let carry_out = match (ph & high != 0, mh & high != 0) {
        (true, _) => 1,
        (false, true) => -1,
        (false, false) => 0,
    };
    ph <<= 1;
    mh <<= 1;
    mh |= carry_negative;
    ph |= u64::from(carry_in > 0);
    *plus = mh | !(xv | ph);
    *minus = ph & xv;
    carry_out
}

/// Levenshtein distance between `pattern` and all of `text`.
pub(super) fn distance(pattern: &Pattern, text: impl IntoIterator<Item = char>) -> usize {
    // Anchored, the first row counts the text read: an empty pattern is
    // as far from the text as the text is long.
    let mut columns = Columns::new(pattern, Start::Anchored);
    for c in text {
        columns.push(c);
    }
    columns.score()
}

/// Levenshtein distance in chars between two strings (insertions,
/// deletions and substitutions of one char each cost 1). Time grows with
/// the product of the lengths over 64.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (shorter, longer) = match a.chars().count().cmp(&b.chars().count()) {
        Ordering::Less | Ordering::Equal => (a, b),
        Ordering::Greater => (b, a),
    };
    distance(&Pattern::new(shorter.chars()), longer.chars())
}
