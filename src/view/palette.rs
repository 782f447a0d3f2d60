//! The command palette (Ctrl/⌘+K): every command of the registry, matched
//! fuzzily as you type with the same matcher as Find, each with its
//! shortcut. Up and Down move, Enter runs the highlighted command, Escape
//! closes. Commands that cannot run now are shown disabled.

use egui::{Key, Modifiers};

use crate::command::{Command, UiCommand};
use crate::model::search::{NameQuery, new_matcher};

/// The palette's own state (not saved).
#[derive(Debug, Default)]
pub struct PaletteState {
    pub open: bool,
    pub query: String,
    pub cursor: usize,
    focus_field: bool,
}

impl PaletteState {
    pub fn toggle(&mut self) {
        self.open = !self.open;
        self.query.clear();
        self.cursor = 0;
        self.focus_field = self.open;
    }
}

/// The commands matching `query`, best first (registry order for ties and
/// for an empty query). The text is matched, and the description too.
pub fn matching_commands(query: &str) -> Vec<UiCommand> {
    let pattern = NameQuery::new(query);
    if pattern.is_empty() {
        return UiCommand::ALL.to_vec();
    }
    let mut matcher = new_matcher();
    let mut scratch = Vec::new();
    let mut scored: Vec<(u32, usize, UiCommand)> = UiCommand::ALL
        .into_iter()
        .enumerate()
        .filter_map(|(order, command)| {
            let text = pattern.score(command.text(), &mut matcher, &mut scratch);
            let description = pattern.score(command.description(), &mut matcher, &mut scratch);
            // The name counts more than the description.
            let score = text.map(|score| score * 2).max(description)?;
            Some((score, order, command))
        })
        .collect();
    scored.sort_by_key(|&(score, order, _)| (std::cmp::Reverse(score), order));
    scored.into_iter().map(|(_, _, command)| command).collect()
}

const FIELD_ID: &str = "palette_field";

/// Shows the palette; returns what to run (including closing it).
pub fn palette_ui(ctx: &egui::Context, state: &mut PaletteState, has_graph: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    let field_id = egui::Id::unique(FIELD_ID);
    let matches = matching_commands(&state.query);
    let enabled = |command: UiCommand| has_graph || !command.needs_graph();
    egui::Window::new("Command Palette")
        .collapsible(false)
        .resizable(false)
        .title_bar(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
        .fixed_size(egui::vec2(460.0, 0.0))
        .show(ctx, |ui| {
            if ui.memory(|memory| memory.has_focus(field_id)) {
                let (down, up) = ui.input_mut(|input| {
                    (
                        input.consume_key(Modifiers::NONE, Key::ArrowDown),
                        input.consume_key(Modifiers::NONE, Key::ArrowUp),
                    )
                });
                if down {
                    state.cursor = (state.cursor + 1).min(matches.len().saturating_sub(1));
                }
                if up {
                    state.cursor = state.cursor.saturating_sub(1);
                }
            }
            let label = ui.label("Command");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut state.query)
                        .id(field_id)
                        .hint_text("type part of a command's name")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if field.changed() {
                state.cursor = 0;
            }
            if std::mem::take(&mut state.focus_field) {
                field.request_focus();
            }
            let (enter, escape) = ui.input(|input| {
                (
                    input.key_pressed(Key::Enter),
                    input.key_pressed(Key::Escape),
                )
            });
            if field.lost_focus() && escape {
                commands.push(Command::TogglePalette);
                return;
            }
            if field.lost_focus() && enter {
                if let Some(&command) = matches.get(state.cursor)
                    && enabled(command)
                {
                    commands.push(Command::TogglePalette);
                    commands.push(command.command());
                } else {
                    field.request_focus();
                }
                return;
            }
            ui.separator();
            if matches.is_empty() {
                ui.weak("No command matches.");
            }
            for (row, &command) in matches.iter().enumerate() {
                let mut button = egui::Button::selectable(row == state.cursor, command.text());
                if let Some(keys) = command.shortcut_text(ui.ctx()) {
                    button = button.shortcut_text(keys);
                }
                let response = ui
                    .add_enabled(
                        enabled(command),
                        button.min_size(egui::vec2(ui.available_width(), 0.0)),
                    )
                    .on_hover_text(command.description())
                    .on_disabled_hover_text(format!(
                        "{} (open a graph first)",
                        command.description()
                    ));
                if response.clicked() {
                    commands.push(Command::TogglePalette);
                    commands.push(command.command());
                }
            }
        });
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_matches_command_names_fuzzily() {
        assert_eq!(matching_commands("")[..], UiCommand::ALL[..]);
        assert_eq!(matching_commands("rerun")[0], UiCommand::RerunLayout);
        assert_eq!(matching_commands("expev")[0], UiCommand::ExportEvidence);
        assert_eq!(matching_commands("kbd shortcuts")[0], UiCommand::ShowHelp);
        assert!(matching_commands("zzzq").is_empty());
    }
}
