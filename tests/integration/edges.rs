//! Edges legible at every density, checked on rendered pictures: a dense
//! graph is not a solid blob, a file without documents is not all warning
//! colour, arrowheads never outgrow the nodes they point at, and the
//! evidence overlay is a toggle saved with the view.
//!
//! The pictures are drawn through the real GPU pipelines (offscreen, as
//! exports are) from real SQLite files, with fixed positions (a circle, a
//! seeded scatter) so that they do not move when the layout changes.
//! `tests/fixtures/edges/karate_no_evidence.sqlite` is Zachary's karate
//! club (`tests/fixtures/trace/karate.sqlite`) with its one document
//! removed: `sqlite3 FILE "delete from relation_excerpts; delete from
//! excerpts; delete from documents; vacuum;"`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use egui::{Color32, ColorImage, Vec2};
use egui_kittest::kittest::Queryable as _;
use linkscope::export::picture::{PictureSource, PictureStyle, picture_draw_list};
use linkscope::model::Graph;
use linkscope::scene::GraphScene;
use linkscope::scene::draw_list::DrawList;
use linkscope::scene::edge_style::EvidenceMode;
use linkscope::scene::theme::Theme;
use linkscope::store::{LoadProgress, LoadReport, load_graph};
use linkscope::view::gpu::offscreen::OffscreenRenderer;
use linkscope::view::gpu::{
    Camera, EDGE_ARROW, EDGE_DASHED, EdgeInstance, GraphFrame, NodeShape, NodeStyle, RenderQuality,
    color_to_u32,
};

use crate::ui::{app_harness, sample_path, step_until};

fn no_evidence_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edges/karate_no_evidence.sqlite")
}

fn load(path: &Path) -> (Graph, LoadReport) {
    let loaded = load_graph(
        path,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap();
    (loaded.graph, loaded.report)
}

/// A graph with evidence: 300 entities and `edges` relations, a quarter of
/// them unsupported (the generator is seeded).
fn generated_file(folder: &Path, edges: usize) -> PathBuf {
    let path = folder.join(format!("generated-{edges}.sqlite"));
    linkscope::store::generate_graph_file(
        &path,
        &linkscope::store::GenerateOptions {
            nodes: 300,
            edges,
            seed: 11,
            supported_fraction: 0.75,
            ..linkscope::store::GenerateOptions::default()
        },
    )
    .unwrap();
    path
}

/// Nodes evenly round a circle of radius 100.
fn circle(nodes: usize) -> Vec<[f32; 2]> {
    (0..nodes)
        .map(|node| {
            let angle = std::f32::consts::TAU * node as f32 / nodes as f32;
            [100.0 * angle.cos(), 100.0 * angle.sin()]
        })
        .collect()
}

/// Nodes scattered evenly over a disc of radius 100, from a fixed seed.
fn scatter(nodes: usize) -> Vec<[f32; 2]> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32
    };
    (0..nodes)
        .map(|_| {
            let radius = 100.0 * next().sqrt();
            let angle = std::f32::consts::TAU * next();
            [radius * angle.cos(), radius * angle.sin()]
        })
        .collect()
}

const SIZE: Vec2 = Vec2::new(480.0, 360.0);

/// The picture an export of the whole graph would draw, with labels and
/// legend.
fn picture(
    graph: &Graph,
    positions: Vec<[f32; 2]>,
    theme: Theme,
    overlay: bool,
) -> (ColorImage, GraphScene, GraphFrame) {
    picture_with(graph, positions, theme, overlay, |_| {})
}

/// [`picture`], with `change` made to its draw list first.
fn picture_with(
    graph: &Graph,
    positions: Vec<[f32; 2]>,
    theme: Theme,
    overlay: bool,
    change: impl FnOnce(&mut DrawList<'static>),
) -> (ColorImage, GraphScene, GraphFrame) {
    let scene = GraphScene::build(graph, 1).with_evidence_overlay(overlay, theme, 2);
    let mut list = picture_draw_list(
        &PictureSource {
            graph,
            scene: &scene,
            positions: Arc::new(positions),
            camera: None,
            overlay_edges: Arc::default(),
            overlay_nodes: Arc::default(),
        },
        SIZE,
        &PictureStyle {
            theme,
            ..PictureStyle::default()
        },
        Vec::new(),
    );
    change(&mut list);
    let mut renderer = OffscreenRenderer::new(SIZE.x as u32, SIZE.y as u32).unwrap();
    let image = renderer.render_draw_list(&list, 1.0).unwrap();
    (image, scene, list.graph)
}

/// No labels or legend: the graph alone.
fn bare(list: &mut DrawList<'static>) {
    list.labels.clear();
    list.legend = false;
}

/// Compares with `tests/snapshots/NAME.png`, written by `UPDATE_SNAPSHOTS=1`
/// (as the other snapshots are): at most 0.2% of the pixels may differ by
/// more than 24 in a channel (software rasterisers round differently).
fn compare_with_snapshot(image: &ColorImage, name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.png"));
    let [width, height] = image.size.map(|side| side as u32);
    let bytes: Vec<u8> = image.pixels.iter().flat_map(Color32::to_array).collect();
    let new = image::RgbaImage::from_raw(width, height, bytes).unwrap();
    if crate::update_snapshots() {
        new.save(&path).unwrap();
    }
    let reference = image::open(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .to_rgba8();
    assert_eq!(reference.dimensions(), new.dimensions(), "{name}");
    let differing = reference
        .pixels()
        .zip(new.pixels())
        .filter(|(a, b)| a.0.iter().zip(b.0).any(|(p, q)| p.abs_diff(q) > 24))
        .count();
    let share = differing as f64 / f64::from(width * height);
    if share >= 0.002 {
        let failed = path.with_extension("new.png");
        new.save(&failed).unwrap();
        panic!(
            "{name}: {:.3}% of the pixels differ from {} (the new picture is {})",
            share * 100.0,
            path.display(),
            failed.display()
        );
    }
}

/// Warning colour: clearly yellow or orange (red and green well above blue).
fn is_warning(pixel: Color32) -> bool {
    let [r, g, b, _] = pixel.to_array().map(i32::from);
    r - b > 60 && g - b > 40
}

/// Share of the pixels inside the central square (a third of the
/// picture's height across) that `keep` accepts.
fn share_in_centre(image: &ColorImage, keep: impl Fn(Color32) -> bool) -> f64 {
    let [width, height] = image.size;
    let half = height / 6;
    let (cx, cy) = (width / 2, height / 2);
    let mut kept = 0;
    let mut all = 0;
    for y in cy - half..cy + half {
        for x in cx - half..cx + half {
            all += 1;
            if keep(image.pixels[y * width + x]) {
                kept += 1;
            }
        }
    }
    f64::from(kept) / f64::from(all)
}

fn luma(pixel: Color32) -> f32 {
    let [r, g, b, _] = pixel.to_array().map(f32::from);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

#[test]
fn a_file_without_documents_draws_plain_edges_and_says_so_once() {
    let (graph, report) = load(&no_evidence_path());
    assert_eq!((graph.node_count(), graph.edge_count()), (34, 78));
    assert_eq!(report.documents, 0);
    assert!(
        report.summary().contains("no evidence"),
        "{}",
        report.summary()
    );
    for theme in [Theme::Dark, Theme::Light] {
        let palette = theme.palette();
        let (image, scene, _) = picture(&graph, circle(34), theme, false);
        assert_eq!(scene.evidence_mode, EvidenceMode::NoEvidence);
        // Every edge is plain: the edge colour, solid, arrowed.
        for edge in scene.edges.iter() {
            assert_eq!(edge.color, color_to_u32(palette.edge));
            assert_eq!(edge.flags, EDGE_ARROW);
        }
        // The overlay has nothing to show here: the same instances.
        let overlaid = scene.with_evidence_overlay(true, theme, 3);
        assert_eq!(overlaid.edges, scene.edges);
        // No warning colour anywhere on the graph (karate's entities are
        // all actors, drawn blue; the legend is in the bottom-left corner).
        let [width, height] = image.size;
        let warm = (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .filter(|&(x, y)| !(x < 170 && y > 200))
            .filter(|&(x, y)| is_warning(image.pixels[y * width + x]))
            .count();
        assert_eq!(warm, 0, "{warm} warning-coloured pixels");
        compare_with_snapshot(&image, &format!("edges_no_evidence_{}", theme.name()));
    }
}

#[test]
fn a_dense_graph_fades_its_edges_instead_of_drawing_a_solid_blob() {
    let folder = tempfile::tempdir().unwrap();
    let (graph, _) = load(&generated_file(folder.path(), 6_000));
    for theme in [Theme::Dark, Theme::Light] {
        let palette = theme.palette();
        // The edges alone (nodes invisible), faded and as drawn before
        // edges faded with density.
        let edges_alone = |list: &mut DrawList<'static>| {
            bare(list);
            let invisible = list
                .graph
                .node_styles
                .iter()
                .map(|style| NodeStyle {
                    fill: 0,
                    outline: 0,
                    ..*style
                })
                .collect();
            list.graph.node_styles = Arc::new(invisible);
        };
        let (faded, _, frame) = picture_with(&graph, scatter(300), theme, false, edges_alone);
        let (solid, _, _) = picture_with(&graph, scatter(300), theme, false, |list| {
            edges_alone(list);
            list.graph.edge_alpha = 1.0;
        });
        let (drawn, scene, _) = picture_with(&graph, scatter(300), theme, false, bare);
        let (snapshot, _, _) = picture(&graph, scatter(300), theme, false);
        assert!(
            frame.edge_alpha < 0.5,
            "a dense graph fades its edges: alpha {}",
            frame.edge_alpha
        );
        // "Heavily inked": more than 60% of the way from the background to
        // the edge colour at full opacity.
        let background = luma(palette.background);
        let [r, g, b, a] = palette.edge.to_array().map(f32::from);
        let opaque_edge = luma(Color32::from_rgb(
            (r * 255.0 / a) as u8,
            (g * 255.0 / a) as u8,
            (b * 255.0 / a) as u8,
        ));
        let inked = |pixel: Color32| {
            (luma(pixel) - background).abs() > 0.6 * (opaque_edge - background).abs()
        };
        let solid_share = share_in_centre(&solid, inked);
        let faded_share = share_in_centre(&faded, inked);
        eprintln!(
            "{}: inked share {solid_share:.3} unfaded, {faded_share:.3} faded (alpha {})",
            theme.name(),
            frame.edge_alpha
        );
        assert!(
            solid_share > 0.6,
            "unfaded, the centre is a blob ({solid_share:.2} inked): the test graph is dense"
        );
        assert!(
            faded_share < solid_share / 3.0,
            "faded, the centre shows structure ({faded_share:.2} inked, {solid_share:.2} unfaded)"
        );
        // Nodes are drawn over the edges: a big node's centre shows its
        // own fill, whatever passes beneath it.
        let node = scene.label_order[0];
        let camera = frame.camera;
        let viewport = egui::Rect::from_min_size(egui::Pos2::ZERO, SIZE);
        let centre = camera.screen_from_world(viewport, frame.positions[node as usize]);
        let fill = drawn.pixels[centre.y as usize * SIZE.x as usize + centre.x as usize];
        let expected = scene.node_styles[node as usize].fill.to_le_bytes();
        assert!(
            fill.to_array()
                .iter()
                .zip(expected)
                .all(|(p, q)| p.abs_diff(q) <= 2),
            "node {node}'s centre is {fill:?}, its fill {expected:?}"
        );
        compare_with_snapshot(&snapshot, &format!("edges_dense_{}", theme.name()));
    }
}

#[test]
fn unsupported_relations_are_quiet_unless_the_overlay_is_on() {
    let folder = tempfile::tempdir().unwrap();
    // Sparse enough that the edges are not faded.
    let (graph, report) = load(&generated_file(folder.path(), 200));
    assert!(report.unsupported_relations > 30);
    let positions = scatter(300);
    let (quiet, scene, _) = picture_with(&graph, positions.clone(), Theme::Dark, false, bare);
    let (overlay, overlaid, _) = picture_with(&graph, positions.clone(), Theme::Dark, true, bare);
    // The nodes alone: organisations are orange.
    let (nodes, _, _) = picture_with(&graph, positions, Theme::Dark, false, |list| {
        bare(list);
        list.graph.edges = Arc::default();
    });
    assert_eq!(scene.evidence_mode, EvidenceMode::Quiet);
    assert_eq!(overlaid.evidence_mode, EvidenceMode::Overlay);
    let dashed = |scene: &GraphScene| {
        scene
            .edges
            .iter()
            .filter(|edge| edge.flags & EDGE_DASHED != 0)
            .count()
    };
    assert_eq!(dashed(&scene), 0);
    assert_eq!(dashed(&overlaid), report.unsupported_relations);
    // Quiet: unsupported edges have a colour of their own, not the warning.
    let colours: std::collections::BTreeSet<u32> =
        scene.edges.iter().map(|edge| edge.color).collect();
    assert_eq!(colours.len(), 2);
    let warning_share = |image: &ColorImage| share_in_centre(image, is_warning);
    let (baseline, quiet, overlay) = (
        warning_share(&nodes),
        warning_share(&quiet),
        warning_share(&overlay),
    );
    eprintln!("warning share: nodes {baseline:.3}, quiet {quiet:.3}, overlay {overlay:.3}");
    assert!(
        quiet <= baseline + 0.005,
        "quiet: no warning colour beyond the nodes' ({quiet:.3} vs {baseline:.3})"
    );
    assert!(
        overlay >= baseline + 0.01,
        "the overlay shows the unsupported relations in the warning colour ({overlay:.3} vs {baseline:.3})"
    );
    // The overlay weighs supported edges by their excerpts and grades:
    // better-sourced ones are more opaque.
    let supported: Vec<(u32, u32)> = (0..graph.edge_count() as u32)
        .filter(|&edge| graph.edge_is_supported(edge))
        .map(|edge| (edge, overlaid.edges[edge as usize].color))
        .collect();
    let opacity = |edge: u32| {
        supported
            .iter()
            .find(|(candidate, _)| *candidate == edge)
            .map_or(0, |(_, color)| color >> 24)
    };
    let best = supported
        .iter()
        .map(|&(edge, _)| edge)
        .max_by(|&a, &b| graph.edge_support(a).total_cmp(&graph.edge_support(b)))
        .unwrap();
    let worst = supported
        .iter()
        .map(|&(edge, _)| edge)
        .min_by(|&a, &b| graph.edge_support(a).total_cmp(&graph.edge_support(b)))
        .unwrap();
    assert!(graph.edge_support(best) > graph.edge_support(worst));
    assert!(
        opacity(best) > opacity(worst),
        "support {} draws at alpha {}, support {} at {}",
        graph.edge_support(best),
        opacity(best),
        graph.edge_support(worst),
        opacity(worst)
    );
}

/// A 200-point edge into a node of `target_radius` world units (pixels:
/// zoom 1) with the nodes invisible; returns how tall the drawn edge is
/// (pixels) in the 24 columns before the target's outline: the arrowhead's
/// width, or the line's.
fn drawn_height_at_target(target_radius: f32) -> usize {
    const INK: Color32 = Color32::from_rgb(255, 0, 255);
    let invisible = |radius| NodeStyle {
        radius,
        fill: 0,
        outline: 0,
        shape: NodeShape::Circle as u32,
    };
    let frame = GraphFrame {
        positions: Arc::new(vec![[-100.0, 0.5], [100.0, 0.5]]),
        positions_generation: 1,
        node_styles: Arc::new(vec![invisible(10.0), invisible(target_radius)]),
        edges: Arc::new(vec![EdgeInstance {
            source: 0,
            target: 1,
            bend: 0.0,
            width_px: 1.2,
            color: color_to_u32(INK),
            flags: EDGE_ARROW,
        }]),
        styles_generation: 1,
        overlay_edges: Arc::default(),
        overlay_nodes: Arc::default(),
        camera: Camera {
            center_world: [0.0, 0.0],
            zoom: 1.0,
        },
        background_dim: false,
        edge_alpha: 1.0,
        background: Some(Color32::BLACK),
        quality: RenderQuality::Full,
    };
    let mut renderer = OffscreenRenderer::new(300, 100).unwrap();
    let image = renderer.render_image(&frame).unwrap();
    // The target's outline is at x = 250 − radius.
    let outline = 250 - target_radius as usize;
    (outline - 24..outline)
        .map(|x| {
            (0..100)
                .filter(|&y| {
                    let [r, _, b, _] = image.pixels[y * 300 + x].to_array();
                    r > 60 && b > 60
                })
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn arrowheads_never_outgrow_their_target_and_vanish_when_tiny() {
    // A big target: a full arrowhead, wider than the line.
    let big = drawn_height_at_target(20.0);
    assert!(big >= 6, "a big node gets a real arrowhead: {big} px");
    // A small target: the arrowhead is no wider than the node's radius.
    let small = drawn_height_at_target(6.0);
    assert!(small > 2 && small <= 6, "{small} px for a 6 px node");
    // A tiny one: no arrowhead, just the line (1.2 px, anti-aliased).
    let tiny = drawn_height_at_target(3.0);
    assert!(tiny <= 3, "{tiny} px for a 3 px node");
}

/// On, off and on again from the View menu; Save (Ctrl+S) writes it into the
/// file, and the file opened again in a new window draws the overlay.
#[test]
fn the_evidence_overlay_is_a_view_menu_toggle_saved_with_the_view() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("case.sqlite");
    std::fs::copy(sample_path(), &path).unwrap();
    let mut harness = app_harness(path.clone(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the sample to load", |app| {
        app.graph().is_some()
    });
    let mode = |harness: &egui_kittest::Harness<'_, linkscope::app::LinkscopeApp>| {
        harness.state().scene().unwrap().evidence_mode
    };
    assert_eq!(mode(&harness), EvidenceMode::Quiet);
    assert!(!harness.state().view_state().unwrap().evidence_overlay);
    for expected in [
        EvidenceMode::Overlay,
        EvidenceMode::Quiet,
        EvidenceMode::Overlay,
    ] {
        harness.get_by_label("View").click();
        harness.run_steps(2);
        harness.get_by_label("Evidence Overlay").click();
        harness.run_steps(2);
        assert_eq!(mode(&harness), expected);
        assert_eq!(
            harness.state().view_state().unwrap().evidence_overlay,
            expected == EvidenceMode::Overlay
        );
        // Open menus close on Escape.
        harness.key_press(egui::Key::Escape);
        harness.run_steps(2);
    }
    assert!(harness.state().has_unsaved_changes());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    step_until(&mut harness, "the save", |app| {
        !app.is_saving() && !app.has_unsaved_changes()
    });
    drop(harness);

    let mut reopened = app_harness(path, egui::vec2(1000.0, 700.0));
    step_until(&mut reopened, "the saved file to load", |app| {
        app.graph().is_some()
    });
    assert_eq!(mode(&reopened), EvidenceMode::Overlay);
    assert!(reopened.state().view_state().unwrap().evidence_overlay);
    assert!(!reopened.state().has_unsaved_changes());
}

#[test]
fn a_file_without_evidence_says_so_in_the_status_bar_and_offers_no_overlay() {
    let mut harness = app_harness(no_evidence_path(), egui::vec2(1000.0, 700.0));
    step_until(&mut harness, "the file to load", |app| {
        app.graph().is_some()
    });
    harness.get_by_label_contains("no evidence (no documents)");
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Evidence Overlay").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().scene().unwrap().evidence_mode,
        EvidenceMode::NoEvidence
    );
    assert!(!harness.state().has_unsaved_changes());
}
