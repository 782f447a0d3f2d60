//! The visible set from the rules: one pass over the entities, one over the
//! relations, and a last one for what a relation in the date window brings
//! back. Each item not shown keeps the first reason it is not, so that the
//! status bar can say how much each filter takes out.

use std::collections::BTreeSet;

use super::{
    FilteredLook, HideReason, Shown, SupportFilter, VisibilityRules, VisibleCounts, VisibleSet,
};
use crate::model::claims::{Claims, allowed_grades, credibility_index, reliability_index};
use crate::model::{EdgeIx, Graph, NodeIx, Symbol};

/// The visible set of `graph` under `rules`. `members` is the focus's
/// membership ([`super::Focus::members`]); `claims` the dates and grades,
/// None while they are still being read (then date and grade filters let
/// everything through). Linear in the graph's size.
///
/// The date window: a dated relation is in it when its own dates or a
/// document's meet the window, and then it is shown with both its ends,
/// dated or not, unless something other than dates takes it or an end
/// out. An entity's own dates (or, undated, "Keep undated items") decide
/// only for entities that no such relation touches; an undated relation
/// is kept only with "Keep undated items" and both its ends shown.
pub fn compute(
    graph: &Graph,
    claims: Option<&Claims>,
    rules: &VisibilityRules,
    members: Option<&[bool]>,
) -> VisibleSet {
    let filter = &rules.filter;
    let filtered = match filter.look {
        FilteredLook::Hide => Shown::Hidden,
        FilteredLook::Grey => Shown::Greyed,
    };
    let symbols = graph.symbols.len();
    let excluded = |kinds: &BTreeSet<String>| {
        let mut flags = vec![false; symbols];
        for (index, flag) in flags.iter_mut().enumerate() {
            *flag = kinds.contains(graph.symbols.resolve(Symbol::from_index(index)));
        }
        flags
    };
    let entity_kind_out = excluded(&filter.excluded_entity_kinds);
    let relation_kind_out = excluded(&filter.excluded_relation_kinds);
    let claims = claims.filter(|claims| {
        claims.node_count() == graph.node_count() && claims.edge_count() == graph.edge_count()
    });
    let window = filter.window().zip(claims);
    let grades = (filter.reliability.is_some() || filter.credibility.is_some())
        .then(|| {
            allowed_grades(
                filter
                    .reliability
                    .as_deref()
                    .map(|grade| reliability_index(Some(grade))),
                filter
                    .credibility
                    .as_deref()
                    .map(|grade| credibility_index(Some(grade))),
            )
        })
        .zip(claims);

    // Entities on their own: put away, kind, then their own dates (which a
    // relation in the window may still overrule below).
    let mut node_reasons: Vec<Option<HideReason>> = (0..graph.node_count() as NodeIx)
        .map(|node| {
            if rules.hidden_nodes.contains(&node) {
                return Some(HideReason::ByHand);
            }
            if members.is_some_and(|members| !members.get(node as usize).copied().unwrap_or(false))
            {
                return Some(HideReason::Focus);
            }
            if excluded_kind(&entity_kind_out, graph.node_kind_symbol(node)) {
                return Some(HideReason::Kind);
            }
            if let Some((window, claims)) = window {
                let dates = claims.entity_dates(node);
                let keep = if dates.is_none() {
                    filter.keep_undated
                } else {
                    dates.meets(window)
                };
                if !keep {
                    return Some(HideReason::Dates);
                }
            }
            None
        })
        .collect();

    // Relations on their own and by what takes an end out for good; those
    // dated inside the window bring their ends back.
    let mut edge_reasons: Vec<Option<HideReason>> = Vec::with_capacity(graph.edge_count());
    // One flag per entity, not a list of relations: a million relations
    // in the window cost no more than the graph's entities.
    let mut brought_back = vec![false; graph.node_count()];
    for edge in 0..graph.edge_count() as EdgeIx {
        let (source, target) = graph.edge_endpoints(edge);
        let end_out = [node_reasons[source as usize], node_reasons[target as usize]]
            .into_iter()
            .flatten()
            .filter(|&reason| reason != HideReason::Dates)
            .min();
        let own = if rules.hidden_edges.contains(&edge) {
            Some(HideReason::ByHand)
        } else if excluded_kind(&relation_kind_out, graph.edge_kind_symbol(edge)) {
            Some(HideReason::Kind)
        } else if !passes_evidence(graph, edge, filter.support, grades) {
            Some(HideReason::Evidence)
        } else {
            match window {
                Some((window, claims)) if claims.relation_is_dated(edge) => {
                    if claims.relation_meets(edge, window) {
                        if end_out.is_none() {
                            brought_back[source as usize] = true;
                            brought_back[target as usize] = true;
                        }
                        None
                    } else {
                        Some(HideReason::Dates)
                    }
                }
                Some(_) if !filter.keep_undated => Some(HideReason::Dates),
                _ => None,
            }
        };
        edge_reasons.push(own.into_iter().chain(end_out).min());
    }
    for (reason, back) in node_reasons.iter_mut().zip(brought_back) {
        if back && *reason == Some(HideReason::Dates) {
            *reason = None;
        }
    }
    // What is left of the ends' dates now takes relations with it.
    for (edge, reason) in edge_reasons.iter_mut().enumerate() {
        if reason.is_none() {
            let (source, target) = graph.edge_endpoints(edge as EdgeIx);
            *reason = node_reasons[source as usize].or(node_reasons[target as usize]);
        }
    }

    if filter.hide_isolated {
        let mut has_shown_edge = vec![false; node_reasons.len()];
        let mut has_edge = vec![false; node_reasons.len()];
        for (edge, reason) in edge_reasons.iter().enumerate() {
            let (source, target) = graph.edge_endpoints(edge as EdgeIx);
            for end in [source, target] {
                has_edge[end as usize] = true;
                has_shown_edge[end as usize] |= reason.is_none();
            }
        }
        for (node, reason) in node_reasons.iter_mut().enumerate() {
            if reason.is_none() && has_edge[node] && !has_shown_edge[node] {
                *reason = Some(HideReason::Isolated);
            }
        }
    }

    let state = |reason: Option<HideReason>| match reason {
        None => Shown::Shown,
        Some(reason) if reason.is_filter() => filtered,
        Some(_) => Shown::Hidden,
    };
    let mut counts = VisibleCounts::default();
    let nodes: Vec<Shown> = node_reasons
        .iter()
        .map(|&reason| {
            let shown = state(reason);
            match shown {
                Shown::Shown => counts.nodes_shown += 1,
                Shown::Greyed => counts.nodes_greyed += 1,
                Shown::Hidden => counts.nodes_hidden += 1,
            }
            if let Some(reason) = reason {
                counts.by_reason[reason as usize].entities += 1;
            }
            shown
        })
        .collect();
    let edges: Vec<Shown> = edge_reasons
        .iter()
        .map(|&reason| {
            let shown = state(reason);
            match shown {
                Shown::Shown => counts.edges_shown += 1,
                Shown::Greyed => counts.edges_greyed += 1,
                Shown::Hidden => counts.edges_hidden += 1,
            }
            if let Some(reason) = reason {
                counts.by_reason[reason as usize].relations += 1;
            }
            shown
        })
        .collect();
    VisibleSet {
        nodes,
        edges,
        counts,
    }
}

/// Supported or not as asked, and an excerpt graded well enough.
fn passes_evidence(
    graph: &Graph,
    edge: EdgeIx,
    support: SupportFilter,
    grades: Option<(u64, &Claims)>,
) -> bool {
    let supported = match support {
        SupportFilter::Any => true,
        SupportFilter::Supported => graph.edge_is_supported(edge),
        SupportFilter::Unsupported => !graph.edge_is_supported(edge),
        SupportFilter::Contradicted => graph.edge_contradicting_count(edge) > 0,
    };
    supported && grades.is_none_or(|(allowed, claims)| claims.grades(edge) & allowed != 0)
}

fn excluded_kind(flags: &[bool], kind: Symbol) -> bool {
    flags.get(kind.index()).copied().unwrap_or(false)
}
