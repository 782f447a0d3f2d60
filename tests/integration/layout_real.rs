//! The community layout on real networks nobody here drew (Zachary's karate club, Les
//! Misérables), laid out as the window lays them out, against igraph's `DrL`: the kNN agreement
//! with the communities Louvain finds must be at least `DrL`'s mean over five seeds. Communities
//! and `DrL`'s scores are in `tests/reference/real_layouts.json`, written by
//! `python3 tests/reference/real_layouts.py` (networkx 3.6.1, python-igraph 1.0.0).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use linkscope::layout::LayoutSettings;
use linkscope::layout::agreement::{UNKNOWN_COMMUNITY, knn_agreement};
use linkscope::store::LoadProgress;
use serde_json::Value;

fn agreement_as_the_window_lays_it_out(name: &str, file: &str) -> (f64, f64) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/reference/real_layouts.json")).unwrap(),
    )
    .unwrap();
    let document = linkscope::jobs::prepare_document(
        &root.join(file),
        1,
        &LayoutSettings::default(),
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .unwrap();
    // Built as the window's layout thread builds it, after the first frame.
    let mut layout = document.layout();
    while !layout.converged() && layout.iteration() < 3000 {
        layout.step();
    }
    assert!(layout.converged(), "{name} settles");
    let graph = &document.loaded.graph;
    let mut communities = vec![UNKNOWN_COMMUNITY; graph.node_count()];
    for (id, community) in reference[name]["communities"].as_object().unwrap() {
        let node = graph.node_by_db_id(id.parse().unwrap()).unwrap();
        communities[node as usize] = u32::try_from(community.as_u64().unwrap()).unwrap();
    }
    assert!(communities.iter().all(|&c| c != UNKNOWN_COMMUNITY));
    let mut positions = Vec::new();
    layout.copy_positions_into(&mut positions);
    let ours = knn_agreement(&positions, &communities, 10).unwrap();
    let drl = reference[name]["drl_agreement_mean"].as_f64().unwrap();
    (ours, drl)
}

#[test]
fn karate_club_communities_show_at_least_as_well_as_under_drl() {
    let (ours, drl) =
        agreement_as_the_window_lays_it_out("karate", "tests/fixtures/trace/karate.sqlite");
    assert!(
        ours >= drl,
        "karate: agreement {ours:.3}, DrL's mean {drl:.3}"
    );
}

#[test]
fn les_miserables_communities_show_at_least_as_well_as_under_drl() {
    let (ours, drl) =
        agreement_as_the_window_lays_it_out("lesmis", "tests/fixtures/trace/lesmis.sqlite");
    assert!(
        ours >= drl,
        "Les Misérables: agreement {ours:.3}, DrL's mean {drl:.3}"
    );
}
