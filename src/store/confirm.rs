//! Confirmed fuzzy anchors in a graph file (see `model::confirm`): each is
//! an UPDATE of one `excerpts` row, written only by a save, inside its one
//! transaction, after the captures (`store::capture_write::write_captures`).

use rusqlite::{Connection, params};

use crate::model::confirm::{Confirmations, ExcerptAnchorRow};

/// Writes `row` over excerpt `id`'s anchor columns. A row that is not
/// there (another program deleted it) fails the save, which leaves the
/// file as it was, rather than leaving the confirm unwritten unsaid.
fn update_excerpt(
    connection: &Connection,
    id: i64,
    row: &ExcerptAnchorRow,
) -> rusqlite::Result<()> {
    let anchor = &row.anchor;
    let changed = connection.execute(
        "UPDATE excerpts SET text = ?2, start_char = ?3, end_char = ?4, prefix = ?5, suffix = ?6,
            anchored_sha256 = ?7, anchor_state = ?8, note = ?9
         WHERE id = ?1",
        params![
            id,
            anchor.quote,
            anchor.start_char as i64,
            anchor.end_char as i64,
            anchor.prefix,
            anchor.suffix,
            anchor.anchored_sha256,
            row.anchor_state,
            row.note,
        ],
    )?;
    if changed == 1 {
        Ok(())
    } else {
        Err(rusqlite::Error::StatementChangedRows(changed))
    }
}

/// Writes the old values of retracted confirms back, then the confirms in
/// effect that the file lacks, on `connection` inside the caller's
/// transaction (whose schema already has the captured-evidence columns).
pub(crate) fn write_confirmations(
    connection: &Connection,
    confirmations: &Confirmations,
) -> rusqlite::Result<()> {
    for confirmation in confirmations.retracted.iter().rev() {
        update_excerpt(connection, confirmation.excerpt_id, &confirmation.before)?;
    }
    for (confirmation, _) in confirmations.in_effect.iter().filter(|(_, saved)| !saved) {
        update_excerpt(connection, confirmation.excerpt_id, &confirmation.after)?;
    }
    Ok(())
}
