//! Select and arrange: the selection commands (Shift-click, box and lasso,
//! Select All, Select Neighbours), moving entities (one, or the whole
//! selection when a selected one is dragged), pinning and unpinning them,
//! and undoing and redoing those edits (see [`super::history`]).

use std::collections::BTreeSet;

use super::LinkscopeApp;
use super::history::{Edit, History};
use crate::command::Command;
use crate::jobs::{LayoutCommand, Placement};
use crate::model::{Graph, NodeIx};
use crate::words::count_text;

/// The edit history and the drag in progress (transient: not saved).
#[derive(Default)]
pub(super) struct ArrangeSession {
    pub history: History<Edit>,
    /// The drag in progress, recorded as one edit when it ends.
    drag: Option<GroupDrag>,
}

/// A drag of one node, and of the selection with it when it is selected:
/// every dragged node moves by the grabbed node's offset.
struct GroupDrag {
    grabbed: NodeIx,
    /// Where the grabbed node was when the drag began.
    grabbed_from: [f32; 2],
    before: Vec<Placement>,
    after: Vec<Placement>,
}

impl ArrangeSession {
    /// Forgets everything: another file was opened.
    pub fn reset(&mut self) {
        self.history.clear();
        self.drag = None;
    }
}

impl LinkscopeApp {
    pub(super) fn run_arrange_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::DragNode { node, world } => self.drag_node(node, world),
            Command::EndDrag => self.end_drag(),
            Command::UnpinNode(node) => self.set_pinned([node].into(), false),
            Command::PinSelection => self.set_pinned(self.selection.nodes().clone(), true),
            Command::UnpinSelection => self.set_pinned(self.selection.nodes().clone(), false),
            Command::Undo => {
                if let Some(edit) = self.arrange.history.undo().cloned() {
                    self.apply_edit(ctx, &edit, false);
                }
            }
            Command::Redo => {
                if let Some(edit) = self.arrange.history.redo().cloned() {
                    self.apply_edit(ctx, &edit, true);
                }
            }
            Command::ToggleNode(node) if self.node_exists(node) => {
                self.selection.toggle(node);
                self.selection_changed();
            }
            Command::AddNodes(nodes) => {
                let count = self.graph().map_or(0, Graph::node_count);
                let nodes: Vec<NodeIx> = nodes
                    .into_iter()
                    .filter(|&node| (node as usize) < count)
                    .collect();
                if !nodes.is_empty() {
                    self.selection.add_nodes(nodes);
                    self.selection_changed();
                }
            }
            Command::SelectAll => {
                let count = self.graph().map_or(0, Graph::node_count);
                self.selection.set_nodes(0..count as NodeIx);
                self.selection_changed();
            }
            Command::SelectNeighbours => {
                let Some(document) = &self.document else {
                    return;
                };
                let grown = self.selection.with_neighbours(&document.graph);
                if !grown.is_empty() {
                    self.selection.set_nodes(grown);
                    self.selection_changed();
                }
            }
            _ => {}
        }
    }

    /// What Undo and Redo would do, for the Edit menu.
    pub fn undo_text(&self) -> Option<&str> {
        self.arrange.history.next_undo().map(Edit::what)
    }

    pub fn redo_text(&self) -> Option<&str> {
        self.arrange.history.next_redo().map(Edit::what)
    }

    fn node_exists(&self, node: NodeIx) -> bool {
        (node as usize) < self.positions.points.len()
    }

    /// Where `node` is now and whether it is pinned.
    fn placement(&self, node: NodeIx) -> Option<Placement> {
        Some(Placement {
            node,
            world: *self.positions.points.get(node as usize)?,
            pinned: self.pinned.contains(&node),
        })
    }

    /// "Move 3 entities", or the entity's name when there is one.
    fn edit_text(&self, verb: &str, nodes: &[Placement]) -> String {
        match (nodes, self.graph()) {
            ([one], Some(graph)) => format!("{verb} {}", graph.node_name(one.node)),
            _ => format!("{verb} {}", count_text(nodes.len(), "entity", "entities")),
        }
    }

    /// One frame of a drag: the grabbed node goes to `world`, the rest of
    /// the group by the same offset, all pinned.
    fn drag_node(&mut self, node: NodeIx, world: [f32; 2]) {
        if self
            .arrange
            .drag
            .as_ref()
            .is_some_and(|drag| drag.grabbed != node)
        {
            self.end_drag();
        }
        if self.arrange.drag.is_none() {
            let Some(grabbed) = self.placement(node) else {
                return;
            };
            let group: Vec<NodeIx> = if self.selection.contains_node(node) {
                self.selection.nodes().iter().copied().collect()
            } else {
                vec![node]
            };
            let before: Vec<Placement> = group
                .into_iter()
                .filter_map(|member| self.placement(member))
                .collect();
            self.arrange.drag = Some(GroupDrag {
                grabbed: node,
                grabbed_from: grabbed.world,
                after: before.clone(),
                before,
            });
        }
        let Some(drag) = &mut self.arrange.drag else {
            return;
        };
        let offset = [
            world[0] - drag.grabbed_from[0],
            world[1] - drag.grabbed_from[1],
        ];
        drag.after = drag
            .before
            .iter()
            .map(|from| Placement {
                node: from.node,
                // The grabbed node lands exactly under the pointer.
                world: if from.node == node {
                    world
                } else {
                    [from.world[0] + offset[0], from.world[1] + offset[1]]
                },
                pinned: true,
            })
            .collect();
        let placements = drag.after.clone();
        self.place(placements);
    }

    /// The drag ended: if anything moved, that is one undo step.
    fn end_drag(&mut self) {
        let Some(drag) = self.arrange.drag.take() else {
            return;
        };
        if drag.before != drag.after {
            let what = self.edit_text("Move", &drag.before);
            self.arrange.history.push(Edit::Arrange {
                what,
                before: drag.before,
                after: drag.after,
            });
        }
    }

    /// Pins or unpins `nodes` where they are: one undo step for those
    /// whose pin changes (none: nothing happens).
    fn set_pinned(&mut self, nodes: BTreeSet<NodeIx>, pinned: bool) {
        let before: Vec<Placement> = nodes
            .into_iter()
            .filter_map(|node| self.placement(node))
            .filter(|placement| placement.pinned != pinned)
            .collect();
        if before.is_empty() {
            return;
        }
        let after: Vec<Placement> = before
            .iter()
            .map(|from| Placement { pinned, ..*from })
            .collect();
        let what = self.edit_text(if pinned { "Pin" } else { "Unpin" }, &before);
        self.place(after.clone());
        self.arrange.history.push(Edit::Arrange {
            what,
            before,
            after,
        });
    }

    /// Puts an edit's state back (`redo` false) or again (`redo` true).
    fn apply_edit(&mut self, ctx: &egui::Context, edit: &Edit, redo: bool) {
        match edit {
            Edit::Arrange { before, after, .. } => {
                self.place(if redo { after.clone() } else { before.clone() });
            }
            Edit::Visibility { before, after, .. } => {
                let rules = if redo { after } else { before };
                self.undo_visibility(ctx, (**rules).clone());
            }
            Edit::Capture { capture, steps, .. } => {
                self.redo_or_undo_capture(ctx, capture, steps, redo);
            }
            Edit::ConfirmAnchor { confirmation, .. } => {
                self.redo_or_undo_confirm(ctx, confirmation, redo);
            }
            Edit::CorrectDetails { edit, regrade, .. } => {
                self.redo_or_undo_correction(ctx, edit, regrade.as_ref(), redo);
            }
        }
    }

    /// Moves and (un)pins nodes, in the layout and in the app's pin set.
    fn place(&mut self, placements: Vec<Placement>) {
        self.mark_edited();
        for placement in &placements {
            if placement.pinned {
                self.pinned.insert(placement.node);
            } else {
                self.pinned.remove(&placement.node);
            }
        }
        if let Some(layout) = &self.layout {
            layout.send(LayoutCommand::Place(placements));
        }
    }
}
