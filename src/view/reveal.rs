//! Bringing things into view without zooming: a new selection, a traced
//! path or a focus is panned just inside the canvas (only Fit zooms).

use egui::{Rect, Vec2};

use super::gpu::Camera;
use super::hit::Hit;
use crate::model::NodeIx;
use crate::scene::{EdgeGeometry, GraphScene};

/// Room kept between a revealed item and the canvas's edge (points).
const REVEAL_MARGIN_PT: f32 = 60.0;

/// Where a selected item is, in world units: a node's centre, an edge's middle.
pub(super) fn selection_anchor(
    scene: &GraphScene,
    points: &[[f32; 2]],
    selection: Option<Hit>,
) -> Option<[f32; 2]> {
    match selection? {
        Hit::Node(node) => points.get(node as usize).copied(),
        Hit::Edge(edge) => {
            let instance = scene.edges.get(edge as usize)?;
            Some(EdgeGeometry::of(instance, points, &scene.node_styles)?.midpoint())
        }
    }
}

/// The camera panned just enough that `anchor` lies inside the canvas,
/// [`REVEAL_MARGIN_PT`] from its edges (centred when the canvas is smaller).
pub(super) fn reveal(camera: Camera, viewport: Rect, anchor: [f32; 2]) -> Camera {
    let inner = viewport.shrink(
        REVEAL_MARGIN_PT
            .min(viewport.width().min(viewport.height()) / 2.0 - 1.0)
            .max(0.0),
    );
    let on_screen = camera.screen_from_world(viewport, anchor);
    let wanted = inner.clamp(on_screen);
    let shift = (on_screen - wanted) / camera.zoom;
    Camera {
        center_world: [
            camera.center_world[0] + shift.x,
            camera.center_world[1] + shift.y,
        ],
        ..camera
    }
}

/// The camera panned (never zoomed) just enough that the box around
/// `nodes` lies inside the canvas, [`REVEAL_MARGIN_PT`] from its edges; a box
/// bigger than the canvas is centred.
pub(super) fn reveal_box(
    camera: Camera,
    viewport: Rect,
    nodes: &[NodeIx],
    points: &[[f32; 2]],
) -> Camera {
    let mut bounds = Rect::NOTHING;
    for &node in nodes {
        if let Some(&point) = points.get(node as usize)
            && point[0].is_finite()
            && point[1].is_finite()
        {
            bounds.extend_with(camera.screen_from_world(viewport, point));
        }
    }
    if bounds.min.x > bounds.max.x {
        return camera; // no finite point to show
    }
    let margin = REVEAL_MARGIN_PT
        .min(viewport.width().min(viewport.height()) / 2.0 - 1.0)
        .max(0.0);
    let inner = viewport.shrink(margin);
    let shift_along = |low: f32, high: f32, inner_low: f32, inner_high: f32| {
        if high - low > inner_high - inner_low {
            f32::midpoint(low, high) - f32::midpoint(inner_low, inner_high)
        } else if low < inner_low {
            low - inner_low
        } else if high > inner_high {
            high - inner_high
        } else {
            0.0
        }
    };
    let shift = Vec2::new(
        shift_along(bounds.left(), bounds.right(), inner.left(), inner.right()),
        shift_along(bounds.top(), bounds.bottom(), inner.top(), inner.bottom()),
    ) / camera.zoom;
    Camera {
        center_world: [
            camera.center_world[0] + shift.x,
            camera.center_world[1] + shift.y,
        ],
        ..camera
    }
}
