//! Where the camera may go: fitting the graph to the canvas (node shapes,
//! self-loops and room for labels included) and the zoom limits that keep a
//! node's size on screen sane whatever the graph's size.
//!
//! A layout's world scale depends on its node count, not on the window, so a
//! 3-node graph fitted by its centres alone would be drawn hundreds of points
//! wide. Fit therefore caps the zoom by the biggest node's radius on screen.

use egui::Rect;

use super::instances::{Camera, MIN_NODE_RADIUS_PT, NodeStyle, SHAPE_EXTENT, self_loop_circle};
use super::node_style_is_hidden;

/// Fit never zooms in further than this radius (points) for the biggest
/// node, so a 3-node graph looks like a 30-node one.
pub const MAX_FIT_NODE_RADIUS_PT: f32 = 28.0;
/// The user can zoom in until the biggest node is this big (points).
pub const MAX_NODE_RADIUS_PT: f32 = 8.0 * MAX_FIT_NODE_RADIUS_PT;
/// Room kept free around the fitted graph (points), for labels and the
/// anti-aliased fringe.
pub const FIT_MARGIN_PT: f32 = 24.0;
/// The user can zoom out until the fitted graph is this much smaller.
const MAX_ZOOM_OUT_FROM_FIT: f32 = 20.0;

/// The world-space box of every node's drawn shape and self-loop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldBounds {
    pub min: [f32; 2],
    pub max: [f32; 2],
    /// The largest node radius (world units).
    pub max_radius: f32,
}

impl WorldBounds {
    /// Bounds of the nodes at `points`, each grown by its shape; nodes with
    /// `loops` self-loops are grown by the outermost loop too. None when
    /// there is no finite point.
    pub fn of(points: &[[f32; 2]], styles: &[NodeStyle], loops: &[(u32, f32)]) -> Option<Self> {
        let mut min = [f32::INFINITY; 2];
        let mut max = [f32::NEG_INFINITY; 2];
        let mut max_radius: f32 = 0.0;
        let mut grow = |center: [f32; 2], half: f32| {
            if center[0].is_finite() && center[1].is_finite() {
                min = [min[0].min(center[0] - half), min[1].min(center[1] - half)];
                max = [max[0].max(center[0] + half), max[1].max(center[1] + half)];
            }
        };
        for (node, point) in points.iter().enumerate() {
            // Hidden nodes take no room: fit shows what is drawn.
            if styles.get(node).is_some_and(node_style_is_hidden) {
                continue;
            }
            let radius = styles.get(node).map_or(1.0, |style| style.radius);
            max_radius = max_radius.max(radius);
            grow(*point, radius * SHAPE_EXTENT);
        }
        for &(node, bend) in loops {
            if let (Some(point), Some(style)) =
                (points.get(node as usize), styles.get(node as usize))
                && !node_style_is_hidden(style)
            {
                let (center, radius) = self_loop_circle(*point, style.radius + bend.abs());
                grow(center, radius);
            }
        }
        min[0].is_finite().then_some(Self {
            min,
            max,
            max_radius: max_radius.max(1e-3),
        })
    }

    fn center(&self) -> [f32; 2] {
        [
            f32::midpoint(self.min[0], self.max[0]),
            f32::midpoint(self.min[1], self.max[1]),
        ]
    }
}

/// A camera that shows every node whole, with [`FIT_MARGIN_PT`] around it,
/// and no node bigger than [`MAX_FIT_NODE_RADIUS_PT`].
pub fn fit_camera(bounds: Option<WorldBounds>, viewport: Rect) -> Camera {
    let Some(bounds) = bounds else {
        return Camera {
            center_world: [0.0, 0.0],
            zoom: 1.0,
        };
    };
    let room_x = (viewport.width() - 2.0 * FIT_MARGIN_PT).max(viewport.width() * 0.5);
    let room_y = (viewport.height() - 2.0 * FIT_MARGIN_PT).max(viewport.height() * 0.5);
    let extent_x = (bounds.max[0] - bounds.min[0]).max(1e-3);
    let extent_y = (bounds.max[1] - bounds.min[1]).max(1e-3);
    let zoom = (room_x / extent_x)
        .min(room_y / extent_y)
        .min(MAX_FIT_NODE_RADIUS_PT / bounds.max_radius);
    Camera {
        center_world: bounds.center(),
        zoom: zoom.max(1e-6),
    }
}

/// The zoom range the user may move in: in until the biggest node is
/// [`MAX_NODE_RADIUS_PT`], out until the whole graph is a small patch.
pub fn zoom_limits(bounds: Option<WorldBounds>, viewport: Rect) -> (f32, f32) {
    let Some(bounds) = bounds else {
        return (1e-4, 1e4);
    };
    let fitted = fit_camera(Some(bounds), viewport).zoom;
    let max = MAX_NODE_RADIUS_PT / bounds.max_radius;
    ((fitted / MAX_ZOOM_OUT_FROM_FIT).min(max), max.max(fitted))
}

/// A node's radius on screen (points): world size, but never below a dot.
pub fn node_radius_on_screen(radius: f32, zoom: f32) -> f32 {
    (radius * zoom).max(MIN_NODE_RADIUS_PT)
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

    #[test]
    fn a_single_node_is_not_drawn_huge() {
        let viewport = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1000.0, 700.0));
        let bounds = WorldBounds::of(&[[5.0, 5.0]], &[style(2.0)], &[]);
        let camera = fit_camera(bounds, viewport);
        assert!((2.0 * camera.zoom - MAX_FIT_NODE_RADIUS_PT).abs() < 1e-3);
        let [x, y] = camera.center_world;
        assert!((x - 5.0).abs() < 1e-6 && (y - 5.0).abs() < 1e-6);
    }

    #[test]
    fn a_wide_graph_fits_inside_the_margin() {
        let viewport = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1000.0, 700.0));
        let points = [[-500.0, 0.0], [500.0, 0.0]];
        let bounds = WorldBounds::of(&points, &[style(1.0), style(1.0)], &[]);
        let camera = fit_camera(bounds, viewport);
        let right = camera.screen_from_world(viewport, [500.0 + SHAPE_EXTENT, 0.0]);
        assert!(
            (right.x - (1000.0 - FIT_MARGIN_PT)).abs() < 0.01,
            "{right:?}"
        );
        let (min, max) = zoom_limits(bounds, viewport);
        assert!(min < camera.zoom && camera.zoom < max);
    }

    #[test]
    fn hidden_nodes_take_no_room_in_the_fit() {
        let points = [[0.0, 0.0], [10.0, 0.0], [1000.0, 1000.0]];
        let mut styles = vec![style(1.0); 3];
        let all = WorldBounds::of(&points, &styles, &[]).unwrap();
        styles[2].fill = 0;
        let shown = WorldBounds::of(&points, &styles, &[]).unwrap();
        assert!(all.max[0] > 999.0);
        assert!(shown.max[0] < 20.0 && shown.max[1] < 20.0);
    }

    #[test]
    fn self_loops_are_inside_the_fit() {
        let plain = WorldBounds::of(&[[0.0, 0.0]], &[style(2.0)], &[]).unwrap();
        let looped = WorldBounds::of(&[[0.0, 0.0]], &[style(2.0)], &[(0, 3.0)]).unwrap();
        assert!(looped.max[0] > plain.max[0] && looped.min[1] < plain.min[1]);
    }
}
