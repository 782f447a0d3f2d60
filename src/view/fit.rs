//! Windows that fit the main window: each is kept between the menu bar and
//! the status bar and scrolls inside when its contents are taller (F1 help
//! at 820 px once put its title bar and close button off-screen).

/// Where the app says the free room is this frame: below the menu bar,
/// above the status bar.
fn free_rect_id() -> egui::Id {
    egui::Id::unique("linkscope_free_rect")
}

/// Records the room between the menu bar and the status bar; call each
/// frame once both are laid out, before any window.
pub fn set_free_rect(ctx: &egui::Context, rect: egui::Rect) {
    ctx.data_mut(|data| data.insert_temp(free_rect_id(), rect));
}

/// The room windows may take: what [`set_free_rect`] recorded, else the
/// whole window.
pub fn free_rect(ctx: &egui::Context) -> egui::Rect {
    ctx.data(|data| data.get_temp(free_rect_id()))
        .unwrap_or_else(|| ctx.content_rect())
}

/// `window`, kept inside the free room and scrolling its contents when they
/// are taller than it.
pub fn fit_window<'open>(window: egui::Window<'open>, ctx: &egui::Context) -> egui::Window<'open> {
    let room = free_rect(ctx);
    window
        .constrain_to(room)
        .max_size(room.size())
        .vscroll(true)
}
