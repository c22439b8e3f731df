//! Bad input: one clear line on stderr naming the field or file and what is accepted, a
//! non-zero exit, and nothing written (the `fails` helper compares the file's bytes).

use crate::common;
use crate::common::Env;

fn seeded() -> Env {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Existing"]);
    env.json(&["company", "add", "--title", "Acme"]);
    env
}

#[test]
fn invalid_values_name_the_field_and_what_is_accepted() {
    let env = seeded();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["lead", "add", "--email", "jean.dupont"],
            &["email:", "'jean.dupont' is not an e-mail address", "name@example.com"],
        ),
        (&["lead", "add", "--phone", "12 34"], &["phone:", "'12 34' is not a valid phone number", "+33 6 12 34 56 78"]),
        (&["lead", "add", "--phone", "pager:0612345678"], &["phone:", "accepted: work, mobile, home, fax, other"]),
        (&["lead", "add", "--amount", "12.345"], &["amount:", "ambiguous", "12345"]),
        (&["lead", "add", "--amount", "ten euros"], &["amount:", "is not an amount", "1 234,50"]),
        (&["lead", "add", "--amount", "-5"], &["amount:", "negative"]),
        (&["lead", "add", "--currency", "EURO"], &["currency:", "not a known currency code"]),
        (&["lead", "add", "--birth-date", "31/02/1990"], &["birth_date:", "is not a date", "YYYY-MM-DD"]),
        (&["lead", "add", "--stage", "Won"], &["stage:", "there is no stage 'Won'", "New (NEW)", "Junk (JUNK)"]),
        (&["lead", "add", "--responsible", "zoe"], &["responsible:", "there is no user 'zoe'", "known: alice"]),
        (&["lead", "add", "--source", "Telepathy"], &["source:", "there is no source 'Telepathy'", "Call (CALL)"]),
        (&["lead", "add", "--opened", "perhaps"], &["opened:", "yes/no"]),
        (&["lead", "add", "--set", "colour=red"], &["colour:", "is not a field", "first_name"]),
        (&["lead", "edit", "1", "--stage", "NEW"], &["stage:", "prospect lead move"]),
        (&["lead", "move", "1", "Nowhere"], &["stage:", "there is no stage 'Nowhere'"]),
        (&["lead", "move", "1", "In progress", "--reason", "why"], &["reason:", "failure stage"]),
        (&["contact", "add", "--first-name", "Marie"], &["last_name:", "is required", "unknown"]),
        (&["contact", "add", "--last-name", "Curie"], &["first_name:", "is required"]),
        (
            &["contact", "add", "--first-name", "A", "--last-name", "B", "--company", "Nope Inc"],
            &["company:", "there is no company 'Nope Inc'"],
        ),
        (&["company", "add", "--industry", "IT"], &["title:", "is required"]),
        (&["company", "add", "--title", "   "], &["title:", "is required"]),
        (&["company", "add", "--title", "X", "--employees", "12"], &["employees:", "accepted: 1-49, 50-249"]),
        (&["company", "edit", "1", "--title", ""], &["title:", "is required"]),
        (&["deal", "add", "--probability", "150"], &["probability:", "from 0 to 100"]),
        (&["deal", "add", "--pipeline", "Nope"], &["pipeline:", "there is no pipeline 'Nope'", "General"]),
        (&["lead", "edit", "1"], &["nothing to change"]),
        (&["lead", "comment", "1", " "], &["comment:", "is required"]),
        (&["lead", "add", "--title", &"x".repeat(300)], &["title:", "too long", "255"]),
        (&["stage", "add", "Won again", "--semantics", "success"], &["exactly one success stage"]),
        (&["stage", "reorder", "JUNK", "1"], &["out of order"]),
        (&["stage", "delete", "NEW"], &["holds 1 lead", "--move-to"]),
        (&["stage", "recolor", "NEW", "blue"], &["color:", "#rrggbb"]),
        (&["user", "add", "bad login"], &["login:", "letters, digits"]),
        (&["user", "add", "alice"], &["already exists"]),
    ];
    for (args, needles) in cases {
        let err = env.fails(1, args);
        for n in *needles {
            assert!(err.contains(n), "prospect {args:?}: expected {n:?} in: {err}");
        }
    }
    env.fails(4, &["lead", "show", "999"]);
    env.fails(4, &["lead", "edit", "999", "--title", "x"]);
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn bad_json_input_is_refused() {
    let env = seeded();
    for (input, needle) in [
        ("not json", "not valid JSON"),
        ("[1, 2]", "must be one object"),
        (r#"{"title": "x", "colour": "red"}"#, "colour: is not a field"),
        (r#"{"phones": ["06"]}"#, "phone: '06' is not a valid phone number"),
        (r#"{"phones": "0612345678"}"#, "phones: expected a list"),
    ] {
        let before = common::bytes(&env.db);
        let out = env.cmd().args(["lead", "add", "-"]).write_stdin(input).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{input}: {err}");
        assert!(err.contains(needle), "{input}: expected {needle:?} in {err}");
        assert_eq!(common::bytes(&env.db), before);
    }
    let err = env.fails(1, &["lead", "add", "/no/such/input.json"]);
    assert!(err.contains("/no/such/input.json: cannot read"), "{err}");
}

#[test]
fn unknown_user_on_an_existing_file() {
    let env = seeded();
    let out = env.cmd_as("mallory").args(["lead", "add", "--title", "x"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("user 'mallory' is not in this file") && err.contains("prospect user add mallory"), "{err}");
    // Only administrators manage users and stages.
    env.ok(&["user", "add", "bob"]);
    let out = env.cmd_as("bob").args(["stage", "add", "Qualified"]).output().unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("only an administrator"));
}

#[test]
fn file_problems_are_named() {
    let env = Env::new();
    // A directory.
    let out = env.cmd_db(env.dir.path()).args(["lead", "list"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("is a directory"), "{err}");

    // A missing file for a command that only reads.
    let missing = env.dir.path().join("missing.db");
    let out = env.cmd_db(&missing).args(["lead", "list"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("missing.db: no such file"), "{err}");
    assert!(!missing.exists());

    // A missing folder.
    let out = env.cmd_db(std::path::Path::new("/no/such/dir/x.db")).args(["lead", "add"]).output().unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("/no/such/dir: no such directory"));

    // Not a database.
    let junk = env.dir.path().join("notes.db");
    std::fs::write(&junk, "hello, this is a text file and certainly not SQLite".repeat(100)).unwrap();
    let out = env.cmd_db(&junk).args(["lead", "list"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("notes.db: is not a Prospect file"), "{err}");

    // Another program's database.
    let other = env.dir.path().join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t(x)").unwrap();
    let out = env.cmd_db(&other).args(["lead", "list"]).output().unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("not a Prospect file"));
}

#[test]
fn read_only_file_is_read_but_never_written() {
    let env = seeded();
    let mut perms = std::fs::metadata(&env.db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&env.db, perms).unwrap();
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 1);
    let err = env.fails(1, &["lead", "add", "--title", "x"]);
    assert!(err.contains("is read-only") && err.contains("nothing was written"), "{err}");
    env.fails(1, &["lead", "move", "1", "Junk"]);
}

#[test]
fn newer_schema_is_refused_with_both_versions() {
    let env = seeded();
    rusqlite::Connection::open(&env.db).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
    let err = env.fails(1, &["lead", "list"]);
    let known = format!(
        "made by a newer Prospect (schema version 99; this version knows up to {})",
        prospect::store::sqlite::SCHEMA_VERSION
    );
    assert!(err.contains(&known), "{err}");
    let out = env.cmd().args(["--json", "lead", "list"]).output().unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(j["error"], "newer_schema");
}

#[test]
fn bad_flags_and_config() {
    let env = seeded();
    let out = env.cmd().args(["lead", "show", "abc"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("'abc' is not a record id"));
    let out = env.cmd().args(["--lang", "de", "lead", "list"]).output().unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("--lang: 'de' is not a language Prospect speaks (en, fr)"));
    std::fs::write(env.dir.path().join("no-config.toml"), "region = \"XX\"\n").unwrap();
    let out = env.cmd().args(["lead", "list"]).output().unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("region 'XX' is not a two-letter country code"));
    std::fs::write(env.dir.path().join("no-config.toml"), "colour = 1\n").unwrap();
    let err = env.fails(1, &["lead", "list"]);
    assert!(err.contains("no-config.toml: invalid config file (line 1): unknown field `colour`"), "{err}");
    std::fs::remove_file(env.dir.path().join("no-config.toml")).unwrap();
    let err = env.fails(1, &["db", "backup", "/no/such/dir/b.db"]);
    assert!(err.contains("/no/such/dir: no such directory"), "{err}");
}

#[test]
fn a_file_held_past_the_wait_limit_fails_with_exit_5_and_writes_nothing() {
    let env = Env::new();
    env.ok(&["lead", "add", "--title", "x"]);
    std::fs::write(env.dir.path().join("no-config.toml"), "busy_timeout_secs = 1\n").unwrap();
    let holder = rusqlite::Connection::open(&env.db).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let out = env.cmd().args(["--json", "lead", "add", "--title", "y"]).output().unwrap();
    holder.execute_batch("ROLLBACK").unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("\"busy\"") && err.contains("held it too long"), "{err}");
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 1);
}

/// No SQLite text reaches the user from a bad or empty flag (issue 21).
fn no_sql_in(err: &str) {
    for leak in ["constraint", "datatype mismatch", "NOT NULL", "SQL", "rusqlite"] {
        assert!(!err.contains(leak), "internal text '{leak}' leaked: {err}");
    }
}

#[test]
fn an_empty_reference_flag_means_its_default_and_a_cleared_yes_no_is_refused() {
    let env = seeded();
    // On `add`, an empty value is the field's default: the first stage, not opened, you.
    let lead = env.json(&["lead", "add", "--title", "a", "--stage=", "--opened=", "--source=", "--responsible="]);
    assert_eq!(lead["stage"]["code"], "NEW", "{lead}");
    assert_eq!(lead["responsible"]["code"], "alice", "{lead}");
    let deal = env.json(&["deal", "add", "--title", "d", "--pipeline=", "--stage=", "--opened="]);
    assert_eq!(deal["stage"]["code"], "NEW", "{deal}");
    // In a filter, an empty value is no filter.
    assert_eq!(env.json(&["lead", "list", "--stage=", "--source=", "--responsible="]).as_array().unwrap().len(), 2);
    env.json(&["stage", "list", "--pipeline="]);
    // A yes/no field cannot be cleared: the field and what it accepts, nothing written.
    let err = env.fails(1, &["lead", "edit", "1", "--opened="]);
    assert!(err.contains("opened: '' is not yes or no"), "{err}");
    no_sql_in(&err);
    let err = env.fails(1, &["lead", "add", "--set", "stage=", "--set", "opened=", "--title", "b", "--amount", "x"]);
    assert!(err.starts_with("prospect: amount:"), "{err}");
}

#[test]
fn numbers_past_their_range_are_refused_with_the_range() {
    let env = seeded();
    for (args, field) in [
        (&["lead", "list", "--sort", "title", "--offset", "18446744073709551615"][..], "offset"),
        (&["lead", "list", "--limit", "9999999999999999999"][..], "limit"),
        (&["lead", "list", "--limit", "99999999999999999999"][..], "limit"),
        (&["search", "x", "--limit", "18446744073709551615"][..], "limit"),
        (&["activity", "list", "--limit", "18446744073709551615"][..], "limit"),
        (&["lead", "show", "1", "--timeline", "18446744073709551615"][..], "timeline"),
        (&["stage", "add", "X", "--position", "18446744073709551615"][..], "position"),
    ] {
        let err = env.fails(2, args);
        assert!(err.contains(&format!("{field}: '")) && err.contains("is not a whole number from "), "{args:?}: {err}");
        no_sql_in(&err);
    }
}

#[test]
fn a_backup_into_a_missing_folder_names_that_folder() {
    let env = seeded();
    let err = env.fails(1, &["db", "backup", "/no/dir/x.db"]);
    assert!(err.contains("/no/dir: no such directory"), "{err}");
    assert!(!err.contains("data file"), "the data file is not what is missing: {err}");
}

#[test]
fn under_json_usage_errors_are_json_with_exit_2_and_help_stays_plain() {
    let env = seeded();
    for (args, field) in [
        (&["--json", "lead", "list", "--limit", "x"][..], Some("limit")),
        (&["--json", "export", "--format", "xlsx"][..], Some("format")),
        (&["--json", "lead", "list", "--colour"][..], Some("colour")),
        (&["--json", "lead", "show", "abc"][..], Some("id")),
        (&["--json", "lead"][..], None),
        (&["lead", "lisst", "--json"][..], None),
    ] {
        let err = env.fails(2, args);
        let j: serde_json::Value =
            serde_json::from_str(err.trim()).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {err}"));
        assert_eq!(j["error"], "usage", "{args:?}: {j}");
        assert_eq!(j["field"].as_str(), field, "{args:?}: {j}");
        assert!(!j["message"].as_str().unwrap().is_empty(), "{args:?}: {j}");
    }
    let err = env.fails(2, &["export", "--format", "xlsx"]);
    assert!(err.starts_with("prospect: ") && err.contains("[possible values: csv, json, vcard, ics]"), "{err}");
    for flag in ["--help", "--version"] {
        let out = env.cmd().args(["--json", "lead", flag]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{flag}");
        assert!(!String::from_utf8_lossy(&out.stdout).trim_start().starts_with('{'), "{flag} stays plain");
    }
}

#[test]
fn under_json_the_waiting_notice_is_json_too() {
    let env = Env::new();
    env.ok(&["lead", "add", "--title", "x"]);
    std::fs::write(env.dir.path().join("no-config.toml"), "busy_timeout_secs = 1\n").unwrap();
    let holder = rusqlite::Connection::open(&env.db).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let out = env.cmd().args(["--json", "lead", "list"]).output().unwrap();
    holder.execute_batch("ROLLBACK").unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    for line in err.lines() {
        let j: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(j.get("waiting").is_some() || j["error"] == "busy", "{line}");
    }
    assert!(err.lines().any(|l| l.contains("\"waiting\"") && l.contains("crm.db")), "{err}");
}

#[test]
fn rule_and_not_found_errors_speak_french() {
    let env = seeded();
    env.ok(&["user", "add", "bob"]);
    let fr = |user: &str, args: &[&str]| {
        let out = env.cmd_as(user).arg("--lang").arg("fr").args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let err = fr("alice", &["lead", "show", "99"]);
    assert!(err.contains("Prospect n° 99 n'existe pas"), "{err}");
    let err = fr("bob", &["stage", "add", "Qualifié"]);
    assert!(err.contains("seul un administrateur peut modifier les étapes ; bob n'en est pas un"), "{err}");
    let err = fr("alice", &["stage", "delete", "NEW"]);
    assert!(err.contains("l'étape New contient 1 fiche prospect ; dites où la mettre"), "{err}");
    let err = fr("alice", &["db", "backup", env.db.to_str().unwrap()]);
    assert!(err.contains("existe déjà"), "{err}");
}

/// Input that must not be trusted (issue 21): far dates are refused with the accepted years
/// instead of a crash, control characters never reach the file from any input path and are
/// shown, not sent, when an older file holds them, and phones are kept as the client gave them.
mod untrusted_input {
    use crate::common::Env;

    fn seeded() -> Env {
        let env = Env::new();
        env.json(&["lead", "add", "--title", "Existing"]);
        env
    }

    #[test]
    fn far_dates_are_refused_with_the_accepted_years() {
        let env = seeded();
        let cases: &[(&[&str], &str)] = &[
            (&["activity", "add", "--lead", "1", "--at=+99999999d"], "at:"),
            (&["activity", "add", "--lead", "1", "--at=+999999999999h"], "at:"),
            (&["activity", "add", "--lead", "1", "--at=+3000000d"], "at:"),
            (&["activity", "add", "--lead", "1", "--at=+99999999999999999999999d"], "at:"),
            (&["activity", "add", "--lead", "1", "--at", "31/12/9999 10h"], "at:"),
            (&["lead", "add", "--birth-date", "1850-03-01"], "birth_date:"),
            (&["deal", "add", "--close-date", "2201-01-01"], "close_date:"),
            (&["lead", "list", "--created-from", "1800-01-01"], "created-from:"),
        ];
        for (args, field) in cases {
            let err = env.fails(1, args);
            for needle in [*field, "1900", "2200"] {
                assert!(err.contains(needle), "prospect {args:?}: expected {needle:?} in: {err}");
            }
        }
        let ok = env.json(&["activity", "add", "--lead", "1", "--at=+60000d"]);
        assert!(ok["deadline"].as_str().is_some_and(|d| d.starts_with("219")), "{ok}");
    }

    #[test]
    fn json_input_loses_its_nul_and_escapes() {
        let env = seeded();
        let input = r#"{"title": "Quote\u0000hidden", "comments": "a\u001b[2Jb\r\nline 2\tend\u0007", "last_name": "Evil\u202etxt"}"#;
        let out = env.cmd().args(["--json", "lead", "add", "-"]).write_stdin(input).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let lead: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(lead["title"], "Quotehidden");
        assert_eq!(lead["comments"], "a[2Jb\nline 2\tend", "multi-line fields keep lines and tabs");
        assert_eq!(lead["last_name"], "Eviltxt", "bidi overrides go too");
        let found = env.json(&["lead", "list", "--search", "Quotehidden"]);
        assert_eq!(found.as_array().unwrap().len(), 1, "found by what it shows");
        // Flags and comments too.
        let flagged = env.json(&["lead", "add", "--title", "Tab\there\u{1b}[2J", "--phone", "06 12 34 56 78\u{7}"]);
        assert_eq!(flagged["title"], "Tab here[2J", "a single-line field turns a tab into a space");
        assert_eq!(flagged["phones"][0]["value"], "06 12 34 56 78");
        env.ok(&["lead", "comment", "1", "bell\u{7} and\u{1b}]0;x\u{7} title"]);
        let show = env.ok(&["lead", "show", "1"]);
        assert!(show.contains("bell and]0;x title") && !show.contains('\u{1b}'), "{show}");
    }

    #[test]
    fn csv_rows_lose_their_control_characters() {
        let env = Env::new();
        let csv = env.dir.path().join("hostile.csv");
        std::fs::write(
            &csv,
            "title,last_name,phone,comments,birth_date\n\
             \"Quote\u{1b}]0;PWNED\u{7}\",\"Du\u{0}pont\",01 23 45 67 89 poste 12,\"one\u{1b}[2J\nline \u{202e}two\",\n\
             Old,Timer,,,1850-01-01\n",
        )
        .unwrap();
        let rejects = env.dir.path().join("rejects.csv");
        let r = env.json(&["import", csv.to_str().unwrap(), "--rejects", rejects.to_str().unwrap()]);
        // The far birth date is left out; its lead is kept.
        assert_eq!((r["created"].as_u64(), r["rejected"].as_u64()), (Some(2), Some(0)), "{r}");
        let left = &r["report"][0]["left_out"][0];
        let reason = left["reason"].as_str().unwrap_or_default();
        assert_eq!(left["field"], "birth_date", "{r}");
        assert!(reason.contains("1900") && reason.contains("2200"), "{reason}");
        let lead = env.json(&["lead", "show", "1"]);
        assert_eq!(lead["title"], "Quote]0;PWNED");
        assert_eq!(lead["last_name"], "Dupont");
        assert_eq!(lead["comments"], "one[2J\nline two");
        assert_eq!(lead["phones"][0]["value"], "01 23 45 67 89 poste 12");
    }

    /// A file written before cleaning (or by another program) may hold anything: the CLI's text
    /// output shows the control characters as pictures instead of sending them to the terminal.
    #[test]
    fn control_characters_already_in_the_file_are_shown_escaped() {
        let env = seeded();
        env.ok(&["lead", "comment", "1", "plain"]);
        {
            let conn = rusqlite::Connection::open(&env.db).unwrap();
            conn.execute(
                "UPDATE leads SET title = ?1, comments = ?2 WHERE id = 1",
                ["Evil\u{1b}]0;PWNED\u{7}\u{1b}[2J", "x\u{0}y\u{9b}z"],
            )
            .unwrap();
            conn.execute(
                "UPDATE timeline SET payload = json_object('text', ?1) WHERE kind = 'comment'",
                ["note\u{1b}[31m"],
            )
            .unwrap();
        }
        for args in [&["lead", "list"][..], &["lead", "show", "1"]] {
            let out = env.ok(args);
            assert!(
                !out.chars().any(|c| c.is_control() && c != '\n'),
                "prospect {args:?} printed raw controls: {out:?}"
            );
            assert!(out.contains("Evil␛]0;PWNED␇␛[2J"), "prospect {args:?}: {out}");
        }
        let show = env.ok(&["lead", "show", "1"]);
        assert!(show.contains("x␀y<U+009B>z") && show.contains("note␛[31m"), "{show}");
        // JSON output stays the stored text, escaped by JSON itself.
        assert_eq!(env.json(&["lead", "show", "1"])["title"], "Evil\u{1b}]0;PWNED\u{7}\u{1b}[2J");
    }

    #[test]
    fn phones_are_kept_as_typed_and_matched_across_formats() {
        let env = Env::new();
        let typed =
            ["01 23 45 67 89 poste 12", "+33 1 23 45 67 89 ext. 12", "+1 (555) 123-4567", "06 12 34 56 78 (perso)"];
        for phone in typed {
            let lead = env.json(&["lead", "add", "--title", phone, "--phone", phone]);
            assert_eq!(lead["phones"][0]["value"], phone, "the value is what was typed");
        }
        let c =
            env.json(&["contact", "add", "--first-name", "Ana", "--last-name", "Roy", "--phone", "+33 1 23 45 67 89"]);
        // The extension is not part of the match: the same switchboard is the same client.
        let lead = env.json(&["lead", "add", "--title", "Switchboard", "--phone", "01 23 45 67 89 poste 40"]);
        assert_eq!(lead["is_repeat"], true, "{lead}");
        assert_eq!(lead["repeat_of"][0]["id"], c["id"]);
        let mobile =
            env.json(&["contact", "add", "--first-name", "Bo", "--last-name", "Li", "--phone", "06 12 34 56 78"]);
        let again = env.json(&["lead", "add", "--title", "Mobile", "--phone", "+33 6 12 34 56 78"]);
        assert_eq!(again["repeat_of"][0]["id"], mobile["id"], "{again}");
        for refused in ["12 34", "no digits", "01 23 45 67 89 12 34"] {
            let err = env.fails(1, &["lead", "add", "--phone", refused]);
            assert!(err.contains("phone:") && err.contains(refused), "{refused}: {err}");
        }
    }
}
