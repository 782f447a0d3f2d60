// Copies the graph's picture (drawn at the canvas's size, see cache.rs) into
// the window, pixel for pixel, fading it towards the background while
// something is highlighted.

struct CompositeUniforms {
    // The canvas in framebuffer pixels.
    origin_px: vec2<f32>,
    size_px: vec2<f32>,
    screen_size_px: vec2<f32>,
    // 1 = as drawn; less fades the picture towards `background`.
    fade: f32,
    _pad: f32,
    // Premultiplied, in the render target's space (zero when transparent).
    background: vec4<f32>,
}

@group(0) @binding(0) var<uniform> c: CompositeUniforms;
@group(0) @binding(1) var picture: texture_2d<f32>;

@vertex
fn vs_composite(@builtin(vertex_index) vertex: u32) -> @builtin(position) vec4<f32> {
    var corners = array<vec2<f32>, 6>(
        vec2<f32>(0.0, 0.0), vec2<f32>(1.0, 0.0), vec2<f32>(0.0, 1.0),
        vec2<f32>(0.0, 1.0), vec2<f32>(1.0, 0.0), vec2<f32>(1.0, 1.0),
    );
    let px = c.origin_px + corners[vertex] * c.size_px;
    return vec4<f32>(px.x / c.screen_size_px.x * 2.0 - 1.0, 1.0 - px.y / c.screen_size_px.y * 2.0, 0.0, 1.0);
}

@fragment
fn fs_composite(@builtin(position) position: vec4<f32>) -> @location(0) vec4<f32> {
    let texel = vec2<i32>(floor(position.xy - c.origin_px));
    let color = textureLoad(picture, texel, 0);
    return color * c.fade + c.background * (1.0 - c.fade);
}

// The canvas's fill, for small graphs drawn straight into the window.
@fragment
fn fs_background() -> @location(0) vec4<f32> {
    return c.background;
}
