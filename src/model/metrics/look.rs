//! What the nodes are coloured and sized by: a choice saved with the view
//! (so it lives beside the measures, not in the view code that draws it).

use serde::{Deserialize, Serialize};

/// What a node's colour says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColourBy {
    /// The entity's kind (actor, organization, event, other).
    #[default]
    Kind,
    /// Its Louvain community.
    Community,
}

/// What a node's size says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeBy {
    /// Every node the same size.
    None,
    /// Relations touching it (the default, as before measures existed).
    #[default]
    Degree,
    Betweenness,
    PageRank,
}

/// Colour and size choices together, as saved in the view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeLook {
    pub colour_by: ColourBy,
    pub size_by: SizeBy,
}

impl NodeLook {
    /// Whether this look needs the measures computed (degree is always known).
    pub fn needs_metrics(self) -> bool {
        self.colour_by == ColourBy::Community
            || matches!(self.size_by, SizeBy::Betweenness | SizeBy::PageRank)
    }
}
