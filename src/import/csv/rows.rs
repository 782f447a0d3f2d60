//! Rows to graph elements, written through a [`Sink`]: the graph writer
//! for an import, a counter for a dry run.

use std::hash::BuildHasher;

use serde_json::{Map, Value as Json};

use super::mapping::{Column, MissingEndpoints, Role, Value};
use crate::import::ImportError;
use crate::import::dates::iso_date;
use crate::import::ids::EntityIds;
use crate::model::FastMap;
use crate::store::writer::{GraphWriter, NewDocument, NewEntity, NewRelation};

/// Where the rows go.
pub trait Sink {
    fn entity(&mut self, entity: NewEntity<'_>) -> Result<i64, ImportError>;
    fn relation(&mut self, relation: NewRelation<'_>) -> Result<i64, ImportError>;
    fn document(&mut self, document: &NewDocument<'_>) -> Result<i64, ImportError>;
    fn excerpt(&mut self, document: i64, text: &str) -> Result<i64, ImportError>;
    fn cite(&mut self, relation: i64, excerpt: i64) -> Result<(), ImportError>;
    fn note(&mut self, file: &str, line: Option<u64>, message: &str) -> Result<(), ImportError>;
}

impl Sink for GraphWriter {
    fn entity(&mut self, entity: NewEntity<'_>) -> Result<i64, ImportError> {
        Ok(self.add_entity(entity)?)
    }

    fn relation(&mut self, relation: NewRelation<'_>) -> Result<i64, ImportError> {
        Ok(self.add_relation(relation)?)
    }

    fn document(&mut self, document: &NewDocument<'_>) -> Result<i64, ImportError> {
        Ok(self.add_document(document)?)
    }

    fn excerpt(&mut self, document: i64, text: &str) -> Result<i64, ImportError> {
        Ok(self.add_excerpt(document, text, None, None)?)
    }

    fn cite(&mut self, relation: i64, excerpt: i64) -> Result<(), ImportError> {
        Ok(GraphWriter::cite(self, relation, excerpt)?)
    }

    fn note(&mut self, file: &str, line: Option<u64>, message: &str) -> Result<(), ImportError> {
        Ok(GraphWriter::note(self, file, line, message)?)
    }
}

/// The kind of an entity from a file's word for it: lower case, with the
/// format's own words for people and organisations.
fn entity_kind(text: &str) -> String {
    let kind = text.trim().to_lowercase();
    match kind.as_str() {
        "person" | "people" | "individual" => "actor".to_owned(),
        "organisation" | "company" | "org" => "organization".to_owned(),
        _ => kind,
    }
}

/// A relation kind as a machine word: lower case, runs of anything but
/// letters and digits made one `_` (`ACTED_IN` → `acted_in`, `Met with` →
/// `met_with`).
pub fn machine_word(text: &str) -> String {
    let mut word = String::with_capacity(text.len());
    for character in text.trim().chars() {
        if character.is_alphanumeric() {
            word.extend(character.to_lowercase());
        } else if !word.is_empty() && !word.ends_with('_') {
            word.push('_');
        }
    }
    while word.ends_with('_') {
        word.pop();
    }
    word
}

/// A property's value: numbers as JSON numbers where they parse (but not
/// `007`, which is kept as written).
pub fn property_value(value: Value, text: &str) -> Json {
    match value {
        Value::Text => Json::String(text.to_owned()),
        Value::Bool => match text.to_ascii_lowercase().as_str() {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            _ => Json::String(text.to_owned()),
        },
        Value::List => Json::Array(
            text.split(';')
                .map(|item| property_value(Value::Auto, item.trim()))
                .collect(),
        ),
        Value::Auto => {
            let digits = text.strip_prefix('-').unwrap_or(text);
            let leading_zero =
                digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
            if leading_zero || !text.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
                return Json::String(text.to_owned());
            }
            if let Ok(number) = text.parse::<i64>() {
                return Json::from(number);
            }
            match text.parse::<f64>() {
                Ok(number) if number.is_finite() => serde_json::Number::from_f64(number)
                    .map_or_else(|| Json::String(text.to_owned()), Json::Number),
                _ => Json::String(text.to_owned()),
            }
        }
    }
}

/// The values of one row, by role.
#[derive(Default)]
struct Row<'r> {
    id: Option<(&'r str, Option<&'r str>)>,
    name: Option<&'r str>,
    kind: Option<&'r str>,
    description: Option<&'r str>,
    source: Option<(&'r str, Option<&'r str>)>,
    target: Option<(&'r str, Option<&'r str>)>,
    relation_kind: Option<&'r str>,
    label: Option<&'r str>,
    undirected: bool,
    date: Option<(&'r str, &'r str)>,
    start: Option<(&'r str, &'r str)>,
    end: Option<(&'r str, &'r str)>,
    excerpt: Option<&'r str>,
    document: Option<&'r str>,
    url: Option<&'r str>,
    properties: Map<String, Json>,
}

fn split<'r>(columns: &'r [Column], record: &'r csv::StringRecord) -> Row<'r> {
    let mut row = Row::default();
    for (column, text) in columns.iter().zip(record.iter()) {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let group = column.group.as_deref();
        match column.role {
            Role::Id => row.id = Some((text, group)),
            Role::Name => row.name = Some(text),
            Role::Kind => row.kind = Some(text),
            Role::Description => row.description = Some(text),
            Role::Source => row.source = Some((text, group)),
            Role::Target => row.target = Some((text, group)),
            Role::RelationKind => row.relation_kind = Some(text),
            Role::Label => row.label = Some(text),
            Role::Directed => {
                row.undirected = matches!(
                    text.to_ascii_lowercase().as_str(),
                    "undirected" | "false" | "no" | "0"
                );
            }
            Role::Date => row.date = Some((column.key.as_str(), text)),
            Role::Start => row.start = Some((column.key.as_str(), text)),
            Role::End => row.end = Some((column.key.as_str(), text)),
            Role::Excerpt => row.excerpt = Some(text),
            Role::DocumentTitle => row.document = Some(text),
            Role::Url => row.url = Some(text),
            Role::Property => {
                if !row.properties.contains_key(&column.key) {
                    row.properties
                        .insert(column.key.clone(), property_value(column.value, text));
                }
            }
            Role::Ignore => {}
        }
    }
    row
}

/// The id-map key of `id` in id space `group`, built in `buffer`.
fn key<'k>(buffer: &'k mut String, id: &str, group: Option<&str>) -> &'k str {
    buffer.clear();
    if let Some(group) = group {
        buffer.push_str(group);
        buffer.push('\u{1f}');
    }
    buffer.push_str(id);
    buffer
}

/// Where a row came from, for notes.
#[derive(Clone, Copy)]
pub struct At<'a> {
    pub file: &'a str,
    pub line: u64,
}

/// Builds the graph from rows, nodes files first.
pub struct Builder<'s, S: Sink> {
    sink: &'s mut S,
    ids: EntityIds,
    documents: FastMap<(Box<str>, Box<str>), i64>,
    excerpts: FastMap<(i64, u64), i64>,
    hasher: foldhash::fast::FixedState,
    /// Whether a nodes file was read: then an edge's unknown endpoint is
    /// worth a note.
    pub nodes_given: bool,
    pub missing: MissingEndpoints,
    pub node_kind: String,
    pub relation_kind: String,
    key: String,
}

impl<'s, S: Sink> Builder<'s, S> {
    pub fn new(sink: &'s mut S) -> Self {
        Self {
            sink,
            ids: EntityIds::default(),
            documents: FastMap::default(),
            excerpts: FastMap::default(),
            hasher: foldhash::fast::FixedState::with_seed(7),
            nodes_given: false,
            missing: MissingEndpoints::Create,
            node_kind: "other".to_owned(),
            relation_kind: "linked_to".to_owned(),
            key: String::new(),
        }
    }

    /// Notes what was skipped or changed at `at` (line 0: the whole file).
    pub fn note(&mut self, at: At<'_>, message: &str) -> Result<(), ImportError> {
        self.sink
            .note(at.file, Some(at.line).filter(|&line| line > 0), message)
    }

    fn date(
        &mut self,
        at: At<'_>,
        value: Option<(&str, &str)>,
    ) -> Result<Option<String>, ImportError> {
        let Some((column, text)) = value else {
            return Ok(None);
        };
        let date = iso_date(text);
        if date.is_none() {
            self.note(
                at,
                &format!("column {column:?}: {text:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD); dropped"),
            )?;
        }
        Ok(date)
    }

    fn dates(
        &mut self,
        at: At<'_>,
        row: &Row<'_>,
    ) -> Result<(Option<String>, Option<String>), ImportError> {
        let date = self.date(at, row.date)?;
        let start = self.date(at, row.start)?.or_else(|| date.clone());
        let end = self.date(at, row.end)?.or(date);
        Ok((start, end))
    }

    pub fn node_row(
        &mut self,
        at: At<'_>,
        columns: &[Column],
        record: &csv::StringRecord,
    ) -> Result<(), ImportError> {
        let mut row = split(columns, record);
        let Some((id, group)) = row.id.or(row.name.map(|name| (name, None))) else {
            return self.note(at, "a node row without an id; skipped");
        };
        let key = key(&mut self.key, id, group).to_owned();
        if self.ids.get(&key).is_some() {
            return self.note(
                at,
                &format!("the id {id:?} was used on an earlier row; this row was skipped"),
            );
        }
        let (start, end) = self.dates(at, &row)?;
        let kind = match row.kind {
            Some(labels) => {
                let mut labels = labels.split(';').map(str::trim).filter(|l| !l.is_empty());
                let first = labels.next().map(entity_kind);
                let rest: Vec<Json> = labels.map(|label| Json::String(label.to_owned())).collect();
                if !rest.is_empty() {
                    row.properties
                        .insert("other_labels".to_owned(), Json::Array(rest));
                }
                first.unwrap_or_else(|| self.node_kind.clone())
            }
            None => self.node_kind.clone(),
        };
        let entity = self.sink.entity(NewEntity {
            kind: &kind,
            name: row.name.unwrap_or(id),
            description: row.description,
            date_start: start.as_deref(),
            date_end: end.as_deref(),
            properties: row.properties,
        })?;
        self.ids.insert(&key, entity);
        Ok(())
    }

    /// The entity an edge's endpoint names: known, created, or None (the
    /// edge is skipped, with a note).
    fn endpoint(
        &mut self,
        at: At<'_>,
        (id, group): (&str, Option<&str>),
    ) -> Result<Option<i64>, ImportError> {
        let key = key(&mut self.key, id, group);
        if let Some(entity) = self.ids.get(key) {
            return Ok(Some(entity));
        }
        let key = key.to_owned();
        match self.missing {
            MissingEndpoints::Skip => {
                self.note(
                    at,
                    &format!("no node has the id {id:?}; the edge was skipped"),
                )?;
                return Ok(None);
            }
            MissingEndpoints::Create if self.nodes_given => {
                self.note(at, &format!("no node has the id {id:?}; it was created"))?;
            }
            MissingEndpoints::Create => {}
        }
        let kind = self.node_kind.clone();
        let entity = self.sink.entity(NewEntity {
            kind: &kind,
            name: id,
            ..NewEntity::default()
        })?;
        self.ids.insert(&key, entity);
        Ok(Some(entity))
    }

    pub fn edge_row(
        &mut self,
        at: At<'_>,
        columns: &[Column],
        record: &csv::StringRecord,
    ) -> Result<(), ImportError> {
        let mut row = split(columns, record);
        let (Some(source), Some(target)) = (row.source, row.target) else {
            return self.note(at, "an edge row without a source or a target; skipped");
        };
        let Some(subject) = self.endpoint(at, source)? else {
            return Ok(());
        };
        let Some(object) = self.endpoint(at, target)? else {
            return Ok(());
        };
        let (start, end) = self.dates(at, &row)?;
        if let Some((id, _)) = row.id {
            row.properties
                .insert("id".to_owned(), property_value(Value::Auto, id));
        }
        if row.undirected {
            row.properties
                .insert("directed".to_owned(), Json::Bool(false));
        }
        if row.excerpt.is_none() {
            // A source without a passage to cite: kept as properties.
            if let Some(title) = row.document {
                row.properties
                    .insert("document".to_owned(), Json::from(title));
            }
            if let Some(url) = row.url {
                row.properties.insert("url".to_owned(), Json::from(url));
            }
        }
        let kind = row
            .relation_kind
            .map(machine_word)
            .filter(|kind| !kind.is_empty())
            .unwrap_or_else(|| self.relation_kind.clone());
        let relation = self.sink.relation(NewRelation {
            subject,
            object,
            kind: &kind,
            label: row.label,
            date_start: start.as_deref(),
            date_end: end.as_deref(),
            properties: row.properties,
        })?;
        if let Some(text) = row.excerpt {
            let title = row.document.or(row.url).unwrap_or(at.file);
            let url = row.url.unwrap_or("");
            let document_key: (Box<str>, Box<str>) = (title.into(), url.into());
            let document = if let Some(&document) = self.documents.get(&document_key) {
                document
            } else {
                let document = self.sink.document(&NewDocument {
                    title,
                    url: row.url,
                    ..NewDocument::default()
                })?;
                self.documents.insert(document_key, document);
                document
            };
            let hash = self.hasher.hash_one(text);
            let excerpt = if let Some(&excerpt) = self.excerpts.get(&(document, hash)) {
                excerpt
            } else {
                let excerpt = self.sink.excerpt(document, text)?;
                self.excerpts.insert((document, hash), excerpt);
                excerpt
            };
            self.sink.cite(relation, excerpt)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_become_words_and_numbers_json_numbers() {
        assert_eq!(machine_word("ACTED_IN"), "acted_in");
        assert_eq!(machine_word(" Met  with! "), "met_with");
        assert_eq!(machine_word("!!"), "");
        assert_eq!(entity_kind("Person"), "actor");
        assert_eq!(entity_kind("Vessel"), "vessel");
        assert_eq!(property_value(Value::Auto, "42"), Json::from(42));
        assert_eq!(property_value(Value::Auto, "-1.5"), Json::from(-1.5));
        assert_eq!(property_value(Value::Auto, "007"), Json::from("007"));
        assert_eq!(property_value(Value::Auto, "0.5"), Json::from(0.5));
        assert_eq!(property_value(Value::Auto, "inf"), Json::from("inf"));
        assert_eq!(property_value(Value::Auto, "1e999"), Json::from("1e999"));
        assert_eq!(property_value(Value::Text, "42"), Json::from("42"));
        assert_eq!(property_value(Value::Bool, "TRUE"), Json::Bool(true));
        assert_eq!(
            property_value(Value::List, "a;2"),
            Json::Array(vec![Json::from("a"), Json::from(2)])
        );
    }
}
