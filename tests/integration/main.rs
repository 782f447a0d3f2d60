//! The integration test binary: one module per area.

mod sample_db;
mod render;
mod bad_files;
mod cli;
mod ui;
