//! Issue 30 (SPEC I7): `prospect rule` through the binary, on a file and on PostgreSQL: a rule
//! made by the administrator plans a call and sets a field when a lead enters its stage, the
//! timeline says so in English and French, and bad input is refused naming what was wrong.

use crate::common::Env;

fn rules(env: &Env) {
    env.ok(&[
        "field",
        "add",
        "--entity",
        "lead",
        "--type",
        "list",
        "--options",
        "low,normal,high",
        "--label",
        "Priority",
        "priority",
    ]);
    let added = env.json(&[
        "rule",
        "add",
        "--stage",
        "IN_PROCESS",
        "--name",
        "Call in progress",
        "--plan",
        "call",
        "--subject",
        "Call {client}",
        "--in",
        "1d",
        "--set",
        "priority=high",
    ]);
    let id = added["rules"][0]["id"].as_i64().unwrap().to_string();
    assert_eq!(added["rules"][0]["stage"], "In progress", "{added}");
    let listed = env.ok(&["rule", "list"]);
    assert!(listed.contains("Call in progress") && listed.contains("Lead · In progress"), "{listed}");
    let listed = env.json(&["rule", "list"]);
    assert_eq!(
        listed["rules"][0]["actions"][1],
        serde_json::json!({"action": "set", "field": "priority", "value": "high"})
    );
    let lead = env.json(&["lead", "add", "--title", "Fours", "--company-title", "Boulangerie Morel"])["id"].to_string();
    env.ok(&["lead", "move", &lead, "IN_PROCESS"]);
    let acts = env.json(&["activity", "list", "--all"]);
    assert_eq!(acts[0]["subject"], "Call Boulangerie Morel", "{acts}");
    let shown = env.ok(&["lead", "show", &lead]);
    assert!(
        shown.contains("rule «Call in progress»: planned (call) “Call Boulangerie Morel”; set Priority to high"),
        "{shown}"
    );
    let fr = env.ok(&["--lang", "fr", "lead", "show", &lead]);
    assert!(fr.contains("règle « Call in progress » : activité planifiée (appel)"), "{fr}");
    // Off, it is kept and runs no more; deleted, it is gone.
    env.ok(&["rule", "disable", &id]);
    env.ok(&["lead", "move", &lead, "NEW"]);
    env.ok(&["lead", "move", &lead, "IN_PROCESS"]);
    assert_eq!(env.json(&["activity", "list", "--all"]).as_array().unwrap().len(), 1);
    env.ok(&["rule", "delete", &id]);
    assert!(env.ok(&["rule", "list"]).contains("No stage rules yet"));
    // Bad input: a delay, a stage, a field, a user; each named, nothing kept.
    let delay = env.fails(1, &["rule", "add", "--stage", "NEW", "--plan", "call", "--subject", "x", "--in", "2w"]);
    assert!(delay.contains("2w") && delay.contains("1d"), "{delay}");
    let stage = env.fails(1, &["rule", "add", "--stage", "Nowhere", "--comment", "x"]);
    assert!(stage.contains("Nowhere") && stage.contains("IN_PROCESS"), "{stage}");
    let field = env.fails(1, &["rule", "add", "--stage", "NEW", "--set", "budget=5"]);
    assert!(field.contains("budget"), "{field}");
    let user = env.fails(1, &["rule", "add", "--stage", "NEW", "--assign", "nobody"]);
    assert!(user.contains("nobody"), "{user}");
    let nothing = env.fails(1, &["rule", "add", "--stage", "NEW"]);
    assert!(nothing.contains("at least one action"), "{nothing}");
    assert!(env.ok(&["rule", "list"]).contains("No stage rules yet"));
}

#[test]
fn a_rule_plans_a_call_and_sets_a_field_through_the_binary() {
    rules(&Env::new());
}

#[test]
fn a_rule_plans_a_call_and_sets_a_field_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    rules(&env);
}
