//! What the app shows, read without changing it: for tests, scripts and
//! the other app modules.

use std::path::Path;

use super::LinkscopeApp;
use crate::model::{EdgeIx, Graph, NodeIx};
use crate::store::{GraphCounts, LoadReport};
use crate::view::canvas;
use crate::view::gpu;
use crate::view::hit::Hit;
use crate::view::panels::PathPrompt;

impl LinkscopeApp {
    pub fn graph(&self) -> Option<&Graph> {
        self.document.as_ref().map(|document| &*document.graph)
    }

    /// The graph as it is drawn now: styles, edge instances, evidence mode.
    pub fn scene(&self) -> Option<&crate::scene::GraphScene> {
        self.document.as_ref().map(|document| &document.scene)
    }

    pub fn report(&self) -> Option<&LoadReport> {
        self.document.as_ref().map(|document| &document.report)
    }

    /// The status bar's counts: entities and relations of the graph in
    /// memory, and the file's documents and excerpts plus those captured
    /// in this session (the capture set starts empty when a file opens, so
    /// each of its documents and captures in effect is one more, saved or
    /// not).
    pub fn shown_counts(&self) -> Option<GraphCounts> {
        let document = self.document.as_ref()?;
        let captures = &document.captures;
        let read = document.report.counts();
        Some(GraphCounts {
            entities: document.graph.node_count(),
            relations: document.graph.edge_count(),
            documents: read.documents + captures.documents.len(),
            excerpts: read.excerpts + captures.captures.len(),
            relation_excerpt_links: read.relation_excerpt_links + captures.captures.len(),
        })
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    pub fn layout_settled(&self) -> bool {
        self.layout_info.settled
    }

    /// Whether the layout is moving nodes now (not paused, not settled).
    pub fn layout_running(&self) -> bool {
        self.layout_info.running && !self.layout_info.settled
    }

    /// The step the layout's start is on, while it is being built (the graph is drawn from a
    /// quick placement meanwhile).
    pub fn layout_start_state(&self) -> Option<crate::layout::StartState> {
        self.layout_info.starting
    }

    /// Layout iterations run since the layout was (re)started.
    pub fn layout_iteration(&self) -> u64 {
        self.layout_info.iteration
    }

    pub fn messages(&self) -> impl Iterator<Item = &str> {
        self.notices.iter().map(|notice| notice.text.as_str())
    }

    /// The window title for the open file.
    pub fn title(&self) -> String {
        match &self.document {
            Some(document) if self.project.dirty => {
                format!("• {} — Linkscope", document.display_name)
            }
            Some(document) => format!("{} — Linkscope", document.display_name),
            None => "Linkscope".to_owned(),
        }
    }

    /// Whether the view has edits that are not saved.
    pub fn has_unsaved_changes(&self) -> bool {
        self.project.dirty
    }

    pub fn is_exporting(&self) -> bool {
        self.export.job.is_some()
    }

    /// The folder Help ▸ Show Log (or the crash notice's button) last
    /// asked to show.
    pub fn shown_log_folder(&self) -> Option<&Path> {
        self.shown_log_folder.as_deref()
    }

    /// The last picture the window exported.
    pub fn last_export(&self) -> Option<&Path> {
        self.last_export.as_deref()
    }

    /// A save is running: of a file, or of an explored view on its server.
    pub fn is_saving(&self) -> bool {
        self.any_save_running()
    }

    /// Whether the "save your changes first?" question is showing.
    pub fn is_asking_to_save(&self) -> bool {
        self.project.unsaved_prompt.is_some()
    }

    pub fn is_asking_for_path(&self) -> bool {
        self.path_prompt.is_some()
    }

    /// What the path field is for, when it shows.
    pub fn path_prompt(&self) -> Option<&PathPrompt> {
        self.path_prompt.as_ref()
    }

    /// The one item selected (the relation, or the only entity), whose
    /// details the side panel shows.
    pub fn selection(&self) -> Option<Hit> {
        self.selection.single()
    }

    /// Every selected entity, in index order.
    pub fn selected_entities(&self) -> Vec<NodeIx> {
        self.selection.nodes().iter().copied().collect()
    }

    /// Where a click picks the given edge in the last frame: on its drawn
    /// line, as near its middle as nothing else is picked instead.
    pub fn edge_click_target(&mut self, edge: EdgeIx) -> Option<egui::Pos2> {
        let document = self.document.as_ref()?;
        canvas::edge_click_target(&mut self.canvas, &document.scene, &self.positions, edge)
    }

    /// Where the given node was drawn in the last frame.
    /// Whether the graph is drawn on the CPU (the adapter cannot run the
    /// graph shaders), and if so how long the last full-detail picture took.
    pub fn cpu_drawing(&self) -> Option<Option<std::time::Duration>> {
        self.canvas
            .cpu_drawing
            .as_ref()
            .map(|drawing| drawing.last_full)
    }

    /// Whether a CPU picture of the canvas is on its way (the one shown may
    /// be behind the last frame).
    pub fn cpu_picture_pending(&self) -> bool {
        self.canvas
            .cpu_drawing
            .as_ref()
            .is_some_and(crate::view::cpu_drawing::CpuDrawing::is_drawing)
    }

    pub fn node_on_screen(&self, node: NodeIx) -> Option<egui::Pos2> {
        self.canvas
            .screen_from_world(*self.positions.points.get(node as usize)?)
    }

    pub fn positions(&self) -> &[[f32; 2]] {
        &self.positions.points
    }

    pub fn is_pinned(&self, node: NodeIx) -> bool {
        self.pinned.contains(&node)
    }

    /// The camera and the canvas rectangle of the last frame.
    pub fn camera(&self) -> Option<(gpu::Camera, egui::Rect)> {
        Some((self.canvas.camera?, self.canvas.last_viewport?))
    }

    /// What the canvas would pick at `screen` (points), as a click there
    /// would: the same index, tolerance and positions.
    pub fn pick_at(&mut self, screen: egui::Pos2) -> Option<Hit> {
        let document = self.document.as_ref()?;
        self.canvas.pick(screen, &document.scene, &self.positions)
    }

    /// Everything the canvas drew in the last frame, with its rectangle:
    /// the description that offscreen renders and exports draw from.
    pub fn canvas_frame(&self) -> Option<(gpu::GraphFrame, egui::Rect)> {
        let document = self.document.as_ref()?;
        let (camera, viewport) = self.camera()?;
        Some((
            crate::view::frame::graph_frame(&document.scene, &self.positions, camera, viewport),
            viewport,
        ))
    }
}
