//! The integration test binary: one module per area.
#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "tests fail loudly on purpose and write their own files"
)]

mod bad_files;
mod cli;
mod dialogs;
mod drawn;
mod edges;
mod evidence;
mod export;
mod layout_golden;
mod layout_real;
mod layout_settings;
mod low_detail;
mod metrics;
mod metrics_ui;
mod oversize;
mod project;
mod render;
mod sample_db;
mod save_kill;
mod search;
mod select;
mod software_export;
mod trace;
mod trace_ui;
mod typing;
mod ui;
mod undo;
mod visibility;
