//! Nodes are readable at fit whatever the graph's size: measured on the
//! pixels the real renderer draws for a sample of nodes, each drawn alone,
//! and clicked where their drawn shape is.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Color32, ColorImage, Rect};
use linkscope::app::LinkscopeApp;
use linkscope::store::{GenerateOptions, generate_graph_file};
use linkscope::view::gpu::offscreen::OffscreenRenderer;
use linkscope::view::gpu::{GraphFrame, NodeShape, NodeStyle, color_to_u32};
use linkscope::view::hit::Hit;

use crate::ui::{app_harness, sample_path, settled, step_until};

const WINDOW: egui::Vec2 = egui::vec2(1280.0, 820.0);
const SOLO: Color32 = Color32::from_rgb(255, 0, 255);
/// Nodes measured per graph: enough for a steady median.
const SAMPLED_NODES: usize = 41;

fn generated(folder: &Path, nodes: usize, edges: usize, communities: usize) -> PathBuf {
    let path = folder.join(format!("g-{nodes}.sqlite"));
    generate_graph_file(
        &path,
        &GenerateOptions {
            nodes,
            edges,
            seed: 11,
            communities,
            mixing: 0.1,
            ..GenerateOptions::default()
        },
    )
    .unwrap();
    path
}

/// The frame with only `node` drawn, in one colour nothing else has.
fn node_alone(frame: &GraphFrame, node: usize) -> GraphFrame {
    let styles = frame
        .node_styles
        .iter()
        .enumerate()
        .map(|(index, style)| NodeStyle {
            fill: if index == node { color_to_u32(SOLO) } else { 0 },
            outline: if index == node { color_to_u32(SOLO) } else { 0 },
            ..*style
        })
        .collect();
    GraphFrame {
        node_styles: Arc::new(styles),
        edges: Arc::new(Vec::new()),
        styles_generation: frame.styles_generation + 1_000_000 + node as u64,
        ..frame.clone()
    }
}

fn is_drawn(pixel: Color32) -> bool {
    let [r, g, b, _] = pixel.to_array();
    r > 200 && b > 200 && g < 60
}

/// The drawn pixels' box (min x, min y, max x, max y), in image pixels.
fn drawn_box(image: &ColorImage) -> Option<[usize; 4]> {
    let mut found: Option<[usize; 4]> = None;
    for (index, &pixel) in image.pixels.iter().enumerate() {
        if is_drawn(pixel) {
            let (x, y) = (index % image.size[0], index / image.size[0]);
            let b = found.get_or_insert([x, y, x, y]);
            *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
    }
    found
}

/// What was measured of one graph at fit.
struct Measured {
    /// Median of the sampled nodes' drawn width (pixels).
    median_diameter: f32,
    /// Sampled nodes whose drawn rim, clicked, picks them (or a node nearer).
    rim_hits: usize,
    /// Sampled nodes that were drawn at all.
    checked: usize,
}

/// Opens `path` at the default window size, waits for its layout to settle
/// at fit, and measures a spread of its nodes on the rendered pixels.
fn measure(path: PathBuf) -> Measured {
    let mut harness = app_harness(path, WINDOW);
    step_until(&mut harness, "the file to load and settle", settled);
    let (frame, viewport) = harness.state().canvas_frame().unwrap();
    let mut renderer =
        OffscreenRenderer::new(viewport.width() as u32, viewport.height() as u32).unwrap();
    let count = frame.node_styles.len();
    let sampled: Vec<usize> = (0..SAMPLED_NODES.min(count))
        .map(|i| i * count / SAMPLED_NODES.min(count))
        .collect();
    let app: &mut LinkscopeApp = harness.state_mut();
    let mut diameters = Vec::new();
    let mut rim_hits = 0;
    let mut checked = 0;
    for &node in &sampled {
        let image = renderer.render_image(&node_alone(&frame, node)).unwrap();
        let Some([x0, y0, x1, y1]) = drawn_box(&image) else {
            diameters.push(0.0);
            continue;
        };
        diameters.push((x1 - x0 + 1).max(y1 - y0 + 1) as f32);
        // A click on the drawn shape's edge, halfway out along its middle
        // row beyond the centre, picks it: hit-testing follows the drawn size.
        let row = usize::midpoint(y0, y1);
        let right = (x0..=x1)
            .rev()
            .find(|&x| is_drawn(image.pixels[row * image.size[0] + x]))
            .unwrap();
        let centre = app.node_on_screen(node as u32).unwrap();
        let rim = screen_of(viewport, right, row);
        checked += 1;
        let click = egui::pos2(
            f32::midpoint(centre.x, rim.x) + (rim.x - centre.x) * 0.4,
            rim.y,
        );
        // The nearest centre wins where nodes overlap: a click that picks
        // another node nearer to it is right too.
        let distance_to = |app: &LinkscopeApp, other: u32| {
            app.node_on_screen(other)
                .map_or(f32::INFINITY, |at| at.distance(click))
        };
        let picked = app.pick_at(click);
        let right = match picked {
            Some(Hit::Node(other)) => {
                other == node as u32 || distance_to(app, other) < distance_to(app, node as u32)
            }
            _ => false,
        };
        if right {
            rim_hits += 1;
        }
    }
    diameters.sort_by(f32::total_cmp);
    Measured {
        median_diameter: diameters[diameters.len() / 2],
        rim_hits,
        checked,
    }
}

fn screen_of(viewport: Rect, x: usize, y: usize) -> egui::Pos2 {
    egui::pos2(
        viewport.min.x + x as f32 + 0.5,
        viewport.min.y + y as f32 + 0.5,
    )
}

#[test]
fn nodes_are_at_least_eight_pixels_across_at_fit_on_small_and_mid_sized_graphs() {
    let folder = tempfile::tempdir().unwrap();
    let graphs = [
        ("the sample (27 entities)", sample_path()),
        ("113 entities", generated(folder.path(), 113, 260, 6)),
        ("1,589 entities", generated(folder.path(), 1589, 2742, 40)),
    ];
    for (what, path) in graphs {
        let measured = measure(path);
        assert!(
            measured.median_diameter >= 8.0,
            "{what}: the median node is {} px across at fit",
            measured.median_diameter
        );
        assert!(
            measured.checked > 0 && measured.rim_hits == measured.checked,
            "{what}: {} of {} nodes picked by a click near their drawn rim",
            measured.rim_hits,
            measured.checked
        );
    }
}

#[test]
fn nodes_are_at_least_three_pixels_across_at_fit_on_forty_thousand() {
    let folder = tempfile::tempdir().unwrap();
    let measured = measure(generated(folder.path(), 40_000, 80_000, 0));
    assert!(
        measured.median_diameter >= 3.0,
        "the median node is {} px across at fit",
        measured.median_diameter
    );
}

/// At the smallest size fit gives a typical node, the kinds' shapes still
/// differ: each covers its own set of pixels, and no two sets are nearly
/// the same.
#[test]
fn every_kind_shape_is_told_apart_at_the_minimum_fit_size() {
    use linkscope::scene::node_scale::MIN_FIT_RADIUS_PT;
    let shapes = [
        NodeShape::Circle,
        NodeShape::RoundedSquare,
        NodeShape::Diamond,
        NodeShape::Triangle,
    ];
    let mut renderer = OffscreenRenderer::new(64, 64).unwrap();
    let masks: Vec<Vec<bool>> = shapes
        .iter()
        .map(|&shape| {
            let frame = GraphFrame {
                positions: Arc::new(vec![[0.0, 0.0]]),
                positions_generation: 1,
                node_styles: Arc::new(vec![NodeStyle {
                    radius: MIN_FIT_RADIUS_PT,
                    fill: color_to_u32(SOLO),
                    outline: color_to_u32(SOLO),
                    shape: shape as u32,
                }]),
                edges: Arc::default(),
                styles_generation: 1 + shape as u64,
                overlay_edges: Arc::default(),
                overlay_nodes: Arc::default(),
                camera: linkscope::view::gpu::Camera {
                    center_world: [0.0, 0.0],
                    zoom: 1.0,
                },
                background_dim: false,
                edge_alpha: 1.0,
                background: None,
                quality: linkscope::view::gpu::RenderQuality::Full,
            };
            let image = renderer.render_image(&frame).unwrap();
            assert_eq!(image.size, [64, 64]);
            image.pixels.iter().map(|&pixel| is_drawn(pixel)).collect()
        })
        .collect();
    for (i, a) in masks.iter().enumerate() {
        let area = a.iter().filter(|&&on| on).count();
        assert!(area >= 20, "{:?} covers only {area} pixels", shapes[i]);
        for (j, b) in masks.iter().enumerate().skip(i + 1) {
            let differ = a.iter().zip(b).filter(|(x, y)| x != y).count();
            assert!(
                differ * 100 >= area * 12,
                "{:?} and {:?} differ in only {differ} of about {area} pixels",
                shapes[i],
                shapes[j]
            );
        }
    }
}
