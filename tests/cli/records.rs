//! Create, list, edit, move and delete every record type through the real binary.

use crate::common;
use crate::common::Env;
use serde_json::json;

#[test]
fn lead_lifecycle() {
    let env = Env::new();
    let lead = env.json(&[
        "lead",
        "add",
        "--title",
        "Website enquiry",
        "--first-name",
        "Jean",
        "--last-name",
        "Dupont",
        "--company",
        "Acme SARL",
        "--phone",
        "mobile:06 12 34 56 78",
        "--email",
        "Jean@Acme.fr",
        "--amount",
        "1 234,50",
        "--source",
        "Website",
        "--birth-date",
        "24/11/1980",
    ]);
    let id = lead["id"].as_i64().unwrap();
    assert_eq!(lead["amount"], "1234.50");
    assert_eq!(lead["amount_minor"], 123450);
    assert_eq!(lead["currency"], "EUR");
    assert_eq!(lead["birth_date"], "1980-11-24");
    assert_eq!(lead["stage"]["code"], "NEW");
    assert_eq!(lead["source"]["code"], "WEB");
    assert_eq!(lead["responsible"]["code"], "alice");
    assert_eq!(lead["phones"][0]["normalized"], "+33612345678");
    assert_eq!(lead["emails"][0]["normalized"], "jean@acme.fr");
    assert_eq!(lead["version"], 1);

    let list = env.json(&["lead", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["title"], "Website enquiry");
    assert_eq!(list[0]["company_title"], "Acme SARL");
    // One shape: the list gives each record as `show` does (issue 21).
    let mut shown = env.json(&["lead", "show", &id.to_string()]);
    // What `show` attaches besides the record: its history, its lines.
    for attached in ["timeline", "lines"] {
        shown.as_object_mut().unwrap().remove(attached);
    }
    assert_eq!(list[0], shown);
    assert_eq!(list[0]["stage"]["code"], "NEW");
    assert!(list[0]["created_at"].as_str().unwrap().ends_with('Z'), "RFC 3339 UTC: {}", list[0]["created_at"]);

    let edited = env.json(&[
        "lead",
        "edit",
        &id.to_string(),
        "--position",
        "CTO",
        "--add-phone",
        "01 23 45 67 89",
        "--title",
        "",
    ]);
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["position"], "CTO");
    assert_eq!(edited["title"], serde_json::Value::Null);
    assert_eq!(edited["display_title"], format!("Lead #{id}"));
    assert_eq!(edited["phones"].as_array().unwrap().len(), 2);
    assert_eq!(edited["changed"], json!(["title", "position", "phones"]));

    let moved = env.json(&["lead", "move", &id.to_string(), "in progress"]);
    assert_eq!(moved["from"]["code"], "NEW");
    assert_eq!(moved["to"]["code"], "IN_PROCESS");
    let moved = env.json(&["lead", "move", &id.to_string(), "Junk", "--reason", "No budget"]);
    assert_eq!(moved["version"], 4);

    env.ok(&["lead", "comment", &id.to_string(), "Called", "back"]);
    let shown = env.json(&["lead", "show", &id.to_string()]);
    assert_eq!(shown["stage"]["code"], "JUNK");
    assert_eq!(shown["stage_description"], "No budget");
    assert_eq!(shown["stage_semantics"], "failure");
    let kinds: Vec<&str> = shown["timeline"].as_array().unwrap().iter().map(|t| t["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["comment", "stage_moved", "stage_moved", "fields_changed", "created"]);
    assert_eq!(shown["timeline"][0]["payload"]["text"], "Called back");
    assert_eq!(shown["timeline"][1]["payload"]["reason"], "No budget");

    // Junk leads stay searchable.
    assert_eq!(env.json(&["lead", "list", "--search", "dupont"]).as_array().unwrap().len(), 1);
    assert_eq!(env.json(&["lead", "list", "--stage", "junk"]).as_array().unwrap().len(), 1);
    assert_eq!(env.json(&["lead", "list", "--stage", "new"]).as_array().unwrap().len(), 0);

    env.ok(&["lead", "delete", &id.to_string()]);
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 0);
    env.fails(4, &["lead", "show", &id.to_string()]);
    env.ok(&["db", "check"]);
}

#[test]
fn contact_company_deal_lifecycle() {
    let env = Env::new();
    let company = env.json(&[
        "company",
        "add",
        "--title",
        "Acme SARL",
        "--type",
        "customer",
        "--industry",
        "IT",
        "--web",
        "https://www.acme.example/",
        "--employees",
        "50-249",
    ]);
    let company_id = company["id"].as_i64().unwrap().to_string();
    assert_eq!(company["webs"][0]["normalized"], "acme.example");

    let contact = env.json(&[
        "contact",
        "add",
        "--first-name",
        "Marie",
        "--last-name",
        "Curie",
        "--company",
        "acme sarl",
        "--email",
        "marie@acme.example",
    ]);
    let contact_id = contact["id"].as_i64().unwrap().to_string();
    assert_eq!(contact["links"][0]["entity"], "company");
    assert_eq!(contact["links"][0]["name"], "Acme SARL");

    let company = env.json(&["company", "show", &company_id]);
    assert_eq!(company["links"][0]["name"], "Marie Curie");

    let deal = env.json(&[
        "deal",
        "add",
        "--title",
        "Annual contract",
        "--company",
        &company_id,
        "--contact",
        &contact_id,
        "--amount",
        "12000",
        "--probability",
        "40",
    ]);
    let deal_id = deal["id"].as_i64().unwrap().to_string();
    assert_eq!(deal["pipeline"]["name"], "General");
    assert_eq!(deal["stage"]["code"], "NEW");
    assert_eq!(deal["company"]["name"], "Acme SARL");
    assert_eq!(deal["contact"]["name"], "Marie Curie");
    assert!(deal["close_date"].as_str().is_some(), "close date defaults to +7 days");

    env.json(&["deal", "edit", &deal_id, "--amount", "15000"]);
    let moved = env.json(&["deal", "move", &deal_id, "won"]);
    assert_eq!(moved["stage_semantics"], "success");
    assert_eq!(moved["to"]["code"], "WON");
    assert_eq!(env.json(&["deal", "list", "--stage", "WON"]).as_array().unwrap().len(), 1);

    env.json(&["contact", "edit", &contact_id, "--position", "Physicist", "--phone", "06 11 22 33 44"]);
    let list = env.json(&["contact", "list"]);
    let links = list[0]["links"].as_array().unwrap();
    assert!(links.iter().any(|l| l["entity"] == "company" && l["name"] == "Acme SARL"), "{links:?}");
    assert_eq!(list[0]["phones"][0]["value"], "06 11 22 33 44");
    env.json(&["company", "edit", &company_id, "--revenue", "1 000 000", "--currency", "EUR"]);

    env.ok(&["deal", "delete", &deal_id]);
    env.ok(&["contact", "delete", &contact_id]);
    env.ok(&["company", "delete", &company_id]);
    for e in ["deal", "contact", "company"] {
        assert_eq!(env.json(&[e, "list"]).as_array().unwrap().len(), 0, "{e}");
    }
    env.ok(&["db", "check"]);
}

#[test]
fn json_round_trip_copies_every_field() {
    let env = Env::new();
    let lead = env.json(&[
        "lead",
        "add",
        "--title",
        "Trade show",
        "--honorific",
        "Dr",
        "--first-name",
        "Zoé",
        "--middle-name",
        "A",
        "--last-name",
        "Lefèvre",
        "--company",
        "Blue Harbor",
        "--position",
        "CEO",
        "--birth-date",
        "1970-01-02",
        "--source",
        "TRADE_SHOW",
        "--source-description",
        "Stand 12",
        "--amount",
        "99.90",
        "--currency",
        "CHF",
        "--comments",
        "Line one\nline two",
        "--address",
        "5 rue du Marché, Genève",
        "--opened",
        "no",
        "--phone",
        "work:+41 79 123 45 67",
        "--email",
        "home:zoe@example.ch",
        "--web",
        "blue.example",
        "--messenger",
        "telegram:@zoe",
        "--stage",
        "PROCESSED",
    ]);
    let out = env
        .cmd()
        .args(["--json", "lead", "add", "-"])
        .write_stdin(serde_json::to_string(&lead).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let copy: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ne!(copy["id"], lead["id"]);
    let skip = ["id", "created_at", "modified_at", "moved_at", "repeat_of", "duplicates"];
    for (k, v) in lead.as_object().unwrap() {
        if !skip.contains(&k.as_str()) {
            assert_eq!(&copy[k], v, "field {k} differs after the round trip");
        }
    }
    // show --json | edit ID - changes nothing.
    let id = lead["id"].as_i64().unwrap().to_string();
    let shown = env.json(&["lead", "show", &id]);
    let out = env.cmd().args(["--json", "lead", "edit", &id, "-"]).write_stdin(shown.to_string()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(after["changed"], json!([]));
    assert_eq!(after["version"], 1);
}

#[test]
fn stale_version_is_a_conflict_and_writes_nothing() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Shared"]);
    env.json(&["lead", "edit", "1", "--title", "Edited by Bob", "--if-version", "1"]);
    let err = env.fails(3, &["lead", "edit", "1", "--title", "Edited by Alice", "--if-version", "1"]);
    assert!(err.contains("changed by someone else") && err.contains("your version 1, now 2"), "{err}");
    env.fails(3, &["lead", "move", "1", "Processed", "--if-version", "1"]);
    env.fails(3, &["lead", "delete", "1", "--if-version", "1"]);
    let out = env.cmd().args(["--json", "lead", "edit", "1", "--title", "x", "--if-version", "1"]).output().unwrap();
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"], "conflict");
    assert_eq!(env.json(&["lead", "show", "1"])["title"], "Edited by Bob");
}

#[test]
fn repeat_lead_matches_a_contact_phone_in_another_format() {
    let env = Env::new();
    env.json(&["company", "add", "--title", "Acme SARL"]);
    let c = env.json(&[
        "contact",
        "add",
        "--first-name",
        "Marie",
        "--last-name",
        "Curie",
        "--phone",
        "+33 6 12 34 56 78",
        "--company",
        "Acme SARL",
    ]);
    let lead = env.json(&["lead", "add", "--title", "Call from Marie", "--phone", "06.12.34.56.78"]);
    assert_eq!(lead["is_repeat"], true);
    assert_eq!(lead["repeat_of"][0], json!({"entity": "contact", "id": c["id"], "matched_by": "phone"}));
    let links: Vec<&str> = lead["links"].as_array().unwrap().iter().map(|l| l["entity"].as_str().unwrap()).collect();
    assert_eq!(links, ["contact", "company"], "the contact's company comes along as the client");
    let other = env.json(&["lead", "add", "--title", "Someone new", "--phone", "06 99 88 77 66"]);
    assert_eq!(other["is_repeat"], false);
    let by_email = env.json(&["lead", "add", "--email", "  CONTACT@acme.example "]);
    assert_eq!(by_email["is_repeat"], false);
    let by_company = env.json(&["lead", "add", "--company", "  acme   sarl "]);
    assert_eq!(by_company["is_repeat"], true);
    assert_eq!(by_company["repeat_of"][0]["matched_by"], "company");
    assert_eq!(env.json(&["lead", "list", "--repeat"]).as_array().unwrap().len(), 2);
    assert_eq!(env.json(&["lead", "list", "--first-time"]).as_array().unwrap().len(), 2);
}

#[test]
fn list_filters_and_pages() {
    let env = Env::new();
    env.ok(&["user", "add", "bob", "--name", "Bob Martin"]);
    for i in 0..7 {
        let who = if i % 2 == 0 { "alice" } else { "Bob Martin" };
        env.json(&[
            "lead",
            "add",
            "--title",
            &format!("Lead {i}"),
            "--responsible",
            who,
            "--source",
            if i < 3 { "call" } else { "E-mail" },
        ]);
    }
    assert_eq!(env.json(&["lead", "list", "--responsible", "bob"]).as_array().unwrap().len(), 3);
    assert_eq!(env.json(&["lead", "list", "--source", "CALL"]).as_array().unwrap().len(), 3);
    let page1 = env.json(&["lead", "list", "--limit", "4"]);
    let ids: Vec<i64> = page1.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [7, 6, 5, 4]);
    let page2 = env.json(&["lead", "list", "--limit", "4", "--before", "4"]);
    let ids: Vec<i64> = page2.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [3, 2, 1]);
    assert_eq!(env.json(&["lead", "list", "--search", "lead 5"]).as_array().unwrap().len(), 1);
}

#[test]
fn search_finds_names_phones_and_emails_across_types() {
    let env = Env::new();
    env.json(&["contact", "add", "--first-name", "Élodie", "--last-name", "Martin", "--phone", "06 12 34 56 78"]);
    env.json(&["company", "add", "--title", "Brightwater Labs", "--email", "hello@brightwater.example"]);
    env.json(&["lead", "add", "--title", "Demande de devis", "--last-name", "Martin"]);
    let hits = env.json(&["search", "elodie"]);
    assert_eq!(hits[0]["entity"], "contact");
    assert_eq!(env.json(&["search", "06 12 34"]).as_array().unwrap().len(), 1);
    assert_eq!(env.json(&["search", "+33 6 12"]).as_array().unwrap().len(), 1);
    assert_eq!(env.json(&["search", "brightwater"])[0]["entity"], "company");
    assert_eq!(env.json(&["search", "mart"]).as_array().unwrap().len(), 2);
}

#[test]
fn a_phone_search_lists_the_newest_first() {
    let env = Env::new();
    for (title, phone) in [("Aaa", "06 12 34 56 01"), ("Bbb", "06 12 34 56 02"), ("Ccc", "06 12 34 56 03")] {
        env.json(&["lead", "add", "--title", title, "--phone", phone]);
    }
    for typed in ["0612", "06123", "+33 612"] {
        let hits = env.json(&["search", typed]);
        let ids: Vec<i64> = hits.as_array().unwrap().iter().map(|h| h["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [3, 2, 1], "{typed}");
    }
}

#[test]
fn french_output() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Salon", "--amount", "1234.5"]);
    let out = env.cmd().args(["--lang", "fr", "lead", "list"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Étape") && text.contains("1\u{202f}234,50\u{a0}€"), "{text}");
    let out = env.cmd().args(["--lang", "fr", "lead", "add", "--email", "x@"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("« x@ » n'est pas une adresse e-mail"), "{err}");
}

#[test]
fn lists_sort_by_each_key_both_ways_and_pages_add_up() {
    let env = Env::new();
    env.ok(&["demo", "--leads", "60", "--seed", "3"]);
    // Two leads belong to nobody: the responsible order puts them first.
    for id in ["5", "17"] {
        env.json(&["lead", "edit", id, "--responsible", ""]);
    }
    let stages: Vec<String> = env.json(&["stage", "list"])["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_string())
        .collect();
    let list = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["lead", "list"];
        all.extend_from_slice(args);
        env.json(&all).as_array().unwrap().clone()
    };
    // The key each order compares, as the list shows it.
    let key_of = |sort: &str, row: &serde_json::Value| -> String {
        match sort {
            "title" => row["title"].as_str().unwrap().to_lowercase(),
            "amount" => format!("{:020}", row["amount_minor"].as_i64().unwrap_or(-1) + 1),
            "stage" => {
                format!("{:02}", stages.iter().position(|c| c == row["stage"]["code"].as_str().unwrap()).unwrap())
            }
            "responsible" => row["responsible"]["code"].as_str().unwrap_or("").to_string(),
            "next-activity" => row["next_activity_at"].as_str().unwrap_or("9999").to_string(),
            other => panic!("{other}"),
        }
    };
    for sort in ["title", "amount", "stage", "responsible", "next-activity"] {
        for reverse in [false, true] {
            let mut args = vec!["--sort", sort, "--limit", "1000"];
            if reverse {
                args.push("--reverse");
            }
            let rows = list(&args);
            assert_eq!(rows.len(), 60, "{sort}");
            // In order, ties by id the same way round.
            let keys: Vec<(String, i64)> = rows.iter().map(|r| (key_of(sort, r), r["id"].as_i64().unwrap())).collect();
            common::assert_in_order(&keys, reverse, &format!("--sort {sort} (reverse: {reverse})"));
            // Pages of 7 (across the stages' and users' groups) add up to the whole list.
            let paged = common::paged(rows.len(), 7, |offset| {
                let offset = offset.to_string();
                let mut page_args = vec!["--sort", sort, "--limit", "7", "--offset", &offset];
                if reverse {
                    page_args.push("--reverse");
                }
                list(&page_args).iter().map(|r| r["id"].as_i64().unwrap()).collect()
            });
            assert_eq!(paged, keys.iter().map(|k| k.1).collect::<Vec<_>>(), "pages of --sort {sort}");
        }
    }
    assert_eq!(
        list(&["--sort", "responsible", "--limit", "2"]).iter().map(|r| r["id"].clone()).collect::<Vec<_>>(),
        [5, 17]
    );
    // Within a filter, the same order: whether the page walks the order's index (a filter
    // keeping many records, as the New stage) or sorts what the filter found (one record).
    let ids = |rows: Vec<serde_json::Value>| rows.iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>();
    for sort in ["title", "amount"] {
        for reversed in [false, true] {
            let flags: &[&str] = if reversed { &["--reverse"] } else { &[] };
            let whole = list(&[&["--sort", sort, "--limit", "1000"][..], flags].concat());
            let in_new: Vec<_> = whole.iter().filter(|r| r["stage"]["code"] == "NEW").cloned().collect();
            assert!(in_new.len() > 10, "the New stage holds {} leads", in_new.len());
            let listed = list(&[&["--sort", sort, "--stage", "NEW", "--limit", "1000"][..], flags].concat());
            assert_eq!(ids(listed), ids(in_new.clone()), "--sort {sort} --stage NEW {flags:?}");
            let second_page =
                list(&[&["--sort", sort, "--stage", "NEW", "--limit", "5", "--offset", "5"][..], flags].concat());
            assert_eq!(ids(second_page), ids(in_new[5..10].to_vec()), "--sort {sort} --stage NEW --offset 5");
            let email = in_new[3]["emails"][0]["value"].as_str().unwrap();
            let found = list(&[&["--sort", sort, "--search", email, "--limit", "9"][..], flags].concat());
            assert_eq!(ids(found), ids(in_new[3..4].to_vec()), "{email}");
        }
    }
    // Clap's usage errors: what was wrong and what is accepted.
    let refused = |args: &[&str]| {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let _ = refused;
    // An order that is none: what was wrong and what is accepted (the built-in orders and the
    // fields of the team's own).
    let out = env.cmd().args(["lead", "list", "--sort", "colour"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("colour") && said.contains("newest, title, amount, stage"), "{said}");
    let out = env.cmd().args(["lead", "list", "--offset", "7"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("--sort"));
}

/// The Kanban's column totals are kept by triggers (schema 9) in every write, and counted again
/// after a bulk load, which sets the triggers aside: `db check` compares them with the records
/// after each kind of change, and the board reads what the records say.
#[test]
fn column_totals_follow_every_kind_of_change() {
    let env = Env::new();
    let checked = |what: &str| {
        let check = env.json(&["db", "check"]);
        assert_eq!(check["ok"], true, "after {what}: {check}");
    };
    let add = |title: &str, extra: &[&str]| -> String {
        env.json(&[&["lead", "add", "--title", title], extra].concat())["id"].to_string()
    };
    let a = add("Euros", &["--amount", "100", "--currency", "EUR"]);
    let b = add("Dollars", &["--amount", "250.50", "--currency", "USD"]);
    let c = add("Nothing", &[]);
    checked("adding leads");
    env.json(&["lead", "edit", &a, "--amount", "400"]);
    env.json(&["lead", "edit", &b, "--currency", "EUR"]);
    env.json(&["lead", "edit", &c, "--amount", "7"]);
    checked("editing amounts and currencies");
    env.json(&["lead", "move", &a, "IN_PROCESS"]);
    env.json(&["lead", "move", &b, "JUNK"]);
    checked("moves");
    env.json(&["lead", "delete", &c]);
    let deal = env.json(&["deal", "add", "--title", "Big", "--amount", "1000", "--currency", "EUR"])["id"].to_string();
    env.json(&["deal", "move", &deal, "WON"]);
    checked("a deleted lead and a won deal");
    let csv = env.dir.path().join("leads.csv");
    std::fs::write(&csv, "Title,Amount,Currency\nOne,10,EUR\nTwo,20,USD\nThree,,\n").unwrap();
    env.json(&["import", csv.to_str().unwrap(), "--bulk"]);
    checked("a bulk import");
    env.json(&["demo", "--leads", "300"]);
    checked("the demo data");
    // The New column's head, as the board shows it, against the leads listed in it.
    let stages = env.json(&["stage", "list"]);
    let new = stages["stages"].as_array().unwrap().iter().find(|s| s["code"] == "NEW").unwrap().clone();
    let listed = env.json(&["lead", "list", "--stage", "NEW", "--limit", "10000"]).as_array().unwrap().len();
    assert_eq!(new["count"].as_u64(), Some(listed as u64), "{new}");
}

/// Issue 21: SQLite gave a deleted newest record's id to the next one, whose timeline then
/// showed the deleted record's history. No id of any record kind comes back.
#[test]
fn ids_are_never_reused_and_a_deleted_records_history_stays_with_it() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "kept"]);
    let doomed = env.json(&["lead", "add", "--title", "doomed"]);
    assert_eq!(doomed["id"], 2);
    env.ok(&["lead", "comment", "2", "secret note"]);
    env.ok(&["lead", "delete", "2"]);
    let fresh = env.json(&["lead", "add", "--title", "fresh"]);
    assert_eq!(fresh["id"], 3, "the deleted lead's id is not given again");
    let shown = env.ok(&["lead", "show", "3"]);
    assert!(!shown.contains("secret note") && !shown.contains("deleted"), "{shown}");
    env.fails(4, &["lead", "show", "2"]);
    // Contacts, also after a merge deleted the newest one.
    env.json(&["contact", "add", "--first-name", "Ana", "--last-name", "Lopez"]);
    env.json(&["contact", "add", "--first-name", "Ana", "--last-name", "Lopez"]);
    env.json(&["contact", "merge", "1", "2", "--prefer", "keep"]);
    let next = env.json(&["contact", "add", "--first-name", "Zoe", "--last-name", "Martin"]);
    assert_eq!(next["id"], 3, "a merged contact's id is not given again");
    // Activities: a deleted activity's id does not come back.
    env.json(&["activity", "add", "--lead", "1", "--at", "+2d"]);
    let second = env.json(&["activity", "add", "--lead", "1", "--at", "+3d"]);
    let second = second["id"].as_i64().unwrap();
    env.ok(&["activity", "delete", &second.to_string()]);
    let third = env.json(&["activity", "add", "--lead", "1", "--at", "+4d"]);
    assert_eq!(third["id"].as_i64().unwrap(), second + 1, "{third}");
    assert_eq!(env.json(&["db", "check"])["ok"], true);
}

/// Issue 21: two huge amounts in one stage made the kept column total a floating-point number:
/// the Kanban never loaded and `db check` failed. Amounts are bounded, and totals never fail.
#[test]
fn amounts_are_bounded_and_column_totals_never_overflow() {
    let env = Env::new();
    env.json(&["lead", "add", "--amount", "999999999999.99", "--currency", "EUR"]);
    let err = env.fails(1, &["lead", "add", "--amount", "50000000000000000"]);
    assert!(err.contains("amount:") && err.contains("at most 12 digits"), "{err}");
    let top = "999999999999.99";
    for _ in 0..2 {
        env.json(&["lead", "add", "--amount", top, "--currency", "EUR"]);
    }
    // Past what 64 bits hold: a few of the largest amounts written straight into the file.
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch(
        "UPDATE leads SET amount_minor = 9000000000000000000 WHERE id IN (1, 2);
         UPDATE leads SET amount_minor = 5 WHERE id = 3;",
    )
    .unwrap();
    let kept: Option<i64> =
        c.query_row("SELECT amount_minor FROM stage_totals WHERE records = 3", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, None, "a sum past 64 bits is kept as 'count the records'");
    drop(c);
    let check = env.json(&["db", "check"]);
    assert_eq!(check["ok"], true, "{check}");
    let out = env.ok(&["db", "check"]);
    assert!(out.contains("integrity ok"), "{out}");
    env.ok(&["export", "--entity", "lead", "--format", "csv", "--out", env.dir.path().join("x.csv").to_str().unwrap()]);
    // The board reads 18,000,000,000,000,000,005 minor units = 180,000,000,000,000,000.05.
    let store = prospect::service::Service::open(&env.db, Default::default()).unwrap();
    let (_, heads) = store.board(prospect::domain::fields::Entity::Lead, None).unwrap();
    assert_eq!(heads[0].sums, vec![("EUR".to_string(), 18_000_000_000_000_000_005i128)]);
    drop(store);
    // Another tool wrote a number that is not whole: the list still reads, the check names it.
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch("UPDATE leads SET amount_minor = 1.5e19 WHERE id = 3").unwrap();
    drop(c);
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 3);
    // It counts as nothing in the column, for the file's totals and a count of the records.
    let store = prospect::service::Service::open(&env.db, Default::default()).unwrap();
    let (_, heads) = store.board(prospect::domain::fields::Entity::Lead, None).unwrap();
    assert_eq!(heads[0].sums, vec![("EUR".to_string(), 18_000_000_000_000_000_000i128)]);
    drop(store);
    let out = env.cmd().args(["db", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("leads #3: its amount is not a whole number"));
}

/// Issue 21: a deactivated user may read, never write.
#[test]
fn a_deactivated_user_cannot_write() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "by alice"]);
    // A manager who also observes: reads every lead, adds their own.
    env.json(&["user", "add", "bob", "--role", "Manager", "--role", "Observateur"]);
    env.ok(&["user", "deactivate", "bob"]);
    let out = env.cmd_as("bob").args(["lead", "add", "--title", "by bob"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("user 'bob' is deactivated") && err.contains("nothing was written"), "{err}");
    let out = env.cmd_as("bob").args(["lead", "move", "1", "In progress"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = env.cmd_as("bob").args(["lead", "list"]).output().unwrap();
    assert!(out.status.success(), "reading is still allowed");
    assert!(String::from_utf8_lossy(&out.stdout).contains("by alice"));
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 1);
    env.ok(&["user", "activate", "bob"]);
    env.cmd_as("bob").args(["lead", "add", "--title", "by bob"]).assert().success();
    // The last active administrator cannot be deactivated: nobody could write again.
    let err = env.fails(1, &["user", "deactivate", "alice"]);
    assert!(err.contains("alice is the last active administrator") && err.contains("user add"), "{err}");
    env.json(&["user", "add", "carol", "--admin"]);
    env.ok(&["user", "deactivate", "alice"]);
    let out = env.cmd().args(["lead", "add", "--title", "by alice"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    env.cmd_as("carol").args(["user", "activate", "alice"]).assert().success();
}

/// Issue 21: a move to the stage a record is already in succeeds and writes nothing.
#[test]
fn a_move_to_the_stage_a_record_is_in_succeeds_and_writes_nothing() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "x"]);
    let before = std::fs::read(&env.db).unwrap();
    for _ in 0..3 {
        let out = env.ok(&["lead", "move", "1", "New"]);
        assert!(out.contains("already in New"), "{out}");
    }
    let moved = env.json(&["lead", "move", "1", "NEW"]);
    assert_eq!(moved["unchanged"], true);
    assert_eq!(moved["version"], 1);
    assert_eq!(std::fs::read(&env.db).unwrap(), before, "nothing was written");
}

/// One shape for a record in every command's JSON (issue 21): what `add`, `edit`, `list`,
/// `show`, `move`, `search` and `export --format json` give for a record is the same object,
/// with RFC 3339 UTC times and references as `{id, code, name}`.
#[test]
fn one_json_shape_for_a_record_everywhere() {
    let env = Env::new();
    env.json(&["user", "add", "bob"]);
    let added = env.json(&[
        "lead",
        "add",
        "--title",
        "Shape test",
        "--responsible",
        "bob",
        "--source",
        "WEB",
        "--email",
        "shape@example.com",
    ]);
    let id = added["id"].as_i64().unwrap().to_string();
    let without = |v: &serde_json::Value, keys: &[&str]| -> serde_json::Value {
        let mut v = v.clone();
        for k in keys {
            v.as_object_mut().unwrap().remove(*k);
        }
        v
    };
    // `show` attaches the record's history and lines (a deal's documents too).
    let shown = without(&env.json(&["lead", "show", &id]), &["timeline", "lines"]);
    assert_eq!(without(&added, &["repeat_of", "duplicates"]), shown, "add");
    assert_eq!(env.json(&["lead", "list"])[0], shown, "list");
    assert_eq!(env.json(&["search", "shape"])[0], shown, "search");
    let exported: serde_json::Value = serde_json::from_str(&env.ok(&["export", "--format", "json"])).unwrap();
    assert_eq!(exported[0], shown, "export --format json");
    for key in ["created_at", "modified_at"] {
        let t = shown[key].as_str().unwrap_or_else(|| panic!("{key}: {}", shown[key]));
        assert!(chrono::DateTime::parse_from_rfc3339(t).is_ok() && t.ends_with('Z'), "{key}: {t}");
    }
    assert_eq!(shown["stage"], serde_json::json!({"id": 1, "code": "NEW", "name": "New"}));
    assert_eq!(shown["source"]["code"], "WEB");
    assert_eq!(shown["responsible"]["code"], "bob", "a user's code is the login");
    assert!(shown["responsible"]["id"].is_i64() && shown["responsible"]["name"].is_string());
    let moved = env.json(&["lead", "move", &id, "IN_PROCESS"]);
    let shown = without(&env.json(&["lead", "show", &id]), &["timeline", "lines"]);
    assert_eq!(without(&moved, &["from", "to", "completed_activities", "unchanged", "rules"]), shown, "move");
    assert_eq!(moved["rules"], serde_json::json!([]), "no stage rule ran");
    assert_eq!(moved["from"]["code"], "NEW");
    let edited = env.json(&["lead", "edit", &id, "--comments", "Edited"]);
    let shown = without(&env.json(&["lead", "show", &id]), &["timeline", "lines"]);
    assert_eq!(without(&edited, &["changed", "duplicates"]), shown, "edit");
    // What `show` gives is accepted back by `edit` (references by code, none emptied).
    let mut cmd = env.cmd();
    let out = cmd.args(["--json", "lead", "edit", &id, "-"]).write_stdin(shown.to_string()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["changed"], serde_json::json!([]), "{again}");
}

/// The created filter takes every day form of the plan form: a day without a year is the
/// latest such day (nothing is created in the future), a range's end the first on or after
/// its start.
#[test]
fn list_created_filter_takes_the_plan_forms_days() {
    let env = Env::new();
    let at = |now: &str, title: &str| {
        let mut c = env.cmd();
        let out =
            c.env("PROSPECT_NOW", now).env("TZ", "UTC").args(["--json", "lead", "add", "--title", title]).output();
        let out = out.unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    at("2025-11-15T10:00:00Z", "last year");
    at("2026-11-01T00:30:00Z", "first of November");
    at("2026-11-30T23:30:00Z", "last of November");
    at("2026-12-03T10:00:00Z", "this week");
    at("2026-12-05T09:00:00Z", "today");
    let list = |args: &[&str]| -> Vec<String> {
        let mut c = env.cmd();
        c.env("PROSPECT_NOW", "2026-12-05T13:04:00Z").env("TZ", "UTC");
        let out = c.args(["--json", "lead", "list"]).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        rows.as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_string()).rev().collect()
    };
    assert_eq!(list(&["--created-from", "01/11", "--created-to", "30/11"]), ["first of November", "last of November"]);
    assert_eq!(list(&["--created-from", "-2d"]), ["this week", "today"]);
    assert_eq!(list(&["--created-from", "3 days ago", "--created-to", "hier"]), ["this week"]);
    assert_eq!(list(&["--created-from", "aujourd'hui"]), ["today"]);
    assert_eq!(list(&["--created-to", "15/11"]), ["last year", "first of November"]);
    let mut c = env.cmd();
    c.env("PROSPECT_NOW", "2026-12-05T13:04:00Z").args(["lead", "list", "--created-to", "14h"]);
    let err = String::from_utf8(c.output().unwrap().stderr).unwrap();
    assert!(err.contains("created-to: '14h' is not a day (write for example: 2026-11-24, 24/11/2026, 24/11"), "{err}");
    let err = env.fails(1, &["lead", "list", "--created-from", "2026-11-30", "--created-to", "2026-11-01"]);
    assert!(err.contains("created-to: '2026-11-01' comes before '2026-11-30'"), "{err}");
}

/// In French, a date field reads as French dates do (`12/05/1980`, as activity dates) and a
/// record without a title is named in French (`Prospect #1`, never `Prospect #1 · Lead #1`);
/// English keeps ISO days, and JSON keeps ISO whatever the language.
#[test]
fn french_dates_and_untitled_records_read_in_french() {
    let env = Env::new();
    let id = env.json(&[
        "contact",
        "add",
        "--first-name",
        "Marie",
        "--last-name",
        "Curie",
        "--birth-date",
        "1980-05-12",
    ])["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let out = env.cmd().args(["--lang", "fr", "contact", "show", &id]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("12/05/1980") && !text.contains("1980-05-12"), "{text}");
    assert!(env.ok(&["contact", "show", &id]).contains("1980-05-12"));
    let out = env.cmd().args(["--lang", "fr", "--json", "contact", "show", &id]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["birth_date"], "1980-05-12");

    let lead = env.json(&["lead", "add", "--phone", "+33 6 12 34 56 78"])["id"].as_i64().unwrap().to_string();
    let out = env.cmd().args(["--lang", "fr", "lead", "show", &lead]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let head = text.lines().next().unwrap_or("");
    assert!(head.starts_with(&format!("Prospect #{lead}")) && !text.contains("Lead #"), "{text}");
    let out = env.cmd().args(["--lang", "fr", "lead", "list"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!("Prospect #{lead}")) && !text.contains("Lead #"), "{text}");
}

/// A deal's other contacts (SPEC E3) by flags and by JSON: shown primary first, fed back
/// unchanged, replaced by a JSON list, exported, refused by a clear line when unknown.
#[test]
fn a_deal_links_several_contacts_by_flags_and_json() {
    let env = Env::new();
    let ids: Vec<String> = ["Anne", "Marc", "Lea"]
        .iter()
        .map(|n| env.json(&["contact", "add", "--first-name", n, "--last-name", "Roux"])["id"].to_string())
        .collect();
    let (anne, marc, lea) = (&ids[0], &ids[1], &ids[2]);
    let deal = env.json(&[
        "deal",
        "add",
        "--title",
        "Kiosks",
        "--contact",
        anne,
        "--link-contact",
        marc,
        "--link-contact",
        lea,
    ]);
    let shown = |d: &serde_json::Value| -> Vec<(String, bool)> {
        d["contacts"].as_array().unwrap().iter().map(|c| (c["id"].to_string(), c["primary"] == true)).collect()
    };
    assert_eq!(shown(&deal), [(anne.clone(), true), (marc.clone(), false), (lea.clone(), false)]);
    let id = deal["id"].to_string();
    let text = env.ok(&["deal", "show", &id]);
    assert!(text.contains(&format!("#{anne} Anne Roux (primary)")), "{text}");
    assert!(env.ok(&["--lang", "fr", "deal", "show", &id]).contains("Anne Roux (principal)"));

    // Fed back as shown: nothing changes.
    let out = env.cmd().args(["--json", "deal", "edit", &id, "--json", "-"]).write_stdin(deal.to_string()).output();
    let out = out.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(fed["changed"], json!([]), "{fed}");
    // A JSON list replaces the others.
    let only_lea = json!({"contacts": [{"id": anne.parse::<i64>().unwrap()}, lea]}).to_string();
    let out = env.cmd().args(["--json", "deal", "edit", &id, "--json", "-"]).write_stdin(only_lea).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(shown(&env.json(&["deal", "show", &id])), [(anne.clone(), true), (lea.clone(), false)]);

    // Unlinked by flag; the contact's form no longer lists the deal.
    env.ok(&["deal", "edit", &id, "--unlink-contact", lea]);
    let lea_card = env.json(&["contact", "show", lea]);
    assert_eq!(lea_card["links"], json!([]), "{lea_card}");
    env.ok(&["deal", "edit", &id, "--link-contact", marc]);
    // The CSV export names the others by id after the primary's column.
    let csv = env.ok(&["export", "--entity", "deal"]);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "contacts").expect("a contacts column");
    assert_eq!(row[at], marc.as_str(), "{csv}");

    // An unknown contact: one line naming the field, nothing written.
    let err = env.fails(1, &["deal", "edit", &id, "--link-contact", "999"]);
    assert!(err.contains("contacts: there is no contact '999'"), "{err}");
}

/// Issue 27: a field of the team's own through the CLI: added with French labels and a
/// required stage, set with --set and JSON, shown, refused with the field named, required on
/// a move (the refusal names the flag), deleted only with --force.
#[test]
fn a_custom_field_is_added_set_required_and_deleted() {
    let env = Env::new();
    let field = env.json(&[
        "field",
        "add",
        "--entity",
        "lead",
        "interest",
        "--type",
        "list",
        "--label",
        "Product of interest",
        "--label-fr",
        "Produit souhaité",
        "--options",
        "CRM, ERP",
        "--required-from",
        "In progress",
    ]);
    assert_eq!(field["code"], "interest");
    assert_eq!(field["options"], json!(["CRM", "ERP"]));
    let listed = env.ok(&["--lang", "fr", "field", "list"]);
    assert!(listed.contains("Produit souhaité") && listed.contains("In progress"), "{listed}");
    env.json(&["field", "add", "--entity", "lead", "budget", "--type", "money"]);

    let lead = env.json(&["lead", "add", "--title", "Kiosk", "--set", "budget=1 500"]);
    let id = lead["id"].to_string();
    assert_eq!(lead["fields"], json!({"budget": "1500.00 EUR", "interest": null}));
    let err = env.fails(1, &["lead", "edit", &id, "--set", "interest=Billing"]);
    assert!(err.contains("interest: 'Billing' is not accepted (accepted: CRM, ERP)"), "{err}");
    let err = env.fails(1, &["--lang", "fr", "lead", "move", &id, "IN_PROCESS"]);
    assert!(err.contains("Produit souhaité [interest]") && err.contains("--set CODE=VALEUR"), "{err}");
    let moved = env.json(&["lead", "move", &id, "IN_PROCESS", "--set", "interest=erp"]);
    assert_eq!(moved["fields"]["interest"], "ERP");
    // JSON input under `fields`; the shown record fed back changes nothing.
    let out = env
        .cmd()
        .args(["--json", "lead", "edit", &id, "-"])
        .write_stdin(json!({"fields": {"budget": "2000 EUR"}}).to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = env.json(&["lead", "show", &id]);
    assert_eq!(shown["fields"]["budget"], "2000.00 EUR");
    let text = env.ok(&["--lang", "fr", "lead", "show", &id]);
    assert!(text.contains("Produit souhaité") && text.contains("000,00\u{a0}€"), "{text}");

    // Exported under their codes.
    let csv = env.ok(&["export", "--entity", "lead"]);
    let (head, row) = (csv.lines().next().unwrap(), csv.lines().nth(1).unwrap());
    assert!(head.ends_with(",interest,budget") && row.ends_with(",ERP,2000.00 EUR"), "{csv}");
    let err = env.fails(1, &["field", "delete", "--entity", "lead", "budget"]);
    assert!(err.contains("1 record holds a value of the field budget") && err.contains("--force"), "{err}");
    env.ok(&["field", "delete", "--entity", "lead", "budget", "--force"]);
    let history = env.ok(&["lead", "show", &id]);
    assert!(history.contains("budget: 1500.00 EUR → 2000.00 EUR"), "the history keeps it: {history}");
}

/// Issue 27 (SPEC V2, F3): a list filtered and sorted by fields with their columns and
/// total, a saved view opened by name, sections moved and hidden; refusals name the field.
#[test]
fn lists_by_fields_views_and_sections_from_the_command_line() {
    let env = Env::new();
    env.json(&["field", "add", "--entity", "lead", "budget", "--type", "money", "--label", "Budget", "--in-list"]);
    for (title, budget) in [("Small", "300"), ("Big", "9 000"), ("Middle", "1 500"), ("None", "")] {
        env.json(&["lead", "add", "--title", title, "--amount", "10", "--set", &format!("budget={budget}")]);
    }
    let listed = env.ok(&["lead", "list", "--where", "budget>=1000", "--sort", "budget", "--reverse", "--total"]);
    let big = listed.find("Big").unwrap();
    assert!(listed.contains("Budget") && big < listed.find("Middle").unwrap(), "{listed}");
    assert!(!listed.contains("Small") && listed.contains("2 leads · €20.00"), "{listed}");
    let out = env.json(&["lead", "list", "--where", "budget=", "--total"]);
    assert_eq!(out["count"], 1);
    assert_eq!(out["records"][0]["title"], "None");
    let said = env.fails(1, &["lead", "list", "--where", "budget>=lots"]);
    assert!(said.contains("budget") && said.contains("lots"), "{said}");
    let said = env.fails(1, &["--lang", "fr", "lead", "list", "--sort", "colour"]);
    assert!(said.contains("colour") && said.contains("budget"), "{said}");
    // A view saved, then opened by its name; its sort and filter hold.
    env.ok(&["view", "save", "--entity", "lead", "Big ones", "--where", "budget>=1000", "--sort", "budget"]);
    let viewed = env.ok(&["lead", "list", "--view", "big ones"]);
    assert!(viewed.find("Middle").unwrap() < viewed.find("Big").unwrap() && !viewed.contains("Small"), "{viewed}");
    assert!(env.ok(&["view", "list"]).contains("Big ones"));
    // Sections: a field moved and one hidden, as `show` prints them.
    env.ok(&["section", "add", "--entity", "lead", "qualification", "--label", "Qualification"]);
    env.ok(&["section", "move", "--entity", "lead", "budget", "qualification"]);
    env.ok(&["section", "hide", "--entity", "lead", "amount"]);
    let shown = env.ok(&["lead", "show", "2"]);
    assert!(shown.contains("Qualification\n  Budget"), "{shown}");
    assert!(!shown.contains("Amount"), "hidden: {shown}");
    let json = env.json(&["lead", "show", "2"]);
    assert_eq!(json["amount"], "10.00", "the data stays");
}

/// `open` hands the record's phone, e-mail or website to the system's handler, as Enter on
/// the form does (SPEC V5); a record without one, or no handler, is a clear refusal.
#[test]
fn open_hands_the_address_to_the_handler() {
    let env = Env::new();
    let id = env.json(&[
        "contact",
        "add",
        "--first-name",
        "Zoé",
        "--last-name",
        "Curie",
        "--phone",
        "mobile:06 12 34 56 78",
        "--phone",
        "01 23 45 67 89 poste 12",
        "--email",
        "zoe@acme.fr",
        "--json",
    ])["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let seen = env.dir.path().join("opened.txt");
    let script = env.dir.path().join("opener.sh");
    std::fs::write(&script, format!("#!/bin/sh\necho \"$1\" >> '{}'\n", seen.display())).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let open = |args: &[&str]| {
        let out = env.cmd().env("PROSPECT_OPENER", &script).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(open(&["contact", "open", &id]).contains("Opening tel:+33612345678 with"));
    open(&["contact", "open", &id, "phone", "--nth", "2"]);
    open(&["contact", "open", &id, "email"]);
    let lines = std::fs::read_to_string(&seen).unwrap();
    assert_eq!(lines, "tel:+33612345678\ntel:+33123456789;ext=12\nmailto:zoe@acme.fr\n");
    // --print opens nothing.
    assert_eq!(env.ok(&["contact", "open", &id, "email", "--print"]).trim(), "mailto:zoe@acme.fr");
    let j = env.json(&["contact", "open", &id, "--print", "--json"]);
    assert_eq!((j["uri"].as_str(), j["opened"].as_bool()), (Some("tel:+33612345678"), Some(false)));
    assert_eq!(std::fs::read_to_string(&seen).unwrap().lines().count(), 3);
    // Nothing of that kind: named.
    let err = env.fails(1, &["contact", "open", &id, "web"]);
    assert!(err.contains(&format!("#{id} has no web address to open")), "{err}");
    // No handler (the test's environment has no PATH): said, with what to do.
    let err = env.fails(1, &["contact", "open", &id]);
    assert!(err.contains("no program xdg-open") && err.contains("PROSPECT_OPENER"), "{err}");
}
