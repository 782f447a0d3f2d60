//! A picture of the graph for a report, PNG or SVG, from the same draw list
//! the window paints: the whole graph or the current view, at 1×, 2× or 4×
//! the screen's pixels, in the dark or light theme or on a transparent
//! background, with an optional title, legend and a footer citing the
//! documents behind the drawn edges, and its provenance inside the file.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Rect, Vec2};

use super::{ExportError, Provenance, svg, write_color_image, write_text_file};
use crate::model::Graph;
use crate::scene::GraphScene;
use crate::scene::draw_list::{
    DrawLabel, DrawList, legend_rect, legend_rows, place_labels, whole_graph_camera,
};
use crate::scene::instances::{Camera, EdgeInstance, GraphFrame, NodeStyle, RenderQuality};
use crate::scene::labels::LabelPlacer;
use crate::scene::theme::Theme;
use crate::store::CitedDocument;
use crate::view::gpu::offscreen::OffscreenRenderer;

/// No side of a PNG export is longer than this, in pixels.
pub const MAX_SIDE_PX: u32 = 8192;
/// At most this many documents are named in the footer; the rest are counted.
const MAX_FOOTER_DOCUMENTS: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PictureFormat {
    Png,
    Svg,
}

impl PictureFormat {
    /// From the file name's extension (`.png`, `.svg`).
    pub fn of_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match extension.as_str() {
            "png" => Some(Self::Png),
            "svg" => Some(Self::Svg),
            _ => None,
        }
    }
}

/// What a picture shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PictureArea {
    WholeGraph,
    /// What the canvas shows, with its camera and highlights.
    CurrentView,
}

impl PictureFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Svg => "svg",
        }
    }
}

/// How a picture looks, whatever it shows.
#[derive(Clone, Debug, PartialEq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent switches, each a checkbox of the export dialog"
)]
pub struct PictureStyle {
    pub theme: Theme,
    /// Leave the background out (PNG alpha, no SVG background).
    pub transparent: bool,
    pub title: Option<String>,
    pub legend: bool,
    /// Name the documents behind the drawn edges at the bottom.
    pub citations: bool,
    /// SVG only: every text as outlines of the window's font, for exact reproduction in any
    /// viewer (the text can no longer be selected or searched).
    pub labels_as_outlines: bool,
}

impl Default for PictureStyle {
    fn default() -> Self {
        Self {
            theme: Theme::Dark,
            transparent: false,
            title: None,
            legend: true,
            citations: false,
            labels_as_outlines: false,
        }
    }
}

/// What a picture shows: the graph, where its nodes are, and the camera.
pub struct PictureSource<'a> {
    pub graph: &'a Graph,
    /// In the picture's theme (see `GraphScene::recolored`).
    pub scene: &'a GraphScene,
    pub positions: Arc<Vec<[f32; 2]>>,
    /// The screen's camera for "current view"; None fits the whole graph.
    pub camera: Option<Camera>,
    /// Highlights drawn on top, as on the screen.
    pub overlay_edges: Arc<Vec<EdgeInstance>>,
    pub overlay_nodes: Arc<Vec<(u32, NodeStyle)>>,
}

/// The picture's draw list, `size` points wide and high, with labels placed
/// as the canvas places them and `footer` at the bottom. Owned, so it can go
/// to a background thread. The whole graph is fitted below the title and
/// above the footer.
pub fn picture_draw_list(
    source: &PictureSource<'_>,
    size: Vec2,
    style: &PictureStyle,
    footer: Vec<String>,
) -> DrawList<'static> {
    let viewport = Rect::from_min_size(egui::Pos2::ZERO, size);
    // The legend the window shows: the communities' colours when nodes are
    // coloured by them, else the kinds.
    let node_legend = source.scene.node_legend.clone();
    let rows = style.legend.then(|| {
        legend_rows(
            style.theme.palette(),
            source.scene.evidence_mode,
            source.scene.has_disputed(),
            node_legend.as_deref().map(Vec::as_slice),
        )
    });
    let footer = crate::scene::draw_list::wrap_footer(footer, viewport, rows.as_deref());
    let camera = source.camera.unwrap_or_else(|| {
        let mut room = viewport;
        if style.title.is_some() {
            room.min.y += TITLE_ROOM_PT;
        }
        room.max.y -= footer_height(footer.len());
        if let Some(rows) = &rows {
            // The legend sits in the bottom-left corner: keep its strip free.
            room.min.x = legend_rect(viewport, rows).right() + 4.0;
        }
        let room =
            if room.height() < viewport.height() * 0.5 || room.width() < viewport.width() * 0.5 {
                viewport
            } else {
                room
            };
        let fitted = whole_graph_camera(source.scene, &source.positions, room);
        // Fitted around the room's centre; the camera is the viewport's.
        let shift = (room.center() - viewport.center()) / fitted.zoom;
        Camera {
            center_world: [
                fitted.center_world[0] - shift.x,
                fitted.center_world[1] - shift.y,
            ],
            ..fitted
        }
    });
    let frame = GraphFrame {
        positions: Arc::clone(&source.positions),
        positions_generation: 1,
        node_styles: Arc::clone(&source.scene.node_styles),
        edges: Arc::clone(&source.scene.edges),
        styles_generation: source.scene.styles_generation,
        overlay_edges: Arc::clone(&source.overlay_edges),
        overlay_nodes: Arc::clone(&source.overlay_nodes),
        camera,
        background_dim: false,
        // Faded as the window fades it at the same zoom.
        edge_alpha: crate::scene::edge_style::density_alpha(
            &source.scene.edges,
            &source.positions,
            camera,
            [viewport.width(), viewport.height()],
        ),
        // The draw list adds the background it was asked for.
        background: None,
        quality: RenderQuality::Full,
    };
    let always: Vec<u32> = source.overlay_nodes.iter().map(|(node, _)| *node).collect();
    let mut placer = LabelPlacer::default();
    let labels = place_labels(
        &mut placer,
        source.graph,
        source.scene,
        &frame,
        viewport,
        &always,
    )
    .into_iter()
    .map(|label| DrawLabel {
        text: Cow::Owned(label.text.into_owned()),
        ..label
    })
    .collect();
    DrawList {
        viewport,
        theme: style.theme,
        background: !style.transparent,
        graph: frame,
        labels,
        legend: style.legend,
        node_legend,
        evidence: source.scene.evidence_mode,
        disputed: source.scene.has_disputed(),
        title: style.title.clone(),
        footer,
    }
}

/// Room kept for the title at the top, in points.
const TITLE_ROOM_PT: f32 = 32.0;

/// Room the footer's lines take at the bottom, in points.
fn footer_height(lines: usize) -> f32 {
    if lines == 0 {
        0.0
    } else {
        lines as f32 * 10.5 * 1.4 + 14.0
    }
}

/// Database ids of every relation of `graph` that `scene` draws (hidden
/// ones are transparent): what a picture of the whole graph shows.
pub fn shown_relations(graph: &Graph, scene: &GraphScene) -> HashSet<i64> {
    (0..graph.edge_count() as u32)
        .filter(|&edge| {
            scene
                .edges
                .get(edge as usize)
                .is_some_and(|instance| !crate::scene::theme::is_transparent(instance.color))
        })
        .map(|edge| graph.edge_db_id(edge))
        .collect()
}

/// Database ids of the relations drawn in `list` (an end inside the
/// picture; hidden relations are not drawn).
pub fn drawn_relations(graph: &Graph, list: &DrawList<'_>) -> HashSet<i64> {
    let frame = &list.graph;
    let inside = |node: u32| {
        frame.positions.get(node as usize).is_some_and(|&world| {
            list.viewport
                .contains(frame.camera.screen_from_world(list.viewport, world))
        })
    };
    (0..graph.edge_count() as u32)
        .filter(|&edge| {
            let drawn = frame
                .edges
                .get(edge as usize)
                .is_some_and(|instance| !crate::scene::theme::is_transparent(instance.color));
            let (source, target) = graph.edge_endpoints(edge);
            drawn && (inside(source) || inside(target))
        })
        .map(|edge| graph.edge_db_id(edge))
        .collect()
}

/// Footer lines naming `documents`.
pub fn citation_footer(documents: &[CitedDocument]) -> Vec<String> {
    if documents.is_empty() {
        return vec!["Sources: none of the drawn relations cites an excerpt.".to_owned()];
    }
    let mut lines = vec!["Sources:".to_owned()];
    lines.extend(
        documents
            .iter()
            .take(MAX_FOOTER_DOCUMENTS)
            .map(|document| format!("[{}] {}", document.id, document.reference())),
    );
    if documents.len() > MAX_FOOTER_DOCUMENTS {
        lines.push(format!(
            "… and {} more documents",
            documents.len() - MAX_FOOTER_DOCUMENTS
        ));
    }
    lines
}

/// Renders `list` and writes it to `path` as PNG (at `scale` pixels per
/// point) or SVG (its text as outlines when `style` asks), with `provenance` inside.
pub fn write_picture(
    path: &Path,
    format: PictureFormat,
    list: &DrawList<'_>,
    scale: f32,
    style: &PictureStyle,
    provenance: &Provenance,
) -> Result<PathBuf, ExportError> {
    match format {
        PictureFormat::Svg => {
            let font = if style.labels_as_outlines {
                Some(
                    super::outlines::OutlineFont::egui_proportional().map_err(|error| {
                        ExportError::Render {
                            path: path.to_path_buf(),
                            detail: error.to_string(),
                        }
                    })?,
                )
            } else {
                None
            };
            write_text_file(path, &svg::to_svg(list, Some(provenance), font.as_ref()))?;
        }
        PictureFormat::Png => {
            let size = list.viewport.size() * scale;
            let (width, height) = (size.x.round() as u32, size.y.round() as u32);
            if width == 0 || height == 0 || width > MAX_SIDE_PX || height > MAX_SIDE_PX {
                return Err(ExportError::TooLarge {
                    path: path.to_path_buf(),
                    width,
                    height,
                });
            }
            let mut renderer =
                OffscreenRenderer::new(width, height).map_err(|error| ExportError::Render {
                    path: path.to_path_buf(),
                    detail: error.to_string(),
                })?;
            let image =
                renderer
                    .render_draw_list(list, scale)
                    .map_err(|error| ExportError::Render {
                        path: path.to_path_buf(),
                        detail: error.to_string(),
                    })?;
            write_color_image(path, &image, &provenance.entries())?;
        }
    }
    Ok(path.to_path_buf())
}

/// Where an export goes.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportTarget {
    File(PathBuf, PictureFormat),
    /// Rendered as PNG pixels, for the clipboard.
    Image,
}

/// Everything an export needs, owned, so it runs on its own thread.
pub struct ExportRequest {
    pub graph: Arc<Graph>,
    /// The window's scene; recoloured here when the picture's theme differs.
    pub scene: GraphScene,
    pub scene_theme: Theme,
    pub positions: Arc<Vec<[f32; 2]>>,
    /// The screen's camera for "current view"; None for the whole graph.
    pub camera: Option<Camera>,
    pub overlay_edges: Arc<Vec<EdgeInstance>>,
    pub overlay_nodes: Arc<Vec<(u32, NodeStyle)>>,
    /// The picture's size in points.
    pub size: Vec2,
    pub scale: f32,
    pub style: PictureStyle,
    pub target: ExportTarget,
    /// The graph file the picture comes from (named in its provenance).
    pub file: PathBuf,
    /// Where its evidence is read (the file, or its recovered copy).
    pub read_path: PathBuf,
    pub view: crate::store::ViewState,
}

/// What an export made.
pub enum ExportOutcome {
    Written(PathBuf),
    Image(egui::ColorImage),
}

/// Draws and writes (or renders) the picture `request` asks for.
pub fn export_picture(request: &ExportRequest) -> Result<ExportOutcome, ExportError> {
    let path_for_errors = match &request.target {
        ExportTarget::File(path, _) => path.clone(),
        ExportTarget::Image => request.file.clone(),
    };
    let source_error = |detail: String| ExportError::Source {
        path: request.file.clone(),
        detail,
    };
    let recolored;
    let scene = if request.style.theme == request.scene_theme {
        &request.scene
    } else {
        recolored = request
            .scene
            .recolored(request.style.theme, request.scene.styles_generation + 1);
        &recolored
    };
    let source = PictureSource {
        graph: &request.graph,
        scene,
        positions: Arc::clone(&request.positions),
        camera: request.camera,
        overlay_edges: Arc::clone(&request.overlay_edges),
        overlay_nodes: Arc::clone(&request.overlay_nodes),
    };
    let cite = |relations: &HashSet<i64>| {
        crate::store::documents_cited_by(&request.read_path, relations)
            .map(|documents| citation_footer(&documents))
            .map_err(|error| source_error(error.to_string()))
    };
    let list = match (request.style.citations, request.camera) {
        (false, _) => picture_draw_list(&source, request.size, &request.style, Vec::new()),
        // The whole graph: every relation is drawn; the footer's room is
        // kept before fitting.
        (true, None) => {
            let footer = cite(&shown_relations(&request.graph, scene))?;
            picture_draw_list(&source, request.size, &request.style, footer)
        }
        // The screen's view: what is drawn depends on the camera, which
        // stays as it is.
        (true, Some(_)) => {
            let mut list = picture_draw_list(&source, request.size, &request.style, Vec::new());
            list.footer = cite(&drawn_relations(&request.graph, &list))?;
            list
        }
    };
    match &request.target {
        ExportTarget::File(path, format) => {
            let picture = format!(
                "{}, {}×{} points at {}×, {} theme",
                if request.camera.is_some() {
                    "current view"
                } else {
                    "whole graph"
                },
                request.size.x.round(),
                request.size.y.round(),
                request.scale,
                request.style.theme.name()
            );
            let provenance =
                super::headless::provenance_of(&request.file, &request.view, &picture)?;
            write_picture(
                path,
                *format,
                &list,
                request.scale,
                &request.style,
                &provenance,
            )
            .map(ExportOutcome::Written)
        }
        ExportTarget::Image => {
            let size = list.viewport.size() * request.scale;
            let mut renderer = OffscreenRenderer::new(size.x.round() as u32, size.y.round() as u32)
                .map_err(|error| ExportError::Render {
                    path: path_for_errors.clone(),
                    detail: error.to_string(),
                })?;
            renderer
                .render_draw_list(&list, request.scale)
                .map(ExportOutcome::Image)
                .map_err(|error| ExportError::Render {
                    path: path_for_errors,
                    detail: error.to_string(),
                })
        }
    }
}
