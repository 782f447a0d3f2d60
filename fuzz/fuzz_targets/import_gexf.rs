#![no_main]
//! See `linkscope::fuzzing`: the same entry replays the corpus in `cargo test`.

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    linkscope::fuzzing::run("import_gexf", bytes);
});
