//! How big nodes are drawn for the picture the layout made: a node's radius
//! comes from its degree (or View > Size by) in abstract units, and this
//! module scales those units so that, at fit, the nodes follow the picture.
//!
//! A layout's world scale grows with the graph, so radii fixed in world
//! units made a 113-node network's nodes 2–4 px dots at fit. Here the median
//! node is sized from the median edge length on screen at fit, kept between
//! [`MIN_FIT_RADIUS_PT`] (where every kind's shape still reads) and
//! [`MAX_FIT_RADIUS_PT`], and shrunk when the graph is so crowded that
//! nodes that big would cover each other (a 40k-node network's communities
//! must stay visible as patches, not as one blot).

use super::{GraphScene, node_style_is_hidden};

/// The median node's radius at fit never drops below this (points) unless
/// the graph is crowded: a square, a diamond and a triangle still differ.
pub const MIN_FIT_RADIUS_PT: f32 = 4.5;
/// The median node's radius at fit never exceeds this (points).
pub const MAX_FIT_RADIUS_PT: f32 = 10.0;
/// The median node's radius as a share of the median edge length on screen.
const EDGE_SHARE: f32 = 0.22;
/// At most this share of the spacing that the nodes would have if spread
/// evenly over the picture: crowded graphs get smaller nodes.
const CROWD_SHARE: f32 = 0.3;
/// The biggest node at fit stays below this radius (points).
const MAX_HUB_RADIUS_PT: f32 = 24.0;
/// The side of the square a graph is fitted into, as assumed here (points):
/// the canvas at the default window size. The scale is a property of the
/// picture, not of the window, so resizing does not resize the nodes.
const NOMINAL_FIT_ROOM_PT: f32 = 700.0;
/// Edges sampled for the median length: enough for a stable median.
const EDGE_SAMPLE: usize = 4096;
/// A new scale is taken only when it differs by more than this factor, so
/// a running layout does not make the nodes breathe.
const RESCALE_BEYOND: f32 = 1.25;

/// The factor for `scene`'s base radii that sizes its nodes for the picture
/// at `points`. None when there is nothing to size by (fewer than two
/// shown nodes, or no finite extent).
pub fn wanted_node_scale(scene: &GraphScene, points: &[[f32; 2]]) -> Option<f32> {
    let base = scene.base_radii();
    let mut min = [f32::INFINITY; 2];
    let mut max = [f32::NEG_INFINITY; 2];
    let mut radii = Vec::new();
    for (node, point) in points.iter().enumerate() {
        let shown = scene
            .node_styles
            .get(node)
            .is_some_and(|style| !node_style_is_hidden(style));
        if !shown || !point[0].is_finite() || !point[1].is_finite() {
            continue;
        }
        min = [min[0].min(point[0]), min[1].min(point[1])];
        max = [max[0].max(point[0]), max[1].max(point[1])];
        radii.push(base.get(node).copied().unwrap_or(1.0));
    }
    let shown = radii.len();
    let extent = (max[0] - min[0]).max(max[1] - min[1]);
    if shown < 2 || !extent.is_finite() || extent <= 0.0 {
        return None;
    }
    let zoom = NOMINAL_FIT_ROOM_PT / extent;
    let median_radius = median(&mut radii)?.max(1e-3);
    let biggest_radius = radii.iter().copied().fold(median_radius, f32::max);

    let crowded = CROWD_SHARE * NOMINAL_FIT_ROOM_PT / (shown as f32).sqrt();
    let mut target = match median_edge_length(scene, points) {
        Some(length) => (EDGE_SHARE * length * zoom).clamp(MIN_FIT_RADIUS_PT, MAX_FIT_RADIUS_PT),
        None => MIN_FIT_RADIUS_PT,
    };
    target = target
        .min(crowded)
        .min(MAX_HUB_RADIUS_PT * median_radius / biggest_radius);
    let scale = target / (median_radius * zoom);
    (scale.is_finite() && scale > 0.0).then_some(scale)
}

/// Whether a scene drawn at scale `current` should move to `wanted`.
pub fn rescale_due(current: f32, wanted: f32) -> bool {
    let ratio = wanted / current.max(f32::MIN_POSITIVE);
    !(1.0 / RESCALE_BEYOND..=RESCALE_BEYOND).contains(&ratio)
}

/// `scene` rescaled for the picture at `points`, tagged `generation`, when
/// its nodes are far from the size the picture wants; None otherwise.
pub fn fitted_scene(
    scene: &GraphScene,
    points: &[[f32; 2]],
    generation: u64,
) -> Option<GraphScene> {
    let wanted = wanted_node_scale(scene, points)?;
    rescale_due(scene.node_scale, wanted).then(|| scene.with_node_scale(wanted, generation))
}

/// The median length of the shown edges between two distinct, placed nodes
/// (a sample of them on big graphs).
fn median_edge_length(scene: &GraphScene, points: &[[f32; 2]]) -> Option<f32> {
    let step = (scene.edges.len() / EDGE_SAMPLE).max(1);
    let mut lengths: Vec<f32> = scene
        .edges
        .iter()
        .step_by(step)
        .filter(|edge| edge.source != edge.target && !super::theme::is_transparent(edge.color))
        .filter_map(|edge| {
            let a = points.get(edge.source as usize)?;
            let b = points.get(edge.target as usize)?;
            let length = (a[0] - b[0]).hypot(a[1] - b[1]);
            (length.is_finite() && length > 0.0).then_some(length)
        })
        .collect();
    median(&mut lengths)
}

fn median(values: &mut [f32]) -> Option<f32> {
    if values.is_empty() {
        return None;
    }
    let middle = values.len() / 2;
    let (_, value, _) = values.select_nth_unstable_by(middle, f32::total_cmp);
    Some(*value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_changes_keep_the_scale_and_big_ones_take_the_new_one() {
        assert!(!rescale_due(1.0, 1.2));
        assert!(!rescale_due(1.0, 0.85));
        assert!(rescale_due(1.0, 1.3));
        assert!(rescale_due(1.0, 0.7));
    }

    #[test]
    fn median_of_an_odd_and_an_even_count() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(3.0));
        assert_eq!(median(&mut []), None);
    }
}
