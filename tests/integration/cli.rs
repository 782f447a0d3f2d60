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

/// The number of rows of `table` in the graph file at `path`, counted by SQLite itself.
fn row_count(path: &std::path::Path, table: &str) -> u64 {
    let connection =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    connection
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .unwrap()
}

/// A field that must be a finite number; `positive` also rules out zero.
fn number(report: &serde_json::Value, field: &str, positive: bool) -> f64 {
    let value = report[field]
        .as_f64()
        .unwrap_or_else(|| panic!("{field} is not a number in {report}"));
    assert!(
        value.is_finite() && (value > 0.0 || (!positive && value == 0.0)),
        "{field} = {value} in {report}"
    );
    value
}

/// The one JSON line a bench prints, as an object with exactly `fields`.
fn json_line(stdout: &[u8], fields: &[&str]) -> serde_json::Value {
    let text = std::str::from_utf8(stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "not one line: {text}");
    let report: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = fields.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected, "fields of {report}");
    report
}

#[test]
fn bench_load_reports_the_first_frame_of_the_sample() {
    let output = linkscope()
        .arg("bench-load")
        .arg(sample())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report = json_line(
        &output.stdout,
        &[
            "tool",
            "file",
            "entities",
            "relations",
            "load_ms",
            "scene_ms",
            "placement_ms",
            "first_frame_ms",
            "layout_start_ms",
            "relations_read_ms",
            "sqlite_relations_scan_ms",
            "relations_vs_sqlite",
            "graph_mb",
            "graph_bytes_per_relation",
            "peak_rss_mb",
        ],
    );
    assert_eq!(report["tool"], "linkscope-load");
    assert_eq!(report["file"], sample().display().to_string());
    // The counts are the file's own, as SQLite counts them.
    assert_eq!(report["entities"], row_count(&sample(), "entities"));
    assert_eq!(report["relations"], row_count(&sample(), "relations"));
    // Times: the whole is positive and at least each of its parts (they are rounded to
    // 0.01 ms, so a tiny part may read 0).
    let first_frame = number(&report, "first_frame_ms", true);
    let load = number(&report, "load_ms", true);
    let scene = number(&report, "scene_ms", false);
    let placement = number(&report, "placement_ms", false);
    assert!(
        first_frame >= load && first_frame + 0.02 >= load + scene.max(placement),
        "{report}"
    );
    // The layout's start runs after the first frame, so it is not part of it.
    number(&report, "layout_start_ms", false);
    assert!(first_frame < 60_000.0, "a minute for the sample: {report}");
    let read = number(&report, "relations_read_ms", false);
    assert!(read <= load + 0.01, "{report}");
    number(&report, "sqlite_relations_scan_ms", true);
    number(&report, "relations_vs_sqlite", false);
    // Memory: some bytes per relation, not absurdly many; the process holds at least that.
    let graph_mb = number(&report, "graph_mb", false);
    let per_relation = number(&report, "graph_bytes_per_relation", true);
    assert!(per_relation < 1e6, "{report}");
    if cfg!(target_os = "linux") {
        let rss = number(&report, "peak_rss_mb", true);
        assert!(rss >= graph_mb && rss < 16_000.0, "{report}");
    }
}

/// The offscreen renderer (the GPU frame-time bench) draws through the same pipelines as the
/// window; on CI that is lavapipe.
#[test]
fn bench_render_times_frames_of_the_sample_offscreen() {
    let output = linkscope()
        .arg("bench-render")
        .arg(sample())
        .args([
            "--iterations",
            "5",
            "--frames",
            "3",
            "--width",
            "320",
            "--height",
            "200",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report = json_line(
        &output.stdout,
        &[
            "tool",
            "file",
            "adapter",
            "width",
            "height",
            "nodes",
            "edges",
            "layout_iterations",
            "frames",
            "first_frame_ms",
            "ms_per_frame_median",
            "ms_per_frame_p95",
            "fps_median",
            "software",
            "moving_ms_per_frame_median",
            "moving_ms_per_frame_p95",
            "settling_frames",
            "settling_ms_total",
            "settling_ms_per_frame_max",
            "still_ms_per_frame_median",
            "window_quality",
        ],
    );
    assert_eq!(report["tool"], "linkscope-render");
    // Lavapipe in CI: a software adapter, and the sample is small enough
    // to be drawn in full even there.
    let adapter = report["adapter"].as_str().unwrap_or_default().to_owned();
    assert_eq!(report["software"], adapter.contains("Cpu"), "{adapter}");
    assert_eq!(report["window_quality"], "Full");
    assert!(
        report["settling_frames"]
            .as_u64()
            .is_some_and(|frames| frames >= 1)
    );
    assert_eq!(report["file"], sample().display().to_string());
    assert_eq!(report["nodes"], row_count(&sample(), "entities"));
    assert_eq!(report["edges"], row_count(&sample(), "relations"));
    assert_eq!(report["width"], 320);
    assert_eq!(report["height"], 200);
    assert_eq!(report["layout_iterations"], 5);
    assert_eq!(report["frames"], 3);
    number(&report, "first_frame_ms", true);
    let median = number(&report, "ms_per_frame_median", true);
    let p95 = number(&report, "ms_per_frame_p95", true);
    assert!(p95 >= median && median < 60_000.0, "{report}");
    let fps = number(&report, "fps_median", true);
    // Both sides are rounded to 0.01.
    assert!(
        (fps * median - 1000.0).abs() <= 0.01 * (fps + median) + 0.01,
        "{report}"
    );
    // "name (Backend, DeviceType)", as wgpu names them.
    let adapter = report["adapter"].as_str().unwrap();
    let (name, kind) = adapter.rsplit_once(" (").unwrap();
    let (backend, device) = kind.strip_suffix(')').unwrap().split_once(", ").unwrap();
    assert!(!name.trim().is_empty(), "{adapter}");
    assert!(
        ["Vulkan", "Metal", "Dx12", "Gl", "BrowserWebGpu"].contains(&backend),
        "{adapter}"
    );
    assert!(
        ["Other", "IntegratedGpu", "DiscreteGpu", "VirtualGpu", "Cpu"].contains(&device),
        "{adapter}"
    );
    if std::env::var("WGPU_BACKEND").is_ok_and(|v| v.eq_ignore_ascii_case("vulkan")) {
        assert_eq!(backend, "Vulkan", "{adapter}");
    }
}

/// `linkscope check FILE | head -1`: a reader that goes away is a normal end, not a panic.
#[test]
fn a_closed_stdout_is_a_quiet_exit() {
    for args in [&["check"][..], &["check", "--json"], &["bench-load"]] {
        // The read end is closed before the child starts, so its first write meets EPIPE.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = linkscope()
            .args(args)
            .arg(sample())
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stderr.is_empty(),
            "{args:?}: {:?}, stderr: {stderr}",
            output.status
        );
    }
}

/// Numbers are checked while the arguments are parsed: a usage error (exit 2) naming the
/// argument and the range, before any file is read or written.
#[test]
fn numeric_arguments_out_of_range_are_refused_at_parse_time() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("g.sqlite");
    let out = out.to_str().unwrap();
    let edges = folder.path().join("edges.txt");
    let positions = folder.path().join("positions.txt");
    std::fs::write(&edges, "0 1\n").unwrap();
    std::fs::write(&positions, "0 0\n1 1\n").unwrap();
    let (edges, positions) = (edges.to_str().unwrap(), positions.to_str().unwrap());
    let sample = sample();
    let sample = sample.to_str().unwrap();
    let layout = ["bench-layout", "--edges", edges, "--positions", positions];
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["generate", "--nodes", "0", "--edges", "5", out],
            "--nodes",
            "from 1 to 4294967295",
        ),
        (
            vec!["generate", "--nodes", "-5", "--edges", "5", out],
            "--nodes",
            "from 1 to 4294967295",
        ),
        (
            vec!["generate", "--nodes", "ten", "--edges", "5", out],
            "--nodes",
            "from 1 to 4294967295",
        ),
        (
            vec!["generate", "--nodes", "5", "--edges", "-1", out],
            "--edges",
            "at least 0",
        ),
        (
            vec![
                "generate", "--nodes", "5", "--edges", "1", "--seed", "-3", out,
            ],
            "--seed",
            "at least 0",
        ),
        (
            vec!["bench-render", sample, "--frames", "0"],
            "--frames",
            "at least 1",
        ),
        (
            vec!["bench-render", sample, "--width", "0"],
            "--width",
            "from 1 to 8192",
        ),
        (
            vec!["bench-render", sample, "--height", "-200"],
            "--height",
            "from 1 to 8192",
        ),
        (
            vec!["bench-render", sample, "--width", "100000"],
            "--width",
            "from 1 to 8192",
        ),
        (
            vec!["bench-render", sample, "--iterations", "-1"],
            "--iterations",
            "at least 0",
        ),
        (
            [&layout[..], &["--threads", "0"]].concat(),
            "--threads",
            "from 1 to 1024",
        ),
        (
            [&layout[..], &["--iterations", "0"]].concat(),
            "--iterations",
            "at least 2",
        ),
        (
            [&layout[..], &["--iterations", "1"]].concat(),
            "--iterations",
            "at least 2",
        ),
        (
            [&layout[..], &["--runs", "0"]].concat(),
            "--runs",
            "at least 1",
        ),
        (
            [&layout[..], &["--theta", "-1"]].concat(),
            "--theta",
            "at least 0",
        ),
        (
            [&layout[..], &["--theta", "NaN"]].concat(),
            "--theta",
            "at least 0",
        ),
    ];
    for (args, flag, range) in cases {
        let output = linkscope().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(
            stderr.contains("invalid value") && stderr.contains(flag) && stderr.contains(range),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    assert!(!std::path::Path::new(out).exists());
}

/// `bench-layout --graph --seed` lays the file out as the window would with that seed: the same
/// seed gives the same positions, another seed another picture.
#[test]
fn bench_layout_seed_picks_the_picture() {
    let folder = tempfile::tempdir().unwrap();
    let sample = sample();
    let run = |seed: &str, name: &str| {
        let out = folder.path().join(name);
        let output = linkscope()
            .args(["bench-layout", "--graph"])
            .arg(&sample)
            .args(["--until-settled", "--runs", "1", "--seed", seed])
            .arg("--write-positions")
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::read_to_string(out).unwrap()
    };
    let (one, again, two) = (run("1", "a.txt"), run("1", "b.txt"), run("2", "c.txt"));
    assert_eq!(one.lines().count(), 27, "one line per entity of the sample");
    assert_eq!(one, again, "seeded");
    assert_ne!(one, two, "another seed, another picture");
}

/// What `git` says the checkout's commit is, as the build reads it.
fn head_commit() -> Option<String> {
    let output = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).unwrap().trim().to_owned())
}

#[test]
fn version_names_the_commit_the_binary_was_built_from() {
    let output = linkscope().arg("--version").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with(&format!("linkscope {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    // Built from a checkout (as every test run here is), the hash is HEAD's.
    if let Some(commit) = head_commit() {
        assert!(
            text.contains(&format!("(commit {commit})")),
            "{text} vs {commit}"
        );
    }
}

#[test]
fn completions_are_scripts_the_shells_accept() {
    for shell in ["bash", "zsh", "fish"] {
        let output = linkscope().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for subcommand in ["push", "export-graph", "completions"] {
            assert!(script.contains(subcommand), "{shell} lacks {subcommand}");
        }
        if shell == "bash" {
            // bash itself parses it (-n: read, don't run).
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("linkscope.bash");
            std::fs::write(&path, &script).unwrap();
            let parsed = Command::new("bash").arg("-n").arg(&path).output().unwrap();
            assert!(
                parsed.status.success(),
                "{}",
                String::from_utf8_lossy(&parsed.stderr)
            );
            assert!(script.contains("complete -F _linkscope"), "{script}");
        }
    }
    let refused = linkscope().args(["completions", "tcsh"]).output().unwrap();
    assert!(!refused.status.success());
}

#[test]
fn the_manual_page_lists_every_subcommand() {
    let output = linkscope().arg("man").output().unwrap();
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH linkscope"),
        "{page}"
    );
    assert!(page.contains(".TH linkscope 1"), "{page}");
    for subcommand in ["check", "find", "push", "pull", "render", "completions"] {
        assert!(
            page.contains(&format!("linkscope\\-{subcommand}"))
                || page.contains(&format!("\\fB{subcommand}\\fR")),
            "the page lacks {subcommand}"
        );
    }
}

#[test]
fn every_subcommands_help_has_an_example() {
    let output = linkscope().arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    let subcommands: Vec<&str> = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .collect();
    assert!(subcommands.len() > 15, "{help}");
    for subcommand in subcommands {
        let output = linkscope().args([subcommand, "--help"]).output().unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.contains(&format!("Example: linkscope {subcommand}")),
            "`linkscope {subcommand} --help` has no example:\n{text}"
        );
    }
}

/// The app's mark, as the window and the package use it: at 16 px the
/// three coloured nodes still show (amber, blue, green), on the dark tile.
#[test]
fn the_icon_reads_at_16_px() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/icons");
    for size in [16_u32, 32, 48, 64, 128, 256] {
        let icon = image::open(dir.join(format!("linkscope-{size}.png")))
            .unwrap()
            .to_rgba8();
        assert_eq!(icon.dimensions(), (size, size));
    }
    let icon = image::open(dir.join("linkscope-16.png"))
        .unwrap()
        .to_rgba8();
    let near = |[r, g, b]: [u8; 3]| {
        icon.pixels().any(|pixel| {
            let [pr, pg, pb, alpha] = pixel.0;
            alpha > 200
                && (i32::from(pr) - i32::from(r)).abs() < 40
                && (i32::from(pg) - i32::from(g)).abs() < 40
                && (i32::from(pb) - i32::from(b)).abs() < 40
        })
    };
    assert!(near([0xf5, 0x9e, 0x0b]), "no amber node at 16 px");
    assert!(near([0x38, 0xbd, 0xf8]), "no blue node at 16 px");
    assert!(near([0x34, 0xd3, 0x99]), "no green node at 16 px");
    assert!(near([0x1e, 0x29, 0x3b]), "no dark tile at 16 px");
    // The corners are rounded off: transparent.
    assert_eq!(icon.get_pixel(0, 0).0[3], 0);
}

/// Without `XDG_RUNTIME_DIR` (a bare X session, ssh, cron), Mesa's Vulkan
/// drivers would print a complaint per device they open: a render, which
/// opens the GPU, stays quiet about it.
#[test]
fn a_missing_runtime_dir_does_not_fill_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample.png");
    let output = linkscope()
        .args(["render"])
        .arg(sample())
        .arg("--out")
        .arg(&out)
        .env_remove("XDG_RUNTIME_DIR")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("XDG_RUNTIME_DIR"), "{stderr}");
    assert!(out.exists());
}
