//! Running what the user asked for: every command from menus, keys, panels
//! and the canvas goes through here, after the frame that produced it.

use super::LinkscopeApp;
use crate::command::{Command, is_openable_url};
use crate::jobs::LayoutCommand;
use crate::store;
use crate::view::hit::Hit;
use crate::view::panels::{PathPrompt, PathPurpose};

impl LinkscopeApp {
    pub(super) fn run_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.pending);
        for command in commands {
            self.run_command(ctx, command);
        }
    }

    fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::OpenPath(_) | Command::OpenSample | Command::OpenDialog | Command::Quit
                if self.project.dirty && self.document.is_some() =>
            {
                self.project.unsaved_prompt = Some(command);
            }
            Command::OpenDialog => self.open_dialog(),
            Command::AddSourceDialog
            | Command::AddSourcePath(_)
            | Command::ShowPasteSource
            | Command::AddPastedSource(_)
            | Command::ToggleReader
            | Command::OpenInSource { .. }
            | Command::CaptureSelection => self.run_capture_command(ctx, command),
            Command::ConfirmAnchor(fuzzy) => self.confirm_anchor(ctx, &fuzzy),
            Command::PromptForPath => {
                self.path_prompt = Some(PathPrompt::new(PathPurpose::Open, None));
            }
            Command::OpenPath(path) => {
                if !self.open_recent_server(ctx, &path) {
                    self.open_or_offer_import(ctx, &path, false);
                }
            }
            Command::ShowConnect => self.show_connect(),
            Command::Connect {
                url,
                schema,
                password,
                remember,
            } => self.connect(ctx, &url, &schema, password, remember),
            Command::Save => self.save(ctx),
            Command::SaveAs => self.ask_where_to_save(None),
            Command::SaveAsPath(path) => self.save_as(ctx, path),
            Command::Unsaved(choice) => self.answer_unsaved(ctx, choice),
            Command::ShowExport => self.export.open = true,
            Command::ChooseExportPath => self.choose_export_path(),
            Command::ExportTo(path) => self.start_export(ctx, Some(path)),
            Command::CopyImage => self.start_export(ctx, None),
            Command::ExportEvidence
            | Command::ChooseEvidencePath(_)
            | Command::ExportEvidenceTo { .. }
            | Command::CancelEvidenceExport
            | Command::CopyText(_) => self.run_evidence_command(ctx, command),
            Command::ImportDialog
            | Command::OfferImport(_)
            | Command::StartImport { .. }
            | Command::CsvMapping(_)
            | Command::CancelImport
            | Command::ExportGraphDialog
            | Command::ExportGraphTo { .. }
            | Command::CancelGraphExport => self.run_import_command(ctx, command),
            Command::OpenSample => match store::bundled_sample_path() {
                Ok(path) => self.start_loading(ctx, &path, true),
                Err(error) => {
                    self.show_error(format!("could not unpack the bundled sample: {error}"));
                }
            },
            Command::CancelLoad => {
                if let Some((job, _)) = &self.loading {
                    job.cancel();
                }
            }
            Command::FitView => self.canvas.request_fit(),
            Command::ToggleLayout => {
                if let Some(layout) = &self.layout {
                    let info = self.layout_info;
                    if info.running && !info.settled {
                        layout.send(LayoutCommand::Pause);
                    } else {
                        layout.send(LayoutCommand::Resume);
                        self.project.dirty = true;
                        self.title_dirty = true;
                    }
                }
            }
            Command::ToggleLayoutSettings => {
                self.layout_draft = match (&self.layout_draft, &self.document) {
                    (None, Some(document)) => Some(document.layout_settings.clone()),
                    _ => None,
                };
            }
            Command::ApplyLayoutSettings(settings) => {
                let Some(document) = &mut self.document else {
                    return;
                };
                document.layout_settings = (*settings).clone();
                self.mark_edited();
                if let Some(layout) = &self.layout {
                    layout.send(LayoutCommand::Reconfigure(settings));
                    self.canvas.follow_layout();
                }
            }
            Command::RerunLayout => {
                self.mark_edited();
                if let Some(layout) = &self.layout {
                    layout.send(LayoutCommand::Restart);
                    self.canvas.follow_layout();
                }
            }
            Command::DragNode { .. }
            | Command::EndDrag
            | Command::UnpinNode(_)
            | Command::PinSelection
            | Command::UnpinSelection
            | Command::Undo
            | Command::Redo
            | Command::ToggleNode(_)
            | Command::AddNodes(_)
            | Command::SelectAll
            | Command::SelectNeighbours => self.run_arrange_command(ctx, command),
            Command::SelectNode(node) => self.select(Some(Hit::Node(node))),
            Command::SelectEdge(edge) => self.select(Some(Hit::Edge(edge))),
            Command::ClearSelection => self.select(None),
            Command::RevealNode(_)
            | Command::ShowFind { .. }
            | Command::CloseFind
            | Command::TogglePalette
            | Command::ToggleHelp
            | Command::ToggleGuide
            | Command::ToggleAbout => self.run_search_command(&command),
            Command::DismissStartHere => self.saved.start_here_dismissed = true,
            Command::OpenUrl(url) => {
                if is_openable_url(&url) {
                    ctx.open_url(egui::OpenUrl::new_tab(url));
                } else {
                    self.show_error(format!(
                        "not opened: only http and https links are opened: {url}"
                    ));
                }
            }
            Command::TraceFromSelection
            | Command::TraceToSelection
            | Command::SwapTraceEnds
            | Command::SetTraceSettings(_)
            | Command::FindPath
            | Command::ListPaths
            | Command::ShowTracePath(_)
            | Command::ClearTrace => self.run_trace_command(ctx, &command),
            Command::ShowReport => self.show_report = true,
            Command::ShowLog => self.show_log_folder(),
            Command::SetTheme(theme) => self.set_theme(ctx, theme),
            Command::SetColourBy(_) | Command::SetSizeBy(_) | Command::CancelMetrics => {
                self.run_metrics_command(&command);
            }
            Command::ToggleEvidenceOverlay => self.toggle_evidence_overlay(),
            Command::DismissMessage(index) => self.notices.dismiss(index),
            Command::DismissAllMessages => self.notices.dismiss_all(),
            Command::ShowLongText(which) => self.show_long_text(which),
            Command::HideSelection
            | Command::ShowAll
            | Command::FocusSelection
            | Command::SetFocusHops(_)
            | Command::ExpandSelection
            | Command::CollapseSelection
            | Command::Expand(_)
            | Command::ExpandConfirmed(_)
            | Command::CancelExpand
            | Command::Collapse(_)
            | Command::SetExpandLimit(_)
            | Command::SetFilter(_)
            | Command::ToggleFilters
            | Command::ToggleTimeline
            | Command::PlayTimeline(_) => self.run_visibility_command(ctx, command),
            Command::Quit => {
                self.project.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}
