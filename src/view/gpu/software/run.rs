//! The rows of a solid straight edge in one tile: on each, the pixels
//! between its bounds, blended with the edge's colour scaled by their
//! coverage. This is where an export of a big graph spends its time (a
//! 100k / 500k graph at 4× blends three billion pixels), so it has a
//! vector version: eight pixels at a time in 16-bit lanes on x86-64 with
//! AVX2, and the same arithmetic one pixel at a time elsewhere. The two
//! give identical pixels (`tests` below).

use super::super::lod::over;

/// Pixels past the end of a run that a vector step may read and write back
/// unchanged: rows of the tile buffer keep this much room after them.
pub(super) const RUN_SLACK: usize = 8;

/// One edge in one tile: what it blends in, and how its coverage changes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Stroke {
    /// How much a pixel's distance from the centre line changes from one
    /// pixel to the next along a row.
    pub(super) step: f32,
    /// Half the edge's width plus half a pixel: coverage is
    /// `reach − |distance|`, clamped to 0..=1.
    pub(super) reach: f32,
    /// The edge's colour at full coverage (premultiplied, and scaled by
    /// its opacity), with 8 bits after the point: a faded edge's
    /// rounding to whole levels must not be scaled into its fringe, where
    /// the GPU scales the exact value (on a dense graph, a shift of a
    /// third of a level over the whole picture).
    pub(super) color: [u16; 4],
}

impl Stroke {
    /// `color` (premultiplied, one byte a channel) at `opacity`.
    pub(super) fn fixed_color(color: u32, opacity: f32) -> [u16; 4] {
        color
            .to_le_bytes()
            .map(|channel| (f32::from(channel) * opacity * 256.0 + 0.5).clamp(0.0, 65280.0) as u16)
    }
}

/// The pixels of one row that an edge touches.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct RowRun {
    /// The first pixel's index in the tile's buffer.
    pub(super) start: u32,
    pub(super) count: u32,
    /// The first pixel's distance from the centre line (signed).
    pub(super) across: f32,
}

/// A pixel's coverage in 0..=1 as a weight in 0..=65535.
#[inline]
fn weight(stroke: &Stroke, across: f32, index: usize) -> u32 {
    let across = across + stroke.step * index as f32;
    let coverage = (stroke.reach - across.abs()).clamp(0.0, 1.0);
    (coverage * 65535.0 + 0.5) as u32
}

/// Blends `stroke` into each run of `tile`. Every run needs `RUN_SLACK`
/// pixels of room after it, which it leaves as they are.
pub(super) fn paint(tile: &mut [u32], runs: &[RowRun], stroke: &Stroke) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        #[allow(unsafe_code)]
        // SAFETY: a `target_feature` function only requires that the CPU
        // has the feature, checked just above.
        unsafe {
            avx2::paint(tile, runs, stroke);
        }
        return;
    }
    paint_scalar(tile, runs, stroke);
}

/// One pixel at a time, as the vector version computes each lane.
pub(super) fn paint_scalar(tile: &mut [u32], runs: &[RowRun], stroke: &Stroke) {
    let color = stroke.color.map(u32::from);
    // What a pixel at `weight` adds: premultiplied, so no channel exceeds
    // alpha, and `over` needs no saturation.
    let source = |weight: u32| {
        let [r, g, b, a] = color.map(|channel| (((channel * weight) >> 16) + 128) >> 8);
        r | g << 8 | b << 16 | a << 24
    };
    // Most pixels of a wide edge are fully covered.
    let solid = source(65535);
    for run in runs {
        let pixels = &mut tile[run.start as usize..(run.start + run.count) as usize];
        for (index, pixel) in pixels.iter_mut().enumerate() {
            let weight = weight(stroke, run.across, index);
            let source = if weight == 65535 {
                solid
            } else {
                source(weight)
            };
            *pixel = over(*pixel, source, 255 - (source >> 24));
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::{
        __m256, __m256i, _mm256_add_epi16, _mm256_add_ps, _mm256_and_si256, _mm256_andnot_ps,
        _mm256_cmpgt_epi32, _mm256_cvttps_epi32, _mm256_max_ps, _mm256_min_ps, _mm256_mul_ps,
        _mm256_mulhi_epu16, _mm256_mullo_epi16, _mm256_or_si256, _mm256_packus_epi16,
        _mm256_set_epi32, _mm256_set_ps, _mm256_set1_epi16, _mm256_set1_epi32, _mm256_set1_ps,
        _mm256_setzero_si256, _mm256_shufflehi_epi16, _mm256_shufflelo_epi16, _mm256_slli_epi32,
        _mm256_srli_epi16, _mm256_sub_epi16, _mm256_sub_ps, _mm256_unpackhi_epi8,
        _mm256_unpackhi_epi32, _mm256_unpacklo_epi8, _mm256_unpacklo_epi32,
    };

    use super::{RUN_SLACK, RowRun, Stroke};

    /// `x / 255`, rounded, for products of two bytes in 16-bit lanes.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn divide_by_255(product: __m256i) -> __m256i {
        let rounded = _mm256_add_epi16(product, _mm256_set1_epi16(128));
        _mm256_srli_epi16(_mm256_add_epi16(rounded, _mm256_srli_epi16(product, 8)), 8)
    }

    /// Four pixels' channels in 16-bit lanes (as `_mm256_unpack*_epi8`
    /// lays them out), blended with `color` at the given weights.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn blend(destination: __m256i, weights: __m256i, color: __m256i) -> __m256i {
        let source = _mm256_srli_epi16(
            _mm256_add_epi16(_mm256_mulhi_epu16(color, weights), _mm256_set1_epi16(128)),
            8,
        );
        // Each pixel's alpha (lane 3 of 4) in all four of its lanes.
        let alpha = _mm256_shufflehi_epi16(_mm256_shufflelo_epi16(source, 0xff), 0xff);
        let keep = _mm256_sub_epi16(_mm256_set1_epi16(255), alpha);
        _mm256_add_epi16(source, divide_by_255(_mm256_mullo_epi16(destination, keep)))
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn paint(tile: &mut [u32], runs: &[RowRun], stroke: &Stroke) {
        let color = {
            let [r, g, b, a] = stroke.color;
            let pair = |low: u16, high: u16| (u32::from(low) | u32::from(high) << 16) as i32;
            let (rg, ba) = (pair(r, g), pair(b, a));
            _mm256_set_epi32(ba, rg, ba, rg, ba, rg, ba, rg)
        };
        let lanes: __m256 = _mm256_set_ps(7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0);
        let lane_index = _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0);
        let step = _mm256_set1_ps(stroke.step);
        let reach = _mm256_set1_ps(stroke.reach);
        let sign_bit = _mm256_set1_ps(-0.0);
        let (zero, one) = (_mm256_set1_ps(0.0), _mm256_set1_ps(1.0));
        let (scale, half) = (_mm256_set1_ps(65535.0), _mm256_set1_ps(0.5));
        let zero_bytes = _mm256_setzero_si256();
        for run in runs {
            let (start, count) = (run.start as usize, run.count as usize);
            let first = _mm256_set1_ps(run.across);
            let mut offset = 0;
            while offset < count {
                let at = start + offset;
                let chunk: &mut [u32; RUN_SLACK] = (&mut tile[at..at + RUN_SLACK])
                    .try_into()
                    .unwrap_or_else(|_| unreachable!("the slice is RUN_SLACK long"));
                // across = first + step · index, as the scalar version.
                let index = _mm256_add_ps(lanes, _mm256_set1_ps(offset as f32));
                let across = _mm256_add_ps(first, _mm256_mul_ps(step, index));
                let coverage = _mm256_min_ps(
                    _mm256_max_ps(
                        _mm256_sub_ps(reach, _mm256_andnot_ps(sign_bit, across)),
                        zero,
                    ),
                    one,
                );
                let weights =
                    _mm256_cvttps_epi32(_mm256_add_ps(_mm256_mul_ps(coverage, scale), half));
                // Lanes past the run's end weigh nothing: they stay as they are.
                let remaining = _mm256_set1_epi32((count - offset).min(RUN_SLACK) as i32);
                let weights = _mm256_and_si256(weights, _mm256_cmpgt_epi32(remaining, lane_index));
                // Each pixel's weight in both halves of its 32-bit lane,
                // then in the four 16-bit lanes of its channels.
                let doubled = _mm256_or_si256(weights, _mm256_slli_epi32(weights, 16));
                let destination: __m256i = bytemuck::cast(*chunk);
                let low = blend(
                    _mm256_unpacklo_epi8(destination, zero_bytes),
                    _mm256_unpacklo_epi32(doubled, doubled),
                    color,
                );
                let high = blend(
                    _mm256_unpackhi_epi8(destination, zero_bytes),
                    _mm256_unpackhi_epi32(doubled, doubled),
                    color,
                );
                *chunk = bytemuck::cast(_mm256_packus_epi16(low, high));
                offset += RUN_SLACK;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vector version and the scalar one give the same pixels, on
    /// runs of every length at many slopes, over many backgrounds, and
    /// leave the slack after each run alone.
    #[test]
    fn the_vector_and_scalar_versions_agree() {
        let mut seed = 12345u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for case in 0..4000 {
            let alpha = next() % 256;
            let channel = |value: u32| value % (alpha + 1);
            let solid = u32::from_le_bytes(
                [channel(next()), channel(next()), channel(next()), alpha].map(|c| c as u8),
            );
            let stroke = Stroke {
                step: (next() % 400) as f32 / 100.0 - 2.0,
                reach: (next() % 600) as f32 / 100.0 + 0.5,
                color: Stroke::fixed_color(solid, (next() % 1001) as f32 / 1000.0),
            };
            // Two runs, the second starting after the first's slack.
            let count = (case % 40) as u32;
            let runs = [
                RowRun {
                    start: 0,
                    count,
                    across: (next() % 2000) as f32 / 100.0 - 10.0,
                },
                RowRun {
                    start: count + RUN_SLACK as u32,
                    count: (next() % 20) + 1,
                    across: (next() % 2000) as f32 / 100.0 - 10.0,
                },
            ];
            let length = (runs[1].start + runs[1].count) as usize + RUN_SLACK;
            let background: Vec<u32> = (0..length)
                .map(|_| {
                    let alpha = next() % 256;
                    let c = |value: u32| (value % (alpha + 1)) as u8;
                    u32::from_le_bytes([c(next()), c(next()), c(next()), alpha as u8])
                })
                .collect();
            let mut scalar = background.clone();
            paint_scalar(&mut scalar, &runs, &stroke);
            let mut vector = background.clone();
            paint(&mut vector, &runs, &stroke);
            assert_eq!(scalar, vector, "{stroke:?}, {runs:?}");
            let slack = count as usize..count as usize + RUN_SLACK;
            assert_eq!(scalar[slack.clone()], background[slack]);
        }
    }

    /// Full coverage draws the solid colour over the pixel exactly as
    /// `over` does; no coverage leaves it as it was.
    #[test]
    fn full_coverage_is_the_solid_colour_and_none_is_nothing() {
        let solid = u32::from_le_bytes([20, 40, 60, 100]);
        let stroke = Stroke {
            step: 10.0,
            reach: 3.0,
            color: Stroke::fixed_color(solid, 1.0),
        };
        let background = u32::from_le_bytes([200, 100, 50, 255]);
        let mut pixels = vec![background; 3 + RUN_SLACK];
        let run = RowRun {
            start: 0,
            count: 3,
            across: 0.0,
        };
        paint(&mut pixels, &[run], &stroke);
        let expected = over(background, solid, 255 - 100);
        assert_eq!(pixels[0], expected);
        assert_eq!(pixels[1], background, "10 px off the line");
        assert_eq!(pixels[2], background);
    }
}
