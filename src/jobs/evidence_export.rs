//! Writing an evidence table on its own thread, with progress and Cancel:
//! a large graph's table takes a while, and no SQL or file IO runs on the
//! UI thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::export::evidence_table::{
    EvidenceExportError, EvidenceFormat, EvidenceSummary, write_evidence_file,
};
use crate::model::capture::CaptureSet;
use crate::store::EvidenceReader;

/// An evidence table being written.
pub struct EvidenceExportJob {
    /// The file being written.
    pub target: PathBuf,
    pub format: EvidenceFormat,
    /// How many relations the table covers.
    pub total: usize,
    done: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    result: Receiver<Result<EvidenceSummary, EvidenceExportError>>,
}

impl EvidenceExportJob {
    /// Reads `relation_ids` with their evidence from `source` (opened as an
    /// untrusted file), its documents' details as `edits` left them, and
    /// writes the table to `target`.
    pub fn start(
        source: PathBuf,
        edits: Arc<CaptureSet>,
        relation_ids: Vec<i64>,
        format: EvidenceFormat,
        target: PathBuf,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let done = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (sender, result) = channel();
        let total = relation_ids.len();
        let (thread_done, thread_cancel, thread_target) =
            (Arc::clone(&done), Arc::clone(&cancel), target.clone());
        std::thread::Builder::new()
            .name("linkscope-evidence-export".to_owned())
            .spawn(move || {
                let outcome = EvidenceReader::open(&source, Arc::clone(&thread_cancel))
                    .map(|reader| reader.with_edits(edits))
                    .map_err(EvidenceExportError::from)
                    .and_then(|reader| {
                        write_evidence_file(
                            &reader,
                            &relation_ids,
                            format,
                            &thread_target,
                            &thread_done,
                            &thread_cancel,
                        )
                    });
                let outcome = match outcome {
                    Err(_) if thread_cancel.load(Ordering::Relaxed) => {
                        Err(EvidenceExportError::Cancelled)
                    }
                    other => other,
                };
                // The app may have gone; then nobody waits for the answer.
                let _ = sender.send(outcome);
                repaint.request_repaint();
            })?;
        Ok(Self {
            target,
            format,
            total,
            done,
            cancel,
            result,
        })
    }

    /// The share of relations read so far, 0 to 1.
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            return 1.0;
        }
        (self.done.load(Ordering::Relaxed) as f32 / self.total as f32).min(1.0)
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The outcome, once the export has finished.
    pub fn poll(&self) -> Option<Result<EvidenceSummary, EvidenceExportError>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(EvidenceExportError::Io {
                path: self.target.clone(),
                source: std::io::Error::other("the export stopped unexpectedly"),
            })),
        }
    }
}
