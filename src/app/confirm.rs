//! Confirming a fuzzy anchor from the evidence panel: the excerpt is
//! anchored on the passage proposed, as one edit (undo and redo as any
//! other), held with the captures and written only on Save.

use std::sync::Arc;

use super::LinkscopeApp;
use super::history::Edit;
use crate::model::confirm::{AnchorConfirmation, FuzzyAnchor};

impl LinkscopeApp {
    /// Confirms `fuzzy` today (UTC) and records it as an edit.
    pub(super) fn confirm_anchor(&mut self, ctx: &egui::Context, fuzzy: &FuzzyAnchor) {
        if self.document.is_none() {
            return;
        }
        if self.explore.is_some() {
            self.show_error(
                "an explored source is read-only: confirm the excerpt in a graph file (save the scene as one first)".to_owned(),
            );
            return;
        }
        let today = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
        let confirmation = fuzzy.confirm(&today);
        self.arrange.history.push(Edit::ConfirmAnchor {
            what: confirmation.what(),
            confirmation: Box::new(confirmation.clone()),
        });
        self.redo_or_undo_confirm(ctx, &confirmation, true);
    }

    /// Puts a confirm in effect (a new one or a redo) or takes it out (an
    /// undo); the evidence panel is read again over the result.
    pub(super) fn redo_or_undo_confirm(
        &mut self,
        ctx: &egui::Context,
        confirmation: &AnchorConfirmation,
        redo: bool,
    ) {
        let Some(document) = &mut self.document else {
            return;
        };
        let confirmations = &mut Arc::make_mut(&mut document.captures).confirmations;
        if redo {
            confirmations.apply(confirmation);
        } else {
            confirmations.withdraw(confirmation.excerpt_id);
        }
        self.mark_edited();
        self.restart_details(ctx);
        // The reader's mark moves with the anchor.
        self.refresh_highlights();
    }
}
