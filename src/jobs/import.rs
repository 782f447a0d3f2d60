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
use crate::import::csv::{CsvPreview, DryRunSummary, Mapping, dry_run_files, preview_files};
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
        options: ImportOptions,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        let progress = Arc::new(Progress::default());
        let (sender, result) = channel();
        let (thread_inputs, thread_output, thread_progress) =
            (inputs.clone(), output.clone(), Arc::clone(&progress));
        std::thread::Builder::new()
            .name("linkscope-import".to_owned())
            .spawn(move || {
                let outcome =
                    import_files(&thread_inputs, &thread_output, &options, &thread_progress);
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

/// Reading for the CSV mapping dialog, off the UI thread: the first rows
/// of the files, or what an import would write (a dry run).
pub struct CsvReadJob<T> {
    progress: Arc<Progress>,
    result: Receiver<Result<T, ImportError>>,
}

/// How many rows the mapping dialog previews.
pub const PREVIEW_ROWS: usize = 8;

impl CsvReadJob<Vec<CsvPreview>> {
    pub fn preview(
        inputs: Vec<PathBuf>,
        mapping: Option<Mapping>,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        Self::start(repaint, move |_| {
            preview_files(&inputs, PREVIEW_ROWS, mapping.as_ref())
        })
    }
}

impl CsvReadJob<DryRunSummary> {
    pub fn dry_run(
        inputs: Vec<PathBuf>,
        mapping: Mapping,
        repaint: egui::Context,
    ) -> std::io::Result<Self> {
        Self::start(repaint, move |progress| {
            dry_run_files(&inputs, Some(&mapping), progress)
        })
    }
}

impl<T: Send + 'static> CsvReadJob<T> {
    fn start(
        repaint: egui::Context,
        read: impl FnOnce(&Arc<Progress>) -> Result<T, ImportError> + Send + 'static,
    ) -> std::io::Result<Self> {
        let progress = Arc::new(Progress::default());
        let (sender, result) = channel();
        let thread_progress = Arc::clone(&progress);
        std::thread::Builder::new()
            .name("linkscope-csv-read".to_owned())
            .spawn(move || {
                let _ = sender.send(read(&thread_progress));
                repaint.request_repaint();
            })?;
        Ok(Self { progress, result })
    }

    /// Stops the read (a dropped job stops too).
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    pub fn poll(&self) -> Option<Result<T, ImportError>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(ImportError::Cancelled)),
        }
    }
}

impl<T> Drop for CsvReadJob<T> {
    fn drop(&mut self) {
        self.progress.cancel();
    }
}
