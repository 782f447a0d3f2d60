//! Which node labels to show: biggest nodes first, only where they fit on
//! screen without covering another label (and, where there is room, without
//! covering another node), none when nodes are too small to read, unless the
//! screen is uncrowded: a few hundred nodes spread over the view are all
//! labelled where they fit, however small the layout draws them. Runs every
//! frame, so it is bounded: it stops after a fixed number of candidates and
//! never measures text it will not draw.

use egui::{Pos2, Rect, Vec2};

use super::instances::{Camera, MIN_NODE_RADIUS_PT};
use crate::model::NodeIx;

/// Labels are drawn only for nodes at least this many points across.
pub const MIN_NODE_RADIUS_FOR_LABEL: f32 = 3.5;
pub const MAX_LABELS: usize = 250;
const MAX_CANDIDATES: usize = 5_000;
/// Average glyph width of the label font, for the overlap test.
const CHAR_WIDTH: f32 = 5.9;
const LABEL_HEIGHT: f32 = 15.0;
const MAX_LABEL_CHARS: usize = 40;
/// The screen counts as uncrowded (every node may be labelled, whatever its size) when the
/// graph shows at most this many nodes…
const UNCROWDED_MAX_NODES: usize = 400;
/// …and the box around those on screen holds this much room for each of them (square
/// points): about two labels' worth, so that most of them can fit.
const UNCROWDED_ROOM_PER_NODE: f32 = 2400.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedLabel {
    pub node: NodeIx,
    /// Top-left corner of the label, in screen points.
    pub rect: Rect,
}

/// Side of the screen-space cells that bucket node discs and placed labels, in points.
const CELL: f32 = 32.0;
const NONE: u32 = u32::MAX;

/// Chooses labels frame after frame, keeping its buffers. Labels never cover each other, and
/// where a node has room they do not cover other nodes either.
#[derive(Default)]
pub struct LabelPlacer {
    pub placed: Vec<PlacedLabel>,
    grid: ScreenGrid,
    /// Nodes that found no spot clear of other nodes: labelled last.
    pending: Vec<NodeIx>,
}

/// Node discs and placed labels, bucketed by screen cell so that a candidate spot is checked
/// against its neighbourhood only. Each cell has a linked list per kind (an item sits in every
/// cell it touches); all buffers are kept between frames.
#[derive(Default)]
struct ScreenGrid {
    origin: Pos2,
    columns: usize,
    rows: usize,
    discs: Vec<(NodeIx, Pos2, f32)>,
    disc_head: Vec<u32>,
    label_head: Vec<u32>,
    /// One entry per (item, cell): the item's index and the next entry of the cell's list.
    disc_entries: Vec<(u32, u32)>,
    label_entries: Vec<(u32, u32)>,
}

impl ScreenGrid {
    fn reset(&mut self, viewport: Rect) {
        self.origin = viewport.min;
        self.columns = (viewport.width().max(0.0) / CELL) as usize + 1;
        self.rows = (viewport.height().max(0.0) / CELL) as usize + 1;
        let cells = self.columns * self.rows;
        for head in [&mut self.disc_head, &mut self.label_head] {
            head.clear();
            head.resize(cells, NONE);
        }
        self.discs.clear();
        self.disc_entries.clear();
        self.label_entries.clear();
    }

    /// The cells `rect` touches, as (first column, first row, last column, last row).
    fn cells(&self, rect: Rect) -> (usize, usize, usize, usize) {
        let cell = |value: f32, origin: f32, cells: usize| {
            (((value - origin) / CELL).max(0.0) as usize).min(cells - 1)
        };
        (
            cell(rect.min.x, self.origin.x, self.columns),
            cell(rect.min.y, self.origin.y, self.rows),
            cell(rect.max.x, self.origin.x, self.columns),
            cell(rect.max.y, self.origin.y, self.rows),
        )
    }

    fn insert(
        head: &mut [u32],
        entries: &mut Vec<(u32, u32)>,
        columns: usize,
        (c0, r0, c1, r1): (usize, usize, usize, usize),
        item: u32,
    ) {
        for row in r0..=r1 {
            for column in c0..=c1 {
                let cell = row * columns + column;
                entries.push((item, head[cell]));
                head[cell] = (entries.len() - 1) as u32;
            }
        }
    }

    fn add_disc(&mut self, node: NodeIx, center: Pos2, radius: f32) {
        let cells = self.cells(Rect::from_center_size(center, Vec2::splat(2.0 * radius)));
        let item = self.discs.len() as u32;
        self.discs.push((node, center, radius));
        Self::insert(
            &mut self.disc_head,
            &mut self.disc_entries,
            self.columns,
            cells,
            item,
        );
    }

    fn add_label(&mut self, index: usize, rect: Rect) {
        let cells = self.cells(rect);
        Self::insert(
            &mut self.label_head,
            &mut self.label_entries,
            self.columns,
            cells,
            index as u32,
        );
    }

    /// Whether any item of the lists starting in the cells under `rect` satisfies `hit`.
    fn any(
        &self,
        head: &[u32],
        entries: &[(u32, u32)],
        rect: Rect,
        mut hit: impl FnMut(u32) -> bool,
    ) -> bool {
        let (c0, r0, c1, r1) = self.cells(rect);
        for row in r0..=r1 {
            for column in c0..=c1 {
                let mut entry = head[row * self.columns + column];
                while entry != NONE {
                    let (item, next) = entries[entry as usize];
                    if hit(item) {
                        return true;
                    }
                    entry = next;
                }
            }
        }
        false
    }

    fn covers_label(&self, rect: Rect, placed: &[PlacedLabel]) -> bool {
        self.any(&self.label_head, &self.label_entries, rect, |label| {
            placed[label as usize].rect.intersects(rect)
        })
    }

    /// Whether `rect` overlaps the disc of a node other than `node`.
    fn covers_other_node(&self, rect: Rect, node: NodeIx) -> bool {
        self.any(&self.disc_head, &self.disc_entries, rect, |disc| {
            let (other, center, radius) = self.discs[disc as usize];
            other != node && rect.distance_sq_to_pos(center) < radius * radius
        })
    }
}

/// Where a node's label may go: below the node first, then above, right and left, then the
/// four corners.
fn label_spots(center: Pos2, gap: f32, size: Vec2) -> [Rect; 8] {
    let (width, height) = (size.x, size.y);
    let corner_gap = gap * std::f32::consts::FRAC_1_SQRT_2;
    [
        Pos2::new(center.x - width / 2.0, center.y + gap),
        Pos2::new(center.x - width / 2.0, center.y - gap - height),
        Pos2::new(center.x + gap, center.y - height / 2.0),
        Pos2::new(center.x - gap - width, center.y - height / 2.0),
        Pos2::new(center.x + corner_gap, center.y + corner_gap),
        Pos2::new(center.x - corner_gap - width, center.y + corner_gap),
        Pos2::new(center.x + corner_gap, center.y - corner_gap - height),
        Pos2::new(
            center.x - corner_gap - width,
            center.y - corner_gap - height,
        ),
    ]
    .map(|corner| Rect::from_min_size(corner, size))
}

impl LabelPlacer {
    /// Chooses labels into [`Self::placed`]. `order` is nodes by importance; `always`
    /// (hovered, selected) are placed first whatever their size. Each label takes the first
    /// of its spots ([`label_spots`]) that covers no other label and no other node. Nodes
    /// that have no such spot are labelled after all the others, in the first spot that
    /// covers no other label.
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
        let Self {
            placed,
            grid,
            pending,
        } = self;
        placed.clear();
        pending.clear();
        // The size of a node's disc does not say whether its label can be read: the
        // layout's scale does not depend on the screen. On an uncrowded screen every node may
        // have a label; otherwise only nodes big enough to read.
        let uncrowded = is_uncrowded(order, positions, camera, viewport);
        let min_radius = if uncrowded {
            0.0
        } else {
            MIN_NODE_RADIUS_FOR_LABEL
        };
        // `order` runs from the biggest node down: when even the first is too small to label,
        // so is every other, and there is nothing to place (a zoomed-out large graph).
        let biggest = order
            .first()
            .map_or(0.0, |&node| radius_of(node) * camera.zoom);
        if always.is_empty() && biggest < min_radius {
            return;
        }
        grid.reset(viewport);
        // Labels keep clear of the nodes drawn bigger than the smallest dot: in `order` those
        // come first. Minimum-size dots are too many to track, and too small to matter.
        let drawn_big = order
            .iter()
            .take(MAX_CANDIDATES)
            .take_while(|&&node| radius_of(node) * camera.zoom > MIN_NODE_RADIUS_PT);
        for &node in always.iter().chain(drawn_big) {
            let Some(&world) = positions.get(node as usize) else {
                continue;
            };
            let center = camera.screen_from_world(viewport, world);
            let radius = (radius_of(node) * camera.zoom).max(MIN_NODE_RADIUS_PT);
            if viewport.expand(radius).contains(center) {
                grid.add_disc(node, center, radius);
            }
        }
        // The spots for `node`, or None when it gets no label.
        let spots = |node: NodeIx, forced: bool| {
            let world = positions.get(node as usize)?;
            let center = camera.screen_from_world(viewport, *world);
            let radius = radius_of(node) * camera.zoom;
            if !forced && radius < min_radius {
                return None;
            }
            let width = name_chars(node).min(MAX_LABEL_CHARS) as f32 * CHAR_WIDTH + 6.0;
            let gap = radius.max(2.0) + 2.0;
            Some(label_spots(center, gap, Vec2::new(width, LABEL_HEIGHT)))
        };
        let push = |grid: &mut ScreenGrid, placed: &mut Vec<PlacedLabel>, node, rect| {
            grid.add_label(placed.len(), rect);
            placed.push(PlacedLabel { node, rect });
        };
        for (index, &node) in always.iter().enumerate() {
            if always[..index].contains(&node) {
                continue;
            }
            let Some(spots) = spots(node, true) else {
                continue;
            };
            let free = |rect: &&Rect| !grid.covers_label(**rect, placed);
            let rect = spots
                .iter()
                .filter(free)
                .find(|rect| !grid.covers_other_node(**rect, node))
                .or_else(|| spots.iter().find(free))
                .unwrap_or(&spots[0]);
            push(grid, placed, node, *rect);
        }
        for &node in order.iter().take(MAX_CANDIDATES) {
            if placed.len() >= MAX_LABELS {
                break;
            }
            if always.contains(&node) {
                continue;
            }
            let Some(spots) = spots(node, false) else {
                continue;
            };
            let clear = spots.iter().find(|rect| {
                viewport.contains_rect(**rect)
                    && !grid.covers_label(**rect, placed)
                    && !grid.covers_other_node(**rect, node)
            });
            match clear {
                Some(rect) => push(grid, placed, node, *rect),
                None => pending.push(node),
            }
        }
        for &node in pending.iter() {
            if placed.len() >= MAX_LABELS {
                break;
            }
            let Some(spots) = spots(node, false) else {
                continue;
            };
            if let Some(rect) = spots
                .iter()
                .find(|rect| viewport.contains_rect(**rect) && !grid.covers_label(**rect, placed))
            {
                push(grid, placed, node, *rect);
            }
        }
    }
}

/// Whether few nodes are on screen and they are spread out: see [`UNCROWDED_MAX_NODES`] and
/// [`UNCROWDED_ROOM_PER_NODE`]. Looks at no more than the first few hundred of `order`.
fn is_uncrowded(order: &[NodeIx], positions: &[[f32; 2]], camera: &Camera, viewport: Rect) -> bool {
    if order.len() > UNCROWDED_MAX_NODES {
        return false;
    }
    let mut on_screen = 0usize;
    let mut spread = Rect::NOTHING;
    for &node in order {
        let Some(&world) = positions.get(node as usize) else {
            continue;
        };
        let center = camera.screen_from_world(viewport, world);
        if viewport.contains(center) {
            on_screen += 1;
            spread.extend_with(center);
        }
    }
    on_screen > 0 && spread.area() >= on_screen as f32 * UNCROWDED_ROOM_PER_NODE
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
        // Zoomed out on two nodes: they are dots 1 point across, 50 points apart, a patch too
        // small to hold their labels. Only the forced one is labelled.
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
    fn small_nodes_spread_over_the_screen_are_labelled() {
        // Twelve nodes drawn 1 point across, spread over the whole view: every one has room.
        let viewport = Rect::from_min_size(Pos2::ZERO, Vec2::new(800.0, 500.0));
        let positions: Vec<[f32; 2]> = (0..12)
            .map(|i| {
                [
                    (i % 4) as f32 * 300.0 - 450.0,
                    (i / 4) as f32 * 300.0 - 300.0,
                ]
            })
            .collect();
        let order: Vec<NodeIx> = (0..12).collect();
        let mut placer = LabelPlacer::default();
        placer.place(
            &order,
            &[],
            &positions,
            |_| 2.0,
            |_| 8,
            &camera(0.5),
            viewport,
        );
        assert_eq!(placer.placed.len(), 12);
        // The same nodes squeezed into a corner are a crowd: no labels.
        let squeezed: Vec<[f32; 2]> = positions
            .iter()
            .map(|p| [p[0] * 0.05, p[1] * 0.05])
            .collect();
        placer.place(
            &order,
            &[],
            &squeezed,
            |_| 2.0,
            |_| 8,
            &camera(0.5),
            viewport,
        );
        assert!(placer.placed.is_empty());
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
