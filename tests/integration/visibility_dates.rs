//! The date window in the real window: what it shows on the sample, with
//! and without "Keep undated items", checked against plain SQL on the file;
//! the status bar's count of what the dates hide; and the last day of a
//! window (Until is inclusive, "2024" ends on 2024-12-31, "2024-02" on the
//! 29th), checked against dates written out by hand.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use linkscope::app::LinkscopeApp;

use crate::ui::{app_harness, sample_path, step_until};
use crate::visibility::{
    SAMPLE_ENTITIES, SAMPLE_RELATIONS, quiet, sample_sql, status, type_into, view_menu,
};

/// The first day of an ISO date column, in SQL: `2024` → `2024-01-01`.
fn first_day(column: &str) -> String {
    format!(
        "(CASE length({column}) WHEN 4 THEN {column} || '-01-01' \
         WHEN 7 THEN {column} || '-01' ELSE {column} END)"
    )
}

/// The last day of an ISO date column, in SQL: `2024-02` → `2024-02-29`
/// (SQLite's own calendar).
fn last_day(column: &str) -> String {
    format!(
        "(CASE length({column}) WHEN 4 THEN {column} || '-12-31' \
         WHEN 7 THEN date({column} || '-01', '+1 month', '-1 day') ELSE {column} END)"
    )
}

/// SQL that is true when the span of `start`..`end` (either may be NULL)
/// shares a day with `?1 ..= ?2`; NULL when both are NULL.
fn meets(start: &str, end: &str) -> String {
    let (first_start, first_end) = (first_day(start), first_day(end));
    let (last_start, last_end) = (last_day(start), last_day(end));
    format!(
        "(min(coalesce({first_start}, {first_end}), coalesce({first_end}, {first_start})) <= ?2 \
         AND max(coalesce({last_start}, {last_end}), coalesce({last_end}, {last_start})) >= ?1)"
    )
}

/// Entities and relations of the sample shown with only the date window
/// `from ..= to` (full ISO days) set, as the issue asks for it: a dated
/// relation in the window is shown with both its ends; an entity is shown
/// when its own dates meet the window, when it is undated and undated
/// items are kept, or when a shown dated relation touches it; an undated
/// relation is shown only when undated items are kept and both its ends
/// are shown. Plain SQL on the file, nothing of Linkscope's.
pub(crate) fn sample_in_window(from: &str, to: &str, keep_undated: bool) -> (usize, usize) {
    let documents = "FROM relation_excerpts l JOIN excerpts x ON x.id = l.excerpt_id \
                     JOIN documents d ON d.id = x.document_id \
                     WHERE l.relation_id = r.id AND d.published IS NOT NULL";
    let sql = format!(
        "WITH rel AS (
             SELECT r.id, r.subject_id AS subject, r.object_id AS object,
                 (r.date_start IS NOT NULL OR r.date_end IS NOT NULL
                     OR EXISTS (SELECT 1 {documents})) AS dated,
                 (coalesce({own}, 0)
                     OR EXISTS (SELECT 1 {documents} AND {published})) AS inside
             FROM relations r),
         ent AS (
             SELECT e.id, (e.date_start IS NOT NULL OR e.date_end IS NOT NULL) AS dated,
                 coalesce({entity}, 0) AS inside
             FROM entities e),
         shown_ent(id) AS (
             SELECT id FROM ent WHERE (dated AND inside) OR (NOT dated AND ?3)
             UNION SELECT subject FROM rel WHERE inside
             UNION SELECT object FROM rel WHERE inside)
         SELECT (SELECT count(*) FROM shown_ent),
             (SELECT count(*) FROM rel WHERE inside OR (NOT dated AND ?3
                 AND subject IN (SELECT id FROM shown_ent)
                 AND object IN (SELECT id FROM shown_ent)))",
        own = meets("r.date_start", "r.date_end"),
        published = meets("d.published", "d.published"),
        entity = meets("e.date_start", "e.date_end"),
    );
    let (entities, relations): (i64, i64) = sample_sql()
        .query_row(&sql, rusqlite::params![from, to, keep_undated], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    (entities as usize, relations as usize)
}

/// Relations of the sample dated (by their own dates or a document's)
/// inside `from ..= to`, in plain SQL.
fn sample_dated_inside(from: &str, to: &str) -> usize {
    let sql = format!(
        "SELECT count(*) FROM relations r WHERE coalesce({own}, 0) OR EXISTS (
             SELECT 1 FROM relation_excerpts l JOIN excerpts x ON x.id = l.excerpt_id
             JOIN documents d ON d.id = x.document_id
             WHERE l.relation_id = r.id AND d.published IS NOT NULL AND {published})",
        own = meets("r.date_start", "r.date_end"),
        published = meets("d.published", "d.published"),
    );
    let count: i64 = sample_sql()
        .query_row(&sql, rusqlite::params![from, to], |row| row.get(0))
        .unwrap();
    count as usize
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The status bar's second part: what the dates hide, or nothing.
fn hidden_by_dates(entities: usize, relations: usize) -> Option<String> {
    (entities + relations > 0).then(|| {
        format!(
            "Dates hide {}, {}",
            plural(entities, "entity", "entities"),
            plural(relations, "relation", "relations")
        )
    })
}

/// Steps until the status bar says `counts` and, as its reasons, exactly
/// `reasons`; fails with what it says instead.
fn expect_counts_and_reasons(
    harness: &mut Harness<'_, LinkscopeApp>,
    counts: &str,
    reasons: Option<&str>,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        harness.step();
        let label_values = |text: &str| -> Vec<String> {
            harness
                .query_all(By::new().label_contains(text))
                .filter_map(|node| node.accesskit_node().value())
                .collect()
        };
        let shown = label_values("Shown: ");
        let why = label_values("Dates hide ");
        let expected_why: Vec<String> = reasons.into_iter().map(str::to_owned).collect();
        if quiet(harness.state()) && shown.iter().any(|text| text == counts) && why == expected_why
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the status bar says {shown:?} and {why:?}, not {counts:?} and {reasons:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Sets the filter panel's window (the fields are emptied first).
fn set_window(harness: &mut Harness<'_, LinkscopeApp>, from: &str, until: &str) {
    let filter = &harness.state().visibility_rules().filter;
    if filter.date_from.is_some() || filter.date_to.is_some() {
        harness.get_by_label("Clear Dates").click();
        harness.run_steps(3);
        step_until(harness, "the dates to clear", |app| {
            quiet(app) && app.visibility_rules().filter.date_from.is_none()
        });
    }
    type_into(harness, 0, from);
    type_into(harness, 1, until);
}

/// Issue 18 part 2: on the sample, with the window 2024-03-04..2024-03-07
/// and "Keep undated items" unticked, every relation was hidden and two
/// entities were left, because the undated entities took their relations
/// with them. For each setting of the toggle and several windows, the
/// status bar now shows what plain SQL says, and says how many items the
/// dates hide.
#[test]
fn a_date_window_keeps_what_happened_in_it_and_says_what_it_hides() {
    let windows = [
        ("2024-03-04", "2024-03-07"),
        ("2024-03-05", "2024-03-05"),
        ("2024-03-06", "2024-03-31"),
        ("2024-03-07", "2024-12-31"),
        ("2023-01-01", "2023-12-31"),
    ];
    // The window holds dated relations: the test is not vacuous.
    let dated_inside = sample_dated_inside(windows[0].0, windows[0].1);
    assert!(dated_inside >= 7, "{dated_inside}");
    let (entities, relations) = sample_in_window(windows[0].0, windows[0].1, false);
    assert_eq!(
        relations, dated_inside,
        "exactly the dated relations inside"
    );
    assert!(entities > 2, "their ends are shown too: {entities}");

    let mut harness = app_harness(sample_path(), egui::vec2(1200.0, 1700.0));
    step_until(&mut harness, "the sample and its dates to load", quiet);
    view_menu(&mut harness, "Filters…");
    for keep_undated in [true, false] {
        if !keep_undated {
            harness.get_by_label("Keep undated items").click();
            harness.run_steps(2);
        }
        for (from, to) in windows {
            set_window(&mut harness, from, to);
            let filter = &harness.state().visibility_rules().filter;
            assert_eq!(filter.keep_undated, keep_undated);
            assert_eq!(
                (filter.date_from.as_deref(), filter.date_to.as_deref()),
                (Some(from), Some(to))
            );
            let (entities, relations) = sample_in_window(from, to, keep_undated);
            let hidden = (SAMPLE_ENTITIES - entities, SAMPLE_RELATIONS - relations);
            expect_counts_and_reasons(
                &mut harness,
                &status((entities, relations), hidden, (0, 0)),
                hidden_by_dates(hidden.0, hidden.1).as_deref(),
            );
        }
    }
}

/// Relations of the boundary file: id, stored date, and its first and last
/// day written out by hand.
const BOUNDARY_RELATIONS: [(i64, &str, &str, &str); 8] = [
    (1, "2024-02-28", "2024-02-28", "2024-02-28"),
    (2, "2024-02-29", "2024-02-29", "2024-02-29"),
    (3, "2024-03-01", "2024-03-01", "2024-03-01"),
    (4, "2024-12-31", "2024-12-31", "2024-12-31"),
    (5, "2025-01-01", "2025-01-01", "2025-01-01"),
    (6, "2024-02", "2024-02-01", "2024-02-29"),
    (7, "2023-12-31", "2023-12-31", "2023-12-31"),
    (8, "2024-01-01", "2024-01-01", "2024-01-01"),
];
const BOUNDARY_ENTITIES: usize = 9;

/// Nine undated actors; relation k joins actor k and actor k + 1, dated
/// as [`BOUNDARY_RELATIONS`] says.
fn boundary_file(folder: &Path) -> PathBuf {
    let path = folder.join("boundaries.sqlite");
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
    for id in 1..=BOUNDARY_ENTITIES as i64 {
        db.execute(
            "INSERT INTO entities (id, kind, name) VALUES (?1, 'actor', ?2)",
            rusqlite::params![id, format!("Actor {id}")],
        )
        .unwrap();
    }
    for (id, date, _, _) in BOUNDARY_RELATIONS {
        db.execute(
            "INSERT INTO relations (id, subject_id, object_id, kind, date_start) VALUES (?1, ?1, ?1 + 1, 'met_with', ?2)",
            rusqlite::params![id, date],
        )
        .unwrap();
    }
    path
}

/// Issue 18 part 11: the last day of a window. Typed into the filter panel
/// as an analyst would, each window shows exactly the relations whose days
/// (written out by hand above) meet it, and the timeline names its first
/// and last day: Until is inclusive, a one-day window shows that day's
/// items, "Until 2024" ends on 2024-12-31 and "Until 2024-02" on 2024-02-29.
#[test]
fn the_last_day_of_a_date_window_is_in_it() {
    // (From as typed, Until as typed, first day, last day), by hand.
    let windows = [
        ("2024-02-28", "2024-03-01", "2024-02-28", "2024-03-01"),
        ("2024-02-29", "2024-02-29", "2024-02-29", "2024-02-29"),
        ("2024-02-01", "2024-02", "2024-02-01", "2024-02-29"),
        ("2024-03-01", "2024", "2024-03-01", "2024-12-31"),
        ("2023", "2023", "2023-01-01", "2023-12-31"),
        ("2024-12-31", "2024-12-31", "2024-12-31", "2024-12-31"),
    ];
    let folder = tempfile::tempdir().unwrap();
    let path = boundary_file(folder.path());
    let mut harness = app_harness(path, egui::vec2(1200.0, 1000.0));
    step_until(&mut harness, "the file and its dates to load", quiet);
    view_menu(&mut harness, "Filters…");
    view_menu(&mut harness, "Timeline");
    harness.run_steps(4);
    let mut shown_counts = Vec::new();
    for (from, until, first, last) in windows {
        set_window(&mut harness, from, until);
        let inside = BOUNDARY_RELATIONS
            .iter()
            .filter(|(_, _, start, end)| *start <= last && *end >= first)
            .count();
        shown_counts.push(inside);
        let relations = BOUNDARY_RELATIONS.len();
        expect_counts_and_reasons(
            &mut harness,
            &status((BOUNDARY_ENTITIES, inside), (0, relations - inside), (0, 0)),
            hidden_by_dates(0, relations - inside).as_deref(),
        );
        harness.get_by_label(&format!("{first} – {last}"));
    }
    // Each window's last day counts: (1, 2, 3, 6); (2, 6); (1, 2, 6);
    // (3, 4); (7); (4).
    assert_eq!(shown_counts, [4, 2, 3, 2, 1, 1]);
}
