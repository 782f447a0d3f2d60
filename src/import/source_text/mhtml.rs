//! A saved web page in one file (MHTML, `.mhtml` or `.mht`), as Chrome's
//! "Save page as… Webpage, Single File" and capture tools write it: a MIME
//! multipart/related message whose first text/html part is the page. That
//! part (quoted-printable or base64, in its own charset) is read as a web
//! page; the message's headers say where and when it was captured.

use mailparse::{MailHeaderMap as _, ParsedMail};

use super::{
    DOM_SMOOTHIE, ENCODING_RS, ExtractedSource, MAILPARSE, SourceKind, SourceTextError,
    clean_field, html,
};

/// How far into the file the headers of an archive are looked for.
const SNIFF_BYTES: usize = 16 << 10;

/// Whether `bytes` start with the MIME headers of a multipart/related
/// message: a header line first, and that content type before the first
/// blank line.
pub(super) fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let end = memchr::memmem::find(head, b"\n\r\n")
        .or_else(|| memchr::memmem::find(head, b"\n\n"))
        .unwrap_or(head.len());
    let headers = head[..end].to_ascii_lowercase();
    let first_line_is_a_header = headers
        .iter()
        .position(|&b| b == b':')
        .is_some_and(|colon| {
            colon > 0
                && headers[..colon]
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        });
    first_line_is_a_header
        && memchr::memmem::find(&headers, b"content-type:").is_some()
        && memchr::memmem::find(&headers, b"multipart/related").is_some()
}

pub(super) fn extract(file_name: &str, bytes: &[u8]) -> Result<ExtractedSource, SourceTextError> {
    let error = |message: String| SourceTextError::Mhtml {
        file: file_name.to_owned(),
        message,
    };
    let message = mailparse::parse_mail(bytes).map_err(|e| error(e.to_string()))?;
    let page = if message.ctype.mimetype.starts_with("multipart/") {
        root_part(&message).ok_or_else(|| error("it has no text/html part".to_owned()))?
    } else if is_html(&message) {
        &message
    } else {
        return Err(error(format!(
            "its content type is {}, not multipart/related",
            message.ctype.mimetype
        )));
    };
    let body = page
        .get_body_raw()
        .map_err(|e| error(format!("its page cannot be decoded: {e}")))?;
    let charset = page.ctype.params.get("charset").map(String::as_str);
    let mut source = html::extract(&body, charset).map_err(error)?;
    source.source_kind = SourceKind::Mhtml;

    // The address the capture was made from, before the page's own claim.
    let header = |part: &ParsedMail<'_>, name: &str| part.headers.get_first_value(name);
    let captured_url = header(&message, "Snapshot-Content-Location")
        .or_else(|| header(page, "Content-Location"))
        .or_else(|| header(&message, "Content-Location"))
        .map(|url| url.split_whitespace().collect::<String>())
        .filter(|url| !url.is_empty());
    if captured_url.is_some() {
        source.url = captured_url;
    }
    source.retrieved_at = header(&message, "Date").and_then(|date| rfc3339_utc(&date));
    if source.title.is_none() {
        source.title = clean_field(header(&message, "Subject").as_deref());
    }
    source.extractor = format!(
        "linkscope-mhtml {} ({MAILPARSE}, {DOM_SMOOTHIE}, {ENCODING_RS})",
        env!("CARGO_PKG_VERSION")
    );
    Ok(source)
}

/// The page of a multipart/related message: the part its `start` parameter
/// names, else the first text/html part (later ones are frames).
fn root_part<'a>(message: &'a ParsedMail<'a>) -> Option<&'a ParsedMail<'a>> {
    let start = message
        .ctype
        .params
        .get("start")
        .map(|id| id.trim().trim_matches(['<', '>']).to_owned());
    let parts = || message.parts().skip(1);
    start
        .and_then(|start| {
            parts().find(|part| {
                part.headers
                    .get_first_value("Content-ID")
                    .is_some_and(|id| id.trim().trim_matches(['<', '>']) == start)
            })
        })
        .or_else(|| parts().find(|part| is_html(part)))
}

fn is_html(part: &ParsedMail<'_>) -> bool {
    matches!(
        part.ctype.mimetype.as_str(),
        "text/html" | "application/xhtml+xml"
    )
}

/// An RFC 2822 date (`Mon, 07 Dec 2026 21:36:59 GMT`) as RFC 3339 UTC
/// (`2026-12-07T21:36:59Z`); `None` when it does not parse. jiff's parser
/// is strict where mailparse's `dateparse` reads any word as 1970, and
/// takes a trailing comment (`+0000 (UTC)`) as RFC 2822 allows.
fn rfc3339_utc(date: &str) -> Option<String> {
    static PARSER: jiff::fmt::rfc2822::DateTimeParser = jiff::fmt::rfc2822::DateTimeParser::new();
    let timestamp = PARSER.parse_timestamp(date.trim()).ok()?;
    Some(timestamp.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_rfc3339_utc() {
        // Worked by hand: 21:36:59 GMT; 10:00 at +0530 is 04:30 UTC.
        assert_eq!(
            rfc3339_utc("Mon, 07 Dec 2026 21:36:59 GMT").as_deref(),
            Some("2026-12-07T21:36:59Z")
        );
        assert_eq!(
            rfc3339_utc("Wed, 6 Mar 2024 10:00:00 +0530").as_deref(),
            Some("2024-03-06T04:30:00Z")
        );
        assert_eq!(
            rfc3339_utc("Wed, 06 Mar 2024 10:00:00 +0000 (UTC)").as_deref(),
            Some("2024-03-06T10:00:00Z")
        );
        assert_eq!(rfc3339_utc("yesterday"), None);
        assert_eq!(rfc3339_utc(""), None);
    }

    #[test]
    fn sniffs_only_a_multipart_related_header_block() {
        assert!(sniff(
            b"From: <Saved by Blink>\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\"\r\n\r\nbody"
        ));
        assert!(!sniff(b"Content-Type: text/plain\r\n\r\nmultipart/related"));
        assert!(!sniff(
            b"Dear reader: this is a letter.\n\nContent-Type: multipart/related"
        ));
    }

    #[test]
    fn a_base64_part_in_its_own_charset_is_read() {
        // <p>Caf\xe9 …</p> in ISO-8859-1, base64 by Python's base64 module.
        let page = b"MIME-Version: 1.0\r\n\
Content-Type: multipart/related; boundary=\"b1\"; type=\"text/html\"\r\n\
Date: Wed, 6 Mar 2024 10:00:00 +0000\r\n\
\r\n\
--b1\r\n\
Content-Type: text/css\r\n\
\r\n\
p { color: red }\r\n\
--b1\r\n\
Content-Type: text/html; charset=iso-8859-1\r\n\
Content-Transfer-Encoding: base64\r\n\
Content-Location: https://example.org/a\r\n\
\r\n\
PGh0bWw+PGJvZHk+PHA+Q2Fm6SBhdSBsYWl0LjwvcD48L2JvZHk+PC9odG1sPg==\r\n\
--b1--\r\n";
        let source = extract("a.mht", page).unwrap();
        assert_eq!(source.text, "Café au lait.");
        assert_eq!(source.encoding.as_deref(), Some("windows-1252"));
        assert_eq!(source.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(source.retrieved_at.as_deref(), Some("2024-03-06T10:00:00Z"));
    }

    #[test]
    fn an_archive_without_a_page_is_refused_by_name() {
        let page = b"Content-Type: multipart/related; boundary=b1\r\n\r\n\
--b1\r\nContent-Type: image/png\r\n\r\nxx\r\n--b1--\r\n";
        let err = extract("empty.mhtml", page).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("empty.mhtml: not a readable MHTML archive"),
            "{err}"
        );
    }
}
