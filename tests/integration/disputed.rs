//! Relations whose excerpts contradict them, end to end: the load counts a
//! contradicting excerpt against its relation (no support from it), the
//! picture draws a disputed relation in its own colour, the Trace panel and
//! `linkscope path` say "Contradicts". The fixture is written here with
//! plain SQL; the supports and colours expected are worked by hand from the
//! grade weights in docs/guide.md and the theme's colours.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use egui_kittest::kittest::Queryable as _;
use linkscope::store::{LoadProgress, LoadedGraph, SavedPosition, ViewState, load_graph};

use crate::ui::{app_harness, click_at, settled, step_until};

fn linkscope() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linkscope"));
    command.env("RUST_LOG", "error");
    command
}

/// Relation 1 (Alpha met with Bravo) cites one excerpt, which contradicts
/// it: disputed. Relation 2 (Bravo is a member of Charlie) cites one that
/// supports it (document B, credibility 2) and one that contradicts it
/// (document A, credibility 1). Relation 3 (Delta funds Echo) cites none:
/// unsupported. Relation 4 (Charlie paid Delta) cites one whose stance is
/// no stance at all ('maybe').
fn fixture(folder: &Path) -> PathBuf {
    let path = folder.join("disputed.sqlite");
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
                 description TEXT, date_start TEXT, date_end TEXT, properties TEXT);
             CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL,
                 object_id INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT, date_start TEXT,
                 date_end TEXT, properties TEXT);
             CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT,
                 publisher TEXT, url TEXT, published TEXT, language TEXT, reliability TEXT);
             CREATE TABLE excerpts (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL,
                 text TEXT NOT NULL, locator TEXT, credibility TEXT);
             CREATE TABLE relation_excerpts (relation_id INTEGER NOT NULL,
                 excerpt_id INTEGER NOT NULL, stance TEXT,
                 PRIMARY KEY (relation_id, excerpt_id));
             INSERT INTO entities (id, kind, name) VALUES
                 (1, 'actor', 'Alpha'), (2, 'actor', 'Bravo'), (3, 'organization', 'Charlie'),
                 (4, 'actor', 'Delta'), (5, 'actor', 'Echo');
             INSERT INTO relations (id, subject_id, object_id, kind, label) VALUES
                 (1, 1, 2, 'met_with', 'met with'),
                 (2, 2, 3, 'member_of', 'is a member of'),
                 (3, 4, 5, 'funds', 'funds'),
                 (4, 3, 4, 'paid', 'paid');
             INSERT INTO documents (id, title, reliability) VALUES
                 (1, 'Report B', 'B'), (2, 'Report A', 'A'), (3, 'Report C', 'C');
             INSERT INTO excerpts (id, document_id, text, credibility) VALUES
                 (11, 2, 'Alpha never met Bravo.', '1'),
                 (12, 1, 'Bravo joined Charlie in 2019.', '2'),
                 (13, 2, 'Bravo was never a member of Charlie.', '1'),
                 (14, 3, 'Charlie paid Delta.', '3');
             INSERT INTO relation_excerpts (relation_id, excerpt_id, stance) VALUES
                 (1, 11, 'contradicts'), (2, 12, 'supports'), (2, 13, 'contradicts'),
                 (4, 14, 'maybe');",
        )
        .unwrap();
    path
}

fn load(path: &Path) -> LoadedGraph {
    load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap()
}

/// (excerpts, contradicting, support, disputed, supported) of relation `id`.
fn relation(loaded: &LoadedGraph, id: i64) -> (u32, u32, f32, bool, bool) {
    let graph = &loaded.graph;
    let edge = graph.edge_by_db_id(id).unwrap();
    (
        graph.edge_excerpt_count(edge),
        graph.edge_contradicting_count(edge),
        graph.edge_support(edge),
        graph.edge_is_disputed(edge),
        graph.edge_is_supported(edge),
    )
}

#[test]
fn a_contradicting_excerpt_counts_against_its_relation_and_adds_no_support() {
    let folder = tempfile::tempdir().unwrap();
    let path = fixture(folder.path());
    let loaded = load(&path);
    // Only relation 1 is disputed.
    assert_eq!(relation(&loaded, 1), (1, 1, 0.0, true, true));
    // Relation 2: the supporting excerpt alone, B (0.75) × 2 (0.75) =
    // 0.5625, so 1 − (1 − 0.5625) = 0.5625; the contradicting A × 1 (0.81)
    // adds nothing.
    let (excerpts, against, support, disputed, _) = relation(&loaded, 2);
    assert_eq!((excerpts, against, disputed), (2, 1, false));
    assert!((support - 0.5625).abs() < 1e-6, "{support}");
    assert_eq!(relation(&loaded, 3), (0, 0, 0.0, false, false));
    // 'maybe' supports, with a note; the link is kept: C (0.5) × 3 (0.5).
    let (excerpts, against, support, disputed, _) = relation(&loaded, 4);
    assert_eq!((excerpts, against, disputed), (1, 0, false));
    assert!((support - 0.25).abs() < 1e-6, "{support}");
    let report = &loaded.report;
    assert_eq!(report.disputed_relations, 1);
    assert_eq!(report.unsupported_relations, 1);
    assert_eq!((report.rows_skipped, report.values_ignored), (0, 1));
    assert_eq!(report.relation_excerpt_links, 4);
    let reason = &report.problems[0].reason;
    assert!(
        reason.contains("link (4, 14)") && reason.contains("\"maybe\""),
        "{reason}"
    );
    // `linkscope check` says it.
    let output = linkscope().arg("check").arg(&path).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "relations: 4 (1 unsupported: cite no excerpt; 1 disputed: every excerpt cited contradicts)"
        ),
        "{text}"
    );

    // The same file without the column: every excerpt supports, nothing
    // is disputed and no note speaks of the column. Relation 2 is then
    // 1 − (1 − 0.5625)(1 − 0.81) = 0.916875.
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch("ALTER TABLE relation_excerpts DROP COLUMN stance;")
        .unwrap();
    drop(connection);
    let plain = load(&path);
    assert!(!plain.graph.has_contradicting());
    assert!(!relation(&plain, 1).3);
    let support = relation(&plain, 2).2;
    assert!((support - 0.916_875).abs() < 1e-5, "{support}");
    assert_eq!(plain.report.disputed_relations, 0);
    assert_eq!(plain.report.values_ignored, 0);
    assert!(plain.report.notes.is_empty(), "{:?}", plain.report.notes);
    let output = linkscope().arg("check").arg(&path).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("relations: 4 (1 unsupported: cite no excerpt)\n"),
        "{text}"
    );
}

/// World positions: the disputed relation (Alpha → Bravo) runs along y = 0,
/// the unsupported one (Delta → Echo) along y = 60, both from x = 0 to 100.
const POSITIONS: [(i64, [f32; 2]); 5] = [
    (1, [0.0, 0.0]),
    (2, [100.0, 0.0]),
    (3, [200.0, -60.0]),
    (4, [0.0, 60.0]),
    (5, [100.0, 60.0]),
];

/// Renders `path` as a PNG 800 × 500 points at 2× in `theme` and returns
/// the picture and the camera it was drawn with (read from its provenance).
fn render(path: &Path, out: &Path, theme: &str) -> (image::RgbaImage, [f32; 2], f32) {
    let output = linkscope()
        .arg("render")
        .arg(path)
        .arg("--out")
        .arg(out)
        .args(["--width", "800", "--height", "500", "--scale", "2"])
        .args(["--theme", theme])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(out).unwrap()));
    let reader = decoder.read_info().unwrap();
    let view = reader
        .info()
        .utf8_text
        .iter()
        .find(|chunk| chunk.keyword == "linkscope:view")
        .map(|chunk| chunk.get_text().unwrap())
        .unwrap();
    let view: serde_json::Value = serde_json::from_str(&view).unwrap();
    let camera = &view["camera"];
    let center = [
        camera["center"][0].as_f64().unwrap() as f32,
        camera["center"][1].as_f64().unwrap() as f32,
    ];
    let zoom = camera["zoom"].as_f64().unwrap() as f32;
    (image::open(out).unwrap().to_rgba8(), center, zoom)
}

/// The pixels along the line through world `(x, y)` for `x` in `xs`.
fn pixels_at(
    (image, center, zoom): &(image::RgbaImage, [f32; 2], f32),
    xs: impl Iterator<Item = f32>,
    y: f32,
) -> Vec<[u8; 3]> {
    xs.map(|x| {
        // Points from the picture's centre, times 2 pixels per point.
        let px = (400.0 + (x - center[0]) * zoom) * 2.0;
        let py = (250.0 + (y - center[1]) * zoom) * 2.0;
        let pixel = image.get_pixel(px as u32, py as u32).0;
        [pixel[0], pixel[1], pixel[2]]
    })
    .collect()
}

fn near(pixel: [u8; 3], expected: [u8; 3], tolerance: u8) -> bool {
    pixel
        .iter()
        .zip(expected)
        .all(|(&a, b)| a.abs_diff(b) <= tolerance)
}

#[test]
fn a_disputed_relation_is_drawn_in_its_own_colour_in_both_themes_and_the_overlay() {
    let folder = tempfile::tempdir().unwrap();
    let path = fixture(folder.path());
    let save = |overlay: bool| {
        linkscope::store::save_view(
            &path,
            &ViewState {
                positions: POSITIONS
                    .iter()
                    .map(|&(entity_id, world)| SavedPosition {
                        entity_id,
                        world,
                        pinned: true,
                    })
                    .collect(),
                evidence_overlay: overlay,
                ..ViewState::default()
            },
        )
        .unwrap();
    };
    save(false);
    // Each colour over the background by hand: premultiplied RGBA c over
    // background b is c + b·(1 − a/255).
    // Dark: disputed (150, 60, 135, 170) and unsupported (136, 120, 88, 150)
    // over (24, 26, 32).
    let dark = render(&path, &folder.path().join("dark.png"), "dark");
    let disputed = pixels_at(&dark, std::iter::once(50.0), 0.0)[0];
    let unsupported = pixels_at(&dark, std::iter::once(50.0), 60.0)[0];
    assert!(near(disputed, [158, 69, 146], 12), "{disputed:?}");
    assert!(near(unsupported, [146, 131, 101], 12), "{unsupported:?}");
    // Light: disputed (130, 30, 110, 170) and unsupported (112, 92, 58,
    // 150) over white.
    let light = render(&path, &folder.path().join("light.png"), "light");
    let disputed = pixels_at(&light, std::iter::once(50.0), 0.0)[0];
    let unsupported = pixels_at(&light, std::iter::once(50.0), 60.0)[0];
    assert!(near(disputed, [215, 115, 195], 12), "{disputed:?}");
    assert!(near(unsupported, [217, 197, 163], 12), "{unsupported:?}");
    // The overlay dashes both: somewhere near the middle each shows its
    // colour, disputed (215, 60, 190, 220) and unsupported (200, 170, 90,
    // 200) over the dark background, and never the other's.
    save(true);
    let overlay = render(&path, &folder.path().join("overlay.png"), "dark");
    let around = || (0..40).map(|step| 40.0 + step as f32 * 0.5);
    let disputed = pixels_at(&overlay, around(), 0.0);
    let unsupported = pixels_at(&overlay, around(), 60.0);
    let (magenta, amber) = ([218, 64, 194], [205, 176, 97]);
    assert!(
        disputed.iter().any(|&p| near(p, magenta, 12)),
        "{disputed:?}"
    );
    assert!(
        !disputed.iter().any(|&p| near(p, amber, 40)),
        "{disputed:?}"
    );
    assert!(
        unsupported.iter().any(|&p| near(p, amber, 12)),
        "{unsupported:?}"
    );
    assert!(!unsupported.iter().any(|&p| near(p, magenta, 40)));
}

#[test]
fn the_legend_has_a_disputed_row_only_when_a_relation_is_disputed() {
    let folder = tempfile::tempdir().unwrap();
    let legend = |path: &Path, name: &str| {
        let svg = folder.path().join(name);
        let output = linkscope()
            .arg("render")
            .arg(path)
            .arg("--out")
            .arg(&svg)
            .args(["--legend", "--iterations=20"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let text = std::fs::read_to_string(svg).unwrap();
        text.split(r#"<g id="legend">"#)
            .nth(1)
            .and_then(|rest| rest.split("</g>").next())
            .expect("the SVG has a legend")
            .to_owned()
    };
    let disputed = legend(&fixture(folder.path()), "disputed.svg");
    assert!(disputed.contains(">Disputed relation</text>"), "{disputed}");
    let sample = legend(&crate::ui::sample_path(), "sample.svg");
    assert!(sample.contains(">Unsupported relation</text>"), "{sample}");
    assert!(!sample.contains("Disputed"), "{sample}");
}

#[test]
fn path_and_evidence_say_which_excerpts_contradict() {
    let folder = tempfile::tempdir().unwrap();
    let path = fixture(folder.path());
    // Alpha → Bravo → Charlie → Delta → Echo, following direction.
    let output = linkscope()
        .arg("path")
        .arg(&path)
        .args(["Alpha", "Echo"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "1. Alpha met with Bravo [relation 1]\n   disputed: every excerpt it cites contradicts it\n   Contradicts: “Alpha never met Bravo.”"
        ),
        "{text}"
    );
    assert!(
        text.contains("   “Bravo joined Charlie in 2019.”")
            && text.contains("   Contradicts: “Bravo was never a member of Charlie.”"),
        "{text}"
    );
    assert_eq!(text.matches("Contradicts:").count(), 2, "{text}");
    assert_eq!(text.matches("disputed:").count(), 1, "{text}");
    let output = linkscope()
        .arg("path")
        .arg(&path)
        .args(["Alpha", "Echo", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let hops = json["hops"].as_array().unwrap();
    let disputed: Vec<bool> = hops
        .iter()
        .map(|hop| hop["disputed"].as_bool().unwrap())
        .collect();
    assert_eq!(disputed, [true, false, false, false]);
    let stances: Vec<&str> = hops[1]["excerpts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|excerpt| excerpt["stance"].as_str().unwrap())
        .collect();
    assert_eq!(stances, ["supports", "contradicts"]);

    // The evidence table: a note on the contradicting rows and the
    // disputed relation's.
    let output = linkscope().arg("evidence").arg(&path).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let notes: Vec<(String, String, String)> = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            (
                record[0].to_owned(),
                record[7].to_owned(),
                record[19].to_owned(),
            )
        })
        .collect();
    let note = |relation: &str, excerpt: &str| {
        notes
            .iter()
            .find(|(r, x, _)| r == relation && x == excerpt)
            .map(|(.., note)| note.as_str())
            .unwrap()
    };
    assert_eq!(
        note("1", "11"),
        "disputed: every excerpt it cites contradicts it; contradicts the relation"
    );
    assert_eq!(note("2", "12"), "");
    assert_eq!(note("2", "13"), "contradicts the relation");
    assert_eq!(note("4", "14"), "");
}

#[test]
fn the_trace_panel_marks_a_contradicting_excerpt_and_a_disputed_hop() {
    let folder = tempfile::tempdir().unwrap();
    let path = fixture(folder.path());
    // No value for the load report to mention: nothing pops up over the canvas.
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch("UPDATE relation_excerpts SET stance = NULL WHERE relation_id = 4;")
        .unwrap();
    drop(connection);
    let mut harness = app_harness(path, egui::vec2(1100.0, 800.0));
    step_until(&mut harness, "the file to load and settle", settled);
    let graph = harness.state().graph().unwrap();
    let (alpha, bravo) = (
        graph.node_by_db_id(1).unwrap(),
        graph.node_by_db_id(2).unwrap(),
    );
    let position = harness.state().node_on_screen(alpha).unwrap();
    click_at(&mut harness, position);
    harness.get_by_label("Trace from here").click();
    harness.run_steps(3);
    harness.get_by_label("Fit").click();
    harness.run_steps(3);
    let position = harness.state().node_on_screen(bravo).unwrap();
    click_at(&mut harness, position);
    harness.get_by_label("Trace to here").click();
    harness.run_steps(2);
    step_until(&mut harness, "the trace and its evidence", |app| {
        !app.is_tracing() && !app.is_reading_details()
    });
    harness.get_by_label_contains("Shortest path: 1 hop");
    harness.get_by_label("1. Alpha met with Bravo");
    harness.get_by_label("Disputed: every excerpt it cites contradicts it.");
    harness.get_by_label("Contradicts");
    harness.get_by_label("“Alpha never met Bravo.”");
}

/// Filters ▸ Contradicted keeps the relations some excerpt speaks against:
/// the disputed one and the one with evidence both ways, not the
/// unsupported one nor the one whose stance is no stance.
#[test]
fn the_contradicted_filter_keeps_the_relations_an_excerpt_speaks_against() {
    use crate::visibility::{expect_status, quiet, status, view_menu};
    let folder = tempfile::tempdir().unwrap();
    let path = fixture(folder.path());
    let mut harness = app_harness(path, egui::vec2(1100.0, 900.0));
    step_until(&mut harness, "the file to load", quiet);
    view_menu(&mut harness, "Filters…");
    harness.get_by_label("Contradicted").click();
    expect_status(&mut harness, &status((5, 2), (0, 2), (0, 0)));
    let app = harness.state();
    let graph = app.graph().unwrap();
    let visible = app.visible_set().unwrap();
    let shown: Vec<i64> = (0..graph.edge_count() as u32)
        .filter(|&edge| visible.edge(edge) == linkscope::model::visibility::Shown::Shown)
        .map(|edge| graph.edge_db_id(edge))
        .collect();
    assert_eq!(shown, vec![1, 2]);
    harness.get_by_label("All relations").click();
    expect_status(&mut harness, &status((5, 4), (0, 0), (0, 0)));
}
