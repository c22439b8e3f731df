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
    assert_eq!(g["lost_reasons"][0]["reason"], "Prix");
    assert_eq!(j["previous"]["from"], "2026-02-01", "a whole month compares with the month before: {j}");
    let csv = at(env, "2026-04-02T10:00:00Z", &[&march[..], &["--csv"][..]].concat());
    assert_eq!(csv.lines().next(), Some("period,won,lost,currency,won_amount,lost_amount,win_rate"));
    assert!(csv.contains("current,1,1,EUR,10000.00,7000.00,50.0"), "{csv}");
    let md = at(env, "2026-04-02T10:00:00Z", &[&["--lang", "fr"][..], &march[..], &["--format", "md"][..]].concat());
    assert!(md.starts_with("## Gagnées et perdues, du 01/03/2026 au 31/03/2026"), "{md}");
    assert!(md.contains("| Taux de réussite | 50,0 % |") && md.contains("- Prix : 1"), "{md}");
    // April, by the period word: the deal lost on the 1st in Paris.
    let april = at(env, "2026-04-20T10:00:00Z", &["--json", "report", "won-lost", "--period", "month"]);
    let april: serde_json::Value = serde_json::from_str(&april).unwrap();
    assert_eq!(april["groups"][0]["period"]["lost_reasons"][0]["reason"], "Délai", "{april}");
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
