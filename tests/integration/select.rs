//! Select and arrange, and undo and redo, driven through the real window on
//! the sample: Shift-click, box and lasso selection, Select Neighbours,
//! moving a group, pinning, and undoing and redoing each edit.
//!
//! Expected sets come from outside the code under test: the entities whose
//! centres lie inside a box or lasso are worked out here from where the
//! app drew each node (`node_on_screen`), with this file's own
//! point-in-polygon test; neighbours come from SQL on the sample.

use std::collections::BTreeSet;

use egui::{Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use linkscope::app::LinkscopeApp;
use linkscope::model::NodeIx;
use linkscope::store::{SavedSelection, ViewState};
use linkscope::view::hit::Hit;

use crate::ui::{app_harness, click_at, details_read, sample_path, settled, step_until};

/// Ctrl as winit reports it on Linux and Windows (⌘ on macOS).
pub(crate) const CTRL: Modifiers = Modifiers {
    alt: false,
    ctrl: true,
    shift: false,
    mac_cmd: false,
    command: true,
};

pub(crate) fn ctrl_shift() -> Modifiers {
    CTRL | Modifiers::SHIFT
}

pub(crate) fn node(app: &LinkscopeApp, id: i64) -> NodeIx {
    app.graph().unwrap().node_by_db_id(id).unwrap()
}

/// A position bit for bit: "unchanged" means exactly.
pub(crate) fn bits(world: [f32; 2]) -> [u32; 2] {
    world.map(f32::to_bits)
}

pub(crate) fn selected(app: &LinkscopeApp) -> BTreeSet<NodeIx> {
    app.selected_entities().into_iter().collect()
}

/// A click with Shift held.
pub(crate) fn shift_click(harness: &mut Harness<'_, LinkscopeApp>, position: Pos2) {
    harness.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
    harness.hover_at(position);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: position,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::SHIFT,
        });
        harness.step();
    }
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.run_steps(3);
    details_read(harness);
}

/// A drag through `path`, a frame per point, with `modifiers` held: the
/// way a person draws a lasso or moves a node, not a one-frame flick.
pub(crate) fn slow_drag(
    harness: &mut Harness<'_, LinkscopeApp>,
    path: &[Pos2],
    modifiers: Modifiers,
) {
    let (first, last) = (path[0], path[path.len() - 1]);
    harness.event(egui::Event::ModifiersChanged(modifiers));
    harness.hover_at(first);
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: first,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers,
    });
    harness.step();
    for &point in &path[1..] {
        harness.event(egui::Event::PointerMoved(point));
        harness.step();
    }
    harness.event(egui::Event::PointerButton {
        pos: last,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers,
    });
    harness.step();
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.remove_cursor();
    harness.run_steps(3);
}

pub(crate) fn open_sample() -> Harness<'static, LinkscopeApp> {
    let mut harness = app_harness(sample_path(), vec2(1200.0, 800.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    harness
}

/// Fit (F), as the user asks for it.
pub(crate) fn fit(harness: &mut Harness<'static, LinkscopeApp>) {
    harness.remove_cursor();
    harness.key_press(egui::Key::F);
    harness.run_steps(3);
}

/// Every node's centre on screen, as the app drew it.
fn drawn_centres(app: &LinkscopeApp) -> Vec<(NodeIx, Pos2)> {
    (0..app.graph().unwrap().node_count() as NodeIx)
        .map(|node| (node, app.node_on_screen(node).unwrap()))
        .collect()
}

#[test]
fn shift_click_adds_and_removes_entities_and_the_panel_lists_them() {
    let mut harness = open_sample();
    let app = harness.state();
    let (zhirnov, ahmedi) = (node(app, 1), node(app, 3));
    let position = app.node_on_screen(zhirnov).unwrap();
    click_at(&mut harness, position);
    assert_eq!(harness.state().selection(), Some(Hit::Node(zhirnov)));
    // The dock that opened took the canvas's right; the view kept its
    // centre, so the sample's edges may be off the canvas: fit, as a user
    // would, to reach Ahmedi.
    fit(&mut harness);

    let position = harness.state().node_on_screen(ahmedi).unwrap();
    shift_click(&mut harness, position);
    harness.remove_cursor();
    harness.run_steps(2);
    assert_eq!(selected(harness.state()), BTreeSet::from([zhirnov, ahmedi]));
    assert_eq!(harness.state().selection(), None, "no single item");
    harness.get_by_label("2 entities selected");
    harness.get_by_label("Dmitry Zhirnov");
    harness.get_by_label("Hamid Ahmedi");

    // Shift-click on the background leaves the selection alone.
    let (_, canvas) = harness.state().camera().unwrap();
    let empty = (0..40)
        .map(|step| canvas.left_top() + vec2(12.0 + 7.0 * step as f32, 14.0))
        .find(|&p| harness.state_mut().pick_at(p).is_none())
        .unwrap();
    shift_click(&mut harness, empty);
    assert_eq!(selected(harness.state()), BTreeSet::from([zhirnov, ahmedi]));

    // Shift-click a selected one: out it goes, and the other shows alone.
    let position = harness.state().node_on_screen(zhirnov).unwrap();
    shift_click(&mut harness, position);
    assert_eq!(harness.state().selection(), Some(Hit::Node(ahmedi)));
    harness.get_by_label("Trace from here");

    // Clicking a name in the list shows that entity alone.
    let position = harness.state().node_on_screen(zhirnov).unwrap();
    shift_click(&mut harness, position);
    harness.remove_cursor();
    harness.run_steps(2);
    harness.get_by_label("Hamid Ahmedi").click();
    harness.run_steps(2);
    details_read(&mut harness);
    assert_eq!(harness.state().selection(), Some(Hit::Node(ahmedi)));
}

/// The box runs from an empty point near the canvas's top-left corner to
/// its centre; the expected set is every node whose drawn centre lies in
/// that rectangle.
#[test]
fn a_box_selects_the_entities_whose_centres_are_inside() {
    let mut harness = open_sample();
    let (_, canvas) = harness.state().camera().unwrap();
    let centres = drawn_centres(harness.state());
    // No node centre within a point of the box's outline (which side it is
    // on would be a matter of rounding), and nodes left out beyond each of
    // its four sides, so that every side is put to the test.
    let fair = |rect: egui::Rect| {
        let clear = centres
            .iter()
            .all(|(_, centre)| rect.signed_distance_to_pos(*centre).abs() > 1.0);
        let beyond = |side: fn(Pos2, egui::Rect) -> bool| {
            centres.iter().any(|(_, centre)| side(*centre, rect))
        };
        clear
            && beyond(|p, r| p.x < r.min.x)
            && beyond(|p, r| p.x > r.max.x)
            && beyond(|p, r| p.y < r.min.y)
            && beyond(|p, r| p.y > r.max.y)
    };
    let (start, end) = (0..60)
        .map(|step| {
            let nudge = vec2(3.0, 2.0) * step as f32;
            (
                canvas.lerp_inside(vec2(0.22, 0.22)) + nudge,
                canvas.lerp_inside(vec2(0.6, 0.62)) - nudge,
            )
        })
        .find(|&(start, end)| {
            fair(egui::Rect::from_two_pos(start, end))
                && harness.state_mut().pick_at(start).is_none()
        })
        .expect("a box that starts on empty canvas, crosses no node centre and leaves nodes out on every side");
    let rect = egui::Rect::from_two_pos(start, end);
    let expected: BTreeSet<NodeIx> = centres
        .iter()
        .filter(|(_, centre)| rect.contains(*centre))
        .map(|(node, _)| *node)
        .collect();
    assert!(
        expected.len() >= 3 && expected.len() < centres.len(),
        "{expected:?}"
    );

    let path: Vec<Pos2> = (0..=4)
        .map(|step| start + (end - start) * (step as f32 / 4.0))
        .collect();
    slow_drag(&mut harness, &path, Modifiers::SHIFT);
    assert_eq!(selected(harness.state()), expected);
    harness.get_by_label(&format!("{} entities selected", expected.len()));
    // A box is not a pan: the camera is as it was, and every node moved on
    // screen only as the canvas's centre did when the dock opened beside it
    // (the view keeps the world point at the centre).
    let (_, now_canvas) = harness.state().camera().unwrap();
    let shift = now_canvas.center() - canvas.center();
    for (node, centre) in drawn_centres(harness.state()) {
        let before = centres[node as usize].1;
        assert!(
            centre.distance(before + shift) < 0.01,
            "node {node} moved on screen"
        );
    }
}

/// The even-odd rule, in screen points.
fn inside_polygon(polygon: &[Pos2], p: Pos2) -> bool {
    let mut inside = false;
    for (index, a) in polygon.iter().enumerate() {
        let b = polygon[(index + 1) % polygon.len()];
        if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) {
            inside = !inside;
        }
    }
    inside
}

/// Distance from `p` to the segment `a`–`b`.
fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(1e-6)).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

/// A concave lasso (a V with its notch open to the top), drawn with
/// Ctrl+Shift: the expected set is worked out from the drawn centres and
/// the points the pointer passed through.
#[test]
fn a_lasso_selects_the_entities_inside_its_outline() {
    let mut harness = open_sample();
    let (_, canvas) = harness.state().camera().unwrap();
    let centres = drawn_centres(harness.state());
    // Points 10 px apart along the outline, back towards the start.
    let outline = |corners: &[Pos2]| {
        let mut path = Vec::new();
        for (index, &a) in corners.iter().enumerate() {
            let b = corners[(index + 1) % corners.len()];
            let steps = (a.distance(b) / 10.0).ceil() as usize;
            for step in 0..steps {
                path.push(a + (b - a) * (step as f32 / steps as f32));
            }
        }
        path
    };
    // No node centre within a point of the outline (which side it is on
    // would be a matter of rounding): the first notch depth that allows it.
    let clear = |path: &[Pos2]| {
        centres.iter().all(|(_, centre)| {
            (0..path.len())
                .map(|i| distance_to_segment(*centre, path[i], path[(i + 1) % path.len()]))
                .all(|distance| distance > 1.0)
        })
    };
    let (corners, path) = (0..50)
        .map(|step| {
            let corners = [
                canvas.left_top() + vec2(15.0, 15.0),
                canvas.center() + vec2(0.0, -40.0 + 3.0 * step as f32),
                canvas.right_top() + vec2(-15.0, 15.0),
                canvas.center_bottom() + vec2(0.0, -15.0 - 2.0 * step as f32),
            ];
            (corners, outline(&corners))
        })
        .find(|(_, path)| clear(path))
        .expect("a lasso whose outline crosses no node centre");
    assert_eq!(harness.state_mut().pick_at(corners[0]), None);
    let expected: BTreeSet<NodeIx> = centres
        .iter()
        .filter(|(_, centre)| inside_polygon(&path, *centre))
        .map(|(node, _)| *node)
        .collect();
    let bounding: BTreeSet<NodeIx> = centres
        .iter()
        .filter(|(_, centre)| egui::Rect::from_points(&corners).contains(*centre))
        .map(|(node, _)| *node)
        .collect();
    assert!(expected.len() >= 3, "{expected:?}");
    assert!(
        bounding.len() > expected.len(),
        "the notch leaves out nodes its bounding box holds"
    );

    slow_drag(&mut harness, &path, ctrl_shift());
    assert_eq!(selected(harness.state()), expected);
}

/// The sample's neighbours of `ids`, following relations either way,
/// straight from SQL: the ids with every entity one relation away.
fn neighbours_by_sql(ids: &BTreeSet<i64>) -> BTreeSet<i64> {
    let connection = rusqlite::Connection::open_with_flags(
        sample_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut statement = connection
        .prepare(
            "SELECT object_id FROM relations WHERE subject_id = ?1
             UNION SELECT subject_id FROM relations WHERE object_id = ?1",
        )
        .unwrap();
    let mut grown = ids.clone();
    for &id in ids {
        let found: Vec<i64> = statement
            .query_map([id], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        grown.extend(found);
    }
    grown
}

#[test]
fn select_neighbours_grows_the_selection_by_one_relation() {
    let mut harness = open_sample();
    let haqqani = node(harness.state(), 2);
    let position = harness.state().node_on_screen(haqqani).unwrap();
    click_at(&mut harness, position);
    harness.remove_cursor();
    let ids = |app: &LinkscopeApp| -> BTreeSet<i64> {
        let graph = app.graph().unwrap();
        app.selected_entities()
            .into_iter()
            .map(|node| graph.node_db_id(node))
            .collect()
    };

    // The shortcut (N)…
    harness.key_press(egui::Key::N);
    harness.run_steps(3);
    let one_hop = neighbours_by_sql(&BTreeSet::from([2]));
    assert!(one_hop.len() > 5, "{one_hop:?}");
    assert_eq!(ids(harness.state()), one_hop);
    harness.get_by_label(&format!("{} entities selected", one_hop.len()));

    // …and the Edit menu: two hops.
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    harness
        .get_by_label_contains(linkscope::command::UiCommand::SelectNeighbours.text())
        .click();
    harness.run_steps(3);
    assert_eq!(ids(harness.state()), neighbours_by_sql(&one_hop));
}

fn saved_copy(folder: &std::path::Path) -> std::path::PathBuf {
    let path = folder.join("case.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    path
}

/// A multi-selection is saved with the view and comes back; undo after a
/// save marks the view edited again.
#[test]
fn a_multi_selection_is_saved_and_reopened() {
    let folder = tempfile::tempdir().unwrap();
    let path = saved_copy(folder.path());
    let mut harness = app_harness(path.clone(), vec2(1200.0, 800.0));
    step_until(&mut harness, "the file to load and settle", settled);
    let app = harness.state();
    let trio = [node(app, 1), node(app, 2), node(app, 22)];
    let position = app.node_on_screen(trio[0]).unwrap();
    click_at(&mut harness, position);
    for &member in &trio[1..] {
        let position = harness.state().node_on_screen(member).unwrap();
        shift_click(&mut harness, position);
    }
    let start = harness.state().node_on_screen(trio[2]).unwrap();
    crate::ui::drag(&mut harness, start, start + vec2(20.0, 20.0));
    harness.key_press_modifiers(CTRL, egui::Key::S);
    step_until(&mut harness, "the save", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
    let view = harness.state().view_state().unwrap();
    assert_eq!(view.selection, None);
    assert_eq!(view.selected_entities, [1, 2, 22]);
    harness.key_press_modifiers(CTRL, egui::Key::Z);
    harness.run_steps(2);
    assert!(harness.state().has_unsaved_changes(), "undo is an edit");
    drop(harness);

    let mut reopened = app_harness(path, vec2(1200.0, 800.0));
    step_until(&mut reopened, "the saved file to load", |app| {
        app.graph().is_some() && !app.positions().is_empty()
    });
    reopened.run_steps(3);
    assert_eq!(selected(reopened.state()), BTreeSet::from(trio));
    reopened.get_by_label("3 entities selected");
}

/// Views saved before multi-selection (version 1, one `selection`) still
/// open with their selection; saved ids no longer in the file are dropped.
#[test]
fn version_1_selections_and_stale_ids_are_read_back() {
    let folder = tempfile::tempdir().unwrap();
    let path = saved_copy(folder.path());
    // A view as version 1 wrote it: the selection is one entity.
    linkscope::store::save_view(
        &path,
        &ViewState {
            selection: Some(SavedSelection::Entity(4)),
            ..ViewState::default()
        },
    )
    .unwrap();
    let state: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT state FROM app_view", [], |row| row.get(0))
        .unwrap();
    assert!(!state.contains("selected_entities"), "{state}");
    let mut harness = app_harness(path.clone(), vec2(1000.0, 700.0));
    step_until(&mut harness, "the file to load", |app| {
        app.graph().is_some()
    });
    harness.run_steps(2);
    details_read(&mut harness);
    let qane = node(harness.state(), 4);
    assert_eq!(harness.state().selection(), Some(Hit::Node(qane)));
    drop(harness);

    // A multi-selection naming an entity the file no longer has.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE app_view SET state = ?1",
            [r#"{"version":1,"selected_entities":[3,999999,5,3]}"#],
        )
        .unwrap();
    let mut harness = app_harness(path, vec2(1000.0, 700.0));
    step_until(&mut harness, "the file to load", |app| {
        app.graph().is_some()
    });
    harness.run_steps(2);
    let app = harness.state();
    assert_eq!(selected(app), BTreeSet::from([node(app, 3), node(app, 5)]));
}

#[test]
fn the_help_lists_the_selection_gestures() {
    let mut harness = open_sample();
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    for (gesture, _) in linkscope::command::GESTURES {
        harness.get_by_label(gesture);
    }
    harness.get_by_label("Ctrl+Y");
    harness.get_by_label("Ctrl+Shift+Z");
}
