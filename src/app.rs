//! The eframe app: wires the store, the model, the layout thread and the
//! views. It drains finished jobs, lays out the panels, and runs the
//! commands the UI returned.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::command::Command;
use crate::jobs::{DetailsWorker, LayoutJob, LoadJob};
use crate::layout::LayoutSettings;
use crate::model::{EdgeIx, Graph, NodeIx};
use crate::scene::GraphScene;
use crate::scene::edge_style::EvidenceMode;
use crate::scene::theme::Theme;
use crate::store::{self, EntityDetails, LoadReport, RelationDetails};
use crate::view::canvas::{self, CanvasEvent, CanvasState, Positions};
use crate::view::gpu;
use crate::view::hit::Hit;
use crate::view::notices::{NoticeKind, NoticeTopic, Notices};
use crate::view::panels::{self, LayoutInfo, PathPrompt};
use crate::view::selection::Selection;

mod arrange;
mod capture;
mod capture_graph;
mod commands;
mod confirm;
mod context_menu;
mod corrections;
mod details;
mod dock;
mod evidence_export;
mod explore;
mod export;
mod find;
mod history;
mod import;
mod import_csv;
mod input;
mod keyboard;
mod loading;
mod log_folder;
mod metrics;
mod options;
mod project;
mod queries;
mod reader_panel;
mod screenshot;
mod trace;
mod visibility;

use arrange::ArrangeSession;
use dock::DockState;
pub use dock::DockTool;
use evidence_export::EvidenceExportSession;
pub use explore::{ExploreSpec, ExploreStatus};
use export::ExportSession;
use find::SearchSession;
use metrics::MetricsSession;
pub use options::AppOptions;
use options::SavedState;
use project::ProjectSession;
use screenshot::ScreenshotState;
use trace::TraceSession;
use visibility::VisibilitySession;

const STORAGE_KEY: &str = "linkscope";
pub(crate) const MAX_RECENT_FILES: usize = 10;

/// An open graph file.
struct Document {
    /// The file on disk (for the sample, its unpacked copy).
    path: PathBuf,
    is_sample: bool,
    display_name: String,
    /// Shared with background exports.
    graph: Arc<Graph>,
    scene: GraphScene,
    report: LoadReport,
    /// Where details are read from: the file, or its recovered copy.
    read_path: PathBuf,
    /// Answers detail queries (the side panel, evidence chains) on its own
    /// thread: no SQL runs on the UI thread.
    details: Option<DetailsWorker>,
    /// What the layout runs with; saved with the view.
    layout_settings: LayoutSettings,
    /// Kept alive while the document reads from it (an unfinished save).
    recovered: Option<Arc<store::RecoveredCopy>>,
    /// Bumped each time the open graph grows in place (an explored scene
    /// expanded, evidence captured): 0 as opened.
    generation: u64,
    /// Evidence captured from sources since the file was opened.
    captures: Arc<crate::model::capture::CaptureSet>,
}

/// The details shown in the side panel for the current selection.
enum Details {
    None,
    /// Asked for; the answer to the question with this serial is awaited.
    Loading(u64),
    Entity(NodeIx, Box<EntityDetails>),
    Relation(EdgeIx, Box<RelationDetails>),
    /// Several entities are selected: the panel lists them.
    Selection,
}

pub struct LinkscopeApp {
    options: AppOptions,
    saved: SavedState,
    document: Option<Document>,
    loading: Option<(LoadJob, bool)>,
    layout: Option<LayoutJob>,
    positions: Positions,
    /// When the nodes' size was last fitted to the picture.
    node_scale: loading::NodeScaleState,
    layout_info: LayoutInfo,
    canvas: CanvasState,
    /// One relation, or any number of entities.
    selection: Selection,
    /// Nodes the user dragged into place; the layout leaves them there.
    pinned: BTreeSet<NodeIx>,
    /// Undo history and the drag in progress.
    arrange: ArrangeSession,
    details: Details,
    /// The Trace panel: its ends, settings, search and evidence chain.
    trace: TraceSession,
    /// Errors and notes floating over the canvas, newest last.
    notices: Notices,
    /// The side panels' dock: which tool's tab is in front.
    dock: DockState,
    /// The canvas's right-click menu: on what, and where.
    context_menu: Option<context_menu::OpenMenu>,
    /// What the canvas's screen-reader announcement was worked out for.
    announced_for: Option<keyboard::AnnouncedFor>,
    /// A long excerpt or description, read in its own window.
    text_viewer: Option<crate::view::text_viewer::TextViewer>,
    path_prompt: Option<PathPrompt>,
    /// Saving, unsaved changes and the questions around them.
    project: ProjectSession,
    /// The export dialog and the export running.
    export: ExportSession,
    /// The last picture written, for tests and the status bar.
    last_export: Option<PathBuf>,
    /// File ▸ Export Evidence Table… and its job.
    evidence_export: EvidenceExportSession,
    /// File ▸ Import… and Export Graph…, with their jobs.
    import: import::ImportSession,
    show_report: bool,
    /// Find, the command palette and the shortcuts window.
    search: SearchSession,
    pending: Vec<Command>,
    /// The layout settings window's draft, while it is open.
    layout_draft: Option<LayoutSettings>,
    generation: u64,
    title_dirty: bool,
    screenshot: ScreenshotState,
    /// Hide, focus, expand, filters and the timeline.
    visibility: VisibilitySession,
    /// The GPU (or software rasteriser) the window draws with.
    renderer: Renderer,
    /// Communities and centrality, and what nodes are coloured and sized by.
    metrics: MetricsSession,
    /// Exploring a source by search and expansion.
    explore: Option<explore::ExploreSession>,
    /// The reader and the capture form.
    capture: capture::CaptureSession,
    /// A file over the size limit, waiting for "explore or load whole".
    big_file: Option<explore::BigFileOffer>,
    /// File ▸ Connect to PostgreSQL…, while it is open.
    connect_form: Option<crate::view::explore_panel::ConnectForm>,
    /// The folder Help ▸ Show Log last asked to show (for tests, where
    /// nothing is opened).
    shown_log_folder: Option<PathBuf>,
}

/// What the window knows of its renderer.
#[derive(Default)]
struct Renderer {
    /// The adapter draws in software (lavapipe, WARP).
    software: bool,
    /// The adapter cannot run the graph shaders (wgpu's GL backend): the
    /// graph is drawn on the CPU (`view::cpu_drawing`), and the status bar
    /// says so.
    cpu_drawing: bool,
    /// There is no adapter at all: the canvas says so.
    unsupported: Option<String>,
}

impl LinkscopeApp {
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        // Decodes the user guide's pictures (PNG, bundled).
        egui_extras::install_image_loaders(&cc.egui_ctx);
        if let Some(render_state) = &cc.wgpu_render_state {
            let info = render_state.adapter.get_info();
            log::info!(
                "renderer: {} ({:?}, {:?}, driver {} {})",
                info.name,
                info.backend,
                info.device_type,
                info.driver,
                info.driver_info
            );
        }
        let renderer = match cc.wgpu_render_state.as_ref() {
            Some(render_state) if gpu::is_supported(render_state) => {
                gpu::install(render_state);
                gpu::repaint_while_refining(render_state, &cc.egui_ctx);
                Renderer {
                    software: gpu::is_software(render_state),
                    cpu_drawing: false,
                    unsupported: None,
                }
            }
            // The window draws the graph on the CPU instead: said in the
            // status bar, not logged as a problem.
            Some(render_state) => Renderer {
                software: gpu::is_software(render_state),
                cpu_drawing: true,
                unsupported: None,
            },
            None => Renderer {
                unsupported: Some("No graphics adapter could be set up, so the graph cannot be drawn. Software Vulkan (Mesa's lavapipe) works: install mesa-vulkan-drivers and run with WGPU_BACKEND=vulkan.".to_owned()),
                ..Renderer::default()
            },
        };
        let saved = cc
            .storage
            .and_then(|storage| eframe::get_value::<SavedState>(storage, STORAGE_KEY))
            .unwrap_or_default();
        let explore = options.explore.clone();
        let first = match (&explore, &options.file) {
            (Some(_), _) => None,
            (None, Some(path)) => Some(Command::OpenPath(path.clone())),
            (None, None) => Some(Command::OpenSample),
        };
        let mut app = Self {
            options,
            saved,
            document: None,
            loading: None,
            layout: None,
            positions: Positions {
                points: Arc::new(Vec::new()),
                generation: 0,
            },
            node_scale: loading::NodeScaleState::default(),
            layout_info: LayoutInfo::default(),
            canvas: CanvasState::default(),
            selection: Selection::default(),
            pinned: BTreeSet::new(),
            arrange: ArrangeSession::default(),
            details: Details::None,
            trace: TraceSession::default(),
            notices: Notices::default(),
            dock: DockState::default(),
            text_viewer: None,
            announced_for: None,
            context_menu: None,
            path_prompt: None,
            project: ProjectSession::default(),
            export: ExportSession::default(),
            last_export: None,
            evidence_export: EvidenceExportSession::default(),
            import: import::ImportSession::default(),
            show_report: false,
            search: SearchSession::default(),
            pending: first.into_iter().collect(),
            layout_draft: None,
            generation: 0,
            title_dirty: true,
            screenshot: ScreenshotState::default(),
            renderer,
            visibility: VisibilitySession::default(),
            metrics: MetricsSession::default(),
            explore: None,
            capture: capture::CaptureSession::default(),
            big_file: None,
            connect_form: None,
            shown_log_folder: None,
        };
        if app.renderer.cpu_drawing {
            app.canvas.cpu_drawing = Some(crate::view::cpu_drawing::CpuDrawing::default());
        }
        app.report_last_crash();
        if let Some(spec) = &explore {
            app.start_explore(&cc.egui_ctx, spec);
        }
        let theme = app.saved.theme;
        app.set_theme(&cc.egui_ctx, theme);
        app.run_commands(&cc.egui_ctx);
        app
    }

    /// Whether the "Start here" card shows: over the bundled sample, until
    /// dismissed.
    pub fn is_start_here_shown(&self) -> bool {
        self.options.offer_start_here
            && !self.saved.start_here_dismissed
            && self
                .document
                .as_ref()
                .is_some_and(|document| document.is_sample)
    }

    fn set_theme(&mut self, ctx: &egui::Context, theme: Theme) {
        self.saved.theme = theme;
        ctx.set_visuals(crate::scene::theme::visuals(theme));
        self.generation += 1;
        if let Some(document) = &mut self.document {
            document.scene = document.scene.recolored(theme, self.generation);
        }
    }

    /// Turns the evidence overlay on or off (a file without evidence has
    /// none to show); it is saved with the view.
    fn toggle_evidence_overlay(&mut self) {
        if let Some(on) = self.evidence_overlay() {
            self.set_evidence_overlay(!on);
            self.mark_edited();
        }
    }

    /// Draws the evidence overlay, or not.
    fn set_evidence_overlay(&mut self, on: bool) {
        if self.evidence_overlay().is_none_or(|shown| shown == on) {
            return;
        }
        self.generation += 1;
        if let Some(document) = &mut self.document {
            document.scene =
                document
                    .scene
                    .with_evidence_overlay(on, self.saved.theme, self.generation);
        }
    }

    /// Whether the evidence overlay is on; None when the file has no
    /// evidence to overlay.
    fn evidence_overlay(&self) -> Option<bool> {
        let scene = &self.document.as_ref()?.scene;
        scene
            .has_evidence()
            .then_some(scene.evidence_mode == EvidenceMode::Overlay)
    }

    // The notices are logged through `logfile::notice`: their text may
    // quote an entity's name, so the log file gets only the caller.
    #[track_caller]
    fn show_error(&mut self, text: String) {
        self.show_error_about(None, text);
    }

    /// An error that a later success on the same topic makes obsolete.
    #[track_caller]
    fn show_error_about(&mut self, topic: Option<NoticeTopic>, text: String) {
        crate::logfile::notice(log::Level::Warn, &text, std::panic::Location::caller());
        self.notices.push(NoticeKind::Error, topic, text);
    }

    /// A note that needs the user's attention; it stays until dismissed.
    #[track_caller]
    fn show_warning(&mut self, text: String) {
        crate::logfile::notice(log::Level::Info, &text, std::panic::Location::caller());
        self.notices.push(NoticeKind::Warning, None, text);
    }

    /// A success: it fades by itself, and retires errors on its topic.
    #[track_caller]
    fn show_success(&mut self, topic: Option<NoticeTopic>, text: String) {
        crate::logfile::notice(log::Level::Info, &text, std::panic::Location::caller());
        self.notices.push(NoticeKind::Success, topic, text);
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        if !self.title_dirty {
            return;
        }
        self.title_dirty = false;
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(self.title()));
    }
}

impl eframe::App for LinkscopeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.poll_jobs(&ctx);
        self.poll_details(&ctx);
        self.poll_trace(&ctx);
        self.poll_visibility(&ctx);
        self.follow_node_scale(&ctx);
        self.poll_save(&ctx);
        self.poll_capture(&ctx);
        self.poll_export(&ctx);
        self.poll_metrics(&ctx);
        self.handle_input(&ctx);
        self.handle_graph_keys(&ctx);
        self.update_announcement();
        self.guard_close(&ctx);
        self.update_title(&ctx);

        let recent = self.saved.recent_files.clone();
        let has_graph = self.document.is_some();
        let layout_info = self.layout_info;
        let trace_menu = self.trace_menu_state();
        let edit_menu = crate::view::edit_menu::EditMenuState {
            undo: self.undo_text().map(str::to_owned),
            redo: self.redo_text().map(str::to_owned),
            has_graph,
            has_selection: !self.selection.is_empty(),
            has_entities: !self.selection.nodes().is_empty(),
        };
        let menu_bar = egui::Panel::top("menu_bar").show(ui, |ui| {
            let commands = panels::menu_bar_ui(
                ui,
                &panels::MenuBarState {
                    recent_files: &recent,
                    has_graph,
                    layout: layout_info,
                    theme: self.saved.theme,
                    evidence_overlay: self.evidence_overlay(),
                    trace: trace_menu,
                    visibility: &self.visibility_menu(),
                    edit: &edit_menu,
                    node_look: self.metrics.look,
                },
            );
            self.pending.extend(commands);
        });
        let status_bar = egui::Panel::bottom("status_bar").show(ui, |ui| {
            let loading = self.loading.as_ref().map(|(job, is_sample)| {
                let (stage, fraction) = job.progress.snapshot();
                let name = if *is_sample {
                    "the bundled sample".to_owned()
                } else {
                    job.path.file_name().map_or_else(
                        || job.path.display().to_string(),
                        |name| name.to_string_lossy().into_owned(),
                    )
                };
                (stage, fraction, name)
            });
            let offline = self.explore_status() == Some(ExploreStatus::Offline);
            let report = self
                .document
                .as_ref()
                .zip(self.shown_counts())
                .map(|(document, counts)| (&document.report, counts));
            let layout = has_graph.then_some(layout_info);
            let visible = self.visibility_status();
            let (measuring, measured) = self.metrics.status();
            ui.horizontal(|ui| {
                let commands = panels::status_bar_ui(ui, loading, report, layout, visible);
                self.pending.extend(commands);
                let commands = crate::view::metrics_ui::metrics_status_ui(ui, measuring, measured);
                self.pending.extend(commands);
                if offline {
                    ui.separator();
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        "Offline: the source's connection was lost",
                    );
                }
                if self.renderer.cpu_drawing {
                    ui.separator();
                    panels::cpu_drawing_ui(ui);
                } else if self.renderer.software {
                    ui.separator();
                    panels::software_rendering_ui(ui, self.canvas.quality);
                }
            });
        });
        crate::view::fit::set_free_rect(
            &ctx,
            egui::Rect::from_x_y_ranges(
                ctx.content_rect().x_range(),
                menu_bar.response.rect.bottom()..=status_bar.response.rect.top(),
            ),
        );
        self.visibility_panels_ui(ui);
        self.reader_panel_ui(ui);
        self.dock_ui(ui);
        let mut notices_over = None;
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(reason) = &self.renderer.unsupported {
                ui.colored_label(ui.visuals().error_fg_color, reason);
            }
            let canvas_rect = ui.available_rect_before_wrap();
            notices_over = Some(canvas_rect);
            self.community_legend_ui(ui, canvas_rect);
            match &self.document {
                Some(document) => {
                    let events = canvas::canvas_ui(
                        ui,
                        &mut self.canvas,
                        &document.graph,
                        &document.scene,
                        &self.positions,
                        &self.selection,
                        self.saved.theme,
                    );
                    for event in events {
                        match event {
                            CanvasEvent::Select(Some(Hit::Node(node))) => self.pending.push(Command::SelectNode(node)),
                            CanvasEvent::Select(Some(Hit::Edge(edge))) => self.pending.push(Command::SelectEdge(edge)),
                            CanvasEvent::Select(None) => self.pending.push(Command::ClearSelection),
                            CanvasEvent::DragNode { node, world } => self.pending.push(Command::DragNode { node, world }),
                            CanvasEvent::DragEnd => self.pending.push(Command::EndDrag),
                            CanvasEvent::Unpin(node) => self.pending.push(Command::UnpinNode(node)),
                            CanvasEvent::Toggle(node) => self.pending.push(Command::ToggleNode(node)),
                            CanvasEvent::AddNodes(nodes) => self.pending.push(Command::AddNodes(nodes)),
                            CanvasEvent::ContextMenu { hit, at } => self.open_context_menu(hit, at),
                        }
                    }
                    self.explore_badges_ui(ui, canvas_rect);
                }
                None => {
                    ui.centered_and_justified(|ui| {
                        if let Some(text) = self.explore_placeholder() {
                            ui.label(text);
                        } else if self.loading.is_some() {
                            ui.label("Opening…");
                        } else {
                            ui.label("No graph open. Use File > Open… (Ctrl+O) or drop a graph file here.");
                        }
                    });
                }
            }
        });
        if let Some(canvas_rect) = notices_over {
            let now = ctx.input(|input| input.time);
            if let Some(wait) = self.notices.tick(now) {
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(wait));
            }
            let commands = crate::view::notices::notices_ui(
                &ctx,
                canvas_rect,
                &self.notices,
                self.saved.theme,
                now,
            );
            self.pending.extend(commands);
            if self.is_start_here_shown() {
                let commands =
                    crate::view::start_here::start_here_ui(&ctx, canvas_rect, self.saved.theme);
                self.pending.extend(commands);
            }
        }
        if let Some(document) = &self.document {
            let mut open = self.show_report;
            panels::report_window_ui(&ctx, &document.report, &mut open);
            self.show_report = open;
        }
        if let Some(prompt) = &mut self.path_prompt {
            let (commands, keep_open) = panels::path_prompt_ui(&ctx, prompt);
            self.pending.extend(commands);
            if !keep_open {
                self.path_prompt = None;
            }
        }
        self.context_menu_ui(&ctx);
        if let Some(viewer) = &self.text_viewer
            && !crate::view::text_viewer::text_viewer_ui(&ctx, viewer)
        {
            self.text_viewer = None;
        }
        self.export_dialog(&ctx);
        self.expand_prompt_ui(&ctx);
        if self.project.unsaved_prompt.is_some()
            && let Some(document) = &self.document
            && let Some(choice) = panels::unsaved_changes_ui(&ctx, &document.display_name)
        {
            self.pending.push(Command::Unsaved(choice));
        }
        self.evidence_export_ui(&ctx);
        self.import_ui(&ctx);
        self.big_file_offer_ui(&ctx);
        self.connect_form_ui(&ctx);
        self.search_overlays(&ctx);
        self.capture_windows(&ctx);
        if let (Some(draft), Some(document)) = (&mut self.layout_draft, &self.document) {
            let commands =
                crate::view::layout_panel::layout_panel_ui(&ctx, draft, &document.layout_settings);
            self.pending.extend(commands);
        }
        self.run_commands(&ctx);
        self.take_screenshot_when_settled(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.saved);
    }
}
