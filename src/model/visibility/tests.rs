use super::*;
use crate::model::GraphBuilder;
use crate::model::claims::ClaimsBuilder;
use crate::model::dates::parse_span;

/// Actors 1, 2, 3 and event 4: 1 → 2 (supported), 2 → 3, 3 → 4.
fn small() -> Graph {
    let mut builder = GraphBuilder::default();
    for (id, kind) in [(1, "actor"), (2, "actor"), (3, "actor"), (4, "event")] {
        builder.add_entity(id, kind, &format!("n{id}")).unwrap();
    }
    builder.add_relation(10, 1, 2, "knows", None).unwrap();
    builder.add_relation(11, 2, 3, "knows", None).unwrap();
    builder.add_relation(12, 3, 4, "attended", None).unwrap();
    builder.finish(vec![1, 0, 0])
}

fn states(set: &VisibleSet) -> (Vec<Shown>, Vec<Shown>) {
    (set.nodes.clone(), set.edges.clone())
}

use Shown::{Greyed as G, Hidden as H, Shown as S};

#[test]
fn hiding_an_entity_hides_its_relations() {
    let graph = small();
    let rules = VisibilityRules {
        hidden_nodes: BTreeSet::from([1]),
        ..VisibilityRules::default()
    };
    let set = compute(&graph, None, &rules, None);
    assert_eq!(states(&set), (vec![S, H, S, S], vec![H, H, S]));
    assert_eq!(set.counts.nodes_hidden, 1);
    assert_eq!(set.counts.edges_shown, 1);
}

#[test]
fn focus_shows_the_neighbourhood_and_expand_and_collapse_change_it() {
    let graph = small();
    let mut rules = VisibilityRules {
        focus: Some(Focus::new(vec![0], 1)),
        ..VisibilityRules::default()
    };
    let members = rules
        .focus
        .as_ref()
        .unwrap()
        .members(&graph, &graph)
        .unwrap();
    assert_eq!(members, [true, true, false, false]);
    let set = compute(&graph, None, &rules, Some(&members));
    assert_eq!(states(&set), (vec![S, S, H, H], vec![S, H, H]));

    let grow = rules.expansion(&graph, &graph, 1, Some(&members)).unwrap();
    assert_eq!(grow, [2]);
    rules.bring_back(&grow);
    let members = rules
        .focus
        .as_ref()
        .unwrap()
        .members(&graph, &graph)
        .unwrap();
    assert_eq!(members, [true, true, true, false]);

    // Collapsing node 1 takes node 2 (which hangs off it alone), never the seed 0.
    let leaves = rules.collapse(&graph, &graph, 1, Some(&members)).unwrap();
    assert_eq!(leaves, [2]);
    rules.put_away(&leaves);
    let focus = rules.focus.as_ref().unwrap();
    assert!(focus.added.is_empty() && focus.removed.is_empty());
    let members = focus.members(&graph, &graph).unwrap();
    assert_eq!(members, [true, true, false, false]);
}

#[test]
fn filters_hide_or_grey_and_relations_follow_their_ends() {
    let graph = small();
    let mut rules = VisibilityRules::default();
    rules
        .filter
        .excluded_entity_kinds
        .insert("event".to_owned());
    let set = compute(&graph, None, &rules, None);
    assert_eq!(states(&set), (vec![S, S, S, H], vec![S, S, H]));
    rules.filter.look = FilteredLook::Grey;
    let set = compute(&graph, None, &rules, None);
    assert_eq!(states(&set), (vec![S, S, S, G], vec![S, S, G]));

    let mut rules = VisibilityRules::default();
    rules.filter.support = SupportFilter::Supported;
    rules.filter.hide_isolated = true;
    let set = compute(&graph, None, &rules, None);
    assert_eq!(states(&set), (vec![S, S, H, H], vec![S, H, H]));

    let mut rules = VisibilityRules::default();
    rules
        .filter
        .excluded_relation_kinds
        .insert("knows".to_owned());
    let set = compute(&graph, None, &rules, None);
    assert_eq!(states(&set), (vec![S, S, S, S], vec![H, H, S]));
}

#[test]
fn dates_and_grades_filter_claims_once_they_are_read() {
    let graph = small();
    let mut builder = ClaimsBuilder::new(4, 3);
    builder.set_entity_dates(3, parse_span("2024-03-05").unwrap());
    builder.set_relation_dates(2, parse_span("2024-03-05").unwrap());
    builder.add_excerpt(0, 1, 1, parse_span("2020-01-01").unwrap());
    let claims = builder.finish();
    let mut rules = VisibilityRules::default();
    rules.filter.date_from = Some("2024".to_owned());
    // Without the claims, a date filter lets everything through.
    assert_eq!(compute(&graph, None, &rules, None).counts.nodes_hidden, 0);
    let set = compute(&graph, Some(&claims), &rules, None);
    // Relation 0's document is from 2020: out; relation 1 is undated: kept.
    assert_eq!(states(&set), (vec![S, S, S, S], vec![H, S, S]));
    assert_eq!(set.counts.by(HideReason::Dates).relations, 1);
    rules.filter.keep_undated = false;
    let set = compute(&graph, Some(&claims), &rules, None);
    // Relation 2 is dated inside the window: it stays, and brings its
    // undated end 2 with it; the undated 0 and 1 touch nothing shown.
    assert_eq!(states(&set), (vec![H, H, S, S], vec![H, H, S]));
    assert_eq!(
        set.counts.by(HideReason::Dates),
        ReasonCounts {
            entities: 2,
            relations: 2
        }
    );

    let mut rules = VisibilityRules::default();
    rules.filter.reliability = Some("B".to_owned());
    let set = compute(&graph, Some(&claims), &rules, None);
    assert_eq!(states(&set).1, vec![S, H, H]);
    rules.filter.reliability = Some("A".to_owned());
    assert_eq!(
        states(&compute(&graph, Some(&claims), &rules, None)).1,
        vec![H, H, H]
    );
}

#[test]
fn bad_saved_filters_are_named() {
    let mut filter = Filter {
        reliability: Some("G".to_owned()),
        ..Filter::default()
    };
    assert!(filter.problem().unwrap().contains("reliability"));
    filter.reliability = None;
    filter.date_from = Some("2024-05".to_owned());
    filter.date_to = Some("2024-01".to_owned());
    assert!(filter.problem().unwrap().contains("ends before"));
    filter.date_to = Some("May".to_owned());
    assert!(filter.problem().unwrap().contains("ISO"));
    assert_eq!(Filter::default().problem(), None);
    assert!(!Filter::default().is_active());
}

/// A relation in the window brings back an end dated outside it, but not
/// one a kind filter or the user took out; an undated relation between an
/// entity brought back and one out of the window stays out.
#[test]
fn a_relation_in_the_window_brings_its_ends_unless_something_else_took_them() {
    let graph = small();
    let mut builder = ClaimsBuilder::new(4, 3);
    for node in 0..4 {
        builder.set_entity_dates(node, parse_span("2019").unwrap());
    }
    builder.set_relation_dates(0, parse_span("2024-03-05").unwrap());
    builder.set_relation_dates(2, parse_span("2024-03-05").unwrap());
    let claims = builder.finish();
    let mut rules = VisibilityRules::default();
    rules.filter.date_from = Some("2024-03-04".to_owned());
    rules.filter.date_to = Some("2024-03-07".to_owned());
    let set = compute(&graph, Some(&claims), &rules, None);
    assert_eq!(states(&set), (vec![S, S, S, S], vec![S, S, S]));

    rules.filter.keep_undated = false;
    rules
        .filter
        .excluded_entity_kinds
        .insert("event".to_owned());
    let set = compute(&graph, Some(&claims), &rules, None);
    assert_eq!(states(&set), (vec![S, S, H, H], vec![S, H, H]));
    let kind = set.counts.by(HideReason::Kind);
    let dates = set.counts.by(HideReason::Dates);
    assert_eq!((kind.entities, kind.relations), (1, 1));
    assert_eq!((dates.entities, dates.relations), (1, 1));
    assert_eq!(set.counts.nodes_hidden, 2);
    assert_eq!(set.counts.edges_hidden, 2);

    rules.hidden_nodes.insert(0);
    let set = compute(&graph, Some(&claims), &rules, None);
    assert_eq!(states(&set), (vec![H, H, H, H], vec![H, H, H]));
    assert_eq!(set.counts.by(HideReason::ByHand).relations, 1);
}
