//! Compartments (`linkscope compartments`): row-level security by group on
//! the test cluster (see postgres.rs). Two analysts, each in one group,
//! explore the sample: each must get what the sample file gives once the
//! rows the other group keeps (and the relations that touch them) are
//! deleted from it, here, with rusqlite. And search must stay on its
//! indexes, which row-level security alone would make PostgreSQL skip.

use std::path::Path;
use std::sync::{Arc, Mutex};

use linkscope::model::explore::Explorer as _;
use linkscope::postgres::{PgExplorer, PgTarget};
use linkscope::store::SqliteExplorer;

use crate::postgres::{all_pages, linkscope, manifest, push, server, text};

/// Entity 2 (Sirajuddin Haqqani) and excerpt 9 are group A's; entity 11
/// (Islamic State), relation 47 (between two shared entities) and excerpt
/// 3 are group B's; the rest is shared.
const A_ENTITIES: [i64; 1] = [2];
const A_EXCERPTS: [i64; 1] = [9];
const B_ENTITIES: [i64; 1] = [11];
const B_RELATIONS: [i64; 1] = [47];
const B_EXCERPTS: [i64; 1] = [3];

/// A schema with compartments, group roles `{schema}_a` and `{schema}_b`,
/// and login roles `{schema}_ana` (in A) and `{schema}_bob` (in B), each
/// with password `pw`; returns their URLs (ana's, bob's).
fn compartments(schema: &str) -> (String, String) {
    let url = server();
    let mut admin = postgres::Client::connect(url, postgres::NoTls).unwrap();
    // pg_trgm first: two pushes creating it at once on a fresh cluster
    // (tests run in parallel), one would go on without the trigram index.
    // A failure here is that race too, and leaves it created.
    let _ = admin.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
    let pushed = push(
        manifest("sample-db/sample.sqlite").to_str().unwrap(),
        url,
        schema,
    );
    assert!(
        !text(&pushed).contains("no trigram index"),
        "{}",
        text(&pushed)
    );
    for _ in 0..2 {
        // Twice: setting up again changes nothing.
        let done = linkscope(&["compartments", url, "--schema", schema]);
        assert!(done.status.success(), "{}", text(&done));
        assert!(text(&done).contains("UPDATE"), "{}", text(&done));
    }
    let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    admin
        .batch_execute(&format!(
            "CREATE ROLE {schema}_a; CREATE ROLE {schema}_b;
             CREATE ROLE {schema}_ana LOGIN PASSWORD 'pw' IN ROLE {schema}_a;
             CREATE ROLE {schema}_bob LOGIN PASSWORD 'pw' IN ROLE {schema}_b;
             GRANT USAGE ON SCHEMA {schema} TO {schema}_a, {schema}_b;
             GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {schema}_a, {schema}_b;
             UPDATE {schema}.entities SET compartment = '{schema}_a' WHERE id IN ({});
             UPDATE {schema}.excerpts SET compartment = '{schema}_a' WHERE id IN ({});
             UPDATE {schema}.entities SET compartment = '{schema}_b' WHERE id IN ({});
             UPDATE {schema}.relations SET compartment = '{schema}_b' WHERE id IN ({});
             UPDATE {schema}.excerpts SET compartment = '{schema}_b' WHERE id IN ({});",
            list(&A_ENTITIES),
            list(&A_EXCERPTS),
            list(&B_ENTITIES),
            list(&B_RELATIONS),
            list(&B_EXCERPTS),
        ))
        .unwrap();
    let port = url.rsplit_once(':').unwrap().1.split('/').next().unwrap();
    let as_role = |role: &str| format!("postgres://{schema}_{role}:pw@127.0.0.1:{port}/postgres");
    (as_role("ana"), as_role("bob"))
}

/// The sample file less what another group keeps: the entities, relations
/// and excerpts in `hidden`'s compartment, the relations touching those
/// entities, and the citations of anything gone.
fn sample_seen_by(
    folder: &Path,
    name: &str,
    hidden: (&[i64], &[i64], &[i64]),
) -> std::path::PathBuf {
    let path = folder.join(format!("{name}.sqlite"));
    std::fs::copy(manifest("sample-db/sample.sqlite"), &path).unwrap();
    let file = rusqlite::Connection::open(&path).unwrap();
    let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let (entities, relations, excerpts) = hidden;
    file.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF;
         DELETE FROM entities WHERE id IN ({});
         DELETE FROM relations WHERE id IN ({})
             OR subject_id NOT IN (SELECT id FROM entities) OR object_id NOT IN (SELECT id FROM entities);
         DELETE FROM excerpts WHERE id IN ({});
         DELETE FROM relation_excerpts WHERE relation_id NOT IN (SELECT id FROM relations)
             OR excerpt_id NOT IN (SELECT id FROM excerpts);",
        list(entities),
        list(relations),
        list(excerpts)
    ))
    .unwrap();
    path
}

fn ids_in(path: &Path, table: &str) -> Vec<i64> {
    let file = rusqlite::Connection::open(path).unwrap();
    let mut statement = file
        .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Everything the explorer answers on `server` is what `file` answers.
fn same_answers(server: &mut PgExplorer, file: &Path, who: &str) {
    assert!(
        server.searches_through_functions(),
        "{who}: the search functions were not found"
    );
    let mut local = SqliteExplorer::open(file).unwrap();
    for query in [
        "haqqani",
        "Islamic State (ISIS)",
        "isis",
        "a",
        "security",
        "taliban",
        "",
    ] {
        assert_eq!(
            server.search_names(query, 30).unwrap(),
            local.search_names(query, 30).unwrap(),
            "{who}: names {query:?}"
        );
    }
    for query in ["security", "Haqqani", "ISIS", "the"] {
        assert_eq!(
            server.search_excerpts(query, 30).unwrap(),
            local.search_excerpts(query, 30).unwrap(),
            "{who}: excerpts {query:?}"
        );
    }
    // Every entity of the whole sample, the hidden ones too: asking by id
    // shows nothing more.
    let every: Vec<i64> = (1..=27).collect();
    for &id in &every {
        assert_eq!(
            all_pages(server, id, 4),
            all_pages(&mut local, id, 4),
            "{who}: entity {id}"
        );
    }
    assert_eq!(
        server.entities(&every).unwrap(),
        local.entities(&every).unwrap(),
        "{who}"
    );
    assert_eq!(
        server.relations_among(&every).unwrap(),
        local.relations_among(&every).unwrap(),
        "{who}"
    );
    let sorted = |(mut touches, cut): (Vec<linkscope::model::explore::Touch>, bool)| {
        touches.sort_by_key(|touch| (touch.relation, touch.from));
        (
            touches
                .iter()
                .map(|touch| (touch.from, touch.to, touch.relation))
                .collect::<Vec<_>>(),
            cut,
        )
    };
    for frontier in [vec![8, 15], vec![2, 11, 20], every.clone()] {
        assert_eq!(
            sorted(server.relations_touching(&frontier, 1000).unwrap()),
            sorted(local.relations_touching(&frontier, 1000).unwrap()),
            "{who}: touching {frontier:?}"
        );
    }
    // The working copy holds what the role may see, and nothing else.
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.sqlite");
    server.copy_scene(&every, &[], &copy).unwrap();
    for table in ["entities", "relations"] {
        assert_eq!(ids_in(&copy, table), ids_in(file, table), "{who}: {table}");
    }
    // The excerpts that those relations cite.
    let cited: Vec<i64> = rusqlite::Connection::open(file)
        .unwrap()
        .prepare("SELECT DISTINCT excerpt_id FROM relation_excerpts ORDER BY 1")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ids_in(&copy, "excerpts"), cited, "{who}: excerpts");
}

#[test]
fn two_analysts_see_their_compartment_and_the_shared_rows_only() {
    let (ana, bob) = compartments("rls_two");
    let folder = tempfile::tempdir().unwrap();
    let for_ana = sample_seen_by(
        folder.path(),
        "ana",
        (&B_ENTITIES, &B_RELATIONS, &B_EXCERPTS),
    );
    let for_bob = sample_seen_by(folder.path(), "bob", (&A_ENTITIES, &[], &A_EXCERPTS));
    let mut as_ana = PgExplorer::connect(&PgTarget::new(&ana, "rls_two").unwrap()).unwrap();
    let mut as_bob = PgExplorer::connect(&PgTarget::new(&bob, "rls_two").unwrap()).unwrap();
    same_answers(&mut as_ana, &for_ana, "ana");
    same_answers(&mut as_bob, &for_bob, "bob");

    // In plain words: each sees their own group's entity and not the other's.
    let names = |explorer: &mut PgExplorer, text: &str| -> Vec<String> {
        explorer
            .search_names(text, 30)
            .unwrap()
            .into_iter()
            .map(|record| record.name)
            .collect()
    };
    assert!(names(&mut as_ana, "Sirajuddin").contains(&"Sirajuddin Haqqani".to_owned()));
    assert!(names(&mut as_ana, "Islamic").is_empty());
    assert!(names(&mut as_bob, "Sirajuddin").is_empty());
    assert!(names(&mut as_bob, "Islamic").contains(&"Islamic State (ISIS)".to_owned()));
    let relations = |explorer: &mut PgExplorer| -> Vec<i64> {
        explorer
            .relations_among(&[8, 15])
            .unwrap()
            .iter()
            .map(|relation| relation.id)
            .collect()
    };
    assert!(!relations(&mut as_ana).contains(&47));
    assert!(relations(&mut as_bob).contains(&47));

    // The owner (here a superuser) sees the whole sample, through the same
    // functions.
    let mut owner = PgExplorer::connect(&PgTarget::new(server(), "rls_two").unwrap()).unwrap();
    same_answers(&mut owner, &manifest("sample-db/sample.sqlite"), "owner");

    // Analysts cannot write, whatever the session says.
    let mut client = postgres::Client::connect(&ana, postgres::NoTls).unwrap();
    let refused = client
        .execute("UPDATE rls_two.entities SET compartment = NULL", &[])
        .unwrap_err();
    assert!(
        refused.as_db_error().is_some(),
        "the update was not refused: {refused}"
    );
}

/// The plans a session's statements ran with, as `auto_explain` logs them
/// to the client.
fn logged_plans() -> (postgres::Client, Arc<Mutex<Vec<String>>>) {
    let plans: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = Arc::clone(&plans);
    let mut config: postgres::Config = server().parse().unwrap();
    config.notice_callback(move |notice| sink.lock().unwrap().push(notice.message().to_owned()));
    (config.connect(postgres::NoTls).unwrap(), plans)
}

#[test]
fn search_stays_on_its_indexes_under_compartments_and_a_plain_query_would_not() {
    compartments("rls_plan");
    let (mut client, plans) = logged_plans();
    // The sample's tables are tiny: the planner would scan them whatever
    // the indexes. With scans priced out, a plan shows which indexes it
    // *may* use, which is what row-level security changes.
    client
        .batch_execute(
            "LOAD 'auto_explain';
             SET auto_explain.log_min_duration = 0;
             SET auto_explain.log_nested_statements = on;
             SET client_min_messages = log;
             SET enable_seqscan = off;
             SET SESSION AUTHORIZATION rls_plan_ana;",
        )
        .unwrap();
    let plan_of = |client: &mut postgres::Client, sql: &str, table: &str| -> String {
        plans.lock().unwrap().clear();
        client.batch_execute(sql).unwrap();
        let logged = plans.lock().unwrap();
        logged
            .iter()
            .find(|plan| plan.contains(&format!("FROM \"rls_plan\".{table}")))
            .unwrap_or_else(|| panic!("no nested plan logged for {sql}: {logged:?}"))
            .clone()
    };
    let names = plan_of(
        &mut client,
        "SELECT * FROM rls_plan.search_names('tal', 'tal', 20)",
        "entities",
    );
    assert!(
        names.contains("Index Scan on entities_name_trigram"),
        "{names}"
    );
    let excerpts = plan_of(
        &mut client,
        "SELECT * FROM rls_plan.search_excerpts('security', 20)",
        "excerpts",
    );
    assert!(
        excerpts.contains("Index Scan on excerpts_text_search"),
        "{excerpts}"
    );
    // The function filters as the policy does: ana finds her entity, and
    // not group B's.
    let found: Vec<String> = client
        .query("SELECT name FROM rls_plan.search_names('i', 'i', 50)", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(
        found.contains(&"Sirajuddin Haqqani".to_owned()),
        "{found:?}"
    );
    assert!(
        !found.contains(&"Islamic State (ISIS)".to_owned()),
        "{found:?}"
    );

    // The trade-off: the same searches as plain queries, as ana, under
    // row-level security, cannot use those indexes (ILIKE and @@ are not
    // leakproof) ...
    let explain = |client: &mut postgres::Client, sql: &str| -> String {
        client
            .query(&format!("EXPLAIN {sql}"), &[])
            .unwrap()
            .iter()
            .map(|row| row.get::<_, String>(0))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let plain_names = "SELECT id, kind, name FROM rls_plan.entities WHERE name ILIKE '%tal%'";
    let plain_excerpts = "SELECT id FROM rls_plan.excerpts WHERE to_tsvector('simple', text) @@ plainto_tsquery('simple', 'security')";
    let plan = explain(&mut client, plain_names);
    assert!(!plan.contains("entities_name_trigram"), "{plan}");
    assert!(plan.contains("Seq Scan on entities"), "{plan}");
    let plan = explain(&mut client, plain_excerpts);
    assert!(!plan.contains("excerpts_text_search"), "{plan}");
    // ... while expansion's integer equality is leakproof and keeps its
    // indexes, policy or not.
    let plan = explain(
        &mut client,
        "SELECT object_id FROM rls_plan.relations WHERE subject_id = 8
         UNION ALL SELECT subject_id FROM rls_plan.relations WHERE object_id = 8",
    );
    assert!(plan.contains("relations_by_subject"), "{plan}");
    assert!(plan.contains("relations_by_object"), "{plan}");
    let plan = explain(
        &mut client,
        "SELECT name FROM rls_plan.entities WHERE id = ANY('{1,2,3}')",
    );
    assert!(plan.contains("entities_pkey"), "{plan}");
    // The owner, whom the policies do not bind, gets the indexes with the
    // same plain queries: it is row-level security that takes them away.
    client.batch_execute("RESET SESSION AUTHORIZATION").unwrap();
    let plan = explain(&mut client, plain_names);
    assert!(plan.contains("entities_name_trigram"), "{plan}");
    let plan = explain(&mut client, plain_excerpts);
    assert!(plan.contains("excerpts_text_search"), "{plan}");
}
