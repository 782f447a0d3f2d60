//! Background work behind the visible set: reading the claims' dates and
//! grades once a file has opened, and recomputing what is shown (focus,
//! filters, the recoloured scene) whenever the rules change, so that a
//! million relations never hold up a frame. A newer request makes an older
//! result stale; the app drops it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use crate::model::Graph;
use crate::model::claims::Claims;
use crate::model::timeline::Timeline;
use crate::model::visibility::{VisibilityRules, VisibleSet, compute};
use crate::scene::GraphScene;
use crate::scene::theme::Theme;
use crate::store::{StoreError, load_claims};

/// What a view update starts from.
pub struct ViewUpdateRequest {
    pub graph: Arc<Graph>,
    pub claims: Option<Arc<Claims>>,
    pub rules: VisibilityRules,
    /// The scene now shown; only its colours change.
    pub scene: GraphScene,
    pub theme: Theme,
    /// Tags the new scene's GPU buffers, and tells stale results apart.
    pub generation: u64,
}

/// A recomputed view.
pub struct ViewUpdate {
    pub generation: u64,
    pub visible: Arc<VisibleSet>,
    /// The focus's members, when there is a focus.
    pub members: Option<Arc<Vec<bool>>>,
    pub scene: GraphScene,
    pub theme: Theme,
    /// Why the focus could not be computed (then there is none).
    pub error: Option<String>,
    pub compute_ms: f64,
}

/// The whole update: focus membership, the visible set, the restyled
/// scene. What "applying a filter with the view updated" costs.
pub fn update_view(request: &ViewUpdateRequest) -> ViewUpdate {
    let started = Instant::now();
    let graph = &*request.graph;
    let (members, error) = match &request.rules.focus {
        Some(focus) => match focus.members(graph, graph) {
            Ok(members) => (Some(Arc::new(members)), None),
            Err(error) => (None, Some(error.to_string())),
        },
        None => (None, None),
    };
    let visible = Arc::new(compute(
        graph,
        request.claims.as_deref(),
        &request.rules,
        members.as_deref().map(Vec::as_slice),
    ));
    let scene = request.scene.styled(
        request.theme,
        Some(Arc::clone(&visible)),
        request.generation,
    );
    ViewUpdate {
        generation: request.generation,
        visible,
        members,
        scene,
        theme: request.theme,
        error,
        compute_ms: started.elapsed().as_secs_f64() * 1000.0,
    }
}

/// One view update on its own thread.
pub struct ViewUpdateJob {
    pub generation: u64,
    result: Receiver<ViewUpdate>,
}

impl ViewUpdateJob {
    pub fn start(request: ViewUpdateRequest, repaint: egui::Context) -> std::io::Result<Self> {
        let generation = request.generation;
        let (sender, result) = channel();
        std::thread::Builder::new()
            .name("linkscope-view-update".to_owned())
            .spawn(move || {
                // The app may have moved on (a newer request, another file).
                let _ = sender.send(update_view(&request));
                repaint.request_repaint();
            })?;
        Ok(Self { generation, result })
    }

    /// The update, once it is ready; None while it runs (or if the thread
    /// died, which cannot happen short of a panic).
    pub fn poll(&self) -> Option<ViewUpdate> {
        self.result.try_recv().ok()
    }
}

/// Reading the claims of an opened file on its own thread, and sorting
/// their dates for the timeline.
pub struct ClaimsJob {
    cancel: Arc<AtomicBool>,
    result: Receiver<Result<(Claims, Timeline), StoreError>>,
}

impl ClaimsJob {
    pub fn start(
        path: PathBuf,
        graph: Arc<Graph>,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let cancel = Arc::new(AtomicBool::new(false));
        let thread_cancel = Arc::clone(&cancel);
        let (sender, result) = channel();
        std::thread::Builder::new()
            .name("linkscope-claims".to_owned())
            .spawn(move || {
                let outcome = load_claims(&path, &graph, thread_cancel).map(|claims| {
                    let timeline = Timeline::of(&claims);
                    (claims, timeline)
                });
                let _ = sender.send(outcome);
                repaint.request_repaint();
            })?;
        Ok(Self { cancel, result })
    }

    pub fn poll(&self) -> Option<Result<(Claims, Timeline), StoreError>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(StoreError::Io {
                path: PathBuf::new(),
                source: std::io::Error::other("reading dates and grades stopped unexpectedly"),
            })),
        }
    }
}

impl Drop for ClaimsJob {
    /// A job nobody waits for (another file opened) stops reading.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}
