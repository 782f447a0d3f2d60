//! How the app starts (`AppOptions`, from the command line or a test) and
//! what it keeps between runs (`SavedState`, in eframe's storage).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{ExploreSpec, explore, visibility};
use crate::layout::LayoutSettings;
use crate::scene::theme::Theme;

/// How the app starts.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// The file to open; None opens the bundled sample.
    pub file: Option<PathBuf>,
    /// False in tests: "Open…" goes straight to the path field.
    pub native_dialogs: bool,
    pub layout: LayoutSettings,
    /// Save a screenshot of the window here once the layout has settled,
    /// then close (for the README and for scripts).
    pub screenshot: Option<PathBuf>,
    /// Explore this source by search and expansion instead of opening
    /// `file` (a PostgreSQL schema, or a file too big to load whole).
    pub explore: Option<ExploreSpec>,
    /// Offer exploring instead of loading for files over this many
    /// megabytes (None: the user's setting).
    pub explore_above_mb: Option<u64>,
    /// The folder of the log file (`logfile::folder`): Help > Show Log
    /// opens it, and a crash mark there is reported at the start. None in
    /// tests that do not ask for it.
    pub log_dir: Option<PathBuf>,
    /// Show the "Start here" card over the bundled sample until the user
    /// dismisses it (the window; tests ask for it).
    pub offer_start_here: bool,
    /// A source document to read beside the graph once it is open.
    pub source: Option<PathBuf>,
}

/// What is saved between runs.
#[derive(Debug, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct SavedState {
    pub(super) recent_files: Vec<PathBuf>,
    pub(super) theme: Theme,
    /// Ask before an expansion shows more than this many entities.
    pub(super) expand_limit: usize,
    /// Offer exploring instead of loading for files over this many
    /// megabytes.
    pub(super) explore_above_mb: u64,
    /// The "Start here" card was dismissed.
    pub(super) start_here_dismissed: bool,
}

impl Default for SavedState {
    fn default() -> Self {
        Self {
            recent_files: Vec::new(),
            theme: Theme::default(),
            expand_limit: visibility::DEFAULT_EXPAND_LIMIT,
            explore_above_mb: explore::DEFAULT_EXPLORE_ABOVE_MB,
            start_here_dismissed: false,
        }
    }
}
