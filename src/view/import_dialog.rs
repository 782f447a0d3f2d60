//! The windows of File ▸ Import… and File ▸ Export Graph…: the offer to
//! import a file that is not a graph file, the running import's progress
//! with Cancel, and the export's format and options. Plain data in,
//! commands out; nothing here knows how a format is read or written.

use std::path::PathBuf;

use crate::command::Command;
use crate::export::graph_formats::{EvidenceAs, GraphExportOptions, GraphFormat};

/// "Import this file into a new graph file?": what will be read, as what,
/// and where the new file goes (editable).
#[derive(Clone, Debug, PartialEq)]
pub struct ImportOffer {
    pub inputs: Vec<PathBuf>,
    /// The format's name ("GEXF"), as recognised.
    pub format: &'static str,
    pub output: String,
    /// CSV's columns and their roles; none for other formats.
    pub csv: Option<super::csv_mapping::CsvMappingForm>,
}

/// Shows the offer; returns the commands and whether it stays open.
pub fn import_offer_ui(ctx: &egui::Context, offer: &mut ImportOffer) -> (Vec<Command>, bool) {
    let mut commands = Vec::new();
    let mut keep_open = true;
    // The CSV part's table wants room; the window can be widened further.
    let window = if offer.csv.is_some() {
        egui::Window::new("Import")
            .collapsible(false)
            .resizable(true)
            .default_width(820.0)
    } else {
        egui::Window::new("Import")
            .collapsible(false)
            .resizable(false)
    };
    super::fit::fit_window(window, ctx)
    .show(ctx, |ui| {
        let names: Vec<String> = offer
            .inputs
            .iter()
            .map(|path| {
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |name| name.to_string_lossy().into_owned(),
                )
            })
            .collect();
        ui.label(format!(
            "{} is {} {} file, not a graph file.",
            names.join(" and "),
            if offer.format.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            },
            offer.format
        ));
        ui.label("Linkscope imports it into a new graph file and opens that; the original is not changed.");
        ui.horizontal(|ui| {
            let label = ui.label("New graph file:");
            ui.add(egui::TextEdit::singleline(&mut offer.output).desired_width(360.0))
                .labelled_by(label.id);
        });
        let mut can_import = true;
        if let Some(form) = &mut offer.csv {
            let (asked, ready) = super::csv_mapping::csv_mapping_ui(ui, form);
            commands.extend(asked.into_iter().map(Command::CsvMapping));
            can_import = ready;
        }
        ui.horizontal(|ui| {
            let import = ui.add_enabled(can_import, egui::Button::new("Import"));
            if import.clicked() && !offer.output.trim().is_empty() {
                commands.push(Command::StartImport {
                    inputs: offer.inputs.clone(),
                    output: PathBuf::from(offer.output.trim()),
                });
                keep_open = false;
            }
            if ui.button("Cancel").clicked() {
                keep_open = false;
            }
        });
    });
    (commands, keep_open)
}

/// The running import: its progress and Cancel.
pub fn import_progress_ui(ctx: &egui::Context, file_name: &str, fraction: f32) -> Vec<Command> {
    let cancelled = super::evidence_dialog::progress_window(
        ctx,
        "Importing",
        &format!("Reading {file_name}"),
        fraction,
    );
    if cancelled {
        vec![Command::CancelImport]
    } else {
        Vec::new()
    }
}

/// File ▸ Export Graph…'s choices.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphExportChoices {
    pub format: GraphFormat,
    pub shown_only: bool,
    pub options: GraphExportOptions,
    pub path: String,
}

/// The extension a format's file gets.
pub fn graph_extension(format: GraphFormat) -> &'static str {
    match format {
        GraphFormat::Gexf => "gexf",
        GraphFormat::GraphMl => "graphml",
        GraphFormat::Csv => "csv",
    }
}

/// Shows the export's choices; returns the commands and whether it stays open.
pub fn graph_export_ui(
    ctx: &egui::Context,
    choices: &mut GraphExportChoices,
    exporting: Option<&str>,
) -> (Vec<Command>, bool) {
    let mut commands = Vec::new();
    let mut keep_open = true;
    super::fit::fit_window(
        egui::Window::new("Export Graph")
            .collapsible(false)
            .resizable(false),
        ctx,
    )
    .show(ctx, |ui| {
        let before = choices.format;
        ui.horizontal(|ui| {
            ui.label("Format:");
            ui.radio_value(
                &mut choices.format,
                GraphFormat::Gexf,
                "GEXF (Gephi, networkx)",
            );
            ui.radio_value(
                &mut choices.format,
                GraphFormat::GraphMl,
                "GraphML (yEd, Cytoscape, igraph)",
            );
            ui.radio_value(
                &mut choices.format,
                GraphFormat::Csv,
                "CSV (Gephi's columns)",
            );
        });
        if choices.format != before {
            // The file's name follows the format.
            let path = PathBuf::from(&choices.path);
            choices.path = path
                .with_extension(graph_extension(choices.format))
                .display()
                .to_string();
        }
        match choices.format {
            GraphFormat::Gexf => {
                ui.checkbox(
                    &mut choices.options.gexf_draft,
                    "GEXF 1.2draft, for older readers",
                );
            }
            GraphFormat::GraphMl => {
                ui.checkbox(
                    &mut choices.options.yed,
                    "yEd graphics (names, colours and positions show in yEd)",
                );
            }
            GraphFormat::Csv => {
                ui.label("Writes NAME.nodes.csv and NAME.edges.csv.");
            }
        }
        let mut as_nodes = choices.options.evidence == EvidenceAs::Nodes;
        ui.checkbox(
            &mut as_nodes,
            "Documents and excerpts as nodes (else as attributes of each relation)",
        );
        choices.options.evidence = if as_nodes {
            EvidenceAs::Nodes
        } else {
            EvidenceAs::Attributes
        };
        ui.checkbox(
            &mut choices.shown_only,
            "Only what is shown (filters, focus and hidden items applied)",
        );
        ui.horizontal(|ui| {
            let label = ui.label("File:");
            ui.add(egui::TextEdit::singleline(&mut choices.path).desired_width(360.0))
                .labelled_by(label.id);
        });
        if let Some(name) = exporting {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Writing {name}…"));
                if ui.button("Cancel").clicked() {
                    commands.push(Command::CancelGraphExport);
                }
            });
        } else {
            ui.horizontal(|ui| {
                if ui.button("Export").clicked() && !choices.path.trim().is_empty() {
                    commands.push(Command::ExportGraphTo {
                        path: PathBuf::from(choices.path.trim()),
                        format: choices.format,
                        options: choices.options,
                        shown_only: choices.shown_only,
                    });
                }
                if ui.button("Close").clicked() {
                    keep_open = false;
                }
            });
        }
    });
    (commands, keep_open)
}
