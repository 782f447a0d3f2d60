//! Where the details of one entity or relation come from. The window asks
//! through this trait, on a background thread, so that a source other than
//! a SQLite file (a database server) can answer the same questions.

use super::{DetailsReader, EntityDetails, RelationDetails, StoreError};

/// Answers detail queries by database id. `Send`, so that it can live on
/// the thread that answers them; `&mut self`, so that an implementation may
/// keep a connection or a cache.
pub trait DetailsProvider: Send {
    /// The entity's full record, or None when the source has no such entity.
    fn entity(&mut self, id: i64) -> Result<Option<EntityDetails>, StoreError>;

    /// The relation's record with every excerpt that supports it and their
    /// documents, or None when the source has no such relation.
    fn relation(&mut self, id: i64) -> Result<Option<RelationDetails>, StoreError>;
}

impl DetailsProvider for DetailsReader {
    fn entity(&mut self, id: i64) -> Result<Option<EntityDetails>, StoreError> {
        DetailsReader::entity(self, id)
    }

    fn relation(&mut self, id: i64) -> Result<Option<RelationDetails>, StoreError> {
        DetailsReader::relation(self, id)
    }
}
