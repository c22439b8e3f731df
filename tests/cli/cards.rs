//! vCard and iCalendar in (`prospect import FILE.vcf|FILE.ics`) through the real binary, on
//! the corpus in `tests/data/import/`: Google's vCard 3.0, Thunderbird's vCard 4.0 (photo,
//! folded lines, escapes, non-ASCII names), a calendar of events and to-dos; every count and
//! every card's or event's outcome asserted; UIDs imported again update; damaged files are
//! refused whole.

use crate::common::Env;
use serde_json::{Value, json};
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/import").join(name)
}

/// `prospect --json import FILE EXTRA...` in UTC (an all-day event starts at local midnight).
fn import(env: &Env, file: &std::path::Path, extra: &[&str]) -> Value {
    let out = env.cmd().env("TZ", "UTC").arg("--json").arg("import").arg(file).args(extra).output().unwrap();
    assert!(out.status.success(), "import {file:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (line, outcome, id, reason) of each item of a vCard import's report.
fn card_items(report: &Value) -> Vec<(i64, String, Option<i64>, Option<String>)> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["line"].as_i64().unwrap(),
                i["outcome"].as_str().unwrap().to_string(),
                i["id"].as_i64(),
                i["reason"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn counts(report: &Value, keys: &[&str]) -> Vec<i64> {
    keys.iter().map(|k| report[*k].as_i64().unwrap_or(-1)).collect()
}

fn values(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| (c["value"].as_str().unwrap().to_string(), c["type"].as_str().unwrap().to_string()))
        .collect()
}

fn pair(value: &str, label: &str) -> (String, String) {
    (value.to_string(), label.to_string())
}

#[test]
fn google_vcards_become_contacts_with_their_companies() {
    let env = Env::new();
    let file = data("google.vcf");
    let dry = import(&env, &file, &["--dry-run"]);
    // A card with a bad e-mail is kept without it; one without a first name is refused.
    assert_eq!(counts(&dry, &["cards", "created", "skipped", "rejected"]), vec![6, 4, 1, 1]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(env.json(&["contact", "list"]).as_array().unwrap().len(), 0, "a dry run writes nothing");

    let report = import(&env, &file, &[]);
    assert_eq!((report["format"].as_str(), report["entity"].as_str()), (Some("vcard"), Some("contact")));
    assert_eq!(
        counts(&report, &["cards", "created", "merged", "replaced", "skipped", "rejected"]),
        vec![6, 4, 0, 0, 1, 1]
    );
    let bad_email =
        "E-mail 'not-an-email' left out: 'not-an-email' is not an e-mail address (expected name@example.com)";
    assert_eq!(
        card_items(&report),
        vec![
            (1, "created".into(), Some(1), None),
            (17, "created".into(), Some(2), None),
            (27, "created".into(), Some(3), None),
            (33, "created".into(), Some(4), Some(bad_email.into())),
            (40, "skipped".into(), Some(1), Some("same e-mail".into())),
            (48, "rejected".into(), None, Some("first_name: is required".into())),
        ]
    );
    let jean = env.json(&["contact", "show", "1"]);
    for (key, value) in [
        ("first_name", "Jean"),
        ("last_name", "Dupont"),
        ("position", "Directeur commercial"),
        ("birth_date", "1975-03-21"),
        ("address", "12 rue de la Paix, 75002 Paris, France"),
        ("comments", "Rencontré au salon de Lyon"),
    ] {
        assert_eq!(jean[key], value, "{key}");
    }
    assert_eq!(values(&jean["phones"]), vec![pair("+33 6 12 34 56 78", "mobile"), pair("01 23 45 67 89", "work")]);
    assert_eq!(values(&jean["emails"]), vec![pair("jean.dupont@acme.fr", "work")]);
    assert_eq!(values(&jean["webs"]), vec![pair("http://www.acme.fr", "work")]);
    let marie = env.json(&["contact", "show", "2"]);
    assert_eq!((marie["honorific"].as_str(), marie["middle_name"].as_str()), (Some("Mme"), Some("Salomea")));
    assert_eq!(values(&marie["emails"]), vec![pair("marie.curie@example.org", "home")]);
    assert_eq!(values(&marie["phones"]), vec![pair("+33 1 44 27 00 00", "home")]);
    let paul = env.json(&["contact", "show", "3"]);
    assert_eq!((paul["first_name"].as_str(), paul["last_name"].as_str()), (Some("Paul"), Some("Martin")), "from FN");
    // One company for both cards of ORG "Acme SARL", linked to each.
    let companies = env.json(&["company", "list"]);
    assert_eq!(companies.as_array().unwrap().len(), 1);
    assert_eq!(companies[0]["title"], "Acme SARL");
    for c in [&jean, &marie] {
        assert_eq!(c["links"], json!([{"code": null, "entity": "company", "id": 1, "name": "Acme SARL"}]));
    }
    // Again: every card matches the contact it made (by e-mail or phone).
    let again = import(&env, &file, &[]);
    // (The card kept without its bad e-mail has nothing left to match by phone or e-mail: it
    // comes in again, as a CSV row would; `--match name` finds it.)
    assert_eq!(counts(&again, &["created", "skipped", "rejected"]), vec![1, 4, 1]);
    assert_eq!(env.json(&["contact", "list"]).as_array().unwrap().len(), 5);
    // The duplicate modes are the CSV import's: merge fills the empty fields of the match.
    let merged = import(&env, &file, &["--duplicates", "merge", "--match", "name,phone,email"]);
    assert_eq!(counts(&merged, &["created", "merged", "skipped", "rejected"]), vec![0, 5, 0, 1]);
    assert_eq!(
        env.json(&["contact", "show", "1"])["comments"],
        "Rencontré au salon de Lyon",
        "filled, not overwritten"
    );
    assert_eq!(env.json(&["db", "check"])["ok"], true);
}

#[test]
fn thunderbird_vcards_keep_escapes_folded_lines_and_accents() {
    let env = Env::new();
    let report = import(&env, &data("thunderbird.vcf"), &[]);
    assert_eq!(counts(&report, &["cards", "created", "skipped", "rejected"]), vec![3, 3, 0, 0]);
    assert_eq!(
        card_items(&report),
        vec![
            (1, "created".into(), Some(1), None),
            (30, "created".into(), Some(2), None),
            (40, "created".into(), Some(3), None)
        ]
    );
    let h = env.json(&["contact", "show", "1"]);
    for (key, value) in [
        ("honorific", "Dr."),
        ("first_name", "Hélène"),
        ("middle_name", "Marie"),
        ("last_name", "Müller-Łukasiewicz"),
        ("position", "Responsable achats; EMEA"),
        ("address", "12 rue de la Paix, Bât. B, 75002 Paris, France"),
        (
            "comments",
            "Première rencontre le 12/03, très intéressée par l’offre « Entreprise »; rappeler en avril après le salon de \
             Düsseldorf.\nDeuxième ligne.",
        ),
    ] {
        assert_eq!(h[key], value, "{key}");
    }
    assert_eq!(h["birth_date"], Value::Null, "a birthday without its year is left out");
    assert_eq!(values(&h["phones"]), vec![pair("+33 7 11 22 33 44", "mobile")]);
    assert_eq!(values(&h["emails"]), vec![pair("helene@exemple.fr", "work")]);
    assert_eq!(values(&h["messengers"]), vec![pair("helene.muller", "skype")]);
    assert_eq!(
        values(&h["webs"]),
        vec![pair("https://twitter.com/helene", "other"), pair("https://dupont-fils.fr", "work")]
    );
    let zoe = env.json(&["contact", "show", "2"]);
    assert_eq!((zoe["first_name"].as_str(), zoe["last_name"].as_str()), (Some("Zoë"), Some("O'Brien")));
    assert_eq!(zoe["birth_date"], "1990-01-02");
    assert_eq!(values(&zoe["phones"]), vec![pair("+44-20-7946-0958", "home")]);
    let soren = env.json(&["contact", "show", "3"]);
    assert_eq!(values(&soren["messengers"]), vec![pair("soren_k", "telegram")]);
    let company = json!([{"code": null, "entity": "company", "id": 1, "name": "Dupont, Fils & Cie"}]);
    assert_eq!((&h["links"], &soren["links"]), (&company, &company));
    assert_eq!(env.json(&["company", "list"]).as_array().unwrap().len(), 1);
}

/// The corpus's people (both vCard files) and a lead, in a new file.
fn people() -> Env {
    let env = Env::new();
    import(&env, &data("google.vcf"), &[]);
    import(&env, &data("thunderbird.vcf"), &[]);
    env.json(&["lead", "add", "--title", "Globex deal", "--email", "buyer@globex.example"]);
    env
}

/// (line, uid, outcome, id, records) of each item of a calendar import's report, and its reason.
/// An entry of a calendar import's report: line, UID, outcome, activity, records, reason.
type CalendarItem = (i64, String, String, Option<i64>, Vec<String>, Option<String>);

fn calendar_items(report: &Value) -> Vec<CalendarItem> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["line"].as_i64().unwrap(),
                i["uid"].as_str().unwrap_or("").to_string(),
                i["outcome"].as_str().unwrap().to_string(),
                i["id"].as_i64(),
                i["records"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect(),
                i["reason"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// Every activity, done ones included, as (id, kind, subject, deadline, end, priority, done, bindings).
/// An activity as listed: id, kind, subject, deadline, end, priority, done, bindings.
type Activity = (i64, String, String, String, Value, String, bool, Vec<String>);

fn activities(env: &Env) -> Vec<Activity> {
    let mut all: Vec<_> = env
        .json(&["activity", "list", "--all"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_i64().unwrap(),
                a["kind"].as_str().unwrap().to_string(),
                a["subject"].as_str().unwrap().to_string(),
                a["deadline"].as_str().unwrap().to_string(),
                a["end_at"].clone(),
                a["priority"].as_str().unwrap().to_string(),
                a["completed"].as_bool().unwrap(),
                a["bindings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| format!("{} #{}", b["entity"].as_str().unwrap(), b["id"]))
                    .collect(),
            )
        })
        .collect();
    all.sort_by_key(|a| a.0);
    all
}

#[test]
fn a_calendar_becomes_activities_bound_by_attendee_emails_and_updates_when_imported_again() {
    let env = people();
    let file = data("agenda.ics");
    let report = import(&env, &file, &[]);
    assert_eq!((report["format"].as_str(), report["entity"].as_str()), (Some("icalendar"), Some("activity")));
    assert_eq!(counts(&report, &["entries", "created", "updated", "not_imported"]), vec![9, 6, 0, 3]);
    let c = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let repeating = Some("a repeating event: imported once, at its first date".to_string());
    let expected = vec![
        (22, "meeting-1@agenda.example".into(), "created".into(), Some(1), c(&["contact #1", "contact #2"]), None),
        (39, "call-2@agenda.example".into(), "created".into(), Some(2), c(&["contact #5"]), None),
        (48, "weekly-3@agenda.example".into(), "created".into(), Some(3), c(&["lead #1"]), repeating.clone()),
        (
            57,
            "weekly-3@agenda.example".into(),
            "not_imported".into(),
            None,
            c(&[]),
            Some(
                "a changed occurrence of a repeating event (RECURRENCE-ID): the event is imported once, at its first date"
                    .into(),
            ),
        ),
        (66, "allday-4@agenda.example".into(), "created".into(), Some(4), c(&["contact #6"]), None),
        (
            74,
            "nobody-5@agenda.example".into(),
            "not_imported".into(),
            None,
            c(&[]),
            Some(
                "no record to bind it to: no contact or lead has the e-mail of its attendees or organiser \
                 (stranger@nowhere.example); name one with --lead, --contact, --deal or --company"
                    .into(),
            ),
        ),
        (82, "todo-6@agenda.example".into(), "created".into(), Some(5), c(&["contact #1"]), None),
        (90, "todo-7@agenda.example".into(), "created".into(), Some(6), c(&["contact #3"]), None),
        (100, "todo-8@agenda.example".into(), "not_imported".into(), None, c(&[]), Some("no DUE: an activity needs a date".into())),
    ];
    assert_eq!(calendar_items(&report), expected);
    let s = |t: &str| t.to_string();
    let made = vec![
        (
            1,
            s("meeting"),
            s("Présentation produit"),
            s("2027-03-10T09:00:00Z"),
            json!("2027-03-10T10:30:00Z"),
            s("medium"),
            false,
            c(&["contact #1", "contact #2"]),
        ),
        (
            2,
            s("call"),
            s("Point téléphonique"),
            s("2027-03-11T14:00:00Z"),
            json!("2027-03-11T14:15:00Z"),
            s("medium"),
            false,
            c(&["contact #5"]),
        ),
        (
            3,
            s("meeting"),
            s("Weekly sync"),
            s("2027-03-15T08:00:00Z"),
            json!("2027-03-15T08:30:00Z"),
            s("medium"),
            false,
            c(&["lead #1"]),
        ),
        (
            4,
            s("meeting"),
            s("Salon des entrepreneurs"),
            s("2027-03-20T00:00:00Z"),
            json!("2027-03-21T00:00:00Z"),
            s("medium"),
            false,
            c(&["contact #6"]),
        ),
        (
            5,
            s("task"),
            s("Envoyer le devis"),
            s("2027-03-25T17:00:00Z"),
            Value::Null,
            s("high"),
            false,
            c(&["contact #1"]),
        ),
        (6, s("task"), s("Relancer Paul"), s("2027-03-01T09:00:00Z"), Value::Null, s("low"), true, c(&["contact #3"])),
    ];
    assert_eq!(activities(&env), made);
    let meeting =
        env.json(&["activity", "list", "--all"]).as_array().unwrap().iter().find(|a| a["id"] == 1).cloned().unwrap();
    assert_eq!(meeting["description"], "Démonstration de la version 3, puis questions.");
    assert_eq!(meeting["location"], "Acme, salle Curie");
    assert_eq!(meeting["reminder_minutes"], 15, "its VALARM");

    // The same file again: the same activities, updated, none added.
    let again = import(&env, &file, &[]);
    assert_eq!(counts(&again, &["entries", "created", "updated", "not_imported"]), vec![9, 0, 6, 3]);
    assert_eq!(activities(&env), made);
    // A changed summary shows.
    let changed = env.dir.path().join("changed.ics");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("SUMMARY:Présentation produit", "SUMMARY:Présentation produit v2");
    std::fs::write(&changed, text).unwrap();
    let third = import(&env, &changed, &[]);
    assert_eq!(counts(&third, &["created", "updated", "not_imported"]), vec![0, 6, 3]);
    let now = activities(&env);
    assert_eq!(now.len(), 6);
    assert_eq!(now[0].2, "Présentation produit v2");
    let timeline = env.json(&["contact", "show", "1"]).to_string();
    assert!(timeline.contains("Présentation produit v2"), "the bound contact's timeline says so: {timeline}");

    // Our own export, imported into the same file, updates its activities, never duplicates:
    // those imported keep their calendar's UID, one planned here is named by its id.
    env.json(&["activity", "add", "--contact", "2", "--kind", "task", "--subject", "Planned here", "--at", "+2d"]);
    let exported = env.dir.path().join("out.ics");
    env.cmd().args(["export", "--format", "ics", "--out", exported.to_str().unwrap()]).assert().success();
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.contains("UID:meeting-1@agenda.example\r\n") && text.contains("UID:activity-7@"), "{text}");
    let before = activities(&env);
    assert_eq!(before.len(), 7);
    let back = import(&env, &exported, &[]);
    assert_eq!(counts(&back, &["entries", "created", "updated", "not_imported"]), vec![7, 0, 7, 0]);
    assert_eq!(activities(&env), before);
    let meeting =
        env.json(&["activity", "list", "--all"]).as_array().unwrap().iter().find(|a| a["id"] == 1).cloned().unwrap();
    assert_eq!(
        meeting["description"], "Démonstration de la version 3, puis questions.",
        "the export's record lines come off"
    );
    // ... and the original calendar still finds them by their UIDs.
    let original = import(&env, &file, &[]);
    assert_eq!(counts(&original, &["created", "updated"]), vec![0, 6]);
    assert_eq!(activities(&env).len(), 7);
    assert_eq!(env.json(&["db", "check"])["ok"], true);
}

#[test]
fn records_named_by_flags_take_every_event_and_a_missing_one_refuses_the_import() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Everything"]);
    let file = data("agenda.ics");
    let err = env.fails(4, &["import", file.to_str().unwrap(), "--contact", "99"]);
    assert!(err.contains("contact #99"), "{err}");
    let report = import(&env, &file, &["--lead", "1", "--dry-run"]);
    assert_eq!(counts(&report, &["created", "updated", "not_imported"]), vec![7, 0, 2]);
    assert_eq!(activities(&env).len(), 0, "a dry run writes nothing");
    let report = import(&env, &file, &["--lead", "1"]);
    assert_eq!(counts(&report, &["created", "updated", "not_imported"]), vec![7, 0, 2]);
    assert!(activities(&env).iter().all(|a| a.7 == vec!["lead #1".to_string()]));
    // The flags are for calendars only.
    let csv = data("en_utf8_comma.csv");
    let err = env.fails(1, &["import", csv.to_str().unwrap(), "--lead", "1"]);
    assert!(err.contains("is not an iCalendar file"), "{err}");
    let err = env.fails(1, &["import", file.to_str().unwrap(), "--map", "a=title"]);
    assert!(err.contains("--map is for CSV files"), "{err}");
}

#[test]
fn files_are_told_apart_by_content_whatever_their_name() {
    let env = Env::new();
    let named_csv = env.dir.path().join("contacts.csv");
    std::fs::copy(data("thunderbird.vcf"), &named_csv).unwrap();
    let report = import(&env, &named_csv, &[]);
    assert_eq!(counts(&report, &["cards", "created"]), vec![3, 3]);
    let named_vcf = env.dir.path().join("leads.vcf");
    std::fs::copy(data("en_utf8_comma.csv"), &named_vcf).unwrap();
    let report = import(&env, &named_vcf, &[]);
    assert!(report["mapping"].is_array() && report["created"].as_i64().unwrap() > 0, "{report}");
    let named_txt = env.dir.path().join("calendar.txt");
    std::fs::write(
        &named_txt,
        std::fs::read_to_string(data("agenda.ics")).unwrap().replacen("BEGIN", "\r\n  begin", 1),
    )
    .unwrap();
    let report = import(&env, &named_txt, &[]);
    assert_eq!(report["format"], "icalendar");
}

#[test]
fn damaged_cards_and_calendars_are_refused_whole_and_write_nothing() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "x", "--email", "jean.dupont@acme.fr"]);
    let write = |name: &str, text: &str| {
        let p = env.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let google = std::fs::read_to_string(data("google.vcf")).unwrap();
    let agenda = std::fs::read_to_string(data("agenda.ics")).unwrap();
    let cases = [
        ("cut.vcf", google[..google.len() / 2].to_string(), "BEGIN:VCARD without its END:VCARD"),
        ("cut.ics", agenda[..agenda.len() * 2 / 3].to_string(), "without its END:"),
        ("junk.vcf", format!("{google}this is not a card\r\n"), "line 56: 'this is not a card' belongs to no card"),
        ("mixed.vcf", format!("{google}{agenda}"), "a VCALENDAR in a file of VCARDs"),
        ("empty.ics", "BEGIN:VCALENDAR\r\n".to_string(), "BEGIN:VCALENDAR without its END:VCALENDAR"),
    ];
    for (name, text, said) in cases {
        let p = write(name, &text);
        let err = env.fails(1, &["import", p.to_str().unwrap()]);
        assert!(err.contains(said) && err.contains("nothing was imported"), "{name}: {err}");
    }
    // A card of 10,000 telephones is refused on its own; the next card is imported.
    let mut many = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Many;Phones;;;\r\n");
    for i in 0..10_000 {
        many.push_str(&format!("TEL:+33 1 23 {:02} {:02} {:02}\r\n", i / 10_000, (i / 100) % 100, i % 100));
    }
    many.push_str(
        "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nN:Few;Phones;;;\r\nTEL:+33 6 00 00 00 01\r\nEND:VCARD\r\n",
    );
    let report = import(&env, &write("many.vcf", &many), &[]);
    assert_eq!(counts(&report, &["cards", "created", "rejected"]), vec![2, 1, 1]);
    assert_eq!(report["items"][0]["reason"], "10002 properties: at most 1000 per card or event");
    // 200 MB: refused before it is read.
    let big = env.dir.path().join("big.vcf");
    let f = std::fs::File::create(&big).unwrap();
    std::io::Write::write_all(&mut &f, b"BEGIN:VCARD\r\nVERSION:3.0\r\n").unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    let err = env.fails(1, &["import", big.to_str().unwrap()]);
    assert!(err.contains("200 MB is too large") && err.contains("at most 100 MB"), "{err}");
    // In French too.
    let p = write("cut2.vcf", &google[..google.len() / 2]);
    let out = env.cmd().args(["--lang", "fr", "import", p.to_str().unwrap()]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("BEGIN:VCARD sans son END:VCARD") && err.contains("rien n’a été importé"), "{err}");
    assert_eq!(env.json(&["contact", "list"]).as_array().unwrap().len(), 1, "only the card of few phones");
    assert_eq!(env.json(&["db", "check"])["ok"], true);
}

#[test]
fn arbitrary_bytes_in_a_card_or_calendar_never_crash_the_import() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "x", "--email", "a@b.co"]);
    let mut rng = fastrand::Rng::with_seed(11);
    for i in 0..32 {
        let len = rng.usize(0..500);
        let alphabet: &[u8] = b"BEGIN:VCARDENDVEVENTVTODO;=:,\\\r\n \t\xc3\xa9 0123456789TZID@.mailto";
        let body: Vec<u8> = if i % 2 == 0 {
            (0..len).map(|_| rng.u8(..)).collect()
        } else {
            (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect()
        };
        let head: &[u8] = if i % 4 < 2 {
            b"BEGIN:VCARD\r\n"
        } else {
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE:mailto:a@b.co\r\n"
        };
        let file = env.dir.path().join(format!("fuzz{i}.txt"));
        std::fs::write(&file, [head, &body].concat()).unwrap();
        let out = env.cmd().args(["import", file.to_str().unwrap()]).output().unwrap();
        let code = out.status.code();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(code, Some(0) | Some(1)), "case {i}: exit {code:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "case {i}: {stderr}");
    }
    assert_eq!(env.json(&["db", "check"])["ok"], true);
}

#[test]
fn a_file_of_version_13_gets_the_uid_column_in_place() {
    let env = Env::new();
    let lead = env.json(&["lead", "add", "--title", "Old", "--email", "jean.dupont@acme.fr"]);
    env.json(&["activity", "add", "--lead", &lead["id"].to_string(), "--at", "+2d"]);
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch(
        "ALTER TABLE custom_fields DROP COLUMN label_fr; ALTER TABLE custom_fields DROP COLUMN link_to; ALTER TABLE custom_fields DROP COLUMN default_value; ALTER TABLE custom_fields DROP COLUMN in_list; ALTER TABLE custom_fields DROP COLUMN required_from;
         DROP TABLE document_counters; DROP TABLE documents; DROP TABLE line_items; DROP TABLE products; DROP TABLE list_views; DROP INDEX custom_values_order; ALTER TABLE custom_values DROP COLUMN sort_key; DROP TABLE deal_contacts; DROP TABLE role_grants; DROP INDEX leads_responsible_stage; DROP INDEX deals_responsible_stage;
         ALTER TABLE users DROP COLUMN db_role;
         DROP INDEX leads_responsible_next; DROP INDEX deals_responsible_next; DROP TRIGGER activities_reminder_reset; DROP INDEX activities_reminders; ALTER TABLE activities DROP COLUMN reminded_at; DROP TABLE stage_rules; DROP TRIGGER deals_forecast_insert; DROP TRIGGER deals_forecast_change; DROP TRIGGER deals_forecast_delete; DROP TABLE forecast_tallies; DROP INDEX deals_created; DROP TRIGGER leads_tally_release; DROP TRIGGER leads_tally_insert; DROP TRIGGER leads_tally_change; DROP TRIGGER leads_tally_delete; DROP TRIGGER deals_tally_insert; DROP TRIGGER deals_tally_change; DROP TRIGGER deals_tally_delete; DROP TRIGGER activities_tally_insert; DROP TRIGGER activities_tally_change; DROP TRIGGER activities_tally_delete; DROP TABLE record_tallies; DROP TABLE activity_tallies; DROP TABLE tally_units; DROP INDEX leads_stage_created; DROP TABLE stage_moves; DROP TABLE lost_reasons; DROP TRIGGER leads_closed_insert; DROP TRIGGER leads_open_insert; DROP TRIGGER leads_closed_move; DROP TRIGGER deals_closed_insert; DROP TRIGGER deals_open_insert; DROP TRIGGER deals_closed_move; DROP INDEX deals_closed; DROP INDEX leads_closed; ALTER TABLE leads DROP COLUMN closed_at; ALTER TABLE deals DROP COLUMN closed_at; ALTER TABLE stages DROP COLUMN probability; ALTER TABLE stages DROP COLUMN rot_days;
         DROP INDEX activities_uid; ALTER TABLE activities DROP COLUMN uid; PRAGMA user_version = 13;",
    )
    .unwrap();
    drop(c);
    let report = import(&env, &data("agenda.ics"), &[]);
    assert_eq!(counts(&report, &["created", "updated"]), vec![2, 0], "meeting-1 and todo-6 have Jean's e-mail");
    assert!(env.db.with_extension("v13.backup.db").exists(), "a copy of the version-13 file is kept");
    let v: i64 =
        rusqlite::Connection::open(&env.db).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, prospect::store::sqlite::SCHEMA_VERSION);
    assert_eq!(activities(&env).len(), 3, "the activity planned before is still there");
    assert_eq!(counts(&import(&env, &data("agenda.ics"), &[]), &["created", "updated"]), vec![0, 2]);
    assert_eq!(env.json(&["db", "check"])["ok"], true);
}
