//! Captured evidence on the command line: `check` re-anchors every captured
//! excerpt against its document's stored text, and `evidence --format w3c`
//! writes them as W3C annotations that read back to what SQLite holds. The
//! fixture is the sample with the "Captured evidence" schema added by plain
//! SQL here, and its offsets are found with `str::find` and counted in chars
//! here, not by the code under test.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest as _, Sha256};

/// `sha256sum tests/fixtures/sources/article-utf8.txt`.
const ARTICLE_SHA256: &str = "9463dcd108bcade2f2b033e1460889fdf9fca76b1eda47bddd77bcdb4bbf6889";
/// What an older version of the document had before the article.
const OLDER_HEADER: &str = "Translated from Dari; first version.\n";

fn linkscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkscope"))
}

fn article() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sources/article-utf8.txt"),
    )
    .unwrap()
}

/// The chars `start..end` of `text`.
fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Char offsets of the `nth` (from 0) occurrence of `quote`: the byte
/// offset `str::find` gives, counted in chars.
fn find_nth(text: &str, quote: &str, nth: usize) -> (usize, usize) {
    let mut from = 0;
    for _ in 0..nth {
        from += text[from..].find(quote).unwrap() + quote.len();
    }
    let byte = from + text[from..].find(quote).unwrap();
    let start = text[..byte].chars().count();
    (start, start + quote.chars().count())
}

/// One excerpt row: id, document, quote, start, end, prefix, suffix, hash.
pub(crate) struct Row {
    pub(crate) id: i64,
    document: i64,
    quote: String,
    start: usize,
    end: usize,
    prefix: String,
    suffix: String,
    sha256: String,
}

/// A row anchored at `start..end` of `text` (32 chars of context).
fn row(id: i64, document: i64, text: &str, start: usize, end: usize, sha256: &str) -> Row {
    Row {
        id,
        document,
        quote: chars(text, start, end),
        start,
        end,
        prefix: chars(text, start.saturating_sub(32), start),
        suffix: chars(text, end, (end + 32).min(text.chars().count())),
        sha256: sha256.to_owned(),
    }
}

/// What each excerpt is expected to be: (row, state, span now).
pub(crate) type Expected = Vec<(Row, &'static str, Option<(usize, usize)>)>;

/// The sample plus document 3 (the article, with its text), document 4
/// (no stored text) and six captured excerpts, one per case.
pub(crate) fn fixture(folder: &Path) -> (PathBuf, Expected) {
    let path = folder.join("captured.sqlite");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite"),
        &path,
    )
    .unwrap();
    let text = article();
    assert_eq!(
        format!("{:x}", Sha256::digest(text.as_bytes())),
        ARTICLE_SHA256
    );
    let older = format!("{OLDER_HEADER}{text}");
    let older_sha256 = format!("{:x}", Sha256::digest(older.as_bytes()));
    let shift = OLDER_HEADER.chars().count();
    let mut expected: Expected = Vec::new();

    // Anchored in this very text: the offsets hold.
    let (start, end) = find_nth(&text, "Crocus City Hall music venue", 0);
    expected.push((
        row(101, 3, &text, start, end, ARTICLE_SHA256),
        "exact",
        Some((start, end)),
    ));
    // Anchored in the older text; the quote occurs once now, so it moved.
    let (start, end) = find_nth(&older, "Dmitry Zhirnov met in Kabul", 0);
    expected.push((
        row(102, 3, &older, start, end, &older_sha256),
        "exact",
        Some((start - shift, end - shift)),
    ));
    // The third of eight "Sirajuddin Haqqani": its context chooses it.
    assert_eq!(text.matches("Sirajuddin Haqqani").count(), 8);
    let (start, end) = find_nth(&older, "Sirajuddin Haqqani", 2);
    expected.push((
        row(103, 3, &older, start, end, &older_sha256),
        "relocated",
        Some((start - shift, end - shift)),
    ));
    // A quote with one letter changed (1 edit in 64 chars).
    let passage = "Ufuq News published the next day an article by one Hamid Ahmedi";
    let (start, end) = find_nth(&older, passage, 0);
    let mut edited = row(104, 3, &older, start, end, &older_sha256);
    edited.quote = passage.replace("Hamid", "Hamed");
    expected.push((edited, "fuzzy", Some((start - shift, end - shift))));
    // A quote the text no longer has.
    expected.push((
        Row {
            quote: "The ambassador declined to comment on the meeting".to_owned(),
            ..row(105, 3, &older, 10, 20, &older_sha256)
        },
        "orphaned",
        None,
    ));
    // A document whose text the file does not hold.
    let (start, end) = find_nth(&text, "Haqqani Network", 0);
    expected.push((
        row(106, 4, &text, start, end, ARTICLE_SHA256),
        "orphaned",
        None,
    ));

    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "ALTER TABLE documents ADD COLUMN sha256_text TEXT;
             CREATE TABLE document_text (
                 document_id INTEGER PRIMARY KEY REFERENCES documents(id),
                 text TEXT NOT NULL, n_chars INTEGER NOT NULL);
             ALTER TABLE excerpts ADD COLUMN start_char INTEGER;
             ALTER TABLE excerpts ADD COLUMN end_char INTEGER;
             ALTER TABLE excerpts ADD COLUMN prefix TEXT;
             ALTER TABLE excerpts ADD COLUMN suffix TEXT;
             ALTER TABLE excerpts ADD COLUMN anchored_sha256 TEXT;
             ALTER TABLE excerpts ADD COLUMN anchor_state TEXT;
             ALTER TABLE excerpts ADD COLUMN created_at TEXT;
             ALTER TABLE excerpts ADD COLUMN note TEXT;
             ALTER TABLE relation_excerpts ADD COLUMN stance TEXT;
             INSERT INTO documents (id, title, url, sha256_text) VALUES
                 (3, 'Security Cooperation (captured)', 'https://news.example/ufuq?id=3&lang=en', NULL),
                 (4, 'A document without its text', NULL, NULL);",
        )
        .unwrap();
    connection
        .execute(
            "INSERT INTO document_text (document_id, text, n_chars) VALUES (3, ?1, ?2)",
            rusqlite::params![text, text.chars().count() as i64],
        )
        .unwrap();
    for (row, _, _) in &expected {
        connection
            .execute(
                "INSERT INTO excerpts (id, document_id, text, start_char, end_char, prefix, suffix,
                     anchored_sha256, anchor_state, created_at, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'exact', '2026-03-01T10:15:00Z', ?9)",
                rusqlite::params![
                    row.id,
                    row.document,
                    row.quote,
                    row.start as i64,
                    row.end as i64,
                    row.prefix,
                    row.suffix,
                    row.sha256,
                    format!("note {}", row.id),
                ],
            )
            .unwrap();
    }
    connection
        .execute_batch(
            "INSERT INTO relation_excerpts (relation_id, excerpt_id, stance) VALUES
                 (1, 101, 'supports'), (2, 101, NULL), (3, 103, 'contradicts');",
        )
        .unwrap();
    (path, expected)
}

#[test]
fn check_reports_each_captured_excerpt_state_by_id() {
    let folder = tempfile::tempdir().unwrap();
    let (path, expected) = fixture(folder.path());
    let before = std::fs::read(&path).unwrap();

    let output = linkscope()
        .args(["check", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // The load report's own counts are still there.
    assert_eq!(report["documents"], 4);
    assert_eq!(report["excerpts"], 25 + 6);
    let listed = report["captured_excerpts"].as_array().unwrap();
    assert_eq!(listed.len(), expected.len(), "{listed:#?}");
    for ((row, state, _), entry) in expected.iter().zip(listed) {
        assert_eq!(entry["id"], row.id, "{entry}");
        assert_eq!(entry["document"], row.document, "{entry}");
        assert_eq!(entry["state"], *state, "excerpt {}", row.id);
    }

    let output = linkscope().arg("check").arg(&path).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("\nCaptured excerpts: 2 exact, 1 relocated, 1 fuzzy, 2 orphaned\n"),
        "{text}"
    );

    // Where each passage is now, from the library that `check` uses.
    let checks = linkscope::store::anchor_report(&path).unwrap();
    for ((row, _, span), check) in expected.iter().zip(&checks) {
        assert_eq!(check.excerpt_id, row.id);
        assert_eq!(check.span, *span, "excerpt {}", row.id);
    }
    // Nothing is written: the states stored stay as the last save left them.
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn check_of_a_file_without_captured_excerpts_has_no_captured_line() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite");
    let output = linkscope().arg("check").arg(&sample).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("Captured excerpts"), "{text}");
    let output = linkscope()
        .args(["check", "--json"])
        .arg(&sample)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["captured_excerpts"], serde_json::json!([]));
}

#[test]
fn evidence_w3c_reads_back_to_the_anchors_sqlite_holds() {
    let folder = tempfile::tempdir().unwrap();
    let (path, expected) = fixture(folder.path());
    let out = folder.path().join("a.json");
    let output = linkscope()
        .args(["evidence", "--format", "w3c", "--out"])
        .arg(&out)
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let read = linkscope::export::w3c::read_annotations(&std::fs::read(&out).unwrap()).unwrap();

    let connection = rusqlite::Connection::open(&path).unwrap();
    let mut stored = connection
        .prepare(
            "SELECT id, document_id, text, start_char, end_char, prefix, suffix, anchored_sha256
             FROM excerpts WHERE start_char IS NOT NULL ORDER BY id",
        )
        .unwrap();
    let rows: Vec<Row> = stored
        .query_map([], |row| {
            Ok(Row {
                id: row.get(0)?,
                document: row.get(1)?,
                quote: row.get(2)?,
                start: row.get::<_, i64>(3)? as usize,
                end: row.get::<_, i64>(4)? as usize,
                prefix: row.get(5)?,
                suffix: row.get(6)?,
                sha256: row.get(7)?,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), expected.len());
    assert_eq!(read.len(), rows.len());
    for (excerpt, stored) in read.iter().zip(&rows) {
        let id = stored.id;
        assert_eq!(excerpt.excerpt_id, Some(id));
        assert_eq!(excerpt.document_id, Some(stored.document));
        let anchor = &excerpt.anchor;
        assert_eq!(anchor.start_char, stored.start, "excerpt {id}");
        assert_eq!(anchor.end_char, stored.end, "excerpt {id}");
        assert_eq!(anchor.quote, stored.quote, "excerpt {id}");
        assert_eq!(anchor.prefix, stored.prefix, "excerpt {id}");
        assert_eq!(anchor.suffix, stored.suffix, "excerpt {id}");
        assert_eq!(anchor.anchored_sha256, stored.sha256, "excerpt {id}");
        assert_eq!(excerpt.note.as_deref(), Some(format!("note {id}").as_str()));
        assert_eq!(excerpt.created_at.as_deref(), Some("2026-03-01T10:15:00Z"));
    }
    let by_id = |id| read.iter().find(|e| e.excerpt_id == Some(id)).unwrap();
    assert_eq!(by_id(101).relation_ids, vec![1, 2]);
    assert_eq!(by_id(103).relation_ids, vec![3]);
    assert!(by_id(102).relation_ids.is_empty());
    assert_eq!(
        by_id(101).document_url.as_deref(),
        Some("https://news.example/ufuq?id=3&lang=en")
    );
    assert_eq!(
        by_id(101).document_title.as_deref(),
        Some("Security Cooperation (captured)")
    );
    assert_eq!(
        by_id(106).document_title.as_deref(),
        Some("A document without its text")
    );
    assert_eq!(by_id(106).document_url, None);
}
