//! Disconnected components, laid out on their own and packed: nothing repels across
//! components, so many small components no longer form `ForceAtlas2`'s ring of dots around the
//! main one. Large components each run in their own [`Engine`]; small ones are laid out once by
//! an exact spring embedder (they are tiny) and keep their shape; isolated nodes fill a grid.
//! The pieces are then packed: the largest in the centre, the rest by size in rows above and
//! below it, the isolated nodes' grid at the bottom edge.

/// Components with fewer nodes than this are laid out once, exactly, at the start.
pub(crate) const SMALL_COMPONENT: usize = 64;

/// Connected components by union–find: a component number per node, numbered by size (largest
/// first; ties by lowest member), and the component count.
pub(crate) fn components(n: usize, edges: &[(u32, u32)]) -> (Vec<u32>, usize) {
    fn root(parent: &mut [u32], mut i: u32) -> u32 {
        while parent[i as usize] != i {
            let next = parent[parent[i as usize] as usize];
            parent[i as usize] = next;
            i = next;
        }
        i
    }
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for &(s, t) in edges {
        if (s as usize) < n && (t as usize) < n {
            let (a, b) = (root(&mut parent, s), root(&mut parent, t));
            if a != b {
                // The lower index becomes the root, so the result is order independent.
                let (lo, hi) = (a.min(b), a.max(b));
                parent[hi as usize] = lo;
            }
        }
    }
    let roots: Vec<u32> = (0..n as u32).map(|i| root(&mut parent, i)).collect();
    let mut size = vec![0u32; n];
    for &r in &roots {
        size[r as usize] += 1;
    }
    let mut order: Vec<u32> = (0..n as u32).filter(|&i| roots[i as usize] == i).collect();
    order.sort_by_key(|&r| (std::cmp::Reverse(size[r as usize]), r));
    let mut number = vec![0u32; n];
    for (k, &r) in order.iter().enumerate() {
        number[r as usize] = k as u32;
    }
    (
        roots.iter().map(|&r| number[r as usize]).collect(),
        order.len(),
    )
}

/// A small component's shape from an exact Fruchterman–Reingold run, scaled to a mean edge
/// length of 1 (the run itself spreads a component wider the more nodes it has): sequential,
/// seeded by the node order only, so it is the same everywhere.
pub(crate) fn small_shape(k: usize, edges: &[(u32, u32)]) -> Vec<[f32; 2]> {
    if k <= 1 {
        return vec![[0.0, 0.0]; k];
    }
    let radius = 0.5 * (k as f32).sqrt();
    let mut pos: Vec<[f32; 2]> = (0..k)
        .map(|i| {
            let a = i as f32 / k as f32 * std::f32::consts::TAU;
            // A slight spiral breaks the symmetry of the circle.
            let r = radius * (1.0 + 0.1 * i as f32 / k as f32);
            [r * a.cos(), r * a.sin()]
        })
        .collect();
    let iterations = 200;
    let mut disp = vec![[0.0f32; 2]; k];
    for it in 0..iterations {
        let temperature = radius * 0.2 * (1.0 - it as f32 / iterations as f32) + 0.01;
        disp.fill([0.0, 0.0]);
        for a in 0..k {
            for b in a + 1..k {
                let (dx, dy) = (pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]);
                let d2 = (dx * dx + dy * dy).max(1e-6);
                let f = 1.0 / d2;
                disp[a] = [disp[a][0] + dx * f, disp[a][1] + dy * f];
                disp[b] = [disp[b][0] - dx * f, disp[b][1] - dy * f];
            }
        }
        for &(s, t) in edges {
            let (s, t) = (s as usize, t as usize);
            if s == t {
                continue;
            }
            let (dx, dy) = (pos[s][0] - pos[t][0], pos[s][1] - pos[t][1]);
            let d = (dx * dx + dy * dy).sqrt();
            disp[s] = [disp[s][0] - dx * d, disp[s][1] - dy * d];
            disp[t] = [disp[t][0] + dx * d, disp[t][1] + dy * d];
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            if len > 0.0 && len.is_finite() {
                let step = len.min(temperature) / len;
                *p = [p[0] + d[0] * step, p[1] + d[1] * step];
            }
        }
    }
    let (mut total, mut count) = (0.0f32, 0usize);
    for &(s, t) in edges {
        let (a, b) = (pos[s as usize], pos[t as usize]);
        if s != t {
            total += ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
            count += 1;
        }
    }
    let mean = total / count.max(1) as f32;
    if mean > 0.0 && mean.is_finite() {
        for p in &mut pos {
            *p = [p[0] / mean, p[1] / mean];
        }
    }
    pos
}

/// The most room kept around a packed component, in packing gaps (mean edge lengths).
const MAX_MARGIN_GAPS: f32 = 8.0;

/// The room kept around a piece (between its box and the next one's, shared): one gap for
/// pairs and triangles, so many of them pack tightly; for bigger components twice the piece's
/// own size, up to [`MAX_MARGIN_GAPS`]. So a component reads as a group of its own: a node's
/// nearest neighbours on screen are its own component's, as in `igraph`'s `DrL` (Newman's
/// netscience, 396 components: kNN agreement with Louvain's communities 0.516 with one gap
/// everywhere, 0.544 with this; `DrL` 0.541–0.546 over five seeds).
fn margin(piece: &Piece, gap: f32) -> f32 {
    let b = piece.bbox;
    if piece.nodes <= 3 {
        return gap;
    }
    let side = (b[2] - b[0]).max(b[3] - b[1]);
    (side * 2.0).clamp(gap, gap * MAX_MARGIN_GAPS)
}

/// A piece to pack: its bounding box in its own coordinates.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece {
    pub(crate) bbox: [f32; 4],
    pub(crate) nodes: usize,
}

/// Where each piece goes: the translation to add to its own coordinates. `pieces[0]` is the
/// centre piece; the rest are placed in the given order (callers sort by size) in rows of
/// width about `√(area · 1.6)`, alternately below and above it, each with its [`margin`]
/// around it. Then `grid` isolated nodes fill rows at the bottom edge, `gap` apart; their
/// positions are returned too.
#[allow(clippy::many_single_char_names)] // geometry
pub(crate) fn pack(pieces: &[Piece], grid: usize, gap: f32) -> (Vec<[f32; 2]>, Vec<[f32; 2]>) {
    let room = |index: usize| {
        // The centre piece (the largest component) keeps one gap: the rows' own margins keep
        // them apart from it, and more would leave a moat around it that wastes the view.
        if index == 0 {
            gap
        } else {
            margin(&pieces[index], gap)
        }
    };
    let size = |index: usize| {
        let b = pieces[index].bbox;
        [
            (b[2] - b[0]).max(0.0) + room(index),
            (b[3] - b[1]).max(0.0) + room(index),
        ]
    };
    let mut offsets = vec![[0.0f32; 2]; pieces.len()];
    let area: f32 = (0..pieces.len())
        .map(|index| {
            let [w, h] = size(index);
            w * h
        })
        .sum::<f32>()
        + grid as f32 * gap * gap;
    let centre = if pieces.is_empty() {
        [gap, gap]
    } else {
        size(0)
    };
    let width = centre[0].max((area * 1.6).sqrt());
    if let Some(first) = pieces.first() {
        let b = first.bbox;
        offsets[0] = [-(b[0] + b[2]) * 0.5, -(b[1] + b[3]) * 0.5];
    }
    // Rows grow down from the centre piece's bottom edge and up from its top edge.
    let (mut below, mut above) = (centre[1] * 0.5, centre[1] * 0.5);
    let mut next_below = true;
    let mut i = 1;
    while i < pieces.len() {
        // One row: as many pieces as fit in the width (at least one).
        let start = i;
        let mut row_width = 0.0;
        let mut row_height: f32 = 0.0;
        while i < pieces.len() {
            let [w, h] = size(i);
            if i > start && row_width + w > width {
                break;
            }
            row_width += w;
            row_height = row_height.max(h);
            i += 1;
        }
        let top = if next_below {
            below += row_height;
            below - row_height
        } else {
            above += row_height;
            -above
        };
        let mut x = -row_width * 0.5;
        for (k, piece) in pieces.iter().enumerate().take(i).skip(start) {
            let [w, h] = size(k);
            let b = piece.bbox;
            // The piece's box, centred in its slot vertically, half its margin inside it.
            let half = room(k) * 0.5;
            offsets[k] = [x + half - b[0], top + (row_height - h) * 0.5 + half - b[1]];
            x += w;
        }
        next_below = !next_below;
    }
    let columns = ((width / gap).floor() as usize).max(1);
    let grid_top = below + gap;
    let cells = (0..grid)
        .map(|k| {
            let (row, column) = (k / columns, k % columns);
            [
                -width * 0.5 + (column as f32 + 0.5) * gap,
                grid_top + row as f32 * gap,
            ]
        })
        .collect();
    // Pieces are placed in y-down order above; the layout's y is only a convention, so the
    // isolated grid simply sits past the last row below the centre.
    (offsets, cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_numbered_by_size() {
        let (c, count) = components(6, &[(4, 5), (1, 2), (2, 3)]);
        assert_eq!(count, 3);
        assert_eq!(c, vec![2, 0, 0, 0, 1, 1]);
    }

    /// The check: one large component plus 1,000 pairs and triangles (and a few
    /// isolated nodes), laid out until settled. No two components' boxes overlap, and the
    /// components fill the fitted view: their boxes, each grown by a node's room (a quarter of
    /// the packing gap on every side, so a pair lying flat still covers the disc of its nodes),
    /// cover at least 30% of the smallest 16:10 rectangle around the whole picture.
    #[test]
    fn many_components_pack_without_overlap_and_fill_the_view() {
        use crate::layout::{Layout, LayoutSettings};
        let mut edges = Vec::new();
        let mut members: Vec<Vec<u32>> = Vec::new();
        // The large component: a ring of 1,500 with chords, connected by construction.
        let big = 1500u32;
        for i in 0..big {
            edges.push((i, (i + 1) % big));
            edges.push((i, (i * 7 + 3) % big));
        }
        members.push((0..big).collect());
        let mut next = big;
        for k in 0..1000 {
            let size = if k % 2 == 0 { 2 } else { 3 };
            let nodes: Vec<u32> = (next..next + size).collect();
            for w in 0..size {
                if size == 2 && w == 1 {
                    break;
                }
                edges.push((nodes[w as usize], nodes[((w + 1) % size) as usize]));
            }
            next += size;
            members.push(nodes);
        }
        for _ in 0..7 {
            members.push(vec![next]);
            next += 1;
        }
        let mut layout = Layout::new(next as usize, &edges, LayoutSettings::default());
        while !layout.converged() && layout.iteration() < 3000 {
            layout.step();
        }
        let mut pos = Vec::new();
        layout.copy_positions_into(&mut pos);
        let boxes: Vec<[f32; 4]> = members
            .iter()
            .map(|m| {
                let points: Vec<[f32; 2]> = m.iter().map(|&i| pos[i as usize]).collect();
                crate::layout::order::bounding_box(&points)
            })
            .collect();
        for a in 0..boxes.len() {
            for b in a + 1..boxes.len() {
                let (p, q) = (boxes[a], boxes[b]);
                let apart = p[2] < q[0] || q[2] < p[0] || p[3] < q[1] || q[3] < p[1];
                assert!(apart, "components {a} {p:?} and {b} {q:?} overlap");
            }
        }
        let all = crate::layout::order::bounding_box(&pos);
        let room = layout_gap(&layout) * 0.25;
        let area: f64 = boxes
            .iter()
            .map(|b| f64::from(b[2] - b[0] + 2.0 * room) * f64::from(b[3] - b[1] + 2.0 * room))
            .sum();
        let (w, h) = (f64::from(all[2] - all[0]), f64::from(all[3] - all[1]));
        let fitted = if w / h > 1.6 {
            w * (w / 1.6)
        } else {
            h * 1.6 * h
        };
        assert!(
            area / fitted >= 0.3,
            "components cover {:.3} of the fitted view",
            area / fitted
        );
    }

    fn layout_gap(layout: &crate::layout::Layout) -> f32 {
        layout.packing_gap()
    }

    #[test]
    fn small_shapes_have_unit_edges() {
        let tri = small_shape(3, &[(0, 1), (1, 2), (2, 0)]);
        for (a, b) in [(0, 1), (1, 2), (2, 0)] {
            let d = ((tri[a][0] - tri[b][0]).powi(2) + (tri[a][1] - tri[b][1]).powi(2)).sqrt();
            assert!(d > 0.5 && d < 2.0, "{d}");
        }
    }
}
