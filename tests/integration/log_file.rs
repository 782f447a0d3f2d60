//! The log file (`linkscope::logfile`): the real binary writes it where
//! `LINKSCOPE_LOG_DIR` says (never the user's folder), a panic lands in it
//! with a backtrace and is reported by the next window, Help ▸ Show Log
//! shows its folder, and a real run of the window leaves no text of the
//! file in it.

use std::path::Path;
use std::process::{Command, Output};

use egui_kittest::kittest::{By, Queryable as _};
use linkscope::app::AppOptions;
use linkscope::logfile::{CRASH_MARK, DIR_ENV, FILE_NAME};

use crate::ui::{harness_with, sample_path};

/// `linkscope ARGS` with its log in `log_dir`, and its preferences in a
/// folder of their own.
fn linkscope(program: &[&str], log_dir: &Path, envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(program[0]);
    command
        .args(&program[1..])
        .env(DIR_ENV, log_dir)
        .env("XDG_DATA_HOME", log_dir.join("data"))
        .env_remove("RUST_LOG");
    for (name, value) in envs {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn log_text(log_dir: &Path) -> String {
    std::fs::read_to_string(log_dir.join(FILE_NAME)).unwrap()
}

#[test]
fn a_panic_is_logged_and_reported_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let output = linkscope(
        &[env!("CARGO_BIN_EXE_linkscope"), "--panic-for-test"],
        dir.path(),
        &[],
    );
    assert!(!output.status.success(), "the panic did not end the run");
    let log = log_text(dir.path());
    assert!(log.starts_with("Linkscope 0.1.0 (commit "), "{log}");
    assert!(
        log.contains("PANIC in thread 'main' at src/main.rs:"),
        "{log}"
    );
    assert!(
        log.contains("a panic asked for by --panic-for-test"),
        "{log}"
    );
    // A backtrace with its frames' places (release builds keep line tables).
    let backtrace = log.split_once("backtrace:\n").map_or("", |(_, rest)| rest);
    assert!(
        backtrace
            .lines()
            .any(|line| line.trim_start().starts_with("at ") && line.contains("main.rs")),
        "no backtrace frame in main.rs:\n{log}"
    );
    assert!(dir.path().join(CRASH_MARK).exists());

    // The next start of the window says so, with a button to the log.
    let options = || AppOptions {
        file: Some(sample_path()),
        log_dir: Some(dir.path().to_path_buf()),
        ..AppOptions::default()
    };
    let mut harness = harness_with(options(), egui::vec2(1000.0, 700.0));
    harness.run_steps(3);
    harness.get_by_label_contains("The last run of Linkscope ended unexpectedly");
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label("Show Log"),
        )
        .click();
    harness.run_steps(2);
    assert_eq!(harness.state().shown_log_folder(), Some(dir.path()));
    drop(harness);

    // Once: the mark was taken.
    assert!(!dir.path().join(CRASH_MARK).exists());
    let mut harness = harness_with(options(), egui::vec2(1000.0, 700.0));
    harness.run_steps(3);
    assert!(
        harness
            .state()
            .messages()
            .all(|text| !text.contains("ended unexpectedly")),
        "reported twice"
    );
}

#[test]
fn help_show_log_shows_the_log_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_with(
        AppOptions {
            file: Some(sample_path()),
            log_dir: Some(dir.path().to_path_buf()),
            ..AppOptions::default()
        },
        egui::vec2(1000.0, 700.0),
    );
    harness.run_steps(3);
    assert_eq!(harness.state().messages().count(), 0, "no crash to report");
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label_contains("Show Log"),
        )
        .click();
    harness.run_steps(2);
    assert_eq!(harness.state().shown_log_folder(), Some(dir.path()));
}

/// (excerpt texts, entity names) of the sample, read straight from it.
fn sample_texts() -> (Vec<String>, Vec<String>) {
    let connection = rusqlite::Connection::open_with_flags(
        sample_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let column = |sql: &str| -> Vec<String> {
        let mut statement = connection.prepare(sql).unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    (
        column("SELECT text FROM excerpts"),
        column("SELECT name FROM entities"),
    )
}

/// The real window on a virtual display (xvfb-run), opening the sample,
/// laying it out and saving a screenshot, with every line of Linkscope's
/// own (debug) and the other crates' info: the log has the path and the
/// counts, and no excerpt or name of the file.
#[test]
fn the_log_holds_paths_and_counts_not_the_files_text() {
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("shot.png");
    let sample = sample_path();
    let output = linkscope(
        &[
            "xvfb-run",
            "-a",
            env!("CARGO_BIN_EXE_linkscope"),
            "--screenshot",
            shot.to_str().unwrap(),
            sample.to_str().unwrap(),
        ],
        dir.path(),
        &[("RUST_LOG", "info,linkscope=debug")],
    );
    assert!(
        output.status.success(),
        "the window did not run: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(shot.exists());
    let log = log_text(dir.path());
    assert!(
        log.contains(&format!(
            "opened {}: 27 entities, 53 relations",
            sample.display()
        )),
        "{log}"
    );
    assert!(log.contains(&format!("wrote {}", shot.display())), "{log}");
    assert!(log.contains("INFO  linkscope::app] renderer: "), "{log}");
    let (excerpts, names) = sample_texts();
    assert!(excerpts.len() >= 20 && names.len() >= 20);
    for text in excerpts.iter().chain(&names) {
        // A whole excerpt or name, or its first words.
        let start: String = text.chars().take(24).collect();
        assert!(
            !log.contains(start.as_str()),
            "the log holds {start:?}:\n{log}"
        );
    }
}
