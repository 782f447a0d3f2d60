//! Hide, focus, expand, filters and the timeline, as the app runs them. The
//! rules live here; what they show is recomputed on a background job
//! whenever they change (see `jobs::update_view`), and the claims' dates
//! and grades are read on another once a file has opened. The layout keeps
//! running on the whole graph, so an entity shown again comes back where
//! the layout has put it.

mod panels;

use std::sync::Arc;

use super::LinkscopeApp;
use super::history::Edit;
use crate::command::Command;
use crate::jobs::{ClaimsJob, ViewUpdateJob, ViewUpdateRequest};
use crate::model::NodeIx;
use crate::model::claims::Claims;
use crate::model::dates::format_day;
use crate::model::timeline::{Timeline, next_window};
use crate::model::visibility::{Filter, Focus, Shown, VisibilityRules, VisibleSet};
use crate::store::{SavedFocus, StoreError, ViewState};
use crate::view::filter_panel::{ClaimsState, FilterPanelState};
use crate::view::hit::Hit;
use crate::view::timeline::{TimelineState, chart_range};

/// Seconds between two steps of timeline playback.
const PLAY_STEP_S: f64 = 0.8;
/// The default of "ask before an expansion shows more than N entities".
pub(super) const DEFAULT_EXPAND_LIMIT: usize = 500;

/// What is shown and why (transient, apart from the rules, which the saved
/// view keeps).
pub(super) struct VisibilitySession {
    pub rules: VisibilityRules,
    /// The last computed visible set (all shown until the first update).
    pub visible: Option<Arc<VisibleSet>>,
    /// The focus the last update computed, with its members.
    members: Option<(Focus, Arc<Vec<bool>>)>,
    job: Option<ViewUpdateJob>,
    pub claims: Option<Arc<Claims>>,
    pub timeline: Option<Timeline>,
    claims_job: Option<ClaimsJob>,
    pub claims_state: ClaimsState,
    /// How far the next focus reaches.
    pub hops: u8,
    /// An expansion waiting for "expand anyway": the node and what it adds.
    pub expand_prompt: Option<(NodeIx, Vec<NodeIx>)>,
    /// Which of the filter panel and the timeline are shown.
    pub panels: ShownPanels,
    filter_panel: FilterPanelState,
    timeline_state: TimelineState,
    pub playing: bool,
    last_play_step_s: f64,
    /// Pan (never zoom) to what the next update shows, after a focus;
    /// nothing but Fit changes the zoom.
    reveal_on_update: bool,
    /// The file's kinds, for the filter panel (read once per file).
    entity_kinds: Vec<String>,
    relation_kinds: Vec<String>,
}

/// The filter panel and the timeline, each shown or not.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ShownPanels {
    pub filters: bool,
    pub timeline: bool,
}

impl Default for VisibilitySession {
    fn default() -> Self {
        Self {
            rules: VisibilityRules::default(),
            visible: None,
            members: None,
            job: None,
            claims: None,
            timeline: None,
            claims_job: None,
            claims_state: ClaimsState::Loading,
            hops: 1,
            expand_prompt: None,
            panels: ShownPanels::default(),
            filter_panel: FilterPanelState::default(),
            timeline_state: TimelineState::default(),
            playing: false,
            last_play_step_s: f64::NEG_INFINITY,
            reveal_on_update: false,
            entity_kinds: Vec::new(),
            relation_kinds: Vec::new(),
        }
    }
}

impl LinkscopeApp {
    /// A new file: nothing hidden, no focus, no filter; its dates and grades
    /// start loading. The panels stay as the user left them.
    pub(super) fn reset_visibility(&mut self, ctx: &egui::Context) {
        let previous = std::mem::take(&mut self.visibility);
        self.visibility.hops = previous.hops;
        self.visibility.panels = previous.panels;
        let Some(document) = &self.document else {
            return;
        };
        let graph = &document.graph;
        self.visibility.visible = Some(Arc::new(VisibleSet::all_shown(graph)));
        self.visibility.entity_kinds = graph
            .entity_kinds()
            .into_iter()
            .map(str::to_owned)
            .collect();
        self.visibility.relation_kinds = graph
            .relation_kinds()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let read_path = document
            .recovered
            .as_ref()
            .map_or_else(|| document.path.clone(), |copy| copy.path().to_path_buf());
        match ClaimsJob::start(read_path, Arc::clone(graph), ctx.clone()) {
            Ok(job) => self.visibility.claims_job = Some(job),
            Err(error) => {
                self.visibility.claims_state = ClaimsState::Failed(error.to_string());
            }
        }
    }

    /// Takes finished claims and view updates, and steps playback.
    pub(super) fn poll_visibility(&mut self, ctx: &egui::Context) {
        if let Some(outcome) = self
            .visibility
            .claims_job
            .as_ref()
            .and_then(ClaimsJob::poll)
        {
            self.visibility.claims_job = None;
            match outcome {
                Ok((claims, timeline)) => {
                    self.visibility.claims = Some(Arc::new(claims));
                    self.visibility.timeline = Some(timeline);
                    self.visibility.claims_state = ClaimsState::Ready;
                    if self.visibility.rules.filter.needs_claims() {
                        self.request_view_update(ctx);
                    }
                }
                Err(StoreError::Cancelled { .. }) => {}
                Err(error) => {
                    self.visibility.claims_state = ClaimsState::Failed(error.to_string());
                }
            }
        }
        let finished = self.visibility.job.as_ref().and_then(ViewUpdateJob::poll);
        if let Some(mut update) = finished {
            self.visibility.job = None;
            // The overlay may have been toggled while the job ran.
            if let Some(document) = &self.document
                && update.scene.evidence_mode != document.scene.evidence_mode
            {
                update.scene = update.scene.with_evidence_overlay(
                    document.scene.evidence_mode == crate::scene::edge_style::EvidenceMode::Overlay,
                    update.theme,
                    update.generation,
                );
            }
            if update.theme != self.saved.theme {
                update.scene = update.scene.recolored(self.saved.theme, update.generation);
            }
            self.generation += 1;
            update.scene.styles_generation = self.generation;
            let mut look_changed = false;
            if let Some(document) = &mut self.document {
                look_changed = !update.scene.same_node_look(&document.scene);
                if update.scene.node_scale.to_bits() != document.scene.node_scale.to_bits() {
                    // The nodes were resized for the picture while it was built.
                    update.scene = update
                        .scene
                        .with_node_scale(document.scene.node_scale, self.generation);
                }
                document.scene = update.scene;
            }
            if look_changed {
                // Colour or size by changed (or the measures arrived) while it was built.
                self.apply_node_look();
            }
            self.visibility.members = self.visibility.rules.focus.clone().zip(update.members);
            if let Some(error) = update.error {
                self.visibility.rules.focus = None;
                self.show_error(format!("could not focus: {error}"));
            }
            let visible = update.visible;
            if std::mem::take(&mut self.visibility.reveal_on_update)
                && self.visibility.rules.focus.is_some()
                && let Some(document) = &self.document
            {
                // A focus pans to what it shows; it never zooms (only Fit does).
                let shown: Vec<_> = (0..document.graph.node_count() as NodeIx)
                    .filter(|&node| visible.node(node) == Shown::Shown)
                    .collect();
                self.canvas.request_reveal(shown);
            }
            let hidden = |hit: Hit| match hit {
                Hit::Node(node) => visible.node(node) == Shown::Hidden,
                Hit::Edge(edge) => visible.edge(edge) == Shown::Hidden,
            };
            let selection_hidden = self
                .selection
                .edge()
                .is_some_and(|edge| hidden(Hit::Edge(edge)))
                || self
                    .selection
                    .nodes()
                    .iter()
                    .any(|&node| hidden(Hit::Node(node)));
            self.visibility.visible = Some(visible);
            if selection_hidden {
                self.select(None);
            }
            log::debug!("view updated in {:.1} ms", update.compute_ms);
        } else if self.visibility.job.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
        }
        if self.visibility.playing {
            self.step_playback(ctx);
        }
    }

    /// Recomputes what is shown from the rules, in the background.
    fn request_view_update(&mut self, ctx: &egui::Context) {
        let Some(document) = &self.document else {
            return;
        };
        self.generation += 1;
        let request = ViewUpdateRequest {
            graph: Arc::clone(&document.graph),
            claims: self.visibility.claims.clone(),
            rules: self.visibility.rules.clone(),
            scene: document.scene.clone(),
            theme: self.saved.theme,
            generation: self.generation,
        };
        // A running update is left to finish; its result is stale and dropped.
        match ViewUpdateJob::start(request, ctx.clone()) {
            Ok(job) => self.visibility.job = Some(job),
            Err(error) => self.show_error(format!("could not update the view: {error}")),
        }
    }

    /// The open graph grew in place (see `explore::growth`): what its
    /// grown scene shows, computed with the rules in force when it was
    /// asked for. An update or a read of dates running meanwhile was for
    /// the smaller graph: it is dropped, and the update asked again.
    pub(super) fn grown_visibility(
        &mut self,
        ctx: &egui::Context,
        update: crate::jobs::ViewUpdate,
        claims: Option<(Arc<Claims>, Timeline)>,
        rules_then: &VisibilityRules,
    ) {
        self.visibility.members = self.visibility.rules.focus.clone().zip(update.members);
        self.visibility.visible = Some(update.visible);
        if let Some((claims, timeline)) = claims {
            self.visibility.claims_job = None;
            self.visibility.claims = Some(claims);
            self.visibility.timeline = Some(timeline);
            self.visibility.claims_state = ClaimsState::Ready;
        } else if let Some(document) = &self.document {
            self.visibility.claims = None;
            self.visibility.claims_job = ClaimsJob::start(
                document.read_path.clone(),
                Arc::clone(&document.graph),
                ctx.clone(),
            )
            .ok();
        }
        if let Some(document) = &self.document {
            self.visibility.entity_kinds = document
                .graph
                .entity_kinds()
                .into_iter()
                .map(str::to_owned)
                .collect();
            self.visibility.relation_kinds = document
                .graph
                .relation_kinds()
                .into_iter()
                .map(str::to_owned)
                .collect();
        }
        let was_updating = self.visibility.job.take().is_some();
        if was_updating || self.visibility.rules != *rules_then {
            self.request_view_update(ctx);
        }
    }

    /// Whether the filters' dates and grades are still being read.
    pub(super) fn is_reading_claims(&self) -> bool {
        self.visibility.claims_job.is_some()
    }

    /// Whether a view update is running (for tests and the status bar).
    pub fn is_updating_view(&self) -> bool {
        self.visibility.job.is_some() || self.visibility.claims_job.is_some()
    }

    /// The visible set the canvas shows now.
    pub fn visible_set(&self) -> Option<&VisibleSet> {
        self.visibility.visible.as_deref()
    }

    /// The visibility rules now in force.
    pub fn visibility_rules(&self) -> &VisibilityRules {
        &self.visibility.rules
    }

    pub fn is_playing_timeline(&self) -> bool {
        self.visibility.playing
    }

    /// The focus's members, from the last update if it matches the focus
    /// now, else computed here (once per command, never per frame).
    fn focus_members(&self) -> Option<Arc<Vec<bool>>> {
        let focus = self.visibility.rules.focus.as_ref()?;
        if let Some((computed, members)) = &self.visibility.members
            && computed == focus
        {
            return Some(Arc::clone(members));
        }
        let graph = &self.document.as_ref()?.graph;
        focus.members(graph, &**graph).ok().map(Arc::new)
    }

    pub(super) fn run_visibility_command(&mut self, ctx: &egui::Context, command: Command) {
        let Some(document) = &self.document else {
            return;
        };
        let before = self.visibility.rules.clone();
        let what = visibility_edit_text(&command);
        let graph = Arc::clone(&document.graph);
        match command {
            Command::HideSelection => {
                if self.selection.is_empty() {
                    return;
                }
                // Every selected entity, or the selected relation.
                self.visibility
                    .rules
                    .hidden_nodes
                    .extend(self.selection.nodes().iter().copied());
                if let Some(edge) = self.selection.edge() {
                    self.visibility.rules.hidden_edges.insert(edge);
                }
                self.select(None);
            }
            Command::ShowAll => {
                let look = self.visibility.rules.filter.look;
                self.visibility.rules = VisibilityRules::default();
                self.visibility.rules.filter.look = look;
                self.visibility.playing = false;
            }
            Command::FocusSelection => {
                // The selected entities, or the selected relation's ends.
                let mut seeds: Vec<_> = self.selection.nodes().iter().copied().collect();
                if let Some(edge) = self.selection.edge() {
                    let (source, target) = graph.edge_endpoints(edge);
                    seeds.extend([source, target]);
                }
                if seeds.is_empty() {
                    return;
                }
                self.visibility.rules.focus = Some(Focus::new(seeds, self.visibility.hops));
                self.visibility.reveal_on_update = true;
            }
            Command::SetFocusHops(hops) => {
                self.visibility.hops = hops;
                match &mut self.visibility.rules.focus {
                    Some(focus) if focus.hops != hops => {
                        focus.hops = hops;
                        self.visibility.reveal_on_update = true;
                    }
                    _ => return,
                }
            }
            Command::ExpandSelection | Command::CollapseSelection => {
                if let Some(Hit::Node(node)) = self.selection.single() {
                    self.pending.push(if command == Command::ExpandSelection {
                        Command::Expand(node)
                    } else {
                        Command::Collapse(node)
                    });
                }
                return;
            }
            Command::Expand(node) | Command::ExpandConfirmed(node) => {
                self.visibility.expand_prompt = None;
                let members = self.focus_members();
                let adding = match self.visibility.rules.expansion(
                    &graph,
                    &*graph,
                    node,
                    members.as_deref().map(Vec::as_slice),
                ) {
                    Ok(adding) => adding,
                    Err(error) => return self.show_error(format!("could not expand: {error}")),
                };
                if adding.is_empty() {
                    let text = format!(
                        "Every neighbour of {} is already shown.",
                        graph.node_name(node)
                    );
                    self.show_warning(text);
                    return;
                }
                if matches!(command, Command::Expand(_)) && adding.len() > self.saved.expand_limit {
                    self.visibility.expand_prompt = Some((node, adding));
                    return;
                }
                self.visibility.rules.bring_back(&adding);
            }
            Command::CancelExpand => {
                self.visibility.expand_prompt = None;
                return;
            }
            Command::Collapse(node) => {
                let members = self.focus_members();
                match self.visibility.rules.collapse(
                    &graph,
                    &*graph,
                    node,
                    members.as_deref().map(Vec::as_slice),
                ) {
                    Ok(leaves) if leaves.is_empty() => return,
                    Ok(leaves) => self.visibility.rules.put_away(&leaves),
                    Err(error) => return self.show_error(format!("could not collapse: {error}")),
                }
            }
            Command::SetExpandLimit(limit) => {
                self.saved.expand_limit = limit.max(1);
                return;
            }
            Command::SetFilter(filter) => {
                if filter == self.visibility.rules.filter {
                    return;
                }
                self.visibility.rules.filter = filter;
            }
            Command::ToggleFilters => {
                self.visibility.panels.filters = !self.visibility.panels.filters;
                return;
            }
            Command::ToggleTimeline => {
                self.visibility.panels.timeline = !self.visibility.panels.timeline;
                return;
            }
            Command::PlayTimeline(play) => {
                self.visibility.playing = play;
                self.visibility.last_play_step_s = f64::NEG_INFINITY;
                if play {
                    self.visibility.panels.timeline = true;
                    ctx.request_repaint();
                }
                return;
            }
            _ => return,
        }
        if self.visibility.rules != before
            && let Some(what) = what
            && !self.visibility.playing
        {
            self.arrange.history.push(Edit::Visibility {
                what: what.to_owned(),
                before: Box::new(before),
                after: Box::new(self.visibility.rules.clone()),
            });
        }
        self.mark_edited();
        self.request_view_update(ctx);
    }

    /// Undo and redo: puts `rules` back and shows what they show.
    pub(super) fn undo_visibility(&mut self, ctx: &egui::Context, rules: VisibilityRules) {
        self.visibility.rules = rules;
        self.visibility.playing = false;
        self.mark_edited();
        self.request_view_update(ctx);
    }

    /// Moves playback's window one step on, once the last step is drawn.
    fn step_playback(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|input| input.time);
        let wait = self.visibility.last_play_step_s + PLAY_STEP_S - now;
        if wait > 0.0 || self.visibility.job.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(wait.max(0.03)));
            return;
        }
        let Some(range) = self.visibility.timeline.as_ref().and_then(chart_range) else {
            self.visibility.playing = false;
            return;
        };
        let filter = &self.visibility.rules.filter;
        let current = filter.window().map(|span| {
            (
                span.start.max(range.0),
                span.end.min(range.1).max(span.start.max(range.0)),
            )
        });
        let current = current.filter(|_| filter.date_from.is_some() && filter.date_to.is_some());
        match next_window(current, range) {
            Some((from, to)) => {
                self.visibility.last_play_step_s = now;
                let filter = Filter {
                    date_from: Some(format_day(from)),
                    date_to: Some(format_day(to)),
                    ..self.visibility.rules.filter.clone()
                };
                self.pending.push(Command::SetFilter(filter));
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(PLAY_STEP_S));
            }
            None => self.visibility.playing = false,
        }
    }

    /// The hidden items, focus and filter into a view to save, by ids.
    pub(super) fn save_visibility_into(&self, view: &mut ViewState) {
        let Some(document) = &self.document else {
            return;
        };
        let graph = &document.graph;
        let rules = &self.visibility.rules;
        view.hidden_entities = rules
            .hidden_nodes
            .iter()
            .map(|&node| graph.node_db_id(node))
            .collect();
        view.hidden_relations = rules
            .hidden_edges
            .iter()
            .map(|&edge| graph.edge_db_id(edge))
            .collect();
        let ids = |nodes: &mut dyn Iterator<Item = &NodeIx>| -> Vec<i64> {
            nodes.map(|&node| graph.node_db_id(node)).collect()
        };
        view.focus = rules.focus.as_ref().map(|focus| SavedFocus {
            seeds: ids(&mut focus.seeds.iter()),
            hops: focus.hops,
            added: ids(&mut focus.added.iter()),
            removed: ids(&mut focus.removed.iter()),
        });
        view.filter = (rules.filter != Filter::default()).then(|| rules.filter.clone());
    }

    /// Puts saved hidden items, focus and filter back; ids no longer in the
    /// file are left out.
    pub(super) fn restore_visibility(&mut self, ctx: &egui::Context, view: &ViewState) {
        let Some(document) = &self.document else {
            return;
        };
        let rules = view.visibility_rules(&document.graph);
        if let Some(focus) = &rules.focus {
            self.visibility.hops = focus.hops;
        }
        if !rules.is_neutral() {
            self.visibility.rules = rules;
            self.request_view_update(ctx);
        }
    }
}

/// How the Edit menu names a visibility edit ("Undo Hide"); None for the
/// commands that change no rule.
fn visibility_edit_text(command: &Command) -> Option<&'static str> {
    Some(match command {
        Command::HideSelection => "Hide",
        Command::ShowAll => "Show All",
        Command::FocusSelection => "Focus",
        Command::SetFocusHops(_) => "Focus Hops",
        Command::Expand(_) | Command::ExpandConfirmed(_) => "Expand",
        Command::Collapse(_) => "Collapse",
        Command::SetFilter(_) => "Filter",
        _ => return None,
    })
}
