//! Confirming a fuzzy anchor through the real window. The fixture is
//! `captured_cli`'s, with two letters of its document's text changed inside
//! the quote of excerpt 101 (cited by relations 1 and 2), so that only a
//! close match of that quote is left (2 edits in 28 chars, within 10%).
//! What the file holds after Save is read straight from SQLite, and the
//! expected row is worked out here with `str::find`, char counts and
//! `sha256sum`, not by the code under test.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use linkscope::app::LinkscopeApp;

use crate::ui::{app_harness, click_at, details_read, settled, step_until};

/// The quote as captured, and the document's words there now.
const CAPTURED: &str = "Crocus City Hall music venue";
const CHANGED: &str = "Crocus City Hall muzik venue";

/// Excerpt 101's anchor columns: text, start, end, prefix, suffix, hash,
/// state, note.
type AnchorRow = (
    String,
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn excerpt_101(path: &Path) -> AnchorRow {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT text, start_char, end_char, prefix, suffix, anchored_sha256, anchor_state, note
             FROM excerpts WHERE id = 101",
            [],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                ))
            },
        )
        .unwrap()
}

fn document_text(path: &Path) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT text FROM document_text WHERE document_id = 3",
            [],
            |row| row.get(0),
        )
        .unwrap()
}

/// The chars `start..end` of `text`.
fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// `sha256sum` of `text`.
fn sha256sum(text: &str) -> String {
    use std::io::Write as _;
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// `captured_cli`'s fixture with excerpt 101's passage changed in the text.
fn fuzzy_fixture(folder: &Path) -> PathBuf {
    let (path, _) = crate::captured_cli::fixture(folder);
    let text = document_text(&path);
    assert_eq!(text.matches(CAPTURED).count(), 1);
    assert_eq!(text.matches("Crocus City Hall").count(), 1);
    let changed = text.replace(CAPTURED, CHANGED);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE document_text SET text = ?1 WHERE document_id = 3",
            [&changed],
        )
        .unwrap();
    path
}

/// `linkscope check --json`'s state of excerpt 101.
fn checked_state(path: &Path) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_linkscope"))
        .args(["check", "--json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["captured_excerpts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["id"] == 101)
        .unwrap()["state"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Opens `path` and waits for its layout to settle (a file with a saved
/// view: for its view, whose layout is held).
fn open(path: &Path, saved_view: bool) -> Harness<'static, LinkscopeApp> {
    let mut harness = app_harness(path.to_path_buf(), egui::vec2(1400.0, 900.0));
    harness
        .ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    if saved_view {
        step_until(
            &mut harness,
            "the file and its view",
            crate::visibility::quiet,
        );
        harness.run_steps(3);
    } else {
        step_until(&mut harness, "the file to load and settle", settled);
    }
    harness
}

fn open_relation(harness: &mut Harness<'static, LinkscopeApp>, id: i64) {
    let edge = {
        let graph = harness.state().graph().unwrap();
        (0..graph.edge_count() as u32)
            .find(|&edge| graph.edge_db_id(edge) == id)
            .unwrap()
    };
    let target = harness.state_mut().edge_click_target(edge).unwrap();
    click_at(harness, target);
}

fn click_confirm(harness: &mut Harness<'static, LinkscopeApp>) {
    harness.get_by_label("Confirm").scroll_to_me();
    harness.run_steps(3);
    harness.get_by_label("Confirm").click();
    harness.run_steps(2);
    details_read(harness);
    harness.run_steps(2);
}

fn keys(harness: &mut Harness<'static, LinkscopeApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run_steps(2);
    details_read(harness);
    harness.run_steps(2);
}

fn save(harness: &mut Harness<'static, LinkscopeApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(harness, "the save to finish", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
}

/// The panel offers the proposal: fuzzy, its words, and Confirm.
fn shows_fuzzy(harness: &Harness<'static, LinkscopeApp>) {
    harness.get_by_label_contains("Fuzzy: only a close match");
    harness.get_by_label(&format!("Proposed passage: “{CHANGED}”"));
    harness.get_by_label("Confirm");
}

/// The panel shows the excerpt exact, quoting the document's words.
fn shows_confirmed(harness: &Harness<'static, LinkscopeApp>) {
    assert!(harness.query_by_label_contains("Fuzzy:").is_none());
    assert!(
        harness
            .query_by_label_contains("Proposed passage")
            .is_none()
    );
    assert!(harness.query_by_label("Confirm").is_none());
    harness.get_by_label(&format!("“{CHANGED}”"));
}

/// Today (UTC) as `date` prints it.
fn today() -> String {
    let output = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[test]
fn a_fuzzy_anchor_is_confirmed_in_memory_then_saved_exact_with_the_old_quote_in_its_note() {
    let folder = tempfile::tempdir().unwrap();
    let path = fuzzy_fixture(folder.path());
    assert_eq!(checked_state(&path), "fuzzy");
    let original = excerpt_101(&path);
    let mut harness = open(&path, false);
    open_relation(&mut harness, 1);
    shows_fuzzy(&harness);
    // The analyst's note and the capture time, as the fixture wrote them.
    harness.get_by_label("note 101");
    harness.get_by_label("2026-03-01T10:15:00Z");
    let before = std::fs::read(&path).unwrap();

    click_confirm(&mut harness);
    shows_confirmed(&harness);
    // The note now keeps the quote as it was captured.
    harness.get_by_label_contains(&format!("captured as: «{CAPTURED}»"));
    assert!(harness.state().has_unsaved_changes());
    assert_eq!(
        harness.state().undo_text(),
        Some("Confirm \"Crocus City Hall muzik v...\"")
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "nothing is written before Save"
    );
    // The other relation citing the excerpt shows it confirmed too.
    open_relation(&mut harness, 2);
    shows_confirmed(&harness);

    let date = today();
    save(&mut harness);
    drop(harness);
    let text = document_text(&path);
    let byte = text.find(CHANGED).unwrap();
    let start = text[..byte].chars().count();
    let end = start + CHANGED.chars().count();
    let (quote, start_char, end_char, prefix, suffix, sha, state, note) = excerpt_101(&path);
    assert_eq!((start_char as usize, end_char as usize), (start, end));
    assert_eq!(quote, chars(&text, start, end), "the text is the slice");
    assert_eq!(quote, CHANGED);
    assert_eq!(prefix, chars(&text, start - 32, start));
    assert_eq!(suffix, chars(&text, end, end + 32));
    assert_eq!(sha, sha256sum(&text));
    assert_eq!(state.as_deref(), Some("exact"));
    assert_eq!(
        note.as_deref(),
        Some(
            format!(
                "{}\nRe-anchored on {date}; captured as: «{CAPTURED}»",
                original.7.as_deref().unwrap()
            )
            .as_str()
        )
    );
    assert_eq!(original.0, CAPTURED);
    assert_eq!(checked_state(&path), "exact");

    // Reopened: exact, with nothing to confirm.
    let mut harness = open(&path, true);
    open_relation(&mut harness, 1);
    shows_confirmed(&harness);
}

#[test]
fn a_confirm_undone_before_save_writes_nothing_and_one_undone_after_save_writes_the_row_back() {
    let folder = tempfile::tempdir().unwrap();
    let path = fuzzy_fixture(folder.path());
    let original = excerpt_101(&path);
    let mut harness = open(&path, false);
    open_relation(&mut harness, 1);

    // Undone before Save: there is nothing of it to write.
    click_confirm(&mut harness);
    shows_confirmed(&harness);
    keys(&mut harness, Modifiers::COMMAND, Key::Z);
    shows_fuzzy(&harness);
    assert!(!harness.state().captures().unwrap().has_unsaved());
    save(&mut harness);
    assert_eq!(excerpt_101(&path), original);

    // Saved, then undone: the next Save writes the old row back.
    click_confirm(&mut harness);
    save(&mut harness);
    let confirmed = excerpt_101(&path);
    assert_eq!(confirmed.0, CHANGED);
    keys(&mut harness, Modifiers::COMMAND, Key::Z);
    shows_fuzzy(&harness);
    assert!(harness.state().captures().unwrap().has_unsaved());
    save(&mut harness);
    assert_eq!(excerpt_101(&path), original);
    assert_eq!(checked_state(&path), "fuzzy");

    // Redone: confirmed again, and written again by the next Save.
    keys(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    shows_confirmed(&harness);
    save(&mut harness);
    assert_eq!(excerpt_101(&path), confirmed);
    assert_eq!(checked_state(&path), "exact");
}

/// File ▸ Export Evidence Table… before Save writes the excerpt as it is
/// confirmed in the window (the document's words), not as the file holds
/// it; after an undo, as the file holds it again.
#[test]
fn an_evidence_table_before_save_quotes_the_confirmed_passage() {
    let folder = tempfile::tempdir().unwrap();
    let path = fuzzy_fixture(folder.path());
    let mut harness = open(&path, false);
    open_relation(&mut harness, 1);
    click_confirm(&mut harness);
    let export = |harness: &mut Harness<'static, LinkscopeApp>, name: &str| {
        let target = folder.path().join(name);
        harness.get_by_label("File").click();
        harness.run_steps(2);
        harness
            .get(
                egui_kittest::kittest::By::new()
                    .role(egui::accesskit::Role::Button)
                    .label("Export Evidence Table…"),
            )
            .click();
        harness.run_steps(4);
        // Relation 1 is selected: its table alone.
        harness
            .get_by_label_contains("The selected relation: ")
            .click();
        harness.run_steps(2);
        step_until(harness, "the path field", LinkscopeApp::is_asking_for_path);
        let field = harness.get_by_role(egui::accesskit::Role::TextInput);
        field.focus();
        field.type_text(&target.display().to_string());
        harness.run_steps(2);
        harness.get_by_label("Export").click();
        step_until(harness, "the export to finish", |app| {
            !app.is_asking_for_path() && !app.is_exporting_evidence()
        });
        std::fs::read_to_string(&target).unwrap()
    };
    // Quoted whole (the sample's excerpt 1 holds the captured words in a
    // longer sentence).
    let (confirmed, captured) = (format!("“{CHANGED}”"), format!("“{CAPTURED}”"));
    let table = export(&mut harness, "confirmed.md");
    assert!(table.contains(&confirmed), "{table}");
    assert!(!table.contains(&captured), "{table}");
    keys(&mut harness, Modifiers::COMMAND, Key::Z);
    let table = export(&mut harness, "undone.md");
    assert!(table.contains(&captured), "{table}");
    assert!(!table.contains(&confirmed), "{table}");
}

/// The reader's marks, as (start, end) in chars.
fn marks(harness: &Harness<'static, LinkscopeApp>) -> Vec<(usize, usize)> {
    harness
        .state()
        .reader()
        .unwrap()
        .highlights
        .iter()
        .map(|highlight| (highlight.start, highlight.end))
        .collect()
}

#[test]
fn the_readers_mark_follows_a_confirm_and_its_undo() {
    let folder = tempfile::tempdir().unwrap();
    let path = fuzzy_fixture(folder.path());
    // A line put in at the top moves the changed passage on.
    let text = format!("Updated with a correction.\n{}", document_text(&path));
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE document_text SET text = ?1, n_chars = ?2 WHERE document_id = 3",
            rusqlite::params![text, text.chars().count() as i64],
        )
        .unwrap();
    assert_eq!(checked_state(&path), "fuzzy");
    let (_, start, end, ..) = excerpt_101(&path);
    let stored = (start as usize, end as usize);
    let byte = text.find(CHANGED).unwrap();
    let moved_start = text[..byte].chars().count();
    let moved = (moved_start, moved_start + CHANGED.chars().count());
    assert_ne!(stored, moved);

    let mut harness = open(&path, false);
    open_relation(&mut harness, 1);
    harness.get_by_label("Open in source").scroll_to_me();
    harness.run_steps(3);
    harness.get_by_label("Open in source").click();
    step_until(&mut harness, "the stored source to open", |app| {
        app.reader().is_some() && !app.is_capturing()
    });
    harness.run_steps(2);
    assert!(marks(&harness).contains(&stored), "{:?}", marks(&harness));

    click_confirm(&mut harness);
    let shown = marks(&harness);
    assert!(shown.contains(&moved), "{shown:?}");
    assert!(!shown.contains(&stored), "{shown:?}");

    keys(&mut harness, Modifiers::COMMAND, Key::Z);
    let shown = marks(&harness);
    assert!(shown.contains(&stored), "{shown:?}");
    assert!(!shown.contains(&moved), "{shown:?}");
}
