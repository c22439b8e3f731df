//! `db migrate-to`: a file copied into an empty PostgreSQL database and back into a new file
//! gives the same data (exports, histories, ids never given twice), every table checked; a
//! target that holds data is refused and left as it was. The PostgreSQL cases run on a
//! scratch database of `PROSPECT_TEST_PG` and say in one line why they are left out without it.

use crate::common::Env;
use prospect::store::postgres::scratch::{self, ScratchDb};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The test server, or `None` said once.
fn server() -> Option<String> {
    let found = scratch::server();
    if found.is_none() {
        eprintln!("{}", scratch::unavailable());
    }
    found
}

/// `prospect --db <from> --json db migrate-to <to>`, expecting success: its report.
fn migrate(env: &Env, from: &Path, to: &str) -> Value {
    let out = env.cmd_db(from).args(["--json", "db", "migrate-to", to]).output().unwrap();
    assert!(out.status.success(), "migrate-to {to} failed: {}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true, "{report:#}");
    report
}

/// What a user sees of the data at `db`: every kind exported as JSON, and a lead's history.
fn seen(env: &Env, db: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entity in ["lead", "contact", "company", "deal"] {
        let args = ["export", "--entity", entity, "--format", "json"];
        let o = env.cmd_db(db).args(["--user", "alice"]).args(args).output().unwrap();
        assert!(o.status.success(), "{entity}: {}", String::from_utf8_lossy(&o.stderr));
        out.push(String::from_utf8(o.stdout).unwrap());
    }
    let o = env.cmd_db(db).args(["--user", "alice", "--json", "lead", "show", "3"]).output().unwrap();
    out.push(String::from_utf8(o.stdout).unwrap());
    // The reports' tallies are made again on the target: the same figures at one instant.
    for report in [&["funnel"][..], &["funnel", "--entity", "deal"], &["conversion"], &["activity"]] {
        let o = env
            .cmd_db(db)
            .env("PROSPECT_NOW", "2026-12-15T10:00:00Z")
            .args(["--user", "alice", "--json", "report"])
            .args(report)
            .args(["--period", "year"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{report:?}: {}", String::from_utf8_lossy(&o.stderr));
        out.push(String::from_utf8(o.stdout).unwrap());
    }
    out
}

fn rows_of(report: &Value, table: &str) -> u64 {
    let tables = report["tables"].as_array().unwrap();
    tables.iter().find(|t| t["table"] == table).unwrap()["rows"].as_u64().unwrap()
}

#[test]
fn a_file_goes_to_postgresql_and_back_unchanged() {
    let Some(server) = server() else { return };
    let db = ScratchDb::create(&server).unwrap();
    let env = Env::new();
    env.ok(&["demo", "--leads", "200"]);
    env.json(&["lead", "comment", "3", "Call back on Monday"]);
    // Stages a lead has been in: the funnel counts what it reached, on the target too.
    for stage in ["NEW", "PROCESSED", "JUNK"] {
        env.json(&["lead", "move", "3", stage]);
    }
    // The newest lead deleted: its id is never given again, on either engine.
    let gone = env.json(&["lead", "add", "--title", "Short-lived"])["id"].as_i64().unwrap();
    env.json(&["lead", "delete", &gone.to_string()]);

    // A stage rule goes with its stage.
    env.ok(&["rule", "add", "--stage", "IN_PROCESS", "--comment", "Follow up {title}"]);

    let there = migrate(&env, &env.db, &db.url);
    assert_eq!(there["tables"].as_array().unwrap().len(), 32);
    assert_eq!(rows_of(&there, "stage_rules"), 1);
    assert_eq!(rows_of(&there, "leads"), 200);
    assert!(!there["target"].as_str().unwrap().contains(":prospect@"), "no password shown: {there}");

    assert_eq!(seen(&env, &PathBuf::from(&db.url)), seen(&env, &env.db), "the server holds the same");
    let back = env.dir.path().join("back.db");
    let again = migrate(&env, &PathBuf::from(&db.url), back.to_str().unwrap());
    assert_eq!(again["tables"], there["tables"], "the same rows and checksums each way");
    assert_eq!(seen(&env, &back), seen(&env, &env.db));

    let next = env.cmd_db(&back).args(["--user", "alice", "--json", "lead", "add", "--title", "New"]).output().unwrap();
    let next: Value = serde_json::from_slice(&next.stdout).unwrap();
    assert!(next["id"].as_i64().unwrap() > gone, "{next}");
    let check = env.cmd_db(&back).args(["db", "check"]).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let found = env.cmd_db(&back).args(["--user", "alice", "search", "Short-lived"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&found.stdout).contains("Short-lived"));
}

#[test]
fn a_database_is_checked_repaired_vacuumed_and_backed_up_to_a_file() {
    let Some(server) = server() else { return };
    let db = ScratchDb::create(&server).unwrap();
    let env = Env::new();
    env.ok(&["demo", "--leads", "50"]);
    migrate(&env, &env.db, &db.url);
    let url = PathBuf::from(&db.url);
    let fresh = env.cmd_db(&url).args(["db", "check"]).output().unwrap();
    assert!(fresh.status.success(), "a copy is whole: {}", String::from_utf8_lossy(&fresh.stdout));
    let check = env.cmd_db(&url).args(["--json", "db", "check", "--repair"]).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let check: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(check["ok"], true, "{check}");
    let vacuum = env.cmd_db(&url).args(["--json", "db", "vacuum"]).output().unwrap();
    assert!(vacuum.status.success(), "{}", String::from_utf8_lossy(&vacuum.stderr));

    let copy = env.dir.path().join("backup.db");
    let out = env.cmd_db(&url).args(["db", "backup"]).arg(&copy).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(seen(&env, &copy), seen(&env, &env.db));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "owner only: {mode:o}");
    }
    // Never over an existing file, nor through a link.
    let out = env.cmd_db(&url).args(["db", "backup"]).arg(&copy).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let link = env.dir.path().join("link.db");
    std::os::unix::fs::symlink(env.dir.path().join("nowhere.db"), &link).unwrap();
    let out = env.cmd_db(&url).args(["db", "backup"]).arg(&link).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
}

#[test]
fn a_target_holding_data_is_refused_and_left_alone() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Mine"]);
    let other = Env::new();
    other.json(&["lead", "add", "--title", "Theirs"]);
    let before = std::fs::read(&other.db).unwrap();
    let out = env.cmd().args(["db", "migrate-to"]).arg(&other.db).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("already holds Prospect data") && stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(std::fs::read(&other.db).unwrap(), before, "the target is unchanged");

    let Some(server) = server() else { return };
    let db = ScratchDb::create(&server).unwrap();
    migrate(&other, &other.db, &db.url);
    let out = env.cmd().args(["--lang", "fr", "db", "migrate-to", &db.url]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("contient déjà des données Prospect"), "{stderr}");
    // Read back through a copy: the database still holds their one lead only.
    let count = migrate(&other, Path::new(&db.url), other.dir.path().join("count.db").to_str().unwrap());
    assert_eq!(rows_of(&count, "leads"), 1, "only theirs: {count}");
}

/// What `seen` shows with every instant taken out (`*_at`, a timeline entry's `at`): each
/// demo stamps its records from the instant it runs. Timeline entries lose their ids too:
/// each engine numbers a lead's entries in the order it writes them (a file's load a lead
/// with its activities, a server's a handful of leads, then their activities).
fn timeless(seen: Vec<String>) -> Vec<Value> {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.retain(|k, _| k != "at" && !k.ends_with("_at"));
                if let Some(Value::Array(entries)) = map.get_mut("timeline") {
                    entries.iter_mut().filter_map(Value::as_object_mut).for_each(|e| {
                        e.remove("id");
                    });
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    seen.iter()
        .map(|s| {
            let mut v: Value = serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"));
            strip(&mut v);
            v
        })
        .collect()
}

/// The demo's load on PostgreSQL writes its own way (a handful of records per statement) the
/// very records a file's load writes: copied to a file, it exports the same as a file's demo
/// of the same seed, ids, stages, repeat leads and activities alike.
#[test]
fn a_postgresql_demo_copied_to_a_file_exports_the_same_as_a_files_demo() {
    let Some(pg) = Env::postgres() else { return };
    let file = Env::new();
    for env in [&pg, &file] {
        env.ok(&["demo", "--leads", "300", "--seed", "11"]);
    }
    let copy = pg.dir.path().join("copy.db");
    migrate(&pg, &pg.db, copy.to_str().unwrap());
    let (there, here) = (timeless(seen(&pg, &copy)), timeless(seen(&file, &file.db)));
    assert_eq!(there.len(), here.len());
    for (a, b) in there.iter().zip(&here) {
        assert!(a != &Value::Null && a.as_array().is_none_or(|a| !a.is_empty()), "something exported: {a}");
        assert_eq!(a, b);
    }
}
