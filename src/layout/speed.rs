//! `ForceAtlas2`'s adaptive speed (Gephi's formulas): a global speed steered by the ratio of total
//! swinging (oscillation) to total effective traction (useful motion) with jitter tolerance, and a
//! per-node damping by the node's own swinging; then the move itself.

use rayon::prelude::*;

use super::order::CHUNK;

/// Global speed state carried between iterations.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Speed {
    pub(crate) speed: f64,
    efficiency: f64,
}

impl Speed {
    pub(crate) fn new() -> Self {
        Self {
            speed: 1.0,
            efficiency: 1.0,
        }
    }

    /// Gephi's `ForceAtlas2.goAlgo` speed update for `n` nodes from this iteration's totals.
    pub(crate) fn update(
        &mut self,
        swinging: f64,
        traction: f64,
        n: usize,
        jitter_tolerance: f64,
    ) -> f64 {
        let n = n.max(1) as f64;
        let estimated_optimal = 0.05 * n.sqrt();
        let min_jt = estimated_optimal.sqrt();
        let max_jt: f64 = 10.0;
        let mut jt =
            jitter_tolerance * min_jt.max(max_jt.min(estimated_optimal * traction / (n * n)));
        let min_efficiency = 0.05;
        // Protection against erratic behaviour: mostly swinging means we are going too fast.
        if traction > 0.0 && swinging / traction > 2.0 || traction <= 0.0 && swinging > 0.0 {
            if self.efficiency > min_efficiency {
                self.efficiency *= 0.5;
            }
            jt = jt.max(jitter_tolerance);
        }
        let target = jt * self.efficiency * traction / swinging;
        if swinging > jt * traction {
            if self.efficiency > min_efficiency {
                self.efficiency *= 0.7;
            }
        } else if self.speed < 1000.0 {
            self.efficiency *= 1.3;
        }
        // The speed rises at most 50% per iteration (a jump would ruin convergence); a target
        // that is not a number (nothing moves: 0 / 0) just allows that rise.
        let max_rise = 0.5 * self.speed;
        let rise = if target.is_nan() {
            max_rise
        } else {
            (target - self.speed).min(max_rise)
        };
        let next = self.speed + rise;
        if next.is_finite() && next > 0.0 {
            self.speed = next;
        }
        self.speed
    }
}

/// Node arrays the move updates, in internal order.
pub(crate) struct Moving<'a> {
    pub(crate) pos: &'a mut [[f32; 2]],
    pub(crate) dx: &'a [f32],
    pub(crate) dy: &'a [f32],
    pub(crate) swing: &'a [f32],
    pub(crate) pinned: &'a [bool],
}

/// Moves every free node by `F * speed / (1 + sqrt(speed * swinging))`, each step optionally
/// capped at `max_displacement`, and returns the total displacement (fixed-chunk partial sums
/// added in order, so it is the same on any pool).
pub(crate) fn apply_moves(
    m: &mut Moving<'_>,
    speed: f64,
    max_displacement: Option<f32>,
    partials: &mut [[f64; 2]],
) -> f64 {
    let speed32 = speed as f32;
    m.pos
        .par_chunks_mut(CHUNK)
        .zip(partials.par_iter_mut())
        .enumerate()
        .for_each(|(c, (pos, part))| {
            let mut total = 0.0f64;
            for (k, p) in pos.iter_mut().enumerate() {
                let i = c * CHUNK + k;
                if m.pinned[i] {
                    continue;
                }
                let (fx, fy) = (m.dx[i], m.dy[i]);
                let mut factor = speed32 / (1.0 + (speed32 * m.swing[i]).sqrt());
                let len = (fx * fx + fy * fy).sqrt();
                if let Some(cap) = max_displacement
                    && len * factor > cap
                {
                    factor = cap / len;
                }
                let (sx, sy) = (fx * factor, fy * factor);
                if sx.is_finite() && sy.is_finite() {
                    p[0] += sx;
                    p[1] += sy;
                    total += f64::from(len * factor);
                }
            }
            part[0] = total;
        });
    partials.iter().map(|p| p[0]).sum()
}

#[cfg(test)]
mod tests {
    use super::Speed;

    #[test]
    fn speed_rises_at_most_half_and_drops_when_swinging() {
        let mut s = Speed::new();
        assert!((s.update(0.0, 10.0, 100, 1.0) - 1.5).abs() < 1e-12);
        let before = s.speed;
        // Much more swinging than traction: the efficiency collapses and the speed falls.
        let after = s.update(1000.0, 1.0, 100, 1.0);
        assert!(after < before);
    }
}
