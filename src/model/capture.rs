//! Evidence the analyst captured while reading a source: the documents
//! they added, and each passage they turned into a quoted, graded excerpt
//! of a relation (new or already there). It lives in memory until Save,
//! which writes it in the one transaction that saves the view (see
//! `store::capture`), and only these rows.
//!
//! A capture is one edit: undoing it takes out its excerpt, its relation
//! and the entities it created; redoing puts them back. A capture that was
//! already saved and is then undone is *retracted*: the next save deletes
//! the rows it wrote.

use std::sync::Arc;

use super::anchor::TextAnchor;
use super::confirm::Confirmations;
use super::corrections::{Corrections, DocumentDetails};
use super::grades::{Credibility, PackedGrades, Reliability};
use super::growth::Growth;
use super::{BuildError, EdgeIx, Graph, GraphBuilder, NodeIx};

/// Whether an excerpt backs its relation or speaks against it
/// (`relation_excerpts.stance`; NULL means supports).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Stance {
    #[default]
    Supports,
    Contradicts,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supports => "supports",
            Self::Contradicts => "contradicts",
        }
    }

    /// The stance a stored value names; NULL or anything else is
    /// "supports", as the file format says.
    pub fn from_stored(text: Option<&str>) -> Self {
        match text {
            Some("contradicts") => Self::Contradicts,
            _ => Self::Supports,
        }
    }
}

/// A source document added in this session (File > Add Source), with its
/// extracted text and provenance: a row of `documents` with its
/// `document_text` (and `document_pages`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceDocument {
    pub id: i64,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    /// Admiralty source reliability 'A'..'F'.
    pub reliability: Option<String>,
    /// 'paste' | 'txt' | 'html' | 'mhtml' | 'pdf'.
    pub source_kind: String,
    pub file_name: Option<String>,
    pub retrieved_at: Option<String>,
    pub imported_at: String,
    pub sha256_bytes: Option<String>,
    pub sha256_text: String,
    pub extractor: String,
    /// The document this one replaces (the same source, changed).
    pub supersedes_id: Option<i64>,
    /// The extracted text, '\n' line ends; never edited.
    pub text: Arc<str>,
    /// (page number, first char, end char) for paged sources.
    pub pages: Vec<(u32, usize, usize)>,
}

impl SourceDocument {
    /// The page that holds the character at `char_offset`, for paged
    /// sources.
    pub fn page_of(&self, char_offset: usize) -> Option<u32> {
        self.pages
            .iter()
            .find(|(_, start, end)| (*start..*end).contains(&char_offset))
            .map(|(page, ..)| *page)
    }
}

/// An entity a capture created (by the analyst's explicit choice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntity {
    pub id: i64,
    pub kind: String,
    pub name: String,
}

/// A relation a capture created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRelation {
    pub id: i64,
    pub subject_id: i64,
    pub object_id: i64,
    pub kind: String,
    pub label: Option<String>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
}

/// The quoted passage a capture made, anchored in its document's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapturedExcerpt {
    pub id: i64,
    pub document_id: i64,
    pub anchor: TextAnchor,
    pub page_no: Option<u32>,
    pub locator: Option<String>,
    /// Admiralty information credibility '1'..'6'.
    pub credibility: Option<String>,
    pub created_at: String,
    pub note: Option<String>,
}

/// What one confirm of the capture form adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capture {
    /// Entities created for it (none, one or both ends).
    pub entities: Vec<NewEntity>,
    /// The relation created for it; None when the passage cites a relation
    /// that was there already.
    pub relation: Option<NewRelation>,
    /// The relation the excerpt cites (new or old).
    pub relation_id: i64,
    pub excerpt: CapturedExcerpt,
    pub stance: Stance,
    /// The analyst regraded the source's reliability in the form:
    /// (document, grade before, grade after). Reliability belongs to the
    /// source, so it is the document's row that changes.
    pub regraded: Option<(i64, Option<String>, Option<String>)>,
}

impl Capture {
    /// What the Edit menu calls it.
    pub fn what(&self) -> String {
        let quote: String = self.excerpt.anchor.quote.chars().take(24).collect();
        let more = if self.excerpt.anchor.quote.chars().count() > 24 {
            "..."
        } else {
            ""
        };
        format!("Capture \"{quote}{more}\"")
    }
}

/// The next free id of each table, above the open file's and above what
/// was captured: new rows never collide with the file's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IdFloor {
    pub entity: i64,
    pub relation: i64,
    pub document: i64,
    pub excerpt: i64,
}

/// Everything captured since the file was opened, as it stands after the
/// edits done and undone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaptureSet {
    /// Documents added in this session (saved ones stay here, marked).
    pub documents: Vec<Arc<SourceDocument>>,
    /// How many of `documents` are already in the file.
    pub documents_saved: usize,
    /// Captures in effect, each with whether the file already holds it.
    pub captures: Vec<(Capture, bool)>,
    /// Saved captures that were undone: the next save deletes them.
    pub retracted: Vec<Capture>,
    /// Fuzzy anchors confirmed (see `model::confirm`).
    pub confirmations: Confirmations,
    /// Saved documents' details corrected (see `model::corrections`).
    pub corrections: Corrections,
    /// The next free ids.
    pub next: IdFloor,
}

impl CaptureSet {
    pub fn new(floor: IdFloor) -> Self {
        Self {
            next: floor,
            ..Self::default()
        }
    }

    /// Whether a save has anything of this set to write.
    pub fn has_unsaved(&self) -> bool {
        self.documents_saved < self.documents.len()
            || self.captures.iter().any(|(_, saved)| !saved)
            || !self.retracted.is_empty()
            || self.confirmations.has_unsaved()
            || self.corrections.has_unsaved()
    }

    /// Takes ids for a new row of each table (`count` of each).
    pub fn take_entity_id(&mut self) -> i64 {
        let id = self.next.entity;
        self.next.entity += 1;
        id
    }

    pub fn take_relation_id(&mut self) -> i64 {
        let id = self.next.relation;
        self.next.relation += 1;
        id
    }

    pub fn take_document_id(&mut self) -> i64 {
        let id = self.next.document;
        self.next.document += 1;
        id
    }

    pub fn take_excerpt_id(&mut self) -> i64 {
        let id = self.next.excerpt;
        self.next.excerpt += 1;
        id
    }

    pub fn document(&self, id: i64) -> Option<&Arc<SourceDocument>> {
        self.documents.iter().find(|document| document.id == id)
    }

    /// Puts a capture in effect (a new one, or a redo): a retracted one
    /// comes back as saved, since the file still holds it.
    pub fn apply(&mut self, capture: &Capture) {
        let saved = match self
            .retracted
            .iter()
            .position(|old| old.excerpt.id == capture.excerpt.id)
        {
            Some(index) => {
                self.retracted.remove(index);
                true
            }
            None => false,
        };
        if let Some((document, _, after)) = &capture.regraded {
            self.corrections.follow_regrade(*document, after.as_deref());
        }
        self.captures.push((capture.clone(), saved));
    }

    /// Takes a capture out of effect (an undo).
    pub fn withdraw(&mut self, excerpt_id: i64) {
        if let Some(index) = self
            .captures
            .iter()
            .position(|(capture, _)| capture.excerpt.id == excerpt_id)
        {
            let (capture, saved) = self.captures.remove(index);
            if let Some((document, before, _)) = &capture.regraded {
                self.corrections
                    .follow_regrade(*document, before.as_deref());
            }
            if saved {
                self.retracted.push(capture);
            }
        }
    }

    /// Everything is in the file now.
    pub fn mark_saved(&mut self) {
        self.documents_saved = self.documents.len();
        for (_, saved) in &mut self.captures {
            *saved = true;
        }
        self.retracted.clear();
        let written = self.confirmations.clone();
        self.confirmations.mark_saved_as_of(&written);
        let written = self.corrections.clone();
        self.corrections.mark_saved_as_of(&written);
    }

    /// What a save of `written` (a copy of this set taken when it began)
    /// put in the file is saved; what changed since is not.
    pub fn mark_saved_as_of(&mut self, written: &Self) {
        self.documents_saved = self
            .documents_saved
            .max(written.documents.len().min(self.documents.len()));
        for (capture, saved) in &mut self.captures {
            if written
                .captures
                .iter()
                .any(|(old, _)| old.excerpt.id == capture.excerpt.id)
            {
                *saved = true;
            }
        }
        self.retracted.retain(|capture| {
            !written
                .retracted
                .iter()
                .any(|old| old.excerpt.id == capture.excerpt.id)
        });
        self.confirmations.mark_saved_as_of(&written.confirmations);
        self.corrections.mark_saved_as_of(&written.corrections);
    }

    /// Captures in effect that cite `relation_id`.
    pub fn citing(&self, relation_id: i64) -> impl Iterator<Item = &Capture> {
        self.captures
            .iter()
            .map(|(capture, _)| capture)
            .filter(move |capture| capture.relation_id == relation_id)
    }

    /// Whether an excerpt id of the file was retracted (undone after a
    /// save), so that readers of the file leave it out.
    pub fn is_retracted(&self, excerpt_id: i64) -> bool {
        self.retracted
            .iter()
            .any(|capture| capture.excerpt.id == excerpt_id)
    }

    /// The reliability of document `id` as the edits in effect left it (a
    /// correction of its details, or a capture that regraded it; None:
    /// neither did, the stored grade holds).
    pub fn regraded(&self, id: i64) -> Option<Option<&str>> {
        if let Some(now) = self.corrections.now(id) {
            return Some(now.reliability.as_deref());
        }
        self.captures
            .iter()
            .rev()
            .filter_map(|(capture, _)| capture.regraded.as_ref())
            .find(|(document, ..)| *document == id)
            .map(|(_, _, after)| after.as_deref())
    }

    /// `document`'s details as the edits in effect left them.
    pub fn details_now(&self, document: &SourceDocument) -> DocumentDetails {
        if let Some(now) = self.corrections.now(document.id) {
            return now.clone();
        }
        let mut details = DocumentDetails::of(document);
        if let Some(regraded) = self.regraded(document.id) {
            details.reliability = regraded.map(str::to_owned);
        }
        details
    }

    /// `document` as the edits in effect left its details (its text and
    /// the rest as they were).
    pub fn corrected(&self, document: &Arc<SourceDocument>) -> Arc<SourceDocument> {
        let details = self.details_now(document);
        if details == DocumentDetails::of(document) {
            return Arc::clone(document);
        }
        let mut corrected = (**document).clone();
        details.put_on(&mut corrected);
        Arc::new(corrected)
    }

    /// A relation this set created.
    pub fn new_relation(&self, id: i64) -> Option<&NewRelation> {
        self.captures
            .iter()
            .filter_map(|(capture, _)| capture.relation.as_ref())
            .find(|relation| relation.id == id)
    }

    /// An entity this set created.
    pub fn new_entity(&self, id: i64) -> Option<&NewEntity> {
        self.captures
            .iter()
            .flat_map(|(capture, _)| &capture.entities)
            .find(|entity| entity.id == id)
    }
}

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
