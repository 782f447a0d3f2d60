//! Which node labels to show: biggest nodes first, only where they fit on
//! screen without covering another label, none when nodes are too small to
//! read. Runs every frame, so it is bounded: it stops after a fixed number of
//! candidates and never measures text it will not draw.

use egui::{Pos2, Rect, Vec2};

use super::gpu::Camera;
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

/// Chooses labels. `order` is nodes by importance; `always` (hovered,
/// selected) are placed first whatever their size.
#[expect(
    clippy::too_many_arguments,
    reason = "plain inputs from the canvas; a struct would only rename them"
)]
pub fn place_labels(
    order: &[NodeIx],
    always: &[NodeIx],
    positions: &[[f32; 2]],
    radius_of: impl Fn(NodeIx) -> f32,
    name_chars: impl Fn(NodeIx) -> usize,
    camera: &Camera,
    viewport: Rect,
    placed: &mut Vec<PlacedLabel>,
) {
    placed.clear();
    let try_place = |node: NodeIx, forced: bool, placed: &mut Vec<PlacedLabel>| -> bool {
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
        // Below the node first, then above, right and left.
        let candidates = [
            Pos2::new(center.x - width / 2.0, center.y + gap),
            Pos2::new(center.x - width / 2.0, center.y - gap - LABEL_HEIGHT),
            Pos2::new(center.x + gap, center.y - LABEL_HEIGHT / 2.0),
            Pos2::new(center.x - gap - width, center.y - LABEL_HEIGHT / 2.0),
        ];
        if placed.iter().any(|other| other.node == node) {
            return true;
        }
        for corner in candidates {
            let rect = Rect::from_min_size(corner, size);
            if !viewport.contains_rect(rect) && !forced {
                continue;
            }
            if forced || !placed.iter().any(|other| other.rect.intersects(rect)) {
                placed.push(PlacedLabel { node, rect });
                return true;
            }
        }
        false
    };
    for &node in always {
        try_place(node, true, placed);
    }
    for &node in order.iter().take(MAX_CANDIDATES) {
        if placed.len() >= MAX_LABELS {
            break;
        }
        try_place(node, false, placed);
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
        let mut placed = Vec::new();
        place_labels(
            &[5, 4, 3, 2, 1, 0, 6],
            &[],
            &positions,
            |_| 2.0,
            |_| 10,
            &camera(2.0),
            viewport,
            &mut placed,
        );
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
        let mut placed = Vec::new();
        place_labels(
            &[0, 1],
            &[1],
            &positions,
            |_| 2.0,
            |_| 5,
            &camera(0.5),
            viewport,
            &mut placed,
        );
        assert_eq!(placed.len(), 1);
        assert_eq!(placed[0].node, 1);
    }

    #[test]
    fn long_names_are_shortened() {
        let long = "x".repeat(100);
        assert_eq!(label_text(&long).chars().count(), MAX_LABEL_CHARS);
        assert_eq!(label_text("Zhirnov"), "Zhirnov");
    }
}
