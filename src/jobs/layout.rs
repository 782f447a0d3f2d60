//! The force layout on its own thread. The thread first builds the layout (for the community
//! layout, its multilevel start: seconds on a large graph) while the window already draws the
//! graph from the load's quick placement, then moves the picture into the built start and runs
//! iterations, publishing positions as it goes.

use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::layout::{Cancelled, Layout, LayoutSettings, StartProgress, StartState};
use crate::model::NodeIx;

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
    /// The layout is being built (see [`LayoutJob::start_state`] for the step).
    pub starting: bool,
    pub iterations_per_second: f32,
}

/// What the layout thread starts from: the positions drawn before the layout exists, and how
/// to build the layout.
#[derive(Clone, Debug)]
pub struct LayoutStart {
    /// One position per node, cheap to compute: the seeded start positions, or a saved view's.
    pub placement: Vec<[f32; 2]>,
    /// A saved view's positions: the layout resumes from `placement` itself, with these nodes
    /// pinned, instead of building a fresh start.
    pub restored: Option<Vec<NodeIx>>,
}

impl LayoutStart {
    /// Builds the layout the window runs, telling `progress` each step. A fresh community
    /// layout is the multilevel start from [`Layout::from_start`]; a restored one starts
    /// exactly at the saved positions.
    pub fn build(
        &self,
        edges: &[(NodeIx, NodeIx)],
        settings: &LayoutSettings,
        progress: &StartProgress,
    ) -> Result<Layout, Cancelled> {
        let Some(pinned) = &self.restored else {
            return Layout::from_start_watched(&self.placement, edges, settings.clone(), progress);
        };
        progress.set_component(None);
        progress.set_step(crate::layout::StartStep::Engine);
        let mut layout = Layout::with_positions(&self.placement, edges, settings.clone());
        for &node in pinned {
            layout.set_pinned(node, true);
        }
        progress.check()?;
        Ok(layout)
    }
}

/// The layout is given at most this many iterations before it is called
/// settled, so a graph that never converges doesn't spin forever.
pub const MAX_ITERATIONS: u64 = 3000;
/// Iterations run when a settled layout is resumed: a little refinement.
const ITERATIONS_ON_RESUME: u64 = 200;
/// How long the picture takes to move from one start to the next (the quick placement into
/// the multilevel start, or the old picture into a restarted one), and how often it is
/// published meanwhile.
const MOVE_INTO_START: Duration = Duration::from_millis(600);
const MOVE_FRAME: Duration = Duration::from_millis(30);

/// The force layout running on its own thread. Dropping it stops the thread, within one
/// iteration even while the multilevel start runs.
pub struct LayoutJob {
    status: Arc<Mutex<LayoutStatus>>,
    commands: Sender<LayoutCommand>,
    progress: Arc<StartProgress>,
}

impl Drop for LayoutJob {
    fn drop(&mut self) {
        self.progress.cancel();
    }
}

impl LayoutJob {
    /// Builds the layout from `start` (with `edges` and `settings`, which a restart reuses) on
    /// its own thread and runs it. `start.placement` is published at once, so the graph can be
    /// drawn before the layout exists. Starts it paused when `paused` (a restored view stays as
    /// it was saved until the user resumes the layout).
    pub fn start(
        start: LayoutStart,
        edges: Vec<(NodeIx, NodeIx)>,
        settings: LayoutSettings,
        paused: bool,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let node_count = start.placement.len();
        let status = Arc::new(Mutex::new(LayoutStatus {
            positions: Arc::new(start.placement.clone()),
            generation: FIRST_GENERATION,
            iteration: 0,
            running: !paused,
            settled: node_count == 0,
            starting: true,
            iterations_per_second: 0.0,
        }));
        let (commands, receiver) = channel();
        let progress = Arc::new(StartProgress::default());
        let thread = LayoutThread {
            edges,
            settings,
            commands: receiver,
            status: Arc::clone(&status),
            progress: Arc::clone(&progress),
            repaint,
            publisher: Publisher {
                generation: FIRST_GENERATION,
                spare: None,
            },
        };
        std::thread::Builder::new()
            .name("linkscope-layout".to_owned())
            .spawn(move || thread.run(&start, paused))?;
        Ok(Self {
            status,
            commands,
            progress,
        })
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

    /// The step the layout's start is on, while it is being built.
    pub fn start_state(&self) -> Option<StartState> {
        self.status().starting.then(|| self.progress.state())
    }
}

/// The generation of the positions published before the layout thread runs.
const FIRST_GENERATION: u64 = 1;

/// What the layout thread owns.
struct LayoutThread {
    edges: Vec<(NodeIx, NodeIx)>,
    settings: LayoutSettings,
    commands: Receiver<LayoutCommand>,
    status: Arc<Mutex<LayoutStatus>>,
    progress: Arc<StartProgress>,
    repaint: egui::Context,
    publisher: Publisher,
}

impl LayoutThread {
    fn run(mut self, start: &LayoutStart, paused: bool) {
        let Ok(layout) = start.build(&self.edges, &self.settings, &self.progress) else {
            return;
        };
        self.set_starting(false);
        self.move_into(&start.placement, &layout);
        self.run_layout(layout, paused);
    }

    fn set_starting(&self, starting: bool) {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .starting = starting;
        self.repaint.request_repaint();
    }

    /// A fresh layout with the current settings, built while the old picture stays on screen;
    /// `None` when the job was dropped meanwhile.
    fn rebuild(&mut self, old: &Layout) -> Option<Layout> {
        self.set_starting(true);
        let start = LayoutStart {
            placement: Layout::start_positions(old.node_count(), self.settings.seed),
            restored: None,
        };
        let layout = start
            .build(&self.edges, &self.settings, &self.progress)
            .ok()?;
        self.set_starting(false);
        let mut shown = Vec::new();
        old.copy_positions_into(&mut shown);
        self.move_into(&shown, &layout);
        Some(layout)
    }

    /// Moves the picture from `from` to the layout's positions over [`MOVE_INTO_START`], so
    /// the eye can follow where each part of the graph went.
    fn move_into(&mut self, from: &[[f32; 2]], layout: &Layout) {
        let mut to = Vec::new();
        layout.copy_positions_into(&mut to);
        if from.len() == to.len() && from != to.as_slice() {
            let started = Instant::now();
            loop {
                let t = started.elapsed().as_secs_f32() / MOVE_INTO_START.as_secs_f32();
                if t >= 1.0 {
                    break;
                }
                // Smoothstep: starts and ends at rest.
                let s = t * t * (3.0 - 2.0 * t);
                self.publisher.publish_with(&self.status, |out| {
                    out.clear();
                    out.extend(
                        from.iter()
                            .zip(&to)
                            .map(|(p, q)| [p[0] + (q[0] - p[0]) * s, p[1] + (q[1] - p[1]) * s]),
                    );
                });
                self.repaint.request_repaint();
                std::thread::sleep(MOVE_FRAME);
            }
        }
        self.publisher.publish_positions(layout, &self.status);
        self.repaint.request_repaint();
    }

    fn run_layout(mut self, mut layout: Layout, paused: bool) {
        let mut running = !paused;
        let mut extra_iterations = 0_u64;
        let mut rate_window = (Instant::now(), 0_u32);
        let mut iterations_per_second = 0.0;
        loop {
            let settled = is_settled(&layout, extra_iterations);
            let busy = running && !settled;
            let command = if busy {
                match self.commands.try_recv() {
                    Ok(command) => Some(command),
                    Err(TryRecvError::Empty) => None,
                    Err(TryRecvError::Disconnected) => return,
                }
            } else {
                match self.commands.recv_timeout(Duration::from_millis(200)) {
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
                    self.settings = *new;
                    let Some(fresh) = self.rebuild(&layout) else {
                        return;
                    };
                    layout = fresh;
                    running = true;
                    extra_iterations = 0;
                }
                Some(LayoutCommand::Restart) => {
                    let Some(fresh) = self.rebuild(&layout) else {
                        return;
                    };
                    layout = fresh;
                    running = true;
                    extra_iterations = 0;
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
                self.publisher.publish_positions(&layout, &self.status);
            }
            let mut published = self.status.lock().unwrap_or_else(PoisonError::into_inner);
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
                self.repaint.request_repaint();
            }
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
struct Publisher {
    generation: u64,
    spare: Option<Arc<Vec<[f32; 2]>>>,
}

impl Publisher {
    fn publish_positions(&mut self, layout: &Layout, status: &Mutex<LayoutStatus>) {
        self.publish_with(status, |out| layout.copy_positions_into(out));
    }

    /// Publishes what `fill` writes into a recycled buffer.
    fn publish_with(
        &mut self,
        status: &Mutex<LayoutStatus>,
        fill: impl FnOnce(&mut Vec<[f32; 2]>),
    ) {
        let mut positions = self
            .spare
            .take()
            .and_then(|spare| Arc::try_unwrap(spare).ok())
            .unwrap_or_default();
        // Filled outside the lock, so the UI never waits for it.
        fill(&mut positions);
        self.generation += 1;
        let mut published = status.lock().unwrap_or_else(PoisonError::into_inner);
        let previous = std::mem::replace(&mut published.positions, Arc::new(positions));
        published.generation = self.generation;
        drop(published);
        self.spare = Some(previous);
    }
}
