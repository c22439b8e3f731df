//! The import corpus (tests/data/import/): real-looking exports of each vendor the import
//! knows, a French office's own file, bad values in every kind of field. Each import's counts
//! and report are asserted exactly, and the records spot-checked field by field.

use crate::common::{self, Env};
use serde_json::Value;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/import").join(name)
}

/// Imports a corpus file (the report to the test's folder) and returns the JSON summary.
fn import(env: &Env, file: &str, extra: &[&str]) -> Value {
    let path = data(file);
    let report = env.dir.path().join(format!("{file}.report.csv"));
    let mut args = vec!["import", path.to_str().unwrap(), "--report", report.to_str().unwrap()];
    args.extend_from_slice(extra);
    env.json(&args)
}

/// The counts of a summary: (rows, created, created with values left out, skipped, rejected).
fn counts(r: &Value) -> (u64, u64, u64, u64, u64) {
    let n = |k: &str| r[k].as_u64().unwrap_or(u64::MAX);
    (n("rows"), n("created"), n("created_with_values_left_out"), n("skipped"), n("rejected"))
}

/// The report as (line, outcome, record, fields left out or the reason of a refusal).
fn report(r: &Value) -> Vec<(u64, String, i64, String)> {
    r["report"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let left: Vec<&str> = row["left_out"]
                .as_array()
                .map(|l| l.iter().map(|x| x["field"].as_str().unwrap()).collect())
                .unwrap_or_default();
            let what = if left.is_empty() { row["reason"].as_str().unwrap().to_string() } else { left.join(",") };
            (
                row["line"].as_u64().unwrap(),
                row["outcome"].as_str().unwrap().to_string(),
                row["id"].as_i64().unwrap_or(0),
                what,
            )
        })
        .collect()
}

fn line(l: u64, outcome: &str, id: i64, what: &str) -> (u64, String, i64, String) {
    (l, outcome.to_string(), id, what.to_string())
}

fn show(env: &Env, entity: &str, id: i64) -> Value {
    env.json(&[entity, "show", &id.to_string()])
}

#[test]
fn a_hubspot_export_comes_in_whole() {
    let env = Env::new();
    let r = import(&env, "hubspot_export.csv", &[]);
    assert_eq!(r["preset"], "hubspot", "{r}");
    assert_eq!(counts(&r), (5, 5, 1, 0, 0), "{r}");
    assert_eq!(report(&r), vec![line(3, "created", 2, "responsible")]);
    assert_eq!(r["unknown_values"][0]["value"], "Jane Cooper");
    assert_eq!(
        r["kept_in_comments"],
        serde_json::json!(["Lifecycle Stage", "Last Activity Date", "Original Source Drill-Down 1"])
    );
    let stages: Vec<String> =
        (1..=5).map(|id| show(&env, "lead", id)["stage"]["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(stages, ["NEW", "PROCESSED", "IN_PROCESS", "JUNK", "IN_PROCESS"]);
    let sources: Vec<String> =
        (1..=5).map(|id| show(&env, "lead", id)["source"]["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(sources, ["WEB", "ADVERTISING", "RECOMMENDATION", "OTHER", "WEB"]);
    let dana = show(&env, "lead", 1);
    assert_eq!(dana["created_at"], "2024-03-14T09:12:00Z", "the vendor's create date is kept: {dana}");
    assert_eq!(dana["phones"][0]["normalized"], "+12125550199", "a US number, read by the row's country");
    assert_eq!(dana["responsible"]["code"], "alice");
    assert_eq!(dana["address"], "350 5th Ave, New York, NY, 10118, United States");
    assert_eq!(
        dana["comments"],
        "Lifecycle Stage: lead\nLast Activity Date: 2024-05-02 16:40\nOriginal Source Drill-Down 1: google"
    );
    let claire = show(&env, "lead", 3);
    assert_eq!(claire["phones"][0]["normalized"], "+33144556677", "a French number in a French row");
    let tom = show(&env, "lead", 4);
    assert_eq!(tom["phones"][0]["normalized"], "+4930901820");
    // The owner that names nobody here is on the record's history.
    let marcus = env.ok(&["lead", "show", "2"]);
    assert!(marcus.contains("imported values not accepted: Responsible 'Jane Cooper'"), "{marcus}");
}

#[test]
fn a_pipedrive_and_a_bitrix24_export_come_in_whole() {
    let env = Env::new();
    let r = import(&env, "pipedrive_leads.csv", &[]);
    assert_eq!((r["preset"].as_str(), counts(&r)), (Some("pipedrive"), (4, 4, 1, 0, 0)), "{r}");
    assert_eq!(report(&r), vec![line(3, "created", 2, "responsible")]);
    let erp = show(&env, "lead", 2);
    assert_eq!((erp["amount_minor"].as_i64(), erp["currency"].as_str()), (Some(1_250_050), Some("USD")));
    assert_eq!(erp["created_at"], "2024-04-18T08:00:00Z");
    let sources: Vec<String> =
        (1..=4).map(|id| show(&env, "lead", id)["source"]["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(sources, ["WEBFORM", "OTHER", "OTHER", "WEB"]);
    let chat = show(&env, "lead", 4);
    assert_eq!(
        (chat["title"].as_str(), chat["emails"][0]["value"].as_str()),
        (Some("Chat enquiry"), Some("visitor.412@mail.example"))
    );
    assert_eq!(show(&env, "lead", 1)["comments"], "Wants a quote before June\nLead - Labels: Hot");

    let r = import(&env, "bitrix24_leads.csv", &[]);
    assert_eq!((r["preset"].as_str(), counts(&r)), (Some("bitrix24"), (3, 3, 0, 0, 0)), "{r}");
    assert_eq!(report(&r), vec![]);
    let stages: Vec<String> =
        (5..=7).map(|id| show(&env, "lead", id)["stage"]["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(stages, ["NEW", "IN_PROCESS", "JUNK"]);
    let sources: Vec<String> =
        (5..=7).map(|id| show(&env, "lead", id)["source"]["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(sources, ["CALL", "RECOMMENDATION", "TRADE_SHOW"]);
    let sophie = show(&env, "lead", 5);
    assert_eq!((sophie["birth_date"].as_str(), sophie["honorific"].as_str()), (Some("1984-05-12"), Some("Mrs.")));
    assert_eq!(sophie["created_at"], "2024-03-14T10:22:00Z");
    assert_eq!(sophie["phones"].as_array().unwrap().len(), 2);
}

#[test]
fn a_french_office_file_with_french_sources_on_a_file_created_in_english() {
    let env = Env::new();
    let r = import(&env, "bureau_fr.csv", &[]);
    assert_eq!((r["encoding"].as_str(), r["separator"].as_str()), (Some("windows-1252"), Some(";")));
    assert_eq!(counts(&r), (8, 8, 3, 0, 0), "{r}");
    assert_eq!(
        report(&r),
        vec![line(7, "created", 6, "source"), line(8, "created", 7, "source"), line(9, "created", 8, "source")]
    );
    let unknown: Vec<(String, u64, Option<String>)> = r["unknown_values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["value"].as_str().unwrap().into(),
                u["rows"].as_u64().unwrap(),
                u["suggestion"]["code"].as_str().map(String::from),
            )
        })
        .collect();
    assert_eq!(unknown, vec![("Foire de Lyon".into(), 1, Some("TRADE_SHOW".into())), ("LinkedIn".into(), 2, None)]);
    let sources: Vec<String> =
        (1..=5).map(|id| show(&env, "lead", id)["source"]["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(
        sources,
        ["CALL", "WEB", "RECOMMENDATION", "TRADE_SHOW", "OTHER"],
        "French names of the English sources"
    );
    let stages: Vec<String> =
        (1..=4).map(|id| show(&env, "lead", id)["stage"]["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(stages, ["NEW", "IN_PROCESS", "NEW", "PROCESSED"]);
    assert_eq!(show(&env, "lead", 3)["amount_minor"], 340_050);
    assert_eq!(show(&env, "lead", 1)["title"], "Jeanne Roux — Boulangerie Roux");

    // Answered: one mapped, the other created (an administrator), nothing left out.
    let again = Env::new();
    let r = import(
        &again,
        "bureau_fr.csv",
        &["--value", "Source:Foire de Lyon=TRADE_SHOW", "--value", "Source:LinkedIn=+"],
    );
    assert_eq!(counts(&r), (8, 8, 0, 0, 0), "{r}");
    assert_eq!(r["created_values"], serde_json::json!([{"field": "source", "name": "LinkedIn", "code": "LINKEDIN"}]));
    assert_eq!(show(&again, "lead", 6)["source"]["code"], "TRADE_SHOW");
    assert_eq!(show(&again, "lead", 7)["source"]["code"], "LINKEDIN");
    // --unknown reject refuses the rows that hold one.
    let strict = Env::new();
    let r = import(&strict, "bureau_fr.csv", &["--unknown", "reject"]);
    assert_eq!(counts(&r), (8, 5, 0, 0, 3), "{r}");
    // A value rule naming nothing is refused before anything is written, saying what exists.
    let err = strict.fails(1, &["import", data("bureau_fr.csv").to_str().unwrap(), "--value", "Source:LinkedIn=Telly"]);
    assert!(err.contains("Telly") && err.contains("TRADE_SHOW"), "{err}");
}

#[test]
fn bad_values_in_every_kind_of_field_keep_their_lead() {
    let env = Env::new();
    let r = import(&env, "bad_values.csv", &[]);
    assert_eq!(counts(&r), (12, 11, 11, 0, 1), "{r}");
    let fields = [
        "email",
        "phone",
        "amount",
        "currency",
        "stage",
        "source",
        "responsible",
        "birth_date",
        "opened",
        "created_at",
        "web",
    ];
    let mut expected: Vec<_> =
        fields.iter().enumerate().map(|(i, f)| line(i as u64 + 2, "created", i as i64 + 1, f)).collect();
    expected.push(line(13, "rejected", 0, "nothing usable in the row: no name, title, company, phone or e-mail"));
    assert_eq!(report(&r), expected);
    // Each lead is there with its other values, and its history says what was left out.
    let eva = show(&env, "lead", 4);
    assert_eq!((eva["title"].as_str(), eva["amount_minor"].as_i64()), (Some("Bad currency"), Some(10_000)), "{eva}");
    let text = env.ok(&["lead", "show", "1"]);
    assert!(text.contains("imported values not accepted: E-mail 'jean@@x'"), "{text}");
    // The report file, for a spreadsheet: UTF-8 with a BOM, one line per row listed.
    let file = std::fs::read_to_string(env.dir.path().join("bad_values.csv.report.csv")).unwrap();
    assert!(file.starts_with("\u{feff}line,outcome,record,reason,Title,"), "{file}");
    assert_eq!(file.lines().count(), 13, "{file}");
    // In French.
    let fr = Env::new();
    let out = fr.ok(&["--lang", "fr", "import", data("bad_values.csv").to_str().unwrap(), "--report", "/dev/null"]);
    assert!(out.contains("11 fiches ont été créées sans certaines valeurs"), "{out}");
}

#[test]
fn google_and_outlook_contacts_come_in_whole() {
    let env = Env::new();
    let r = import(&env, "google_contacts.csv", &["--entity", "contact"]);
    assert_eq!((r["preset"].as_str(), counts(&r)), (Some("google"), (3, 3, 1, 0, 0)), "{r}");
    assert_eq!(report(&r), vec![line(5, "created", 2, "birth_date")]);
    let elodie = show(&env, "contact", 1);
    assert_eq!((elodie["first_name"].as_str(), elodie["position"].as_str()), (Some("Élodie"), Some("Gérante")));
    // Each value with the type its label column gives (`* Work`, `Home`, `Mobile`).
    let typed = |list: &Value| -> Vec<(String, String)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| (c["value"].as_str().unwrap().to_string(), c["type"].as_str().unwrap().to_string()))
            .collect()
    };
    let pair = |v: &str, t: &str| (v.to_string(), t.to_string());
    assert_eq!(
        typed(&elodie["emails"]),
        vec![pair("elodie@atelier-marchand.example", "work"), pair("elodie.marchand@mail.example", "home")]
    );
    assert_eq!(typed(&elodie["phones"]), vec![pair("06 12 34 56 78", "mobile"), pair("04 78 00 00 01", "work")]);
    assert_eq!(elodie["address"], "3 place Bellecour\n69002 Lyon\nFrance");
    assert_eq!(elodie["birth_date"], "1985-04-12");
    assert_eq!(elodie["links"][0]["name"], "Atelier Marchand", "{elodie}");
    assert!(elodie["comments"].as_str().unwrap().contains("Nickname: Lodie"), "{elodie}");
    let james = show(&env, "contact", 2);
    assert_eq!(james["phones"][0]["normalized"], "+16175550100", "US by the row's country: {james}");
    assert_eq!(james["honorific"], "Dr.");

    let r = import(&env, "outlook_contacts.csv", &["--entity", "contact"]);
    assert_eq!((r["preset"].as_str(), counts(&r)), (Some("outlook"), (2, 2, 0, 0, 0)), "{r}");
    let henri = show(&env, "contact", 4);
    assert_eq!((henri["honorific"].as_str(), henri["position"].as_str()), (Some("M."), Some("Associé")));
    assert_eq!(henri["address"], "40 avenue Hoche, Paris, 75008, France");
    assert_eq!(henri["phones"].as_array().unwrap().len(), 2, "the fax is kept in the comments: {henri}");
    assert!(henri["comments"].as_str().unwrap().contains("Business Fax: 01 53 00 12 35"), "{henri}");
    let grace = show(&env, "contact", 5);
    assert_eq!(grace["phones"][0]["normalized"], "+447700900123");
    assert_eq!(grace["emails"].as_array().unwrap().len(), 2);
}

/// The demo's spreadsheet exports (`export --excel`: `;`, decimal commas, headers and
/// references in the user's language, local times) read back into an empty file keep every
/// lead, contact and company: the same counts, and exported again, the same cells, field by
/// field (ids and creation times included). Only the modification time differs, and a
/// contact's source lead, a link the conversion made, which no file brings back.
#[test]
fn the_demos_spreadsheet_exports_come_back_field_by_field() {
    for lang in ["en", "fr"] {
        let env = Env::new();
        env.ok(&["demo", "--leads", "120"]);
        let other = Env::new();
        for u in env.json(&["user", "list"]).as_array().unwrap() {
            let login = u["login"].as_str().unwrap();
            let name = u["display_name"].as_str().unwrap();
            if login != "alice" {
                other.ok(&["user", "add", login, "--name", name]);
            }
        }
        for entity in ["company", "contact", "lead"] {
            let out = env.dir.path().join(format!("{entity}.csv"));
            env.ok(&["--lang", lang, "export", "--entity", entity, "--excel", "--out", out.to_str().unwrap()]);
            let r = other.json(&[
                "--lang",
                lang,
                "import",
                out.to_str().unwrap(),
                "--entity",
                entity,
                "--duplicates",
                "all",
            ]);
            assert_eq!(
                (r["rejected"].as_u64(), r["created_with_values_left_out"].as_u64()),
                (Some(0), Some(0)),
                "{lang} {entity}: {r}"
            );
            let noted = r["kept_in_comments"].as_array().unwrap();
            assert!(noted.is_empty(), "{lang} {entity}: columns not read back: {noted:?}");
            let again = other.dir.path().join(format!("{entity}.csv"));
            other.ok(&["--lang", lang, "export", "--entity", entity, "--excel", "--out", again.to_str().unwrap()]);
            let read = |p: &std::path::Path| -> Vec<Vec<String>> {
                let text = std::fs::read_to_string(p).unwrap();
                let mut rows: Vec<Vec<String>> = text
                    .trim_start_matches('\u{feff}')
                    .split("\r\n")
                    .filter(|l| !l.is_empty())
                    .map(|l| l.split(';').map(String::from).collect())
                    .collect();
                let header = rows[0].clone();
                let skip: Vec<usize> = header
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| {
                        matches!(h.as_str(), "Modified" | "Modifié le" | "Source lead" | "Prospect d'origine")
                    })
                    .map(|(i, _)| i)
                    .collect();
                for row in rows.iter_mut() {
                    for i in skip.iter().rev() {
                        if *i < row.len() {
                            row.remove(*i);
                        }
                    }
                }
                rows
            };
            let (a, b) = (read(&out), read(&again));
            assert!(a.len() > 3, "{lang} {entity}: {a:?}");
            assert_eq!(a.len(), b.len(), "{lang} {entity}: every record came back");
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x, y, "{lang} {entity}");
            }
        }
    }
}

/// The demo's contacts exported as vCards and read back into an empty file: every contact,
/// with every field a card carries (names, honorific, position, birth date, address,
/// comments, phones, e-mails, websites, messengers with their types, the company by its ORG).
/// The CRM's own fields (responsible, type, source) are not a card's: the CSV and
/// spreadsheet exports carry them.
#[test]
fn the_demos_vcards_come_back_with_every_field_a_card_carries() {
    let env = Env::new();
    env.ok(&["demo", "--leads", "120"]);
    let cards = env.dir.path().join("contacts.vcf");
    env.ok(&["export", "--entity", "contact", "--format", "vcard", "--out", cards.to_str().unwrap()]);
    let other = Env::new();
    let r = other.json(&["import", cards.to_str().unwrap(), "--duplicates", "all"]);
    let ids = |e: &Env| -> Vec<i64> {
        let mut ids: Vec<i64> = e
            .json(&["contact", "list", "--limit", "1000"])
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        ids.sort();
        ids
    };
    let (mine, theirs) = (ids(&env), ids(&other));
    assert!(mine.len() > 5, "{mine:?}");
    assert_eq!((r["created"].as_u64(), r["rejected"].as_u64()), (Some(mine.len() as u64), Some(0)), "{r}");
    let keys = ["honorific", "first_name", "middle_name", "last_name", "position", "birth_date", "address", "comments"];
    for (a, b) in mine.iter().zip(&theirs) {
        let (x, y) = (show(&env, "contact", *a), show(&other, "contact", *b));
        for k in keys {
            assert_eq!(x[k], y[k], "contact #{a}: {k}");
        }
        for list in ["emails", "webs", "messengers"] {
            assert_eq!(x[list], y[list], "contact #{a}: {list}");
        }
        // A card writes a phone as a `tel:` URI, its number in E.164: the number and its
        // type come back, not the spacing it was typed with.
        let phones = |c: &Value| -> Vec<(String, String)> {
            c["phones"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p["normalized"].as_str().unwrap().into(), p["type"].as_str().unwrap().into()))
                .collect()
        };
        assert_eq!(phones(&x), phones(&y), "contact #{a}: phones");
        let companies = |c: &Value| -> Vec<String> {
            c["links"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["entity"] == "company")
                .map(|l| l["name"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(companies(&x), companies(&y), "contact #{a}: companies");
    }
}

/// Files no spreadsheet should make: 10,000 columns, a byte-order mark in the middle, a file
/// cut short inside a quoted value, a cell of several megabytes. Each gets a clear answer,
/// nothing partial is written for a refused file, and nothing panics.
#[test]
fn odd_files_get_a_clear_answer_and_never_a_partial_import() {
    let env = Env::new();
    let dir = env.dir.path();
    let wide = dir.join("wide.csv");
    let headers: Vec<String> = (0..10_000).map(|i| format!("col{i}")).collect();
    let cells = vec!["x"; 10_000].join(",");
    std::fs::write(&wide, format!("Title,{}\nWide,{cells}\n", headers.join(","))).unwrap();
    let out = env.ok(&["import", wide.to_str().unwrap(), "--report", "/dev/null"]);
    assert!(out.contains("col29 and 9970 more"), "the list of columns is cut: {out}");
    assert!(out.lines().all(|l| l.len() < 1000), "{out}");
    let lead = show(&env, "lead", 1);
    assert_eq!(lead["title"], "Wide");
    assert!(lead["comments"].as_str().unwrap().starts_with("col0: x\ncol1: x"), "{lead}");

    let bom = dir.join("bom.csv");
    std::fs::write(&bom, b"Title,Phone\nOne,0612345678\n\xef\xbb\xbfTwo,0698765432\n").unwrap();
    let r = env.json(&["import", bom.to_str().unwrap(), "--report", "/dev/null"]);
    assert_eq!(r["created"], 2, "{r}");
    assert_eq!(show(&env, "lead", 3)["title"], "Two", "the mark in the middle is dropped");

    let cut = dir.join("cut.csv");
    std::fs::write(&cut, "Title,Comments\nOne,plain\nTwo,\"an unclosed\nquote runs to the end").unwrap();
    let before = common::bytes(&env.db);
    let err = env.fails(1, &["import", cut.to_str().unwrap()]);
    assert!(err.contains("line 3") && err.contains("cut short"), "{err}");
    let err = env.fails(1, &["--lang", "fr", "import", cut.to_str().unwrap()]);
    assert!(err.contains("ligne 3") && err.contains("tronqué"), "{err}");
    assert_eq!(common::bytes(&env.db), before, "nothing written");
    // A lone quote inside a value on one line is no cut.
    let inch = dir.join("inch.csv");
    std::fs::write(&inch, "Title\n5\" screen\n").unwrap();
    assert_eq!(env.json(&["import", inch.to_str().unwrap(), "--report", "/dev/null"])["created"], 1);

    let big = dir.join("big.csv");
    std::fs::write(&big, format!("Title,Comments\nBig,{}\n", "a".repeat(3_000_000))).unwrap();
    let r = env.json(&["import", big.to_str().unwrap(), "--report", "/dev/null"]);
    assert_eq!((r["created"].as_u64(), r["created_with_values_left_out"].as_u64()), (Some(1), Some(1)), "{r}");
    let kept = r["report"][0]["left_out"][0]["value"].as_str().unwrap();
    assert_eq!(kept.chars().count(), 1001, "the first 1000 characters and an ellipsis");
}
