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

/// A catalogue from a French spreadsheet (`;`, Windows-1252, French headers): a dry run
/// first, then the import, a bad row named with its line while the others go in; a code
/// already in the catalogue updates it; the export goes back in unchanged.
fn catalogue_in_and_out(env: &Env) {
    env.json(&["product", "add", "--name", "Conseil", "--code", "CONS", "--price", "600", "--tax", "20"]);
    let text = "Référence;Désignation;Prix unitaire HT;TVA;Unité;Catégorie;Remarque\n\
                cons;Conseil senior;750,00;20 %;h;Services;x\n\
                BOOK;Livre « Vendre »;29,90;5,5;;Édition;\n\
                BAD;Sans prix;douze;20;;;\n\
                ;;;;;;\n\
                KIT;Kit d'accueil;1 200,50;;pièce;;\n\
                ;Sans code;10;;;;\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let file = env.dir.path().join("catalogue.csv");
    std::fs::write(&file, &bytes).unwrap();
    let path = file.to_str().unwrap();
    let dry = env.json(&["import", "--entity", "product", path, "--dry-run"]);
    assert_eq!((dry["added"].as_u64(), dry["updated"].as_u64()), (Some(3), Some(1)), "{dry}");
    assert_eq!(dry["left_out"], serde_json::json!(["Remarque"]));
    assert_eq!(env.json(&["product", "list"]).as_array().unwrap().len(), 1, "a dry run writes nothing");
    let said = env.ok(&["--lang", "fr", "import", "--entity", "produits", path]);
    assert!(said.contains("Produits ajoutés : 3, mis à jour : 1 ; lignes refusées : 1."), "{said}");
    assert!(said.contains("ligne 4 :") && said.contains("douze"), "the refused row is named: {said}");
    let listed = env.json(&["product", "list"]);
    let rows: Vec<(String, String, String, String)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or("").to_string();
            (s("code"), s("name"), s("price"), s("tax_rate"))
        })
        .collect();
    let want = [
        ("CONS", "Conseil senior", "750.00", "20"),
        ("KIT", "Kit d'accueil", "1200.50", "0"),
        ("BOOK", "Livre « Vendre »", "29.90", "5.5"),
        ("", "Sans code", "10.00", "0"),
    ];
    let mut want: Vec<(String, String, String, String)> =
        want.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string())).collect();
    want.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(rows, want);
    // Out and in again: nothing added (one without a code neither), every product updated to
    // itself.
    let out = env.dir.path().join("out.csv");
    env.ok(&["export", "--entity", "product", "--out", out.to_str().unwrap()]);
    let exported = std::fs::read_to_string(&out).unwrap();
    assert!(exported.starts_with("code,name,description,unit,price,currency,tax,active,category\n"), "{exported}");
    let again = env.json(&["import", "--entity", "product", out.to_str().unwrap()]);
    assert_eq!((again["added"].as_u64(), again["updated"].as_u64()), (Some(0), Some(4)), "{again}");
    assert_eq!(env.json(&["product", "list"]), listed);
    let j = env.json(&["export", "--entity", "products", "--format", "json"]);
    assert_eq!(j, listed);
    // A file without a column of names, and someone who is not an administrator: refused.
    let nameless = env.dir.path().join("nameless.csv");
    std::fs::write(&nameless, "code,price\nX,1\n").unwrap();
    let said = env.fails(1, &["import", "--entity", "product", nameless.to_str().unwrap()]);
    assert!(said.contains("no column of product names") && said.contains("code, price"), "{said}");
    env.json(&["user", "add", "bob"]);
    let out = env.cmd_as("bob").args(["import", "--entity", "product", path]).output().unwrap();
    assert!(!out.status.success());
    assert_eq!(env.json(&["product", "list"]), listed);
}

#[test]
fn a_catalogue_goes_in_and_out_as_csv() {
    catalogue_in_and_out(&Env::new());
}

#[test]
fn a_catalogue_goes_in_and_out_as_csv_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    catalogue_in_and_out(&env);
}
