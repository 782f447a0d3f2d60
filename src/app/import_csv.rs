//! The Import window's CSV part: reading the first rows (again when the
//! delimiter or encoding changes), the dry run, saving the mapping, and
//! the mapping the import then reads. The reads run on threads
//! ([`CsvReadJob`]); the window only shows what they found.

use std::path::{Path, PathBuf};

use super::LinkscopeApp;
use crate::import::ImportOptions;
use crate::import::csv::{CsvPreview, DryRunSummary, Mapping, MappingDraft, MissingEndpoints};
use crate::jobs::CsvReadJob;
use crate::view::csv_mapping::{CsvMappingCommand, CsvMappingForm};

/// The CSV part's reads in flight (transient).
#[derive(Default)]
pub(super) struct CsvReads {
    preview: Option<CsvReadJob<Vec<CsvPreview>>>,
    check: Option<CsvReadJob<DryRunSummary>>,
    /// The mapping of the offer whose Import was just pressed.
    pub(super) chosen: Option<String>,
}

/// Where a mapping for `input` is suggested: `NAME.mapping.toml` beside it.
fn suggested_mapping_path(input: &Path) -> PathBuf {
    let stem = input.file_stem().map_or_else(
        || "import".into(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    input.with_file_name(format!("{stem}.mapping.toml"))
}

/// What a dry run found, line by line.
fn summary_lines(summary: &DryRunSummary) -> Vec<String> {
    let mut lines = vec![format!(
        "The import would write {} entities, {} relations, {} documents and {} excerpts; {} rows skipped or changed.",
        summary.entities, summary.relations, summary.documents, summary.excerpts, summary.notes
    )];
    lines.extend(summary.problems.iter().take(5).cloned());
    if summary.problems.len() > 5 {
        lines.push(format!("… and {} more", summary.notes.saturating_sub(5)));
    }
    lines
}

impl LinkscopeApp {
    /// A new CSV part for the offer of `inputs`; its first rows are read.
    pub(super) fn csv_form(&mut self, ctx: &egui::Context, inputs: &[PathBuf]) -> CsvMappingForm {
        let mut form = CsvMappingForm {
            mapping_path: inputs
                .first()
                .map(|input| suggested_mapping_path(input).display().to_string())
                .unwrap_or_default(),
            ..CsvMappingForm::default()
        };
        self.read_csv_preview(ctx, inputs.to_vec(), None, &mut form);
        form
    }

    fn read_csv_preview(
        &mut self,
        ctx: &egui::Context,
        inputs: Vec<PathBuf>,
        mapping: Option<Mapping>,
        form: &mut CsvMappingForm,
    ) {
        match CsvReadJob::preview(inputs, mapping, ctx.clone()) {
            Ok(job) => {
                self.import.csv.preview = Some(job);
                form.reading = true;
            }
            Err(error) => form.summary = vec![format!("could not start reading: {error}")],
        }
    }

    pub(super) fn run_csv_mapping_command(
        &mut self,
        ctx: &egui::Context,
        command: CsvMappingCommand,
    ) {
        let Some(offer) = self.import.offer.as_mut() else {
            return;
        };
        let inputs = offer.inputs.clone();
        let Some(mut form) = offer.csv.take() else {
            return;
        };
        let mapping = form.draft.as_ref().map(MappingDraft::mapping);
        match (command, mapping) {
            (CsvMappingCommand::Reread, mapping) => {
                self.read_csv_preview(ctx, inputs, mapping, &mut form);
            }
            (CsvMappingCommand::DryRun, Some(mapping)) => {
                match CsvReadJob::dry_run(inputs, mapping, ctx.clone()) {
                    Ok(job) => {
                        self.import.csv.check = Some(job);
                        form.checking = true;
                        form.summary.clear();
                    }
                    Err(error) => {
                        form.summary = vec![format!("could not start the check: {error}")];
                    }
                }
            }
            (CsvMappingCommand::Save, Some(mapping)) => {
                form.summary = vec![save_mapping(&mapping, Path::new(form.mapping_path.trim()))];
            }
            (_, None) => {}
        }
        if let Some(offer) = self.import.offer.as_mut() {
            offer.csv = Some(form);
        }
    }

    /// Takes in what the CSV reads found.
    pub(super) fn poll_csv_reads(&mut self, ctx: &egui::Context) {
        let Some(form) = self
            .import
            .offer
            .as_mut()
            .and_then(|offer| offer.csv.as_mut())
        else {
            self.import.csv.preview = None;
            self.import.csv.check = None;
            return;
        };
        if let Some(outcome) = self.import.csv.preview.as_ref().and_then(CsvReadJob::poll) {
            self.import.csv.preview = None;
            form.reading = false;
            match outcome {
                Ok(previews) => {
                    let missing = form
                        .draft
                        .as_ref()
                        .map_or(MissingEndpoints::Create, |draft| draft.missing_endpoints);
                    let mut draft = MappingDraft::from_previews(&previews, missing);
                    // What was typed survives a new delimiter or encoding.
                    if let Some(before) = &form.draft {
                        draft.entity_kind.clone_from(&before.entity_kind);
                        draft.relation_kind.clone_from(&before.relation_kind);
                    }
                    form.draft = Some(draft);
                }
                Err(error) => form.summary = vec![format!("could not read: {error}")],
            }
        }
        if let Some(outcome) = self.import.csv.check.as_ref().and_then(CsvReadJob::poll) {
            self.import.csv.check = None;
            form.checking = false;
            form.summary = match outcome {
                Ok(summary) => summary_lines(&summary),
                Err(error) => vec![format!("the check failed: {error}")],
            };
        }
        if form.reading || form.checking {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// The options for an import started from the offer: its CSV mapping.
    pub(super) fn chosen_import_options(&mut self) -> ImportOptions {
        ImportOptions {
            format: None,
            csv_mapping: self.import.csv.chosen.take(),
        }
    }
}

/// Writes `mapping` as TOML at `path` (never over another file); says
/// what happened.
fn save_mapping(mapping: &Mapping, path: &Path) -> String {
    if path.as_os_str().is_empty() {
        return "say where to save the mapping".to_owned();
    }
    if path.exists() {
        return format!(
            "will not overwrite an existing file; choose a new name: {}",
            path.display()
        );
    }
    let text = match mapping.to_toml() {
        Ok(text) => text,
        Err(message) => return format!("could not write the mapping: {message}"),
    };
    match std::fs::write(path, text) {
        Ok(()) => format!(
            "Saved the mapping: {} (linkscope import --mapping {})",
            path.display(),
            path.display()
        ),
        Err(error) => format!("could not write the mapping: {error}: {}", path.display()),
    }
}
