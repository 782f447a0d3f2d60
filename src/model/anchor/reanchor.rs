//! Finding excerpts again in a text that changed (the steps are listed on
//! [`SourceText::reanchor`]). Each step scans the text once for all the
//! excerpts still unfound, with one Aho–Corasick automaton of their
//! needles, so 1,000 excerpts cost three passes over a 5 MB text, not
//! thousands.
//!
//! The approximate step uses the pigeonhole principle: split a quote of m
//! chars into k + 1 pieces (k = m / 10 edits allowed); k edits can spoil at
//! most k pieces, so any passage within k edits holds one piece verbatim.
//! Each hit of a piece names a window of m + 2k chars where the passage
//! would lie; overlapping windows are merged and verified with Myers'
//! bit-parallel edit distance.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use memchr::memmem;

use super::myers::{Columns, Pattern, Start, distance};
use super::{AnchorState, CONTEXT_CHARS, Reanchored, SourceText, TextAnchor};
use crate::model::FastMap;

/// A fuzzy match may differ from the quote by one char edit per this many
/// chars of the quote (10%).
const CHARS_PER_EDIT: usize = 10;

/// Longer quotes are looked for verbatim and reflowed only: their match
/// masks would grow with the square of the length.
const MAX_FUZZY_CHARS: usize = 4096;

pub(super) fn reanchor_all(source: &SourceText, anchors: &[TextAnchor]) -> Vec<Reanchored> {
    let mut results = vec![Reanchored::ORPHANED; anchors.len()];
    let mut pending = Vec::new();
    for (index, anchor) in anchors.iter().enumerate() {
        if let Some(span) = offsets_hold(source, anchor) {
            results[index] = Reanchored::at(AnchorState::Exact, span);
        } else if !anchor.quote.is_empty() {
            pending.push(index);
        }
    }
    let pending = verbatim(source, anchors, &pending, &mut results);
    let pending = reflowed(source, anchors, &pending, &mut results);
    fuzzy(source, anchors, &pending, &mut results);
    results
}

/// The stored offsets, when the text is the one they were taken in and
/// they still slice out the quote (a damaged row falls through to search).
fn offsets_hold(source: &SourceText, anchor: &TextAnchor) -> Option<(usize, usize)> {
    let span = (anchor.start_char, anchor.end_char);
    (anchor.anchored_sha256.eq_ignore_ascii_case(source.sha256())
        && span.0 <= span.1
        && span.1 <= source.char_count()
        && source.slice(span.0, span.1) == anchor.quote)
        .then_some(span)
}

/// Step 2: the quote verbatim. Returns the excerpts not found.
fn verbatim(
    source: &SourceText,
    anchors: &[TextAnchor],
    pending: &[usize],
    results: &mut [Reanchored],
) -> Vec<usize> {
    let needles: Vec<&str> = pending.iter().map(|&i| anchors[i].quote.as_str()).collect();
    let hits = Hits::find(source.text(), &needles);
    let mut unfound = Vec::new();
    for (needle, &index) in pending.iter().enumerate() {
        let anchor = &anchors[index];
        let (bytes, chars) = (anchor.quote.len(), anchor.quote.chars().count());
        let spans: Vec<Candidate> = hits
            .of(needle)
            .iter()
            .filter(|&&at| {
                source.is_grapheme_boundary(at) && source.is_grapheme_boundary(at + bytes)
            })
            .map(|&at| {
                let start = source.char_of_byte(at);
                Candidate::verbatim((start, start + chars))
            })
            .collect();
        results[index] = match spans.as_slice() {
            [] => {
                unfound.push(index);
                continue;
            }
            [only] => Reanchored::at(AnchorState::Exact, only.span),
            _ => Reanchored::at(
                AnchorState::Relocated,
                Context::new(anchor).choose(source, &spans),
            ),
        };
    }
    unfound
}

/// Step 3: the quote's words in order, any whitespace between them (one
/// char at least where the quote has some). The needle is the longest
/// word; each hit is checked word by word both ways. A quote that begins
/// (ends) with whitespace needs whitespace or the text's end there too.
fn reflowed(
    source: &SourceText,
    anchors: &[TextAnchor],
    pending: &[usize],
    results: &mut [Reanchored],
) -> Vec<usize> {
    struct Job<'a> {
        index: usize,
        words: Vec<&'a str>,
        pivot: usize,
        spaced_start: bool,
        spaced_end: bool,
    }
    let mut unfound = Vec::new();
    let mut jobs = Vec::new();
    for &index in pending {
        let quote = &anchors[index].quote;
        let words: Vec<&str> = quote.split_whitespace().collect();
        let longest = (0..words.len()).max_by_key(|&w| (words[w].len(), std::cmp::Reverse(w)));
        match longest {
            // Without whitespace to change this is the verbatim search again.
            Some(pivot) if quote.contains(char::is_whitespace) => jobs.push(Job {
                index,
                words,
                pivot,
                spaced_start: quote.starts_with(char::is_whitespace),
                spaced_end: quote.ends_with(char::is_whitespace),
            }),
            _ => unfound.push(index),
        }
    }
    let text = source.text();
    let needles: Vec<&str> = jobs.iter().map(|job| job.words[job.pivot]).collect();
    let hits = Hits::find(text, &needles);
    for (needle, job) in jobs.iter().enumerate() {
        let spaced_before = |start: usize| {
            !job.spaced_start
                || text[..start]
                    .chars()
                    .next_back()
                    .is_none_or(char::is_whitespace)
        };
        let spaced_after = |end: usize| {
            !job.spaced_end || text[end..].chars().next().is_none_or(char::is_whitespace)
        };
        let mut spans: Vec<Candidate> = hits
            .of(needle)
            .iter()
            .filter_map(|&at| words_around(text, &job.words, job.pivot, at))
            .filter(|&(start, end)| spaced_before(start) && spaced_after(end))
            .map(|(start, end)| {
                let start = source.char_of_byte(source.boundary_at_or_before(start));
                let end = source.char_of_byte(source.boundary_at_or_after(end));
                Candidate::verbatim((start, end))
            })
            .collect();
        spans.dedup_by_key(|candidate| candidate.span);
        if spans.is_empty() {
            unfound.push(job.index);
        } else {
            results[job.index] = Reanchored::at(
                AnchorState::Relocated,
                Context::new(&anchors[job.index]).choose(source, &spans),
            );
        }
    }
    unfound.sort_unstable();
    unfound
}

/// Byte span of `words` in `text` when `words[pivot]` is at byte `at` and
/// the others follow and precede it with whitespace between.
fn words_around(text: &str, words: &[&str], pivot: usize, at: usize) -> Option<(usize, usize)> {
    let mut end = at + words[pivot].len();
    for word in &words[pivot + 1..] {
        let rest = text.get(end..)?;
        let spaced = rest.trim_start();
        if spaced.len() == rest.len() || !spaced.starts_with(word) {
            return None;
        }
        end += rest.len() - spaced.len() + word.len();
    }
    let mut start = at;
    for word in words[..pivot].iter().rev() {
        let head = text.get(..start)?;
        let spaced = head.trim_end();
        if spaced.len() == head.len() || !spaced.ends_with(word) {
            return None;
        }
        start = spaced.len() - word.len();
    }
    Some((start, end))
}

/// Step 4: a passage within `m / 10` char edits of the quote.
fn fuzzy(
    source: &SourceText,
    anchors: &[TextAnchor],
    pending: &[usize],
    results: &mut [Reanchored],
) {
    struct Job<'a> {
        index: usize,
        chars: Vec<char>,
        edits: usize,
        windows: Vec<(usize, usize)>,
        pieces: Vec<(&'a str, usize)>,
    }
    let mut jobs = Vec::new();
    for &index in pending {
        let quote = anchors[index].quote.as_str();
        let chars: Vec<char> = quote.chars().collect();
        let m = chars.len();
        let edits = m / CHARS_PER_EDIT;
        if edits == 0 || m > MAX_FUZZY_CHARS {
            continue;
        }
        let byte_at: Vec<usize> = quote
            .char_indices()
            .map(|(at, _)| at)
            .chain([quote.len()])
            .collect();
        let count = edits + 1;
        let pieces = (0..count)
            .map(|p| {
                let (from, to) = (p * m / count, (p + 1) * m / count);
                (&quote[byte_at[from]..byte_at[to]], from)
            })
            .collect();
        jobs.push(Job {
            index,
            chars,
            edits,
            windows: Vec::new(),
            pieces,
        });
    }
    let owners: Vec<(usize, usize)> = jobs
        .iter()
        .enumerate()
        .flat_map(|(job, j)| j.pieces.iter().map(move |&(_, from)| (job, from)))
        .collect();
    let needles: Vec<&str> = jobs
        .iter()
        .flat_map(|j| j.pieces.iter().map(|&(piece, _)| piece))
        .collect();
    let hits = Hits::find(source.text(), &needles);
    let n = source.char_count();
    for (needle, &(job, piece_from)) in owners.iter().enumerate() {
        let job = &mut jobs[job];
        let (m, k) = (job.chars.len(), job.edits);
        for &at in hits.of(needle) {
            let hit = source.char_of_byte(at);
            let from = hit.saturating_sub(piece_from + k);
            let to = (hit + m + k).saturating_sub(piece_from).min(n);
            job.windows.push((from, to));
        }
    }
    for job in &mut jobs {
        let forward = Pattern::new(job.chars.iter().copied());
        let backward = Pattern::new(job.chars.iter().rev().copied());
        job.windows.sort_unstable();
        let mut candidates = Vec::new();
        let mut region: Option<(usize, usize)> = None;
        for &(from, to) in &job.windows {
            match &mut region {
                Some((_, end)) if from <= *end => *end = (*end).max(to),
                _ => {
                    if let Some(done) = region.replace((from, to)) {
                        candidates.extend(best_in(source, &forward, &backward, job.edits, done));
                    }
                }
            }
        }
        if let Some(done) = region {
            candidates.extend(best_in(source, &forward, &backward, job.edits, done));
        }
        if !candidates.is_empty() {
            let (start, end) = Context::new(&anchors[job.index]).choose(source, &candidates);
            results[job.index] =
                Reanchored::at(AnchorState::Fuzzy, source.snap_to_graphemes(start, end));
        }
    }
}

/// The passage in chars `region` closest to the pattern, if within
/// `edits`: its end from a free-start scan forward, its start from an
/// anchored scan backward from that end.
fn best_in(
    source: &SourceText,
    forward: &Pattern,
    backward: &Pattern,
    edits: usize,
    (from, to): (usize, usize),
) -> Option<Candidate> {
    let mut columns = Columns::new(forward, Start::Free);
    let mut best: Option<(usize, usize)> = None;
    for (read, c) in source.slice(from, to).chars().enumerate() {
        let score = columns.push(c);
        if score <= edits && best.is_none_or(|(best, _)| score < best) {
            best = Some((score, from + read + 1));
        }
    }
    let (score, end) = best?;
    let m = forward.len();
    let back_to = end.saturating_sub(m + edits).max(from);
    let mut columns = Columns::new(backward, Start::Anchored);
    let mut start: Option<(usize, usize, usize)> = None;
    for (read, c) in source.slice(back_to, end).chars().rev().enumerate() {
        let length = read + 1;
        let key = (columns.push(c), length.abs_diff(m));
        if start.is_none_or(|(score, off, _)| key < (score, off)) {
            start = Some((key.0, key.1, end - length));
        }
    }
    let (_, _, start) = start?;
    Some(Candidate {
        span: (start, end),
        edits: score,
    })
}

/// A place where an excerpt may be now, with the char edits between its
/// text and the quote.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    span: (usize, usize),
    edits: usize,
}

impl Candidate {
    fn verbatim(span: (usize, usize)) -> Self {
        Self { span, edits: 0 }
    }
}

/// An excerpt's stored context, to choose among candidates: the fewest
/// edits (quote, prefix and suffix together), then the nearest to the old
/// start, then the first.
struct Context {
    /// The prefix's last chars, reversed (compared from the quote outwards).
    prefix: Pattern,
    suffix: Pattern,
    old_start: usize,
}

impl Context {
    fn new(anchor: &TextAnchor) -> Self {
        Self {
            prefix: Pattern::new(anchor.prefix.chars().rev().take(CONTEXT_CHARS)),
            suffix: Pattern::new(anchor.suffix.chars().take(CONTEXT_CHARS)),
            old_start: anchor.start_char,
        }
    }

    fn edits(&self, source: &SourceText, (start, end): (usize, usize)) -> usize {
        let before = source.slice(start.saturating_sub(CONTEXT_CHARS), start);
        let after = source.slice(end, end + CONTEXT_CHARS);
        distance(&self.prefix, before.chars().rev()) + distance(&self.suffix, after.chars())
    }

    fn choose(&self, source: &SourceText, candidates: &[Candidate]) -> (usize, usize) {
        candidates
            .iter()
            .min_by_key(|candidate| {
                (
                    candidate.edits + self.edits(source, candidate.span),
                    candidate.span.0.abs_diff(self.old_start),
                    candidate.span.0,
                )
            })
            .map_or((0, 0), |candidate| candidate.span)
    }
}

/// Occurrences kept per needle. A needle found more often (a phrase all
/// over the text, or a text of one repeated char) is not followed further:
/// the cap bounds what a degenerate text can cost in time and memory.
const MAX_HITS_PER_NEEDLE: usize = 10_000;

/// Up to this many needles, one `memmem` pass each is quicker than the
/// automaton, whose overlapping search has no prefilter.
const MEMMEM_NEEDLES: usize = 16;

/// Every occurrence (overlapping ones too) of each needle, as byte offsets
/// in increasing order, up to [`MAX_HITS_PER_NEEDLE`]; equal needles are
/// searched for once.
struct Hits {
    slot_of_needle: Vec<usize>,
    hits: Vec<Vec<usize>>,
}

impl Hits {
    fn find(text: &str, needles: &[&str]) -> Self {
        let mut unique: Vec<&str> = Vec::new();
        let mut slot_of: FastMap<&str, usize> = FastMap::default();
        let slot_of_needle = needles
            .iter()
            .map(|&needle| {
                *slot_of.entry(needle).or_insert_with(|| {
                    unique.push(needle);
                    unique.len() - 1
                })
            })
            .collect();
        let mut hits = vec![Vec::new(); unique.len()];
        // An empty needle would match at every byte.
        let searched: Vec<usize> = (0..unique.len())
            .filter(|&slot| !unique[slot].is_empty())
            .collect();
        let patterns: Vec<&str> = searched.iter().map(|&slot| unique[slot]).collect();
        let scanned = patterns.len() > MEMMEM_NEEDLES
            && AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                // Not the DFA: it is built in time that grows with the
                // square of a periodic pattern's length (a quote of 10,000
                // dashes took 3 s), where the NFA takes a millisecond.
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&patterns)
                .ok()
                .and_then(|automaton| {
                    let found = automaton.try_find_overlapping_iter(text).ok()?;
                    for hit in found {
                        let slot = &mut hits[searched[hit.pattern().as_usize()]];
                        if slot.len() < MAX_HITS_PER_NEEDLE {
                            slot.push(hit.start());
                        }
                    }
                    Some(())
                })
                .is_some();
        if !scanned {
            for &slot in &searched {
                let finder = memmem::Finder::new(unique[slot].as_bytes());
                let found = &mut hits[slot];
                let mut from = 0;
                while found.len() < MAX_HITS_PER_NEEDLE
                    && let Some(at) = text
                        .as_bytes()
                        .get(from..)
                        .and_then(|rest| finder.find(rest))
                {
                    found.push(from + at);
                    from += at + 1;
                }
            }
        }
        Self {
            slot_of_needle,
            hits,
        }
    }

    fn of(&self, needle: usize) -> &[usize] {
        &self.hits[self.slot_of_needle[needle]]
    }
}
