//! Exploring a graph that is never loaded whole: search seeds the scene,
//! expansion adds an entity's neighbours a page at a time. The window asks
//! these questions of any source (a SQLite file, a PostgreSQL server)
//! through [`Explorer`], on a background thread; every source answers them
//! the same way, so a file and the same graph pushed to a server give the
//! same pages.

pub mod trace;

use std::collections::BTreeMap;
use std::path::Path;

use super::source::{EntityId, SourceError};

/// An entity as exploration shows it before its details are asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRecord {
    pub id: EntityId,
    pub kind: String,
    pub name: String,
}

/// A relation between two entities of the scene.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationRecord {
    pub id: i64,
    pub subject: EntityId,
    pub object: EntityId,
    pub kind: String,
    pub label: Option<String>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
}

/// Where the next page of an entity's neighbours starts: the oldest
/// relation to the last neighbour given. Pages go by this key, never by
/// an offset, so a page costs the same however deep it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageKey(pub i64);

/// One page of an entity's neighbours: those whose oldest relation to it
/// comes first, each with every relation between the two.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NeighbourPage {
    pub entities: Vec<EntityRecord>,
    pub relations: Vec<RelationRecord>,
    /// Neighbours after this page (the "+N" badge).
    pub remaining: u64,
    /// The key of the next page, when there is one.
    pub next: Option<PageKey>,
}

/// An excerpt whose words include every word searched for, with the
/// relations that cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcerptHit {
    pub excerpt: i64,
    /// The start of its text, at most [`EXCERPT_PREVIEW_CHARS`] characters.
    pub preview: String,
    pub relations: Vec<RelationRecord>,
}

/// How much of a found excerpt's text is shown.
pub const EXCERPT_PREVIEW_CHARS: usize = 240;

/// The words of `text` as a full-text search with PostgreSQL's `simple`
/// configuration sees them: runs of letters and digits, lower-cased.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The first [`EXCERPT_PREVIEW_CHARS`] characters of `text`, marked when cut.
pub fn preview(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_PREVIEW_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Found excerpts with the relations citing each, in relation id order.
pub fn excerpt_hits(
    found: Vec<(i64, String)>,
    citations: &[(i64, i64)],
    relations: &[RelationRecord],
) -> Vec<ExcerptHit> {
    found
        .into_iter()
        .map(|(excerpt, preview)| {
            let mut cited: Vec<RelationRecord> = citations
                .iter()
                .filter(|&&(of, _)| of == excerpt)
                .filter_map(|&(_, relation)| relations.iter().find(|r| r.id == relation).cloned())
                .collect();
            cited.sort_by_key(|relation| relation.id);
            cited.dedup_by_key(|relation| relation.id);
            ExcerptHit {
                excerpt,
                preview,
                relations: cited,
            }
        })
        .collect()
}

/// A part of the source written out as a graph file of its own: the
/// working copy the window shows while exploring.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SceneCopy {
    /// The copy's entity id for each source id.
    pub entity_ids: BTreeMap<EntityId, i64>,
    /// The copy's relation id for each source id.
    pub relation_ids: BTreeMap<i64, i64>,
    pub relations: u64,
    pub excerpts: u64,
}

/// A relation met by a search that spreads from a set of entities: from
/// one of them to the entity at its other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touch {
    pub from: EntityId,
    pub to: EntityId,
    pub relation: i64,
}

/// Where one entity of a saved view was drawn, and whether it was pinned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScenePosition {
    pub id: EntityId,
    pub world: [f32; 2],
    pub pinned: bool,
}

/// A view of an explored scene kept by the source (a server keeps one per
/// user, schema and name): the scene's entities, where each was drawn,
/// and the rest of the view (camera, hidden items, focus, filters, look)
/// as the JSON a graph file keeps, keyed by the source's ids.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedView {
    pub name: String,
    /// The scene's entities, by source id.
    pub scene: Vec<EntityId>,
    pub positions: Vec<ScenePosition>,
    /// `ViewState` JSON (positions aside).
    pub view: String,
}

/// A saved view as a list of them names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedViewInfo {
    pub name: String,
    /// When it was saved, as the server's clock and time zone have it
    /// (`YYYY-MM-DD HH:MM`).
    pub saved_at: String,
    /// How many entities its scene holds.
    pub entities: u64,
}

/// Stops the query a source is running, from another thread (the window's
/// Cancel); the query then fails, and the source stays usable.
pub type Interrupt = Box<dyn Fn() + Send + Sync>;

impl NeighbourPage {
    /// A page from the neighbours it shows, each with the oldest relation
    /// to it, in that order; `total` neighbours were after the last key.
    pub fn from_rows(
        page: &[(EntityId, i64)],
        total: i64,
        entities: Vec<EntityRecord>,
        relations: Vec<RelationRecord>,
    ) -> Self {
        let remaining = u64::try_from(total)
            .unwrap_or(0)
            .saturating_sub(page.len() as u64);
        Self {
            entities,
            relations,
            remaining,
            next: (remaining > 0)
                .then(|| page.last().map(|&(_, first)| PageKey(first)))
                .flatten(),
        }
    }
}

/// How many name matches a search returns at most, by default.
pub const SEARCH_LIMIT: usize = 20;
/// How many neighbours an expansion adds at a time, by default.
pub const EXPANSION_CAP: u32 = 50;

/// The questions exploration asks of a source. `Send`, so that it can live
/// on the thread that answers them; `&mut self`, so that an implementation
/// may keep a connection.
pub trait Explorer: Send {
    /// The entities whose names contain `text` (ignoring case): exact
    /// matches first, then names that start with it, then the rest,
    /// shorter names first, then by id. A source may add near misses
    /// (a server's trigram similarity) after those.
    fn search_names(&mut self, text: &str, limit: usize) -> Result<Vec<EntityRecord>, SourceError>;

    /// The excerpts containing every word of `text` (see [`words`]), in id
    /// order, at most `limit`, each with the relations citing it. A server
    /// answers from its full-text index.
    fn search_excerpts(&mut self, text: &str, limit: usize)
    -> Result<Vec<ExcerptHit>, SourceError>;

    /// The entities with these ids, in id order (unknown ids are left out).
    fn entities(&mut self, ids: &[EntityId]) -> Result<Vec<EntityRecord>, SourceError>;

    /// Up to `cap` neighbours of `entity` after `after` (from the start
    /// when None), ordered by their oldest relation to it.
    fn neighbours(
        &mut self,
        entity: EntityId,
        cap: u32,
        after: Option<PageKey>,
    ) -> Result<NeighbourPage, SourceError>;

    /// Every relation whose two ends are both among `entities` ("Reveal
    /// relations"), in id order.
    fn relations_among(
        &mut self,
        entities: &[EntityId],
    ) -> Result<Vec<RelationRecord>, SourceError>;

    /// Writes the entities `ids`, every relation among them and the
    /// evidence those cite into the new graph file `out`, with `positions`
    /// (by source id) as its saved view. The window opens that copy: the
    /// evidence panel, details, trace and exports then work on it as on
    /// any file.
    fn copy_scene(
        &mut self,
        ids: &[EntityId],
        positions: &[(EntityId, [f32; 2])],
        out: &Path,
    ) -> Result<SceneCopy, SourceError>;

    /// Every relation with one end among `frontier` and the other end
    /// elsewhere (either way; self-loops left out), in one query: at most
    /// `limit`, and whether there were more.
    fn relations_touching(
        &mut self,
        frontier: &[EntityId],
        limit: usize,
    ) -> Result<(Vec<Touch>, bool), SourceError>;

    /// What stops the query running now, callable from any thread.
    fn interrupter(&self) -> Interrupt;

    /// Keeps `view` on the source under its name, for this user, replacing
    /// one of the same name; never writes the graph's own data. A source
    /// that keeps no views says so.
    fn save_view(&mut self, view: &SavedView) -> Result<SavedViewInfo, SourceError> {
        let _ = view;
        Err(SourceError::Unsupported(
            "this source keeps no saved views; use Save As to keep the scene as a file".to_owned(),
        ))
    }

    /// This user's views saved on the source for this graph, newest first
    /// (none where the source keeps none, or the user may not read them).
    fn saved_views(&mut self) -> Result<Vec<SavedViewInfo>, SourceError> {
        Ok(Vec::new())
    }

    /// The view this user saved as `name`.
    fn load_view(&mut self, name: &str) -> Result<SavedView, SourceError> {
        Err(SourceError::Unsupported(format!(
            "this source keeps no saved views (none named {name:?})"
        )))
    }

    /// Something the window should say about the last answer (a server
    /// query asked again after a hot standby cancelled it), once.
    fn take_note(&mut self) -> Option<String> {
        None
    }

    /// Something that went wrong beside opening the source, which still
    /// opened (a password that could not be stored in the keyring), once.
    fn take_warning(&mut self) -> Option<String> {
        None
    }
}

/// `text` for a LIKE pattern: `\`, `%` and `_` escaped with `\`.
pub fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
