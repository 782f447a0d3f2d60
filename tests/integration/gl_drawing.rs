//! The window on wgpu's OpenGL backend (Mesa's llvmpipe in CI), whose
//! adapter cannot run the graph shaders: the graph is drawn on the CPU
//! (`view::cpu_drawing`) and shown as a texture, so the nodes are on screen
//! where the canvas says they are, and clicks pick what is drawn.

use std::time::{Duration, Instant};

use egui::{Color32, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use egui_kittest::wgpu::{WgpuTestRenderer, create_render_state, default_wgpu_setup};
use egui_wgpu::wgpu;
use image::RgbaImage;
use linkscope::app::{AppOptions, LinkscopeApp};
use linkscope::scene::instances::MIN_NODE_RADIUS_PT;
use linkscope::scene::theme::Theme;
use linkscope::view::gpu::{NodeShape, is_supported};
use linkscope::view::hit::Hit;

use crate::ui::{click_at, sample_path, settled, step_until};

/// The real app on a render state that wgpu made on its GL backend only.
fn gl_harness() -> Harness<'static, LinkscopeApp> {
    let mut setup = default_wgpu_setup();
    if let egui_wgpu::WgpuSetup::CreateNew(create) = &mut setup {
        create.instance_descriptor.backends = wgpu::Backends::GL;
    }
    let render_state = create_render_state(setup, egui_wgpu::RendererOptions::PREDICTABLE);
    let info = render_state.adapter.get_info();
    // Otherwise this test would prove nothing about OpenGL.
    assert_eq!(info.backend, wgpu::Backend::Gl, "{info:?}");
    assert!(
        !is_supported(&render_state),
        "{} runs the graph shaders: the CPU drawing is not exercised",
        info.name
    );
    eprintln!("adapter: {} ({:?})", info.name, info.device_type);
    Harness::builder()
        .with_size(vec2(1000.0, 700.0))
        .renderer(WgpuTestRenderer::from_render_state(render_state))
        .build_eframe(|cc| {
            LinkscopeApp::new(
                cc,
                AppOptions {
                    file: Some(sample_path()),
                    native_dialogs: false,
                    ..AppOptions::default()
                },
            )
        })
}

/// Steps until the CPU picture of the last frame is shown.
fn picture_drawn(harness: &mut Harness<'_, LinkscopeApp>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    // A frame to ask for the picture, then until it is in.
    harness.step();
    while harness.state().cpu_picture_pending() {
        assert!(Instant::now() < deadline, "the CPU picture never came");
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
    harness.step();
}

fn pixel(image: &RgbaImage, at: Pos2) -> Color32 {
    let [r, g, b, a] = image.get_pixel(at.x as u32, at.y as u32).0;
    Color32::from_rgba_premultiplied(r, g, b, a)
}

fn near(a: Color32, b: Color32) -> bool {
    a.to_array()
        .into_iter()
        .zip(b.to_array())
        .all(|(x, y)| x.abs_diff(y) <= 12)
}

/// The nodes whose centre pixel has their own fill colour.
fn nodes_drawn(harness: &mut Harness<'_, LinkscopeApp>) -> (Vec<u32>, usize) {
    let image = harness.render().expect("the GL renderer draws the frame");
    let app = harness.state();
    let styles = &app.scene().unwrap().node_styles;
    let drawn = (0..styles.len() as u32)
        .filter(|&node| {
            let [r, g, b, a] = styles[node as usize].fill.to_le_bytes();
            let fill = Color32::from_rgba_premultiplied(r, g, b, a);
            app.node_on_screen(node)
                .is_some_and(|at| near(pixel(&image, at), fill))
        })
        .collect();
    (drawn, styles.len())
}

/// Pixels of the selection's outline colour on the upper half of a ring
/// around `node` (its label hangs below it).
fn selection_outline_pixels(harness: &mut Harness<'_, LinkscopeApp>, node: u32) -> usize {
    let image = harness.render().expect("the GL renderer draws the frame");
    let app = harness.state();
    let center = app.node_on_screen(node).unwrap();
    let zoom = app.camera().unwrap().0.zoom;
    let radius = (app.scene().unwrap().node_radius(node) * zoom).max(MIN_NODE_RADIUS_PT);
    let selected = Theme::default().palette().selected;
    let reach = radius + 4.0;
    let mut count = 0;
    for dy in -(reach as i32)..=0 {
        for dx in -(reach as i32)..=reach as i32 {
            let distance = (dx as f32).hypot(dy as f32);
            if distance < radius - 3.0 || distance > reach {
                continue;
            }
            let at = center + vec2(dx as f32, dy as f32);
            if near(pixel(&image, at), selected) {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn on_opengl_the_graph_is_drawn_on_the_cpu_and_clicks_pick_what_is_drawn() {
    let mut harness = gl_harness();
    step_until(&mut harness, "the sample to settle", settled);
    picture_drawn(&mut harness);
    assert!(
        harness.state().cpu_drawing().is_some(),
        "the app draws on the CPU where the shaders cannot run"
    );
    // Said in the status bar; the old "install Vulkan" note is gone.
    harness.get_by_label("CPU drawing");
    assert!(
        harness
            .query_by_label_contains("cannot run Linkscope's graph shaders")
            .is_none()
    );

    let (drawn, total) = nodes_drawn(&mut harness);
    // A centre may lie under another node or a label.
    assert!(
        drawn.len() * 10 >= total * 9,
        "only {} of {total} nodes are drawn where the canvas puts them",
        drawn.len()
    );

    // Click a drawn circle where it is on screen: it is selected, and its
    // highlight is drawn.
    let node = {
        let app = harness.state();
        let styles = &app.scene().unwrap().node_styles;
        *drawn
            .iter()
            .filter(|&&node| styles[node as usize].shape == NodeShape::Circle as u32)
            .max_by(|&&a, &&b| {
                styles[a as usize]
                    .radius
                    .total_cmp(&styles[b as usize].radius)
            })
            .expect("the sample has actors (circles)")
    };
    let before = selection_outline_pixels(&mut harness, node);
    let at = harness.state().node_on_screen(node).unwrap();
    click_at(&mut harness, at);
    assert_eq!(harness.state().selection(), Some(Hit::Node(node)));
    picture_drawn(&mut harness);
    let after = selection_outline_pixels(&mut harness, node);
    assert!(
        after >= before + 10,
        "the selection's outline is not drawn: {before} pixels before, {after} after"
    );
    let (drawn_after, _) = nodes_drawn(&mut harness);
    assert!(drawn_after.contains(&node));
}
