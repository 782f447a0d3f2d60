//! Where a captured excerpt stands in its document's text now, found when
//! the evidence panel reads it (never written), and what Confirm needs of
//! one found only approximately.

use super::{DetailsReader, Excerpt};
use crate::model::anchor::{AnchorState, SourceText, TextAnchor};
use crate::model::confirm::{ExcerptAnchorRow, FuzzyAnchor};

impl DetailsReader {
    /// Where a captured excerpt stands in its document's stored text now:
    /// the stored offsets when the text is the one it was anchored in,
    /// else found again by its quote and context (see `model::anchor`).
    /// Nothing is written.
    pub(super) fn reanchor(&self, excerpt: &mut Excerpt) {
        type Row = (
            i64,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Vec<u8>,
        );
        let row: Option<Row> = self
            .connection
            .query_row(
                "SELECT CAST(e.start_char AS INTEGER), CAST(e.end_char AS INTEGER), CAST(e.text AS TEXT),
                        CAST(e.prefix AS TEXT), CAST(e.suffix AS TEXT), CAST(e.anchored_sha256 AS TEXT),
                        CAST(t.text AS BLOB)
                 FROM excerpts e JOIN document_text t ON t.document_id = e.document_id
                 WHERE e.id = ?1 AND typeof(e.start_char) = 'integer' AND typeof(e.end_char) = 'integer'
                   AND length(CAST(t.text AS BLOB)) <= ?2",
                [excerpt.id, crate::store::capture::MAX_SOURCE_TEXT_BYTES],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                    ))
                },
            )
            .ok();
        let Some((start, end, quote, prefix, suffix, hash, text)) = row else {
            return;
        };
        let (Ok(start), Ok(end), Ok(text)) = (
            usize::try_from(start),
            usize::try_from(end),
            String::from_utf8(text),
        ) else {
            return;
        };
        let anchor = TextAnchor {
            quote: quote.unwrap_or_default(),
            start_char: start,
            end_char: end,
            prefix: prefix.unwrap_or_default(),
            suffix: suffix.unwrap_or_default(),
            anchored_sha256: hash.unwrap_or_default(),
        };
        let source = SourceText::new(text);
        let found = source.reanchor(&anchor);
        excerpt.anchor_state = Some(found.state);
        excerpt.source_span = found.span;
        if let (AnchorState::Fuzzy, Some((start, end))) = (found.state, found.span) {
            excerpt.fuzzy = self.fuzzy_anchor(excerpt.id, anchor, source.anchor(start, end));
        }
    }

    /// What Confirm needs of a fuzzy excerpt: its stored `anchor_state` and
    /// `note` besides its anchor (the old values a retracted confirm writes
    /// back). None when they cannot be read, so that no confirm loses a
    /// note.
    fn fuzzy_anchor(
        &self,
        id: i64,
        stored: TextAnchor,
        proposed: TextAnchor,
    ) -> Option<Box<FuzzyAnchor>> {
        let (anchor_state, note) = self
            .connection
            .query_row(&self.captured.stored_state_and_note, [id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .ok()?;
        Some(Box::new(FuzzyAnchor {
            excerpt_id: id,
            stored: ExcerptAnchorRow {
                anchor: stored,
                anchor_state,
                note,
            },
            proposed,
        }))
    }
}
