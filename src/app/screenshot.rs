//! `linkscope --screenshot OUT.png`: wait for the layout to settle, ask
//! egui for the window's pixels, write them as PNG, close the window.

use std::sync::Arc;

use super::LinkscopeApp;

/// The `--screenshot` flow: wait for the layout, ask egui for the pixels,
/// write them, close.
#[derive(Default)]
pub(super) struct ScreenshotState {
    settled_frames: u32,
    receiver: Option<std::sync::mpsc::Receiver<Arc<egui::ColorImage>>>,
}

impl LinkscopeApp {
    pub(super) fn take_screenshot_when_settled(&mut self, ctx: &egui::Context) {
        let Some(path) = self.options.screenshot.clone() else {
            return;
        };
        if let Some(receiver) = &self.screenshot.receiver {
            if let Ok(image) = receiver.try_recv() {
                let [width, height] = image.size;
                let bytes: Vec<u8> = image
                    .pixels
                    .iter()
                    .flat_map(egui::Color32::to_array)
                    .collect();
                match crate::export::write_png(&path, width, height, &bytes, &[]) {
                    Ok(()) => log::info!("wrote {}", path.display()),
                    Err(error) => eprintln!("linkscope: {error}"),
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            ctx.request_repaint();
            return;
        }
        // A restored view stays paused: that is its final picture too.
        let ready = self.document.is_some()
            && (self.layout_info.settled || !self.layout_info.running)
            || (self.loading.is_none() && self.document.is_none());
        // On CPU drawing, the picture of the last frame is drawn first.
        if !ready || self.cpu_picture_pending() {
            return;
        }
        self.screenshot.settled_frames += 1;
        // A few frames after settling, so the camera has fitted the result.
        if self.screenshot.settled_frames >= 5 {
            let (sender, receiver) = std::sync::mpsc::channel();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                let _ = sender.send(image);
                repaint.request_repaint();
            });
            self.screenshot.receiver = Some(receiver);
        }
        ctx.request_repaint();
    }
}
