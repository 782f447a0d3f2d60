//! Exploration off the UI thread, on a pool of two connections to the
//! source, each on a named thread of its own (a connection to a server can
//! take seconds, or fail): one answers searches, the other, in order, what
//! changes the scene (pages of neighbours, traces, working copies, saved
//! views), so that typing is answered while an expansion or a trace runs.
//! Each question has a serial; a search overtaken by a newer one is
//! skipped, and the window drops an answer that is no longer the one it
//! waits for. Dropping the worker ends the threads once the query each is
//! on returns (each query has the source's statement timeout).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::model::explore::trace::{SourceTrace, TraceLimits, trace_on_source};
use crate::model::explore::{
    EntityRecord, ExcerptHit, Explorer, Interrupt, NeighbourPage, PageKey, SavedView,
    SavedViewInfo, SceneCopy,
};
use crate::model::source::{EntityId, SourceError};

/// Opens a connection to the source, on the thread that will use it (once
/// per connection of the pool).
pub type OpenExplorer = Arc<dyn Fn() -> Result<Box<dyn Explorer>, SourceError> + Send + Sync>;

/// What the window asks.
#[derive(Clone, Debug, PartialEq)]
pub enum ExploreQuery {
    Search {
        text: String,
        limit: usize,
    },
    /// Excerpts containing every word of `text`.
    SearchExcerpts {
        text: String,
        limit: usize,
    },
    /// These entities' records, to add them to the scene.
    Add {
        ids: Vec<EntityId>,
    },
    /// A page of `entity`'s neighbours.
    Expand {
        entity: EntityId,
        cap: u32,
        after: Option<PageKey>,
    },
    /// The shortest path between two entities, searched on the source.
    Trace {
        from: EntityId,
        to: EntityId,
        limits: TraceLimits,
    },
    /// The scene written out as a new graph file at `out`.
    Copy {
        ids: Vec<EntityId>,
        positions: Vec<(EntityId, [f32; 2])>,
        out: PathBuf,
    },
    /// Keep the view on the source (never in its data).
    SaveView(Box<SavedView>),
    /// The user's views saved on the source.
    SavedViews,
    /// A saved view, with its entities' records.
    LoadView {
        name: String,
    },
}

/// The answers, each to its kind of question.
#[derive(Clone, Debug, PartialEq)]
pub enum ExploreAnswer {
    /// The source is open.
    Ready,
    Found {
        text: String,
        entities: Vec<EntityRecord>,
    },
    Expanded {
        entity: EntityId,
        /// The entity itself, so that a search result added to an empty
        /// scene has its record.
        record: Option<EntityRecord>,
        page: NeighbourPage,
    },
    Copied {
        out: PathBuf,
        copy: SceneCopy,
    },
    FoundExcerpts {
        hits: Vec<ExcerptHit>,
        /// The entities at the ends of the relations citing them.
        ends: Vec<EntityRecord>,
    },
    Added {
        records: Vec<EntityRecord>,
    },
    Traced {
        from: EntityId,
        to: EntityId,
        found: SourceTrace,
        /// The path's entities, to add them to the scene.
        records: Vec<EntityRecord>,
    },
    ViewSaved(SavedViewInfo),
    SavedViewsListed(Vec<SavedViewInfo>),
    ViewLoaded {
        view: Box<SavedView>,
        /// The records of its entities still on the source.
        records: Vec<EntityRecord>,
    },
    /// What the source says about the answer before it (sent after it,
    /// with the same serial): a query asked again, say.
    Note(String),
    /// What went wrong beside the answer before it, which still came.
    Warning(String),
}

/// An answer, or why there is none, with its question's serial (0 for
/// opening the source).
pub type ExploreReply = (u64, Result<ExploreAnswer, SourceError>);

/// One connection of the pool: its thread's inbox, and what stops the
/// query it runs.
struct Lane {
    questions: Sender<(u64, ExploreQuery)>,
    /// Stops the connection's running query (set once it is open).
    interrupt: Arc<Mutex<Option<Interrupt>>>,
    /// The serial of the question being answered (0: none).
    running: Arc<AtomicU64>,
}

/// Which connection answers `query`: searches on their own, so that typing
/// never waits behind an expansion.
fn lane_of(query: &ExploreQuery) -> usize {
    match query {
        ExploreQuery::Search { .. }
        | ExploreQuery::SearchExcerpts { .. }
        | ExploreQuery::SavedViews => SEARCH_LANE,
        _ => SCENE_LANE,
    }
}
const SCENE_LANE: usize = 0;
const SEARCH_LANE: usize = 1;

/// The threads answering exploration questions for one source.
pub struct ExploreWorker {
    lanes: [Lane; 2],
    answers: Receiver<ExploreReply>,
    last_serial: u64,
    /// Questions up to this serial are cancelled: skipped when not begun.
    cancelled_up_to: Arc<AtomicU64>,
}

/// How often, and how many times, a cancel is sent again while the
/// question it stops is still running (a cancel that reaches the server
/// just before the query does stops nothing).
const CANCEL_RETRY: Duration = Duration::from_millis(100);
const CANCEL_TRIES: u32 = 50;

/// What one connection's thread shares with the worker.
struct LaneThread {
    open: OpenExplorer,
    /// Says whether the source opened (the scene's connection does: the
    /// other opens when first asked, and again after a failure).
    announce: bool,
    inbox: Receiver<(u64, ExploreQuery)>,
    outbox: Sender<ExploreReply>,
    interrupt: Arc<Mutex<Option<Interrupt>>>,
    running: Arc<AtomicU64>,
    cancelled_up_to: Arc<AtomicU64>,
    repaint: egui::Context,
}

impl LaneThread {
    /// Starts a connection's thread.
    fn start(
        name: &str,
        announce: bool,
        open: OpenExplorer,
        outbox: Sender<ExploreReply>,
        cancelled_up_to: Arc<AtomicU64>,
        repaint: egui::Context,
    ) -> std::io::Result<Lane> {
        let (questions, inbox) = channel::<(u64, ExploreQuery)>();
        let interrupt: Arc<Mutex<Option<Interrupt>>> = Arc::default();
        let running = Arc::new(AtomicU64::new(0));
        let thread = Self {
            open,
            announce,
            inbox,
            outbox,
            interrupt: Arc::clone(&interrupt),
            running: Arc::clone(&running),
            cancelled_up_to,
            repaint,
        };
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || thread.run())?;
        Ok(Lane {
            questions,
            interrupt,
            running,
        })
    }

    fn open(&self) -> Result<Box<dyn Explorer>, SourceError> {
        let explorer = (self.open)()?;
        if let Ok(mut slot) = self.interrupt.lock() {
            *slot = Some(explorer.interrupter());
        }
        Ok(explorer)
    }

    fn run(self) {
        let mut explorer = None;
        if self.announce {
            let ready = match self.open() {
                Ok(opened) => {
                    explorer = Some(opened);
                    Ok(ExploreAnswer::Ready)
                }
                Err(error) => Err(error),
            };
            let failed = ready.is_err();
            let _ = self.outbox.send((0, ready));
            if let Some(explorer) = explorer.as_mut() {
                let said = [
                    explorer.take_note().map(ExploreAnswer::Note),
                    explorer.take_warning().map(ExploreAnswer::Warning),
                ];
                for answer in said.into_iter().flatten() {
                    let _ = self.outbox.send((0, Ok(answer)));
                }
            }
            self.repaint.request_repaint();
            if failed {
                return;
            }
        }
        while let Ok(first) = self.inbox.recv() {
            for (serial, query) in without_stale_searches(first, &self.inbox) {
                self.running.store(serial, Ordering::SeqCst);
                let answer = if serial <= self.cancelled_up_to.load(Ordering::SeqCst) {
                    Err(SourceError::Cancelled)
                } else {
                    let opened = match explorer.take() {
                        Some(open) => Ok(open),
                        None => self.open(),
                    };
                    opened.and_then(|mut open| {
                        let answered = answer(open.as_mut(), query);
                        explorer = Some(open);
                        answered
                    })
                };
                self.running.store(0, Ordering::SeqCst);
                if self.outbox.send((serial, answer)).is_err() {
                    return;
                }
                if let Some(note) = explorer.as_mut().and_then(|explorer| explorer.take_note())
                    && self
                        .outbox
                        .send((serial, Ok(ExploreAnswer::Note(note))))
                        .is_err()
                {
                    return;
                }
                self.repaint.request_repaint();
            }
        }
    }
}

impl ExploreWorker {
    /// Starts the threads, which open the source with `open`; `repaint`
    /// wakes the window when an answer is ready.
    pub fn start(open: OpenExplorer, repaint: egui::Context) -> std::io::Result<Self> {
        let (outbox, answers) = channel::<ExploreReply>();
        let cancelled_up_to = Arc::new(AtomicU64::new(0));
        let scene = LaneThread::start(
            "linkscope-explore",
            true,
            Arc::clone(&open),
            outbox.clone(),
            Arc::clone(&cancelled_up_to),
            repaint.clone(),
        )?;
        let search = LaneThread::start(
            "linkscope-search",
            false,
            open,
            outbox,
            Arc::clone(&cancelled_up_to),
            repaint,
        )?;
        // In the order of SCENE_LANE and SEARCH_LANE.
        let lanes = [scene, search];
        Ok(Self {
            lanes,
            answers,
            last_serial: 0,
            cancelled_up_to,
        })
    }

    /// Cancels every question asked so far: those not begun are skipped,
    /// and those running are stopped (their connection's interrupt, sent
    /// from a thread of its own, again until each has stopped: the window
    /// never waits on the network). Each answers `SourceError::Cancelled`
    /// or its source's error.
    pub fn cancel(&self) {
        let up_to = self.last_serial;
        self.cancelled_up_to.fetch_max(up_to, Ordering::SeqCst);
        let lanes: Vec<_> = self
            .lanes
            .iter()
            .map(|lane| (Arc::clone(&lane.interrupt), Arc::clone(&lane.running)))
            .collect();
        let spawned = std::thread::Builder::new()
            .name("linkscope-cancel".to_owned())
            .spawn(move || {
                for _ in 0..CANCEL_TRIES {
                    let mut waiting = false;
                    for (interrupt, running) in &lanes {
                        let now = running.load(Ordering::SeqCst);
                        if now == 0 || now > up_to {
                            continue;
                        }
                        waiting = true;
                        if let Ok(slot) = interrupt.lock()
                            && let Some(interrupt) = slot.as_ref()
                        {
                            interrupt();
                        }
                    }
                    if !waiting {
                        return;
                    }
                    std::thread::sleep(CANCEL_RETRY);
                }
            });
        if let Err(error) = spawned {
            log::warn!("could not start the thread that cancels: {error}");
        }
    }

    /// Asks `query`; returns its serial. Fails only when the thread has
    /// ended (the source could not be opened).
    pub fn ask(&mut self, query: ExploreQuery) -> Option<u64> {
        self.last_serial += 1;
        self.lanes[lane_of(&query)]
            .questions
            .send((self.last_serial, query))
            .ok()
            .map(|()| self.last_serial)
    }

    /// The answers ready now, oldest first.
    pub fn answers(&self) -> Vec<ExploreReply> {
        let mut ready = Vec::new();
        loop {
            match self.answers.try_recv() {
                Ok(reply) => ready.push(reply),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return ready,
            }
        }
    }
}

/// `first` and whatever else is queued, less the searches that a later
/// search overtook (typing asks for one per keystroke).
fn without_stale_searches(
    first: (u64, ExploreQuery),
    inbox: &Receiver<(u64, ExploreQuery)>,
) -> Vec<(u64, ExploreQuery)> {
    let mut queued = vec![first];
    queued.extend(inbox.try_iter());
    let is_search = |query: &ExploreQuery| {
        matches!(
            query,
            ExploreQuery::Search { .. } | ExploreQuery::SearchExcerpts { .. }
        )
    };
    let last_search = queued.iter().rposition(|(_, query)| is_search(query));
    queued
        .into_iter()
        .enumerate()
        .filter(|(index, (_, query))| !is_search(query) || Some(*index) == last_search)
        .map(|(_, asked)| asked)
        .collect()
}

fn answer(explorer: &mut dyn Explorer, query: ExploreQuery) -> Result<ExploreAnswer, SourceError> {
    match query {
        ExploreQuery::Search { text, limit } => Ok(ExploreAnswer::Found {
            entities: explorer.search_names(&text, limit)?,
            text,
        }),
        ExploreQuery::Expand { entity, cap, after } => {
            let page = explorer.neighbours(entity, cap, after)?;
            let record = explorer.entities(&[entity])?.into_iter().next();
            Ok(ExploreAnswer::Expanded {
                entity,
                record,
                page,
            })
        }
        ExploreQuery::SearchExcerpts { text, limit } => {
            let hits = explorer.search_excerpts(&text, limit)?;
            let mut ends: Vec<EntityId> = hits
                .iter()
                .flat_map(|hit| hit.relations.iter().flat_map(|r| [r.subject, r.object]))
                .collect();
            ends.sort_unstable();
            ends.dedup();
            Ok(ExploreAnswer::FoundExcerpts {
                hits,
                ends: explorer.entities(&ends)?,
            })
        }
        ExploreQuery::Add { ids } => Ok(ExploreAnswer::Added {
            records: explorer.entities(&ids)?,
        }),
        ExploreQuery::Trace { from, to, limits } => {
            let found = trace_on_source(explorer, from, to, limits)?;
            let records = match &found {
                SourceTrace::Path { entities, .. } => explorer.entities(entities)?,
                SourceTrace::Stopped(_) => Vec::new(),
            };
            Ok(ExploreAnswer::Traced {
                from,
                to,
                found,
                records,
            })
        }
        ExploreQuery::Copy {
            ids,
            positions,
            out,
        } => {
            let copy = explorer.copy_scene(&ids, &positions, &out)?;
            Ok(ExploreAnswer::Copied { out, copy })
        }
        ExploreQuery::SaveView(view) => Ok(ExploreAnswer::ViewSaved(explorer.save_view(&view)?)),
        ExploreQuery::SavedViews => Ok(ExploreAnswer::SavedViewsListed(explorer.saved_views()?)),
        ExploreQuery::LoadView { name } => {
            let view = explorer.load_view(&name)?;
            let records = explorer.entities(&view.scene)?;
            Ok(ExploreAnswer::ViewLoaded {
                view: Box::new(view),
                records,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(text: &str) -> ExploreQuery {
        ExploreQuery::Search {
            text: text.to_owned(),
            limit: 20,
        }
    }

    /// A source that finds nothing and says, after each search, that it
    /// asked again.
    struct Noting(Option<String>);

    impl Explorer for Noting {
        fn search_names(&mut self, text: &str, _: usize) -> Result<Vec<EntityRecord>, SourceError> {
            self.0 = Some(format!("asked {text:?} again"));
            Ok(Vec::new())
        }
        fn search_excerpts(&mut self, _: &str, _: usize) -> Result<Vec<ExcerptHit>, SourceError> {
            Ok(Vec::new())
        }
        fn entities(&mut self, _: &[EntityId]) -> Result<Vec<EntityRecord>, SourceError> {
            Ok(Vec::new())
        }
        fn neighbours(
            &mut self,
            _: EntityId,
            _: u32,
            _: Option<PageKey>,
        ) -> Result<NeighbourPage, SourceError> {
            Ok(NeighbourPage::from_rows(&[], 0, Vec::new(), Vec::new()))
        }
        fn relations_among(
            &mut self,
            _: &[EntityId],
        ) -> Result<Vec<crate::model::explore::RelationRecord>, SourceError> {
            Ok(Vec::new())
        }
        fn copy_scene(
            &mut self,
            _: &[EntityId],
            _: &[(EntityId, [f32; 2])],
            _: &std::path::Path,
        ) -> Result<SceneCopy, SourceError> {
            Err(SourceError::Cancelled)
        }
        fn relations_touching(
            &mut self,
            _: &[EntityId],
            _: usize,
        ) -> Result<(Vec<crate::model::explore::Touch>, bool), SourceError> {
            Ok((Vec::new(), false))
        }
        fn interrupter(&self) -> Interrupt {
            Box::new(|| {})
        }
        fn take_note(&mut self) -> Option<String> {
            self.0.take()
        }
    }

    #[test]
    fn a_sources_note_follows_its_answer_once() {
        let open: OpenExplorer = Arc::new(|| Ok(Box::new(Noting(None)) as Box<dyn Explorer>));
        let mut worker = ExploreWorker::start(open, egui::Context::default()).unwrap();
        let serial = worker.ask(search("tal")).unwrap();
        let expand = worker
            .ask(ExploreQuery::Expand {
                entity: 1,
                cap: 5,
                after: None,
            })
            .unwrap();
        let mut replies = Vec::new();
        let started = std::time::Instant::now();
        while replies.len() < 4 && started.elapsed() < Duration::from_secs(10) {
            replies.extend(worker.answers());
            std::thread::sleep(Duration::from_millis(5));
        }
        let kinds: Vec<(u64, String)> = replies
            .into_iter()
            .map(|(serial, answer)| match answer {
                Ok(ExploreAnswer::Note(note)) => (serial, note),
                Ok(ExploreAnswer::Ready) => (serial, "ready".to_owned()),
                Ok(ExploreAnswer::Found { .. }) => (serial, "found".to_owned()),
                Ok(ExploreAnswer::Expanded { .. }) => (serial, "expanded".to_owned()),
                other => panic!("{other:?}"),
            })
            .collect();
        // The search and the expansion run on two connections, in either
        // order; the note follows its own answer, once.
        assert_eq!(kinds.first(), Some(&(0, "ready".to_owned())));
        let of = |wanted: u64| -> Vec<&str> {
            kinds
                .iter()
                .filter(|(serial, _)| *serial == wanted)
                .map(|(_, kind)| kind.as_str())
                .collect()
        };
        assert_eq!(of(serial), ["found", "asked \"tal\" again"]);
        assert_eq!(of(expand), ["expanded"]);
        assert_eq!(kinds.len(), 4);
    }

    #[test]
    fn only_the_last_queued_search_is_answered_and_nothing_else_is_dropped() {
        let (sender, inbox) = channel();
        let expand = ExploreQuery::Expand {
            entity: 7,
            cap: 50,
            after: None,
        };
        sender.send((2, expand.clone())).unwrap();
        sender.send((3, search("ab"))).unwrap();
        sender.send((4, search("abc"))).unwrap();
        let kept = without_stale_searches((1, search("a")), &inbox);
        assert_eq!(kept, vec![(2, expand), (4, search("abc"))]);
    }
}
