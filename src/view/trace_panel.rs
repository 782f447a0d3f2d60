//! The Trace panel: the two ends, the options, the paths found, and the
//! evidence chain of the path shown, hop by hop with every excerpt, as an
//! analyst writes it into a report. Also the Trace menu. Plain data in,
//! commands out; the search and the reading run in the background.

use egui::RichText;

use crate::command::{Command, UiCommand};
use crate::export::path_report::{HopEvidence, chain_text};
use crate::model::grades::{Credibility, PREFER_EVIDENCE_HELP, Reliability};
use crate::model::trace::{AllPaths, Direction, MAX_PATH_HOPS, MAX_PATHS, TraceOptions};
use crate::model::{Graph, NodeIx};
use crate::store::{Excerpt, Field};
use crate::words::count_text;

/// How the next trace searches; kept while the file is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TraceSettings {
    pub options: TraceOptions,
    /// "All paths up to k": k.
    pub max_hops: usize,
}

impl Default for TraceSettings {
    fn default() -> Self {
        Self {
            options: TraceOptions::default(),
            max_hops: 3,
        }
    }
}

/// Where the search is.
#[derive(Debug, Default)]
pub enum TraceStatus {
    #[default]
    Idle,
    Searching,
    Done {
        found: AllPaths,
        /// True for "all paths up to k", false for the shortest path.
        all: bool,
        /// The settings it ran with, to word "no path".
        settings: TraceSettings,
        search_ms: f64,
    },
    Failed(String),
}

/// The evidence chain of the path shown.
#[derive(Debug, Default)]
pub enum ChainStatus {
    #[default]
    None,
    Loading,
    Ready(Vec<HopEvidence>),
    Failed(String),
}

/// Everything the panel shows.
pub struct TraceView<'a> {
    pub from: Option<NodeIx>,
    pub to: Option<NodeIx>,
    pub settings: TraceSettings,
    pub status: &'a TraceStatus,
    /// Which of the paths found is shown.
    pub shown: usize,
    pub chain: &'a ChainStatus,
}

/// Whether the Trace menu's entries can run now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TraceMenuState {
    pub node_selected: bool,
    pub ends_chosen: bool,
    pub active: bool,
}

/// View ▸ Trace, from the command registry.
pub fn trace_menu_ui(ui: &mut egui::Ui, state: TraceMenuState, commands: &mut Vec<Command>) {
    ui.menu_button("Trace", |ui| {
        for (command, enabled) in [
            (UiCommand::TraceFromSelection, state.node_selected),
            (UiCommand::TraceToSelection, state.node_selected),
            (UiCommand::FindPath, state.ends_chosen),
            (UiCommand::ListPaths, state.ends_chosen),
            (UiCommand::ClearTrace, state.active),
        ] {
            let button = egui::Button::new(command.text());
            if ui
                .add_enabled(enabled, button)
                .on_hover_text(command.tooltip(ui.ctx()))
                .clicked()
            {
                commands.push(command.command());
            }
        }
    });
}

pub fn trace_panel_ui(ui: &mut egui::Ui, graph: &Graph, view: &TraceView<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.heading("Trace");
        if ui
            .small_button("Close")
            .on_hover_text(UiCommand::ClearTrace.description())
            .clicked()
        {
            commands.push(Command::ClearTrace);
        }
    });
    egui::Grid::new("trace_ends").num_columns(2).show(ui, |ui| {
        for (name, end) in [("From", view.from), ("To", view.to)] {
            ui.label(RichText::new(name).weak());
            match end {
                Some(node) => {
                    if ui
                        .link(super::text::short_name(graph.node_name(node)))
                        .clicked()
                    {
                        commands.push(Command::SelectNode(node));
                    }
                }
                None => {
                    ui.label(RichText::new("select an entity, then Trace From or To").weak());
                }
            }
            ui.end_row();
        }
    });
    if (view.from.is_some() || view.to.is_some())
        && ui
            .small_button("Swap ends")
            .on_hover_text("Trace the other way")
            .clicked()
    {
        commands.push(Command::SwapTraceEnds);
    }
    settings_ui(ui, view.settings, &mut commands);
    let ready = view.from.is_some() && view.to.is_some();
    ui.horizontal_wrapped(|ui| {
        for command in [UiCommand::FindPath, UiCommand::ListPaths] {
            let text = if command == UiCommand::ListPaths {
                format!(
                    "List All Paths up to {}",
                    count_text(view.settings.max_hops, "hop", "hops")
                )
            } else {
                command.text().to_owned()
            };
            if ui
                .add_enabled(ready, egui::Button::new(text))
                .on_hover_text(command.tooltip(ui.ctx()))
                .clicked()
            {
                commands.push(command.command());
            }
        }
    });
    ui.separator();
    status_ui(ui, graph, view, &mut commands);
    commands
}

fn settings_ui(ui: &mut egui::Ui, settings: TraceSettings, commands: &mut Vec<Command>) {
    let mut changed = settings;
    ui.horizontal_wrapped(|ui| {
        ui.radio_value(
            &mut changed.options.direction,
            Direction::Follow,
            "Follow direction",
        )
        .on_hover_text("Walk each relation from its subject to its object only");
        ui.radio_value(
            &mut changed.options.direction,
            Direction::Ignore,
            "Ignore direction",
        )
        .on_hover_text("Walk relations either way");
    });
    ui.checkbox(
        &mut changed.options.prefer_evidence,
        "Prefer well-sourced edges",
    )
    .on_hover_text(PREFER_EVIDENCE_HELP);
    ui.add(
        egui::Slider::new(&mut changed.max_hops, 1..=MAX_PATH_HOPS)
            .text("hops at most, for all paths"),
    )
    .on_hover_text(format!(
        "List every path without repeated entities up to this many hops, shortest first (at most {MAX_PATHS})"
    ));
    if changed != settings {
        commands.push(Command::SetTraceSettings(changed));
    }
}

fn status_ui(ui: &mut egui::Ui, graph: &Graph, view: &TraceView<'_>, commands: &mut Vec<Command>) {
    let (found, all, settings, search_ms) = match view.status {
        TraceStatus::Idle => return,
        TraceStatus::Searching => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Searching…");
            });
            return;
        }
        TraceStatus::Failed(error) => {
            ui.colored_label(ui.visuals().error_fg_color, error);
            return;
        }
        TraceStatus::Done {
            found,
            all,
            settings,
            search_ms,
        } => (found, *all, *settings, *search_ms),
    };
    let Some(path) = found.paths.get(view.shown) else {
        let how = match settings.options.direction {
            Direction::Follow => "following relation direction; try Ignore direction",
            Direction::Ignore => "even ignoring direction",
        };
        let within = if all {
            format!(" within {}", count_text(settings.max_hops, "hop", "hops"))
        } else {
            String::new()
        };
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("No path{within}, {how}."),
        );
        return;
    };
    let kind = if settings.options.prefer_evidence {
        "Best-sourced path"
    } else {
        "Shortest path"
    };
    if all {
        let more = if found.truncated {
            format!(" (the first {}; there may be more)", found.paths.len())
        } else {
            String::new()
        };
        ui.label(format!(
            "{}{more} · {search_ms:.0} ms",
            count_text(found.paths.len(), "path", "paths")
        ));
        egui::ScrollArea::vertical()
            .id_salt("trace_paths")
            .max_height(160.0)
            .show(ui, |ui| {
                for (index, path) in found.paths.iter().enumerate() {
                    let names: Vec<_> = path
                        .nodes
                        .iter()
                        .map(|&n| super::text::short_name(graph.node_name(n)))
                        .collect();
                    let text = format!(
                        "{}. {} ({})",
                        index + 1,
                        names.join(" – "),
                        count_text(path.hops(), "hop", "hops")
                    );
                    if ui.selectable_label(index == view.shown, text).clicked() {
                        commands.push(Command::ShowTracePath(index));
                    }
                }
            });
    } else {
        ui.label(format!(
            "{kind}: {} · {search_ms:.0} ms",
            count_text(path.hops(), "hop", "hops")
        ));
    }
    ui.label(
        RichText::new(format!(
            "Support of the whole chain: {:.3} (the product of its relations' support)",
            path.support(graph)
        ))
        .weak(),
    );
    ui.separator();
    chain_ui(ui, view.chain, commands);
}

/// The evidence chain: each hop as its relation reads, each excerpt with
/// its document and grades (one that contradicts the relation marked so);
/// a hop opens its relation.
fn chain_ui(ui: &mut egui::Ui, chain: &ChainStatus, commands: &mut Vec<Command>) {
    let hops = match chain {
        ChainStatus::None => return,
        ChainStatus::Loading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Loading the evidence…");
            });
            return;
        }
        ChainStatus::Failed(error) => {
            ui.colored_label(ui.visuals().error_fg_color, error);
            return;
        }
        ChainStatus::Ready(hops) => hops,
    };
    ui.horizontal(|ui| {
        ui.strong("Evidence chain");
        if ui
            .small_button("Copy chain")
            .on_hover_text("Copy every hop with its excerpts as citations, for a report")
            .clicked()
        {
            commands.push(Command::CopyText(chain_text(hops)));
        }
    });
    for (number, hop) in hops.iter().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let text = format!("{}. {}", number + 1, hop.sentence());
            if ui
                .link(RichText::new(text).strong())
                .on_hover_text(format!(
                    "Open relation {} in the details panel",
                    hop.relation_id
                ))
                .clicked()
            {
                commands.push(Command::SelectEdge(hop.edge));
            }
            if hop.against_direction {
                ui.label(RichText::new("walked from object to subject").weak());
            }
            if hop.excerpts.is_empty() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "Unsupported: the relation cites no excerpt.",
                );
            } else if hop.is_disputed() {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    "Disputed: every excerpt it cites contradicts it.",
                );
            }
            for excerpt in &hop.excerpts {
                excerpt_ui(ui, excerpt);
            }
        });
    }
}

fn excerpt_ui(ui: &mut egui::Ui, excerpt: &Excerpt) {
    if excerpt.contradicts() {
        ui.colored_label(ui.visuals().error_fg_color, "Contradicts");
    }
    let ellipsis = if excerpt.text.is_cut() { "…" } else { "" };
    ui.label(
        RichText::new(format!(
            "“{}{ellipsis}”",
            excerpt.text.as_deref().unwrap_or("")
        ))
        .italics(),
    );
    let document = &excerpt.document;
    let mut source = vec![
        document
            .title
            .as_deref()
            .unwrap_or("(untitled document)")
            .to_owned(),
    ];
    source.extend(excerpt.locator.as_deref().map(str::to_owned));
    source.push(grade_text("reliability", &document.reliability, |text| {
        Reliability::from_text(text).map(Reliability::meaning)
    }));
    source.push(grade_text("credibility", &excerpt.credibility, |text| {
        Credibility::from_text(text).map(Credibility::meaning)
    }));
    ui.label(RichText::new(format!("— {}", source.join(" · "))).weak());
}

fn grade_text(name: &str, field: &Field, meaning: fn(&str) -> Option<&'static str>) -> String {
    match field.as_deref() {
        None => format!("{name} not graded"),
        Some(grade) => match meaning(grade) {
            Some(meaning) => format!("{name} {grade} ({meaning})"),
            None => format!("{name} {grade:?} (not an Admiralty grade)"),
        },
    }
}
