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

use egui_kittest::kittest::Queryable as _;
use sha2::{Digest, Sha256};

pub(crate) fn manifest(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The test cluster's URL (user `linkscope`, password in it), started once.
pub(crate) fn server() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("linkscope-pg-{}", std::process::id()));
        start_cluster(&dir, None)
    })
}

/// Starts a cluster of its own in `dir` (with `standby_of`, a hot standby
/// of the test cluster at that port); returns its URL. `dir/ctl stop` and
/// `dir/ctl start` take it away and bring it back.
pub(crate) fn start_cluster(dir: &Path, standby_of: Option<u16>) -> String {
    start_cluster_script(dir, standby_of.map(|port| port.to_string()))
}

/// As [`start_cluster`]; with `tls`, the server speaks TLS too, with a
/// certificate for `localhost` signed by `dir/ca.crt`.
pub(crate) fn start_cluster_with(dir: &Path, tls: bool) -> String {
    start_cluster_script(dir, tls.then(|| "tls".to_owned()))
}

/// `scripts/pg-test-cluster.sh DIR PORT PID [OPTION]`.
fn start_cluster_script(dir: &Path, option: Option<String>) -> String {
    {
        // A free port: the kernel's pick, released for the server to take.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let output = Command::new("bash")
            .arg(manifest("scripts/pg-test-cluster.sh"))
            .arg(dir)
            .arg(port.to_string())
            .arg(std::process::id().to_string())
            .args(option)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "the test cluster did not start (install Debian's postgresql package): {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }
}

pub(crate) fn linkscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_linkscope"))
        .args(args)
        // The tests' own settings only, whatever the machine has.
        .env_remove("PGPASSWORD")
        .env("PGPASSFILE", "/nonexistent")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .output()
        .unwrap()
}

/// `linkscope push FILE URL --schema SCHEMA`, which must succeed.
pub(crate) fn push(file: &str, url: &str, schema: &str) -> std::process::Output {
    let pushed = linkscope(&["push", file, url, "--schema", schema]);
    assert!(pushed.status.success(), "{}", text(&pushed));
    pushed
}

/// The tables of `schema` on the server, by name.
pub(crate) fn tables_of(client: &mut postgres::Client, schema: &str) -> Vec<String> {
    client
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
            &[&schema],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

pub(crate) fn text(output: &std::process::Output) -> String {
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
        let pushed = push(file.to_str().unwrap(), url, schema);
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
    push(sample.to_str().unwrap(), url, "capped");
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
    // The pulled rows keep the server's (the file's) ids.
    let rows = |connection: &rusqlite::Connection, sql: &str| -> Vec<(i64, i64, i64, String)> {
        connection
            .prepare(sql)
            .unwrap()
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let relations = "SELECT id, subject_id, object_id, kind FROM relations ORDER BY id";
    let pulled_relations = rows(&pulled, relations);
    assert!(!pulled_relations.is_empty());
    let all = rows(&file, relations);
    for relation in &pulled_relations {
        assert!(all.contains(relation), "{relation:?} is not the file's");
    }
    let entities = "SELECT id, 0, 0, name FROM entities ORDER BY id";
    let all = rows(&file, entities);
    for entity in rows(&pulled, entities) {
        assert!(all.contains(&entity), "{entity:?} is not the file's");
    }
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

/// Every page of `entity`'s neighbours, `cap` at a time.
pub(crate) fn all_pages(
    explorer: &mut dyn linkscope::model::explore::Explorer,
    entity: i64,
    cap: u32,
) -> Vec<linkscope::model::explore::NeighbourPage> {
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = explorer.neighbours(entity, cap, after).unwrap();
        assert!(page.entities.len() <= cap as usize);
        after = page.next;
        pages.push(page);
        if after.is_none() {
            return pages;
        }
        assert!(pages.len() < 1000, "paging must end");
    }
}

#[test]
fn the_server_and_the_file_give_the_same_searches_and_pages() {
    use linkscope::model::explore::Explorer as _;
    let url = server();
    for (schema, file) in [
        ("explore_sample", "sample-db/sample.sqlite"),
        ("explore_karate", "tests/fixtures/trace/karate.sqlite"),
    ] {
        let file = manifest(file);
        push(file.to_str().unwrap(), url, schema);
        let target = linkscope::postgres::PgTarget::new(url, schema).unwrap();
        let mut server = linkscope::postgres::PgExplorer::connect(&target).unwrap();
        let mut local = linkscope::store::SqliteExplorer::open(&file).unwrap();

        for query in [
            "tal",
            "Taliban government",
            "a",
            "member 1",
            "%",
            "_",
            "",
            "no such name",
        ] {
            let here = local.search_names(query, 20).unwrap();
            assert_eq!(
                server.search_names(query, 20).unwrap(),
                here,
                "{schema}: {query:?}"
            );
            for hit in &here {
                assert!(
                    hit.name.to_lowercase().contains(&query.to_lowercase()),
                    "{hit:?}"
                );
            }
        }

        // Every entity's neighbours, 3 at a time, and what the file says
        // they are (read here with rusqlite, not through the explorer).
        let file_db = rusqlite::Connection::open(&file).unwrap();
        let ids: Vec<i64> = file_db
            .prepare("SELECT id FROM entities ORDER BY id")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut capped = 0;
        for &id in &ids {
            let pages = all_pages(&mut local, id, 3);
            assert_eq!(
                all_pages(&mut server, id, 3),
                pages,
                "{schema}: entity {id}"
            );
            let mut seen: Vec<i64> = pages
                .iter()
                .flat_map(|page| page.entities.iter().map(|entity| entity.id))
                .collect();
            let shown = seen.len() as u64;
            seen.sort_unstable();
            let expected: Vec<i64> = file_db
                .prepare(
                    "SELECT DISTINCT CASE WHEN subject_id = ?1 THEN object_id ELSE subject_id END AS other
                     FROM relations WHERE (subject_id = ?1 OR object_id = ?1) AND subject_id <> object_id
                     ORDER BY other",
                )
                .unwrap()
                .query_map([id], |row| row.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(seen, expected, "{schema}: entity {id}'s neighbours");
            assert_eq!(pages[0].remaining, shown - pages[0].entities.len() as u64);
            if pages.len() > 1 {
                capped += 1;
            }
        }
        assert!(
            capped > 0,
            "{schema}: some entity must have more than one page"
        );

        // Excerpts by their words: the file's scan and the server's
        // full-text index find the same ones, and the ones the words say.
        for query in [
            "security",
            "Haqqani",
            "security cooperation",
            "KABUL",
            "no such word",
            "",
            "the",
        ] {
            let here = local.search_excerpts(query, 20).unwrap();
            assert_eq!(
                server.search_excerpts(query, 20).unwrap(),
                here,
                "{schema}: {query:?}"
            );
            let mut expected = crate::explore_ui::excerpts_with_words(&file, query);
            expected.truncate(20);
            let found: Vec<i64> = here.iter().map(|hit| hit.excerpt).collect();
            assert_eq!(found, expected, "{schema}: {query:?}");
        }

        let everything = local.relations_among(&ids).unwrap();
        assert_eq!(server.relations_among(&ids).unwrap(), everything);
        let count: usize = file_db
            .query_row("SELECT count(*) FROM relations", [], |row| row.get(0))
            .unwrap();
        assert_eq!(everything.len(), count);
    }
}

#[test]
fn exploring_a_server_in_the_window_grows_the_scene_as_a_file_does() {
    let url = server();
    let folder = tempfile::tempdir().unwrap();
    let fixture = crate::explore_ui::hub_fixture(folder.path());
    push(fixture.to_str().unwrap(), url, "explore_window");
    let target = linkscope::postgres::PgTarget::new(url, "explore_window").unwrap();
    let mut harness =
        crate::explore_ui::explore_harness(linkscope::app::ExploreSpec::Postgres(Box::new(target)));
    crate::explore_ui::explore_the_hub(&mut harness);
    // The title and the notices never show the password.
    let app = harness.state();
    assert!(!app.title().contains("linkscope-test"), "{}", app.title());
    assert!(
        app.messages()
            .all(|message| !message.contains("linkscope-test"))
    );
}

#[test]
fn a_server_that_goes_away_leaves_the_scene_usable_and_is_reached_again_when_back() {
    let dir = std::env::temp_dir().join(format!("linkscope-pg-away-{}", std::process::id()));
    let url = start_cluster(&dir, None);
    let ctl = |what: &str| {
        let status = Command::new("bash")
            .arg(dir.join("ctl"))
            .arg(what)
            .status()
            .unwrap();
        assert!(status.success(), "ctl {what}");
    };
    let folder = tempfile::tempdir().unwrap();
    let fixture = crate::explore_ui::hub_fixture(folder.path());
    push(fixture.to_str().unwrap(), &url, "away");
    let target = linkscope::postgres::PgTarget::new(&url, "away").unwrap();
    let mut harness =
        crate::explore_ui::explore_harness(linkscope::app::ExploreSpec::Postgres(Box::new(target)));
    crate::explore_ui::seed_the_hub(&mut harness);

    ctl("stop");
    crate::explore_ui::click_button(&mut harness, "Load next 10");
    crate::ui::step_until(
        &mut harness,
        "the window to say the server is gone",
        |app| app.explore_status() == Some(linkscope::app::ExploreStatus::Offline),
    );
    let app = harness.state();
    assert!(
        app.messages()
            .any(|message| message.contains("the connection was lost")),
        "{:?}",
        app.messages().collect::<Vec<_>>()
    );
    // The scene stays as it was, and usable.
    assert_eq!(app.graph().unwrap().node_count(), 51);
    harness.run_steps(3);
    assert!(
        harness
            .query_by_label_contains("Offline: the source's connection was lost")
            .is_some()
    );
    let shell_7 = {
        let graph = harness.state().graph().unwrap();
        (0..graph.node_count() as u32)
            .find(|&node| graph.node_name(node) == "Shell 7")
            .unwrap()
    };
    let at = harness.state().node_on_screen(shell_7).unwrap();
    crate::ui::click_at(&mut harness, at);
    crate::ui::step_until(&mut harness, "a click to select offline", |app| {
        app.selection() == Some(linkscope::view::hit::Hit::Node(shell_7))
    });
    // Back on the hub, whose next page is asked for once the server is back.
    let hub = {
        let graph = harness.state().graph().unwrap();
        (0..graph.node_count() as u32)
            .find(|&node| graph.node_name(node) == "Hub Holdings")
            .unwrap()
    };
    let at = harness.state().node_on_screen(hub).unwrap();
    crate::ui::click_at(&mut harness, at);
    crate::ui::step_until(&mut harness, "the hub selected again", |app| {
        app.selection() == Some(linkscope::view::hit::Hit::Node(hub))
    });

    ctl("start");
    crate::explore_ui::click_button(&mut harness, "Load next 10");
    crate::ui::step_until(
        &mut harness,
        "the next page once the server is back",
        |app| app.graph().is_some_and(|graph| graph.node_count() == 61),
    );
    assert_eq!(
        harness.state().explore_status(),
        Some(linkscope::app::ExploreStatus::Ready)
    );
}

#[test]
fn a_query_held_up_on_the_server_is_cancelled_from_the_window_and_searches_go_on_meanwhile() {
    let url = server();
    let folder = tempfile::tempdir().unwrap();
    let fixture = crate::explore_ui::hub_fixture(folder.path());
    push(fixture.to_str().unwrap(), url, "held");
    let target = linkscope::postgres::PgTarget::new(url, "held").unwrap();
    let mut harness =
        crate::explore_ui::explore_harness(linkscope::app::ExploreSpec::Postgres(Box::new(target)));
    crate::explore_ui::seed_the_hub(&mut harness);

    // Another session holds the relations table: the next page waits.
    let mut holder = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let mut lock = holder.transaction().unwrap();
    lock.batch_execute("LOCK TABLE held.relations IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    crate::explore_ui::click_button(&mut harness, "Load next 10");
    harness.run_steps(5);
    assert!(crate::explore_ui::button(&harness, "Cancel"));
    // Searches have a connection of their own: one is answered while the
    // page waits.
    crate::explore_ui::retype(&mut harness, "Search names", "bank x");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !crate::explore_ui::button(&harness, "Bank X (organization)") {
        assert!(
            std::time::Instant::now() < deadline,
            "the search waited behind the held-up page"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        crate::explore_ui::button(&harness, "Cancel"),
        "the page is still waiting"
    );
    crate::explore_ui::click_button(&mut harness, "Cancel");
    // Well before the server's own statement timeout (30 s) would end it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !harness
        .state()
        .messages()
        .any(|message| message.contains("Stopped: the source's query was cancelled"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "Cancel did not stop the query"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run_steps(3);
    assert_eq!(harness.state().graph().unwrap().node_count(), 51);
    assert!(!crate::explore_ui::button(&harness, "Cancel"));
    lock.rollback().unwrap();

    // The source still answers.
    crate::explore_ui::click_button(&mut harness, "Load next 10");
    crate::ui::step_until(&mut harness, "the next page", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 61)
    });
}

#[test]
fn traces_on_the_server_are_networkx_shortest_paths() {
    let url = server();
    for (name, file) in [
        ("sample", "sample-db/sample.sqlite"),
        ("karate", "tests/fixtures/trace/karate.sqlite"),
        ("lesmis", "tests/fixtures/trace/lesmis.sqlite"),
    ] {
        let file = manifest(file);
        let schema = format!("trace_{name}");
        push(file.to_str().unwrap(), url, &schema);
        let target = linkscope::postgres::PgTarget::new(url, &schema).unwrap();
        let mut server = linkscope::postgres::PgExplorer::connect(&target).unwrap();
        crate::explore_ui::traces_match_networkx(&mut server, name, &file);
    }
}

#[test]
fn find_and_path_take_a_server_url_and_metrics_says_why_not() {
    let url = server();
    let file = manifest("sample-db/sample.sqlite");
    push(file.to_str().unwrap(), url, "cli_sample");

    // find: every entity whose name contains the text, by SQL on the file.
    let found = linkscope(&["find", url, "haqqani", "--schema", "cli_sample", "--json"]);
    assert!(found.status.success(), "{}", text(&found));
    let list: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    let mut ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|entity| entity["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    let connection = rusqlite::Connection::open(&file).unwrap();
    let expected: Vec<i64> = connection
        .prepare("SELECT id FROM entities WHERE lower(name) LIKE '%haqqani%' ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ids, expected);
    // Nothing found exits 1, as for a file.
    let none = linkscope(&["find", url, "no such name at all", "--schema", "cli_sample"]);
    assert_eq!(none.status.code(), Some(1), "{}", text(&none));

    // path: as long as the file's undirected path, with its evidence.
    for (from, to) in [
        ("Dmitry Zhirnov", "Pakistan"),
        ("Sergei Shoigu", "Haqqani Network"),
    ] {
        let here = linkscope(&[
            "path",
            file.to_str().unwrap(),
            from,
            to,
            "--undirected",
            "--json",
        ]);
        assert!(here.status.success(), "{}", text(&here));
        let there = linkscope(&["path", url, from, to, "--schema", "cli_sample", "--json"]);
        assert!(there.status.success(), "{}", text(&there));
        let here: serde_json::Value = serde_json::from_slice(&here.stdout).unwrap();
        let there: serde_json::Value = serde_json::from_slice(&there.stdout).unwrap();
        let hops = |chain: &serde_json::Value| chain["hops"].as_array().unwrap().len();
        assert_eq!(hops(&there), hops(&here), "{from} to {to}");
        // Each hop's excerpts are the relation's own, as the file has them.
        for hop in there["hops"].as_array().unwrap() {
            let label = hop["label"].as_str().unwrap();
            // The id is the server's (the file's) relation's.
            let (subject, object): (String, String) = connection
                .query_row(
                    "SELECT s.name, o.name FROM relations r JOIN entities s ON s.id = r.subject_id
                     JOIN entities o ON o.id = r.object_id WHERE r.id = ?1",
                    [hop["id"].as_i64().unwrap()],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .unwrap();
            assert_eq!(
                (subject.as_str(), object.as_str()),
                (
                    hop["subject"].as_str().unwrap(),
                    hop["object"].as_str().unwrap()
                )
            );
            let cited: i64 = connection
                .query_row(
                    "SELECT count(*) FROM relation_excerpts c JOIN relations r ON r.id = c.relation_id
                     JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id
                     WHERE coalesce(r.label, r.kind) = ?1 AND s.name = ?2 AND o.name = ?3",
                    [label, hop["subject"].as_str().unwrap(), hop["object"].as_str().unwrap()],
                    |row| row.get(0),
                )
                .unwrap();
            assert_eq!(
                hop["excerpts"].as_array().unwrap().len() as i64,
                cited,
                "{hop}"
            );
        }
    }
    let unknown = linkscope(&[
        "path",
        url,
        "Nobody At All",
        "Pakistan",
        "--schema",
        "cli_sample",
    ]);
    assert!(!unknown.status.success());
    assert!(
        text(&unknown).contains("FROM: no entity is named"),
        "{}",
        text(&unknown)
    );
    assert!(
        !text(&unknown).contains("linkscope-test"),
        "the password is never shown"
    );

    let metrics = linkscope(&["metrics", url]);
    assert!(!metrics.status.success());
    assert!(
        text(&metrics).contains("pull it into a file first"),
        "{}",
        text(&metrics)
    );
}

#[test]
fn file_connect_explores_a_server_and_lists_it_among_the_recent_without_its_password() {
    let url = server();
    let file = manifest("sample-db/sample.sqlite");
    push(file.to_str().unwrap(), url, "connect_form");
    let mut harness = crate::ui::app_harness(file, egui::vec2(1280.0, 820.0));
    crate::ui::step_until(&mut harness, "the sample", crate::ui::settled);
    crate::ui::click_file_menu_item(&mut harness, "Connect to PostgreSQL");
    // A new window sizes itself unseen for a frame first.
    harness.run_steps(5);
    crate::explore_ui::retype(&mut harness, "Server URL:", url);
    crate::explore_ui::retype(&mut harness, "Schema:", "connect_form");
    crate::explore_ui::click_button(&mut harness, "Connect");
    crate::ui::step_until(&mut harness, "the server's empty scene", |app| {
        app.explore_status() == Some(linkscope::app::ExploreStatus::Ready)
            && app.graph().is_some_and(|graph| graph.node_count() == 0)
    });
    let app = harness.state();
    assert!(
        app.title().contains("(schema connect_form) (exploring)"),
        "{}",
        app.title()
    );
    let recent = app.recent_files()[0].display().to_string();
    assert!(recent.ends_with("(schema connect_form)"), "{recent}");
    assert!(
        recent.starts_with("postgres://linkscope@127.0.0.1:"),
        "{recent}"
    );
    assert!(
        !recent.contains("linkscope-test"),
        "the password is never kept: {recent}"
    );
}
