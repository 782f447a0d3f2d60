//! Exports of big graphs on a software rasteriser draw the graph on the CPU
//! (`view::gpu::software`), everything else through egui on the GPU. The
//! CPU picture must be the GPU's: these tests draw the same draw list both
//! ways through the real offscreen renderer and compare the pixels, on a
//! frame made to hold every kind of primitive and on a real network file.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use egui::{Color32, ColorImage, vec2};
use linkscope::export::picture::{PictureSource, PictureStyle, picture_draw_list};
use linkscope::model::Graph;
use linkscope::scene::GraphScene;
use linkscope::scene::draw_list::DrawList;
use linkscope::scene::edge_style::EvidenceMode;
use linkscope::scene::theme::Theme;
use linkscope::store::{LoadProgress, load_graph};
use linkscope::view::gpu::offscreen::{GraphDrawing, OffscreenRenderer};
use linkscope::view::gpu::{
    Camera, EDGE_ARROW, EDGE_DASHED, EdgeInstance, GraphFrame, NodeShape, NodeStyle, RenderQuality,
    color_to_u32,
};

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn load(path: &str) -> Graph {
    load_graph(
        &fixture(path),
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap()
    .graph
}

/// How far two pictures of the same size are apart: the share of pixels
/// where some channel differs by more than `tolerance`, and the mean
/// difference per channel.
fn difference(a: &ColorImage, b: &ColorImage, tolerance: u8) -> (f64, f64) {
    assert_eq!(a.size, b.size);
    let mut differing = 0usize;
    let mut total = 0u64;
    for (p, q) in a.pixels.iter().zip(&b.pixels) {
        let channels = p.to_array().into_iter().zip(q.to_array());
        let mut worst = 0u8;
        for (x, y) in channels {
            let d = x.abs_diff(y);
            worst = worst.max(d);
            total += u64::from(d);
        }
        differing += usize::from(worst > tolerance);
    }
    let pixels = a.pixels.len() as f64;
    (differing as f64 / pixels, total as f64 / (pixels * 4.0))
}

/// Pixels that are not `background`, so a blank picture can't pass.
fn drawn(image: &ColorImage, background: Color32) -> usize {
    image.pixels.iter().filter(|&&p| p != background).count()
}

/// The list drawn with the graph on the GPU and on the CPU, each by a
/// fresh renderer, as an export draws it.
fn both_ways(list: &DrawList<'_>, scale: f32) -> (ColorImage, ColorImage) {
    let size = list.viewport.size() * scale;
    let draw = |drawing| {
        OffscreenRenderer::new(size.x.round() as u32, size.y.round() as u32)
            .expect("an adapter (lavapipe in CI)")
            .render_draw_list_with(list, scale, drawing)
            .unwrap()
    };
    (draw(GraphDrawing::Gpu), draw(GraphDrawing::Cpu))
}

/// Asserts the two pictures agree: anti-aliased fringes may round
/// differently, nothing else may differ. (Measured: under 0.001% of pixels
/// beyond 16 levels, a mean difference of 0.006–0.025 levels.)
fn assert_close(gpu: &ColorImage, cpu: &ColorImage, what: &str) {
    // DUMP_PICTURES=FOLDER writes both pictures there, to look at.
    if let Some(folder) = std::env::var_os("DUMP_PICTURES") {
        for (name, image) in [("gpu", gpu), ("cpu", cpu)] {
            let bytes: Vec<u8> = image
                .pixels
                .iter()
                .flat_map(egui::Color32::to_array)
                .collect();
            let path = PathBuf::from(&folder).join(format!("{what}-{name}.png"));
            image::save_buffer(
                path,
                &bytes,
                image.size[0] as u32,
                image.size[1] as u32,
                image::ColorType::Rgba8,
            )
            .unwrap();
        }
    }
    let (share, mean) = difference(gpu, cpu, 16);
    assert!(
        share < 0.001 && mean < 0.1,
        "{what}: {:.3}% of pixels differ by more than 16, mean difference {mean:.3}",
        share * 100.0
    );
}

/// Every primitive the renderer has: the four node shapes with outlines,
/// tiny and big nodes, straight edges at many angles and widths (thinner
/// than a pixel too), curves both ways, self-loops, dashes, arrowheads,
/// hidden items, and highlights on top.
fn every_primitive() -> GraphFrame {
    let shapes = [
        NodeShape::Circle,
        NodeShape::RoundedSquare,
        NodeShape::Diamond,
        NodeShape::Triangle,
    ];
    let mut positions = Vec::new();
    let mut styles = Vec::new();
    // A ring of 24 nodes around a hub, and a few big ones.
    positions.push([0.0, 0.0]);
    styles.push(NodeStyle {
        radius: 14.0,
        fill: color_to_u32(Color32::from_rgb(70, 130, 230)),
        outline: color_to_u32(Color32::from_gray(235)),
        shape: NodeShape::Triangle as u32,
    });
    for index in 0..24 {
        let angle = index as f32 / 24.0 * std::f32::consts::TAU + 0.05;
        let distance = if index % 2 == 0 { 150.0 } else { 95.0 };
        positions.push([angle.cos() * distance, angle.sin() * distance * 0.8]);
        styles.push(NodeStyle {
            radius: [1.0, 4.0, 7.0, 11.0][index % 4],
            fill: color_to_u32(Color32::from_rgb(
                200,
                (40 + index * 8) as u8,
                (250 - index * 9) as u8,
            )),
            outline: color_to_u32(Color32::from_rgb(20, 20, 24)),
            shape: shapes[index % 4] as u32,
        });
    }
    let color = |index: usize| {
        if index.is_multiple_of(3) {
            Color32::from_rgba_premultiplied(150, 150, 150, 180)
        } else {
            Color32::from_rgb(180, 190, 210)
        }
    };
    let mut edges = Vec::new();
    for index in 1..=24u32 {
        let i = index as usize;
        edges.push(EdgeInstance {
            source: 0,
            target: index,
            bend: 0.0,
            width_px: [0.4, 1.0, 1.5, 3.0][i % 4],
            color: color_to_u32(color(i)),
            flags: EDGE_ARROW | if i.is_multiple_of(5) { EDGE_DASHED } else { 0 },
        });
        let next = index % 24 + 1;
        edges.push(EdgeInstance {
            source: index,
            target: next,
            bend: if i.is_multiple_of(2) { 18.0 } else { -12.0 },
            width_px: 1.2,
            color: color_to_u32(Color32::from_rgb(230, 190, 90)),
            flags: EDGE_ARROW | if i.is_multiple_of(3) { EDGE_DASHED } else { 0 },
        });
    }
    for node in [0u32, 3, 8] {
        edges.push(EdgeInstance {
            source: node,
            target: node,
            bend: 0.0,
            width_px: 1.5,
            color: color_to_u32(Color32::from_rgb(120, 220, 140)),
            flags: EDGE_ARROW,
        });
    }
    // Hidden (alpha 0): drawn by neither.
    edges.push(EdgeInstance {
        source: 2,
        target: 14,
        bend: 0.0,
        width_px: 4.0,
        color: 0,
        flags: EDGE_ARROW,
    });
    GraphFrame {
        positions: Arc::new(positions),
        positions_generation: 1,
        node_styles: Arc::new(styles),
        edges: Arc::new(edges),
        styles_generation: 1,
        overlay_edges: Arc::new(vec![EdgeInstance {
            source: 0,
            target: 5,
            bend: 0.0,
            width_px: 3.0,
            color: color_to_u32(Color32::from_rgb(255, 200, 0)),
            flags: EDGE_ARROW,
        }]),
        overlay_nodes: Arc::new(vec![(
            5,
            NodeStyle {
                radius: 9.0,
                fill: color_to_u32(Color32::from_rgb(255, 200, 0)),
                outline: color_to_u32(Color32::WHITE),
                shape: NodeShape::Circle as u32,
            },
        )]),
        camera: Camera {
            center_world: [3.0, -2.0],
            zoom: 1.3,
        },
        background_dim: false,
        background: None,
        quality: RenderQuality::Full,
        // Faded, as dense graphs are (highlights are not).
        edge_alpha: 0.5,
    }
}

#[test]
fn the_cpu_draws_every_primitive_as_the_gpu_does() {
    for theme in [Theme::Dark, Theme::Light] {
        let list = DrawList {
            viewport: egui::Rect::from_min_size(egui::Pos2::ZERO, vec2(420.0, 300.0)),
            theme,
            background: true,
            graph: every_primitive(),
            labels: Vec::new(),
            legend: false,
            node_legend: None,
            evidence: EvidenceMode::Overlay,
            disputed: false,
            title: Some("Every primitive".to_owned()),
            footer: vec!["Sources: none".to_owned()],
        };
        let background = theme.palette().background;
        for scale in [1.0, 2.0] {
            let (gpu, cpu) = both_ways(&list, scale);
            let lit = drawn(&gpu, background);
            assert!(lit > gpu.pixels.len() / 20, "the GPU drew {lit} pixels");
            assert_close(&gpu, &cpu, &format!("{} theme at {scale}×", theme.name()));
        }
    }
    // Transparent: the background stays clear in both.
    let list = DrawList {
        viewport: egui::Rect::from_min_size(egui::Pos2::ZERO, vec2(420.0, 300.0)),
        theme: Theme::Dark,
        background: false,
        graph: every_primitive(),
        labels: Vec::new(),
        legend: true,
        node_legend: None,
        evidence: EvidenceMode::Quiet,
        // The legend's row for disputed relations, drawn both ways too.
        disputed: true,
        title: None,
        footer: Vec::new(),
    };
    let (gpu, cpu) = both_ways(&list, 1.0);
    assert_eq!(cpu.pixels[0], Color32::TRANSPARENT);
    assert_close(&gpu, &cpu, "transparent");
}

/// Les Misérables (a real network, in a real file) as an export draws it:
/// the app's own styles, labels, legend and footer, on positions spread
/// over the picture.
#[test]
fn the_cpu_draws_a_real_network_as_the_gpu_does() {
    let graph = load("tests/fixtures/trace/lesmis.sqlite");
    let scene = GraphScene::build(&graph, 1);
    // A sunflower spiral: every node apart, edges at every angle and length.
    let positions: Vec<[f32; 2]> = (0..graph.node_count())
        .map(|node| {
            let radius = 12.0 * (node as f32 + 0.5).sqrt();
            let angle = node as f32 * 2.399_963;
            [radius * angle.cos(), radius * angle.sin()]
        })
        .collect();
    let source = PictureSource {
        graph: &graph,
        scene: &scene,
        positions: Arc::new(positions),
        camera: None,
        overlay_edges: Arc::default(),
        overlay_nodes: Arc::default(),
    };
    let style = PictureStyle {
        title: Some("Les Misérables".to_owned()),
        ..PictureStyle::default()
    };
    let list = picture_draw_list(
        &source,
        vec2(640.0, 480.0),
        &style,
        vec!["Sources: test".to_owned()],
    );
    assert!(!list.labels.is_empty(), "the export labels some nodes");
    for scale in [1.0, 2.0] {
        let (gpu, cpu) = both_ways(&list, scale);
        assert!(drawn(&gpu, Theme::Dark.palette().background) > gpu.pixels.len() / 50);
        assert_close(&gpu, &cpu, &format!("lesmis at {scale}×"));
    }
}

/// A dense generated graph (6,000 relations, a quarter unsupported) in the
/// light theme, its edges faded with density as a hairball's are, labelled.
#[test]
fn the_cpu_draws_a_dense_faded_graph_as_the_gpu_does() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("dense.sqlite");
    linkscope::store::generate_graph_file(
        &path,
        &linkscope::store::GenerateOptions {
            nodes: 300,
            edges: 6_000,
            seed: 11,
            supported_fraction: 0.75,
            ..linkscope::store::GenerateOptions::default()
        },
    )
    .unwrap();
    let graph = load(path.to_str().unwrap());
    let positions: Vec<[f32; 2]> = (0..graph.node_count())
        .map(|node| {
            let radius = 12.0 * (node as f32 + 0.5).sqrt();
            let angle = node as f32 * 2.399_963;
            [radius * angle.cos(), radius * angle.sin()]
        })
        .collect();
    for theme in [Theme::Light, Theme::Dark] {
        let scene = GraphScene::build(&graph, 1).recolored(theme, 2);
        let source = PictureSource {
            graph: &graph,
            scene: &scene,
            positions: Arc::new(positions.clone()),
            camera: None,
            overlay_edges: Arc::default(),
            overlay_nodes: Arc::default(),
        };
        let style = PictureStyle {
            theme,
            ..PictureStyle::default()
        };
        let list = picture_draw_list(&source, vec2(480.0, 360.0), &style, Vec::new());
        assert!(list.graph.edge_alpha < 0.9, "{}", list.graph.edge_alpha);
        let (gpu, cpu) = both_ways(&list, 1.0);
        assert_close(&gpu, &cpu, &format!("dense, {} theme", theme.name()));
    }
}
