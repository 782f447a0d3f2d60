//! Evidence tables and citations: the CSV checked row by row against plain
//! SQL on the sample, Markdown against a hostile file, the command line
//! against the window's own export, and Copy as citation from the panel.

use std::path::{Path, PathBuf};
use std::process::Command;

use egui_kittest::kittest::{By, Queryable as _};

use crate::ui::{app_harness, sample_path, step_until};

fn linkscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkscope"))
}

/// `linkscope evidence FILE --format FORMAT` on standard output.
fn evidence_cli(file: &Path, format: &str) -> Vec<u8> {
    let output = linkscope()
        .arg("evidence")
        .arg(file)
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    output.stdout
}

fn read_only(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// A copy of the sample that the test may change.
fn writable_copy(folder: &Path) -> PathBuf {
    let path = folder.join("case.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    path
}

/// (relation id, excerpt id or None) for every relation and each excerpt it
/// cites that exists with its document, or once with None when it cites
/// none: what the table must hold, by plain SQL.
fn expected_pairs(path: &Path) -> Vec<(i64, Option<i64>)> {
    let connection = read_only(path);
    let mut statement = connection
        .prepare(
            "WITH cited AS (
                 SELECT DISTINCT l.relation_id AS relation, x.id AS excerpt
                 FROM relation_excerpts l
                 JOIN excerpts x ON x.id = l.excerpt_id
                 JOIN documents d ON d.id = x.document_id)
             SELECT r.id, c.excerpt FROM relations r LEFT JOIN cited c ON c.relation = r.id
             ORDER BY r.id, c.excerpt",
        )
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn csv_records(bytes: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader.headers().unwrap().clone();
    let records = reader.records().collect::<Result<Vec<_>, _>>().unwrap();
    (header, records)
}

#[test]
fn the_csv_has_one_row_per_relation_and_excerpt_and_one_per_unsupported_relation() {
    let folder = tempfile::tempdir().unwrap();
    let path = writable_copy(folder.path());
    // Excerpt 1 becomes longer than an excerpt's limit: its row must say it is cut.
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "UPDATE excerpts SET text = 'xy' || replace(hex(zeroblob(700000)), '00', '€') WHERE id = 1;",
        )
        .unwrap();
    drop(connection);

    let (header, records) = csv_records(&evidence_cli(&path, "csv"));
    let column = |name: &str| header.iter().position(|column| column == name).unwrap();
    let (relation, excerpt, text, note) = (
        column("relation_id"),
        column("excerpt_id"),
        column("excerpt_text"),
        column("note"),
    );
    let pairs: Vec<(i64, Option<i64>)> = records
        .iter()
        .map(|record| {
            (
                record[relation].parse().unwrap(),
                (!record[excerpt].is_empty()).then(|| record[excerpt].parse().unwrap()),
            )
        })
        .collect();
    let expected = expected_pairs(&path);
    assert_eq!(pairs, expected, "one row per (relation, excerpt) pair");
    assert!(expected.iter().any(|(_, excerpt)| excerpt.is_none()));
    assert!(expected.len() > 60, "{}", expected.len());

    let connection = read_only(&path);
    for record in &records {
        assert_eq!(record.len(), header.len());
        if record[excerpt].is_empty() {
            assert!(record[note].contains("unsupported"), "{record:?}");
            assert!(record[text].is_empty());
            continue;
        }
        let id: i64 = record[excerpt].parse().unwrap();
        let stored: String = connection
            .query_row("SELECT text FROM excerpts WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .unwrap();
        if id == 1 {
            let shown = record[text]
                .strip_suffix('…')
                .expect("a cut text ends in …");
            assert!(stored.starts_with(shown) && shown.len() < stored.len());
            assert!(record[note].contains("cut"), "{}", &record[note]);
        } else {
            assert_eq!(&record[text], stored, "excerpt {id} in full");
            assert!(!record[note].contains("cut"), "{}", &record[note]);
        }
    }
}

#[test]
fn markdown_escapes_a_pipe_and_line_breaks_in_a_hostile_excerpt() {
    let folder = tempfile::tempdir().unwrap();
    let path = writable_copy(folder.path());
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "UPDATE excerpts SET text = 'a | b' || char(10) || '| injected | row |' || char(10) || char(10) || '# heading' WHERE id = 1;
             UPDATE entities SET name = 'Dmitry | Zhirnov' WHERE name = 'Dmitry Zhirnov';",
        )
        .unwrap();
    drop(connection);
    let text = String::from_utf8(evidence_cli(&path, "md")).unwrap();
    let unescaped_pipes = |line: &str| {
        let mut count = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => count += 1,
                _ => escaped = false,
            }
        }
        count
    };
    let table: Vec<&str> = text
        .lines()
        .take_while(|line| line.starts_with('|'))
        .collect();
    assert_eq!(table.len(), 2 + expected_relations(&path), "{text}");
    for line in &table {
        assert_eq!(unescaped_pipes(line), 7, "six cells in {line}");
    }
    assert!(table.iter().any(|line| line.contains("Dmitry \\| Zhirnov")));
    assert!(
        !text
            .lines()
            .any(|line| line.starts_with("| injected") || line.starts_with('#'))
    );
    let footnote = text
        .lines()
        .find(|line| line.starts_with("[^e1]: "))
        .expect("excerpt 1's footnote");
    assert!(
        footnote.starts_with("[^e1]: “a \\| b<br>\\| injected \\| row \\|<br><br>\\# heading”"),
        "{footnote}"
    );
}

fn expected_relations(path: &Path) -> usize {
    read_only(path)
        .query_row("SELECT count(*) FROM relations", [], |row| {
            row.get::<_, i64>(0)
        })
        .unwrap() as usize
}

/// A menu entry by its text.
fn menu_item(text: &'static str) -> By<'static> {
    By::new()
        .role(egui::accesskit::Role::Button)
        .predicate(move |node| node.label().unwrap_or_default() == text)
}

/// File ▸ Export Evidence Table… through the path field writes the file,
/// byte for byte what `linkscope evidence` prints; Markdown likewise.
#[test]
fn the_window_exports_the_evidence_table_as_the_command_line_does() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the sample to load", |app| {
        app.graph().is_some()
    });
    for (name, format) in [("table.csv", "csv"), ("table.md", "md")] {
        let target = folder.path().join(name);
        harness.get_by_label("File").click();
        harness.run_steps(2);
        harness.get(menu_item("Export Evidence Table…")).click();
        step_until(&mut harness, "the path field", |app| {
            app.is_asking_for_path()
        });
        let field = harness.get_by_role(egui::accesskit::Role::TextInput);
        field.focus();
        field.type_text(&target.display().to_string());
        harness.run_steps(2);
        harness.get_by_label("Export").click();
        step_until(&mut harness, "the export to finish", |app| {
            !app.is_asking_for_path() && !app.is_exporting_evidence()
        });
        let written = std::fs::read(&target).expect("the window wrote the table");
        let printed = evidence_cli(&sample_path(), format);
        let first_difference = written.iter().zip(&printed).position(|(a, b)| a != b);
        assert!(
            written == printed,
            "{name}: the window wrote {} bytes, the command line {}; first difference at byte {first_difference:?}",
            written.len(),
            printed.len()
        );
        assert!(
            harness
                .state()
                .messages()
                .any(|text| text.contains("wrote the evidence table")),
            "the window says it is written"
        );
    }
    let (_, records) = csv_records(&std::fs::read(folder.path().join("table.csv")).unwrap());
    assert_eq!(records.len(), expected_pairs(&sample_path()).len());
    let entries: Vec<_> = std::fs::read_dir(folder.path()).unwrap().collect();
    assert_eq!(entries.len(), 2, "no partial file is left behind");
}

/// The citation the test expects, built from the file's own values.
fn expected_citation(excerpt: i64) -> String {
    let connection = read_only(&sample_path());
    connection
        .query_row(
            "SELECT x.text, x.locator, x.credibility, d.title, d.author, d.publisher, d.published, d.url, d.reliability
             FROM excerpts x JOIN documents d ON d.id = x.document_id WHERE x.id = ?1",
            [excerpt],
            |row| {
                let get = |index| row.get::<_, Option<String>>(index).map(|value| value.filter(|value| !value.trim().is_empty()));
                let (text, locator, credibility) = (get(0)?.unwrap(), get(1)?, get(2)?);
                let (title, author, publisher, published, url, reliability) =
                    (get(3)?, get(4)?, get(5)?, get(6)?, get(7)?, get(8)?);
                let reference: Vec<String> = [author, title.map(|title| format!("“{title}”")), publisher, published, locator]
                    .into_iter()
                    .flatten()
                    .collect();
                let grades: Vec<String> = [
                    reliability.map(|grade| format!("reliability {grade}")),
                    credibility.map(|grade| format!("credibility {grade}")),
                ]
                .into_iter()
                .flatten()
                .collect();
                let mut tail = Vec::new();
                if !reference.is_empty() {
                    tail.push(format!("{}.", reference.join(", ")));
                }
                tail.extend(url);
                if !grades.is_empty() {
                    tail.push(format!("({})", grades.join(", ")));
                }
                Ok(format!("“{text}” — {}", tail.join(" ")))
            },
        )
        .unwrap()
}

/// Clicking the meeting edge, then Copy as citation on each excerpt, puts
/// that excerpt's citation on the clipboard.
#[test]
fn copy_as_citation_puts_the_excerpt_and_its_reference_on_the_clipboard() {
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 900.0));
    step_until(
        &mut harness,
        "the sample to load and settle",
        crate::ui::settled,
    );
    let edge = crate::ui::meeting_edge(harness.state());
    let position = harness.state_mut().edge_click_target(edge).unwrap();
    crate::ui::click_at(&mut harness, position);
    let excerpts: Vec<i64> = {
        let connection = read_only(&sample_path());
        let mut statement = connection
            .prepare("SELECT DISTINCT excerpt_id FROM relation_excerpts WHERE relation_id = 3 ORDER BY excerpt_id")
            .unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert!(excerpts.len() >= 2);
    let buttons = harness.query_all_by_label("Copy as citation").count();
    assert_eq!(buttons, excerpts.len(), "one button per excerpt");
    for (index, excerpt) in excerpts.iter().enumerate() {
        // As a user would: scroll the panel to the button, then click it.
        harness
            .query_all_by_label("Copy as citation")
            .nth(index)
            .unwrap()
            .scroll_to_me();
        harness.run_steps(3);
        let button = harness
            .query_all_by_label("Copy as citation")
            .nth(index)
            .unwrap();
        assert!(
            harness.ctx.content_rect().contains_rect(button.rect()),
            "the button is on screen"
        );
        button.click();
        let mut copied = Vec::new();
        for _ in 0..3 {
            harness.step();
            copied.extend(
                harness.output().platform_output.commands.iter().filter_map(
                    |command| match command {
                        egui::OutputCommand::CopyText(text) => Some(text.clone()),
                        _ => None,
                    },
                ),
            );
        }
        assert_eq!(
            copied,
            vec![expected_citation(*excerpt)],
            "excerpt {excerpt}"
        );
        // The click says it worked, once however many times it is clicked.
        assert_eq!(
            harness
                .state()
                .messages()
                .filter(|message| message.starts_with("Copied"))
                .count(),
            1,
            "{:?}",
            harness.state().messages().collect::<Vec<_>>()
        );
        assert!(harness.query_by_label("Copied to the clipboard").is_some());
    }
}

/// With an entity selected, the export asks which relations; "the relations
/// of" it writes exactly that entity's relations.
#[test]
fn with_an_entity_selected_the_export_offers_its_relations() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("haqqani.md");
    let mut harness = app_harness(sample_path(), egui::vec2(1000.0, 700.0));
    step_until(
        &mut harness,
        "the sample to load and settle",
        crate::ui::settled,
    );
    let graph = harness.state().graph().unwrap();
    let node = (0..graph.node_count() as u32)
        .find(|&node| graph.node_name(node) == "Sirajuddin Haqqani")
        .unwrap();
    let mut expected: Vec<i64> = graph
        .incident_edges(node)
        .into_iter()
        .map(|edge| graph.edge_db_id(edge))
        .collect();
    expected.sort_unstable();
    let position = harness.state().node_on_screen(node).unwrap();
    crate::ui::click_at(&mut harness, position);
    assert_eq!(
        harness.state().selection(),
        Some(linkscope::view::hit::Hit::Node(node))
    );
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get(menu_item("Export Evidence Table…")).click();
    // A new window takes a frame to size itself before it is shown.
    harness.run_steps(4);
    harness
        .get_by_label_contains("The relations of Sirajuddin Haqqani")
        .click();
    step_until(&mut harness, "the path field", |app| {
        app.is_asking_for_path()
    });
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(&target.display().to_string());
    harness.run_steps(2);
    harness.get_by_label("Export").click();
    step_until(&mut harness, "the export to finish", |app| {
        !app.is_asking_for_path() && !app.is_exporting_evidence()
    });
    let text = std::fs::read_to_string(&target).unwrap();
    let written: Vec<i64> = text
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| line.split('|').nth(1).unwrap().trim().parse().unwrap())
        .collect();
    assert_eq!(written, expected);
}
