//! Which node or edge is under the pointer: a hierarchy of uniform grids
//! (each level's cells four times wider than the last), each item stored in
//! the finest level where it spans at most two cells a side. Grids are
//! filled with a counting sort (linear passes, no per-item allocation), and a
//! query looks at a few cells per level instead of scanning a million edges;
//! long edges live in coarse levels instead of flooding fine ones.

use super::gpu::{EdgeInstance, NodeStyle, SHAPE_EXTENT, shape_boundary};
use super::line_grid::LineGrid;
use crate::model::{EdgeIx, NodeIx};
use crate::scene::theme;
use crate::scene::{EdgeGeometry, node_style_is_hidden};

/// Each level's cells are this many times wider than the level below.
const LEVEL_RATIO: f32 = 4.0;
/// The finest level has at most this many cells.
const MAX_FINE_CELLS: usize = 4_000_000;

/// One level: item ids bucketed by cell.
#[derive(Debug, Default, Clone)]
struct Level {
    cell_size: f32,
    columns: usize,
    rows: usize,
    /// `cell_start[c]..cell_start[c + 1]` indexes `items` for cell `c`.
    cell_start: Vec<u32>,
    items: Vec<u32>,
}

#[derive(Debug, Default, Clone)]
struct Grid {
    origin: [f32; 2],
    levels: Vec<Level>,
    /// Scratch: the level each item went to (`u8::MAX`: left out).
    level_of: Vec<u8>,
}

impl Level {
    fn cell_range(
        &self,
        origin: [f32; 2],
        min: [f32; 2],
        max: [f32; 2],
    ) -> (usize, usize, usize, usize) {
        let cell = |value: f32, origin: f32, cells: usize| -> usize {
            (((value - origin) / self.cell_size).max(0.0) as usize).min(cells - 1)
        };
        (
            cell(min[0], origin[0], self.columns),
            cell(min[1], origin[1], self.rows),
            cell(max[0], origin[0], self.columns),
            cell(max[1], origin[1], self.rows),
        )
    }
}

impl Grid {
    /// `bounds(i)` gives item i's (min, max); items with None are left out.
    fn build(&mut self, count: usize, bounds: impl Fn(usize) -> Option<([f32; 2], [f32; 2])>) {
        let mut lo = [f32::INFINITY; 2];
        let mut hi = [f32::NEG_INFINITY; 2];
        for item in 0..count {
            if let Some((min, max)) = bounds(item) {
                lo = [lo[0].min(min[0]), lo[1].min(min[1])];
                hi = [hi[0].max(max[0]), hi[1].max(max[1])];
            }
        }
        self.levels.clear();
        if !lo[0].is_finite() || !hi[0].is_finite() {
            return;
        }
        self.origin = lo;
        let extent = [(hi[0] - lo[0]).max(1e-3), (hi[1] - lo[1]).max(1e-3)];
        // About two items per finest cell if every item were small.
        let cells_wanted = (count / 2).clamp(1, MAX_FINE_CELLS) as f32;
        let mut cell_size = ((extent[0] * extent[1]) / cells_wanted).sqrt().max(1e-3);
        loop {
            let columns = (extent[0] / cell_size) as usize + 1;
            let rows = (extent[1] / cell_size) as usize + 1;
            self.levels.push(Level {
                cell_size,
                columns,
                rows,
                cell_start: vec![0; columns * rows + 1],
                items: Vec::new(),
            });
            if columns <= 2 && rows <= 2 {
                break;
            }
            cell_size *= LEVEL_RATIO;
        }
        // Pass 1: choose each item's level and count items per cell.
        self.level_of.clear();
        self.level_of.resize(count, u8::MAX);
        let top = self.levels.len() - 1;
        for item in 0..count {
            let Some((min, max)) = bounds(item) else {
                continue;
            };
            let span = (max[0] - min[0]).max(max[1] - min[1]);
            let level = self
                .levels
                .iter()
                .position(|level| span <= level.cell_size)
                .unwrap_or(top);
            self.level_of[item] = level as u8;
            let level = &mut self.levels[level];
            let (c0, r0, c1, r1) = level.cell_range(self.origin, min, max);
            for row in r0..=r1 {
                for column in c0..=c1 {
                    level.cell_start[row * level.columns + column + 1] += 1;
                }
            }
        }
        let mut cursors: Vec<Vec<u32>> = Vec::with_capacity(self.levels.len());
        for level in &mut self.levels {
            let cells = level.columns * level.rows;
            for cell in 0..cells {
                level.cell_start[cell + 1] += level.cell_start[cell];
            }
            level.items = vec![0; level.cell_start[cells] as usize];
            cursors.push(level.cell_start[..cells].to_vec());
        }
        // Pass 2: place them.
        for item in 0..count {
            let level_index = self.level_of[item];
            if level_index == u8::MAX {
                continue;
            }
            let Some((min, max)) = bounds(item) else {
                continue;
            };
            let level = &mut self.levels[level_index as usize];
            let cursor = &mut cursors[level_index as usize];
            let (c0, r0, c1, r1) = level.cell_range(self.origin, min, max);
            for row in r0..=r1 {
                for column in c0..=c1 {
                    let slot = &mut cursor[row * level.columns + column];
                    level.items[*slot as usize] = item as u32;
                    *slot += 1;
                }
            }
        }
    }

    /// Calls `visit` for every item whose cells overlap the square around
    /// `point` (an item may be visited more than once).
    fn candidates(&self, point: [f32; 2], radius: f32, mut visit: impl FnMut(u32)) {
        for level in &self.levels {
            let (c0, r0, c1, r1) = level.cell_range(
                self.origin,
                [point[0] - radius, point[1] - radius],
                [point[0] + radius, point[1] + radius],
            );
            for row in r0..=r1 {
                for column in c0..=c1 {
                    let cell = row * level.columns + column;
                    for &item in &level.items
                        [level.cell_start[cell] as usize..level.cell_start[cell + 1] as usize]
                    {
                        visit(item);
                    }
                }
            }
        }
    }
}

/// A segment set up for a division-free distance test.
#[derive(Debug, Clone, Copy)]
struct Chord {
    start: [f32; 2],
    delta: [f32; 2],
    inverse_length_squared: f32,
    slack: f32,
}

impl Chord {
    /// Never near anything (an edge whose ends are unknown).
    const NONE: Self = Self {
        start: [f32::NAN; 2],
        delta: [0.0; 2],
        inverse_length_squared: 0.0,
        slack: 0.0,
    };

    fn new(chord: [f32; 4], slack: f32) -> Self {
        let delta = [chord[2] - chord[0], chord[3] - chord[1]];
        let length_squared = delta[0] * delta[0] + delta[1] * delta[1];
        Self {
            start: [chord[0], chord[1]],
            delta,
            inverse_length_squared: if length_squared > 0.0 {
                1.0 / length_squared
            } else {
                0.0
            },
            slack,
        }
    }

    fn is_near(&self, point: [f32; 2], tolerance: f32) -> bool {
        let offset = [point[0] - self.start[0], point[1] - self.start[1]];
        let t = ((offset[0] * self.delta[0] + offset[1] * self.delta[1])
            * self.inverse_length_squared)
            .clamp(0.0, 1.0);
        let away = [offset[0] - t * self.delta[0], offset[1] - t * self.delta[1]];
        let reach = tolerance + self.slack;
        // NaN (unknown ends) compares false: not near.
        away[0] * away[0] + away[1] * away[1] <= reach * reach
    }
}

/// What the pointer is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Node(NodeIx),
    Edge(EdgeIx),
}

/// Spatial indexes for one set of positions.
#[derive(Debug, Default, Clone)]
pub struct HitIndex {
    nodes: Grid,
    edges: LineGrid,
    /// Per edge: its chord and how far the drawn line may stray from it, so
    /// most candidates are dismissed with a few flops.
    chords: Vec<Chord>,
    /// The positions and styles generations these grids were built from.
    pub built_from: Option<(u64, u64)>,
}

impl HitIndex {
    pub fn rebuild(
        &mut self,
        positions: &[[f32; 2]],
        styles: &[NodeStyle],
        edges: &[EdgeInstance],
        generation: (u64, u64),
    ) {
        // Hidden items are left out: what is not drawn cannot be clicked.
        self.nodes.build(positions.len(), |node| {
            if styles.get(node).is_some_and(node_style_is_hidden) {
                return None;
            }
            let p = positions[node];
            let reach = styles.get(node).map_or(1.0, |style| style.radius) * SHAPE_EXTENT;
            Some(([p[0] - reach, p[1] - reach], [p[0] + reach, p[1] + reach]))
        });
        self.chords.clear();
        self.chords.extend(edges.iter().map(|instance| {
            if theme::is_transparent(instance.color) {
                return Chord::NONE;
            }
            EdgeGeometry::of(instance, positions, styles).map_or(Chord::NONE, |geometry| {
                let (chord, slack) = geometry.chord();
                Chord::new(chord, slack)
            })
        }));
        self.edges.build(edges.len(), |edge, segments| {
            if theme::is_transparent(edges[edge].color) {
                return;
            }
            if let Some(geometry) = EdgeGeometry::of(&edges[edge], positions, styles) {
                geometry.segments(segments);
            }
        });
        self.built_from = Some(generation);
    }

    /// The node under `point` (world), else the nearest edge within
    /// `tolerance` world units. Nodes win over edges, as they are on top.
    pub fn hit(
        &self,
        point: [f32; 2],
        tolerance: f32,
        positions: &[[f32; 2]],
        styles: &[NodeStyle],
        edges: &[EdgeInstance],
    ) -> Option<Hit> {
        let mut best_node: Option<(f32, u32)> = None;
        self.nodes.candidates(point, tolerance, |node| {
            let Some(p) = positions.get(node as usize) else {
                return;
            };
            // The index may predate a hide (a large graph's is rebuilt in
            // the background): the current styles decide.
            if styles.get(node as usize).is_some_and(node_style_is_hidden) {
                return;
            }
            let offset = [point[0] - p[0], point[1] - p[1]];
            let distance = offset[0].hypot(offset[1]);
            // The drawn shape's own boundary in the click's direction: a
            // diamond's or a triangle's tip reaches past its radius.
            let reach = styles.get(node as usize).map_or(1.0, |style| {
                let direction = if distance > 0.0 {
                    [offset[0] / distance, offset[1] / distance]
                } else {
                    [1.0, 0.0]
                };
                shape_boundary(style.shape, style.radius, direction)
            });
            if distance <= reach.max(tolerance) && best_node.is_none_or(|(best, _)| distance < best)
            {
                best_node = Some((distance, node));
            }
        });
        if let Some((_, node)) = best_node {
            return Some(Hit::Node(node));
        }
        let mut best_edge: Option<(f32, u32)> = None;
        self.edges.candidates(point, tolerance, |edge| {
            // Cheap test first, on the chord from the last rebuild; the
            // exact test below uses the current positions.
            if !self
                .chords
                .get(edge as usize)
                .is_some_and(|chord| chord.is_near(point, tolerance))
            {
                return;
            }
            let Some(geometry) = edges
                .get(edge as usize)
                .filter(|instance| !theme::is_transparent(instance.color))
                .and_then(|instance| EdgeGeometry::of(instance, positions, styles))
            else {
                return;
            };
            let distance = geometry.distance_to(point);
            let better = best_edge.is_none_or(|(best, best_edge)| {
                distance.total_cmp(&best).then(edge.cmp(&best_edge)).is_lt()
            });
            if distance <= tolerance && better {
                best_edge = Some((distance, edge));
            }
        });
        best_edge.map(|(_, edge)| Hit::Edge(edge))
    }
}

/// Rebuilds the hit index of a large graph on its own thread.
#[derive(Default)]
pub struct IndexWorker {
    pending: Option<std::sync::mpsc::Receiver<HitIndex>>,
}

impl IndexWorker {
    /// Starts a rebuild unless one is running; true if one started.
    pub fn request(
        &mut self,
        positions: &super::canvas::Positions,
        scene: &crate::scene::GraphScene,
        repaint: &egui::Context,
    ) -> bool {
        if self.pending.is_some() {
            return false;
        }
        let (sender, receiver) = std::sync::mpsc::channel();
        let points = std::sync::Arc::clone(&positions.points);
        let styles = std::sync::Arc::clone(&scene.node_styles);
        let edges = std::sync::Arc::clone(&scene.edges);
        let generation = (positions.generation, scene.styles_generation);
        let repaint = repaint.clone();
        let started = std::thread::Builder::new()
            .name("linkscope-hit-index".to_owned())
            .spawn(move || {
                let mut index = HitIndex::default();
                index.rebuild(&points, &styles, &edges, generation);
                // The canvas may be gone (another file was opened).
                let _ = sender.send(index);
                repaint.request_repaint();
            });
        if started.is_ok() {
            self.pending = Some(receiver);
        }
        started.is_ok()
    }

    pub fn poll(&mut self) -> Option<HitIndex> {
        match self.pending.as_ref()?.try_recv() {
            Ok(index) => {
                self.pending = None;
                Some(index)
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.pending = None;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(radius: f32) -> NodeStyle {
        NodeStyle {
            radius,
            fill: u32::MAX,
            outline: 0,
            shape: 0,
        }
    }

    fn edge(source: u32, target: u32, bend: f32) -> EdgeInstance {
        EdgeInstance {
            source,
            target,
            bend,
            width_px: 1.0,
            color: u32::MAX,
            flags: 0,
        }
    }

    #[test]
    fn finds_nodes_first_then_the_nearest_edge() {
        let positions = vec![[0.0, 0.0], [100.0, 0.0], [0.0, 100.0]];
        let styles = vec![style(2.0); 3];
        let edges = vec![edge(0, 1, 0.0), edge(0, 2, 0.0)];
        let mut index = HitIndex::default();
        index.rebuild(&positions, &styles, &edges, (1, 1));
        let hit = |point| index.hit(point, 1.5, &positions, &styles, &edges);
        assert_eq!(hit([0.5, 0.5]), Some(Hit::Node(0)));
        assert_eq!(hit([50.0, 1.0]), Some(Hit::Edge(0)));
        assert_eq!(hit([1.0, 60.0]), Some(Hit::Edge(1)));
        assert_eq!(hit([50.0, 50.0]), None);
    }

    #[test]
    fn hidden_nodes_and_edges_are_never_hit() {
        let positions = vec![[0.0, 0.0], [100.0, 0.0], [0.0, 100.0]];
        let mut styles = vec![style(2.0); 3];
        let mut edges = vec![edge(0, 1, 0.0), edge(0, 2, 0.0)];
        // Hidden: transparent fill and outline, or a transparent line.
        styles[1].fill = 0;
        edges[1].color = 0;
        let mut index = HitIndex::default();
        index.rebuild(&positions, &styles, &edges, (1, 1));
        let hit = |index: &HitIndex, point, styles: &[NodeStyle], edges: &[EdgeInstance]| {
            index.hit(point, 1.5, &positions, styles, edges)
        };
        assert_eq!(
            hit(&index, [100.0, 0.5], &styles, &edges),
            Some(Hit::Edge(0))
        );
        assert_eq!(hit(&index, [1.0, 60.0], &styles, &edges), None);
        // An index built before a hide still obeys the styles now.
        let shown = vec![style(2.0); 3];
        let all_edges = vec![edge(0, 1, 0.0), edge(0, 2, 0.0)];
        index.rebuild(&positions, &shown, &all_edges, (1, 2));
        assert_eq!(
            hit(&index, [100.0, 0.5], &shown, &all_edges),
            Some(Hit::Node(1))
        );
        assert_eq!(
            hit(&index, [100.0, 0.5], &styles, &edges),
            Some(Hit::Edge(0))
        );
        assert_eq!(hit(&index, [1.0, 60.0], &styles, &edges), None);
    }

    #[test]
    fn parallel_curves_are_told_apart() {
        let positions = vec![[0.0, 0.0], [40.0, 0.0]];
        let styles = vec![style(1.0); 2];
        let edges = vec![edge(0, 1, 6.0), edge(0, 1, -6.0)];
        let mut index = HitIndex::default();
        index.rebuild(&positions, &styles, &edges, (1, 1));
        let geometries: Vec<EdgeGeometry> = edges
            .iter()
            .map(|e| EdgeGeometry::of(e, &positions, &styles).unwrap())
            .collect();
        for (edge, geometry) in geometries.iter().enumerate() {
            let hit = index.hit(geometry.midpoint(), 1.0, &positions, &styles, &edges);
            assert_eq!(hit, Some(Hit::Edge(edge as u32)));
        }
    }

    #[test]
    fn agrees_with_a_linear_scan_on_many_edges() {
        let n = 400;
        let positions: Vec<[f32; 2]> = (0..n)
            .map(|i| {
                let i = i as f32;
                [(i * 37.0) % 211.0, (i * 53.0) % 197.0]
            })
            .collect();
        let styles = vec![style(0.5); n];
        let edges: Vec<EdgeInstance> = (0..2000_u32)
            .map(|i| {
                edge(
                    i % n as u32,
                    (i * 7 + 3) % n as u32,
                    if i % 3 == 0 { 2.0 } else { 0.0 },
                )
            })
            .collect();
        let mut index = HitIndex::default();
        index.rebuild(&positions, &styles, &edges, (1, 1));
        for probe in 0..200 {
            let point = [(probe as f32 * 13.7) % 211.0, (probe as f32 * 29.3) % 197.0];
            let from_index = index.hit(point, 0.8, &positions, &styles, &edges);
            let nodes_near = (0..n).any(|node| {
                let p = positions[node];
                (p[0] - point[0]).hypot(p[1] - point[1]) <= 0.8
            });
            if nodes_near {
                continue;
            }
            let scan = edges
                .iter()
                .enumerate()
                .filter_map(|(i, e)| {
                    let d = EdgeGeometry::of(e, &positions, &styles)?.distance_to(point);
                    (d <= 0.8).then_some((d, i as u32))
                })
                .min_by(|a, b| a.partial_cmp(b).unwrap());
            assert_eq!(from_index, scan.map(|(_, e)| Hit::Edge(e)), "probe {probe}");
        }
    }
}
