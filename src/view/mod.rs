//! Canvas and panels (egui): drawing the graph, hit-testing, the evidence
//! and details panels, the menus and the status bar. No SQL, no file IO:
//! views read the model and return commands for the app to run.

pub mod about;
pub mod canvas;
mod canvas_notes;
pub mod capture_form;
pub mod context_menu;
pub mod cpu_drawing;
pub mod csv_mapping;
pub mod dialogs;
pub mod edit_menu;
pub mod evidence_dialog;
pub mod explore_panel;
pub mod export_dialog;
pub mod filter_panel;
pub mod find;
pub mod fit;
pub mod frame;
pub mod gpu;
pub mod guide;
pub mod help;
pub mod hit;
pub mod import_dialog;
pub mod layout_panel;
pub mod line_grid;
pub mod marquee;
pub mod menus;
pub mod metrics_ui;
pub mod notices;
pub mod paint;
pub mod palette;
pub mod panels;
pub mod reader;
mod reveal;
pub mod selection;
pub mod selection_panel;
pub mod start_here;
pub mod text;
pub mod text_viewer;
pub mod timeline;
pub mod trace_panel;
pub mod visibility_ui;
