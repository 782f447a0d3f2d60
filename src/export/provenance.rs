//! Where an exported picture came from, written into it (PNG text chunks,
//! an SVG `<metadata>` element), so a figure in a report can be traced back
//! to its graph file and view, and reproduced.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::Path;

use sha2::{Digest as _, Sha256};

/// The graph file, the view and the program behind a picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Provenance {
    /// The graph file's name (not its folder: paths can say too much).
    pub file_name: String,
    /// SHA-256 of the graph file's bytes, in hex.
    pub file_sha256: String,
    /// The view state as saved in project files (JSON, positions aside).
    pub view_json: String,
    /// What was drawn: "whole graph" or "current view", the size and scale.
    pub picture: String,
}

impl Provenance {
    /// Keyword and value pairs, in a fixed order (the same every time, so
    /// the same picture gives the same bytes).
    pub fn entries(&self) -> Vec<(String, String)> {
        vec![
            (
                "Software".to_owned(),
                format!("Linkscope {}", env!("CARGO_PKG_VERSION")),
            ),
            ("Source".to_owned(), self.file_name.clone()),
            (
                "linkscope:source-sha256".to_owned(),
                self.file_sha256.clone(),
            ),
            ("linkscope:view".to_owned(), self.view_json.clone()),
            ("linkscope:picture".to_owned(), self.picture.clone()),
        ]
    }
}

/// SHA-256 of the file at `path`, read in blocks, in lowercase hex.
pub fn sha256_of_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; 1 << 16];
    loop {
        match file.read(&mut buffer)? {
            0 => break,
            read => hasher.update(&buffer[..read]),
        }
    }
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_sha256sum() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("abc");
        std::fs::write(&path, b"abc").unwrap();
        // FIPS 180-2's test vector for "abc".
        assert_eq!(
            sha256_of_file(&path).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
