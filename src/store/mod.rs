//! SQLite in and out: opening untrusted graph files, streaming them into the
//! model, reading evidence on demand, and writing synthetic files.

mod anchors;
pub mod capture;
mod capture_details;
mod capture_write;
mod citations;
mod claims;
mod confirm;
pub mod corrections;
mod details;
pub mod dump;
mod error;
mod evidence;
mod explore;
mod find;
mod generate;
pub mod graph_rows;
mod id_bytes;
mod id_set;
mod import_notes;
mod limits;
mod load;
mod open;
mod project;
mod provider;
mod recovery;
mod report;
mod rows;
mod sample;
pub mod scene_copy;
mod text_scan;
mod values;
mod view_state;
pub mod writer;

pub use anchors::{AnchorCheck, DocumentLabel, anchor_report, document_labels};
pub use capture_details::CapturedDetails;
pub use citations::{CitedDocument, documents_cited_by};
pub use claims::load_claims;
pub use details::{
    DetailsReader, DocumentInfo, EntityDetails, Excerpt, Field, RelationDetails, is_disputed,
};
pub use error::StoreError;
pub use evidence::{EvidenceReader, RelationEvidence};
pub use explore::SqliteExplorer;
pub use find::{
    ExcerptHit, ExcerptSearch, Snippet, edges_by_db_id, find_entities, find_in_excerpts,
    rank_descriptions,
};
pub use generate::{GenerateOptions, generate_graph_file, planted_community};
pub use limits::{
    LONG_TEXT_MAX_BYTES, PROPERTIES_MAX_BYTES, READ_WHOLE_MAX_BYTES, SHORT_TEXT_MAX_BYTES,
    SMALL_VALUE_MAX_BYTES, URL_MAX_BYTES, human_bytes,
};
pub use load::{LOAD_STAGES, LoadProgress, LoadedGraph, load_graph, sqlite_relation_scan_ms};
pub use open::{FORMAT_VERSION, TableSpec};
pub use project::{APP_TABLES, SaveOutcome, save_view, save_view_as, save_view_with};
pub use provider::DetailsProvider;
pub use recovery::{RecoveredCopy, has_unfinished_save};
pub use report::{GraphCounts, LoadReport, ProblemAction, RowProblem};
pub use sample::{SAMPLE_FILE_NAME, bundled_sample_path};
pub use text_scan::{ScanEnd, TextScanner};
pub use values::is_iso_date;
pub use view_state::{
    MAX_COORDINATE, MAX_SAVED_SELECTION, SavedCamera, SavedFocus, SavedPosition, SavedSelection,
    VIEW_STATE_VERSION, ViewState, ViewStateError, is_valid_position,
};
