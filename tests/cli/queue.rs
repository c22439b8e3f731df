//! The distribution queue (SPEC I6) through the real binary: round robin remembered across
//! processes and even when several processes take leads in at once, strict order, "to all"
//! with taking, inactive users skipped, every intake path (import, e-mail, JSON) and not
//! manual creation.

use crate::common::Env;
use std::collections::BTreeMap;
use std::process::Stdio;

fn setup() -> Env {
    let env = Env::new();
    for u in ["ann", "bob", "cat"] {
        env.json(&["user", "add", u]);
    }
    env
}

fn csv(env: &Env, name: &str, prefix: &str, n: usize) -> String {
    let path = env.dir.path().join(name);
    let mut text = String::from("Title,Email\n");
    for i in 0..n {
        text.push_str(&format!("{prefix} {i},{prefix}{i}@example.com\n"));
    }
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn owners(env: &Env) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for l in env.json(&["lead", "list", "--limit", "10000"]).as_array().unwrap() {
        let who = l["responsible"]["code"].as_str().unwrap_or("(nobody)").to_string();
        *out.entry(who).or_insert(0) += 1;
    }
    out
}

#[test]
fn round_robin_is_remembered_between_processes_and_skips_inactive_users() {
    let env = setup();
    let cfg = env.json(&["queue", "set", "--mode", "even", "--users", "ann,bob,cat"]);
    assert_eq!(cfg["mode"], "even");
    // Three separate imports of two rows each: six leads, two each.
    for k in 0..3 {
        let f = csv(&env, &format!("a{k}.csv"), &format!("batch{k}"), 2);
        env.json(&["import", &f]);
    }
    assert_eq!(owners(&env), BTreeMap::from([("ann".into(), 2), ("bob".into(), 2), ("cat".into(), 2)]));
    let show = env.json(&["queue", "show"]);
    assert_eq!(show["last"], "cat");
    env.json(&["user", "deactivate", "bob"]);
    let f = csv(&env, "b.csv", "after", 4);
    env.json(&["import", &f]);
    assert_eq!(owners(&env), BTreeMap::from([("ann".into(), 4), ("bob".into(), 2), ("cat".into(), 4)]));
    // Manual creation is not an intake: the creator keeps the lead.
    env.json(&["lead", "add", "--title", "typed by alice"]);
    assert_eq!(owners(&env)["alice"], 1);
    // A row naming its responsible keeps it.
    let path = env.dir.path().join("named.csv");
    std::fs::write(&path, "Title,Responsible\nnamed,bob\n").unwrap();
    env.json(&["import", path.to_str().unwrap()]);
    assert_eq!(owners(&env)["bob"], 3);
}

#[test]
fn several_processes_importing_at_once_still_share_evenly() {
    let env = setup();
    env.json(&["queue", "set", "--mode", "even", "--users", "ann,bob,cat"]);
    let files: Vec<String> = (0..4).map(|k| csv(&env, &format!("p{k}.csv"), &format!("proc{k}"), 30)).collect();
    let children: Vec<_> = files
        .iter()
        .map(|f| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("prospect"))
                .env_clear()
                .env("PROSPECT_CONFIG", env.dir.path().join("no-config.toml"))
                .env("LANG", "C")
                .args(["--db", env.db.to_str().unwrap(), "--user", "alice", "import", f])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(owners(&env), BTreeMap::from([("ann".into(), 40), ("bob".into(), 40), ("cat".into(), 40)]));
}

#[test]
fn in_order_goes_to_the_first_active_user() {
    let env = setup();
    env.json(&["queue", "set", "--mode", "in-order", "--users", "bob,ann"]);
    let f = csv(&env, "a.csv", "x", 3);
    env.json(&["import", &f]);
    assert_eq!(owners(&env), BTreeMap::from([("bob".into(), 3)]));
    env.json(&["user", "deactivate", "bob"]);
    let f = csv(&env, "b.csv", "y", 2);
    env.json(&["import", &f]);
    assert_eq!(owners(&env)["ann"], 2);
}

#[test]
fn to_all_leaves_leads_unassigned_until_someone_takes_one() {
    let env = setup();
    env.json(&["queue", "set", "--mode", "all"]);
    // Every intake path: e-mail and JSON too.
    let mail = env.dir.path().join("m.eml");
    std::fs::write(&mail, "From: Zed <zed@example.com>\r\nSubject: Hello\r\nMessage-ID: <z@x>\r\n\r\nHi\r\n").unwrap();
    let out = env.json(&["intake", "email", mail.to_str().unwrap()]);
    let id = out[0]["id"].to_string();
    let json_lead = env
        .cmd()
        .args(["--json", "lead", "add", "--json", "-"])
        .write_stdin(r#"{"title": "From the web form"}"#)
        .output()
        .unwrap();
    assert!(json_lead.status.success(), "{}", String::from_utf8_lossy(&json_lead.stderr));
    assert_eq!(owners(&env), BTreeMap::from([("(nobody)".into(), 2)]));
    let taken = env.cmd_as("bob").args(["--json", "lead", "take", &id]).output().unwrap();
    assert!(taken.status.success(), "{}", String::from_utf8_lossy(&taken.stderr));
    let out = env.cmd_as("cat").args(["lead", "take", &id]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // cat, a Manager, may not see bob's leads: who took it is not hers to know.
    assert!(String::from_utf8_lossy(&out.stderr).contains("already taken by another user"), "{out:?}");
    let lead = env.json(&["lead", "show", &id]);
    assert_eq!(lead["responsible"]["code"], "bob");
}

#[test]
fn only_administrators_configure_the_queue_and_bad_values_are_named() {
    let env = setup();
    let out = env.cmd_as("bob").args(["queue", "set", "--mode", "even", "--users", "bob"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("administrator"), "{out:?}");
    let err = env.fails(2, &["queue", "set", "--mode", "sometimes"]);
    assert!(
        err.contains("'sometimes' for '--mode") && err.contains("[possible values: off, even, in-order, all]"),
        "{err}"
    );
    let err = env.fails(1, &["queue", "set", "--mode", "even"]);
    assert!(err.contains("needs users"), "{err}");
    let err = env.fails(1, &["queue", "set", "--mode", "even", "--users", "ann,zoe"]);
    assert!(err.contains("zoe"), "{err}");
    assert_eq!(env.json(&["queue", "show"])["mode"], "off");
}
