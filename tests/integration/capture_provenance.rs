//! A source's provenance through the real window: a web page saved by a
//! browser as MHTML is added with File > Add Source, its URL and capture
//! time come from the archive's own headers, Save writes them with the
//! file's SHA-256 (checked against `sha256sum`), the same bytes again are
//! the same document, and changed bytes under the same name are a new
//! document that supersedes it, the old row left as it was.

use std::path::{Path, PathBuf};
use std::process::Command;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};
use linkscope::app::LinkscopeApp;

use crate::ui::{app_harness, click_file_menu_item, sample_path, settled, step_until};

const MHTML: &str = "tests/fixtures/sources/article.mhtml";

/// The header's value, read from the archive's bytes by hand.
fn header(bytes: &str, name: &str) -> String {
    bytes
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(": "))
        .unwrap()
        .trim()
        .to_owned()
}

fn sha256sum(path: &Path) -> String {
    let output = Command::new("sha256sum").arg(path).output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()[..64].to_owned()
}

/// File > Add Source the first time; then the reader's own button (the
/// menu's item and it would both match).
fn add_source(harness: &mut Harness<'_, LinkscopeApp>, path: &Path) {
    if harness.state().reader().is_some() {
        harness.get_by_label("Add Source...").click();
    } else {
        click_file_menu_item(harness, "Add Source");
    }
    harness.run_steps(2);
    harness.event(egui::Event::Text(path.display().to_string()));
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    step_until(harness, "the source to be read", |app| {
        app.reader().is_some() && !app.is_capturing()
    });
}

fn save(harness: &mut Harness<'_, LinkscopeApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(harness, "the save to finish", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
}

/// `(id, url, sha256_bytes, retrieved_at, source_kind, file_name,
/// supersedes_id)` of each document the window added, by id.
type DocumentRow = (
    i64,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    Option<i64>,
);

fn added_documents(graph: &PathBuf) -> Vec<DocumentRow> {
    let connection = rusqlite::Connection::open(graph).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT id, url, sha256_bytes, retrieved_at, source_kind, file_name, supersedes_id
             FROM documents WHERE sha256_bytes IS NOT NULL ORDER BY id",
        )
        .unwrap();
    statement
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn an_mhtml_source_keeps_its_url_and_a_changed_copy_supersedes_it() {
    let folder = tempfile::tempdir().unwrap();
    let graph = folder.path().join("case.sqlite");
    std::fs::copy(sample_path(), &graph).unwrap();
    let page = folder.path().join("monitor-page.mhtml");
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(MHTML)).unwrap();
    std::fs::write(&page, &original).unwrap();
    let url = header(&original, "Snapshot-Content-Location");
    assert_eq!(header(&original, "Date"), "Mon, 07 Dec 2026 22:27:57 GMT");

    let mut harness = app_harness(graph.clone(), egui::vec2(1400.0, 900.0));
    harness
        .ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    step_until(&mut harness, "the copy to load and settle", settled);
    add_source(&mut harness, &page);

    // What the reader says of the source before anything is saved.
    assert!(
        harness.query_by_label("Retrieved when?").is_none(),
        "the archive says when it was captured"
    );
    harness.get_by_label("Source details").click();
    harness.run_steps(2);
    harness.get_by_label("Kind: mhtml");
    harness.get_by_label("File: monitor-page.mhtml");
    harness.get(By::new().role(egui::accesskit::Role::TextInput).value(&url));
    assert!(
        std::fs::read(&graph).unwrap() == std::fs::read(sample_path()).unwrap(),
        "nothing is written before Save"
    );
    save(&mut harness);

    let first_sha = sha256sum(&page);
    let rows = added_documents(&graph);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (first_id, stored_url, stored_sha, retrieved, kind, file_name, supersedes) =
        rows[0].clone();
    assert_eq!(stored_url.as_deref(), Some(url.as_str()));
    assert_eq!(stored_sha, first_sha);
    // "Mon, 07 Dec 2026 22:27:57 GMT", in RFC 3339.
    let retrieved = retrieved.unwrap();
    assert!(
        retrieved.starts_with("2026-12-07T22:27:57"),
        "retrieved_at {retrieved}"
    );
    assert_eq!(kind, "mhtml");
    assert_eq!(file_name, "monitor-page.mhtml");
    assert_eq!(supersedes, None);

    // The same bytes again: the same document, nothing to save.
    add_source(&mut harness, &page);
    assert!(!harness.state().has_unsaved_changes());
    harness.get_by_label_contains("Saved in the file");
    assert_eq!(added_documents(&graph).len(), 1);

    // The page changed (a word of its body), under the same name.
    let changed = original.replacen("Moscow", "Moskva", 8);
    assert_ne!(changed, original);
    std::fs::write(&page, &changed).unwrap();
    add_source(&mut harness, &page);
    harness.get_by_label("Source details").click();
    harness.run_steps(2);
    harness.get_by_label(&format!("A new version of document {first_id}"));
    save(&mut harness);

    let rows = added_documents(&graph);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].0, first_id);
    assert_eq!(rows[0].2, first_sha, "the old version is left as it was");
    let (_, new_url, new_sha, _, _, new_name, new_supersedes) = rows[1].clone();
    assert_eq!(new_sha, sha256sum(&page));
    assert_ne!(new_sha, first_sha);
    assert_eq!(new_supersedes, Some(first_id));
    assert_eq!(new_name, "monitor-page.mhtml");
    assert_eq!(new_url.as_deref(), Some(url.as_str()));
}

/// A text file does not say when it was retrieved, so the reader asks; a
/// typed answer that is not a date is flagged, and the date given is what
/// Save writes.
#[test]
fn a_text_source_asks_when_it_was_retrieved() {
    let folder = tempfile::tempdir().unwrap();
    let graph = folder.path().join("case.sqlite");
    std::fs::copy(sample_path(), &graph).unwrap();
    let article = folder.path().join("article.txt");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sources/article-utf8.txt"),
        &article,
    )
    .unwrap();
    let mut harness = app_harness(graph.clone(), egui::vec2(1400.0, 900.0));
    step_until(&mut harness, "the copy to load and settle", settled);
    add_source(&mut harness, &article);
    harness.get_by_label("Retrieved when?");
    let field = || {
        By::new()
            .role(egui::accesskit::Role::TextInput)
            .label("Retrieved when?")
    };
    harness.get(field()).focus();
    harness.run_steps(1);
    harness.event(egui::Event::Text("2024-13-06".to_owned()));
    harness.run_steps(2);
    harness.get_by_label("not a date");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text("2024-03-06".to_owned()));
    harness.run_steps(2);
    assert!(harness.query_by_label("not a date").is_none());
    // The question stays while it is answered.
    harness.get(field());
    save(&mut harness);
    let rows = added_documents(&graph);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].3.as_deref(), Some("2024-03-06"));
    assert_eq!(rows[0].4, "txt");
}
