//! What is clicked must be what is drawn, and what is fitted must be whole.
//!
//! The click targets and the hit-test share the CPU geometry, so a test that
//! only clicks proves that the code agrees with itself. These tests render
//! the app's own frame offscreen through the real GPU pipelines, with one
//! item drawn alone (every other node and edge invisible), and check the
//! pixels where the canvas says that item is.

use std::path::PathBuf;
use std::sync::Arc;

use egui::{Color32, ColorImage, Pos2, Rect};
use linkscope::app::LinkscopeApp;
use linkscope::scene::camera::MAX_FIT_NODE_RADIUS_PT;
use linkscope::view::gpu::offscreen::OffscreenRenderer;
use linkscope::view::gpu::{EDGE_DASHED, GraphFrame, NodeStyle, SHAPE_EXTENT, color_to_u32};
use linkscope::view::hit::Hit;

use crate::ui::{app_harness, sample_path, settled, step_until};

/// The offscreen renderer paints this behind the graph.
const BACKGROUND: Color32 = Color32::from_rgb(24, 26, 32);
/// Items drawn alone get this colour, which nothing else on the canvas has.
const SOLO: Color32 = Color32::from_rgb(255, 0, 255);

fn invisible(style: &NodeStyle) -> NodeStyle {
    NodeStyle {
        fill: 0,
        outline: 0,
        ..*style
    }
}

/// The frame with only edge `edge` drawn, opaque: nodes keep their sizes
/// (edges are trimmed at their outlines) but are invisible.
fn edge_alone(frame: &GraphFrame, edge: usize) -> GraphFrame {
    let mut instance = frame.edges[edge];
    instance.color = color_to_u32(SOLO);
    // Solid, so a target that falls in a dash's gap is still checked
    // against the line's geometry.
    instance.flags &= !EDGE_DASHED;
    GraphFrame {
        node_styles: Arc::new(frame.node_styles.iter().map(invisible).collect()),
        edges: Arc::new(vec![instance]),
        styles_generation: frame.styles_generation + 1 + edge as u64,
        edge_alpha: 1.0,
        ..frame.clone()
    }
}

/// The frame with only node `node` drawn, in its own colours.
fn node_alone(frame: &GraphFrame, node: usize) -> GraphFrame {
    let styles = frame
        .node_styles
        .iter()
        .enumerate()
        .map(|(index, style)| {
            if index == node {
                *style
            } else {
                invisible(style)
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

/// The pixel under screen point `screen` of a canvas at `viewport`.
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

/// Non-background pixels of `image`, as a bounding box (min x, min y, max x,
/// max y) in image pixels.
fn drawn_box(image: &ColorImage) -> Option<[usize; 4]> {
    let mut found: Option<[usize; 4]> = None;
    for (index, &pixel) in image.pixels.iter().enumerate() {
        if distance(pixel, BACKGROUND) > 8 {
            let (x, y) = (index % image.size[0], index / image.size[0]);
            let b = found.get_or_insert([x, y, x, y]);
            *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
    }
    found
}

fn renderer_for(viewport: Rect) -> OffscreenRenderer {
    OffscreenRenderer::new(viewport.width() as u32, viewport.height() as u32)
        .expect("lavapipe or a GPU runs the graph shaders")
}

#[test]
fn every_edge_and_node_of_the_sample_is_drawn_where_a_click_picks_it() {
    let (straight, curved, _) = check_click_targets(sample_path());
    assert!(
        straight > 0 && curved >= 2,
        "the sample has straight edges ({straight}) and parallel curves ({curved})"
    );
}

/// The sample has no self-loops; this file has two on one node, beside
/// parallel relations in both directions.
#[test]
fn self_loops_and_parallel_curves_are_drawn_where_a_click_picks_them() {
    let folder = tempfile::tempdir().unwrap();
    let path = chain_file(folder.path(), 6);
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "INSERT INTO relations (subject_id, object_id, kind) VALUES
                 (3, 3, 'self'), (3, 3, 'self again'), (5, 5, 'self'),
                 (2, 1, 'back'), (1, 2, 'again'), (4, 5, 'again'), (5, 4, 'back');",
        )
        .unwrap();
    drop(connection);
    let (straight, curved, loops) = check_click_targets(path);
    assert!(
        straight > 0 && curved >= 4 && loops == 3,
        "straight {straight}, curved {curved}, loops {loops}"
    );
}

/// Checks every edge and node of the file at `path`, once its layout has
/// settled; returns how many straight, curved and self-loop edges it saw.
fn check_click_targets(path: PathBuf) -> (usize, usize, usize) {
    let mut harness = app_harness(path, egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the file to load and settle", settled);
    let (frame, viewport) = harness.state().canvas_frame().unwrap();
    let mut renderer = renderer_for(viewport);
    let graph = harness.state().graph().unwrap();
    let edges: Vec<(u32, bool, String)> = (0..graph.edge_count() as u32)
        .map(|edge| {
            let (source, target) = graph.edge_endpoints(edge);
            let what = format!(
                "edge {edge} ({} {} {}, relation {})",
                graph.node_name(source),
                graph.edge_label(edge),
                graph.node_name(target),
                graph.edge_db_id(edge)
            );
            (edge, source == target, what)
        })
        .collect();
    let nodes: Vec<String> = (0..graph.node_count() as u32)
        .map(|node| format!("node {node} ({})", graph.node_name(node)))
        .collect();
    let app: &mut LinkscopeApp = harness.state_mut();

    let (mut straight, mut curved, mut loops) = (0, 0, 0);
    for (edge, is_loop, what) in edges {
        match (is_loop, frame.edges[edge as usize].bend != 0.0) {
            (true, _) => loops += 1,
            (false, true) => curved += 1,
            (false, false) => straight += 1,
        }
        let click = app
            .edge_click_target(edge)
            .unwrap_or_else(|| panic!("{what}: no point of it picks it"));
        assert!(
            viewport.contains(click),
            "{what}: target {click:?} is off the canvas"
        );
        assert_eq!(
            app.pick_at(click),
            Some(Hit::Edge(edge)),
            "{what}: a click at {click:?}"
        );
        let image = renderer
            .render_image(&edge_alone(&frame, edge as usize))
            .unwrap();
        let drawn = pixel_at(&image, viewport, click);
        assert!(
            distance(drawn, BACKGROUND) > 60,
            "{what}: the click target {click:?} is not on the drawn edge (pixel {drawn:?})"
        );
    }
    for (node, what) in nodes.iter().enumerate() {
        let click = app.node_on_screen(node as u32).unwrap();
        assert_eq!(
            app.pick_at(click),
            Some(Hit::Node(node as u32)),
            "{what}: a click at {click:?}"
        );
        let image = renderer.render_image(&node_alone(&frame, node)).unwrap();
        let [r, g, b, _] = frame.node_styles[node].fill.to_le_bytes();
        let fill = Color32::from_rgb(r, g, b);
        let drawn = pixel_at(&image, viewport, click);
        assert!(
            distance(drawn, fill) <= 12,
            "{what}: the pixel at its click target {click:?} is {drawn:?}, not its fill {fill:?}"
        );
    }
    (straight, curved, loops)
}

/// A graph file of `nodes` entities in a chain (or a lone node), written
/// with plain SQL as another tool would.
fn chain_file(folder: &std::path::Path, nodes: usize) -> PathBuf {
    let path = folder.join(format!("chain-{nodes}.sqlite"));
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "PRAGMA user_version = 1;
             CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
                 description TEXT, date_start TEXT, date_end TEXT, properties TEXT);
             CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL,
                 object_id INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT, date_start TEXT,
                 date_end TEXT, properties TEXT);
             CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT,
                 publisher TEXT, url TEXT, published TEXT, language TEXT, reliability TEXT);
             CREATE TABLE excerpts (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL,
                 text TEXT NOT NULL, locator TEXT, credibility TEXT);
             CREATE TABLE relation_excerpts (relation_id INTEGER NOT NULL,
                 excerpt_id INTEGER NOT NULL, PRIMARY KEY (relation_id, excerpt_id));",
        )
        .unwrap();
    let kinds = ["actor", "organization", "event"];
    for id in 1..=nodes {
        connection
            .execute(
                "INSERT INTO entities (id, kind, name) VALUES (?1, ?2, ?3)",
                rusqlite::params![id as i64, kinds[id % 3], format!("Entity number {id}")],
            )
            .unwrap();
        if id > 1 {
            connection
                .execute(
                    "INSERT INTO relations (subject_id, object_id, kind) VALUES (?1, ?2, 'knows')",
                    rusqlite::params![id as i64 - 1, id as i64],
                )
                .unwrap();
        }
    }
    path
}

/// After fit, every node of a 1-, 2-, 3- and 27-node graph lies wholly
/// inside the canvas, no bigger than the fit's maximum: measured on the
/// pixels each node covers when drawn alone.
#[test]
fn fitted_graphs_of_any_size_show_every_node_whole_and_not_huge() {
    let folder = tempfile::tempdir().unwrap();
    let files = [1, 2, 3]
        .map(|nodes| (nodes, chain_file(folder.path(), nodes)))
        .into_iter()
        .chain([(27, sample_path())]);
    for (nodes, path) in files {
        let mut harness = app_harness(path, egui::vec2(900.0, 600.0));
        step_until(&mut harness, "the file to load and settle", settled);
        let app = harness.state();
        assert_eq!(app.graph().unwrap().node_count(), nodes);
        let (frame, viewport) = app.canvas_frame().unwrap();
        let mut renderer = renderer_for(viewport);
        // The widest a node may be drawn: its shape at the maximum radius,
        // plus the anti-aliased fringe.
        let widest = 2.0 * MAX_FIT_NODE_RADIUS_PT * SHAPE_EXTENT + 3.0;
        for node in 0..nodes {
            let image = renderer.render_image(&node_alone(&frame, node)).unwrap();
            let [x0, y0, x1, y1] = drawn_box(&image)
                .unwrap_or_else(|| panic!("{nodes}-node graph: node {node} is not drawn at all"));
            let (width, height) = (image.size[0], image.size[1]);
            assert!(
                x0 > 0 && y0 > 0 && x1 < width - 1 && y1 < height - 1,
                "{nodes}-node graph: node {node} is cut by the canvas edge: {:?} in {width}×{height}",
                [x0, y0, x1, y1]
            );
            let size = (x1 - x0 + 1).max(y1 - y0 + 1) as f32;
            assert!(
                size <= widest,
                "{nodes}-node graph: node {node} is drawn {size} px wide (at most {widest})"
            );
        }
    }
}
