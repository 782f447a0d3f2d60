//! The window's picture where the adapter cannot run the graph shaders
//! (OpenGL): the graph drawn on the CPU (`view::cpu_drawing`), on a worker
//! thread, for a 1280 × 760 canvas at 1×, for the bundled sample and a
//! generated 10k-node / 50k-edge graph:
//! - the full picture (still), and the low-detail one (moving, big graphs);
//! - a hover's highlights drawn over a copy of the kept picture (the graph
//!   under them unchanged);
//! - for comparison, the UI thread's part of drawing the same graph as egui
//!   shapes instead (a line per edge, a disc per node, without arrowheads,
//!   curves or dashes, then tessellated), before the GL driver rasterises
//!   the triangles: the approach not taken.
//!
//! `cargo bench --bench cpu_drawing`

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::epaint::ClippedShape;
use egui::{Color32, Rect, Shape, Stroke, pos2, vec2};
use linkscope::layout::{Layout, LayoutSettings};
use linkscope::model::Graph;
use linkscope::scene::GraphScene;
use linkscope::scene::camera::fit_camera;
use linkscope::store::{GenerateOptions, LoadProgress, generate_graph_file, load_graph};
use linkscope::view::canvas::Positions;
use linkscope::view::frame::graph_frame;
use linkscope::view::gpu::software::{self, SoftwareView};
use linkscope::view::gpu::{EdgeInstance, NodeStyle, color_to_u32};

fn load(path: &Path) -> Graph {
    load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .expect("load the bench graph")
    .graph
}

fn laid_out(graph: &Graph, iterations: usize) -> Vec<[f32; 2]> {
    let mut layout = Layout::new(
        graph.node_count(),
        &graph.edge_pairs(),
        LayoutSettings::default(),
    );
    for _ in 0..iterations {
        layout.step();
    }
    let mut positions = Vec::new();
    layout.copy_positions_into(&mut positions);
    positions
}

fn cpu_drawing(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let generated = folder.path().join("g.sqlite");
    generate_graph_file(
        &generated,
        &GenerateOptions {
            nodes: 10_000,
            edges: 50_000,
            ..GenerateOptions::default()
        },
    )
    .expect("generate the bench graph");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite");
    let viewport = Rect::from_min_size(pos2(0.0, 24.0), vec2(1280.0, 760.0));
    let mut group = c.benchmark_group("cpu_drawing");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    for (name, path) in [("sample", sample.as_path()), ("10k/50k", &generated)] {
        let graph = load(path);
        let scene = GraphScene::build(&graph, 1);
        let positions = Positions {
            points: Arc::new(laid_out(&graph, 100)),
            generation: 1,
        };
        let camera = fit_camera(scene.world_bounds(&positions.points), viewport);
        let mut frame = graph_frame(&scene, &positions, camera, viewport);
        frame.background = Some(Color32::from_rgb(24, 26, 32));
        let view = SoftwareView {
            camera,
            center_px: [viewport.width() * 0.5, viewport.height() * 0.5],
            pixels_per_point: 1.0,
            size: [viewport.width() as u32, viewport.height() as u32],
        };
        group.bench_function(format!("full picture, {name}"), |b| {
            b.iter(|| black_box(software::draw(&frame, &view)));
        });
        group.bench_function(format!("low-detail picture, {name}"), |b| {
            b.iter(|| black_box(software::draw_low_detail(&frame, &view)));
        });
        // A hovered hub: its relations and itself, highlighted.
        let hub = scene.label_order.first().copied().unwrap_or(0);
        let highlight = color_to_u32(Color32::from_rgb(255, 210, 60));
        let mut hovered = frame.clone();
        hovered.overlay_edges = Arc::new(
            scene
                .edges
                .iter()
                .filter(|edge| edge.source == hub || edge.target == hub)
                .map(|edge| EdgeInstance {
                    color: highlight,
                    ..*edge
                })
                .collect(),
        );
        hovered.overlay_nodes = Arc::new(vec![(
            hub,
            NodeStyle {
                outline: highlight,
                ..scene.node_styles[hub as usize]
            },
        )]);
        let kept = software::draw(&frame, &view);
        group.bench_function(format!("highlights over the kept picture, {name}"), |b| {
            b.iter(|| {
                let mut pixels = kept.clone();
                software::draw_highlights(&hovered, &view, &mut pixels);
                black_box(pixels)
            });
        });

        let ctx = egui::Context::default();
        // Fonts are set up by a first pass.
        let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
        group.bench_function(format!("as egui shapes, tessellated, {name}"), |b| {
            b.iter(|| {
                let at =
                    |node: u32| camera.screen_from_world(viewport, positions.points[node as usize]);
                let mut shapes: Vec<ClippedShape> =
                    Vec::with_capacity(scene.edges.len() + scene.node_styles.len());
                for edge in scene.edges.iter() {
                    let color = Color32::from_rgba_premultiplied(150, 160, 180, 200);
                    shapes.push(ClippedShape {
                        clip_rect: viewport,
                        transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
                        shape: Shape::line_segment(
                            [at(edge.source), at(edge.target)],
                            Stroke::new(1.0, color),
                        ),
                    });
                }
                for (node, style) in scene.node_styles.iter().enumerate() {
                    let [red, green, blue, alpha] = style.fill.to_le_bytes();
                    shapes.push(ClippedShape {
                        clip_rect: viewport,
                        transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
                        shape: Shape::circle_filled(
                            at(node as u32),
                            (style.radius * camera.zoom).max(2.0),
                            Color32::from_rgba_premultiplied(red, green, blue, alpha),
                        ),
                    });
                }
                black_box(ctx.tessellate(shapes, 1.0))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, cpu_drawing);
criterion_main!(benches);
