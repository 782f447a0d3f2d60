//! Values too large for their column (issue 7 §1): the file still opens,
//! each oversized text is cut on a character boundary or, where a cut value
//! would be wrong, not read, each one is listed in the load report with its
//! table, id, column and size, and no such value is ever read whole.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use egui_kittest::kittest::Queryable as _;

use linkscope::store::{
    DetailsReader, LONG_TEXT_MAX_BYTES, ProblemAction, SHORT_TEXT_MAX_BYTES, human_bytes,
};

use super::bad_files::{ROWS, SCHEMA, load, write_graph};

/// `xy` then `€` (3 bytes) `count` times: no limit falls on a character
/// boundary, so every cut has to step back.
fn big_text_sql(count: u64) -> String {
    format!("'xy' || replace(hex(zeroblob({count})), '00', '€')")
}

fn big_text_bytes(count: u64) -> u64 {
    2 + 3 * count
}

/// The text columns of the format, with the id of the row that holds the
/// oversized value, and whether that value is cut (else it is not read).
const BIG_COLUMNS: [(&str, &str, i64, bool); 21] = [
    ("entities", "kind", 1001, true),
    ("entities", "name", 1002, true),
    ("entities", "description", 1003, true),
    ("entities", "date_start", 1004, false),
    ("entities", "date_end", 1005, false),
    ("entities", "properties", 1006, false),
    ("relations", "kind", 2001, true),
    ("relations", "label", 2002, true),
    ("relations", "date_start", 2003, false),
    ("relations", "date_end", 2004, false),
    ("relations", "properties", 2005, false),
    ("documents", "title", 3001, true),
    ("documents", "author", 3002, true),
    ("documents", "publisher", 3003, true),
    ("documents", "url", 3004, false),
    ("documents", "published", 3005, false),
    ("documents", "language", 3006, true),
    ("documents", "reliability", 3007, false),
    ("excerpts", "text", 4001, true),
    ("excerpts", "locator", 4002, true),
    ("excerpts", "credibility", 4003, false),
];

/// One row per entry of [`BIG_COLUMNS`], each with an oversized value in
/// that column and ordinary values elsewhere; the excerpts support relation
/// 10. The value is built once, in SQL, in a temporary table.
fn big_rows_sql(count: u64) -> String {
    let mut sql = format!(
        "CREATE TEMP TABLE big AS SELECT {} AS v;\n",
        big_text_sql(count)
    );
    let big = "(SELECT v FROM big)";
    for &(table, column, id, _) in &BIG_COLUMNS {
        let value = |name: &str, ordinary: &str| {
            if name == column {
                big.to_owned()
            } else {
                ordinary.to_owned()
            }
        };
        let row = match table {
            "entities" => format!(
                "{id}, {}, {}, {}, {}, {}, {}",
                value("kind", "'actor'"),
                value("name", &format!("'Entity {id}'")),
                value("description", "'A description'"),
                value("date_start", "'2024'"),
                value("date_end", "NULL"),
                value("properties", "'{}'"),
            ),
            "relations" => format!(
                "{id}, 1, 2, {}, {}, {}, {}, {}",
                value("kind", "'knows'"),
                value("label", "'knows'"),
                value("date_start", "'2024'"),
                value("date_end", "NULL"),
                value("properties", "NULL"),
            ),
            "documents" => format!(
                "{id}, {}, {}, {}, {}, {}, {}, {}",
                value("title", "'A report'"),
                value("author", "'An author'"),
                value("publisher", "'A publisher'"),
                value("url", "'https://example.org/'"),
                value("published", "'2024-03-06'"),
                value("language", "'en'"),
                value("reliability", "'B'"),
            ),
            _ => format!(
                "{id}, 100, {}, {}, {}",
                value("text", "'A passage'"),
                value("locator", "'para 1'"),
                value("credibility", "'2'"),
            ),
        };
        let _ = writeln!(sql, "INSERT INTO {table} VALUES ({row});");
        if table == "excerpts" {
            let _ = writeln!(sql, "INSERT INTO relation_excerpts VALUES (10, {id});");
        }
    }
    sql.push_str("DROP TABLE big;\n");
    sql
}

fn linkscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkscope"))
}

/// Peak resident memory of `linkscope bench-load FILE`, in MiB: a whole
/// load, from opening the file to the first frame's scene and layout.
fn peak_rss_of_loading(path: &Path) -> f64 {
    let output = linkscope().arg("bench-load").arg(path).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["peak_rss_mb"]
        .as_f64()
        .expect("peak_rss_mb needs Linux /proc")
}

/// More than this much memory above an ordinary file's load means some
/// value was read whole: each is 28.6 MiB, and an honest load holds at most
/// a few MiB of any of them (1 MiB cut texts, SQLite's page cache).
const MAX_EXTRA_PEAK_MIB: f64 = 24.0;

#[test]
fn a_30_mb_value_in_every_text_column_opens_with_each_one_reported_in_bounded_memory() {
    let folder = tempfile::tempdir().unwrap();
    let ordinary = write_graph(folder.path(), "ordinary.sqlite", "");
    let count = 10_000_000;
    let full_bytes = big_text_bytes(count);
    let path = write_graph(folder.path(), "oversized.sqlite", &big_rows_sql(count));

    // The report, as `linkscope check --json` prints it.
    let output = linkscope()
        .args(["check", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["entities"], 3 + 6, "{report:#}");
    assert_eq!(report["relations"], 2 + 5);
    assert_eq!(report["documents"], 1 + 7);
    assert_eq!(report["excerpts"], 1 + 3);
    assert_eq!(report["rows_skipped"], 0);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), BIG_COLUMNS.len(), "{problems:#?}");
    let cut_count = BIG_COLUMNS.iter().filter(|column| column.3).count();
    assert_eq!(report["values_cut"], cut_count);
    assert_eq!(report["values_ignored"], BIG_COLUMNS.len() - cut_count);
    for &(table, column, id, cut) in &BIG_COLUMNS {
        let problem = problems
            .iter()
            .find(|problem| problem["table"] == table && problem["id"] == id)
            .unwrap_or_else(|| panic!("no problem listed for {table} row {id}: {problems:#?}"));
        assert_eq!(problem["column"], column, "{problem}");
        assert_eq!(problem["value_bytes"], full_bytes, "{problem}");
        assert_eq!(
            problem["action"],
            if cut { "value_cut" } else { "value_ignored" },
            "{problem}"
        );
        let reason = problem["reason"].as_str().unwrap();
        assert!(reason.contains("28.6 MiB"), "{reason}");
        if cut {
            let limit = if matches!(column, "text" | "description") {
                LONG_TEXT_MAX_BYTES
            } else {
                SHORT_TEXT_MAX_BYTES
            };
            // 2 + 3k bytes, the most that fits the limit.
            assert_eq!(problem["kept_bytes"], 2 + (limit - 2) / 3 * 3, "{problem}");
        }
    }

    // The same report as text.
    let output = linkscope().arg("check").arg(&path).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(&format!("values cut: {cut_count}\n")),
        "{text}"
    );
    assert!(
        text.contains(
            "excerpts row 4001: value cut: text is 28.6 MiB, over the 1 MiB limit for this column; only its first 1 MiB is kept"
        ),
        "{text}"
    );
    assert!(
        text.contains("documents row 3004: value ignored: url is 28.6 MiB, over the 64 KiB limit"),
        "{text}"
    );
    assert!(!text.contains(&full_bytes.to_string()), "{text}");

    // The cut excerpt and description, read on demand.
    let details = DetailsReader::open(&path).unwrap();
    let relation = details.relation(10).unwrap().unwrap();
    let excerpt = relation.excerpts.iter().find(|x| x.id == 4001).unwrap();
    assert_eq!(excerpt.text.full_bytes, Some(full_bytes));
    let text = excerpt.text.as_deref().unwrap();
    assert!(text.starts_with("xy€€"));
    assert_eq!(text.len() as u64, 2 + (LONG_TEXT_MAX_BYTES - 2) / 3 * 3);
    let description = details.entity(1003).unwrap().unwrap().description;
    assert_eq!(description.full_bytes, Some(full_bytes));
    let url = details.relation(10).unwrap().unwrap();
    assert!(url.excerpts.iter().all(|x| x.document.id == 100));

    // Memory: each load in its own process.
    let baseline_mib = peak_rss_of_loading(&ordinary);
    let oversized_mib = peak_rss_of_loading(&path);
    eprintln!(
        "peak RSS of loading: ordinary file {baseline_mib:.1} MiB, file with 21 values of {} {oversized_mib:.1} MiB",
        human_bytes(full_bytes)
    );
    assert!(
        oversized_mib - baseline_mib < MAX_EXTRA_PEAK_MIB,
        "loading took {oversized_mib:.1} MiB at its peak, {baseline_mib:.1} MiB for an ordinary file: some value was read whole"
    );
}

#[test]
fn the_evidence_panel_marks_a_cut_excerpt_with_its_full_size() {
    let folder = tempfile::tempdir().unwrap();
    let count = 1_000_000; // 3 MB: over the 1 MiB limit for excerpt texts
    let path = write_graph(
        folder.path(),
        "long-excerpt.sqlite",
        &format!(
            "UPDATE excerpts SET text = {} WHERE id = 1000;",
            big_text_sql(count)
        ),
    );
    let loaded = load(&path).unwrap();
    let cut: Vec<_> = loaded
        .report
        .problems
        .iter()
        .filter(|problem| problem.action == ProblemAction::ValueCut)
        .collect();
    assert_eq!(cut.len(), 1, "{:?}", loaded.report.problems);
    assert_eq!(
        (cut[0].table, cut[0].id, cut[0].column),
        ("excerpts", Some(1000), Some("text"))
    );
    assert_eq!(cut[0].value_bytes, Some(big_text_bytes(count)));

    let details = DetailsReader::open(&path).unwrap();
    let relation = details.relation(10).unwrap().unwrap();
    let excerpt = &relation.excerpts[0];
    assert!(excerpt.text.is_cut());
    assert_eq!(excerpt.text.full_bytes, Some(big_text_bytes(count)));
    let problem = excerpt.text.problem.as_deref().unwrap();
    assert!(problem.contains("2.9 MiB"), "{problem}");

    let edge = 0; // relation 10, the first relation read
    let mut harness = egui_kittest::Harness::new_ui(|ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            let _ = linkscope::view::panels::evidence_panel_ui(ui, &loaded.graph, edge, &relation);
        });
    });
    harness.run();
    // Each panics when no such label is shown.
    let _ = harness.get_by_label_contains("Excerpt text: cut: the full text is 2.9 MiB");
    let _ = harness.get_by_label_contains("€…”");
}

#[test]
fn a_utf16_file_cuts_on_a_character_boundary_too() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("utf16.sqlite");
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch("PRAGMA encoding = 'UTF-16le';")
        .unwrap();
    connection.execute_batch(SCHEMA).unwrap();
    connection.execute_batch(ROWS).unwrap();
    // 😀 is a surrogate pair in UTF-16: the cut must not split it.
    connection
        .execute_batch(
            "UPDATE entities SET description = 'x' || replace(hex(zeroblob(400000)), '00', '😀') WHERE id = 1;",
        )
        .unwrap();
    let encoding: String = connection
        .query_row("PRAGMA encoding", [], |row| row.get(0))
        .unwrap();
    assert_eq!(encoding, "UTF-16le");
    drop(connection);
    let loaded = load(&path).unwrap();
    assert_eq!(loaded.report.values_cut, 1, "{:?}", loaded.report.problems);
    let details = DetailsReader::open(&path).unwrap();
    let description = details.entity(1).unwrap().unwrap().description;
    let text = description.as_deref().unwrap();
    assert!(text.starts_with("x😀"));
    assert!(text.len() as u64 <= LONG_TEXT_MAX_BYTES);
    assert!(text.len() as u64 > LONG_TEXT_MAX_BYTES - 8);
    assert!(description.full_bytes.is_some());
}

/// The longest start of `text` of at most `max_bytes` UTF-8 bytes that ends
/// on a character boundary, counted here character by character.
fn expected_cut(text: &str, max_bytes: u64) -> String {
    let mut kept = String::new();
    for character in text.chars() {
        if (kept.len() + character.len_utf8()) as u64 > max_bytes {
            break;
        }
        kept.push(character);
    }
    kept
}

/// A BMP-only text in a UTF-16 file: every character is one UTF-16 unit (2
/// bytes) but 1, 2 or 3 UTF-8 bytes, so a cut counted in UTF-16 bytes or in
/// characters lands far from the limit. The limit is in bytes of the UTF-8
/// text, as in a UTF-8 file: the description keeps the longest start of at
/// most 1 MiB, the name the longest of at most 4 KiB.
#[test]
fn a_utf16_file_cuts_a_bmp_text_by_its_utf8_bytes() {
    // 6 characters: 9 bytes in UTF-8, 12 in UTF-16.
    const PATTERN: &str = "café €";
    const REPEATS: usize = 300_000; // 3.6 MB in UTF-16, 2.7 MB in UTF-8
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("utf16-bmp.sqlite");
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch("PRAGMA encoding = 'UTF-16le';")
        .unwrap();
    connection.execute_batch(SCHEMA).unwrap();
    connection.execute_batch(ROWS).unwrap();
    connection
        .execute_batch(&format!(
            "CREATE TEMP TABLE big AS SELECT 'x' || replace(hex(zeroblob({REPEATS})), '00', '{PATTERN}') AS v;
             UPDATE entities SET description = (SELECT v FROM big) WHERE id = 1;
             UPDATE entities SET name = (SELECT v FROM big) WHERE id = 2;"
        ))
        .unwrap();
    let stored_bytes: i64 = connection
        .query_row(
            "SELECT octet_length(description) FROM entities WHERE id = 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(
        stored_bytes as usize,
        2 * (1 + 6 * REPEATS),
        "UTF-16 in the file"
    );
    drop(connection);
    let full = format!("x{}", PATTERN.repeat(REPEATS));
    let long = expected_cut(&full, LONG_TEXT_MAX_BYTES);
    let short = expected_cut(&full, SHORT_TEXT_MAX_BYTES);
    // The hand count: 'x' then whole patterns, then as much of one as fits.
    assert!(
        long.len() as u64 <= LONG_TEXT_MAX_BYTES && long.len() as u64 > LONG_TEXT_MAX_BYTES - 3
    );
    assert!(
        short.len() as u64 <= SHORT_TEXT_MAX_BYTES && short.len() as u64 > SHORT_TEXT_MAX_BYTES - 3
    );

    let loaded = load(&path).unwrap();
    assert_eq!(loaded.report.values_cut, 2, "{:?}", loaded.report.problems);
    let graph = &loaded.graph;
    let name = graph.node_name(graph.node_by_db_id(2).unwrap());
    assert_eq!(name.len(), short.len(), "the name's cut, in UTF-8 bytes");
    assert_eq!(name, short);
    let name_problem = loaded
        .report
        .problems
        .iter()
        .find(|problem| problem.id == Some(2))
        .unwrap();
    assert_eq!(name_problem.kept_bytes, Some(short.len() as u64));

    let details = DetailsReader::open(&path).unwrap();
    let description = details.entity(1).unwrap().unwrap().description;
    let text = description.as_deref().unwrap();
    assert_eq!(
        text.len(),
        long.len(),
        "the description's cut, in UTF-8 bytes (limit {LONG_TEXT_MAX_BYTES})"
    );
    assert!(
        text == long,
        "the description is the start of the stored text"
    );
    assert!(description.is_cut());
}

#[test]
fn a_table_without_rowid_drops_an_oversized_value_it_cannot_read_in_part() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("without-rowid.sqlite");
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(&format!(
            "CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
                description TEXT) WITHOUT ROWID;
             CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL,
                object_id INTEGER NOT NULL, kind TEXT NOT NULL);
             INSERT INTO entities VALUES (1, 'actor', 'Short', NULL);
             INSERT INTO entities VALUES (2, 'actor', 'Long', {});
             INSERT INTO entities VALUES (3, 'actor', {}, NULL);
             INSERT INTO relations VALUES (10, 1, 2, 'knows');",
            big_text_sql(1_000_000),
            big_text_sql(10_000),
        ))
        .unwrap();
    drop(connection);
    let loaded = load(&path).unwrap();
    assert_eq!(loaded.graph.node_count(), 3, "{:?}", loaded.report.problems);
    assert_eq!(loaded.graph.edge_count(), 1);
    let reasons: Vec<String> = loaded
        .report
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        reasons.iter().any(|reason| reason.starts_with(
            "entities row 2: value ignored: description is 2.9 MiB, over the 1 MiB limit"
        )),
        "{reasons:?}"
    );
    // A name of 29.3 KiB is read whole and cut, rowid or not.
    assert!(
        reasons
            .iter()
            .any(|reason| reason.starts_with("entities row 3: value cut: name is 29.3 KiB")),
        "{reasons:?}"
    );
}
