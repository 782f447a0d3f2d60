//! SVG from the same draw list the window paints: edges as lines, quadratic
//! curves and loops with arrowheads, nodes as their shapes, labels as real
//! text (or, for exact reproduction, as outlines of the window's own font),
//! the legend, title, footer, and the provenance in `<metadata>`.
//! Coordinates are the picture's points; the same list gives the same text.
//!
//! Real text is drawn by the viewer in whatever font it has, so it is made
//! robust to another font: the family list ends in a generic family, label
//! halos leave room for a wider font, and every footer line has its own x
//! (a continuation's indent is an x offset, as SVG collapses leading spaces).

use std::fmt::Write as _;

use egui::{Align2, Color32, Pos2, Rect};

use super::Provenance;
use super::outlines::OutlineFont;
use crate::scene::camera::node_radius_on_screen;
use crate::scene::draw_list::{
    DrawList, FOOTER_FONT_PT, INSET_PT, LABEL_FONT_PT, LEGEND_FONT_PT, LegendRow, TITLE_FONT_PT,
    footer_left, legend_rect, legend_row_anchor, shape_polygon,
};
use crate::scene::instances::{
    EDGE_ARROW, EDGE_DASHED, EdgeInstance, GraphFrame, NodeShape, NodeStyle, look,
};
use crate::scene::theme;
use crate::scene::{EdgeGeometry, node_style_is_hidden};

/// egui draws labels in Ubuntu; where that font is missing, the nearest sans.
const FONT: &str = "Ubuntu, Noto Sans, DejaVu Sans, Helvetica, Arial, sans-serif";

/// How much wider than the window's font a viewer's fallback font may set a label before it
/// leaves its halo: the halo grows by this share of the label's width, plus a little.
const HALO_SLACK: f32 = 0.12;
const HALO_MARGIN_PT: f32 = 2.0;

/// The picture as an SVG document; with `outlines`, every text as paths in that font (exactly
/// the PNG's glyphs, in any viewer), else as real text.
pub fn to_svg(
    list: &DrawList<'_>,
    provenance: Option<&Provenance>,
    outlines: Option<&OutlineFont>,
) -> String {
    let size = list.viewport.size();
    let origin = list.viewport.min;
    let palette = list.palette();
    let mut out = String::with_capacity(4096 + list.graph.edges.len() * 80);
    let _ = writeln!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">"#,
        w = num(size.x),
        h = num(size.y),
    );
    if let Some(provenance) = provenance {
        out.push_str(
            "<metadata>\n<linkscope:provenance xmlns:linkscope=\"urn:linkscope:provenance\">\n",
        );
        for (key, value) in provenance.entries() {
            let _ = writeln!(
                out,
                "<linkscope:entry key=\"{}\">{}</linkscope:entry>",
                escape(&key),
                escape(&value)
            );
        }
        out.push_str("</linkscope:provenance>\n</metadata>\n");
    }
    if list.background {
        let _ = writeln!(
            out,
            r#"<rect width="{}" height="{}" {}/>"#,
            num(size.x),
            num(size.y),
            paint_attr("fill", palette.background)
        );
    }
    let frame = &list.graph;
    let to_screen = |world: [f32; 2]| {
        let p = frame.camera.screen_from_world(list.viewport, world);
        Pos2::new(p.x - origin.x, p.y - origin.y)
    };
    let bounds = Rect::from_min_size(Pos2::ZERO, size).expand(20.0);
    out.push_str("<g id=\"edges\" fill=\"none\" stroke-linecap=\"round\">\n");
    for edge in frame.edges.iter() {
        // Faded by density as the window draws them (highlights are not).
        let faded = EdgeInstance {
            color: crate::scene::theme::packed(crate::scene::edge_style::scaled(
                color_of(edge.color),
                frame.edge_alpha,
            )),
            ..*edge
        };
        write_edge(&mut out, frame, &faded, &to_screen, bounds);
    }
    out.push_str("</g>\n<g id=\"nodes\">\n");
    for (node, style) in frame.node_styles.iter().enumerate() {
        if node_style_is_hidden(style) {
            continue;
        }
        if let Some(&world) = frame.positions.get(node) {
            write_node(&mut out, to_screen(world), style, frame.camera.zoom, bounds);
        }
    }
    out.push_str("</g>\n<g id=\"highlights\" fill=\"none\" stroke-linecap=\"round\">\n");
    for edge in frame.overlay_edges.iter() {
        write_edge(&mut out, frame, edge, &to_screen, bounds);
    }
    for (node, style) in frame.overlay_nodes.iter() {
        if let Some(&world) = frame.positions.get(*node as usize) {
            write_node(&mut out, to_screen(world), style, frame.camera.zoom, bounds);
        }
    }
    out.push_str("</g>\n<g id=\"labels\">\n");
    for label in &list.labels {
        let rect = label.rect.translate(-origin.to_vec2());
        if let Some(font) = outlines {
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="3" {}/><path d="{}" {}/>"#,
                num(rect.min.x),
                num(rect.min.y),
                num(rect.width()),
                num(rect.height()),
                paint_attr("fill", palette.label_background),
                font.text_path(
                    &label.text,
                    LABEL_FONT_PT,
                    rect.center(),
                    Align2::CENTER_CENTER
                ),
                paint_attr("fill", palette.label),
            );
            continue;
        }
        let halo = rect.expand2(egui::vec2(
            rect.width() * HALO_SLACK / 2.0 + HALO_MARGIN_PT,
            HALO_MARGIN_PT / 2.0,
        ));
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="3" {}/><text x="{}" y="{}" font-size="{}" text-anchor="middle" dominant-baseline="central" {}>{}</text>"#,
            num(halo.min.x),
            num(halo.min.y),
            num(halo.width()),
            num(halo.height()),
            paint_attr("fill", palette.label_background),
            num(rect.center().x),
            num(rect.center().y),
            num(LABEL_FONT_PT),
            paint_attr("fill", palette.label),
            escape(&label.text)
        );
    }
    out.push_str("</g>\n");
    let local = Rect::from_min_size(Pos2::ZERO, size);
    if list.legend {
        write_legend(&mut out, local, list, outlines);
    }
    let metrics = outlines.map_or_else(|| OutlineFont::egui_proportional().ok(), |_| None);
    let font = outlines.or(metrics.as_ref());
    if let Some(title) = &list.title {
        let at = Pos2::new(INSET_PT, INSET_PT);
        write_text(
            &mut out,
            outlines,
            title,
            TITLE_FONT_PT,
            at,
            Align2::LEFT_TOP,
            palette.label,
        );
    }
    let x = footer_left(&DrawList {
        viewport: local,
        ..list.clone()
    });
    let mut y = size.y - INSET_PT;
    for line in list.footer.iter().rev() {
        // A continuation's indent, as the window's font sets those spaces.
        let text = line.trim_start_matches(' ');
        let indent = font.map_or(0.0, |font| {
            font.width(&line[..line.len() - text.len()], FOOTER_FONT_PT)
        });
        write_text(
            &mut out,
            outlines,
            text,
            FOOTER_FONT_PT,
            Pos2::new(x + indent, y),
            Align2::LEFT_BOTTOM,
            palette.label,
        );
        y -= FOOTER_FONT_PT * 1.4;
    }
    out.push_str("</svg>\n");
    out
}

/// One line of text placed as egui's painter places it at `anchor` with `align`: outlines
/// when a font is given, else real text (its baseline placed for the window's font).
fn write_text(
    out: &mut String,
    outlines: Option<&OutlineFont>,
    text: &str,
    size_pt: f32,
    anchor: Pos2,
    align: Align2,
    color: Color32,
) {
    if let Some(font) = outlines {
        let _ = writeln!(
            out,
            r#"<path d="{}" {}/>"#,
            font.text_path(text, size_pt, anchor, align),
            paint_attr("fill", color)
        );
        return;
    }
    let (y, baseline) = match align.y() {
        egui::Align::Min => (anchor.y, r#" dominant-baseline="text-before-edge""#),
        egui::Align::Center => (anchor.y, r#" dominant-baseline="central""#),
        egui::Align::Max => (anchor.y, r#" dominant-baseline="text-after-edge""#),
    };
    let text_anchor = match align.x() {
        egui::Align::Min => "",
        egui::Align::Center => r#" text-anchor="middle""#,
        egui::Align::Max => r#" text-anchor="end""#,
    };
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}"{text_anchor}{baseline} {}>{}</text>"#,
        num(anchor.x),
        num(y),
        num(size_pt),
        paint_attr("fill", color),
        escape(text)
    );
}

/// A packed colour (see `theme::packed`) back as an egui colour.
fn color_of(packed: u32) -> Color32 {
    let [r, g, b, a] = packed.to_le_bytes();
    Color32::from_rgba_premultiplied(r, g, b, a)
}

fn write_edge(
    out: &mut String,
    frame: &GraphFrame,
    edge: &EdgeInstance,
    to_screen: &impl Fn([f32; 2]) -> Pos2,
    bounds: Rect,
) {
    // Hidden relations (transparent) are not written at all.
    if theme::is_transparent(edge.color) {
        return;
    }
    let Some(geometry) = EdgeGeometry::of(edge, &frame.positions, &frame.node_styles) else {
        return;
    };
    let (lo, hi) = geometry.bounds();
    let box_on_screen = Rect::from_two_pos(to_screen(lo), to_screen(hi));
    if !box_on_screen.intersects(bounds) {
        return;
    }
    let color = color_of(edge.color);
    let dash = if edge.flags & EDGE_DASHED == 0 {
        ""
    } else {
        " stroke-dasharray=\"6 4\""
    };
    let width = num(edge.width_px);
    let stroke = paint_attr("stroke", color);
    let path = match geometry {
        EdgeGeometry::Straight(a, b) => {
            let (a, b) = (to_screen(a), to_screen(b));
            format!("M{} {}L{} {}", num(a.x), num(a.y), num(b.x), num(b.y))
        }
        EdgeGeometry::Curve(a, c, b) => {
            let (a, c, b) = (to_screen(a), to_screen(c), to_screen(b));
            format!(
                "M{} {}Q{} {} {} {}",
                num(a.x),
                num(a.y),
                num(c.x),
                num(c.y),
                num(b.x),
                num(b.y)
            )
        }
        EdgeGeometry::Loop { center, radius } => {
            let c = to_screen(center);
            let r = radius * frame.camera.zoom;
            let _ = writeln!(
                out,
                r#"<circle cx="{}" cy="{}" r="{}" stroke-width="{width}" {stroke}{dash}/>"#,
                num(c.x),
                num(c.y),
                num(r)
            );
            return;
        }
    };
    let _ = writeln!(
        out,
        r#"<path d="{path}" stroke-width="{width}" {stroke}{dash}/>"#
    );
    if edge.flags & EDGE_ARROW != 0 {
        write_arrowhead(out, frame, edge, geometry, to_screen, color);
    }
}

/// A filled triangle whose tip touches the target node's outline.
fn write_arrowhead(
    out: &mut String,
    frame: &GraphFrame,
    edge: &EdgeInstance,
    geometry: EdgeGeometry,
    to_screen: &impl Fn([f32; 2]) -> Pos2,
    color: Color32,
) {
    let Some(&target_world) = frame.positions.get(edge.target as usize) else {
        return;
    };
    let target = to_screen(target_world);
    let radius = frame
        .node_styles
        .get(edge.target as usize)
        .map_or(2.0, |style| {
            node_radius_on_screen(style.radius, frame.camera.zoom)
        });
    // Walk back from the target along the drawn line to the outline.
    let mut t = 1.0_f32;
    for _ in 0..40 {
        let point = to_screen(geometry.point_at(t));
        if (point - target).length() >= radius {
            break;
        }
        t -= 0.005;
    }
    let tip = to_screen(geometry.point_at(t));
    let back = to_screen(geometry.point_at((t - 0.02).max(0.0)));
    let direction = (tip - back).normalized();
    if !direction.x.is_finite() {
        return;
    }
    // SVG units are points: one pixel per point.
    let length = crate::scene::edge_style::arrow_length_px(edge.width_px, radius, 1.0);
    if length <= 0.0 {
        return;
    }
    let base = tip - direction * length;
    let side = egui::vec2(-direction.y, direction.x) * (look::ARROW_HALF_WIDTH * length);
    let (left, right) = (base + side, base - side);
    let _ = writeln!(
        out,
        r#"<path d="M{} {}L{} {}L{} {}Z" stroke="none" {}/>"#,
        num(tip.x),
        num(tip.y),
        num(left.x),
        num(left.y),
        num(right.x),
        num(right.y),
        paint_attr("fill", color)
    );
}

fn write_node(out: &mut String, center: Pos2, style: &NodeStyle, zoom: f32, bounds: Rect) {
    let radius = node_radius_on_screen(style.radius, zoom);
    if !bounds.expand(radius * 2.0).contains(center) {
        return;
    }
    let [r, g, b, a] = style.fill.to_le_bytes();
    let fill = paint_attr("fill", Color32::from_rgba_premultiplied(r, g, b, a));
    let [r, g, b, a] = style.outline.to_le_bytes();
    let outline = paint_attr("stroke", Color32::from_rgba_premultiplied(r, g, b, a));
    // The GPU draws the outline inside the shape's boundary: shrink by half
    // the stroke so the SVG's centred stroke ends on the same boundary.
    let inner = (radius - 0.75).max(0.5);
    let shape = match style.shape {
        1 => NodeShape::RoundedSquare,
        2 => NodeShape::Diamond,
        3 => NodeShape::Triangle,
        _ => NodeShape::Circle,
    };
    match (shape, shape_polygon(shape, center, inner)) {
        (NodeShape::RoundedSquare, _) => {
            let half = inner * look::SQUARE_HALF;
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" {fill} {outline} stroke-width="1.5"/>"#,
                num(center.x - half),
                num(center.y - half),
                num(2.0 * half),
                num(2.0 * half),
                num(inner * look::SQUARE_CORNER)
            );
        }
        (_, Some(points)) => {
            let points: Vec<String> = points
                .iter()
                .map(|p| format!("{},{}", num(p.x), num(p.y)))
                .collect();
            let _ = writeln!(
                out,
                r#"<polygon points="{}" {fill} {outline} stroke-width="1.5"/>"#,
                points.join(" ")
            );
        }
        (_, None) => {
            let _ = writeln!(
                out,
                r#"<circle cx="{}" cy="{}" r="{}" {fill} {outline} stroke-width="1.5"/>"#,
                num(center.x),
                num(center.y),
                num(inner)
            );
        }
    }
}

fn write_legend(
    out: &mut String,
    local: Rect,
    list: &DrawList<'_>,
    outlines: Option<&OutlineFont>,
) {
    let palette = list.palette();
    let Some(rows) = list.legend_rows() else {
        return;
    };
    let frame = legend_rect(local, &rows);
    let _ = writeln!(
        out,
        r#"<g id="legend"><rect x="{}" y="{}" width="{}" height="{}" rx="6" {}/>"#,
        num(frame.min.x),
        num(frame.min.y),
        num(frame.width()),
        num(frame.height()),
        paint_attr("fill", palette.label_background)
    );
    for (index, row) in rows.iter().enumerate() {
        let (swatch, text_at) = legend_row_anchor(frame, index);
        let text_at = match row {
            // No swatch: the text starts where the swatches do.
            LegendRow::Note { .. } => Pos2::new(frame.left() + 8.0, text_at.y),
            _ => text_at,
        };
        let label = match row {
            LegendRow::Note { label } => label,
            LegendRow::Group { label, fill } => {
                let style = NodeStyle {
                    radius: 6.0,
                    fill: crate::scene::instances::color_to_u32(*fill),
                    outline: crate::scene::instances::color_to_u32(palette.node_outline),
                    shape: crate::scene::instances::NodeShape::Circle as u32,
                };
                write_node(out, swatch, &style, 1.0, local);
                label.as_str()
            }
            LegendRow::Kind { label, shape, fill } => {
                let style = NodeStyle {
                    radius: 6.0,
                    fill: crate::scene::instances::color_to_u32(*fill),
                    outline: crate::scene::instances::color_to_u32(palette.node_outline),
                    shape: *shape as u32,
                };
                write_node(out, swatch, &style, 1.0, local);
                *label
            }
            LegendRow::Edge {
                label,
                color,
                dashed,
            } => {
                let _ = writeln!(
                    out,
                    r#"<path d="M{} {}H{}" stroke-width="1.5" {}{}/>"#,
                    num(frame.left() + 8.0),
                    num(swatch.y),
                    num(frame.left() + 24.0),
                    paint_attr("stroke", *color),
                    if *dashed {
                        " stroke-dasharray=\"4 3\""
                    } else {
                        ""
                    }
                );
                *label
            }
        };
        write_text(
            out,
            outlines,
            label,
            LEGEND_FONT_PT,
            text_at,
            Align2::LEFT_CENTER,
            palette.label,
        );
    }
    out.push_str("</g>\n");
}

/// `name="#rrggbb"` with an opacity attribute where the colour is not opaque.
fn paint_attr(name: &str, color: Color32) -> String {
    let [r, g, b, a] = color.to_srgba_unmultiplied();
    if a == 255 {
        format!("{name}=\"#{r:02x}{g:02x}{b:02x}\"")
    } else {
        format!(
            "{name}=\"#{r:02x}{g:02x}{b:02x}\" {name}-opacity=\"{}\"",
            num(f32::from(a) / 255.0)
        )
    }
}

/// A number with at most two decimals and no trailing zeros.
fn num(value: f32) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Text safe inside XML elements and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even when escaped.
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_text_are_written_plainly() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(2.456), "2.46");
        assert_eq!(
            escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}"
        );
    }
}
