//! Opening a graph file bigger than the user's limit: the window asks
//! whether to load it whole or to explore it by search and expansion.

use std::path::{Path, PathBuf};

use super::ExploreSpec;
use crate::app::LinkscopeApp;
use crate::view::explore_panel::{BigFileChoice, big_file_ui};

/// Files above this many megabytes are offered for exploring, until the
/// user sets another limit.
pub(in crate::app) const DEFAULT_EXPLORE_ABOVE_MB: u64 = 1024;

/// A file being offered for exploring instead of loading.
pub(in crate::app) struct BigFileOffer {
    path: PathBuf,
    bytes: u64,
}

impl LinkscopeApp {
    /// The size (megabytes) above which opening a file asks first.
    fn explore_above_mb(&self) -> u64 {
        self.options
            .explore_above_mb
            .unwrap_or(self.saved.explore_above_mb)
    }

    /// Asks before loading `path` when it is over the limit; true when it
    /// asked (the load waits for the answer).
    pub(in crate::app) fn offer_exploring(&mut self, path: &Path) -> bool {
        let Ok(metadata) = std::fs::metadata(path) else {
            return false; // the load says what is wrong with it
        };
        let bytes = metadata.len();
        if bytes <= self.explore_above_mb().saturating_mul(1024 * 1024) {
            return false;
        }
        self.big_file = Some(BigFileOffer {
            path: path.to_path_buf(),
            bytes,
        });
        true
    }

    /// The question, while it is open.
    pub(in crate::app) fn big_file_offer_ui(&mut self, ctx: &egui::Context) {
        let Some(offer) = &self.big_file else {
            return;
        };
        let name = offer.path.file_name().map_or_else(
            || offer.path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        let (path, bytes) = (offer.path.clone(), offer.bytes);
        let mut limit = self.explore_above_mb();
        let choice = big_file_ui(ctx, &name, bytes, &mut limit);
        if limit != self.explore_above_mb() {
            self.saved.explore_above_mb = limit;
            self.options.explore_above_mb = None;
        }
        match choice {
            Some(BigFileChoice::Explore) => {
                self.big_file = None;
                self.start_explore(ctx, &ExploreSpec::File(path));
            }
            Some(BigFileChoice::LoadWhole) => {
                self.big_file = None;
                self.start_loading(ctx, &path, false);
            }
            Some(BigFileChoice::Cancel) => self.big_file = None,
            None => {}
        }
    }

    /// Whether the window is asking how to open a big file, for tests.
    pub fn is_offering_exploring(&self) -> bool {
        self.big_file.is_some()
    }
}
