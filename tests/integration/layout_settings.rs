//! The Layout Settings window, driven through the real window: View ▸ Layout Settings…,
//! switch the algorithm, apply; the layout runs again with it, and Save writes it into the
//! file, where a new window finds it.

use egui_kittest::kittest::{By, Queryable as _};
use linkscope::layout::LayoutAlgorithm;

use crate::ui::{app_harness, sample_path, settled, step_until};

fn menu_item(text: &'static str) -> By<'static> {
    By::new().predicate(move |node| {
        let label = node.label().unwrap_or_default();
        label == text
            || label
                .strip_prefix(text)
                .is_some_and(|rest| rest.starts_with(' '))
    })
}

#[test]
fn switching_to_forceatlas2_reruns_the_layout_and_is_saved_with_the_view() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("case.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    let mut harness = app_harness(path.clone(), egui::vec2(1280.0, 800.0));
    step_until(&mut harness, "the sample to settle", settled);
    let before = harness.state().view_state().expect("a view");
    assert_eq!(
        before.layout.as_ref().map(|s| s.algorithm),
        Some(LayoutAlgorithm::Community),
        "the community layout is the default"
    );

    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get(menu_item("Layout Settings…")).click();
    harness.run_steps(3);
    harness.get_by_label("ForceAtlas2").click();
    harness.run_steps(3);
    harness.get_by_label("Apply and Re-run").click();
    harness.run_steps(2);
    // The re-run moves nearly every entity; wait for that, then for the layout to settle.
    let moved = |app: &linkscope::app::LinkscopeApp| {
        let now = app
            .view_state()
            .map(|view| view.positions)
            .unwrap_or_default();
        before
            .positions
            .iter()
            .zip(&now)
            .filter(|(a, b)| {
                a.entity_id == b.entity_id
                    && (a.world[0] - b.world[0]).hypot(a.world[1] - b.world[1]) > 1e-3
            })
            .count()
    };
    step_until(&mut harness, "the layout to run again", |app| {
        moved(app) > 20
    });
    step_until(&mut harness, "the new layout to settle", settled);

    let after = harness.state().view_state().expect("a view");
    assert_eq!(
        after.layout.as_ref().map(|s| s.algorithm),
        Some(LayoutAlgorithm::ForceAtlas2)
    );
    // The community layout's default gravity (0.5) became Gephi's (1) with the switch.
    assert_eq!(
        before.layout.as_ref().map(|s| s.gravity),
        Some(LayoutAlgorithm::Community.default_gravity())
    );
    assert_eq!(after.layout.as_ref().map(|s| s.gravity), Some(1.0));
    let moved = moved(harness.state());
    assert!(
        moved > 20,
        "only {moved} of 27 entities moved: the layout did not run again"
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    step_until(&mut harness, "the save", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
    drop(harness);
    let mut reopened = app_harness(path, egui::vec2(1280.0, 800.0));
    step_until(&mut reopened, "the saved file to load", |app| {
        app.graph().is_some()
    });
    let reopened = reopened.state().view_state().expect("a view");
    assert_eq!(
        reopened.layout.as_ref().map(|s| (s.algorithm, s.gravity)),
        Some((LayoutAlgorithm::ForceAtlas2, 1.0)),
        "the saved file opens with ForceAtlas2 and its gravity"
    );
}
