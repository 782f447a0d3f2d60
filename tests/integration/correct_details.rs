//! Correcting a saved document's details through the real window: the
//! seed article is added to a copy of the sample, one passage captured and
//! saved; then the title typed anew in Source details shows in the reader
//! and the evidence panel at once, the file unchanged until Save, which
//! rewrites the title and nothing of the text or its hashes; a change of
//! reliability regrades the captured relation's support in memory; Undo
//! then Save writes the old values back. Reopened, the document the file
//! now holds (opened from the evidence panel) is corrected the same way.
//!
//! The sample's own documents cannot be corrected in the reader: the file
//! holds no text of theirs (`document_text`), so the reader cannot show
//! them. The document added and saved here stands in for one the file held
//! before the session.

use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};
use linkscope::app::LinkscopeApp;

use crate::capture_ui::{
    PASSAGE, add_source, copies, find_in_reader, press, the_new_relation, type_text,
};
use crate::ui::{app_harness, click_at, settled, step_until};

const CORRECTED: &str = "Crocus City Hall attack: what Ufuq News reported";

/// The article's row: title, author, reliability, and what must never
/// change (the text, its hashes, the extractor, the file name).
#[derive(Clone, Debug, PartialEq)]
struct Row {
    title: String,
    author: Option<String>,
    reliability: Option<String>,
    fixed: (String, String, String, String, String),
}

fn article_row(graph: &Path) -> Row {
    let connection = rusqlite::Connection::open(graph).unwrap();
    connection
        .query_row(
            "SELECT d.title, d.author, d.reliability, t.text, d.sha256_text, d.sha256_bytes,
                    d.extractor, d.file_name
             FROM documents d JOIN document_text t ON t.document_id = d.id
             WHERE d.file_name = 'ufuq-article.txt'",
            [],
            |row| {
                Ok(Row {
                    title: row.get(0)?,
                    author: row.get(1)?,
                    reliability: row.get(2)?,
                    fixed: (
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                        row.get(7)?,
                    ),
                })
            },
        )
        .unwrap()
}

fn support(app: &LinkscopeApp) -> f32 {
    let edge = the_new_relation(app).unwrap();
    app.graph().unwrap().edge_support(edge)
}

fn quiet(harness: &mut Harness<'_, LinkscopeApp>) {
    step_until(harness, "the graph and the evidence to settle", |app| {
        !app.is_capturing() && !app.is_reading_details()
    });
    harness.run_steps(3);
}

fn save(harness: &mut Harness<'_, LinkscopeApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(harness, "the save to finish", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
}

fn undo(harness: &mut Harness<'_, LinkscopeApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    quiet(harness);
}

/// How many labels say `text` exactly (the reader's heading and the
/// evidence panel's document each say the title).
fn labels(harness: &Harness<'_, LinkscopeApp>, text: &str) -> usize {
    harness.query_all_by_label(text).count()
}

/// Types `text` into the reader's `field` of Source details, replacing
/// what it held, in two goes, then leaves it with Tab.
fn retype(harness: &mut Harness<'_, LinkscopeApp>, field: &str, text: &str) {
    harness
        .get(By::new().role(Role::TextInput).label(field))
        .focus();
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    let (first, rest) = text.split_at(text.len() / 2);
    type_text(harness, first);
    type_text(harness, rest);
    press(harness, Key::Tab);
    quiet(harness);
}

/// Adds the article and captures the passage as a new relation, with the
/// keyboard (as `capture_ui` does).
fn add_and_capture(harness: &mut Harness<'_, LinkscopeApp>, article: &Path) {
    add_source(harness, article);
    find_in_reader(harness, PASSAGE);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    harness.run_steps(3);
    type_text(harness, "Crocus City");
    press(harness, Key::Tab);
    type_text(harness, "took_place_in");
    press(harness, Key::Tab);
    type_text(harness, "Moscow");
    press(harness, Key::Tab);
    type_text(harness, "place");
    press(harness, Key::Enter);
    step_until(harness, "the graph to grow by the capture", |app| {
        the_new_relation(app).is_some() && !app.is_capturing()
    });
    quiet(harness);
}

#[test]
fn a_saved_documents_title_and_grade_are_corrected_saved_and_undone() {
    let (_folder, graph, article) = copies();
    let mut harness = app_harness(graph.clone(), egui::vec2(1400.0, 900.0));
    harness
        .ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    step_until(&mut harness, "the copy to load and settle", settled);
    add_and_capture(&mut harness, &article);
    save(&mut harness);
    let saved = article_row(&graph);
    assert_eq!(saved.reliability, None);
    // No grade and no credibility: 0.5 × 0.5.
    let ungraded = support(harness.state());
    assert!((ungraded - 0.25).abs() < 1e-6, "{ungraded}");
    let bytes_saved = std::fs::read(&graph).unwrap();

    harness.get_by_label("Source details").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Corrections of these details are undoable edits");
    assert_eq!(
        labels(&harness, &saved.title),
        2,
        "reader and evidence panel"
    );
    retype(&mut harness, "Title", CORRECTED);
    assert_eq!(
        labels(&harness, CORRECTED),
        2,
        "the reader's heading and the evidence panel show the new title"
    );
    assert_eq!(labels(&harness, &saved.title), 0);
    let short: String = saved.title.chars().take(24).collect();
    let more = if saved.title.chars().count() > 24 {
        "..."
    } else {
        ""
    };
    assert_eq!(
        harness.state().undo_text(),
        Some(format!("Change the title of \"{short}{more}\"").as_str()),
        "typing in one field is one edit"
    );
    assert!(harness.state().has_unsaved_changes());
    assert_eq!(
        std::fs::read(&graph).unwrap(),
        bytes_saved,
        "nothing is written before Save"
    );

    // Reliability A: the captured excerpt weighs 0.9 × 0.5 now.
    harness.get_by_label("A").click();
    harness.run_steps(2);
    quiet(&mut harness);
    let graded = support(harness.state());
    assert!((graded - 0.45).abs() < 1e-6, "{graded}");
    save(&mut harness);
    let corrected = article_row(&graph);
    assert_eq!(corrected.title, CORRECTED);
    assert_eq!(corrected.reliability.as_deref(), Some("A"));
    assert_eq!(corrected.author, saved.author);
    assert_eq!(
        corrected.fixed, saved.fixed,
        "text, hashes and file untouched"
    );

    // One undo takes the grade back, the support exactly as it was; the
    // next the whole title. Save writes the old values back.
    undo(&mut harness);
    assert_eq!(support(harness.state()).to_bits(), ungraded.to_bits());
    undo(&mut harness);
    assert_eq!(labels(&harness, &saved.title), 2);
    assert_eq!(labels(&harness, CORRECTED), 0);
    save(&mut harness);
    assert_eq!(article_row(&graph), saved);
    drop(harness);

    // Reopened: the document is one the file held before this session.
    let mut harness = app_harness(graph.clone(), egui::vec2(1400.0, 900.0));
    harness
        .ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    // A saved view holds its layout: wait for the view, not for a settle.
    step_until(
        &mut harness,
        "the saved file and its view",
        crate::visibility::quiet,
    );
    harness.run_steps(3);
    let edge = the_new_relation(harness.state()).expect("the capture was saved");
    let target = harness.state_mut().edge_click_target(edge).unwrap();
    click_at(&mut harness, target);
    quiet(&mut harness);
    harness.get_by_label("Open in source").click();
    step_until(&mut harness, "the stored source to open", |app| {
        app.reader().is_some() && !app.is_capturing()
    });
    quiet(&mut harness);
    harness.get_by_label("Source details").click();
    harness.run_steps(2);
    retype(&mut harness, "Author", "Ufuq News desk");
    harness.get_by_label("Ufuq News desk");
    harness.get_by_label("B").click();
    harness.run_steps(2);
    quiet(&mut harness);
    // B: 0.75 × 0.5, found from the file's excerpt.
    let graded = support(harness.state());
    assert!((graded - 0.375).abs() < 1e-6, "{graded}");
    save(&mut harness);
    let corrected = article_row(&graph);
    assert_eq!(corrected.author.as_deref(), Some("Ufuq News desk"));
    assert_eq!(corrected.reliability.as_deref(), Some("B"));
    assert_eq!(corrected.title, saved.title);
    assert_eq!(corrected.fixed, saved.fixed);
    undo(&mut harness);
    undo(&mut harness);
    assert_eq!(support(harness.state()).to_bits(), ungraded.to_bits());
    save(&mut harness);
    assert_eq!(article_row(&graph), saved);
}

/// View ▸ Reader on a file just opened shows the first document whose
/// text the file holds (no capture needed first), and its details can be
/// corrected there.
#[test]
fn the_reader_opened_on_a_file_shows_its_stored_source() {
    let folder = tempfile::tempdir().unwrap();
    let (graph, _) = crate::captured_cli::fixture(folder.path());
    let mut harness = app_harness(graph.clone(), egui::vec2(1400.0, 900.0));
    harness
        .ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    step_until(&mut harness, "the file to load and settle", settled);
    assert!(harness.state().reader().is_none());
    crate::visibility::view_menu(&mut harness, "Reader");
    step_until(&mut harness, "the stored source to open", |app| {
        app.reader().is_some() && !app.is_capturing()
    });
    harness.run_steps(2);
    harness.get_by_label("Security Cooperation (captured)");
    harness.get_by_label("Source details").click();
    harness.run_steps(2);
    retype(&mut harness, "Title", "Security cooperation, captured");
    harness.get_by_label("Security cooperation, captured");
    save(&mut harness);
    let title: String = rusqlite::Connection::open(&graph)
        .unwrap()
        .query_row("SELECT title FROM documents WHERE id = 3", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(title, "Security cooperation, captured");
}
