//! Writing XML text safely: every value escaped, and the characters XML 1.0
//! cannot hold at all (most control characters) left out, so a file with a
//! stray control byte in a name still gives a document every reader parses.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` escaped for an attribute value or element content (as it is
/// when it needs nothing: most names and values are plain ASCII).
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    let plain = text.bytes().all(|byte| {
        (0x20..0x7f).contains(&byte) && !matches!(byte, b'&' | b'<' | b'>' | b'"' | b'\'')
    });
    if plain {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept through attribute-value normalisation.
            '\t' | '\n' | '\r' => {
                let _ = write!(out, "&#{};", u32::from(character));
            }
            character if is_xml_char(character) => out.push(character),
            _ => {}
        }
    }
    Cow::Owned(out)
}

fn is_xml_char(character: char) -> bool {
    matches!(u32::from(character), 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF)
}

/// `#rrggbb` for a colour.
pub(crate) fn hex(colour: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", colour[0], colour[1], colour[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\u{1}y\u{fffe}z"), "xyz");
        assert_eq!(escape("line\nnext"), "line&#10;next");
    }
}
