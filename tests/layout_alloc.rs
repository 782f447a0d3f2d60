//! The layout's steady iterations allocate nothing: every buffer is sized once and reused, and
//! the node re-sort permutes through scratch the force pass overwrites anyway. Only the row
//! re-packs on their thinning schedule allocate. Its own test binary, because the counting
//! allocator is global and other tests would allocate beside it.

#![allow(clippy::unwrap_used)]

use std::alloc::System;

use linkscope::layout::{Layout, LayoutSettings, RESORT_INTERVAL, repacks_rows_at};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// A seeded graph in which each new node links to earlier ones, hubs included.
fn edges(n: u32) -> Vec<(u32, u32)> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move |bound: u32| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % u64::from(bound)) as u32
    };
    let mut out = Vec::new();
    for v in 1..n {
        for _ in 0..3 {
            let u = next(v);
            out.push((v, next(u + 1)));
        }
    }
    out
}

#[test]
fn iterations_between_row_repacks_allocate_nothing() {
    // One worker: the pool's own job queues then never grow, so whatever is counted is ours.
    // The layout's passes are the same on any pool (its chunking ignores the thread count).
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(steady_iterations_allocate_nothing);
}

fn steady_iterations_allocate_nothing() {
    let n = 20_000;
    let mut layout = Layout::new(n as usize, &edges(n), LayoutSettings::default());
    // Past the first re-pack, so the next stretch holds a plain re-sort (iteration 30).
    while layout.iteration() <= 2 * RESORT_INTERVAL {
        layout.step();
    }
    let start = layout.iteration();
    let end = 4 * RESORT_INTERVAL;
    assert!((start..end).any(|i| i.is_multiple_of(RESORT_INTERVAL)));
    assert!(!(start..end).any(repacks_rows_at));

    let region = Region::new(GLOBAL);
    while layout.iteration() < end {
        layout.step();
    }
    let stats = region.change();
    assert_eq!(
        (
            stats.allocations,
            stats.reallocations,
            stats.bytes_allocated
        ),
        (0, 0, 0),
        "iterations {start}..{end} allocated: {stats:?}"
    );
    // The re-pack itself is the one step that does allocate (a sanity check of the counter).
    let region = Region::new(GLOBAL);
    layout.step();
    assert!(repacks_rows_at(end));
    assert!(region.change().allocations > 0);
}
