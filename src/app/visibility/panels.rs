//! What the visibility rules show in the window: the View menu's state,
//! the status bar's counts, the timeline and filter panels, and the
//! question before a large expansion.

use crate::app::LinkscopeApp;
use crate::view::filter_panel;
use crate::view::hit::Hit;
use crate::view::timeline;
use crate::view::visibility_ui::{self, VisibilityMenu, VisibilityStatus};

impl LinkscopeApp {
    /// What the View menu needs to know.
    pub(in crate::app) fn visibility_menu(&self) -> VisibilityMenu {
        VisibilityMenu {
            // Several entities enable what works on any selection (hide,
            // focus); expand and collapse act on a single entity.
            selection: self
                .selection
                .single()
                .or_else(|| self.selection.nodes().first().copied().map(Hit::Node)),
            hops: self.visibility.hops,
            show_filters: self.visibility.panels.filters,
            show_timeline: self.visibility.panels.timeline,
        }
    }

    /// What the status bar says about the visible set.
    pub(in crate::app) fn visibility_status(&self) -> Option<VisibilityStatus> {
        self.document.as_ref()?;
        Some(VisibilityStatus {
            counts: self.visibility.visible.as_ref()?.counts,
            updating: self.visibility.job.is_some(),
            look: self.visibility.rules.filter.look,
        })
    }

    /// The timeline, when shown; call before the dock and the central
    /// panel.
    pub(in crate::app) fn visibility_panels_ui(&mut self, ui: &mut egui::Ui) {
        if self.document.is_none() {
            return;
        }
        let session = &mut self.visibility;
        let mut commands = Vec::new();
        if session.panels.timeline {
            egui::Panel::bottom("timeline").show(ui, |ui| {
                commands.extend(timeline::timeline_ui(
                    ui,
                    &mut session.timeline_state,
                    session.timeline.as_ref(),
                    &session.claims_state,
                    &session.rules.filter,
                    session.playing,
                    self.saved.theme.palette(),
                ));
            });
        }
        self.pending.extend(commands);
    }

    /// The filter panel, in the dock's tab.
    pub(in crate::app) fn filter_panel(&mut self, ui: &mut egui::Ui) {
        let session = &mut self.visibility;
        let mut commands = Vec::new();
        egui::ScrollArea::vertical()
            .id_salt("filters")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                commands.extend(filter_panel::filter_panel_ui(
                    ui,
                    &mut session.filter_panel,
                    &session.entity_kinds,
                    &session.relation_kinds,
                    &session.rules.filter,
                    &session.claims_state,
                    self.saved.expand_limit,
                ));
            });
        self.pending.extend(commands);
    }

    /// The question before a large expansion.
    pub(in crate::app) fn expand_prompt_ui(&mut self, ctx: &egui::Context) {
        let (Some((node, adding)), Some(document)) =
            (&self.visibility.expand_prompt, &self.document)
        else {
            return;
        };
        let commands = visibility_ui::expand_prompt_ui(
            ctx,
            document.graph.node_name(*node),
            *node,
            adding.len(),
            self.saved.expand_limit,
        );
        self.pending.extend(commands);
    }
}
