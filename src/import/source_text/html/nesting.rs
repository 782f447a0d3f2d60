//! How deeply a page's elements nest, counted from its tags before it is
//! parsed. The parser and the article search walk the tree by recursion,
//! and their time grows with the square of the depth (measured: 1,000
//! nested `<div>`s 0.16 s, 10,000 17 s, 100,000 overflowed a 2 MiB
//! stack), so a page nested deeper than [`MAX_DEPTH`] is refused. Real pages
//! nest a few dozen deep; Chromium's parser flattens anything past 512.

/// The deepest nesting read; deeper pages are refused.
pub(super) const MAX_DEPTH: usize = 1024;

/// Elements that never nest (void elements) or whose end tag may be left
/// out, so that counting their start tags would overstate the depth.
const NOT_COUNTED: [&[u8]; 34] = [
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"source",
    b"track",
    b"wbr",
    b"param",
    b"keygen",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"optgroup",
    b"rp",
    b"rt",
    b"tbody",
    b"thead",
    b"tfoot",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
];

/// Elements whose content is text, not tags.
const RAW_TEXT: [&[u8]; 6] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"noscript",
];

/// The depth of the deepest element, stopping once past [`MAX_DEPTH`]. An
/// estimate from the tags (start tags deepen, end tags return), which
/// errs on the deep side for sloppy pages.
pub(super) fn depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest, mut at) = (0_usize, 0_usize, 0_usize);
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let tag = &bytes[at + found + 1..];
        if tag.starts_with(b"!--") {
            at = skip_past(bytes, at + found, b"-->");
            continue;
        }
        let closing = tag.first() == Some(&b'/');
        let name = &tag[usize::from(closing)..];
        let name_len = name
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !name[0].is_ascii_alphabetic() {
            at += found + 1;
            continue;
        }
        let name = name[..name_len].to_ascii_lowercase();
        let end = memchr::memchr(b'>', tag).map_or(bytes.len(), |e| at + found + 1 + e + 1);
        at = end;
        if closing {
            if !NOT_COUNTED.contains(&name.as_slice()) {
                depth = depth.saturating_sub(1);
            }
        } else if RAW_TEXT.contains(&name.as_slice()) {
            let mut close = b"</".to_vec();
            close.extend_from_slice(&name);
            at = skip_past_ignoring_case(bytes, at, &close);
        } else if !NOT_COUNTED.contains(&name.as_slice()) {
            depth += 1;
            deepest = deepest.max(depth);
            if deepest > MAX_DEPTH {
                break;
            }
        }
    }
    deepest
}

fn skip_past(bytes: &[u8], from: usize, needle: &[u8]) -> usize {
    memchr::memmem::find(&bytes[from..], needle).map_or(bytes.len(), |at| from + at + needle.len())
}

fn skip_past_ignoring_case(bytes: &[u8], from: usize, needle: &[u8]) -> usize {
    let rest = &bytes[from.min(bytes.len())..];
    rest.windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
        .map_or(bytes.len(), |at| from + at + needle.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_nesting_not_tags() {
        assert_eq!(
            depth("<html><body><div><p>a<p>b<br><img src=x></div></body></html>"),
            1
        );
        assert_eq!(depth("<div><span>a</span><span>b</span></div>"), 2);
        // Tags inside comments and scripts are not tags.
        assert_eq!(
            depth("<!-- <div><div> --><script>'<div><div>'</script><b>x</b>"),
            1
        );
        assert_eq!(depth("a < b and c <3 d"), 0);
        let deep = format!("{}x{}", "<div>".repeat(50), "</div>".repeat(50));
        assert_eq!(depth(&deep), 50);
    }

    #[test]
    fn stops_once_too_deep() {
        let deep = "<section>".repeat(MAX_DEPTH * 10);
        assert_eq!(depth(&deep), MAX_DEPTH + 1);
    }
}
