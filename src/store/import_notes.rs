//! The notes an importer left in a file it wrote (`app_import_notes`):
//! what it skipped or changed, as `file:line: message`. Read with the rest
//! of the load report; the file is untrusted, so only a real table is read,
//! and only short values, at most [`MAX_LISTED_PROBLEMS`] of them.

use rusqlite::Connection;

use super::open::table_kind;
use super::report::MAX_LISTED_PROBLEMS;
use super::writer::IMPORT_NOTES_TABLE;

/// The listed notes (`file:line: message`) and how many there are in all.
pub(crate) fn read_import_notes(connection: &Connection) -> (Vec<String>, u64) {
    let is_table = table_kind(connection, IMPORT_NOTES_TABLE)
        .ok()
        .flatten()
        .is_some_and(|kind| kind == "table");
    if !is_table {
        return (Vec::new(), 0);
    }
    let total: u64 = connection
        .query_row(
            &format!("SELECT count(*) FROM {IMPORT_NOTES_TABLE}"),
            [],
            |row| row.get::<_, i64>(0),
        )
        .map_or(0, |count| count.max(0).unsigned_abs());
    // octet_length reads the record header only: a huge value is never read.
    let sql = format!(
        "SELECT file, line, message FROM {IMPORT_NOTES_TABLE}
         WHERE typeof(file) = 'text' AND typeof(message) = 'text'
           AND octet_length(file) <= 4096 AND octet_length(message) <= 4096
         ORDER BY rowid LIMIT {MAX_LISTED_PROBLEMS}"
    );
    let notes = connection.prepare(&sql).and_then(|mut statement| {
        let rows = statement.query_map([], |row| {
            let file: String = row.get(0)?;
            let line: Option<i64> = row.get::<_, Option<i64>>(1).unwrap_or(None);
            let message: String = row.get(2)?;
            Ok(match line {
                Some(line) => format!("{file}:{line}: {message}"),
                None => format!("{file}: {message}"),
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
    });
    (notes.unwrap_or_default(), total)
}
