//! Issue 28 (SPEC E5): a deal taken through quote, invoice and credit note through the
//! binary, and invoices issued by several processes at once (numbers unique and without
//! gaps), on a file and on PostgreSQL.

use crate::common::Env;
use std::process::Stdio;

/// A deal with two lines, for a company; its id.
fn deal_with_lines(env: &Env) -> String {
    env.json(&["company", "add", "--title", "Boulangerie Étoile", "--address", "3 rue Haute, Lyon"]);
    let deal = env.json(&["deal", "add", "--title", "Fours", "--company", "1"]);
    let id = deal["id"].as_i64().unwrap().to_string();
    env.json(&["deal", "line", "add", &id, "--text", "Four à sole", "--price", "4000", "--qty", "2", "--tax", "20"]);
    env.json(&["deal", "line", "add", &id, "--text", "Livraison", "--price", "150", "--tax", "5,5"]);
    id
}

fn quote_to_credit_note(env: &Env) {
    let deal = deal_with_lines(env);
    let quote = env.json(&["quote", "add", "--deal", &deal]);
    assert_eq!((quote["status"].as_str(), quote["number"].as_str()), (Some("draft"), None));
    assert_eq!(quote["client"]["name"], "Boulangerie Étoile");
    assert_eq!(quote["totals"]["gross"], "9758.25");
    let q = quote["id"].as_i64().unwrap().to_string();
    env.json(&["quote", "edit", &q, "--notes", "Livraison en janvier", "--valid-until", "31/01/2027"]);
    let sent = env.json(&["quote", "status", &q, "sent"]);
    assert!(sent["number"].as_str().unwrap().starts_with("D-") && sent["number"].as_str().unwrap().ends_with("-00001"));
    assert_eq!(sent["valid_until"], "2027-01-31");
    let said = env.fails(1, &["quote", "status", &q, "paid"]);
    assert!(said.contains("status") && said.contains("approved"), "{said}");
    env.json(&["quote", "status", &q, "approved"]);

    env.ok(&["company-details", "set", "--name", "Prospect SAS", "--siren", "123 456 789", "--payment-days", "45"]);
    let said = env.fails(1, &["company-details", "set", "--siret", "123"]);
    assert!(said.contains("siret") && said.contains("14"), "{said}");
    let invoice = env.json(&["invoice", "add", "--quote", &q]);
    let i = invoice["id"].as_i64().unwrap().to_string();
    assert_eq!((invoice["source"].as_i64(), invoice["number"].as_str()), (quote["id"].as_i64(), None));
    let issued = env.json(&["invoice", "issue", &i]);
    assert_eq!(issued["status"], "issued");
    let number = issued["number"].as_str().unwrap().to_string();
    assert!(number.starts_with("F-") && number.ends_with("-00001"), "{number}");
    let said = env.fails(1, &["invoice", "edit", &i, "--notes", "x"]);
    assert!(said.contains(&number) && said.contains("credit note"), "{said}");
    env.fails(1, &["invoice", "delete", &i]);
    env.json(&["invoice", "status", &i, "paid"]);
    let both = env.json(&["invoice", "cancel", &i]);
    assert_eq!(both["invoice"]["status"], "cancelled");
    assert_eq!(both["credit_note"]["totals"]["gross"], "-9758.25");
    assert!(both["credit_note"]["number"].as_str().unwrap().starts_with("AV-"));

    // The deal gives them; the French history says each step.
    let shown = env.json(&["deal", "show", &deal]);
    assert_eq!(shown["documents"].as_array().unwrap().len(), 3, "{shown}");
    let text = env.ok(&["--lang", "fr", "deal", "show", &deal]);
    assert!(text.contains(&format!("facture {number} : émission")) && text.contains("Devis et factures"), "{text}");
    let listed = env.json(&["invoice", "list", "--status", "cancelled"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let said = env.fails(1, &["deal", "delete", &deal]);
    assert!(said.contains("3 quotes or invoices"), "{said}");
    let found = env.ok(&["search", &number]);
    assert!(found.contains(&format!("{number} · Fours")), "{found}");
    assert_eq!(env.json(&["search", &number])[0]["document"], number.as_str());
    // Exports: the invoices as a table for the accountant (the credit note has its own), every
    // document as JSON with its lines.
    let csv = env.ok(&["export", "--entity", "invoice"]);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "id,kind,number,status,deal,source,client,issue_date,valid_until,due_date,currency,net,tax,gross"
    );
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows[1].contains(&format!(",invoice,{number},cancelled,{deal},")), "{csv}");
    assert!(rows[1].ends_with(",EUR,8150.00,1608.25,9758.25"), "{csv}");
    let credit = env.ok(&["export", "--entity", "credit-note"]);
    assert!(credit.lines().nth(1).unwrap().ends_with(",-8150.00,-1608.25,-9758.25"), "{credit}");
    let all = env.json(&["export", "--entity", "documents", "--format", "json"]);
    let kinds: Vec<&str> = all.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.len(), 3);
    assert!(kinds.contains(&"quote") && kinds.contains(&"credit_note"), "{kinds:?}");
    assert_eq!(all[0]["lines"].as_array().unwrap().len(), 2);
    let said = env.fails(1, &["export", "--entity", "invoice", "--format", "vcard"]);
    assert!(said.contains("csv or json"), "{said}");
}

#[test]
fn a_deal_goes_from_quote_to_paid_invoice_to_credit_note() {
    quote_to_credit_note(&Env::new());
}

#[test]
fn a_deal_goes_from_quote_to_paid_invoice_to_credit_note_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    quote_to_credit_note(&env);
}

/// Six processes each issue two of twelve drafts at the same moment.
fn issuing_at_once(env: &Env) {
    let deal = deal_with_lines(env);
    let ids: Vec<String> =
        (0..12).map(|_| env.json(&["invoice", "add", "--deal", &deal])["id"].as_i64().unwrap().to_string()).collect();
    let children: Vec<_> = ids
        .chunks(2)
        .map(|pair| {
            let mut c = env.cmd();
            let script = format!(
                "{bin} \"$@\" invoice issue {a} >/dev/null && {bin} \"$@\" invoice issue {b} >/dev/null",
                bin = assert_cmd::cargo::cargo_bin("prospect").display(),
                a = pair[0],
                b = pair[1]
            );
            let args: Vec<String> = c.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
            let envs: Vec<(String, String)> = c
                .get_envs()
                .filter_map(|(k, v)| Some((k.to_string_lossy().into_owned(), v?.to_string_lossy().into_owned())))
                .collect();
            let _ = &mut c;
            std::process::Command::new("sh")
                .arg("-c")
                .arg(script)
                .arg("sh")
                .args(args)
                .env_clear()
                .envs(envs)
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "an issue failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let listed = env.json(&["invoice", "list"]);
    let mut numbers: Vec<String> =
        listed.as_array().unwrap().iter().map(|d| d["number"].as_str().unwrap().to_string()).collect();
    numbers.sort();
    let year = &numbers[0][2..6];
    let expected: Vec<String> = (1..=12).map(|n| format!("F-{year}-{n:05}")).collect();
    assert_eq!(numbers, expected, "unique and without gaps");
}

#[test]
fn invoices_issued_by_several_processes_at_once_are_numbered_without_gaps() {
    issuing_at_once(&Env::new());
}

#[test]
fn invoices_issued_by_several_processes_at_once_are_numbered_without_gaps_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    issuing_at_once(&env);
}

/// Runs `prospect` at a fixed instant (2026-11-23 09:00 UTC) in `lang`, expecting success.
fn at_noon(env: &Env, args: &[&str]) -> String {
    let out = env.cmd().env("PROSPECT_NOW", "2026-11-23T09:00:00Z").env("TZ", "UTC").args(args).output().unwrap();
    assert!(out.status.success(), "prospect {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// An issued invoice of our company to Boulangerie Étoile, at a fixed instant: its id.
fn issued_invoice(env: &Env) -> String {
    at_noon(env, &["company-details", "set", "--name", "Prospect SAS", "--legal-form", "SAS au capital de 10 000 €"]);
    at_noon(
        env,
        &[
            "company-details",
            "set",
            "--address",
            "10 rue de la Paix\\n75002 Paris",
            "--iban",
            "FR76 3000 6000 0112 3456 7890 189",
        ],
    );
    let deal = deal_with_lines(env);
    let quote = env.json(&["quote", "add", "--deal", &deal])["id"].as_i64().unwrap().to_string();
    at_noon(env, &["quote", "status", &quote, "sent"]);
    let invoice = env.json(&["invoice", "add", "--quote", &quote])["id"].as_i64().unwrap().to_string();
    at_noon(env, &["invoice", "issue", &invoice]);
    invoice
}

#[test]
fn an_invoice_renders_as_pdf_html_and_markdown_with_what_the_law_asks() {
    let env = Env::new();
    let invoice = issued_invoice(&env);
    // The SIREN and VAT number an invoice must carry are asked for by name; nothing written.
    let pdf = env.dir.path().join("facture.pdf");
    let out = env
        .cmd()
        .args(["--lang", "fr", "invoice", "render", &invoice, "--out", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("SIREN") && said.contains("--siren"), "{said}");
    assert!(!pdf.exists());
    at_noon(&env, &["company-details", "set", "--siren", "123 456 789", "--vat", "FR12123456789"]);

    // The PDF, read back: client, every line, totals per rate, number, the mentions.
    at_noon(&env, &["--lang", "fr", "invoice", "render", &invoice, "--out", pdf.to_str().unwrap()]);
    let text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "Facture F-2026-00001",
        "Boulangerie Étoile",
        "Four à sole",
        "Livraison",
        "8 000,00 €",
        "TVA 20 % sur 8 000,00 €",
        "TVA 5,5 % sur 150,00 €",
        "9 758,25 €",
        "SIREN 123 456 789",
        "Indemnité forfaitaire pour frais de recouvrement",
        "Selon devis D-2026-00001",
    ] {
        let found = text.replace(['\u{a0}', '\u{202f}'], " ");
        assert!(found.contains(expected), "{expected} missing from the PDF:\n{text}");
    }
    let fonts = std::process::Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        fonts.contains("DejaVuSans") && fonts.lines().skip(2).all(|l| l.contains(" yes yes ")),
        "embedded:\n{fonts}"
    );

    // Markdown and HTML, as the templates write them.
    let md = env.dir.path().join("facture.md");
    at_noon(&env, &["--lang", "fr", "invoice", "render", &invoice, "--out", md.to_str().unwrap()]);
    insta::assert_snapshot!("invoice_fr_md", std::fs::read_to_string(&md).unwrap());
    let html = env.dir.path().join("invoice.html");
    at_noon(&env, &["invoice", "render", &invoice, "--out", html.to_str().unwrap()]);
    insta::assert_snapshot!("invoice_en_html", std::fs::read_to_string(&html).unwrap());
    // Each rendering is on the deal's history.
    let shown = env.json(&["deal", "show", "1"]);
    let rendered = shown["timeline"].as_array().unwrap().iter().filter(|t| t["payload"]["event"] == "rendered").count();
    assert_eq!(rendered, 3, "{shown}");
}

#[test]
fn a_template_of_the_users_own_is_used_and_its_errors_say_their_line() {
    let env = Env::new();
    let invoice = issued_invoice(&env);
    at_noon(&env, &["company-details", "set", "--siren", "123 456 789", "--vat", "FR12123456789"]);
    let own = env.dir.path().join("templates").join("en");
    std::fs::create_dir_all(&own).unwrap();
    std::fs::write(own.join("invoice.md"), "Invoice {{ number }} for {{ client.name }}: {{ totals.gross }}\n").unwrap();
    let out = env.dir.path().join("mine.md");
    at_noon(&env, &["invoice", "render", &invoice, "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "Invoice F-2026-00001 for Boulangerie Étoile: €9,758.25");
    std::fs::write(own.join("invoice.md"), "Invoice {{ number }}\n{% for l in lines %}\n{{ l.name }\n{% endfor %}\n")
        .unwrap();
    let said = env.fails(1, &["invoice", "render", &invoice, "--out", out.to_str().unwrap()]);
    assert!(said.contains("en/invoice.md") && said.contains("line 3"), "{said}");
}

#[test]
fn sending_writes_an_email_with_the_pdf_and_marks_the_document_sent() {
    let env = Env::new();
    at_noon(&env, &["company-details", "set", "--name", "Prospect SAS", "--email", "ventes@prospect.example"]);
    at_noon(&env, &["company-details", "set", "--siren", "123 456 789", "--vat", "FR12123456789"]);
    let deal = deal_with_lines(&env);
    let quote = env.json(&["quote", "add", "--deal", &deal])["id"].as_i64().unwrap().to_string();
    // The company has no e-mail: said, nothing sent or numbered.
    let eml = env.dir.path().join("devis.eml");
    let said = env.fails(1, &["quote", "send", &quote, "--out", eml.to_str().unwrap()]);
    assert!(said.contains("--to") && said.contains("Boulangerie Étoile"), "{said}");
    assert_eq!(env.json(&["quote", "show", &quote])["status"], "draft");
    let said = env.fails(1, &["quote", "send", &quote, "--out", eml.to_str().unwrap(), "--to", "nope@"]);
    assert!(said.contains("nope@"), "{said}");
    at_noon(
        &env,
        &["--lang", "fr", "quote", "send", &quote, "--out", eml.to_str().unwrap(), "--to", "achats@etoile.fr"],
    );
    let raw = std::fs::read(&eml).unwrap();
    let message = mail_parser::MessageParser::default().parse(&raw).expect("an RFC 5322 message");
    let sent = env.json(&["quote", "show", &quote]);
    let number = sent["number"].as_str().unwrap().to_string();
    assert_eq!(sent["status"], "sent");
    assert_eq!(message.subject(), Some(format!("Devis {number} de Prospect SAS").as_str()));
    assert_eq!(message.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("achats@etoile.fr"));
    assert_eq!(message.from().and_then(|a| a.first()).and_then(|a| a.address()), Some("ventes@prospect.example"));
    assert!(message.body_text(0).unwrap().contains(&number));
    use mail_parser::MimeHeaders;
    let pdf = message.attachment(0).expect("the PDF attached");
    assert_eq!(pdf.attachment_name(), Some(format!("{number}.pdf").as_str()));
    assert!(pdf.contents().starts_with(b"%PDF-"));
    // A draft invoice is not sent: it is issued first.
    let invoice = env.json(&["invoice", "add", "--quote", &quote])["id"].as_i64().unwrap().to_string();
    let said = env.fails(1, &["invoice", "send", &invoice, "--out", eml.to_str().unwrap(), "--to", "a@b.fr"]);
    assert!(said.contains("prospect invoice issue"), "{said}");
    at_noon(&env, &["invoice", "issue", &invoice]);
    at_noon(&env, &["invoice", "send", &invoice, "--out", eml.to_str().unwrap(), "--to", "a@b.fr"]);
    assert_eq!(env.json(&["invoice", "show", &invoice])["status"], "sent");
    // Cancelled, it is not sent again.
    env.json(&["invoice", "cancel", &invoice]);
    let said = env.fails(1, &["invoice", "send", &invoice, "--out", eml.to_str().unwrap(), "--to", "a@b.fr"]);
    assert!(said.contains("cancelled"), "{said}");
}
