//! Lead conversion (SPEC L5, L6), duplicates (D1) and merge (D2) through the real binary on
//! real files.

use crate::common;
use crate::common::Env;
use serde_json::Value;

/// A lead with every field conversion copies.
fn full_lead(env: &Env) -> i64 {
    let v = env.json(&[
        "lead",
        "add",
        "--title",
        "Website redesign",
        "--honorific",
        "Mr",
        "--first-name",
        "Jean",
        "--middle-name",
        "Paul",
        "--last-name",
        "Dupont",
        "--position",
        "CTO",
        "--birth-date",
        "1980-02-29",
        "--company-title",
        "Acme SARL",
        "--address",
        "1 rue de la Paix, Paris",
        "--comments",
        "Met at the fair",
        "--source",
        "website",
        "--source-description",
        "Contact form",
        "--amount",
        "1200.50",
        "--currency",
        "EUR",
        "--phone",
        "mobile:06 12 34 56 78",
        "--email",
        "jean@acme.fr",
        "--web",
        "acme.fr",
    ]);
    v["id"].as_i64().unwrap()
}

fn convert(env: &Env, id: i64, to: &str) -> Value {
    env.json(&["lead", "convert", &id.to_string(), "--to", to])
}

fn show(env: &Env, entity: &str, id: i64) -> Value {
    env.json(&[entity, "show", &id.to_string()])
}

fn links(v: &Value, entity: &str) -> Vec<i64> {
    v["links"].as_array().unwrap().iter().filter(|l| l["entity"] == entity).map(|l| l["id"].as_i64().unwrap()).collect()
}

fn timeline_kinds(v: &Value) -> Vec<String> {
    v["timeline"].as_array().unwrap().iter().map(|t| t["kind"].as_str().unwrap().to_string()).collect()
}

#[test]
fn every_target_combination_creates_exactly_those_records() {
    let combos = [
        ("deal,contact,company", true, true, true),
        ("deal,contact", true, true, false),
        ("deal,company", true, false, true),
        ("deal", true, false, false),
        ("contact,company", false, true, true),
        ("contact", false, true, false),
        ("company", false, false, true),
    ];
    for (to, deal, contact, company) in combos {
        let env = Env::new();
        let id = full_lead(&env);
        let done = convert(&env, id, to);
        assert_eq!(done["targets"], to);
        assert_eq!(done["deal"].is_object(), deal, "{to}: deal");
        assert_eq!(done["contact"].is_object(), contact, "{to}: contact");
        assert_eq!(done["company"].is_object(), company, "{to}: company");
        for (entity, wanted) in [("deal", deal), ("contact", contact), ("company", company)] {
            let count = env.json(&[entity, "list"]).as_array().unwrap().len();
            assert_eq!(count, wanted as usize, "{to}: {entity}s in the file");
        }
        // The lead is in the success stage and linked to what it became.
        let lead = show(&env, "lead", id);
        assert_eq!(lead["stage_semantics"], "success", "{to}");
        assert!(timeline_kinds(&lead).contains(&"converted".to_string()));
        if contact {
            assert_eq!(links(&lead, "contact"), vec![done["contact"]["id"].as_i64().unwrap()]);
        }
        if company {
            assert_eq!(links(&lead, "company"), vec![done["company"]["id"].as_i64().unwrap()]);
        }
        if deal {
            assert_eq!(links(&lead, "deal"), vec![done["deal"]["id"].as_i64().unwrap()]);
        }
        // Every created record keeps the lead id, links to the others and has a timeline entry.
        for entity in ["deal", "contact", "company"] {
            if let Some(rid) = done[entity]["id"].as_i64() {
                let r = show(&env, entity, rid);
                assert_eq!(r["lead"]["id"], id, "{to}: {entity} keeps the lead id");
                let kinds = timeline_kinds(&r);
                assert!(kinds.contains(&"created".into()) && kinds.contains(&"linked".into()), "{to}: {kinds:?}");
            }
        }
        if deal {
            let d = show(&env, "deal", done["deal"]["id"].as_i64().unwrap());
            assert_eq!(d["contact"]["id"].as_i64(), done["contact"]["id"].as_i64(), "{to}: deal's contact");
            assert_eq!(d["company"]["id"].as_i64(), done["company"]["id"].as_i64(), "{to}: deal's company");
        }
        if contact && company {
            let c = show(&env, "contact", done["contact"]["id"].as_i64().unwrap());
            assert_eq!(links(&c, "company"), vec![done["company"]["id"].as_i64().unwrap()], "{to}");
        }
    }
}

#[test]
fn copied_fields_follow_the_spec() {
    let env = Env::new();
    let id = full_lead(&env);
    let done = convert(&env, id, "deal,contact,company");
    let contact = show(&env, "contact", done["contact"]["id"].as_i64().unwrap());
    for (key, want) in [
        ("honorific", "Mr"),
        ("first_name", "Jean"),
        ("middle_name", "Paul"),
        ("last_name", "Dupont"),
        ("position", "CTO"),
        ("birth_date", "1980-02-29"),
        ("address", "1 rue de la Paix, Paris"),
        ("comments", "Met at the fair"),
        ("source_description", "Contact form"),
    ] {
        assert_eq!(contact[key], want, "contact.{key}");
    }
    assert_eq!(contact["source"]["code"], "WEB");
    assert_eq!(contact["responsible"]["code"], "alice");
    assert_eq!(contact["phones"][0]["value"], "06 12 34 56 78");
    assert_eq!(contact["phones"][0]["type"], "mobile");
    assert_eq!(contact["emails"][0]["value"], "jean@acme.fr");
    assert_eq!(contact["webs"][0]["value"], "acme.fr");

    let company = show(&env, "company", done["company"]["id"].as_i64().unwrap());
    assert_eq!(company["title"], "Acme SARL");
    assert_eq!(company["address"], "1 rue de la Paix, Paris");
    assert_eq!(company["emails"][0]["value"], "jean@acme.fr");

    let deal = show(&env, "deal", done["deal"]["id"].as_i64().unwrap());
    assert_eq!(deal["title"], "Website redesign");
    assert_eq!(deal["amount_minor"], 120050);
    assert_eq!(deal["currency"], "EUR");
    assert_eq!(deal["source"]["code"], "WEB");
    assert_eq!(deal["comments"], "Met at the fair");
    assert_eq!(deal["pipeline"]["name"], "General");
}

#[test]
fn company_title_falls_back_to_the_lead_title_and_required_names_are_asked() {
    let env = Env::new();
    let id = env.json(&["lead", "add", "--title", "Big order", "--phone", "0612345678"])["id"].as_i64().unwrap();
    // No last name on the lead: the contact cannot be made without one.
    let err = env.fails(1, &["lead", "convert", &id.to_string(), "--to", "contact"]);
    assert!(err.contains("contact.first_name") || err.contains("first name"), "{err}");
    let done = env.json(&[
        "lead",
        "convert",
        &id.to_string(),
        "--to",
        "contact,company",
        "--first-name",
        "Anne",
        "--last-name",
        "unknown",
    ]);
    assert_eq!(done["contact"]["title"], "Anne unknown");
    assert_eq!(done["company"]["title"], "Big order");
}

#[test]
fn impossible_choices_are_refused_with_what_to_do() {
    let env = Env::new();
    let id = full_lead(&env).to_string();
    let err = env.fails(1, &["lead", "convert", &id, "--to", "deal,invoice"]);
    assert!(err.contains("'deal,invoice'") && err.contains("deal, contact, company"), "{err}");
    let err = env.fails(1, &["lead", "convert", &id, "--to", "deal", "--contact", "1"]);
    assert!(err.contains("contact to link was given"), "{err}");
    let err = env.fails(1, &["lead", "convert", &id, "--to", "contact", "--pipeline", "General"]);
    assert!(err.contains("no deal"), "{err}");
    let err = env.fails(1, &["lead", "convert", &id, "--to", "deal", "--pipeline", "Nope"]);
    assert!(err.contains("pipeline"), "{err}");
    let err = env.fails(1, &["lead", "convert", &id, "--to", "contact", "--contact", "99"]);
    assert!(err.contains("contact #99 does not exist"), "{err}");
    env.fails(4, &["lead", "convert", "999", "--to", "deal"]);
    convert(&env, id.parse().unwrap(), "deal");
    let err = env.fails(1, &["lead", "convert", &id, "--to", "deal"]);
    assert!(err.contains("already converted"), "{err}");
}

#[test]
fn a_repeat_lead_becomes_a_deal_for_its_existing_client_only() {
    let env = Env::new();
    let company = env.json(&["company", "add", "--title", "Acme SARL"])["id"].as_i64().unwrap();
    let contact = env.json(&[
        "contact",
        "add",
        "--first-name",
        "Jean",
        "--last-name",
        "Dupont",
        "--phone",
        "+33 6 12 34 56 78",
        "--company",
        &company.to_string(),
    ])["id"]
        .as_i64()
        .unwrap();
    let lead = env.json(&["lead", "add", "--title", "Second order", "--phone", "06.12.34.56.78"]);
    assert_eq!(lead["is_repeat"], true);
    let id = lead["id"].as_i64().unwrap().to_string();
    for to in ["deal,contact", "contact", "company", "deal,company", "deal,contact,company", "contact,company"] {
        let err = env.fails(1, &["lead", "convert", &id, "--to", to]);
        assert!(err.contains("repeat lead can only become a deal"), "{to}: {err}");
    }
    // Without --to, a repeat lead defaults to a deal.
    let done = env.json(&["lead", "convert", &id]);
    assert_eq!(done["targets"], "deal");
    let deal = show(&env, "deal", done["deal"]["id"].as_i64().unwrap());
    assert_eq!(deal["contact"]["id"], contact);
    assert_eq!(deal["company"]["id"], company);
    assert_eq!(env.json(&["contact", "list"]).as_array().unwrap().len(), 1, "no new contact");
}

#[test]
fn linking_existing_records_creates_none() {
    let env = Env::new();
    let company = env.json(&["company", "add", "--title", "Acme"])["id"].as_i64().unwrap();
    let contact = env.json(&["contact", "add", "--first-name", "Zoé", "--last-name", "Martin"])["id"].as_i64().unwrap();
    let id = full_lead(&env);
    let done = env.json(&[
        "lead",
        "convert",
        &id.to_string(),
        "--to",
        "deal,contact,company",
        "--contact",
        &contact.to_string(),
        "--company",
        &company.to_string(),
    ]);
    assert_eq!(done["contact"]["created"], false);
    assert_eq!(done["company"]["created"], false);
    assert_eq!(env.json(&["contact", "list"]).as_array().unwrap().len(), 1);
    assert_eq!(env.json(&["company", "list"]).as_array().unwrap().len(), 1);
    // The linked contact now works for the linked company, and the deal belongs to both.
    let c = show(&env, "contact", contact);
    assert_eq!(links(&c, "company"), vec![company]);
    assert_eq!(links(&c, "deal"), vec![done["deal"]["id"].as_i64().unwrap()]);
    assert_eq!(links(&c, "lead"), vec![id]);
    assert!(timeline_kinds(&c).contains(&"linked".into()));
    // Linked records keep their own fields: the lead's name did not overwrite them.
    assert_eq!(c["first_name"], "Zoé");
}

/// SQL text of the whole file, to compare before and after.
fn dump(env: &Env) -> String {
    let out = std::process::Command::new("sqlite3").arg(&env.db).arg(".dump").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_failure_in_the_last_step_leaves_the_file_exactly_as_before() {
    let env = Env::new();
    let id = full_lead(&env);
    // The last step moves the lead to the success stage: make exactly that fail.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER fail_success BEFORE UPDATE OF stage_id ON leads BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
    )
    .unwrap();
    drop(conn);
    let before = dump(&env);
    let out = env.cmd().args(["lead", "convert", &id.to_string(), "--to", "deal,contact,company"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("injected failure"));
    assert_eq!(dump(&env), before, "a failed conversion must leave nothing behind");
}

#[test]
fn duplicates_are_reported_on_create_and_refused_with_if_unique() {
    let env = Env::new();
    env.ok(&["contact", "add", "--first-name", "Jean", "--last-name", "Dupont", "--email", "JD@Example.fr"]);
    let v = env.json(&["contact", "add", "--first-name", "Paul", "--last-name", "Durand", "--email", "jd@example.FR "]);
    assert_eq!(v["duplicates"][0]["id"], 1);
    assert_eq!(v["duplicates"][0]["matched_by"], serde_json::json!(["email"]));
    let out = env.cmd().args(["contact", "add", "--first-name", " jean ", "--last-name", "DUPONT"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("possible duplicate of Contact #1 “Jean Dupont” (same name)"), "{stderr}");
    let before = common::bytes(&env.db);
    let out = env
        .cmd()
        .args(["contact", "add", "--first-name", "X", "--last-name", "Y", "--email", "jd@example.fr", "--if-unique"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(common::bytes(&env.db), before);
    // Companies by title, leads by company title.
    env.ok(&["company", "add", "--title", "Acme  SARL"]);
    let v = env.json(&["company", "add", "--title", "acme sarl"]);
    assert_eq!(v["duplicates"][0]["matched_by"], serde_json::json!(["company"]));
    env.ok(&["lead", "add", "--company-title", "Globex"]);
    let v = env.json(&["lead", "add", "--company-title", "GLOBEX"]);
    assert_eq!(v["duplicates"][0]["id"], 1);
}

#[test]
fn dedup_scan_lists_a_group_per_shared_value() {
    let env = Env::new();
    // 1~2 by phone, 2~3 by e-mail, 4~5 by name and phone, 6 alone.
    env.ok(&["contact", "add", "--first-name", "A", "--last-name", "One", "--phone", "06 12 34 56 78"]);
    env.ok(&[
        "contact",
        "add",
        "--first-name",
        "B",
        "--last-name",
        "Two",
        "--phone",
        "+33612345678",
        "--email",
        "b@x.fr",
    ]);
    env.ok(&["contact", "add", "--first-name", "C", "--last-name", "Three", "--email", "B@X.FR"]);
    env.ok(&["contact", "add", "--first-name", "Marie", "--last-name", "Curie", "--phone", "0761223344"]);
    env.ok(&["contact", "add", "--first-name", "marie", "--last-name", "CURIE", "--phone", "07 61 22 33 44"]);
    env.ok(&["contact", "add", "--first-name", "Solo", "--last-name", "Person"]);
    let groups = env.json(&["dedup", "scan", "--entity", "contact"]);
    let got: Vec<(Vec<i64>, Vec<String>)> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let ids = g["members"].as_array().unwrap().iter().map(|m| m[0].as_i64().unwrap()).collect();
            let mut by: Vec<String> =
                g["matched_by"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect();
            by.sort();
            (ids, by)
        })
        .collect();
    let want = vec![
        (vec![1, 2], vec!["phone".to_string()]),
        (vec![2, 3], vec!["email".to_string()]),
        (vec![4, 5], vec!["name".to_string(), "phone".to_string()]),
    ];
    assert_eq!(got, want);
    let text = env.ok(&["dedup", "scan", "--entity", "contact"]);
    assert!(text.contains("2 records match (name, phone)"), "{text}");
}

#[test]
fn merge_fills_empty_fields_moves_everything_and_deletes_the_other() {
    let env = Env::new();
    let company = env.json(&["company", "add", "--title", "Acme"])["id"].as_i64().unwrap().to_string();
    let keep = env.json(&["contact", "add", "--first-name", "Jean", "--last-name", "Dupont", "--phone", "0612345678"]);
    let other = env.json(&[
        "contact",
        "add",
        "--first-name",
        "Jean",
        "--last-name",
        "Dupont",
        "--position",
        "CTO",
        "--email",
        "jean@acme.fr",
        "--phone",
        "+33 6 12 34 56 78",
        "--company",
        &company,
    ]);
    let (k, o) = (keep["id"].as_i64().unwrap().to_string(), other["id"].as_i64().unwrap().to_string());
    env.ok(&["contact", "comment", &o, "from the other one"]);
    env.ok(&["activity", "add", "--contact", &o, "--kind", "call", "--subject", "Call back", "--at", "tomorrow 10:00"]);
    let deal = env.json(&["deal", "add", "--title", "D", "--contact", &o])["id"].as_i64().unwrap();
    let merged = env.json(&["contact", "merge", &k, &o]);
    assert_eq!(merged["merged"], serde_json::json!([o.parse::<i64>().unwrap()]));
    let c = show(&env, "contact", k.parse().unwrap());
    assert_eq!(c["position"], "CTO", "empty field filled");
    assert_eq!(c["phones"].as_array().unwrap().len(), 1, "same number once");
    assert_eq!(c["emails"][0]["value"], "jean@acme.fr");
    assert_eq!(links(&c, "company"), vec![company.parse::<i64>().unwrap()]);
    assert_eq!(links(&c, "deal"), vec![deal]);
    let texts: Vec<String> = c["timeline"].as_array().unwrap().iter().map(|t| t["payload"].to_string()).collect();
    assert!(texts.iter().any(|t| t.contains("from the other one")), "timeline moved: {texts:?}");
    assert_eq!(c["timeline"][0]["kind"], "merged");
    let acts = env.json(&["activity", "list", "--all"]);
    let acts = acts.as_array().unwrap();
    assert_eq!(acts.len(), 1);
    assert!(acts[0].to_string().contains(&format!("\"id\":{k}")), "{acts:?}");
    env.fails(4, &["contact", "show", &o]);
}

#[test]
fn merge_with_differing_values_needs_a_choice() {
    let env = Env::new();
    let a = env.json(&["company", "add", "--title", "Acme", "--industry", "Software"])["id"].as_i64().unwrap();
    let b = env.json(&["company", "add", "--title", "ACME", "--industry", "Retail"])["id"].as_i64().unwrap();
    let (a, b) = (a.to_string(), b.to_string());
    // Title differs only by case: still a difference the user settles.
    let err = env.fails(1, &["company", "merge", &a, &b]);
    assert!(err.contains("--prefer") && err.contains("differ"), "{err}");
    let preview = env.json(&["company", "merge", &a, &b, "--dry-run"]);
    let fields: Vec<&str> =
        preview["conflicts"].as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["title", "industry"]);
    env.ok(&["company", "merge", &a, &b, "--prefer", "keep", "--prefer", "industry=other"]);
    let c = show(&env, "company", a.parse().unwrap());
    assert_eq!(c["title"], "Acme");
    assert_eq!(c["industry"], "Retail");
    let err = env.fails(1, &["company", "merge", &a, &a]);
    assert!(err.contains("into itself"), "{err}");
    let err = env.fails(4, &["company", "merge", &a, "99"]);
    assert!(err.contains("#99"), "{err}");
}

#[test]
fn linking_a_contact_adds_the_phones_and_emails_it_lacks_and_says_so() {
    let env = Env::new();
    let id = full_lead(&env);
    // Made after the lead: it has the lead's phone written another way, not its e-mail.
    let contact =
        env.json(&["contact", "add", "--first-name", "Jean", "--last-name", "Dupont", "--phone", "+33 6 12 34 56 78"])
            ["id"]
            .as_i64()
            .unwrap();
    let args = ["lead", "convert", &id.to_string(), "--to", "deal,contact", "--contact", &contact.to_string()];
    let second =
        env.json(&["lead", "add", "--first-name", "Jean", "--email", "jean@dupont.example"])["id"].as_i64().unwrap();

    let text = env.ok(&args);
    assert!(text.contains("added from the lead: e-mail jean@acme.fr"), "{text}");
    assert!(!text.contains("06 12 34 56 78"), "the phone it had is not added: {text}");
    let c = show(&env, "contact", contact);
    let emails: Vec<&str> = c["emails"].as_array().unwrap().iter().map(|e| e["value"].as_str().unwrap()).collect();
    assert_eq!(emails, vec!["jean@acme.fr"]);

    // --json says it too, and in French the text does.
    let done =
        env.json(&["lead", "convert", &second.to_string(), "--to", "contact", "--contact", &contact.to_string()]);
    assert_eq!(done["contact"]["added"], serde_json::json!({"phones": [], "emails": ["jean@dupont.example"]}));
    let third = env.json(&["lead", "add", "--first-name", "Jean", "--phone", "01 45 67 89 00"])["id"].as_i64().unwrap();
    let out = env
        .cmd()
        .env("LANG", "fr_FR.UTF-8")
        .args(["lead", "convert", &third.to_string(), "--to", "contact", "--contact", &contact.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ajout depuis le prospect : téléphone 01 45 67 89 00"), "{text}");
}

#[test]
fn merging_three_contacts_can_take_the_third_ones_value() {
    let env = Env::new();
    let add = |first: &str| {
        env.json(&["contact", "add", "--first-name", first, "--last-name", "Martin"])["id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    let (keep, second, third) = (add("Jean-Pierre"), add("Jean Pierre"), add("JP"));
    let preview = env.json(&["contact", "merge", &keep, &second, &third, "--dry-run"]);
    assert_eq!(
        preview["conflicts"][0]["values"],
        serde_json::json!([[second.parse::<i64>().unwrap(), "Jean Pierre"], [third.parse::<i64>().unwrap(), "JP"]])
    );
    let text = env.ok(&["contact", "merge", &keep, &second, &third, "--dry-run"]);
    assert!(text.contains(&format!("Jean Pierre (#{second}), JP (#{third})")), "{text}");
    let err = env.fails(1, &["contact", "merge", &keep, &second, &third]);
    assert!(err.contains(&format!("#{third}: 'JP'")) && err.contains("first_name=#ID"), "{err}");
    env.ok(&["contact", "merge", &keep, &second, &third, "--prefer", &format!("first_name=#{third}")]);
    assert_eq!(show(&env, "contact", keep.parse().unwrap())["first_name"], "JP");
}
