//! The integration test binary: one module per area.
#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "tests fail loudly on purpose and write their own files"
)]

mod bad_files;
mod cli;
mod drawn;
mod evidence;
mod export;
mod layout_golden;
mod layout_settings;
mod low_detail;
mod oversize;
mod project;
mod render;
mod sample_db;
mod save_kill;
mod search;
mod select;
mod trace;
mod trace_ui;
mod ui;
mod undo;
mod visibility;
