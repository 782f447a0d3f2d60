//! Views of an explored scene kept on the source (a server keeps them per
//! user, never in the graph's data): File ▸ Save sends the view there as a
//! question to the exploration thread, and the Explore tab offers the
//! user's saved views. Opening one brings its entities into the scene as a
//! working copy written with their saved positions; once that copy is
//! installed, the rest of the view (camera, pins, hidden items, focus,
//! filters, look) is put back by id, as when a graph file opens.

use std::path::{Path, PathBuf};

use super::{ExploreQuery, ExploreSession, SCENE_CAP};
use crate::app::LinkscopeApp;
use crate::jobs::{LayoutCommand, Placement};
use crate::model::explore::{EntityRecord, SavedView, SavedViewInfo, ScenePosition};
use crate::model::source::SourceError;
use crate::store::{SavedPosition, ViewState};
use crate::view::notices::NoticeTopic;

/// The name File ▸ Save keeps the view under.
pub const DEFAULT_VIEW_NAME: &str = "default";

/// A saved view being opened: its copy, and the view to put back on it.
pub(in crate::app) struct Restoring {
    copy: PathBuf,
    name: String,
    view: ViewState,
}

impl ExploreSession {
    /// Whether `path` is the copy of a saved view being opened.
    pub(in crate::app) fn is_restoring(&self, path: &Path) -> bool {
        self.restoring
            .as_ref()
            .is_some_and(|restoring| restoring.copy == path)
    }

    /// Whether a save of the view is running on the source.
    pub(in crate::app) fn is_saving_view(&self) -> bool {
        self.view_save_serial.is_some()
    }

    /// The user's saved views, for the Explore tab.
    pub(in crate::app) fn saved_views(&self) -> &[SavedViewInfo] {
        &self.saved_views
    }

    /// Asks the source for the saved view `name`.
    pub(in crate::app) fn open_saved_view(&mut self, name: &str) {
        self.ask(ExploreQuery::LoadView {
            name: name.to_owned(),
        });
    }
}

impl LinkscopeApp {
    /// Whether File ▸ Save while exploring keeps the view on the source
    /// (a server); None when not exploring.
    pub(in crate::app) fn explore_saves_on_source(&self) -> Option<bool> {
        self.explore.as_ref().map(|session| session.on_server)
    }

    /// Whether a save is running, of a file or of a view on the source.
    pub(in crate::app) fn any_save_running(&self) -> bool {
        self.project.saving.is_some()
            || self
                .explore
                .as_ref()
                .is_some_and(ExploreSession::is_saving_view)
    }

    /// File ▸ Save while exploring a server: the view goes to the server,
    /// through the exploration thread; the window never waits on it.
    pub(in crate::app) fn save_view_on_source(&mut self) {
        let view = self.view_state().unwrap_or_default();
        let Some(session) = &mut self.explore else {
            return;
        };
        if session.view_save_serial.is_some() {
            self.show_error(
                "a save of the view is already running; try again when it has finished".to_owned(),
            );
            return;
        }
        // The view names the copy's ids, which are the source's unless the
        // source's ids left no room (see `store::scene_copy`).
        if session
            .source_of_copy_id
            .iter()
            .any(|(copied, source)| copied != source)
        {
            self.show_error_about(
                Some(NoticeTopic::Save),
                "This scene's ids differ from the source's, so its view cannot be saved on the server; use File > Save As to keep the scene as a file".to_owned(),
            );
            return;
        }
        let positions = view
            .positions
            .iter()
            .map(|saved| ScenePosition {
                id: saved.entity_id,
                world: saved.world,
                pinned: saved.pinned,
            })
            .collect();
        let saved = SavedView {
            name: DEFAULT_VIEW_NAME.to_owned(),
            scene: session.scene.keys().copied().collect(),
            positions,
            view: view.to_json(),
        };
        // The answer says it was saved (or why not): a notice before it
        // would show as done while it is not.
        session.view_save_serial = session.ask(ExploreQuery::SaveView(Box::new(saved)));
    }

    pub(super) fn explore_view_saved(&mut self, info: SavedViewInfo) {
        let Some(session) = &mut self.explore else {
            return;
        };
        session.view_save_serial = None;
        let shown = session.shown.clone();
        let text = format!(
            "Saved the view \"{}\" on {shown} ({} entities, {}); the graph's data was not written",
            info.name, info.entities, info.saved_at
        );
        session.saved_views.retain(|saved| saved.name != info.name);
        session.saved_views.insert(0, info);
        self.show_success(Some(NoticeTopic::Save), text);
        self.project.dirty = false;
        self.title_dirty = true;
        if let Some(next) = self.project.after_save.take() {
            self.pending.push(next);
        }
    }

    pub(super) fn explore_view_not_saved(&mut self, error: &SourceError) {
        if let Some(session) = &mut self.explore {
            session.view_save_serial = None;
        }
        self.project.after_save = None;
        let text = match error {
            // Said in full by the source, with what to do.
            SourceError::Unsupported(text) => text.clone(),
            other => format!(
                "Could not save the view on the server: {other}; use File > Save As to keep the scene as a file"
            ),
        };
        self.show_error_about(Some(NoticeTopic::Save), text);
    }

    /// A saved view came back: its entities become the scene, written with
    /// their saved positions; the rest of the view waits for that copy.
    pub(super) fn explore_view_loaded(&mut self, view: &SavedView, records: Vec<EntityRecord>) {
        let state = match ViewState::from_json(&view.view) {
            Ok(state) => state,
            Err(error) => {
                self.show_error(format!("The saved view \"{}\": {error}", view.name));
                return;
            }
        };
        let Some(session) = &mut self.explore else {
            return;
        };
        let Some(scratch) = &session.scratch else {
            return;
        };
        let missing = view.scene.len().saturating_sub(records.len());
        session.scene = records
            .into_iter()
            .take(SCENE_CAP)
            .map(|record| (record.id, record))
            .collect();
        session.pages.clear();
        session.anchors.clear();
        session.select_after = None;
        session.cut_by_scene_cap = 0;
        session.drawn_before_copy.clear();
        session.copies_written += 1;
        let out = scratch
            .0
            .join(format!("scene-{}.sqlite", session.copies_written));
        let positions: Vec<_> = view
            .positions
            .iter()
            .filter(|position| session.scene.contains_key(&position.id))
            .map(|position| (position.id, position.world))
            .collect();
        let mut state = state;
        state.positions = view
            .positions
            .iter()
            .map(|position| SavedPosition {
                entity_id: position.id,
                world: position.world,
                pinned: position.pinned,
            })
            .collect();
        session.restoring = Some(Restoring {
            copy: out.clone(),
            name: view.name.clone(),
            view: state,
        });
        session.copy_serial = session.ask(ExploreQuery::Copy {
            ids: session.scene.keys().copied().collect(),
            positions,
            out,
        });
        if missing > 0 {
            self.show_warning(format!(
                "The saved view \"{}\": {missing} of its entities are no longer on the source",
                view.name
            ));
        }
    }

    /// Once the copy of a saved view is installed: the view put back by
    /// id, the layout left paused at the saved positions (as a graph file
    /// with a saved view opens). False when no saved view was waiting for
    /// this copy.
    pub(super) fn restore_saved_view(&mut self, ctx: &egui::Context) -> bool {
        let Some(session) = &mut self.explore else {
            return false;
        };
        let this_copy = self
            .document
            .as_ref()
            .is_some_and(|document| session.is_restoring(&document.path));
        if !this_copy {
            return false;
        }
        let Some(Restoring { name, view, .. }) = session.restoring.take() else {
            return false;
        };
        let shown = session.shown.clone();
        self.restore_view(&view);
        self.restore_visibility(ctx, &view);
        self.restore_node_look(&view);
        if let Some(scale) = view.node_scale {
            self.restore_node_scale(scale);
        }
        // Pinned entities stay pinned when the layout is resumed.
        if let Some(layout) = &self.layout {
            let placements: Vec<Placement> = self
                .pinned
                .iter()
                .filter_map(|&node| {
                    Some(Placement {
                        node,
                        world: *self.positions.points.get(node as usize)?,
                        pinned: true,
                    })
                })
                .collect();
            if !placements.is_empty() {
                layout.send(LayoutCommand::Place(placements));
            }
        }
        self.project.dirty = false;
        self.show_success(None, format!("Opened the view \"{name}\" saved on {shown}"));
        true
    }
}
