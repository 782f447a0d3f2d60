//! Linkscope: a desktop link-analysis explorer.
//!
//! Data flows one way: `store` reads a SQLite graph file into the `model`,
//! `layout` computes positions off the UI thread, `view` draws the canvas and
//! panels with egui. `app` wires them together; `jobs` runs the heavy work
//! in the background; `command` lists what a user can ask for.

/// The version and the commit the binary was built from (build.rs), as
/// `--version` and Help ▸ About say it.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("LINKSCOPE_COMMIT"),
    ")"
);

pub mod app;
pub mod command;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod jobs;
pub mod layout;
pub mod logfile;
pub mod model;
pub mod postgres;
pub mod scene;
pub mod store;
pub mod view;
pub mod words;
