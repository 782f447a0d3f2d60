//! FollowTheMoney import: JSON lines as Aleph, OpenSanctions and `ftm`
//! export them, one element a line (`{"id", "schema", "properties": {name:
//! [values]}}`).
//!
//! The lines are read once, and the fragments of each id merged (their
//! properties unioned) into a map that is bounded by the graph, not the
//! file; then the merged elements are written: entities first, then
//! documents, relations (edge schemata and entity references) and the
//! evidence (`proof` references and `Mention`s). The mapping is the table
//! in docs/guide.md ("Importing FollowTheMoney").

mod evidence;
mod model;
mod relations;

use std::collections::BTreeMap;
use std::io::BufRead;

use serde_json::{Map, Value};

use super::dates::iso_date;
use super::ids::EntityIds;
use super::{GraphWriter, ImportError, ImportInput, ImportOptions};
use crate::model::FastMap;
use crate::store::LONG_TEXT_MAX_BYTES;
use crate::store::writer::{NewDocument, NewEntity, cut};
use model::{EdgeSpec, edge_spec};
use relations::write_relations;

/// The top-level keys an element is read from; others are counted.
const ELEMENT_KEYS: [&str; 3] = ["id", "schema", "properties"];
/// How many distinct unknown keys or schemata are counted by name.
const MAX_NAMED_COUNTS: usize = 64;

/// One merged element: every fragment of its id.
#[derive(Debug)]
struct Element {
    id: Box<str>,
    schema: Box<str>,
    properties: BTreeMap<Box<str>, Vec<Box<str>>>,
    /// Where it first appeared: the input's index and line.
    input: usize,
    line: u64,
}

impl Element {
    fn first(&self, property: &str) -> Option<&str> {
        self.properties
            .get(property)
            .and_then(|values| values.first())
            .map(|value| &**value)
            .filter(|value| !value.trim().is_empty())
    }

    fn values(&self, property: &str) -> &[Box<str>] {
        self.properties.get(property).map_or(&[], Vec::as_slice)
    }

    fn first_of(&self, properties: &[&str]) -> Option<&str> {
        properties.iter().find_map(|property| self.first(property))
    }
}

/// The merged elements in order of first appearance.
#[derive(Default)]
struct Elements {
    list: Vec<Element>,
    by_id: FastMap<Box<str>, usize>,
    unknown_keys: BTreeMap<String, u64>,
}

impl Elements {
    fn get(&self, id: &str) -> Option<&Element> {
        self.by_id.get(id).map(|&index| &self.list[index])
    }
}

/// What the import knows while writing, shared with [`evidence`].
struct Written<'a> {
    names: Vec<String>,
    elements: &'a Elements,
    entities: EntityIds,
    documents: FastMap<Box<str>, i64>,
    /// Relations of each entity: (other end, relation).
    incident: FastMap<i64, Vec<(i64, i64)>>,
}

impl Written<'_> {
    fn file(&self, element: &Element) -> &str {
        self.names.get(element.input).map_or("", String::as_str)
    }
}

/// Reads `inputs` as FollowTheMoney into `writer`.
pub fn import(
    inputs: &mut [ImportInput],
    writer: &mut GraphWriter,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let _ = options;
    let mut elements = Elements::default();
    for (index, input) in inputs.iter_mut().enumerate() {
        read_lines(index, input, &mut elements, writer)?;
    }
    let names: Vec<String> = inputs.iter().map(|input| input.name.clone()).collect();
    let mut written = Written {
        names,
        elements: &elements,
        entities: EntityIds::default(),
        documents: FastMap::default(),
        incident: FastMap::default(),
    };
    write_entities(&mut written, writer)?;
    write_documents(&mut written, writer)?;
    write_relations(&mut written, writer)?;
    evidence::write_mentions(&written, writer)?;
    note_counts(&written, writer)?;
    Ok(())
}

/// Reads every line of one input into `elements`, noting the lines that
/// are not elements.
fn read_lines(
    index: usize,
    input: &mut ImportInput,
    elements: &mut Elements,
    writer: &mut GraphWriter,
) -> Result<(), ImportError> {
    let mut line = Vec::new();
    loop {
        line.clear();
        let number = input.reader.line();
        let read = input
            .reader
            .read_until(b'\n', &mut line)
            .map_err(|error| ImportError::read(&input.name, error))?;
        if read == 0 {
            return Ok(());
        }
        let text = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&line);
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let value = match serde_json::from_slice::<Value>(text) {
            Ok(value) => value,
            Err(error) => {
                let message = format!("not a JSON element, skipped: {error}");
                writer.note(&input.name, Some(number), &message)?;
                continue;
            }
        };
        if let Err(message) = merge(elements, value, index, number) {
            writer.note(&input.name, Some(number), &message)?;
        }
    }
}

/// Adds one line's element to `elements`, merging it into an earlier
/// fragment of the same id. Err: why the line was skipped.
fn merge(elements: &mut Elements, value: Value, input: usize, line: u64) -> Result<(), String> {
    let Value::Object(mut object) = value else {
        return Err("not a JSON object, skipped".to_owned());
    };
    let id = match object.remove("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id,
        Some(Value::Number(number)) => number.to_string(),
        _ => return Err("an element without an id, skipped".to_owned()),
    };
    let Some(Value::String(schema)) = object.remove("schema") else {
        return Err(format!("element {id} has no schema, skipped"));
    };
    let properties = match object.remove("properties") {
        Some(Value::Object(properties)) => properties,
        None | Some(Value::Null) => Map::new(),
        Some(_) => {
            return Err(format!(
                "element {id}: its properties are not an object, skipped"
            ));
        }
    };
    for key in object.keys() {
        if !ELEMENT_KEYS.contains(&key.as_str())
            && (elements.unknown_keys.len() < MAX_NAMED_COUNTS
                || elements.unknown_keys.contains_key(key))
        {
            *elements.unknown_keys.entry(key.clone()).or_default() += 1;
        }
    }
    let index = if let Some(&index) = elements.by_id.get(id.as_str()) {
        index
    } else {
        elements
            .by_id
            .insert(id.as_str().into(), elements.list.len());
        elements.list.push(Element {
            id: id.as_str().into(),
            schema: schema.as_str().into(),
            properties: BTreeMap::new(),
            input,
            line,
        });
        elements.list.len() - 1
    };
    let element = &mut elements.list[index];
    let mut conflict = None;
    if *element.schema != *schema {
        if is_generic(&element.schema) {
            element.schema = schema.as_str().into();
        } else if !is_generic(&schema) {
            conflict = Some(format!(
                "element {id} is a {schema} here and a {} before: kept as a {}",
                element.schema, element.schema
            ));
        }
    }
    for (name, values) in properties {
        let slot = element.properties.entry(name.into()).or_default();
        let values = match values {
            Value::Array(values) => values,
            Value::Null => Vec::new(),
            other => vec![other],
        };
        for value in values {
            let text: Box<str> = match value {
                Value::String(text) => cut(&text, LONG_TEXT_MAX_BYTES).into(),
                Value::Null => continue,
                other => other.to_string().into(),
            };
            if !slot.contains(&text) {
                slot.push(text);
            }
        }
    }
    conflict.map_or(Ok(()), Err)
}

/// Schemata a fragment may name when another fragment is more specific.
fn is_generic(schema: &str) -> bool {
    matches!(
        schema,
        "Thing" | "LegalEntity" | "Asset" | "Value" | "Interval" | "Interest"
    )
}

enum Role {
    Entity,
    Document,
    Edge(&'static EdgeSpec),
    Mention,
}

fn role(schema: &str) -> Role {
    if let Some(spec) = edge_spec(schema) {
        Role::Edge(spec)
    } else if model::DOCUMENTS.contains(&schema) {
        Role::Document
    } else if schema == "Mention" {
        Role::Mention
    } else {
        Role::Entity
    }
}

/// The properties of an element that become its relations' or its own
/// properties: every value kept, one value as a string, more as a list.
fn kept_properties(element: &Element, consumed: &[&str]) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert("ftm_id".to_owned(), Value::String(element.id.to_string()));
    properties.insert(
        "ftm_schema".to_owned(),
        Value::String(element.schema.to_string()),
    );
    for (name, values) in &element.properties {
        if consumed.contains(&name.as_ref()) || values.is_empty() {
            continue;
        }
        let value = if values.len() == 1 {
            Value::String(values[0].to_string())
        } else {
            Value::Array(
                values
                    .iter()
                    .map(|value| Value::String(value.to_string()))
                    .collect(),
            )
        };
        properties.insert(name.to_string(), value);
    }
    properties
}

/// An element's date from the first of `candidates` that holds a good
/// one; a bad one is noted and kept as a property.
fn date_of(
    element: &Element,
    candidates: &[&'static str],
    file: &str,
    writer: &mut GraphWriter,
) -> Result<(Option<String>, Option<&'static str>), ImportError> {
    for &candidate in candidates {
        let Some(text) = element.first(candidate) else {
            continue;
        };
        if let Some(date) = iso_date(text) {
            return Ok((Some(date), Some(candidate)));
        }
        let message = format!(
            "element {}: {candidate} {text:?} is not an ISO 8601 date, kept as a property",
            element.id
        );
        writer.note(file, Some(element.line), &message)?;
    }
    Ok((None, None))
}

fn write_entities(written: &mut Written<'_>, writer: &mut GraphWriter) -> Result<(), ImportError> {
    let elements = written.elements;
    for element in &elements.list {
        if !matches!(role(&element.schema), Role::Entity) {
            continue;
        }
        let file = written.file(element).to_owned();
        let kind = model::entity_kind(&element.schema);
        let name = element
            .first("name")
            .or_else(|| element.first_of(model::caption(&element.schema)))
            .unwrap_or(&*element.id)
            .to_owned();
        let description = element
            .first("description")
            .or_else(|| element.first("summary"));
        let (start, start_from) = date_of(
            element,
            &["startDate", "birthDate", "incorporationDate", "date"],
            &file,
            writer,
        )?;
        let (end, end_from) = date_of(
            element,
            &["endDate", "deathDate", "dissolutionDate"],
            &file,
            writer,
        )?;
        let mut consumed: Vec<&str> = [start_from, end_from].into_iter().flatten().collect();
        if element.values("name").len() == 1 {
            consumed.push("name");
        }
        if element.values("description").len() == 1 {
            consumed.push("description");
        } else if element.values("description").is_empty() && element.values("summary").len() == 1 {
            consumed.push("summary");
        }
        let id = writer.add_entity(NewEntity {
            kind: &kind,
            name: &name,
            description,
            date_start: start.as_deref(),
            date_end: end.as_deref(),
            properties: kept_properties(element, &consumed),
        })?;
        if !written.entities.insert(&element.id, id) {
            // Ids are merged before writing: a repeat cannot happen.
            writer.note(&file, Some(element.line), "a repeated id, skipped")?;
        }
    }
    Ok(())
}

fn write_documents(written: &mut Written<'_>, writer: &mut GraphWriter) -> Result<(), ImportError> {
    let elements = written.elements;
    for element in &elements.list {
        if !matches!(role(&element.schema), Role::Document) {
            continue;
        }
        let file = written.file(element).to_owned();
        let title = element
            .first_of(&["title", "fileName", "name"])
            .unwrap_or(&*element.id);
        let (published, _) = date_of(
            element,
            &["publishedAt", "date", "authoredAt"],
            &file,
            writer,
        )?;
        let id = writer.add_document(&NewDocument {
            title,
            author: element.first("author"),
            publisher: element.first("publisher"),
            url: element.first("sourceUrl"),
            published: published.as_deref(),
            language: element.first("language"),
            reliability: None,
        })?;
        written.documents.insert(element.id.clone(), id);
    }
    Ok(())
}

/// One note each for the unknown top-level keys and unknown schemata.
fn note_counts(written: &Written<'_>, writer: &mut GraphWriter) -> Result<(), ImportError> {
    let file = written.names.first().cloned().unwrap_or_default();
    let elements = written.elements;
    if !elements.unknown_keys.is_empty() {
        let listed: Vec<String> = elements
            .unknown_keys
            .iter()
            .map(|(key, count)| format!("{key} ({count})"))
            .collect();
        let message = format!("top-level keys ignored: {}", listed.join(", "));
        writer.note(&file, None, &message)?;
    }
    let mut unknown: BTreeMap<&str, u64> = BTreeMap::new();
    for element in &elements.list {
        if !model::SCHEMATA.contains(&element.schema.as_ref())
            && (unknown.len() < MAX_NAMED_COUNTS || unknown.contains_key(element.schema.as_ref()))
        {
            *unknown.entry(&*element.schema).or_default() += 1;
        }
    }
    if !unknown.is_empty() {
        let listed: Vec<String> = unknown
            .iter()
            .map(|(schema, count)| format!("{schema} ({count})"))
            .collect();
        let message = format!(
            "schemata not in the FollowTheMoney model, imported as entities of their own kind: {}",
            listed.join(", ")
        );
        writer.note(&file, None, &message)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
