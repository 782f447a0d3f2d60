//! `linkscope push FILE URL`: a graph file's five data tables copied into a
//! schema with binary COPY, then indexed for search and expansion.
//!
//! The rows go into a staging schema of their own first, so that the
//! indexes can be built on two connections at once: the full-text index on
//! the excerpts (the longest step by far: GIN builds are not parallel
//! before PostgreSQL 18) starts as soon as the excerpts are in, while the
//! other tables are copied and indexed beside it. One last transaction
//! moves the finished tables into the target schema, so the target never
//! holds half a graph. Cancelled or failed, the staging schema is dropped.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use rusqlite::types::ValueRef;

use super::{PgError, PgTarget};
use crate::store::dump::{DATA_TABLES, TableDump, columns};

/// The tables as PostgreSQL holds them: the file format's columns, with ids
/// as `bigint` and every other value as text, so a pulled file reads back
/// the same.
const CREATE: [&str; 5] = [
    "entities (id bigint NOT NULL, kind text NOT NULL, name text NOT NULL, description text, date_start text, date_end text, properties text)",
    "relations (id bigint NOT NULL, subject_id bigint NOT NULL, object_id bigint NOT NULL, kind text NOT NULL, label text, date_start text, date_end text, properties text)",
    "documents (id bigint NOT NULL, title text NOT NULL, author text, publisher text, url text, published text, language text, reliability text)",
    "excerpts (id bigint NOT NULL, document_id bigint NOT NULL, text text NOT NULL, locator text, credibility text)",
    "relation_excerpts (relation_id bigint NOT NULL, excerpt_id bigint NOT NULL)",
];

/// Primary keys, built as unique indexes beside the others (a `CREATE
/// INDEX` lets another be built on the same table at once; `ADD PRIMARY
/// KEY` would lock it) and turned into constraints when the tables move.
const KEYS: [(&str, &str); 5] = [
    ("entities", "id"),
    ("relations", "id"),
    ("documents", "id"),
    ("excerpts", "id"),
    ("relation_excerpts", "relation_id, excerpt_id"),
];

/// Expansion reads `relations` from either end with the columns it needs
/// in the index (an index-only scan).
const INDEXES: [&str; 3] = [
    "CREATE INDEX relations_by_subject ON {s}.relations (subject_id) INCLUDE (object_id, id, kind)",
    "CREATE INDEX relations_by_object ON {s}.relations (object_id) INCLUDE (subject_id, id, kind)",
    "CREATE INDEX relation_excerpts_by_excerpt ON {s}.relation_excerpts (excerpt_id)",
];
/// Excerpts are searched by full text: built on the second connection.
const TEXT_INDEX: &str =
    "CREATE INDEX excerpts_text_search ON {s}.excerpts USING gin (to_tsvector('simple', text))";
/// Names are searched by trigram similarity.
const TRIGRAM_INDEX: &str =
    "CREATE INDEX entities_name_trigram ON {s}.entities USING gin (name gin_trgm_ops)";

/// What a push wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PushSummary {
    /// Rows written, per table in [`DATA_TABLES`] order.
    pub rows: [u64; 5],
    /// Rows left out (an id that is not an integer), per table.
    pub skipped: [u64; 5],
    /// Why the trigram index is missing, when it is.
    pub no_trigram: Option<String>,
}

/// The staging schema of a push into `schema`: one name per target, so a
/// second push into the same schema meets the first instead of racing it.
fn staging_name(schema: &str) -> String {
    let mut name = format!("linkscope_push_{schema}");
    // Schema names are plain ASCII (checked by PgTarget), so any byte
    // boundary is a character boundary.
    name.truncate(63);
    name
}

/// Copies `file` into `target`'s schema (created when missing; refused
/// when it already holds a graph). `progress` gets (step, done, of);
/// setting `cancel` stops the push, queries included, and drops what it
/// wrote.
pub fn push(
    file: &Path,
    target: &PgTarget,
    progress: &mut dyn FnMut(&str, u64, u64),
    cancel: &AtomicBool,
) -> Result<PushSummary, PgError> {
    let dump = TableDump::open(file)?;
    let mut client = target.connect()?;
    let staging = staging_name(&target.schema);
    prepare(&mut client, target, &staging)?;
    let tokens = Arc::new(Mutex::new(vec![client.cancel_token()]));
    let finished = Arc::new(AtomicBool::new(false));
    let result = std::thread::scope(|scope| {
        scope.spawn(|| cancel_when_asked(target, cancel, &finished, &tokens));
        let result = fill(
            &dump,
            &mut client,
            target,
            &staging,
            progress,
            cancel,
            &tokens,
        );
        finished.store(true, Ordering::Relaxed);
        result
    });
    match result {
        Ok(summary) => Ok(summary),
        Err(error) => {
            drop_staging(&mut client, target, &staging);
            Err(if cancel.load(Ordering::Relaxed) {
                PgError::PushCancelled(target.to_string())
            } else {
                error
            })
        }
    }
}

/// Checks that the target holds no graph and no other push is under way
/// (or was killed) into it, then creates the staging tables.
fn prepare(client: &mut postgres::Client, target: &PgTarget, staging: &str) -> Result<(), PgError> {
    for table in DATA_TABLES {
        if table_exists(client, target, &target.schema, table.name)? {
            return Err(PgError::SchemaTaken {
                target: target.to_string(),
                schema: target.schema.clone(),
                table: table.name.to_owned(),
            });
        }
    }
    let left = client
        .query_opt("SELECT 1 FROM pg_namespace WHERE nspname = $1", &[&staging])
        .map_err(target.failed("looking at the schemas"))?;
    if left.is_some() {
        return Err(PgError::StagingLeft {
            target: target.to_string(),
            staging: staging.to_owned(),
        });
    }
    let mut statements = vec![
        format!("CREATE SCHEMA IF NOT EXISTS \"{}\"", target.schema),
        format!("CREATE SCHEMA \"{staging}\""),
    ];
    statements.extend(
        CREATE
            .iter()
            .map(|create| format!("CREATE TABLE \"{staging}\".{create}")),
    );
    in_one_transaction(client, target, &statements, "creating the staging tables")
}

/// Runs `statements` in one transaction (rolled back on failure).
fn in_one_transaction(
    client: &mut postgres::Client,
    target: &PgTarget,
    statements: &[String],
    context: &str,
) -> Result<(), PgError> {
    let mut transaction = client
        .transaction()
        .map_err(target.failed("starting the transaction"))?;
    transaction
        .batch_execute(&statements.join(";"))
        .map_err(target.failed(context))?;
    transaction.commit().map_err(target.failed("committing"))
}

fn table_exists(
    client: &mut postgres::Client,
    target: &PgTarget,
    schema: &str,
    table: &str,
) -> Result<bool, PgError> {
    let found = client
        .query_opt(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
            &[&schema, &table],
        )
        .map_err(target.failed("looking at the schema"))?;
    Ok(found.is_some())
}

/// Sends the server a cancel for every open query once `cancel` is set,
/// until `finished`.
fn cancel_when_asked(
    target: &PgTarget,
    cancel: &AtomicBool,
    finished: &AtomicBool,
    tokens: &Mutex<Vec<postgres::CancelToken>>,
) {
    while !finished.load(Ordering::Relaxed) {
        if cancel.load(Ordering::Relaxed) {
            cancel_queries(target, tokens);
            std::thread::sleep(Duration::from_millis(500));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Sends the server a cancel for the query each connection runs (none
/// running: nothing happens).
fn cancel_queries(target: &PgTarget, tokens: &Mutex<Vec<postgres::CancelToken>>) {
    let tokens = tokens
        .lock()
        .map(|tokens| tokens.clone())
        .unwrap_or_default();
    for token in tokens {
        let _ = target.cancel(&token);
    }
}

/// Best effort: a staging schema left behind is named in the next push's
/// message.
fn drop_staging(client: &mut postgres::Client, target: &PgTarget, staging: &str) {
    let sql = format!("DROP SCHEMA IF EXISTS \"{staging}\" CASCADE");
    if client.batch_execute(&sql).is_err()
        && let Ok(mut fresh) = target.connect()
    {
        let _ = fresh.batch_execute(&sql);
    }
}

/// Copies the rows and builds the indexes in the staging schema, then
/// moves the tables into the target.
fn fill(
    dump: &TableDump,
    client: &mut postgres::Client,
    target: &PgTarget,
    staging: &str,
    progress: &mut dyn FnMut(&str, u64, u64),
    cancel: &AtomicBool,
    tokens: &Mutex<Vec<postgres::CancelToken>>,
) -> Result<PushSummary, PgError> {
    let quoted = format!("\"{staging}\"");
    let mut summary = PushSummary::default();
    let excerpts = table_index("excerpts");
    copy_table(
        dump,
        client,
        target,
        &quoted,
        excerpts,
        &mut summary,
        progress,
        cancel,
    )?;
    let (rest, text) = std::thread::scope(|scope| {
        let text = scope.spawn(|| index_excerpts(target, &quoted, cancel, tokens));
        let rest = copy_and_index_the_rest(
            dump,
            client,
            target,
            &quoted,
            &mut summary,
            progress,
            cancel,
        );
        if rest.is_err() {
            // Nothing would wait for the full-text index now.
            cancel_queries(target, tokens);
        }
        let text = text
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (rest, text)
    });
    rest?;
    text?;
    progress("moving into the schema", 0, 1);
    move_into_target(client, target, &quoted)?;
    progress("moving into the schema", 1, 1);
    Ok(summary)
}

fn table_index(name: &str) -> usize {
    DATA_TABLES
        .iter()
        .position(|table| table.name == name)
        .unwrap_or_default()
}

/// The second connection's work: the excerpts' key and full-text index.
fn index_excerpts(
    target: &PgTarget,
    staging: &str,
    cancel: &AtomicBool,
    tokens: &Mutex<Vec<postgres::CancelToken>>,
) -> Result<(), PgError> {
    let mut second = target.connect()?;
    if let Ok(mut tokens) = tokens.lock() {
        tokens.push(second.cancel_token());
    }
    stop_if_cancelled(target, cancel)?;
    second
        .batch_execute(&format!(
            "CREATE UNIQUE INDEX excerpts_pkey ON {staging}.excerpts (id); {}; ANALYZE {staging}.excerpts",
            TEXT_INDEX.replace("{s}", staging)
        ))
        .map_err(target.failed("building the full-text index on excerpts"))
}

/// The first connection's work beside it: the other tables, their keys and
/// indexes.
fn copy_and_index_the_rest(
    dump: &TableDump,
    client: &mut postgres::Client,
    target: &PgTarget,
    staging: &str,
    summary: &mut PushSummary,
    progress: &mut dyn FnMut(&str, u64, u64),
    cancel: &AtomicBool,
) -> Result<(), PgError> {
    for (index, table) in DATA_TABLES.iter().enumerate() {
        if table.name != "excerpts" {
            copy_table(
                dump, client, target, staging, index, summary, progress, cancel,
            )?;
        }
    }
    let mut steps: Vec<String> = KEYS
        .iter()
        .filter(|(table, _)| *table != "excerpts")
        .map(|(table, key)| {
            format!("CREATE UNIQUE INDEX {table}_pkey ON {staging}.{table} ({key})")
        })
        .collect();
    steps.extend(INDEXES.iter().map(|index| index.replace("{s}", staging)));
    let total = steps.len() as u64 + 2;
    for (done, step) in steps.iter().enumerate() {
        progress("indexes", done as u64, total);
        client
            .batch_execute(step)
            .map_err(target.failed("building the indexes"))?;
    }
    progress("indexes", total - 2, total);
    summary.no_trigram = trigram_index(client, staging).err();
    stop_if_cancelled(target, cancel)?;
    client
        .batch_execute(&format!(
            "ANALYZE {staging}.entities, {staging}.relations, {staging}.relation_excerpts"
        ))
        .map_err(target.failed("analysing the tables"))?;
    progress("indexes", total, total);
    Ok(())
}

/// The one transaction that makes the graph appear in the target schema:
/// keys made constraints, tables moved, the staging schema dropped.
fn move_into_target(
    client: &mut postgres::Client,
    target: &PgTarget,
    staging: &str,
) -> Result<(), PgError> {
    let keys = KEYS.iter().map(|(table, _)| {
        format!("ALTER TABLE {staging}.{table} ADD CONSTRAINT {table}_pkey PRIMARY KEY USING INDEX {table}_pkey")
    });
    let moves = DATA_TABLES.iter().map(|table| {
        format!(
            "ALTER TABLE {staging}.{} SET SCHEMA \"{}\"",
            table.name, target.schema
        )
    });
    let mut statements: Vec<String> = keys.chain(moves).collect();
    statements.push(format!("DROP SCHEMA {staging}"));
    in_one_transaction(
        client,
        target,
        &statements,
        "moving the tables into the schema",
    )
}

fn stop_if_cancelled(target: &PgTarget, cancel: &AtomicBool) -> Result<(), PgError> {
    if cancel.load(Ordering::Relaxed) {
        Err(PgError::PushCancelled(target.to_string()))
    } else {
        Ok(())
    }
}

/// One table's rows, by binary COPY (its own transaction: the staging
/// schema is what keeps the target clean).
#[allow(clippy::too_many_arguments)]
fn copy_table(
    dump: &TableDump,
    client: &mut postgres::Client,
    target: &PgTarget,
    staging: &str,
    index: usize,
    summary: &mut PushSummary,
    progress: &mut dyn FnMut(&str, u64, u64),
    cancel: &AtomicBool,
) -> Result<(), PgError> {
    let table = DATA_TABLES[index];
    let total = dump.count(table)?;
    progress(table.name, 0, total);
    let names = columns(table);
    let types: Vec<Type> = names
        .iter()
        .map(|name| if is_id(name) { Type::INT8 } else { Type::TEXT })
        .collect();
    let sql = format!(
        "COPY {staging}.\"{}\" ({}) FROM STDIN (FORMAT binary)",
        table.name,
        names.join(", ")
    );
    let copy = client
        .copy_in(&sql)
        .map_err(target.failed(&format!("copying {}", table.name)))?;
    let mut writer = BinaryCopyInWriter::new(copy, &types);
    let (mut written, mut skipped) = (0_u64, 0_u64);
    let mut cells: Vec<Cell> = Vec::with_capacity(names.len());
    dump.for_each_row(table, |row| -> Result<(), PgError> {
        cells.clear();
        for (value, name) in row.iter().zip(&names) {
            let cell = if is_id(name) {
                let Some(id) = id_of(*value) else {
                    skipped += 1;
                    return Ok(());
                };
                Cell::Id(id)
            } else {
                Cell::Text(text_of(*value))
            };
            cells.push(cell);
        }
        let values: Vec<&(dyn ToSql + Sync)> = cells.iter().map(Cell::as_sql).collect();
        writer
            .write(&values)
            .map_err(target.failed(&format!("copying {}", table.name)))?;
        written += 1;
        if written % 50_000 == 0 {
            stop_if_cancelled(target, cancel)?;
            progress(table.name, written, total);
        }
        Ok(())
    })?;
    writer
        .finish()
        .map_err(target.failed(&format!("copying {}", table.name)))?;
    progress(table.name, written, total);
    summary.rows[index] = written;
    summary.skipped[index] = skipped;
    Ok(())
}

/// The trigram index on names: `pg_trgm` may be missing, or the role may
/// not create it; the push goes on without (name search then scans), and
/// says why.
fn trigram_index(client: &mut postgres::Client, staging: &str) -> Result<(), String> {
    let built = client
        .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        .and_then(|()| client.batch_execute(&TRIGRAM_INDEX.replace("{s}", staging)));
    built.map_err(|error| {
        error
            .as_db_error()
            .map_or_else(|| error.to_string(), |db| db.message().to_owned())
    })
}

fn is_id(column: &str) -> bool {
    column == "id" || column.ends_with("_id")
}

/// One value to copy.
enum Cell {
    Id(i64),
    Text(Option<String>),
}

impl Cell {
    fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Self::Id(id) => id,
            Self::Text(text) => text,
        }
    }
}

/// An id as the loader reads it: an integer, or text or a real that is one.
fn id_of(value: ValueRef<'_>) -> Option<i64> {
    match value {
        ValueRef::Integer(id) => Some(id),
        ValueRef::Real(real) if real.fract() == 0.0 && real.abs() < 9.0e15 => Some(real as i64),
        ValueRef::Text(text) => std::str::from_utf8(text).ok()?.trim().parse().ok(),
        _ => None,
    }
}

/// Any value as text (numbers written out, bytes read as UTF-8 with
/// replacement); PostgreSQL text cannot hold NUL, which becomes U+FFFD.
fn text_of(value: ValueRef<'_>) -> Option<String> {
    let text = match value {
        ValueRef::Null => return None,
        ValueRef::Integer(number) => number.to_string(),
        ValueRef::Real(number) => number.to_string(),
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
            String::from_utf8_lossy(bytes).into_owned()
        }
    };
    Some(if text.contains('\0') {
        text.replace('\0', "\u{FFFD}")
    } else {
        text
    })
}
