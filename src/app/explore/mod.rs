//! Exploring a graph that is never loaded whole (a PostgreSQL schema, or a
//! graph file too big to load): search seeds the scene, expansion adds an
//! entity's neighbours a page at a time. Each change of the scene is
//! written by the source into a small working copy (the entities shown,
//! every relation among them, the evidence those cite, and where each
//! entity is drawn); the open graph then grows in place by what is new
//! (`growth`), so details, evidence, trace, filters, measures and exports
//! work on the scene unchanged, entities already shown keep their index
//! and their place, and new ones start beside the entity they were
//! expanded from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod big_file;
mod carry;
mod connect;
pub(super) mod growth;
mod panel;
mod saved;

pub(super) use big_file::{BigFileOffer, DEFAULT_EXPLORE_ABOVE_MB};

use super::LinkscopeApp;
use crate::jobs::explore::{ExploreAnswer, ExploreQuery, ExploreWorker, OpenExplorer};
use crate::jobs::{LayoutCommand, Placement};
use crate::model::explore::{EXPANSION_CAP, EntityRecord, ExcerptHit, PageKey, SavedViewInfo};
use crate::model::source::{EntityId, SourceError};
use crate::view::hit::Hit;

/// At most this many entities are shown; an expansion past it is cut.
pub const SCENE_CAP: usize = 10_000;

/// What to explore.
#[derive(Clone, Debug)]
pub enum ExploreSpec {
    /// A schema on a PostgreSQL server.
    Postgres(Box<crate::postgres::PgTarget>),
    /// A graph file, by expansion instead of loaded whole.
    File(PathBuf),
}

impl ExploreSpec {
    /// The source as the window names it (never with a password).
    pub fn shown(&self) -> String {
        match self {
            Self::Postgres(target) => target.to_string(),
            Self::File(path) => path.display().to_string(),
        }
    }

    fn opener(&self) -> OpenExplorer {
        match self.clone() {
            Self::Postgres(target) => std::sync::Arc::new(move || {
                crate::postgres::PgExplorer::connect(&target)
                    .map(|explorer| Box::new(explorer) as Box<dyn crate::model::explore::Explorer>)
                    .map_err(|error| SourceError::Backend(error.to_string()))
            }),
            Self::File(path) => std::sync::Arc::new(move || {
                crate::store::SqliteExplorer::open(&path)
                    .map(|explorer| Box::new(explorer) as Box<dyn crate::model::explore::Explorer>)
                    .map_err(|error| SourceError::Backend(error.to_string()))
            }),
        }
    }
}

/// How far an expanded entity's neighbours have been paged.
#[derive(Clone, Copy, Debug, Default)]
struct Paging {
    /// Neighbours added by its expansions.
    loaded: u64,
    /// Neighbours on the source after the last page (its "+N").
    remaining: u64,
    next: Option<PageKey>,
}

/// Where the exploration stands with its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExploreStatus {
    Connecting,
    Ready,
    /// The connection was lost; the next question tries again, and the
    /// scene shown stays usable meanwhile.
    Offline,
    /// The source could not be opened.
    Failed(String),
}

/// The folder of working copies, removed with the session.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One exploration: its source, the scene's entities by source id, and
/// the working copy the window shows.
pub(super) struct ExploreSession {
    shown: String,
    worker: Option<ExploreWorker>,
    status: ExploreStatus,
    scratch: Option<Scratch>,
    copies_written: u64,
    query: String,
    search_serial: Option<u64>,
    results: Vec<EntityRecord>,
    /// Search excerpts instead of names.
    in_excerpts: bool,
    excerpt_hits: Vec<ExcerptHit>,
    /// The records of the found excerpts' relations' ends.
    excerpt_ends: BTreeMap<EntityId, EntityRecord>,
    /// The scene: every entity shown, by source id.
    scene: BTreeMap<EntityId, EntityRecord>,
    /// How far each expanded entity's neighbours have been paged.
    pages: BTreeMap<EntityId, Paging>,
    /// The entity each new entity came in from, to start it beside.
    anchors: BTreeMap<EntityId, EntityId>,
    /// Questions asked and not yet answered.
    awaiting: BTreeSet<u64>,
    /// Expansions among them.
    expanding: BTreeSet<u64>,
    /// The user asked to stop the running query.
    cancelling: bool,
    /// The copy asked for last; older ones are not opened.
    copy_serial: Option<u64>,
    /// The copy the window shows (or is opening), and its ids' sources.
    copy_path: Option<PathBuf>,
    source_of_copy_id: BTreeMap<i64, EntityId>,
    /// The same, the other way (the "+N" badges are drawn every frame).
    copy_of_source: BTreeMap<EntityId, i64>,
    /// Selected once the copy that shows it opens.
    select_after: Option<EntityId>,
    /// The entities drawn when the last copy was asked for: they stay put
    /// in it, and the layout places the rest.
    drawn_before_copy: BTreeSet<EntityId>,
    /// The entities the last growth brought in: once the layout settles
    /// them, the camera makes sure they are in sight.
    newcomers: Vec<crate::model::NodeIx>,
    /// Entities an expansion could not add past [`SCENE_CAP`].
    cut_by_scene_cap: u64,
    cap: u32,
    /// The source keeps saved views (a server): File ▸ Save saves there.
    on_server: bool,
    /// The user's views saved on the source, newest first.
    saved_views: Vec<SavedViewInfo>,
    /// The save of the view running on the source.
    view_save_serial: Option<u64>,
    /// A saved view being opened: put back once its copy is installed.
    restoring: Option<saved::Restoring>,
    /// The working copy being read to grow the scene in place.
    growing: Option<growth::Growing>,
}

impl ExploreSession {
    fn start(spec: &ExploreSpec, ctx: &egui::Context) -> Result<Self, String> {
        let folder = std::env::temp_dir().join(format!(
            "linkscope-explore-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |since| since.as_nanos())
        ));
        std::fs::create_dir_all(&folder).map_err(|error| {
            format!(
                "could not make a folder for the working copy ({}): {error}",
                folder.display()
            )
        })?;
        let scratch = Scratch(folder);
        let worker = ExploreWorker::start(spec.opener(), ctx.clone())
            .map_err(|error| format!("could not start the exploration thread: {error}"))?;
        Ok(Self {
            shown: spec.shown(),
            worker: Some(worker),
            status: ExploreStatus::Connecting,
            scratch: Some(scratch),
            copies_written: 0,
            query: String::new(),
            search_serial: None,
            results: Vec::new(),
            in_excerpts: false,
            excerpt_hits: Vec::new(),
            excerpt_ends: BTreeMap::new(),
            scene: BTreeMap::new(),
            pages: BTreeMap::new(),
            anchors: BTreeMap::new(),
            awaiting: BTreeSet::new(),
            expanding: BTreeSet::new(),
            cancelling: false,
            copy_serial: None,
            copy_path: None,
            source_of_copy_id: BTreeMap::new(),
            copy_of_source: BTreeMap::new(),
            select_after: None,
            drawn_before_copy: BTreeSet::new(),
            newcomers: Vec::new(),
            cut_by_scene_cap: 0,
            cap: EXPANSION_CAP,
            on_server: matches!(spec, ExploreSpec::Postgres(_)),
            saved_views: Vec::new(),
            view_save_serial: None,
            restoring: None,
            growing: None,
        })
    }

    /// Whether `path` is this session's working copy.
    pub(super) fn is_copy(&self, path: &Path) -> bool {
        self.scratch
            .as_ref()
            .is_some_and(|scratch| path.starts_with(&scratch.0))
    }

    pub(super) fn shown(&self) -> &str {
        &self.shown
    }

    fn ask(&mut self, query: ExploreQuery) -> Option<u64> {
        let serial = self.worker.as_mut()?.ask(query)?;
        self.awaiting.insert(serial);
        Some(serial)
    }

    /// Whether a question is being answered (Cancel is offered).
    fn busy(&self) -> bool {
        !self.awaiting.is_empty()
    }
}

impl LinkscopeApp {
    /// Starts exploring `spec`: the window shows an empty scene, and the
    /// Explore tab to search it.
    pub(super) fn start_explore(&mut self, ctx: &egui::Context, spec: &ExploreSpec) {
        match ExploreSession::start(spec, ctx) {
            Ok(session) => self.explore = Some(session),
            Err(error) => self.show_error(error),
        }
    }

    /// The exploration's status, for tests and the status bar.
    pub fn explore_status(&self) -> Option<ExploreStatus> {
        self.explore.as_ref().map(|session| session.status.clone())
    }

    /// The source ids of the entities shown while exploring, for tests.
    pub fn explore_scene(&self) -> Vec<EntityId> {
        self.explore
            .as_ref()
            .map(|session| session.scene.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Takes the exploration thread's answers.
    pub(super) fn poll_explore(&mut self, ctx: &egui::Context) {
        let Some(session) = &mut self.explore else {
            return;
        };
        let replies = session
            .worker
            .as_ref()
            .map(ExploreWorker::answers)
            .unwrap_or_default();
        for (serial, reply) in replies {
            if let Some(session) = &mut self.explore {
                session.awaiting.remove(&serial);
                session.expanding.remove(&serial);
                if reply.is_ok() && serial != 0 {
                    session.status = ExploreStatus::Ready;
                }
            }
            match reply {
                Ok(ExploreAnswer::Ready) => {
                    if let Some(session) = &mut self.explore {
                        session.status = ExploreStatus::Ready;
                        if session.on_server {
                            session.ask(ExploreQuery::SavedViews);
                        }
                    }
                    // An empty scene to start from: the window has a document.
                    self.ask_for_copy();
                }
                Ok(ExploreAnswer::Found { entities, .. }) => {
                    if let Some(session) = &mut self.explore
                        && session.search_serial == Some(serial)
                    {
                        session.results = entities;
                    }
                }
                Ok(ExploreAnswer::FoundExcerpts { hits, ends }) => {
                    if let Some(session) = &mut self.explore
                        && session.search_serial == Some(serial)
                    {
                        session.excerpt_hits = hits;
                        session.excerpt_ends =
                            ends.into_iter().map(|record| (record.id, record)).collect();
                    }
                }
                Ok(ExploreAnswer::Added { records }) => {
                    if let Some(session) = &mut self.explore {
                        for record in records {
                            if session.scene.len() >= SCENE_CAP {
                                session.cut_by_scene_cap += 1;
                                continue;
                            }
                            session.scene.entry(record.id).or_insert(record);
                        }
                    }
                    self.ask_for_copy();
                }
                Ok(ExploreAnswer::Expanded {
                    entity,
                    record,
                    page,
                }) => {
                    if let Some(session) = &mut self.explore {
                        add_page(session, entity, record, page);
                    }
                    self.ask_for_copy();
                }
                Ok(ExploreAnswer::Copied { out, copy }) => {
                    let Some(session) = &mut self.explore else {
                        continue;
                    };
                    if session.copy_serial != Some(serial) {
                        let _ = std::fs::remove_file(&out);
                        continue; // a newer copy is on its way
                    }
                    let grow = self.can_grow_in_place(&out, &copy);
                    let Some(session) = &mut self.explore else {
                        continue;
                    };
                    session.source_of_copy_id = copy
                        .entity_ids
                        .iter()
                        .map(|(&source, &copied)| (copied, source))
                        .collect();
                    session.copy_of_source = copy.entity_ids;
                    session.copy_path = Some(out.clone());
                    if grow {
                        self.start_growth(ctx, &out);
                    } else {
                        self.start_loading(ctx, &out, false);
                    }
                }
                Ok(ExploreAnswer::Traced {
                    from,
                    to,
                    found,
                    records,
                }) => self.explore_traced(from, to, &found, records),
                Ok(ExploreAnswer::Note(note)) => self.show_success(None, note),
                Ok(ExploreAnswer::Warning(warning)) => self.show_warning(warning),
                Ok(ExploreAnswer::ViewSaved(info)) => self.explore_view_saved(info),
                Ok(ExploreAnswer::SavedViewsListed(views)) => {
                    if let Some(session) = &mut self.explore {
                        session.saved_views = views;
                    }
                }
                Ok(ExploreAnswer::ViewLoaded { view, records }) => {
                    self.explore_view_loaded(&view, records);
                }
                Err(error)
                    if self
                        .explore
                        .as_ref()
                        .is_some_and(|session| session.view_save_serial == Some(serial)) =>
                {
                    self.explore_view_not_saved(&error);
                }
                Err(error) => self.explore_failed(serial, &error),
            }
        }
        self.poll_growth(ctx);
        if let Some(session) = &mut self.explore
            && !session.busy()
        {
            session.cancelling = false;
        }
    }

    /// Asks the source for a working copy of the scene as it is now, each
    /// entity where it is drawn (new ones beside their anchor).
    fn ask_for_copy(&mut self) {
        let positions = self.scene_positions();
        let drawn = self.drawn_sources();
        let Some(session) = &mut self.explore else {
            return;
        };
        let Some(scratch) = &session.scratch else {
            return;
        };
        session.copies_written += 1;
        let out = scratch
            .0
            .join(format!("scene-{}.sqlite", session.copies_written));
        let ids = session.scene.keys().copied().collect();
        session.drawn_before_copy = drawn;
        session.copy_serial = session.ask(ExploreQuery::Copy {
            ids,
            positions,
            out,
        });
    }

    /// The source ids of the entities drawn now.
    fn drawn_sources(&self) -> BTreeSet<EntityId> {
        let (Some(session), Some(document)) = (&self.explore, &self.document) else {
            return BTreeSet::new();
        };
        let graph = &document.graph;
        (0..graph.node_count() as u32)
            .filter_map(|node| {
                session
                    .source_of_copy_id
                    .get(&graph.node_db_id(node))
                    .copied()
            })
            .collect()
    }

    /// Where each entity of the scene starts in the next copy: where it is
    /// drawn now, or beside the entity it came in from. Empty while nothing
    /// is drawn (the copy then gets a fresh layout).
    fn scene_positions(&self) -> Vec<(EntityId, [f32; 2])> {
        let (Some(session), Some(document)) = (&self.explore, &self.document) else {
            return Vec::new();
        };
        let graph = &document.graph;
        let points = &self.positions.points;
        let mut placed: BTreeMap<EntityId, [f32; 2]> = BTreeMap::new();
        for node in 0..graph.node_count() as u32 {
            let Some(&source) = session.source_of_copy_id.get(&graph.node_db_id(node)) else {
                continue;
            };
            if let Some(&point) = points.get(node as usize) {
                placed.insert(source, point);
            }
        }
        if placed.is_empty() {
            return Vec::new();
        }
        let (low, high) =
            placed
                .values()
                .fold(([f32::MAX; 2], [f32::MIN; 2]), |(low, high), point| {
                    (
                        [low[0].min(point[0]), low[1].min(point[1])],
                        [high[0].max(point[0]), high[1].max(point[1])],
                    )
                });
        let extent = (high[0] - low[0]).max(high[1] - low[1]).max(1.0);
        // About one typical gap between neighbours of the picture.
        let spacing = (extent / (placed.len() as f32).sqrt()).max(10.0);
        let mut newcomers: BTreeMap<Option<EntityId>, Vec<EntityId>> = BTreeMap::new();
        for &id in session.scene.keys() {
            if !placed.contains_key(&id) {
                let anchor = session
                    .anchors
                    .get(&id)
                    .copied()
                    .filter(|anchor| placed.contains_key(anchor));
                newcomers.entry(anchor).or_default().push(id);
            }
        }
        for (anchor, ids) in newcomers {
            // Around the anchor; entities with none start right of the picture.
            let centre = anchor
                .and_then(|anchor| placed.get(&anchor).copied())
                .unwrap_or([high[0] + 2.0 * spacing, f32::midpoint(low[1], high[1])]);
            let count = ids.len() as f32;
            let radius = spacing * (0.6 + 0.15 * count.sqrt());
            for (index, id) in ids.into_iter().enumerate() {
                let angle = std::f32::consts::TAU * index as f32 / count;
                placed.insert(
                    id,
                    [
                        centre[0] + radius * angle.cos(),
                        centre[1] + radius * angle.sin(),
                    ],
                );
            }
        }
        placed.into_iter().collect()
    }

    /// After a working copy opens: the layout goes on from the positions it
    /// was written with, and the entity the user expanded stays selected.
    pub(super) fn explore_copy_installed(&mut self, ctx: &egui::Context) {
        if self.restore_saved_view(ctx) {
            return;
        }
        let Some(session) = &mut self.explore else {
            return;
        };
        let select = session.select_after.take();
        let node = select.and_then(|source| {
            let copied = *session.copy_of_source.get(&source)?;
            self.document.as_ref()?.graph.node_by_db_id(copied)
        });
        // What was drawn before stays where it was; the layout places only
        // the newcomers around it (a double click gives a node back).
        let drawn = std::mem::take(&mut session.drawn_before_copy);
        if let (Some(layout), Some(document)) = (&self.layout, &self.document) {
            let graph = &document.graph;
            let placements: Vec<Placement> = (0..graph.node_count() as u32)
                .filter(|&node| {
                    session
                        .source_of_copy_id
                        .get(&graph.node_db_id(node))
                        .is_some_and(|source| drawn.contains(source))
                })
                .filter_map(|node| {
                    let world = *self.positions.points.get(node as usize)?;
                    Some(Placement {
                        node,
                        world,
                        pinned: true,
                    })
                })
                .collect();
            if !placements.is_empty() {
                layout.send(LayoutCommand::Place(placements));
            }
            layout.send(LayoutCommand::Resume);
        }
        if let Some(node) = node {
            self.select(Some(Hit::Node(node)));
        }
    }

    /// The source id of a node of the working copy.
    fn explore_source_id(&self, node: crate::model::NodeIx) -> Option<EntityId> {
        let graph = &self.document.as_ref()?.graph;
        let copied = graph.node_db_id(node);
        self.explore
            .as_ref()?
            .source_of_copy_id
            .get(&copied)
            .copied()
    }
}

/// Adds an expansion's page to the scene, up to [`SCENE_CAP`].
fn add_page(
    session: &mut ExploreSession,
    entity: EntityId,
    record: Option<EntityRecord>,
    page: crate::model::explore::NeighbourPage,
) {
    if let Some(record) = record {
        session.scene.entry(entity).or_insert(record);
    }
    let mut added = 0_u64;
    let mut cut = 0_u64;
    for neighbour in page.entities {
        if session.scene.contains_key(&neighbour.id) {
            continue;
        }
        if session.scene.len() >= SCENE_CAP {
            cut += 1;
            continue;
        }
        session.anchors.insert(neighbour.id, entity);
        session.scene.insert(neighbour.id, neighbour);
        added += 1;
    }
    session.cut_by_scene_cap += cut;
    let paging = session.pages.entry(entity).or_default();
    paging.remaining = page.remaining;
    paging.next = page.next;
    paging.loaded += added;
    log::debug!(
        "expanded {entity}: {added} added, {} more on the source",
        page.remaining
    );
}
