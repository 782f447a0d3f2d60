//! The window: what it opens (a file, or a source to explore), and eframe
//! started on it.

use std::path::PathBuf;
use std::process::ExitCode;

use linkscope::app::{AppOptions, ExploreSpec, LinkscopeApp};

/// What the window opens: a file, or a source to explore.
pub(crate) fn window_source(
    file: Option<PathBuf>,
    service: Option<&str>,
    schema: &str,
    explore: bool,
) -> anyhow::Result<(Option<PathBuf>, Option<ExploreSpec>)> {
    if let Some(name) = service {
        let target = linkscope::postgres::PgTarget::from_service(name, schema)?;
        let target = super::with_password(target)?;
        return Ok((None, Some(ExploreSpec::Postgres(Box::new(target)))));
    }
    let Some(file) = file else {
        anyhow::ensure!(!explore, "--explore needs a graph file to explore");
        return Ok((None, None));
    };
    if let Some(url) = file
        .to_str()
        .filter(|text| linkscope::postgres::is_url(text))
    {
        let target = super::with_password(linkscope::postgres::PgTarget::new(url, schema)?)?;
        return Ok((None, Some(ExploreSpec::Postgres(Box::new(target)))));
    }
    if explore {
        return Ok((None, Some(ExploreSpec::File(file))));
    }
    Ok((Some(file), None))
}

pub(crate) fn run_window(
    file: Option<PathBuf>,
    explore: Option<ExploreSpec>,
    screenshot: Option<PathBuf>,
    source: Option<PathBuf>,
    log_dir: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    linkscope::jobs::memory::prefer_returning_large_blocks();
    // Not over the screenshots the README and scripts take.
    let offer_start_here = screenshot.is_none();
    let options = AppOptions {
        file,
        explore,
        screenshot,
        log_dir,
        native_dialogs: true,
        offer_start_here,
        source,
        ..AppOptions::default()
    };
    let mut wgpu_options = egui_wgpu::WgpuConfiguration::default();
    linkscope::view::gpu::prefer_small_memory_blocks_in_software(&mut wgpu_options.wgpu_setup);
    let mut viewport = egui::ViewportBuilder::default();
    // The mark of packaging/icons, in the title bar and the taskbar.
    match eframe::icon_data::from_png_bytes(include_bytes!(
        "../../packaging/icons/linkscope-64.png"
    )) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(error) => log::warn!("the window's icon could not be read: {error}"),
    }
    let native_options = eframe::NativeOptions {
        wgpu_options,
        viewport: viewport
            .with_title("Linkscope")
            .with_app_id("linkscope")
            .with_inner_size([1280.0, 820.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Linkscope",
        native_options,
        Box::new(|cc| Ok(Box::new(LinkscopeApp::new(cc, options)))),
    )
    .map_err(|error| anyhow::anyhow!("could not open the window: {error}"))?;
    log::info!("the window closed");
    Ok(ExitCode::SUCCESS)
}
