//! The relations of a FollowTheMoney import: one for each source and
//! target of an edge schema's element, and one for each entity reference
//! of an entity (named after the property), linked to the evidence.

use serde_json::{Map, Value};

use super::evidence;
use super::model::{self, EdgeSpec};
use super::{Element, Role, Written, date_of, kept_properties, role};
use crate::import::{GraphWriter, ImportError};
use crate::store::writer::NewRelation;

/// What a reference names: an entity, a document, or nothing in the input.
pub(super) enum Target {
    Entity(i64),
    Document(i64),
    Missing,
}

pub(super) fn target(written: &Written<'_>, id: &str) -> Target {
    if let Some(entity) = written.entities.get(id) {
        Target::Entity(entity)
    } else if let Some(&document) = written.documents.get(id) {
        Target::Document(document)
    } else {
        Target::Missing
    }
}

pub(super) fn write_relations(
    written: &mut Written<'_>,
    writer: &mut GraphWriter,
) -> Result<(), ImportError> {
    let elements = written.elements;
    for element in &elements.list {
        match role(&element.schema) {
            Role::Edge(spec) => write_edge(written, element, spec, writer)?,
            Role::Entity => write_references(written, element, writer)?,
            Role::Document | Role::Mention => {}
        }
    }
    Ok(())
}

/// An element of an edge schema: one relation for each source and target.
fn write_edge(
    written: &mut Written<'_>,
    element: &Element,
    spec: &EdgeSpec,
    writer: &mut GraphWriter,
) -> Result<(), ImportError> {
    let file = written.file(element).to_owned();
    let mut ends = [Vec::new(), Vec::new()];
    for (slot, property) in ends.iter_mut().zip([spec.source, spec.target]) {
        for value in element.values(property) {
            match target(written, value) {
                Target::Entity(entity) => slot.push(entity),
                Target::Document(_) => writer.note(
                    &file,
                    Some(element.line),
                    &format!(
                        "{} {}: its {property} {value} is a document, which cites relations rather than joins them; skipped",
                        element.schema, element.id
                    ),
                )?,
                Target::Missing => writer.note(
                    &file,
                    Some(element.line),
                    &format!(
                        "{} {}: its {property} {value} is not an element of the input; skipped",
                        element.schema, element.id
                    ),
                )?,
            }
        }
    }
    if ends.iter().any(Vec::is_empty) {
        if element.values(spec.source).is_empty() || element.values(spec.target).is_empty() {
            let message = format!(
                "{} {} lacks its {} or its {}, skipped",
                element.schema, element.id, spec.source, spec.target
            );
            writer.note(&file, Some(element.line), &message)?;
        }
        return Ok(());
    }
    let (start, start_from) = date_of(element, spec.start, &file, writer)?;
    let (end, end_from) = date_of(element, &["endDate"], &file, writer)?;
    let caption: Vec<&str> = spec
        .caption
        .iter()
        .filter_map(|property| element.first(property))
        .collect();
    let label = if caption.is_empty() {
        spec.label.to_owned()
    } else {
        format!("{} ({})", spec.label, caption.join(", "))
    };
    let kind = model::snake_case(spec.schema);
    let mut consumed = vec![spec.source, spec.target];
    consumed.extend([start_from, end_from].into_iter().flatten());
    let mut properties = kept_properties(element, &consumed);
    if !spec.directed {
        properties.insert("directed".to_owned(), Value::Bool(false));
    }
    for &subject in &ends[0] {
        for &object in &ends[1] {
            let relation = writer.add_relation(NewRelation {
                subject,
                object,
                kind: &kind,
                label: Some(&label),
                date_start: start.as_deref(),
                date_end: end.as_deref(),
                properties: properties.clone(),
            })?;
            record(written, subject, object, relation);
            evidence::write_proof(written, element, relation, writer)?;
        }
    }
    Ok(())
}

fn record(written: &mut Written<'_>, subject: i64, object: i64, relation: i64) {
    written
        .incident
        .entry(subject)
        .or_default()
        .push((object, relation));
    if subject != object {
        written
            .incident
            .entry(object)
            .or_default()
            .push((subject, relation));
    }
}

/// An entity's references to other entities: one relation each, named
/// after the property.
fn write_references(
    written: &mut Written<'_>,
    element: &Element,
    writer: &mut GraphWriter,
) -> Result<(), ImportError> {
    let Some(subject) = written.entities.get(&element.id) else {
        return Ok(());
    };
    let file = written.file(element).to_owned();
    for (property, values) in &element.properties {
        let certain = model::ENTITY_PROPERTIES.contains(&property.as_ref());
        if !certain && !model::MAYBE_ENTITY_PROPERTIES.contains(&property.as_ref()) {
            continue;
        }
        for value in values {
            match target(written, value) {
                Target::Entity(object) => {
                    let kind = model::snake_case(property);
                    let mut properties = Map::new();
                    properties.insert(
                        "ftm_property".to_owned(),
                        Value::String(property.to_string()),
                    );
                    let relation = writer.add_relation(NewRelation {
                        subject,
                        object,
                        kind: &kind,
                        label: Some(&kind.replace('_', " ")),
                        properties,
                        ..NewRelation::default()
                    })?;
                    record(written, subject, object, relation);
                }
                Target::Document(_) => {
                    let message = format!(
                        "{} {}: its {property} names the document {value}; entities cite no documents, so it stays a property",
                        element.schema, element.id
                    );
                    writer.note(&file, Some(element.line), &message)?;
                }
                Target::Missing if certain => {
                    let message = format!(
                        "{} {}: its {property} {value} is not an element of the input; kept as a property",
                        element.schema, element.id
                    );
                    writer.note(&file, Some(element.line), &message)?;
                }
                Target::Missing => {}
            }
        }
    }
    Ok(())
}
