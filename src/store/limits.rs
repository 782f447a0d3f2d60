//! Values too large to read whole: the limit for each column, the SQL that
//! measures a value before reading it, and reading only the first part of
//! an oversized text.
//!
//! SQLite materialises a whole value as soon as a query reads it, and it
//! refuses one larger than `SQLITE_LIMIT_LENGTH` with `SQLITE_TOOBIG`, also
//! when the value is already in the file. That limit is set to
//! [`READ_WHOLE_MAX_BYTES`], so no query ever holds more of one value than
//! that. `octet_length(column)` and `typeof(column)` read only the record
//! header, never the value, and incremental blob I/O reads a range of a
//! value: an oversized value is measured in SQL, and only its first part
//! is read (`substr` would not do: it materialises the whole value first).

use rusqlite::types::ValueRef;
use rusqlite::{Connection, MAIN_DB, Row};

use super::open::{Schema, TableSpec, TextEncoding};
use super::values::Cell;

pub const KIB: u64 = 1024;
pub const MIB: u64 = 1024 * KIB;
pub const GIB: u64 = 1024 * MIB;

/// `SQLITE_LIMIT_LENGTH`: the largest value any query reads whole. It is
/// the largest column limit below, so a value that fits its column is read
/// in one go and a larger one is measured first.
pub const READ_WHOLE_MAX_BYTES: u64 = MIB;
/// Names, kinds, labels, titles, authors, publishers, locators, languages.
pub const SHORT_TEXT_MAX_BYTES: u64 = 4 * KIB;
/// Entity descriptions and excerpt texts.
pub const LONG_TEXT_MAX_BYTES: u64 = MIB;
/// Document URLs.
pub const URL_MAX_BYTES: u64 = 64 * KIB;
/// `properties` (JSON objects).
pub const PROPERTIES_MAX_BYTES: u64 = MIB;
/// Ids, dates and grades: a longer value cannot be a valid one anyway.
pub const SMALL_VALUE_MAX_BYTES: u64 = 4 * KIB;

/// How much of a column's value is read, and what happens beyond that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnLimit {
    pub max_bytes: u64,
    /// True: a longer text is cut to its first `max_bytes` (on a character
    /// boundary). False: a longer value is not read at all, because a cut
    /// one would be wrong (a URL, a date, JSON, an id).
    pub cut: bool,
}

/// The limit for a column of the format (the same name means the same in
/// every table).
pub fn column_limit(column: &str) -> ColumnLimit {
    let (max_bytes, cut) = match column {
        "description" | "text" => (LONG_TEXT_MAX_BYTES, true),
        "kind" | "name" | "label" | "title" | "author" | "publisher" | "locator" | "language" => {
            (SHORT_TEXT_MAX_BYTES, true)
        }
        "url" => (URL_MAX_BYTES, false),
        "properties" => (PROPERTIES_MAX_BYTES, false),
        _ => (SMALL_VALUE_MAX_BYTES, false),
    };
    ColumnLimit { max_bytes, cut }
}

/// A size for people: `16 MiB`, `28.6 MiB`, `512 bytes`.
pub fn human_bytes(bytes: u64) -> String {
    for (unit, name) in [(GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")] {
        let value = bytes as f64 / unit as f64;
        let tenths = (value * 10.0).round();
        // Just below a unit (a text cut on a character boundary) still
        // reads as that unit: 1,048,574 bytes is "1 MiB".
        if value >= 1.0 || (tenths >= 10.0 && 1.0 - value < 0.001) {
            return if tenths % 10.0 == 0.0 {
                format!("{} {name}", tenths / 10.0)
            } else {
                format!("{:.1} {name}", tenths / 10.0)
            };
        }
    }
    if bytes == 1 {
        "1 byte".to_owned()
    } else {
        format!("{bytes} bytes")
    }
}

/// The longest prefix of `text` of at most `max_bytes` that ends on a
/// character boundary.
pub fn cut_at_char_boundary(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Applies `limit` to a value SQLite has already read whole (it is at most
/// [`READ_WHOLE_MAX_BYTES`]).
pub fn limit_cell(cell: Cell<'_>, limit: ColumnLimit) -> Cell<'_> {
    match cell {
        Cell::Text(text) if text.len() as u64 > limit.max_bytes => {
            if limit.cut {
                Cell::Cut {
                    text: cut_at_char_boundary(text, limit.max_bytes as usize),
                    full_bytes: text.len() as u64,
                }
            } else {
                Cell::TooLarge {
                    bytes: text.len() as u64,
                    max_bytes: limit.max_bytes,
                }
            }
        }
        other => other,
    }
}

/// The SELECT list that never reads a value whole over
/// [`READ_WHOLE_MAX_BYTES`]: for each column, three items: the value when
/// it is within that (else NULL), its size in bytes and its type. `alias`
/// qualifies the columns.
pub fn guarded_select_list(schema: &Schema, spec: &TableSpec, alias: &str) -> String {
    spec.required
        .iter()
        .chain(spec.optional)
        .map(|column| {
            if schema.missing_columns.contains(&(spec.name, column)) {
                "NULL, NULL, NULL".to_owned()
            } else {
                let column = format!("{alias}.\"{column}\"");
                format!(
                    "CASE WHEN octet_length({column}) > {READ_WHOLE_MAX_BYTES} THEN NULL ELSE {column} END, \
                     octet_length({column}), typeof({column})"
                )
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A cell that owns its text: what a guarded query gives.
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedCell {
    Null,
    Text(String),
    InvalidUtf8,
    Integer(i64),
    Real(f64),
    Blob,
    Cut { text: String, full_bytes: u64 },
    TooLarge { bytes: u64, max_bytes: u64 },
}

impl OwnedCell {
    pub fn cell(&self) -> Cell<'_> {
        match self {
            Self::Null => Cell::Null,
            Self::Text(text) => Cell::Text(text),
            Self::InvalidUtf8 => Cell::InvalidUtf8,
            Self::Integer(number) => Cell::Integer(*number),
            Self::Real(number) => Cell::Real(*number),
            Self::Blob => Cell::Blob,
            Self::Cut { text, full_bytes } => Cell::Cut {
                text,
                full_bytes: *full_bytes,
            },
            Self::TooLarge { bytes, max_bytes } => Cell::TooLarge {
                bytes: *bytes,
                max_bytes: *max_bytes,
            },
        }
    }

    fn from_cell(cell: Cell<'_>) -> Self {
        match cell {
            Cell::Null => Self::Null,
            Cell::Text(text) => Self::Text(text.to_owned()),
            Cell::InvalidUtf8 => Self::InvalidUtf8,
            Cell::Integer(number) => Self::Integer(number),
            Cell::Real(number) => Self::Real(number),
            Cell::Blob => Self::Blob,
            Cell::Cut { text, full_bytes } => Self::Cut {
                text: text.to_owned(),
                full_bytes,
            },
            Cell::TooLarge { bytes, max_bytes } => Self::TooLarge { bytes, max_bytes },
        }
    }
}

/// Where a guarded row comes from, to read the first part of an oversized
/// text with incremental blob I/O.
pub struct RowSource<'a> {
    pub connection: &'a Connection,
    /// The table's real name as the format spells it (SQLite matches it
    /// without regard to case).
    pub table: &'a str,
    /// The row's rowid; None for a `WITHOUT ROWID` table, where an
    /// oversized value cannot be read in part and is dropped instead.
    pub rowid: Option<i64>,
    pub encoding: TextEncoding,
}

/// Reads every column of `spec` from a row selected with
/// [`guarded_select_list`] (its rowid last), each within its limit; returns
/// the rowid and the cells in the spec's order.
pub fn guarded_row(
    connection: &Connection,
    table: &str,
    encoding: TextEncoding,
    spec: &TableSpec,
    row: &Row<'_>,
) -> rusqlite::Result<(Option<i64>, Vec<OwnedCell>)> {
    let width = spec.required.len() + spec.optional.len();
    let source = RowSource {
        connection,
        table,
        rowid: row.get::<_, Option<i64>>(3 * width)?,
        encoding,
    };
    let cells = spec
        .required
        .iter()
        .chain(spec.optional)
        .enumerate()
        .map(|(index, column)| guarded_cell(&source, row, 3 * index, column))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((source.rowid, cells))
}

/// Reads one column of a guarded row (the three items at `index` of a
/// [`guarded_select_list`]) within its column's limit.
pub fn guarded_cell(
    source: &RowSource<'_>,
    row: &Row<'_>,
    index: usize,
    column: &str,
) -> rusqlite::Result<OwnedCell> {
    let limit = column_limit(column);
    let bytes = match row.get_ref(index + 1)? {
        ValueRef::Integer(bytes) => bytes.max(0) as u64,
        _ => 0,
    };
    if bytes <= READ_WHOLE_MAX_BYTES {
        let cell = Cell::from_value(row.get_ref(index)?);
        return Ok(OwnedCell::from_cell(limit_cell(cell, limit)));
    }
    let is_text = matches!(row.get_ref(index + 2)?, ValueRef::Text(b"text"));
    if !is_text {
        return Ok(OwnedCell::Blob);
    }
    let too_large = OwnedCell::TooLarge {
        bytes,
        max_bytes: limit.max_bytes,
    };
    let (true, Some(rowid)) = (limit.cut, source.rowid) else {
        return Ok(too_large);
    };
    let prefix = read_text_prefix(source, column, rowid, limit.max_bytes)?;
    Ok(
        prefix.map_or(OwnedCell::InvalidUtf8, |text| OwnedCell::Cut {
            text,
            full_bytes: bytes,
        }),
    )
}

/// The first `max_bytes` of a text value (fewer, to end on a character
/// boundary), read with incremental blob I/O so that the rest is never
/// read. None when that part is not valid text.
fn read_text_prefix(
    source: &RowSource<'_>,
    column: &str,
    rowid: i64,
    max_bytes: u64,
) -> rusqlite::Result<Option<String>> {
    let blob = source
        .connection
        .blob_open(MAIN_DB, source.table, column, rowid, true)?;
    let size = u64::try_from(blob.size()).unwrap_or(0);
    // The limit is in bytes of the UTF-8 text the rest of the app holds. A
    // UTF-16 unit (2 bytes) becomes 1 to 3 UTF-8 bytes, so twice the limit
    // of UTF-16 is the least that always holds the limit's worth of text
    // (mostly Latin text would otherwise keep about half of it).
    let stored_max_bytes = match source.encoding {
        TextEncoding::Utf8 => max_bytes,
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => max_bytes.saturating_mul(2),
    };
    let mut bytes = vec![0_u8; size.min(stored_max_bytes) as usize];
    blob.read_at_exact(&mut bytes, 0)?;
    Ok(match source.encoding {
        TextEncoding::Utf8 => utf8_prefix(bytes),
        TextEncoding::Utf16Le => utf16_prefix(&bytes, u16::from_le_bytes, max_bytes),
        TextEncoding::Utf16Be => utf16_prefix(&bytes, u16::from_be_bytes, max_bytes),
    })
}

/// `bytes` as text, less a character cut in two at the end.
fn utf8_prefix(bytes: Vec<u8>) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(error) if error.utf8_error().error_len().is_none() => {
            let valid = error.utf8_error().valid_up_to();
            let mut bytes = error.into_bytes();
            bytes.truncate(valid);
            String::from_utf8(bytes).ok()
        }
        Err(_) => None,
    }
}

/// UTF-16 `bytes` as UTF-8 text of at most `max_bytes` (UTF-8 bytes, the
/// limit's unit whatever the file's encoding), ending on a character
/// boundary, less a surrogate pair cut in two at the end.
fn utf16_prefix(bytes: &[u8], unit: fn([u8; 2]) -> u16, max_bytes: u64) -> Option<String> {
    let max_bytes = usize::try_from(max_bytes).unwrap_or(usize::MAX);
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len().min(max_bytes));
    let mut decoded = char::decode_utf16(units).peekable();
    while let Some(next) = decoded.next() {
        match next {
            Ok(character) if text.len() + character.len_utf8() > max_bytes => break,
            Ok(character) => text.push(character),
            Err(_) if decoded.peek().is_none() => break,
            Err(_) => return None,
        }
    }
    Some(text)
}

/// Text for a report or a panel: how large the value is and what was kept.
pub fn cut_note(full_bytes: u64, kept: &str) -> String {
    format!(
        "cut: the full text is {}; only its first {} is read",
        human_bytes(full_bytes),
        human_bytes(kept.len() as u64)
    )
}

/// Why a value was not read at all.
pub fn too_large_reason(bytes: u64, max_bytes: u64) -> String {
    format!(
        "is {}, over the {} limit for this column, and is not read (a cut value would be wrong)",
        human_bytes(bytes),
        human_bytes(max_bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::super::open::open_untrusted;
    use super::*;

    /// Why values are measured before they are read: SQLite's length limit
    /// also stops it reading a value that is already stored, `substr` reads
    /// the whole value first, and `octet_length` reads none of it.
    #[test]
    #[expect(
        clippy::disallowed_methods,
        reason = "the test writes its own file, then opens it as untrusted"
    )]
    fn the_length_limit_guards_reading_and_octet_length_does_not_read() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("long.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT, name TEXT, description TEXT);
                 CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id, object_id, kind);
                 INSERT INTO entities VALUES (1, 'actor', 'A', replace(hex(zeroblob(1048576)), '00', 'ab'));",
            )
            .unwrap();
        drop(writer);
        let (connection, schema) = open_untrusted(&path, None).unwrap();
        let read = |sql: &str| connection.query_row(sql, [], |row| row.get::<_, i64>(0));
        let too_big = |result: rusqlite::Result<i64>| {
            result.err().and_then(|error| error.sqlite_error_code())
                == Some(rusqlite::ErrorCode::TooBig)
        };
        assert!(too_big(read(
            "SELECT length(description) > 0 FROM entities"
        )));
        assert!(too_big(read(
            "SELECT length(substr(description, 1, 10)) FROM entities"
        )));
        assert_eq!(
            read("SELECT octet_length(description) FROM entities").unwrap(),
            2 * MIB as i64
        );
        // ... and the guarded query reads a part of it through blob I/O.
        let sql = format!(
            "SELECT {}, rowid FROM entities",
            guarded_select_list(&schema, &super::super::open::ENTITIES, "entities")
        );
        let cells = connection
            .query_row(&sql, [], |row| {
                let source = RowSource {
                    connection: &connection,
                    table: "entities",
                    rowid: Some(1),
                    encoding: schema.encoding,
                };
                guarded_cell(&source, row, 3 * 3, "description")
            })
            .unwrap();
        assert_eq!(
            cells,
            OwnedCell::Cut {
                text: "ab".repeat(MIB as usize / 2),
                full_bytes: 2 * MIB
            }
        );
    }

    #[test]
    fn sizes_read_in_human_units() {
        assert_eq!(human_bytes(16 * MIB), "16 MiB");
        assert_eq!(human_bytes(30_000_000), "28.6 MiB");
        assert_eq!(human_bytes(MIB - 2), "1 MiB");
        assert_eq!(human_bytes(1_000_000), "976.6 KiB");
        assert_eq!(human_bytes(4 * KIB), "4 KiB");
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(1), "1 byte");
        assert_eq!(human_bytes(3 * GIB / 2), "1.5 GiB");
    }

    #[test]
    fn cuts_end_on_a_character_boundary() {
        let text = "a€€"; // 1 + 3 + 3 bytes
        assert_eq!(cut_at_char_boundary(text, 7), text);
        assert_eq!(cut_at_char_boundary(text, 6), "a€");
        assert_eq!(cut_at_char_boundary(text, 4), "a€");
        assert_eq!(cut_at_char_boundary(text, 3), "a");
        assert_eq!(
            utf8_prefix("a€".as_bytes()[..3].to_vec()).as_deref(),
            Some("a")
        );
        assert_eq!(utf8_prefix(vec![b'a', 0xFF, b'b']), None);
        let utf16: Vec<u8> = "a😀".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(
            utf16_prefix(&utf16[..4], u16::from_le_bytes, 100).as_deref(),
            Some("a")
        );
        assert_eq!(
            utf16_prefix(&utf16, u16::from_le_bytes, 100).as_deref(),
            Some("a😀")
        );
    }

    #[test]
    fn limits_cut_texts_and_drop_values_a_cut_would_falsify() {
        assert_eq!(
            limit_cell(Cell::Text(&"é".repeat(3000)), column_limit("name")),
            Cell::Cut {
                text: &"é".repeat(2048),
                full_bytes: 6000
            }
        );
        let url = format!("https://example.org/{}", "a".repeat(70_000));
        assert!(matches!(
            limit_cell(Cell::Text(&url), column_limit("url")),
            Cell::TooLarge { .. }
        ));
        assert_eq!(
            limit_cell(Cell::Text("2024-03-05"), column_limit("date_start")),
            Cell::Text("2024-03-05")
        );
    }
}
