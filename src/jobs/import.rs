//! Importing another tool's file, and exporting the graph for one, on
//! their own threads with progress and Cancel: no parsing or file IO on the
//! UI thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::export::graph_formats::{
    GraphExportError, GraphExportOptions, GraphExportSummary, GraphFormat, ViewLook, export_graph,
};
use crate::import::{ImportError, ImportOptions, ImportSummary, Progress, import_files};

/// An import running.
pub struct ImportJob {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub progress: Arc<Progress>,
    result: Receiver<Result<ImportSummary, ImportError>>,
}

impl ImportJob {
    pub fn start(
        inputs: Vec<PathBuf>,
        output: PathBuf,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let progress = Arc::new(Progress::default());
        let (sender, result) = channel();
        let (thread_inputs, thread_output, thread_progress) =
            (inputs.clone(), output.clone(), Arc::clone(&progress));
        std::thread::Builder::new()
            .name("linkscope-import".to_owned())
            .spawn(move || {
                let outcome = import_files(
                    &thread_inputs,
                    &thread_output,
                    &ImportOptions::default(),
                    &thread_progress,
                );
                let outcome = match outcome {
                    Err(_) if thread_progress.is_cancelled() => Err(ImportError::Cancelled),
                    other => other,
                };
                let _ = sender.send(outcome);
                repaint.request_repaint();
            })?;
        Ok(Self {
            inputs,
            output,
            progress,
            result,
        })
    }

    pub fn cancel(&self) {
        self.progress.cancel();
    }

    /// The outcome once the import has finished.
    pub fn poll(&self) -> Option<Result<ImportSummary, ImportError>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(ImportError::Cancelled)),
        }
    }
}

/// A graph export running.
pub struct GraphExportJob {
    pub target: PathBuf,
    pub format: GraphFormat,
    cancel: Arc<AtomicBool>,
    result: Receiver<Result<GraphExportSummary, GraphExportError>>,
}

impl GraphExportJob {
    pub fn start(
        source: PathBuf,
        target: PathBuf,
        format: GraphFormat,
        options: GraphExportOptions,
        look: ViewLook,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let cancel = Arc::new(AtomicBool::new(false));
        let (sender, result) = channel();
        let (thread_target, thread_cancel) = (target.clone(), Arc::clone(&cancel));
        std::thread::Builder::new()
            .name("linkscope-graph-export".to_owned())
            .spawn(move || {
                let outcome = export_graph(
                    &source,
                    &thread_target,
                    format,
                    options,
                    &look,
                    &thread_cancel,
                );
                let _ = sender.send(outcome);
                repaint.request_repaint();
            })?;
        Ok(Self {
            target,
            format,
            cancel,
            result,
        })
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    pub fn poll(&self) -> Option<Result<GraphExportSummary, GraphExportError>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(GraphExportError::Write {
                path: self.target.clone(),
                source: std::io::Error::other("the export stopped unexpectedly"),
            })),
        }
    }
}
