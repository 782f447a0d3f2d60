//! Exploring by search and expansion in the window, on a graph file (the
//! same steps run against a PostgreSQL server in `postgres.rs`): search
//! seeds an empty scene, an expansion adds a page of neighbours, "Load
//! next" pages on, entities already drawn keep their place and new ones
//! start beside the entity they came in from. Expected names and counts
//! come from the fixture's own SQL, not from the code under test.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};
use linkscope::app::{AppOptions, ExploreSpec, ExploreStatus, LinkscopeApp};
use linkscope::view::hit::Hit;

use crate::ui::{sample_path, step_until};

/// How many entities the fixture's hub is joined to.
pub(crate) const HUB_NEIGHBOURS: usize = 60;

/// The sample plus "Hub Holdings", an organisation owning "Shell 1" to
/// "Shell 60" (relations in that order, so the oldest come first), the
/// first with a quoted excerpt.
pub(crate) fn hub_fixture(folder: &Path) -> PathBuf {
    let path = folder.join("hub.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "INSERT INTO entities (id, kind, name) VALUES (9000, 'organization', 'Hub Holdings');
             INSERT INTO documents (id, title) VALUES (9000, 'Hub registry extract');
             INSERT INTO excerpts (id, document_id, text) VALUES (9000, 9000, 'Hub Holdings owns Shell 1 outright.');",
        )
        .unwrap();
    for index in 1..=HUB_NEIGHBOURS as i64 {
        connection
            .execute(
                "INSERT INTO entities (id, kind, name) VALUES (?1, 'organization', ?2)",
                rusqlite::params![9000 + index, format!("Shell {index}")],
            )
            .unwrap();
        connection
            .execute(
                "INSERT INTO relations (id, subject_id, object_id, kind, label) VALUES (?1, 9000, ?2, 'owns', 'owns')",
                rusqlite::params![9000 + index, 9000 + index],
            )
            .unwrap();
    }
    connection
        .execute(
            "INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (9001, 9000)",
            [],
        )
        .unwrap();
    path
}

pub(crate) fn explore_harness(spec: ExploreSpec) -> Harness<'static, LinkscopeApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 820.0))
        .wgpu()
        .build_eframe(move |cc| {
            LinkscopeApp::new(
                cc,
                AppOptions {
                    explore: Some(spec),
                    native_dialogs: false,
                    ..AppOptions::default()
                },
            )
        })
}

fn node_named(app: &LinkscopeApp, name: &str) -> Option<u32> {
    let graph = app.graph()?;
    (0..graph.node_count() as u32).find(|&node| graph.node_name(node) == name)
}

fn names(app: &LinkscopeApp) -> Vec<String> {
    let graph = app.graph().unwrap();
    let mut names: Vec<String> = (0..graph.node_count() as u32)
        .map(|node| graph.node_name(node).to_owned())
        .collect();
    names.sort();
    names
}

fn shells(range: std::ops::RangeInclusive<usize>) -> Vec<String> {
    let mut names: Vec<String> = range.map(|index| format!("Shell {index}")).collect();
    names.push("Hub Holdings".to_owned());
    names.sort();
    names
}

pub(crate) fn button(harness: &Harness<'_, LinkscopeApp>, label: &str) -> bool {
    harness
        .query(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label_contains(label),
        )
        .is_some()
}

pub(crate) fn click_button(harness: &mut Harness<'_, LinkscopeApp>, label: &str) {
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label_contains(label),
        )
        .click();
}

/// From an empty scene to the hub with its first 50 shells, selected.
pub(crate) fn seed_the_hub(harness: &mut Harness<'_, LinkscopeApp>) {
    step_until(harness, "the source to open, with an empty scene", |app| {
        app.explore_status() == Some(ExploreStatus::Ready)
            && app.graph().is_some_and(|graph| graph.node_count() == 0)
    });
    let field = harness.get(
        By::new()
            .role(egui::accesskit::Role::TextInput)
            .label("Search names"),
    );
    field.focus();
    field.type_text("hub hold");
    harness.run_steps(2);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !button(harness, "Hub Holdings (organization)") {
        assert!(std::time::Instant::now() < deadline, "no search result");
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    click_button(harness, "Hub Holdings (organization)");
    step_until(harness, "the hub and its first 50 neighbours", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 51) && app.layout_settled()
    });
    assert_eq!(names(harness.state()), shells(1..=50));
    let graph = harness.state().graph().unwrap();
    assert_eq!(graph.edge_count(), 50, "the hub's 50 relations");
    let hub = node_named(harness.state(), "Hub Holdings").unwrap();
    assert_eq!(harness.state().selection(), Some(Hit::Node(hub)));
    harness.run_steps(3);
    assert!(button(harness, "Load next 10 (+10 more)"));
    assert!(button(harness, "+10 Hub Holdings"));
}

/// The steps every source must pass: from an empty scene to the hub with
/// 50 shells, then the next 10, the old picture kept.
pub(crate) fn explore_the_hub(harness: &mut Harness<'_, LinkscopeApp>) {
    seed_the_hub(harness);

    let before: Vec<(String, [f32; 2])> = (0..51)
        .map(|node| {
            let app = harness.state();
            (
                app.graph().unwrap().node_name(node).to_owned(),
                app.positions()[node as usize],
            )
        })
        .collect();
    let extent = before
        .iter()
        .map(|(_, point)| point[0].abs().max(point[1].abs()))
        .fold(0.0_f32, f32::max);
    click_button(harness, "Load next 10");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while harness
        .state()
        .graph()
        .is_none_or(|graph| graph.node_count() != 61)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the next page never came"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // The first frame of the grown scene: the old picture where it was.
    let app = harness.state();
    assert_eq!(names(app), shells(1..=60));
    for (name, point) in &before {
        let node = node_named(app, name).unwrap();
        let now = app.positions()[node as usize];
        let moved = (now[0] - point[0]).hypot(now[1] - point[1]);
        assert!(
            moved <= 0.05 * extent,
            "{name} jumped by {moved} (picture extent {extent})"
        );
    }
    // The new shells start beside the hub, not anywhere.
    let hub = app.positions()[node_named(app, "Hub Holdings").unwrap() as usize];
    for index in 51..=60 {
        let node = node_named(app, &format!("Shell {index}")).unwrap();
        let point = app.positions()[node as usize];
        let distance = (point[0] - hub[0]).hypot(point[1] - hub[1]);
        assert!(
            distance <= 0.6 * extent,
            "Shell {index} starts {distance} from the hub (extent {extent})"
        );
    }
    step_until(harness, "every neighbour shown", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 61)
    });
    harness.run_steps(3);
    assert!(!button(harness, "Load next"));
    assert!(
        harness
            .query_by_label_contains("Every neighbour is shown")
            .is_some()
    );
    assert!(harness.state().title().contains("(exploring)"));

    // Evidence on click: the excerpt the source cites for "owns Shell 1".
    step_until(
        harness,
        "the layout to settle",
        LinkscopeApp::layout_settled,
    );
    let app = harness.state();
    let graph = app.graph().unwrap();
    let shell_1 = node_named(app, "Shell 1").unwrap();
    let edge = (0..graph.edge_count() as u32)
        .find(|&edge| graph.edge_endpoints(edge).1 == shell_1)
        .unwrap();
    let position = harness.state_mut().edge_click_target(edge).unwrap();
    crate::ui::click_at(harness, position);
    step_until(harness, "the evidence panel", |app| {
        app.selection() == Some(Hit::Edge(edge))
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while harness
        .query_by_label_contains("Hub Holdings owns Shell 1 outright.")
        .is_none()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the excerpt never showed"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        harness
            .query_by_label_contains("Hub registry extract")
            .is_some()
    );
}

#[test]
fn exploring_a_file_grows_the_scene_by_search_and_pages_of_neighbours() {
    let folder = tempfile::tempdir().unwrap();
    let fixture = hub_fixture(folder.path());
    let mut harness = explore_harness(ExploreSpec::File(fixture.clone()));
    explore_the_hub(&mut harness);
    // The evidence came with the relation that cites it.
    let app = harness.state();
    let graph = app.graph().unwrap();
    let cited = (0..graph.edge_count() as u32)
        .filter(|&edge| graph.edge_excerpt_count(edge) > 0)
        .count();
    assert_eq!(cited, 1);
    // The explored file is never written.
    let connection = rusqlite::Connection::open(&fixture).unwrap();
    let tables: i64 = connection
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'app_%'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0, "the explored file got app tables");
}
