//! Corrected document details in a graph file (see `model::corrections`):
//! each is an UPDATE of the changed columns of one `documents` row, written
//! only by a save, inside its one transaction, after the captures and
//! confirms (`store::capture_write::write_captures`). And, for a regraded
//! document, the support of every relation citing one of its excerpts,
//! found again from the file and the captures in memory the way a load of
//! the saved file finds it.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::StoreError;
use super::limits::SMALL_VALUE_MAX_BYTES;
use super::open::open_untrusted;
use super::values::Cell;
use crate::model::Graph;
use crate::model::capture::{Capture, CaptureSet, Stance};
use crate::model::corrections::Corrections;
use crate::model::grades::{Credibility, PackedGrades, Reliability};

/// Writes each corrected document's changed columns. A row that is not
/// there (another program deleted it) fails the save, which leaves the
/// file as it was, rather than dropping the correction unsaid.
pub(crate) fn write_corrections(
    connection: &Connection,
    corrections: &Corrections,
) -> rusqlite::Result<()> {
    for (id, changed, now) in corrections.unsaved() {
        let assignments: Vec<String> = changed
            .iter()
            .enumerate()
            .map(|(index, field)| format!("\"{}\" = ?{}", field.column(), index + 2))
            .collect();
        let sql = format!(
            "UPDATE documents SET {} WHERE id = ?1",
            assignments.join(", ")
        );
        let id_value = rusqlite::types::Value::Integer(id);
        let values = std::iter::once(id_value).chain(changed.iter().map(|&field| {
            now.get(field).map_or(rusqlite::types::Value::Null, |text| {
                rusqlite::types::Value::Text(text.to_owned())
            })
        }));
        let written = connection.execute(&sql, params_from_iter(values))?;
        if written != 1 {
            return Err(rusqlite::Error::StatementChangedRows(written));
        }
    }
    Ok(())
}

/// A small value read whole, or NULL when it is larger than any grade or
/// id can be (an untrusted file may hold anything).
fn guarded(column: &str) -> String {
    format!(
        "CASE WHEN octet_length({column}) > {SMALL_VALUE_MAX_BYTES} THEN NULL ELSE {column} END"
    )
}

fn grade<T>(cell: Cell<'_>, parse: fn(&str) -> Option<T>) -> Option<T> {
    cell.as_text().ok().flatten().and_then(|text| parse(&text))
}

/// The file's side of a regrade, read on one connection.
struct FileEvidence<'a> {
    path: &'a Path,
    connection: Connection,
    has_evidence: bool,
    has_stance: bool,
}

impl FileEvidence<'_> {
    fn error(&self, table: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |error| StoreError::from_query(self.path, table, error)
    }

    /// Every supporting link whose two ids are ids, in the order a load
    /// reads them (a contradicting one adds no support, as in a load).
    fn links(&self, rowid: Option<&str>) -> Result<Vec<(i64, i64)>, StoreError> {
        if !self.has_evidence {
            return Ok(Vec::new());
        }
        let order = rowid.map_or_else(String::new, |rowid| format!(" ORDER BY {rowid}"));
        let stance = if self.has_stance {
            guarded("stance")
        } else {
            "NULL".to_owned()
        };
        let sql = format!(
            "SELECT {}, {}, {stance} FROM relation_excerpts{order}",
            guarded("relation_id"),
            guarded("excerpt_id")
        );
        let error = self.error("relation_excerpts");
        let mut statement = self.connection.prepare(&sql).map_err(&error)?;
        let mut rows = statement.query([]).map_err(&error)?;
        let mut links = Vec::new();
        while let Some(row) = rows.next().map_err(&error)? {
            let relation = Cell::from_value(row.get_ref(0).map_err(&error)?).as_id();
            let excerpt = Cell::from_value(row.get_ref(1).map_err(&error)?).as_id();
            let contradicts =
                Cell::from_value(row.get_ref(2).map_err(&error)?) == Cell::Text("contradicts");
            if let (Ok(relation), Ok(excerpt), false) = (relation, excerpt, contradicts) {
                links.push((relation, excerpt));
            }
        }
        Ok(links)
    }

    /// Excerpt `id`'s document and credibility; None for an excerpt a load
    /// skips (missing, no text, no document).
    fn excerpt(&self, id: i64) -> Result<Option<(i64, Option<Credibility>)>, StoreError> {
        let error = self.error("excerpts");
        let sql = format!(
            "SELECT {}, {} FROM excerpts WHERE id = ?1 AND text IS NOT NULL",
            guarded("document_id"),
            guarded("credibility")
        );
        let row = self
            .connection
            .query_row(&sql, [id], |row| {
                let document = Cell::from_value(row.get_ref(0)?).as_id().ok();
                let credibility = grade(Cell::from_value(row.get_ref(1)?), Credibility::from_text);
                Ok(document.map(|document| (document, credibility)))
            })
            .optional()
            .map_err(&error)?
            .flatten();
        Ok(row)
    }

    /// Document `id`'s reliability in the file: Err(()) for a document a
    /// load skips (missing, no title).
    fn reliability(&self, id: i64) -> Result<Result<Option<Reliability>, ()>, StoreError> {
        let sql = format!(
            "SELECT {} FROM documents WHERE id = ?1 AND title IS NOT NULL",
            guarded("reliability")
        );
        let row = self
            .connection
            .query_row(&sql, [id], |row| {
                Ok(grade(
                    Cell::from_value(row.get_ref(0)?),
                    Reliability::from_text,
                ))
            })
            .optional()
            .map_err(self.error("documents"))?;
        Ok(row.ok_or(()))
    }

    /// The ids of document `id`'s excerpts in the file.
    fn excerpts_of(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        if !self.has_evidence {
            return Ok(Vec::new());
        }
        let error = self.error("excerpts");
        let mut statement = self
            .connection
            .prepare("SELECT id FROM excerpts WHERE document_id = ?1 AND typeof(id) = 'integer'")
            .map_err(&error)?;
        let ids = statement
            .query_map([id], |row| row.get::<_, i64>(0))
            .map_err(&error)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&error)?;
        Ok(ids)
    }
}

/// The support of each relation in `graph` that cites an excerpt of
/// document `document_id`, from every excerpt it cites now: the file's
/// (less those retracted), then the captures in memory, each weighted by
/// its document's reliability as the edits left it and its credibility
/// (`1 − Π(1 − w)`, the file's links in the order a load reads them, so a
/// relation the session did not touch gets what a load gives it). A
/// captured passage that contradicts its relation adds nothing, as when
/// it was captured.
pub fn regraded_supports(
    path: &Path,
    captures: &CaptureSet,
    document_id: i64,
    graph: &Graph,
) -> Result<Vec<(i64, f32)>, StoreError> {
    let (connection, schema) = open_untrusted(path, None)?;
    let rowid = schema.rowid_of("relation_excerpts");
    let file = FileEvidence {
        path,
        connection,
        has_evidence: schema.has_evidence,
        has_stance: schema.has_stance,
    };
    let in_memory: HashMap<i64, &Capture> = captures
        .captures
        .iter()
        .map(|(capture, _)| (capture.excerpt.id, capture))
        .collect();
    let mut links = file.links(rowid)?;
    // A saved capture is read from memory, and a retracted one is gone.
    links.retain(|(_, excerpt)| {
        !in_memory.contains_key(excerpt) && !captures.is_retracted(*excerpt)
    });
    let own: BTreeSet<i64> = file.excerpts_of(document_id)?.into_iter().collect();
    let mut relations: BTreeSet<i64> = links
        .iter()
        .filter(|(_, excerpt)| own.contains(excerpt))
        .map(|&(relation, _)| relation)
        .collect();
    relations.extend(
        in_memory
            .values()
            .filter(|capture| capture.excerpt.document_id == document_id)
            .map(|capture| capture.relation_id),
    );
    relations.retain(|&relation| graph.edge_by_db_id(relation).is_some());

    let mut reliabilities: HashMap<i64, Result<Option<Reliability>, ()>> = HashMap::new();
    let mut reliability_of =
        |document: i64| -> Result<Result<Option<Reliability>, ()>, StoreError> {
            if let Some(known) = reliabilities.get(&document) {
                return Ok(*known);
            }
            let found = if let Some(regraded) = captures.regraded(document) {
                Ok(regraded.and_then(Reliability::from_text))
            } else if let Some(added) = captures.document(document) {
                Ok(added
                    .reliability
                    .as_deref()
                    .and_then(Reliability::from_text))
            } else {
                file.reliability(document)?
            };
            reliabilities.insert(document, found);
            Ok(found)
        };
    // Each relation's excerpts, in the order a load reads them, found once
    // (not one pass over every link of the file per relation).
    let mut cited_by: HashMap<i64, Vec<i64>> = HashMap::new();
    for &(relation, excerpt) in &links {
        if relations.contains(&relation) {
            cited_by.entry(relation).or_default().push(excerpt);
        }
    }
    let mut supports = Vec::with_capacity(relations.len());
    for relation in relations {
        let mut unsupported_chance = 1.0_f32;
        for &excerpt in cited_by.get(&relation).into_iter().flatten() {
            let Some((document, credibility)) = file.excerpt(excerpt)? else {
                continue;
            };
            let Ok(reliability) = reliability_of(document)? else {
                continue;
            };
            unsupported_chance *= 1.0 - PackedGrades::new(reliability, credibility).weight();
        }
        for capture in captures.citing(relation) {
            if capture.stance == Stance::Contradicts {
                continue;
            }
            let reliability = reliability_of(capture.excerpt.document_id)?.unwrap_or(None);
            let credibility = capture
                .excerpt
                .credibility
                .as_deref()
                .and_then(Credibility::from_text);
            unsupported_chance *= 1.0 - PackedGrades::new(reliability, credibility).weight();
        }
        supports.push((relation, 1.0 - unsupported_chance));
    }
    Ok(supports)
}

#[cfg(test)]
#[expect(
    clippy::disallowed_methods,
    reason = "the tests write their own files with plain SQL"
)]
mod tests {
    use super::*;
    use crate::model::GraphBuilder;
    use crate::model::anchor::TextAnchor;
    use crate::model::capture::CapturedExcerpt;
    use crate::model::corrections::DocumentDetails;

    /// Two documents graded B and C, their excerpts and three relations:
    /// 100 cites 10 (document 1, credibility 2) and 20 (document 2, 1);
    /// 101 cites 11 (document 1, no grade); 102 cites 20 and 12 (document
    /// 1, credibility 1).
    fn file(folder: &Path) -> std::path::PathBuf {
        let path = folder.join("graded.sqlite");
        let connection = Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL);
                 CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER, object_id INTEGER, kind TEXT NOT NULL);
                 CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT,
                     publisher TEXT, url TEXT, published TEXT, language TEXT, reliability TEXT,
                     retrieved_at TEXT);
                 CREATE TABLE excerpts (id INTEGER PRIMARY KEY, document_id INTEGER, text TEXT NOT NULL,
                     locator TEXT, credibility TEXT);
                 CREATE TABLE relation_excerpts (relation_id INTEGER, excerpt_id INTEGER,
                     PRIMARY KEY (relation_id, excerpt_id));
                 INSERT INTO entities VALUES (1, 'actor', 'A'), (2, 'actor', 'B');
                 INSERT INTO relations VALUES (100, 1, 2, 'met'), (101, 2, 1, 'paid'), (102, 1, 2, 'called');
                 INSERT INTO documents (id, title, author, reliability) VALUES
                     (1, 'Typo in teh title', x'ff', 'B'), (2, 'Other', NULL, 'C');
                 INSERT INTO excerpts VALUES (10, 1, 'ten', NULL, '2'), (11, 1, 'eleven', NULL, NULL),
                     (12, 1, 'twelve', NULL, '1'), (20, 2, 'twenty', NULL, '1');
                 INSERT INTO relation_excerpts VALUES (100, 10), (100, 20), (101, 11), (102, 20), (102, 12);",
            )
            .unwrap();
        path
    }

    fn graph() -> Graph {
        let mut builder = GraphBuilder::with_capacity(2, 3);
        builder.add_entity(1, "actor", "A").unwrap();
        builder.add_entity(2, "actor", "B").unwrap();
        builder.add_relation(100, 1, 2, "met", None).unwrap();
        builder.add_relation(101, 2, 1, "paid", None).unwrap();
        builder.add_relation(102, 1, 2, "called", None).unwrap();
        builder.finish(vec![2, 1, 2])
    }

    fn capture(excerpt: i64, relation: i64, credibility: Option<&str>, stance: Stance) -> Capture {
        Capture {
            entities: Vec::new(),
            relation: None,
            relation_id: relation,
            excerpt: CapturedExcerpt {
                id: excerpt,
                document_id: 1,
                anchor: TextAnchor::default(),
                page_no: None,
                locator: None,
                credibility: credibility.map(str::to_owned),
                created_at: String::new(),
                note: None,
            },
            stance,
            regraded: None,
        }
    }

    fn close(found: &[(i64, f32)], expected: &[(i64, f32)]) {
        assert_eq!(found.len(), expected.len(), "{found:?}");
        for ((id, value), (expected_id, expected_value)) in found.iter().zip(expected) {
            assert_eq!(id, expected_id);
            assert!(
                (value - expected_value).abs() < 1e-6,
                "relation {id}: {value} (expected {expected_value})"
            );
        }
    }

    #[test]
    fn a_regrade_finds_the_support_of_each_relation_citing_the_document() {
        let folder = tempfile::tempdir().unwrap();
        let path = file(folder.path());
        let mut captures = CaptureSet::default();
        // Document 1 regraded from B to A.
        let in_file = DocumentDetails {
            title: "Typo in teh title".to_owned(),
            reliability: Some("B".to_owned()),
            ..DocumentDetails::default()
        };
        let regraded = DocumentDetails {
            reliability: Some("A".to_owned()),
            ..in_file.clone()
        };
        captures.corrections.set(1, &in_file, regraded);
        let found = regraded_supports(&path, &captures, 1, &graph()).unwrap();
        // By hand (A 0.9, C 0.5; credibility 1 0.9, 2 0.75, none 0.5):
        // 100: 1 − (1 − 0.9·0.75)(1 − 0.5·0.9) = 1 − 0.325·0.55 = 0.82125;
        // 101: 0.9·0.5 = 0.45; 102: 1 − (1 − 0.45)(1 − 0.9·0.9) = 0.8955.
        close(&found, &[(100, 0.821_25), (101, 0.45), (102, 0.8955)]);

        // A passage captured in this session (credibility 3) adds to 101;
        // one that contradicts 100 adds nothing; excerpt 12, captured
        // and saved before, was undone (retracted), so 102 loses it.
        captures.apply(&capture(30, 101, Some("3"), Stance::Supports));
        captures.apply(&capture(31, 100, Some("1"), Stance::Contradicts));
        let saved_then_undone = capture(12, 102, Some("1"), Stance::Supports);
        captures.captures.push((saved_then_undone, true));
        captures.withdraw(12);
        assert!(captures.is_retracted(12));
        let found = regraded_supports(&path, &captures, 1, &graph()).unwrap();
        // 101: 1 − 0.55·(1 − 0.9·0.5) = 0.6975; 102 cites no excerpt of
        // document 1 now.
        close(&found, &[(100, 0.821_25), (101, 0.6975)]);
        // Document 2 is cited by 100 and 102: 102 holds excerpt 20 alone,
        // 0.5·0.9 = 0.45.
        let found = regraded_supports(&path, &captures, 2, &graph()).unwrap();
        close(&found, &[(100, 0.821_25), (102, 0.45)]);

        // A link the file says contradicts adds nothing, as in a load.
        let connection = Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "ALTER TABLE relation_excerpts ADD COLUMN stance TEXT;
                 UPDATE relation_excerpts SET stance = 'contradicts'
                     WHERE relation_id = 100 AND excerpt_id = 20;",
            )
            .unwrap();
        drop(connection);
        let found = regraded_supports(&path, &captures, 1, &graph()).unwrap();
        // 100: excerpt 10 alone, 0.9 · 0.75.
        close(&found, &[(100, 0.675), (101, 0.6975)]);
    }

    #[test]
    fn a_correction_writes_only_the_changed_columns_of_its_row() {
        let folder = tempfile::tempdir().unwrap();
        let path = file(folder.path());
        let connection = Connection::open(&path).unwrap();
        let in_file = DocumentDetails {
            title: "Typo in teh title".to_owned(),
            reliability: Some("B".to_owned()),
            ..DocumentDetails::default()
        };
        let mut corrections = Corrections::default();
        corrections.set(
            1,
            &in_file,
            DocumentDetails {
                title: "Typo in the title".to_owned(),
                retrieved_at: Some("2024-03-06".to_owned()),
                ..in_file.clone()
            },
        );
        write_corrections(&connection, &corrections).unwrap();
        let row: (String, String, String, Option<String>, String) = connection
            .query_row(
                "SELECT title, typeof(author), reliability, retrieved_at, typeof(url) FROM documents WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            row,
            (
                "Typo in the title".to_owned(),
                "blob".to_owned(),
                "B".to_owned(),
                Some("2024-03-06".to_owned()),
                "null".to_owned()
            ),
            "the author the file held as a blob is left as it was"
        );
        let other: String = connection
            .query_row("SELECT title FROM documents WHERE id = 2", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(other, "Other");
        // A row deleted by another program fails the save.
        connection
            .execute("DELETE FROM documents WHERE id = 1", [])
            .unwrap();
        assert!(write_corrections(&connection, &corrections).is_err());
    }
}
