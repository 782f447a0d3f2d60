//! Citations, Markdown cells and spreadsheet safety, against hand-written
//! expected text.

use super::*;
use crate::store::DocumentInfo;

fn field(text: &str) -> Field {
    Field {
        text: Some(text.to_owned()),
        ..Field::default()
    }
}

fn excerpt() -> Excerpt {
    Excerpt {
        id: 7,
        text: field("They met in Kabul."),
        locator: field("para. 3"),
        credibility: field("2"),
        document: DocumentInfo {
            id: 3,
            title: field("A meeting"),
            author: field("A. Writer"),
            publisher: field("Ufuq News"),
            url: field("https://example.org/a"),
            published: field("2024-03-01"),
            language: field("en"),
            reliability: field("B"),
        },
        stance: crate::model::capture::Stance::Supports,
        source_span: None,
        anchor_state: None,
        fuzzy: None,
        note: None,
        captured_at: None,
    }
}

#[test]
fn a_citation_names_the_document_and_its_grades() {
    assert_eq!(
        citation(&excerpt()),
        "“They met in Kabul.” — A. Writer, “A meeting”, Ufuq News, 2024-03-01, para. 3. https://example.org/a (reliability B, credibility 2)"
    );
}

#[test]
fn a_citation_leaves_out_what_is_missing() {
    let mut bare = excerpt();
    bare.locator = Field::default();
    bare.credibility = Field::default();
    bare.document.author = field("  ");
    bare.document.url = Field::default();
    bare.document.reliability = Field::default();
    assert_eq!(
        citation(&bare),
        "“They met in Kabul.” — “A meeting”, Ufuq News, 2024-03-01."
    );
    bare.document.title = Field::default();
    bare.document.publisher = Field::default();
    bare.document.published = Field::default();
    assert_eq!(citation(&bare), "“They met in Kabul.”");
}

#[test]
fn a_cut_excerpt_says_it_is_cut() {
    let mut cut = excerpt();
    cut.text.full_bytes = Some(30_000_000);
    cut.text.problem = Some("cut: the full text is 28.6 MiB; only its first 1 MiB is read".into());
    let text = citation(&cut);
    assert!(
        text.starts_with("“They met in Kabul.…” [excerpt cut: the full text is 28.6 MiB"),
        "{text}"
    );
}

#[test]
fn markdown_text_stays_in_its_cell() {
    assert_eq!(
        markdown_text("a | b\r\nc\n# d [x](y) <b>"),
        "a \\| b<br>c<br>\\# d \\[x\\](y) \\<b\\>"
    );
}

#[test]
fn spreadsheet_formulas_are_defused() {
    assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
    assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
    assert_eq!(
        spreadsheet_safe("Plain text, = later"),
        "Plain text, = later"
    );
}

#[test]
fn the_format_follows_the_extension() {
    assert_eq!(
        EvidenceFormat::from_path(Path::new("a.MD")),
        EvidenceFormat::Markdown
    );
    assert_eq!(
        EvidenceFormat::from_path(Path::new("a.csv")),
        EvidenceFormat::Csv
    );
    assert_eq!(
        EvidenceFormat::from_path(Path::new("a")),
        EvidenceFormat::Csv
    );
}
