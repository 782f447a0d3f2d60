//! How files and keys reach the app: the native open dialog (or the path
//! field where there is none), dropped files and keyboard shortcuts.

use std::path::PathBuf;

use super::LinkscopeApp;
use crate::command::{Command, UiCommand};
use crate::view::panels::{PathPrompt, PathPurpose};

/// Said when a native dialog was asked for and none could be shown.
pub(super) const NO_DIALOG: &str = "No file dialog is available on this system (no desktop portal or zenity). Type the path instead.";

impl LinkscopeApp {
    pub(super) fn open_dialog(&mut self) {
        if !self.options.native_dialogs {
            self.path_prompt = Some(PathPrompt::new(PathPurpose::Open, None));
            return;
        }
        let started = std::time::Instant::now();
        let picked = rfd::FileDialog::new()
            .set_title("Open a graph file")
            .add_filter("Graph files", &["sqlite", "sqlite3", "db", "linkscope"])
            .add_filter("All files", &["*"])
            .pick_file();
        match picked {
            Some(path) => self.pending.push(Command::OpenPath(path)),
            // A person needs more than a blink to cancel a dialog; an instant
            // None, or no way to show one at all, means no dialog was shown.
            None if started.elapsed() < std::time::Duration::from_millis(150)
                || !native_dialog_possible() =>
            {
                self.path_prompt = Some(PathPrompt::new(
                    PathPurpose::Open,
                    Some(NO_DIALOG.to_owned()),
                ));
            }
            None => {}
        }
    }

    pub(super) fn handle_input(&mut self, ctx: &egui::Context) {
        // A file dropped on the window opens it (the first, if several).
        let dropped: Option<PathBuf> = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .find(|path| !path.as_os_str().is_empty())
        });
        if let Some(path) = dropped {
            // A source dropped on an open graph is read beside it.
            let is_source = path.extension().is_some_and(|ending| {
                super::reader_panel::SOURCE_ENDINGS
                    .iter()
                    .any(|source| ending.eq_ignore_ascii_case(source))
            });
            if is_source && self.document.is_some() {
                self.pending.push(Command::AddSourcePath(path));
            } else {
                self.pending.push(Command::OpenPath(path));
            }
        }
        // Escape cancels the capture form before anything else.
        if self.capture.form.is_some()
            && ctx.input_mut(|input| input.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.capture.form = None;
            if let Some(reader) = &mut self.capture.reader {
                reader.request_focus();
            }
        }
        // Escape closes an open menu (egui does, when the key reaches it)
        // and does nothing else; then the context menu (in its own frame),
        // then the palette or the shortcuts window, before it clears the
        // selection.
        let menu_open = egui::Popup::is_any_open(ctx);
        if !menu_open
            && self.context_menu.is_some()
            && ctx.input_mut(|input| input.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.context_menu = None;
        }
        if !menu_open
            && self.search.overlay_open()
            && ctx.input_mut(|input| input.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.search.close_overlays();
        }
        // Then the "Start here" card, put away for good as by Got it.
        if !menu_open
            && self.is_start_here_shown()
            && ctx.input_mut(|input| input.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.saved.start_here_dismissed = true;
        }
        // While a text field has the keys, only shortcuts with Ctrl (⌘)
        // run: a plain key is typing.
        let typing = self.keys_go_to_a_widget(ctx);
        // The reader's text is read, not edited: Ctrl+Z there undoes.
        let reading = self
            .capture
            .reader
            .as_ref()
            .is_some_and(crate::view::reader::ReaderView::has_focus);
        // egui ignores extra Shift and Alt when matching, so the most
        // specific bindings go first (Ctrl+Shift+S before Ctrl+S).
        let mut bound: Vec<(UiCommand, egui::KeyboardShortcut)> = UiCommand::ALL
            .into_iter()
            .flat_map(|command| command.shortcuts().map(move |shortcut| (command, shortcut)))
            .collect();
        bound.sort_by_key(|(_, shortcut)| {
            let modifiers = shortcut.modifiers;
            std::cmp::Reverse(
                u8::from(modifiers.shift) + u8::from(modifiers.alt) + u8::from(modifiers.command),
            )
        });
        for (command, shortcut) in bound {
            if typing && (!shortcut.modifiers.command || (edits_text(shortcut) && !reading)) {
                continue;
            }
            if menu_open && shortcut.logical_key == egui::Key::Escape {
                continue;
            }
            if ctx.input_mut(|input| input.consume_shortcut(&shortcut)) {
                self.pending.push(command.command());
            }
        }
    }
}

/// Whether a text field acts on `shortcut` itself (select all, copy, paste,
/// cut, undo, redo, deleting and moving the cursor): while one has the
/// keys, these edit the text, never the graph.
fn edits_text(shortcut: egui::KeyboardShortcut) -> bool {
    use egui::Key;
    let command_key = shortcut.modifiers.command
        && matches!(
            shortcut.logical_key,
            Key::A | Key::C | Key::V | Key::X | Key::Z | Key::Y
        );
    let editing_key = matches!(
        shortcut.logical_key,
        Key::Delete
            | Key::Backspace
            | Key::ArrowLeft
            | Key::ArrowRight
            | Key::ArrowUp
            | Key::ArrowDown
            | Key::Home
            | Key::End
    );
    command_key || editing_key
}

/// Whether rfd can show a dialog here: through the desktop portal (needs a
/// session bus) or through zenity (needs the program).
pub(super) fn native_dialog_possible() -> bool {
    if cfg!(not(target_os = "linux")) {
        return true;
    }
    let has_session_bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    let has_zenity = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|folder| folder.join("zenity").is_file())
    });
    has_session_bus || has_zenity
}
