//! Checks on the bundled sample graph file in `sample-db/`.
//!
//! `sample-db/sample.sql` is the reviewable source; `sample-db/sample.sqlite`
//! is built from it and committed beside it. Every excerpt must be a verbatim
//! passage of `sample-db/article.txt`, the sample's source document.
//!
//! To refresh the committed file after editing the SQL:
//! `UPDATE_SAMPLE=1 cargo test --test integration sample_db`
//! (or `sqlite3 sample-db/sample.sqlite < sample-db/sample.sql` on a fresh file).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};

const TABLES: [&str; 5] = [
    "entities",
    "relations",
    "documents",
    "excerpts",
    "relation_excerpts",
];

/// The relations that the article implies but no passage states; they cite no
/// excerpt so that the explorer shows them as unsupported.
const UNSUPPORTED_RELATIONS: [i64; 2] = [43, 44];

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db")
}

fn sample_sql() -> String {
    let path = sample_dir().join("sample.sql");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn article() -> String {
    let path = sample_dir().join("article.txt");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// A fresh in-memory database built from `sample.sql`.
fn built_from_sql() -> Connection {
    let conn = Connection::open_in_memory().expect("open in-memory database");
    match conn.execute_batch(&sample_sql()) {
        Ok(()) => conn,
        // Name the failing spot without dumping the rest of the file.
        Err(rusqlite::Error::SqlInputError {
            msg, sql, offset, ..
        }) => {
            let at: String = usize::try_from(offset)
                .ok()
                .and_then(|o| sql.get(o..))
                .unwrap_or(&sql)
                .chars()
                .take(120)
                .collect();
            panic!("sample-db/sample.sql does not execute: {msg}, at: {at:?}")
        }
        Err(e) => panic!("sample-db/sample.sql does not execute: {e}"),
    }
}

/// The committed `sample.sqlite`, opened read-only.
fn committed() -> Connection {
    let path = sample_dir().join("sample.sqlite");
    Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap_or_else(|e| panic!("opening {} read-only: {e}", path.display()))
}

fn user_version(conn: &Connection) -> i64 {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("read user_version")
}

/// Every row of a query, every column as a dynamically typed value.
fn rows(conn: &Connection, sql: &str) -> Vec<Vec<Value>> {
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let columns = stmt.column_count();
    stmt.query_map([], |row| {
        (0..columns)
            .map(|i| row.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<_>>>()
    })
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
    .collect::<rusqlite::Result<Vec<_>>>()
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn text(value: &Value) -> Option<&str> {
    match value {
        Value::Text(s) => Some(s),
        _ => None,
    }
}

fn int(value: &Value) -> i64 {
    match value {
        Value::Integer(i) => *i,
        other => panic!("expected an integer, found {other:?}"),
    }
}

fn json_object(value: &Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        Value::Null => serde_json::Map::new(),
        Value::Text(s) => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(serde_json::Value::Object(map)) => map,
            other => panic!("properties {s:?} is not a JSON object: {other:?}"),
        },
        other => panic!("properties should be text, found {other:?}"),
    }
}

#[test]
fn sample_sql_rebuilds_the_committed_file() {
    let fresh = built_from_sql();

    if std::env::var("UPDATE_SAMPLE").is_ok_and(|v| v == "1") {
        let target = sample_dir().join("sample.sqlite");
        let tmp = sample_dir().join("sample.sqlite.tmp");
        let _ = fs::remove_file(&tmp);
        fresh
            .execute("VACUUM INTO ?1", [tmp.to_str().expect("UTF-8 path")])
            .expect("VACUUM INTO the new sample file");
        fs::rename(&tmp, &target).expect("replace sample-db/sample.sqlite");
    }

    let file = committed();
    assert_eq!(user_version(&fresh), 1, "sample.sql sets user_version 1");
    assert_eq!(
        user_version(&file),
        user_version(&fresh),
        "user_version of sample.sqlite differs from sample.sql \
         (rebuild with UPDATE_SAMPLE=1)"
    );

    let schema = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name";
    assert_eq!(
        rows(&file, schema),
        rows(&fresh, schema),
        "schema of sample.sqlite differs from sample.sql (rebuild with UPDATE_SAMPLE=1)"
    );

    for table in TABLES {
        let sql = format!("SELECT * FROM {table} ORDER BY rowid");
        let expected = rows(&fresh, &sql);
        let actual = rows(&file, &sql);
        assert!(!expected.is_empty(), "sample.sql fills table {table}");
        assert_eq!(
            actual, expected,
            "table {table} of sample.sqlite differs from sample.sql \
             (rebuild with UPDATE_SAMPLE=1)"
        );
    }
}

#[test]
fn every_excerpt_occurs_verbatim_in_the_article() {
    let article = article();
    let paragraphs: Vec<&str> = article.lines().collect();
    let conn = built_from_sql();

    let mut missing = Vec::new();
    let mut misplaced = Vec::new();
    for row in rows(&conn, "SELECT id, text, locator FROM excerpts ORDER BY id") {
        let id = int(&row[0]);
        let passage = text(&row[1]).expect("excerpt text is text");
        assert!(!passage.trim().is_empty(), "excerpt {id} is empty");
        if !article.contains(passage) {
            missing.push(id);
            continue;
        }
        // Locators name the line of article.txt ('para N', line 1 = headline).
        let locator = text(&row[2]).unwrap_or_default();
        let para = locator.split("para ").nth(1).and_then(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse::<usize>().ok())
        });
        match para {
            Some(n) if n >= 1 && paragraphs.get(n - 1).is_some_and(|p| p.contains(passage)) => {}
            _ => misplaced.push((id, locator.to_owned())),
        }
    }
    assert!(
        missing.is_empty(),
        "excerpts not found verbatim in sample-db/article.txt: {missing:?}"
    );
    assert!(
        misplaced.is_empty(),
        "excerpts whose 'para N' locator does not name the line that holds them: {misplaced:?}"
    );
}

/// The one entity row whose name matches `pattern`: a pattern starting with
/// '=' must equal the name, any other is a case-sensitive substring. Panics
/// unless exactly one entity matches.
fn find_entity<'a>(entities: &'a [Vec<Value>], pattern: &str) -> &'a [Value] {
    let hits: Vec<&Vec<Value>> = entities
        .iter()
        .filter(|row| {
            let name = text(&row[2]).expect("entity name is text");
            match pattern.strip_prefix('=') {
                Some(exact) => name == exact,
                None => name.contains(pattern),
            }
        })
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "expected exactly one entity named like {pattern:?}, found {hits:?}"
    );
    hits[0]
}

/// The entities the sample must name, by kind (a pattern as [`find_entity`]
/// reads it).
const REQUIRED_ENTITIES: [(&str, &[&str]); 3] = [
    (
        "actor",
        &[
            "Dmitry Zhirnov",
            "Sirajuddin Haqqani",
            "Hamid Ahmedi",
            "Abdul Matin Qane",
            "Sergei Shoigu",
            "Nikolai Patrushev",
        ],
    ),
    (
        "organization",
        &[
            "=Russia",
            "=Taliban government",
            "Interior Ministry",
            "Haqqani Network",
            "ISIS",
            "=Ufuq News",
            "CSTO",
            "Security Council of Russia",
            "=United States",
            "NATO",
            "Pakistan",
        ],
    ),
    (
        "event",
        &[
            "meeting in Kabul",
            "Crocus City Hall",
            "Publication",
            "Doha Agreement",
            "Withdrawal",
        ],
    ),
];

#[test]
fn sample_names_the_required_entities() {
    let conn = built_from_sql();
    let entities = rows(
        &conn,
        "SELECT id, kind, name, date_start FROM entities ORDER BY id",
    );

    let find = |pattern: &str| find_entity(&entities, pattern);

    let required = REQUIRED_ENTITIES;
    for (kind, patterns) in required {
        for pattern in patterns {
            let row = find(pattern);
            assert_eq!(
                text(&row[1]),
                Some(kind),
                "entity {pattern:?} should be of kind {kind}"
            );
        }
    }

    // Dates only where the text gives them.
    let date = |pattern: &str| find(pattern)[3].clone();
    assert_eq!(date("meeting in Kabul"), Value::Text("2024-03-05".into()));
    assert_eq!(date("Crocus City Hall"), Value::Text("2024-03-22".into()));
    assert_eq!(date("Publication"), Value::Text("2024-03-06".into()));
    assert_eq!(date("Doha Agreement"), Value::Null);
    assert_eq!(date("Withdrawal"), Value::Null);

    // The two documents.
    let headline = article()
        .lines()
        .next()
        .expect("article has a headline")
        .to_owned();
    let documents = rows(
        &conn,
        "SELECT title, author, publisher, url, published, language FROM documents ORDER BY id",
    );
    assert_eq!(documents.len(), 2, "the sample cites two documents");
    let null = Value::Null;
    let t = |s: &str| Value::Text(s.to_owned());
    let report = documents
        .iter()
        .find(|d| d[5] == t("en"))
        .expect("an English-language document");
    assert_eq!(
        report,
        &vec![
            t(&headline),
            null.clone(),
            null.clone(),
            null.clone(),
            null.clone(),
            t("en")
        ],
        "the English report: its headline as title, and no author, publisher, URL \
         or date, since the text names none"
    );
    let original = documents
        .iter()
        .find(|d| d[5] == t("prs"))
        .expect("a Dari-language document");
    assert_eq!(
        original[..3],
        [
            t("Security Cooperation Between Russia And The Taliban: Why And How?"),
            t("Hamid Ahmedi"),
            t("Ufuq News"),
        ],
        "the Dari original's title, author and publisher"
    );
    assert_eq!(original[4], t("2024-03-06"), "the Dari original's date");
    assert!(
        matches!(&original[3], Value::Null)
            || text(&original[3]).is_some_and(|u| u.starts_with("https://")),
        "the Dari original's URL is NULL or an https URL"
    );
}

#[test]
fn every_relation_points_at_existing_entities_and_allegations_are_labelled() {
    let conn = built_from_sql();

    let entity_ids: BTreeSet<i64> = rows(&conn, "SELECT id FROM entities")
        .iter()
        .map(|r| int(&r[0]))
        .collect();
    let actors: BTreeSet<String> = rows(&conn, "SELECT name FROM entities WHERE kind = 'actor'")
        .iter()
        .filter_map(|r| text(&r[0]).map(str::to_owned))
        .collect();
    let excerpt_ids: BTreeSet<i64> = rows(&conn, "SELECT id FROM excerpts")
        .iter()
        .map(|r| int(&r[0]))
        .collect();

    let mut cited: BTreeMap<i64, usize> = BTreeMap::new();
    let mut linked_excerpts = BTreeSet::new();
    for link in rows(
        &conn,
        "SELECT relation_id, excerpt_id FROM relation_excerpts",
    ) {
        *cited.entry(int(&link[0])).or_default() += 1;
        let excerpt = int(&link[1]);
        assert!(
            excerpt_ids.contains(&excerpt),
            "relation_excerpts names a missing excerpt {excerpt}"
        );
        linked_excerpts.insert(excerpt);
    }
    assert_eq!(
        linked_excerpts, excerpt_ids,
        "every excerpt supports at least one relation"
    );

    let relations = rows(
        &conn,
        "SELECT id, subject_id, object_id, kind, label, properties FROM relations ORDER BY id",
    );
    let relation_ids: BTreeSet<i64> = relations.iter().map(|r| int(&r[0])).collect();
    assert!(
        cited.keys().all(|id| relation_ids.contains(id)),
        "relation_excerpts names a missing relation"
    );

    let mut unsupported = Vec::new();
    for r in &relations {
        let id = int(&r[0]);
        for end in [&r[1], &r[2]] {
            assert!(
                entity_ids.contains(&int(end)),
                "relation {id} points at missing entity {end:?}"
            );
        }
        let kind = text(&r[3]).expect("relation kind is text");
        let label = text(&r[4]).unwrap_or_else(|| panic!("relation {id} has a label"));
        let properties = json_object(&r[5]);

        // An allegation reads as one: kind 'alleged_*', a label saying
        // "allegedly", and the person who makes the claim.
        let alleged_kind = kind.starts_with("alleged_");
        let alleged_label = label.contains("allegedly");
        assert_eq!(
            alleged_kind, alleged_label,
            "relation {id} ({kind}: {label:?}): an 'alleged_' kind and an 'allegedly' \
             label go together"
        );
        if alleged_kind {
            let claimant = properties
                .get("claimed_by")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_else(|| panic!("allegation {id} names who claims it (claimed_by)"));
            assert!(
                actors.contains(claimant),
                "allegation {id} is claimed by {claimant:?}, who is not an actor in the sample"
            );
        }

        if !cited.contains_key(&id) {
            unsupported.push(id);
            let note = properties
                .get("note")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default();
            assert!(
                note.starts_with("implied, not quoted"),
                "unsupported relation {id} says why in its note, found {note:?}"
            );
        }
    }
    assert_eq!(
        unsupported, UNSUPPORTED_RELATIONS,
        "exactly the intended relations cite no excerpt"
    );

    // The sample shows parallel edges: some ordered pair has several relations.
    let mut pairs: BTreeMap<(i64, i64), usize> = BTreeMap::new();
    for r in &relations {
        *pairs.entry((int(&r[1]), int(&r[2]))).or_default() += 1;
    }
    assert!(
        pairs.values().any(|&n| n > 1),
        "at least one subject/object pair has parallel relations"
    );
}

#[test]
fn dates_grades_and_properties_are_well_formed() {
    fn iso_date(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2),
            [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
            _ => false,
        }
    }

    let conn = built_from_sql();
    for (table, sql) in [
        (
            "entities",
            "SELECT id, date_start, date_end, properties FROM entities",
        ),
        (
            "relations",
            "SELECT id, date_start, date_end, properties FROM relations",
        ),
    ] {
        for r in rows(&conn, sql) {
            let id = int(&r[0]);
            for d in [&r[1], &r[2]] {
                if let Some(s) = text(d) {
                    assert!(iso_date(s), "{table} row {id}: date {s:?} is not ISO 8601");
                } else {
                    assert_eq!(d, &Value::Null, "{table} row {id}: date is text or NULL");
                }
            }
            json_object(&r[3]);
        }
    }
    for r in rows(&conn, "SELECT id, published, reliability FROM documents") {
        if let Some(s) = text(&r[1]) {
            assert!(iso_date(s), "document {:?}: published {s:?}", r[0]);
        }
        if let Some(g) = text(&r[2]) {
            assert!(
                ["A", "B", "C", "D", "E", "F"].contains(&g),
                "document {:?}: {g:?}",
                r[0]
            );
        }
    }
    for r in rows(&conn, "SELECT id, credibility FROM excerpts") {
        if let Some(g) = text(&r[1]) {
            assert!(
                ["1", "2", "3", "4", "5", "6"].contains(&g),
                "excerpt {:?}: {g:?}",
                r[0]
            );
        }
    }
}

/// SHA-256 of `sample-db/article.txt`: the source report exactly as received (the project's
/// seed file, 7,374 bytes), so that an edit to the article, even one that keeps every excerpt
/// verbatim, is noticed. `.gitattributes` keeps git from changing its line endings.
const ARTICLE_SHA256: &str = "9463dcd108bcade2f2b033e1460889fdf9fca76b1eda47bddd77bcdb4bbf6889";

#[test]
fn article_is_the_source_report_byte_for_byte() {
    use sha2::{Digest as _, Sha256};
    let path = sample_dir().join("article.txt");
    let bytes = fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let hex = format!("{:x}", Sha256::digest(&bytes));
    assert_eq!(
        hex,
        ARTICLE_SHA256,
        "sample-db/article.txt ({} bytes) is no longer the source report",
        bytes.len()
    );
}

// The same checks through Linkscope's loader: what `load_graph` and the
// `DetailsReader` give for the committed `sample.sqlite`, against the
// article and plain SQL on the same file.

fn sample_file() -> PathBuf {
    sample_dir().join("sample.sqlite")
}

fn loaded() -> linkscope::store::LoadedGraph {
    linkscope::store::load_graph(
        &sample_file(),
        &linkscope::store::LoadProgress::default(),
        &std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    )
    .expect("the sample loads")
}

fn details() -> linkscope::store::DetailsReader {
    linkscope::store::DetailsReader::open(&sample_file()).expect("the sample opens for details")
}

fn sql_ids(conn: &Connection, sql: &str) -> BTreeSet<i64> {
    rows(conn, sql).iter().map(|r| int(&r[0])).collect()
}

/// Every relation the loader read, with the details the reader gives for it.
fn loaded_relations() -> Vec<linkscope::store::RelationDetails> {
    let graph = loaded().graph;
    let reader = details();
    (0..graph.edge_count() as u32)
        .map(|edge| {
            let id = graph.edge_db_id(edge);
            reader
                .relation(id)
                .expect("reading a relation")
                .unwrap_or_else(|| panic!("the reader has no relation {id}"))
        })
        .collect()
}

#[test]
fn every_excerpt_the_loader_reads_occurs_verbatim_in_the_article() {
    let article = article();
    let paragraphs: Vec<&str> = article.lines().collect();
    let mut seen = BTreeSet::new();
    for relation in loaded_relations() {
        for excerpt in &relation.excerpts {
            seen.insert(excerpt.id);
            let passage = excerpt.text.as_deref().expect("the excerpt's text");
            assert!(excerpt.text.problem.is_none(), "excerpt {}", excerpt.id);
            assert!(
                article.contains(passage),
                "excerpt {} as read is not in the article: {passage:?}",
                excerpt.id
            );
            let locator = excerpt.locator.as_deref().unwrap_or_default();
            let para: Option<usize> = locator
                .split("para ")
                .nth(1)
                .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse().ok());
            assert!(
                para.is_some_and(
                    |n| n >= 1 && paragraphs.get(n - 1).is_some_and(|p| p.contains(passage))
                ),
                "excerpt {}: locator {locator:?} does not name its line",
                excerpt.id
            );
        }
    }
    assert_eq!(
        seen,
        sql_ids(&committed(), "SELECT id FROM excerpts"),
        "every excerpt of the file is read as some relation's evidence"
    );
}

#[test]
fn the_loader_names_the_required_entities_and_reads_both_documents() {
    let graph = loaded().graph;
    let reader = details();
    let find = |pattern: &str| -> u32 {
        let hits: Vec<u32> = (0..graph.node_count() as u32)
            .filter(|&node| {
                let name = graph.node_name(node);
                match pattern.strip_prefix('=') {
                    Some(exact) => name == exact,
                    None => name.contains(pattern),
                }
            })
            .collect();
        assert_eq!(hits.len(), 1, "one loaded entity named like {pattern:?}");
        hits[0]
    };
    for (kind, patterns) in REQUIRED_ENTITIES {
        for pattern in patterns {
            assert_eq!(
                graph.node_kind_text(find(pattern)),
                kind,
                "loaded entity {pattern:?}"
            );
        }
    }
    let date = |pattern: &str| {
        let id = graph.node_db_id(find(pattern));
        let entity = reader.entity(id).unwrap().unwrap();
        assert!(entity.date_start.problem.is_none(), "{pattern}");
        entity.date_start.text
    };
    assert_eq!(date("meeting in Kabul").as_deref(), Some("2024-03-05"));
    assert_eq!(date("Crocus City Hall").as_deref(), Some("2024-03-22"));
    assert_eq!(date("Publication").as_deref(), Some("2024-03-06"));
    assert_eq!(date("Doha Agreement"), None);
    assert_eq!(date("Withdrawal"), None);

    // The documents, as the evidence panel reads them.
    let mut documents = BTreeMap::new();
    for relation in loaded_relations() {
        for excerpt in relation.excerpts {
            documents.insert(excerpt.document.id, excerpt.document);
        }
    }
    assert_eq!(documents.len(), 2, "the sample cites two documents");
    let headline = article().lines().next().unwrap().to_owned();
    let report = documents
        .values()
        .find(|d| d.language.as_deref() == Some("en"))
        .expect("an English-language document");
    assert_eq!(report.title.as_deref(), Some(headline.as_str()));
    for (field, value) in [
        ("author", &report.author),
        ("publisher", &report.publisher),
        ("url", &report.url),
        ("published", &report.published),
    ] {
        assert_eq!(value.as_deref(), None, "the English report has no {field}");
    }
    let original = documents
        .values()
        .find(|d| d.language.as_deref() == Some("prs"))
        .expect("a Dari-language document");
    assert_eq!(
        [
            original.title.as_deref(),
            original.author.as_deref(),
            original.publisher.as_deref(),
            original.published.as_deref(),
        ],
        [
            Some("Security Cooperation Between Russia And The Taliban: Why And How?"),
            Some("Hamid Ahmedi"),
            Some("Ufuq News"),
            Some("2024-03-06"),
        ]
    );
    assert!(
        original
            .url
            .as_deref()
            .is_none_or(|u| u.starts_with("https://")),
        "the Dari original's URL is none or an https URL"
    );
}

#[test]
fn the_loaded_relations_join_the_right_entities_and_allegations_read_as_such() {
    let conn = committed();
    let loaded = loaded();
    let graph = &loaded.graph;
    let expected: BTreeMap<i64, (i64, i64, String)> = rows(
        &conn,
        "SELECT id, subject_id, object_id, kind FROM relations",
    )
    .iter()
    .map(|r| {
        let kind = text(&r[3]).unwrap().to_owned();
        (int(&r[0]), (int(&r[1]), int(&r[2]), kind))
    })
    .collect();
    assert_eq!(
        graph.edge_count(),
        expected.len(),
        "every relation is loaded"
    );
    assert_eq!(
        graph.node_count(),
        sql_ids(&conn, "SELECT id FROM entities").len(),
        "every entity is loaded"
    );
    let actors: BTreeSet<String> = rows(&conn, "SELECT name FROM entities WHERE kind = 'actor'")
        .iter()
        .filter_map(|r| text(&r[0]).map(str::to_owned))
        .collect();
    let mut unsupported = Vec::new();
    let mut pairs: BTreeMap<(i64, i64), usize> = BTreeMap::new();
    let reader = details();
    for edge in 0..graph.edge_count() as u32 {
        let id = graph.edge_db_id(edge);
        let (subject, object) = graph.edge_endpoints(edge);
        let ends = (graph.node_db_id(subject), graph.node_db_id(object));
        let (sql_subject, sql_object, sql_kind) = &expected[&id];
        assert_eq!(ends, (*sql_subject, *sql_object), "relation {id}'s ends");
        assert_eq!(graph.edge_kind_text(edge), sql_kind, "relation {id}'s kind");
        *pairs.entry(ends).or_default() += 1;
        if !graph.edge_is_supported(edge) {
            unsupported.push(id);
        }
        let alleged_kind = graph.edge_kind_text(edge).starts_with("alleged_");
        let label = graph.edge_label(edge);
        assert_eq!(
            alleged_kind,
            label.contains("allegedly"),
            "relation {id} ({label:?}): an 'alleged_' kind and an 'allegedly' label go together"
        );
        let relation = reader.relation(id).unwrap().unwrap();
        assert_eq!(
            (relation.subject_id, relation.object_id),
            (Some(ends.0), Some(ends.1))
        );
        assert_eq!(
            relation.excerpts.is_empty(),
            !graph.edge_is_supported(edge),
            "relation {id}: the graph and the reader agree on its support"
        );
        let property = |key: &str| {
            relation
                .properties
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, value)| value.clone())
        };
        if alleged_kind {
            let claimant = property("claimed_by")
                .unwrap_or_else(|| panic!("allegation {id} names who claims it"));
            assert!(actors.contains(&claimant), "allegation {id}: {claimant:?}");
        }
        if relation.excerpts.is_empty() {
            assert!(
                property("note").is_some_and(|note| note.starts_with("implied, not quoted")),
                "unsupported relation {id} says why"
            );
        }
    }
    unsupported.sort_unstable();
    assert_eq!(unsupported, UNSUPPORTED_RELATIONS);
    assert_eq!(
        loaded.report.unsupported_relations,
        UNSUPPORTED_RELATIONS.len()
    );
    assert!(
        pairs.values().any(|&n| n > 1),
        "the loaded graph keeps parallel relations"
    );
}

#[test]
fn the_loader_reads_every_date_grade_and_property_without_a_problem() {
    let conn = committed();
    let loaded = loaded();
    let report = &loaded.report;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(
        (
            report.rows_skipped,
            report.values_ignored,
            report.values_cut
        ),
        (0, 0, 0)
    );
    let count = |table: &str| sql_ids(&conn, &format!("SELECT id FROM {table}")).len();
    assert_eq!(
        (
            report.entities,
            report.relations,
            report.documents,
            report.excerpts
        ),
        (
            count("entities"),
            count("relations"),
            count("documents"),
            count("excerpts")
        )
    );
    let reader = details();
    let graph = &loaded.graph;
    for node in 0..graph.node_count() as u32 {
        let id = graph.node_db_id(node);
        let entity = reader.entity(id).unwrap().unwrap();
        for field in [&entity.date_start, &entity.date_end] {
            assert!(field.problem.is_none(), "entity {id}: {:?}", field.problem);
        }
        assert!(entity.properties_problem.is_none(), "entity {id}");
    }
    let grades = |field: &linkscope::store::Field, allowed: &[&str], what: &str| {
        assert!(field.problem.is_none(), "{what}: {:?}", field.problem);
        if let Some(grade) = field.as_deref() {
            assert!(allowed.contains(&grade), "{what}: {grade:?}");
        }
    };
    for relation in loaded_relations() {
        let id = relation.id;
        for field in [&relation.date_start, &relation.date_end] {
            assert!(
                field.problem.is_none(),
                "relation {id}: {:?}",
                field.problem
            );
        }
        assert!(relation.properties_problem.is_none(), "relation {id}");
        for excerpt in &relation.excerpts {
            grades(
                &excerpt.credibility,
                &["1", "2", "3", "4", "5", "6"],
                "an excerpt's credibility",
            );
            grades(
                &excerpt.document.reliability,
                &["A", "B", "C", "D", "E", "F"],
                "a document's reliability",
            );
            assert!(excerpt.document.published.problem.is_none());
        }
    }
}
