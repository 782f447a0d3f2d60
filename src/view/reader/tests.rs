//! The reader's text model: pieces, steps, snapping and search.
use super::*;

fn view(text: &str) -> ReaderView {
    ReaderView::new(1, Arc::from(text))
}

#[test]
fn pieces_cover_the_text_and_skip_only_line_breaks() {
    let text = "first line\r\nnot cut\n\nafter a blank line\n";
    let reader = view(text);
    let shown: String = reader
        .pieces
        .iter()
        .map(|piece| &text[piece.byte_start..piece.byte_end])
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(shown, text);
    // Char offsets count every char, line breaks included.
    assert_eq!(
        reader.pieces[2].char_start,
        "first line\r\nnot cut\n".chars().count()
    );
}

#[test]
fn a_long_line_is_shown_in_pieces_that_join_back_into_it() {
    let line = "word ".repeat(1_000) + "é🙂";
    let reader = view(&line);
    assert!(reader.pieces.len() > 2);
    let joined: String = reader
        .pieces
        .iter()
        .map(|piece| &line[piece.byte_start..piece.byte_end])
        .collect();
    assert_eq!(joined, line);
    assert!(
        reader
            .pieces
            .iter()
            .all(|piece| piece.chars <= MAX_PIECE_CHARS)
    );
}

#[test]
fn steps_and_snapping_never_split_a_grapheme() {
    // A ZWJ family, an e with a combining accent, then Arabic.
    let text = "a \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} e\u{301}t \u{0645}\u{0631}\u{062D}\u{0628}\u{0627}";
    let reader = view(text);
    // Chars: a, space, the family (5 chars: 2..7), space, e + accent (8..10), t.
    assert_eq!(reader.step(2, Step::Grapheme, true), 7);
    assert_eq!(reader.step(7, Step::Grapheme, false), 2);
    assert_eq!(reader.snap(3, 9), (2, 10));
    assert_eq!(reader.step(8, Step::Grapheme, true), 10);
    assert_eq!(reader.word_at(0), (0, 1));
}

#[test]
fn find_selects_each_hit_in_turn_ignoring_ascii_case() {
    let mut reader = view("Kabul.\nIn kabul they met; KABUL again");
    reader.find_text = "kabul".to_owned();
    reader.find_next();
    assert_eq!(reader.selection(), Some((0, 5)));
    reader.find_next();
    assert_eq!(reader.selection(), Some((10, 15)));
    reader.find_next();
    assert_eq!(reader.selection(), Some((26, 31)));
    assert_eq!(reader.find_status(), (3, 3));
}
