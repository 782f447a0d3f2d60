//! FollowTheMoney import on small inputs written here.

use super::*;

fn import_text(text: &str) -> GraphWriter {
    let mut writer = GraphWriter::in_memory().unwrap();
    let mut inputs = [ImportInput::from_bytes("e.ijson", text.as_bytes().to_vec())];
    import(&mut inputs, &mut writer, &ImportOptions::default()).unwrap();
    writer
}

fn count(writer: &GraphWriter, sql: &str) -> i64 {
    writer.query_one(sql).unwrap().unwrap_or(-1)
}

fn notes_like(writer: &GraphWriter, pattern: &str) -> i64 {
    if writer.counts().notes == 0 {
        return 0;
    }
    count(
        writer,
        &format!("SELECT count(*) FROM app_import_notes WHERE message LIKE '{pattern}'"),
    )
}

#[test]
fn fragments_of_one_id_are_merged_and_edges_become_relations() {
    let writer = import_text(concat!(
        r#"{"id": "p1", "schema": "Person", "properties": {"name": ["Ana"]}}"#,
        "\n",
        r#"{"id": "p1", "schema": "LegalEntity", "properties": {"birthDate": ["1970-02"], "name": ["Ana B."]}}"#,
        "\n",
        r#"{"id": "c1", "schema": "Company", "properties": {"name": ["Acme"], "country": ["de"]}}"#,
        "\n",
        r#"{"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["c1"], "percentage": ["51"], "startDate": ["2001-01-01"]}}"#,
        "\n",
        r#"{"id": "f1", "schema": "Family", "properties": {"person": ["p1"], "relative": ["p1"], "relationship": ["self"]}}"#,
        "\n",
    ));
    assert_eq!(count(&writer, "SELECT count(*) FROM entities"), 2);
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM entities WHERE kind = 'actor' AND name = 'Ana' AND date_start = '1970-02'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'ownership' AND label = 'owns (51)' AND date_start = '2001-01-01' AND subject_id = 1 AND object_id = 2"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'family' AND json_extract(properties, '$.directed') = 0"
        ),
        1
    );
    assert_eq!(writer.counts().notes, 0);
}

#[test]
fn references_documents_proof_and_mentions_become_evidence() {
    let writer = import_text(concat!(
        r#"{"id": "a", "schema": "Person", "properties": {"name": ["Ana"], "addressEntity": ["addr", "gone"]}}"#,
        "\n",
        r#"{"id": "addr", "schema": "Address", "properties": {"full": ["1 Main St"]}}"#,
        "\n",
        r#"{"id": "b", "schema": "Organization", "properties": {"name": ["Bank"]}}"#,
        "\n",
        r#"{"id": "d", "schema": "PlainText", "properties": {"title": ["Ledger"], "bodyText": ["Ana paid Bank."], "publishedAt": ["2020-05-06T10:00:00"], "language": ["en"], "sourceUrl": ["https://example.org/l"]}}"#,
        "\n",
        r#"{"id": "d2", "schema": "Pages", "properties": {"fileName": ["scan.pdf"]}}"#,
        "\n",
        r#"{"id": "pay", "schema": "Payment", "properties": {"payer": ["a"], "beneficiary": ["b"], "amount": ["10"], "date": ["2020-05-01"], "proof": ["d", "d2"]}}"#,
        "\n",
        r#"{"id": "m1", "schema": "Mention", "properties": {"document": ["d"], "resolved": ["a"], "name": ["Ana"]}}"#,
        "\n",
        r#"{"id": "m2", "schema": "Mention", "properties": {"document": ["d"], "resolved": ["b"], "name": ["Bank"]}}"#,
        "\n",
        r#"{"id": "m3", "schema": "Mention", "properties": {"document": ["d2"], "resolved": ["addr"], "name": ["1 Main"]}}"#,
        "\n",
    ));
    assert_eq!(count(&writer, "SELECT count(*) FROM entities"), 3);
    assert_eq!(count(&writer, "SELECT count(*) FROM documents"), 2);
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM documents WHERE title = 'Ledger' AND published = '2020-05-06' AND language = 'en' AND url = 'https://example.org/l'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'address_entity'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM relations WHERE kind = 'payment' AND label = 'paid (10)' AND date_start = '2020-05-01'"
        ),
        1
    );
    // Proof: the body text of d, a reference for d2; mentions: Ana and Bank.
    assert_eq!(count(&writer, "SELECT count(*) FROM excerpts"), 4);
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM excerpts WHERE text = 'Ana paid Bank.'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM relation_excerpts WHERE relation_id = (SELECT id FROM relations WHERE kind = 'payment')"
        ),
        4
    );
    assert_eq!(notes_like(&writer, "%gone is not an element%"), 1);
    assert_eq!(notes_like(&writer, "%proof d2 has no text%"), 1);
    assert_eq!(notes_like(&writer, "Mention m3:%"), 1);
}

#[test]
fn hostile_lines_are_noted_and_the_rest_imported() {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(
        b"{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\xff\"]}}\n",
    );
    bytes.extend_from_slice(b"not json at all\n");
    bytes.extend_from_slice(b"{\"id\": \"\", \"schema\": \"Person\", \"properties\": {}}\n");
    bytes.extend_from_slice(b"{\"id\": \"b\", \"schema\": \"Person\", \"properties\": {\"name\": [\"B\"], \"birthDate\": [\"0000-00-00\"], \"deathDate\": [\"99999-01-01\"]}}\n");
    bytes.extend_from_slice(b"{\"id\": \"b\", \"schema\": \"Vessel\", \"properties\": {}}\n");
    bytes.extend_from_slice(format!("{}1{}\n", "[".repeat(5000), "]".repeat(5000)).as_bytes());
    bytes.extend_from_slice(b"{\"id\": \"x\", \"schema\": \"Spaceship\", \"caption\": \"X\", \"properties\": {\"name\": \"X\"}}\n");
    bytes.extend_from_slice(b"[1, 2]\n\n");
    let mut writer = GraphWriter::in_memory().unwrap();
    let mut inputs = [ImportInput::from_bytes("bad.ijson", bytes)];
    import(&mut inputs, &mut writer, &ImportOptions::default()).unwrap();
    assert_eq!(count(&writer, "SELECT count(*) FROM entities"), 2);
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM entities WHERE kind = 'spaceship' AND name = 'X'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM entities WHERE name = 'B' AND date_start IS NULL AND date_end IS NULL"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM app_import_notes WHERE line = 1 AND message LIKE 'not a JSON element%'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM app_import_notes WHERE line = 2 AND message LIKE 'not a JSON element%'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM app_import_notes WHERE line = 3 AND message LIKE '%without an id%'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM app_import_notes WHERE line = 5 AND message LIKE '%a Vessel here and a Person before%'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM app_import_notes WHERE line = 6 AND message LIKE '%recursion limit%'"
        ),
        1
    );
    assert_eq!(
        count(
            &writer,
            "SELECT count(*) FROM app_import_notes WHERE line = 8 AND message LIKE 'not a JSON object%'"
        ),
        1
    );
    assert_eq!(notes_like(&writer, "%0000-00-00%"), 1);
    assert_eq!(notes_like(&writer, "%99999-01-01%"), 1);
    assert_eq!(
        notes_like(&writer, "top-level keys ignored: caption (1)"),
        1
    );
    assert_eq!(
        notes_like(
            &writer,
            "schemata not in the FollowTheMoney model%Spaceship (1)"
        ),
        1
    );
}
