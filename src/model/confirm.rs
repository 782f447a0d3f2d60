//! A fuzzy anchor the analyst confirmed: a captured excerpt whose quote
//! only matches its document's text approximately now (see
//! [`AnchorState::Fuzzy`](super::anchor::AnchorState)) is re-anchored on the
//! passage proposed, and quotes the document's words there from then on.
//! The quote as it was captured is not lost: it goes into the excerpt's
//! note.
//!
//! A confirm is one edit, held in memory with the captures until Save,
//! which rewrites just that excerpt's row (see `store::confirm`). A confirm
//! that was saved and is then undone is *retracted*: the next save writes
//! the row's old values back.

use super::anchor::TextAnchor;

/// The columns of an `excerpts` row that a confirm rewrites.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExcerptAnchorRow {
    /// `text`, offsets, `prefix`, `suffix` and `anchored_sha256`.
    pub anchor: TextAnchor,
    /// `anchor_state` as stored (NULL where the file has none).
    pub anchor_state: Option<String>,
    pub note: Option<String>,
}

/// A captured excerpt found only approximately, with what Confirm would
/// make of it: the evidence panel offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuzzyAnchor {
    pub excerpt_id: i64,
    /// The row as the file holds it.
    pub stored: ExcerptAnchorRow,
    /// The anchor of the passage proposed, taken in the document's current
    /// text (its quote is the document's words there).
    pub proposed: TextAnchor,
}

impl FuzzyAnchor {
    /// The confirm of this proposal on `date` (UTC, `YYYY-MM-DD`): the
    /// proposed anchor, state exact, and the captured quote appended to the
    /// note.
    pub fn confirm(&self, date: &str) -> AnchorConfirmation {
        let line = format!(
            "Re-anchored on {date}; captured as: «{}»",
            self.stored.anchor.quote
        );
        let note = match self.stored.note.as_deref() {
            Some(note) if !note.trim().is_empty() => format!("{note}\n{line}"),
            _ => line,
        };
        AnchorConfirmation {
            excerpt_id: self.excerpt_id,
            before: self.stored.clone(),
            after: ExcerptAnchorRow {
                anchor: self.proposed.clone(),
                anchor_state: Some("exact".to_owned()),
                note: Some(note),
            },
        }
    }
}

/// One confirm: the excerpt's row before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorConfirmation {
    pub excerpt_id: i64,
    pub before: ExcerptAnchorRow,
    pub after: ExcerptAnchorRow,
}

impl AnchorConfirmation {
    /// What the Edit menu calls it.
    pub fn what(&self) -> String {
        let quote = &self.after.anchor.quote;
        let short: String = quote.chars().take(24).collect();
        let more = if quote.chars().count() > 24 {
            "..."
        } else {
            ""
        };
        format!("Confirm \"{short}{more}\"")
    }

    /// The proposal it confirmed, as the panel offers it again once the
    /// confirm is undone.
    pub fn proposal(&self) -> FuzzyAnchor {
        FuzzyAnchor {
            excerpt_id: self.excerpt_id,
            stored: self.before.clone(),
            proposed: self.after.anchor.clone(),
        }
    }
}

/// The confirms in effect and those retracted, as the edits done and
/// undone left them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Confirmations {
    /// Confirms in effect, each with whether the file already holds it.
    pub in_effect: Vec<(AnchorConfirmation, bool)>,
    /// Saved confirms that were undone: the next save writes their
    /// `before` back.
    pub retracted: Vec<AnchorConfirmation>,
}

impl Confirmations {
    /// Whether a save has anything of these to write.
    pub fn has_unsaved(&self) -> bool {
        self.in_effect.iter().any(|(_, saved)| !saved) || !self.retracted.is_empty()
    }

    /// Puts a confirm in effect (a new one, or a redo). One retracted for
    /// the same excerpt comes back as saved when it wrote the same row (the
    /// file still holds it), and is replaced otherwise.
    pub fn apply(&mut self, confirmation: &AnchorConfirmation) {
        let saved = match self
            .retracted
            .iter()
            .position(|old| old.excerpt_id == confirmation.excerpt_id)
        {
            Some(index) => self.retracted.remove(index).after == confirmation.after,
            None => false,
        };
        self.in_effect
            .retain(|(old, _)| old.excerpt_id != confirmation.excerpt_id);
        self.in_effect.push((confirmation.clone(), saved));
    }

    /// Takes the confirm of `excerpt_id` out of effect (an undo).
    pub fn withdraw(&mut self, excerpt_id: i64) {
        if let Some(index) = self
            .in_effect
            .iter()
            .position(|(confirmation, _)| confirmation.excerpt_id == excerpt_id)
        {
            let (confirmation, saved) = self.in_effect.remove(index);
            if saved {
                self.retracted.push(confirmation);
            }
        }
    }

    /// What a save of `written` (a copy taken when it began) put in the
    /// file is saved; what changed since is not.
    pub fn mark_saved_as_of(&mut self, written: &Self) {
        for (confirmation, saved) in &mut self.in_effect {
            if written.in_effect.iter().any(|(old, _)| old == confirmation) {
                *saved = true;
            }
        }
        self.retracted
            .retain(|confirmation| !written.retracted.iter().any(|old| old == confirmation));
    }

    /// The confirm in effect for `excerpt_id`.
    pub fn confirmed(&self, excerpt_id: i64) -> Option<&AnchorConfirmation> {
        self.in_effect
            .iter()
            .map(|(confirmation, _)| confirmation)
            .find(|confirmation| confirmation.excerpt_id == excerpt_id)
    }

    /// The retracted confirm of `excerpt_id`: the file holds its `after`,
    /// while the analyst's edits say `before`.
    pub fn retracted(&self, excerpt_id: i64) -> Option<&AnchorConfirmation> {
        self.retracted
            .iter()
            .find(|confirmation| confirmation.excerpt_id == excerpt_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal(note: Option<&str>) -> FuzzyAnchor {
        FuzzyAnchor {
            excerpt_id: 7,
            stored: ExcerptAnchorRow {
                anchor: TextAnchor {
                    quote: "Hamed Ahmedi".to_owned(),
                    start_char: 3,
                    end_char: 15,
                    ..TextAnchor::default()
                },
                anchor_state: None,
                note: note.map(str::to_owned),
            },
            proposed: TextAnchor {
                quote: "Hamid Ahmedi".to_owned(),
                start_char: 40,
                end_char: 52,
                ..TextAnchor::default()
            },
        }
    }

    #[test]
    fn a_confirm_keeps_the_captured_quote_in_the_note() {
        let confirmed = proposal(None).confirm("2026-04-02");
        assert_eq!(
            confirmed.after.note.as_deref(),
            Some("Re-anchored on 2026-04-02; captured as: «Hamed Ahmedi»")
        );
        assert_eq!(confirmed.after.anchor_state.as_deref(), Some("exact"));
        assert_eq!(confirmed.after.anchor.quote, "Hamid Ahmedi");
        let confirmed = proposal(Some("seen twice")).confirm("2026-04-02");
        assert_eq!(
            confirmed.after.note.as_deref(),
            Some("seen twice\nRe-anchored on 2026-04-02; captured as: «Hamed Ahmedi»")
        );
        assert_eq!(confirmed.proposal(), proposal(Some("seen twice")));
    }

    #[test]
    fn an_undo_after_a_save_retracts_and_a_redo_brings_it_back_saved() {
        let confirmed = proposal(None).confirm("2026-04-02");
        let mut set = Confirmations::default();
        set.apply(&confirmed);
        assert!(set.has_unsaved());
        set.withdraw(7);
        assert!(!set.has_unsaved(), "undone before a save: nothing to write");
        set.apply(&confirmed);
        let written = set.clone();
        set.mark_saved_as_of(&written);
        assert!(!set.has_unsaved());
        set.withdraw(7);
        assert_eq!(set.retracted(7), Some(&confirmed));
        assert!(set.has_unsaved(), "the old values are to be written back");
        set.apply(&confirmed);
        assert!(!set.has_unsaved(), "the file holds it again");
        // Confirmed again on another day: a different row to write.
        set.withdraw(7);
        set.apply(&proposal(None).confirm("2026-04-03"));
        assert!(set.has_unsaved());
        assert_eq!(set.retracted(7), None);
    }
}
