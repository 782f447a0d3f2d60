//! The documents behind a set of relations, for the footer of an exported
//! picture: which sources the drawn edges rest on.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::StoreError;
use super::limits::SHORT_TEXT_MAX_BYTES;
use super::open::open_untrusted;

/// One cited document, as a report's footnote names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitedDocument {
    pub id: i64,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
}

impl CitedDocument {
    /// "Title — Author, Publisher, 2024-03-12".
    pub fn reference(&self) -> String {
        let rest: Vec<&str> = [&self.author, &self.publisher, &self.published]
            .into_iter()
            .filter_map(|part| part.as_deref().filter(|text| !text.trim().is_empty()))
            .collect();
        if rest.is_empty() {
            self.title.clone()
        } else {
            format!("{} — {}", self.title, rest.join(", "))
        }
    }
}

/// The documents whose excerpts support any of `relation_ids` (database
/// ids), by document id. Texts over their column's limit are left out.
pub fn documents_cited_by<S: std::hash::BuildHasher>(
    path: &Path,
    relation_ids: &HashSet<i64, S>,
) -> Result<Vec<CitedDocument>, StoreError> {
    let (connection, schema) = open_untrusted(path, None)?;
    if !schema.has_evidence || relation_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Measured before read, so a giant value is never read whole.
    let bounded = |column: &str| {
        format!(
            "CASE WHEN octet_length(d.{column}) <= {SHORT_TEXT_MAX_BYTES} THEN CAST(d.{column} AS TEXT) END"
        )
    };
    let sql = format!(
        "SELECT l.relation_id, d.id, {}, {}, {}, {} FROM relation_excerpts l \
         JOIN excerpts x ON x.id = l.excerpt_id JOIN documents d ON d.id = x.document_id",
        bounded("title"),
        bounded("author"),
        bounded("publisher"),
        bounded("published"),
    );
    let query = |error| StoreError::from_query(path, "relation_excerpts", error);
    let mut statement = connection.prepare(&sql).map_err(query)?;
    let mut rows = statement.query([]).map_err(query)?;
    let mut cited = BTreeMap::new();
    while let Some(row) = rows.next().map_err(query)? {
        let (Ok(relation), Ok(document)) = (row.get::<_, i64>(0), row.get::<_, i64>(1)) else {
            continue;
        };
        if !relation_ids.contains(&relation) || cited.contains_key(&document) {
            continue;
        }
        let text = |index| row.get::<_, Option<String>>(index).ok().flatten();
        cited.insert(
            document,
            CitedDocument {
                id: document,
                title: text(2).unwrap_or_else(|| format!("(document {document})")),
                author: text(3),
                publisher: text(4),
                published: text(5),
            },
        );
    }
    Ok(cited.into_values().collect())
}
