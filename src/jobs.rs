//! Background work, each on a named thread with channels back to the UI:
//! loading a graph file, building and running the layout, saving the view, exporting a
//! picture, reading details, tracing paths. The UI thread only polls.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use crate::export::ExportError;
use crate::export::picture::{ExportOutcome, ExportRequest, export_picture};
use crate::layout::{Layout, LayoutAlgorithm, LayoutSettings};
use crate::model::capture::CaptureSet;
use crate::model::{Graph, NodeIx};
use crate::scene::GraphScene;
use crate::store::{
    DetailsReader, LoadProgress, LoadedGraph, SaveOutcome, StoreError, ViewState, load_graph,
    save_view_as, save_view_with,
};

pub mod capture;
mod details;
mod evidence_export;
pub mod explore;
pub mod grow;
mod layout;
pub use layout::{LayoutCommand, LayoutJob, LayoutStart, LayoutStatus, MAX_ITERATIONS, Placement};
pub mod memory;
mod metrics;
pub use metrics::{MetricsJob, MetricsOutcome, MetricsPoll};
mod trace;
pub use details::{Answered, DetailsAnswer, DetailsQuery, DetailsWorker};
pub mod search;
pub use evidence_export::EvidenceExportJob;
mod import;
pub use import::{CsvReadJob, GraphExportJob, ImportJob};
pub use trace::{TraceJob, TraceOutcome, TraceRequest};
mod visibility;
pub use visibility::{ClaimsJob, ViewUpdate, ViewUpdateJob, ViewUpdateRequest, update_view};

/// Everything a finished load hands to the app: all a first frame needs. The layout itself is
/// built afterwards, on the layout thread ([`LayoutJob`]), while the graph is already drawn.
pub struct LoadedDocument {
    pub loaded: LoadedGraph,
    pub reader: DetailsReader,
    /// Built here, off the UI thread: a million edge instances take a while.
    pub scene: GraphScene,
    /// Where the nodes are drawn first, and how the layout is built.
    pub start: LayoutStart,
    /// What the layout is built from, kept so that it can be started again.
    pub edges: Vec<(NodeIx, NodeIx)>,
    pub layout_settings: LayoutSettings,
    pub timings: PrepareTimings,
}

impl LoadedDocument {
    /// The layout as the window's layout thread builds it, built here and now (for the
    /// command line, benchmarks and tests, which have no first frame to show meanwhile).
    pub fn layout(&self) -> Layout {
        // Nobody can cancel this progress, so the build always finishes.
        let progress = crate::layout::StartProgress::default();
        self.start
            .build(&self.edges, &self.layout_settings, &progress)
            .unwrap_or_else(|crate::layout::Cancelled| {
                Layout::with_positions(
                    &self.start.placement,
                    &self.edges,
                    self.layout_settings.clone(),
                )
            })
    }
}

/// Where the time to a first frame went, in milliseconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct PrepareTimings {
    pub load_ms: f64,
    pub scene_ms: f64,
    /// The first placement (seeded start positions, or a saved view's): the layout proper is
    /// built after the first frame.
    pub placement_ms: f64,
    /// From the start to everything a first frame needs: the scene and the placement are
    /// built at once.
    pub total_ms: f64,
}

/// Reads the file at `path` and builds all a first frame needs: the graph, the GPU scene
/// (tagged `generation`) and the first placement of the nodes, which costs milliseconds (the
/// layout, whose multilevel start takes seconds on a large graph, is built afterwards from
/// [`LoadedDocument::start`]). The app runs this on its load thread; `linkscope bench-load`
/// times it.
pub fn prepare_document(
    path: &Path,
    generation: u64,
    base_settings: &LayoutSettings,
    progress: &LoadProgress,
    cancel: &Arc<AtomicBool>,
) -> Result<LoadedDocument, StoreError> {
    let started = Instant::now();
    let ms = |since: Instant| since.elapsed().as_secs_f64() * 1000.0;
    let loaded = load_graph(path, progress, cancel)?;
    let load_ms = ms(started);
    progress.set_preparing();
    let reader = DetailsReader::open(loaded.read_path(path))?;
    let edges = loaded.graph.edge_pairs();
    // A saved view brings its own layout settings and positions.
    let saved = loaded.view.as_ref();
    let layout_settings = saved
        .and_then(|view| view.layout.clone())
        .unwrap_or_else(|| layout_settings_for(base_settings, loaded.graph.node_count()));
    let ((scene, scene_ms), (start, placement_ms)) = rayon::join(
        || {
            let started = Instant::now();
            (GraphScene::build(&loaded.graph, generation), ms(started))
        },
        || {
            let started = Instant::now();
            let start = match saved.filter(|view| !view.positions.is_empty()) {
                Some(view) => restored_start(&loaded.graph, view, &layout_settings),
                None => LayoutStart {
                    placement: Layout::start_positions(
                        loaded.graph.node_count(),
                        layout_settings.seed,
                    ),
                    restored: None,
                },
            };
            (start, ms(started))
        },
    );
    Ok(LoadedDocument {
        loaded,
        reader,
        scene,
        start,
        edges,
        layout_settings,
        timings: PrepareTimings {
            load_ms,
            scene_ms,
            placement_ms,
            total_ms: ms(started),
        },
    })
}

/// The saved view's picture: every entity where the view left it, with its pins. Entities the
/// view does not place (added since) start where a fresh layout would put them.
fn restored_start(graph: &Graph, view: &ViewState, settings: &LayoutSettings) -> LayoutStart {
    let mut placement = Layout::start_positions(graph.node_count(), settings.seed);
    let mut pinned = Vec::new();
    for saved in &view.positions {
        if let Some(node) = graph.node_by_db_id(saved.entity_id) {
            placement[node as usize] = saved.world;
            if saved.pinned {
                pinned.push(node);
            }
        }
    }
    LayoutStart {
        placement,
        restored: Some(pinned),
    }
}

/// Below this many nodes, the repulsion is scaled as if there were this many.
const FEW_NODES: usize = 25;

/// Small graphs get more room: `ForceAtlas2`'s default scaling packs a few
/// dozen labelled nodes too tightly to read. A graph's spread grows with the
/// repulsion of all its nodes, so graphs of fewer than [`FEW_NODES`] nodes get
/// the repulsion of that many; otherwise 3 nodes end up touching, and a
/// 3-node graph should look like a 30-node one.
pub fn layout_settings_for(base: &LayoutSettings, node_count: usize) -> LayoutSettings {
    // `LinLog` attraction grows only with the log of the distance, so the community layout
    // spreads small graphs enough on its own; more repulsion would fling leaves far out.
    if base.algorithm == LayoutAlgorithm::Community {
        return base.clone();
    }
    let scaling_ratio = match node_count {
        0..FEW_NODES => base.scaling_ratio * 2.5 * FEW_NODES as f32 / node_count.max(1) as f32,
        FEW_NODES..200 => base.scaling_ratio * 2.5,
        200..2000 => base.scaling_ratio * 1.5,
        _ => base.scaling_ratio,
    };
    LayoutSettings {
        scaling_ratio,
        ..base.clone()
    }
}

/// A file being read on its own thread.
pub struct LoadJob {
    pub path: PathBuf,
    pub progress: Arc<LoadProgress>,
    cancel: Arc<AtomicBool>,
    result: Receiver<Result<LoadedDocument, StoreError>>,
    pub started: Instant,
}

/// What polling a load job found.
pub enum LoadPoll {
    Running,
    Done(Box<Result<LoadedDocument, StoreError>>),
}

impl LoadJob {
    /// `generation` tags the scene's GPU buffers, so they are uploaded anew.
    pub fn start(
        path: &Path,
        generation: u64,
        layout_settings: LayoutSettings,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let progress = Arc::new(LoadProgress::default());
        let cancel = Arc::new(AtomicBool::new(false));
        let (sender, result) = channel();
        let thread_path = path.to_path_buf();
        let thread_progress = Arc::clone(&progress);
        let thread_cancel = Arc::clone(&cancel);
        std::thread::Builder::new()
            .name("linkscope-load".to_owned())
            .spawn(move || {
                let outcome = prepare_document(
                    &thread_path,
                    generation,
                    &layout_settings,
                    &thread_progress,
                    &thread_cancel,
                );
                // The app may have dropped the job (a newer file was opened).
                let _ = sender.send(outcome);
                repaint.request_repaint();
            })?;
        Ok(Self {
            path: path.to_path_buf(),
            progress,
            cancel,
            result,
            started: Instant::now(),
        })
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn poll(&self) -> LoadPoll {
        match self.result.try_recv() {
            Ok(outcome) => LoadPoll::Done(Box::new(outcome)),
            Err(TryRecvError::Empty) => LoadPoll::Running,
            Err(TryRecvError::Disconnected) => {
                LoadPoll::Done(Box::new(Err(StoreError::Cancelled {
                    path: self.path.clone(),
                })))
            }
        }
    }
}

/// A save running on its own thread: one SQLite transaction, or a copy of
/// the file and then one transaction.
pub struct SaveJob {
    /// The file being written.
    pub target: PathBuf,
    /// The captured evidence it writes, as it was when the save began.
    pub captures: Option<Arc<CaptureSet>>,
    result: Receiver<Result<SaveOutcome, StoreError>>,
}

impl SaveJob {
    /// Saves `view` into `target`; with `copy_from`, first writes a full
    /// copy of that file to `target` (Save As).
    pub fn start(
        target: PathBuf,
        copy_from: Option<PathBuf>,
        view: ViewState,
        captures: Option<Arc<CaptureSet>>,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let (sender, result) = channel();
        let thread_target = target.clone();
        let written = captures.clone();
        std::thread::Builder::new()
            .name("linkscope-save".to_owned())
            .spawn(move || {
                let outcome = match copy_from {
                    Some(from) => save_view_as(&from, &thread_target, &view, captures.as_deref()),
                    None => save_view_with(&thread_target, &view, captures.as_deref()),
                };
                // The app may have gone; then nobody waits for the answer.
                let _ = sender.send(outcome);
                repaint.request_repaint();
            })?;
        Ok(Self {
            target,
            captures: written,
            result,
        })
    }

    /// The outcome, once the save has finished.
    pub fn poll(&self) -> Option<Result<SaveOutcome, StoreError>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(StoreError::Io {
                path: self.target.clone(),
                source: std::io::Error::other("the save stopped unexpectedly"),
            })),
        }
    }
}

/// A picture being drawn and written on its own thread.
pub struct ExportJob {
    result: Receiver<Result<ExportOutcome, ExportError>>,
}

impl ExportJob {
    pub fn start(request: ExportRequest, repaint: egui::Context) -> std::io::Result<Self> {
        let (sender, result) = channel();
        std::thread::Builder::new()
            .name("linkscope-export".to_owned())
            .spawn(move || {
                // The app may have gone; then nobody waits for the answer.
                let _ = sender.send(export_picture(&request));
                repaint.request_repaint();
            })?;
        Ok(Self { result })
    }

    /// The outcome, once the export has finished.
    pub fn poll(&self) -> Option<Result<ExportOutcome, ExportError>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(ExportError::Render {
                path: PathBuf::new(),
                detail: "the export stopped unexpectedly".to_owned(),
            })),
        }
    }
}
