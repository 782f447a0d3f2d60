//! Criterion benchmark of one `ForceAtlas2` iteration on a seeded 20k-node, 100k-edge
//! preferential-attachment-like graph (for the full-size peer comparison use
//! `linkscope bench-layout` with the benchmark kit's graphs).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use linkscope::layout::{Layout, LayoutSettings};

/// A deterministic graph where later nodes attach to endpoints of earlier edges (hubs emerge).
fn graph(n: u32, per_node: u32) -> Vec<(u32, u32)> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut edges: Vec<(u32, u32)> = vec![(0, 1)];
    for v in 2..n {
        for _ in 0..per_node {
            let (a, b) = edges[(next() % edges.len() as u64) as usize];
            edges.push((if next() & 1 == 0 { a } else { b }, v));
        }
    }
    edges
}

fn layout_step(c: &mut Criterion) {
    let edges = graph(20_000, 5);
    let mut layout = Layout::new(20_000, &edges, LayoutSettings::default());
    // Past the first chaotic iterations, like a layout in progress.
    for _ in 0..10 {
        layout.step();
    }
    c.bench_function("layout_step_20k_nodes_100k_edges", |b| {
        b.iter(|| black_box(layout.step()));
    });
}

criterion_group!(benches, layout_step);
criterion_main!(benches);
