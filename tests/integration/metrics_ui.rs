//! Communities and centrality in the window, driven as a user would: View >
//! Colour by Community on Zachary's karate club, the legend of communities,
//! the measures in the entity panel (matched against networkx's numbers in
//! `tests/reference/metrics.json`), and the pixels: two members of
//! different communities are drawn in different colours.

use std::sync::Arc;

use egui::{Color32, ColorImage, Pos2, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use linkscope::app::LinkscopeApp;
use linkscope::model::metrics::{ColourBy, SizeBy};
use linkscope::model::visibility::Shown;
use linkscope::view::gpu::offscreen::OffscreenRenderer;
use linkscope::view::gpu::{GraphFrame, NodeStyle};
use linkscope::view::hit::Hit;
use serde_json::Value;

use crate::ui::{app_harness, click_at, settled, step_until};

fn karate() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trace/karate.sqlite")
}

fn reference() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/metrics.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn view_menu(harness: &mut Harness<'_, LinkscopeApp>, item: &str) {
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label(item).click();
    harness.run_steps(3);
}

/// The frame with only `node` drawn, in its own colours.
fn node_alone(frame: &GraphFrame, node: usize) -> GraphFrame {
    let styles = frame
        .node_styles
        .iter()
        .enumerate()
        .map(|(index, style)| {
            if index == node {
                *style
            } else {
                NodeStyle {
                    fill: 0,
                    outline: 0,
                    ..*style
                }
            }
        })
        .collect();
    GraphFrame {
        node_styles: Arc::new(styles),
        edges: Arc::new(Vec::new()),
        styles_generation: frame.styles_generation + 100_000 + node as u64,
        ..frame.clone()
    }
}

fn pixel_at(image: &ColorImage, viewport: Rect, screen: Pos2) -> Color32 {
    let x = (screen.x - viewport.min.x).floor() as usize;
    let y = (screen.y - viewport.min.y).floor() as usize;
    image.pixels[y * image.size[0] + x]
}

fn distance(a: Color32, b: Color32) -> u32 {
    a.to_array()
        .iter()
        .zip(b.to_array())
        .take(3)
        .map(|(&x, y)| u32::from(x.abs_diff(y)))
        .max()
        .unwrap_or(0)
}

/// The pixel at the centres of `nodes`, each rendered alone, as the window draws it now.
fn drawn_colours(harness: &Harness<'_, LinkscopeApp>, nodes: &[u32]) -> Vec<Color32> {
    let app = harness.state();
    let (frame, viewport) = app.canvas_frame().unwrap();
    let mut renderer = OffscreenRenderer::new(viewport.width() as u32, viewport.height() as u32)
        .expect("lavapipe or a GPU runs the graph shaders");
    nodes
        .iter()
        .map(|&node| {
            let image = renderer
                .render_image(&node_alone(&frame, node as usize))
                .unwrap();
            pixel_at(&image, viewport, app.node_on_screen(node).unwrap())
        })
        .collect()
}

#[test]
fn colour_by_community_shows_the_legend_the_measures_and_distinct_colours() {
    let mut harness = app_harness(karate(), egui::vec2(1100.0, 760.0));
    step_until(
        &mut harness,
        "karate to load, settle and be measured",
        |app| settled(app) && !app.is_measuring() && app.metrics().is_some(),
    );
    // The status bar says what was found.
    let communities = harness.state().metrics().unwrap().community_sizes.clone();
    harness.get_by_label_contains(&format!("{} communities · Q", communities.len()));

    // Mr. Hi (networkx node 0, id 1) and the Officer (node 33, id 34) lead the two factions.
    let graph = harness.state().graph().unwrap();
    let hi = graph.node_by_db_id(1).unwrap();
    let officer = graph.node_by_db_id(34).unwrap();
    let before = drawn_colours(&harness, &[hi, officer]);
    assert!(
        distance(before[0], before[1]) <= 12,
        "both are members of the same kind, so one colour: {before:?}"
    );

    view_menu(&mut harness, "Colour by Community");
    assert_eq!(harness.state().node_look().colour_by, ColourBy::Community);
    // The legend lists every community with its size, largest first.
    let reference = reference();
    let their_count = reference["karate"]["louvain_communities"]
        .as_array()
        .unwrap()
        .len();
    assert!(communities.len().abs_diff(their_count) <= 2);
    let mut listed = 0;
    for (index, size) in communities.iter().enumerate() {
        harness.get_by_label(&format!("Community {} ({size})", index + 1));
        listed += size;
    }
    assert_eq!(listed, 34, "every member is in one community");

    let metrics = harness.state().metrics().unwrap();
    assert_ne!(
        metrics.community[hi as usize], metrics.community[officer as usize],
        "the two faction leaders fall in different communities"
    );
    let after = drawn_colours(&harness, &[hi, officer]);
    assert!(
        distance(after[0], after[1]) > 60,
        "different communities, different colours: {after:?}"
    );

    // The entity panel shows networkx's numbers.
    let position = harness.state().node_on_screen(officer).unwrap();
    click_at(&mut harness, position);
    assert_eq!(harness.state().selection(), Some(Hit::Node(officer)));
    let expected = reference["karate"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entity| entity["id"] == 34)
        .unwrap();
    harness.get_by_label(&format!("Degree {}", expected["degree"]));
    harness.get_by_label(&format!(
        "PageRank {:.6}",
        expected["pagerank"].as_f64().unwrap()
    ));
    harness.get_by_label(&format!(
        "Betweenness {:.6}",
        expected["betweenness"].as_f64().unwrap()
    ));
    let community = metrics_community_text(&harness, officer);
    harness.get_by_label(&community);

    // Size by PageRank: the Officer (networkx: 0.259) is drawn bigger than member 2 (0.016).
    view_menu(&mut harness, "Size by PageRank");
    assert_eq!(harness.state().node_look().size_by, SizeBy::PageRank);
    let (frame, _) = harness.state().canvas_frame().unwrap();
    let by_id = |id: i64| graph_node(&harness, id);
    let (big, small) = (by_id(34), by_id(2));
    assert!(frame.node_styles[big as usize].radius > frame.node_styles[small as usize].radius);
    // Hiding the Officer (a view update, built off the UI thread) keeps the
    // colours, sizes and legend chosen.
    let hi_style = frame.node_styles[hi as usize];
    harness.key_press(egui::Key::H);
    harness.run_steps(2);
    step_until(&mut harness, "the view update", |app| {
        !app.is_updating_view()
    });
    assert!(
        harness
            .state()
            .visible_set()
            .is_some_and(|set| set.node(officer) == Shown::Hidden)
    );
    let (frame, _) = harness.state().canvas_frame().unwrap();
    assert_eq!(frame.node_styles[hi as usize].fill, hi_style.fill);
    assert!((frame.node_styles[hi as usize].radius - hi_style.radius).abs() < 1e-6);
    harness.get_by_label(&format!("Community 1 ({})", communities[0]));
    // The choice is part of the view that Save writes.
    let view = harness.state().view_state().unwrap();
    assert_eq!(view.node_look, Some(harness.state().node_look()));
}

fn graph_node(harness: &Harness<'_, LinkscopeApp>, id: i64) -> u32 {
    harness.state().graph().unwrap().node_by_db_id(id).unwrap()
}

fn metrics_community_text(harness: &Harness<'_, LinkscopeApp>, node: u32) -> String {
    let metrics = harness.state().metrics().unwrap();
    let community = metrics.community[node as usize];
    format!(
        "Community {} of {} ({} entities)",
        community + 1,
        metrics.community_sizes.len(),
        metrics.community_sizes[community as usize]
    )
}

/// "Save" in the File menu, not "Save As…".
fn menu_item(text: &'static str) -> egui_kittest::kittest::By<'static> {
    egui_kittest::kittest::By::new()
        .role(egui::accesskit::Role::Button)
        .predicate(move |node| {
            let label = node.label().unwrap_or_default();
            label == text
                || label
                    .strip_prefix(text)
                    .is_some_and(|rest| rest.starts_with(" Ctrl+") || rest.starts_with(" ⌘"))
        })
}

/// Colour by community and size by betweenness, with an entity hidden, are
/// saved with the view and come back on reopening, with the hidden entity's
/// view update and the measures both arriving after the first frame.
#[test]
fn colour_and_size_choices_are_saved_and_come_back() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("karate.sqlite");
    std::fs::copy(karate(), &path).unwrap();
    let mut harness = app_harness(path.clone(), egui::vec2(1100.0, 760.0));
    step_until(
        &mut harness,
        "karate to load, settle and be measured",
        |app| settled(app) && app.metrics().is_some(),
    );
    view_menu(&mut harness, "Colour by Community");
    view_menu(&mut harness, "Size by Betweenness");
    let look = harness.state().node_look();
    let member = graph_node(&harness, 12);
    let position = harness.state().node_on_screen(member).unwrap();
    click_at(&mut harness, position);
    harness.key_press(egui::Key::H);
    harness.run_steps(2);
    step_until(&mut harness, "the view update", |app| {
        !app.is_updating_view()
    });
    let (frame, _) = harness.state().canvas_frame().unwrap();
    let styles = frame.node_styles.to_vec();
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get(menu_item("Save")).click();
    step_until(&mut harness, "the save to finish", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
    drop(harness);

    let mut reopened = app_harness(path, egui::vec2(1100.0, 760.0));
    step_until(
        &mut reopened,
        "the saved file to load and be measured",
        |app| app.graph().is_some() && app.metrics().is_some() && !app.is_updating_view(),
    );
    assert_eq!(reopened.state().node_look(), look);
    let (frame, _) = reopened.state().canvas_frame().unwrap();
    for (node, (now, before)) in frame.node_styles.iter().zip(&styles).enumerate() {
        assert_eq!(now.fill, before.fill, "fill of node {node}");
        assert!(
            (now.radius - before.radius).abs() < 1e-6,
            "radius of node {node}"
        );
    }
    let sizes = reopened.state().metrics().unwrap().community_sizes.clone();
    reopened.get_by_label(&format!("Community 1 ({})", sizes[0]));
}

/// Coloured by community, an export's legend is the window's: the
/// communities with their sizes, not the kinds (the picture matches the
/// screen). Exported as SVG from File ▸ Export…, its legend read as text.
#[test]
fn an_export_coloured_by_community_has_the_communities_legend() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = app_harness(karate(), egui::vec2(1100.0, 760.0));
    step_until(
        &mut harness,
        "karate to load, settle and be measured",
        |app| settled(app) && !app.is_measuring() && app.metrics().is_some(),
    );
    view_menu(&mut harness, "Colour by Community");
    let communities = harness.state().metrics().unwrap().community_sizes.clone();

    crate::ui::click_file_menu_item(&mut harness, "Export…");
    harness.run_steps(3);
    harness.get_by_label("SVG").click();
    harness.run_steps(2);
    harness.get_by_label("Export…").click();
    harness.run_steps(3);
    let out = folder.path().join("communities.svg");
    crate::ui::type_path(&mut harness, &out);
    harness.get_by_label("Export").click();
    step_until(&mut harness, "the export to be written", |app| {
        app.last_export().is_some() && !app.is_exporting()
    });
    let svg = std::fs::read_to_string(harness.state().last_export().unwrap()).unwrap();
    let legend = svg
        .split(r#"<g id="legend">"#)
        .nth(1)
        .and_then(|rest| rest.split("</g>").next())
        .expect("the SVG has a legend");
    for (index, size) in communities.iter().enumerate() {
        let row = format!(">Community {} ({size})</text>", index + 1);
        assert!(legend.contains(&row), "{row} missing from {legend}");
    }
    assert!(
        !legend.contains(">Actor</text>"),
        "the kinds are not the legend when colour is by community: {legend}"
    );
}
