//! Undo and Redo of what changes the visible set, not only of moves: a
//! filter change, the timeline's brush, Show All, and Expand and Collapse
//! inside a focus, each driven through the window, with the status bar's
//! counts (from SQL and networkx) and the drawn pixels checked after every
//! Undo and Redo.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use linkscope::app::LinkscopeApp;
use linkscope::view::hit::Hit;

use crate::ui::{app_harness, sample_path, settled, step_until};
use crate::visibility::{
    SAMPLE_ENTITIES, SAMPLE_RELATIONS, expect_status, monthly_file, months_in, near, node_of,
    pixel, quiet, reference_focus, reference_step, sample_status, select_entity, set_hops,
    sql_count, status, view_menu,
};

fn undo(harness: &mut Harness<'_, LinkscopeApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
}

fn redo(harness: &mut Harness<'_, LinkscopeApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run_steps(2);
}

/// The actor colour where Zhirnov (entity 1) is drawn: `drawn` says
/// whether it must be there or gone.
fn expect_zhirnov_drawn(harness: &mut Harness<'_, LinkscopeApp>, drawn: bool) {
    let zhirnov = node_of(harness.state(), 1);
    let at = harness.state().node_on_screen(zhirnov).unwrap();
    let image = harness.render().unwrap();
    let actor_blue = egui::Color32::from_rgb(66, 133, 244);
    assert_eq!(
        near(pixel(&image, at), actor_blue, 40),
        drawn,
        "Zhirnov drawn: {drawn}? the pixel is {:?}",
        pixel(&image, at)
    );
    assert_eq!(
        harness.state_mut().pick_at(at) == Some(Hit::Node(zhirnov)),
        drawn,
        "a click there picks Zhirnov only when he is drawn"
    );
}

/// A filter change (events left out) and Show All, each undone and redone.
#[test]
fn filter_changes_and_show_all_are_undone_and_redone() {
    let mut harness = app_harness(sample_path(), egui::vec2(1200.0, 900.0));
    step_until(&mut harness, "the sample to load and settle", |app| {
        settled(app) && quiet(app)
    });
    let everything = sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS);
    let events = sql_count("SELECT count(*) FROM entities WHERE kind = 'event'");
    let touching = sql_count(
        "SELECT count(*) FROM relations WHERE subject_id IN (SELECT id FROM entities WHERE kind = 'event') \
         OR object_id IN (SELECT id FROM entities WHERE kind = 'event')",
    );
    let without_events = sample_status(SAMPLE_ENTITIES - events, SAMPLE_RELATIONS - touching);

    view_menu(&mut harness, "Filters…");
    harness.get_by_label("event").click();
    expect_status(&mut harness, &without_events);
    undo(&mut harness);
    expect_status(&mut harness, &everything);
    assert!(
        harness
            .state()
            .visibility_rules()
            .filter
            .excluded_entity_kinds
            .is_empty()
    );
    redo(&mut harness);
    expect_status(&mut harness, &without_events);
    undo(&mut harness);
    expect_status(&mut harness, &everything);
    view_menu(&mut harness, "Filters…");
    harness.key_press(Key::F);
    harness.run_steps(4);

    let relations =
        sql_count("SELECT count(*) FROM relations WHERE subject_id = 1 OR object_id = 1");
    let without_zhirnov = sample_status(SAMPLE_ENTITIES - 1, SAMPLE_RELATIONS - relations);
    select_entity(&mut harness, 1);
    harness.key_press(Key::H);
    expect_status(&mut harness, &without_zhirnov);
    expect_zhirnov_drawn(&mut harness, false);
    view_menu(&mut harness, "Show All");
    expect_status(&mut harness, &everything);
    harness.run_steps(4);
    expect_zhirnov_drawn(&mut harness, true);
    undo(&mut harness);
    expect_status(&mut harness, &without_zhirnov);
    expect_zhirnov_drawn(&mut harness, false);
    redo(&mut harness);
    expect_status(&mut harness, &everything);
    expect_zhirnov_drawn(&mut harness, true);
}

/// The timeline's brush sets a window; Undo takes it back to all dates,
/// Redo sets the same window again.
#[test]
fn the_timeline_brush_is_undone_and_redone() {
    let folder = tempfile::tempdir().unwrap();
    let path = monthly_file(folder.path());
    let mut harness = app_harness(path, egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the file and its dates to load", quiet);
    view_menu(&mut harness, "Timeline");
    harness.get_by_label_contains("12 relations dated");
    harness.run_steps(4);
    let rect = harness.get_by_label("Timeline").rect();
    let y = rect.top() + 20.0;
    crate::ui::drag(
        &mut harness,
        egui::pos2(rect.left() + 2.0, y),
        egui::pos2(rect.left() + rect.width() * 0.4, y),
    );
    step_until(&mut harness, "the brush to set the window", |app| {
        app.visibility_rules().filter.date_to.is_some() && quiet(app)
    });
    let filter = harness.state().visibility_rules().filter.clone();
    let (from, to) = (
        filter.date_from.clone().unwrap(),
        filter.date_to.clone().unwrap(),
    );
    let shown = months_in(&from, &to);
    assert!((1..12).contains(&shown), "{from} – {to}");
    let brushed = status((6, shown), (0, 12 - shown), (0, 0));
    let all = status((6, 12), (0, 0), (0, 0));
    expect_status(&mut harness, &brushed);

    undo(&mut harness);
    expect_status(&mut harness, &all);
    assert_eq!(harness.state().visibility_rules().filter.date_from, None);
    harness.get_by_label("All dates");
    redo(&mut harness);
    expect_status(&mut harness, &brushed);
    assert_eq!(harness.state().visibility_rules().filter, filter);
    harness.get_by_label(&format!("{from} – {to}"));
}

/// Inside a focus on Zhirnov, Expand and then Collapse Haqqani; Undo walks
/// back through both and Redo forward, with networkx's counts each time.
#[test]
fn expand_and_collapse_are_undone_and_redone() {
    let mut harness = app_harness(sample_path(), egui::vec2(1200.0, 760.0));
    step_until(&mut harness, "the sample to load and settle", |app| {
        settled(app) && quiet(app)
    });
    select_entity(&mut harness, 1);
    set_hops(&mut harness, 1);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F);
    let (entities, relations) = reference_focus(1, 1);
    let focused = sample_status(entities, relations);
    expect_status(&mut harness, &focused);
    select_entity(&mut harness, 2);
    harness.key_press(Key::E);
    let (expanded, expanded_relations, _) = reference_step("expand");
    let expanded = sample_status(expanded, expanded_relations);
    expect_status(&mut harness, &expanded);
    harness.key_press(Key::C);
    let (collapsed, collapsed_relations, _) = reference_step("collapse");
    let collapsed = sample_status(collapsed, collapsed_relations);
    assert_ne!(collapsed, expanded);
    expect_status(&mut harness, &collapsed);

    undo(&mut harness);
    expect_status(&mut harness, &expanded);
    undo(&mut harness);
    expect_status(&mut harness, &focused);
    redo(&mut harness);
    expect_status(&mut harness, &expanded);
    redo(&mut harness);
    expect_status(&mut harness, &collapsed);
}
