//! The timeline at the bottom of the window: how many dated entities and
//! relations fall in each stretch of time, a brush (drag across the bars)
//! that sets the filter's date window, and a play button that steps the
//! window through time.

use egui::{Align2, CornerRadius, FontId, Pos2, Rect, Sense, Stroke, Vec2};

use super::filter_panel::ClaimsState;
use crate::command::Command;
use crate::model::dates::{Day, format_day, parse_first_day, parse_last_day};
use crate::model::timeline::Timeline;
use crate::model::visibility::Filter;
use crate::scene::theme::Palette;
use crate::words::count_text;

/// Height of the bars' area, in points.
const CHART_HEIGHT_PT: f32 = 64.0;
/// Width of one bar, in points.
const BAR_WIDTH_PT: f32 = 6.0;

/// The brush being dragged (not saved).
#[derive(Clone, Copy, Debug, Default)]
pub struct TimelineState {
    dragging_from: Option<Day>,
    dragging_to: Option<Day>,
}

/// The days the chart spans: the dated range, with room around a single day.
pub fn chart_range(timeline: &Timeline) -> Option<(Day, Day)> {
    let (first, last) = timeline.range()?;
    Some(if last - first < 30 {
        (first - 15, last + 15)
    } else {
        (first, last)
    })
}

pub fn timeline_ui(
    ui: &mut egui::Ui,
    state: &mut TimelineState,
    timeline: Option<&Timeline>,
    claims: &ClaimsState,
    filter: &Filter,
    playing: bool,
    palette: &Palette,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(timeline) = timeline else {
        ui.horizontal(|ui| {
            if let ClaimsState::Failed(error) = claims {
                ui.label(format!(
                    "No timeline: the dates could not be read ({error})"
                ));
            } else {
                ui.spinner();
                ui.label("Reading dates…");
            }
        });
        return commands;
    };
    let Some((first, last)) = chart_range(timeline) else {
        ui.label("Nothing in this file is dated.");
        return commands;
    };
    let window = (
        filter.date_from.as_deref().and_then(parse_first_day),
        filter.date_to.as_deref().and_then(parse_last_day),
    );
    ui.horizontal(|ui| {
        let play = if playing { "Pause" } else { "Play" };
        if ui
            .button(play)
            .on_hover_text("Step the date window through time")
            .clicked()
        {
            commands.push(Command::PlayTimeline(!playing));
        }
        if ui
            .add_enabled(
                window.0.is_some() || window.1.is_some(),
                egui::Button::new("All Dates"),
            )
            .on_hover_text("Clear the date window")
            .clicked()
        {
            commands.push(Command::SetFilter(Filter {
                date_from: None,
                date_to: None,
                ..filter.clone()
            }));
        }
        let shown = match window {
            (None, None) => "All dates".to_owned(),
            (from, to) => format!(
                "{} – {}",
                from.map_or_else(|| "…".to_owned(), format_day),
                to.map_or_else(|| "…".to_owned(), format_day)
            ),
        };
        ui.strong(shown);
        ui.label(format!(
            "· {} and {} dated; drag across the bars to choose a window",
            count_text(timeline.dated_entities(), "entity", "entities"),
            count_text(timeline.dated_relations(), "relation", "relations"),
        ));
    });

    let (response, painter) = ui.allocate_painter(
        Vec2::new(ui.available_width(), CHART_HEIGHT_PT + 16.0),
        Sense::click_and_drag(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Timeline"));
    let rect = response.rect;
    let chart = Rect::from_min_max(
        rect.min,
        Pos2::new(rect.max.x, rect.min.y + CHART_HEIGHT_PT),
    );
    let days = (last - first + 1) as f32;
    let x_of = |day: Day| chart.left() + (day - first) as f32 / days * chart.width();
    let day_at = |x: f32| {
        let fraction = ((x - chart.left()) / chart.width()).clamp(0.0, 1.0);
        (first + (fraction * days) as Day).min(last)
    };

    painter.rect_filled(chart, CornerRadius::same(2), palette.label_background);
    let bars = ((chart.width() / BAR_WIDTH_PT) as usize).max(1);
    let histogram = timeline.histogram(first, last, bars);
    let tallest = histogram
        .iter()
        .map(|bar| bar.entities.max(bar.relations))
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    for bar in &histogram {
        let (left, right) = (x_of(bar.from), x_of(bar.to).max(x_of(bar.from) + 1.0));
        let width = right - left;
        for (count, color, offset) in [
            (bar.relations, palette.timeline_relations, 0.0),
            (bar.entities, palette.timeline_entities, 0.5),
        ] {
            if count == 0 {
                continue;
            }
            let height = (count as f32 / tallest).sqrt() * (CHART_HEIGHT_PT - 4.0);
            let x = left + width * offset;
            painter.rect_filled(
                Rect::from_min_max(
                    Pos2::new(x, chart.bottom() - height),
                    Pos2::new(x + width * 0.5 - 0.5, chart.bottom()),
                ),
                CornerRadius::ZERO,
                color,
            );
        }
    }
    for (day, align) in [(first, Align2::LEFT_TOP), (last, Align2::RIGHT_TOP)] {
        painter.text(
            Pos2::new(
                x_of(day).clamp(rect.left(), rect.right()),
                chart.bottom() + 2.0,
            ),
            align,
            format_day(day),
            FontId::proportional(11.0),
            palette.label,
        );
    }

    // The brush: what is being dragged, else the filter's window.
    if response.drag_started() {
        let origin = ui.input(|input| input.pointer.press_origin());
        state.dragging_from = origin
            .or(response.interact_pointer_pos())
            .map(|p| day_at(p.x));
    }
    if state.dragging_from.is_some()
        && let Some(pointer) = response.interact_pointer_pos()
    {
        state.dragging_to = Some(day_at(pointer.x));
    }
    let brush = match (state.dragging_from, state.dragging_to) {
        (Some(start), Some(now)) => Some((start.min(now), start.max(now))),
        _ => match window {
            (None, None) => None,
            (from, to) => Some((
                from.unwrap_or(first).max(first),
                to.unwrap_or(last).min(last),
            )),
        },
    };
    if let Some((from, to)) = brush {
        let area = Rect::from_min_max(
            Pos2::new(x_of(from), chart.top()),
            Pos2::new(x_of(to + 1).max(x_of(from) + 2.0), chart.bottom()),
        );
        painter.rect_filled(area, CornerRadius::ZERO, palette.timeline_brush);
        painter.rect_stroke(
            area,
            CornerRadius::ZERO,
            Stroke::new(1.0, palette.highlight),
            egui::StrokeKind::Inside,
        );
    }
    if response.drag_stopped()
        && let (Some(start), Some(now)) = (state.dragging_from.take(), state.dragging_to.take())
    {
        let (from, to) = (start.min(now), start.max(now));
        commands.push(Command::SetFilter(Filter {
            date_from: Some(format_day(from)),
            date_to: Some(format_day(to)),
            ..filter.clone()
        }));
    }
    commands
}
