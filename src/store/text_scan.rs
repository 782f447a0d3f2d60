//! Streaming a file's long texts (entity descriptions, excerpt texts) and
//! its evidence links past a matcher, one row at a time, for Find. The
//! texts never sit in memory together: a million descriptions cost one row
//! of memory, not a gigabyte. The caller can stop a scan between rows
//! (a newer query came in).
//!
//! Values go through the same limits as everywhere else: a text larger
//! than its column's limit is not read (and so not searched), nor is an id
//! too long to be one.

use std::ops::ControlFlow;
use std::path::Path;

use super::StoreError;
use super::details::DetailsReader;
use super::limits::{LONG_TEXT_MAX_BYTES, SMALL_VALUE_MAX_BYTES};
use super::values::Cell;

/// Reads texts for searching from one untrusted file, opened read-only.
pub struct TextScanner {
    reader: DetailsReader,
}

impl std::fmt::Debug for TextScanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextScanner")
            .field("path", &self.reader.path())
            .finish_non_exhaustive()
    }
}

/// What a scan did: ran to the end, or stopped because the visitor said so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanEnd {
    Finished,
    Stopped,
}

fn guarded_id(column: &str) -> String {
    format!(
        "CASE WHEN octet_length({column}) > {SMALL_VALUE_MAX_BYTES} THEN NULL ELSE {column} END"
    )
}

fn guarded_text(column: &str) -> String {
    format!(
        "CASE WHEN typeof({column}) = 'text' AND octet_length({column}) <= {LONG_TEXT_MAX_BYTES} \
         THEN {column} END"
    )
}

impl TextScanner {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self {
            reader: DetailsReader::open(path)?,
        })
    }

    pub fn path(&self) -> &Path {
        self.reader.path()
    }

    /// Calls `visit(entity id, description)` for every entity with a
    /// description, in the file's order.
    pub fn descriptions(
        &self,
        visit: impl FnMut(i64, &str) -> ControlFlow<()>,
    ) -> Result<ScanEnd, StoreError> {
        if !self.reader.has_column("entities", "description") {
            return Ok(ScanEnd::Finished);
        }
        let sql = format!(
            "SELECT {}, {} FROM entities",
            guarded_id("id"),
            guarded_text("description")
        );
        self.texts("entities", &sql, visit)
    }

    /// Calls `visit(excerpt id, text)` for every excerpt, in the file's order.
    pub fn excerpts(
        &self,
        visit: impl FnMut(i64, &str) -> ControlFlow<()>,
    ) -> Result<ScanEnd, StoreError> {
        if !self.reader.has_evidence() {
            return Ok(ScanEnd::Finished);
        }
        let sql = format!(
            "SELECT {}, {} FROM excerpts",
            guarded_id("id"),
            guarded_text("text")
        );
        self.texts("excerpts", &sql, visit)
    }

    /// Calls `visit(relation id, excerpt id)` for every link whose two ids
    /// are valid, in the file's order.
    pub fn links(
        &self,
        mut visit: impl FnMut(i64, i64) -> ControlFlow<()>,
    ) -> Result<ScanEnd, StoreError> {
        if !self.reader.has_evidence() {
            return Ok(ScanEnd::Finished);
        }
        let sql = format!(
            "SELECT {}, {} FROM relation_excerpts",
            guarded_id("relation_id"),
            guarded_id("excerpt_id")
        );
        self.rows("relation_excerpts", &sql, |first, second| {
            match (first.as_id(), second.as_id()) {
                (Ok(relation), Ok(excerpt)) => visit(relation, excerpt),
                _ => ControlFlow::Continue(()),
            }
        })
    }

    fn texts(
        &self,
        table: &'static str,
        sql: &str,
        mut visit: impl FnMut(i64, &str) -> ControlFlow<()>,
    ) -> Result<ScanEnd, StoreError> {
        self.rows(table, sql, |id, text| match (id.as_id(), text) {
            (Ok(id), Cell::Text(text)) => visit(id, text),
            _ => ControlFlow::Continue(()),
        })
    }

    /// Steps through the two-column rows of `sql`.
    fn rows(
        &self,
        table: &'static str,
        sql: &str,
        mut visit: impl FnMut(Cell<'_>, Cell<'_>) -> ControlFlow<()>,
    ) -> Result<ScanEnd, StoreError> {
        let error = |error| StoreError::from_query(self.reader.path(), table, error);
        let mut statement = self.reader.connection().prepare(sql).map_err(error)?;
        let mut rows = statement.query([]).map_err(error)?;
        while let Some(row) = rows.next().map_err(error)? {
            let first = Cell::from_value(row.get_ref(0).map_err(error)?);
            let second = Cell::from_value(row.get_ref(1).map_err(error)?);
            if visit(first, second).is_break() {
                return Ok(ScanEnd::Stopped);
            }
        }
        Ok(ScanEnd::Finished)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite")
    }

    #[test]
    fn scans_every_description_excerpt_and_link_of_the_sample() {
        let scanner = TextScanner::open(&sample()).unwrap();
        let mut descriptions = 0;
        scanner
            .descriptions(|_, _| {
                descriptions += 1;
                ControlFlow::Continue(())
            })
            .unwrap();
        let mut excerpts = 0;
        scanner
            .excerpts(|_, _| {
                excerpts += 1;
                ControlFlow::Continue(())
            })
            .unwrap();
        let mut links = 0;
        scanner
            .links(|_, _| {
                links += 1;
                ControlFlow::Continue(())
            })
            .unwrap();
        // `sqlite3 sample-db/sample.sqlite "SELECT count(description) FROM
        // entities; SELECT count(*) FROM excerpts; SELECT count(*) FROM
        // relation_excerpts"`
        assert_eq!((descriptions, excerpts, links), (27, 25, 70));
    }

    #[test]
    fn a_visitor_can_stop_a_scan() {
        let scanner = TextScanner::open(&sample()).unwrap();
        let mut seen = 0;
        let end = scanner
            .excerpts(|_, _| {
                seen += 1;
                ControlFlow::Break(())
            })
            .unwrap();
        assert_eq!((end, seen), (ScanEnd::Stopped, 1));
    }
}
