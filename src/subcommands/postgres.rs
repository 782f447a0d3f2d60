//! `push` and `pull`: graph files to and from a PostgreSQL server; `find`,
//! `path` and the benchmark on one; the password asked for on a terminal.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use linkscope::postgres::{Password, PgTarget, PullOptions};
use linkscope::store::dump::DATA_TABLES;

/// `target`, with a password typed in where the server asks for one that
/// was not found (the URL, a service file, `PGPASSWORD`, the password
/// file), and only on a terminal: one connection tries first, and the
/// password is asked for without echo.
pub(crate) fn with_password(mut target: PgTarget) -> anyhow::Result<PgTarget> {
    use std::io::IsTerminal as _;
    if target.has_password() || !std::io::stdin().is_terminal() {
        return Ok(target);
    }
    // Any other failure is the work's own to report when it connects.
    if let Err(error) = target.connect()
        && error.needs_password()
    {
        let password = rpassword::prompt_password(target.password_prompt())
            .map_err(|error| anyhow::anyhow!("could not read the password: {error}"))?;
        target.set_password(Password::new(password));
    }
    Ok(target)
}

pub(crate) fn push(file: &Path, url: &str, schema: &str) -> anyhow::Result<ExitCode> {
    let target = with_password(PgTarget::new(url, schema)?)?;
    let mut stderr = std::io::stderr();
    let mut progress = |table: &str, done: u64, total: u64| {
        let _ = write!(stderr, "\r{table}: {done} of {total}        ");
        if done == total {
            let _ = writeln!(stderr);
        }
    };
    // Ctrl+C (or a termination signal) cancels the push, which then drops
    // what it wrote before the process ends.
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&cancel);
    ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::Relaxed))?;
    let summary = match linkscope::postgres::push(file, &target, &mut progress, &cancel) {
        Ok(summary) => summary,
        Err(error @ linkscope::postgres::PgError::PushCancelled(_)) => {
            eprintln!("\n{error}");
            return Ok(ExitCode::from(130));
        }
        Err(error) => return Err(error.into()),
    };
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
    let target = with_password(PgTarget::new(url, schema)?)?;
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

/// `compartments URL`: row-level security by group on a pushed graph.
pub(crate) fn compartments(url: &str, schema: &str) -> anyhow::Result<ExitCode> {
    let target = PgTarget::new(url, schema)?;
    linkscope::postgres::compartments(&target)?;
    println!(
        "{target}: compartments are set up. Put rows in a group's compartment with UPDATE, e.g.\n  UPDATE \"{schema}\".entities SET compartment = 'team_a' WHERE id IN (…);\nrows left NULL are seen by every reader of the schema"
    );
    Ok(ExitCode::SUCCESS)
}

/// The exploration queries timed on a server, one JSON line per step, each
/// followed by its plans.
pub(crate) fn bench_explore(
    url: &str,
    schema: &str,
    options: linkscope::postgres::BenchOptions,
) -> anyhow::Result<ExitCode> {
    let target = with_password(PgTarget::new(url, schema)?)?;
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

/// `find URL TEXT`: the server's name matches, ranked as the Explore tab
/// ranks them.
pub(crate) fn find_on_server(
    url: &str,
    schema: &str,
    text: &str,
    json: bool,
    limit: usize,
) -> anyhow::Result<ExitCode> {
    use linkscope::model::explore::Explorer as _;
    let target = with_password(PgTarget::new(url, schema)?)?;
    let mut server = linkscope::postgres::PgExplorer::connect(&target)?;
    let found = server
        .search_names(text, limit)
        .map_err(|error| anyhow::anyhow!("{target}: {error}"))?;
    if json {
        let list: Vec<serde_json::Value> = found
            .iter()
            .map(|entity| serde_json::json!({"id": entity.id, "name": entity.name, "kind": entity.kind}))
            .collect();
        println!("{:#}", serde_json::Value::Array(list));
    } else if found.is_empty() {
        println!("no entity name contains {text:?}");
    } else {
        for entity in &found {
            println!("{}\t{} ({})", entity.id, entity.name, entity.kind);
        }
    }
    // As for a file: nothing found exits 1.
    Ok(if found.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// An entity of the server named exactly `text` (ignoring case), or with
/// that id.
fn server_entity(
    server: &mut linkscope::postgres::PgExplorer,
    target: &PgTarget,
    text: &str,
    what: &str,
) -> anyhow::Result<i64> {
    use linkscope::model::explore::Explorer as _;
    let failed = |error| anyhow::anyhow!("{target}: {error}");
    if let Ok(id) = text.trim().parse::<i64>()
        && !server.entities(&[id]).map_err(failed)?.is_empty()
    {
        return Ok(id);
    }
    let found = server.search_names(text, 20).map_err(failed)?;
    let exact: Vec<_> = found
        .iter()
        .filter(|entity| entity.name.to_lowercase() == text.trim().to_lowercase())
        .collect();
    match exact.as_slice() {
        [one] => Ok(one.id),
        [] if found.is_empty() => anyhow::bail!("{target}: {what}: no entity is named {text:?}"),
        [] => anyhow::bail!(
            "{target}: {what}: no entity is named {text:?}; names containing it: {}",
            found
                .iter()
                .take(5)
                .map(|entity| format!("{} (id {})", entity.name, entity.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        several => anyhow::bail!(
            "{target}: {what}: {} entities are named {text:?} (ids {}): give the id",
            several.len(),
            several
                .iter()
                .map(|entity| entity.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `path URL FROM TO`: the shortest path searched on the server (relations
/// either way, up to `max_hops`), then its evidence chain as `path` prints
/// it for a file, read from a copy of the path's entities.
pub(crate) fn path_on_server(
    url: &str,
    schema: &str,
    [from, to]: [&str; 2],
    max_hops: u32,
    json: bool,
    prefer_evidence: bool,
) -> anyhow::Result<ExitCode> {
    use linkscope::export::path_report::trace_file;
    use linkscope::model::explore::Explorer as _;
    use linkscope::model::explore::trace::{SourceTrace, TraceEnd, TraceLimits, trace_on_source};
    use linkscope::model::trace::{Direction, TraceOptions};
    let target = with_password(PgTarget::new(url, schema)?)?;
    let mut server = linkscope::postgres::PgExplorer::connect(&target)?;
    let (start, end) = (
        server_entity(&mut server, &target, from, "FROM")?,
        server_entity(&mut server, &target, to, "TO")?,
    );
    let limits = TraceLimits {
        max_hops,
        ..TraceLimits::default()
    };
    let found = trace_on_source(&mut server, start, end, limits)
        .map_err(|error| anyhow::anyhow!("{target}: {error}"))?;
    let entities = match found {
        SourceTrace::Path { entities, .. } => entities,
        SourceTrace::Stopped(why) => {
            let why = match why {
                TraceEnd::NoPath => "they are not connected, even ignoring direction".to_owned(),
                TraceEnd::HopLimit => format!("no path of up to {max_hops} hops (--max-hops)"),
                TraceEnd::TimeLimit => {
                    format!(
                        "the time limit ({} s) stopped the search",
                        limits.time.as_secs()
                    )
                }
                TraceEnd::SizeLimit => format!(
                    "the search reached its limit of {} entities first",
                    limits.max_reached
                ),
            };
            anyhow::bail!("{target}: no path from {from:?} to {to:?}: {why}");
        }
    };
    // The path's entities with their relations and evidence, in a file of
    // their own: the file's chain then reads exactly as for a file.
    let folder = tempfile_folder()?;
    let copy = folder.0.join("path.sqlite");
    let written = server
        .copy_scene(&entities, &[], &copy)
        .map_err(|error| anyhow::anyhow!("{target}: {error}"))?;
    let id_of = |source: i64| written.entity_ids.get(&source).map(i64::to_string);
    let (Some(start), Some(end)) = (id_of(start), id_of(end)) else {
        anyhow::bail!("{target}: the path's ends were not copied");
    };
    let options = TraceOptions {
        direction: Direction::Ignore,
        prefer_evidence,
    };
    let mut chain = trace_file(&copy, &start, &end, options)?;
    // The server's relation ids, not the copy's.
    let source_of: std::collections::BTreeMap<i64, i64> = written
        .relation_ids
        .iter()
        .map(|(&source, &copied)| (copied, source))
        .collect();
    for hop in &mut chain.hops {
        if let Some(&source) = source_of.get(&hop.relation_id) {
            hop.relation_id = source;
        }
    }
    super::print_chain(&chain, json)
}

/// A folder removed when dropped.
struct TempFolder(std::path::PathBuf);

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempfile_folder() -> anyhow::Result<TempFolder> {
    let folder = std::env::temp_dir().join(format!(
        "linkscope-path-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos())
    ));
    std::fs::create_dir_all(&folder)?;
    Ok(TempFolder(folder))
}
