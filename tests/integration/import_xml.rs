//! GEXF and GraphML import of real files (written by Gephi, graphology,
//! networkx and yEd; see `tests/fixtures/import/*/SOURCES.md`), each
//! checked against the values `tests/reference/import_xml.py` worked out
//! with Python's own XML parser, then opened with the real loader.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use linkscope::import::{ImportError, ImportOptions, Progress, import_files};
use linkscope::store::{LoadProgress, LoadedGraph, load_graph};
use rusqlite::Connection;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn reference() -> serde_json::Map<String, Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/import_xml.json");
    let text = std::fs::read_to_string(path).unwrap();
    match serde_json::from_str(&text).unwrap() {
        Value::Object(map) => map,
        other => panic!("the reference is not an object: {other}"),
    }
}

/// Imports the fixture `name` (`gexf/…`) into a new file in `folder`.
fn import(folder: &Path, name: &str) -> Result<PathBuf, ImportError> {
    import_path(folder, &fixtures().join(name))
}

fn import_path(folder: &Path, input: &Path) -> Result<PathBuf, ImportError> {
    let stem = input.file_name().unwrap().to_string_lossy().into_owned();
    let output = folder.join(format!("{stem}.sqlite"));
    let summary = import_files(
        &[input.to_path_buf()],
        &output,
        &ImportOptions::default(),
        &Arc::new(Progress::default()),
    )?;
    assert_eq!(summary.output.as_deref(), Some(output.as_path()));
    Ok(output)
}

fn load(path: &Path) -> LoadedGraph {
    load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap()
}

/// One imported entity, read back with SQL.
struct Row {
    id: i64,
    name: String,
    kind: String,
    start: Option<String>,
    end: Option<String>,
    properties: serde_json::Map<String, Value>,
}

/// The imported entities by their source id (`gexf_id` / `graphml_id`).
fn entities(path: &Path, id_property: &str) -> HashMap<String, Row> {
    let connection = Connection::open(path).unwrap();
    let mut statement = connection
        .prepare("SELECT id, name, kind, date_start, date_end, properties FROM entities")
        .unwrap();
    let rows = statement
        .query_map([], |row| {
            let properties: Option<String> = row.get(5)?;
            Ok(Row {
                id: row.get(0)?,
                name: row.get(1)?,
                kind: row.get(2)?,
                start: row.get(3)?,
                end: row.get(4)?,
                properties: properties
                    .and_then(|text| serde_json::from_str(&text).ok())
                    .unwrap_or_default(),
            })
        })
        .unwrap();
    rows.map(Result::unwrap)
        .map(|row| {
            let key = row.properties[id_property].as_str().unwrap().to_owned();
            (key, row)
        })
        .collect()
}

fn count(path: &Path, sql: &str) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}

/// Checks the import of `name` against the reference; returns the file.
fn check_against_reference(folder: &Path, name: &str, expected: &Value) -> PathBuf {
    let path = import(folder, name).unwrap_or_else(|error| panic!("{name}: {error}"));
    let loaded = load(&path);
    let report = &loaded.report;
    let number = |key: &str| expected[key].as_u64().unwrap() as usize;
    assert_eq!(report.entities, number("entities"), "{name}: entities");
    assert_eq!(report.relations, number("relations"), "{name}: relations");
    assert_eq!(loaded.graph.node_count(), number("entities"), "{name}");
    assert_eq!(loaded.graph.edge_count(), number("relations"), "{name}");
    assert_eq!(report.rows_skipped, 0, "{name}: {:?}", report.problems);
    assert_eq!(report.values_ignored, 0, "{name}: {:?}", report.problems);
    let undirected = count(
        &path,
        "SELECT count(*) FROM relations WHERE json_extract(properties, '$.directed') = 0",
    );
    assert_eq!(
        undirected as u64,
        expected["undirected"].as_u64().unwrap(),
        "{name}: undirected"
    );

    if let Some(kinds) = expected.get("relation_kinds").and_then(Value::as_object) {
        for (kind, wanted) in kinds {
            let sql = format!(
                "SELECT count(*) FROM relations WHERE kind = '{}'",
                kind.replace('\'', "''")
            );
            assert_eq!(
                count(&path, &sql),
                wanted.as_i64().unwrap(),
                "{name}: relations of kind {kind}"
            );
        }
    }
    let id_property = if name.starts_with("gexf/") {
        "gexf_id"
    } else {
        "graphml_id"
    };
    let rows = entities(&path, id_property);
    for (id, wanted) in expected["names"].as_object().unwrap() {
        let row = rows
            .get(id)
            .unwrap_or_else(|| panic!("{name}: node {id} is missing"));
        assert_eq!(row.name, wanted.as_str().unwrap(), "{name}: name of {id}");
        assert_eq!(
            row.kind,
            expected["kinds"][id].as_str().unwrap(),
            "{name}: kind of {id}"
        );
    }
    for (id, wanted) in expected["properties"].as_object().unwrap() {
        let row = &rows[id];
        for (key, value) in wanted.as_object().unwrap() {
            assert_eq!(
                row.properties.get(key),
                Some(value),
                "{name}: {key} of {id}"
            );
        }
    }
    if let Some(dates) = expected.get("dates").and_then(Value::as_object) {
        for (id, wanted) in dates {
            let row = &rows[id];
            assert_eq!(
                row.start.as_deref(),
                wanted[0].as_str(),
                "{name}: start of {id}"
            );
            assert_eq!(
                row.end.as_deref(),
                wanted[1].as_str(),
                "{name}: end of {id}"
            );
        }
    }
    let positions = expected["positions"].as_object().unwrap();
    let view_positions: HashMap<i64, [f32; 2]> = loaded
        .view
        .as_ref()
        .map(|view| {
            view.positions
                .iter()
                .map(|p| (p.entity_id, p.world))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(view_positions.len(), positions.len(), "{name}: positions");
    for (id, wanted) in positions {
        let world = view_positions[&rows[id].id];
        for axis in 0..2 {
            let wanted = wanted[axis].as_f64().unwrap() as f32;
            assert!(
                (world[axis] - wanted).abs() <= 1e-3 * wanted.abs().max(1.0),
                "{name}: position of {id}: {world:?}, wanted {wanted} on axis {axis}"
            );
        }
    }
    path
}

fn check_all(prefix: &str) {
    let folder = tempfile::tempdir().unwrap();
    let reference = reference();
    let mut checked = 0;
    for (name, expected) in &reference {
        if name.starts_with(prefix) {
            check_against_reference(folder.path(), name, expected);
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} {prefix} fixtures");
}

#[test]
fn every_gexf_fixture_matches_the_reference() {
    check_all("gexf/");
}

#[test]
fn every_graphml_fixture_matches_the_reference() {
    check_all("graphml/");
}

fn notes(path: &Path) -> Vec<String> {
    let connection = Connection::open(path).unwrap();
    let Ok(mut statement) = connection.prepare("SELECT message FROM app_import_notes") else {
        return Vec::new();
    };
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn gephi_1_0_file_keeps_its_picture_and_attributes() {
    // Gephi's arctic.gexf: GEXF 1.0 namespace, `attvalue id=`, viz:position.
    let folder = tempfile::tempdir().unwrap();
    let path = import(folder.path(), "gexf/graphology_arctic.gexf").unwrap();
    let loaded = load(&path);
    let view = loaded.view.unwrap();
    assert_eq!(view.positions.len(), 1715);
    // Attributes declared with `attribute id=` and read through `attvalue id=`.
    let with_values = count(
        &path,
        "SELECT count(*) FROM entities WHERE json_extract(properties, '$.nodedef') IS NOT NULL",
    );
    assert!(with_values > 1000, "{with_values}");
}

#[test]
fn networkx_dynamic_file_gets_dates_from_spells_and_a_note() {
    let folder = tempfile::tempdir().unwrap();
    let path = import(folder.path(), "gexf/networkx_dynamic_1.2draft.gexf").unwrap();
    let rows = entities(&path, "gexf_id");
    let alice = &rows["a"];
    assert_eq!(alice.kind, "actor");
    assert_eq!(alice.start.as_deref(), Some("2001-01-01"));
    assert_eq!(alice.end.as_deref(), Some("2007-12-31"));
    assert_eq!(alice.properties["viz_color"], "#ff0010");
    assert_eq!(alice.properties["viz_size"], 12.5);
    assert_eq!(alice.properties["age"], 34);
    assert_eq!(alice.properties["active"], true);
    assert_eq!(rows["b"].kind, "organization");
    let notes = notes(&path);
    assert!(
        notes.iter().any(|note| note.contains("2 spells")),
        "{notes:?}"
    );
    // Labels became relation kinds and labels; the weight a property.
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM relations WHERE kind = 'works for' AND label = 'works for' AND json_extract(properties, '$.weight') = 2.0"
        ),
        1
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM relations WHERE kind = 'related_to' AND date_start = '2008-01-01'"
        ),
        1
    );
    // Gephi's y grows up, the screen's down.
    let view = load(&path).view.unwrap();
    let alice_at = view
        .positions
        .iter()
        .find(|position| position.entity_id == alice.id)
        .unwrap();
    assert_near(alice_at.world, [10.0, -20.0]);
}

fn assert_near(world: [f32; 2], wanted: [f32; 2]) {
    assert!(
        (world[0] - wanted[0]).abs() < 1e-4 && (world[1] - wanted[1]).abs() < 1e-4,
        "{world:?}, wanted {wanted:?}"
    );
}

#[test]
fn numeric_times_are_kept_as_properties_with_a_note() {
    let folder = tempfile::tempdir().unwrap();
    let path = import(folder.path(), "gexf/networkx_numeric_times_1.1draft.gexf").unwrap();
    let rows = entities(&path, "gexf_id");
    assert_eq!(rows["1"].start, None);
    assert_eq!(rows["1"].properties["start"], 1.5);
    assert_eq!(rows["1"].properties["end"], 3.0);
    assert!(notes(&path).iter().any(|note| note.contains("numbers")));
}

#[test]
fn yed_labels_name_nodes_and_geometry_places_them() {
    let folder = tempfile::tempdir().unwrap();
    let path = import(folder.path(), "graphml/networkx_yed_basic.graphml").unwrap();
    let rows = entities(&path, "graphml_id");
    assert_eq!(rows["n0"].name, "1");
    assert_eq!(rows["n2"].name, "3");
    let view = load(&path).view.unwrap();
    let n0 = view
        .positions
        .iter()
        .find(|position| position.entity_id == rows["n0"].id)
        .unwrap();
    // The box at (125, 100), 30 × 30: its centre.
    assert_near(n0.world, [140.0, 115.0]);
    let groups = import(folder.path(), "graphml/networkx_yed_groups.graphml").unwrap();
    assert!(
        notes(&groups)
            .iter()
            .any(|note| note.contains("nested graphs were flattened"))
    );
}

#[test]
fn edges_to_missing_nodes_are_noted_and_skipped() {
    let folder = tempfile::tempdir().unwrap();
    let path = import(folder.path(), "gexf/graphology_missing_nodes.gexf").unwrap();
    let notes = notes(&path);
    assert_eq!(
        notes
            .iter()
            .filter(|note| note.contains("not declared"))
            .count(),
        3,
        "{notes:?}"
    );
}

/// Writes `text` as `name` in `folder` and imports it.
fn import_text(folder: &Path, name: &str, text: &[u8]) -> Result<PathBuf, ImportError> {
    let input = folder.join(name);
    std::fs::write(&input, text).unwrap();
    import_path(folder, &input)
}

#[test]
fn entity_declarations_are_refused_without_expanding() {
    let folder = tempfile::tempdir().unwrap();
    let xxe = br#"<?xml version="1.0"?>
<!DOCTYPE gexf [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes><node id="a" label="&x;"/></nodes></graph></gexf>"#;
    let error = import_text(folder.path(), "xxe.gexf", xxe).unwrap_err();
    assert!(matches!(error, ImportError::Refused { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("xxe.gexf: XML entity declarations are refused"),
        "{error}"
    );
    assert!(!folder.path().join("xxe.gexf.sqlite").exists());

    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE graphml [\n<!ENTITY lol \"lol\">\n");
    for level in 1..10 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        let entity = format!("&{previous};").repeat(10);
        writeln!(laughs, "<!ENTITY lol{level} \"{entity}\">").unwrap();
    }
    laughs.push_str("]>\n<graphml><graph edgedefault=\"directed\"><node id=\"n\"><data key=\"d\">&lol9;</data></node></graph></graphml>");
    let started = std::time::Instant::now();
    let error = import_text(folder.path(), "laughs.graphml", laughs.as_bytes()).unwrap_err();
    assert!(matches!(error, ImportError::Refused { .. }), "{error}");
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn hyperedges_and_ports_are_refused() {
    let folder = tempfile::tempdir().unwrap();
    let hyper = br#"<graphml><graph edgedefault="undirected"><node id="a"/><node id="b"/><node id="c"/>
<hyperedge><endpoint node="a"/><endpoint node="b"/><endpoint node="c"/></hyperedge></graph></graphml>"#;
    let error = import_text(folder.path(), "hyper.graphml", hyper).unwrap_err();
    assert!(error.to_string().contains("hyperedges"), "{error}");
    let ports = br#"<graphml><graph edgedefault="directed"><node id="a"><port name="p"/></node></graph></graphml>"#;
    let error = import_text(folder.path(), "ports.graphml", ports).unwrap_err();
    assert!(error.to_string().contains("ports"), "{error}");
    let sourceport = br#"<graphml><graph edgedefault="directed"><node id="a"/><node id="b"/><edge source="a" target="b" sourceport="p"/></graph></graphml>"#;
    let error = import_text(folder.path(), "sourceport.graphml", sourceport).unwrap_err();
    assert!(matches!(error, ImportError::Refused { .. }), "{error}");
}

#[test]
fn hostile_files_give_clear_errors() {
    let folder = tempfile::tempdir().unwrap();
    let mut bad_utf8 = b"<gexf><graph><nodes><node id=\"a\" label=\"".to_vec();
    bad_utf8.extend_from_slice(&[0xff, 0xfe]);
    bad_utf8.extend_from_slice(b"\"/></nodes></graph></gexf>");
    let error = import_text(folder.path(), "utf8.gexf", &bad_utf8).unwrap_err();
    assert!(matches!(error, ImportError::Malformed { .. }), "{error}");
    assert!(error.to_string().starts_with("utf8.gexf:1:"), "{error}");

    let cut = b"<graphml><graph edgedefault=\"directed\"><node id=\"a\"/><node id=\"b\"";
    let error = import_text(folder.path(), "cut.graphml", cut).unwrap_err();
    assert!(error.to_string().contains("cut.graphml"), "{error}");

    let not_gexf = b"<svg></svg>";
    let error = import_text(folder.path(), "x.gexf", not_gexf).unwrap_err();
    assert!(error.to_string().contains("not a GEXF file"), "{error}");
}
