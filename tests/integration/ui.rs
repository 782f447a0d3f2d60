//! The real app driven through `egui_kittest`: pointer events where things are
//! drawn, assertions on what the panels show, and a rendered snapshot.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use linkscope::app::{AppOptions, LinkscopeApp};
use linkscope::view::hit::Hit;

pub(crate) fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite")
}

pub(crate) fn app_harness(file: PathBuf, size: egui::Vec2) -> Harness<'static, LinkscopeApp> {
    harness_with(
        AppOptions {
            file: Some(file),
            ..AppOptions::default()
        },
        size,
    )
}

/// The real app with `options` (no native dialogs: the path field stands
/// in for them), on the wgpu renderer.
pub(crate) fn harness_with(
    options: AppOptions,
    size: egui::Vec2,
) -> Harness<'static, LinkscopeApp> {
    Harness::builder()
        .with_size(size)
        .wgpu()
        .build_eframe(move |cc| {
            LinkscopeApp::new(
                cc,
                AppOptions {
                    native_dialogs: false,
                    ..options
                },
            )
        })
}

/// Opens the File menu and clicks the item whose label contains `item`.
pub(crate) fn click_file_menu_item(harness: &mut Harness<'_, LinkscopeApp>, item: &str) {
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label_contains(item),
        )
        .click();
}

/// Types `path` into the path field that stands in for a file dialog.
pub(crate) fn type_path(harness: &mut Harness<'_, LinkscopeApp>, path: &Path) {
    let field = harness.get(
        By::new()
            .role(egui::accesskit::Role::TextInput)
            .label("Path:"),
    );
    field.focus();
    field.type_text(&path.display().to_string());
    harness.run_steps(2);
}

/// Steps the app until `done` holds, in real time (the load and the layout
/// run on their own threads).
pub(crate) fn step_until(
    harness: &mut Harness<'_, LinkscopeApp>,
    what: &str,
    done: impl Fn(&LinkscopeApp) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !done(harness.state()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    // A few more frames so the camera fits the final positions.
    for _ in 0..3 {
        harness.step();
    }
}

pub(crate) fn settled(app: &LinkscopeApp) -> bool {
    app.graph().is_some() && app.layout_settled()
}

/// The sample's relation 3, "Dmitry Zhirnov met in Kabul with Sirajuddin Haqqani".
pub(crate) fn meeting_edge(app: &LinkscopeApp) -> u32 {
    let graph = app.graph().unwrap();
    (0..graph.edge_count() as u32)
        .find(|&edge| graph.edge_db_id(edge) == 3)
        .expect("the sample has relation 3")
}

/// (id, text) of the excerpts that support `relation`, read straight from the file.
fn excerpts_of_relation(relation: i64) -> Vec<(i64, String)> {
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

pub(crate) fn click_at(harness: &mut Harness<'_, LinkscopeApp>, position: egui::Pos2) {
    harness.hover_at(position);
    harness.step();
    harness.drag_at(position);
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: position,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    // The details panel opens, then takes a frame or two to size itself.
    harness.run_steps(4);
    details_read(harness);
}

/// Steps until the details asked for (read off the UI thread) are shown,
/// and a frame or two more for the panel to size itself.
pub(crate) fn details_read(harness: &mut Harness<'_, LinkscopeApp>) {
    step_until(harness, "the details to be read", |app| {
        !app.is_reading_details()
    });
}

#[test]
fn clicking_the_zhirnov_haqqani_meeting_edge_shows_its_evidence() {
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    let edge = meeting_edge(harness.state());
    let graph = harness.state().graph().unwrap();
    let (source, target) = graph.edge_endpoints(edge);
    assert_eq!(graph.node_name(source), "Dmitry Zhirnov");
    assert_eq!(graph.node_name(target), "Sirajuddin Haqqani");
    assert!(
        graph.edge_curve_slot(edge).abs() > 0.0,
        "three relations join the pair, so this one is curved"
    );

    let position = harness.state_mut().edge_click_target(edge).unwrap();
    click_at(&mut harness, position);
    assert_eq!(harness.state().selection(), Some(Hit::Edge(edge)));

    harness.get_by_label("Evidence");
    harness.get_by_label("met in Kabul with");
    let excerpts = excerpts_of_relation(3);
    assert!(!excerpts.is_empty());
    for (_, text) in &excerpts {
        let start: String = text.chars().take(60).collect();
        harness.get_by_label_contains(&start);
    }
    // Exactly the relation's excerpts, by id, and nothing else.
    let shown: std::collections::BTreeSet<i64> = harness
        .query_all(By::new().label_contains("#"))
        .filter_map(|node| {
            node.accesskit_node()
                .value()?
                .strip_prefix('#')?
                .parse()
                .ok()
        })
        .collect();
    let expected: std::collections::BTreeSet<i64> = excerpts.iter().map(|(id, _)| *id).collect();
    assert_eq!(shown, expected, "the excerpt ids shown");
    harness.get_by_label(&format!(
        "{} supporting excerpt{}",
        expected.len(),
        if expected.len() == 1 { "" } else { "s" }
    ));
    harness.get_by_label_contains("Ufuq News");
}

#[test]
fn clicking_a_node_lists_its_relations_and_each_opens_its_evidence() {
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    // The measures join the panel when they are ready, moving the relation
    // links down: under load that can fall between finding a link and
    // clicking it.
    step_until(&mut harness, "the measures", |app| !app.is_measuring());
    let graph = harness.state().graph().unwrap();
    let node = (0..graph.node_count() as u32)
        .find(|&node| graph.node_name(node) == "Abdul Matin Qane")
        .unwrap();
    let position = harness.state().node_on_screen(node).unwrap();
    click_at(&mut harness, position);
    assert_eq!(harness.state().selection(), Some(Hit::Node(node)));
    harness.get_by_label_contains("Interior Ministry spokesman");
    harness
        .get_by_label("Abdul Matin Qane is spokesman for Taliban Interior Ministry")
        .click();
    harness.run_steps(3);
    details_read(&mut harness);
    assert!(matches!(harness.state().selection(), Some(Hit::Edge(_))));
    harness.get_by_label("Evidence");
    harness.get_by_label_contains("Interior Ministry spokesman Abdul Matin Qane");
}

#[test]
fn an_unsupported_relation_says_so() {
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    let graph = harness.state().graph().unwrap();
    let edge = (0..graph.edge_count() as u32)
        .find(|&edge| !graph.edge_is_supported(edge))
        .unwrap();
    // Reach it as an analyst would: click the node at its end, then the
    // relation in the node's list.
    let (source, target) = graph.edge_endpoints(edge);
    let label = format!(
        "{} {} {} (unsupported)",
        graph.node_name(source),
        graph.edge_label(edge),
        graph.node_name(target)
    );
    let node_position = harness.state().node_on_screen(target).unwrap();
    click_at(&mut harness, node_position);
    assert_eq!(harness.state().selection(), Some(Hit::Node(target)));
    harness.get_by_label(&label).click();
    harness.run_steps(3);
    details_read(&mut harness);
    assert_eq!(harness.state().selection(), Some(Hit::Edge(edge)));
    harness.get_by_label_contains("Unsupported relation: it cites no excerpt");
}

#[test]
fn opening_a_bad_file_shows_its_error_in_the_window() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("not-a-graph.sqlite");
    std::fs::write(&path, "plain text, not SQLite").unwrap();
    let mut harness = app_harness(path, egui::vec2(800.0, 500.0));
    step_until(&mut harness, "the load to fail", |app| {
        !app.is_loading() && app.messages().next().is_some()
    });
    let message = harness.state().messages().next().unwrap().to_owned();
    assert!(
        message.contains("not-a-graph.sqlite") && message.contains("not a SQLite database"),
        "{message}"
    );
    harness.get_by_label_contains("not a SQLite database");
    // The app keeps working: open the sample through the typed-path field.
    click_file_menu_item(&mut harness, "Open…");
    harness.run_steps(2);
    assert!(
        harness.state().is_asking_for_path(),
        "File > Open… shows the path field where no dialog exists"
    );
    harness.run_steps(5);
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(&sample_path().display().to_string());
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    step_until(&mut harness, "the sample to load", |app| {
        app.graph().is_some()
    });
    assert!(harness.state().graph().unwrap().node_count() > 20);
}

#[test]
fn the_sample_window_snapshot() {
    let mut harness = app_harness(sample_path(), egui::vec2(900.0, 600.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    harness.snapshot("sample_window");
}

/// A file dropped on the window, as winit hands it to egui.
#[derive(Debug)]
struct DroppedPath(PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|error| error.to_string())
    }
}

#[test]
fn dropping_a_file_on_the_window_opens_it_and_the_title_names_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("dropped.sqlite");
    linkscope::store::generate_graph_file(
        &path,
        &linkscope::store::GenerateOptions {
            nodes: 40,
            edges: 90,
            ..Default::default()
        },
    )
    .unwrap();
    let mut harness = app_harness(sample_path(), egui::vec2(800.0, 500.0));
    step_until(&mut harness, "the sample to load", |app| {
        app.graph().is_some()
    });
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(path.clone())));
    step_until(&mut harness, "the dropped file to load", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 40)
    });
    assert_eq!(harness.state().graph().unwrap().edge_count(), 90);
    assert_eq!(harness.state().title(), "dropped.sqlite — Linkscope");
}

/// A quick drag from `start` to `end`: the press and all the motion arrive
/// within one frame, as when a person flicks a mouse.
pub(crate) fn drag(harness: &mut Harness<'_, LinkscopeApp>, start: egui::Pos2, end: egui::Pos2) {
    let press = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    harness.hover_at(start);
    harness.step();
    harness.event(press(start, true));
    harness.event(egui::Event::PointerMoved(end));
    harness.step();
    harness.event(press(end, false));
    harness.step();
}

/// A quick drag, as a person flicks a mouse: press on a node, move 20 px in
/// one event before the next frame, release. The node moves there and is pinned; the camera and
/// every other node stay where they were.
#[test]
fn dragging_a_node_in_a_settled_layout_moves_only_that_node() {
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    let graph = harness.state().graph().unwrap();
    let node = (0..graph.node_count() as u32)
        .find(|&node| graph.node_name(node) == "Abdul Matin Qane")
        .unwrap();
    let before = harness.state().positions().to_vec();
    let (camera, viewport) = harness.state().camera().unwrap();
    let start = harness.state().node_on_screen(node).unwrap();
    let end = start + egui::vec2(20.0, 0.0);
    drag(&mut harness, start, end);

    let wanted = camera.world_from_screen(viewport, end);
    step_until(&mut harness, "the dragged node to be published", |app| {
        let [x, y] = app.positions()[node as usize];
        (x - wanted[0]).hypot(y - wanted[1]) < 1e-3
    });
    // Give a layout that wrongly restarted time to move things.
    std::thread::sleep(Duration::from_millis(300));
    harness.run_steps(5);
    let app = harness.state();
    assert!(app.is_pinned(node), "the dragged node is pinned");
    let [x, y] = app.positions()[node as usize];
    assert!(
        (x - wanted[0]).hypot(y - wanted[1]) < 1e-3,
        "the node stayed where it was dropped"
    );
    assert_eq!(app.camera().unwrap().0, camera, "the camera did not move");
    assert_eq!(app.selection(), None, "a drag is not a click");
    for (other, (then, now)) in before.iter().zip(app.positions()).enumerate() {
        if other != node as usize {
            let moved = (then[0] - now[0]).hypot(then[1] - now[1]);
            assert!(moved < 1e-3, "node {other} moved by {moved} world units");
        }
    }
}

/// The details panel opens beside the canvas at a sensible width, and the
/// selected node, even the one furthest right, stays in view beside it.
#[test]
fn the_details_panel_keeps_the_selected_node_in_view() {
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    let app = harness.state();
    let rightmost = (0..app.graph().unwrap().node_count() as u32)
        .max_by(|&a, &b| {
            let x = |node: u32| app.node_on_screen(node).unwrap().x;
            x(a).total_cmp(&x(b))
        })
        .unwrap();
    let full_canvas = app.camera().unwrap().1;
    let position = app.node_on_screen(rightmost).unwrap();
    assert!(position.x > full_canvas.center().x + 200.0, "{position:?}");
    click_at(&mut harness, position);
    assert_eq!(harness.state().selection(), Some(Hit::Node(rightmost)));
    let canvas = harness.state().camera().unwrap().1;
    let panel_width = full_canvas.width() - canvas.width();
    assert!(
        (200.0..=500.0).contains(&panel_width),
        "the details panel is {panel_width} points wide"
    );
    let shown = harness.state().node_on_screen(rightmost).unwrap();
    assert!(
        canvas.shrink(20.0).contains(shown),
        "the selected node is at {shown:?}, outside the canvas {canvas:?}"
    );
}
