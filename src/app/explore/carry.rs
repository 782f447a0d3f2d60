//! What an explored scene keeps when a working copy replaces it instead of
//! growing it in place (`growth`): only when a copy could not keep the
//! source's ids (ids at the very bottom of the 64-bit range), so that the
//! same entity has another id in each copy. Its entities and relations get
//! new in-memory indices; the view (camera, pins, what is hidden, the
//! focus, filters, selection, the look) is carried over by id, and the
//! undo history's edits, which name indices, are translated.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::super::LinkscopeApp;
use super::super::history::{Edit, History};
use crate::model::{EdgeIx, Graph, NodeIx};
use crate::store::ViewState;

pub(in crate::app) struct CarriedView {
    view: ViewState,
    graph: Arc<Graph>,
    history: History<Edit>,
    /// The canvas's rectangle, which the new copy's canvas learns only
    /// when it is drawn.
    viewport: Option<egui::Rect>,
}

impl LinkscopeApp {
    /// Taken just before the working copy at `path` replaces the scene
    /// shown now; None when `path` is not the next copy of this scene.
    pub(in crate::app) fn carry_explored_view(&mut self, path: &Path) -> Option<CarriedView> {
        let session = self.explore.as_ref()?;
        let document = self.document.as_ref()?;
        if !session.is_copy(path) || !session.is_copy(&document.path) {
            return None;
        }
        // A saved view being opened brings its own view.
        if session.is_restoring(path) {
            return None;
        }
        let view = self.view_state()?;
        let graph = Arc::clone(&self.document.as_ref()?.graph);
        let history = std::mem::take(&mut self.arrange.history);
        Some(CarriedView {
            view,
            graph,
            history,
            viewport: self.canvas.last_viewport,
        })
    }

    /// Puts the carried view back on the new copy, after it is installed.
    pub(in crate::app) fn restore_carried_view(
        &mut self,
        ctx: &egui::Context,
        CarriedView {
            view,
            graph: before,
            mut history,
            viewport,
        }: CarriedView,
    ) {
        let Some(document) = &self.document else {
            return;
        };
        let after = Arc::clone(&document.graph);
        let edges_after: HashMap<i64, EdgeIx> = (0..after.edge_count() as u32)
            .map(|edge| (after.edge_db_id(edge), edge))
            .collect();
        let node = |old: NodeIx| -> Option<NodeIx> {
            ((old as usize) < before.node_count())
                .then(|| after.node_by_db_id(before.node_db_id(old)))
                .flatten()
        };
        let edge = |old: EdgeIx| -> Option<EdgeIx> {
            ((old as usize) < before.edge_count())
                .then(|| edges_after.get(&before.edge_db_id(old)).copied())
                .flatten()
        };
        history.map_edits(|edit| edit.remapped(&node, &edge));
        self.arrange.history = history;
        self.restore_view(&view);
        self.restore_visibility(ctx, &view);
        self.restore_node_look(&view);
        // The camera stays where it was, unless a newcomer would start out
        // of sight: then the whole scene is fitted, as on opening.
        let newcomers: Vec<NodeIx> = (0..after.node_count() as u32)
            .filter(|&node| before.node_by_db_id(after.node_db_id(node)).is_none())
            .collect();
        // A first scene (nothing was drawn) is fitted as a file is.
        if before.node_count() == 0 || !self.in_sight(&newcomers, viewport) {
            self.canvas.reset();
        }
        if let Some(session) = &mut self.explore {
            session.newcomers = newcomers;
        }
    }

    /// Once the layout has settled the newcomers of a growth, fits the
    /// scene if one of them drifted out of sight.
    pub(in crate::app) fn bring_newcomers_into_sight(&mut self) {
        let Some(session) = &mut self.explore else {
            return;
        };
        let newcomers = std::mem::take(&mut session.newcomers);
        if !self.in_sight(&newcomers, self.canvas.last_viewport) {
            self.canvas.request_fit();
        }
    }

    /// Whether every one of `nodes` is drawn inside `viewport`.
    pub(super) fn in_sight(&self, nodes: &[NodeIx], viewport: Option<egui::Rect>) -> bool {
        let (Some(camera), Some(viewport)) = (self.canvas.camera, viewport) else {
            return nodes.is_empty();
        };
        nodes.iter().all(|&node| {
            self.positions
                .points
                .get(node as usize)
                .is_some_and(|&world| viewport.contains(camera.screen_from_world(viewport, world)))
        })
    }
}
