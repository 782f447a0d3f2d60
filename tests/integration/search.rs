//! Find, Find in Excerpts, the command palette and the shortcuts window,
//! driven through the real app with `egui_kittest`, and `linkscope find`
//! run as the real binary.
//!
//! Expected values were computed from the sample with Python's sqlite3,
//! not with Linkscope (the script is `sample-db/find_reference.py`; its
//! output is copied below). A name matches when the query's letters appear
//! in it in order, case ignored; a description when each word appears in
//! it; degree counts the relations where the entity is subject plus those
//! where it is object.

use std::collections::BTreeSet;
use std::process::Command;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};
use linkscope::app::LinkscopeApp;
use linkscope::model::search::MatchField;
use linkscope::view::find::FindResults;
use linkscope::view::hit::Hit;

use super::ui::{app_harness, sample_path, settled, step_until};

/// `python3 sample-db/find_reference.py`: "haqqani", names then descriptions,
/// as (name, kind, degree). The name that starts with "haqqani" first, then
/// the two where a later word does (in either order: the matcher decides).
const HAQQANI_BY_NAME: [(&str, &str, usize); 3] = [
    ("Haqqani Network", "organization", 3),
    ("Sirajuddin Haqqani", "actor", 13),
    ("Zhirnov–Haqqani meeting in Kabul", "event", 6),
];
/// The same script: "russia" matches these names, in this order: the exact
/// name, a word starting with it, the letters in order.
const RUSSIA_BY_NAME: [&str; 3] = [
    "Russia",
    "Security Council of Russia",
    "Withdrawal of U.S.-led Western forces from Afghanistan",
];
const HAQQANI_BY_DESCRIPTION: [(&str, &str, usize); 4] = [
    ("Dmitry Zhirnov", "actor", 6),
    ("Abdul Matin Qane", "actor", 2),
    ("Taliban Interior Ministry", "organization", 4),
    ("Pakistan", "organization", 1),
];
/// The same script: relations citing an excerpt that contains "crocus city
/// hall" (2 excerpts do), as (relation id, subject, label, object).
const CROCUS_RELATIONS: [(i64, &str, &str, &str); 11] = [
    (
        1,
        "Dmitry Zhirnov",
        "took part in",
        "Zhirnov–Haqqani meeting in Kabul",
    ),
    (
        2,
        "Sirajuddin Haqqani",
        "took part in",
        "Zhirnov–Haqqani meeting in Kabul",
    ),
    (
        3,
        "Dmitry Zhirnov",
        "met in Kabul with",
        "Sirajuddin Haqqani",
    ),
    (
        8,
        "Zhirnov–Haqqani meeting in Kabul",
        "took place weeks before",
        "Crocus City Hall attack",
    ),
    (11, "Dmitry Zhirnov", "is the ambassador of", "Russia"),
    (
        12,
        "Dmitry Zhirnov",
        "is Russian Ambassador to",
        "Afghanistan",
    ),
    (
        13,
        "Sirajuddin Haqqani",
        "is acting Minister of Interior Affairs at",
        "Taliban Interior Ministry",
    ),
    (14, "Sirajuddin Haqqani", "heads", "Haqqani Network"),
    (
        15,
        "Sirajuddin Haqqani",
        "is a leading figure of",
        "Taliban government",
    ),
    (17, "Haqqani Network", "is part of", "Taliban government"),
    (
        27,
        "Islamic State (ISIS)",
        "claimed responsibility for",
        "Crocus City Hall attack",
    ),
];

fn node_named(app: &LinkscopeApp, name: &str) -> u32 {
    let graph = app.graph().unwrap();
    (0..graph.node_count() as u32)
        .find(|&node| graph.node_name(node) == name)
        .unwrap_or_else(|| panic!("the sample has {name}"))
}

fn entity_results(app: &LinkscopeApp) -> Option<(Vec<(String, MatchField)>, bool)> {
    let Some(FindResults::Entities { ranking, complete }) = app.find_results() else {
        return None;
    };
    let graph = app.graph()?;
    Some((
        ranking
            .top
            .iter()
            .map(|ranked| (graph.node_name(ranked.node).to_owned(), ranked.field))
            .collect(),
        *complete,
    ))
}

fn complete(app: &LinkscopeApp) -> bool {
    entity_results(app).is_some_and(|(_, complete)| complete)
}

fn open_find(harness: &mut Harness<'_, LinkscopeApp>, modifiers: Modifiers, query: &str) {
    harness.key_press_modifiers(modifiers, Key::F);
    harness.run_steps(2);
    assert!(harness.state().is_find_open(), "the shortcut opens Find");
    harness
        .get(By::new().role(egui::accesskit::Role::TextInput))
        .type_text(query);
    harness.run_steps(2);
}

#[test]
fn find_ranks_names_then_descriptions_and_enter_centres_the_chosen_entity() {
    let mut harness = app_harness(sample_path(), egui::vec2(1100.0, 750.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    open_find(&mut harness, Modifiers::COMMAND, "haqqani");
    step_until(&mut harness, "names and descriptions searched", complete);

    let (rows, _) = entity_results(harness.state()).unwrap();
    assert_eq!(
        rows[0].0, HAQQANI_BY_NAME[0].0,
        "the name starting so first"
    );
    let names: BTreeSet<&str> = rows[1..3].iter().map(|(name, _)| name.as_str()).collect();
    let expected: BTreeSet<&str> = HAQQANI_BY_NAME[1..].iter().map(|row| row.0).collect();
    assert_eq!(names, expected, "name matches come first");
    let described: BTreeSet<&str> = rows[3..].iter().map(|(name, _)| name.as_str()).collect();
    let expected: BTreeSet<&str> = HAQQANI_BY_DESCRIPTION.iter().map(|row| row.0).collect();
    assert_eq!(described, expected, "then matches in descriptions only");
    // Each row shows the entity's kind and degree.
    for (name, kind, degree) in HAQQANI_BY_NAME {
        harness.get_by_label(&format!("{name} — {kind} · degree {degree}"));
    }
    for (name, kind, degree) in HAQQANI_BY_DESCRIPTION {
        harness.get_by_label(&format!(
            "{name} — {kind} · degree {degree} · in its description"
        ));
    }
    harness.get_by_label_contains("7 matches");

    // Down moves to the second row; Enter selects it and centres it.
    harness.key_press(Key::ArrowDown);
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(8);
    // Details are read on their own thread: wait for them, then let the
    // panel settle (a loaded machine needs more than a few frames).
    crate::ui::details_read(&mut harness);
    harness.run_steps(4);
    let chosen = node_named(harness.state(), &rows[1].0);
    assert_eq!(harness.state().selection(), Some(Hit::Node(chosen)));
    // The details panel shows it: its heading and its relations.
    harness.get_by_label(&rows[1].0);
    harness.get_by_label_contains("Relations (");
    let (_, viewport) = harness.state().camera().unwrap();
    let on_screen = harness.state().node_on_screen(chosen).unwrap();
    assert!(
        (on_screen - viewport.center()).length() < 1.5,
        "{on_screen:?} is the centre of {viewport:?}"
    );

    // Marking outlines every match on the canvas.
    harness.get_by_label("Mark matches on the canvas").click();
    harness.run_steps(2);
    let marked: BTreeSet<u32> = harness.state().marked().iter().copied().collect();
    let all: BTreeSet<u32> = HAQQANI_BY_NAME
        .iter()
        .chain(&HAQQANI_BY_DESCRIPTION)
        .map(|row| node_named(harness.state(), row.0))
        .collect();
    assert_eq!(marked, all);
    harness.get_by_label("Close").click();
    harness.run_steps(2);
    assert!(
        harness.state().marked().is_empty(),
        "closing Find clears the marks"
    );
}

#[test]
fn find_in_excerpts_lists_the_relations_citing_a_phrase_and_opens_their_evidence() {
    let mut harness = app_harness(sample_path(), egui::vec2(1100.0, 750.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    open_find(
        &mut harness,
        Modifiers::COMMAND | Modifiers::SHIFT,
        "Crocus city HALL",
    );
    step_until(&mut harness, "the excerpts searched", |app| {
        matches!(app.find_results(), Some(FindResults::Excerpts(_)))
    });
    let Some(FindResults::Excerpts(found)) = harness.state().find_results() else {
        unreachable!()
    };
    let graph = harness.state().graph().unwrap();
    let listed: Vec<i64> = found
        .hits
        .iter()
        .map(|hit| graph.edge_db_id(hit.edge))
        .collect();
    let expected: Vec<i64> = CROCUS_RELATIONS.iter().map(|row| row.0).collect();
    assert_eq!(listed, expected);
    assert_eq!(found.excerpts_found, 2);
    assert!(
        found
            .hits
            .iter()
            .all(|hit| hit.snippet.found == "Crocus City Hall")
    );
    let first = found.hits[0].edge;
    harness.get_by_label_contains("11 relations citing 2 matching excerpts");
    for (_, subject, label, object) in CROCUS_RELATIONS {
        harness.get_by_label_contains(&format!("{subject} {label} {object}\n"));
    }
    harness
        .get_by_label_contains("Dmitry Zhirnov took part in Zhirnov–Haqqani meeting in Kabul\n")
        .click();
    harness.run_steps(4);
    crate::ui::details_read(&mut harness);
    harness.run_steps(2);
    assert_eq!(harness.state().selection(), Some(Hit::Edge(first)));
    harness.get_by_label("Evidence");
    harness.get_by_label("took part in");
}

#[test]
fn the_palette_runs_a_command_typed_fuzzily() {
    let mut harness = app_harness(sample_path(), egui::vec2(1100.0, 750.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    let node = node_named(harness.state(), "Sergei Shoigu");
    open_find(&mut harness, Modifiers::COMMAND, "sergei");
    step_until(&mut harness, "the search", complete);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert_eq!(harness.state().selection(), Some(Hit::Node(node)));

    // Ctrl+K works while the Find field has the keys.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run_steps(2);
    assert!(harness.state().is_palette_open());
    // Every command is listed, with its shortcut.
    harness.get_by_label_contains("Re-run Layout");
    harness.get_by_label_contains("Ctrl+O");
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::TextInput)
                .label("Command"),
        )
        .type_text("clr sel");
    harness.run_steps(2);
    assert!(
        harness.query_by_label_contains("Re-run Layout").is_none(),
        "filtered"
    );
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(!harness.state().is_palette_open());
    assert_eq!(harness.state().selection(), None, "Clear Selection ran");
}

#[test]
fn f1_lists_every_shortcut_and_plain_keys_do_nothing_while_typing() {
    let mut harness = app_harness(sample_path(), egui::vec2(1100.0, 750.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    harness.key_press(Key::F1);
    harness.run_steps(2);
    assert!(harness.state().is_help_open());
    for command in linkscope::command::UiCommand::ALL {
        if let Some(shortcut) = command.shortcut() {
            let keys = shortcut.format(&egui::ModifierNames::NAMES, false);
            assert!(
                harness.query_all_by_label(&keys).count() >= 1,
                "F1 shows {keys}"
            );
            assert!(
                harness.query_all_by_label(command.description()).count() >= 1,
                "F1 shows {}",
                command.description()
            );
        }
    }
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().is_help_open(), "Escape closes it");

    // With the Find field focused, Space and F1 are typing, not commands.
    open_find(&mut harness, Modifiers::COMMAND, "x");
    assert!(!harness.state().layout_running());
    harness.key_press(Key::Space);
    harness.key_press(Key::F1);
    harness.run_steps(3);
    assert!(
        !harness.state().layout_running(),
        "Space did not resume the layout"
    );
    assert!(!harness.state().is_help_open(), "F1 did not open help");
}

/// The keyboard rows of the user guide's shortcut table, as (keys, action):
/// written by hand, apart from the registry F1 is drawn from.
fn guide_shortcuts() -> Vec<(String, String)> {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guide.md")).unwrap();
    let table = guide
        .split("### Shortcuts")
        .nth(1)
        .expect("docs/guide.md has a Shortcuts section");
    table
        .lines()
        .skip_while(|line| !line.starts_with("| keys"))
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let keys = cells[0];
            // The pointer rows are sentences; a key row has no spaces.
            (!keys.contains(' ')).then(|| (keys.to_owned(), cells[1].to_owned()))
        })
        .collect()
}

/// F1 against the user guide's table (not only against the registry it is
/// drawn from): every documented key with its action, and no other key.
#[test]
fn f1_shows_the_guide_shortcut_table() {
    let documented = guide_shortcuts();
    assert!(documented.len() >= 25, "{documented:?}");
    let mut harness = app_harness(sample_path(), egui::vec2(1280.0, 820.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    harness.key_press(Key::F1);
    harness.run_steps(3);
    let window = harness.get(
        By::new()
            .role(egui::accesskit::Role::Window)
            .label("Keyboard Shortcuts"),
    );
    let window_rect = window.rect();
    // The rows of the grid: each key text beside its action, on one line.
    let texts: Vec<(egui::Rect, String)> = harness
        .get_all(By::new().role(egui::accesskit::Role::Label))
        .filter_map(|label| {
            let rect = label.rect();
            (rect.left() >= window_rect.left() - 1.0 && rect.right() <= window_rect.right() + 1.0)
                .then(|| (rect, label.value().unwrap_or_default()))
        })
        .collect();
    let mut shown = Vec::new();
    for (rect, text) in &texts {
        if let Some((_, action)) = texts.iter().find(|(other, action)| {
            other.left() > rect.right()
                && (other.center().y - rect.center().y).abs() < 2.0
                && !action.is_empty()
        }) && !text.contains(' ')
            && documented.iter().any(|(_, doc)| doc == action)
        {
            shown.push((text.clone(), action.clone()));
        }
    }
    shown.sort();
    let mut documented = documented;
    documented.sort();
    assert_eq!(shown, documented);
}

fn linkscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkscope"))
}

#[test]
fn find_on_the_command_line_ranks_like_the_window_as_json() {
    let output = linkscope()
        .arg("find")
        .arg(sample_path())
        .args(["haqqani", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let matches: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let row = |value: &serde_json::Value| {
        (
            value["name"].as_str().unwrap().to_owned(),
            value["kind"].as_str().unwrap().to_owned(),
            value["degree"].as_u64().unwrap() as usize,
        )
    };
    assert_eq!(matches[0]["name"], HAQQANI_BY_NAME[0].0);
    assert_eq!(matches[0]["closeness"], "prefix");
    assert!(matches[1..3].iter().all(|m| m["closeness"] == "word_start"));
    let by_name: BTreeSet<_> = matches[..3].iter().map(row).collect();
    let expected: BTreeSet<_> = HAQQANI_BY_NAME
        .iter()
        .map(|&(name, kind, degree)| (name.to_owned(), kind.to_owned(), degree))
        .collect();
    assert_eq!(by_name, expected);
    let by_description: BTreeSet<_> = matches[3..].iter().map(row).collect();
    let expected: BTreeSet<_> = HAQQANI_BY_DESCRIPTION
        .iter()
        .map(|&(name, kind, degree)| (name.to_owned(), kind.to_owned(), degree))
        .collect();
    assert_eq!(by_description, expected);
    assert!(matches[..3].iter().all(|m| m["field"] == "name"));
    assert!(matches[3..].iter().all(|m| m["field"] == "description"));
    let scores: Vec<u64> = matches[..3]
        .iter()
        .map(|m| m["score"].as_u64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "ranked: {scores:?}"
    );
    // Ids are the file's: Sirajuddin Haqqani is entity 2.
    let haqqani = matches
        .iter()
        .find(|m| m["name"] == "Sirajuddin Haqqani")
        .unwrap();
    assert_eq!(haqqani["id"], 2);
}

/// Issue 18: "Russia" and "Security Council of Russia" scored alike and
/// file order broke the tie; the exact name comes first in the window and
/// on the command line.
#[test]
fn search_puts_the_exact_name_first() {
    let output = linkscope()
        .arg("find")
        .arg(sample_path())
        .args(["RUSSIA", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let matches: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<&str> = matches
        .iter()
        .filter(|m| m["field"] == "name")
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, RUSSIA_BY_NAME);
    // In the sample Russia (id 7) comes before the Security Council (id
    // 14), so file order alone would put it first: move it last.
    let folder = tempfile::tempdir().unwrap();
    let moved = folder.path().join("russia-last.sqlite");
    std::fs::copy(sample_path(), &moved).unwrap();
    rusqlite::Connection::open(&moved)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             UPDATE relations SET subject_id = 1000 WHERE subject_id = 7;
             UPDATE relations SET object_id = 1000 WHERE object_id = 7;
             UPDATE entities SET id = 1000 WHERE id = 7;",
        )
        .unwrap();
    let output = linkscope()
        .arg("find")
        .arg(&moved)
        .args(["russia", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let matches: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(matches[0]["name"], "Russia");
    assert_eq!(matches[0]["id"], 1000);
    assert_eq!(matches[0]["closeness"], "exact");

    let mut harness = app_harness(sample_path(), egui::vec2(1280.0, 820.0));
    step_until(&mut harness, "the sample to load and settle", settled);
    open_find(&mut harness, Modifiers::COMMAND, "russia");
    step_until(&mut harness, "the search", complete);
    let (rows, _) = entity_results(harness.state()).unwrap();
    let names: Vec<&str> = rows
        .iter()
        .filter(|(_, field)| *field == MatchField::Name)
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(names, RUSSIA_BY_NAME);
    // Enter picks the first row: the entity named Russia.
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let russia = node_named(harness.state(), "Russia");
    assert_eq!(harness.state().selection(), Some(Hit::Node(russia)));
}

#[test]
fn find_on_the_command_line_prints_text_and_exits_1_when_nothing_matches() {
    let output = linkscope()
        .arg("find")
        .arg(sample_path())
        .arg("sergei")
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("  1. Sergei Shoigu (actor, degree 2, id 5) score "),
        "{text}"
    );

    let output = linkscope()
        .arg("find")
        .arg(sample_path())
        .arg("qqqqzzzz")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());

    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("notes.txt");
    std::fs::write(&path, "not a graph").unwrap();
    let output = linkscope()
        .arg("find")
        .arg(&path)
        .arg("x")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(message.contains("notes.txt"), "{message}");
}
