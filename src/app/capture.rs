//! Building the graph while reading: File > Add Source opens a document in
//! the reader beside the graph; a selected passage becomes, through the
//! capture form, a quoted and graded excerpt of a relation (new or already
//! there). A capture is one edit: the graph grows by it at once (in the
//! background, the picture held still and the newcomers placed beside
//! their neighbours), undo takes it back, and the file is written only on
//! Save, with the view, in one transaction.

use std::path::PathBuf;
use std::sync::Arc;

use super::LinkscopeApp;
use super::history::Edit;
use crate::jobs::capture::{
    CaptureChange, CaptureGraphJob, CaptureGraphRequest, SourceJob, SourceRead, SourceRequest,
};
use crate::model::anchor::SourceText;
use crate::model::capture::{
    Capture, CaptureSet, CapturedExcerpt, CitedBefore, IdFloor, NewEntity, NewRelation,
    SourceDocument, cited_before, excerpt_weight,
};
use crate::model::corrections::Regrade;
use crate::store::capture::{StoredHighlight, StoredSource};
use crate::view::capture_form::{CaptureDraft, CaptureForm, EndChoice, FormOutcome};
use crate::view::reader::{Highlight, ReaderView};

/// What a capture's undo and redo need beside the capture: the cited
/// relation's excerpt count and support before it, the weight its excerpt
/// adds, and the regrade of its document's other excerpts when it changed
/// the document's reliability.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct CaptureSteps {
    pub cited_before: CitedBefore,
    pub weight: f32,
    pub regrade: Option<Regrade>,
}

/// The reader, the capture form and their jobs.
#[derive(Default)]
pub(super) struct CaptureSession {
    pub reader_open: bool,
    /// The document shown, and the reader's state for it.
    pub shown: Option<Arc<SourceDocument>>,
    pub reader: Option<ReaderView>,
    /// Anchors of this document's excerpts that the file holds.
    pub stored_highlights: Vec<StoredHighlight>,
    /// Documents whose text the file holds.
    pub stored: Vec<StoredSource>,
    pub form: Option<CaptureForm>,
    /// A source being read, and the passage to show once it is.
    pub reading: Option<(SourceJob, Option<(usize, usize)>)>,
    /// The graph changing by a capture, or by its undo.
    pub changing: Option<CaptureGraphJob>,
    /// Changes asked for while one was running, in order.
    pub queued: std::collections::VecDeque<CaptureGraphRequest>,
    /// File > Paste Source's text, while its window is open.
    pub paste: Option<String>,
    /// The saved document's field being typed in.
    pub correcting: super::corrections::Correcting,
    /// The anchoring index of the shown document.
    anchor_index: Option<(i64, SourceText)>,
}

impl LinkscopeApp {
    /// The evidence captured in the open file (for tests and the status bar).
    pub fn captures(&self) -> Option<&CaptureSet> {
        self.document.as_ref().map(|document| &*document.captures)
    }

    /// The reader's state, when a document is shown (for tests).
    pub fn reader(&self) -> Option<&ReaderView> {
        self.capture.reader.as_ref()
    }

    /// The reader's state, for tests that select a passage as a drag would.
    pub fn reader_mut(&mut self) -> Option<&mut ReaderView> {
        self.capture.reader.as_mut()
    }

    /// Whether a source is being read or the graph is changing by a capture.
    pub fn is_capturing(&self) -> bool {
        self.capture.reading.is_some()
            || self.capture.changing.is_some()
            || !self.capture.queued.is_empty()
    }

    /// Reads a source file and shows it in the reader.
    pub(super) fn add_source(&mut self, ctx: &egui::Context, request: SourceRequest) {
        self.read_source(ctx, request, None);
    }

    pub(super) fn read_source(
        &mut self,
        ctx: &egui::Context,
        request: SourceRequest,
        passage: Option<(usize, usize)>,
    ) {
        let Some(document) = &self.document else {
            self.show_error(
                "open a graph file first: a source adds evidence to a graph".to_owned(),
            );
            return;
        };
        if self.explore.is_some() {
            self.show_error(
                "an explored source is read-only: capture evidence in a graph file (save the scene as one first)".to_owned(),
            );
            return;
        }
        match SourceJob::start(request, document.read_path.clone(), ctx.clone()) {
            Ok(job) => {
                self.capture.reading = Some((job, passage));
                self.capture.reader_open = true;
            }
            Err(error) => self.show_error(format!("could not start reading the source: {error}")),
        }
    }

    /// Shows the document `id` (added this session, or held by the file),
    /// with `passage` selected and marked.
    pub(super) fn open_in_source(
        &mut self,
        ctx: &egui::Context,
        id: i64,
        passage: Option<(usize, usize)>,
    ) {
        let session = self
            .document
            .as_ref()
            .and_then(|document| document.captures.document(id).cloned());
        match session {
            Some(document) => {
                self.show_source(document, Vec::new());
                if let (Some(reader), Some((start, end))) = (&mut self.capture.reader, passage) {
                    reader.show_passage(start, end);
                }
            }
            None => self.read_source(ctx, SourceRequest::Stored(id), passage),
        }
    }

    /// Takes finished source reads and graph changes.
    pub(super) fn poll_capture(&mut self, ctx: &egui::Context) {
        if let Some(read) = self
            .capture
            .reading
            .as_ref()
            .and_then(|(job, _)| job.poll())
        {
            let passage = self.capture.reading.take().and_then(|(_, passage)| passage);
            match read {
                Ok(read) => self.source_read(read, passage),
                Err(error) => self.show_error(format!("could not add the source: {error}")),
            }
        }
        if let Some(changed) = self
            .capture
            .changing
            .as_ref()
            .and_then(CaptureGraphJob::poll)
        {
            self.capture.changing = None;
            match changed {
                Ok(changed) => self.swap_in_captured_graph(ctx, changed),
                Err(error) => self.show_error(format!("could not change the graph: {error}")),
            }
            if let Some(next) = self.capture.queued.pop_front() {
                self.start_change(ctx, next);
            }
        }
    }

    fn source_read(&mut self, read: SourceRead, passage: Option<(usize, usize)>) {
        let Some(document) = &mut self.document else {
            return;
        };
        self.capture.stored = read.stored_sources;
        let captures = Arc::make_mut(&mut document.captures);
        if captures.next == IdFloor::default() {
            captures.next = read.floor;
        } else {
            let next = &mut captures.next;
            next.entity = next.entity.max(read.floor.entity);
            next.relation = next.relation.max(read.floor.relation);
            next.document = next.document.max(read.floor.document);
            next.excerpt = next.excerpt.max(read.floor.excerpt);
        }
        if let Some(stored) = read.stored {
            self.show_source(Arc::new(stored), read.stored_anchors);
        } else if let Some(extracted) = read.extracted {
            // The same bytes again are the same document.
            if let Some(same) = captures
                .documents
                .iter()
                .find(|document| {
                    document.sha256_bytes.as_deref() == Some(extracted.sha256_bytes.as_str())
                        && extracted.source_kind.as_str() != "paste"
                })
                .cloned()
            {
                self.show_source(same, Vec::new());
                return;
            }
            // A changed file of the same name is a new version of it.
            let supersedes_id = read.file_name.as_ref().and_then(|name| {
                captures
                    .documents
                    .iter()
                    .rev()
                    .find(|document| document.file_name.as_ref() == Some(name))
                    .map(|document| document.id)
                    .or_else(|| {
                        self.capture
                            .stored
                            .iter()
                            .rev()
                            .find(|stored| stored.file_name.as_ref() == Some(name))
                            .map(|stored| stored.id)
                    })
            });
            let id = captures.take_document_id();
            let title = extracted
                .title
                .clone()
                .or_else(|| read.file_name.clone())
                .unwrap_or_else(|| format!("Pasted text {id}"));
            let added = Arc::new(SourceDocument {
                id,
                title,
                author: extracted.author,
                publisher: extracted.publisher,
                url: extracted.url,
                published: extracted.published,
                language: extracted.language,
                reliability: None,
                source_kind: extracted.source_kind.as_str().to_owned(),
                file_name: read.file_name,
                retrieved_at: extracted.retrieved_at,
                imported_at: now_rfc3339(),
                sha256_bytes: Some(extracted.sha256_bytes),
                sha256_text: extracted.sha256_text,
                extractor: extracted.extractor,
                supersedes_id,
                text: Arc::from(extracted.text),
                pages: extracted.pages,
            });
            captures.documents.push(Arc::clone(&added));
            self.mark_edited();
            self.show_source(added, Vec::new());
        }
        if let (Some(reader), Some((start, end))) = (&mut self.capture.reader, passage) {
            reader.show_passage(start, end);
        }
    }

    fn show_source(&mut self, document: Arc<SourceDocument>, stored: Vec<StoredHighlight>) {
        let same = self
            .capture
            .shown
            .as_ref()
            .is_some_and(|shown| shown.id == document.id);
        if !same {
            self.capture.reader = Some(ReaderView::new(document.id, Arc::clone(&document.text)));
            self.capture.stored_highlights = stored;
        }
        self.capture.shown = Some(document);
        self.capture.reader_open = true;
        self.refresh_highlights();
    }

    /// The reader marks every passage of its document that is captured.
    pub(super) fn refresh_highlights(&mut self) {
        let (Some(reader), Some(document)) = (&mut self.capture.reader, &self.document) else {
            return;
        };
        let captures = &document.captures;
        // The file's marks, less the captures undone since they were saved,
        // and where a confirm in memory moved them (or its undo put them).
        let mut highlights: Vec<Highlight> = self
            .capture
            .stored_highlights
            .iter()
            .filter(|stored| !captures.is_retracted(stored.excerpt_id))
            .map(|stored| {
                let confirmations = &captures.confirmations;
                let anchor = if let Some(confirmed) = confirmations.confirmed(stored.excerpt_id) {
                    Some(&confirmed.after.anchor)
                } else {
                    confirmations
                        .retracted(stored.excerpt_id)
                        .map(|undone| &undone.before.anchor)
                };
                let (start, end) = anchor.map_or((stored.start, stored.end), |anchor| {
                    (anchor.start_char, anchor.end_char)
                });
                Highlight {
                    start,
                    end,
                    contradicts: stored.contradicts,
                }
            })
            .collect();
        for (capture, _) in &document.captures.captures {
            if capture.excerpt.document_id == reader.document_id {
                highlights.push(Highlight {
                    start: capture.excerpt.anchor.start_char,
                    end: capture.excerpt.anchor.end_char,
                    contradicts: capture.stance == crate::model::capture::Stance::Contradicts,
                });
            }
        }
        highlights.sort_by_key(|highlight| (highlight.start, highlight.end));
        highlights.dedup();
        reader.highlights = highlights;
    }

    /// The shown document's reliability as the captures left it.
    fn shown_reliability(&self) -> Option<String> {
        let shown = self.capture.shown.as_ref()?;
        let document = self.document.as_ref()?;
        match document.captures.regraded(shown.id) {
            Some(regraded) => regraded.map(str::to_owned),
            None => shown.reliability.clone(),
        }
    }

    /// Opens the capture form for the reader's selection.
    pub(super) fn open_capture_form(&mut self) {
        let (Some(reader), Some(document)) = (&self.capture.reader, &self.document) else {
            self.show_error(
                "open a source first (File > Add Source...) and select a passage in it".to_owned(),
            );
            return;
        };
        let Some((start, end)) = reader.selection() else {
            self.show_error("select a passage in the reader first".to_owned());
            return;
        };
        let quote: String = reader
            .text()
            .chars()
            .skip(start)
            .take(end - start)
            .collect();
        if quote.trim().is_empty() {
            self.show_error(
                "the selection holds only spaces: select the words to quote".to_owned(),
            );
            return;
        }
        let selected_edge = self.selection.edge();
        let form = CaptureForm::new(
            &document.graph,
            reader.document_id,
            (start, end),
            quote,
            selected_edge,
            self.shown_reliability(),
        );
        self.capture.form = Some(form);
    }

    /// The capture form's window, while it is open.
    pub(super) fn capture_form_window(&mut self, ctx: &egui::Context) {
        let (Some(form), Some(document)) = (&mut self.capture.form, &self.document) else {
            return;
        };
        let graph = Arc::clone(&document.graph);
        match crate::view::capture_form::capture_form_ui(ctx, &graph, form) {
            FormOutcome::Open => {}
            FormOutcome::Cancel => {
                self.capture.form = None;
                if let Some(reader) = &mut self.capture.reader {
                    reader.request_focus();
                }
            }
            FormOutcome::Commit(draft) => {
                self.capture.form = None;
                self.commit_capture(ctx, &draft);
                if let Some(reader) = &mut self.capture.reader {
                    reader.clear_selection();
                    reader.request_focus();
                }
            }
        }
    }

    /// Whether the capture form is open (the canvas's keys wait).
    pub fn is_capture_form_open(&self) -> bool {
        self.capture.form.is_some()
    }

    fn commit_capture(&mut self, ctx: &egui::Context, draft: &CaptureDraft) {
        let Some(shown) = self.capture.shown.clone() else {
            return;
        };
        let reliability_now = self.shown_reliability();
        let Some(document) = &mut self.document else {
            return;
        };
        let graph = Arc::clone(&document.graph);
        let index = match &self.capture.anchor_index {
            Some((id, index)) if *id == shown.id => index,
            _ => {
                let index = SourceText::new(shown.text.to_string());
                &self.capture.anchor_index.insert((shown.id, index)).1
            }
        };
        let anchor = index.anchor(draft.span.0, draft.span.1);
        let captures = Arc::make_mut(&mut document.captures);
        let mut entities = Vec::new();
        let mut end_id = |choice: &Option<EndChoice>, entities: &mut Vec<NewEntity>| {
            match choice {
                Some(EndChoice::Existing(node)) => Some(graph.node_db_id(*node)),
                Some(EndChoice::New { name, kind }) => {
                    // The same new name on both ends is one entity.
                    if let Some(entity) = entities
                        .iter()
                        .find(|entity: &&NewEntity| entity.name == *name)
                    {
                        return Some(entity.id);
                    }
                    let id = captures.take_entity_id();
                    entities.push(NewEntity {
                        id,
                        kind: kind.clone(),
                        name: name.clone(),
                    });
                    Some(id)
                }
                None => None,
            }
        };
        let (relation, relation_id) = if let Some(edge) = draft.cite {
            (None, graph.edge_db_id(edge))
        } else {
            let (Some(subject_id), Some(object_id)) = (
                end_id(&draft.from, &mut entities),
                end_id(&draft.to, &mut entities),
            ) else {
                return;
            };
            let id = captures.take_relation_id();
            (
                Some(NewRelation {
                    id,
                    subject_id,
                    object_id,
                    kind: draft.kind.clone(),
                    label: Some(draft.kind.replace('_', " ")),
                    date_start: draft.date_start.clone(),
                    date_end: draft.date_end.clone(),
                }),
                id,
            )
        };
        let page_no = shown.page_of(anchor.start_char);
        let locator = match page_no {
            Some(page) => format!("p. {page}"),
            None => format!("line {}", line_of(&shown.text, anchor.start_char)),
        };
        let excerpt_id = captures.take_excerpt_id();
        let regraded = (draft.reliability != reliability_now)
            .then(|| (shown.id, reliability_now.clone(), draft.reliability.clone()));
        let capture = Capture {
            entities,
            relation,
            relation_id,
            excerpt: CapturedExcerpt {
                id: excerpt_id,
                document_id: shown.id,
                anchor,
                page_no,
                locator: Some(locator),
                credibility: draft.credibility.clone(),
                created_at: now_rfc3339(),
                note: draft.note.clone(),
            },
            stance: draft.stance,
            regraded,
        };
        // Its weight is taken with the document's grade as the edits left
        // it (a stored document's included), once, so a redo adds the same.
        let steps = CaptureSteps {
            cited_before: cited_before(&graph, &capture),
            weight: excerpt_weight(&capture, reliability_now.as_deref()),
            regrade: capture
                .regraded
                .as_ref()
                .map(|(document, ..)| Regrade::new(*document)),
        };
        self.arrange.history.push(Edit::Capture {
            what: capture.what(),
            capture: Box::new(capture.clone()),
            steps: steps.clone(),
        });
        self.change_by_capture(ctx, &capture, &steps, true);
    }

    /// Puts a capture in effect (a new one or a redo) or takes it out (an
    /// undo).
    pub(super) fn redo_or_undo_capture(
        &mut self,
        ctx: &egui::Context,
        capture: &Capture,
        steps: &CaptureSteps,
        redo: bool,
    ) {
        self.change_by_capture(ctx, capture, steps, redo);
    }

    fn change_by_capture(
        &mut self,
        ctx: &egui::Context,
        capture: &Capture,
        steps: &CaptureSteps,
        add: bool,
    ) {
        let Some(document) = &mut self.document else {
            return;
        };
        let captures = Arc::make_mut(&mut document.captures);
        if add {
            captures.apply(capture);
        } else {
            captures.withdraw(capture.excerpt.id);
        }
        self.mark_edited();
        self.restart_details(ctx);
        self.refresh_highlights();
        // A capture that regraded its document regrades the document's
        // other excerpts after it grows the graph, and before it is undone.
        if add {
            self.queue_graph_change(
                ctx,
                CaptureChange::Add {
                    capture: capture.clone(),
                    weight: steps.weight,
                },
            );
        }
        if let Some(regrade) = &steps.regrade {
            self.queue_regrade(ctx, regrade, add);
        }
        if !add {
            self.queue_graph_change(
                ctx,
                CaptureChange::Remove {
                    capture: capture.clone(),
                    cited_before: steps.cited_before,
                },
            );
        }
    }

    /// A save wrote `written` (the captures as they were when it began):
    /// the file holds them now, and the details are read from it again.
    pub(super) fn captures_saved(&mut self, ctx: &egui::Context, written: &CaptureSet) {
        let Some(document) = &mut self.document else {
            return;
        };
        Arc::make_mut(&mut document.captures).mark_saved_as_of(written);
        self.restart_details(ctx);
    }

    /// Keeps the source list and the form current when a file is opened.
    pub(super) fn forget_captures(&mut self) {
        self.capture = CaptureSession::default();
    }

    /// The paste window's text was added as a source.
    pub(super) fn add_pasted(&mut self, ctx: &egui::Context, text: String) {
        self.add_source(ctx, SourceRequest::Pasted(text));
    }

    /// A path given for File > Add Source.
    pub(super) fn add_source_path(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.add_source(ctx, SourceRequest::File(path));
    }
}

/// The 1-based line of char `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    1 + text.chars().take(offset).filter(|&c| c == '\n').count()
}

/// Now, as RFC 3339 UTC to the second.
pub(crate) fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}
