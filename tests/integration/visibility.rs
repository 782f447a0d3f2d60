//! Hide, focus, expand, filters and the timeline, driven through the real
//! window: keys, menus, the filter panel and the timeline's brush, with the
//! status bar's counts checked against numbers from elsewhere: networkx on
//! the sample (`tests/reference/sample_neighbourhoods.py`) and plain SQL.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use linkscope::app::LinkscopeApp;
use linkscope::view::hit::Hit;

use crate::ui::{app_harness, click_at, sample_path, settled, step_until};

const REFERENCE: &str = include_str!("../reference/sample_neighbourhoods.txt");
pub(crate) const SAMPLE_ENTITIES: usize = 27;
pub(crate) const SAMPLE_RELATIONS: usize = 53;

/// (entities, relations) shown by a k-hop focus on `seed`, from networkx.
pub(crate) fn reference_focus(seed: i64, hops: u8) -> (usize, usize) {
    REFERENCE
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .find(|fields| {
            fields.len() == 4 && fields[0] == seed.to_string() && fields[1] == hops.to_string()
        })
        .map(|fields| (fields[2].parse().unwrap(), fields[3].parse().unwrap()))
        .expect("the reference has this seed and hops")
}

/// (entities, relations, changed) after the expand or collapse step, from networkx.
pub(crate) fn reference_step(step: &str) -> (usize, usize, usize) {
    let fields: Vec<usize> = REFERENCE
        .lines()
        .find(|line| line.starts_with(step))
        .expect("the reference has this step")
        .split_whitespace()
        .skip(1)
        .map(|field| field.parse().unwrap())
        .collect();
    (fields[0], fields[1], fields[2])
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The status bar's text for these counts.
pub(crate) fn status(
    shown: (usize, usize),
    hidden: (usize, usize),
    greyed: (usize, usize),
) -> String {
    let pair = |(entities, relations): (usize, usize)| {
        format!(
            "{}, {}",
            plural(entities, "entity", "entities"),
            plural(relations, "relation", "relations")
        )
    };
    let mut text = format!("Shown: {} · Hidden: {}", pair(shown), pair(hidden));
    if greyed.0 + greyed.1 > 0 {
        text.push_str(" · Greyed: ");
        text.push_str(&pair(greyed));
    }
    text
}

/// The sample's status with `shown` entities and relations, the rest hidden.
pub(crate) fn sample_status(entities: usize, relations: usize) -> String {
    status(
        (entities, relations),
        (SAMPLE_ENTITIES - entities, SAMPLE_RELATIONS - relations),
        (0, 0),
    )
}

pub(crate) fn quiet(app: &LinkscopeApp) -> bool {
    app.graph().is_some() && !app.is_updating_view()
}

/// Lets the last input reach the app, then waits for the view update it
/// started.
pub(crate) fn settle_view(harness: &mut Harness<'_, LinkscopeApp>) {
    harness.run_steps(3);
    step_until(harness, "the view update", quiet);
}

/// Steps the window until its status bar says `text` (the view is
/// recomputed in the background), or fails with what it says instead.
pub(crate) fn expect_status(harness: &mut Harness<'_, LinkscopeApp>, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        harness.step();
        let shown: Vec<String> = harness
            .query_all(By::new().label_contains("Shown: "))
            .filter_map(|node| node.accesskit_node().value())
            .collect();
        if quiet(harness.state()) && shown.iter().any(|label| label == text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the status bar says {shown:?}, not {text:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub(crate) fn menu_item(text: &'static str) -> By<'static> {
    By::new().predicate(move |node| {
        let label = node.label().unwrap_or_default();
        label == text
            || label
                .strip_prefix(text)
                .is_some_and(|rest| rest.starts_with(' '))
    })
}

pub(crate) fn view_menu(harness: &mut Harness<'_, LinkscopeApp>, item: &'static str) {
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get(menu_item(item)).click();
    harness.run_steps(2);
}

pub(crate) fn set_hops(harness: &mut Harness<'_, LinkscopeApp>, hops: u8) {
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Focus Hops").hover();
    harness.run_steps(3);
    let text = if hops == 1 {
        "1 hop".to_owned()
    } else {
        format!("{hops} hops")
    };
    harness.get_by_label(&text).click();
    harness.run_steps(3);
}

pub(crate) fn node_of(app: &LinkscopeApp, id: i64) -> u32 {
    app.graph().unwrap().node_by_db_id(id).unwrap()
}

/// Clicks entity `id` where the canvas draws it.
pub(crate) fn select_entity(harness: &mut Harness<'_, LinkscopeApp>, id: i64) {
    let node = node_of(harness.state(), id);
    let at = harness.state().node_on_screen(node).unwrap();
    click_at(harness, at);
    assert_eq!(harness.state().selection(), Some(Hit::Node(node)));
}

pub(crate) fn sample_sql() -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(sample_path(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
}

pub(crate) fn sql_count(sql: &str) -> usize {
    sample_sql()
        .query_row(sql, [], |row| row.get::<_, i64>(0))
        .unwrap() as usize
}

pub(crate) fn pixel(image: &image::RgbaImage, at: egui::Pos2) -> [u8; 4] {
    image.get_pixel(at.x as u32, at.y as u32).0
}

pub(crate) fn near(actual: [u8; 4], expected: egui::Color32, tolerance: u8) -> bool {
    actual
        .iter()
        .zip(expected.to_array())
        .take(3)
        .all(|(a, e)| a.abs_diff(e) <= tolerance)
}

/// H hides the clicked entity: its pixels are gone, a click there picks
/// nothing of it, the status bar counts it and its relations as hidden;
/// View ▸ Show All brings everything back.
#[test]
fn hiding_an_entity_takes_it_out_of_the_picture_and_show_all_brings_it_back() {
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the sample to load and settle", |app| {
        settled(app) && quiet(app)
    });
    expect_status(
        &mut harness,
        &sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS),
    );
    let zhirnov = node_of(harness.state(), 1);
    let at = harness.state().node_on_screen(zhirnov).unwrap();
    let actor_blue = egui::Color32::from_rgb(66, 133, 244);
    let before = harness.render().unwrap();
    assert!(
        near(pixel(&before, at), actor_blue, 12),
        "drawn first: {:?}",
        pixel(&before, at)
    );

    select_entity(&mut harness, 1);
    harness.key_press(Key::H);
    harness.run_steps(2);
    let relations =
        sql_count("SELECT count(*) FROM relations WHERE subject_id = 1 OR object_id = 1");
    expect_status(
        &mut harness,
        &sample_status(SAMPLE_ENTITIES - 1, SAMPLE_RELATIONS - relations),
    );
    assert_eq!(
        harness.state().selection(),
        None,
        "what is hidden is not selected"
    );
    let after = harness.render().unwrap();
    assert!(
        !near(pixel(&after, at), actor_blue, 40),
        "the hidden node's pixels are gone: {:?}",
        pixel(&after, at)
    );
    assert_ne!(harness.state_mut().pick_at(at), Some(Hit::Node(zhirnov)));

    view_menu(&mut harness, "Show All");
    expect_status(
        &mut harness,
        &sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS),
    );
    let again = harness.render().unwrap();
    assert!(
        near(pixel(&again, at), actor_blue, 40),
        "back: {:?}",
        pixel(&again, at)
    );
    assert_eq!(harness.state_mut().pick_at(at), Some(Hit::Node(zhirnov)));
}

/// Shift+F shows the 1-, 2- and 3-hop neighbourhoods networkx finds.
#[test]
fn focus_shows_the_k_hop_neighbourhood() {
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the sample to load and settle", |app| {
        settled(app) && quiet(app)
    });
    for seed in [1, 22] {
        select_entity(&mut harness, seed);
        set_hops(&mut harness, 1);
        harness.key_press_modifiers(Modifiers::SHIFT, Key::F);
        for hops in 1..=3 {
            if hops > 1 {
                set_hops(&mut harness, hops);
            }
            let (entities, relations) = reference_focus(seed, hops);
            expect_status(&mut harness, &sample_status(entities, relations));
        }
        harness.key_press_modifiers(Modifiers::ALT, Key::H);
        expect_status(
            &mut harness,
            &sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS),
        );
    }
}

/// Expanding beyond the limit asks first, saying how many; collapsing
/// takes back what hangs off the entity alone.
#[test]
fn expand_asks_above_the_limit_and_collapse_takes_back() {
    let mut harness = app_harness(sample_path(), egui::vec2(1200.0, 760.0));
    step_until(&mut harness, "the sample to load and settle", |app| {
        settled(app) && quiet(app)
    });
    // The filter panel takes room from the canvas: fit again (F) before clicking nodes.
    view_menu(&mut harness, "Filters…");
    harness
        .get_by_role(egui::accesskit::Role::SpinButton)
        .set_value_accesskit(3.0);
    harness.run_steps(3);
    harness.key_press(Key::F);
    harness.run_steps(4);
    select_entity(&mut harness, 1);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F);
    let (entities, relations) = reference_focus(1, 1);
    expect_status(&mut harness, &sample_status(entities, relations));
    select_entity(&mut harness, 2);
    harness.key_press(Key::E);
    harness.run_steps(3);
    let (expanded, expanded_relations, adding) = reference_step("expand");
    harness.get_by_label_contains(&format!(
        "Expanding Sirajuddin Haqqani would show {adding} more entities (the limit is 3)."
    ));
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    expect_status(&mut harness, &sample_status(entities, relations));

    harness.key_press(Key::E);
    harness.run_steps(3);
    harness.get_by_label("Expand Anyway").click();
    expect_status(&mut harness, &sample_status(expanded, expanded_relations));

    harness.key_press(Key::C);
    let (collapsed, collapsed_relations, removed) = reference_step("collapse");
    assert_eq!(expanded - collapsed, removed);
    expect_status(&mut harness, &sample_status(collapsed, collapsed_relations));
}

/// Each filter of the panel, on the sample, against plain SQL.
#[test]
fn each_filter_hides_or_greys_what_sql_says_it_should() {
    // Tall enough for the panel to show every relation kind.
    let mut harness = app_harness(sample_path(), egui::vec2(1200.0, 1700.0));
    step_until(&mut harness, "the sample and its dates to load", quiet);
    view_menu(&mut harness, "Filters…");

    // Entity kind: events out, and every relation touching one.
    let events = sql_count("SELECT count(*) FROM entities WHERE kind = 'event'");
    let touching = sql_count(
        "SELECT count(*) FROM relations WHERE subject_id IN (SELECT id FROM entities WHERE kind = 'event') \
         OR object_id IN (SELECT id FROM entities WHERE kind = 'event')",
    );
    harness.get_by_label("event").click();
    expect_status(
        &mut harness,
        &sample_status(SAMPLE_ENTITIES - events, SAMPLE_RELATIONS - touching),
    );
    harness.get_by_label("Greyed").click();
    expect_status(
        &mut harness,
        &status(
            (SAMPLE_ENTITIES - events, SAMPLE_RELATIONS - touching),
            (0, 0),
            (events, touching),
        ),
    );
    harness.get_by_label("Hidden").click();
    harness.get_by_label("event").click();
    expect_status(
        &mut harness,
        &sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS),
    );

    // Relation kind.
    harness.get_by_label("Relation kinds").click();
    harness.run_steps(2);
    harness.get_by_label("participated_in").scroll_to_me();
    harness.run_steps(10);
    let participations = sql_count("SELECT count(*) FROM relations WHERE kind = 'participated_in'");
    harness.get_by_label("participated_in").click();
    expect_status(
        &mut harness,
        &sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS - participations),
    );
    harness.get_by_label("participated_in").click();
    expect_status(
        &mut harness,
        &sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS),
    );

    // Supported only.
    let unsupported = sql_count(
        "SELECT count(*) FROM relations WHERE id NOT IN (SELECT l.relation_id FROM relation_excerpts l \
         JOIN excerpts x ON x.id = l.excerpt_id JOIN documents d ON d.id = x.document_id)",
    );
    harness.get_by_label("Supported").click();
    expect_status(
        &mut harness,
        &sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS - unsupported),
    );
    harness.get_by_label("All relations").click();

    // Credibility 2 or better, on an excerpt behind the relation.
    let credible = sql_count(
        "SELECT count(DISTINCT l.relation_id) FROM relation_excerpts l JOIN excerpts x ON x.id = l.excerpt_id \
         JOIN documents d ON d.id = x.document_id WHERE x.credibility IN ('1', '2')",
    );
    choose(&mut harness, 1, "2 — probably true");
    expect_status(&mut harness, &sample_status(SAMPLE_ENTITIES, credible));
    choose(&mut harness, 1, "Any");

    // Reliability: every document of the sample is graded F.
    let better_than_f = sql_count(
        "SELECT count(DISTINCT l.relation_id) FROM relation_excerpts l JOIN excerpts x ON x.id = l.excerpt_id \
         JOIN documents d ON d.id = x.document_id WHERE d.reliability IN ('A', 'B', 'C', 'D', 'E')",
    );
    choose(&mut harness, 0, "E — unreliable");
    expect_status(&mut harness, &sample_status(SAMPLE_ENTITIES, better_than_f));
    choose(&mut harness, 0, "F — reliability cannot be judged");
    expect_status(
        &mut harness,
        &sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS - unsupported),
    );
    choose(&mut harness, 0, "Any");

    // Dates: a relation is in the window by its own dates or its documents'.
    let (from, to) = ("2024-03-06", "2024-03-31");
    let (entities, relations) = crate::visibility_dates::sample_in_window(from, to, true);
    type_into(&mut harness, 0, from);
    type_into(&mut harness, 1, to);
    expect_status(&mut harness, &sample_status(entities, relations));
    harness.get_by_label("Reset Filters").click();
    expect_status(
        &mut harness,
        &sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS),
    );
}

/// Picks `item` in the filter panel's `index`th combo box (0: reliability,
/// 1: credibility).
fn choose(harness: &mut Harness<'_, LinkscopeApp>, index: usize, item: &str) {
    harness
        .get_all_by_role(egui::accesskit::Role::ComboBox)
        .nth(index)
        .expect("the filter panel's combo box")
        .click();
    harness.run_steps(2);
    harness
        .get_all_by_label(item)
        .last()
        .expect("the combo's item")
        .click();
    harness.run_steps(2);
}

/// Types `text` into the filter panel's `index`th text field (0: From,
/// 1: Until) and presses Enter.
pub(crate) fn type_into(harness: &mut Harness<'_, LinkscopeApp>, index: usize, text: &str) {
    let node = harness
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .nth(index)
        .expect("the date field");
    node.focus();
    node.type_text(text);
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
}

/// A small graph with one relation dated each month of 2020 (the 15th),
/// between undated actors.
pub(crate) fn monthly_file(folder: &Path) -> PathBuf {
    let path = folder.join("monthly.sqlite");
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "PRAGMA user_version = 1;
         CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, description TEXT, date_start TEXT, date_end TEXT, properties TEXT);
         CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL, object_id INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT, date_start TEXT, date_end TEXT, properties TEXT);
         CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT, publisher TEXT, url TEXT, published TEXT, language TEXT, reliability TEXT);
         CREATE TABLE excerpts (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, text TEXT NOT NULL, locator TEXT, credibility TEXT);
         CREATE TABLE relation_excerpts (relation_id INTEGER NOT NULL, excerpt_id INTEGER NOT NULL, PRIMARY KEY (relation_id, excerpt_id));",
    )
    .unwrap();
    for id in 1..=6 {
        db.execute(
            "INSERT INTO entities (id, kind, name) VALUES (?1, 'actor', ?2)",
            rusqlite::params![id, format!("Actor {id}")],
        )
        .unwrap();
    }
    for month in 1..=12_i64 {
        db.execute(
            "INSERT INTO relations (id, subject_id, object_id, kind, date_start) VALUES (?1, ?2, ?3, 'met_with', ?4)",
            rusqlite::params![month, (month % 6) + 1, ((month + 1) % 6) + 1, format!("2020-{month:02}-15")],
        )
        .unwrap();
    }
    path
}

/// Relations of the monthly file in `from..=to`.
pub(crate) fn months_in(from: &str, to: &str) -> usize {
    (1..=12)
        .map(|month| format!("2020-{month:02}-15"))
        .filter(|day| day.as_str() >= from && day.as_str() <= to)
        .count()
}

/// Steps until the status bar shows the counts of the date window now
/// set (months in it, from the file's dates), and returns that window.
fn expect_window_counts(harness: &mut Harness<'_, LinkscopeApp>) -> (String, String) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        harness.step();
        let filter = &harness.state().visibility_rules().filter;
        let window = (
            filter.date_from.clone().unwrap(),
            filter.date_to.clone().unwrap(),
        );
        let shown = months_in(&window.0, &window.1);
        let text = status((6, shown), (0, 12 - shown), (0, 0));
        let matches = harness
            .query_all(By::new().label_contains("Shown: "))
            .filter_map(|node| node.accesskit_node().value())
            .any(|label| label == text);
        if quiet(harness.state()) && matches {
            return window;
        }
        assert!(
            Instant::now() < deadline,
            "the status bar never said {text:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Dragging across the timeline sets the date window; Play steps it on,
/// one window at a time, until the end.
#[test]
fn the_timeline_brush_sets_the_window_and_playback_steps_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = monthly_file(folder.path());
    let mut harness = app_harness(path, egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the file and its dates to load", quiet);
    view_menu(&mut harness, "Timeline");
    harness.get_by_label_contains("12 relations dated");
    // The panel sizes itself over a frame or two.
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
    let window = |app: &LinkscopeApp| {
        let filter = &app.visibility_rules().filter;
        (
            filter.date_from.clone().unwrap(),
            filter.date_to.clone().unwrap(),
        )
    };
    let (from, to) = window(harness.state());
    assert_eq!(from, "2020-01-15", "the brush starts where the drag did");
    let shown = months_in(&from, &to);
    assert!(
        (3..=6).contains(&shown),
        "about 40% of the year: {from} – {to}"
    );
    expect_status(&mut harness, &status((6, shown), (0, 12 - shown), (0, 0)));

    harness.get_by_label("Play").click();
    harness.run_steps(2);
    assert!(harness.state().is_playing_timeline());
    // Each window shown while playing: its counts match it once drawn.
    let mut seen = vec![(from, to)];
    while harness.state().is_playing_timeline() {
        let now = expect_window_counts(&mut harness);
        if seen.last() != Some(&now) {
            seen.push(now);
        }
        assert!(seen.len() < 10, "playback stops at the end of the timeline");
    }
    expect_window_counts(&mut harness);
    assert!(
        seen.len() >= 3,
        "playback stepped through the year: {seen:?}"
    );
    for pair in seen.windows(2) {
        assert!(
            pair[1].0 > pair[0].1,
            "each window starts after the last: {seen:?}"
        );
    }
    assert!(!harness.state().is_playing_timeline());
}

/// Hidden entities, the focus and the filter are saved into the file and
/// come back when it is opened again.
#[test]
fn hidden_items_focus_and_filters_are_saved_with_the_view() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("case.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    let mut harness = app_harness(path.clone(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the file to load and settle", |app| {
        settled(app) && quiet(app)
    });
    select_entity(&mut harness, 2);
    set_hops(&mut harness, 2);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F);
    settle_view(&mut harness);
    select_entity(&mut harness, 1);
    harness.key_press(Key::H);
    view_menu(&mut harness, "Filters…");
    harness.get_by_label("event").click();
    settle_view(&mut harness);
    let rules = harness.state().visibility_rules().clone();
    assert!(rules.focus.is_some() && !rules.hidden_nodes.is_empty());
    let counts = harness.state().visible_set().unwrap().counts;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(&mut harness, "the save", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
    drop(harness);

    let mut reopened = app_harness(path, egui::vec2(1000.0, 700.0));
    step_until(&mut reopened, "the saved file and its view", |app| {
        quiet(app) && app.visibility_rules().focus.is_some()
    });
    assert_eq!(*reopened.state().visibility_rules(), rules);
    assert_eq!(reopened.state().visible_set().unwrap().counts, counts);
    assert!(!reopened.state().has_unsaved_changes());
}

/// Hide and focus are undone and redone like moves: Ctrl+Z walks back
/// through the focus, then the hide; Ctrl+Shift+Z walks forward again.
#[test]
fn hide_and_focus_are_undone_and_redone() {
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the sample to load and settle", |app| {
        settled(app) && quiet(app)
    });
    let everything = sample_status(SAMPLE_ENTITIES, SAMPLE_RELATIONS);
    let relations =
        sql_count("SELECT count(*) FROM relations WHERE subject_id = 1 OR object_id = 1");
    let without_zhirnov = sample_status(SAMPLE_ENTITIES - 1, SAMPLE_RELATIONS - relations);

    select_entity(&mut harness, 1);
    harness.key_press(Key::H);
    expect_status(&mut harness, &without_zhirnov);
    select_entity(&mut harness, 22);
    set_hops(&mut harness, 1);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F);
    // The focus's own counts are checked against networkx above; here it
    // only has to come back as it was, whatever the hide left of it.
    let deadline = Instant::now() + Duration::from_secs(60);
    let focused = loop {
        assert!(Instant::now() < deadline, "the focus never showed");
        harness.step();
        let shown: Vec<String> = harness
            .query_all(By::new().label_contains("Shown: "))
            .filter_map(|node| node.accesskit_node().value())
            .collect();
        if quiet(harness.state())
            && let Some(text) = shown.into_iter().find(|text| *text != without_zhirnov)
        {
            break text;
        }
    };
    let (focus_entities, _) = reference_focus(22, 1);
    assert!(
        focused.starts_with(&format!("Shown: {} entities", focus_entities - 1))
            || focused.starts_with(&format!("Shown: {focus_entities} entities")),
        "{focused}"
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    expect_status(&mut harness, &without_zhirnov);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    expect_status(&mut harness, &everything);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    expect_status(&mut harness, &without_zhirnov);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    expect_status(&mut harness, &focused);
}
