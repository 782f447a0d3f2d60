//! Where each captured excerpt of a file stands against its document's
//! stored text (docs/file-format.md, "Captured evidence"), for
//! `linkscope check` and the W3C export: read only, nothing is written,
//! so `excerpts.anchor_state` keeps what the last save recorded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::StoreError;
use super::capture::{read_source, stored_anchors, stored_sources};
use super::open::open_untrusted;
use crate::model::anchor::{AnchorState, SourceText, TextAnchor};

/// One captured excerpt re-anchored against its document's text now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorCheck {
    pub excerpt_id: i64,
    pub document_id: i64,
    pub state: AnchorState,
    /// Where the passage is now, in chars, end exclusive; `None` when
    /// orphaned.
    pub span: Option<(usize, usize)>,
}

/// Every captured excerpt re-anchored against its document's stored text,
/// in excerpt id order. Each document's text is read and indexed once; an
/// excerpt whose document has no stored text is `Orphaned`.
pub fn anchor_report(path: &Path) -> Result<Vec<AnchorCheck>, StoreError> {
    let anchors = stored_anchors(path)?;
    if anchors.is_empty() {
        return Ok(Vec::new());
    }
    let with_text: BTreeSet<i64> = stored_sources(path)?
        .iter()
        .map(|source| source.id)
        .collect();
    let mut by_document: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (index, anchor) in anchors.iter().enumerate() {
        by_document
            .entry(anchor.document_id)
            .or_default()
            .push(index);
    }
    let mut checks: Vec<AnchorCheck> = anchors
        .iter()
        .map(|anchor| AnchorCheck {
            excerpt_id: anchor.excerpt_id,
            document_id: anchor.document_id,
            state: AnchorState::Orphaned,
            span: None,
        })
        .collect();
    for (document_id, indices) in by_document {
        if !with_text.contains(&document_id) {
            continue;
        }
        let document = read_source(path, document_id)?;
        let text = SourceText::new(document.text.to_string());
        let wanted: Vec<TextAnchor> = indices
            .iter()
            .map(|&index| anchors[index].anchor.clone())
            .collect();
        for (&index, found) in indices.iter().zip(text.reanchor_all(&wanted)) {
            checks[index].state = found.state;
            checks[index].span = found.span;
        }
    }
    Ok(checks)
}

/// A document's title and URL, as an export names it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentLabel {
    pub title: Option<String>,
    pub url: Option<String>,
}

/// The title and URL of each document in the file, by id.
pub fn document_labels(path: &Path) -> Result<BTreeMap<i64, DocumentLabel>, StoreError> {
    let (connection, _) = open_untrusted(path, None)?;
    let error = |source| StoreError::Query {
        path: path.to_path_buf(),
        table: "documents",
        source,
    };
    let mut statement = connection
        .prepare(
            "SELECT id, CAST(title AS TEXT), CAST(url AS TEXT) FROM documents
             WHERE typeof(id) = 'integer' ORDER BY id",
        )
        .map_err(error)?;
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                DocumentLabel {
                    title: row.get(1)?,
                    url: row.get(2)?,
                },
            ))
        })
        .map_err(error)?;
    rows.collect::<Result<_, _>>().map_err(error)
}
