//! `push` and `pull` against a real PostgreSQL server: a throwaway cluster
//! that this test binary starts (`scripts/pg-test-cluster.sh`, as an
//! unprivileged user, on loopback, fsync off) and that stops when the
//! binary ends, however it ends. Needs Debian's `postgresql` package.
//!
//! What a pull writes is compared with the pushed file by hashing their
//! data tables here, with rusqlite, not with the code under test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

fn manifest(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The test cluster's URL (user `linkscope`, password in it), started once.
fn server() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        // A free port: the kernel's pick, released for the server to take.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("linkscope-pg-{}", std::process::id()));
        let output = Command::new("bash")
            .arg(manifest("scripts/pg-test-cluster.sh"))
            .arg(&dir)
            .arg(port.to_string())
            .arg(std::process::id().to_string())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "the test cluster did not start (install Debian's postgresql package): {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    })
}

fn linkscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_linkscope"))
        .args(args)
        // The tests' own settings only, whatever the machine has.
        .env_remove("PGPASSWORD")
        .env("PGPASSFILE", "/nonexistent")
        .output()
        .unwrap()
}

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Each data table's row count and a hash of its rows in key order, with
/// `properties` compared as JSON (a pull writes them normalised).
fn data_tables(path: &Path) -> Vec<(String, usize, String)> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let tables = [
        (
            "entities",
            "id, kind, name, description, date_start, date_end, properties",
        ),
        (
            "relations",
            "id, subject_id, object_id, kind, label, date_start, date_end, properties",
        ),
        (
            "documents",
            "id, title, author, publisher, url, published, language, reliability",
        ),
        ("excerpts", "id, document_id, text, locator, credibility"),
        ("relation_excerpts", "relation_id, excerpt_id"),
    ];
    tables
        .iter()
        .map(|(table, columns)| {
            let width = columns.split(',').count();
            let mut statement = connection
                .prepare(&format!("SELECT {columns} FROM {table} ORDER BY 1, 2"))
                .unwrap();
            let mut rows = statement.query([]).unwrap();
            let (mut count, mut hash) = (0, Sha256::new());
            while let Some(row) = rows.next().unwrap() {
                count += 1;
                for index in 0..width {
                    let value: rusqlite::types::Value = row.get(index).unwrap();
                    let cell = match value {
                        rusqlite::types::Value::Text(text)
                            if columns.ends_with("properties") && index == width - 1 =>
                        {
                            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
                            if json.as_object().is_some_and(serde_json::Map::is_empty) {
                                "NULL".to_owned()
                            } else {
                                json.to_string()
                            }
                        }
                        rusqlite::types::Value::Null => "NULL".to_owned(),
                        other => format!("{other:?}"),
                    };
                    hash.update(cell.as_bytes());
                    hash.update([0]);
                }
            }
            (table.to_string(), count, format!("{:x}", hash.finalize()))
        })
        .collect()
}

#[test]
fn a_pushed_file_pulled_whole_is_the_same_graph() {
    let url = server();
    let dir = tempfile::tempdir().unwrap();
    for (schema, file, seed) in [
        ("sample", "sample-db/sample.sqlite", "Taliban government"),
        ("karate", "tests/fixtures/trace/karate.sqlite", "Member 0"),
    ] {
        let file = manifest(file);
        let pushed = linkscope(&["push", file.to_str().unwrap(), url, "--schema", schema]);
        assert!(pushed.status.success(), "{}", text(&pushed));
        assert!(text(&pushed).contains("pushed"), "{}", text(&pushed));
        assert!(
            !text(&pushed).contains("linkscope-test"),
            "the password was shown: {}",
            text(&pushed)
        );
        let out = dir.path().join(format!("{schema}.sqlite"));
        let pulled = linkscope(&[
            "pull",
            url,
            out.to_str().unwrap(),
            "--schema",
            schema,
            "--seed",
            seed,
            "--hops",
            "99",
            "--cap",
            "0",
        ]);
        assert!(pulled.status.success(), "{}", text(&pulled));
        assert_eq!(data_tables(&out), data_tables(&file), "{schema}");
    }
}

#[test]
fn a_capped_pull_keeps_the_oldest_relations_neighbours_and_says_it_was_capped() {
    let url = server();
    let sample = manifest("sample-db/sample.sqlite");
    let pushed = linkscope(&["push", sample.to_str().unwrap(), url, "--schema", "capped"]);
    assert!(pushed.status.success(), "{}", text(&pushed));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("capped.sqlite");
    let seed = "Taliban government";
    let pulled = linkscope(&[
        "pull",
        url,
        out.to_str().unwrap(),
        "--schema",
        "capped",
        "--seed",
        seed,
        "--hops",
        "1",
        "--cap",
        "3",
    ]);
    assert!(pulled.status.success(), "{}", text(&pulled));
    assert!(
        text(&pulled).contains("1 entities had more neighbours than --cap"),
        "{}",
        text(&pulled)
    );
    // The expected neighbours, from the file itself: those of the seed's
    // three oldest relations (by relation id), distinct.
    let file = rusqlite::Connection::open(&sample).unwrap();
    let seed_id: i64 = file
        .query_row("SELECT id FROM entities WHERE name = ?1", [seed], |row| {
            row.get(0)
        })
        .unwrap();
    let mut statement = file
        .prepare(
            "SELECT CASE WHEN subject_id = ?1 THEN object_id ELSE subject_id END AS other
             FROM relations WHERE (subject_id = ?1 OR object_id = ?1) AND subject_id <> object_id
             GROUP BY other ORDER BY min(id) LIMIT 3",
        )
        .unwrap();
    let mut expected: Vec<String> = statement
        .query_map([seed_id], |row| row.get::<_, i64>(0))
        .unwrap()
        .map(|id| {
            file.query_row(
                "SELECT name FROM entities WHERE id = ?1",
                [id.unwrap()],
                |row| row.get(0),
            )
            .unwrap()
        })
        .collect();
    expected.push(seed.to_owned());
    expected.sort();
    let pulled = rusqlite::Connection::open(&out).unwrap();
    let mut names: Vec<String> = pulled
        .prepare("SELECT name FROM entities ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    names.sort();
    assert_eq!(names, expected);
    let full_neighbourhood: i64 = file
        .query_row(
            "SELECT count(DISTINCT CASE WHEN subject_id = ?1 THEN object_id ELSE subject_id END)
             FROM relations WHERE (subject_id = ?1 OR object_id = ?1) AND subject_id <> object_id",
            [seed_id],
            |row| row.get(0),
        )
        .unwrap();
    assert!(
        full_neighbourhood > 3,
        "the cap must cut something for this test to mean anything"
    );
}

#[test]
fn bad_targets_get_clear_messages_and_a_taken_schema_is_left_alone() {
    let url = server();
    let sample = manifest("sample-db/sample.sqlite");
    let sample = sample.to_str().unwrap();
    assert!(
        linkscope(&["push", sample, url, "--schema", "taken"])
            .status
            .success()
    );
    let again = linkscope(&["push", sample, url, "--schema", "taken"]);
    assert!(!again.status.success());
    assert!(
        text(&again).contains("schema taken already holds a graph"),
        "{}",
        text(&again)
    );

    let wrong = url.replace("linkscope-test", "not-the-password");
    let refused = linkscope(&["push", sample, &wrong, "--schema", "other"]);
    assert!(!refused.status.success());
    let message = text(&refused);
    assert!(message.contains("could not connect to"), "{message}");
    assert!(
        message.contains("password authentication failed"),
        "{message}"
    );
    assert!(
        !message.contains("not-the-password"),
        "the password was shown: {message}"
    );

    let missing = url.replace("/postgres", "/no_such_database");
    let refused = linkscope(&["pull", &missing, "/tmp/never-written.sqlite", "--seed", "x"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("does not exist"),
        "{}",
        text(&refused)
    );
    assert!(!Path::new("/tmp/never-written.sqlite").exists());

    let unknown = linkscope(&[
        "pull",
        url,
        "/tmp/never-written.sqlite",
        "--schema",
        "taken",
        "--seed",
        "Talibn",
    ]);
    assert!(!unknown.status.success());
    assert!(
        text(&unknown).contains("no entity is named \"Talibn\" (closest: Taliban"),
        "{}",
        text(&unknown)
    );
}
