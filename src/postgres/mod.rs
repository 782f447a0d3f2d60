//! A team's graph in PostgreSQL: the graph file's tables in a schema of a
//! server. `push` copies a file in (binary COPY, one transaction), `pull`
//! writes a neighbourhood back out as a graph file.
//!
//! Connection settings come from a `postgres://` URL, a service name
//! (`pg_service.conf`, [`service`]) or both; TLS follows `sslmode` as
//! [`tls`] says. The password comes from the URL, the service file,
//! `PGPASSWORD`, the password file (`PGPASSFILE`, else `~/.pgpass`), read
//! here since the client crate does not, the system keyring ([`keyring`],
//! asked only when the server wants a password found nowhere else), or the
//! user (a prompt, the Connect form); it is written nowhere but the
//! keyring, where the user asks for it, and [`PgTarget`]'s display leaves
//! it out.

mod bench;
mod compartments;
mod connect;
mod explore;
pub mod keyring;
mod pgpass;
mod pull;
mod push;
mod queries;
pub mod service;
pub mod tls;
mod views;

pub use bench::{BenchOptions, BenchStep, bench_explore};
pub use compartments::compartments;
pub use connect::{ConnectFailure, Password, PasswordSource};
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
    /// The reason is said in full, from the client's error and the
    /// settings, so it carries no source of its own.
    #[error("could not connect to {target}: {reason}")]
    Connect {
        target: String,
        reason: String,
        failure: ConnectFailure,
    },
    #[error("{target}: {reason}")]
    Settings { target: String, reason: String },
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

impl PgError {
    /// Whether connecting failed for want of a password (one typed in may
    /// then be tried).
    pub fn needs_password(&self) -> bool {
        matches!(
            self,
            Self::Connect {
                failure: ConnectFailure::NeedsPassword,
                ..
            }
        )
    }
}

/// A schema on a server: where `push` writes and `pull` reads.
#[derive(Clone)]
pub struct PgTarget {
    config: postgres::Config,
    /// The URL as given, without its password (for messages).
    shown: String,
    pub schema: String,
    tls: tls::TlsSettings,
    password_source: PasswordSource,
    keyring: std::sync::Arc<connect::KeyringState>,
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
    /// Parses `url` (`postgres://user@host:port/db?...`, with libpq's
    /// `sslmode`, `sslrootcert` and `service` among its parameters) and
    /// checks `schema`.
    pub fn new(url: &str, schema: &str) -> Result<Self, PgError> {
        let shown = without_password(url);
        if !is_url(url) {
            return Err(PgError::BadUrl(
                shown,
                "it does not start with postgres://".to_owned(),
            ));
        }
        let (rest, taken) = connect::take_parameters(url);
        let mut config: postgres::Config = rest
            .parse()
            .map_err(|error: postgres::Error| PgError::BadUrl(shown.clone(), error.to_string()))?;
        if !is_plain_name(schema) {
            return Err(PgError::BadSchema(schema.to_owned()));
        }
        let settings = |reason: String| PgError::Settings {
            target: shown.clone(),
            reason,
        };
        let mut tls = tls::TlsSettings::default();
        let mut service_name = std::env::var("PGSERVICE").ok();
        for (key, value) in &taken {
            if key == "service" {
                service_name = Some(value.clone());
            } else {
                connect::set_tls(&mut tls, key, value).map_err(settings)?;
            }
        }
        let mut password_source = if config.get_password().is_some() {
            PasswordSource::Url
        } else {
            PasswordSource::None
        };
        if let Some(name) = service_name.filter(|name| !name.is_empty()) {
            let found = service::lookup(&name, &service::files()).map_err(settings)?;
            connect::apply_service(&mut config, &mut tls, &mut password_source, &found)
                .map_err(|reason| settings(format!("service {name:?}: {reason}")))?;
        }
        let tls = tls.with_environment().map_err(settings)?;
        // Where the URL and the service name no host: libpq's default.
        if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
            config.host(default_host());
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
                password_source = PasswordSource::Environment;
            } else if let Some(password) = pgpass::lookup(&config) {
                config.password(password);
                password_source = PasswordSource::PasswordFile;
            }
        }
        Ok(Self {
            config,
            shown,
            schema: schema.to_owned(),
            tls,
            password_source,
            keyring: std::sync::Arc::default(),
        })
    }

    /// The service `name` of `pg_service.conf`, as `--service` names it.
    pub fn from_service(name: &str, schema: &str) -> Result<Self, PgError> {
        let encoded: String = name
            .bytes()
            .map(|byte| {
                if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                    char::from(byte).to_string()
                } else {
                    format!("%{byte:02X}")
                }
            })
            .collect();
        Self::new(&format!("postgres://?service={encoded}"), schema)
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

/// libpq's default host: Debian's socket folder where there is one.
fn default_host() -> &'static str {
    const SOCKETS: &str = "/var/run/postgresql";
    if cfg!(unix) && std::path::Path::new(SOCKETS).is_dir() {
        SOCKETS
    } else {
        "localhost"
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
    fn libpq_s_ssl_settings_are_read_from_the_url_and_bad_ones_refused() {
        let target = PgTarget::new(
            "postgres://ana@db/graph?sslmode=verify-ca&sslrootcert=%2Fetc%2Fca.pem",
            "public",
        )
        .unwrap();
        assert_eq!(target.tls.mode, Some(tls::SslMode::VerifyCa));
        assert_eq!(
            target.tls.root_cert,
            Some(tls::RootCert::File("/etc/ca.pem".into()))
        );
        assert_eq!(
            target.to_string(),
            "postgres://ana@db/graph?sslmode=verify-ca&sslrootcert=%2Fetc%2Fca.pem (schema public)"
        );
        let bad = PgTarget::new("postgres://db/graph?sslmode=verify_full", "public");
        assert!(
            matches!(&bad, Err(PgError::Settings { reason, .. }) if reason.contains("verify_full")),
            "{bad:?}"
        );
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
