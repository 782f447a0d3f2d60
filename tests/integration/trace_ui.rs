//! The Trace panel driven through the real window: choose two entities on
//! the canvas, trace, read the evidence chain, open a hop. The expected
//! hops are the ones worked by hand in `trace.rs` (relations 53, then 15
//! and 22) and the path count is networkx's (`reference.json`).

use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use linkscope::view::hit::Hit;

use crate::ui::{app_harness, click_at, details_read, sample_path, settled, step_until};

/// (id, text) of the excerpts that support `relation`, straight from SQL.
fn excerpts_of(relation: i64) -> Vec<(i64, String)> {
    let connection = rusqlite::Connection::open_with_flags(
        sample_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut statement = connection
        .prepare("SELECT x.id, x.text FROM relation_excerpts l JOIN excerpts x ON x.id = l.excerpt_id WHERE l.relation_id = ?1 ORDER BY x.id")
        .unwrap();
    statement
        .query_map([relation], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn traced(app: &linkscope::app::LinkscopeApp) -> bool {
    !app.is_tracing() && !app.is_reading_details()
}

#[test]
fn tracing_between_two_entities_shows_the_path_and_its_evidence_chain() {
    let mut harness = app_harness(sample_path(), egui::vec2(1200.0, 900.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    let graph = harness.state().graph().unwrap();
    let node = |id: i64| graph.node_by_db_id(id).unwrap();
    let edge_of = |id: i64| {
        (0..graph.edge_count() as u32)
            .find(|&edge| graph.edge_db_id(edge) == id)
            .unwrap()
    };
    let (haqqani, afghanistan, taliban) = (node(2), node(20), node(8));
    let (direct, leading, rules) = (edge_of(53), edge_of(15), edge_of(22));

    // Trace from Haqqani to Afghanistan, each chosen on the canvas.
    let position = harness.state().node_on_screen(haqqani).unwrap();
    click_at(&mut harness, position);
    assert_eq!(harness.state().selection(), Some(Hit::Node(haqqani)));
    harness.get_by_label("Trace from here").click();
    harness.run_steps(3);
    // The Trace panel took room from the canvas: fit the graph to what is left.
    harness.get_by_label("Fit").click();
    harness.run_steps(3);
    let position = harness.state().node_on_screen(afghanistan).unwrap();
    let canvas = harness.state().camera().unwrap().1;
    assert!(
        canvas.contains(position),
        "{position:?} is off the canvas {canvas:?}"
    );
    click_at(&mut harness, position);
    assert_eq!(harness.state().selection(), Some(Hit::Node(afghanistan)));
    harness.get_by_label("Trace to here").click();
    harness.run_steps(2);
    step_until(&mut harness, "the trace", traced);

    // Fewest hops: the one alleged relation.
    harness.get_by_label_contains("Shortest path: 1 hop");
    harness.get_by_label("1. Sirajuddin Haqqani is allegedly responsible for a project of developing terrorism in Afghanistan");
    assert_eq!(harness.state().trace_overlay().edges, vec![direct]);
    assert_eq!(
        harness.state().trace_overlay().nodes,
        vec![haqqani, afghanistan]
    );

    // Following direction and preferring well-sourced edges: two hops.
    harness.get_by_label("Follow direction").click();
    harness.run_steps(2);
    harness.get_by_label("Prefer well-sourced edges").click();
    harness.run_steps(2);
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label("Find Shortest Path"),
        )
        .click();
    harness.run_steps(2);
    step_until(&mut harness, "the best-sourced trace", traced);
    harness.get_by_label_contains("Best-sourced path: 2 hops");
    assert_eq!(harness.state().trace_overlay().edges, vec![leading, rules]);
    assert_eq!(
        harness.state().trace_overlay().nodes,
        vec![haqqani, taliban, afghanistan]
    );
    harness.get_by_label("Evidence chain");
    harness.get_by_label("1. Sirajuddin Haqqani is a leading figure of Taliban government");
    harness.get_by_label("2. Taliban government rules Afghanistan");
    // Exactly the two relations' excerpts, each quoted once.
    let mut expected: Vec<String> = [15, 22]
        .into_iter()
        .flat_map(excerpts_of)
        .map(|(_, text)| format!("“{text}”"))
        .collect();
    assert_eq!(expected.len(), 4);
    let mut shown: Vec<String> = harness
        .query_all(By::new().label_contains("“"))
        .filter_map(|node| node.accesskit_node().value())
        .collect();
    expected.sort();
    shown.sort();
    assert_eq!(shown, expected);
    // Each excerpt's grades, spelled out: credibility 3 as often as SQL says.
    let connection = rusqlite::Connection::open_with_flags(
        sample_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let possible: usize = connection
        .query_row(
            "SELECT count(*) FROM relation_excerpts l JOIN excerpts x ON x.id = l.excerpt_id WHERE l.relation_id IN (15, 22) AND x.credibility = '3'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(possible > 0);
    let graded = harness
        .query_all(By::new().label_contains("credibility 3 (possibly true)"))
        .count();
    assert_eq!(graded, possible);

    // Clicking a hop opens its relation's evidence.
    harness
        .get_by_label("1. Sirajuddin Haqqani is a leading figure of Taliban government")
        .click();
    harness.run_steps(3);
    details_read(&mut harness);
    assert_eq!(harness.state().selection(), Some(Hit::Edge(leading)));
    harness.get_by_label("Evidence");
    harness.get_by_label("2 supporting excerpts");

    // All paths up to 3 hops, following direction: networkx counts them.
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/trace/reference.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let case = reference["sample"]["simple_paths"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["from"] == 2 && case["to"] == 20 && case["max_hops"] == 3)
        .unwrap();
    let count = case["directed"].as_u64().unwrap();
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label("List All Paths up to 3 hops"),
        )
        .click();
    harness.run_steps(2);
    step_until(&mut harness, "all paths", traced);
    harness.get_by_label_contains(&format!("{count} paths ·"));

    // Clear Trace removes the panel and the highlight.
    harness.get_by_label("Close").click();
    harness.run_steps(3);
    assert!(harness.state().trace_overlay().edges.is_empty());
    assert!(harness.query_by_label("Evidence chain").is_none());
}
