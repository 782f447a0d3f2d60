//! The visible set: for every entity and relation, whether it is shown,
//! greyed or hidden, from what the user hid, the focus (the k-hop
//! neighbourhood of some seeds, grown and shrunk by expand and collapse)
//! and the filters. No egui here: the view draws what this decides, and
//! hit-testing, labels, fitting and exports skip what it hides.
//!
//! Hiding and focus take things out of the picture; filters take out, or
//! grey, what does not match. A relation is hidden when either end is, and
//! greyed when either end is greyed, with one exception: a dated relation
//! inside the date window brings its two ends with it, whatever their own
//! dates, so that a window never empties the picture of what happened in
//! it. The layout still runs on the whole graph, so a hidden entity comes
//! back where the layout has put it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::claims::{credibility_index, reliability_index};
use super::dates::{Day, DaySpan, parse_first_day, parse_last_day};
use super::source::{Direction, EntityId, GraphSource, SourceError};
use super::{EdgeIx, Graph, NodeIx};

/// How one entity or relation is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Shown {
    Shown,
    /// Filtered out, drawn in the theme's dimmed colours.
    Greyed,
    /// Not drawn, not clickable, not labelled, not exported.
    Hidden,
}

/// What happens to what the filters leave out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilteredLook {
    #[default]
    Hide,
    Grey,
}

/// Supported (cites an excerpt) or not, or spoken against by a source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportFilter {
    #[default]
    Any,
    Supported,
    Unsupported,
    /// At least one excerpt contradicts it (the disputed ones among them):
    /// the relations an analyst has to weigh.
    Contradicted,
}

/// What the filters let through. Saved with the view (by kind text and
/// grade letters, never by index); the default lets everything through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// Entity kinds left out (`entities.kind`).
    pub excluded_entity_kinds: BTreeSet<String>,
    /// Relation kinds left out (`relations.kind`).
    pub excluded_relation_kinds: BTreeSet<String>,
    /// Keep relations with an excerpt from a document graded this or
    /// better ("A".."F"), and with credibility `credibility` or better
    /// ("1".."6"), both on the same excerpt. None: any grade.
    pub reliability: Option<String>,
    pub credibility: Option<String>,
    pub support: SupportFilter,
    /// The date window (ISO 8601, either end open, both ends inclusive). A
    /// relation is in it when its own dates or the date of a document behind
    /// it are; an entity when its own dates are, or when a relation in the
    /// window touches it.
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    /// With a date window: keep undated relations, and undated entities
    /// that no relation in the window touches (those it touches are shown
    /// anyway).
    pub keep_undated: bool,
    /// Leave out entities whose relations are all left out.
    pub hide_isolated: bool,
    pub look: FilteredLook,
}

impl Default for Filter {
    fn default() -> Self {
        Self {
            excluded_entity_kinds: BTreeSet::new(),
            excluded_relation_kinds: BTreeSet::new(),
            reliability: None,
            credibility: None,
            support: SupportFilter::Any,
            date_from: None,
            date_to: None,
            keep_undated: true,
            hide_isolated: false,
            look: FilteredLook::Hide,
        }
    }
}

impl Filter {
    /// Whether anything is filtered at all.
    pub fn is_active(&self) -> bool {
        let neutral = Self {
            look: self.look,
            ..Self::default()
        };
        *self != neutral
    }

    /// The date window in days, if one is set.
    pub fn window(&self) -> Option<DaySpan> {
        let from = self.date_from.as_deref().and_then(parse_first_day);
        let to = self.date_to.as_deref().and_then(parse_last_day);
        if from.is_none() && to.is_none() {
            return None;
        }
        Some(DaySpan {
            start: from.unwrap_or(Day::MIN + 1),
            end: to.unwrap_or(Day::MAX - 1),
        })
    }

    /// Whether applying it needs the claims' dates and grades.
    pub fn needs_claims(&self) -> bool {
        self.window().is_some() || self.reliability.is_some() || self.credibility.is_some()
    }

    /// Why it cannot be right, for a saved view read from a file.
    pub fn problem(&self) -> Option<String> {
        const MAX_KINDS: usize = 10_000;
        const MAX_KIND_BYTES: usize = 1_000;
        let kinds = self
            .excluded_entity_kinds
            .iter()
            .chain(&self.excluded_relation_kinds);
        if self.excluded_entity_kinds.len() + self.excluded_relation_kinds.len() > MAX_KINDS
            || kinds.clone().any(|kind| kind.len() > MAX_KIND_BYTES)
        {
            return Some("too many or too long kinds".to_owned());
        }
        if let Some(grade) = &self.reliability
            && reliability_index(Some(grade)) == super::claims::UNGRADED
        {
            return Some(format!("reliability {grade:?} is not A–F"));
        }
        if let Some(grade) = &self.credibility
            && credibility_index(Some(grade)) == super::claims::UNGRADED
        {
            return Some(format!("credibility {grade:?} is not 1–6"));
        }
        for date in [&self.date_from, &self.date_to].into_iter().flatten() {
            if parse_first_day(date).is_none() {
                return Some(format!("date {date:?} is not ISO 8601"));
            }
        }
        if let Some(window) = self.window()
            && window.start > window.end
        {
            return Some("the date window ends before it starts".to_owned());
        }
        None
    }
}

/// Hops a focus may reach.
pub const MAX_FOCUS_HOPS: u8 = 3;

/// Show only the neighbourhood of `seeds`, as grown and shrunk since.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Focus {
    pub seeds: Vec<NodeIx>,
    /// 1..=3.
    pub hops: u8,
    /// Entities expansions added, and collapses took out.
    pub added: BTreeSet<NodeIx>,
    pub removed: BTreeSet<NodeIx>,
}

impl Focus {
    pub fn new(seeds: Vec<NodeIx>, hops: u8) -> Self {
        Self {
            seeds,
            hops: hops.clamp(1, MAX_FOCUS_HOPS),
            added: BTreeSet::new(),
            removed: BTreeSet::new(),
        }
    }

    /// One flag per node: in the focus or not. The neighbourhood comes from
    /// `source` by entity id, so a database source could answer it.
    pub fn members(
        &self,
        graph: &Graph,
        source: &dyn GraphSource,
    ) -> Result<Vec<bool>, SourceError> {
        let seeds: Vec<EntityId> = self
            .seeds
            .iter()
            .filter(|&&node| (node as usize) < graph.node_count())
            .map(|&node| graph.node_db_id(node))
            .collect();
        let mut members = vec![false; graph.node_count()];
        for id in source.neighbourhood(&seeds, self.hops, Direction::Both)? {
            if let Some(node) = graph.node_by_db_id(id) {
                members[node as usize] = true;
            }
        }
        for &node in &self.added {
            if let Some(slot) = members.get_mut(node as usize) {
                *slot = true;
            }
        }
        for &node in &self.removed {
            if let Some(slot) = members.get_mut(node as usize)
                && !self.seeds.contains(&node)
            {
                *slot = false;
            }
        }
        Ok(members)
    }
}

/// Everything that decides the visible set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisibilityRules {
    /// Entities and relations the user hid.
    pub hidden_nodes: BTreeSet<NodeIx>,
    pub hidden_edges: BTreeSet<EdgeIx>,
    pub focus: Option<Focus>,
    pub filter: Filter,
}

impl VisibilityRules {
    /// The same rules in a graph that holds these entities and relations
    /// under other indices (an explored scene that grew); what the new
    /// graph lacks is dropped.
    #[must_use]
    pub fn remapped(
        &self,
        node: &dyn Fn(NodeIx) -> Option<NodeIx>,
        edge: &dyn Fn(EdgeIx) -> Option<EdgeIx>,
    ) -> Self {
        let nodes = |set: &BTreeSet<NodeIx>| set.iter().filter_map(|&n| node(n)).collect();
        Self {
            hidden_nodes: nodes(&self.hidden_nodes),
            hidden_edges: self.hidden_edges.iter().filter_map(|&e| edge(e)).collect(),
            focus: self.focus.as_ref().map(|focus| Focus {
                seeds: focus.seeds.iter().filter_map(|&n| node(n)).collect(),
                hops: focus.hops,
                added: nodes(&focus.added),
                removed: nodes(&focus.removed),
            }),
            filter: self.filter.clone(),
        }
    }

    /// Whether everything is shown whatever the graph.
    pub fn is_neutral(&self) -> bool {
        self.hidden_nodes.is_empty()
            && self.hidden_edges.is_empty()
            && self.focus.is_none()
            && !self.filter.is_active()
    }

    /// Hidden by the user or outside the focus (`members`), before filters.
    pub fn is_put_away(&self, node: NodeIx, members: Option<&[bool]>) -> bool {
        self.hidden_nodes.contains(&node)
            || members.is_some_and(|members| !members.get(node as usize).copied().unwrap_or(false))
    }

    /// The neighbours of `node` that expanding it would bring back: those
    /// hidden or outside the focus (filters still apply to them).
    pub fn expansion(
        &self,
        graph: &Graph,
        source: &dyn GraphSource,
        node: NodeIx,
        members: Option<&[bool]>,
    ) -> Result<Vec<NodeIx>, SourceError> {
        Ok(source
            .neighbours(graph.node_db_id(node), Direction::Both)?
            .into_iter()
            .filter_map(|id| graph.node_by_db_id(id))
            .filter(|&other| self.is_put_away(other, members))
            .collect())
    }

    /// Shows `nodes` again (an expansion).
    pub fn bring_back(&mut self, nodes: &[NodeIx]) {
        for &node in nodes {
            self.hidden_nodes.remove(&node);
            if let Some(focus) = &mut self.focus
                && !focus.removed.remove(&node)
            {
                focus.added.insert(node);
            }
        }
    }

    /// The neighbours of `node` that collapsing it puts away: those shown
    /// that hang off it alone (every other neighbour of theirs is put away),
    /// never a focus seed.
    pub fn collapse(
        &self,
        graph: &Graph,
        source: &dyn GraphSource,
        node: NodeIx,
        members: Option<&[bool]>,
    ) -> Result<Vec<NodeIx>, SourceError> {
        let mut leaves = Vec::new();
        for id in source.neighbours(graph.node_db_id(node), Direction::Both)? {
            let Some(other) = graph.node_by_db_id(id) else {
                continue;
            };
            let is_seed = self
                .focus
                .as_ref()
                .is_some_and(|focus| focus.seeds.contains(&other));
            if is_seed || self.is_put_away(other, members) {
                continue;
            }
            let hangs_off_node = source
                .neighbours(id, Direction::Both)?
                .into_iter()
                .filter_map(|id| graph.node_by_db_id(id))
                .all(|next| next == node || self.is_put_away(next, members));
            if hangs_off_node {
                leaves.push(other);
            }
        }
        Ok(leaves)
    }

    /// Puts `nodes` away (a collapse).
    pub fn put_away(&mut self, nodes: &[NodeIx]) {
        for &node in nodes {
            match &mut self.focus {
                Some(focus) => {
                    if !focus.added.remove(&node) {
                        focus.removed.insert(node);
                    }
                }
                None => {
                    self.hidden_nodes.insert(node);
                }
            }
        }
    }
}

/// Why an entity or relation is not shown. When several reasons apply, the
/// first in this order is the one counted, so that the status bar's
/// per-reason counts add up to what is hidden or greyed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HideReason {
    /// The user hid it (H), or hid an end of the relation.
    ByHand,
    /// Outside the focus, or an end of the relation is.
    Focus,
    /// An entity or relation kind left out by the filter.
    Kind,
    /// Support or grades of the evidence.
    Evidence,
    /// The date window, or "Keep undated items" unticked.
    Dates,
    /// "Leave out entities whose relations are all filtered out".
    Isolated,
}

impl HideReason {
    pub const ALL: [Self; 6] = [
        Self::ByHand,
        Self::Focus,
        Self::Kind,
        Self::Evidence,
        Self::Dates,
        Self::Isolated,
    ];

    /// Whether the filters' look (hide or grey) applies; what the user put
    /// away is always hidden.
    pub fn is_filter(self) -> bool {
        !matches!(self, Self::ByHand | Self::Focus)
    }
}

/// Entities and relations one reason takes out of the picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReasonCounts {
    pub entities: usize,
    pub relations: usize,
}

/// How many entities and relations are in each state, and why those not
/// shown are not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VisibleCounts {
    pub nodes_shown: usize,
    pub nodes_greyed: usize,
    pub nodes_hidden: usize,
    pub edges_shown: usize,
    pub edges_greyed: usize,
    pub edges_hidden: usize,
    /// Indexed like [`HideReason::ALL`].
    pub by_reason: [ReasonCounts; 6],
}

impl VisibleCounts {
    pub fn by(&self, reason: HideReason) -> ReasonCounts {
        self.by_reason[reason as usize]
    }
}

/// The state of every entity and relation, indexed like the graph.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisibleSet {
    nodes: Vec<Shown>,
    edges: Vec<Shown>,
    pub counts: VisibleCounts,
}

impl VisibleSet {
    /// Everything shown.
    pub fn all_shown(graph: &Graph) -> Self {
        Self {
            nodes: vec![Shown::Shown; graph.node_count()],
            edges: vec![Shown::Shown; graph.edge_count()],
            counts: VisibleCounts {
                nodes_shown: graph.node_count(),
                edges_shown: graph.edge_count(),
                ..VisibleCounts::default()
            },
        }
    }

    pub fn node(&self, node: NodeIx) -> Shown {
        self.nodes
            .get(node as usize)
            .copied()
            .unwrap_or(Shown::Shown)
    }

    pub fn edge(&self, edge: EdgeIx) -> Shown {
        self.edges
            .get(edge as usize)
            .copied()
            .unwrap_or(Shown::Shown)
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }
}

mod compute;
pub use compute::compute;

#[cfg(test)]
mod tests;
