//! A mapping being made in the mapping dialog: each file's side and each
//! column's role, with the first rows to show. Plain data that the window
//! edits; [`MappingDraft::mapping`] turns it into the [`Mapping`] an
//! import reads (and the TOML that is saved).

use super::CsvPreview;
use super::mapping::{Mapping, MissingEndpoints, Role, Section, Side, Unlisted};

/// One file of the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftFile {
    pub name: String,
    pub side: Side,
    pub headers: Vec<String>,
    /// One per header.
    pub roles: Vec<Role>,
    pub rows: Vec<Vec<String>>,
}

/// The dialog's mapping (see the module's doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingDraft {
    pub files: Vec<DraftFile>,
    pub delimiter: char,
    /// The detected or chosen encoding's label.
    pub encoding: String,
    pub missing_endpoints: MissingEndpoints,
    /// The kind of an entity whose row gives none, and of one made from a
    /// relation's end (empty: "other").
    pub entity_kind: String,
    /// The kind of a relation whose row gives none (empty: `linked_to`).
    pub relation_kind: String,
}

/// The delimiters the dialog offers.
pub const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];
/// The encodings the dialog offers (WHATWG labels).
pub const ENCODINGS: [&str; 4] = ["UTF-8", "UTF-16LE", "UTF-16BE", "windows-1252"];

impl Role {
    /// The role's name in the dialog.
    pub fn label(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Name => "name",
            Self::Kind => "kind",
            Self::Description => "description",
            Self::Source => "source",
            Self::Target => "target",
            Self::RelationKind => "relation kind",
            Self::Label => "label",
            Self::Directed => "directed",
            Self::Date => "date",
            Self::Start => "start",
            Self::End => "end",
            Self::Excerpt => "excerpt",
            Self::DocumentTitle => "document title",
            Self::Url => "URL",
            Self::Property => "property",
            Self::Ignore => "ignore",
        }
    }

    /// The roles a column of a file of `side` can have.
    pub fn choices(side: Side) -> &'static [Role] {
        match side {
            Side::Nodes => &[
                Self::Id,
                Self::Name,
                Self::Kind,
                Self::Description,
                Self::Date,
                Self::Start,
                Self::End,
                Self::Property,
                Self::Ignore,
            ],
            Side::Edges => &[
                Self::Source,
                Self::Target,
                Self::RelationKind,
                Self::Label,
                Self::Directed,
                Self::Id,
                Self::Date,
                Self::Start,
                Self::End,
                Self::Excerpt,
                Self::DocumentTitle,
                Self::Url,
                Self::Property,
                Self::Ignore,
            ],
        }
    }
}

impl MappingDraft {
    /// The draft for what `previews` read. A file whose header says
    /// nothing is taken as edges when it is the only file or the last,
    /// its first two columns as source and target: the shape of most
    /// hand-made link lists.
    pub fn from_previews(previews: &[CsvPreview], missing_endpoints: MissingEndpoints) -> Self {
        let last = previews.len().saturating_sub(1);
        let files = previews
            .iter()
            .enumerate()
            .map(|(index, preview)| {
                let mut file = DraftFile {
                    name: preview.file.clone(),
                    side: preview.side.unwrap_or(if index == last {
                        Side::Edges
                    } else {
                        Side::Nodes
                    }),
                    headers: preview.headers.clone(),
                    roles: preview.roles.clone(),
                    rows: preview.rows.clone(),
                };
                file.fit_roles();
                if preview.side.is_none() && file.side == Side::Edges {
                    for (column, role) in file.roles.iter_mut().take(2).enumerate() {
                        *role = if column == 0 {
                            Role::Source
                        } else {
                            Role::Target
                        };
                    }
                }
                file
            })
            .collect();
        let first = previews.first();
        Self {
            files,
            delimiter: first.map_or(',', |preview| preview.delimiter),
            encoding: first.map_or_else(|| "UTF-8".to_owned(), |preview| preview.encoding.clone()),
            missing_endpoints,
            entity_kind: String::new(),
            relation_kind: String::new(),
        }
    }

    /// The mapping the draft says, every column listed.
    pub fn mapping(&self) -> Mapping {
        let mut mapping = Mapping {
            delimiter: Some(self.delimiter.to_string()),
            encoding: Some(self.encoding.clone()),
            missing_endpoints: self.missing_endpoints,
            unlisted: Unlisted::Property,
            nodes: None,
            edges: None,
        };
        for file in &self.files {
            let section = match file.side {
                Side::Nodes => mapping.nodes.get_or_insert_with(Section::default),
                Side::Edges => mapping.edges.get_or_insert_with(Section::default),
            };
            for (header, role) in file.headers.iter().zip(&file.roles) {
                section.columns.insert(header.trim().to_owned(), *role);
            }
        }
        let kind = |text: &str| Some(text.trim().to_owned()).filter(|kind| !kind.is_empty());
        if let Some(entity_kind) = kind(&self.entity_kind) {
            mapping
                .nodes
                .get_or_insert_with(Section::default)
                .default_kind = Some(entity_kind);
        }
        if let Some(relation_kind) = kind(&self.relation_kind) {
            mapping
                .edges
                .get_or_insert_with(Section::default)
                .default_kind = Some(relation_kind);
        }
        mapping
    }

    /// What stops the import, said for the user; none when it can run.
    pub fn problem(&self) -> Option<String> {
        for file in &self.files {
            let has = |role: Role| file.roles.contains(&role);
            match file.side {
                Side::Edges if !(has(Role::Source) && has(Role::Target)) => {
                    return Some(format!(
                        "{}: a relations file needs a source column and a target column",
                        file.name
                    ));
                }
                Side::Nodes if !(has(Role::Id) || has(Role::Name)) => {
                    return Some(format!(
                        "{}: an entities file needs an id column or a name column",
                        file.name
                    ));
                }
                _ => {}
            }
        }
        let nodes = self
            .files
            .iter()
            .filter(|file| file.side == Side::Nodes)
            .count();
        let edges = self.files.len() - nodes;
        if nodes > 1 || edges > 1 {
            return Some(
                "one entities file and one relations file at most: say which is which".to_owned(),
            );
        }
        None
    }
}

impl DraftFile {
    /// Sets the side; roles the new side has no use for become properties.
    pub fn set_side(&mut self, side: Side) {
        self.side = side;
        self.fit_roles();
    }

    fn fit_roles(&mut self) {
        let choices = Role::choices(self.side);
        for role in &mut self.roles {
            if !choices.contains(role) {
                *role = Role::Property;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preview(headers: &[&str], side: Option<Side>, roles: &[Role]) -> CsvPreview {
        CsvPreview {
            file: "f.csv".to_owned(),
            encoding: "UTF-8".to_owned(),
            delimiter: ';',
            headers: headers.iter().map(|header| (*header).to_owned()).collect(),
            rows: Vec::new(),
            side,
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn an_unrecognised_lone_file_is_taken_as_links_from_its_first_two_columns() {
        let draft = MappingDraft::from_previews(
            &[preview(
                &["Person", "Organisation", "Role"],
                None,
                &[Role::Property; 3],
            )],
            MissingEndpoints::Create,
        );
        assert_eq!(draft.files[0].side, Side::Edges);
        assert_eq!(
            draft.files[0].roles,
            [Role::Source, Role::Target, Role::Property]
        );
        assert_eq!(draft.problem(), None);
        let toml = draft.mapping().to_toml().unwrap();
        let again = Mapping::from_toml(&toml).unwrap();
        assert_eq!(again.delimiter.as_deref(), Some(";"));
        assert_eq!(
            again.edges.unwrap().columns.get("Organisation"),
            Some(&Role::Target)
        );
        assert_eq!(again.nodes, None);
        let mut draft = draft;
        draft.entity_kind = " organization ".to_owned();
        draft.relation_kind = "owns".to_owned();
        let mapping = draft.mapping();
        assert_eq!(
            mapping.nodes.unwrap().default_kind.as_deref(),
            Some("organization")
        );
        assert_eq!(mapping.edges.unwrap().default_kind.as_deref(), Some("owns"));
    }

    #[test]
    fn a_side_change_drops_roles_the_side_cannot_have_and_problems_are_named() {
        let mut draft = MappingDraft::from_previews(
            &[preview(
                &["From", "To"],
                Some(Side::Edges),
                &[Role::Source, Role::Target],
            )],
            MissingEndpoints::Skip,
        );
        draft.files[0].set_side(Side::Nodes);
        assert_eq!(draft.files[0].roles, [Role::Property, Role::Property]);
        let problem = draft.problem().unwrap();
        assert!(
            problem.contains("needs an id column or a name column"),
            "{problem}"
        );
    }
}
