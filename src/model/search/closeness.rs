//! How closely a name matches a query beyond the fuzzy score. An analyst
//! typing "russia" means the entity named Russia: the matcher scores
//! "Russia" and "Security Council of Russia" alike (the same letters at a
//! word start), so the ranking orders by this first and by the score only
//! within it.

use nucleo_matcher::chars;

/// How a name matched, worst first (the derived order ranks them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Closeness {
    /// The query's letters appear in order, nothing more (and every
    /// description match).
    #[default]
    Fuzzy,
    /// A word inside the name starts with the query.
    WordStart,
    /// The name starts with the query.
    Prefix,
    /// The name is the query, case and accents ignored.
    Exact,
}

impl Closeness {
    pub const ALL: [Self; 4] = [Self::Fuzzy, Self::WordStart, Self::Prefix, Self::Exact];

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A query folded once for [`Closeness`]: its words joined by one space,
/// lowercased and without accents (what the matcher ignores too).
#[derive(Debug)]
pub(super) struct FoldedQuery {
    chars: Vec<char>,
    /// The same, when every folded character is ASCII (compared with an
    /// ASCII name's bytes directly).
    ascii: Option<Vec<u8>>,
}

/// A character as the comparison sees it: no accent, lower case.
fn fold(c: char) -> char {
    chars::to_lower_case(chars::normalize(c))
}

impl FoldedQuery {
    pub(super) fn new(query: &str) -> Self {
        // An escaped space ("mar\ t") is a space in the name.
        let unescaped = query.replace("\\ ", " ");
        let words: Vec<&str> = unescaped.split_whitespace().collect();
        let chars: Vec<char> = words.join(" ").chars().map(fold).collect();
        let ascii = chars
            .iter()
            .all(char::is_ascii)
            .then(|| chars.iter().map(|&c| c as u8).collect());
        Self { chars, ascii }
    }

    /// The closeness of an ASCII name, from its bytes.
    pub(super) fn of_ascii(&self, name: &[u8]) -> Closeness {
        self.of_ascii_above(name, None).unwrap_or_default()
    }

    /// The closeness of an ASCII name when it is above `floor`, else None.
    /// A scan whose best are settled up to [`Closeness::WordStart`] only
    /// asks about the name's start, skipping the search through its words.
    pub(super) fn of_ascii_above(
        &self,
        name: &[u8],
        floor: Option<Closeness>,
    ) -> Option<Closeness> {
        let closeness = match &self.ascii {
            Some(query) => closeness(
                name.trim_ascii(),
                query,
                u8::to_ascii_lowercase,
                u8::is_ascii_alphanumeric,
                floor < Some(Closeness::WordStart),
            ),
            // A non-ASCII query never equals or starts an ASCII name.
            None => Closeness::Fuzzy,
        };
        (Some(closeness) > floor).then_some(closeness)
    }

    /// The closeness of any name; `scratch` holds its folded characters.
    pub(super) fn of(&self, name: &str, scratch: &mut Vec<char>) -> Closeness {
        if name.is_ascii() {
            return self.of_ascii(name.as_bytes());
        }
        scratch.clear();
        scratch.extend(name.trim().chars().map(fold));
        closeness(
            scratch,
            &self.chars,
            |c: &char| *c,
            |c: &char| c.is_alphanumeric(),
            true,
        )
    }
}

/// Where `query` (folded) sits in `name`: all of it, its start, the start
/// of a word (after a character that is not a letter or digit, looked for
/// only when `find_words`), or none.
fn closeness<T: Copy + Eq>(
    name: &[T],
    query: &[T],
    fold: impl Fn(&T) -> T,
    is_word: impl Fn(&T) -> bool,
    find_words: bool,
) -> Closeness {
    if query.is_empty() {
        return Closeness::Fuzzy;
    }
    let starts_at = |start: usize| {
        name.len() - start >= query.len()
            && name[start..]
                .iter()
                .zip(query)
                .all(|(letter, wanted)| fold(letter) == *wanted)
    };
    if starts_at(0) {
        return if name.len() == query.len() {
            Closeness::Exact
        } else {
            Closeness::Prefix
        };
    }
    let word_start = find_words
        && (1..name.len())
            .filter(|&start| !is_word(&name[start - 1]) && is_word(&name[start]))
            .any(starts_at);
    if word_start {
        Closeness::WordStart
    } else {
        Closeness::Fuzzy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(query: &str, name: &str) -> Closeness {
        FoldedQuery::new(query).of(name, &mut Vec::new())
    }

    #[test]
    fn each_kind_of_match_is_told_apart() {
        assert_eq!(of("russia", "Russia"), Closeness::Exact);
        assert_eq!(of("RUSSIA ", "russia"), Closeness::Exact);
        assert_eq!(of("russia", "Russian Embassy"), Closeness::Prefix);
        assert_eq!(
            of("russia", "Security Council of Russia"),
            Closeness::WordStart
        );
        assert_eq!(
            of("haqqani", "Zhirnov–Haqqani meeting"),
            Closeness::WordStart
        );
        assert_eq!(of("russia", "Prussia"), Closeness::Fuzzy);
        assert_eq!(of("russia", "Rus sia"), Closeness::Fuzzy);
    }

    #[test]
    fn accents_and_spacing_are_ignored() {
        assert_eq!(of("emile", "Émile"), Closeness::Exact);
        assert_eq!(of("émile zola", "Emile Zola"), Closeness::Exact);
        assert_eq!(of("  emile   zo", "Émile Zola"), Closeness::Prefix);
        assert_eq!(of("zola", "Émile Zola"), Closeness::WordStart);
        assert_eq!(of("mar\\ t", "Mar Tol"), Closeness::Prefix);
    }
}
