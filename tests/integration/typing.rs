//! Keys go where the user is typing (issue 18, part 4): editing keys in a
//! text field act on its text, never on the graph; Find selects its text
//! when it opens and starts empty for another file; Escape closes a menu.
//! Driven through the real app with `egui_kittest`.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};
use linkscope::app::LinkscopeApp;
use linkscope::view::find::FindResults;
use linkscope::view::hit::Hit;

use super::ui::{app_harness, sample_path, settled, step_until};

const SIZE: egui::Vec2 = egui::vec2(1280.0, 820.0);

fn find_field(harness: &Harness<'_, LinkscopeApp>) -> String {
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::TextInput)
                .label("Search entities"),
        )
        .value()
        .unwrap_or_default()
}

fn type_keys(harness: &mut Harness<'_, LinkscopeApp>, text: &str) {
    harness.event(egui::Event::Text(text.to_owned()));
    harness.run_steps(2);
}

/// The names Find lists, once its answer to the field's query is in.
fn listed_names(harness: &mut Harness<'_, LinkscopeApp>) -> Vec<String> {
    step_until(harness, "the search", |app| {
        matches!(
            app.find_results(),
            Some(FindResults::Entities { complete: true, .. })
        )
    });
    let Some(FindResults::Entities { ranking, .. }) = harness.state().find_results() else {
        unreachable!()
    };
    let graph = harness.state().graph().unwrap();
    ranking
        .top
        .iter()
        .map(|ranked| graph.node_name(ranked.node).to_owned())
        .collect()
}

fn ctrl_f(harness: &mut Harness<'_, LinkscopeApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(3);
    assert!(harness.state().is_find_open());
}

/// Issue 18: Ctrl+A in the Find field selected every entity.
#[test]
fn ctrl_a_in_find_selects_the_text_not_the_entities() {
    let mut harness = app_harness(sample_path(), SIZE);
    step_until(&mut harness, "the sample to load and settle", settled);
    ctrl_f(&mut harness);
    type_keys(&mut harness, "haqqani");
    assert_eq!(find_field(&harness), "haqqani");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(2);
    assert!(
        harness.state().selected_entities().is_empty(),
        "Ctrl+A while typing selected {} entities",
        harness.state().selected_entities().len()
    );
    // It selected the text: typing replaces it.
    type_keys(&mut harness, "russia");
    assert_eq!(find_field(&harness), "russia");
    assert_eq!(listed_names(&mut harness)[0], "Russia");

    // Outside a text field Ctrl+A still selects every entity.
    harness.get_by_label("Close").click();
    harness.run_steps(3);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(2);
    let count = harness.state().graph().unwrap().node_count();
    assert_eq!(harness.state().selected_entities().len(), count);
}

/// Ctrl+Z while typing undoes the typing, not the last edit of the graph.
#[test]
fn ctrl_z_in_find_leaves_the_graph_edits_alone() {
    let mut harness = app_harness(sample_path(), SIZE);
    step_until(&mut harness, "the sample to load and settle", settled);
    // An edit to undo: select everything, hide it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(2);
    harness.key_press(Key::H);
    harness.run_steps(3);
    let undo = harness.state().undo_text().map(str::to_owned);
    assert!(undo.is_some(), "hiding is an edit");

    ctrl_f(&mut harness);
    type_keys(&mut harness, "abc");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(harness.state().undo_text().map(str::to_owned), undo);
    assert_eq!(harness.state().redo_text(), None, "nothing was undone");
    assert_ne!(find_field(&harness), "abc", "the typing was undone");
}

/// Opening Find selects its query (typing replaces it), and another file
/// starts with an empty one (issue 18: "haqqatta", 0 matches).
#[test]
fn find_selects_its_text_when_opened_and_starts_empty_for_another_file() {
    let folder = tempfile::tempdir().unwrap();
    let other = folder.path().join("other.sqlite");
    std::fs::copy(sample_path(), &other).unwrap();

    let mut harness = app_harness(sample_path(), SIZE);
    step_until(&mut harness, "the sample to load and settle", settled);
    ctrl_f(&mut harness);
    type_keys(&mut harness, "haqqani");
    harness.get_by_label("Close").click();
    harness.run_steps(3);
    ctrl_f(&mut harness);
    assert_eq!(find_field(&harness), "haqqani", "Find keeps its query");
    type_keys(&mut harness, "russia");
    assert_eq!(find_field(&harness), "russia", "typing replaced it");

    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Open Path").click();
    harness.run_steps(3);
    let field = harness.get(
        By::new()
            .role(egui::accesskit::Role::TextInput)
            .label("Path:"),
    );
    field.focus();
    field.type_text(&other.display().to_string());
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    step_until(&mut harness, "the other file to open and settle", |app| {
        settled(app) && app.title().contains("other.sqlite")
    });
    ctrl_f(&mut harness);
    assert_eq!(find_field(&harness), "", "Find starts empty");
    type_keys(&mut harness, "haqq");
    assert_eq!(find_field(&harness), "haqq");
    assert_eq!(listed_names(&mut harness)[0], "Haqqani Network");
}

/// Escape closes an open menu, and does only that: the selection stays
/// until the next Escape.
#[test]
fn escape_closes_an_open_menu() {
    let mut harness = app_harness(sample_path(), SIZE);
    step_until(&mut harness, "the sample to load and settle", settled);
    ctrl_f(&mut harness);
    type_keys(&mut harness, "sergei");
    listed_names(&mut harness);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let selected = harness.state().selection();
    assert!(matches!(selected, Some(Hit::Node(_))));
    harness.get_by_label("Close").click();
    harness.run_steps(3);

    harness.get_by_label("File").click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Open Path").is_some());
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(
        harness.query_by_label_contains("Open Path").is_none(),
        "the menu is still open"
    );
    assert_eq!(harness.state().selection(), selected);
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert_eq!(harness.state().selection(), None);
}
