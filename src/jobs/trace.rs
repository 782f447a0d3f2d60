//! A trace searched on its own thread: the search index is built there the
//! first time (a million relations take a moment) and handed back to be
//! reused, and the search itself never holds up a frame.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use crate::model::trace::{
    AllPaths, MAX_PATHS, TraceIndex, TraceOptions, all_paths, shortest_path,
};
use crate::model::{Graph, NodeIx};

/// What to search for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceRequest {
    pub from: NodeIx,
    pub to: NodeIx,
    pub options: TraceOptions,
    /// None: the shortest path; Some(k): every simple path up to k hops.
    pub all_up_to: Option<usize>,
}

/// What a search found.
#[derive(Debug)]
pub struct TraceOutcome {
    pub request: TraceRequest,
    /// The index searched, to be passed to the next search of this graph.
    pub index: Arc<TraceIndex>,
    /// Shortest first; empty when there is no path.
    pub found: AllPaths,
    pub search_ms: f64,
}

/// A search running on its own thread.
pub struct TraceJob {
    pub request: TraceRequest,
    result: Receiver<TraceOutcome>,
}

impl TraceJob {
    /// Searches `graph`, with `index` when one was built before.
    pub fn start(
        graph: Arc<Graph>,
        index: Option<Arc<TraceIndex>>,
        request: TraceRequest,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let (sender, result) = channel();
        std::thread::Builder::new()
            .name("linkscope-trace".to_owned())
            .spawn(move || {
                let index = index.unwrap_or_else(|| Arc::new(TraceIndex::build(&graph)));
                let started = Instant::now();
                let found = match request.all_up_to {
                    None => AllPaths {
                        paths: shortest_path(&index, request.from, request.to, request.options)
                            .into_iter()
                            .collect(),
                        truncated: false,
                    },
                    Some(hops) => all_paths(
                        &index,
                        &graph,
                        request.from,
                        request.to,
                        hops,
                        request.options.direction,
                        MAX_PATHS,
                    ),
                };
                let outcome = TraceOutcome {
                    request,
                    index,
                    found,
                    search_ms: started.elapsed().as_secs_f64() * 1000.0,
                };
                // The app may have dropped the job (a newer trace, another file).
                let _ = sender.send(outcome);
                repaint.request_repaint();
            })?;
        Ok(Self { request, result })
    }

    /// The outcome once the search has finished; None while it runs; an
    /// error when the search thread died.
    pub fn poll(&self) -> Option<Result<TraceOutcome, String>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(Ok(outcome)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err("the trace stopped unexpectedly".to_owned()))
            }
        }
    }
}
