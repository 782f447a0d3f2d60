//! File ▸ Export…: what the picture shows and how it looks. Returns
//! commands; the export itself runs in the background.

use crate::command::Command;
use crate::export::picture::{PictureArea, PictureFormat};
use crate::scene::theme::Theme;

/// The export dialog's choices (kept while the app runs).
#[derive(Clone, Debug, PartialEq)]
pub struct ExportSettings {
    pub format: PictureFormat,
    pub area: PictureArea,
    /// Pixels per point: 1, 2 or 4.
    pub scale: u32,
    /// None: transparent.
    pub background: Option<Theme>,
    pub title: String,
    pub legend: bool,
    pub citations: bool,
    /// SVG: text as outlines of the window's font (see `PictureStyle::labels_as_outlines`).
    pub labels_as_outlines: bool,
}

impl Default for ExportSettings {
    fn default() -> Self {
        Self {
            format: PictureFormat::Png,
            area: PictureArea::WholeGraph,
            scale: 2,
            background: Some(Theme::Light),
            title: String::new(),
            legend: true,
            citations: true,
            labels_as_outlines: false,
        }
    }
}

/// The page a "whole graph" picture is drawn on (points, before the scale):
/// it depends on nothing but the settings, not on the window, its panels or
/// its notices.
pub const WHOLE_GRAPH_PAGE_PT: egui::Vec2 = egui::vec2(1280.0, 800.0);

/// The picture's size in points: the page for the whole graph, the canvas
/// for the current view.
pub fn picture_size_pt(settings: &ExportSettings, canvas_size_pt: egui::Vec2) -> egui::Vec2 {
    match settings.area {
        PictureArea::WholeGraph => WHOLE_GRAPH_PAGE_PT,
        PictureArea::CurrentView => canvas_size_pt,
    }
}

/// The dialog; returns the commands and whether it stays open. `busy` is
/// true while an export runs.
pub fn export_dialog_ui(
    ctx: &egui::Context,
    settings: &mut ExportSettings,
    canvas_size_pt: egui::Vec2,
    busy: bool,
) -> (Vec<Command>, bool) {
    let mut commands = Vec::new();
    let mut keep_open = true;
    super::fit::fit_window(
        egui::Window::new("Export Picture")
            .collapsible(false)
            .resizable(false),
        ctx,
    )
    .show(ctx, |ui| {
        egui::Grid::new("export_settings")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.label("Format");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut settings.format, PictureFormat::Png, "PNG");
                    ui.radio_value(&mut settings.format, PictureFormat::Svg, "SVG");
                });
                ui.end_row();
                ui.label("Shows");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut settings.area, PictureArea::WholeGraph, "Whole graph");
                    ui.radio_value(&mut settings.area, PictureArea::CurrentView, "Current view");
                });
                ui.end_row();
                ui.label("Scale");
                ui.add_enabled_ui(settings.format == PictureFormat::Png, |ui| {
                    ui.horizontal(|ui| {
                        for scale in [1, 2, 4] {
                            ui.radio_value(&mut settings.scale, scale, format!("{scale}×"));
                        }
                    });
                });
                ui.end_row();
                ui.label("Background");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut settings.background, Some(Theme::Light), "Light");
                    ui.radio_value(&mut settings.background, Some(Theme::Dark), "Dark");
                    ui.radio_value(&mut settings.background, None, "Transparent");
                });
                ui.end_row();
                let label = ui.label("Title");
                ui.add(egui::TextEdit::singleline(&mut settings.title).hint_text("none"))
                    .labelled_by(label.id);
                ui.end_row();
                ui.label("Include");
                ui.horizontal(|ui| {
                    ui.checkbox(&mut settings.legend, "Legend");
                    ui.checkbox(&mut settings.citations, "Sources footer");
                });
                ui.end_row();
                if settings.format == PictureFormat::Svg {
                    ui.label("Text");
                    ui.checkbox(&mut settings.labels_as_outlines, "Labels as outlines")
                        .on_hover_text(
                            "Draw every text as shapes in the window's font: the SVG looks \
                                 exactly like the PNG in any viewer, but its text can no longer \
                                 be selected or searched",
                        );
                    ui.end_row();
                }
            });
        let size = picture_size_pt(settings, canvas_size_pt) * settings.scale as f32;
        if settings.format == PictureFormat::Png {
            ui.weak(format!("{} × {} pixels", size.x.round(), size.y.round()));
        }
        ui.separator();
        ui.horizontal(|ui| {
            ui.add_enabled_ui(!busy, |ui| {
                if ui.button("Export…").clicked() {
                    commands.push(Command::ChooseExportPath);
                }
                if ui
                    .button("Copy Image")
                    .on_hover_text("Copy the picture (PNG pixels) to the clipboard")
                    .clicked()
                {
                    commands.push(Command::CopyImage);
                }
            });
            if busy {
                ui.spinner();
                ui.label("Exporting…");
            }
            if ui.button("Close").clicked() {
                keep_open = false;
            }
        });
    });
    (commands, keep_open)
}
