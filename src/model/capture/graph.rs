//! What a capture does to the graph: the weight its excerpt adds, the
//! graph grown by it (new entities and relation appended, every index
//! kept) and shrunk back exactly on undo.

use super::{Capture, Stance};
use crate::model::grades::{Credibility, PackedGrades, Reliability};
use crate::model::growth::Growth;
use crate::model::{BuildError, EdgeIx, Graph, GraphBuilder, NodeIx};

/// The weight one captured excerpt adds to its relation's support: its
/// document's reliability (as the capture regraded it) times its
/// credibility. A contradicting passage adds none.
pub fn excerpt_weight(capture: &Capture, document_reliability: Option<&str>) -> f32 {
    if capture.stance == Stance::Contradicts {
        return 0.0;
    }
    let reliability = match &capture.regraded {
        Some((_, _, after)) => after.as_deref(),
        None => document_reliability,
    }
    .and_then(Reliability::from_text);
    let credibility = capture
        .excerpt
        .credibility
        .as_deref()
        .and_then(Credibility::from_text);
    PackedGrades::new(reliability, credibility).weight()
}

/// The cited relation's evidence before a capture, which its undo gives
/// back exactly: how many excerpts it cited, how many of them contradict
/// it, and its support.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CitedBefore {
    pub excerpts: u32,
    pub contradicting: u32,
    pub support: f32,
}

/// `graph` with the capture in it: its new entities and relation appended
/// (every index already there keeps its meaning), and the cited relation's
/// excerpt count raised by one. A supporting excerpt raises its support by
/// `weight`; a contradicting one adds to its contradictions instead and
/// leaves its support as it was, whatever `weight` says.
pub fn grow_by_capture(
    graph: &Graph,
    capture: &Capture,
    weight: f32,
) -> Result<(Graph, Growth), BuildError> {
    let mut builder = GraphBuilder::with_capacity(2, 1);
    let new_relation = capture.relation.as_ref();
    let (subject, object, kind, label) = if let Some(relation) = new_relation {
        (
            relation.subject_id,
            relation.object_id,
            relation.kind.clone(),
            relation.label.clone(),
        )
    } else {
        let edge = graph
            .edge_by_db_id(capture.relation_id)
            .ok_or(BuildError::MissingRelation(capture.relation_id))?;
        let (source, target) = graph.edge_endpoints(edge);
        let label = graph.edge_label(edge);
        (
            graph.node_db_id(source),
            graph.node_db_id(target),
            graph.edge_kind_text(edge).to_owned(),
            (!label.is_empty()).then(|| label.to_owned()),
        )
    };
    for id in [subject, object] {
        if builder.has_entity(id) {
            continue;
        }
        if let Some(node) = graph.node_by_db_id(id) {
            builder.add_entity(id, graph.node_kind_text(node), graph.node_name(node))?;
        } else {
            let entity = capture
                .entities
                .iter()
                .find(|entity| entity.id == id)
                .ok_or(BuildError::MissingEntity(id))?;
            builder.add_entity(id, &entity.kind, &entity.name)?;
        }
    }
    builder.add_relation(
        capture.relation_id,
        subject,
        object,
        &kind,
        label.as_deref(),
    )?;
    let before = cited_before(graph, capture);
    let (support, contradicting) = match capture.stance {
        Stance::Supports => (
            1.0 - (1.0 - before.support) * (1.0 - weight),
            before.contradicting,
        ),
        Stance::Contradicts => (before.support, before.contradicting + 1),
    };
    let after = builder.finish_with_evidence(
        vec![before.excerpts + 1],
        vec![support],
        vec![contradicting],
    );
    graph.grown_by(&after)
}

/// `graph` as it was before `capture` (an undo): the capture's own
/// entities and relation were the last ones added, so they are cut off,
/// and the cited relation gets back its evidence as `cited_before` held it.
pub fn shrink_by_capture(
    graph: &Graph,
    capture: &Capture,
    cited_before: CitedBefore,
) -> Result<Graph, BuildError> {
    let nodes = graph.node_count().saturating_sub(capture.entities.len());
    let edges = graph
        .edge_count()
        .saturating_sub(usize::from(capture.relation.is_some()));
    let mut builder = GraphBuilder::with_capacity(nodes, edges);
    for node in 0..nodes as NodeIx {
        builder.add_entity(
            graph.node_db_id(node),
            graph.node_kind_text(node),
            graph.node_name(node),
        )?;
    }
    let mut counts = Vec::with_capacity(edges);
    let mut support = Vec::with_capacity(edges);
    let mut contradicting = Vec::with_capacity(edges);
    for edge in 0..edges as EdgeIx {
        let (source, target) = graph.edge_endpoints(edge);
        let label = graph.edge_label(edge);
        let id = graph.edge_db_id(edge);
        builder.add_relation(
            id,
            graph.node_db_id(source),
            graph.node_db_id(target),
            graph.edge_kind_text(edge),
            (!label.is_empty()).then_some(label),
        )?;
        if id == capture.relation_id {
            counts.push(cited_before.excerpts);
            support.push(cited_before.support);
            contradicting.push(cited_before.contradicting);
        } else {
            counts.push(graph.edge_excerpt_count(edge));
            support.push(graph.edge_support(edge));
            contradicting.push(graph.edge_contradicting_count(edge));
        }
    }
    Ok(builder.finish_with_evidence(counts, support, contradicting))
}

/// The cited relation's evidence before a capture, for its undo (none for
/// a relation the capture created).
pub fn cited_before(graph: &Graph, capture: &Capture) -> CitedBefore {
    graph
        .edge_by_db_id(capture.relation_id)
        .map_or_else(CitedBefore::default, |edge| CitedBefore {
            excerpts: graph.edge_excerpt_count(edge),
            contradicting: graph.edge_contradicting_count(edge),
            support: graph.edge_support(edge),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::anchor::TextAnchor;
    use crate::model::capture::{CapturedExcerpt, NewRelation};

    /// Entities 1, 2, 3; relation 10 (1 → 2) citing one excerpt with
    /// support 0.25, relation 20 (2 → 3) citing none.
    fn base() -> Graph {
        let mut builder = GraphBuilder::default();
        for id in [1, 2, 3] {
            builder.add_entity(id, "actor", &format!("E{id}")).unwrap();
        }
        builder.add_relation(10, 1, 2, "knows", None).unwrap();
        builder.add_relation(20, 2, 3, "knows", None).unwrap();
        builder.finish_with_support(vec![1, 0], vec![0.25, 0.0])
    }

    fn capture(relation_id: i64, excerpt_id: i64, stance: Stance) -> Capture {
        let relation = (relation_id > 20).then(|| NewRelation {
            id: relation_id,
            subject_id: 1,
            object_id: 3,
            kind: "met".to_owned(),
            label: None,
            date_start: None,
            date_end: None,
        });
        Capture {
            entities: Vec::new(),
            relation,
            relation_id,
            excerpt: CapturedExcerpt {
                id: excerpt_id,
                document_id: 1,
                anchor: TextAnchor {
                    quote: "they met".to_owned(),
                    start_char: 0,
                    end_char: 8,
                    prefix: String::new(),
                    suffix: String::new(),
                    anchored_sha256: String::new(),
                },
                page_no: None,
                locator: None,
                credibility: None,
                created_at: String::new(),
                note: None,
            },
            stance,
            regraded: None,
        }
    }

    /// (excerpts, contradicting, support, disputed) of relation `id`.
    fn evidence(graph: &Graph, id: i64) -> (u32, u32, f32, bool) {
        let edge = graph.edge_by_db_id(id).unwrap();
        (
            graph.edge_excerpt_count(edge),
            graph.edge_contradicting_count(edge),
            graph.edge_support(edge),
            graph.edge_is_disputed(edge),
        )
    }

    #[test]
    fn a_contradicting_capture_counts_against_and_raises_no_support() {
        let graph = base();
        assert!(!graph.has_contradicting());
        // A weight is passed on purpose: a contradicting excerpt ignores it.
        let against = capture(10, 100, Stance::Contradicts);
        let (grown, _) = grow_by_capture(&graph, &against, 0.5).unwrap();
        assert_eq!(evidence(&grown, 10), (2, 1, 0.25, false));
        assert_eq!(evidence(&grown, 20), (0, 0, 0.0, false));
        // A supporting one: 1 − (1 − 0.25)(1 − 0.5) = 0.625.
        let support = capture(10, 101, Stance::Supports);
        let (both, _) = grow_by_capture(&grown, &support, 0.5).unwrap();
        assert_eq!(evidence(&both, 10), (3, 1, 0.625, false));
        // A new relation whose one excerpt contradicts it is disputed.
        let new = capture(30, 102, Stance::Contradicts);
        let (disputed, growth) = grow_by_capture(&both, &new, 0.5).unwrap();
        assert_eq!(growth.first_new_edge, 2);
        assert_eq!(evidence(&disputed, 30), (1, 1, 0.0, true));
        assert_eq!(evidence(&disputed, 10), (3, 1, 0.625, false));
    }

    #[test]
    fn undoing_captures_restores_each_relation_exactly() {
        let graph = base();
        let steps = [
            capture(20, 100, Stance::Contradicts),
            capture(20, 101, Stance::Supports),
            capture(30, 102, Stance::Contradicts),
        ];
        let mut graphs = vec![graph];
        let mut befores = Vec::new();
        for step in &steps {
            let current = graphs.last().unwrap();
            befores.push(cited_before(current, step));
            graphs.push(grow_by_capture(current, step, 0.5).unwrap().0);
        }
        // Relation 20 was disputed after the first step only.
        assert_eq!(evidence(&graphs[1], 20), (1, 1, 0.0, true));
        assert_eq!(evidence(&graphs[2], 20), (2, 1, 0.5, false));
        // Undone in reverse order, each graph is the one before it.
        let mut current = graphs.pop().unwrap();
        for (step, before) in steps.iter().zip(&befores).rev() {
            current = shrink_by_capture(&current, step, *before).unwrap();
            let expected = graphs.pop().unwrap();
            assert_eq!(current.edge_count(), expected.edge_count());
            for edge in 0..expected.edge_count() as EdgeIx {
                let id = expected.edge_db_id(edge);
                assert_eq!(evidence(&current, id), evidence(&expected, id), "{id}");
            }
        }
        assert_eq!(evidence(&current, 20), (0, 0, 0.0, false));
        assert_eq!(evidence(&current, 10), (1, 0, 0.25, false));
    }
}
