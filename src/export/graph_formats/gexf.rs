//! GEXF 1.3 (the namespace of the specification and networkx) or
//! 1.2draft (for older readers): every attribute declared, edge ids always
//! written, and the view's positions, colours and sizes in `viz`.
//!
//! Entities and relations keep their database ids as GEXF ids; kind,
//! description, dates and label are attributes (dates as text: the
//! format's partial dates, `2021` or `2021-08`, are not GEXF dates).

use std::io::Write;

use super::xml::escape;
use super::{
    EvidenceNodes, GraphExportOptions, RelationEvidence, Rows, ViewLook, is_undirected,
    property_keys, value_text,
};

const NODE_COLUMNS: [&str; 4] = ["kind", "description", "date_start", "date_end"];
const EDGE_COLUMNS: [&str; 7] = [
    "kind",
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
    let (namespace, version) = if options.gexf_draft {
        ("http://www.gexf.net/1.2draft", "1.2")
    } else {
        ("http://gexf.net/1.3", "1.3")
    };
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="{namespace}" xmlns:viz="{namespace}/viz" version="{version}">"#
    )?;
    writeln!(
        out,
        "  <meta>\n    <creator>Linkscope {}</creator>\n  </meta>",
        env!("CARGO_PKG_VERSION")
    )?;
    let default_type = if rows.undirected == rows.relations.len() && !rows.relations.is_empty() {
        "undirected"
    } else {
        "directed"
    };
    writeln!(
        out,
        r#"  <graph defaultedgetype="{default_type}" mode="static">"#
    )?;

    let node_keys = property_keys(
        rows.entities.iter().map(|entity| &entity.properties),
        &NODE_COLUMNS,
    );
    let edge_keys = property_keys(
        rows.relations.iter().map(|relation| &relation.properties),
        &[EDGE_COLUMNS.as_slice(), &["directed"]].concat(),
    );
    declare(out, "node", &NODE_COLUMNS, &node_keys)?;
    declare(out, "edge", &EDGE_COLUMNS, &edge_keys)?;

    let evidence = EvidenceNodes::of(rows, options);
    writeln!(out, "    <nodes>")?;
    super::write_in_parallel(out, &rows.entities, |out, entity| {
        writeln!(
            out,
            r#"      <node id="{}" label="{}">"#,
            entity.id,
            escape(&entity.name)
        )?;
        writeln!(out, "        <attvalues>")?;
        let columns = [
            Some(entity.kind.as_str()),
            entity.description.as_deref(),
            entity.date_start.as_deref(),
            entity.date_end.as_deref(),
        ];
        for (column, value) in NODE_COLUMNS.iter().zip(columns) {
            if let Some(value) = value {
                writeln!(
                    out,
                    r#"          <attvalue for="{column}" value="{}"/>"#,
                    escape(value)
                )?;
            }
        }
        for (index, (key, _)) in node_keys.iter().enumerate() {
            if let Some(value) = entity.properties.get(key).filter(|value| !value.is_null()) {
                writeln!(
                    out,
                    r#"          <attvalue for="p{index}" value="{}"/>"#,
                    escape(&value_text(value))
                )?;
            }
        }
        writeln!(out, "        </attvalues>")?;
        if let Some(&[r, g, b]) = look.colours.get(&entity.id) {
            writeln!(out, r#"        <viz:color r="{r}" g="{g}" b="{b}"/>"#)?;
        }
        if let Some(&[x, y]) = look.positions.get(&entity.id) {
            // GEXF's y grows up; the screen's down.
            writeln!(out, r#"        <viz:position x="{x}" y="{}" z="0.0"/>"#, -y)?;
        }
        if let Some(size) = look.sizes.get(&entity.id) {
            writeln!(out, r#"        <viz:size value="{size}"/>"#)?;
        }
        writeln!(out, "      </node>")
    })?;
    for (id, label, kind) in &evidence.nodes {
        writeln!(
            out,
            r#"      <node id="{id}" label="{}"><attvalues><attvalue for="kind" value="{kind}"/></attvalues></node>"#,
            escape(label)
        )?;
    }
    writeln!(out, "    </nodes>")?;

    writeln!(out, "    <edges>")?;
    super::write_in_parallel(out, &rows.relations, |out, relation| {
        let direction = if is_undirected(relation) {
            "undirected"
        } else {
            "directed"
        };
        let kind_attribute = if options.gexf_draft {
            String::new()
        } else {
            format!(r#" kind="{}""#, escape(&relation.kind))
        };
        let label = relation
            .label
            .as_deref()
            .map(|label| format!(r#" label="{}""#, escape(label)))
            .unwrap_or_default();
        writeln!(
            out,
            r#"      <edge id="{}" source="{}" target="{}" type="{direction}"{kind_attribute}{label}>"#,
            relation.id, relation.subject, relation.object
        )?;
        writeln!(out, "        <attvalues>")?;
        let evidence = RelationEvidence::of(relation, rows);
        let [ids, documents, quotes] = evidence.columns();
        let values = [
            Some(relation.kind.as_str()),
            relation.date_start.as_deref(),
            relation.date_end.as_deref(),
            ids,
            documents,
            quotes,
            Some(evidence.supported),
        ];
        for (column, value) in EDGE_COLUMNS.iter().zip(values) {
            if let Some(value) = value {
                writeln!(
                    out,
                    r#"          <attvalue for="{column}" value="{}"/>"#,
                    escape(value)
                )?;
            }
        }
        for (index, (key, _)) in edge_keys.iter().enumerate() {
            if let Some(value) = relation
                .properties
                .get(key)
                .filter(|value| !value.is_null())
            {
                writeln!(
                    out,
                    r#"          <attvalue for="p{index}" value="{}"/>"#,
                    escape(&value_text(value))
                )?;
            }
        }
        writeln!(out, "        </attvalues>")?;
        writeln!(out, "      </edge>")
    })?;
    for (id, source, target, kind) in &evidence.edges {
        writeln!(
            out,
            r#"      <edge id="{id}" source="{source}" target="{target}" type="directed"><attvalues><attvalue for="kind" value="{kind}"/></attvalues></edge>"#
        )?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")
}

/// One `<attributes>` block: the fixed `columns` (text, but `supported`,
/// a boolean), then the properties as `p0`, `p1`, … with their types.
fn declare(
    out: &mut dyn Write,
    class: &str,
    columns: &[&str],
    keys: &[(String, super::ValueType)],
) -> std::io::Result<()> {
    writeln!(out, r#"    <attributes class="{class}">"#)?;
    for column in columns {
        let kind = if *column == "supported" {
            "boolean"
        } else {
            "string"
        };
        writeln!(
            out,
            r#"      <attribute id="{column}" title="{column}" type="{kind}"/>"#
        )?;
    }
    for (index, (key, kind)) in keys.iter().enumerate() {
        writeln!(
            out,
            r#"      <attribute id="p{index}" title="{}" type="{}"/>"#,
            escape(key),
            kind.xml_name()
        )?;
    }
    writeln!(out, "    </attributes>")
}
