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
    // The name starting with it first, then the one where a word does.
    let ranking = rank("zhirn", 10);
    assert_eq!(
        names_of(&ranking),
        ["Zhirnov–Haqqani meeting in Kabul", "Dmitry Zhirnov"]
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
    // "haqqani" starts a word in three names: the one it starts ranks
    // first, then the two where a later word starts with it.
    let ranking = rank("haqqani", 10);
    assert_eq!(ranking.total, 3);
    let names = names_of(&ranking);
    assert_eq!(names[0], "Haqqani Network");
    let rest: std::collections::BTreeSet<&str> = names[1..].iter().copied().collect();
    assert_eq!(
        rest,
        ["Sirajuddin Haqqani", "Zhirnov–Haqqani meeting in Kabul"].into()
    );
}

/// The exact name, then names starting with the query, then a word
/// starting with it, then the rest, whatever the file order and the
/// matcher's scores (written here by hand from those rules).
#[test]
fn the_exact_name_ranks_first_then_prefixes_then_word_starts() {
    const PLACES: [&str; 7] = [
        "Security Council of Russia",
        "Prussia",
        "Belarus–Russia union",
        "Rus Sia Holdings",
        "Russian Embassy",
        "Ministry of Justice",
        "Rússia",
    ];
    let ranking = rank_names(
        PLACES.len(),
        |node| PLACES[node as usize],
        &NameQuery::new("russia"),
        10,
        NameScan::default(),
        None,
    );
    let names: Vec<&str> = ranking
        .top
        .iter()
        .map(|ranked| PLACES[ranked.node as usize])
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert_eq!(names[..2], ["Rússia", "Russian Embassy"], "{names:?}");
    let word_starts: std::collections::BTreeSet<&str> = names[2..4].iter().copied().collect();
    assert_eq!(
        word_starts,
        ["Security Council of Russia", "Belarus–Russia union"].into()
    );
    let others: std::collections::BTreeSet<&str> = names[4..].iter().copied().collect();
    assert_eq!(others, ["Prussia", "Rus Sia Holdings"].into());
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
        if typed.is_ascii() {
            // Independently of the matcher: each word's letters in order.
            let expected: Vec<NodeIx> = (0..names.len() as NodeIx)
                .filter(|&node| {
                    let name = names[node as usize].to_lowercase().replace('é', "e");
                    typed
                        .split_whitespace()
                        .all(|word| letters_in_order(word, &name))
                })
                .collect();
            assert_eq!(matched, expected, "{typed}");
        }
    }
}

/// Person-like names over several chunks, some accented, some with
/// camelCase, digits and delimiters (each a different bonus).
fn many_names(count: usize) -> Vec<String> {
    const FIRST: [&str; 8] = [
        "Marat", "Omar", "Émile", "Tina", "McMartin", "al-Mar", "Ma/rt", "mart1n",
    ];
    const SYLLABLES: [&str; 8] = ["ma", "rt", "in", "Tol", "ski", "ar", "m", "é"];
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    (0..count)
        .map(|_| {
            let mut name = FIRST[next() % FIRST.len()].to_owned();
            name.push(' ');
            for _ in 0..=next() % 4 {
                name.push_str(SYLLABLES[next() % SYLLABLES.len()]);
            }
            name
        })
        .collect()
}

/// The pruning relies on no name scoring above the ceiling, and on
/// the best names reaching it.
#[test]
fn no_name_scores_above_the_ceiling() {
    let names = many_names(20_000);
    let mut matcher = new_matcher();
    let mut scratch = Vec::new();
    for typed in ["m", "ma", "mar", "mart", "martin", "m t", "1", "/r", "-m"] {
        let query = NameQuery::new(typed);
        let mut reached = false;
        for name in &names {
            let greedy = query.quick_score(name, &mut matcher, &mut scratch);
            let full = query.score(name, &mut matcher, &mut scratch);
            assert!(greedy.unwrap_or(0) <= query.ceiling, "{typed} {name}");
            assert!(full.unwrap_or(0) <= query.ceiling, "{typed} {name}");
            reached |= full == Some(query.ceiling);
        }
        // Words of letters typed as they are written reach it.
        if ["m", "ma", "mar", "m t"].contains(&typed) {
            let exact = query.score(typed, &mut matcher, &mut scratch);
            assert_eq!(exact, Some(query.ceiling), "{typed}");
            assert!(reached, "{typed}");
        }
    }
}

/// True when `word`'s letters appear in `text` in order (both lowercase).
fn letters_in_order(word: &str, text: &str) -> bool {
    let mut letters = text.chars();
    word.chars()
        .all(|wanted| letters.any(|letter| letter == wanted))
}

/// The index, the ceiling's early stop (across chunks) and narrowing
/// must keep exactly the ranking and count of a plain scan of every
/// name by the matcher.
#[test]
fn the_index_keeps_the_ranking_of_a_plain_scan() {
    let mut names = many_names(5 * CHUNK + 123);
    // Thousands of names have a word "martin..." scoring the ceiling;
    // the exact name and a prefix, in late chunks, must still come first.
    names[3 * CHUNK + 7] = "Martin Tol".to_owned();
    let last = names.len() - 1;
    names[last] = "martin".to_owned();
    let name_of = |node: NodeIx| names[node as usize].as_str();
    for limit in [5_000, 40] {
        let mut searcher = NameSearcher::new(names.len(), name_of);
        for typed in [
            "m", "ma", "mar", "mart", "marti", "martin", "e", "é", "m t", "mar\\ t",
        ] {
            let (ranking, matched) = searcher.search(names.len(), name_of, typed, limit);
            let matched = matched.to_vec();
            let mut plain_matched = Vec::new();
            let plain = rank_names(
                names.len(),
                name_of,
                &NameQuery::new(typed),
                limit,
                NameScan::default(),
                Some(&mut plain_matched),
            );
            assert!(plain.total > limit || typed.len() > 3, "{typed}");
            assert_eq!(ranking, plain, "{typed}");
            assert_eq!(matched, plain_matched, "{typed}");
            if typed.is_ascii() && !typed.contains('\\') {
                // Independently of the matcher: a name matches when each
                // word's letters appear in it in order, case ignored.
                let expected: Vec<NodeIx> = (0..names.len() as NodeIx)
                    .filter(|&node| {
                        let name = names[node as usize].to_lowercase().replace('é', "e");
                        typed
                            .split_whitespace()
                            .all(|word| letters_in_order(word, &name))
                    })
                    .collect();
                assert_eq!(matched, expected, "{typed}");
                assert_eq!(ranking.total, expected.len(), "{typed}");
            }
            if typed == "martin" {
                let first: Vec<&str> = ranking.top[..2]
                    .iter()
                    .map(|ranked| names[ranked.node as usize].as_str())
                    .collect();
                assert_eq!(first, ["martin", "Martin Tol"]);
            }
        }
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
