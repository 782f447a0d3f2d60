//! Opening a file: the load job started, polled each frame, and its document installed (graph,
//! scene, layout thread, saved view); the layout thread's positions picked up as they come.

use std::path::Path;
use std::sync::Arc;

use super::{Details, Document, LinkscopeApp, MAX_RECENT_FILES, TraceSession};
use crate::jobs::{DetailsWorker, LayoutJob, LoadJob, LoadPoll, LoadedDocument};
use crate::store;
use crate::view::canvas::Positions;
use crate::view::gpu;
use crate::view::notices::NoticeTopic;
use crate::view::panels::LayoutInfo;
use crate::view::theme::Theme;

/// How often the window redraws to show a load's or a layout start's progress.
const PROGRESS_REPAINT: std::time::Duration = std::time::Duration::from_millis(250);

impl LinkscopeApp {
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        let finished = match self.loading.as_ref().map(|(job, _)| job.poll()) {
            Some(LoadPoll::Running) => {
                // Often enough for the progress bar; every frame costs the load CPU time.
                ctx.request_repaint_after(PROGRESS_REPAINT);
                None
            }
            Some(LoadPoll::Done(outcome)) => Some(outcome),
            None => None,
        };
        if let Some(outcome) = finished
            && let Some((job, is_sample)) = self.loading.take()
        {
            match *outcome {
                Ok(document) => self.install_document(ctx, &job.path, is_sample, document),
                Err(error) => self.show_error_about(Some(NoticeTopic::Open), error.to_string()),
            }
        }
        if let Some(layout) = &self.layout {
            let status = layout.status();
            if status.generation != self.positions.generation {
                self.positions = Positions {
                    points: status.positions,
                    generation: status.generation,
                };
            }
            if status.starting {
                // The step shown in the status bar changes without a repaint of its own.
                ctx.request_repaint_after(PROGRESS_REPAINT);
            }
            if status.settled && !self.layout_info.settled {
                self.canvas.stop_following();
                // The layout's and the hit index's working memory is done with.
                crate::jobs::memory::return_free_memory();
            }
            self.layout_info = LayoutInfo {
                iteration: status.iteration,
                running: status.running,
                settled: status.settled,
                iterations_per_second: status.iterations_per_second,
                starting: layout.start_state(),
            };
        }
    }

    fn install_document(
        &mut self,
        ctx: &egui::Context,
        path: &Path,
        is_sample: bool,
        LoadedDocument {
            mut loaded,
            reader,
            scene,
            start,
            edges,
            layout_settings,
            timings,
        }: LoadedDocument,
    ) {
        // The file that failed to open is no longer the question.
        self.notices.clear_topic(NoticeTopic::Open);
        let view = loaded.view.take();
        let restored = view.as_ref().is_some_and(|view| !view.positions.is_empty());
        self.layout_info = LayoutInfo::default();
        let display_name = if is_sample {
            format!("{} (bundled sample)", store::SAMPLE_FILE_NAME)
        } else {
            path.file_name().map_or_else(
                || path.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            )
        };
        log::debug!("{}: ready for a first frame: {timings:?}", path.display());
        // The layout is built on its own thread; the graph is drawn from `start.placement`
        // meanwhile, published by the job at once.
        match LayoutJob::start(start, edges, layout_settings.clone(), restored, ctx.clone()) {
            Ok(job) => self.layout = Some(job),
            Err(error) => self.show_error(format!("could not start the layout thread: {error}")),
        }
        if let Some(layout) = &self.layout {
            let status = layout.status();
            self.positions = Positions {
                points: status.positions,
                generation: status.generation,
            };
        }
        if loaded.report.has_problems() {
            self.show_warning(format!(
                "{}: opened with problems: {}. See File > Load Report.",
                path.display(),
                loaded.report.summary()
            ));
        }
        if !is_sample {
            self.saved.recent_files.retain(|recent| recent != path);
            self.saved.recent_files.insert(0, path.to_path_buf());
            self.saved.recent_files.truncate(MAX_RECENT_FILES);
        }
        let scene = if self.saved.theme == Theme::Dark {
            scene
        } else {
            self.generation += 1;
            scene.recolored(self.saved.theme, self.generation)
        };
        let read_path = reader.path().to_path_buf();
        let details = match DetailsWorker::start(Box::new(reader), ctx.clone()) {
            Ok(worker) => Some(worker),
            Err(error) => {
                self.show_error(format!("could not start the details reader: {error}"));
                None
            }
        };
        self.search.forget_document();
        self.document = Some(Document {
            path: path.to_path_buf(),
            is_sample,
            display_name,
            graph: Arc::new(loaded.graph),
            scene,
            report: loaded.report,
            read_path,
            details,
            layout_settings,
            recovered: loaded.recovered,
        });
        self.selection.set(None);
        self.pinned.clear();
        self.arrange.reset();
        self.details = Details::None;
        self.trace = TraceSession::default();
        self.canvas.reset();
        // The loader's rows, maps and the previous graph are freed by now.
        crate::jobs::memory::return_free_memory();
        self.canvas.quality = gpu::RenderQuality::for_window(
            self.renderer.software,
            self.document
                .as_ref()
                .map_or(0, |document| document.graph.edge_count()),
        );
        self.project.dirty = false;
        self.title_dirty = true;
        self.reset_visibility(ctx);
        self.start_metrics(ctx);
        if let Some(view) = view {
            self.restore_view(&view);
            self.restore_visibility(ctx, &view);
            self.restore_node_look(&view);
        }
    }

    /// Switches the window (and what it exports) to `theme`.
    pub(super) fn start_loading(&mut self, ctx: &egui::Context, path: &Path, is_sample: bool) {
        if let Some((job, _)) = self.loading.take() {
            job.cancel();
        }
        self.generation += 1;
        match LoadJob::start(
            path,
            self.generation,
            self.options.layout.clone(),
            ctx.clone(),
        ) {
            Ok(job) => self.loading = Some((job, is_sample)),
            Err(error) => self.show_error(format!(
                "could not start loading {}: {error}",
                path.display()
            )),
        }
    }
}
