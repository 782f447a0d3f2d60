//! Evidence tables and citations for reports: each relation with the
//! excerpts it cites and their documents, as CSV (one row per relation and
//! excerpt, one per unsupported relation; the note says where an excerpt
//! contradicts its relation) or as Markdown (a table of relations whose
//! sources are footnotes). The window's export, its
//! "Copy as citation" button and `linkscope evidence` all write through
//! here, so they agree byte for byte. No egui.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::store::{EvidenceReader, Excerpt, Field, RelationEvidence, StoreError, is_disputed};

/// Said in a table where a relation cites no excerpt.
pub const UNSUPPORTED_NOTE: &str = "unsupported: the relation cites no excerpt";
/// Said of an excerpt that speaks against the relation citing it.
pub const CONTRADICTS_NOTE: &str = "contradicts the relation";
/// Said of a relation whose every excerpt contradicts it.
pub const DISPUTED_NOTE: &str = crate::export::path_report::DISPUTED_HOP;

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 20] = [
    "relation_id",
    "subject",
    "label",
    "kind",
    "object",
    "date_start",
    "date_end",
    "excerpt_id",
    "excerpt_text",
    "locator",
    "credibility",
    "document_id",
    "title",
    "author",
    "publisher",
    "published",
    "url",
    "reliability",
    "language",
    "note",
];

/// How an evidence table is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EvidenceFormat {
    Csv,
    Markdown,
}

impl EvidenceFormat {
    /// Markdown for `.md` and `.markdown`, CSV for anything else.
    pub fn from_path(path: &Path) -> Self {
        match path.extension().and_then(|extension| extension.to_str()) {
            Some(extension)
                if extension.eq_ignore_ascii_case("md")
                    || extension.eq_ignore_ascii_case("markdown") =>
            {
                Self::Markdown
            }
            _ => Self::Csv,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Markdown => "md",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Csv => "CSV",
            Self::Markdown => "Markdown",
        }
    }
}

/// Why an evidence table could not be written.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not write the evidence table ({source}): {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the export was cancelled")]
    Cancelled,
}

/// What was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EvidenceSummary {
    pub relations: usize,
    pub excerpt_rows: usize,
    pub unsupported: usize,
}

/// Writes the evidence of `relation_ids` (by id, each once; ids the file
/// lacks are left out) to `out`. `done` counts the relations read so far; setting
/// `cancel` stops at the next relation.
pub fn write_evidence_table(
    reader: &EvidenceReader,
    relation_ids: &[i64],
    format: EvidenceFormat,
    out: &mut dyn Write,
    done: &AtomicUsize,
    cancel: &AtomicBool,
) -> Result<EvidenceSummary, EvidenceExportError> {
    let io = |source| EvidenceExportError::Io {
        path: PathBuf::from("(output)"),
        source,
    };
    let mut relation_ids = relation_ids.to_vec();
    relation_ids.sort_unstable();
    relation_ids.dedup();
    let mut summary = EvidenceSummary::default();
    let mut table = match format {
        EvidenceFormat::Csv => {
            let mut writer = csv::Writer::from_writer(&mut *out);
            writer.write_record(CSV_COLUMNS).map_err(csv_io)?;
            Table::Csv(Box::new(writer))
        }
        EvidenceFormat::Markdown => {
            writeln!(
                out,
                "| Relation | Subject | Link | Object | Dates | Sources |"
            )
            .map_err(io)?;
            writeln!(out, "|---|---|---|---|---|---|").map_err(io)?;
            Table::Markdown {
                out: &mut *out,
                footnotes: BTreeMap::new(),
            }
        }
    };
    for id in relation_ids {
        if cancel.load(Ordering::Relaxed) {
            return Err(EvidenceExportError::Cancelled);
        }
        let evidence = match reader.relation(id) {
            Ok(evidence) => evidence,
            Err(_) if cancel.load(Ordering::Relaxed) => return Err(EvidenceExportError::Cancelled),
            Err(error) => return Err(error.into()),
        };
        done.fetch_add(1, Ordering::Relaxed);
        let Some(evidence) = evidence else {
            continue;
        };
        summary.relations += 1;
        if evidence.relation.excerpts.is_empty() {
            summary.unsupported += 1;
        }
        summary.excerpt_rows += evidence.relation.excerpts.len();
        table.relation(&evidence)?;
    }
    table.finish()?;
    Ok(summary)
}

/// Writes the table to `target` through a file beside it, renamed into
/// place when complete: a failed or cancelled export leaves nothing behind.
pub fn write_evidence_file(
    reader: &EvidenceReader,
    relation_ids: &[i64],
    format: EvidenceFormat,
    target: &Path,
    done: &AtomicUsize,
    cancel: &AtomicBool,
) -> Result<EvidenceSummary, EvidenceExportError> {
    let io = |source| EvidenceExportError::Io {
        path: target.to_path_buf(),
        source,
    };
    let mut partial_name = target.file_name().unwrap_or_default().to_os_string();
    partial_name.push(".partial");
    let partial = target.with_file_name(partial_name);
    let written = (|| {
        let file = std::fs::File::create(&partial).map_err(io)?;
        let mut out = std::io::BufWriter::new(file);
        let summary = write_evidence_table(reader, relation_ids, format, &mut out, done, cancel)
            .map_err(|error| match error {
                EvidenceExportError::Io { source, .. } => io(source),
                other => other,
            })?;
        out.flush().map_err(io)?;
        std::fs::rename(&partial, target).map_err(io)?;
        Ok(summary)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

fn csv_io(error: csv::Error) -> EvidenceExportError {
    let source = match error.into_kind() {
        csv::ErrorKind::Io(source) => source,
        other => std::io::Error::other(format!("{other:?}")),
    };
    EvidenceExportError::Io {
        path: PathBuf::from("(output)"),
        source,
    }
}

/// The CSV columns that hold ids (relation, excerpt, document): numbers,
/// written as they are.
const ID_COLUMNS: [usize; 3] = [0, 7, 11];

/// A text cell that a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return: OWASP's "CSV injection")
/// gets a leading apostrophe, so a stranger's file cannot put a live formula
/// into the analyst's spreadsheet. The text after it is unchanged.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

enum Table<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Markdown {
        out: &'a mut dyn Write,
        /// Each cited excerpt's citation, by excerpt id.
        footnotes: BTreeMap<i64, String>,
    },
}

impl Table<'_> {
    fn relation(&mut self, evidence: &RelationEvidence) -> Result<(), EvidenceExportError> {
        match self {
            Self::Csv(writer) => {
                for row in csv_rows(evidence) {
                    let row = row.iter().enumerate().map(|(column, cell)| {
                        if ID_COLUMNS.contains(&column) {
                            cell.as_bytes().to_vec()
                        } else {
                            spreadsheet_safe(cell).into_owned().into_bytes()
                        }
                    });
                    writer.write_record(row).map_err(csv_io)?;
                }
                Ok(())
            }
            Self::Markdown { out, footnotes } => {
                let row = markdown_row(evidence);
                writeln!(out, "{row}").map_err(|source| EvidenceExportError::Io {
                    path: PathBuf::from("(output)"),
                    source,
                })?;
                for excerpt in &evidence.relation.excerpts {
                    footnotes
                        .entry(excerpt.id)
                        .or_insert_with(|| markdown_text(&citation(excerpt)));
                }
                Ok(())
            }
        }
    }

    fn finish(self) -> Result<(), EvidenceExportError> {
        let io = |source| EvidenceExportError::Io {
            path: PathBuf::from("(output)"),
            source,
        };
        match self {
            Self::Csv(mut writer) => writer.flush().map_err(io),
            Self::Markdown { out, footnotes } => {
                if !footnotes.is_empty() {
                    writeln!(out).map_err(io)?;
                }
                for (id, text) in footnotes {
                    writeln!(out, "[^e{id}]: {text}").map_err(io)?;
                }
                Ok(())
            }
        }
    }
}

fn text(field: &Field) -> &str {
    field.as_deref().map_or("", str::trim)
}

/// The field's trimmed text, if it has any.
fn present(field: &Field) -> Option<&str> {
    Some(text(field)).filter(|text| !text.is_empty())
}

/// A field's problem, named, for the note column.
fn problem(name: &str, field: &Field, notes: &mut Vec<String>) {
    if let Some(problem) = &field.problem {
        notes.push(format!("{name} {problem}"));
    }
}

/// One CSV row per excerpt, or one row for an unsupported relation.
fn csv_rows(evidence: &RelationEvidence) -> Vec<Vec<String>> {
    let relation = &evidence.relation;
    let mut relation_notes = Vec::new();
    for (name, field) in [
        ("subject", &evidence.subject),
        ("label", &relation.label),
        ("kind", &relation.kind),
        ("object", &evidence.object),
        ("date_start", &relation.date_start),
        ("date_end", &relation.date_end),
    ] {
        problem(name, field, &mut relation_notes);
    }
    let relation_cells = [
        relation.id.to_string(),
        text(&evidence.subject).to_owned(),
        text(&relation.label).to_owned(),
        text(&relation.kind).to_owned(),
        text(&evidence.object).to_owned(),
        text(&relation.date_start).to_owned(),
        text(&relation.date_end).to_owned(),
    ];
    if relation.excerpts.is_empty() {
        let mut row = relation_cells.to_vec();
        row.extend(std::iter::repeat_n(String::new(), 12));
        relation_notes.insert(0, UNSUPPORTED_NOTE.to_owned());
        row.push(relation_notes.join("; "));
        return vec![row];
    }
    if is_disputed(&relation.excerpts) {
        relation_notes.insert(0, DISPUTED_NOTE.to_owned());
    }
    relation
        .excerpts
        .iter()
        .map(|excerpt| {
            let document = &excerpt.document;
            let mut notes = relation_notes.clone();
            if excerpt.contradicts() {
                notes.push(CONTRADICTS_NOTE.to_owned());
            }
            for (name, field) in [
                ("excerpt_text", &excerpt.text),
                ("locator", &excerpt.locator),
                ("credibility", &excerpt.credibility),
                ("title", &document.title),
                ("author", &document.author),
                ("publisher", &document.publisher),
                ("published", &document.published),
                ("url", &document.url),
                ("reliability", &document.reliability),
                ("language", &document.language),
            ] {
                problem(name, field, &mut notes);
            }
            let mut row = relation_cells.to_vec();
            row.extend([
                excerpt.id.to_string(),
                excerpt_text(excerpt),
                text(&excerpt.locator).to_owned(),
                text(&excerpt.credibility).to_owned(),
                document.id.to_string(),
                text(&document.title).to_owned(),
                text(&document.author).to_owned(),
                text(&document.publisher).to_owned(),
                text(&document.published).to_owned(),
                text(&document.url).to_owned(),
                text(&document.reliability).to_owned(),
                text(&document.language).to_owned(),
                notes.join("; "),
            ]);
            row
        })
        .collect()
}

/// The excerpt's text as stored (not trimmed: it is a quotation), ending in
/// "…" when only its first part was read.
fn excerpt_text(excerpt: &Excerpt) -> String {
    let ellipsis = if excerpt.text.is_cut() { "…" } else { "" };
    format!("{}{ellipsis}", excerpt.text.as_deref().unwrap_or(""))
}

/// One excerpt with its document's reference, ready to paste into a report:
/// `“text” — Author, “Title”, Publisher, date, locator. URL (reliability B,
/// credibility 2)`, leaving out what the file does not give. A cut excerpt
/// says so after the quotation.
pub fn citation(excerpt: &Excerpt) -> String {
    let document = &excerpt.document;
    let mut out = format!("“{}”", excerpt_text(excerpt));
    if excerpt.text.is_cut()
        && let Some(problem) = &excerpt.text.problem
    {
        out.push_str(" [excerpt ");
        out.push_str(problem);
        out.push(']');
    }
    let reference: Vec<String> = [
        present(&document.author).map(str::to_owned),
        present(&document.title).map(|title| format!("“{title}”")),
        present(&document.publisher).map(str::to_owned),
        present(&document.published).map(str::to_owned),
        present(&excerpt.locator).map(str::to_owned),
    ]
    .into_iter()
    .flatten()
    .collect();
    let grades: Vec<String> = [
        present(&document.reliability).map(|grade| format!("reliability {grade}")),
        present(&excerpt.credibility).map(|grade| format!("credibility {grade}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut tail = Vec::new();
    if !reference.is_empty() {
        tail.push(format!("{}.", reference.join(", ")));
    }
    if let Some(url) = present(&document.url) {
        tail.push(url.to_owned());
    }
    if !grades.is_empty() {
        tail.push(format!("({})", grades.join(", ")));
    }
    if !tail.is_empty() {
        out.push_str(" — ");
        out.push_str(&tail.join(" "));
    }
    out
}

/// A relation as one Markdown table row, its sources as footnote marks.
fn markdown_row(evidence: &RelationEvidence) -> String {
    let relation = &evidence.relation;
    let link = match (text(&relation.label), text(&relation.kind)) {
        ("", kind) => kind,
        (label, _) => label,
    };
    let dates = match (text(&relation.date_start), text(&relation.date_end)) {
        ("", "") => String::new(),
        (start, "") => start.to_owned(),
        ("", end) => format!("until {end}"),
        (start, end) if start == end => start.to_owned(),
        (start, end) => format!("{start} – {end}"),
    };
    let sources = if relation.excerpts.is_empty() {
        format!("*{UNSUPPORTED_NOTE}*")
    } else {
        relation
            .excerpts
            .iter()
            .map(|excerpt| {
                if excerpt.contradicts() {
                    format!("[^e{}] ({CONTRADICTS_NOTE})", excerpt.id)
                } else {
                    format!("[^e{}]", excerpt.id)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let sources = if is_disputed(&relation.excerpts) {
        format!("*{DISPUTED_NOTE}*: {sources}")
    } else {
        sources
    };
    format!(
        "| {} | {} | {} | {} | {} | {sources} |",
        relation.id,
        markdown_text(text(&evidence.subject)),
        markdown_text(link),
        markdown_text(text(&evidence.object)),
        markdown_text(&dates),
    )
}

/// Text that stays one cell or one footnote, whatever it holds: Markdown's
/// punctuation is escaped (so a `|` cannot end a cell and a `[` cannot make
/// a link), line breaks become `<br>`, other control characters spaces.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("<br>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
