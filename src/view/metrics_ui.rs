//! Centrality and communities on screen: the View > Colour by / Size by
//! menu, the legend of communities, the measures in the entity panel and
//! the progress in the status bar (what colour and size each node gets is
//! `scene::node_look`). Takes plain data and returns commands; the
//! measures come from a background job.

use egui::{Color32, RichText};

use crate::command::{Command, UiCommand};
use crate::model::NodeIx;
use crate::model::metrics::{BetweennessMode, ColourBy, Metrics, MetricsPhase, NodeLook, SizeBy};
use crate::scene::node_look::community_colour;

/// View menu entries: Colour by and Size by, as radio items.
pub fn node_look_menu_ui(
    ui: &mut egui::Ui,
    look: NodeLook,
    has_graph: bool,
    commands: &mut Vec<Command>,
) {
    for (command, chosen) in [
        (UiCommand::ColourByKind, look.colour_by == ColourBy::Kind),
        (
            UiCommand::ColourByCommunity,
            look.colour_by == ColourBy::Community,
        ),
    ] {
        radio_item_ui(ui, command, chosen, has_graph, commands);
    }
    ui.separator();
    for (command, size_by) in [
        (UiCommand::SizeByNone, SizeBy::None),
        (UiCommand::SizeByDegree, SizeBy::Degree),
        (UiCommand::SizeByBetweenness, SizeBy::Betweenness),
        (UiCommand::SizeByPageRank, SizeBy::PageRank),
    ] {
        radio_item_ui(ui, command, look.size_by == size_by, has_graph, commands);
    }
}

fn radio_item_ui(
    ui: &mut egui::Ui,
    command: UiCommand,
    chosen: bool,
    enabled: bool,
    commands: &mut Vec<Command>,
) {
    let tooltip = command.tooltip(ui.ctx());
    if ui
        .add_enabled(enabled, egui::RadioButton::new(chosen, command.text()))
        .on_hover_text(tooltip)
        .clicked()
    {
        commands.push(command.command());
    }
}

/// The status bar's part: progress with a cancel button while measuring,
/// then the communities found.
pub fn metrics_status_ui(
    ui: &mut egui::Ui,
    running: Option<(MetricsPhase, f32)>,
    done: Option<(&Metrics, f64)>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if let Some((phase, share)) = running {
        ui.separator();
        // Short: the status bar is already long, and a wider one would push
        // the Stop button off a 1280-point window.
        ui.spinner();
        ui.label(format!(
            "Measuring {} {:.0}%",
            phase.text(),
            f64::from(share) * 100.0
        ))
        .on_hover_text("Computing communities, PageRank and betweenness in the background");
        if ui
            .small_button("Stop")
            .on_hover_text("Stop computing communities and centrality")
            .clicked()
        {
            commands.push(Command::CancelMetrics);
        }
    } else if let Some((metrics, elapsed_ms)) = done {
        ui.separator();
        ui.label(format!(
            "{} communities · Q {:.2}",
            metrics.community_sizes.len(),
            metrics.modularity
        ))
        .on_hover_text(format!(
            "Louvain communities (Q: their modularity), PageRank and betweenness ({}), computed in {:.0} ms",
            betweenness_note(metrics.betweenness_mode),
            elapsed_ms
        ));
    }
    commands
}

fn betweenness_note(mode: BetweennessMode) -> String {
    match mode {
        BetweennessMode::Exact => "exact".to_owned(),
        BetweennessMode::Sampled { pivots, .. } => format!("estimated from {pivots} sources"),
    }
}

/// The entity panel's measures of `node`: degree, PageRank, betweenness
/// and community, or a note while they are computed.
pub fn node_metrics_ui(ui: &mut egui::Ui, metrics: Option<&Metrics>, node: NodeIx) {
    ui.separator();
    ui.strong("Measures");
    let index = node as usize;
    let Some(metrics) = metrics.filter(|metrics| index < metrics.community.len()) else {
        ui.label(RichText::new("Being computed…").weak());
        return;
    };
    ui.label(format!("Degree {}", metrics.degree[index]));
    ui.label(format!("PageRank {:.6}", metrics.pagerank[index]))
        .on_hover_text("Damping 0.85, following the relations' direction");
    let estimated = if let BetweennessMode::Sampled { .. } = metrics.betweenness_mode {
        " (estimated)"
    } else {
        ""
    };
    ui.label(format!(
        "Betweenness {:.6}{estimated}",
        metrics.betweenness[index]
    ))
    .on_hover_text(
        "Share of shortest paths between other entities that pass through it, direction ignored",
    );
    let community = metrics.community[index];
    let size = metrics
        .community_sizes
        .get(community as usize)
        .copied()
        .unwrap_or(0);
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
        ui.painter()
            .circle_filled(rect.center(), 5.0, community_colour(community));
        ui.label(format!(
            "Community {} of {} ({size} entities)",
            community + 1,
            metrics.community_sizes.len()
        ));
    });
}

/// The legend of community colours, in the canvas's bottom-left corner
/// (in place of the kinds' legend).
pub fn community_legend_ui(ui: &egui::Ui, canvas: egui::Rect, rows: &[(String, Color32)]) {
    egui::Area::new(egui::Id::unique("community_legend"))
        .order(egui::Order::Foreground)
        .pivot(egui::Align2::LEFT_BOTTOM)
        .fixed_pos(canvas.left_bottom() + egui::vec2(10.0, -10.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                for (label, colour) in rows {
                    ui.horizontal(|ui| {
                        let (rect, _) =
                            ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                        ui.painter().circle_filled(rect.center(), 6.0, *colour);
                        ui.label(label);
                    });
                }
            });
        });
}
