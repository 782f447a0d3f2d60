//! Every entity and relation of a graph file, row by row, with all their
//! columns: what an export to another tool's format writes. One scan per
//! table (not one lookup per row), and no oversized value is ever read
//! whole: a value past its column's limit reads as absent and is counted.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::StoreError;
use super::limits::{
    LONG_TEXT_MAX_BYTES, PROPERTIES_MAX_BYTES, SHORT_TEXT_MAX_BYTES, SMALL_VALUE_MAX_BYTES,
};
use super::open::{Schema, open_untrusted};

/// One entity with every column of the format.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub description: Option<String>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
    /// The `properties` JSON object, when it is one.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// One relation with every column of the format.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RelationRow {
    pub id: i64,
    pub subject: i64,
    pub object: i64,
    pub kind: String,
    pub label: Option<String>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// One excerpt a relation cites, with its document's title and URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitedExcerpt {
    pub relation: i64,
    pub excerpt: i64,
    pub text: String,
    pub document: i64,
    /// Shared by the excerpts of one document.
    pub title: std::sync::Arc<str>,
    pub url: Option<std::sync::Arc<str>>,
}

/// Reads a graph file's rows for an export.
pub struct GraphRows {
    connection: Connection,
    schema: Schema,
    path: std::path::PathBuf,
}

impl GraphRows {
    /// Opens `path` as an untrusted file; `cancel` interrupts a running scan.
    pub fn open(path: &Path, cancel: Arc<AtomicBool>) -> Result<Self, StoreError> {
        let (connection, schema) = open_untrusted(path, Some(cancel))?;
        Ok(Self {
            connection,
            schema,
            path: path.to_path_buf(),
        })
    }

    /// The file's saved view, checked against `graph` (the graph built from
    /// this file's rows) as opening the file checks it; none without one.
    pub fn saved_view(&self, graph: &crate::model::Graph) -> Option<super::ViewState> {
        let mut report = super::LoadReport::default();
        super::project::read_saved_view(&self.connection, graph, &mut report)
    }

    fn query_error(&self, table: &'static str, source: rusqlite::Error) -> StoreError {
        if matches!(
            source,
            rusqlite::Error::SqliteFailure(ref error, _)
                if error.code == rusqlite::ErrorCode::OperationInterrupted
        ) {
            return StoreError::Cancelled {
                path: self.path.clone(),
            };
        }
        StoreError::Query {
            path: self.path.clone(),
            table,
            source,
        }
    }

    /// Calls `each` with every entity whose id, kind and name are usable,
    /// in id order.
    pub fn for_each_entity(
        &self,
        mut each: impl FnMut(EntityRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT id, {}, {}, {}, {}, {}, {} FROM entities ORDER BY id",
            guarded(&self.schema, "entities", "kind", SHORT_TEXT_MAX_BYTES),
            guarded(&self.schema, "entities", "name", SHORT_TEXT_MAX_BYTES),
            guarded(&self.schema, "entities", "description", LONG_TEXT_MAX_BYTES),
            guarded(
                &self.schema,
                "entities",
                "date_start",
                SMALL_VALUE_MAX_BYTES
            ),
            guarded(&self.schema, "entities", "date_end", SMALL_VALUE_MAX_BYTES),
            guarded(&self.schema, "entities", "properties", PROPERTIES_MAX_BYTES),
        );
        let error = |source| self.query_error("entities", source);
        let mut statement = self.connection.prepare(&sql).map_err(error)?;
        let mut rows = statement.query([]).map_err(error)?;
        while let Some(row) = rows.next().map_err(error)? {
            let (Some(id), Some(kind), Some(name)) = (integer(row, 0), text(row, 1), text(row, 2))
            else {
                continue;
            };
            each(EntityRow {
                id,
                kind,
                name,
                description: text(row, 3),
                date_start: text(row, 4),
                date_end: text(row, 5),
                properties: json_object(row, 6),
            })?;
        }
        Ok(())
    }

    /// Calls `each` with every relation whose ids and kind are usable, in
    /// id order (its ends may be missing: the caller checks).
    pub fn for_each_relation(
        &self,
        mut each: impl FnMut(RelationRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT id, subject_id, object_id, {}, {}, {}, {}, {} FROM relations ORDER BY id",
            guarded(&self.schema, "relations", "kind", SHORT_TEXT_MAX_BYTES),
            guarded(&self.schema, "relations", "label", SHORT_TEXT_MAX_BYTES),
            guarded(
                &self.schema,
                "relations",
                "date_start",
                SMALL_VALUE_MAX_BYTES
            ),
            guarded(&self.schema, "relations", "date_end", SMALL_VALUE_MAX_BYTES),
            guarded(
                &self.schema,
                "relations",
                "properties",
                PROPERTIES_MAX_BYTES
            ),
        );
        let error = |source| self.query_error("relations", source);
        let mut statement = self.connection.prepare(&sql).map_err(error)?;
        let mut rows = statement.query([]).map_err(error)?;
        while let Some(row) = rows.next().map_err(error)? {
            let (Some(id), Some(subject), Some(object), Some(kind)) = (
                integer(row, 0),
                integer(row, 1),
                integer(row, 2),
                text(row, 3),
            ) else {
                continue;
            };
            each(RelationRow {
                id,
                subject,
                object,
                kind,
                label: text(row, 4),
                date_start: text(row, 5),
                date_end: text(row, 6),
                properties: json_object(row, 7),
            })?;
        }
        Ok(())
    }

    /// Calls `each` with every (relation, excerpt) citation, ordered by
    /// relation then excerpt, with the excerpt's text and its document.
    pub fn for_each_citation(
        &self,
        mut each: impl FnMut(CitedExcerpt) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        if !self.schema.has_evidence {
            return Ok(());
        }
        let sql = format!(
            "SELECT l.relation_id, l.excerpt_id, {}, d.id, {}, {}
             FROM relation_excerpts l
             JOIN excerpts x ON x.id = l.excerpt_id
             JOIN documents d ON d.id = x.document_id
             ORDER BY l.relation_id, l.excerpt_id",
            guard_expression("x.text", LONG_TEXT_MAX_BYTES),
            guard_expression("d.title", SHORT_TEXT_MAX_BYTES),
            guard_expression("d.url", SHORT_TEXT_MAX_BYTES * 16),
        );
        let error = |source| self.query_error("relation_excerpts", source);
        let mut statement = self.connection.prepare(&sql).map_err(error)?;
        let mut rows = statement.query([]).map_err(error)?;
        // A document's title and URL, read once for all its excerpts.
        let mut documents: crate::model::FastMap<i64, (Arc<str>, Option<Arc<str>>)> =
            crate::model::FastMap::default();
        while let Some(row) = rows.next().map_err(error)? {
            let (Some(relation), Some(excerpt), Some(document)) =
                (integer(row, 0), integer(row, 1), integer(row, 3))
            else {
                continue;
            };
            let (title, url) = documents
                .entry(document)
                .or_insert_with(|| {
                    (
                        Arc::from(text(row, 4).unwrap_or_default()),
                        text(row, 5).map(Arc::from),
                    )
                })
                .clone();
            each(CitedExcerpt {
                relation,
                excerpt,
                text: text(row, 2).unwrap_or_default(),
                document,
                title,
                url,
            })?;
        }
        Ok(())
    }
}

/// `column` of `table` when it is at most `max_bytes` long (NULL past
/// that, and NULL when the file lacks the optional column).
fn guarded(schema: &Schema, table: &str, column: &str, max_bytes: u64) -> String {
    let missing = schema
        .missing_columns
        .iter()
        .any(|(missing_table, missing_column)| {
            *missing_table == table && *missing_column == column
        });
    if missing {
        "NULL".to_owned()
    } else {
        guard_expression(column, max_bytes)
    }
}

/// SQL reading `column` only when it is at most `max_bytes` long:
/// `octet_length` reads the record header, never the value.
fn guard_expression(column: &str, max_bytes: u64) -> String {
    format!("CASE WHEN octet_length({column}) <= {max_bytes} THEN {column} END")
}

fn integer(row: &rusqlite::Row<'_>, index: usize) -> Option<i64> {
    match row.get_ref(index).ok()? {
        ValueRef::Integer(value) => Some(value),
        ValueRef::Text(text) => std::str::from_utf8(text).ok()?.trim().parse().ok(),
        _ => None,
    }
}

fn text(row: &rusqlite::Row<'_>, index: usize) -> Option<String> {
    match row.get_ref(index).ok()? {
        ValueRef::Text(text) => Some(String::from_utf8_lossy(text).into_owned()),
        ValueRef::Integer(value) => Some(value.to_string()),
        ValueRef::Real(value) => Some(value.to_string()),
        ValueRef::Null | ValueRef::Blob(_) => None,
    }
}

fn json_object(
    row: &rusqlite::Row<'_>,
    index: usize,
) -> serde_json::Map<String, serde_json::Value> {
    text(row, index)
        .and_then(|json| serde_json::from_str::<serde_json::Value>(&json).ok())
        .and_then(|value| match value {
            serde_json::Value::Object(map) => Some(map),
            _ => None,
        })
        .unwrap_or_default()
}
