//! Reading the evidence of many relations in turn, for an evidence table:
//! each relation's row, its two entities' names, and the excerpts it cites
//! with their documents. Values go through the same per-column limits as
//! the evidence panel (see `limits`), so an export never reads an oversized
//! value whole, and it says where a text was cut.
//!
//! The links table is read in one scan up front, so a file whose
//! `relation_excerpts` has no index on `relation_id` costs one scan, not one
//! per relation. Everything else is a lookup by id, one row at a time.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::StoreError;
use super::capture_details::lay_edits_over;
use super::details::{DetailsReader, Field, RelationDetails};
use super::limits::SMALL_VALUE_MAX_BYTES;
use super::open::TableSpec;
use super::values::Cell;
use crate::model::capture::{CaptureSet, Stance};

/// Only what a table needs of an entity: its name (not its description).
const ENTITY_NAMES: TableSpec = TableSpec {
    name: "entities",
    required: &["id", "kind", "name"],
    optional: &[],
};

/// One relation with its evidence, as an evidence table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationEvidence {
    /// The relation; `excerpts` empty means unsupported.
    pub relation: RelationDetails,
    pub subject: Field,
    pub object: Field,
}

/// A (relation id, excerpt id) link.
type Link = (i64, i64);

/// Reads relations with their evidence from one untrusted file.
pub struct EvidenceReader {
    details: DetailsReader,
    /// Every (relation id, excerpt id) link of the file, sorted.
    links: Vec<Link>,
    /// The links whose stance is 'contradicts', sorted.
    contradicting: Vec<Link>,
    /// The window's edits, whose corrected document details are shown
    /// before Save writes them.
    edits: Option<Arc<CaptureSet>>,
}

impl std::fmt::Debug for EvidenceReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvidenceReader")
            .field("path", &self.details.path())
            .field("links", &self.links.len())
            .finish_non_exhaustive()
    }
}

impl EvidenceReader {
    /// Opens `path` as an untrusted file and reads its links; setting
    /// `cancel` interrupts any query that is running.
    pub fn open(path: &Path, cancel: Arc<AtomicBool>) -> Result<Self, StoreError> {
        let details = DetailsReader::open_cancellable(path, cancel)?;
        let (links, contradicting) = if details.has_evidence() {
            read_links(&details)?
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Self {
            details,
            links,
            contradicting,
            edits: None,
        })
    }

    /// The same reader, with the file's excerpts as `edits` left them
    /// (their documents corrected or regraded, their anchors confirmed, the
    /// saved captures undone left out) rather than as the file holds them
    /// until Save. Captures not saved yet are not in the table.
    #[must_use]
    pub fn with_edits(mut self, edits: Arc<CaptureSet>) -> Self {
        self.edits = Some(edits);
        self
    }

    /// The relation `id` with its names and excerpts, or None when the file
    /// has no such relation.
    pub fn relation(&self, id: i64) -> Result<Option<RelationEvidence>, StoreError> {
        let Some(mut relation) = self.details.relation_without_excerpts(id)? else {
            return Ok(None);
        };
        let start = self.links.partition_point(|&(relation, _)| relation < id);
        let excerpt_ids = self.links[start..]
            .iter()
            .take_while(|&&(relation, _)| relation == id)
            .map(|&(_, excerpt)| excerpt)
            .collect();
        relation.excerpts = self.details.excerpts_by_id(excerpt_ids)?;
        if let Some(edits) = &self.edits {
            relation
                .excerpts
                .retain(|excerpt| !edits.is_retracted(excerpt.id));
        }
        for excerpt in &mut relation.excerpts {
            if self.contradicting.binary_search(&(id, excerpt.id)).is_ok() {
                excerpt.stance = Stance::Contradicts;
            }
            if let Some(edits) = &self.edits {
                lay_edits_over(excerpt, edits);
            }
        }
        let subject = self.entity_name(relation.subject_id)?;
        let object = self.entity_name(relation.object_id)?;
        Ok(Some(RelationEvidence {
            relation,
            subject,
            object,
        }))
    }

    fn entity_name(&self, id: Option<i64>) -> Result<Field, StoreError> {
        let Some(id) = id else {
            return Ok(Field::default());
        };
        let name = self
            .details
            .row_by_id(&ENTITY_NAMES, id, |cells| Ok(Field::text(cells[2].cell())))?;
        Ok(name.unwrap_or_default())
    }
}

/// Every link whose two ids are valid ids, sorted and without repeats, and
/// those of them whose stance is 'contradicts' (read only when the file has
/// the column; any other value supports, as the loader reads it).
fn read_links(details: &DetailsReader) -> Result<(Vec<Link>, Vec<Link>), StoreError> {
    let table = "relation_excerpts";
    let error = |error| StoreError::from_query(details.path(), table, error);
    let guarded = |column: &str| {
        format!(
            "CASE WHEN octet_length({column}) > {SMALL_VALUE_MAX_BYTES} THEN NULL ELSE {column} END"
        )
    };
    let stance = if details.has_stance() {
        guarded("stance")
    } else {
        "NULL".to_owned()
    };
    let sql = format!(
        "SELECT {}, {}, {stance} FROM relation_excerpts",
        guarded("relation_id"),
        guarded("excerpt_id")
    );
    let mut statement = details.connection().prepare(&sql).map_err(error)?;
    let mut rows = statement.query([]).map_err(error)?;
    let mut links = Vec::new();
    let mut contradicting = Vec::new();
    while let Some(row) = rows.next().map_err(error)? {
        let relation = Cell::from_value(row.get_ref(0).map_err(error)?).as_id();
        let excerpt = Cell::from_value(row.get_ref(1).map_err(error)?).as_id();
        if let (Ok(relation), Ok(excerpt)) = (relation, excerpt) {
            links.push((relation, excerpt));
            if Cell::from_value(row.get_ref(2).map_err(error)?) == Cell::Text("contradicts") {
                contradicting.push((relation, excerpt));
            }
        }
    }
    links.sort_unstable();
    links.dedup();
    contradicting.sort_unstable();
    contradicting.dedup();
    Ok((links, contradicting))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite")
    }

    #[test]
    fn reads_the_same_excerpts_as_the_evidence_panel() {
        let reader = EvidenceReader::open(&sample(), Arc::new(AtomicBool::new(false))).unwrap();
        let panel = DetailsReader::open(&sample()).unwrap();
        for id in 1..=60 {
            let Some(evidence) = reader.relation(id).unwrap() else {
                assert!(panel.relation(id).unwrap().is_none());
                continue;
            };
            assert_eq!(Some(evidence.relation), panel.relation(id).unwrap());
            assert!(evidence.subject.text.is_some(), "relation {id}");
        }
    }
}
