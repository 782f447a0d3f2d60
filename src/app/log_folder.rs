//! The log's folder in the window: Help ▸ Show Log opens it with the
//! system's file manager, and a run that panicked (its mark left beside
//! the log, `logfile::CRASH_MARK`) is reported at the next start.

use super::LinkscopeApp;
use crate::command::Command;
use crate::view::notices::{NoticeAction, NoticeKind};

/// The notice at the start after a panic.
pub const LAST_RUN_CRASHED: &str = "The last run of Linkscope ended unexpectedly. Its log says what went wrong: please send it with a report.";

impl LinkscopeApp {
    /// Shows the notice when a run panicked since the last start; the mark
    /// is taken, so it shows once.
    pub(super) fn report_last_crash(&mut self) {
        let Some(dir) = &self.options.log_dir else {
            return;
        };
        if crate::logfile::take_crash_mark(dir) {
            log::info!(
                "the last run panicked: its mark in {} was taken",
                dir.display()
            );
            self.notices.push_with_action(
                NoticeKind::Warning,
                LAST_RUN_CRASHED.to_owned(),
                NoticeAction {
                    label: "Show Log",
                    command: Command::ShowLog,
                },
            );
        }
    }

    /// Opens the log's folder with the system's opener, without waiting
    /// for it. Tests (no native dialogs) only note which folder it was.
    pub(super) fn show_log_folder(&mut self) {
        let Some(dir) = self.options.log_dir.clone() else {
            self.show_error(
                "no log is written: the platform's state folder could not be found".to_owned(),
            );
            return;
        };
        self.shown_log_folder = Some(dir.clone());
        if !self.options.native_dialogs {
            return;
        }
        if let Err(error) = open::that_detached(&dir) {
            self.show_error(format!(
                "could not open the log's folder {}: {error}",
                dir.display()
            ));
        }
    }
}
