//! Nodes and edges tables in Gephi's column names (`Id`, `Label`,
//! `Source`, `Target`, `Type`, `Kind`, `Start`, `End`), which Gephi's
//! spreadsheet import and Linkscope's CSV import both recognise; one column
//! per property after them. Cells are written as they are (no formula
//! guard: these tables are for graph tools, and a guard would change names).

use std::io::Write;

use super::{
    RelationEvidence, Rows, ValueType, ViewLook, is_undirected, property_keys, value_text,
};

const NODE_COLUMNS: [&str; 10] = [
    "Id",
    "Label",
    "Kind",
    "Description",
    "Start",
    "End",
    "x",
    "y",
    "color",
    "size",
];
const EDGE_COLUMNS: [&str; 12] = [
    "Source",
    "Target",
    "Type",
    "Id",
    "Label",
    "Kind",
    "Start",
    "End",
    "excerpt_ids",
    "excerpt_documents",
    "excerpt_quotes",
    "supported",
];

fn csv_error(error: csv::Error) -> std::io::Error {
    std::io::Error::other(error)
}

/// The property columns after the fixed `columns`: every key of `maps`,
/// but those that would take a fixed column's name (in any case).
fn property_columns<'a>(
    maps: impl Iterator<Item = &'a serde_json::Map<String, serde_json::Value>>,
    columns: &[&str],
) -> Vec<(String, ValueType)> {
    property_keys(maps, &[])
        .into_iter()
        .filter(|(key, _)| {
            !columns
                .iter()
                .any(|column| column.eq_ignore_ascii_case(key))
        })
        .collect()
}

/// One row's cells for the property columns `keys` (empty where it has none).
fn property_cells<'a>(
    properties: &'a serde_json::Map<String, serde_json::Value>,
    keys: &'a [(String, ValueType)],
) -> impl Iterator<Item = String> + 'a {
    keys.iter().map(|(key, _)| {
        properties
            .get(key)
            .filter(|value| !value.is_null())
            .map(value_text)
            .unwrap_or_default()
    })
}

pub(super) fn write_nodes(
    out: &mut dyn Write,
    rows: &Rows,
    look: &ViewLook,
) -> std::io::Result<()> {
    let keys = property_columns(
        rows.entities.iter().map(|entity| &entity.properties),
        &NODE_COLUMNS,
    );
    let mut writer = csv::Writer::from_writer(&mut *out);
    let header = NODE_COLUMNS
        .iter()
        .map(|column| (*column).to_owned())
        .chain(keys.iter().map(|(key, _)| key.clone()));
    writer.write_record(header).map_err(csv_error)?;
    writer.flush()?;
    drop(writer);
    super::write_pieces_in_parallel(out, &rows.entities, |bytes, piece| {
        let mut writer = csv::Writer::from_writer(bytes);
        for entity in piece {
            let position = look.positions.get(&entity.id);
            let mut record = vec![
                entity.id.to_string(),
                entity.name.clone(),
                entity.kind.clone(),
                entity.description.clone().unwrap_or_default(),
                entity.date_start.clone().unwrap_or_default(),
                entity.date_end.clone().unwrap_or_default(),
                position.map(|p| p[0].to_string()).unwrap_or_default(),
                // y up, as Gephi's coordinates.
                position.map(|p| (-p[1]).to_string()).unwrap_or_default(),
                look.colours
                    .get(&entity.id)
                    .map(|&colour| super::xml::hex(colour))
                    .unwrap_or_default(),
                look.sizes
                    .get(&entity.id)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ];
            record.extend(keys.iter().map(|(key, _)| {
                entity
                    .properties
                    .get(key)
                    .filter(|value| !value.is_null())
                    .map(value_text)
                    .unwrap_or_default()
            }));
            writer.write_record(&record).map_err(csv_error)?;
        }
        writer.flush()
    })
}

pub(super) fn write_edges(out: &mut dyn Write, rows: &Rows) -> std::io::Result<()> {
    let keys = property_columns(
        rows.relations.iter().map(|relation| &relation.properties),
        &[EDGE_COLUMNS.as_slice(), &["directed"]].concat(),
    );
    let mut writer = csv::Writer::from_writer(&mut *out);
    let header = EDGE_COLUMNS
        .iter()
        .map(|column| (*column).to_owned())
        .chain(keys.iter().map(|(key, _)| key.clone()));
    writer.write_record(header).map_err(csv_error)?;
    writer.flush()?;
    drop(writer);
    super::write_pieces_in_parallel(out, &rows.relations, |bytes, piece| {
        let mut writer = csv::Writer::from_writer(bytes);
        for relation in piece {
            let evidence = RelationEvidence::of(relation, rows);
            let mut record = vec![
                relation.subject.to_string(),
                relation.object.to_string(),
                if is_undirected(relation) {
                    "Undirected"
                } else {
                    "Directed"
                }
                .to_owned(),
                relation.id.to_string(),
                relation.label.clone().unwrap_or_default(),
                relation.kind.clone(),
                relation.date_start.clone().unwrap_or_default(),
                relation.date_end.clone().unwrap_or_default(),
                evidence.ids,
                evidence.documents,
                evidence.quotes,
                evidence.supported.to_owned(),
            ];
            record.extend(property_cells(&relation.properties, &keys));
            writer.write_record(&record).map_err(csv_error)?;
        }
        writer.flush()
    })
}
