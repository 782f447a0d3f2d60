//! Undo and redo of view edits. Every edit of the view reaches the app as
//! a [`Command`](crate::command::Command) (a canvas drag too), and the app
//! records each finished edit here as one [`Edit`] that knows its state
//! before and after: undo puts the before back, redo the after. A drag is
//! recorded once, when it ends, not once per frame (as in Rerun's
//! `re_viewer_context/src/undo.rs`).
//!
//! What is an edit: moving entities (one or a group), pinning or unpinning
//! them, and changing what is shown (hide, show all, focus, expand,
//! collapse, filters; timeline playback steps are not recorded, the brush
//! is), capturing evidence, confirming a fuzzy anchor and correcting a
//! saved document's details (typing in one field is one edit until the
//! field loses the keys, as a drag is one move). What is not: the
//! selection (as in most editors, undo never moves the selection under
//! the analyst's eyes), the camera (pan
//! and zoom are looking, not editing), and the theme (a preference of the
//! user, saved per user and not in the file, so it must not ride on one
//! file's history). Re-running the layout is not undoable either: it
//! replaces every position while the layout keeps moving them.
//!
//! The history is unbounded, and cleared only when another file is opened
//! (an edit names in-memory indices of the open graph). Undo and redo mark
//! the view as edited, like any edit.
//!
use super::capture::CaptureSteps;
use crate::jobs::Placement;
use crate::model::capture::Capture;
use crate::model::confirm::AnchorConfirmation;
use crate::model::corrections::{DetailsEdit, Regrade};
use crate::model::visibility::VisibilityRules;
use crate::model::{EdgeIx, NodeIx};

/// One reversible edit of the view.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Entities moved or (un)pinned: where each was and whether it was
    /// pinned, and the same after. `before` and `after` name the same
    /// nodes in the same order.
    Arrange {
        what: String,
        before: Vec<Placement>,
        after: Vec<Placement>,
    },
    /// What is shown changed (hide, show all, focus, expand, collapse, a
    /// filter): the rules before and after.
    Visibility {
        what: String,
        before: Box<VisibilityRules>,
        after: Box<VisibilityRules>,
    },
    /// Evidence captured from a source: undo takes it out of the graph and
    /// of what the next save writes, redo puts it back (`steps`: what the
    /// graph's change needs).
    Capture {
        what: String,
        capture: Box<Capture>,
        steps: CaptureSteps,
    },
    /// A fuzzy anchor confirmed: undo puts the excerpt's old anchor back
    /// (in memory, and in the file at the next save if it was saved).
    ConfirmAnchor {
        what: String,
        confirmation: Box<AnchorConfirmation>,
    },
    /// A saved document's details corrected in the reader: undo puts the
    /// details before back (in memory, and in the file at the next save if
    /// it was saved). A change of reliability regrades the document's
    /// excerpts: `regrade` holds the supports it changed.
    CorrectDetails {
        what: String,
        edit: Box<DetailsEdit>,
        regrade: Option<Regrade>,
    },
}

impl Edit {
    /// The same edit in a graph that holds these entities and relations
    /// under other indices (an explored scene that grew); what the new
    /// graph lacks is left out, and an edit left with nothing is None.
    pub fn remapped(
        self,
        node: &dyn Fn(NodeIx) -> Option<NodeIx>,
        edge: &dyn Fn(EdgeIx) -> Option<EdgeIx>,
    ) -> Option<Self> {
        match self {
            Self::Arrange {
                what,
                before,
                after,
            } => {
                let moved = |placements: Vec<Placement>| -> Vec<Placement> {
                    placements
                        .into_iter()
                        .filter_map(|placement| {
                            Some(Placement {
                                node: node(placement.node)?,
                                ..placement
                            })
                        })
                        .collect()
                };
                let (before, after) = (moved(before), moved(after));
                (!before.is_empty()).then_some(Self::Arrange {
                    what,
                    before,
                    after,
                })
            }
            Self::Visibility {
                what,
                before,
                after,
            } => Some(Self::Visibility {
                what,
                before: Box::new(before.remapped(node, edge)),
                after: Box::new(after.remapped(node, edge)),
            }),
            // Captures, confirms and corrections name database ids, which a
            // growth keeps.
            capture @ (Self::Capture { .. }
            | Self::ConfirmAnchor { .. }
            | Self::CorrectDetails { .. }) => Some(capture),
        }
    }

    /// What the edit did, for the Edit menu ("Move 3 entities").
    pub fn what(&self) -> &str {
        match self {
            Self::Arrange { what, .. }
            | Self::Visibility { what, .. }
            | Self::Capture { what, .. }
            | Self::ConfirmAnchor { what, .. }
            | Self::CorrectDetails { what, .. } => what,
        }
    }
}

/// The edits done and undone, newest last.
#[derive(Debug)]
pub struct History<E> {
    done: Vec<E>,
    undone: Vec<E>,
}

impl<E> Default for History<E> {
    fn default() -> Self {
        Self {
            done: Vec::new(),
            undone: Vec::new(),
        }
    }
}

impl<E> History<E> {
    /// Records an edit that was just made; what was undone can no longer
    /// be redone.
    pub fn push(&mut self, edit: E) {
        self.done.push(edit);
        self.undone.clear();
    }

    /// The edit to undo, moved to the redo side.
    pub fn undo(&mut self) -> Option<&E> {
        let edit = self.done.pop()?;
        self.undone.push(edit);
        self.undone.last()
    }

    /// The edit to redo, moved back to the undo side.
    pub fn redo(&mut self) -> Option<&E> {
        let edit = self.undone.pop()?;
        self.done.push(edit);
        self.done.last()
    }

    /// What Undo would undo.
    pub fn next_undo(&self) -> Option<&E> {
        self.done.last()
    }

    /// The last edit done, to amend as it goes on (typing in one field is
    /// one edit): an edit, so what was undone can no longer be redone.
    pub fn amend_last(&mut self) -> Option<&mut E> {
        self.undone.clear();
        self.done.last_mut()
    }

    /// Forgets the last edit done (amended back to where it started).
    pub fn forget_last(&mut self) -> Option<E> {
        self.done.pop()
    }

    /// What Redo would redo.
    pub fn next_redo(&self) -> Option<&E> {
        self.undone.last()
    }

    pub fn clear(&mut self) {
        self.done.clear();
        self.undone.clear();
    }

    /// Every edit, done and undone, passed through `map` (an edit it turns
    /// into None is forgotten): for a graph that grew under new indices.
    pub fn map_edits(&mut self, mut map: impl FnMut(E) -> Option<E>) {
        self.done = std::mem::take(&mut self.done)
            .into_iter()
            .filter_map(&mut map)
            .collect();
        self.undone = std::mem::take(&mut self.undone)
            .into_iter()
            .filter_map(map)
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_and_redo_walk_the_history_and_a_new_edit_drops_the_redo_side() {
        let mut history = History::default();
        assert_eq!(history.undo(), None);
        for edit in 1..=3 {
            history.push(edit);
        }
        assert_eq!(history.undo(), Some(&3));
        assert_eq!(history.undo(), Some(&2));
        assert_eq!(history.next_undo(), Some(&1));
        assert_eq!(history.next_redo(), Some(&2));
        assert_eq!(history.redo(), Some(&2));
        assert_eq!(history.next_redo(), Some(&3));
        history.push(4);
        assert_eq!(history.next_redo(), None, "a new edit ends the redo side");
        assert_eq!(history.undo(), Some(&4));
        assert_eq!(history.undo(), Some(&2));
        assert_eq!(history.undo(), Some(&1));
        assert_eq!(history.undo(), None);
        assert_eq!(history.redo(), Some(&1));
        history.clear();
        assert_eq!((history.next_undo(), history.next_redo()), (None, None));
    }

    #[test]
    fn the_history_is_unbounded() {
        let mut history = History::default();
        for edit in 0..100_000 {
            history.push(edit);
        }
        let mut undone = 0;
        while history.undo().is_some() {
            undone += 1;
        }
        assert_eq!(undone, 100_000);
    }
}
