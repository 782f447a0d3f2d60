//! Correcting a saved document's details in the reader (its title, author,
//! publisher, URL, dates, reliability; never its text): each correction is
//! one edit, undone and redone as any other, held with the captures and
//! written only on Save. Typing in one field is one edit for as long as
//! the field keeps the keys. A change of reliability regrades the
//! document's excerpts, so the support of the relations citing them
//! follows (and goes back on undo).

use std::sync::Arc;

use super::LinkscopeApp;
use super::history::Edit;
use crate::model::corrections::{DetailField, DetailsEdit, DocumentDetails, Regrade};

/// The field of a saved document being typed in, and what it holds: the
/// text typed shows while the field has the keys, even where it is not
/// applied (an empty title).
#[derive(Debug, Default)]
pub(super) struct Correcting {
    pub field: Option<(i64, DetailField)>,
    pub draft: String,
    /// The field's typing has made an edit, which further keys amend.
    pub amending: bool,
}

impl LinkscopeApp {
    /// Sets saved document `id`'s details from `before` to `after`, as an
    /// edit; `typing` says the change came from the field that has the keys,
    /// so it amends the edit that field's typing began.
    pub(super) fn correct_details(
        &mut self,
        ctx: &egui::Context,
        id: i64,
        field: DetailField,
        before: &DocumentDetails,
        after: DocumentDetails,
        typing: bool,
    ) {
        if self.explore.is_some() || *before == after {
            return;
        }
        let correcting = &self.capture.correcting;
        let goes_on = typing
            && correcting.amending
            && correcting.field == Some((id, field))
            && matches!(
                self.arrange.history.next_undo(),
                Some(Edit::CorrectDetails { edit, .. })
                    if edit.document_id == id && edit.field == field
            );
        self.capture.correcting.amending = typing;
        if goes_on {
            let mut back_where_it_began = false;
            if let Some(Edit::CorrectDetails { edit, .. }) = self.arrange.history.amend_last() {
                edit.after.clone_from(&after);
                back_where_it_began = edit.after == edit.before;
            }
            if back_where_it_began {
                self.arrange.history.forget_last();
                self.capture.correcting.amending = false;
            }
        } else {
            let edit = DetailsEdit {
                document_id: id,
                field,
                before: before.clone(),
                after: after.clone(),
            };
            let regrade = (before.reliability != after.reliability).then(|| Regrade::new(id));
            self.arrange.history.push(Edit::CorrectDetails {
                what: edit.what(),
                edit: Box::new(edit),
                regrade: regrade.clone(),
            });
            if let Some(regrade) = regrade {
                self.set_details(ctx, id, before, after, Some((&regrade, true)));
                return;
            }
        }
        self.set_details(ctx, id, before, after, None);
    }

    /// Puts a correction in effect (redo) or takes it out (undo).
    pub(super) fn redo_or_undo_correction(
        &mut self,
        ctx: &egui::Context,
        edit: &DetailsEdit,
        regrade: Option<&Regrade>,
        redo: bool,
    ) {
        // Undo and redo end any typing: the next key is a new edit.
        self.capture.correcting.field = None;
        let now = if redo { &edit.after } else { &edit.before };
        self.set_details(
            ctx,
            edit.document_id,
            &edit.before,
            now.clone(),
            regrade.map(|regrade| (regrade, redo)),
        );
    }

    /// Document `id`'s details are `now` (`in_file` is what the file holds
    /// if it was not corrected before); a regrade changes the graph after.
    fn set_details(
        &mut self,
        ctx: &egui::Context,
        id: i64,
        in_file: &DocumentDetails,
        now: DocumentDetails,
        regrade: Option<(&Regrade, bool)>,
    ) {
        let Some(document) = &mut self.document else {
            return;
        };
        let captures = Arc::make_mut(&mut document.captures);
        captures.corrections.set(id, in_file, now);
        self.mark_edited();
        self.restart_details(ctx);
        if let Some((regrade, redo)) = regrade {
            self.queue_regrade(ctx, regrade, redo);
        }
    }
}
