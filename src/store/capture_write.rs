//! Writing captured evidence: the optional tables and columns a save adds
//! where the file lacks them, then the rows the analyst created, deleted
//! or changed, inside the save's one transaction (`store::project`).

use rusqlite::{Connection, params};

use super::capture::columns;
use crate::model::capture::{Capture, CaptureSet, SourceDocument};

const CREATE_EVIDENCE_TABLES: &str = "
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT, publisher TEXT, url TEXT,
    published TEXT, language TEXT, reliability TEXT);
CREATE TABLE IF NOT EXISTS excerpts (
    id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),
    text TEXT NOT NULL, locator TEXT, credibility TEXT);
CREATE TABLE IF NOT EXISTS relation_excerpts (
    relation_id INTEGER NOT NULL REFERENCES relations(id),
    excerpt_id INTEGER NOT NULL REFERENCES excerpts(id),
    PRIMARY KEY (relation_id, excerpt_id));
CREATE TABLE IF NOT EXISTS document_text (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    text TEXT NOT NULL, n_chars INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS document_pages (
    document_id INTEGER NOT NULL REFERENCES documents(id), page_no INTEGER NOT NULL,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    PRIMARY KEY (document_id, page_no));";

/// The optional columns of the format's "Captured evidence" section.
const CAPTURE_COLUMNS: [(&str, &str, &str); 18] = [
    ("documents", "source_kind", "TEXT"),
    ("documents", "file_name", "TEXT"),
    ("documents", "retrieved_at", "TEXT"),
    ("documents", "imported_at", "TEXT"),
    ("documents", "sha256_bytes", "TEXT"),
    ("documents", "sha256_text", "TEXT"),
    ("documents", "extractor", "TEXT"),
    (
        "documents",
        "supersedes_id",
        "INTEGER REFERENCES documents(id)",
    ),
    ("excerpts", "start_char", "INTEGER"),
    ("excerpts", "end_char", "INTEGER"),
    ("excerpts", "prefix", "TEXT"),
    ("excerpts", "suffix", "TEXT"),
    ("excerpts", "anchored_sha256", "TEXT"),
    ("excerpts", "anchor_state", "TEXT"),
    ("excerpts", "page_no", "INTEGER"),
    ("excerpts", "created_at", "TEXT"),
    ("excerpts", "note", "TEXT"),
    ("relation_excerpts", "stance", "TEXT"),
];

/// Adds what the file lacks of the captured-evidence schema.
fn ensure_schema(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(CREATE_EVIDENCE_TABLES)?;
    for table in ["documents", "excerpts", "relation_excerpts"] {
        let present = columns(connection, table)?;
        for (_, column, kind) in CAPTURE_COLUMNS
            .iter()
            .filter(|(owner, column, _)| *owner == table && !present.iter().any(|c| c == column))
        {
            connection.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {kind}"))?;
        }
    }
    Ok(())
}

fn write_document(connection: &Connection, document: &SourceDocument) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO documents (id, title, author, publisher, url, published, language, reliability,
            source_kind, file_name, retrieved_at, imported_at, sha256_bytes, sha256_text, extractor,
            supersedes_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            document.id,
            document.title,
            document.author,
            document.publisher,
            document.url,
            document.published,
            document.language,
            document.reliability,
            document.source_kind,
            document.file_name,
            document.retrieved_at,
            document.imported_at,
            document.sha256_bytes,
            document.sha256_text,
            document.extractor,
            document.supersedes_id,
        ],
    )?;
    connection.execute(
        "INSERT INTO document_text (document_id, text, n_chars) VALUES (?1, ?2, ?3)",
        params![
            document.id,
            &*document.text,
            document.text.chars().count() as i64
        ],
    )?;
    for (page, start, end) in &document.pages {
        connection.execute(
            "INSERT INTO document_pages (document_id, page_no, char_start, char_end) VALUES (?1, ?2, ?3, ?4)",
            params![document.id, page, *start as i64, *end as i64],
        )?;
    }
    Ok(())
}

fn write_capture(connection: &Connection, capture: &Capture) -> rusqlite::Result<()> {
    for entity in &capture.entities {
        connection.execute(
            "INSERT INTO entities (id, kind, name) VALUES (?1, ?2, ?3)",
            params![entity.id, entity.kind, entity.name],
        )?;
    }
    if let Some(relation) = &capture.relation {
        connection.execute(
            "INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                relation.id,
                relation.subject_id,
                relation.object_id,
                relation.kind,
                relation.label,
                relation.date_start,
                relation.date_end,
            ],
        )?;
    }
    let excerpt = &capture.excerpt;
    let anchor = &excerpt.anchor;
    connection.execute(
        "INSERT INTO excerpts (id, document_id, text, locator, credibility, start_char, end_char,
            prefix, suffix, anchored_sha256, anchor_state, page_no, created_at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'exact', ?11, ?12, ?13)",
        params![
            excerpt.id,
            excerpt.document_id,
            anchor.quote,
            excerpt.locator,
            excerpt.credibility,
            anchor.start_char as i64,
            anchor.end_char as i64,
            anchor.prefix,
            anchor.suffix,
            anchor.anchored_sha256,
            excerpt.page_no,
            excerpt.created_at,
            excerpt.note,
        ],
    )?;
    connection.execute(
        "INSERT INTO relation_excerpts (relation_id, excerpt_id, stance) VALUES (?1, ?2, ?3)",
        params![capture.relation_id, excerpt.id, capture.stance.as_str()],
    )?;
    if let Some((document, _, after)) = &capture.regraded {
        connection.execute(
            "UPDATE documents SET reliability = ?2 WHERE id = ?1",
            params![document, after],
        )?;
    }
    Ok(())
}

/// Deletes what a saved capture wrote (it was undone since).
fn delete_capture(connection: &Connection, capture: &Capture) -> rusqlite::Result<()> {
    if let Some((document, before, _)) = &capture.regraded {
        connection.execute(
            "UPDATE documents SET reliability = ?2 WHERE id = ?1",
            params![document, before],
        )?;
    }
    let excerpt = capture.excerpt.id;
    connection.execute(
        "DELETE FROM relation_excerpts WHERE excerpt_id = ?1",
        [excerpt],
    )?;
    connection.execute("DELETE FROM excerpts WHERE id = ?1", [excerpt])?;
    if let Some(relation) = &capture.relation {
        connection.execute(
            "DELETE FROM relation_excerpts WHERE relation_id = ?1",
            [relation.id],
        )?;
        connection.execute("DELETE FROM relations WHERE id = ?1", [relation.id])?;
    }
    for entity in &capture.entities {
        connection.execute("DELETE FROM entities WHERE id = ?1", [entity.id])?;
    }
    Ok(())
}

/// Writes what `captures` holds that the file lacks, and deletes what was
/// retracted (then confirmed fuzzy anchors, `store::confirm`, and corrected
/// document details, `store::corrections`), on `connection` inside the
/// caller's transaction.
pub(crate) fn write_captures(
    connection: &Connection,
    captures: &CaptureSet,
) -> rusqlite::Result<()> {
    if !captures.has_unsaved() {
        return Ok(());
    }
    ensure_schema(connection)?;
    for capture in captures.retracted.iter().rev() {
        delete_capture(connection, capture)?;
    }
    for document in &captures.documents[captures.documents_saved.min(captures.documents.len())..] {
        write_document(connection, document)?;
    }
    for (capture, _) in captures.captures.iter().filter(|(_, saved)| !saved) {
        write_capture(connection, capture)?;
    }
    super::confirm::write_confirmations(connection, &captures.confirmations)?;
    super::corrections::write_corrections(connection, &captures.corrections)
}
