//! Service names (`--service NAME`, `?service=NAME`), as libpq reads
//! `pg_service.conf`: the user's file (`PGSERVICEFILE`, else
//! `~/.pg_service.conf`) first, then the system's (`PGSYSCONFDIR`'s
//! `pg_service.conf`, else Debian's `/etc/postgresql-common/`). The first
//! file that has a `[NAME]` section wins; its `key=value` lines are the
//! connection's settings where the URL gives none.

use std::path::{Path, PathBuf};

/// Debian's libpq looks here when `PGSYSCONFDIR` is unset.
const SYSTEM_DIR: &str = "/etc/postgresql-common";

/// A service's settings, in the file's order.
pub type Settings = Vec<(String, String)>;

/// The files searched for a service, in libpq's order.
pub fn files() -> Vec<PathBuf> {
    let user = std::env::var_os("PGSERVICEFILE")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pg_service.conf"))
        });
    let system = std::env::var_os("PGSYSCONFDIR")
        .map_or_else(|| PathBuf::from(SYSTEM_DIR), PathBuf::from)
        .join("pg_service.conf");
    user.into_iter().chain([system]).collect()
}

/// The settings of service `name` in the first of `files` that defines it.
pub fn lookup(name: &str, files: &[PathBuf]) -> Result<Settings, String> {
    for path in files {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(format!("service file {}: {error}", path.display())),
        };
        if let Some(settings) = section(&text, name, path)? {
            return Ok(settings);
        }
    }
    let searched: Vec<String> = files
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    Err(format!(
        "service {name:?} is not defined in {}",
        searched.join(" or ")
    ))
}

/// The `[name]` section of a file: `None` when it has none.
fn section(text: &str, name: &str, path: &Path) -> Result<Option<Settings>, String> {
    let mut inside = false;
    let mut found: Option<Settings> = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let Some(section) = header.strip_suffix(']') else {
                return Err(syntax(path, number, "a section header without its ]"));
            };
            if found.is_some() {
                // The section is over: libpq reads no further.
                break;
            }
            inside = section == name;
            if inside {
                found = Some(Vec::new());
            }
            continue;
        }
        if !inside {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(syntax(path, number, "a line that is not key=value"));
        };
        let key = key.trim();
        if key == "service" {
            return Err(syntax(path, number, "a service inside a service"));
        }
        if let Some(settings) = &mut found {
            settings.push((key.to_owned(), value.trim().to_owned()));
        }
    }
    Ok(found)
}

fn syntax(path: &Path, number: usize, what: &str) -> String {
    format!(
        "service file {}, line {}: {what}",
        path.display(),
        number + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_s_settings_are_read_and_the_first_file_wins() {
        let dir = tempfile::tempdir().unwrap();
        let user = dir.path().join("user.conf");
        let system = dir.path().join("system.conf");
        std::fs::write(
            &user,
            "# mine\n[other]\nhost=elsewhere\n\n[graphs]\nhost = db.example\nport=5433\n dbname=team\nuser=ana\nsslmode=verify-full\n[after]\nhost=x\n",
        )
        .unwrap();
        std::fs::write(
            &system,
            "[graphs]\nhost=system\n[shared]\nhost=shared.example\n",
        )
        .unwrap();
        let files = [dir.path().join("absent.conf"), user, system];
        assert_eq!(
            lookup("graphs", &files).unwrap(),
            [
                ("host", "db.example"),
                ("port", "5433"),
                ("dbname", "team"),
                ("user", "ana"),
                ("sslmode", "verify-full"),
            ]
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
        );
        assert_eq!(
            lookup("shared", &files).unwrap(),
            [("host".to_owned(), "shared.example".to_owned())]
        );
        let missing = lookup("nowhere", &files).unwrap_err();
        assert!(missing.contains("\"nowhere\" is not defined"), "{missing}");
        assert!(missing.contains("user.conf"), "{missing}");
    }

    #[test]
    fn a_broken_line_names_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.conf");
        std::fs::write(&path, "[graphs]\nhost=db\njust words\n").unwrap();
        let error = lookup("graphs", &[path]).unwrap_err();
        assert!(error.contains("broken.conf, line 3"), "{error}");
    }
}
