//! The SQL that exploring a server runs, in one place, so that the
//! benchmark explains exactly the statements the window and `pull` run.

/// Names containing `$1` (escaped for LIKE), exact matches of `$2` first,
/// then names starting with it, shorter names first; at most `$3`.
pub(crate) fn search(entities: &str) -> String {
    format!(
        "SELECT id, kind, name FROM {entities}
         WHERE name ILIKE '%' || $1 || '%'
         ORDER BY lower(name) = lower($2) DESC, name ILIKE $1 || '%' DESC, length(name), id
         LIMIT $3"
    )
}

/// [`search`] through compartments' `search_names` function (the same
/// parameters and answers, only what the role may see).
pub(crate) fn search_through(function: &str) -> String {
    format!("SELECT id, kind, name FROM {function}($1, $2, $3)")
}

/// The neighbours of `$1` with the oldest relation to each, after `$2`.
pub(crate) fn neighbours(relations: &str) -> String {
    format!(
        "SELECT other, min(relation) AS first FROM (
            SELECT object_id AS other, id AS relation FROM {relations} WHERE subject_id = $1
            UNION ALL
            SELECT subject_id, id FROM {relations} WHERE object_id = $1
        ) AS both_ends WHERE other <> $1 GROUP BY other HAVING min(relation) > $2"
    )
}

/// One page of [`neighbours`]: at most `$3`.
pub(crate) fn neighbour_page(relations: &str) -> String {
    format!("{} ORDER BY first LIMIT $3", neighbours(relations))
}

/// One hop from every entity of `$1`: at most `$2` neighbours of each,
/// those of its oldest relations first (a `LATERAL` subquery with `LIMIT`:
/// a recursive query cannot cap each hop).
pub(crate) fn hop(relations: &str) -> String {
    format!(
        "SELECT f.id, n.other FROM unnest($1::bigint[]) AS f(id) CROSS JOIN LATERAL (
            SELECT other FROM (
                SELECT r.object_id AS other, r.id AS relation FROM {relations} r WHERE r.subject_id = f.id
                UNION ALL
                SELECT r.subject_id, r.id FROM {relations} r WHERE r.object_id = f.id
            ) AS both_ends WHERE other <> f.id
            GROUP BY other ORDER BY min(relation) LIMIT $2) AS n"
    )
}

/// Every relation with one end among `$1` (either way, self-loops left
/// out), as (that end, the other end, relation); at most `$2`.
pub(crate) fn touching(relations: &str) -> String {
    format!(
        "SELECT r.subject_id, r.object_id, r.id FROM unnest($1::bigint[]) AS f(id)
            JOIN {relations} r ON r.subject_id = f.id WHERE r.object_id <> r.subject_id
         UNION ALL
         SELECT r.object_id, r.subject_id, r.id FROM unnest($1::bigint[]) AS f(id)
            JOIN {relations} r ON r.object_id = f.id WHERE r.object_id <> r.subject_id
         LIMIT $2"
    )
}

/// Excerpts whose words include every word of `$1` (the full-text index,
/// `simple` configuration), in id order; at most `$2`.
pub(crate) fn excerpt_search(excerpts: &str) -> String {
    format!(
        "SELECT id, text FROM {excerpts}
         WHERE to_tsvector('simple', text) @@ plainto_tsquery('simple', $1)
         ORDER BY id LIMIT $2"
    )
}

/// [`excerpt_search`] through compartments' `search_excerpts` function.
pub(crate) fn excerpt_search_through(function: &str) -> String {
    format!("SELECT id, text FROM {function}($1, $2)")
}
