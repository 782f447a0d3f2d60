//! The command line beside the window: `check`, `generate` and the benches, run as the
//! real binary.

use std::process::Command;

fn linkscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkscope"))
}

fn sample() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite")
}

#[test]
fn check_prints_the_counts_of_the_sample_and_exits_zero() {
    let output = linkscope().arg("check").arg(sample()).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("format version 1"), "{text}");
    assert!(text.contains("documents: 2"), "{text}");
    assert!(text.contains("rows skipped: 0"), "{text}");
}

#[test]
fn check_json_has_the_same_counts() {
    let output = linkscope()
        .args(["check", "--json"])
        .arg(sample())
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["documents"], 2);
    assert!(report["entities"].as_u64().unwrap() >= 25);
    assert!(report["problems"].as_array().unwrap().is_empty());
}

#[test]
fn check_lists_skipped_rows_with_table_id_and_reason() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("g.sqlite");
    let output = linkscope()
        .args(["generate", "--nodes", "50", "--edges", "120"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch("PRAGMA foreign_keys = OFF")
        .unwrap();
    connection
        .execute("INSERT INTO relations (id, subject_id, object_id, kind) VALUES (9999, 1, 123456, 'knows')", [])
        .unwrap();
    drop(connection);
    let output = linkscope()
        .args(["check", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["relations"], 120);
    assert_eq!(report["rows_skipped"], 1);
    let problem = &report["problems"][0];
    assert_eq!(problem["table"], "relations");
    assert_eq!(problem["id"], 9999);
    assert!(problem["reason"].as_str().unwrap().contains("123456"));
}

#[test]
fn check_of_a_bad_file_exits_non_zero_with_a_message() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("photo.jpg");
    std::fs::write(&path, [0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).unwrap();
    let output = linkscope().arg("check").arg(&path).output().unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(
        message.contains("not a SQLite database") && message.contains("photo.jpg"),
        "{message}"
    );
    let missing = linkscope()
        .arg("check")
        .arg(folder.path().join("missing.sqlite"))
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(
        String::from_utf8(missing.stderr)
            .unwrap()
            .contains("missing.sqlite")
    );
}

#[test]
fn generate_is_seeded_and_refuses_to_overwrite() {
    let folder = tempfile::tempdir().unwrap();
    let first = folder.path().join("a.sqlite");
    let second = folder.path().join("b.sqlite");
    for path in [&first, &second] {
        let status = linkscope()
            .args([
                "generate", "--nodes", "200", "--edges", "900", "--seed", "3",
            ])
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }
    let dump = |path: &std::path::Path| -> Vec<(i64, i64, i64)> {
        let connection = rusqlite::Connection::open(path).unwrap();
        let mut statement = connection
            .prepare("SELECT id, subject_id, object_id FROM relations ORDER BY id")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(dump(&first), dump(&second));
    assert_eq!(dump(&first).len(), 900);
    let again = linkscope()
        .args(["generate", "--nodes", "10", "--edges", "10"])
        .arg(&first)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(
        String::from_utf8(again.stderr)
            .unwrap()
            .contains("will not overwrite")
    );
}

#[test]
fn bench_load_reports_the_first_frame_of_the_sample() {
    let output = linkscope()
        .arg("bench-load")
        .arg(sample())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["relations"], 53);
    let first_frame = report["first_frame_ms"].as_f64().unwrap();
    let load = report["load_ms"].as_f64().unwrap();
    assert!(load > 0.0 && first_frame >= load, "{report}");
}

/// The offscreen renderer (the GPU frame-time bench) draws through the same pipelines as the
/// window; on CI that is lavapipe.
#[test]
fn bench_render_times_frames_of_the_sample_offscreen() {
    let output = linkscope()
        .arg("bench-render")
        .arg(sample())
        .args(["--frames", "3", "--width", "320", "--height", "200"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["edges"], 53);
    assert_eq!(report["frames"], 3);
    assert!(
        report["ms_per_frame_median"].as_f64().unwrap() > 0.0,
        "{report}"
    );
    assert!(!report["adapter"].as_str().unwrap().is_empty());
}
