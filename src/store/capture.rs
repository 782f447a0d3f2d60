//! Captured evidence in a graph file (docs/file-format.md, "Captured
//! evidence"): the optional provenance columns of `documents`, the
//! extracted texts in `document_text` and `document_pages`, the anchors of
//! `excerpts` and the stance of `relation_excerpts`. Read like any
//! untrusted input; written only by a save, inside its one transaction,
//! and only the rows the analyst created (or retracted).

use std::path::Path;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension};

use super::StoreError;
use super::open::open_untrusted;
use crate::model::anchor::TextAnchor;
use crate::model::capture::{IdFloor, SourceDocument};

/// The longest extracted text read back (as the importers refuse more).
pub const MAX_SOURCE_TEXT_BYTES: i64 = 32 * 1024 * 1024;

/// A document whose text the file holds, for File > Open Source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSource {
    pub id: i64,
    pub title: String,
    pub n_chars: i64,
    /// The file it was extracted from, where the file says.
    pub file_name: Option<String>,
}

/// A captured excerpt as the file holds it: its anchor and the text it
/// belongs to (for `check` and the W3C export).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnchor {
    pub excerpt_id: i64,
    pub document_id: i64,
    pub anchor: TextAnchor,
    pub relation_ids: Vec<i64>,
    pub note: Option<String>,
    pub created_at: Option<String>,
}

fn query_error(path: &Path, table: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |source| StoreError::Query {
        path: path.to_path_buf(),
        table,
        source,
    }
}

fn has_table(connection: &Connection, table: &str) -> rusqlite::Result<bool> {
    connection
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |_| Ok(()),
        )
        .optional()
        .map(|found| found.is_some())
}

pub(super) fn columns(connection: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = connection.prepare("SELECT name FROM pragma_table_info(?1)")?;
    statement
        .query_map([table], |row| row.get::<_, String>(0))?
        .collect()
}

/// The next free id of each table in the file at `path`.
pub fn id_floor(path: &Path) -> Result<IdFloor, StoreError> {
    let (connection, _) = open_untrusted(path, None)?;
    let next = |table: &'static str| -> Result<i64, StoreError> {
        if !has_table(&connection, table).map_err(query_error(path, table))? {
            return Ok(1);
        }
        let max: Option<i64> = connection
            .query_row(
                &format!("SELECT max(CAST(id AS INTEGER)) FROM \"{table}\""),
                [],
                |row| row.get(0),
            )
            .map_err(query_error(path, table))?;
        Ok(max.unwrap_or(0).saturating_add(1).max(1))
    };
    Ok(IdFloor {
        entity: next("entities")?,
        relation: next("relations")?,
        document: next("documents")?,
        excerpt: next("excerpts")?,
    })
}

/// The documents whose extracted text the file holds, by id.
pub fn stored_sources(path: &Path) -> Result<Vec<StoredSource>, StoreError> {
    let (connection, _) = open_untrusted(path, None)?;
    let error = query_error(path, "document_text");
    if !has_table(&connection, "document_text").map_err(&error)? {
        return Ok(Vec::new());
    }
    let has_file_name = columns(&connection, "documents")
        .map_err(&error)?
        .iter()
        .any(|column| column == "file_name");
    let mut statement = connection
        .prepare(&format!(
            "SELECT t.document_id, coalesce(CAST(d.title AS TEXT), ''), CAST(t.n_chars AS INTEGER), {}
             FROM document_text t LEFT JOIN documents d ON d.id = t.document_id
             WHERE typeof(t.document_id) = 'integer' ORDER BY t.document_id",
            if has_file_name {
                "CAST(d.file_name AS TEXT)"
            } else {
                "NULL"
            }
        ))
        .map_err(&error)?;
    let rows = statement
        .query_map([], |row| {
            Ok(StoredSource {
                id: row.get(0)?,
                title: row.get(1)?,
                n_chars: row.get::<_, Option<i64>>(2)?.unwrap_or(0),
                file_name: row.get(3)?,
            })
        })
        .map_err(&error)?;
    rows.collect::<Result<_, _>>().map_err(error)
}

/// The document `id` with its extracted text and pages.
pub fn read_source(path: &Path, id: i64) -> Result<SourceDocument, StoreError> {
    let (connection, _) = open_untrusted(path, None)?;
    let error = query_error(path, "document_text");
    let size: Option<i64> = connection
        .query_row(
            "SELECT length(CAST(text AS BLOB)) FROM document_text WHERE document_id = ?1",
            [id],
            |row| row.get(0),
        )
        .optional()
        .map_err(&error)?
        .flatten();
    let Some(size) = size else {
        return Err(StoreError::Damaged {
            path: path.to_path_buf(),
            detail: format!("document {id} has no text in `document_text`"),
        });
    };
    if size > MAX_SOURCE_TEXT_BYTES {
        return Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            what: format!("the text of document {id} is {size} bytes"),
        });
    }
    let bytes: Vec<u8> = connection
        .query_row(
            "SELECT CAST(text AS BLOB) FROM document_text WHERE document_id = ?1",
            [id],
            |row| row.get(0),
        )
        .map_err(&error)?;
    let text = String::from_utf8(bytes).map_err(|_| StoreError::Damaged {
        path: path.to_path_buf(),
        detail: format!("the text of document {id} is not valid UTF-8"),
    })?;
    let n_chars = text.chars().count();
    let document_columns =
        columns(&connection, "documents").map_err(query_error(path, "documents"))?;
    let column = |name: &str| {
        if document_columns.iter().any(|column| column == name) {
            format!("CAST(\"{name}\" AS TEXT)")
        } else {
            "NULL".to_owned()
        }
    };
    let select = format!(
        "SELECT {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, CAST({} AS INTEGER) FROM documents WHERE id = ?1",
        column("title"),
        column("author"),
        column("publisher"),
        column("url"),
        column("published"),
        column("language"),
        column("reliability"),
        column("source_kind"),
        column("file_name"),
        column("retrieved_at"),
        column("imported_at"),
        column("sha256_bytes"),
        column("sha256_text"),
        column("extractor"),
        if document_columns.iter().any(|c| c == "supersedes_id") {
            "supersedes_id"
        } else {
            "NULL"
        },
    );
    let mut document = connection
        .query_row(&select, [id], |row| {
            let text = |index: usize| row.get::<_, Option<String>>(index);
            Ok(SourceDocument {
                id,
                title: text(0)?.unwrap_or_default(),
                author: text(1)?,
                publisher: text(2)?,
                url: text(3)?,
                published: text(4)?,
                language: text(5)?,
                reliability: text(6)?,
                source_kind: text(7)?.unwrap_or_else(|| "txt".to_owned()),
                file_name: text(8)?,
                retrieved_at: text(9)?,
                imported_at: text(10)?.unwrap_or_default(),
                sha256_bytes: text(11)?,
                sha256_text: text(12)?.unwrap_or_default(),
                extractor: text(13)?.unwrap_or_default(),
                supersedes_id: row.get(14)?,
                ..SourceDocument::default()
            })
        })
        .optional()
        .map_err(query_error(path, "documents"))?
        .unwrap_or_else(|| SourceDocument {
            id,
            title: format!("Document {id}"),
            source_kind: "txt".to_owned(),
            ..SourceDocument::default()
        });
    if has_table(&connection, "document_pages").map_err(query_error(path, "document_pages"))? {
        let mut statement = connection
            .prepare(
                "SELECT CAST(page_no AS INTEGER), CAST(char_start AS INTEGER), CAST(char_end AS INTEGER)
                 FROM document_pages WHERE document_id = ?1 ORDER BY page_no",
            )
            .map_err(query_error(path, "document_pages"))?;
        let pages = statement
            .query_map([id], |row| {
                Ok((
                    row.get::<_, Option<i64>>(0)?,
                    row.get::<_, Option<i64>>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                ))
            })
            .map_err(query_error(path, "document_pages"))?;
        for page in pages {
            let (Some(page), Some(start), Some(end)) =
                page.map_err(query_error(path, "document_pages"))?
            else {
                continue;
            };
            // Pages that do not fit the text are left out, not trusted.
            if let (Ok(page), Ok(start), Ok(end)) = (
                u32::try_from(page),
                usize::try_from(start),
                usize::try_from(end),
            ) && start <= end
                && end <= n_chars
            {
                document.pages.push((page, start, end));
            }
        }
    }
    document.text = Arc::from(text);
    Ok(document)
}

/// Every captured excerpt of the file (one with offsets), with the
/// relations it is cited by, in excerpt id order.
pub fn stored_anchors(path: &Path) -> Result<Vec<StoredAnchor>, StoreError> {
    let (connection, _) = open_untrusted(path, None)?;
    let error = query_error(path, "excerpts");
    let excerpt_columns = columns(&connection, "excerpts").map_err(&error)?;
    let wanted = [
        "start_char",
        "end_char",
        "prefix",
        "suffix",
        "anchored_sha256",
        "note",
        "created_at",
    ];
    if !wanted
        .iter()
        .all(|name| excerpt_columns.iter().any(|column| column == name))
    {
        return Ok(Vec::new());
    }
    let mut statement = connection
        .prepare(
            "SELECT id, CAST(document_id AS INTEGER), CAST(text AS TEXT), CAST(start_char AS INTEGER),
                    CAST(end_char AS INTEGER), CAST(prefix AS TEXT), CAST(suffix AS TEXT),
                    CAST(anchored_sha256 AS TEXT), CAST(note AS TEXT), CAST(created_at AS TEXT)
             FROM excerpts WHERE start_char IS NOT NULL AND end_char IS NOT NULL
               AND typeof(id) = 'integer' ORDER BY id",
        )
        .map_err(&error)?;
    let rows = statement
        .query_map([], |row| {
            let start: i64 = row.get(3)?;
            let end: i64 = row.get(4)?;
            Ok(StoredAnchor {
                excerpt_id: row.get(0)?,
                document_id: row.get::<_, Option<i64>>(1)?.unwrap_or(0),
                anchor: TextAnchor {
                    quote: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    start_char: usize::try_from(start).unwrap_or(0),
                    end_char: usize::try_from(end).unwrap_or(0),
                    prefix: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    suffix: row.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    anchored_sha256: row.get::<_, Option<String>>(7)?.unwrap_or_default(),
                },
                relation_ids: Vec::new(),
                note: row.get(8)?,
                created_at: row.get(9)?,
            })
        })
        .map_err(&error)?;
    let mut anchors: Vec<StoredAnchor> = rows.collect::<Result<_, _>>().map_err(&error)?;
    let mut cited = connection
        .prepare("SELECT CAST(relation_id AS INTEGER) FROM relation_excerpts WHERE excerpt_id = ?1 ORDER BY 1")
        .map_err(query_error(path, "relation_excerpts"))?;
    for anchor in &mut anchors {
        anchor.relation_ids = cited
            .query_map([anchor.excerpt_id], |row| row.get::<_, Option<i64>>(0))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(query_error(path, "relation_excerpts"))?
            .into_iter()
            .flatten()
            .collect();
    }
    Ok(anchors)
}

/// A captured passage the file holds, as the reader marks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredHighlight {
    /// The excerpt's id, so a confirm or an undone capture in memory can
    /// move or drop its mark before Save.
    pub excerpt_id: i64,
    pub start: usize,
    pub end: usize,
    /// Every citation of the excerpt contradicts its relation.
    pub contradicts: bool,
}

/// The captured passages of document `id` that the file holds, as the
/// reader marks them.
pub fn document_highlights(path: &Path, id: i64) -> Result<Vec<StoredHighlight>, StoreError> {
    let (connection, _) = open_untrusted(path, None)?;
    let error = query_error(path, "excerpts");
    let excerpt_columns = columns(&connection, "excerpts").map_err(&error)?;
    if !["start_char", "end_char"]
        .iter()
        .all(|name| excerpt_columns.iter().any(|column| column == name))
    {
        return Ok(Vec::new());
    }
    let stance = columns(&connection, "relation_excerpts")
        .map_err(&error)?
        .iter()
        .any(|column| column == "stance");
    let mut statement = connection
        .prepare(&format!(
            "SELECT CAST(e.start_char AS INTEGER), CAST(e.end_char AS INTEGER), {}, e.id
             FROM excerpts e WHERE e.document_id = ?1 AND typeof(e.id) = 'integer'
               AND typeof(e.start_char) = 'integer' AND typeof(e.end_char) = 'integer'",
            if stance {
                "EXISTS (SELECT 1 FROM relation_excerpts r WHERE r.excerpt_id = e.id)
                 AND NOT EXISTS (SELECT 1 FROM relation_excerpts r WHERE r.excerpt_id = e.id
                                 AND coalesce(r.stance, 'supports') <> 'contradicts')"
            } else {
                "0"
            }
        ))
        .map_err(&error)?;
    let rows = statement
        .query_map([id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, bool>(2)?,
                row.get::<_, i64>(3)?,
            ))
        })
        .map_err(&error)?;
    let mut highlights = Vec::new();
    for row in rows {
        let (start, end, contradicts, excerpt_id) = row.map_err(&error)?;
        if let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end))
            && start < end
        {
            highlights.push(StoredHighlight {
                excerpt_id,
                start,
                end,
                contradicts,
            });
        }
    }
    Ok(highlights)
}
