//! What one file's import says about what it skipped or changed: each
//! note at its line, and some only the first time they come up in the
//! file (a thousand nested nodes need one note, not a thousand).

use super::{GraphWriter, ImportError};

/// The notes of one input file.
#[derive(Debug)]
pub struct FileNotes {
    file: String,
    said: foldhash::HashSet<String>,
}

impl FileNotes {
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            said: foldhash::HashSet::default(),
        }
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// Notes `message` at `line` (none: the file as a whole).
    pub fn note(
        &self,
        writer: &mut GraphWriter,
        line: Option<u64>,
        message: &str,
    ) -> Result<(), ImportError> {
        writer.note(&self.file, line, message)?;
        Ok(())
    }

    /// Notes `message` the first time `topic` comes up in this file.
    pub fn note_once(
        &mut self,
        writer: &mut GraphWriter,
        topic: &str,
        line: u64,
        message: &str,
    ) -> Result<(), ImportError> {
        if self.said.insert(topic.to_owned()) {
            self.note(writer, Some(line), message)?;
        }
        Ok(())
    }
}
