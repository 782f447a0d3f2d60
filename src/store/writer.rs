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

mod worker;

use std::cell::RefCell;
use std::sync::mpsc::SyncSender;
use std::thread::JoinHandle;

use rusqlite::Connection;

use self::worker::Command;

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

/// A new graph file being written (see the module's doc). The SQLite work
/// runs on a thread of its own ([`worker`]); ids are given here, at once.
pub struct GraphWriter {
    commands: Option<SyncSender<Vec<Command>>>,
    /// Commands not yet sent (a cell, so that a query through `&self`
    /// can send them ahead of itself).
    batch: RefCell<Vec<Command>>,
    worker: Option<JoinHandle<rusqlite::Result<()>>>,
    /// The output's final name; None for an in-memory file.
    target: Option<PathBuf>,
    partial: Option<PathBuf>,
    counts: WrittenCounts,
    finished: bool,
}

/// Commands sent together: few enough to keep memory small, enough that
/// the channel costs nothing per row.
const BATCH: usize = 256;
/// Batches in flight before the importer waits for SQLite.
const BATCHES_IN_FLIGHT: usize = 32;

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
        let connection = Connection::open_with_flags(&partial, flags);
        let mut writer = Self {
            commands: None,
            batch: RefCell::new(Vec::new()),
            worker: None,
            target: Some(path.to_path_buf()),
            partial: Some(partial),
            counts: WrittenCounts::default(),
            finished: false,
        };
        writer.start(connection.map_err(write)?).map_err(write)?;
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
            commands: None,
            batch: RefCell::new(Vec::new()),
            worker: None,
            target: None,
            partial: None,
            counts: WrittenCounts::default(),
            finished: false,
        };
        writer.start(connection).map_err(write)?;
        Ok(writer)
    }

    fn start(&mut self, connection: Connection) -> rusqlite::Result<()> {
        // The partial file is thrown away on any failure: no journal needed.
        // A page cache big enough that a million-row import does not re-read
        // the pages it just wrote (64 MiB; memory stays bounded).
        connection.execute_batch(
            "PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;",
        )?;
        connection.execute_batch(SCHEMA)?;
        connection.execute_batch("BEGIN")?;
        let (sender, receiver) = std::sync::mpsc::sync_channel(BATCHES_IN_FLIGHT);
        let worker = std::thread::Builder::new()
            .name("graph-writer".into())
            .spawn(move || worker::run(connection, &receiver))
            .map_err(|error| stopped(&error.to_string()))?;
        self.commands = Some(sender);
        self.worker = Some(worker);
        self.batch = RefCell::new(Vec::with_capacity(BATCH));
        Ok(())
    }

    fn path(&self) -> PathBuf {
        self.target
            .clone()
            .unwrap_or_else(|| PathBuf::from(":memory:"))
    }

    pub fn counts(&self) -> WrittenCounts {
        self.counts
    }

    fn send(&mut self, command: Command) -> Result<(), StoreError> {
        let batch = self.batch.get_mut();
        batch.push(command);
        if batch.len() >= BATCH && !self.hand_over() {
            return Err(self.worker_error());
        }
        Ok(())
    }

    /// Hands the batch to the thread; false when the thread has stopped.
    fn hand_over(&self) -> bool {
        let batch = self.batch.replace(Vec::with_capacity(BATCH));
        match &self.commands {
            Some(commands) => commands.send(batch).is_ok(),
            None => false,
        }
    }

    /// Why the thread stopped (it stops only on an error, or when told).
    fn worker_error(&mut self) -> StoreError {
        self.commands = None;
        let source = match self.worker.take().map(JoinHandle::join) {
            Some(Ok(Err(error))) => error,
            Some(Err(_)) => stopped("the writing thread failed"),
            Some(Ok(Ok(()))) | None => stopped("the writer was already finished"),
        };
        StoreError::Write {
            path: self.path(),
            source,
        }
    }

    /// Writes an entity; returns its id.
    pub fn add_entity(&mut self, entity: NewEntity<'_>) -> Result<i64, StoreError> {
        let id = self.counts.entities as i64 + 1;
        self.send(Command::Entity {
            id,
            kind: cut(entity.kind, SHORT_TEXT_MAX_BYTES).to_owned(),
            name: cut(entity.name, SHORT_TEXT_MAX_BYTES).to_owned(),
            description: entity
                .description
                .map(|text| cut(text, LONG_TEXT_MAX_BYTES).to_owned()),
            date_start: small(entity.date_start),
            date_end: small(entity.date_end),
            properties: entity.properties,
        })?;
        self.counts.entities += 1;
        Ok(id)
    }

    /// Writes a relation between two written entities; returns its id.
    pub fn add_relation(&mut self, relation: NewRelation<'_>) -> Result<i64, StoreError> {
        let id = self.counts.relations as i64 + 1;
        self.send(Command::Relation {
            id,
            subject: relation.subject,
            object: relation.object,
            kind: cut(relation.kind, SHORT_TEXT_MAX_BYTES).to_owned(),
            label: short(relation.label),
            date_start: small(relation.date_start),
            date_end: small(relation.date_end),
            properties: relation.properties,
        })?;
        self.counts.relations += 1;
        Ok(id)
    }

    /// Writes a source document; returns its id.
    pub fn add_document(&mut self, document: &NewDocument<'_>) -> Result<i64, StoreError> {
        let id = self.counts.documents as i64 + 1;
        self.send(Command::Document(
            id,
            [
                Some(cut(document.title, SHORT_TEXT_MAX_BYTES).to_owned()),
                short(document.author),
                short(document.publisher),
                // A URL cut short would lead somewhere else: left out.
                document
                    .url
                    .filter(|url| url.len() as u64 <= URL_MAX_BYTES)
                    .map(str::to_owned),
                small(document.published),
                short(document.language),
                small(document.reliability),
            ],
        ))?;
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
        self.send(Command::Excerpt {
            id,
            document,
            text: cut(text, LONG_TEXT_MAX_BYTES).to_owned(),
            locator: short(locator),
            credibility: small(credibility),
        })?;
        self.counts.excerpts += 1;
        Ok(id)
    }

    /// Makes a relation cite an excerpt (once; a repeat is ignored).
    pub fn cite(&mut self, relation: i64, excerpt: i64) -> Result<(), StoreError> {
        self.send(Command::Cite(relation, excerpt))
    }

    /// Records what the import skipped or changed at `file:line`; the load
    /// report lists it. Past [`MAX_LISTED_PROBLEMS`] notes are only counted.
    pub fn note(&mut self, file: &str, line: Option<u64>, message: &str) -> Result<(), StoreError> {
        self.counts.notes += 1;
        if self.counts.notes > MAX_LISTED_PROBLEMS as u64 {
            return Ok(());
        }
        self.send(Command::Note {
            file: cut(file, SHORT_TEXT_MAX_BYTES).to_owned(),
            line: line.and_then(|line| i64::try_from(line).ok()),
            message: cut(message, SHORT_TEXT_MAX_BYTES).to_owned(),
        })
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
        self.send(Command::Positions(Box::new(view)))?;
        Ok(kept)
    }

    /// Runs `query` on the file being written, after every row sent so far:
    /// what an importer's tests ask of an in-memory file.
    pub fn query_one(&self, sql: &str) -> Result<Option<i64>, StoreError> {
        let (reply, answer) = std::sync::mpsc::channel();
        self.batch.borrow_mut().push(Command::Query {
            sql: sql.to_owned(),
            reply,
        });
        let answer = if self.hand_over() {
            answer
                .recv()
                .unwrap_or_else(|_| Err(stopped("the writing thread stopped")))
        } else {
            Err(stopped("the writing thread stopped"))
        };
        answer.map_err(|source| StoreError::Write {
            path: self.path(),
            source,
        })
    }

    /// Commits the rows and gives the file its final name (refusing to
    /// replace a file that appeared there meanwhile); returns its path.
    pub fn finish(mut self) -> Result<Option<PathBuf>, StoreError> {
        self.batch.get_mut().push(Command::Finish);
        if !self.hand_over() {
            return Err(self.worker_error());
        }
        self.commands = None;
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(Ok(()))) => {}
            Some(Ok(Err(source))) => {
                return Err(StoreError::Write {
                    path: self.path(),
                    source,
                });
            }
            Some(Err(_)) | None => {
                return Err(StoreError::Write {
                    path: self.path(),
                    source: stopped("the writing thread failed"),
                });
            }
        }
        self.finished = true;
        let (Some(target), Some(partial)) = (self.target.take(), self.partial.take()) else {
            return Ok(None);
        };
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
        // Closing the channel without a finish stops the thread uncommitted;
        // wait for it so the partial file is closed before it is removed.
        self.commands = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
        if !self.finished
            && let Some(partial) = self.partial.take()
        {
            let _ = std::fs::remove_file(partial);
        }
    }
}

/// The error for a writing thread that is gone.
fn stopped(why: &str) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISUSE),
        Some(why.to_owned()),
    )
}

fn short(text: Option<&str>) -> Option<String> {
    text.map(|text| cut(text, SHORT_TEXT_MAX_BYTES).to_owned())
}

fn small(text: Option<&str>) -> Option<String> {
    text.map(|text| cut(text, SMALL_VALUE_MAX_BYTES).to_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_file_opens_and_an_abandoned_one_leaves_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.sqlite");
        let mut writer = GraphWriter::create(&path).unwrap();
        let a = writer
            .add_entity(NewEntity {
                kind: "actor",
                name: "A",
                ..NewEntity::default()
            })
            .unwrap();
        let b = writer
            .add_entity(NewEntity {
                kind: "actor",
                name: "B",
                ..NewEntity::default()
            })
            .unwrap();
        writer
            .add_relation(NewRelation {
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
            .add_entity(NewEntity {
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
