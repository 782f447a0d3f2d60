//! [`Explorer`] on a graph file: exploration by search and expansion
//! without loading the file, for files too big to load whole. The queries
//! mirror the PostgreSQL source's (`postgres/explore.rs`), so both give
//! the same pages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::StoreError;
use super::open::{Schema, open_untrusted};
use super::scene_copy::{
    DocumentRow, EntityRow, ExcerptRow, RelationRow, SceneRows, WrittenCopy, write_copy,
};
use crate::model::explore::{
    EntityRecord, ExcerptHit, Explorer, Interrupt, NeighbourPage, PageKey, RelationRecord,
    SceneCopy, Touch, excerpt_hits, like_escaped, preview, words,
};
use crate::model::source::{EntityId, SourceError};

/// A graph file opened for exploration.
pub struct SqliteExplorer {
    path: PathBuf,
    connection: Connection,
    /// The relation columns to select (NULL for optional ones the file lacks).
    relation_columns: String,
    /// Optional columns the file lacks, as (table, column).
    missing_columns: Vec<(&'static str, &'static str)>,
    has_evidence: bool,
}

impl SqliteExplorer {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let (connection, schema) = open_untrusted(path, None)?;
        Ok(Self {
            path: path.to_path_buf(),
            connection,
            relation_columns: relation_columns(&schema),
            missing_columns: schema.missing_columns.clone(),
            has_evidence: schema.has_evidence,
        })
    }

    /// The rows of `sql` (its one parameter `list`), each read by `read`.
    fn rows<T>(
        &self,
        sql: &str,
        list: &str,
        read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, SourceError> {
        let mut statement = self.connection.prepare(sql).map_err(|e| self.failed(&e))?;
        let rows = statement
            .query_map([list], read)
            .map_err(|e| self.failed(&e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.failed(&e))
    }

    /// The entities `ids`, the relations among them and the evidence those
    /// cite, as `write_copy` takes them.
    fn scene_rows(&self, ids: &[EntityId]) -> Result<SceneRows, SourceError> {
        let column = |table: &str, name: &str| text_column(&self.missing_columns, table, name);
        let list = id_list(ids);
        let entities = self.rows(
            &format!(
                "SELECT id, CAST(kind AS TEXT), CAST(name AS TEXT), {}, {}, {}, {} FROM entities
                 WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
                column("entities", "description"),
                column("entities", "date_start"),
                column("entities", "date_end"),
                column("entities", "properties"),
            ),
            &list,
            |row| {
                Ok(EntityRow {
                    id: row.get(0)?,
                    kind: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    name: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    description: row.get(3)?,
                    date_start: row.get(4)?,
                    date_end: row.get(5)?,
                    properties: row.get(6)?,
                })
            },
        )?;
        let relations = self.rows(
            &format!(
                "SELECT {}, {} FROM relations
                 WHERE subject_id IN (SELECT value FROM json_each(?1))
                   AND object_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
                self.relation_columns,
                column("relations", "properties"),
            ),
            &list,
            |row| {
                let record = relation_record(row)?;
                Ok(RelationRow {
                    id: record.id,
                    subject: record.subject,
                    object: record.object,
                    kind: record.kind,
                    label: record.label,
                    date_start: record.date_start,
                    date_end: record.date_end,
                    properties: row.get(7)?,
                })
            },
        )?;
        let mut rows = SceneRows {
            entities,
            relations,
            ..SceneRows::default()
        };
        if !self.has_evidence {
            return Ok(rows);
        }
        let relation_ids: Vec<i64> = rows.relations.iter().map(|row| row.id).collect();
        rows.citations = self.rows(
            "SELECT relation_id, excerpt_id FROM relation_excerpts
             WHERE relation_id IN (SELECT value FROM json_each(?1))
             ORDER BY relation_id, excerpt_id",
            &id_list(&relation_ids),
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let excerpt_ids: BTreeSet<i64> =
            rows.citations.iter().map(|&(_, excerpt)| excerpt).collect();
        let excerpt_ids: Vec<i64> = excerpt_ids.into_iter().collect();
        rows.excerpts = self.rows(
            &format!(
                "SELECT id, document_id, CAST(text AS TEXT), {}, {} FROM excerpts
                 WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
                column("excerpts", "locator"),
                column("excerpts", "credibility"),
            ),
            &id_list(&excerpt_ids),
            |row| {
                Ok(ExcerptRow {
                    id: row.get(0)?,
                    document: row.get(1)?,
                    text: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    locator: row.get(3)?,
                    credibility: row.get(4)?,
                })
            },
        )?;
        let document_ids: BTreeSet<i64> = rows.excerpts.iter().map(|row| row.document).collect();
        let document_ids: Vec<i64> = document_ids.into_iter().collect();
        rows.documents = self.rows(
            &format!(
                "SELECT id, CAST(title AS TEXT), {}, {}, {}, {}, {}, {} FROM documents
                 WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
                column("documents", "author"),
                column("documents", "publisher"),
                column("documents", "url"),
                column("documents", "published"),
                column("documents", "language"),
                column("documents", "reliability"),
            ),
            &id_list(&document_ids),
            |row| {
                Ok(DocumentRow {
                    id: row.get(0)?,
                    title: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    author: row.get(2)?,
                    publisher: row.get(3)?,
                    url: row.get(4)?,
                    published: row.get(5)?,
                    language: row.get(6)?,
                    reliability: row.get(7)?,
                })
            },
        )?;
        Ok(rows)
    }

    fn failed(&self, error: &rusqlite::Error) -> SourceError {
        SourceError::Backend(format!("{}: {error}", self.path.display()))
    }

    fn relations(
        &self,
        filter: &str,
        ids: &str,
        entity: Option<EntityId>,
    ) -> Result<Vec<RelationRecord>, SourceError> {
        let sql = format!(
            "SELECT {} FROM relations WHERE {filter} ORDER BY id",
            self.relation_columns
        );
        let mut statement = self.connection.prepare(&sql).map_err(|e| self.failed(&e))?;
        let rows = match entity {
            Some(entity) => statement.query_map(rusqlite::params![ids, entity], relation_record),
            None => statement.query_map(rusqlite::params![ids], relation_record),
        }
        .map_err(|e| self.failed(&e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.failed(&e))
    }
}

/// `column` of `table` as text, or NULL where the file lacks it.
fn text_column(missing: &[(&str, &str)], table: &str, column: &str) -> String {
    if missing.contains(&(table, column)) {
        "NULL".to_owned()
    } else {
        format!("CAST({column} AS TEXT)")
    }
}

fn relation_columns(schema: &Schema) -> String {
    let column = |name: &str| {
        if schema.missing_columns.contains(&("relations", name)) {
            "NULL".to_owned()
        } else {
            format!("CAST({name} AS TEXT)")
        }
    };
    format!(
        "id, subject_id, object_id, CAST(kind AS TEXT), {}, {}, {}",
        column("label"),
        column("date_start"),
        column("date_end")
    )
}

fn relation_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<RelationRecord> {
    Ok(RelationRecord {
        id: row.get(0)?,
        subject: row.get(1)?,
        object: row.get(2)?,
        kind: row.get::<_, Option<String>>(3)?.unwrap_or_default(),
        label: row.get(4)?,
        date_start: row.get(5)?,
        date_end: row.get(6)?,
    })
}

fn entity_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<EntityRecord> {
    Ok(EntityRecord {
        id: row.get(0)?,
        kind: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
        name: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
    })
}

/// Ids as a JSON array, for `json_each` (one parameter, any length).
fn id_list(ids: &[EntityId]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned())
}

/// The neighbours of `?1` with the oldest relation to each, after `?2`.
const NEIGHBOURS: &str = "SELECT other, min(relation) AS first FROM (
        SELECT object_id AS other, id AS relation FROM relations WHERE subject_id = ?1
        UNION ALL
        SELECT subject_id, id FROM relations WHERE object_id = ?1
    ) WHERE other <> ?1 GROUP BY other HAVING first > ?2";

impl Explorer for SqliteExplorer {
    fn search_names(&mut self, text: &str, limit: usize) -> Result<Vec<EntityRecord>, SourceError> {
        let sql = "SELECT id, CAST(kind AS TEXT), CAST(name AS TEXT) FROM entities
            WHERE lower(name) LIKE '%' || lower(?1) || '%' ESCAPE '\\'
            ORDER BY lower(name) = lower(?2) DESC,
                     lower(name) LIKE lower(?1) || '%' ESCAPE '\\' DESC,
                     length(name), id
            LIMIT ?3";
        let mut statement = self.connection.prepare(sql).map_err(|e| self.failed(&e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = statement
            .query_map(
                rusqlite::params![like_escaped(text), text, limit],
                entity_record,
            )
            .map_err(|e| self.failed(&e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.failed(&e))
    }

    fn entities(&mut self, ids: &[EntityId]) -> Result<Vec<EntityRecord>, SourceError> {
        let sql = "SELECT id, CAST(kind AS TEXT), CAST(name AS TEXT) FROM entities
            WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id";
        let mut statement = self.connection.prepare(sql).map_err(|e| self.failed(&e))?;
        let rows = statement
            .query_map([id_list(ids)], entity_record)
            .map_err(|e| self.failed(&e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.failed(&e))
    }

    fn neighbours(
        &mut self,
        entity: EntityId,
        cap: u32,
        after: Option<PageKey>,
    ) -> Result<NeighbourPage, SourceError> {
        let after = after.map_or(i64::MIN, |key| key.0);
        let total: i64 = self
            .connection
            .query_row(
                &format!("SELECT count(*) FROM ({NEIGHBOURS})"),
                rusqlite::params![entity, after],
                |row| row.get(0),
            )
            .map_err(|e| self.failed(&e))?;
        let page: Vec<(EntityId, i64)> = {
            let mut statement = self
                .connection
                .prepare(&format!("{NEIGHBOURS} ORDER BY first LIMIT ?3"))
                .map_err(|e| self.failed(&e))?;
            statement
                .query_map(rusqlite::params![entity, after, i64::from(cap)], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .map_err(|e| self.failed(&e))?
                .collect::<Result<_, _>>()
                .map_err(|e| self.failed(&e))?
        };
        let ids: Vec<EntityId> = page.iter().map(|&(id, _)| id).collect();
        let list = id_list(&ids);
        let relations = self.relations(
            "(subject_id = ?2 AND object_id IN (SELECT value FROM json_each(?1)))
             OR (object_id = ?2 AND subject_id IN (SELECT value FROM json_each(?1)))",
            &list,
            Some(entity),
        )?;
        let entities = self.entities(&ids)?;
        Ok(NeighbourPage::from_rows(&page, total, entities, relations))
    }

    fn relations_among(
        &mut self,
        entities: &[EntityId],
    ) -> Result<Vec<RelationRecord>, SourceError> {
        self.relations(
            "subject_id IN (SELECT value FROM json_each(?1)) AND object_id IN (SELECT value FROM json_each(?1))",
            &id_list(entities),
            None,
        )
    }

    fn copy_scene(
        &mut self,
        ids: &[EntityId],
        positions: &[(EntityId, [f32; 2])],
        out: &Path,
    ) -> Result<SceneCopy, SourceError> {
        let rows = self.scene_rows(ids)?;
        write_copy(&rows, &self.path.display().to_string(), positions, out)
            .map(WrittenCopy::into_scene_copy)
            .map_err(|error| SourceError::Backend(error.to_string()))
    }

    fn interrupter(&self) -> Interrupt {
        let handle = self.connection.get_interrupt_handle();
        Box::new(move || handle.interrupt())
    }

    fn relations_touching(
        &mut self,
        frontier: &[EntityId],
        limit: usize,
    ) -> Result<(Vec<Touch>, bool), SourceError> {
        let limit = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        let sql = "WITH f(id) AS (SELECT value FROM json_each(?1))
            SELECT r.subject_id, r.object_id, r.id FROM relations r JOIN f ON r.subject_id = f.id
                WHERE r.object_id <> r.subject_id
            UNION ALL
            SELECT r.object_id, r.subject_id, r.id FROM relations r JOIN f ON r.object_id = f.id
                WHERE r.object_id <> r.subject_id
            LIMIT ?2";
        let mut statement = self.connection.prepare(sql).map_err(|e| self.failed(&e))?;
        let mut touches: Vec<Touch> = statement
            .query_map(rusqlite::params![id_list(frontier), limit], |row| {
                Ok(Touch {
                    from: row.get(0)?,
                    to: row.get(1)?,
                    relation: row.get(2)?,
                })
            })
            .map_err(|e| self.failed(&e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.failed(&e))?;
        let cut = touches.len() as i64 == limit;
        if cut {
            touches.pop();
        }
        Ok((touches, cut))
    }

    fn search_excerpts(
        &mut self,
        text: &str,
        limit: usize,
    ) -> Result<Vec<ExcerptHit>, SourceError> {
        let wanted = words(text);
        if wanted.is_empty() || !self.has_evidence || limit == 0 {
            return Ok(Vec::new());
        }
        // Candidates by LIKE (no index in a graph file), then whole words.
        let filter: Vec<String> = (1..=wanted.len())
            .map(|at| format!("lower(text) LIKE '%' || ?{at} || '%' ESCAPE '\\'"))
            .collect();
        let sql = format!(
            "SELECT id, CAST(text AS TEXT) FROM excerpts WHERE {} ORDER BY id",
            filter.join(" AND ")
        );
        let patterns: Vec<String> = wanted.iter().map(|word| like_escaped(word)).collect();
        let mut found: Vec<(i64, String)> = Vec::new();
        {
            let mut statement = self.connection.prepare(&sql).map_err(|e| self.failed(&e))?;
            let mut rows = statement
                .query(rusqlite::params_from_iter(patterns.iter()))
                .map_err(|e| self.failed(&e))?;
            while let Some(row) = rows.next().map_err(|e| self.failed(&e))? {
                let id: i64 = row.get(0).map_err(|e| self.failed(&e))?;
                let text: String = row
                    .get::<_, Option<String>>(1)
                    .map_err(|e| self.failed(&e))?
                    .unwrap_or_default();
                let have = words(&text);
                if wanted.iter().all(|word| have.contains(word)) {
                    found.push((id, preview(&text)));
                    if found.len() == limit {
                        break;
                    }
                }
            }
        }
        let ids: Vec<i64> = found.iter().map(|&(id, _)| id).collect();
        let citations = self.rows(
            "SELECT excerpt_id, relation_id FROM relation_excerpts
             WHERE excerpt_id IN (SELECT value FROM json_each(?1)) ORDER BY excerpt_id, relation_id",
            &id_list(&ids),
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)),
        )?;
        let relation_ids: Vec<i64> = citations.iter().map(|&(_, relation)| relation).collect();
        let relations = self.relations(
            "id IN (SELECT value FROM json_each(?1))",
            &id_list(&relation_ids),
            None,
        )?;
        Ok(excerpt_hits(found, &citations, &relations))
    }
}
