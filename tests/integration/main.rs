//! The integration test binary: one module per area.

mod bad_files;
mod cli;
mod render;
mod sample_db;
mod ui;
