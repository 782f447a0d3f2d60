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
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    let outcome = match cli.command {
        None => {
            subcommands::window_source(cli.file, cli.service.as_deref(), &cli.schema, cli.explore)
                .and_then(|(file, explore)| subcommands::run_window(file, explore, cli.screenshot))
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
