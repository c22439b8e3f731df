//! Issue 29 (SPEC V8): `prospect report forecast|won-lost` through the binary in Paris time,
//! as text, JSON, CSV and Markdown, in English and French, on a file and on PostgreSQL.

use crate::common::Env;

/// Runs at `now` (RFC 3339) in Paris.
fn at(env: &Env, now: &str, args: &[&str]) -> String {
    let out = env.cmd().env("PROSPECT_NOW", now).env("TZ", "Europe/Paris").args(args).output().unwrap();
    assert!(out.status.success(), "prospect {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn reports(env: &Env) {
    let id = |v: serde_json::Value| v["id"].as_i64().unwrap().to_string();
    let won = id(env.json(&["deal", "add", "--title", "Fours", "--amount", "10000"]));
    let lost = id(env.json(&["deal", "add", "--title", "Caisse", "--amount", "7000"]));
    let late = id(env.json(&["deal", "add", "--title", "Pétrin", "--amount", "3000"]));
    env.json(&["deal", "add", "--title", "Four mixte", "--amount", "6000", "--close-date", "2026-04-15"]);
    // 1 March 00:30 in Paris (28 February 23:30 UTC): March's.
    at(env, "2026-02-28T23:30:00Z", &["deal", "move", &won, "WON"]);
    at(env, "2026-03-10T09:00:00Z", &["deal", "move", &lost, "LOSE", "--reason", "Prix"]);
    // 1 April 00:30 in Paris: April's.
    at(env, "2026-03-31T22:30:00Z", &["deal", "move", &late, "LOSE", "--reason", "Délai"]);
    let march = ["report", "won-lost", "--from", "2026-03-01", "--to", "2026-03-31"];
    let j: serde_json::Value =
        serde_json::from_str(&at(env, "2026-04-02T10:00:00Z", &[&["--json"][..], &march[..]].concat())).unwrap();
    let g = &j["groups"][0]["period"];
    assert_eq!(
        (g["won"].as_i64(), g["lost"].as_i64(), g["win_rate"].as_str()),
        (Some(1), Some(1), Some("50.0")),
        "{j}"
    );
    assert_eq!(g["won_amount"][0]["amount"], "10000.00");
    // "Prix" names the list's "Price": kept so, shown in the user's language.
    assert_eq!(g["lost_reasons"][0]["reason"], "Price");
    assert_eq!(j["previous"]["from"], "2026-02-01", "a whole month compares with the month before: {j}");
    let csv = at(env, "2026-04-02T10:00:00Z", &[&march[..], &["--csv"][..]].concat());
    assert_eq!(csv.lines().next(), Some("period,won,lost,currency,won_amount,lost_amount,win_rate"));
    assert!(csv.contains("current,1,1,EUR,10000.00,7000.00,50.0"), "{csv}");
    let md = at(env, "2026-04-02T10:00:00Z", &[&["--lang", "fr"][..], &march[..], &["--format", "md"][..]].concat());
    assert!(md.starts_with("## Gagnées et perdues, du 01/03/2026 au 31/03/2026"), "{md}");
    assert!(md.contains("| Taux de réussite | 50,0 % |") && md.contains("- Prix : 1"), "{md}");
    // The reasons ranked, a row per reason for a spreadsheet: March's "Prix" is the list's
    // Price; the deal lost on 1 April in Paris is April's.
    let reasons = at(
        env,
        "2026-04-02T10:00:00Z",
        &["report", "lost-reasons", "--from", "01/03/2026", "--to", "31/03/2026", "--csv"],
    );
    assert_eq!(reasons, "reason,label,count,previous_count\nPrice,Price,1,0\n");
    let fr = at(env, "2026-04-20T10:00:00Z", &["--lang", "fr", "report", "lost-reasons", "--period", "month"]);
    assert!(fr.starts_with("Raisons des pertes, du 01/04/2026 au 30/04/2026") && fr.contains("Délai"), "{fr}");
    // April, by the period word: the deal lost on the 1st in Paris.
    let april = at(env, "2026-04-20T10:00:00Z", &["--json", "report", "won-lost", "--period", "month"]);
    let april: serde_json::Value = serde_json::from_str(&april).unwrap();
    assert_eq!(april["groups"][0]["period"]["lost_reasons"][0]["reason"], "Délai", "{april}");
    // The deals behind the figures, listed: won and lost in March in Paris (the one lost at
    // 00:30 on 1 April is April's), every pipeline's.
    let ids = |out: String| {
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap().to_string()).collect::<Vec<_>>()
    };
    let closed_in_march = ["--json", "deal", "list", "--all-pipelines", "--closed-from", "2026-03-01", "--closed-to"];
    let won_listed = at(env, "2026-04-02T10:00:00Z", &[&closed_in_march[..], &["31/03/2026", "--won"]].concat());
    assert_eq!(ids(won_listed), [won.as_str()]);
    let lost_listed = at(env, "2026-04-02T10:00:00Z", &[&closed_in_march[..], &["31/03/2026", "--lost"]].concat());
    assert_eq!(ids(lost_listed), [lost.as_str()]);
    assert_eq!(env.json(&["deal", "list", "--open"]).as_array().unwrap().len(), 1, "the forecast's one open deal");
    let refused = env.fails(1, &["contact", "list", "--won"]);
    assert!(refused.contains("stage"), "{refused}");
    let both = env.fails(2, &["deal", "list", "--won", "--lost"]);
    assert!(both.contains("--lost"), "{both}");
    // The forecast: the open deal, its stage's default probability (New: 17 %).
    let f: serde_json::Value =
        serde_json::from_str(&at(env, "2026-04-02T10:00:00Z", &["--json", "report", "forecast"])).unwrap();
    let month = &f["groups"][0]["months"][0];
    assert_eq!(
        (month["month"].as_str(), month["amount"].as_str(), month["weighted"].as_str()),
        (Some("2026-04"), Some("6000.00"), Some("1020.00")),
        "{f}"
    );
    let text = at(env, "2026-04-02T10:00:00Z", &["report", "forecast"]);
    assert!(text.contains("2026-04") && text.contains("€1,020.00"), "{text}");
    // Stale: nothing until New has a limit; then the open deal left alone is.
    let none = at(env, "2030-06-01T00:00:00Z", &["report", "stale"]);
    assert!(none.contains("Nothing stale") && none.contains("--rotting"), "{none}");
    env.ok(&["stage", "terms", "NEW", "--entity", "deal", "--rotting", "14"]);
    let stale: serde_json::Value =
        serde_json::from_str(&at(env, "2030-06-01T00:00:00Z", &["--json", "report", "stale"])).unwrap();
    let titles: Vec<&str> = stale["records"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Four mixte"], "{stale}");
    assert_eq!(stale["records"][0]["rotting_days"], 14);
    // Conversion: leads that came in in March (Paris), one converted 10 hours later.
    let id = |v: &str| serde_json::from_str::<serde_json::Value>(v).unwrap()["id"].as_i64().unwrap().to_string();
    let lead = id(&at(env, "2026-02-28T23:30:00Z", &["--json", "lead", "add", "--title", "Salon"]));
    at(env, "2026-03-05T09:00:00Z", &["lead", "add", "--title", "Site"]);
    at(env, "2026-03-01T09:30:00Z", &["lead", "move", &lead, "CONVERTED"]);
    let conv = ["report", "conversion", "--from", "2026-03-01", "--to", "2026-03-31"];
    let c: serde_json::Value =
        serde_json::from_str(&at(env, "2026-04-02T10:00:00Z", &[&["--json"][..], &conv[..]].concat())).unwrap();
    let p = &c["groups"][0]["period"];
    assert_eq!(
        (p["created"].as_i64(), p["converted"].as_i64(), p["open"].as_i64()),
        (Some(2), Some(1), Some(1)),
        "{c}"
    );
    assert_eq!(
        (p["conversion_rate"].as_str(), p["median_days_to_convert"].as_str()),
        (Some("50.0"), Some("0.4")),
        "{c}"
    );
    let text = at(env, "2026-04-02T10:00:00Z", &[&["--lang", "fr"][..], &conv[..]].concat());
    assert!(text.contains("50,0 %") && text.contains("0,4 j"), "{text}");
    // By source: a source by its name, the leads without one together.
    env.ok(&["lead", "edit", &lead, "--set", "source=WEB"]);
    let by = at(env, "2026-04-02T10:00:00Z", &[&conv[..], &["--by", "source", "--format", "md"][..]].concat());
    assert!(by.contains("| Website |") && !by.contains("| WEB |") && by.contains("(no source)"), "{by}");
    let said = env.fails(1, &["stage", "terms", "WON", "--entity", "deal", "--probability", "50"]);
    assert!(said.contains("Won") && said.contains("100 %"), "{said}");
    // Refusals name what is wrong.
    let said = env.fails(1, &["report", "won-lost", "--period", "fortnight"]);
    assert!(said.contains("period") && said.contains("quarter"), "{said}");
    let said = env.fails(1, &["report", "forecast", "--by", "colour"]);
    assert!(said.contains("by") && said.contains("responsible"), "{said}");
    let said = env.fails(1, &["report", "won-lost", "--from", "31/03/2026", "--to", "01/03/2026"]);
    assert!(said.contains("to"), "{said}");
}

#[test]
fn reports_say_what_was_won_lost_and_forecast() {
    reports(&Env::new());
}

#[test]
fn reports_say_what_was_won_lost_and_forecast_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    reports(&env);
}

/// March's leads in Paris: one moved forward then back, one junked after "In progress";
/// what each stage held and what reached it, as JSON, CSV and French Markdown.
fn funnel(env: &Env) {
    let id = |v: &str| serde_json::from_str::<serde_json::Value>(v).unwrap()["id"].as_i64().unwrap().to_string();
    let a = id(&at(env, "2026-02-28T23:30:00Z", &["--json", "lead", "add", "--title", "Salon", "--amount", "1000"]));
    let b = id(&at(env, "2026-03-05T09:00:00Z", &["--json", "lead", "add", "--title", "Site", "--amount", "2000"]));
    at(env, "2026-03-02T09:00:00Z", &["lead", "move", &a, "PROCESSED"]);
    at(env, "2026-03-03T09:00:00Z", &["lead", "move", &a, "NEW"]);
    at(env, "2026-03-06T09:00:00Z", &["lead", "move", &b, "IN_PROCESS"]);
    at(env, "2026-03-07T09:00:00Z", &["lead", "move", &b, "JUNK", "--reason", "Doublon"]);
    let march = ["report", "funnel", "--from", "2026-03-01", "--to", "2026-03-31"];
    let j: serde_json::Value =
        serde_json::from_str(&at(env, "2026-04-02T10:00:00Z", &[&["--json"][..], &march[..]].concat())).unwrap();
    let leads = &j["groups"][0]["pipelines"][0];
    assert_eq!((leads["entity"].as_str(), leads["records"].as_i64()), (Some("lead"), Some(2)), "{j}");
    let stages: Vec<(&str, i64, i64, i64)> = leads["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let n = |k: &str| s[k].as_i64().unwrap();
            (s["code"].as_str().unwrap(), n("count"), n("amount_minor"), n("reached"))
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("NEW", 1, 100_000, 2),
            ("IN_PROCESS", 0, 0, 2),
            ("PROCESSED", 0, 0, 1),
            ("CONVERTED", 0, 0, 0),
            ("JUNK", 1, 200_000, 1)
        ],
        "{j}"
    );
    assert_eq!(leads["stages"][2]["reached_share"], "50.0");
    assert_eq!(j["groups"][0]["pipelines"][1]["from_leads"], true, "the deals made from them follow: {j}");
    let csv = at(env, "2026-04-02T10:00:00Z", &[&march[..], &["--csv"][..]].concat());
    assert!(
        csv.starts_with(
            "entity,pipeline,from_leads,stage,count,currency,amount,reached,reached_share,previous_reached"
        )
    );
    assert!(csv.contains("lead,Leads,false,PROCESSED,0,EUR,0.00,1,50.0,0"), "{csv}");
    let md = at(env, "2026-04-02T10:00:00Z", &[&["--lang", "fr"][..], &march[..], &["--format", "md"][..]].concat());
    assert!(md.starts_with("## Entonnoir de ce qui est arrivé, du 01/03/2026 au 31/03/2026"), "{md}");
    assert!(md.contains("| Traité | 0 |  | 1 | 50,0 % | 0 |") || md.contains("| 1 | 50,0 % |"), "{md}");
    // Activities: one call planned in March on the lead, done late.
    let call =
        id(&at(env, "2026-03-01T09:00:00Z", &["--json", "activity", "add", "--lead", &a, "--at", "2026-03-10 10:00"]));
    at(env, "2026-03-12T09:00:00Z", &["activity", "done", &call]);
    let act = ["report", "activity", "--from", "2026-03-01", "--to", "2026-03-31"];
    let j: serde_json::Value =
        serde_json::from_str(&at(env, "2026-04-02T10:00:00Z", &[&["--json"][..], &act[..]].concat())).unwrap();
    let row = &j["rows"][0];
    assert_eq!(
        (row["key"].as_str(), row["kind"].as_str(), row["planned"].as_i64(), row["done_late"].as_i64()),
        (Some("alice"), Some("call"), Some(1), Some(1)),
        "{j}"
    );
    let fr = at(env, "2026-04-02T10:00:00Z", &[&["--lang", "fr"][..], &act[..]].concat());
    assert!(fr.contains("Appels") && fr.contains("Faites en retard"), "{fr}");
    let said = env.fails(1, &["report", "activity", "--by", "source"]);
    assert!(said.contains("department"), "{said}");
}

#[test]
fn the_funnel_and_the_activity_report_through_the_binary() {
    funnel(&Env::new());
}

#[test]
fn the_funnel_and_the_activity_report_through_the_binary_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    funnel(&env);
}

/// A file of version 21 kept no stage moves: the upgrade reads them from the timeline, so
/// the funnel of the months before counts what reached each stage then.
#[test]
fn a_version_21_file_gets_its_stage_moves_from_the_timeline() {
    let env = Env::new();
    let id = |v: &str| serde_json::from_str::<serde_json::Value>(v).unwrap()["id"].as_i64().unwrap().to_string();
    let a = id(&at(&env, "2026-03-02T09:00:00Z", &["--json", "lead", "add", "--title", "Salon"]));
    at(&env, "2026-03-03T09:00:00Z", &["lead", "move", &a, "PROCESSED"]);
    at(&env, "2026-03-04T09:00:00Z", &["lead", "move", &a, "JUNK"]);
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch(
        "DROP INDEX leads_responsible_next; DROP INDEX deals_responsible_next; DROP TRIGGER activities_reminder_reset; DROP INDEX activities_reminders; ALTER TABLE activities DROP COLUMN reminded_at; DROP TABLE stage_rules; DROP TRIGGER deals_forecast_insert; DROP TRIGGER deals_forecast_change; DROP TRIGGER deals_forecast_delete; DROP TABLE forecast_tallies; DROP INDEX deals_created; DROP TRIGGER leads_tally_release; DROP TRIGGER leads_tally_insert; DROP TRIGGER leads_tally_change; DROP TRIGGER leads_tally_delete; DROP TRIGGER deals_tally_insert; DROP TRIGGER deals_tally_change; DROP TRIGGER deals_tally_delete; DROP TRIGGER activities_tally_insert; DROP TRIGGER activities_tally_change; DROP TRIGGER activities_tally_delete; DROP TABLE record_tallies; DROP TABLE activity_tallies; DROP TABLE tally_units; DROP INDEX leads_stage_created;
         DROP TABLE stage_moves; DROP TABLE lost_reasons; PRAGMA user_version = 21;",
    )
    .unwrap();
    drop(c);
    let march = ["--json", "report", "funnel", "--from", "2026-03-01", "--to", "2026-03-31"];
    let j: serde_json::Value = serde_json::from_str(&at(&env, "2026-04-02T10:00:00Z", &march)).unwrap();
    let reached: Vec<i64> = j["groups"][0]["pipelines"][0]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_i64().unwrap())
        .collect();
    assert_eq!(reached, [1, 1, 1, 0, 1], "New, In progress (passed), Processed, Converted, Junk: {j}");
}

/// `prospect lost-reason` keeps the list; a loss named in French is listed by `--reason` in
/// English and shown in French by the won-lost report.
fn lost_reasons(env: &Env) {
    let j = env.json(&["lost-reason", "add", "Went silent", "--fr", "Plus de nouvelles"]);
    assert!(j["reasons"].as_array().unwrap().iter().any(|r| r["name"] == "Went silent"), "{j}");
    let said = env.fails(1, &["lost-reason", "add", "prix"]);
    assert!(said.contains("Price"), "{said}");
    let id = env.json(&["deal", "add", "--title", "Fours", "--amount", "100"])["id"].to_string();
    at(env, "2026-03-10T09:00:00Z", &["--lang", "fr", "deal", "move", &id, "LOSE", "--reason", "plus de nouvelles"]);
    let rows = env.json(&["deal", "list", "--reason", "Went silent"]);
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    let fr = at(env, "2026-04-02T10:00:00Z", &["--lang", "fr", "report", "won-lost", "--period", "last-60-days"]);
    assert!(fr.contains("Plus de nouvelles : 1"), "{fr}");
    env.json(&["lost-reason", "remove", "Plus de nouvelles"]);
    let list = at(env, "2026-04-02T10:00:00Z", &["lost-reason", "list"]);
    assert!(list.contains("Price") && !list.contains("Went silent"), "{list}");
}

#[test]
fn lost_reasons_are_kept_as_a_list() {
    lost_reasons(&Env::new());
}

#[test]
fn lost_reasons_are_kept_as_a_list_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    lost_reasons(&env);
}
