//! The layout settings window (View > Layout Settings…): the algorithm and its main forces.
//! Edits are a draft until applied; applying re-runs the layout with them, and they are saved
//! with the view.

use crate::command::Command;
use crate::layout::{LayoutAlgorithm, LayoutSettings};

/// The window over `draft`; returns the commands it asks for (apply, close).
pub fn layout_panel_ui(
    ctx: &egui::Context,
    draft: &mut LayoutSettings,
    current: &LayoutSettings,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    super::fit::fit_window(
        egui::Window::new("Layout Settings")
            .open(&mut open)
            .collapsible(false)
            .resizable(false),
        ctx,
    )
    .show(ctx, |ui| {
        egui::Grid::new("layout_settings")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label("Algorithm");
                let before = draft.algorithm;
                ui.vertical(|ui| {
                    for algorithm in LayoutAlgorithm::ALL {
                        ui.radio_value(&mut draft.algorithm, algorithm, algorithm_text(algorithm))
                            .on_hover_text(algorithm_help(algorithm));
                    }
                });
                if draft.algorithm != before {
                    let chosen = draft.algorithm;
                    draft.algorithm = before;
                    *draft = draft.clone().switched_to(chosen);
                }
                ui.end_row();
                ui.label("Repulsion")
                    .on_hover_text("Scaling ratio: larger spreads the picture");
                ui.add(
                    egui::DragValue::new(&mut draft.scaling_ratio)
                        .range(0.01..=1000.0)
                        .speed(0.05),
                );
                ui.end_row();
                ui.label("Gravity")
                    .on_hover_text("Pull toward the centre: larger keeps the picture compact");
                ui.add(
                    egui::DragValue::new(&mut draft.gravity)
                        .range(0.0..=100.0)
                        .speed(0.05),
                );
                ui.end_row();
                ui.label("Approximation").on_hover_text(
                    "Barnes–Hut theta: larger is faster and coarser (0 computes exact forces)",
                );
                ui.add(
                    egui::DragValue::new(&mut draft.theta)
                        .range(0.0..=3.0)
                        .speed(0.01),
                );
                ui.end_row();
                ui.label("Seed")
                    .on_hover_text("The start placement: another seed, another picture");
                ui.add(egui::DragValue::new(&mut draft.seed).range(0..=u64::from(u32::MAX)));
                ui.end_row();
            });
        ui.checkbox(&mut draft.strong_gravity, "Strong gravity")
            .on_hover_text("Gravity grows with the distance from the centre");
        let fa2 = draft.algorithm == LayoutAlgorithm::ForceAtlas2;
        ui.add_enabled(
            fa2,
            egui::Checkbox::new(&mut draft.lin_log, "LinLog attraction"),
        )
        .on_hover_text(
            "Logarithmic attraction, tighter clusters (always on in the community layout)",
        )
        .on_disabled_hover_text("Always on in the community layout");
        ui.checkbox(&mut draft.outbound_attraction_distribution, "Dissuade hubs")
            .on_hover_text("Divide attraction by the source's degree: hubs move to the rim");
        ui.separator();
        ui.horizontal(|ui| {
            let changed = draft != current;
            if ui
                .add_enabled(changed, egui::Button::new("Apply and Re-run"))
                .on_hover_text("Lay the graph out again from the start with these settings")
                .clicked()
            {
                commands.push(Command::ApplyLayoutSettings(Box::new(draft.clone())));
            }
            if ui
                .button("Defaults")
                .on_hover_text("The default settings (not applied yet)")
                .clicked()
            {
                *draft = LayoutSettings::default();
            }
        });
    });
    if !open {
        commands.push(Command::ToggleLayoutSettings);
    }
    commands
}

fn algorithm_text(algorithm: LayoutAlgorithm) -> &'static str {
    match algorithm {
        LayoutAlgorithm::Community => "Community layout",
        LayoutAlgorithm::ForceAtlas2 => "ForceAtlas2",
    }
}

fn algorithm_help(algorithm: LayoutAlgorithm) -> &'static str {
    match algorithm {
        LayoutAlgorithm::Community => {
            "LinLog energy from a multilevel start, components packed: communities show as clusters"
        }
        LayoutAlgorithm::ForceAtlas2 => "Gephi's ForceAtlas2 from a random start, as configured",
    }
}
