//! The canvas's right-click menu, wired to the app: a right-click selects
//! what it hit (so the menu's commands, which act on the selection, act on
//! it) and opens the menu there; the relation's citation comes from its
//! details once they are read.

use egui::Pos2;

use super::{Details, LinkscopeApp};
use crate::export::evidence_table::citation;
use crate::view::context_menu::{ContextMenuView, context_menu_ui};
use crate::view::hit::Hit;

/// The open menu: on what, where, and whether it opened this frame (the
/// click that opened it is not a click elsewhere).
#[derive(Clone, Copy)]
pub(super) struct OpenMenu {
    hit: Hit,
    at: Pos2,
    fresh: bool,
}

impl LinkscopeApp {
    /// Right-click on `hit` at screen point `at`.
    pub(super) fn open_context_menu(&mut self, hit: Hit, at: Pos2) {
        if self.selection.single() != Some(hit) {
            self.select(Some(hit));
        }
        self.context_menu = Some(OpenMenu {
            hit,
            at,
            fresh: true,
        });
    }

    /// Whether the context menu is open (Escape closes it first).
    pub fn context_menu_open(&self) -> bool {
        self.context_menu.is_some()
    }

    pub(super) fn context_menu_ui(&mut self, ctx: &egui::Context) {
        let (Some(menu), Some(document)) = (self.context_menu, &self.document) else {
            return;
        };
        let OpenMenu { hit, at, fresh } = menu;
        let citation = match (&self.details, hit) {
            (Details::Relation(edge, relation), Hit::Edge(shown))
                if *edge == shown && !relation.excerpts.is_empty() =>
            {
                Some(
                    relation
                        .excerpts
                        .iter()
                        .map(citation)
                        .collect::<Vec<_>>()
                        .join("\n\n"),
                )
            }
            _ => None,
        };
        let view = ContextMenuView {
            hit,
            at,
            citation: citation.as_deref(),
            fresh,
        };
        let (commands, keep_open) = context_menu_ui(ctx, &document.graph, &view);
        self.pending.extend(commands);
        self.context_menu = keep_open.then_some(OpenMenu {
            fresh: false,
            ..menu
        });
    }
}
