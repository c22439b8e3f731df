//! Issue 30 (SPEC L8): `prospect settings crm-mode` through the binary, on a file and on
//! PostgreSQL: the switch asks what becomes of open leads (in English and French), a lead
//! typed or imported in simple mode answers as the deal it became, and switching back works.

use crate::common::Env;

fn simple_mode(env: &Env) {
    env.ok(&["lead", "add", "--title", "Open", "--first-name", "Ana", "--last-name", "Lopez"]);
    assert_eq!(env.json(&["settings", "crm-mode"])["crm_mode"], "classic");
    let asked = env.fails(1, &["settings", "crm-mode", "simple"]);
    assert!(asked.contains("1 lead is still open") && asked.contains("--open-leads convert|keep"), "{asked}");
    let fr = env.fails(1, &["--lang", "fr", "settings", "crm-mode", "simple"]);
    assert!(fr.contains("1 prospect est encore ouvert"), "{fr}");
    let bad = env.fails(1, &["settings", "crm-mode", "simple", "--open-leads", "drop"]);
    assert!(bad.contains("drop") && bad.contains("convert") && bad.contains("keep"), "{bad}");
    let done = env.json(&["settings", "crm-mode", "simple", "--open-leads", "convert"]);
    assert_eq!(done["mode"], "simple", "{done}");
    assert_eq!(done["converted"].as_array().unwrap().len(), 1, "{done}");
    // Typed in: the deal answers, with its client.
    let said = env.ok(&[
        "lead",
        "add",
        "--title",
        "Fours",
        "--first-name",
        "Jean",
        "--last-name",
        "Morel",
        "--company-title",
        "Boulangerie Morel",
    ]);
    assert!(
        said.contains("Deal #2 created") && said.contains("with Contact #2") && said.contains("with Company #1"),
        "{said}"
    );
    let deal = env.json(&["lead", "add", "--title", "Vitrine", "--first-name", "Léa", "--last-name", "Roy"]);
    assert_eq!(deal["entity"], "deal", "{deal}");
    assert!(deal["intake_lead"].as_i64().is_some(), "{deal}");
    // Imported: each row a deal.
    let csv = env.dir.path().join("leads.csv");
    std::fs::write(&csv, "Title,First name,Last name\nSalon,Marc,Petit\nAtelier,Nina,Roux\n").unwrap();
    let report = env.dir.path().join("report.csv");
    env.ok(&["import", csv.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    let deals = env.json(&["deal", "list"]);
    assert_eq!(deals.as_array().unwrap().len(), 5, "{deals}");
    // E-mailed: a deal, said as one; the sender's next message goes to that deal.
    let mail = |key: &str, subject: &str| {
        let path = env.dir.path().join(format!("{key}.eml"));
        let text = format!(
            "From: Hélène Dupré <helene@etoile.fr>\r\nTo: sales@example.org\r\nSubject: {subject}\r\n\
             Message-ID: <{key}@etoile.fr>\r\nDate: Mon, 7 Dec 2026 09:00:00 +0100\r\n\r\nBonjour\r\n"
        );
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let first = mail("m1", "Devis");
    let said = env.ok(&["intake", "email", &first]);
    assert!(said.contains("Deal #6 and its client made from the e-mail “Devis”"), "{said}");
    let fr = env.ok(&["--lang", "fr", "intake", "email", &mail("m2", "Relance")]);
    assert!(fr.contains("ajouté à la transaction #6"), "{fr}");
    assert_eq!(env.json(&["deal", "list"]).as_array().unwrap().len(), 6);
    // And back: a lead is a lead again.
    env.ok(&["settings", "crm-mode", "classic"]);
    let lead = env.json(&["lead", "add", "--title", "Back"]);
    assert_eq!(lead["entity"], "lead", "{lead}");
    assert!(env.ok(&["--lang", "fr", "settings", "crm-mode"]).contains("classique"));
}

#[test]
fn simple_mode_turns_intakes_into_deals_through_the_binary() {
    simple_mode(&Env::new());
}

#[test]
fn simple_mode_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    simple_mode(&env);
}
