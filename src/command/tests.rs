use super::*;

#[test]
fn no_two_commands_share_a_binding() {
    let mut seen = std::collections::HashMap::new();
    for command in UiCommand::ALL {
        for shortcut in command.shortcuts() {
            let key = (shortcut.logical_key, shortcut.modifiers);
            if let Some(other) = seen.insert(key, command) {
                panic!("{command:?} and {other:?} share {shortcut:?}");
            }
        }
    }
    assert!(seen.len() >= 6);
}

/// The user guide's shortcut table is the registry's, as written on Linux
/// and Windows.
#[test]
fn the_guide_lists_every_shortcut() {
    let guide = include_str!("../../docs/guide.md");
    for command in UiCommand::ALL {
        for shortcut in command.shortcuts() {
            let keys = shortcut.format(&egui::ModifierNames::NAMES, false);
            let row = format!("| {keys} | {} |", command.description());
            assert!(guide.contains(&row), "docs/guide.md lacks the row {row}");
        }
    }
}

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
