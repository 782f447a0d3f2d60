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
    let mut document_ids: BTreeMap<i64, i64> = BTreeMap::new();
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
    let maps = IdMaps {
        entities: &entity_ids,
        relations: &relation_ids,
        documents: &document_ids,
        excerpts: &excerpt_ids,
    };
    let kept = match keep_source_ids(out, &maps) {
        Ok(kept) => kept,
        Err(source) => {
            let _ = std::fs::remove_file(out);
            return Err(StoreError::Write {
                path: out.to_path_buf(),
                source,
            });
        }
    };
    if !kept {
        return Ok(WrittenCopy {
            counts,
            entity_ids,
            relation_ids,
        });
    }
    let same = |map: &BTreeMap<i64, i64>| map.keys().map(|&id| (id, id)).collect();
    Ok(WrittenCopy {
        counts,
        entity_ids: same(&entity_ids),
        relation_ids: same(&relation_ids),
    })
}

/// Each table's source id for every id the writer gave.
struct IdMaps<'a> {
    entities: &'a BTreeMap<i64, i64>,
    relations: &'a BTreeMap<i64, i64>,
    documents: &'a BTreeMap<i64, i64>,
    excerpts: &'a BTreeMap<i64, i64>,
}

/// Gives the copy's rows their source's ids (the writer numbers rows 1, 2,
/// 3, …), so that what the window and the exports show of a copy names the
/// source's rows. Each id goes first to a number below every source id, so
/// that no two rows ever share one. False (the copy keeps the writer's ids)
/// when the source's ids leave no such room.
fn keep_source_ids(out: &Path, maps: &IdMaps<'_>) -> rusqlite::Result<bool> {
    let lowest = [maps.entities, maps.relations, maps.documents, maps.excerpts]
        .iter()
        .filter_map(|map| map.keys().next().copied())
        .min()
        .unwrap_or(1)
        .min(1);
    let largest_copy_id = [maps.entities, maps.relations, maps.documents, maps.excerpts]
        .iter()
        .map(|map| i64::try_from(map.len()).unwrap_or(i64::MAX))
        .max()
        .unwrap_or(0);
    // Every parked id, `base - copy id`, lies below every source id.
    let Some(base) = lowest.checked_sub(1) else {
        return Ok(false);
    };
    if base.checked_sub(largest_copy_id).is_none() {
        return Ok(false);
    }
    // The file the writer has just finished: ours, and never created here.
    let mut connection =
        rusqlite::Connection::open_with_flags(out, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let transaction = connection.transaction()?;
    // Rows and the rows naming them change ids one statement apart; the
    // keys are checked once, at the commit.
    transaction.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    for (name, map) in [
        ("entity_map", maps.entities),
        ("relation_map", maps.relations),
        ("document_map", maps.documents),
        ("excerpt_map", maps.excerpts),
    ] {
        transaction.execute_batch(&format!(
            "CREATE TEMP TABLE {name} (parked INTEGER PRIMARY KEY, source INTEGER NOT NULL)"
        ))?;
        let mut insert = transaction.prepare(&format!(
            "INSERT INTO {name} (parked, source) VALUES (?1, ?2)"
        ))?;
        for (&source, &copied) in map {
            insert.execute([base - copied, source])?;
        }
    }
    let has_positions: bool = transaction.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'app_positions'",
        [],
        |row| row.get(0),
    )?;
    let park = |column: &str| format!("{column} = ?1 - {column}");
    let map = |table: &str, column: &str| {
        format!("{column} = (SELECT source FROM {table} WHERE parked = {column})")
    };
    let mut statements = vec![
        format!("UPDATE entities SET {}", park("id")),
        format!(
            "UPDATE relations SET {}, {}, {}",
            park("id"),
            park("subject_id"),
            park("object_id")
        ),
        format!("UPDATE documents SET {}", park("id")),
        format!(
            "UPDATE excerpts SET {}, {}",
            park("id"),
            park("document_id")
        ),
        format!(
            "UPDATE relation_excerpts SET {}, {}",
            park("relation_id"),
            park("excerpt_id")
        ),
    ];
    if has_positions {
        statements.push(format!("UPDATE app_positions SET {}", park("entity_id")));
    }
    for statement in &statements {
        transaction.execute(statement, [base])?;
    }
    let mut statements = vec![
        format!("UPDATE entities SET {}", map("entity_map", "id")),
        format!(
            "UPDATE relations SET {}, {}, {}",
            map("relation_map", "id"),
            map("entity_map", "subject_id"),
            map("entity_map", "object_id")
        ),
        format!("UPDATE documents SET {}", map("document_map", "id")),
        format!(
            "UPDATE excerpts SET {}, {}",
            map("excerpt_map", "id"),
            map("document_map", "document_id")
        ),
        format!(
            "UPDATE relation_excerpts SET {}, {}",
            map("relation_map", "relation_id"),
            map("excerpt_map", "excerpt_id")
        ),
    ];
    if has_positions {
        statements.push(format!(
            "UPDATE app_positions SET {}",
            map("entity_map", "entity_id")
        ));
    }
    for statement in &statements {
        transaction.execute_batch(statement)?;
    }
    transaction.commit()?;
    Ok(true)
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
