//! A team's graph in PostgreSQL: the graph file's tables in a schema of a
//! server. `push` copies a file in (binary COPY, one transaction), `pull`
//! writes a neighbourhood back out as a graph file.
//!
//! Connection settings come from a `postgres://` URL. The password comes
//! from the URL, `PGPASSWORD`, or the password file (`PGPASSFILE`, else
//! `~/.pgpass`), read here since the client crate does not; it is never
//! written anywhere, and [`PgTarget`]'s display leaves it out.

mod bench;
mod compartments;
mod explore;
mod pgpass;
mod pull;
mod push;
mod queries;

pub use bench::{BenchOptions, BenchStep, bench_explore};
pub use compartments::compartments;
pub use explore::PgExplorer;
pub use pull::{PullOptions, PullSummary, pull};
pub use push::{PushSummary, push};

use std::fmt;

/// What went wrong with a PostgreSQL source, with the context to show.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error("{0} is not a PostgreSQL URL: {1}")]
    BadUrl(String, String),
    #[error(
        "schema name {0:?} is not a plain name (letters, digits and _, not starting with a digit)"
    )]
    BadSchema(String),
    #[error("could not connect to {target}: {source}")]
    Connect {
        target: String,
        #[source]
        source: postgres::Error,
    },
    #[error("{target}: {context}: {source}")]
    Query {
        target: String,
        context: String,
        #[source]
        source: postgres::Error,
    },
    #[error(
        "{target}: schema {schema} already holds a graph (table {table} exists): push into another schema, or drop that one first"
    )]
    SchemaTaken {
        target: String,
        schema: String,
        table: String,
    },
    #[error("{target}: schema {schema} holds no graph (no table entities)")]
    NoGraph { target: String, schema: String },
    #[error("{target}: no entity is named {name:?}{hint}")]
    NoSeed {
        target: String,
        name: String,
        hint: String,
    },
    #[error("{0}: the push was cancelled; the server keeps nothing of it")]
    PushCancelled(String),
    #[error(
        "{target}: schema {staging} is there: another push into this schema is under way, or one was killed before it could clean up (if none is running: DROP SCHEMA {staging} CASCADE)"
    )]
    StagingLeft { target: String, staging: String },
    #[error("{0}")]
    Bench(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// A schema on a server: where `push` writes and `pull` reads.
#[derive(Clone)]
pub struct PgTarget {
    config: postgres::Config,
    /// The URL as given, without its password (for messages).
    shown: String,
    pub schema: String,
}

impl fmt::Display for PgTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (schema {})", self.shown, self.schema)
    }
}

impl fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Whether `text` names a PostgreSQL server rather than a file.
pub fn is_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

impl PgTarget {
    /// Parses `url` (`postgres://user@host:port/db?...`) and checks `schema`.
    pub fn new(url: &str, schema: &str) -> Result<Self, PgError> {
        if !is_url(url) {
            return Err(PgError::BadUrl(
                without_password(url),
                "it does not start with postgres://".to_owned(),
            ));
        }
        let mut config: postgres::Config = url.parse().map_err(|error: postgres::Error| {
            PgError::BadUrl(without_password(url), error.to_string())
        })?;
        if !is_plain_name(schema) {
            return Err(PgError::BadSchema(schema.to_owned()));
        }
        if config.get_application_name().is_none() {
            config.application_name("linkscope");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        if config.get_password().is_none() {
            if let Ok(password) = std::env::var("PGPASSWORD") {
                config.password(password);
            } else if let Some(password) = pgpass::lookup(&config) {
                config.password(password);
            }
        }
        Ok(Self {
            config,
            shown: without_password(url),
            schema: schema.to_owned(),
        })
    }

    /// One connection (TLS is not offered yet: the server is reached in the
    /// clear, so use it on loopback or a trusted network).
    pub fn connect(&self) -> Result<postgres::Client, PgError> {
        self.config
            .connect(postgres::NoTls)
            .map_err(|source| PgError::Connect {
                target: self.shown.clone(),
                source,
            })
    }

    /// A query error with what was being done.
    pub(crate) fn failed(&self, context: &str) -> impl FnOnce(postgres::Error) -> PgError + '_ {
        let context = context.to_owned();
        move |source| PgError::Query {
            target: self.to_string(),
            context,
            source,
        }
    }

    /// `schema.table`, quoted.
    pub(crate) fn table(&self, table: &str) -> String {
        format!("\"{}\".\"{table}\"", self.schema)
    }
}

/// Letters, digits and `_`, not starting with a digit: a schema name that
/// needs no escaping anywhere.
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63
}

/// `url` with any password replaced by `***`, for messages and recent lists.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return strip_password_parameter(url);
    };
    let user = user_info
        .split_once(':')
        .map_or(user_info, |(user, _)| user);
    let shown = format!("{scheme}://{user}@{host}{tail}");
    strip_password_parameter(&shown)
}

/// Drops a `password=` query parameter.
fn strip_password_parameter(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.to_ascii_lowercase().starts_with("password="))
        .collect();
    if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_what_is_shown() {
        assert_eq!(
            without_password("postgres://ana:s3cret@db.example:5433/graph?sslmode=require"),
            "postgres://ana@db.example:5433/graph?sslmode=require"
        );
        assert_eq!(
            without_password("postgres://db/graph?user=ana&password=s3cret"),
            "postgres://db/graph?user=ana"
        );
        assert_eq!(
            without_password("postgres://db/graph"),
            "postgres://db/graph"
        );
        let target = PgTarget::new("postgres://ana:s3cret@db/graph", "public").unwrap();
        assert!(!target.to_string().contains("s3cret"), "{target}");
        assert!(!format!("{target:?}").contains("s3cret"));
    }

    #[test]
    fn schema_names_are_checked() {
        assert!(PgTarget::new("postgres://db/graph", "team_a").is_ok());
        for bad in ["", "1x", "a-b", "a\"b", "public; drop"] {
            assert!(
                matches!(
                    PgTarget::new("postgres://db/graph", bad),
                    Err(PgError::BadSchema(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            PgTarget::new("/tmp/graph.sqlite", "public"),
            Err(PgError::BadUrl(..))
        ));
    }
}
