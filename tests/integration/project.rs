//! Projects: the view saved into the graph file and read back. Real files,
//! written by the app's own save and checked with plain SQL and SHA-256.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use egui_kittest::kittest::{By, Queryable as _};
use linkscope::layout::LayoutSettings;
use linkscope::store::{
    LoadProgress, LoadedGraph, SavedCamera, SavedPosition, SavedSelection, StoreError, ViewState,
    generate_graph_file, load_graph, save_view, save_view_as,
};
use sha2::{Digest as _, Sha256};

use crate::ui::{app_harness, sample_path, step_until};

pub(crate) const DATA_TABLES: [&str; 5] = [
    "entities",
    "relations",
    "documents",
    "excerpts",
    "relation_excerpts",
];

/// SHA-256 of every data table's full contents, in rowid order.
pub(crate) fn data_digest(path: &Path) -> String {
    let connection =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut hasher = Sha256::new();
    for table in DATA_TABLES {
        hasher.update(table.as_bytes());
        let mut statement = connection
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let columns = statement.column_count();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for column in 0..columns {
                let value: rusqlite::types::Value = row.get(column).unwrap();
                hasher.update(format!("{value:?}|").as_bytes());
            }
            hasher.update(b"\n");
        }
    }
    format!("{:x}", hasher.finalize())
}

/// SHA-256 of `bytes` in lowercase hex (as `sha256sum` prints it).
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut hex = String::new();
    for byte in Sha256::digest(bytes) {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

fn load(path: &Path) -> LoadedGraph {
    load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap()
}

/// A generated file with two rows the loader skips (an entity without a
/// name, a relation to a missing entity), placed before real ones so that
/// in-memory indices and database ids differ.
fn file_with_skipped_rows(folder: &Path) -> PathBuf {
    let path = folder.join("skipped.sqlite");
    generate_graph_file(
        &path,
        &linkscope::store::GenerateOptions {
            nodes: 60,
            edges: 150,
            ..Default::default()
        },
    )
    .unwrap();
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO entities (id, kind, name) VALUES (-5, 'actor', x'80');
             INSERT INTO relations (id, subject_id, object_id, kind) VALUES (-7, 1, 999999, 'knows');",
        )
        .unwrap();
    path
}

/// A view that places every entity of `loaded` somewhere recognisable.
fn distinctive_view(loaded: &LoadedGraph) -> ViewState {
    let graph = &loaded.graph;
    ViewState {
        positions: (0..graph.node_count() as u32)
            .map(|node| {
                let id = graph.node_db_id(node);
                SavedPosition {
                    entity_id: id,
                    world: [id as f32 * 1.5 + 0.25, -(id as f32) * 0.75],
                    pinned: id % 7 == 0,
                }
            })
            .collect(),
        camera: Some(SavedCamera {
            center: [3.5, -2.25],
            zoom: 6.5,
        }),
        selection: Some(SavedSelection::Relation(graph.edge_db_id(3))),
        layout: Some(LayoutSettings {
            scaling_ratio: 7.5,
            lin_log: true,
            ..LayoutSettings::default()
        }),
        ..ViewState::default()
    }
}

fn sorted(mut positions: Vec<SavedPosition>) -> Vec<SavedPosition> {
    positions.sort_by_key(|position| position.entity_id);
    positions
}

#[test]
fn a_saved_view_reopens_exactly_even_with_skipped_rows() {
    let folder = tempfile::tempdir().unwrap();
    let path = file_with_skipped_rows(folder.path());
    let before = load(&path);
    assert!(
        before.report.rows_skipped >= 2,
        "{:?}",
        before.report.summary()
    );
    assert!(before.view.is_none(), "a fresh file has no saved view");
    let view = distinctive_view(&before);
    let digest = data_digest(&path);
    let outcome = save_view(&path, &view).unwrap();
    assert_eq!(outcome.positions, before.graph.node_count());
    assert_eq!(
        data_digest(&path),
        digest,
        "a save never touches the data tables"
    );

    let after = load(&path);
    let restored = after.view.expect("the saved view is read back");
    assert_eq!(
        sorted(restored.positions.clone()),
        sorted(view.positions.clone())
    );
    assert_eq!(restored.camera, view.camera);
    assert_eq!(restored.selection, view.selection);
    assert_eq!(restored.layout, view.layout);
    assert!(
        !after
            .report
            .notes
            .iter()
            .any(|note| note.starts_with("saved view")),
        "{:?}",
        after.report.notes
    );

    // The layout starts exactly at the saved positions, keyed by id.
    let document = linkscope::jobs::prepare_document(
        &path,
        1,
        &LayoutSettings::default(),
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap();
    let layout = document.layout();
    let mut positions = Vec::new();
    layout.copy_positions_into(&mut positions);
    let graph = &document.loaded.graph;
    for saved in &view.positions {
        let node = graph.node_by_db_id(saved.entity_id).unwrap();
        // Bit for bit: the picture is the saved one, not a close one.
        assert_eq!(
            positions[node as usize].map(f32::to_bits),
            saved.world.map(f32::to_bits),
            "entity {}",
            saved.entity_id
        );
        assert_eq!(layout.is_pinned(node), saved.pinned);
    }
    assert_eq!(document.layout_settings, view.layout.clone().unwrap());
}

#[test]
fn save_as_writes_a_full_copy_and_leaves_the_original_alone() {
    let folder = tempfile::tempdir().unwrap();
    let path = file_with_skipped_rows(folder.path());
    let original = std::fs::read(&path).unwrap();
    let loaded = load(&path);
    let copy = folder.path().join("copy.sqlite");
    save_view_as(&path, &copy, &distinctive_view(&loaded), None).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        original,
        "the original is not written"
    );
    assert_eq!(data_digest(&copy), data_digest(&path));
    assert!(load(&copy).view.is_some());
    assert!(load(&path).view.is_none());
}

#[test]
fn a_read_only_file_refuses_a_save_with_a_reason() {
    let folder = tempfile::tempdir().unwrap();
    let path = file_with_skipped_rows(folder.path());
    let loaded = load(&path);
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let original = std::fs::read(&path).unwrap();
    let error = save_view(&path, &distinctive_view(&loaded)).unwrap_err();
    assert!(matches!(error, StoreError::ReadOnly { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("read-only") && message.contains("Save As"),
        "{message}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), original);
    // It still opens.
    assert_eq!(load(&path).graph.node_count(), loaded.graph.node_count());
}

/// A stranger's file with triggers that would delete the relations when a
/// view is saved, a view posing as a saved-view table, and a trigger on a
/// data table: the save runs none of them and leaves the data as it was.
#[test]
fn saving_into_a_file_with_hostile_triggers_runs_none_of_them() {
    let folder = tempfile::tempdir().unwrap();
    let path = file_with_skipped_rows(folder.path());
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE app_positions (entity_id INTEGER PRIMARY KEY, x REAL, y REAL, pinned INTEGER);
             CREATE TRIGGER wipe_on_position AFTER INSERT ON app_positions
                 BEGIN DELETE FROM relations; UPDATE entities SET name = 'pwned'; END;
             CREATE TRIGGER wipe_on_delete BEFORE DELETE ON app_positions
                 BEGIN DELETE FROM excerpts; END;
             CREATE VIEW app_view AS SELECT 'view' AS key, 1 AS version, '' AS app_version,
                 '' AS saved_at, '{\"version\":1}' AS state;
             CREATE TRIGGER guard_entities BEFORE UPDATE ON entities
                 BEGIN SELECT RAISE(ABORT, 'no'); END;",
        )
        .unwrap();
    drop(connection);
    let loaded = load(&path);
    assert!(
        loaded
            .report
            .notes
            .iter()
            .any(|note| note.contains("app_view is view")),
        "a view posing as app_view is not read: {:?}",
        loaded.report.notes
    );
    let digest = data_digest(&path);
    let relations_before: i64 = count(&path, "relations");
    let outcome = save_view(&path, &distinctive_view(&loaded)).unwrap();
    assert_eq!(
        data_digest(&path),
        digest,
        "every data table is byte-identical"
    );
    assert_eq!(count(&path, "relations"), relations_before);
    let notes = outcome.notes.join("\n");
    for name in [
        "wipe_on_position",
        "wipe_on_delete",
        "guard_entities",
        "app_view",
    ] {
        assert!(notes.contains(name), "the save names `{name}`: {notes}");
    }
    let reopened = load(&path);
    assert!(reopened.view.is_some(), "{:?}", reopened.report.notes);
    let integrity: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

fn count(path: &Path, table: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .unwrap()
}

/// Saved views from strangers are checked like any other input: each bad
/// part is left out with a note, and the rest still opens.
#[test]
fn bad_saved_views_are_skipped_with_a_note() {
    let folder = tempfile::tempdir().unwrap();
    let path = file_with_skipped_rows(folder.path());
    let loaded = load(&path);
    save_view(&path, &distinctive_view(&loaded)).unwrap();
    let first_id = loaded.graph.node_db_id(0);
    let second_id = loaded.graph.node_db_id(1);
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(&format!(
            "UPDATE app_positions SET x = 1e30 WHERE entity_id = {first_id};
             UPDATE app_positions SET pinned = 'yes' WHERE entity_id = {second_id};
             INSERT INTO app_positions VALUES (123456789, 1.0, 2.0, 0);"
        ))
        .unwrap();
    drop(connection);
    let reopened = load(&path);
    let view = reopened.view.unwrap();
    assert_eq!(view.positions.len(), loaded.graph.node_count() - 2);
    let notes = reopened.report.notes.join("\n");
    assert!(notes.contains("2 position rows with bad values"), "{notes}");
    assert!(
        notes.contains("1 positions name entities that are not in the graph"),
        "{notes}"
    );

    for (state, wanted) in [
        ("{\"version\": 9}", "version 9, newer"),
        (
            "{\"version\": 1, \"camera\": {\"center\": [0, 0], \"zoom\": -1}}",
            "bad value",
        ),
        ("][", "not valid JSON"),
    ] {
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute("UPDATE app_view SET state = ?1", [state])
            .unwrap();
        let reopened = load(&path);
        assert!(reopened.view.is_none(), "{state}");
        let notes = reopened.report.notes.join("\n");
        assert!(notes.contains(wanted), "{state}: {notes}");
        assert_eq!(reopened.graph.node_count(), loaded.graph.node_count());
    }
}

/// A menu entry by its text; its label also carries the shortcut
/// ("Save Ctrl+S"), which is what tells "Save" from "Save As…".
pub(crate) fn menu_item(text: &'static str) -> By<'static> {
    By::new()
        .role(egui::accesskit::Role::Button)
        .predicate(move |node| {
            let label = node.label().unwrap_or_default();
            label == text
                || label
                    .strip_prefix(text)
                    .is_some_and(|rest| rest.starts_with(" Ctrl+") || rest.starts_with(" ⌘"))
        })
}

fn generated_copy_of_sample(folder: &Path) -> PathBuf {
    let path = folder.join("case.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    path
}

/// Drag a node, save from the File menu, quit, reopen: the first frame is
/// the saved picture (same positions, pinned node, camera), and the layout
/// waits to be resumed.
#[test]
fn the_window_saves_the_view_and_reopens_it_as_it_was() {
    let folder = tempfile::tempdir().unwrap();
    let path = generated_copy_of_sample(folder.path());
    let digest = data_digest(&path);
    let mut harness = app_harness(path.clone(), egui::vec2(1000.0, 700.0));
    step_until(
        &mut harness,
        "the file to load and settle",
        crate::ui::settled,
    );
    let node = 4;
    let start = harness.state().node_on_screen(node).unwrap();
    crate::ui::drag(&mut harness, start, start + egui::vec2(30.0, 10.0));
    step_until(&mut harness, "the drag to mark the view edited", |app| {
        app.has_unsaved_changes()
    });
    assert!(
        harness.state().title().starts_with("• "),
        "{}",
        harness.state().title()
    );

    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get(menu_item("Save")).click();
    step_until(&mut harness, "the save to finish", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
    assert_eq!(harness.state().title(), "case.sqlite — Linkscope");
    let (camera, _) = harness.state().camera().unwrap();
    drop(harness);
    assert_eq!(data_digest(&path), digest);
    // What the file holds: the layout may have moved on after the save.
    let saved = load(&path).view.expect("the saved view");

    let mut reopened = app_harness(path, egui::vec2(1000.0, 700.0));
    step_until(&mut reopened, "the saved file to load", |app| {
        app.graph().is_some() && !app.positions().is_empty()
    });
    let app = reopened.state();
    let graph = app.graph().unwrap();
    let stored: std::collections::HashMap<i64, [f32; 2]> = saved
        .positions
        .iter()
        .map(|position| (position.entity_id, position.world))
        .collect();
    assert_eq!(stored.len(), graph.node_count());
    for (index, position) in app.positions().iter().enumerate() {
        assert_eq!(
            Some(position),
            stored.get(&graph.node_db_id(index as u32)),
            "the first frame is the saved picture"
        );
    }
    assert!(app.is_pinned(node));
    assert!(!app.layout_running(), "the layout waits to be resumed");
    assert_eq!(app.camera().unwrap().0, camera);
    let by_id = |mut positions: Vec<linkscope::store::SavedPosition>| {
        positions.sort_by_key(|position| position.entity_id);
        positions
    };
    assert_eq!(
        by_id(app.view_state().unwrap().positions),
        by_id(saved.positions),
        "positions and pins, as saved"
    );
    assert!(!app.has_unsaved_changes());
}

/// Save on a read-only file says why it cannot and asks where to save a
/// copy; the copy is written and becomes the open file.
#[test]
fn save_on_a_read_only_file_offers_save_as() {
    let folder = tempfile::tempdir().unwrap();
    let path = generated_copy_of_sample(folder.path());
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let mut harness = app_harness(path.clone(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the file to load", |app| {
        app.graph().is_some()
    });
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get(menu_item("Save")).click();
    step_until(&mut harness, "the save to fail", |app| {
        !app.is_saving() && app.is_asking_for_path()
    });
    assert!(
        harness
            .query_all(By::new().label_contains("read-only"))
            .next()
            .is_some(),
        "the window says the file is read-only"
    );
    let copy = folder.path().join("my copy.sqlite");
    harness.run_steps(3);
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(&copy.display().to_string());
    harness.run_steps(2);
    harness.get_by_label("Save").click();
    step_until(&mut harness, "the copy to be saved", |app| {
        !app.is_saving() && app.title().starts_with("my copy.sqlite")
    });
    assert!(load(&copy).view.is_some());
    assert!(load(&path).view.is_none());
}

/// Closing with unsaved changes asks first; Cancel keeps the window and the
/// changes, Don't Save lets it close.
#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let folder = tempfile::tempdir().unwrap();
    let path = generated_copy_of_sample(folder.path());
    let mut harness = app_harness(path, egui::vec2(1000.0, 700.0));
    step_until(
        &mut harness,
        "the file to load and settle",
        crate::ui::settled,
    );
    let start = harness.state().node_on_screen(2).unwrap();
    crate::ui::drag(&mut harness, start, start + egui::vec2(25.0, 0.0));
    step_until(&mut harness, "the view to be edited", |app| {
        app.has_unsaved_changes()
    });
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get(menu_item("Quit")).click();
    harness.run_steps(3);
    assert!(harness.state().is_asking_to_save());
    harness.get_by_label_contains("changes that are not saved");
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert!(!harness.state().is_asking_to_save());
    assert!(
        harness.state().has_unsaved_changes(),
        "Cancel keeps the changes"
    );
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get(menu_item("Quit")).click();
    harness.run_steps(3);
    harness.get_by_label("Don't Save").click();
    harness.run_steps(3);
    assert!(!harness.state().is_asking_to_save());
    assert!(!harness.state().has_unsaved_changes());
}

/// Everything in the schema that Linkscope does not own (its two app
/// tables and their automatic indexes): type, name, table and SQL.
fn foreign_schema(path: &Path) -> Vec<(String, String, String, Option<String>)> {
    let connection =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut statement = connection
        .prepare(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema
             WHERE tbl_name NOT IN ('app_view', 'app_positions') ORDER BY type, name",
        )
        .unwrap();
    statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// SHA-256 of a user table's rows.
fn table_digest(path: &Path, table: &str) -> String {
    use std::fmt::Write as _;
    let connection =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut statement = connection
        .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
        .unwrap();
    let columns = statement.column_count();
    let mut rows = statement.query([]).unwrap();
    let mut text = String::new();
    while let Some(row) = rows.next().unwrap() {
        for column in 0..columns {
            let value: rusqlite::types::Value = row.get(column).unwrap();
            let _ = write!(text, "{value:?}|");
        }
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}

/// A user's own tables, views, indexes and triggers, some named like
/// Linkscope's, survive Save and Save As untouched, rows included.
#[test]
fn save_leaves_alone_every_table_view_and_index_it_does_not_own() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("with-own-tables.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    let user_tables = ["my_notes", "app_view_backup", "App_Positions_2", "app"];
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE my_notes (id INTEGER PRIMARY KEY, entity_id INTEGER, note TEXT);
                 INSERT INTO my_notes (entity_id, note) VALUES (1, 'checked with the source'), (2, 'ask the desk');
                 CREATE TABLE app_view_backup (key TEXT PRIMARY KEY, state TEXT);
                 INSERT INTO app_view_backup VALUES ('main', '{\"mine\": true}');
                 CREATE TABLE \"App_Positions_2\" (entity_id INTEGER, x REAL, y REAL);
                 INSERT INTO \"App_Positions_2\" VALUES (1, 0.5, 0.25);
                 CREATE TABLE app (k TEXT UNIQUE);
                 INSERT INTO app VALUES ('kept');
                 CREATE INDEX my_notes_by_entity ON my_notes (entity_id);
                 CREATE INDEX relations_by_kind ON relations (kind);
                 CREATE VIEW app_view_summary AS SELECT kind, count(*) AS n FROM entities GROUP BY kind;
                 CREATE VIEW app_positions_v AS SELECT * FROM my_notes;
                 CREATE TRIGGER my_notes_touch AFTER INSERT ON my_notes BEGIN SELECT 1; END;",
            )
            .unwrap();
    }
    let loaded = load(&path);
    let schema_before = foreign_schema(&path);
    let digests_before: Vec<String> = user_tables.iter().map(|t| table_digest(&path, t)).collect();
    let data_before = data_digest(&path);
    for _ in 0..2 {
        // Twice: the second save replaces a saved view.
        save_view(&path, &distinctive_view(&loaded)).unwrap();
        assert_eq!(foreign_schema(&path), schema_before);
        let digests: Vec<String> = user_tables.iter().map(|t| table_digest(&path, t)).collect();
        assert_eq!(digests, digests_before);
        assert_eq!(data_digest(&path), data_before);
    }
    let copy = folder.path().join("copy.sqlite");
    save_view_as(&path, &copy, &distinctive_view(&loaded), None).unwrap();
    assert_eq!(
        foreign_schema(&copy),
        schema_before,
        "Save As keeps them too"
    );
    let digests: Vec<String> = user_tables.iter().map(|t| table_digest(&copy, t)).collect();
    assert_eq!(digests, digests_before);
}
