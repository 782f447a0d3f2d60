//! Help ▸ About: the version and the commit the binary was built from, and
//! the licences of what it bundles: the fonts egui draws with, and every
//! crate compiled in (`packaging/third-party.tsv`, written by
//! `scripts/third-party.sh` from `cargo metadata`).

/// Every crate compiled into the app: name, version, licence, repository.
pub const THIRD_PARTY: &str = include_str!("../../packaging/third-party.tsv");

/// The fonts egui bundles (`epaint_default_fonts`), with their licences.
pub const FONTS: [(&str, &str); 4] = [
    ("Ubuntu Light", "Ubuntu Font Licence 1.0"),
    (
        "Hack",
        "MIT; Bitstream Vera licence (its DejaVu and Vera parts)",
    ),
    ("Noto Emoji", "SIL Open Font Licence 1.1"),
    ("emoji-icon-font", "SIL Open Font Licence 1.1 and MIT"),
];

/// The crates of [`THIRD_PARTY`] as (name, version, licence, repository).
pub fn third_party_crates() -> impl Iterator<Item = [&'static str; 4]> {
    THIRD_PARTY
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let mut fields = line.split('\t');
            Some([
                fields.next()?,
                fields.next()?,
                fields.next()?,
                fields.next().unwrap_or(""),
            ])
        })
}

/// The About window; false once the user closed it. `version` is the
/// version with its commit, as `--version` prints it.
pub fn about_window_ui(ctx: &egui::Context, version: &str) -> bool {
    let mut open = true;
    let room = super::fit::free_rect(ctx);
    egui::Window::new("About Linkscope")
        .open(&mut open)
        .collapsible(false)
        .default_width(room.width().min(640.0))
        .max_height(room.height())
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.heading("Linkscope");
            ui.label(format!("Version {version}"));
            ui.label("A link-analysis explorer: every edge traceable to a quote and a source.");
            ui.label("Licence: MIT or Apache-2.0, at your choice.");
            ui.add_space(6.0);
            ui.strong("Fonts");
            egui::Grid::new("about_fonts").striped(true).show(ui, |ui| {
                for (font, licence) in FONTS {
                    ui.label(font);
                    ui.label(licence);
                    ui.end_row();
                }
            });
            ui.add_space(6.0);
            let crates: Vec<[&str; 4]> = third_party_crates().collect();
            ui.strong(format!("Crates compiled in ({})", crates.len()));
            let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
            egui::ScrollArea::vertical()
                .max_height((room.height() - 260.0).max(120.0))
                .show_rows(ui, row_height, crates.len(), |ui, rows| {
                    egui::Grid::new("about_crates")
                        .striped(true)
                        .min_row_height(row_height)
                        .show(ui, |ui| {
                            for [name, version, licence, _] in &crates[rows] {
                                ui.label(format!("{name} {version}"));
                                ui.label(*licence);
                                ui.end_row();
                            }
                        });
                });
        });
    open
}
