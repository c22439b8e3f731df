//! E-mail in (SPEC I4): one RFC 5322 message, an mbox, or a Maildir's new messages, read
//! with `mail-parser` (MIME, encodings, HTML turned into text) into a `domain::intake::Message`.

use crate::domain::intake::Message;
use crate::domain::text::{clean_line, clean_multiline};
use mail_parser::MessageParser;

/// Reads one message; `None` when the bytes hold no headers at all. Never panics.
pub fn parse_message(bytes: &[u8]) -> Option<Message> {
    let msg = MessageParser::default().parse(bytes)?;
    let from = msg.from().and_then(|a| a.first());
    // Headers and bodies are the sender's: no control character of theirs reaches the file
    // (an encoded subject can carry ESC sequences that rename a terminal).
    let line = |s: &str| clean_line(s).trim().to_string();
    let from_name = from.and_then(|a| a.name()).map(line).filter(|s| !s.is_empty());
    let from_address = from.and_then(|a| a.address()).map(line).filter(|s| !s.is_empty());
    let subject = msg.subject().map(line).filter(|s| !s.is_empty());
    let body = msg.body_text(0).map(|b| clean_multiline(&b).trim().to_string()).unwrap_or_default();
    let date = msg.date().map(|d| d.to_timestamp() * 1000);
    let key = match msg.message_id().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => id.to_string(),
        None => format!(
            "no-id:{}:{}:{}",
            date.unwrap_or(0),
            from_address.as_deref().unwrap_or(""),
            subject.as_deref().unwrap_or("")
        ),
    };
    if from_address.is_none() && subject.is_none() && body.is_empty() {
        return None;
    }
    Some(Message { key, from_name, from_address, subject, body, date })
}

/// The messages of an mbox file, as raw bytes each.
pub fn mbox_messages(bytes: &[u8]) -> Vec<Vec<u8>> {
    mail_parser::mailbox::mbox::MessageIterator::new(std::io::Cursor::new(bytes))
        .filter_map(|m| m.ok())
        .map(|m| m.contents().to_vec())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_plain_message_and_an_html_one() {
        let raw = b"From: =?UTF-8?Q?H=C3=A9l=C3=A8ne_Dupr=C3=A9?= <helene@etoile.fr>\r\nTo: sales@example.com\r\nSubject: Devis pour 3 fours\r\nMessage-ID: <abc@etoile.fr>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\n\r\nBonjour,\r\nPouvez-vous m'envoyer un devis ?\r\n";
        let m = parse_message(raw).unwrap();
        assert_eq!(m.from_name.as_deref(), Some("Hélène Dupré"));
        assert_eq!(m.from_address.as_deref(), Some("helene@etoile.fr"));
        assert_eq!(m.subject.as_deref(), Some("Devis pour 3 fours"));
        assert_eq!(m.key, "abc@etoile.fr");
        assert_eq!(m.body, "Bonjour,\nPouvez-vous m'envoyer un devis ?");
        let html = b"From: bob@example.com\r\nSubject: Hi\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Need <b>10</b> chairs</p></body></html>\r\n";
        let m = parse_message(html).unwrap();
        assert!(m.body.contains("Need") && m.body.contains("10") && !m.body.contains("<b>"), "{}", m.body);
        assert!(m.key.starts_with("no-id:"));
    }

    #[test]
    fn names_split_both_ways() {
        use crate::domain::import::split_full_name;
        assert_eq!(split_full_name("Jean Dupont"), ("Jean".into(), "Dupont".into()));
        assert_eq!(split_full_name("\"Dupont, Jean\""), ("Jean".into(), "Dupont".into()));
        assert_eq!(split_full_name("Cher"), ("".into(), "Cher".into()));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse_message(&bytes);
            let _ = mbox_messages(&bytes);
        }

        #[test]
        fn header_like_noise_never_panics(text in "(From|Subject|Content-Type|Message-ID|=\\?|\\?=|: |<|>|@|\r\n|[a-z ]){0,200}") {
            let _ = parse_message(text.as_bytes());
        }
    }
}
