//! Centrality and communities against networkx, on the bundled sample and
//! on two real networks nobody here drew (Zachary's karate club, Les
//! Misérables). The expected numbers are in `tests/reference/metrics.json`,
//! written by `python3 scripts/metrics_reference.py` (networkx 3.6.1). And
//! `linkscope metrics`, run as the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use linkscope::model::Graph;
use linkscope::model::metrics::{
    BetweennessMode, Csr, Metrics, MetricsProgress, compute, compute_with, modularity,
};
use linkscope::store::{LoadProgress, load_graph};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn reference() -> Value {
    let text = std::fs::read_to_string(fixture("tests/reference/metrics.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn load(path: &Path) -> Graph {
    load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap()
    .graph
}

const FILES: [(&str, &str); 3] = [
    ("sample", "sample-db/sample.sqlite"),
    ("karate", "tests/fixtures/trace/karate.sqlite"),
    ("lesmis", "tests/fixtures/trace/lesmis.sqlite"),
];

/// Relative tolerance for PageRank and betweenness: both sides are converged
/// (or exact) far below it, so only a real difference in definition shows.
const RELATIVE: f64 = 1e-6;

fn close(ours: f64, theirs: f64) -> bool {
    (ours - theirs).abs() <= RELATIVE * theirs.abs().max(1e-9)
}

fn computed(path: &str) -> (Graph, Metrics) {
    let graph = load(&fixture(path));
    let metrics = compute(&graph, &MetricsProgress::default()).unwrap();
    (graph, metrics)
}

#[test]
fn degree_pagerank_and_betweenness_match_networkx() {
    let reference = reference();
    for (name, path) in FILES {
        let (graph, metrics) = computed(path);
        let entities = reference[name]["entities"].as_array().unwrap();
        assert_eq!(entities.len(), graph.node_count(), "{name}");
        assert_eq!(metrics.betweenness_mode, BetweennessMode::Exact);
        for entity in entities {
            let id = entity["id"].as_i64().unwrap();
            let node = graph.node_by_db_id(id).unwrap() as usize;
            assert_eq!(
                u64::from(metrics.degree[node]),
                entity["degree"].as_u64().unwrap(),
                "{name} degree of {id}"
            );
            let pagerank = entity["pagerank"].as_f64().unwrap();
            assert!(
                close(metrics.pagerank[node], pagerank),
                "{name} PageRank of {id}: ours {} networkx {pagerank}",
                metrics.pagerank[node]
            );
            let betweenness = entity["betweenness"].as_f64().unwrap();
            assert!(
                close(metrics.betweenness[node], betweenness),
                "{name} betweenness of {id}: ours {} networkx {betweenness}",
                metrics.betweenness[node]
            );
        }
    }
}

/// The modularity function is checked on networkx's own partition first,
/// then our partition must score nearly as well as networkx's Louvain.
#[test]
fn louvain_communities_are_as_good_as_networkx_louvain() {
    let reference = reference();
    for (name, path) in FILES {
        let (graph, metrics) = computed(path);
        let csr = Csr::undirected(graph.node_count(), &graph.edge_pairs());
        assert_eq!(
            csr.undirected_edge_count() as u64,
            reference[name]["undirected_edges"].as_u64().unwrap(),
            "{name}"
        );
        let mut theirs = vec![u32::MAX; graph.node_count()];
        for (community, members) in reference[name]["louvain_communities"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            for id in members.as_array().unwrap() {
                let node = graph.node_by_db_id(id.as_i64().unwrap()).unwrap();
                theirs[node as usize] = community as u32;
            }
        }
        assert!(theirs.iter().all(|&c| c != u32::MAX), "{name}");
        let their_modularity = reference[name]["louvain_modularity"].as_f64().unwrap();
        assert!(
            (modularity(&csr, &theirs) - their_modularity).abs() < 1e-9,
            "{name}: modularity of networkx's partition, ours {} networkx {their_modularity}",
            modularity(&csr, &theirs)
        );
        assert!(
            (modularity(&csr, &metrics.community) - metrics.modularity).abs() < 1e-9,
            "{name}: the modularity reported is that of the communities given"
        );
        assert!(
            metrics.modularity >= their_modularity - 0.02,
            "{name}: modularity {} vs networkx louvain {their_modularity}",
            metrics.modularity
        );
        let count = metrics.community_sizes.len();
        let their_count = reference[name]["louvain_communities"]
            .as_array()
            .unwrap()
            .len();
        assert!(
            count.abs_diff(their_count) <= 2,
            "{name}: {count} communities vs networkx {their_count}"
        );
        let sizes_sum: u32 = metrics.community_sizes.iter().sum();
        assert_eq!(sizes_sum as usize, graph.node_count());
        assert!(metrics.community_sizes.is_sorted_by(|a, b| a >= b));
    }
}

/// Sampled betweenness on the same file is deterministic, and close enough to
/// the exact values to rank the top broker the same.
#[test]
fn sampled_betweenness_is_deterministic_and_ranks_the_top_broker() {
    let graph = load(&fixture("tests/fixtures/trace/lesmis.sqlite"));
    let mode = BetweennessMode::Sampled {
        pivots: 40,
        seed: 3,
    };
    let first = compute_with(&graph, mode, &MetricsProgress::default()).unwrap();
    let second = compute_with(&graph, mode, &MetricsProgress::default()).unwrap();
    assert_eq!(first, second);
    assert_eq!(first.betweenness_mode, mode);
    let reference = reference();
    let top_id = reference["lesmis"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .max_by(|a, b| {
            a["betweenness"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["betweenness"].as_f64().unwrap())
        })
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let ours_top = (0..graph.node_count())
        .max_by(|&a, &b| first.betweenness[a].total_cmp(&first.betweenness[b]))
        .unwrap();
    assert_eq!(graph.node_db_id(ours_top as u32), top_id);
}

/// Above the exact-mode size the window estimates betweenness from a sample
/// of sources, scaled up: checked against the exact values networkx
/// computes for the same graph (a Barabási–Albert graph of 5,200 entities
/// written by `scripts/metrics_reference.py`). A wrong scale factor (the
/// sample's n/k, or the factor 2 of counting each pair from both ends)
/// moves the sum by 2× or more; sampling moves it by a few percent.
#[test]
fn sampled_betweenness_estimates_networkx_exact_values() {
    let reference = reference();
    let expected = &reference["sampled"];
    let graph = load(&fixture("tests/fixtures/metrics/sampled.sqlite"));
    assert_eq!(
        graph.node_count() as u64,
        expected["entities"].as_u64().unwrap()
    );
    assert!(graph.node_count() > linkscope::model::metrics::EXACT_BETWEENNESS_MAX_NODES);
    let metrics = compute(&graph, &MetricsProgress::default()).unwrap();
    assert!(
        matches!(metrics.betweenness_mode, BetweennessMode::Sampled { .. }),
        "{:?}",
        metrics.betweenness_mode
    );
    let ours_sum: f64 = metrics.betweenness.iter().sum();
    let their_sum = expected["betweenness_sum"].as_f64().unwrap();
    let ratio = ours_sum / their_sum;
    assert!(
        (0.9..=1.1).contains(&ratio),
        "sum of betweenness: ours {ours_sum}, networkx {their_sum} (ratio {ratio})"
    );
    let node_of_id = |id: i64| {
        (0..graph.node_count() as u32)
            .find(|&node| graph.node_db_id(node) == id)
            .unwrap()
    };
    // 64 sources estimate each broker only roughly (networkx's own k=64
    // sample strays by up to 60% on one of the top 10, over seeds 0 to 7),
    // but their total and the typical error are steady.
    let top = expected["top"].as_array().unwrap();
    let pairs: Vec<(f64, f64)> = top
        .iter()
        .map(|entity| {
            let node = node_of_id(entity["id"].as_i64().unwrap());
            (
                metrics.betweenness[node as usize],
                entity["betweenness"].as_f64().unwrap(),
            )
        })
        .collect();
    let top_ratio = pairs.iter().map(|p| p.0).sum::<f64>() / pairs.iter().map(|p| p.1).sum::<f64>();
    assert!(
        (0.8..=1.25).contains(&top_ratio),
        "the 40 largest betweenness values sum to {top_ratio} times networkx's"
    );
    let mut errors: Vec<f64> = pairs
        .iter()
        .map(|(ours, theirs)| (ours - theirs).abs() / theirs)
        .collect();
    errors.sort_by(f64::total_cmp);
    let median = errors[errors.len() / 2];
    assert!(
        median <= 0.45,
        "median relative error of the top 40: {median}"
    );
    eprintln!(
        "sampled betweenness: sum ratio {ratio:.4}, top-40 sum ratio {top_ratio:.4}, median error {median:.3}"
    );
}

#[test]
fn a_cancelled_computation_returns_nothing() {
    let graph = load(&fixture("tests/fixtures/trace/lesmis.sqlite"));
    let progress = MetricsProgress::default();
    progress.cancel();
    assert!(compute(&graph, &progress).is_err());
}

fn linkscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkscope"))
}

#[test]
fn metrics_json_lists_every_entity_with_networkx_values() {
    let output = linkscope()
        .args(["metrics", "--json"])
        .arg(fixture("tests/fixtures/trace/karate.sqlite"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let list: Value = serde_json::from_slice(&output.stdout).unwrap();
    let list = list.as_array().unwrap();
    let reference = reference();
    let expected = reference["karate"]["entities"].as_array().unwrap();
    assert_eq!(list.len(), expected.len());
    for (row, expected) in list.iter().zip(expected) {
        assert_eq!(row["id"], expected["id"]);
        assert_eq!(row["degree"], expected["degree"]);
        assert!(close(
            row["pagerank"].as_f64().unwrap(),
            expected["pagerank"].as_f64().unwrap()
        ));
        assert!(close(
            row["betweenness"].as_f64().unwrap(),
            expected["betweenness"].as_f64().unwrap()
        ));
        assert!(row["name"].as_str().is_some());
        assert!(row["community"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn metrics_text_has_a_header_and_a_row_per_entity() {
    let output = linkscope()
        .arg("metrics")
        .arg(fixture("sample-db/sample.sqlite"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("# ") && lines[0].contains("modularity"),
        "{text}"
    );
    assert_eq!(
        lines[1],
        "id\tname\tdegree\tpagerank\tbetweenness\tcommunity"
    );
    assert_eq!(lines.len(), 2 + 27, "{text}");
    assert!(lines[2].starts_with("1\t"), "{text}");
    // Plain decimals (no `2.189058e-2`), equal to the JSON's numbers to
    // their six significant digits.
    let json = linkscope()
        .args(["metrics", "--json"])
        .arg(fixture("sample-db/sample.sqlite"))
        .output()
        .unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    for (line, row) in lines[2..].iter().zip(&rows) {
        let fields: Vec<&str> = line.split('\t').collect();
        for (field, key) in [(fields[3], "pagerank"), (fields[4], "betweenness")] {
            assert!(!field.contains('e'), "{key} written as {field}");
            let written: f64 = field.parse().unwrap();
            let exact = row[key].as_f64().unwrap();
            assert!(
                (written - exact).abs() <= 5e-6 * exact.abs(),
                "{key}: {field} for {exact}"
            );
        }
    }
}

#[test]
fn metrics_of_a_missing_file_fails_naming_it() {
    let output = linkscope()
        .args(["metrics", "/nonexistent/nowhere.sqlite"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(error.contains("/nonexistent/nowhere.sqlite"), "{error}");
}
