//! A PDF's text, page by page, by pdf-extract (pure Rust, on lopdf), laid
//! out in lines and paragraphs by `layout`: each page's text, trimmed, then
//! a blank line before the next page, so that the pages' ranges partition
//! the text. Title and author come from the
//! document's information dictionary, the language from its catalogue.
//!
//! A PDF with a user password is refused (one with only an owner password,
//! readable by every viewer, is read); so is one with no text layer.

mod guard;
mod layout;

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Document, Object};

use super::{
    ExtractedSource, LOPDF, MAX_TEXT_BYTES, PDF_EXTRACT, SourceKind, SourceTextError, clean_field,
    normalise_line_ends,
};

/// Readers accept a header anywhere in the first 1024 bytes (junk before it
/// is common in files from mail gateways).
const HEADER_WINDOW: usize = 1024;
/// What separates one page's text from the next.
const PAGE_BREAK: &str = "\n\n";

/// Whether `bytes` have a PDF header.
pub(super) fn sniff(bytes: &[u8]) -> bool {
    memchr::memmem::find(&bytes[..bytes.len().min(HEADER_WINDOW)], b"%PDF-").is_some()
}

/// What went wrong inside, before the file's name is put on it.
#[derive(Debug)]
enum Problem {
    Encrypted,
    Damaged(String),
    NoText,
    TextTooLarge(usize),
}

pub(super) fn extract(file_name: &str, bytes: &[u8]) -> Result<ExtractedSource, SourceTextError> {
    let file = file_name.to_owned();
    if !sniff(bytes) {
        return Err(SourceTextError::Pdf {
            file,
            message: "no %PDF- header in its first 1024 bytes".to_owned(),
        });
    }
    // pdf-extract unwraps and indexes freely (a page without a MediaBox,
    // an operator without operands, a font without widths all panic; its
    // issue tracker lists many such files), so a damaged file can panic
    // inside it. The panic is turned into an error here. Nothing outlives
    // the call, so no half-updated state can be seen afterwards. A stack
    // overflow cannot be caught: `guard` refuses the files that cause one.
    let read = catch_unwind(AssertUnwindSafe(|| read(bytes)));
    let problem = match read {
        Ok(Ok(source)) => return Ok(source),
        Ok(Err(problem)) => problem,
        Err(panic) => Problem::Damaged(format!(
            "the PDF reader stopped on it: {}",
            panic_message(panic.as_ref())
        )),
    };
    Err(match problem {
        Problem::Encrypted => SourceTextError::Encrypted { file },
        Problem::Damaged(message) => SourceTextError::Pdf { file, message },
        Problem::TextTooLarge(size) => SourceTextError::TextTooLarge { file, size },
        Problem::NoText => SourceTextError::NoText {
            file,
            message: "the PDF has no text layer (a scan, or pictures of text); run it through OCR, for example ocrmypdf, and add the result".to_owned(),
        },
    })
}

fn read(bytes: &[u8]) -> Result<ExtractedSource, Problem> {
    let document = Document::load_mem(bytes).map_err(|e| Problem::Damaged(e.to_string()))?;
    // lopdf decrypts on loading when the user password is empty; otherwise
    // the document stays encrypted and its text would be noise.
    if document.is_encrypted() && !document.was_encrypted() {
        return Err(Problem::Encrypted);
    }
    guard::check(&document).map_err(Problem::Damaged)?;

    let mut text = String::new();
    let mut n_chars = 0_usize;
    let mut pages = Vec::new();
    let page_numbers: Vec<u32> = document.get_pages().into_keys().collect();
    for (index, &page_no) in page_numbers.iter().enumerate() {
        let mut page = layout::PageText::default();
        pdf_extract::output_doc_page(&document, &mut page, page_no)
            .map_err(|e| Problem::Damaged(format!("page {page_no}: {e:?}")))?;
        let page_text = normalise_line_ends(&page.text);
        let page_text = page_text.trim();
        let start = n_chars;
        text.push_str(page_text);
        n_chars += page_text.chars().count();
        if index + 1 < page_numbers.len() {
            text.push_str(PAGE_BREAK);
            n_chars += PAGE_BREAK.chars().count();
        }
        pages.push((page_no, start, n_chars));
        if text.len() > MAX_TEXT_BYTES {
            return Err(Problem::TextTooLarge(text.len()));
        }
    }
    if text.trim().is_empty() {
        return Err(Problem::NoText);
    }

    let mut source = ExtractedSource::new(SourceKind::Pdf, text);
    source.pages = pages;
    source.title = info_string(&document, b"Title");
    source.author = info_string(&document, b"Author");
    source.language = document
        .catalog()
        .ok()
        .and_then(|catalog| text_string(&document, catalog.get(b"Lang").ok()?));
    source.extractor = format!("{PDF_EXTRACT} ({LOPDF})");
    Ok(source)
}

/// A text string from the document's information dictionary.
fn info_string(document: &Document, key: &[u8]) -> Option<String> {
    let info = deref(document, document.trailer.get(b"Info").ok()?)?;
    text_string(document, info.as_dict().ok()?.get(key).ok()?)
}

/// A PDF text string (UTF-16BE with a mark, UTF-8 with a mark, or
/// `PDFDocEncoding`), cleaned for storing.
fn text_string(document: &Document, object: &Object) -> Option<String> {
    let value = pdf_extract::decode_text_string(deref(document, object)?).ok()?;
    clean_field(Some(&value))
}

fn deref<'a>(document: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => document.get_object(*id).ok(),
        object => Some(object),
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}

#[cfg(test)]
mod tests;
