//! Several processes on one new file at once: the schema is created once (the migration
//! re-checks the version under an exclusive lock), busy writers wait and retry, and every
//! acknowledged write is in the file.

use crate::common::Env;
use prospect::store::RecordRef;
use std::process::Stdio;

#[test]
fn parallel_writers_on_a_brand_new_file() {
    let env = Env::new();
    // Create the admin first so that the other logins exist; then race on writes.
    env.json(&["user", "add", "bob"]);
    std::fs::remove_file(&env.db).unwrap();

    let mut children = Vec::new();
    for i in 0..6 {
        let script = format!(
            "for n in $(seq 1 15); do {bin} --db {db} --user alice lead add --title \"p{i}-$n\" >/dev/null || exit 1; done",
            bin = assert_cmd::cargo::cargo_bin("prospect").display(),
            db = env.db.display()
        );
        children.push(
            std::process::Command::new("sh")
                .arg("-c")
                .arg(script)
                .env("PROSPECT_CONFIG", env.dir.path().join("none.toml"))
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
    }
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "a writer failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let leads = env.json(&["lead", "list", "--limit", "1000"]);
    assert_eq!(leads.as_array().unwrap().len(), 90);
    for i in 0..6 {
        for n in 1..=15 {
            let title = format!("p{i}-{n}");
            assert!(leads.as_array().unwrap().iter().any(|l| l["title"] == title.as_str()), "{title} missing");
        }
    }
    assert_eq!(env.json(&["db", "check"])["ok"], true);
}

#[test]
fn default_file_lives_in_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = assert_cmd::Command::cargo_bin("prospect").unwrap();
    let out = c
        .env_clear()
        .env("HOME", dir.path())
        .env("PROSPECT_CONFIG", dir.path().join("none.toml"))
        .args(["db", "path"])
        .output()
        .unwrap();
    let path = String::from_utf8(out.stdout).unwrap();
    assert_eq!(path.trim(), dir.path().join(".local/share/prospect/prospect.db").to_str().unwrap());
    let mut c = assert_cmd::Command::cargo_bin("prospect").unwrap();
    let out = c
        .env_clear()
        .env("HOME", dir.path())
        .env("USER", "sam")
        .env("PROSPECT_CONFIG", dir.path().join("none.toml"))
        .args(["--json", "lead", "add", "--title", "First"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lead: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(lead["created_by"], "sam", "the OS login is the user, and the first user of a file");
    assert!(dir.path().join(".local/share/prospect/prospect.db").exists());
}

#[test]
fn queries_run_while_reading_see_one_state_of_the_file() {
    use prospect::domain::fields::Entity;
    let env = Env::new();
    let id = env.json(&["lead", "add", "--title", "First"])["id"].as_i64().unwrap();
    let mut store = prospect::service::Service::open(&env.db, Default::default()).unwrap();
    store.sign_in("alice").unwrap();
    let other = rusqlite::Connection::open(&env.db).unwrap();
    other.busy_timeout(std::time::Duration::ZERO).unwrap();
    let rename = || other.execute("UPDATE leads SET title = 'Renamed'", []);
    let title = |s: &prospect::service::Service| s.get(RecordRef::new(Entity::Lead, id)).map(|r| r.input_text("title"));
    let seen = store
        .reading(|s| {
            let before = title(s)?;
            // The shared lock is held between the queries: a writer cannot commit meanwhile.
            let refused = rename().unwrap_err().sqlite_error_code();
            Ok((before, refused, title(s)?))
        })
        .unwrap();
    assert_eq!(seen, ("First".to_string(), Some(rusqlite::ErrorCode::DatabaseBusy), "First".to_string()));
    // Once it ends, the writer gets in, and the next read sees it.
    rename().unwrap();
    assert_eq!(title(&store).unwrap(), "Renamed");
}
