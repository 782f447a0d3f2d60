//! What the GEXF and GraphML importers share: a streaming XML reader over
//! an import's input that never expands an entity, and typed values.
//!
//! Elements are matched by their local name, so every namespace a format's
//! versions used is read alike. A DOCTYPE that declares an entity is
//! refused before anything else is read: an external entity can fetch a
//! file, and nested ones expand without bound (billion laughs). The five
//! predefined entities and character references are resolved; any other
//! reference is an error, never expanded.

use std::borrow::Cow;
use std::ops::Range;
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};
use serde_json::Value;
use smallvec::SmallVec;

use super::ImportError;
use super::input::{CountingReader, LineCounter};
use crate::model::FastMap;

/// The byte stream an [`super::ImportInput`] reads.
pub type InputReader = LineCounter<CountingReader<Box<dyn std::io::Read + Send>>>;

/// What the refusal of an entity declaration says.
pub const ENTITY_REFUSAL: &str =
    "XML entity declarations are refused: they can fetch files or expand without bound";

/// Element and attribute names, shared: a file uses a few dozen names
/// millions of times, so each is allocated once (see [`XmlReader`]).
pub type Name = Rc<str>;

/// One start tag: its local name and its attributes (local names, values
/// unescaped). Namespace declarations are left out. The attributes' names
/// and values share one buffer, so a typical element costs one
/// allocation, not one per value (and its names are not looked up).
#[derive(Debug, Clone, Default)]
pub struct Element {
    pub name: Name,
    /// Each attribute's name (a range of `keys`) and value (of `values`).
    attributes: SmallVec<[(Range<usize>, Range<usize>); 6]>,
    /// The attributes' names, as bytes: only compared, never shown, so
    /// they are not checked for UTF-8 (and a tag's few fit inline).
    keys: SmallVec<[u8; 40]>,
    values: String,
}

impl Element {
    /// The value of the attribute with local name `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        // Names are a few bytes: compared inline, not through memcmp.
        let same = |key: &[u8]| {
            key.len() == name.len() && key.iter().zip(name.as_bytes()).all(|(a, b)| a == b)
        };
        self.attributes
            .iter()
            .find(|(key, _)| same(&self.keys[key.clone()]))
            .map(|(_, value)| &self.values[value.clone()])
    }

    /// How many attributes the element has.
    pub fn attribute_count(&self) -> usize {
        self.attributes.len()
    }

    /// The element's local name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What [`XmlReader::next_event`] gives: an empty element comes as a start and
/// an end, so callers track depth one way.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "an event is moved once; boxing the start would allocate for every element"
)]
pub enum XmlEvent {
    Start(Element),
    /// The local name of the element that ends.
    End(Name),
    /// Character data (text, CDATA, resolved references), in pieces; only
    /// while [`XmlReader::text_until_end`] collects it (elsewhere text is
    /// skipped unread, which is most of a file's whitespace).
    Text(String),
    Eof,
}

/// A streaming reader over one input (see the module's doc).
pub struct XmlReader<'a> {
    reader: quick_xml::Reader<&'a mut InputReader>,
    buffer: Vec<u8>,
    file: &'a str,
    /// The end of the empty element just returned as a start.
    pending_end: Option<Name>,
    /// How many elements are open.
    depth: usize,
    /// Whether text events are wanted (see [`XmlEvent::Text`]).
    collect_text: bool,
    /// Every name met so far, to share (see [`Name`]).
    names: FastMap<Box<[u8]>, Name>,
    /// The names of the open elements: an end tag takes its name from
    /// here (quick-xml has checked that it matches).
    open: Vec<Name>,
}

impl<'a> XmlReader<'a> {
    pub fn new(file: &'a str, input: &'a mut InputReader) -> Self {
        let mut reader = quick_xml::Reader::from_reader(input);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        // Whitespace between elements (most of an indented file's text)
        // never becomes an event; text that is read keeps its spaces
        // (see `text_until_end`).
        config.trim_text_start = true;
        Self {
            reader,
            buffer: Vec::with_capacity(4096),
            file,
            pending_end: None,
            depth: 0,
            collect_text: false,
            names: FastMap::default(),
            open: Vec::new(),
        }
    }

    /// The 1-based line the reader has consumed up to.
    pub fn line(&self) -> u64 {
        self.reader.get_ref().line()
    }

    pub fn file(&self) -> &str {
        self.file
    }

    /// An error at the current line.
    pub fn malformed(&self, message: impl Into<String>) -> ImportError {
        malformed_at(self.file, self.line(), message)
    }

    pub fn refused(&self, message: impl Into<String>) -> ImportError {
        ImportError::Refused {
            file: self.file.to_owned(),
            message: message.into(),
        }
    }

    /// The next event that matters (comments, processing instructions and
    /// the declaration are skipped).
    pub fn next_event(&mut self) -> Result<XmlEvent, ImportError> {
        if let Some(name) = self.pending_end.take() {
            self.depth -= 1;
            return Ok(XmlEvent::End(name));
        }
        loop {
            self.buffer.clear();
            let file = self.file;
            let event = match self.reader.read_event_into(&mut self.buffer) {
                Ok(event) => event,
                Err(error) => return Err(xml_error(file, self.reader.get_ref().line(), error)),
            };
            // Counted only for a message: the line the reader stopped on.
            let input = self.reader.get_ref();
            let malformed = |message: String| malformed_at(file, input.line(), message);
            match event {
                Event::Start(start) => {
                    let element = element(&mut self.names, &start, &malformed)?;
                    self.depth += 1;
                    self.open.push(element.name.clone());
                    return Ok(XmlEvent::Start(element));
                }
                Event::Empty(start) => {
                    let element = element(&mut self.names, &start, &malformed)?;
                    self.depth += 1;
                    self.pending_end = Some(element.name.clone());
                    return Ok(XmlEvent::Start(element));
                }
                Event::End(end) => {
                    self.depth = self.depth.saturating_sub(1);
                    let name = match self.open.pop() {
                        Some(name) => name,
                        None => intern(&mut self.names, end.local_name().into_inner(), &malformed)?,
                    };
                    return Ok(XmlEvent::End(name));
                }
                Event::Text(_) | Event::CData(_) if !self.collect_text => {}
                Event::Text(text) => {
                    let text = text
                        .xml10_content()
                        .map_err(|error| malformed(format!("text is not UTF-8: {error}")))?;
                    return Ok(XmlEvent::Text(text.into_owned()));
                }
                Event::CData(data) => {
                    let text = data
                        .decode()
                        .map_err(|error| malformed(format!("CDATA is not UTF-8: {error}")))?;
                    return Ok(XmlEvent::Text(text.into_owned()));
                }
                Event::GeneralRef(reference) => {
                    let name = utf8(&reference, &malformed)?.into_owned();
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(character)) => character.to_string(),
                        Ok(None) => predefined(&name)
                            .ok_or_else(|| {
                                malformed(format!(
                                    "unknown entity reference &{name}; (entities are not expanded)"
                                ))
                            })?
                            .to_owned(),
                        Err(error) => {
                            return Err(malformed(format!(
                                "bad character reference &{name};: {error}"
                            )));
                        }
                    };
                    if self.collect_text {
                        return Ok(XmlEvent::Text(resolved));
                    }
                }
                Event::DocType(doctype) => {
                    let text = String::from_utf8_lossy(&doctype);
                    if declares_entity(&text) {
                        return Err(self.refused(ENTITY_REFUSAL));
                    }
                }
                Event::Eof if self.depth > 0 => {
                    return Err(self.malformed("the file ends inside an element (cut short?)"));
                }
                Event::Eof => return Ok(XmlEvent::Eof),
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
    }

    /// Reads up to the end of the element just started, returning its
    /// text (child elements' text included); its children are skipped.
    pub fn text_until_end(&mut self) -> Result<String, ImportError> {
        self.collect_text = true;
        self.reader.config_mut().trim_text_start = false;
        let text = self.collect_until_end();
        self.reader.config_mut().trim_text_start = true;
        self.collect_text = false;
        text
    }

    fn collect_until_end(&mut self) -> Result<String, ImportError> {
        let mut text = String::new();
        let mut depth = 1_usize;
        loop {
            match self.next_event()? {
                XmlEvent::Start(_) => depth += 1,
                XmlEvent::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(text);
                    }
                }
                XmlEvent::Text(piece) => text.push_str(&piece),
                XmlEvent::Eof => return Err(self.malformed("the file ends inside an element")),
            }
        }
    }

    /// Skips the rest of the element just started.
    pub fn skip(&mut self) -> Result<(), ImportError> {
        let mut depth = 1_usize;
        loop {
            match self.next_event()? {
                XmlEvent::Start(_) => depth += 1,
                XmlEvent::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                XmlEvent::Text(_) => {}
                XmlEvent::Eof => return Err(self.malformed("the file ends inside an element")),
            }
        }
    }
}

fn malformed_at(file: &str, line: u64, message: impl Into<String>) -> ImportError {
    ImportError::Malformed {
        file: file.to_owned(),
        line,
        message: message.into(),
    }
}

fn xml_error(file: &str, line: u64, error: quick_xml::Error) -> ImportError {
    match error {
        quick_xml::Error::Io(source) => {
            ImportError::read(file, std::io::Error::new(source.kind(), source.to_string()))
        }
        other => malformed_at(file, line, format!("not well-formed XML: {other}")),
    }
}

fn utf8<'b>(
    bytes: &'b [u8],
    malformed: &dyn Fn(String) -> ImportError,
) -> Result<Cow<'b, str>, ImportError> {
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|_| malformed("a name is not UTF-8".to_owned()))
}

/// The shared copy of `name`; a new name is checked for UTF-8 once.
fn intern(
    names: &mut FastMap<Box<[u8]>, Name>,
    name: &[u8],
    malformed: &dyn Fn(String) -> ImportError,
) -> Result<Name, ImportError> {
    if let Some(shared) = names.get(name) {
        return Ok(shared.clone());
    }
    let shared: Name = Rc::from(utf8(name, malformed)?.as_ref());
    // A hostile file could use endless distinct names: past this many,
    // they are no longer remembered (still read, just not shared).
    if names.len() < 4096 {
        names.insert(name.into(), shared.clone());
    }
    Ok(shared)
}

fn element(
    names: &mut FastMap<Box<[u8]>, Name>,
    start: &BytesStart<'_>,
    malformed: &dyn Fn(String) -> ImportError,
) -> Result<Element, ImportError> {
    let name = intern(names, start.local_name().into_inner(), malformed)?;
    let mut attributes = SmallVec::new();
    let mut keys = SmallVec::new();
    // The tag's own length: enough for its values (unescaping only
    // shortens them), so the buffer is allocated once.
    let mut values = String::with_capacity(start.len());
    // Duplicate attributes are not checked: the first is read.
    for attribute in start.attributes().with_checks(false) {
        let attribute =
            attribute.map_err(|error| malformed(format!("bad attribute in <{name}>: {error}")))?;
        let key = attribute.key;
        if key.as_ref() == b"xmlns" || key.prefix().is_some_and(|p| p.as_ref() == b"xmlns") {
            continue;
        }
        let key = key.local_name().into_inner();
        let key_range = keys.len()..keys.len() + key.len();
        keys.extend_from_slice(key);
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|error| {
                malformed(format!(
                    "attribute {} of <{name}>: {error} (entities are not expanded)",
                    String::from_utf8_lossy(key)
                ))
            })?;
        let from = values.len();
        values.push_str(&value);
        attributes.push((key_range, from..values.len()));
    }
    Ok(Element {
        name,
        attributes,
        keys,
        values,
    })
}

fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

/// Whether a DOCTYPE's text declares an entity (or could: any internal
/// subset naming `ENTITY`).
fn declares_entity(doctype: &str) -> bool {
    doctype.to_ascii_uppercase().contains("ENTITY")
}

/// The value of declared type `kind` for `text`: numbers and booleans
/// typed, everything else (and what does not parse) a string.
pub fn typed_value(kind: &str, text: &str) -> Value {
    let is = |names: &[&str]| names.iter().any(|name| kind.eq_ignore_ascii_case(name));
    let trimmed = text.trim();
    let typed = if is(&["string"]) {
        None
    } else if is(&["integer", "int", "long", "short", "byte"]) {
        trimmed.parse::<i64>().ok().map(Value::from)
    } else if is(&["float", "double", "bigdecimal"]) {
        trimmed
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
    } else if is(&["boolean"]) {
        let truth = ["true", "1", "yes"]
            .iter()
            .any(|word| trimmed.eq_ignore_ascii_case(word));
        let falsity = ["false", "0", "no"]
            .iter()
            .any(|word| trimmed.eq_ignore_ascii_case(word));
        (truth || falsity).then_some(Value::Bool(truth))
    } else {
        None
    };
    typed.unwrap_or_else(|| Value::String(text.to_owned()))
}

/// Whether a property's name asks to be the entity's kind.
pub fn is_kind_name(name: &str) -> bool {
    ["kind", "type", "category"]
        .iter()
        .any(|word| name.trim().eq_ignore_ascii_case(word))
}

/// A kind word from a property's value: its text, trimmed, when not empty.
pub fn kind_from(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => text.trim().to_owned(),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportInput;

    fn events(text: &str) -> Result<Vec<String>, ImportError> {
        let mut input = ImportInput::from_bytes("t.xml", text.as_bytes().to_vec());
        let mut reader = XmlReader::new("t.xml", &mut input.reader);
        reader.collect_text = true;
        let mut seen = Vec::new();
        loop {
            match reader.next_event()? {
                XmlEvent::Start(element) => seen.push(format!("<{}", element.name)),
                XmlEvent::End(name) => seen.push(format!("/{name}")),
                XmlEvent::Text(text) => seen.push(text),
                XmlEvent::Eof => return Ok(seen),
            }
        }
    }

    #[test]
    fn references_resolve_but_entities_are_never_expanded() {
        let seen = events("<a x=\"&lt;&#65;\">&amp;&#x42;<b/></a>").unwrap();
        assert_eq!(seen, ["<a", "&", "B", "<b", "/b", "/a"]);
        let error = events("<a>&custom;</a>").unwrap_err();
        assert!(error.to_string().contains("unknown entity"), "{error}");
        let error = events("<a x=\"&custom;\"/>").unwrap_err();
        assert!(matches!(error, ImportError::Malformed { .. }), "{error}");
    }

    #[test]
    fn text_is_skipped_unless_collected_but_references_are_still_checked() {
        let mut input = ImportInput::from_bytes("t.xml", b"<a>x<b>y&amp;</b>&custom;</a>".to_vec());
        let mut reader = XmlReader::new("t.xml", &mut input.reader);
        assert!(matches!(reader.next_event(), Ok(XmlEvent::Start(_))));
        assert!(matches!(reader.next_event(), Ok(XmlEvent::Start(_))));
        assert_eq!(reader.text_until_end().unwrap(), "y&");
        let error = reader.next_event().unwrap_err();
        assert!(error.to_string().contains("unknown entity"), "{error}");
    }

    #[test]
    fn collected_text_keeps_its_spaces_where_whitespace_between_elements_is_skipped() {
        let xml = b"<a>\n  <d> x &amp; y </d>\n  <e>\n</e>\n</a>".to_vec();
        let mut input = ImportInput::from_bytes("t.xml", xml);
        let mut reader = XmlReader::new("t.xml", &mut input.reader);
        assert!(matches!(reader.next_event(), Ok(XmlEvent::Start(_))));
        assert!(matches!(reader.next_event(), Ok(XmlEvent::Start(_))));
        assert_eq!(reader.text_until_end().unwrap(), " x & y ");
        assert!(matches!(reader.next_event(), Ok(XmlEvent::Start(_))));
        assert_eq!(reader.text_until_end().unwrap(), "\n");
        assert!(matches!(reader.next_event(), Ok(XmlEvent::End(_))));
        assert_eq!(reader.line(), 5);
    }

    #[test]
    fn entity_declarations_are_refused() {
        let xxe = "<?xml version=\"1.0\"?><!DOCTYPE g [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><g>&x;</g>";
        let error = events(xxe).unwrap_err();
        assert!(matches!(error, ImportError::Refused { .. }), "{error}");
        assert!(error.to_string().contains("t.xml"), "{error}");
        // A DOCTYPE without entities is read.
        assert!(events("<!DOCTYPE g><g/>").is_ok());
    }

    #[test]
    fn typed_values_fall_back_to_text() {
        assert_eq!(typed_value("integer", " 12 "), Value::from(12));
        assert_eq!(typed_value("double", "1.5"), Value::from(1.5));
        assert_eq!(typed_value("double", "NaN"), Value::from("NaN"));
        assert_eq!(typed_value("boolean", "True"), Value::Bool(true));
        assert_eq!(typed_value("long", "x"), Value::from("x"));
        assert_eq!(typed_value("liststring", "a|b"), Value::from("a|b"));
    }
}

/// Linkscope's own columns when a file carries them as attributes (its own
/// GEXF and GraphML exports do, and other tools name them so too).
#[derive(Debug, Default)]
pub(crate) struct OwnColumns {
    pub description: Option<String>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
}

/// `description`, `date_start` and `date_end` of `properties` (text; dates
/// only when they are ISO dates), for their columns; the attributes stay
/// properties as well, as the file named them.
pub(crate) fn take_own_columns(
    properties: &serde_json::Map<String, serde_json::Value>,
) -> OwnColumns {
    let take_text = |key: &str, check: &dyn Fn(&str) -> Option<String>| {
        properties
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .and_then(|(_, value)| check(value.as_str()?))
    };
    OwnColumns {
        description: take_text("description", &|text| Some(text.to_owned())),
        date_start: take_text("date_start", &super::dates::iso_date),
        date_end: take_text("date_end", &super::dates::iso_date),
    }
}
