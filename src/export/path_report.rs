//! A traced path as an evidence chain: each hop's relation (subject, label,
//! object) with the excerpts that support it and their documents, read
//! through a [`DetailsProvider`]. The window's Trace panel shows it and
//! `linkscope path` prints it, as text for a report or as JSON for scripts.
//! No egui.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::evidence_table::citation;
use crate::model::trace::TracePath;
use crate::model::{EdgeIx, Graph};
use crate::store::{DetailsProvider, Excerpt, Field, StoreError, is_disputed};
use crate::words::count_text;

/// One hop of a traced path with its evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HopEvidence {
    pub edge: EdgeIx,
    pub relation_id: i64,
    /// The relation's phrase (its kind when it has none).
    pub label: String,
    pub subject: String,
    pub object: String,
    /// The hop goes from the relation's object to its subject (the trace
    /// ignored direction); the relation still reads subject → object.
    pub against_direction: bool,
    /// The excerpts it cites, by id, each with its stance; empty when it
    /// is unsupported.
    pub excerpts: Vec<Excerpt>,
}

/// Said of a hop whose relation is disputed.
pub const DISPUTED_HOP: &str = "disputed: every excerpt it cites contradicts it";

impl HopEvidence {
    /// "Subject label Object", as the relation states it.
    pub fn sentence(&self) -> String {
        format!("{} {} {}", self.subject, self.label, self.object)
    }

    /// Every excerpt the relation cites contradicts it.
    pub fn is_disputed(&self) -> bool {
        is_disputed(&self.excerpts)
    }
}

/// Reads the evidence of every hop of `path`. A relation the source no
/// longer has is listed with no excerpts.
pub fn evidence_chain(
    graph: &Graph,
    path: &TracePath,
    provider: &mut dyn DetailsProvider,
) -> Result<Vec<HopEvidence>, StoreError> {
    path.edges
        .iter()
        .zip(&path.nodes)
        .map(|(&edge, &from)| {
            let (subject, object) = graph.edge_endpoints(edge);
            let relation_id = graph.edge_db_id(edge);
            let excerpts = provider
                .relation(relation_id)?
                .map(|relation| relation.excerpts)
                .unwrap_or_default();
            Ok(HopEvidence {
                edge,
                relation_id,
                label: graph.edge_label(edge).to_owned(),
                subject: graph.node_name(subject).to_owned(),
                object: graph.node_name(object).to_owned(),
                against_direction: subject != from,
                excerpts,
            })
        })
        .collect()
}

/// The chain as an analyst writes it into a report: a numbered line per
/// hop, then each excerpt as a citation, one that contradicts the relation
/// marked "Contradicts:", and a disputed hop said to be so.
pub fn chain_text(hops: &[HopEvidence]) -> String {
    let mut out = String::new();
    for (number, hop) in hops.iter().enumerate() {
        let direction = if hop.against_direction {
            " (walked from object to subject)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{}. {} [relation {}]{direction}",
            number + 1,
            hop.sentence(),
            hop.relation_id
        );
        if hop.excerpts.is_empty() {
            out.push_str("   unsupported: the relation cites no excerpt\n");
        } else if hop.is_disputed() {
            let _ = writeln!(out, "   {DISPUTED_HOP}");
        }
        for excerpt in &hop.excerpts {
            let stance = if excerpt.contradicts() {
                "Contradicts: "
            } else {
                ""
            };
            let _ = writeln!(out, "   {stance}{}", citation(excerpt));
        }
    }
    out
}

/// A one-line summary: "A → B: 2 hops".
pub fn chain_summary(from: &str, to: &str, hops: usize) -> String {
    format!("{from} → {to}: {}", count_text(hops, "hop", "hops"))
}

/// `{"hops": [{"id", "label", "subject", "object", "excerpts": [...]}]}`.
pub fn chain_json(hops: &[HopEvidence]) -> Value {
    let hops: Vec<Value> = hops
        .iter()
        .map(|hop| {
            json!({
                "id": hop.relation_id,
                "label": hop.label,
                "subject": hop.subject,
                "object": hop.object,
                "against_direction": hop.against_direction,
                "disputed": hop.is_disputed(),
                "excerpts": hop.excerpts.iter().map(excerpt_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "hops": hops })
}

fn excerpt_json(excerpt: &Excerpt) -> Value {
    let document = &excerpt.document;
    let ellipsis = if excerpt.text.is_cut() { "…" } else { "" };
    json!({
        "id": excerpt.id,
        "text": format!("{}{ellipsis}", excerpt.text.as_deref().unwrap_or("")),
        "text_cut": excerpt.text.is_cut(),
        "stance": excerpt.stance.as_str(),
        "locator": field(&excerpt.locator),
        "credibility": field(&excerpt.credibility),
        "document": {
            "id": document.id,
            "title": field(&document.title),
            "author": field(&document.author),
            "publisher": field(&document.publisher),
            "published": field(&document.published),
            "url": field(&document.url),
            "reliability": field(&document.reliability),
        },
    })
}

fn field(field: &Field) -> Value {
    field.as_deref().map_or(Value::Null, |text| json!(text))
}

/// Why `linkscope path` found no chain to print. Each names the file first,
/// as a command-line tool's errors do.
#[derive(Debug, thiserror::Error)]
pub enum PathCommandError {
    #[error("{}: {source}", path.display())]
    Open {
        path: std::path::PathBuf,
        #[source]
        source: Box<StoreError>,
    },
    #[error("{}: {what}: {detail}", path.display())]
    Lookup {
        path: std::path::PathBuf,
        /// "FROM" or "TO".
        what: &'static str,
        /// The lookup error, with its candidates or near names listed.
        detail: String,
    },
    #[error("{}: no path from {from:?} to {to:?} ({how})", path.display())]
    NoPath {
        path: std::path::PathBuf,
        from: String,
        to: String,
        how: String,
    },
}

/// What `linkscope path` found: the two ends' names and the chain.
#[derive(Debug)]
pub struct TracedChain {
    pub from: String,
    pub to: String,
    pub hops: Vec<HopEvidence>,
}

/// Opens `file`, finds FROM and TO (ids or names), traces the path as
/// `options` say, and reads each hop's evidence.
pub fn trace_file(
    file: &std::path::Path,
    from: &str,
    to: &str,
    options: crate::model::trace::TraceOptions,
) -> Result<TracedChain, PathCommandError> {
    use crate::model::trace::{TraceIndex, find_entity, shortest_path};
    use std::sync::{Arc, atomic::AtomicBool};
    let open = |source| PathCommandError::Open {
        path: file.to_path_buf(),
        source: Box::new(source),
    };
    let cancel = Arc::new(AtomicBool::new(false));
    let loaded = crate::store::load_graph(file, &crate::store::LoadProgress::default(), &cancel)
        .map_err(open)?;
    let graph = &loaded.graph;
    let lookup = |text: &str, what: &'static str| {
        find_entity(graph, text).map_err(|error| PathCommandError::Lookup {
            path: file.to_path_buf(),
            what,
            detail: lookup_detail(graph, &error),
        })
    };
    let (source, target) = (lookup(from, "FROM")?, lookup(to, "TO")?);
    let index = TraceIndex::build(graph);
    let path =
        shortest_path(&index, source, target, options).ok_or_else(|| PathCommandError::NoPath {
            path: file.to_path_buf(),
            from: graph.node_name(source).to_owned(),
            to: graph.node_name(target).to_owned(),
            how: match options.direction {
                crate::model::trace::Direction::Follow => {
                    "following relation direction; try --undirected".to_owned()
                }
                crate::model::trace::Direction::Ignore => {
                    "they are not connected, even ignoring direction".to_owned()
                }
            },
        })?;
    let mut reader = crate::store::DetailsReader::open(loaded.read_path(file)).map_err(open)?;
    let hops = evidence_chain(graph, &path, &mut reader).map_err(open)?;
    Ok(TracedChain {
        from: graph.node_name(source).to_owned(),
        to: graph.node_name(target).to_owned(),
        hops,
    })
}

/// The lookup error with the entities it is about, one per line: "id 5:
/// Name (kind)".
fn lookup_detail(graph: &Graph, error: &crate::model::trace::EntityLookupError) -> String {
    use crate::model::trace::EntityLookupError;
    let (list, heading) = match error {
        EntityLookupError::Ambiguous { candidates, .. } => (candidates, ""),
        EntityLookupError::Unknown { similar, .. } if similar.is_empty() => (similar, ""),
        EntityLookupError::Unknown { similar, .. } => (similar, "\nnames that contain it:"),
    };
    let mut detail = format!("{error}{heading}");
    for &node in list {
        let _ = write!(
            detail,
            "\n  id {}: {} ({})",
            graph.node_db_id(node),
            graph.node_name(node),
            graph.node_kind_text(node)
        );
    }
    detail
}
