//! Growing an explored scene in place, off the UI thread: the source has
//! written the scene with its newcomers into a working copy; this reads it,
//! lays the grown graph out in the shown graph's order (so every index the
//! window holds keeps its meaning, see [`Graph::grown_by`]) and builds the
//! grown scene. The window then swaps them in without reopening anything.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::visibility::{ViewUpdate, ViewUpdateRequest, update_view};
use crate::model::Graph;
use crate::model::claims::Claims;
use crate::model::growth::Growth;
use crate::model::timeline::Timeline;
use crate::model::visibility::VisibilityRules;
use crate::scene::GraphScene;
use crate::scene::theme::Theme;
use crate::store::{
    DetailsReader, LoadProgress, LoadReport, StoreError, ViewState, load_claims, load_graph,
};

/// What the window shows now, for the grown scene's first frame to show
/// the same way: the rules name indices, which a growth keeps.
pub struct GrowRequest {
    pub path: PathBuf,
    pub base: Arc<Graph>,
    pub rules: VisibilityRules,
    pub theme: Theme,
    pub generation: u64,
}

/// A grown scene, ready to be swapped in.
pub struct GrownDocument {
    /// The graph it grew from: a growth of anything else is stale.
    pub base: Arc<Graph>,
    pub graph: Arc<Graph>,
    pub growth: Growth,
    /// The grown scene, shown by the window's rules, and what they show.
    pub view: ViewUpdate,
    /// The grown scene's dates and grades (None: they could not be read;
    /// the filters then wait as on opening).
    pub claims: Option<(Arc<Claims>, Timeline)>,
    /// Reads the working copy that holds the grown scene.
    pub reader: DetailsReader,
    pub report: LoadReport,
    /// Where the copy placed each entity (newcomers beside their anchor).
    pub placed: Option<ViewState>,
    pub path: PathBuf,
}

/// Reads the working copy at `request.path` and grows `request.base` by
/// what it holds.
pub fn grow(request: GrowRequest) -> Result<GrownDocument, StoreError> {
    let GrowRequest {
        path,
        base,
        rules,
        theme,
        generation,
    } = request;
    let path = path.as_path();
    let cancel = Arc::new(AtomicBool::new(false));
    let loaded = load_graph(path, &LoadProgress::default(), &cancel)?;
    let (graph, growth) = base
        .grown_by(&loaded.graph)
        .map_err(|error| StoreError::Damaged {
            path: path.to_path_buf(),
            detail: error.to_string(),
        })?;
    let read_path = loaded.read_path(path).to_path_buf();
    let graph = Arc::new(graph);
    let claims = load_claims(&read_path, &graph, Arc::clone(&cancel))
        .map(|claims| {
            let timeline = Timeline::of(&claims);
            (Arc::new(claims), timeline)
        })
        .ok();
    let view = update_view(&ViewUpdateRequest {
        graph: Arc::clone(&graph),
        claims: claims.as_ref().map(|(claims, _)| Arc::clone(claims)),
        rules,
        scene: GraphScene::build(&graph, generation),
        theme,
        generation,
    });
    Ok(GrownDocument {
        base,
        graph,
        growth,
        view,
        claims,
        reader: DetailsReader::open(&read_path)?,
        report: loaded.report,
        placed: loaded.view,
        path: path.to_path_buf(),
    })
}

/// A growth being read.
pub struct GrowJob {
    result: Receiver<Result<GrownDocument, StoreError>>,
}

/// What polling found.
pub enum GrowPoll {
    Running,
    Done(Box<Result<GrownDocument, StoreError>>),
    Gone,
}

impl GrowJob {
    pub fn start(request: GrowRequest, repaint: egui::Context) -> std::io::Result<Self> {
        let (sender, result) = channel();
        std::thread::Builder::new()
            .name("linkscope-grow".to_owned())
            .spawn(move || {
                // The window may have moved on (another copy, another file).
                let _ = sender.send(grow(request));
                repaint.request_repaint();
            })?;
        Ok(Self { result })
    }

    pub fn poll(&self) -> GrowPoll {
        match self.result.try_recv() {
            Ok(grown) => GrowPoll::Done(Box::new(grown)),
            Err(TryRecvError::Empty) => GrowPoll::Running,
            Err(TryRecvError::Disconnected) => GrowPoll::Gone,
        }
    }
}
