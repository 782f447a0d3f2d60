//! `linkscope render FILE --out graph.png|svg`: a picture with no window,
//! for scripts and report pipelines. It draws the file's saved view when it
//! has one, and otherwise lays the graph out first (seeded, so the same
//! file and options give the same bytes).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use egui::Vec2;

use super::picture::{
    PictureFormat, PictureSource, PictureStyle, citation_footer, picture_draw_list,
    shown_relations, write_picture,
};
use super::{ExportError, Provenance, sha256_of_file};
use crate::jobs::{MAX_ITERATIONS, prepare_document};
use crate::jobs::{ViewUpdateRequest, update_view};
use crate::layout::LayoutSettings;
use crate::model::metrics::{self, NodeLook};
use crate::model::{Graph, NodeIx};
use crate::scene::GraphScene;
use crate::scene::node_look::node_look_values;
use crate::scene::node_scale::wanted_node_scale;
use crate::scene::theme::Theme;
use crate::store::{
    LoadProgress, SavedCamera, StoreError, ViewState, documents_cited_by, load_claims,
};

/// What to render, and how.
#[derive(Clone, Debug)]
pub struct HeadlessRender {
    pub file: PathBuf,
    pub out: PathBuf,
    /// The picture's size in points.
    pub size: Vec2,
    /// Pixels per point for PNG.
    pub scale: f32,
    pub style: PictureStyle,
    /// Layout iterations when the file has no saved view (None: until it
    /// settles, at most [`MAX_ITERATIONS`]).
    pub iterations: Option<u64>,
    pub seed: u64,
    /// Draw only this entity (database id or exact name) and its
    /// neighbourhood of `hops` relations.
    pub focus: Option<String>,
    pub hops: usize,
}

/// What was written.
#[derive(Clone, Debug)]
pub struct RenderSummary {
    pub out: PathBuf,
    pub used_saved_view: bool,
    pub iterations: u64,
}

pub fn render_headless(request: &HeadlessRender) -> Result<RenderSummary, ExportError> {
    let format =
        PictureFormat::of_path(&request.out).ok_or_else(|| ExportError::UnknownFormat {
            path: request.out.clone(),
        })?;
    let source_error = |detail: String| ExportError::Source {
        path: request.file.clone(),
        detail,
    };
    let settings = LayoutSettings {
        seed: request.seed,
        ..LayoutSettings::default()
    };
    let document = prepare_document(
        &request.file,
        1,
        &settings,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .map_err(|error| source_error(error.to_string()))?;
    let used_saved_view = document
        .loaded
        .view
        .as_ref()
        .is_some_and(|view| !view.positions.is_empty());
    let mut layout = document.layout();
    if !used_saved_view {
        let most = request.iterations.unwrap_or(MAX_ITERATIONS);
        while layout.iteration() < most && (request.iterations.is_some() || !layout.converged()) {
            layout.step();
        }
    }
    let mut positions = Vec::new();
    layout.copy_positions_into(&mut positions);
    let read_path = document.loaded.read_path(&request.file).to_path_buf();
    // The picture shows evidence as the saved view did.
    let overlay = document
        .loaded
        .view
        .as_ref()
        .is_some_and(|view| view.evidence_overlay);
    let saved_node_scale = document
        .loaded
        .view
        .as_ref()
        .and_then(|view| view.node_scale)
        .filter(|_| request.focus.is_none());
    let (graph, scene, positions) = match &request.focus {
        None => {
            let graph = Arc::new(document.loaded.graph);
            let scene = document
                .scene
                .with_evidence_overlay(overlay, request.style.theme, 2);
            // Coloured and sized as the saved view chose.
            let scene = match document
                .loaded
                .view
                .as_ref()
                .and_then(|view| view.node_look)
            {
                Some(look) if look != NodeLook::default() => {
                    with_node_look(&graph, &scene, look, request.style.theme)
                        .map_err(|error| source_error(error.to_string()))?
                }
                _ => scene,
            };
            // What the saved view hid, focused on or filtered out is left
            // out here as in the window.
            let scene = match &document.loaded.view {
                Some(view) => {
                    with_saved_visibility(&graph, view, scene, request.style.theme, &read_path)
                        .map_err(|error| source_error(error.to_string()))?
                }
                None => scene,
            };
            (graph, scene, positions)
        }
        Some(entity) => {
            let full = &document.loaded.graph;
            let center = find_entity(full, entity).ok_or_else(|| {
                source_error(format!(
                    "no entity has the id or the exact name {entity:?} (--focus)"
                ))
            })?;
            let nodes = full.neighbourhood(center, request.hops);
            let (sub, _) = full.subgraph(&nodes);
            let sub_positions = nodes.iter().map(|&node| positions[node as usize]).collect();
            let scene =
                GraphScene::build(&sub, 2).with_evidence_overlay(overlay, request.style.theme, 3);
            (Arc::new(sub), scene, sub_positions)
        }
    };
    // Nodes sized for the picture as the window draws them: the saved
    // view's scale, else the one its positions call for.
    let scene = match saved_node_scale.or_else(|| wanted_node_scale(&scene, &positions)) {
        Some(scale) => scene.with_node_scale(scale, 4),
        None => scene,
    };
    let source = PictureSource {
        graph: &graph,
        scene: &scene,
        positions: Arc::new(positions),
        camera: None,
        overlay_edges: Arc::default(),
        overlay_nodes: Arc::default(),
    };
    // The whole graph is drawn, so every relation's documents are cited.
    let footer = if request.style.citations {
        let documents = documents_cited_by(&read_path, &shown_relations(&graph, &scene))
            .map_err(|error| source_error(error.to_string()))?;
        citation_footer(&documents)
    } else {
        Vec::new()
    };
    let list = picture_draw_list(&source, request.size, &request.style, footer);
    let camera = list.graph.camera;
    let view = ViewState {
        camera: Some(SavedCamera {
            center: camera.center_world,
            zoom: camera.zoom,
        }),
        layout: Some(document.layout_settings.clone()),
        ..ViewState::default()
    };
    let provenance = provenance_of(
        &request.file,
        &view,
        &format!(
            "{}, {}×{} points at {}×, {} theme{}",
            request.focus.as_ref().map_or_else(
                || "whole graph".to_owned(),
                |entity| format!("{} hops around {entity}", request.hops)
            ),
            request.size.x,
            request.size.y,
            request.scale,
            request.style.theme.name(),
            if used_saved_view { ", saved view" } else { "" }
        ),
    )?;
    let out = write_picture(
        &request.out,
        format,
        &list,
        request.scale,
        &request.style,
        &provenance,
    )?;
    Ok(RenderSummary {
        out,
        used_saved_view,
        iterations: layout.iteration(),
    })
}

/// `scene` with the hidden items, focus and filter of `view` applied (the
/// dates and grades read from `read_path` when a filter needs them).
/// `scene` coloured and sized by `look`, with the measures it needs
/// computed here (the window computes them in the background).
fn with_node_look(
    graph: &Graph,
    scene: &GraphScene,
    look: NodeLook,
    theme: Theme,
) -> Result<GraphScene, metrics::Cancelled> {
    let measured = if look.needs_metrics() {
        Some(metrics::compute(
            graph,
            &metrics::MetricsProgress::default(),
        )?)
    } else {
        None
    };
    let (fills, radii, legend) = node_look_values(graph, measured.as_ref(), look);
    Ok(scene.with_node_look(fills, &radii, legend, theme, 3))
}

fn with_saved_visibility(
    graph: &Arc<Graph>,
    view: &ViewState,
    scene: GraphScene,
    theme: Theme,
    read_path: &Path,
) -> Result<GraphScene, StoreError> {
    let rules = view.visibility_rules(graph);
    if rules.is_neutral() {
        return Ok(scene);
    }
    let claims = if rules.filter.needs_claims() {
        Some(Arc::new(load_claims(
            read_path,
            graph,
            Arc::new(AtomicBool::new(false)),
        )?))
    } else {
        None
    };
    Ok(update_view(&ViewUpdateRequest {
        graph: Arc::clone(graph),
        claims,
        rules,
        scene,
        theme,
        generation: 4,
    })
    .scene)
}

/// The node whose database id is `entity`, or else whose name is exactly it.
fn find_entity(graph: &Graph, entity: &str) -> Option<NodeIx> {
    entity
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| graph.node_by_db_id(id))
        .or_else(|| (0..graph.node_count() as NodeIx).find(|&node| graph.node_name(node) == entity))
}

/// The provenance of a picture of the file at `path` showing `view`.
pub fn provenance_of(
    path: &Path,
    view: &ViewState,
    picture: &str,
) -> Result<Provenance, ExportError> {
    let file_sha256 = sha256_of_file(path).map_err(|source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Provenance {
        file_name: path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        ),
        file_sha256,
        view_json: view.to_json(),
        picture: picture.to_owned(),
    })
}

/// The look of the file's saved view for a graph export: its positions,
/// each entity's colour and size as the window draws them, and (with
/// `shown_only`) which entities and relations its filters, focus and hides
/// leave shown. A file without a saved view has no positions.
pub fn saved_view_look(
    file: &Path,
    shown_only: bool,
) -> Result<super::graph_formats::ViewLook, ExportError> {
    let source_error = |detail: String| ExportError::Source {
        path: file.to_path_buf(),
        detail,
    };
    let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let document = crate::jobs::prepare_document(
        file,
        1,
        &crate::layout::LayoutSettings::default(),
        &LoadProgress::default(),
        &cancel,
    )
    .map_err(|error| source_error(error.to_string()))?;
    let read_path = document.loaded.read_path(file).to_path_buf();
    let graph = Arc::new(document.loaded.graph);
    let view = document.loaded.view;
    let mut scene = document.scene;
    if let Some(view) = view.as_ref().filter(|_| shown_only) {
        scene = with_saved_visibility(&graph, view, scene, Theme::Dark, &read_path)
            .map_err(|error| source_error(error.to_string()))?;
    }
    let mut look = look_of(&graph, &scene, view.as_ref());
    if shown_only && view.is_some() {
        add_shown(&graph, &scene, &mut look);
    }
    Ok(look)
}

/// Positions from `view`, and each entity's colour and size as the window
/// draws `scene` (sizes at the view's node scale).
fn look_of(
    graph: &Graph,
    scene: &GraphScene,
    view: Option<&ViewState>,
) -> super::graph_formats::ViewLook {
    let positions: crate::model::FastMap<i64, [f32; 2]> = view
        .map(|view| {
            view.positions
                .iter()
                .map(|saved| (saved.entity_id, saved.world))
                .collect()
        })
        .unwrap_or_default();
    let scale = view.and_then(|view| view.node_scale).unwrap_or(1.0);
    scene_look(
        graph,
        scene,
        |node| positions.get(&graph.node_db_id(node)).copied(),
        |node, _| {
            scene
                .base_radii()
                .get(node as usize)
                .copied()
                .unwrap_or(1.0)
                * scale
        },
    )
}

/// The look of `scene` for a graph export: each entity's colour as drawn,
/// its position and size as `position` and `size` say (the window's live
/// picture, or a saved view's).
pub fn scene_look(
    graph: &Graph,
    scene: &GraphScene,
    position: impl Fn(NodeIx) -> Option<[f32; 2]>,
    size: impl Fn(NodeIx, &crate::scene::instances::NodeStyle) -> f32,
) -> super::graph_formats::ViewLook {
    let mut look = super::graph_formats::ViewLook::default();
    for node in 0..graph.node_count() as NodeIx {
        let id = graph.node_db_id(node);
        if let Some(point) = position(node) {
            look.positions.insert(id, point);
        }
        if let Some(style) = scene.node_styles.get(node as usize) {
            let [r, g, b, _] = style.fill.to_le_bytes();
            look.colours.insert(id, [r, g, b]);
            look.sizes.insert(id, size(node, style));
        }
    }
    look
}

/// Limits `look` to what `scene` shows (its hidden entities and relations
/// left out).
pub fn add_shown(graph: &Graph, scene: &GraphScene, look: &mut super::graph_formats::ViewLook) {
    look.shown_entities = Some(
        (0..graph.node_count() as NodeIx)
            .filter(|&node| !scene.node_is_hidden(node))
            .map(|node| graph.node_db_id(node))
            .collect(),
    );
    look.shown_relations = Some(
        (0..graph.edge_count() as u32)
            .filter(|&edge| !scene.edge_is_hidden(edge))
            .map(|edge| graph.edge_db_id(edge))
            .collect(),
    );
}

/// [`saved_view_look`] without `shown_only`, from rows an export has read
/// already: the graph is built from them (no second read of the file) and
/// drawn as the window draws it.
pub fn look_of_rows(
    reader: &crate::store::graph_rows::GraphRows,
    entities: &[crate::store::graph_rows::EntityRow],
    relations: &[crate::store::graph_rows::RelationRow],
) -> super::graph_formats::ViewLook {
    let mut builder = crate::model::GraphBuilder::with_capacity(entities.len(), relations.len());
    for entity in entities {
        // A repeated id keeps the first, as opening the file does.
        let _ = builder.add_entity(entity.id, &entity.kind, &entity.name);
    }
    for relation in relations {
        let _ = builder.add_relation(
            relation.id,
            relation.subject,
            relation.object,
            &relation.kind,
            relation.label.as_deref(),
        );
    }
    // Evidence does not change a node's look: no excerpt counts needed.
    let graph = builder.finish(Vec::new());
    let scene = GraphScene::build(&graph, 1);
    let view = reader.saved_view(&graph);
    look_of(&graph, &scene, view.as_ref())
}
