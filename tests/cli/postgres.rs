//! The command line's main flows on a PostgreSQL database (`--db postgres://…`), each on a
//! fresh scratch database: what a team on the server engine does every day, through the
//! real binary. Left out, said once, when no test server is set up.

use crate::common::Env;
use serde_json::Value;

fn ids(v: &Value) -> Vec<i64> {
    v.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

#[test]
fn a_lead_is_added_edited_moved_commented_found_and_deleted() {
    let Some(env) = Env::postgres() else { return };
    let lead = env.json(&[
        "lead",
        "add",
        "--title",
        "Acme boilers",
        "--first-name",
        "Jean",
        "--last-name",
        "Dupont",
        "--phone",
        "06 12 34 56 78",
        "--email",
        "jean@acme.fr",
        "--amount",
        "1 234,50",
        "--currency",
        "EUR",
    ]);
    let id = lead["id"].to_string();
    assert_eq!(lead["version"], 1);
    let edited = env.json(&["lead", "edit", &id, "--position", "CTO", "--if-version", "1"]);
    assert_eq!(edited["version"], 2);
    // A stale version is refused (exit 3) and writes nothing.
    env.fails(3, &["lead", "edit", &id, "--position", "CEO", "--if-version", "1"]);
    let moved = env.json(&["lead", "move", &id, "in progress"]);
    assert_eq!(moved["to"]["code"], "IN_PROCESS");
    env.ok(&["lead", "comment", &id, "Called", "back"]);
    let shown = env.json(&["lead", "show", &id]);
    assert_eq!(shown["position"], "CTO");
    let kinds: Vec<&str> = shown["timeline"].as_array().unwrap().iter().map(|t| t["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["comment", "stage_moved", "fields_changed", "created"]);
    assert_eq!(ids(&env.json(&["search", "dupont"])), [lead["id"].as_i64().unwrap()]);
    assert_eq!(env.json(&["search", "06 12 34"]).as_array().unwrap().len(), 1);
    env.ok(&["lead", "delete", &id]);
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 0);
    env.fails(4, &["lead", "show", &id]);
    assert_eq!(env.json(&["db", "check"])["ok"], true);
}

#[test]
fn a_qualified_lead_converts_into_a_deal_a_contact_and_a_company() {
    let Some(env) = Env::postgres() else { return };
    let lead = env.json(&[
        "lead",
        "add",
        "--title",
        "Big order",
        "--first-name",
        "Ana",
        "--last-name",
        "Lopez",
        "--company-title",
        "Lopez SA",
        "--email",
        "ana@lopez.es",
        "--amount",
        "5000",
    ]);
    let id = lead["id"].to_string();
    env.json(&["lead", "convert", &id, "--to", "deal,contact,company"]);
    let shown = env.json(&["lead", "show", &id]);
    let entities: Vec<&str> =
        shown["links"].as_array().unwrap().iter().map(|l| l["entity"].as_str().unwrap()).collect();
    for e in ["deal", "contact", "company"] {
        assert!(entities.contains(&e), "{shown}");
        assert_eq!(env.json(&[e, "list"]).as_array().unwrap().len(), 1, "{e}");
    }
    let deal = env.json(&["deal", "list"])[0]["id"].to_string();
    env.json(&["deal", "move", &deal, "won"]);
    assert_eq!(env.json(&["deal", "list", "--stage", "WON"]).as_array().unwrap().len(), 1);
}

#[test]
fn activities_are_planned_listed_and_done() {
    let Some(env) = Env::postgres() else { return };
    let lead = env.json(&["lead", "add", "--title", "Call me"]);
    let id = lead["id"].to_string();
    let a = env.json(&["activity", "add", "--lead", &id, "--subject", "Call back", "--at", "+1d"]);
    assert_eq!(a["kind"], "call");
    assert_eq!(env.json(&["activity", "list", "--all"]).as_array().unwrap().len(), 1);
    env.json(&["activity", "done", &a["id"].to_string()]);
    let open: Vec<Value> = env.json(&["activity", "list"]).as_array().unwrap().clone();
    assert!(open.is_empty(), "{open:?}");
}

#[test]
fn a_csv_import_and_the_demo_load_and_export() {
    let Some(env) = Env::postgres() else { return };
    let csv = env.dir.path().join("leads.csv");
    std::fs::write(
        &csv,
        "Title,First name,Last name,E-mail,Phone\nA,Jean,Dupont,jean@a.fr,0612345678\nB,Ana,Lopez,ana@b.es,\n",
    )
    .unwrap();
    let report = env.json(&["import", csv.to_str().unwrap()]);
    assert_eq!(report["created"], 2, "{report}");
    // The same file again, skipping matches: nothing new.
    let again = env.json(&["import", csv.to_str().unwrap(), "--duplicates", "skip"]);
    assert_eq!(again["created"], 0, "{again}");
    env.json(&["demo", "--leads", "200"]);
    let exported: Value = serde_json::from_str(&env.ok(&["export", "--format", "json", "--entity", "lead"])).unwrap();
    assert!(exported.as_array().unwrap().len() >= 202, "{}", exported.as_array().unwrap().len());
    assert_eq!(env.json(&["db", "check"])["ok"], true);
}

/// Issue 26: each person connects as their own database role, and the server itself refuses
/// what their levels refuse. bert (a Manager) connected with raw SQL, as `psql` would, finds
/// only his lead and nobody's, none of alice's history, phones, search entry or column
/// totals, and cannot change, delete or forge a lead outside his level; the app connected as
/// bert is bert, whatever `--user` says.
#[test]
fn a_restricted_role_sees_and_changes_only_its_own_rows_in_raw_sql() {
    use prospect::store::postgres::scratch::with_user;
    let Some(env) = Env::postgres() else { return };
    let url = env.db.to_str().unwrap().to_string();
    let out = env
        .cmd()
        .args(["--json", "user", "add", "bert", "--role", "Manager", "--password-stdin"])
        .write_stdin("bert-secret\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let users: Value = serde_json::from_slice(&out.stdout).unwrap();
    let bert_row = users.as_array().unwrap().iter().find(|u| u["login"] == "bert").unwrap().clone();
    assert_eq!(bert_row["db_role"], "bert", "{users}");
    // The connection's own role (the tables' owner) is never taken as a user's: row-level
    // security would not hold it.
    let users = env.json(&["user", "add", "prospect_test"]);
    let owner = users.as_array().unwrap().iter().find(|u| u["login"] == "prospect_test").unwrap();
    assert!(owner["db_role"].is_null(), "{users}");
    let alices = env.json(&["lead", "add", "--title", "Alice secret", "--phone", "06 11 22 33 44", "--amount", "500"]);
    let alices = alices["id"].as_i64().unwrap();
    env.ok(&["lead", "comment", &alices.to_string(), "price agreed at 9000"]);
    let bobs = env.json(&["lead", "add", "--title", "Bert own", "--responsible", "bert"])["id"].as_i64().unwrap();
    // Her own field's value, her personal view and a view she shares.
    env.json(&["field", "add", "--entity", "lead", "budget", "--type", "money"]);
    env.json(&["lead", "edit", &alices.to_string(), "--set", "budget=9000"]);
    env.json(&["view", "save", "--entity", "lead", "Alice private", "--where", "budget>=5000"]);
    env.json(&["view", "save", "--entity", "lead", "Team", "--shared", "--sort", "title"]);

    let mut bob = postgres::Client::connect(&with_user(&url, "bert", "bert-secret"), postgres::NoTls).unwrap();
    let ids: Vec<i64> = bob.query("SELECT id FROM leads ORDER BY id", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(ids, [bobs]);
    let count = |c: &mut postgres::Client, sql: &str| -> i64 { c.query_one(sql, &[]).unwrap().get(0) };
    let of_alices =
        |table: &str| format!("SELECT count(*) FROM {table} WHERE entity = 'lead' AND entity_id = {alices}");
    assert_eq!(count(&mut bob, &of_alices("timeline")), 0, "her history");
    assert_eq!(count(&mut bob, &of_alices("comms")), 0, "her phones");
    assert_eq!(count(&mut bob, &of_alices("search")), 0, "her search entry");
    assert_eq!(count(&mut bob, "SELECT count(*) FROM stage_totals"), 0, "the totals of every record");
    assert_eq!(count(&mut bob, "SELECT count(*) FROM search WHERE body ILIKE '%alice%'"), 0);
    let changed = bob.execute("UPDATE leads SET title = 'mine now' WHERE id = $1", &[&alices]).unwrap();
    assert_eq!(changed, 0, "her lead cannot be changed");
    assert_eq!(bob.execute("DELETE FROM leads WHERE id = $1", &[&alices]).unwrap(), 0, "nor deleted");
    let alice_id: i64 = bob.query_one("SELECT id FROM users WHERE login = 'alice'", &[]).unwrap().get(0);
    let forged = bob.execute(
        "INSERT INTO leads (title, stage_id, responsible_id, created_at, modified_at, moved_at) \
         SELECT 'forged', stage_id, $1, 0, 0, 0 FROM leads WHERE id = $2",
        &[&alice_id, &bobs],
    );
    let e = forged.unwrap_err();
    let why = e.as_db_error().map(|d| d.message().to_string()).unwrap_or_default();
    assert!(why.contains("row-level security"), "{e:?}");
    assert_eq!(bob.execute("UPDATE leads SET title = 'Bert own, renamed' WHERE id = $1", &[&bobs]).unwrap(), 1);
    assert_eq!(count(&mut bob, "SELECT count(*) FROM custom_values"), 0, "her lead's budget");
    assert_eq!(count(&mut bob, "SELECT count(*) FROM list_views WHERE name = 'Alice private'"), 0, "her view");
    assert_eq!(count(&mut bob, "SELECT count(*) FROM list_views WHERE name = 'Team'"), 1, "a shared one shows");
    assert_eq!(bob.execute("DELETE FROM list_views WHERE name = 'Team'", &[]).unwrap(), 0, "and stays hers");
    assert_eq!(bob.execute("UPDATE list_views SET shared = FALSE", &[]).unwrap(), 0);
    drop(bob);

    // The app connected as bert's role is bob, whatever --user claims.
    let as_bob = with_user(&url, "bert", "bert-secret");
    let out =
        env.cmd_db(std::path::Path::new(&as_bob)).args(["--user", "alice", "--json", "lead", "list"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed: Vec<i64> = listed.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(listed, [bobs]);
    // bert saves a view of his own through the app, on his role.
    let out = env
        .cmd_db(std::path::Path::new(&as_bob))
        .args(["--json", "view", "save", "--entity", "lead", "Mine", "--sort", "title"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // alice's lead is as it was, with its history, phone and search entry.
    let shown = env.json(&["lead", "show", &alices.to_string()]);
    assert_eq!(shown["title"], "Alice secret");
    assert!(shown["timeline"].as_array().unwrap().len() >= 2, "{shown}");
    assert_eq!(shown["phones"].as_array().map(|p| p.len()), Some(1), "{shown}");
    assert_eq!(self::ids(&env.json(&["search", "alice secret"])), [alices]);
}
