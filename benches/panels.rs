//! The CPU cost of one frame of the details panel (egui's pass and its
//! tessellation, as the window pays them), on the sample's Zhirnov–Haqqani
//! relation and on the same relation in a copy of the sample whose excerpt
//! is 28 MiB and whose entity names are 4 KiB (the oversized values of
//! `tests/integration/oversize.rs`, cut on reading to 1 MiB and 4 KiB).
//! Issue 18 §3: the oversized frame costs no more than twice the sample's.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, criterion_group, criterion_main};
use linkscope::model::Graph;
use linkscope::store::{DetailsReader, LoadProgress, RelationDetails, load_graph};

/// The sample's "Dmitry Zhirnov met in Kabul with Sirajuddin Haqqani".
const MEETING: i64 = 3;
/// The oversized excerpt and names of the oversized-value test.
const BIG_EXCERPT_BYTES: u64 = 28 * 1024 * 1024;
const BIG_NAME_BYTES: u64 = 4 * 1024;

fn sample() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite")
}

/// A copy of the sample with the meeting's first excerpt and both ends'
/// names oversized.
fn oversized(folder: &Path) -> std::path::PathBuf {
    let path = folder.join("oversized.sqlite");
    std::fs::copy(sample(), &path).expect("copy the sample");
    #[expect(
        clippy::disallowed_methods,
        reason = "the bench writes its own copy of the sample"
    )]
    let connection = rusqlite::Connection::open(&path).expect("open the copy");
    // 'xy' then '€' (3 bytes) repeated: no limit falls on a character.
    let repeat = |bytes: u64| format!("'xy' || replace(hex(zeroblob({})), '00', '€ ')", bytes / 4);
    connection
        .execute_batch(&format!(
            "UPDATE excerpts SET text = {} WHERE id = (SELECT min(excerpt_id) FROM relation_excerpts WHERE relation_id = {MEETING});
             UPDATE entities SET name = {} WHERE id IN (SELECT subject_id FROM relations WHERE id = {MEETING} UNION SELECT object_id FROM relations WHERE id = {MEETING});",
            repeat(BIG_EXCERPT_BYTES),
            repeat(BIG_NAME_BYTES),
        ))
        .expect("write the oversized values");
    path
}

fn read(path: &Path) -> (Graph, u32, RelationDetails) {
    let graph = load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .expect("load")
    .graph;
    let edge = (0..graph.edge_count() as u32)
        .find(|&edge| graph.edge_db_id(edge) == MEETING)
        .expect("the meeting");
    let relation = DetailsReader::open(path)
        .expect("details")
        .relation(MEETING)
        .expect("read")
        .expect("the relation");
    (graph, edge, relation)
}

/// One frame of the panel in a dock-sized window: egui's pass, then the
/// tessellation of what it drew.
fn frame(ctx: &egui::Context, graph: &Graph, edge: u32, relation: &RelationDetails) -> usize {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(360.0, 800.0),
        )),
        ..egui::RawInput::default()
    };
    let output = ctx.run_ui(input, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            black_box(linkscope::view::panels::evidence_panel_ui(
                ui, graph, edge, relation,
            ));
        });
    });
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

fn panel_frames(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("temp folder");
    let mut group = c.benchmark_group("details panel frame");
    for (name, path) in [
        ("sample relation", sample()),
        ("28 MiB excerpt, 4 KiB names", oversized(folder.path())),
    ] {
        let (graph, edge, relation) = read(&path);
        let ctx = egui::Context::default();
        // The first frames lay out and cache; the bench measures the frames
        // a still panel costs, as the window repaints it.
        for _ in 0..3 {
            frame(&ctx, &graph, edge, &relation);
        }
        group.bench_function(name, |b| b.iter(|| frame(&ctx, &graph, edge, &relation)));
    }
    group.finish();
}

criterion_group!(benches, panel_frames);
criterion_main!(benches);
