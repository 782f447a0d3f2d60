//! GraphML import (the GraphML 1.0 structure, with yEd's graphics).
//!
//! `<key>`s declare the properties (`attr.name`, `attr.type`, a
//! `<default>`); `<data>` values become typed properties under their
//! names. A node's name is yEd's `y:NodeLabel` when it has one, else a
//! property named name or label, else its id; its kind is "other" unless
//! a property named kind, type or category says otherwise. yEd's
//! `y:Geometry` becomes the new file's saved view, as drawn in yEd.
//! Nested graphs are flattened; hyperedges and ports are refused (they have
//! no place in a graph of entities and relations).

use serde_json::{Map, Value};

use super::ids::EntityIds;
use super::notes::FileNotes;
use super::xml::{Element, XmlEvent, XmlReader, is_kind_name, kind_from, typed_value};
use super::{GraphWriter, ImportError, ImportInput, ImportOptions};
use crate::model::FastMap;
use crate::store::writer::{NewEntity, NewRelation};

/// Reads `inputs` as GraphML into `writer`; each input is its own graph.
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
        let mut graphml = GraphMl::new(writer, &file);
        graphml.read(&mut reader)?;
        positions.append(&mut graphml.finish()?);
    }
    if !positions.is_empty() {
        writer.set_positions(&positions)?;
    }
    Ok(())
}

/// A declared `<key>`.
#[derive(Debug, Clone, Default)]
struct Key {
    /// `attr.name`, else the key's id.
    name: String,
    /// `attr.type` (string when absent).
    kind: String,
    /// `node`, `edge`, `graph`, `all`, …
    domain: String,
    default: Option<String>,
    /// yEd's `yfiles.type` (`nodegraphics`, `edgegraphics`, …).
    yfiles: Option<String>,
}

impl Key {
    fn applies_to(&self, domain: &str) -> bool {
        self.domain == domain || self.domain == "all"
    }
}

/// A node or an edge being read.
#[derive(Debug, Default)]
struct Item {
    id: String,
    line: u64,
    properties: Map<String, Value>,
    /// yEd's label.
    label: Option<String>,
    /// yEd's geometry: x, y, width, height.
    geometry: Option<[f64; 4]>,
    source: String,
    target: String,
    directed: bool,
}

/// One file's import in progress.
struct GraphMl<'w> {
    writer: &'w mut GraphWriter,
    notes: FileNotes,
    keys: FastMap<String, Key>,
    declaring: Option<(String, Key)>,
    /// Each open `<graph>`'s `edgedefault`: true when directed.
    graphs: Vec<bool>,
    ids: EntityIds,
    /// Open nodes, outermost first (a node may hold a nested graph).
    nodes: Vec<Item>,
    edge: Option<Item>,
    /// Edges read before one of their nodes: written at the end.
    deferred: Vec<Item>,
    positions: Vec<(i64, [f32; 2])>,
    saw_root: bool,
}

impl<'w> GraphMl<'w> {
    fn new(writer: &'w mut GraphWriter, file: &str) -> Self {
        Self {
            writer,
            notes: FileNotes::new(file),
            keys: FastMap::default(),
            declaring: None,
            graphs: Vec::new(),
            ids: EntityIds::default(),
            nodes: Vec::new(),
            edge: None,
            deferred: Vec::new(),
            positions: Vec::new(),
            saw_root: false,
        }
    }

    fn note(&mut self, line: Option<u64>, message: &str) -> Result<(), ImportError> {
        self.notes.note(self.writer, line, message)
    }

    fn note_once(&mut self, topic: &str, line: u64, message: &str) -> Result<(), ImportError> {
        self.notes.note_once(self.writer, topic, line, message)
    }

    fn read(&mut self, reader: &mut XmlReader<'_>) -> Result<(), ImportError> {
        loop {
            match reader.next_event()? {
                XmlEvent::Start(element) => {
                    if !self.saw_root {
                        if element.name() != "graphml" {
                            return Err(reader.malformed(format!(
                                "the root element is <{}>, not <graphml>: not a GraphML file",
                                element.name
                            )));
                        }
                        self.saw_root = true;
                        continue;
                    }
                    self.start(reader, &element)?;
                }
                XmlEvent::End(name) => self.end(&name)?,
                XmlEvent::Text(_) => {}
                XmlEvent::Eof => {
                    if !self.saw_root {
                        return Err(reader.malformed("the file has no <graphml> element"));
                    }
                    return Ok(());
                }
            }
        }
    }

    fn start(&mut self, reader: &mut XmlReader<'_>, element: &Element) -> Result<(), ImportError> {
        let line = reader.line();
        match element.name() {
            "key" => {
                let id = element.get("id").unwrap_or_default().to_owned();
                let key = Key {
                    name: element
                        .get("attr.name")
                        .or_else(|| element.get("name"))
                        .filter(|name| !name.trim().is_empty())
                        .unwrap_or(&id)
                        .to_owned(),
                    kind: element
                        .get("attr.type")
                        .or_else(|| element.get("type"))
                        .unwrap_or("string")
                        .to_owned(),
                    domain: element.get("for").unwrap_or("all").trim().to_owned(),
                    default: None,
                    yfiles: element.get("yfiles.type").map(str::to_owned),
                };
                self.declaring = Some((id, key));
            }
            "default" if self.declaring.is_some() => {
                let text = reader.text_until_end()?;
                if let Some((_, key)) = &mut self.declaring {
                    key.default = Some(text);
                }
            }
            "graph" => {
                if !self.graphs.is_empty() {
                    self.note_once(
                        "nested",
                        line,
                        "nested graphs were flattened: their nodes and edges join the one graph, each node's enclosing node kept as the property parent",
                    )?;
                }
                let directed = match element.get("edgedefault").map(str::trim) {
                    Some("undirected") => false,
                    Some("directed") => true,
                    _ => self.graphs.last().copied().unwrap_or(true),
                };
                self.graphs.push(directed);
            }
            "node" => {
                let mut node = Item {
                    id: element.get("id").unwrap_or_default().trim().to_owned(),
                    line,
                    ..Item::default()
                };
                if let Some(parent) = self.nodes.last() {
                    node.properties
                        .insert("parent".into(), Value::String(parent.id.clone()));
                }
                self.nodes.push(node);
            }
            "edge" => {
                if element.get("sourceport").is_some() || element.get("targetport").is_some() {
                    return Err(reader.refused(format!(
                        "line {line}: edges between ports (sourceport, targetport) are refused: Linkscope's relations join whole entities"
                    )));
                }
                let directed = match element.get("directed").map(str::trim) {
                    Some("true" | "1") => true,
                    Some("false" | "0") => false,
                    _ => self.graphs.last().copied().unwrap_or(true),
                };
                self.edge = Some(Item {
                    id: element.get("id").unwrap_or_default().trim().to_owned(),
                    line,
                    source: element.get("source").unwrap_or_default().trim().to_owned(),
                    target: element.get("target").unwrap_or_default().trim().to_owned(),
                    directed,
                    ..Item::default()
                });
            }
            "hyperedge" => {
                return Err(reader.refused(format!(
                    "line {line}: hyperedges (one edge joining several nodes) are refused: Linkscope's relations join two entities"
                )));
            }
            "port" => {
                return Err(reader.refused(format!(
                    "line {line}: ports (<port>) are refused: Linkscope's relations join whole entities"
                )));
            }
            "data" => self.data(reader, element)?,
            _ => {}
        }
        Ok(())
    }

    /// Reads one `<data>` into the open edge or node (graph-level data is
    /// not kept).
    fn data(&mut self, reader: &mut XmlReader<'_>, element: &Element) -> Result<(), ImportError> {
        let line = reader.line();
        let key_id = element.get("key").unwrap_or_default().to_owned();
        let key = self.keys.get(&key_id).cloned();
        if self.edge.is_none() && self.nodes.is_empty() {
            return reader.skip();
        }
        if let Some(kind) = key.as_ref().and_then(|key| key.yfiles.clone()) {
            if kind == "nodegraphics" || kind == "edgegraphics" {
                let (label, geometry) = yed_graphics(reader)?;
                if let Some(item) = self.current() {
                    item.label = item.label.take().or(label);
                    item.geometry = item.geometry.or(geometry);
                }
                return Ok(());
            }
            return reader.skip();
        }
        let text = reader.text_until_end()?;
        let (name, value) = if let Some(key) = &key {
            (key.name.clone(), typed_value(&key.kind, &text))
        } else {
            self.note_once(
                &format!("undeclared {key_id}"),
                line,
                &format!("data for key {key_id:?} has no <key>: read as text under that name"),
            )?;
            (key_id, Value::String(text))
        };
        if let Some(item) = self.current() {
            item.properties.insert(name, value);
        }
        Ok(())
    }

    fn current(&mut self) -> Option<&mut Item> {
        match &mut self.edge {
            Some(edge) => Some(edge),
            None => self.nodes.last_mut(),
        }
    }

    fn end(&mut self, name: &str) -> Result<(), ImportError> {
        match name {
            "key" => {
                if let Some((id, key)) = self.declaring.take() {
                    self.keys.insert(id, key);
                }
            }
            "graph" => {
                self.graphs.pop();
            }
            "node" => {
                if let Some(node) = self.nodes.pop() {
                    self.write_node(node)?;
                }
            }
            "edge" => {
                if let Some(edge) = self.edge.take() {
                    self.write_edge(edge, false)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The declared defaults of `domain` this item has no value for.
    fn apply_defaults(&self, domain: &str, item: &mut Item) {
        let mut defaults: Vec<&Key> = self
            .keys
            .values()
            .filter(|key| key.applies_to(domain) && key.default.is_some())
            .filter(|key| !item.properties.contains_key(&key.name))
            .collect();
        defaults.sort_by(|a, b| a.name.cmp(&b.name));
        for key in defaults {
            let value = typed_value(&key.kind, key.default.as_deref().unwrap_or_default());
            item.properties.insert(key.name.clone(), value);
        }
    }

    fn write_node(&mut self, mut node: Item) -> Result<(), ImportError> {
        if node.id.is_empty() {
            return self.note(Some(node.line), "a node without an id was skipped");
        }
        if self.ids.get(&node.id).is_some() {
            let message = format!("node id {:?} is used twice: the first was kept", node.id);
            return self.note(Some(node.line), &message);
        }
        self.apply_defaults("node", &mut node);
        let kind = property(&node.properties, is_kind_name)
            .and_then(kind_from)
            .unwrap_or_else(|| "other".to_owned());
        let name = node
            .label
            .clone()
            .filter(|label| !label.trim().is_empty())
            .or_else(|| {
                property(&node.properties, |name| {
                    name.eq_ignore_ascii_case("name") || name.eq_ignore_ascii_case("label")
                })
                .and_then(kind_from)
            })
            .unwrap_or_else(|| node.id.clone());
        let own = super::xml::take_own_columns(&node.properties);
        let mut properties = Map::new();
        properties.insert("graphml_id".into(), Value::String(node.id.clone()));
        properties.append(&mut node.properties);
        let id = self.writer.add_entity(NewEntity {
            kind: &kind,
            name: &name,
            description: own.description.as_deref(),
            date_start: own.date_start.as_deref(),
            date_end: own.date_end.as_deref(),
            properties,
        })?;
        self.ids.insert(&node.id, id);
        if let Some([x, y, width, height]) = node.geometry {
            // yEd's y grows down, as the screen's does; the centre is kept.
            let centre = [(x + width / 2.0) as f32, (y + height / 2.0) as f32];
            self.positions.push((id, centre));
        }
        Ok(())
    }

    /// Writes `edge`, or keeps it for the end when a node it names has not
    /// come yet (`last`: the end has come, so it is skipped and noted).
    fn write_edge(&mut self, mut edge: Item, last: bool) -> Result<(), ImportError> {
        let (Some(subject), Some(object)) =
            (self.ids.get(&edge.source), self.ids.get(&edge.target))
        else {
            if !last {
                self.deferred.push(edge);
                return Ok(());
            }
            let message = format!(
                "edge {} from {:?} to {:?} names a node that is not in the file: skipped",
                if edge.id.is_empty() {
                    "without id"
                } else {
                    &edge.id
                },
                edge.source,
                edge.target
            );
            return self.note(Some(edge.line), &message);
        };
        self.apply_defaults("edge", &mut edge);
        let mut properties = Map::new();
        if !edge.id.is_empty() {
            properties.insert("graphml_id".into(), Value::String(edge.id.clone()));
        }
        if !edge.directed {
            properties.insert("directed".into(), Value::Bool(false));
        }
        let label = edge
            .label
            .clone()
            .or_else(|| {
                property(&edge.properties, |name| name.eq_ignore_ascii_case("label"))
                    .and_then(kind_from)
            })
            .filter(|label| !label.trim().is_empty());
        let kind = property(&edge.properties, |name| {
            ["kind", "type", "relation"]
                .iter()
                .any(|word| name.eq_ignore_ascii_case(word))
        })
        .and_then(kind_from)
        .or_else(|| label.clone())
        .unwrap_or_else(|| "related_to".to_owned());
        let own = super::xml::take_own_columns(&edge.properties);
        properties.append(&mut edge.properties);
        self.writer.add_relation(NewRelation {
            subject,
            object,
            kind: kind.trim(),
            label: label.as_deref(),
            date_start: own.date_start.as_deref(),
            date_end: own.date_end.as_deref(),
            properties,
        })?;
        Ok(())
    }

    /// Writes the edges that came before their nodes; returns the
    /// positions read.
    fn finish(mut self) -> Result<Vec<(i64, [f32; 2])>, ImportError> {
        for edge in std::mem::take(&mut self.deferred) {
            self.write_edge(edge, true)?;
        }
        Ok(self.positions)
    }
}

/// The first property whose name `wanted` accepts.
fn property(properties: &Map<String, Value>, wanted: impl Fn(&str) -> bool) -> Option<&Value> {
    properties
        .iter()
        .find(|(name, _)| wanted(name))
        .map(|(_, value)| value)
}

/// yEd's graphics inside one `<data>`: the first label's text and the
/// first geometry (x, y, width, height). Reads to the data's end.
fn yed_graphics(
    reader: &mut XmlReader<'_>,
) -> Result<(Option<String>, Option<[f64; 4]>), ImportError> {
    let mut label = None;
    let mut geometry = None;
    let mut depth = 1_usize;
    loop {
        match reader.next_event()? {
            XmlEvent::Start(element) => {
                if element.name() == "NodeLabel" || element.name() == "EdgeLabel" {
                    let text = reader.text_until_end()?;
                    let text = text.trim();
                    if label.is_none() && !text.is_empty() {
                        label = Some(text.to_owned());
                    }
                    continue;
                }
                if element.name() == "Geometry" && geometry.is_none() {
                    let number = |name: &str| {
                        element
                            .get(name)
                            .and_then(|text| text.trim().parse::<f64>().ok())
                            .filter(|value| value.is_finite())
                    };
                    if let (Some(x), Some(y)) = (number("x"), number("y")) {
                        geometry = Some([
                            x,
                            y,
                            number("width").unwrap_or(0.0),
                            number("height").unwrap_or(0.0),
                        ]);
                    }
                }
                depth += 1;
            }
            XmlEvent::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return Ok((label, geometry));
                }
            }
            XmlEvent::Text(_) => {}
            XmlEvent::Eof => return Err(reader.malformed("the file ends inside <data>")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imported(text: &str) -> GraphWriter {
        let mut writer = GraphWriter::in_memory().unwrap();
        let mut inputs = [ImportInput::from_bytes(
            "t.graphml",
            text.as_bytes().to_vec(),
        )];
        import(&mut inputs, &mut writer, &ImportOptions::default()).unwrap();
        writer
    }

    fn one(writer: &GraphWriter, sql: &str) -> i64 {
        writer.query_one(sql).unwrap().unwrap_or(-1)
    }

    #[test]
    fn keys_defaults_directedness_and_late_nodes() {
        let writer = imported(
            r#"<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="k" for="node" attr.name="Type" attr.type="string"><default>organization</default></key>
  <key id="n" for="node" attr.name="label" attr.type="string"/>
  <key id="w" for="edge" attr.name="weight" attr.type="double"><default>1</default></key>
  <key id="r" for="all" attr.name="relation" attr.type="string"/>
  <key id="b" for="node" attr.name="ok" attr.type="boolean"/>
  <graph id="G" edgedefault="undirected">
    <edge source="a" target="b"><data key="r">owns</data></edge>
    <node id="a"><data key="n">Alpha</data><data key="k">actor</data><data key="b">true</data></node>
    <node id="b"/>
    <node id="a"/>
    <edge source="a" target="b" directed="true"><data key="w">2.5</data><data key="zz">?</data></edge>
    <edge source="a" target="nowhere"/>
  </graph>
</graphml>"#,
        );
        assert_eq!(writer.counts().entities, 2);
        assert_eq!(writer.counts().relations, 2);
        assert_eq!(
            one(
                &writer,
                "SELECT count(*) FROM entities WHERE name = 'Alpha' AND kind = 'actor' AND json_extract(properties, '$.ok') = 1"
            ),
            1
        );
        assert_eq!(
            one(
                &writer,
                "SELECT count(*) FROM entities WHERE name = 'b' AND kind = 'organization'"
            ),
            1
        );
        assert_eq!(
            one(
                &writer,
                "SELECT count(*) FROM relations WHERE kind = 'owns' AND json_extract(properties, '$.directed') = 0 AND json_extract(properties, '$.weight') = 1.0"
            ),
            1
        );
        assert_eq!(
            one(
                &writer,
                "SELECT count(*) FROM relations WHERE kind = 'related_to' AND json_extract(properties, '$.directed') IS NULL AND json_extract(properties, '$.weight') = 2.5"
            ),
            1
        );
        for wanted in ["used twice", "\"zz\"", "nowhere"] {
            assert_eq!(
                one(
                    &writer,
                    &format!(
                        "SELECT count(*) FROM app_import_notes WHERE instr(message, '{wanted}') > 0"
                    )
                ),
                1,
                "a note about {wanted}"
            );
        }
    }

    #[test]
    fn broken_files_are_errors_naming_the_file() {
        for text in [
            "<gexf/>",
            "",
            "<graphml><graph><node id=\"a\">",
            "<graphml><graph><node id=\"&x;\"/></graph></graphml>",
        ] {
            let mut writer = GraphWriter::in_memory().unwrap();
            let mut inputs = [ImportInput::from_bytes(
                "bad.graphml",
                text.as_bytes().to_vec(),
            )];
            let error = import(&mut inputs, &mut writer, &ImportOptions::default()).unwrap_err();
            assert!(
                error.to_string().starts_with("bad.graphml:"),
                "{text}: {error}"
            );
        }
    }
}
