//! The integration test binary: one module per area.
#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "tests fail loudly on purpose and write their own files"
)]

mod bad_files;
mod big_file;
mod capture_provenance;
mod capture_ui;
mod captured_cli;
mod cli;
mod confirm_ui;
mod correct_details;
mod dialogs;
mod disputed;
mod drawn;
mod edges;
mod evidence;
mod explore_ui;
mod export;
mod export_footer;
mod export_graph;
mod fuzz_corpus;
mod gl_drawing;
mod help_windows;
mod import_csv;
mod import_json;
mod import_ui;
mod import_xml;
mod layout_golden;
mod layout_real;
mod layout_settings;
mod log_file;
mod low_detail;
mod metrics;
mod metrics_ui;
mod node_size;
mod oversize;
mod postgres;
mod postgres_compartments;
mod postgres_connect;
mod postgres_keyring;
mod postgres_push;
mod postgres_replica;
mod postgres_ui;
mod postgres_views;
mod project;
mod render;
mod sample_db;
mod save_kill;
mod saved_view;
mod search;
mod select;
mod software_export;
mod source_text;
mod trace;
mod trace_ui;
mod typing;
mod ui;
mod undo;
mod visibility;
mod visibility_dates;
mod visibility_undo;
mod workbench;

/// Whether the stored pictures are to be rewritten: only `UPDATE_SNAPSHOTS=1`
/// asks for it, as `egui_kittest` reads it (`0` or an empty value compare).
pub(crate) fn update_snapshots() -> bool {
    update_requested(std::env::var("UPDATE_SNAPSHOTS").ok().as_deref())
}

fn update_requested(value: Option<&str>) -> bool {
    value == Some("1")
}

#[test]
fn only_update_snapshots_1_rewrites_the_references() {
    assert!(update_requested(Some("1")));
    for value in [None, Some("0"), Some(""), Some("false"), Some("no")] {
        assert!(!update_requested(value), "{value:?} rewrote the references");
    }
}
