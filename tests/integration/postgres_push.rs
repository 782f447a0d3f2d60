//! `push` stopped half-way: Ctrl+C, or a push that meets a staging schema
//! left by another, leaves the target schema as it was. Checked on the
//! server with plain SQL, not with the code under test.

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::postgres::{linkscope, push, server, text};

/// Tables of `schema` on the server, and whether `other` exists.
fn tables_and_schema(url: &str, schema: &str, other: &str) -> (Vec<String>, bool) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let tables = super::postgres::tables_of(&mut client, schema);
    let exists = client
        .query_opt("SELECT 1 FROM pg_namespace WHERE nspname = $1", &[&other])
        .unwrap()
        .is_some();
    (tables, exists)
}

#[test]
fn a_push_cancelled_with_ctrl_c_leaves_nothing_on_the_server() {
    let url = server();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.sqlite");
    let generated = linkscope(&[
        "generate",
        "--nodes",
        "60000",
        "--edges",
        "400000",
        "--seed",
        "3",
        file.to_str().unwrap(),
    ]);
    assert!(generated.status.success(), "{}", text(&generated));
    let mut child = Command::new(env!("CARGO_BIN_EXE_linkscope"))
        .args(["push", file.to_str().unwrap(), url, "--schema", "stopped"])
        .env("PGPASSFILE", "/nonexistent")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once the staging schema is there, rows are on their way.
    let started = Instant::now();
    while !tables_and_schema(url, "stopped", "linkscope_push_stopped").1 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the push never started"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the push ended before it was stopped"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("the push was cancelled"), "{stderr}");
    let (tables, staging_left) = tables_and_schema(url, "stopped", "linkscope_push_stopped");
    assert!(tables.is_empty(), "the cancelled push left {tables:?}");
    assert!(!staging_left, "the staging schema was left behind");
    // The next push of the same file into the same schema goes through.
    push(file.to_str().unwrap(), url, "stopped");
    let (tables, staging_left) = tables_and_schema(url, "stopped", "linkscope_push_stopped");
    assert_eq!(
        tables,
        [
            "documents",
            "entities",
            "excerpts",
            "relation_excerpts",
            "relations"
        ]
    );
    assert!(!staging_left);
}

#[test]
fn a_push_that_meets_a_staging_schema_left_behind_says_how_to_clear_it() {
    let url = server();
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .batch_execute("CREATE SCHEMA linkscope_push_blocked")
        .unwrap();
    let sample = super::postgres::manifest("sample-db/sample.sqlite");
    let refused = linkscope(&["push", sample.to_str().unwrap(), url, "--schema", "blocked"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("DROP SCHEMA linkscope_push_blocked CASCADE"),
        "{}",
        text(&refused)
    );
    let (tables, _) = tables_and_schema(url, "blocked", "");
    assert!(tables.is_empty(), "{tables:?}");
    client
        .batch_execute("DROP SCHEMA linkscope_push_blocked")
        .unwrap();
    push(sample.to_str().unwrap(), url, "blocked");
}
