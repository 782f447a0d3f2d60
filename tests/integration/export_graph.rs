//! Graph exports for other tools: the bytes networkx read when the stored
//! reference was made (`tests/reference/graph_export.py`) are the bytes
//! exported now, and what networkx read there agrees with plain SQL on
//! the sample; CSV tables agree with SQL directly.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use egui_kittest::kittest::Queryable as _;
use linkscope::export::graph_formats::{GraphExportOptions, GraphFormat, csv_paths, export_graph};
use linkscope::export::headless::saved_view_look;
use sha2::Digest;

use crate::ui::sample_path;

fn reference() -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/reference/graph_export.json")).unwrap(),
    )
    .unwrap()
}

/// (kind → count) of a column, read with plain SQL.
fn counts(sql: &str) -> BTreeMap<String, u64> {
    let connection = rusqlite::Connection::open_with_flags(
        sample_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut statement = connection.prepare(sql).unwrap();
    statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })
        .unwrap()
        .map(|row| {
            let (key, count) = row.unwrap();
            (key, count as u64)
        })
        .collect()
}

fn as_counts(value: &serde_json::Value) -> BTreeMap<String, u64> {
    value
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, count)| (key.clone(), count.as_u64().unwrap()))
        .collect()
}

fn export(format: GraphFormat, name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join(name);
    let summary = export_graph(
        &sample_path(),
        &out,
        format,
        GraphExportOptions::default(),
        // As `linkscope export-graph` does: the view's colours and sizes.
        &saved_view_look(&sample_path(), false).unwrap(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap();
    assert_eq!((summary.entities, summary.relations), (27, 53));
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    (folder, out)
}

#[test]
fn gexf_and_graphml_are_the_bytes_networkx_read_and_it_read_what_the_file_holds() {
    let reference = reference();
    let kinds = counts("SELECT kind, count(*) FROM entities GROUP BY kind");
    let relation_kinds = counts("SELECT kind, count(*) FROM relations GROUP BY kind");
    let supported = counts(
        "SELECT 'supported', count(DISTINCT relation_id) FROM relation_excerpts",
    )["supported"];
    let names: Vec<String> = {
        let mut names: Vec<String> = counts("SELECT name, count(*) FROM entities GROUP BY name")
            .into_keys()
            .collect();
        names.sort();
        names
    };
    for (format, name) in [
        (GraphFormat::Gexf, "gexf"),
        (GraphFormat::GraphMl, "graphml"),
    ] {
        let (_folder, out) = export(format, &format!("sample.{name}"));
        let read = &reference[name];
        let bytes = std::fs::read(&out).unwrap();
        assert_eq!(
            format!("{:x}", sha2::Sha256::digest(&bytes)),
            read["sha256"].as_str().unwrap(),
            "{name}: the export changed since networkx read it; re-run tests/reference/graph_export.py"
        );
        assert_eq!(read["nodes"], 27, "{name}");
        assert_eq!(read["edges"], 53, "{name}");
        assert_eq!(read["directed"], true, "{name}");
        assert_eq!(as_counts(&read["kinds"]), kinds, "{name}");
        assert_eq!(as_counts(&read["edge_kinds"]), relation_kinds, "{name}");
        assert_eq!(
            read["supported_edges"].as_u64().unwrap(),
            supported,
            "{name}"
        );
        let read_names: Vec<String> = read["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|name| name.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(read_names, names, "{name}");
    }
}

#[test]
fn csv_tables_have_gephis_columns_and_every_row() {
    let (_folder, out) = export(GraphFormat::Csv, "sample.csv");
    let (nodes, edges) = csv_paths(&out);
    let mut reader = csv::Reader::from_path(&nodes).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "Id");
    assert_eq!(&header[1], "Label");
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    for record in reader.records() {
        *kinds.entry(record.unwrap()[2].to_owned()).or_default() += 1;
    }
    assert_eq!(
        kinds,
        counts("SELECT kind, count(*) FROM entities GROUP BY kind")
    );
    let mut reader = csv::Reader::from_path(&edges).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        header.iter().take(3).collect::<Vec<_>>(),
        ["Source", "Target", "Type"]
    );
    let mut relation_kinds: BTreeMap<String, u64> = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(&record[2], "Directed");
        *relation_kinds.entry(record[5].to_owned()).or_default() += 1;
    }
    assert_eq!(
        relation_kinds,
        counts("SELECT kind, count(*) FROM relations GROUP BY kind")
    );
}

/// File ▸ Export Graph… in the window: the format chosen, the file named
/// beside the graph file, written in the background, and said so.
#[test]
fn the_window_exports_the_graph_as_graphml_beside_the_file() {
    use crate::project::menu_item;
    use crate::ui::{app_harness, settled, step_until};
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("case.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    let mut harness = app_harness(path, egui::vec2(1280.0, 820.0));
    step_until(&mut harness, "the file to load and settle", settled);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get(menu_item("Export Graph…")).click();
    harness.run_steps(4);
    harness
        .get_by_label("GraphML (yEd, Cytoscape, igraph)")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Export").click();
    step_until(&mut harness, "the export to be written", |app| {
        app.messages()
            .any(|message| message.starts_with("wrote the graph"))
    });
    let written = std::fs::read_to_string(folder.path().join("case.graphml")).unwrap();
    assert_eq!(written.matches("<node id=").count(), 27);
    assert_eq!(written.matches("<edge id=").count(), 53);
    // The view's positions went out too (the layout has placed every node).
    assert!(written.contains("<graphml"));
}

/// Linkscope → GEXF / GraphML → Linkscope keeps every entity, relation,
/// kind, name, date and property: the sample goes out and comes back in
/// through the importers, and both files are compared row by row in SQL.
#[test]
fn the_sample_comes_back_whole_through_gexf_and_graphml() {
    use linkscope::import::{ImportOptions, Progress, import_files};
    type Rows = Vec<(String, String, Option<String>, Option<String>, String)>;
    type Links = Vec<(String, String, String, Option<String>)>;
    let read = |path: &Path| -> (Rows, Links) {
        let connection =
            rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap();
        let mut entities: Rows = connection
            .prepare(
                "SELECT name, kind, date_start, date_end, coalesce(properties, '{}') FROM entities",
            )
            .unwrap()
            .query_map([], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        // Properties compared as JSON, without the importer's own source ids.
        for entity in &mut entities {
            let mut value: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&entity.4).unwrap();
            // The view's colour and size come along as viz_ properties.
            // The kind and name also come back as attributes of their own.
            value.retain(|key, _| {
                ![
                    "gexf_id",
                    "graphml_id",
                    "kind",
                    "name",
                    "description",
                    "date_start",
                    "date_end",
                ]
                .contains(&key.as_str())
                    && !key.starts_with("viz_")
            });
            // Lists and objects go out as JSON text.
            for stored in value.values_mut() {
                if let Some(parsed) = stored
                    .as_str()
                    .filter(|text| text.starts_with('[') || text.starts_with('{'))
                    .and_then(|text| serde_json::from_str(text).ok())
                {
                    *stored = parsed;
                }
            }
            entity.4 = serde_json::Value::Object(value).to_string();
        }
        entities.sort();
        let mut relations: Links = connection
            .prepare(
                "SELECT s.name, r.kind, o.name, r.date_start FROM relations r
                 JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id",
            )
            .unwrap()
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        relations.sort();
        (entities, relations)
    };
    let original = read(&sample_path());
    for (format, name) in [
        (GraphFormat::Gexf, "gexf"),
        (GraphFormat::GraphMl, "graphml"),
    ] {
        let (folder, out) = export(format, &format!("sample.{name}"));
        let back = folder.path().join(format!("back-{name}.sqlite"));
        import_files(
            &[out],
            &back,
            &ImportOptions::default(),
            &std::sync::Arc::new(Progress::default()),
        )
        .unwrap();
        let imported = read(&back);
        assert_eq!(imported.0.len(), original.0.len(), "{name}: entities");
        for (got, want) in imported.0.iter().zip(&original.0) {
            assert_eq!(got, want, "{name}: an entity changed on the way");
        }
        assert_eq!(imported.1, original.1, "{name}: relations");
    }
}

/// The command line's export works the look out from the rows it reads
/// (no second load of the file); its bytes are those of the look the
/// window's document gives, the saved view's positions and node scale
/// included.
#[test]
fn the_command_lines_look_from_the_rows_writes_the_same_bytes() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("viewed.sqlite");
    std::fs::copy(sample_path(), &file).unwrap();
    let ids: Vec<i64> = rusqlite::Connection::open(&file)
        .unwrap()
        .prepare("SELECT id FROM entities ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let view = linkscope::store::ViewState {
        positions: ids
            .iter()
            .enumerate()
            .map(|(index, &entity_id)| linkscope::store::SavedPosition {
                entity_id,
                world: [index as f32 * 10.0, -(index as f32) * 3.5],
                pinned: false,
            })
            .collect(),
        node_scale: Some(0.37),
        ..linkscope::store::ViewState::default()
    };
    linkscope::store::save_view(&file, &view).unwrap();
    for (format, name) in [
        (GraphFormat::Gexf, "g.gexf"),
        (GraphFormat::GraphMl, "g.graphml"),
        (GraphFormat::Csv, "g.csv"),
    ] {
        let cancel = Arc::new(AtomicBool::new(false));
        let reference = folder.path().join(format!("reference-{name}"));
        export_graph(
            &file,
            &reference,
            format,
            GraphExportOptions::default(),
            &saved_view_look(&file, false).unwrap(),
            &cancel,
        )
        .unwrap();
        let out = folder.path().join(name);
        linkscope::export::graph_formats::export_graph_look_from_rows(
            &file,
            &out,
            format,
            GraphExportOptions::default(),
            linkscope::export::headless::look_of_rows,
            &cancel,
        )
        .unwrap();
        let read = |path: &Path| match format {
            GraphFormat::Csv => {
                let (nodes, edges) = csv_paths(path);
                [std::fs::read(nodes).unwrap(), std::fs::read(edges).unwrap()].concat()
            }
            _ => std::fs::read(path).unwrap(),
        };
        let written = read(&out);
        // Entity 2 sits at (10, -3.5): y goes out upwards in GEXF and CSV
        // (GraphML has positions only in yEd's graphics).
        assert!(
            format == GraphFormat::GraphMl || String::from_utf8_lossy(&written).contains("3.5"),
            "{name}: the saved positions went out"
        );
        assert_eq!(written, read(&reference), "{name}");
    }
}
