//! `linkscope bench-explore URL`: the exploration queries timed on a
//! server, warm, each with its plan (`EXPLAIN (ANALYZE, BUFFERS)`) so that
//! a change of plan shape shows. The entity expanded is the one whose
//! degree is nearest 1,000; traces run between seeded random pairs.

use std::time::{Duration, Instant};

use super::{PgError, PgExplorer, PgTarget, queries};
use crate::model::explore::Explorer as _;
use crate::model::explore::trace::{SourceTrace, TraceLimits, trace_on_source};

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct BenchOptions {
    /// Timed runs of each step, after one warm-up run.
    pub runs: usize,
    /// Neighbours per entity and hop.
    pub cap: u32,
    /// Picks the trace pairs.
    pub seed: u64,
}

/// One step's times (milliseconds) and the plans of its statements.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchStep {
    pub step: String,
    pub what: String,
    pub median_ms: f64,
    pub p90_ms: f64,
    pub max_ms: f64,
    pub runs: usize,
    /// `EXPLAIN (ANALYZE, BUFFERS)` of each statement, in order.
    #[serde(skip)]
    pub plans: Vec<(String, String)>,
}

fn fail(target: &PgTarget, error: impl std::fmt::Display) -> PgError {
    PgError::Bench(format!("{target}: {error}"))
}

fn summary(step: &str, what: String, mut times: Vec<Duration>) -> BenchStep {
    times.sort_unstable();
    let ms = |time: Duration| time.as_secs_f64() * 1000.0;
    let at = |share: f64| {
        let index = ((times.len() as f64 - 1.0) * share).round() as usize;
        times.get(index).copied().map_or(0.0, ms)
    };
    BenchStep {
        step: step.to_owned(),
        what,
        median_ms: at(0.5),
        p90_ms: at(0.9),
        max_ms: times.last().copied().map_or(0.0, ms),
        runs: times.len(),
        plans: Vec::new(),
    }
}

/// Runs `work` once to warm the caches, then `runs` times timed.
fn timed<T>(
    runs: usize,
    mut work: impl FnMut(usize) -> Result<T, PgError>,
) -> Result<(Vec<Duration>, T), PgError> {
    let mut last = work(0)?;
    let mut times = Vec::with_capacity(runs);
    for run in 1..=runs {
        let started = Instant::now();
        last = work(run)?;
        times.push(started.elapsed());
    }
    Ok((times, last))
}

fn explain(
    client: &mut postgres::Client,
    target: &PgTarget,
    sql: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> Result<String, PgError> {
    let rows = client
        .query(&format!("EXPLAIN (ANALYZE, BUFFERS) {sql}"), params)
        .map_err(target.failed("explaining"))?;
    Ok(rows
        .iter()
        .map(|row| row.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// A small seeded generator for the trace pairs (no dependency for this).
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Times name search, excerpt search, a capped 1-hop expansion, a capped 2-hop expansion
/// and traces of up to 4 hops on `target`, each with its plans.
pub fn bench_explore(target: &PgTarget, options: BenchOptions) -> Result<Vec<BenchStep>, PgError> {
    let mut explorer = PgExplorer::connect(target)?;
    let mut client = target.connect()?;
    let relations = target.table("relations");
    let entities = target.table("entities");
    let cap = i64::from(options.cap);

    // The entity whose degree is nearest 1,000 (a scan of the relations, once).
    let row = client
        .query_one(
            &format!(
                "SELECT id, count(*) FROM (SELECT subject_id AS id FROM {relations}
                 UNION ALL SELECT object_id FROM {relations}) AS ends
                 GROUP BY id ORDER BY abs(count(*) - 1000), id LIMIT 1"
            ),
            &[],
        )
        .map_err(target.failed("finding an entity of degree 1,000"))?;
    let hub: i64 = row.get(0);
    let degree: i64 = row.get(1);
    let (name, last_id): (String, i64) = {
        let row = client
            .query_one(
                &format!(
                    "SELECT (SELECT name FROM {entities} WHERE id = $1), (SELECT max(id) FROM {entities})"
                ),
                &[&hub],
            )
            .map_err(target.failed("reading the entity"))?;
        (
            row.get::<_, Option<String>>(0).unwrap_or_default(),
            row.get::<_, Option<i64>>(1).unwrap_or(1),
        )
    };
    let mut steps = Vec::new();

    // Name search: part of the entity's name, as a user types it.
    let text: String = name.chars().skip(1).take(9).collect();
    let (times, found) = timed(options.runs, |_| {
        explorer
            .search_names(&text, crate::model::explore::SEARCH_LIMIT)
            .map_err(|error| fail(target, error))
    })?;
    let mut step = summary(
        "name_search",
        format!("names containing {text:?}: {} shown", found.len()),
        times,
    );
    let search_sql = queries::search(&entities);
    let pattern = crate::model::explore::like_escaped(&text);
    let limit = i64::try_from(crate::model::explore::SEARCH_LIMIT).unwrap_or(20);
    step.plans.push((
        "search".to_owned(),
        explain(&mut client, target, &search_sql, &[&pattern, &text, &limit])?,
    ));
    steps.push(step);

    // Excerpts by their words (the full-text index): a number that names
    // the entity in the generated passages.
    let words = hub.to_string();
    let (times, hits) = timed(options.runs, |_| {
        explorer
            .search_excerpts(&words, crate::model::explore::SEARCH_LIMIT)
            .map_err(|error| fail(target, error))
    })?;
    let mut step = summary(
        "excerpt_search",
        format!("excerpts with the word {words:?}: {} shown", hits.len()),
        times,
    );
    step.plans.push((
        "excerpt search".to_owned(),
        explain(
            &mut client,
            target,
            &queries::excerpt_search(&target.table("excerpts")),
            &[&words, &limit],
        )?,
    ));
    steps.push(step);

    // 1 hop, capped: what "Expand" asks.
    let (times, page) = timed(options.runs, |_| {
        explorer
            .neighbours(hub, options.cap, None)
            .map_err(|error| fail(target, error))
    })?;
    let mut step = summary(
        "expand_1_hop",
        format!(
            "entity {hub} (degree {degree}): {} neighbours shown, {} more",
            page.entities.len(),
            page.remaining
        ),
        times,
    );
    step.plans.push((
        "neighbour page".to_owned(),
        explain(
            &mut client,
            target,
            &queries::neighbour_page(&relations),
            &[&hub, &i64::MIN, &cap],
        )?,
    ));
    steps.push(step);

    // 2 hops, each capped per entity: one query per hop.
    let hop = queries::hop(&relations);
    let hop = client
        .prepare(&hop)
        .map_err(target.failed("preparing the hop"))?;
    let mut first_hop: Vec<i64> = Vec::new();
    let (times, reached) = timed(options.runs, |_| {
        let first: Vec<i64> = client
            .query(&hop, &[&vec![hub], &cap])
            .map_err(target.failed("hop 1"))?
            .iter()
            .map(|row| row.get(1))
            .collect();
        let second = client
            .query(&hop, &[&first, &cap])
            .map_err(target.failed("hop 2"))?;
        first_hop.clone_from(&first);
        Ok(first.len() + second.len())
    })?;
    let mut step = summary(
        "expand_2_hops",
        format!("entity {hub}, {cap} per entity and hop: {reached} entities reached"),
        times,
    );
    step.plans.push((
        "hop 2".to_owned(),
        explain(
            &mut client,
            target,
            &queries::hop(&relations),
            &[&first_hop, &cap],
        )?,
    ));
    steps.push(step);

    // Traces of up to 4 hops: from a random entity to where a random walk
    // of 4 steps ends, so that a path of at most 4 hops exists.
    let mut state = options.seed.max(1);
    let mut pairs: Vec<(i64, i64)> = Vec::with_capacity(options.runs + 1);
    while pairs.len() <= options.runs {
        let start = 1 + (next_random(&mut state) % last_id.max(1) as u64) as i64;
        let mut at = start;
        for _ in 0..4 {
            let (touches, _) = explorer
                .relations_touching(&[at], 10_000)
                .map_err(|error| fail(target, error))?;
            if touches.is_empty() {
                break;
            }
            at = touches[(next_random(&mut state) % touches.len() as u64) as usize].to;
        }
        if at != start {
            pairs.push((start, at));
        }
    }
    let limits = TraceLimits {
        max_hops: 4,
        ..TraceLimits::default()
    };
    let mut outcomes = [0_usize; 2];
    let (times, ()) = timed(options.runs, |run| {
        let (from, to) = pairs[run];
        let found = trace_on_source(&mut explorer, from, to, limits)
            .map_err(|error| fail(target, error))?;
        if run > 0 {
            outcomes[usize::from(matches!(found, SourceTrace::Path { .. }))] += 1;
        }
        Ok(())
    })?;
    let mut step = summary(
        "trace_4_hops",
        format!(
            "random walks' ends: {} paths found, {} with none of up to 4 hops",
            outcomes[1], outcomes[0]
        ),
        times,
    );
    step.plans.push((
        "touching (a trace level from the 50 neighbours)".to_owned(),
        explain(
            &mut client,
            target,
            &queries::touching(&relations),
            &[
                &first_hop,
                &i64::try_from(limits.max_reached).unwrap_or(i64::MAX),
            ],
        )?,
    ));
    steps.push(step);
    Ok(steps)
}
