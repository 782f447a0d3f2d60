//! The `linkscope` binary: the window by default, or a subcommand.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use linkscope::app::{AppOptions, LinkscopeApp};
use linkscope::store::{self, GenerateOptions, LoadProgress};

/// Linkscope: a link-analysis explorer. Opens FILE (a graph file), or the
/// bundled sample when no file is given.
#[derive(Parser, Debug)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    /// The graph file to open.
    file: Option<PathBuf>,
    /// Once the layout has settled, save a screenshot of the window as PNG and quit.
    #[arg(long, value_name = "PNG")]
    screenshot: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Commands>,
}

#[derive(Subcommand, Debug)]
enum Commands {
    /// Print the load report of a graph file: counts and every skipped row.
    Check {
        file: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the entities matching TEXT, best first: names fuzzily (its letters in order, case
    /// ignored), then descriptions (every word). Exits 1 when nothing matches.
    Find {
        file: PathBuf,
        text: String,
        /// Print the matches as a JSON list of {id, name, kind, degree, score, field}.
        #[arg(long)]
        json: bool,
        /// List at most this many matches.
        #[arg(long, default_value_t = 20, allow_negative_numbers = true, value_parser = whole::<usize, 1, {u64::MAX}>)]
        limit: usize,
    },
    /// Write a seeded synthetic graph file (refuses to overwrite).
    Generate {
        #[arg(long, allow_negative_numbers = true, value_parser = whole::<usize, 1, MAX_NODES>)]
        nodes: usize,
        #[arg(long, allow_negative_numbers = true, value_parser = whole::<usize, 0, {u64::MAX}>)]
        edges: usize,
        #[arg(long, default_value_t = 7, allow_negative_numbers = true, value_parser = whole::<u64, 0, {u64::MAX}>)]
        seed: u64,
        /// Plant this many communities (entity i in community (i - 1) mod K) instead of
        /// preferential attachment: a benchmark for layouts that should show them.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = whole::<usize, 0, MAX_NODES>)]
        communities: usize,
        /// Share of relations drawn between planted communities.
        #[arg(long, default_value_t = 0.3, allow_negative_numbers = true, value_parser = share)]
        mixing: f64,
        /// Write the planted community of every entity here, as `entity_id,community` lines
        /// (what `bench-layout --communities` reads).
        #[arg(long, requires = "communities")]
        truth: Option<PathBuf>,
        file: PathBuf,
    },
    /// Draw a graph file as PNG or SVG with no window: its saved view when it has one,
    /// otherwise a seeded layout. The same file and options give the same bytes.
    Render {
        file: PathBuf,
        /// The picture to write: its name ends in .png or .svg.
        #[arg(long)]
        out: PathBuf,
        /// The picture's width in points.
        #[arg(long, default_value_t = 1600, allow_negative_numbers = true, value_parser = whole::<u32, 1, MAX_TARGET_SIDE>)]
        width: u32,
        /// The picture's height in points.
        #[arg(long, default_value_t = 1000, allow_negative_numbers = true, value_parser = whole::<u32, 1, MAX_TARGET_SIDE>)]
        height: u32,
        /// Pixels per point in a PNG: 1, 2 or 4 (at most 8192 pixels on a side).
        #[arg(long, default_value_t = 1, value_parser = scale)]
        scale: u32,
        #[arg(long, default_value = "dark", value_parser = ["dark", "light"])]
        theme: String,
        /// Leave the background out.
        #[arg(long)]
        transparent: bool,
        /// Layout iterations when the file has no saved view (default: until it settles).
        #[arg(long, allow_negative_numbers = true, value_parser = whole::<u64, 1, {u64::MAX}>)]
        iterations: Option<u64>,
        /// The layout's seed when the file has no saved view.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = whole::<u64, 0, {u64::MAX}>)]
        seed: u64,
        /// A title in the top-left corner.
        #[arg(long)]
        title: Option<String>,
        /// Draw the legend.
        #[arg(long)]
        legend: bool,
        /// Name the documents behind the drawn edges at the bottom.
        #[arg(long)]
        citations: bool,
        /// Draw only this entity (its database id, or its exact name) and its neighbours.
        #[arg(long, value_name = "ENTITY")]
        focus: Option<String>,
        /// How many relations away from --focus to draw.
        #[arg(long, default_value_t = 1, requires = "focus", allow_negative_numbers = true, value_parser = whole::<usize, 0, 10>)]
        hops: usize,
    },
    /// Write the evidence table of a graph file: every relation the window shows, with its
    /// excerpts and their documents (standard output unless --out is given).
    Evidence {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = EvidenceFormatArg::Csv)]
        format: EvidenceFormatArg,
        /// Write the table to this file (written beside it, then renamed into place).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Trace the shortest path between two entities and print each hop's relation with its
    /// excerpts: the evidence chain. FROM and TO are database ids or names; a name several
    /// entities share is refused with their list.
    Path {
        file: PathBuf,
        from: String,
        to: String,
        /// Print `{"hops": [...]}`: each relation's id, label, subject, object and excerpts.
        #[arg(long)]
        json: bool,
        /// Walk relations either way, not only from subject to object.
        #[arg(long)]
        undirected: bool,
        /// Prefer well-sourced relations to fewer hops (see the README for the cost).
        #[arg(long, long_help = linkscope::model::grades::PREFER_EVIDENCE_HELP)]
        prefer_evidence: bool,
    },
    /// Print every entity's degree, PageRank, betweenness and Louvain community (see the README
    /// for which graph each one reads); betweenness is estimated from a sample on big files.
    Metrics {
        file: PathBuf,
        /// Print a JSON list of {id, name, degree, pagerank, betweenness, community}.
        #[arg(long)]
        json: bool,
    },
    /// Time loading a graph file to its first frame, printing one JSON line.
    BenchLoad { file: PathBuf },
    /// Time GPU frames of a graph file rendered offscreen through the window's renderer,
    /// positions re-uploaded every frame as while the layout runs; prints one JSON line.
    BenchRender {
        file: PathBuf,
        /// Layout iterations run before rendering (0: the random start, the longest edges).
        #[arg(long, default_value_t = 100, allow_negative_numbers = true, value_parser = whole::<u64, 0, {u64::MAX}>)]
        iterations: u64,
        #[arg(long, default_value_t = 120, allow_negative_numbers = true, value_parser = whole::<usize, 1, {u64::MAX}>)]
        frames: usize,
        #[arg(long, default_value_t = 1600, allow_negative_numbers = true, value_parser = whole::<u32, 1, MAX_TARGET_SIDE>)]
        width: u32,
        #[arg(long, default_value_t = 1000, allow_negative_numbers = true, value_parser = whole::<u32, 1, MAX_TARGET_SIDE>)]
        height: u32,
    },
    /// Time the layout on an edge list, printing one JSON line (as the peers' kit does).
    BenchLayout {
        /// "src dst" per line, 0-based node ids.
        #[arg(long, required_unless_present = "graph", requires = "positions")]
        edges: Option<PathBuf>,
        /// "x y" per line: start positions.
        #[arg(long, requires = "edges")]
        positions: Option<PathBuf>,
        /// A graph file instead of the edge and position lists: laid out as the window lays
        /// it out (its settings for that size, its seeded start).
        #[arg(long, conflicts_with_all = ["edges", "positions"])]
        graph: Option<PathBuf>,
        /// Print the kNN community agreement of the final picture against this file of
        /// `id,community` lines (entity ids with --graph, else 0-based node ids).
        #[arg(long)]
        communities: Option<PathBuf>,
        /// Run until the layout has settled, as the window does, and print the time that took.
        #[arg(long)]
        until_settled: bool,
        #[arg(long, value_enum, default_value_t = AlgorithmArg::Community)]
        algorithm: AlgorithmArg,
        /// At least 2: the time per iteration runs from the end of the first to the last.
        #[arg(long, default_value_t = 20, allow_negative_numbers = true, value_parser = whole::<usize, 2, {u64::MAX}>)]
        iterations: usize,
        /// Barnes–Hut opening criterion, in Gephi's meaning (0: exact forces).
        #[arg(long, default_value_t = 1.2, allow_negative_numbers = true, value_parser = theta)]
        theta: f32,
        #[arg(long, default_value_t = 2, allow_negative_numbers = true, value_parser = whole::<usize, 1, MAX_THREADS>)]
        threads: usize,
        #[arg(long, default_value_t = 3, allow_negative_numbers = true, value_parser = whole::<usize, 1, {u64::MAX}>)]
        runs: usize,
        /// Write the final positions here, to compare layouts.
        #[arg(long)]
        write_positions: Option<PathBuf>,
    },
}

/// `--algorithm` of `linkscope bench-layout`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum AlgorithmArg {
    /// `LinLog` energy from a multilevel start: shows communities (the window's default).
    Community,
    /// Plain `ForceAtlas2` from a random start.
    Forceatlas2,
}

impl From<AlgorithmArg> for linkscope::layout::LayoutAlgorithm {
    fn from(value: AlgorithmArg) -> Self {
        match value {
            AlgorithmArg::Community => Self::Community,
            AlgorithmArg::Forceatlas2 => Self::ForceAtlas2,
        }
    }
}

/// `--format` of `linkscope evidence`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum EvidenceFormatArg {
    Csv,
    Md,
}

/// Node ids are 32-bit in the layout and on the GPU.
const MAX_NODES: u64 = u32::MAX as u64;
/// The offscreen target's largest side (wgpu's default texture limit, which egui-wgpu asks for).
const MAX_TARGET_SIDE: u64 = 8192;
/// More worker threads than this is a typo, not a machine.
const MAX_THREADS: u64 = 1024;

/// Parses a whole number in `MIN..=MAX` while the arguments are read, so that `--nodes 0` or
/// `--width -5` is refused, with the range expected, before any work starts.
fn whole<T: TryFrom<u64>, const MIN: u64, const MAX: u64>(text: &str) -> Result<T, String> {
    let expected = if MAX == u64::MAX {
        format!("expected a whole number of at least {MIN}")
    } else {
        format!("expected a whole number from {MIN} to {MAX}")
    };
    let value: i128 = text.trim().parse().map_err(|_| expected.clone())?;
    u64::try_from(value)
        .ok()
        .filter(|value| (MIN..=MAX).contains(value))
        .and_then(|value| T::try_from(value).ok())
        .ok_or(expected)
}

/// Parses an export scale: 1, 2 or 4 pixels per point.
fn scale(text: &str) -> Result<u32, String> {
    match text.trim() {
        "1" => Ok(1),
        "2" => Ok(2),
        "4" => Ok(4),
        _ => Err("expected 1, 2 or 4".to_owned()),
    }
}

/// Parses Barnes–Hut's theta: a finite number, 0 or more.
fn theta(text: &str) -> Result<f32, String> {
    let expected = || "expected a finite number of at least 0 (0: exact forces)".to_owned();
    let value: f32 = text.trim().parse().map_err(|_| expected())?;
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(expected())
    }
}

/// A share from 0 to 1.
fn share(text: &str) -> Result<f64, String> {
    let expected = || "expected a number from 0 to 1".to_owned();
    let value: f64 = text.trim().parse().map_err(|_| expected())?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(expected())
    }
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    let outcome = match cli.command {
        None => run_window(cli.file, cli.screenshot),
        Some(Commands::Check { file, json }) => check(&file, json),
        Some(Commands::Find {
            file,
            text,
            json,
            limit,
        }) => find(&file, &text, json, limit),
        Some(Commands::Evidence { file, format, out }) => evidence(&file, format, out.as_deref()),
        Some(Commands::Path {
            file,
            from,
            to,
            json,
            undirected,
            prefer_evidence,
        }) => path(&file, &from, &to, json, undirected, prefer_evidence),
        Some(Commands::Metrics { file, json }) => metrics(&file, json),
        Some(Commands::BenchLoad { file }) => bench_load(&file),
        Some(Commands::Render {
            file,
            out,
            width,
            height,
            scale,
            theme,
            transparent,
            iterations,
            seed,
            title,
            legend,
            citations,
            focus,
            hops,
        }) => render(&linkscope::export::headless::HeadlessRender {
            file,
            out,
            size: egui::vec2(width as f32, height as f32),
            scale: scale as f32,
            style: linkscope::export::picture::PictureStyle {
                theme: if theme == "light" {
                    linkscope::view::theme::Theme::Light
                } else {
                    linkscope::view::theme::Theme::Dark
                },
                transparent,
                title,
                legend,
                citations,
            },
            iterations,
            seed,
            focus,
            hops,
        }),
        Some(Commands::BenchRender {
            file,
            iterations,
            frames,
            width,
            height,
        }) => bench_render(&file, iterations, frames, [width, height]),
        Some(Commands::Generate {
            nodes,
            edges,
            seed,
            communities,
            mixing,
            truth,
            file,
        }) => generate(
            &file,
            &GenerateOptions {
                nodes,
                edges,
                seed,
                communities,
                mixing,
                ..GenerateOptions::default()
            },
            truth.as_deref(),
        ),
        Some(Commands::BenchLayout {
            edges,
            positions,
            graph,
            communities,
            until_settled,
            algorithm,
            iterations,
            theta,
            threads,
            runs,
            write_positions,
        }) => bench_layout(
            &linkscope::layout::bench::BenchLayoutArgs {
                iterations,
                theta,
                threads,
                runs,
                write_positions,
                communities,
                until_settled,
                settings: linkscope::layout::LayoutSettings {
                    algorithm: algorithm.into(),
                    ..linkscope::layout::LayoutSettings::default()
                },
                ..linkscope::layout::bench::BenchLayoutArgs::new(
                    edges.unwrap_or_default(),
                    positions.unwrap_or_default(),
                )
            },
            graph.as_deref(),
        ),
    };
    match outcome {
        Ok(code) => code,
        // A reader that stops early (`linkscope check FILE | head -1`) is not an error: stop
        // quietly, as ripgrep and the Unix tools do.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("linkscope: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
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

fn render(request: &linkscope::export::headless::HeadlessRender) -> anyhow::Result<ExitCode> {
    let summary = linkscope::export::headless::render_headless(request)?;
    let how = if summary.used_saved_view {
        "the saved view".to_owned()
    } else {
        format!("{} layout iterations", summary.iterations)
    };
    print_out(&format!("wrote {} ({how})\n", summary.out.display()))?;
    Ok(ExitCode::SUCCESS)
}

fn run_window(file: Option<PathBuf>, screenshot: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    linkscope::jobs::memory::prefer_returning_large_blocks();
    let options = AppOptions {
        file,
        screenshot,
        native_dialogs: true,
        ..AppOptions::default()
    };
    let mut wgpu_options = egui_wgpu::WgpuConfiguration::default();
    linkscope::view::gpu::prefer_small_memory_blocks_in_software(&mut wgpu_options.wgpu_setup);
    let native_options = eframe::NativeOptions {
        wgpu_options,
        viewport: egui::ViewportBuilder::default()
            .with_title("Linkscope")
            .with_app_id("linkscope")
            .with_inner_size([1280.0, 820.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Linkscope",
        native_options,
        Box::new(|cc| Ok(Box::new(LinkscopeApp::new(cc, options)))),
    )
    .map_err(|error| anyhow::anyhow!("could not open the window: {error}"))?;
    Ok(ExitCode::SUCCESS)
}

fn check(file: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let progress = LoadProgress::default();
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let loaded = store::load_graph(file, &progress, &cancel)?;
    if json {
        let text = serde_json::to_string_pretty(&loaded.report)
            .context("could not write the report as JSON")?;
        print_out(&format!("{text}\n"))?;
    } else {
        print_out(&loaded.report.to_text())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The same ranking as the window's Find panel, through the same engine.
fn find(file: &std::path::Path, text: &str, json: bool, limit: usize) -> anyhow::Result<ExitCode> {
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
fn evidence(
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
fn path(
    file: &std::path::Path,
    from: &str,
    to: &str,
    json: bool,
    undirected: bool,
    prefer_evidence: bool,
) -> anyhow::Result<ExitCode> {
    use linkscope::export::path_report::{chain_json, chain_summary, chain_text, trace_file};
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
fn metrics(file: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
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

fn generate(
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

fn bench_layout(
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
/// load-thread work (reading the file, then the scene and the layout with its first positions,
/// built at once). Also SQLite's own scan of the relations, for the ratio.
fn bench_load(file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let progress = LoadProgress::default();
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let document = linkscope::jobs::prepare_document(
        file,
        1,
        &linkscope::layout::LayoutSettings::default(),
        &progress,
        &cancel,
    )?;
    let mut positions = Vec::new();
    document.layout.copy_positions_into(&mut positions);
    let timings = document.timings;
    let loaded = &document.loaded;
    let graph_mb = loaded.graph.heap_bytes() as f64 / 1e6;
    let peak_rss_mb = peak_rss_mb();
    std::hint::black_box((&document.scene, &positions));
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
        "layout_init_ms": round(timings.layout_init_ms),
        "first_frame_ms": round(timings.total_ms),
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
fn bench_render(
    file: &std::path::Path,
    iterations: u64,
    frames: usize,
    size: [u32; 2],
) -> anyhow::Result<ExitCode> {
    use linkscope::view::gpu::{GraphFrame, RenderQuality, offscreen::OffscreenRenderer};
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut document = linkscope::jobs::prepare_document(
        file,
        1,
        &linkscope::layout::LayoutSettings::default(),
        &LoadProgress::default(),
        &cancel,
    )?;
    while document.layout.iteration() < iterations && !document.layout.converged() {
        document.layout.step();
    }
    let mut positions = Vec::new();
    document.layout.copy_positions_into(&mut positions);
    let viewport =
        egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(size[0] as f32, size[1] as f32));
    let camera =
        linkscope::view::camera::fit_camera(document.scene.world_bounds(&positions), viewport);
    let edge_alpha = linkscope::view::edge_style::density_alpha(
        &document.scene.edges,
        &positions,
        camera,
        [viewport.width(), viewport.height()],
    );
    let mut frame = GraphFrame {
        positions: std::sync::Arc::new(positions),
        positions_generation: 1,
        node_styles: std::sync::Arc::clone(&document.scene.node_styles),
        edges: std::sync::Arc::clone(&document.scene.edges),
        styles_generation: document.scene.styles_generation,
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
        "layout_iterations": document.layout.iteration(),
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
