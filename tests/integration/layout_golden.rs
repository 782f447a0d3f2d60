//! The sample's layout, pinned across processes, machines and commits: the positions after a
//! fixed number of iterations hash to a committed value. The in-process determinism tests
//! (`src/layout/tests.rs`) cannot see a change of the start seed, of the start placement or
//! of the force code, because both runs they compare change with it; this test does.
//!
//! To refresh it on purpose (a new seed, a deliberate change to the forces): look at the
//! picture first (`linkscope --screenshot shot.png`), then paste the `got` hash from this
//! test's failure message into [`GOLDEN_SHA256`] and say why in the commit message. There is
//! no environment variable that rewrites it, so CI cannot pass by refreshing it.
//!
//! The default settings use only `+ - * /`, `sqrt` and bit operations in f32 (`LinLog`'s
//! logarithm is computed from those, see `layout::forces::ln_1p`, not by the platform's `ln`),
//! which IEEE 754 makes exact, so the hash is the same on every platform.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use sha2::{Digest as _, Sha256};

use linkscope::layout::LayoutSettings;
use linkscope::store::LoadProgress;

/// Iterations run from the seeded start: past the first re-sorts and row re-packs, well into
/// the settling phase.
const ITERATIONS: u64 = 300;

/// SHA-256 of the positions after [`ITERATIONS`] iterations: per node in file order, x then y
/// as little-endian f32 bits.
const GOLDEN_SHA256: &str = "15817831ae116b781ece71dd178330a3cff2e44fb2b3c600e207e238e24c8d0c";

#[test]
fn sample_layout_matches_the_golden_hash() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite");
    // The app's own path from file to layout: the same settings for the sample's size, the
    // same default seed.
    let document = linkscope::jobs::prepare_document(
        &sample,
        1,
        &LayoutSettings::default(),
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap();
    // Built as the window's layout thread builds it, after the first frame.
    let mut layout = document.layout();
    while layout.iteration() < ITERATIONS {
        layout.step();
    }
    let mut positions = Vec::new();
    layout.copy_positions_into(&mut positions);
    assert_eq!(positions.len(), document.loaded.graph.node_count());
    assert!(positions.iter().flatten().all(|v| v.is_finite()));
    let mut hasher = Sha256::new();
    for [x, y] in &positions {
        hasher.update(x.to_le_bytes());
        hasher.update(y.to_le_bytes());
    }
    let got = format!("{:x}", hasher.finalize());
    assert_eq!(
        got,
        GOLDEN_SHA256,
        "the sample's layout after {ITERATIONS} iterations changed (first positions {:?}); \
         if that is intended, refresh GOLDEN_SHA256 as this file's header says",
        &positions[..3]
    );
}
