//! Paints a [`DrawList`] with egui and the GPU renderer: the window's
//! canvas and PNG exports (through the offscreen renderer).

use egui::{Align2, Color32, CornerRadius, FontId, Pos2, Rect, Stroke, Vec2};

use super::gpu;
use crate::scene::draw_list::{
    DrawList, FOOTER_FONT_PT, INSET_PT, LABEL_FONT_PT, LEGEND_FONT_PT, LegendRow, TITLE_FONT_PT,
    footer_left, legend_rect, legend_row_anchor, shape_polygon,
};
use crate::scene::instances::NodeShape;
use crate::scene::theme::Palette;

/// Paints `list` with `painter` (clipped to the list's viewport by the
/// caller): background, graph, labels, legend, title and footer.
pub fn paint(painter: &egui::Painter, list: &DrawList<'_>) {
    paint_with(painter, list, |painter, viewport, graph| {
        gpu::paint_graph(painter, viewport, graph);
    });
}

/// [`paint`] with the graph (and its background) drawn by `draw_graph`:
/// the window's CPU drawing where the GPU pipelines cannot run.
pub fn paint_with(
    painter: &egui::Painter,
    list: &DrawList<'_>,
    draw_graph: impl FnOnce(&egui::Painter, Rect, gpu::GraphFrame),
) {
    let palette = list.palette();
    let mut graph = list.graph.clone();
    if list.background {
        // Drawn by the graph renderer: far cheaper than egui's fill on a
        // software rasteriser.
        graph.background = Some(palette.background);
    }
    draw_graph(painter, list.viewport, graph);
    for label in &list.labels {
        painter.rect_filled(label.rect, CornerRadius::same(3), palette.label_background);
        painter.text(
            label.rect.center(),
            Align2::CENTER_CENTER,
            label.text.as_ref(),
            FontId::proportional(LABEL_FONT_PT),
            palette.label,
        );
    }
    if let Some(rows) = list.legend_rows() {
        paint_legend(painter, legend_rect(list.viewport, &rows), palette, &rows);
    }
    if let Some(title) = &list.title {
        painter.text(
            list.viewport.left_top() + Vec2::splat(INSET_PT),
            Align2::LEFT_TOP,
            title,
            FontId::proportional(TITLE_FONT_PT),
            palette.label,
        );
    }
    let mut y = list.viewport.bottom() - INSET_PT;
    let x = footer_left(list);
    for line in list.footer.iter().rev() {
        painter.text(
            Pos2::new(x, y),
            Align2::LEFT_BOTTOM,
            line,
            FontId::proportional(FOOTER_FONT_PT),
            palette.label,
        );
        y -= FOOTER_FONT_PT * 1.4;
    }
}

fn paint_legend(painter: &egui::Painter, frame: Rect, palette: &Palette, rows: &[LegendRow]) {
    painter.rect_filled(frame, CornerRadius::same(6), palette.label_background);
    for (index, row) in rows.iter().enumerate() {
        let (swatch, text_at) = legend_row_anchor(frame, index);
        let label = match row {
            LegendRow::Kind { label, shape, fill } => {
                draw_swatch(painter, swatch, 6.0, *shape, *fill, palette.node_outline);
                *label
            }
            LegendRow::Group { label, fill } => {
                let outline = palette.node_outline;
                draw_swatch(painter, swatch, 6.0, NodeShape::Circle, *fill, outline);
                label.as_str()
            }
            LegendRow::Edge {
                label,
                color,
                dashed,
            } => {
                let start = Pos2::new(frame.left() + 8.0, swatch.y);
                let end = Pos2::new(frame.left() + 24.0, swatch.y);
                let stroke = Stroke::new(1.5, *color);
                if *dashed {
                    painter.extend(egui::Shape::dashed_line(&[start, end], stroke, 4.0, 3.0));
                } else {
                    painter.line_segment([start, end], stroke);
                }
                *label
            }
            LegendRow::Note { label } => {
                painter.text(
                    Pos2::new(frame.left() + 8.0, swatch.y),
                    Align2::LEFT_CENTER,
                    *label,
                    FontId::proportional(LEGEND_FONT_PT),
                    palette.label,
                );
                continue;
            }
        };
        painter.text(
            text_at,
            Align2::LEFT_CENTER,
            label,
            FontId::proportional(LEGEND_FONT_PT),
            palette.label,
        );
    }
}

fn draw_swatch(
    painter: &egui::Painter,
    center: Pos2,
    radius: f32,
    shape: NodeShape,
    fill: Color32,
    outline: Color32,
) {
    let stroke = Stroke::new(1.0, outline);
    match shape_polygon(shape, center, radius) {
        None => {
            painter.circle(center, radius, fill, stroke);
        }
        Some(points) => {
            painter.add(egui::Shape::convex_polygon(points, fill, stroke));
        }
    }
}
