//! [`Explorer`] on a PostgreSQL schema, with the same answers as a graph
//! file gives (`store/explore.rs`). Names are matched with `ILIKE`, which
//! the trigram index serves; neighbours come from the covering indexes on
//! `relations (subject_id)` and `(object_id)`, a page at a time by key.
//!
//! Where the schema has compartments (row-level security by group), the
//! searches go through its security-definer functions, which keep the
//! indexes; on a hot standby, a query that replay cancelled is asked again.

use std::path::Path;
use std::sync::{Arc, Mutex};

use postgres::Client;

use super::views::{self, ViewError};
use super::{PgError, PgTarget, compartments, queries};
use crate::model::explore::{
    EntityRecord, ExcerptHit, Explorer, Interrupt, NeighbourPage, PageKey, RelationRecord,
    SavedView, SavedViewInfo, SceneCopy, Touch, excerpt_hits, like_escaped, preview, words,
};
use crate::model::source::{EntityId, SourceError};
use crate::store::scene_copy::{WrittenCopy, write_copy};

/// How long one query may run before the server cancels it.
const STATEMENT_TIMEOUT_MS: u32 = 30_000;

/// How many times a query that a standby cancelled to replay the
/// primary's changes is asked again.
const CONFLICT_RETRIES: u32 = 2;

/// One connection to a schema, for exploration. A connection that was
/// lost (the server restarted, the network dropped) is opened again on the
/// next question, which is then asked once more.
pub struct PgExplorer {
    client: Client,
    target: PgTarget,
    /// Cancels the query running on the current connection; replaced when
    /// the connection is.
    cancel: Arc<Mutex<postgres::CancelToken>>,
    /// The schema has compartments' search functions (searches go
    /// through them).
    search_functions: bool,
    /// What the window should be told about the last answer (a query
    /// asked again), until taken.
    note: Option<String>,
    /// A password that could not be stored in the keyring, said once.
    warning: Option<String>,
}

/// What a question has been through: recovery conflicts, a reconnection.
#[derive(Default)]
struct Tries {
    conflicts: u32,
    reconnected: bool,
}

/// Whether a server error is a hot standby cancelling the query to replay
/// the primary's changes (a "recovery conflict"): worth asking again. A
/// read-only session at read committed gets 40001 from nothing else, but
/// the message is checked as well; 40P01 is a deadlock with replay (or any
/// deadlock, also worth another try).
pub(crate) fn is_recovery_conflict(code: &str, message: &str) -> bool {
    (code == "40001" && message.contains("conflict with recovery")) || code == "40P01"
}

fn recovery_conflict(error: &postgres::Error) -> bool {
    error
        .as_db_error()
        .is_some_and(|db| is_recovery_conflict(db.code().code(), db.message()))
}

/// A connection set up for exploring: every query has a time limit, and the
/// session cannot write.
fn session(target: &PgTarget) -> Result<Client, PgError> {
    let mut client = target.connect()?;
    client
        .batch_execute(&format!(
            "SET statement_timeout = {STATEMENT_TIMEOUT_MS}; SET default_transaction_read_only = on"
        ))
        .map_err(target.failed("setting up the session"))?;
    Ok(client)
}

impl PgExplorer {
    pub fn connect(target: &PgTarget) -> Result<Self, PgError> {
        let mut client = session(target)?;
        let search_functions = compartments::has_search_functions(&mut client, target)
            .map_err(target.failed("looking for the search functions"))?;
        let cancel = Arc::new(Mutex::new(client.cancel_token()));
        let (mut note, mut warning) = (None, None);
        match target.remember_if_asked() {
            Some(Ok(())) => {
                note = Some(format!(
                    "The password for {} is now in the system keyring",
                    target.keyring_key()
                ));
            }
            Some(Err(error)) => {
                warning = Some(format!(
                    "Connected, but the password was not stored: {error}"
                ));
            }
            None => {}
        }
        Ok(Self {
            client,
            target: target.clone(),
            cancel,
            search_functions,
            note,
            warning,
        })
    }

    /// Whether searches go through the schema's compartment functions.
    pub fn searches_through_functions(&self) -> bool {
        self.search_functions
    }

    /// How long one query may run (milliseconds).
    pub fn statement_timeout_ms(&self) -> u32 {
        STATEMENT_TIMEOUT_MS
    }

    fn failed(&self, error: &postgres::Error) -> SourceError {
        if self.client.is_closed() {
            return SourceError::ConnectionLost(format!(
                "{}: the connection was lost ({error}); the next action tries again",
                self.target
            ));
        }
        let detail = error
            .as_db_error()
            .map_or_else(|| error.to_string(), |db| db.message().to_owned());
        SourceError::Backend(format!("{}: {detail}", self.target))
    }

    /// Opens the connection again when the last one was lost.
    fn reconnect_if_lost(&mut self) -> Result<(), SourceError> {
        if !self.client.is_closed() {
            return Ok(());
        }
        let client = session(&self.target).map_err(|error| {
            SourceError::ConnectionLost(format!(
                "the connection was lost, and {error}; the next action tries again"
            ))
        })?;
        if let Ok(mut cancel) = self.cancel.lock() {
            *cancel = client.cancel_token();
        }
        self.client = client;
        log::info!("{}: connected again", self.target);
        Ok(())
    }

    /// Whether to ask again after `error` (None: not the server's own): up
    /// to [`CONFLICT_RETRIES`] times after a recovery conflict, which is
    /// noted for the window, and once on a new connection when the old one
    /// turns out to be lost.
    fn again(
        &mut self,
        error: Option<&postgres::Error>,
        tries: &mut Tries,
    ) -> Result<bool, SourceError> {
        if let Some(error) = error
            && tries.conflicts < CONFLICT_RETRIES
            && recovery_conflict(error)
        {
            tries.conflicts += 1;
            let detail = error.as_db_error().map_or_else(String::new, |db| {
                db.detail()
                    .map_or_else(String::new, |detail| format!(": {detail}"))
            });
            let note = format!(
                "{}: the standby cancelled a query to replay the primary's changes (conflict with recovery{detail}); asked again ({} of {CONFLICT_RETRIES})",
                self.target, tries.conflicts
            );
            log::info!("{note}");
            self.note = Some(note);
            // Some conflicts end the session, not just the query.
            self.reconnect_if_lost()?;
            return Ok(true);
        }
        if self.client.is_closed() && !tries.reconnected {
            tries.reconnected = true;
            if let Some(error) = error {
                log::info!(
                    "{}: connection lost ({error}); connecting again",
                    self.target
                );
            }
            self.reconnect_if_lost()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Runs `work` on the connection; again when [`Self::again`] says so.
    fn run<T>(
        &mut self,
        mut work: impl FnMut(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, SourceError> {
        self.reconnect_if_lost()?;
        let mut tries = Tries::default();
        loop {
            match work(&mut self.client) {
                Ok(answer) => return Ok(answer),
                Err(error) => {
                    if !self.again(Some(&error), &mut tries)? {
                        return Err(self.failed(&error));
                    }
                }
            }
        }
    }

    /// Runs `work`, which reads or writes the saved views; once more on a
    /// new connection when the old one turns out to be lost (a save is one
    /// upsert: asking it twice keeps one row).
    fn on_views<T>(
        &mut self,
        mut work: impl FnMut(&mut Client, &PgTarget) -> Result<T, ViewError>,
    ) -> Result<T, SourceError> {
        self.reconnect_if_lost()?;
        let mut tries = Tries::default();
        loop {
            match work(&mut self.client, &self.target) {
                Ok(answer) => return Ok(answer),
                Err(ViewError::Query(error)) => {
                    if !self.again(Some(&error), &mut tries)? {
                        return Err(self.failed(&error));
                    }
                }
                Err(error) => {
                    return Err(SourceError::Unsupported(format!(
                        "{}: {error}",
                        self.target
                    )));
                }
            }
        }
    }

    fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, SourceError> {
        self.run(|client| client.query(sql, params))
    }

    fn relations(
        &mut self,
        filter: &str,
        ids: &[EntityId],
        entity: Option<EntityId>,
    ) -> Result<Vec<RelationRecord>, SourceError> {
        let sql = format!(
            "SELECT id, subject_id, object_id, kind, label, date_start, date_end FROM {} WHERE {filter} ORDER BY id",
            self.target.table("relations")
        );
        let rows = match entity {
            Some(entity) => self.query(&sql, &[&ids, &entity])?,
            None => self.query(&sql, &[&ids])?,
        };
        Ok(rows.iter().map(relation_record).collect())
    }
}

fn relation_record(row: &postgres::Row) -> RelationRecord {
    RelationRecord {
        id: row.get(0),
        subject: row.get(1),
        object: row.get(2),
        kind: row.get(3),
        label: row.get(4),
        date_start: row.get(5),
        date_end: row.get(6),
    }
}

fn entity_record(row: &postgres::Row) -> EntityRecord {
    EntityRecord {
        id: row.get(0),
        kind: row.get(1),
        name: row.get(2),
    }
}

impl Explorer for PgExplorer {
    fn search_names(&mut self, text: &str, limit: usize) -> Result<Vec<EntityRecord>, SourceError> {
        let sql = if self.search_functions {
            queries::search_through(&self.target.table("search_names"))
        } else {
            queries::search(&self.target.table("entities"))
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.query(&sql, &[&like_escaped(text), &text, &limit])?;
        Ok(rows.iter().map(entity_record).collect())
    }

    fn entities(&mut self, ids: &[EntityId]) -> Result<Vec<EntityRecord>, SourceError> {
        let sql = format!(
            "SELECT id, kind, name FROM {} WHERE id = ANY($1) ORDER BY id",
            self.target.table("entities")
        );
        let rows = self.query(&sql, &[&ids])?;
        Ok(rows.iter().map(entity_record).collect())
    }

    fn neighbours(
        &mut self,
        entity: EntityId,
        cap: u32,
        after: Option<PageKey>,
    ) -> Result<NeighbourPage, SourceError> {
        let after = after.map_or(i64::MIN, |key| key.0);
        let neighbours = queries::neighbours(&self.target.table("relations"));
        let total: i64 = self
            .query(
                &format!("SELECT count(*) FROM ({neighbours}) AS page"),
                &[&entity, &after],
            )?
            .first()
            .map_or(0, |row| row.get(0));
        let page: Vec<(EntityId, i64)> = self
            .query(
                &queries::neighbour_page(&self.target.table("relations")),
                &[&entity, &after, &i64::from(cap)],
            )?
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        let ids: Vec<EntityId> = page.iter().map(|&(id, _)| id).collect();
        let relations = self.relations(
            "(subject_id = $2 AND object_id = ANY($1)) OR (object_id = $2 AND subject_id = ANY($1))",
            &ids,
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
            "subject_id = ANY($1) AND object_id = ANY($1)",
            entities,
            None,
        )
    }

    fn copy_scene(
        &mut self,
        ids: &[EntityId],
        positions: &[(EntityId, [f32; 2])],
        out: &Path,
    ) -> Result<SceneCopy, SourceError> {
        self.reconnect_if_lost()?;
        let mut tries = Tries::default();
        let rows = loop {
            match super::pull::read_rows(&mut self.client, &self.target, ids, false) {
                Ok(rows) => break rows,
                Err(error) => {
                    let source = match &error {
                        PgError::Query { source, .. } => Some(source),
                        _ => None,
                    };
                    if !self.again(source, &mut tries)? {
                        return Err(SourceError::Backend(error.to_string()));
                    }
                }
            }
        };
        write_copy(&rows, &self.target.to_string(), positions, out)
            .map(WrittenCopy::into_scene_copy)
            .map_err(|error| SourceError::Backend(error.to_string()))
    }

    fn interrupter(&self) -> Interrupt {
        let cancel = Arc::clone(&self.cancel);
        let target = self.target.clone();
        Box::new(move || {
            let token = cancel.lock().map(|token| token.clone());
            if let Ok(token) = token {
                // The server answers a cancel on a connection of its own;
                // a failure means the query is over anyway.
                let _ = target.cancel(&token);
            }
        })
    }

    fn relations_touching(
        &mut self,
        frontier: &[EntityId],
        limit: usize,
    ) -> Result<(Vec<Touch>, bool), SourceError> {
        let limit = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        let sql = queries::touching(&self.target.table("relations"));
        let mut touches: Vec<Touch> = self
            .query(&sql, &[&frontier, &limit])?
            .iter()
            .map(|row| Touch {
                from: row.get(0),
                to: row.get(1),
                relation: row.get(2),
            })
            .collect();
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
        if words(text).is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        // The words as PostgreSQL's `simple` configuration would split them:
        // the same words a graph file's search looks for.
        let query = words(text).join(" ");
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = if self.search_functions {
            queries::excerpt_search_through(&self.target.table("search_excerpts"))
        } else {
            queries::excerpt_search(&self.target.table("excerpts"))
        };
        let found: Vec<(i64, String)> = self
            .query(&sql, &[&query, &limit])?
            .iter()
            .map(|row| (row.get(0), preview(row.get::<_, &str>(1))))
            .collect();
        let ids: Vec<i64> = found.iter().map(|&(id, _)| id).collect();
        let citations: Vec<(i64, i64)> = self
            .query(
                &format!(
                    "SELECT excerpt_id, relation_id FROM {} WHERE excerpt_id = ANY($1) ORDER BY excerpt_id, relation_id",
                    self.target.table("relation_excerpts")
                ),
                &[&ids],
            )?
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        let relation_ids: Vec<i64> = citations.iter().map(|&(_, relation)| relation).collect();
        let relations = self.relations("id = ANY($1)", &relation_ids, None)?;
        Ok(excerpt_hits(found, &citations, &relations))
    }

    fn take_note(&mut self) -> Option<String> {
        self.note.take()
    }

    fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    fn save_view(&mut self, view: &SavedView) -> Result<SavedViewInfo, SourceError> {
        self.on_views(|client, target| views::save(client, target, view))
    }

    fn saved_views(&mut self) -> Result<Vec<SavedViewInfo>, SourceError> {
        self.on_views(|client, target| Ok(views::list(client, target)?))
    }

    fn load_view(&mut self, name: &str) -> Result<SavedView, SourceError> {
        self.on_views(|client, target| views::load(client, target, name))
    }
}

#[cfg(test)]
mod tests {
    use super::is_recovery_conflict;

    #[test]
    fn only_a_standbys_cancellations_are_asked_again() {
        let conflict = "canceling statement due to conflict with recovery";
        assert!(is_recovery_conflict("40001", conflict));
        assert!(is_recovery_conflict(
            "40001",
            "terminating connection due to conflict with recovery"
        ));
        assert!(is_recovery_conflict("40P01", conflict));
        assert!(!is_recovery_conflict(
            "40001",
            "could not serialize access due to concurrent update"
        ));
        // Cancelled by the user or by the statement timeout: not again.
        assert!(!is_recovery_conflict(
            "57014",
            "canceling statement due to user request"
        ));
        assert!(!is_recovery_conflict("57P01", conflict));
    }
}
