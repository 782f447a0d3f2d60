//! The side panel's details (an entity, or a relation with its evidence)
//! and the load report window. Each takes plain data and returns commands.
//! The menus and status bar are in `menus`, the small dialogs in `dialogs`.

use crate::model::anchor::AnchorState;
use crate::model::capture::Stance;
use egui::RichText;

use crate::command::{Command, LongText, UiCommand, is_openable_url};
use crate::export::evidence_table::citation;
use crate::model::{EdgeIx, Graph, NodeIx};
use crate::store::{DocumentInfo, EntityDetails, Field, LoadReport, RelationDetails};
use crate::words::count_text;

use super::text::{EXCERPT_PREVIEW_CHARS, heading_ui, key_label, short_name, shortened};
use std::borrow::Cow;

pub use super::dialogs::{PathPrompt, PathPurpose, path_prompt_ui, unsaved_changes_ui};
pub use super::menus::{
    LayoutInfo, MenuBarState, cpu_drawing_ui, menu_bar_ui, software_rendering_ui, status_bar_ui,
};

/// The longest proposed passage shown whole; Open in source shows the rest.
const PROPOSAL_PREVIEW_CHARS: usize = 300;

/// Shown while the selection's details are read in the background.
pub fn loading_panel_ui(ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label("Loading…");
    });
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
        if ui.link(short_name(graph.node_name(source))).clicked() {
            commands.push(Command::SelectNode(source));
        }
        ui.strong(short_name(graph.edge_label(edge)));
        if ui.link(short_name(graph.node_name(target))).clicked() {
            commands.push(Command::SelectNode(target));
        }
    });
    egui::Grid::new("relation_fields")
        .num_columns(2)
        .show(ui, |ui| {
            field_row(ui, "Kind", &details.kind);
            field_row(ui, "From", &details.date_start);
            field_row(ui, "Until", &details.date_end);
            key_label(ui, "Relation id");
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
            ui.visuals().warn_fg_color,
            "Unsupported relation: it cites no excerpt, so nothing in the sources shows it.",
        );
        return commands;
    }
    let contradicting = details
        .excerpts
        .iter()
        .filter(|excerpt| excerpt.stance == Stance::Contradicts)
        .count();
    ui.label(count_text(
        details.excerpts.len() - contradicting,
        "supporting excerpt",
        "supporting excerpts",
    ));
    if contradicting > 0 {
        ui.colored_label(
            ui.visuals().error_fg_color,
            if contradicting == details.excerpts.len() {
                format!(
                    "Disputed: {} speaking against it, none for it",
                    count_text(contradicting, "excerpt", "excerpts")
                )
            } else {
                format!(
                    "{} against it",
                    count_text(contradicting, "excerpt", "excerpts")
                )
            },
        );
    }
    for excerpt in &details.excerpts {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            if excerpt.stance == Stance::Contradicts {
                ui.colored_label(ui.visuals().error_fg_color, "Contradicts the relation");
            }
            // The note that the text was cut comes first; a long excerpt
            // shows its beginning, ending in "…", and "Show all" the rest.
            if let Some(problem) = &excerpt.text.problem {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("Excerpt text: {problem}"),
                );
            }
            let text = excerpt.text.as_deref().unwrap_or("");
            let preview = shortened(text, EXCERPT_PREVIEW_CHARS);
            let previewed = matches!(preview, Cow::Owned(_));
            let ellipsis = if excerpt.text.is_cut() && !previewed {
                "…"
            } else {
                ""
            };
            ui.label(RichText::new(format!("“{preview}{ellipsis}”")).italics());
            if previewed
                && ui
                    .button("Show all")
                    .on_hover_text("Read the whole excerpt that was kept, in a viewer")
                    .clicked()
            {
                commands.push(Command::ShowLongText(LongText::Excerpt(excerpt.id)));
            }
            ui.add_space(4.0);
            egui::Grid::new(("excerpt", excerpt.id))
                .num_columns(2)
                .show(ui, |ui| {
                    key_label(ui, "Excerpt id");
                    ui.label(format!("#{}", excerpt.id));
                    ui.end_row();
                    field_row(ui, "Locator", &excerpt.locator);
                    grade_row(ui, "Credibility", &excerpt.credibility, credibility_meaning);
                    if let Some(captured_at) = &excerpt.captured_at {
                        key_label(ui, "Captured");
                        ui.label(captured_at);
                        ui.end_row();
                    }
                    if let Some(note) = excerpt.note.as_deref().filter(|note| !note.trim().is_empty()) {
                        key_label(ui, "Note");
                        ui.add(egui::Label::new(note).wrap());
                        ui.end_row();
                    }
                });
            document_ui(ui, &excerpt.document, &mut commands);
            anchor_state_ui(ui, excerpt.anchor_state);
            if let Some(fuzzy) = &excerpt.fuzzy {
                let proposed = shortened(&fuzzy.proposed.quote, PROPOSAL_PREVIEW_CHARS);
                ui.label(format!("Proposed passage: “{proposed}”"));
                if ui
                    .button("Confirm")
                    .on_hover_text(
                        "Anchor the excerpt on the proposed passage and quote its words; the quote as captured is kept in the excerpt's note",
                    )
                    .clicked()
                {
                    commands.push(Command::ConfirmAnchor(fuzzy.clone()));
                }
            }
            if let Some(span) = excerpt.source_span
                && ui
                    .button("Open in source")
                    .on_hover_text("Show the passage in its document, in the reader")
                    .clicked()
            {
                commands.push(Command::OpenInSource {
                    document: excerpt.document.id,
                    span: Some(span),
                });
            }
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

/// Where a captured excerpt's quote stands in its document's text now,
/// when it is not where it was captured.
fn anchor_state_ui(ui: &mut egui::Ui, state: Option<AnchorState>) {
    let text = match state {
        None | Some(AnchorState::Exact) => return,
        Some(AnchorState::Relocated) => {
            "Relocated: the document's text changed; the quote was found again by its context"
        }
        Some(AnchorState::Fuzzy) => {
            "Fuzzy: only a close match of the quote is in the document now; check it with Open in source, and Confirm it to quote the document's words"
        }
        Some(AnchorState::Orphaned) => {
            "Orphaned: the quote is no longer in its document; the excerpt and its relation are kept"
        }
    };
    ui.colored_label(ui.visuals().warn_fg_color, text);
}

fn document_ui(ui: &mut egui::Ui, document: &DocumentInfo, commands: &mut Vec<Command>) {
    ui.add_space(4.0);
    ui.strong(short_name(
        document.title.as_deref().unwrap_or("(untitled document)"),
    ));
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
                key_label(ui, "URL");
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
    metrics: Option<&crate::model::metrics::Metrics>,
    has_evidence: bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    heading_ui(ui, graph.node_name(node));
    ui.horizontal(|ui| {
        for (command, text) in [
            (UiCommand::TraceFromSelection, "Trace from here"),
            (UiCommand::TraceToSelection, "Trace to here"),
        ] {
            if ui
                .button(text)
                .on_hover_text(command.tooltip(ui.ctx()))
                .clicked()
            {
                commands.push(command.command());
            }
        }
    });
    commands.extend(super::visibility_ui::entity_actions_ui(ui, node));
    egui::Grid::new("entity_fields")
        .num_columns(2)
        .show(ui, |ui| {
            field_row(ui, "Kind", &details.kind);
            field_row(ui, "From", &details.date_start);
            field_row(ui, "Until", &details.date_end);
        });
    if let Some(description) = details.description.as_deref() {
        if let Some(problem) = &details.description.problem {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Description: {problem}"),
            );
        }
        let preview = shortened(description, EXCERPT_PREVIEW_CHARS);
        let previewed = matches!(preview, Cow::Owned(_));
        ui.label(preview);
        if previewed
            && ui
                .button("Show all")
                .on_hover_text("Read the whole description that was kept, in a viewer")
                .clicked()
        {
            commands.push(Command::ShowLongText(LongText::Description));
        }
    }
    properties_ui(
        ui,
        &details.properties,
        details.properties_problem.as_deref(),
    );
    // Above the relations, which can run to thousands of lines.
    super::metrics_ui::node_metrics_ui(ui, metrics, node);
    ui.separator();
    let edges = graph.incident_edges(node);
    ui.strong(format!("Relations ({})", edges.len()));
    for edge in edges.into_iter().take(2000) {
        let (source, target) = graph.edge_endpoints(edge);
        let text = format!(
            "{} {} {}",
            short_name(graph.node_name(source)),
            short_name(graph.edge_label(edge)),
            short_name(graph.node_name(target))
        );
        // In a file without evidence no relation is singled out.
        let text = if !has_evidence {
            RichText::new(text)
        } else if graph.edge_is_disputed(edge) {
            RichText::new(format!("{text} (disputed)")).color(ui.visuals().error_fg_color)
        } else if graph.edge_is_supported(edge) {
            RichText::new(text)
        } else {
            RichText::new(format!("{text} (unsupported)")).color(ui.visuals().warn_fg_color)
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
    key_label(ui, name);
    ui.horizontal_wrapped(|ui| {
        ui.label(field.as_deref().unwrap_or(""));
        if let Some(problem) = &field.problem {
            ui.colored_label(ui.visuals().warn_fg_color, format!("({problem})"));
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
    key_label(ui, name);
    match meaning(grade) {
        Some(meaning) => ui.label(format!("{grade} — {meaning}")),
        None => ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("{grade} (not an Admiralty grade)"),
        ),
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
                        key_label(ui, &short_name(key));
                        ui.label(shortened(value, EXCERPT_PREVIEW_CHARS));
                        ui.end_row();
                    }
                });
            });
    }
    if let Some(problem) = problem {
        ui.colored_label(ui.visuals().warn_fg_color, problem);
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
    super::fit::fit_window(
        egui::Window::new("Load report")
            .open(open)
            .default_width(560.0)
            .default_height(420.0),
        ctx,
    )
    .show(ctx, |ui| {
        ui.label(report.path.display().to_string());
        egui::Grid::new("report_counts")
            .num_columns(2)
            .show(ui, |ui| {
                for (name, count) in [
                    ("Entities", report.entities),
                    ("Relations", report.relations),
                    ("Unsupported relations", report.unsupported_relations),
                    ("Disputed relations", report.disputed_relations),
                    ("Documents", report.documents),
                    ("Excerpts", report.excerpts),
                    ("Relation–excerpt links", report.relation_excerpt_links),
                    ("Rows skipped", report.rows_skipped),
                    ("Values ignored", report.values_ignored),
                ] {
                    // A count no file without stances can have is left out.
                    if name == "Disputed relations" && count == 0 {
                        continue;
                    }
                    ui.label(name);
                    ui.label(count.to_string());
                    ui.end_row();
                }
            });
        for note in &report.notes {
            ui.colored_label(ui.visuals().warn_fg_color, note);
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
            if report.import_notes_total > 0 {
                ui.separator();
                ui.strong(format!(
                    "When it was imported, {} elements were skipped or changed:",
                    report.import_notes_total
                ));
                for note in &report.import_notes {
                    ui.label(note);
                }
                let unlisted = report.import_notes_total - report.import_notes.len() as u64;
                if unlisted > 0 {
                    ui.label(format!("… and {unlisted} more not listed"));
                }
            }
        });
    });
}
