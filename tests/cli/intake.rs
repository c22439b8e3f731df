//! E-mail to lead through the real binary (SPEC I4): one message, HTML-only mail, an mbox
//! with a repeated Message-ID and a returning sender, a Maildir processed twice, and the
//! repeat-lead rule.

use crate::common;
use crate::common::Env;
use serde_json::Value;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/email").join(name)
}

fn intake(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["intake", "email"];
    all.extend_from_slice(args);
    env.json(&all).as_array().unwrap().clone()
}

#[test]
fn a_message_becomes_a_lead_once() {
    let env = Env::new();
    let file = data("plain_fr.eml");
    let out = intake(&env, &[file.to_str().unwrap()]);
    assert_eq!(out[0]["outcome"], "created", "{out:?}");
    let id = out[0]["id"].to_string();
    let lead = env.json(&["lead", "show", &id]);
    assert_eq!(lead["title"], "Devis pour 3 fours à pain");
    assert_eq!((lead["first_name"].as_str(), lead["last_name"].as_str()), (Some("Hélène"), Some("Dupré")));
    assert_eq!(lead["emails"][0]["value"], "helene@etoile.fr");
    assert_eq!(lead["source"]["code"], "EMAIL");
    assert_eq!(lead["comments"], "Bonjour,\n\nPouvez-vous m'envoyer un devis pour 3 fours ?\n\nHélène");
    // The same message again (same Message-ID) makes nothing.
    let before = common::bytes(&env.db);
    let again = intake(&env, &[file.to_str().unwrap()]);
    assert_eq!((again[0]["outcome"].as_str(), again[0]["id"].to_string()), (Some("already_imported"), id.clone()));
    assert_eq!(common::bytes(&env.db), before, "nothing written the second time");
    // Standard input works too, with human output.
    let text = env
        .cmd()
        .args(["intake", "email", "-"])
        .write_stdin(std::fs::read(data("html_only.eml")).unwrap())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("created from the e-mail “Chairs”"), "{stdout}");
    let leads = env.json(&["lead", "list", "--search", "Chairs"]);
    let lead = env.json(&["lead", "show", &leads[0]["id"].to_string()]);
    assert_eq!((lead["first_name"].as_str(), lead["last_name"].as_str()), (Some("Bob"), Some("Stone")));
    let body = lead["comments"].as_str().unwrap();
    assert!(body.contains("We need") && body.contains("10") && !body.contains('<'), "HTML as text: {body}");
}

#[test]
fn an_mbox_with_a_repeated_message_and_a_returning_sender() {
    let env = Env::new();
    let out = intake(&env, &["--mbox", data("inbox.mbox").to_str().unwrap()]);
    let outcomes: Vec<&str> = out.iter().map(|o| o["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["created", "commented", "already_imported", "created"], "{out:?}");
    assert_eq!(out[1]["id"], out[0]["id"], "the second message goes to Carl's lead");
    let carl = env.json(&["lead", "show", &out[0]["id"].to_string()]);
    let notes: Vec<&str> = carl["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "comment")
        .map(|e| e["payload"]["text"].as_str().unwrap())
        .collect();
    // mbox ">From " quoting is undone.
    assert_eq!(notes, ["Second message\n\nStill waiting.\nFrom the desk of Carl."]);
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 2);
    // Once more: every message was seen.
    let again = intake(&env, &["--mbox", data("inbox.mbox").to_str().unwrap()]);
    assert!(again.iter().all(|o| o["outcome"] == "already_imported"), "{again:?}");
    // Once Carl's lead is junked, his next message starts a new lead.
    env.ok(&["lead", "move", &out[0]["id"].to_string(), "JUNK"]);
    let file = env.dir.path().join("m4.eml");
    std::fs::write(&file, "From: Carl Mint <carl@mint.example>\r\nSubject: Back again\r\nMessage-ID: <m4@mint.example>\r\n\r\nNew budget.\r\n").unwrap();
    let again = intake(&env, &[file.to_str().unwrap()]);
    assert_eq!(again[0]["outcome"], "created", "{again:?}");
    // --always-new makes a lead even for a known sender.
    let file = env.dir.path().join("m3.eml");
    std::fs::write(&file, "From: Carl Mint <carl@mint.example>\r\nSubject: Third\r\nMessage-ID: <m3@mint.example>\r\n\r\nNew project.\r\n").unwrap();
    let out = intake(&env, &["--always-new", file.to_str().unwrap()]);
    assert_eq!(out[0]["outcome"], "created");
}

#[test]
fn a_maildir_is_processed_once_and_messages_move_to_cur() {
    let env = Env::new();
    let dir = env.dir.path().join("Maildir");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    std::fs::copy(data("plain_fr.eml"), dir.join("new/1700000000.1.host")).unwrap();
    std::fs::copy(data("html_only.eml"), dir.join("new/1700000001.2.host")).unwrap();
    std::fs::write(dir.join("new/1700000002.3.host"), b"\x00\x01 not a message").unwrap();
    let out = intake(&env, &["--maildir", dir.to_str().unwrap()]);
    let outcomes: Vec<&str> = out.iter().map(|o| o["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["created", "created", "unreadable"], "{out:?}");
    let cur: Vec<String> = std::fs::read_dir(dir.join("cur"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(cur.len(), 2, "{cur:?}");
    assert!(cur.iter().all(|n| n.ends_with(":2,S")), "{cur:?}");
    // The unreadable one stays in new/ for a person to look at; a second pass makes nothing.
    let again = intake(&env, &["--maildir", dir.to_str().unwrap()]);
    assert_eq!(again.len(), 1);
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 2);
    let err = env.fails(1, &["intake", "email", "--maildir", env.dir.path().to_str().unwrap()]);
    assert!(err.contains("not a Maildir folder"), "{err}");
}

#[test]
fn a_sender_who_is_already_a_client_makes_a_repeat_lead() {
    let env = Env::new();
    env.json(&["contact", "add", "--first-name", "Hélène", "--last-name", "Dupré", "--email", "helene@etoile.fr"]);
    let out = intake(&env, &[data("plain_fr.eml").to_str().unwrap()]);
    assert_eq!(out[0]["outcome"], "created");
    assert_eq!(out[0]["repeat"], true, "{out:?}");
    let lead = env.json(&["lead", "show", &out[0]["id"].to_string()]);
    assert_eq!(lead["is_repeat"], true);
}

/// An encoded subject carrying terminal escapes (ESC ] 0 ; … BEL renames the window, ESC [2J
/// clears it) makes a lead whose title, name and comments hold none of them; `lead list`
/// prints none either.
#[test]
fn a_hostile_subject_leaves_no_control_character() {
    let env = Env::new();
    let out = intake(&env, &[data("hostile_subject.eml").to_str().unwrap()]);
    assert_eq!(out[0]["outcome"], "created", "{out:?}");
    let id = out[0]["id"].to_string();
    let lead = env.json(&["lead", "show", &id]);
    assert_eq!(lead["title"], "Hello]0;PWNED[2J");
    assert_eq!(lead["last_name"], "Mallory]0;x", "the sender's name too");
    assert_eq!(lead["comments"], "Line one[31m red\nLine two decoy", "the body keeps its lines, not its escapes");
    for args in [&["lead", "list"][..], &["lead", "show", &id]] {
        let text = env.ok(args);
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{args:?}: {text:?}");
    }
}
