//! The sources footer of a picture exported from the window while a filter
//! or a focus hides part of the graph: it names exactly the documents
//! behind the relations drawn, as plain SQL on the file finds them, not
//! those of every relation in the file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use egui::Modifiers;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use linkscope::app::LinkscopeApp;

use crate::ui::{app_harness, click_file_menu_item, settled, step_until, type_path};
use crate::visibility::{quiet, select_entity, set_hops, settle_view, view_menu};

/// Six actors in a row and one shortcut: relation k joins actor k and
/// actor k + 1 (1 → 3 for relation 6), each cites its own document k
/// (relation 6 also document 1); `funds` and `met_with` alternate.
fn footer_file(folder: &Path) -> PathBuf {
    let path = folder.join("footer.sqlite");
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "PRAGMA user_version = 1;
         CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, description TEXT, date_start TEXT, date_end TEXT, properties TEXT);
         CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL, object_id INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT, date_start TEXT, date_end TEXT, properties TEXT);
         CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT, publisher TEXT, url TEXT, published TEXT, language TEXT, reliability TEXT);
         CREATE TABLE excerpts (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, text TEXT NOT NULL, locator TEXT, credibility TEXT);
         CREATE TABLE relation_excerpts (relation_id INTEGER NOT NULL, excerpt_id INTEGER NOT NULL, PRIMARY KEY (relation_id, excerpt_id));
         INSERT INTO entities (id, kind, name) VALUES
             (1, 'actor', 'Ada'), (2, 'actor', 'Bo'), (3, 'actor', 'Cy'),
             (4, 'actor', 'Di'), (5, 'actor', 'Ed'), (6, 'actor', 'Flo');
         INSERT INTO relations (id, subject_id, object_id, kind) VALUES
             (1, 1, 2, 'met_with'), (2, 2, 3, 'met_with'), (3, 3, 4, 'funds'),
             (4, 4, 5, 'funds'), (5, 5, 6, 'met_with'), (6, 1, 3, 'funds');
         INSERT INTO documents (id, title) VALUES
             (1, 'Report one'), (2, 'Report two'), (3, 'Report three'),
             (4, 'Report four'), (5, 'Report five'), (6, 'Report six');
         INSERT INTO excerpts (id, document_id, text) VALUES
             (1, 1, 'one'), (2, 2, 'two'), (3, 3, 'three'), (4, 4, 'four'),
             (5, 5, 'five'), (6, 6, 'six'), (7, 1, 'one again');
         INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES
             (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (6, 7);",
    )
    .unwrap();
    path
}

/// Ids of the documents behind the relations that `relations_sql` selects
/// (a query returning relation ids), in plain SQL.
fn documents_behind(file: &Path, relations_sql: &str) -> BTreeSet<i64> {
    let db =
        rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut statement = db
        .prepare(&format!(
            "SELECT DISTINCT x.document_id FROM relation_excerpts l \
             JOIN excerpts x ON x.id = l.excerpt_id WHERE l.relation_id IN ({relations_sql})"
        ))
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The document ids the SVG's footer names ("[3] Report three").
fn footer_documents(svg: &str) -> BTreeSet<i64> {
    svg.split("<text ")
        .skip(1)
        .filter(|element| element.contains(r#"font-size="10.5""#))
        .filter_map(|element| {
            let text = element.split_once('>')?.1.split_once("</text>")?.0;
            let id = text.strip_prefix('[')?.split_once(']')?.0;
            id.parse().ok()
        })
        .collect()
}

/// File ▸ Export… as SVG of `area` ("Whole graph" or "Current view"),
/// with the sources footer, to `out`; returns the SVG's text.
fn export_svg(harness: &mut Harness<'_, LinkscopeApp>, area: &str, out: &Path) -> String {
    click_file_menu_item(harness, "Export…");
    harness.run_steps(3);
    harness.get_by_label("SVG").click();
    harness.get_by_label(area).click();
    harness.run_steps(2);
    harness.get_by_label("Export…").click();
    harness.run_steps(3);
    type_path(harness, out);
    harness.get_by_label("Export").click();
    step_until(harness, "the export to be written", |app| {
        !app.is_exporting()
            && app
                .last_export()
                .is_some_and(|written| written.ends_with(out))
    });
    harness.get_by_label("Close").click();
    harness.run_steps(2);
    std::fs::read_to_string(out).unwrap()
}

/// Issue 18 part 11: a filter, a focus (the whole graph and the current
/// view), and both together; each time the footer cites exactly the
/// documents of the relations drawn.
#[test]
fn the_export_footer_cites_only_what_is_drawn() {
    let folder = tempfile::tempdir().unwrap();
    let file = footer_file(folder.path());
    let mut harness = app_harness(file.clone(), egui::vec2(1200.0, 900.0));
    step_until(&mut harness, "the file to load and settle", |app| {
        settled(app) && quiet(app)
    });

    let everything = export_svg(&mut harness, "Whole graph", &folder.path().join("all.svg"));
    let all = documents_behind(&file, "SELECT id FROM relations");
    assert_eq!(all.len(), 6);
    assert_eq!(footer_documents(&everything), all, "nothing hidden yet");

    // A filter: "funds" left out.
    view_menu(&mut harness, "Filters…");
    harness.get_by_label("funds").click();
    settle_view(&mut harness);
    let filtered = export_svg(
        &mut harness,
        "Whole graph",
        &folder.path().join("filtered.svg"),
    );
    let expected = documents_behind(&file, "SELECT id FROM relations WHERE kind <> 'funds'");
    assert_eq!(expected, BTreeSet::from([1, 2, 5]));
    assert_eq!(footer_documents(&filtered), expected, "filtered");
    harness.get_by_label("funds").click();
    view_menu(&mut harness, "Filters…");
    settle_view(&mut harness);
    harness.key_press(egui::Key::F);
    harness.run_steps(4);

    // A focus: Ada and her neighbours, and the relations among them.
    select_entity(&mut harness, 1);
    set_hops(&mut harness, 1);
    harness.key_press_modifiers(Modifiers::SHIFT, egui::Key::F);
    settle_view(&mut harness);
    let neighbourhood = "SELECT 1 UNION SELECT object_id FROM relations WHERE subject_id = 1 \
                         UNION SELECT subject_id FROM relations WHERE object_id = 1";
    let in_focus = format!(
        "SELECT id FROM relations WHERE subject_id IN ({neighbourhood}) \
         AND object_id IN ({neighbourhood})"
    );
    let focused = export_svg(
        &mut harness,
        "Whole graph",
        &folder.path().join("focus.svg"),
    );
    let expected = documents_behind(&file, &in_focus);
    assert_eq!(expected, BTreeSet::from([1, 2, 6]));
    assert_eq!(footer_documents(&focused), expected, "focused");
    // The focus is fitted, so the current view draws the same relations.
    let focused_view = export_svg(
        &mut harness,
        "Current view",
        &folder.path().join("focus-view.svg"),
    );
    assert_eq!(
        footer_documents(&focused_view),
        expected,
        "the current view"
    );

    // Both: the focus, without "met_with" (nothing selected, so that the
    // details panel does not name the kind too).
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert_eq!(harness.state().selection(), None);
    view_menu(&mut harness, "Filters…");
    harness.get_by_label("met_with").click();
    settle_view(&mut harness);
    let both = export_svg(&mut harness, "Whole graph", &folder.path().join("both.svg"));
    let expected = documents_behind(&file, &format!("{in_focus} AND kind <> 'met_with'"));
    assert_eq!(expected, BTreeSet::from([1, 6]));
    assert_eq!(footer_documents(&both), expected, "focused and filtered");
}
