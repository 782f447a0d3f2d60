//! CSV import: a nodes file and an edges file, or an edges file alone
//! (its endpoints become the entities). Which file is which is told by
//! the header (or by the mapping); nodes files are read first.
//!
//! Recognised at once, in any case: Gephi's columns (`Id`, `Label`,
//! `Source`, `Target`, `Type` = `Directed`/`Undirected` on edges, `Kind`,
//! `Weight`, `Start`, `End`) and Neo4j admin-import headers (`:ID(Group)`,
//! `:START_ID`, `:END_ID`, `:TYPE`, `:LABEL`, `name:string`, `born:int`,
//! `roles:string[]`; the type suffix is stripped and `name` is the name).
//! Other columns become properties, numbers as JSON numbers.
//!
//! Anything else takes a mapping, TOML (`--mapping M.toml`), every key
//! optional:
//!
//! ```toml
//! delimiter = ";"              # ",", ";", "\t", "|", …; guessed when absent
//! encoding = "windows-1252"    # a WHATWG label; detected when absent
//! missing_endpoints = "create" # or "skip": an edge to an unknown id
//! unlisted = "guess"           # columns not listed: "guess", "property", "ignore"
//!
//! [nodes]
//! columns = { "Person ID" = "id", "Full name" = "name", "Type" = "kind", "Born" = "start" }
//! default_kind = "actor"       # else "other"
//!
//! [edges]
//! columns = { "From" = "source", "To" = "target", "Relation" = "relation_kind",
//!             "Quote" = "excerpt", "Article" = "document_title", "Link" = "url",
//!             "Notes" = "property", "Internal" = "ignore" }
//! default_kind = "met_with"    # else "linked_to"
//! ```
//!
//! Roles: `id`, `name`, `kind`, `description` (nodes); `source`, `target`,
//! `relation_kind`, `label`, `directed`, `excerpt`, `document_title`,
//! `url` (edges); `date` (start and end), `start`, `end`, `property`,
//! `ignore` (both). Column names match in any case.
//!
//! The encoding is a byte order mark's (UTF-8, UTF-16 LE/BE), else UTF-8
//! when the first 256 KiB are valid UTF-8, else Windows-1252; bytes that
//! are not text later are replaced and noted. Dates are kept as partial
//! as they are written (`2021`, `2021-08`); others are noted and dropped.
//! An edge row's excerpt becomes an excerpt of the document its title and
//! URL name (one document per title and URL), cited by the relation.
//! [`preview`] and [`dry_run`] read without writing, for a mapping dialog.

mod decode;
mod draft;
mod mapping;
mod rows;

use std::io::BufRead;

pub use decode::RECORD_MAX_BYTES;
pub use draft::{DELIMITERS, DraftFile, ENCODINGS, MappingDraft};
pub use mapping::{Mapping, MissingEndpoints, Role, Section, Side, Unlisted};

use self::decode::Decoded;
use self::mapping::Column;
use self::rows::{At, Builder, Sink};
use super::{GraphWriter, ImportError, ImportInput, ImportOptions};
use crate::store::writer::{NewDocument, NewEntity, NewRelation};

/// Reads `inputs` as CSV into `writer`.
pub fn import(
    inputs: &mut [ImportInput],
    writer: &mut GraphWriter,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let mapping = match &options.csv_mapping {
        Some(text) => Some(
            Mapping::from_toml(text).map_err(|message| ImportError::Options {
                file: "the CSV mapping".to_owned(),
                message,
            })?,
        ),
        None => None,
    };
    run(inputs, writer, mapping.as_ref())
}

/// One input, opened: its encoding and delimiter known, its header read.
struct Opened<'a> {
    name: String,
    encoding: &'static encoding_rs::Encoding,
    delimiter: u8,
    reader: ::csv::Reader<Decoded<&'a mut dyn BufRead>>,
    headers: Vec<String>,
}

fn open<'a>(
    input: &'a mut ImportInput,
    mapping: Option<&Mapping>,
) -> Result<Opened<'a>, ImportError> {
    let name = input.name.clone();
    let head = input
        .head()
        .map_err(|error| ImportError::read(&name, error))?;
    let encoding = match mapping.and_then(|mapping| mapping.encoding.as_deref()) {
        Some(label) => decode::encoding_for_label(label).ok_or_else(|| ImportError::Options {
            file: name.clone(),
            message: format!("the encoding {label:?} is not one Linkscope knows"),
        })?,
        None => decode::detect_encoding(head),
    };
    let delimiter = mapping
        .and_then(Mapping::delimiter_byte)
        .unwrap_or_else(|| {
            let head = &head[..head.len().min(64 * 1024)];
            decode::detect_delimiter(&encoding.decode_with_bom_removal(head).0)
        });
    let reader: &mut dyn BufRead = &mut input.reader;
    // Records end at `\n` only: with the parser's CRLF ending, a record
    // after `\r\n` would be placed on the line before. A `\r` left at a
    // field's end is trimmed with the other spaces.
    let mut reader = ::csv::ReaderBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .delimiter(delimiter)
        .flexible(true)
        .buffer_capacity(64 * 1024)
        .from_reader(Decoded::new(reader, encoding, delimiter));
    let headers = reader
        .headers()
        .map_err(|error| csv_error(&name, error))?
        .iter()
        .map(|header| header.trim().to_owned())
        .collect();
    Ok(Opened {
        name,
        encoding,
        delimiter,
        reader,
        headers,
    })
}

/// The import's error for the CSV parser's.
fn csv_error(file: &str, error: ::csv::Error) -> ImportError {
    let line = error.position().map_or(0, ::csv::Position::line);
    match error.into_kind() {
        ::csv::ErrorKind::Io(error) => match decode::too_long_line(&error) {
            Some((line, message)) => ImportError::Malformed {
                file: file.to_owned(),
                line,
                message,
            },
            None => ImportError::read(file, error),
        },
        other => ImportError::Malformed {
            file: file.to_owned(),
            line,
            message: format!("{other:?}"),
        },
    }
}

/// The side of an opened file, by the mapping or its header.
fn side_of(opened: &Opened<'_>, mapping: Option<&Mapping>) -> Result<Side, ImportError> {
    mapping
        .and_then(|mapping| mapping::mapped_side(&opened.headers, mapping))
        .or_else(|| mapping::guess_side(&opened.headers))
        .ok_or_else(|| ImportError::Options {
            file: opened.name.clone(),
            message: format!(
                "its columns ({}) name neither nodes (an id or name column) nor edges (source and target columns); give a mapping with --mapping",
                shown_headers(&opened.headers)
            ),
        })
}

fn shown_headers(headers: &[String]) -> String {
    let mut shown: Vec<&str> = headers.iter().take(12).map(String::as_str).collect();
    if headers.len() > shown.len() {
        shown.push("…");
    }
    shown.join(", ")
}

/// Reads every input into `sink`: nodes files first, then edges files.
fn run<S: Sink>(
    inputs: &mut [ImportInput],
    sink: &mut S,
    mapping: Option<&Mapping>,
) -> Result<(), ImportError> {
    if inputs.is_empty() {
        return Err(ImportError::Options {
            file: String::new(),
            message: "no input was given".to_owned(),
        });
    }
    let mut opened = Vec::with_capacity(inputs.len());
    for input in inputs.iter_mut() {
        let file = open(input, mapping)?;
        let side = side_of(&file, mapping)?;
        opened.push((side, file));
    }
    // Nodes first, each side in the order given.
    opened.sort_by_key(|(side, _)| *side == Side::Edges);
    let mut builder = Builder::new(sink);
    builder.nodes_given = opened.iter().any(|(side, _)| *side == Side::Nodes);
    if let Some(mapping) = mapping {
        builder.missing = mapping.missing_endpoints;
        if let Some(kind) = mapping
            .nodes
            .as_ref()
            .and_then(|s| s.default_kind.as_deref())
        {
            kind.clone_into(&mut builder.node_kind);
        }
        if let Some(kind) = mapping
            .edges
            .as_ref()
            .and_then(|s| s.default_kind.as_deref())
        {
            builder.relation_kind = rows::machine_word(kind);
        }
    }
    for (side, file) in &mut opened {
        read_file(&mut builder, *side, file, mapping)?;
    }
    Ok(())
}

fn read_file<S: Sink>(
    builder: &mut Builder<'_, S>,
    side: Side,
    file: &mut Opened<'_>,
    mapping: Option<&Mapping>,
) -> Result<(), ImportError> {
    let columns: Vec<Column> = mapping::resolve(&file.headers, side, mapping);
    let has = |role| columns.iter().any(|column| column.role == role);
    let complete = match side {
        Side::Nodes => has(Role::Id) || has(Role::Name),
        Side::Edges => has(Role::Source) && has(Role::Target),
    };
    if !complete {
        return Err(ImportError::Options {
            file: file.name.clone(),
            message: format!(
                "as a {} file it needs {} column (its columns: {})",
                if side == Side::Nodes {
                    "nodes"
                } else {
                    "edges"
                },
                if side == Side::Nodes {
                    "an id or a name"
                } else {
                    "a source and a target"
                },
                shown_headers(&file.headers)
            ),
        });
    }
    let mut record = ::csv::StringRecord::new();
    while file
        .reader
        .read_record(&mut record)
        .map_err(|error| csv_error(&file.name, error))?
    {
        let at = At {
            file: &file.name,
            line: record.position().map_or(0, ::csv::Position::line),
        };
        if record.len() > columns.len() {
            builder.note(
                at,
                &format!(
                    "{} values but {} columns; the extra values were ignored",
                    record.len(),
                    columns.len()
                ),
            )?;
        }
        match side {
            Side::Nodes => builder.node_row(at, &columns, &record)?,
            Side::Edges => builder.edge_row(at, &columns, &record)?,
        }
    }
    if file.reader.get_ref().replaced() {
        let message = format!(
            "bytes that are not {} text were replaced by U+FFFD",
            file.encoding.name()
        );
        builder.note(
            At {
                file: &file.name,
                line: 0,
            },
            &message,
        )?;
    }
    Ok(())
}

/// The first rows of a CSV file and what Linkscope makes of it, for a
/// mapping dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvPreview {
    pub file: String,
    /// The detected encoding's name (`UTF-8`, `UTF-16LE`, `windows-1252`).
    pub encoding: String,
    pub delimiter: char,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Nodes or edges, when the header tells.
    pub side: Option<Side>,
    /// The guessed role of each column.
    pub roles: Vec<Role>,
}

/// Reads the header and the first `rows` rows of `input` (consuming
/// them) and guesses what it holds; writes nothing.
pub fn preview(input: &mut ImportInput, rows: usize) -> Result<CsvPreview, ImportError> {
    preview_with(input, rows, None)
}

/// [`preview`] read as `mapping` says (its delimiter, encoding and
/// roles), where there is one.
pub fn preview_with(
    input: &mut ImportInput,
    rows: usize,
    mapping: Option<&Mapping>,
) -> Result<CsvPreview, ImportError> {
    let mut file = open(input, mapping)?;
    let side = mapping
        .and_then(|mapping| mapping::mapped_side(&file.headers, mapping))
        .or_else(|| mapping::guess_side(&file.headers));
    let roles = mapping::resolve(&file.headers, side.unwrap_or(Side::Nodes), mapping)
        .into_iter()
        .map(|column| column.role)
        .collect();
    let mut first = Vec::new();
    let mut record = ::csv::StringRecord::new();
    while first.len() < rows
        && file
            .reader
            .read_record(&mut record)
            .map_err(|error| csv_error(&file.name, error))?
    {
        first.push(record.iter().map(str::to_owned).collect());
    }
    Ok(CsvPreview {
        file: file.name,
        encoding: file.encoding.name().to_owned(),
        delimiter: char::from(file.delimiter),
        headers: file.headers,
        rows: first,
        side,
        roles,
    })
}

/// Previews of the files at `paths` (see [`preview_with`]).
pub fn preview_files(
    paths: &[std::path::PathBuf],
    rows: usize,
    mapping: Option<&Mapping>,
) -> Result<Vec<CsvPreview>, ImportError> {
    let progress = std::sync::Arc::new(super::Progress::default());
    let (mut inputs, _) = super::registry::open_inputs(paths, &progress)?;
    inputs
        .iter_mut()
        .map(|input| preview_with(input, rows, mapping))
        .collect()
}

/// [`dry_run`] of the files at `paths`.
pub fn dry_run_files(
    paths: &[std::path::PathBuf],
    mapping: Option<&Mapping>,
    progress: &std::sync::Arc<super::Progress>,
) -> Result<DryRunSummary, ImportError> {
    let (mut inputs, _) = super::registry::open_inputs(paths, progress)?;
    dry_run(&mut inputs, mapping)
}

/// A mapping that says what `previews` guessed, every column listed: the
/// start of a mapping dialog.
pub fn guess_mapping(previews: &[CsvPreview]) -> Mapping {
    let mut mapping = Mapping::default();
    if let Some(first) = previews.first() {
        mapping.delimiter = Some(first.delimiter.to_string());
        mapping.encoding = Some(first.encoding.clone());
    }
    for preview in previews {
        let Some(side) = preview.side else { continue };
        let section = match side {
            Side::Nodes => mapping.nodes.get_or_insert_with(Section::default),
            Side::Edges => mapping.edges.get_or_insert_with(Section::default),
        };
        for (header, role) in preview.headers.iter().zip(&preview.roles) {
            section.columns.entry(header.clone()).or_insert(*role);
        }
    }
    mapping
}

/// What an import would write, and its first problems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DryRunSummary {
    pub entities: u64,
    pub relations: u64,
    pub documents: u64,
    pub excerpts: u64,
    /// Rows skipped or changed (each would be a note).
    pub notes: u64,
    /// The first notes, as `file:line: message`.
    pub problems: Vec<String>,
}

/// How many problems a dry run lists.
const DRY_RUN_PROBLEMS: usize = 100;

impl Sink for DryRunSummary {
    fn entity(&mut self, _: NewEntity<'_>) -> Result<i64, ImportError> {
        self.entities += 1;
        Ok(self.entities as i64)
    }

    fn relation(&mut self, _: NewRelation<'_>) -> Result<i64, ImportError> {
        self.relations += 1;
        Ok(self.relations as i64)
    }

    fn document(&mut self, _: &NewDocument<'_>) -> Result<i64, ImportError> {
        self.documents += 1;
        Ok(self.documents as i64)
    }

    fn excerpt(&mut self, _: i64, _: &str) -> Result<i64, ImportError> {
        self.excerpts += 1;
        Ok(self.excerpts as i64)
    }

    fn cite(&mut self, _: i64, _: i64) -> Result<(), ImportError> {
        Ok(())
    }

    fn note(&mut self, file: &str, line: Option<u64>, message: &str) -> Result<(), ImportError> {
        self.notes += 1;
        if self.problems.len() < DRY_RUN_PROBLEMS {
            self.problems.push(match line {
                Some(line) if line > 0 => format!("{file}:{line}: {message}"),
                _ => format!("{file}: {message}"),
            });
        }
        Ok(())
    }
}

/// Reads `inputs` as an import with `mapping` would, writing nothing, and
/// counts what it would write.
pub fn dry_run(
    inputs: &mut [ImportInput],
    mapping: Option<&Mapping>,
) -> Result<DryRunSummary, ImportError> {
    let mut summary = DryRunSummary::default();
    run(inputs, &mut summary, mapping)?;
    Ok(summary)
}

#[cfg(test)]
mod tests;
