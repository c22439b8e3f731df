//! Scratch databases for tests and benches: a fresh, empty database on the server that
//! `PROSPECT_TEST_PG` names (a URL of a role allowed to create databases), dropped when
//! its guard goes. The whole suite runs on PostgreSQL through these; without the variable
//! the PostgreSQL tests say how to get a server in one line (`unavailable`), and fail when
//! `PROSPECT_REQUIRE_PG=1` (CI).

use postgres::{Client, NoTls};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A database made for one test, dropped (with its connections) when this goes.
pub struct ScratchDb {
    admin: String,
    name: String,
    /// The URL of the new database.
    pub url: String,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The role `.ci/postgres` makes on the local server: tried when `PROSPECT_TEST_PG` is unset.
pub const LOCAL_TEST_SERVER: &str = "postgres://prospect_test:prospect_test@localhost:5432/postgres";

/// The server the PostgreSQL tests use: `PROSPECT_TEST_PG`, else the local test role when it
/// answers. `None` when there is none (the caller says `unavailable()` once): the suite then
/// leaves its PostgreSQL cases out, unless `PROSPECT_REQUIRE_PG=1` asks it to fail.
pub fn server() -> Option<String> {
    static FOUND: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let found = FOUND.get_or_init(|| {
        std::env::var("PROSPECT_TEST_PG").ok().filter(|v| !v.is_empty()).or_else(|| {
            let mut config: postgres::Config = LOCAL_TEST_SERVER.parse().ok()?;
            config.connect_timeout(std::time::Duration::from_secs(2));
            config.connect(NoTls).ok().map(|_| LOCAL_TEST_SERVER.to_string())
        })
    });
    if found.is_none() && std::env::var("PROSPECT_REQUIRE_PG").is_ok_and(|v| v == "1") {
        panic!("PROSPECT_REQUIRE_PG=1: {}", unavailable());
    }
    found.clone()
}

/// One line saying why PostgreSQL cases were left out and how to run them.
pub fn unavailable() -> &'static str {
    "PostgreSQL cases left out: no server for the tests (run `.ci/postgres`, which starts the local one and makes \
     its test role, or set PROSPECT_TEST_PG=postgres://USER:PASSWORD@HOST/postgres for a role that may create databases)"
}

impl ScratchDb {
    /// A new empty database on the server of `admin_url`.
    pub fn create(admin_url: &str) -> Result<ScratchDb, postgres::Error> {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let name = format!("prospect_test_{}_{n}_{nanos}", std::process::id());
        let mut admin = Client::connect(admin_url, NoTls)?;
        admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"))?;
        Ok(ScratchDb { admin: admin_url.to_string(), url: with_dbname(admin_url, &name), name })
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&self.admin, NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// `url` naming database `name` instead of its own (its query string kept).
pub fn with_dbname(url: &str, name: &str) -> String {
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    format!("{root}/{name}{query}")
}

/// `url` connecting as `user` with `password` instead of its own credentials (a restricted
/// user's own role, in the rights cases).
pub fn with_user(url: &str, user: &str, password: &str) -> String {
    let Some(rest) = url.strip_prefix("postgres://").or_else(|| url.strip_prefix("postgresql://")) else {
        return url.to_string();
    };
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    format!("postgres://{user}:{password}@{host}")
}

/// Adds `login`, a Manager with their own database role of `password`, as the connection
/// of `owner` may (tests of a member's rights on the server). The role may be another test
/// run's (roles are the server's, not a database's): its password is set, turn about.
#[cfg(test)]
pub(crate) fn add_member(owner: &mut super::Store, login: &str, password: &str) {
    use crate::store::engine::Users;
    let new = crate::store::users::NewUser {
        login: login.into(),
        password: Some(password.into()),
        roles: vec!["Manager".into()],
        ..Default::default()
    };
    owner.add_user(&new).unwrap();
    let mut c = owner.client();
    let mut tx = c.transaction().unwrap();
    tx.execute("SELECT pg_advisory_xact_lock(505245350)", &[]).unwrap();
    let sql: String = tx
        .query_one("SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)", &[&login, &password])
        .unwrap()
        .get(0);
    tx.batch_execute(&sql).unwrap();
    tx.commit().unwrap();
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_database_name_is_replaced_and_the_options_kept() {
        assert_eq!(
            super::with_dbname("postgres://a:b@h:5/postgres?sslmode=disable", "x"),
            "postgres://a:b@h:5/x?sslmode=disable"
        );
        assert_eq!(super::with_dbname("postgres://h", "x"), "postgres://h/x");
    }
}
