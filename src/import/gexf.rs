//! GEXF import (versions 1.0 to 1.3, as Gephi, networkx, graphology and
//! the spec write it).
//!
//! Elements are matched by local name, so the namespaces of every version
//! (`http://www.gephi.org/gexf`, the 1.1 and 1.2 drafts, `gexf.net/1.3`
//! with or without `www.`) read alike. Nodes become entities (named by
//! their label, kind "other" unless an attribute titled kind, type or
//! category says otherwise), edges relations; declared attributes become
//! typed properties under their titles. `viz:position` becomes the new
//! file's saved view, so Gephi's picture opens as it was drawn.

mod items;

use serde_json::{Map, Value};

use self::items::{Declared, Item, ItemClass, TimeFormat};
use super::notes::FileNotes;
use super::xml::{XmlEvent, XmlReader};
use super::{GraphWriter, ImportError, ImportInput, ImportOptions};
use crate::import::ids::EntityIds;
use crate::model::FastMap;

/// Reads `inputs` as GEXF into `writer`; each input is its own graph.
pub fn import(
    inputs: &mut [ImportInput],
    writer: &mut GraphWriter,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let _ = options;
    let mut positions = Vec::new();
    for input in inputs.iter_mut() {
        let file = input.name.clone();
        let mut reader = XmlReader::new(&file, &mut input.reader);
        let mut gexf = Gexf::new(writer, &file);
        gexf.read(&mut reader)?;
        positions.append(&mut gexf.finish()?);
    }
    if !positions.is_empty() {
        let kept = writer.set_positions(&positions)?;
        if kept < positions.len() {
            let message = format!(
                "{} viz:position values were out of range and left to the layout",
                positions.len() - kept
            );
            let file = inputs
                .first()
                .map(|input| input.name.clone())
                .unwrap_or_default();
            writer.note(&file, None, &message)?;
        }
    }
    Ok(())
}

/// One file's import in progress.
struct Gexf<'w> {
    writer: &'w mut GraphWriter,
    notes: FileNotes,
    /// Whether edges without a `type` are directed (`defaultedgetype`).
    default_directed: bool,
    time_format: TimeFormat,
    /// Declared attributes by id, for nodes and for edges.
    declared: [FastMap<String, Declared>; 2],
    /// The attribute being declared, and the class it belongs to.
    declaring: Option<(ItemClass, String, Declared)>,
    /// The class of the `<attributes>` element being read.
    attributes_class: Option<ItemClass>,
    ids: EntityIds,
    /// Open nodes, outermost first (nested nodes are flattened).
    nodes: Vec<Item>,
    edge: Option<Item>,
    positions: Vec<(i64, [f32; 2])>,
    saw_root: bool,
}

impl<'w> Gexf<'w> {
    fn new(writer: &'w mut GraphWriter, file: &str) -> Self {
        Self {
            writer,
            notes: FileNotes::new(file),
            // The spec's default.
            default_directed: false,
            time_format: TimeFormat::Date,
            declared: [FastMap::default(), FastMap::default()],
            declaring: None,
            attributes_class: None,
            ids: EntityIds::default(),
            nodes: Vec::new(),
            edge: None,
            positions: Vec::new(),
            saw_root: false,
        }
    }

    fn note(&mut self, line: u64, message: &str) -> Result<(), ImportError> {
        self.notes.note(self.writer, Some(line), message)
    }

    /// Notes `message` the first time `topic` comes up in this file.
    fn note_once(&mut self, topic: &str, line: u64, message: &str) -> Result<(), ImportError> {
        self.notes.note_once(self.writer, topic, line, message)
    }

    fn read(&mut self, reader: &mut XmlReader<'_>) -> Result<(), ImportError> {
        loop {
            match reader.next_event()? {
                XmlEvent::Start(element) => {
                    if !self.saw_root {
                        if element.name() != "gexf" {
                            return Err(reader.malformed(format!(
                                "the root element is <{}>, not <gexf>: not a GEXF file",
                                element.name
                            )));
                        }
                        self.saw_root = true;
                        continue;
                    }
                    self.start(reader, element)?;
                }
                XmlEvent::End(name) => self.end(reader.line(), &name)?,
                XmlEvent::Text(_) => {}
                XmlEvent::Eof => {
                    if !self.saw_root {
                        return Err(reader.malformed("the file has no <gexf> element"));
                    }
                    return Ok(());
                }
            }
        }
    }

    /// The item (edge, else innermost node) an `attvalue` or `viz`
    /// element belongs to.
    fn current(&mut self) -> Option<&mut Item> {
        match &mut self.edge {
            Some(edge) => Some(edge),
            None => self.nodes.last_mut(),
        }
    }

    fn start(
        &mut self,
        reader: &mut XmlReader<'_>,
        tag: super::xml::Element,
    ) -> Result<(), ImportError> {
        let line = reader.line();
        let element = &tag;
        match element.name() {
            "graph" => {
                if let Some(kind) = element.get("defaultedgetype") {
                    self.default_directed = kind.trim() != "undirected";
                }
                self.time_format = TimeFormat::from(element.get("timeformat"));
            }
            "attributes" => {
                self.attributes_class = match element.get("class").map(str::trim) {
                    Some("node") => Some(ItemClass::Node),
                    Some("edge") => Some(ItemClass::Edge),
                    other => {
                        let class = other.unwrap_or("none").to_owned();
                        self.note(
                            line,
                            &format!(
                                "attributes of class {class:?} are not read (only node and edge)"
                            ),
                        )?;
                        None
                    }
                };
            }
            "attribute" if self.attributes_class.is_some() && self.nodes.is_empty() => {
                let class = self.attributes_class.unwrap_or(ItemClass::Node);
                let id = element.get("id").unwrap_or_default().to_owned();
                let title = element
                    .get("title")
                    .filter(|title| !title.trim().is_empty())
                    .unwrap_or(&id)
                    .to_owned();
                let kind = element.get("type").unwrap_or("string").to_owned();
                self.declaring = Some((
                    class,
                    id,
                    Declared {
                        title,
                        kind,
                        default: None,
                    },
                ));
            }
            "default" if self.declaring.is_some() => {
                let text = reader.text_until_end()?;
                if let Some((_, _, declared)) = &mut self.declaring {
                    declared.default = Some(text);
                }
            }
            "node" => {
                if !self.nodes.is_empty() || element.get("pid").is_some() {
                    self.note_once(
                        "nested",
                        line,
                        "nested nodes (a hierarchy) were flattened: each node is an entity, its parent kept as the property parent",
                    )?;
                }
                let parent = element
                    .get("pid")
                    .or_else(|| self.nodes.last().map(Item::id))
                    .map(str::to_owned);
                let mut node = Item::new(ItemClass::Node, tag, line);
                if let Some(parent) = parent {
                    node.properties
                        .insert("parent".into(), Value::String(parent));
                }
                self.nodes.push(node);
            }
            "parent" if !self.nodes.is_empty() => {
                self.note_once(
                    "nested",
                    line,
                    "nested nodes (a hierarchy) were flattened: each node is an entity, its parent kept as the property parent",
                )?;
                if let (Some(node), Some(parent)) = (self.nodes.last_mut(), element.get("for")) {
                    node.properties
                        .insert("parent".into(), Value::String(parent.to_owned()));
                }
            }
            "edge" => self.edge = Some(Item::new(ItemClass::Edge, tag, line)),
            "attvalue" => self.attvalue(line, element)?,
            "spell" => {
                if let Some(item) = self.current() {
                    item.spells.push(items::Spell::from(element));
                }
            }
            "position" => {
                let x = element.get("x").and_then(items::number);
                let y = element.get("y").and_then(items::number);
                if let (Some(node), None, Some(x), Some(y)) =
                    (self.nodes.last_mut(), &self.edge, x, y)
                {
                    node.position = Some([x as f32, -(y as f32)]);
                }
            }
            "color" | "size" | "thickness" | "shape" => {
                if let Some(item) = self.current() {
                    item.viz(element);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn attvalue(&mut self, line: u64, element: &super::xml::Element) -> Result<(), ImportError> {
        // GEXF 1.0 names the attribute with `id`, later versions with `for`.
        let Some(key) = element.get("for").or_else(|| element.get("id")) else {
            return self.note(line, "an attvalue without for= was skipped");
        };
        let value = element.get("value").unwrap_or_default();
        let Some(class) = self.current().map(|item| item.class) else {
            return Ok(());
        };
        if !self.declared[class as usize].contains_key(key) {
            self.note_once(
                &format!("undeclared {key}"),
                line,
                &format!(
                    "attvalue for {key:?} has no declared attribute: read as text under its own name"
                ),
            )?;
        }
        // A plain value has `for` (or `id`) and `value` only.
        let dynamic = element.attribute_count() > 2
            && ["start", "end", "startopen", "endopen", "timestamp"]
                .iter()
                .any(|name| element.get(name).is_some());
        if dynamic {
            self.note_once(
                "dynamic",
                line,
                "dynamic attribute values were kept as lists of {value, start, end}",
            )?;
        }
        let declared = self.declared[class as usize].get(key);
        let item = match &mut self.edge {
            Some(edge) => Some(edge),
            None => self.nodes.last_mut(),
        };
        if let Some(item) = item {
            item.attvalue(key, declared, value, dynamic.then_some(element));
        }
        Ok(())
    }

    fn end(&mut self, line: u64, name: &str) -> Result<(), ImportError> {
        match name {
            "attribute" => {
                if let Some((class, id, declared)) = self.declaring.take() {
                    self.declared[class as usize].insert(id, declared);
                }
            }
            "attributes" => self.attributes_class = None,
            "node" => {
                if let Some(node) = self.nodes.pop() {
                    self.write_node(node)?;
                }
            }
            "edge" => {
                if let Some(edge) = self.edge.take() {
                    self.write_edge(edge)?;
                }
            }
            _ => {}
        }
        let _ = line;
        Ok(())
    }

    fn write_node(&mut self, mut node: Item) -> Result<(), ImportError> {
        if node.id().is_empty() {
            return self.note(node.line, "a node without an id was skipped");
        }
        if self.ids.get(node.id()).is_some() {
            let message = format!("node id {:?} is used twice: the first was kept", node.id());
            return self.note(node.line, &message);
        }
        node.apply_defaults(&self.declared[ItemClass::Node as usize]);
        let dates = node.dates(self.time_format);
        for message in &dates.notes {
            self.note(node.line, message)?;
        }
        if dates.numeric {
            self.note_once(
                "numeric times",
                node.line,
                "times that are numbers (timeformat double or integer) were kept as properties start and end, not dates",
            )?;
        }
        let kind = node.kind().unwrap_or_else(|| "other".to_owned());
        let name = node
            .label()
            .filter(|label| !label.trim().is_empty())
            .unwrap_or_else(|| node.id())
            .to_owned();
        let own = super::xml::take_own_columns(&node.properties);
        // The file's own attributes win over the id kept beside them.
        let mut properties = std::mem::take(&mut node.properties);
        properties
            .entry("gexf_id")
            .or_insert_with(|| Value::String(node.id().to_owned()));
        let id = self.writer.add_entity(crate::store::writer::NewEntity {
            kind: &kind,
            name: &name,
            description: own.description.as_deref(),
            date_start: dates.start.as_deref().or(own.date_start.as_deref()),
            date_end: dates.end.as_deref().or(own.date_end.as_deref()),
            properties,
        })?;
        self.ids.insert(node.id(), id);
        if let Some(position) = node.position {
            self.positions.push((id, position));
        }
        Ok(())
    }

    fn write_edge(&mut self, mut edge: Item) -> Result<(), ImportError> {
        let source = edge.source().and_then(|id| self.ids.get(id));
        let target = edge.target().and_then(|id| self.ids.get(id));
        let (Some(subject), Some(object)) = (source, target) else {
            let message = format!(
                "edge {} from {:?} to {:?} names a node that is not declared: skipped",
                if edge.id().is_empty() {
                    "without id"
                } else {
                    edge.id()
                },
                edge.source().unwrap_or(""),
                edge.target().unwrap_or("")
            );
            return self.note(edge.line, &message);
        };
        edge.apply_defaults(&self.declared[ItemClass::Edge as usize]);
        let dates = edge.dates(self.time_format);
        for message in &dates.notes {
            self.note(edge.line, message)?;
        }
        // What the edge's own tag says goes beside its attributes; an
        // attribute of the same name wins.
        let mut properties = Map::new();
        if !edge.id().is_empty() {
            properties.insert("gexf_id".into(), Value::String(edge.id().to_owned()));
        }
        let directed = match edge.edge_type().map(str::trim) {
            Some("undirected") => false,
            Some("mutual") => {
                properties.insert("edge_type".into(), Value::from("mutual"));
                false
            }
            Some("directed") => true,
            Some(other) => {
                let message = format!(
                    "edge type {other:?} is not directed, undirected or mutual: the default was used"
                );
                self.note(edge.line, &message)?;
                self.default_directed
            }
            None => self.default_directed,
        };
        if !directed {
            properties.insert("directed".into(), Value::Bool(false));
        }
        if let Some(weight) = edge.weight() {
            let value =
                items::number(weight).map_or_else(|| Value::String(weight.to_owned()), Value::from);
            properties.insert("weight".into(), value);
        }
        let own = super::xml::take_own_columns(&edge.properties);
        let mut own_properties = std::mem::take(&mut edge.properties);
        for (key, value) in properties {
            own_properties.entry(key).or_insert(value);
        }
        let properties = own_properties;
        let label = edge.label().filter(|label| !label.trim().is_empty());
        let kind = edge
            .edge_kind()
            .filter(|kind| !kind.trim().is_empty())
            .or(label)
            .unwrap_or("related_to");
        self.writer
            .add_relation(crate::store::writer::NewRelation {
                subject,
                object,
                kind: kind.trim(),
                label,
                date_start: dates.start.as_deref().or(own.date_start.as_deref()),
                date_end: dates.end.as_deref().or(own.date_end.as_deref()),
                properties,
            })?;
        Ok(())
    }

    /// The positions read (entity id, world point with y down).
    fn finish(self) -> Result<Vec<(i64, [f32; 2])>, ImportError> {
        if !self.nodes.is_empty() || self.edge.is_some() {
            self.writer.note(
                self.notes.file(),
                None,
                "the file ends inside a node or an edge",
            )?;
        }
        Ok(self.positions)
    }
}

#[cfg(test)]
mod tests;
