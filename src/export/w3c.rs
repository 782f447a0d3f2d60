//! Captured excerpts as W3C Web Annotations
//! (<https://www.w3.org/TR/annotation-model/>), out and back in: each
//! excerpt is an annotation whose target is its document with a
//! `TextQuoteSelector` (quote, prefix, suffix) and a `TextPositionSelector`
//! (start, end in code points, which are Rust chars), and whose bodies are
//! the relations it supports (`urn:linkscope:relation:ID`) and its note.
//! What the model has no term for (the document's id and title, the hash
//! of the text anchored in) travels in `linkscope:` terms on the target,
//! which other tools ignore.
//!
//! Reading takes an `AnnotationCollection` with embedded pages, an
//! `AnnotationPage`, one annotation or an array of them: other tools'
//! annotations too, where a `TextQuoteSelector` is the one thing required.

use serde_json::{Map, Value, json};

use crate::model::anchor::TextAnchor;

const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
const LINKSCOPE_VOCAB: &str = "urn:linkscope:vocab:";
const EXCERPT_URN: &str = "urn:linkscope:excerpt:";
const DOCUMENT_URN: &str = "urn:linkscope:document:";
const RELATION_URN: &str = "urn:linkscope:relation:";
const DOCUMENT_ID: &str = "linkscope:documentId";
const DOCUMENT_TITLE: &str = "linkscope:documentTitle";
const ANCHORED_SHA256: &str = "linkscope:anchoredSha256";

/// One captured excerpt as exported, or as read from an annotation. Ids
/// are `None` when read from another tool's annotation that lacks them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct W3cExcerpt {
    pub excerpt_id: Option<i64>,
    pub document_id: Option<i64>,
    pub document_url: Option<String>,
    pub document_title: Option<String>,
    /// Read without a `TextPositionSelector`, the offsets are 0..0; read
    /// without a hash, `anchored_sha256` is empty, so re-anchoring looks
    /// for the quote rather than trusting the offsets.
    pub anchor: TextAnchor,
    pub relation_ids: Vec<i64>,
    pub note: Option<String>,
    /// As stored (RFC 3339), written as the annotation's `created`.
    pub created_at: Option<String>,
}

/// Why annotations could not be read.
#[derive(Debug, thiserror::Error)]
pub enum W3cError {
    #[error("the file is not JSON ({0}); expected W3C Web Annotations")]
    Json(#[from] serde_json::Error),
    #[error(
        "expected a W3C Annotation, AnnotationPage, AnnotationCollection or an array of annotations, found {found}"
    )]
    NotAnnotations { found: &'static str },
    #[error(
        "the collection's pages are links, not in the file ({link}); export it with its pages embedded"
    )]
    PagesNotEmbedded { link: String },
    #[error("annotation {number}: `{field}` should be {expected}")]
    Field {
        number: usize,
        field: &'static str,
        expected: &'static str,
    },
    #[error(
        "annotation {number} has no TextQuoteSelector in its target (the quote is what an excerpt keeps)"
    )]
    NoQuote { number: usize },
    #[error("annotation {number}: its TextPositionSelector starts at {start}, after its end {end}")]
    StartAfterEnd { number: usize, start: u64, end: u64 },
}

/// The excerpts as one `AnnotationCollection` with its single page
/// embedded, in the order given.
pub fn annotation_collection(excerpts: &[W3cExcerpt], label: &str) -> Value {
    let items: Vec<Value> = excerpts
        .iter()
        .enumerate()
        .map(|(index, excerpt)| annotation(excerpt, index))
        .collect();
    json!({
        "@context": [ANNO_CONTEXT, { "linkscope": LINKSCOPE_VOCAB }],
        "type": "AnnotationCollection",
        "label": label,
        "total": items.len(),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    })
}

/// [`annotation_collection`] as indented JSON text.
pub fn write_annotations(excerpts: &[W3cExcerpt], label: &str) -> String {
    format!("{:#}\n", annotation_collection(excerpts, label))
}

fn annotation(excerpt: &W3cExcerpt, index: usize) -> Value {
    let anchor = &excerpt.anchor;
    let mut quote = Map::new();
    quote.insert("type".into(), "TextQuoteSelector".into());
    quote.insert("exact".into(), anchor.quote.clone().into());
    // Empty context (a quote at the text's start or end) is left out.
    if !anchor.prefix.is_empty() {
        quote.insert("prefix".into(), anchor.prefix.clone().into());
    }
    if !anchor.suffix.is_empty() {
        quote.insert("suffix".into(), anchor.suffix.clone().into());
    }
    let position = json!({
        "type": "TextPositionSelector",
        "start": anchor.start_char,
        "end": anchor.end_char,
    });
    let mut target = Map::new();
    let source = match (&excerpt.document_url, excerpt.document_id) {
        (Some(url), _) => url.clone(),
        (None, Some(id)) => format!("{DOCUMENT_URN}{id}"),
        (None, None) => format!("{DOCUMENT_URN}unknown"),
    };
    target.insert("source".into(), source.into());
    if let Some(id) = excerpt.document_id {
        target.insert(DOCUMENT_ID.into(), id.into());
    }
    if let Some(title) = &excerpt.document_title {
        target.insert(DOCUMENT_TITLE.into(), title.clone().into());
    }
    if !anchor.anchored_sha256.is_empty() {
        target.insert(
            ANCHORED_SHA256.into(),
            anchor.anchored_sha256.clone().into(),
        );
    }
    target.insert("selector".into(), json!([Value::Object(quote), position]));

    let mut bodies: Vec<Value> = excerpt
        .relation_ids
        .iter()
        .map(|id| json!({ "id": format!("{RELATION_URN}{id}") }))
        .collect();
    if let Some(note) = &excerpt.note {
        bodies.push(json!({
            "type": "TextualBody",
            "value": note,
            "format": "text/plain",
            "purpose": "commenting",
        }));
    }
    let mut annotation = Map::new();
    let id = excerpt.excerpt_id.map_or_else(
        || format!("urn:linkscope:annotation:{index}"),
        |id| format!("{EXCERPT_URN}{id}"),
    );
    annotation.insert("id".into(), id.into());
    annotation.insert("type".into(), "Annotation".into());
    let motivation = if excerpt.relation_ids.is_empty() {
        "highlighting"
    } else {
        "linking"
    };
    annotation.insert("motivation".into(), motivation.into());
    if let Some(created) = &excerpt.created_at {
        annotation.insert("created".into(), created.clone().into());
    }
    if !bodies.is_empty() {
        annotation.insert("body".into(), Value::Array(bodies));
    }
    annotation.insert("target".into(), Value::Object(target));
    Value::Object(annotation)
}

/// Reads excerpts back from W3C annotations (see the module's comment for
/// the shapes accepted). Malformed input is an error, never a panic.
pub fn read_annotations(bytes: &[u8]) -> Result<Vec<W3cExcerpt>, W3cError> {
    let value: Value = serde_json::from_slice(bytes)?;
    let items = annotation_items(&value)?;
    items
        .iter()
        .enumerate()
        .map(|(index, item)| read_annotation(item, index + 1))
        .collect()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object without a type or target",
    }
}

/// True when `type` is `name` or an array holding it.
fn has_type(object: &Map<String, Value>, name: &str) -> bool {
    match object.get("type") {
        Some(Value::String(kind)) => kind == name,
        Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind.as_str() == Some(name)),
        _ => false,
    }
}

/// The annotations in a collection, page, array or lone annotation.
fn annotation_items(value: &Value) -> Result<Vec<&Value>, W3cError> {
    let not_annotations = || W3cError::NotAnnotations {
        found: kind_of(value),
    };
    match value {
        Value::Array(items) => Ok(items.iter().collect()),
        Value::Object(object) if has_type(object, "AnnotationCollection") => {
            match object.get("first") {
                None => Ok(Vec::new()),
                Some(Value::String(link)) => Err(W3cError::PagesNotEmbedded { link: link.clone() }),
                Some(page @ Value::Object(_)) => page_items(page),
                Some(_) => Err(not_annotations()),
            }
        }
        Value::Object(object) if has_type(object, "AnnotationPage") => page_items(value),
        Value::Object(object)
            if has_type(object, "Annotation") || object.contains_key("target") =>
        {
            Ok(vec![value])
        }
        _ => Err(not_annotations()),
    }
}

/// A page's items, then those of the embedded pages after it (`next`).
fn page_items(first: &Value) -> Result<Vec<&Value>, W3cError> {
    let mut items = Vec::new();
    let mut page = Some(first);
    while let Some(current) = page {
        match current.get("items") {
            Some(Value::Array(page_items)) => items.extend(page_items),
            None => {}
            Some(other) => {
                return Err(W3cError::NotAnnotations {
                    found: kind_of(other),
                });
            }
        }
        page = current.get("next").filter(|next| next.is_object());
    }
    Ok(items)
}

/// Reads the part of an id after `prefix` as a number, if it has that form.
fn id_after(text: &str, prefix: &str) -> Option<i64> {
    text.strip_prefix(prefix)?.parse().ok()
}

fn read_annotation(item: &Value, number: usize) -> Result<W3cExcerpt, W3cError> {
    let field = |field: &'static str, expected: &'static str| W3cError::Field {
        number,
        field,
        expected,
    };
    let Value::Object(object) = item else {
        return Err(field("annotation", "an object"));
    };
    if object.contains_key("type") && !has_type(object, "Annotation") {
        return Err(field("type", "\"Annotation\""));
    }
    let mut excerpt = W3cExcerpt::default();
    match object.get("id") {
        None => {}
        Some(Value::String(id)) => excerpt.excerpt_id = id_after(id, EXCERPT_URN),
        Some(_) => return Err(field("id", "a string (an IRI)")),
    }
    match object.get("created") {
        None => {}
        Some(Value::String(created)) => excerpt.created_at = Some(created.clone()),
        Some(_) => return Err(field("created", "a string (a date and time)")),
    }
    read_bodies(object.get("body"), &mut excerpt).map_err(|expected| field("body", expected))?;

    let target = match object.get("target") {
        Some(Value::Array(targets)) => targets
            .iter()
            .find(|target| text_quote(target).is_some())
            .or_else(|| targets.first()),
        other => other,
    };
    let target = match target {
        Some(Value::Object(target)) => target,
        // A bare IRI or nothing: no selector, so no quote.
        Some(Value::String(_)) | None => return Err(W3cError::NoQuote { number }),
        Some(_) => return Err(field("target", "an object with a source and selectors")),
    };
    match target.get("source") {
        None => {}
        Some(Value::String(source)) => read_source(source, &mut excerpt),
        Some(Value::Object(source)) => match source.get("id") {
            Some(Value::String(id)) => read_source(id, &mut excerpt),
            _ => return Err(field("target.source", "an IRI or an object with an id")),
        },
        Some(_) => return Err(field("target.source", "an IRI")),
    }
    match target.get(DOCUMENT_ID) {
        None => {}
        Some(id) => {
            excerpt.document_id = Some(
                id.as_i64()
                    .ok_or_else(|| field(DOCUMENT_ID, "an integer"))?,
            );
        }
    }
    match target.get(DOCUMENT_TITLE) {
        None => {}
        Some(Value::String(title)) => excerpt.document_title = Some(title.clone()),
        Some(_) => return Err(field(DOCUMENT_TITLE, "a string")),
    }
    match target.get(ANCHORED_SHA256) {
        None => {}
        Some(Value::String(hash))
            if hash.len() == 64 && hash.bytes().all(|byte| byte.is_ascii_hexdigit()) =>
        {
            excerpt.anchor.anchored_sha256 = hash.to_ascii_lowercase();
        }
        Some(_) => return Err(field(ANCHORED_SHA256, "64 hexadecimal digits")),
    }
    read_selectors(target, number, &mut excerpt.anchor)?;
    Ok(excerpt)
}

/// A Linkscope document URN gives the id; anything else is the URL.
fn read_source(source: &str, excerpt: &mut W3cExcerpt) {
    match id_after(source, DOCUMENT_URN) {
        Some(id) => excerpt.document_id = Some(id),
        None if source.starts_with(DOCUMENT_URN) => {}
        None => excerpt.document_url = Some(source.to_owned()),
    }
}

/// The relations among the bodies (by their URNs) and the first textual
/// body as the note; other bodies are skipped.
fn read_bodies(body: Option<&Value>, excerpt: &mut W3cExcerpt) -> Result<(), &'static str> {
    const EXPECTED: &str = "IRIs or objects (resources, TextualBody)";
    let bodies: &[Value] = match body {
        None => &[],
        Some(Value::Array(bodies)) => bodies,
        Some(one) => std::slice::from_ref(one),
    };
    for body in bodies {
        let id = match body {
            Value::String(id) => Some(id.as_str()),
            Value::Object(object) => {
                if has_type(object, "TextualBody") {
                    let value = object.get("value").and_then(Value::as_str);
                    let value = value.ok_or("a TextualBody with a string value")?;
                    excerpt.note.get_or_insert_with(|| value.to_owned());
                }
                object
                    .get("id")
                    .or_else(|| object.get("source"))
                    .and_then(Value::as_str)
            }
            _ => return Err(EXPECTED),
        };
        if let Some(relation) = id.and_then(|id| id_after(id, RELATION_URN)) {
            excerpt.relation_ids.push(relation);
        }
    }
    Ok(())
}

/// The target's `TextQuoteSelector`, if it has one.
fn text_quote(target: &Value) -> Option<&Map<String, Value>> {
    selectors(target.get("selector")?)
        .iter()
        .filter_map(Value::as_object)
        .find(|selector| has_type(selector, "TextQuoteSelector"))
}

fn selectors(value: &Value) -> &[Value] {
    match value {
        Value::Array(selectors) => selectors,
        one => std::slice::from_ref(one),
    }
}

fn read_selectors(
    target: &Map<String, Value>,
    number: usize,
    anchor: &mut TextAnchor,
) -> Result<(), W3cError> {
    let field = |field: &'static str, expected: &'static str| W3cError::Field {
        number,
        field,
        expected,
    };
    let all = target.get("selector").map_or(&[][..], selectors);
    let mut quote_found = false;
    let mut position_found = false;
    for selector in all {
        let Value::Object(selector) = selector else {
            return Err(field("selector", "objects"));
        };
        let text = |name: &'static str| match selector.get(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(field(name, "a string")),
        };
        if has_type(selector, "TextQuoteSelector") && !quote_found {
            quote_found = true;
            anchor.quote = text("exact")?.ok_or_else(|| field("exact", "a string"))?;
            anchor.prefix = text("prefix")?.unwrap_or_default();
            anchor.suffix = text("suffix")?.unwrap_or_default();
        } else if has_type(selector, "TextPositionSelector") && !position_found {
            position_found = true;
            let offset = |name: &'static str| {
                selector
                    .get(name)
                    .and_then(Value::as_u64)
                    .ok_or_else(|| field(name, "a whole number of code points, 0 or more"))
            };
            let (start, end) = (offset("start")?, offset("end")?);
            if start > end {
                return Err(W3cError::StartAfterEnd { number, start, end });
            }
            let too_large = || field("end", "a position this computer can hold");
            anchor.start_char = usize::try_from(start).map_err(|_| too_large())?;
            anchor.end_char = usize::try_from(end).map_err(|_| too_large())?;
        }
    }
    if quote_found {
        Ok(())
    } else {
        Err(W3cError::NoQuote { number })
    }
}

#[cfg(test)]
mod tests;
