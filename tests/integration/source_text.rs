//! Source documents made by other tools (`tests/fixtures/sources/`, see its
//! README): the seed article as text in four encodings, as a web page, as
//! Chromium saved it (MHTML) and printed it (PDF), and as qpdf encrypted it.
//! The expected values come from elsewhere: `sha256sum`, the seed file's own
//! bytes, poppler's `pdftotext` and `pdfinfo`, and the MHTML's headers as
//! Chromium wrote them.

use std::path::{Path, PathBuf};

use linkscope::import::source_text::{self, ExtractedSource, SourceKind, SourceTextError};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sources")
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).unwrap()
}

fn extract(name: &str) -> ExtractedSource {
    source_text::extract(name, &bytes(name)).unwrap_or_else(|e| panic!("{e}"))
}

/// The seed article as it was given (LF line ends, no final newline).
fn seed() -> String {
    String::from_utf8(bytes("article-utf8.txt")).unwrap()
}

/// The article's first body sentence and its last paragraph's last sentence.
const FIRST: &str = "On March 5, 2024, weeks before the March 22, 2024 attack on the Crocus City Hall music venue in Moscow";
const LAST: &str = "Russia is worried and expresses this concern clearly, and Zhirnov’s meeting with Haqqani was held for the same purpose…”";

#[test]
fn sha256_bytes_is_what_sha256sum_prints() {
    // Printed once by `sha256sum tests/fixtures/sources/*` and pasted here.
    let expected = [
        (
            "article-utf8.txt",
            "9463dcd108bcade2f2b033e1460889fdf9fca76b1eda47bddd77bcdb4bbf6889",
        ),
        (
            "article-utf8-crlf.txt",
            "c4c1071e9f94b857296dd28ff990137ac6bdc825eacd589c0207218cb6a960f5",
        ),
        (
            "article-windows-1252.txt",
            "f21118814225af61844394657f5f7f2f91172ed2c3c271aa99463c4fe949fa77",
        ),
        (
            "article-utf16le-bom.txt",
            "dbc31de718f7ce113cc714f92f8ecb9ae687fb34672cd500c3db503ea4fc1acb",
        ),
        (
            "article-utf16be-bom.txt",
            "b243908062d1d22c199380b3778ecaa4eb085b79a33b7b68dec56300a0a7c5c1",
        ),
        (
            "article.html",
            "eb10f9ea259cbb31cfc722ce4207ce24e47b62b11df587de5580bf226cb21e68",
        ),
        (
            "article.mhtml",
            "645cb3830d3efbf69f1842d386a1000ed519b9334878fbb24b6d68393cbbc1af",
        ),
        (
            "article.pdf",
            "00b8a128eb914d14460d345b72cf9e658fac56e3264c25481fefd82bd4bdd9b6",
        ),
        (
            "article-p2-owner-only.pdf",
            "b589986716e6193a271c727f29367c28fdd8edeb7c295fb69a9a6d563b6beb98",
        ),
    ];
    for (name, sha256) in expected {
        let source = extract(name);
        assert_eq!(source.sha256_bytes, sha256, "{name}");
        assert_eq!(source.sha256_text.len(), 64, "{name}");
        assert!(
            source
                .sha256_text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{name}: {}",
            source.sha256_text
        );
    }
}

#[test]
fn the_text_is_the_same_in_every_encoding() {
    let utf8 = extract("article-utf8.txt");
    assert_eq!(utf8.text, seed());
    assert_eq!(utf8.source_kind, SourceKind::Txt);
    assert_eq!(utf8.encoding.as_deref(), Some("UTF-8"));
    // The seed hashed by `sha256sum` as it is: its text is its bytes.
    assert_eq!(
        utf8.sha256_text,
        "9463dcd108bcade2f2b033e1460889fdf9fca76b1eda47bddd77bcdb4bbf6889"
    );

    // The others were written with a final CRLF (make/text.sh).
    let expected = format!("{}\n", seed());
    for (name, encoding) in [
        ("article-utf8-crlf.txt", "UTF-8"),
        ("article-windows-1252.txt", "windows-1252"),
        ("article-utf16le-bom.txt", "UTF-16LE"),
        ("article-utf16be-bom.txt", "UTF-16BE"),
    ] {
        let source = extract(name);
        assert!(
            !source.text.contains('\r'),
            "{name}: a carriage return is left"
        );
        assert_eq!(source.text, expected, "{name}");
        assert_eq!(source.encoding.as_deref(), Some(encoding), "{name}");
        assert_eq!(source.source_kind, SourceKind::Txt, "{name}");
        assert!(source.pages.is_empty(), "{name}");
    }
}

#[test]
fn the_web_page_gives_the_article_without_the_page_chrome() {
    let source = extract("article.html");
    assert_eq!(source.source_kind, SourceKind::Html);
    let text = &source.text;
    assert!(
        text.contains(FIRST),
        "the first sentence is missing:\n{text}"
    );
    assert!(text.contains(LAST), "the last sentence is missing:\n{text}");
    for chrome in [
        "Subscribe to the daily brief",
        "Related reports",
        "Taliban delegation attends Tashkent trade forum",
        "All rights reserved",
        "Contact the newsroom",
        "This site uses cookies",
        "Search reports",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} was kept:\n{text}");
    }
    // Paragraphs are kept apart by a blank line.
    assert!(
        text.contains("for the same purpose.”[1]\n\nFollowing are translations"),
        "{text}"
    );
    assert!(!text.contains('\r'));
    // From the page's meta tags (make/page.py).
    assert_eq!(
        source.title.as_deref(),
        Some(seed().lines().next().unwrap())
    );
    assert_eq!(source.author.as_deref(), Some("Research Desk"));
    assert_eq!(source.publisher.as_deref(), Some("Example Monitor"));
    assert_eq!(
        source.published.as_deref(),
        Some("2024-03-28T14:05:00+00:00")
    );
    assert_eq!(
        source.url.as_deref(),
        Some("https://monitor.example.org/reports/2024/03/moscow-attack-zhirnov-haqqani")
    );
    assert_eq!(source.language.as_deref(), Some("en"));
    assert_eq!(source.retrieved_at, None);
    assert!(
        source.extractor.contains("dom_smoothie"),
        "{}",
        source.extractor
    );
}

#[test]
fn the_mhtml_says_where_and_when_it_was_captured() {
    let source = extract("article.mhtml");
    assert_eq!(source.source_kind, SourceKind::Mhtml);
    // As written in the file's headers by Chromium:
    //   Snapshot-Content-Location: https://monitor.example.org/reports/2024/
    //     03/moscow-attack-zhirnov-haqqani?utm_source=rss&utm_medium=feed
    //   Date: Mon, 07 Dec 2026 22:27:57 GMT
    // The page's canonical link lacks the query: the header wins.
    assert_eq!(
        source.url.as_deref(),
        Some(
            "https://monitor.example.org/reports/2024/03/moscow-attack-zhirnov-haqqani?utm_source=rss&utm_medium=feed"
        )
    );
    assert_eq!(source.retrieved_at.as_deref(), Some("2026-12-07T22:27:57Z"));
    // The quoted-printable page decodes to the same article as the HTML file.
    assert_eq!(source.text, extract("article.html").text);
    assert!(source.text.contains(FIRST) && source.text.contains(LAST));
    assert!(!source.text.contains("All rights reserved"));
    assert_eq!(source.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(source.author.as_deref(), Some("Research Desk"));
    assert!(
        source.extractor.contains("mailparse"),
        "{}",
        source.extractor
    );
}

#[test]
fn the_pdf_has_six_pages_and_a_passage_on_page_two_falls_in_page_two() {
    let source = extract("article.pdf");
    assert_eq!(source.source_kind, SourceKind::Pdf);
    // `pdfinfo article.pdf`: Pages: 6, and its Title.
    let numbers: Vec<u32> = source.pages.iter().map(|&(page, _, _)| page).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        source.title.as_deref(),
        Some(format!("{} | Example Monitor", seed().lines().next().unwrap()).as_str())
    );
    assert_eq!(source.author, None);

    // `pdftotext -f N -l N article.pdf -` puts these lines on pages 1, 2, 3, 6
    // (the first with its "ff" ligature spelled out, as pdftotext does).
    for (passage, page) in [
        ("Affairs as well as being head of the Afghan Taliban’s", 1),
        ("article by one Hamid Ahmedi titled", 2),
        ("bilateral relations, and the situation in Afghanistan", 2),
        ("Sergei Shoigu recently said that the situation in the", 3),
        ("© 2024 Example Monitor. All rights reserved.", 6),
    ] {
        let byte_at = source
            .text
            .find(passage)
            .unwrap_or_else(|| panic!("{passage:?} is not in the text:\n{}", source.text));
        let start = source.text[..byte_at].chars().count();
        let end = start + passage.chars().count();
        let holder = source
            .pages
            .iter()
            .find(|&&(_, page_start, page_end)| page_start <= start && end <= page_end)
            .map(|&(page, _, _)| page);
        assert_eq!(
            holder,
            Some(page),
            "{passage:?} at {start}..{end}: {:?}",
            source.pages
        );
    }
}

#[test]
fn pdf_page_ranges_partition_the_text() {
    for name in ["article.pdf", "article-p2-owner-only.pdf"] {
        let source = extract(name);
        let n_chars = source.text.chars().count();
        assert_eq!(source.n_chars(), n_chars);
        let mut next = 0;
        for &(page, start, end) in &source.pages {
            assert_eq!(
                start, next,
                "{name}: page {page} does not start where the last ended"
            );
            assert!(start <= end, "{name}: page {page}");
            next = end;
        }
        assert_eq!(next, n_chars, "{name}: the pages do not reach the end");
        assert!(!source.text.contains('\r'), "{name}");
    }
}

#[test]
fn a_pdf_with_only_an_owner_password_is_read_and_one_with_a_user_password_refused() {
    // Both made by qpdf from page 2 of article.pdf (see the README).
    let open = extract("article-p2-owner-only.pdf");
    assert!(
        open.text.contains("article by one Hamid Ahmedi titled"),
        "{}",
        open.text
    );
    assert_eq!(open.pages.len(), 1);

    let name = "article-p2-password.pdf";
    let err = source_text::extract(name, &bytes(name)).unwrap_err();
    assert!(matches!(err, SourceTextError::Encrypted { .. }), "{err}");
    assert!(
        err.to_string().starts_with("article-p2-password.pdf: "),
        "{err}"
    );
}

#[test]
fn bad_inputs_give_errors_that_name_the_file() {
    let pdf = bytes("article.pdf");
    // A download cut short: the first 30,000 bytes.
    let truncated = &pdf[..30_000];
    // Bytes from a fixed xorshift generator: no format at all.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    // A PDF header and then nothing a PDF has.
    let header_only = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog".to_vec();
    for (name, bytes) in [
        ("cut-short.pdf", truncated.to_vec()),
        ("noise.bin", random),
        ("noise.pdf", b"not a pdf at all".to_vec()),
        ("header-only.pdf", header_only),
        ("empty.txt", Vec::new()),
        ("empty.pdf", Vec::new()),
    ] {
        let err = source_text::extract(name, &bytes)
            .err()
            .unwrap_or_else(|| panic!("{name} was read"));
        let message = err.to_string();
        assert!(message.starts_with(&format!("{name}: ")), "{message}");
    }
}
