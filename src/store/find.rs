//! Find over a whole file: entities by name (in memory) and description
//! (streamed from the file), and relations by a phrase in the excerpts they
//! cite. The window's search thread and `linkscope find` both call these.
//!
//! Each scan asks `keep_going` every few hundred rows, so a query that a
//! newer one has replaced stops early; it then returns None.

use std::ops::ControlFlow;

use super::StoreError;
use super::text_scan::{ScanEnd, TextScanner};
use crate::model::search::{self, NameQuery, Ranking, TextMatcher, TopK};
use crate::model::{EdgeIx, FastMap, Graph};

/// Rows read between two calls of `keep_going`.
const CHECK_EVERY_ROWS: u32 = 256;
/// Characters of context shown on each side of a phrase found in an excerpt.
const SNIPPET_CONTEXT_CHARS: usize = 70;

/// Asks `keep_going` every [`CHECK_EVERY_ROWS`] rows.
struct Checker<'a> {
    keep_going: &'a dyn Fn() -> bool,
    rows: u32,
}

impl<'a> Checker<'a> {
    fn new(keep_going: &'a dyn Fn() -> bool) -> Self {
        Self {
            keep_going,
            rows: 0,
        }
    }

    /// Break when the scan should stop.
    fn next_row(&mut self) -> ControlFlow<()> {
        self.rows += 1;
        if self.rows.is_multiple_of(CHECK_EVERY_ROWS) && !(self.keep_going)() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

/// The entities whose description matches `query` (each word in it) and
/// whose name did not (`name_matched`, ascending nodes), best first.
pub fn rank_descriptions(
    graph: &Graph,
    scanner: &TextScanner,
    query: &str,
    name_matched: &[crate::model::NodeIx],
    limit: usize,
    keep_going: &dyn Fn() -> bool,
) -> Result<Option<TopK>, StoreError> {
    let mut matcher = TextMatcher::new(query);
    let mut top = TopK::new(limit);
    if matcher.is_empty() {
        return Ok(Some(top));
    }
    let mut checker = Checker::new(keep_going);
    let end = scanner.descriptions(|id, text| {
        checker.next_row()?;
        if let Some(node) = graph.node_by_db_id(id)
            && name_matched.binary_search(&node).is_err()
            && let Some(score) = matcher.score(text)
        {
            top.push(node, score);
        }
        ControlFlow::Continue(())
    })?;
    Ok((end == ScanEnd::Finished).then_some(top))
}

/// Names, then descriptions, in one call (for the command line).
pub fn find_entities(
    graph: &Graph,
    scanner: &TextScanner,
    query: &str,
    limit: usize,
) -> Result<Ranking, StoreError> {
    let mut matched = Vec::new();
    let names = search::rank_graph_names(graph, &NameQuery::new(query), limit, Some(&mut matched));
    let descriptions = rank_descriptions(graph, scanner, query, &matched, limit, &|| true)?
        .unwrap_or_else(|| TopK::new(0));
    Ok(search::combine(names, descriptions, limit))
}

/// Edge index by relation id, for mapping what the file says to the graph.
pub fn edges_by_db_id(graph: &Graph) -> FastMap<i64, EdgeIx> {
    (0..graph.edge_count() as EdgeIx)
        .map(|edge| (graph.edge_db_id(edge), edge))
        .collect()
}

/// A phrase in its excerpt, with some text either side.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    /// Starts with "…" when the excerpt goes on before it.
    pub before: String,
    /// The phrase as the excerpt writes it.
    pub found: String,
    /// Ends with "…" when the excerpt goes on after it.
    pub after: String,
}

/// A relation that cites an excerpt containing the phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExcerptHit {
    pub edge: EdgeIx,
    /// The first (lowest id) of its excerpts that contain the phrase.
    pub excerpt_id: i64,
    pub snippet: Snippet,
    /// How many of its excerpts contain the phrase.
    pub excerpts: u32,
}

/// Relations citing a phrase, in relation id order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExcerptSearch {
    pub hits: Vec<ExcerptHit>,
    /// Excerpts containing the phrase (cited or not).
    pub excerpts_found: usize,
    /// Relations citing them, including those beyond `hits`.
    pub relations_found: usize,
}

/// The relations that cite an excerpt containing `phrase` (case ignored),
/// at most `limit` of them listed; None when `keep_going` stopped it.
pub fn find_in_excerpts<S: std::hash::BuildHasher>(
    graph: &Graph,
    edges_by_db_id: &std::collections::HashMap<i64, EdgeIx, S>,
    scanner: &TextScanner,
    phrase: &str,
    limit: usize,
    keep_going: &dyn Fn() -> bool,
) -> Result<Option<ExcerptSearch>, StoreError> {
    let Some(needle) = FoldedPhrase::new(phrase) else {
        return Ok(Some(ExcerptSearch::default()));
    };
    // Excerpt id → snippet, for every excerpt holding the phrase. Only the
    // snippets are kept, never the texts.
    let mut found: FastMap<i64, Snippet> = FastMap::default();
    let mut checker = Checker::new(keep_going);
    let end = scanner.excerpts(|id, text| {
        checker.next_row()?;
        if let Some(range) = needle.find_in(text) {
            found.entry(id).or_insert_with(|| snippet(text, range));
        }
        ControlFlow::Continue(())
    })?;
    if end == ScanEnd::Stopped {
        return Ok(None);
    }
    let excerpts_found = found.len();
    // Edge → (lowest excerpt id, how many).
    let mut cited: FastMap<EdgeIx, (i64, u32)> = FastMap::default();
    if !found.is_empty() {
        let end = scanner.links(|relation, excerpt| {
            checker.next_row()?;
            if found.contains_key(&excerpt)
                && let Some(&edge) = edges_by_db_id.get(&relation)
            {
                let entry = cited.entry(edge).or_insert((excerpt, 0));
                entry.0 = entry.0.min(excerpt);
                entry.1 += 1;
            }
            ControlFlow::Continue(())
        })?;
        if end == ScanEnd::Stopped {
            return Ok(None);
        }
    }
    let mut edges: Vec<(i64, EdgeIx)> = cited
        .keys()
        .map(|&edge| (graph.edge_db_id(edge), edge))
        .collect();
    edges.sort_unstable();
    let hits = edges
        .into_iter()
        .take(limit)
        .filter_map(|(_, edge)| {
            let &(excerpt_id, excerpts) = cited.get(&edge)?;
            Some(ExcerptHit {
                edge,
                excerpt_id,
                snippet: found.get(&excerpt_id).cloned().unwrap_or_default(),
                excerpts,
            })
        })
        .collect();
    Ok(Some(ExcerptSearch {
        hits,
        excerpts_found,
        relations_found: cited.len(),
    }))
}

/// A phrase to find with case ignored: its characters lowercased.
#[derive(Debug)]
struct FoldedPhrase {
    chars: Vec<char>,
    ascii: Option<Vec<u8>>,
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

impl FoldedPhrase {
    /// None for a phrase of only spaces.
    fn new(phrase: &str) -> Option<Self> {
        let phrase = phrase.trim();
        if phrase.is_empty() {
            return None;
        }
        let chars: Vec<char> = phrase.chars().map(fold).collect();
        let ascii = phrase
            .is_ascii()
            .then(|| phrase.to_ascii_lowercase().into_bytes());
        Some(Self { chars, ascii })
    }

    /// The byte range of the first occurrence in `text`.
    fn find_in(&self, text: &str) -> Option<std::ops::Range<usize>> {
        if let Some(needle) = &self.ascii
            && text.is_ascii()
        {
            return text
                .as_bytes()
                .windows(needle.len())
                .position(|window| window.eq_ignore_ascii_case(needle))
                .map(|start| start..start + needle.len());
        }
        for (start, _) in text.char_indices() {
            let mut rest = text[start..].char_indices();
            let mut end = start;
            let mut matched = true;
            for &wanted in &self.chars {
                match rest.next() {
                    Some((offset, c)) if fold(c) == wanted => end = start + offset + c.len_utf8(),
                    _ => {
                        matched = false;
                        break;
                    }
                }
            }
            if matched {
                return Some(start..end);
            }
        }
        None
    }
}

/// The phrase at `range` of `text` with up to [`SNIPPET_CONTEXT_CHARS`]
/// either side, on one line.
fn snippet(text: &str, range: std::ops::Range<usize>) -> Snippet {
    let one_line = |part: &str| part.split_whitespace().collect::<Vec<_>>().join(" ");
    let before_all = &text[..range.start];
    let before_start = before_all
        .char_indices()
        .rev()
        .nth(SNIPPET_CONTEXT_CHARS - 1)
        .map_or(0, |(index, _)| index);
    let after_all = &text[range.end..];
    let after_end = after_all
        .char_indices()
        .nth(SNIPPET_CONTEXT_CHARS)
        .map_or(after_all.len(), |(index, _)| index);
    let mut before = one_line(&before_all[before_start..]);
    if before_all[before_start..].starts_with(char::is_whitespace) {
        before.insert(0, ' ');
    }
    if before_all[..before_start]
        .chars()
        .any(|c| !c.is_whitespace())
    {
        before.insert(0, '…');
    }
    if before_all.ends_with(char::is_whitespace) && !before.is_empty() {
        before.push(' ');
    }
    let mut after = one_line(&after_all[..after_end]);
    if after_all.starts_with(char::is_whitespace) && !after.is_empty() {
        after.insert(0, ' ');
    }
    if after_all[after_end..].chars().any(|c| !c.is_whitespace()) {
        after.push('…');
    }
    Snippet {
        before,
        found: one_line(&text[range]),
        after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_is_found_whatever_its_case() {
        let phrase = FoldedPhrase::new("crocus city").unwrap();
        let text = "the attack on the Crocus City Hall";
        let range = phrase.find_in(text).unwrap();
        assert_eq!(&text[range], "Crocus City");
        let accented = FoldedPhrase::new("ÉCOLE").unwrap();
        let text = "à l’école normale";
        assert_eq!(&text[accented.find_in(text).unwrap()], "école");
        assert!(phrase.find_in("crocus  city").is_none());
        assert!(FoldedPhrase::new("  ").is_none());
    }

    #[test]
    fn a_snippet_shows_the_phrase_with_context_on_one_line() {
        let text = "short before\nthe phrase here and after";
        let range = text.find("phrase").unwrap();
        let snippet = snippet(text, range..range + 6);
        assert_eq!(snippet.before, "short before the ");
        assert_eq!(snippet.found, "phrase");
        assert_eq!(snippet.after, " here and after");

        let long = format!("{} needle {}", "a".repeat(200), "b".repeat(200));
        let start = long.find("needle").unwrap();
        let snippet = super::snippet(&long, start..start + 6);
        assert!(snippet.before.starts_with('…'));
        assert!(snippet.after.ends_with('…'));
        assert_eq!(snippet.before.chars().count(), SNIPPET_CONTEXT_CHARS + 1);
    }
}
