//! The reader's panel left of the canvas (the document, its provenance,
//! the sources the file holds), File > Paste Source's window, and the
//! capture commands.

use std::sync::Arc;

use super::LinkscopeApp;
use super::corrections::Correcting;
use super::input::{NO_DIALOG, native_dialog_possible};
use crate::command::Command;
use crate::jobs::capture::SourceRequest;
use crate::model::capture::SourceDocument;
use crate::model::corrections::{DetailField, DocumentDetails};
use crate::model::dates::parse_span;
use crate::model::grades::Reliability;
use crate::view::panels::{PathPrompt, PathPurpose};
use crate::view::reader::{ReaderAction, reader_ui};

/// The reader's width until the user drags it (points).
const READER_DEFAULT_WIDTH: f32 = 380.0;

/// The file endings read as sources (a drop of one adds it).
pub(super) const SOURCE_ENDINGS: [&str; 7] = ["txt", "text", "html", "htm", "mhtml", "mht", "pdf"];

impl LinkscopeApp {
    pub(super) fn run_capture_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::AddSourceDialog => self.add_source_dialog(),
            Command::AddSourcePath(path) => self.add_source_path(ctx, path),
            Command::ShowPasteSource => self.capture.paste = Some(String::new()),
            Command::AddPastedSource(text) => self.add_pasted(ctx, text),
            Command::ToggleReader => {
                self.capture.reader_open = !self.capture.reader_open;
                if self.capture.reader_open
                    && self.capture.shown.is_none()
                    && self.capture.reading.is_none()
                {
                    self.list_stored_sources(ctx);
                }
            }
            Command::OpenInSource { document, span } => self.open_in_source(ctx, document, span),
            Command::CaptureSelection => self.open_capture_form(),
            _ => {}
        }
    }

    fn add_source_dialog(&mut self) {
        if !self.options.native_dialogs || !native_dialog_possible() {
            self.path_prompt = Some(PathPrompt::new(PathPurpose::AddSource, None));
            return;
        }
        let started = std::time::Instant::now();
        let picked = rfd::FileDialog::new()
            .set_title("Add a source document")
            .add_filter("Sources", &SOURCE_ENDINGS)
            .add_filter("All files", &["*"])
            .pick_file();
        match picked {
            Some(path) => self.pending.push(Command::AddSourcePath(path)),
            None if started.elapsed() < std::time::Duration::from_millis(150) => {
                self.path_prompt = Some(PathPrompt::new(
                    PathPurpose::AddSource,
                    Some(NO_DIALOG.to_owned()),
                ));
            }
            None => {}
        }
    }

    /// Shows the first document whose text the file holds, reading the
    /// list of them first when it was not read yet (a reader opened on a
    /// file just opened); a file with none leaves the reader empty.
    fn list_stored_sources(&mut self, ctx: &egui::Context) {
        if self.explore.is_some() {
            return;
        }
        match self.capture.stored.first().map(|stored| stored.id) {
            Some(id) => self.open_in_source(ctx, id, None),
            None => self.read_source(ctx, SourceRequest::FirstStored, None),
        }
    }

    /// The reader, left of the canvas; call before the central panel.
    pub(super) fn reader_panel_ui(&mut self, ui: &mut egui::Ui) {
        if self.document.is_none() || !self.capture.reader_open {
            return;
        }
        let mut commands = Vec::new();
        let mut actions = Vec::new();
        egui::Panel::left("reader")
            .resizable(true)
            .default_size(READER_DEFAULT_WIDTH)
            .min_size(240.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.heading("Reader");
                    if ui.button("Add Source...").clicked() {
                        commands.push(Command::AddSourceDialog);
                    }
                    if ui.button("Close").clicked() {
                        commands.push(Command::ToggleReader);
                    }
                });
                self.sources_list_ui(ui, &mut commands);
                if self.capture.reading.is_some() {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Reading the source...");
                    });
                }
                let Some(shown) = self.capture.shown.clone() else {
                    ui.label(
                        "Add a source (a text, HTML, MHTML or PDF file) to read it here and capture evidence from it.",
                    );
                    return;
                };
                self.provenance_ui(ui, &shown);
                ui.separator();
                if let Some(reader) = &mut self.capture.reader {
                    actions = reader_ui(ui, reader);
                }
            });
        self.pending.extend(commands);
        for action in actions {
            match action {
                ReaderAction::Capture => self.pending.push(Command::CaptureSelection),
            }
        }
    }

    /// The sources one can switch between: added this session, and held
    /// by the file.
    fn sources_list_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(document) = &self.document else {
            return;
        };
        let mut sources: Vec<(i64, String)> = self
            .capture
            .stored
            .iter()
            .map(|stored| (stored.id, stored.title.clone()))
            .collect();
        for added in &document.captures.documents {
            if !sources.iter().any(|(id, _)| *id == added.id) {
                sources.push((added.id, added.title.clone()));
            }
        }
        if sources.len() < 2 {
            return;
        }
        let shown = self.capture.shown.as_ref().map(|shown| shown.id);
        let title = sources
            .iter()
            .find(|(id, _)| Some(*id) == shown)
            .map_or("Choose a source", |(_, title)| title.as_str());
        egui::ComboBox::from_id_salt("reader_sources")
            .selected_text(short(title))
            .width(ui.available_width() - 8.0)
            .show_ui(ui, |ui| {
                for (id, title) in &sources {
                    if ui
                        .selectable_label(Some(*id) == shown, short(title))
                        .clicked()
                    {
                        commands.push(Command::OpenInSource {
                            document: *id,
                            span: None,
                        });
                    }
                }
            });
    }

    /// The document's provenance: editable until the file holds it (the
    /// document is then written as it is), and its descriptive fields
    /// correctable after, each correction an edit written with Save.
    fn provenance_ui(&mut self, ui: &mut egui::Ui, shown: &Arc<SourceDocument>) {
        let Some(document) = &mut self.document else {
            return;
        };
        let unsaved = document
            .captures
            .documents
            .iter()
            .skip(document.captures.documents_saved)
            .any(|added| added.id == shown.id);
        // Before the first save the document itself is edited; after it,
        // its details as the corrections and captures left them.
        let before = if unsaved {
            DocumentDetails::of(shown)
        } else {
            document.captures.details_now(shown)
        };
        let mut edited = before.clone();
        ui.strong(short(&edited.title));
        let mut changed: Option<(DetailField, bool)> = None;
        // A source that does not say when it was retrieved (a text file, a
        // PDF, pasted text) is asked, until it is saved; the question stays
        // while the answer is typed.
        let asking = egui::Id::unique(("linkscope_ask_retrieved", shown.id));
        let ask = unsaved
            && ui.data_mut(|data| {
                *data.get_temp_mut_or_insert_with(asking, || shown.retrieved_at.is_none())
            });
        if ask && retrieved_question_ui(ui, &mut edited.retrieved_at) {
            changed = Some((DetailField::Retrieved, false));
        }
        let correcting = &mut self.capture.correcting;
        egui::CollapsingHeader::new("Source details")
            .id_salt(("provenance", shown.id))
            .show(ui, |ui| {
                egui::Grid::new(("provenance_grid", shown.id))
                    .num_columns(2)
                    .show(ui, |ui| {
                        for field in TEXT_FIELDS {
                            let typed = if unsaved {
                                details_row_ui(ui, field, &mut edited)
                            } else {
                                correction_row_ui(ui, (shown.id, field), &mut edited, correcting)
                            };
                            if typed {
                                changed = Some((field, true));
                            }
                            ui.end_row();
                        }
                        ui.label("Reliability");
                        if reliability_ui(ui, &mut edited.reliability) {
                            changed = Some((DetailField::Reliability, false));
                        }
                        ui.end_row();
                    });
                ui.label(format!("Kind: {}", shown.source_kind));
                if let Some(name) = &shown.file_name {
                    ui.label(format!("File: {name}"));
                }
                if let Some(bytes) = &shown.sha256_bytes {
                    ui.label(format!(
                        "SHA-256 of the file: {}",
                        &bytes[..bytes.len().min(16)]
                    ))
                    .on_hover_text(bytes.as_str());
                }
                ui.label(format!("Extracted by {}", shown.extractor));
                if let Some(older) = shown.supersedes_id {
                    ui.label(format!("A new version of document {older}"));
                }
                if !unsaved {
                    ui.weak(SAVED_HINT);
                }
            });
        let Some((field, typing)) = changed else {
            return;
        };
        if !unsaved {
            self.correct_details(ui.ctx(), shown.id, field, &before, edited, typing);
            return;
        }
        let mut added = (**shown).clone();
        edited.put_on(&mut added);
        let added = Arc::new(added);
        let captures = Arc::make_mut(&mut document.captures);
        if let Some(slot) = captures
            .documents
            .iter_mut()
            .find(|slot| slot.id == added.id)
        {
            *slot = Arc::clone(&added);
        }
        self.capture.shown = Some(added);
        self.mark_edited();
    }

    /// File > Paste Source's window, and the capture form.
    pub(super) fn capture_windows(&mut self, ctx: &egui::Context) {
        if let Some(text) = &mut self.capture.paste {
            let mut open = true;
            let mut add = false;
            egui::Window::new("Paste a source")
                .open(&mut open)
                .collapsible(false)
                .default_width(420.0)
                .show(ctx, |ui| {
                    ui.label("Paste the text to read and quote from:");
                    egui::ScrollArea::vertical()
                        .max_height(300.0)
                        .show(ui, |ui| {
                            ui.add(
                                egui::TextEdit::multiline(text)
                                    .desired_rows(10)
                                    .desired_width(f32::INFINITY),
                            );
                        });
                    add = ui
                        .add_enabled(!text.trim().is_empty(), egui::Button::new("Add as Source"))
                        .clicked();
                });
            if add {
                let text = std::mem::take(text);
                self.capture.paste = None;
                self.pending.push(Command::AddPastedSource(text));
            } else if !open {
                self.capture.paste = None;
            }
        }
        self.capture_form_window(ctx);
    }
}

/// What Source details says of a saved document: how corrections are
/// kept, honestly.
const SAVED_HINT: &str = "Saved in the file. Corrections of these details are undoable edits, \
written with Save; the file then keeps only the current values, not what they were before. \
The text itself is never edited.";

/// The fields typed in, in the order shown.
const TEXT_FIELDS: [DetailField; 6] = [
    DetailField::Title,
    DetailField::Author,
    DetailField::Publisher,
    DetailField::Url,
    DetailField::Published,
    DetailField::Retrieved,
];

/// The text of `field` in `details` set from what was typed (an empty
/// optional field is NULL).
fn set_typed(details: &mut DocumentDetails, field: DetailField, text: &str) {
    let optional = Some(text.to_owned()).filter(|text| !text.trim().is_empty());
    match field {
        DetailField::Title => text.clone_into(&mut details.title),
        DetailField::Author => details.author = optional,
        DetailField::Publisher => details.publisher = optional,
        DetailField::Url => details.url = optional,
        DetailField::Published => details.published = optional,
        DetailField::Retrieved => details.retrieved_at = optional,
        DetailField::Reliability => details.reliability = optional,
    }
}

/// Says when a date field holds what is not a date.
fn date_warning_ui(ui: &mut egui::Ui, field: DetailField, text: &str) {
    let typed = text.trim();
    let date = matches!(field, DetailField::Published | DetailField::Retrieved);
    if date
        && !typed.is_empty()
        && parse_span(typed).is_none()
        && typed.parse::<jiff::Timestamp>().is_err()
    {
        ui.colored_label(ui.visuals().warn_fg_color, "not a date");
    }
}

/// One row of a document not saved yet: what is typed is the document's.
fn details_row_ui(ui: &mut egui::Ui, field: DetailField, details: &mut DocumentDetails) -> bool {
    let label = ui.label(field.label());
    let mut text = details.get(field).unwrap_or_default().to_owned();
    let mut changed = false;
    ui.horizontal(|ui| {
        let response = ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(200.0))
            .labelled_by(label.id);
        if response.changed() {
            set_typed(details, field, &text);
            changed = true;
        }
        date_warning_ui(ui, field, &text);
    });
    changed
}

/// One row of a saved document: while the field has the keys it shows
/// what is typed; a change is a correction, except an empty title.
fn correction_row_ui(
    ui: &mut egui::Ui,
    key: (i64, DetailField),
    details: &mut DocumentDetails,
    correcting: &mut Correcting,
) -> bool {
    let field = key.1;
    let label = ui.label(field.label());
    let mine = correcting.field == Some(key);
    let mut text = if mine {
        correcting.draft.clone()
    } else {
        details.get(field).unwrap_or_default().to_owned()
    };
    let mut changed = false;
    ui.horizontal(|ui| {
        let response = ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(200.0))
            .labelled_by(label.id);
        if response.has_focus() {
            if !mine {
                // The field took the keys: its typing is a new edit.
                correcting.field = Some(key);
                correcting.amending = false;
            }
            correcting.draft.clone_from(&text);
        } else if mine {
            correcting.field = None;
        }
        if field == DetailField::Title && text.trim().is_empty() {
            ui.colored_label(ui.visuals().warn_fg_color, "a title is needed");
        } else if response.changed() {
            set_typed(details, field, &text);
            changed = true;
        }
        date_warning_ui(ui, field, &text);
    });
    changed
}

/// The reliability grades to pick from; returns whether one was picked.
fn reliability_ui(ui: &mut egui::Ui, reliability: &mut Option<String>) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        for grade in [
            None,
            Some("A"),
            Some("B"),
            Some("C"),
            Some("D"),
            Some("E"),
            Some("F"),
        ] {
            let value = grade.map(str::to_owned);
            let label = ui
                .selectable_label(*reliability == value, grade.unwrap_or("none"))
                .on_hover_text(
                    grade
                        .and_then(Reliability::from_text)
                        .map_or("No reliability grade", Reliability::meaning),
                );
            if label.clicked() && *reliability != value {
                *reliability = value;
                changed = true;
            }
        }
    });
    changed
}

fn short(title: &str) -> String {
    let mut short: String = title.chars().take(60).collect();
    if title.chars().count() > 60 {
        short.push_str("...");
    }
    short
}

/// "Retrieved when?": the date or time the analyst got the source, typed
/// (a date, or a time in RFC 3339) or set to now; says when the text is not
/// a date. Returns whether it changed.
fn retrieved_question_ui(ui: &mut egui::Ui, retrieved_at: &mut Option<String>) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        let label = ui.label("Retrieved when?").on_hover_text(
            "This source does not say when it was retrieved. Its provenance records the date (YYYY-MM-DD) or time (RFC 3339, UTC) you got it.",
        );
        let mut text = retrieved_at.clone().unwrap_or_default();
        let field = ui.add(
            egui::TextEdit::singleline(&mut text)
                .hint_text("YYYY-MM-DD")
                .desired_width(150.0),
        )
        .labelled_by(label.id);
        if field.changed() {
            *retrieved_at = Some(text.clone()).filter(|text| !text.trim().is_empty());
            changed = true;
        }
        if ui
            .button("Now")
            .on_hover_text("The time now, in UTC")
            .clicked()
        {
            *retrieved_at = Some(super::capture::now_rfc3339());
            changed = true;
        }
        let typed = retrieved_at.as_deref().unwrap_or("").trim();
        let understood =
            parse_span(typed).is_some() || typed.parse::<jiff::Timestamp>().is_ok();
        if !typed.is_empty() && !understood {
            ui.colored_label(ui.visuals().warn_fg_color, "not a date");
        }
    });
    changed
}
