//! The panels around the canvas: menu bar, status bar, evidence and details
//! side panel, the load report window and in-window messages. Each takes
//! plain data and returns commands.

use std::path::PathBuf;

use egui::{Color32, RichText};

use super::theme::{self, Theme};
use crate::command::{Command, EvidenceScope, GESTURES, UiCommand, UnsavedChoice, is_openable_url};
use crate::export::evidence_table::{EvidenceFormat, citation};
use crate::model::{EdgeIx, Graph, NodeIx};
use crate::store::{DocumentInfo, EntityDetails, Field, LoadReport, RelationDetails};
use crate::words::count_text;

/// What the layout is doing, for the menus and the status bar.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LayoutInfo {
    pub iteration: u64,
    pub running: bool,
    pub settled: bool,
    pub iterations_per_second: f32,
}

pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    recent_files: &[PathBuf],
    has_graph: bool,
    layout: LayoutInfo,
    theme: Theme,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let layout_running = layout.running && !layout.settled;
    let pause_text = if layout_running {
        "Pause Layout"
    } else {
        "Resume Layout"
    };
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            menu_item_ui(ui, UiCommand::Open, None, true, &mut commands);
            menu_item_ui(ui, UiCommand::OpenPath, None, true, &mut commands);
            ui.menu_button("Open Recent", |ui| {
                if recent_files.is_empty() {
                    ui.label("No recent files");
                }
                for path in recent_files {
                    if ui.button(path.display().to_string()).clicked() {
                        commands.push(Command::OpenPath(path.clone()));
                    }
                }
            });
            menu_item_ui(ui, UiCommand::OpenSample, None, true, &mut commands);
            ui.separator();
            menu_item_ui(ui, UiCommand::Save, None, has_graph, &mut commands);
            menu_item_ui(ui, UiCommand::SaveAs, None, has_graph, &mut commands);
            menu_item_ui(ui, UiCommand::Export, None, has_graph, &mut commands);
            menu_item_ui(
                ui,
                UiCommand::ExportEvidence,
                None,
                has_graph,
                &mut commands,
            );
            ui.separator();
            menu_item_ui(ui, UiCommand::ShowReport, None, has_graph, &mut commands);
            ui.separator();
            menu_item_ui(ui, UiCommand::Quit, None, true, &mut commands);
        });
        ui.menu_button("View", |ui| {
            menu_item_ui(ui, UiCommand::FitView, None, has_graph, &mut commands);
            menu_item_ui(
                ui,
                UiCommand::ToggleLayout,
                Some(pause_text),
                has_graph,
                &mut commands,
            );
            menu_item_ui(ui, UiCommand::RerunLayout, None, has_graph, &mut commands);
            menu_item_ui(
                ui,
                UiCommand::ClearSelection,
                None,
                has_graph,
                &mut commands,
            );
            ui.separator();
            let mut light = theme == Theme::Light;
            if ui
                .checkbox(&mut light, "Light Theme")
                .on_hover_text("White background and dark ink, for print; exports follow it")
                .changed()
            {
                commands.push(Command::SetTheme(if light {
                    Theme::Light
                } else {
                    Theme::Dark
                }));
            }
        });
        ui.menu_button("Help", |ui| {
            ui.strong("Keyboard and mouse");
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for command in UiCommand::ALL {
                    if let Some(keys) = command.shortcut_text(ui.ctx()) {
                        ui.monospace(keys);
                        ui.label(command.description());
                        ui.end_row();
                    }
                }
                for (gesture, action) in GESTURES {
                    ui.monospace(gesture);
                    ui.label(action);
                    ui.end_row();
                }
            });
        });
        ui.separator();
        if has_graph {
            let pause = if layout_running { "Pause" } else { "Resume" };
            for (command, text) in [
                (UiCommand::ToggleLayout, pause),
                (UiCommand::RerunLayout, "Re-run"),
                (UiCommand::FitView, "Fit"),
            ] {
                let tooltip = command.tooltip(ui.ctx());
                if ui.button(text).on_hover_text(tooltip).clicked() {
                    commands.push(command.command());
                }
            }
        }
    });
    commands
}

/// One menu entry with its shortcut as this platform writes it.
fn menu_item_ui(
    ui: &mut egui::Ui,
    command: UiCommand,
    text: Option<&str>,
    enabled: bool,
    commands: &mut Vec<Command>,
) {
    let mut button = egui::Button::new(text.unwrap_or(command.text()));
    if let Some(keys) = command.shortcut_text(ui.ctx()) {
        button = button.shortcut_text(keys);
    }
    if ui.add_enabled(enabled, button).clicked() {
        commands.push(command.command());
    }
}

/// Loading progress with a cancel button, or the layout's state.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    loading: Option<(&str, f32, String)>,
    report: Option<&LoadReport>,
    layout: Option<LayoutInfo>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        if let Some((stage, fraction, name)) = loading {
            ui.spinner();
            ui.label(format!("Opening {name}: {stage}"));
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(220.0)
                    .show_percentage(),
            );
            if ui.button("Cancel").clicked() {
                commands.push(Command::CancelLoad);
            }
            ui.separator();
        }
        if let Some(report) = report {
            let has_problems = report.has_problems();
            let text = RichText::new(report.summary());
            let text = if has_problems {
                text.color(theme::WARNING)
            } else {
                text
            };
            if ui
                .link(text)
                .on_hover_text("Show the load report")
                .clicked()
            {
                commands.push(Command::ShowReport);
            }
        }
        if let Some(layout) = layout {
            ui.separator();
            let state = if layout.settled {
                format!("Layout settled after {} iterations", layout.iteration)
            } else if layout.running {
                format!(
                    "Layout running: iteration {} · {:.0} it/s",
                    layout.iteration, layout.iterations_per_second
                )
            } else {
                format!("Layout paused at iteration {}", layout.iteration)
            };
            ui.label(state);
        }
    });
    commands
}

/// Errors and notices shown inside the window, each dismissible.
pub fn messages_ui(ui: &mut egui::Ui, messages: &[(String, bool)]) -> Vec<Command> {
    let mut commands = Vec::new();
    for (index, (text, is_error)) in messages.iter().enumerate() {
        let color = if *is_error {
            theme::ERROR
        } else {
            theme::WARNING
        };
        egui::Frame::new()
            .fill(Color32::from_rgb(48, 30, 32))
            .inner_margin(6.0)
            .corner_radius(4.0)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(color, if *is_error { "Error:" } else { "Note:" });
                    ui.label(text);
                    if ui.small_button("Dismiss").clicked() {
                        commands.push(Command::DismissMessage(index));
                    }
                });
            });
    }
    commands
}

/// The evidence for one relation: what it says, and every excerpt that
/// supports it, with the source's metadata and grades.
pub fn evidence_panel_ui(
    ui: &mut egui::Ui,
    graph: &Graph,
    edge: EdgeIx,
    details: &RelationDetails,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let (source, target) = graph.edge_endpoints(edge);
    ui.heading("Evidence");
    ui.horizontal_wrapped(|ui| {
        if ui.link(graph.node_name(source)).clicked() {
            commands.push(Command::SelectNode(source));
        }
        ui.strong(graph.edge_label(edge));
        if ui.link(graph.node_name(target)).clicked() {
            commands.push(Command::SelectNode(target));
        }
    });
    egui::Grid::new("relation_fields")
        .num_columns(2)
        .show(ui, |ui| {
            field_row(ui, "Kind", &details.kind);
            field_row(ui, "From", &details.date_start);
            field_row(ui, "Until", &details.date_end);
            ui.label("Relation id");
            ui.label(details.id.to_string());
            ui.end_row();
        });
    properties_ui(
        ui,
        &details.properties,
        details.properties_problem.as_deref(),
    );
    ui.separator();
    if details.excerpts.is_empty() {
        ui.colored_label(
            theme::WARNING,
            "Unsupported relation: it cites no excerpt, so nothing in the sources shows it.",
        );
        return commands;
    }
    ui.label(count_text(
        details.excerpts.len(),
        "supporting excerpt",
        "supporting excerpts",
    ));
    for excerpt in &details.excerpts {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            // A cut excerpt ends in "…", and its note gives the full size.
            let ellipsis = if excerpt.text.is_cut() { "…" } else { "" };
            ui.label(
                RichText::new(format!(
                    "“{}{ellipsis}”",
                    excerpt.text.as_deref().unwrap_or("")
                ))
                .italics(),
            );
            if let Some(problem) = &excerpt.text.problem {
                ui.colored_label(theme::WARNING, format!("Excerpt text: {problem}"));
            }
            ui.add_space(4.0);
            egui::Grid::new(("excerpt", excerpt.id))
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label("Excerpt id");
                    ui.label(format!("#{}", excerpt.id));
                    ui.end_row();
                    field_row(ui, "Locator", &excerpt.locator);
                    grade_row(ui, "Credibility", &excerpt.credibility, credibility_meaning);
                });
            document_ui(ui, &excerpt.document, &mut commands);
            if ui
                .button("Copy as citation")
                .on_hover_text("Copy the excerpt with its document's reference, for a report")
                .clicked()
            {
                commands.push(Command::CopyText(citation(excerpt)));
            }
        });
    }
    commands
}

fn document_ui(ui: &mut egui::Ui, document: &DocumentInfo, commands: &mut Vec<Command>) {
    ui.add_space(4.0);
    ui.strong(document.title.as_deref().unwrap_or("(untitled document)"));
    egui::Grid::new(("document", document.id))
        .num_columns(2)
        .show(ui, |ui| {
            field_row(ui, "Author", &document.author);
            field_row(ui, "Publisher", &document.publisher);
            field_row(ui, "Published", &document.published);
            field_row(ui, "Language", &document.language);
            grade_row(
                ui,
                "Reliability",
                &document.reliability,
                reliability_meaning,
            );
            if let Some(url) = document.url.as_deref() {
                ui.label("URL");
                if is_openable_url(url) {
                    if ui.link(url).on_hover_text("Open in the browser").clicked() {
                        commands.push(Command::OpenUrl(url.to_owned()));
                    }
                } else {
                    ui.label(url)
                        .on_hover_text("Not a link: only http and https addresses are opened");
                }
                ui.end_row();
            }
        });
}

/// An entity's details and its relations, each of which opens its evidence.
pub fn node_panel_ui(
    ui: &mut egui::Ui,
    graph: &Graph,
    node: NodeIx,
    details: &EntityDetails,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading(graph.node_name(node));
    egui::Grid::new("entity_fields")
        .num_columns(2)
        .show(ui, |ui| {
            field_row(ui, "Kind", &details.kind);
            field_row(ui, "From", &details.date_start);
            field_row(ui, "Until", &details.date_end);
        });
    if let Some(description) = details.description.as_deref() {
        ui.label(description);
    }
    properties_ui(
        ui,
        &details.properties,
        details.properties_problem.as_deref(),
    );
    ui.separator();
    let edges = graph.incident_edges(node);
    ui.strong(format!("Relations ({})", edges.len()));
    for edge in edges.into_iter().take(2000) {
        let (source, target) = graph.edge_endpoints(edge);
        let text = format!(
            "{} {} {}",
            graph.node_name(source),
            graph.edge_label(edge),
            graph.node_name(target)
        );
        let text = if graph.edge_is_supported(edge) {
            RichText::new(text)
        } else {
            RichText::new(format!("{text} (unsupported)")).color(theme::WARNING)
        };
        if ui.link(text).clicked() {
            commands.push(Command::SelectEdge(edge));
        }
    }
    commands
}

fn field_row(ui: &mut egui::Ui, name: &str, field: &Field) {
    if field.text.is_none() && field.problem.is_none() {
        return;
    }
    ui.label(RichText::new(name).weak());
    ui.horizontal_wrapped(|ui| {
        ui.label(field.as_deref().unwrap_or(""));
        if let Some(problem) = &field.problem {
            ui.colored_label(theme::WARNING, format!("({problem})"));
        }
    });
    ui.end_row();
}

fn grade_row(
    ui: &mut egui::Ui,
    name: &str,
    field: &Field,
    meaning: fn(&str) -> Option<&'static str>,
) {
    let Some(grade) = field.as_deref() else {
        return field_row(ui, name, field);
    };
    ui.label(RichText::new(name).weak());
    match meaning(grade) {
        Some(meaning) => ui.label(format!("{grade} — {meaning}")),
        None => ui.colored_label(theme::WARNING, format!("{grade} (not an Admiralty grade)")),
    };
    ui.end_row();
}

fn properties_ui(ui: &mut egui::Ui, properties: &[(String, String)], problem: Option<&str>) {
    if !properties.is_empty() {
        egui::CollapsingHeader::new("Properties")
            .default_open(true)
            .show(ui, |ui| {
                egui::Grid::new("properties").num_columns(2).show(ui, |ui| {
                    for (key, value) in properties {
                        ui.label(RichText::new(key).weak());
                        ui.label(value);
                        ui.end_row();
                    }
                });
            });
    }
    if let Some(problem) = problem {
        ui.colored_label(theme::WARNING, problem);
    }
}

/// Admiralty code, source reliability.
fn reliability_meaning(grade: &str) -> Option<&'static str> {
    Some(match grade {
        "A" => "completely reliable",
        "B" => "usually reliable",
        "C" => "fairly reliable",
        "D" => "not usually reliable",
        "E" => "unreliable",
        "F" => "reliability cannot be judged",
        _ => return None,
    })
}

/// Admiralty code, information credibility.
fn credibility_meaning(grade: &str) -> Option<&'static str> {
    Some(match grade {
        "1" => "confirmed by other sources",
        "2" => "probably true",
        "3" => "possibly true",
        "4" => "doubtful",
        "5" => "improbable",
        "6" => "truth cannot be judged",
        _ => return None,
    })
}

/// The full load report in its own window.
pub fn report_window_ui(ctx: &egui::Context, report: &LoadReport, open: &mut bool) {
    egui::Window::new("Load report")
        .open(open)
        .default_width(560.0)
        .default_height(420.0)
        .show(ctx, |ui| {
            ui.label(report.path.display().to_string());
            egui::Grid::new("report_counts")
                .num_columns(2)
                .show(ui, |ui| {
                    for (name, count) in [
                        ("Entities", report.entities),
                        ("Relations", report.relations),
                        ("Unsupported relations", report.unsupported_relations),
                        ("Documents", report.documents),
                        ("Excerpts", report.excerpts),
                        ("Relation–excerpt links", report.relation_excerpt_links),
                        ("Rows skipped", report.rows_skipped),
                        ("Values ignored", report.values_ignored),
                    ] {
                        ui.label(name);
                        ui.label(count.to_string());
                        ui.end_row();
                    }
                });
            for note in &report.notes {
                ui.colored_label(theme::WARNING, note);
            }
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                for problem in &report.problems {
                    ui.label(problem.to_string());
                }
                if report.problems_not_listed > 0 {
                    ui.label(format!(
                        "… and {} more problems not listed",
                        report.problems_not_listed
                    ));
                }
                if report.problems.is_empty() {
                    ui.label("Every row was read without a problem.");
                }
            });
        });
}

/// What a typed path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    Export,
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
        PathPurpose::ExportEvidence(_) => ("Export the evidence table (.csv or .md)", "Export"),
    };
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            if let Some(reason) = &prompt.reason {
                ui.colored_label(theme::WARNING, reason);
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
