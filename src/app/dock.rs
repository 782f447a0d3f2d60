//! One dock on the canvas's right holds every side panel: the tools (Find,
//! Trace, Filters) as tabs on top, the details of the selection below. With
//! everything open the canvas still keeps most of the window, and the dock's
//! width (egui remembers it) is the user's to change.

use super::{Details, LinkscopeApp};
use crate::view::panels;

/// The dock's width (points) until the user drags it.
const DOCK_DEFAULT_WIDTH: f32 = 360.0;
const DOCK_MIN_WIDTH: f32 = 240.0;
/// The dock never takes more than this share of the window's width, so the
/// canvas keeps at least 60% of it whatever is open.
pub(super) const DOCK_MAX_SHARE: f32 = 0.4;
/// What the dock takes beyond its content width: its frame, and the central
/// panel's margins around the canvas (points).
const DOCK_FRAME_PT: f32 = 20.0;
/// Room the tools leave for the details below them, and the least a
/// section gets (points).
const SECTION_MIN_HEIGHT: f32 = 120.0;

/// A tool that has a tab in the dock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DockTool {
    Explore,
    Find,
    Trace,
    Filters,
}

impl DockTool {
    const ALL: [Self; 4] = [Self::Explore, Self::Find, Self::Trace, Self::Filters];

    fn title(self) -> &'static str {
        match self {
            Self::Explore => "Explore",
            Self::Find => "Find",
            Self::Trace => "Trace",
            Self::Filters => "Filters",
        }
    }
}

/// Which tab is in front, and which tools were open last frame (a tool that
/// opens comes to the front).
#[derive(Default)]
pub(super) struct DockState {
    active: Option<DockTool>,
    was_open: Vec<DockTool>,
}

impl LinkscopeApp {
    fn open_tools(&self) -> Vec<DockTool> {
        DockTool::ALL
            .into_iter()
            .filter(|tool| match tool {
                DockTool::Explore => self.explore.is_some(),
                DockTool::Find => self.search.find.open,
                DockTool::Trace => self.trace.open,
                DockTool::Filters => self.visibility.panels.filters,
            })
            .collect()
    }

    /// The tab in front of the dock, for tests.
    pub fn dock_tab(&self) -> Option<DockTool> {
        self.dock.active
    }

    /// The dock, right of the canvas; call before the central panel.
    pub(super) fn dock_ui(&mut self, ui: &mut egui::Ui) {
        if self.document.is_none() {
            return;
        }
        let tools = self.open_tools();
        if let Some(&opened) = tools.iter().find(|tool| !self.dock.was_open.contains(tool)) {
            self.dock.active = Some(opened);
        }
        if self
            .dock
            .active
            .is_none_or(|active| !tools.contains(&active))
        {
            self.dock.active = tools.last().copied();
        }
        self.dock.was_open.clone_from(&tools);
        let active = self.dock.active;
        let details_open = !matches!(self.details, Details::None);
        // Find's search runs while its tab is behind another, and its
        // marks go when it closes.
        if active != Some(DockTool::Find) {
            self.find_panel(ui.ctx(), None);
        }
        if !self.trace.open {
            self.canvas.trace = crate::view::canvas::TraceOverlay::default();
        }
        if tools.is_empty() && !details_open {
            return;
        }
        // The central panel's margins and the dock's own frame come out of
        // the dock's share too.
        let widest =
            (ui.ctx().content_rect().width() * DOCK_MAX_SHARE - DOCK_FRAME_PT).max(DOCK_MIN_WIDTH);
        egui::Panel::right("dock")
            .resizable(true)
            .default_size(DOCK_DEFAULT_WIDTH)
            .size_range(DOCK_MIN_WIDTH..=widest)
            .show(ui, |ui| {
                // Long lines wrap instead of widening the dock.
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
                if let Some(active) = active {
                    if details_open {
                        let height = ui.available_height();
                        // The tool gets at least two fifths of the height: a
                        // trace's hops and Find's results need the room.
                        let least = (height * 0.4).max(SECTION_MIN_HEIGHT);
                        egui::Panel::top("dock_tools")
                            .resizable(true)
                            .default_size(height * 0.5)
                            .size_range(least..=(height - SECTION_MIN_HEIGHT).max(least))
                            .show(ui, |ui| self.dock_tools_ui(ui, &tools, active));
                    } else {
                        self.dock_tools_ui(ui, &tools, active);
                    }
                }
                if details_open {
                    self.details_ui(ui);
                }
            });
    }

    /// The tabs of the open tools and the one in front.
    fn dock_tools_ui(&mut self, ui: &mut egui::Ui, tools: &[DockTool], active: DockTool) {
        if tools.len() > 1 {
            ui.horizontal(|ui| {
                for &tool in tools {
                    if ui.selectable_label(tool == active, tool.title()).clicked() {
                        self.dock.active = Some(tool);
                    }
                }
            });
            ui.separator();
        }
        match active {
            DockTool::Find => {
                let ctx = ui.ctx().clone();
                self.find_panel(&ctx, Some(ui));
            }
            DockTool::Explore => self.explore_panel(ui),
            DockTool::Trace => self.trace_panel(ui),
            DockTool::Filters => self.filter_panel(ui),
        }
    }

    /// The selection's details: a relation's evidence, an entity, or a
    /// multi-selection.
    fn details_ui(&mut self, ui: &mut egui::Ui) {
        let Some(document) = &self.document else {
            return;
        };
        let mut commands = Vec::new();
        egui::ScrollArea::vertical()
            .id_salt("details")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                commands = match &self.details {
                    Details::Relation(edge, relation) => {
                        panels::evidence_panel_ui(ui, &document.graph, *edge, relation)
                    }
                    Details::Entity(node, entity) => panels::node_panel_ui(
                        ui,
                        &document.graph,
                        *node,
                        entity,
                        self.metrics(),
                        document.scene.has_evidence(),
                    ),
                    Details::Selection => crate::view::selection_panel::selection_panel_ui(
                        ui,
                        &document.graph,
                        self.selection.nodes(),
                    ),
                    Details::Loading(..) => {
                        panels::loading_panel_ui(ui);
                        Vec::new()
                    }
                    Details::None => Vec::new(),
                };
            });
        self.pending.extend(commands);
    }
}
