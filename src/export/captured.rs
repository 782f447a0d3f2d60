//! The captured excerpts of a graph file as W3C Web Annotations
//! (`linkscope evidence --format w3c`): each excerpt's stored anchor as
//! written at capture, with its document's title and URL and the
//! relations that cite it.

use std::io::Write as _;
use std::path::Path;

use super::ExportError;
use super::w3c::{W3cExcerpt, write_annotations};
use crate::store::{StoreError, document_labels};

/// Every captured excerpt of the file at `path`, in excerpt id order, as
/// the W3C export writes it.
pub fn captured_excerpts(path: &Path) -> Result<Vec<W3cExcerpt>, StoreError> {
    let anchors = crate::store::capture::stored_anchors(path)?;
    if anchors.is_empty() {
        return Ok(Vec::new());
    }
    let labels = document_labels(path)?;
    Ok(anchors
        .into_iter()
        .map(|stored| {
            let label = labels.get(&stored.document_id);
            W3cExcerpt {
                excerpt_id: Some(stored.excerpt_id),
                document_id: Some(stored.document_id),
                document_url: label.and_then(|label| label.url.clone()),
                document_title: label.and_then(|label| label.title.clone()),
                anchor: stored.anchor,
                relation_ids: stored.relation_ids,
                note: stored.note,
                created_at: stored.created_at,
            }
        })
        .collect())
}

/// The annotations as JSON text, labelled with the graph file's name.
pub fn captured_annotations(path: &Path) -> Result<String, StoreError> {
    let excerpts = captured_excerpts(path)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    Ok(write_annotations(
        &excerpts,
        &format!("Captured excerpts of {name}"),
    ))
}

/// Writes `text` to `target` through a file beside it, renamed into place
/// when complete, so a failed write leaves no half-written file there.
pub fn write_text_file(target: &Path, text: &str) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: target.to_path_buf(),
        source,
    };
    let mut partial_name = target.file_name().unwrap_or_default().to_os_string();
    partial_name.push(".partial");
    let partial = target.with_file_name(partial_name);
    let written = std::fs::File::create(&partial)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&partial, target))
        .map_err(io);
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}
