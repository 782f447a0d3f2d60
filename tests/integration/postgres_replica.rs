//! Exploring a hot standby of the test cluster (see postgres.rs): a real
//! streaming replica, started by `scripts/pg-test-cluster.sh` with the
//! primary's port. The standby cancels a query in the way of replay at once
//! (`max_standby_streaming_delay=0`), so that a lock taken on the primary
//! while the explorer's query runs there is a real recovery conflict.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use linkscope::model::explore::Explorer as _;
use linkscope::postgres::{PgExplorer, PgTarget};
use linkscope::store::SqliteExplorer;

use crate::postgres::{all_pages, manifest, push, server, start_cluster};

/// The standby's URL, started once, after the sample is pushed into schema
/// `replica` on the primary.
fn standby() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let primary = server();
        push(
            manifest("sample-db/sample.sqlite").to_str().unwrap(),
            primary,
            "replica",
        );
        let port: u16 = primary
            .rsplit_once(':')
            .unwrap()
            .1
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let dir = std::env::temp_dir().join(format!("linkscope-pg-standby-{}", std::process::id()));
        start_cluster(&dir, Some(port))
    })
}

/// Waits until the standby has replayed everything the primary has written
/// (inserted into its WAL: the test cluster commits asynchronously, so what
/// is written to disk may lag the last commit).
fn caught_up(standby: &mut postgres::Client) {
    let mut primary = postgres::Client::connect(server(), postgres::NoTls).unwrap();
    let written: String = primary
        .query_one("SELECT pg_current_wal_insert_lsn()::text", &[])
        .unwrap()
        .get(0);
    let started = Instant::now();
    loop {
        let replayed: bool = standby
            .query_one(
                "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn",
                &[&written],
            )
            .unwrap()
            .get(0);
        if replayed {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the standby did not catch up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_hot_standby_is_explored_read_only_with_the_same_answers() {
    let url = standby();
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    caught_up(&mut client);
    let in_recovery: bool = client
        .query_one("SELECT pg_is_in_recovery()", &[])
        .unwrap()
        .get(0);
    assert!(in_recovery, "{url} is not a standby");
    let refused = client
        .batch_execute("CREATE TABLE replica.scratch (id bigint)")
        .unwrap_err();
    assert_eq!(
        refused.code(),
        Some(&postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION),
        "{refused}"
    );

    let file = manifest("sample-db/sample.sqlite");
    let mut local = SqliteExplorer::open(&file).unwrap();
    let mut explorer = PgExplorer::connect(&PgTarget::new(url, "replica").unwrap()).unwrap();
    for query in ["tal", "Haqqani", "a"] {
        assert_eq!(
            explorer.search_names(query, 20).unwrap(),
            local.search_names(query, 20).unwrap(),
            "{query:?}"
        );
    }
    assert_eq!(
        explorer.search_excerpts("security", 20).unwrap(),
        local.search_excerpts("security", 20).unwrap()
    );
    for id in [2, 8, 15] {
        assert_eq!(
            all_pages(&mut explorer, id, 3),
            all_pages(&mut local, id, 3),
            "entity {id}"
        );
    }
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.sqlite");
    let written = explorer.copy_scene(&[2, 8, 15], &[], &copy).unwrap();
    assert_eq!(written.entity_ids.len(), 3);
    assert_eq!(explorer.take_note(), None, "nothing was asked again");

    // A view cannot be saved on a standby; the explorer says why, and
    // goes on answering.
    let view = linkscope::model::explore::SavedView {
        name: "default".to_owned(),
        scene: vec![2],
        positions: Vec::new(),
        view: r#"{"version":1}"#.to_owned(),
    };
    let refused = explorer.save_view(&view).unwrap_err().to_string();
    assert!(
        refused.contains("Saving the view on the server needs a server that takes writes"),
        "{refused}"
    );
    assert!(explorer.saved_views().unwrap().is_empty());
    assert_eq!(explorer.entities(&[2]).unwrap().len(), 1);
}

#[test]
fn a_query_the_standby_cancels_for_replay_is_asked_again_and_the_window_is_told() {
    let url = standby();
    // A table of its own, so that the lock below stops no other test's query.
    let primary_url = server();
    push(
        manifest("sample-db/sample.sqlite").to_str().unwrap(),
        primary_url,
        "replica_locked",
    );
    // A schema whose `entities` takes a second and a half to read (a view
    // over the pushed table): the explorer's search is still running on
    // the standby when the primary locks the table.
    let mut primary = postgres::Client::connect(primary_url, postgres::NoTls).unwrap();
    primary
        .batch_execute(
            "CREATE SCHEMA IF NOT EXISTS replica_slow;
             CREATE OR REPLACE VIEW replica_slow.entities AS
                WITH pause AS MATERIALIZED (SELECT pg_sleep(1.5))
                SELECT e.* FROM replica_locked.entities e, pause;",
        )
        .unwrap();
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    caught_up(&mut client);
    let mut explorer = PgExplorer::connect(&PgTarget::new(url, "replica_slow").unwrap()).unwrap();
    let searching = std::thread::spawn(move || {
        let found = explorer.search_names("Taliban government", 5);
        (found, explorer.take_note())
    });
    // Until the search holds its lock on the standby: then an ACCESS
    // EXCLUSIVE lock on the primary, which replay must take there.
    let started = Instant::now();
    loop {
        let waiting: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%replica_slow%' AND state = 'active' AND pid <> pg_backend_pid()",
                &[],
            )
            .unwrap()
            .get(0);
        if waiting > 0 {
            break;
        }
        assert!(
            !searching.is_finished(),
            "the search ended first: {:?}",
            searching.join().unwrap()
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the search did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    primary
        .batch_execute(
            "BEGIN; LOCK TABLE replica_locked.entities IN ACCESS EXCLUSIVE MODE; COMMIT;",
        )
        .unwrap();
    let (found, note) = searching.join().unwrap();
    let found = found.unwrap();
    assert_eq!(found[0].name, "Taliban government");
    let note = note.expect("the retry was not noted");
    assert!(note.contains("conflict with recovery"), "{note}");
    assert!(note.contains("asked again"), "{note}");
    assert!(
        !note.contains("linkscope-test"),
        "the password was shown: {note}"
    );
}
