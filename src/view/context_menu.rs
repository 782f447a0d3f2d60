//! The canvas's context menu: right-click an entity or a relation for what
//! its details panel offers, without moving the pointer to the panel.

use egui::{Pos2, RichText};

use super::hit::Hit;
use super::text::short_name;
use crate::command::{Command, UiCommand};
use crate::model::Graph;

/// What the menu needs besides the graph: the relation's citation once its
/// details are read.
pub struct ContextMenuView<'a> {
    pub hit: Hit,
    pub at: Pos2,
    pub citation: Option<&'a str>,
    /// Opened this frame: the click that opened it does not close it.
    pub fresh: bool,
}

/// Draws the menu; returns what was chosen, and whether it stays open.
pub fn context_menu_ui(
    ctx: &egui::Context,
    graph: &Graph,
    view: &ContextMenuView<'_>,
) -> (Vec<Command>, bool) {
    let mut commands = Vec::new();
    let area = egui::Area::new(egui::Id::unique("canvas_context_menu"))
        .order(egui::Order::Foreground)
        .fixed_pos(view.at)
        .constrain_to(ctx.content_rect())
        .show(ctx, |ui| {
            egui::Frame::menu(ui.style()).show(ui, |ui| {
                ui.set_min_width(180.0);
                let mut item =
                    |ui: &mut egui::Ui, text: &str, key: Option<UiCommand>, run: Command| {
                        let mut button = egui::Button::new(text);
                        if let Some(shortcut) = key.and_then(|key| key.shortcut_text(ui.ctx())) {
                            button = button.shortcut_text(shortcut);
                        }
                        if ui.add(button).clicked() {
                            commands.push(run);
                        }
                    };
                match view.hit {
                    Hit::Node(node) => {
                        ui.label(RichText::new(short_name(graph.node_name(node))).strong());
                        ui.separator();
                        item(ui, "Open Details", None, Command::SelectNode(node));
                        item(
                            ui,
                            "Focus",
                            Some(UiCommand::FocusSelection),
                            Command::FocusSelection,
                        );
                        item(
                            ui,
                            "Expand",
                            Some(UiCommand::ExpandSelection),
                            Command::Expand(node),
                        );
                        item(
                            ui,
                            "Hide",
                            Some(UiCommand::HideSelection),
                            Command::HideSelection,
                        );
                        ui.separator();
                        item(
                            ui,
                            "Trace from Here",
                            Some(UiCommand::TraceFromSelection),
                            Command::TraceFromSelection,
                        );
                        item(
                            ui,
                            "Trace to Here",
                            Some(UiCommand::TraceToSelection),
                            Command::TraceToSelection,
                        );
                        ui.separator();
                        item(
                            ui,
                            "Copy Name",
                            None,
                            Command::CopyText(graph.node_name(node).to_owned()),
                        );
                    }
                    Hit::Edge(edge) => {
                        let (source, target) = graph.edge_endpoints(edge);
                        let name = format!(
                            "{} {} {}",
                            graph.node_name(source),
                            graph.edge_label(edge),
                            graph.node_name(target)
                        );
                        ui.label(
                            RichText::new(format!(
                                "{} {} {}",
                                short_name(graph.node_name(source)),
                                short_name(graph.edge_label(edge)),
                                short_name(graph.node_name(target))
                            ))
                            .strong(),
                        );
                        if graph.edge_is_disputed(edge) {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                "(disputed: every excerpt it cites contradicts it)",
                            );
                        }
                        ui.separator();
                        item(ui, "Open Details", None, Command::SelectEdge(edge));
                        item(
                            ui,
                            "Focus",
                            Some(UiCommand::FocusSelection),
                            Command::FocusSelection,
                        );
                        item(
                            ui,
                            "Hide",
                            Some(UiCommand::HideSelection),
                            Command::HideSelection,
                        );
                        ui.separator();
                        item(ui, "Copy Name", None, Command::CopyText(name));
                        if let Some(citation) = view.citation {
                            item(
                                ui,
                                "Copy Citation",
                                None,
                                Command::CopyText(citation.to_owned()),
                            );
                        } else {
                            let hint = if graph.edge_is_supported(edge) {
                                "Reading its excerpts…"
                            } else {
                                "It cites no excerpt"
                            };
                            ui.add_enabled(false, egui::Button::new("Copy Citation"))
                                .on_disabled_hover_text(hint);
                        }
                    }
                }
            });
        });
    let chosen = !commands.is_empty();
    let clicked_elsewhere = !view.fresh
        && ctx.input(|input| input.pointer.any_pressed())
        && !area.response.contains_pointer();
    let escape = ctx.input(|input| input.key_pressed(egui::Key::Escape));
    (commands, !(chosen || clicked_elsewhere || escape))
}
