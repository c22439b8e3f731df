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
