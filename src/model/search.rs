//! Finding entities by name (fuzzy, with `nucleo-matcher`, the matcher of
//! the helix editor) and by description (each word of the query must
//! appear), ranked best first. The window's Find panel, the command palette
//! and `linkscope find` all rank with this, so they agree.
//!
//! Names are in memory and are all scored on every query; it runs on the
//! search thread, split over the cores. Descriptions stay in the file: the
//! store streams them past [`TextMatcher`] one at a time.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::prelude::*;

use super::{Graph, NodeIx};

mod closeness;
mod index;
mod top;
pub use closeness::Closeness;
use closeness::FoldedQuery;
use index::query_mask;
pub use index::{NameIndex, char_mask};
pub use top::TopK;

/// Names are scored in chunks of this many, one chunk per task, each with
/// its own matcher (a matcher holds scratch space and is not shared).
const CHUNK: usize = 32_768;

/// Where a query matched an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchField {
    Name,
    /// Only in its description (names rank first).
    Description,
}

/// One ranked match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ranked {
    pub node: NodeIx,
    /// Ranks before the score: an exact name first, whatever it scores.
    pub closeness: Closeness,
    /// The matcher's score: higher is better. Scores of name and
    /// description matches are not comparable; names rank first.
    pub score: u32,
    pub field: MatchField,
}

/// What ranks a match: its closeness, then its score.
type RankKey = (Closeness, u32);

/// The best matches of one query, best first, and how many there were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ranking {
    pub top: Vec<Ranked>,
    /// Every match, including those beyond `top`.
    pub total: usize,
}

/// A fuzzy query for names: each word of it must match in order of its
/// characters (`zhir` finds "Dmitry Zhirnov", `sh hq` finds "Sirajuddin
/// Haqqani"), case and accents ignored.
#[derive(Debug)]
pub struct NameQuery {
    pattern: Pattern,
    /// See [`char_mask`].
    mask: u64,
    ascii: bool,
    /// Each word as the matcher sees it (lowercased, escapes applied),
    /// when every word is ASCII: a name matches exactly when each is a
    /// subsequence of the lowercased name (what the matcher's own ASCII
    /// prefilter checks), so that test alone decides a match. A word of one
    /// letter or digit is left out when the query has a mask: the mask
    /// test (exact for those) has decided it already.
    needles: Option<Vec<Box<[u8]>>>,
    /// The highest greedy score any name can get (see [`score_ceiling`]).
    ceiling: u32,
    /// The query as [`Closeness`] compares it.
    folded: FoldedQuery,
}

impl NameQuery {
    pub fn new(query: &str) -> Self {
        let pattern = Pattern::new(
            query,
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        let mask = query_mask(query);
        let needles: Option<Vec<Box<[u8]>>> = pattern
            .atoms
            .iter()
            .map(|atom| match atom.needle_text() {
                Utf32Str::Ascii(bytes) => Some(Box::from(bytes)),
                Utf32Str::Unicode(_) => None,
            })
            .collect();
        let needles = needles.map(|mut needles| {
            if mask != 0 {
                needles
                    .retain(|needle| !matches!(**needle, [byte] if byte.is_ascii_alphanumeric()));
            }
            needles
        });
        let ceiling = pattern
            .atoms
            .iter()
            .map(|atom| score_ceiling(atom.needle_text().len()))
            .sum();
        Self {
            pattern,
            mask,
            ascii: query.is_ascii(),
            needles,
            ceiling,
            folded: FoldedQuery::new(query),
        }
    }

    /// True when `name` (ASCII) matches: each word's characters appear in
    /// it in order, case ignored.
    fn matches_ascii(&self, name: &[u8]) -> Option<bool> {
        let needles = self.needles.as_ref()?;
        Some(needles.iter().all(|needle| is_subsequence(needle, name)))
    }

    /// How closely `name` matches, when it matches at all; `scratch`
    /// holds the folded characters of a non-ASCII name.
    pub fn closeness(&self, name: &str, scratch: &mut Vec<char>) -> Closeness {
        self.folded.of(name, scratch)
    }

    /// True when the query has no words: it matches nothing.
    pub fn is_empty(&self) -> bool {
        self.pattern.atoms.is_empty()
    }

    /// The score of `text`, None when it does not match. `scratch` holds
    /// the characters of a non-ASCII text; keep one per thread.
    pub fn score(&self, text: &str, matcher: &mut Matcher, scratch: &mut Vec<char>) -> Option<u32> {
        if self.is_empty() {
            return None;
        }
        self.pattern.score(Utf32Str::new(text, scratch), matcher)
    }

    /// Like [`Self::score`], with the matcher's greedy alignment: a third
    /// of the cost, the same yes or no, a score at most the best one. For
    /// a non-ASCII query (whose accent handling only the full matcher
    /// knows), the full score.
    fn quick_score(
        &self,
        text: &str,
        matcher: &mut Matcher,
        scratch: &mut Vec<char>,
    ) -> Option<u32> {
        if !self.ascii {
            return self.score(text, matcher, scratch);
        }
        self.greedy_score(Utf32Str::new(text, scratch), matcher)
    }

    /// The greedy score of an ASCII query (see [`Self::quick_score`]).
    fn greedy_score(&self, haystack: Utf32Str<'_>, matcher: &mut Matcher) -> Option<u32> {
        // What `Pattern::score` sets for an ASCII atom under
        // `CaseMatching::Ignore` and `Normalization::Smart`.
        matcher.config.ignore_case = true;
        matcher.config.normalize = true;
        let mut score = 0;
        for atom in &self.pattern.atoms {
            score += u32::from(matcher.fuzzy_match_greedy(haystack, atom.needle_text())?);
        }
        Some(score)
    }
}

/// A new matcher with the settings every search here uses.
pub fn new_matcher() -> Matcher {
    Matcher::new(Config::DEFAULT)
}

/// The most a word of `len` characters can score, greedy or not, under
/// [`Config::DEFAULT`]: nucleo-matcher (score.rs) gives each matched
/// character 16 plus a bonus of at most 10 (a word start after a space or
/// the start of the text), the first character's bonus twice, and only
/// subtracts for gaps. Names reaching it are matched as well as possible,
/// so once the best `limit` all reach it no later name can enter them (a
/// tie goes to the earlier name); the scan then only counts. The unit
/// tests check the ceiling against the matcher.
fn score_ceiling(len: usize) -> u32 {
    const MATCH: u32 = 16;
    const MAX_BONUS: u32 = 10;
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    if len == 0 {
        return 0;
    }
    (MATCH + 2 * MAX_BONUS).saturating_add((len - 1).saturating_mul(MATCH + MAX_BONUS))
}

/// True when `needle`'s bytes (lowercase) appear in `haystack` in order,
/// its case ignored.
fn is_subsequence(needle: &[u8], haystack: &[u8]) -> bool {
    let mut wanted = needle.iter();
    let Some(mut next) = wanted.next() else {
        return true;
    };
    for byte in haystack {
        if byte.to_ascii_lowercase() == *next {
            match wanted.next() {
                Some(following) => next = following,
                None => return true,
            }
        }
    }
    false
}

/// A query for longer texts (descriptions): each word must appear as it is
/// written, case and accents ignored; a fuzzy match in a paragraph would
/// find nearly any short query.
#[derive(Debug)]
pub struct TextMatcher {
    pattern: Pattern,
    matcher: Matcher,
    scratch: Vec<char>,
}

impl TextMatcher {
    pub fn new(query: &str) -> Self {
        Self {
            pattern: Pattern::new(
                query,
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Substring,
            ),
            matcher: new_matcher(),
            scratch: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pattern.atoms.is_empty()
    }

    pub fn score(&mut self, text: &str) -> Option<u32> {
        if self.is_empty() {
            return None;
        }
        self.pattern
            .score(Utf32Str::new(text, &mut self.scratch), &mut self.matcher)
    }
}

/// Names scoring the query's ceiling, counted by their closeness.
type CeilingCounts = [AtomicUsize; Closeness::ALL.len()];

/// What one scan of a chunk shares with the others: how many names of each
/// closeness each chunk found scoring the query's ceiling so far (only
/// ever growing).
struct Scan<'s, F> {
    name_of: &'s F,
    index: Option<&'s NameIndex>,
    query: &'s NameQuery,
    limit: usize,
    keep_matched: bool,
    /// None when the query cannot be bounded (a non-ASCII word).
    at_ceiling: Option<&'s [CeilingCounts]>,
}

impl<'a, F: Fn(NodeIx) -> &'a str + Sync> Scan<'_, F> {
    /// The closest closeness up to which the best are settled: at least
    /// `limit` names before the `chunk`th chunk's current one score the
    /// ceiling at that closeness or closer, so no later name that is not
    /// closer can enter the best. `here` counts the chunk's own so far.
    fn closed_upto(&self, chunk: usize, here: &[usize; Closeness::ALL.len()]) -> Option<Closeness> {
        let at_ceiling = self.at_ceiling?;
        let mut at_least = 0;
        for closeness in Closeness::ALL.into_iter().rev() {
            let tier = closeness.index();
            at_least += here[tier]
                + at_ceiling[..chunk]
                    .iter()
                    .map(|counts| counts[tier].load(Ordering::Relaxed))
                    .sum::<usize>();
            if at_least >= self.limit {
                return Some(closeness);
            }
        }
        None
    }

    /// Scores the `chunk`th chunk's `nodes` (ascending); the chunk's best
    /// `limit` and, when kept, every node that matched, in order.
    fn chunk(&self, chunk: usize, nodes: impl Iterator<Item = NodeIx>) -> (TopK, Vec<NodeIx>) {
        let query = self.query;
        let wanted_bits = query.mask;
        let mut matcher = new_matcher();
        let mut scratch = Vec::new();
        let mut folded_scratch = Vec::new();
        let mut top = TopK::new(self.limit);
        let mut matched = Vec::new();
        let mut at_ceiling = [0; Closeness::ALL.len()];
        let mut closed_upto = self.closed_upto(chunk, &at_ceiling);
        let mut reached_ceiling = false;
        for (seen, node) in nodes.enumerate() {
            // The name's bytes when it is ASCII and the query's words are
            // (the match is then decided here), and whether it matched.
            let mut known = None;
            if let Some(index) = self.index {
                if index
                    .masks
                    .get(node as usize)
                    .is_some_and(|&bits| bits & wanted_bits != wanted_bits)
                {
                    continue;
                }
                if let Some(name) = index.ascii_name(node as usize)
                    && let Some(matched) = query.matches_ascii(name)
                {
                    if !matched {
                        continue;
                    }
                    known = Some(name);
                }
            }
            // None inside when the name cannot enter the best.
            let known_closeness = known.map(|name| query.folded.of_ascii_above(name, closed_upto));
            if known_closeness == Some(None) {
                top.count();
            } else {
                let (score, closeness) = if let Some((name, closeness)) =
                    known.zip(known_closeness.flatten())
                {
                    (
                        query.greedy_score(Utf32Str::Ascii(name), &mut matcher),
                        closeness,
                    )
                } else {
                    let name = (self.name_of)(node);
                    let Some(score) = query.quick_score(name, &mut matcher, &mut scratch) else {
                        continue;
                    };
                    (Some(score), query.closeness(name, &mut folded_scratch))
                };
                let Some(score) = score else {
                    continue;
                };
                top.push_ranked(node, (closeness, score));
                if let Some(counts) = self.at_ceiling
                    && score >= query.ceiling
                {
                    let tier = closeness.index();
                    at_ceiling[tier] += 1;
                    counts[chunk][tier].store(at_ceiling[tier], Ordering::Relaxed);
                    reached_ceiling = true;
                }
            }
            if self.keep_matched {
                matched.push(node);
            }
            // Other chunks' counts change any time; this one's only when a
            // name scores the ceiling.
            if closed_upto < Some(Closeness::Exact)
                && ((std::mem::take(&mut reached_ceiling)
                    && at_ceiling.iter().sum::<usize>() >= self.limit)
                    || seen % 1024 == 1023)
            {
                closed_upto = self.closed_upto(chunk, &at_ceiling);
            }
        }
        (top, matched)
    }
}

/// What [`rank_names`] may skip.
#[derive(Clone, Copy, Debug, Default)]
pub struct NameScan<'s> {
    /// The names, indexed: most are then decided without the matcher.
    pub index: Option<&'s NameIndex>,
    /// Only these nodes (ascending) can match: the matches of a query this
    /// one extends.
    pub candidates: Option<&'s [NodeIx]>,
}

/// Scores every name of `count` names (`name_of(i)` for i in `0..count`)
/// against `query`, on all cores. Returns the best `limit` and the total;
/// the best are chosen by the matcher's greedy score (a third of the
/// cost), then ranked by its full score. When there are no more than
/// `limit` matches, that is the full ranking; beyond, a name whose greedy
/// alignment is poor but whose best one is good may be left out of the
/// `limit` kept.
/// `matched`, when given, receives every matching node in ascending order
/// (to narrow the next query, and to leave them out of the description
/// search).
pub fn rank_names<'a>(
    count: usize,
    name_of: impl Fn(NodeIx) -> &'a str + Sync,
    query: &NameQuery,
    limit: usize,
    scan: NameScan<'_>,
    matched: Option<&mut Vec<NodeIx>>,
) -> Ranking {
    let keep_matched = matched.is_some();
    let mut matched_out = matched;
    if let Some(out) = matched_out.as_deref_mut() {
        out.clear();
    }
    if query.is_empty() || count == 0 {
        return Ranking::default();
    }
    let index = scan.index.filter(|index| index.len() == count);
    let chunk_count = match scan.candidates {
        Some(candidates) => candidates.len().div_ceil(CHUNK),
        None => count.div_ceil(CHUNK),
    };
    let counts: Vec<CeilingCounts> = (0..chunk_count)
        .map(|_| std::array::from_fn(|_| AtomicUsize::new(0)))
        .collect();
    let shared = Scan {
        name_of: &name_of,
        index,
        query,
        limit,
        keep_matched,
        at_ceiling: (index.is_some() && query.needles.is_some()).then_some(counts.as_slice()),
    };
    let chunks: Vec<(TopK, Vec<NodeIx>)> = match scan.candidates {
        Some(candidates) => candidates
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(chunk, nodes)| {
                shared.chunk(
                    chunk,
                    nodes
                        .iter()
                        .copied()
                        .filter(|&node| (node as usize) < count),
                )
            })
            .collect(),
        None => (0..chunk_count)
            .into_par_iter()
            .map(|chunk| {
                let start = chunk * CHUNK;
                let end = (start + CHUNK).min(count);
                shared.chunk(chunk, (start..end).map(|node| node as NodeIx))
            })
            .collect(),
    };
    let mut best = TopK::new(limit);
    for (top, chunk_matched) in chunks {
        best = best.merge(top);
        if let Some(out) = matched_out.as_deref_mut() {
            out.extend_from_slice(&chunk_matched);
        }
    }
    // The kept matches, ranked by their best alignment: for a long query
    // over long names this costs more than the scan, so it too is shared
    // out over the cores.
    let total = best.total();
    let rescored: Vec<(NodeIx, RankKey)> = best
        .into_sorted(MatchField::Name)
        .par_iter()
        .map_init(
            || (new_matcher(), Vec::new()),
            |(matcher, scratch), ranked| {
                let score = query
                    .score(name_of(ranked.node), matcher, scratch)
                    .unwrap_or(ranked.score);
                (ranked.node, (ranked.closeness, score))
            },
        )
        .collect();
    let mut exact = TopK::new(limit);
    for (node, key) in rescored {
        exact.push_ranked(node, key);
    }
    Ranking {
        total,
        top: exact.into_sorted(MatchField::Name),
    }
}

/// [`rank_names`] over a graph's entities, scanning them all.
pub fn rank_graph_names(
    graph: &Graph,
    query: &NameQuery,
    limit: usize,
    matched: Option<&mut Vec<NodeIx>>,
) -> Ranking {
    rank_names(
        graph.node_count(),
        |node| graph.node_name(node),
        query,
        limit,
        NameScan::default(),
        matched,
    )
}

/// Name search across keystrokes: the [`NameIndex`], built once (shared,
/// so a copy is cheap), and the matches of the last query. A query that
/// extends the last one (its text starts with it) can only match names the
/// last one matched, so typing on narrows the scan instead of redoing it.
#[derive(Clone, Debug, Default)]
pub struct NameSearcher {
    index: Arc<NameIndex>,
    last: Option<(String, Vec<NodeIx>)>,
}

impl NameSearcher {
    /// Indexes `count` names.
    pub fn new<'a>(count: usize, name_of: impl Fn(NodeIx) -> &'a str + Sync) -> Self {
        Self {
            index: Arc::new(NameIndex::new(count, name_of)),
            last: None,
        }
    }

    /// The best `limit` matches of `text`, and every node whose name
    /// matched (ascending).
    pub fn search<'a>(
        &mut self,
        count: usize,
        name_of: impl Fn(NodeIx) -> &'a str + Sync,
        text: &str,
        limit: usize,
    ) -> (Ranking, &[NodeIx]) {
        let query = NameQuery::new(text);
        let previous = self.last.take().filter(|(last, _)| {
            !last.trim().is_empty() && text.starts_with(last.as_str()) && !last.ends_with('\\')
        });
        let mut matched = Vec::new();
        let ranking = rank_names(
            count,
            name_of,
            &query,
            limit,
            NameScan {
                index: Some(&self.index),
                candidates: previous.as_ref().map(|(_, nodes)| nodes.as_slice()),
            },
            Some(&mut matched),
        );
        let (_, matched) = self.last.insert((text.to_owned(), matched));
        (ranking, matched)
    }
}

/// Appends description matches to a name ranking: names first, then
/// matches found only in a description, each part best first; `top` stays
/// within `limit` in all.
pub fn combine(names: Ranking, descriptions: TopK, limit: usize) -> Ranking {
    let total = names.total + descriptions.total();
    let mut top = names.top;
    let room = limit.saturating_sub(top.len());
    top.extend(
        descriptions
            .into_sorted(MatchField::Description)
            .into_iter()
            .take(room),
    );
    Ranking { top, total }
}

#[cfg(test)]
mod tests;
