//! The thread that owns a [`super::GraphWriter`]'s SQLite connection: the
//! importer parses on its own thread while this one inserts, so an import
//! takes about the longer of the two instead of their sum.
//!
//! Rows come in batches over a bounded channel (memory stays bounded when
//! SQLite is the slower side). The first SQLite error ends the thread; the
//! writer sees the closed channel and reports that error.

use std::sync::mpsc::{Receiver, Sender};

use rusqlite::{Connection, OptionalExtension, params};

use super::IMPORT_NOTES_TABLE;
use crate::store::view_state::ViewState;

/// One thing for the thread to do, in the order the importer asked.
pub(super) enum Command {
    Entity {
        id: i64,
        kind: String,
        name: String,
        description: Option<String>,
        date_start: Option<String>,
        date_end: Option<String>,
        properties: serde_json::Map<String, serde_json::Value>,
    },
    Relation {
        id: i64,
        subject: i64,
        object: i64,
        kind: String,
        label: Option<String>,
        date_start: Option<String>,
        date_end: Option<String>,
        properties: serde_json::Map<String, serde_json::Value>,
    },
    /// id, then title, author, publisher, url, published, language, reliability.
    Document(i64, [Option<String>; 7]),
    Excerpt {
        id: i64,
        document: i64,
        text: String,
        locator: Option<String>,
        credibility: Option<String>,
    },
    Cite(i64, i64),
    Note {
        file: String,
        line: Option<i64>,
        message: String,
    },
    Positions(Box<ViewState>),
    Query {
        sql: String,
        reply: Sender<rusqlite::Result<Option<i64>>>,
    },
    /// Commit and close the file; nothing follows.
    Finish,
}

/// Runs until the channel closes or [`Command::Finish`]; only a finish
/// commits (a writer dropped without one leaves its partial file to be
/// removed).
pub(super) fn run(
    connection: Connection,
    commands: &Receiver<Vec<Command>>,
) -> rusqlite::Result<()> {
    let finished = apply(&connection, commands)?;
    if finished {
        connection.execute_batch("COMMIT")?;
        connection.close().map_err(|(_, error)| error)?;
    }
    Ok(())
}

/// Rows per multi-row insert: one statement's cursor serves them all.
///
/// Entity and relation ids are not bound: SQLite gives each new row the
/// table's largest id plus one, which is the writer's count (the tables
/// start empty, and the first failed insert ends the import), and an
/// assigned id appends at the table's end where an explicit one would
/// first be looked up from the root (most of an insert's cost).
const ROWS_PER_INSERT: usize = 64;

/// A multi-row insert's SQL: `columns` values per row, `rows` rows.
fn insert_sql(head: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::from(head);
    sql.push_str(" VALUES ");
    let mut index = 1;
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push(',');
            }
            sql.push('?');
            sql.push_str(&index.to_string());
            index += 1;
        }
        sql.push(')');
    }
    sql
}

const ENTITY_INSERT: &str =
    "INSERT INTO entities (kind, name, description, date_start, date_end, properties)";
const RELATION_INSERT: &str =
    "INSERT INTO relations (subject_id, object_id, kind, label, date_start, date_end, properties)";

/// Binds one entity's values from parameter `first` on.
fn bind_entity(
    statement: &mut rusqlite::Statement<'_>,
    first: usize,
    command: &Command,
) -> rusqlite::Result<()> {
    if let Command::Entity {
        id: _,
        kind,
        name,
        description,
        date_start,
        date_end,
        properties,
    } = command
    {
        statement.raw_bind_parameter(first, kind)?;
        statement.raw_bind_parameter(first + 1, name)?;
        statement.raw_bind_parameter(first + 2, description)?;
        statement.raw_bind_parameter(first + 3, date_start)?;
        statement.raw_bind_parameter(first + 4, date_end)?;
        statement.raw_bind_parameter(first + 5, properties_json(properties))?;
    }
    Ok(())
}

/// Binds one relation's values from parameter `first` on.
fn bind_relation(
    statement: &mut rusqlite::Statement<'_>,
    first: usize,
    command: &Command,
) -> rusqlite::Result<()> {
    if let Command::Relation {
        id: _,
        subject,
        object,
        kind,
        label,
        date_start,
        date_end,
        properties,
    } = command
    {
        statement.raw_bind_parameter(first, subject)?;
        statement.raw_bind_parameter(first + 1, object)?;
        statement.raw_bind_parameter(first + 2, kind)?;
        statement.raw_bind_parameter(first + 3, label)?;
        statement.raw_bind_parameter(first + 4, date_start)?;
        statement.raw_bind_parameter(first + 5, date_end)?;
        statement.raw_bind_parameter(first + 6, properties_json(properties))?;
    }
    Ok(())
}

type Binder = fn(&mut rusqlite::Statement<'_>, usize, &Command) -> rusqlite::Result<()>;

/// Inserts `rows` (all entities, or all relations): full chunks through the
/// multi-row statement, the rest one by one.
fn insert_rows(
    connection: &Connection,
    many: &mut rusqlite::Statement<'_>,
    one: &mut rusqlite::Statement<'_>,
    columns: usize,
    bind: Binder,
    rows: &[Command],
) -> rusqlite::Result<()> {
    let mut chunks = rows.chunks_exact(ROWS_PER_INSERT);
    for chunk in &mut chunks {
        for (index, row) in chunk.iter().enumerate() {
            bind(many, index * columns + 1, row)?;
        }
        many.raw_execute()?;
        check_ids(connection, chunk)?;
    }
    for row in chunks.remainder() {
        bind(one, 1, row)?;
        one.raw_execute()?;
    }
    check_ids(connection, chunks.remainder())
}

/// Whether SQLite gave the rows the ids the writer handed out (see
/// [`ROWS_PER_INSERT`]); a mismatch would link relations to wrong entities.
fn check_ids(connection: &Connection, rows: &[Command]) -> rusqlite::Result<()> {
    let expected = match rows.last() {
        Some(Command::Entity { id, .. } | Command::Relation { id, .. }) => *id,
        _ => return Ok(()),
    };
    if connection.last_insert_rowid() == expected {
        return Ok(());
    }
    Err(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERNAL),
        Some(format!(
            "row {expected} was written with id {}",
            connection.last_insert_rowid()
        )),
    ))
}

/// Applies the commands; true when they ended with a finish.
fn apply(connection: &Connection, commands: &Receiver<Vec<Command>>) -> rusqlite::Result<bool> {
    let mut entities = connection.prepare(&insert_sql(ENTITY_INSERT, 6, ROWS_PER_INSERT))?;
    let mut entity = connection.prepare(&insert_sql(ENTITY_INSERT, 6, 1))?;
    let mut relations = connection.prepare(&insert_sql(RELATION_INSERT, 7, ROWS_PER_INSERT))?;
    let mut relation = connection.prepare(&insert_sql(RELATION_INSERT, 7, 1))?;
    let mut document = connection.prepare(
        "INSERT INTO documents (id, title, author, publisher, url, published, language, reliability)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut excerpt = connection.prepare(
        "INSERT INTO excerpts (id, document_id, text, locator, credibility) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut cite = connection.prepare(
        "INSERT OR IGNORE INTO relation_excerpts (relation_id, excerpt_id) VALUES (?1, ?2)",
    )?;
    let mut notes_table = false;
    for batch in commands {
        let mut rest = batch.as_slice();
        while let Some(first) = rest.first() {
            // A run of entities or of relations goes in multi-row inserts.
            let run = match first {
                Command::Entity { .. } => rest
                    .iter()
                    .take_while(|command| matches!(command, Command::Entity { .. }))
                    .count(),
                Command::Relation { .. } => rest
                    .iter()
                    .take_while(|command| matches!(command, Command::Relation { .. }))
                    .count(),
                _ => 0,
            };
            if run > 0 {
                let (rows, after) = rest.split_at(run);
                if matches!(first, Command::Entity { .. }) {
                    insert_rows(connection, &mut entities, &mut entity, 6, bind_entity, rows)?;
                } else {
                    insert_rows(
                        connection,
                        &mut relations,
                        &mut relation,
                        7,
                        bind_relation,
                        rows,
                    )?;
                }
                rest = after;
                continue;
            }
            rest = &rest[1..];
            match first {
                Command::Entity { .. } | Command::Relation { .. } => {}
                Command::Document(
                    id,
                    [
                        title,
                        author,
                        publisher,
                        url,
                        published,
                        language,
                        reliability,
                    ],
                ) => {
                    document.execute(params![
                        id,
                        title.as_deref().unwrap_or_default(),
                        author,
                        publisher,
                        url,
                        published,
                        language,
                        reliability
                    ])?;
                }
                Command::Excerpt {
                    id,
                    document,
                    text,
                    locator,
                    credibility,
                } => {
                    excerpt.execute(params![id, document, text, locator, credibility])?;
                }
                Command::Cite(relation, excerpt) => {
                    cite.execute(params![relation, excerpt])?;
                }
                Command::Note {
                    file,
                    line,
                    message,
                } => {
                    if !notes_table {
                        // Only imported files that have something to say get the table.
                        connection.execute_batch(&format!(
                            "CREATE TABLE {IMPORT_NOTES_TABLE} (file TEXT NOT NULL, line INTEGER, message TEXT NOT NULL);"
                        ))?;
                        notes_table = true;
                    }
                    connection
                        .prepare_cached(&format!(
                            "INSERT INTO {IMPORT_NOTES_TABLE} (file, line, message) VALUES (?1, ?2, ?3)"
                        ))?
                        .execute(params![file, line, message])?;
                }
                Command::Positions(view) => {
                    crate::store::project::write_view_tables(connection, view)?;
                }
                Command::Query { sql, reply } => {
                    let answer = connection.query_row(sql, [], |row| row.get(0)).optional();
                    // The asker waits for this answer; if it has gone, so be it.
                    let _ = reply.send(answer);
                }
                Command::Finish => return Ok(true),
            }
        }
    }
    Ok(false)
}

/// The properties' JSON text, or none when there are none or they are too
/// big for the loader to read (kept out rather than cut into bad JSON).
fn properties_json(properties: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    if properties.is_empty() {
        return None;
    }
    let json = serde_json::to_string(properties).ok()?;
    (json.len() as u64 <= crate::store::limits::PROPERTIES_MAX_BYTES).then_some(json)
}
