//! The `linkscope` binary: the window by default, or a subcommand.

use std::process::ExitCode;

use clap::Parser as _;

mod cli;
mod subcommands;

use cli::{Cli, Commands, EvidenceFormatArg, server_url};

use linkscope::store::GenerateOptions;

/// mimalloc rather than glibc's allocator: see its line in `Cargo.toml`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    give_mesa_a_runtime_dir();
    let cli = Cli::parse();
    // The window writes a log file (the subcommands print to the terminal,
    // and a script running them must not rotate the window's logs away).
    let log_dir = cli
        .command
        .is_none()
        .then(linkscope::logfile::folder)
        .flatten();
    // On stderr, warnings of ours; of the window's crates only errors: on a
    // virtual desktop they warn at every start of things the status bar
    // already says (a software rasteriser) or that do not matter (a display
    // of "0 mm", the C locale). RUST_LOG overrides.
    linkscope::logfile::start(
        "warn,winit=error,egui_wgpu=error,egui_system_font_provider=error",
        log_dir.as_deref(),
        &format!(
            "Linkscope {} on {} {}, process {}",
            linkscope::VERSION,
            std::env::consts::OS,
            std::env::consts::ARCH,
            std::process::id()
        ),
    );
    assert!(!cli.panic_for_test, "a panic asked for by --panic-for-test");
    let outcome = match cli.command {
        None => {
            subcommands::window_source(cli.file, cli.service.as_deref(), &cli.schema, cli.explore)
                .and_then(|(file, explore)| {
                    subcommands::run_window(file, explore, cli.screenshot, cli.source, log_dir)
                })
        }
        Some(Commands::Check { file, json }) => subcommands::check(&file, json),
        Some(Commands::Find {
            file,
            text,
            json,
            limit,
            schema,
        }) => match server_url(&file) {
            Some(url) => subcommands::find_on_server(url, &schema, &text, json, limit),
            None => subcommands::find(&file, &text, json, limit),
        },
        Some(Commands::Evidence { file, format, out }) => {
            subcommands::evidence(&file, format, out.as_deref())
        }
        Some(Commands::Path {
            file,
            from,
            to,
            schema,
            max_hops,
            json,
            undirected,
            prefer_evidence,
        }) => match server_url(&file) {
            Some(url) => subcommands::path_on_server(
                url,
                &schema,
                [&from, &to],
                max_hops,
                json,
                prefer_evidence,
            ),
            None => subcommands::path(&file, &from, &to, json, undirected, prefer_evidence),
        },
        Some(Commands::Metrics { file, json }) => match server_url(&file) {
            Some(url) => Err(anyhow::anyhow!(
                "{}: metrics read the whole graph, which a server is not loaded for: pull it into a file first (linkscope pull), or explore it in the window",
                linkscope::postgres::without_password(url)
            )),
            None => subcommands::metrics(&file, json),
        },
        Some(Commands::BenchLoad { file }) => subcommands::bench_load(&file),
        Some(Commands::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "linkscope", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Some(Commands::Man) => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command)
                .render(&mut std::io::stdout())
                .map(|()| ExitCode::SUCCESS)
                .map_err(anyhow::Error::from)
        }
        Some(Commands::Render {
            file,
            out,
            width,
            height,
            scale,
            theme,
            transparent,
            iterations,
            seed,
            title,
            legend,
            citations,
            labels_as_outlines,
            focus,
            hops,
        }) => subcommands::render(&linkscope::export::headless::HeadlessRender {
            file,
            out,
            size: egui::vec2(width as f32, height as f32),
            scale: scale as f32,
            style: linkscope::export::picture::PictureStyle {
                theme: if theme == "light" {
                    linkscope::scene::theme::Theme::Light
                } else {
                    linkscope::scene::theme::Theme::Dark
                },
                transparent,
                title,
                legend,
                citations,
                labels_as_outlines,
            },
            iterations,
            seed,
            focus,
            hops,
        }),
        Some(Commands::BenchRender {
            file,
            iterations,
            frames,
            width,
            height,
        }) => subcommands::bench_render(&file, iterations, frames, [width, height]),
        Some(Commands::ExportGraph {
            file,
            out,
            format,
            shown,
            gexf_draft,
            yed,
            evidence_nodes,
        }) => subcommands::export_graph(
            &file,
            &out,
            format.as_deref(),
            shown,
            linkscope::export::graph_formats::GraphExportOptions {
                gexf_draft,
                yed,
                evidence: if evidence_nodes {
                    linkscope::export::graph_formats::EvidenceAs::Nodes
                } else {
                    linkscope::export::graph_formats::EvidenceAs::Attributes
                },
            },
        ),
        Some(Commands::Import {
            files,
            format,
            mapping,
        }) => subcommands::import(&files, format.as_deref(), mapping.as_deref()),
        Some(Commands::Push { file, url, schema }) => subcommands::push(&file, &url, &schema),
        Some(Commands::Compartments { url, schema }) => subcommands::compartments(&url, &schema),
        Some(Commands::Password { action }) => subcommands::password(action),
        Some(Commands::BenchExplore {
            url,
            schema,
            runs,
            cap,
            seed,
        }) => subcommands::bench_explore(
            &url,
            &schema,
            linkscope::postgres::BenchOptions { runs, cap, seed },
        ),
        Some(Commands::Pull {
            url,
            out,
            seed,
            hops,
            cap,
            max_entities,
            schema,
        }) => subcommands::pull(
            &url,
            &schema,
            &linkscope::postgres::PullOptions {
                seeds: seed,
                hops,
                cap_per_entity: (cap > 0).then_some(cap),
                max_entities,
            },
            &out,
        ),
        Some(Commands::Generate {
            nodes,
            edges,
            seed,
            communities,
            mixing,
            truth,
            file,
        }) => subcommands::generate(
            &file,
            &GenerateOptions {
                nodes,
                edges,
                seed,
                communities,
                mixing,
                ..GenerateOptions::default()
            },
            truth.as_deref(),
        ),
        Some(Commands::BenchLayout {
            edges,
            positions,
            graph,
            communities,
            until_settled,
            algorithm,
            iterations,
            theta,
            threads,
            runs,
            write_positions,
            seed,
        }) => subcommands::bench_layout(
            &linkscope::layout::bench::BenchLayoutArgs {
                iterations,
                theta,
                threads,
                runs,
                write_positions,
                communities,
                until_settled,
                settings: linkscope::layout::LayoutSettings {
                    seed,
                    ..linkscope::layout::LayoutSettings::for_algorithm(algorithm.into())
                },
                ..linkscope::layout::bench::BenchLayoutArgs::new(
                    edges.unwrap_or_default(),
                    positions.unwrap_or_default(),
                )
            },
            graph.as_deref(),
        ),
    };
    match outcome {
        Ok(code) => code,
        // A reader that stops early (`linkscope check FILE | head -1`) is not an error: stop
        // quietly, as ripgrep and the Unix tools do.
        Err(error) if subcommands::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("linkscope: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Mesa's Vulkan drivers print "`XDG_RUNTIME_DIR` is invalid or not set" on
/// stderr for every device they open when the variable is missing or names
/// no folder (a bare X session, ssh, cron, a container): give them a
/// private folder of the user's own, as a session manager would. Runs
/// first in `main`, before any thread exists.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn give_mesa_a_runtime_dir() {
    use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _, PermissionsExt as _};
    let usable = |dir: &std::path::Path| std::fs::metadata(dir).is_ok_and(|meta| meta.is_dir());
    if std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| usable(dir.as_ref())) {
        return;
    }
    #[allow(unsafe_code)]
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let dir = std::env::temp_dir().join(format!("linkscope-runtime-{uid}"));
    let _ = std::fs::DirBuilder::new().mode(0o700).create(&dir);
    // Only a folder that is ours and closed to others (another user may
    // have made one of this name first).
    let private = std::fs::symlink_metadata(&dir).is_ok_and(|meta| {
        let closed_to_others = meta.permissions().mode() & 0o077;
        meta.is_dir() && meta.uid() == uid && closed_to_others == 0
    });
    if private {
        #[allow(unsafe_code)]
        // SAFETY: no other thread exists yet (this is the first thing main
        // does), so nothing reads the environment while it changes.
        unsafe {
            std::env::set_var("XDG_RUNTIME_DIR", &dir);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_mesa_a_runtime_dir() {}
