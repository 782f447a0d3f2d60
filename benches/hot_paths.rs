//! Criterion benches of the hot paths the issues set targets for: loading a
//! graph file, the CPU work of one frame while the layout moves every node,
//! hit-testing an edge under the pointer, saving the view of a large graph,
//! reopening a file at its saved view, tracing paths, Find over a million
//! names, selecting (box, lasso, neighbours, and a frame with a large
//! selection drawn), and communities and centrality. Graphs come from
//! `linkscope generate` (the same seeded writer), in a temporary folder.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use linkscope::layout::{Layout, LayoutSettings};
use linkscope::model::Graph;
use linkscope::model::search::{NameQuery, NameScan, NameSearcher, rank_names};
use linkscope::scene::GraphScene;
use linkscope::store::{
    GenerateOptions, LoadProgress, SavedCamera, SavedPosition, ViewState, generate_graph_file,
    load_graph, save_view,
};
use linkscope::view::canvas::{CanvasState, Positions, canvas_ui};
use linkscope::view::hit::HitIndex;
use linkscope::view::marquee::Region;
use linkscope::view::selection::Selection;

fn generated(folder: &Path, nodes: usize, edges: usize) -> PathBuf {
    let path = folder.join(format!("g-{nodes}-{edges}.sqlite"));
    if !path.exists() {
        generate_graph_file(
            &path,
            &GenerateOptions {
                nodes,
                edges,
                ..GenerateOptions::default()
            },
        )
        .expect("generate the bench graph");
    }
    path
}

fn load(path: &Path) -> Graph {
    load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .expect("load the bench graph")
    .graph
}

/// Positions after a few layout iterations, so the picture looks like a
/// real one (hubs in the middle, leaves around).
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

fn loading(c: &mut Criterion, folder: &Path) {
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for (nodes, edges) in [(100_000, 500_000), (200_000, 1_000_000)] {
        let path = generated(folder, nodes, edges);
        group.bench_function(format!("{}k relations", edges / 1000), |b| {
            b.iter(|| black_box(load(&path)));
        });
    }
    group.finish();
}

/// One frame of the canvas (hit-index upkeep, highlights, labels, the paint
/// callback's data), with every node on screen and the positions changing
/// every frame as while the layout runs. The GPU's own time is not here.
fn frame(c: &mut Criterion, folder: &Path) {
    let mut group = c.benchmark_group("frame_cpu");
    group.sample_size(30);
    for (nodes, edges) in [(10_000, 50_000), (200_000, 1_000_000)] {
        let graph = load(&generated(folder, nodes, edges));
        let scene = GraphScene::build(&graph, 1);
        let base = laid_out(&graph, 5);
        let ctx = egui::Context::default();
        let mut state = CanvasState::default();
        let mut generation = 1_u64;
        let mut time = 0.0;
        // Two alternating buffers stand in for the layout thread's output:
        // building them is the layout thread's work, not the frame's.
        let shifted: Vec<[f32; 2]> = base.iter().map(|p| [p[0] + 0.01, p[1]]).collect();
        let buffers = [Arc::new(base), Arc::new(shifted)];
        group.bench_function(
            format!(
                "{}k nodes {}k edges, layout running",
                nodes / 1000,
                edges / 1000
            ),
            |b| {
                b.iter(|| {
                    generation += 1;
                    time += 1.0 / 60.0;
                    // New positions every frame, as while the layout runs.
                    let positions = Positions {
                        points: Arc::clone(&buffers[(generation % 2) as usize]),
                        generation,
                    };
                    let input = egui::RawInput {
                        screen_rect: Some(egui::Rect::from_min_size(
                            egui::Pos2::ZERO,
                            egui::vec2(1280.0, 800.0),
                        )),
                        time: Some(time),
                        events: vec![egui::Event::PointerMoved(egui::pos2(640.0, 400.0))],
                        ..egui::RawInput::default()
                    };
                    let output = ctx.run_ui(input, |ui| {
                        black_box(canvas_ui(
                            ui,
                            &mut state,
                            &graph,
                            &scene,
                            &positions,
                            &Selection::default(),
                            linkscope::scene::theme::Theme::Dark,
                        ));
                    });
                    black_box(output);
                });
            },
        );
    }
    group.finish();
}

/// Building the edge index and asking what is under the pointer, at 1M edges.
fn hit_testing(c: &mut Criterion, folder: &Path) {
    let graph = load(&generated(folder, 200_000, 1_000_000));
    let scene = GraphScene::build(&graph, 1);
    let mut index = HitIndex::default();
    let mut group = c.benchmark_group("hit_test");
    // Early in the layout (long edges everywhere) and once it has settled.
    for iterations in [60, 400] {
        let positions = laid_out(&graph, iterations);
        group.sample_size(10);
        group.bench_function(
            format!("rebuild index, 1M edges, after {iterations} iterations"),
            |b| {
                b.iter(|| index.rebuild(&positions, &scene.node_styles, &scene.edges, (1, 1)));
            },
        );
        index.rebuild(&positions, &scene.node_styles, &scene.edges, (1, 1));
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in &positions {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
        // The pointer's 5-point slack in world units, with the view zoomed
        // in ten times from "fit" on a 1280-point-wide canvas.
        let tolerance = (hi[0] - lo[0]).max(hi[1] - lo[1]) / 1280.0 / 10.0 * 5.0;
        let mut probe = 0_u32;
        group.sample_size(100);
        group.bench_function(
            format!("query, 1M edges, after {iterations} iterations"),
            |b| {
                b.iter(|| {
                    probe = probe.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    let fx = (probe >> 8) as f32 / (1 << 24) as f32;
                    let fy = (probe.rotate_left(16) >> 8) as f32 / (1 << 24) as f32;
                    let point = [lo[0] + fx * (hi[0] - lo[0]), lo[1] + fy * (hi[1] - lo[1])];
                    black_box(index.hit(
                        point,
                        tolerance,
                        &positions,
                        &scene.node_styles,
                        &scene.edges,
                    ))
                });
            },
        );
    }
    group.finish();
}

/// A copy of the generated file at `path` with a view saved into it: every
/// entity at its place after a few layout iterations, one in 50 pinned, and
/// a camera. The generated file itself stays as it is, for the load benches.
fn with_saved_view(path: &Path) -> (PathBuf, ViewState) {
    let graph = load(path);
    let positions = laid_out(&graph, 5);
    let view = ViewState {
        positions: positions
            .iter()
            .enumerate()
            .map(|(node, world)| SavedPosition {
                entity_id: graph.node_db_id(node as u32),
                world: *world,
                pinned: node % 50 == 0,
            })
            .collect(),
        camera: Some(SavedCamera {
            center: [0.0, 0.0],
            zoom: 0.5,
        }),
        layout: Some(LayoutSettings::default()),
        ..ViewState::default()
    };
    let copy = path.with_extension("saved.sqlite");
    std::fs::copy(path, &copy).expect("copy the bench graph");
    save_view(&copy, &view).expect("save the bench view");
    (copy, view)
}

/// Save (Ctrl+S) of the whole view of a 200k-entity graph: the app tables
/// dropped and written again, in one transaction (the goal: at most 1 s).
/// Then the time to a first frame (`prepare_document`, what `linkscope
/// bench-load` times) of the same file without and with that saved view,
/// in one run, so their ratio is fair (the goal: at most 10% slower).
fn saving(c: &mut Criterion, folder: &Path) {
    let plain = generated(folder, 200_000, 1_000_000);
    let (saved, view) = with_saved_view(&plain);
    let mut group = c.benchmark_group("save");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("view of 200k nodes", |b| {
        b.iter(|| black_box(save_view(&saved, &view).expect("save the bench view")));
    });
    group.finish();

    let mut group = c.benchmark_group("reopen");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for (name, path) in [("no saved view", &plain), ("saved view", &saved)] {
        group.bench_function(format!("200k nodes 1M edges, {name}"), |b| {
            b.iter(|| {
                black_box(
                    linkscope::jobs::prepare_document(
                        path,
                        1,
                        &LayoutSettings::default(),
                        &LoadProgress::default(),
                        &Arc::new(AtomicBool::new(false)),
                    )
                    .expect("open the bench graph"),
                )
            });
        });
    }
    group.finish();
}

/// Tracing at 200k entities / 1M relations: building the search index
/// (once per graph), then the shortest path between seeded random pairs of
/// entities, each iteration the next pair: fewest hops following direction
/// and ignoring it, the best-sourced route, and all paths up to 3 hops.
fn tracing(c: &mut Criterion, folder: &Path) {
    use linkscope::model::trace::{Direction, TraceIndex, TraceOptions, all_paths, shortest_path};
    let graph = load(&generated(folder, 200_000, 1_000_000));
    let mut group = c.benchmark_group("trace");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("index 1M relations", |b| {
        b.iter(|| black_box(TraceIndex::build(&graph)));
    });
    let index = TraceIndex::build(&graph);
    // A fixed xorshift sequence: the same pairs every run.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let nodes = graph.node_count() as u64;
    let pairs: Vec<(u32, u32)> = (0..64)
        .map(|_| {
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % nodes) as u32
            };
            (next(), next())
        })
        .collect();
    group.sample_size(20);
    for (name, direction, prefer_evidence) in [
        (
            "shortest path, fewest hops, directed",
            Direction::Follow,
            false,
        ),
        (
            "shortest path, fewest hops, undirected",
            Direction::Ignore,
            false,
        ),
        (
            "shortest path, best sourced, undirected",
            Direction::Ignore,
            true,
        ),
        (
            "shortest path, best sourced, directed",
            Direction::Follow,
            true,
        ),
    ] {
        let options = TraceOptions {
            direction,
            prefer_evidence,
        };
        let mut next = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                let (from, to) = pairs[next % pairs.len()];
                next += 1;
                black_box(shortest_path(&index, from, to, options))
            });
        });
    }
    let mut next = 0;
    group.bench_function("all paths up to 3 hops, undirected, cap 100", |b| {
        b.iter(|| {
            let (from, to) = pairs[next % pairs.len()];
            next += 1;
            black_box(all_paths(
                &index,
                &graph,
                from,
                to,
                3,
                Direction::Ignore,
                100,
            ))
        });
    });
    group.finish();
}

/// A million seeded person-like names ("Amira Tolkaben"), so the
/// matcher's prefilter sees letters the way it would in a real file.
fn synthetic_names(count: usize) -> Vec<String> {
    const FIRST: [&str; 24] = [
        "Amira", "Boris", "Chen", "Dmitry", "Elena", "Farid", "Gulnara", "Hamid", "Ines", "Jamal",
        "Karim", "Leyla", "Marat", "Nadia", "Omar", "Pavel", "Rustam", "Sergei", "Tahir", "Umar",
        "Vera", "Walid", "Yusuf", "Zara",
    ];
    const SYLLABLES: [&str; 32] = [
        "ka", "ro", "mi", "tol", "ben", "sha", "qa", "ni", "zhi", "dov", "lin", "har", "ma", "tin",
        "ov", "ski", "ra", "bad", "ul", "han", "es", "po", "vic", "ter", "and", "gu", "le", "na",
        "dze", "yev", "mir", "at",
    ];
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let first = FIRST[(next() % FIRST.len() as u64) as usize];
            let syllables = 2 + next() % 3;
            let mut last = String::new();
            for _ in 0..syllables {
                last.push_str(SYLLABLES[(next() % SYLLABLES.len() as u64) as usize]);
            }
            let mut chars = last.chars();
            let last: String = chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
                .collect();
            format!("{first} {last}")
        })
        .collect()
}

/// One keystroke of Find over a million names, keeping the best 5,000:
/// the first letter scans every name through the names' index (a letter
/// mask and a byte scan decide most; the matcher scores only names that
/// can still enter the best); each further letter rescans only the names
/// the query so far matched, as the search thread does. Also building the
/// index, a full scan without index or narrowing, and the floor of any
/// scan (a bare loop over the bytes), for comparison in the same run.
fn searching(c: &mut Criterion) {
    let names = synthetic_names(1_000_000);
    let name_of = |node: u32| names[node as usize].as_str();
    let limit = linkscope::jobs::search::MAX_LISTED;
    let mut group = c.benchmark_group("search");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(4));
    let typed = ["m", "ma", "mar", "mart", "marti", "martin"];
    for (index, query) in typed.iter().enumerate() {
        let mut before = NameSearcher::new(names.len(), name_of);
        // The state after the keystrokes before this one.
        if let Some(previous) = index.checked_sub(1).map(|before| typed[before]) {
            before.search(names.len(), name_of, previous, limit);
        }
        group.bench_function(format!("1M names, keystroke {query:?}"), |b| {
            b.iter_batched(
                || before.clone(),
                |mut searcher| {
                    let total = searcher.search(names.len(), name_of, query, limit).0.total;
                    // Dropped outside the timing, with the searcher.
                    (searcher, black_box(total))
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.bench_function("1M names, building the index (once per file)", |b| {
        b.iter(|| black_box(NameSearcher::new(names.len(), name_of)));
    });
    // The floor of any scan, measured in the same run so that a loaded
    // machine can be told apart from a slow search: one core reading every
    // name's bytes once.
    group.bench_function(
        "1M names, bare loop over the bytes (floor, one core)",
        |b| {
            b.iter(|| {
                let mut sum = 0_u64;
                for name in &names {
                    for byte in name.bytes() {
                        sum = sum.wrapping_add(u64::from(byte));
                    }
                }
                black_box(sum)
            });
        },
    );
    for query in ["m", "martin"] {
        let parsed = NameQuery::new(query);
        group.bench_function(format!("1M names, full scan {query:?}"), |b| {
            b.iter(|| {
                black_box(rank_names(
                    names.len(),
                    name_of,
                    &parsed,
                    limit,
                    NameScan::default(),
                    None,
                ))
            });
        });
    }
    group.finish();
}

/// Applying a filter and focusing, each with the view updated: the visible
/// set computed and the scene recoloured, as the app's background job does
/// (`jobs::update_view`).
fn visibility(c: &mut Criterion, folder: &Path) {
    use linkscope::jobs::{ViewUpdateRequest, update_view};
    use linkscope::model::dates::format_day;
    use linkscope::model::timeline::Timeline;
    use linkscope::model::visibility::{Filter, Focus, VisibilityRules};
    use linkscope::scene::theme::Theme;

    let path = generated(folder, 200_000, 1_000_000);
    let graph = Arc::new(load(&path));
    let mut group = c.benchmark_group("visibility");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("read dates and grades of 1M relations", |b| {
        b.iter(|| {
            black_box(
                linkscope::store::load_claims(&path, &graph, Arc::new(AtomicBool::new(false)))
                    .expect("read the claims"),
            )
        });
    });
    let claims = Arc::new(
        linkscope::store::load_claims(&path, &graph, Arc::new(AtomicBool::new(false)))
            .expect("read the claims"),
    );
    let (first, last) = Timeline::of(&claims).range().expect("dated documents");
    let quarter = (last - first) / 4;
    let scene = GraphScene::build(&graph, 1);
    let request = |rules: VisibilityRules| ViewUpdateRequest {
        graph: Arc::clone(&graph),
        claims: Some(Arc::clone(&claims)),
        rules,
        scene: scene.clone(),
        theme: Theme::Dark,
        generation: 2,
    };
    let mut filter = Filter::default();
    let kinds = graph.relation_kinds();
    filter.excluded_relation_kinds.insert(kinds[0].to_owned());
    filter.reliability = Some("C".to_owned());
    filter.date_from = Some(format_day(first + quarter));
    filter.date_to = Some(format_day(last - quarter));
    let filtered = request(VisibilityRules {
        filter,
        ..VisibilityRules::default()
    });
    group.bench_function(
        "filter 200k nodes 1M edges (kind, grade, dates), view updated",
        |b| {
            b.iter(|| black_box(update_view(&filtered)));
        },
    );
    let mut by_degree: Vec<u32> = (0..graph.node_count() as u32).collect();
    by_degree.sort_by_key(|&node| graph.degree(node));
    for (name, seed) in [
        ("a hub", by_degree[by_degree.len() - 1]),
        ("a median entity", by_degree[by_degree.len() / 2]),
    ] {
        let focused = request(VisibilityRules {
            focus: Some(Focus::new(vec![seed], 2)),
            ..VisibilityRules::default()
        });
        let shown = update_view(&focused).visible.counts.nodes_shown;
        group.bench_function(
            format!("focus k=2 on {name} ({shown} entities shown), view updated"),
            |b| b.iter(|| black_box(update_view(&focused))),
        );
    }
    // Timeline playback at 200k/1M, one step: the window moves on (every
    // 0.8 s at most). Off the UI thread the view update computes the
    // visible set and recolours the scene (timed first); on it, the step
    // clones the scene into the request, and the next frame swaps the
    // update in and is drawn with it (timed second, against a frame's
    // budget).
    let window = (last - first) / 8;
    let windows: Vec<(linkscope::model::dates::Day, linkscope::model::dates::Day)> = (0..2_i32)
        .map(|step| (first + window * step, first + window * (step + 1)))
        .collect();
    let stepped = |(from, to)| {
        request(VisibilityRules {
            filter: Filter {
                date_from: Some(format_day(from)),
                date_to: Some(format_day(to)),
                ..Filter::default()
            },
            ..VisibilityRules::default()
        })
    };
    let step_request = stepped(windows[0]);
    group.bench_function(
        "timeline playback step 200k/1M, background: visible set and scene for the next window",
        |b| b.iter(|| black_box(update_view(&step_request))),
    );
    let updates: Vec<GraphScene> = windows
        .iter()
        .map(|&window| update_view(&stepped(window)).scene)
        .collect();
    let points = Arc::new(laid_out(&graph, 5));
    let ctx = egui::Context::default();
    let mut state = CanvasState::default();
    let mut shown = scene.clone();
    let mut step = 0_u64;
    let mut time = 0.0;
    group.bench_function(
        "timeline playback step 200k/1M, UI thread: request the update, swap it in, draw the frame",
        |b| {
            b.iter(|| {
                step += 1;
                time += 1.0 / 60.0;
                // The step: the request carries a copy of the scene.
                black_box(stepped(windows[(step % 2) as usize]).scene);
                // The update lands: its scene replaces the one shown.
                let mut landed = updates[(step % 2) as usize].clone();
                landed.styles_generation = step + 10;
                drop(std::mem::replace(&mut shown, landed));
                let positions = Positions {
                    points: Arc::clone(&points),
                    generation: 1,
                };
                let input = egui::RawInput {
                    screen_rect: Some(egui::Rect::from_min_size(
                        egui::Pos2::ZERO,
                        egui::vec2(1280.0, 800.0),
                    )),
                    time: Some(time),
                    events: vec![egui::Event::PointerMoved(egui::pos2(640.0, 400.0))],
                    ..egui::RawInput::default()
                };
                let output = ctx.run_ui(input, |ui| {
                    black_box(canvas_ui(
                        ui,
                        &mut state,
                        &graph,
                        &shown,
                        &positions,
                        &Selection::default(),
                        Theme::Dark,
                    ));
                });
                black_box(output);
            });
        },
    );
    group.finish();
}

/// The edges' density fade, worked out every frame from a sample of the
/// edges: at 1M edges, with the whole graph fitted and zoomed in ten times.
fn edge_density(c: &mut Criterion, folder: &Path) {
    let graph = load(&generated(folder, 200_000, 1_000_000));
    let scene = GraphScene::build(&graph, 1);
    let positions = laid_out(&graph, 60);
    let viewport = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0));
    let fitted = linkscope::scene::camera::fit_camera(scene.world_bounds(&positions), viewport);
    let zoomed = linkscope::view::gpu::Camera {
        zoom: fitted.zoom * 10.0,
        ..fitted
    };
    let mut group = c.benchmark_group("edge_density");
    for (name, camera) in [("fitted", fitted), ("zoomed in 10x", zoomed)] {
        group.bench_function(format!("1M edges, {name}"), |b| {
            b.iter(|| {
                black_box(linkscope::scene::edge_style::density_alpha(
                    &scene.edges,
                    &positions,
                    camera,
                    [1280.0, 800.0],
                ))
            });
        });
    }
    group.finish();
}

fn hot_paths(c: &mut Criterion) {
    searching(c);
    let folder = std::env::temp_dir().join("linkscope-bench-graphs");
    std::fs::create_dir_all(&folder).expect("create the bench folder");
    loading(c, &folder);
    frame(c, &folder);
    edge_density(c, &folder);
    hit_testing(c, &folder);
    saving(c, &folder);
    tracing(c, &folder);
    visibility(c, &folder);
    selecting(c, &folder);
    measuring(c, &folder);
}

/// Communities and centrality of a million relations, as the window's
/// background job computes them after a load: all together, then each
/// measure alone.
fn measuring(c: &mut Criterion, folder: &Path) {
    use linkscope::model::metrics::{
        BETWEENNESS_PIVOTS, BETWEENNESS_SEED, BetweennessMode, Csr, DAMPING, MetricsProgress,
        betweenness, compute, louvain, pagerank,
    };
    let mut group = c.benchmark_group("metrics");
    group.sample_size(10);
    let graph = load(&generated(folder, 200_000, 1_000_000));
    let progress = MetricsProgress::default();
    group.bench_function("all, 1M relations", |b| {
        b.iter(|| black_box(compute(&graph, &progress)));
    });
    let edges = graph.edge_pairs();
    group.bench_function("pagerank, 1M relations", |b| {
        b.iter(|| black_box(pagerank(graph.node_count(), &edges, DAMPING, &progress)));
    });
    let undirected = Csr::undirected(graph.node_count(), &edges);
    group.bench_function("louvain, 1M relations", |b| {
        b.iter(|| black_box(louvain(&undirected, &progress)));
    });
    let mode = BetweennessMode::Sampled {
        pivots: BETWEENNESS_PIVOTS,
        seed: BETWEENNESS_SEED,
    };
    group.bench_function("betweenness 64 pivots, 1M relations", |b| {
        b.iter(|| black_box(betweenness(&undirected, mode, &progress)));
    });
    group.finish();
}

/// A lasso of `vertices` points around the middle of `points`, reaching
/// most of the way to the edges: a wobbly loop as a hand draws it, or (the
/// worst case) a star whose every spike a horizontal line crosses.
fn lasso(points: &[[f32; 2]], vertices: usize, star: bool) -> Vec<[f32; 2]> {
    let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
    for p in points {
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    let centre = [f32::midpoint(lo[0], hi[0]), f32::midpoint(lo[1], hi[1])];
    let reach = (hi[0] - lo[0]).min(hi[1] - lo[1]) / 2.0;
    (0..vertices)
        .map(|i| {
            let angle = i as f32 / vertices as f32 * std::f32::consts::TAU;
            let radius = if star {
                reach * if i % 2 == 0 { 0.9 } else { 0.4 }
            } else {
                reach * (0.7 + 0.1 * (5.0 * angle).sin() + 0.05 * (17.0 * angle).sin())
            };
            [
                centre[0] + radius * angle.cos(),
                centre[1] + radius * angle.sin(),
            ]
        })
        .collect()
}

/// Box and lasso over every node (they run on the UI thread when the drag
/// ends), Select Neighbours of 1,000 entities, and one canvas frame with
/// 100k entities selected (their outlines are kept between frames).
fn selecting(c: &mut Criterion, folder: &Path) {
    let graph = load(&generated(folder, 200_000, 1_000_000));
    let positions = laid_out(&graph, 60);
    let mut group = c.benchmark_group("select");
    group.sample_size(20);
    // A million scattered points (seeded), for the biggest graphs.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 40) as f32 / (1u64 << 24) as f32 * 2000.0 - 1000.0
    };
    let million: Vec<[f32; 2]> = (0..1_000_000).map(|_| [next(), next()]).collect();
    for (name, points) in [("200k laid out", &positions), ("1M scattered", &million)] {
        let loop_ = lasso(points, 1024, false);
        let region = Region::Polygon(loop_.clone());
        group.bench_function(
            format!("lasso, hand-drawn loop of 1024 vertices, {name}"),
            |b| {
                b.iter(|| black_box(region.nodes_inside(points)));
            },
        );
        let star = Region::Polygon(lasso(points, 1024, true));
        group.bench_function(format!("lasso, 512-spike star (worst case), {name}"), |b| {
            b.iter(|| black_box(star.nodes_inside(points)));
        });
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in &loop_ {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
        let rect = Region::Rect { min: lo, max: hi };
        group.bench_function(format!("box, {name}"), |b| {
            b.iter(|| black_box(rect.nodes_inside(points)));
        });
    }
    let mut thousand = Selection::default();
    thousand.set_nodes((0..200_000).step_by(200));
    group.bench_function("neighbours of 1000 entities, 200k/1M", |b| {
        b.iter(|| black_box(thousand.with_neighbours(&graph)));
    });

    let scene = GraphScene::build(&graph, 1);
    let ctx = egui::Context::default();
    let mut state = CanvasState::default();
    let mut many = Selection::default();
    many.set_nodes((0..200_000).step_by(2));
    let positions = Positions {
        points: Arc::new(positions),
        generation: 1,
    };
    let mut time = 0.0;
    group.bench_function("frame with 100k entities selected, 200k/1M, still", |b| {
        b.iter(|| {
            time += 1.0 / 60.0;
            let input = egui::RawInput {
                screen_rect: Some(egui::Rect::from_min_size(
                    egui::Pos2::ZERO,
                    egui::vec2(1280.0, 800.0),
                )),
                time: Some(time),
                events: vec![egui::Event::PointerMoved(egui::pos2(640.0, 400.0))],
                ..egui::RawInput::default()
            };
            let output = ctx.run_ui(input, |ui| {
                black_box(canvas_ui(
                    ui,
                    &mut state,
                    &graph,
                    &scene,
                    &positions,
                    &many,
                    linkscope::scene::theme::Theme::Dark,
                ));
            });
            black_box(output);
        });
    });
    group.finish();
}

criterion_group!(benches, hot_paths);
criterion_main!(benches);
