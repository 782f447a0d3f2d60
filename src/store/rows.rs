//! Reading one table row by row: each row's cells checked against the
//! format (ids, required text, dates, JSON, grades), bad rows skipped and
//! bad values ignored, each with a line in the load report.

use std::path::Path;

use rusqlite::{Connection, ErrorCode};

use super::id_bytes::IdBytes;
use super::id_set::IdSet;
use super::limits::{ColumnLimit, column_limit, guarded_row, guarded_select_list, limit_cell};
use super::load::{LoadProgress, MAX_ENTITIES, MAX_EVIDENCE_ROWS, MAX_RELATIONS, RelationIds};
use super::open::{
    DOCUMENTS, ENTITIES, EXCERPTS, RELATION_EXCERPTS, RELATION_EXCERPTS_WITH_STANCE, RELATIONS,
    Schema, TableSpec,
};
use super::values::{
    Cell, check_properties, is_credibility_grade, is_iso_date, is_reliability_grade,
};
use super::{LoadReport, StoreError};
use crate::model::grades::{Credibility, PackedGrades, Reliability};
use crate::model::{FastSet, GraphBuilder};

pub(super) struct Loader<'a> {
    path: &'a Path,
    connection: &'a Connection,
    schema: &'a Schema,
    progress: &'a LoadProgress,
    pub(super) report: LoadReport,
}

/// The widest table read (relations).
const MAX_COLUMNS: usize = 8;

/// Reports progress every this many rows, to keep atomics off the hot path.
const PROGRESS_EVERY: u64 = 4096;

impl<'a> Loader<'a> {
    pub(super) fn new(
        path: &'a Path,
        connection: &'a Connection,
        schema: &'a Schema,
        progress: &'a LoadProgress,
    ) -> Self {
        Self {
            path,
            connection,
            schema,
            progress,
            report: LoadReport::default(),
        }
    }

    /// About how many rows `spec` has, for the progress bar and to reserve
    /// memory: `max(rowid)` is a B-tree lookup, where `count(*)` would read
    /// the whole table. Capped, since a crafted file can claim anything.
    pub(super) fn row_estimate(&self, spec: &TableSpec, limit: u64) -> u64 {
        self.connection
            .query_row(
                &format!("SELECT max(rowid) FROM \"{}\"", spec.name),
                [],
                |row| row.get::<_, Option<i64>>(0),
            )
            .ok()
            .flatten()
            .map_or(0, |max| max.clamp(0, 10_000_000) as u64)
            .min(limit)
    }

    /// Reads every row of `spec` and hands its cells to `visit`, each value
    /// within its column's limit (see `limits`); refuses the file when the
    /// table has more rows than `limit`.
    ///
    /// The fast query reads values whole, and SQLite stops it with
    /// `SQLITE_TOOBIG` at a value over [`READ_WHOLE_MAX_BYTES`]. That one
    /// row is then read with the guarded query, which measures each value
    /// first and reads only part of an oversized one, and the fast query
    /// resumes after it, in rowid order. A table without a rowid is read
    /// with the guarded query throughout.
    fn scan(
        &mut self,
        spec: &TableSpec,
        limit: u64,
        mut visit: impl FnMut(&mut LoadReport, &[Cell<'_>]),
    ) -> Result<(), StoreError> {
        let mut counter = RowCounter {
            table: spec.name,
            limit,
            rows_read: 0,
            since_progress: 0,
        };
        let Some(rowid) = self.schema.rowid_of(spec.name) else {
            self.scan_guarded(spec, None, &mut counter, &mut visit)?;
            self.progress.add_rows(counter.since_progress);
            return Ok(());
        };
        let mut next = Some(i64::MIN);
        while let Some(from) = next {
            next = match self.scan_fast(spec, rowid, from, &mut counter, &mut visit)? {
                None => None,
                Some(too_big_from) => self
                    .scan_guarded(spec, Some((rowid, too_big_from)), &mut counter, &mut visit)?
                    .and_then(|read| read.checked_add(1)),
            };
        }
        self.progress.add_rows(counter.since_progress);
        Ok(())
    }

    /// Reads whole values from rowid `from` on. Returns where a value too
    /// large to read whole stopped it, or None at the end of the table.
    fn scan_fast(
        &mut self,
        spec: &TableSpec,
        rowid: &str,
        from: i64,
        counter: &mut RowCounter,
        visit: &mut impl FnMut(&mut LoadReport, &[Cell<'_>]),
    ) -> Result<Option<i64>, StoreError> {
        let sql = format!(
            "SELECT {}, {rowid} FROM \"{}\" WHERE {rowid} >= ?1 ORDER BY {rowid}",
            self.schema.select_list(spec),
            spec.name
        );
        let error = |error| StoreError::from_query(self.path, spec.name, error);
        let mut statement = self.connection.prepare(&sql).map_err(error)?;
        let width = spec.required.len() + spec.optional.len();
        let limits = column_limits(spec);
        let mut rows = statement.query([from]).map_err(error)?;
        let mut next = from;
        loop {
            let row = match rows.next() {
                Ok(Some(row)) => row,
                Ok(None) => return Ok(None),
                Err(too_big) if too_big.sqlite_error_code() == Some(ErrorCode::TooBig) => {
                    return Ok(Some(next));
                }
                Err(other) => return Err(error(other)),
            };
            counter.count(self.path, self.progress)?;
            let mut cells = [Cell::Null; MAX_COLUMNS];
            for (column, cell) in cells.iter_mut().enumerate().take(width) {
                *cell = limit_cell(
                    Cell::from_value(row.get_ref(column).map_err(error)?),
                    limits[column],
                );
            }
            if let Ok(read) = row.get::<_, i64>(width) {
                next = read.saturating_add(1);
            }
            visit_checked(&mut self.report, spec, &mut cells[..width], visit);
        }
    }

    /// Reads with values measured first: one row from `(rowid, from)` on,
    /// or, for a table without a rowid, every row. Returns the rowid of the
    /// row read, if any.
    fn scan_guarded(
        &mut self,
        spec: &TableSpec,
        start: Option<(&str, i64)>,
        counter: &mut RowCounter,
        visit: &mut impl FnMut(&mut LoadReport, &[Cell<'_>]),
    ) -> Result<Option<i64>, StoreError> {
        let columns = guarded_select_list(self.schema, spec, &format!("\"{}\"", spec.name));
        let sql = match start {
            Some((rowid, _)) => format!(
                "SELECT {columns}, {rowid} FROM \"{}\" WHERE {rowid} >= ?1 ORDER BY {rowid} LIMIT 1",
                spec.name
            ),
            None => format!("SELECT {columns}, NULL FROM \"{}\"", spec.name),
        };
        let error = |error| StoreError::from_query(self.path, spec.name, error);
        let mut statement = self.connection.prepare(&sql).map_err(error)?;
        let width = spec.required.len() + spec.optional.len();
        let mut rows = match start {
            Some((_, from)) => statement.query([from]),
            None => statement.query([]),
        }
        .map_err(error)?;
        let mut last = None;
        while let Some(row) = rows.next().map_err(error)? {
            counter.count(self.path, self.progress)?;
            let (rowid, owned) =
                guarded_row(self.connection, spec.name, self.schema.encoding, spec, row)
                    .map_err(error)?;
            last = rowid;
            let mut cells = [Cell::Null; MAX_COLUMNS];
            for (cell, value) in cells.iter_mut().zip(&owned) {
                *cell = value.cell();
            }
            visit_checked(&mut self.report, spec, &mut cells[..width], visit);
        }
        Ok(last)
    }

    /// The valid documents' ids, and the reliability grade of those that
    /// have a valid one (packed as [`PackedGrades`] with no credibility).
    pub(super) fn read_documents(&mut self) -> Result<(IdSet, IdBytes), StoreError> {
        let table = DOCUMENTS.name;
        let mut documents = IdSet::default();
        let mut reliability = IdBytes::default();
        self.scan(&DOCUMENTS, MAX_EVIDENCE_ROWS, |report, cells| {
            let Some(id) = row_id(report, table, cells[0]) else {
                return;
            };
            if let Err(reason) = required_text(cells[1]) {
                report.skip(table, Some(id), format!("title {reason}"));
                return;
            }
            for (index, column) in [(2, "author"), (3, "publisher"), (4, "url"), (6, "language")] {
                optional_text(report, table, id, column, cells[index]);
            }
            check_date(report, table, id, "published", cells[5]);
            check_grade(
                report,
                table,
                id,
                "reliability",
                cells[7],
                is_reliability_grade,
                "'A'..'F'",
            );
            if !documents.insert(id) {
                report.skip(table, Some(id), "the id appears twice");
            } else if let Some(grade) = grade_of(cells[7], Reliability::from_text) {
                reliability.insert(id, PackedGrades::new(Some(grade), None).byte());
            }
        })?;
        Ok((documents, reliability))
    }

    /// The valid excerpts' ids, and each one's grades with its document's
    /// reliability, packed as [`PackedGrades`].
    pub(super) fn read_excerpts(
        &mut self,
        documents: &IdSet,
        reliability: &IdBytes,
    ) -> Result<(IdSet, IdBytes), StoreError> {
        let table = EXCERPTS.name;
        let mut excerpts = IdSet::default();
        let mut grades = IdBytes::default();
        self.scan(&EXCERPTS, MAX_EVIDENCE_ROWS, |report, cells| {
            let Some(id) = row_id(report, table, cells[0]) else {
                return;
            };
            let document = match cells[1].as_id() {
                Ok(document) => document,
                Err(reason) => {
                    report.skip(table, Some(id), format!("document_id {reason}"));
                    return;
                }
            };
            if !documents.contains(document) {
                report.skip(
                    table,
                    Some(id),
                    format!("document {document} does not exist"),
                );
                return;
            }
            if let Err(reason) = required_text(cells[2]) {
                report.skip(table, Some(id), format!("text {reason}"));
                return;
            }
            optional_text(report, table, id, "locator", cells[3]);
            check_grade(
                report,
                table,
                id,
                "credibility",
                cells[4],
                is_credibility_grade,
                "'1'..'6'",
            );
            if !excerpts.insert(id) {
                report.skip(table, Some(id), "the id appears twice");
                return;
            }
            let document_grade = reliability
                .get(document)
                .and_then(PackedGrades::from_byte)
                .and_then(PackedGrades::reliability);
            let credibility = grade_of(cells[4], Credibility::from_text);
            grades.insert(id, PackedGrades::new(document_grade, credibility).byte());
        })?;
        Ok((excerpts, grades))
    }

    pub(super) fn read_entities(&mut self, builder: &mut GraphBuilder) -> Result<(), StoreError> {
        let table = ENTITIES.name;
        self.scan(&ENTITIES, MAX_ENTITIES, |report, cells| {
            let Some(id) = row_id(report, table, cells[0]) else {
                return;
            };
            let kind = match required_text(cells[1]) {
                Ok(kind) => kind,
                Err(reason) => return report.skip(table, Some(id), format!("kind {reason}")),
            };
            let name = match required_text(cells[2]) {
                Ok(name) => name,
                Err(reason) => return report.skip(table, Some(id), format!("name {reason}")),
            };
            optional_text(report, table, id, "description", cells[3]);
            check_date(report, table, id, "date_start", cells[4]);
            check_date(report, table, id, "date_end", cells[5]);
            check_properties_cell(report, table, id, cells[6]);
            if let Err(error) = builder.add_entity(id, &kind, &name) {
                report.skip(table, Some(id), error.to_string());
            }
        })
    }

    pub(super) fn read_relations(
        &mut self,
        builder: &mut GraphBuilder,
    ) -> Result<RelationIds, StoreError> {
        let table = RELATIONS.name;
        let mut ids = Vec::new();
        let mut seen: Option<FastSet<i64>> = None;
        self.scan(&RELATIONS, MAX_RELATIONS, |report, cells| {
            let Some(id) = row_id(report, table, cells[0]) else {
                return;
            };
            // Ids normally ascend; only a file that breaks that order pays
            // for a set to catch duplicates.
            if ids.last().is_some_and(|&last| id <= last) {
                let seen =
                    seen.get_or_insert_with(|| ids.iter().copied().collect::<FastSet<i64>>());
                if !seen.insert(id) {
                    return report.skip(table, Some(id), "the id appears twice");
                }
            } else if let Some(seen) = &mut seen {
                seen.insert(id);
            }
            let mut ends = [0_i64; 2];
            for (end, (cell, column)) in ends
                .iter_mut()
                .zip([(cells[1], "subject_id"), (cells[2], "object_id")])
            {
                match cell.as_id() {
                    Ok(value) => *end = value,
                    Err(reason) => {
                        return report.skip(table, Some(id), format!("{column} {reason}"));
                    }
                }
            }
            let kind = match required_text(cells[3]) {
                Ok(kind) => kind,
                Err(reason) => return report.skip(table, Some(id), format!("kind {reason}")),
            };
            let label = optional_text(report, table, id, "label", cells[4]);
            check_date(report, table, id, "date_start", cells[5]);
            check_date(report, table, id, "date_end", cells[6]);
            check_properties_cell(report, table, id, cells[7]);
            match builder.add_relation(id, ends[0], ends[1], &kind, label.as_deref()) {
                Ok(_) => ids.push(id),
                Err(error) => report.skip(
                    table,
                    Some(id),
                    format!("{error}; the relation points at a missing entity"),
                ),
            }
        })?;
        Ok(RelationIds::new(ids))
    }

    /// Reads the links whose two ids are integers; they are checked against
    /// relations and excerpts once both are read.
    /// The links whose two ids parse, in the table's order, and the
    /// indices (ascending) of those whose stance is 'contradicts'. The
    /// stance column is read only when the file has it.
    pub(super) fn read_links(&mut self) -> Result<Links, StoreError> {
        let table = RELATION_EXCERPTS.name;
        let mut links = Vec::new();
        let mut contradicting = Vec::new();
        let spec = if self.schema.has_stance {
            &RELATION_EXCERPTS_WITH_STANCE
        } else {
            &RELATION_EXCERPTS
        };
        self.scan(spec, MAX_EVIDENCE_ROWS, |report, cells| {
            match (cells[0].as_id(), cells[1].as_id()) {
                (Ok(relation), Ok(excerpt)) => {
                    if let Some(&stance) = cells.get(2)
                        && link_contradicts(report, (relation, excerpt), stance)
                    {
                        // MAX_EVIDENCE_ROWS keeps the index within u32.
                        contradicting.push(links.len() as u32);
                    }
                    links.push((relation, excerpt));
                }
                (Err(reason), _) => report.skip(table, None, format!("relation_id {reason}")),
                (_, Err(reason)) => report.skip(table, None, format!("excerpt_id {reason}")),
            }
        })?;
        Ok(Links {
            links,
            contradicting,
        })
    }
}

/// What `relation_excerpts` holds: (relation id, excerpt id) links whose
/// ids parse, in the table's order, and the indices into them, ascending,
/// of the links that contradict their relation.
pub(super) struct Links {
    pub(super) links: Vec<(i64, i64)>,
    pub(super) contradicting: Vec<u32>,
}

/// Rows read from one table: the row limit and the progress bar.
struct RowCounter {
    table: &'static str,
    limit: u64,
    rows_read: u64,
    since_progress: u64,
}

impl RowCounter {
    fn count(&mut self, path: &Path, progress: &LoadProgress) -> Result<(), StoreError> {
        self.rows_read += 1;
        if self.rows_read > self.limit {
            return Err(StoreError::TooLarge {
                path: path.to_path_buf(),
                what: format!("`{}` has more than {} rows", self.table, self.limit),
            });
        }
        self.since_progress += 1;
        if self.since_progress == PROGRESS_EVERY {
            progress.add_rows(self.since_progress);
            self.since_progress = 0;
        }
        Ok(())
    }
}

fn column_limits(spec: &TableSpec) -> [ColumnLimit; MAX_COLUMNS] {
    let mut limits = [column_limit(""); MAX_COLUMNS];
    for (limit, column) in limits
        .iter_mut()
        .zip(spec.required.iter().chain(spec.optional))
    {
        *limit = column_limit(column);
    }
    limits
}

/// Reports each value too large for its column (a cut text, or a value
/// not read, which is then NULL), skips the row when a value it needs was
/// not read, and hands the rest to `visit`.
fn visit_checked(
    report: &mut LoadReport,
    spec: &TableSpec,
    cells: &mut [Cell<'_>],
    visit: &mut impl FnMut(&mut LoadReport, &[Cell<'_>]),
) {
    let id = if spec.required.first() == Some(&"id") {
        cells.first().and_then(|cell| cell.as_id().ok())
    } else {
        None
    };
    let columns = spec.required.iter().chain(spec.optional);
    for (index, (cell, column)) in cells.iter_mut().zip(columns).enumerate() {
        match *cell {
            Cell::Cut { text, full_bytes } => {
                if let Some(id) = id {
                    report.cut_value(spec.name, id, column, full_bytes, text.len() as u64);
                }
            }
            Cell::TooLarge { bytes, max_bytes } => {
                let required = index < spec.required.len();
                if required {
                    report.oversized_value(spec.name, id, column, bytes, max_bytes, true);
                    return;
                }
                if let Some(id) = id {
                    report.oversized_value(spec.name, Some(id), column, bytes, max_bytes, false);
                }
                *cell = Cell::Null;
            }
            _ => {}
        }
    }
    visit(report, cells);
}

/// Whether a link's stance says it contradicts its relation. NULL and
/// 'supports' support it; anything else is read as supports too, with a
/// note, and the link is kept.
fn link_contradicts(
    report: &mut LoadReport,
    (relation, excerpt): (i64, i64),
    stance: Cell<'_>,
) -> bool {
    match stance {
        Cell::Null | Cell::Text("supports") => false,
        Cell::Text("contradicts") => true,
        other => {
            let what = match other.as_text() {
                Ok(Some(text)) => format!("{text:?}"),
                _ => other.describe().to_owned(),
            };
            report.ignore_link_value(
                RELATION_EXCERPTS.name,
                format!(
                    "link ({relation}, {excerpt}): stance {what} is not 'supports' or 'contradicts'; read as supports"
                ),
            );
            false
        }
    }
}

fn row_id(report: &mut LoadReport, table: &'static str, cell: Cell<'_>) -> Option<i64> {
    match cell.as_id() {
        Ok(id) => Some(id),
        Err(reason) => {
            report.skip(table, None, format!("id {reason}"));
            None
        }
    }
}

fn required_text(cell: Cell<'_>) -> Result<std::borrow::Cow<'_, str>, String> {
    match cell.as_text()? {
        Some(text) => Ok(text),
        None => Err("is NULL but is required".to_owned()),
    }
}

fn optional_text<'a>(
    report: &mut LoadReport,
    table: &'static str,
    id: i64,
    column: &str,
    cell: Cell<'a>,
) -> Option<std::borrow::Cow<'a, str>> {
    cell.as_text().unwrap_or_else(|reason| {
        report.ignore_value(table, id, format!("{column} {reason}"));
        None
    })
}

fn check_date(report: &mut LoadReport, table: &'static str, id: i64, column: &str, cell: Cell<'_>) {
    match cell {
        Cell::Null => {}
        Cell::Text(text) if is_iso_date(text) => {}
        Cell::Text(text) => report.ignore_value(
            table,
            id,
            format!("{column} {text:?} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ),
        Cell::Integer(year) if (0..=9999).contains(&year) && is_iso_date(&format!("{year:04}")) => {
        }
        other => report.ignore_value(
            table,
            id,
            format!("{column} is {}, not an ISO 8601 date", other.describe()),
        ),
    }
}

fn check_properties_cell(report: &mut LoadReport, table: &'static str, id: i64, cell: Cell<'_>) {
    match cell {
        Cell::Null => {}
        Cell::Text(text) => {
            if let Err(reason) = check_properties(text) {
                report.ignore_value(table, id, format!("properties {reason}"));
            }
        }
        other => report.ignore_value(
            table,
            id,
            format!("properties is {}, not a JSON object", other.describe()),
        ),
    }
}

/// A grade cell's value when it is a valid grade (the checks report the rest).
fn grade_of<T>(cell: Cell<'_>, parse: fn(&str) -> Option<T>) -> Option<T> {
    cell.as_text().ok().flatten().and_then(|text| parse(&text))
}

fn check_grade(
    report: &mut LoadReport,
    table: &'static str,
    id: i64,
    column: &str,
    cell: Cell<'_>,
    is_valid: fn(&str) -> bool,
    expected: &str,
) {
    match cell.as_text() {
        Ok(None) => {}
        Ok(Some(text)) if is_valid(&text) => {}
        Ok(Some(text)) => report.ignore_value(
            table,
            id,
            format!("{column} {text:?} is not a grade {expected}"),
        ),
        Err(reason) => report.ignore_value(table, id, format!("{column} {reason}")),
    }
}
