//! STIX 2.1 import on small inputs written here.

use super::*;

fn run(name: &str, bytes: &[u8]) -> (GraphWriter, Result<(), ImportError>) {
    let mut writer = GraphWriter::in_memory().unwrap();
    let mut inputs = [ImportInput::from_bytes(name, bytes.to_vec())];
    let result = import(&mut inputs, &mut writer, &ImportOptions::default());
    (writer, result)
}

fn count(writer: &GraphWriter, sql: &str) -> i64 {
    writer.query_one(sql).unwrap().unwrap_or(-1)
}

const BUNDLE: &str = r#"{
  "type": "bundle",
  "id": "bundle--1",
  "objects": [
    {"type": "relationship", "id": "relationship--1", "spec_version": "2.1",
     "relationship_type": "attributed-to", "source_ref": "campaign--1", "target_ref": "threat-actor--1",
     "start_time": "2020-01-02T00:00:00Z", "confidence": 85,
     "external_references": [{"source_name": "Vendor", "url": "https://example.org/r", "external_id": "R-1", "description": "Vendor says so"}]},
    {"type": "campaign", "id": "campaign--1", "name": "Op X", "first_seen": "2019-05-01T00:00:00Z",
     "created_by_ref": "identity--1", "created": "2019-06-01T00:00:00Z"},
    {"type": "threat-actor", "id": "threat-actor--1", "name": "Crew", "confidence": 30},
    {"type": "identity", "id": "identity--1", "name": "Analyst", "identity_class": "individual"},
    {"type": "identity", "id": "identity--2", "name": "Victim Co", "identity_class": "organization"},
    {"type": "ipv4-addr", "id": "ipv4-addr--1", "value": "198.51.100.3"},
    {"type": "file", "id": "file--1", "hashes": {"SHA-256": "abc"}},
    {"type": "sighting", "id": "sighting--1", "sighting_of_ref": "ipv4-addr--1",
     "where_sighted_refs": ["identity--2", "identity--9"], "first_seen": "2021-03-04T00:00:00Z",
     "last_seen": "2021-03-05T00:00:00Z", "count": 3},
    {"type": "report", "id": "report--1", "name": "Report", "published": "2021-04-01T00:00:00Z",
     "object_refs": ["campaign--1", "relationship--1", "threat-actor--1"]},
    {"type": "marking-definition", "id": "marking-definition--1"},
    {"type": "relationship", "id": "relationship--2", "relationship_type": "uses",
     "source_ref": "campaign--1", "target_ref": "malware--404", "confidence": 150}
  ]
}"#;

#[test]
fn a_bundle_becomes_entities_relations_and_graded_evidence() {
    let (writer, result) = run("b.json", BUNDLE.as_bytes());
    result.unwrap();
    assert_eq!(count(&writer, "SELECT count(*) FROM entities"), 7);
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM entities WHERE kind = 'actor'"
        ),
        2
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM entities WHERE kind = 'organization' AND name = 'Victim Co'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM entities WHERE kind = 'event' AND date_start = '2019-05-01'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM entities WHERE kind = 'file' AND name = 'SHA-256 abc'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM entities WHERE name = 'Crew' AND json_extract(properties, '$.credibility') = '4'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'attributed-to' AND date_start = '2020-01-02'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'sighting' AND date_start = '2021-03-04' AND date_end = '2021-03-05' AND json_extract(properties, '$.count') = 3"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'created_by'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'refers_to'"
        ),
        2
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM documents WHERE title = 'Vendor R-1' AND url = 'https://example.org/r'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM excerpts WHERE text = 'Vendor says so' AND locator = 'R-1' AND credibility = '1'"
        ),
        1
    );
    assert_eq!(count(&writer, "SELECT count(*) FROM relation_excerpts"), 1);
    let note = |pattern: &str| {
        count(
            &writer,
            &format!("SELECT count(*) FROM app_import_notes WHERE message LIKE '{pattern}'"),
        )
    };
    assert_eq!(note("%identity--9 is not an object%"), 1);
    assert_eq!(note("%malware--404 is not an object%"), 1);
    assert_eq!(note("confidence 150 is not an integer%"), 1);
    assert_eq!(note("1 references to relationships%"), 1);
    assert_eq!(note("objects skipped: marking-definition (1)"), 1);
}

#[test]
fn confidence_follows_the_specification_table() {
    let grade = |value: Value| credibility(&value);
    assert_eq!(grade(Value::from(0)), Ok("5"));
    assert_eq!(grade(Value::from(19)), Ok("5"));
    assert_eq!(grade(Value::from(20)), Ok("4"));
    assert_eq!(grade(Value::from(39)), Ok("4"));
    assert_eq!(grade(Value::from(40)), Ok("3"));
    assert_eq!(grade(Value::from(59)), Ok("3"));
    assert_eq!(grade(Value::from(60)), Ok("2"));
    assert_eq!(grade(Value::from(79)), Ok("2"));
    assert_eq!(grade(Value::from(80)), Ok("1"));
    assert_eq!(grade(Value::from(100)), Ok("1"));
    assert!(grade(Value::from(101)).is_err());
    assert!(grade(Value::from(-1)).is_err());
    assert!(grade(Value::from(50.5)).is_err());
    assert!(grade(Value::from("high")).is_err());
}

#[test]
fn arrays_and_json_lines_are_read_too() {
    let array = r#"[{"type": "malware", "id": "malware--1", "name": "M"},
        {"type": "tool", "id": "tool--1", "name": "T"},
        {"type": "relationship", "id": "relationship--1", "relationship_type": "uses", "source_ref": "malware--1", "target_ref": "tool--1"}]"#;
    let (writer, result) = run("a.json", array.as_bytes());
    result.unwrap();
    assert_eq!(count(&writer, "SELECT count(*) FROM entities"), 2);
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'uses'"
        ),
        1
    );

    let lines = concat!(
        r#"{"type": "malware", "id": "malware--1", "name": "M"}"#,
        "\n",
        "this is not JSON\n",
        r#"{"type": "tool", "id": "tool--1", "name": "T"}"#,
        "\n",
        r#"{"type": "tool", "id": "tool--1", "name": "T again"}"#,
        "\n",
        r#"{"type": "tool", "id": "", "name": "no id"}"#,
        "\n",
        r#"{"type": "tool", "id": "tool--2", "name": "D", "first_seen": "0000-00-00", "last_seen": "99999-01-01"}"#,
        "\n",
        r#"{"type": "relationship", "id": "relationship--1", "relationship_type": "uses", "source_ref": "malware--1", "target_ref": "tool--1"}"#,
        "\n",
    );
    let (writer, result) = run("l.jsonl", lines.as_bytes());
    result.unwrap();
    assert_eq!(count(&writer, "SELECT count(*) FROM entities"), 3);
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM entities WHERE name = 'D' AND date_start IS NULL AND date_end IS NULL"
        ),
        1
    );
    assert_eq!(count(&writer, "SELECT count(*) FROM relations"), 1);
    let note = |line: i64, pattern: &str| {
        count(
            &writer,
            &format!(
                "SELECT count(*) FROM app_import_notes WHERE line = {line} AND message LIKE '{pattern}'"
            ),
        )
    };
    assert_eq!(note(2, "not a JSON object%"), 1);
    assert_eq!(note(4, "tool--1 again%"), 1);
    assert_eq!(note(5, "a tool without an id%"), 1);
    assert_eq!(note(6, "%0000-00-00%"), 1);
    assert_eq!(note(6, "%99999-01-01%"), 1);
}

#[test]
fn a_broken_bundle_is_an_error_with_its_line() {
    let broken = "{\n  \"type\": \"bundle\",\n  \"objects\": [\n    {\"type\": \"tool\", \"id\": \"tool--1\", \"name\": \"T\"},\n    {\"type\": oops}\n  ]\n}\n";
    let (_, result) = run("b.json", broken.as_bytes());
    match result {
        Err(ImportError::Malformed { line, message, .. }) => {
            assert_eq!(line, 5, "{message}");
        }
        other => panic!("{other:?}"),
    }
    let mut bad_utf8 = b"{\"type\": \"bundle\", \"objects\": [{\"type\": \"tool\", \"id\": \"tool--1\", \"name\": \"T".to_vec();
    bad_utf8.extend_from_slice(b"\xff\xfe\"}]}");
    let (_, result) = run("u.json", &bad_utf8);
    assert!(
        matches!(result, Err(ImportError::Malformed { line: 1, .. })),
        "{result:?}"
    );

    // Nested arrays where an object belongs are skipped without recursing.
    let deep = format!(
        "{{\"type\": \"bundle\", \"objects\": [{}{}]}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (writer, result) = run("d.json", deep.as_bytes());
    result.unwrap();
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM app_import_notes WHERE message LIKE 'an array where%'"
        ),
        1
    );
    // Nesting inside an object meets serde_json's recursion limit: an error.
    let deep = format!(
        "[{{\"type\": \"tool\", \"id\": \"tool--1\", \"x\": {}{}}}]",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (_, result) = run("d.json", deep.as_bytes());
    match result {
        Err(ImportError::Malformed { message, .. }) => {
            assert!(message.contains("recursion limit"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
