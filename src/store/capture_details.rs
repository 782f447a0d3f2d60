//! The details of a file with the analyst's captures laid over it: until
//! Save, a captured relation, entity or excerpt lives only in memory, yet
//! the evidence panel and the trace's evidence chains show it as if the
//! file held it; a saved capture that was undone is left out, and a saved
//! document's corrected details show as corrected.

use std::sync::Arc;

use super::details::{DetailsReader, DocumentInfo, EntityDetails, Excerpt, Field, RelationDetails};
use super::{DetailsProvider, StoreError};
use crate::model::anchor::AnchorState;
use crate::model::capture::{Capture, CaptureSet, SourceDocument};
use crate::model::confirm::AnchorConfirmation;

/// A file's details with `captures` over them.
pub struct CapturedDetails {
    reader: DetailsReader,
    captures: Arc<CaptureSet>,
}

/// A file's `excerpt` as the edits in memory left it: its document's
/// details corrected, its anchor confirmed (or a saved confirm undone).
pub(super) fn lay_edits_over(excerpt: &mut Excerpt, captures: &CaptureSet) {
    correct_document(&mut excerpt.document, captures);
    let confirmations = &captures.confirmations;
    if let Some(confirmed) = confirmations.confirmed(excerpt.id) {
        show_confirmed(excerpt, confirmed);
    } else if let Some(retracted) = confirmations.retracted(excerpt.id) {
        show_unconfirmed(excerpt, retracted);
    }
}

impl CapturedDetails {
    pub fn new(reader: DetailsReader, captures: Arc<CaptureSet>) -> Self {
        Self { reader, captures }
    }
}

fn field(text: Option<&str>) -> Field {
    Field {
        text: text.map(str::to_owned),
        ..Field::default()
    }
}

/// A document added in this session, as an excerpt shows it.
fn session_document(document: &SourceDocument) -> DocumentInfo {
    DocumentInfo {
        id: document.id,
        title: field(Some(&document.title)),
        author: field(document.author.as_deref()),
        publisher: field(document.publisher.as_deref()),
        url: field(document.url.as_deref()),
        published: field(document.published.as_deref()),
        language: field(document.language.as_deref()),
        reliability: field(document.reliability.as_deref()),
    }
}

/// A confirmed excerpt as the file will hold it after Save: exact, with
/// the document's words.
fn show_confirmed(excerpt: &mut Excerpt, confirmed: &AnchorConfirmation) {
    let anchor = &confirmed.after.anchor;
    excerpt.text = field(Some(&anchor.quote));
    excerpt.anchor_state = Some(AnchorState::Exact);
    excerpt.source_span = Some((anchor.start_char, anchor.end_char));
    excerpt.fuzzy = None;
    excerpt.note.clone_from(&confirmed.after.note);
}

/// An excerpt whose saved confirm was undone: as it was before it (the
/// document's text has not changed since, so the same passage is
/// proposed), though the file holds the confirmed row until Save.
fn show_unconfirmed(excerpt: &mut Excerpt, retracted: &AnchorConfirmation) {
    let proposal = retracted.proposal();
    excerpt.text = field(Some(&proposal.stored.anchor.quote));
    excerpt.anchor_state = Some(AnchorState::Fuzzy);
    excerpt.source_span = Some((proposal.proposed.start_char, proposal.proposed.end_char));
    excerpt.note.clone_from(&proposal.stored.note);
    excerpt.fuzzy = Some(Box::new(proposal));
}

/// `document` as the edits in effect left its details: corrected after it
/// was saved (title, author, publisher, URL, published, reliability), or
/// regraded by a capture. The file holds them only after Save.
pub(super) fn correct_document(document: &mut DocumentInfo, captures: &CaptureSet) {
    if let Some(now) = captures.corrections.now(document.id) {
        document.title = field(Some(&now.title));
        document.author = field(now.author.as_deref());
        document.publisher = field(now.publisher.as_deref());
        document.url = field(now.url.as_deref());
        document.published = field(now.published.as_deref());
        document.reliability = field(now.reliability.as_deref());
    } else if let Some(regraded) = captures.regraded(document.id) {
        document.reliability = field(regraded);
    }
}

impl CapturedDetails {
    fn document(&self, id: i64) -> Result<Option<DocumentInfo>, StoreError> {
        let mut document = match self.captures.document(id) {
            Some(document) => Some(session_document(document)),
            None => self.reader.document_info(id)?,
        };
        if let Some(document) = &mut document {
            correct_document(document, &self.captures);
        }
        Ok(document)
    }

    fn excerpt(&self, capture: &Capture) -> Result<Option<Excerpt>, StoreError> {
        let excerpt = &capture.excerpt;
        let Some(document) = self.document(excerpt.document_id)? else {
            return Ok(None);
        };
        Ok(Some(Excerpt {
            id: excerpt.id,
            text: field(Some(&excerpt.anchor.quote)),
            locator: field(excerpt.locator.as_deref()),
            credibility: field(excerpt.credibility.as_deref()),
            document,
            stance: capture.stance,
            source_span: Some((excerpt.anchor.start_char, excerpt.anchor.end_char)),
            anchor_state: Some(AnchorState::Exact),
            fuzzy: None,
            note: excerpt.note.clone(),
            captured_at: Some(excerpt.created_at.clone()),
        }))
    }
}

impl DetailsProvider for CapturedDetails {
    fn entity(&mut self, id: i64) -> Result<Option<EntityDetails>, StoreError> {
        if let Some(found) = self.reader.entity(id)? {
            return Ok(Some(found));
        }
        Ok(self.captures.new_entity(id).map(|entity| EntityDetails {
            id,
            kind: field(Some(&entity.kind)),
            name: field(Some(&entity.name)),
            description: Field::default(),
            date_start: Field::default(),
            date_end: Field::default(),
            properties: Vec::new(),
            properties_problem: None,
        }))
    }

    fn relation(&mut self, id: i64) -> Result<Option<RelationDetails>, StoreError> {
        let mut relation = match self.reader.relation(id)? {
            Some(relation) => relation,
            None => match self.captures.new_relation(id) {
                Some(created) => RelationDetails {
                    id,
                    subject_id: Some(created.subject_id),
                    object_id: Some(created.object_id),
                    kind: field(Some(&created.kind)),
                    label: field(created.label.as_deref()),
                    date_start: field(created.date_start.as_deref()),
                    date_end: field(created.date_end.as_deref()),
                    properties: Vec::new(),
                    properties_problem: None,
                    excerpts: Vec::new(),
                },
                None => return Ok(None),
            },
        };
        let captures = Arc::clone(&self.captures);
        relation
            .excerpts
            .retain(|excerpt| !captures.is_retracted(excerpt.id));
        for excerpt in &mut relation.excerpts {
            lay_edits_over(excerpt, &captures);
        }
        let known: Vec<i64> = relation.excerpts.iter().map(|excerpt| excerpt.id).collect();
        for capture in captures.citing(id) {
            if known.contains(&capture.excerpt.id) {
                continue;
            }
            if let Some(excerpt) = self.excerpt(capture)? {
                relation.excerpts.push(excerpt);
            }
        }
        relation.excerpts.sort_by_key(|excerpt| excerpt.id);
        Ok(Some(relation))
    }
}
