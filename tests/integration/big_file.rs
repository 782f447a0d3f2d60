//! A big file shows at once: the window draws the graph as soon as it is read, from a
//! placement that costs milliseconds, while the community layout's multilevel start runs on
//! the layout thread; the status bar names the step, and the picture then moves into the
//! start.

use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use linkscope::store::{GenerateOptions, generate_graph_file};

use super::ui::{app_harness, step_until};

/// Big enough that the multilevel start takes seconds on the test machine (several times the
/// frames this test draws meanwhile), small enough to generate and read in a few.
const NODES: usize = 100_000;
const EDGES: usize = 500_000;

/// The steps the status bar may name while the layout starts, as a user reads them.
fn names_a_step(text: &str) -> bool {
    let Some(step) = text.strip_prefix("Layout starting: ") else {
        return false;
    };
    // A graph of several large components says which one first.
    let step = match step.split_once(": ") {
        Some((component, step)) if component.starts_with("component ") => step,
        _ => step,
    };
    let numbers = |rest: &str| {
        rest.split(" of ")
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    step == "finding components"
        || step == "laying out the coarsest level"
        || step == "preparing the forces"
        || step.strip_prefix("coarsening, level ").is_some_and(numbers)
        || step.strip_prefix("refining level ").is_some_and(numbers)
}

#[test]
fn a_big_file_is_drawn_before_its_layout_start_finishes() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("big.sqlite");
    generate_graph_file(
        &path,
        &GenerateOptions {
            nodes: NODES,
            edges: EDGES,
            seed: 3,
            ..GenerateOptions::default()
        },
    )
    .unwrap();
    let size = egui::vec2(1280.0, 820.0);
    let mut harness = app_harness(path, size);
    harness.step();
    // What the window shows while the file is read: the empty canvas saying "Opening…".
    let empty = harness.render().unwrap();
    assert!(harness.state().graph().is_none(), "still reading the file");

    step_until(&mut harness, "the graph to be read", |app| {
        app.graph().is_some()
    });
    let app = harness.state();
    assert_eq!(app.graph().unwrap().node_count(), NODES);
    assert!(
        app.layout_start_state().is_some(),
        "the graph is shown while the layout's start still runs"
    );
    let drawn_first: Vec<[f32; 2]> = app.positions().to_vec();
    assert_eq!(drawn_first.len(), NODES, "every node has a place at once");
    let status: Vec<String> = harness
        .query_all(By::new().label_contains("Layout starting"))
        .filter_map(|node| node.accesskit_node().value())
        .collect();
    assert!(
        status.len() == 1 && names_a_step(&status[0]),
        "the status bar names the running step: {status:?}"
    );

    // Drawn: most of the canvas differs from the empty one (rendered pixels, not state).
    let (_, canvas) = harness.state().camera().unwrap();
    let shown = harness.render().unwrap();
    let starting_after_render = harness.state().layout_start_state().is_some();
    let (mut changed, mut total) = (0usize, 0usize);
    for y in canvas.top() as u32 + 2..canvas.bottom() as u32 - 2 {
        for x in canvas.left() as u32 + 2..canvas.right() as u32 - 2 {
            let (a, b) = (empty.get_pixel(x, y).0, shown.get_pixel(x, y).0);
            let difference: u32 = (0..3).map(|c| u32::from(a[c].abs_diff(b[c]))).sum();
            changed += usize::from(difference > 24);
            total += 1;
        }
    }
    assert!(
        changed * 5 > total,
        "the graph is drawn: {changed} of {total} canvas pixels changed"
    );
    assert!(
        starting_after_render,
        "that picture was drawn before the layout's start finished"
    );

    // Then the start finishes, and the picture moves into it.
    step_until(&mut harness, "the layout's start to finish", |app| {
        app.layout_start_state().is_none()
    });
    step_until(&mut harness, "the layout to run from its start", |app| {
        app.layout_running() && app.layout_iteration() > 0
    });
    assert!(
        harness.query_by_label_contains("Layout starting").is_none(),
        "the status bar moves on"
    );
    assert!(
        harness.query_by_label_contains("Layout running").is_some(),
        "and says the layout runs"
    );
    let now = harness.state().positions();
    let extent = drawn_first
        .iter()
        .fold([f32::MAX, f32::MIN], |[lo, hi], p| {
            [lo.min(p[0]), hi.max(p[0])]
        });
    let moved: f64 = drawn_first
        .iter()
        .zip(now)
        .map(|(p, q)| f64::from(((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()))
        .sum::<f64>()
        / NODES as f64;
    assert!(
        moved > 0.05 * f64::from(extent[1] - extent[0]),
        "the picture moved from the quick placement into the multilevel start: mean move {moved}, extent {extent:?}"
    );
}

/// Once the rows are read, the status bar no longer says "reading relations": the load moves
/// on to the evidence links, then to building what the first frame draws.
#[test]
fn the_load_names_the_step_after_the_rows() {
    let progress = linkscope::store::LoadProgress::default();
    linkscope::jobs::prepare_document(
        &super::ui::sample_path(),
        1,
        &linkscope::layout::LayoutSettings::default(),
        &progress,
        &std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    )
    .unwrap();
    assert_eq!(progress.snapshot(), ("preparing the picture", 1.0));
}
