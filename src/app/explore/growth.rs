//! The explored scene grows in place. Each expansion has the source write
//! the scene, newcomers included, into a working copy; a background job
//! reads it and grows the open graph by what is new (see
//! [`crate::model::Graph::grown_by`]): every entity and relation shown
//! keeps its index, so the selection, pins, hidden items, the focus and
//! the undo history hold as they are. The window then swaps in the grown
//! graph and scene, bumps the document's generation, and restarts the
//! layout from the picture as it is, the old entities held where they are
//! and the newcomers placed beside the entity they came from.

use std::path::Path;
use std::sync::Arc;

use super::super::LinkscopeApp;
use crate::jobs::grow::{GrowJob, GrowPoll, GrowRequest, GrownDocument};
use crate::jobs::{DetailsWorker, LayoutJob, LayoutStart};
use crate::model::NodeIx;
use crate::model::explore::SceneCopy;
use crate::model::visibility::VisibilityRules;
use crate::scene::GraphScene;
use crate::scene::theme::Theme;
use crate::view::canvas::Positions;
use crate::view::gpu;
use crate::view::hit::Hit;

/// A growth being read: its job, and the rules it was asked with.
pub(super) struct Growing {
    job: GrowJob,
    rules: VisibilityRules,
}

/// Whether a copy names every row by the source's own id, so that the
/// same entity has the same id in every copy (the writer keeps them
/// unless the source's ids leave it no room; see `store::scene_copy`).
fn keeps_source_ids(copy: &SceneCopy) -> bool {
    copy.entity_ids
        .iter()
        .all(|(source, copied)| source == copied)
        && copy
            .relation_ids
            .iter()
            .all(|(source, copied)| source == copied)
}

impl LinkscopeApp {
    /// Whether the working copy `out` can grow the scene shown in place:
    /// both it and the shown copy keep the source's ids, and it is not a
    /// saved view being opened (which replaces the scene).
    pub(super) fn can_grow_in_place(&self, out: &Path, copy: &SceneCopy) -> bool {
        let (Some(session), Some(document)) = (&self.explore, &self.document) else {
            return false;
        };
        session.is_copy(&document.path)
            && !session.is_restoring(out)
            && session
                .source_of_copy_id
                .iter()
                .all(|(copied, source)| copied == source)
            && keeps_source_ids(copy)
    }

    /// Reads the working copy at `out` in the background, to grow the
    /// scene shown by it. A growth still running is dropped: this copy
    /// holds all it would have brought.
    pub(super) fn start_growth(&mut self, ctx: &egui::Context, out: &Path) {
        let Some(document) = &self.document else {
            return;
        };
        self.generation += 1;
        let rules = self.visibility.rules.clone();
        let request = GrowRequest {
            path: out.to_path_buf(),
            base: Arc::clone(&document.graph),
            rules: rules.clone(),
            theme: self.saved.theme,
            generation: self.generation,
        };
        match GrowJob::start(request, ctx.clone()) {
            Ok(job) => {
                if let Some(session) = &mut self.explore {
                    session.growing = Some(Growing { job, rules });
                }
            }
            Err(error) => self.show_error(format!("could not grow the scene: {error}")),
        }
    }

    /// Takes a finished growth.
    pub(super) fn poll_growth(&mut self, ctx: &egui::Context) {
        let Some(session) = &mut self.explore else {
            return;
        };
        let Some(growing) = &session.growing else {
            return;
        };
        match growing.job.poll() {
            GrowPoll::Running => {}
            GrowPoll::Gone => session.growing = None,
            GrowPoll::Done(result) => {
                let rules = session.growing.take().map(|growing| growing.rules);
                match *result {
                    Ok(grown) => self.apply_growth(ctx, grown, &rules.unwrap_or_default()),
                    Err(error) => self.show_error(format!("could not grow the scene: {error}")),
                }
            }
        }
    }

    /// Whether a growth is being read (for tests and the status bar).
    pub fn is_growing_scene(&self) -> bool {
        self.explore
            .as_ref()
            .is_some_and(|session| session.growing.is_some())
    }

    /// The open graph's generation: 0 as opened, one more per growth.
    pub fn document_generation(&self) -> Option<u64> {
        self.document.as_ref().map(|document| document.generation)
    }

    fn apply_growth(
        &mut self,
        ctx: &egui::Context,
        grown: GrownDocument,
        rules_then: &VisibilityRules,
    ) {
        let Some(document) = &mut self.document else {
            return;
        };
        if !Arc::ptr_eq(&document.graph, &grown.base) {
            log::debug!("a growth of a graph no longer shown was dropped");
            return;
        }
        let before = grown.growth.first_new_node as usize;
        let graph = Arc::clone(&grown.graph);
        // The picture as it is now, and each newcomer where the copy
        // placed it (beside its anchor), else amid the picture.
        let mut points: Vec<[f32; 2]> =
            self.positions.points.iter().take(before).copied().collect();
        let centre = centre_of(&points);
        let placed: std::collections::HashMap<i64, [f32; 2]> = grown
            .placed
            .as_ref()
            .map(|view| {
                view.positions
                    .iter()
                    .map(|saved| (saved.entity_id, saved.world))
                    .collect()
            })
            .unwrap_or_default();
        points.resize(before, centre);
        for node in before..graph.node_count() {
            let id = graph.node_db_id(node as NodeIx);
            // Never two on one spot: the forces between them would be 0.
            let nudge = node as f32;
            let fallback = [centre[0] + nudge.cos(), centre[1] + nudge.sin()];
            points.push(placed.get(&id).copied().unwrap_or(fallback));
        }
        // The scene as the window shows it now: its evidence mode, theme
        // and node scale.
        self.generation += 1;
        document.scene = shown_as_before(
            &document.scene,
            grown.view.scene.clone(),
            grown.view.theme,
            self.saved.theme,
            self.generation,
        );
        document.graph = Arc::clone(&graph);
        document.generation += 1;
        let shown_before = std::mem::replace(&mut document.path, grown.path.clone());
        document.read_path = grown.reader.path().to_path_buf();
        document.report = grown.report;
        match DetailsWorker::start(Box::new(grown.reader), ctx.clone()) {
            Ok(worker) => document.details = Some(worker),
            Err(error) => {
                document.details = None;
                self.show_error(format!("could not start the details reader: {error}"));
            }
        }
        // The copy shown before is superseded, and nothing reads it now.
        if shown_before != grown.path {
            let _ = std::fs::remove_file(&shown_before);
        }
        // The layout carries on from the picture: what was drawn is held
        // where it is, and only the newcomers move.
        let held: Vec<NodeIx> = (0..before as NodeIx).collect();
        let settings = crate::jobs::layout_settings_for(&self.options.layout, graph.node_count());
        // A first scene (nothing was drawn) gets a fresh layout, as a file.
        let start = if before == 0 {
            LayoutStart {
                placement: crate::layout::Layout::start_positions(
                    graph.node_count(),
                    settings.seed,
                ),
                restored: None,
            }
        } else {
            LayoutStart {
                placement: points,
                restored: Some(held),
            }
        };
        self.carry_on_layout(ctx, start, &graph, settings.clone());
        if let Some(document) = &mut self.document {
            document.layout_settings = settings;
        }
        self.grown_visibility(ctx, grown.view, grown.claims, rules_then);
        // Measures are recomputed for the grown graph; the look the user
        // chose (colour or size by a measure) comes back when they are.
        let look = self.metrics.look;
        self.start_metrics(ctx);
        self.metrics.look = look;
        self.search.forget_document();
        self.canvas.quality =
            gpu::RenderQuality::for_window(self.renderer.software, graph.edge_count());
        // The details reader is new: ask again what the panel waits for.
        if matches!(self.details, super::super::Details::Loading(..)) {
            self.selection_changed();
        }
        let newcomers: Vec<NodeIx> = (before as NodeIx..graph.node_count() as NodeIx).collect();
        if before == 0 || !self.in_sight(&newcomers, self.canvas.last_viewport) {
            self.canvas.reset();
        }
        let select = self.explore.as_mut().and_then(|session| {
            session.newcomers = newcomers;
            session.select_after.take()
        });
        if let Some(node) = select.and_then(|source| graph.node_by_db_id(source)) {
            self.select(Some(Hit::Node(node)));
        }
        log::debug!(
            "the scene grew in place to {} entities and {} relations",
            graph.node_count(),
            graph.edge_count()
        );
    }
}

impl LinkscopeApp {
    /// The layout carries on from `start` on a changed graph (a growth, a
    /// capture), and the canvas shows where it starts.
    pub(in crate::app) fn carry_on_layout(
        &mut self,
        ctx: &egui::Context,
        start: LayoutStart,
        graph: &crate::model::Graph,
        settings: crate::layout::LayoutSettings,
    ) {
        match LayoutJob::start(start, graph.edge_pairs(), settings, false, ctx.clone()) {
            Ok(job) => {
                let status = job.status();
                self.positions = Positions {
                    points: status.positions,
                    generation: status.generation,
                };
                self.layout = Some(job);
            }
            Err(error) => self.show_error(format!("could not start the layout thread: {error}")),
        }
    }
}

/// `scene`, built for a changed graph in `built_theme`, drawn as `shown`
/// was: its evidence mode, the theme now in force and its node scale, at
/// `generation` (an explored scene's growth, a capture).
pub(in crate::app) fn shown_as_before(
    shown: &GraphScene,
    mut scene: GraphScene,
    built_theme: Theme,
    theme: Theme,
    generation: u64,
) -> GraphScene {
    if scene.evidence_mode != shown.evidence_mode {
        scene = scene.with_evidence_overlay(
            shown.evidence_mode == crate::scene::edge_style::EvidenceMode::Overlay,
            theme,
            scene.styles_generation,
        );
    }
    if built_theme != theme {
        scene = scene.recolored(theme, scene.styles_generation);
    }
    scene = scene.with_node_scale(shown.node_scale, generation);
    scene.styles_generation = generation;
    scene
}

/// The middle of the picture (the origin when nothing is drawn).
pub(in crate::app) fn centre_of(points: &[[f32; 2]]) -> [f32; 2] {
    if points.is_empty() {
        return [0.0, 0.0];
    }
    let sum = points.iter().fold([0.0_f64; 2], |sum, point| {
        [sum[0] + f64::from(point[0]), sum[1] + f64::from(point[1])]
    });
    let count = points.len() as f64;
    [(sum[0] / count) as f32, (sum[1] / count) as f32]
}
