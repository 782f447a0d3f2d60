//! Bringing other tools' graphs in: each importer reads bytes (never a
//! path) and writes a new graph file through [`GraphWriter`], the writer
//! that `generate` uses too. The new file is then opened like any other, so
//! details, saving, exports and every tool work on it unchanged.
//!
//! [`registry`] picks the importer by sniffing the first bytes and the
//! file's extension. Importers stream: memory is bounded by the graph (the
//! id maps), not by the input. What an importer skips or changes is written
//! into the new file as `file:line: message` notes ([`GraphWriter::note`]),
//! and the load report lists them whenever the file is opened.
//!
//! Nothing in `view/` knows about formats.
//!
//! [`source_text`] stands apart: it reads source documents (an article as
//! text, a web page, a saved page, a PDF) for the reader, not graphs.

pub mod csv;
pub mod dates;
pub mod ftm;
pub mod gexf;
pub mod graphml;
pub mod ids;
pub mod input;
pub mod notes;
pub mod registry;
pub mod source_text;
pub mod stix;
pub mod xml;

use std::path::PathBuf;

pub use input::{ImportInput, Progress};
pub use registry::{Format, import_files, sniff, sniff_path};

use crate::store::StoreError;
pub use crate::store::writer::GraphWriter;

/// Why an import stopped. Problems with single elements are not errors:
/// they are notes in the new file and the rest is imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the import was cancelled")]
    Cancelled,
    #[error("could not read {file}: {source}")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// The input is not well-formed where the importer cannot go on.
    #[error("{file}:{line}: {message}")]
    Malformed {
        file: String,
        line: u64,
        message: String,
    },
    /// The input uses something that is refused on purpose (an XML entity
    /// declaration, a hyperedge, …).
    #[error("{file}: {message}")]
    Refused { file: String, message: String },
    #[error(
        "{file}: its format is not one Linkscope imports (GEXF, GraphML, CSV, FollowTheMoney JSON lines, STIX 2.1 JSON); name it with --format"
    )]
    Unrecognised { file: String },
    #[error("{file}: {message}")]
    Options { file: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    /// Turns a reader's error into the import's: a cancel from
    /// [`input::CountingReader`] stays a cancel.
    pub fn read(file: &str, source: std::io::Error) -> Self {
        if input::is_cancel(&source) {
            Self::Cancelled
        } else {
            Self::Read {
                file: file.to_owned(),
                source,
            }
        }
    }
}

/// What an import wrote, for the CLI and the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub format: Format,
    pub output: Option<PathBuf>,
    pub entities: u64,
    pub relations: u64,
    pub documents: u64,
    pub excerpts: u64,
    /// Elements skipped or changed, each a note in the new file.
    pub notes: u64,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "imported {} as {} entities, {} relations, {} documents and {} excerpts",
            self.format.name(),
            self.entities,
            self.relations,
            self.documents,
            self.excerpts
        )?;
        if self.notes > 0 {
            write!(
                f,
                "; {} elements skipped or changed (see the load report)",
                self.notes
            )?;
        }
        Ok(())
    }
}

/// Options an import may take beyond its input.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The format, when the user named it; else sniffed.
    pub format: Option<Format>,
    /// A CSV mapping (TOML text), from `--mapping` or the mapping dialog.
    pub csv_mapping: Option<String>,
}
