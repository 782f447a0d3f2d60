//! Background work, each on a named thread with channels back to the UI:
//! loading a graph file, running the layout, saving the view, exporting a
//! picture, reading details, tracing paths. The UI thread only polls.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::export::ExportError;
use crate::export::picture::{ExportOutcome, ExportRequest, export_picture};
use crate::layout::{Layout, LayoutAlgorithm, LayoutSettings};
use crate::model::{Graph, NodeIx};
use crate::store::{
    DetailsReader, LoadProgress, LoadedGraph, SaveOutcome, StoreError, ViewState, load_graph,
    save_view, save_view_as,
};
use crate::view::scene::GraphScene;

mod details;
mod evidence_export;
pub mod memory;
mod metrics;
pub use metrics::{MetricsJob, MetricsOutcome, MetricsPoll};
mod trace;
pub use details::{Answered, DetailsAnswer, DetailsQuery, DetailsWorker};
pub mod search;
pub use evidence_export::EvidenceExportJob;
pub use trace::{TraceJob, TraceOutcome, TraceRequest};
mod visibility;
pub use visibility::{ClaimsJob, ViewUpdate, ViewUpdateJob, ViewUpdateRequest, update_view};

/// Everything a finished load hands to the app.
pub struct LoadedDocument {
    pub loaded: LoadedGraph,
    pub reader: DetailsReader,
    /// Built here, off the UI thread: a million edge instances take a while.
    pub scene: GraphScene,
    /// The layout, built beside the scene, ready to run; with what it was built from, so it
    /// can be started again.
    pub layout: Layout,
    pub edges: Vec<(NodeIx, NodeIx)>,
    pub layout_settings: LayoutSettings,
    pub timings: PrepareTimings,
}

/// Where the time to a first frame went, in milliseconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct PrepareTimings {
    pub load_ms: f64,
    pub scene_ms: f64,
    pub layout_init_ms: f64,
    /// From the start to everything ready: the scene and the layout are built at once.
    pub total_ms: f64,
}

/// Reads the file at `path` and builds all a first frame needs: the graph, the GPU scene
/// (tagged `generation`) and the layout with its start positions. The scene and the layout
/// are built at the same time. The app runs this on its load thread; `linkscope bench-load`
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
    let reader = DetailsReader::open(loaded.read_path(path))?;
    let edges = loaded.graph.edge_pairs();
    // A saved view brings its own layout settings and positions.
    let saved = loaded.view.as_ref();
    let layout_settings = saved
        .and_then(|view| view.layout.clone())
        .unwrap_or_else(|| layout_settings_for(base_settings, loaded.graph.node_count()));
    let ((scene, scene_ms), (layout, layout_init_ms)) = rayon::join(
        || {
            let started = Instant::now();
            (GraphScene::build(&loaded.graph, generation), ms(started))
        },
        || {
            let started = Instant::now();
            let layout = match saved.filter(|view| !view.positions.is_empty()) {
                Some(view) => restored_layout(&loaded.graph, view, &edges, &layout_settings),
                None => Layout::new(loaded.graph.node_count(), &edges, layout_settings.clone()),
            };
            (layout, ms(started))
        },
    );
    Ok(LoadedDocument {
        loaded,
        reader,
        scene,
        layout,
        edges,
        layout_settings,
        timings: PrepareTimings {
            load_ms,
            scene_ms,
            layout_init_ms,
            total_ms: ms(started),
        },
    })
}

/// A layout starting where the saved view left every entity, with its pins.
/// Entities the view does not place (added since) start where a fresh
/// layout would put them.
fn restored_layout(
    graph: &Graph,
    view: &ViewState,
    edges: &[(NodeIx, NodeIx)],
    settings: &LayoutSettings,
) -> Layout {
    let mut positions = Layout::start_positions(graph.node_count(), settings.seed);
    let mut pinned = Vec::new();
    for saved in &view.positions {
        if let Some(node) = graph.node_by_db_id(saved.entity_id) {
            positions[node as usize] = saved.world;
            if saved.pinned {
                pinned.push(node);
            }
        }
    }
    let mut layout = Layout::with_positions(&positions, edges, settings.clone());
    for node in pinned {
        layout.set_pinned(node, true);
    }
    layout
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

/// Requests to the layout thread.
#[derive(Debug, Clone, PartialEq)]
pub enum LayoutCommand {
    Pause,
    /// Go on; on a settled layout, run a few more iterations.
    Resume,
    /// Start again from the seeded start positions.
    Restart,
    /// Start again with these settings.
    Reconfigure(Box<LayoutSettings>),
    /// Move a node and pin it there.
    Pin {
        node: NodeIx,
        world: [f32; 2],
    },
    Unpin(NodeIx),
    /// Put each node at its place, pinned or not, in one step: a group
    /// drag, or an undo putting moved nodes back.
    Place(Vec<Placement>),
}

/// Where one node goes, and whether it stays there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    pub node: NodeIx,
    pub world: [f32; 2],
    pub pinned: bool,
}

/// The layout's latest published state.
#[derive(Clone, Debug)]
pub struct LayoutStatus {
    pub positions: Arc<Vec<[f32; 2]>>,
    pub generation: u64,
    pub iteration: u64,
    pub running: bool,
    pub settled: bool,
    pub iterations_per_second: f32,
}

/// The layout is given at most this many iterations before it is called
/// settled, so a graph that never converges doesn't spin forever.
pub const MAX_ITERATIONS: u64 = 3000;
/// Iterations run when a settled layout is resumed: a little refinement.
const ITERATIONS_ON_RESUME: u64 = 200;

/// The force layout running on its own thread.
pub struct LayoutJob {
    status: Arc<Mutex<LayoutStatus>>,
    commands: Sender<LayoutCommand>,
}

impl LayoutJob {
    /// Runs `layout` (built from `edges` with `settings`, which a restart reuses) on its own
    /// thread. Positions arrive with the first publish.
    /// Starts it paused when `paused` (a restored view stays as it was saved
    /// until the user resumes the layout).
    pub fn start(
        layout: Layout,
        edges: Vec<(NodeIx, NodeIx)>,
        settings: LayoutSettings,
        paused: bool,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let node_count = layout.node_count();
        let status = Arc::new(Mutex::new(LayoutStatus {
            positions: Arc::new(Vec::new()),
            generation: 0,
            iteration: 0,
            running: !paused,
            settled: node_count == 0,
            iterations_per_second: 0.0,
        }));
        let (commands, receiver) = channel();
        let thread_status = Arc::clone(&status);
        std::thread::Builder::new()
            .name("linkscope-layout".to_owned())
            .spawn(move || {
                run_layout(
                    layout,
                    &edges,
                    settings,
                    paused,
                    &receiver,
                    &thread_status,
                    &repaint,
                );
            })?;
        Ok(Self { status, commands })
    }

    pub fn send(&self, command: LayoutCommand) {
        // A closed channel means the thread is gone; there is nothing to tell.
        let _ = self.commands.send(command);
    }

    pub fn status(&self) -> LayoutStatus {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

fn run_layout(
    mut layout: Layout,
    edges: &[(NodeIx, NodeIx)],
    mut settings: LayoutSettings,
    paused: bool,
    commands: &Receiver<LayoutCommand>,
    status: &Mutex<LayoutStatus>,
    repaint: &egui::Context,
) {
    let mut running = !paused;
    let mut extra_iterations = 0_u64;
    let mut publisher = Publisher::default();
    publisher.publish_positions(&layout, status);
    repaint.request_repaint();
    let mut rate_window = (Instant::now(), 0_u32);
    let mut iterations_per_second = 0.0;
    loop {
        let settled = is_settled(&layout, extra_iterations);
        let busy = running && !settled;
        let command = if busy {
            match commands.try_recv() {
                Ok(command) => Some(command),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => return,
            }
        } else {
            match commands.recv_timeout(Duration::from_millis(200)) {
                Ok(command) => Some(command),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => None,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            }
        };
        let mut moved = false;
        match command {
            Some(LayoutCommand::Pause) => running = false,
            Some(LayoutCommand::Resume) => {
                // Resuming a settled layout refines it a little further.
                if settled {
                    extra_iterations = ITERATIONS_ON_RESUME;
                }
                running = true;
            }
            Some(LayoutCommand::Reconfigure(new)) => {
                settings = *new;
                layout = Layout::new(layout.node_count(), edges, settings.clone());
                running = true;
                extra_iterations = 0;
                moved = true;
            }
            Some(LayoutCommand::Restart) => {
                layout = Layout::new(layout.node_count(), edges, settings.clone());
                running = true;
                extra_iterations = 0;
                moved = true;
            }
            // A settled picture stays put: only the dragged node moves. A
            // running layout simply goes on around the pinned node.
            Some(LayoutCommand::Pin { node, world }) => {
                layout.set_position(node, world);
                layout.set_pinned(node, true);
                moved = true;
            }
            // The node rejoins the layout the next time it runs.
            Some(LayoutCommand::Unpin(node)) => layout.set_pinned(node, false),
            Some(LayoutCommand::Place(placements)) => {
                for placement in placements {
                    if (placement.node as usize) < layout.node_count() {
                        layout.set_position(placement.node, placement.world);
                        layout.set_pinned(placement.node, placement.pinned);
                    }
                }
                moved = true;
            }
            None => {}
        }
        let settled = is_settled(&layout, extra_iterations);
        if running && !settled {
            layout.step();
            extra_iterations = extra_iterations.saturating_sub(1);
            moved = true;
            rate_window.1 += 1;
            let elapsed = rate_window.0.elapsed().as_secs_f32();
            if elapsed >= 0.5 {
                iterations_per_second = rate_window.1 as f32 / elapsed;
                rate_window = (Instant::now(), 0);
            }
        }
        let settled = is_settled(&layout, extra_iterations);
        if moved {
            publisher.publish_positions(&layout, status);
        }
        let mut published = status.lock().unwrap_or_else(PoisonError::into_inner);
        let changed = moved || published.running != running || published.settled != settled;
        published.iteration = layout.iteration();
        published.running = running;
        published.settled = settled;
        published.iterations_per_second = if running && !settled {
            iterations_per_second
        } else {
            0.0
        };
        drop(published);
        if changed {
            repaint.request_repaint();
        }
    }
}

/// Settled: converged or out of iterations, with no extra iterations owed
/// after a resume.
fn is_settled(layout: &Layout, extra_iterations: u64) -> bool {
    layout.node_count() == 0
        || (extra_iterations == 0 && (layout.converged() || layout.iteration() >= MAX_ITERATIONS))
}

/// Publishes positions without allocating a new buffer every iteration:
/// the buffer published two iterations ago is reused once the UI has let go
/// of it.
#[derive(Default)]
struct Publisher {
    generation: u64,
    spare: Option<Arc<Vec<[f32; 2]>>>,
}

impl Publisher {
    fn publish_positions(&mut self, layout: &Layout, status: &Mutex<LayoutStatus>) {
        let mut positions = self
            .spare
            .take()
            .and_then(|spare| Arc::try_unwrap(spare).ok())
            .unwrap_or_default();
        // Copied outside the lock, so the UI never waits for it.
        layout.copy_positions_into(&mut positions);
        self.generation += 1;
        let mut published = status.lock().unwrap_or_else(PoisonError::into_inner);
        let previous = std::mem::replace(&mut published.positions, Arc::new(positions));
        published.generation = self.generation;
        drop(published);
        self.spare = Some(previous);
    }
}

/// A save running on its own thread: one SQLite transaction, or a copy of
/// the file and then one transaction.
pub struct SaveJob {
    /// The file being written.
    pub target: PathBuf,
    result: Receiver<Result<SaveOutcome, StoreError>>,
}

impl SaveJob {
    /// Saves `view` into `target`; with `copy_from`, first writes a full
    /// copy of that file to `target` (Save As).
    pub fn start(
        target: PathBuf,
        copy_from: Option<PathBuf>,
        view: ViewState,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let (sender, result) = channel();
        let thread_target = target.clone();
        std::thread::Builder::new()
            .name("linkscope-save".to_owned())
            .spawn(move || {
                let outcome = match copy_from {
                    Some(from) => save_view_as(&from, &thread_target, &view),
                    None => save_view(&thread_target, &view),
                };
                // The app may have gone; then nobody waits for the answer.
                let _ = sender.send(outcome);
                repaint.request_repaint();
            })?;
        Ok(Self { target, result })
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
