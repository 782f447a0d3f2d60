//! Streaming a graph file into memory: one pass over each table, rows
//! checked one by one, bad rows skipped and reported, no allocation per row
//! for ids, kinds or labels.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use rusqlite::Connection;

use super::open::{
    DOCUMENTS, ENTITIES, EXCERPTS, RELATION_EXCERPTS, RELATIONS, Schema, TableSpec, open_untrusted,
};
use super::values::{
    Cell, check_properties, is_credibility_grade, is_iso_date, is_reliability_grade,
};
use super::{LoadReport, StoreError};
use crate::model::{FastSet, Graph, GraphBuilder};

/// Limits that keep a hostile file from taking unbounded memory.
pub const MAX_ENTITIES: u64 = 20_000_000;
pub const MAX_RELATIONS: u64 = 60_000_000;
pub const MAX_EVIDENCE_ROWS: u64 = 60_000_000;

/// Shared with the UI thread, which draws it as a progress bar.
#[derive(Debug, Default)]
pub struct LoadProgress {
    stage: AtomicUsize,
    rows_done: AtomicU64,
    rows_total: AtomicU64,
}

pub const LOAD_STAGES: [&str; 6] = [
    "opening",
    "reading documents",
    "reading excerpts",
    "reading entities",
    "reading relations",
    "reading evidence links",
];

impl LoadProgress {
    /// (stage name, fraction of all rows read so far).
    pub fn snapshot(&self) -> (&'static str, f32) {
        let stage = LOAD_STAGES[self
            .stage
            .load(Ordering::Relaxed)
            .min(LOAD_STAGES.len() - 1)];
        let total = self.rows_total.load(Ordering::Relaxed);
        let done = self.rows_done.load(Ordering::Relaxed);
        let fraction = if total == 0 {
            0.0
        } else {
            (done as f64 / total as f64).min(1.0) as f32
        };
        (stage, fraction)
    }

    fn set_stage(&self, stage: usize) {
        self.stage.store(stage, Ordering::Relaxed);
    }

    fn add_rows(&self, rows: u64) {
        self.rows_done.fetch_add(rows, Ordering::Relaxed);
    }
}

/// A graph and the report of how it was read.
#[derive(Debug)]
pub struct LoadedGraph {
    pub graph: Graph,
    pub report: LoadReport,
    /// Milliseconds spent reading the relations table alone (for the
    /// comparison with SQLite's own scan).
    pub relations_ms: f64,
}

/// Reads the whole graph file at `path`. Never writes to it. `cancel` stops
/// the load within a few milliseconds. The evidence tables are read on a
/// second thread, over a second connection, while this one reads entities
/// and relations.
pub fn load_graph(
    path: &Path,
    progress: &LoadProgress,
    cancel: &Arc<AtomicBool>,
) -> Result<LoadedGraph, StoreError> {
    let started = Instant::now();
    progress.set_stage(0);
    let (connection, schema) = open_untrusted(path, Some(Arc::clone(cancel)))?;
    let mut loader = Loader::new(path, &connection, &schema, progress);
    for (table, column) in &schema.missing_columns {
        loader.report.notes.push(format!(
            "table `{table}` has no column `{column}`; it is read as empty"
        ));
    }
    if !schema.has_evidence {
        loader.report.notes.push(
            "the file has no documents, excerpts or relation_excerpts tables; every relation is unsupported".to_owned(),
        );
    }
    let entity_estimate = loader.row_estimate(&ENTITIES, MAX_ENTITIES);
    let relation_estimate = loader.row_estimate(&RELATIONS, MAX_RELATIONS);
    let mut total = entity_estimate + relation_estimate;
    if schema.has_evidence {
        for spec in [&DOCUMENTS, &EXCERPTS, &RELATION_EXCERPTS] {
            total += loader.row_estimate(spec, MAX_EVIDENCE_ROWS);
        }
    }
    progress.rows_total.store(total.max(1), Ordering::Relaxed);
    log::debug!("opened and estimated after {:?}", started.elapsed());
    check_cancel(path, cancel)?;

    let mut relations_ms = 0.0;
    let (builder, relation_ids, evidence) = std::thread::scope(|scope| {
        let evidence_thread = schema.has_evidence.then(|| {
            std::thread::Builder::new()
                .name("linkscope-load-evidence".to_owned())
                .spawn_scoped(scope, || read_evidence(path, progress, cancel))
        });
        progress.set_stage(3);
        let mut builder =
            GraphBuilder::with_capacity(entity_estimate as usize, relation_estimate as usize);
        let graph_part = loader
            .read_entities(&mut builder)
            .and_then(|()| check_cancel(path, cancel))
            .and_then(|()| {
                progress.set_stage(4);
                let relations_started = Instant::now();
                let ids = loader.read_relations(&mut builder);
                relations_ms = relations_started.elapsed().as_secs_f64() * 1000.0;
                ids
            });
        let evidence = match evidence_thread {
            None => Ok(Evidence::default()),
            Some(Err(error)) => Err(StoreError::Io {
                path: path.to_path_buf(),
                source: error,
            }),
            Some(Ok(handle)) => handle
                .join()
                .inspect(|_| log::debug!("evidence joined after {:?}", started.elapsed()))
                .unwrap_or_else(|_| {
                    Err(StoreError::Damaged {
                        path: path.to_path_buf(),
                        detail: "the evidence reader stopped unexpectedly".to_owned(),
                    })
                }),
        };
        log::debug!("entities and relations read after {:?}", started.elapsed());
        let relation_ids = graph_part?;
        Ok::<_, StoreError>((builder, relation_ids, evidence?))
    })?;
    check_cancel(path, cancel)?;

    // The evidence reader's problems (documents, excerpts) come first, as
    // those tables are read first in the format's order.
    let mut report = evidence.report;
    report.path = path.to_path_buf();
    report.format_version = schema.version.max(1);
    report.notes.append(&mut loader.report.notes);
    report.merge(loader.report);
    let mut excerpt_counts = vec![0_u32; relation_ids.len()];
    count_links(
        &mut report,
        &evidence.links,
        &relation_ids,
        &evidence.excerpts,
        &mut excerpt_counts,
    );
    let graph = builder.finish(excerpt_counts);
    log::debug!("graph finished after {:?}", started.elapsed());
    report.documents = evidence.documents.len();
    report.excerpts = evidence.excerpts.len();
    report.entities = graph.node_count();
    report.relations = graph.edge_count();
    report.unsupported_relations = (0..graph.edge_count() as u32)
        .filter(|&edge| !graph.edge_is_supported(edge))
        .count();
    report.load_ms = started.elapsed().as_millis() as u64;
    Ok(LoadedGraph {
        graph,
        report,
        relations_ms,
    })
}

fn check_cancel(path: &Path, cancel: &AtomicBool) -> Result<(), StoreError> {
    if cancel.load(Ordering::Relaxed) {
        Err(StoreError::Cancelled {
            path: path.to_path_buf(),
        })
    } else {
        Ok(())
    }
}

/// What the evidence thread read: valid document and excerpt ids, and the
/// links whose ids parse (checked against relations once those are read).
#[derive(Default)]
struct Evidence {
    documents: FastSet<i64>,
    excerpts: FastSet<i64>,
    links: Vec<(i64, i64)>,
    report: LoadReport,
}

fn read_evidence(
    path: &Path,
    progress: &LoadProgress,
    cancel: &Arc<AtomicBool>,
) -> Result<Evidence, StoreError> {
    let (connection, schema) = open_untrusted(path, Some(Arc::clone(cancel)))?;
    let mut loader = Loader::new(path, &connection, &schema, progress);
    let documents = loader.read_documents()?;
    check_cancel(path, cancel)?;
    let excerpts = loader.read_excerpts(&documents)?;
    check_cancel(path, cancel)?;
    let links = loader.read_links()?;
    Ok(Evidence {
        documents,
        excerpts,
        links,
        report: loader.report,
    })
}

/// Counts each relation's valid excerpts; reports links to relations or
/// excerpts that do not exist or were skipped.
fn count_links(
    report: &mut LoadReport,
    links: &[(i64, i64)],
    relations: &RelationIds,
    excerpts: &FastSet<i64>,
    excerpt_counts: &mut [u32],
) {
    let table = RELATION_EXCERPTS.name;
    for &(relation, excerpt) in links {
        let Some(edge) = relations.edge_of(relation) else {
            report.skip(
                table,
                None,
                format!("link ({relation}, {excerpt}): relation {relation} does not exist or was skipped"),
            );
            continue;
        };
        if !excerpts.contains(&excerpt) {
            report.skip(
                table,
                None,
                format!(
                    "link ({relation}, {excerpt}): excerpt {excerpt} does not exist or was skipped"
                ),
            );
            continue;
        }
        excerpt_counts[edge as usize] += 1;
        report.relation_excerpt_links += 1;
    }
}

/// Relation database ids in edge order, with a fast "which edge is this id"
/// lookup: a binary search when ids ascend (the normal case for rowid
/// tables), a sorted copy otherwise.
pub struct RelationIds {
    ids: Vec<i64>,
    sorted: Option<Vec<(i64, u32)>>,
}

impl RelationIds {
    fn new(ids: Vec<i64>) -> Self {
        let ascending = ids.windows(2).all(|pair| pair[0] < pair[1]);
        let sorted = (!ascending).then(|| {
            let mut sorted: Vec<(i64, u32)> = ids
                .iter()
                .enumerate()
                .map(|(edge, &id)| (id, edge as u32))
                .collect();
            sorted.sort_unstable();
            sorted
        });
        Self { ids, sorted }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn edge_of(&self, id: i64) -> Option<u32> {
        match &self.sorted {
            None => self.ids.binary_search(&id).ok().map(|edge| edge as u32),
            Some(sorted) => sorted
                .binary_search_by_key(&id, |&(id, _)| id)
                .ok()
                .map(|index| sorted[index].1),
        }
    }
}

struct Loader<'a> {
    path: &'a Path,
    connection: &'a Connection,
    schema: &'a Schema,
    progress: &'a LoadProgress,
    report: LoadReport,
}

/// The widest table read (relations).
const MAX_COLUMNS: usize = 8;

/// Reports progress every this many rows, to keep atomics off the hot path.
const PROGRESS_EVERY: u64 = 4096;

impl<'a> Loader<'a> {
    fn new(
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
    fn row_estimate(&self, spec: &TableSpec, limit: u64) -> u64 {
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

    /// Runs `SELECT <columns> FROM table` and hands each row's cells to
    /// `visit`; refuses the file when the table has more rows than `limit`.
    fn scan(
        &mut self,
        spec: &TableSpec,
        limit: u64,
        mut visit: impl FnMut(&mut LoadReport, &[Cell<'_>]),
    ) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT {} FROM \"{}\"",
            self.schema.select_list(spec),
            spec.name
        );
        let error = |error| StoreError::from_query(self.path, spec.name, error);
        let mut statement = self.connection.prepare(&sql).map_err(error)?;
        let width = spec.required.len() + spec.optional.len();
        let mut rows = statement.query([]).map_err(error)?;
        let mut since_progress = 0;
        let mut rows_read = 0_u64;
        while let Some(row) = rows.next().map_err(error)? {
            rows_read += 1;
            if rows_read > limit {
                return Err(StoreError::TooLarge {
                    path: self.path.to_path_buf(),
                    what: format!("`{}` has more than {limit} rows", spec.name),
                    limit,
                });
            }
            let mut cells = [Cell::Null; MAX_COLUMNS];
            for (column, cell) in cells.iter_mut().enumerate().take(width) {
                *cell = Cell::from_value(row.get_ref(column).map_err(error)?);
            }
            visit(&mut self.report, &cells[..width]);
            since_progress += 1;
            if since_progress == PROGRESS_EVERY {
                self.progress.add_rows(since_progress);
                since_progress = 0;
            }
        }
        self.progress.add_rows(since_progress);
        Ok(())
    }

    fn read_documents(&mut self) -> Result<FastSet<i64>, StoreError> {
        let table = DOCUMENTS.name;
        let mut documents = FastSet::default();
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
            }
        })?;
        Ok(documents)
    }

    fn read_excerpts(&mut self, documents: &FastSet<i64>) -> Result<FastSet<i64>, StoreError> {
        let table = EXCERPTS.name;
        let mut excerpts = FastSet::default();
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
            if !documents.contains(&document) {
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
            }
        })?;
        Ok(excerpts)
    }

    fn read_entities(&mut self, builder: &mut GraphBuilder) -> Result<(), StoreError> {
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

    fn read_relations(&mut self, builder: &mut GraphBuilder) -> Result<RelationIds, StoreError> {
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
    fn read_links(&mut self) -> Result<Vec<(i64, i64)>, StoreError> {
        let table = RELATION_EXCERPTS.name;
        let mut links = Vec::new();
        self.scan(
            &RELATION_EXCERPTS,
            MAX_EVIDENCE_ROWS,
            |report, cells| match (cells[0].as_id(), cells[1].as_id()) {
                (Ok(relation), Ok(excerpt)) => links.push((relation, excerpt)),
                (Err(reason), _) => report.skip(table, None, format!("relation_id {reason}")),
                (_, Err(reason)) => report.skip(table, None, format!("excerpt_id {reason}")),
            },
        )?;
        Ok(links)
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

/// SQLite's own scan of the relations table, every column touched and
/// nothing kept: the floor that loading is compared against.
pub fn sqlite_relation_scan_ms(path: &Path) -> Result<f64, StoreError> {
    let (connection, schema) = open_untrusted(path, None)?;
    let started = Instant::now();
    let sql = format!("SELECT {} FROM relations", schema.select_list(&RELATIONS));
    let error = |error| StoreError::from_query(path, RELATIONS.name, error);
    let mut statement = connection.prepare(&sql).map_err(error)?;
    let width = statement.column_count();
    let mut rows = statement.query([]).map_err(error)?;
    let mut checksum = 0_usize;
    while let Some(row) = rows.next().map_err(error)? {
        for column in 0..width {
            checksum = checksum.wrapping_add(match row.get_ref(column).map_err(error)? {
                rusqlite::types::ValueRef::Integer(value) => value as usize,
                rusqlite::types::ValueRef::Text(bytes) | rusqlite::types::ValueRef::Blob(bytes) => {
                    bytes.len()
                }
                _ => 1,
            });
        }
    }
    std::hint::black_box(checksum);
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}
