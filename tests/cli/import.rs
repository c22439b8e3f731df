//! CSV import and export through the real binary, on the corpus in `tests/data/import/`:
//! each encoding and separator, BOM, quoted newlines, French headers, the other CRMs'
//! exports, every duplicate mode, bad rows and their rejects file, dry runs, round trips.

use crate::common;
use crate::common::Env;
use serde_json::Value;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/import").join(name)
}

fn import(env: &Env, file: &str, extra: &[&str]) -> Value {
    let path = data(file);
    let mut args = vec!["import", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    // The report goes to the test's own folder, never next to the data (the default).
    let report = env.dir.path().join("import.report.csv");
    if !extra.iter().any(|a| matches!(*a, "--report" | "--rejects")) {
        args.extend(["--report", report.to_str().unwrap()]);
    }
    env.json(&args)
}

/// Every lead, oldest first, with all its fields.
fn leads(env: &Env) -> Vec<Value> {
    let list = env.json(&["lead", "list", "--limit", "1000"]);
    let mut ids: Vec<i64> = list.as_array().unwrap().iter().map(|l| l["id"].as_i64().unwrap()).collect();
    ids.sort();
    ids.iter().map(|id| env.json(&["lead", "show", &id.to_string()])).collect()
}

#[test]
fn every_encoding_and_separator_reads_the_same_french_rows() {
    for (file, encoding, separator) in [
        ("fr_utf8_bom_semicolon_crlf.csv", "UTF-8", ";"),
        ("fr_windows1252_semicolon.csv", "windows-1252", ";"),
        ("fr_iso8859_1_tab.csv", "windows-1252", "tab"),
        ("fr_utf16_bom_tab.csv", "UTF-16LE", "tab"),
    ] {
        let env = Env::new();
        let r = import(&env, file, &[]);
        assert_eq!((r["encoding"].as_str(), r["separator"].as_str()), (Some(encoding), Some(separator)), "{file}");
        assert_eq!((r["created"].as_u64(), r["rejected"].as_u64()), (Some(3), Some(0)), "{file}: {r}");
        let fields: Vec<&str> =
            r["mapping"].as_array().unwrap().iter().map(|m| m["field"].as_str().unwrap_or("-")).collect();
        assert_eq!(
            fields,
            [
                "first_name",
                "last_name",
                "phone",
                "company_title",
                "email",
                "source",
                "stage",
                "amount",
                "responsible",
                "comments"
            ],
            "{file}"
        );
        let all = leads(&env);
        let l = &all[0];
        assert_eq!((l["first_name"].as_str(), l["last_name"].as_str()), (Some("Hélène"), Some("Dupré")), "{file}");
        assert_eq!(l["company_title"], "Boulangerie Étoile");
        assert_eq!(l["amount_minor"], 120050, "a French amount with a decimal comma: {file}");
        assert_eq!(l["phones"][0]["normalized"], "+33612345678");
        assert_eq!(l["source"]["code"], "CALL");
        assert_eq!(l["responsible"]["code"], "alice");
        assert_eq!(all[1]["comments"], "Vu au salon,\nintéressé par l'offre", "a quoted newline: {file}");
        assert_eq!(all[1]["stage"]["code"], "IN_PROCESS");
        assert_eq!(
            (all[2]["first_name"].as_str(), all[2]["company_title"].as_str()),
            (Some("Zoé"), Some("Ça Marche SARL"))
        );
    }
}

#[test]
fn english_comma_file_with_quotes_and_currencies() {
    let env = Env::new();
    let r = import(&env, "en_utf8_comma.csv", &[]);
    assert_eq!(r["created"], 2, "{r}");
    let all = leads(&env);
    assert_eq!((all[0]["amount_minor"].as_i64(), all[0]["currency"].as_str()), (Some(9990), Some("GBP")));
    assert_eq!(all[1]["company_title"], "Globex, Inc.");
    assert_eq!(all[1]["last_name"], "O'Neil");
    assert_eq!(all[1]["stage"]["code"], "PROCESSED");
}

/// A row is checked as a new record on the reading thread, but what that check found counts
/// only if the row is created: a duplicate that is skipped is not refused for a bad field. A
/// bad value is left out of a new row (the lead is kept); `--strict` refuses the row for it.
#[test]
fn a_bad_field_is_left_out_of_a_new_row_and_not_held_against_a_skipped_duplicate() {
    for extra in [&[][..], &["--bulk"][..]] {
        let env = Env::new();
        import(&env, "dup_base.csv", extra);
        let file = env.dir.path().join("again.csv");
        std::fs::write(
            &file,
            "First name,Last name,Email,Amount\nAnn,Lee,ann@example.com,lots\nZoe,Roy,zoe@example.com,lots\n",
        )
        .unwrap();
        let path = file.to_str().unwrap();
        let strict = env.json(&[&["import", path, "--strict", "--report", "/dev/null"], extra].concat());
        assert_eq!(
            (strict["skipped"].as_u64(), strict["rejected"].as_u64()),
            (Some(1), Some(1)),
            "{extra:?}: {strict}"
        );
        let all =
            env.json(&[&["import", path, "--strict", "--duplicates", "all", "--report", "/dev/null"], extra].concat());
        assert_eq!((all["created"].as_u64(), all["rejected"].as_u64()), (Some(0), Some(2)), "{extra:?}: {all}");
        let reasons: Vec<&str> =
            all["report"].as_array().unwrap().iter().filter_map(|r| r["reason"].as_str()).collect();
        assert!(reasons.len() == 2 && reasons.iter().all(|r| r.starts_with("amount")), "{extra:?}: {all}");
        // Without --strict: the duplicate is skipped, the new row created without its amount.
        let kept = env.json(&[&["import", path, "--report", "/dev/null"], extra].concat());
        assert_eq!(
            (kept["skipped"].as_u64(), kept["created"].as_u64(), kept["created_with_values_left_out"].as_u64()),
            (Some(1), Some(1), Some(1)),
            "{extra:?}: {kept}"
        );
        let zoe = &kept["report"][1];
        assert_eq!((zoe["outcome"].as_str(), zoe["left_out"][0]["value"].as_str()), (Some("created"), Some("lots")));
    }
}

#[test]
fn bad_values_are_left_out_and_every_row_is_accounted_for_in_the_report() {
    let env = Env::new();
    let report = env.dir.path().join("bad.report.csv");
    let r = import(&env, "bad_rows.csv", &["--report", report.to_str().unwrap()]);
    assert_eq!(
        (r["rows"].as_u64(), r["created"].as_u64(), r["created_with_values_left_out"].as_u64(), r["rejected"].as_u64()),
        (Some(7), Some(6), Some(4), Some(1)),
        "{r}"
    );
    let titles: Vec<String> = leads(&env).iter().map(|l| l["title"].as_str().unwrap().to_string()).collect();
    assert_eq!(titles, ["Good row", "Bad e-mail", "Unknown stage", "Dan Fox", "Bad phone", "Another good"]);
    let text = std::fs::read_to_string(&report).unwrap();
    let long = "T".repeat(300);
    let expected = format!(
        "\u{feff}line,outcome,record,reason,Title,First name,Last name,Email,Stage,Phone\n\
         3,\"created #2, values left out\",#2,E-mail 'ben-at-example' left out: 'ben-at-example' is not an e-mail address (expected name@example.com),Bad e-mail,Ben,Kay,ben-at-example,New,\n\
         4,\"created #3, values left out\",#3,Stage 'Negotiation' left out: there is no stage 'Negotiation',Unknown stage,Cal,Ray,cal@example.com,Negotiation,\n\
         5,\"created #4, values left out\",#4,Title '{long}' left out: is too long (255 characters at most),{long},Dan,Fox,dan@example.com,New,\n\
         6,rejected,,\"the row has 2 cells, the header has 6\",Short row,Eve\n\
         7,\"created #5, values left out\",#5,\"Phone '12' left out: '12' is not a valid phone number (write it as +33 6 12 34 56 78, or as a national number of region FR)\",Bad phone,Fay,Gil,fay@example.com,New,12\n"
    );
    assert_eq!(text, expected);
    // The value left out is on the record's history.
    let history = env.ok(&["lead", "show", "2"]);
    assert!(history.contains("imported values not accepted: E-mail 'ben-at-example'"), "{history}");
    // --strict refuses the rows as before.
    let strict_env = Env::new();
    let r = import(&strict_env, "bad_rows.csv", &["--strict", "--report", "/dev/null"]);
    assert_eq!(
        (r["rows"].as_u64(), r["created"].as_u64(), r["skipped"].as_u64(), r["rejected"].as_u64()),
        (Some(7), Some(2), Some(0), Some(5)),
        "{r}"
    );
    // Without --report, the file goes next to the input... which is read-only data here, so
    // the default is shown by a copy in the temp dir.
    let copy = env.dir.path().join("mine.csv");
    std::fs::copy(data("bad_rows.csv"), &copy).unwrap();
    let out = env.ok(&["import", copy.to_str().unwrap(), "--duplicates", "all"]);
    assert!(out.contains("1 rejected") && out.contains("mine.report.csv"), "{out}");
    assert!(env.dir.path().join("mine.report.csv").exists());
}

#[test]
fn duplicate_modes_skip_merge_replace_and_all() {
    let run = |mode: &str| -> (Env, Value) {
        let env = Env::new();
        import(&env, "dup_base.csv", &[]);
        let r = import(&env, "dup_again.csv", &["--duplicates", mode]);
        (env, r)
    };
    let (env, r) = run("skip");
    assert_eq!((r["created"].as_u64(), r["skipped"].as_u64()), (Some(1), Some(2)), "{r}");
    assert_eq!(leads(&env).len(), 3);

    let (env, r) = run("merge");
    assert_eq!((r["created"].as_u64(), r["merged"].as_u64()), (Some(1), Some(2)), "{r}");
    let all = leads(&env);
    assert_eq!(all.len(), 3);
    // Ann: empty position filled, comments kept, the new e-mail added.
    assert_eq!((all[0]["position"].as_str(), all[0]["comments"].as_str()), (Some("CEO"), Some("first import")));
    let emails: Vec<&str> = all[0]["emails"].as_array().unwrap().iter().map(|e| e["value"].as_str().unwrap()).collect();
    assert_eq!(emails, ["ann@example.com", "ann.lee@work.example"]);
    // Ben (matched by e-mail in another case): position kept, empty comments filled.
    assert_eq!((all[1]["position"].as_str(), all[1]["comments"].as_str()), (Some("Buyer"), Some("now filled")));

    let (env, r) = run("replace");
    assert_eq!((r["created"].as_u64(), r["replaced"].as_u64()), (Some(1), Some(2)), "{r}");
    let all = leads(&env);
    assert_eq!((all[0]["position"].as_str(), all[0]["comments"].as_str()), (Some("CEO"), Some("second import")));
    assert_eq!(all[1]["position"], "Head buyer");

    let (env, r) = run("all");
    assert_eq!(r["created"], 3, "{r}");
    assert_eq!(leads(&env).len(), 5);

    // Matching on names only: Ben matches, Cat does not; phone/e-mail are not looked at.
    let env = Env::new();
    import(&env, "dup_base.csv", &[]);
    let r = import(&env, "dup_again.csv", &["--match", "name"]);
    assert_eq!((r["created"].as_u64(), r["skipped"].as_u64()), (Some(1), Some(2)), "{r}");
    // Importing the same file again changes nothing: re-running an interrupted import is safe.
    let before = leads(&env);
    let r = import(&env, "dup_again.csv", &["--match", "name"]);
    assert_eq!((r["created"].as_u64(), r["skipped"].as_u64()), (Some(0), Some(3)), "{r}");
    assert_eq!(leads(&env), before);
}

#[test]
fn a_dry_run_reports_exactly_and_writes_nothing() {
    let env = Env::new();
    import(&env, "dup_base.csv", &[]);
    let before = common::bytes(&env.db);
    let r = import(&env, "dup_again.csv", &["--duplicates", "merge", "--dry-run"]);
    assert_eq!((r["created"].as_u64(), r["merged"].as_u64(), r["dry_run"].as_bool()), (Some(1), Some(2), Some(true)));
    assert_eq!(common::bytes(&env.db), before);
    let out = env.ok(&["import", data("bad_rows.csv").to_str().unwrap(), "--dry-run", "--report", "/dev/null"]);
    // Ann of bad_rows.csv has the phone of Ann imported above: a duplicate.
    assert!(out.starts_with("Dry run of") && out.contains("5 would be created") && out.contains("1 skipped"), "{out}");
    assert!(out.contains("1 rejected"), "{out}");
    // The values that name nothing are listed with their rows.
    assert!(out.contains("  Stage 'Negotiation' (1 row): field left empty, the text kept"), "{out}");
    assert_eq!(common::bytes(&env.db), before);
}

#[test]
fn other_crms_exports_are_recognised() {
    let env = Env::new();
    let r = import(&env, "hubspot.csv", &[]);
    assert_eq!((r["preset"].as_str(), r["created"].as_u64()), (Some("hubspot"), Some(1)), "{r}");
    let r = import(&env, "pipedrive.csv", &[]);
    assert_eq!((r["preset"].as_str(), r["created"].as_u64()), (Some("pipedrive"), Some(1)), "{r}");
    let r = import(&env, "bitrix24_fr.csv", &[]);
    assert_eq!((r["preset"].as_str(), r["created"].as_u64()), (Some("bitrix24"), Some(1)), "{r}");
    let all = leads(&env);
    assert_eq!(
        (all[0]["first_name"].as_str(), all[0]["position"].as_str(), all[0]["address"].as_str()),
        (Some("Nina"), Some("CTO"), Some("San Francisco"))
    );
    assert_eq!(all[0]["stage"]["code"], "NEW");
    assert_eq!(
        (all[1]["title"].as_str(), all[1]["first_name"].as_str(), all[1]["last_name"].as_str()),
        (Some("Website redesign"), Some("Omar"), Some("Said"))
    );
    assert_eq!((all[1]["amount_minor"].as_i64(), all[1]["company_title"].as_str()), (Some(400000), Some("Pipe SA")));
    assert_eq!(
        (all[2]["title"].as_str(), all[2]["company_title"].as_str()),
        (Some("Demande de devis"), Some("Girard & Fils"))
    );
    assert_eq!(all[2]["phones"][0]["type"], "work");
}

#[test]
fn manual_mapping_and_bad_arguments_are_explained_and_write_nothing() {
    let env = Env::new();
    env.ok(&["lead", "add", "--title", "x"]);
    let file = env.dir.path().join("odd.csv");
    std::fs::write(&file, "Nom complet;Tél. portable;Couleur\nJean Valjean;06 15 25 35 45;rouge\n").unwrap();
    let f = file.to_str().unwrap();
    let err = env.fails(1, &["import", f, "--map", "Colour=comments"]);
    assert!(
        err.contains("--map: the file has no column 'Colour'; its columns are: Nom complet, Tél. portable, Couleur"),
        "{err}"
    );
    let err = env.fails(1, &["import", f, "--map", "Couleur=favourite"]);
    assert!(err.contains("--map Couleur=favourite") && err.contains("first_name"), "{err}");
    // Closed lists are clap's choices (issue 21): a usage error, exit 2, with the list.
    let err = env.fails(2, &["import", f, "--duplicates", "maybe"]);
    assert!(
        err.contains("'maybe' for '--duplicates") && err.contains("[possible values: skip, merge, replace, all]"),
        "{err}"
    );
    let err = env.fails(1, &["import", f, "--encoding", "klingon"]);
    assert!(err.contains("--encoding: encoding 'klingon' is not known"), "{err}");
    let err = env.fails(2, &["import", f, "--entity", "deal"]);
    assert!(
        err.contains("'deal' for '--entity") && err.contains("[possible values: lead, contact, company, product]"),
        "{err}"
    );
    let err = env.fails(1, &["import", f, "--map", "Nom complet=", "--map", "Tél. portable=", "--map", "Couleur="]);
    assert!(err.contains("no column maps to a field of a lead"), "{err}");
    // Columns that would all go to the comments make no record either: said, in French too.
    let odd = env.dir.path().join("nothing_known.csv");
    std::fs::write(&odd, "Foo,Bar\n1,2\n").unwrap();
    let err = env.fails(1, &["--lang", "fr", "import", odd.to_str().unwrap()]);
    assert!(err.contains("aucune colonne ne correspond à un champ de fiche prospect"), "{err}");
    let err = env.fails(1, &["--lang", "fr", "import", f, "--map", "Colour=title"]);
    assert!(err.contains("--map : le fichier n’a pas de colonne « Colour »"), "{err}");
    let r = env.json(&["import", f, "--map", "Tél. portable=phone", "--map", "couleur=comments"]);
    assert_eq!(r["created"], 1, "{r}");
    let all = leads(&env);
    assert_eq!((all[1]["first_name"].as_str(), all[1]["last_name"].as_str()), (Some("Jean"), Some("Valjean")));
    assert_eq!(
        (all[1]["comments"].as_str(), all[1]["phones"][0]["normalized"].as_str()),
        (Some("rouge"), Some("+33615253545"))
    );
}

#[test]
fn contacts_link_their_company_and_companies_import_too() {
    let env = Env::new();
    let file = env.dir.path().join("contacts.csv");
    std::fs::write(
        &file,
        "Prénom,Nom,Société,Email\nAnn,Lee,Lee & Co,ann@lee.example\nBob,Lee,Lee & Co,bob@lee.example\n",
    )
    .unwrap();
    let r = env.json(&["import", file.to_str().unwrap(), "--entity", "contact"]);
    assert_eq!(r["created"], 2, "{r}");
    let companies = env.json(&["company", "list"]);
    assert_eq!(companies.as_array().unwrap().len(), 1, "one company made for both: {companies}");
    let id = companies[0]["id"].to_string();
    let company = env.json(&["company", "show", &id]);
    let linked: Vec<&str> = company["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["entity"] == "contact")
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(linked, ["Ann Lee", "Bob Lee"]);
    let file = env.dir.path().join("companies.csv");
    std::fs::write(&file, "Nom;Secteur;Site web\nLee & Co;Retail;lee.example\nNova;Energy;nova.example\n").unwrap();
    let r = env.json(&["import", file.to_str().unwrap(), "--entity", "company", "--match", "name"]);
    assert_eq!((r["created"].as_u64(), r["skipped"].as_u64()), (Some(1), Some(1)), "{r}");
}

/// Export → import into a fresh file → export again gives the same bytes: every exported
/// field survives, for leads, contacts and companies.
#[test]
fn export_then_import_round_trips_every_field_of_the_demo_data() {
    let env = Env::new();
    env.ok(&["demo", "--leads", "150"]);
    let other = Env::new();
    for u in env.json(&["user", "list"]).as_array().unwrap() {
        let login = u["login"].as_str().unwrap();
        if login != "alice" {
            other.ok(&["user", "add", login]);
        }
    }
    for entity in ["company", "contact", "lead"] {
        let out = env.dir.path().join(format!("{entity}.csv"));
        env.ok(&["export", "--entity", entity, "--out", out.to_str().unwrap()]);
        let r = other.json(&["import", out.to_str().unwrap(), "--entity", entity, "--duplicates", "all"]);
        assert_eq!(r["rejected"], 0, "{entity}: {r}");
        let unmapped: Vec<&Value> =
            r["mapping"].as_array().unwrap().iter().filter(|m| m["field"].is_null() || m["field"] == "note").collect();
        assert!(unmapped.is_empty(), "{entity}: columns not read back: {unmapped:?}");
        let again = other.dir.path().join(format!("{entity}.csv"));
        other.ok(&["export", "--entity", entity, "--out", again.to_str().unwrap()]);
        let (a, b) = (std::fs::read_to_string(&out).unwrap(), std::fs::read_to_string(&again).unwrap());
        assert!(a.lines().count() > 10, "{entity}: {a}");
        for (x, y) in a.lines().zip(b.lines()) {
            assert_eq!(x, y, "{entity}");
        }
        assert_eq!(a, b, "{entity}");
    }
}

#[test]
fn exports_are_safe_in_a_spreadsheet_and_come_back_as_they_were() {
    let env = Env::new();
    env.ok(&[
        "lead",
        "add",
        "--title",
        "=HYPERLINK(\"http://evil\",\"x\")",
        "--comments",
        "@SUM(A1)",
        "--address",
        "-5 rue X",
    ]);
    let out = env.dir.path().join("x.csv");
    env.ok(&["export", "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""), "{text}");
    assert!(text.contains(",'@SUM(A1),"), "{text}");
    assert!(!text.lines().skip(1).any(|l| l.starts_with(['=', '+', '@'])), "{text}");
    let back = Env::new();
    let r = back.json(&["import", out.to_str().unwrap(), "--duplicates", "all"]);
    assert_eq!(r["created"], 1, "{r}");
    let l = &leads(&back)[0];
    assert_eq!(
        (l["title"].as_str(), l["comments"].as_str()),
        (Some("=HYPERLINK(\"http://evil\",\"x\")"), Some("@SUM(A1)"))
    );
    assert_eq!(l["address"], "-5 rue X");
}

#[test]
fn json_vcard_and_ics_exports() {
    let env = Env::new();
    env.ok(&["demo", "--leads", "20"]);
    let json: Value = serde_json::from_str(&env.ok(&["export", "--entity", "contact", "--format", "json"])).unwrap();
    let first = &json[0];
    for key in ["first_name", "last_name", "contact_type", "phones", "emails", "responsible", "links", "created_at"] {
        assert!(first.get(key).is_some(), "JSON export lacks {key}: {first}");
    }
    let cards = env.ok(&["export", "--entity", "contact", "--format", "vcard"]);
    assert_eq!(cards.matches("BEGIN:VCARD\r\nVERSION:4.0\r\n").count(), json.as_array().unwrap().len());
    assert!(cards.contains("\r\nTEL;VALUE=uri;TYPE=") && cards.contains("\r\nFN:"), "{cards}");
    assert!(cards.lines().all(|l| l.len() <= 76), "lines are folded");
    let err = env.fails(1, &["export", "--entity", "company", "--format", "vcard"]);
    assert!(err.contains("only people have cards"), "{err}");
    let ics = env.ok(&["export", "--format", "ics"]);
    assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("BEGIN:VTODO") || ics.contains("BEGIN:VEVENT"));
    let err = env.fails(2, &["export", "--format", "xlsx"]);
    assert!(err.contains("'xlsx' for '--format") && err.contains("[possible values: csv, json, vcard, ics]"), "{err}");
}

#[test]
fn arbitrary_bytes_never_crash_the_import() {
    let env = Env::new();
    env.ok(&["lead", "add", "--title", "x"]);
    let mut rng = fastrand::Rng::with_seed(7);
    for i in 0..24 {
        let len = rng.usize(0..400);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
        if i % 3 == 0 {
            // Mostly text with separators and quotes, where a parser is likelier to trip.
            bytes = (0..len).map(|_| b"ab,;\t\"\r\n\xc3\xa9 0123456789@.+"[rng.usize(..24)]).collect();
            bytes.splice(0..0, b"first name,phone,email\n".iter().copied());
        }
        let file = env.dir.path().join(format!("fuzz{i}.csv"));
        std::fs::write(&file, &bytes).unwrap();
        let out = env.cmd().args(["import", file.to_str().unwrap(), "--rejects", "/dev/null"]).output().unwrap();
        let code = out.status.code();
        assert!(matches!(code, Some(0) | Some(1)), "case {i}: exit {code:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    assert_eq!(env.json(&["db", "check"])["ok"], true);
}

#[test]
fn a_bulk_import_gives_the_same_records_and_keeps_every_index() {
    let indexes = |env: &Env| -> Vec<String> {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let mut stmt = conn
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let plain = Env::new();
    let bulk = Env::new();
    for (env, extra) in [(&plain, vec![]), (&bulk, vec!["--bulk"])] {
        import(env, "dup_base.csv", &extra);
        let mut args = vec!["--duplicates", "merge"];
        args.extend(extra.iter().copied());
        let r = import(env, "dup_again.csv", &args);
        assert_eq!((r["created"].as_u64(), r["merged"].as_u64()), (Some(1), Some(2)), "{r}");
        let r = import(env, "bad_rows.csv", &[&["--report", "/dev/null"], &extra[..]].concat());
        assert_eq!((r["rejected"].as_u64(), r["created_with_values_left_out"].as_u64()), (Some(1), Some(4)), "{r}");
    }
    let strip = |v: Vec<Value>| -> Vec<Value> {
        v.into_iter()
            .map(|mut l| {
                for k in ["created_at", "modified_at", "moved_at", "timeline"] {
                    l.as_object_mut().unwrap().remove(k);
                }
                l
            })
            .collect()
    };
    assert_eq!(strip(leads(&bulk)), strip(leads(&plain)));
    assert_eq!(indexes(&bulk), indexes(&plain));
    assert_eq!(bulk.json(&["db", "check"])["ok"], true);
}

/// A bulk load looks duplicates and repeat clients up in memory, with the lookup indexes set
/// aside; a batched import asks the indexes. On rows that collide in every way (within the
/// file, with earlier imports, with contacts and companies), both must decide the same.
#[test]
fn a_bulk_import_decides_duplicates_and_repeat_clients_as_a_batched_one() {
    let mut rng = fastrand::Rng::with_seed(7);
    let firsts = ["Ann", "Ben", "Cat", "Dan", "Éve"];
    let lasts = ["Lee", "Kay", "Roy", "Ott"];
    let companies = ["Acme", "ACME ", "Bolt SA", "Cole", ""];
    let phone = |rng: &mut fastrand::Rng| format!("06 10 20 30 {:02}", rng.u8(..12));
    let email = |rng: &mut fastrand::Rng| format!("p{}@Example.com", rng.u8(..12));
    let pick = |rng: &mut fastrand::Rng, v: &[&str]| v[rng.usize(..v.len())].to_string();
    let dir = tempfile::tempdir().unwrap();
    let mut contacts = String::from("First name,Last name,Phone,Email,Company\n");
    for _ in 0..40 {
        let (f, l, c) = (pick(&mut rng, &firsts), pick(&mut rng, &lasts), pick(&mut rng, &companies));
        let (p, e) = (phone(&mut rng), email(&mut rng));
        contacts.push_str(&format!("{f},{l},{p},{e},{c}\n"));
    }
    let mut leads_csv = String::from("First name,Last name,Company,Phone,Email,Comments\n");
    for i in 0..300 {
        let (f, l, c) = (pick(&mut rng, &firsts), pick(&mut rng, &lasts), pick(&mut rng, &companies));
        let p = if rng.bool() { phone(&mut rng) } else { String::new() };
        let e = if rng.bool() { email(&mut rng) } else { String::new() };
        leads_csv.push_str(&format!("{f},{l},{c},{p},{e},row {i}\n"));
    }
    let contacts_file = dir.path().join("contacts.csv");
    let leads_file = dir.path().join("leads.csv");
    std::fs::write(&contacts_file, contacts).unwrap();
    std::fs::write(&leads_file, leads_csv).unwrap();
    let state = |env: &Env| -> Vec<String> {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let mut out = Vec::new();
        for sql in [
            "SELECT id, title, name_key, company_key, is_repeat, contact_id, company_id, comments, version FROM leads",
            "SELECT id, first_name, last_name, name_key FROM contacts",
            "SELECT id, title, title_key FROM companies",
            "SELECT contact_id, company_id FROM contact_companies",
            "SELECT entity, entity_id, kind, normalized FROM comms",
        ] {
            let mut stmt = conn.prepare(&format!("{sql} ORDER BY 1, 2")).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|"))
                })
                .unwrap();
            out.extend(rows.map(Result::unwrap));
        }
        out
    };
    for mode in ["skip", "merge", "replace", "all"] {
        let mut results = Vec::new();
        for extra in [vec![], vec!["--bulk"]] {
            let env = Env::new();
            let mut args = vec!["import", contacts_file.to_str().unwrap(), "--entity", "contact"];
            args.extend(extra.iter().copied());
            let c = env.json(&args);
            assert_eq!(c["created"].as_u64().unwrap() + c["skipped"].as_u64().unwrap(), 40, "{c}");
            let mut report = Vec::new();
            // Twice: the second run meets every row of the first.
            for _ in 0..2 {
                let mut args = vec!["import", leads_file.to_str().unwrap(), "--duplicates", mode];
                args.extend(extra.iter().copied());
                let r = env.json(&args);
                report.push([r["created"].clone(), r["merged"].clone(), r["replaced"].clone(), r["skipped"].clone()]);
            }
            results.push((report, state(&env)));
        }
        let (plain, bulk) = (&results[0], &results[1]);
        assert_eq!(bulk.0, plain.0, "--duplicates {mode}: counts");
        assert!(plain.1.iter().any(|row| row.contains("|Integer(1)|Integer(")), "some repeat leads");
        assert_eq!(bulk.1, plain.1, "--duplicates {mode}: records");
    }
}

/// Two CSV files in a new directory: a first import, and the one run after it.
fn base_and_again(base: &str, again: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (b, a) = (dir.path().join("base.csv"), dir.path().join("again.csv"));
    std::fs::write(&b, base).unwrap();
    std::fs::write(&a, again).unwrap();
    (dir, b, a)
}

/// A row refused while merging (a bad value for an empty field) is rolled back, and so is
/// what a bulk load's memory of match keys learnt from it: the next row with the same phone
/// still finds the record.
#[test]
fn a_refused_merge_leaves_the_record_findable_in_a_bulk_load() {
    let (_dir, base, again) = base_and_again(
        "First name,Last name,Phone\nAnn,Lee,06 10 20 30 40\n",
        "First name,Last name,Phone,Birth date\nAnna,Lee,06 10 20 30 40,not a date\nAnn,Lee,06 10 20 30 40,1980-02-03\n",
    );
    for extra in [vec![], vec!["--bulk"]] {
        let env = Env::new();
        env.json(&[&["import", base.to_str().unwrap()], &extra[..]].concat());
        let r = env.json(
            &[
                &[
                    "import",
                    again.to_str().unwrap(),
                    "--duplicates",
                    "merge",
                    "--match",
                    "phone",
                    "--strict",
                    "--report",
                    "/dev/null",
                ],
                &extra[..],
            ]
            .concat(),
        );
        assert_eq!(
            (r["rejected"].as_u64(), r["merged"].as_u64(), r["created"].as_u64()),
            (Some(1), Some(1), Some(0)),
            "{extra:?}: {r}"
        );
        let all = leads(&env);
        assert_eq!(all.len(), 1, "{extra:?}");
        assert_eq!(all[0]["birth_date"], "1980-02-03", "{extra:?}: {}", all[0]);
    }
}

/// A record that an import merges into or replaces is found by what the import brought, and
/// no longer by what it replaced, in a batched and in a bulk import.
#[test]
fn a_merged_or_replaced_record_is_searched_by_its_new_words() {
    let (_dir, base, again) = base_and_again(
        "Title,Phone\nQuillon order,06 10 20 30 40\n",
        "Title,Phone,E-mail\nZephyrine offer,06 10 20 30 40,hello@brightwater.example\n",
    );
    let hits = |env: &Env, text: &str| env.json(&["search", text]).as_array().unwrap().len();
    for extra in [vec![], vec!["--bulk"]] {
        for (mode, title_now) in [("merge", "quillon"), ("replace", "zephyrine")] {
            let env = Env::new();
            env.json(&[&["import", base.to_str().unwrap()], &extra[..]].concat());
            let args = ["import", again.to_str().unwrap(), "--duplicates", mode, "--match", "phone"];
            let r = env.json(&[&args[..], &extra[..]].concat());
            assert_eq!(r["created"].as_u64(), Some(0), "{mode} {extra:?}: {r}");
            assert_eq!(hits(&env, "brightwater"), 1, "{mode} {extra:?}: the new e-mail");
            assert_eq!(hits(&env, title_now), 1, "{mode} {extra:?}: the title kept");
            let title_gone = if mode == "merge" { "zephyrine" } else { "quillon" };
            assert_eq!(hits(&env, title_gone), 0, "{mode} {extra:?}: the title not kept");
        }
    }
}

/// A contact refused after its new company was written (the company comes first, the contact's
/// birth date is checked after) leaves no company behind, in a batched and in a bulk import,
/// while the refusals that wrote nothing before them are taken back cheaply.
#[test]
fn a_row_refused_after_writing_its_company_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.csv");
    std::fs::write(
        &file,
        "First name,Last name,Company,Birth date\n\
         Dee,Fox,Early Co,1975-01-01\n\
         Ann,Lee,Brand New Co,not a date\n\
         Bob,Ray,,also not a date\n\
         Cid,Moe,Kept Co,1980-02-03\n",
    )
    .unwrap();
    for extra in [vec![], vec!["--bulk"]] {
        let env = Env::new();
        let r = env.json(
            &[
                &["import", file.to_str().unwrap(), "--entity", "contact", "--strict", "--report", "/dev/null"],
                &extra[..],
            ]
            .concat(),
        );
        assert_eq!((r["rejected"].as_u64(), r["created"].as_u64()), (Some(2), Some(2)), "{extra:?}: {r}");
        // Rows go in under a savepoint per handful: the refused row took its handful back,
        // and the row written before it in that handful was written again, once.
        let companies = env.json(&["company", "list"]);
        let mut titles: Vec<&str> =
            companies.as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap()).collect();
        titles.sort();
        assert_eq!(titles, ["Early Co", "Kept Co"], "{extra:?}");
        assert_eq!(env.json(&["contact", "list"]).as_array().unwrap().len(), 2, "{extra:?}");
        // Nor a search entry: the company taken back had one waiting to be written, and the
        // next company took its id.
        assert_eq!(env.json(&["search", "brand"]), serde_json::json!([]), "{extra:?}");
        env.ok(&["db", "check"]);
    }
}

/// The store of a new file with two users, signed in as alice, for imports run in-process.
fn signed_in_store(env: &Env) -> prospect::service::Service {
    env.json(&["user", "add", "bob"]);
    let mut store = prospect::service::Service::open(&env.db, Default::default()).unwrap();
    store.sign_in("alice").unwrap();
    store
}

/// A CSV of lead titles "Row 1" to "Row n".
fn titles_table(n: usize) -> prospect::io::csv::Table {
    let csv: String = std::iter::once("title\n".to_string()).chain((1..=n).map(|i| format!("Row {i}\n"))).collect();
    prospect::io::csv::parse(csv.as_bytes(), None, None).unwrap()
}

#[test]
fn a_batch_retried_after_a_busy_file_writes_its_own_rows_once() {
    use prospect::domain::fields::Entity;
    use prospect::store::import::ImportOptions;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let env = Env::new();
    let mut store = signed_in_store(&env);
    let waits = Arc::new(AtomicUsize::new(0));
    let counted = waits.clone();
    store.on_busy(move |waiting| {
        if waiting {
            counted.fetch_add(1, Ordering::SeqCst);
        }
    });
    let table = titles_table(7);
    let targets = vec![prospect::domain::import::auto_target(Entity::Lead, None, "title").unwrap()];
    let region = store.options().region;
    let plan = Default::default();
    let rows = |from| prospect::io::import::rows(row_context(&table, &targets, &plan, region), &table, from);
    let db = env.db.clone();
    let mut holder = None;
    // Once the first batch is in, a reader holds the file for a second: the second batch's
    // commit meets it, gives up, and the batch is written again from its first row.
    let opts = ImportOptions { batch: 2, ..Default::default() };
    let report = store
        .import(Entity::Lead, rows, opts, |done| {
            if done == 2 && holder.is_none() {
                let reader = rusqlite::Connection::open(&db).unwrap();
                reader.execute_batch("BEGIN").unwrap();
                reader.query_row("SELECT count(*) FROM leads", [], |r| r.get::<_, i64>(0)).unwrap();
                holder = Some(std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_millis(1000));
                    reader.execute_batch("COMMIT").unwrap();
                }));
            }
        })
        .unwrap();
    holder.unwrap().join().unwrap();
    assert!(waits.load(Ordering::SeqCst) > 0, "the import never met the reader");
    assert_eq!(report.created, 7);
    let lines: Vec<u64> = report.rows.iter().map(|(line, _)| line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8]);
    let mut titles: Vec<String> = env
        .json(&["lead", "list", "--limit", "100"])
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    assert_eq!(titles, (1..=7).map(|i| format!("Row {i}")).collect::<Vec<_>>());
}

/// Each transaction of an import reports its progress once, and none comes after the last row:
/// an empty bulk load after the rows loaded every match key and rebuilt every index again.
#[test]
fn an_import_ends_with_its_last_rows() {
    use prospect::domain::fields::Entity;
    use prospect::store::import::ImportOptions;
    let env = Env::new();
    let mut store = signed_in_store(&env);
    let targets = vec![prospect::domain::import::auto_target(Entity::Lead, None, "title").unwrap()];
    let region = store.options().region;
    for (rows, bulk, expected) in [(3, true, vec![3]), (4, false, vec![2, 4]), (3, false, vec![2, 3])] {
        let table = titles_table(rows);
        let plan = Default::default();
        let make = |from| prospect::io::import::rows(row_context(&table, &targets, &plan, region), &table, from);
        let mut reported = Vec::new();
        let opts = ImportOptions { batch: 2, bulk, ..Default::default() };
        let file = rusqlite::Connection::open(&env.db).unwrap();
        let schema_version = || file.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0)).unwrap();
        let before = schema_version();
        let report = store.import(Entity::Lead, make, opts, |done| reported.push(done)).unwrap();
        assert_eq!(report.created, rows, "{rows} rows, bulk {bulk}");
        assert_eq!(reported, expected, "{rows} rows, bulk {bulk}");
        // A bulk load drops and makes again each index and trigger it sets aside, once: every
        // such statement changes the schema.
        let indexes: i64 = file
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type IN ('index', 'trigger') AND sql IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let changes = schema_version() - before;
        assert!(changes <= 2 * indexes, "{rows} rows, bulk {bulk}: {changes} schema changes for {indexes} indexes");
        assert_eq!(changes > 0, bulk, "{rows} rows, bulk {bulk}: {changes} schema changes");
    }
}

/// A bulk load into a file without search entries builds the search index aside and puts it
/// in place of the file's (`search::IndexAside`). The store that ran it must find the new
/// records, and keep them when it writes the index again: FTS5 remembers an index's layout
/// per connection, and the layout this connection read before the load was of an empty index.
#[test]
fn a_store_finds_and_keeps_what_its_bulk_load_indexed_aside() {
    use prospect::domain::fields::Entity;
    use prospect::store::import::ImportOptions;
    let env = Env::new();
    let mut store = signed_in_store(&env);
    assert!(store.search("row", 10).unwrap().is_empty());
    let table = titles_table(5);
    let targets = vec![prospect::domain::import::auto_target(Entity::Lead, None, "title").unwrap()];
    let region = store.options().region;
    let plan = Default::default();
    let rows = |from| prospect::io::import::rows(row_context(&table, &targets, &plan, region), &table, from);
    let opts = ImportOptions { bulk: true, ..Default::default() };
    assert_eq!(store.import(Entity::Lead, rows, opts, |_| {}).unwrap().created, 5);
    assert_eq!(store.search("row", 10).unwrap().len(), 5);
    let input = prospect::store::records::RecordInput {
        fields: vec![("title".into(), "Another row".into())],
        ..Default::default()
    };
    store.create(Entity::Lead, &input).unwrap();
    let mut found: Vec<String> = store.search("row", 10).unwrap().into_iter().map(|h| h.title).collect();
    found.sort();
    assert_eq!(found, ["Another row", "Row 1", "Row 2", "Row 3", "Row 4", "Row 5"]);
    assert!(env.ok(&["db", "check"]).contains("integrity ok"));
    // Loaded again into a file that has entries now: the index takes the new ones in.
    let plan = Default::default();
    let rows = |from| prospect::io::import::rows(row_context(&table, &targets, &plan, region), &table, from);
    assert_eq!(store.import(Entity::Lead, rows, opts, |_| {}).unwrap().created, 5);
    assert_eq!(store.search("row", 20).unwrap().len(), 11);
    assert!(env.ok(&["db", "check"]).contains("integrity ok"));
}

/// Exports and rejected rows made from a 0600 file are 0600 (issue 21).
#[cfg(unix)]
#[test]
fn exports_and_rejected_rows_get_the_data_files_permissions() {
    use crate::common::mode;
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Secret", "--phone", "06 12 34 56 78"]);
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    for format in ["csv", "json", "ics"] {
        let out = env.dir.path().join(format!("out.{format}"));
        env.ok(&["export", "--format", format, "--out", out.to_str().unwrap()]);
        assert_eq!(mode(&out), 0o600, "--format {format}");
    }
    // An older, world-readable export is narrowed when written again.
    let out = env.dir.path().join("out.csv");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.ok(&["export", "--out", out.to_str().unwrap()]);
    assert_eq!(mode(&out), 0o600);
    let rejects = env.dir.path().join("bad.rejects.csv");
    let r = env.json(&["import", data("bad_rows.csv").to_str().unwrap(), "--rejects", rejects.to_str().unwrap()]);
    assert!(r["rejected"].as_u64().unwrap() > 0, "{r}");
    assert_eq!(mode(&rejects), 0o600, "the rejected rows of an import into a 0600 file");
}

/// `--out -` and `--rejects -` mean standard output, as in every Unix tool: no file named `-`.
#[test]
fn a_dash_means_standard_output() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Dash"]);
    let out = env.cmd().current_dir(env.dir.path()).args(["export", "--out", "-"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Dash"));
    let out =
        env.cmd().current_dir(env.dir.path()).args(["activity", "export", "--ics", "--out", "-"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("BEGIN:VCALENDAR"));
    let bad = data("bad_rows.csv");
    let out = env
        .cmd()
        .current_dir(env.dir.path())
        .args(["import", bad.to_str().unwrap(), "--report", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = String::from_utf8_lossy(&out.stdout);
    assert!(rows.starts_with("\u{feff}line,outcome,record,reason,"), "the report on standard output: {rows}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("rejected"), "the summary on standard error");
    assert!(!env.dir.path().join("-").exists(), "a file named '-' was written");
    let err = env.fails(1, &["--json", "import", bad.to_str().unwrap(), "--report", "-"]);
    assert!(err.contains("--report -"), "{err}");
}

fn uids(ics: &str) -> Vec<String> {
    ics.lines().filter_map(|l| l.strip_prefix("UID:")).map(|u| u.trim().to_string()).collect()
}

/// `export --format ics` keeps the activities of the records `--entity`, `--stage` and
/// `--search` select, and those `--responsible` is responsible for; its UIDs are the file's
/// own, so two offices' `prospect.db` do not collide in one calendar (issue 21).
#[test]
fn the_calendar_export_honours_the_filters_and_its_uids_are_the_files_own() {
    let env = Env::new();
    env.json(&["user", "add", "bob"]);
    let a = env.json(&["lead", "add", "--title", "Alpha deal"])["id"].as_i64().unwrap();
    let b = env.json(&["lead", "add", "--title", "Beta deal"])["id"].as_i64().unwrap();
    env.json(&["lead", "move", &b.to_string(), "IN_PROCESS"]);
    let c = env.json(&["contact", "add", "--first-name", "Gil", "--last-name", "Gamma"])["id"].as_i64().unwrap();
    let (a, b, c) = (a.to_string(), b.to_string(), c.to_string());
    env.json(&["activity", "add", "--lead", &a, "--subject", "Call Alpha", "--at", "+1d"]);
    env.json(&["activity", "add", "--lead", &b, "--subject", "Call Beta", "--at", "+1d", "--responsible", "bob"]);
    env.json(&["activity", "add", "--contact", &c, "--subject", "Call Gamma", "--at", "+1d"]);
    let subjects = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["export", "--format", "ics"];
        all.extend(args);
        let mut s: Vec<String> =
            env.ok(&all).lines().filter_map(|l| l.strip_prefix("SUMMARY:")).map(|l| l.trim().to_string()).collect();
        s.sort();
        s
    };
    assert_eq!(subjects(&[]), ["Call Alpha", "Call Beta", "Call Gamma"]);
    assert_eq!(subjects(&["--stage", "IN_PROCESS"]), ["Call Beta"]);
    assert_eq!(subjects(&["--search", "alpha"]), ["Call Alpha"]);
    assert_eq!(subjects(&["--entity", "contact"]), ["Call Gamma"]);
    assert_eq!(subjects(&["--entity", "lead"]), ["Call Alpha", "Call Beta"]);
    assert_eq!(subjects(&["--entity", "activity"]), ["Call Alpha", "Call Beta", "Call Gamma"]);
    assert_eq!(subjects(&["--responsible", "bob"]), ["Call Beta"]);
    assert_eq!(subjects(&["--responsible", "alice", "--entity", "lead"]), ["Call Alpha"]);
    // Another file named like this one: its UIDs are not these.
    let other = Env::new();
    other.json(&["lead", "add", "--title", "Elsewhere"]);
    other.json(&["activity", "add", "--lead", "1", "--subject", "Call", "--at", "+1d"]);
    let (ours, theirs) =
        (uids(&env.ok(&["export", "--format", "ics"])), uids(&other.ok(&["export", "--format", "ics"])));
    assert_eq!(ours.len(), 3);
    assert!(ours.iter().all(|u| !theirs.contains(u)), "{ours:?} {theirs:?}");
    assert!(ours[0].starts_with("activity-") && !ours[0].contains("crm"), "{ours:?}");
    // The id is kept in the file: the same UIDs at every export.
    assert_eq!(ours, uids(&env.ok(&["export", "--format", "ics"])));
}

/// A property's value cut into its components at unescaped `;`, each unescaped (RFC 6350 §3.4).
fn components(value: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => out.last_mut().unwrap().push('\n'),
                Some(other) => out.last_mut().unwrap().push(other),
                None => {}
            },
            ';' => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// vCards read by an independent parser (the `ical` crate): the address in ADR's street
/// component, messengers as URIs with their type, a URL whole with its comma and semicolon.
#[test]
fn vcards_read_back_whole_by_another_parser() {
    let env = Env::new();
    let address = "12 rue Haute, bât. B; 3e étage\n75001 Paris";
    env.json(&[
        "contact",
        "add",
        "--first-name",
        "Hélène",
        "--last-name",
        "Martin",
        "--address",
        address,
        "--web",
        "https://acme.example/a,b;c",
        "--messenger",
        "telegram:@helene",
        "--messenger",
        "whatsapp:+33 6 12 34 56 78",
        "--messenger",
        "other:ann@jabber.org",
        "--phone",
        "work:01 23 45 67 89 poste 12",
    ]);
    let cards = env.ok(&["export", "--entity", "contact", "--format", "vcard"]);
    let mut parsed = ical::VcardParser::new(std::io::BufReader::new(cards.as_bytes()));
    let card = parsed.next().expect("one card").expect("a card the parser reads");
    assert!(parsed.next().is_none());
    let props = |name: &str| -> Vec<&ical::property::Property> {
        card.properties.iter().filter(|p| p.name.eq_ignore_ascii_case(name)).collect()
    };
    let adr = props("ADR");
    let adr_value = components(adr[0].value.as_deref().unwrap());
    assert_eq!(adr_value.len(), 7, "{adr_value:?}");
    assert_eq!(adr_value[2], address, "the street component holds the address");
    let url = props("URL");
    assert_eq!(components(url[0].value.as_deref().unwrap()), ["https://acme.example/a,b;c"], "one value, whole");
    let raw_url = url[0].value.as_deref().unwrap();
    assert_eq!(raw_url, "https://acme.example/a\\,b\\;c", "commas and semicolons escaped (RFC 6350 §3.4)");
    let impps: Vec<(String, String)> = props("IMPP")
        .iter()
        .map(|p| {
            let typ =
                p.params.iter().flatten().find(|(k, _)| k == "TYPE").map(|(_, v)| v.join(",")).unwrap_or_default();
            (typ, components(p.value.as_deref().unwrap()).join(";"))
        })
        .collect();
    assert_eq!(
        impps,
        [
            ("telegram".to_string(), "tg://resolve?domain=helene".to_string()),
            ("whatsapp".to_string(), "whatsapp://send?phone=33612345678".to_string()),
            (String::new(), "xmpp:ann@jabber.org".to_string()),
        ]
    );
    for (_, uri) in &impps {
        let scheme = uri.split_once(':').unwrap().0;
        assert!(!scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric()), "{uri}");
    }
    // The extension as RFC 3966 writes it; the UID names the file, so two offices' cards differ.
    assert_eq!(props("TEL")[0].value.as_deref(), Some("tel:+33123456789;ext=12"));
    let file_id = rusqlite::Connection::open(&env.db)
        .unwrap()
        .query_row("SELECT value FROM settings WHERE key = 'file_id'", [], |r| r.get::<_, String>(0))
        .unwrap();
    assert_eq!(props("UID")[0].value.as_deref(), Some(format!("urn:prospect:{file_id}:contact:1").as_str()));
}

/// A CSV of leads "Row 1" to "Row n", each with its own e-mail (so a second run matches them).
fn mailed_table(n: usize) -> prospect::io::csv::Table {
    let csv: String = std::iter::once("title,email\n".to_string())
        .chain((1..=n).map(|i| format!("Row {i},row{i}@example.com\n")))
        .collect();
    prospect::io::csv::parse(csv.as_bytes(), None, None).unwrap()
}

/// Imports `table` in batches of 2 into `db`, calling `between` once the first batch is in.
fn import_stopped(db: &std::path::Path, table: &prospect::io::csv::Table, between: impl FnOnce()) -> String {
    use prospect::domain::fields::Entity;
    use prospect::store::import::ImportOptions;
    let opts = prospect::store::OpenOptions { busy_limit: std::time::Duration::from_millis(300), ..Default::default() };
    let mut store = prospect::service::Service::open(db, opts).unwrap();
    store.sign_in("alice").unwrap();
    let targets: Vec<_> =
        table.headers.iter().map(|h| prospect::domain::import::auto_target(Entity::Lead, None, h).unwrap()).collect();
    let region = store.options().region;
    let plan = Default::default();
    let rows = |from| prospect::io::import::rows(row_context(table, &targets, &plan, region), table, from);
    let mut between = Some(between);
    let opts = ImportOptions { batch: 2, ..Default::default() };
    let err = store
        .import(Entity::Lead, rows, opts, |done| {
            if done == 2
                && let Some(f) = between.take()
            {
                f();
            }
        })
        .expect_err("the import goes on past a file error");
    err.to_string()
}

/// An import stopped by the file after a batch was committed says what was written and how
/// to go on, not "nothing was written" (issue 21); running it again with skip completes it.
#[test]
fn an_import_stopped_after_a_committed_batch_says_what_stays_and_how_to_go_on() {
    let env = Env::new();
    env.json(&["user", "add", "bob"]);
    let table = mailed_table(7);
    let mut holder = None;
    let message = import_stopped(&env.db, &table, || {
        // Another client takes the file for writing and keeps it past the wait limit.
        let other = rusqlite::Connection::open(&env.db).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        holder = Some(other);
    });
    drop(holder);
    assert!(message.starts_with(&format!("{}: busy", env.db.display())), "{message}");
    assert!(message.contains("after 2 rows, up to line 3"), "{message}");
    assert!(message.contains("--duplicates skip"), "{message}");
    assert!(!message.contains("nothing was written"), "{message}");
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 2, "the committed batch stays");
    let file = env.dir.path().join("rows.csv");
    let csv: String = std::iter::once("title,email\n".to_string())
        .chain((1..=7).map(|i| format!("Row {i},row{i}@example.com\n")))
        .collect();
    std::fs::write(&file, csv).unwrap();
    let r = env.json(&["import", file.to_str().unwrap(), "--duplicates", "skip"]);
    assert_eq!((r["created"].as_u64(), r["skipped"].as_u64()), (Some(5), Some(2)), "{r}");
}

/// The same on a full disk (a tmpfs, so root only: skipped otherwise).
#[test]
fn an_import_stopped_by_a_full_disk_names_the_file_and_what_was_written() {
    let Some(small) = common::Tmpfs::mount("600k") else { return };
    let env = Env::new();
    let db = small.path().join("crm.db");
    let out = env.cmd_db(&db).args(["--user", "alice", "user", "add", "bob"]).output().unwrap();
    assert!(out.status.success());
    let table = mailed_table(200);
    let message = import_stopped(&db, &table, || small.fill());
    assert!(message.starts_with(&format!("{}: the disk is full after 2 rows", db.display())), "{message}");
    assert!(!message.contains("nothing was written"), "{message}");
}

/// Counts take the singular in each language: French says `1 fiche écrite`, `0 fusionnée`
/// (0 and 1 are singular in French), English `1 record written`, `0 skipped as duplicates`.
#[test]
fn counts_of_one_are_said_in_the_singular() {
    let env = Env::new();
    let csv = env.dir.path().join("one.csv");
    std::fs::write(&csv, "Nom;Prénom;Téléphone\nCurie;Marie;+33 6 12 34 56 78\n").unwrap();
    let out = env.cmd().args(["--lang", "fr", "import", csv.to_str().unwrap()]).output().unwrap();
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(": 1 ligne, 1 créée, 0 fusionnée, 0 remplacée, 0 ignorée comme doublon, 0 refusée, en "),
        "{said}"
    );
    let file = env.dir.path().join("out.csv");
    let out = env.cmd().args(["--lang", "fr", "export", "--out", file.to_str().unwrap()]).output().unwrap();
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.starts_with("1 fiche écrite dans "), "{said}");
    std::fs::remove_file(&file).unwrap();
    let out = env.cmd().args(["export", "--out", file.to_str().unwrap()]).output().unwrap();
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.starts_with("1 record written to "), "{said}");
    let said = env.ok(&["import", csv.to_str().unwrap(), "--duplicates", "skip"]);
    assert!(
        said.contains(": 1 row, 0 created, 0 merged, 0 replaced, 1 skipped as a duplicate, 0 rejected, in "),
        "{said}"
    );
}

/// In French, the reasons of refused rows are French too, down to a short row's.
#[test]
fn refused_rows_are_explained_in_french() {
    let env = Env::new();
    let rejects = env.dir.path().join("bad.report.csv");
    let out = env
        .cmd()
        .args(["--lang", "fr", "import", data("bad_rows.csv").to_str().unwrap(), "--report", rejects.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(text.contains("6,refusée,,\"la ligne a 2 cellules, l’en-tête en a 6\",Short row,Eve\n"), "{text}");
    assert!(text.starts_with("\u{feff}ligne,résultat,fiche,raison,"), "{text}");
    assert!(
        text.contains("3,\"#2 créée, valeurs laissées de côté\",#2,E-mail « ben-at-example » laissé(e) de côté"),
        "{text}"
    );
    assert!(!text.contains("the row has"), "{text}");
}

/// How the tests that hand rows to `Service::import` read a table of leads: no reference
/// values, the file's currency, times in UTC.
fn row_context<'a>(
    table: &'a prospect::io::csv::Table,
    targets: &'a [prospect::domain::import::Target],
    plan: &'a prospect::domain::import::values::ValuePlan,
    region: prospect::domain::dedup::PhoneRegion,
) -> prospect::domain::import::RowContext<'a> {
    prospect::domain::import::RowContext {
        entity: prospect::domain::fields::Entity::Lead,
        headers: &table.headers,
        targets,
        region,
        currency: prospect::domain::money::Currency::EUR,
        values: plan,
        strict: false,
        local_instant: |t| Some(t.and_utc().timestamp_millis()),
        custom: &[],
    }
}

/// Issue 24: `export --excel` is what a French Excel opens as it is: UTF-8 with BOM, `;`,
/// headers in the user's language, the id and dates, amounts with a decimal comma (from the
/// minor units), a cell holding `;` and a line break quoted, formulas neutralised. The
/// default CSV stays the round-trip format.
#[test]
fn the_excel_export_is_read_by_a_french_spreadsheet() {
    let env = Env::new();
    env.ok(&[
        "lead",
        "add",
        "--title",
        "=cmd|' /C calc'!A0",
        "--comments",
        "Salon; stand 4\nRappeler lundi",
        "--amount",
        "1234.50",
        "--phone",
        "mobile:06 12 34 56 78",
    ]);
    env.ok(&["lead", "add", "--title", "Small", "--amount", "0.05"]);
    let out = env.dir.path().join("x.csv");
    env.ok(&["--lang", "fr", "export", "--excel", "--out", out.to_str().unwrap()]);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "a BOM first: {:?}", &bytes[..8.min(bytes.len())]);
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("N°;Titre;Étape;"), "{header}");
    for label in ["Montant", "Responsable", "Téléphones", "Créé le", "Modifié le"] {
        assert!(header.split(';').any(|h| h == label), "{label} in {header}");
    }
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{text}");
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let first = rows.iter().find(|r| r[col("Montant")] == *"1234,50").expect("1234,50");
    assert_eq!(&first[col("Titre")], "'=cmd|' /C calc'!A0", "neutralised");
    assert_eq!(&first[col("Commentaires")], "Salon; stand 4\nRappeler lundi");
    assert!(text.contains("\"Salon; stand 4\nRappeler lundi\""), "quoted whole: {text}");
    assert_eq!(&first[col("Téléphones")], "mobile: 06 12 34 56 78");
    assert!(first[col("N°")].parse::<i64>().is_ok(), "{first:?}");
    let created = &first[col("Créé le")];
    assert!(chrono::NaiveDateTime::parse_from_str(created, "%Y-%m-%d %H:%M").is_ok(), "{created}");
    assert!(rows.iter().any(|r| r[col("Montant")] == *"0,05"), "{text}");
    assert!(text.contains("\r\n"), "CRLF lines");
    // In English, English headers; the plain CSV is unchanged (no BOM, commas, keys).
    let en = env.ok(&["export", "--excel"]);
    assert!(en.trim_start_matches('\u{feff}').starts_with("ID;Title;Stage;"), "{en}");
    let plain = env.ok(&["export"]);
    assert!(plain.starts_with("title,stage,"), "{plain}");
    let err = env.fails(2, &["export", "--excel", "--format", "json"]);
    assert!(err.contains("--excel") && err.contains("--format"), "{err}");
}

/// Issue 26: a Manager may import new leads (they become theirs), but not merge rows into
/// whichever existing leads they match (anyone's): refused naming the level, nothing written.
#[test]
fn a_manager_imports_but_does_not_merge_into_others_records() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Alice's", "--email", "jean@acme.fr"]);
    env.json(&["user", "add", "bob", "--role", "Manager"]);
    let csv = env.dir.path().join("salon.csv");
    std::fs::write(&csv, "Title,E-mail\nFrom the fair,jean@acme.fr\nNew one,new@acme.fr\n").unwrap();
    let path = csv.to_str().unwrap();
    let before = std::fs::read(&env.db).unwrap();
    let out = env.cmd_as("bob").args(["import", path, "--duplicates", "merge"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("bob may not change this record (leads)") && err.contains("'all'"), "{err}");
    assert_eq!(std::fs::read(&env.db).unwrap(), before, "nothing written");
    let out = env.cmd_as("bob").args(["--json", "import", path]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs = env.cmd_as("bob").args(["--json", "lead", "list"]).output().unwrap();
    let theirs: Value = serde_json::from_slice(&theirs.stdout).unwrap();
    let titles: Vec<&str> = theirs.as_array().unwrap().iter().map(|l| l["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["New one"], "the new row is his; the matching one was skipped");
}

/// Issue 26: a Manager's import gives records to no one beyond their add level (a row naming
/// alice as responsible is refused alone, saying why), and a row skipped as a duplicate of a
/// record they may not see does not name it.
#[test]
fn a_managers_import_gives_no_record_to_others_and_names_no_hidden_match() {
    let env = Env::new();
    let alices = env.json(&["lead", "add", "--title", "Alice's", "--email", "jean@acme.fr"])["id"].to_string();
    env.json(&["user", "add", "bob", "--role", "Manager"]);
    let csv = env.dir.path().join("salon.csv");
    std::fs::write(
        &csv,
        "Title,E-mail,Responsible\nFrom the fair,jean@acme.fr,bob\nFor alice,a@x.fr,alice\nMine,b@x.fr,bob\n",
    )
    .unwrap();
    let report = env.dir.path().join("report.csv");
    let out = env
        .cmd_as("bob")
        .args(["--json", "import", csv.to_str().unwrap(), "--report", report.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((r["created"].as_u64(), r["skipped"].as_u64(), r["rejected"].as_u64()), (Some(1), Some(1), Some(1)));
    let written = std::fs::read_to_string(&report).unwrap();
    assert!(written.contains("bob may not add this record (leads)"), "{written}");
    assert!(written.contains("duplicate of a record you cannot see"), "{written}");
    assert!(!written.contains(&format!("#{alices}")) && !r.to_string().contains("Alice's"), "{written}\n{r}");
    // alice (who adds for anyone) gives a lead to bob.
    let mine = env.dir.path().join("mine.csv");
    std::fs::write(&mine, "Title,Responsible\nFor bob,bob\n").unwrap();
    let report = report.to_str().unwrap();
    assert_eq!(env.json(&["import", mine.to_str().unwrap(), "--report", report])["created"], 1);
}

/// Issue 27: a column named by a field of the team's own (its code, or its label in English
/// or French) fills it; a value it does not take is set aside, the lead still made; an
/// export reads back.
#[test]
fn custom_fields_are_imported_by_label_and_read_back_from_an_export() {
    let env = Env::new();
    env.json(&[
        "field",
        "add",
        "--entity",
        "lead",
        "interest",
        "--type",
        "list",
        "--label",
        "Product of interest",
        "--label-fr",
        "Produit souhaité",
        "--options",
        "CRM,ERP",
    ]);
    env.json(&["field", "add", "--entity", "lead", "budget", "--type", "money"]);
    let csv = env.dir.path().join("salon.csv");
    std::fs::write(&csv, "Titre,Produit souhaité,budget\nKiosque,erp,1500\nStand,Facturation,200\n").unwrap();
    let report = env.dir.path().join("report.csv");
    let r = env.json(&["import", csv.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    assert_eq!((r["created"].as_u64(), r["rejected"].as_u64()), (Some(2), Some(0)), "{r}");
    let leads = leads(&env);
    assert_eq!(leads[0]["fields"], serde_json::json!({"interest": "ERP", "budget": "1500.00 EUR"}));
    assert_eq!(leads[1]["fields"]["interest"], Value::Null, "set aside: {}", leads[1]);
    assert_eq!(leads[1]["fields"]["budget"], "200.00 EUR");
    // Exported, then imported into a file with the same fields: the same values.
    let out = env.dir.path().join("out.csv");
    env.ok(&["export", "--entity", "lead", "--out", out.to_str().unwrap()]);
    let other = Env::new();
    other.json(&["field", "add", "--entity", "lead", "interest", "--type", "list", "--options", "CRM,ERP"]);
    other.json(&["field", "add", "--entity", "lead", "budget", "--type", "money"]);
    let back = other.json(&["import", out.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    assert_eq!(back["created"], 2, "{back}");
    assert_eq!(leads_of(&other)[0]["fields"], serde_json::json!({"interest": "ERP", "budget": "1500.00 EUR"}));
}

fn leads_of(env: &Env) -> Vec<Value> {
    leads(env)
}
