//! The software-rendering path (`RenderQuality::Adaptive`): while the picture
//! moves, edges are one-pixel lines without arrowheads; once it holds still,
//! the full picture is drawn slice by slice and must end up exactly the
//! picture a full-detail frame draws.

use std::sync::Arc;

use egui::{Color32, ColorImage};
use linkscope::view::gpu::offscreen::OffscreenRenderer;
use linkscope::view::gpu::{
    Camera, EDGE_ARROW, EdgeInstance, GraphFrame, NodeShape, NodeStyle, RenderQuality, color_to_u32,
};

const BACKGROUND: Color32 = Color32::from_rgb(24, 26, 32);
const EDGE: Color32 = Color32::from_rgb(200, 200, 200);

/// Two nodes 200 points apart on row 100 of a 300 × 200 canvas, one arrowed
/// edge between them (target on the right).
fn frame(generation: u64, quality: RenderQuality) -> GraphFrame {
    let style = NodeStyle {
        radius: 10.0,
        fill: color_to_u32(Color32::from_rgb(70, 130, 230)),
        outline: color_to_u32(Color32::from_rgb(20, 20, 24)),
        shape: NodeShape::Circle as u32,
    };
    GraphFrame {
        // y = 0.5: the edge runs along the centres of pixel row 100.
        positions: Arc::new(vec![[-100.0, 0.5], [100.0, 0.5]]),
        positions_generation: generation,
        node_styles: Arc::new(vec![style; 2]),
        edges: Arc::new(vec![EdgeInstance {
            source: 0,
            target: 1,
            bend: 0.0,
            width_px: 1.5,
            color: color_to_u32(EDGE),
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
        background: Some(BACKGROUND),
        quality,
    }
}

/// Rows of column `x` that are not background.
fn lit_rows(image: &ColorImage, x: usize) -> Vec<usize> {
    (0..image.size[1])
        .filter(|&y| image.pixels[y * image.size[0] + x] != BACKGROUND)
        .collect()
}

fn renderer() -> OffscreenRenderer {
    OffscreenRenderer::new(300, 200).expect("an adapter (lavapipe in CI)")
}

#[test]
fn moving_pictures_are_thin_lines_and_the_full_one_returns_when_still() {
    let mut renderer = renderer();
    let full = renderer
        .render_image(&frame(1, RenderQuality::Full))
        .unwrap();
    // Full detail: a 1.5 point line, anti-aliased over three rows, and an
    // arrowhead at least 8 points long before the target's boundary (x 240).
    assert_eq!(lit_rows(&full, 150), vec![99, 100, 101]);
    assert!(lit_rows(&full, 235).len() >= 5, "the arrowhead is drawn");

    // The first adaptive frame is a moving one: one pixel row, no arrowhead,
    // and the full picture still owed.
    let moving = renderer
        .render_image(&frame(2, RenderQuality::Adaptive))
        .unwrap();
    assert_eq!(lit_rows(&moving, 150), vec![100]);
    assert_eq!(
        lit_rows(&moving, 235),
        vec![100],
        "no arrowhead while moving"
    );
    assert!(renderer.is_refining());

    // Held still, it becomes the full picture, pixel for pixel.
    let mut frames = 0;
    let settled = loop {
        let image = renderer
            .render_image(&frame(2, RenderQuality::Adaptive))
            .unwrap();
        frames += 1;
        if !renderer.is_refining() {
            break image;
        }
        assert!(frames < 100, "the full picture never completed");
    };
    assert_eq!(settled.size, full.size);
    assert!(
        settled.pixels == full.pixels,
        "the settled picture differs from the full-detail one"
    );
}

/// The frame of `frame` with enough hidden edges added that the renderer
/// keeps a picture instead of drawing straight into the window.
fn big(frame: GraphFrame) -> GraphFrame {
    let mut edges = frame.edges.as_ref().clone();
    let hidden = EdgeInstance {
        color: 0,
        ..edges[0]
    };
    edges.extend(std::iter::repeat_n(
        hidden,
        RenderQuality::ADAPTIVE_MIN_EDGES,
    ));
    GraphFrame {
        edges: Arc::new(edges),
        ..frame
    }
}

/// A frame where nothing changed copies the kept picture: the same pixels,
/// and nothing owed; hidden edges draw nothing.
#[test]
fn a_still_frame_shows_the_kept_picture() {
    let mut renderer = renderer();
    let direct = renderer
        .render_image(&frame(1, RenderQuality::Full))
        .unwrap();
    let first = renderer
        .render_image(&big(frame(2, RenderQuality::Full)))
        .unwrap();
    assert!(
        direct.pixels == first.pixels,
        "kept picture differs from direct drawing"
    );
    let again = renderer
        .render_image(&big(frame(2, RenderQuality::Full)))
        .unwrap();
    assert!(first.pixels == again.pixels);
    assert!(!renderer.is_refining());
    // Moving the nodes redraws: the line follows them to row 120.
    let moved = big(GraphFrame {
        positions: Arc::new(vec![[-100.0, 20.5], [100.0, 20.5]]),
        ..frame(3, RenderQuality::Full)
    });
    let moved = renderer.render_image(&moved).unwrap();
    assert_eq!(lit_rows(&moved, 150), vec![119, 120, 121]);
}
