use super::*;

fn inputs(files: &[(&str, &[u8])]) -> Vec<ImportInput> {
    files
        .iter()
        .map(|(name, bytes)| ImportInput::from_bytes(name, bytes.to_vec()))
        .collect()
}

fn imported(files: &[(&str, &[u8])], mapping: Option<&str>) -> GraphWriter {
    let mut writer = GraphWriter::in_memory().unwrap();
    let options = ImportOptions {
        csv_mapping: mapping.map(str::to_owned),
        ..ImportOptions::default()
    };
    import(&mut inputs(files), &mut writer, &options).unwrap();
    writer
}

fn one(writer: &GraphWriter, sql: &str) -> i64 {
    writer.query_one(sql).unwrap().unwrap_or(-1)
}

fn notes(writer: &GraphWriter) -> i64 {
    writer.counts().notes as i64
}

fn has(writer: &GraphWriter, sql_condition: &str, table: &str) -> bool {
    one(
        writer,
        &format!("SELECT count(*) FROM {table} WHERE {sql_condition}"),
    ) > 0
}

#[test]
fn gephi_nodes_and_edges() {
    let nodes: &[u8] = b"Id,Label,Kind,Start,Age\n1,Ann,person,2021,34\n2,Bob Ltd,Company,2021-08,\n3,Cy,,0000-00-00,x\n";
    let edges: &[u8] = b"Source,Target,Type,Kind,Label,Weight\n1,2,Directed,Works for,works at,2.5\n2,3,Undirected,,,1\n";
    let writer = imported(&[("nodes.csv", nodes), ("edges.csv", edges)], None);
    assert_eq!(one(&writer, "SELECT count(*) FROM entities"), 3);
    assert_eq!(one(&writer, "SELECT count(*) FROM relations"), 2);
    assert!(has(
        &writer,
        "name = 'Ann' AND kind = 'actor' AND date_start = '2021' AND json_extract(properties, '$.Age') = 34",
        "entities"
    ));
    assert!(has(
        &writer,
        "name = 'Bob Ltd' AND kind = 'organization' AND date_start = '2021-08'",
        "entities"
    ));
    assert!(has(
        &writer,
        "name = 'Cy' AND kind = 'other' AND date_start IS NULL AND json_extract(properties, '$.Age') = 'x'",
        "entities"
    ));
    assert!(has(
        &writer,
        "kind = 'works_for' AND label = 'works at' AND json_extract(properties, '$.Weight') = 2.5 AND properties NOT LIKE '%directed%'",
        "relations"
    ));
    assert!(has(
        &writer,
        "kind = 'linked_to' AND json_extract(properties, '$.directed') = 0",
        "relations"
    ));
    // The 0000-00-00 date.
    assert_eq!(notes(&writer), 1);
}

#[test]
fn the_files_can_come_in_any_order_and_edges_alone_make_their_entities() {
    let nodes: &[u8] = b"Id,Label\na,Ann\n";
    let edges: &[u8] = b"Source;Target\na;b\nb;c\n";
    let writer = imported(&[("edges.csv", edges), ("nodes.csv", nodes)], None);
    assert_eq!(one(&writer, "SELECT count(*) FROM entities"), 3);
    assert!(has(&writer, "id = 1 AND name = 'Ann'", "entities"));
    // b and c were not in the nodes file: created, and noted.
    assert_eq!(notes(&writer), 2);
    let writer = imported(&[("edges.csv", edges)], None);
    assert_eq!(one(&writer, "SELECT count(*) FROM entities"), 3);
    assert_eq!(one(&writer, "SELECT count(*) FROM relations"), 2);
    assert_eq!(notes(&writer), 0);
}

#[test]
fn neo4j_admin_import_headers() {
    let nodes: &[u8] = b"personId:ID(Person),name:string,born:int,zip:string,:LABEL\nkeanu,Keanu Reeves,1964,01234,Person;Actor\n";
    let movies: &[u8] = b"movieId:ID(Movie),title,:LABEL\nkeanu,The Matrix,Movie\n";
    let edges: &[u8] =
        b":START_ID(Person),roles:string[],:END_ID(Movie),:TYPE\nkeanu,Neo;Thomas,keanu,ACTED_IN\n";
    let writer = imported(
        &[
            ("people.csv", nodes),
            ("movies.csv", movies),
            ("roles.csv", edges),
        ],
        None,
    );
    // The same id in two id spaces: two entities.
    assert_eq!(one(&writer, "SELECT count(*) FROM entities"), 2);
    assert!(has(
        &writer,
        "name = 'Keanu Reeves' AND kind = 'actor' AND json_extract(properties, '$.born') = 1964 AND json_extract(properties, '$.zip') = '01234' AND json_extract(properties, '$.other_labels[0]') = 'Actor'",
        "entities"
    ));
    // No name column: the id names it; "title" is a property.
    assert!(has(
        &writer,
        "name = 'keanu' AND kind = 'movie' AND json_extract(properties, '$.title') = 'The Matrix'",
        "entities"
    ));
    assert!(has(
        &writer,
        "subject_id = 1 AND object_id = 2 AND kind = 'acted_in' AND json_extract(properties, '$.roles[1]') = 'Thomas'",
        "relations"
    ));
    assert_eq!(notes(&writer), 0);
}

#[test]
fn a_mapping_names_columns_and_excerpts_become_cited_evidence() {
    let mapping = r#"
missing_endpoints = "skip"
[nodes]
columns = { "Person ID" = "id", "Full name" = "name", "Role" = "kind", "Secret" = "ignore" }
[edges]
columns = { "From" = "source", "To" = "target", "Relation" = "relation_kind", "When" = "date", "Quote" = "excerpt", "Article" = "document_title", "Link" = "url" }
default_kind = "Knows"
"#;
    let nodes = "Person ID|Full name|Role|Secret\np1|Ann|Actor|x\np2|Bob|Organisation|y\n";
    let edges = "From|To|Relation|When|Quote|Article|Link\np1|p2|Met with|2021-08|They met.|Daily|http://a\np2|p1||2022|They met.|Daily|http://a\np1|p2||99999-01-01|Other quote|Daily|http://b\np1|p9|x||||\n";
    let writer = imported(
        &[("n.csv", nodes.as_bytes()), ("e.csv", edges.as_bytes())],
        Some(mapping),
    );
    assert_eq!(one(&writer, "SELECT count(*) FROM entities"), 2);
    assert!(has(
        &writer,
        "name = 'Bob' AND kind = 'organization' AND properties IS NULL",
        "entities"
    ));
    assert_eq!(one(&writer, "SELECT count(*) FROM relations"), 3);
    assert!(has(
        &writer,
        "kind = 'met_with' AND date_start = '2021-08' AND date_end = '2021-08'",
        "relations"
    ));
    assert!(has(
        &writer,
        "kind = 'knows' AND date_start = '2022'",
        "relations"
    ));
    // Same title and URL: one document; same quote in it: one excerpt.
    assert_eq!(one(&writer, "SELECT count(*) FROM documents"), 2);
    assert_eq!(one(&writer, "SELECT count(*) FROM excerpts"), 2);
    assert_eq!(one(&writer, "SELECT count(*) FROM relation_excerpts"), 3);
    assert!(has(
        &writer,
        "title = 'Daily' AND url = 'http://b'",
        "documents"
    ));
    // The absurd date, and the edge to p9 skipped.
    assert_eq!(notes(&writer), 2);
}

#[test]
fn encodings_and_delimiters_are_found() {
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Source\tTarget\nJos\u{e9}\tZo\u{eb}\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let writer = imported(&[("e.tsv", utf16.as_slice())], None);
    assert!(has(&writer, "name = 'José'", "entities"));
    let writer = imported(&[("e.csv", &b"\xEF\xBB\xBFSource;Target\na;b\n"[..])], None);
    assert_eq!(one(&writer, "SELECT count(*) FROM relations"), 1);
    let writer = imported(&[("e.csv", &b"Source,Target\nJos\xE9,b\n"[..])], None);
    assert!(has(&writer, "name = 'José'", "entities"));
    let mut preview_input =
        ImportInput::from_bytes("e.csv", b"Source|Target|W\n1|2|3\n4|5|6\n7|8|9\n".to_vec());
    let preview = preview(&mut preview_input, 2).unwrap();
    assert_eq!(preview.delimiter, '|');
    assert_eq!(preview.encoding, "UTF-8");
    assert_eq!(preview.side, Some(Side::Edges));
    assert_eq!(preview.rows, [["1", "2", "3"], ["4", "5", "6"]]);
    assert_eq!(preview.roles, [Role::Source, Role::Target, Role::Property]);
}

#[test]
fn invalid_utf8_past_the_head_is_replaced_and_noted() {
    let mut bytes = b"Source,Target\n".to_vec();
    // Past the 256 KiB the encoding is guessed from.
    for row in 0..30_000 {
        bytes.extend(format!("n{row},m{row}\n").as_bytes());
    }
    bytes.extend(b"bad\xFF,x\n");
    let writer = imported(&[("e.csv", bytes.as_slice())], None);
    assert_eq!(one(&writer, "SELECT count(*) FROM relations"), 30_001);
    assert!(has(&writer, "name = 'bad\u{fffd}'", "entities"));
    assert_eq!(notes(&writer), 1);
}

#[test]
fn colliding_and_empty_ids_are_noted_and_the_first_kept() {
    let nodes: &[u8] = b"Id,Label\n1,First\n1,Second\n,Nameless\n\"\",\n";
    let edges: &[u8] = b"Source,Target\n1,\n,\n1,1\n";
    let writer = imported(&[("n.csv", nodes), ("e.csv", edges)], None);
    // The nameless row is keyed by its name.
    assert_eq!(one(&writer, "SELECT count(*) FROM entities"), 2);
    assert!(has(&writer, "name = 'First'", "entities"));
    assert_eq!(one(&writer, "SELECT count(*) FROM relations"), 1);
    // The collision, the row without id or name, two edges without an end.
    assert_eq!(notes(&writer), 4);
}

#[test]
fn hostile_shapes_give_errors_or_notes_never_panics() {
    // Many columns.
    let mut header: Vec<String> = vec!["Source".into(), "Target".into()];
    header.extend((0..100_000).map(|column| format!("c{column}")));
    let mut bytes = header.join(",").into_bytes();
    bytes.extend(b"\na,b,1\n");
    let writer = imported(&[("wide.csv", bytes.as_slice())], None);
    assert!(has(
        &writer,
        "json_extract(properties, '$.c0') = 1",
        "relations"
    ));
    // More values than columns.
    let writer = imported(&[("e.csv", &b"Source,Target\na,b,c,d\n"[..])], None);
    assert_eq!(notes(&writer), 1);
    // Not a nodes or edges file.
    let mut writer = GraphWriter::in_memory().unwrap();
    let error = import(
        &mut inputs(&[("x.csv", &b"a,b\n1,2\n"[..])]),
        &mut writer,
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("--mapping"), "{error}");
    // A bad mapping.
    let error = import(
        &mut inputs(&[("x.csv", &b"a,b\n1,2\n"[..])]),
        &mut writer,
        &ImportOptions {
            csv_mapping: Some("[nodes]\ncolumns = 3".to_owned()),
            ..ImportOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::Options { .. }), "{error}");
    // Empty input.
    let error = import(
        &mut inputs(&[("x.csv", &b""[..])]),
        &mut writer,
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::Options { .. }), "{error}");
    // Binary noise.
    let noise: Vec<u8> = (0..10_000_u32).map(|i| (i * 7919 % 251) as u8).collect();
    let _ = import(
        &mut inputs(&[("x.csv", noise.as_slice())]),
        &mut writer,
        &ImportOptions::default(),
    );
}

#[test]
fn a_dry_run_counts_without_writing() {
    let nodes: &[u8] = b"Id,Label\n1,A\n1,B\n";
    let edges: &[u8] = b"Source,Target,Excerpt,Document\n1,2,q,D\n";
    let summary = dry_run(&mut inputs(&[("n.csv", nodes), ("e.csv", edges)]), None).unwrap();
    assert_eq!(
        (
            summary.entities,
            summary.relations,
            summary.documents,
            summary.excerpts,
            summary.notes
        ),
        (2, 1, 1, 1, 2)
    );
    assert_eq!(
        summary.problems[0],
        "n.csv:3: the id \"1\" was used on an earlier row; this row was skipped"
    );
    let previews = [
        preview(&mut ImportInput::from_bytes("n.csv", nodes.to_vec()), 5).unwrap(),
        preview(&mut ImportInput::from_bytes("e.csv", edges.to_vec()), 5).unwrap(),
    ];
    let mapping = guess_mapping(&previews);
    assert_eq!(
        mapping.edges.as_ref().unwrap().columns["Excerpt"],
        Role::Excerpt
    );
    let again = Mapping::from_toml(&mapping.to_toml().unwrap()).unwrap();
    let summary_again = dry_run(
        &mut inputs(&[("n.csv", nodes), ("e.csv", edges)]),
        Some(&again),
    )
    .unwrap();
    assert_eq!(summary_again, summary);
}
