//! Opening a graph file that may come from a stranger: read-only, immutable
//! (SQLite never writes a journal, rolls back a hot journal or creates
//! `-shm`/`-wal` files beside it), defensive, no triggers, no untrusted
//! schema functions, bounded value sizes, and only real tables.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::{Connection, OpenFlags};

use super::StoreError;
use super::limits::READ_WHOLE_MAX_BYTES;

/// The format version this build reads.
pub const FORMAT_VERSION: i64 = 1;

/// One table of the format: the columns without which a row means nothing,
/// and the optional ones (a missing optional column reads as NULL).
pub struct TableSpec {
    pub name: &'static str,
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

pub const ENTITIES: TableSpec = TableSpec {
    name: "entities",
    required: &["id", "kind", "name"],
    optional: &["description", "date_start", "date_end", "properties"],
};
pub const RELATIONS: TableSpec = TableSpec {
    name: "relations",
    required: &["id", "subject_id", "object_id", "kind"],
    optional: &["label", "date_start", "date_end", "properties"],
};
pub const DOCUMENTS: TableSpec = TableSpec {
    name: "documents",
    required: &["id", "title"],
    optional: &[
        "author",
        "publisher",
        "url",
        "published",
        "language",
        "reliability",
    ],
};
pub const EXCERPTS: TableSpec = TableSpec {
    name: "excerpts",
    required: &["id", "document_id", "text"],
    optional: &["locator", "credibility"],
};
pub const RELATION_EXCERPTS: TableSpec = TableSpec {
    name: "relation_excerpts",
    required: &["relation_id", "excerpt_id"],
    optional: &[],
};
/// The links with their stance (captured evidence), read in place of
/// [`RELATION_EXCERPTS`] only when the file has the column: a file without
/// it is read exactly as before, with no note about a missing column.
pub const RELATION_EXCERPTS_WITH_STANCE: TableSpec = TableSpec {
    name: "relation_excerpts",
    required: &["relation_id", "excerpt_id"],
    optional: &["stance"],
};

/// What the file actually has, so queries select NULL for missing optional
/// columns and skip evidence when its tables are absent.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub version: i64,
    /// Optional columns that are missing, as (table, column).
    pub missing_columns: Vec<(&'static str, &'static str)>,
    /// False when documents, excerpts and `relation_excerpts` are all absent.
    pub has_evidence: bool,
    /// `relation_excerpts` has the optional `stance` column (see
    /// docs/file-format.md, "Captured evidence").
    pub has_stance: bool,
    /// For each table read, the name that reaches its rowid (`rowid`, or
    /// `_rowid_` or `oid` when a column takes that name); absent for a
    /// `WITHOUT ROWID` table.
    pub rowids: Vec<(&'static str, &'static str)>,
    /// How the file stores text, for reading part of a value as bytes.
    pub encoding: TextEncoding,
}

/// `PRAGMA encoding`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TextEncoding {
    #[default]
    Utf8,
    Utf16Le,
    Utf16Be,
}

impl Schema {
    /// The SELECT list for `spec`: each column by name, or NULL if missing.
    pub fn select_list(&self, spec: &TableSpec) -> String {
        spec.required
            .iter()
            .chain(spec.optional)
            .map(|column| {
                if self.missing_columns.contains(&(spec.name, column)) {
                    "NULL".to_owned()
                } else {
                    format!("\"{column}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The name that reaches `table`'s rowid, if it has one.
    pub fn rowid_of(&self, table: &str) -> Option<&'static str> {
        self.rowids
            .iter()
            .find(|(name, _)| *name == table)
            .map(|&(_, rowid)| rowid)
    }
}

/// Opens `path` read-only with every safety setting on, checks the header,
/// the format version and the schema. `cancel` interrupts any running query.
pub fn open_untrusted(
    path: &Path,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<(Connection, Schema), StoreError> {
    check_header(path)?;
    let uri = file_uri(path, "mode=ro&immutable=1");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection =
        Connection::open_with_flags(&uri, flags).map_err(|error| damaged(path, &error))?;
    harden(&connection).map_err(|error| damaged(path, &error))?;
    if let Some(cancel) = cancel {
        connection.progress_handler(10_000, Some(move || cancel.load(Ordering::Relaxed)));
    }
    let version = check_version(path, &connection)?;
    let mut schema = check_schema(path, &connection)?;
    schema.version = version;
    schema.encoding = text_encoding(&connection).map_err(|error| damaged(path, &error))?;
    Ok((connection, schema))
}

/// The first 16 bytes of every SQLite database are "SQLite format 3\0".
fn check_header(path: &Path) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    if metadata.is_dir() {
        return Err(io(std::io::Error::other("it is a folder, not a file")));
    }
    let mut header = [0_u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(io)? {
            0 => break,
            n => read += n,
        }
    }
    if read < header.len() || &header != b"SQLite format 3\0" {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// A `file:` URI with the given query (`mode=ro&immutable=1` for reading),
/// percent-encoding everything that could be read as URI syntax, so a file
/// named `x?mode=rwc` stays a file name.
pub(crate) fn file_uri(path: &Path, query: &str) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for byte in absolute.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            uri.push(byte as char);
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri.push('?');
    uri.push_str(query);
    uri
}

fn harden(connection: &Connection) -> rusqlite::Result<()> {
    connection.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    connection.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    connection.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    connection.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    // Also refuses to read a stored value over the limit (`SQLITE_TOOBIG`):
    // larger values are measured and read in part (see `limits`).
    connection.set_limit(Limit::SQLITE_LIMIT_LENGTH, READ_WHOLE_MAX_BYTES as i32)?;
    connection.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    connection.execute_batch(
        "PRAGMA query_only = ON; PRAGMA cell_size_check = ON; PRAGMA mmap_size = 0;",
    )?;
    Ok(())
}

fn damaged(path: &Path, error: &rusqlite::Error) -> StoreError {
    StoreError::Damaged {
        path: path.to_path_buf(),
        detail: error.to_string(),
    }
}

fn check_version(path: &Path, connection: &Connection) -> Result<i64, StoreError> {
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|error| damaged(path, &error))?;
    if version > FORMAT_VERSION {
        return Err(StoreError::NewerVersion {
            path: path.to_path_buf(),
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    Ok(version)
}

/// Every table read must be an ordinary table (not a view, not a virtual
/// table whose module could run code) with its required columns. Entities
/// and relations must exist; without the three evidence tables the graph
/// still opens, with every relation unsupported.
fn check_schema(path: &Path, connection: &Connection) -> Result<Schema, StoreError> {
    let mut schema = Schema::default();
    let mut evidence_tables = 0;
    for spec in [
        &ENTITIES,
        &RELATIONS,
        &DOCUMENTS,
        &EXCERPTS,
        &RELATION_EXCERPTS,
    ] {
        let Some(kind) =
            table_kind(connection, spec.name).map_err(|error| damaged(path, &error))?
        else {
            if spec.name == ENTITIES.name || spec.name == RELATIONS.name {
                return Err(StoreError::MissingTable {
                    path: path.to_path_buf(),
                    table: spec.name,
                });
            }
            continue;
        };
        if kind != "table" {
            return Err(StoreError::NotARealTable {
                path: path.to_path_buf(),
                table: spec.name,
                found: kind,
            });
        }
        if spec.name != ENTITIES.name && spec.name != RELATIONS.name {
            evidence_tables += 1;
        }
        let present =
            table_columns(connection, spec.name).map_err(|error| damaged(path, &error))?;
        let has = |column: &str| present.iter().any(|name| name.eq_ignore_ascii_case(column));
        if let Some(column) = spec.required.iter().find(|column| !has(column)) {
            return Err(StoreError::MissingColumn {
                path: path.to_path_buf(),
                table: spec.name,
                column,
            });
        }
        for column in spec.optional.iter().filter(|column| !has(column)) {
            schema.missing_columns.push((spec.name, column));
        }
        if spec.name == RELATION_EXCERPTS.name {
            schema.has_stance = has("stance");
        }
        if let Some(rowid) = ["rowid", "_rowid_", "oid"]
            .into_iter()
            .filter(|alias| !has(alias))
            .find(|alias| {
                connection
                    .prepare(&format!("SELECT {alias} FROM \"{}\" LIMIT 0", spec.name))
                    .is_ok()
            })
        {
            schema.rowids.push((spec.name, rowid));
        }
    }
    match evidence_tables {
        0 => schema.has_evidence = false,
        3 => schema.has_evidence = true,
        _ => {
            let missing = [&DOCUMENTS, &EXCERPTS, &RELATION_EXCERPTS]
                .into_iter()
                .find(|spec| table_kind(connection, spec.name).ok().flatten().is_none())
                .map_or(DOCUMENTS.name, |spec| spec.name);
            return Err(StoreError::MissingTable {
                path: path.to_path_buf(),
                table: missing,
            });
        }
    }
    Ok(schema)
}

fn text_encoding(connection: &Connection) -> rusqlite::Result<TextEncoding> {
    let name: String = connection.query_row("PRAGMA encoding", [], |row| row.get(0))?;
    Ok(match name.to_ascii_lowercase().as_str() {
        "utf-16le" => TextEncoding::Utf16Le,
        "utf-16be" => TextEncoding::Utf16Be,
        _ => TextEncoding::Utf8,
    })
}

/// "table", "view", "virtual table", … or None when absent.
pub(crate) fn table_kind(connection: &Connection, table: &str) -> rusqlite::Result<Option<String>> {
    let mut lookup = connection.prepare_cached(
        "SELECT type, coalesce(sql, '') FROM sqlite_schema WHERE name = ?1 COLLATE NOCASE",
    )?;
    let mut rows = lookup.query([table])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let (kind, sql): (String, String) = (row.get(0)?, row.get(1)?);
    let is_virtual = sql
        .split_whitespace()
        .take(2)
        .any(|word| word.eq_ignore_ascii_case("virtual"));
    Ok(Some(if is_virtual {
        "virtual table".to_owned()
    } else {
        kind
    }))
}

fn table_columns(connection: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = connection.prepare("SELECT name FROM pragma_table_info(?1)")?;
    let names = statement.query_map([table], |row| row.get::<_, String>(0))?;
    names.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escapes_query_syntax_in_file_names() {
        let uri = file_uri(
            Path::new("/tmp/a b?mode=rwc#x.sqlite"),
            "mode=ro&immutable=1",
        );
        assert!(
            uri.starts_with("file:/tmp/a%20b%3Fmode%3Drwc%23x.sqlite"),
            "{uri}"
        );
        assert!(uri.ends_with("?mode=ro&immutable=1"));
    }
}
