//! What the canvas says about one item: the tooltip of the item under the
//! pointer, and the caption of the relation that Tab walked to.

use egui::{Align2, CornerRadius, FontId, Rect, Vec2};

use super::hit::Hit;
use super::text::short_name;
use crate::model::{EdgeIx, Graph};
use crate::scene::theme::Theme;
use crate::words::count_text;

/// The relation under keyboard focus, named at the canvas's top left.
pub(super) fn paint_keyboard_caption(
    painter: &egui::Painter,
    graph: &Graph,
    edge: EdgeIx,
    viewport: Rect,
    theme: Theme,
) {
    let (source, target) = graph.edge_endpoints(edge);
    let caption = format!(
        "{} {} {} · Enter opens it, Tab the next",
        short_name(graph.node_name(source)),
        short_name(graph.edge_label(edge)),
        short_name(graph.node_name(target))
    );
    let at = viewport.left_top() + Vec2::new(10.0, 10.0);
    let galley = painter.layout_no_wrap(caption, FontId::proportional(13.0), theme.palette().label);
    let rect = Align2::LEFT_TOP.anchor_size(at, galley.size()).expand(4.0);
    painter.rect_filled(
        rect,
        CornerRadius::same(3),
        theme.palette().label_background,
    );
    painter.galley(rect.min + Vec2::splat(4.0), galley, theme.palette().label);
}

pub(super) fn hover_tooltip_ui(ui: &mut egui::Ui, graph: &Graph, hit: Hit) {
    // Tooltips near the window's edge get little room; names should not
    // wrap a word at a time.
    ui.set_min_width(220.0);
    match hit {
        Hit::Node(node) => {
            ui.strong(short_name(graph.node_name(node)));
            ui.label(format!(
                "{} · {}",
                graph.node_kind_text(node),
                count_text(graph.incident_edges(node).len(), "relation", "relations")
            ));
        }
        Hit::Edge(edge) => {
            let (source, target) = graph.edge_endpoints(edge);
            ui.strong(format!(
                "{} {} {}",
                short_name(graph.node_name(source)),
                short_name(graph.edge_label(edge)),
                short_name(graph.node_name(target))
            ));
            let excerpts = graph.edge_excerpt_count(edge);
            let against = graph.edge_contradicting_count(edge);
            if excerpts == 0 {
                ui.colored_label(ui.visuals().warn_fg_color, "Unsupported: cites no excerpt");
            } else if graph.edge_is_disputed(edge) {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!(
                        "Disputed: {} against it, none for it · click to read",
                        count_text(against as usize, "excerpt", "excerpts")
                    ),
                );
            } else {
                let supporting = count_text(
                    excerpts.saturating_sub(against) as usize,
                    "supporting excerpt",
                    "supporting excerpts",
                );
                let against = if against > 0 {
                    format!(", {against} against it")
                } else {
                    String::new()
                };
                ui.label(format!("{supporting}{against} · click to read"));
            }
        }
    }
}
