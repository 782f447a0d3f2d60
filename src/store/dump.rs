//! Every row of a graph file's five data tables, column by column in the
//! format's order, for copying them elsewhere (`push`). Missing optional
//! columns read as NULL; a file without evidence tables has no rows there.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::StoreError;
use super::open::{
    DOCUMENTS, ENTITIES, EXCERPTS, RELATION_EXCERPTS, RELATIONS, Schema, TableSpec, open_untrusted,
};

/// The format's data tables, in the order a copy must write them.
pub const DATA_TABLES: [&TableSpec; 5] = [
    &ENTITIES,
    &RELATIONS,
    &DOCUMENTS,
    &EXCERPTS,
    &RELATION_EXCERPTS,
];

/// The columns of `table`, in the format's order.
pub fn columns(table: &TableSpec) -> Vec<&'static str> {
    table
        .required
        .iter()
        .chain(table.optional)
        .copied()
        .collect()
}

/// One graph file opened for reading its tables whole.
pub struct TableDump {
    path: PathBuf,
    connection: Connection,
    schema: Schema,
}

impl TableDump {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let (connection, schema) = open_untrusted(path, None)?;
        Ok(Self {
            path: path.to_path_buf(),
            connection,
            schema,
        })
    }

    fn present(&self, table: &TableSpec) -> bool {
        self.schema.has_evidence || [ENTITIES.name, RELATIONS.name].contains(&table.name)
    }

    fn failed(&self, error: &rusqlite::Error) -> StoreError {
        StoreError::Damaged {
            path: self.path.clone(),
            detail: error.to_string(),
        }
    }

    /// How many rows `table` has (0 when it is absent).
    pub fn count(&self, table: &TableSpec) -> Result<u64, StoreError> {
        if !self.present(table) || !self.has_table(table.name)? {
            return Ok(0);
        }
        self.connection
            .query_row(
                &format!("SELECT count(*) FROM \"{}\"", table.name),
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|count| count.max(0) as u64)
            .map_err(|error| self.failed(&error))
    }

    fn has_table(&self, name: &str) -> Result<bool, StoreError> {
        super::open::table_kind(&self.connection, name)
            .map(|kind| kind.is_some())
            .map_err(|error| self.failed(&error))
    }

    /// Calls `each` with every row of `table` (its [`columns`]), in rowid
    /// order; stops at the first error `each` returns.
    pub fn for_each_row<E: From<StoreError>>(
        &self,
        table: &TableSpec,
        mut each: impl FnMut(&[ValueRef<'_>]) -> Result<(), E>,
    ) -> Result<(), E> {
        if !self.present(table) || !self.has_table(table.name)? {
            return Ok(());
        }
        let selected: Vec<String> = columns(table)
            .iter()
            .map(|column| {
                if self.schema.missing_columns.contains(&(table.name, column)) {
                    "NULL".to_owned()
                } else {
                    format!("\"{column}\"")
                }
            })
            .collect();
        let order = self
            .schema
            .rowid_of(table.name)
            .map_or_else(String::new, |rowid| format!(" ORDER BY {rowid}"));
        let sql = format!(
            "SELECT {} FROM \"{}\"{order}",
            selected.join(", "),
            table.name
        );
        let mut statement = self
            .connection
            .prepare(&sql)
            .map_err(|error| self.failed(&error))?;
        let width = selected.len();
        let mut rows = statement.query([]).map_err(|error| self.failed(&error))?;
        while let Some(row) = rows.next().map_err(|error| self.failed(&error))? {
            let values = (0..width)
                .map(|index| row.get_ref(index))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|error| self.failed(&error))?;
            each(&values)?;
        }
        Ok(())
    }
}
