//! `push` and `pull`: graph files to and from a PostgreSQL server.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use linkscope::postgres::{PgTarget, PullOptions};
use linkscope::store::dump::DATA_TABLES;

pub(crate) fn push(file: &Path, url: &str, schema: &str) -> anyhow::Result<ExitCode> {
    let target = PgTarget::new(url, schema)?;
    let mut stderr = std::io::stderr();
    let mut progress = |table: &str, done: u64, total: u64| {
        let _ = write!(stderr, "\r{table}: {done} of {total}        ");
        if done == total {
            let _ = writeln!(stderr);
        }
    };
    let summary = linkscope::postgres::push(file, &target, &mut progress)?;
    let counts: Vec<String> = DATA_TABLES
        .iter()
        .zip(summary.rows)
        .map(|(table, rows)| format!("{rows} {}", table.name.replace('_', " ")))
        .collect();
    println!(
        "{}: pushed {} into {target}",
        file.display(),
        counts.join(", ")
    );
    for (table, skipped) in DATA_TABLES.iter().zip(summary.skipped) {
        if skipped > 0 {
            println!(
                "{skipped} rows of {} were left out: their ids are not integers",
                table.name
            );
        }
    }
    if let Some(why) = summary.no_trigram {
        println!("no trigram index on entity names ({why}): name search scans the table");
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn pull(
    url: &str,
    schema: &str,
    options: &PullOptions,
    out: &Path,
) -> anyhow::Result<ExitCode> {
    let target = PgTarget::new(url, schema)?;
    let summary = linkscope::postgres::pull(&target, options, out)?;
    println!(
        "{}: pulled {} entities, {} relations, {} documents and {} excerpts from {target}",
        out.display(),
        summary.entities,
        summary.relations,
        summary.documents,
        summary.excerpts
    );
    if summary.capped > 0 {
        println!(
            "{} entities had more neighbours than --cap; raise it to pull them",
            summary.capped
        );
    }
    if summary.hit_max_entities {
        println!("stopped at --max-entities {}", options.max_entities);
    }
    Ok(ExitCode::SUCCESS)
}

/// The exploration queries timed on a server, one JSON line per step, each
/// followed by its plans.
pub(crate) fn bench_explore(
    url: &str,
    schema: &str,
    options: linkscope::postgres::BenchOptions,
) -> anyhow::Result<ExitCode> {
    let target = PgTarget::new(url, schema)?;
    let steps = linkscope::postgres::bench_explore(&target, options)?;
    for step in &steps {
        println!("{}", serde_json::to_string(step)?);
    }
    for step in &steps {
        for (statement, plan) in &step.plans {
            println!(
                "\n--- {}: {statement}: EXPLAIN (ANALYZE, BUFFERS)\n{plan}",
                step.step
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
