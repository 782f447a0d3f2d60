//! What each fuzz target runs (`fuzz/fuzz_targets/`), here so that `cargo
//! test` replays the committed corpus on stable Rust through the very same
//! code (`tests/fuzz_corpus.rs`). Every entry takes arbitrary bytes and
//! must return without panicking, whatever they are.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::import::{Format, GraphWriter, ImportInput, ImportOptions};

/// The fuzz targets, by name (the corpus folder's name).
pub const TARGETS: [&str; 7] = [
    "import_csv",
    "import_gexf",
    "import_graphml",
    "import_ftm",
    "import_stix",
    "view_state",
    "graph_file",
];

/// Runs target `name` on `bytes`. Unknown names do nothing.
pub fn run(name: &str, bytes: &[u8]) {
    match name {
        "import_csv" => import(Format::Csv, "input.csv", bytes),
        "import_gexf" => import(Format::Gexf, "input.gexf", bytes),
        "import_graphml" => import(Format::GraphMl, "input.graphml", bytes),
        "import_ftm" => import(Format::FollowTheMoney, "input.ftm.json", bytes),
        "import_stix" => import(Format::Stix, "input.json", bytes),
        "view_state" => view_state(bytes),
        "graph_file" => graph_file(bytes),
        _ => {}
    }
}

/// Imports `bytes` as `format` into an in-memory graph file.
pub fn import(format: Format, name: &str, bytes: &[u8]) {
    let Ok(mut writer) = GraphWriter::in_memory() else {
        return;
    };
    let mut inputs = [ImportInput::from_bytes(name, bytes.to_vec())];
    let options = ImportOptions {
        format: Some(format),
        csv_mapping: None,
    };
    let _ = crate::import::registry::import_into(&mut inputs, &mut writer, &options);
}

/// Reads `bytes` as a saved view's JSON.
pub fn view_state(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = crate::store::ViewState::from_json(text);
    }
}

/// Opens `bytes` as a graph file (written to a temporary file: the loader
/// reads files, as the app does).
pub fn graph_file(bytes: &[u8]) {
    let Ok(folder) = tempfile_folder() else {
        return;
    };
    let path = folder.join("fuzz.sqlite");
    if std::fs::write(&path, bytes).is_ok() {
        let cancel = Arc::new(AtomicBool::new(false));
        let _ = crate::store::load_graph(&path, &crate::store::LoadProgress::default(), &cancel);
    }
    let _ = std::fs::remove_dir_all(&folder);
}

/// A fresh folder under the system's temporary folder, unique to this
/// process and call.
fn tempfile_folder() -> std::io::Result<std::path::PathBuf> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let folder = std::env::temp_dir().join(format!(
        "linkscope-fuzz-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&folder)?;
    Ok(folder)
}
