//! What colour and size each node gets under View > Colour by / Size by,
//! and the legend of communities: plain data, shared by the window and the
//! exports.

use std::sync::Arc;

use egui::Color32;

use super::theme;
use crate::model::metrics::{ColourBy, Metrics, NodeLook, SizeBy};
use crate::model::{Graph, NodeIx};

/// Legend rows that explain node colours: (label, colour).
pub type LegendRows = Arc<Vec<(String, Color32)>>;

/// Radius of every node when sizes say nothing.
const PLAIN_RADIUS: f32 = 2.5;

/// Each node's fill (packed) and radius under `look`, and the legend rows
/// for the colours (None: the kinds' legend). Where `look` asks for a
/// measure not computed yet, the kind colour or degree size stands in.
pub fn node_look_values(
    graph: &Graph,
    metrics: Option<&Metrics>,
    look: NodeLook,
) -> (Vec<u32>, Vec<f32>, Option<LegendRows>) {
    let nodes = graph.node_count();
    let metrics = metrics.filter(|metrics| metrics.community.len() == nodes);
    let kind_fill =
        |node: usize| theme::packed(theme::kind_style(graph.node_kind(node as NodeIx)).fill);
    let (fills, legend) = match (look.colour_by, metrics) {
        (ColourBy::Community, Some(metrics)) => (
            metrics
                .community
                .iter()
                .map(|&community| theme::packed(community_colour(community)))
                .collect(),
            Some(Arc::new(community_legend(metrics))),
        ),
        _ => ((0..nodes).map(kind_fill).collect(), None),
    };
    let degree_radius = |node: usize| theme::node_radius(graph.degree(node as NodeIx));
    // A measure's largest value gets the radius the largest degree gets, so that
    // switching measures keeps the picture's scale.
    let max_degree = (0..nodes)
        .map(|node| graph.degree(node as NodeIx))
        .max()
        .unwrap_or(0) as f64;
    let scaled = |values: &[f64]| -> Vec<f32> {
        let max = values.iter().copied().fold(0.0, f64::max);
        values
            .iter()
            .map(|&value| {
                let share = if max > 0.0 { value / max } else { 0.0 };
                theme::node_radius((share * max_degree).round() as usize)
            })
            .collect()
    };
    let radii = match (look.size_by, metrics) {
        (SizeBy::None, _) => vec![PLAIN_RADIUS; nodes],
        (SizeBy::Betweenness, Some(metrics)) => scaled(&metrics.betweenness),
        (SizeBy::PageRank, Some(metrics)) => scaled(&metrics.pagerank),
        _ => (0..nodes).map(degree_radius).collect(),
    };
    (fills, radii, legend)
}

/// The colour of community `index` (0 = the largest).
pub fn community_colour(index: u32) -> Color32 {
    theme::COMMUNITY_COLOURS
        .get(index as usize)
        .copied()
        .unwrap_or(theme::COMMUNITY_OTHER)
}

/// One row per coloured community, with its size, then one for the rest.
pub fn community_legend(metrics: &Metrics) -> Vec<(String, Color32)> {
    let shown = metrics
        .community_sizes
        .len()
        .min(theme::COMMUNITY_COLOURS.len());
    let mut rows: Vec<(String, Color32)> = metrics.community_sizes[..shown]
        .iter()
        .enumerate()
        .map(|(index, size)| {
            (
                format!("Community {} ({size})", index + 1),
                community_colour(index as u32),
            )
        })
        .collect();
    let rest = &metrics.community_sizes[shown..];
    if !rest.is_empty() {
        let members: u64 = rest.iter().map(|&size| u64::from(size)).sum();
        rows.push((
            format!("Other: {} communities ({members})", rest.len()),
            theme::COMMUNITY_OTHER,
        ));
    }
    rows
}
