//! The command palette (Ctrl/⌘+K): every command of the registry, matched
//! fuzzily as you type with the same matcher as Find, each with its
//! shortcut. Up and Down move, Enter runs the highlighted command, Escape
//! closes. Commands that cannot run now are shown disabled.

use egui::{Key, Modifiers};

use crate::command::{Command, UiCommand};
use crate::model::search::{Closeness, NameQuery, new_matcher};

/// The palette's own state (not saved).
#[derive(Debug, Default)]
pub struct PaletteState {
    pub open: bool,
    pub query: String,
    pub cursor: usize,
    focus_field: bool,
    /// Scroll the list to the cursor (it moved by a key).
    scroll_to_cursor: bool,
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
/// for an empty query). A name where the query starts a word ranks first
/// ("ex": Export and Expand before Find in Excerpts; "exp" before Undo,
/// whose description mentions expanding), as Find ranks names; then any
/// fuzzy match of the name, or a description with a word starting with the
/// query, the name counting more.
pub fn matching_commands(query: &str) -> Vec<UiCommand> {
    let pattern = NameQuery::new(query);
    if pattern.is_empty() {
        return UiCommand::ALL.to_vec();
    }
    let mut matcher = new_matcher();
    let mut scratch = Vec::new();
    let mut folded = Vec::new();
    let mut scored: Vec<(Closeness, u32, usize, UiCommand)> = UiCommand::ALL
        .into_iter()
        .enumerate()
        .filter_map(|(order, command)| {
            let text = pattern.score(command.text(), &mut matcher, &mut scratch);
            // A description is a sentence: scattered letters in it match
            // nearly anything, so only a word starting with the query counts.
            let description = pattern
                .score(command.description(), &mut matcher, &mut scratch)
                .filter(|_| {
                    pattern.closeness(command.description(), &mut folded) >= Closeness::WordStart
                });
            let closeness = match text {
                Some(_) => pattern.closeness(command.text(), &mut folded),
                None => Closeness::Fuzzy,
            };
            // The name counts more than the description.
            let score = text.map(|score| score * 2).max(description)?;
            Some((closeness, score, order, command))
        })
        .collect();
    scored.sort_by_key(|&(closeness, score, order, _)| {
        (
            std::cmp::Reverse(closeness),
            std::cmp::Reverse(score),
            order,
        )
    });
    scored
        .into_iter()
        .map(|(_, _, _, command)| command)
        .collect()
}

const FIELD_ID: &str = "palette_field";

/// The palette's width (points).
const WIDTH: f32 = 460.0;

/// Shows the palette; returns what to run (including closing it).
/// `enabled` says which commands can run now: the others are listed
/// disabled, as in the menus.
pub fn palette_ui(
    ctx: &egui::Context,
    state: &mut PaletteState,
    enabled: impl Fn(UiCommand) -> bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let field_id = egui::Id::unique(FIELD_ID);
    let matches = matching_commands(&state.query);
    let room = super::fit::free_rect(ctx);
    super::fit::fit_window(egui::Window::new("Command Palette"), ctx)
        .collapsible(false)
        .resizable(false)
        .title_bar(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
        .min_width(WIDTH)
        .max_width(WIDTH)
        // The field stays put; the list scrolls.
        .vscroll(false)
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
                state.scroll_to_cursor |= up || down;
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
            // Down to just above the status bar, whatever the window's height.
            let list_height = (room.bottom()
                - ui.cursor().top()
                - 2.0 * ui.spacing().item_spacing.y
                - ui.style().spacing.window_margin.sum().y)
                .max(ui.spacing().interact_size.y);
            egui::ScrollArea::vertical()
                .max_height(list_height)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    let cursor = (state.cursor, std::mem::take(&mut state.scroll_to_cursor));
                    command_rows_ui(ui, &matches, cursor, &enabled, &mut commands);
                });
        });
    commands
}

/// The matching commands, one row each; `cursor` is the highlighted row
/// and whether to scroll to it.
fn command_rows_ui(
    ui: &mut egui::Ui,
    matches: &[UiCommand],
    (cursor, scroll_to_cursor): (usize, bool),
    enabled: &impl Fn(UiCommand) -> bool,
    commands: &mut Vec<Command>,
) {
    for (row, &command) in matches.iter().enumerate() {
        let mut button = egui::Button::selectable(row == cursor, command.text());
        if let Some(keys) = command.shortcut_text(ui.ctx()) {
            button = button.shortcut_text(keys);
        }
        let response = ui
            .add_enabled(
                enabled(command),
                button.min_size(egui::vec2(ui.available_width(), 0.0)),
            )
            .on_hover_text(command.description())
            .on_disabled_hover_text(format!("{} (not available now)", command.description()));
        if row == cursor && scroll_to_cursor {
            response.scroll_to_me(None);
        }
        if response.clicked() {
            commands.push(Command::TogglePalette);
            commands.push(command.command());
        }
    }
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

    /// Issue 18: "exp" matched Undo (its description speaks of expanding)
    /// as well as Expand, and "sel" listed Clear Selection before Select
    /// All. The names starting with the query come first, then those with
    /// a word starting with it (listed here by hand).
    #[test]
    fn word_starts_in_the_name_rank_first() {
        let found = matching_commands("exp");
        let first: std::collections::HashSet<UiCommand> = found[..4].iter().copied().collect();
        assert_eq!(
            first,
            [
                UiCommand::Export,
                UiCommand::ExportEvidence,
                UiCommand::ExportGraph,
                UiCommand::ExpandSelection
            ]
            .into()
        );
        let position = |command| found.iter().position(|&c| c == command);
        if let Some(undo) = position(UiCommand::Undo) {
            assert!(position(UiCommand::ExpandSelection) < Some(undo));
        }
        assert_eq!(matching_commands("undo")[0], UiCommand::Undo);
        let prefixed = |query: &str, count: usize| -> std::collections::HashSet<UiCommand> {
            matching_commands(query)[..count].iter().copied().collect()
        };
        assert_eq!(
            prefixed("sel", 2),
            [UiCommand::SelectAll, UiCommand::SelectNeighbours].into()
        );
        assert_eq!(
            prefixed("ex", 4),
            [
                UiCommand::Export,
                UiCommand::ExportEvidence,
                UiCommand::ExportGraph,
                UiCommand::ExpandSelection
            ]
            .into()
        );
        // Scattered letters in a description do not match ("pin" is in
        // "positions, pins": Save stays; nothing spells p-i-n apart).
        assert!(matching_commands("pin").contains(&UiCommand::Save));
        assert!(!matching_commands("pin").contains(&UiCommand::FitView));
    }
}
