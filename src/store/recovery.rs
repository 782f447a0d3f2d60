//! A save killed half-way leaves a rollback journal beside the file (or a
//! write-ahead log, for files in WAL mode). SQLite undoes it the next time
//! the file is opened for writing; but Linkscope opens files read-only and
//! immutable, which would read the half-written pages. So such a file is
//! read through a private copy, where SQLite may roll the journal back: the
//! user's file is not written by opening it, and shows the view as it was
//! before the interrupted save. The next save on the file completes the
//! recovery.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, OpenFlags};

use super::StoreError;

/// The files SQLite keeps beside a database while it writes.
const SIDE_FILES: [&str; 2] = ["-journal", "-wal"];
/// A rollback journal can undo anything only once its header is written:
/// SQLite writes it zeroed first and fills in this magic just before it
/// overwrites the database (`journal.c`, "aJournalMagic").
const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
/// A write-ahead log's header starts with one of these (big-endian).
const WAL_MAGIC: [[u8; 4]; 2] = [[0x37, 0x7f, 0x06, 0x82], [0x37, 0x7f, 0x06, 0x83]];

/// Whether `path` has a journal or log beside it that SQLite would act on:
/// a save that did not finish (or another program writing it right now). A
/// journal whose header was never written changed nothing and is ignored.
pub fn has_unfinished_save(path: &Path) -> bool {
    let starts_with = |suffix: &str, magics: &[&[u8]]| {
        let mut header = [0_u8; 8];
        std::fs::File::open(side_file(path, suffix))
            .and_then(|mut file| file.read_exact(&mut header))
            .is_ok_and(|()| magics.iter().any(|magic| header.starts_with(magic)))
    };
    starts_with(SIDE_FILES[0], &[&JOURNAL_MAGIC])
        || starts_with(SIDE_FILES[1], &[&WAL_MAGIC[0], &WAL_MAGIC[1]])
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A private, consistent copy of a file whose last save did not finish;
/// removed when dropped.
#[derive(Debug)]
pub struct RecoveredCopy {
    folder: PathBuf,
    database: PathBuf,
}

impl RecoveredCopy {
    /// Copies the file and its journal or log into a private folder and lets
    /// SQLite roll the copy back to its last complete state.
    pub fn make(path: &Path) -> Result<Self, StoreError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        let folder = std::env::temp_dir().join(format!(
            "linkscope-recovered-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&folder).map_err(io)?;
        let copy = Self {
            database: folder.join("graph.sqlite"),
            folder,
        };
        std::fs::copy(path, &copy.database).map_err(io)?;
        for suffix in SIDE_FILES {
            let side = side_file(path, suffix);
            if side.exists() {
                std::fs::copy(&side, side_file(&copy.database, suffix)).map_err(io)?;
            }
        }
        // Opening for writing and reading one page makes SQLite roll back a
        // hot journal (or fold a log in) inside the copy. Triggers and views
        // are off: nothing of the file's own runs here.
        let connection = Connection::open_with_flags(
            &copy.database,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|connection| {
            connection.set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER,
                false,
            )?;
            connection
                .set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
            connection.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
            connection.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(connection)
        })
        .map_err(|error| StoreError::Damaged {
            path: path.to_path_buf(),
            detail: format!("its unfinished save could not be undone: {error}"),
        })?;
        drop(connection);
        Ok(copy)
    }

    /// The recovered database, to read instead of the original.
    pub fn path(&self) -> &Path {
        &self.database
    }
}

impl Drop for RecoveredCopy {
    fn drop(&mut self) {
        // A leftover copy in the temp folder is harmless.
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}
