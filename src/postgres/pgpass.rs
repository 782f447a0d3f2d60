//! The password file (`PGPASSFILE`, else `~/.pgpass`), as libpq reads it:
//! lines of `host:port:database:user:password`, `*` matching anything,
//! `\:` and `\\` escaped, the first matching line winning. Like libpq, a
//! file that others may read is ignored.

use std::path::PathBuf;

/// The password for `config`'s first host, port, database and user.
pub fn lookup(config: &postgres::Config) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))?;
    if !is_private(&path) {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => host.clone(),
        _ => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config
        .get_user()
        .map(str::to_owned)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_default();
    let database = config.get_dbname().unwrap_or(&user).to_owned();
    find(&text, [&host, &port, &database, &user])
}

fn find(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split(line);
            if fields.len() != 5 {
                return None;
            }
            let matches = fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, wanted)| field == "*" || field == wanted);
            matches.then(|| fields[4].clone())
        })
}

/// A line's fields, with `\:` and `\\` unescaped.
fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(field) = fields.last_mut()
                {
                    field.push(next);
                }
            }
            ':' => fields.push(String::new()),
            _ => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(unix)]
#[allow(
    clippy::verbose_bit_mask,
    reason = "no permission for group or others, as libpq checks it"
)]
fn is_private(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path)
        .is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn is_private(path: &std::path::Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_wins_with_wildcards_and_escapes() {
        let text =
            "# comment\nother:5432:*:ana:wrong\ndb\\:1:*:graph:ana:pa\\:ss\n*:*:*:ana:fallback\n";
        assert_eq!(
            find(text, ["db:1", "5433", "graph", "ana"]),
            Some("pa:ss".into())
        );
        assert_eq!(
            find(text, ["db", "5433", "graph", "ana"]),
            Some("fallback".into())
        );
        assert_eq!(find(text, ["db", "5433", "graph", "bob"]), None);
    }
}
