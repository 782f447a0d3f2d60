//! A capture (or its undo, or a regrade) changes the open graph: the
//! changed graph, built in the background, is swapped in with the picture
//! held still and the newcomers beside their neighbours; the details
//! reader starts again over the captures as they are now.

use std::sync::Arc;

use super::{Details, LinkscopeApp};
use crate::jobs::capture::{CaptureChange, CaptureGraphJob, CaptureGraphRequest, CapturedGraph};
use crate::jobs::{DetailsWorker, LayoutStart};
use crate::model::NodeIx;
use crate::model::corrections::Regrade;

use super::explore::growth::{centre_of, shown_as_before};

impl LinkscopeApp {
    /// Changes the graph by `change`, after the changes already asked for:
    /// each applies to the graph the last one left.
    pub(super) fn queue_graph_change(&mut self, ctx: &egui::Context, change: CaptureChange) {
        let Some(document) = &self.document else {
            return;
        };
        let request = CaptureGraphRequest {
            base: Arc::clone(&document.graph),
            change,
            rules: self.visibility.rules.clone(),
            theme: self.saved.theme,
            generation: self.generation,
        };
        if self.capture.changing.is_some() {
            self.capture.queued.push_back(request);
        } else {
            self.start_change(ctx, request);
        }
    }

    /// A document's reliability changed (`redo`) or changed back: the
    /// support of the relations citing its excerpts follows, found from the
    /// file and the captures as they are now.
    pub(super) fn queue_regrade(&mut self, ctx: &egui::Context, regrade: &Regrade, redo: bool) {
        let Some(document) = &self.document else {
            return;
        };
        let change = CaptureChange::Regrade {
            regrade: regrade.clone(),
            captures: Arc::clone(&document.captures),
            file: document.read_path.clone(),
            redo,
        };
        self.queue_graph_change(ctx, change);
    }

    /// Starts the next change on the graph as it is now.
    pub(super) fn start_change(&mut self, ctx: &egui::Context, mut request: CaptureGraphRequest) {
        let Some(document) = &self.document else {
            return;
        };
        request.base = Arc::clone(&document.graph);
        self.generation += 1;
        request.generation = self.generation;
        request.rules = self.visibility.rules.clone();
        match CaptureGraphJob::start(request, ctx.clone()) {
            Ok(job) => self.capture.changing = Some(job),
            Err(error) => self.show_error(format!("could not change the graph: {error}")),
        }
    }

    /// Restarts the details reader with the captures as they are now, so
    /// the evidence panel shows what is captured and not what was undone.
    pub(super) fn restart_details(&mut self, ctx: &egui::Context) {
        let Some(document) = &mut self.document else {
            return;
        };
        if self.explore.is_some() {
            return;
        }
        match crate::store::DetailsReader::open(&document.read_path) {
            Ok(reader) => {
                let provider =
                    crate::store::CapturedDetails::new(reader, Arc::clone(&document.captures));
                match DetailsWorker::start(Box::new(provider), ctx.clone()) {
                    Ok(worker) => document.details = Some(worker),
                    Err(error) => {
                        self.show_error(format!("could not start the details reader: {error}"));
                    }
                }
            }
            Err(error) => self.show_error(format!("could not read details: {error}")),
        }
        if matches!(
            self.details,
            Details::Loading(..) | Details::Relation(..) | Details::Entity(..)
        ) {
            self.selection_changed();
        }
    }

    pub(super) fn swap_in_captured_graph(&mut self, ctx: &egui::Context, changed: CapturedGraph) {
        let Some(document) = &mut self.document else {
            return;
        };
        if !Arc::ptr_eq(&document.graph, &changed.base) {
            log::debug!("a capture's change of a graph no longer shown was dropped");
            return;
        }
        let graph = changed.graph;
        let kept = graph.node_count().min(document.graph.node_count());
        let mut points: Vec<[f32; 2]> = self.positions.points.iter().take(kept).copied().collect();
        let centre = centre_of(&points);
        for node in kept..graph.node_count() {
            let near = graph
                .neighbours(node as NodeIx)
                .into_iter()
                .find(|&other| (other as usize) < points.len())
                .map(|other| points[other as usize]);
            let angle = node as f32 * 2.4;
            let base = near.unwrap_or(centre);
            points.push([base[0] + 40.0 * angle.cos(), base[1] + 40.0 * angle.sin()]);
        }
        self.generation += 1;
        document.scene = shown_as_before(
            &document.scene,
            changed.view.scene.clone(),
            changed.view.theme,
            self.saved.theme,
            self.generation,
        );
        document.graph = Arc::clone(&graph);
        document.generation += 1;
        let count = graph.node_count();
        self.pinned.retain(|&node| (node as usize) < count);
        let held: Vec<NodeIx> = (0..kept as NodeIx).collect();
        let settings = document.layout_settings.clone();
        self.carry_on_layout(
            ctx,
            LayoutStart {
                placement: points,
                restored: Some(held),
            },
            &graph,
            settings,
        );
        let rules = self.visibility.rules.clone();
        self.grown_visibility(ctx, changed.view, None, &rules);
        let look = self.metrics.look;
        self.start_metrics(ctx);
        self.metrics.look = look;
        self.search.forget_document();
        // What the selection named may be gone (an undo).
        let valid = self
            .selection
            .nodes()
            .iter()
            .all(|&node| (node as usize) < count)
            && self
                .selection
                .edge()
                .is_none_or(|edge| (edge as usize) < graph.edge_count());
        if valid {
            self.selection_changed();
        } else {
            self.select(None);
        }
        // A new relation is selected, so its evidence shows at once.
        if let Some(growth) = changed.growth
            && (growth.first_new_edge as usize) < graph.edge_count()
        {
            self.select(Some(crate::view::hit::Hit::Edge(growth.first_new_edge)));
        }
    }
}
