//! The Trace panel's state and commands: its two ends, its settings, the
//! search on its own thread (the index it builds is kept for the next one),
//! the path shown on the canvas, and its evidence chain, read by the
//! details worker.

use std::sync::Arc;

use super::LinkscopeApp;
use crate::command::Command;
use crate::jobs::{DetailsAnswer, DetailsQuery, TraceJob, TraceRequest};
use crate::model::NodeIx;
use crate::model::trace::TraceIndex;
use crate::store::StoreError;
use crate::view::canvas::TraceOverlay;
use crate::view::hit::Hit;
use crate::view::trace_panel::{
    ChainStatus, TraceMenuState, TraceSettings, TraceStatus, TraceView, trace_panel_ui,
};

#[derive(Default)]
pub(super) struct TraceSession {
    /// The panel shows once an end is chosen, until the trace is cleared.
    pub(super) open: bool,
    from: Option<NodeIx>,
    to: Option<NodeIx>,
    settings: TraceSettings,
    /// Built by the first search of this graph; reused after.
    index: Option<Arc<TraceIndex>>,
    job: Option<TraceJob>,
    status: TraceStatus,
    shown: usize,
    chain: ChainStatus,
    /// The serial of the chain question awaited.
    chain_serial: Option<u64>,
}

impl TraceSession {
    pub(super) fn awaits_chain(&self, serial: u64) -> bool {
        self.chain_serial == Some(serial)
    }

    pub(super) fn take_chain(&mut self, answer: Result<DetailsAnswer, StoreError>) {
        self.chain_serial = None;
        self.chain = match answer {
            Ok(DetailsAnswer::Chain(hops)) => ChainStatus::Ready(hops),
            Ok(_) => ChainStatus::None,
            Err(error) => ChainStatus::Failed(error.to_string()),
        };
    }

    /// A search runs or a chain is being read.
    pub(super) fn is_busy(&self) -> bool {
        self.job.is_some() || self.chain_serial.is_some()
    }

    /// A new search or a changed end: what was found no longer applies.
    fn forget_results(&mut self) {
        self.job = None;
        self.status = TraceStatus::Idle;
        self.shown = 0;
        self.chain = ChainStatus::None;
        self.chain_serial = None;
    }
}

impl LinkscopeApp {
    pub(super) fn trace_menu_state(&self) -> TraceMenuState {
        TraceMenuState {
            node_selected: matches!(self.selection.single(), Some(Hit::Node(_))),
            ends_chosen: self.trace.from.is_some() && self.trace.to.is_some(),
            active: self.trace.open,
        }
    }

    pub(super) fn run_trace_command(&mut self, ctx: &egui::Context, command: &Command) {
        let selected = match self.selection.single() {
            Some(Hit::Node(node)) => Some(node),
            _ => None,
        };
        match command {
            Command::TraceFromSelection | Command::TraceToSelection => {
                let Some(node) = selected else {
                    self.show_error(
                        "select an entity first: a trace runs between two entities".to_owned(),
                    );
                    return;
                };
                if *command == Command::TraceFromSelection {
                    self.trace.from = Some(node);
                } else {
                    self.trace.to = Some(node);
                }
                // The view stays where it is: the next click lands where the
                // user aims.
                self.trace.open = true;
                self.trace.forget_results();
                // Both ends chosen: trace at once, as the analyst expects.
                if self.trace.from.is_some() && self.trace.to.is_some() {
                    self.start_trace(ctx, None);
                }
            }
            Command::SwapTraceEnds => {
                std::mem::swap(&mut self.trace.from, &mut self.trace.to);
                self.trace.forget_results();
            }
            Command::SetTraceSettings(settings) => self.trace.settings = *settings,
            Command::FindPath => self.start_trace(ctx, None),
            Command::ListPaths => {
                let hops = self.trace.settings.max_hops;
                self.start_trace(ctx, Some(hops));
            }
            Command::ShowTracePath(index) => {
                self.trace.shown = *index;
                self.show_trace_path();
            }
            Command::ClearTrace => {
                self.trace = TraceSession::default();
            }
            _ => {}
        }
    }

    fn start_trace(&mut self, ctx: &egui::Context, all_up_to: Option<usize>) {
        let (Some(document), Some(from), Some(to)) =
            (&self.document, self.trace.from, self.trace.to)
        else {
            return;
        };
        let request = TraceRequest {
            from,
            to,
            options: self.trace.settings.options,
            all_up_to,
        };
        self.trace.forget_results();
        let graph = Arc::clone(&document.graph);
        match TraceJob::start(graph, self.trace.index.clone(), request, ctx.clone()) {
            Ok(job) => {
                self.trace.job = Some(job);
                self.trace.status = TraceStatus::Searching;
            }
            Err(error) => self.show_error(format!("could not start the trace: {error}")),
        }
    }

    pub(super) fn poll_trace(&mut self, _ctx: &egui::Context) {
        let Some(outcome) = self.trace.job.as_ref().and_then(TraceJob::poll) else {
            return;
        };
        self.trace.job = None;
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(error) => {
                self.trace.status = TraceStatus::Failed(error);
                return;
            }
        };
        self.trace.index = Some(outcome.index);
        self.trace.status = TraceStatus::Done {
            found: outcome.found,
            all: outcome.request.all_up_to.is_some(),
            settings: TraceSettings {
                options: outcome.request.options,
                max_hops: outcome
                    .request
                    .all_up_to
                    .unwrap_or(self.trace.settings.max_hops),
            },
            search_ms: outcome.search_ms,
        };
        self.trace.shown = 0;
        self.show_trace_path();
    }

    /// Draws the path shown on the canvas and asks for its evidence chain.
    fn show_trace_path(&mut self) {
        let TraceStatus::Done { found, .. } = &self.trace.status else {
            return;
        };
        let Some(path) = found.paths.get(self.trace.shown).cloned() else {
            self.canvas.trace = TraceOverlay::default();
            return;
        };
        self.canvas.trace = TraceOverlay {
            nodes: path.nodes.clone(),
            edges: path.edges.clone(),
        };
        self.canvas.request_reveal(path.nodes.clone());
        let Some(document) = &mut self.document else {
            return;
        };
        let Some(worker) = document.details.as_mut() else {
            self.trace.chain = ChainStatus::Failed("the details reader is not running".to_owned());
            return;
        };
        let graph = Arc::clone(&document.graph);
        self.trace.chain_serial = Some(worker.ask(DetailsQuery::Chain { graph, path }));
        self.trace.chain = ChainStatus::Loading;
    }

    /// The Trace panel, in the dock's tab, while a trace is open.
    pub(super) fn trace_panel(&mut self, ui: &mut egui::Ui) {
        let Some(document) = &self.document else {
            return;
        };
        let view = TraceView {
            from: self.trace.from,
            to: self.trace.to,
            settings: self.trace.settings,
            status: &self.trace.status,
            shown: self.trace.shown,
            chain: &self.trace.chain,
        };
        let mut commands = Vec::new();
        egui::ScrollArea::vertical()
            .id_salt("trace")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                commands = trace_panel_ui(ui, &document.graph, &view);
            });
        self.pending.extend(commands);
    }
}

/// What tests and scripts can read of the trace.
impl LinkscopeApp {
    /// The path drawn on the canvas: its nodes and relations.
    pub fn trace_overlay(&self) -> &TraceOverlay {
        &self.canvas.trace
    }

    /// Whether a trace search is running.
    pub fn is_tracing(&self) -> bool {
        self.trace.job.is_some()
    }
}
