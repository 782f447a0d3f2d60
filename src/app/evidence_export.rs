//! File ▸ Export Evidence Table…: which relations (when something is
//! selected), where (the native dialog, or the path field), and the export
//! itself as a background job with progress and Cancel. Copy as citation
//! puts one excerpt's citation on the clipboard.

use std::path::PathBuf;

use super::LinkscopeApp;
use super::input::{NO_DIALOG, native_dialog_possible};
use crate::command::{Command, EvidenceScope};
use crate::export::evidence_table::{EvidenceExportError, EvidenceFormat};
use crate::jobs::EvidenceExportJob;
use crate::view::evidence_dialog::{self, SelectedForExport};
use crate::view::hit::Hit;
use crate::view::notices::NoticeTopic;
use crate::view::panels::{PathPrompt, PathPurpose};
use crate::words::count_text;

/// The export's questions and its job (transient).
#[derive(Default)]
pub(super) struct EvidenceExportSession {
    /// Asking which relations: the selection's, or all.
    scope_question: Option<SelectedForExport>,
    job: Option<EvidenceExportJob>,
}

/// The note a copy to the clipboard leaves, so the user knows the click did something.
const COPIED_NOTE: &str = "Copied to the clipboard";

impl LinkscopeApp {
    /// True while an evidence table is being written.
    pub fn is_exporting_evidence(&self) -> bool {
        self.evidence_export.job.is_some()
    }

    /// Runs the commands of this feature.
    pub(super) fn run_evidence_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::ExportEvidence => self.ask_evidence_scope(),
            Command::ChooseEvidencePath(scope) => self.choose_evidence_path(scope),
            Command::ExportEvidenceTo {
                scope,
                path,
                format,
            } => self.start_evidence_export(ctx, scope, path, format),
            Command::CancelEvidenceExport => {
                if let Some(job) = &self.evidence_export.job {
                    job.cancel();
                }
            }
            Command::CopyText(text) => {
                ctx.copy_text(text);
                // One note however many copies: a second copy shows it afresh.
                self.show_success(None, COPIED_NOTE.to_owned());
            }
            _ => {}
        }
    }

    /// With a selection, asks whether to export its relations or all;
    /// without one, goes on with all.
    fn ask_evidence_scope(&mut self) {
        let Some(document) = &self.document else {
            return;
        };
        let graph = &document.graph;
        self.evidence_export.scope_question = match self.selection.single() {
            None => {
                self.choose_evidence_path(EvidenceScope::All);
                return;
            }
            Some(Hit::Edge(edge)) => {
                let (source, target) = graph.edge_endpoints(edge);
                Some(SelectedForExport::Relation {
                    scope: EvidenceScope::Relation(edge),
                    text: format!(
                        "{} {} {}",
                        graph.node_name(source),
                        graph.edge_label(edge),
                        graph.node_name(target)
                    ),
                })
            }
            Some(Hit::Node(node)) => Some(SelectedForExport::Entity {
                scope: EvidenceScope::EntityRelations(node),
                name: graph.node_name(node).to_owned(),
                relations: graph.incident_edges(node).len(),
            }),
        };
    }

    /// The native save dialog, or the path field where there is none.
    fn choose_evidence_path(&mut self, scope: EvidenceScope) {
        let purpose = PathPurpose::ExportEvidence(scope);
        if !(self.options.native_dialogs && native_dialog_possible()) {
            self.path_prompt = Some(PathPrompt::new(purpose, None));
            return;
        }
        let suggested = self.document.as_ref().map_or_else(
            || "evidence.csv".to_owned(),
            |document| {
                let stem = document.path.file_stem().unwrap_or_default();
                format!("{}-evidence.csv", stem.to_string_lossy())
            },
        );
        let started = std::time::Instant::now();
        let picked = rfd::FileDialog::new()
            .set_title("Export the evidence table")
            .set_file_name(suggested)
            .add_filter("CSV", &["csv"])
            .add_filter("Markdown", &["md", "markdown"])
            .save_file();
        match picked {
            Some(path) => self.pending.push(Command::ExportEvidenceTo {
                scope,
                format: EvidenceFormat::from_path(&path),
                path,
            }),
            // A person needs more than a blink to cancel a dialog.
            None if started.elapsed() >= std::time::Duration::from_millis(150) => {}
            None => self.path_prompt = Some(PathPrompt::new(purpose, Some(NO_DIALOG.to_owned()))),
        }
    }

    fn start_evidence_export(
        &mut self,
        ctx: &egui::Context,
        scope: EvidenceScope,
        path: PathBuf,
        format: EvidenceFormat,
    ) {
        let Some(document) = &self.document else {
            return;
        };
        if self.evidence_export.job.is_some() {
            self.show_error(
                "an evidence export is already running; try again when it has finished".to_owned(),
            );
            return;
        }
        let graph = &document.graph;
        let relation_ids: Vec<i64> = match scope {
            EvidenceScope::All => (0..graph.edge_count() as u32)
                .map(|edge| graph.edge_db_id(edge))
                .collect(),
            EvidenceScope::Relation(edge) => vec![graph.edge_db_id(edge)],
            EvidenceScope::EntityRelations(node) => graph
                .incident_edges(node)
                .into_iter()
                .map(|edge| graph.edge_db_id(edge))
                .collect(),
        };
        // Read where the panels read: the file, or its recovered copy.
        let source = document.read_path.clone();
        let shown = path.display().to_string();
        let edits = std::sync::Arc::clone(&document.captures);
        match EvidenceExportJob::start(source, edits, relation_ids, format, path, ctx.clone()) {
            Ok(job) => self.evidence_export.job = Some(job),
            Err(error) => {
                self.show_error(format!(
                    "could not start the evidence export: {error}: {shown}"
                ));
            }
        }
    }

    /// Polls the job and shows the scope question and the progress window.
    pub(super) fn evidence_export_ui(&mut self, ctx: &egui::Context) {
        if let Some(selected) = &self.evidence_export.scope_question {
            let all = self
                .document
                .as_ref()
                .map_or(0, |document| document.graph.edge_count());
            let (commands, keep_open) = evidence_dialog::evidence_scope_ui(ctx, selected, all);
            self.pending.extend(commands);
            if !keep_open {
                self.evidence_export.scope_question = None;
            }
        }
        let Some(job) = &self.evidence_export.job else {
            return;
        };
        let Some(outcome) = job.poll() else {
            let name = job.target.file_name().map_or_else(
                || job.target.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            );
            let commands = evidence_dialog::evidence_progress_ui(ctx, &name, job.fraction());
            self.pending.extend(commands);
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
            return;
        };
        let (target, format) = (job.target.clone(), job.format);
        self.evidence_export.job = None;
        match outcome {
            Ok(summary) => self.show_success(
                Some(NoticeTopic::Export),
                format!(
                    "wrote the evidence table as {} ({}, {}, {}): {}",
                    format.name(),
                    count_text(summary.relations, "relation", "relations"),
                    count_text(summary.excerpt_rows, "excerpt", "excerpts"),
                    count_text(summary.unsupported, "unsupported", "unsupported"),
                    target.display()
                ),
            ),
            Err(EvidenceExportError::Cancelled) => self.show_warning(format!(
                "the evidence export was cancelled; nothing was written: {}",
                target.display()
            )),
            Err(error) => self.show_error_about(
                Some(NoticeTopic::Export),
                format!("could not export the evidence table: {error}"),
            ),
        }
    }
}
