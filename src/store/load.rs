//! Streaming a graph file into memory: one pass over each table, rows
//! checked one by one, bad rows skipped and reported, no allocation per row
//! for ids, kinds or labels.

use std::collections::HashSet;
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
use crate::model::{Graph, GraphBuilder};

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
}

/// Reads the whole graph file at `path`. Never writes to it. `cancel` stops
/// the load within a few milliseconds.
pub fn load_graph(
    path: &Path,
    progress: &LoadProgress,
    cancel: &Arc<AtomicBool>,
) -> Result<LoadedGraph, StoreError> {
    let started = Instant::now();
    progress.set_stage(0);
    let (connection, schema) = open_untrusted(path, Some(Arc::clone(cancel)))?;
    let mut loader = Loader {
        path,
        connection: &connection,
        schema: &schema,
        progress,
        report: LoadReport {
            path: path.to_path_buf(),
            format_version: schema.version.max(1),
            ..LoadReport::default()
        },
    };
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
    let entity_count = loader.count(&ENTITIES, MAX_ENTITIES)?;
    let relation_count = loader.count(&RELATIONS, MAX_RELATIONS)?;
    let mut total = entity_count + relation_count;
    if schema.has_evidence {
        for spec in [&DOCUMENTS, &EXCERPTS, &RELATION_EXCERPTS] {
            total += loader.count(spec, MAX_EVIDENCE_ROWS)?;
        }
    }
    progress.rows_total.store(total, Ordering::Relaxed);
    let check_cancel = || {
        if cancel.load(Ordering::Relaxed) {
            Err(StoreError::Cancelled {
                path: path.to_path_buf(),
            })
        } else {
            Ok(())
        }
    };
    check_cancel()?;

    let (documents, excerpts) = if schema.has_evidence {
        progress.set_stage(1);
        let documents = loader.read_documents()?;
        progress.set_stage(2);
        let excerpts = loader.read_excerpts(&documents)?;
        (documents, excerpts)
    } else {
        (HashSet::new(), HashSet::new())
    };
    let mut builder = GraphBuilder::with_capacity(entity_count as usize, relation_count as usize);
    check_cancel()?;
    progress.set_stage(3);
    loader.read_entities(&mut builder)?;
    check_cancel()?;
    progress.set_stage(4);
    let relation_ids = loader.read_relations(&mut builder)?;
    check_cancel()?;
    let mut excerpt_counts = vec![0_u32; relation_ids.len()];
    if schema.has_evidence {
        progress.set_stage(5);
        loader.read_links(&relation_ids, &excerpts, &mut excerpt_counts)?;
    }
    let graph = builder.finish(excerpt_counts);
    let mut report = loader.report;
    report.documents = documents.len();
    report.excerpts = excerpts.len();
    report.entities = graph.node_count();
    report.relations = graph.edge_count();
    report.unsupported_relations = (0..graph.edge_count() as u32)
        .filter(|&edge| !graph.edge_is_supported(edge))
        .count();
    report.load_ms = started.elapsed().as_millis() as u64;
    Ok(LoadedGraph { graph, report })
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

impl Loader<'_> {
    fn count(&self, spec: &TableSpec, limit: u64) -> Result<u64, StoreError> {
        let count: i64 = self
            .connection
            .query_row(
                &format!("SELECT count(*) FROM \"{}\"", spec.name),
                [],
                |row| row.get(0),
            )
            .map_err(|error| StoreError::from_query(self.path, spec.name, error))?;
        let count = count.max(0) as u64;
        if count > limit {
            return Err(StoreError::TooLarge {
                path: self.path.to_path_buf(),
                what: format!("`{}` has {count} rows", spec.name),
                limit,
            });
        }
        Ok(count)
    }

    /// Runs `SELECT <columns> FROM table` and hands each row's cells to `visit`.
    fn scan(
        &mut self,
        spec: &TableSpec,
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
        while let Some(row) = rows.next().map_err(error)? {
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

    fn read_documents(&mut self) -> Result<HashSet<i64>, StoreError> {
        let table = DOCUMENTS.name;
        let mut documents = HashSet::new();
        self.scan(&DOCUMENTS, |report, cells| {
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

    fn read_excerpts(&mut self, documents: &HashSet<i64>) -> Result<HashSet<i64>, StoreError> {
        let table = EXCERPTS.name;
        let mut excerpts = HashSet::new();
        self.scan(&EXCERPTS, |report, cells| {
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
        self.scan(&ENTITIES, |report, cells| {
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
        let mut seen: Option<HashSet<i64>> = None;
        self.scan(&RELATIONS, |report, cells| {
            let Some(id) = row_id(report, table, cells[0]) else {
                return;
            };
            // Ids normally ascend; only a file that breaks that order pays
            // for a set to catch duplicates.
            if ids.last().is_some_and(|&last| id <= last) {
                let seen = seen.get_or_insert_with(|| ids.iter().copied().collect());
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

    fn read_links(
        &mut self,
        relations: &RelationIds,
        excerpts: &HashSet<i64>,
        excerpt_counts: &mut [u32],
    ) -> Result<(), StoreError> {
        let table = RELATION_EXCERPTS.name;
        self.scan(&RELATION_EXCERPTS, |report, cells| {
            let (relation, excerpt) = match (cells[0].as_id(), cells[1].as_id()) {
                (Ok(relation), Ok(excerpt)) => (relation, excerpt),
                (Err(reason), _) => return report.skip(table, None, format!("relation_id {reason}")),
                (_, Err(reason)) => return report.skip(table, None, format!("excerpt_id {reason}")),
            };
            let Some(edge) = relations.edge_of(relation) else {
                return report.skip(
                    table,
                    None,
                    format!("link ({relation}, {excerpt}): relation {relation} does not exist or was skipped"),
                );
            };
            if !excerpts.contains(&excerpt) {
                return report.skip(
                    table,
                    None,
                    format!("link ({relation}, {excerpt}): excerpt {excerpt} does not exist or was skipped"),
                );
            }
            excerpt_counts[edge as usize] += 1;
            report.relation_excerpt_links += 1;
        })
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
