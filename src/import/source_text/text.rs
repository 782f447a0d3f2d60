//! Plain text in any common encoding: a byte-order mark (UTF-8, UTF-16LE,
//! UTF-16BE) decides first; then valid UTF-8 is UTF-8; then UTF-16 without
//! a mark is recognised by its zero bytes; anything else goes to chardetng,
//! the detector Firefox uses for legacy web content. A file with NUL bytes
//! or many control characters is binary and refused.

use chardetng::{Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use super::{
    CHARDETNG, ENCODING_RS, ExtractedSource, SourceKind, SourceTextError, normalise_line_ends,
};

/// How many bytes the checks for binary content and UTF-16 look at (git
/// looks at 8000 for its binary test).
const HEAD: usize = 8192;
/// How much of a large file chardetng reads: enough to tell an encoding,
/// and a bound on the time it takes.
const DETECT_BYTES: usize = 1 << 20;

pub(super) fn extract(file_name: &str, bytes: &[u8]) -> Result<ExtractedSource, SourceTextError> {
    let (decoded, encoding) = decode(file_name, bytes)?;
    let text = normalise_line_ends(&decoded).into_owned();
    refuse_control_characters(file_name, &text)?;
    let detector = if encoding == UTF_8 || is_utf16(encoding) {
        String::new()
    } else {
        format!(", {CHARDETNG}")
    };
    Ok(ExtractedSource {
        extractor: format!(
            "linkscope-txt {} ({ENCODING_RS}{detector})",
            env!("CARGO_PKG_VERSION")
        ),
        encoding: Some(encoding.name().to_owned()),
        ..ExtractedSource::new(SourceKind::Txt, text)
    })
}

/// The text of `bytes` and the encoding it was read in, with any
/// byte-order mark removed.
fn decode(file_name: &str, bytes: &[u8]) -> Result<(String, &'static Encoding), SourceTextError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok((text.into_owned(), encoding));
    }
    // Before UTF-8: ASCII in UTF-16 is valid UTF-8, with a NUL in every pair.
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Ok((text.into_owned(), encoding));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        refuse_nul(file_name, text.as_bytes())?;
        return Ok((text.to_owned(), UTF_8));
    }
    refuse_nul(file_name, bytes)?;
    let encoding = detect(bytes, false);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok((text.into_owned(), encoding))
}

/// chardetng's guess for `bytes`. A web page may be UTF-8 (text files get
/// here only when they are not); ISO-2022-JP is allowed for text files
/// only, as chardetng advises browsers.
pub(super) fn detect(bytes: &[u8], web_page: bool) -> &'static Encoding {
    let (iso_2022_jp, utf8) = if web_page {
        (Iso2022JpDetection::Deny, Utf8Detection::Allow)
    } else {
        (Iso2022JpDetection::Allow, Utf8Detection::Deny)
    };
    let mut detector = chardetng::EncodingDetector::new(iso_2022_jp);
    let head = &bytes[..bytes.len().min(DETECT_BYTES)];
    detector.feed(head, head.len() == bytes.len());
    detector.guess(None, utf8)
}

fn is_utf16(encoding: &'static Encoding) -> bool {
    encoding == UTF_16LE || encoding == UTF_16BE
}

/// UTF-16 without a byte-order mark: mostly-Latin text has a zero in every
/// other byte, on the even side for big-endian and the odd side for
/// little-endian, and almost none on the other.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(HEAD) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zeros_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let zeros_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if zeros_odd * 10 >= pairs * 7 && zeros_even * 20 <= pairs {
        Some(UTF_16LE)
    } else if zeros_even * 10 >= pairs * 7 && zeros_odd * 20 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn refuse_nul(file_name: &str, bytes: &[u8]) -> Result<(), SourceTextError> {
    match memchr::memchr(0, &bytes[..bytes.len().min(HEAD)]) {
        Some(at) => Err(SourceTextError::Binary {
            file: file_name.to_owned(),
            reason: format!("a NUL byte at offset {at}"),
        }),
        None => Ok(()),
    }
}

/// Text has few control characters (tab, line ends, form feed and DOS's
/// end-of-file mark aside); decoded binary has many, in any encoding.
fn refuse_control_characters(file_name: &str, text: &str) -> Result<(), SourceTextError> {
    let mut chars = 0_usize;
    let mut controls = 0_usize;
    for c in text.chars().take(HEAD) {
        chars += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\u{c}' | '\u{1a}') {
            controls += 1;
        }
    }
    // More than one character in 20.
    if controls * 20 > chars {
        return Err(SourceTextError::Binary {
            file: file_name.to_owned(),
            reason: format!("{controls} control characters in its first {chars} characters"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(bytes: &[u8]) -> (String, String) {
        let source = extract("t.txt", bytes).unwrap();
        (source.text, source.encoding.unwrap())
    }

    #[test]
    fn byte_order_marks_choose_the_encoding_and_are_dropped() {
        // "é\r\n" in each encoding, written out by hand.
        assert_eq!(
            text_of(b"\xef\xbb\xbf\xc3\xa9\r\n"),
            ("é\n".into(), "UTF-8".into())
        );
        assert_eq!(
            text_of(b"\xff\xfe\xe9\x00\r\x00\n\x00"),
            ("é\n".into(), "UTF-16LE".into())
        );
        assert_eq!(
            text_of(b"\xfe\xff\x00\xe9\x00\r\x00\n"),
            ("é\n".into(), "UTF-16BE".into())
        );
    }

    #[test]
    fn utf16_without_a_mark_is_recognised_by_its_zero_bytes() {
        let le: Vec<u8> = "plain words\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "plain words\r\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(text_of(&le), ("plain words\n".into(), "UTF-16LE".into()));
        assert_eq!(text_of(&be), ("plain words\n".into(), "UTF-16BE".into()));
    }

    #[test]
    fn crlf_and_lone_cr_become_newlines() {
        assert_eq!(text_of(b"a\r\nb\rc\n\r\nd\r").0, "a\nb\nc\n\nd\n");
    }

    #[test]
    fn legacy_bytes_go_to_the_detector() {
        // "naïve café – “quoted”" in windows-1252 (0xEF ï, 0xE9 é, 0x96 –,
        // 0x93/0x94 quotes), repeated so the detector has enough to go on.
        let line: &[u8] = b"The na\xefve caf\xe9 \x96 \x93quoted\x94 words.\r\n";
        let bytes = line.repeat(20);
        let (text, encoding) = text_of(&bytes);
        assert_eq!(encoding, "windows-1252");
        assert!(text.starts_with("The naïve café – “quoted” words.\n"));
        let source = extract("t.txt", &bytes).unwrap();
        assert!(
            source.extractor.contains("chardetng"),
            "{}",
            source.extractor
        );
    }

    #[test]
    fn nul_bytes_and_control_characters_are_binary() {
        let err = extract("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00").unwrap_err();
        assert!(
            matches!(err, SourceTextError::Binary { .. }),
            "{err}: not refused as binary"
        );
        assert!(err.to_string().starts_with("tool.exe: "), "{err}");
        let controls = extract("c.txt", b"ab\x01\x02\x03\x04cd\x05\x06\x07\x08").unwrap_err();
        assert!(
            matches!(controls, SourceTextError::Binary { .. }),
            "{controls}"
        );
        // A few control characters in real text are kept.
        assert_eq!(
            text_of(b"page one\x0cpage two\x1a").0,
            "page one\u{c}page two\u{1a}"
        );
    }
}
