//! Views saved on a PostgreSQL server while exploring it: File ▸ Save keeps
//! the view per user in `app.linkscope_views`, and never writes the data
//! tables; the Explore tab offers it again on the next connection, and
//! opening it brings back the same entities at exactly the same places,
//! with the camera, pins and hidden entities. A role that may not write
//! there is told what is missing, and the window goes on. What was stored
//! is read back here with plain SQL, not with the code under test.

use std::collections::BTreeMap;

use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};
use linkscope::app::{ExploreSpec, ExploreStatus, LinkscopeApp};
use linkscope::model::explore::{Explorer, SavedView, ScenePosition};
use linkscope::model::visibility::Shown;
use linkscope::postgres::{PgExplorer, PgTarget};

use crate::explore_ui::{click_button, explore_harness, hub_fixture, seed_the_hub};
use crate::postgres::{push, server};
use crate::ui::step_until;

const DATA_TABLES: [&str; 5] = [
    "entities",
    "relations",
    "documents",
    "excerpts",
    "relation_excerpts",
];

/// Each table of `schema` with its row count and an md5 of its rows in
/// order: what must not change while exploring.
fn data_hash(client: &mut postgres::Client, schema: &str) -> Vec<(String, i64, String)> {
    let mut tables: Vec<String> = crate::postgres::tables_of(client, schema);
    for table in DATA_TABLES {
        assert!(tables.iter().any(|t| t == table), "{schema}.{table}");
    }
    tables.sort();
    tables
        .into_iter()
        .map(|table| {
            let row = client
                .query_one(
                    &format!(
                        "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {schema}.\"{table}\" AS t"
                    ),
                    &[],
                )
                .unwrap();
            (table, row.get(0), row.get(1))
        })
        .collect()
}

/// `url` with another user and database.
fn url_as(url: &str, user: &str, database: &str) -> String {
    let port = url.rsplit_once(':').unwrap().1.split('/').next().unwrap();
    format!("postgres://{user}@127.0.0.1:{port}/{database}")
}

fn admin(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

/// A database of its own (the `app` schema is per database), with the hub
/// pushed into schema `hub`.
fn database_with_hub(name: &str) -> String {
    let url = server();
    admin(url)
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let there = url_as(url, "linkscope:linkscope-test", name);
    let folder = tempfile::tempdir().unwrap();
    let fixture = hub_fixture(folder.path());
    push(fixture.to_str().unwrap(), &there, "hub");
    there
}

fn node_named(app: &LinkscopeApp, name: &str) -> u32 {
    let graph = app.graph().unwrap();
    (0..graph.node_count() as u32)
        .find(|&node| graph.node_name(node) == name)
        .unwrap_or_else(|| panic!("{name} is not shown"))
}

/// File ▸ Save (not Save As).
pub(crate) fn click_save(harness: &mut Harness<'_, LinkscopeApp>) {
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label_contains("Save")
                .predicate(|node| !node.label().unwrap_or_default().contains("As")),
        )
        .click();
    harness.run_steps(2);
}

fn message_containing(app: &LinkscopeApp, text: &str) -> bool {
    app.messages().any(|message| message.contains(text))
}

/// Every entity shown, by id: where it is, pinned, hidden.
fn picture(app: &LinkscopeApp) -> BTreeMap<i64, ([f32; 2], bool, bool)> {
    let graph = app.graph().unwrap();
    let visible = app.visible_set().unwrap();
    (0..graph.node_count() as u32)
        .map(|node| {
            (
                graph.node_db_id(node),
                (
                    app.positions()[node as usize],
                    app.is_pinned(node),
                    visible.node(node) == Shown::Hidden,
                ),
            )
        })
        .collect()
}

#[test]
fn a_view_saved_on_the_server_reopens_exactly_and_the_data_is_never_written() {
    let url = database_with_hub("views_saved");
    let mut sql = admin(&url);
    let before = data_hash(&mut sql, "hub");
    let target = PgTarget::new(&url, "hub").unwrap();
    let mut harness = explore_harness(ExploreSpec::Postgres(Box::new(target.clone())));
    seed_the_hub(&mut harness);
    step_until(
        &mut harness,
        "the layout to settle",
        LinkscopeApp::layout_settled,
    );
    // Hide Shell 7 (click, H), pin Shell 3 by dragging it, zoom out.
    let shell_7 = node_named(harness.state(), "Shell 7");
    let at = harness.state().node_on_screen(shell_7).unwrap();
    crate::ui::click_at(&mut harness, at);
    harness.key_press(egui::Key::H);
    step_until(&mut harness, "Shell 7 hidden", |app| {
        !app.is_updating_view() && app.visible_set().unwrap().node(shell_7) == Shown::Hidden
    });
    let shell_3 = node_named(harness.state(), "Shell 3");
    let at = harness.state().node_on_screen(shell_3).unwrap();
    crate::ui::drag(&mut harness, at, at + egui::vec2(25.0, 15.0));
    step_until(&mut harness, "Shell 3 pinned", |app| app.is_pinned(shell_3));
    let hub = node_named(harness.state(), "Hub Holdings");
    let at = harness.state().node_on_screen(hub).unwrap();
    harness.event(egui::Event::PointerMoved(at));
    harness.event(egui::Event::Zoom(0.7));
    harness.run_steps(3);

    click_save(&mut harness);
    step_until(&mut harness, "the view saved on the server", |app| {
        !app.is_saving() && message_containing(app, "Saved the view \"default\"")
    });
    // One notice, once it is saved: none saying "done" before it was.
    let notices: Vec<String> = harness
        .state()
        .messages()
        .filter(|message| message.contains("the view"))
        .map(str::to_owned)
        .collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    let saved = picture(harness.state());
    let (camera, _) = harness.state().camera().unwrap();
    assert!(!harness.state().has_unsaved_changes());
    drop(harness);

    // The row, read with plain SQL: the owner is the session's user.
    let row = sql
        .query_one(
            "SELECT owner::text, name, jsonb_array_length(scene), jsonb_array_length(positions),
                    view->'hidden_entities', view->'camera'->>'zoom'
             FROM app.linkscope_views WHERE graph_schema = 'hub'",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "linkscope");
    assert_eq!(row.get::<_, String>(1), "default");
    assert_eq!(row.get::<_, i32>(2), 51);
    assert_eq!(row.get::<_, i32>(3), 51);
    let hidden: Vec<i64> = sql
        .query(
            "SELECT jsonb_array_elements_text(view->'hidden_entities')::bigint
             FROM app.linkscope_views WHERE graph_schema = 'hub'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(hidden, vec![9007]);
    let stored: BTreeMap<i64, ([f32; 2], bool)> = sql
        .query(
            "SELECT (p->>'id')::bigint, (p->>'x')::float8, (p->>'y')::float8, (p->>'pinned')::boolean
             FROM app.linkscope_views, jsonb_array_elements(positions) AS p WHERE graph_schema = 'hub'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.get(0),
                (
                    [row.get::<_, f64>(1) as f32, row.get::<_, f64>(2) as f32],
                    row.get(3),
                ),
            )
        })
        .collect();
    let shown: BTreeMap<i64, ([f32; 2], bool)> = saved
        .iter()
        .map(|(&id, &(world, pinned, _))| (id, (world, pinned)))
        .collect();
    assert_eq!(stored, shown, "the row holds the picture as it was saved");
    assert_eq!(
        stored
            .iter()
            .filter(|(_, (_, pinned))| *pinned)
            .map(|(&id, _)| id)
            .collect::<Vec<_>>(),
        vec![9003]
    );

    // Connecting again offers the view; opening it brings it all back.
    let mut harness = explore_harness(ExploreSpec::Postgres(Box::new(target)));
    step_until(&mut harness, "the source to open", |app| {
        app.explore_status() == Some(ExploreStatus::Ready)
            && app.graph().is_some_and(|graph| graph.node_count() == 0)
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !crate::explore_ui::button(&harness, "Open saved view: default (") {
        assert!(
            std::time::Instant::now() < deadline,
            "the saved view was not offered"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    click_button(&mut harness, "Open saved view: default (");
    step_until(&mut harness, "the saved scene", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 51)
            && !app.is_updating_view()
            && app.visible_set().is_some()
    });
    // Give a layout that wrongly runs time to move things.
    std::thread::sleep(std::time::Duration::from_millis(300));
    harness.run_steps(5);
    let app = harness.state();
    assert_eq!(picture(app), saved, "the view did not come back exactly");
    assert_eq!(app.camera().unwrap().0, camera, "the camera");
    assert!(message_containing(app, "Opened the view \"default\""));

    // The data tables are as pushed.
    assert_eq!(data_hash(&mut sql, "hub"), before);
}

#[test]
fn a_role_that_may_not_write_on_the_server_is_told_to_save_a_file_and_the_window_stays_usable() {
    let url = database_with_hub("views_denied");
    let mut sql = admin(&url);
    sql.batch_execute(
        "CREATE ROLE views_reader LOGIN PASSWORD 'pw';
         GRANT USAGE ON SCHEMA hub TO views_reader;
         GRANT SELECT ON ALL TABLES IN SCHEMA hub TO views_reader;",
    )
    .unwrap();
    let before = data_hash(&mut sql, "hub");
    let reader = url_as(&url, "views_reader:pw", "views_denied");
    let target = PgTarget::new(&reader, "hub").unwrap();
    let mut harness = explore_harness(ExploreSpec::Postgres(Box::new(target)));
    seed_the_hub(&mut harness);

    // No CREATE on the database: no schema app.
    click_save(&mut harness);
    step_until(&mut harness, "the refusal", |app| {
        !app.is_saving() && message_containing(app, "Saving the view on the server needs")
    });
    let said: Vec<String> = harness.state().messages().map(str::to_owned).collect();
    let refusal = said
        .iter()
        .find(|message| message.contains("Saving the view on the server needs"))
        .unwrap();
    for part in [
        "a schema app",
        "role views_reader",
        "CREATE on database views_denied",
        "use File > Save As to keep the scene as a file",
    ] {
        assert!(refusal.contains(part), "{part:?} not in {refusal:?}");
    }
    let app_schema: bool = sql
        .query_one("SELECT to_regnamespace('app') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(!app_schema);

    // A schema app it may use but not create in: the table is missing.
    sql.batch_execute("CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO views_reader")
        .unwrap();
    click_save(&mut harness);
    step_until(&mut harness, "the second refusal", |app| {
        !app.is_saving() && message_containing(app, "lacks CREATE on schema app")
    });

    // The window goes on: the next page still comes.
    click_button(&mut harness, "Load next 10");
    step_until(&mut harness, "the next page", |app| {
        app.graph().is_some_and(|graph| graph.node_count() == 61)
    });
    assert_eq!(harness.state().explore_status(), Some(ExploreStatus::Ready));
    assert_eq!(data_hash(&mut sql, "hub"), before);
}

/// Each role reads and writes only its own saved views (row-level
/// security on the owner), through the explorer and in plain SQL.
#[test]
fn each_role_sees_and_writes_only_its_own_saved_views() {
    let url = database_with_hub("views_roles");
    let mut sql = admin(&url);
    sql.batch_execute(
        "CREATE ROLE views_ana LOGIN PASSWORD 'pw'; CREATE ROLE views_bob LOGIN PASSWORD 'pw';
         GRANT USAGE ON SCHEMA hub TO views_ana, views_bob;
         GRANT SELECT ON ALL TABLES IN SCHEMA hub TO views_ana, views_bob;
         GRANT CREATE ON DATABASE views_roles TO views_ana;",
    )
    .unwrap();
    let before = data_hash(&mut sql, "hub");
    let explorer = |role: &str| {
        let target =
            PgTarget::new(&url_as(&url, &format!("{role}:pw"), "views_roles"), "hub").unwrap();
        PgExplorer::connect(&target).unwrap()
    };
    let view = |name: &str, ids: &[i64]| SavedView {
        name: name.to_owned(),
        scene: ids.to_vec(),
        positions: ids
            .iter()
            .map(|&id| ScenePosition {
                id,
                world: [id as f32 * 0.1, -1.0 / 3.0],
                pinned: id % 2 == 0,
            })
            .collect(),
        view: r#"{"version":1}"#.to_owned(),
    };
    // Ana may create the schema: her save makes the table.
    let mut ana = explorer("views_ana");
    assert!(ana.saved_views().unwrap().is_empty());
    ana.save_view(&view("default", &[9000, 9001])).unwrap();
    ana.save_view(&view("default", &[9000, 9001, 9002]))
        .unwrap();
    let mut bob = explorer("views_bob");
    assert!(bob.saved_views().unwrap().is_empty(), "bob sees ana's view");
    bob.save_view(&view("default", &[9005])).unwrap();
    let listed = ana.saved_views().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].entities, 3, "a save of the same name replaces it");
    let loaded = ana.load_view("default").unwrap();
    let wanted = view("default", &[9000, 9001, 9002]);
    // Exactly the positions saved (a third is no short decimal).
    assert_eq!(loaded.positions, wanted.positions);
    assert_eq!(loaded.scene, wanted.scene);
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
    assert_eq!(json(&loaded.view), json(&wanted.view));
    assert_eq!(bob.load_view("default").unwrap().scene, vec![9005]);

    // In plain SQL, as bob: his row only, and none of ana's to change.
    let mut as_bob = postgres::Client::connect(
        &url_as(&url, "views_bob:pw", "views_roles"),
        postgres::NoTls,
    )
    .unwrap();
    let owners: Vec<String> = as_bob
        .query("SELECT owner::text FROM app.linkscope_views", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(owners, vec!["views_bob".to_owned()]);
    let changed = as_bob
        .execute(
            "UPDATE app.linkscope_views SET name = 'taken' WHERE owner = 'views_ana'",
            &[],
        )
        .unwrap();
    assert_eq!(changed, 0);
    let forged = as_bob.batch_execute(
        "INSERT INTO app.linkscope_views (owner, graph_schema, name, scene, positions, view)
         VALUES ('views_ana', 'hub', 'forged', '[]', '[]', '{}')",
    );
    assert!(forged.is_err(), "bob wrote a row as ana");
    let rows: i64 = sql
        .query_one("SELECT count(*) FROM app.linkscope_views", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 2);
    assert_eq!(data_hash(&mut sql, "hub"), before);
}
