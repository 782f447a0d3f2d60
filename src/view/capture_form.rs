//! The capture form: the selected passage becomes a quoted excerpt of a
//! relation. From and To are picked with Find's matcher (an entity whose
//! name is in the passage is offered first) or created new by an explicit
//! choice; the relation kind, dates, grades, stance and a note follow.
//! Tab walks the fields, Enter captures, Escape cancels.

use egui::{Key, RichText};

use crate::model::capture::Stance;
use crate::model::claims::{CREDIBILITY_GRADES, RELIABILITY_GRADES};
use crate::model::search::{NameQuery, rank_graph_names};
use crate::model::{EdgeIx, Graph, NodeIx};
use crate::store::is_iso_date;

/// How many matches each entity field lists.
const MATCHES_SHOWN: usize = 5;

/// One end of the relation, as the analyst picked it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndChoice {
    Existing(NodeIx),
    New { name: String, kind: String },
}

/// A From or To field: what was typed, the matches, and which is chosen
/// (an index into `matches`, or `matches.len()` for "new entity").
#[derive(Clone, Debug, Default)]
pub struct EntityField {
    pub text: String,
    matches: Vec<NodeIx>,
    pub chosen: usize,
    pub new_kind: String,
    /// The text the matches were ranked for.
    ranked_for: Option<String>,
}

impl EntityField {
    fn with_node(graph: &Graph, node: NodeIx) -> Self {
        Self {
            text: graph.node_name(node).to_owned(),
            matches: vec![node],
            chosen: 0,
            new_kind: String::new(),
            ranked_for: Some(graph.node_name(node).to_owned()),
        }
    }

    fn rank(&mut self, graph: &Graph) {
        if self.ranked_for.as_deref() == Some(self.text.as_str()) {
            return;
        }
        self.matches = if self.text.trim().is_empty() {
            Vec::new()
        } else {
            rank_graph_names(graph, &NameQuery::new(&self.text), MATCHES_SHOWN, None)
                .top
                .iter()
                .map(|ranked| ranked.node)
                .collect()
        };
        self.chosen = 0;
        self.ranked_for = Some(self.text.clone());
    }

    /// The choice, if one can be made.
    fn choice(&self) -> Option<EndChoice> {
        if let Some(&node) = self.matches.get(self.chosen) {
            return Some(EndChoice::Existing(node));
        }
        let name = self.text.trim();
        (!name.is_empty()).then(|| EndChoice::New {
            name: name.to_owned(),
            kind: if self.new_kind.trim().is_empty() {
                "actor".to_owned()
            } else {
                self.new_kind.trim().to_owned()
            },
        })
    }
}

/// What the form gives the app when the analyst captures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureDraft {
    pub document_id: i64,
    pub span: (usize, usize),
    /// The relation the passage cites, when it is one already there.
    pub cite: Option<EdgeIx>,
    pub from: Option<EndChoice>,
    pub to: Option<EndChoice>,
    pub kind: String,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
    pub credibility: Option<String>,
    /// The source's reliability as the form leaves it.
    pub reliability: Option<String>,
    pub stance: Stance,
    pub note: Option<String>,
}

/// The form's state while it is open.
pub struct CaptureForm {
    pub document_id: i64,
    pub span: (usize, usize),
    pub quote: String,
    pub from: EntityField,
    pub to: EntityField,
    pub kind: String,
    pub date_start: String,
    pub date_end: String,
    pub credibility: Option<String>,
    pub reliability: Option<String>,
    pub stance: Stance,
    pub note: String,
    /// A relation selected when the form opened: the passage cites it
    /// unless `new_relation` is ticked.
    pub cite: Option<EdgeIx>,
    pub new_relation: bool,
    pub problem: Option<String>,
    focus_first: bool,
}

/// What the form's frame ended with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormOutcome {
    Open,
    Commit(Box<CaptureDraft>),
    Cancel,
}

impl CaptureForm {
    /// A form for `quote` (chars `span` of document `document_id`), citing
    /// `selected_edge` when there is one. Entities named in the quote are
    /// offered as From and To, in the order the quote names them.
    pub fn new(
        graph: &Graph,
        document_id: i64,
        span: (usize, usize),
        quote: String,
        selected_edge: Option<EdgeIx>,
        reliability: Option<String>,
    ) -> Self {
        let named = names_in(graph, &quote);
        let mut from = EntityField::default();
        let mut to = from.clone();
        if let Some(&node) = named.first() {
            from = EntityField::with_node(graph, node);
        }
        if let Some(&node) = named.get(1) {
            to = EntityField::with_node(graph, node);
        }
        let mut form = Self {
            document_id,
            span,
            quote,
            from,
            to,
            kind: String::new(),
            date_start: String::new(),
            date_end: String::new(),
            credibility: None,
            reliability,
            stance: Stance::Supports,
            note: String::new(),
            cite: selected_edge,
            new_relation: false,
            problem: None,
            focus_first: true,
        };
        if let Some(edge) = selected_edge {
            let (source, target) = graph.edge_endpoints(edge);
            form.from = EntityField::with_node(graph, source);
            form.to = EntityField::with_node(graph, target);
            graph.edge_kind_text(edge).clone_into(&mut form.kind);
        }
        form
    }

    fn draft(&self) -> Result<CaptureDraft, String> {
        let citing = self.cite.filter(|_| !self.new_relation);
        let (from, to) = (self.from.choice(), self.to.choice());
        if citing.is_none() {
            if from.is_none() {
                return Err("Choose who or what the relation is from.".to_owned());
            }
            if to.is_none() {
                return Err("Choose who or what the relation is to.".to_owned());
            }
            if self.kind.trim().is_empty() {
                return Err("Name the relation's kind (for example met_with).".to_owned());
            }
        }
        let date = |text: &str, what: &str| -> Result<Option<String>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            if is_iso_date(text) {
                Ok(Some(text.to_owned()))
            } else {
                Err(format!(
                    "The {what} date is not YYYY, YYYY-MM or YYYY-MM-DD: {text}"
                ))
            }
        };
        Ok(CaptureDraft {
            document_id: self.document_id,
            span: self.span,
            cite: citing,
            from,
            to,
            kind: self.kind.trim().to_owned(),
            date_start: date(&self.date_start, "start")?,
            date_end: date(&self.date_end, "end")?,
            credibility: self.credibility.clone(),
            reliability: self.reliability.clone(),
            stance: self.stance,
            note: Some(self.note.trim().to_owned()).filter(|note| !note.is_empty()),
        })
    }
}

/// Entities whose names the quote holds (ASCII case ignored), in the
/// order the quote names them; longer names first where two start at the
/// same place. Skipped for huge graphs, where Find's matcher is enough.
fn names_in(graph: &Graph, quote: &str) -> Vec<NodeIx> {
    if graph.node_count() > 200_000 {
        return Vec::new();
    }
    let haystack = quote.to_ascii_lowercase();
    let mut found: Vec<(usize, std::cmp::Reverse<usize>, NodeIx)> = (0..graph.node_count()
        as NodeIx)
        .filter_map(|node| {
            let name = graph.node_name(node).to_ascii_lowercase();
            if name.chars().count() < 3 {
                return None;
            }
            haystack
                .find(&name)
                .map(|at| (at, std::cmp::Reverse(name.len()), node))
        })
        .collect();
    found.sort_unstable();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut nodes = Vec::new();
    for (at, std::cmp::Reverse(len), node) in found {
        // A name inside a longer one found at the same place is the same
        // mention.
        if taken
            .iter()
            .any(|&(start, end)| at < end && start < at + len)
        {
            continue;
        }
        taken.push((at, at + len));
        nodes.push(node);
    }
    nodes
}

/// The form as a window over the canvas.
pub fn capture_form_ui(ctx: &egui::Context, graph: &Graph, form: &mut CaptureForm) -> FormOutcome {
    let mut outcome = FormOutcome::Open;
    let mut open = true;
    egui::Window::new("Capture evidence")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(420.0)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            let quote: String = form.quote.chars().take(400).collect();
            let more = if form.quote.chars().count() > 400 {
                "..."
            } else {
                ""
            };
            ui.label(RichText::new(format!("\"{quote}{more}\"")).italics());
            ui.add_space(6.0);
            let citing = form.cite.filter(|_| !form.new_relation);
            if let Some(edge) = form.cite {
                let (source, target) = graph.edge_endpoints(edge);
                ui.label(format!(
                    "Cites the selected relation: {} {} {}",
                    graph.node_name(source),
                    graph.edge_label(edge),
                    graph.node_name(target)
                ));
                ui.checkbox(&mut form.new_relation, "A new relation instead");
            }
            egui::Grid::new("capture_fields")
                .num_columns(2)
                .spacing([8.0, 6.0])
                .show(ui, |ui| {
                    let label = ui.label("From").id;
                    let focus_first = std::mem::take(&mut form.focus_first);
                    ui.add_enabled_ui(citing.is_none(), |ui| {
                        entity_field_ui(ui, graph, &mut form.from, label, focus_first);
                    });
                    ui.end_row();
                    let label = ui.label("Relation").id;
                    ui.add_enabled_ui(citing.is_none(), |ui| {
                        ui.add(
                            egui::TextEdit::singleline(&mut form.kind)
                                .hint_text("kind, e.g. met_with")
                                .desired_width(240.0),
                        )
                        .labelled_by(label);
                    });
                    ui.end_row();
                    let label = ui.label("To").id;
                    ui.add_enabled_ui(citing.is_none(), |ui| {
                        entity_field_ui(ui, graph, &mut form.to, label, false);
                    });
                    ui.end_row();
                    ui.label("Dates");
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::TextEdit::singleline(&mut form.date_start)
                                .hint_text("from YYYY-MM-DD")
                                .desired_width(110.0),
                        );
                        ui.add(
                            egui::TextEdit::singleline(&mut form.date_end)
                                .hint_text("until")
                                .desired_width(110.0),
                        );
                    });
                    ui.end_row();
                    ui.label("Credibility");
                    grade_ui(
                        ui,
                        "capture_credibility",
                        &mut form.credibility,
                        &CREDIBILITY_GRADES,
                    );
                    ui.end_row();
                    ui.label("Source reliability");
                    grade_ui(
                        ui,
                        "capture_reliability",
                        &mut form.reliability,
                        &RELIABILITY_GRADES,
                    );
                    ui.end_row();
                    ui.label("Stance");
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut form.stance, Stance::Supports, "Supports");
                        ui.radio_value(&mut form.stance, Stance::Contradicts, "Contradicts");
                    });
                    ui.end_row();
                    ui.label("Note");
                    ui.add(
                        egui::TextEdit::singleline(&mut form.note)
                            .hint_text("optional")
                            .desired_width(240.0),
                    );
                    ui.end_row();
                });
            if let Some(problem) = &form.problem {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
            ui.horizontal(|ui| {
                if ui.button("Capture").clicked() {
                    outcome = commit(form);
                }
                if ui.button("Cancel").clicked() {
                    outcome = FormOutcome::Cancel;
                }
            });
        });
    if !open || ctx.input(|input| input.key_pressed(Key::Escape)) {
        return FormOutcome::Cancel;
    }
    if outcome == FormOutcome::Open && ctx.input(|input| input.key_pressed(Key::Enter)) {
        outcome = commit(form);
    }
    outcome
}

fn commit(form: &mut CaptureForm) -> FormOutcome {
    match form.draft() {
        Ok(draft) => FormOutcome::Commit(Box::new(draft)),
        Err(problem) => {
            form.problem = Some(problem);
            FormOutcome::Open
        }
    }
}

fn grade_ui(ui: &mut egui::Ui, id: &str, grade: &mut Option<String>, grades: &[&str]) {
    ui.horizontal(|ui| {
        ui.selectable_value(grade, None, "none");
        for &value in grades {
            ui.selectable_value(grade, Some(value.to_owned()), value)
                .on_hover_text(id.replace('_', " "));
        }
    });
}

/// One of a field's choices: clicked, or chosen with Up and Down while the
/// field has the keys. Not a Tab stop, so Tab goes from field to field.
fn choice_row(ui: &mut egui::Ui, chosen: bool, text: String) -> egui::Response {
    let mut rich = RichText::new(text);
    if chosen {
        rich = rich
            .background_color(ui.visuals().selection.bg_fill)
            .strong();
    }
    ui.add(egui::Label::new(rich).sense(egui::Sense::CLICK))
}

/// A From or To field with its matches; Up and Down move the choice.
fn entity_field_ui(
    ui: &mut egui::Ui,
    graph: &Graph,
    field: &mut EntityField,
    label: egui::Id,
    focus: bool,
) {
    ui.vertical(|ui| {
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut field.text)
                    .hint_text("type a name")
                    .desired_width(240.0),
            )
            .labelled_by(label);
        if focus {
            edit.request_focus();
        }
        field.rank(graph);
        let rows = field.matches.len() + usize::from(!field.text.trim().is_empty());
        if edit.has_focus() && rows > 0 {
            ui.input(|input| {
                if input.key_pressed(Key::ArrowDown) {
                    field.chosen = (field.chosen + 1).min(rows - 1);
                }
                if input.key_pressed(Key::ArrowUp) {
                    field.chosen = field.chosen.saturating_sub(1);
                }
            });
        }
        for (row, &node) in field.matches.iter().enumerate() {
            let text = format!("{} ({})", graph.node_name(node), graph.node_kind_text(node));
            if choice_row(ui, field.chosen == row, text).clicked() {
                field.chosen = row;
            }
        }
        if !field.text.trim().is_empty() {
            let row = field.matches.len();
            let text = format!("New entity \"{}\"", field.text.trim());
            if choice_row(ui, field.chosen == row, text).clicked() {
                field.chosen = row;
            }
            if field.chosen == row {
                ui.horizontal(|ui| {
                    let kind = ui.label("Kind of the new entity:").id;
                    ui.add(
                        egui::TextEdit::singleline(&mut field.new_kind)
                            .hint_text("actor")
                            .desired_width(100.0),
                    )
                    .labelled_by(kind);
                });
            }
        }
    });
}
