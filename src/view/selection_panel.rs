//! The side panel when several entities are selected: how many, what
//! can be done with them, and their names (each opens that entity alone).
//! Everything shown is in memory; nothing is read from the file.

use std::collections::BTreeSet;

use crate::command::{Command, UiCommand};
use crate::model::{Graph, NodeIx};
use crate::words::count_text;

/// More than this many selected entities are counted, not all listed: a
/// list of 100k labels would cost the frame more than it tells.
const MAX_LISTED: usize = 500;

pub fn selection_panel_ui(
    ui: &mut egui::Ui,
    graph: &Graph,
    nodes: &BTreeSet<NodeIx>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading(format!(
        "{} selected",
        count_text(nodes.len(), "entity", "entities")
    ));
    ui.horizontal_wrapped(|ui| {
        for (command, text) in [
            (UiCommand::SelectNeighbours, "Select neighbours"),
            (UiCommand::PinSelection, "Pin"),
            (UiCommand::UnpinSelection, "Unpin"),
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
    ui.label("Drag any of them to move them all. Click one to show it alone.");
    ui.separator();
    for &node in nodes.iter().take(MAX_LISTED) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .link(super::text::short_name(graph.node_name(node)))
                .on_hover_text("Show its details and relations")
                .clicked()
            {
                commands.push(Command::SelectNode(node));
            }
            ui.weak(graph.node_kind_text(node));
        });
    }
    if nodes.len() > MAX_LISTED {
        ui.weak(format!("… and {} more", nodes.len() - MAX_LISTED));
    }
    commands
}
