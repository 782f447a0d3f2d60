//! Re-anchoring captured evidence (issue 22: 1,000 excerpts in ≤ 2 s on a
//! 5 MB text). The text is generated, seeded: word-like syllables with
//! some non-ASCII words (accents, Arabic, an emoji family). 1,000 excerpts
//! are anchored in it, then the text is edited as a new extraction would:
//! sentences inserted before every tenth quote, one quote in twenty
//! altered by about 5%, one in twenty reflowed, one in thirty deleted.
//! Timed: indexing the new text (hash and char index, once per open), and
//! re-anchoring all 1,000 excerpts in it.
//!
//! `cargo bench --bench capture`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use linkscope::model::anchor::{AnchorState, SourceText, TextAnchor};

const TEXT_BYTES: usize = 5_000_000;
const EXCERPTS: usize = 1_000;

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

fn generated_text() -> String {
    let mut rng = Lcg(22);
    let syllables = [
        "ka", "ro", "mi", "sen", "tur", "va", "lo", "pre", "dan", "ex", "ol", "ri", "ta", "bu",
        "ché", "mü", "ßa", "no", "vel", "ist",
    ];
    let special = [
        "café",
        "naïve",
        "قال",
        "الوزير",
        "👨\u{200D}👩\u{200D}👧",
        "noe\u{0308}l",
    ];
    let vocabulary: Vec<String> = (0..5_000)
        .map(|_| {
            let count = 1 + rng.below(4);
            (0..count)
                .map(|_| syllables[rng.below(syllables.len())])
                .collect()
        })
        .collect();
    let mut text = String::with_capacity(TEXT_BYTES + 1_000);
    while text.len() < TEXT_BYTES {
        let words = 8 + rng.below(16);
        for w in 0..words {
            let word = if rng.below(50) == 0 {
                special[rng.below(special.len())]
            } else {
                // Zipf-like: low ranks far more often.
                let rank =
                    rng.below(vocabulary.len()) * rng.below(vocabulary.len()) / vocabulary.len();
                vocabulary[rank].as_str()
            };
            text.push_str(word);
            text.push_str(if w + 1 == words { ". " } else { " " });
        }
        if rng.below(6) == 0 {
            text.push_str("\n\n");
        }
    }
    text
}

/// What the edit did to each excerpt, to check the outcome at scale.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Edit {
    None,
    Altered,
    Reflowed,
    Deleted,
}

/// The edited text and what happened to each excerpt (anchors in order,
/// not overlapping).
fn edited(old: &SourceText, anchors: &[TextAnchor]) -> (String, Vec<Edit>) {
    let mut new = String::with_capacity(old.text().len() + 200_000);
    let mut edits = Vec::new();
    let mut copied = 0;
    for (i, anchor) in anchors.iter().enumerate() {
        let start_byte = old.byte_of_char(anchor.start_char);
        let end_byte = old.byte_of_char(anchor.end_char);
        new.push_str(&old.text()[copied..start_byte]);
        if i % 10 == 0 {
            new.push_str("An inserted sentence, from a later edition. ");
        }
        let quote = &anchor.quote;
        let edit = match i % 60 {
            5 | 35 | 55 => Edit::Altered,
            15 | 45 => Edit::Reflowed,
            25 | 50 => Edit::Deleted,
            _ => Edit::None,
        };
        match edit {
            Edit::None => new.push_str(quote),
            // One char in twenty replaced (5%).
            Edit::Altered => new.extend(
                quote
                    .chars()
                    .enumerate()
                    .map(|(at, c)| if at % 20 == 10 { '#' } else { c }),
            ),
            Edit::Reflowed => new.push_str(&quote.replace(' ', "\n  ")),
            Edit::Deleted => {}
        }
        edits.push(edit);
        copied = end_byte;
    }
    new.push_str(&old.text()[copied..]);
    (new, edits)
}

fn reanchoring(c: &mut Criterion) {
    let old = SourceText::new(generated_text());
    let n = old.char_count();
    let mut rng = Lcg(7);
    let spacing = n / EXCERPTS;
    let anchors: Vec<TextAnchor> = (0..EXCERPTS)
        .map(|i| {
            let start = i * spacing + 100 + rng.below(spacing / 4);
            old.anchor(start, start + 40 + rng.below(160))
        })
        .collect();
    let (new_text, edits) = edited(&old, &anchors);
    let new = SourceText::new(new_text.as_str());

    // The outcome, checked once at this scale before timing.
    let found = new.reanchor_all(&anchors);
    let mut counts = std::collections::BTreeMap::new();
    for (edit, result) in edits.iter().zip(&found) {
        *counts.entry((*edit, result.state.as_str())).or_insert(0) += 1;
        let expected = match edit {
            Edit::Deleted => AnchorState::Orphaned,
            Edit::Altered => AnchorState::Fuzzy,
            Edit::Reflowed => AnchorState::Relocated,
            Edit::None => result.state,
        };
        assert_eq!(result.state, expected, "{edit:?}");
    }
    for (anchor, result) in anchors.iter().zip(&found) {
        if result.state == AnchorState::Exact {
            let (start, end) = result.span.expect("an exact span");
            assert_eq!(new.slice(start, end), anchor.quote);
        }
    }
    eprintln!(
        "capture bench: {:.1} MB, {n} chars; outcomes {counts:?}",
        new_text.len() as f64 / 1e6
    );

    let mut group = c.benchmark_group("capture");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(25));
    group.bench_function("index a 5 MB text (hash, char index)", |b| {
        b.iter(|| black_box(SourceText::new(new_text.as_str())));
    });
    group.bench_function("re-anchor 1,000 excerpts in an edited 5 MB text", |b| {
        b.iter(|| black_box(new.reanchor_all(&anchors)));
    });
    let altered = edits
        .iter()
        .position(|&edit| edit == Edit::Altered)
        .expect("an altered excerpt");
    group.bench_function("re-anchor one altered excerpt (fuzzy)", |b| {
        b.iter(|| black_box(new.reanchor(&anchors[altered])));
    });
    group.finish();
}

criterion_group!(benches, reanchoring);
criterion_main!(benches);
