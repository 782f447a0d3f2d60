// Edge half of the graph shader, appended to graph.wgsl by the Rust side
// (WGSL has no includes): instanced edges as straight quads, tessellated
// quadratic Béziers or self-loop arcs, trimmed to the node boundaries, with
// SDF arrowheads and screen-space dashes.

// One drawable edge path: kind 0 = segment a->b (t in [0,1]); kind 1 =
// quadratic Bézier a,b(control),c; kind 2 = circular arc around a with radius
// b.x (t = angle). The visible part is t0..t1.
struct Path {
    kind: u32,
    a: vec2<f32>,
    b: vec2<f32>,
    c: vec2<f32>,
    t0: f32,
    t1: f32,
}

fn path_point(p: Path, t: f32) -> vec2<f32> {
    switch p.kind {
        case 1u: {
            let s = 1.0 - t;
            return s * s * p.a + 2.0 * s * t * p.b + t * t * p.c;
        }
        case 2u: {
            return p.a + p.b.x * vec2<f32>(cos(t), sin(t));
        }
        default: {
            return mix(p.a, p.b, t);
        }
    }
}

// Derivative with respect to t (not normalised).
fn path_derivative(p: Path, t: f32) -> vec2<f32> {
    switch p.kind {
        case 1u: {
            return 2.0 * (1.0 - t) * (p.b - p.a) + 2.0 * t * (p.c - p.b);
        }
        case 2u: {
            return p.b.x * vec2<f32>(-sin(t), cos(t));
        }
        default: {
            return p.b - p.a;
        }
    }
}

// Parameter where the Bézier leaves the source shape (searching from 0) or
// enters the target shape (searching from 1), by bisection on the shape SDF.
fn bezier_exit(p: Path, center: vec2<f32>, shape: u32, r: f32, from_end: bool) -> f32 {
    var inside = select(0.0, 1.0, from_end);
    var outside = 0.5;
    for (var i = 0; i < 10; i++) {
        let mid = 0.5 * (inside + outside);
        if shape_sdf(shape, r, path_point(p, mid) - center) < 0.0 {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    return outside;
}

// Length in pixels of the arrowhead of an edge `width` pixels wide pointing
// at a node drawn `target_radius` pixels wide, or 0 where it would be too
// small to read. Mirrors `edge_style::arrow_length_px` in Rust: as long as
// the line is wide (8 points at least), but never longer than
// ARROW_MAX_PER_RADIUS of the target's radius, and gone below
// ARROW_MIN_LEN_PT.
fn arrow_length_px(width: f32, target_radius: f32) -> f32 {
    let wanted = max(ARROW_BASE_LEN_PT * u.pixels_per_point, ARROW_LEN_PER_WIDTH * width);
    let len = min(wanted, ARROW_MAX_PER_RADIUS * target_radius);
    return select(len, 0.0, len < ARROW_MIN_LEN_PT * u.pixels_per_point);
}

struct EdgeOut {
    @builtin(position) position: vec4<f32>,
    @location(0) across: f32,
    @location(1) arc: f32,
    @location(2) @interpolate(flat) half_width: f32,
    @location(3) @interpolate(flat) color: u32,
    @location(4) @interpolate(flat) kind: u32,
    @location(5) @interpolate(flat) alpha: f32,
    @location(6) @interpolate(flat) tri_a: vec2<f32>,
    @location(7) @interpolate(flat) tri_b: vec2<f32>,
    @location(8) @interpolate(flat) tri_c: vec2<f32>,
}

fn culled_edge() -> EdgeOut {
    var out: EdgeOut;
    out.position = CULLED;
    out.across = 0.0;
    out.arc = 0.0;
    out.half_width = 0.0;
    out.color = 0u;
    out.kind = 0u;
    out.alpha = 0.0;
    out.tri_a = vec2<f32>(0.0);
    out.tri_b = vec2<f32>(0.0);
    out.tri_c = vec2<f32>(0.0);
    return out;
}

fn edge_vertex(e: EdgeInstance, vertex: u32, alpha: f32) -> EdgeOut {
    let is_loop = e.source_node == e.target_node;
    let curved = is_loop || e.bend != 0.0;
    let segments = select(1u, SEGMENTS, curved);
    let quad_vertices = 6u * segments;
    // Hidden edges (alpha 0) are not drawn at all.
    if (vertex >= quad_vertices && (e.flags & EDGE_ARROW) == 0u) || (e.color >> 24u) == 0u {
        return culled_edge();
    }

    let src_w = positions[e.source_node];
    let dst_w = positions[e.target_node];
    let src_style = styles[e.source_node];
    let dst_style = styles[e.target_node];
    let src = to_px(src_w);
    let dst = to_px(dst_w);
    let rs = node_radius_px(src_style.radius);
    let rt = node_radius_px(dst_style.radius);

    // Lines thinner than a pixel are drawn one pixel wide and faded instead.
    let width = e.width_px * u.pixels_per_point;
    let half_width = 0.5 * max(width, 1.0);
    let width_alpha = clamp(width, 0.0, 1.0);
    let arrow_len = select(0.0, arrow_length_px(width, rt), (e.flags & EDGE_ARROW) != 0u);
    if vertex >= quad_vertices && arrow_len <= 0.0 {
        return culled_edge(); // too small to read: no arrowhead
    }

    // Cheap conservative bounding box first, so off-screen edges cost nothing more.
    var path: Path;
    var lo: vec2<f32>;
    var hi: vec2<f32>;
    if is_loop {
        let circle = self_loop_circle(src_w, src_style.radius + abs(e.bend));
        let center = to_px(circle.xy);
        let rho = circle.z * u.px_per_world;
        path.kind = 2u;
        path.a = center;
        path.b = vec2<f32>(rho, 0.0);
        lo = center - vec2<f32>(rho);
        hi = center + vec2<f32>(rho);
    } else if curved {
        path.kind = 1u;
        path.a = src;
        path.b = to_px(edge_control_point(src_w, dst_w, e.bend));
        path.c = dst;
        lo = min(min(src, dst), path.b);
        hi = max(max(src, dst), path.b);
    } else {
        path.kind = 0u;
        lo = min(src, dst);
        hi = max(src, dst);
    }
    let pad = vec2<f32>(half_width + arrow_len + AA_PX);
    if !box_visible(lo - pad, hi + pad) {
        return culled_edge();
    }

    // Short curves need few segments: the rest of the instance's vertices
    // collapse here, before the costly trimming below.
    var used_segments = segments;
    if curved {
        let extent = select(distance(path.a, path.b) + distance(path.b, path.c), TAU * path.b.x, is_loop);
        used_segments = clamp(u32(ceil(extent / CURVE_PX_PER_SEGMENT)), 2u, SEGMENTS);
    }
    if vertex < quad_vertices && vertex / 6u >= used_segments {
        return culled_edge();
    }

    // Trim both ends to the node boundaries (overlay edges are drawn above
    // nodes, so they must not cross them) and find the arrow tip and tangent.
    var tip: vec2<f32>;
    var tip_dir: vec2<f32>;
    if path.kind == 0u {
        let dir = safe_normalize(dst - src);
        let start = src + dir * boundary_distance(src_style.shape, rs, dir);
        tip = dst - dir * boundary_distance(dst_style.shape, rt, -dir);
        tip_dir = dir;
        let end = tip - dir * (arrow_len * ARROW_OVERLAP);
        if dot(end - start, dir) <= 0.0 {
            return culled_edge(); // nodes overlap: nothing visible between them
        }
        path.a = start;
        path.b = end;
        path.t0 = 0.0;
        path.t1 = 1.0;
    } else if path.kind == 1u {
        path.t0 = bezier_exit(path, src, src_style.shape, rs, false);
        let t_tip = bezier_exit(path, dst, dst_style.shape, rt, true);
        let speed = max(length(path_derivative(path, t_tip)), 1e-3);
        tip = path_point(path, t_tip);
        // Aim the arrow along the chord it spans rather than the tangent at
        // the tip, so it sits on tight curves instead of sticking out.
        tip_dir = safe_normalize(tip - path_point(path, max(path.t0, t_tip - arrow_len / speed)));
        path.t1 = max(path.t0, t_tip - arrow_len * ARROW_OVERLAP / speed);
    } else {
        // The loop leaves and re-enters the node where the two circles cross;
        // draw the arc outside the node, clockwise on screen.
        let rho = path.b.x;
        let to_node = src - path.a;
        let d = max(length(to_node), 1e-3);
        let cos_alpha = clamp((d * d + rho * rho - rs * rs) / (2.0 * d * rho), -1.0, 1.0);
        let alpha_angle = acos(cos_alpha);
        let beta = atan2(to_node.y, to_node.x);
        path.t0 = beta + alpha_angle;
        let t_tip = beta + TAU - alpha_angle;
        tip = path_point(path, t_tip);
        tip_dir = safe_normalize(tip - path_point(path, max(path.t0, t_tip - arrow_len / max(rho, 1e-3))));
        path.t1 = max(path.t0, t_tip - arrow_len * ARROW_OVERLAP / max(rho, 1e-3));
        if rho < 0.5 || alpha_angle >= PI {
            return culled_edge();
        }
    }

    var out: EdgeOut;
    out.color = e.color;
    out.alpha = alpha * width_alpha;
    out.half_width = half_width;
    out.kind = select(0u, KIND_DASHED, (e.flags & EDGE_DASHED) != 0u);
    out.tri_a = vec2<f32>(0.0);
    out.tri_b = vec2<f32>(0.0);
    out.tri_c = vec2<f32>(0.0);

    if vertex >= quad_vertices {
        // Arrowhead: a triangle grown about its centroid so the anti-aliased
        // fringe fits; the fragment shader cuts it back with an exact SDF.
        let side = perp(tip_dir) * (ARROW_HALF_WIDTH * arrow_len);
        let base = tip - tip_dir * arrow_len;
        let a = tip;
        let b = base + side;
        let c = base - side;
        let centroid = (a + b + c) / 3.0;
        let side_height = 2.0 * ARROW_HALF_WIDTH * arrow_len / length(vec2<f32>(1.0, ARROW_HALF_WIDTH));
        let grow = 1.0 + 3.0 * (AA_PX + 0.5) / min(arrow_len, side_height);
        var corners = array<vec2<f32>, 3>(a, b, c);
        out.position = to_clip(centroid + (corners[vertex - quad_vertices] - centroid) * grow);
        out.kind = KIND_ARROW;
        // Arrowheads are not faded for thin lines: they are at least
        // ARROW_MIN_LEN_PT long.
        out.alpha = alpha;
        out.tri_a = a;
        out.tri_b = b;
        out.tri_c = c;
        out.across = 0.0;
        out.arc = 0.0;
        return out;
    }

    // Body: segment `seg` of the path, corner layout of two triangles.
    let seg = vertex / 6u;
    let corner = vertex % 6u;
    var alongs = array<u32, 6>(0u, 1u, 0u, 0u, 1u, 1u);
    var sides = array<f32, 6>(-1.0, -1.0, 1.0, 1.0, -1.0, 1.0);
    let side = sides[corner];
    let step_index = seg + alongs[corner];
    let t = mix(path.t0, path.t1, f32(step_index) / f32(used_segments));
    let point = path_point(path, t);
    let normal = perp(safe_normalize(path_derivative(path, t)));
    let offset = side * (half_width + AA_PX);
    out.position = to_clip(point + normal * offset);
    out.across = offset;

    // Arc length from the visible start, for dashes: sum of the chords of the
    // tessellation, which is exactly what gets drawn.
    var arc = 0.0;
    if out.kind == KIND_DASHED {
        var prev = path_point(path, path.t0);
        for (var k = 1u; k <= step_index; k++) {
            let next = path_point(path, mix(path.t0, path.t1, f32(k) / f32(used_segments)));
            arc += distance(prev, next);
            prev = next;
        }
    }
    out.arc = arc;
    return out;
}

@vertex
fn vs_edge(@builtin(vertex_index) vertex: u32, @builtin(instance_index) instance: u32) -> EdgeOut {
    return edge_vertex(edges[instance], vertex, u.dim_alpha * u.edge_alpha);
}

@vertex
fn vs_overlay_edge(@builtin(vertex_index) vertex: u32, @builtin(instance_index) instance: u32) -> EdgeOut {
    return edge_vertex(edges[instance], vertex, 1.0);
}

// Exact signed distance to a triangle (Inigo Quilez), negative inside.
fn sd_triangle(p: vec2<f32>, p0: vec2<f32>, p1: vec2<f32>, p2: vec2<f32>) -> f32 {
    let e0 = p1 - p0;
    let e1 = p2 - p1;
    let e2 = p0 - p2;
    let v0 = p - p0;
    let v1 = p - p1;
    let v2 = p - p2;
    let pq0 = v0 - e0 * clamp(dot(v0, e0) / dot(e0, e0), 0.0, 1.0);
    let pq1 = v1 - e1 * clamp(dot(v1, e1) / dot(e1, e1), 0.0, 1.0);
    let pq2 = v2 - e2 * clamp(dot(v2, e2) / dot(e2, e2), 0.0, 1.0);
    let s = sign(e0.x * e2.y - e0.y * e2.x);
    let d = min(
        min(
            vec2<f32>(dot(pq0, pq0), s * (v0.x * e0.y - v0.y * e0.x)),
            vec2<f32>(dot(pq1, pq1), s * (v1.x * e1.y - v1.y * e1.x)),
        ),
        vec2<f32>(dot(pq2, pq2), s * (v2.x * e2.y - v2.y * e2.x)),
    );
    return -sqrt(d.x) * sign(d.y);
}

@fragment
fn fs_edge(in: EdgeOut) -> @location(0) vec4<f32> {
    var coverage: f32;
    if in.kind == KIND_ARROW {
        coverage = clamp(0.5 - sd_triangle(in.position.xy, in.tri_a, in.tri_b, in.tri_c), 0.0, 1.0);
    } else {
        coverage = clamp(in.half_width + 0.5 - abs(in.across), 0.0, 1.0);
        if in.kind == KIND_DASHED {
            // Box-filtered dash pattern: the pixel's overlap with the "on" part.
            let on = DASH_ON_PT * u.pixels_per_point;
            let period = (DASH_ON_PT + DASH_OFF_PT) * u.pixels_per_point;
            let m = in.arc - floor(in.arc / period) * period;
            let dash = clamp(min(m + 0.5, on) - max(m - 0.5, 0.0), 0.0, 1.0)
                + clamp(m + 0.5 - period, 0.0, 1.0);
            coverage *= dash;
        }
    }
    if coverage <= 0.0 {
        discard;
    }
    return color_out(unpack4x8unorm(in.color) * (coverage * in.alpha));
}
