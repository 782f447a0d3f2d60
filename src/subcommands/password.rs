//! `linkscope password store|forget URL`: a server's password in the system
//! keyring, put there without another tool.

use std::io::{BufRead as _, IsTerminal as _};
use std::process::ExitCode;

use linkscope::postgres::{PgTarget, keyring};

use crate::cli::PasswordAction;

pub(crate) fn password(action: PasswordAction) -> anyhow::Result<ExitCode> {
    match action {
        PasswordAction::Store { url } => store(&url),
        PasswordAction::Forget { url } => forget(&url),
    }
}

/// The target named as connecting names it (a service file's settings
/// included), so that the key stored is the key looked up.
fn target(url: &str) -> anyhow::Result<PgTarget> {
    Ok(PgTarget::new(url, "public")?)
}

fn store(url: &str) -> anyhow::Result<ExitCode> {
    let target = target(url)?;
    let key = target.keyring_key();
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Password to store for {key}: "))
            .map_err(|error| anyhow::anyhow!("could not read the password: {error}"))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|error| anyhow::anyhow!("could not read the password: {error}"))?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    };
    if password.is_empty() {
        anyhow::bail!("no password was given: nothing stored for {key}");
    }
    keyring::store(&key, &password)
        .map_err(|error| anyhow::anyhow!("could not store the password for {key}: {error}"))?;
    println!("stored the password for {key} in the system keyring");
    Ok(ExitCode::SUCCESS)
}

fn forget(url: &str) -> anyhow::Result<ExitCode> {
    let key = target(url)?.keyring_key();
    let removed = keyring::forget(&key)
        .map_err(|error| anyhow::anyhow!("could not forget the password for {key}: {error}"))?;
    if removed {
        println!("forgot the password for {key}");
    } else {
        println!("the system keyring held no password for {key}");
    }
    Ok(ExitCode::SUCCESS)
}
