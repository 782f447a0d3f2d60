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

/// Scores every name of `count` names (`name_of(i)` for i in `0..count`)
/// against `query`, on all cores. Returns the best `limit` and the total;
/// `matched`, when given, is set to which names matched (for leaving them
/// out of the description search).
pub fn rank_names<'a>(
    count: usize,
    name_of: impl Fn(NodeIx) -> &'a str + Sync,
    query: &NameQuery,
    limit: usize,
    matched: Option<&mut Vec<bool>>,
) -> Ranking {
    if query.is_empty() || count == 0 {
        if let Some(matched) = matched {
            matched.clear();
            matched.resize(count, false);
        }
        return Ranking::default();
    }
    let chunks: Vec<(TopK, Vec<bool>)> = (0..count.div_ceil(CHUNK))
        .into_par_iter()
        .map(|chunk| {
            let start = chunk * CHUNK;
            let end = (start + CHUNK).min(count);
            let mut matcher = new_matcher();
            let mut scratch = Vec::new();
            let mut top = TopK::new(limit);
            let mut flags = Vec::with_capacity(end - start);
            for node in start..end {
                let node = node as NodeIx;
                let score = query.score(name_of(node), &mut matcher, &mut scratch);
                flags.push(score.is_some());
                if let Some(score) = score {
                    top.push(node, score);
                }
            }
            (top, flags)
        })
        .collect();
    let mut flags_out = matched;
    if let Some(flags) = flags_out.as_deref_mut() {
        flags.clear();
        flags.reserve(count);
    }
    let mut best = TopK::new(limit);
    for (top, flags) in chunks {
        best = best.merge(top);
        if let Some(out) = flags_out.as_deref_mut() {
            out.extend_from_slice(&flags);
        }
    }
    Ranking {
        total: best.total(),
        top: best.into_sorted(MatchField::Name),
    }
}

/// [`rank_names`] over a graph's entities.
pub fn rank_graph_names(
    graph: &Graph,
    query: &NameQuery,
    limit: usize,
    matched: Option<&mut Vec<bool>>,
) -> Ranking {
    rank_names(
        graph.node_count(),
        |node| graph.node_name(node),
        query,
        limit,
        matched,
    )
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
            Some(&mut matched),
        );
        assert_eq!(ranking.total, 100_000);
        assert!(matched.iter().all(|&m| m));
        let nodes: Vec<NodeIx> = ranking.top.iter().map(|r| r.node).collect();
        // Equal scores: the lowest indices, in order.
        assert_eq!(nodes, [0, 1, 2, 3, 4]);
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
