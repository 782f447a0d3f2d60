//! Captured evidence on the command line: the anchor states that `check`
//! adds to its report, and `evidence --format w3c`.

use linkscope::model::anchor::AnchorState;
use linkscope::store::{self, AnchorCheck};

/// What `check` adds about captured excerpts: a text line (none when the
/// file has none) and the JSON fields. A file whose excerpts cannot be
/// re-anchored still gets its load report, with the reason in their place.
pub(super) struct AnchorSummary {
    checks: Result<Vec<AnchorCheck>, String>,
}

impl AnchorSummary {
    pub(super) fn of(file: &std::path::Path) -> Self {
        Self {
            checks: store::anchor_report(file).map_err(|error| error.to_string()),
        }
    }

    /// "Captured excerpts: 3 exact, 1 relocated, 0 fuzzy, 1 orphaned\n".
    pub(super) fn text(&self) -> String {
        match &self.checks {
            Ok(checks) if checks.is_empty() => String::new(),
            Ok(checks) => {
                let count = |state| checks.iter().filter(|check| check.state == state).count();
                format!(
                    "Captured excerpts: {} exact, {} relocated, {} fuzzy, {} orphaned\n",
                    count(AnchorState::Exact),
                    count(AnchorState::Relocated),
                    count(AnchorState::Fuzzy),
                    count(AnchorState::Orphaned),
                )
            }
            Err(error) => format!("Captured excerpts: not checked: {error}\n"),
        }
    }

    /// Adds `captured_excerpts` (`[{id, document, state}]`) to the report's
    /// JSON object, or `captured_excerpts_error` when they could not be read.
    pub(super) fn add_to_json(&self, report: &mut serde_json::Value) {
        let Some(object) = report.as_object_mut() else {
            return;
        };
        match &self.checks {
            Ok(checks) => {
                let list = checks
                    .iter()
                    .map(|check| {
                        serde_json::json!({
                            "id": check.excerpt_id,
                            "document": check.document_id,
                            "state": check.state.as_str(),
                        })
                    })
                    .collect();
                object.insert("captured_excerpts".into(), serde_json::Value::Array(list));
            }
            Err(error) => {
                object.insert("captured_excerpts_error".into(), error.clone().into());
            }
        }
    }
}

/// `linkscope evidence FILE --format w3c [--out PATH]`.
pub(crate) fn evidence_w3c(
    file: &std::path::Path,
    out: Option<&std::path::Path>,
) -> anyhow::Result<std::process::ExitCode> {
    use linkscope::export::captured::{captured_annotations, write_text_file};
    let text = captured_annotations(file)?;
    match out {
        Some(out) => write_text_file(out, &text)?,
        None => super::print_out(&text)?,
    }
    Ok(std::process::ExitCode::SUCCESS)
}
