//! Writing a new graph file: the one writer behind `generate` and every
//! importer, so they all produce the format the same way.
//!
//! The rows go to a hidden partial file beside the output, in one
//! transaction, and the file gets its final name only in
//! [`GraphWriter::finish`]: an import that fails, is cancelled or is killed
//! leaves nothing under the output's name (and a dropped writer removes its
//! partial file). Texts longer than the loader would read are cut here to
//! the same limits, so an imported file opens without oversize problems.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
use super::limits::{
    LONG_TEXT_MAX_BYTES, SHORT_TEXT_MAX_BYTES, SMALL_VALUE_MAX_BYTES, URL_MAX_BYTES,
};
use super::report::MAX_LISTED_PROBLEMS;

/// The tables of format version 1, and the importer's notes.
pub(crate) const SCHEMA: &str = "
PRAGMA user_version = 1;
CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
    date_start TEXT, date_end TEXT, properties TEXT);
CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL REFERENCES entities(id),
    object_id INTEGER NOT NULL REFERENCES entities(id), kind TEXT NOT NULL, label TEXT, date_start TEXT,
    date_end TEXT, properties TEXT);
CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT, publisher TEXT, url TEXT,
    published TEXT, language TEXT, reliability TEXT);
CREATE TABLE excerpts (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),
    text TEXT NOT NULL, locator TEXT, credibility TEXT);
CREATE TABLE relation_excerpts (relation_id INTEGER NOT NULL REFERENCES relations(id),
    excerpt_id INTEGER NOT NULL REFERENCES excerpts(id), PRIMARY KEY (relation_id, excerpt_id));
";

/// Where an imported file's notes are kept (`file:line: message`), so the
/// load report can list them whenever the file is opened.
pub const IMPORT_NOTES_TABLE: &str = "app_import_notes";

/// One entity to write. Dates are ISO 8601 (`YYYY`, `YYYY-MM` or
/// `YYYY-MM-DD`); properties are a JSON object (empty: none).
#[derive(Debug, Default, Clone)]
pub struct NewEntity<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub date_start: Option<&'a str>,
    pub date_end: Option<&'a str>,
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// One relation to write, between entities already written.
#[derive(Debug, Default, Clone)]
pub struct NewRelation<'a> {
    pub subject: i64,
    pub object: i64,
    pub kind: &'a str,
    pub label: Option<&'a str>,
    pub date_start: Option<&'a str>,
    pub date_end: Option<&'a str>,
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// One source document.
#[derive(Debug, Default, Clone)]
pub struct NewDocument<'a> {
    pub title: &'a str,
    pub author: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub url: Option<&'a str>,
    pub published: Option<&'a str>,
    pub language: Option<&'a str>,
    pub reliability: Option<&'a str>,
}

/// How many rows a writer has written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WrittenCounts {
    pub entities: u64,
    pub relations: u64,
    pub documents: u64,
    pub excerpts: u64,
    pub notes: u64,
}

/// A new graph file being written (see the module's doc).
pub struct GraphWriter {
    connection: Connection,
    /// The output's final name; None for an in-memory file.
    target: Option<PathBuf>,
    partial: Option<PathBuf>,
    counts: WrittenCounts,
    finished: bool,
}

impl GraphWriter {
    /// Starts a new file that will be named `path`; refuses one that exists.
    pub fn create(path: &Path) -> Result<Self, StoreError> {
        if path.exists() {
            return Err(StoreError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        let name = path.file_name().map_or_else(
            || "graph".into(),
            |name| name.to_string_lossy().into_owned(),
        );
        let partial = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        // A partial file left by a killed import of the same name and process id.
        let _ = std::fs::remove_file(&partial);
        let write = |source| StoreError::Write {
            path: path.to_path_buf(),
            source,
        };
        let flags =
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_CREATE;
        let connection = Connection::open_with_flags(&partial, flags).map_err(write)?;
        let mut writer = Self {
            connection,
            target: Some(path.to_path_buf()),
            partial: Some(partial),
            counts: WrittenCounts::default(),
            finished: false,
        };
        writer.start().map_err(write)?;
        Ok(writer)
    }

    /// A writer into memory, for tests and fuzzing: everything but the file.
    pub fn in_memory() -> Result<Self, StoreError> {
        let write = |source| StoreError::Write {
            path: PathBuf::from(":memory:"),
            source,
        };
        let connection = Connection::open_in_memory().map_err(write)?;
        let mut writer = Self {
            connection,
            target: None,
            partial: None,
            counts: WrittenCounts::default(),
            finished: false,
        };
        writer.start().map_err(write)?;
        Ok(writer)
    }

    fn start(&mut self) -> rusqlite::Result<()> {
        // The partial file is thrown away on any failure: no journal needed.
        // A page cache big enough that a million-row import does not re-read
        // the pages it just wrote (64 MiB; memory stays bounded).
        self.connection.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;",
        )?;
        self.connection.execute_batch(SCHEMA)?;
        self.connection.execute_batch("BEGIN")
    }

    fn error(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Write {
            path: self
                .target
                .clone()
                .unwrap_or_else(|| PathBuf::from(":memory:")),
            source,
        }
    }

    pub fn counts(&self) -> WrittenCounts {
        self.counts
    }

    /// Writes an entity; returns its id.
    pub fn add_entity(&mut self, entity: &NewEntity<'_>) -> Result<i64, StoreError> {
        let id = self.counts.entities as i64 + 1;
        let result = self
            .connection
            .prepare_cached(
                "INSERT INTO entities (id, kind, name, description, date_start, date_end, properties)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    id,
                    cut(entity.kind, SHORT_TEXT_MAX_BYTES),
                    cut(entity.name, SHORT_TEXT_MAX_BYTES),
                    entity.description.map(|text| cut(text, LONG_TEXT_MAX_BYTES)),
                    entity.date_start.map(|date| cut(date, SMALL_VALUE_MAX_BYTES)),
                    entity.date_end.map(|date| cut(date, SMALL_VALUE_MAX_BYTES)),
                    properties_json(&entity.properties),
                ])
            });
        result.map_err(|source| self.error(source))?;
        self.counts.entities += 1;
        Ok(id)
    }

    /// Writes a relation between two written entities; returns its id.
    pub fn add_relation(&mut self, relation: &NewRelation<'_>) -> Result<i64, StoreError> {
        let id = self.counts.relations as i64 + 1;
        let result = self
            .connection
            .prepare_cached(
                "INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    id,
                    relation.subject,
                    relation.object,
                    cut(relation.kind, SHORT_TEXT_MAX_BYTES),
                    relation.label.map(|text| cut(text, SHORT_TEXT_MAX_BYTES)),
                    relation.date_start.map(|date| cut(date, SMALL_VALUE_MAX_BYTES)),
                    relation.date_end.map(|date| cut(date, SMALL_VALUE_MAX_BYTES)),
                    properties_json(&relation.properties),
                ])
            });
        result.map_err(|source| self.error(source))?;
        self.counts.relations += 1;
        Ok(id)
    }

    /// Writes a source document; returns its id.
    pub fn add_document(&mut self, document: &NewDocument<'_>) -> Result<i64, StoreError> {
        let id = self.counts.documents as i64 + 1;
        let short =
            |text: Option<&str>| text.map(|text| cut(text, SHORT_TEXT_MAX_BYTES).to_owned());
        let result = self
            .connection
            .prepare_cached(
                "INSERT INTO documents (id, title, author, publisher, url, published, language, reliability)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    id,
                    cut(document.title, SHORT_TEXT_MAX_BYTES),
                    short(document.author),
                    short(document.publisher),
                    // A URL cut short would lead somewhere else: left out.
                    document.url.filter(|url| url.len() as u64 <= URL_MAX_BYTES),
                    document.published.map(|date| cut(date, SMALL_VALUE_MAX_BYTES)),
                    short(document.language),
                    document.reliability.map(|grade| cut(grade, SMALL_VALUE_MAX_BYTES)),
                ])
            });
        result.map_err(|source| self.error(source))?;
        self.counts.documents += 1;
        Ok(id)
    }

    /// Writes a quoted passage of a written document; returns its id.
    pub fn add_excerpt(
        &mut self,
        document: i64,
        text: &str,
        locator: Option<&str>,
        credibility: Option<&str>,
    ) -> Result<i64, StoreError> {
        let id = self.counts.excerpts as i64 + 1;
        let result = self
            .connection
            .prepare_cached(
                "INSERT INTO excerpts (id, document_id, text, locator, credibility) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    id,
                    document,
                    cut(text, LONG_TEXT_MAX_BYTES),
                    locator.map(|text| cut(text, SHORT_TEXT_MAX_BYTES)),
                    credibility.map(|grade| cut(grade, SMALL_VALUE_MAX_BYTES)),
                ])
            });
        result.map_err(|source| self.error(source))?;
        self.counts.excerpts += 1;
        Ok(id)
    }

    /// Makes a relation cite an excerpt (once; a repeat is ignored).
    pub fn cite(&mut self, relation: i64, excerpt: i64) -> Result<(), StoreError> {
        let result = self
            .connection
            .prepare_cached(
                "INSERT OR IGNORE INTO relation_excerpts (relation_id, excerpt_id) VALUES (?1, ?2)",
            )
            .and_then(|mut insert| insert.execute(params![relation, excerpt]));
        result.map_err(|source| self.error(source))?;
        Ok(())
    }

    /// Records what the import skipped or changed at `file:line`; the load
    /// report lists it. Past [`MAX_LISTED_PROBLEMS`] notes are only counted.
    pub fn note(&mut self, file: &str, line: Option<u64>, message: &str) -> Result<(), StoreError> {
        self.counts.notes += 1;
        if self.counts.notes > MAX_LISTED_PROBLEMS as u64 {
            return Ok(());
        }
        if self.counts.notes == 1 {
            // Only imported files that have something to say get the table.
            let created = self.connection.execute_batch(&format!(
                "CREATE TABLE {IMPORT_NOTES_TABLE} (file TEXT NOT NULL, line INTEGER, message TEXT NOT NULL);"
            ));
            created.map_err(|source| self.error(source))?;
        }
        let result = self
            .connection
            .prepare_cached(&format!(
                "INSERT INTO {IMPORT_NOTES_TABLE} (file, line, message) VALUES (?1, ?2, ?3)"
            ))
            .and_then(|mut insert| {
                insert.execute(params![
                    cut(file, SHORT_TEXT_MAX_BYTES),
                    line.and_then(|line| i64::try_from(line).ok()),
                    cut(message, SHORT_TEXT_MAX_BYTES),
                ])
            });
        result.map_err(|source| self.error(source))?;
        Ok(())
    }

    /// Saves `positions` (entity id, world point; y grows down, as on
    /// screen) as the new file's view, so it opens with the source's
    /// picture instead of a fresh layout. Points that are not finite or
    /// beyond [`MAX_COORDINATE`](super::view_state::MAX_COORDINATE) are left
    /// out (the layout places those entities); returns how many were kept.
    pub fn set_positions(&mut self, positions: &[(i64, [f32; 2])]) -> Result<usize, StoreError> {
        let view = super::view_state::ViewState {
            positions: positions
                .iter()
                .filter(|(_, world)| super::view_state::is_valid_position(*world))
                .map(|&(entity_id, world)| super::view_state::SavedPosition {
                    entity_id,
                    world,
                    pinned: false,
                })
                .collect(),
            ..super::view_state::ViewState::default()
        };
        let kept = view.positions.len();
        super::project::write_view_tables(&self.connection, &view)
            .map_err(|source| self.error(source))?;
        Ok(kept)
    }

    /// Runs `query` on the file being written: what an importer's tests ask
    /// of an in-memory file.
    pub fn query_one(&self, sql: &str) -> Result<Option<i64>, StoreError> {
        self.connection
            .query_row(sql, [], |row| row.get(0))
            .optional()
            .map_err(|source| self.error(source))
    }

    /// Commits the rows and gives the file its final name (refusing to
    /// replace a file that appeared there meanwhile); returns its path.
    pub fn finish(mut self) -> Result<Option<PathBuf>, StoreError> {
        let committed = self.connection.execute_batch("COMMIT");
        committed.map_err(|source| self.error(source))?;
        self.finished = true;
        let (Some(target), Some(partial)) = (self.target.take(), self.partial.take()) else {
            return Ok(None);
        };
        let connection = std::mem::replace(
            &mut self.connection,
            Connection::open_in_memory().map_err(|source| StoreError::Write {
                path: target.clone(),
                source,
            })?,
        );
        if let Err((_, source)) = connection.close() {
            let _ = std::fs::remove_file(&partial);
            return Err(StoreError::Write {
                path: target,
                source,
            });
        }
        let io = |source| StoreError::Io {
            path: target.clone(),
            source,
        };
        // A hard link fails when the name is taken, so nothing is replaced;
        // where the file system has no links, rename after a last check.
        let linked = std::fs::hard_link(&partial, &target);
        let placed = match linked {
            Ok(()) => std::fs::remove_file(&partial).map_err(io),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                let _ = std::fs::remove_file(&partial);
                return Err(StoreError::AlreadyExists { path: target });
            }
            Err(_) if target.exists() => {
                let _ = std::fs::remove_file(&partial);
                return Err(StoreError::AlreadyExists { path: target });
            }
            Err(_) => std::fs::rename(&partial, &target).map_err(io),
        };
        placed?;
        Ok(Some(target))
    }
}

impl Drop for GraphWriter {
    fn drop(&mut self) {
        if !self.finished
            && let Some(partial) = self.partial.take()
        {
            let _ = std::fs::remove_file(partial);
        }
    }
}

/// `text`, cut on a character boundary to at most `max_bytes` bytes.
pub fn cut(text: &str, max_bytes: u64) -> &str {
    let max = usize::try_from(max_bytes).unwrap_or(usize::MAX);
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn properties_json(properties: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    if properties.is_empty() {
        return None;
    }
    let json = serde_json::Value::Object(properties.clone()).to_string();
    // Too big for the loader to read: kept out rather than cut into bad JSON.
    (json.len() as u64 <= super::limits::PROPERTIES_MAX_BYTES).then_some(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_file_opens_and_an_abandoned_one_leaves_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.sqlite");
        let mut writer = GraphWriter::create(&path).unwrap();
        let a = writer
            .add_entity(&NewEntity {
                kind: "actor",
                name: "A",
                ..NewEntity::default()
            })
            .unwrap();
        let b = writer
            .add_entity(&NewEntity {
                kind: "actor",
                name: "B",
                ..NewEntity::default()
            })
            .unwrap();
        writer
            .add_relation(&NewRelation {
                subject: a,
                object: b,
                kind: "knows",
                ..NewRelation::default()
            })
            .unwrap();
        drop(writer);
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);

        let mut writer = GraphWriter::create(&path).unwrap();
        writer
            .add_entity(&NewEntity {
                kind: "actor",
                name: "A",
                ..NewEntity::default()
            })
            .unwrap();
        assert_eq!(writer.finish().unwrap(), Some(path.clone()));
        let names: Vec<_> = std::fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.sqlite")]);
        let connection =
            Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let count: i64 = connection
            .query_row("SELECT count(*) FROM entities", [], |row| row.get(0))
            .unwrap();
        assert_eq!(count, 1);
        assert!(matches!(
            GraphWriter::create(&path),
            Err(StoreError::AlreadyExists { .. })
        ));
    }

    #[test]
    fn texts_are_cut_on_a_character_boundary() {
        assert_eq!(cut("héllo", 2), "h");
        assert_eq!(cut("héllo", 3), "hé");
        assert_eq!(cut("abc", 10), "abc");
    }
}
