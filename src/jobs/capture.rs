//! Capturing evidence, off the UI thread: reading a source document (a
//! file to extract, or a text the graph file holds) with what the window
//! needs to add it, and changing the open graph by a capture (or its undo)
//! with the scene and visible set of the changed graph.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::visibility::{ViewUpdate, ViewUpdateRequest, update_view};
use crate::import::source_text::{self, ExtractedSource};
use crate::model::capture::{self, Capture, CaptureSet, CitedBefore, IdFloor, SourceDocument};
use crate::model::corrections::{self, Regrade};
use crate::model::growth::Growth;
use crate::model::visibility::VisibilityRules;
use crate::model::{Graph, NodeIx};
use crate::scene::GraphScene;
use crate::scene::theme::Theme;
use crate::store::capture::{
    StoredHighlight, StoredSource, document_highlights, id_floor, read_source, stored_sources,
};
use crate::store::corrections::regraded_supports;

/// The largest source file read (the extractor refuses more as well).
const MAX_SOURCE_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What to read.
pub enum SourceRequest {
    /// A file to extract the text of (File > Add Source, a drop).
    File(PathBuf),
    /// Text the analyst pasted.
    Pasted(String),
    /// A document whose text the graph file holds.
    Stored(i64),
    /// The first document whose text the graph file holds, if any (the
    /// reader opened on a file): the list of them is read either way.
    FirstStored,
}

/// A source read, for the window to add or show.
pub struct SourceRead {
    /// A new source's text and provenance (File, Pasted).
    pub extracted: Option<ExtractedSource>,
    pub file_name: Option<String>,
    /// A stored document (Stored), and its captured passages the file
    /// holds: (start, end, contradicts).
    pub stored: Option<SourceDocument>,
    pub stored_anchors: Vec<StoredHighlight>,
    /// The graph file's next free ids, and the documents it holds texts
    /// of (to find a source added before).
    pub floor: IdFloor,
    pub stored_sources: Vec<StoredSource>,
}

/// Reads a source in the background.
pub struct SourceJob {
    result: Receiver<Result<SourceRead, String>>,
}

fn read(request: SourceRequest, graph_file: &std::path::Path) -> Result<SourceRead, String> {
    let floor = id_floor(graph_file).map_err(|error| error.to_string())?;
    let stored_sources = stored_sources(graph_file).map_err(|error| error.to_string())?;
    let mut read = SourceRead {
        extracted: None,
        file_name: None,
        stored: None,
        stored_anchors: Vec::new(),
        floor,
        stored_sources,
    };
    match request {
        SourceRequest::File(path) => {
            let shown = path.display().to_string();
            let size = std::fs::metadata(&path)
                .map_err(|error| format!("could not read {shown}: {error}"))?
                .len();
            if size > MAX_SOURCE_FILE_BYTES {
                return Err(format!(
                    "{shown} is {} MB; a source may be at most {} MB",
                    size / 1_000_000,
                    MAX_SOURCE_FILE_BYTES / 1_000_000
                ));
            }
            let bytes =
                std::fs::read(&path).map_err(|error| format!("could not read {shown}: {error}"))?;
            let name = path
                .file_name()
                .map_or_else(|| shown.clone(), |name| name.to_string_lossy().into_owned());
            read.extracted =
                Some(source_text::extract(&name, &bytes).map_err(|error| error.to_string())?);
            read.file_name = Some(name);
        }
        SourceRequest::Pasted(text) => {
            read.extracted = Some(source_text::from_pasted_text(&text));
        }
        SourceRequest::FirstStored => {
            if let Some(first) = read.stored_sources.first().map(|stored| stored.id) {
                read.stored =
                    Some(read_source(graph_file, first).map_err(|error| error.to_string())?);
                read.stored_anchors =
                    document_highlights(graph_file, first).map_err(|error| error.to_string())?;
            }
        }
        SourceRequest::Stored(id) => {
            read.stored = Some(read_source(graph_file, id).map_err(|error| error.to_string())?);
            read.stored_anchors =
                document_highlights(graph_file, id).map_err(|error| error.to_string())?;
        }
    }
    Ok(read)
}

impl SourceJob {
    pub fn start(
        request: SourceRequest,
        graph_file: PathBuf,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let (sender, result) = channel();
        std::thread::Builder::new()
            .name("linkscope-source".to_owned())
            .spawn(move || {
                // The window may have moved on.
                let _ = sender.send(read(request, &graph_file));
                repaint.request_repaint();
            })?;
        Ok(Self { result })
    }

    /// The outcome, once read (None: still reading).
    pub fn poll(&self) -> Option<Result<SourceRead, String>> {
        match self.result.try_recv() {
            Ok(read) => Some(read),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("reading the source stopped".to_owned())),
        }
    }
}

/// How the graph changes.
#[derive(Clone, Debug)]
pub enum CaptureChange {
    /// A capture made or redone; `weight` is what its excerpt adds to the
    /// cited relation's support.
    Add { capture: Capture, weight: f32 },
    /// A capture undone: the cited relation gets back its count and
    /// support.
    Remove {
        capture: Capture,
        cited_before: CitedBefore,
    },
    /// A document's reliability changed (a correction or a capture, done
    /// or redone when `redo`, else undone): the relations citing its
    /// excerpts get their support found again. The first run reads it
    /// from `file` and the captures as they are after the change, and
    /// keeps the supports before and after in `regrade` for the next runs.
    Regrade {
        regrade: Regrade,
        captures: Arc<CaptureSet>,
        file: PathBuf,
        redo: bool,
    },
}

/// `base` with the supports a regrade changed, as after it (`redo`) or as
/// before it.
fn regraded(
    base: &Graph,
    regrade: &Regrade,
    captures: &CaptureSet,
    file: &std::path::Path,
    redo: bool,
) -> Result<Graph, String> {
    let supports: Vec<(i64, f32)> = if let Some(found) = regrade.found.get() {
        found
            .iter()
            .map(|&(id, before, after)| (id, if redo { after } else { before }))
            .collect()
    } else {
        let found = regraded_supports(file, captures, regrade.document_id, base)
            .map_err(|error| error.to_string())?;
        // An undo that runs first (the change itself failed) finds the
        // supports as they were from the captures as they are again.
        if redo {
            let support_of = |id: i64| {
                base.edge_by_db_id(id)
                    .map_or(0.0, |edge| base.edge_support(edge))
            };
            let _ = regrade.found.set(
                found
                    .iter()
                    .map(|&(id, after)| (id, support_of(id), after))
                    .collect(),
            );
        }
        found
    };
    corrections::with_supports(base, &supports).map_err(|error| error.to_string())
}

/// What the window shows now, for the changed graph's first frame.
pub struct CaptureGraphRequest {
    pub base: Arc<Graph>,
    pub change: CaptureChange,
    pub rules: VisibilityRules,
    pub theme: Theme,
    pub generation: u64,
}

/// The changed graph, ready to be swapped in.
pub struct CapturedGraph {
    /// The graph it changed: a change of anything else is stale.
    pub base: Arc<Graph>,
    pub graph: Arc<Graph>,
    /// For an addition: where its newcomers start.
    pub growth: Option<Growth>,
    pub view: ViewUpdate,
}

fn change(request: CaptureGraphRequest) -> Result<CapturedGraph, String> {
    let CaptureGraphRequest {
        base,
        change,
        rules,
        theme,
        generation,
    } = request;
    let (graph, growth) = match &change {
        CaptureChange::Add { capture, weight } => {
            let (graph, growth) = capture::grow_by_capture(&base, capture, *weight)
                .map_err(|error| error.to_string())?;
            (graph, Some(growth))
        }
        CaptureChange::Remove {
            capture,
            cited_before,
        } => (
            capture::shrink_by_capture(&base, capture, *cited_before)
                .map_err(|error| error.to_string())?,
            None,
        ),
        CaptureChange::Regrade {
            regrade,
            captures,
            file,
            redo,
        } => (regraded(&base, regrade, captures, file, *redo)?, None),
    };
    let graph = Arc::new(graph);
    // The rules name indices; an undo may have taken the last ones away.
    let rules = rules.remapped(
        &|node: NodeIx| ((node as usize) < graph.node_count()).then_some(node),
        &|edge| ((edge as usize) < graph.edge_count()).then_some(edge),
    );
    let view = update_view(&ViewUpdateRequest {
        graph: Arc::clone(&graph),
        claims: None,
        rules,
        scene: GraphScene::build(&graph, generation),
        theme,
        generation,
    });
    Ok(CapturedGraph {
        base,
        graph,
        growth,
        view,
    })
}

/// A graph change being made.
pub struct CaptureGraphJob {
    result: Receiver<Result<CapturedGraph, String>>,
}

impl CaptureGraphJob {
    pub fn start(request: CaptureGraphRequest, repaint: egui::Context) -> std::io::Result<Self> {
        let (sender, result) = channel();
        std::thread::Builder::new()
            .name("linkscope-capture".to_owned())
            .spawn(move || {
                let _ = sender.send(change(request));
                repaint.request_repaint();
            })?;
        Ok(Self { result })
    }

    pub fn poll(&self) -> Option<Result<CapturedGraph, String>> {
        match self.result.try_recv() {
            Ok(changed) => Some(changed),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err("changing the graph stopped unexpectedly".to_owned()))
            }
        }
    }
}
