//! Exploring without a pointer: with an entity selected, Tab and Shift+Tab
//! walk its relations (the one in front is highlighted on the canvas and
//! named at the canvas's top left), Enter opens it, and the arrow keys move to
//! the neighbour that lies nearest in that direction on screen. What is
//! selected, and the relation under keyboard focus, are said in a label that
//! screen readers read through AccessKit.

use egui::{Key, Modifiers, Vec2};

use super::LinkscopeApp;
use crate::model::visibility::Shown;
use crate::model::{EdgeIx, Graph, NodeIx};
use crate::view::hit::Hit;
use crate::words::count_text;

impl LinkscopeApp {
    /// Whether a widget other than the canvas (a text field, a button) has
    /// the keyboard: then plain keys are its own.
    pub(super) fn keys_go_to_a_widget(&self, ctx: &egui::Context) -> bool {
        ctx.memory(egui::Memory::focused)
            .is_some_and(|focused| Some(focused) != self.canvas.focus_id)
    }

    /// The relations of `node` that are drawn, in the graph's order.
    fn shown_relations(&self, graph: &Graph, node: NodeIx) -> Vec<EdgeIx> {
        let visible = self.visibility.visible.as_deref();
        graph
            .incident_edges(node)
            .into_iter()
            .filter(|&edge| visible.is_none_or(|visible| visible.edge(edge) != Shown::Hidden))
            .collect()
    }

    /// Tab, Shift+Tab, Enter and the arrows, when no text field or other
    /// widget has the keyboard and one entity is selected.
    pub(super) fn handle_graph_keys(&mut self, ctx: &egui::Context) {
        let Some(document) = &self.document else {
            return;
        };
        let Some(Hit::Node(node)) = self.selection.single() else {
            self.canvas.keyboard_focus = None;
            return;
        };
        let graph = std::sync::Arc::clone(&document.graph);
        if let Some(Hit::Edge(edge)) = self.canvas.keyboard_focus {
            let (source, target) = graph.edge_endpoints(edge);
            if source != node && target != node {
                // Another entity was selected: its walk starts afresh.
                self.canvas.keyboard_focus = None;
            }
        }
        // The relations are listed only when a walking key comes (a hub's
        // list is long), not every frame.
        let walking = ctx.input(|input| {
            [
                Key::Tab,
                Key::Enter,
                Key::ArrowLeft,
                Key::ArrowRight,
                Key::ArrowUp,
                Key::ArrowDown,
            ]
            .into_iter()
            .any(|key| input.key_pressed(key))
        });
        if !walking || self.keys_go_to_a_widget(ctx) {
            return;
        }
        let relations = self.shown_relations(&graph, node);
        let focused = match self.canvas.keyboard_focus {
            Some(Hit::Edge(edge)) => relations.iter().position(|&shown| shown == edge),
            _ => None,
        };
        // Shift+Tab first: matching a plain Tab ignores an extra Shift.
        let (backward, forward, enter) = ctx.input_mut(|input| {
            (
                input.consume_key(Modifiers::SHIFT, Key::Tab),
                input.consume_key(Modifiers::NONE, Key::Tab),
                input.consume_key(Modifiers::NONE, Key::Enter),
            )
        });
        if !relations.is_empty() && (forward || backward) {
            let count = relations.len();
            let next = match (focused, forward) {
                (None, true) => 0,
                (None, false) => count - 1,
                (Some(at), true) => (at + 1) % count,
                (Some(at), false) => (at + count - 1) % count,
            };
            self.canvas.keyboard_focus = Some(Hit::Edge(relations[next]));
        }
        if enter && let Some(Hit::Edge(edge)) = self.canvas.keyboard_focus {
            self.canvas.keyboard_focus = None;
            self.select(Some(Hit::Edge(edge)));
            return;
        }
        for (key, direction) in [
            (Key::ArrowLeft, Vec2::new(-1.0, 0.0)),
            (Key::ArrowRight, Vec2::new(1.0, 0.0)),
            (Key::ArrowUp, Vec2::new(0.0, -1.0)),
            (Key::ArrowDown, Vec2::new(0.0, 1.0)),
        ] {
            if ctx.input_mut(|input| input.consume_key(Modifiers::NONE, key))
                && let Some(next) = self.neighbour_towards(&graph, node, &relations, direction)
            {
                self.canvas.keyboard_focus = None;
                self.select(Some(Hit::Node(next)));
                self.canvas.request_reveal(vec![next]);
                return;
            }
        }
    }

    /// Of `node`'s shown neighbours, the nearest on screen within 60° of
    /// `direction` (else within 90°).
    fn neighbour_towards(
        &self,
        graph: &Graph,
        node: NodeIx,
        relations: &[EdgeIx],
        direction: Vec2,
    ) -> Option<NodeIx> {
        let points = &self.positions.points;
        let from = self.canvas.screen_from_world(*points.get(node as usize)?)?;
        let mut best: Option<(bool, f32, NodeIx)> = None;
        for &edge in relations {
            let (source, target) = graph.edge_endpoints(edge);
            let other = if source == node { target } else { source };
            if other == node {
                continue;
            }
            let Some(at) = points
                .get(other as usize)
                .and_then(|&point| self.canvas.screen_from_world(point))
            else {
                continue;
            };
            let offset = at - from;
            let distance = offset.length();
            if distance < 1e-3 {
                continue;
            }
            let cosine = offset.dot(direction) / distance;
            if cosine <= 0.0 {
                continue;
            }
            // Within the 60° cone beats outside it; then the nearer wins.
            let candidate = (cosine >= 0.5, -distance, other);
            if best.is_none_or(|best| (candidate.0, candidate.1) > (best.0, best.1)) {
                best = Some(candidate);
            }
        }
        best.map(|(_, _, other)| other)
    }

    /// Says the selection anew when it, the relation under keyboard focus
    /// or what is shown changed (not every frame: it lists a hub's
    /// relations).
    pub(super) fn update_announcement(&mut self) {
        let key = AnnouncedFor {
            selection: self.selection.single(),
            keyboard_focus: self.canvas.keyboard_focus,
            visible: self.visibility.visible.as_ref().map(std::sync::Arc::as_ptr),
            graph: self
                .document
                .as_ref()
                .map(|document| std::sync::Arc::as_ptr(&document.graph)),
        };
        if self.announced_for.as_ref() != Some(&key) {
            self.canvas.announcement = self.selection_announcement().unwrap_or_default();
            self.announced_for = Some(key);
        }
    }

    /// What a screen reader says of the selection and of the relation under
    /// keyboard focus; the relation is also named at the canvas's top left.
    fn selection_announcement(&self) -> Option<String> {
        let graph = &self.document.as_ref()?.graph;
        let describe_edge = |edge: EdgeIx| {
            let (source, target) = graph.edge_endpoints(edge);
            format!(
                "{} {} {}, {}",
                crate::view::text::short_name(graph.node_name(source)),
                crate::view::text::short_name(graph.edge_label(edge)),
                crate::view::text::short_name(graph.node_name(target)),
                count_text(
                    graph.edge_excerpt_count(edge) as usize,
                    "excerpt",
                    "excerpts"
                )
            )
        };
        let selected = match self.selection.single()? {
            Hit::Node(node) => format!(
                "Selected: {}, {}, {}",
                crate::view::text::short_name(graph.node_name(node)),
                graph.node_kind_text(node),
                count_text(graph.incident_edges(node).len(), "relation", "relations")
            ),
            Hit::Edge(edge) => format!("Selected: {}", describe_edge(edge)),
        };
        match (self.canvas.keyboard_focus, self.selection.single()) {
            (Some(Hit::Edge(edge)), Some(Hit::Node(node))) => {
                let relations = self.shown_relations(graph, node);
                let at = relations.iter().position(|&shown| shown == edge)?;
                Some(format!(
                    "{selected}. Relation {} of {}: {} (Enter opens it)",
                    at + 1,
                    relations.len(),
                    describe_edge(edge)
                ))
            }
            _ => Some(selected),
        }
    }
}

/// What the canvas's announcement was last worked out for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct AnnouncedFor {
    selection: Option<Hit>,
    keyboard_focus: Option<Hit>,
    visible: Option<*const crate::model::visibility::VisibleSet>,
    graph: Option<*const Graph>,
}
