//! The load report: what was read, and every row that was skipped or had a
//! value ignored, with its table, id and reason.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

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
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    pub table: &'static str,
    /// The row's id, when it has a usable one.
    pub id: Option<i64>,
    pub action: ProblemAction,
    pub reason: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let action = match self.action {
            ProblemAction::Skipped => "skipped",
            ProblemAction::ValueIgnored => "value ignored",
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
    pub rows_skipped: usize,
    pub values_ignored: usize,
    pub problems: Vec<RowProblem>,
    /// Problems counted but not listed (beyond [`MAX_LISTED_PROBLEMS`]).
    pub problems_not_listed: usize,
    /// File-level remarks: missing optional columns or evidence tables.
    pub notes: Vec<String>,
    pub load_ms: u64,
}

impl LoadReport {
    pub(crate) fn skip(&mut self, table: &'static str, id: Option<i64>, reason: impl Into<String>) {
        self.rows_skipped += 1;
        self.push(table, id, ProblemAction::Skipped, reason.into());
    }

    pub(crate) fn ignore_value(&mut self, table: &'static str, id: i64, reason: impl Into<String>) {
        self.values_ignored += 1;
        self.push(table, Some(id), ProblemAction::ValueIgnored, reason.into());
    }

    fn push(
        &mut self,
        table: &'static str,
        id: Option<i64>,
        action: ProblemAction,
        reason: String,
    ) {
        if self.problems.len() < MAX_LISTED_PROBLEMS {
            self.problems.push(RowProblem {
                table,
                id,
                action,
                reason,
            });
        } else {
            self.problems_not_listed += 1;
        }
    }

    /// Appends another part's problems and counts (the two load threads).
    pub(crate) fn merge(&mut self, other: Self) {
        self.rows_skipped += other.rows_skipped;
        self.values_ignored += other.values_ignored;
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
    }

    /// One line for the status bar.
    pub fn summary(&self) -> String {
        let mut summary = format!(
            "{} entities, {} relations, {} documents, {} excerpts",
            self.entities, self.relations, self.documents, self.excerpts
        );
        if self.rows_skipped > 0 {
            let _ = write!(summary, ", {} rows skipped", self.rows_skipped);
        }
        if self.values_ignored > 0 {
            let _ = write!(summary, ", {} values ignored", self.values_ignored);
        }
        summary
    }

    /// The report as `linkscope check` prints it.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{}\nformat version {}\nentities: {}\nrelations: {} ({} unsupported: cite no excerpt)\ndocuments: {}\nexcerpts: {}\nrelation-excerpt links: {}\nrows skipped: {}\nvalues ignored: {}\n",
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
        text
    }
}
