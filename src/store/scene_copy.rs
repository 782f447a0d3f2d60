//! A part of a graph written out as a graph file of its own: what `pull`
//! writes, and the working copy that exploring a server (or a file too big
//! to load) shows in the window. Each source reads its rows its own way
//! and hands them here, so every copy is written the same way.

use std::collections::BTreeMap;
use std::path::Path;

use super::StoreError;
use super::writer::{GraphWriter, NewDocument, NewEntity, NewRelation, WrittenCounts};

/// An entity as its source holds it (`id` is the source's).
#[derive(Debug, Clone, Default)]
pub struct EntityRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub description: Option<String>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
    /// A JSON object as text; other text is noted and left out.
    pub properties: Option<String>,
}

/// A relation as its source holds it.
#[derive(Debug, Clone, Default)]
pub struct RelationRow {
    pub id: i64,
    pub subject: i64,
    pub object: i64,
    pub kind: String,
    pub label: Option<String>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
    pub properties: Option<String>,
}

/// A source document.
#[derive(Debug, Clone, Default)]
pub struct DocumentRow {
    pub id: i64,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub reliability: Option<String>,
}

/// A quoted passage of a document.
#[derive(Debug, Clone, Default)]
pub struct ExcerptRow {
    pub id: i64,
    pub document: i64,
    pub text: String,
    pub locator: Option<String>,
    pub credibility: Option<String>,
}

/// Everything a copy holds, by the source's ids.
#[derive(Debug, Clone, Default)]
pub struct SceneRows {
    /// In id order: a copy of a whole graph with ids 1…n keeps its ids.
    pub entities: Vec<EntityRow>,
    pub relations: Vec<RelationRow>,
    /// (relation, excerpt) pairs.
    pub citations: Vec<(i64, i64)>,
    pub excerpts: Vec<ExcerptRow>,
    pub documents: Vec<DocumentRow>,
}

/// What a copy wrote, and the new file's id of each source entity.
#[derive(Debug, Clone, Default)]
pub struct WrittenCopy {
    pub counts: WrittenCounts,
    pub entity_ids: BTreeMap<i64, i64>,
    /// The new file's relation id for each source relation.
    pub relation_ids: BTreeMap<i64, i64>,
}

impl WrittenCopy {
    pub fn into_scene_copy(self) -> crate::model::explore::SceneCopy {
        crate::model::explore::SceneCopy {
            entity_ids: self.entity_ids,
            relation_ids: self.relation_ids,
            relations: self.counts.relations,
            excerpts: self.counts.excerpts,
        }
    }
}

/// Writes `rows` into the new graph file `out` (refused when it exists;
/// nothing is left there on failure), with `positions` (by the source's
/// entity ids) as its saved view. `source` names where the rows came from,
/// for the load report's notes. Relations whose ends are not among the
/// entities, and evidence that nothing written cites, are left out.
pub fn write_copy(
    rows: &SceneRows,
    source: &str,
    positions: &[(i64, [f32; 2])],
    out: &Path,
) -> Result<WrittenCopy, StoreError> {
    let mut writer = GraphWriter::create(out)?;
    let mut entity_ids = BTreeMap::new();
    for row in &rows.entities {
        let properties = properties(&mut writer, source, row.properties.as_deref())?;
        let id = writer.add_entity(NewEntity {
            kind: &row.kind,
            name: &row.name,
            description: row.description.as_deref(),
            date_start: row.date_start.as_deref(),
            date_end: row.date_end.as_deref(),
            properties,
        })?;
        entity_ids.insert(row.id, id);
    }
    let mut relation_ids = BTreeMap::new();
    for row in &rows.relations {
        let (Some(&subject), Some(&object)) =
            (entity_ids.get(&row.subject), entity_ids.get(&row.object))
        else {
            continue;
        };
        let properties = properties(&mut writer, source, row.properties.as_deref())?;
        let id = writer.add_relation(NewRelation {
            subject,
            object,
            kind: &row.kind,
            label: row.label.as_deref(),
            date_start: row.date_start.as_deref(),
            date_end: row.date_end.as_deref(),
            properties,
        })?;
        relation_ids.insert(row.id, id);
    }
    let mut document_ids = BTreeMap::new();
    for row in &rows.documents {
        let id = writer.add_document(&NewDocument {
            title: &row.title,
            author: row.author.as_deref(),
            publisher: row.publisher.as_deref(),
            url: row.url.as_deref(),
            published: row.published.as_deref(),
            language: row.language.as_deref(),
            reliability: row.reliability.as_deref(),
        })?;
        document_ids.insert(row.id, id);
    }
    let mut excerpt_ids = BTreeMap::new();
    for row in &rows.excerpts {
        let Some(&document) = document_ids.get(&row.document) else {
            continue;
        };
        let id = writer.add_excerpt(
            document,
            &row.text,
            row.locator.as_deref(),
            row.credibility.as_deref(),
        )?;
        excerpt_ids.insert(row.id, id);
    }
    for (relation, excerpt) in &rows.citations {
        if let (Some(&relation), Some(&excerpt)) =
            (relation_ids.get(relation), excerpt_ids.get(excerpt))
        {
            writer.cite(relation, excerpt)?;
        }
    }
    if !positions.is_empty() {
        let placed: Vec<(i64, [f32; 2])> = positions
            .iter()
            .filter_map(|&(id, world)| entity_ids.get(&id).map(|&new| (new, world)))
            .collect();
        writer.set_positions(&placed)?;
    }
    let counts = writer.counts();
    writer.finish()?;
    Ok(WrittenCopy {
        counts,
        entity_ids,
        relation_ids,
    })
}

/// A `properties` text as the writer takes it: a JSON object, or nothing;
/// other text is noted and left out.
fn properties(
    writer: &mut GraphWriter,
    source: &str,
    text: Option<&str>,
) -> Result<serde_json::Map<String, serde_json::Value>, StoreError> {
    let Some(text) = text.filter(|text| !text.trim().is_empty()) else {
        return Ok(serde_json::Map::new());
    };
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(text) {
        return Ok(map);
    }
    writer.note(
        source,
        None,
        "a properties value that is not a JSON object was left out",
    )?;
    Ok(serde_json::Map::new())
}
