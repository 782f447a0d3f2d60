//! The side panel's details, read off the UI thread: selecting asks the
//! document's details worker and shows "Loading…" until the answer to the
//! latest question arrives; answers to older questions are dropped.

use super::{Details, LinkscopeApp};
use crate::jobs::{DetailsAnswer, DetailsQuery};
use crate::view::hit::Hit;
use crate::view::text::{short_name, shortened};
use crate::view::text_viewer::TextViewer;

impl LinkscopeApp {
    /// Selects exactly `selection` (a plain click), and shows its details.
    pub(super) fn select(&mut self, selection: Option<Hit>) {
        self.selection.set(selection);
        self.selection_changed();
    }

    /// Shows what is selected: one item's details (read in the
    /// background), or the list of selected entities.
    pub(super) fn selection_changed(&mut self) {
        let Some(document) = &mut self.document else {
            self.details = Details::None;
            return;
        };
        let single = self.selection.single();
        if single.is_none() && !self.selection.nodes().is_empty() {
            // Names and kinds are in memory: no question to ask.
            self.details = Details::Selection;
            return;
        }
        let (Some(hit), Some(worker)) = (single, document.details.as_mut()) else {
            self.details = Details::None;
            return;
        };
        let graph = &document.graph;
        let query = match hit {
            Hit::Node(node) => DetailsQuery::Entity(node, graph.node_db_id(node)),
            Hit::Edge(edge) => DetailsQuery::Relation(edge, graph.edge_db_id(edge)),
        };
        self.details = Details::Loading(worker.ask(query));
    }

    /// Takes the worker's answers: the selection's latest goes to the panel,
    /// an evidence chain to the trace; anything older is dropped.
    pub(super) fn poll_details(&mut self, ctx: &egui::Context) {
        let Some(worker) = self.document.as_ref().and_then(|d| d.details.as_ref()) else {
            return;
        };
        for (serial, answer) in worker.poll() {
            if let Details::Loading(awaited) = self.details
                && serial == awaited
            {
                self.details = match answer {
                    Ok(DetailsAnswer::Entity(node, Some(details))) => {
                        Details::Entity(node, details)
                    }
                    Ok(DetailsAnswer::Relation(edge, Some(details))) => {
                        Details::Relation(edge, details)
                    }
                    Ok(_) => Details::None,
                    Err(error) => {
                        self.show_error(error.to_string());
                        Details::None
                    }
                };
            } else if self.trace.awaits_chain(serial) {
                self.trace.take_chain(answer);
            }
        }
        // While an answer is awaited, keep frames coming (the worker also
        // wakes the window when it answers; tests step until then).
        if matches!(self.details, Details::Loading(..)) || self.trace.is_busy() {
            ctx.request_repaint();
        }
    }

    /// Whether the side panel or the trace waits for the details reader.
    pub fn is_reading_details(&self) -> bool {
        matches!(self.details, Details::Loading(..)) || self.trace.is_busy()
    }
}

impl LinkscopeApp {
    /// Opens the viewer on a long text of the details shown.
    pub(super) fn show_long_text(&mut self, which: crate::command::LongText) {
        use crate::command::LongText;
        let Some(document) = &self.document else {
            return;
        };
        let (title, field) = match (&self.details, which) {
            (Details::Relation(edge, relation), LongText::Excerpt(id)) => {
                let Some(excerpt) = relation.excerpts.iter().find(|excerpt| excerpt.id == id)
                else {
                    return;
                };
                let (source, target) = document.graph.edge_endpoints(*edge);
                let title = format!(
                    "Excerpt #{id}: {} {} {}",
                    short_name(document.graph.node_name(source)),
                    short_name(document.graph.edge_label(*edge)),
                    short_name(document.graph.node_name(target)),
                );
                (title, &excerpt.text)
            }
            (Details::Entity(node, entity), LongText::Description) => (
                format!(
                    "Description of {}",
                    short_name(document.graph.node_name(*node))
                ),
                &entity.description,
            ),
            _ => return,
        };
        self.text_viewer = Some(TextViewer::new(
            shortened(&title, 160).into_owned(),
            field.as_deref().unwrap_or("").to_owned(),
            field.problem.clone(),
        ));
    }

    /// The title of the open text viewer, and its number of lines, for tests.
    pub fn text_viewer(&self) -> Option<(&str, usize)> {
        let viewer = self.text_viewer.as_ref()?;
        Some((viewer.title(), viewer.line_count()))
    }
}
