//! File ▸ Import… (and opening or dropping a file that is not a graph
//! file): the offer, the import job, and opening what it wrote. File ▸
//! Export Graph…: the choices, the job, and the note when it is written.

use std::path::{Path, PathBuf};

use super::LinkscopeApp;
use super::input::native_dialog_possible;
use crate::command::Command;
use crate::export::graph_formats::{GraphExportOptions, GraphFormat, ViewLook};
use crate::import::{ImportError, sniff_path};
use crate::jobs::{GraphExportJob, ImportJob};
use crate::view::import_dialog::{
    GraphExportChoices, ImportOffer, graph_export_ui, graph_extension, import_offer_ui,
    import_progress_ui,
};
use crate::view::notices::NoticeTopic;

/// The import's and the graph export's windows and jobs (transient).
#[derive(Default)]
pub(super) struct ImportSession {
    pub(super) offer: Option<ImportOffer>,
    job: Option<ImportJob>,
    export_choices: Option<GraphExportChoices>,
    export_job: Option<GraphExportJob>,
    pub(super) csv: super::import_csv::CsvReads,
}

/// A name beside `input` for the graph file an import writes: its stem
/// with `.sqlite`, numbered when taken.
pub fn suggested_output(input: &Path) -> PathBuf {
    let stem = input.file_stem().map_or_else(
        || "imported".into(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let folder = input.parent().unwrap_or_else(|| Path::new("."));
    let mut candidate = folder.join(format!("{stem}.sqlite"));
    let mut number = 2;
    while candidate.exists() {
        candidate = folder.join(format!("{stem}-{number}.sqlite"));
        number += 1;
    }
    candidate
}

impl LinkscopeApp {
    /// True while an import runs.
    pub fn is_importing(&self) -> bool {
        self.import.job.is_some()
    }

    /// The offer to import, when one is shown (for tests).
    pub fn import_offer(&self) -> Option<&ImportOffer> {
        self.import.offer.as_ref()
    }

    pub(super) fn run_import_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::ImportDialog => self.pick_import_files(ctx),
            Command::OfferImport(inputs) => self.offer_import(ctx, inputs),
            Command::StartImport { inputs, output } => self.start_import(ctx, inputs, output),
            Command::CsvMapping(asked) => self.run_csv_mapping_command(ctx, asked),
            Command::CancelImport => {
                if let Some(job) = &self.import.job {
                    job.cancel();
                }
            }
            Command::ExportGraphDialog => self.open_graph_export(),
            Command::ExportGraphTo {
                path,
                format,
                options,
                shown_only,
            } => self.start_graph_export(ctx, path, format, options, shown_only),
            Command::CancelGraphExport => {
                if let Some(job) = &self.import.export_job {
                    job.cancel();
                }
            }
            _ => {}
        }
    }

    /// Opens `path`, or offers to import it when it is another tool's file.
    pub(super) fn open_or_offer_import(
        &mut self,
        ctx: &egui::Context,
        path: &Path,
        is_sample: bool,
    ) {
        if !is_sample && sniff_path(path).is_some() {
            self.offer_import(ctx, vec![path.to_path_buf()]);
        } else if !is_sample && self.offer_exploring(path) {
            // Loads, or explores, once the user has said which.
        } else {
            self.start_loading(ctx, path, is_sample);
        }
    }

    fn pick_import_files(&mut self, ctx: &egui::Context) {
        if !(self.options.native_dialogs && native_dialog_possible()) {
            self.show_warning(
                "no file dialog is available: run `linkscope import FILE OUT.sqlite`, or drop the file on the window".to_owned(),
            );
            return;
        }
        let picked = rfd::FileDialog::new()
            .set_title("Import a graph (CSV: the nodes file and the edges file)")
            .add_filter(
                "Graphs",
                &[
                    "gexf", "graphml", "xml", "csv", "tsv", "json", "jsonl", "ftm",
                ],
            )
            .add_filter("All files", &["*"])
            .pick_files();
        if let Some(mut files) = picked {
            // Nodes before edges, whatever order the dialog gave.
            files.sort_by_key(|path| {
                path.file_name()
                    .is_some_and(|name| name.to_string_lossy().to_lowercase().contains("edge"))
            });
            self.offer_import(ctx, files);
        }
    }

    fn offer_import(&mut self, ctx: &egui::Context, inputs: Vec<PathBuf>) {
        let Some(first) = inputs.first() else {
            return;
        };
        let Some(format) = sniff_path(first) else {
            self.show_error_about(
                Some(NoticeTopic::Open),
                format!(
                    "{}: not a graph file, and not a format Linkscope imports (GEXF, GraphML, CSV, FollowTheMoney, STIX 2.1)",
                    first.display()
                ),
            );
            return;
        };
        let csv = (format == crate::import::Format::Csv).then(|| self.csv_form(ctx, &inputs));
        self.import.offer = Some(ImportOffer {
            output: suggested_output(first).display().to_string(),
            format: format.name(),
            inputs,
            csv,
        });
    }

    fn start_import(&mut self, ctx: &egui::Context, inputs: Vec<PathBuf>, output: PathBuf) {
        if self.import.job.is_some() {
            self.show_error("an import is already running".to_owned());
            return;
        }
        let shown = output.display().to_string();
        let options = self.chosen_import_options();
        match ImportJob::start(inputs, output, options, ctx.clone()) {
            Ok(job) => self.import.job = Some(job),
            Err(error) => self.show_error(format!("could not start the import: {error}: {shown}")),
        }
    }

    /// The import's windows, and what happens when it ends.
    pub(super) fn import_ui(&mut self, ctx: &egui::Context) {
        self.poll_csv_reads(ctx);
        if let Some(offer) = &mut self.import.offer {
            let (commands, keep_open) = import_offer_ui(ctx, offer);
            let importing = commands
                .iter()
                .any(|command| matches!(command, Command::StartImport { .. }));
            if importing {
                // The import reads the columns as the CSV part says.
                self.import.csv.chosen = offer
                    .csv
                    .as_ref()
                    .and_then(|form| form.draft.as_ref())
                    .and_then(|draft| draft.mapping().to_toml().ok());
            }
            self.pending.extend(commands);
            if !keep_open {
                self.import.offer = None;
            }
        }
        self.graph_export_ui(ctx);
        let Some(job) = &self.import.job else {
            return;
        };
        let Some(outcome) = job.poll() else {
            let name = job.inputs.first().map_or_else(String::new, |path| {
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |name| name.to_string_lossy().into_owned(),
                )
            });
            let commands = import_progress_ui(ctx, &name, job.progress.fraction());
            self.pending.extend(commands);
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
            return;
        };
        let output = job.output.clone();
        self.import.job = None;
        match outcome {
            Ok(summary) => {
                self.show_success(
                    Some(NoticeTopic::Open),
                    format!("{}: {summary}", output.display()),
                );
                self.pending.push(Command::OpenPath(output));
            }
            Err(ImportError::Cancelled) => self.show_warning(format!(
                "the import was cancelled; nothing was written: {}",
                output.display()
            )),
            Err(error) => self.show_error_about(
                Some(NoticeTopic::Open),
                format!("could not import: {error}"),
            ),
        }
    }

    fn open_graph_export(&mut self) {
        let Some(document) = &self.document else {
            return;
        };
        let folder = document.path.parent().unwrap_or_else(|| Path::new("."));
        let stem = document
            .path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy();
        self.import.export_choices = Some(GraphExportChoices {
            format: GraphFormat::Gexf,
            shown_only: false,
            options: GraphExportOptions::default(),
            path: folder
                .join(format!("{stem}.{}", graph_extension(GraphFormat::Gexf)))
                .display()
                .to_string(),
        });
    }

    /// What the view adds to an export: positions, colours and sizes as
    /// drawn, and what is shown.
    fn view_look(&self, shown_only: bool) -> Option<ViewLook> {
        let document = self.document.as_ref()?;
        let graph = &document.graph;
        let scene = &document.scene;
        let mut look = crate::export::headless::scene_look(
            graph,
            scene,
            |node| self.positions.points.get(node as usize).copied(),
            |_, style| style.radius,
        );
        if shown_only {
            crate::export::headless::add_shown(graph, scene, &mut look);
        }
        Some(look)
    }

    fn start_graph_export(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        format: GraphFormat,
        options: GraphExportOptions,
        shown_only: bool,
    ) {
        if self.import.export_job.is_some() {
            return;
        }
        let (Some(document), Some(look)) = (&self.document, self.view_look(shown_only)) else {
            return;
        };
        let source = document.read_path.clone();
        let shown = path.display().to_string();
        match GraphExportJob::start(source, path, format, options, look, ctx.clone()) {
            Ok(job) => self.import.export_job = Some(job),
            Err(error) => self.show_error(format!("could not start the export: {error}: {shown}")),
        }
    }

    fn graph_export_ui(&mut self, ctx: &egui::Context) {
        let exporting = self.import.export_job.as_ref().map(|job| {
            job.target.file_name().map_or_else(
                || job.target.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            )
        });
        if let Some(choices) = &mut self.import.export_choices {
            let (commands, keep_open) = graph_export_ui(ctx, choices, exporting.as_deref());
            self.pending.extend(commands);
            if !keep_open {
                self.import.export_choices = None;
            }
        }
        let Some(job) = &self.import.export_job else {
            return;
        };
        let Some(outcome) = job.poll() else {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
            return;
        };
        let cancelled = job.is_cancelled();
        let format = job.format;
        self.import.export_job = None;
        match outcome {
            Ok(summary) => {
                let files: Vec<String> = summary
                    .files
                    .iter()
                    .map(|path| path.display().to_string())
                    .collect();
                self.import.export_choices = None;
                self.show_success(
                    Some(NoticeTopic::Export),
                    format!(
                        "wrote the graph as {} ({} entities, {} relations): {}",
                        format.name(),
                        summary.entities,
                        summary.relations,
                        files.join(" and ")
                    ),
                );
                for warning in summary.warnings {
                    self.show_warning(warning);
                }
            }
            Err(_) if cancelled => self.show_warning("the graph export was cancelled".to_owned()),
            Err(error) => self.show_error_about(
                Some(NoticeTopic::Export),
                format!("could not export the graph: {error}"),
            ),
        }
    }
}
