//! Detail queries off the UI thread: one named thread per open file owns
//! the [`DetailsProvider`] and answers, in order, what the window asks: an
//! entity's or a relation's record for the side panel, the evidence chain
//! of a traced path. Each question gets a serial number; the app keeps only
//! the answer to its latest question of each kind, and the thread skips
//! questions overtaken before it reached them, so a burst of clicks costs
//! one query, not one per click.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use crate::export::path_report::{HopEvidence, evidence_chain};
use crate::model::trace::TracePath;
use crate::model::{EdgeIx, Graph, NodeIx};
use crate::store::{DetailsProvider, EntityDetails, RelationDetails, StoreError};

/// What the window asks.
#[derive(Clone, Debug)]
pub enum DetailsQuery {
    /// The entity shown for a selected node (its database id).
    Entity(NodeIx, i64),
    /// The relation, with its evidence, shown for a selected edge.
    Relation(EdgeIx, i64),
    /// The evidence of each hop of a traced path.
    Chain { graph: Arc<Graph>, path: TracePath },
}

impl DetailsQuery {
    /// Questions of one kind overtake each other; the selection's and the
    /// trace's are answered independently.
    fn is_selection(&self) -> bool {
        !matches!(self, Self::Chain { .. })
    }
}

/// The answer to a [`DetailsQuery`]; None where the source has no such row.
#[derive(Clone, Debug)]
pub enum DetailsAnswer {
    Entity(NodeIx, Option<Box<EntityDetails>>),
    Relation(EdgeIx, Option<Box<RelationDetails>>),
    Chain(Vec<HopEvidence>),
}

/// An answer with the serial number of its question.
pub type Answered = (u64, Result<DetailsAnswer, StoreError>);

/// The thread answering detail queries for one open file. Dropping it ends
/// the thread once it has finished the query it is on.
pub struct DetailsWorker {
    questions: Sender<(u64, DetailsQuery)>,
    answers: Receiver<Answered>,
    last_serial: u64,
}

impl DetailsWorker {
    /// Moves `provider` onto its own thread; `repaint` wakes the window
    /// when an answer is ready.
    pub fn start(
        mut provider: Box<dyn DetailsProvider>,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let (questions, inbox) = channel::<(u64, DetailsQuery)>();
        let (outbox, answers) = channel();
        std::thread::Builder::new()
            .name("linkscope-details".to_owned())
            .spawn(move || {
                while let Ok(first) = inbox.recv() {
                    for (serial, query) in latest_of_each_kind(first, &inbox) {
                        let answer = answer(provider.as_mut(), query);
                        if outbox.send((serial, answer)).is_err() {
                            return;
                        }
                        repaint.request_repaint();
                    }
                }
            })?;
        Ok(Self {
            questions,
            answers,
            last_serial: 0,
        })
    }

    /// Asks `query`; returns its serial number, to match with the answer.
    pub fn ask(&mut self, query: DetailsQuery) -> u64 {
        self.last_serial += 1;
        // A closed channel means the thread is gone; `poll` reports it.
        let _ = self.questions.send((self.last_serial, query));
        self.last_serial
    }

    /// The answers that arrived since the last poll, in order. When the
    /// thread has stopped, one error answers every serial up to the last.
    pub fn poll(&self) -> Vec<Answered> {
        let mut answered = Vec::new();
        loop {
            match self.answers.try_recv() {
                Ok(answer) => answered.push(answer),
                Err(TryRecvError::Empty) => return answered,
                Err(TryRecvError::Disconnected) => {
                    answered.push((
                        self.last_serial,
                        Err(StoreError::Io {
                            path: std::path::PathBuf::new(),
                            source: std::io::Error::other("the details reader stopped"),
                        }),
                    ));
                    return answered;
                }
            }
        }
    }
}

/// `first` and whatever else is waiting, keeping only the newest question
/// of each kind, oldest first.
fn latest_of_each_kind(
    first: (u64, DetailsQuery),
    inbox: &Receiver<(u64, DetailsQuery)>,
) -> Vec<(u64, DetailsQuery)> {
    let (mut selection, mut chain) = (None, None);
    for (serial, query) in std::iter::once(first).chain(inbox.try_iter()) {
        if query.is_selection() {
            selection = Some((serial, query));
        } else {
            chain = Some((serial, query));
        }
    }
    let mut latest: Vec<_> = selection.into_iter().chain(chain).collect();
    latest.sort_by_key(|(serial, _)| *serial);
    latest
}

fn answer(
    provider: &mut dyn DetailsProvider,
    query: DetailsQuery,
) -> Result<DetailsAnswer, StoreError> {
    Ok(match query {
        DetailsQuery::Entity(node, id) => {
            DetailsAnswer::Entity(node, provider.entity(id)?.map(Box::new))
        }
        DetailsQuery::Relation(edge, id) => {
            DetailsAnswer::Relation(edge, provider.relation(id)?.map(Box::new))
        }
        DetailsQuery::Chain { graph, path } => {
            DetailsAnswer::Chain(evidence_chain(&graph, &path, provider)?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DetailsReader;
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    /// The sample's reader, slowed on its first question so the next ones
    /// queue up behind it, recording what it was asked.
    struct Recording {
        reader: DetailsReader,
        asked: Arc<Mutex<Vec<i64>>>,
    }

    impl DetailsProvider for Recording {
        fn entity(&mut self, id: i64) -> Result<Option<EntityDetails>, StoreError> {
            let first = {
                let mut asked = self.asked.lock().unwrap();
                asked.push(id);
                asked.len() == 1
            };
            if first {
                std::thread::sleep(Duration::from_millis(300));
            }
            self.reader.entity(id)
        }

        fn relation(&mut self, id: i64) -> Result<Option<RelationDetails>, StoreError> {
            self.reader.relation(id)
        }
    }

    #[test]
    fn questions_overtaken_before_they_are_reached_are_skipped() {
        let sample =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite");
        let asked = Arc::new(Mutex::new(Vec::new()));
        let provider = Recording {
            reader: DetailsReader::open(&sample).unwrap(),
            asked: Arc::clone(&asked),
        };
        let mut worker =
            DetailsWorker::start(Box::new(provider), egui::Context::default()).unwrap();
        let first = worker.ask(DetailsQuery::Entity(0, 1));
        // Wait until the worker is inside the first (slow) question.
        while asked.lock().unwrap().is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        let _overtaken = worker.ask(DetailsQuery::Entity(1, 2));
        let last = worker.ask(DetailsQuery::Entity(2, 3));
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut answers = Vec::new();
        while answers.len() < 2 {
            assert!(Instant::now() < deadline, "answers: {answers:?}");
            answers.extend(worker.poll());
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(
            *asked.lock().unwrap(),
            vec![1, 3],
            "entity 2 was never read"
        );
        let serials: Vec<u64> = answers.iter().map(|(serial, _)| *serial).collect();
        assert_eq!(serials, vec![first, last]);
        let Ok(DetailsAnswer::Entity(2, Some(details))) = &answers[1].1 else {
            panic!("{:?}", answers[1]);
        };
        assert_eq!(details.name.as_deref(), Some("Hamid Ahmedi"));
    }
}
