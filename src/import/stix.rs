//! STIX 2.1 import: a bundle (`{"type": "bundle", "objects": [...]}`), a
//! bare array of objects, or JSON lines of objects.
//!
//! Objects are read one at a time ([`stream`]). Domain and observable
//! objects become entities as they come; `relationship` and `sighting`
//! objects and the embedded references (`created_by_ref`, `object_refs`)
//! are kept (they are edges, bounded by the graph) and written at the end,
//! once every id they may name has been seen. External references become
//! documents; a relation cites them through excerpts graded from the
//! object's `confidence` ([`credibility`]). The mapping is the table in
//! docs/guide.md ("Importing STIX 2.1").

mod confidence;
mod stream;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::dates::iso_date;
use super::ids::EntityIds;
use super::{GraphWriter, ImportError, ImportInput, ImportOptions};
use crate::model::{FastMap, FastSet};
use crate::store::writer::{NewDocument, NewEntity, NewRelation};

pub use confidence::credibility;

/// Objects that say nothing about the graph: counted in one note.
const SKIPPED_TYPES: [&str; 4] = [
    "marking-definition",
    "language-content",
    "extension-definition",
    "bundle",
];
/// Objects whose `object_refs` become `refers_to` relations.
const REFERRING_TYPES: [&str; 5] = ["report", "grouping", "note", "opinion", "observed-data"];

/// The entity kind of a STIX object.
fn entity_kind(object_type: &str, object: &Map<String, Value>) -> String {
    match object_type {
        "threat-actor" | "intrusion-set" => "actor".to_owned(),
        "campaign" | "incident" => "event".to_owned(),
        "identity" => match object.get("identity_class").and_then(Value::as_str) {
            Some("individual") => "actor".to_owned(),
            Some("organization" | "group") => "organization".to_owned(),
            _ => "identity".to_owned(),
        },
        other => other.to_owned(),
    }
}

/// A relation waiting for the end of the input, when every id is known.
struct Pending {
    line: u64,
    /// The object it comes from (a relationship's, a sighting's, or the
    /// object holding an embedded reference).
    id: String,
    source: String,
    targets: Vec<String>,
    kind: String,
    label: String,
    start: Option<String>,
    end: Option<String>,
    properties: Map<String, Value>,
    /// The external references it cites.
    citations: Vec<Cited>,
    credibility: Option<&'static str>,
}

/// An external reference, written as a document.
struct Cited {
    document: i64,
    title: String,
    /// What an excerpt of it quotes: its description, else its title.
    quote: String,
    /// Its `external_id`.
    locator: Option<String>,
}

struct Importer<'a> {
    file: String,
    writer: &'a mut GraphWriter,
    entities: EntityIds,
    /// Relationship and sighting ids: a reference to them is not to an
    /// unknown object.
    edge_ids: FastSet<String>,
    documents: FastMap<(String, String, String), i64>,
    pending: Vec<Pending>,
    skipped_types: BTreeMap<String, u64>,
    refs_to_edges: u64,
}

/// Reads `inputs` as STIX 2.1 into `writer`.
pub fn import(
    inputs: &mut [ImportInput],
    writer: &mut GraphWriter,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let _ = options;
    let mut importer = Importer {
        file: String::new(),
        writer,
        entities: EntityIds::default(),
        edge_ids: FastSet::default(),
        documents: FastMap::default(),
        pending: Vec::new(),
        skipped_types: BTreeMap::new(),
        refs_to_edges: 0,
    };
    for input in inputs.iter_mut() {
        importer.file.clone_from(&input.name);
        stream::read_objects(input, &mut importer)?;
    }
    importer.finish()
}

impl stream::Sink for Importer<'_> {
    fn note(&mut self, line: u64, message: &str) -> Result<(), ImportError> {
        self.writer.note(&self.file, Some(line), message)?;
        Ok(())
    }

    fn object(&mut self, mut object: Map<String, Value>, line: u64) -> Result<(), ImportError> {
        let Some(Value::String(object_type)) = object.remove("type") else {
            return self.note_line(line, "an object without a type, skipped");
        };
        if SKIPPED_TYPES.contains(&object_type.as_str()) {
            *self.skipped_types.entry(object_type).or_default() += 1;
            return Ok(());
        }
        let id = match object.remove("id") {
            Some(Value::String(id)) if !id.trim().is_empty() => id,
            _ => return self.note_line(line, &format!("a {object_type} without an id, skipped")),
        };
        match object_type.as_str() {
            "relationship" => self.relationship(id, object, line),
            "sighting" => self.sighting(id, object, line),
            _ => self.entity(&object_type, &id, object, line),
        }
    }
}

/// Text of a field, when it is a non-empty string.
fn text<'a>(object: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    object
        .get(field)
        .and_then(Value::as_str)
        .filter(|text| !text.trim().is_empty())
}

fn refs(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(id)) => vec![id.clone()],
        Some(Value::Array(ids)) => ids
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

impl Importer<'_> {
    /// The first good date of `fields`, taken out of `object`; bad ones
    /// are noted and stay properties.
    fn date(
        &mut self,
        object: &mut Map<String, Value>,
        fields: &[&str],
        line: u64,
    ) -> Result<Option<String>, ImportError> {
        for field in fields {
            let Some(value) = text(object, field) else {
                continue;
            };
            if let Some(date) = iso_date(value) {
                if *field != "created" {
                    object.remove(*field);
                }
                return Ok(Some(date));
            }
            let message = format!("{field} {value:?} is not an ISO 8601 date, kept as a property");
            self.writer.note(&self.file, Some(line), &message)?;
        }
        Ok(None)
    }

    /// The object's confidence as a credibility grade; a bad one is noted.
    fn grade(
        &mut self,
        object: &Map<String, Value>,
        line: u64,
    ) -> Result<Option<&'static str>, ImportError> {
        let Some(confidence) = object.get("confidence") else {
            return Ok(None);
        };
        match credibility(confidence) {
            Ok(grade) => Ok(Some(grade)),
            Err(message) => {
                self.writer.note(&self.file, Some(line), &message)?;
                Ok(None)
            }
        }
    }

    /// Each external reference as a document (written once), with the text
    /// an excerpt of it quotes.
    fn external_documents(
        &mut self,
        object: &mut Map<String, Value>,
    ) -> Result<Vec<Cited>, ImportError> {
        let Some(Value::Array(references)) = object.remove("external_references") else {
            return Ok(Vec::new());
        };
        let mut documents = Vec::new();
        for reference in &references {
            let Some(reference) = reference.as_object() else {
                continue;
            };
            let source = text(reference, "source_name").unwrap_or("external reference");
            let url = text(reference, "url");
            let external_id = text(reference, "external_id");
            let key = (
                source.to_owned(),
                url.unwrap_or_default().to_owned(),
                external_id.unwrap_or_default().to_owned(),
            );
            let title = match external_id {
                Some(external_id) => format!("{source} {external_id}"),
                None => source.to_owned(),
            };
            let document = if let Some(&document) = self.documents.get(&key) {
                document
            } else {
                let document = self.writer.add_document(&NewDocument {
                    title: &title,
                    publisher: Some(source),
                    url,
                    ..NewDocument::default()
                })?;
                self.documents.insert(key, document);
                document
            };
            let quote = text(reference, "description").map_or_else(|| title.clone(), str::to_owned);
            documents.push(Cited {
                document,
                title,
                quote,
                locator: external_id.map(str::to_owned),
            });
        }
        Ok(documents)
    }

    fn entity(
        &mut self,
        object_type: &str,
        id: &str,
        mut object: Map<String, Value>,
        line: u64,
    ) -> Result<(), ImportError> {
        if self.entities.get(id).is_some() || self.edge_ids.contains(id) {
            let message = format!("{id} again (another version?): the first is kept");
            return self.note_line(line, &message);
        }
        let kind = entity_kind(object_type, &object);
        let name = [
            "name",
            "value",
            "abstract",
            "display_name",
            "account_login",
            "user_id",
            "path",
        ]
        .iter()
        .find_map(|field| text(&object, field).map(|name| (*field, name.to_owned())))
        .or_else(|| hash_name(&object).map(|name| ("", name)));
        let name = match name {
            Some((field, name)) => {
                object.remove(field);
                name
            }
            None => id.to_owned(),
        };
        let description = ["description", "content", "explanation"]
            .iter()
            .find_map(|field| text(&object, field).map(|text| (*field, text.to_owned())));
        if let Some((field, _)) = &description {
            object.remove(*field);
        }
        let start = self.date(
            &mut object,
            &["first_seen", "valid_from", "published", "created"],
            line,
        )?;
        let end = self.date(&mut object, &["last_seen", "valid_until"], line)?;
        let grade = self.grade(&object, line)?;
        let documents = self.external_documents(&mut object)?;
        self.embedded_refs(object_type, id, &mut object, line);
        let mut properties = object;
        properties.insert("stix_id".to_owned(), Value::String(id.to_owned()));
        properties.insert(
            "stix_type".to_owned(),
            Value::String(object_type.to_owned()),
        );
        if let Some(grade) = grade {
            properties.insert("credibility".to_owned(), Value::String(grade.to_owned()));
        }
        if !documents.is_empty() {
            let titles = documents
                .iter()
                .map(|cited| Value::String(cited.title.clone()))
                .collect();
            properties.insert("documents".to_owned(), Value::Array(titles));
        }
        let entity = self.writer.add_entity(NewEntity {
            kind: &kind,
            name: &name,
            description: description.as_ref().map(|(_, text)| text.as_str()),
            date_start: start.as_deref(),
            date_end: end.as_deref(),
            properties,
        })?;
        self.entities.insert(id, entity);
        Ok(())
    }

    fn note_line(&mut self, line: u64, message: &str) -> Result<(), ImportError> {
        self.writer.note(&self.file, Some(line), message)?;
        Ok(())
    }

    /// `created_by_ref` and (for reports, groupings, notes, opinions and
    /// observed data) `object_refs` as pending relations.
    fn embedded_refs(
        &mut self,
        object_type: &str,
        id: &str,
        object: &mut Map<String, Value>,
        line: u64,
    ) {
        let mut add = |kind: &str, label: &str, targets: Vec<String>| {
            if !targets.is_empty() {
                self.pending.push(Pending {
                    line,
                    id: id.to_owned(),
                    source: id.to_owned(),
                    targets,
                    kind: kind.to_owned(),
                    label: label.to_owned(),
                    start: None,
                    end: None,
                    properties: Map::new(),
                    citations: Vec::new(),
                    credibility: None,
                });
            }
        };
        add(
            "created_by",
            "created by",
            refs(object.get("created_by_ref")),
        );
        if REFERRING_TYPES.contains(&object_type) {
            add("refers_to", "refers to", refs(object.get("object_refs")));
            object.remove("object_refs");
        }
    }

    fn relationship(
        &mut self,
        id: String,
        mut object: Map<String, Value>,
        line: u64,
    ) -> Result<(), ImportError> {
        self.edge_ids.insert(id.clone());
        let (Some(source), Some(target)) = (
            text(&object, "source_ref").map(str::to_owned),
            text(&object, "target_ref").map(str::to_owned),
        ) else {
            return self.note_line(
                line,
                &format!("relationship {id} lacks its source_ref or target_ref, skipped"),
            );
        };
        object.remove("source_ref");
        object.remove("target_ref");
        let kind = match object.remove("relationship_type") {
            Some(Value::String(kind)) if !kind.trim().is_empty() => kind,
            _ => {
                self.note_line(
                    line,
                    &format!("relationship {id} has no relationship_type: written as related-to"),
                )?;
                "related-to".to_owned()
            }
        };
        let label = kind.replace(['-', '_'], " ");
        self.edge(
            id,
            object,
            line,
            source,
            vec![target],
            kind,
            label,
            ["start_time", "stop_time"],
        )
    }

    fn sighting(
        &mut self,
        id: String,
        mut object: Map<String, Value>,
        line: u64,
    ) -> Result<(), ImportError> {
        self.edge_ids.insert(id.clone());
        let Some(source) = text(&object, "sighting_of_ref").map(str::to_owned) else {
            return self.note_line(
                line,
                &format!("sighting {id} has no sighting_of_ref, skipped"),
            );
        };
        object.remove("sighting_of_ref");
        let mut targets = refs(object.get("where_sighted_refs"));
        if targets.is_empty() {
            targets = refs(object.get("observed_data_refs"));
        } else {
            object.remove("where_sighted_refs");
        }
        if targets.is_empty() {
            return self.note_line(
                line,
                &format!(
                    "sighting {id} names neither where_sighted_refs nor observed_data_refs, skipped"
                ),
            );
        }
        self.edge(
            id,
            object,
            line,
            source,
            targets,
            "sighting".to_owned(),
            "sighted at".to_owned(),
            ["first_seen", "last_seen"],
        )
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one call each for relationships and sightings"
    )]
    fn edge(
        &mut self,
        id: String,
        mut object: Map<String, Value>,
        line: u64,
        source: String,
        targets: Vec<String>,
        kind: String,
        label: String,
        dates: [&str; 2],
    ) -> Result<(), ImportError> {
        let start = self.date(&mut object, &dates[..1], line)?;
        let end = self.date(&mut object, &dates[1..], line)?;
        let credibility = self.grade(&object, line)?;
        let citations = self.external_documents(&mut object)?;
        let mut properties = object;
        properties.insert("stix_id".to_owned(), Value::String(id.clone()));
        if let Some(grade) = credibility.filter(|_| citations.is_empty()) {
            properties.insert("credibility".to_owned(), Value::String(grade.to_owned()));
        }
        self.pending.push(Pending {
            line,
            id,
            source,
            targets,
            kind,
            label,
            start,
            end,
            properties,
            citations,
            credibility,
        });
        Ok(())
    }

    /// Writes the pending relations and the summary notes.
    fn finish(mut self) -> Result<(), ImportError> {
        let pending = std::mem::take(&mut self.pending);
        for relation in pending {
            let Some(subject) = self.resolve(&relation, &relation.source)? else {
                continue;
            };
            for target in &relation.targets {
                let Some(object) = self.resolve(&relation, target)? else {
                    continue;
                };
                let written = self.writer.add_relation(NewRelation {
                    subject,
                    object,
                    kind: &relation.kind,
                    label: Some(&relation.label),
                    date_start: relation.start.as_deref(),
                    date_end: relation.end.as_deref(),
                    properties: relation.properties.clone(),
                })?;
                for cited in &relation.citations {
                    let excerpt = self.writer.add_excerpt(
                        cited.document,
                        &cited.quote,
                        cited.locator.as_deref(),
                        relation.credibility,
                    )?;
                    self.writer.cite(written, excerpt)?;
                }
            }
        }
        if self.refs_to_edges > 0 {
            let message = format!(
                "{} references to relationships or sightings (object_refs, created_by_ref) not drawn: a relation joins entities only",
                self.refs_to_edges
            );
            self.writer.note(&self.file, None, &message)?;
        }
        if !self.skipped_types.is_empty() {
            let listed: Vec<String> = self
                .skipped_types
                .iter()
                .map(|(kind, count)| format!("{kind} ({count})"))
                .collect();
            let message = format!("objects skipped: {}", listed.join(", "));
            self.writer.note(&self.file, None, &message)?;
        }
        Ok(())
    }

    /// The entity `id` names; None (noted or counted) otherwise.
    fn resolve(&mut self, relation: &Pending, id: &str) -> Result<Option<i64>, ImportError> {
        if let Some(entity) = self.entities.get(id) {
            return Ok(Some(entity));
        }
        if self.edge_ids.contains(id) {
            self.refs_to_edges += 1;
            return Ok(None);
        }
        let message = format!(
            "{} of {}: {id} is not an object of the input; skipped",
            relation.kind, relation.id
        );
        self.writer
            .note(&self.file, Some(relation.line), &message)?;
        Ok(None)
    }
}

/// A file's name from its hashes: `SHA-256 e3b0…`.
fn hash_name(object: &Map<String, Value>) -> Option<String> {
    let hashes = object.get("hashes")?.as_object()?;
    ["SHA-256", "SHA-1", "MD5"]
        .iter()
        .find_map(|algorithm| {
            hashes
                .get(*algorithm)
                .and_then(Value::as_str)
                .map(|hash| format!("{algorithm} {hash}"))
        })
        .or_else(|| {
            hashes.iter().find_map(|(algorithm, hash)| {
                hash.as_str().map(|hash| format!("{algorithm} {hash}"))
            })
        })
}

#[cfg(test)]
mod tests;
