//! The CSV part of the Import window: the first rows of each file, a role
//! for each column, the delimiter and encoding, what to do with an edge to
//! an unknown id, a dry run's summary, and saving the mapping for the
//! command line. It edits a [`MappingDraft`]; reading the files is the
//! app's (on a thread), so this shows what it is given.

use crate::import::csv::{DELIMITERS, ENCODINGS, MappingDraft, MissingEndpoints, Role, Side};

/// What the CSV part asks of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsvMappingCommand {
    /// The delimiter or the encoding changed: read the first rows again.
    Reread,
    /// Count what the import would write, without writing.
    DryRun,
    /// Save the mapping as TOML, for `linkscope import --mapping`.
    Save,
}

/// The CSV part's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CsvMappingForm {
    /// None until the first rows have been read.
    pub draft: Option<MappingDraft>,
    /// The first rows are being read.
    pub reading: bool,
    /// A dry run is running.
    pub checking: bool,
    /// The last dry run's summary (or why it failed), line by line.
    pub summary: Vec<String>,
    /// Where the mapping is saved.
    pub mapping_path: String,
}

/// How many characters of a cell the preview shows.
const CELL_CHARS: usize = 32;

fn delimiter_label(delimiter: char) -> String {
    match delimiter {
        '\t' => "Tab".to_owned(),
        other => format!("{other:?}"),
    }
}

fn side_label(side: Side) -> &'static str {
    match side {
        Side::Nodes => "entities (nodes)",
        Side::Edges => "relations (edges)",
    }
}

/// Shows the CSV part; returns what it asks and whether Import may run.
pub fn csv_mapping_ui(
    ui: &mut egui::Ui,
    form: &mut CsvMappingForm,
) -> (Vec<CsvMappingCommand>, bool) {
    let mut commands = Vec::new();
    ui.separator();
    let Some(draft) = &mut form.draft else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading the first rows…");
        });
        return (commands, false);
    };
    let before = (draft.delimiter, draft.encoding.clone());
    ui.horizontal(|ui| {
        let label = ui.label("Delimiter:");
        egui::ComboBox::from_id_salt("csv delimiter")
            .selected_text(delimiter_label(draft.delimiter))
            .show_ui(ui, |ui| {
                for delimiter in DELIMITERS {
                    ui.selectable_value(
                        &mut draft.delimiter,
                        delimiter,
                        delimiter_label(delimiter),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("Encoding:");
        egui::ComboBox::from_id_salt("csv encoding")
            .selected_text(draft.encoding.clone())
            .show_ui(ui, |ui| {
                for encoding in ENCODINGS {
                    ui.selectable_value(&mut draft.encoding, encoding.to_owned(), encoding);
                }
            })
            .response
            .labelled_by(label.id);
        if form.reading {
            ui.spinner();
        }
    });
    if (draft.delimiter, draft.encoding.clone()) != before {
        commands.push(CsvMappingCommand::Reread);
    }
    for (index, file) in draft.files.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.strong(&file.name);
            let label = ui.label("holds");
            let mut side = file.side;
            egui::ComboBox::from_id_salt(("csv side", index))
                .selected_text(side_label(side))
                .show_ui(ui, |ui| {
                    for choice in [Side::Nodes, Side::Edges] {
                        ui.selectable_value(&mut side, choice, side_label(choice));
                    }
                })
                .response
                .labelled_by(label.id);
            if side != file.side {
                file.set_side(side);
            }
        });
        egui::ScrollArea::horizontal()
            .id_salt(("csv preview", index))
            .max_height(220.0)
            .show(ui, |ui| {
                egui::Grid::new(("csv columns", index))
                    .striped(true)
                    .spacing([10.0, 4.0])
                    .show(ui, |ui| {
                        let headers: Vec<egui::Id> = file
                            .headers
                            .iter()
                            .map(|header| ui.strong(header).id)
                            .collect();
                        ui.end_row();
                        let choices = Role::choices(file.side);
                        for (column, role) in file.roles.iter_mut().enumerate() {
                            let combo = egui::ComboBox::from_id_salt(("csv role", index, column))
                                .selected_text(role.label())
                                .width(120.0)
                                .show_ui(ui, |ui| {
                                    for choice in choices {
                                        ui.selectable_value(role, *choice, choice.label());
                                    }
                                })
                                .response;
                            if let Some(header) = headers.get(column) {
                                combo.labelled_by(*header);
                            }
                        }
                        ui.end_row();
                        for row in &file.rows {
                            for cell in row.iter().take(file.headers.len()) {
                                let shown: String = cell.chars().take(CELL_CHARS).collect();
                                ui.label(if shown.len() < cell.len() {
                                    format!("{shown}…")
                                } else {
                                    shown
                                });
                            }
                            ui.end_row();
                        }
                    });
            });
    }
    if draft.files.iter().any(|file| file.side == Side::Edges) {
        ui.horizontal(|ui| {
            ui.label("A relation to an id no row names:");
            ui.radio_value(
                &mut draft.missing_endpoints,
                MissingEndpoints::Create,
                "create the entity",
            );
            ui.radio_value(
                &mut draft.missing_endpoints,
                MissingEndpoints::Skip,
                "skip it and report",
            );
        });
    }
    ui.horizontal(|ui| {
        let label = ui.label("Kind when a row gives none: entities");
        ui.add(
            egui::TextEdit::singleline(&mut draft.entity_kind)
                .hint_text("other")
                .desired_width(110.0),
        )
        .labelled_by(label.id);
        let label = ui.label("relations");
        ui.add(
            egui::TextEdit::singleline(&mut draft.relation_kind)
                .hint_text("linked_to")
                .desired_width(110.0),
        )
        .labelled_by(label.id);
    });
    let problem = draft.problem();
    if let Some(problem) = &problem {
        ui.colored_label(ui.visuals().error_fg_color, problem);
    }
    for line in &form.summary {
        ui.label(line);
    }
    ui.horizontal(|ui| {
        let check = ui.add_enabled(problem.is_none() && !form.checking, egui::Button::new("Check"));
        if check.on_hover_text("Read the files as the import would and count what it would write; nothing is written").clicked() {
            commands.push(CsvMappingCommand::DryRun);
        }
        if form.checking {
            ui.spinner();
        }
        let label = ui.label("Mapping:");
        ui.add(egui::TextEdit::singleline(&mut form.mapping_path).desired_width(260.0))
            .labelled_by(label.id);
        if ui
            .add_enabled(problem.is_none(), egui::Button::new("Save Mapping"))
            .on_hover_text("Save these columns as TOML, for linkscope import --mapping")
            .clicked()
        {
            commands.push(CsvMappingCommand::Save);
        }
    });
    (commands, problem.is_none() && !form.reading)
}
