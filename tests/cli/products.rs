//! Issue 28 (SPEC E4): the product catalogue and line items through the binary, on a file and
//! on PostgreSQL.

use crate::common::Env;
use serde_json::Value;

/// The catalogue, a deal's lines and its amount, the refusals, `show --json`, a conversion.
fn products_and_lines(env: &Env) {
    let cons = env.json(&[
        "product", "add", "--name", "Conseil", "--code", "CONS", "--price", "600", "--tax", "20", "--unit", "h",
    ]);
    assert_eq!(
        (cons["price"].as_str(), cons["tax_rate"].as_str(), cons["currency"].as_str()),
        (Some("600.00"), Some("20"), Some("EUR"))
    );
    env.json(&["product", "add", "--name", "Livre", "--code", "BOOK", "--price", "29,90", "--tax", "5,5"]);
    let said = env.fails(1, &["product", "add", "--name", "Autre", "--code", "cons", "--price", "1"]);
    assert!(said.contains("'cons'") || said.contains("CONS") || said.contains("cons"), "{said}");
    let said = env.fails(1, &["--lang", "fr", "product", "add", "--name", "X", "--price", "douze"]);
    assert!(said.contains("price") && said.contains("douze"), "{said}");
    let listed = env.json(&["product", "list"]);
    let names: Vec<&str> = listed.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Conseil", "Livre"]);

    let deal = env.json(&["deal", "add", "--title", "Kiosques Durand"]);
    let id = deal["id"].as_i64().unwrap().to_string();
    env.json(&["deal", "line", "add", &id, "--product", "CONS", "--qty", "1,5", "--discount", "10%"]);
    env.json(&["deal", "line", "add", &id, "--product", "book", "--qty", "3"]);
    let lines = env.json(&["deal", "line", "add", &id, "--text", "Installation", "--price", "250"]);
    assert_eq!(lines["totals"]["net"], "1149.70");
    assert_eq!(lines["totals"]["gross"], "1316.63");
    let rates: Vec<(&str, &str)> = lines["totals"]["rates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["rate"].as_str().unwrap(), r["tax"].as_str().unwrap()))
        .collect();
    assert_eq!(rates, [("0", "0.00"), ("5.5", "4.93"), ("20", "162.00")]);
    assert_eq!(lines["lines"][0]["qty"], "1.5");
    assert_eq!(lines["lines"][0]["net"], "810.00");

    // The deal's amount is its lines' total, shown with them.
    let shown = env.json(&["deal", "show", &id]);
    assert_eq!(shown["amount"], "1316.63", "{shown}");
    assert_eq!(shown["lines"]["lines"].as_array().unwrap().len(), 3);
    let text = env.ok(&["--lang", "fr", "deal", "show", &id]);
    assert!(text.contains("1,5 h") && text.contains("TVA 5,5 % sur 89,70") && text.contains("316,63"), "{text}");
    let said = env.fails(1, &["deal", "edit", &id, "--amount", "5"]);
    assert!(said.contains("total of its lines"), "{said}");

    // An edit, a deletion, and refusals that write nothing.
    let edited = env.json(&["deal", "line", "edit", &id, "3", "--price", "300"]);
    assert_eq!(edited["totals"]["gross"], "1366.63");
    let said = env.fails(1, &["deal", "line", "add", &id, "--product", "CONS", "--qty", "-2"]);
    assert!(said.contains("qty") && said.contains("-2"), "{said}");
    let said = env.fails(1, &["deal", "line", "add", &id, "--product", "CONS", "--discount", "120%"]);
    assert!(said.contains("discount"), "{said}");
    let said = env.fails(1, &["deal", "line", "delete", &id, "9"]);
    assert!(said.contains("line 9"), "{said}");
    let after = env.json(&["deal", "line", "delete", &id, "2"]);
    assert_eq!(after["lines"].as_array().unwrap().len(), 2);
    assert_eq!(after["totals"]["gross"], "1272.00");

    // A lead's lines go to the deal its conversion makes.
    let lead = env.json(&["lead", "add", "--title", "Salon", "--first-name", "Anne", "--last-name", "Roux"]);
    let lead_id = lead["id"].as_i64().unwrap().to_string();
    env.json(&["lead", "line", "add", &lead_id, "--product", "CONS", "--qty", "2"]);
    let done = env.json(&["lead", "convert", &lead_id]);
    let deal_id = done["deal"]["id"].as_i64().unwrap().to_string();
    let copied = env.json(&["deal", "line", "list", &deal_id]);
    assert_eq!(
        (copied["lines"][0]["name"].as_str(), copied["totals"]["gross"].as_str()),
        (Some("Conseil"), Some("1440.00"))
    );

    // Deleting a product leaves the lines that sold it.
    let gone = env.json(&["product", "delete", "CONS"]);
    assert_eq!(gone["lines_kept"], 3);
    let kept: Value = env.json(&["deal", "line", "list", &id]);
    assert_eq!(kept["lines"][0]["name"], "Conseil");
}

#[test]
fn products_sell_on_lines_that_make_a_deals_amount() {
    products_and_lines(&Env::new());
}

#[test]
fn products_sell_on_lines_that_make_a_deals_amount_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    products_and_lines(&env);
}
