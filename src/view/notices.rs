//! Notices float over the canvas's foot instead of taking rows from it:
//! the picture, its fit and the size of a "whole graph" export never depend
//! on what was said. Successes fade by themselves; errors stay until they
//! are dismissed or something makes them obsolete (a save that succeeds
//! after one that failed).

use egui::{Align2, Color32, RichText};

use crate::command::Command;
use crate::scene::theme::Theme;

/// How long a success stays fully visible, then how long it fades (seconds).
pub const SUCCESS_VISIBLE_S: f64 = 4.0;
const SUCCESS_FADE_S: f64 = 1.0;
/// At most this many notices are drawn; older ones are counted on a line.
const MAX_SHOWN: usize = 3;
/// The widest a notice gets (points); narrower canvases get narrower ones.
const MAX_WIDTH_PT: f32 = 560.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Error,
    Warning,
    Success,
}

/// What a notice is about, so that a later success can retire an error on
/// the same subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeTopic {
    Open,
    Save,
    Export,
}

/// A button on a notice that runs a command ("Show Log").
#[derive(Clone, Debug)]
pub struct NoticeAction {
    pub label: &'static str,
    pub command: Command,
}

#[derive(Clone, Debug)]
pub struct Notice {
    pub text: String,
    pub kind: NoticeKind,
    pub topic: Option<NoticeTopic>,
    pub action: Option<NoticeAction>,
    /// When it was first drawn (egui's clock); a success fades from there.
    shown_at: Option<f64>,
}

/// The notices of the window, oldest first.
#[derive(Default)]
pub struct Notices {
    list: Vec<Notice>,
}

impl Notices {
    pub fn push(&mut self, kind: NoticeKind, topic: Option<NoticeTopic>, text: String) {
        self.push_notice(kind, topic, text, None);
    }

    /// A notice with a button that runs `action`'s command.
    pub fn push_with_action(&mut self, kind: NoticeKind, text: String, action: NoticeAction) {
        self.push_notice(kind, None, text, Some(action));
    }

    fn push_notice(
        &mut self,
        kind: NoticeKind,
        topic: Option<NoticeTopic>,
        text: String,
        action: Option<NoticeAction>,
    ) {
        if kind == NoticeKind::Success && topic.is_some() {
            self.list
                .retain(|notice| notice.kind == NoticeKind::Success || notice.topic != topic);
        }
        // The same words twice are one notice, shown afresh (at the end,
        // with its clock restarted).
        self.list
            .retain(|notice| !(notice.text == text && notice.kind == kind));
        self.list.push(Notice {
            text,
            kind,
            topic,
            action,
            shown_at: None,
        });
    }

    /// Retires every notice on `topic`: what it said no longer holds.
    pub fn clear_topic(&mut self, topic: NoticeTopic) {
        self.list.retain(|notice| notice.topic != Some(topic));
    }

    pub fn dismiss(&mut self, index: usize) {
        if index < self.list.len() {
            self.list.remove(index);
        }
    }

    pub fn dismiss_all(&mut self) {
        self.list.clear();
    }

    pub fn iter(&self) -> impl Iterator<Item = &Notice> {
        self.list.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Drops the successes that have faded by `now`, and starts the clock of
    /// those not drawn yet. Returns how long until the next change of
    /// opacity, for the repaint.
    pub fn tick(&mut self, now: f64) -> Option<f64> {
        self.list.retain(|notice| {
            notice.kind != NoticeKind::Success
                || notice
                    .shown_at
                    .is_none_or(|at| now - at < SUCCESS_VISIBLE_S + SUCCESS_FADE_S)
        });
        let mut next: Option<f64> = None;
        for notice in &mut self.list {
            if notice.kind != NoticeKind::Success {
                continue;
            }
            let at = *notice.shown_at.get_or_insert(now);
            let fade_starts = at + SUCCESS_VISIBLE_S;
            let wait = if now < fade_starts {
                fade_starts - now
            } else {
                1.0 / 30.0
            };
            next = Some(next.map_or(wait, |next| next.min(wait)));
        }
        next
    }
}

/// The text and fill of a notice in a theme. Each pair meets WCAG AA (4.5:1)
/// for text (checked in `tests::notice_text_meets_wcag_aa`).
pub fn notice_colours(kind: NoticeKind, theme: Theme) -> (Color32, Color32) {
    match (theme, kind) {
        (Theme::Dark, NoticeKind::Error) => (
            Color32::from_rgb(255, 196, 196),
            Color32::from_rgb(72, 28, 32),
        ),
        (Theme::Dark, NoticeKind::Warning) => (
            Color32::from_rgb(250, 220, 150),
            Color32::from_rgb(60, 48, 20),
        ),
        (Theme::Dark, NoticeKind::Success) => (
            Color32::from_rgb(190, 240, 205),
            Color32::from_rgb(24, 58, 38),
        ),
        (Theme::Light, NoticeKind::Error) => (
            Color32::from_rgb(120, 20, 24),
            Color32::from_rgb(253, 231, 231),
        ),
        (Theme::Light, NoticeKind::Warning) => (
            Color32::from_rgb(100, 64, 0),
            Color32::from_rgb(255, 243, 214),
        ),
        (Theme::Light, NoticeKind::Success) => (
            Color32::from_rgb(18, 84, 44),
            Color32::from_rgb(226, 245, 232),
        ),
    }
}

fn kind_word(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Error => "Error:",
        NoticeKind::Warning => "Note:",
        NoticeKind::Success => "Done:",
    }
}

/// Draws the newest notices over the foot of `canvas`.
pub fn notices_ui(
    ctx: &egui::Context,
    canvas: egui::Rect,
    notices: &Notices,
    theme: Theme,
    now: f64,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if notices.is_empty() {
        return commands;
    }
    let width = (canvas.width() - 24.0).clamp(120.0, MAX_WIDTH_PT);
    let hidden = notices.list.len().saturating_sub(MAX_SHOWN);
    // At the canvas's foot, under any window: a dialog (the path field
    // after a failed save) stays clickable above an error about it.
    egui::Area::new(egui::Id::unique("notices"))
        .order(egui::Order::Middle)
        .pivot(Align2::CENTER_BOTTOM)
        .fixed_pos(egui::pos2(canvas.center().x, canvas.bottom() - 8.0))
        .interactable(true)
        .show(ctx, |ui| {
            ui.set_width(width);
            if hidden > 0 {
                ui.horizontal(|ui| {
                    let (text, fill) = notice_colours(NoticeKind::Warning, theme);
                    egui::Frame::new()
                        .fill(fill)
                        .inner_margin(4.0)
                        .corner_radius(4.0)
                        .show(ui, |ui| {
                            ui.label(RichText::new(format!("{hidden} older notices")).color(text));
                            if ui.small_button("Dismiss All").clicked() {
                                commands.push(Command::DismissAllMessages);
                            }
                        });
                });
            }
            for (index, notice) in notices.list.iter().enumerate().skip(hidden) {
                let opacity = match (notice.kind, notice.shown_at) {
                    (NoticeKind::Success, Some(at)) => {
                        let faded = (now - at - SUCCESS_VISIBLE_S) / SUCCESS_FADE_S;
                        (1.0 - faded.clamp(0.0, 1.0)) as f32
                    }
                    _ => 1.0,
                };
                let (text, fill) = notice_colours(notice.kind, theme);
                ui.scope(|ui| {
                    ui.set_opacity(opacity);
                    egui::Frame::new()
                        .fill(fill)
                        .stroke(egui::Stroke::new(1.0, text.gamma_multiply(0.5)))
                        .inner_margin(6.0)
                        .corner_radius(4.0)
                        .show(ui, |ui| {
                            ui.set_width(ui.available_width());
                            ui.horizontal_wrapped(|ui| {
                                ui.label(
                                    RichText::new(kind_word(notice.kind)).strong().color(text),
                                );
                                ui.label(RichText::new(&notice.text).color(text));
                                if let Some(action) = &notice.action
                                    && ui.small_button(action.label).clicked()
                                {
                                    commands.push(action.command.clone());
                                }
                                if ui.small_button("Dismiss").clicked() {
                                    commands.push(Command::DismissMessage(index));
                                }
                            });
                        });
                });
                ui.add_space(4.0);
            }
        });
    commands
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::theme::contrast_ratio;

    #[test]
    fn a_success_retires_the_error_on_its_topic_only() {
        let mut notices = Notices::default();
        notices.push(
            NoticeKind::Error,
            Some(NoticeTopic::Save),
            "cannot save: read-only".into(),
        );
        notices.push(
            NoticeKind::Error,
            Some(NoticeTopic::Export),
            "export failed".into(),
        );
        notices.push(NoticeKind::Success, Some(NoticeTopic::Save), "saved".into());
        let texts: Vec<_> = notices.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["export failed", "saved"]);
    }

    #[test]
    fn successes_fade_and_errors_stay() {
        let mut notices = Notices::default();
        notices.push(NoticeKind::Error, None, "bad file".into());
        notices.push(NoticeKind::Success, None, "exported".into());
        assert!(notices.tick(10.0).is_some());
        assert_eq!(notices.iter().count(), 2);
        notices.tick(10.0 + SUCCESS_VISIBLE_S + 0.5);
        assert_eq!(notices.iter().count(), 2, "fading, not gone yet");
        notices.tick(10.0 + SUCCESS_VISIBLE_S + SUCCESS_FADE_S + 0.01);
        let texts: Vec<_> = notices.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["bad file"]);
        assert!(notices.tick(1000.0).is_none(), "an error needs no repaint");
    }

    #[test]
    fn notice_text_meets_wcag_aa() {
        for theme in [Theme::Dark, Theme::Light] {
            for kind in [NoticeKind::Error, NoticeKind::Warning, NoticeKind::Success] {
                let (text, fill) = notice_colours(kind, theme);
                let ratio = contrast_ratio(text, fill);
                assert!(ratio >= 4.5, "{theme:?} {kind:?}: {ratio:.2}");
            }
        }
    }
}
