//! The search thread of an open file, so that typing in Find never waits
//! for a search. Each query carries a sequence number; the thread always
//! takes the newest query waiting, drops one that a newer query replaced
//! (between rows of a scan, too), and the UI keeps only the answers to the
//! last query it asked. Names are answered first, from memory; matches in
//! descriptions follow once the file has been read past the matcher.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use crate::model::search::{self, NameSearcher, Ranking};
use crate::model::{EdgeIx, FastMap, Graph};
use crate::store::{self, ExcerptSearch, StoreError, TextScanner};

/// At most this many matches are listed (and marked on the canvas).
pub const MAX_LISTED: usize = 5_000;

/// What to look for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchQuery {
    /// Entities by name (fuzzy) or description.
    Entities(String),
    /// Relations whose excerpts contain a phrase.
    Excerpts(String),
}

/// An answer from the search thread.
#[derive(Debug)]
pub enum SearchReply {
    Entities {
        seq: u64,
        ranking: Ranking,
        /// False while descriptions are still being read.
        complete: bool,
    },
    Excerpts {
        seq: u64,
        found: ExcerptSearch,
    },
    Failed {
        seq: u64,
        error: StoreError,
    },
}

impl SearchReply {
    pub fn seq(&self) -> u64 {
        match self {
            Self::Entities { seq, .. } | Self::Excerpts { seq, .. } | Self::Failed { seq, .. } => {
                *seq
            }
        }
    }
}

/// The search thread of one open file; dropping it ends the thread.
pub struct SearchJob {
    requests: Sender<(u64, SearchQuery)>,
    replies: Receiver<SearchReply>,
    /// The newest query asked; the thread drops work on older ones.
    latest: Arc<AtomicU64>,
}

impl SearchJob {
    /// `read_path` is the file the graph was read from (or its recovered
    /// copy); the thread opens its own read-only connection to it.
    pub fn start(
        graph: Arc<Graph>,
        read_path: PathBuf,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let (requests, thread_requests) = channel();
        let (thread_replies, replies) = channel();
        let latest = Arc::new(AtomicU64::new(0));
        let thread_latest = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("linkscope-search".to_owned())
            .spawn(move || {
                // The names' index is built now, before any query, so the
                // first keystroke does not wait for it.
                let names = NameSearcher::new(graph.node_count(), |node| graph.node_name(node));
                let mut worker = Worker {
                    graph,
                    read_path,
                    scanner: None,
                    edges_by_db_id: None,
                    names: Some(names),
                    latest: thread_latest,
                    replies: thread_replies,
                    repaint,
                };
                worker.run(&thread_requests);
            })?;
        Ok(Self {
            requests,
            replies,
            latest,
        })
    }

    /// Asks for `query` as number `seq` (increasing); older queries stop.
    pub fn request(&self, seq: u64, query: SearchQuery) {
        self.latest.store(seq, Ordering::Relaxed);
        // A closed channel means the thread is gone; polling says so.
        let _ = self.requests.send((seq, query));
    }

    /// Every answer that arrived since the last poll, oldest first.
    pub fn poll(&self) -> Vec<SearchReply> {
        let mut replies = Vec::new();
        loop {
            match self.replies.try_recv() {
                Ok(reply) => replies.push(reply),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return replies,
            }
        }
    }
}

struct Worker {
    graph: Arc<Graph>,
    read_path: PathBuf,
    /// Opened on the first query that reads the file.
    scanner: Option<TextScanner>,
    /// Built on the first excerpt search.
    edges_by_db_id: Option<FastMap<i64, EdgeIx>>,
    /// Built when the thread starts; narrows the scan as the user types on.
    names: Option<NameSearcher>,
    latest: Arc<AtomicU64>,
    replies: Sender<SearchReply>,
    repaint: egui::Context,
}

impl Worker {
    fn run(&mut self, requests: &Receiver<(u64, SearchQuery)>) {
        while let Ok(mut request) = requests.recv() {
            // Only the newest query waiting matters.
            while let Ok(newer) = requests.try_recv() {
                request = newer;
            }
            let (seq, query) = request;
            if seq != self.latest.load(Ordering::Relaxed) {
                continue;
            }
            if let Err(error) = self.answer(seq, &query) {
                self.send(SearchReply::Failed { seq, error });
            }
        }
    }

    fn send(&self, reply: SearchReply) {
        // The app may have dropped the job (another file was opened).
        let _ = self.replies.send(reply);
        self.repaint.request_repaint();
    }

    fn scanner(&mut self) -> Result<&TextScanner, StoreError> {
        if self.scanner.is_none() {
            self.scanner = Some(TextScanner::open(&self.read_path)?);
        }
        // invariant: set just above when it was None.
        Ok(self.scanner.as_ref().expect("scanner opened"))
    }

    fn answer(&mut self, seq: u64, query: &SearchQuery) -> Result<(), StoreError> {
        let latest = Arc::clone(&self.latest);
        let keep_going = move || latest.load(Ordering::Relaxed) == seq;
        match query {
            SearchQuery::Entities(text) => {
                let graph = Arc::clone(&self.graph);
                let name_of = |node| graph.node_name(node);
                let searcher = self
                    .names
                    .get_or_insert_with(|| NameSearcher::new(graph.node_count(), name_of));
                let (names, matched) =
                    searcher.search(graph.node_count(), name_of, text, MAX_LISTED);
                let matched = matched.to_vec();
                if text.trim().is_empty() {
                    self.send(SearchReply::Entities {
                        seq,
                        ranking: names,
                        complete: true,
                    });
                    return Ok(());
                }
                self.send(SearchReply::Entities {
                    seq,
                    ranking: names.clone(),
                    complete: false,
                });
                let scanner = self.scanner()?;
                if let Some(descriptions) = store::rank_descriptions(
                    &graph,
                    scanner,
                    text,
                    &matched,
                    MAX_LISTED,
                    &keep_going,
                )? {
                    self.send(SearchReply::Entities {
                        seq,
                        ranking: search::combine(names, descriptions, MAX_LISTED),
                        complete: true,
                    });
                }
            }
            SearchQuery::Excerpts(phrase) => {
                let graph = Arc::clone(&self.graph);
                let edges = self
                    .edges_by_db_id
                    .take()
                    .unwrap_or_else(|| store::edges_by_db_id(&graph));
                let outcome = self.scanner().and_then(|scanner| {
                    store::find_in_excerpts(
                        &graph,
                        &edges,
                        scanner,
                        phrase,
                        MAX_LISTED,
                        &keep_going,
                    )
                });
                self.edges_by_db_id = Some(edges);
                if let Some(found) = outcome? {
                    self.send(SearchReply::Excerpts { seq, found });
                }
            }
        }
        Ok(())
    }
}
