//! The graph for other tools: GEXF 1.3 (or 1.2draft) for Gephi and
//! networkx, GraphML (with yEd's graphics, by choice) and CSV in Gephi's
//! columns. Rows come from the file ([`GraphRows`]: every column, no
//! oversized value), the look from the view (positions, colours, sizes),
//! and what is shown from the view's filters when asked. No egui.

mod csv_tables;
mod gexf;
mod graphml;
mod xml;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::model::{FastMap, FastSet};
use crate::store::StoreError;
use crate::store::graph_rows::{CitedExcerpt, EntityRow, GraphRows, RelationRow};

/// The formats a graph goes out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Gexf,
    GraphMl,
    Csv,
}

impl GraphFormat {
    pub fn from_flag(flag: &str) -> Option<Self> {
        match flag.to_ascii_lowercase().as_str() {
            "gexf" => Some(Self::Gexf),
            "graphml" => Some(Self::GraphMl),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Gexf => "GEXF",
            Self::GraphMl => "GraphML",
            Self::Csv => "CSV",
        }
    }
}

/// How evidence goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EvidenceAs {
    /// On each relation: its excerpt ids, document titles and quotes.
    #[default]
    Attributes,
    /// As nodes of their own: documents and excerpts, linked to what they
    /// support.
    Nodes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GraphExportOptions {
    /// GEXF: the 1.2draft namespace, for older readers.
    pub gexf_draft: bool,
    /// GraphML: yEd's graphics block, so labels and positions show in yEd.
    pub yed: bool,
    pub evidence: EvidenceAs,
}

/// What the view adds to the rows: where each entity is, its colour and
/// size, and (when only what is shown goes out) which items are shown.
#[derive(Debug, Clone, Default)]
pub struct ViewLook {
    pub positions: FastMap<i64, [f32; 2]>,
    pub colours: FastMap<i64, [u8; 3]>,
    pub sizes: FastMap<i64, f32>,
    pub shown_entities: Option<FastSet<i64>>,
    pub shown_relations: Option<FastSet<i64>>,
}

impl ViewLook {
    fn shows_entity(&self, id: i64) -> bool {
        self.shown_entities
            .as_ref()
            .is_none_or(|shown| shown.contains(&id))
    }

    fn shows_relation(&self, relation: &RelationRow) -> bool {
        self.shown_relations
            .as_ref()
            .is_none_or(|shown| shown.contains(&relation.id))
            && self.shows_entity(relation.subject)
            && self.shows_entity(relation.object)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GraphExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not read the view of {}: {detail}", path.display())]
    Look { path: PathBuf, detail: String },
    #[error("could not write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphExportSummary {
    pub files: Vec<PathBuf>,
    pub entities: usize,
    pub relations: usize,
    /// Said to the user: e.g. a mixed directed and undirected graph.
    pub warnings: Vec<String>,
}

/// The rows an export writes, read once: entities and relations are kept
/// (the formats declare every attribute before the first node), excerpts
/// grouped by relation.
pub(crate) struct Rows {
    pub entities: Vec<EntityRow>,
    pub relations: Vec<RelationRow>,
    pub citations: FastMap<i64, Vec<CitedExcerpt>>,
    /// Relations drawn without direction (`"directed": false`).
    pub undirected: usize,
}

impl Rows {
    fn read(file: &Path, cancel: &Arc<AtomicBool>) -> Result<Self, StoreError> {
        let rows = GraphRows::open(file, Arc::clone(cancel))?;
        let (entities, relations) = Self::read_graph(&rows)?;
        let citations = Self::read_citations(&rows)?;
        let mut rows = Self {
            entities,
            relations,
            citations,
            undirected: 0,
        };
        rows.count_undirected();
        Ok(rows)
    }

    /// Every relation's cited excerpts, by relation id.
    fn read_citations(rows: &GraphRows) -> Result<FastMap<i64, Vec<CitedExcerpt>>, StoreError> {
        let mut citations: FastMap<i64, Vec<CitedExcerpt>> = FastMap::default();
        rows.for_each_citation(|cited| {
            citations.entry(cited.relation).or_default().push(cited);
            Ok(())
        })?;
        Ok(citations)
    }

    /// The entities, and the relations between them.
    fn read_graph(rows: &GraphRows) -> Result<(Vec<EntityRow>, Vec<RelationRow>), StoreError> {
        let mut entities = Vec::new();
        rows.for_each_entity(|entity| {
            entities.push(entity);
            Ok(())
        })?;
        let known: FastSet<i64> = entities.iter().map(|entity| entity.id).collect();
        let mut relations = Vec::new();
        rows.for_each_relation(|relation| {
            if known.contains(&relation.subject) && known.contains(&relation.object) {
                relations.push(relation);
            }
            Ok(())
        })?;
        Ok((entities, relations))
    }

    /// Keeps what the view shows (everything, unless the look says).
    fn retain_shown(&mut self, look: &ViewLook) {
        if look.shown_entities.is_some() || look.shown_relations.is_some() {
            self.entities.retain(|entity| look.shows_entity(entity.id));
            self.relations
                .retain(|relation| look.shows_relation(relation));
        }
        let kept: FastSet<i64> = self.relations.iter().map(|relation| relation.id).collect();
        self.citations.retain(|relation, _| kept.contains(relation));
        self.count_undirected();
    }

    fn count_undirected(&mut self) {
        self.undirected = self
            .relations
            .iter()
            .filter(|relation| is_undirected(relation))
            .count();
    }
}

/// Writes `items`, each formatted by `format`, in their order: formatted
/// in pieces on every core, a window at a time so memory stays small.
pub(crate) fn write_in_parallel<T: Sync>(
    out: &mut dyn Write,
    items: &[T],
    format: impl Fn(&mut dyn Write, &T) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    write_pieces_in_parallel(out, items, |bytes, piece| {
        for item in piece {
            format(bytes, item)?;
        }
        Ok(())
    })
}

/// [`write_in_parallel`] for a format that writes a whole piece of items
/// at once (a CSV writer per piece, not per row).
pub(crate) fn write_pieces_in_parallel<T: Sync>(
    out: &mut dyn Write,
    items: &[T],
    format: impl Fn(&mut Vec<u8>, &[T]) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const PIECE: usize = 2048;
    const WINDOW: usize = 64 * PIECE;
    for window in items.chunks(WINDOW) {
        let pieces: Vec<std::io::Result<Vec<u8>>> = window
            .par_chunks(PIECE)
            .map(|piece| {
                let mut bytes = Vec::with_capacity(piece.len() * 256);
                format(&mut bytes, piece)?;
                Ok(bytes)
            })
            .collect();
        for piece in pieces {
            out.write_all(&piece?)?;
        }
    }
    Ok(())
}

/// A relation marked as drawn without direction by the importer that wrote it.
pub(crate) fn is_undirected(relation: &RelationRow) -> bool {
    relation.properties.get("directed") == Some(&serde_json::Value::Bool(false))
}

/// Writes the graph of `file` to `out` as `format`, with `look` from the
/// view. CSV writes two files beside `out`: `NAME.nodes.csv` and
/// `NAME.edges.csv`.
pub fn export_graph(
    file: &Path,
    out: &Path,
    format: GraphFormat,
    options: GraphExportOptions,
    look: &ViewLook,
    cancel: &Arc<AtomicBool>,
) -> Result<GraphExportSummary, GraphExportError> {
    let mut rows = Rows::read(file, cancel)?;
    rows.retain_shown(look);
    write_rows(&rows, out, format, options, look)
}

/// [`export_graph`] with the look worked out by `look` while the rows are
/// read (the command line's look loads the whole graph: on another core,
/// it costs no time).
pub fn export_graph_reading_look(
    file: &Path,
    out: &Path,
    format: GraphFormat,
    options: GraphExportOptions,
    look: impl FnOnce() -> Result<ViewLook, GraphExportError> + Send,
    cancel: &Arc<AtomicBool>,
) -> Result<GraphExportSummary, GraphExportError> {
    let (rows, look) = std::thread::scope(|scope| {
        let look = scope.spawn(look);
        let rows = Rows::read(file, cancel);
        let look = look.join().unwrap_or_else(|_| {
            Err(GraphExportError::Look {
                path: file.to_path_buf(),
                detail: "working out the view's look failed".to_owned(),
            })
        });
        (rows, look)
    });
    let (mut rows, look) = (rows?, look?);
    rows.retain_shown(&look);
    let summary = write_rows(&rows, out, format, options, &look);
    // A million rows' strings take a good part of a second to free, and
    // the command line that called this exits next: freed on a thread of
    // their own (or here, where no thread can start).
    let free = move || drop((rows, look));
    let _ = std::thread::Builder::new()
        .name("linkscope-free".to_owned())
        .spawn(free);
    summary
}

/// [`export_graph`] for the command line without `--shown`: the view's
/// look is worked out by `look` from the rows as they are read (no second
/// load of the file), while the citations are read on a second thread and
/// connection.
pub fn export_graph_look_from_rows(
    file: &Path,
    out: &Path,
    format: GraphFormat,
    options: GraphExportOptions,
    look: impl FnOnce(&GraphRows, &[EntityRow], &[RelationRow]) -> ViewLook,
    cancel: &Arc<AtomicBool>,
) -> Result<GraphExportSummary, GraphExportError> {
    let reader = GraphRows::open(file, Arc::clone(cancel))?;
    let citation_reader = GraphRows::open(file, Arc::clone(cancel))?;
    let (graph, citations) = std::thread::scope(|scope| {
        let citations = scope.spawn(move || Rows::read_citations(&citation_reader));
        let graph = Rows::read_graph(&reader).map(|(entities, relations)| {
            let look = look(&reader, &entities, &relations);
            (entities, relations, look)
        });
        let citations = citations.join().unwrap_or_else(|_| {
            Err(StoreError::Damaged {
                path: file.to_path_buf(),
                detail: "reading the citations failed".to_owned(),
            })
        });
        (graph, citations)
    });
    let (entities, relations, look) = graph?;
    let mut rows = Rows {
        entities,
        relations,
        citations: citations?,
        undirected: 0,
    };
    rows.count_undirected();
    let summary = write_rows(&rows, out, format, options, &look);
    // Freed as in `export_graph_reading_look`.
    let free = move || drop((rows, look));
    let _ = std::thread::Builder::new()
        .name("linkscope-free".to_owned())
        .spawn(free);
    summary
}

fn write_rows(
    rows: &Rows,
    out: &Path,
    format: GraphFormat,
    options: GraphExportOptions,
    look: &ViewLook,
) -> Result<GraphExportSummary, GraphExportError> {
    let mut summary = GraphExportSummary {
        entities: rows.entities.len(),
        relations: rows.relations.len(),
        ..GraphExportSummary::default()
    };
    if rows.undirected > 0 && rows.undirected < rows.relations.len() {
        summary.warnings.push(format!(
            "{} of {} relations are undirected and the rest directed: networkx cannot read a mixed graph (Gephi and igraph can)",
            rows.undirected,
            rows.relations.len()
        ));
    }
    let write = |path: &Path, body: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| {
        let error = |source| GraphExportError::Write {
            path: path.to_path_buf(),
            source,
        };
        let mut buffered = std::io::BufWriter::new(std::fs::File::create(path).map_err(error)?);
        body(&mut buffered).map_err(error)?;
        buffered.flush().map_err(error)
    };
    match format {
        GraphFormat::Gexf => {
            write(out, &|sink| gexf::write(sink, rows, options, look))?;
            summary.files.push(out.to_path_buf());
        }
        GraphFormat::GraphMl => {
            write(out, &|sink| graphml::write(sink, rows, options, look))?;
            summary.files.push(out.to_path_buf());
        }
        GraphFormat::Csv => {
            let (nodes, edges) = csv_paths(out);
            write(&nodes, &|sink| csv_tables::write_nodes(sink, rows, look))?;
            write(&edges, &|sink| csv_tables::write_edges(sink, rows))?;
            summary.files.extend([nodes, edges]);
        }
    }
    Ok(summary)
}

/// The nodes and edges tables a CSV export writes for `out`.
pub fn csv_paths(out: &Path) -> (PathBuf, PathBuf) {
    let stem = out.file_stem().map_or_else(
        || "graph".into(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    (
        out.with_file_name(format!("{stem}.nodes.csv")),
        out.with_file_name(format!("{stem}.edges.csv")),
    )
}

/// The attribute type every value of a property fits, for the formats that
/// declare them: integer, double, boolean, else string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueType {
    Integer,
    Double,
    Boolean,
    String,
}

impl ValueType {
    fn of(value: &serde_json::Value) -> Self {
        match value {
            serde_json::Value::Number(number) if number.is_i64() => Self::Integer,
            serde_json::Value::Number(_) => Self::Double,
            serde_json::Value::Bool(_) => Self::Boolean,
            _ => Self::String,
        }
    }

    /// The type's name in GEXF's and GraphML's attribute declarations.
    fn xml_name(self) -> &'static str {
        match self {
            Self::Integer => "long",
            Self::Double => "double",
            Self::Boolean => "boolean",
            Self::String => "string",
        }
    }

    fn widen(self, other: Self) -> Self {
        match (self, other) {
            (a, b) if a == b => a,
            (Self::Integer, Self::Double) | (Self::Double, Self::Integer) => Self::Double,
            _ => Self::String,
        }
    }
}

/// Every property key of `maps`, in first-seen order, with the type all its
/// values fit.
pub(crate) fn property_keys<'a>(
    maps: impl Iterator<Item = &'a serde_json::Map<String, serde_json::Value>>,
    reserved: &[&str],
) -> Vec<(String, ValueType)> {
    let mut keys: Vec<(String, ValueType)> = Vec::new();
    let mut index: FastMap<String, usize> = FastMap::default();
    for map in maps {
        for (key, value) in map {
            if reserved.contains(&key.as_str()) || value.is_null() {
                continue;
            }
            let kind = ValueType::of(value);
            if let Some(&at) = index.get(key) {
                keys[at].1 = keys[at].1.widen(kind);
            } else {
                index.insert(key.clone(), keys.len());
                keys.push((key.clone(), kind));
            }
        }
    }
    keys
}

/// A property value as attribute text: strings as they are, the rest as JSON.
pub(crate) fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A relation's evidence as the formats that carry it on the relation
/// write it: its excerpt ids, document titles and quotes, each joined with
/// " | " (empty: none), and whether any excerpt supports it.
pub(crate) struct RelationEvidence {
    pub ids: String,
    pub documents: String,
    pub quotes: String,
    pub supported: &'static str,
}

impl RelationEvidence {
    pub(crate) fn of(relation: &RelationRow, rows: &Rows) -> Self {
        let cited = rows
            .citations
            .get(&relation.id)
            .map_or(&[][..], Vec::as_slice);
        let mut evidence = Self {
            ids: String::new(),
            documents: String::new(),
            quotes: String::new(),
            supported: if cited.is_empty() { "false" } else { "true" },
        };
        for (index, cited) in cited.iter().enumerate() {
            if index > 0 {
                for column in [
                    &mut evidence.ids,
                    &mut evidence.documents,
                    &mut evidence.quotes,
                ] {
                    column.push_str(" | ");
                }
            }
            evidence.ids.push_str(&cited.excerpt.to_string());
            evidence.documents.push_str(&cited.title);
            if cited.text.contains('|') {
                evidence.quotes.push_str(&cited.text.replace('|', "/"));
            } else {
                evidence.quotes.push_str(&cited.text);
            }
        }
        evidence
    }

    /// The three joined columns, none where empty.
    pub(crate) fn columns(&self) -> [Option<&str>; 3] {
        [&self.ids, &self.documents, &self.quotes]
            .map(|text| Some(text.as_str()).filter(|text| !text.is_empty()))
    }
}

/// Documents and excerpts as nodes of their own ([`EvidenceAs::Nodes`]):
/// each excerpt links to the document it quotes and to both ends of every
/// relation that cites it. Ids are prefixed (`d`, `x`, `e`) so they never
/// meet an entity's or a relation's.
#[derive(Debug, Default)]
pub(crate) struct EvidenceNodes {
    /// (id, label, kind)
    pub nodes: Vec<(String, String, &'static str)>,
    /// (id, source, target, kind)
    pub edges: Vec<(String, String, String, &'static str)>,
}

impl EvidenceNodes {
    pub(crate) fn of(rows: &Rows, options: GraphExportOptions) -> Self {
        let mut evidence = Self::default();
        if options.evidence != EvidenceAs::Nodes {
            return evidence;
        }
        let mut documents: FastSet<i64> = FastSet::default();
        let mut excerpts: FastSet<i64> = FastSet::default();
        for relation in &rows.relations {
            for cited in rows.citations.get(&relation.id).into_iter().flatten() {
                if documents.insert(cited.document) {
                    evidence.nodes.push((
                        format!("d{}", cited.document),
                        cited.title.to_string(),
                        "document",
                    ));
                }
                if excerpts.insert(cited.excerpt) {
                    let label: String = cited.text.chars().take(200).collect();
                    evidence
                        .nodes
                        .push((format!("x{}", cited.excerpt), label, "excerpt"));
                    evidence.edges.push((
                        format!("e{}-d", cited.excerpt),
                        format!("x{}", cited.excerpt),
                        format!("d{}", cited.document),
                        "quoted_from",
                    ));
                }
                for (end, entity) in [("s", relation.subject), ("o", relation.object)] {
                    evidence.edges.push((
                        format!("e{}-{}-{end}", cited.excerpt, relation.id),
                        format!("x{}", cited.excerpt),
                        entity.to_string(),
                        "supports",
                    ));
                }
            }
        }
        evidence
    }
}
