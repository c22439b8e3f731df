//! The shared-file promise (SPEC S1-S6) under load: six writers at once doing hundreds of mixed
//! operations each, and writers killed with SIGKILL mid-flight. Every operation a process
//! reported as done must be in the file, no increment may be lost, the file must stay intact,
//! and nobody may see "database is locked".

#[path = "../common/mod.rs"]
mod common;
use common::Env;
use rusqlite::Connection;
use serde_json::Value;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

const WRITERS: usize = 6;
const OPS: usize = 160;

/// `prospect --db FILE --user LOGIN --json ARGS`, with a clean environment.
fn prospect(env: &Env, user: &str, args: &[&str]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("prospect"));
    c.env_clear()
        .env("PROSPECT_CONFIG", env.dir.path().join("no-config.toml"))
        .env("LANG", "C")
        .env("HOME", env.dir.path())
        .arg("--db")
        .arg(&env.db)
        .arg("--user")
        .arg(user)
        .arg("--json")
        .args(args)
        .stdin(Stdio::null());
    c
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// What one writer saw acknowledged.
#[derive(Default, Debug)]
struct Acked {
    /// (lead id, title) created.
    created: Vec<(i64, String)>,
    /// Increments of the shared counter that reported success.
    shared_increments: i64,
    /// Increments of the writer's own counter.
    own_increments: i64,
    /// Per own lead: the last comments value written.
    last_edit: Vec<(i64, String)>,
    /// Per own lead: stage code after its acknowledged moves.
    stage: Vec<(i64, &'static str)>,
    /// Timeline comments added, per lead.
    comments: Vec<(i64, usize)>,
    /// Activities planned (subjects).
    activities: Vec<String>,
    /// Conflicts met (and retried) on the shared counter.
    conflicts: usize,
    /// Reads done.
    reads: usize,
    /// Anything that failed, with stderr.
    failures: Vec<String>,
    /// Every stderr line, to look for "locked".
    stderr: String,
}

fn bump<T: PartialEq>(list: &mut Vec<(T, usize)>, key: T) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => *n += 1,
        None => list.push((key, 1)),
    }
}

fn set<T: PartialEq, V>(list: &mut Vec<(T, V)>, key: T, value: V) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, v)) => *v = value,
        None => list.push((key, value)),
    }
}

/// Reads a lead's version and amount (minor units).
fn version_and_amount(env: &Env, user: &str, id: i64, acked: &mut Acked) -> Option<(i64, i64)> {
    let out = prospect(env, user, &["lead", "show", &id.to_string()]).output().unwrap();
    acked.stderr.push_str(&String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        acked.failures.push(format!("show {id}: {}", String::from_utf8_lossy(&out.stderr)));
        return None;
    }
    let v = json_of(&out);
    Some((v["version"].as_i64()?, v["amount_minor"].as_i64()?))
}

/// Adds one (major unit) to a lead's amount with an optimistic version check, retrying on
/// conflict: the classic read-modify-write that a lost update would break.
fn increment(env: &Env, user: &str, id: i64, acked: &mut Acked) -> bool {
    for _ in 0..200 {
        let Some((version, minor)) = version_and_amount(env, user, id, acked) else { return false };
        let amount = format!("{}", minor / 100 + 1);
        let out = prospect(
            env,
            user,
            &["lead", "edit", &id.to_string(), "--amount", &amount, "--if-version", &version.to_string()],
        )
        .output()
        .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        match out.status.code() {
            Some(0) => return true,
            Some(3) if err.contains("\"conflict\"") => {
                acked.conflicts += 1;
                continue;
            }
            _ => {
                acked.stderr.push_str(&err);
                acked.failures.push(format!("increment {id}: {err}"));
                return false;
            }
        }
    }
    acked.failures.push(format!("increment {id}: 200 conflicts in a row"));
    false
}

fn writer(env: &Env, w: usize, shared: i64, own: i64, seed: u64) -> Acked {
    let user = format!("w{w}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut a = Acked::default();
    let run = |a: &mut Acked, args: &[&str]| -> Option<Value> {
        let out = prospect(env, &user, args).output().unwrap();
        a.stderr.push_str(&String::from_utf8_lossy(&out.stderr));
        if out.status.success() {
            Some(json_of(&out))
        } else {
            a.failures.push(format!("{args:?}: {}", String::from_utf8_lossy(&out.stderr)));
            None
        }
    };
    for n in 0..OPS {
        let own_leads: Vec<i64> = a.created.iter().map(|(id, _)| *id).collect();
        let pick = if own_leads.is_empty() { None } else { Some(own_leads[rng.usize(..own_leads.len())]) };
        match (n % 10, pick) {
            (0 | 1, _) | (_, None) => {
                let title = format!("w{w}-n{n}");
                if let Some(v) = run(
                    &mut a,
                    &[
                        "lead",
                        "add",
                        "--title",
                        &title,
                        "--phone",
                        &format!("06 1{w} {:02} {:02} 00", n / 100, n % 100),
                    ],
                ) {
                    let id = v["id"].as_i64().expect("an id");
                    a.created.push((id, title));
                }
            }
            (2, _) => {
                if increment(env, &user, shared, &mut a) {
                    a.shared_increments += 1;
                }
            }
            (3, _) => {
                if increment(env, &user, own, &mut a) {
                    a.own_increments += 1;
                }
            }
            (4, Some(id)) => {
                let text = format!("edit {n} by w{w}");
                if run(&mut a, &["lead", "edit", &id.to_string(), "--comments", &text]).is_some() {
                    set(&mut a.last_edit, id, text);
                }
            }
            (5, Some(id)) => {
                let now = a.stage.iter().find(|(k, _)| *k == id).map(|(_, s)| *s).unwrap_or("NEW");
                let next = match now {
                    "NEW" => "IN_PROCESS",
                    "IN_PROCESS" => "PROCESSED",
                    _ => "NEW",
                };
                if run(&mut a, &["lead", "move", &id.to_string(), next]).is_some() {
                    set(&mut a.stage, id, next);
                }
            }
            (6, Some(id)) => {
                if run(&mut a, &["lead", "comment", &id.to_string(), &format!("note {n} from w{w}")]).is_some() {
                    bump(&mut a.comments, id);
                }
            }
            (7, Some(id)) => {
                let subject = format!("w{w}-call-{n}");
                let args = [
                    "activity",
                    "add",
                    "--lead",
                    &id.to_string(),
                    "--kind",
                    "call",
                    "--subject",
                    &subject,
                    "--at",
                    "tomorrow 10:00",
                ];
                if run(&mut a, &args).is_some() {
                    a.activities.push(subject);
                }
            }
            (8, _) => {
                if run(&mut a, &["lead", "list", "--limit", "20"]).is_some() {
                    a.reads += 1;
                }
            }
            (_, Some(id)) => {
                let ok = if n % 20 == 9 {
                    run(&mut a, &["search", &format!("w{}", (w + 1) % WRITERS)])
                } else {
                    run(&mut a, &["lead", "show", &id.to_string()])
                };
                if ok.is_some() {
                    a.reads += 1;
                }
            }
        }
    }
    a
}

fn count(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> i64 {
    conn.query_row(sql, p, |r| r.get(0)).unwrap()
}

#[test]
fn six_writers_at_once_lose_nothing() {
    let env = Env::new();
    for w in 0..WRITERS {
        env.json(&["user", "add", &format!("w{w}")]);
    }
    let shared = env.json(&["lead", "add", "--title", "shared counter", "--amount", "0"])["id"].as_i64().unwrap();
    let owns: Vec<i64> = (0..WRITERS)
        .map(|w| {
            env.json(&["lead", "add", "--title", &format!("counter w{w}"), "--amount", "0"])["id"].as_i64().unwrap()
        })
        .collect();
    let seed = std::env::var("STRESS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| fastrand::u64(..));
    let env = Arc::new(env);
    let handles: Vec<_> = (0..WRITERS)
        .map(|w| {
            let env = Arc::clone(&env);
            let own = owns[w];
            std::thread::spawn(move || writer(&env, w, shared, own, seed ^ w as u64))
        })
        .collect();
    let results: Vec<Acked> = handles.into_iter().map(|h| h.join().unwrap()).collect();

    for (w, a) in results.iter().enumerate() {
        assert!(a.failures.is_empty(), "writer {w} (STRESS_SEED={seed}): {:#?}", a.failures);
        assert!(!a.stderr.to_lowercase().contains("locked"), "writer {w} saw a lock error: {}", a.stderr);
    }
    let conn = Connection::open(&env.db).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    assert_eq!(count(&conn, "SELECT count(*) FROM pragma_foreign_key_check", []), 0);

    // No lost update: the shared counter equals every acknowledged increment, as does each
    // writer's own counter.
    let total: i64 = results.iter().map(|a| a.shared_increments).sum();
    assert_eq!(count(&conn, "SELECT amount_minor FROM leads WHERE id = ?1", [shared]), total * 100);
    for (w, a) in results.iter().enumerate() {
        assert_eq!(count(&conn, "SELECT amount_minor FROM leads WHERE id = ?1", [owns[w]]), a.own_increments * 100);
        assert!(a.own_increments > 0 && a.shared_increments > 0, "writer {w} incremented nothing");
    }
    // Every acknowledged write is there.
    for a in &results {
        for (id, title) in &a.created {
            assert_eq!(count(&conn, "SELECT count(*) FROM leads WHERE id = ?1 AND title = ?2", (id, title)), 1);
        }
        for (id, text) in &a.last_edit {
            assert_eq!(count(&conn, "SELECT count(*) FROM leads WHERE id = ?1 AND comments = ?2", (id, text)), 1);
        }
        for (id, stage) in &a.stage {
            let sql =
                "SELECT count(*) FROM leads JOIN stages s ON s.id = leads.stage_id WHERE leads.id = ?1 AND s.code = ?2";
            assert_eq!(count(&conn, sql, (id, stage)), 1, "lead {id} not in {stage}");
        }
        for (id, n) in &a.comments {
            let sql = "SELECT count(*) FROM timeline WHERE entity = 'lead' AND entity_id = ?1 AND kind = 'comment'";
            assert_eq!(count(&conn, sql, [id]), *n as i64, "comments of lead {id}");
        }
        for subject in &a.activities {
            assert_eq!(count(&conn, "SELECT count(*) FROM activities WHERE subject = ?1", [subject]), 1);
        }
    }
    let created: usize = results.iter().map(|a| a.created.len()).sum();
    assert_eq!(count(&conn, "SELECT count(*) FROM leads", []), (created + 1 + WRITERS) as i64);
    let conflicts: usize = results.iter().map(|a| a.conflicts).sum();
    let reads: usize = results.iter().map(|a| a.reads).sum();
    eprintln!(
        "{WRITERS}×{OPS} operations: {created} leads, {total} shared increments ({conflicts} conflicts retried), {reads} reads"
    );
    drop(conn);
    let report = Command::new(assert_cmd::cargo::cargo_bin("prospect"))
        .env("PROSPECT_CONFIG", env.dir.path().join("no-config.toml"))
        .args(["--db", env.db.to_str().unwrap(), "--json", "db", "check"])
        .output()
        .unwrap();
    assert_eq!(json_of(&report)["ok"], true, "{}", String::from_utf8_lossy(&report.stdout));
}

/// Runs `lead add` after `lead add` until told to stop, recording each acknowledged title and
/// the running child's pid so it can be killed mid-write.
fn acking_writer(env: Arc<Env>, tag: String, stop: Arc<AtomicBool>, pid: Arc<AtomicU32>) -> Vec<String> {
    let mut acked = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        let title = format!("{tag}-{n}");
        // A long comment makes each write span several pages, so kills land inside it.
        let comments = "x".repeat(3000);
        let child = prospect(&env, "alice", &["lead", "add", "--title", &title, "--comments", &comments])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        pid.store(child.id(), Ordering::SeqCst);
        let out = child.wait_with_output().unwrap();
        pid.store(0, Ordering::SeqCst);
        if out.status.success() {
            acked.push(title);
        }
        n += 1;
    }
    acked
}

fn kill9(pid: u32) {
    if pid != 0 {
        // SAFETY: plain kill(2) on a child we spawned; a finished child only gives ESRCH.
        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    }
}

#[test]
fn writers_killed_mid_write_leave_an_intact_file_with_every_acknowledged_write() {
    let env = Arc::new(Env::new());
    env.json(&["lead", "add", "--title", "first"]);
    let seed = std::env::var("STRESS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| fastrand::u64(..));
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut all_acked: Vec<String> = Vec::new();
    let mut kills = 0;
    for round in 0..30 {
        let stop = Arc::new(AtomicBool::new(false));
        let pids: Vec<Arc<AtomicU32>> = (0..2).map(|_| Arc::new(AtomicU32::new(0))).collect();
        let writers: Vec<_> = pids
            .iter()
            .enumerate()
            .map(|(k, pid)| {
                let (env, stop, pid) = (Arc::clone(&env), Arc::clone(&stop), Arc::clone(pid));
                std::thread::spawn(move || acking_writer(env, format!("r{round}w{k}"), stop, pid))
            })
            .collect();
        // A bulk writer too: demo data is one long series of transactions.
        let mut demo: Child = prospect(&env, "alice", &["demo", "--leads", "300", "--seed", &round.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let until = Instant::now() + Duration::from_millis(rng.u64(150..600));
        while Instant::now() < until {
            std::thread::sleep(Duration::from_millis(rng.u64(20..80)));
            // Kill whichever acking writer is mid-command; its loop starts another.
            let victim = &pids[rng.usize(..pids.len())];
            let pid = victim.load(Ordering::SeqCst);
            if pid != 0 {
                kill9(pid);
                kills += 1;
            }
        }
        stop.store(true, Ordering::SeqCst);
        demo.kill().unwrap();
        let _ = demo.wait();
        kills += 1;
        for w in writers {
            all_acked.extend(w.join().unwrap());
        }
        // The next opener rolls back whatever a killed writer left half done.
        let conn = Connection::open(&env.db).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok", "round {round} (STRESS_SEED={seed})");
        for title in &all_acked {
            assert_eq!(
                count(&conn, "SELECT count(*) FROM leads WHERE title = ?1", [title]),
                1,
                "acknowledged {title} missing after round {round} (STRESS_SEED={seed})"
            );
        }
    }
    assert!(kills >= 30, "only {kills} kills");
    assert!(all_acked.len() > 30, "too few writes acknowledged: {}", all_acked.len());
    eprintln!("{kills} SIGKILLs, {} acknowledged writes, all present", all_acked.len());
    let out = prospect(&env, "alice", &["db", "check"]).output().unwrap();
    assert_eq!(json_of(&out)["ok"], true, "{}", String::from_utf8_lossy(&out.stdout));
}
