//! The bundled sample graph, embedded in the binary so that `linkscope` with
//! no file works from any folder.

use std::path::PathBuf;

use super::StoreError;

pub const SAMPLE_FILE_NAME: &str = "sample.sqlite";
const SAMPLE_BYTES: &[u8] = include_bytes!("../../sample-db/sample.sqlite");

/// Writes the embedded sample to a per-version temporary folder (once) and
/// returns its path; the loader then treats it like any other file.
pub fn bundled_sample_path() -> Result<PathBuf, StoreError> {
    let folder =
        std::env::temp_dir().join(format!("linkscope-sample-{:016x}", fnv1a(SAMPLE_BYTES)));
    let path = folder.join(SAMPLE_FILE_NAME);
    let io = |source| StoreError::Io {
        path: path.clone(),
        source,
    };
    let up_to_date = std::fs::read(&path).is_ok_and(|bytes| bytes == SAMPLE_BYTES);
    if !up_to_date {
        std::fs::create_dir_all(&folder).map_err(io)?;
        // Write beside and rename, so a concurrent reader never sees half a file.
        let partial = folder.join(format!("{SAMPLE_FILE_NAME}.{}.partial", std::process::id()));
        std::fs::write(&partial, SAMPLE_BYTES).map_err(io)?;
        std::fs::rename(&partial, &path).map_err(io)?;
    }
    Ok(path)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
