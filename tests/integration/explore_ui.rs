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
use linkscope::model::visibility::Shown;
use linkscope::view::hit::Hit;

use crate::ui::{sample_path, step_until};

/// How many entities the fixture's hub is joined to.
pub(crate) const HUB_NEIGHBOURS: usize = 60;

/// The sample plus "Hub Holdings", an organisation owning "Shell 1" to
/// "Shell 60" (relations in that order, so the oldest come first), the
/// first with a quoted excerpt; and a "Courier" who works for Shell 60 and
/// pays into "Bank X".
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
    // Far from the hub: Shell 60, a courier, a bank.
    connection
        .execute_batch(
            "INSERT INTO entities (id, kind, name) VALUES (9100, 'actor', 'Courier'), (9101, 'organization', 'Bank X');
             INSERT INTO relations (id, subject_id, object_id, kind) VALUES (9100, 9100, 9060, 'works_for'), (9101, 9100, 9101, 'pays_into');",
        )
        .unwrap();
    path
}

pub(crate) fn explore_harness(spec: ExploreSpec) -> Harness<'static, LinkscopeApp> {
    crate::ui::harness_with(
        AppOptions {
            explore: Some(spec),
            ..AppOptions::default()
        },
        egui::vec2(1280.0, 820.0),
    )
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

/// Replaces the text of the field labelled `label` with `text`, as a user
/// selects it all and types.
pub(crate) fn retype(harness: &mut Harness<'_, LinkscopeApp>, label: &str, text: &str) {
    let field = || {
        By::new()
            .role(egui::accesskit::Role::TextInput)
            .label(label)
    };
    harness.get(field()).focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get(field()).type_text(text);
    harness.run_steps(2);
}

/// Steps until a button labelled `label` shows (a search's answer comes
/// from its thread), then clicks it.
pub(crate) fn click_when_shown(harness: &mut Harness<'_, LinkscopeApp>, label: &str) {
    let found = |harness: &Harness<'_, LinkscopeApp>| {
        harness
            .query_all(By::new().role(egui::accesskit::Role::Button).label(label))
            .next()
            .is_some()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !found(harness) {
        assert!(
            std::time::Instant::now() < deadline,
            "{label:?} never showed"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness
        .query_all(By::new().role(egui::accesskit::Role::Button).label(label))
        .next()
        .unwrap()
        .click();
}

/// From an empty scene to the hub with its first 50 shells, selected.
pub(crate) fn seed_the_hub(harness: &mut Harness<'_, LinkscopeApp>) {
    step_until(harness, "the source to open, with an empty scene", |app| {
        app.explore_status() == Some(ExploreStatus::Ready)
            && app.graph().is_some_and(|graph| graph.node_count() == 0)
    });
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label_contains("Search the source's names in the Explore tab")
            .is_some(),
        "the empty scene says how to start"
    );
    retype(harness, "Search names", "hub hold");
    click_when_shown(harness, "Hub Holdings (organization)");
    step_until(harness, "the hub and its first 50 neighbours", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 51) && app.layout_settled()
    });
    assert_eq!(names(harness.state()), shells(1..=50));
    // The first scene is fitted to the canvas, not drawn through the
    // empty scene's camera.
    harness.run_steps(2);
    let app = harness.state();
    let (_, canvas) = app.camera().unwrap();
    let on_screen: Vec<egui::Pos2> = (0..51)
        .filter_map(|node| app.node_on_screen(node))
        .collect();
    let span = egui::Rect::from_points(&on_screen);
    assert!(
        span.width() > 0.4 * canvas.width() || span.height() > 0.4 * canvas.height(),
        "the first scene spans {span:?} of the canvas {canvas:?}"
    );
    let graph = harness.state().graph().unwrap();
    assert_eq!(graph.edge_count(), 50, "the hub's 50 relations");
    let hub = node_named(harness.state(), "Hub Holdings").unwrap();
    assert_eq!(harness.state().selection(), Some(Hit::Node(hub)));
    // The scene keeps the source's ids: what the window and the exports
    // show names the source's rows.
    let graph = harness.state().graph().unwrap();
    assert_eq!(graph.node_db_id(hub), 9000);
    let mut relation_ids: Vec<i64> = (0..graph.edge_count() as u32)
        .map(|edge| graph.edge_db_id(edge))
        .collect();
    relation_ids.sort_unstable();
    assert_eq!(relation_ids, (9001..=9050).collect::<Vec<i64>>());
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
    step_until(harness, "every neighbour shown, settled", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 61) && app.layout_settled()
    });
    // Settled, the old picture is still exactly where it was: the layout
    // placed only the newcomers.
    let app = harness.state();
    for (name, point) in &before {
        let now = app.positions()[node_named(app, name).unwrap() as usize];
        let moved = (now[0] - point[0]).hypot(now[1] - point[1]);
        assert!(
            moved <= 1e-3 * extent,
            "{name} moved by {moved} once settled"
        );
    }
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

    // Save As keeps the scene as a graph file of its own, with its picture.
    let out = folder.path().join("scene.sqlite");
    crate::ui::click_file_menu_item(&mut harness, "Save As");
    step_until(
        &mut harness,
        "the path prompt",
        LinkscopeApp::is_asking_for_path,
    );
    save_at_the_prompt(&mut harness, &out);
    let saved = rusqlite::Connection::open(&out).unwrap();
    let count = |sql: &str| -> i64 { saved.query_row(sql, [], |row| row.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM entities"), 61);
    assert_eq!(count("SELECT count(*) FROM relations"), 60);
    assert_eq!(count("SELECT count(*) FROM relation_excerpts"), 1);
    assert_eq!(count("SELECT count(*) FROM app_positions"), 61);
}

/// Answers the path prompt with `out`, then waits for the scene saved there.
fn save_at_the_prompt(harness: &mut Harness<'_, LinkscopeApp>, out: &Path) {
    crate::ui::type_path(harness, out);
    harness
        .get(By::new().role(egui::accesskit::Role::Button).label("Save"))
        .click();
    step_until(harness, "the scene to be saved", |app| {
        !app.is_saving() && out.exists()
    });
}

/// Traces on `source` (the graph of `fixture`, a file of
/// `tests/fixtures/trace/`) between pairs of entities, against networkx's
/// undirected shortest-path lengths in `reference.json`; each path's hops
/// checked against the file's relations with rusqlite.
pub(crate) fn traces_match_networkx(
    source: &mut dyn linkscope::model::explore::Explorer,
    name: &str,
    file: &Path,
) {
    use linkscope::model::explore::trace::{SourceTrace, TraceEnd, TraceLimits, trace_on_source};
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trace/reference.json"),
    )
    .unwrap();
    let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<i64> = reference[name]["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect();
    let hops = &reference[name]["hops_undirected"];
    let connection = rusqlite::Connection::open(file).unwrap();
    let joins = |a: i64, b: i64, relation: i64| -> bool {
        connection
            .query_row(
                "SELECT count(*) FROM relations WHERE id = ?3 AND ((subject_id = ?1 AND object_id = ?2) OR (subject_id = ?2 AND object_id = ?1))",
                [a, b, relation],
                |row| row.get::<_, i64>(0),
            )
            .unwrap()
            == 1
    };
    let limits = TraceLimits {
        max_hops: 10,
        time: std::time::Duration::from_secs(60),
        max_reached: 100_000,
    };
    let mut longest = 0;
    for (i, &from) in ids.iter().enumerate() {
        for (j, &to) in ids.iter().enumerate().skip(i + 1) {
            let found = trace_on_source(source, from, to, limits).unwrap();
            match (hops[i][j].as_u64(), found) {
                (None, SourceTrace::Stopped(end)) => {
                    assert_eq!(end, TraceEnd::NoPath, "{name}: {from} to {to}");
                }
                (
                    Some(length),
                    SourceTrace::Path {
                        entities,
                        relations,
                    },
                ) => {
                    assert_eq!(relations.len() as u64, length, "{name}: {from} to {to}");
                    assert_eq!(entities.first(), Some(&from));
                    assert_eq!(entities.last(), Some(&to));
                    for (step, &relation) in entities.windows(2).zip(&relations) {
                        assert!(
                            joins(step[0], step[1], relation),
                            "{name}: {step:?} by {relation}"
                        );
                    }
                    longest = longest.max(length);
                }
                (expected, found) => {
                    panic!("{name}: {from} to {to}: {expected:?} hops, found {found:?}")
                }
            }
        }
    }
    assert!(longest >= 3, "{name}: the pairs must include long paths");
    // Each limit says it stopped the search.
    let (far_from, far_to, far) = ids
        .iter()
        .enumerate()
        .flat_map(|(i, &a)| ids.iter().enumerate().map(move |(j, &b)| (i, j, a, b)))
        .filter_map(|(i, j, a, b)| hops[i][j].as_u64().map(|length| (a, b, length)))
        .max_by_key(|&(a, b, length)| (length, std::cmp::Reverse((a, b))))
        .unwrap();
    let short = TraceLimits {
        max_hops: u32::try_from(far).unwrap() - 1,
        ..limits
    };
    assert_eq!(
        trace_on_source(source, far_from, far_to, short).unwrap(),
        SourceTrace::Stopped(TraceEnd::HopLimit)
    );
    let small = TraceLimits {
        max_reached: 3,
        ..limits
    };
    assert_eq!(
        trace_on_source(source, far_from, far_to, small).unwrap(),
        SourceTrace::Stopped(TraceEnd::SizeLimit)
    );
    let no_time = TraceLimits {
        time: std::time::Duration::ZERO,
        ..limits
    };
    assert_eq!(
        trace_on_source(source, far_from, far_to, no_time).unwrap(),
        SourceTrace::Stopped(TraceEnd::TimeLimit)
    );
}

#[test]
fn traces_on_a_file_source_are_networkx_shortest_paths() {
    for (name, file) in [
        ("sample", "sample-db/sample.sqlite"),
        ("karate", "tests/fixtures/trace/karate.sqlite"),
        ("lesmis", "tests/fixtures/trace/lesmis.sqlite"),
    ] {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let mut source = linkscope::store::SqliteExplorer::open(&file).unwrap();
        traces_match_networkx(&mut source, name, &file);
    }
}

#[test]
fn a_trace_on_the_source_brings_the_path_between_two_shown_entities_into_the_scene() {
    let folder = tempfile::tempdir().unwrap();
    let fixture = hub_fixture(folder.path());
    let mut harness = explore_harness(ExploreSpec::File(fixture));
    seed_the_hub(&mut harness);
    retype(&mut harness, "Search names", "bank x");
    click_when_shown(&mut harness, "Bank X (organization)");
    step_until(&mut harness, "the bank and its courier", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 53) && app.layout_settled()
    });
    assert!(node_named(harness.state(), "Shell 60").is_none());

    let hub = node_named(harness.state(), "Hub Holdings").unwrap();
    let bank = node_named(harness.state(), "Bank X").unwrap();
    let at = harness.state().node_on_screen(hub).unwrap();
    crate::ui::click_at(&mut harness, at);
    let at = harness.state().node_on_screen(bank).unwrap();
    crate::select::shift_click(&mut harness, at);
    assert_eq!(
        harness.state().selected_entities(),
        vec![hub.min(bank), hub.max(bank)]
    );
    harness.run_steps(2);
    click_button(&mut harness, "Trace on the source (up to 4 hops)");
    step_until(&mut harness, "the path in the scene", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 54)
    });
    let app = harness.state();
    assert!(node_named(app, "Shell 60").is_some());
    assert!(
        app.messages()
            .any(|message| message.contains("A path of 3 hops from Hub Holdings to Bank X")),
        "{:?}",
        app.messages().collect::<Vec<_>>()
    );
    // The path's three relations are drawn.
    let graph = app.graph().unwrap();
    let joined = |a: &str, b: &str| {
        let (a, b) = (node_named(app, a).unwrap(), node_named(app, b).unwrap());
        (0..graph.edge_count() as u32).any(|edge| {
            let (s, t) = graph.edge_endpoints(edge);
            (s, t) == (a, b) || (s, t) == (b, a)
        })
    };
    assert!(joined("Hub Holdings", "Shell 60"));
    assert!(joined("Courier", "Shell 60"));
    assert!(joined("Courier", "Bank X"));
}

fn harness_over_the_limit(file: PathBuf) -> Harness<'static, LinkscopeApp> {
    crate::ui::harness_with(
        AppOptions {
            file: Some(file),
            // Every file is over a limit of 0 MB.
            explore_above_mb: Some(0),
            ..AppOptions::default()
        },
        egui::vec2(1280.0, 820.0),
    )
}

#[test]
fn a_file_over_the_size_limit_is_offered_for_exploring_or_loading_whole() {
    let folder = tempfile::tempdir().unwrap();
    let fixture = hub_fixture(folder.path());
    let connection = rusqlite::Connection::open(&fixture).unwrap();
    let entities: usize = connection
        .query_row("SELECT count(*) FROM entities", [], |row| row.get(0))
        .unwrap();

    let mut harness = harness_over_the_limit(fixture.clone());
    step_until(
        &mut harness,
        "the offer",
        LinkscopeApp::is_offering_exploring,
    );
    assert!(harness.query_by_label_contains("hub.sqlite is").is_some());
    assert!(
        harness.state().graph().is_none(),
        "nothing is loaded before the answer"
    );
    click_button(&mut harness, "Explore by search");
    seed_the_hub(&mut harness);

    let mut harness = harness_over_the_limit(fixture);
    step_until(
        &mut harness,
        "the offer",
        LinkscopeApp::is_offering_exploring,
    );
    click_button(&mut harness, "Load whole");
    step_until(&mut harness, "the whole file", |app| {
        app.graph()
            .is_some_and(|graph| graph.node_count() == entities)
    });
    assert!(harness.state().explore_status().is_none());
}

/// Words as a full-text search splits them, written here apart from the
/// code under test: runs of letters and digits, lower-cased.
pub(crate) fn test_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The ids of the excerpts of `file` holding every word of `query`.
pub(crate) fn excerpts_with_words(file: &Path, query: &str) -> Vec<i64> {
    let wanted = test_words(query);
    let connection = rusqlite::Connection::open(file).unwrap();
    let mut statement = connection
        .prepare("SELECT id, text FROM excerpts ORDER BY id")
        .unwrap();
    let rows: Vec<(i64, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.into_iter()
        .filter(|(_, text)| {
            let have = test_words(text);
            !wanted.is_empty() && wanted.iter().all(|word| have.contains(word))
        })
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn an_excerpt_search_shows_both_ends_of_the_relation_it_supports() {
    let sample = sample_path();
    let hits = excerpts_with_words(&sample, "security cooperation");
    assert!(!hits.is_empty());
    // The first hit's first citing relation, and its ends' names, by SQL.
    let connection = rusqlite::Connection::open(&sample).unwrap();
    let (subject, label, object): (String, String, String) = connection
        .query_row(
            "SELECT s.name, coalesce(r.label, r.kind), o.name FROM relation_excerpts c
             JOIN relations r ON r.id = c.relation_id
             JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id
             WHERE c.excerpt_id = ?1 ORDER BY r.id LIMIT 1",
            [hits[0]],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    let mut harness = explore_harness(ExploreSpec::File(sample));
    step_until(&mut harness, "the source to open", |app| {
        app.explore_status() == Some(ExploreStatus::Ready) && app.graph().is_some()
    });
    harness.get_by_label("Excerpts").click();
    harness.run_steps(2);
    retype(&mut harness, "Search excerpts", "Security Cooperation");
    click_when_shown(&mut harness, &format!("{subject} — {label} — {object}"));
    step_until(&mut harness, "both ends in the scene", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 2)
    });
    let mut shown = names(harness.state());
    let mut expected = vec![subject, object];
    shown.sort();
    expected.sort();
    assert_eq!(shown, expected);
}

/// The scene grows in place: the document's generation goes up by one,
/// every entity keeps its index (the hub, whose id sorts after the
/// newcomers', included), and the camera, what the user hid and the undo
/// history hold as they were.
#[test]
fn growing_the_scene_keeps_the_camera_what_was_hidden_and_the_undo_history() {
    let folder = tempfile::tempdir().unwrap();
    let fixture = hub_fixture(folder.path());
    let mut harness = explore_harness(ExploreSpec::File(fixture));
    seed_the_hub(&mut harness);
    step_until(
        &mut harness,
        "the layout to settle",
        LinkscopeApp::layout_settled,
    );
    // Hide Shell 7, as a user: click it, press H.
    let shell_7 = node_named(harness.state(), "Shell 7").unwrap();
    let position = harness.state().node_on_screen(shell_7).unwrap();
    crate::ui::click_at(&mut harness, position);
    assert_eq!(harness.state().selection(), Some(Hit::Node(shell_7)));
    harness.key_press(egui::Key::H);
    step_until(&mut harness, "Shell 7 hidden", |app| {
        !app.is_updating_view()
            && app
                .visible_set()
                .is_some_and(|set| set.node(shell_7) == Shown::Hidden)
    });
    assert_eq!(harness.state().undo_text(), Some("Hide"));
    // Zoomed out around the hub, so that the next page starts in sight.
    let hub = node_named(harness.state(), "Hub Holdings").unwrap();
    let position = harness.state().node_on_screen(hub).unwrap();
    harness.event(egui::Event::PointerMoved(position));
    harness.event(egui::Event::Zoom(0.5));
    harness.run_steps(2);
    let (camera, _) = harness.state().camera().unwrap();

    // The hub again, then the next page of its neighbours.
    let position = harness.state().node_on_screen(hub).unwrap();
    crate::ui::click_at(&mut harness, position);
    assert_eq!(harness.state().camera().unwrap().0, camera);
    let generation = harness.state().document_generation().unwrap();
    click_button(&mut harness, "Load next 10");
    step_until(&mut harness, "the grown scene", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 61) && !app.is_updating_view()
    });
    let app = harness.state();
    assert_eq!(
        app.document_generation(),
        Some(generation + 1),
        "the document did not grow in place"
    );
    assert_eq!(
        node_named(app, "Hub Holdings"),
        Some(hub),
        "the hub changed index"
    );
    assert_eq!(node_named(app, "Shell 7"), Some(shell_7));
    assert_eq!(app.selection(), Some(Hit::Node(hub)));
    assert_eq!(
        app.camera().unwrap().0,
        camera,
        "the camera moved when the scene grew"
    );
    assert_eq!(
        app.visible_set().unwrap().node(shell_7),
        Shown::Hidden,
        "Shell 7 came back when the scene grew"
    );
    assert_eq!(app.undo_text(), Some("Hide"), "the undo history was lost");

    // Undo still undoes the hide.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    step_until(&mut harness, "Shell 7 shown again", |app| {
        !app.is_updating_view()
            && app
                .visible_set()
                .is_some_and(|set| set.node(shell_7) == Shown::Shown)
    });
    let app = harness.state();
    let graph = app.graph().unwrap();
    let shown = (0..graph.node_count() as u32)
        .filter(|&node| app.visible_set().unwrap().node(node) == Shown::Shown)
        .count();
    assert_eq!(shown, 61, "undo showed the wrong entity");
}

/// File ▸ Save while exploring a graph file never writes that file (nor
/// the working copy, which is thrown away): it asks where to save the
/// scene, as Save As does.
#[test]
fn save_while_exploring_a_file_asks_where_and_never_writes_the_file() {
    let folder = tempfile::tempdir().unwrap();
    let fixture = hub_fixture(folder.path());
    let bytes_before = std::fs::read(&fixture).unwrap();
    let mut harness = explore_harness(ExploreSpec::File(fixture.clone()));
    seed_the_hub(&mut harness);
    crate::postgres_views::click_save(&mut harness);
    step_until(
        &mut harness,
        "the path prompt",
        LinkscopeApp::is_asking_for_path,
    );
    assert!(
        harness
            .query_by_label_contains("The explored file is never written")
            .is_some()
    );
    let out = folder.path().join("saved-scene.sqlite");
    save_at_the_prompt(&mut harness, &out);
    let saved = rusqlite::Connection::open(&out).unwrap();
    let count = |sql: &str| -> i64 { saved.query_row(sql, [], |row| row.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM entities"), 51);
    assert_eq!(count("SELECT count(*) FROM app_positions"), 51);
    assert_eq!(
        std::fs::read(&fixture).unwrap(),
        bytes_before,
        "the explored file was written"
    );
}
