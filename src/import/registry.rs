//! Which importer reads a file: each format looks at the first bytes and
//! the extension and says how sure it is; the surest wins, and a format
//! can decline early. A format named by the user is taken as named.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::input::{ImportInput, Progress};
use super::{GraphWriter, ImportError, ImportOptions, ImportSummary};

/// The formats Linkscope imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    Gexf,
    GraphMl,
    FollowTheMoney,
    Stix,
}

impl Format {
    pub const ALL: [Self; 5] = [
        Self::Gexf,
        Self::GraphMl,
        Self::Csv,
        Self::FollowTheMoney,
        Self::Stix,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Csv => "CSV",
            Self::Gexf => "GEXF",
            Self::GraphMl => "GraphML",
            Self::FollowTheMoney => "FollowTheMoney",
            Self::Stix => "STIX 2.1",
        }
    }

    /// The word `--format` takes.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Gexf => "gexf",
            Self::GraphMl => "graphml",
            Self::FollowTheMoney => "ftm",
            Self::Stix => "stix",
        }
    }

    pub fn from_flag(flag: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|format| format.flag().eq_ignore_ascii_case(flag))
    }

    /// The extensions a file dialog offers for it.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Csv => &["csv", "tsv", "txt"],
            Self::Gexf => &["gexf"],
            Self::GraphMl => &["graphml", "xml"],
            Self::FollowTheMoney => &["json", "jsonl", "ftm", "ijson"],
            Self::Stix => &["json"],
        }
    }

    /// How sure this format is of reading an input that starts with
    /// `head` and has `extension`: 0 no, 1 maybe (extension only), 2 yes
    /// (its own markers in the bytes).
    pub fn sniff(self, head: &[u8], extension: Option<&str>) -> u8 {
        let text = String::from_utf8_lossy(&head[..head.len().min(8192)]).to_lowercase();
        let by_extension =
            extension.is_some_and(|extension| self.extensions().contains(&extension));
        let looks_like_xml = text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<');
        let json = text.trim_start_matches('\u{feff}').trim_start();
        let by_content = match self {
            Self::Gexf => looks_like_xml && text.contains("<gexf"),
            Self::GraphMl => looks_like_xml && text.contains("<graphml"),
            Self::Stix => {
                (json.starts_with('{')
                    && text.contains("\"type\"")
                    && text.contains("\"bundle\"")
                    && text.contains("\"objects\""))
                    // A bare array or JSON lines of STIX 2.1 objects.
                    || ((json.starts_with('{') || json.starts_with('['))
                        && text.contains("\"type\"")
                        && text.contains("\"spec_version\""))
            }
            Self::FollowTheMoney => {
                json.starts_with('{')
                    && text.contains("\"schema\"")
                    && text.contains("\"properties\"")
            }
            Self::Csv => false,
        };
        if by_content {
            2
        } else {
            u8::from(by_extension && !(looks_like_xml && self == Self::Csv))
        }
    }
}

/// The format of `input` by its first bytes and extension; None when no
/// importer recognises it.
pub fn sniff(input: &mut ImportInput) -> Option<Format> {
    let extension = input.extension.clone();
    let head = input.head().ok()?;
    Format::ALL
        .into_iter()
        .map(|format| (format.sniff(head, extension.as_deref()), format))
        .filter(|&(sure, _)| sure > 0)
        .max_by_key(|&(sure, format)| (sure, std::cmp::Reverse(format as u8)))
        .map(|(_, format)| format)
}

/// The import format of the file at `path`, by its first bytes and name;
/// None for a SQLite file (it opens as it is), an unreadable one, or one no
/// importer recognises.
pub fn sniff_path(path: &Path) -> Option<Format> {
    use std::io::Read;
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(path)
        .ok()?
        .take(8192)
        .read_to_end(&mut head)
        .ok()?;
    if head.starts_with(b"SQLite format 3\0") {
        return None;
    }
    let name = path.file_name()?.to_string_lossy().into_owned();
    sniff(&mut ImportInput::from_bytes(&name, head))
}

/// Reads `inputs` (one file; for CSV, a nodes file and an edges file) as
/// `options.format` or the sniffed format into `writer`.
pub fn import_into(
    inputs: &mut [ImportInput],
    writer: &mut GraphWriter,
    options: &ImportOptions,
) -> Result<Format, ImportError> {
    let Some(first) = inputs.first_mut() else {
        return Err(ImportError::Options {
            file: String::new(),
            message: "no input was given".to_owned(),
        });
    };
    let format = match options.format {
        Some(format) => format,
        None => sniff(first).ok_or_else(|| ImportError::Unrecognised {
            file: first.name.clone(),
        })?,
    };
    match format {
        Format::Csv => super::csv::import(inputs, writer, options)?,
        Format::Gexf => super::gexf::import(inputs, writer, options)?,
        Format::GraphMl => super::graphml::import(inputs, writer, options)?,
        Format::FollowTheMoney => super::ftm::import(inputs, writer, options)?,
        Format::Stix => super::stix::import(inputs, writer, options)?,
    }
    Ok(format)
}

/// The files at `paths` as inputs counting into `progress`, and their
/// total size.
pub fn open_inputs(
    paths: &[PathBuf],
    progress: &Arc<Progress>,
) -> Result<(Vec<ImportInput>, u64), ImportError> {
    let mut opened = Vec::new();
    let mut total = 0;
    for path in paths {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        let file = std::fs::File::open(path).map_err(|source| ImportError::Read {
            file: path.display().to_string(),
            source,
        })?;
        total += file.metadata().map_or(0, |metadata| metadata.len());
        opened.push(ImportInput::new(
            &name,
            Box::new(file),
            Arc::clone(progress),
        ));
    }
    Ok((opened, total))
}

/// Imports the files at `inputs` into a new graph file at `output`,
/// counting into `progress`; the file appears under its name only when the
/// import succeeded.
pub fn import_files(
    inputs: &[PathBuf],
    output: &Path,
    options: &ImportOptions,
    progress: &Arc<Progress>,
) -> Result<ImportSummary, ImportError> {
    let (mut opened, total) = open_inputs(inputs, progress)?;
    progress
        .total_bytes
        .store(total, std::sync::atomic::Ordering::Relaxed);
    let mut writer = GraphWriter::create(output)?;
    let format = import_into(&mut opened, &mut writer, options)?;
    let counts = writer.counts();
    let output = writer.finish()?;
    Ok(ImportSummary {
        format,
        output,
        entities: counts.entities,
        relations: counts.relations,
        documents: counts.documents,
        excerpts: counts.excerpts,
        notes: counts.notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(name: &str, bytes: &str) -> Option<Format> {
        sniff(&mut ImportInput::from_bytes(
            name,
            bytes.as_bytes().to_vec(),
        ))
    }

    #[test]
    fn the_bytes_decide_before_the_extension() {
        let gexf = r#"<?xml version="1.0"?><gexf xmlns="http://gexf.net/1.3" version="1.3">"#;
        assert_eq!(sniffed("a.xml", gexf), Some(Format::Gexf));
        assert_eq!(
            sniffed("a.xml", "<graphml xmlns=\"x\">"),
            Some(Format::GraphMl)
        );
        assert_eq!(
            sniffed(
                "b.json",
                r#"{"type": "bundle", "id": "bundle--1", "objects": []}"#
            ),
            Some(Format::Stix)
        );
        assert_eq!(
            sniffed(
                "e.json",
                r#"{"id": "x", "schema": "Person", "properties": {}}"#
            ),
            Some(Format::FollowTheMoney)
        );
        assert_eq!(
            sniffed(
                "objects.json",
                r#"[{"type": "malware", "spec_version": "2.1", "id": "malware--1"}]"#
            ),
            Some(Format::Stix)
        );
        assert_eq!(sniffed("nodes.csv", "Id,Label\n1,A\n"), Some(Format::Csv));
        assert_eq!(sniffed("notes.md", "# hello"), None);
        assert_eq!(sniffed("x.csv", "<gexf"), Some(Format::Gexf));
    }
}
