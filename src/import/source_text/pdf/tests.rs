//! PDFs built here with lopdf's writer: a plain two-page text, and the
//! damage that makes pdf-extract panic or recurse without end.

use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

use super::*;

fn dict(entries: Vec<(&str, Object)>) -> Dictionary {
    let mut dictionary = Dictionary::new();
    for (key, value) in entries {
        dictionary.set(key, value);
    }
    dictionary
}

fn name(value: &str) -> Object {
    Object::Name(value.as_bytes().to_vec())
}

fn media_box() -> Object {
    Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()])
}

/// A document whose pages are drawn by `contents` (one content stream per
/// page) with Helvetica as `/F1` and `xobjects` as the pages' `/XObject`
/// dictionary; `page` may change each page's dictionary before it is added.
fn build(
    contents: &[&str],
    xobjects: impl FnOnce(&mut Document) -> Dictionary,
    page: impl Fn(&mut Dictionary, ObjectId),
) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dict(vec![
        ("Type", name("Font")),
        ("Subtype", name("Type1")),
        ("BaseFont", name("Helvetica")),
    ]));
    let xobjects = xobjects(&mut doc);
    let resources = doc.add_object(dict(vec![
        ("Font", dict(vec![("F1", font.into())]).into()),
        ("XObject", xobjects.into()),
    ]));
    let mut kids = Vec::new();
    for content in contents {
        let content = doc.add_object(Stream::new(Dictionary::new(), content.as_bytes().to_vec()));
        let mut page_dict = dict(vec![
            ("Type", name("Page")),
            ("Parent", pages_id.into()),
            ("Contents", content.into()),
            ("Resources", resources.into()),
            ("MediaBox", media_box()),
        ]);
        page(&mut page_dict, pages_id);
        kids.push(doc.add_object(page_dict).into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        dict(vec![
            ("Type", name("Pages")),
            ("Kids", Object::Array(kids)),
            ("Count", count.into()),
        ])
        .into(),
    );
    let catalog = doc.add_object(dict(vec![
        ("Type", name("Catalog")),
        ("Pages", pages_id.into()),
    ]));
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

fn text_pdf() -> Vec<u8> {
    build(
        &[
            "BT /F1 12 Tf 72 720 Td (First line) Tj 0 -14 Td (second line) Tj 0 -40 Td (New paragraph) Tj ET",
            "BT /F1 12 Tf 72 720 Td (Page two) Tj ET",
        ],
        |_| Dictionary::new(),
        |_, _| {},
    )
}

#[test]
fn a_two_page_pdf_gives_lines_paragraphs_and_page_ranges() {
    let source = extract("two.pdf", &text_pdf()).unwrap();
    // 12-point text: 14 points down is a line, 40 a paragraph.
    assert_eq!(
        source.text,
        "First line\nsecond line\n\nNew paragraph\n\nPage two"
    );
    // "First line\nsecond line\n\nNew paragraph" is 37 characters, then the
    // page break's 2; "Page two" is 8.
    assert_eq!(source.pages, [(1, 0, 39), (2, 39, 47)]);
}

#[test]
fn a_form_that_draws_itself_is_refused_before_it_overflows_the_stack() {
    let bytes = build(
        &["BT /F1 12 Tf 72 720 Td (Hi) Tj ET /X0 Do"],
        |doc| {
            let form_id = doc.new_object_id();
            let own_resources = dict(vec![("XObject", dict(vec![("X0", form_id.into())]).into())]);
            let form = Stream::new(
                dict(vec![
                    ("Type", name("XObject")),
                    ("Subtype", name("Form")),
                    ("BBox", media_box()),
                    ("Resources", own_resources.into()),
                ]),
                b"/X0 Do".to_vec(),
            );
            doc.objects.insert(form_id, form.into());
            dict(vec![("X0", form_id.into())])
        },
        |_, _| {},
    );
    let err = extract("loop.pdf", &bytes).unwrap_err();
    assert!(matches!(err, SourceTextError::Pdf { .. }), "{err}");
    assert!(err.to_string().contains("draws itself"), "{err}");
}

#[test]
fn a_page_tree_that_loops_is_refused_before_the_reader_climbs_it_for_ever() {
    // The page has neither resources nor a media box of its own, and its
    // parent is its own parent: pdf-extract would climb for ever.
    let bytes = build(
        &["BT /F1 12 Tf 72 720 Td (Hi) Tj ET"],
        |_| Dictionary::new(),
        |page, _| {
            page.remove(b"Resources");
            page.remove(b"MediaBox");
            page.set("Parent", Object::Reference((999, 0)));
        },
    );
    // Object 999 is added by hand: a node that is its own parent.
    let mut doc = Document::load_mem(&bytes).unwrap();
    doc.objects.insert(
        (999, 0),
        dict(vec![
            ("Type", name("Pages")),
            ("Parent", Object::Reference((999, 0))),
        ])
        .into(),
    );
    let mut looped = Vec::new();
    doc.save_to(&mut looped).unwrap();
    let err = extract("tree.pdf", &looped).unwrap_err();
    assert!(err.to_string().contains("page tree loops"), "{err}");
}

#[test]
fn a_panic_inside_the_reader_becomes_an_error_naming_the_file() {
    // No /MediaBox anywhere: pdf-extract's `expect("MediaBox")` panics.
    let bytes = build(
        &["BT /F1 12 Tf 72 720 Td (Hi) Tj ET"],
        |_| Dictionary::new(),
        |page, _| {
            page.remove(b"MediaBox");
        },
    );
    let err = extract("boxless.pdf", &bytes).unwrap_err();
    assert!(matches!(err, SourceTextError::Pdf { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("boxless.pdf: not a readable PDF (the PDF reader stopped on it"),
        "{err}"
    );
}

#[test]
fn a_pdf_without_text_says_it_needs_ocr() {
    let bytes = build(&["0 0 m 100 100 l S"], |_| Dictionary::new(), |_, _| {});
    let err = extract("scan.pdf", &bytes).unwrap_err();
    assert!(matches!(err, SourceTextError::NoText { .. }), "{err}");
    assert!(err.to_string().contains("OCR"), "{err}");
}
