//! Tests of `values`: matching, vendor values, the plan answered up front and as rows come.

use super::*;

fn sources() -> FieldChoices {
    let list = [("CALL", "Call"), ("WEB", "Website"), ("TRADE_SHOW", "Trade show"), ("OTHER", "Other")];
    let choices = list.iter().map(|(c, n)| Choice { code: c.to_string(), name: n.to_string() }).collect();
    FieldChoices::new("source", choices, None)
}

#[test]
fn values_match_by_code_and_names_in_both_languages() {
    let s = sources();
    let code = |t: &str| s.find(t).map(|c| c.code.as_str());
    assert_eq!(code("TRADE_SHOW"), Some("TRADE_SHOW"));
    assert_eq!(code("trade show"), Some("TRADE_SHOW"));
    assert_eq!(code("Salon professionnel"), Some("TRADE_SHOW"), "the French default name");
    assert_eq!(code("  SALON "), Some("TRADE_SHOW"), "a synonym");
    assert_eq!(code("Site Web"), Some("WEB"));
    assert_eq!(code("Appel"), Some("CALL"));
    assert_eq!(code("Autre"), Some("OTHER"));
    assert_eq!(code("Foire de Lyon"), None);
    assert_eq!(s.suggest("Salon de Lyon").map(|c| c.code.as_str()), Some("TRADE_SHOW"));
    assert_eq!(s.suggest("Websit").map(|c| c.code.as_str()), Some("WEB"));
    assert_eq!(s.suggest("zzzz"), None);
}

#[test]
fn a_long_value_never_overflows_the_suggestion() {
    let s = sources();
    let long = format!("web {}", "x".repeat(5000));
    assert_eq!(s.suggest(&long).map(|c| c.code.as_str()), Some("WEB"));
    assert_eq!(s.suggest(&"q".repeat(3000)), None);
}

#[test]
fn a_users_answer_overrides_the_files_value() {
    let headers: Vec<String> = ["Name", "Source"].map(String::from).to_vec();
    let targets = vec![Target::Field("title"), Target::Field("source")];
    let rules = vec![ValueRule::parse("Source:Website=OTHER").unwrap()];
    let plan = ValuePlan::new(&headers, &targets, &[sources()], &rules, Unknown::Empty).unwrap();
    assert_eq!(plan.get(2, 1, "Website"), Some(Resolution::Code("OTHER".into())));
    assert!(plan.unknown_values().is_empty(), "the value is known: not listed");
}

#[test]
fn vendor_values_map_to_ours() {
    let list = [("WEB", "Website"), ("ADVERTISING", "Advertising"), ("OTHER", "Other")];
    let choices = list.iter().map(|(c, n)| Choice { code: c.to_string(), name: n.to_string() }).collect();
    let s = FieldChoices::new("source", choices, Some(Preset::HubSpot));
    assert_eq!(s.find("ORGANIC_SEARCH").map(|c| c.code.as_str()), Some("WEB"));
    assert_eq!(s.find("Paid search").map(|c| c.code.as_str()), Some("ADVERTISING"));
    assert_eq!(s.find("OFFLINE").map(|c| c.code.as_str()), Some("OTHER"));
    assert_eq!(s.find("REFERRALS"), None, "no RECOMMENDATION source in this file");
}

#[test]
fn the_plan_answers_each_distinct_value_once() {
    let headers: Vec<String> = ["Name", "Source"].map(String::from).to_vec();
    let targets = vec![Target::Field("title"), Target::Field("source")];
    let mut counts = ValueCounts::default();
    for v in ["Salon", "LinkedIn", "linkedin ", "Kermesse", "Radio", "Radio"] {
        counts.add(1, v);
    }
    let rules = vec![ValueRule::parse("Source:Radio=+").unwrap(), ValueRule::parse("source:Kermesse=CALL").unwrap()];
    let (plan, unknown) = plan(&headers, &targets, &counts, &[sources()], &rules, Unknown::Empty).unwrap();
    assert_eq!(plan.get(2, 1, "Salon"), Some(Resolution::Code("TRADE_SHOW".into())));
    assert_eq!(plan.get(2, 1, "LinkedIn"), Some(Resolution::Empty));
    assert_eq!(plan.get(2, 1, "Kermesse"), Some(Resolution::Code("CALL".into())));
    assert_eq!(plan.get(2, 0, "Salon"), None, "not a reference column");
    assert_eq!(plan.to_create(), vec![("source".to_string(), "Radio".to_string())]);
    let listed: Vec<(&str, usize)> = unknown.iter().map(|u| (u.value.as_str(), u.rows)).collect();
    // Spellings that differ only in case are one value.
    assert_eq!(listed, vec![("LinkedIn", 2), ("Kermesse", 1), ("Radio", 2)]);
    let mut plan = plan;
    plan.created("source", "radio", "RADIO");
    assert_eq!(plan.get(3, 1, "Radio"), Some(Resolution::Code("RADIO".into())));
    // Answered as the rows come, the same values counted the same.
    let lazy = ValuePlan::new(&headers, &targets, &[sources()], &rules, Unknown::Empty).unwrap();
    for (line, v) in ["Salon", "LinkedIn", "linkedin", "Kermesse", "Radio", "Radio"].into_iter().enumerate() {
        lazy.get(line as u64 + 2, 1, v);
        lazy.row_done(line as u64 + 2);
    }
    // A batch read again from line 3 counts nothing twice.
    lazy.get(3, 1, "LinkedIn");
    let counted: Vec<(String, usize)> = lazy.unknown_values().into_iter().map(|u| (u.value, u.rows)).collect();
    let scanned: Vec<(String, usize)> = unknown.iter().map(|u| (u.value.clone(), u.rows)).collect();
    assert_eq!(counted, scanned);
    let e = super::plan(
        &headers,
        &targets,
        &counts,
        &[sources()],
        &[ValueRule::parse("Source:Radio=Telly").unwrap()],
        Unknown::Empty,
    )
    .unwrap_err();
    assert_eq!(e.field, "source");
    assert!(ValueRule::parse("Source=CALL").is_err());
    assert!(
        super::plan(&headers, &targets, &counts, &[sources()], &[ValueRule::parse("Colour:x=CALL").unwrap()], {
            Unknown::Empty
        })
        .is_err()
    );
}
