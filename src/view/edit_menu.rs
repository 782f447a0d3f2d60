//! The Edit menu: Undo and Redo saying what they would undo ("Undo Move 3
//! entities"), and the selection commands. All from the command registry.

use super::menus::menu_item_ui;
use crate::command::{Command, UiCommand};

/// What the Edit menu needs to know.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditMenuState {
    /// What Undo would undo, if anything.
    pub undo: Option<String>,
    /// What Redo would redo, if anything.
    pub redo: Option<String>,
    pub has_graph: bool,
    /// Something is selected (a relation or entities).
    pub has_selection: bool,
    /// At least one entity is selected.
    pub has_entities: bool,
}

pub fn edit_menu_ui(ui: &mut egui::Ui, state: &EditMenuState, commands: &mut Vec<Command>) {
    ui.menu_button("Edit", |ui| {
        let undo = state.undo.as_ref().map(|what| format!("Undo {what}"));
        let redo = state.redo.as_ref().map(|what| format!("Redo {what}"));
        menu_item_ui(
            ui,
            UiCommand::Undo,
            undo.as_deref(),
            state.undo.is_some(),
            commands,
        );
        menu_item_ui(
            ui,
            UiCommand::Redo,
            redo.as_deref(),
            state.redo.is_some(),
            commands,
        );
        ui.separator();
        menu_item_ui(ui, UiCommand::SelectAll, None, state.has_graph, commands);
        menu_item_ui(
            ui,
            UiCommand::SelectNeighbours,
            None,
            state.has_selection,
            commands,
        );
        ui.separator();
        for command in [UiCommand::PinSelection, UiCommand::UnpinSelection] {
            menu_item_ui(ui, command, None, state.has_entities, commands);
        }
    });
}
