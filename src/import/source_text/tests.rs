//! The module's own rules: sniffing, pasting, line ends, hashes, limits,
//! and the crate versions it names.

use super::*;

#[test]
fn sha256_is_lower_case_hex_of_the_bytes() {
    // FIPS 180-2's example: SHA-256("abc").
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn pasted_text_keeps_its_bytes_hash_and_loses_its_carriage_returns() {
    let source = from_pasted_text("one\r\ntwo\rthree");
    assert_eq!(source.source_kind.as_str(), "paste");
    assert_eq!(source.text, "one\ntwo\nthree");
    assert_eq!(source.sha256_bytes, sha256_hex(b"one\r\ntwo\rthree"));
    assert_eq!(source.sha256_text, sha256_hex(b"one\ntwo\nthree"));
    assert!(source.pages.is_empty());
    assert!(source.extractor.starts_with("linkscope-paste "));
}

#[test]
fn the_bytes_choose_the_format_before_the_extension() {
    assert_eq!(sniff("report.txt", b"%PDF-1.7\n"), SourceKind::Pdf);
    assert_eq!(sniff("a.bin", b"junk\r\n%PDF-1.4"), SourceKind::Pdf);
    assert_eq!(
        sniff(
            "page.txt",
            b"From: <Saved by Blink>\r\nContent-Type: multipart/related; boundary=x\r\n\r\n"
        ),
        SourceKind::Mhtml
    );
    assert_eq!(sniff("notes.txt", b"<!DOCTYPE html><p>x"), SourceKind::Html);
    // Only the extension speaks for bytes with no marker.
    assert_eq!(sniff("Broken.PDF", b"garbage"), SourceKind::Pdf);
    assert_eq!(sniff("frag.htm", b"just words"), SourceKind::Html);
    assert_eq!(sniff("saved.mht", b"just words"), SourceKind::Mhtml);
    assert_eq!(sniff("notes", b"just words"), SourceKind::Txt);
}

#[test]
fn source_kinds_round_trip_through_their_words() {
    let words: Vec<&str> = SourceKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(words, ["paste", "txt", "html", "mhtml", "pdf"]);
    for kind in SourceKind::ALL {
        assert_eq!(SourceKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(SourceKind::parse("docx"), None);
}

#[test]
fn empty_oversized_and_blank_inputs_are_refused_by_name() {
    let empty = extract("empty.txt", b"").unwrap_err();
    assert!(matches!(empty, SourceTextError::Empty { .. }), "{empty}");
    assert!(empty.to_string().starts_with("empty.txt: "), "{empty}");

    let big = vec![b'a'; MAX_INPUT_BYTES + 1];
    let too_large = extract("big.txt", &big).unwrap_err();
    assert!(
        matches!(too_large, SourceTextError::TooLarge { size, .. } if size == MAX_INPUT_BYTES + 1),
        "{too_large}"
    );
    assert!(too_large.to_string().contains("64 MiB"), "{too_large}");

    let blank = extract("blank.txt", b" \r\n\t\r\n").unwrap_err();
    assert!(matches!(blank, SourceTextError::NoText { .. }), "{blank}");
}

#[test]
fn a_text_over_the_limit_is_refused_after_extraction() {
    // 33 MiB of text in a 33 MiB file: under the input limit, over the text's.
    let big = vec![b'a'; MAX_TEXT_BYTES + (1 << 20)];
    let err = extract("long.txt", &big).unwrap_err();
    assert!(
        matches!(err, SourceTextError::TextTooLarge { size, .. } if size == big.len()),
        "{err}"
    );
}

#[test]
fn the_named_crate_versions_are_the_locked_ones() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    for named in [
        ENCODING_RS,
        CHARDETNG,
        DOM_SMOOTHIE,
        MAILPARSE,
        PDF_EXTRACT,
        LOPDF,
    ] {
        let (name, version) = named.split_once(' ').unwrap();
        let entry = format!("name = \"{name}\"\nversion = \"{version}\"\n");
        assert!(
            lock.contains(&entry),
            "Cargo.lock has no {named}: update the constant"
        );
    }
}

#[test]
fn a_page_nested_too_deep_to_parse_is_refused() {
    let page = format!(
        "<html><body>{}<p>deep</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let err = extract("deep.html", page.as_bytes()).unwrap_err();
    assert!(matches!(err, SourceTextError::Html { .. }), "{err}");
    assert!(err.to_string().starts_with("deep.html: "), "{err}");
}
