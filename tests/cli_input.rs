//! Input that must not be trusted (issue 21): far dates are refused with the accepted years
//! instead of a crash, control characters never reach the file from any input path and are
//! shown, not sent, when an older file holds them, and phones are kept as the client gave them.

mod common;
use common::Env;

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
    assert_eq!((r["created"].as_u64(), r["rejected"].as_u64()), (Some(1), Some(1)), "{r}");
    let reason = r["rejected_rows"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("birth_date") && reason.contains("1900") && reason.contains("2200"), "{reason}");
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
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "prospect {args:?} printed raw controls: {out:?}");
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
    let typed = ["01 23 45 67 89 poste 12", "+33 1 23 45 67 89 ext. 12", "+1 (555) 123-4567", "06 12 34 56 78 (perso)"];
    for phone in typed {
        let lead = env.json(&["lead", "add", "--title", phone, "--phone", phone]);
        assert_eq!(lead["phones"][0]["value"], phone, "the value is what was typed");
    }
    let c = env.json(&["contact", "add", "--first-name", "Ana", "--last-name", "Roy", "--phone", "+33 1 23 45 67 89"]);
    // The extension is not part of the match: the same switchboard is the same client.
    let lead = env.json(&["lead", "add", "--title", "Switchboard", "--phone", "01 23 45 67 89 poste 40"]);
    assert_eq!(lead["is_repeat"], true, "{lead}");
    assert_eq!(lead["repeat_of"][0]["id"], c["id"]);
    let mobile = env.json(&["contact", "add", "--first-name", "Bo", "--last-name", "Li", "--phone", "06 12 34 56 78"]);
    let again = env.json(&["lead", "add", "--title", "Mobile", "--phone", "+33 6 12 34 56 78"]);
    assert_eq!(again["repeat_of"][0]["id"], mobile["id"], "{again}");
    for refused in ["12 34", "no digits", "01 23 45 67 89 12 34"] {
        let err = env.fails(1, &["lead", "add", "--phone", refused]);
        assert!(err.contains("phone:") && err.contains(refused), "{refused}: {err}");
    }
}
