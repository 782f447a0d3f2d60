//! Source documents for the reader: bytes in, text and provenance out.
//!
//! An analyst adds an article (a `.txt` in any common encoding, a web page,
//! a saved MHTML page, a PDF) or pastes text; [`extract`] turns it into one
//! string with `'\n'` line ends, the hashes that pin it (the file's bytes
//! and the extracted text), the extractor's name and version, and what the
//! document says about itself (title, author, site, address, dates). The
//! text is what captured excerpts are anchored in, so it is never edited
//! afterwards: a changed file is a new document.
//!
//! Everything here is pure: no file IO, no SQL, no egui. The caller reads
//! the file (at most [`MAX_INPUT_BYTES`]) and stores the result. Every
//! input is untrusted: a bad one gives a [`SourceTextError`] naming the
//! file, never a panic.
//!
//! The format is chosen by the bytes first (a `%PDF-` header, MIME headers
//! of a multipart/related archive, an HTML tag) and by the extension second.

mod html;
mod mhtml;
mod pdf;
mod text;

use std::fmt::Write as _;

use sha2::{Digest as _, Sha256};

/// Inputs larger than this are refused before any parsing (64 MiB).
pub const MAX_INPUT_BYTES: usize = 64 << 20;
/// Extracted texts larger than this (in UTF-8 bytes) are refused (32 MiB).
pub const MAX_TEXT_BYTES: usize = 32 << 20;

/// The crate versions named in [`ExtractedSource::extractor`]; a unit test
/// checks them against `Cargo.lock`, so a dependency bump updates them.
const ENCODING_RS: &str = "encoding_rs 0.8.44";
const CHARDETNG: &str = "chardetng 1.0.0";
const DOM_SMOOTHIE: &str = "dom_smoothie 0.19.0";
const MAILPARSE: &str = "mailparse 0.18.0";
const PDF_EXTRACT: &str = "pdf-extract 0.12.1";
const LOPDF: &str = "lopdf 0.42.0";

/// What kind of source a document came from; stored in
/// `documents.source_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    Paste,
    Txt,
    Html,
    Mhtml,
    Pdf,
}

impl SourceKind {
    pub const ALL: [Self; 5] = [Self::Paste, Self::Txt, Self::Html, Self::Mhtml, Self::Pdf];

    /// The word stored in `documents.source_kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Paste => "paste",
            Self::Txt => "txt",
            Self::Html => "html",
            Self::Mhtml => "mhtml",
            Self::Pdf => "pdf",
        }
    }

    /// The kind a stored `source_kind` names; `None` for a word this
    /// version does not know.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == word)
    }
}

impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A source document's text and provenance, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedSource {
    pub source_kind: SourceKind,
    /// The extracted text: `'\n'` line ends only, never `'\r'`.
    pub text: String,
    /// For PDFs only: `(page_no, char_start, char_end)` from page 1 on, in
    /// Unicode scalar values; the ranges are contiguous and cover the text.
    pub pages: Vec<(u32, usize, usize)>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    /// As the document states it (a web page's meta tag), not normalised.
    pub published: Option<String>,
    /// RFC 3339 UTC, where the capture records it (an MHTML `Date`).
    pub retrieved_at: Option<String>,
    pub language: Option<String>,
    /// SHA-256 of the original bytes, lower-case hex.
    pub sha256_bytes: String,
    /// SHA-256 of `text` as UTF-8, lower-case hex.
    pub sha256_text: String,
    /// What extracted the text, with crate names and versions.
    pub extractor: String,
    /// The character encoding the text was decoded from, where there was one.
    pub encoding: Option<String>,
}

impl ExtractedSource {
    /// The text's length in Unicode scalar values (`document_text.n_chars`).
    pub fn n_chars(&self) -> usize {
        self.text.chars().count()
    }
}

/// Why a source document could not be read. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum SourceTextError {
    #[error("{file}: the file is empty; there is no text to read")]
    Empty { file: String },
    #[error(
        "{file}: the file is {size} bytes, over the {} MiB a source may have; save the article alone, or split the document",
        MAX_INPUT_BYTES >> 20
    )]
    TooLarge { file: String, size: usize },
    #[error(
        "{file}: its text is {size} bytes, over the {} MiB a source's text may have; split the document",
        MAX_TEXT_BYTES >> 20
    )]
    TextTooLarge { file: String, size: usize },
    /// Not text in any encoding: NUL bytes or many control characters.
    #[error(
        "{file}: this is not a text file ({reason}); add a .txt, .html, .mhtml or .pdf document"
    )]
    Binary { file: String, reason: String },
    #[error(
        "{file}: the PDF is protected by a password; open it in a PDF viewer, save an unprotected copy and add that"
    )]
    Encrypted { file: String },
    #[error("{file}: not a readable PDF ({message})")]
    Pdf { file: String, message: String },
    #[error("{file}: this web page cannot be read ({message})")]
    Html { file: String, message: String },
    #[error("{file}: not a readable MHTML archive ({message})")]
    Mhtml { file: String, message: String },
    /// The document was read, but holds no text (a scanned PDF, an empty page).
    #[error("{file}: {message}")]
    NoText { file: String, message: String },
}

/// Reads a source document from its bytes; `file_name` names it in errors
/// and gives the extension when the bytes do not tell the format.
pub fn extract(file_name: &str, bytes: &[u8]) -> Result<ExtractedSource, SourceTextError> {
    let file = file_name.to_owned();
    if bytes.is_empty() {
        return Err(SourceTextError::Empty { file });
    }
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(SourceTextError::TooLarge {
            file,
            size: bytes.len(),
        });
    }
    let mut source = match sniff(file_name, bytes) {
        SourceKind::Pdf => pdf::extract(file_name, bytes)?,
        SourceKind::Mhtml => mhtml::extract(file_name, bytes)?,
        SourceKind::Html => {
            html::extract(bytes, None).map_err(|message| SourceTextError::Html {
                file: file.clone(),
                message,
            })?
        }
        SourceKind::Txt | SourceKind::Paste => text::extract(file_name, bytes)?,
    };
    if source.text.len() > MAX_TEXT_BYTES {
        return Err(SourceTextError::TextTooLarge {
            file,
            size: source.text.len(),
        });
    }
    if source.text.trim().is_empty() {
        return Err(SourceTextError::NoText {
            file,
            message: format!("no text was found in this {} file", source.source_kind),
        });
    }
    source.sha256_bytes = sha256_hex(bytes);
    source.sha256_text = sha256_hex(source.text.as_bytes());
    Ok(source)
}

/// Text the analyst pasted: its line ends made `'\n'`, nothing else
/// changed. `sha256_bytes` is of the pasted UTF-8 as given. The caller
/// refuses a paste over [`MAX_TEXT_BYTES`].
pub fn from_pasted_text(text: &str) -> ExtractedSource {
    let normalised = normalise_line_ends(text);
    ExtractedSource {
        sha256_bytes: sha256_hex(text.as_bytes()),
        sha256_text: sha256_hex(normalised.as_bytes()),
        extractor: format!("linkscope-paste {}", env!("CARGO_PKG_VERSION")),
        ..ExtractedSource::new(SourceKind::Paste, normalised.into_owned())
    }
}

/// The format to read `bytes` as: its own markers first, then the
/// extension; anything else is read as text (which refuses binary files).
pub fn sniff(file_name: &str, bytes: &[u8]) -> SourceKind {
    if pdf::sniff(bytes) {
        return SourceKind::Pdf;
    }
    if mhtml::sniff(bytes) {
        return SourceKind::Mhtml;
    }
    if html::sniff(bytes) {
        return SourceKind::Html;
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase());
    match extension.as_deref() {
        Some("pdf") => SourceKind::Pdf,
        Some("mht" | "mhtml") => SourceKind::Mhtml,
        Some("html" | "htm" | "xhtml" | "shtml") => SourceKind::Html,
        _ => SourceKind::Txt,
    }
}

impl ExtractedSource {
    /// A source with `text` and no metadata; hashes are filled in by
    /// [`extract`] once the text is final.
    fn new(source_kind: SourceKind, text: String) -> Self {
        Self {
            source_kind,
            text,
            pages: Vec::new(),
            title: None,
            author: None,
            publisher: None,
            url: None,
            published: None,
            retrieved_at: None,
            language: None,
            sha256_bytes: String::new(),
            sha256_text: String::new(),
            extractor: String::new(),
            encoding: None,
        }
    }
}

/// CRLF and lone CR become `'\n'`; borrowed when there is no `'\r'`.
fn normalise_line_ends(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\r') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            chars.next_if_eq(&'\n');
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// A metadata value as stored: whitespace runs made one space, trimmed,
/// `None` when nothing is left.
fn clean_field(value: Option<&str>) -> Option<String> {
    let value = value?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!value.is_empty()).then_some(value)
}

fn sha256_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for byte in Sha256::digest(bytes) {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests;
