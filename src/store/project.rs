//! The saved view inside a graph file: the `app_view` and `app_positions`
//! tables (see docs/file-format.md), read on open like any untrusted input
//! and written on an explicit save, in one transaction that never touches
//! the data tables.
//!
//! Saving into a stranger's file is guarded as opening is: triggers and
//! views are off on the writing connection, defensive mode is on and the
//! schema's functions are untrusted, so a trigger shipped on the app tables
//! cannot run. The app tables are dropped and created again with this
//! build's schema, so a hostile definition of them goes too.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::StoreError;
use super::limits::{PROPERTIES_MAX_BYTES, human_bytes};
use super::open::{FORMAT_VERSION, file_uri, table_kind};
use super::report::LoadReport;
use super::view_state::{SavedPosition, ViewState, is_valid_position};
use crate::model::Graph;
use crate::model::capture::CaptureSet;

/// The tables a save writes; nothing else in the file is written.
pub const APP_TABLES: [&str; 2] = ["app_view", "app_positions"];

const CREATE_APP_TABLES: &str = "
CREATE TABLE app_view (
    key         TEXT PRIMARY KEY,
    version     INTEGER NOT NULL,
    app_version TEXT NOT NULL,
    saved_at    TEXT NOT NULL,
    state       TEXT NOT NULL
);
CREATE TABLE app_positions (
    entity_id INTEGER PRIMARY KEY,
    x         REAL NOT NULL,
    y         REAL NOT NULL,
    pinned    INTEGER NOT NULL DEFAULT 0
);";

/// The JSON part of a saved view is read whole, so it is bounded.
const MAX_STATE_BYTES: u64 = PROPERTIES_MAX_BYTES;

/// What a save did, for the status bar and the log.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SaveOutcome {
    pub path: PathBuf,
    pub positions: usize,
    pub elapsed_ms: f64,
    /// Things about the file worth saying (triggers that did not run).
    pub notes: Vec<String>,
}

/// Writes `view` into the graph file at `path`, replacing any saved view,
/// in one transaction. The data tables are never written.
pub fn save_view(path: &Path, view: &ViewState) -> Result<SaveOutcome, StoreError> {
    save_view_with(path, view, None)
}

/// As [`save_view`], with the evidence the analyst captured (written in the
/// same transaction: the rows they created, and deletions of what they
/// retracted; see `store::capture`).
pub fn save_view_with(
    path: &Path,
    view: &ViewState,
    captures: Option<&CaptureSet>,
) -> Result<SaveOutcome, StoreError> {
    let started = Instant::now();
    let write_error = |source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    };
    if std::fs::metadata(path).is_ok_and(|metadata| metadata.permissions().readonly()) {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    let uri = file_uri(path, "mode=rw");
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut connection = Connection::open_with_flags(&uri, flags).map_err(|error| {
        if error.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) {
            StoreError::ReadOnly {
                path: path.to_path_buf(),
            }
        } else {
            write_error(error)
        }
    })?;
    harden_for_writing(&connection).map_err(write_error)?;
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(write_error)?;
    if version > FORMAT_VERSION {
        return Err(StoreError::NewerVersion {
            path: path.to_path_buf(),
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let notes = schema_notes(&connection).map_err(write_error)?;

    let transaction = connection
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|error| read_only_or(path, error))?;
    write_view_tables(&transaction, view).map_err(write_error)?;
    if let Some(captures) = captures {
        super::capture_write::write_captures(&transaction, captures).map_err(write_error)?;
    }
    transaction
        .commit()
        .map_err(|error| read_only_or(path, error))?;
    Ok(SaveOutcome {
        path: path.to_path_buf(),
        positions: view.positions.len(),
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        notes,
    })
}

/// Replaces the app tables on `connection` (inside the caller's
/// transaction) with `view`: what a save writes, and what an import writes
/// when its source carries a picture (GEXF's `viz:position`).
pub(crate) fn write_view_tables(connection: &Connection, view: &ViewState) -> rusqlite::Result<()> {
    let existing: Vec<(String, String)> = {
        let mut statement = connection
            .prepare("SELECT type, name FROM sqlite_schema WHERE name IN ('app_view', 'app_positions') AND type IN ('table', 'view')")?;
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .and_then(Iterator::collect)?
    };
    for (kind, name) in existing {
        // Names come from the fixed list above, so quoting them is safe.
        let kind = if kind == "view" { "VIEW" } else { "TABLE" };
        connection.execute_batch(&format!("DROP {kind} \"{name}\";"))?;
    }
    connection.execute_batch(CREATE_APP_TABLES)?;
    {
        let mut insert = connection
            .prepare("INSERT OR REPLACE INTO app_positions (entity_id, x, y, pinned) VALUES (?1, ?2, ?3, ?4)")?;
        for position in &view.positions {
            insert.execute(rusqlite::params![
                position.entity_id,
                f64::from(position.world[0]),
                f64::from(position.world[1]),
                i64::from(position.pinned),
            ])?;
        }
    }
    connection.execute(
        "INSERT INTO app_view (key, version, app_version, saved_at, state) VALUES ('view', ?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?3)",
        rusqlite::params![
            i64::from(view.version),
            env!("CARGO_PKG_VERSION"),
            view.to_json()
        ],
    )?;
    Ok(())
}

/// Writes a full copy of the graph file at `from` to `to` (through SQLite,
/// so the copy is consistent even if `from` is being read), then saves
/// `view` into the copy. An existing file at `to` is replaced only once the
/// copy is complete.
pub fn save_view_as(
    from: &Path,
    to: &Path,
    view: &ViewState,
    captures: Option<&CaptureSet>,
) -> Result<SaveOutcome, StoreError> {
    let io = |source| StoreError::Io {
        path: to.to_path_buf(),
        source,
    };
    let folder = to
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = to.file_name().ok_or_else(|| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the path names no file",
        ))
    })?;
    let partial = folder.join(format!(".{}.linkscope-partial", name.to_string_lossy()));
    let _ = std::fs::remove_file(&partial);
    let (source, _) = super::open::open_untrusted(from, None)?;
    // VACUUM INTO writes the copy through an attached database; the source
    // itself stays read-only and immutable.
    source
        .set_limit(Limit::SQLITE_LIMIT_ATTACHED, 1)
        .and_then(|_| source.execute_batch("PRAGMA query_only = OFF;"))
        .map_err(|error| StoreError::Write {
            path: to.to_path_buf(),
            source: error,
        })?;
    source
        .execute("VACUUM INTO ?1", [partial.to_string_lossy()])
        .map_err(|error| {
            let _ = std::fs::remove_file(&partial);
            StoreError::Write {
                path: to.to_path_buf(),
                source: error,
            }
        })?;
    drop(source);
    let saved = save_view_with(&partial, view, captures).and_then(|outcome| {
        std::fs::rename(&partial, to).map_err(io)?;
        Ok(outcome)
    });
    if saved.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    saved.map(|outcome| SaveOutcome {
        path: to.to_path_buf(),
        ..outcome
    })
}

fn read_only_or(path: &Path, error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => {
            StoreError::ReadOnly {
                path: path.to_path_buf(),
            }
        }
        _ => StoreError::Write {
            path: path.to_path_buf(),
            source: error,
        },
    }
}

fn harden_for_writing(connection: &Connection) -> rusqlite::Result<()> {
    connection.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    connection.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    connection.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    connection.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    connection.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA cell_size_check = ON;")
}

/// Triggers and views in the file, said once: none of them runs when
/// Linkscope saves, and those on the app tables are replaced.
fn schema_notes(connection: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = connection.prepare(
        "SELECT type, name, tbl_name FROM sqlite_schema WHERE type IN ('trigger', 'view') ORDER BY type, name",
    )?;
    let rows: Vec<(String, String, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows
        .into_iter()
        .map(|(kind, name, table)| {
            let on_app = APP_TABLES.contains(&table.as_str()) || APP_TABLES.contains(&name.as_str());
            match (kind.as_str(), on_app) {
                ("trigger", true) => format!(
                    "the file has a trigger `{name}` on `{table}`, a table Linkscope saves into: it did not run, and it was removed with the old saved view"
                ),
                ("trigger", false) => format!(
                    "the file has a trigger `{name}` on `{table}`: triggers never run when Linkscope saves"
                ),
                (_, true) => format!(
                    "the file has a view named `{name}` where Linkscope keeps its saved view: it was replaced by a table"
                ),
                _ => format!("the file has a view `{name}`: Linkscope neither reads nor writes views"),
            }
        })
        .collect())
}

/// Reads the saved view of an opened file, checking it as untrusted input:
/// a part that cannot be right is skipped with a note in `report`, and the
/// rest of the view (and the graph) is used.
pub(crate) fn read_saved_view(
    connection: &Connection,
    graph: &Graph,
    report: &mut LoadReport,
) -> Option<ViewState> {
    let mut note = |text: String| report.notes.push(format!("saved view: {text}"));
    match (
        table_kind(connection, "app_view"),
        table_kind(connection, "app_positions"),
    ) {
        (Ok(None), Ok(None)) => return None,
        (Ok(Some(view)), Ok(Some(positions))) if view == "table" && positions == "table" => {}
        (Ok(view), Ok(positions)) => {
            note(format!(
                "app_view is {}, app_positions is {}: both must be tables; the view was not restored",
                view.as_deref().unwrap_or("missing"),
                positions.as_deref().unwrap_or("missing")
            ));
            return None;
        }
        (Err(error), _) | (_, Err(error)) => {
            note(format!("could not be read ({error}); it was not restored"));
            return None;
        }
    }
    let state = connection.query_row(
        "SELECT octet_length(state), CASE WHEN octet_length(state) <= ?1 THEN state END FROM app_view WHERE key = 'view'",
        [MAX_STATE_BYTES as i64],
        |row| Ok((row.get::<_, Option<i64>>(0)?, row.get::<_, Option<String>>(1)?)),
    );
    let mut view = match state {
        Ok((_, Some(json))) => match ViewState::from_json(&json) {
            Ok(view) => view,
            Err(error) => {
                note(format!("{error}"));
                return None;
            }
        },
        Ok((bytes, None)) => {
            note(format!(
                "its settings are {}, over the {} limit; the view was not restored",
                human_bytes(bytes.unwrap_or(0).max(0) as u64),
                human_bytes(MAX_STATE_BYTES)
            ));
            return None;
        }
        Err(rusqlite::Error::QueryReturnedNoRows) => {
            note("app_view has no 'view' row; the view was not restored".to_owned());
            return None;
        }
        Err(error) => {
            note(format!("could not be read ({error}); it was not restored"));
            return None;
        }
    };
    match read_positions(connection, graph) {
        Ok((positions, problems)) => {
            view.positions = positions;
            if !problems.is_empty() {
                note(problems);
            }
        }
        Err(error) => {
            note(format!(
                "positions could not be read ({error}); they were not restored"
            ));
        }
    }
    Some(view)
}

/// The saved positions of entities in `graph`, and a description of the
/// rows left out (empty when none was).
fn read_positions(
    connection: &Connection,
    graph: &Graph,
) -> rusqlite::Result<(Vec<SavedPosition>, String)> {
    let mut statement = connection
        .prepare("SELECT entity_id, x, y, pinned FROM app_positions ORDER BY entity_id")?;
    let mut rows = statement.query([])?;
    let mut positions = Vec::with_capacity(graph.node_count());
    let (mut unknown, mut bad, mut duplicate) = (0_usize, 0_usize, 0_usize);
    let mut examples = String::new();
    let mut seen = vec![false; graph.node_count()];
    // A hostile table could hold far more rows than the graph has nodes.
    let most = graph.node_count().saturating_mul(2).saturating_add(1000);
    let mut read = 0_usize;
    while let Some(row) = rows.next()? {
        read += 1;
        if read > most {
            let _ = write!(examples, " (stopped after {most} rows)");
            break;
        }
        let number = |index| match row.get_ref(index) {
            Ok(ValueRef::Real(value)) => Some(value as f32),
            Ok(ValueRef::Integer(value)) => Some(value as f32),
            _ => None,
        };
        let entity_id = match row.get_ref(0) {
            Ok(ValueRef::Integer(id)) => Some(id),
            _ => None,
        };
        let pinned = match row.get_ref(3) {
            Ok(ValueRef::Integer(0)) => Some(false),
            Ok(ValueRef::Integer(1)) => Some(true),
            _ => None,
        };
        let (Some(entity_id), Some(x), Some(y), Some(pinned)) =
            (entity_id, number(1), number(2), pinned)
        else {
            bad += 1;
            continue;
        };
        if !is_valid_position([x, y]) {
            bad += 1;
            if bad <= 3 {
                let _ = write!(examples, " entity {entity_id} at ({x}, {y});");
            }
            continue;
        }
        let Some(node) = graph.node_by_db_id(entity_id) else {
            unknown += 1;
            continue;
        };
        if std::mem::replace(&mut seen[node as usize], true) {
            duplicate += 1;
            continue;
        }
        positions.push(SavedPosition {
            entity_id,
            world: [x, y],
            pinned,
        });
    }
    let mut problems = Vec::new();
    if bad > 0 {
        problems.push(format!(
            "{bad} position rows with bad values were skipped;{examples}"
        ));
    }
    if unknown > 0 {
        problems.push(format!(
            "{unknown} positions name entities that are not in the graph (deleted, or skipped on load) and were ignored"
        ));
    }
    if duplicate > 0 {
        problems.push(format!("{duplicate} duplicate positions were ignored"));
    }
    Ok((positions, problems.join("; ")))
}
