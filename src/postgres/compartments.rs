//! `linkscope compartments URL`: row-level security by group on a pushed
//! graph (compartments.sql, run in one transaction; idempotent), and how
//! an explorer finds the search functions it installs.

use super::{PgError, PgTarget};

const SQL: &str = include_str!("compartments.sql");

/// Sets up compartments on `target`'s schema, which must hold a graph.
pub fn compartments(target: &PgTarget) -> Result<(), PgError> {
    let mut client = target.connect()?;
    let mut transaction = client
        .transaction()
        .map_err(target.failed("starting the transaction"))?;
    let graph = transaction
        .query_one(
            "SELECT to_regclass($1) IS NOT NULL",
            &[&target.table("entities")],
        )
        .map_err(target.failed("looking at the schema"))?
        .get::<_, bool>(0);
    if !graph {
        return Err(PgError::NoGraph {
            target: target.to_string(),
            schema: target.schema.clone(),
        });
    }
    transaction
        .batch_execute(&SQL.replace("{s}", &format!("\"{}\"", target.schema)))
        .map_err(target.failed("setting up compartments"))?;
    transaction.commit().map_err(target.failed("committing"))
}

/// Whether the schema has compartments' search functions, which then
/// answer searches (with the indexes that row-level security would skip).
pub(super) fn has_search_functions(
    client: &mut postgres::Client,
    target: &PgTarget,
) -> Result<bool, postgres::Error> {
    let row = client.query_one(
        "SELECT to_regprocedure($1) IS NOT NULL AND to_regprocedure($2) IS NOT NULL",
        &[
            &format!("{}(text, text, bigint)", target.table("search_names")),
            &format!("{}(text, bigint)", target.table("search_excerpts")),
        ],
    )?;
    Ok(row.get(0))
}
