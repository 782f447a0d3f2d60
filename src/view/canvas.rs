//! The graph canvas: camera (pan, zoom towards the pointer, fit), hover and
//! click through the spatial index, node dragging, GPU drawing through the
//! paint callback, labels and the legend. It returns what the user asked
//! for; the app acts on it.

use std::sync::Arc;

use egui::{Align2, CornerRadius, FontId, Pos2, Rect, Sense, Vec2};

use super::canvas_notes::{hover_tooltip_ui, paint_keyboard_caption};
use super::cpu_drawing::CpuDrawing;
use super::frame::{frame_with_alpha, highlights, trace_highlight};
use super::gpu::{Camera, GraphFrame, RenderQuality};
use super::hit::{Hit, HitIndex};
use super::marquee::{Marquee, MarqueeKind};
use super::reveal::{reveal, reveal_box, selection_anchor};
use super::selection::{Selection, SelectionOverlay};
use crate::model::{Graph, NodeIx};
use crate::scene::camera::{fit_camera, zoom_limits};
use crate::scene::draw_list::{DrawList, place_labels};
use crate::scene::edge_style::density_alpha;
use crate::scene::labels::LabelPlacer;
use crate::scene::theme::Theme;
use crate::scene::{EdgeGeometry, GraphScene};

/// Pointer slack for picking a thin edge, in screen points.
const PICK_TOLERANCE_POINTS: f32 = 5.0;
/// Below this many edges the hit index is rebuilt on the UI thread whenever
/// nodes move; above it, on a background thread at most every
/// `REBUILD_INTERVAL_S`, while queries use the last index with the current
/// positions.
const ALWAYS_REBUILD_BELOW_EDGES: usize = 50_000;
const REBUILD_INTERVAL_S: f64 = 0.5;
/// Frames during which a requested centring is applied again.
const CENTRE_FRAMES: u8 = 4;
/// Marked entities get an always-on label when there are at most this many.
const MAX_LABELLED_MARKS: usize = 30;
/// Of a multi-selection, at most this many are always labelled (placing
/// labels checks this list for every node it labels).
const MAX_LABELLED_SELECTED: usize = 32;

/// What the user did on the canvas this frame.
#[derive(Clone, Debug, PartialEq)]
pub enum CanvasEvent {
    /// A click: on a node, an edge, or the background (None).
    Select(Option<Hit>),
    /// A node is being dragged to this world position; it stays pinned
    /// (with the rest of the selection, when it is selected).
    DragNode { node: NodeIx, world: [f32; 2] },
    /// The node drag ended: the move is complete (one undo step).
    DragEnd,
    /// A Shift-click on an entity: add it to the selection or take it out.
    Toggle(NodeIx),
    /// A box or lasso closed around these entities: add them.
    AddNodes(Vec<NodeIx>),
    /// A double click on a node: give it back to the layout.
    Unpin(NodeIx),
    /// A right-click on an entity or a relation, at this screen point.
    ContextMenu { hit: Hit, at: Pos2 },
}

/// The positions to draw, shared with the layout thread's output.
#[derive(Clone)]
pub struct Positions {
    pub points: Arc<Vec<[f32; 2]>>,
    pub generation: u64,
}

/// Canvas state kept between frames (not saved).
#[derive(Default)]
pub struct CanvasState {
    pub camera: Option<Camera>,
    pub hovered: Option<Hit>,
    dragging: Option<NodeIx>,
    hit_index: HitIndex,
    index_worker: super::hit::IndexWorker,
    last_index_build_s: f64,
    labels: LabelPlacer,
    fit_requested: bool,
    /// Keep fitting while the layout unfolds, until the user pans or zooms.
    auto_fit: bool,
    /// The canvas rectangle of the last frame, for tests and exports.
    pub last_viewport: Option<Rect>,
    /// The selection last brought into view; a new one is revealed once.
    revealed: Option<Hit>,
    /// How the graph is drawn: the app sets it from the adapter and the
    /// graph's size.
    pub quality: RenderQuality,
    /// A traced path, drawn over the graph until the trace is cleared.
    pub trace: TraceOverlay,
    /// Entities Find marks on the canvas (outlined, drawn under the
    /// selection's highlight).
    pub marked: Arc<Vec<NodeIx>>,
    /// Centre the view on this node for the next few frames (side panels
    /// may still be settling their width), unless the user moves the view.
    centre_on: Option<(NodeIx, u8)>,
    /// The relation that Tab moved to (highlighted as if hovered), while an
    /// entity is selected.
    pub keyboard_focus: Option<Hit>,
    /// What a screen reader says of the canvas: the selection, and the
    /// relation under keyboard focus (the app sets it each frame).
    pub announcement: String,
    /// The canvas widget's id: while it has the keyboard, plain keys are
    /// shortcuts and Tab walks the graph.
    pub focus_id: Option<egui::Id>,
    /// Pan (never zoom) so that these entities are in view, once.
    reveal_nodes: Option<Vec<NodeIx>>,
    /// A box or lasso being drawn.
    marquee: Option<Marquee>,
    /// The multi-selection's outlines, rebuilt only when it changes.
    selection_overlay: SelectionOverlay,
    /// The edges' density fade and what it was worked out for (positions
    /// and styles generations, camera, canvas size): a still picture reuses
    /// it instead of sampling the edges every frame.
    edge_alpha: Option<((u64, u64, Camera, Vec2), f32)>,
    /// Where the adapter cannot run the graph shaders, the graph is drawn
    /// on the CPU (the app sets it once; kept by [`Self::reset`]).
    pub cpu_drawing: Option<CpuDrawing>,
}

/// The nodes and relations of a traced path, for the canvas to draw over
/// the graph (the app sets it; empty when there is no trace).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraceOverlay {
    pub nodes: Vec<NodeIx>,
    pub edges: Vec<crate::model::EdgeIx>,
}

impl CanvasState {
    pub fn request_fit(&mut self) {
        self.fit_requested = true;
    }

    /// Fit every frame until the user takes the camera.
    pub fn follow_layout(&mut self) {
        self.auto_fit = true;
    }

    /// Shows the graph through a saved camera, and keeps it (no fitting).
    pub fn restore_camera(&mut self, camera: Camera) {
        self.camera = Some(camera);
        self.fit_requested = false;
        self.auto_fit = false;
    }

    /// Stop fitting by itself (the layout settled, or the user clicked).
    pub fn stop_following(&mut self) {
        if self.auto_fit {
            self.auto_fit = false;
            self.fit_requested = true;
        }
    }

    /// Centres the view on `node` (a Find result), and stops following the
    /// layout.
    pub fn request_centre(&mut self, node: NodeIx) {
        self.centre_on = Some((node, CENTRE_FRAMES));
        self.auto_fit = false;
        self.fit_requested = false;
    }

    /// Pans the view, without zooming, just enough to show `nodes` (a
    /// traced path, a focus) on the canvas.
    pub fn request_reveal(&mut self, nodes: Vec<NodeIx>) {
        self.reveal_nodes = Some(nodes);
        self.auto_fit = false;
        self.fit_requested = false;
    }

    /// Where a world point is on screen in the last drawn frame.
    pub fn screen_from_world(&self, world: [f32; 2]) -> Option<Pos2> {
        Some(self.camera?.screen_from_world(self.last_viewport?, world))
    }

    /// What a click at `screen` picks in the last drawn frame: the same
    /// index, slack and positions as the canvas's own clicks.
    pub fn pick(&mut self, screen: Pos2, scene: &GraphScene, positions: &Positions) -> Option<Hit> {
        let (camera, viewport) = (self.camera?, self.last_viewport?);
        let wanted = (positions.generation, scene.styles_generation);
        if self.hit_index.built_from != Some(wanted) {
            self.hit_index
                .rebuild(&positions.points, &scene.node_styles, &scene.edges, wanted);
        }
        self.hit_index.hit(
            camera.world_from_screen(viewport, screen),
            PICK_TOLERANCE_POINTS / camera.zoom,
            &positions.points,
            &scene.node_styles,
            &scene.edges,
        )
    }

    pub fn reset(&mut self) {
        let mut cpu_drawing = self.cpu_drawing.take();
        if let Some(cpu) = &mut cpu_drawing {
            cpu.clear();
        }
        *self = Self {
            fit_requested: true,
            auto_fit: true,
            cpu_drawing,
            ..Self::default()
        };
    }
}

/// Draws the canvas and handles its input.
pub fn canvas_ui(
    ui: &mut egui::Ui,
    state: &mut CanvasState,
    graph: &Graph,
    scene: &GraphScene,
    positions: &Positions,
    selection: &Selection,
    theme: Theme,
) -> Vec<CanvasEvent> {
    let single = selection.single();
    let mut events = Vec::new();
    // A fixed id: the canvas keeps the keyboard focus when panels open
    // beside it (an id from its place in the layout would change).
    let (rect, _) = ui.allocate_exact_size(ui.available_size(), Sense::hover());
    let response = ui.interact(
        rect,
        ui.scope_id().with("graph_canvas"),
        Sense::click_and_drag(),
    );
    let painter = ui.painter_at(rect);
    let viewport = response.rect;
    state.focus_id = Some(response.id);
    // The canvas takes the keyboard when the user works on it; with an
    // entity selected it keeps Tab and the arrows (they walk the graph, see
    // `app::keyboard`) instead of egui moving focus to the next widget.
    if response.clicked() || response.secondary_clicked() || response.drag_started() {
        response.request_focus();
    }
    if matches!(single, Some(Hit::Node(_))) && response.has_focus() {
        ui.memory_mut(|memory| {
            memory.set_focus_lock_filter(
                response.id,
                egui::EventFilter {
                    tab: true,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: false,
                },
            );
        });
    }
    let announcement = if state.announcement.is_empty() {
        "Nothing selected"
    } else {
        state.announcement.as_str()
    };
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_role(egui::accesskit::Role::Canvas);
        node.set_label("Graph");
        node.set_value(announcement);
        node.set_live(egui::accesskit::Live::Polite);
    });
    // When a side panel opens or the window is resized, the world point at
    // the canvas's centre stays there: the camera's centre is the canvas's
    // centre, so the zoom and the centre are kept as they were.
    state.last_viewport = Some(viewport);
    let points = positions.points.as_slice();
    if points.len() != scene.node_styles.len() {
        painter.rect_filled(viewport, CornerRadius::ZERO, theme.palette().background);
        painter.text(
            viewport.center(),
            Align2::CENTER_CENTER,
            "Preparing the layout…",
            FontId::proportional(14.0),
            theme.palette().label,
        );
        return events;
    }
    if state.camera.is_none() || state.fit_requested || state.auto_fit {
        state.camera = Some(fit_camera(scene.world_bounds(points), viewport));
        state.fit_requested = false;
    }
    let Some(mut camera) = state.camera else {
        return events;
    };

    if let Some((node, frames)) = state.centre_on.take()
        && let Some(&point) = points.get(node as usize)
    {
        camera.center_world = point;
        state.centre_on = (frames > 1).then_some((node, frames - 1));
    }
    if let Some(nodes) = state.reveal_nodes.take() {
        camera = reveal_box(camera, viewport, &nodes, points);
    }

    // A new selection is brought into view once: the details panel that
    // opens with it takes room from the canvas, and may cover the item.
    if single != state.revealed {
        state.revealed = single;
        if let Some(anchor) = selection_anchor(scene, points, single) {
            camera = reveal(camera, viewport, anchor);
        }
    }

    // Zoom towards the pointer: the world point under it stays put.
    if let Some(pointer) = response.hover_pos() {
        let (scroll, pinch) = ui.input(|input| (input.smooth_scroll_delta.y, input.zoom_delta()));
        let factor = pinch * (scroll * 0.002).exp();
        if (factor - 1.0).abs() > 1e-4 {
            state.auto_fit = false;
            state.centre_on = None;
            let anchor = camera.world_from_screen(viewport, pointer);
            let (min_zoom, max_zoom) = zoom_limits(scene.world_bounds(points), viewport);
            camera.zoom = (camera.zoom * factor).clamp(min_zoom, max_zoom);
            let moved = camera.screen_from_world(viewport, anchor);
            let shift = (moved - pointer) / camera.zoom;
            camera.center_world = [
                camera.center_world[0] + shift.x,
                camera.center_world[1] + shift.y,
            ];
        }
    }

    // Hit-testing through the spatial index.
    let pointer = response.hover_pos().or(response.interact_pointer_pos());
    let now = ui.input(|input| input.time);
    if let Some(index) = state.index_worker.poll() {
        state.hit_index = index;
    }
    let wanted = (positions.generation, scene.styles_generation);
    let stale = state.hit_index.built_from != Some(wanted);
    if pointer.is_some() && stale {
        if scene.edges.len() < ALWAYS_REBUILD_BELOW_EDGES {
            state
                .hit_index
                .rebuild(points, &scene.node_styles, &scene.edges, wanted);
        } else if now - state.last_index_build_s >= REBUILD_INTERVAL_S
            && state.index_worker.request(positions, scene, ui.ctx())
        {
            state.last_index_build_s = now;
        }
    }
    let pick_camera = camera;
    let hit_at = |screen: Pos2| {
        let world = pick_camera.world_from_screen(viewport, screen);
        state.hit_index.hit(
            world,
            PICK_TOLERANCE_POINTS / pick_camera.zoom,
            points,
            &scene.node_styles,
            &scene.edges,
        )
    };
    state.hovered = if state.dragging.is_some() {
        state.dragging.map(Hit::Node)
    } else {
        pointer.filter(|&p| viewport.contains(p)).and_then(hit_at)
    };

    // Dragging a node moves and pins it (with the selection, when it is
    // selected); Shift-dragging the background draws a box, Ctrl/⌘+Shift a
    // lasso; dragging the background pans. What is dragged is what was
    // under the pointer when the button went down: a quick flick can leave
    // the node before the drag is recognised.
    let modifiers = ui.input(|input| input.modifiers);
    if response.drag_started() {
        state.auto_fit = false;
        state.centre_on = None;
        let press_origin = ui
            .input(|input| input.pointer.press_origin())
            .or(response.interact_pointer_pos());
        state.dragging = match press_origin.and_then(hit_at) {
            Some(Hit::Node(node)) => Some(node),
            _ => None,
        };
        state.marquee = match (state.dragging, press_origin) {
            (None, Some(origin)) if modifiers.shift => Some(Marquee::start(
                if modifiers.command {
                    MarqueeKind::Lasso
                } else {
                    MarqueeKind::Box
                },
                origin,
            )),
            _ => None,
        };
    }
    if response.dragged() {
        if let Some(marquee) = &mut state.marquee {
            if let Some(pointer) = response.interact_pointer_pos() {
                marquee.extend(pointer);
            }
        } else if let (Some(node), Some(pointer)) =
            (state.dragging, response.interact_pointer_pos())
        {
            events.push(CanvasEvent::DragNode {
                node,
                world: camera.world_from_screen(viewport, pointer),
            });
        } else {
            state.auto_fit = false;
            let delta = response.drag_delta() / camera.zoom;
            camera.center_world = [
                camera.center_world[0] - delta.x,
                camera.center_world[1] - delta.y,
            ];
        }
    }
    if response.drag_stopped() {
        // Where the button went up: a press, moves and a release that came
        // in one frame (a slow software-rendered desktop) end there, past
        // the position egui dragged to.
        let released_at = ui
            .input(|input| input.pointer.latest_pos())
            .or(response.interact_pointer_pos());
        if let Some(mut marquee) = state.marquee.take() {
            if let Some(pointer) = released_at {
                marquee.extend(pointer);
            }
            let inside = marquee.region(camera, viewport).nodes_inside(points);
            events.push(CanvasEvent::AddNodes(inside));
        }
        if let Some(node) = state.dragging.take() {
            if let Some(pointer) = released_at {
                events.push(CanvasEvent::DragNode {
                    node,
                    world: camera.world_from_screen(viewport, pointer),
                });
            }
            events.push(CanvasEvent::DragEnd);
        }
    }
    if response.secondary_clicked() {
        if let Some(at) = response.interact_pointer_pos()
            && let Some(hit) = hit_at(at)
        {
            events.push(CanvasEvent::ContextMenu { hit, at });
        }
    } else if response.double_clicked() {
        if let Some(Hit::Node(node)) = response.interact_pointer_pos().and_then(hit_at) {
            events.push(CanvasEvent::Unpin(node));
        }
    } else if response.clicked() {
        state.auto_fit = false;
        let hit = response.interact_pointer_pos().and_then(hit_at);
        if modifiers.shift {
            // Shift-click adds or removes an entity; on a relation or the
            // background it leaves the selection alone.
            if let Some(Hit::Node(node)) = hit {
                events.push(CanvasEvent::Toggle(node));
            }
        } else {
            events.push(CanvasEvent::Select(hit));
        }
    }
    state.camera = Some(camera);

    let (mut overlay_edges, mut overlay_nodes) = highlights(
        graph,
        scene,
        state.hovered.or(state.keyboard_focus),
        single,
        theme.palette(),
    );
    if single.is_none() {
        overlay_nodes.extend_from_slice(state.selection_overlay.get(scene, selection, theme));
    }
    let (trace_edges, trace_nodes) = trace_highlight(scene, &state.trace, theme.palette());
    overlay_edges.extend(trace_edges);
    overlay_nodes.extend(trace_nodes);
    if !state.marked.is_empty() {
        let marks = super::find::marked_overlay(scene, &state.marked, theme.palette());
        overlay_nodes.splice(0..0, marks);
    }
    let density_key = (
        positions.generation,
        scene.styles_generation,
        camera,
        viewport.size(),
    );
    let edge_alpha = match state.edge_alpha {
        Some((key, alpha)) if key == density_key => alpha,
        _ => {
            let alpha = density_alpha(
                &scene.edges,
                &positions.points,
                camera,
                [viewport.width(), viewport.height()],
            );
            state.edge_alpha = Some((density_key, alpha));
            alpha
        }
    };
    let frame = GraphFrame {
        overlay_edges: Arc::new(overlay_edges),
        overlay_nodes: Arc::new(overlay_nodes),
        background: Some(theme.palette().background),
        quality: state.quality,
        ..frame_with_alpha(scene, positions, camera, edge_alpha)
    };
    // The path's names are part of what it says.
    let mut always: Vec<NodeIx> = state.trace.nodes.clone();
    if state.marked.len() <= MAX_LABELLED_MARKS {
        always.extend(state.marked.iter().copied());
    }
    if single.is_none() {
        always.extend(selection.nodes().iter().take(MAX_LABELLED_SELECTED));
    }
    for hit in [single, state.hovered, state.keyboard_focus]
        .into_iter()
        .flatten()
    {
        match hit {
            Hit::Node(node) => always.push(node),
            Hit::Edge(edge) => {
                let (source, target) = graph.edge_endpoints(edge);
                always.extend([source, target]);
            }
        }
    }
    always.retain(|&node| !scene.node_is_hidden(node));
    let labels = place_labels(&mut state.labels, graph, scene, &frame, viewport, &always);
    let list = DrawList {
        viewport,
        theme,
        background: false,
        graph: frame,
        labels,
        // Colours by community get their own legend (view::metrics_ui).
        legend: scene.node_legend.is_none(),
        node_legend: None,
        evidence: scene.evidence_mode,
        disputed: scene.has_disputed(),
        title: None,
        footer: Vec::new(),
    };
    match &mut state.cpu_drawing {
        Some(cpu) => crate::view::paint::paint_with(&painter, &list, |painter, viewport, graph| {
            cpu.paint(painter, viewport, graph);
        }),
        None => crate::view::paint::paint(&painter, &list),
    }
    if let Some(marquee) = &state.marquee {
        marquee.paint(&painter, theme.palette().selected);
    }
    if let Some(Hit::Edge(edge)) = state.keyboard_focus {
        paint_keyboard_caption(&painter, graph, edge, viewport, theme);
    }

    if let Some(hit) = state.hovered
        && state.dragging.is_none()
        && state.marquee.is_none()
    {
        response.on_hover_ui_at_pointer(|ui| hover_tooltip_ui(ui, graph, hit));
    }
    events
}

/// Where a user would click to pick `edge` in the last frame: the point of
/// its drawn line nearest its middle where a click picks that edge (not a
/// node drawn over it, nor a closer edge). None when no such point is on
/// the canvas.
pub fn edge_click_target(
    state: &mut CanvasState,
    scene: &GraphScene,
    positions: &Positions,
    edge: crate::model::EdgeIx,
) -> Option<Pos2> {
    const TRIES: [f32; 11] = [
        0.5, 0.44, 0.56, 0.38, 0.62, 0.32, 0.68, 0.26, 0.74, 0.2, 0.8,
    ];
    let instance = scene.edges.get(edge as usize)?;
    let geometry = EdgeGeometry::of(instance, &positions.points, &scene.node_styles)?;
    let viewport = state.last_viewport?;
    TRIES.into_iter().find_map(|t| {
        let screen = state.screen_from_world(geometry.point_at(t))?;
        (viewport.contains(screen) && state.pick(screen, scene, positions) == Some(Hit::Edge(edge)))
            .then_some(screen)
    })
}
