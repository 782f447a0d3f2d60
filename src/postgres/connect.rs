//! Opening a connection: the settings libpq reads that the client crate
//! does not (`sslmode`'s six values, `sslrootcert`, `service`), where the
//! password came from, and failures said in the user's terms: which server,
//! which user, what to change.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use postgres::config::{Host, SslMode as WireMode};

use super::keyring::{self, KeyringError};
use super::tls::{self, Plan, RootCert, SslMode, TlsSettings, Verify};
use super::{PgError, PgTarget};

/// A password typed by the user (a prompt, the Connect form): never shown,
/// not even by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(password: String) -> Self {
        Self(password)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Where a target's password came from, for the message when the server
/// refuses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordSource {
    None,
    Url,
    Service,
    Environment,
    PasswordFile,
    Keyring,
    Typed,
}

impl PasswordSource {
    fn describe(self) -> &'static str {
        match self {
            Self::None => "no password was given",
            Self::Url => "the password came from the URL",
            Self::Service => "the password came from the service file",
            Self::Environment => "the password came from PGPASSWORD",
            Self::PasswordFile => "the password came from the password file",
            Self::Keyring => "the password came from the system keyring",
            Self::Typed => "the password was typed in",
        }
    }
}

/// A target's dealings with the system keyring, shared by its clones (the
/// explorer's connections): what a lookup found, looked up once, and
/// whether a typed password is to be remembered once it has worked.
#[derive(Debug, Default)]
pub(super) struct KeyringState {
    found: OnceLock<Option<String>>,
    remember: AtomicBool,
}

/// Why a connection failed, where the caller may do something about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectFailure {
    /// The server asks for a password and none was found.
    NeedsPassword,
    /// The server refused the password.
    WrongPassword,
    Other,
}

/// The parameters that libpq reads and the client crate refuses or reads
/// otherwise, taken out of a URL's query (values percent-decoded).
const OURS: [&str; 3] = ["sslmode", "sslrootcert", "service"];

/// `url` without [`OURS`], and those parameters.
pub(super) fn take_parameters(url: &str) -> (String, Vec<(String, String)>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), Vec::new());
    };
    let mut kept = Vec::new();
    let mut taken = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if OURS.contains(&key) {
            taken.push((key.to_owned(), percent_decode(value)));
        } else {
            kept.push(pair);
        }
    }
    let rest = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (rest, taken)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = || std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok();
        match (
            bytes[index],
            hex().and_then(|h| u8::from_str_radix(h, 16).ok()),
        ) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One libpq setting (from the URL or a service file) onto the TLS
/// settings, unless already set.
pub(super) fn set_tls(tls: &mut TlsSettings, key: &str, value: &str) -> Result<(), String> {
    match key {
        "sslmode" if tls.mode.is_none() => tls.mode = Some(SslMode::parse(value)?),
        "sslrootcert" if tls.root_cert.is_none() => tls.root_cert = Some(RootCert::parse(value)),
        _ => {}
    }
    Ok(())
}

/// A service's settings where the URL gave none. (A URL that names a host
/// has a port too: the client crate fills in 5432 where it names none.)
pub(super) fn apply_service(
    config: &mut postgres::Config,
    tls: &mut TlsSettings,
    password: &mut PasswordSource,
    settings: &[(String, String)],
) -> Result<(), String> {
    for (key, value) in settings {
        let bad = |what: &str| format!("{key}={value:?} is not {what}");
        match key.as_str() {
            "host" if config.get_hosts().is_empty() => {
                for host in value.split(',') {
                    config.host(host.trim());
                }
            }
            "hostaddr" if config.get_hostaddrs().is_empty() => {
                for address in value.split(',') {
                    config.hostaddr(address.trim().parse().map_err(|_| bad("an IP address"))?);
                }
            }
            "port" if config.get_ports().is_empty() => {
                for port in value.split(',') {
                    config.port(port.trim().parse().map_err(|_| bad("a port"))?);
                }
            }
            "dbname" if config.get_dbname().is_none() => {
                config.dbname(value);
            }
            "user" if config.get_user().is_none() => {
                config.user(value);
            }
            "password" if config.get_password().is_none() => {
                config.password(value);
                *password = PasswordSource::Service;
            }
            "application_name" if config.get_application_name().is_none() => {
                config.application_name(value);
            }
            "options" if config.get_options().is_none() => {
                config.options(value);
            }
            "connect_timeout" if config.get_connect_timeout().is_none() => {
                let seconds: u64 = value.parse().map_err(|_| bad("a number of seconds"))?;
                config.connect_timeout(std::time::Duration::from_secs(seconds));
            }
            "sslmode" | "sslrootcert" => set_tls(tls, key, value)?,
            "host" | "hostaddr" | "port" | "dbname" | "user" | "password" | "application_name"
            | "options" | "connect_timeout" => {}
            other => log::warn!("the service file's {other} is not used by linkscope"),
        }
    }
    Ok(())
}

impl PgTarget {
    /// One connection, with TLS as [`tls`] plans it. Where the server asks
    /// for a password that was found nowhere else, the system keyring's is
    /// tried (looked up once per target, only then: a server that wants
    /// none never touches the keyring).
    pub fn connect(&self) -> Result<postgres::Client, PgError> {
        if self.config.get_password().is_some() {
            return self.connect_as(None);
        }
        if let Some(found) = self.keyring.found.get() {
            return self.connect_as(found.as_deref());
        }
        match self.connect_as(None) {
            Err(error) if error.needs_password() => {
                match self
                    .keyring
                    .found
                    .get_or_init(|| keyring::lookup(&self.keyring_key()))
                {
                    Some(password) => self.connect_as(Some(password)),
                    None => Err(error),
                }
            }
            other => other,
        }
    }

    /// [`connect`](Self::connect) with the keyring's password, if given.
    fn connect_as(&self, from_keyring: Option<&str>) -> Result<postgres::Client, PgError> {
        let mut config = self.config.clone();
        let mut source = self.password_source;
        if let Some(password) = from_keyring {
            config.password(password);
            source = PasswordSource::Keyring;
        }
        let mut plan = self
            .tls
            .plan(tls::default_root_file().as_deref())
            .map_err(|reason| self.connect_error(reason, ConnectFailure::Other))?;
        if only_local_sockets(&self.config) {
            // libpq does not try TLS on a Unix socket, nor does the server.
            plan.wire = WireMode::Disable;
        }
        let first = connect_with(&config, &plan, plan.wire, plan.verify);
        match first {
            // `allow`: in the clear refused by pg_hba, TLS next.
            Err(error)
                if plan.mode == SslMode::Allow
                    && error.code()
                        == Some(
                            &postgres::error::SqlState::INVALID_AUTHORIZATION_SPECIFICATION,
                        ) =>
            {
                connect_with(&config, &plan, WireMode::Require, Verify::Nothing)
            }
            other => other,
        }
        .map_err(|error| {
            let (reason, failure) = self.explain(&error, &plan, source);
            self.connect_error(reason, failure)
        })
    }

    /// Sends a cancel request for `token`'s query, over TLS where the
    /// connection has it.
    pub(crate) fn cancel(&self, token: &postgres::CancelToken) -> Result<(), postgres::Error> {
        let plan = self
            .tls
            .plan(tls::default_root_file().as_deref())
            .unwrap_or(Plan {
                mode: SslMode::Prefer,
                wire: WireMode::Prefer,
                verify: Verify::Nothing,
                roots: None,
            });
        token.cancel_query(tls::connector(plan.verify, plan.roots.as_ref()))
    }

    fn connect_error(&self, reason: String, failure: ConnectFailure) -> PgError {
        PgError::Connect {
            target: self.shown.clone(),
            reason,
            failure,
        }
    }

    /// Whether a password is known (from anywhere) before connecting.
    pub fn has_password(&self) -> bool {
        self.config.get_password().is_some()
    }

    /// Sets the password typed by the user; it replaces any other.
    pub fn set_password(&mut self, password: Password) {
        self.config.password(password.0);
        self.password_source = PasswordSource::Typed;
    }

    /// The name of this target's password in the system keyring:
    /// `user@host:port/database`, the defaults filled in as connecting
    /// fills them (port 5432, the database named after the user).
    pub fn keyring_key(&self) -> String {
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(host)) if host.contains(':') => format!("[{host}]"),
            Some(Host::Tcp(host)) => host.clone(),
            #[cfg(unix)]
            Some(Host::Unix(path)) => path.display().to_string(),
            None => self
                .config
                .get_hostaddrs()
                .first()
                .map_or_else(|| "localhost".to_owned(), ToString::to_string),
        };
        let user = self.user();
        let database = self.config.get_dbname().unwrap_or(&user);
        format!("{user}@{host}:{port}/{database}")
    }

    /// Asks that the typed password be stored in the system keyring once a
    /// connection with it has worked ([`remember_if_asked`](Self::remember_if_asked)).
    pub fn remember_in_keyring(&mut self) {
        self.keyring.remember.store(true, Ordering::SeqCst);
    }

    /// Stores the typed password in the system keyring if that was asked
    /// for and not yet done (by any clone); the caller has just connected
    /// with it.
    pub fn remember_if_asked(&self) -> Option<Result<(), KeyringError>> {
        if self.password_source != PasswordSource::Typed
            || !self.keyring.remember.swap(false, Ordering::SeqCst)
        {
            return None;
        }
        let password = String::from_utf8_lossy(self.config.get_password()?).into_owned();
        Some(keyring::store(&self.keyring_key(), &password))
    }

    /// The prompt that asks for this target's password.
    pub fn password_prompt(&self) -> String {
        format!("Password for user {} at {}: ", self.user(), self.server())
    }

    fn user(&self) -> String {
        self.config
            .get_user()
            .map(str::to_owned)
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_default()
    }

    /// `host:port` of the first host, as messages name the server.
    fn server(&self) -> String {
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        match self.config.get_hosts().first() {
            Some(Host::Tcp(host)) if host.contains(':') => format!("[{host}]:{port}"),
            Some(Host::Tcp(host)) => format!("{host}:{port}"),
            #[cfg(unix)]
            Some(Host::Unix(path)) => format!("{} (port {port})", path.display()),
            None => format!("localhost:{port}"),
        }
    }

    /// What went wrong, as the user can act on it.
    fn explain(
        &self,
        error: &postgres::Error,
        plan: &Plan,
        source: PasswordSource,
    ) -> (String, ConnectFailure) {
        use postgres::error::SqlState;
        let server = self.server();
        if let Some(db) = error.as_db_error() {
            if db.code() == &SqlState::INVALID_PASSWORD {
                return (
                    format!(
                        "password authentication failed for user {:?} at {server} ({})",
                        self.user(),
                        source.describe()
                    ),
                    ConnectFailure::WrongPassword,
                );
            }
            let reason = match db.hint() {
                Some(hint) => format!("{} (at {server}); hint: {hint}", db.message()),
                None => format!("{} (at {server})", db.message()),
            };
            return (reason, ConnectFailure::Other);
        }
        let chain = chain(error);
        if chain.contains("password missing") {
            return (
                format!(
                    "the server at {server} asks for a password for user {:?} and none was found: give it in the Connect form, PGPASSWORD, the password file (~/.pgpass) or the system keyring (linkscope password store URL)",
                    self.user()
                ),
                ConnectFailure::NeedsPassword,
            );
        }
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(host)) => host.clone(),
            _ => "localhost".to_owned(),
        };
        if let Some(reason) = tls::explain(error, &host, plan) {
            return (format!("{reason} (at {server})"), ConnectFailure::Other);
        }
        if chain.contains("server does not support TLS") {
            return (
                format!(
                    "the server at {server} does not offer TLS, and sslmode={} requires it: turn ssl on at the server, or use sslmode=prefer on a network you trust",
                    plan.mode.name()
                ),
                ConnectFailure::Other,
            );
        }
        (chain, ConnectFailure::Other)
    }
}

fn connect_with(
    config: &postgres::Config,
    plan: &Plan,
    wire: WireMode,
    verify: Verify,
) -> Result<postgres::Client, postgres::Error> {
    let mut config = config.clone();
    config.ssl_mode(wire);
    config.connect(tls::connector(verify, plan.roots.as_ref()))
}

/// An error and its causes, as one line.
fn chain(error: &postgres::Error) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(current) = cause {
        text.push_str(": ");
        text.push_str(&current.to_string());
        cause = current.source();
    }
    text
}

fn only_local_sockets(config: &postgres::Config) -> bool {
    let hosts = config.get_hosts();
    !hosts.is_empty() && hosts.iter().all(|host| !matches!(host, Host::Tcp(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_parameters_leave_the_url_decoded_and_the_rest_stays() {
        let (rest, taken) = take_parameters(
            "postgres://ana@db/graph?connect_timeout=5&sslmode=verify-full&sslrootcert=%2Fetc%2Fca%20x.pem&application_name=a",
        );
        assert_eq!(
            rest,
            "postgres://ana@db/graph?connect_timeout=5&application_name=a"
        );
        assert_eq!(
            taken,
            [
                ("sslmode".to_owned(), "verify-full".to_owned()),
                ("sslrootcert".to_owned(), "/etc/ca x.pem".to_owned()),
            ]
        );
        let (rest, taken) = take_parameters("postgres://?service=team%20graphs");
        assert_eq!(rest, "postgres://");
        assert_eq!(taken, [("service".to_owned(), "team graphs".to_owned())]);
        assert_eq!(
            take_parameters("postgres://db/graph").0,
            "postgres://db/graph"
        );
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn a_service_fills_only_what_the_url_left_unset() {
        let mut config: postgres::Config = "postgres://ana@db.example:5434/graph".parse().unwrap();
        let mut tls = TlsSettings {
            mode: Some(SslMode::Require),
            root_cert: None,
        };
        let mut source = PasswordSource::None;
        let settings: Vec<(String, String)> = [
            ("host", "elsewhere"),
            ("port", "5433"),
            ("dbname", "other"),
            ("user", "bob"),
            ("password", "s3cret"),
            ("sslmode", "disable"),
            ("sslrootcert", "/ca.pem"),
            ("krbsrvname", "ignored"),
        ]
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .into();
        apply_service(&mut config, &mut tls, &mut source, &settings).unwrap();
        assert_eq!(config.get_hosts(), [Host::Tcp("db.example".to_owned())]);
        assert_eq!(config.get_ports(), [5434]);
        assert_eq!(config.get_dbname(), Some("graph"));
        assert_eq!(config.get_user(), Some("ana"));
        assert_eq!(config.get_password(), Some(&b"s3cret"[..]));
        assert_eq!(source, PasswordSource::Service);
        assert_eq!(tls.mode, Some(SslMode::Require));
        assert_eq!(tls.root_cert, Some(RootCert::File("/ca.pem".into())));
        // Where the URL names no host, the service gives it all.
        let mut empty: postgres::Config = "postgres://".parse().unwrap();
        apply_service(&mut empty, &mut tls, &mut source, &settings).unwrap();
        assert_eq!(empty.get_hosts(), [Host::Tcp("elsewhere".to_owned())]);
        assert_eq!(empty.get_ports(), [5433]);
        assert_eq!(empty.get_dbname(), Some("other"));
        let bad = [("port".to_owned(), "fifty".to_owned())];
        let mut empty = postgres::Config::new();
        let error = apply_service(&mut empty, &mut tls, &mut source, &bad).unwrap_err();
        assert!(error.contains("port=\"fifty\""), "{error}");
    }

    #[test]
    fn the_keyring_key_names_user_host_port_and_database_never_the_password() {
        let key = |url: &str| PgTarget::new(url, "public").unwrap().keyring_key();
        assert_eq!(
            key("postgres://ana:s3cret@db.example/graphs"),
            "ana@db.example:5432/graphs"
        );
        assert_eq!(key("postgres://ana@[::1]:5433/g"), "ana@[::1]:5433/g");
        // The database defaults to the user's name, as the server takes it.
        assert_eq!(key("postgres://ana@db"), "ana@db:5432/ana");
    }

    #[test]
    fn a_typed_password_is_never_shown() {
        let password = Password::new("s3cret".to_owned());
        assert!(!format!("{password:?}").contains("s3cret"));
    }
}
