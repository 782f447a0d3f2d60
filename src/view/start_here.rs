//! The "Start here" card: on a first start with the bundled sample, three
//! things to try, one per main task of the README's tour. Dismissed once,
//! it stays away (the preferences keep that). Escape dismisses it too.

use crate::command::{Command, UiCommand};
use crate::scene::theme::Theme;

/// The three tries, as (title, what to do), with the keys as this
/// platform writes them.
pub fn tries(ctx: &egui::Context) -> [(&'static str, String); 3] {
    let keys = |command: UiCommand| command.shortcut_text(ctx).unwrap_or_default();
    [
        (
            "Read the evidence",
            "Click an edge: the panel quotes the passages that prove it, with their sources and grades."
                .to_owned(),
        ),
        (
            "Find, focus and trace",
            format!(
                "{} and type part of a name (try \"haq\"), Enter, then {} to show only its neighbourhood.",
                keys(UiCommand::Find),
                keys(UiCommand::FocusSelection)
            ),
        ),
        (
            "Export for a report",
            format!(
                "{}: a PNG or SVG of the graph, with a legend and its sources.",
                keys(UiCommand::Export)
            ),
        ),
    ]
}

/// The card over the canvas's top right corner.
pub fn start_here_ui(ctx: &egui::Context, canvas: egui::Rect, theme: Theme) -> Vec<Command> {
    let mut commands = Vec::new();
    let margin = 12.0;
    egui::Area::new(egui::Id::unique("start_here"))
        .order(egui::Order::Foreground)
        .pivot(egui::Align2::RIGHT_TOP)
        .fixed_pos(canvas.right_top() + egui::vec2(-margin, margin))
        .show(ctx, |ui| {
            let fill = match theme {
                Theme::Dark => ui.visuals().window_fill,
                Theme::Light => egui::Color32::from_gray(248),
            };
            egui::Frame::popup(ui.style()).fill(fill).show(ui, |ui| {
                ui.set_max_width(300.0);
                ui.strong("Start here");
                ui.label("Three things to try on this sample:");
                for (index, (title, what)) in tries(ctx).into_iter().enumerate() {
                    ui.add_space(4.0);
                    ui.label(egui::RichText::new(format!("{}. {title}", index + 1)).strong());
                    ui.label(what);
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button("Got it").clicked() {
                        commands.push(Command::DismissStartHere);
                    }
                    if ui.link("User Guide").clicked() {
                        commands.push(Command::DismissStartHere);
                        commands.push(Command::ToggleGuide);
                    }
                });
            });
        });
    commands
}
