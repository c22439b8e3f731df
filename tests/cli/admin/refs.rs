//! Sources and deal pipelines renamed, reordered and deleted (`--to`), by administrators only.

use crate::common::Env;
use serde_json::Value;

#[test]
fn sources_and_pipelines_are_renamed_reordered_and_deleted() {
    let env = Env::new();
    let code_name = |list: &Value| -> Vec<(String, String)> {
        let row = |s: &Value| (s["code"].as_str().unwrap().to_string(), s["name"].as_str().unwrap().to_string());
        list.as_array().unwrap().iter().map(row).collect()
    };
    env.json(&["source", "add", "Trade fair"]);
    let list = env.json(&["source", "rename", "trade fair", "Salon"]);
    assert!(code_name(&list).contains(&("TRADE_FAIR".into(), "Salon".into())), "{list}");
    let list = env.json(&["source", "reorder", "TRADE_FAIR", "1"]);
    assert_eq!(code_name(&list)[0], ("TRADE_FAIR".into(), "Salon".into()));
    env.fails(2, &["source", "reorder", "TRADE_FAIR", "0"]);

    let lead = env.json(&["lead", "add", "--title", "Met at the fair", "--source", "TRADE_FAIR"]);
    let e = env.fails(1, &["source", "rename", "TRADE_FAIR", "website"]);
    assert!(e.contains("Website (WEB)") && e.contains("no other source"), "{e}");
    let e = env.fails(1, &["--lang", "fr", "source", "rename", "TRADE_FAIR", " "]);
    assert!(e.contains("le nom est vide") && e.contains("une ligne"), "{e}");
    let e = env.fails(1, &["source", "delete", "Salon"]);
    assert!(e.contains("1 record") && e.contains("--to SOURCE"), "{e}");
    let out = env.ok(&["source", "delete", "Salon", "--to", "WEB"]);
    assert!(out.contains("Source Salon deleted; 1 record moved to WEB."), "{out}");
    let shown = env.json(&["lead", "show", &lead["id"].to_string()]);
    assert_eq!(shown["source"]["code"], "WEB");
    assert_eq!(shown["timeline"][0]["kind"], "fields_changed");
    assert_eq!(shown["timeline"][0]["payload"]["reason"], "source deleted");
    assert!(!code_name(&env.json(&["source", "list"])).iter().any(|(c, _)| c == "TRADE_FAIR"));

    env.json(&["pipeline", "add", "Partners"]);
    let list = env.json(&["pipeline", "rename", "partners", "Partner sales"]);
    assert_eq!(list[1]["name"], "Partner sales");
    let deal = env.json(&["deal", "add", "--title", "Via partner", "--pipeline", "Partner sales", "--stage", "WON"]);
    let e = env.fails(1, &["pipeline", "delete", "Partner sales"]);
    assert!(e.contains("1 deal") && e.contains("--to PIPELINE"), "{e}");
    let e = env.fails(1, &["pipeline", "rename", "Partner sales", "GENERAL"]);
    assert!(e.contains("'General'"), "{e}");
    let list = env.json(&["pipeline", "delete", "Partner sales", "--to", "General"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let shown = env.json(&["deal", "show", &deal["id"].to_string()]);
    assert_eq!(shown["pipeline"]["name"], "General");
    assert_eq!(shown["stage"]["code"], "WON");
    let e = env.fails(1, &["pipeline", "delete", "General"]);
    assert!(e.contains("only deal pipeline"), "{e}");

    // Administrators only.
    env.json(&["user", "add", "bob"]);
    for args in [
        &["source", "rename", "WEB", "Site"][..],
        &["source", "reorder", "WEB", "2"],
        &["source", "delete", "OTHER"],
        &["pipeline", "rename", "General", "Main"],
        &["pipeline", "delete", "General"],
    ] {
        let out = env.cmd_as("bob").args(args).output().unwrap();
        let e = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {e}");
        assert!(e.contains("only an administrator"), "{args:?}: {e}");
    }
    env.ok(&["db", "check"]);
}
