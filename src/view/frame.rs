//! What the canvas draws each frame: the graph under a camera with its edges faded for
//! density, and the highlights (hover, selection, trace) over it. Shared with exports.

use std::sync::Arc;

use egui::{Color32, Rect};

use super::canvas::{Positions, TraceOverlay};
use super::gpu::{Camera, EdgeInstance, GraphFrame, NodeStyle, RenderQuality};
use super::hit::Hit;
use super::selection::{Selection, selected_outlines};
use crate::model::{Graph, NodeIx};
use crate::scene::GraphScene;
use crate::scene::edge_style::density_alpha;
use crate::scene::theme::{self, Palette, Theme};

/// Highlighted neighbourhoods are capped so hovering a hub stays cheap.
const MAX_HIGHLIGHTED_EDGES: usize = 5_000;

/// The graph as the canvas draws it under `camera`, without highlights.
pub fn graph_frame(
    scene: &GraphScene,
    positions: &Positions,
    camera: Camera,
    viewport: Rect,
) -> GraphFrame {
    let edge_alpha = density_alpha(
        &scene.edges,
        &positions.points,
        camera,
        [viewport.width(), viewport.height()],
    );
    frame_with_alpha(scene, positions, camera, edge_alpha)
}

/// [`graph_frame`] with the edges' density fade already worked out.
pub(super) fn frame_with_alpha(
    scene: &GraphScene,
    positions: &Positions,
    camera: Camera,
    edge_alpha: f32,
) -> GraphFrame {
    GraphFrame {
        positions: Arc::clone(&positions.points),
        positions_generation: positions.generation,
        node_styles: Arc::clone(&scene.node_styles),
        edges: Arc::clone(&scene.edges),
        styles_generation: scene.styles_generation,
        overlay_edges: Arc::default(),
        overlay_nodes: Arc::default(),
        camera,
        background_dim: false,
        edge_alpha,
        background: None,
        quality: RenderQuality::Full,
    }
}

/// The selection's highlight as the canvas draws it (for exports of the
/// current view).
pub fn highlight_frame(
    graph: &Graph,
    scene: &GraphScene,
    selection: &Selection,
    theme: Theme,
) -> (Vec<EdgeInstance>, Vec<(u32, NodeStyle)>) {
    let single = selection.single();
    let (edges, mut nodes) = highlights(graph, scene, None, single, theme.palette());
    if single.is_none() {
        nodes.extend(selected_outlines(scene, selection, theme.palette()));
    }
    (edges, nodes)
}

/// A traced path, drawn over the hover and selection highlights (it is
/// what the analyst asked to see): its relations wider, in the trace
/// colour, and its nodes outlined.
pub(super) fn trace_highlight(
    scene: &GraphScene,
    trace: &TraceOverlay,
    palette: &Palette,
) -> (Vec<EdgeInstance>, Vec<(u32, NodeStyle)>) {
    let color = theme::packed(palette.trace);
    let edges = trace
        .edges
        .iter()
        .filter_map(|&edge| scene.edges.get(edge as usize))
        .map(|instance| EdgeInstance {
            width_px: instance.width_px + 3.0,
            color,
            ..*instance
        })
        .collect();
    let nodes = trace
        .nodes
        .iter()
        .filter_map(|&node| {
            let style = scene.node_styles.get(node as usize)?;
            Some((
                node,
                NodeStyle {
                    outline: color,
                    ..*style
                },
            ))
        })
        .collect();
    (edges, nodes)
}

/// Hover and selection drawn on top: the hovered or selected edge, or a
/// node with its relations and neighbours.
pub(super) fn highlights(
    graph: &Graph,
    scene: &GraphScene,
    hovered: Option<Hit>,
    selection: Option<Hit>,
    palette: &Palette,
) -> (Vec<EdgeInstance>, Vec<(u32, NodeStyle)>) {
    let mut edges = Vec::new();
    let mut nodes = Vec::new();
    let emphasise_node = |node: NodeIx, color: Color32, nodes: &mut Vec<(u32, NodeStyle)>| {
        if let Some(style) = scene.node_styles.get(node as usize) {
            nodes.push((
                node,
                NodeStyle {
                    outline: theme::packed(color),
                    ..*style
                },
            ));
        }
    };
    for (hit, color) in [(hovered, palette.highlight), (selection, palette.selected)] {
        // What is hidden is not highlighted either (a selection kept
        // while its item is filtered out).
        let hit = hit.filter(|hit| match *hit {
            Hit::Node(node) => !scene.node_is_hidden(node),
            Hit::Edge(edge) => !scene.edge_is_hidden(edge),
        });
        match hit {
            Some(Hit::Edge(edge)) => {
                if let Some(instance) = scene.edges.get(edge as usize) {
                    edges.push(EdgeInstance {
                        width_px: instance.width_px + 2.5,
                        color: theme::packed(color),
                        ..*instance
                    });
                }
                let (source, target) = graph.edge_endpoints(edge);
                emphasise_node(source, color, &mut nodes);
                emphasise_node(target, color, &mut nodes);
            }
            Some(Hit::Node(node)) => {
                for edge in graph
                    .incident_edges(node)
                    .into_iter()
                    .filter(|&edge| !scene.edge_is_hidden(edge))
                    .take(MAX_HIGHLIGHTED_EDGES)
                {
                    if let Some(instance) = scene.edges.get(edge as usize) {
                        edges.push(EdgeInstance {
                            width_px: instance.width_px + 1.0,
                            color: theme::packed(palette.neighbour_edge),
                            ..*instance
                        });
                    }
                }
                for neighbour in graph
                    .neighbours(node)
                    .into_iter()
                    .filter(|&neighbour| !scene.node_is_hidden(neighbour))
                    .take(MAX_HIGHLIGHTED_EDGES)
                {
                    emphasise_node(neighbour, palette.neighbour_edge, &mut nodes);
                }
                emphasise_node(node, color, &mut nodes);
            }
            None => {}
        }
    }
    (edges, nodes)
}
