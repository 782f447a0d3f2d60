//! One GEXF node or edge as it is read: its attributes, values, spells
//! and `viz` looks, until its end tag writes it.

use serde_json::{Map, Value};

use crate::import::dates::iso_date;
use crate::import::xml::{Element, is_kind_name, kind_from, typed_value};
use crate::model::FastMap;

/// Whether an item is a node or an edge (and which declarations apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemClass {
    Node = 0,
    Edge = 1,
}

/// A declared attribute: the property's name, its type and default.
#[derive(Debug, Clone)]
pub struct Declared {
    pub title: String,
    pub kind: String,
    pub default: Option<String>,
}

/// How the file writes its times (`timeformat` on `<graph>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// Dates or date-times (also what files without `timeformat` mostly
    /// mean: a number there is still kept as a number).
    Date,
    /// `double` or `integer`: times are numbers, kept as properties.
    Number,
}

impl From<Option<&str>> for TimeFormat {
    fn from(text: Option<&str>) -> Self {
        match text.map(|text| text.trim().to_ascii_lowercase()).as_deref() {
            Some("double" | "integer" | "float" | "long") => Self::Number,
            _ => Self::Date,
        }
    }
}

/// One `<spell>`: an interval the item exists in.
#[derive(Debug, Clone, Default)]
pub struct Spell {
    pub start: Option<String>,
    pub end: Option<String>,
}

impl From<&Element> for Spell {
    fn from(element: &Element) -> Self {
        let (start, end) = interval(element);
        Self { start, end }
    }
}

/// An element's `start`/`end` (or `startopen`/`endopen`, or `timestamp`
/// for both).
fn interval(element: &Element) -> (Option<String>, Option<String>) {
    let stamp = element.get("timestamp");
    let start = element
        .get("start")
        .or_else(|| element.get("startopen"))
        .or(stamp);
    let end = element
        .get("end")
        .or_else(|| element.get("endopen"))
        .or(stamp);
    (start.map(str::to_owned), end.map(str::to_owned))
}

/// A finite number from GEXF's text.
pub fn number(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
}

/// An item's dates, made ready for the writer.
#[derive(Debug, Default)]
pub struct Dates {
    pub start: Option<String>,
    pub end: Option<String>,
    /// Times that were numbers, kept as properties.
    pub numeric: bool,
    /// What to note about this item's times.
    pub notes: Vec<String>,
}

/// A node or an edge being read. Its tag is kept whole: its id, label and
/// endpoints are read from it when the item is written, not copied.
#[derive(Debug)]
pub struct Item {
    pub class: ItemClass,
    tag: Element,
    /// The line its start tag ended on.
    pub line: u64,
    pub spells: Vec<Spell>,
    pub properties: Map<String, Value>,
    /// A node's `viz:position`, y flipped to grow down.
    pub position: Option<[f32; 2]>,
    /// A node's kind, from an attribute titled kind, type or category.
    kind: Option<String>,
}

impl Item {
    pub fn new(class: ItemClass, tag: Element, line: u64) -> Self {
        Self {
            class,
            tag,
            line,
            spells: Vec::new(),
            properties: Map::new(),
            position: None,
            kind: None,
        }
    }

    pub fn id(&self) -> &str {
        self.tag.get("id").unwrap_or_default().trim()
    }

    pub fn label(&self) -> Option<&str> {
        self.tag.get("label")
    }

    pub fn source(&self) -> Option<&str> {
        self.tag.get("source").map(str::trim)
    }

    pub fn target(&self) -> Option<&str> {
        self.tag.get("target").map(str::trim)
    }

    /// An edge's `type` (directed, undirected, mutual).
    pub fn edge_type(&self) -> Option<&str> {
        self.tag.get("type")
    }

    /// An edge's `kind` (GEXF's parallel edges).
    pub fn edge_kind(&self) -> Option<&str> {
        self.tag.get("kind")
    }

    pub fn weight(&self) -> Option<&str> {
        self.tag.get("weight")
    }

    /// Records one `attvalue`: typed by its declaration, under its title;
    /// a dynamic one (with times) joins a list of `{value, start, end}`.
    pub fn attvalue(
        &mut self,
        key: &str,
        declared: Option<&Declared>,
        text: &str,
        dynamic: Option<&Element>,
    ) {
        let (name, value) = match declared {
            Some(declared) => (declared.title.clone(), typed_value(&declared.kind, text)),
            None => (key.to_owned(), Value::String(text.to_owned())),
        };
        if self.class == ItemClass::Node && self.kind.is_none() && is_kind_name(&name) {
            self.kind = kind_from(&value);
        }
        if let Some(element) = dynamic {
            let (start, end) = interval(element);
            let mut entry = Map::new();
            entry.insert("value".into(), value);
            entry.insert("start".into(), start.map_or(Value::Null, Value::String));
            entry.insert("end".into(), end.map_or(Value::Null, Value::String));
            let list = self
                .properties
                .entry(name)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                list.push(Value::Object(entry));
            } else {
                let first = list.take();
                *list = Value::Array(vec![first, Value::Object(entry)]);
            }
        } else {
            self.properties.insert(name, value);
        }
    }

    /// Declared defaults for the attributes this item has no value for.
    pub fn apply_defaults(&mut self, declared: &FastMap<String, Declared>) {
        let mut defaults: Vec<&Declared> = declared
            .values()
            .filter(|declared| declared.default.is_some())
            .filter(|declared| !self.properties.contains_key(&declared.title))
            .collect();
        // The map's order is not the file's: sorted, so imports repeat.
        defaults.sort_by(|a, b| a.title.cmp(&b.title));
        for declared in defaults {
            let text = declared.default.as_deref().unwrap_or_default();
            let value = typed_value(&declared.kind, text);
            if self.class == ItemClass::Node && self.kind.is_none() && is_kind_name(&declared.title)
            {
                self.kind = kind_from(&value);
            }
            self.properties.insert(declared.title.clone(), value);
        }
    }

    pub fn kind(&self) -> Option<String> {
        self.kind.clone()
    }

    /// A `viz:color`, `viz:size`, `viz:thickness` or `viz:shape`, kept as
    /// `viz_color` (`#rrggbb`), `viz_alpha`, `viz_size`, `viz_thickness`
    /// and `viz_shape`.
    pub fn viz(&mut self, element: &Element) {
        match element.name() {
            "color" => {
                let channel = |name: &str| {
                    element
                        .get(name)
                        .and_then(|text| text.trim().parse::<u8>().ok())
                };
                let colour = match (channel("r"), channel("g"), channel("b")) {
                    (Some(r), Some(g), Some(b)) => Some(format!("#{r:02x}{g:02x}{b:02x}")),
                    _ => element
                        .get("hex")
                        .map(|hex| hex.trim().to_ascii_lowercase()),
                };
                if let Some(colour) = colour {
                    self.properties
                        .insert("viz_color".into(), Value::String(colour));
                }
                if let Some(alpha) = element.get("a").and_then(number) {
                    self.properties
                        .insert("viz_alpha".into(), Value::from(alpha));
                }
            }
            "size" | "thickness" => {
                if let Some(value) = element.get("value").and_then(number) {
                    let name = format!("viz_{}", element.name);
                    self.properties.insert(name, Value::from(value));
                }
            }
            "shape" => {
                if let Some(shape) = element.get("value") {
                    self.properties
                        .insert("viz_shape".into(), Value::from(shape));
                }
            }
            _ => {}
        }
    }

    /// The item's dates: its own `start`/`end`, else its spells' (the
    /// first spell's start and the last spell's end, noted when there are
    /// several). Numbers are kept as properties `start` and `end`.
    pub fn dates(&mut self, format: TimeFormat) -> Dates {
        let mut dates = Dates::default();
        let (mut start, mut end) = interval(&self.tag);
        if !self.spells.is_empty() {
            if self.spells.len() > 1 {
                dates.notes.push(format!(
                    "{} {:?} has {} spells: kept as one span, from the first spell's start to the last spell's end (all are in the property spells)",
                    if self.class == ItemClass::Node { "node" } else { "edge" },
                    self.id(),
                    self.spells.len()
                ));
            }
            let spells: Vec<Value> = self
                .spells
                .iter()
                .map(|spell| {
                    let text =
                        |time: &Option<String>| time.clone().map_or(Value::Null, Value::String);
                    Value::Array(vec![text(&spell.start), text(&spell.end)])
                })
                .collect();
            self.properties
                .insert("spells".into(), Value::Array(spells));
            if start.is_none() {
                start = self.spells.first().and_then(|spell| spell.start.clone());
            }
            if end.is_none() {
                end = self.spells.last().and_then(|spell| spell.end.clone());
            }
        }
        dates.start = self.time("start", start, format, &mut dates);
        dates.end = self.time("end", end, format, &mut dates);
        if let (Some(start), Some(end)) = (&dates.start, &dates.end)
            && start > end
            && !start.starts_with(end.as_str())
        {
            dates.notes.push(format!(
                "{:?} ends ({end}) before it starts ({start}): the end was left out",
                self.id()
            ));
            dates.end = None;
        }
        dates
    }

    fn time(
        &mut self,
        which: &str,
        text: Option<String>,
        format: TimeFormat,
        dates: &mut Dates,
    ) -> Option<String> {
        let text = text?;
        if format == TimeFormat::Date
            && let Some(date) = iso_date(&text)
        {
            return Some(date);
        }
        if let Some(value) = number(&text) {
            self.properties.insert(which.into(), Value::from(value));
            dates.numeric = true;
            return None;
        }
        dates.notes.push(format!(
            "{which} time {text:?} of {:?} is not a date: left out",
            self.id()
        ));
        None
    }
}
