//! `linkscope pull URL --seed NAME --hops N OUT.sqlite`: a neighbourhood of
//! a server's graph written out as a graph file, for offline work and for
//! sharing. One query per hop, each capped per entity (a `LATERAL`
//! subquery with `LIMIT`: a recursive query cannot cap each hop); then the
//! relations among the entities reached, and the evidence they cite.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{PgError, PgTarget};
use crate::store::scene_copy::{
    DocumentRow, EntityRow, ExcerptRow, RelationRow, SceneRows, write_copy,
};

/// What to pull.
#[derive(Debug, Clone)]
pub struct PullOptions {
    /// Names of the entities to start from (matched ignoring case).
    pub seeds: Vec<String>,
    /// How many relations away from a seed to go.
    pub hops: u32,
    /// At most this many neighbours of each entity per hop, those of its
    /// oldest relations first (None: all).
    pub cap_per_entity: Option<u32>,
    /// Stop adding entities past this many.
    pub max_entities: usize,
}

/// What a pull wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PullSummary {
    pub entities: u64,
    pub relations: u64,
    pub documents: u64,
    pub excerpts: u64,
    /// Entities whose neighbours were cut by the cap.
    pub capped: u64,
    /// Whether the entity limit stopped the walk.
    pub hit_max_entities: bool,
}

/// Pulls the neighbourhood `options` names from `target` into a new graph
/// file `out` (refused when it exists; nothing is left there on failure).
pub fn pull(target: &PgTarget, options: &PullOptions, out: &Path) -> Result<PullSummary, PgError> {
    let mut client = target.connect()?;
    let mut summary = PullSummary::default();
    let mut reached: BTreeSet<i64> = BTreeSet::new();
    for name in &options.seeds {
        let ids = seed_ids(&mut client, target, name)?;
        reached.extend(ids);
    }
    let mut frontier: Vec<i64> = reached.iter().copied().collect();
    let step = super::queries::hop(&target.table("relations"));
    let step = client
        .prepare(&step)
        .map_err(target.failed("preparing the expansion"))?;
    for _ in 0..options.hops {
        if frontier.is_empty() || summary.hit_max_entities {
            break;
        }
        // One more than the cap, to know which entities were cut.
        let limit = options.cap_per_entity.map(|cap| i64::from(cap) + 1);
        let rows = client
            .query(&step, &[&frontier, &limit])
            .map_err(target.failed("expanding"))?;
        let mut per_entity: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for row in &rows {
            per_entity.entry(row.get(0)).or_default().push(row.get(1));
        }
        let mut next = Vec::new();
        for (_, mut others) in per_entity {
            if let Some(cap) = options.cap_per_entity
                && others.len() > cap as usize
            {
                others.truncate(cap as usize);
                summary.capped += 1;
            }
            for other in others {
                if reached.len() >= options.max_entities {
                    summary.hit_max_entities = true;
                    break;
                }
                if reached.insert(other) {
                    next.push(other);
                }
            }
        }
        frontier = next;
    }
    let ids: Vec<i64> = reached.into_iter().collect();
    let total: i64 = client
        .query_one(
            &format!("SELECT count(*) FROM {}", target.table("entities")),
            &[],
        )
        .map_err(target.failed("counting entities"))?
        .get(0);
    // A pull that reached every entity is the whole graph: documents and
    // excerpts that nothing cites come along too.
    let whole = usize::try_from(total).is_ok_and(|total| total == ids.len());
    write(&mut client, target, &ids, whole, out, &mut summary)?;
    Ok(summary)
}

/// The ids of the entities named `name` (ignoring case); an error with the
/// closest names when there is none.
fn seed_ids(
    client: &mut postgres::Client,
    target: &PgTarget,
    name: &str,
) -> Result<Vec<i64>, PgError> {
    let rows = client
        .query(
            &format!(
                "SELECT id FROM {} WHERE lower(name) = lower($1) ORDER BY id",
                target.table("entities")
            ),
            &[&name],
        )
        .map_err(target.failed("looking up the seed"))?;
    if !rows.is_empty() {
        return Ok(rows.iter().map(|row| row.get(0)).collect());
    }
    // The closest names, where pg_trgm is there to say (else no hint).
    let closest = client
        .query(
            &format!(
                "SELECT name FROM {} ORDER BY similarity(name, $1) DESC, id LIMIT 3",
                target.table("entities")
            ),
            &[&name],
        )
        .map(|rows| {
            rows.iter()
                .map(|row| row.get::<_, String>(0))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let hint = if closest.is_empty() {
        String::new()
    } else {
        format!(" (closest: {})", closest.join(", "))
    };
    Err(PgError::NoSeed {
        target: target.to_string(),
        name: name.to_owned(),
        hint,
    })
}

/// Writes the entities `ids`, the relations among them and the evidence
/// those cite into `out`, in id order (a whole graph with ids 1…n comes
/// back with the same ids).
fn write(
    client: &mut postgres::Client,
    target: &PgTarget,
    ids: &[i64],
    whole: bool,
    out: &Path,
    summary: &mut PullSummary,
) -> Result<(), PgError> {
    let rows = read_rows(client, target, ids, whole)?;
    let written = write_copy(&rows, &target.to_string(), &[], out)?;
    summary.entities = written.counts.entities;
    summary.relations = written.counts.relations;
    summary.documents = written.counts.documents;
    summary.excerpts = written.counts.excerpts;
    Ok(())
}

/// The entities `ids`, every relation among them and the evidence those
/// cite (with `whole`, every document and excerpt), in id order.
pub(super) fn read_rows(
    client: &mut postgres::Client,
    target: &PgTarget,
    ids: &[i64],
    whole: bool,
) -> Result<SceneRows, PgError> {
    let query = |client: &mut postgres::Client, sql: String, ids: &[i64], what: &str| {
        client
            .query(&sql, &[&ids])
            .map_err(target.failed(&format!("reading {what}")))
    };
    let entities = query(
        client,
        format!(
            "SELECT id, kind, name, description, date_start, date_end, properties FROM {} WHERE id = ANY($1) ORDER BY id",
            target.table("entities")
        ),
        ids,
        "entities",
    )?;
    let relations = query(
        client,
        format!(
            "SELECT id, subject_id, object_id, kind, label, date_start, date_end, properties FROM {} WHERE subject_id = ANY($1) AND object_id = ANY($1) ORDER BY id",
            target.table("relations")
        ),
        ids,
        "relations",
    )?;
    let relation_ids: Vec<i64> = relations.iter().map(|row| row.get(0)).collect();
    let citations = query(
        client,
        format!(
            "SELECT relation_id, excerpt_id FROM {} WHERE relation_id = ANY($1) ORDER BY relation_id, excerpt_id",
            target.table("relation_excerpts")
        ),
        &relation_ids,
        "citations",
    )?;
    let excerpt_ids: Vec<i64> = citations
        .iter()
        .map(|row| row.get::<_, i64>(1))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let chosen = if whole {
        "$1::bigint[] IS NOT NULL"
    } else {
        "id = ANY($1)"
    };
    let excerpts = query(
        client,
        format!(
            "SELECT id, document_id, text, locator, credibility FROM {} WHERE {chosen} ORDER BY id",
            target.table("excerpts")
        ),
        &excerpt_ids,
        "excerpts",
    )?;
    let document_ids: Vec<i64> = excerpts
        .iter()
        .map(|row| row.get::<_, i64>(1))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let documents = query(
        client,
        format!(
            "SELECT id, title, author, publisher, url, published, language, reliability FROM {} WHERE {chosen} ORDER BY id",
            target.table("documents")
        ),
        &document_ids,
        "documents",
    )?;
    Ok(SceneRows {
        entities: entities
            .iter()
            .map(|row| EntityRow {
                id: row.get(0),
                kind: row.get(1),
                name: row.get(2),
                description: row.get(3),
                date_start: row.get(4),
                date_end: row.get(5),
                properties: row.get(6),
            })
            .collect(),
        relations: relations
            .iter()
            .map(|row| RelationRow {
                id: row.get(0),
                subject: row.get(1),
                object: row.get(2),
                kind: row.get(3),
                label: row.get(4),
                date_start: row.get(5),
                date_end: row.get(6),
                properties: row.get(7),
            })
            .collect(),
        citations: citations
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect(),
        excerpts: excerpts
            .iter()
            .map(|row| ExcerptRow {
                id: row.get(0),
                document: row.get(1),
                text: row.get(2),
                locator: row.get(3),
                credibility: row.get(4),
            })
            .collect(),
        documents: documents
            .iter()
            .map(|row| DocumentRow {
                id: row.get(0),
                title: row.get(1),
                author: row.get(2),
                publisher: row.get(3),
                url: row.get(4),
                published: row.get(5),
                language: row.get(6),
                reliability: row.get(7),
            })
            .collect(),
    })
}
