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
