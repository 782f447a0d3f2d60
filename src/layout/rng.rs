//! A tiny deterministic random number generator (`SplitMix64`) for seeded initial placement and
//! sampling. Written out here so results never change with a dependency's version.

/// `SplitMix64` (Steele, Lea & Flood 2014): one 64-bit state word, good enough statistical quality
/// for scattering points and drawing samples, and fully reproducible from the seed.
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)` from the top 53 bits.
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..bound` (Lemire's multiply-shift; the bias is negligible for our sizes).
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn same_seed_same_stream_and_range() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        for _ in 0..100 {
            let v = a.next_f64();
            assert_eq!(v.to_bits(), b.next_f64().to_bits());
            assert!((0.0..1.0).contains(&v));
            assert!(a.below(10) < 10);
            b.below(10);
        }
    }
}
