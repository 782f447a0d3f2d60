//! GEXF import.

use super::{GraphWriter, ImportError, ImportInput, ImportOptions};

/// Reads `inputs` as GEXF into `writer`.
pub fn import(
    inputs: &mut [ImportInput],
    writer: &mut GraphWriter,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let _ = (writer, options);
    Err(ImportError::Options {
        file: inputs
            .first()
            .map(|input| input.name.clone())
            .unwrap_or_default(),
        message: "GEXF import is not available yet".to_owned(),
    })
}
