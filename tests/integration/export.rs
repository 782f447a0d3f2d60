//! Pictures for reports: PNG and SVG from the headless renderer, compared
//! with stored references, with each other (the SVG rasterised by resvg)
//! and with themselves (the same input gives the same bytes), and their
//! provenance read back.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::ui::sample_path;

fn linkscope() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linkscope"));
    command.env("RUST_LOG", "error");
    command
}

/// Renders the sample with `args` into `out`; panics with stderr on failure.
fn render(out: &Path, args: &[&str]) {
    let output = linkscope()
        .arg("render")
        .arg(sample_path())
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

const PICTURE: [&str; 9] = [
    "--width",
    "800",
    "--height",
    "500",
    "--legend",
    "--citations",
    "--title",
    "Zhirnov–Haqqani",
    "--iterations=300",
];

fn rgba(path: &Path) -> image::RgbaImage {
    image::open(path).unwrap().to_rgba8()
}

/// Share of pixels whose largest channel difference is over `tolerance`.
fn differing_share(a: &image::RgbaImage, b: &image::RgbaImage, tolerance: u8) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let differing = a
        .pixels()
        .zip(b.pixels())
        .filter(|(x, y)| x.0.iter().zip(y.0).any(|(p, q)| p.abs_diff(q) > tolerance))
        .count();
    differing as f64 / f64::from(a.width() * a.height())
}

/// The stored reference for `name`, written by `UPDATE_SNAPSHOTS=1` (CI
/// unsets it, so there it can only be compared).
fn compare_with_reference(picture: &Path, name: &str) {
    let reference = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.png"));
    if crate::update_snapshots() {
        std::fs::copy(picture, &reference).unwrap();
    }
    let share = differing_share(&rgba(picture), &rgba(&reference), 24);
    assert!(
        share < 0.002,
        "{name}: {:.3}% of the pixels differ from {}",
        share * 100.0,
        reference.display()
    );
}

#[test]
fn png_exports_match_their_references_and_2x_is_twice_the_size() {
    let folder = tempfile::tempdir().unwrap();
    let one = folder.path().join("one.png");
    let two = folder.path().join("two.png");
    render(&one, &PICTURE);
    render(&two, &[&PICTURE[..], &["--scale", "2"]].concat());
    let (a, b) = (rgba(&one), rgba(&two));
    assert_eq!(a.dimensions(), (800, 500));
    assert_eq!(b.dimensions(), (1600, 1000), "2× is exactly twice the size");
    compare_with_reference(&one, "export_sample_1x");
    compare_with_reference(&two, "export_sample_2x");
}

/// On wgpu's OpenGL backend (llvmpipe), whose adapter cannot run the graph
/// shaders, the PNG export still draws the graph: on the CPU, under egui's
/// labels, as the window does there; the picture matches the stored
/// reference drawn on Vulkan.
#[test]
fn a_png_is_drawn_on_opengl_as_on_vulkan() {
    let folder = tempfile::tempdir().unwrap();
    let png = folder.path().join("gl.png");
    let output = linkscope()
        .env("WGPU_BACKEND", "gl")
        .arg("render")
        .arg(sample_path())
        .arg("--out")
        .arg(&png)
        .args(PICTURE)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    compare_with_reference(&png, "export_sample_1x");
}

/// A 2× picture is drawn without a warning: stderr is for real problems
/// (issue 21), and its labels were once laid out at 4× and tessellated at
/// 2×, which epaint reported once per label.
#[test]
fn a_2x_picture_is_drawn_without_warnings() {
    let folder = tempfile::tempdir().unwrap();
    let two = folder.path().join("two.png");
    let output = Command::new(env!("CARGO_BIN_EXE_linkscope"))
        .env_remove("RUST_LOG")
        .arg("render")
        .arg(sample_path())
        .arg("--out")
        .arg(&two)
        .args(PICTURE)
        .args(["--scale", "2"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("WARN") && !stderr.contains("ERROR"),
        "stderr: {stderr}"
    );
}

/// The sources footer wraps inside the picture: the sample's first document
/// title is longer than an 800-point line, and the strip along the right
/// edge, where unwrapped text ran off, is background only.
#[test]
fn the_footer_wraps_inside_the_picture() {
    let folder = tempfile::tempdir().unwrap();
    let png = folder.path().join("footer.png");
    render(&png, &PICTURE);
    let image = rgba(&png);
    let (width, height) = image.dimensions();
    let background = *image.get_pixel(width - 1, height - 1);
    let footer_rows = height - 120..height;
    let margin_columns = width - 8..width;
    for y in footer_rows {
        for x in margin_columns.clone() {
            let pixel = image.get_pixel(x, y);
            assert!(
                pixel
                    .0
                    .iter()
                    .zip(background.0)
                    .all(|(p, q)| p.abs_diff(q) <= 8),
                "text at ({x}, {y}) in the right margin: {pixel:?}"
            );
        }
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let folder = tempfile::tempdir().unwrap();
    for extension in ["png", "svg"] {
        let first = folder.path().join(format!("first.{extension}"));
        let second = folder.path().join(format!("second.{extension}"));
        render(&first, &PICTURE);
        render(&second, &PICTURE);
        assert_eq!(
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap(),
            "{extension}"
        );
    }
}

/// Every label the PNG shows is real text in the SVG, and the SVG,
/// rasterised by resvg, looks like the PNG.
#[test]
fn the_svg_has_every_label_as_text_and_looks_like_the_png() {
    let folder = tempfile::tempdir().unwrap();
    let png = folder.path().join("graph.png");
    let svg = folder.path().join("graph.svg");
    render(&png, &PICTURE);
    render(&svg, &PICTURE);
    let text = std::fs::read_to_string(&svg).unwrap();
    let mut options = resvg::usvg::Options::default();
    options
        .fontdb_mut()
        .load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
    let tree = resvg::usvg::Tree::from_str(&text, &options).expect("the SVG parses");

    // Labels: the entities' names (shortened the way the screen shortens
    // them), read from the file with SQL.
    let connection = rusqlite::Connection::open_with_flags(
        sample_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let names: Vec<String> = connection
        .prepare("SELECT name FROM entities")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let texts: Vec<String> = text
        .split("<text ")
        .skip(1)
        .filter_map(|element| Some(element.split_once('>')?.1.split_once("</text>")?.0))
        .map(|inner| {
            inner
                .replace("&amp;", "&")
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
        })
        .collect();
    let labelled = names
        .iter()
        .filter(|name| {
            texts.iter().any(|text| {
                text == *name
                    || text
                        .strip_suffix('…')
                        .is_some_and(|start| name.starts_with(start))
            })
        })
        .count();
    assert!(
        labelled >= names.len() * 3 / 4,
        "{labelled} of {} entities are labelled in the SVG: {texts:?}",
        names.len()
    );
    assert!(
        texts.iter().any(|text| text == "Zhirnov–Haqqani"),
        "the title"
    );
    assert!(
        texts.iter().any(|text| text.contains("Ufuq News")),
        "the citations"
    );

    let size = tree.size().to_int_size();
    assert_eq!((size.width(), size.height()), (800, 500));
    let mut pixmap = resvg::tiny_skia::Pixmap::new(800, 500).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    let raster = image::RgbaImage::from_raw(800, 500, pixmap.take_demultiplied()).unwrap();
    // Compared in 10×10 blocks: anti-aliasing and font hinting differ, the
    // picture must not.
    let blocks = |image: &image::RgbaImage| {
        image::imageops::resize(image, 80, 50, image::imageops::FilterType::Triangle)
    };
    let share = differing_share(&blocks(&raster), &blocks(&rgba(&png)), 40);
    assert!(
        share < 0.03,
        "{:.1}% of the 10×10 blocks differ between the SVG and the PNG",
        share * 100.0
    );
}

#[test]
fn exports_carry_their_provenance() {
    let folder = tempfile::tempdir().unwrap();
    let png = folder.path().join("graph.png");
    let svg = folder.path().join("graph.svg");
    render(&png, &PICTURE);
    render(&svg, &PICTURE);
    let digest = crate::project::sha256_hex(&std::fs::read(sample_path()).unwrap());

    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let reader = decoder.read_info().unwrap();
    let chunks: Vec<(String, String)> = reader
        .info()
        .utf8_text
        .iter()
        .map(|chunk| (chunk.keyword.clone(), chunk.get_text().unwrap()))
        .collect();
    let get = |key: &str| {
        chunks
            .iter()
            .find(|(keyword, _)| keyword == key)
            .map_or_else(
                || panic!("no {key} in {chunks:?}"),
                |(_, value)| value.clone(),
            )
    };
    assert_eq!(get("Source"), "sample.sqlite");
    assert_eq!(get("linkscope:source-sha256"), digest);
    assert!(get("Software").starts_with("Linkscope "));
    let view: serde_json::Value = serde_json::from_str(&get("linkscope:view")).unwrap();
    assert_eq!(view["version"], 1);
    assert!(view["camera"]["zoom"].as_f64().unwrap() > 0.0);

    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("<metadata>"));
    assert!(text.contains(&digest), "the SVG names the file's SHA-256");
}

#[test]
fn render_refuses_unknown_formats_and_scales_with_a_message() {
    let folder = tempfile::tempdir().unwrap();
    let out: PathBuf = folder.path().join("graph.jpg");
    let output = linkscope()
        .arg("render")
        .arg(sample_path())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains(".png or .svg") && message.contains("graph.jpg"),
        "{message}"
    );
    let output = linkscope()
        .args(["render", "x.sqlite", "--out", "x.png", "--scale", "3"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("expected 1, 2 or 4"));
    assert!(!out.exists());
}

/// File ▸ Export… in the window: the dialog, the path field, and the
/// picture written in the background at 2× the canvas, with provenance;
/// Copy Image puts the picture on the clipboard.
#[test]
fn the_window_exports_the_picture_from_the_file_menu() {
    use egui_kittest::kittest::Queryable as _;
    let folder = tempfile::tempdir().unwrap();
    let mut harness = crate::ui::app_harness(sample_path(), egui::vec2(900.0, 600.0));
    crate::ui::step_until(&mut harness, "the sample to settle", crate::ui::settled);
    crate::ui::click_file_menu_item(&mut harness, "Export…");
    harness.run_steps(3);
    harness.get_by_label("Export Picture");
    harness.get_by_label("Export…").click();
    harness.run_steps(3);
    assert!(harness.state().is_asking_for_path());
    let out = folder.path().join("figure.png");
    crate::ui::type_path(&mut harness, &out);
    harness.get_by_label("Export").click();
    crate::ui::step_until(&mut harness, "the export to be written", |app| {
        app.last_export().is_some() && !app.is_exporting()
    });
    let written = harness.state().last_export().unwrap().to_path_buf();
    assert!(written.ends_with("figure.png"), "{}", written.display());
    let image = rgba(&written);
    // The whole graph on a page of its own: the window's size, its panels
    // and its notices have no say.
    assert_eq!(
        image.dimensions(),
        (2560, 1600),
        "2× the 1280×800 page by default"
    );
    assert!(
        harness
            .state()
            .messages()
            .any(|message| message.contains("figure.png"))
    );

    harness.get_by_label("Copy Image").click();
    crate::ui::step_until(&mut harness, "the image to be copied", |app| {
        !app.is_exporting()
            && app
                .messages()
                .any(|message| message.contains("Copied the picture"))
    });
}

/// `--focus NAME --hops 1` draws the entity and exactly its neighbours,
/// as plain SQL finds them.
#[test]
fn render_focus_draws_one_entitys_neighbourhood() {
    let folder = tempfile::tempdir().unwrap();
    let svg = folder.path().join("focus.svg");
    render(
        &svg,
        &["--focus", "Dmitry Zhirnov", "--hops", "1", "--width", "900"],
    );
    let connection = rusqlite::Connection::open_with_flags(
        sample_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut statement = connection
        .prepare(
            "WITH c(id) AS (SELECT id FROM entities WHERE name = 'Dmitry Zhirnov')
             SELECT name FROM entities WHERE id IN (SELECT id FROM c)
                OR id IN (SELECT object_id FROM relations WHERE subject_id IN (SELECT id FROM c))
                OR id IN (SELECT subject_id FROM relations WHERE object_id IN (SELECT id FROM c))",
        )
        .unwrap();
    let expected: std::collections::BTreeSet<String> = statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(expected.len() >= 3, "{expected:?}");
    let text = std::fs::read_to_string(&svg).unwrap();
    let labels: std::collections::BTreeSet<String> = text
        .split("<g id=\"labels\">")
        .nth(1)
        .unwrap()
        .split("</g>")
        .next()
        .unwrap()
        .split("<text ")
        .skip(1)
        .filter_map(|element| {
            Some(
                element
                    .split_once('>')?
                    .1
                    .split_once("</text>")?
                    .0
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(labels, expected, "exactly the neighbourhood is labelled");
    let nodes = text
        .split("<g id=\"nodes\">")
        .nth(1)
        .unwrap()
        .split("</g>")
        .next()
        .unwrap();
    let drawn = nodes.matches("<circle").count()
        + nodes.matches("<rect").count()
        + nodes.matches("<polygon").count();
    assert_eq!(drawn, expected.len(), "and only its nodes are drawn");
}

/// Labels and drawn node shapes of an SVG export.
fn svg_labels_and_nodes(text: &str) -> (std::collections::BTreeSet<String>, usize) {
    let group = |name: &str| {
        text.split(&format!("<g id=\"{name}\">"))
            .nth(1)
            .unwrap()
            .split("</g>")
            .next()
            .unwrap()
            .to_owned()
    };
    let labels = group("labels")
        .split("<text ")
        .skip(1)
        .filter_map(|element| {
            Some(
                element
                    .split_once('>')?
                    .1
                    .split_once("</text>")?
                    .0
                    .to_owned(),
            )
        })
        .collect();
    let nodes = group("nodes");
    let drawn = nodes.matches("<circle").count()
        + nodes.matches("<rect").count()
        + nodes.matches("<polygon").count();
    (labels, drawn)
}

/// A file whose saved view hides an entity renders without it, as the
/// window shows it: one node fewer, its label gone, the rest unchanged.
#[test]
fn render_leaves_out_what_the_saved_view_hides() {
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("hidden.sqlite");
    std::fs::copy(sample_path(), &copy).unwrap();
    let connection = rusqlite::Connection::open(&copy).unwrap();
    let (zhirnov, entities): (i64, usize) = (
        connection
            .query_row(
                "SELECT id FROM entities WHERE name = 'Dmitry Zhirnov'",
                [],
                |row| row.get(0),
            )
            .unwrap(),
        connection
            .query_row("SELECT count(*) FROM entities", [], |row| row.get(0))
            .unwrap(),
    );
    drop(connection);
    linkscope::store::save_view(
        &copy,
        &linkscope::store::ViewState {
            hidden_entities: vec![zhirnov],
            ..linkscope::store::ViewState::default()
        },
    )
    .unwrap();
    let draw = |file: &Path, name: &str| {
        let svg = folder.path().join(name);
        let output = linkscope()
            .arg("render")
            .arg(file)
            .arg("--out")
            .arg(&svg)
            .args(["--width", "1200", "--iterations=300"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        svg_labels_and_nodes(&std::fs::read_to_string(svg).unwrap())
    };
    let (all_labels, all_nodes) = draw(&sample_path(), "all.svg");
    let (labels, nodes) = draw(&copy, "hidden.svg");
    assert_eq!(
        all_nodes, entities,
        "every entity is drawn without a saved view"
    );
    assert_eq!(nodes, entities - 1, "the hidden one is not drawn");
    assert!(all_labels.contains("Dmitry Zhirnov"), "{all_labels:?}");
    assert!(!labels.contains("Dmitry Zhirnov"), "{labels:?}");
}

/// A saved view coloured by community renders so: `linkscope render`
/// computes the communities, and the legend lists them as the window's
/// does (their count and sizes as Louvain finds them in the window).
#[test]
fn render_colours_by_community_when_the_saved_view_does() {
    use linkscope::model::metrics::{ColourBy, NodeLook, SizeBy};
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("karate.sqlite");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trace/karate.sqlite"),
        &copy,
    )
    .unwrap();
    let draw = |name: &str| {
        let svg = folder.path().join(name);
        let output = linkscope()
            .arg("render")
            .arg(&copy)
            .arg("--out")
            .arg(&svg)
            .args(["--legend", "--iterations=100"])
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
    let by_kind = draw("kinds.svg");
    assert!(by_kind.contains(">Actor</text>"), "{by_kind}");
    linkscope::store::save_view(
        &copy,
        &linkscope::store::ViewState {
            node_look: Some(NodeLook {
                colour_by: ColourBy::Community,
                size_by: SizeBy::PageRank,
            }),
            ..linkscope::store::ViewState::default()
        },
    )
    .unwrap();
    let by_community = draw("communities.svg");
    let graph = linkscope::store::load_graph(
        &copy,
        &linkscope::store::LoadProgress::default(),
        &std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    )
    .unwrap()
    .graph;
    let metrics = linkscope::model::metrics::compute(
        &graph,
        &linkscope::model::metrics::MetricsProgress::default(),
    )
    .unwrap();
    assert!(metrics.community_sizes.len() >= 2);
    for (index, size) in metrics.community_sizes.iter().enumerate() {
        let row = format!(">Community {} ({size})</text>", index + 1);
        assert!(by_community.contains(&row), "{row} missing: {by_community}");
    }
    assert!(!by_community.contains(">Actor</text>"), "{by_community}");
}

/// Rasterises `svg` with resvg and no fonts at all: what a viewer without the window's font
/// (or any font) shows.
fn rasterise_without_fonts(svg: &Path) -> image::RgbaImage {
    let text = std::fs::read_to_string(svg).unwrap();
    let options = resvg::usvg::Options::default();
    assert_eq!(options.fontdb.len(), 0, "no fonts loaded");
    let tree = resvg::usvg::Tree::from_str(&text, &options).expect("the SVG parses");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    image::RgbaImage::from_raw(size.width(), size.height(), pixmap.take_demultiplied()).unwrap()
}

/// With "labels as outlines" the SVG needs no font: rasterised with none loaded, it matches
/// the PNG, labels, legend, title and footer included; the same picture as real text, with
/// no font to draw it, loses them.
#[test]
fn the_svg_with_outlines_matches_the_png_without_any_font() {
    let folder = tempfile::tempdir().unwrap();
    let png = folder.path().join("graph.png");
    let outlined = folder.path().join("outlined.svg");
    let plain = folder.path().join("plain.svg");
    render(&png, &PICTURE);
    let mut args = PICTURE.to_vec();
    args.push("--labels-as-outlines");
    render(&outlined, &args);
    render(&plain, &PICTURE);
    let svg = std::fs::read_to_string(&outlined).unwrap();
    assert!(!svg.contains("<text"), "no text left to need a font");

    let png = rgba(&png);
    // Compared in 4×4 blocks: anti-aliasing differs between the GPU and resvg, the glyphs'
    // shapes and places must not.
    let blocks = |image: &image::RgbaImage| {
        let (width, height) = image.dimensions();
        image::imageops::resize(
            image,
            width / 4,
            height / 4,
            image::imageops::FilterType::Triangle,
        )
    };
    let png = blocks(&png);
    let with_outlines = differing_share(&blocks(&rasterise_without_fonts(&outlined)), &png, 32);
    let without = differing_share(&blocks(&rasterise_without_fonts(&plain)), &png, 32);
    assert!(
        with_outlines < 0.025,
        "{:.2}% of the 4×4 blocks differ from the PNG",
        with_outlines * 100.0
    );
    assert!(
        without > 3.0 * with_outlines,
        "the text is what differs without a font: {without} against {with_outlines}"
    );
}

/// Real text survives another font: the family list ends in a generic family, and every
/// footer line has its own x, a continuation's hanging indent as an x offset (SVG viewers
/// collapse leading spaces, so spaces would lose it).
#[test]
fn the_svg_footer_keeps_its_hanging_indent_in_any_font() {
    let folder = tempfile::tempdir().unwrap();
    let svg = folder.path().join("graph.svg");
    render(&svg, &PICTURE);
    let text = std::fs::read_to_string(&svg).unwrap();
    let family = text
        .split("font-family=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert!(family.ends_with(", sans-serif"), "{family}");
    let attribute = |element: &str, name: &str| -> Option<String> {
        let rest = format!(" {element}");
        let rest = rest.split(&format!(" {name}=\"")).nth(1)?;
        Some(rest.split('"').next()?.to_owned())
    };
    let footer: Vec<(f32, String)> = text
        .split("<text ")
        .skip(1)
        .filter(|element| attribute(element, "font-size").as_deref() == Some("10.5"))
        .map(|element| {
            let x = attribute(element, "x").unwrap().parse().unwrap();
            let inner = element
                .split_once('>')
                .unwrap()
                .1
                .split_once("</text>")
                .unwrap()
                .0;
            (x, inner.to_owned())
        })
        .collect();
    assert!(footer.len() >= 4, "{footer:?}");
    let left = footer.iter().map(|(x, _)| *x).fold(f32::MAX, f32::min);
    let continuations: Vec<&(f32, String)> = footer.iter().filter(|(x, _)| *x > left).collect();
    assert!(
        !continuations.is_empty(),
        "the wrapped citations: {footer:?}"
    );
    for (x, line) in &footer {
        assert!(!line.starts_with(' '), "no leading spaces: {line:?}");
        // Continuations are indented by four spaces of the window's font at 10.5 points:
        // a few points, never a column of its own.
        assert!(
            (*x - left).abs() < 1e-3 || (4.0..20.0).contains(&(x - left)),
            "{line:?} at {x}, the footer at {left}"
        );
    }
}
