//! GPU renderer tests: draw small graphs through `egui_wgpu`'s paint callback in
//! a headless kittest harness (lavapipe in CI: `WGPU_BACKEND=vulkan`) and
//! check the picture, and that the CPU geometry helpers agree with the pixels.

use std::sync::{Arc, Mutex};

use egui::{Color32, Rect, pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::wgpu::{WgpuTestRenderer, create_render_state, default_wgpu_setup};
use linkscope::view::gpu::{
    Camera, EDGE_ARROW, EDGE_DASHED, EdgeInstance, GraphFrame, NodeShape, NodeStyle, RenderQuality,
    color_to_u32, edge_point, install, is_supported, paint_graph,
};

const BACKGROUND: Color32 = Color32::from_rgb(24, 26, 32);

/// A wgpu test renderer whose render state has the graph pipelines installed.
fn renderer() -> WgpuTestRenderer {
    let render_state = create_render_state(
        default_wgpu_setup(),
        egui_wgpu::RendererOptions::PREDICTABLE,
    );
    assert!(
        is_supported(&render_state),
        "lavapipe supports vertex storage"
    );
    install(&render_state);
    WgpuTestRenderer::from_render_state(render_state)
}

fn node(radius: f32, fill: Color32, shape: NodeShape) -> NodeStyle {
    NodeStyle {
        radius,
        fill: color_to_u32(fill),
        outline: color_to_u32(Color32::from_gray(235)),
        shape: shape as u32,
    }
}

fn edge(
    source: u32,
    target: u32,
    bend: f32,
    width_px: f32,
    color: Color32,
    flags: u32,
) -> EdgeInstance {
    EdgeInstance {
        source,
        target,
        bend,
        width_px,
        color: color_to_u32(color),
        flags,
    }
}

/// Builds a harness that paints the shared `frame` into `canvas` (tests change
/// it between frames).
fn shared_harness(
    size: egui::Vec2,
    canvas: Rect,
    frame: Arc<Mutex<GraphFrame>>,
) -> Harness<'static> {
    Harness::builder()
        .with_size(size)
        .renderer(renderer())
        .build_ui(move |ui| {
            let painter = ui
                .ctx()
                .layer_painter(egui::LayerId::new(
                    egui::Order::Foreground,
                    egui::Id::unique("graph"),
                ))
                .with_clip_rect(canvas);
            painter.rect_filled(canvas, 0.0, BACKGROUND);
            let frame = frame.lock().expect("frame lock").clone();
            paint_graph(&painter, canvas, frame);
        })
}

/// Builds a harness that paints `frame` into `canvas`, a sub-rect of the
/// window (so the callback's viewport offset is exercised).
fn harness(
    size: egui::Vec2,
    pixels_per_point: f32,
    canvas: Rect,
    frame: GraphFrame,
) -> Harness<'static> {
    Harness::builder()
        .with_size(size)
        .with_pixels_per_point(pixels_per_point)
        .renderer(renderer())
        .build_ui(move |ui| {
            let painter = ui.ctx().layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("graph"),
            ));
            let painter = painter.with_clip_rect(canvas);
            painter.rect_filled(canvas, 0.0, BACKGROUND);
            paint_graph(&painter, canvas, frame.clone());
        })
}

/// Six nodes of all four shapes with straight, parallel curved, self-loop,
/// dashed and arrowed edges, plus an overlay highlight.
fn scene() -> GraphFrame {
    let blue = Color32::from_rgb(70, 130, 230);
    let green = Color32::from_rgb(80, 190, 120);
    let orange = Color32::from_rgb(235, 150, 50);
    let purple = Color32::from_rgb(160, 100, 220);
    let grey = Color32::from_gray(150);
    let red = Color32::from_rgb(220, 70, 70);
    let edge_color = Color32::from_gray(170);
    let positions = vec![
        [-120.0, -60.0],
        [0.0, -70.0],
        [120.0, -50.0],
        [-100.0, 60.0],
        [20.0, 70.0],
        [120.0, 60.0],
    ];
    let node_styles = vec![
        node(14.0, blue, NodeShape::Circle),
        node(14.0, green, NodeShape::RoundedSquare),
        node(14.0, orange, NodeShape::Diamond),
        node(14.0, purple, NodeShape::Triangle),
        node(10.0, grey, NodeShape::Circle),
        node(12.0, red, NodeShape::Circle),
    ];
    let edges = vec![
        edge(0, 1, 0.0, 1.5, edge_color, EDGE_ARROW),
        // Parallel pair: straight and curved.
        edge(0, 3, 0.0, 1.5, edge_color, EDGE_ARROW),
        edge(0, 3, 30.0, 1.5, edge_color, EDGE_ARROW),
        edge(3, 4, 0.0, 1.5, edge_color, EDGE_ARROW | EDGE_DASHED),
        edge(4, 5, 0.0, 3.0, edge_color, EDGE_ARROW),
        edge(1, 4, -40.0, 2.0, Color32::from_rgb(90, 160, 200), 0),
        edge(2, 5, -25.0, 1.5, edge_color, EDGE_DASHED),
        // Two self-loops on one node.
        edge(5, 5, 0.0, 1.5, edge_color, EDGE_ARROW),
        edge(5, 5, 8.0, 1.5, edge_color, EDGE_ARROW),
        edge(1, 2, 0.0, 1.0, edge_color, 0),
    ];
    let highlight = Color32::from_rgb(255, 210, 60);
    GraphFrame {
        positions: Arc::new(positions),
        positions_generation: 1,
        node_styles: Arc::new(node_styles),
        edges: Arc::new(edges),
        styles_generation: 1,
        overlay_edges: Arc::new(vec![edge(1, 2, 0.0, 3.0, highlight, EDGE_ARROW)]),
        overlay_nodes: Arc::new(vec![(
            2,
            NodeStyle {
                outline: color_to_u32(highlight),
                ..node(16.0, orange, NodeShape::Diamond)
            },
        )]),
        camera: Camera {
            center_world: [0.0, 0.0],
            zoom: 1.0,
        },
        background_dim: false,
        edge_alpha: 1.0,
        background: None,
        quality: RenderQuality::Full,
    }
}

#[test]
fn gpu_graph_scene_snapshot() {
    let canvas = Rect::from_min_size(pos2(20.0, 25.0), vec2(360.0, 260.0));
    let mut harness = harness(vec2(400.0, 300.0), 1.0, canvas, scene());
    harness.snapshot("gpu_graph_scene");
}

/// An empty graph after a full one draws nothing: the renderer must not keep
/// drawing the previous graph's instances from its buffers.
#[test]
fn an_empty_graph_after_a_full_one_draws_nothing() {
    let canvas = Rect::from_min_size(pos2(10.0, 10.0), vec2(100.0, 80.0));
    let fill = Color32::from_rgb(240, 200, 40);
    let edge_color = Color32::from_rgb(40, 220, 240);
    let frame = Arc::new(Mutex::new(GraphFrame {
        positions: Arc::new(vec![[-20.0, 0.0], [20.0, 0.0]]),
        positions_generation: 1,
        node_styles: Arc::new(vec![node(8.0, fill, NodeShape::Circle); 2]),
        edges: Arc::new(vec![edge(0, 1, 0.0, 4.0, edge_color, 0)]),
        styles_generation: 1,
        overlay_edges: Arc::new(Vec::new()),
        overlay_nodes: Arc::new(Vec::new()),
        camera: Camera {
            center_world: [0.0, 0.0],
            zoom: 1.0,
        },
        background_dim: false,
        edge_alpha: 1.0,
        background: None,
        quality: RenderQuality::Full,
    }));
    let mut harness = shared_harness(vec2(120.0, 100.0), canvas, Arc::clone(&frame));
    let camera = frame.lock().expect("frame lock").camera;
    let node_at = camera.screen_from_world(canvas, [-20.0, 0.0]);
    let edge_at = camera.screen_from_world(canvas, [0.0, 0.0]);
    harness.step();
    let image = harness.render().expect("render");
    assert!(
        close_to(pixel(&image, node_at.x, node_at.y), fill, 10),
        "the node is drawn first"
    );
    assert!(
        close_to(pixel(&image, edge_at.x, edge_at.y), edge_color, 40),
        "and the edge"
    );
    {
        let mut f = frame.lock().expect("frame lock");
        f.positions = Arc::new(Vec::new());
        f.positions_generation = 2;
        f.node_styles = Arc::new(Vec::new());
        f.edges = Arc::new(Vec::new());
        f.styles_generation = 2;
    }
    harness.step();
    let image = harness.render().expect("render");
    for (x, y) in [(node_at.x, node_at.y), (edge_at.x, edge_at.y)] {
        assert!(
            close_to(pixel(&image, x, y), BACKGROUND, 2),
            "nothing is left at ({x}, {y}): {:?}",
            pixel(&image, x, y)
        );
    }
}

fn pixel(image: &image::RgbaImage, x: f32, y: f32) -> [u8; 4] {
    image.get_pixel(x as u32, y as u32).0
}

fn close_to(actual: [u8; 4], expected: Color32, tolerance: u8) -> bool {
    actual
        .iter()
        .zip(expected.to_array())
        .all(|(a, e)| a.abs_diff(e) <= tolerance)
}

/// The helpers the CPU hit-testing uses must agree with what the GPU draws,
/// under a non-trivial camera, a canvas offset and 2 pixels per point.
#[test]
fn geometry_helpers_match_pixels() {
    let ppp = 2.0;
    let canvas = Rect::from_min_size(pos2(15.0, 10.0), vec2(170.0, 130.0));
    let curve_color = Color32::from_rgb(240, 40, 40);
    let line_color = Color32::from_rgb(40, 240, 40);
    let fill = Color32::from_rgb(40, 40, 240);
    let positions = vec![[-30.0, 10.0], [30.0, 10.0], [-30.0, 40.0], [30.0, 40.0]];
    let bend = 25.0;
    let frame = GraphFrame {
        positions: Arc::new(positions.clone()),
        positions_generation: 1,
        node_styles: Arc::new(vec![node(6.0, fill, NodeShape::Circle); 4]),
        edges: Arc::new(vec![
            edge(0, 1, bend, 3.0, curve_color, 0),
            edge(2, 3, 0.0, 3.0, line_color, EDGE_ARROW),
        ]),
        styles_generation: 1,
        overlay_edges: Arc::new(Vec::new()),
        overlay_nodes: Arc::new(Vec::new()),
        camera: Camera {
            center_world: [2.0, 20.0],
            zoom: 1.5,
        },
        background_dim: false,
        edge_alpha: 1.0,
        background: None,
        quality: RenderQuality::Full,
    };
    let camera = frame.camera;
    let mut harness = harness(vec2(200.0, 150.0), ppp, canvas, frame);
    let image = harness.render().expect("render");
    let at = |world: [f32; 2]| {
        let p = camera.screen_from_world(canvas, world);
        pixel(&image, p.x * ppp, p.y * ppp)
    };

    // The middle of the curved edge is on the curve; 8 points to either side is not.
    let mid = edge_point(positions[0], positions[1], bend, 0.5);
    assert!(
        close_to(at(mid), curve_color, 40),
        "curve midpoint: {:?}",
        at(mid)
    );
    let off = 8.0 / camera.zoom;
    assert!(
        close_to(at([mid[0], mid[1] - off]), BACKGROUND, 2),
        "beyond the curve"
    );
    assert!(
        close_to(at([mid[0], mid[1] + off]), BACKGROUND, 2),
        "inside the curve"
    );
    // The chord midpoint is not on a curved edge.
    assert!(close_to(at([0.0, 10.0]), BACKGROUND, 2), "chord midpoint");

    // Straight edge: midpoint on it; node centres filled.
    let straight_mid = edge_point(positions[2], positions[3], 0.0, 0.5);
    assert!(
        close_to(at(straight_mid), line_color, 40),
        "straight midpoint: {:?}",
        at(straight_mid)
    );
    assert!(
        close_to(at(positions[0]), fill, 10),
        "node centre: {:?}",
        at(positions[0])
    );

    // The arrowhead tip touches the target node: just outside its boundary
    // (radius 6 world units = 9 points) on the incoming side is edge-coloured.
    let tip_side = [positions[3][0] - 6.0 - 2.0 / camera.zoom, positions[3][1]];
    assert!(
        close_to(at(tip_side), line_color, 60),
        "arrow tip: {:?}",
        at(tip_side)
    );

    // Nothing is drawn outside the canvas.
    assert_ne!(pixel(&image, 5.0, 5.0), line_color.to_array());
}

/// Positions re-upload when their generation changes, buffers grow past their
/// initial size, and `background_dim` fades the non-overlay graph.
#[test]
fn frames_update_positions_styles_and_dimming() {
    let canvas = Rect::from_min_size(pos2(0.0, 0.0), vec2(160.0, 120.0));
    let fill = Color32::from_rgb(240, 200, 40);
    let style = node(5.0, fill, NodeShape::Circle);
    let frame = Arc::new(Mutex::new(GraphFrame {
        positions: Arc::new(vec![[-40.0, 0.0]]),
        positions_generation: 1,
        node_styles: Arc::new(vec![style]),
        edges: Arc::new(Vec::new()),
        styles_generation: 1,
        overlay_edges: Arc::new(Vec::new()),
        overlay_nodes: Arc::new(Vec::new()),
        camera: Camera {
            center_world: [0.0, 0.0],
            zoom: 1.0,
        },
        background_dim: false,
        edge_alpha: 1.0,
        background: None,
        quality: RenderQuality::Full,
    }));
    let mut harness = shared_harness(vec2(160.0, 120.0), canvas, Arc::clone(&frame));
    let camera = frame.lock().expect("frame lock").camera;
    let sample = |harness: &mut Harness<'static>, world: [f32; 2]| {
        harness.step();
        let image = harness.render().expect("render");
        let p = camera.screen_from_world(canvas, world);
        pixel(&image, p.x, p.y)
    };
    assert!(close_to(sample(&mut harness, [-40.0, 0.0]), fill, 10));

    // Move the node: only the positions generation changes.
    {
        let mut f = frame.lock().expect("frame lock");
        f.positions = Arc::new(vec![[40.0, 0.0]]);
        f.positions_generation = 2;
    }
    assert!(
        close_to(sample(&mut harness, [-40.0, 0.0]), BACKGROUND, 2),
        "old place cleared"
    );
    assert!(
        close_to(sample(&mut harness, [40.0, 0.0]), fill, 10),
        "drawn at new place"
    );

    // Grow to 400 nodes with edges (past every buffer's initial capacity).
    let grid: Vec<[f32; 2]> = (0..400)
        .map(|i| [(i % 20) as f32 * 7.0 - 70.0, (i / 20) as f32 * 5.0 - 50.0])
        .collect();
    let last = *grid.last().expect("grid");
    {
        let mut f = frame.lock().expect("frame lock");
        f.positions = Arc::new(grid);
        f.positions_generation = 3;
        f.node_styles = Arc::new(vec![node(1.5, fill, NodeShape::Circle); 400]);
        f.edges = Arc::new(
            (0..399)
                .map(|i| edge(i, i + 1, 0.0, 0.5, Color32::GRAY, 0))
                .collect(),
        );
        f.styles_generation = 2;
    }
    assert!(
        close_to(sample(&mut harness, last), fill, 10),
        "last grid node drawn"
    );

    // Dimmed: the same node is drawn at a quarter of its alpha.
    frame.lock().expect("frame lock").background_dim = true;
    let dimmed = sample(&mut harness, last);
    assert!(
        dimmed[0] < 120 && dimmed[0] > BACKGROUND.r(),
        "dimmed: {dimmed:?}"
    );
}
