//! File ▸ Export…: the dialog's choices turned into an export request, the
//! path asked for, the picture drawn on a background thread, and its
//! outcome (a file written, or an image on the clipboard).

use std::path::PathBuf;
use std::sync::Arc;

use super::LinkscopeApp;
use super::input::{NO_DIALOG, native_dialog_possible};
use crate::export::picture::{
    ExportOutcome, ExportRequest, ExportTarget, PictureArea, PictureFormat, PictureStyle,
};
use crate::jobs::ExportJob;
use crate::view::export_dialog::{ExportSettings, export_dialog_ui, picture_size_pt};
use crate::view::notices::NoticeTopic;
use crate::view::panels::{PathPrompt, PathPurpose};

/// The export dialog and the export running (transient).
#[derive(Default)]
pub(super) struct ExportSession {
    /// The dialog's choices; the dialog shows while `open`.
    pub settings: ExportSettings,
    pub open: bool,
    pub job: Option<ExportJob>,
}

impl LinkscopeApp {
    pub(super) fn export_dialog(&mut self, ctx: &egui::Context) {
        if !self.export.open || self.document.is_none() {
            return;
        }
        let canvas = self
            .canvas
            .last_viewport
            .map_or(egui::vec2(1280.0, 800.0), |rect| rect.size());
        let (commands, keep_open) = export_dialog_ui(
            ctx,
            &mut self.export.settings,
            canvas,
            self.export.job.is_some(),
        );
        self.pending.extend(commands);
        self.export.open = keep_open;
    }

    /// Asks where to write the picture: the native dialog, or the path field.
    pub(super) fn choose_export_path(&mut self) {
        let extension = self.export.settings.format.extension();
        let suggested = self.document.as_ref().map_or_else(
            || format!("graph.{extension}"),
            |document| {
                let stem = document
                    .display_name
                    .replace(" (bundled sample)", "")
                    .rsplit_once('.')
                    .map_or_else(
                        || document.display_name.clone(),
                        |(stem, _)| stem.to_owned(),
                    );
                format!("{stem}.{extension}")
            },
        );
        if self.options.native_dialogs && native_dialog_possible() {
            let started = std::time::Instant::now();
            let picked = rfd::FileDialog::new()
                .set_title("Export the picture")
                .set_file_name(&suggested)
                .add_filter(extension.to_uppercase(), &[extension])
                .save_file();
            match picked {
                Some(path) => {
                    self.pending.push(crate::command::Command::ExportTo(path));
                    return;
                }
                None if started.elapsed() >= std::time::Duration::from_millis(150) => return,
                None => {}
            }
            self.path_prompt = Some(PathPrompt::new(
                PathPurpose::Export,
                Some(NO_DIALOG.to_owned()),
            ));
            return;
        }
        self.path_prompt = Some(PathPrompt::new(
            PathPurpose::Export,
            Some(format!("Where to write the picture, e.g. {suggested}")),
        ));
    }

    /// Starts drawing the picture for `target` in the background.
    pub(super) fn start_export(&mut self, ctx: &egui::Context, target: Option<PathBuf>) {
        if self.export.job.is_some() {
            return;
        }
        let Some(document) = &self.document else {
            return;
        };
        let settings = &self.export.settings;
        let target = match target {
            None => ExportTarget::Image,
            Some(path) => {
                if let Some(format) = PictureFormat::of_path(&path) {
                    ExportTarget::File(path, format)
                } else {
                    // The dialog's format decides a missing or other extension.
                    let mut name = path.into_os_string();
                    name.push(format!(".{}", settings.format.extension()));
                    ExportTarget::File(PathBuf::from(name), settings.format)
                }
            }
        };
        let viewport = self
            .canvas
            .last_viewport
            .unwrap_or(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            ));
        let whole_graph = settings.area == PictureArea::WholeGraph;
        let camera = if whole_graph {
            None
        } else {
            self.canvas.camera
        };
        let (overlay_edges, overlay_nodes) = if whole_graph {
            (Arc::default(), Arc::default())
        } else {
            let frame = crate::view::frame::highlight_frame(
                &document.graph,
                &document.scene,
                &self.selection,
                self.saved.theme,
            );
            (Arc::new(frame.0), Arc::new(frame.1))
        };
        let read_path = document
            .recovered
            .as_ref()
            .map_or_else(|| document.path.clone(), |copy| copy.path().to_path_buf());
        let request = ExportRequest {
            graph: Arc::clone(&document.graph),
            scene: document.scene.clone(),
            scene_theme: self.saved.theme,
            positions: Arc::clone(&self.positions.points),
            camera,
            overlay_edges,
            overlay_nodes,
            size: picture_size_pt(settings, viewport.size()),
            scale: settings.scale as f32,
            style: PictureStyle {
                theme: settings.background.unwrap_or(self.saved.theme),
                transparent: settings.background.is_none(),
                title: Some(settings.title.trim().to_owned()).filter(|title| !title.is_empty()),
                legend: settings.legend,
                citations: settings.citations,
                labels_as_outlines: settings.labels_as_outlines,
            },
            target,
            file: document.path.clone(),
            read_path,
            view: self.view_state().unwrap_or_default(),
        };
        match ExportJob::start(request, ctx.clone()) {
            Ok(job) => self.export.job = Some(job),
            Err(error) => self.show_error(format!("could not start the export: {error}")),
        }
    }

    /// Takes a finished export's outcome.
    pub(super) fn poll_export(&mut self, ctx: &egui::Context) {
        let Some(outcome) = self.export.job.as_ref().and_then(ExportJob::poll) else {
            if self.export.job.is_some() {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
            return;
        };
        self.export.job = None;
        match outcome {
            Ok(ExportOutcome::Written(path)) => {
                log::info!("exported {}", path.display());
                self.last_export = Some(path.clone());
                self.show_success(
                    Some(NoticeTopic::Export),
                    format!("Exported the picture to {}", path.display()),
                );
            }
            Ok(ExportOutcome::Image(image)) => {
                ctx.copy_image(image);
                self.show_success(
                    Some(NoticeTopic::Export),
                    "Copied the picture to the clipboard".to_owned(),
                );
            }
            Err(error) => {
                self.show_error_about(
                    Some(NoticeTopic::Export),
                    format!("could not export: {error}"),
                );
            }
        }
    }
}
