//! The GEXF importer on small hand-written files.
use super::*;

fn imported(text: &str) -> GraphWriter {
    let mut writer = GraphWriter::in_memory().unwrap();
    let mut inputs = [ImportInput::from_bytes("t.gexf", text.as_bytes().to_vec())];
    import(&mut inputs, &mut writer, &ImportOptions::default()).unwrap();
    writer
}

fn one(writer: &GraphWriter, sql: &str) -> i64 {
    writer.query_one(sql).unwrap().unwrap_or(-1)
}

const HIERARCHY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">
  <graph defaultedgetype="directed">
<attributes class="node">
  <attribute id="c" title="Category" type="string"><default>organization</default></attribute>
  <attribute id="n" title="members" type="integer"/>
</attributes>
<nodes>
  <node id="org" label="Org" start="0000-00-00" end="99999-01-01">
    <attvalues><attvalue for="n" value="3"/><attvalue for="extra" value="x"/></attvalues>
    <nodes>
      <node id="p1" label="Person one"><attvalues><attvalue for="c" value="actor"/></attvalues></node>
      <node id="p2" label="Person two" pid="org"><attvalues><attvalue for="c" value="actor"/></attvalues></node>
    </nodes>
  </node>
  <node id="p1" label="Duplicate"/>
  <node id="" label="No id"/>
  <node id="lonely"/>
</nodes>
<edges>
  <edge source="p1" target="org" kind="member_of" label="member"/>
  <edge source="p1" target="org" kind="funds"/>
  <edge source="p1" target="p2" type="undirected" weight="2.5"/>
  <edge source="p2" target="p1" type="mutual"/>
  <edge source="p2" target="ghost"/>
</edges>
  </graph>
</gexf>"#;

#[test]
fn hierarchy_kinds_parallel_edges_and_bad_values_are_noted() {
    let writer = imported(HIERARCHY);
    let counts = writer.counts();
    assert_eq!(counts.entities, 4, "org, p1, p2, lonely");
    assert_eq!(counts.relations, 4, "the edge to ghost is skipped");
    // The declared default makes Org an organization; members typed.
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM entities WHERE name = 'Org' AND kind = 'organization' AND json_extract(properties, '$.members') = 3 AND date_start IS NULL AND date_end IS NULL"
        ),
        1
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM entities WHERE kind = 'actor' AND json_extract(properties, '$.parent') = 'org'"
        ),
        2
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM entities WHERE name = 'lonely' AND kind = 'organization'"
        ),
        1
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM entities WHERE json_extract(properties, '$.extra') = 'x'"
        ),
        1
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'member_of' AND label = 'member'"
        ),
        1
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'funds'"
        ),
        1
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM relations WHERE json_extract(properties, '$.directed') = 0"
        ),
        2
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM relations WHERE json_extract(properties, '$.weight') = 2.5"
        ),
        1
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM relations WHERE json_extract(properties, '$.edge_type') = 'mutual'"
        ),
        1
    );
    for wanted in [
        "flattened",
        "used twice",
        "without an id",
        "0000-00-00",
        "99999-01-01",
        "\"extra\"",
        "ghost",
    ] {
        assert_eq!(
            one(
                &writer,
                &format!(
                    "SELECT count(*) FROM app_import_notes WHERE instr(message, '{}') > 0",
                    wanted.replace('\'', "''")
                )
            ),
            1,
            "a note about {wanted}"
        );
    }
    // The flattening is said once.
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM app_import_notes WHERE instr(message, 'flattened') > 0"
        ),
        1
    );
}

#[test]
fn positions_are_saved_with_y_down() {
    let writer = imported(
        r#"<gexf xmlns="http://www.gexf.net/1.3" xmlns:viz="http://www.gexf.net/1.3/viz"><graph><nodes>
        <node id="a"><viz:position x="1.5" y="2" z="0"/><viz:color r="1" g="2" b="255" a="0.5"/><viz:size value="4"/></node>
        <node id="b"><viz:position x="NaN" y="2"/></node>
        <node id="c"><viz:position x="1e30" y="2"/></node>
        </nodes></graph></gexf>"#,
    );
    assert_eq!(one(&writer, "SELECT count(*) FROM app_positions"), 1);
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM app_positions WHERE x = 1.5 AND y = -2.0"
        ),
        1
    );
    assert_eq!(one(&writer, "SELECT count(*) FROM app_view"), 1);
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM entities WHERE json_extract(properties, '$.viz_color') = '#0102ff' AND json_extract(properties, '$.viz_size') = 4.0 AND json_extract(properties, '$.viz_alpha') = 0.5"
        ),
        1
    );
    // NaN was never a position; 1e30 is out of range and noted.
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM app_import_notes WHERE instr(message, 'out of range') > 0"
        ),
        1
    );
}

#[test]
fn dynamic_values_and_gexf_1_0_ids_are_read() {
    let writer = imported(
        r#"<gexf xmlns="http://www.gephi.org/gexf"><graph type="dynamic">
        <attributes class="node"><attribute id="0" title="score" type="float"/></attributes>
        <nodes><node id="a" label="A">
          <attvalues><attvalue id="0" value="1.5"/></attvalues>
        </node><node id="b" label="B">
          <attvalues><attvalue for="0" value="1" start="2001" end="2002"/><attvalue for="0" value="2" start="2002"/></attvalues>
          <spells><spell start="2001-02" end="2001-03"/><spell start="2004" end="2005-06-07"/></spells>
        </node></nodes></graph></gexf>"#,
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM entities WHERE json_extract(properties, '$.score') = 1.5"
        ),
        1
    );
    assert_eq!(
        one(
            &writer,
            "SELECT json_array_length(properties, '$.score') FROM entities WHERE name = 'B'"
        ),
        2
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM entities WHERE date_start = '2001-02' AND date_end = '2005-06-07'"
        ),
        1
    );
    assert_eq!(
        one(
            &writer,
            "SELECT count(*) FROM app_import_notes WHERE instr(message, '2 spells') > 0"
        ),
        1
    );
}

#[test]
fn not_gexf_and_broken_files_are_errors() {
    for text in [
        "<graphml/>",
        "",
        "<gexf><graph><nodes><node id=\"a\">",
        "<gexf><graph></nodes></gexf>",
    ] {
        let mut writer = GraphWriter::in_memory().unwrap();
        let mut inputs = [ImportInput::from_bytes(
            "bad.gexf",
            text.as_bytes().to_vec(),
        )];
        let error = import(&mut inputs, &mut writer, &ImportOptions::default()).unwrap_err();
        assert!(
            error.to_string().starts_with("bad.gexf:"),
            "{text}: {error}"
        );
    }
}
