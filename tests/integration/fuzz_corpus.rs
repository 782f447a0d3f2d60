//! Replays every committed fuzz input (`fuzz/corpus/<target>/`, crashes
//! that were fixed included) through the same entry the fuzz targets run,
//! on stable Rust: an input that once crashed an importer or the loader
//! fails this test if the crash comes back.

use std::path::Path;

#[test]
fn every_committed_fuzz_input_runs_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut replayed = 0;
    for target in linkscope::fuzzing::TARGETS {
        let folder = root.join(target);
        let mut inputs: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_file())
            .collect();
        inputs.sort();
        assert!(!inputs.is_empty(), "{target}: no corpus");
        for input in inputs {
            let bytes = std::fs::read(&input).unwrap();
            let outcome = std::panic::catch_unwind(|| linkscope::fuzzing::run(target, &bytes));
            assert!(outcome.is_ok(), "{target}: {} panicked", input.display());
            replayed += 1;
        }
    }
    assert!(replayed >= linkscope::fuzzing::TARGETS.len());
}
