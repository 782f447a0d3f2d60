//! Help ▸ User Guide and Help ▸ About, through the real UI, and the list
//! of bundled crates that About shows, against `cargo metadata`.

use std::collections::BTreeSet;

use egui_kittest::kittest::Queryable as _;

use crate::select::open_sample;

fn open_help_item(
    harness: &mut egui_kittest::Harness<'_, linkscope::app::LinkscopeApp>,
    item: &str,
) {
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness.get_by_label(item).click();
    harness.run_steps(4);
}

/// The guide's headings, as the repository's guide has them.
fn guide_headings() -> Vec<String> {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guide.md")).unwrap();
    guide
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_user_guide_opens_from_the_help_menu_and_escape_closes_it() {
    let mut harness = open_sample();
    // The guide's code blocks have a copy button drawn with a glyph of
    // egui's emoji font ("🗐"), which the app loads and the harness does not.
    harness
        .ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    open_help_item(&mut harness, "User Guide");
    assert!(harness.state().is_guide_open());
    let headings = guide_headings();
    assert!(headings.len() >= 5, "the guide has sections");
    // The first sections are in view; the window scrolls to the rest.
    for heading in &headings[..2] {
        assert!(
            harness.query_all_by_label(heading).next().is_some(),
            "{heading:?} is not shown"
        );
    }
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().is_guide_open());
    assert!(harness.query_all_by_label(&headings[0]).next().is_none());
}

#[test]
fn about_names_the_version_its_commit_and_the_licences() {
    let mut harness = open_sample();
    open_help_item(&mut harness, "About Linkscope");
    let version = format!("Version {}", linkscope::VERSION);
    assert!(version.contains("(commit "), "{version}");
    harness.get_by_label(&version);
    harness.get_by_label("Ubuntu Font Licence 1.0");
    let crates = linkscope::view::about::third_party_crates().count();
    harness.get_by_label(&format!("Crates compiled in ({crates})"));
    // The first rows of the list, alphabetically.
    let [name, version, licence, _] = linkscope::view::about::third_party_crates().next().unwrap();
    harness.get_by_label(&format!("{name} {version}"));
    assert!(harness.query_all_by_label(licence).next().is_some());
}

/// `packaging/third-party.tsv` (written by scripts/third-party.sh, in
/// Python) lists exactly the crates compiled into the app, as worked out
/// here from `cargo metadata` in Rust: every crate reached from linkscope
/// through normal or build dependencies, on any platform.
#[test]
fn third_party_list_is_current() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let metadata = |offline: bool| {
        let mut command = std::process::Command::new(&cargo);
        command
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if offline {
            command.arg("--offline");
        }
        command.output().unwrap()
    };
    // A build downloads only this platform's crates; the metadata of the
    // others (accesskit_ios, say) is fetched when the cache lacks it.
    let mut output = metadata(true);
    if !output.status.success() {
        output = metadata(false);
    }
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages: std::collections::HashMap<&str, (&str, &str)> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| {
            (
                package["id"].as_str().unwrap(),
                (
                    package["name"].as_str().unwrap(),
                    package["version"].as_str().unwrap(),
                ),
            )
        })
        .collect();
    let nodes: std::collections::HashMap<&str, &serde_json::Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| (node["id"].as_str().unwrap(), node))
        .collect();
    let root = metadata["resolve"]["root"].as_str().unwrap();
    let mut reached = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let compiled_in = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|kind| kind["kind"].as_str() != Some("dev"));
            let pkg = dep["pkg"].as_str().unwrap();
            if compiled_in && reached.insert(pkg) {
                stack.push(pkg);
            }
        }
    }
    let expected: BTreeSet<(String, String)> = reached
        .iter()
        .map(|id| (packages[id].0.to_owned(), packages[id].1.to_owned()))
        .collect();
    let listed: BTreeSet<(String, String)> = linkscope::view::about::third_party_crates()
        .map(|[name, version, _, _]| (name.to_owned(), version.to_owned()))
        .collect();
    assert_eq!(
        listed.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "packaging/third-party.tsv is out of date: run scripts/third-party.sh"
    );
}

fn first_start_on_the_sample() -> egui_kittest::Harness<'static, linkscope::app::LinkscopeApp> {
    let mut harness = crate::ui::harness_with(
        linkscope::app::AppOptions {
            offer_start_here: true,
            ..linkscope::app::AppOptions::default()
        },
        egui::vec2(1200.0, 800.0),
    );
    crate::ui::step_until(&mut harness, "the bundled sample", |app| {
        app.graph().is_some()
    });
    harness.run_steps(2);
    harness
}

/// Opens the bundled sample again: a dismissed card does not come back.
fn the_card_stays_away_when_the_sample_opens_again(
    harness: &mut egui_kittest::Harness<'static, linkscope::app::LinkscopeApp>,
) {
    crate::ui::click_file_menu_item(harness, "Open Bundled Sample");
    crate::ui::step_until(harness, "the sample again", |app| app.graph().is_some());
    harness.run_steps(2);
    assert!(harness.query_by_label("Start here").is_none());
}

/// A first start with the sample shows the card with its three tries;
/// "Got it" puts it away for good, even when the sample opens again.
#[test]
fn the_start_here_card_shows_three_tries_until_dismissed() {
    let mut harness = first_start_on_the_sample();
    assert!(harness.state().is_start_here_shown());
    harness.get_by_label("Start here");
    for title in [
        "1. Read the evidence",
        "2. Find, focus and trace",
        "3. Export for a report",
    ] {
        harness.get_by_label(title);
    }
    harness.get_by_label_contains("Ctrl+F and type part of a name");
    harness.get_by_label("Got it").click();
    harness.run_steps(2);
    assert!(!harness.state().is_start_here_shown());
    assert!(harness.query_by_label("Start here").is_none());
    the_card_stays_away_when_the_sample_opens_again(&mut harness);
}

/// Escape puts the card away as Got it does, before it clears anything.
#[test]
fn escape_dismisses_the_start_here_card() {
    let mut harness = first_start_on_the_sample();
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().is_start_here_shown());
    the_card_stays_away_when_the_sample_opens_again(&mut harness);
}

/// The card's link opens the guide, and the card goes.
#[test]
fn the_start_here_card_leads_to_the_user_guide() {
    let mut harness = first_start_on_the_sample();
    harness
        .ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    harness.get_by_label("User Guide").click();
    harness.run_steps(3);
    assert!(harness.state().is_guide_open());
    // The guide itself names the card: look for the card's own words.
    assert!(!harness.state().is_start_here_shown());
    assert!(
        harness
            .query_by_label("Three things to try on this sample:")
            .is_none()
    );
}

/// Another file never shows the card.
#[test]
fn a_file_of_ones_own_shows_no_start_here_card() {
    let mut harness = crate::ui::harness_with(
        linkscope::app::AppOptions {
            file: Some(crate::ui::sample_path()),
            offer_start_here: true,
            ..linkscope::app::AppOptions::default()
        },
        egui::vec2(1200.0, 800.0),
    );
    crate::ui::step_until(&mut harness, "the file", |app| app.graph().is_some());
    harness.run_steps(2);
    assert!(!harness.state().is_start_here_shown());
    assert!(harness.query_by_label("Start here").is_none());
}
