//! FollowTheMoney and STIX 2.1 imports of files written by other tools
//! (`tests/fixtures/import/ftm/`, `tests/fixtures/import/stix/`), each
//! imported through `import_files` into a new graph file that the real
//! loader then opens. The expected numbers come from
//! `tests/reference/import_json.py` (plain `json`, no Linkscope code).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use linkscope::import::{Format, ImportError, ImportOptions, Progress, import_files};
use linkscope::store::{LoadProgress, LoadedGraph, load_graph};
use serde_json::Value;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(path)
}

fn expected(key: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/import_json.json");
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all[key].clone()
}

fn number(value: &Value) -> usize {
    usize::try_from(value.as_u64().unwrap()).unwrap()
}

/// Imports `inputs` into a new file in `folder` and opens it.
fn import_and_load(
    folder: &Path,
    inputs: &[PathBuf],
    format: Option<Format>,
) -> (PathBuf, linkscope::import::ImportSummary, LoadedGraph) {
    let output = folder.join("out.sqlite");
    let summary = import_files(
        inputs,
        &output,
        &ImportOptions {
            format,
            ..ImportOptions::default()
        },
        &Arc::new(Progress::default()),
    )
    .unwrap();
    let loaded = load_graph(
        &output,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap();
    (output, summary, loaded)
}

fn query(path: &Path, sql: &str) -> i64 {
    let connection =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    connection.query_row(sql, [], |row| row.get(0)).unwrap()
}

fn kinds_of(loaded: &LoadedGraph) -> std::collections::BTreeMap<String, usize> {
    let graph = &loaded.graph;
    let mut kinds = std::collections::BTreeMap::new();
    for node in 0..graph.node_count() as u32 {
        *kinds
            .entry(graph.node_kind_text(node).to_owned())
            .or_default() += 1;
    }
    kinds
}

fn edge_kinds_of(loaded: &LoadedGraph) -> std::collections::BTreeMap<String, usize> {
    let graph = &loaded.graph;
    let mut kinds = std::collections::BTreeMap::new();
    for edge in 0..graph.edge_count() as u32 {
        *kinds
            .entry(graph.edge_kind_text(edge).to_owned())
            .or_default() += 1;
    }
    kinds
}

fn as_counts(value: &Value) -> std::collections::BTreeMap<String, usize> {
    value
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, count)| (key.clone(), number(count)))
        .collect()
}

#[test]
fn import_ftm_donations_matches_the_reference_counts() {
    let expected = expected("ftm_donations");
    let folder = tempfile::tempdir().unwrap();
    let (output, summary, loaded) =
        import_and_load(folder.path(), &[fixture("ftm/donations.ijson")], None);
    assert_eq!(summary.format, Format::FollowTheMoney);
    assert_eq!(loaded.report.entities, number(&expected["entities"]));
    assert_eq!(loaded.report.relations, number(&expected["relations"]));
    assert_eq!(
        loaded.report.rows_skipped, 0,
        "{:?}",
        loaded.report.problems
    );
    assert_eq!(kinds_of(&loaded), as_counts(&expected["kinds"]));
    let edges = edge_kinds_of(&loaded);
    assert_eq!(edges["payment"], number(&expected["payment_relations"]));
    assert_eq!(
        edges["address_entity"],
        number(&expected["address_entity_relations"])
    );
    assert_eq!(
        query(
            &output,
            "SELECT count(*) FROM relations WHERE kind = 'payment' AND date_start IS NOT NULL"
        ),
        expected["payment_relations_dated"].as_i64().unwrap()
    );
    let first_date = expected["first_payment_date"].as_str().unwrap();
    assert_eq!(
        query(
            &output,
            &format!(
                "SELECT count(*) FROM relations WHERE id = (SELECT min(id) FROM relations WHERE kind = 'payment') AND kind = 'payment' AND label = 'paid' AND date_start = '{first_date}' AND json_extract(properties, '$.amountEur') = '100000'"
            )
        ),
        1
    );
    assert_eq!(summary.notes, 0);
}

#[test]
fn import_stix_apt1_matches_the_reference_counts() {
    let expected = expected("stix_apt1");
    let folder = tempfile::tempdir().unwrap();
    let (output, summary, loaded) =
        import_and_load(folder.path(), &[fixture("stix/apt1.json")], None);
    assert_eq!(summary.format, Format::Stix);
    assert_eq!(loaded.report.entities, number(&expected["entities"]));
    assert_eq!(loaded.report.relations, number(&expected["relations"]));
    assert_eq!(loaded.report.documents, number(&expected["documents"]));
    assert_eq!(loaded.report.excerpts, number(&expected["excerpts"]));
    assert_eq!(
        loaded.report.rows_skipped, 0,
        "{:?}",
        loaded.report.problems
    );
    assert_eq!(kinds_of(&loaded), as_counts(&expected["kinds"]));
    assert_eq!(
        edge_kinds_of(&loaded),
        as_counts(&expected["relation_kinds"])
    );
    assert_eq!(
        query(
            &output,
            "SELECT count(*) FROM entities WHERE name = 'APT1' AND kind = 'actor' AND date_start = '2006-06-01'"
        ),
        1
    );
    let refs_to_edges = expected["refs_to_edges"].as_u64().unwrap();
    assert_eq!(
        query(
            &output,
            &format!(
                "SELECT count(*) FROM app_import_notes WHERE message LIKE '{refs_to_edges} references to relationships%'"
            )
        ),
        1
    );
}

#[test]
fn import_stix_sighting_is_a_dated_relation() {
    let expected = expected("stix_sighting");
    let folder = tempfile::tempdir().unwrap();
    let (output, _, loaded) = import_and_load(
        folder.path(),
        &[fixture("stix/sighting-of-an-indicator.json")],
        None,
    );
    assert_eq!(loaded.report.entities, number(&expected["entities"]));
    assert_eq!(kinds_of(&loaded), as_counts(&expected["kinds"]));
    assert_eq!(
        edge_kinds_of(&loaded),
        as_counts(&expected["relation_kinds"])
    );
    assert_eq!(
        query(
            &output,
            "SELECT count(*) FROM relations WHERE kind = 'sighting' AND date_start = '2017-02-27' AND date_end = '2017-02-27' AND json_extract(properties, '$.count') = 1"
        ),
        1
    );
}

#[test]
fn import_stix_evidence_carries_the_confidence_grade() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("graded.json");
    std::fs::write(
        &input,
        r#"{"type": "bundle", "id": "bundle--1", "objects": [
  {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--1", "name": "Crew"},
  {"type": "malware", "spec_version": "2.1", "id": "malware--1", "name": "Tool"},
  {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "uses",
   "source_ref": "threat-actor--1", "target_ref": "malware--1", "confidence": 65,
   "external_references": [{"source_name": "Blog", "url": "https://example.org/post", "external_id": "P-7"}]}
]}"#,
    )
    .unwrap();
    let (output, _, loaded) = import_and_load(folder.path(), &[input], None);
    assert_eq!(loaded.report.relation_excerpt_links, 1);
    assert_eq!(loaded.report.unsupported_relations, 0);
    assert_eq!(
        query(
            &output,
            "SELECT count(*) FROM excerpts JOIN documents ON documents.id = excerpts.document_id WHERE excerpts.text = 'Blog P-7' AND excerpts.locator = 'P-7' AND excerpts.credibility = '2' AND documents.url = 'https://example.org/post' AND documents.publisher = 'Blog'"
        ),
        1
    );
}

#[test]
fn import_json_hostile_inputs_give_notes_or_errors() {
    let folder = tempfile::tempdir().unwrap();
    // FollowTheMoney: bad lines are noted, the rest imported.
    let lines = folder.path().join("bad.ijson");
    let mut bytes =
        b"{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"]}}\n".to_vec();
    bytes.extend_from_slice(b"{\"id\": \"b\xff\", \"schema\": \"Person\"}\n{oops\n");
    std::fs::write(&lines, bytes).unwrap();
    let (output, summary, loaded) = import_and_load(folder.path(), &[lines], None);
    assert_eq!(loaded.report.entities, 1);
    assert_eq!(summary.notes, 2);
    assert_eq!(
        query(
            &output,
            "SELECT count(*) FROM app_import_notes WHERE file = 'bad.ijson' AND line IN (2, 3)"
        ),
        2
    );
    // A broken bundle: an error naming its line, and no file left behind.
    let sub = folder.path().join("bundle");
    std::fs::create_dir(&sub).unwrap();
    let bundle = sub.join("broken.json");
    std::fs::write(&bundle, "{\"type\": \"bundle\",\n \"objects\": [\n {\"type\": \"tool\", \"id\": \"tool--1\"},\n nope ]}\n").unwrap();
    let output = sub.join("out.sqlite");
    let error = import_files(
        &[bundle],
        &output,
        &ImportOptions::default(),
        &Arc::new(Progress::default()),
    )
    .unwrap_err();
    assert!(
        matches!(error, ImportError::Malformed { line: 4, .. }),
        "{error}"
    );
    assert!(error.to_string().starts_with("broken.json:4: "), "{error}");
    assert!(!output.exists());
}
