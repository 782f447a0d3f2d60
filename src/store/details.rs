//! Reading one entity's or one relation's full record on demand, with the
//! excerpts that support it, so long texts never sit in memory for the whole
//! graph. Values are read leniently: a bad one is shown with a note.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use rusqlite::Connection;

use super::StoreError;
use super::limits::{OwnedCell, SMALL_VALUE_MAX_BYTES, cut_note, guarded_row, guarded_select_list};
use super::open::{DOCUMENTS, ENTITIES, EXCERPTS, RELATIONS, Schema, TableSpec, open_untrusted};
use super::values::{Cell, check_properties, is_iso_date};
use crate::model::anchor::AnchorState;
use crate::model::capture::Stance;

mod reanchor;
use crate::model::confirm::FuzzyAnchor;

/// A display value that may carry a warning about the stored value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Field {
    pub text: Option<String>,
    pub problem: Option<String>,
    /// Set when `text` is only the first part of a stored text too long
    /// for its column: the stored text's full size in bytes.
    pub full_bytes: Option<u64>,
}

impl Field {
    pub(super) fn text(cell: Cell<'_>) -> Self {
        if let Cell::Cut { text, full_bytes } = cell {
            return Self {
                text: Some(text.to_owned()),
                problem: Some(cut_note(full_bytes, text)),
                full_bytes: Some(full_bytes),
            };
        }
        match cell.as_text() {
            Ok(text) => Self {
                text: text.map(std::borrow::Cow::into_owned),
                ..Self::default()
            },
            Err(reason) => Self {
                problem: Some(format!("stored value {reason}")),
                ..Self::default()
            },
        }
    }

    /// True when only the first part of the stored text is shown.
    pub fn is_cut(&self) -> bool {
        self.full_bytes.is_some()
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
    /// Whether it backs the relation or speaks against it.
    pub stance: Stance,
    /// Where the passage lies in its document's extracted text (chars),
    /// for a captured excerpt whose document's text the file holds:
    /// "Open in source" scrolls there.
    pub source_span: Option<(usize, usize)>,
    /// For a captured excerpt, where its quote stands in its document's
    /// text now (exact, relocated, fuzzy: proposed, or orphaned).
    pub anchor_state: Option<AnchorState>,
    /// For a fuzzy one, the passage proposed and what Confirm makes of it.
    pub fuzzy: Option<Box<FuzzyAnchor>>,
    /// The analyst's note on a captured excerpt (`excerpts.note`; a
    /// confirm adds the quote as it was captured), cut to
    /// [`NOTE_MAX_CHARS`].
    pub note: Option<String>,
    /// When it was captured (`excerpts.created_at`, RFC 3339).
    pub captured_at: Option<String>,
}

/// The most of an excerpt's note the panel shows: a note in a stranger's
/// file can be of any length.
pub const NOTE_MAX_CHARS: usize = 2_000;

impl Excerpt {
    /// It speaks against the relation that cites it.
    pub fn contradicts(&self) -> bool {
        self.stance == Stance::Contradicts
    }
}

/// A relation is disputed when it cites excerpts and every one of them
/// contradicts it (as `Graph::edge_is_disputed` counts it at load).
pub fn is_disputed(excerpts: &[Excerpt]) -> bool {
    !excerpts.is_empty() && excerpts.iter().all(Excerpt::contradicts)
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
    /// The file has the captured-evidence columns (see `store::capture`).
    captured: CapturedColumns,
}

/// Which optional captured-evidence columns the file has.
#[derive(Clone, Debug, Default)]
struct CapturedColumns {
    stance: bool,
    offsets: bool,
    /// The query of an excerpt's `anchor_state` and `note`, which a confirm
    /// keeps the old values of (NULL for a column the file lacks).
    stored_state_and_note: String,
    /// The query of the note (cut) and capture time that the panel shows,
    /// where the file has either column.
    note_and_captured_at: Option<String>,
}

impl CapturedColumns {
    fn of(connection: &Connection) -> Self {
        let has = |table: &str, column: &str| {
            connection
                .query_row(
                    "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
                    [table, column],
                    |_| Ok(()),
                )
                .is_ok()
        };
        let column = |name: &str| {
            if has("excerpts", name) {
                format!("CAST({name} AS TEXT)")
            } else {
                "NULL".to_owned()
            }
        };
        Self {
            stance: has("relation_excerpts", "stance"),
            offsets: has("excerpts", "start_char")
                && has("excerpts", "end_char")
                && has("document_text", "document_id"),
            stored_state_and_note: format!(
                "SELECT {}, {} FROM excerpts WHERE id = ?1",
                column("anchor_state"),
                column("note")
            ),
            note_and_captured_at: (has("excerpts", "note") || has("excerpts", "created_at")).then(
                || {
                    let cut = |name: &str| {
                        if has("excerpts", name) {
                            format!(
                                "CAST(substr(CAST({name} AS TEXT), 1, {}) AS TEXT)",
                                NOTE_MAX_CHARS + 1
                            )
                        } else {
                            "NULL".to_owned()
                        }
                    };
                    format!(
                        "SELECT {}, {} FROM excerpts WHERE id = ?1",
                        cut("note"),
                        cut("created_at")
                    )
                },
            ),
        }
    }
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
        Self::open_cancellable(path, Arc::new(AtomicBool::new(false)))
    }

    /// Opens `path`; setting `cancel` interrupts the query that is running.
    pub fn open_cancellable(path: &Path, cancel: Arc<AtomicBool>) -> Result<Self, StoreError> {
        let (connection, schema) = open_untrusted(path, Some(cancel))?;
        let captured = CapturedColumns::of(&connection);
        Ok(Self {
            path: path.to_path_buf(),
            connection,
            schema,
            captured,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn connection(&self) -> &Connection {
        &self.connection
    }

    /// False when the file has no evidence tables at all.
    pub(super) fn has_evidence(&self) -> bool {
        self.schema.has_evidence
    }

    /// True when `relation_excerpts` has the optional `stance` column.
    pub(super) fn has_stance(&self) -> bool {
        self.schema.has_stance
    }

    /// False when `table` lacks the optional `column`.
    pub(super) fn has_column(&self, table: &str, column: &str) -> bool {
        !self
            .schema
            .missing_columns
            .iter()
            .any(|&(missing_table, missing)| missing_table == table && missing == column)
    }

    pub fn entity(&self, id: i64) -> Result<Option<EntityDetails>, StoreError> {
        self.row_by_id(&ENTITIES, id, |cells| {
            let cell = |index: usize| cells[index].cell();
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
        let Some(mut relation) = self.relation_without_excerpts(id)? else {
            return Ok(None);
        };
        if self.schema.has_evidence {
            relation.excerpts = self.excerpts_of(id)?;
            self.read_captured_fields(id, &mut relation.excerpts);
        }
        Ok(Some(relation))
    }

    /// The relation's own row; `excerpts` is left empty.
    pub(super) fn relation_without_excerpts(
        &self,
        id: i64,
    ) -> Result<Option<RelationDetails>, StoreError> {
        self.row_by_id(&RELATIONS, id, |cells| {
            let cell = |index: usize| cells[index].cell();
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
        })
    }

    /// The excerpts a relation cites, by excerpt id, each with its
    /// document; links to an excerpt or document that does not exist are
    /// left out. One row at a time, so no query sorts long texts.
    fn excerpts_of(&self, relation_id: i64) -> Result<Vec<Excerpt>, StoreError> {
        let table = "relation_excerpts";
        let error = |error| StoreError::from_query(&self.path, table, error);
        let mut statement = self
            .connection
            .prepare(&format!(
                "SELECT CASE WHEN octet_length(excerpt_id) > {SMALL_VALUE_MAX_BYTES} THEN NULL \
                 ELSE excerpt_id END FROM relation_excerpts WHERE relation_id = ?1"
            ))
            .map_err(error)?;
        let mut rows = statement.query([relation_id]).map_err(error)?;
        let mut excerpt_ids = Vec::new();
        while let Some(row) = rows.next().map_err(error)? {
            if let Ok(id) = Cell::from_value(row.get_ref(0).map_err(error)?).as_id() {
                excerpt_ids.push(id);
            }
        }
        self.excerpts_by_id(excerpt_ids)
    }

    /// The excerpts with these ids, each with its document, in id order;
    /// an id twice counts once, and an excerpt that does not exist, or whose
    /// document does not, is left out.
    pub(super) fn excerpts_by_id(
        &self,
        mut excerpt_ids: Vec<i64>,
    ) -> Result<Vec<Excerpt>, StoreError> {
        excerpt_ids.sort_unstable();
        excerpt_ids.dedup();
        let mut excerpts = Vec::new();
        for id in excerpt_ids {
            let excerpt = self.row_by_id(&EXCERPTS, id, |cells| {
                Ok((
                    cells[1].cell().as_id().ok(),
                    Field::text(cells[2].cell()),
                    Field::text(cells[3].cell()),
                    Field::text(cells[4].cell()),
                ))
            })?;
            let Some((Some(document_id), text, locator, credibility)) = excerpt else {
                continue;
            };
            let document = self.document_info(document_id)?;
            if let Some(document) = document {
                excerpts.push(Excerpt {
                    id,
                    text,
                    locator,
                    credibility,
                    document,
                    stance: Stance::Supports,
                    source_span: None,
                    anchor_state: None,
                    fuzzy: None,
                    note: None,
                    captured_at: None,
                });
            }
        }
        Ok(excerpts)
    }

    /// The stance of each excerpt of relation `relation_id`, and where it
    /// lies in its document's text, from the captured-evidence columns
    /// where the file has them. A value that does not fit is left out.
    fn read_captured_fields(&self, relation_id: i64, excerpts: &mut [Excerpt]) {
        for excerpt in excerpts {
            if self.captured.stance {
                let stance: Option<String> = self
                    .connection
                    .query_row(
                        "SELECT CAST(stance AS TEXT) FROM relation_excerpts WHERE relation_id = ?1 AND excerpt_id = ?2",
                        [relation_id, excerpt.id],
                        |row| row.get(0),
                    )
                    .ok()
                    .flatten();
                excerpt.stance = Stance::from_stored(stance.as_deref());
            }
            if self.captured.offsets {
                self.reanchor(excerpt);
            }
            if let Some(query) = &self.captured.note_and_captured_at {
                let read: Option<(Option<String>, Option<String>)> = self
                    .connection
                    .query_row(query, [excerpt.id], |row| Ok((row.get(0)?, row.get(1)?)))
                    .ok();
                if let Some((note, captured_at)) = read {
                    excerpt.note = note.map(|note| cut_note_text(&note));
                    excerpt.captured_at = captured_at.map(|at| cut_note_text(&at));
                }
            }
        }
    }

    /// The document row `id`, as an excerpt shows it.
    pub(super) fn document_info(&self, id: i64) -> Result<Option<DocumentInfo>, StoreError> {
        self.row_by_id(&DOCUMENTS, id, |cells| {
            let cell = |index: usize| cells[index].cell();
            Ok(DocumentInfo {
                id,
                title: Field::text(cell(1)),
                author: Field::text(cell(2)),
                publisher: Field::text(cell(3)),
                url: Field::text(cell(4)),
                published: Field::date(cell(5)),
                language: Field::text(cell(6)),
                reliability: Field::text(cell(7)),
            })
        })
    }

    /// Reads the row of `spec` whose id is `id`, each value measured first
    /// and read within its column's limit (see `limits`), and hands its
    /// cells, in the order of `spec`, to `read`.
    pub(super) fn row_by_id<T>(
        &self,
        spec: &TableSpec,
        id: i64,
        read: impl FnOnce(&[OwnedCell]) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, StoreError> {
        let table = spec.name;
        let columns = guarded_select_list(&self.schema, spec, &format!("\"{table}\""));
        let rowid = self.schema.rowid_of(table).unwrap_or("NULL");
        let sql = format!("SELECT {columns}, {rowid} FROM \"{table}\" WHERE id = ?1 LIMIT 1");
        let error = |error| StoreError::from_query(&self.path, table, error);
        // Cached: an export asks for every row of a large file in turn.
        let mut statement = self.connection.prepare_cached(&sql).map_err(error)?;
        let mut rows = statement.query([id]).map_err(error)?;
        let Some(row) = rows.next().map_err(error)? else {
            return Ok(None);
        };
        let (_, cells) =
            guarded_row(&self.connection, table, self.schema.encoding, spec, row).map_err(error)?;
        read(&cells).map(Some).map_err(error)
    }
}

fn properties(cell: Cell<'_>) -> (Vec<(String, String)>, Option<String>) {
    let text = match cell {
        Cell::Null => return (Vec::new(), None),
        Cell::Text(text) => text,
        too_large @ Cell::TooLarge { .. } => {
            let reason = too_large.as_text().err().unwrap_or_default();
            return (Vec::new(), Some(format!("properties {reason}")));
        }
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

/// `text` cut to [`NOTE_MAX_CHARS`], with an ellipsis where it was cut;
/// empty is none.
fn cut_note_text(text: &str) -> String {
    match text.char_indices().nth(NOTE_MAX_CHARS) {
        Some((byte, _)) => format!("{}…", &text[..byte]),
        None => text.to_owned(),
    }
}
