//! The Explore tab and what it asks for, the "+N" badges on the canvas,
//! and the answers that tell the user something (a trace, a failure).

use std::collections::BTreeMap;

use super::{ExploreStatus, SCENE_CAP};
use crate::app::LinkscopeApp;
use crate::jobs::explore::ExploreQuery;
use crate::model::explore::trace::{SourceTrace, TraceEnd, TraceLimits};
use crate::model::explore::{EntityRecord, SEARCH_LIMIT};
use crate::model::source::{EntityId, SourceError};
use crate::view::explore_panel::{
    CitingRelation, ExcerptRow, ExploreAction, ExplorePanel, ExploreRow, SelectedEntity,
};
use crate::view::hit::Hit;

impl LinkscopeApp {
    /// A trace's answer: the path joins the scene (each new entity beside
    /// the one before it on the path), or the window says what stopped it.
    pub(super) fn explore_traced(
        &mut self,
        from: EntityId,
        to: EntityId,
        found: &SourceTrace,
        records: Vec<EntityRecord>,
    ) {
        let Some(session) = &mut self.explore else {
            return;
        };
        let name = |id: EntityId| {
            session
                .scene
                .get(&id)
                .map_or_else(|| format!("entity {id}"), |record| record.name.clone())
        };
        let (from_name, to_name) = (name(from), name(to));
        let limits = TraceLimits::default();
        let SourceTrace::Path { entities, .. } = found else {
            let why = match found {
                SourceTrace::Stopped(TraceEnd::NoPath) => {
                    "they are not connected on the source".to_owned()
                }
                SourceTrace::Stopped(TraceEnd::HopLimit) => format!(
                    "none of up to {} hops; the hop limit stopped the search",
                    limits.max_hops
                ),
                SourceTrace::Stopped(TraceEnd::TimeLimit) => format!(
                    "the time limit ({} s) stopped the search first",
                    limits.time.as_secs()
                ),
                SourceTrace::Stopped(TraceEnd::SizeLimit) | SourceTrace::Path { .. } => format!(
                    "the search reached its limit of {} entities first",
                    limits.max_reached
                ),
            };
            self.show_warning(format!("No path from {from_name} to {to_name}: {why}."));
            return;
        };
        let mut records: BTreeMap<EntityId, EntityRecord> = records
            .into_iter()
            .map(|record| (record.id, record))
            .collect();
        let mut added = 0;
        for pair in entities.windows(2) {
            let (before, id) = (pair[0], pair[1]);
            if session.scene.contains_key(&id) || session.scene.len() >= SCENE_CAP {
                continue;
            }
            if let Some(record) = records.remove(&id) {
                session.anchors.insert(id, before);
                session.scene.insert(id, record);
                added += 1;
            }
        }
        let hops = entities.len().saturating_sub(1);
        self.show_success(
            None,
            format!(
                "A path of {hops} hops from {from_name} to {to_name} on the source: {added} entities added to the scene."
            ),
        );
        self.ask_for_copy();
    }

    /// A question the source could not answer: the scene shown stays as it
    /// is, and the Explore tab and the status bar say why.
    pub(super) fn explore_failed(&mut self, serial: u64, error: &SourceError) {
        let Some(session) = &mut self.explore else {
            return;
        };
        if session.cancelling {
            let text = "Stopped: the source's query was cancelled.".to_owned();
            self.show_success(None, text);
            return;
        }
        let text = error.to_string();
        let text = if text.contains(&session.shown) {
            text
        } else {
            format!("{}: {text}", session.shown)
        };
        session.status = if serial == 0 {
            ExploreStatus::Failed(error.to_string())
        } else if matches!(error, SourceError::ConnectionLost(_)) {
            ExploreStatus::Offline
        } else {
            session.status.clone()
        };
        self.show_error(text);
    }

    /// A "+N" beside each drawn entity whose neighbours are not all shown.
    pub(in crate::app) fn explore_badges_ui(&self, ui: &mut egui::Ui, canvas: egui::Rect) {
        let (Some(session), Some(document)) = (&self.explore, &self.document) else {
            return;
        };
        if document.graph.node_count() == 0 {
            let hint = egui::Rect::from_center_size(canvas.center(), egui::vec2(420.0, 40.0));
            ui.put(
                hint,
                egui::Label::new(
                    egui::RichText::new("Search the source's names in the Explore tab to start.")
                        .weak(),
                ),
            );
            return;
        }
        let painter = ui.painter_at(canvas);
        let visuals = ui.visuals();
        for (source, paging) in &session.pages {
            if paging.remaining == 0 {
                continue;
            }
            let Some(node) = session
                .copy_of_source
                .get(source)
                .and_then(|&copied| document.graph.node_by_db_id(copied))
            else {
                continue;
            };
            let Some(at) = self.node_on_screen(node).filter(|at| canvas.contains(*at)) else {
                continue;
            };
            let galley = painter.layout_no_wrap(
                format!("+{}", paging.remaining),
                egui::FontId::proportional(11.0),
                visuals.selection.stroke.color,
            );
            let size = galley.size() + egui::vec2(8.0, 2.0);
            let badge = egui::Rect::from_min_size(at + egui::vec2(7.0, -7.0 - size.y), size);
            painter.rect_filled(badge, size.y / 2.0, visuals.selection.bg_fill);
            painter.galley(
                badge.min + egui::vec2(4.0, 1.0),
                galley,
                visuals.selection.stroke.color,
            );
        }
    }

    /// What the empty canvas says while the source opens, or why it did not.
    pub(in crate::app) fn explore_placeholder(&self) -> Option<String> {
        let session = self.explore.as_ref()?;
        Some(match &session.status {
            ExploreStatus::Connecting => format!("Opening {}…", session.shown),
            ExploreStatus::Ready | ExploreStatus::Offline => {
                format!("Preparing {}…", session.shown)
            }
            ExploreStatus::Failed(error) => format!("Could not open {}: {error}", session.shown),
        })
    }

    /// The Explore tab.
    pub(in crate::app) fn explore_panel(&mut self, ui: &mut egui::Ui) {
        let selected = match self.selection.single() {
            Some(Hit::Node(node)) => self.explore_source_id(node).map(|id| {
                (
                    id,
                    self.document
                        .as_ref()
                        .map_or(String::new(), |d| d.graph.node_name(node).to_owned()),
                )
            }),
            _ => None,
        };
        let relations = self
            .document
            .as_ref()
            .map_or(0, |document| document.graph.edge_count());
        let pair = {
            let nodes: Vec<_> = self.selection.nodes().iter().copied().collect();
            match nodes.as_slice() {
                &[a, b] => self.explore_source_id(a).zip(self.explore_source_id(b)),
                _ => None,
            }
        };
        let Some(session) = &mut self.explore else {
            return;
        };
        let results: Vec<ExploreRow> = session
            .results
            .iter()
            .map(|record| ExploreRow {
                id: record.id,
                name: record.name.clone(),
                kind: record.kind.clone(),
                shown: session.scene.contains_key(&record.id),
            })
            .collect();
        let more: Vec<(EntityId, String, u64)> = session
            .pages
            .iter()
            .filter(|(_, paging)| paging.remaining > 0)
            .filter_map(|(&id, paging)| {
                let name = session.scene.get(&id)?.name.clone();
                Some((id, name, paging.remaining))
            })
            .collect();
        let selected = selected.map(|(id, name)| {
            let paging = session.pages.get(&id);
            SelectedEntity {
                id,
                name,
                expanded: paging.is_some(),
                remaining: paging.map_or(0, |paging| paging.remaining),
            }
        });
        let status = match &session.status {
            ExploreStatus::Connecting => "Connecting…".to_owned(),
            ExploreStatus::Ready if !session.expanding.is_empty() => "Expanding…".to_owned(),
            ExploreStatus::Ready if session.busy() => "Working…".to_owned(),
            ExploreStatus::Ready => "Ready".to_owned(),
            ExploreStatus::Offline => {
                "Offline: the connection was lost. The scene stays usable; the next action connects again."
                    .to_owned()
            }
            ExploreStatus::Failed(error) => format!("Could not connect: {error}"),
        };
        let busy = session.busy();
        let saved_views: Vec<(String, String)> = session
            .saved_views()
            .iter()
            .map(|saved| (saved.name.clone(), saved.saved_at.clone()))
            .collect();
        let name_of = |id: EntityId| {
            session
                .excerpt_ends
                .get(&id)
                .map_or_else(|| format!("entity {id}"), |record| record.name.clone())
        };
        let excerpt_rows: Vec<ExcerptRow> = session
            .excerpt_hits
            .iter()
            .map(|hit| ExcerptRow {
                preview: hit.preview.clone(),
                relations: hit
                    .relations
                    .iter()
                    .map(|relation| CitingRelation {
                        subject: relation.subject,
                        object: relation.object,
                        text: format!(
                            "{} — {} — {}",
                            name_of(relation.subject),
                            relation.label.as_deref().unwrap_or(&relation.kind),
                            name_of(relation.object)
                        ),
                        shown: session.scene.contains_key(&relation.subject)
                            && session.scene.contains_key(&relation.object),
                    })
                    .collect(),
            })
            .collect();
        let actions = ExplorePanel {
            source: &session.shown,
            status: &status,
            query: &mut session.query,
            in_excerpts: &mut session.in_excerpts,
            results: &results,
            excerpt_rows: &excerpt_rows,
            selected: selected.as_ref(),
            more: &more,
            entities: session.scene.len(),
            relations,
            cap: &mut session.cap,
            cut_by_scene_cap: session.cut_by_scene_cap,
            scene_cap: SCENE_CAP,
            busy,
            pair,
            trace_hops: TraceLimits::default().max_hops,
            saved_views: &saved_views,
        }
        .ui(ui);
        for action in actions {
            self.run_explore_action(action);
        }
    }

    fn run_explore_action(&mut self, action: ExploreAction) {
        let Some(session) = &mut self.explore else {
            return;
        };
        match action {
            ExploreAction::Search => {
                let text = session.query.trim().to_owned();
                session.results.clear();
                session.excerpt_hits.clear();
                session.search_serial = if text.is_empty() {
                    None
                } else if session.in_excerpts {
                    session.ask(ExploreQuery::SearchExcerpts {
                        text,
                        limit: SEARCH_LIMIT,
                    })
                } else {
                    session.ask(ExploreQuery::Search {
                        text,
                        limit: SEARCH_LIMIT,
                    })
                };
            }
            ExploreAction::AddPair(subject, object) => {
                if !session.scene.contains_key(&object) {
                    session.anchors.insert(object, subject);
                }
                if !session.scene.contains_key(&subject) {
                    session.anchors.insert(subject, object);
                }
                session.select_after = Some(subject);
                session.ask(ExploreQuery::Add {
                    ids: vec![subject, object],
                });
            }
            ExploreAction::OpenSavedView(index) => {
                if let Some(name) = session
                    .saved_views()
                    .get(index)
                    .map(|saved| saved.name.clone())
                {
                    session.open_saved_view(&name);
                }
            }
            ExploreAction::Trace(from, to) => {
                session.ask(ExploreQuery::Trace {
                    from,
                    to,
                    limits: TraceLimits::default(),
                });
            }
            ExploreAction::Cancel => {
                if session.busy() {
                    session.cancelling = true;
                    if let Some(worker) = &session.worker {
                        worker.cancel();
                    }
                }
            }
            ExploreAction::Expand(entity) => {
                let after = session.pages.get(&entity).and_then(|paging| paging.next);
                let done = session
                    .pages
                    .get(&entity)
                    .is_some_and(|paging| paging.remaining == 0);
                session.select_after = Some(entity);
                if done && session.scene.contains_key(&entity) {
                    return;
                }
                let cap = session.cap;
                if let Some(serial) = session.ask(ExploreQuery::Expand { entity, cap, after }) {
                    session.expanding.insert(serial);
                }
            }
        }
    }
}
