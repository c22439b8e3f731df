//! Which PostgreSQL database `--db` names, and the connection to it: a `postgres://` URL
//! (or `postgresql://`), completed as libpq would from `PGHOST`, `PGPORT`, `PGUSER`,
//! `PGPASSWORD`, `PGDATABASE` and the password file (`PGPASSFILE` or `~/.pgpass`).

use crate::store::{Result, StoreError};
use postgres::config::Host;
use postgres::{Client, Config, NoTls};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Whether `--db` names a PostgreSQL database rather than a file.
pub fn is_url(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("postgres://") || t.starts_with("postgresql://")
}

/// `url` without its password, for messages.
pub fn redacted(url: &str) -> String {
    match config_of(url) {
        Ok(c) => redacted_config(&c),
        Err(_) => {
            // Not parsed: drop whatever sits between `://` and `@`.
            match (url.find("://"), url.rfind('@')) {
                (Some(s), Some(at)) if at > s => format!("{}{}", &url[..s + 3], &url[at + 1..]),
                _ => url.to_string(),
            }
        }
    }
}

/// The configuration as a URL without its password: `postgres://user@host:port/db`.
pub(crate) fn redacted_config(c: &Config) -> String {
    let user = c.get_user().map(|u| format!("{u}@")).unwrap_or_default();
    let host = match c.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string().replace('/', "%2F"),
        None => String::new(),
    };
    let port = c.get_ports().first().map(|p| format!(":{p}")).unwrap_or_default();
    let db = c.get_dbname().unwrap_or_default();
    format!("postgres://{user}{host}{port}/{db}")
}

/// The configuration of `url`, completed from libpq's variables and password file.
pub(crate) fn config_of(url: &str) -> Result<Config> {
    let mut c = Config::from_str(url.trim())
        .map_err(|e| StoreError::Engine(PathBuf::from(redacted_raw(url)), format!("not a PostgreSQL URL: {e}")))?;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if c.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(h) if h.starts_with('/') => {
                c.host_path(h);
            }
            Some(h) => {
                c.host(&h);
            }
            None if Path::new("/var/run/postgresql").is_dir() => {
                c.host_path("/var/run/postgresql");
            }
            None => {
                c.host("localhost");
            }
        }
    }
    if c.get_ports().is_empty()
        && let Some(p) = env("PGPORT").and_then(|p| p.parse::<u16>().ok())
    {
        c.port(p);
    }
    if c.get_user().is_none() {
        c.user(&env("PGUSER").unwrap_or_else(crate::config::os_login));
    }
    if c.get_dbname().is_none() {
        let db = env("PGDATABASE").or_else(|| c.get_user().map(str::to_string)).unwrap_or_default();
        c.dbname(&db);
    }
    if c.get_password().is_none() {
        if let Some(p) = env("PGPASSWORD") {
            c.password(p);
        } else if let Some(p) = password_from_file(&c) {
            c.password(p);
        }
    }
    if c.get_application_name().is_none() {
        c.application_name("prospect");
    }
    if c.get_connect_timeout().is_none() {
        c.connect_timeout(std::time::Duration::from_secs(5));
    }
    Ok(c)
}

fn redacted_raw(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}{}", &url[..s + 3], &url[at + 1..]),
        _ => url.to_string(),
    }
}

/// The password `~/.pgpass` (or `PGPASSFILE`) gives this host, port, database and user:
/// the first matching line of `host:port:database:user:password`, `*` matching anything.
fn password_from_file(c: &Config) -> Option<String> {
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match c.get_hosts().first()? {
        Host::Tcp(h) => h.clone(),
        Host::Unix(_) => "localhost".into(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432).to_string();
    let wanted = [host.as_str(), port.as_str(), c.get_dbname().unwrap_or(""), c.get_user().unwrap_or("")];
    text.lines().filter(|l| !l.trim_start().starts_with('#')).find_map(|line| {
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            return None;
        }
        let matches = fields[..4].iter().zip(wanted).all(|(f, w)| f == "*" || f == w);
        matches.then(|| fields[4].clone())
    })
}

/// A `.pgpass` line's fields: `:` separates, `\:` and `\\` stand for themselves.
fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().unwrap().push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

/// Connects, telling a server that cannot be reached (refused, down, timed out) from one
/// that answered with a refusal (password, unknown database).
pub(crate) fn connect(c: &Config, shown: &Path) -> Result<Client> {
    if c.get_ssl_mode() == postgres::config::SslMode::Require {
        return Err(StoreError::Engine(
            shown.to_path_buf(),
            "sslmode=require: this build of Prospect connects without TLS; use a server on the office network or an SSH tunnel, or sslmode=prefer".into(),
        ));
    }
    c.connect(NoTls).map_err(|e| {
        if e.as_db_error().is_some() {
            StoreError::Engine(
                shown.to_path_buf(),
                e.as_db_error().map(|d| d.message().to_string()).unwrap_or_default(),
            )
        } else {
            StoreError::Unreachable(shown.to_path_buf(), super::error::cause(&e))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths_and_shown_without_passwords() {
        assert!(is_url("postgres://a@h/db"));
        assert!(is_url("postgresql://h/db"));
        assert!(!is_url("crm.db"));
        assert!(!is_url("/tmp/postgres://x"));
        let shown = redacted("postgres://alice:secret@db.office:5433/crm");
        assert_eq!(shown, "postgres://alice@db.office:5433/crm");
        assert!(!redacted("postgres://alice:secret@[bad/crm").contains("secret"));
    }

    #[test]
    fn pgpass_lines_split_on_unescaped_colons() {
        assert_eq!(split_pgpass(r"h:5432:*:bob:pa\:ss"), ["h", "5432", "*", "bob", "pa:ss"]);
    }
}
