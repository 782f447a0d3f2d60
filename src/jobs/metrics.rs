//! The measures of a freshly opened graph, computed on their own thread so
//! that a million relations never hold up a frame. Dropping the job (another
//! file opened) cancels it, so a stale result never arrives.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use crate::model::Graph;
use crate::model::metrics::{Metrics, MetricsProgress, compute};

/// What a finished computation hands back.
pub struct MetricsOutcome {
    pub metrics: Arc<Metrics>,
    pub elapsed_ms: f64,
}

/// Measures being computed.
pub struct MetricsJob {
    pub progress: Arc<MetricsProgress>,
    result: Receiver<MetricsOutcome>,
}

/// What polling found.
pub enum MetricsPoll {
    Running,
    Done(MetricsOutcome),
    /// The thread ended without an answer (cancelled).
    Gone,
}

impl MetricsJob {
    pub fn start(graph: Arc<Graph>, repaint: egui::Context) -> std::io::Result<Self> {
        let progress = Arc::new(MetricsProgress::default());
        let thread_progress = Arc::clone(&progress);
        let (sender, result) = channel();
        std::thread::Builder::new()
            .name("linkscope-metrics".to_owned())
            .spawn(move || {
                let started = Instant::now();
                if let Ok(metrics) = compute(&graph, &thread_progress) {
                    // The app may have dropped the job (another file was opened).
                    let _ = sender.send(MetricsOutcome {
                        metrics: Arc::new(metrics),
                        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
                    });
                }
                repaint.request_repaint();
            })?;
        Ok(Self { progress, result })
    }

    pub fn poll(&self) -> MetricsPoll {
        match self.result.try_recv() {
            Ok(outcome) => MetricsPoll::Done(outcome),
            Err(TryRecvError::Empty) => MetricsPoll::Running,
            Err(TryRecvError::Disconnected) => MetricsPoll::Gone,
        }
    }

    pub fn cancel(&self) {
        self.progress.cancel();
    }
}

impl Drop for MetricsJob {
    fn drop(&mut self) {
        self.progress.cancel();
    }
}
