//! References here are independent of the code: hashes from `sha256sum`,
//! cluster boundaries listed by hand, edit distances from a textbook
//! dynamic program written out below.

use super::myers::{Columns, Pattern, Start};
use super::*;

#[test]
fn sha256_matches_sha256sum() {
    // Each value printed once by hand with `printf '…' | sha256sum`.
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    // printf 'caf\xc3\xa9 \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7\r\n' | sha256sum
    let text = "café 👨\u{200D}👩\u{200D}👧\r\n";
    assert_eq!(
        SourceText::new(text).sha256(),
        "b67ed1f4c68a880c0124b75cb74f3cbcbf561c805c036099ba1b3356bf2723e8"
    );
}

#[test]
fn states_read_back_from_their_words() {
    for state in [
        AnchorState::Exact,
        AnchorState::Relocated,
        AnchorState::Fuzzy,
        AnchorState::Orphaned,
    ] {
        assert_eq!(AnchorState::parse(state.as_str()), Some(state));
    }
    assert_eq!(AnchorState::Relocated.as_str(), "relocated");
    for other in ["", "Exact", "exact ", "lost"] {
        assert_eq!(AnchorState::parse(other), None);
    }
}

/// Texts and their extended grapheme cluster boundaries in chars, listed by
/// hand from their code points (`python3 -c 'print(list(enumerate(s)))'`).
fn cluster_fixtures() -> Vec<(&'static str, Vec<usize>)> {
    vec![
        // H i ␠ 👨 ZWJ 👩 ZWJ 👧 ␠ o k ␠ 😀 ␠ 👍 🏽 ␠ 🇫 🇷 .
        (
            "Hi 👨\u{200D}👩\u{200D}👧 ok 😀 👍🏽 🇫🇷.",
            vec![0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 20],
        ),
        // c a f e ◌́ ␠ n o e ◌̈ l
        (
            "cafe\u{0301} noe\u{0308}l",
            vec![0, 1, 2, 3, 5, 6, 7, 8, 10, 11],
        ),
        // ك ◌َ ت ◌َ ب ◌َ ␠ ا ل و ل د (kataba al-walad, with its vowel marks)
        (
            "\u{643}\u{64E}\u{62A}\u{64E}\u{628}\u{64E} \u{627}\u{644}\u{648}\u{644}\u{62F}",
            vec![0, 2, 4, 6, 7, 8, 9, 10, 11, 12],
        ),
        // o n e CR LF t w o CR LF
        ("one\r\ntwo\r\n", vec![0, 1, 2, 3, 5, 6, 7, 8, 10]),
    ]
}

#[test]
fn snapping_moves_every_end_out_to_a_cluster_boundary() {
    for (text, boundaries) in cluster_fixtures() {
        let source = SourceText::new(text);
        let n = source.char_count();
        assert_eq!(n, *boundaries.last().unwrap(), "{text:?}");
        for start in 0..=n {
            for end in start..=n {
                let (s, e) = source.snap_to_graphemes(start, end);
                let before = *boundaries.iter().rev().find(|&&b| b <= start).unwrap();
                let after = *boundaries.iter().find(|&&b| b >= end).unwrap();
                let expected = if start == end {
                    (before, before)
                } else {
                    (before, after)
                };
                assert_eq!((s, e), expected, "{text:?} {start}..{end}");
                let anchor = source.anchor(start, end);
                assert_eq!((anchor.start_char, anchor.end_char), expected);
                assert_eq!(
                    source.slice(anchor.start_char, anchor.end_char),
                    anchor.quote
                );
                let chars: Vec<char> = text.chars().collect();
                let prefix_from = expected.0.saturating_sub(CONTEXT_CHARS);
                let suffix_to = (expected.1 + CONTEXT_CHARS).min(n);
                assert_eq!(
                    anchor.prefix,
                    chars[prefix_from..expected.0].iter().collect::<String>()
                );
                assert_eq!(
                    anchor.suffix,
                    chars[expected.1..suffix_to].iter().collect::<String>()
                );
                assert_eq!(anchor.anchored_sha256, sha256_hex(text.as_bytes()));
            }
        }
    }
}

#[test]
fn selections_out_of_order_or_past_the_end_are_clamped() {
    let source = SourceText::new("cafe\u{0301} noe\u{0308}l");
    assert_eq!(source.snap_to_graphemes(9, 4), (3, 10));
    assert_eq!(source.snap_to_graphemes(4, 500), (3, 11));
    assert_eq!(source.slice(500, 7), "oe\u{0308}l");
    let empty = SourceText::new("");
    assert_eq!(empty.anchor(3, 9).quote, "");
    assert_eq!(empty.word_at(0), (0, 0));
}

#[test]
fn char_and_byte_offsets_agree_with_char_indices() {
    // Mixed widths (1 to 4 bytes) over several checkpoints.
    let text: String = (0..1000)
        .map(|i| ['a', 'é', 'ب', '€', '😀', ' ', '\u{0301}'][i * 7 % 11 % 7])
        .collect();
    let source = SourceText::new(text.as_str());
    let offsets: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    assert_eq!(source.char_count(), offsets.len());
    for (char_at, &byte_at) in offsets.iter().enumerate() {
        assert_eq!(source.byte_of_char(char_at), byte_at);
        assert_eq!(source.char_of_byte(byte_at), char_at);
    }
    assert_eq!(source.byte_of_char(offsets.len()), text.len());
    assert_eq!(source.char_of_byte(text.len()), offsets.len());
    let ascii = SourceText::new("plain");
    assert_eq!((ascii.byte_of_char(3), ascii.char_of_byte(3)), (3, 3));
}

#[test]
fn a_double_click_selects_the_word_under_it() {
    // H e l l o , ␠ w ö r l d ! ␠ 👨 ZWJ 👩 ZWJ 👧 ␠ c a f e ◌́ .
    // 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 ... 18 19 20 21 22 23 24 25
    let source = SourceText::new("Hello, wörld! 👨\u{200D}👩\u{200D}👧 cafe\u{0301}.");
    assert_eq!(source.word_at(2), (0, 5));
    assert_eq!(source.word_at(8), (7, 12));
    assert_eq!(source.word_at(5), (5, 6));
    assert_eq!(source.word_at(16), (14, 19));
    assert_eq!(source.word_at(24), (20, 25));
    assert_eq!(source.slice(20, 25), "cafe\u{0301}");
    assert_eq!(source.word_at(99), (25, 26));
    let arabic = SourceText::new("\u{643}\u{64E}\u{62A}\u{64E}\u{628}\u{64E} \u{627}\u{644}");
    assert_eq!(arabic.word_at(3), (0, 6));
    assert_eq!(arabic.word_at(8), (7, 9));
}

/// The textbook O(n·m) Levenshtein table (Wagner–Fischer), `free_start`
/// making the first row zero (best match ending at each text position).
fn reference_last_row(pattern: &[char], text: &[char], free_start: bool) -> Vec<usize> {
    let mut row: Vec<usize> = (0..=text.len())
        .map(|j| if free_start { 0 } else { j })
        .collect();
    for (i, &p) in pattern.iter().enumerate() {
        let mut next = vec![i + 1; text.len() + 1];
        for (j, &t) in text.iter().enumerate() {
            next[j + 1] = (row[j] + usize::from(p != t))
                .min(row[j + 1] + 1)
                .min(next[j] + 1);
        }
        row = next;
    }
    row
}

/// Deterministic strings over a small alphabet with non-ASCII letters, so
/// that matches and near-matches are common.
fn pseudo_random_chars(seed: u64, len: usize) -> Vec<char> {
    let alphabet = ['a', 'b', 'c', 'é', 'ب', '😀'];
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            alphabet[(state >> 33) as usize % alphabet.len()]
        })
        .collect()
}

#[test]
fn edit_distance_matches_hand_values() {
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("flaw", "lawn"), 2);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("abc", ""), 3);
    assert_eq!(edit_distance("", ""), 0);
    assert_eq!(edit_distance("café", "cafe"), 1);
    assert_eq!(edit_distance("👨\u{200D}👩", "👩"), 2);
}

#[test]
fn bit_parallel_columns_match_the_textbook_table() {
    for (seed, (m, n)) in [
        (0, 10),
        (1, 40),
        (63, 90),
        (64, 64),
        (65, 120),
        (130, 200),
        (200, 150),
    ]
    .into_iter()
    .enumerate()
    {
        let pattern = pseudo_random_chars(seed as u64, m);
        let mut text = pseudo_random_chars(seed as u64 + 100, n);
        // Plant the pattern, lightly edited, in the text.
        if n > m + 4 {
            text.splice(3..3 + m, pattern.iter().copied().skip(1));
        }
        for (start, free) in [(Start::Free, true), (Start::Anchored, false)] {
            let expected = reference_last_row(&pattern, &text, free);
            let compiled = Pattern::new(pattern.iter().copied());
            let mut columns = Columns::new(&compiled, start);
            let mut got = vec![columns.score()];
            got.extend(text.iter().map(|&c| columns.push(c)));
            assert_eq!(got, expected, "m={m} n={n} {start:?}");
        }
    }
}

const ARTICLE: &str = "The ministry confirmed on Tuesday that the contract was awarded to \
Orion Logistics without a tender. Officials said the decision followed an emergency \
procedure. Records show that Orion Logistics received 4.2 million euros in March, \
weeks before the vote. A spokesperson declined to comment on the payments.";

const QUOTE: &str = "Orion Logistics received 4.2 million euros";

fn captured(text: &str, quote: &str, occurrence: usize) -> TextAnchor {
    let source = SourceText::new(text);
    let byte = text.match_indices(quote).nth(occurrence).unwrap().0;
    let start = text[..byte].chars().count();
    let anchor = source.anchor(start, start + quote.chars().count());
    assert_eq!(anchor.quote, quote);
    anchor
}

/// Where `needle` is in `text`, in chars.
fn span_of(text: &str, needle: &str, occurrence: usize) -> (usize, usize) {
    let byte = text.match_indices(needle).nth(occurrence).unwrap().0;
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn reanchored(text: &str, anchor: &TextAnchor) -> Reanchored {
    SourceText::new(text).reanchor(anchor)
}

#[test]
fn the_same_text_keeps_its_offsets_even_for_a_repeated_quote() {
    let text = format!("{ARTICLE} {ARTICLE}");
    let anchor = captured(&text, QUOTE, 1);
    let found = reanchored(&text, &anchor);
    assert_eq!(found.state, AnchorState::Exact);
    assert_eq!(found.span, Some(span_of(&text, QUOTE, 1)));
}

#[test]
fn text_inserted_or_deleted_before_the_quote_leaves_it_exact() {
    let anchor = captured(ARTICLE, QUOTE, 0);
    let inserted = format!("UPDATE (corrected): the figures below were checked.\n{ARTICLE}");
    let found = reanchored(&inserted, &anchor);
    assert_eq!(found.state, AnchorState::Exact);
    assert_eq!(found.span, Some(span_of(&inserted, QUOTE, 0)));
    assert_ne!(found.span, Some((anchor.start_char, anchor.end_char)));

    let deleted = ARTICLE.replacen("The ministry confirmed on Tuesday that t", "T", 1);
    let found = reanchored(&deleted, &anchor);
    assert_eq!(found.state, AnchorState::Exact);
    assert_eq!(found.span, Some(span_of(&deleted, QUOTE, 0)));
}

#[test]
fn an_edit_inside_the_prefix_still_finds_the_quote() {
    let anchor = captured(ARTICLE, QUOTE, 0);
    let edited = ARTICLE.replacen("Records show that", "Bank records clearly show that", 1);
    let found = reanchored(&edited, &anchor);
    assert_ne!(found.span, Some((anchor.start_char, anchor.end_char)));
    assert_eq!(found.state, AnchorState::Exact);
    assert_eq!(found.span, Some(span_of(&edited, QUOTE, 0)));
}

#[test]
fn a_duplicated_quote_is_chosen_by_its_context_before_nearness() {
    let first = "In 2019 the auditors wrote that the payment was approved by the board. ";
    let second = "Later the minister repeated: the payment was approved by the board, he said.";
    let old = format!("{first}{second}");
    let quote = "the payment was approved by the board";
    let anchor = captured(&old, quote, 1);
    // Text inserted before the first sentence moves the first occurrence
    // onto the second one's old offsets: nearness alone would take it.
    let shift = span_of(&old, quote, 1).0 - span_of(&old, quote, 0).0;
    let new = format!("{}{first}{second}", "x".repeat(shift));
    assert_eq!(span_of(&new, quote, 0).0, anchor.start_char);
    let found = reanchored(&new, &anchor);
    assert_eq!(found.state, AnchorState::Relocated);
    assert_eq!(found.span, Some(span_of(&new, quote, 1)));

    // The first occurrence, with its prefix edited, is still told apart.
    let anchor = captured(&old, quote, 0);
    let new = old.replacen("In 2019 the auditors wrote", "In 2019 auditors noted", 1);
    let found = reanchored(&new, &anchor);
    assert_eq!(found.state, AnchorState::Relocated);
    assert_eq!(found.span, Some(span_of(&new, quote, 0)));
}

#[test]
fn among_hits_with_the_same_context_the_nearest_is_chosen() {
    let paragraph = "Payment approved. ";
    let old = paragraph.repeat(6);
    let anchor = captured(&old, "approved", 3);
    let new = format!("Note. {old}");
    let found = reanchored(&new, &anchor);
    assert_eq!(found.state, AnchorState::Relocated);
    assert_eq!(found.span, Some(span_of(&new, "approved", 3)));
}

#[test]
fn reflowed_whitespace_is_relocated_onto_the_new_layout() {
    let anchor = captured(ARTICLE, QUOTE, 0);
    let reflowed = ARTICLE
        .replace("Logistics received", "Logistics\nreceived")
        .replace("4.2 million", "4.2\u{00A0} million");
    let found = reanchored(&reflowed, &anchor);
    assert_eq!(found.state, AnchorState::Relocated);
    let (start, end) = found.span.unwrap();
    assert_eq!(
        SourceText::new(reflowed.as_str()).slice(start, end),
        "Orion Logistics\nreceived 4.2\u{00A0} million euros"
    );
    // Words run together are not a reflow of the quote's layout.
    let joined = ARTICLE.replace("Logistics received", "Logisticsreceived");
    let found = reanchored(&joined, &anchor);
    assert_eq!(found.state, AnchorState::Fuzzy);
}

#[test]
fn a_quote_edited_by_up_to_a_tenth_is_fuzzy_and_by_more_orphaned() {
    // 42 chars: up to 4 edits.
    let anchor = captured(ARTICLE, QUOTE, 0);
    assert_eq!(QUOTE.chars().count(), 42);
    let cases = [
        ("Orion Logistics received 4.3 milion euros", Some(2)),
        ("Orion Logistic received 4.23 milion euro", Some(4)),
        ("Orion Logistic receivd 4.23 milion euro", Some(5)),
        ("Orion got four million", None),
    ];
    for (edited, edits) in cases {
        let text = ARTICLE.replacen(QUOTE, edited, 1);
        let found = reanchored(&text, &anchor);
        if let Some(edits) = edits {
            assert_eq!(edit_distance(QUOTE, edited), edits, "{edited}");
        }
        match edits {
            Some(edits) if edits <= 4 => {
                assert_eq!(found.state, AnchorState::Fuzzy, "{edited}");
                assert_eq!(found.span, Some(span_of(&text, edited, 0)), "{edited}");
            }
            _ => {
                assert_eq!(found.state, AnchorState::Orphaned, "{edited}");
                assert_eq!(found.span, None);
            }
        }
    }
}

#[test]
fn a_deleted_quote_is_orphaned() {
    let anchor = captured(ARTICLE, QUOTE, 0);
    let deleted = ARTICLE.replacen(
        "Records show that Orion Logistics received 4.2 million euros in March, weeks before the vote. ",
        "",
        1,
    );
    assert!(!deleted.contains("4.2"));
    let found = reanchored(&deleted, &anchor);
    assert_eq!(
        found,
        Reanchored {
            state: AnchorState::Orphaned,
            span: None
        }
    );
}

#[test]
fn a_verbatim_hit_inside_a_cluster_does_not_count() {
    // "cafe" is inside "café" (e + U+0301) first, then whole.
    let anchor = TextAnchor {
        quote: "cafe".to_owned(),
        start_char: 0,
        end_char: 4,
        ..TextAnchor::default()
    };
    let text = "Le cafe\u{0301} du coin, pas le cafe.";
    let found = reanchored(text, &anchor);
    assert_eq!(found.state, AnchorState::Exact);
    assert_eq!(found.span, Some((25, 29)));
}

#[test]
fn unicode_quotes_are_found_again_after_an_edit() {
    for (text, _) in cluster_fixtures() {
        let source = SourceText::new(text);
        let n = source.char_count();
        let anchor = source.anchor(1, n - 1);
        let edited = format!("«{text}»");
        let found = reanchored(&edited, &anchor);
        assert_eq!(found.state, AnchorState::Exact, "{text:?}");
        let (start, end) = found.span.unwrap();
        assert_eq!(
            SourceText::new(edited.as_str()).slice(start, end),
            anchor.quote
        );
    }
}

#[test]
fn damaged_anchors_never_panic() {
    let source = SourceText::new(ARTICLE);
    let huge = "p".repeat(100_000);
    let anchors = [
        TextAnchor {
            quote: QUOTE.to_owned(),
            start_char: usize::MAX - 1,
            end_char: 3,
            prefix: huge.clone(),
            suffix: huge,
            anchored_sha256: source.sha256().to_owned(),
        },
        TextAnchor::default(),
        TextAnchor {
            quote: " \n ".to_owned(),
            ..TextAnchor::default()
        },
        TextAnchor {
            quote: "x".repeat(10_000),
            ..TextAnchor::default()
        },
    ];
    let found = source.reanchor_all(&anchors);
    assert_eq!(found[0].state, AnchorState::Exact);
    assert_eq!(found[0].span, Some(span_of(ARTICLE, QUOTE, 0)));
    assert_eq!(found[1].state, AnchorState::Orphaned);
    assert_eq!(found[2].state, AnchorState::Orphaned);
    assert_eq!(found[3].state, AnchorState::Orphaned);
}

#[test]
fn long_periodic_quotes_do_not_stall_the_search() {
    // Regression: a quote of 10,000 dashes among others took the
    // automaton's DFA seconds to build (it grows with the square of such a
    // pattern times the bytes the patterns tell apart).
    let dashes = "-".repeat(30_000);
    let old = SourceText::new(format!("{ARTICLE}{dashes}"));
    let n = ARTICLE.chars().count();
    let mut anchors: Vec<TextAnchor> = (0..17).map(|i| old.anchor(i * 13, i * 13 + 20)).collect();
    anchors.extend((0..3).map(|i| old.anchor(n + i, n + i + 20_000)));
    let new = SourceText::new(format!("Note. {ARTICLE}{dashes}"));
    let started = std::time::Instant::now();
    let found = new.reanchor_all(&anchors);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    for (anchor, found) in anchors.iter().zip(&found) {
        let (start, end) = found.span.unwrap();
        assert_eq!(new.slice(start, end), anchor.quote);
    }
    assert_eq!(found[19].state, AnchorState::Relocated);
}

#[test]
fn many_at_once_agree_with_one_at_a_time() {
    let old = format!("{ARTICLE}\n{ARTICLE}");
    let source = SourceText::new(old.as_str());
    let anchors: Vec<TextAnchor> = (0..40)
        .map(|i| source.anchor(i * 13, i * 13 + 20 + i % 7))
        .collect();
    let new = format!(
        "Intro.\n{}",
        old.replacen("emergency", "urgent", 1)
            .replace("the vote", "the  vote")
    );
    let new = SourceText::new(new);
    let together = new.reanchor_all(&anchors);
    for (anchor, found) in anchors.iter().zip(&together) {
        assert_eq!(*found, new.reanchor(anchor));
    }
    assert!(together.iter().any(|r| r.state == AnchorState::Exact));
    assert!(together.iter().any(|r| r.state == AnchorState::Relocated));
}
