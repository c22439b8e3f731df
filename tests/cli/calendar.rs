//! Issue 27 (SPEC V4, V2): the calendar by a date field and conditions on built-in fields,
//! through the binary.

use crate::common::Env;

#[test]
fn the_calendar_shows_records_by_a_date_field_and_lists_filter_on_built_in_fields() {
    let env = Env::new();
    for (title, close, amount) in
        [("Renewal", "2026-12-01", "500"), ("Upsell", "01/12/2026", "9 000"), ("Next year", "2027-01-15", "1")]
    {
        env.json(&["deal", "add", "--title", title, "--close-date", close, "--amount", amount]);
    }
    env.json(&["field", "add", "--entity", "lead", "callback", "--type", "datetime", "--label", "Callback"]);
    env.json(&["lead", "add", "--title", "Call back", "--set", "callback=2026-12-03 10:00"]);

    let out = env.json(&["calendar", "--month", "2026-12", "--by", "deal:close_date"]);
    assert_eq!(out["by"], "deal:close_date");
    let days = out["days"].as_array().unwrap();
    assert_eq!(days.len(), 1, "{out}");
    assert_eq!((days[0]["day"].as_str(), days[0]["records"].as_i64()), (Some("2026-12-01"), Some(2)));
    assert_eq!(days[0]["listed"][0]["title"], "Renewal", "by title");
    let text = env.ok(&["--lang", "fr", "calendar", "--month", "12/2026", "--by", "lead:Callback"]);
    assert!(
        text.contains("décembre 2026") && text.contains("03/12/2026") && text.contains("10:00 #1 Call back"),
        "{text}"
    );
    let out = env.json(&["calendar", "--month", "2026-12", "--by", "lead:callback"]);
    assert!(out["days"][0]["listed"][0]["at"].as_str().is_some_and(|at| at.starts_with("2026-12-03T")), "{out}");

    // The same days as a list condition on the built-in field, with its total.
    let listed = env.json(&["deal", "list", "--where", "close_date=2026-12-01..2026-12-31", "--where", "amount>1000"]);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["title"], "Upsell");

    // Refusals name the flag and what it takes, and write nothing.
    let said = env.fails(1, &["calendar", "--by", "deal:amount"]);
    assert!(said.contains("deal:close_date"), "the date fields there are: {said}");
    let said = env.fails(1, &["--lang", "fr", "calendar", "--month", "13/2026"]);
    assert!(said.contains("13/2026") && said.contains("2026-12"), "{said}");
    let said = env.fails(1, &["lead", "list", "--where", "stage=new"]);
    assert!(said.contains("--stage"), "{said}");
}
