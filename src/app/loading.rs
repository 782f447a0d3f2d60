//! Opening a file: the load job started, polled each frame, and its document installed (graph,
//! scene, layout thread, saved view); the layout thread's positions picked up as they come.

use std::path::Path;
use std::sync::Arc;

use super::{Details, Document, LinkscopeApp, MAX_RECENT_FILES, TraceSession};
use crate::jobs::{DetailsWorker, LayoutJob, LoadJob, LoadPoll, LoadedDocument};
use crate::scene::node_scale;
use crate::scene::theme::Theme;
use crate::store;
use crate::view::canvas::Positions;
use crate::view::gpu;
use crate::view::notices::NoticeTopic;
use crate::view::panels::LayoutInfo;

/// How often, at most, the nodes' size is checked against a moving picture.
const NODE_SCALE_INTERVAL_S: f64 = 0.2;

/// When the nodes' size was last fitted to the picture (see
/// [`LinkscopeApp::follow_node_scale`]).
#[derive(Default)]
pub(super) struct NodeScaleState {
    /// The positions' and the styles' generations it was checked for.
    checked_for: (u64, u64),
    checked_at: f64,
    /// The next check takes the wanted scale exactly.
    pub(super) snap: bool,
}

/// How often the window redraws to show a load's or a layout start's progress.
const PROGRESS_REPAINT: std::time::Duration = std::time::Duration::from_millis(250);

impl LinkscopeApp {
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        self.poll_explore(ctx);
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
        let mut newly_settled = false;
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
                newly_settled = true;
                if self.layout_info.running {
                    // The picture the layout settled on sizes the nodes exactly.
                    self.node_scale.snap = true;
                }
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
        if newly_settled {
            self.bring_newcomers_into_sight();
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
        let carried = self.carry_explored_view(path);
        let restored = view.as_ref().is_some_and(|view| !view.positions.is_empty());
        self.layout_info = LayoutInfo::default();
        let exploring = self
            .explore
            .as_ref()
            .filter(|session| session.is_copy(path))
            .map(|session| session.shown().to_owned());
        if exploring.is_none() {
            // Another file was opened: the exploration is over.
            self.explore = None;
        }
        let display_name = if let Some(source) = &exploring {
            format!("{source} (exploring)")
        } else if is_sample {
            format!("{} (bundled sample)", store::SAMPLE_FILE_NAME)
        } else {
            path.file_name().map_or_else(
                || path.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            )
        };
        log::info!(
            "opened {}: {} entities, {} relations, {} excerpts; ready for a first frame in {:.0} ms",
            path.display(),
            loaded.report.entities,
            loaded.report.relations,
            loaded.report.excerpts,
            timings.total_ms
        );
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
        if !is_sample && exploring.is_none() {
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
            generation: 0,
            captures: Arc::default(),
        });
        self.forget_captures();
        if let Some(source) = self.options.source.take() {
            self.pending
                .push(crate::command::Command::AddSourcePath(source));
        }
        self.node_scale = NodeScaleState {
            snap: true,
            ..NodeScaleState::default()
        };
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
            if let Some(scale) = view.node_scale {
                self.restore_node_scale(scale);
            }
        }
        if let Some(carried) = carried {
            self.restore_carried_view(ctx, carried);
        }
        if exploring.is_some() {
            self.explore_copy_installed(ctx);
        }
    }

    /// Keeps the nodes' size following the picture as the layout spreads
    /// it (see `view::node_scale`): exactly when a graph opens or its layout
    /// settles, and otherwise only when the picture's scale has moved far,
    /// so nodes don't breathe while the layout runs or a node is dragged.
    pub(super) fn follow_node_scale(&mut self, ctx: &egui::Context) {
        let Some(document) = &mut self.document else {
            return;
        };
        let points = self.positions.points.as_slice();
        if points.len() != document.scene.node_styles.len() {
            return;
        }
        let key = (self.positions.generation, document.scene.styles_generation);
        if key == self.node_scale.checked_for && !self.node_scale.snap {
            return;
        }
        let now = ctx.input(|input| input.time);
        if !self.node_scale.snap && now - self.node_scale.checked_at < NODE_SCALE_INTERVAL_S {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(NODE_SCALE_INTERVAL_S));
            return;
        }
        let Some(wanted) = node_scale::wanted_node_scale(&document.scene, points) else {
            return;
        };
        let current = document.scene.node_scale;
        let due = if self.node_scale.snap {
            (wanted / current - 1.0).abs() > 1e-4
        } else {
            node_scale::rescale_due(current, wanted)
        };
        if due {
            self.generation += 1;
            document.scene = document.scene.with_node_scale(wanted, self.generation);
        }
        self.node_scale = NodeScaleState {
            checked_for: (self.positions.generation, document.scene.styles_generation),
            checked_at: now,
            snap: false,
        };
    }

    /// Draws the nodes at the scale a saved view had, so it reopens exactly.
    pub(super) fn restore_node_scale(&mut self, scale: f32) {
        if let Some(document) = &mut self.document {
            self.generation += 1;
            document.scene = document.scene.with_node_scale(scale, self.generation);
            self.node_scale = NodeScaleState {
                checked_for: (self.positions.generation, document.scene.styles_generation),
                checked_at: f64::NEG_INFINITY,
                snap: false,
            };
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
