//! Morton (Z-order) keys: the space-filling curve that orders nodes in memory and from which the
//! Barnes–Hut quadtree is built (every quadtree cell is a contiguous run of sorted keys).
//!
//! A key packs the interleaved quantised coordinates above the node's internal index, so keys
//! are unique and any correct sort yields the same order: parallel sorting stays deterministic.

use rayon::prelude::*;

/// Nodes per parallel chunk for the cheap per-node passes. Fixed (not derived from the thread
/// count) so every partial result is the same whatever the pool size.
pub(crate) const CHUNK: usize = 1024;

/// Maps positions to Morton keys for one iteration's bounding square.
#[derive(Clone, Copy, Debug)]
pub(crate) struct KeySpace {
    /// Low bits of a key holding the node index.
    idx_bits: u32,
    /// Quantisation bits per axis.
    levels: u32,
    min_x: f64,
    min_y: f64,
    scale: f64,
}

/// Spreads the low 32 bits of `v` to the even bit positions of a `u64`.
fn spread_bits(v: u32) -> u64 {
    let mut x = u64::from(v);
    x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    x = (x | (x << 1)) & 0x5555_5555_5555_5555;
    x
}

impl KeySpace {
    /// A key space for `n` nodes inside `bbox = [min_x, min_y, max_x, max_y]`.
    pub(crate) fn new(n: usize, bbox: [f32; 4]) -> Self {
        let idx_bits = (usize::BITS - n.saturating_sub(1).leading_zeros()).max(1);
        // f32 positions carry 24 significant bits: finer quantisation buys nothing.
        let levels = ((64 - idx_bits) / 2).min(24);
        let side = f64::from((bbox[2] - bbox[0]).max(bbox[3] - bbox[1]));
        let max_q = ((1u64 << levels) - 1) as f64;
        let scale = if side.is_finite() && side > 0.0 {
            max_q / side
        } else {
            0.0
        };
        Self {
            idx_bits,
            levels,
            min_x: f64::from(bbox[0]),
            min_y: f64::from(bbox[1]),
            scale,
        }
    }

    /// The key of node `idx` at `(x, y)`. Out-of-box or non-finite coordinates clamp (`NaN`
    /// maps to 0); the quadtree measures cells from real positions, so this only costs accuracy
    /// of the ordering, never correctness of the forces.
    #[inline]
    pub(crate) fn key(&self, x: f32, y: f32, idx: u32) -> u64 {
        let max_q = ((1u64 << self.levels) - 1) as f64;
        let qx = ((f64::from(x) - self.min_x) * self.scale).clamp(0.0, max_q) as u32;
        let qy = ((f64::from(y) - self.min_y) * self.scale).clamp(0.0, max_q) as u32;
        ((spread_bits(qx) | (spread_bits(qy) << 1)) << self.idx_bits) | u64::from(idx)
    }

    /// The node index stored in a key.
    #[inline]
    pub(crate) fn index(&self, key: u64) -> usize {
        (key & ((1u64 << self.idx_bits) - 1)) as usize
    }

    /// Replaces the index bits of `key`.
    #[inline]
    pub(crate) fn with_index(&self, key: u64, idx: u32) -> u64 {
        (key & !((1u64 << self.idx_bits) - 1)) | u64::from(idx)
    }

    /// For a sorted run whose first and last keys are `first` and `last`, the shift that
    /// exposes the 2-bit quadrant of the coarsest level at which the run's codes differ (so a
    /// split never produces a single child), or `None` when all codes are equal.
    #[inline]
    pub(crate) fn split_shift(&self, first: u64, last: u64) -> Option<u32> {
        let diff = (first ^ last) >> self.idx_bits;
        if diff == 0 {
            return None;
        }
        let highest = diff.ilog2();
        Some(self.idx_bits + (highest & !1))
    }
}

/// Bounding box `[min_x, min_y, max_x, max_y]` of the points; zeros when empty. Min/max are
/// exact, and `+ 0.0` folds `-0.0` into `+0.0`, so the result does not depend on scheduling.
pub(crate) fn bounding_box(pos: &[[f32; 2]]) -> [f32; 4] {
    if pos.is_empty() {
        return [0.0; 4];
    }
    let empty = [
        f32::INFINITY,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NEG_INFINITY,
    ];
    let b = pos
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut b = empty;
            for &[px, py] in chunk {
                b = [b[0].min(px), b[1].min(py), b[2].max(px), b[3].max(py)];
            }
            b
        })
        .reduce(
            || empty,
            |a, c| {
                [
                    a[0].min(c[0]),
                    a[1].min(c[1]),
                    a[2].max(c[2]),
                    a[3].max(c[3]),
                ]
            },
        );
    if b.iter().all(|v| v.is_finite()) {
        b.map(|v| v + 0.0)
    } else {
        [0.0; 4]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_z_order_and_keep_the_index() {
        let s = KeySpace::new(4, [0.0, 0.0, 1.0, 1.0]);
        let k00 = s.key(0.1, 0.1, 3);
        let k10 = s.key(0.9, 0.1, 2);
        let k01 = s.key(0.1, 0.9, 1);
        let k11 = s.key(0.9, 0.9, 0);
        assert!(k00 < k10 && k10 < k01 && k01 < k11);
        assert_eq!(s.index(k00), 3);
        assert_eq!(s.index(s.with_index(k11, 2)), 2);
        // The top-level split separates all four quadrants.
        let shift = s.split_shift(k00, k11).expect("codes differ");
        assert_eq!((k00 >> shift) & 3, 0);
        assert_eq!((k11 >> shift) & 3, 3);
        assert_eq!(s.split_shift(k00, s.with_index(k00, 1)), None);
    }

    #[test]
    #[allow(clippy::float_cmp)] // min/max are exact
    fn bounding_box_is_exact() {
        let pos: Vec<[f32; 2]> = (0..5000).map(|i| [i as f32 - 100.0, -(i as f32)]).collect();
        assert_eq!(bounding_box(&pos), [-100.0, -4999.0, 4899.0, 0.0]);
    }
}
