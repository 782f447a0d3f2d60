//! TLS to the server, through rustls: `sslmode` and `sslrootcert` as libpq
//! reads them (the URL, a service file, then `PGSSLMODE` and
//! `PGSSLROOTCERT`), mapped onto the client crate's three modes and a
//! rustls configuration that verifies what the mode asks for.
//!
//! One departure from libpq, so that TLS is verified by default: under the
//! default `prefer`, a certificate the server presents is verified in full
//! (its chain and the host name). libpq's `prefer` verifies nothing; here
//! `sslmode=require` is the way to ask for encryption without verification.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use postgres::config::SslMode as WireMode;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// libpq's six `sslmode` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    /// In the clear first; TLS (unverified) only when the server insists.
    Allow,
    /// TLS when the server offers it (verified, see the module's note).
    Prefer,
    /// TLS or nothing; the certificate is checked only against a root file.
    Require,
    /// TLS, the certificate's chain verified but not the host name.
    VerifyCa,
    /// TLS, the chain and the host name verified.
    VerifyFull,
}

impl SslMode {
    pub fn parse(text: &str) -> Result<Self, String> {
        Ok(match text {
            "disable" => Self::Disable,
            "allow" => Self::Allow,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            _ => {
                return Err(format!(
                    "sslmode {text:?} is not one of disable, allow, prefer, require, verify-ca, verify-full"
                ));
            }
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Allow => "allow",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

/// Where the trusted roots come from (`sslrootcert`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RootCert {
    /// A PEM file of CA certificates.
    File(PathBuf),
    /// `sslrootcert=system`: the operating system's trusted roots.
    System,
}

impl RootCert {
    pub fn parse(text: &str) -> Self {
        if text == "system" {
            Self::System
        } else {
            Self::File(PathBuf::from(text))
        }
    }
}

/// The TLS settings of a target, each unset until something sets it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsSettings {
    pub mode: Option<SslMode>,
    pub root_cert: Option<RootCert>,
}

/// What the certificate is checked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verify {
    Nothing,
    Chain,
    ChainAndName,
}

/// How to connect: the client crate's mode and what is verified, then,
/// for `allow`, the try with TLS after a refusal in the clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub mode: SslMode,
    pub wire: WireMode,
    pub verify: Verify,
    pub roots: Option<RootCert>,
}

impl TlsSettings {
    /// Fills what is unset from `PGSSLMODE` and `PGSSLROOTCERT`.
    pub fn with_environment(mut self) -> Result<Self, String> {
        if self.mode.is_none()
            && let Ok(mode) = std::env::var("PGSSLMODE")
        {
            self.mode = Some(SslMode::parse(&mode).map_err(|error| format!("PGSSLMODE: {error}"))?);
        }
        if self.root_cert.is_none()
            && let Some(path) = std::env::var_os("PGSSLROOTCERT")
        {
            self.root_cert = Some(RootCert::parse(&path.to_string_lossy()));
        }
        Ok(self)
    }

    /// The plan for these settings. `default_root` is libpq's
    /// `~/.postgresql/root.crt` when it exists: with it, `require` checks
    /// the chain, as libpq does.
    pub fn plan(&self, default_root: Option<&Path>) -> Result<Plan, String> {
        let given = self.root_cert.clone();
        let system = given == Some(RootCert::System);
        let mode = match self.mode {
            // libpq: sslrootcert=system makes verify-full the default,
            // and refuses a weaker mode.
            None if system => SslMode::VerifyFull,
            None => SslMode::Prefer,
            Some(mode) => mode,
        };
        if system && mode != SslMode::VerifyFull {
            return Err(format!(
                "sslmode={} may not be used with sslrootcert=system (use verify-full)",
                mode.name()
            ));
        }
        let roots = given.or_else(|| default_root.map(|path| RootCert::File(path.to_owned())));
        let (wire, verify) = match mode {
            SslMode::Disable | SslMode::Allow => (WireMode::Disable, Verify::Nothing),
            SslMode::Prefer => (WireMode::Prefer, Verify::ChainAndName),
            SslMode::Require if roots.is_some() => (WireMode::Require, Verify::Chain),
            SslMode::Require => (WireMode::Require, Verify::Nothing),
            SslMode::VerifyCa => (WireMode::Require, Verify::Chain),
            SslMode::VerifyFull => (WireMode::Require, Verify::ChainAndName),
        };
        Ok(Plan {
            mode,
            wire,
            verify,
            roots,
        })
    }
}

/// libpq's default root file, `~/.postgresql/root.crt`, when it exists.
pub fn default_root_file() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    Some(PathBuf::from(home).join(".postgresql/root.crt")).filter(|path| path.is_file())
}

/// The connector for `verify`. Roots that cannot be loaded fail the
/// handshake with the reason, and only then: a server that offers no TLS
/// under `prefer` is reached all the same, as libpq does.
pub fn connector(
    verify: Verify,
    roots: Option<&RootCert>,
) -> tokio_postgres_rustls::MakeRustlsConnect {
    #[allow(
        deprecated,
        reason = "ring, not aws-lc-rs, which would need cmake to build; ring has no post-quantum key exchange"
    )]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier: Arc<dyn ServerCertVerifier> = match verify {
        Verify::Nothing => Arc::new(NoVerification(Arc::clone(&provider))),
        Verify::Chain | Verify::ChainAndName => {
            let built = load_roots(roots).and_then(|store| {
                WebPkiServerVerifier::builder_with_provider(Arc::new(store), Arc::clone(&provider))
                    .build()
                    .map_err(|error| format!("the trusted roots cannot be used: {error}"))
            });
            match built {
                Ok(webpki) if verify == Verify::Chain => Arc::new(ChainOnly(webpki)),
                Ok(webpki) => webpki,
                Err(reason) => Arc::new(Unverifiable {
                    reason,
                    provider: Arc::clone(&provider),
                }),
            }
        }
    };
    // The builder only fails for protocol versions the provider lacks;
    // ring has both of the defaults.
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap_or_else(|_| unreachable!("ring supports TLS 1.2 and 1.3"))
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    tokio_postgres_rustls::MakeRustlsConnect::new(config)
}

fn load_roots(roots: Option<&RootCert>) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    match roots {
        Some(RootCert::File(path)) => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                .map_err(|error| format!("sslrootcert {}: {error}", path.display()))?;
            let (added, _) = store.add_parsable_certificates(certs);
            if added == 0 {
                return Err(format!(
                    "sslrootcert {}: no certificate in it",
                    path.display()
                ));
            }
        }
        Some(RootCert::System) | None => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                return Err(
                    "no trusted root certificates on this system to verify the server with: give the server's CA with sslrootcert=FILE"
                        .to_owned(),
                );
            }
        }
    }
    Ok(store)
}

/// `verify-ca`: the chain as webpki checks it, the host name not.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // webpki checks the name last, after the chain: a name error means
        // the chain was good.
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// Roots that could not be loaded: every certificate fails, with why.
#[derive(Debug)]
struct Unverifiable {
    reason: String,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Unverifiable {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Err(rustls::Error::General(self.reason.clone()))
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General(self.reason.clone()))
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General(self.reason.clone()))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// `require` (and `allow`) without a root file: encrypted, any certificate
/// accepted, as libpq does. The handshake's signatures are still checked.
#[derive(Debug)]
struct NoVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// What a failed handshake means to the user, with the way out, when the
/// failure was the certificate's (`None` otherwise).
pub fn explain(error: &postgres::Error, host: &str, plan: &Plan) -> Option<String> {
    let tls_error = rustls_error(error)?;
    let mode = plan.mode.name();
    let certificate = match tls_error {
        rustls::Error::InvalidCertificate(certificate) => certificate,
        rustls::Error::General(reason) => {
            return Some(format!(
                "the server's certificate cannot be verified (sslmode={mode}): {reason}"
            ));
        }
        other => return Some(format!("the TLS handshake failed: {other}")),
    };
    let roots = match &plan.roots {
        Some(RootCert::File(path)) => format!("the roots in {}", path.display()),
        Some(RootCert::System) | None => "the system's trusted roots".to_owned(),
    };
    Some(match certificate {
        CertificateError::UnknownIssuer => format!(
            "the server's certificate is not signed by an authority trusted here ({roots}; sslmode={mode}): give its CA with sslrootcert=FILE, or use sslmode=require to encrypt without verifying"
        ),
        CertificateError::NotValidForName => format!(
            "the server's certificate is not valid for the host name {host} (sslmode={mode}): connect by a name the certificate gives, or use sslmode=verify-ca to check its authority only"
        ),
        CertificateError::NotValidForNameContext { presented, .. } => {
            // rustls gives the names as `DnsName("db.example")`.
            let names: Vec<&str> = presented
                .iter()
                .map(|name| {
                    name.trim_start_matches("DnsName(\"")
                        .trim_end_matches("\")")
                })
                .collect();
            format!(
                "the server's certificate is not valid for the host name {host}, only for {} (sslmode={mode}): connect by a name the certificate gives, or use sslmode=verify-ca to check its authority only",
                names.join(", ")
            )
        }
        other => format!(
            "the server's certificate was refused ({other:?}; sslmode={mode}): use sslmode=require to encrypt without verifying"
        ),
    })
}

/// The rustls error behind a client error, through the I/O error that
/// tokio-rustls wraps it in.
fn rustls_error(error: &postgres::Error) -> Option<&rustls::Error> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(current) = cause {
        if let Some(found) = current.downcast_ref::<rustls::Error>() {
            return Some(found);
        }
        if let Some(found) = current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(found);
        }
        cause = current.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(mode: Option<&str>, root: Option<&str>) -> TlsSettings {
        TlsSettings {
            mode: mode.map(|mode| SslMode::parse(mode).unwrap()),
            root_cert: root.map(RootCert::parse),
        }
    }

    #[test]
    fn every_libpq_mode_maps_onto_a_wire_mode_and_what_is_verified() {
        let cases = [
            (None, None, WireMode::Prefer, Verify::ChainAndName),
            (Some("disable"), None, WireMode::Disable, Verify::Nothing),
            (Some("allow"), None, WireMode::Disable, Verify::Nothing),
            (Some("prefer"), None, WireMode::Prefer, Verify::ChainAndName),
            (Some("require"), None, WireMode::Require, Verify::Nothing),
            (
                Some("require"),
                Some("/ca.pem"),
                WireMode::Require,
                Verify::Chain,
            ),
            (Some("verify-ca"), None, WireMode::Require, Verify::Chain),
            (
                Some("verify-full"),
                Some("/ca.pem"),
                WireMode::Require,
                Verify::ChainAndName,
            ),
            (
                None,
                Some("system"),
                WireMode::Require,
                Verify::ChainAndName,
            ),
        ];
        for (mode, root, wire, verify) in cases {
            let plan = settings(mode, root).plan(None).unwrap();
            assert_eq!(
                (plan.wire, plan.verify),
                (wire, verify),
                "{mode:?} {root:?}"
            );
        }
        // libpq's ~/.postgresql/root.crt turns require into a chain check.
        let plan = settings(Some("require"), None)
            .plan(Some(Path::new("/home/ana/.postgresql/root.crt")))
            .unwrap();
        assert_eq!(plan.verify, Verify::Chain);
        assert_eq!(
            plan.roots,
            Some(RootCert::File("/home/ana/.postgresql/root.crt".into()))
        );
    }

    #[test]
    fn bad_modes_and_weak_modes_with_system_roots_are_refused() {
        assert!(SslMode::parse("verify_full").is_err());
        assert!(SslMode::parse("REQUIRE").is_err());
        for weak in ["disable", "allow", "prefer", "require", "verify-ca"] {
            let refused = settings(Some(weak), Some("system")).plan(None);
            assert!(
                refused
                    .unwrap_err()
                    .contains("may not be used with sslrootcert=system"),
                "{weak}"
            );
        }
    }

    #[test]
    fn a_root_file_without_certificates_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let error = load_roots(Some(&RootCert::File(empty))).unwrap_err();
        assert!(error.contains("empty.pem: no certificate"), "{error}");
        let missing = dir.path().join("missing.pem");
        let error = load_roots(Some(&RootCert::File(missing))).unwrap_err();
        assert!(error.contains("missing.pem"), "{error}");
    }
}
