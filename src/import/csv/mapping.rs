//! What each column means: a [`Role`] per column, from a [`Mapping`] (TOML,
//! see the module `csv`'s doc) or recognised from the header (Gephi's
//! column names, Neo4j admin-import headers).

use serde::{Deserialize, Serialize};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The node's id (nodes), or the relation's own id (kept as a property).
    Id,
    /// The entity's name (nodes).
    Name,
    /// The entity's kind (nodes).
    Kind,
    /// The entity's description (nodes).
    Description,
    /// The subject's id (edges).
    Source,
    /// The object's id (edges).
    Target,
    /// The relation's kind, a machine word (edges).
    #[serde(alias = "relation kind")]
    RelationKind,
    /// The relation's label, a human phrase (edges).
    Label,
    /// `Directed` or `Undirected` (edges; Gephi's `Type`).
    Directed,
    /// When it happened: both the start and the end date.
    Date,
    Start,
    End,
    /// A quoted passage supporting the relation (edges).
    Excerpt,
    /// The title of the excerpt's document (edges).
    #[serde(alias = "document title", alias = "document")]
    DocumentTitle,
    /// The URL of the excerpt's document (edges).
    Url,
    /// A value kept in `properties` under the column's name.
    Property,
    Ignore,
}

/// Which side of the graph a file describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Side {
    Nodes,
    Edges,
}

/// What to do with an edge whose endpoint no node row named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingEndpoints {
    /// Create the entity, named by its id.
    #[default]
    Create,
    /// Skip the edge, with a note.
    Skip,
}

/// What happens to columns a mapping does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unlisted {
    /// Recognised names take their role; the rest become properties.
    #[default]
    Guess,
    Property,
    Ignore,
}

/// The columns of the nodes or of the edges files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Column name (as in the header, any case) → role.
    #[serde(default)]
    pub columns: std::collections::BTreeMap<String, Role>,
    /// The kind of an entity or relation whose row has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_kind: Option<String>,
}

/// How to read CSV files: the TOML the `--mapping` option names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// One character (`","`, `";"`, `"\t"`, `"|"`); guessed when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// A WHATWG encoding label (`"utf-8"`, `"windows-1252"`, `"utf-16le"`);
    /// detected when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(default)]
    pub missing_endpoints: MissingEndpoints,
    #[serde(default)]
    pub unlisted: Unlisted,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Section>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edges: Option<Section>,
}

impl Mapping {
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let mapping: Self = toml::from_str(text).map_err(|error| error.to_string())?;
        if let Some(delimiter) = &mapping.delimiter
            && mapping.delimiter_byte().is_none()
        {
            return Err(format!(
                "the delimiter {delimiter:?} is not one ASCII character"
            ));
        }
        if let Some(label) = &mapping.encoding
            && super::decode::encoding_for_label(label).is_none()
        {
            return Err(format!("the encoding {label:?} is not one Linkscope knows"));
        }
        Ok(mapping)
    }

    pub fn to_toml(&self) -> Result<String, String> {
        toml::to_string(self).map_err(|error| error.to_string())
    }

    /// The delimiter the mapping names, as a byte.
    pub fn delimiter_byte(&self) -> Option<u8> {
        let delimiter = self.delimiter.as_deref()?;
        let delimiter = if delimiter == "\\t" || delimiter.eq_ignore_ascii_case("tab") {
            "\t"
        } else {
            delimiter
        };
        match delimiter.as_bytes() {
            [byte] if byte.is_ascii() && *byte != b'"' && *byte != b'\n' => Some(*byte),
            _ => None,
        }
    }

    pub fn section(&self, side: Side) -> Option<&Section> {
        match side {
            Side::Nodes => self.nodes.as_ref(),
            Side::Edges => self.edges.as_ref(),
        }
    }
}

/// How a column's values become property values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// Numbers as JSON numbers, the rest as text.
    Auto,
    /// Always text (Neo4j's `:string`).
    Text,
    /// `true` / `false` (Neo4j's `:boolean`).
    Bool,
    /// Values split at `;` (Neo4j's `:string[]`, `:int[]`, …).
    List,
}

/// One column, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub role: Role,
    /// The property key (the header without a Neo4j type suffix).
    pub key: String,
    pub value: Value,
    /// A Neo4j id space (`:ID(Person)`): ids are keyed with it.
    pub group: Option<String>,
}

/// The role of a header in a Neo4j admin-import file (`name:string`,
/// `:START_ID(Person)`), when it is one.
fn neo4j_column(header: &str) -> Option<Column> {
    let (name, kind) = header.rsplit_once(':')?;
    let (kind, group) = match kind.split_once('(') {
        Some((kind, rest)) => (kind, rest.strip_suffix(')').map(str::to_owned)),
        None => (kind, None),
    };
    let kind = kind.trim().to_ascii_lowercase();
    let (base, list) = match kind.strip_suffix("[]") {
        Some(base) => (base.to_owned(), true),
        None => (kind, false),
    };
    let role = match base.as_str() {
        "id" => Role::Id,
        "start_id" => Role::Source,
        "end_id" => Role::Target,
        "type" => Role::RelationKind,
        "label" => Role::Kind,
        "ignore" => Role::Ignore,
        "string" | "int" | "long" | "float" | "double" | "boolean" | "byte" | "short" | "char"
        | "date" | "localtime" | "time" | "localdatetime" | "datetime" | "duration" | "point" => {
            Role::Property
        }
        _ => return None,
    };
    let name = name.trim();
    let role = if role == Role::Property && name.eq_ignore_ascii_case("name") {
        Role::Name
    } else {
        role
    };
    let value = match base.as_str() {
        _ if list => Value::List,
        "string" | "char" | "date" | "localtime" | "time" | "localdatetime" | "datetime"
        | "duration" | "point" => Value::Text,
        "boolean" => Value::Bool,
        _ => Value::Auto,
    };
    Some(Column {
        role,
        key: if name.is_empty() {
            base
        } else {
            name.to_owned()
        },
        value,
        group,
    })
}

/// The role a plain header name has in a file of `side`, when it is one
/// Linkscope recognises (Gephi's names and a few obvious ones).
pub fn recognised_role(header: &str, side: Side) -> Option<Role> {
    let name = header.trim().to_lowercase();
    let role = match (side, name.as_str()) {
        (Side::Nodes, "id") => Role::Id,
        (Side::Nodes, "label" | "name") => Role::Name,
        (Side::Nodes, "kind" | "type" | "category") => Role::Kind,
        (Side::Nodes, "description") => Role::Description,
        (Side::Edges, "source") => Role::Source,
        (Side::Edges, "target") => Role::Target,
        (Side::Edges, "kind" | "relation") => Role::RelationKind,
        (Side::Edges, "label") => Role::Label,
        (Side::Edges, "type") => Role::Directed,
        (Side::Edges, "excerpt" | "quote") => Role::Excerpt,
        (Side::Edges, "document" | "document title" | "document_title") => Role::DocumentTitle,
        (Side::Edges, "url") => Role::Url,
        (_, "date") => Role::Date,
        (_, "start" | "start date" | "start_date") => Role::Start,
        (_, "end" | "end date" | "end_date") => Role::End,
        _ => return None,
    };
    Some(role)
}

/// The side a header describes when nothing says: edges when it has a
/// source and a target column, nodes when it has an id or a name.
pub fn guess_side(headers: &[String]) -> Option<Side> {
    let has = |side: Side, role: Role| {
        headers.iter().any(|header| {
            neo4j_column(header).map_or_else(
                || recognised_role(header, side) == Some(role),
                |column| column.role == role,
            )
        })
    };
    if has(Side::Edges, Role::Source) && has(Side::Edges, Role::Target) {
        Some(Side::Edges)
    } else if has(Side::Nodes, Role::Id) || has(Side::Nodes, Role::Name) {
        Some(Side::Nodes)
    } else {
        None
    }
}

/// The side of a file by `mapping`'s sections: edges when the header has
/// the columns mapped to source and target, nodes when it has the one
/// mapped to id or name.
pub fn mapped_side(headers: &[String], mapping: &Mapping) -> Option<Side> {
    let present = |section: Option<&Section>, roles: &[Role]| {
        section.is_some_and(|section| {
            roles.iter().all(|role| {
                section.columns.iter().any(|(column, mapped)| {
                    mapped == role && headers.iter().any(|h| same_name(h, column))
                })
            })
        })
    };
    if present(mapping.edges.as_ref(), &[Role::Source, Role::Target]) {
        Some(Side::Edges)
    } else if present(mapping.nodes.as_ref(), &[Role::Id])
        || present(mapping.nodes.as_ref(), &[Role::Name])
    {
        Some(Side::Nodes)
    } else {
        None
    }
}

fn same_name(header: &str, column: &str) -> bool {
    header.trim().to_lowercase() == column.trim().to_lowercase()
}

/// The column for each header of a file of `side`: mapped, recognised or a
/// property. A role that only one column may have (all but property and
/// ignore) goes to the first column with it; later ones become properties.
pub fn resolve(headers: &[String], side: Side, mapping: Option<&Mapping>) -> Vec<Column> {
    let section = mapping.and_then(|mapping| mapping.section(side));
    let unlisted = mapping.map_or(Unlisted::Guess, |mapping| mapping.unlisted);
    let mut taken = Vec::new();
    headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let key = if header.trim().is_empty() {
                format!("column {}", index + 1)
            } else {
                header.trim().to_owned()
            };
            let mapped = section.and_then(|section| {
                section
                    .columns
                    .iter()
                    .find(|(column, _)| same_name(header, column))
                    .map(|(_, &role)| role)
            });
            let mut column = match (mapped, unlisted) {
                (Some(role), _) => Column {
                    role,
                    key,
                    value: Value::Auto,
                    group: None,
                },
                (None, Unlisted::Guess) => neo4j_column(header).unwrap_or_else(|| Column {
                    role: recognised_role(header, side).unwrap_or(Role::Property),
                    key,
                    value: Value::Auto,
                    group: None,
                }),
                (None, Unlisted::Property) => Column {
                    role: Role::Property,
                    key,
                    value: Value::Auto,
                    group: None,
                },
                (None, Unlisted::Ignore) => Column {
                    role: Role::Ignore,
                    key,
                    value: Value::Auto,
                    group: None,
                },
            };
            if !matches!(column.role, Role::Property | Role::Ignore) {
                if taken.contains(&column.role) {
                    column.role = Role::Property;
                } else {
                    taken.push(column.role);
                }
            }
            column
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(text: &str) -> Vec<String> {
        text.split(',').map(str::to_owned).collect()
    }

    fn roles(text: &str, side: Side) -> Vec<Role> {
        resolve(&headers(text), side, None)
            .into_iter()
            .map(|column| column.role)
            .collect()
    }

    #[test]
    fn gephi_names_are_recognised_in_any_case() {
        assert_eq!(
            roles("Id,LABEL,kind,Start,End,Age", Side::Nodes),
            [
                Role::Id,
                Role::Name,
                Role::Kind,
                Role::Start,
                Role::End,
                Role::Property
            ]
        );
        assert_eq!(
            roles("Source,Target,Type,Kind,Label,Weight,Id", Side::Edges),
            [
                Role::Source,
                Role::Target,
                Role::Directed,
                Role::RelationKind,
                Role::Label,
                Role::Property,
                Role::Property
            ]
        );
        assert_eq!(guess_side(&headers("Source,Target")), Some(Side::Edges));
        assert_eq!(guess_side(&headers("id,label")), Some(Side::Nodes));
        assert_eq!(guess_side(&headers("a,b")), None);
        // A second name column is a property.
        assert_eq!(
            roles("Id,Name,Label", Side::Nodes),
            [Role::Id, Role::Name, Role::Property]
        );
    }

    #[test]
    fn neo4j_headers_are_recognised_and_typed() {
        let columns = resolve(
            &headers("personId:ID(Person),name:string,born:int,:LABEL,tags:string[],x"),
            Side::Nodes,
            None,
        );
        assert_eq!(columns[0].role, Role::Id);
        assert_eq!(columns[0].group.as_deref(), Some("Person"));
        assert_eq!(columns[0].key, "personId");
        assert_eq!(
            (columns[1].role, columns[1].value),
            (Role::Name, Value::Text)
        );
        assert_eq!(
            (columns[2].role, columns[2].key.as_str()),
            (Role::Property, "born")
        );
        assert_eq!(columns[3].role, Role::Kind);
        assert_eq!(columns[4].value, Value::List);
        assert_eq!(columns[5].role, Role::Property);
        assert_eq!(
            guess_side(&headers(
                ":START_ID(Person),roles:string[],:END_ID(Movie),:TYPE"
            )),
            Some(Side::Edges)
        );
        // Not a Neo4j type: a plain name.
        assert!(neo4j_column("time:utc").is_none());
    }

    #[test]
    fn a_mapping_reads_back_what_it_writes_and_wins_over_guesses() {
        let text = r#"
delimiter = ";"
encoding = "windows-1252"
missing_endpoints = "skip"
[nodes]
columns = { "Person ID" = "id", "Full name" = "name", "Type" = "ignore" }
default_kind = "actor"
[edges]
columns = { "From" = "source", "To" = "target", "Quote" = "excerpt", "Article" = "document title" }
"#;
        let mapping = Mapping::from_toml(text).unwrap();
        assert_eq!(mapping.delimiter_byte(), Some(b';'));
        assert_eq!(mapping.missing_endpoints, MissingEndpoints::Skip);
        let edges = mapping.edges.as_ref().unwrap();
        assert_eq!(edges.columns["Article"], Role::DocumentTitle);
        let again = Mapping::from_toml(&mapping.to_toml().unwrap()).unwrap();
        assert_eq!(again, mapping);
        let columns = resolve(
            &headers("person id,Type,Label"),
            Side::Nodes,
            Some(&mapping),
        );
        assert_eq!(
            columns.iter().map(|c| c.role).collect::<Vec<_>>(),
            [Role::Id, Role::Ignore, Role::Name]
        );
        assert_eq!(
            mapped_side(&headers("From,To,Quote"), &mapping),
            Some(Side::Edges)
        );
        assert!(Mapping::from_toml("delimiter = \";;\"").is_err());
        assert!(Mapping::from_toml("encoding = \"klingon\"").is_err());
        assert!(Mapping::from_toml("[nodes]\ncolumns = { a = \"wizard\" }").is_err());
        assert_eq!(
            Mapping::from_toml("delimiter = \"\\t\"")
                .unwrap()
                .delimiter_byte(),
            Some(b'\t')
        );
    }
}
