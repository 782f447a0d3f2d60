use super::*;

fn triangle_with_parallel_edges() -> Graph {
    let mut builder = GraphBuilder::default();
    builder.add_entity(10, "actor", "Zhirnov").unwrap();
    builder.add_entity(20, "actor", "Haqqani").unwrap();
    builder.add_entity(30, "event", "Kabul meeting").unwrap();
    builder
        .add_relation(1, 10, 20, "met_with", Some("met with"))
        .unwrap();
    builder.add_relation(2, 20, 10, "met_with", None).unwrap();
    builder
        .add_relation(3, 10, 30, "participated_in", None)
        .unwrap();
    builder.add_relation(4, 30, 30, "self", None).unwrap();
    builder.finish(vec![2])
}

#[test]
fn relations_become_edges_between_their_entities() {
    let graph = triangle_with_parallel_edges();
    assert_eq!(graph.node_count(), 3);
    assert_eq!(graph.edge_count(), 4);
    assert_eq!(graph.edge_endpoints(1), (1, 0));
    assert_eq!(graph.node_name(2), "Kabul meeting");
    assert_eq!(graph.node_kind(2), EntityKind::Event);
    assert_eq!(graph.edge_label(0), "met with");
    assert_eq!(graph.edge_label(1), "met_with", "falls back to the kind");
    assert!(graph.edge_is_supported(0));
    assert!(!graph.edge_is_supported(1));
    assert_eq!(graph.node_by_db_id(30), Some(2));
    assert_eq!(graph.degree(2), 3);
}

#[test]
#[expect(clippy::float_cmp, reason = "slots are exact halves")]
fn parallel_edges_get_distinct_curves_and_single_edges_stay_straight() {
    let graph = triangle_with_parallel_edges();
    let first = graph.edge_curve_slot(0);
    let second = graph.edge_curve_slot(1);
    assert!(first != 0.0 && second != 0.0);
    // Edge 1 runs the other way, so its slot is negated; the two curves
    // end up on opposite sides of the chord.
    assert_eq!(first, -0.5);
    assert_eq!(second, -0.5);
    assert_eq!(graph.edge_curve_slot(2), 0.0);
}

#[test]
fn ids_with_gaps_or_out_of_order_are_found_like_dense_ones() {
    let mut builder = GraphBuilder::default();
    for id in [5, 6, 7, 3, 100, -4] {
        builder.add_entity(id, "actor", "x").unwrap();
    }
    assert_eq!(
        builder.add_entity(6, "actor", "again"),
        Err(BuildError::DuplicateEntity(6))
    );
    let graph = builder.finish(Vec::new());
    for (node, id) in [5, 6, 7, 3, 100, -4].into_iter().enumerate() {
        assert_eq!(graph.node_by_db_id(id), Some(node as NodeIx));
    }
    assert_eq!(graph.node_by_db_id(4), None);
    assert_eq!(graph.node_by_db_id(8), None);
}

#[test]
fn missing_and_duplicate_entities_are_refused() {
    let mut builder = GraphBuilder::default();
    builder.add_entity(1, "actor", "A").unwrap();
    assert_eq!(
        builder.add_entity(1, "actor", "B"),
        Err(BuildError::DuplicateEntity(1))
    );
    assert_eq!(
        builder.add_relation(5, 1, 99, "knows", None),
        Err(BuildError::MissingEntity(99))
    );
}

#[test]
fn incident_edges_and_neighbours_list_each_once() {
    let graph = triangle_with_parallel_edges();
    assert_eq!(graph.incident_edges(0), vec![0, 2, 1]);
    assert_eq!(graph.neighbours(0), vec![1, 2]);
    assert_eq!(graph.incident_edges(2), vec![3, 2]);
    assert_eq!(graph.neighbours(2), vec![0]);
}

/// A duplicate id that is also the first break in 1, 2, 3, … (found by
/// fuzzing the loader): the id keeps its node, and its relations load.
#[test]
fn a_duplicate_that_ends_the_dense_run_keeps_the_first_entity() {
    let mut builder = GraphBuilder::default();
    for id in 1..=3 {
        builder.add_entity(id, "actor", "x").unwrap();
    }
    assert_eq!(
        builder.add_entity(2, "actor", "again"),
        Err(BuildError::DuplicateEntity(2))
    );
    let edge = builder.add_relation(10, 2, 3, "knows", None).unwrap();
    let graph = builder.finish(vec![0]);
    assert_eq!(graph.node_count(), 3);
    assert_eq!(graph.node_by_db_id(2), Some(1));
    assert_eq!(graph.edge_endpoints(edge), (1, 2));
}
