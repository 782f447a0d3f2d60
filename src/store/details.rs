//! Reading one entity's or one relation's full record on demand, with the
//! excerpts that support it, so long texts never sit in memory for the whole
//! graph. Values are read leniently: a bad one is shown with a note.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use rusqlite::{Connection, Row};

use super::StoreError;
use super::open::{DOCUMENTS, ENTITIES, EXCERPTS, RELATIONS, Schema, open_untrusted};
use super::values::{Cell, check_properties, is_iso_date};

/// A display value that may carry a warning about the stored value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Field {
    pub text: Option<String>,
    pub problem: Option<String>,
}

impl Field {
    fn text(cell: Cell<'_>) -> Self {
        match cell.as_text() {
            Ok(text) => Self {
                text: text.map(std::borrow::Cow::into_owned),
                problem: None,
            },
            Err(reason) => Self {
                text: None,
                problem: Some(format!("stored value {reason}")),
            },
        }
    }

    fn date(cell: Cell<'_>) -> Self {
        let mut field = Self::text(cell);
        if let Some(text) = &field.text
            && !is_iso_date(text)
        {
            field.problem = Some("not an ISO 8601 date".to_owned());
        }
        field
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.text.as_deref()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDetails {
    pub id: i64,
    pub kind: Field,
    pub name: Field,
    pub description: Field,
    pub date_start: Field,
    pub date_end: Field,
    /// Key/value pairs of `properties`, sorted by key.
    pub properties: Vec<(String, String)>,
    pub properties_problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    pub id: i64,
    pub title: Field,
    pub author: Field,
    pub publisher: Field,
    pub url: Field,
    pub published: Field,
    pub language: Field,
    pub reliability: Field,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub id: i64,
    pub text: Field,
    pub locator: Field,
    pub credibility: Field,
    pub document: DocumentInfo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationDetails {
    pub id: i64,
    pub subject_id: Option<i64>,
    pub object_id: Option<i64>,
    pub kind: Field,
    pub label: Field,
    pub date_start: Field,
    pub date_end: Field,
    pub properties: Vec<(String, String)>,
    pub properties_problem: Option<String>,
    /// Supporting passages, ordered by excerpt id; empty means unsupported.
    pub excerpts: Vec<Excerpt>,
}

/// A read-only connection kept open for on-demand reads while a file is shown.
pub struct DetailsReader {
    path: PathBuf,
    connection: Connection,
    schema: Schema,
}

impl std::fmt::Debug for DetailsReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DetailsReader")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl DetailsReader {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let cancel = Arc::new(AtomicBool::new(false));
        let (connection, schema) = open_untrusted(path, Some(cancel))?;
        Ok(Self {
            path: path.to_path_buf(),
            connection,
            schema,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn entity(&self, id: i64) -> Result<Option<EntityDetails>, StoreError> {
        let sql = format!(
            "SELECT {} FROM entities WHERE id = ?1 LIMIT 1",
            self.schema.select_list(&ENTITIES)
        );
        self.query_one(ENTITIES.name, &sql, id, |row| {
            // invariant: every index is below the width of this query's own SELECT list.
            let cell = |index| Cell::from_value(row.get_ref_unwrap(index));
            let (properties, properties_problem) = properties(cell(6));
            Ok(EntityDetails {
                id,
                kind: Field::text(cell(1)),
                name: Field::text(cell(2)),
                description: Field::text(cell(3)),
                date_start: Field::date(cell(4)),
                date_end: Field::date(cell(5)),
                properties,
                properties_problem,
            })
        })
    }

    pub fn relation(&self, id: i64) -> Result<Option<RelationDetails>, StoreError> {
        let sql = format!(
            "SELECT {} FROM relations WHERE id = ?1 LIMIT 1",
            self.schema.select_list(&RELATIONS)
        );
        let relation = self.query_one(RELATIONS.name, &sql, id, |row| {
            // invariant: every index is below the width of this query's own SELECT list.
            let cell = |index| Cell::from_value(row.get_ref_unwrap(index));
            let (properties, properties_problem) = properties(cell(7));
            Ok(RelationDetails {
                id,
                subject_id: cell(1).as_id().ok(),
                object_id: cell(2).as_id().ok(),
                kind: Field::text(cell(3)),
                label: Field::text(cell(4)),
                date_start: Field::date(cell(5)),
                date_end: Field::date(cell(6)),
                properties,
                properties_problem,
                excerpts: Vec::new(),
            })
        })?;
        let Some(mut relation) = relation else {
            return Ok(None);
        };
        if self.schema.has_evidence {
            relation.excerpts = self.excerpts_of(id)?;
        }
        Ok(Some(relation))
    }

    fn excerpts_of(&self, relation_id: i64) -> Result<Vec<Excerpt>, StoreError> {
        let excerpt_columns = prefixed(&self.schema.select_list(&EXCERPTS), "x");
        let document_columns = prefixed(&self.schema.select_list(&DOCUMENTS), "d");
        let sql = format!(
            "SELECT {excerpt_columns}, {document_columns} FROM relation_excerpts AS l \
             JOIN excerpts AS x ON x.id = l.excerpt_id JOIN documents AS d ON d.id = x.document_id \
             WHERE l.relation_id = ?1 GROUP BY x.id ORDER BY x.id"
        );
        let error = |error| StoreError::from_query(&self.path, "relation_excerpts", error);
        let mut statement = self.connection.prepare(&sql).map_err(error)?;
        let mut rows = statement.query([relation_id]).map_err(error)?;
        let mut excerpts = Vec::new();
        while let Some(row) = rows.next().map_err(error)? {
            // invariant: every index is below the width of this query's own SELECT list.
            let cell = |index| Cell::from_value(row.get_ref_unwrap(index));
            let (Ok(id), Ok(document_id)) = (cell(0).as_id(), cell(5).as_id()) else {
                continue;
            };
            excerpts.push(Excerpt {
                id,
                text: Field::text(cell(2)),
                locator: Field::text(cell(3)),
                credibility: Field::text(cell(4)),
                document: DocumentInfo {
                    id: document_id,
                    title: Field::text(cell(6)),
                    author: Field::text(cell(7)),
                    publisher: Field::text(cell(8)),
                    url: Field::text(cell(9)),
                    published: Field::date(cell(10)),
                    language: Field::text(cell(11)),
                    reliability: Field::text(cell(12)),
                },
            });
        }
        Ok(excerpts)
    }

    fn query_one<T>(
        &self,
        table: &'static str,
        sql: &str,
        id: i64,
        read: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, StoreError> {
        let error = |error| StoreError::from_query(&self.path, table, error);
        let mut statement = self.connection.prepare(sql).map_err(error)?;
        let mut rows = statement.query([id]).map_err(error)?;
        match rows.next().map_err(error)? {
            Some(row) => read(row).map(Some).map_err(error),
            None => Ok(None),
        }
    }
}

/// Qualifies a SELECT list (`"id", NULL, "text"`) with a table alias.
fn prefixed(select_list: &str, alias: &str) -> String {
    select_list
        .split(", ")
        .map(|column| {
            if column == "NULL" {
                column.to_owned()
            } else {
                format!("{alias}.{column}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn properties(cell: Cell<'_>) -> (Vec<(String, String)>, Option<String>) {
    let text = match cell {
        Cell::Null => return (Vec::new(), None),
        Cell::Text(text) => text,
        other => {
            return (
                Vec::new(),
                Some(format!(
                    "properties is {}, not a JSON object",
                    other.describe()
                )),
            );
        }
    };
    if let Err(reason) = check_properties(text) {
        return (Vec::new(), Some(format!("properties {reason}")));
    }
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) else {
        return (
            Vec::new(),
            Some("properties is not a JSON object".to_owned()),
        );
    };
    let mut pairs: Vec<(String, String)> = map
        .into_iter()
        .map(|(key, value)| {
            let value = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            (key, value)
        })
        .collect();
    pairs.sort();
    (pairs, None)
}
