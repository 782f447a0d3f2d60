//! `linkscope push FILE URL`: a graph file's five data tables copied into a
//! schema with binary COPY, in one transaction, then indexed for search and
//! expansion. Cancelled or failed, the transaction rolls back and the
//! server holds nothing of it.

use std::path::Path;

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

/// Keys and indexes, built after the rows are in (faster than keeping them
/// up to date row by row). Expansion reads `relations` from either end
/// with the columns it needs in the index (an index-only scan); names are
/// searched by trigram similarity, excerpts by full text.
const INDEXES: [&str; 9] = [
    "ALTER TABLE {s}.entities ADD PRIMARY KEY (id)",
    "ALTER TABLE {s}.relations ADD PRIMARY KEY (id)",
    "ALTER TABLE {s}.documents ADD PRIMARY KEY (id)",
    "ALTER TABLE {s}.excerpts ADD PRIMARY KEY (id)",
    "ALTER TABLE {s}.relation_excerpts ADD PRIMARY KEY (relation_id, excerpt_id)",
    "CREATE INDEX relations_by_subject ON {s}.relations (subject_id) INCLUDE (object_id, id, kind)",
    "CREATE INDEX relations_by_object ON {s}.relations (object_id) INCLUDE (subject_id, id, kind)",
    "CREATE INDEX relation_excerpts_by_excerpt ON {s}.relation_excerpts (excerpt_id)",
    "CREATE INDEX excerpts_text_search ON {s}.excerpts USING gin (to_tsvector('simple', text))",
];
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

/// Copies `file` into `target`'s schema (created when missing; refused
/// when it already holds a graph). `progress` gets (table, rows done, of).
pub fn push(
    file: &Path,
    target: &PgTarget,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<PushSummary, PgError> {
    let dump = TableDump::open(file)?;
    let mut client = target.connect()?;
    let mut transaction = client
        .transaction()
        .map_err(target.failed("starting the transaction"))?;
    let schema = format!("\"{}\"", target.schema);
    transaction
        .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
        .map_err(target.failed("creating the schema"))?;
    for table in DATA_TABLES {
        let taken = transaction
            .query_opt(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
                &[&target.schema, &table.name],
            )
            .map_err(target.failed("looking at the schema"))?;
        if taken.is_some() {
            return Err(PgError::SchemaTaken {
                target: target.to_string(),
                schema: target.schema.clone(),
                table: table.name.to_owned(),
            });
        }
    }
    for create in CREATE {
        transaction
            .batch_execute(&format!("CREATE TABLE {schema}.{create}"))
            .map_err(target.failed("creating the tables"))?;
    }
    let mut summary = PushSummary::default();
    for (index, table) in DATA_TABLES.iter().enumerate() {
        let total = dump.count(table)?;
        progress(table.name, 0, total);
        let names = columns(table);
        let types: Vec<Type> = names
            .iter()
            .map(|name| if is_id(name) { Type::INT8 } else { Type::TEXT })
            .collect();
        let sql = format!(
            "COPY {} ({}) FROM STDIN (FORMAT binary)",
            target.table(table.name),
            names.join(", ")
        );
        let copy = transaction
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
    }
    progress("indexes", 0, INDEXES.len() as u64 + 1);
    for (done, index) in INDEXES.iter().enumerate() {
        transaction
            .batch_execute(&index.replace("{s}", &schema))
            .map_err(target.failed("building the indexes"))?;
        progress("indexes", done as u64 + 1, INDEXES.len() as u64 + 1);
    }
    summary.no_trigram = trigram_index(&mut transaction, &schema).err();
    progress(
        "indexes",
        INDEXES.len() as u64 + 1,
        INDEXES.len() as u64 + 1,
    );
    transaction
        .batch_execute(&format!("ANALYZE {schema}.entities, {schema}.relations, {schema}.excerpts, {schema}.relation_excerpts"))
        .map_err(target.failed("analysing the tables"))?;
    transaction.commit().map_err(target.failed("committing"))?;
    Ok(summary)
}

/// The trigram index on names, in a savepoint: `pg_trgm` may be missing,
/// or the role may not create it; the push goes on without (name search
/// then scans), and says why.
fn trigram_index(transaction: &mut postgres::Transaction<'_>, schema: &str) -> Result<(), String> {
    let mut savepoint = transaction
        .savepoint("trigram")
        .map_err(|error| error.to_string())?;
    let built = savepoint
        .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        .and_then(|()| savepoint.batch_execute(&TRIGRAM_INDEX.replace("{s}", schema)));
    match built {
        Ok(()) => savepoint.commit().map_err(|error| error.to_string()),
        Err(error) => {
            let message = error
                .as_db_error()
                .map_or_else(|| error.to_string(), |db| db.message().to_owned());
            let _ = savepoint.rollback();
            Err(message)
        }
    }
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
