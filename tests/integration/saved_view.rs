//! Everything the view saves comes back: set in a real window through its
//! menus, keys and the Layout Settings window, saved with File ▸ Save, and
//! checked in a new window on the same file.

use std::collections::BTreeSet;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};
use linkscope::app::LinkscopeApp;
use linkscope::layout::LayoutAlgorithm;
use linkscope::scene::edge_style::EvidenceMode;

use crate::ui::{app_harness, sample_path, settled, step_until};
use crate::visibility::{
    expect_status, node_of, quiet, sample_sql, sample_status, select_entity, set_hops, settle_view,
    sql_count, view_menu,
};

const SIZE: egui::Vec2 = egui::vec2(1280.0, 820.0);

/// The sample's focus on entity 1 (Zhirnov) at 2 hops, then entity 15
/// expanded and entity 22 (the Kabul meeting) collapsed. From networkx on
/// the sample (`nx.single_source_shortest_path_length(u, 1, cutoff=2)`,
/// then the neighbours of 15 outside it, then those of 22 that hang off 22
/// alone), not from Linkscope.
const FOCUS_SEED: i64 = 1;
const FOCUS_HOPS: u8 = 2;
const FOCUS_ENTITIES: usize = 19;
const EXPANDED: i64 = 15;
const EXPANSION: [i64; 4] = [18, 19, 26, 27];
const COLLAPSED: i64 = 22;
const COLLAPSE: [i64; 1] = [23];

/// File ▸ Save itself, not Save As….
fn save_item() -> By<'static> {
    By::new().predicate(|node| {
        let label = node.label().unwrap_or_default();
        label == "Save"
            || label
                .strip_prefix("Save")
                .is_some_and(|rest| rest.starts_with(" Ctrl+") || rest.starts_with(" ⌘"))
    })
}

/// Sets the Layout Settings window's number field that shows `value` (the
/// fields have no labels of their own; each default differs).
fn set_spin_button(harness: &mut Harness<'_, LinkscopeApp>, value: f64, to: f64) {
    harness
        .get(
            By::new()
                .role(Role::SpinButton)
                .predicate(move |node| node.numeric_value() == Some(value)),
        )
        .set_value_accesskit(to);
    harness.run_steps(3);
}

fn entities(app: &LinkscopeApp, ids: &[i64]) -> BTreeSet<u32> {
    ids.iter().map(|&id| node_of(app, id)).collect()
}

/// The Evidence Overlay, a focus with an expansion and a collapse, and the
/// layout settings, each set through the window, survive File ▸ Save and
/// opening the file again.
#[test]
fn overlay_focus_with_expand_and_collapse_and_layout_settings_survive_save_and_reopen() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("case.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    let mut harness = app_harness(path.clone(), SIZE);
    step_until(&mut harness, "the file to load and settle", |app| {
        settled(app) && quiet(app)
    });

    // Layout Settings: ForceAtlas2 with every option of the window changed.
    view_menu(&mut harness, "Layout Settings…");
    harness.run_steps(3);
    harness.get_by_label("ForceAtlas2").click();
    harness.run_steps(3);
    for option in ["Strong gravity", "LinLog attraction", "Dissuade hubs"] {
        harness.get_by_label(option).click();
        harness.run_steps(2);
    }
    // Repulsion's default is 2, the seed's 0 (LayoutSettings::default).
    set_spin_button(&mut harness, 2.0, 3.5);
    set_spin_button(&mut harness, 0.0, 7.0);
    harness.get_by_label("Apply and Re-run").click();
    harness.run_steps(3);
    step_until(&mut harness, "the new layout to settle", |app| {
        settled(app) && quiet(app)
    });
    view_menu(&mut harness, "Layout Settings…");
    harness.key_press(Key::F);
    harness.run_steps(4);

    // View ▸ Evidence Overlay.
    view_menu(&mut harness, "Evidence Overlay");
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert_eq!(
        harness.state().scene().unwrap().evidence_mode,
        EvidenceMode::Overlay
    );

    // Focus, expand one entity, collapse another.
    select_entity(&mut harness, FOCUS_SEED);
    set_hops(&mut harness, FOCUS_HOPS);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F);
    settle_view(&mut harness);
    let focus_relations = sql_count(
        "WITH RECURSIVE hop(id, k) AS (SELECT 1, 0 UNION SELECT CASE WHEN r.subject_id = hop.id \
         THEN r.object_id ELSE r.subject_id END, k + 1 FROM hop JOIN relations r \
         ON hop.id IN (r.subject_id, r.object_id) WHERE k < 2), \
         shown AS (SELECT DISTINCT id FROM hop) \
         SELECT count(*) FROM relations WHERE subject_id IN shown AND object_id IN shown",
    );
    expect_status(
        &mut harness,
        &sample_status(FOCUS_ENTITIES, focus_relations),
    );
    harness.key_press(Key::F);
    harness.run_steps(4);
    select_entity(&mut harness, EXPANDED);
    harness.key_press(Key::E);
    settle_view(&mut harness);
    harness.key_press(Key::F);
    harness.run_steps(4);
    select_entity(&mut harness, COLLAPSED);
    harness.key_press(Key::C);
    settle_view(&mut harness);
    let mut shown_ids: BTreeSet<i64> = sample_sql()
        .prepare(
            "WITH RECURSIVE hop(id, k) AS (SELECT 1, 0 UNION SELECT CASE WHEN r.subject_id = hop.id \
             THEN r.object_id ELSE r.subject_id END, k + 1 FROM hop JOIN relations r \
             ON hop.id IN (r.subject_id, r.object_id) WHERE k < 2) SELECT DISTINCT id FROM hop",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(shown_ids.len(), FOCUS_ENTITIES);
    shown_ids.extend(EXPANSION);
    for id in COLLAPSE {
        shown_ids.remove(&id);
    }
    let list = shown_ids
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let shown_relations = sql_count(&format!(
        "SELECT count(*) FROM relations WHERE subject_id IN ({list}) AND object_id IN ({list})"
    ));
    let status = sample_status(shown_ids.len(), shown_relations);
    expect_status(&mut harness, &status);
    {
        let app = harness.state();
        let focus = app.visibility_rules().focus.clone().expect("a focus");
        assert_eq!(focus.seeds, [node_of(app, FOCUS_SEED)]);
        assert_eq!(focus.hops, FOCUS_HOPS);
        assert_eq!(focus.added, entities(app, &EXPANSION));
        assert_eq!(focus.removed, entities(app, &COLLAPSE));
    }

    // File ▸ Save.
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get(save_item()).click();
    step_until(&mut harness, "the save", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
    drop(harness);

    let mut reopened = app_harness(path, SIZE);
    step_until(&mut reopened, "the saved file and its view", |app| {
        quiet(app) && app.visibility_rules().focus.is_some()
    });
    expect_status(&mut reopened, &status);
    let app = reopened.state();
    assert_eq!(
        app.scene().unwrap().evidence_mode,
        EvidenceMode::Overlay,
        "the Evidence Overlay"
    );
    let focus = app.visibility_rules().focus.clone().expect("the focus");
    assert_eq!(focus.seeds, [node_of(app, FOCUS_SEED)], "the focus's seed");
    assert_eq!(focus.hops, FOCUS_HOPS, "the focus's hops");
    assert_eq!(
        focus.added,
        entities(app, &EXPANSION),
        "the entities expanded"
    );
    assert_eq!(
        focus.removed,
        entities(app, &COLLAPSE),
        "the entities collapsed"
    );
    let layout = app.view_state().unwrap().layout.expect("layout settings");
    assert_eq!(layout.algorithm, LayoutAlgorithm::ForceAtlas2);
    assert!(layout.strong_gravity && layout.lin_log && layout.outbound_attraction_distribution);
    assert!((layout.scaling_ratio - 3.5).abs() < 1e-6, "{layout:?}");
    assert_eq!(layout.seed, 7);
    // ForceAtlas2's own default gravity (Gephi's 1), taken with the switch.
    assert!((layout.gravity - 1.0).abs() < 1e-6, "{layout:?}");
    assert!(!app.has_unsaved_changes());
}
