//! Corrections of a saved document's descriptive fields: its title,
//! author, publisher, URL, dates and reliability may be put right after
//! the file holds it (a typo in the title, a grade revised), while its text,
//! hashes, extractor and file name stay as they were captured (a changed
//! source is a new document that supersedes the old one).
//!
//! Each correction is one edit, held in memory with the captures until
//! Save, which rewrites just the changed columns of just the corrected rows
//! (see `store::corrections`). What a save writes is the difference between
//! what the file holds and what the edits done and undone say now, so an
//! undone correction that was saved has its old values written back.
//!
//! A reliability change regrades every excerpt of the document: the
//! support of each relation citing one is found again ([`Regrade`]).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use super::capture::SourceDocument;
use super::{BuildError, EdgeIx, Graph, GraphBuilder, NodeIx};

/// The fields of a `documents` row that may be corrected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentDetails {
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub retrieved_at: Option<String>,
    /// Admiralty source reliability 'A'..'F'.
    pub reliability: Option<String>,
}

/// One correctable field; its column in `documents`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DetailField {
    Title,
    Author,
    Publisher,
    Url,
    Published,
    Retrieved,
    Reliability,
}

impl DetailField {
    pub const ALL: [Self; 7] = [
        Self::Title,
        Self::Author,
        Self::Publisher,
        Self::Url,
        Self::Published,
        Self::Retrieved,
        Self::Reliability,
    ];

    /// What the reader calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Title => "Title",
            Self::Author => "Author",
            Self::Publisher => "Publisher",
            Self::Url => "URL",
            Self::Published => "Published",
            Self::Retrieved => "Retrieved",
            Self::Reliability => "Reliability",
        }
    }

    /// Its column in `documents` (a fixed name, safe to put in SQL).
    pub fn column(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Author => "author",
            Self::Publisher => "publisher",
            Self::Url => "url",
            Self::Published => "published",
            Self::Retrieved => "retrieved_at",
            Self::Reliability => "reliability",
        }
    }
}

impl DocumentDetails {
    pub fn of(document: &SourceDocument) -> Self {
        Self {
            title: document.title.clone(),
            author: document.author.clone(),
            publisher: document.publisher.clone(),
            url: document.url.clone(),
            published: document.published.clone(),
            retrieved_at: document.retrieved_at.clone(),
            reliability: document.reliability.clone(),
        }
    }

    /// `document` with these details (its text and the rest kept).
    pub fn put_on(&self, document: &mut SourceDocument) {
        document.title.clone_from(&self.title);
        document.author.clone_from(&self.author);
        document.publisher.clone_from(&self.publisher);
        document.url.clone_from(&self.url);
        document.published.clone_from(&self.published);
        document.retrieved_at.clone_from(&self.retrieved_at);
        document.reliability.clone_from(&self.reliability);
    }

    /// The value of `field` (the title is never NULL).
    pub fn get(&self, field: DetailField) -> Option<&str> {
        match field {
            DetailField::Title => Some(&self.title),
            DetailField::Author => self.author.as_deref(),
            DetailField::Publisher => self.publisher.as_deref(),
            DetailField::Url => self.url.as_deref(),
            DetailField::Published => self.published.as_deref(),
            DetailField::Retrieved => self.retrieved_at.as_deref(),
            DetailField::Reliability => self.reliability.as_deref(),
        }
    }

    /// The fields whose values differ from `other`'s.
    pub fn changed_from(&self, other: &Self) -> Vec<DetailField> {
        DetailField::ALL
            .into_iter()
            .filter(|&field| self.get(field) != other.get(field))
            .collect()
    }
}

/// The support of the relations citing a regraded document's excerpts,
/// before and after: `(relation id, before, after)`. Found once, by the
/// first run of the change (it reads the file); undo and redo then put
/// back exactly these values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Regrade {
    pub document_id: i64,
    pub found: Arc<OnceLock<Vec<(i64, f32, f32)>>>,
}

impl Regrade {
    pub fn new(document_id: i64) -> Self {
        Self {
            document_id,
            found: Arc::default(),
        }
    }
}

/// One correction: the document's details before and after. Typing in one
/// field is one correction, however many keys it took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailsEdit {
    pub document_id: i64,
    pub field: DetailField,
    pub before: DocumentDetails,
    pub after: DocumentDetails,
}

impl DetailsEdit {
    /// What the Edit menu calls it.
    pub fn what(&self) -> String {
        let title = &self.before.title;
        let short: String = title.chars().take(24).collect();
        let more = if title.chars().count() > 24 {
            "..."
        } else {
            ""
        };
        let field = match self.field {
            DetailField::Url => "URL".to_owned(),
            field => field.label().to_lowercase(),
        };
        format!("Change the {field} of \"{short}{more}\"")
    }
}

/// A corrected document: what the file holds (as far as the edits know)
/// and what the edits say now.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Corrected {
    in_file: DocumentDetails,
    now: DocumentDetails,
}

/// The saved documents whose details were corrected in this session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Corrections {
    documents: BTreeMap<i64, Corrected>,
}

impl Corrections {
    /// Sets document `id`'s details to `now`; `in_file` is what the file
    /// holds, taken the first time the document is corrected.
    pub fn set(&mut self, id: i64, in_file: &DocumentDetails, now: DocumentDetails) {
        self.documents
            .entry(id)
            .and_modify(|corrected| corrected.now.clone_from(&now))
            .or_insert_with(|| Corrected {
                in_file: in_file.clone(),
                now,
            });
    }

    /// Document `id`'s details as the edits left them (None: never
    /// corrected).
    pub fn now(&self, id: i64) -> Option<&DocumentDetails> {
        self.documents.get(&id).map(|corrected| &corrected.now)
    }

    /// A capture regraded document `id` (or its undo put the grade back):
    /// a corrected document follows, so that its details stay whole.
    pub fn follow_regrade(&mut self, id: i64, reliability: Option<&str>) {
        if let Some(corrected) = self.documents.get_mut(&id) {
            corrected.now.reliability = reliability.map(str::to_owned);
        }
    }

    /// Whether a save has anything of these to write.
    pub fn has_unsaved(&self) -> bool {
        self.documents
            .values()
            .any(|corrected| corrected.now != corrected.in_file)
    }

    /// The documents to write: id, the fields that changed, and the values
    /// now.
    pub fn unsaved(&self) -> impl Iterator<Item = (i64, Vec<DetailField>, &DocumentDetails)> {
        self.documents.iter().filter_map(|(&id, corrected)| {
            let changed = corrected.now.changed_from(&corrected.in_file);
            (!changed.is_empty()).then_some((id, changed, &corrected.now))
        })
    }

    /// What a save of `written` (a copy taken when it began) wrote is what
    /// the file holds now.
    pub fn mark_saved_as_of(&mut self, written: &Self) {
        for (id, wrote) in &written.documents {
            if let Some(corrected) = self.documents.get_mut(id) {
                corrected.in_file.clone_from(&wrote.now);
            }
        }
    }
}

/// `graph` with the support of the relations `supports` names (by database
/// id) set anew; everything else, every index included, is kept.
pub fn with_supports(graph: &Graph, supports: &[(i64, f32)]) -> Result<Graph, BuildError> {
    let mut builder = GraphBuilder::with_capacity(graph.node_count(), graph.edge_count());
    for node in 0..graph.node_count() as NodeIx {
        builder.add_entity(
            graph.node_db_id(node),
            graph.node_kind_text(node),
            graph.node_name(node),
        )?;
    }
    let mut counts = Vec::with_capacity(graph.edge_count());
    let mut support: Vec<f32> = Vec::with_capacity(graph.edge_count());
    let mut contradicting = Vec::with_capacity(graph.edge_count());
    for edge in 0..graph.edge_count() as EdgeIx {
        let (source, target) = graph.edge_endpoints(edge);
        let label = graph.edge_label(edge);
        builder.add_relation(
            graph.edge_db_id(edge),
            graph.node_db_id(source),
            graph.node_db_id(target),
            graph.edge_kind_text(edge),
            (!label.is_empty()).then_some(label),
        )?;
        counts.push(graph.edge_excerpt_count(edge));
        support.push(graph.edge_support(edge));
        contradicting.push(graph.edge_contradicting_count(edge));
    }
    for &(id, value) in supports {
        if let Some(edge) = graph.edge_by_db_id(id) {
            support[edge as usize] = value;
        }
    }
    Ok(builder.finish_with_evidence(counts, support, contradicting))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(title: &str, reliability: Option<&str>) -> DocumentDetails {
        DocumentDetails {
            title: title.to_owned(),
            reliability: reliability.map(str::to_owned),
            ..DocumentDetails::default()
        }
    }

    #[test]
    fn a_save_writes_what_differs_from_the_file_and_an_undo_after_it_writes_back() {
        let file = details("Typo in teh title", Some("C"));
        let fixed = details("Typo in the title", Some("C"));
        let mut corrections = Corrections::default();
        assert!(!corrections.has_unsaved());
        corrections.set(7, &file, fixed.clone());
        let unsaved: Vec<_> = corrections.unsaved().collect();
        assert_eq!(unsaved, vec![(7, vec![DetailField::Title], &fixed)]);
        // Undone before a save: nothing to write.
        corrections.set(7, &fixed, file.clone());
        assert!(!corrections.has_unsaved());
        corrections.set(7, &file, fixed.clone());
        let written = corrections.clone();
        corrections.mark_saved_as_of(&written);
        assert!(!corrections.has_unsaved());
        // Undone after the save: the old title is to be written back.
        corrections.set(7, &file, file.clone());
        let unsaved: Vec<_> = corrections.unsaved().collect();
        assert_eq!(unsaved, vec![(7, vec![DetailField::Title], &file)]);
        // A capture regrading the document is followed.
        corrections.follow_regrade(7, Some("A"));
        assert_eq!(
            corrections.now(7).unwrap().reliability.as_deref(),
            Some("A")
        );
        let (_, changed, _) = corrections.unsaved().next().unwrap();
        assert_eq!(changed, vec![DetailField::Title, DetailField::Reliability]);
        corrections.follow_regrade(8, Some("A"));
        assert_eq!(corrections.now(8), None, "only corrected documents follow");
    }

    #[test]
    fn the_edit_menu_names_the_field_and_the_document() {
        let edit = DetailsEdit {
            document_id: 3,
            field: DetailField::Url,
            before: details("Security Cooperation Between Russia", None),
            after: details("Security Cooperation Between Russia", None),
        };
        assert_eq!(
            edit.what(),
            "Change the URL of \"Security Cooperation Bet...\""
        );
    }
}
