//! Small windows that ask something: the typed path where no native dialog
//! exists, and "save your changes first?".

use std::path::PathBuf;

use crate::command::{Command, EvidenceScope, UnsavedChoice};
use crate::export::evidence_table::EvidenceFormat;

/// What a typed path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    Export,
    /// A source document to read beside the graph.
    AddSource,
    /// The evidence table of these relations.
    ExportEvidence(EvidenceScope),
}

/// The field where a path is typed, where no native dialog can be shown.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    pub purpose: PathPurpose,
    pub text: String,
    /// Why the field is shown (no dialog, a read-only file), if worth saying.
    pub reason: Option<String>,
}

impl PathPrompt {
    pub fn new(purpose: PathPurpose, reason: Option<String>) -> Self {
        Self {
            purpose,
            text: String::new(),
            reason,
        }
    }
}

/// The path field as a small window; returns the commands and whether it
/// stays open.
pub fn path_prompt_ui(ctx: &egui::Context, prompt: &mut PathPrompt) -> (Vec<Command>, bool) {
    let mut commands = Vec::new();
    let mut keep_open = true;
    let (title, action) = match prompt.purpose {
        PathPurpose::Open => ("Open a graph file", "Open"),
        PathPurpose::SaveAs => ("Save a copy of the graph file", "Save"),
        PathPurpose::Export => ("Export the picture", "Export"),
        PathPurpose::AddSource => ("Add a source (.txt, .html, .mhtml, .pdf)", "Add"),
        PathPurpose::ExportEvidence(_) => ("Export the evidence table (.csv or .md)", "Export"),
    };
    super::fit::fit_window(
        egui::Window::new(title).collapsible(false).resizable(false),
        ctx,
    )
    .show(ctx, |ui| {
        if let Some(reason) = &prompt.reason {
            ui.colored_label(ui.visuals().warn_fg_color, reason);
        }
        ui.horizontal(|ui| {
            let label = ui.label("Path:");
            let field = ui
                .add(egui::TextEdit::singleline(&mut prompt.text).desired_width(380.0))
                .labelled_by(label.id);
            if prompt.text.is_empty() && !field.has_focus() {
                field.request_focus();
            }
            let entered =
                field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
            if (ui.button(action).clicked() || entered) && !prompt.text.trim().is_empty() {
                let path = PathBuf::from(prompt.text.trim());
                commands.push(match prompt.purpose {
                    PathPurpose::Open => Command::OpenPath(path),
                    PathPurpose::SaveAs => Command::SaveAsPath(path),
                    PathPurpose::Export => Command::ExportTo(path),
                    PathPurpose::AddSource => Command::AddSourcePath(path),
                    PathPurpose::ExportEvidence(scope) => Command::ExportEvidenceTo {
                        scope,
                        format: EvidenceFormat::from_path(&path),
                        path,
                    },
                });
                keep_open = false;
            }
            if ui.button("Close").clicked() {
                keep_open = false;
            }
        });
    });
    (commands, keep_open)
}

/// "Save your changes first?", before quitting or opening another file.
pub fn unsaved_changes_ui(ctx: &egui::Context, file_name: &str) -> Option<UnsavedChoice> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
        ui.set_width(380.0);
        ui.heading("Unsaved changes");
        ui.label(format!(
            "The view of {file_name} has changes that are not saved: positions, pins or layout. Save them into the file first?"
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                choice = Some(UnsavedChoice::Save);
            }
            if ui.button("Don't Save").clicked() {
                choice = Some(UnsavedChoice::Discard);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(UnsavedChoice::Cancel);
            }
        });
    });
    choice
}
