//! Importing in the window: a file that is not a graph file, opened or
//! dropped, is offered for import; the import writes a new graph file
//! beside it (the original untouched) and opens it.

use egui_kittest::kittest::{By, Queryable as _};

use crate::ui::{app_harness, step_until};

const GEXF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph defaultedgetype="directed">
    <nodes>
      <node id="a" label="Alice"/>
      <node id="b" label="Bob"/>
      <node id="c" label="Carol"/>
    </nodes>
    <edges>
      <edge id="1" source="a" target="b" label="knows"/>
      <edge id="2" source="b" target="c"/>
    </edges>
  </graph>
</gexf>
"#;

#[test]
fn opening_a_gexf_offers_the_import_and_opens_the_new_graph_file() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("friends.gexf");
    std::fs::write(&input, GEXF).unwrap();
    // A file of that name is there already: the import must not replace it.
    let taken = folder.path().join("friends.sqlite");
    std::fs::write(&taken, b"not mine to replace").unwrap();

    let mut harness = app_harness(input.clone(), egui::vec2(1280.0, 820.0));
    step_until(&mut harness, "the offer to import", |app| {
        app.import_offer().is_some()
    });
    let offer = harness.state().import_offer().unwrap().clone();
    assert_eq!(offer.format, "GEXF");
    let output = folder.path().join("friends-2.sqlite");
    assert_eq!(offer.output, output.display().to_string());
    harness.run_steps(2);
    harness
        .get_by_label_contains("friends.gexf is a GEXF file")
        .hover();
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label("Import"),
        )
        .click();
    step_until(&mut harness, "the imported file to open", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 3)
    });
    let graph = harness.state().graph().unwrap();
    assert_eq!(graph.edge_count(), 2);
    assert!(harness.state().title().contains("friends-2.sqlite"));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), GEXF);
    assert_eq!(std::fs::read(&taken).unwrap(), b"not mine to replace");
    assert!(output.exists());
}

/// What an import skipped is listed, with its file and line, in the load
/// report of the file it wrote, whenever that file is opened.
#[test]
fn the_load_report_lists_what_the_import_skipped_with_file_and_line() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("dup.gexf");
    std::fs::write(
        &input,
        "<?xml version=\"1.0\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\"><graph>\n<nodes><node id=\"a\" label=\"A\"/>\n<node id=\"a\" label=\"A again\"/>\n<node id=\"b\" label=\"B\"/></nodes>\n<edges><edge source=\"a\" target=\"b\"/></edges></graph></gexf>\n",
    )
    .unwrap();
    let output = folder.path().join("dup.sqlite");
    linkscope::import::import_files(
        &[input],
        &output,
        &linkscope::import::ImportOptions::default(),
        &std::sync::Arc::new(linkscope::import::Progress::default()),
    )
    .unwrap();
    let loaded = linkscope::store::load_graph(
        &output,
        &linkscope::store::LoadProgress::default(),
        &std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    )
    .unwrap();
    assert_eq!(loaded.report.import_notes_total, 1);
    assert_eq!(
        loaded.report.import_notes,
        ["dup.gexf:4: node id \"a\" is used twice: the first was kept"]
    );
    assert!(loaded.report.to_text().contains("dup.gexf:4:"));
}

/// A spreadsheet no tool wrote for us: semicolons, Windows-1252, headers
/// Linkscope does not know. The Import window previews it, takes a role
/// for each column, counts what the import would write, saves the mapping
/// for the command line, and the import reads the columns as chosen.
#[test]
fn a_csv_with_unknown_columns_is_mapped_in_the_window_and_imported_as_mapped() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("links.csv");
    // "Müller" in Windows-1252: ü is the single byte 0xFC.
    let mut bytes = b"Person;Organisation;Role;Since\n".to_vec();
    bytes.extend_from_slice(b"M\xfcller;Acme Holdings;director;2019\n");
    bytes.extend_from_slice(b"Okafor;Acme Holdings;shareholder;2021-03\n");
    bytes.extend_from_slice(b"M\xfcller;Blue Finch Ltd;director;2020\n");
    std::fs::write(&input, &bytes).unwrap();

    let mut harness = app_harness(input.clone(), egui::vec2(1280.0, 820.0));
    step_until(&mut harness, "the first rows of the CSV", |app| {
        app.import_offer()
            .and_then(|offer| offer.csv.as_ref())
            .is_some_and(|form| form.draft.is_some())
    });
    harness.run_steps(2);
    // The preview decoded Windows-1252 and split on semicolons.
    assert_eq!(harness.get_all_by_label("Müller").count(), 2);
    harness.get_by_label("Organisation");
    let draft = harness
        .state()
        .import_offer()
        .unwrap()
        .csv
        .as_ref()
        .unwrap()
        .draft
        .clone()
        .unwrap();
    assert_eq!(
        (draft.encoding.as_str(), draft.delimiter),
        ("windows-1252", ';')
    );
    // Role ← relation kind, Since ← start (combos: delimiter, encoding,
    // the file's side, then one per column).
    pick(&mut harness, 5, "relation kind");
    pick(&mut harness, 6, "start");
    // Every entity the links name gets the kind typed here.
    let field = harness.get(
        By::new()
            .role(egui::accesskit::Role::TextInput)
            .label("Kind when a row gives none: entities"),
    );
    field.focus();
    field.type_text("organization");
    harness.run_steps(2);
    harness.get_by_label("Check").click();
    step_until(&mut harness, "the dry run", |app| {
        app.import_offer()
            .and_then(|offer| offer.csv.as_ref())
            .is_some_and(|form| !form.summary.is_empty())
    });
    harness.run_steps(2);
    harness.get_by_label_contains("would write 4 entities, 3 relations");

    harness.get_by_label("Save Mapping").click();
    harness.run_steps(2);
    let mapping_path = folder.path().join("links.mapping.toml");
    let mapping = std::fs::read_to_string(&mapping_path).unwrap();
    assert!(mapping.contains("delimiter = \";\""), "{mapping}");
    assert!(mapping.contains("Role = \"relation_kind\""), "{mapping}");

    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label("Import"),
        )
        .click();
    step_until(&mut harness, "the imported file to open", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 4)
    });
    let output = folder.path().join("links.sqlite");
    let connection = rusqlite::Connection::open(&output).unwrap();
    let rows: Vec<(String, String, String, Option<String>)> = connection
        .prepare(
            "SELECT s.name, o.name, r.kind, r.date_start FROM relations r
             JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id
             ORDER BY r.id",
        )
        .unwrap()
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows[0],
        (
            "Müller".to_owned(),
            "Acme Holdings".to_owned(),
            "director".to_owned(),
            Some("2019".to_owned())
        )
    );
    assert_eq!(rows[1].2, "shareholder");
    let kinds: Vec<String> = connection
        .prepare("SELECT DISTINCT kind FROM entities")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kinds, ["organization"]);
    assert_eq!(rows[1].3.as_deref(), Some("2021-03"));
    assert_eq!(rows.len(), 3);

    // The saved mapping gives the command line the same file.
    let again = folder.path().join("again.sqlite");
    let summary = linkscope::import::import_files(
        &[input],
        &again,
        &linkscope::import::ImportOptions {
            format: None,
            csv_mapping: Some(mapping),
        },
        &std::sync::Arc::new(linkscope::import::Progress::default()),
    )
    .unwrap();
    assert_eq!((summary.entities, summary.relations), (4, 3));
}

/// Picks `item` in the `index`th combo box of the window.
fn pick(
    harness: &mut egui_kittest::Harness<'_, linkscope::app::LinkscopeApp>,
    index: usize,
    item: &str,
) {
    harness
        .get_all_by_role(egui::accesskit::Role::ComboBox)
        .nth(index)
        .expect("the combo box")
        .click();
    harness.run_steps(2);
    harness
        .get_all_by_label(item)
        .last()
        .expect("the combo's item")
        .click();
    harness.run_steps(2);
}
