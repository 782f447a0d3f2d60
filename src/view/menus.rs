//! The bars around the canvas: the menu bar (from the command registry),
//! the status bar, and the in-window messages. Each takes plain data and
//! returns commands.

use std::path::PathBuf;

use egui::RichText;

use super::edit_menu::{EditMenuState, edit_menu_ui};
use super::gpu::RenderQuality;
use super::trace_panel::{TraceMenuState, trace_menu_ui};
use super::visibility_ui::{self, VisibilityMenu, VisibilityStatus};
use crate::command::{Command, UiCommand};
use crate::scene::theme::Theme;
use crate::store::{GraphCounts, LoadReport};

/// What the layout is doing, for the menus and the status bar.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LayoutInfo {
    pub iteration: u64,
    pub running: bool,
    pub settled: bool,
    pub iterations_per_second: f32,
    /// The step the layout's start is on while it is built (the graph is drawn meanwhile).
    pub starting: Option<crate::layout::StartState>,
}

/// What the menus show enabled, checked or listed.
pub struct MenuBarState<'a> {
    pub recent_files: &'a [PathBuf],
    pub has_graph: bool,
    pub layout: LayoutInfo,
    pub theme: Theme,
    /// Whether the evidence overlay is on; None: no evidence to overlay.
    pub evidence_overlay: Option<bool>,
    pub trace: TraceMenuState,
    pub visibility: &'a VisibilityMenu,
    pub edit: &'a EditMenuState,
    /// What nodes are coloured and sized by.
    pub node_look: crate::model::metrics::NodeLook,
}

/// Why the evidence overlay is off in a file without evidence.
pub const NO_EVIDENCE: &str =
    "No evidence: no relation in this file cites an excerpt, so every relation is drawn plainly";

pub fn menu_bar_ui(ui: &mut egui::Ui, state: &MenuBarState<'_>) -> Vec<Command> {
    let MenuBarState {
        recent_files,
        has_graph,
        layout,
        theme,
        evidence_overlay,
        trace,
        visibility,
        edit,
        node_look,
    } = *state;
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
            menu_item_ui(ui, UiCommand::Import, None, true, &mut commands);
            menu_item_ui(ui, UiCommand::Connect, None, true, &mut commands);
            ui.separator();
            menu_item_ui(ui, UiCommand::AddSource, None, has_graph, &mut commands);
            menu_item_ui(ui, UiCommand::PasteSource, None, has_graph, &mut commands);
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
            menu_item_ui(ui, UiCommand::ExportGraph, None, has_graph, &mut commands);
            ui.separator();
            menu_item_ui(ui, UiCommand::ShowReport, None, has_graph, &mut commands);
            ui.separator();
            menu_item_ui(ui, UiCommand::Quit, None, true, &mut commands);
        });
        edit_menu_ui(ui, edit, &mut commands);
        ui.menu_button("View", |ui| {
            menu_item_ui(ui, UiCommand::ShowReader, None, has_graph, &mut commands);
            menu_item_ui(
                ui,
                UiCommand::CaptureSelection,
                None,
                has_graph,
                &mut commands,
            );
            menu_item_ui(ui, UiCommand::Find, None, has_graph, &mut commands);
            menu_item_ui(
                ui,
                UiCommand::FindInExcerpts,
                None,
                has_graph,
                &mut commands,
            );
            ui.separator();
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
                UiCommand::LayoutSettings,
                None,
                has_graph,
                &mut commands,
            );
            menu_item_ui(
                ui,
                UiCommand::ClearSelection,
                None,
                has_graph,
                &mut commands,
            );
            trace_menu_ui(ui, trace, &mut commands);
            ui.separator();
            visibility_ui::view_menu_ui(ui, has_graph, visibility, &mut commands);
            ui.separator();
            super::metrics_ui::node_look_menu_ui(ui, node_look, has_graph, &mut commands);
            ui.separator();
            let mut overlay = evidence_overlay == Some(true);
            if ui
                .add_enabled(
                    evidence_overlay.is_some(),
                    egui::Checkbox::new(&mut overlay, UiCommand::EvidenceOverlay.text()),
                )
                .on_hover_text(UiCommand::EvidenceOverlay.tooltip(ui.ctx()))
                .on_disabled_hover_text(NO_EVIDENCE)
                .changed()
            {
                commands.push(UiCommand::EvidenceOverlay.command());
            }
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
            menu_item_ui(ui, UiCommand::CommandPalette, None, true, &mut commands);
            menu_item_ui(ui, UiCommand::ShowHelp, None, true, &mut commands);
            menu_item_ui(ui, UiCommand::UserGuide, None, true, &mut commands);
            menu_item_ui(ui, UiCommand::About, None, true, &mut commands);
            menu_item_ui(ui, UiCommand::ShowLog, None, true, &mut commands);
            ui.separator();
            ui.strong("Keyboard and mouse");
            // The table is taller than a small window: it scrolls, the
            // menu stops above the status bar.
            let room = super::fit::free_rect(ui.ctx());
            let margin = ui.spacing().menu_margin.sum().y + ui.spacing().item_spacing.y;
            egui::ScrollArea::vertical()
                .max_height((room.bottom() - ui.cursor().top() - margin).max(60.0))
                .show(ui, |ui| super::help::shortcuts_grid_ui(ui, "shortcuts"));
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
pub(super) fn menu_item_ui(
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
/// Says that the graph is drawn in software, and what that means.
pub fn software_rendering_ui(ui: &mut egui::Ui, quality: RenderQuality) {
    let detail = match quality {
        RenderQuality::Adaptive => {
            "While the graph moves, edges are drawn as thin lines without arrowheads; the full picture returns a moment after it stops."
        }
        RenderQuality::Full | RenderQuality::Cpu => {
            "Graphs of a few thousand edges are drawn in full; bigger ones are drawn in less detail while they move."
        }
    };
    ui.label(RichText::new("Software rendering").color(ui.visuals().warn_fg_color))
        .on_hover_text(format!(
            "No GPU is in use: the picture is drawn by the CPU (software Vulkan), which is slower. {detail}"
        ));
}

/// The status bar's note where the graph is drawn on the CPU: the adapter
/// (OpenGL) cannot run the graph shaders.
pub fn cpu_drawing_ui(ui: &mut egui::Ui) {
    ui.label(RichText::new("CPU drawing").color(ui.visuals().warn_fg_color))
        .on_hover_text(
            "The graphics adapter (OpenGL) cannot run Linkscope's graph shaders, so the graph is drawn by the CPU, which is slower: big graphs are drawn in less detail while they move. Installing a Vulkan driver (on Debian and Ubuntu, mesa-vulkan-drivers) makes it faster.",
        );
}

pub fn status_bar_ui(
    ui: &mut egui::Ui,
    loading: Option<(&str, f32, String)>,
    report: Option<(&LoadReport, GraphCounts)>,
    layout: Option<LayoutInfo>,
    visible: Option<VisibilityStatus>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        if let Some((stage, fraction, name)) = loading {
            // No spinner: it repaints the window flat out, and on a software renderer those
            // frames take the CPU the load needs (a 200k-entity file read in 8.3 s instead of
            // about 3 s on two busy cores). The bar shows progress at the app's polling rate.
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
        if let Some((report, counts)) = report {
            let has_problems = report.has_problems();
            let text = RichText::new(report.summary_of(counts));
            let text = if has_problems {
                text.color(ui.visuals().warn_fg_color)
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
            // Without a spinner, as while loading: the start needs the CPU.
            let state = if let Some(start) = layout.starting {
                format!("Layout starting: {start}")
            } else if layout.settled {
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
        if let Some(visible) = visible {
            ui.separator();
            visibility_ui::status_ui(ui, &visible);
        }
    });
    commands
}
