//! Find, the command palette and the shortcuts window, wired to the app:
//! the search thread of the open file, the queries sent to it (each with a
//! sequence number; only the answer to the last one is kept), the marks on
//! the canvas, and the commands these panels return.

use std::sync::Arc;

use super::LinkscopeApp;
use crate::command::{Command, UiCommand};
use crate::jobs::search::{SearchJob, SearchQuery, SearchReply};
use crate::model::{Graph, NodeIx};
use crate::view::find::{self, FindMode, FindResults, FindState, FindView};
use crate::view::help;
use crate::view::hit::Hit;
use crate::view::palette::{self, PaletteState};

/// Everything about Find, the palette and the shortcuts window (not saved).
#[derive(Default)]
pub(super) struct SearchSession {
    pub(super) find: FindState,
    /// The search thread, with the graph it searches.
    job: Option<(Arc<Graph>, SearchJob)>,
    /// The last query sent, as (mode, text), and its number.
    asked: Option<(FindMode, String)>,
    seq: u64,
    results: Option<FindResults>,
    error: Option<String>,
    /// The answer whose matches are marked on the canvas, as (seq, complete,
    /// marking on).
    marked_from: Option<(u64, bool, bool)>,
    palette: PaletteState,
    help_open: bool,
    /// Help ▸ User Guide, while shown.
    guide: Option<crate::view::guide::GuideState>,
    about_open: bool,
}

impl SearchSession {
    /// Whether the palette or the shortcuts window is showing (Escape closes
    /// them before it clears the selection).
    pub(super) fn overlay_open(&self) -> bool {
        self.palette.open || self.help_open || self.guide.is_some() || self.about_open
    }

    /// Forgets the last file's search: its thread, answers and queries
    /// (typing into Find then starts afresh, not after the old query).
    pub(super) fn forget_document(&mut self) {
        self.job = None;
        self.asked = None;
        self.results = None;
        self.error = None;
        self.marked_from = None;
        self.find.clear_queries();
    }

    pub(super) fn close_overlays(&mut self) {
        if self.palette.open {
            self.palette.toggle();
        }
        self.help_open = false;
        self.guide = None;
        self.about_open = false;
    }
}

impl LinkscopeApp {
    /// Polls the search thread, shows the Find panel in `ui` (the dock's
    /// tab, when it is in front) and sends its query when it changed.
    pub(super) fn find_panel(&mut self, ctx: &egui::Context, ui: Option<&mut egui::Ui>) {
        let Some(document) = &self.document else {
            return;
        };
        let search = &mut self.search;
        // A new file gets a new search thread (once Find is used); the old
        // one ends.
        if search
            .job
            .as_ref()
            .is_some_and(|(graph, _)| !Arc::ptr_eq(graph, &document.graph))
        {
            search.forget_document();
        }
        if search.job.is_none() && search.find.open {
            match SearchJob::start(
                Arc::clone(&document.graph),
                document.read_path.clone(),
                ctx.clone(),
            ) {
                Ok(job) => search.job = Some((Arc::clone(&document.graph), job)),
                Err(error) => {
                    search.error = Some(format!("could not start the search thread: {error}"));
                }
            }
        }
        if let Some((_, job)) = &search.job {
            for reply in job.poll() {
                if reply.seq() != search.seq {
                    continue; // an answer to a query since replaced
                }
                match reply {
                    SearchReply::Entities {
                        ranking, complete, ..
                    } => search.results = Some(FindResults::Entities { ranking, complete }),
                    SearchReply::Excerpts { found, .. } => {
                        search.results = Some(FindResults::Excerpts(found));
                    }
                    SearchReply::Failed { error, .. } => search.error = Some(error.to_string()),
                }
            }
        }
        if search.find.open
            && let Some(ui) = ui
        {
            let marked = self.canvas.marked.len();
            let commands = find::find_panel_ui(
                ui,
                &mut search.find,
                &FindView {
                    graph: &document.graph,
                    results: search.results.as_ref(),
                    error: search.error.as_deref(),
                    marked,
                },
            );
            self.pending.extend(commands);
        }
        let query = (search.find.mode, search.find.query().to_owned());
        if search.find.open && search.asked.as_ref() != Some(&query) {
            if let Some((_, job)) = &search.job {
                search.seq += 1;
                search.results = None;
                search.error = None;
                job.request(
                    search.seq,
                    match query.0 {
                        FindMode::Entities => SearchQuery::Entities(query.1.clone()),
                        FindMode::Excerpts => SearchQuery::Excerpts(query.1.clone()),
                    },
                );
            }
            search.asked = Some(query);
        }
        self.update_marks();
    }

    /// Marks the listed entity matches on the canvas, when asked to.
    fn update_marks(&mut self) {
        let search = &mut self.search;
        let wanted = search.find.open
            && search.find.mark_all
            && search.find.mode == FindMode::Entities
            && matches!(search.results, Some(FindResults::Entities { .. }));
        let complete = matches!(
            search.results,
            Some(FindResults::Entities { complete: true, .. })
        );
        let key = (search.seq, complete, wanted);
        if search.marked_from == Some(key) {
            return;
        }
        search.marked_from = Some(key);
        let marked: Vec<NodeIx> = match (&search.results, wanted) {
            (Some(FindResults::Entities { ranking, .. }), true) => {
                ranking.top.iter().map(|ranked| ranked.node).collect()
            }
            _ => Vec::new(),
        };
        self.canvas.marked = Arc::new(marked);
    }

    /// The palette and the shortcuts window, over everything else.
    pub(super) fn search_overlays(&mut self, ctx: &egui::Context) {
        if self.search.palette.open {
            let enabled: Vec<UiCommand> = UiCommand::ALL
                .into_iter()
                .filter(|&command| self.can_run(command))
                .collect();
            let commands = palette::palette_ui(ctx, &mut self.search.palette, |command| {
                enabled.contains(&command)
            });
            self.pending.extend(commands);
        }
        if self.search.help_open {
            self.pending.extend(help::help_window_ui(ctx));
        }
        if let Some(guide) = &mut self.search.guide
            && !crate::view::guide::guide_window_ui(ctx, guide)
        {
            self.search.guide = None;
        }
        if self.search.about_open && !crate::view::about::about_window_ui(ctx, crate::VERSION) {
            self.search.about_open = false;
        }
    }

    /// Whether `command` can do anything now: the palette lists the others
    /// disabled. The same conditions as the menus' entries.
    fn can_run(&self, command: UiCommand) -> bool {
        if self.document.is_none() {
            return !command.needs_graph();
        }
        let trace = self.trace_menu_state();
        let selection = self.visibility_menu().selection;
        match command {
            UiCommand::Undo => self.undo_text().is_some(),
            UiCommand::Redo => self.redo_text().is_some(),
            UiCommand::SelectNeighbours => !self.selection.is_empty(),
            UiCommand::HideSelection | UiCommand::FocusSelection => selection.is_some(),
            UiCommand::ExpandSelection | UiCommand::CollapseSelection => {
                matches!(selection, Some(Hit::Node(_)))
            }
            UiCommand::PinSelection | UiCommand::UnpinSelection => {
                !self.selection.nodes().is_empty()
            }
            UiCommand::TraceFromSelection | UiCommand::TraceToSelection => trace.node_selected,
            UiCommand::FindPath | UiCommand::ListPaths => trace.ends_chosen,
            UiCommand::ClearTrace => trace.active,
            UiCommand::EvidenceOverlay => self.evidence_overlay().is_some(),
            _ => true,
        }
    }

    /// Runs the commands of Find, the palette and the shortcuts window.
    pub(super) fn run_search_command(&mut self, command: &Command) {
        match *command {
            Command::ShowFind { excerpts } if self.document.is_some() => {
                self.search.find.show(if excerpts {
                    FindMode::Excerpts
                } else {
                    FindMode::Entities
                });
            }
            Command::CloseFind => self.search.find.open = false,
            Command::RevealNode(node) => {
                self.select(Some(Hit::Node(node)));
                self.canvas.request_centre(node);
            }
            Command::TogglePalette => self.search.palette.toggle(),
            Command::ToggleHelp => self.search.help_open = !self.search.help_open,
            Command::ToggleGuide => {
                self.search.guide = match self.search.guide.take() {
                    Some(_) => None,
                    None => Some(crate::view::guide::GuideState::default()),
                };
            }
            Command::ToggleAbout => self.search.about_open = !self.search.about_open,
            _ => {}
        }
    }

    /// The answer Find shows now, for tests.
    pub fn find_results(&self) -> Option<&FindResults> {
        self.search.results.as_ref()
    }

    pub fn is_find_open(&self) -> bool {
        self.search.find.open
    }

    pub fn is_palette_open(&self) -> bool {
        self.search.palette.open
    }

    pub fn is_help_open(&self) -> bool {
        self.search.help_open
    }

    /// Whether Help ▸ User Guide is shown.
    pub fn is_guide_open(&self) -> bool {
        self.search.guide.is_some()
    }

    /// The entities Find marks on the canvas.
    pub fn marked(&self) -> &[NodeIx] {
        &self.canvas.marked
    }
}
