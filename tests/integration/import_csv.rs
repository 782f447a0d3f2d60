//! CSV import end to end: files to a new graph file, opened as any other.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use linkscope::import::{ImportOptions, Progress, import_files};
use linkscope::store::{LoadProgress, LoadedGraph, load_graph};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/csv")
        .join(name)
}

fn load(path: &Path) -> LoadedGraph {
    load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap()
}

fn read_only(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn count(connection: &rusqlite::Connection, sql: &str) -> i64 {
    connection.query_row(sql, [], |row| row.get(0)).unwrap()
}

fn names(loaded: &LoadedGraph) -> Vec<String> {
    (0..loaded.graph.node_count() as u32)
        .map(|node| loaded.graph.node_name(node).to_owned())
        .collect()
}

#[test]
fn import_csv_a_third_party_gephi_pair_matches_the_reference_counts() {
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/import_csv_lesmis.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let output = folder.path().join("lesmis.sqlite");
    // The edges file first: the header tells them apart.
    let summary = import_files(
        &[fixture("lesmis-edges.csv"), fixture("lesmis-nodes.csv")],
        &output,
        &ImportOptions::default(),
        &Arc::new(Progress::default()),
    )
    .unwrap();
    assert_eq!(summary.notes, 0, "{summary}");
    let loaded = load(&output);
    assert_eq!(
        loaded.graph.node_count() as u64,
        expected["entities"].as_u64().unwrap()
    );
    assert_eq!(
        loaded.graph.edge_count() as u64,
        expected["relations"].as_u64().unwrap()
    );
    let names = names(&loaded);
    for name in expected["names"].as_object().unwrap().values() {
        assert!(names.iter().any(|n| n == name.as_str().unwrap()), "{name}");
    }
    let top = &expected["top_degree"];
    let valjean = (0..loaded.graph.node_count() as u32)
        .find(|&node| loaded.graph.node_name(node) == top["name"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        loaded.graph.degree(valjean) as u64,
        top["degree"].as_u64().unwrap()
    );
    let db = read_only(&output);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM relations WHERE json_extract(properties, '$.directed') = 0"
        ),
        expected["undirected"].as_i64().unwrap()
    );
    assert_eq!(
        count(&db, "SELECT count(DISTINCT label) FROM relations"),
        expected["distinct_labels"].as_i64().unwrap()
    );
    let description: String = db
        .query_row(
            "SELECT description FROM entities WHERE name = 'Thénardier'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(
        description,
        expected["descriptions"]["TH"].as_str().unwrap()
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM entities WHERE kind = 'other'"),
        181
    );
}

#[test]
fn import_csv_through_the_cli_with_a_mapping_and_windows_1252() {
    let folder = tempfile::tempdir().unwrap();
    let nodes = folder.path().join("people.csv");
    let edges = folder.path().join("links.csv");
    let mapping = folder.path().join("mapping.toml");
    // Windows-1252: é is 0xE9.
    std::fs::write(
        &nodes,
        b"Person ID;Full name;Role;Born;Score\r\np1;Jos\xE9;Person;1970-05;3.5\r\np2;Acme;Company;2021;\r\np3;Ghost;Person;0000-00-00;7\r\n",
    )
    .unwrap();
    std::fs::write(
        &edges,
        b"From;To;Relation;When;Quote;Article;Link\r\np1;p2;Works for;2021-08;He works there.;Daily;https://example.org/a\r\np2;p1;Employs;99999-01-01;He works there.;Daily;https://example.org/a\r\np1;p9;Knows;;;;\r\n",
    )
    .unwrap();
    std::fs::write(
        &mapping,
        r#"missing_endpoints = "skip"
[nodes]
columns = { "Person ID" = "id", "Full name" = "name", "Role" = "kind", "Born" = "start", "Score" = "property" }
[edges]
columns = { "From" = "source", "To" = "target", "Relation" = "relation_kind", "When" = "date", "Quote" = "excerpt", "Article" = "document_title", "Link" = "url" }
"#,
    )
    .unwrap();
    let output = folder.path().join("out.sqlite");
    let run = Command::new(env!("CARGO_BIN_EXE_linkscope"))
        .arg("import")
        .args([&nodes, &edges, &output])
        .arg("--mapping")
        .arg(&mapping)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let loaded = load(&output);
    assert_eq!(loaded.graph.node_count(), 3);
    assert_eq!(loaded.graph.edge_count(), 2);
    let db = read_only(&output);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM entities WHERE name = 'José' AND kind = 'actor' AND date_start = '1970-05' AND json_extract(properties, '$.Score') = 3.5"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM entities WHERE name = 'Ghost' AND date_start IS NULL"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM entities WHERE kind = 'organization'"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM relations WHERE kind = 'works_for' AND date_start = '2021-08' AND date_end = '2021-08'"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM relations WHERE kind = 'employs' AND date_start IS NULL"
        ),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) FROM documents"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM excerpts"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM relation_excerpts"), 2);
    // 0000-00-00, 99999-01-01 and the edge to p9, each a note with its line.
    let notes: Vec<String> = db
        .prepare("SELECT file || ':' || line || ': ' || message FROM app_import_notes ORDER BY file, line")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(
        notes[0].starts_with("links.csv:3: column \"When\""),
        "{notes:?}"
    );
    assert!(
        notes[1].starts_with("links.csv:4: no node has the id \"p9\""),
        "{notes:?}"
    );
    assert!(notes[2].starts_with("people.csv:4:"), "{notes:?}");
    // The CLI's summary counts them.
    assert!(
        String::from_utf8_lossy(&run.stdout).contains("3 elements skipped or changed"),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}

#[test]
fn import_csv_refuses_a_huge_line_with_its_place_and_leaves_no_file() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("huge.csv");
    let mut bytes = b"Source,Target\na,b\n".to_vec();
    bytes.resize(bytes.len() + 50 * 1024 * 1024, b'x');
    std::fs::write(&input, &bytes).unwrap();
    drop(bytes);
    let output = folder.path().join("out.sqlite");
    let error = import_files(
        &[input],
        &output,
        &ImportOptions::default(),
        &Arc::new(Progress::default()),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "huge.csv:3: a record longer than 16 MiB (no line end, or a quote never closed)"
    );
    assert!(!output.exists());
}

#[test]
fn import_csv_edges_only_neo4j_and_utf16() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("rels.csv");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in ":START_ID,:END_ID,:TYPE,since:int\nAnn,Bob,KNOWS,2001\nBob,Zoë,KNOWS,\nZoë,Ann,MARRIED_TO,2010\n"
        .encode_utf16()
    {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(&input, bytes).unwrap();
    let output = folder.path().join("out.sqlite");
    import_files(
        &[input],
        &output,
        &ImportOptions::default(),
        &Arc::new(Progress::default()),
    )
    .unwrap();
    let loaded = load(&output);
    assert_eq!(loaded.graph.node_count(), 3);
    assert_eq!(loaded.graph.edge_count(), 3);
    assert!(names(&loaded).contains(&"Zoë".to_owned()));
    let db = read_only(&output);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM relations WHERE kind = 'knows' AND json_extract(properties, '$.since') = 2001"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM relations WHERE kind = 'married_to'"
        ),
        1
    );
}
