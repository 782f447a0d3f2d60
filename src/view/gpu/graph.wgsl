// Graph renderer: shared declarations and SDF-shaped nodes; the edges are in
// edges.wgsl, which the Rust side appends to this file.
//
// All geometry is computed in framebuffer pixels (x right, y down) so it can be
// compared directly with `@builtin(position)` in the fragment shaders; the
// paint callback sets the viewport to the whole framebuffer and egui's scissor
// rectangle clips to the canvas.
//
// `SEGMENTS` (vertices per curved edge = 6 * SEGMENTS + 3), the edge flags,
// the minimum node radius, the shape extent and the self-loop proportions are
// prepended by the Rust side (`shader_prelude`), so the draw calls, the
// hit-testing geometry and the shader can never disagree on them.

struct Uniforms {
    screen_size_px: vec2<f32>,
    // Canvas centre in framebuffer pixels: where `camera_world` lands.
    center_px: vec2<f32>,
    camera_world: vec2<f32>,
    px_per_world: f32,
    pixels_per_point: f32,
    // Visible part of the canvas in framebuffer pixels; geometry outside is culled.
    cull_min: vec2<f32>,
    cull_max: vec2<f32>,
    // Alpha multiplier of the non-overlay passes (fades the background when
    // something is highlighted).
    dim_alpha: f32,
    // 1 when the render target is sRGB-aware and expects linear colours.
    linear_output: u32,
    // Alpha multiplier of the non-overlay edges, from their density on
    // screen (GraphFrame::edge_alpha, computed on the CPU).
    edge_alpha: f32,
    _pad: f32,
}

struct NodeStyle {
    radius: f32,
    fill: u32,
    outline: u32,
    shape: u32,
}

struct EdgeInstance {
    source_node: u32,
    target_node: u32,
    bend: f32,
    width_px: f32,
    color: u32,
    flags: u32,
}

struct OverlayNode {
    index: u32,
    style: NodeStyle,
}

@group(0) @binding(0) var<uniform> u: Uniforms;
@group(0) @binding(1) var<storage, read> positions: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> styles: array<NodeStyle>;
@group(1) @binding(0) var<storage, read> edges: array<EdgeInstance>;
@group(1) @binding(1) var<storage, read> overlay_nodes: array<OverlayNode>;

// Fragment "kind" bits.
const KIND_ARROW: u32 = 1u;
const KIND_DASHED: u32 = 2u;

// Shapes (NodeShape in Rust): 0 circle, 1 rounded square, 2 diamond, 3 triangle.
// Their proportions, the outline, dash and arrowhead sizes, the curve
// tessellation and the anti-aliasing fringe come from Rust (`look` in mod.rs).
const DIAMOND_HALF_DIAGONAL: f32 = SHAPE_EXTENT;

const PI: f32 = 3.14159265;
const TAU: f32 = 6.28318531;

// ---------------------------------------------------------------- helpers --

fn to_px(world: vec2<f32>) -> vec2<f32> {
    return u.center_px + (world - u.camera_world) * u.px_per_world;
}

fn to_clip(px: vec2<f32>) -> vec4<f32> {
    let ndc = vec2<f32>(px.x / u.screen_size_px.x * 2.0 - 1.0, 1.0 - px.y / u.screen_size_px.y * 2.0);
    return vec4<f32>(ndc, 0.0, 1.0);
}

// A point outside the clip volume: all vertices of a culled primitive collapse
// onto it, so the rasteriser discards the zero-area triangles.
const CULLED: vec4<f32> = vec4<f32>(2.0, 2.0, 2.0, 1.0);

fn node_radius_px(radius_world: f32) -> f32 {
    return max(radius_world * u.px_per_world, MIN_NODE_RADIUS_PT * u.pixels_per_point);
}

fn box_visible(lo: vec2<f32>, hi: vec2<f32>) -> bool {
    return all(hi >= u.cull_min) && all(lo <= u.cull_max);
}

fn perp(v: vec2<f32>) -> vec2<f32> {
    return vec2<f32>(-v.y, v.x);
}

fn safe_normalize(v: vec2<f32>) -> vec2<f32> {
    let len = length(v);
    if len < 1e-6 {
        return vec2<f32>(1.0, 0.0);
    }
    return v / len;
}

// Signed distance (pixels, negative inside) to a node shape of radius `r`.
fn shape_sdf(shape: u32, r: f32, p: vec2<f32>) -> f32 {
    switch shape {
        case 1u: {
            let corner = SQUARE_CORNER * r;
            let q = abs(p) - vec2<f32>(SQUARE_HALF * r - corner);
            return length(max(q, vec2<f32>(0.0))) + min(max(q.x, q.y), 0.0) - corner;
        }
        case 2u: {
            let a = abs(p);
            return (a.x + a.y - DIAMOND_HALF_DIAGONAL * r) * 0.70710678;
        }
        case 3u: {
            // Point up (screen y grows down): the farthest of the three sides.
            return max(p.y, 0.866025404 * abs(p.x) - 0.5 * p.y) - TRIANGLE_INRADIUS * r;
        }
        default: {
            return length(p) - r;
        }
    }
}

// Distance from a node's centre to its boundary along unit direction `dir`
// (rounded-square corners are treated as sharp: off by < 0.1 r).
fn boundary_distance(shape: u32, r: f32, dir: vec2<f32>) -> f32 {
    let a = abs(dir);
    switch shape {
        case 1u: {
            return SQUARE_HALF * r / max(max(a.x, a.y), 1e-4);
        }
        case 2u: {
            return DIAMOND_HALF_DIAGONAL * r / max(a.x + a.y, 1e-4);
        }
        case 3u: {
            return TRIANGLE_INRADIUS * r / max(max(dir.y, 0.866025404 * a.x - 0.5 * dir.y), 1e-4);
        }
        default: {
            return r;
        }
    }
}

fn color_out(premultiplied: vec4<f32>) -> vec4<f32> {
    if u.linear_output == 1u {
        let c = premultiplied.rgb;
        let lower = c / 12.92;
        let higher = pow((c + vec3<f32>(0.055)) / 1.055, vec3<f32>(2.4));
        return vec4<f32>(select(higher, lower, c < vec3<f32>(0.04045)), premultiplied.a);
    }
    return premultiplied;
}

// ------------------------------------------------------------------ nodes --

struct NodeOut {
    @builtin(position) position: vec4<f32>,
    // Pixels from the node centre.
    @location(0) local: vec2<f32>,
    @location(1) @interpolate(flat) radius: f32,
    @location(2) @interpolate(flat) shape: u32,
    @location(3) @interpolate(flat) fill: u32,
    @location(4) @interpolate(flat) outline: u32,
    @location(5) @interpolate(flat) outline_width: f32,
    @location(6) @interpolate(flat) alpha: f32,
}

fn node_vertex(world: vec2<f32>, style: NodeStyle, vertex: u32, alpha: f32) -> NodeOut {
    var out: NodeOut;
    let center = to_px(world);
    let radius = node_radius_px(style.radius);
    let extent = radius * SHAPE_EXTENT + AA_PX;
    out.radius = radius;
    out.shape = style.shape;
    out.fill = style.fill;
    out.outline = style.outline;
    // Tiny nodes keep some fill: the outline takes at most a third of the radius.
    out.outline_width = min(OUTLINE_PT * u.pixels_per_point, radius * 0.35);
    out.alpha = alpha;
    let hidden = (style.fill >> 24u) == 0u && (style.outline >> 24u) == 0u;
    if hidden || !box_visible(center - vec2<f32>(extent), center + vec2<f32>(extent)) {
        out.position = CULLED;
        out.local = vec2<f32>(0.0);
        return out;
    }
    var corners = array<vec2<f32>, 6>(
        vec2<f32>(-1.0, -1.0), vec2<f32>(1.0, -1.0), vec2<f32>(-1.0, 1.0),
        vec2<f32>(-1.0, 1.0), vec2<f32>(1.0, -1.0), vec2<f32>(1.0, 1.0),
    );
    let corner = corners[vertex % 6u];
    out.local = corner * extent;
    out.position = to_clip(center + out.local);
    return out;
}

@vertex
fn vs_node(@builtin(vertex_index) vertex: u32, @builtin(instance_index) instance: u32) -> NodeOut {
    return node_vertex(positions[instance], styles[instance], vertex, u.dim_alpha);
}

@vertex
fn vs_overlay_node(@builtin(vertex_index) vertex: u32, @builtin(instance_index) instance: u32) -> NodeOut {
    let o = overlay_nodes[instance];
    return node_vertex(positions[o.index], o.style, vertex, 1.0);
}

@fragment
fn fs_node(in: NodeOut) -> @location(0) vec4<f32> {
    let d = shape_sdf(in.shape, in.radius, in.local);
    let coverage = clamp(0.5 - d, 0.0, 1.0);
    if coverage <= 0.0 {
        discard;
    }
    // 1 inside the fill, 0 on the outline ring (which lies inside the boundary).
    let inner = clamp(0.5 - (d + in.outline_width), 0.0, 1.0);
    let color = mix(unpack4x8unorm(in.outline), unpack4x8unorm(in.fill), inner);
    return color_out(color * (coverage * in.alpha));
}

// ------------------------------------------- geometry shared with the CPU --
// These mirror `edge_control_point` and `self_loop_circle` in mod.rs; the
// integration tests check that pixels land where the Rust versions say.

fn edge_control_point(a: vec2<f32>, b: vec2<f32>, bend: f32) -> vec2<f32> {
    let mid = 0.5 * (a + b);
    let d = b - a;
    let len = length(d);
    if len < 1e-6 {
        return mid;
    }
    // Left normal in y-down coordinates.
    return mid + vec2<f32>(d.y, -d.x) / len * bend;
}

// xy = centre, z = radius, all in world units.
fn self_loop_circle(node: vec2<f32>, radius: f32) -> vec3<f32> {
    let offset = LOOP_CENTER_DISTANCE * radius * 0.70710678;
    return vec3<f32>(node + vec2<f32>(offset, -offset), LOOP_RADIUS_FACTOR * radius);
}

