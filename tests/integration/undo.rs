//! Undo and redo through the real window on the sample: moving one entity
//! or a group, pinning and unpinning, each undone and redone from the Edit
//! menu and by the keys; a drag is one step; opening another file clears
//! the history. Positions are compared bit for bit with those read from
//! the app before the edit.

use std::collections::BTreeSet;

use egui::{Modifiers, Pos2, vec2};
use egui_kittest::kittest::Queryable as _;
use linkscope::app::LinkscopeApp;
use linkscope::model::NodeIx;

use crate::select::{CTRL, bits, ctrl_shift, node, open_sample, selected, shift_click, slow_drag};
use crate::ui::{click_at, settled, step_until};

/// Drag a selected entity over several frames: the whole selection moves
/// by the same offset and is pinned, and nothing else moves. One Undo puts
/// every position back bit for bit (the drag was one step); Redo, by menu
/// and by both redo keys, puts the move back.
#[test]
fn moving_a_group_is_one_undo_step_and_redo_repeats_it() {
    let mut harness = open_sample();
    let app = harness.state();
    let group = [node(app, 5), node(app, 6), node(app, 14)];
    let position = app.node_on_screen(group[0]).unwrap();
    click_at(&mut harness, position);
    for &member in &group[1..] {
        let position = harness.state().node_on_screen(member).unwrap();
        shift_click(&mut harness, position);
    }
    assert_eq!(selected(harness.state()), BTreeSet::from(group));
    assert!(
        group
            .iter()
            .all(|&member| !harness.state().is_pinned(member))
    );
    assert!(!harness.state().has_unsaved_changes());

    let before = harness.state().positions().to_vec();
    let (camera, viewport) = harness.state().camera().unwrap();
    let start = harness.state().node_on_screen(group[1]).unwrap();
    let end = start + vec2(45.0, 30.0);
    let path: Vec<Pos2> = (0..=5)
        .map(|step| start + (end - start) * (step as f32 / 5.0))
        .collect();
    slow_drag(&mut harness, &path, Modifiers::NONE);

    let wanted = camera.world_from_screen(viewport, end);
    let offset = [
        wanted[0] - before[group[1] as usize][0],
        wanted[1] - before[group[1] as usize][1],
    ];
    let moved = |app: &LinkscopeApp| {
        group.iter().all(|&member| {
            let [x, y] = app.positions()[member as usize];
            let [bx, by] = before[member as usize];
            (x - bx - offset[0]).hypot(y - by - offset[1]) < 1e-3
        })
    };
    step_until(&mut harness, "the group to move", moved);
    let after = harness.state().positions().to_vec();
    for (index, (then, now)) in before.iter().zip(&after).enumerate() {
        if !group.contains(&(index as NodeIx)) {
            assert_eq!(
                bits(*then),
                bits(*now),
                "node {index} is not selected and moved"
            );
        }
    }
    assert!(
        group
            .iter()
            .all(|&member| harness.state().is_pinned(member))
    );
    assert!(harness.state().has_unsaved_changes());
    assert_eq!(harness.state().undo_text(), Some("Move 3 entities"));

    // Undo from the Edit menu, which says what it undoes.
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    harness
        .get_by_label_contains("Undo Move 3 entities")
        .click();
    step_until(&mut harness, "the move to be undone", |app| {
        app.positions() == before.as_slice()
    });
    assert!(
        group
            .iter()
            .all(|&member| !harness.state().is_pinned(member))
    );
    assert_eq!(harness.state().undo_text(), None, "one drag, one step");
    assert_eq!(harness.state().redo_text(), Some("Move 3 entities"));

    harness.key_press_modifiers(ctrl_shift(), egui::Key::Z);
    step_until(&mut harness, "Ctrl+Shift+Z to redo the move", |app| {
        app.positions() == after.as_slice()
    });
    assert!(
        group
            .iter()
            .all(|&member| harness.state().is_pinned(member))
    );
    harness.key_press_modifiers(CTRL, egui::Key::Z);
    step_until(&mut harness, "Ctrl+Z to undo it again", |app| {
        app.positions() == before.as_slice()
    });
    harness.key_press_modifiers(CTRL, egui::Key::Y);
    step_until(&mut harness, "Ctrl+Y to redo it", |app| {
        app.positions() == after.as_slice()
    });
}

/// Dragging an entity that is not selected moves it alone, whatever else
/// is selected.
#[test]
fn dragging_an_unselected_entity_moves_only_it() {
    let mut harness = open_sample();
    let app = harness.state();
    let (a, b, outsider) = (node(app, 5), node(app, 6), node(app, 4));
    let position = app.node_on_screen(a).unwrap();
    click_at(&mut harness, position);
    crate::select::fit(&mut harness);
    crate::select::fit(&mut harness);
    let position = harness.state().node_on_screen(b).unwrap();
    shift_click(&mut harness, position);
    let before = harness.state().positions().to_vec();
    let start = harness.state().node_on_screen(outsider).unwrap();
    let path = [start, start + vec2(10.0, 5.0), start + vec2(30.0, 10.0)];
    slow_drag(&mut harness, &path, Modifiers::NONE);
    step_until(&mut harness, "the node to move", |app| {
        bits(app.positions()[outsider as usize]) != bits(before[outsider as usize])
    });
    for (index, (then, now)) in before.iter().zip(harness.state().positions()).enumerate() {
        if index != outsider as usize {
            assert_eq!(bits(*then), bits(*now), "node {index} moved");
        }
    }
    assert_eq!(harness.state().undo_text(), Some("Move Abdul Matin Qane"));
    assert_eq!(selected(harness.state()), BTreeSet::from([a, b]));
}

#[test]
fn pinning_and_unpinning_the_selection_are_undone_and_redone() {
    let mut harness = open_sample();
    let app = harness.state();
    let pair = [node(app, 7), node(app, 8)];
    let position = app.node_on_screen(pair[0]).unwrap();
    click_at(&mut harness, position);
    let position = harness.state().node_on_screen(pair[1]).unwrap();
    shift_click(&mut harness, position);
    harness.remove_cursor();
    let positions = harness.state().positions().to_vec();
    let pinned = |app: &LinkscopeApp| pair.map(|node| app.is_pinned(node));

    harness.key_press(egui::Key::P);
    harness.run_steps(2);
    assert_eq!(pinned(harness.state()), [true, true]);
    assert_eq!(harness.state().undo_text(), Some("Pin 2 entities"));
    harness.key_press_modifiers(CTRL, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(pinned(harness.state()), [false, false]);
    harness.key_press_modifiers(ctrl_shift(), egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(pinned(harness.state()), [true, true]);

    // Unpin from the Edit menu, then undo it.
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    harness
        .get_by_label_contains(linkscope::command::UiCommand::UnpinSelection.text())
        .click();
    harness.run_steps(2);
    assert_eq!(pinned(harness.state()), [false, false]);
    assert_eq!(harness.state().undo_text(), Some("Unpin 2 entities"));
    harness.key_press_modifiers(CTRL, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(pinned(harness.state()), [true, true]);
    // Shift+P unpins; P alone would pin (nothing to do here).
    harness.key_press_modifiers(Modifiers::SHIFT, egui::Key::P);
    harness.run_steps(2);
    assert_eq!(pinned(harness.state()), [false, false]);
    assert_eq!(harness.state().undo_text(), Some("Unpin 2 entities"));
    // Pinning never moved anything.
    std::thread::sleep(std::time::Duration::from_millis(200));
    harness.run_steps(3);
    assert_eq!(harness.state().positions(), positions.as_slice());
}

/// Opening another file clears the history: its edits named the old
/// graph's entities.
#[test]
fn opening_another_file_clears_the_history() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = open_sample();
    let start = harness.state().node_on_screen(0).unwrap();
    crate::ui::drag(&mut harness, start, start + vec2(25.0, 0.0));
    harness.key_press_modifiers(CTRL, egui::Key::Z);
    // The layout thread puts the node back; the next drag must find it
    // there (on a loaded machine that takes more than a frame or two).
    step_until(&mut harness, "the undone move to reach the screen", |app| {
        app.node_on_screen(0)
            .is_some_and(|at| (at - start).length() < 1.0)
    });
    crate::ui::drag(&mut harness, start, start + vec2(0.0, 25.0));
    assert!(harness.state().undo_text().is_some());
    assert!(
        harness.state().redo_text().is_none(),
        "a new edit ends redo"
    );
    harness.key_press_modifiers(CTRL, egui::Key::Z);
    harness.run_steps(2);
    assert!(harness.state().redo_text().is_some());

    let path = other_file(folder.path());
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Open Path").click();
    harness.run_steps(3);
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(&path.display().to_string());
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    harness.run_steps(3);
    // The undone move left the view edited: the app asks first.
    harness.get_by_label("Don't Save").click();
    step_until(&mut harness, "the other file to open and settle", |app| {
        settled(app) && app.graph().unwrap().node_count() == 30
    });
    assert_eq!(harness.state().undo_text(), None);
    assert_eq!(harness.state().redo_text(), None);
    let positions = harness.state().positions().to_vec();
    harness.key_press_modifiers(CTRL, egui::Key::Z);
    harness.run_steps(3);
    assert_eq!(harness.state().positions(), positions.as_slice());
    assert!(!harness.state().has_unsaved_changes());
}

/// A generated file to open over the sample.
fn other_file(folder: &std::path::Path) -> std::path::PathBuf {
    let path = folder.join("other.sqlite");
    linkscope::store::generate_graph_file(
        &path,
        &linkscope::store::GenerateOptions {
            nodes: 30,
            edges: 60,
            ..Default::default()
        },
    )
    .unwrap();
    path
}
