//! `ForceAtlas2` forces (Jacomy et al. 2014, with Gephi's constants): degree-weighted repulsion
//! through the Barnes–Hut tree, linear or `LinLog` attraction gathered per node over its adjacency
//! rows, and normal or strong gravity; plus the exact O(n²) f64 reference used by tests and the
//! accuracy checks.

use rayon::prelude::*;

use super::LayoutSettings;
use super::adjacency::{Adjacency, SOURCE_FLAG};
use super::order::CHUNK;

/// The force constants of one layout, derived once from [`LayoutSettings`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct ForceParams {
    kr: f32,
    gravity: f32,
    strong_gravity: bool,
    lin_log: bool,
    outbound: bool,
    /// Attraction coefficient; with outbound attraction distribution Gephi multiplies it by the
    /// mean mass so the overall strength stays comparable.
    attraction: f32,
}

impl ForceParams {
    pub(crate) fn new(settings: &LayoutSettings, mean_mass: f64) -> Self {
        let outbound = settings.uses_outbound_distribution();
        let attraction = if outbound { mean_mass as f32 } else { 1.0 };
        Self {
            kr: settings.scaling_ratio,
            gravity: settings.gravity,
            strong_gravity: settings.strong_gravity,
            lin_log: settings.uses_lin_log(),
            outbound,
            attraction,
        }
    }
}

/// Node arrays in internal (curve) order, read-only during the force pass.
pub(crate) struct Nodes<'a> {
    /// Raw repulsion sums in sorted order, and each node's position in that order.
    pub(crate) rep_x: &'a [f32],
    pub(crate) rep_y: &'a [f32],
    pub(crate) sorted_pos: &'a [u32],
    /// Positions as `[x, y]` pairs: the attraction gather reads a neighbour's position with
    /// one cache miss instead of two.
    pub(crate) pos: &'a [[f32; 2]],
    pub(crate) mass: &'a [f32],
    pub(crate) pinned: &'a [bool],
    /// Adjacency row of each node.
    pub(crate) row_of: &'a [u32],
}

#[allow(clippy::many_single_char_names)] // the formulas' own notation
/// The total FA2 force on node `i`, given its raw repulsion sum `(rx, ry)` from the tree.
#[inline]
fn node_force(
    p: &ForceParams,
    nodes: &Nodes<'_>,
    row: &[u32],
    weights: Option<&[f32]>,
    i: usize,
    (rx, ry): (f32, f32),
) -> (f32, f32) {
    let ([xi, yi], mi) = (nodes.pos[i], nodes.mass[i]);
    let rep = p.kr * mi;
    let (mut fx, mut fy) = (rx * rep, ry * rep);

    // Attraction: each incident edge pulls toward the neighbour (both directions are in the row),
    // in proportion to its weight where edges have weights. Two loops, so that the common
    // unweighted one carries no multiplication.
    let (ax, ay) = match weights {
        None => attraction(p, nodes, row, i, |_| 1.0),
        Some(w) => attraction(p, nodes, row, i, |k| w[k]),
    };
    fx -= ax * p.attraction;
    fy -= ay * p.attraction;
    gravity_and_guard(p, xi, yi, mi, fx, fy)
}

/// The attraction of node `i`'s `row`, edge `k` weighing `weight(k)`.
#[allow(clippy::many_single_char_names)] // the formulas' own notation
#[allow(clippy::inline_always)] // the hot loop: inlined, `|_| 1.0` costs nothing
#[inline(always)]
fn attraction(
    p: &ForceParams,
    nodes: &Nodes<'_>,
    row: &[u32],
    i: usize,
    weight: impl Fn(usize) -> f32,
) -> (f32, f32) {
    let ([xi, yi], mi) = (nodes.pos[i], nodes.mass[i]);
    let (mut ax, mut ay) = (0.0f32, 0.0f32);
    for (k, &e) in row.iter().enumerate() {
        let j = (e & !SOURCE_FLAG) as usize;
        let [xj, yj] = nodes.pos[j];
        let (dx, dy) = (xi - xj, yi - yj);
        let mut f = 1.0;
        if p.lin_log {
            let d = (dx * dx + dy * dy).sqrt();
            if d <= 0.0 {
                continue;
            }
            f = ln_1p(d) / d;
        }
        if p.outbound {
            f /= if e & SOURCE_FLAG != 0 {
                mi
            } else {
                nodes.mass[j]
            };
        }
        f *= weight(k);
        ax += dx * f;
        ay += dy * f;
    }
    (ax, ay)
}

/// Adds gravity to the force `(fx, fy)` on a node of mass `mi` at `(xi, yi)`; a non-finite
/// result becomes zero.
#[inline]
fn gravity_and_guard(
    p: &ForceParams,
    xi: f32,
    yi: f32,
    mi: f32,
    mut fx: f32,
    mut fy: f32,
) -> (f32, f32) {
    // Gravity toward the origin: constant magnitude gravity * mass, or proportional to the
    // distance in strong mode.
    if p.strong_gravity {
        fx -= xi * p.gravity * mi;
        fy -= yi * p.gravity * mi;
    } else {
        let d = (xi * xi + yi * yi).sqrt();
        if d > 0.0 {
            let g = p.gravity * mi / d;
            fx -= xi * g;
            fy -= yi * g;
        }
    }
    // A non-finite force (overflow on absurd inputs) must not poison positions.
    if fx.is_finite() && fy.is_finite() {
        (fx, fy)
    } else {
        (0.0, 0.0)
    }
}

/// `ln(1 + x)` for `x >= 0` from `+ - * /` and bit operations only, which IEEE 754 makes
/// exact, so `LinLog` layouts are bit-identical on every platform (the standard `ln` is not
/// specified to the last bit). `1 + x = 2^e · m` with `m` in `[√½, √2)`, and
/// `ln m = 2 atanh s` with `s = (m - 1) / (m + 1)`, `|s| < 0.172`: five terms of the odd
/// series are within f32 rounding.
#[inline]
#[allow(clippy::many_single_char_names)] // the formula's notation
pub(crate) fn ln_1p(x: f32) -> f32 {
    let v = 1.0 + x;
    if !(v.is_finite() && v >= f32::MIN_POSITIVE) {
        return if v > 0.0 {
            f32::INFINITY
        } else {
            f32::NEG_INFINITY
        };
    }
    let bits = v.to_bits();
    let mut e = ((bits >> 23) & 0xff) as i32 - 127;
    let mut m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    if m > std::f32::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // For small x, 1 + x rounds away most of x's digits: use x itself (ln(1+x) ≈ x − x²/2 + …).
    let s = if e == 0 {
        x / (2.0 + x)
    } else {
        (m - 1.0) / (m + 1.0)
    };
    let s2 = s * s;
    let series =
        s * (2.0 + s2 * (2.0 / 3.0 + s2 * (2.0 / 5.0 + s2 * (2.0 / 7.0 + s2 * (2.0 / 9.0)))));
    e as f32 * std::f32::consts::LN_2 + series
}

/// Output buffers of the force pass, all in internal order.
pub(crate) struct ForceOut<'a> {
    /// On entry the previous iteration's force, on exit the new one.
    pub(crate) dx: &'a mut [f32],
    pub(crate) dy: &'a mut [f32],
    /// Per-node swinging `mass * |F_old - F_new|` (0 for pinned nodes).
    pub(crate) swing: &'a mut [f32],
    /// One `[swinging, effective traction]` partial sum per [`CHUNK`] nodes.
    pub(crate) partials: &'a mut [[f64; 2]],
}

/// Computes all forces in parallel (one task per fixed chunk of nodes, each node's force by one
/// task) and returns the global `(swinging, effective traction)` sums. The per-chunk partial
/// sums are added sequentially in chunk order, so the totals are identical on any pool.
#[allow(clippy::many_single_char_names)] // the formulas' own notation
pub(crate) fn force_pass(
    p: &ForceParams,
    nodes: &Nodes<'_>,
    adj: &Adjacency,
    out: &mut ForceOut<'_>,
) -> (f64, f64) {
    out.dx
        .par_chunks_mut(CHUNK)
        .zip(out.dy.par_chunks_mut(CHUNK))
        .zip(out.swing.par_chunks_mut(CHUNK))
        .zip(out.partials.par_iter_mut())
        .enumerate()
        .for_each(|(c, (((dx, dy), swing), part))| {
            let (mut total_swing, mut total_traction) = (0.0f64, 0.0f64);
            for k in 0..dx.len() {
                let i = c * CHUNK + k;
                if nodes.pinned[i] {
                    (dx[k], dy[k], swing[k]) = (0.0, 0.0, 0.0);
                    continue;
                }
                let sorted = nodes.sorted_pos[i] as usize;
                let rep = (nodes.rep_x[sorted], nodes.rep_y[sorted]);
                let r = nodes.row_of[i] as usize;
                let (fx, fy) = node_force(p, nodes, adj.row(r), adj.row_weights(r), i, rep);
                let m = nodes.mass[i];
                let (ox, oy) = (dx[k], dy[k]);
                let s = m * ((ox - fx) * (ox - fx) + (oy - fy) * (oy - fy)).sqrt();
                let t = 0.5 * m * ((ox + fx) * (ox + fx) + (oy + fy) * (oy + fy)).sqrt();
                (dx[k], dy[k], swing[k]) = (fx, fy, s);
                total_swing += f64::from(s);
                total_traction += f64::from(t);
            }
            *part = [total_swing, total_traction];
        });
    out.partials
        .iter()
        .fold((0.0, 0.0), |(s, t), p| (s + p[0], t + p[1]))
}

/// Exact O(n²) `ForceAtlas2` forces (no Barnes–Hut), single-threaded, in f64: the reference for
/// tests and accuracy checks. Same conventions as the layout: mass = 1 + degree (self-loops and
/// out-of-range edges ignored, parallel edges counted), coincident nodes do not repel.
#[allow(clippy::many_single_char_names)] // the formulas' own notation
pub fn exact_forces(
    positions: &[[f32; 2]],
    edges: &[(u32, u32)],
    settings: &LayoutSettings,
) -> Vec<[f64; 2]> {
    let n = positions.len();
    let usable = |&&(s, t): &&(u32, u32)| s != t && (s as usize) < n && (t as usize) < n;
    let mut mass = vec![1.0f64; n];
    for &(s, t) in edges.iter().filter(usable) {
        mass[s as usize] += 1.0;
        mass[t as usize] += 1.0;
    }
    let pos: Vec<[f64; 2]> = positions
        .iter()
        .map(|p| [f64::from(p[0]), f64::from(p[1])])
        .collect();
    let kr = f64::from(settings.scaling_ratio);
    let mut f = vec![[0.0f64; 2]; n];
    for a in 0..n {
        for b in 0..n {
            let (dx, dy) = (pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]);
            let d2 = dx * dx + dy * dy;
            if d2 > 0.0 {
                let k = kr * mass[a] * mass[b] / d2;
                f[a][0] += dx * k;
                f[a][1] += dy * k;
            }
        }
    }
    let coef = if settings.uses_outbound_distribution() {
        mass.iter().sum::<f64>() / n as f64
    } else {
        1.0
    };
    for &(s, t) in edges.iter().filter(usable) {
        let (s, t) = (s as usize, t as usize);
        let (dx, dy) = (pos[s][0] - pos[t][0], pos[s][1] - pos[t][1]);
        let d = (dx * dx + dy * dy).sqrt();
        let mut k = coef;
        if settings.uses_lin_log() {
            if d <= 0.0 {
                continue;
            }
            k *= d.ln_1p() / d;
        }
        if settings.uses_outbound_distribution() {
            k /= mass[s];
        }
        f[s][0] -= dx * k;
        f[s][1] -= dy * k;
        f[t][0] += dx * k;
        f[t][1] += dy * k;
    }
    let g = f64::from(settings.gravity);
    for (i, p) in pos.iter().enumerate() {
        let d = (p[0] * p[0] + p[1] * p[1]).sqrt();
        let k = if settings.strong_gravity {
            g * mass[i]
        } else if d > 0.0 {
            g * mass[i] / d
        } else {
            0.0
        };
        f[i][0] -= p[0] * k;
        f[i][1] -= p[1] * k;
    }
    f
}

#[cfg(test)]
mod ln_tests {
    #[test]
    fn ln_1p_matches_the_standard_library() {
        let mut x = 0.0f32;
        while x < 1e7 {
            let (got, want) = (super::ln_1p(x), f64::from(x).ln_1p());
            assert!(
                (f64::from(got) - want).abs() <= 1e-6 * want.max(1e-30) + 1e-12,
                "ln_1p({x}) = {got}, want {want}"
            );
            x = x * 1.01 + 1e-6;
        }
        assert_eq!(super::ln_1p(0.0).to_bits(), 0.0f32.to_bits());
    }
}
