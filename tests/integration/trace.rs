//! Tracing against networkx: path lengths (following direction and
//! ignoring it), the best-sourced route's cost, k-hop neighbourhood sizes
//! and simple-path counts, on the bundled sample and on two real networks
//! nobody here drew (Zachary's karate club, Les Misérables). The expected
//! numbers are in `tests/fixtures/trace/reference.json`, written by
//! `python3 scripts/trace_reference.py` (networkx 3.6.1), which also wrote
//! the two fixture files. And `linkscope path`, run as the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use linkscope::model::Graph;
use linkscope::model::trace::{
    Direction, TraceIndex, TraceOptions, TracePath, all_paths, shortest_path,
};
use linkscope::store::{LoadProgress, load_graph};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn reference() -> Value {
    let text = std::fs::read_to_string(fixture("tests/fixtures/trace/reference.json")).unwrap();
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

fn options(direction: Direction, prefer_evidence: bool) -> TraceOptions {
    TraceOptions {
        direction,
        prefer_evidence,
    }
}

/// Every ordered pair's answer against networkx's: hops for the fewest-hops
/// search, the summed cost for the best-sourced one (within float error),
/// and no path exactly where networkx finds none.
#[test]
fn path_lengths_and_costs_match_networkx_for_every_pair() {
    let reference = reference();
    for (name, file) in FILES {
        let graph = load(&fixture(file));
        let index = TraceIndex::build(&graph);
        let expected = &reference[name];
        let ids: Vec<i64> = serde_json::from_value(expected["ids"].clone()).unwrap();
        assert_eq!(ids.len(), graph.node_count(), "{name}");
        let mut compared = 0;
        for (key, direction, prefer_evidence) in [
            ("hops_directed", Direction::Follow, false),
            ("hops_undirected", Direction::Ignore, false),
            ("cost_directed", Direction::Follow, true),
            ("cost_undirected", Direction::Ignore, true),
        ] {
            for (row, &from_id) in ids.iter().enumerate() {
                for (column, &to_id) in ids.iter().enumerate() {
                    let want = &expected[key][row][column];
                    let from = graph.node_by_db_id(from_id).unwrap();
                    let to = graph.node_by_db_id(to_id).unwrap();
                    let found =
                        shortest_path(&index, from, to, options(direction, prefer_evidence));
                    let context = format!("{name} {key} {from_id} → {to_id}");
                    match (want.as_f64(), &found) {
                        (None, None) => {}
                        (Some(want), Some(path)) => {
                            check_path_is_walkable(&graph, path, direction, &context);
                            if prefer_evidence {
                                let cost = f64::from(path.evidence_cost(&graph));
                                assert!(
                                    (cost - want).abs() <= 1e-4 * want.max(1.0),
                                    "{context}: cost {cost}, networkx {want}"
                                );
                            } else {
                                let want = expected[key][row][column].as_u64();
                                assert_eq!(Some(path.hops() as u64), want, "{context}");
                            }
                            compared += 1;
                        }
                        (want, found) => panic!("{context}: networkx {want:?}, found {found:?}"),
                    }
                }
            }
        }
        assert!(compared > ids.len() * 4, "{name}: only {compared} paths");
    }
}

/// The path is a real walk: each hop's relation joins the two nodes, in
/// the allowed direction.
fn check_path_is_walkable(graph: &Graph, path: &TracePath, direction: Direction, context: &str) {
    assert_eq!(path.nodes.len(), path.edges.len() + 1, "{context}");
    for (hop, &edge) in path.edges.iter().enumerate() {
        let (subject, object) = graph.edge_endpoints(edge);
        let (from, to) = (path.nodes[hop], path.nodes[hop + 1]);
        let forwards = (subject, object) == (from, to);
        let backwards = (subject, object) == (to, from);
        assert!(
            forwards || (backwards && direction == Direction::Ignore),
            "{context}: hop {hop} takes relation {} that does not join them",
            graph.edge_db_id(edge)
        );
    }
}

#[test]
fn neighbourhood_sizes_match_networkx() {
    let reference = reference();
    for (name, file) in FILES {
        let graph = load(&fixture(file));
        let sizes = reference[name]["k_hop_sizes"].as_object().unwrap();
        assert!(sizes.len() >= 3);
        for (seed, want) in sizes {
            let seed = graph.node_by_db_id(seed.parse().unwrap()).unwrap();
            for (k, want) in want.as_array().unwrap().iter().enumerate() {
                assert_eq!(
                    graph.neighbourhood(seed, k + 1).len() as u64,
                    want.as_u64().unwrap(),
                    "{name}: seed {} at {} hops",
                    graph.node_db_id(seed),
                    k + 1
                );
            }
        }
    }
}

#[test]
fn simple_path_counts_match_networkx() {
    let reference = reference();
    for (name, file) in FILES {
        let graph = load(&fixture(file));
        let index = TraceIndex::build(&graph);
        for case in reference[name]["simple_paths"].as_array().unwrap() {
            let node = |key: &str| graph.node_by_db_id(case[key].as_i64().unwrap()).unwrap();
            let max_hops = case["max_hops"].as_u64().unwrap() as usize;
            for (key, direction) in [
                ("directed", Direction::Follow),
                ("undirected", Direction::Ignore),
            ] {
                let found = all_paths(
                    &index,
                    &graph,
                    node("from"),
                    node("to"),
                    max_hops,
                    direction,
                    100,
                );
                let context = format!("{name} {case} {key}");
                assert!(!found.truncated, "{context}");
                assert_eq!(
                    found.paths.len() as u64,
                    case[key].as_u64().unwrap(),
                    "{context}"
                );
                let mut seen = std::collections::BTreeSet::new();
                for pair in found.paths.windows(2) {
                    assert!(
                        pair[0].hops() <= pair[1].hops(),
                        "{context}: shortest first"
                    );
                }
                for path in &found.paths {
                    check_path_is_walkable(&graph, path, direction, &context);
                    assert!(path.hops() <= max_hops);
                    assert!(seen.insert(path.nodes.clone()), "{context}: listed twice");
                    let distinct: std::collections::BTreeSet<_> = path.nodes.iter().collect();
                    assert_eq!(distinct.len(), path.nodes.len(), "{context}: not simple");
                }
            }
        }
    }
}

/// Worked by hand from the sample's SQL (every document is graded F, so
/// w = 0.5 × credibility weight):
/// - relation 53, Sirajuddin Haqqani → Afghanistan directly, cites one F4
///   excerpt: w = 0.125, cost 0.01 − ln 0.125 = 2.089;
/// - relation 15, Haqqani → Taliban government (F2, F3: w 0.375 and 0.25,
///   p = 1 − 0.625 × 0.75 = 0.531, cost 0.643), then relation 22, Taliban
///   government → Afghanistan (F3, F3: p = 0.4375, cost 0.837): 1.479.
///
/// So the fewest-hops trace takes relation 53, and the well-sourced one 15
/// and 22.
#[test]
fn preferring_evidence_takes_the_two_well_sourced_hops_over_the_alleged_one() {
    let graph = load(&fixture("sample-db/sample.sqlite"));
    let index = TraceIndex::build(&graph);
    let haqqani = graph.node_by_db_id(2).unwrap();
    let afghanistan = graph.node_by_db_id(20).unwrap();
    let relations = |path: TracePath| -> Vec<i64> {
        path.edges
            .iter()
            .map(|&edge| graph.edge_db_id(edge))
            .collect()
    };
    let direct = shortest_path(
        &index,
        haqqani,
        afghanistan,
        options(Direction::Follow, false),
    );
    assert_eq!(relations(direct.unwrap()), vec![53]);
    let sourced = shortest_path(
        &index,
        haqqani,
        afghanistan,
        options(Direction::Follow, true),
    )
    .unwrap();
    assert!((sourced.evidence_cost(&graph) - 1.479).abs() < 1e-3);
    assert_eq!(relations(sourced), vec![15, 22]);
}

fn linkscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkscope"))
}

/// (excerpt id) of each excerpt relation `id` cites, straight from SQL.
fn excerpt_ids(file: &Path, relation: i64) -> Vec<i64> {
    let connection =
        rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut statement = connection
        .prepare(
            "SELECT excerpt_id FROM relation_excerpts WHERE relation_id = ?1 ORDER BY excerpt_id",
        )
        .unwrap();
    statement
        .query_map([relation], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn path_json_lists_each_hop_with_its_relation_and_exactly_its_excerpts() {
    let sample = fixture("sample-db/sample.sqlite");
    let output = linkscope()
        .arg("path")
        .arg(&sample)
        .args(["Sirajuddin Haqqani", "20", "--json", "--prefer-evidence"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let object = json.as_object().unwrap();
    assert_eq!(object.keys().collect::<Vec<_>>(), vec!["hops"]);
    let hops = json["hops"].as_array().unwrap();
    let ids: Vec<i64> = hops.iter().map(|hop| hop["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![15, 22]);
    assert_eq!(hops[0]["subject"], "Sirajuddin Haqqani");
    assert_eq!(hops[0]["label"], "is a leading figure of");
    assert_eq!(hops[0]["object"], "Taliban government");
    assert_eq!(hops[1]["subject"], "Taliban government");
    assert_eq!(hops[1]["label"], "rules");
    assert_eq!(hops[1]["object"], "Afghanistan");
    for hop in hops {
        let shown: Vec<i64> = hop["excerpts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|excerpt| excerpt["id"].as_i64().unwrap())
            .collect();
        assert_eq!(shown, excerpt_ids(&sample, hop["id"].as_i64().unwrap()));
        for excerpt in hop["excerpts"].as_array().unwrap() {
            assert!(!excerpt["text"].as_str().unwrap().is_empty());
            assert!(excerpt["document"]["title"].is_string());
            assert_eq!(excerpt["document"]["reliability"], "F");
        }
    }
    // Without the option: the one alleged hop.
    let output = linkscope()
        .arg("path")
        .arg(&sample)
        .args(["Sirajuddin Haqqani", "Afghanistan"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("Sirajuddin Haqqani → Afghanistan: 1 hop\n"),
        "{text}"
    );
    assert!(text.contains("[relation 53]"), "{text}");
    assert!(text.contains("(reliability F, credibility 4)"), "{text}");
}

#[test]
fn an_ambiguous_name_lists_its_candidates_and_exits_non_zero() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("twins.sqlite");
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
                 description TEXT, date_start TEXT, date_end TEXT, properties TEXT);
             CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL,
                 object_id INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT, date_start TEXT,
                 date_end TEXT, properties TEXT);
             CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT,
                 publisher TEXT, url TEXT, published TEXT, language TEXT, reliability TEXT);
             CREATE TABLE excerpts (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL,
                 text TEXT NOT NULL, locator TEXT, credibility TEXT);
             CREATE TABLE relation_excerpts (relation_id INTEGER NOT NULL, excerpt_id INTEGER NOT NULL);
             INSERT INTO entities (id, kind, name) VALUES
                 (7, 'actor', 'Ali Khan'), (8, 'organization', 'Ali Khan'), (9, 'actor', 'Omar');
             INSERT INTO relations (id, subject_id, object_id, kind) VALUES (1, 7, 9, 'knows');",
        )
        .unwrap();
    drop(connection);
    let run = |from: &str, to: &str| {
        linkscope()
            .arg("path")
            .arg(&path)
            .args([from, to])
            .output()
            .unwrap()
    };
    let output = run("Ali Khan", "Omar");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let error = String::from_utf8(output.stderr).unwrap();
    let first = error.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "linkscope: {}: FROM: 2 entities are named \"Ali Khan\"",
            path.display()
        )),
        "{error}"
    );
    assert!(error.contains("id 7: Ali Khan (actor)"), "{error}");
    assert!(error.contains("id 8: Ali Khan (organization)"), "{error}");

    // By id it is no longer ambiguous.
    let output = run("7", "Omar");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("1. Ali Khan knows Omar [relation 1]"),
        "{text}"
    );
    assert!(text.contains("unsupported"), "{text}");

    let output = run("Nobody", "Omar");
    assert!(!output.status.success());
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(
        error.contains("no entity has the id or the name \"Nobody\""),
        "{error}"
    );

    let output = run("Omar", "8");
    assert!(!output.status.success());
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(
        error.starts_with(&format!(
            "linkscope: {}: no path from \"Omar\" to \"Ali Khan\"",
            path.display()
        )),
        "{error}"
    );
}
