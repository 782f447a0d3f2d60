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

mod graph;
pub use graph::{CitedBefore, cited_before, excerpt_weight, grow_by_capture, shrink_by_capture};

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
