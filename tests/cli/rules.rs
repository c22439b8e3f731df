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
    let said = env.ok(&["lead", "move", &lead, "IN_PROCESS"]);
    assert!(said.contains("Rule «Call in progress» ran"), "{said}");
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

/// `--assign queue` and `--move-linked`: a won deal closes its source lead, whose rule hands
/// it to the queue; the timelines say so in both languages; a stage no linked record has is
/// refused naming the ones there are.
fn linked(env: &Env) {
    env.ok(&["user", "add", "bob", "--name", "Bob"]);
    env.ok(&["queue", "set", "--mode", "even", "--users", "bob"]);
    env.ok(&[
        "rule",
        "add",
        "--entity",
        "deal",
        "--stage",
        "WON",
        "--name",
        "Close the lead",
        "--move-linked",
        "PROCESSED",
    ]);
    env.ok(&["rule", "add", "--stage", "PROCESSED", "--name", "Follow-up", "--assign", "queue"]);
    let shown = env.ok(&["rule", "show", "1"]);
    assert!(shown.contains("Does: move the linked records to PROCESSED"), "{shown}");
    let listed = env.ok(&["rule", "list"]);
    assert!(listed.contains("Follow-up") && listed.contains("hand to the queue"), "{listed}");
    let lead = env.json(&["lead", "add", "--title", "Vitrine"])["id"].to_string();
    let deal = env.json(&["deal", "add", "--title", "Vitrine", "--set", &format!("lead={lead}")])["id"].to_string();
    env.ok(&["deal", "move", &deal, "WON"]);
    let shown = env.json(&["lead", "show", &lead]);
    assert_eq!(shown["stage"]["code"], "PROCESSED", "{shown}");
    assert_eq!(shown["responsible"]["code"], "bob", "{shown}");
    let deal_shown = env.ok(&["deal", "show", &deal]);
    assert!(deal_shown.contains(&format!("rule «Close the lead»: moved Lead #{lead} to PROCESSED")), "{deal_shown}");
    let fr = env.ok(&["--lang", "fr", "lead", "show", &lead]);
    assert!(fr.contains("confiée à bob par la file"), "{fr}");
    // With no queue, a rule handing records to it changes nothing: `rule show` says so.
    assert!(!env.ok(&["rule", "show", "2"]).contains("queue is off"));
    env.ok(&["queue", "set", "--mode", "off"]);
    let shown = env.ok(&["rule", "show", "2"]);
    assert!(shown.contains("the distribution queue is off"), "{shown}");
    let fr = env.ok(&["--lang", "fr", "rule", "show", "2"]);
    assert!(fr.contains("Fait : confier à la file") && fr.contains("file d'attribution est désactivée"), "{fr}");
    let bad = env.fails(1, &["rule", "add", "--stage", "NEW", "--move-linked", "Nowhere"]);
    assert!(bad.contains("Nowhere") && bad.contains("WON"), "{bad}");
}

#[test]
fn a_rule_moves_the_linked_lead_and_hands_it_to_the_queue() {
    linked(&Env::new());
}

#[test]
fn a_rule_moves_the_linked_lead_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    linked(&env);
}
