//! Which PostgreSQL database `--db` names, and the connection to it: a `postgres://` URL
//! (or `postgresql://`), completed as libpq would from `PGHOST`, `PGPORT`, `PGUSER`,
//! `PGPASSWORD`, `PGDATABASE`, a service file's section (`service=`, `PGSERVICE`) and the
//! password file (`PGPASSFILE` or `~/.pgpass`), encrypted as `sslmode` asks (`tls`).

use super::{service_file, tls};
use crate::store::{Result, StoreError};
use postgres::config::Host;
use postgres::config::SslMode;
use postgres::error::SqlState;
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
        Ok(t) => redacted_config(&t.config),
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

/// A database to connect to: the client's configuration and how the connection is
/// encrypted (libpq's `sslmode` and certificate files, which the client crate leaves to us).
#[derive(Clone, Debug)]
pub(crate) struct Target {
    /// Host, port, user, password, database, timeouts.
    pub(crate) config: Config,
    /// `sslmode`, `sslrootcert`, `sslcert`, `sslkey`.
    pub(crate) tls: tls::TlsChoice,
}

/// The parameters this module reads itself rather than `Config::from_str` (which knows
/// `sslmode` only as disable/prefer/require and none of the others).
const OWN_PARAMS: [&str; 5] = ["sslmode", "sslrootcert", "sslcert", "sslkey", "service"];

/// The target `url` names, completed as libpq would: the URL first, then its service's
/// settings (`service=` or `PGSERVICE`), then `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`,
/// `PGDATABASE`, `PGSSLMODE`…, then the password file.
pub(crate) fn config_of(url: &str) -> Result<Target> {
    let bad = |why: String| StoreError::Engine(PathBuf::from(redacted_raw(url)), why);
    let (rest, own) = split_params(url.trim(), &OWN_PARAMS);
    let mut c = Config::from_str(&rest).map_err(|e| bad(format!("not a PostgreSQL URL: {e}")))?;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let setting = |k: &str| own.iter().rev().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let service = match setting("service").or_else(|| env("PGSERVICE")) {
        Some(name) => service_file::lookup(&name, &service_file::service_files()).map_err(bad)?,
        None => Vec::new(),
    };
    let from_service = |k: &str| service.iter().rev().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let chosen = |k: &str, var: &str| setting(k).or_else(|| from_service(k)).or_else(|| env(var));
    let root_cert = chosen("sslrootcert", "PGSSLROOTCERT");
    // As libpq: the machine's roots are asked for with `sslrootcert=system`, which makes
    // `verify-full` the default and refuses a mode that would not check the host's name.
    let system_roots = root_cert.as_deref() == Some("system");
    let tls = tls::TlsChoice {
        mode: match chosen("sslmode", "PGSSLMODE") {
            Some(m) => tls::SslMode::parse(&m).ok_or_else(|| {
                bad(format!("sslmode={m} is not a mode: disable, allow, prefer, require, verify-ca or verify-full"))
            })?,
            None if system_roots => tls::SslMode::VerifyFull,
            None => tls::SslMode::Prefer,
        },
        root_cert,
        cert: chosen("sslcert", "PGSSLCERT"),
        key: chosen("sslkey", "PGSSLKEY"),
    };
    if system_roots && tls.mode != tls::SslMode::VerifyFull {
        return Err(bad(format!(
            "sslrootcert=system (this machine's roots) goes with sslmode=verify-full only, not {}",
            tls.mode.name()
        )));
    }
    if c.get_hosts().is_empty() {
        match from_service("host").or_else(|| env("PGHOST")) {
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
        && let Some(p) = from_service("port").or_else(|| env("PGPORT"))
    {
        c.port(p.parse::<u16>().map_err(|_| bad(format!("port {p} is not a port number (1 to 65535)")))?);
    }
    if c.get_user().is_none() {
        c.user(&from_service("user").or_else(|| env("PGUSER")).unwrap_or_else(crate::config::os_login));
    }
    if c.get_dbname().is_none() {
        let db = from_service("dbname")
            .or_else(|| env("PGDATABASE"))
            .or_else(|| c.get_user().map(str::to_string))
            .unwrap_or_default();
        c.dbname(&db);
    }
    if c.get_password().is_none() {
        if let Some(p) = from_service("password").or_else(|| env("PGPASSWORD")) {
            c.password(p);
        } else if let Some(p) = password_from_file(&c) {
            c.password(p);
        }
    }
    if c.get_application_name().is_none() {
        c.application_name(&from_service("application_name").unwrap_or_else(|| "prospect".into()));
    }
    if c.get_connect_timeout().is_none() {
        let secs = from_service("connect_timeout").and_then(|s| s.parse().ok()).unwrap_or(5);
        c.connect_timeout(std::time::Duration::from_secs(secs));
    }
    Ok(Target { config: c, tls })
}

/// `url` without the query parameters named in `own`, and those parameters' values
/// (percent-decoded), in order.
fn split_params(url: &str, own: &[&str]) -> (String, Vec<(String, String)>) {
    let Some((base, query)) = url.split_once('?') else { return (url.to_string(), Vec::new()) };
    let mut kept = Vec::new();
    let mut taken = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if own.contains(&k) {
            taken.push((k.to_string(), percent_decoded(v)));
        } else {
            kept.push(pair);
        }
    }
    let rest = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    (rest, taken)
}

/// `%2F` and the like as the bytes they stand for (`+` stays, as libpq leaves it).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b)))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `url` as typed, without what may be a password: the user information before `@` and a
/// `password=` parameter.
fn redacted_raw(url: &str) -> String {
    let url = match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}{}", &url[..s + 3], &url[at + 1..]),
        _ => url.to_string(),
    };
    match url.split_once('?') {
        Some((base, query)) => {
            let kept: Vec<&str> = query.split('&').filter(|p| !p.starts_with("password=")).collect();
            if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) }
        }
        None => url,
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

/// Connects with the encryption `sslmode` asks for, telling a server that cannot be
/// reached (refused, down, timed out: worth waiting for) from one that answered with a
/// refusal (password, unknown database, a certificate not trusted: said at once).
pub(crate) fn connect(t: &Target, shown: &Path) -> Result<Client> {
    let refused = |why: String| StoreError::Engine(shown.to_path_buf(), why);
    let mut c = t.config.clone();
    // As libpq: no TLS over a Unix socket, whatever the mode (the server offers none there).
    let socket = c.get_hosts().iter().all(|h| matches!(h, Host::Unix(_)));
    let mode = if socket { tls::SslMode::Disable } else { t.tls.mode };
    let result = match mode {
        tls::SslMode::Disable => {
            c.ssl_mode(SslMode::Disable);
            c.connect(NoTls)
        }
        // Without encryption first, with it when the server refuses that.
        tls::SslMode::Allow => {
            c.ssl_mode(SslMode::Disable);
            match c.connect(NoTls) {
                Err(e) if e.as_db_error().is_some() => {
                    c.ssl_mode(SslMode::Require);
                    c.connect(t.tls.connector().map_err(refused)?)
                }
                other => other,
            }
        }
        // With encryption when the server offers it; without when the handshake fails.
        tls::SslMode::Prefer => {
            c.ssl_mode(SslMode::Prefer);
            match c.connect(t.tls.connector().map_err(refused)?) {
                Err(e) if is_tls(&e) => {
                    c.ssl_mode(SslMode::Disable);
                    c.connect(NoTls)
                }
                other => other,
            }
        }
        tls::SslMode::Require | tls::SslMode::VerifyCa | tls::SslMode::VerifyFull => {
            c.ssl_mode(SslMode::Require);
            c.connect(t.tls.connector().map_err(refused)?)
        }
    };
    result.map_err(|e| {
        if let Some(d) = e.as_db_error() {
            // Starting up, shutting down, too many clients: worth waiting for.
            let code = d.code();
            if *code == SqlState::CANNOT_CONNECT_NOW || *code == SqlState::TOO_MANY_CONNECTIONS {
                return StoreError::Unreachable(shown.to_path_buf(), d.message().to_string());
            }
            refused(d.message().to_string())
        } else if is_tls(&e) {
            let hint = match mode {
                tls::SslMode::VerifyCa | tls::SslMode::VerifyFull => {
                    "; the server's certificate must be signed by a root of sslrootcert \
                     and, for verify-full, name the host"
                }
                _ => "",
            };
            refused(format!("sslmode={}: {}{hint}", mode.name(), super::error::cause(&e)))
        } else if e.is_closed() || std::error::Error::source(&e).is_none_or(|s| s.is::<std::io::Error>()) {
            // Refused, down, timed out, or closed before it answered.
            StoreError::Unreachable(shown.to_path_buf(), super::error::cause(&e))
        } else {
            // The configuration (a password missing…).
            refused(super::error::cause(&e))
        }
    })
}

/// Whether the connection failed in its TLS handshake: rustls' errors come wrapped in an
/// I/O error; the client's own (a server without TLS under `require`) name TLS.
fn is_tls(e: &postgres::Error) -> bool {
    let io_rustls = std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .is_some_and(|io| io.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()));
    io_rustls || e.to_string().contains("TLS")
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
        let said = config_of("postgres://h/crm?password=s3cret&sslmode=verify_full").unwrap_err().to_string();
        assert!(said.contains("verify_full") && !said.contains("s3cret"), "{said}");
        let said = config_of("postgres://h/crm?sslrootcert=system&sslmode=require").unwrap_err().to_string();
        assert!(said.contains("sslrootcert=system"), "{said}");
        assert_eq!(config_of("postgres://h/crm?sslrootcert=system").unwrap().tls.mode, tls::SslMode::VerifyFull);
    }

    #[test]
    fn our_own_parameters_leave_the_url_decoded_and_the_others_stay() {
        let (rest, own) = split_params(
            "postgres://a@h/db?sslmode=verify-full&application_name=x&sslrootcert=%2Fetc%2Froot.crt",
            &OWN_PARAMS,
        );
        assert_eq!(rest, "postgres://a@h/db?application_name=x");
        assert_eq!(own, [("sslmode".into(), "verify-full".into()), ("sslrootcert".into(), "/etc/root.crt".into())]);
        assert_eq!(percent_decoded("100%"), "100%");
        let t = config_of("postgres://a@h/db?sslmode=verify-ca").unwrap();
        assert_eq!(t.tls.mode, tls::SslMode::VerifyCa);
        assert_eq!(t.config.get_dbname(), Some("db"));
        let err = config_of("postgres://a:pw@h/db?sslmode=on").unwrap_err().to_string();
        assert!(err.contains("sslmode=on is not a mode") && !err.contains("pw"), "{err}");
    }

    /// The connection is encrypted as `sslmode` says, on the test server (Debian's clusters
    /// have TLS on, with a certificate for `localhost` that the machine trusts).
    #[test]
    fn sslmode_decides_whether_the_connection_is_encrypted_and_checked() {
        let Some(admin) = super::super::scratch::server() else { return };
        let db = super::super::scratch::ScratchDb::create(&admin).unwrap();
        let on: String = {
            let mut c = Client::connect(&db.url, NoTls).unwrap();
            c.query_one("SHOW ssl", &[]).unwrap().get(0)
        };
        if on != "on" {
            eprintln!("the test server has TLS off: sslmode left untested");
            return;
        }
        let with = |params: &str| {
            let sep = if db.url.contains('?') { '&' } else { '?' };
            let url = format!("{}{sep}{params}", db.url);
            let t = config_of(&url).unwrap();
            connect(&t, Path::new("test")).map(|mut c| {
                c.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).unwrap().get::<_, bool>(0)
            })
        };
        let tcp = |url: &str| config_of(url).unwrap().config.get_hosts().iter().all(|h| matches!(h, Host::Tcp(_)));
        if !tcp(&db.url) {
            eprintln!("the test server is reached through a socket: sslmode left untested");
            return;
        }
        assert!(with("sslmode=require").unwrap());
        assert!(with("sslmode=prefer").unwrap());
        assert!(!with("sslmode=disable").unwrap());
        // A root file that does not sign the server's certificate: refused at once, said so.
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.pem");
        std::fs::write(&other, OTHER_ROOT).unwrap();
        let err = with(&format!("sslmode=verify-ca&sslrootcert={}", other.display())).unwrap_err();
        assert!(matches!(err, StoreError::Engine(..)), "{err:?}");
        let said = err.to_string();
        assert!(said.contains("sslmode=verify-ca") && said.contains("certificate"), "{said}");
        // A check with no root chosen is refused, as in libpq.
        if directories::BaseDirs::new().is_none_or(|d| !d.home_dir().join(".postgresql/root.crt").exists()) {
            let said = with("sslmode=verify-ca").unwrap_err().to_string();
            assert!(said.contains("sslrootcert=FILE"), "{said}");
        }
        // The server's own certificate as the root: checked and accepted.
        let cert: String =
            Client::connect(&db.url, NoTls).unwrap().query_one("SHOW ssl_cert_file", &[]).unwrap().get(0);
        if std::fs::read(&cert).is_ok() {
            assert!(with(&format!("sslmode=verify-ca&sslrootcert={cert}")).unwrap());
        }
    }

    /// A self-signed certificate that signs nothing on this machine.
    const OTHER_ROOT: &str = include_str!("tls_test_root.pem");

    #[test]
    fn pgpass_lines_split_on_unescaped_colons() {
        assert_eq!(split_pgpass(r"h:5432:*:bob:pa\:ss"), ["h", "5432", "*", "bob", "pa:ss"]);
    }
}
