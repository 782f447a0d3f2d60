//! Compressed sparse rows of the undirected graph: every node lists its incident edges in both
//! directions, so the attraction of a node is gathered by one task without atomics or races.

use rayon::prelude::*;

/// Marks an entry whose row node is the edge's source (outbound attraction distribution divides
/// by the source's mass).
pub(crate) const SOURCE_FLAG: u32 = 1 << 31;

/// Entries per parallel task when entries are renamed.
const ENTRY_CHUNK: usize = 16 * 1024;
/// Rows per parallel task when rows are re-packed.
const REPACK_ROWS: usize = 4096;

pub(crate) struct Adjacency {
    /// Row `r` is `neighbours[offsets[r]..offsets[r + 1]]`. The layout maps each node to its
    /// row; the entries name nodes by internal index and are renamed in place when nodes are
    /// re-sorted. `u32` halves this array; the constructor checks the total fits.
    pub(crate) offsets: Vec<u32>,
    /// Neighbour index, possibly with [`SOURCE_FLAG`].
    pub(crate) neighbours: Vec<u32>,
    /// Each entry's edge weight, where edges have weights (the multilevel start's coarse
    /// levels, whose merged edges stand for many); `None`: every edge weighs 1.
    pub(crate) weights: Option<Vec<f32>>,
}

impl Adjacency {
    /// Builds rows for `n` nodes. Self-loops exert no force and edges with an endpoint `>= n`
    /// have no node to act on; both are skipped. Parallel edges each get an entry.
    ///
    /// # Panics
    /// If the rows would hold `2^32` entries or more (over two billion edges).
    pub(crate) fn new(n: usize, edges: &[(u32, u32)]) -> Self {
        Self::build(n, edges, None)
    }

    /// Rows of edges with weights (`weights[k]` is edge `k`'s), skipping the same edges as
    /// [`Self::new`].
    ///
    /// # Panics
    /// As [`Self::new`], or if `weights` and `edges` differ in length.
    pub(crate) fn with_weights(n: usize, edges: &[(u32, u32)], weights: &[f32]) -> Self {
        assert_eq!(edges.len(), weights.len(), "one weight per edge");
        Self::build(n, edges, Some(weights))
    }

    fn build(n: usize, edges: &[(u32, u32)], weights: Option<&[f32]>) -> Self {
        let usable = |&&(s, t): &&(u32, u32)| s != t && (s as usize) < n && (t as usize) < n;
        let entries = 2 * edges.iter().filter(usable).count();
        assert!(
            u32::try_from(entries).is_ok(),
            "a layout holds fewer than 2^31 edges"
        );
        let mut offsets = vec![0u32; n + 1];
        for &(s, t) in edges.iter().filter(usable) {
            offsets[s as usize + 1] += 1;
            offsets[t as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets[..n].to_vec();
        let mut neighbours = vec![0u32; entries];
        let mut entry_weights = weights.map(|_| vec![0.0f32; entries]);
        for (k, &(s, t)) in edges.iter().enumerate() {
            if !usable(&&(s, t)) {
                continue;
            }
            let (a, b) = (fill[s as usize] as usize, fill[t as usize] as usize);
            neighbours[a] = t | SOURCE_FLAG;
            neighbours[b] = s;
            if let (Some(out), Some(w)) = (entry_weights.as_mut(), weights) {
                out[a] = w[k];
                out[b] = w[k];
            }
            fill[s as usize] += 1;
            fill[t as usize] += 1;
        }
        Self {
            offsets,
            neighbours,
            weights: entry_weights,
        }
    }

    #[inline]
    pub(crate) fn row(&self, i: usize) -> &[u32] {
        &self.neighbours[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// The weights of row `i`'s entries, where edges have weights.
    #[inline]
    pub(crate) fn row_weights(&self, i: usize) -> Option<&[f32]> {
        self.weights
            .as_deref()
            .map(|w| &w[self.offsets[i] as usize..self.offsets[i + 1] as usize])
    }

    pub(crate) fn degree(&self, i: usize) -> usize {
        (self.offsets[i + 1] - self.offsets[i]) as usize
    }

    /// The total weight of row `i`'s edges: its degree when edges have no weights.
    pub(crate) fn weighted_degree(&self, i: usize) -> f32 {
        self.row_weights(i)
            .map_or(self.degree(i) as f32, |w| w.iter().sum())
    }

    /// The same rows re-packed so that new row `k` is old row `old_row[k]` (entry order kept):
    /// written in parallel over fixed row chunks. This is the one step of a running layout that
    /// allocates (a second copy of the entries), so it runs only on a thinning schedule.
    pub(crate) fn repacked(&self, old_row: &[u32]) -> Self {
        let n = old_row.len();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u32);
        let mut total = 0;
        for &old in old_row {
            // Same total as `self`, which fits in u32.
            total += self.offsets[old as usize + 1] - self.offsets[old as usize];
            offsets.push(total);
        }
        let neighbours = repack_entries(&self.offsets, &offsets, old_row, &self.neighbours);
        let weights = self
            .weights
            .as_ref()
            .map(|w| repack_entries(&self.offsets, &offsets, old_row, w));
        Self {
            offsets,
            neighbours,
            weights,
        }
    }

    /// Renames every neighbour entry in place through `rename` (old index → new index); the
    /// flag bit is kept. Rows stay where they are, so a re-sort of the nodes needs no second
    /// copy of the largest array of the layout.
    pub(crate) fn rename_neighbours(&mut self, rename: impl Fn(u32) -> u32 + Sync) {
        self.neighbours
            .par_chunks_mut(ENTRY_CHUNK)
            .for_each(|chunk| {
                for e in chunk {
                    *e = rename(*e & !SOURCE_FLAG) | (*e & SOURCE_FLAG);
                }
            });
    }

    pub(crate) fn bytes(&self) -> usize {
        self.offsets.capacity() * size_of::<u32>()
            + self.neighbours.capacity() * size_of::<u32>()
            + self
                .weights
                .as_ref()
                .map_or(0, |w| w.capacity() * size_of::<f32>())
    }
}

/// `entries` (laid out by `old_offsets`) copied so that new row `k` (at `new_offsets[k]`) holds
/// old row `old_row[k]`, in parallel over fixed row chunks.
fn repack_entries<T: Copy + Default + Send + Sync>(
    old_offsets: &[u32],
    new_offsets: &[u32],
    old_row: &[u32],
    entries: &[T],
) -> Vec<T> {
    let n = old_row.len();
    let mut out = vec![T::default(); new_offsets[n] as usize];
    let mut pieces = Vec::with_capacity(n.div_ceil(REPACK_ROWS));
    let mut rest = out.as_mut_slice();
    for start in (0..n).step_by(REPACK_ROWS) {
        let end = (start + REPACK_ROWS).min(n);
        let (piece, tail) = rest.split_at_mut((new_offsets[end] - new_offsets[start]) as usize);
        pieces.push((start..end, piece));
        rest = tail;
    }
    pieces.into_par_iter().for_each(|(rows, piece)| {
        let mut w = 0;
        for k in rows {
            let old = old_row[k] as usize;
            let row = &entries[old_offsets[old] as usize..old_offsets[old + 1] as usize];
            piece[w..w + row.len()].copy_from_slice(row);
            w += row.len();
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_hold_both_directions_and_skip_loops() {
        let a = Adjacency::new(3, &[(0, 1), (1, 2), (2, 2), (0, 1), (0, 9)]);
        assert_eq!(a.row(0), &[1 | SOURCE_FLAG, 1 | SOURCE_FLAG]);
        assert_eq!(a.row(1), &[0, 2 | SOURCE_FLAG, 0]);
        assert_eq!(a.row(2), &[1]);
        // Reverse the numbering: old 0 -> new 2, old 2 -> new 0. Rows stay in place.
        let mut p = a;
        p.rename_neighbours(|old| 2 - old);
        assert_eq!(p.row(0), &[1 | SOURCE_FLAG, 1 | SOURCE_FLAG]);
        assert_eq!(p.row(1), &[2, SOURCE_FLAG, 2]);
        assert_eq!(p.row(2), &[1]);
        // Re-pack the rows in the reverse order.
        let q = p.repacked(&[2, 1, 0]);
        assert_eq!(q.row(0), &[1]);
        assert_eq!(q.row(1), &[2, SOURCE_FLAG, 2]);
        assert_eq!(q.row(2), &[1 | SOURCE_FLAG, 1 | SOURCE_FLAG]);
        assert!(q.row_weights(0).is_none());
    }

    #[test]
    #[allow(clippy::float_cmp)] // weights are copied, not computed
    fn weights_follow_their_entries_through_a_repack() {
        let a = Adjacency::with_weights(3, &[(0, 1), (1, 2), (2, 2)], &[2.0, 5.0, 9.0]);
        assert_eq!(a.row_weights(1), Some(&[2.0, 5.0][..]));
        assert_eq!(a.weighted_degree(1), 7.0);
        assert_eq!(a.weighted_degree(2), 5.0, "the self-loop is skipped");
        let q = a.repacked(&[2, 1, 0]);
        assert_eq!(q.row(0), &[1]);
        assert_eq!(q.row_weights(0), Some(&[5.0][..]));
        assert_eq!(q.row_weights(2), Some(&[2.0][..]));
    }
}
