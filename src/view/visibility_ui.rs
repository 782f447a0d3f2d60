//! The small pieces of hide, focus and expand in the window: the counts in
//! the status bar, an entity's action buttons, the focus menu and the
//! question before a large expansion. Each takes plain data and returns
//! commands.

use super::hit::Hit;
use crate::command::{Command, UiCommand};
use crate::model::NodeIx;
use crate::model::visibility::{FilteredLook, HideReason, MAX_FOCUS_HOPS, VisibleCounts};
use crate::words::count_text;

/// What the status bar says about the visible set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VisibilityStatus {
    pub counts: VisibleCounts,
    /// A recomputation is running; the counts are the last ones.
    pub updating: bool,
    /// Whether the filters hide or grey what they leave out.
    pub look: FilteredLook,
}

/// "Shown: 12 entities, 20 relations · Hidden: 15 entities, 33 relations"
/// (and what is greyed, when anything is): always in the status bar.
pub fn status_text(counts: &VisibleCounts) -> String {
    let pair = |entities: usize, relations: usize| {
        format!(
            "{}, {}",
            count_text(entities, "entity", "entities"),
            count_text(relations, "relation", "relations")
        )
    };
    let mut text = format!(
        "Shown: {} · Hidden: {}",
        pair(counts.nodes_shown, counts.edges_shown),
        pair(counts.nodes_hidden, counts.edges_hidden)
    );
    if counts.nodes_greyed + counts.edges_greyed > 0 {
        text.push_str(" · Greyed: ");
        text.push_str(&pair(counts.nodes_greyed, counts.edges_greyed));
    }
    text
}

/// Why what is not shown is not: "Dates hide 25 entities, 53 relations ·
/// Kinds hide …", one part per reason that takes anything out, or None
/// when everything is shown. The parts add up to the hidden and greyed
/// counts, so a filter never empties the picture silently.
pub fn reasons_text(counts: &VisibleCounts, look: FilteredLook) -> Option<String> {
    let grey = look == FilteredLook::Grey;
    let parts: Vec<String> = HideReason::ALL
        .into_iter()
        .filter_map(|reason| {
            let by = counts.by(reason);
            if by.entities + by.relations == 0 {
                return None;
            }
            let who = match (reason, grey) {
                (HideReason::ByHand, _) => "You hid",
                (HideReason::Focus, _) => "The focus hides",
                (HideReason::Kind, false) => "Kinds hide",
                (HideReason::Kind, true) => "Kinds grey",
                (HideReason::Evidence, false) => "Evidence hides",
                (HideReason::Evidence, true) => "Evidence greys",
                (HideReason::Dates, false) => "Dates hide",
                (HideReason::Dates, true) => "Dates grey",
                (HideReason::Isolated, false) => "Isolation hides",
                (HideReason::Isolated, true) => "Isolation greys",
            };
            Some(format!(
                "{who} {}, {}",
                count_text(by.entities, "entity", "entities"),
                count_text(by.relations, "relation", "relations")
            ))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

pub fn status_ui(ui: &mut egui::Ui, status: &VisibilityStatus) {
    ui.label(status_text(&status.counts));
    if let Some(reasons) = reasons_text(&status.counts, status.look) {
        ui.separator();
        ui.label(reasons);
    }
    if status.updating {
        ui.spinner();
    }
}

/// What the View menu's hide, focus and filter entries need to know.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VisibilityMenu {
    pub selection: Option<Hit>,
    pub hops: u8,
    pub show_filters: bool,
    pub show_timeline: bool,
}

/// The View menu's entries for hiding, focus, expand, filters and the
/// timeline, from the command registry.
pub fn view_menu_ui(
    ui: &mut egui::Ui,
    has_graph: bool,
    menu: &VisibilityMenu,
    commands: &mut Vec<Command>,
) {
    use super::menus::menu_item_ui;
    let selected = has_graph && menu.selection.is_some();
    let node = has_graph && matches!(menu.selection, Some(Hit::Node(_)));
    menu_item_ui(ui, UiCommand::HideSelection, None, selected, commands);
    menu_item_ui(ui, UiCommand::ShowAll, None, has_graph, commands);
    menu_item_ui(ui, UiCommand::FocusSelection, None, selected, commands);
    commands.extend(focus_hops_menu_ui(ui, menu.hops));
    menu_item_ui(ui, UiCommand::ExpandSelection, None, node, commands);
    menu_item_ui(ui, UiCommand::CollapseSelection, None, node, commands);
    ui.separator();
    // A checkbox, not a "✔" in the text: the bundled fonts have no such
    // glyph, and a box was drawn in its place.
    for (command, shown) in [
        (UiCommand::ShowFilters, menu.show_filters),
        (UiCommand::ShowTimeline, menu.show_timeline),
    ] {
        let mut ticked = shown;
        if ui
            .add_enabled(has_graph, egui::Checkbox::new(&mut ticked, command.text()))
            .on_hover_text(command.tooltip(ui.ctx()))
            .clicked()
        {
            commands.push(command.command());
            ui.close();
        }
    }
}

/// Hide, focus, expand and collapse for one entity (the details panel).
pub fn entity_actions_ui(ui: &mut egui::Ui, node: NodeIx) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        for (command, text, run) in [
            (UiCommand::HideSelection, "Hide", Command::HideSelection),
            (UiCommand::FocusSelection, "Focus", Command::FocusSelection),
            (UiCommand::ExpandSelection, "Expand", Command::Expand(node)),
            (
                UiCommand::CollapseSelection,
                "Collapse",
                Command::Collapse(node),
            ),
        ] {
            if ui
                .button(text)
                .on_hover_text(command.tooltip(ui.ctx()))
                .clicked()
            {
                commands.push(run);
            }
        }
    });
    commands
}

/// View ▸ Focus Hops: how far a focus reaches.
pub fn focus_hops_menu_ui(ui: &mut egui::Ui, hops: u8) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.menu_button("Focus Hops", |ui| {
        for choice in 1..=MAX_FOCUS_HOPS {
            let text = if choice == 1 {
                "1 hop".to_owned()
            } else {
                format!("{choice} hops")
            };
            if ui.radio(hops == choice, text).clicked() {
                commands.push(Command::SetFocusHops(choice));
                ui.close();
            }
        }
    });
    commands
}

/// "Expanding X would show N more entities": expand anyway, or not; the
/// limit can be changed here too.
pub fn expand_prompt_ui(
    ctx: &egui::Context,
    name: &str,
    node: NodeIx,
    adding: usize,
    limit: usize,
) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Modal::new(egui::Id::unique("expand_prompt")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading("Expand?");
        ui.label(format!(
            "Expanding {name} would show {adding} more {} (the limit is {limit}).",
            if adding == 1 { "entity" } else { "entities" }
        ));
        limit_ui(ui, limit, &mut commands);
        ui.horizontal(|ui| {
            if ui.button("Expand Anyway").clicked() {
                commands.push(Command::ExpandConfirmed(node));
            }
            if ui.button("Cancel").clicked() {
                commands.push(Command::CancelExpand);
            }
        });
    });
    commands
}

/// The expansion limit, adjustable.
pub fn limit_ui(ui: &mut egui::Ui, limit: usize, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let mut value = limit;
        let label = ui.label("Ask before an expansion shows more than");
        let changed = ui
            .add(egui::DragValue::new(&mut value).range(1..=10_000_000))
            .labelled_by(label.id)
            .changed();
        ui.label("entities");
        if changed && value != limit {
            commands.push(Command::SetExpandLimit(value));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_counts_name_what_is_shown_hidden_and_greyed() {
        let mut counts = VisibleCounts {
            nodes_shown: 1,
            edges_shown: 0,
            nodes_hidden: 26,
            edges_hidden: 53,
            ..VisibleCounts::default()
        };
        assert_eq!(
            status_text(&counts),
            "Shown: 1 entity, 0 relations · Hidden: 26 entities, 53 relations"
        );
        counts.edges_greyed = 2;
        assert!(status_text(&counts).ends_with(" · Greyed: 0 entities, 2 relations"));
        assert_eq!(reasons_text(&counts, FilteredLook::Hide), None);
        counts.by_reason[HideReason::Dates as usize].entities = 25;
        counts.by_reason[HideReason::Dates as usize].relations = 53;
        counts.by_reason[HideReason::ByHand as usize].entities = 1;
        assert_eq!(
            reasons_text(&counts, FilteredLook::Grey).as_deref(),
            Some("You hid 1 entity, 0 relations · Dates grey 25 entities, 53 relations")
        );
    }
}
