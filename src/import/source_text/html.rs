//! A web page: the article is taken out of the page chrome (navigation,
//! sidebars, footers) by `dom_smoothie`, a port of Mozilla's Readability (the
//! code behind Firefox's Reader View), and written as text with a blank
//! line between paragraphs. Title, author, site, address, date and
//! language come from the page's meta tags where it has them.
//!
//! The bytes are decoded as a browser would: a byte-order mark, then the
//! charset the transport gave (an MHTML part's header), then a `<meta
//! charset>` in the first 1024 bytes, then UTF-8 if valid, then chardetng.

mod nesting;

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};

use super::{
    DOM_SMOOTHIE, ENCODING_RS, ExtractedSource, SourceKind, clean_field, normalise_line_ends, text,
};

/// Where browsers look for a `<meta charset>` (the HTML standard's prescan).
const PRESCAN_BYTES: usize = 1024;
/// Pages with more elements than this skip the article search (its
/// scoring is slow on huge pages) and keep the whole page's text.
const MAX_ELEMENTS: usize = 500_000;

/// Whether `bytes` start like an HTML document (the WHATWG MIME sniffing
/// standard's HTML patterns, after a UTF-8 mark and white space).
pub(super) fn sniff(bytes: &[u8]) -> bool {
    const TAGS: [&[u8]; 17] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
    ];
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 32)];
    TAGS.iter().any(|tag| {
        head.len() > tag.len()
            && head[..tag.len()].eq_ignore_ascii_case(tag)
            && (matches!(
                head[tag.len()],
                b' ' | b'>' | b'\t' | b'\n' | b'\r' | b'\x0c'
            ) || *tag == b"<!--")
    })
}

/// Reads a web page; `transport_charset` is the charset its container
/// declared (an MHTML part's `Content-Type`), if any.
/// A page with no article keeps its whole visible text; only a page nested
/// too deeply to parse safely is refused, with the reason.
pub(super) fn extract(
    bytes: &[u8],
    transport_charset: Option<&str>,
) -> Result<ExtractedSource, String> {
    extract_with_limit(bytes, transport_charset, MAX_ELEMENTS)
}

fn extract_with_limit(
    bytes: &[u8],
    transport_charset: Option<&str>,
    max_elements: usize,
) -> Result<ExtractedSource, String> {
    let (html, encoding) = decode(bytes, transport_charset);
    if nesting::depth(&html) > nesting::MAX_DEPTH {
        return Err(format!(
            "its elements nest over {} deep, where pages nest a few dozen; save the article's text as a .txt file instead",
            nesting::MAX_DEPTH
        ));
    }
    let document = Document::from(html.as_str());
    let url = link_or_meta(&document, "link[rel~=canonical]", "href")
        .or_else(|| link_or_meta(&document, "meta[property='og:url']", "content"))
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"));
    let meta_language = link_or_meta(
        &document,
        "meta[http-equiv='content-language' i]",
        "content",
    );

    let config = Config {
        text_mode: TextMode::Formatted,
        max_elements_to_parse: max_elements,
        ..Config::default()
    };
    let article = Readability::with_document(document, None, Some(config))
        .and_then(|mut readability| readability.parse());
    let mut source = match article {
        Ok(article) if !article.text_content.trim().is_empty() => {
            let mut source = ExtractedSource::new(
                SourceKind::Html,
                normalise_line_ends(&article.text_content).into_owned(),
            );
            source.title = clean_field(Some(&article.title));
            source.author = clean_field(article.byline.as_deref());
            source.publisher = clean_field(article.site_name.as_deref());
            source.published = clean_field(article.published_time.as_deref());
            source.language = clean_field(article.lang.as_deref());
            source.url = url.or_else(|| clean_field(article.url.as_deref()));
            source
        }
        // No article found (a page of links, a tiny page, a huge one): the
        // whole page's visible text is better than nothing.
        _ => {
            let document = Document::from(html.as_str());
            document
                .select("script, style, noscript, template, head")
                .remove();
            let text = document.select("html").formatted_text();
            let mut source = ExtractedSource::new(
                SourceKind::Html,
                normalise_line_ends(text.trim()).into_owned(),
            );
            let title = Document::from(html.as_str()).select("title").text();
            source.title = clean_field(Some(&title));
            source.url = url;
            source
        }
    };
    if source.language.is_none() {
        source.language = clean_field(meta_language.as_deref());
    }
    source.extractor = format!(
        "linkscope-html {} ({DOM_SMOOTHIE}, {ENCODING_RS})",
        env!("CARGO_PKG_VERSION")
    );
    source.encoding = Some(encoding.name().to_owned());
    Ok(source)
}

/// The `attribute` of the first element `selector` finds, trimmed.
fn link_or_meta(document: &Document, selector: &str, attribute: &str) -> Option<String> {
    let value = document.select_single(selector).attr(attribute)?;
    clean_field(Some(&value))
}

/// The page's text and the encoding it was decoded from.
fn decode(bytes: &[u8], transport_charset: Option<&str>) -> (String, &'static Encoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (html, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (html.into_owned(), encoding);
    }
    let declared = transport_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| prescan(bytes).map(meta_override));
    let encoding = declared.unwrap_or_else(|| {
        if std::str::from_utf8(bytes).is_ok() {
            UTF_8
        } else {
            text::detect(bytes, true)
        }
    });
    let (html, _) = encoding.decode_without_bom_handling(bytes);
    (html.into_owned(), encoding)
}

/// A `<meta>` can only be read if the page is ASCII-compatible, so a UTF-16
/// label there means UTF-8, and x-user-defined means windows-1252 (the
/// HTML standard's rule).
fn meta_override(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else if encoding == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    }
}

/// The charset a `<meta charset=…>` or `<meta http-equiv content="…;
/// charset=…">` declares in the first 1024 bytes: a simpler form of the
/// standard's prescan that reads the pages browsers and capture tools save.
fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(PRESCAN_BYTES)].to_ascii_lowercase();
    let mut rest = head.as_slice();
    while let Some(at) = memchr::memmem::find(rest, b"<meta") {
        let tag = &rest[at..];
        let end = memchr::memchr(b'>', tag).unwrap_or(tag.len());
        let tag = &tag[..end];
        if let Some(value_at) = memchr::memmem::find(tag, b"charset=") {
            let value = &tag[value_at + b"charset=".len()..];
            let value = value
                .strip_prefix(b"\"")
                .or_else(|| value.strip_prefix(b"'"))
                .unwrap_or(value);
            let len = value
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                .unwrap_or(value.len());
            if let Some(encoding) = Encoding::for_label(&value[..len]) {
                return Some(encoding);
            }
        }
        rest = &rest[at + end.max(1)..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_html_by_its_first_tag() {
        assert!(sniff(b"\xef\xbb\xbf  <!DOCTYPE html><html>"));
        assert!(sniff(b"<HTML lang=en>"));
        assert!(sniff(b"\n<p>one paragraph</p>"));
        assert!(sniff(b"<!-- saved from url -->"));
        assert!(!sniff(b"<paragraph>"));
        assert!(!sniff(b"plain text <html>"));
        assert!(!sniff(b"<?xml version=\"1.0\"?><graphml>"));
    }

    #[test]
    fn meta_charset_is_found_in_both_forms() {
        let name = |bytes: &[u8]| prescan(bytes).map(Encoding::name);
        assert_eq!(
            name(b"<head><meta charset=\"ISO-8859-1\">"),
            Some("windows-1252")
        );
        assert_eq!(
            name(b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">"),
            Some("KOI8-R")
        );
        assert_eq!(
            name(b"<meta name=viewport content=\"width=device-width\">"),
            None
        );
        assert_eq!(
            meta_override(prescan(b"<meta charset=utf-16>").unwrap()).name(),
            "UTF-8"
        );
    }

    #[test]
    fn the_declared_charset_decodes_the_page() {
        // "Café" in windows-1252 with a meta tag that says so.
        let page = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head>\
            <body><p>Caf\xe9 au lait.</p></body></html>";
        let (html, encoding) = decode(page, None);
        assert_eq!(encoding.name(), "windows-1252");
        assert!(html.contains("<title>Café</title>"));
        // The transport's charset comes before the page's own.
        let (_, encoding) = decode(page, Some("iso-8859-2"));
        assert_eq!(encoding.name(), "ISO-8859-2");
    }

    #[test]
    fn a_page_too_big_for_the_article_search_keeps_its_visible_text() {
        let page = b"<html><head><title>Links</title><style>p{}</style></head>\
            <body><script>var hidden = 1;</script><ul><li><a href=/a>First link</a></li>\
            <li><a href=/b>Second link</a></li></ul></body></html>";
        // Over 5 elements: the article search declines, as it does over
        // MAX_ELEMENTS on a real page.
        let source = extract_with_limit(page, None, 5).unwrap();
        assert!(
            source.text.contains("First link\nSecond link"),
            "{:?}",
            source.text
        );
        assert!(!source.text.contains("hidden"), "{:?}", source.text);
        assert_eq!(source.title.as_deref(), Some("Links"));
    }
}
