//! Passwords in the system keyring: the Secret Service on Linux (GNOME
//! Keyring, `KWallet`), the Keychain on macOS, the Credential Manager on
//! Windows. Each password is one entry of service [`SERVICE`] whose user is
//! the target's [`key`](super::PgTarget::keyring_key),
//! `user@host:port/database`, so that the password itself is never part of
//! what names it.
//!
//! Where there is no keyring (no D-Bus session, no Secret Service, a locked
//! collection that would prompt), a lookup gives up after [`LOOKUP_LIMIT`]:
//! connecting goes on to the prompt, never fails or hangs because of it.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};

/// The keyring service every entry of linkscope's is filed under.
pub const SERVICE: &str = "linkscope";

/// How long a lookup may take before connecting goes on without it.
const LOOKUP_LIMIT: Duration = Duration::from_secs(3);

/// How long storing or forgetting may take: the keyring may ask the user
/// to unlock it first.
const CHANGE_LIMIT: Duration = Duration::from_secs(60);

/// Why the keyring could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    #[error("the system keyring did not answer within {0} seconds")]
    Timeout(u64),
    #[error(
        "there is no system keyring to use ({0}); on Linux a Secret Service (GNOME Keyring, KWallet) must run in the desktop session"
    )]
    Unavailable(String),
    #[error("the system keyring refused: {0}")]
    Refused(String),
}

impl KeyringError {
    fn from_keyring(error: &keyring_core::Error) -> Self {
        match error {
            keyring_core::Error::NoDefaultStore
            | keyring_core::Error::NoStorageAccess(_)
            | keyring_core::Error::PlatformFailure(_) => Self::Unavailable(error.to_string()),
            other => Self::Refused(other.to_string()),
        }
    }
}

/// The password stored for `key`, if any. Every failure is only logged:
/// the keyring is one place among others to find a password.
pub(super) fn lookup(key: &str) -> Option<String> {
    let wanted = key.to_owned();
    let found = bounded(LOOKUP_LIMIT, move || match entry(&wanted)?.get_password() {
        Ok(password) => Ok(Some(password)),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(error) => Err(KeyringError::from_keyring(&error)),
    });
    match found {
        Ok(password) => {
            log::debug!(
                "system keyring: {} password for {key}",
                if password.is_some() { "a" } else { "no" }
            );
            password
        }
        Err(error) => {
            log::debug!("system keyring: not used for {key}: {error}");
            None
        }
    }
}

/// Stores `password` for `key`, replacing any stored before.
pub fn store(key: &str, password: &str) -> Result<(), KeyringError> {
    let (key, password) = (key.to_owned(), password.to_owned());
    bounded(CHANGE_LIMIT, move || {
        entry(&key)?
            .set_password(&password)
            .map_err(|error| KeyringError::from_keyring(&error))
    })
}

/// Removes the password stored for `key`; false when there was none.
pub fn forget(key: &str) -> Result<bool, KeyringError> {
    let key = key.to_owned();
    bounded(CHANGE_LIMIT, move || {
        match entry(&key)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(error) => Err(KeyringError::from_keyring(&error)),
        }
    })
}

/// `key`'s entry in a store opened for this one call: a keyring started
/// after linkscope is found, and no failed start is remembered.
fn entry(key: &str) -> Result<Entry, KeyringError> {
    let store = system_store().map_err(|error| KeyringError::from_keyring(&error))?;
    Entry::new_in_store(&store, SERVICE, key).map_err(|error| KeyringError::from_keyring(&error))
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn system_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn system_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn system_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(
    target_os = "macos",
    target_os = "windows",
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    )
)))]
fn system_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NoDefaultStore)
}

/// Runs `work` on a thread of its own and waits at most `limit` for it: a
/// keyring that never answers (a bus that accepts and says nothing, a
/// prompt nobody sees) costs that long, and the thread is left to end
/// when it does.
fn bounded<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> Result<T, KeyringError> + Send + 'static,
) -> Result<T, KeyringError> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("keyring".to_owned())
        .spawn(move || {
            let _ = sender.send(work());
        })
        .map_err(|error| KeyringError::Unavailable(error.to_string()))?;
    receiver
        .recv_timeout(limit)
        .unwrap_or(Err(KeyringError::Timeout(limit.as_secs())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyring_that_never_answers_costs_the_limit_only() {
        let started = std::time::Instant::now();
        let answer = bounded(Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(5));
            Ok(())
        });
        assert!(
            matches!(answer, Err(KeyringError::Timeout(0))),
            "{answer:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
