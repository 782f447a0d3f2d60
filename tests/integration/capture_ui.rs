//! Capturing evidence through the real window: the seed article (the text
//! the sample was built from) is added as a source, a passage the sample
//! has no relation for is selected and captured with the keyboard alone,
//! undone and redone, saved, and found again with its quote and provenance
//! after reopening; the status bar's counts rise and fall with it. What the file holds is read straight from SQLite and
//! checked against `sha256sum` and the article itself.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable as _};
use linkscope::app::LinkscopeApp;

use crate::ui::{app_harness, click_at, click_file_menu_item, sample_path, settled, step_until};

const ARTICLE: &str = "tests/fixtures/sources/article-utf8.txt";
/// The passage captured: where the attack happened, which the sample's
/// relations never say.
pub(crate) const PASSAGE: &str = "attack on the Crocus City Hall music venue in Moscow";

fn ctrl_shift() -> Modifiers {
    Modifiers::COMMAND | Modifiers::SHIFT
}

/// A copy of the sample and of the article in a folder of their own.
pub(crate) fn copies() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let graph = folder.path().join("case.sqlite");
    std::fs::copy(sample_path(), &graph).unwrap();
    let article = folder.path().join("ufuq-article.txt");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(ARTICLE),
        &article,
    )
    .unwrap();
    (folder, graph, article)
}

pub(crate) fn type_text(harness: &mut Harness<'_, LinkscopeApp>, text: &str) {
    harness.event(egui::Event::Text(text.to_owned()));
    harness.run_steps(2);
}

pub(crate) fn press(harness: &mut Harness<'_, LinkscopeApp>, key: Key) {
    harness.key_press(key);
    harness.run_steps(2);
}

/// File > Add Source..., the path typed and entered.
pub(crate) fn add_source(harness: &mut Harness<'_, LinkscopeApp>, path: &Path) {
    click_file_menu_item(harness, "Add Source");
    harness.run_steps(2);
    type_text(harness, &path.display().to_string());
    press(harness, Key::Enter);
    step_until(harness, "the source to be read", |app| {
        app.reader().is_some() && !app.is_capturing()
    });
}

/// Finds `text` with the reader's own search (typed, then Enter), which
/// selects it and gives the text the keys.
pub(crate) fn find_in_reader(harness: &mut Harness<'_, LinkscopeApp>, text: &str) {
    let field = harness.get(
        By::new()
            .role(egui::accesskit::Role::TextInput)
            .label("Find in text:"),
    );
    field.focus();
    harness.run_steps(1);
    // What the field held before is replaced.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    type_text(harness, text);
    press(harness, Key::Enter);
}

pub(crate) fn the_new_relation(app: &LinkscopeApp) -> Option<u32> {
    let graph = app.graph()?;
    (0..graph.edge_count() as u32).find(|&edge| graph.edge_kind_text(edge) == "took_place_in")
}

/// (documents, excerpts) in the file, counted by SQLite.
fn rows_in(graph: &Path) -> (usize, usize) {
    let connection = rusqlite::Connection::open(graph).unwrap();
    let count = |table: &str| -> usize {
        connection
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get::<_, i64>(0)
            })
            .unwrap() as usize
    };
    (count("documents"), count("excerpts"))
}

/// The status bar's counts follow the graph in memory and the captures,
/// not the file as it was read.
fn status_bar_says(
    harness: &mut Harness<'_, LinkscopeApp>,
    entities: usize,
    relations: usize,
    documents: usize,
    excerpts: usize,
) {
    harness.run_steps(2);
    harness.get_by_label_contains(&format!(
        "{entities} entities, {relations} relations, {documents} documents, {excerpts} excerpts"
    ));
}

#[test]
fn a_passage_is_captured_with_the_keyboard_undone_redone_saved_and_read_again() {
    let (_folder, graph_path, article) = copies();
    let original_sample = std::fs::read(&graph_path).unwrap();
    let mut harness = app_harness(graph_path.clone(), egui::vec2(1400.0, 900.0));
    step_until(&mut harness, "the copy to load and settle", settled);
    let (nodes, edges) = {
        let graph = harness.state().graph().unwrap();
        (graph.node_count(), graph.edge_count())
    };
    let (documents, excerpts) = rows_in(&graph_path);
    status_bar_says(&mut harness, nodes, edges, documents, excerpts);

    add_source(&mut harness, &article);
    status_bar_says(&mut harness, nodes, edges, documents + 1, excerpts);
    harness.get_by_label_contains("Select a passage to capture it");
    find_in_reader(&mut harness, PASSAGE);
    let text: String = std::fs::read_to_string(&article).unwrap();
    let start = text.find(PASSAGE).unwrap();
    let start_char = text[..start].chars().count();
    let end_char = start_char + PASSAGE.chars().count();
    assert_eq!(
        harness.state().reader().unwrap().selection(),
        Some((start_char, end_char))
    );
    // Shift+Left takes the last letter off, Shift+Right puts it back.
    assert!(
        harness.state().reader().unwrap().has_focus(),
        "Enter in the search gives the text the keys"
    );
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.run_steps(2);
    assert_eq!(
        harness.state().reader().unwrap().selection(),
        Some((start_char, end_char - 1))
    );
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.run_steps(2);

    // The form, with the keys only: From, Tab, kind, Tab, To, Tab, the new
    // entity's kind, Enter.
    harness.key_press_modifiers(ctrl_shift(), Key::E);
    harness.run_steps(3);
    assert!(harness.state().is_capture_form_open());
    type_text(&mut harness, "Crocus City");
    press(&mut harness, Key::Tab);
    type_text(&mut harness, "took_place_in");
    press(&mut harness, Key::Tab);
    type_text(&mut harness, "Moscow");
    harness.get_by_label_contains("New entity \"Moscow\"");
    press(&mut harness, Key::Tab);
    type_text(&mut harness, "place");
    harness.key_press_modifiers(Modifiers::NONE, Key::Enter);
    harness.run_steps(2);
    assert!(!harness.state().is_capture_form_open(), "Enter captured");
    step_until(&mut harness, "the graph to grow by the capture", |app| {
        the_new_relation(app).is_some() && !app.is_capturing()
    });
    {
        let app = harness.state();
        let graph = app.graph().unwrap();
        assert_eq!(graph.node_count(), nodes + 1, "Moscow is new");
        assert_eq!(graph.edge_count(), edges + 1);
        let edge = the_new_relation(app).unwrap();
        let (from, to) = graph.edge_endpoints(edge);
        assert_eq!(graph.node_name(from), "Crocus City Hall attack");
        assert_eq!(graph.node_name(to), "Moscow");
        assert_eq!(graph.node_kind_text(to), "place");
        assert_eq!(graph.edge_excerpt_count(edge), 1);
        assert!(app.has_unsaved_changes());
        assert_eq!(
            std::fs::read(&graph_path).unwrap(),
            original_sample,
            "nothing is written before Save"
        );
    }
    status_bar_says(
        &mut harness,
        nodes + 1,
        edges + 1,
        documents + 1,
        excerpts + 1,
    );
    // The new relation is selected, and its evidence panel shows the quote.
    step_until(&mut harness, "the evidence to be read", |app| {
        !app.is_reading_details()
    });
    harness.run_steps(3);
    harness.get_by_label_contains(PASSAGE);
    harness.get_by_label("Open in source");

    // Undo takes it all back; Redo restores it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    step_until(&mut harness, "the capture to be undone", |app| {
        the_new_relation(app).is_none() && !app.is_capturing()
    });
    assert_eq!(harness.state().graph().unwrap().node_count(), nodes);
    assert!(harness.state().captures().unwrap().captures.is_empty());
    status_bar_says(&mut harness, nodes, edges, documents + 1, excerpts);
    harness.key_press_modifiers(ctrl_shift(), Key::Z);
    step_until(&mut harness, "the capture to be redone", |app| {
        the_new_relation(app).is_some() && !app.is_capturing()
    });
    assert_eq!(harness.state().graph().unwrap().node_count(), nodes + 1);
    status_bar_says(
        &mut harness,
        nodes + 1,
        edges + 1,
        documents + 1,
        excerpts + 1,
    );

    // Escape cancels a second capture and leaves nothing behind.
    find_in_reader(&mut harness, "Sergei Shoigu");
    harness.key_press_modifiers(ctrl_shift(), Key::E);
    harness.run_steps(3);
    assert!(harness.state().is_capture_form_open());
    type_text(&mut harness, "Sergei");
    press(&mut harness, Key::Escape);
    assert!(!harness.state().is_capture_form_open());
    assert_eq!(harness.state().captures().unwrap().captures.len(), 1);
    assert_eq!(harness.state().graph().unwrap().edge_count(), edges + 1);
    assert_eq!(
        harness.state().undo_text(),
        Some("Capture \"attack on the Crocus Cit...\"")
    );

    // Save writes the rows, in the one transaction that saves the view.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(&mut harness, "the save to finish", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
    assert!(!harness.state().captures().unwrap().has_unsaved());
    check_the_saved_rows(&graph_path, &article, start_char, end_char);
    drop(harness);

    // Reopened: the edge, its quote and grades, and Open in source.
    let mut harness = app_harness(graph_path.clone(), egui::vec2(1400.0, 900.0));
    step_until(
        &mut harness,
        "the saved file and its view",
        crate::visibility::quiet,
    );
    harness.run_steps(3);
    let edge = the_new_relation(harness.state()).expect("the capture was saved");
    let target = harness.state_mut().edge_click_target(edge).unwrap();
    click_at(&mut harness, target);
    harness.get_by_label_contains(PASSAGE);
    harness.get_by_label_contains("ufuq-article.txt");
    harness.get_by_label("Open in source").click();
    harness.run_steps(2);
    step_until(&mut harness, "the source to open", |app| {
        app.reader().is_some() && !app.is_capturing()
    });
    harness.run_steps(2);
    assert_eq!(
        harness.state().reader().unwrap().selection(),
        Some((start_char, end_char)),
        "Open in source selects the passage"
    );
}

/// What the file holds after the save, read straight from SQLite.
fn check_the_saved_rows(graph: &Path, article: &Path, start_char: usize, end_char: usize) {
    let connection = rusqlite::Connection::open(graph).unwrap();
    let (document_id, quote, start, end, sha_text): (i64, String, i64, i64, String) = connection
        .query_row(
            "SELECT e.document_id, e.text, e.start_char, e.end_char, e.anchored_sha256
             FROM excerpts e JOIN relation_excerpts l ON l.excerpt_id = e.id
             JOIN relations r ON r.id = l.relation_id WHERE r.kind = 'took_place_in'",
            [],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(quote, PASSAGE);
    assert_eq!((start as usize, end as usize), (start_char, end_char));
    let (stored, sha_bytes, file_name): (String, String, String) = connection
        .query_row(
            "SELECT t.text, d.sha256_bytes, d.file_name FROM document_text t
             JOIN documents d ON d.id = t.document_id WHERE t.document_id = ?1",
            [document_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    let sliced: String = stored
        .chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect();
    assert_eq!(sliced, PASSAGE, "the offsets slice out the quote");
    assert_eq!(file_name, "ufuq-article.txt");
    let sha256sum = std::process::Command::new("sha256sum")
        .arg(article)
        .output()
        .unwrap();
    let expected = String::from_utf8(sha256sum.stdout).unwrap();
    assert_eq!(sha_bytes, expected.split_whitespace().next().unwrap());
    let stored_sha = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(stored.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let stored_sha = String::from_utf8(stored_sha.stdout).unwrap();
    assert_eq!(sha_text, stored_sha.split_whitespace().next().unwrap());
    let moscow: String = connection
        .query_row(
            "SELECT kind FROM entities WHERE name = 'Moscow'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(moscow, "place");
    let stance: String = connection
        .query_row(
            "SELECT l.stance FROM relation_excerpts l JOIN relations r ON r.id = l.relation_id WHERE r.kind = 'took_place_in'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(stance, "supports");
}

/// Opens a copy of the sample with `source` in the reader.
fn with_source(source: &str) -> (tempfile::TempDir, PathBuf, Harness<'static, LinkscopeApp>) {
    let folder = tempfile::tempdir().unwrap();
    let graph = folder.path().join("case.sqlite");
    std::fs::copy(sample_path(), &graph).unwrap();
    let copy = folder.path().join(source);
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sources")
            .join(source),
        &copy,
    )
    .unwrap();
    let mut harness = app_harness(graph.clone(), egui::vec2(1400.0, 900.0));
    // The harness has only egui's own fonts, which lack emoji and Arabic:
    // boxes stand in for them (a desktop's fonts draw them).
    harness
        .ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    step_until(&mut harness, "the copy to load and settle", settled);
    add_source(&mut harness, &copy);
    (folder, graph, harness)
}

/// Selects the sample's relation `id` by clicking it, then captures the
/// reader's selection as its excerpt (the form cites the selected edge).
fn capture_for_relation(harness: &mut Harness<'_, LinkscopeApp>, id: i64) {
    let edge = {
        let graph = harness.state().graph().unwrap();
        (0..graph.edge_count() as u32)
            .find(|&edge| graph.edge_db_id(edge) == id)
            .unwrap()
    };
    let target = harness.state_mut().edge_click_target(edge).unwrap();
    click_at(harness, target);
    harness.key_press_modifiers(ctrl_shift(), Key::E);
    harness.run_steps(3);
    harness.get_by_label_contains("Cites the selected relation");
    press(harness, Key::Enter);
    step_until(harness, "the capture", |app| {
        !app.is_capturing() && !app.is_capture_form_open()
    });
}

fn save(harness: &mut Harness<'_, LinkscopeApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(harness, "the save to finish", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
}

/// A passage on page 2 of a 6-page PDF (page 2 by `pdftotext -f 2 -l 2`)
/// stores page 2, and its locator says so; the stored pages partition the
/// text. The passage cites a relation that was there already.
#[test]
fn a_passage_on_page_two_of_a_pdf_stores_page_two() {
    let (_folder, graph, mut harness) = with_source("article.pdf");
    find_in_reader(&mut harness, "article by one Hamid Ahmedi titled");
    capture_for_relation(&mut harness, 23);
    save(&mut harness);
    let connection = rusqlite::Connection::open(&graph).unwrap();
    let (page, locator, document): (i64, String, i64) = connection
        .query_row(
            "SELECT e.page_no, e.locator, e.document_id FROM excerpts e
             JOIN relation_excerpts l ON l.excerpt_id = e.id
             WHERE l.relation_id = 23 AND e.page_no IS NOT NULL",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!((page, locator.as_str()), (2, "p. 2"));
    let mut pages = connection
        .prepare("SELECT page_no, char_start, char_end FROM document_pages WHERE document_id = ?1 ORDER BY page_no")
        .unwrap();
    let pages: Vec<(i64, i64, i64)> = pages
        .query_map([document], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let n_chars: i64 = connection
        .query_row(
            "SELECT n_chars FROM document_text WHERE document_id = ?1",
            [document],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(pages.len(), 6);
    assert_eq!(pages[0].1, 0);
    assert_eq!(pages.last().unwrap().2, n_chars);
    assert!(
        pages.windows(2).all(|pair| pair[0].2 == pair[1].1),
        "{pages:?}"
    );
}

/// A selection that starts inside a ZWJ family and ends between an `e` and
/// its combining accent is widened to whole clusters, in a CRLF file; the
/// stored offsets slice out exactly the stored quote, and an Arabic passage
/// too.
#[test]
fn unicode_selections_snap_to_whole_clusters_and_their_offsets_slice_the_quote() {
    let (_folder, graph, mut harness) = with_source("unicode-crlf.txt");
    // Chars 42..47 are the family (three people, two ZWJs); 60 is the e,
    // 61 its accent (the CRLFs read as single line breaks).
    harness.state_mut().reader_mut().unwrap().select(44, 61);
    harness.run_steps(2);
    assert_eq!(
        harness.state().reader().unwrap().selection(),
        Some((42, 62))
    );
    capture_for_relation(&mut harness, 3);
    find_in_reader(
        &mut harness,
        "\u{645}\u{631}\u{62d}\u{628}\u{627} \u{628}\u{627}\u{644}\u{639}\u{627}\u{644}\u{645}",
    );
    capture_for_relation(&mut harness, 4);
    save(&mut harness);
    let connection = rusqlite::Connection::open(&graph).unwrap();
    let mut rows = connection
        .prepare(
            "SELECT e.text, e.start_char, e.end_char, t.text FROM excerpts e
             JOIN document_text t ON t.document_id = e.document_id ORDER BY e.id",
        )
        .unwrap();
    let rows: Vec<(String, i64, i64, String)> = rows
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let quotes: Vec<&str> = rows.iter().map(|row| row.0.as_str()).collect();
    assert_eq!(
        quotes,
        [
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} arrived; cafe\u{301}",
            "\u{645}\u{631}\u{62d}\u{628}\u{627} \u{628}\u{627}\u{644}\u{639}\u{627}\u{644}\u{645}",
        ]
    );
    for (quote, start, end, text) in &rows {
        assert!(!text.contains('\r'), "line ends are read as \\n");
        let sliced: String = text
            .chars()
            .skip(*start as usize)
            .take((end - start) as usize)
            .collect();
        assert_eq!(&sliced, quote);
    }
}

/// A save that fails half-way (another program took the excerpt id the
/// capture was given) leaves the file as it was and the capture unsaved.
#[test]
fn a_save_that_fails_leaves_the_file_unchanged_and_the_capture_unsaved() {
    let (_folder, graph, mut harness) = with_source("article-utf8.txt");
    find_in_reader(&mut harness, "Sergei Shoigu recently said");
    capture_for_relation(&mut harness, 29);
    let taken = harness.state().captures().unwrap().captures[0].0.excerpt.id;
    rusqlite::Connection::open(&graph)
        .unwrap()
        .execute(
            "INSERT INTO excerpts (id, document_id, text) VALUES (?1, 1, 'written by another program')",
            [taken],
        )
        .unwrap();
    let before = std::fs::read(&graph).unwrap();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(&mut harness, "the save to fail", |app| {
        !app.is_saving()
            && app
                .messages()
                .any(|message| message.contains("could not save"))
    });
    assert_eq!(
        std::fs::read(&graph).unwrap(),
        before,
        "the file is as it was"
    );
    assert!(harness.state().has_unsaved_changes());
    assert!(harness.state().captures().unwrap().has_unsaved());
}

/// Excerpts captured in an older version of a document's text (the
/// fixture of `captured_cli`, whose states are worked out there by hand):
/// the evidence panel says which were relocated, which only match
/// approximately and which are orphaned, and a contradicting one says so;
/// Open in source selects where the relocated quote is now.
#[test]
fn the_evidence_panel_shows_where_each_captured_quote_stands_now() {
    let folder = tempfile::tempdir().unwrap();
    let (graph, expected) = crate::captured_cli::fixture(folder.path());
    rusqlite::Connection::open(&graph)
        .unwrap()
        .execute_batch(
            "INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (5, 104), (6, 105);",
        )
        .unwrap();
    let mut harness = app_harness(graph, egui::vec2(1400.0, 900.0));
    step_until(&mut harness, "the file to load and settle", settled);
    let open_relation = |harness: &mut Harness<'static, LinkscopeApp>, id: i64| {
        let edge = {
            let graph = harness.state().graph().unwrap();
            (0..graph.edge_count() as u32)
                .find(|&edge| graph.edge_db_id(edge) == id)
                .unwrap()
        };
        let target = harness.state_mut().edge_click_target(edge).unwrap();
        click_at(harness, target);
    };
    open_relation(&mut harness, 5);
    harness.get_by_label_contains("Fuzzy: only a close match");
    open_relation(&mut harness, 6);
    harness.get_by_label_contains("Orphaned: the quote is no longer");
    open_relation(&mut harness, 3);
    harness.get_by_label("Contradicts the relation");
    harness.get_by_label_contains("Relocated: the document's text changed");
    // Relation 3's own excerpts come first; the captured one is last.
    harness
        .get_all_by_label("Open in source")
        .last()
        .unwrap()
        .scroll_to_me();
    harness.run_steps(3);
    harness
        .get_all_by_label("Open in source")
        .last()
        .unwrap()
        .click();
    step_until(&mut harness, "the source to open", |app| {
        app.reader().is_some() && !app.is_capturing()
    });
    harness.run_steps(2);
    let relocated = expected
        .iter()
        .find(|(row, ..)| row.id == 103)
        .and_then(|(_, _, span)| *span);
    assert_eq!(harness.state().reader().unwrap().selection(), relocated);
}
