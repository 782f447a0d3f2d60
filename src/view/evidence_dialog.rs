//! The small windows of File ▸ Export Evidence Table…: which relations to
//! export when something is selected, and the running export's progress
//! with Cancel. Plain data in, commands out.

use crate::command::{Command, EvidenceScope};

/// What is selected, for the scope question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectedForExport {
    Relation {
        scope: EvidenceScope,
        text: String,
    },
    Entity {
        scope: EvidenceScope,
        name: String,
        relations: usize,
    },
}

/// "Which relations?": the selection's, or all. Returns the commands and
/// whether the window stays open.
pub fn evidence_scope_ui(
    ctx: &egui::Context,
    selected: &SelectedForExport,
    all_relations: usize,
) -> (Vec<Command>, bool) {
    let mut commands = Vec::new();
    let mut keep_open = true;
    super::fit::fit_window(
        egui::Window::new("Export the evidence table")
            .collapsible(false)
            .resizable(false),
        ctx,
    )
    .show(ctx, |ui| {
        ui.label("Which relations?");
        let (scope, text) = match selected {
            SelectedForExport::Relation { scope, text } => {
                (*scope, format!("The selected relation: {text}"))
            }
            SelectedForExport::Entity {
                scope,
                name,
                relations,
            } => (
                *scope,
                format!(
                    "The relations of {name} ({})",
                    crate::words::count_text(*relations, "relation", "relations")
                ),
            ),
        };
        if ui.button(text).clicked() {
            commands.push(Command::ChooseEvidencePath(scope));
            keep_open = false;
        }
        let all = format!(
            "All relations ({})",
            crate::words::count_text(all_relations, "relation", "relations")
        );
        if ui.button(all).clicked() {
            commands.push(Command::ChooseEvidencePath(EvidenceScope::All));
            keep_open = false;
        }
        if ui.button("Cancel").clicked() {
            keep_open = false;
        }
    });
    (commands, keep_open)
}

/// The running export: its file, a progress bar and Cancel.
pub fn evidence_progress_ui(ctx: &egui::Context, file_name: &str, fraction: f32) -> Vec<Command> {
    let cancelled = progress_window(
        ctx,
        "Exporting the evidence table",
        &format!("Writing {file_name}"),
        fraction,
    );
    if cancelled {
        vec![Command::CancelEvidenceExport]
    } else {
        Vec::new()
    }
}

/// A window for work that runs on its own thread: what it does, a
/// progress bar and Cancel; true when Cancel was clicked.
pub fn progress_window(ctx: &egui::Context, title: &str, doing: &str, fraction: f32) -> bool {
    let mut cancelled = false;
    super::fit::fit_window(
        egui::Window::new(title).collapsible(false).resizable(false),
        ctx,
    )
    .show(ctx, |ui| {
        ui.label(doing);
        ui.horizontal(|ui| {
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(220.0)
                    .show_percentage(),
            );
            cancelled = ui.button("Cancel").clicked();
        });
    });
    cancelled
}
