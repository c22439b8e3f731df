//! libpq's connection service files (`pg_service.conf`): a team writes its server's host,
//! port, database and TLS settings once, under a name, and each person connects with
//! `postgres://?service=office` or `PGSERVICE=office`. The user's file (`PGSERVICEFILE`, or
//! `~/.pg_service.conf`) is read before the system's (`PGSYSCONFDIR/pg_service.conf`, or
//! Debian's `/etc/postgresql-common/pg_service.conf`); the first with the section wins.

use std::path::PathBuf;

/// The settings of one named service, in file order: `host`, `port`, `dbname`, `user`,
/// `password`, `sslmode`, `sslrootcert`, … as libpq names them.
pub(crate) type ServiceSettings = Vec<(String, String)>;

/// The files libpq reads for services, the user's first.
pub(crate) fn service_files() -> Vec<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let mut files = Vec::new();
    match env("PGSERVICEFILE") {
        Some(f) => files.push(f),
        None => {
            if let Some(home) = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()) {
                files.push(home.join(".pg_service.conf"));
            }
        }
    }
    match env("PGSYSCONFDIR") {
        Some(dir) => files.push(dir.join("pg_service.conf")),
        None => files.push(PathBuf::from("/etc/postgresql-common/pg_service.conf")),
    }
    files
}

/// The settings of service `name` from the first of `files` that has its section, or a
/// message naming the files looked in.
pub(crate) fn lookup(name: &str, files: &[PathBuf]) -> Result<ServiceSettings, String> {
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        if let Some(settings) = section(&text, name) {
            return Ok(settings);
        }
    }
    let looked: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    Err(format!("service \"{name}\" is in none of the service files ({})", looked.join(", ")))
}

/// The `key=value` lines of section `[name]` of a service file, `#` starting a comment.
fn section(text: &str, name: &str) -> Option<ServiceSettings> {
    let mut inside = false;
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if inside {
                break;
            }
            inside = header.trim() == name;
            if inside {
                found = Some(Vec::new());
            }
            continue;
        }
        if inside
            && let Some((k, v)) = line.split_once('=')
            && let Some(settings) = found.as_mut()
        {
            settings.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# the office\n[office]\nhost=db.office\nport = 5433\ndbname=crm\n\n[other]\nhost=elsewhere\n";

    #[test]
    fn a_section_gives_its_own_lines_only() {
        let s = section(FILE, "office").unwrap();
        assert_eq!(
            s,
            [("host".into(), "db.office".into()), ("port".into(), "5433".into()), ("dbname".into(), "crm".into())]
        );
        assert_eq!(section(FILE, "other").unwrap(), [("host".to_string(), "elsewhere".to_string())]);
        assert!(section(FILE, "missing").is_none());
    }

    #[test]
    fn the_first_file_with_the_section_wins_and_a_missing_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (user, system) = (dir.path().join("user.conf"), dir.path().join("system.conf"));
        std::fs::write(&user, "[mine]\nhost=a\n").unwrap();
        std::fs::write(&system, "[mine]\nhost=b\n[office]\nhost=c\n").unwrap();
        let files = [user.clone(), system.clone()];
        assert_eq!(lookup("mine", &files).unwrap()[0].1, "a");
        assert_eq!(lookup("office", &files).unwrap()[0].1, "c");
        let err = lookup("nowhere", &files).unwrap_err();
        assert!(err.contains("\"nowhere\"") && err.contains("user.conf"), "{err}");
    }
}
