//! FollowTheMoney's evidence made into excerpts: a relation's `proof`
//! documents, and `Mention`s of two related entities in one document.
//!
//! An excerpt quotes text that is in the input: the relation's own
//! `summary` or `description`, the proof document's `summary`,
//! `description` or the start of its `bodyText`, a mention's `name`. Where
//! there is none, the excerpt is a reference to the document ("cited as
//! proof, no text in the input") and a note says so.

use super::relations::{Target, target};
use super::{Element, Written};
use crate::import::{GraphWriter, ImportError};
use crate::model::{FastMap, FastSet};
use crate::store::writer::cut;

/// How much of a document's `bodyText` an excerpt quotes.
const BODY_TEXT_QUOTE_BYTES: u64 = 2_000;

/// Makes `relation` (written for `element`) cite each of its `proof`
/// documents.
pub(super) fn write_proof(
    written: &Written<'_>,
    element: &Element,
    relation: i64,
    writer: &mut GraphWriter,
) -> Result<(), ImportError> {
    let file = written.file(element).to_owned();
    for value in element.values("proof") {
        let Target::Document(document) = target(written, value) else {
            let message = format!(
                "{} {}: its proof {value} is not a document of the input; kept as a property",
                element.schema, element.id
            );
            writer.note(&file, Some(element.line), &message)?;
            continue;
        };
        let source = written.elements.get(value);
        let own = element.first_of(&["summary", "description"]);
        let quoted = own.map(|text| (text, None)).or_else(|| {
            source.and_then(|source| {
                source
                    .first_of(&["summary", "description"])
                    .map(|text| (text, None))
                    .or_else(|| {
                        source.first("bodyText").map(|text| {
                            (
                                cut(text, BODY_TEXT_QUOTE_BYTES),
                                Some("start of the document's text"),
                            )
                        })
                    })
            })
        });
        let excerpt = if let Some((text, locator)) = quoted {
            writer.add_excerpt(document, text, locator, None)?
        } else {
            let message = format!(
                "{} {}: its proof {value} has no text in the input; cited as a document reference",
                element.schema, element.id
            );
            writer.note(&file, Some(element.line), &message)?;
            writer.add_excerpt(
                document,
                "(cited as proof; the input holds no text of it)",
                None,
                None,
            )?
        };
        writer.cite(relation, excerpt)?;
    }
    Ok(())
}

/// Each `Mention` of an entity in a document becomes an excerpt (the name
/// as found) cited by the relations between that entity and the others
/// mentioned in the same document.
pub(super) fn write_mentions(
    written: &Written<'_>,
    writer: &mut GraphWriter,
) -> Result<(), ImportError> {
    let mentions: Vec<&Element> = written
        .elements
        .list
        .iter()
        .filter(|element| &*element.schema == "Mention")
        .collect();
    let mut mentioned: FastMap<i64, FastSet<i64>> = FastMap::default();
    let mut resolved = Vec::with_capacity(mentions.len());
    for &mention in &mentions {
        let file = written.file(mention).to_owned();
        let document = mention.first("document").map(|id| target(written, id));
        let entity = mention.first("resolved").map(|id| target(written, id));
        match (document, entity) {
            (Some(Target::Document(document)), Some(Target::Entity(entity))) => {
                mentioned.entry(document).or_default().insert(entity);
                resolved.push((mention, document, entity));
            }
            (Some(Target::Document(_)), _) => {
                let message = format!(
                    "Mention {}: it is resolved to no entity of the input; skipped",
                    mention.id
                );
                writer.note(&file, Some(mention.line), &message)?;
            }
            _ => {
                let message = format!(
                    "Mention {}: its document is not a document of the input; skipped",
                    mention.id
                );
                writer.note(&file, Some(mention.line), &message)?;
            }
        }
    }
    for (mention, document, entity) in resolved {
        let file = written.file(mention).to_owned();
        let others = &mentioned[&document];
        let relations: Vec<i64> = written
            .incident
            .get(&entity)
            .map(|incident| {
                incident
                    .iter()
                    .filter(|(other, _)| others.contains(other))
                    .map(|&(_, relation)| relation)
                    .collect()
            })
            .unwrap_or_default();
        let name = mention.first_of(&["name", "detectedName"]);
        if relations.is_empty() || name.is_none() {
            let message = format!(
                "Mention {}: no relation joins its entity to another mentioned in the same document; a document reference only",
                mention.id
            );
            writer.note(&file, Some(mention.line), &message)?;
            continue;
        }
        let text = name.unwrap_or_default();
        let excerpt = writer.add_excerpt(document, text, Some("mention"), None)?;
        for relation in relations {
            writer.cite(relation, excerpt)?;
        }
    }
    Ok(())
}
