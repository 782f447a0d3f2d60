//! Every case of the format's "Bad files" section, each with a file the test
//! writes: a clear message naming the file (and the table and row), the rest
//! of the graph still opens, nothing panics, and the file is left as it was.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use linkscope::store::{LoadProgress, LoadedGraph, ProblemAction, StoreError, load_graph};
use rusqlite::Connection;

pub(super) const SCHEMA: &str = "
CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
    date_start TEXT, date_end TEXT, properties TEXT);
CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL, object_id INTEGER NOT NULL,
    kind TEXT NOT NULL, label TEXT, date_start TEXT, date_end TEXT, properties TEXT);
CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT, publisher TEXT, url TEXT,
    published TEXT, language TEXT, reliability TEXT);
CREATE TABLE excerpts (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, text TEXT NOT NULL, locator TEXT,
    credibility TEXT);
CREATE TABLE relation_excerpts (relation_id INTEGER NOT NULL, excerpt_id INTEGER NOT NULL,
    PRIMARY KEY (relation_id, excerpt_id));
";

pub(super) const ROWS: &str = "
INSERT INTO entities VALUES (1, 'actor', 'Dmitry Zhirnov', 'Ambassador', NULL, NULL, '{\"role\": \"ambassador\"}');
INSERT INTO entities VALUES (2, 'actor', 'Sirajuddin Haqqani', NULL, NULL, NULL, NULL);
INSERT INTO entities VALUES (3, 'event', 'Kabul meeting', NULL, '2024-03-05', '2024-03-05', NULL);
INSERT INTO relations VALUES (10, 1, 2, 'met_with', 'met in Kabul with', '2024-03-05', NULL, NULL);
INSERT INTO relations VALUES (11, 1, 3, 'participated_in', NULL, NULL, NULL, NULL);
INSERT INTO documents VALUES (100, 'Report', 'Hamid Ahmedi', 'Ufuq News', 'https://example.org', '2024-03-06', 'prs', 'B');
INSERT INTO excerpts VALUES (1000, 100, 'Zhirnov met in Kabul with Sirajuddin Haqqani', 'para 1', '2');
INSERT INTO relation_excerpts VALUES (10, 1000);
";

/// Writes a graph file with the standard schema and rows, then `change`.
pub(super) fn write_graph(folder: &Path, name: &str, change: &str) -> PathBuf {
    let path = folder.join(name);
    let connection = Connection::open(&path).unwrap();
    connection.execute_batch(SCHEMA).unwrap();
    connection.execute_batch(ROWS).unwrap();
    connection.execute_batch(change).unwrap();
    drop(connection);
    path
}

pub(super) fn load(path: &Path) -> Result<LoadedGraph, StoreError> {
    load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
}

/// Loads `path` and checks that its bytes did not change and no journal,
/// WAL or shared-memory file appeared beside it.
fn load_untouched(path: &Path) -> Result<LoadedGraph, StoreError> {
    let before = std::fs::read(path).unwrap();
    let siblings_before = siblings(path);
    let outcome = load(path);
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "the file changed: {}",
        path.display()
    );
    assert_eq!(
        siblings(path),
        siblings_before,
        "files appeared beside {}",
        path.display()
    );
    outcome
}

fn siblings(path: &Path) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    names.sort();
    names
}

fn problem_reasons(loaded: &LoadedGraph) -> Vec<String> {
    loaded
        .report
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_good_file_opens_without_problems() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(folder.path(), "good.sqlite", "");
    let loaded = load_untouched(&path).unwrap();
    assert_eq!(loaded.graph.node_count(), 3);
    assert_eq!(loaded.graph.edge_count(), 2);
    assert_eq!(loaded.report.relation_excerpt_links, 1);
    assert_eq!(loaded.report.unsupported_relations, 1);
    assert!(
        loaded.report.problems.is_empty(),
        "{:?}",
        loaded.report.problems
    );
}

#[test]
fn not_a_sqlite_file_is_refused_by_name() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("notes.sqlite");
    std::fs::write(&path, "these are my notes, not a database").unwrap();
    let error = load_untouched(&path).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, StoreError::NotSqlite { .. }), "{message}");
    assert!(
        message.contains("not a SQLite database") && message.contains("notes.sqlite"),
        "{message}"
    );
    let empty = folder.path().join("empty.sqlite");
    std::fs::write(&empty, "").unwrap();
    assert!(matches!(
        load_untouched(&empty),
        Err(StoreError::NotSqlite { .. })
    ));
}

#[test]
fn a_damaged_file_gets_a_message_not_a_panic() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "damaged.sqlite",
        "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 3000)
         INSERT INTO entities SELECT value + 10, 'actor', printf('Actor %d with a longer name to fill pages', value), NULL, NULL, NULL, NULL FROM n;",
    );
    // Scribble over everything past the first two pages.
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    for (offset, byte) in bytes.iter_mut().enumerate().skip(2 * page) {
        *byte = (offset * 31 % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let error = load_untouched(&path).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("damaged.sqlite"), "{message}");
    assert!(
        matches!(error, StoreError::Damaged { .. } | StoreError::Query { .. }),
        "{message}"
    );
}

#[test]
fn a_truncated_file_gets_a_message() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "truncated.sqlite",
        "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 3000)
         INSERT INTO entities SELECT value + 10, 'actor', printf('Actor %d', value), NULL, NULL, NULL, NULL FROM n;",
    );
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let message = load_untouched(&path).unwrap_err().to_string();
    assert!(message.contains("truncated.sqlite"), "{message}");
}

#[test]
fn a_missing_table_is_named() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "no-relations.sqlite",
        "DROP TABLE relations;",
    );
    let error = load_untouched(&path).unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::MissingTable {
                table: "relations",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("`relations`"));
}

#[test]
fn a_missing_required_column_is_named_and_a_missing_optional_one_is_noted() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "no-name.sqlite",
        "ALTER TABLE entities DROP COLUMN name;",
    );
    let error = load_untouched(&path).unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::MissingColumn {
                table: "entities",
                column: "name",
                ..
            }
        ),
        "{error}"
    );
    let path = write_graph(
        folder.path(),
        "no-label.sqlite",
        "ALTER TABLE relations DROP COLUMN label;",
    );
    let loaded = load_untouched(&path).unwrap();
    assert_eq!(loaded.graph.edge_count(), 2);
    assert!(
        loaded
            .report
            .notes
            .iter()
            .any(|note| note.contains("`label`")),
        "{:?}",
        loaded.report.notes
    );
}

#[test]
fn a_relation_to_a_missing_entity_is_skipped_and_the_rest_opens() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "dangling.sqlite",
        "INSERT INTO relations VALUES (12, 1, 99, 'knows', NULL, NULL, NULL, NULL);
         INSERT INTO relation_excerpts VALUES (12, 1000);",
    );
    let loaded = load_untouched(&path).unwrap();
    assert_eq!(loaded.graph.edge_count(), 2);
    let reasons = problem_reasons(&loaded);
    assert!(
        reasons
            .iter()
            .any(|reason| reason.starts_with("relations row 12: skipped") && reason.contains("99")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|reason| reason.contains("relation_excerpts") && reason.contains("relation 12")),
        "{reasons:?}"
    );
}

#[test]
fn an_excerpt_of_a_missing_document_is_skipped() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "orphan-excerpt.sqlite",
        "INSERT INTO excerpts VALUES (1001, 555, 'An orphan passage', NULL, NULL);
         INSERT INTO relation_excerpts VALUES (11, 1001);",
    );
    let loaded = load_untouched(&path).unwrap();
    assert_eq!(loaded.report.excerpts, 1);
    let reasons = problem_reasons(&loaded);
    assert!(
        reasons
            .iter()
            .any(|reason| reason.starts_with("excerpts row 1001: skipped")
                && reason.contains("document 555")),
        "{reasons:?}"
    );
    assert_eq!(loaded.graph.edge_db_id(1), 11);
    assert!(
        !loaded.graph.edge_is_supported(1),
        "relation 11 cites only the skipped excerpt"
    );
}

#[test]
fn text_that_is_not_utf8_is_reported_by_row() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "latin1.sqlite",
        "INSERT INTO entities VALUES (4, 'actor', CAST(X'4861716d616e69e9' AS TEXT), NULL, NULL, NULL, NULL);
         INSERT INTO entities VALUES (5, 'actor', 'Valid name', CAST(X'ff00fe' AS TEXT), NULL, NULL, NULL);",
    );
    let loaded = load_untouched(&path).unwrap();
    assert_eq!(
        loaded.graph.node_count(),
        4,
        "entity 4 skipped, entity 5 kept"
    );
    let reasons = problem_reasons(&loaded);
    assert!(
        reasons
            .iter()
            .any(|reason| reason.starts_with("entities row 4: skipped: name")
                && reason.contains("UTF-8")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|reason| reason.starts_with("entities row 5: value ignored: description")),
        "{reasons:?}"
    );
}

#[test]
fn properties_that_are_not_json_and_dates_that_are_not_iso_are_ignored_with_a_message() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "values.sqlite",
        "UPDATE entities SET properties = '{not json' WHERE id = 2;
         UPDATE entities SET date_start = 'March 5, 2024' WHERE id = 3;
         UPDATE relations SET date_end = '2024-02-30' WHERE id = 10;
         UPDATE documents SET reliability = 'Z' WHERE id = 100;",
    );
    let loaded = load_untouched(&path).unwrap();
    assert_eq!(
        loaded.graph.node_count(),
        3,
        "rows with bad values are kept"
    );
    let reasons = problem_reasons(&loaded);
    for expected in [
        "entities row 2: value ignored: properties is not valid JSON",
        "entities row 3: value ignored: date_start \"March 5, 2024\" is not an ISO 8601 date",
        "relations row 10: value ignored: date_end \"2024-02-30\"",
        "documents row 100: value ignored: reliability \"Z\"",
    ] {
        assert!(
            reasons.iter().any(|reason| reason.starts_with(expected)),
            "{expected}: {reasons:?}"
        );
    }
    assert!(
        loaded
            .report
            .problems
            .iter()
            .all(|problem| problem.action == ProblemAction::ValueIgnored)
    );
}

#[test]
fn values_of_the_wrong_type_are_reported_not_crashed_on() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "types.sqlite",
        "CREATE TABLE loose AS SELECT * FROM entities; DROP TABLE entities;
         CREATE TABLE entities (id, kind, name, description, date_start, date_end, properties);
         INSERT INTO entities SELECT * FROM loose; DROP TABLE loose;
         INSERT INTO entities VALUES ('abc', 'actor', 'Text id', NULL, NULL, NULL, NULL);
         INSERT INTO entities VALUES (6, 'actor', 42, NULL, NULL, NULL, NULL);
         INSERT INTO entities VALUES (7, NULL, 'No kind', NULL, NULL, NULL, NULL);
         INSERT INTO relations VALUES (13, 'one', 2, 'knows', NULL, NULL, NULL, NULL);
         INSERT INTO relations VALUES (14, 1, 2, X'00', NULL, NULL, NULL, NULL);",
    );
    let loaded = load_untouched(&path).unwrap();
    assert!(
        loaded.graph.node_by_db_id(6).is_some(),
        "a number in a text column is shown as text"
    );
    assert_eq!(
        loaded
            .graph
            .node_name(loaded.graph.node_by_db_id(6).unwrap()),
        "42"
    );
    let reasons = problem_reasons(&loaded);
    for expected in [
        "entities row (no usable id): skipped: id is the text \"abc\"",
        "entities row 7: skipped: kind is NULL",
        "relations row 13: skipped: subject_id is the text \"one\"",
        "relations row 14: skipped: kind is a blob",
    ] {
        assert!(
            reasons.iter().any(|reason| reason.starts_with(expected)),
            "{expected}: {reasons:?}"
        );
    }
}

#[test]
fn a_newer_format_version_is_refused_naming_both_versions() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(folder.path(), "future.sqlite", "PRAGMA user_version = 7;");
    let message = load_untouched(&path).unwrap_err().to_string();
    assert!(
        message.contains("version 7") && message.contains("version 1"),
        "{message}"
    );
}

#[test]
fn a_view_or_virtual_table_named_like_ours_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "view.sqlite",
        "DROP TABLE relations; CREATE VIEW relations AS SELECT 1 AS id, 1 AS subject_id, 2 AS object_id, 'x' AS kind, NULL AS label, NULL AS date_start, NULL AS date_end, NULL AS properties;",
    );
    let error = load_untouched(&path).unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::NotARealTable {
                table: "relations",
                ..
            }
        ),
        "{error}"
    );
    let path = write_graph(
        folder.path(),
        "virtual.sqlite",
        "DROP TABLE documents; CREATE VIRTUAL TABLE documents USING fts5(id, title, author, publisher, url, published, language, reliability);",
    );
    let error = load_untouched(&path).unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::NotARealTable {
                table: "documents",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("virtual table"));
}

#[test]
fn a_hot_journal_beside_the_file_is_not_rolled_back() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(folder.path(), "journal.sqlite", "");
    let journal = folder.path().join("journal.sqlite-journal");
    std::fs::write(&journal, vec![0xd9_u8; 4096]).unwrap();
    let journal_before = std::fs::read(&journal).unwrap();
    let loaded = load_untouched(&path).unwrap();
    assert_eq!(loaded.graph.node_count(), 3);
    assert_eq!(std::fs::read(&journal).unwrap(), journal_before);
}

#[test]
fn a_cancelled_load_stops_with_a_message() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(folder.path(), "cancel.sqlite", "");
    let cancel = Arc::new(AtomicBool::new(true));
    let error = load_graph(&path, &LoadProgress::default(), &cancel).unwrap_err();
    assert!(matches!(error, StoreError::Cancelled { .. }), "{error}");
}

#[test]
fn a_file_without_evidence_tables_opens_with_every_relation_unsupported() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_graph(
        folder.path(),
        "no-evidence.sqlite",
        "DROP TABLE relation_excerpts; DROP TABLE excerpts; DROP TABLE documents;",
    );
    let loaded = load_untouched(&path).unwrap();
    assert_eq!(loaded.report.unsupported_relations, 2);
    assert!(!loaded.report.notes.is_empty());
}
