//! The `bench-layout` command's engine: load a benchmark graph and start positions, time
//! `ForceAtlas2` iterations the way the peer benchmarks do, score the result, and report one JSON
//! object. The CLI (clap) lives in `main.rs` and maps its arguments to [`BenchLayoutArgs`].

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::agreement::{UNKNOWN_COMMUNITY, knn_agreement};
use super::{Layout, LayoutSettings, edge_length_ratio, quality};

/// Neighbours per node in the community agreement score.
pub const AGREEMENT_NEIGHBOURS: usize = 10;
/// Iterations after which `--until-settled` gives up waiting (the window's cap).
pub const SETTLE_CAP: u64 = 3000;

/// Arguments of one benchmark.
#[derive(Clone, Debug)]
pub struct BenchLayoutArgs {
    /// `src dst` per line, 0-based node ids.
    pub edges: PathBuf,
    /// `x y` per line, one line per node; the node count is the number of lines.
    pub positions: PathBuf,
    /// Iterations per run (at least 2: timing runs from the end of the first to the last).
    pub iterations: usize,
    /// Barnes–Hut theta in Gephi's meaning.
    pub theta: f32,
    /// Worker threads; 0 lets rayon choose.
    pub threads: usize,
    /// Timed runs, each from the start positions; the median is reported.
    pub runs: usize,
    /// Where to write the final positions of the last run (`x y` per line), if anywhere.
    pub write_positions: Option<PathBuf>,
    /// Nodes sampled for the quality score.
    pub quality_sample: usize,
    /// `node,community` lines (0-based node ids; labels are any text) to score the
    /// final picture's kNN community agreement.
    pub communities: Option<PathBuf>,
    /// Run each layout from its start until it has settled (as the window does) instead of
    /// for a fixed number of iterations, and report the time that took.
    pub until_settled: bool,
    /// The layout settings; `theta` above overrides theirs.
    pub settings: LayoutSettings,
}

impl BenchLayoutArgs {
    /// Arguments with the benchmark kit's defaults (20 iterations, theta 1.2, 2 threads,
    /// 3 runs, 1000 quality samples).
    pub fn new(edges: PathBuf, positions: PathBuf) -> Self {
        Self {
            edges,
            positions,
            iterations: 20,
            theta: 1.2,
            threads: 2,
            runs: 3,
            write_positions: None,
            quality_sample: 1000,
            communities: None,
            until_settled: false,
            settings: LayoutSettings::default(),
        }
    }
}

/// One benchmark result; serialises to the same fields as the peers' JSON lines.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    pub tool: &'static str,
    pub version: &'static str,
    /// File stem of the edges file.
    pub graph: String,
    pub n: usize,
    pub m: usize,
    pub iters: usize,
    pub runs: usize,
    pub theta: f32,
    pub threads: usize,
    /// Median over runs of `(t_last - t_first) / (iters - 1)` from per-iteration timestamps.
    pub ms_per_iter_median: f64,
    pub ms_per_iter_runs: Vec<f64>,
    /// Seconds to read and parse both files.
    pub load_s: f64,
    /// Median milliseconds to construct the layout (adjacency, first curve sort).
    pub setup_ms: f64,
    /// Peak resident memory of the process in MiB (Linux `VmHWM`), if known.
    pub peak_rss_mb: Option<f64>,
    /// Memory held by the layout state in MiB.
    pub layout_state_mb: f64,
    /// Neighbourhood preservation of the final positions of the last run.
    pub quality_neighbourhood_preservation: f64,
    /// The same score for the start positions, as a baseline.
    pub quality_initial: f64,
    /// Mean edge length over mean random-pair distance of the final positions (lower is better).
    pub quality_edge_length_ratio: f64,
    pub quality_sample: usize,
    /// Whether the last run reported convergence.
    pub converged: bool,
    /// Layout algorithm (`community` or `forceatlas2`).
    pub algorithm: &'static str,
    /// kNN community agreement of the last run's final picture (10 nearest neighbours).
    pub agreement: Option<f64>,
    /// With `--until-settled`: median wall seconds from the start (the layout's construction,
    /// multilevel start included) to the settled picture, and the iterations that took.
    pub settle_s_median: Option<f64>,
    pub settle_iterations: Option<u64>,
}

/// A benchmark's graph, in memory: what [`run_layout_bench`] reads from the files, or what the
/// CLI builds from a graph file.
pub struct BenchInput {
    /// Names the graph in the report.
    pub graph: String,
    pub edges: Vec<(u32, u32)>,
    pub positions: Vec<[f32; 2]>,
    /// One community per node ([`UNKNOWN_COMMUNITY`] when not known), to score agreement.
    pub communities: Option<Vec<u32>>,
    /// Seconds spent reading the input.
    pub load_s: f64,
}

impl BenchReport {
    /// The report as one JSON line.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

/// Why a benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: node {node} is out of range: the positions file has {count} nodes", path.display())]
    NodeOutOfRange {
        path: PathBuf,
        node: u32,
        count: usize,
    },
    #[error("{}: node {node} is out of range: the graph has {count} nodes", path.display())]
    CommunityOutOfRange {
        path: PathBuf,
        node: i64,
        count: usize,
    },
    #[error("invalid benchmark arguments: {0}")]
    Args(String),
    #[error("cannot start the thread pool: {0}")]
    ThreadPool(#[from] rayon::ThreadPoolBuildError),
}

/// Runs the benchmark described by `args` (see [`BenchLayoutArgs`]) on its files.
pub fn run_layout_bench(args: &BenchLayoutArgs) -> Result<BenchReport, BenchError> {
    let loading = Instant::now();
    let edges = read_edges(&args.edges)?;
    let positions = read_positions(&args.positions)?;
    let communities = match &args.communities {
        Some(path) => {
            let mut per_node = vec![UNKNOWN_COMMUNITY; positions.len()];
            for (node, community) in read_communities(path)? {
                let slot = usize::try_from(node)
                    .ok()
                    .and_then(|node| per_node.get_mut(node))
                    .ok_or_else(|| BenchError::CommunityOutOfRange {
                        path: path.clone(),
                        node,
                        count: positions.len(),
                    })?;
                *slot = community;
            }
            Some(per_node)
        }
        None => None,
    };
    let load_s = loading.elapsed().as_secs_f64();
    if let Some(node) = edges
        .iter()
        .map(|&(s, t)| s.max(t))
        .max()
        .filter(|&v| v as usize >= positions.len())
    {
        return Err(BenchError::NodeOutOfRange {
            path: args.edges.clone(),
            node,
            count: positions.len(),
        });
    }
    let graph = args
        .edges
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    run_bench_input(
        args,
        BenchInput {
            graph,
            edges,
            positions,
            communities,
            load_s,
        },
    )
}

/// Runs the benchmark on a graph already in memory. A layout whose algorithm starts from its
/// own multilevel placement ignores `input.positions` but for their number, as the window does.
pub fn run_bench_input(
    args: &BenchLayoutArgs,
    input: BenchInput,
) -> Result<BenchReport, BenchError> {
    if args.iterations < 2 && !args.until_settled {
        return Err(BenchError::Args(format!(
            "iterations must be at least 2, got {}",
            args.iterations
        )));
    }
    if !(args.theta >= 0.0 && args.theta.is_finite()) {
        return Err(BenchError::Args(format!(
            "theta must be a finite number >= 0, got {}",
            args.theta
        )));
    }
    let BenchInput {
        graph,
        edges,
        positions,
        communities,
        load_s,
    } = input;
    let runs = args.runs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let settings = LayoutSettings {
        theta: args.theta,
        ..args.settings.clone()
    };

    let (mut per_iter, mut setup, mut last_positions) = (Vec::new(), Vec::new(), Vec::new());
    let (mut settle, mut settle_iterations) = (Vec::new(), 0);
    let (mut state_bytes, mut converged) = (0, false);
    let (final_q, initial_q, edge_ratio, agreement) = pool.install(|| {
        for _ in 0..runs {
            let started = Instant::now();
            let mut layout = Layout::from_start(&positions, &edges, settings.clone());
            setup.push(started.elapsed().as_secs_f64() * 1e3);
            let mut stamps = Vec::with_capacity(args.iterations);
            if args.until_settled {
                while !layout.converged() && layout.iteration() < SETTLE_CAP {
                    converged = layout.step().converged;
                    stamps.push(Instant::now());
                }
                settle.push(started.elapsed().as_secs_f64());
                settle_iterations = layout.iteration();
            } else {
                for _ in 0..args.iterations {
                    converged = layout.step().converged;
                    stamps.push(Instant::now());
                }
            }
            let span = match (stamps.first(), stamps.last()) {
                (Some(&first), Some(&last)) if stamps.len() > 1 => {
                    (last - first).as_secs_f64() * 1e3 / (stamps.len() - 1) as f64
                }
                _ => 0.0,
            };
            per_iter.push(span);
            layout.copy_positions_into(&mut last_positions);
            state_bytes = layout.state_bytes();
        }
        let seed = 0x5EED;
        (
            quality(&last_positions, &edges, args.quality_sample, seed),
            quality(&positions, &edges, args.quality_sample, seed),
            edge_length_ratio(&last_positions, &edges, 100_000, seed),
            communities
                .as_ref()
                .and_then(|c| knn_agreement(&last_positions, c, AGREEMENT_NEIGHBOURS)),
        )
    });
    if let Some(path) = &args.write_positions {
        write_positions(path, &last_positions)?;
    }
    Ok(BenchReport {
        tool: "linkscope",
        version: env!("CARGO_PKG_VERSION"),
        graph,
        n: positions.len(),
        m: edges.len(),
        iters: if args.until_settled {
            settle_iterations as usize
        } else {
            args.iterations
        },
        runs,
        theta: args.theta,
        threads: pool.current_num_threads(),
        ms_per_iter_median: round(median(&per_iter), 2),
        ms_per_iter_runs: per_iter.iter().map(|&v| round(v, 2)).collect(),
        load_s: round(load_s, 2),
        setup_ms: round(median(&setup), 1),
        peak_rss_mb: peak_rss_mb().map(|v| round(v, 1)),
        layout_state_mb: round(state_bytes as f64 / (1024.0 * 1024.0), 1),
        quality_neighbourhood_preservation: round(final_q, 4),
        quality_initial: round(initial_q, 4),
        quality_edge_length_ratio: round(edge_ratio, 4),
        quality_sample: args.quality_sample,
        converged,
        algorithm: settings.algorithm.name(),
        agreement: agreement.map(|a| round(a, 4)),
        settle_s_median: args.until_settled.then(|| round(median(&settle), 3)),
        settle_iterations: args.until_settled.then_some(settle_iterations),
    })
}

fn round(v: f64, digits: i32) -> f64 {
    let p = 10f64.powi(digits);
    (v * p).round() / p
}

/// Median as Python's `statistics.median` (mean of the middle two for an even count).
fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        len if len % 2 == 1 => v[len / 2],
        len => 0.5 * (v[len / 2 - 1] + v[len / 2]),
    }
}

/// Peak resident set size from `/proc/self/status` (`VmHWM`, in kB), in MiB.
fn peak_rss_mb() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn read(path: &Path) -> Result<Vec<u8>, BenchError> {
    fs::read(path).map_err(|source| BenchError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads an edges file: `src dst` per line (0-based ids, whitespace separated). Blank lines and
/// lines starting with `#` are skipped.
pub fn read_edges(path: &Path) -> Result<Vec<(u32, u32)>, BenchError> {
    parse_edges(&read(path)?, path)
}

/// Reads a positions file: `x y` per line.
pub fn read_positions(path: &Path) -> Result<Vec<[f32; 2]>, BenchError> {
    parse_positions(&read(path)?, path)
}

/// Reads a communities file: `id,community` or `id community` per line; a first line that
/// does not start with a number (a header) is skipped. Community labels are any text, numbered
/// in order of first appearance.
pub fn read_communities(path: &Path) -> Result<Vec<(i64, u32)>, BenchError> {
    parse_communities(&read(path)?, path)
}

pub(crate) fn parse_communities(bytes: &[u8], path: &Path) -> Result<Vec<(i64, u32)>, BenchError> {
    let mut labels: std::collections::HashMap<Vec<u8>, u32> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for (line, fields) in records(bytes) {
        let fields: Vec<&[u8]> = fields
            .iter()
            .flat_map(|f| f.split(|&b| b == b','))
            .map(<[u8]>::trim_ascii)
            .filter(|f| !f.is_empty())
            .collect();
        let [id, label] = two_fields(&fields, path, line)?;
        let Some(id) = std::str::from_utf8(id)
            .ok()
            .and_then(|t| t.parse::<i64>().ok())
        else {
            if out.is_empty() && labels.is_empty() {
                // The header.
                labels.insert(Vec::new(), UNKNOWN_COMMUNITY);
                continue;
            }
            return Err(BenchError::Parse {
                path: path.to_path_buf(),
                line,
                message: format!("not an id: {:?}", String::from_utf8_lossy(id)),
            });
        };
        let next = u32::try_from(labels.len()).unwrap_or(UNKNOWN_COMMUNITY - 1);
        let community = *labels.entry(label.to_vec()).or_insert(next);
        out.push((id, community));
    }
    Ok(out)
}

/// Non-empty, non-comment lines with their 1-based numbers, split into fields.
fn records(bytes: &[u8]) -> impl Iterator<Item = (usize, Vec<&[u8]>)> {
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim_ascii();
            if line.is_empty() || line[0] == b'#' {
                return None;
            }
            Some((
                i + 1,
                line.split(u8::is_ascii_whitespace)
                    .filter(|f| !f.is_empty())
                    .collect(),
            ))
        })
}

fn two_fields<'a>(
    fields: &[&'a [u8]],
    path: &Path,
    line: usize,
) -> Result<[&'a [u8]; 2], BenchError> {
    match fields {
        [a, b] => Ok([a, b]),
        _ => Err(BenchError::Parse {
            path: path.to_path_buf(),
            line,
            message: format!("expected 2 fields, found {}", fields.len()),
        }),
    }
}

/// Parses edges from file contents; `path` only names the file in errors.
pub(crate) fn parse_edges(bytes: &[u8], path: &Path) -> Result<Vec<(u32, u32)>, BenchError> {
    let mut edges = Vec::with_capacity(bytes.len() / 12);
    for (line, fields) in records(bytes) {
        let [a, b] = two_fields(&fields, path, line)?;
        let id = |f: &[u8]| {
            parse_u32(f).ok_or_else(|| BenchError::Parse {
                path: path.to_path_buf(),
                line,
                message: format!("not a node id: {:?}", String::from_utf8_lossy(f)),
            })
        };
        edges.push((id(a)?, id(b)?));
    }
    Ok(edges)
}

/// Parses positions from file contents; `path` only names the file in errors.
pub(crate) fn parse_positions(bytes: &[u8], path: &Path) -> Result<Vec<[f32; 2]>, BenchError> {
    let mut positions = Vec::with_capacity(bytes.len() / 16);
    for (line, fields) in records(bytes) {
        let [a, b] = two_fields(&fields, path, line)?;
        let coord = |f: &[u8]| {
            std::str::from_utf8(f)
                .ok()
                .and_then(|s| s.parse::<f32>().ok())
                .filter(|v| v.is_finite())
                .ok_or_else(|| BenchError::Parse {
                    path: path.to_path_buf(),
                    line,
                    message: format!("not a finite coordinate: {:?}", String::from_utf8_lossy(f)),
                })
        };
        positions.push([coord(a)?, coord(b)?]);
    }
    Ok(positions)
}

/// A decimal `u32` (digits only, no sign), `None` on anything else or overflow.
fn parse_u32(field: &[u8]) -> Option<u32> {
    if field.is_empty() || field.len() > 10 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in field {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    u32::try_from(v).ok()
}

/// Writes `x y` per line in node order.
pub fn write_positions(path: &Path, positions: &[[f32; 2]]) -> Result<(), BenchError> {
    let err = |source| BenchError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut w = BufWriter::new(fs::File::create(path).map_err(err)?);
    for p in positions {
        writeln!(w, "{} {}", p[0], p[1]).map_err(err)?;
    }
    w.flush().map_err(err)
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn parses_edges_and_positions() {
        let p = Path::new("g.txt");
        let edges = parse_edges(b"0 1\n# comment\n\n2\t3\r\n 4 5 \n", p).expect("valid");
        assert_eq!(edges, vec![(0, 1), (2, 3), (4, 5)]);
        let pos = parse_positions(b"1.5 -2\n-0.25e1 3\n", p).expect("valid");
        assert_eq!(pos, vec![[1.5, -2.0], [-2.5, 3.0]]);
    }

    #[test]
    fn rejects_bad_lines_naming_file_and_line() {
        let p = Path::new("data/graph.txt");
        let e = parse_edges(b"0 1\n1 x\n", p)
            .expect_err("bad id")
            .to_string();
        assert!(e.starts_with("data/graph.txt:2:"), "{e}");
        let e = parse_edges(b"0 1\n\n1 2 3\n", p)
            .expect_err("three fields")
            .to_string();
        assert!(
            e.starts_with("data/graph.txt:3:") && e.contains("expected 2 fields"),
            "{e}"
        );
        let e = parse_edges(b"-1 2\n", p).expect_err("negative").to_string();
        assert!(e.starts_with("data/graph.txt:1:"), "{e}");
        let e = parse_edges(b"4294967296 2\n", p)
            .expect_err("overflow")
            .to_string();
        assert!(e.contains(":1:"), "{e}");
        let e = parse_positions(b"1 2\n3 nan\n", Path::new("pos.txt"))
            .expect_err("nan")
            .to_string();
        assert!(e.starts_with("pos.txt:2:"), "{e}");
    }

    #[test]
    fn bench_runs_end_to_end_on_small_files() {
        let dir = std::env::temp_dir().join(format!("linkscope-bench-test-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        let (edges, pos, out) = (
            dir.join("graph_tiny.txt"),
            dir.join("pos.txt"),
            dir.join("out.txt"),
        );
        let (mut ring, mut start) = (String::new(), String::new());
        for i in 0..30 {
            writeln!(ring, "{i} {}", (i + 1) % 30).expect("string");
            writeln!(start, "{} {}", i * 7 % 30, i * 11 % 30).expect("string");
        }
        fs::write(&edges, ring).expect("write edges");
        fs::write(&pos, start).expect("write positions");
        let mut args = BenchLayoutArgs::new(edges.clone(), pos);
        (
            args.iterations,
            args.runs,
            args.threads,
            args.write_positions,
        ) = (5, 2, 1, Some(out.clone()));
        let report = run_layout_bench(&args).expect("bench runs");
        assert_eq!(
            (report.n, report.m, report.graph.as_str()),
            (30, 30, "graph_tiny")
        );
        assert_eq!(report.ms_per_iter_runs.len(), 2);
        assert!(
            report
                .to_json()
                .expect("json")
                .contains("\"tool\":\"linkscope\"")
        );
        assert_eq!(read_positions(&out).expect("written").len(), 30);
        fs::write(&edges, "0 99\n").expect("write edges");
        assert!(matches!(
            run_layout_bench(&args),
            Err(BenchError::NodeOutOfRange { node: 99, .. })
        ));
        fs::remove_dir_all(&dir).ok();
    }
}
