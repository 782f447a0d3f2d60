//! GraphML: every column and property a typed `<key>`, edges directed
//! unless the relation says otherwise; with yEd's graphics block by
//! choice, so yEd shows the names, colours and positions.

use std::io::Write;

use super::xml::{escape, hex};
use super::{
    EvidenceNodes, GraphExportOptions, RelationEvidence, Rows, ViewLook, is_undirected,
    property_keys, value_text,
};

const NODE_COLUMNS: [&str; 5] = ["name", "kind", "description", "date_start", "date_end"];
const EDGE_COLUMNS: [&str; 8] = [
    "kind",
    "label",
    "date_start",
    "date_end",
    "excerpt_ids",
    "excerpt_documents",
    "excerpt_quotes",
    "supported",
];

pub(super) fn write(
    out: &mut dyn Write,
    rows: &Rows,
    options: GraphExportOptions,
    look: &ViewLook,
) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    let yed_namespace = if options.yed {
        r#" xmlns:y="http://www.yworks.com/xml/graphml""#
    } else {
        ""
    };
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns"{yed_namespace}>"#
    )?;
    let node_keys = property_keys(
        rows.entities.iter().map(|entity| &entity.properties),
        &NODE_COLUMNS,
    );
    let edge_keys = property_keys(
        rows.relations.iter().map(|relation| &relation.properties),
        &[EDGE_COLUMNS.as_slice(), &["directed"]].concat(),
    );
    for column in NODE_COLUMNS {
        writeln!(
            out,
            r#"  <key id="n_{column}" for="node" attr.name="{column}" attr.type="string"/>"#
        )?;
    }
    for (index, (key, kind)) in node_keys.iter().enumerate() {
        writeln!(
            out,
            r#"  <key id="np{index}" for="node" attr.name="{}" attr.type="{}"/>"#,
            escape(key),
            kind.xml_name()
        )?;
    }
    for column in EDGE_COLUMNS {
        let kind = if column == "supported" {
            "boolean"
        } else {
            "string"
        };
        writeln!(
            out,
            r#"  <key id="e_{column}" for="edge" attr.name="{column}" attr.type="{kind}"/>"#
        )?;
    }
    for (index, (key, kind)) in edge_keys.iter().enumerate() {
        writeln!(
            out,
            r#"  <key id="ep{index}" for="edge" attr.name="{}" attr.type="{}"/>"#,
            escape(key),
            kind.xml_name()
        )?;
    }
    if options.yed {
        writeln!(
            out,
            r#"  <key id="y_node" for="node" yfiles.type="nodegraphics"/>"#
        )?;
        writeln!(
            out,
            r#"  <key id="y_edge" for="edge" yfiles.type="edgegraphics"/>"#
        )?;
    }
    let default_type = if rows.undirected == rows.relations.len() && !rows.relations.is_empty() {
        "undirected"
    } else {
        "directed"
    };
    writeln!(out, r#"  <graph id="G" edgedefault="{default_type}">"#)?;
    let data = |out: &mut dyn Write, key: &str, value: &str| {
        writeln!(out, r#"      <data key="{key}">{}</data>"#, escape(value))
    };
    super::write_in_parallel(out, &rows.entities, |out, entity| {
        writeln!(out, r#"    <node id="{}">"#, entity.id)?;
        let columns = [
            Some(entity.name.as_str()),
            Some(entity.kind.as_str()),
            entity.description.as_deref(),
            entity.date_start.as_deref(),
            entity.date_end.as_deref(),
        ];
        for (column, value) in NODE_COLUMNS.iter().zip(columns) {
            if let Some(value) = value {
                data(out, &format!("n_{column}"), value)?;
            }
        }
        for (index, (key, _)) in node_keys.iter().enumerate() {
            if let Some(value) = entity.properties.get(key).filter(|value| !value.is_null()) {
                data(out, &format!("np{index}"), &value_text(value))?;
            }
        }
        if options.yed {
            write_yed_node(out, entity.id, &entity.name, look)?;
        }
        writeln!(out, "    </node>")
    })?;
    let evidence = EvidenceNodes::of(rows, options);
    for (id, label, kind) in &evidence.nodes {
        writeln!(out, r#"    <node id="{id}">"#)?;
        data(out, "n_name", label)?;
        data(out, "n_kind", kind)?;
        writeln!(out, "    </node>")?;
    }
    super::write_in_parallel(out, &rows.relations, |out, relation| {
        let directed = if is_undirected(relation) {
            "false"
        } else {
            "true"
        };
        writeln!(
            out,
            r#"    <edge id="{}" source="{}" target="{}" directed="{directed}">"#,
            relation.id, relation.subject, relation.object
        )?;
        let evidence = RelationEvidence::of(relation, rows);
        let [ids, documents, quotes] = evidence.columns();
        let values = [
            Some(relation.kind.as_str()),
            relation.label.as_deref(),
            relation.date_start.as_deref(),
            relation.date_end.as_deref(),
            ids,
            documents,
            quotes,
            Some(evidence.supported),
        ];
        for (column, value) in EDGE_COLUMNS.iter().zip(values) {
            if let Some(value) = value {
                data(out, &format!("e_{column}"), value)?;
            }
        }
        for (index, (key, _)) in edge_keys.iter().enumerate() {
            if let Some(value) = relation
                .properties
                .get(key)
                .filter(|value| !value.is_null())
            {
                data(out, &format!("ep{index}"), &value_text(value))?;
            }
        }
        if options.yed {
            let label = relation.label.as_deref().unwrap_or(&relation.kind);
            writeln!(
                out,
                r#"      <data key="y_edge"><y:PolyLineEdge><y:Arrows source="none" target="{}"/><y:EdgeLabel>{}</y:EdgeLabel></y:PolyLineEdge></data>"#,
                if directed == "true" {
                    "standard"
                } else {
                    "none"
                },
                escape(label)
            )?;
        }
        writeln!(out, "    </edge>")
    })?;
    for (id, source, target, kind) in &evidence.edges {
        writeln!(
            out,
            r#"    <edge id="{id}" source="{source}" target="{target}"><data key="e_kind">{kind}</data></edge>"#
        )?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}

/// yEd's shape node: the name as its label, the view's colour, position
/// and size (its geometry is the box's top-left corner and size).
fn write_yed_node(
    out: &mut dyn Write,
    id: i64,
    name: &str,
    look: &ViewLook,
) -> std::io::Result<()> {
    let size = look
        .sizes
        .get(&id)
        .map_or(30.0, |radius| (radius * 2.0).max(10.0));
    let [x, y] = look.positions.get(&id).copied().unwrap_or([0.0, 0.0]);
    let colour = look
        .colours
        .get(&id)
        .map_or_else(|| "#cccccc".to_owned(), |&colour| hex(colour));
    writeln!(
        out,
        r#"      <data key="y_node"><y:ShapeNode><y:Geometry x="{}" y="{}" width="{size}" height="{size}"/><y:Fill color="{colour}" transparent="false"/><y:NodeLabel>{}</y:NodeLabel><y:Shape type="ellipse"/></y:ShapeNode></data>"#,
        x - size / 2.0,
        y - size / 2.0,
        escape(name)
    )
}
