//! What each subcommand does, once `main.rs` has parsed the command line:
//! the window, the report tools (check, find, evidence, path, metrics,
//! render) and the generators and benches.

use anyhow::Context as _;
use linkscope::store::{self, GenerateOptions, LoadProgress};
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use crate::EvidenceFormatArg;

mod captured;
mod password;
mod postgres;
mod window;
pub(crate) use password::password;
pub(crate) use postgres::{
    bench_explore, compartments, find_on_server, path_on_server, pull, push, with_password,
};
pub(crate) use window::{run_window, window_source};

pub(crate) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|error| error.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes to standard output, returning a closed pipe as an error (`print!` would panic).
fn print_out(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("could not write to standard output")
}

pub(crate) fn render(
    request: &linkscope::export::headless::HeadlessRender,
) -> anyhow::Result<ExitCode> {
    let summary = linkscope::export::headless::render_headless(request)?;
    let how = if summary.used_saved_view {
        "the saved view".to_owned()
    } else {
        format!("{} layout iterations", summary.iterations)
    };
    print_out(&format!("wrote {} ({how})\n", summary.out.display()))?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn check(file: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let progress = LoadProgress::default();
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let loaded = store::load_graph(file, &progress, &cancel)?;
    let anchors = captured::AnchorSummary::of(loaded.read_path(file));
    if json {
        let mut report =
            serde_json::to_value(&loaded.report).context("could not write the report as JSON")?;
        anchors.add_to_json(&mut report);
        let text =
            serde_json::to_string_pretty(&report).context("could not write the report as JSON")?;
        print_out(&format!("{text}\n"))?;
    } else {
        print_out(&format!("{}{}", loaded.report.to_text(), anchors.text()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The same ranking as the window's Find panel, through the same engine.
pub(crate) fn find(
    file: &std::path::Path,
    text: &str,
    json: bool,
    limit: usize,
) -> anyhow::Result<ExitCode> {
    use linkscope::model::search::MatchField;
    use std::fmt::Write as _;
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let loaded = store::load_graph(file, &LoadProgress::default(), &cancel)?;
    let graph = &loaded.graph;
    let scanner = store::TextScanner::open(loaded.read_path(file))?;
    let ranking = store::find_entities(graph, &scanner, text, limit)?;
    let field = |field| match field {
        MatchField::Name => "name",
        MatchField::Description => "description",
    };
    if json {
        let matches: Vec<serde_json::Value> = ranking
            .top
            .iter()
            .map(|ranked| {
                serde_json::json!({
                    "id": graph.node_db_id(ranked.node),
                    "name": graph.node_name(ranked.node),
                    "kind": graph.node_kind_text(ranked.node),
                    "degree": graph.degree(ranked.node),
                    "closeness": ranked.closeness,
                    "score": ranked.score,
                    "field": field(ranked.field),
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&matches).context("could not write JSON")?;
        print_out(&format!("{text}\n"))?;
    } else {
        let mut out = String::new();
        for (rank, ranked) in ranking.top.iter().enumerate() {
            let node = ranked.node;
            let _ = writeln!(
                out,
                "{:>3}. {} ({}, degree {}, id {}) score {}{}",
                rank + 1,
                graph.node_name(node),
                graph.node_kind_text(node),
                graph.degree(node),
                graph.node_db_id(node),
                ranked.score,
                if ranked.field == MatchField::Description {
                    ", in its description"
                } else {
                    ""
                }
            );
        }
        if ranking.total > ranking.top.len() {
            let _ = writeln!(out, "{} matches in all; --limit lists more", ranking.total);
        }
        print_out(&out)?;
    }
    Ok(if ranking.top.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The same table as the window's File > Export Evidence Table… for all relations: the
/// relations the loader keeps, read through the same writer.
pub(crate) fn evidence(
    file: &std::path::Path,
    format: EvidenceFormatArg,
    out: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    use linkscope::export::evidence_table::{
        EvidenceFormat, write_evidence_file, write_evidence_table,
    };
    let format = match format {
        EvidenceFormatArg::Csv => EvidenceFormat::Csv,
        EvidenceFormatArg::Md => EvidenceFormat::Markdown,
        EvidenceFormatArg::W3c => return captured::evidence_w3c(file, out),
    };
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let loaded = store::load_graph(file, &LoadProgress::default(), &cancel)?;
    let graph = &loaded.graph;
    let relation_ids: Vec<i64> = (0..graph.edge_count() as u32)
        .map(|edge| graph.edge_db_id(edge))
        .collect();
    let reader = store::EvidenceReader::open(loaded.read_path(file), cancel.clone())?;
    let done = std::sync::atomic::AtomicUsize::new(0);
    if let Some(out) = out {
        write_evidence_file(&reader, &relation_ids, format, out, &done, &cancel)?;
    } else {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        write_evidence_table(&reader, &relation_ids, format, &mut stdout, &done, &cancel)
            .context("could not write to standard output")?;
        stdout
            .flush()
            .context("could not write to standard output")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `linkscope path`: the chain as text (for a report) or JSON (for scripts).
pub(crate) fn path(
    file: &std::path::Path,
    from: &str,
    to: &str,
    json: bool,
    undirected: bool,
    prefer_evidence: bool,
) -> anyhow::Result<ExitCode> {
    use linkscope::export::path_report::trace_file;
    use linkscope::model::trace::{Direction, TraceOptions};
    let options = TraceOptions {
        direction: if undirected {
            Direction::Ignore
        } else {
            Direction::Follow
        },
        prefer_evidence,
    };
    let chain = trace_file(file, from, to, options)?;
    print_chain(&chain, json)
}

/// A traced chain as `path` prints it: text, or `{"hops": [...]}`.
pub(crate) fn print_chain(
    chain: &linkscope::export::path_report::TracedChain,
    json: bool,
) -> anyhow::Result<ExitCode> {
    use linkscope::export::path_report::{chain_json, chain_summary, chain_text};
    let text = if json {
        format!("{:#}\n", chain_json(&chain.hops))
    } else {
        format!(
            "{}\n{}",
            chain_summary(&chain.from, &chain.to, chain.hops.len()),
            chain_text(&chain.hops)
        )
    };
    print_out(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The same numbers as the window's Colour by / Size by, through the same engine.
pub(crate) fn metrics(file: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    use linkscope::export::metrics_table::{metrics_json, metrics_text};
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let loaded = store::load_graph(file, &LoadProgress::default(), &cancel)?;
    let progress = linkscope::model::metrics::MetricsProgress::default();
    let metrics = linkscope::model::metrics::compute(&loaded.graph, &progress)
        .context("the metrics computation stopped")?;
    let text = if json {
        format!("{:#}\n", metrics_json(&loaded.graph, &metrics))
    } else {
        metrics_text(&loaded.graph, &metrics)
    };
    print_out(&text)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn generate(
    file: &std::path::Path,
    options: &GenerateOptions,
    truth: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    store::generate_graph_file(file, options)?;
    if let Some(truth) = truth {
        let mut text = String::from("entity_id,community\n");
        for id in 1..=options.nodes as i64 {
            let community = store::planted_community(id, options.communities);
            writeln!(text, "{id},{community}").context("could not format the truth file")?;
        }
        std::fs::write(truth, text)
            .with_context(|| format!("could not write {}", truth.display()))?;
    }
    let GenerateOptions {
        nodes, edges, seed, ..
    } = *options;
    print_out(&format!(
        "wrote {} ({nodes} entities, {edges} relations, seed {seed})\n",
        file.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn bench_layout(
    args: &linkscope::layout::bench::BenchLayoutArgs,
    graph: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let report = match graph {
        Some(file) => {
            let (input, settings) = bench_graph_input(file, args)?;
            let args = linkscope::layout::bench::BenchLayoutArgs {
                settings,
                ..args.clone()
            };
            linkscope::layout::bench::run_bench_input(&args, input)?
        }
        None => linkscope::layout::bench::run_layout_bench(args)?,
    };
    let text = serde_json::to_string(&report).context("could not write the report as JSON")?;
    print_out(&format!("{text}\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// A graph file as the window would lay it out: its edges, the window's settings for its size
/// (the algorithm and theta from `args`) and its seeded start; communities by entity id.
fn bench_graph_input(
    file: &std::path::Path,
    args: &linkscope::layout::bench::BenchLayoutArgs,
) -> anyhow::Result<(
    linkscope::layout::bench::BenchInput,
    linkscope::layout::LayoutSettings,
)> {
    use linkscope::layout::agreement::UNKNOWN_COMMUNITY;
    let started = std::time::Instant::now();
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let loaded = store::load_graph(file, &LoadProgress::default(), &cancel)?;
    let graph = &loaded.graph;
    let settings = linkscope::jobs::layout_settings_for(&args.settings, graph.node_count());
    let communities = match &args.communities {
        Some(path) => {
            let mut per_node = vec![UNKNOWN_COMMUNITY; graph.node_count()];
            for (id, community) in linkscope::layout::bench::read_communities(path)? {
                let node = graph.node_by_db_id(id).with_context(|| {
                    format!(
                        "{}: entity {id} is not in {}",
                        path.display(),
                        file.display()
                    )
                })?;
                per_node[node as usize] = community;
            }
            Some(per_node)
        }
        None => None,
    };
    let input = linkscope::layout::bench::BenchInput {
        graph: file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        edges: graph.edge_pairs(),
        positions: linkscope::layout::Layout::start_positions(graph.node_count(), settings.seed),
        communities,
        load_s: started.elapsed().as_secs_f64(),
    };
    Ok((input, settings))
}

/// Everything between "open" and the first frame, except the GPU upload: the app's own
/// load-thread work (reading the file, then the scene and the first placement, built at once).
/// Then, as the window's layout thread does after that first frame, the layout's start
/// (the community layout's multilevel start). Also SQLite's own scan of the relations, for the
/// ratio.
pub(crate) fn bench_load(file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let progress = LoadProgress::default();
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let document = linkscope::jobs::prepare_document(
        file,
        1,
        &linkscope::layout::LayoutSettings::default(),
        &progress,
        &cancel,
    )?;
    let timings = document.timings;
    std::hint::black_box((&document.scene, &document.start.placement));
    let building = std::time::Instant::now();
    let layout = document.layout();
    let layout_start_ms = building.elapsed().as_secs_f64() * 1000.0;
    let mut positions = Vec::new();
    layout.copy_positions_into(&mut positions);
    std::hint::black_box(&positions);
    let loaded = &document.loaded;
    let graph_mb = loaded.graph.heap_bytes() as f64 / 1e6;
    let peak_rss_mb = peak_rss_mb();
    // SQLite's own scan reads every value whole, so a file with a value too
    // large for that has no such figure.
    let sqlite_scan_ms = store::sqlite_relation_scan_ms(file).ok();
    let report = serde_json::json!({
        "tool": "linkscope-load",
        "file": file.display().to_string(),
        "entities": loaded.report.entities,
        "relations": loaded.report.relations,
        "load_ms": round(timings.load_ms),
        "scene_ms": round(timings.scene_ms),
        "placement_ms": round(timings.placement_ms),
        "first_frame_ms": round(timings.total_ms),
        "layout_start_ms": round(layout_start_ms),
        "relations_read_ms": round(loaded.relations_ms),
        "sqlite_relations_scan_ms": sqlite_scan_ms.map(round),
        "relations_vs_sqlite": sqlite_scan_ms.map(|ms| round(loaded.relations_ms / ms.max(1e-9))),
        "graph_mb": round(graph_mb),
        "graph_bytes_per_relation": round(loaded.graph.heap_bytes() as f64 / loaded.report.relations.max(1) as f64),
        "peak_rss_mb": peak_rss_mb.map(round),
    });
    print_out(&format!("{report}\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// Renders `frames` frames of the file's graph offscreen after `iterations` layout
/// iterations, the whole graph fitted to a `size` target, and reports the GPU frame time.
pub(crate) fn bench_render(
    file: &std::path::Path,
    iterations: u64,
    frames: usize,
    size: [u32; 2],
) -> anyhow::Result<ExitCode> {
    use linkscope::view::gpu::{GraphFrame, RenderQuality, offscreen::OffscreenRenderer};
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let document = linkscope::jobs::prepare_document(
        file,
        1,
        &linkscope::layout::LayoutSettings::default(),
        &LoadProgress::default(),
        &cancel,
    )?;
    let mut layout = document.layout();
    while layout.iteration() < iterations && !layout.converged() {
        layout.step();
    }
    let mut positions = Vec::new();
    layout.copy_positions_into(&mut positions);
    let viewport =
        egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(size[0] as f32, size[1] as f32));
    let scene = match linkscope::scene::node_scale::wanted_node_scale(&document.scene, &positions) {
        Some(scale) => document.scene.with_node_scale(scale, 2),
        None => document.scene.clone(),
    };
    let camera = linkscope::scene::camera::fit_camera(scene.world_bounds(&positions), viewport);
    let edge_alpha = linkscope::scene::edge_style::density_alpha(
        &scene.edges,
        &positions,
        camera,
        [viewport.width(), viewport.height()],
    );
    let mut frame = GraphFrame {
        positions: std::sync::Arc::new(positions),
        positions_generation: 1,
        node_styles: std::sync::Arc::clone(&scene.node_styles),
        edges: std::sync::Arc::clone(&scene.edges),
        styles_generation: scene.styles_generation,
        overlay_edges: std::sync::Arc::default(),
        overlay_nodes: std::sync::Arc::default(),
        camera,
        background_dim: false,
        edge_alpha,
        background: None,
        quality: RenderQuality::Full,
    };
    let mut renderer = OffscreenRenderer::new(size[0], size[1])?;
    // The first frame also uploads the edges and styles, as a newly opened file does.
    let first_frame_ms = renderer.render(&frame)?.as_secs_f64() * 1000.0;
    frame.positions_generation += 1;
    let times = renderer.time_frames(&frame, frames)?;
    let [full, moving, settling, still] =
        [&times.full, &times.moving, &times.settling, &times.still].map(|times| {
            let mut sorted = times.clone();
            sorted.sort_by(f64::total_cmp);
            sorted
        });
    let at = |times: &[f64], q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .map(round)
    };
    let median = at(&full, 0.5).unwrap_or(f64::NAN);
    let software = renderer.is_software();
    let report = serde_json::json!({
        "tool": "linkscope-render",
        "file": file.display().to_string(),
        "adapter": renderer.adapter(),
        "software": software,
        "width": size[0],
        "height": size[1],
        "nodes": document.loaded.graph.node_count(),
        "edges": document.loaded.graph.edge_count(),
        "layout_iterations": layout.iteration(),
        "frames": full.len(),
        "first_frame_ms": round(first_frame_ms),
        "ms_per_frame_median": median,
        "ms_per_frame_p95": at(&full, 0.95),
        "fps_median": round(1000.0 / median),
        "moving_ms_per_frame_median": at(&moving, 0.5),
        "moving_ms_per_frame_p95": at(&moving, 0.95),
        "settling_frames": settling.len(),
        "settling_ms_total": round(settling.iter().sum()),
        "settling_ms_per_frame_max": at(&settling, 1.0),
        "still_ms_per_frame_median": at(&still, 0.5),
        "window_quality": format!("{:?}", RenderQuality::for_window(software, document.loaded.graph.edge_count())),
    });
    print_out(&format!("{report}\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Peak resident memory from /proc (Linux); None elsewhere.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `linkscope import`: the inputs, then the new graph file.
pub(crate) fn import(
    files: &[std::path::PathBuf],
    format: Option<&str>,
    mapping: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    use linkscope::import::{Format, ImportOptions, Progress, import_files};
    let Some((output, inputs)) = files.split_last() else {
        anyhow::bail!("name the input file and the new graph file");
    };
    let format = match format {
        Some(flag) => Some(Format::from_flag(flag).ok_or_else(|| {
            anyhow::anyhow!("--format {flag:?}: use gexf, graphml, csv, ftm or stix")
        })?),
        None => None,
    };
    let csv_mapping = match mapping {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|error| {
            anyhow::anyhow!("could not read the mapping {}: {error}", path.display())
        })?),
        None => None,
    };
    let options = ImportOptions {
        format,
        csv_mapping,
    };
    let progress = std::sync::Arc::new(Progress::default());
    let summary = import_files(inputs, output, &options, &progress)?;
    println!("{}: {summary}", output.display());
    Ok(ExitCode::SUCCESS)
}

/// `linkscope export-graph`: the file's graph in another tool's format.
pub(crate) fn export_graph(
    file: &std::path::Path,
    out: &std::path::Path,
    format: Option<&str>,
    shown: bool,
    options: linkscope::export::graph_formats::GraphExportOptions,
) -> anyhow::Result<ExitCode> {
    use linkscope::export::graph_formats::{
        GraphExportError, GraphFormat, export_graph_look_from_rows, export_graph_reading_look,
    };
    let flag = format.map(str::to_owned).or_else(|| {
        out.extension()
            .map(|extension| extension.to_string_lossy().to_lowercase())
    });
    let Some(format) = flag.as_deref().and_then(GraphFormat::from_flag) else {
        anyhow::bail!(
            "{}: say --format gexf, graphml or csv (the name does not end in one)",
            out.display()
        );
    };
    let look = || {
        linkscope::export::headless::saved_view_look(file, shown).map_err(|error| {
            GraphExportError::Look {
                path: file.to_path_buf(),
                detail: error.to_string(),
            }
        })
    };
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let summary = if shown {
        export_graph_reading_look(file, out, format, options, look, &cancel)?
    } else {
        // Without --shown the look needs only the rows the export reads.
        export_graph_look_from_rows(
            file,
            out,
            format,
            options,
            linkscope::export::headless::look_of_rows,
            &cancel,
        )?
    };
    for warning in &summary.warnings {
        eprintln!("linkscope: warning: {warning}");
    }
    for path in &summary.files {
        println!(
            "wrote {} ({} {} entities, {} relations)",
            path.display(),
            format.name(),
            summary.entities,
            summary.relations
        );
    }
    Ok(ExitCode::SUCCESS)
}
