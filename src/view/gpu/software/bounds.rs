//! Where a straight shape lies on each row: bounds on x that move by a
//! constant step from row to row, and the pixels between them.

use egui::Vec2;

/// A linear function of the pixel centre: `normal · (p − origin)`.
#[derive(Clone, Copy)]
pub(super) struct Linear {
    pub(super) normal: Vec2,
    pub(super) offset: f32,
}

impl Linear {
    pub(super) fn new(normal: Vec2, origin: Vec2) -> Self {
        Self {
            normal,
            offset: -normal.dot(origin),
        }
    }

    #[inline]
    pub(super) fn at(self, x: f32, y: f32) -> f32 {
        self.normal.x * x + self.normal.y * y + self.offset
    }
}

/// A convex region `f(p) <= limit` for up to four linear `f`, scanned row
/// by row: on each row it is the pixel centres between the greatest lower
/// bound and the least upper bound on x, each `start + step * y`. Unused
/// bounds are infinite, so the scan is four fixed steps each way.
pub(super) struct Region {
    lower: [(f32, f32); 4],
    upper: [(f32, f32); 4],
}

impl Region {
    pub(super) fn new(constraints: &[(Linear, f32)]) -> Self {
        let mut region = Self {
            lower: [(f32::NEG_INFINITY, 0.0); 4],
            upper: [(f32::INFINITY, 0.0); 4],
        };
        let (mut lowers, mut uppers) = (0, 0);
        for &(function, limit) in constraints.iter().take(4) {
            // a x + b y + c <= limit  ⇔  x <= (limit − c − b y) / a  (a > 0).
            let a = if function.normal.x.abs() < 1e-6 {
                // Horizontal bound: all of the row or none of it.
                1e-6f32.copysign(function.normal.x)
            } else {
                function.normal.x
            };
            let bound = ((limit - function.offset) / a, -function.normal.y / a);
            if a > 0.0 {
                region.upper[uppers] = bound;
                uppers += 1;
            } else {
                region.lower[lowers] = bound;
                lowers += 1;
            }
        }
        region
    }

    /// The pixels of the row at `center_y` inside the region, within
    /// columns `left..right`.
    #[inline]
    pub(super) fn pixels(
        &self,
        center_y: f32,
        left: usize,
        right: usize,
    ) -> Option<(usize, usize)> {
        let [l0, l1, l2, l3] = self.lower.map(|(start, step)| start + step * center_y);
        let [u0, u1, u2, u3] = self.upper.map(|(start, step)| start + step * center_y);
        let lo = (left as f32).max(l0.max(l1)).max(l2.max(l3));
        let hi = (right as f32).min(u0.min(u1)).min(u2.min(u3));
        // Pixel x's centre is x + 0.5: x in [lo − 0.5, hi − 0.5].
        let from = ceil_index(lo - 0.5).max(left as i64);
        let to = floor_index(hi - 0.5).min(right as i64 - 1);
        (to >= from).then_some((from as usize, to as usize))
    }
}

/// `x.floor()` as an integer, without a libm call or a branch (x86-64's
/// baseline has no rounding instruction). Clamped to ±10⁹, far outside any
/// picture; NaN gives 0, which the callers' ranges then clip.
#[inline]
pub(super) fn floor_index(x: f32) -> i64 {
    let x = x.clamp(-1.0e9, 1.0e9);
    let truncated = x as i32;
    i64::from(truncated - i32::from(truncated as f32 > x))
}

#[inline]
pub(super) fn ceil_index(x: f32) -> i64 {
    -floor_index(-x)
}

/// The pixels whose centres lie in `[lo, hi]`, within columns `left..right`.
#[inline]
pub(super) fn pixel_range(lo: f32, hi: f32, left: usize, right: usize) -> Option<(usize, usize)> {
    // Pixel x's centre is x + 0.5: x in [lo − 0.5, hi − 0.5].
    let from = ceil_index(lo - 0.5).max(left as i64);
    let to = floor_index(hi - 0.5).min(right as i64 - 1);
    (to >= from).then_some((from as usize, to as usize))
}

/// Where on each row `low <= f(p) <= high` holds for a linear `f`: between
/// two bounds on x, each `start + step * y`. Where `f` hardly depends on x
/// (an edge along the row), the bounds are huge: all of the row or none.
#[derive(Clone, Copy)]
pub(super) struct Span {
    low: (f32, f32),
    high: (f32, f32),
}

impl Span {
    pub(super) fn new(function: Linear, low: f32, high: f32) -> Self {
        let a = if function.normal.x.abs() < 1e-6 {
            1e-6f32.copysign(function.normal.x)
        } else {
            function.normal.x
        };
        // a x + b y + c = limit  ⇔  x = (limit − c − b y) / a.
        let bound = |limit: f32| ((limit - function.offset) / a, -function.normal.y / a);
        let (at_low, at_high) = (bound(low), bound(high));
        if a > 0.0 {
            Self {
                low: at_low,
                high: at_high,
            }
        } else {
            Self {
                low: at_high,
                high: at_low,
            }
        }
    }

    #[inline]
    pub(super) fn at(self, y: f32) -> (f32, f32) {
        (self.low.0 + self.low.1 * y, self.high.0 + self.high.1 * y)
    }
}

/// The part of the segment `start + t · delta`, `t` in 0..=1, whose value
/// lies in `lo..=hi`, as its range of `t` (one coordinate of a segment
/// clipped to a band of rows or columns).
pub(super) fn clip(start: f32, delta: f32, lo: f32, hi: f32) -> Option<(f32, f32)> {
    if delta.abs() < 1e-9 {
        return (start >= lo && start <= hi).then_some((0.0, 1.0));
    }
    let (ta, tb) = ((lo - start) / delta, (hi - start) / delta);
    let (t0, t1) = (ta.min(tb).max(0.0), ta.max(tb).min(1.0));
    (t0 <= t1).then_some((t0, t1))
}

/// The rows (as a y range) where the convex polygon `corners` lies
/// within columns `left..right`: the extent of its sides clipped to them.
pub(super) fn rows_within_columns(corners: &[Vec2], left: f32, right: f32) -> Option<(f32, f32)> {
    let (mut top, mut bottom) = (f32::INFINITY, f32::NEG_INFINITY);
    for (index, &p) in corners.iter().enumerate() {
        let q = corners[(index + 1) % corners.len()];
        let Some((t0, t1)) = clip(p.x, q.x - p.x, left, right) else {
            continue;
        };
        let (y0, y1) = (p.y + (q.y - p.y) * t0, p.y + (q.y - p.y) * t1);
        top = top.min(y0.min(y1));
        bottom = bottom.max(y0.max(y1));
    }
    (top <= bottom).then_some((top, bottom))
}
