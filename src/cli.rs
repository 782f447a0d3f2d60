//! The command line, as clap reads it: the window's arguments, every
//! subcommand with its options, and the parsers that refuse bad values
//! before any work starts.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use linkscope::VERSION;

/// Linkscope: a link-analysis explorer. Opens FILE (a graph file), or the
/// bundled sample when no file is given. Given a PostgreSQL URL, it explores
/// the graph on that server by search and expansion.
#[derive(Parser, Debug)]
#[command(
    version = VERSION,
    about,
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  linkscope                          the bundled sample\n  linkscope case.sqlite              a graph file\n  linkscope postgres://ana@db/graphs --schema case_42\n  linkscope --service graphs         a server named in pg_service.conf"
)]
pub(crate) struct Cli {
    /// The graph file to open, or a postgres://user@host/db URL to explore.
    #[allow(clippy::doc_markdown)]
    pub(crate) file: Option<PathBuf>,
    /// Explore the server of this service in pg_service.conf (PGSERVICEFILE or
    /// ~/.pg_service.conf, then the system's file) instead of a FILE.
    #[allow(
        clippy::doc_markdown,
        reason = "clap shows these comments as --help, where backticks would show"
    )]
    #[arg(long, value_name = "NAME", conflicts_with = "file")]
    pub(crate) service: Option<String>,
    /// The schema that holds the graph on a PostgreSQL server.
    #[arg(long, default_value = "public")]
    pub(crate) schema: String,
    /// Explore FILE by search and expansion instead of loading it whole (for files too
    /// big to load).
    #[arg(long)]
    pub(crate) explore: bool,
    /// Once the layout has settled, save a screenshot of the window as PNG and quit.
    #[arg(long, value_name = "PNG")]
    pub(crate) screenshot: Option<PathBuf>,
    /// Read this source document (.txt, .html, .mhtml, .pdf) in the reader beside the
    /// graph, to capture evidence from it.
    #[arg(long, value_name = "SOURCE", conflicts_with_all = ["service", "explore"])]
    pub(crate) source: Option<PathBuf>,
    /// A test hook, hidden from --help: panic right after the log is set up,
    /// as a bug would (`tests/integration/log_file.rs`).
    #[arg(long, hide = true)]
    pub(crate) panic_for_test: bool,
    #[command(subcommand)]
    pub(crate) command: Option<Commands>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Commands {
    /// Print the load report of a graph file: counts and every skipped row.
    ///
    /// Example: linkscope check case.sqlite --json
    Check {
        file: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the entities matching TEXT, best first: names fuzzily (its letters in order, case
    /// ignored), then descriptions (every word). Exits 1 when nothing matches.
    ///
    /// Example: linkscope find case.sqlite "haqqani" --limit 5
    Find {
        /// A graph file, or a postgres:// URL (names only, as the Explore tab searches).
        file: PathBuf,
        text: String,
        /// Print the matches as a JSON list of {id, name, kind, degree, score, field}.
        #[arg(long)]
        json: bool,
        /// List at most this many matches.
        #[arg(long, default_value_t = 20, allow_negative_numbers = true, value_parser = whole::<usize, 1, {u64::MAX}>)]
        limit: usize,
        /// The schema that holds the graph, when FILE is a PostgreSQL URL.
        #[arg(long, default_value = "public")]
        schema: String,
    },
    /// Convert GEXF, GraphML, CSV, FollowTheMoney or STIX 2.1 into a new graph file (refuses
    /// to overwrite). CSV takes a nodes file and an edges file, or an edges file alone.
    ///
    /// Example: linkscope import network.gexf network.sqlite
    Import {
        /// The input file, then (CSV) the edges file, then the new graph file.
        #[arg(num_args = 2..=3, required = true)]
        files: Vec<PathBuf>,
        /// gexf, graphml, csv, ftm or stix (default: recognised from the file).
        #[arg(long)]
        format: Option<String>,
        /// A CSV column mapping (TOML), as the mapping dialog saves it.
        #[arg(long)]
        mapping: Option<PathBuf>,
    },
    /// Copy a graph file into a PostgreSQL schema (binary COPY into a staging schema, moved in
    /// by one transaction: cancelled or failed, the server keeps nothing of it), then index it
    /// for search and expansion.
    ///
    /// Example: linkscope push case.sqlite postgres://ana@db.example/graphs --schema case_42
    #[allow(
        clippy::doc_markdown,
        reason = "clap shows these comments as --help, where backticks would show"
    )]
    Push {
        file: PathBuf,
        /// postgres://user@host[:port]/database[?sslmode=...&service=...] (the password from
        /// PGPASSWORD or ~/.pgpass, else asked for on a terminal).
        url: String,
        /// The schema to create the tables in; refused when it already holds a graph.
        #[arg(long, default_value = "public")]
        schema: String,
    },
    /// Write the neighbourhood of some entities of a PostgreSQL graph into a new graph file.
    ///
    /// Example: linkscope pull postgres://ana@db.example/graphs --seed "Acme Holdings" --hops 2 acme.sqlite
    #[allow(
        clippy::doc_markdown,
        reason = "clap shows these comments as --help, where backticks would show"
    )]
    Pull {
        /// postgres://user@host[:port]/database
        url: String,
        /// The new graph file.
        out: PathBuf,
        /// An entity's name to start from (ignoring case); repeat for several.
        #[arg(long, required = true)]
        seed: Vec<String>,
        /// How many relations away from the seeds to go.
        #[arg(long, default_value_t = 2)]
        hops: u32,
        /// At most this many neighbours of each entity per hop (0: all).
        #[arg(long, default_value_t = 50)]
        cap: u32,
        /// Stop adding entities past this many.
        #[arg(long, default_value_t = 10_000)]
        max_entities: usize,
        /// The schema that holds the graph.
        #[arg(long, default_value = "public")]
        schema: String,
    },
    /// Set up compartments on a pushed graph: a `compartment` column (a group role's name;
    /// empty: seen by all) on entities, relations and excerpts, row-level security by group,
    /// and search functions that keep the indexes. Safe to run again. Then assign rows with
    /// UPDATE; see docs/postgres-server.md.
    ///
    /// Example: linkscope compartments postgres://admin@db.example/graphs --schema case_42
    #[allow(
        clippy::doc_markdown,
        reason = "clap shows these comments as --help, where backticks would show"
    )]
    Compartments {
        /// postgres://user@host[:port]/database, as the tables' owner or a superuser.
        url: String,
        /// The schema that holds the graph.
        #[arg(long, default_value = "public")]
        schema: String,
    },
    /// Store a server's password in the system keyring (the Secret Service on Linux: GNOME
    /// Keyring, KWallet), where connecting finds it after the URL, the service file,
    /// PGPASSWORD and ~/.pgpass; or forget it. The entry is service "linkscope", user
    /// "user@host:port/database".
    ///
    /// Example: linkscope password store postgres://ana@db.example/graphs
    #[allow(
        clippy::doc_markdown,
        reason = "clap shows these comments as --help, where backticks would show"
    )]
    Password {
        #[command(subcommand)]
        action: PasswordAction,
    },
    /// Time exploring a PostgreSQL graph: a name search, a capped expansion of the entity of
    /// degree nearest 1,000, a capped 2-hop expansion and traces of up to 4 hops; one JSON
    /// line per step (median and 90th percentile, warm), then each statement's
    /// EXPLAIN (ANALYZE, BUFFERS).
    ///
    /// Example: linkscope bench-explore postgres://ana@localhost/graphs --schema big
    #[allow(clippy::doc_markdown)]
    BenchExplore {
        /// postgres://user@host[:port]/database
        url: String,
        /// The schema that holds the graph.
        #[arg(long, default_value = "public")]
        schema: String,
        /// Timed runs of each step (after one warm-up run).
        #[arg(long, default_value_t = 20, value_parser = whole::<usize, 1, 100000>)]
        runs: usize,
        /// Neighbours per entity and hop.
        #[arg(long, default_value_t = 50, value_parser = whole::<u32, 1, 100000>)]
        cap: u32,
        /// Picks the trace pairs.
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Write the graph for another tool: GEXF (Gephi, networkx), GraphML (yEd, Cytoscape,
    /// igraph) or CSV in Gephi's columns (NAME.nodes.csv and NAME.edges.csv beside OUT).
    ///
    /// Example: linkscope export-graph case.sqlite case.gexf --format gexf --shown
    ExportGraph {
        file: PathBuf,
        out: PathBuf,
        /// gexf, graphml or csv (default: from OUT's extension).
        #[arg(long)]
        format: Option<String>,
        /// Only what the saved view shows (its filters, focus and hidden items).
        #[arg(long)]
        shown: bool,
        /// GEXF: the 1.2draft namespace, for older readers.
        #[arg(long = "gexf-1.2")]
        gexf_draft: bool,
        /// GraphML: add yEd's graphics (labels, colours, positions).
        #[arg(long)]
        yed: bool,
        /// Documents and excerpts as separate nodes, instead of attributes of each relation.
        #[arg(long)]
        evidence_nodes: bool,
    },
    /// Write a seeded synthetic graph file (refuses to overwrite).
    ///
    /// Example: linkscope generate --nodes 200000 --edges 1000000 --seed 7 big.sqlite
    Generate {
        #[arg(long, allow_negative_numbers = true, value_parser = whole::<usize, 1, MAX_NODES>)]
        nodes: usize,
        #[arg(long, allow_negative_numbers = true, value_parser = whole::<usize, 0, {u64::MAX}>)]
        edges: usize,
        #[arg(long, default_value_t = 7, allow_negative_numbers = true, value_parser = whole::<u64, 0, {u64::MAX}>)]
        seed: u64,
        /// Plant this many communities (entity i in community (i - 1) mod K) instead of
        /// preferential attachment: a benchmark for layouts that should show them.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = whole::<usize, 0, MAX_NODES>)]
        communities: usize,
        /// Share of relations drawn between planted communities.
        #[arg(long, default_value_t = 0.3, allow_negative_numbers = true, value_parser = share)]
        mixing: f64,
        /// Write the planted community of every entity here, as `entity_id,community` lines
        /// (what `bench-layout --communities` reads).
        #[arg(long, requires = "communities")]
        truth: Option<PathBuf>,
        file: PathBuf,
    },
    /// Draw a graph file as PNG or SVG with no window: its saved view when it has one,
    /// otherwise a seeded layout. The same file and options give the same bytes.
    ///
    /// Example: linkscope render case.sqlite --out case.png --scale 2 --legend --citations
    Render {
        file: PathBuf,
        /// The picture to write: its name ends in .png or .svg.
        #[arg(long)]
        out: PathBuf,
        /// The picture's width in points.
        #[arg(long, default_value_t = 1600, allow_negative_numbers = true, value_parser = whole::<u32, 1, MAX_TARGET_SIDE>)]
        width: u32,
        /// The picture's height in points.
        #[arg(long, default_value_t = 1000, allow_negative_numbers = true, value_parser = whole::<u32, 1, MAX_TARGET_SIDE>)]
        height: u32,
        /// Pixels per point in a PNG: 1, 2 or 4 (at most 8192 pixels on a side).
        #[arg(long, default_value_t = 1, value_parser = scale)]
        scale: u32,
        #[arg(long, default_value = "dark", value_parser = ["dark", "light"])]
        theme: String,
        /// Leave the background out.
        #[arg(long)]
        transparent: bool,
        /// Layout iterations when the file has no saved view (default: until it settles).
        #[arg(long, allow_negative_numbers = true, value_parser = whole::<u64, 1, {u64::MAX}>)]
        iterations: Option<u64>,
        /// The layout's seed when the file has no saved view.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = whole::<u64, 0, {u64::MAX}>)]
        seed: u64,
        /// A title in the top-left corner.
        #[arg(long)]
        title: Option<String>,
        /// Draw the legend.
        #[arg(long)]
        legend: bool,
        /// Name the documents behind the drawn edges at the bottom.
        #[arg(long)]
        citations: bool,
        /// SVG: draw every text as outlines of the window's font, for exact reproduction.
        #[arg(long)]
        labels_as_outlines: bool,
        /// Draw only this entity (its database id, or its exact name) and its neighbours.
        #[arg(long, value_name = "ENTITY")]
        focus: Option<String>,
        /// How many relations away from --focus to draw.
        #[arg(long, default_value_t = 1, requires = "focus", allow_negative_numbers = true, value_parser = whole::<usize, 0, 10>)]
        hops: usize,
    },
    /// Write the evidence table of a graph file: every relation the window shows, with its
    /// excerpts and their documents (standard output unless --out is given). With --format w3c,
    /// the captured excerpts as W3C Web Annotations instead.
    ///
    /// Example: linkscope evidence case.sqlite --format md --out evidence.md
    Evidence {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = EvidenceFormatArg::Csv)]
        format: EvidenceFormatArg,
        /// Write the table to this file (written beside it, then renamed into place).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Trace the shortest path between two entities and print each hop's relation with its
    /// excerpts: the evidence chain. FROM and TO are database ids or names; a name several
    /// entities share is refused with their list.
    ///
    /// Example: linkscope path case.sqlite "Sirajuddin Haqqani" "Taliban government" --json
    Path {
        /// A graph file, or a postgres:// URL (searched on the server, relations either way,
        /// up to --max-hops).
        file: PathBuf,
        from: String,
        to: String,
        /// The schema that holds the graph, when FILE is a PostgreSQL URL.
        #[arg(long, default_value = "public")]
        schema: String,
        /// On a server: the longest path looked for, in relations.
        #[arg(long, default_value_t = 4, value_parser = whole::<u32, 1, 64>)]
        max_hops: u32,
        /// Print `{"hops": [...]}`: each relation's id, label, subject, object and excerpts.
        #[arg(long)]
        json: bool,
        /// Walk relations either way, not only from subject to object.
        #[arg(long)]
        undirected: bool,
        /// Prefer well-sourced relations to fewer hops (see docs/guide.md for the cost).
        #[arg(long, long_help = linkscope::model::grades::PREFER_EVIDENCE_HELP)]
        prefer_evidence: bool,
    },
    /// Print every entity's degree, PageRank, betweenness and Louvain community (see docs/guide.md
    /// for which graph each one reads); betweenness is estimated from a sample on big files.
    ///
    /// Example: linkscope metrics case.sqlite --json
    Metrics {
        file: PathBuf,
        /// Print a JSON list of {id, name, degree, pagerank, betweenness, community}.
        #[arg(long)]
        json: bool,
    },
    /// Print shell completions for bash, zsh, fish, elvish or PowerShell.
    ///
    /// Example: linkscope completions bash > ~/.local/share/bash-completion/completions/linkscope
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), as the package installs it.
    ///
    /// Example: linkscope man > linkscope.1 && man -l linkscope.1
    Man,
    /// Time loading a graph file to its first frame, printing one JSON line.
    ///
    /// Example: linkscope bench-load big.sqlite
    BenchLoad { file: PathBuf },
    /// Time GPU frames of a graph file rendered offscreen through the window's renderer,
    /// positions re-uploaded every frame as while the layout runs; prints one JSON line.
    ///
    /// Example: linkscope bench-render big.sqlite
    BenchRender {
        file: PathBuf,
        /// Layout iterations run before rendering (0: the random start, the longest edges).
        #[arg(long, default_value_t = 100, allow_negative_numbers = true, value_parser = whole::<u64, 0, {u64::MAX}>)]
        iterations: u64,
        #[arg(long, default_value_t = 120, allow_negative_numbers = true, value_parser = whole::<usize, 1, {u64::MAX}>)]
        frames: usize,
        #[arg(long, default_value_t = 1600, allow_negative_numbers = true, value_parser = whole::<u32, 1, MAX_TARGET_SIDE>)]
        width: u32,
        #[arg(long, default_value_t = 1000, allow_negative_numbers = true, value_parser = whole::<u32, 1, MAX_TARGET_SIDE>)]
        height: u32,
    },
    /// Time the layout on an edge list, printing one JSON line (as the peers' kit does).
    ///
    /// Example: linkscope bench-layout --graph big.sqlite --runs 3
    BenchLayout {
        /// "src dst" per line, 0-based node ids.
        #[arg(long, required_unless_present = "graph", requires = "positions")]
        edges: Option<PathBuf>,
        /// "x y" per line: start positions.
        #[arg(long, requires = "edges")]
        positions: Option<PathBuf>,
        /// A graph file instead of the edge and position lists: laid out as the window lays
        /// it out (its settings for that size, its seeded start).
        #[arg(long, conflicts_with_all = ["edges", "positions"])]
        graph: Option<PathBuf>,
        /// Print the kNN community agreement of the final picture against this file of
        /// `id,community` lines (entity ids with --graph, else 0-based node ids).
        #[arg(long)]
        communities: Option<PathBuf>,
        /// Run until the layout has settled, as the window does, and print the time that took.
        #[arg(long)]
        until_settled: bool,
        #[arg(long, value_enum, default_value_t = AlgorithmArg::Community)]
        algorithm: AlgorithmArg,
        /// At least 2: the time per iteration runs from the end of the first to the last.
        #[arg(long, default_value_t = 20, allow_negative_numbers = true, value_parser = whole::<usize, 2, {u64::MAX}>)]
        iterations: usize,
        /// Barnes–Hut opening criterion, in Gephi's meaning (0: exact forces).
        #[arg(long, default_value_t = 1.2, allow_negative_numbers = true, value_parser = theta)]
        theta: f32,
        #[arg(long, default_value_t = 2, allow_negative_numbers = true, value_parser = whole::<usize, 1, MAX_THREADS>)]
        threads: usize,
        #[arg(long, default_value_t = 3, allow_negative_numbers = true, value_parser = whole::<usize, 1, {u64::MAX}>)]
        runs: usize,
        /// Write the final positions here, to compare layouts.
        #[arg(long)]
        write_positions: Option<PathBuf>,
        /// The layout's seed (its start placement): another seed, another picture.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = whole::<u64, 0, {u64::MAX}>)]
        seed: u64,
    },
}

/// What `linkscope password` does.
#[derive(Subcommand, Debug)]
pub(crate) enum PasswordAction {
    /// Store the password for URL's user, host, port and database: typed at the prompt, or
    /// the first line of standard input when it is not a terminal.
    ///
    /// Example: linkscope password store postgres://ana@db.example:5433/graphs
    #[allow(
        clippy::doc_markdown,
        reason = "clap shows these comments as --help, where backticks would show"
    )]
    Store {
        /// postgres://user@host[:port]/database[?service=...]
        url: String,
    },
    /// Remove the stored password for URL's user, host, port and database.
    ///
    /// Example: linkscope password forget postgres://ana@db.example/graphs
    #[allow(
        clippy::doc_markdown,
        reason = "clap shows these comments as --help, where backticks would show"
    )]
    Forget {
        /// postgres://user@host[:port]/database[?service=...]
        url: String,
    },
}

/// `--algorithm` of `linkscope bench-layout`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum AlgorithmArg {
    /// `LinLog` energy from a multilevel start: shows communities (the window's default).
    Community,
    /// Plain `ForceAtlas2` from a random start.
    Forceatlas2,
}

impl From<AlgorithmArg> for linkscope::layout::LayoutAlgorithm {
    fn from(value: AlgorithmArg) -> Self {
        match value {
            AlgorithmArg::Community => Self::Community,
            AlgorithmArg::Forceatlas2 => Self::ForceAtlas2,
        }
    }
}

/// `--format` of `linkscope evidence`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum EvidenceFormatArg {
    Csv,
    Md,
    /// The captured excerpts (with offsets) as a W3C Web Annotation collection.
    W3c,
}

/// Node ids are 32-bit in the layout and on the GPU.
const MAX_NODES: u64 = u32::MAX as u64;
/// The offscreen target's largest side (wgpu's default texture limit, which egui-wgpu asks for).
const MAX_TARGET_SIDE: u64 = 8192;
/// More worker threads than this is a typo, not a machine.
const MAX_THREADS: u64 = 1024;

/// `file` when it is a PostgreSQL URL rather than a path.
pub(crate) fn server_url(file: &std::path::Path) -> Option<&str> {
    file.to_str()
        .filter(|text| linkscope::postgres::is_url(text))
}

/// Parses a whole number in `MIN..=MAX` while the arguments are read, so that `--nodes 0` or
/// `--width -5` is refused, with the range expected, before any work starts.
fn whole<T: TryFrom<u64>, const MIN: u64, const MAX: u64>(text: &str) -> Result<T, String> {
    let expected = if MAX == u64::MAX {
        format!("expected a whole number of at least {MIN}")
    } else {
        format!("expected a whole number from {MIN} to {MAX}")
    };
    let value: i128 = text.trim().parse().map_err(|_| expected.clone())?;
    u64::try_from(value)
        .ok()
        .filter(|value| (MIN..=MAX).contains(value))
        .and_then(|value| T::try_from(value).ok())
        .ok_or(expected)
}

/// Parses an export scale: 1, 2 or 4 pixels per point.
fn scale(text: &str) -> Result<u32, String> {
    match text.trim() {
        "1" => Ok(1),
        "2" => Ok(2),
        "4" => Ok(4),
        _ => Err("expected 1, 2 or 4".to_owned()),
    }
}

/// Parses Barnes–Hut's theta: a finite number, 0 or more.
fn theta(text: &str) -> Result<f32, String> {
    let expected = || "expected a finite number of at least 0 (0: exact forces)".to_owned();
    let value: f32 = text.trim().parse().map_err(|_| expected())?;
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(expected())
    }
}

/// A share from 0 to 1.
fn share(text: &str) -> Result<f64, String> {
    let expected = || "expected a number from 0 to 1".to_owned();
    let value: f64 = text.trim().parse().map_err(|_| expected())?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(expected())
    }
}
