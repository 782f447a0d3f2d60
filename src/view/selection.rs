//! What is selected: one relation, or a set of entities. A plain click
//! selects one item (its details show in the side panel); Shift-click, box
//! and lasso add entities to the set, and the side panel then lists them.
//!
//! Selecting is not an edit of the view: it is saved with the view, but it
//! is not an undo step (as in most editors), so undo never jumps the
//! selection around under the analyst's eyes.

use std::collections::BTreeSet;

use super::gpu::NodeStyle;
use super::hit::Hit;
use crate::model::{EdgeIx, Graph, NodeIx};
use crate::scene::GraphScene;
use crate::scene::theme::{self, Palette, Theme};

/// The selection: a relation, or any number of entities, never both.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    edge: Option<EdgeIx>,
    nodes: BTreeSet<NodeIx>,
    /// Bumped on every change, so that what is drawn from the selection
    /// (the canvas's highlight) is rebuilt only when it changed.
    revision: u64,
}

impl PartialEq for Selection {
    /// The same items, whatever the history that led there.
    fn eq(&self, other: &Self) -> bool {
        self.edge == other.edge && self.nodes == other.nodes
    }
}

impl Selection {
    /// Selects exactly `hit` (or nothing).
    pub fn set(&mut self, hit: Option<Hit>) {
        self.nodes.clear();
        self.edge = None;
        match hit {
            Some(Hit::Node(node)) => {
                self.nodes.insert(node);
            }
            Some(Hit::Edge(edge)) => self.edge = Some(edge),
            None => {}
        }
        self.revision += 1;
    }

    /// Selects exactly these entities.
    pub fn set_nodes(&mut self, nodes: impl IntoIterator<Item = NodeIx>) {
        self.edge = None;
        self.nodes = nodes.into_iter().collect();
        self.revision += 1;
    }

    /// Adds these entities (a selected relation gives way to them).
    pub fn add_nodes(&mut self, nodes: impl IntoIterator<Item = NodeIx>) {
        self.edge = None;
        self.nodes.extend(nodes);
        self.revision += 1;
    }

    /// Shift-click: adds the entity, or takes it out if it was selected.
    pub fn toggle(&mut self, node: NodeIx) {
        self.edge = None;
        if !self.nodes.remove(&node) {
            self.nodes.insert(node);
        }
        self.revision += 1;
    }

    /// The one item selected, if exactly one is: the relation, or the only
    /// entity. This is what the details panel and the trace read.
    pub fn single(&self) -> Option<Hit> {
        match (self.edge, self.nodes.len()) {
            (Some(edge), _) => Some(Hit::Edge(edge)),
            (None, 1) => self.nodes.first().copied().map(Hit::Node),
            _ => None,
        }
    }

    pub fn edge(&self) -> Option<EdgeIx> {
        self.edge
    }

    /// The selected entities, in index order.
    pub fn nodes(&self) -> &BTreeSet<NodeIx> {
        &self.nodes
    }

    pub fn contains_node(&self, node: NodeIx) -> bool {
        self.nodes.contains(&node)
    }

    pub fn is_empty(&self) -> bool {
        self.edge.is_none() && self.nodes.is_empty()
    }

    /// Changes whenever the selection does.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The selection grown by one hop: every selected entity with all its
    /// neighbours, following relations either way. A selected relation
    /// grows into its two ends.
    pub fn with_neighbours(&self, graph: &Graph) -> BTreeSet<NodeIx> {
        let mut grown = self.nodes.clone();
        if let Some(edge) = self.edge {
            let (source, target) = graph.edge_endpoints(edge);
            grown.extend([source, target]);
        }
        for &node in &self.nodes {
            grown.extend(graph.neighbours(node));
        }
        grown
    }
}

/// The outlines of a multi-selection, kept between frames: a selection of
/// 100k entities costs one copy per frame, not 100k style look-ups.
#[derive(Default)]
pub struct SelectionOverlay {
    /// (selection revision, styles generation, theme) it was built for.
    built_for: Option<(u64, u64, Theme)>,
    nodes: Vec<(u32, NodeStyle)>,
}

impl SelectionOverlay {
    /// The outlines for `selection`, rebuilt only when it, the styles or
    /// the theme changed.
    pub fn get(
        &mut self,
        scene: &GraphScene,
        selection: &Selection,
        theme: Theme,
    ) -> &[(u32, NodeStyle)] {
        let key = (selection.revision(), scene.styles_generation, theme);
        if self.built_for != Some(key) {
            self.nodes = selected_outlines(scene, selection, theme.palette()).collect();
            self.built_for = Some(key);
        }
        &self.nodes
    }
}

/// Each selected entity outlined in the selection colour.
pub fn selected_outlines<'a>(
    scene: &'a GraphScene,
    selection: &'a Selection,
    palette: &Palette,
) -> impl Iterator<Item = (u32, NodeStyle)> + 'a {
    let outline = theme::packed(palette.selected);
    selection.nodes().iter().filter_map(move |&node| {
        let style = scene.node_styles.get(node as usize)?;
        Some((node, NodeStyle { outline, ..*style }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_builds_a_set_and_single_is_only_for_one_item() {
        let mut selection = Selection::default();
        assert_eq!(selection.single(), None);
        selection.set(Some(Hit::Node(4)));
        assert_eq!(selection.single(), Some(Hit::Node(4)));
        selection.toggle(2);
        assert_eq!(selection.single(), None);
        assert_eq!(
            selection.nodes().iter().copied().collect::<Vec<_>>(),
            [2, 4]
        );
        selection.toggle(4);
        assert_eq!(selection.single(), Some(Hit::Node(2)));
        selection.set(Some(Hit::Edge(7)));
        assert_eq!(selection.single(), Some(Hit::Edge(7)));
        assert!(selection.nodes().is_empty());
        selection.toggle(3);
        assert_eq!(selection.edge(), None, "entities replace a relation");
        assert_eq!(selection.single(), Some(Hit::Node(3)));
    }

    #[test]
    fn every_change_bumps_the_revision_and_equality_ignores_it() {
        let mut a = Selection::default();
        let mut seen = vec![a.revision()];
        a.set(Some(Hit::Node(1)));
        seen.push(a.revision());
        a.add_nodes([2, 3]);
        seen.push(a.revision());
        a.set_nodes([1, 2, 3]);
        seen.push(a.revision());
        seen.dedup();
        assert_eq!(seen.len(), 4);
        let mut b = Selection::default();
        b.add_nodes([3, 2, 1]);
        assert_eq!(a, b);
        assert!(!a.is_empty());
        a.set(None);
        assert!(a.is_empty());
    }
}
