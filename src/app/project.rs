//! Keeping the analyst's work: the view state gathered from the app and
//! restored into it, Save and Save As as background jobs, the unsaved-changes
//! marker, and the question before quitting or opening another file.

use std::path::PathBuf;
use std::sync::Arc;

use super::LinkscopeApp;
use super::input::{NO_DIALOG, native_dialog_possible};
use crate::command::{Command, UnsavedChoice};
use crate::jobs::SaveJob;
use crate::store::{
    MAX_SAVED_SELECTION, SavedCamera, SavedPosition, SavedSelection, StoreError, ViewState,
};
use crate::view::hit::Hit;
use crate::view::notices::NoticeTopic;
use crate::view::panels::{PathPrompt, PathPurpose};

/// Saving, unsaved changes and the questions around them (transient: not
/// saved anywhere).
#[derive(Default)]
pub(super) struct ProjectSession {
    /// The save in progress.
    pub saving: Option<SaveJob>,
    /// The view has edits that are not saved (title marker, quit prompt).
    pub dirty: bool,
    /// An action waiting for the answer to "save your changes first?".
    pub unsaved_prompt: Option<Command>,
    /// An action to run once the running save succeeds.
    pub after_save: Option<Command>,
    /// The user chose to quit: the next close request goes through.
    pub allow_close: bool,
}

impl LinkscopeApp {
    /// Marks the view as edited (title marker, question before quitting).
    pub(super) fn mark_edited(&mut self) {
        if !self.project.dirty {
            self.project.dirty = true;
            self.title_dirty = true;
        }
    }

    /// The view as it is now, keyed by database ids.
    pub fn view_state(&self) -> Option<ViewState> {
        let document = self.document.as_ref()?;
        let graph = &document.graph;
        let positions = self
            .positions
            .points
            .iter()
            .enumerate()
            .map(|(node, &world)| SavedPosition {
                entity_id: graph.node_db_id(node as u32),
                world,
                pinned: self.pinned.contains(&(node as u32)),
            })
            .collect();
        let selection = self.selection.single().map(|hit| match hit {
            Hit::Node(node) => SavedSelection::Entity(graph.node_db_id(node)),
            Hit::Edge(edge) => SavedSelection::Relation(graph.edge_db_id(edge)),
        });
        let too_many = self.selection.nodes().len() > MAX_SAVED_SELECTION;
        let mut selected_entities: Vec<i64> = if selection.is_none() && !too_many {
            self.selection
                .nodes()
                .iter()
                .map(|&node| graph.node_db_id(node))
                .collect()
        } else {
            Vec::new()
        };
        selected_entities.sort_unstable();
        let mut view = ViewState {
            positions,
            camera: self.canvas.camera.map(|camera| SavedCamera {
                center: camera.center_world,
                zoom: camera.zoom,
            }),
            selection,
            selected_entities,
            layout: Some(document.layout_settings.clone()),
            evidence_overlay: self.evidence_overlay() == Some(true),
            ..ViewState::default()
        };
        self.save_visibility_into(&mut view);
        view.node_look = Some(self.metrics.look);
        view.node_scale = Some(document.scene.node_scale);
        Some(view)
    }

    /// Puts a view read from the file back: the layout job already starts
    /// from its positions and pins; here the camera, pins and selection.
    pub(super) fn restore_view(&mut self, view: &ViewState) {
        let Some(document) = &self.document else {
            return;
        };
        let graph = &document.graph;
        self.pinned = view
            .positions
            .iter()
            .filter(|saved| saved.pinned)
            .filter_map(|saved| graph.node_by_db_id(saved.entity_id))
            .collect();
        if let Some(camera) = view.camera {
            self.canvas.restore_camera(crate::view::gpu::Camera {
                center_world: camera.center,
                zoom: camera.zoom,
            });
        }
        let selection = match view.selection {
            Some(SavedSelection::Entity(id)) => graph.node_by_db_id(id).map(Hit::Node),
            Some(SavedSelection::Relation(id)) => (0..graph.edge_count() as u32)
                .find(|&edge| graph.edge_db_id(edge) == id)
                .map(Hit::Edge),
            None => None,
        };
        // Several entities: those still in the file (it may have changed
        // since the save), then shown like any selection.
        let selected: Vec<_> = view
            .selected_entities
            .iter()
            .filter_map(|&id| graph.node_by_db_id(id))
            .collect();
        self.set_evidence_overlay(view.evidence_overlay);
        if !selected.is_empty() {
            self.selection.set_nodes(selected);
            self.selection_changed();
        } else if selection.is_some() {
            self.select(selection);
        }
    }

    /// Save: into the open file; the bundled sample has no file of the
    /// user's, so it asks where to save a copy. While exploring, the
    /// working copy is thrown away: a server keeps the view (per user,
    /// never in the graph's data), and an explored file, which is never
    /// written, asks where to save the scene.
    pub(super) fn save(&mut self, ctx: &egui::Context) {
        match self.explore_saves_on_source() {
            Some(true) => return self.save_view_on_source(),
            Some(false) => {
                return self.ask_where_to_save(Some(
                    "The explored file is never written: choose where to save the scene as a graph file of its own.".to_owned(),
                ));
            }
            None => {}
        }
        let Some(document) = &self.document else {
            return;
        };
        if document.is_sample {
            self.ask_where_to_save(Some(
                "The bundled sample is not a file of yours: save a copy of it.".to_owned(),
            ));
            return;
        }
        let path = document.path.clone();
        self.start_save(ctx, path, None);
    }

    /// Save As: a full copy of the open file, with the view, at `path`.
    pub(super) fn save_as(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(document) = &self.document else {
            return;
        };
        if std::path::absolute(&path).ok() == std::path::absolute(&document.path).ok() {
            self.save(ctx);
            return;
        }
        // An unfinished save of the original is read from its recovered copy.
        let from = document
            .recovered
            .as_ref()
            .map_or_else(|| document.path.clone(), |copy| copy.path().to_path_buf());
        self.start_save(ctx, path, Some(from));
    }

    fn start_save(&mut self, ctx: &egui::Context, target: PathBuf, copy_from: Option<PathBuf>) {
        let target_shown = target.display().to_string();
        if self.project.saving.is_some() {
            self.show_error("a save is already running; try again when it has finished".to_owned());
            return;
        }
        let Some(view) = self.view_state() else {
            return;
        };
        let selected = self.selection.nodes().len();
        if selected > MAX_SAVED_SELECTION {
            self.show_warning(format!(
                "{target_shown}: the selection ({selected} entities) was not saved: a saved view keeps at most {MAX_SAVED_SELECTION} selected entities"
            ));
        }
        let captures = self
            .document
            .as_ref()
            .map(|document| Arc::clone(&document.captures))
            .filter(|captures| captures.has_unsaved());
        match SaveJob::start(target, copy_from, view, captures, ctx.clone()) {
            Ok(job) => self.project.saving = Some(job),
            Err(error) => {
                self.show_error(format!("could not start saving {target_shown}: {error}"));
            }
        }
    }

    /// Asks where to save a copy: the native dialog, or the path field.
    pub(super) fn ask_where_to_save(&mut self, reason: Option<String>) {
        if self.options.native_dialogs && native_dialog_possible() {
            let suggested = match &self.document {
                // An explored scene's name is its source's: no file name.
                _ if self.explore.is_some() => "explored-scene.sqlite".to_owned(),
                Some(document) => document.display_name.replace(" (bundled sample)", ""),
                None => "graph.sqlite".to_owned(),
            };
            let started = std::time::Instant::now();
            let picked = rfd::FileDialog::new()
                .set_title("Save a copy of the graph file")
                .set_file_name(suggested)
                .add_filter("Graph files", &["sqlite", "sqlite3", "db", "linkscope"])
                .save_file();
            match picked {
                Some(path) => {
                    self.pending.push(Command::SaveAsPath(path));
                    return;
                }
                None if started.elapsed() >= std::time::Duration::from_millis(150) => return,
                None => {}
            }
            self.path_prompt = Some(PathPrompt::new(
                PathPurpose::SaveAs,
                Some(reason.map_or_else(
                    || NO_DIALOG.to_owned(),
                    |reason| format!("{reason} {NO_DIALOG}"),
                )),
            ));
            return;
        }
        self.path_prompt = Some(PathPrompt::new(PathPurpose::SaveAs, reason));
    }

    /// Takes a finished save's outcome.
    pub(super) fn poll_save(&mut self, ctx: &egui::Context) {
        let Some(outcome) = self.project.saving.as_ref().and_then(SaveJob::poll) else {
            if self.project.saving.is_some() {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
            return;
        };
        let written = self.project.saving.take().and_then(|job| job.captures);
        match outcome {
            Ok(outcome) => {
                if let Some(written) = written {
                    self.captures_saved(ctx, &written);
                }
                log::info!(
                    "saved the view ({} positions) into {} in {:.0} ms",
                    outcome.positions,
                    outcome.path.display(),
                    outcome.elapsed_ms
                );
                // A save that worked retires the errors of those that did
                // not (the read-only file the user has now saved a copy of).
                self.show_success(
                    Some(NoticeTopic::Save),
                    format!("Saved the view in {}", outcome.path.display()),
                );
                for note in &outcome.notes {
                    self.show_warning(format!("{}: {note}", outcome.path.display()));
                }
                self.project.dirty = false;
                self.title_dirty = true;
                if let Some(document) = &mut self.document
                    && document.path != outcome.path
                {
                    // Save As: the copy is now the open file.
                    document.path.clone_from(&outcome.path);
                    document.is_sample = false;
                    document.display_name = outcome.path.file_name().map_or_else(
                        || outcome.path.display().to_string(),
                        |name| name.to_string_lossy().into_owned(),
                    );
                    self.saved
                        .recent_files
                        .retain(|recent| *recent != outcome.path);
                    self.saved.recent_files.insert(0, outcome.path.clone());
                }
                if let Some(next) = self.project.after_save.take() {
                    self.pending.push(next);
                }
            }
            Err(StoreError::ReadOnly { path }) => {
                self.project.after_save = None;
                self.show_error_about(
                    Some(NoticeTopic::Save),
                    format!(
                        "cannot save into {}: the file (or its folder) is read-only. Save a copy instead.",
                        path.display()
                    ),
                );
                self.ask_where_to_save(Some(
                    "The file is read-only: choose where to save a copy.".to_owned(),
                ));
            }
            Err(error) => {
                self.project.after_save = None;
                self.show_error_about(Some(NoticeTopic::Save), format!("could not save: {error}"));
            }
        }
    }

    /// The answer to "save your changes first?" for the action that asked.
    pub(super) fn answer_unsaved(&mut self, ctx: &egui::Context, choice: UnsavedChoice) {
        let Some(next) = self.project.unsaved_prompt.take() else {
            return;
        };
        match choice {
            UnsavedChoice::Cancel => {}
            UnsavedChoice::Discard => {
                self.project.dirty = false;
                self.pending.push(next);
            }
            UnsavedChoice::Save => {
                let asks_path = self
                    .document
                    .as_ref()
                    .is_some_and(|document| document.is_sample)
                    || self.explore_saves_on_source() == Some(false);
                self.save(ctx);
                // The action goes on once the save has succeeded; Save As
                // for the sample (or an explored file) asks a path first,
                // so it waits for that.
                if self.any_save_running() || asks_path {
                    self.project.after_save = Some(next);
                }
            }
        }
    }

    /// The window's close button asks first when there are unsaved changes.
    pub(super) fn guard_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|input| input.viewport().close_requested())
            && self.project.dirty
            && !self.project.allow_close
            && self.document.is_some()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.project.unsaved_prompt = Some(Command::Quit);
        }
    }
}
