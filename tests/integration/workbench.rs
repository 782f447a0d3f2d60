//! A day at the workbench (issue 18): the canvas keeps its room whatever
//! panels are open, notices float over it, the view is never re-fitted
//! behind the user's back, right-click and the keyboard reach what the
//! panels offer, and a quick drag that arrives in one frame still moves.

use egui::{Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use linkscope::app::LinkscopeApp;
use linkscope::view::hit::Hit;

use crate::ui::{app_harness, click_at, details_read, sample_path, settled, step_until};

/// The default window of the issue.
const WINDOW: egui::Vec2 = egui::vec2(1280.0, 820.0);

fn node_named(app: &LinkscopeApp, name: &str) -> u32 {
    let graph = app.graph().unwrap();
    (0..graph.node_count() as u32)
        .find(|&node| graph.node_name(node) == name)
        .unwrap_or_else(|| panic!("the sample has {name}"))
}

/// The world point at the canvas's centre, and the zoom.
fn centre_and_zoom(app: &LinkscopeApp) -> ([f32; 2], f32) {
    let (camera, viewport) = app.camera().unwrap();
    (
        camera.world_from_screen(viewport, viewport.center()),
        camera.zoom,
    )
}

fn settled_sample() -> Harness<'static, LinkscopeApp> {
    let mut harness = app_harness(sample_path(), WINDOW);
    step_until(&mut harness, "the sample to load and settle", settled);
    harness
}

fn canvas_width(app: &LinkscopeApp) -> f32 {
    app.camera().unwrap().1.width()
}

#[test]
fn the_canvas_keeps_sixty_percent_of_the_window_with_every_panel_open() {
    let mut harness = settled_sample();
    let haqqani = node_named(harness.state(), "Sirajuddin Haqqani");
    let zhirnov = node_named(harness.state(), "Dmitry Zhirnov");
    // Find, the details of an entity, a trace and the filters, all at once.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(3);
    let at = harness.state().node_on_screen(haqqani).unwrap();
    click_at(&mut harness, at);
    harness.get_by_label("Trace from here").click();
    harness.run_steps(3);
    let at = harness.state().node_on_screen(zhirnov).unwrap();
    click_at(&mut harness, at);
    harness.get_by_label("Trace to here").click();
    harness.run_steps(3);
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::CheckBox)
                .label_contains("Filters"),
        )
        .click();
    harness.run_steps(4);
    for tab in ["Find", "Trace", "Filters"] {
        harness.get(By::new().label(tab).role(egui::accesskit::Role::Button));
    }
    let width = canvas_width(harness.state());
    assert!(
        width >= 0.6 * WINDOW.x,
        "the canvas is {width} points wide with every panel open"
    );
    // Dragging the dock's edge far to the left still leaves 60%; to the
    // right, the dock narrows (so the drag did reach its edge).
    let (_, viewport) = harness.state().camera().unwrap();
    let drag_edge = |harness: &mut Harness<'static, LinkscopeApp>, to_x: f32| {
        let (_, viewport) = harness.state().camera().unwrap();
        // The dock's edge is where the pointer becomes a resize arrow.
        let edge = (0..24)
            .map(|dx| Pos2::new(viewport.right() + dx as f32, viewport.center().y))
            .find(|&at| {
                harness.hover_at(at);
                harness.step();
                harness.output().platform_output.cursor_icon == egui::CursorIcon::ResizeHorizontal
            })
            .expect("the dock's edge is within 24 points of the canvas");
        harness.hover_at(edge);
        harness.step();
        harness.drag_at(edge);
        harness.step();
        for step in 1..=4 {
            let x = edge.x + (to_x - edge.x) * step as f32 / 4.0;
            harness.hover_at(Pos2::new(x, edge.y));
            harness.step();
        }
        harness.drop_at(Pos2::new(to_x, edge.y));
        harness.run_steps(3);
    };
    drag_edge(&mut harness, viewport.right() + 60.0);
    let narrowed = canvas_width(harness.state());
    assert!(
        narrowed > width + 30.0,
        "the drag reached the dock's edge: {width} -> {narrowed}"
    );
    drag_edge(&mut harness, 60.0);
    let width = canvas_width(harness.state());
    assert!(width >= 0.6 * WINDOW.x, "{width} after widening the dock");
}

#[test]
fn opening_and_closing_a_panel_keeps_the_centre_and_the_zoom() {
    let mut harness = settled_sample();
    let before = centre_and_zoom(harness.state());
    let width_before = canvas_width(harness.state());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(4);
    assert!(
        canvas_width(harness.state()) < width_before - 100.0,
        "Find took room"
    );
    let opened = centre_and_zoom(harness.state());
    harness.get_by_label("Close").click();
    harness.run_steps(4);
    assert!(
        (canvas_width(harness.state()) - width_before).abs() < 1.0,
        "room given back"
    );
    let closed = centre_and_zoom(harness.state());
    for (what, after) in [("opening Find", opened), ("closing Find", closed)] {
        let moved = (after.0[0] - before.0[0]).hypot(after.0[1] - before.0[1]) * before.1;
        assert!(moved < 0.5, "{what} moved the centre by {moved} points");
        assert!(
            (after.1 - before.1).abs() < 1e-6 * before.1,
            "{what} zoomed"
        );
    }
}

#[test]
fn trace_from_here_keeps_the_zoom_and_a_trace_is_panned_into_view() {
    let mut harness = settled_sample();
    let haqqani = node_named(harness.state(), "Sirajuddin Haqqani");
    let at = harness.state().node_on_screen(haqqani).unwrap();
    click_at(&mut harness, at);
    let (_, zoom) = centre_and_zoom(harness.state());
    let before = harness.state().node_on_screen(haqqani).unwrap();
    harness.get_by_label("Trace from here").click();
    harness.run_steps(4);
    let (_, after_zoom) = centre_and_zoom(harness.state());
    assert!(
        (after_zoom - zoom).abs() < 1e-6 * zoom,
        "Trace from here zoomed"
    );
    let after = harness.state().node_on_screen(haqqani).unwrap();
    assert!(
        before.distance(after) < 1.0,
        "the node moved on screen from {before:?} to {after:?}: the next click would miss"
    );
    // The far end, then the path: every node of it on the canvas.
    let far = node_named(harness.state(), "Sergei Shoigu");
    let at = harness.state().node_on_screen(far).unwrap();
    click_at(&mut harness, at);
    harness.get_by_label("Trace to here").click();
    step_until(&mut harness, "the trace", |app| {
        !app.is_tracing() && !app.trace_overlay().nodes.is_empty()
    });
    let (_, viewport) = harness.state().camera().unwrap();
    for &node in &harness.state().trace_overlay().nodes.clone() {
        let at = harness.state().node_on_screen(node).unwrap();
        assert!(
            viewport.contains(at),
            "{at:?} is off the canvas {viewport:?}"
        );
    }
    let (_, traced_zoom) = centre_and_zoom(harness.state());
    assert!((traced_zoom - zoom).abs() < 1e-6 * zoom, "the trace zoomed");
}

/// A notice floats: the canvas keeps its size while one shows, a success
/// fades by itself, and copying says so.
#[test]
fn notices_float_over_the_canvas_and_successes_fade() {
    let mut harness = settled_sample();
    let edge = crate::ui::meeting_edge(harness.state());
    let target = harness.state_mut().edge_click_target(edge).unwrap();
    click_at(&mut harness, target);
    let canvas = harness.state().camera().unwrap().1;
    harness
        .get_all_by_label("Copy as citation")
        .next()
        .unwrap()
        .click();
    harness.run_steps(2);
    assert!(
        harness
            .state()
            .messages()
            .any(|text| text.starts_with("Copied")),
        "copying says so"
    );
    let copied = harness
        .state()
        .messages()
        .find(|text| text.starts_with("Copied"))
        .unwrap()
        .to_owned();
    harness.run_steps(3);
    harness.get_by_label(&copied);
    assert_eq!(
        harness.state().camera().unwrap().1,
        canvas,
        "the notice took room"
    );
    // egui's clock moves 1/60 s a step: six seconds later it is gone.
    harness.run_steps(60 * 6);
    assert!(
        harness.state().messages().next().is_none(),
        "{:?}",
        harness.state().messages().collect::<Vec<_>>()
    );
}

#[test]
fn a_save_that_works_retires_the_read_only_error() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("locked.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let mut harness = app_harness(path.clone(), WINDOW);
    step_until(&mut harness, "the copy to settle", settled);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get(crate::project::menu_item("Save")).click();
    step_until(&mut harness, "the read-only error", |app| {
        !app.is_saving() && app.messages().any(|text| text.contains("read-only"))
    });
    assert!(
        harness.state().is_asking_for_path(),
        "it offers to save a copy"
    );
    let copy = folder.path().join("copy.sqlite");
    harness.run_steps(3);
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(&copy.display().to_string());
    harness.run_steps(2);
    harness.get_by_label("Save").click();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline
        && (harness.state().is_saving() || !harness.state().title().starts_with("copy.sqlite"))
    {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        harness.state().title().starts_with("copy.sqlite"),
        "not saved: {} {:?} asking {}",
        harness.state().title(),
        harness.state().messages().collect::<Vec<_>>(),
        harness.state().is_asking_for_path()
    );
    let messages: Vec<String> = harness.state().messages().map(str::to_owned).collect();
    assert!(
        !messages.iter().any(|text| text.contains("read-only")),
        "the obsolete error stays: {messages:?}"
    );
}

/// Zachary's karate club has no documents: the canvas stays quiet about
/// support, and so does the entity's list of relations.
#[test]
fn an_entity_in_a_file_without_documents_lists_no_relation_as_unsupported() {
    let karate = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/edges/karate_no_evidence.sqlite");
    let mut harness = app_harness(karate, WINDOW);
    step_until(&mut harness, "the karate club to settle", settled);
    let node = 0;
    let at = harness.state().node_on_screen(node).unwrap();
    click_at(&mut harness, at);
    assert_eq!(harness.state().selection(), Some(Hit::Node(node)));
    harness.get_by_label_contains("Relations (");
    assert_eq!(
        harness
            .query_all(By::new().label_contains("(unsupported)"))
            .count(),
        0,
        "a file without documents singles out no relation"
    );
}

#[test]
fn field_names_in_the_details_are_never_broken_inside_a_word() {
    let mut harness = settled_sample();
    let edge = crate::ui::meeting_edge(harness.state());
    let target = harness.state_mut().edge_click_target(edge).unwrap();
    click_at(&mut harness, target);
    let body = harness.ctx.style_of(egui::Theme::Dark).text_styles[&egui::TextStyle::Body].size;
    for key in ["Relation id", "Credibility", "Excerpt id", "Reliability"] {
        let node = harness.get_all_by_label(key).next().unwrap();
        let height = node.rect().height();
        assert!(
            height < 2.0 * body,
            "{key} is {height} points tall: broken over lines"
        );
    }
}

/// A right-click (press and release) at `at`.
fn right_click(harness: &mut Harness<'_, LinkscopeApp>, at: Pos2) {
    harness.hover_at(at);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run_steps(3);
}

/// The menu's button `item`: the one in the column that starts where the
/// menu was opened (the details panel has buttons of the same names).
fn menu_item<'h>(
    harness: &'h Harness<'_, LinkscopeApp>,
    item: &'h str,
    at: Pos2,
) -> egui_kittest::Node<'h> {
    let mut found: Vec<_> = harness
        .query_all(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label_contains(item),
        )
        .filter(|node| (node.rect().left() - at.x).abs() < 24.0 && node.rect().top() >= at.y - 4.0)
        .collect();
    assert_eq!(found.len(), 1, "one menu item {item:?} below {at:?}");
    found.remove(0)
}

#[test]
fn right_click_opens_a_menu_with_what_the_panel_offers() {
    let mut harness = settled_sample();
    // On a relation: Copy Citation once its excerpts are read.
    let edge = crate::ui::meeting_edge(harness.state());
    let at = harness.state_mut().edge_click_target(edge).unwrap();
    right_click(&mut harness, at);
    assert!(harness.state().context_menu_open());
    assert_eq!(harness.state().selection(), Some(Hit::Edge(edge)));
    details_read(&mut harness);
    for item in ["Open Details", "Focus", "Hide", "Copy Name"] {
        menu_item(&harness, item, at);
    }
    menu_item(&harness, "Copy Citation", at).click();
    harness.run_steps(3);
    assert!(
        !harness.state().context_menu_open(),
        "choosing closes the menu"
    );
    harness.get_by_label_contains("Copied");

    // Escape closes the menu, and only the menu.
    let zhirnov = node_named(harness.state(), "Dmitry Zhirnov");
    let at = harness.state().node_on_screen(zhirnov).unwrap();
    right_click(&mut harness, at);
    assert!(harness.state().context_menu_open());
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().context_menu_open());
    assert_eq!(
        harness.state().selection(),
        Some(Hit::Node(zhirnov)),
        "Escape closed only the menu"
    );

    // On an entity: the panel's actions; Hide hides the one right-clicked.
    let haqqani = node_named(harness.state(), "Sirajuddin Haqqani");
    let at = harness.state().node_on_screen(haqqani).unwrap();
    right_click(&mut harness, at);
    assert!(harness.state().context_menu_open());
    assert_eq!(harness.state().selection(), Some(Hit::Node(haqqani)));
    for item in [
        "Open Details",
        "Focus",
        "Expand",
        "Hide",
        "Trace from Here",
        "Trace to Here",
        "Copy Name",
    ] {
        menu_item(&harness, item, at);
    }
    menu_item(&harness, "Hide", at).click();
    harness.run_steps(4);
    assert!(!harness.state().context_menu_open());
    step_until(&mut harness, "the view to update", |app| {
        !app.is_updating_view()
    });
    let visible = harness.state().visible_set().unwrap();
    assert_eq!(
        visible.node(haqqani),
        linkscope::model::visibility::Shown::Hidden,
        "Hide hid the entity right-clicked"
    );
}

/// What the canvas's accessibility node says: its value.
fn canvas_says(harness: &Harness<'_, LinkscopeApp>) -> String {
    harness
        .get(By::new().role(egui::accesskit::Role::Canvas))
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

#[test]
fn the_keyboard_walks_relations_and_neighbours_and_a_screen_reader_hears_it() {
    let mut harness = settled_sample();
    let haqqani = node_named(harness.state(), "Sirajuddin Haqqani");
    let at = harness.state().node_on_screen(haqqani).unwrap();
    click_at(&mut harness, at);
    // Move the pointer away so that nothing is hovered.
    harness.hover_at(Pos2::new(2.0, WINDOW.y / 2.0));
    harness.run_steps(2);
    let graph = harness.state().graph().unwrap();
    let relations = graph.incident_edges(haqqani);
    let names: Vec<(String, u32)> = relations
        .iter()
        .map(|&edge| {
            let (source, target) = graph.edge_endpoints(edge);
            let other = if source == haqqani { target } else { source };
            (
                format!(
                    "{} {} {}",
                    graph.node_name(source),
                    graph.edge_label(edge),
                    graph.node_name(target)
                ),
                other,
            )
        })
        .collect();
    let said = canvas_says(&harness);
    assert!(
        said.starts_with(&format!(
            "Selected: Sirajuddin Haqqani, actor, {} relations",
            relations.len()
        )),
        "{said}"
    );
    harness.key_press(Key::Tab);
    harness.run_steps(2);
    harness.key_press(Key::Tab);
    harness.run_steps(2);
    let second = relations[1];
    let said = canvas_says(&harness);
    assert!(
        said.contains(&format!(
            "Relation 2 of {}: {}, ",
            relations.len(),
            names[1].0
        )),
        "{said}"
    );
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    harness.run_steps(2);
    assert!(
        canvas_says(&harness).contains("Relation 1 of"),
        "Shift+Tab walks back"
    );
    harness.key_press(Key::Tab);
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    details_read(&mut harness);
    assert_eq!(harness.state().selection(), Some(Hit::Edge(second)));
    harness.get_by_label("Evidence");

    // The arrows: from Haqqani, the neighbour drawn nearest to the right.
    let at = harness.state().node_on_screen(haqqani).unwrap();
    click_at(&mut harness, at);
    harness.hover_at(Pos2::new(2.0, WINDOW.y / 2.0));
    harness.run_steps(2);
    let app = harness.state();
    let from = app.node_on_screen(haqqani).unwrap();
    let expected = names
        .iter()
        .map(|(_, other)| *other)
        .filter(|&other| other != haqqani)
        .filter_map(|other| {
            let offset = app.node_on_screen(other)? - from;
            // Within 60° of "right", independently of the app's scoring.
            (offset.x > 0.0 && offset.y.abs() <= offset.x * 3f32.sqrt())
                .then_some((offset.length(), other))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, other)| other);
    harness.key_press(Key::ArrowRight);
    harness.run_steps(3);
    let expected = expected.expect("Haqqani has a neighbour on his right");
    assert_eq!(harness.state().selection(), Some(Hit::Node(expected)));
    let name = harness
        .state()
        .graph()
        .unwrap()
        .node_name(expected)
        .to_owned();
    assert!(canvas_says(&harness).starts_with(&format!("Selected: {name}, ")));
}

/// A press, a move and a release delivered in one frame, as a slow
/// software-rendered desktop does: the node moves there.
#[test]
fn a_drag_that_arrives_in_one_frame_still_moves_the_node() {
    let mut harness = settled_sample();
    let node = node_named(harness.state(), "Dmitry Zhirnov");
    let from = harness.state().node_on_screen(node).unwrap();
    let to = from + egui::vec2(-80.0, 50.0);
    // The pointer arrives, presses, moves and lets go, all in one frame.
    harness.event(egui::Event::PointerMoved(from));
    harness.event(egui::Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.event(egui::Event::PointerMoved(from + egui::vec2(-40.0, 25.0)));
    harness.event(egui::Event::PointerMoved(to));
    harness.event(egui::Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    // The layout thread places it; wait for the positions it publishes.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut now = from;
    while std::time::Instant::now() < deadline {
        harness.step();
        now = harness.state().node_on_screen(node).unwrap();
        if now.distance(to) < 1.5 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        now.distance(to) < 1.5,
        "the node is at {now:?}, dragged to {to:?}"
    );
    assert!(
        harness.state().is_pinned(node),
        "a dragged node stays where it was put"
    );
    // One undo step puts it back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    step_until(&mut harness, "the node to go back", |app| {
        app.node_on_screen(node).unwrap().distance(from) < 1.5
    });
}

/// A one-frame Shift-drag over the background draws a box and selects what
/// it holds.
#[test]
fn a_box_that_arrives_in_one_frame_selects() {
    let mut harness = settled_sample();
    let (_, viewport) = harness.state().camera().unwrap();
    let (from, to) = (
        viewport.left_top() + egui::vec2(2.0, 2.0),
        viewport.center(),
    );
    let app = harness.state();
    let graph = app.graph().unwrap();
    let expected: std::collections::BTreeSet<u32> = (0..graph.node_count() as u32)
        .filter(|&node| {
            app.node_on_screen(node)
                .is_some_and(|at| egui::Rect::from_two_pos(from, to).contains(at))
        })
        .collect();
    assert!(!expected.is_empty());
    harness.event(egui::Event::PointerMoved(from));
    for event in [
        egui::Event::PointerButton {
            pos: from,
            button: PointerButton::Primary,
            pressed: true,
            modifiers: Modifiers::SHIFT,
        },
        egui::Event::PointerMoved(to),
        egui::Event::PointerButton {
            pos: to,
            button: PointerButton::Primary,
            pressed: false,
            modifiers: Modifiers::SHIFT,
        },
    ] {
        harness.event_modifiers(event, Modifiers::SHIFT);
    }
    harness.run_steps(3);
    let selected: std::collections::BTreeSet<u32> =
        harness.state().selected_entities().into_iter().collect();
    assert_eq!(selected, expected);
}
