//! Streaming a graph file into memory: one pass over each table, rows
//! checked one by one, bad rows skipped and reported, no allocation per row
//! for ids, kinds or labels.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use super::id_bytes::IdBytes;
use super::id_set::IdSet;
use super::open::{DOCUMENTS, ENTITIES, EXCERPTS, RELATION_EXCERPTS, RELATIONS, open_untrusted};
use super::project::read_saved_view;
use super::recovery::{RecoveredCopy, has_unfinished_save};
use super::rows::Loader;
use super::{LoadReport, StoreError, ViewState};
use crate::model::grades::PackedGrades;
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

pub const LOAD_STAGES: [&str; 7] = [
    "opening",
    "reading documents",
    "reading excerpts",
    "reading entities",
    "reading relations",
    "reading evidence links",
    "preparing the picture",
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

    /// Everything is read; what runs now is building what the first frame draws. The bar
    /// shows it full: the rows are all in.
    pub fn set_preparing(&self) {
        self.set_stage(LOAD_STAGES.len() - 1);
        self.rows_done.store(
            self.rows_total.load(Ordering::Relaxed).max(1),
            Ordering::Relaxed,
        );
        self.rows_total.fetch_max(1, Ordering::Relaxed);
    }

    pub(super) fn set_stage(&self, stage: usize) {
        self.stage.store(stage, Ordering::Relaxed);
    }

    pub(super) fn add_rows(&self, rows: u64) {
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
    /// The view saved in the file, checked; None when it has none (or none
    /// that could be used: the report says why).
    pub view: Option<ViewState>,
    /// Set when the file's last save did not finish: the graph was read
    /// from this private copy, and details must be read from it too.
    pub recovered: Option<Arc<RecoveredCopy>>,
}

impl LoadedGraph {
    /// Where details (texts, evidence) are read from: the file, or its
    /// recovered copy.
    pub fn read_path<'a>(&'a self, path: &'a Path) -> &'a Path {
        self.recovered.as_ref().map_or(path, |copy| copy.path())
    }
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
    if !has_unfinished_save(path) {
        return load_graph_from(path, progress, cancel);
    }
    let copy = Arc::new(RecoveredCopy::make(path)?);
    let mut loaded = load_graph_from(copy.path(), progress, cancel)?;
    loaded.report.path = path.to_path_buf();
    loaded.report.notes.insert(
        0,
        "the file's last save did not finish (its journal is beside it): it was read as it was before that save; saving again completes the recovery".to_owned(),
    );
    loaded.recovered = Some(copy);
    Ok(loaded)
}

fn load_graph_from(
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
    let (import_notes, import_notes_total) = super::import_notes::read_import_notes(&connection);
    loader.report.import_notes = import_notes;
    loader.report.import_notes_total = import_notes_total;
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
    let (builder, relation_ids, mut evidence) = std::thread::scope(|scope| {
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
        log::debug!("entities and relations read after {:?}", started.elapsed());
        // What is left is the evidence thread's: say so, not "reading relations".
        progress.set_stage(5);
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
        let relation_ids = graph_part?;
        Ok::<_, StoreError>((builder, relation_ids, evidence?))
    })?;
    check_cancel(path, cancel)?;
    progress.set_preparing();

    // The evidence reader's problems (documents, excerpts) come first, as
    // those tables are read first in the format's order.
    let mut report = std::mem::take(&mut evidence.report);
    report.path = path.to_path_buf();
    report.format_version = schema.version.max(1);
    report.notes.append(&mut loader.report.notes);
    report.merge(loader.report);
    let mut counts = LinkCounts {
        excerpts: vec![0_u32; relation_ids.len()],
        unsupported_chance: vec![1.0_f32; relation_ids.len()],
        // Only a file with contradicting links pays for a count per relation.
        contradicting: if evidence.contradicting.is_empty() {
            Vec::new()
        } else {
            vec![0_u32; relation_ids.len()]
        },
    };
    count_links(&mut report, &evidence, &relation_ids, &mut counts);
    log::debug!("links counted after {:?}", started.elapsed());
    let support = counts
        .unsupported_chance
        .iter()
        .map(|miss| 1.0 - miss)
        .collect();
    let graph = builder.finish_with_evidence(counts.excerpts, support, counts.contradicting);
    log::debug!("graph finished after {:?}", started.elapsed());
    report.documents = evidence.documents.len();
    report.excerpts = evidence.excerpts.len();
    report.entities = graph.node_count();
    report.relations = graph.edge_count();
    report.unsupported_relations = (0..graph.edge_count() as u32)
        .filter(|&edge| !graph.edge_is_supported(edge))
        .count();
    if graph.has_contradicting() {
        report.disputed_relations = (0..graph.edge_count() as u32)
            .filter(|&edge| graph.edge_is_disputed(edge))
            .count();
    }
    let view = read_saved_view(&connection, &graph, &mut report);
    report.load_ms = started.elapsed().as_millis() as u64;
    Ok(LoadedGraph {
        graph,
        report,
        relations_ms,
        view,
        recovered: None,
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
    documents: IdSet,
    excerpts: IdSet,
    /// Each valid excerpt's grades, packed (see `PackedGrades`).
    excerpt_grades: IdBytes,
    links: Vec<(i64, i64)>,
    /// Indices into `links`, ascending, of the links whose stance is
    /// 'contradicts'.
    contradicting: Vec<u32>,
    report: LoadReport,
}

fn read_evidence(
    path: &Path,
    progress: &LoadProgress,
    cancel: &Arc<AtomicBool>,
) -> Result<Evidence, StoreError> {
    let (connection, schema) = open_untrusted(path, Some(Arc::clone(cancel)))?;
    let mut loader = Loader::new(path, &connection, &schema, progress);
    let (documents, reliability) = loader.read_documents()?;
    check_cancel(path, cancel)?;
    let (excerpts, excerpt_grades) = loader.read_excerpts(&documents, &reliability)?;
    check_cancel(path, cancel)?;
    let super::rows::Links {
        links,
        contradicting,
    } = loader.read_links()?;
    Ok(Evidence {
        documents,
        excerpts,
        excerpt_grades,
        links,
        contradicting,
        report: loader.report,
    })
}

/// Per relation, in edge order: what [`count_links`] adds up.
struct LinkCounts {
    excerpts: Vec<u32>,
    /// Π(1 − w) over each relation's supporting excerpts; support is 1
    /// minus it.
    unsupported_chance: Vec<f32>,
    /// Contradicting excerpts; empty when the file has none.
    contradicting: Vec<u32>,
}

/// Counts each relation's valid excerpts; multiplies into
/// `unsupported_chance` each supporting one's chance of not holding
/// (1 − its weight), and counts the contradicting ones apart, as they
/// raise no support; reports links to relations or excerpts that do not
/// exist or were skipped.
fn count_links(
    report: &mut LoadReport,
    evidence: &Evidence,
    relations: &RelationIds,
    counts: &mut LinkCounts,
) {
    let table = RELATION_EXCERPTS.name;
    let excerpts = &evidence.excerpts;
    // The contradicting links' indices ascend: walked beside the links.
    let mut contradicting = evidence.contradicting.iter().copied().peekable();
    for (index, &(relation, excerpt)) in evidence.links.iter().enumerate() {
        let contradicts = contradicting.next_if_eq(&(index as u32)).is_some();
        let Some(edge) = relations.edge_of(relation) else {
            report.skip(
                table,
                None,
                format!("link ({relation}, {excerpt}): relation {relation} does not exist or was skipped"),
            );
            continue;
        };
        if !excerpts.contains(excerpt) {
            report.skip(
                table,
                None,
                format!(
                    "link ({relation}, {excerpt}): excerpt {excerpt} does not exist or was skipped"
                ),
            );
            continue;
        }
        counts.excerpts[edge as usize] += 1;
        report.relation_excerpt_links += 1;
        if contradicts {
            counts.contradicting[edge as usize] += 1;
            continue;
        }
        let weight = evidence
            .excerpt_grades
            .get(excerpt)
            .and_then(PackedGrades::from_byte)
            .unwrap_or(PackedGrades::new(None, None))
            .weight();
        counts.unsupported_chance[edge as usize] *= 1.0 - weight;
    }
}

/// Relation database ids in edge order, with a fast "which edge is this id"
/// lookup: a binary search when ids ascend (the normal case for rowid
/// tables), a sorted copy otherwise.
pub struct RelationIds {
    ids: Vec<i64>,
    sorted: Option<Vec<(i64, u32)>>,
    /// Ids run on without a gap: the edge is `id - ids[0]`.
    dense: bool,
}

impl RelationIds {
    pub(super) fn new(ids: Vec<i64>) -> Self {
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
        let dense = ascending
            && ids
                .last()
                .zip(ids.first())
                .is_none_or(|(last, first)| last - first == ids.len() as i64 - 1);
        Self { ids, sorted, dense }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn edge_of(&self, id: i64) -> Option<u32> {
        if self.dense {
            let offset = id.checked_sub(*self.ids.first()?)?;
            return (0..self.ids.len() as i64)
                .contains(&offset)
                .then_some(offset as u32);
        }
        match &self.sorted {
            None => self.ids.binary_search(&id).ok().map(|edge| edge as u32),
            Some(sorted) => sorted
                .binary_search_by_key(&id, |&(id, _)| id)
                .ok()
                .map(|index| sorted[index].1),
        }
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
