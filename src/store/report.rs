//! The load report: what was read, and every row that was skipped or had a
//! value ignored, with its table, id and reason.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use super::limits::{column_limit, human_bytes, too_large_reason};
use crate::words::count_text;

/// At most this many problems are listed one by one; the rest are counted,
/// so a file with millions of bad rows cannot exhaust memory.
pub const MAX_LISTED_PROBLEMS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemAction {
    /// The row was left out of the graph.
    Skipped,
    /// The row was kept, but one of its values was ignored.
    ValueIgnored,
    /// The row was kept with the first part of a text too long for its
    /// column.
    ValueCut,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    pub table: &'static str,
    /// The row's id, when it has a usable one.
    pub id: Option<i64>,
    pub action: ProblemAction,
    pub reason: String,
    /// The column, when one value too large for its column is the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<&'static str>,
    /// That value's size in the file, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_bytes: Option<u64>,
    /// How many bytes of it were kept (a cut value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_bytes: Option<u64>,
}

impl RowProblem {
    fn new(table: &'static str, id: Option<i64>, action: ProblemAction, reason: String) -> Self {
        Self {
            table,
            id,
            action,
            reason,
            column: None,
            value_bytes: None,
            kept_bytes: None,
        }
    }

    fn oversized(
        table: &'static str,
        id: Option<i64>,
        action: ProblemAction,
        column: &'static str,
        value_bytes: u64,
        reason: String,
    ) -> Self {
        Self {
            column: Some(column),
            value_bytes: Some(value_bytes),
            ..Self::new(table, id, action, reason)
        }
    }
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let action = match self.action {
            ProblemAction::Skipped => "skipped",
            ProblemAction::ValueIgnored => "value ignored",
            ProblemAction::ValueCut => "value cut",
        };
        match self.id {
            Some(id) => write!(f, "{} row {id}: {action}: {}", self.table, self.reason),
            None => write!(
                f,
                "{} row (no usable id): {action}: {}",
                self.table, self.reason
            ),
        }
    }
}

/// How many rows of each kind a graph has (the status bar's counts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GraphCounts {
    pub entities: usize,
    pub relations: usize,
    pub documents: usize,
    pub excerpts: usize,
    pub relation_excerpt_links: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LoadReport {
    pub path: PathBuf,
    pub format_version: i64,
    pub entities: usize,
    pub relations: usize,
    pub documents: usize,
    pub excerpts: usize,
    pub relation_excerpt_links: usize,
    pub unsupported_relations: usize,
    /// Relations that cite excerpts, every one of which contradicts them.
    /// Left out of `--json` when 0, so files without stances report as
    /// before.
    #[serde(skip_serializing_if = "is_zero")]
    pub disputed_relations: usize,
    pub rows_skipped: usize,
    pub values_ignored: usize,
    /// Texts too long for their column, kept cut (each is also listed).
    pub values_cut: usize,
    pub problems: Vec<RowProblem>,
    /// Problems counted but not listed (beyond [`MAX_LISTED_PROBLEMS`]).
    pub problems_not_listed: usize,
    /// File-level remarks: missing optional columns or evidence tables.
    pub notes: Vec<String>,
    /// What the importer that wrote the file skipped or changed, as
    /// `file:line: message` (the first ones), and how many in all.
    pub import_notes: Vec<String>,
    pub import_notes_total: u64,
    pub load_ms: u64,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(count: &usize) -> bool {
    *count == 0
}

impl LoadReport {
    pub(crate) fn skip(&mut self, table: &'static str, id: Option<i64>, reason: impl Into<String>) {
        self.rows_skipped += 1;
        self.push(RowProblem::new(
            table,
            id,
            ProblemAction::Skipped,
            reason.into(),
        ));
    }

    pub(crate) fn ignore_value(&mut self, table: &'static str, id: i64, reason: impl Into<String>) {
        self.values_ignored += 1;
        self.push(RowProblem::new(
            table,
            Some(id),
            ProblemAction::ValueIgnored,
            reason.into(),
        ));
    }

    /// A value of a row without an id of its own (a link) that was ignored.
    pub(crate) fn ignore_link_value(&mut self, table: &'static str, reason: impl Into<String>) {
        self.values_ignored += 1;
        self.push(RowProblem::new(
            table,
            None,
            ProblemAction::ValueIgnored,
            reason.into(),
        ));
    }

    /// A text longer than its column's limit, kept as its first
    /// `kept_bytes`.
    pub(crate) fn cut_value(
        &mut self,
        table: &'static str,
        id: i64,
        column: &'static str,
        value_bytes: u64,
        kept_bytes: u64,
    ) {
        self.values_cut += 1;
        let reason = format!(
            "{column} is {}, over the {} limit for this column; only its first {} is kept",
            human_bytes(value_bytes),
            human_bytes(column_limit(column).max_bytes),
            human_bytes(kept_bytes)
        );
        self.push(RowProblem {
            kept_bytes: Some(kept_bytes),
            ..RowProblem::oversized(
                table,
                Some(id),
                ProblemAction::ValueCut,
                column,
                value_bytes,
                reason,
            )
        });
    }

    /// A value too large for its column that was not read: the value is
    /// ignored, or the row skipped when the value is required.
    pub(crate) fn oversized_value(
        &mut self,
        table: &'static str,
        id: Option<i64>,
        column: &'static str,
        value_bytes: u64,
        max_bytes: u64,
        row_skipped: bool,
    ) {
        let mut reason = format!("{column} {}", too_large_reason(value_bytes, max_bytes));
        let action = if row_skipped {
            self.rows_skipped += 1;
            reason.push_str("; the row needs it");
            ProblemAction::Skipped
        } else {
            self.values_ignored += 1;
            ProblemAction::ValueIgnored
        };
        self.push(RowProblem::oversized(
            table,
            id,
            action,
            column,
            value_bytes,
            reason,
        ));
    }

    fn push(&mut self, problem: RowProblem) {
        if self.problems.len() < MAX_LISTED_PROBLEMS {
            self.problems.push(problem);
        } else {
            self.problems_not_listed += 1;
        }
    }

    /// Appends another part's problems and counts (the two load threads).
    pub(crate) fn merge(&mut self, other: Self) {
        self.rows_skipped += other.rows_skipped;
        self.values_ignored += other.values_ignored;
        self.values_cut += other.values_cut;
        self.relation_excerpt_links += other.relation_excerpt_links;
        self.problems_not_listed += other.problems_not_listed;
        for problem in other.problems {
            if self.problems.len() < MAX_LISTED_PROBLEMS {
                self.problems.push(problem);
            } else {
                self.problems_not_listed += 1;
            }
        }
        self.notes.extend(other.notes);
        self.import_notes.extend(other.import_notes);
        self.import_notes_total += other.import_notes_total;
    }

    /// What was read, as counts.
    pub fn counts(&self) -> GraphCounts {
        GraphCounts {
            entities: self.entities,
            relations: self.relations,
            documents: self.documents,
            excerpts: self.excerpts,
            relation_excerpt_links: self.relation_excerpt_links,
        }
    }

    /// One line for the status bar, with the counts read.
    pub fn summary(&self) -> String {
        self.summary_of(self.counts())
    }

    /// One line for the status bar, with `counts` (the graph as it is in
    /// memory now, which captures and their undo change) and this report's
    /// problems.
    pub fn summary_of(&self, counts: GraphCounts) -> String {
        let mut parts = vec![
            count_text(counts.entities, "entity", "entities"),
            count_text(counts.relations, "relation", "relations"),
        ];
        // Said once, here, rather than by marking every relation unsupported.
        if counts.documents == 0 {
            parts.push("no evidence (no documents)".to_owned());
        } else {
            parts.push(count_text(counts.documents, "document", "documents"));
            parts.push(count_text(counts.excerpts, "excerpt", "excerpts"));
            if counts.relation_excerpt_links == 0 && counts.relations > 0 {
                parts.push("no evidence (no relation cites an excerpt)".to_owned());
            }
        }
        for (count, singular, plural) in [
            (self.rows_skipped, "row skipped", "rows skipped"),
            (self.values_ignored, "value ignored", "values ignored"),
            (self.values_cut, "value cut", "values cut"),
        ] {
            if count > 0 {
                parts.push(count_text(count, singular, plural));
            }
        }
        parts.join(", ")
    }

    /// Whether anything was skipped, ignored or cut: worth the user's look.
    pub fn has_problems(&self) -> bool {
        self.rows_skipped + self.values_ignored + self.values_cut > 0
    }

    /// The report as `linkscope check` prints it.
    pub fn to_text(&self) -> String {
        // Said only where a relation is disputed: other files read as before.
        let disputed = if self.disputed_relations > 0 {
            format!(
                "; {} disputed: every excerpt cited contradicts",
                self.disputed_relations
            )
        } else {
            String::new()
        };
        let mut text = format!(
            "{}\nformat version {}\nentities: {}\nrelations: {} ({} unsupported: cite no excerpt{disputed})\ndocuments: {}\nexcerpts: {}\nrelation-excerpt links: {}\nrows skipped: {}\nvalues ignored: {}\nvalues cut: {}\n",
            self.path.display(),
            self.format_version,
            self.entities,
            self.relations,
            self.unsupported_relations,
            self.documents,
            self.excerpts,
            self.relation_excerpt_links,
            self.rows_skipped,
            self.values_ignored,
            self.values_cut,
        );
        for note in &self.notes {
            let _ = writeln!(text, "note: {note}");
        }
        for problem in &self.problems {
            let _ = writeln!(text, "  {problem}");
        }
        if self.problems_not_listed > 0 {
            let _ = writeln!(
                text,
                "  … and {} more problems not listed",
                self.problems_not_listed
            );
        }
        if self.import_notes_total > 0 {
            let _ = writeln!(
                text,
                "when it was imported, {} elements were skipped or changed:",
                self.import_notes_total
            );
            for note in &self.import_notes {
                let _ = writeln!(text, "  {note}");
            }
            let unlisted = self.import_notes_total - self.import_notes.len() as u64;
            if unlisted > 0 {
                let _ = writeln!(text, "  … and {unlisted} more not listed");
            }
        }
        text
    }
}
