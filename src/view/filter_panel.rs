//! The filter panel (View ▸ Filters…): entity and relation kinds, the
//! Admiralty grades of the evidence, supported or not, a date window, and
//! whether what is filtered out is hidden or greyed. Every change returns
//! the whole new filter as one command.

use egui::RichText;

use super::visibility_ui::limit_ui;
use crate::command::Command;
use crate::model::claims::{CREDIBILITY_GRADES, RELIABILITY_GRADES};
use crate::model::dates::parse_span;
use crate::model::visibility::{Filter, FilteredLook, SupportFilter};

/// Where the claims' dates and grades are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ClaimsState {
    #[default]
    Loading,
    Ready,
    Failed(String),
}

/// The date fields as typed, kept between frames (not saved).
#[derive(Clone, Debug, Default)]
pub struct FilterPanelState {
    pub from_text: String,
    pub to_text: String,
    /// The filter's dates the fields were last filled from.
    shown: (Option<String>, Option<String>),
}

impl FilterPanelState {
    /// Refills the fields when the filter's dates changed elsewhere (the
    /// timeline's brush, playback, a restored view).
    fn sync(&mut self, filter: &Filter) {
        let dates = (filter.date_from.clone(), filter.date_to.clone());
        if dates != self.shown {
            self.from_text = dates.0.clone().unwrap_or_default();
            self.to_text = dates.1.clone().unwrap_or_default();
            self.shown = dates;
        }
    }
}

/// Reliability meanings, as the evidence panel spells them.
const RELIABILITY_MEANINGS: [&str; 6] = [
    "completely reliable",
    "usually reliable",
    "fairly reliable",
    "not usually reliable",
    "unreliable",
    "reliability cannot be judged",
];
const CREDIBILITY_MEANINGS: [&str; 6] = [
    "confirmed by other sources",
    "probably true",
    "possibly true",
    "doubtful",
    "improbable",
    "truth cannot be judged",
];

pub fn filter_panel_ui(
    ui: &mut egui::Ui,
    state: &mut FilterPanelState,
    entity_kinds: &[String],
    relation_kinds: &[String],
    filter: &Filter,
    claims: &ClaimsState,
    expand_limit: usize,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut next = filter.clone();
    state.sync(filter);
    ui.heading("Filters");
    ui.horizontal(|ui| {
        ui.label("Filtered out:");
        ui.radio_value(&mut next.look, FilteredLook::Hide, "Hidden");
        ui.radio_value(&mut next.look, FilteredLook::Grey, "Greyed");
    });
    match claims {
        ClaimsState::Loading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading dates and grades…");
            });
        }
        ClaimsState::Ready => {}
        ClaimsState::Failed(error) => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Dates and grades could not be read, so they do not filter: {error}"),
            );
        }
    }
    ui.separator();

    ui.strong("Entity kinds");
    kinds_ui(ui, "entity", entity_kinds, &mut next.excluded_entity_kinds);
    ui.separator();
    egui::CollapsingHeader::new(RichText::new("Relation kinds").strong())
        .default_open(relation_kinds.len() <= 12)
        .show(ui, |ui| {
            kinds_ui(
                ui,
                "relation",
                relation_kinds,
                &mut next.excluded_relation_kinds,
            );
        });
    ui.separator();

    ui.strong("Evidence");
    grade_combo_ui(
        ui,
        "Source reliability at least",
        &RELIABILITY_GRADES,
        &RELIABILITY_MEANINGS,
        &mut next.reliability,
    );
    grade_combo_ui(
        ui,
        "Credibility at least",
        &CREDIBILITY_GRADES,
        &CREDIBILITY_MEANINGS,
        &mut next.credibility,
    );
    ui.horizontal_wrapped(|ui| {
        ui.radio_value(&mut next.support, SupportFilter::Any, "All relations");
        ui.radio_value(&mut next.support, SupportFilter::Supported, "Supported");
        ui.radio_value(&mut next.support, SupportFilter::Unsupported, "Unsupported");
        ui.radio_value(
            &mut next.support,
            SupportFilter::Contradicted,
            "Contradicted",
        )
        .on_hover_text(
            "Relations that at least one excerpt speaks against (disputed ones among them)",
        );
    });
    ui.separator();

    ui.strong("Dates");
    ui.label(
        RichText::new(
            "A relation is in the window when its own dates or the date of a document behind it are; it is shown with both its ends, dated or not. Until is inclusive.",
        )
        .weak(),
    );
    for (text, name, target) in [
        (&mut state.from_text, "From", &mut next.date_from),
        (&mut state.to_text, "Until", &mut next.date_to),
    ] {
        ui.horizontal(|ui| {
            let label = ui.label(name);
            let field = ui
                .add(
                    egui::TextEdit::singleline(text)
                        .hint_text("YYYY, YYYY-MM or YYYY-MM-DD")
                        .desired_width(140.0),
                )
                .labelled_by(label.id);
            let trimmed = text.trim();
            if field.lost_focus() {
                if trimmed.is_empty() {
                    *target = None;
                } else if parse_span(trimmed).is_some() {
                    *target = Some(trimmed.to_owned());
                }
            }
            if !trimmed.is_empty() && parse_span(trimmed).is_none() {
                ui.colored_label(ui.visuals().warn_fg_color, "not a date");
            }
        });
    }
    ui.checkbox(&mut next.keep_undated, "Keep undated items")
        .on_hover_text(
            "Undated relations, and undated entities that no relation in the window touches",
        );
    if (next.date_from.is_some() || next.date_to.is_some()) && ui.button("Clear Dates").clicked() {
        next.date_from = None;
        next.date_to = None;
    }
    ui.separator();
    ui.checkbox(
        &mut next.hide_isolated,
        "Leave out entities whose relations are all filtered out",
    );
    if ui
        .add_enabled(filter.is_active(), egui::Button::new("Reset Filters"))
        .clicked()
    {
        next = Filter {
            look: filter.look,
            ..Filter::default()
        };
    }
    ui.separator();
    ui.strong("Expand");
    limit_ui(ui, expand_limit, &mut commands);

    if next.problem().is_none() && next != *filter {
        commands.push(Command::SetFilter(next));
    }
    commands
}

/// A checkbox per kind; unticked kinds are left out.
fn kinds_ui(
    ui: &mut egui::Ui,
    what: &str,
    kinds: &[String],
    excluded: &mut std::collections::BTreeSet<String>,
) {
    ui.horizontal(|ui| {
        if ui
            .small_button("All")
            .on_hover_text(format!("Show every {what} kind"))
            .clicked()
        {
            excluded.clear();
        }
        if ui
            .small_button("None")
            .on_hover_text(format!("Leave out every {what} kind"))
            .clicked()
        {
            excluded.extend(kinds.iter().cloned());
        }
    });
    for kind in kinds {
        let mut shown = !excluded.contains(kind);
        if ui.checkbox(&mut shown, kind.as_str()).changed() {
            if shown {
                excluded.remove(kind);
            } else {
                excluded.insert(kind.clone());
            }
        }
    }
}

fn grade_combo_ui(
    ui: &mut egui::Ui,
    name: &str,
    grades: &[&str; 6],
    meanings: &[&str; 6],
    chosen: &mut Option<String>,
) {
    ui.horizontal(|ui| {
        let label = ui.label(name);
        let shown = chosen.as_deref().map_or_else(
            || "Any".to_owned(),
            |grade| {
                let meaning = grades
                    .iter()
                    .position(|candidate| *candidate == grade)
                    .map_or("", |index| meanings[index]);
                format!("{grade} — {meaning}")
            },
        );
        egui::ComboBox::from_id_salt(name)
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(chosen, None, "Any");
                for (grade, meaning) in grades.iter().zip(meanings) {
                    ui.selectable_value(
                        chosen,
                        Some((*grade).to_owned()),
                        format!("{grade} — {meaning}"),
                    );
                }
            })
            .response
            .labelled_by(label.id);
    });
}
