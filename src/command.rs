//! Everything a user can ask for, from menus, shortcuts, panels or the
//! canvas. The UI returns these; the app runs them after the frame.

use std::path::PathBuf;

use crate::model::{EdgeIx, NodeIx};

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// File ▸ Open… (native dialog, or the path field where there is none).
    OpenDialog,
    /// Show the field where a path can be typed.
    PromptForPath,
    OpenPath(PathBuf),
    OpenSample,
    CancelLoad,
    FitView,
    ToggleLayout,
    RerunLayout,
    SelectNode(NodeIx),
    SelectEdge(EdgeIx),
    ClearSelection,
    /// Opens in the browser; the app checks it is http(s) first.
    OpenUrl(String),
    ShowReport,
    DismissMessage(usize),
    Quit,
}

/// Keyboard shortcuts, as shown in menus and the README.
pub const SHORTCUTS: [(&str, &str); 7] = [
    ("Ctrl+O", "Open a graph file"),
    ("F", "Fit the graph to the window"),
    ("Space", "Pause or resume the layout"),
    ("R", "Re-run the layout from the start"),
    ("Esc", "Clear the selection"),
    ("Ctrl+Q", "Quit"),
    ("Double-click a node", "Unpin it"),
];

/// Only http and https links are ever opened.
pub fn is_openable_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_open() {
        assert!(is_openable_url("https://ufuqnews.com/article"));
        assert!(is_openable_url("HTTP://example.org"));
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ftp://x",
            "https://",
            "https://a b",
            "smb://host/share",
            "",
        ] {
            assert!(!is_openable_url(bad), "{bad}");
        }
    }
}
