//! The view an analyst saves into a graph file: where every entity is, what
//! is pinned, the camera, the selection and the layout settings. Keyed by
//! the file's database ids, never by in-memory indices, so rows skipped on
//! load (or added later by another tool) cannot shift it.
//!
//! One versioned structure: later features (filters, focus, hidden items,
//! styles) add fields with `#[serde(default)]`, and [`ViewState::from_json`]
//! migrates older versions, so a file saved today stays readable.

use serde::{Deserialize, Serialize};

use crate::layout::LayoutSettings;
use crate::model::metrics::NodeLook;
use crate::model::visibility::{Filter, Focus, MAX_FOCUS_HOPS, VisibilityRules};
use crate::model::{EdgeIx, FastMap, Graph, NodeIx};

/// The version this build writes. Files with a higher one were saved by a
/// newer Linkscope; their view is not restored (the graph still opens).
pub const VIEW_STATE_VERSION: u32 = 1;

/// Positions are refused beyond this magnitude (world units): a layout
/// never gets there, and such values would overflow the renderer's maths.
pub const MAX_COORDINATE: f32 = 1e9;

/// At most this many selected entities are saved: the saved view's JSON
/// is read back only up to 1 MiB, and an id takes up to 21 bytes there.
pub const MAX_SAVED_SELECTION: usize = 40_000;

/// Everything that is saved, except the positions, as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    pub version: u32,
    /// Where each entity is, and whether it is pinned; stored in its own
    /// table (`app_positions`), one row per entity.
    #[serde(skip)]
    pub positions: Vec<SavedPosition>,
    pub camera: Option<SavedCamera>,
    pub selection: Option<SavedSelection>,
    /// The selected entities by id, when more than one is selected (one
    /// is saved as `selection`); sorted, without repeats, at most
    /// [`MAX_SAVED_SELECTION`]. Files saved before multi-selection have
    /// none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub selected_entities: Vec<i64>,
    /// The settings the layout runs with when resumed.
    pub layout: Option<LayoutSettings>,
    /// Entities and relations the user hid, by id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_entities: Vec<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_relations: Vec<i64>,
    /// Show only this neighbourhood.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus: Option<SavedFocus>,
    /// What the filters let through, and how the rest is drawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// What nodes are coloured and sized by (View > Colour by / Size by);
    /// files saved before it have none and get the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_look: Option<NodeLook>,
    /// View ▸ Evidence Overlay is on. Files saved before it have none.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub evidence_overlay: bool,
    /// What node radii were multiplied by to follow the picture, so a
    /// reopened view draws its nodes exactly as saved. Files saved before
    /// it have none: the scale is worked out from the positions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_scale: Option<f32>,
}

/// A focus by entity ids: the k-hop neighbourhood of the seeds, with the
/// entities expansions added and collapses removed since.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedFocus {
    pub seeds: Vec<i64>,
    pub hops: u8,
    pub added: Vec<i64>,
    pub removed: Vec<i64>,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            version: VIEW_STATE_VERSION,
            positions: Vec::new(),
            camera: None,
            selection: None,
            selected_entities: Vec::new(),
            layout: None,
            hidden_entities: Vec::new(),
            hidden_relations: Vec::new(),
            focus: None,
            filter: None,
            node_look: None,
            evidence_overlay: false,
            node_scale: None,
        }
    }
}

/// One entity's place.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SavedPosition {
    pub entity_id: i64,
    pub world: [f32; 2],
    pub pinned: bool,
}

/// The camera: the world point at the canvas's centre and the zoom (points
/// per world unit). The window's size is not saved: a smaller window shows
/// less around the same centre.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedCamera {
    pub center: [f32; 2],
    pub zoom: f32,
}

/// What was selected, by database id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavedSelection {
    Entity(i64),
    Relation(i64),
}

/// Why a saved view could not be read back.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ViewStateError {
    #[error("the saved view is not valid JSON: {0}")]
    Json(String),
    #[error(
        "the saved view is version {found}, newer than this Linkscope reads ({supported}); it was not restored"
    )]
    Newer { found: u32, supported: u32 },
    #[error("the saved view has a bad value: {0}")]
    BadValue(String),
}

impl ViewState {
    /// The hidden items, focus and filter this view saved, for `graph`;
    /// ids no longer in the file are left out.
    pub fn visibility_rules(&self, graph: &Graph) -> VisibilityRules {
        let nodes = |ids: &[i64]| -> Vec<NodeIx> {
            ids.iter()
                .filter_map(|&id| graph.node_by_db_id(id))
                .collect()
        };
        let mut rules = VisibilityRules {
            hidden_nodes: nodes(&self.hidden_entities).into_iter().collect(),
            ..VisibilityRules::default()
        };
        if !self.hidden_relations.is_empty() {
            let edge_of: FastMap<i64, EdgeIx> = (0..graph.edge_count() as EdgeIx)
                .map(|edge| (graph.edge_db_id(edge), edge))
                .collect();
            rules.hidden_edges = self
                .hidden_relations
                .iter()
                .filter_map(|id| edge_of.get(id).copied())
                .collect();
        }
        if let Some(saved) = &self.focus {
            let seeds = nodes(&saved.seeds);
            if !seeds.is_empty() {
                let mut focus = Focus::new(seeds, saved.hops);
                focus.added = nodes(&saved.added).into_iter().collect();
                focus.removed = nodes(&saved.removed).into_iter().collect();
                rules.focus = Some(focus);
            }
        }
        if let Some(filter) = &self.filter {
            rules.filter = filter.clone();
        }
        rules
    }

    /// The JSON stored in the file (positions aside).
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads and checks the JSON part of a saved view, migrating older
    /// versions. Values that cannot be right are refused, not clamped.
    pub fn from_json(json: &str) -> Result<Self, ViewStateError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|error| ViewStateError::Json(error.to_string()))?;
        let found = value
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| ViewStateError::BadValue("it has no version number".to_owned()))?;
        let found = u32::try_from(found).unwrap_or(u32::MAX);
        if found > VIEW_STATE_VERSION {
            return Err(ViewStateError::Newer {
                found,
                supported: VIEW_STATE_VERSION,
            });
        }
        // Version 1 is the first; later versions migrate `value` here,
        // one step at a time, before it is read.
        let mut state: Self = serde_json::from_value(value)
            .map_err(|error| ViewStateError::Json(error.to_string()))?;
        state.version = VIEW_STATE_VERSION;
        state.selected_entities.sort_unstable();
        state.selected_entities.dedup();
        state.check()?;
        Ok(state)
    }

    fn check(&self) -> Result<(), ViewStateError> {
        if let Some(camera) = self.camera {
            let finite = camera.center.iter().all(|c| c.abs() <= MAX_COORDINATE);
            if !(finite && camera.zoom.is_finite() && camera.zoom > 0.0) {
                return Err(ViewStateError::BadValue(format!("camera {camera:?}")));
            }
        }
        if let Some(scale) = self.node_scale
            && !(scale.is_finite() && (1e-9..=1e9).contains(&scale))
        {
            return Err(ViewStateError::BadValue(format!("node scale {scale}")));
        }
        if let Some(layout) = &self.layout {
            let numbers = [
                layout.scaling_ratio,
                layout.gravity,
                layout.jitter_tolerance,
                layout.theta,
                layout.convergence_tolerance,
            ];
            if numbers.iter().any(|x| !x.is_finite() || *x < 0.0)
                || layout.convergence_window == 0
                || layout
                    .max_displacement
                    .is_some_and(|x| !(x.is_finite() && x > 0.0))
            {
                return Err(ViewStateError::BadValue(format!(
                    "layout settings {layout:?}"
                )));
            }
        }
        if let Some(focus) = &self.focus
            && (focus.seeds.is_empty() || !(1..=MAX_FOCUS_HOPS).contains(&focus.hops))
        {
            return Err(ViewStateError::BadValue(format!(
                "focus with {} seeds and {} hops (1 to {MAX_FOCUS_HOPS})",
                focus.seeds.len(),
                focus.hops
            )));
        }
        if let Some(problem) = self.filter.as_ref().and_then(Filter::problem) {
            return Err(ViewStateError::BadValue(format!("filter: {problem}")));
        }
        Ok(())
    }
}

/// Whether a stored position can be used.
pub fn is_valid_position(world: [f32; 2]) -> bool {
    world
        .iter()
        .all(|c| c.is_finite() && c.abs() <= MAX_COORDINATE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A view saved by version 1, as it is stored in files; later versions
    /// must keep reading it (this text must never change).
    const VERSION_1: &str = r#"{"version":1,"camera":{"center":[12.5,-3.0],"zoom":4.25},"selection":{"relation":3},"layout":{"scaling_ratio":5.0,"gravity":1.0,"strong_gravity":false,"lin_log":false,"jitter_tolerance":1.0,"theta":1.2,"barnes_hut":true,"outbound_attraction_distribution":false,"seed":0,"max_displacement":null,"convergence_tolerance":0.0002,"convergence_window":20}}"#;

    #[test]
    fn a_version_1_view_is_read_back() {
        let state = ViewState::from_json(VERSION_1).unwrap();
        assert_eq!(
            state.camera,
            Some(SavedCamera {
                center: [12.5, -3.0],
                zoom: 4.25
            })
        );
        assert_eq!(state.selection, Some(SavedSelection::Relation(3)));
        assert!(state.selected_entities.is_empty());
        let layout = state.layout.unwrap();
        assert!((layout.scaling_ratio - 5.0).abs() < 1e-6);
        assert_eq!(layout.convergence_window, 20);
    }

    #[test]
    fn round_trips_and_ignores_unknown_fields() {
        let state = ViewState {
            camera: Some(SavedCamera {
                center: [1.0, 2.0],
                zoom: 0.5,
            }),
            selection: Some(SavedSelection::Entity(7)),
            layout: Some(LayoutSettings::default()),
            ..ViewState::default()
        };
        assert_eq!(ViewState::from_json(&state.to_json()).unwrap(), state);
        let later = r#"{"version":1,"filters":{"kinds":["actor"]},"selection":{"entity":2}}"#;
        let read = ViewState::from_json(later).unwrap();
        assert_eq!(read.selection, Some(SavedSelection::Entity(2)));
    }

    #[test]
    fn the_node_look_round_trips_and_older_views_have_none() {
        use crate::model::metrics::{ColourBy, SizeBy};
        let state = ViewState {
            node_look: Some(NodeLook {
                colour_by: ColourBy::Community,
                size_by: SizeBy::PageRank,
            }),
            ..ViewState::default()
        };
        let json = state.to_json();
        assert!(json.contains(r#""colour_by":"community""#), "{json}");
        assert_eq!(ViewState::from_json(&json).unwrap(), state);
        let older = r#"{"version":1,"selection":{"entity":2}}"#;
        assert_eq!(ViewState::from_json(older).unwrap().node_look, None);
    }

    #[test]
    fn the_evidence_overlay_round_trips_and_older_views_have_it_off() {
        assert!(!ViewState::from_json(VERSION_1).unwrap().evidence_overlay);
        let on = ViewState {
            evidence_overlay: true,
            ..ViewState::default()
        };
        assert!(on.to_json().contains("\"evidence_overlay\":true"));
        assert_eq!(ViewState::from_json(&on.to_json()).unwrap(), on);
        // Off is the default and is not written.
        assert!(!ViewState::default().to_json().contains("evidence_overlay"));
    }

    #[test]
    fn hidden_items_focus_and_filter_round_trip() {
        let mut filter = Filter::default();
        filter.excluded_entity_kinds.insert("event".to_owned());
        filter.reliability = Some("B".to_owned());
        filter.date_from = Some("2024-03".to_owned());
        let state = ViewState {
            hidden_entities: vec![3, 9],
            hidden_relations: vec![12],
            focus: Some(SavedFocus {
                seeds: vec![1],
                hops: 2,
                added: vec![20],
                removed: vec![4],
            }),
            filter: Some(filter),
            ..ViewState::default()
        };
        assert_eq!(ViewState::from_json(&state.to_json()).unwrap(), state);
        // A view without them writes none of the new keys.
        assert!(!ViewState::default().to_json().contains("hidden"));
    }

    #[test]
    fn a_multi_selection_round_trips_sorted_without_repeats() {
        let json = r#"{"version":1,"selected_entities":[9,2,9,-4]}"#;
        let state = ViewState::from_json(json).unwrap();
        assert_eq!(state.selected_entities, [-4, 2, 9]);
        assert_eq!(ViewState::from_json(&state.to_json()).unwrap(), state);
        assert!(
            !ViewState::default().to_json().contains("selected_entities"),
            "a view without one writes what version 1 wrote"
        );
    }

    /// The largest selection saved, with the longest ids, stays under the
    /// limit its JSON is read back with.
    #[test]
    fn the_largest_saved_selection_can_be_read_back() {
        let state = ViewState {
            selected_entities: (0..MAX_SAVED_SELECTION as i64)
                .map(|i| i64::MIN + i)
                .collect(),
            ..ViewState::default()
        };
        let bytes = state.to_json().len() as u64;
        assert!(
            bytes < crate::store::limits::PROPERTIES_MAX_BYTES,
            "{bytes}"
        );
    }

    #[test]
    fn bad_views_are_refused_with_a_reason() {
        for (json, wanted) in [
            ("not json", "not valid JSON"),
            (r#"{"camera":null}"#, "no version"),
            (r#"{"version":2}"#, "version 2, newer"),
            (
                r#"{"version":1,"camera":{"center":[0,0],"zoom":0}}"#,
                "bad value",
            ),
            (
                r#"{"version":1,"camera":{"center":[1e30,0],"zoom":1}}"#,
                "bad value",
            ),
            (
                r#"{"version":1,"selection":{"entity":"x"}}"#,
                "not valid JSON",
            ),
            (r#"{"version":1,"focus":{"seeds":[1],"hops":7}}"#, "7 hops"),
            (r#"{"version":1,"focus":{"seeds":[],"hops":1}}"#, "0 seeds"),
            (
                r#"{"version":1,"filter":{"credibility":"9"}}"#,
                "credibility",
            ),
            (
                r#"{"version":1,"filter":{"date_to":"yesterday"}}"#,
                "not ISO 8601",
            ),
            (
                r#"{"version":1,"selected_entities":[1,"two"]}"#,
                "not valid JSON",
            ),
            (
                r#"{"version":1,"selected_entities":[1.5]}"#,
                "not valid JSON",
            ),
        ] {
            let error = ViewState::from_json(json).unwrap_err().to_string();
            assert!(error.contains(wanted), "{json}: {error}");
        }
        assert!(!is_valid_position([f32::NAN, 0.0]));
        assert!(!is_valid_position([0.0, 2e9]));
        assert!(is_valid_position([-5.0, 1e6]));
    }
}
