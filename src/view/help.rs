//! The keyboard shortcuts (F1, and the Help menu): every bound command of
//! the registry with its keys as this platform writes them, then the
//! pointer gestures. Both lists come from `command`, as the menus do.

use crate::command::{Command, GESTURES, UiCommand};

/// The table of shortcuts and gestures.
pub fn shortcuts_grid_ui(ui: &mut egui::Ui, id_salt: &str) {
    egui::Grid::new(id_salt).striped(true).show(ui, |ui| {
        for command in UiCommand::ALL {
            // Every binding: Redo has two on Windows and Linux.
            for shortcut in command.shortcuts() {
                ui.monospace(ui.ctx().format_shortcut(&shortcut));
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
}

/// The shortcuts window; returns the command that closes it, if asked.
pub fn help_window_ui(ctx: &egui::Context) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    super::fit::fit_window(
        egui::Window::new("Keyboard Shortcuts")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            // As tall as there is room for: the table is long.
            .default_height(super::fit::free_rect(ctx).height()),
        ctx,
    )
    .show(ctx, |ui| {
        shortcuts_grid_ui(ui, "help_shortcuts");
        ui.add_space(6.0);
        ui.weak("While you type in a field, only the shortcuts with Ctrl (Cmd on macOS) work.");
    });
    if !open {
        commands.push(Command::ToggleHelp);
    }
    commands
}
