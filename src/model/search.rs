//! Finding entities by name (fuzzy, with `nucleo-matcher`, the matcher of
//! the helix editor) and by description (each word of the query must
//! appear), ranked best first. The window's Find panel, the command palette
//! and `linkscope find` all rank with this, so they agree.
//!
//! Names are in memory and are all scored on every query; it runs on the
//! search thread, split over the cores. Descriptions stay in the file: the
//! store streams them past [`TextMatcher`] one at a time.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::prelude::*;

use super::{Graph, NodeIx};

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
    /// The matcher's score: higher is better. Scores of name and
    /// description matches are not comparable; names rank first.
    pub score: u32,
    pub field: MatchField,
}

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
}

impl NameQuery {
    pub fn new(query: &str) -> Self {
        Self {
            pattern: Pattern::new(
                query,
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
            ),
            mask: query_mask(query),
            ascii: query.is_ascii(),
        }
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
        let haystack = Utf32Str::new(text, scratch);
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

/// Keeps the best `limit` of a stream of scored items: higher score first,
/// then the lower node index, so a ranking never depends on thread timing.
#[derive(Debug)]
pub struct TopK {
    limit: usize,
    /// A min-heap on (score, Reverse(node)): the worst kept is on top.
    heap: BinaryHeap<Reverse<(u32, Reverse<NodeIx>)>>,
    total: usize,
}

impl TopK {
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            heap: BinaryHeap::with_capacity(limit.min(1 << 16) + 1),
            total: 0,
        }
    }

    pub fn push(&mut self, node: NodeIx, score: u32) {
        self.total += 1;
        if self.limit == 0 {
            return;
        }
        let item = Reverse((score, Reverse(node)));
        if self.heap.len() < self.limit {
            self.heap.push(item);
        } else if let Some(worst) = self.heap.peek()
            && item < *worst
        {
            self.heap.pop();
            self.heap.push(item);
        }
    }

    fn merge(mut self, other: Self) -> Self {
        let total = self.total + other.total;
        for Reverse((score, Reverse(node))) in other.heap {
            self.push(node, score);
        }
        self.total = total;
        self
    }

    pub fn total(&self) -> usize {
        self.total
    }

    /// Best first.
    pub fn into_sorted(self, field: MatchField) -> Vec<Ranked> {
        let mut items: Vec<(u32, NodeIx)> = self
            .heap
            .into_iter()
            .map(|Reverse((score, Reverse(node)))| (score, node))
            .collect();
        items.sort_unstable_by_key(|&(score, node)| (Reverse(score), node));
        items
            .into_iter()
            .map(|(score, node)| Ranked { node, score, field })
            .collect()
    }
}

/// Which letters, digits and punctuation a text holds, one bit each (case
/// ignored); a non-ASCII text holds "everything", as accents and case
/// folding make its letters unknowable here. A name lacking a letter of
/// the query cannot match it, so one AND skips most names.
pub fn char_mask(text: &str) -> u64 {
    let mut mask = 0_u64;
    for byte in text.bytes() {
        if !byte.is_ascii() {
            return u64::MAX;
        }
        mask |= byte_bit(byte);
    }
    mask
}

fn byte_bit(byte: u8) -> u64 {
    let byte = byte.to_ascii_lowercase();
    match byte {
        b'a'..=b'z' => 1 << (byte - b'a'),
        b'0'..=b'9' => 1 << (26 + byte - b'0'),
        b' ' => 0,
        other => 1 << (36 + other % 28),
    }
}

/// The bits a name must hold to match `query`: 0 (no filter) when the
/// query has a non-ASCII character or an escaped space.
fn query_mask(query: &str) -> u64 {
    if !query.is_ascii() || query.contains('\\') {
        return 0;
    }
    query.bytes().fold(0, |mask, byte| mask | byte_bit(byte))
}

/// Scores `nodes` (names by `name_of`) against `query`; the chunk's best
/// `limit` and, when `matched` is given, every node that matched, in order.
fn score_chunk<'a>(
    nodes: impl Iterator<Item = NodeIx>,
    name_of: &(impl Fn(NodeIx) -> &'a str + Sync),
    masks: Option<&[u64]>,
    wanted_bits: u64,
    query: &NameQuery,
    limit: usize,
    keep_matched: bool,
) -> (TopK, Vec<NodeIx>) {
    let mut matcher = new_matcher();
    let mut scratch = Vec::new();
    let mut top = TopK::new(limit);
    let mut matched = Vec::new();
    for node in nodes {
        if let Some(masks) = masks
            && masks
                .get(node as usize)
                .is_some_and(|&bits| bits & wanted_bits != wanted_bits)
        {
            continue;
        }
        if let Some(score) = query.quick_score(name_of(node), &mut matcher, &mut scratch) {
            top.push(node, score);
            if keep_matched {
                matched.push(node);
            }
        }
    }
    (top, matched)
}

/// What [`rank_names`] may skip.
#[derive(Clone, Copy, Debug, Default)]
pub struct NameScan<'s> {
    /// [`char_mask`] of every name, by node.
    pub masks: Option<&'s [u64]>,
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
    let wanted_bits = query.mask;
    let masks = scan.masks.filter(|masks| masks.len() == count);
    let chunks: Vec<(TopK, Vec<NodeIx>)> = match scan.candidates {
        Some(candidates) => candidates
            .par_chunks(CHUNK)
            .map(|chunk| {
                score_chunk(
                    chunk
                        .iter()
                        .copied()
                        .filter(|&node| (node as usize) < count),
                    &name_of,
                    masks,
                    wanted_bits,
                    query,
                    limit,
                    keep_matched,
                )
            })
            .collect(),
        None => (0..count.div_ceil(CHUNK))
            .into_par_iter()
            .map(|chunk| {
                let start = chunk * CHUNK;
                let end = (start + CHUNK).min(count);
                score_chunk(
                    (start..end).map(|node| node as NodeIx),
                    &name_of,
                    masks,
                    wanted_bits,
                    query,
                    limit,
                    keep_matched,
                )
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
    // The kept matches, ranked by their best alignment.
    let total = best.total();
    let mut matcher = new_matcher();
    let mut scratch = Vec::new();
    let mut exact = TopK::new(limit);
    for ranked in best.into_sorted(MatchField::Name) {
        let score = query
            .score(name_of(ranked.node), &mut matcher, &mut scratch)
            .unwrap_or(ranked.score);
        exact.push(ranked.node, score);
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

/// Name search across keystrokes: the names' [`char_mask`]s, built once,
/// and the matches of the last query. A query that extends the last one
/// (its text starts with it) can only match names the last one matched,
/// so typing on narrows the scan instead of redoing it.
#[derive(Clone, Debug, Default)]
pub struct NameSearcher {
    masks: Vec<u64>,
    last: Option<(String, Vec<NodeIx>)>,
}

impl NameSearcher {
    /// Builds the masks of `count` names.
    pub fn new<'a>(count: usize, name_of: impl Fn(NodeIx) -> &'a str + Sync) -> Self {
        let masks = (0..count)
            .into_par_iter()
            .map(|node| char_mask(name_of(node as NodeIx)))
            .collect();
        Self { masks, last: None }
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
                masks: Some(&self.masks),
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
mod tests {
    use super::*;

    const NAMES: [&str; 6] = [
        "Dmitry Zhirnov",
        "Sirajuddin Haqqani",
        "Haqqani Network",
        "Zhirnov–Haqqani meeting in Kabul",
        "Sergei Shoigu",
        "Émile Zola",
    ];

    fn rank(query: &str, limit: usize) -> Ranking {
        rank_names(
            NAMES.len(),
            |node| NAMES[node as usize],
            &NameQuery::new(query),
            limit,
            NameScan::default(),
            None,
        )
    }

    fn names_of(ranking: &Ranking) -> Vec<&'static str> {
        ranking
            .top
            .iter()
            .map(|ranked| NAMES[ranked.node as usize])
            .collect()
    }

    #[test]
    fn a_fuzzy_query_finds_names_with_its_letters_in_order() {
        let ranking = rank("zhirn", 10);
        assert_eq!(
            names_of(&ranking),
            ["Dmitry Zhirnov", "Zhirnov–Haqqani meeting in Kabul"]
        );
        assert_eq!(ranking.total, 2);
        // Letters skipped inside words still match; out of order they don't.
        assert!(names_of(&rank("srgshg", 10)).contains(&"Sergei Shoigu"));
        assert!(rank("vonrihz", 10).top.is_empty());
    }

    #[test]
    fn case_and_accents_are_ignored_and_every_word_must_match() {
        assert_eq!(names_of(&rank("emile", 10)), ["Émile Zola"]);
        assert_eq!(names_of(&rank("HAQQANI netw", 10)), ["Haqqani Network"]);
    }

    #[test]
    fn a_whole_word_ranks_above_scattered_letters() {
        // "haqqani" is a whole word in three names; a contiguous match at a
        // word start beats one spread over words.
        let ranking = rank("haqqani", 10);
        assert_eq!(ranking.total, 3);
        let first = NAMES[ranking.top[0].node as usize];
        assert!(first.starts_with("Haqqani") || first.contains(" Haqqani"));
        assert!(ranking.top.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn the_limit_keeps_the_best_and_counts_all() {
        let all = rank("a", 10);
        let two = rank("a", 2);
        assert_eq!(two.total, all.total);
        assert_eq!(two.top, all.top[..2]);
    }

    #[test]
    fn an_empty_query_matches_nothing() {
        assert_eq!(rank("   ", 10), Ranking::default());
    }

    #[test]
    fn ties_rank_by_node_whatever_the_chunking() {
        let names: Vec<String> = (0..100_000).map(|i| format!("Actor {i}")).collect();
        let query = NameQuery::new("actor");
        let mut matched = Vec::new();
        let ranking = rank_names(
            names.len(),
            |node| names[node as usize].as_str(),
            &query,
            5,
            NameScan::default(),
            Some(&mut matched),
        );
        assert_eq!(ranking.total, 100_000);
        assert_eq!(matched, (0..100_000).collect::<Vec<NodeIx>>());
        let nodes: Vec<NodeIx> = ranking.top.iter().map(|r| r.node).collect();
        // Equal scores: the lowest indices, in order.
        assert_eq!(nodes, [0, 1, 2, 3, 4]);
    }

    /// Typing on narrows the scan to the last matches, and the masks skip
    /// names lacking a letter: both must give what a full scan gives.
    #[test]
    fn narrowing_and_masks_give_the_same_ranking_as_a_full_scan() {
        let names: Vec<String> = (0..20_000)
            .map(|i| {
                format!(
                    "{} {} é{}",
                    ["Marat", "Omar", "Tina", "Émile"][i % 4],
                    i * 7,
                    i % 13
                )
            })
            .collect();
        let name_of = |node: NodeIx| names[node as usize].as_str();
        let mut searcher = NameSearcher::new(names.len(), name_of);
        for typed in [
            "m", "ma", "mar", "mart", "ma", "e", "em", "em1", "ém", "o 7", "o 77",
        ] {
            let (ranking, matched) = searcher.search(names.len(), name_of, typed, 50);
            let matched = matched.to_vec();
            let mut full_matched = Vec::new();
            let full = rank_names(
                names.len(),
                name_of,
                &NameQuery::new(typed),
                50,
                NameScan::default(),
                Some(&mut full_matched),
            );
            assert_eq!(ranking, full, "{typed}");
            assert_eq!(matched, full_matched, "{typed}");
        }
    }

    #[test]
    fn descriptions_need_each_word_as_written() {
        let mut matcher = TextMatcher::new("russian ambassador");
        assert!(
            matcher
                .score("Russian Ambassador to Afghanistan; met Sirajuddin Haqqani")
                .is_some()
        );
        assert!(matcher.score("Ambassador of the Russian state").is_some());
        assert!(matcher.score("Russ amb").is_none());
    }

    #[test]
    fn descriptions_follow_names_within_the_limit() {
        let names = rank("zhirnov", 10);
        let mut descriptions = TopK::new(10);
        descriptions.push(4, 50);
        descriptions.push(2, 80);
        let combined = combine(names, descriptions, 3);
        assert_eq!(combined.total, 4);
        let fields: Vec<MatchField> = combined.top.iter().map(|r| r.field).collect();
        assert_eq!(
            fields,
            [MatchField::Name, MatchField::Name, MatchField::Description]
        );
        assert_eq!(combined.top[2].node, 2);
    }
}
