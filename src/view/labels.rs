//! Which node labels to show: biggest nodes first, only where they fit on
//! screen without covering another label (and, where there is room, without
//! covering another node), none when nodes are too small to read. Runs every frame, so it is bounded: it stops after a fixed number of
//! candidates and never measures text it will not draw.

use egui::{Pos2, Rect, Vec2};

use super::gpu::{Camera, MIN_NODE_RADIUS_PT};
use crate::model::NodeIx;

/// Labels are drawn only for nodes at least this many points across.
pub const MIN_NODE_RADIUS_FOR_LABEL: f32 = 3.5;
pub const MAX_LABELS: usize = 250;
const MAX_CANDIDATES: usize = 5_000;
/// Average glyph width of the label font, for the overlap test.
const CHAR_WIDTH: f32 = 5.9;
const LABEL_HEIGHT: f32 = 15.0;
const MAX_LABEL_CHARS: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedLabel {
    pub node: NodeIx,
    /// Top-left corner of the label, in screen points.
    pub rect: Rect,
}

/// Side of the screen-space cells that bucket node discs, in points.
const DISC_CELL: f32 = 32.0;

/// Chooses labels frame after frame, keeping its buffers. Labels never cover each other, and
/// where a node has room they do not cover other nodes either.
#[derive(Default)]
pub struct LabelPlacer {
    pub placed: Vec<PlacedLabel>,
    discs: NodeDiscs,
}

/// The on-screen discs of the nodes labels should keep clear of, bucketed by screen cell.
#[derive(Default)]
struct NodeDiscs {
    discs: Vec<(NodeIx, Pos2, f32)>,
    columns: usize,
    rows: usize,
    origin: Pos2,
    /// `cell_start[c]..cell_start[c + 1]` indexes `members` for cell `c`.
    cell_start: Vec<u32>,
    members: Vec<u32>,
    cursor: Vec<u32>,
}

impl NodeDiscs {
    fn cells(&self, rect: Rect) -> (usize, usize, usize, usize) {
        let cell = |value: f32, origin: f32, cells: usize| {
            (((value - origin) / DISC_CELL).max(0.0) as usize).min(cells - 1)
        };
        (
            cell(rect.min.x, self.origin.x, self.columns),
            cell(rect.min.y, self.origin.y, self.rows),
            cell(rect.max.x, self.origin.x, self.columns),
            cell(rect.max.y, self.origin.y, self.rows),
        )
    }

    /// Buckets `discs` (node, centre, radius), each in every cell its square touches.
    fn rebuild(&mut self, viewport: Rect) {
        self.origin = viewport.min;
        self.columns = (viewport.width() / DISC_CELL) as usize + 1;
        self.rows = (viewport.height() / DISC_CELL) as usize + 1;
        let cells = self.columns * self.rows;
        self.cell_start.clear();
        self.cell_start.resize(cells + 1, 0);
        for &(_, center, radius) in &self.discs {
            let (c0, r0, c1, r1) =
                self.cells(Rect::from_center_size(center, Vec2::splat(2.0 * radius)));
            for row in r0..=r1 {
                for column in c0..=c1 {
                    self.cell_start[row * self.columns + column + 1] += 1;
                }
            }
        }
        for cell in 0..cells {
            self.cell_start[cell + 1] += self.cell_start[cell];
        }
        self.cursor.clear();
        self.cursor.extend_from_slice(&self.cell_start[..cells]);
        self.members.clear();
        self.members.resize(self.cell_start[cells] as usize, 0);
        for (index, &(_, center, radius)) in self.discs.iter().enumerate() {
            let (c0, r0, c1, r1) =
                self.cells(Rect::from_center_size(center, Vec2::splat(2.0 * radius)));
            for row in r0..=r1 {
                for column in c0..=c1 {
                    let slot = &mut self.cursor[row * self.columns + column];
                    self.members[*slot as usize] = index as u32;
                    *slot += 1;
                }
            }
        }
    }

    /// Whether `rect` overlaps the disc of a node other than `node`.
    fn covers_other(&self, rect: Rect, node: NodeIx) -> bool {
        if self.cell_start.is_empty() {
            return false;
        }
        let (c0, r0, c1, r1) = self.cells(rect);
        (r0..=r1).any(|row| {
            (c0..=c1).any(|column| {
                let cell = row * self.columns + column;
                let members = &self.members
                    [self.cell_start[cell] as usize..self.cell_start[cell + 1] as usize];
                members.iter().any(|&index| {
                    let (other, center, radius) = self.discs[index as usize];
                    other != node && rect.distance_sq_to_pos(center) < radius * radius
                })
            })
        })
    }
}

impl LabelPlacer {
    /// Chooses labels into [`Self::placed`]. `order` is nodes by importance; `always`
    /// (hovered, selected) are placed first whatever their size. Each label goes below its
    /// node, else above, right, left or at a corner: the first of those that covers no other
    /// label and no other node. Nodes that have no such spot are labelled after all the
    /// others, in the first spot that covers no other label.
    #[expect(
        clippy::too_many_arguments,
        reason = "plain inputs from the canvas; a struct would only rename them"
    )]
    pub fn place(
        &mut self,
        order: &[NodeIx],
        always: &[NodeIx],
        positions: &[[f32; 2]],
        radius_of: impl Fn(NodeIx) -> f32,
        name_chars: impl Fn(NodeIx) -> usize,
        camera: &Camera,
        viewport: Rect,
    ) {
        let Self { placed, discs } = self;
        placed.clear();
        let on_screen = |node: NodeIx| {
            let world = positions.get(node as usize)?;
            let center = camera.screen_from_world(viewport, *world);
            let radius = (radius_of(node) * camera.zoom).max(MIN_NODE_RADIUS_PT);
            viewport
                .expand(radius)
                .contains(center)
                .then_some((node, center, radius))
        };
        discs.discs.clear();
        discs.discs.extend(
            always
                .iter()
                .chain(order.iter().take(MAX_CANDIDATES))
                .filter_map(|&node| on_screen(node)),
        );
        discs.rebuild(viewport);
        // `clear_only`: take only a spot that covers no other node.
        let try_place =
            |node: NodeIx, forced: bool, clear_only: bool, placed: &mut Vec<PlacedLabel>| -> bool {
                let Some(&world) = positions.get(node as usize) else {
                    return false;
                };
                let center = camera.screen_from_world(viewport, world);
                let radius = radius_of(node) * camera.zoom;
                if !forced && radius < MIN_NODE_RADIUS_FOR_LABEL {
                    return false;
                }
                let width = name_chars(node).min(MAX_LABEL_CHARS) as f32 * CHAR_WIDTH + 6.0;
                let size = Vec2::new(width, LABEL_HEIGHT);
                let gap = radius.max(2.0) + 2.0;
                // Below the node first, then above, right and left, then the four corners.
                let corner_gap = gap * std::f32::consts::FRAC_1_SQRT_2;
                let candidates = [
                    Pos2::new(center.x - width / 2.0, center.y + gap),
                    Pos2::new(center.x - width / 2.0, center.y - gap - LABEL_HEIGHT),
                    Pos2::new(center.x + gap, center.y - LABEL_HEIGHT / 2.0),
                    Pos2::new(center.x - gap - width, center.y - LABEL_HEIGHT / 2.0),
                    Pos2::new(center.x + corner_gap, center.y + corner_gap),
                    Pos2::new(center.x - corner_gap - width, center.y + corner_gap),
                    Pos2::new(center.x + corner_gap, center.y - corner_gap - LABEL_HEIGHT),
                    Pos2::new(
                        center.x - corner_gap - width,
                        center.y - corner_gap - LABEL_HEIGHT,
                    ),
                ]
                .map(|corner| Rect::from_min_size(corner, size));
                if placed.iter().any(|other| other.node == node) {
                    return true;
                }
                let free = |rect: &Rect| {
                    (forced || viewport.contains_rect(*rect))
                        && !placed.iter().any(|other| other.rect.intersects(*rect))
                };
                let clear_of_nodes = candidates
                    .iter()
                    .find(|rect| free(rect) && !discs.covers_other(**rect, node));
                let chosen = if clear_only {
                    clear_of_nodes
                } else {
                    clear_of_nodes
                        .or_else(|| candidates.iter().find(|rect| free(rect)))
                        .or(forced.then_some(&candidates[0]))
                };
                if let Some(&rect) = chosen {
                    placed.push(PlacedLabel { node, rect });
                }
                chosen.is_some()
            };
        for &node in always {
            try_place(node, true, false, placed);
        }
        // Spots clear of nodes go first, to every node in order; then the nodes still without
        // a label take what is left.
        for clear_only in [true, false] {
            for &node in order.iter().take(MAX_CANDIDATES) {
                if placed.len() >= MAX_LABELS {
                    break;
                }
                try_place(node, false, clear_only, placed);
            }
        }
    }
}

/// A label's text, shortened to what the layout reserved room for.
pub fn label_text(name: &str) -> std::borrow::Cow<'_, str> {
    if name.chars().count() <= MAX_LABEL_CHARS {
        name.into()
    } else {
        let mut short: String = name.chars().take(MAX_LABEL_CHARS - 1).collect();
        short.push('…');
        short.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn camera(zoom: f32) -> Camera {
        Camera {
            center_world: [0.0, 0.0],
            zoom,
        }
    }

    #[test]
    fn labels_do_not_overlap_and_big_nodes_win() {
        let viewport = Rect::from_min_size(Pos2::ZERO, Vec2::new(400.0, 300.0));
        // Six nodes on one spot: there is room around it for two wide
        // labels (below and above), which go to the first two in order; a
        // node far away gets its own.
        let mut positions = vec![[0.0, 0.0]; 6];
        positions.push([80.0, 50.0]);
        let mut placer = LabelPlacer::default();
        placer.place(
            &[5, 4, 3, 2, 1, 0, 6],
            &[],
            &positions,
            |_| 2.0,
            |_| 10,
            &camera(2.0),
            viewport,
        );
        let placed = &placer.placed;
        let nodes: Vec<NodeIx> = placed.iter().map(|label| label.node).collect();
        assert_eq!(nodes, vec![5, 4, 6]);
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.rect.intersects(b.rect));
            }
        }
    }

    #[test]
    fn labels_hide_when_zoomed_out_except_forced_ones() {
        let viewport = Rect::from_min_size(Pos2::ZERO, Vec2::new(400.0, 300.0));
        let positions = vec![[0.0, 0.0], [100.0, 0.0]];
        let mut placer = LabelPlacer::default();
        placer.place(
            &[0, 1],
            &[1],
            &positions,
            |_| 2.0,
            |_| 5,
            &camera(0.5),
            viewport,
        );
        assert_eq!(placer.placed.len(), 1);
        assert_eq!(placer.placed[0].node, 1);
    }

    #[test]
    fn labels_step_aside_for_nodes_when_they_can() {
        let viewport = Rect::from_min_size(Pos2::ZERO, Vec2::new(400.0, 300.0));
        // Node 1 sits right below node 0, where 0's label would go first: the label moves
        // above. Node 1's own label goes below it.
        let positions = vec![[0.0, 0.0], [0.0, 10.0]];
        let mut placer = LabelPlacer::default();
        placer.place(
            &[0, 1],
            &[],
            &positions,
            |_| 2.0,
            |_| 8,
            &camera(2.0),
            viewport,
        );
        let center = |node: usize| camera(2.0).screen_from_world(viewport, positions[node]);
        let [zero, one] = [0, 1].map(|node| {
            placer
                .placed
                .iter()
                .find(|label| label.node == node as NodeIx)
                .expect("both labelled")
                .rect
        });
        assert!(zero.max.y < center(0).y, "0's label above it: {zero:?}");
        assert!(one.min.y > center(1).y, "1's label below it: {one:?}");
        for (rect, other) in [(zero, 1), (one, 0)] {
            assert!(rect.distance_to_pos(center(other)) > 4.0);
        }

        // With no free side (nodes all around), the label still shows, covering a node.
        let mut crowded = vec![[0.0, 0.0]];
        for dx in [-30.0, -15.0, 0.0, 15.0, 30.0] {
            for dy in [-12.0, -6.0, 6.0, 12.0] {
                crowded.push([dx, dy]);
            }
        }
        crowded.extend([[-15.0, 0.0], [15.0, 0.0], [-30.0, 0.0], [30.0, 0.0]]);
        placer.place(&[0], &[], &crowded, |_| 2.0, |_| 8, &camera(2.0), viewport);
        assert_eq!(placer.placed.len(), 1);
    }

    #[test]
    fn long_names_are_shortened() {
        let long = "x".repeat(100);
        assert_eq!(label_text(&long).chars().count(), MAX_LABEL_CHARS);
        assert_eq!(label_text("Zhirnov"), "Zhirnov");
    }
}
