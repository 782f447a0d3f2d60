//! Reading what the filters need that the graph does not hold: entity and
//! relation dates, and for each relation the reliability, credibility and
//! publication date of the excerpts and documents behind it. One pass over
//! three tables, run in the background after the graph has opened; values
//! are measured before they are read, and a value that is not a date or a
//! grade counts as none.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::StoreError;
use super::open::{Schema, open_untrusted};
use crate::model::claims::{Claims, ClaimsBuilder, credibility_index, reliability_index};
use crate::model::dates::{DaySpan, parse_span};
use crate::model::{EdgeIx, FastMap, Graph};

/// Dates and grades are short: anything longer is not one.
const SHORT_VALUE_BYTES: usize = 32;

/// The dates and grades of every entity and relation of `graph`, read from
/// the file it was loaded from. `cancel` interrupts the read.
pub fn load_claims(
    path: &Path,
    graph: &Graph,
    cancel: Arc<AtomicBool>,
) -> Result<Claims, StoreError> {
    let (connection, schema) = open_untrusted(path, Some(cancel))?;
    let mut builder = ClaimsBuilder::new(graph.node_count(), graph.edge_count());
    let short = |table: &str, alias: &str, column: &str| {
        if schema_lacks(&schema, table, column) {
            "NULL".to_owned()
        } else {
            format!(
                "CASE WHEN octet_length({alias}.\"{column}\") <= {SHORT_VALUE_BYTES} \
                 THEN CAST({alias}.\"{column}\" AS TEXT) END"
            )
        }
    };
    let span = |row: &rusqlite::Row<'_>, index: usize| {
        row.get::<_, Option<String>>(index)
            .ok()
            .flatten()
            .and_then(|text| parse_span(&text))
    };

    let sql = format!(
        "SELECT e.id, {}, {} FROM entities e",
        short("entities", "e", "date_start"),
        short("entities", "e", "date_end")
    );
    let error = |table: &'static str| move |error| StoreError::from_query(path, table, error);
    let mut statement = connection.prepare(&sql).map_err(error("entities"))?;
    let mut rows = statement.query([]).map_err(error("entities"))?;
    while let Some(row) = rows.next().map_err(error("entities"))? {
        let Ok(id) = row.get::<_, i64>(0) else {
            continue;
        };
        if let Some(node) = graph.node_by_db_id(id) {
            builder.set_entity_dates(node, DaySpan::between(span(row, 1), span(row, 2)));
        }
    }

    let edge_of = EdgeLookup::new(graph);
    let sql = format!(
        "SELECT r.id, {}, {} FROM relations r",
        short("relations", "r", "date_start"),
        short("relations", "r", "date_end")
    );
    let mut statement = connection.prepare(&sql).map_err(error("relations"))?;
    let mut rows = statement.query([]).map_err(error("relations"))?;
    while let Some(row) = rows.next().map_err(error("relations"))? {
        let Ok(id) = row.get::<_, i64>(0) else {
            continue;
        };
        if let Some(edge) = edge_of.get(graph, id) {
            builder.set_relation_dates(edge, DaySpan::between(span(row, 1), span(row, 2)));
        }
    }

    if schema.has_evidence {
        let sql = format!(
            "SELECT l.relation_id, {}, {}, {} FROM relation_excerpts l \
             JOIN excerpts x ON x.id = l.excerpt_id JOIN documents d ON d.id = x.document_id",
            short("excerpts", "x", "credibility"),
            short("documents", "d", "reliability"),
            short("documents", "d", "published"),
        );
        let mut statement = connection
            .prepare(&sql)
            .map_err(error("relation_excerpts"))?;
        let mut rows = statement.query([]).map_err(error("relation_excerpts"))?;
        while let Some(row) = rows.next().map_err(error("relation_excerpts"))? {
            let Ok(id) = row.get::<_, i64>(0) else {
                continue;
            };
            let Some(edge) = edge_of.get(graph, id) else {
                continue;
            };
            let text = |index| row.get::<_, Option<String>>(index).ok().flatten();
            builder.add_excerpt(
                edge,
                reliability_index(text(2).as_deref()),
                credibility_index(text(1).as_deref()),
                span(row, 3).unwrap_or(DaySpan::NONE),
            );
        }
    }
    Ok(builder.finish())
}

/// The edge of each relation id. Rowid tables are read in id order, so the
/// graph's ids are usually ascending and a binary search over them needs no
/// memory; otherwise a map (about 34 MB at a million relations, which
/// the window on a software rasteriser cannot spare at once with the rest).
enum EdgeLookup {
    Ascending,
    Map(FastMap<i64, EdgeIx>),
}

impl EdgeLookup {
    fn new(graph: &Graph) -> Self {
        let ascending = (1..graph.edge_count() as EdgeIx)
            .all(|edge| graph.edge_db_id(edge - 1) < graph.edge_db_id(edge));
        if ascending {
            Self::Ascending
        } else {
            Self::Map(
                (0..graph.edge_count() as EdgeIx)
                    .map(|edge| (graph.edge_db_id(edge), edge))
                    .collect(),
            )
        }
    }

    fn get(&self, graph: &Graph, id: i64) -> Option<EdgeIx> {
        match self {
            Self::Ascending => {
                let (mut low, mut high) = (0, graph.edge_count());
                while low < high {
                    let middle = low + (high - low) / 2;
                    if graph.edge_db_id(middle as EdgeIx) < id {
                        low = middle + 1;
                    } else {
                        high = middle;
                    }
                }
                (low < graph.edge_count() && graph.edge_db_id(low as EdgeIx) == id)
                    .then_some(low as EdgeIx)
            }
            Self::Map(map) => map.get(&id).copied(),
        }
    }
}

fn schema_lacks(schema: &Schema, table: &str, column: &str) -> bool {
    schema
        .missing_columns
        .iter()
        .any(|&(missing_table, missing_column)| missing_table == table && missing_column == column)
}
