//! Views saved on the server: per user, in `app.linkscope_views`, never in
//! the graph's schema. An exploring session is read-only
//! (`default_transaction_read_only`); a save runs in a transaction of its
//! own, started READ WRITE, that writes that one table and nothing else.
//! The first role to save creates the `app` schema and the table where it
//! may, and opens the table to every role, each seeing and writing only
//! its own rows (row-level security on `owner = session_user`, which the
//! queries repeat). Where the role may not, the window is told what right
//! is missing, in the server's words.

use postgres::Client;

use super::PgTarget;
use crate::model::explore::{SavedView, SavedViewInfo, ScenePosition};

/// The table, as the first save creates it. The owner comes from the
/// session, never from the client; the policy keeps each role to its own
/// rows, and FORCE applies it to the table's owner too.
const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS app.linkscope_views (
    owner name NOT NULL DEFAULT session_user,
    graph_schema text NOT NULL,
    name text NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now(),
    scene jsonb NOT NULL,
    positions jsonb NOT NULL,
    view jsonb NOT NULL,
    PRIMARY KEY (owner, graph_schema, name)
);
ALTER TABLE app.linkscope_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.linkscope_views FORCE ROW LEVEL SECURITY;
CREATE POLICY own_views ON app.linkscope_views
    USING (owner = session_user) WITH CHECK (owner = session_user);
GRANT SELECT, INSERT, UPDATE, DELETE ON app.linkscope_views TO PUBLIC;";

/// Where the table stands for this role: 0 no schema `app`, 1 no USAGE on
/// it, 2 no table, 3 no SELECT on it, 4 ready. CASE, unlike AND, checks in
/// order (a privilege asked of a missing object is an error).
const STATE: &str = "SELECT CASE
    WHEN to_regnamespace('app') IS NULL THEN 0
    WHEN NOT has_schema_privilege('app', 'USAGE') THEN 1
    WHEN to_regclass('app.linkscope_views') IS NULL THEN 2
    WHEN NOT has_table_privilege('app.linkscope_views', 'SELECT') THEN 3
    ELSE 4 END, session_user::text, current_database()::text";

const UPSERT: &str =
    "INSERT INTO app.linkscope_views (graph_schema, name, saved_at, scene, positions, view)
    VALUES ($1, $2, now(), to_jsonb($3::bigint[]), $4::text::jsonb, $5::text::jsonb)
    ON CONFLICT (owner, graph_schema, name) DO UPDATE SET saved_at = excluded.saved_at,
        scene = excluded.scene, positions = excluded.positions, view = excluded.view
    RETURNING to_char(saved_at, 'YYYY-MM-DD HH24:MI'), jsonb_array_length(scene)";

/// Why a view could not be saved or read.
#[derive(Debug, thiserror::Error)]
pub(super) enum ViewError {
    /// A right the role lacks, or a server that takes no writes: said in
    /// full, for the window.
    #[error("{0}")]
    NotAllowed(String),
    #[error("no saved view is named {0:?}")]
    Missing(String),
    #[error(transparent)]
    Query(#[from] postgres::Error),
}

/// What the save was doing when the server refused.
#[derive(Clone, Copy)]
enum Step {
    Begin,
    CreateSchema,
    CreateTable,
    Write,
}

/// The server's own words for `error`.
fn said(error: &postgres::Error) -> String {
    error
        .as_db_error()
        .map_or_else(|| error.to_string(), |db| db.message().to_owned())
}

/// `what` is needed; the scene can still be kept as a file.
fn needs(what: &str, error: Option<&postgres::Error>) -> ViewError {
    let why = error.map_or_else(String::new, |error| format!(" ({})", said(error)));
    ViewError::NotAllowed(format!(
        "Saving the view on the server needs {what}{why}; use File > Save As to keep the scene as a file"
    ))
}

/// A refusal said as the right that is missing; other errors as they are.
fn refused(step: Step, user: &str, database: &str) -> impl Fn(postgres::Error) -> ViewError {
    let (user, database) = (user.to_owned(), database.to_owned());
    move |error| {
        let Some(code) = error.as_db_error().map(|db| db.code().code().to_owned()) else {
            return ViewError::Query(error);
        };
        match (code.as_str(), step) {
            // read_only_sql_transaction, or READ WRITE refused: a standby.
            ("25006", _) | (_, Step::Begin) => needs(
                "a server that takes writes (this one is read-only)",
                Some(&error),
            ),
            ("42501", Step::CreateSchema) => needs(
                &format!(
                    "a schema app, which role {user} may not create (it lacks CREATE on database {database}): the database's owner can create it, or grant that right"
                ),
                Some(&error),
            ),
            ("42501", Step::CreateTable) => needs(
                &format!(
                    "the table app.linkscope_views, which role {user} may not create (it lacks CREATE on schema app)"
                ),
                Some(&error),
            ),
            ("42501", _) => needs(
                &format!("SELECT, INSERT and UPDATE on app.linkscope_views for role {user}"),
                Some(&error),
            ),
            _ => ViewError::Query(error),
        }
    }
}

/// The positions as JSON: each coordinate written as the f64 it widens
/// to exactly, in the shortest digits that read back as that f64, so that
/// a view reopens exactly where it was saved.
fn positions_json(positions: &[ScenePosition]) -> String {
    let rows: Vec<serde_json::Value> = positions
        .iter()
        .map(|position| {
            serde_json::json!({
                "id": position.id,
                "x": f64::from(position.world[0]),
                "y": f64::from(position.world[1]),
                "pinned": position.pinned,
            })
        })
        .collect();
    serde_json::Value::Array(rows).to_string()
}

/// Saves `view` for this session's user, creating the table first where
/// it is not there and the role may. Writes nothing else.
pub(super) fn save(
    client: &mut Client,
    target: &PgTarget,
    view: &SavedView,
) -> Result<SavedViewInfo, ViewError> {
    let mut transaction = client
        .build_transaction()
        .read_only(false)
        .start()
        .map_err(refused(Step::Begin, "", ""))?;
    let row = transaction.query_one(STATE, &[])?;
    let (state, user, database): (i32, String, String) = (row.get(0), row.get(1), row.get(2));
    match state {
        0 => {
            // CREATE SCHEMA checks the database's CREATE right even when
            // the schema exists, so it is only asked for when it does not.
            transaction
                .batch_execute(
                    "CREATE SCHEMA IF NOT EXISTS app; GRANT USAGE ON SCHEMA app TO PUBLIC",
                )
                .map_err(refused(Step::CreateSchema, &user, &database))?;
            transaction.batch_execute(CREATE_TABLE).map_err(refused(
                Step::CreateTable,
                &user,
                &database,
            ))?;
        }
        1 => {
            return Err(needs(&format!("USAGE on schema app for role {user}"), None));
        }
        2 => transaction.batch_execute(CREATE_TABLE).map_err(refused(
            Step::CreateTable,
            &user,
            &database,
        ))?,
        3 => {
            return Err(needs(
                &format!("SELECT, INSERT and UPDATE on app.linkscope_views for role {user}"),
                None,
            ));
        }
        _ => {}
    }
    let row = transaction
        .query_one(
            UPSERT,
            &[
                &target.schema,
                &view.name,
                &view.scene,
                &positions_json(&view.positions),
                &view.view,
            ],
        )
        .map_err(refused(Step::Write, &user, &database))?;
    let info = SavedViewInfo {
        name: view.name.clone(),
        saved_at: row.get(0),
        entities: u64::try_from(row.get::<_, i32>(1)).unwrap_or(0),
    };
    transaction
        .commit()
        .map_err(refused(Step::Write, &user, &database))?;
    Ok(info)
}

/// Whether this role can read the table now.
fn readable(client: &mut Client) -> Result<bool, postgres::Error> {
    Ok(client.query_one(STATE, &[])?.get::<_, i32>(0) == 4)
}

/// This user's views of `target`'s schema, newest first; none where the
/// table is not there or the role may not read it.
pub(super) fn list(
    client: &mut Client,
    target: &PgTarget,
) -> Result<Vec<SavedViewInfo>, postgres::Error> {
    if !readable(client)? {
        return Ok(Vec::new());
    }
    let rows = client.query(
        "SELECT name, to_char(saved_at, 'YYYY-MM-DD HH24:MI'), jsonb_array_length(scene)
         FROM app.linkscope_views WHERE owner = session_user AND graph_schema = $1
         ORDER BY saved_at DESC, name",
        &[&target.schema],
    )?;
    Ok(rows
        .iter()
        .map(|row| SavedViewInfo {
            name: row.get(0),
            saved_at: row.get(1),
            entities: u64::try_from(row.get::<_, i32>(2)).unwrap_or(0),
        })
        .collect())
}

/// The view this user saved as `name` for `target`'s schema. Coordinates
/// are read as float8 by the server (exact), then narrowed to the f32
/// they were widened from.
pub(super) fn load(
    client: &mut Client,
    target: &PgTarget,
    name: &str,
) -> Result<SavedView, ViewError> {
    if !readable(client)? {
        return Err(ViewError::Missing(name.to_owned()));
    }
    let Some(row) = client.query_opt(
        "SELECT ARRAY(SELECT jsonb_array_elements_text(scene)::bigint), view::text
         FROM app.linkscope_views WHERE owner = session_user AND graph_schema = $1 AND name = $2",
        &[&target.schema, &name],
    )?
    else {
        return Err(ViewError::Missing(name.to_owned()));
    };
    let positions = client
        .query(
            "SELECT (p->>'id')::bigint, (p->>'x')::float8, (p->>'y')::float8,
                    coalesce((p->>'pinned')::boolean, false)
             FROM app.linkscope_views v, jsonb_array_elements(v.positions) AS p
             WHERE v.owner = session_user AND v.graph_schema = $1 AND v.name = $2",
            &[&target.schema, &name],
        )?
        .iter()
        .map(|row| ScenePosition {
            id: row.get(0),
            // Written from an f32 (see `positions_json`): narrowing is exact.
            world: [row.get::<_, f64>(1) as f32, row.get::<_, f64>(2) as f32],
            pinned: row.get(3),
        })
        .collect();
    Ok(SavedView {
        name: name.to_owned(),
        scene: row.get(0),
        positions,
        view: row.get(1),
    })
}
