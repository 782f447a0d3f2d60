use super::*;
use crate::model::anchor::SourceText;

/// "Hi 👨‍👩‍👧 ok 😀." : code points listed by hand, o at 9, k at 10.
const TEXT: &str = "Hi 👨\u{200D}👩\u{200D}👧 ok 😀.";

fn excerpts() -> Vec<W3cExcerpt> {
    let source = SourceText::new(TEXT);
    vec![
        W3cExcerpt {
            excerpt_id: Some(12),
            document_id: Some(7),
            document_url: Some("https://news.example/article?id=3&lang=en".to_owned()),
            document_title: Some("Contract \"awarded\" — report".to_owned()),
            anchor: source.anchor(9, 11),
            relation_ids: vec![5, 9],
            note: Some("second paragraph\nsee also p. 4".to_owned()),
            created_at: Some("2026-03-01T10:15:00Z".to_owned()),
        },
        // At the text's start (no prefix), no URL, no relation, no note.
        W3cExcerpt {
            excerpt_id: Some(13),
            document_id: Some(8),
            document_url: None,
            document_title: None,
            anchor: source.anchor(0, 8),
            relation_ids: Vec::new(),
            note: None,
            created_at: None,
        },
    ]
}

#[test]
fn export_then_import_gives_the_same_excerpts() {
    let excerpts = excerpts();
    assert_eq!(excerpts[1].anchor.quote, "Hi 👨\u{200D}👩\u{200D}👧");
    let json = write_annotations(&excerpts, "Captured evidence");
    let read = read_annotations(json.as_bytes()).unwrap();
    assert_eq!(read, excerpts);
}

#[test]
fn the_export_has_the_model_shapes_with_code_point_offsets() {
    let value: Value =
        serde_json::from_str(&write_annotations(&excerpts(), "Captured evidence")).unwrap();
    assert_eq!(value["@context"][0], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(value["type"], "AnnotationCollection");
    assert_eq!(value["total"], 2);
    assert_eq!(value["first"]["type"], "AnnotationPage");
    let first = &value["first"]["items"][0];
    assert_eq!(first["id"], "urn:linkscope:excerpt:12");
    assert_eq!(first["type"], "Annotation");
    assert_eq!(first["motivation"], "linking");
    assert_eq!(first["created"], "2026-03-01T10:15:00Z");
    assert_eq!(first["body"][0]["id"], "urn:linkscope:relation:5");
    assert_eq!(first["body"][2]["type"], "TextualBody");
    let target = &first["target"];
    assert_eq!(
        target["source"],
        "https://news.example/article?id=3&lang=en"
    );
    let selectors = &target["selector"];
    assert_eq!(selectors[0]["type"], "TextQuoteSelector");
    assert_eq!(selectors[0]["exact"], "ok");
    assert_eq!(selectors[0]["prefix"], "Hi 👨\u{200D}👩\u{200D}👧 ");
    assert_eq!(selectors[0]["suffix"], " 😀.");
    assert_eq!(selectors[1]["type"], "TextPositionSelector");
    // Code points, not UTF-8 bytes (14) or UTF-16 units (12).
    assert_eq!(
        (selectors[1]["start"].as_u64(), selectors[1]["end"].as_u64()),
        (Some(9), Some(11))
    );
    let second = &value["first"]["items"][1];
    assert_eq!(second["target"]["source"], "urn:linkscope:document:8");
    assert_eq!(second["motivation"], "highlighting");
    assert!(second["target"]["selector"][0].get("prefix").is_none());
    assert!(second.get("body").is_none());
}

/// Written by hand in the shapes of the model's own examples (4.2.4 Text
/// Quote Selector, 4.2.5 Text Position Selector, 5.2 Annotation Page).
const SPEC_STYLE_PAGE: &str = r#"{
  "@context": "http://www.w3.org/ns/anno.jsonld",
  "id": "http://example.org/page1",
  "type": "AnnotationPage",
  "startIndex": 0,
  "items": [
    {
      "id": "http://example.org/anno23",
      "type": "Annotation",
      "body": "http://example.org/comment1",
      "target": {
        "source": "http://example.org/page1",
        "selector": {
          "type": "TextQuoteSelector",
          "exact": "anotation",
          "prefix": "this is an ",
          "suffix": " that has some"
        }
      }
    },
    {
      "id": "http://example.org/anno24",
      "type": "Annotation",
      "motivation": "commenting",
      "body": {
        "type": "TextualBody",
        "value": "Sp: annotation",
        "format": "text/plain"
      },
      "target": [{
        "source": {"id": "http://example.org/ebook1", "type": "Text"},
        "selector": [
          {"type": "RangeSelector", "startSelector": {"type": "XPathSelector", "value": "//p[2]"}},
          {"type": "TextPositionSelector", "start": 412, "end": 421},
          {"type": "TextQuoteSelector", "exact": "anotation"}
        ]
      }]
    }
  ]
}"#;

#[test]
fn annotations_written_in_the_specs_style_are_read() {
    let read = read_annotations(SPEC_STYLE_PAGE.as_bytes()).unwrap();
    assert_eq!(read.len(), 2);
    assert_eq!(
        read[0],
        W3cExcerpt {
            document_url: Some("http://example.org/page1".to_owned()),
            anchor: TextAnchor {
                quote: "anotation".to_owned(),
                prefix: "this is an ".to_owned(),
                suffix: " that has some".to_owned(),
                ..TextAnchor::default()
            },
            ..W3cExcerpt::default()
        }
    );
    assert_eq!(
        read[1].document_url.as_deref(),
        Some("http://example.org/ebook1")
    );
    assert_eq!(
        (read[1].anchor.start_char, read[1].anchor.end_char),
        (412, 421)
    );
    assert_eq!(read[1].note.as_deref(), Some("Sp: annotation"));
    assert!(read[1].anchor.anchored_sha256.is_empty());

    // The same annotations one by one, and as a plain array.
    let value: Value = serde_json::from_str(SPEC_STYLE_PAGE).unwrap();
    let one = value["items"][0].to_string();
    assert_eq!(read_annotations(one.as_bytes()).unwrap(), read[..1]);
    let array = value["items"].to_string();
    assert_eq!(read_annotations(array.as_bytes()).unwrap(), read);
}

#[test]
fn malformed_input_is_a_typed_error() {
    let error = |json: &str| read_annotations(json.as_bytes()).unwrap_err();
    assert!(matches!(error("not json"), W3cError::Json(_)));
    assert!(matches!(
        read_annotations(b"\xff\xfe{}").unwrap_err(),
        W3cError::Json(_)
    ));
    assert!(matches!(error(&"[".repeat(100_000)), W3cError::Json(_)));
    assert!(matches!(
        error("42"),
        W3cError::NotAnnotations { found: "a number" }
    ));
    assert!(matches!(error("{}"), W3cError::NotAnnotations { .. }));
    assert!(matches!(
        error(r#"{"type": "AnnotationCollection", "first": "http://example.org/page1"}"#),
        W3cError::PagesNotEmbedded { .. }
    ));
    let target = |selector: &str| {
        format!(
            r#"[{{"type": "Annotation", "target": {{"source": "x", "selector": {selector}}}}}]"#
        )
    };
    assert!(matches!(
        error(&target(r#"{"type": "TextQuoteSelector", "exact": 5}"#)),
        W3cError::Field {
            number: 1,
            field: "exact",
            ..
        }
    ));
    assert!(matches!(
        error(&target(
            r#"{"type": "TextPositionSelector", "start": 1, "end": 2}"#
        )),
        W3cError::NoQuote { number: 1 }
    ));
    assert!(matches!(
        error(&target(
            r#"[{"type": "TextQuoteSelector", "exact": "a"}, {"type": "TextPositionSelector", "start": 9, "end": 2}]"#
        )),
        W3cError::StartAfterEnd {
            number: 1,
            start: 9,
            end: 2
        }
    ));
    assert!(matches!(
        error(&target(
            r#"[{"type": "TextQuoteSelector", "exact": "a"}, {"type": "TextPositionSelector", "start": -1, "end": 2}]"#
        )),
        W3cError::Field { field: "start", .. }
    ));
    assert!(matches!(
        error(r#"{"type": "Annotation", "target": "http://example.org/page1"}"#),
        W3cError::NoQuote { .. }
    ));
    assert!(matches!(
        error(r#"[{"type": "Annotation", "body": 3, "target": {}}]"#),
        W3cError::Field { field: "body", .. }
    ));
    assert!(matches!(
        error(r#"[{"type": "Person", "target": {}}]"#),
        W3cError::Field { field: "type", .. }
    ));
    let message = error(&target(r#"{"type": "TextQuoteSelector", "exact": 5}"#)).to_string();
    assert_eq!(message, "annotation 1: `exact` should be a string");
}

#[test]
fn an_export_with_any_one_byte_changed_reads_or_fails_without_panicking() {
    // Changed bytes rename keys, retype values and break the syntax.
    let json = write_annotations(&excerpts(), "Captured evidence");
    let mut accepted = 0;
    for at in 0..json.len() {
        for replacement in [b'x', b'1', b'"', b'-', b']', b'{'] {
            let mut bytes = json.as_bytes().to_vec();
            bytes[at] = replacement;
            accepted += usize::from(read_annotations(&bytes).is_ok());
        }
    }
    // Changes inside strings still read; the rest mostly fail.
    assert!(accepted > 0);
}
