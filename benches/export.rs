//! Picture exports of a 100k-node / 500k-edge graph on a software
//! rasteriser, 1600 × 1000 points:
//! - the whole export as File ▸ Export runs it with the dialog's defaults
//!   (light theme, legend, citations) at 4×: the draw list, the graph
//!   drawn on the CPU, labels, legend and footer through wgpu (lavapipe
//!   here) on top, the sources cited, PNG encoding with provenance;
//! - the graph drawn on the CPU (`view::gpu::software`) alone, at 1× and
//!   4×. (The renderer keeps the last CPU picture for an unchanged scene,
//!   so this times a fresh draw each time, not that copy.)
//!
//! `cargo bench --bench export`

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use linkscope::export::picture::{
    ExportRequest, ExportTarget, PictureFormat, PictureSource, PictureStyle, export_picture,
    picture_draw_list,
};
use linkscope::layout::{Layout, LayoutSettings};
use linkscope::scene::GraphScene;
use linkscope::scene::theme::Theme;
use linkscope::store::{GenerateOptions, LoadProgress, generate_graph_file, load_graph};
use linkscope::view::gpu::software::{self, SoftwareView};

const NODES: usize = 100_000;
const EDGES: usize = 500_000;

fn exporting(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("g.sqlite");
    generate_graph_file(
        &path,
        &GenerateOptions {
            nodes: NODES,
            edges: EDGES,
            ..GenerateOptions::default()
        },
    )
    .expect("generate the bench graph");
    bench_file(c, &path);
}

fn bench_file(c: &mut Criterion, path: &Path) {
    let graph = load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .expect("load the bench graph")
    .graph;
    // Positions after 50 iterations, as `linkscope render --iterations 50`.
    let mut layout = Layout::new(
        graph.node_count(),
        &graph.edge_pairs(),
        LayoutSettings::default(),
    );
    for _ in 0..50 {
        layout.step();
    }
    let mut positions = Vec::new();
    layout.copy_positions_into(&mut positions);
    let scene = GraphScene::build(&graph, 1);
    let positions = Arc::new(positions);
    let graph = Arc::new(graph);
    let out = tempfile::tempdir().expect("a temporary folder");
    let request = ExportRequest {
        graph: Arc::clone(&graph),
        scene: scene.clone(),
        scene_theme: Theme::Dark,
        positions: Arc::clone(&positions),
        camera: None,
        overlay_edges: Arc::default(),
        overlay_nodes: Arc::default(),
        size: egui::vec2(1600.0, 1000.0),
        scale: 4.0,
        style: PictureStyle {
            theme: Theme::Light,
            title: Some("Bench".to_owned()),
            legend: true,
            citations: true,
            ..PictureStyle::default()
        },
        target: ExportTarget::File(out.path().join("export.png"), PictureFormat::Png),
        file: path.to_path_buf(),
        read_path: path.to_path_buf(),
        view: linkscope::store::ViewState::default(),
    };
    {
        let mut group = c.benchmark_group("export");
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(60));
        group.bench_function("PNG at 4x as File > Export, 100k/500k", |b| {
            b.iter(|| export_picture(&request).expect("the export"));
        });
        group.finish();
    }

    let source = PictureSource {
        graph: &graph,
        scene: &scene,
        positions,
        camera: None,
        overlay_edges: Arc::default(),
        overlay_nodes: Arc::default(),
    };
    let size = egui::vec2(1600.0, 1000.0);
    let list = picture_draw_list(&source, size, &PictureStyle::default(), Vec::new());
    let mut frame = list.graph.clone();
    frame.background = Some(list.palette().background);

    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    for scale in [1.0f32, 4.0] {
        let view = SoftwareView {
            camera: frame.camera,
            center_px: [size.x * 0.5 * scale, size.y * 0.5 * scale],
            pixels_per_point: scale,
            size: [(size.x * scale) as u32, (size.y * scale) as u32],
        };
        group.bench_function(format!("graph on the CPU at {scale}x, 100k/500k"), |b| {
            b.iter(|| software::draw(&frame, &view));
        });
    }
    group.finish();
}

criterion_group!(benches, exporting);
criterion_main!(benches);
