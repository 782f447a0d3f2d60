//! What can go wrong when opening a graph file, worded for the analyst:
//! what was expected, what was found, and the path last.

use std::path::PathBuf;

/// Why a graph file could not be opened at all. Problems with single rows are
/// not errors: they go into the [`super::LoadReport`] and the rest opens.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not read the file: {source}: {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("this is not a graph file: it is not a SQLite database (its header does not start with \"SQLite format 3\"): {}", path.display())]
    NotSqlite { path: PathBuf },
    #[error("the file is damaged and SQLite cannot read it ({detail}): {}", path.display())]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "this graph file is format version {found}, but this Linkscope reads version {supported} only; open it with a newer Linkscope: {}",
        path.display()
    )]
    NewerVersion {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("the table `{table}` is missing; a graph file needs entities, relations, documents, excerpts and relation_excerpts: {}", path.display())]
    MissingTable { path: PathBuf, table: &'static str },
    #[error("`{table}` is a {found}, not a real table; only real tables are read from untrusted files: {}", path.display())]
    NotARealTable {
        path: PathBuf,
        table: &'static str,
        found: String,
    },
    #[error("the table `{table}` has no column `{column}`: {}", path.display())]
    MissingColumn {
        path: PathBuf,
        table: &'static str,
        column: &'static str,
    },
    #[error("the file is too large to open safely: {what}: {}", path.display())]
    TooLarge { path: PathBuf, what: String },
    #[error("opening was cancelled: {}", path.display())]
    Cancelled { path: PathBuf },
    #[error("SQLite could not read `{table}` ({source}): {}", path.display())]
    Query {
        path: PathBuf,
        table: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("could not write the file ({source}): {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot save into a read-only file; use File > Save As… to save a copy: {}", path.display())]
    ReadOnly { path: PathBuf },
    #[error("will not overwrite an existing file; choose a new name: {}", path.display())]
    AlreadyExists { path: PathBuf },
}

impl StoreError {
    /// Maps a SQLite failure while reading `table`: an interrupt is a cancel,
    /// corruption is a damaged file, anything else names the table.
    pub(crate) fn from_query(
        path: &std::path::Path,
        table: &'static str,
        error: rusqlite::Error,
    ) -> Self {
        let path = path.to_path_buf();
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::OperationInterrupted) => Self::Cancelled { path },
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                Self::Damaged {
                    path,
                    detail: format!("while reading `{table}`: {error}"),
                }
            }
            Some(rusqlite::ErrorCode::TooBig) => Self::TooLarge {
                path,
                what: format!(
                    "a value in `{table}` is larger than {}, the most this reader reads at once",
                    super::limits::human_bytes(super::limits::READ_WHOLE_MAX_BYTES)
                ),
            },
            _ => Self::Query {
                path,
                table,
                source: error,
            },
        }
    }
}
