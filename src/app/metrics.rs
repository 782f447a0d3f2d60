//! Communities and centrality in the window: the background job started
//! after each load, View > Colour by / Size by, and what they change in the
//! scene (node colours and sizes, which exports draw too).

use std::sync::Arc;

use super::LinkscopeApp;
use crate::command::Command;
use crate::jobs::{MetricsJob, MetricsPoll};
use crate::model::metrics::{Metrics, MetricsPhase, NodeLook};
use crate::store::ViewState;
use crate::view::metrics_ui;

/// The measures of the open graph and how nodes are drawn from them.
#[derive(Default)]
pub(super) struct MetricsSession {
    job: Option<MetricsJob>,
    /// The measures wait for the filters' dates and grades to be read: the
    /// two jobs' working memory would otherwise add up (about 100 MB at a
    /// million relations, past the window's budget on software rendering).
    waiting_for_claims: bool,
    /// The measures of the open graph, and how long they took (ms).
    result: Option<(Arc<Metrics>, f64)>,
    /// What nodes are coloured and sized by; saved with the view.
    pub(super) look: NodeLook,
}

impl MetricsSession {
    /// For the status bar: the phase and share done while computing, and
    /// the measures with how long they took (ms) once done.
    #[expect(
        clippy::type_complexity,
        reason = "a pair of plain options, named in the doc"
    )]
    pub(super) fn status(&self) -> (Option<(MetricsPhase, f32)>, Option<(&Metrics, f64)>) {
        (
            self.job.as_ref().map(|job| job.progress.get()).or(self
                .waiting_for_claims
                .then_some((MetricsPhase::Preparing, 0.0))),
            self.result
                .as_ref()
                .map(|(metrics, elapsed_ms)| (&**metrics, *elapsed_ms)),
        )
    }
}

impl LinkscopeApp {
    /// Starts measuring the open graph, dropping (and so cancelling) any
    /// computation for the previous one, whose answer can no longer arrive.
    pub(super) fn start_metrics(&mut self, ctx: &egui::Context) {
        self.metrics.job = None;
        self.metrics.result = None;
        self.metrics.look = NodeLook::default();
        self.metrics.waiting_for_claims = self.is_reading_claims();
        if !self.metrics.waiting_for_claims {
            self.start_metrics_job(ctx);
        }
    }

    fn start_metrics_job(&mut self, ctx: &egui::Context) {
        let Some(document) = &self.document else {
            return;
        };
        match MetricsJob::start(Arc::clone(&document.graph), ctx.clone()) {
            Ok(job) => self.metrics.job = Some(job),
            Err(error) => self.show_error(format!(
                "could not start computing communities and centrality: {error}"
            )),
        }
    }

    pub(super) fn poll_metrics(&mut self, ctx: &egui::Context) {
        if self.metrics.waiting_for_claims && !self.is_reading_claims() {
            self.metrics.waiting_for_claims = false;
            self.start_metrics_job(ctx);
        }
        let Some(job) = &self.metrics.job else {
            return;
        };
        match job.poll() {
            MetricsPoll::Running => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
            MetricsPoll::Done(outcome) => {
                log::debug!("measures computed in {:.0} ms", outcome.elapsed_ms);
                self.metrics.job = None;
                self.metrics.result = Some((outcome.metrics, outcome.elapsed_ms));
                if self.metrics.look.needs_metrics() {
                    self.apply_node_look();
                }
            }
            MetricsPoll::Gone => self.metrics.job = None,
        }
    }

    /// Redraws every node's colour and size from the look and the measures.
    pub(super) fn apply_node_look(&mut self) {
        let Some(document) = &mut self.document else {
            return;
        };
        let metrics = self.metrics.result.as_ref().map(|(metrics, _)| &**metrics);
        let (fills, radii, legend) =
            crate::scene::node_look::node_look_values(&document.graph, metrics, self.metrics.look);
        self.generation += 1;
        document.scene =
            document
                .scene
                .with_node_look(fills, &radii, legend, self.saved.theme, self.generation);
    }

    pub(super) fn run_metrics_command(&mut self, command: &Command) {
        let mut look = self.metrics.look;
        match *command {
            Command::SetColourBy(colour_by) => look.colour_by = colour_by,
            Command::SetSizeBy(size_by) => look.size_by = size_by,
            Command::CancelMetrics => {
                if let Some(job) = self.metrics.job.take() {
                    job.cancel();
                    self.show_warning(
                        "Stopped computing communities and centrality; reopen the file to compute them."
                            .to_owned(),
                    );
                }
                return;
            }
            _ => return,
        }
        if look != self.metrics.look {
            self.metrics.look = look;
            self.mark_edited();
            self.apply_node_look();
        }
    }

    /// Puts back the look a saved view chose.
    pub(super) fn restore_node_look(&mut self, view: &ViewState) {
        if let Some(look) = view.node_look {
            self.metrics.look = look;
            self.apply_node_look();
        }
    }

    /// The communities' legend over the canvas, when nodes are coloured by them.
    pub(super) fn community_legend_ui(&self, ui: &egui::Ui, canvas: egui::Rect) {
        if let Some(rows) = self
            .document
            .as_ref()
            .and_then(|document| document.scene.node_legend.as_ref())
        {
            metrics_ui::community_legend_ui(ui, canvas, rows);
        }
    }

    /// The measures of the open graph, once computed.
    pub fn metrics(&self) -> Option<&Metrics> {
        self.metrics.result.as_ref().map(|(metrics, _)| &**metrics)
    }

    /// Whether the measures are being computed now.
    pub fn is_measuring(&self) -> bool {
        self.metrics.job.is_some()
    }

    pub fn node_look(&self) -> NodeLook {
        self.metrics.look
    }

    /// The phase the computation is in, for tests and scripts.
    pub fn metrics_phase(&self) -> Option<MetricsPhase> {
        self.metrics.job.as_ref().map(|job| job.progress.get().0)
    }
}
