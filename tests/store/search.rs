//! Search across every kind of record: names and titles, phones as people type them,
//! e-mails; kept up to date by edits and deletions.

use crate::{TestEngine, create, input, input_with};
use prospect::domain::fields::Entity;
use prospect::store::{ListFilter, RecordRef};

fn found(eng: &crate::TestEngine, text: &str) -> Vec<RecordRef> {
    eng.search(text, 20).unwrap().into_iter().map(|h| RecordRef::new(h.entity, h.id)).collect()
}

pub fn names_phones_and_emails_are_found_across_kinds(mut eng: TestEngine) {
    let contact =
        create(&mut eng, Entity::Contact, &[("first_name", "Élodie"), ("last_name", "Martin")], &["06 12 34 56 78"]).id;
    let company =
        create(&mut eng, Entity::Company, &[("title", "Brightwater Labs")], &["hello@brightwater.example"]).id;
    let lead = create(&mut eng, Entity::Lead, &[("title", "Demande de devis"), ("last_name", "Martin")], &[]).id;
    let deal = create(&mut eng, Entity::Deal, &[("title", "Quartz renewal")], &[]).id;

    assert_eq!(found(&eng, "elodie"), vec![RecordRef::new(Entity::Contact, contact)], "accents and case aside");
    assert_eq!(found(&eng, "brightwater"), vec![RecordRef::new(Entity::Company, company)]);
    assert_eq!(found(&eng, "quartz"), vec![RecordRef::new(Entity::Deal, deal)]);
    let mut martins = found(&eng, "mart");
    martins.sort();
    assert_eq!(martins, vec![RecordRef::new(Entity::Lead, lead), RecordRef::new(Entity::Contact, contact)], "a prefix");
    for typed in ["06 12 34", "0612345678", "+33 6 12", "06.12.34.56.78"] {
        assert_eq!(found(&eng, typed), vec![RecordRef::new(Entity::Contact, contact)], "phone typed as {typed}");
    }
    assert_eq!(found(&eng, "hello@brightwater.example"), vec![RecordRef::new(Entity::Company, company)]);
    assert!(found(&eng, "nothing-like-it").is_empty());
    assert!(found(&eng, "m").is_empty(), "one letter waits for a second one");

    // Lists search the same way.
    let filter = ListFilter { search: Some("martin".into()), ..Default::default() };
    assert_eq!(eng.list(Entity::Lead, &filter).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), vec![lead]);
}

pub fn edits_and_deletions_keep_the_search_up_to_date(mut eng: TestEngine) {
    let lead = create(&mut eng, Entity::Lead, &[("title", "Oldname")], &["07 11 22 33 44"]).id;
    eng.update(RecordRef::new(Entity::Lead, lead), None, &input(&[("title", "Newname")])).unwrap();
    assert!(found(&eng, "oldname").is_empty());
    assert_eq!(found(&eng, "newname"), vec![RecordRef::new(Entity::Lead, lead)]);

    let mut change = input_with(&[], &["new.address@example.com"]);
    change.comms.remove = vec![crate::comm("07 11 22 33 44")];
    eng.update(RecordRef::new(Entity::Lead, lead), None, &change).unwrap();
    assert!(found(&eng, "07 11 22").is_empty(), "a removed phone is no longer found");
    assert_eq!(found(&eng, "new.address@example.com"), vec![RecordRef::new(Entity::Lead, lead)]);

    eng.delete(RecordRef::new(Entity::Lead, lead), None).unwrap();
    assert!(found(&eng, "newname").is_empty());
}

pub fn every_kind_is_found_by_name_phone_digits_and_email_until_deleted(mut eng: TestEngine) {
    for (n, entity) in Entity::ALL.into_iter().enumerate() {
        let name = format!("Zorglub{n}");
        let fields: Vec<(&str, &str)> = match entity {
            Entity::Contact => vec![("first_name", "Agent"), ("last_name", &name)],
            _ => vec![("title", &name)],
        };
        let phone = format!("01 45 67 89 0{n}");
        let mail = format!("zorglub{n}@example.org");
        // Deals keep no phones or e-mails of their own.
        let comms: Vec<&str> = if entity == Entity::Deal { vec![] } else { vec![&phone, &mail] };
        let id = create(&mut eng, entity, &fields, &comms).id;
        let mut ways = vec![name.to_lowercase()];
        if entity != Entity::Deal {
            ways.extend([format!("014567890{n}"), format!("+33 1 45 67 89 0{n}"), mail.to_uppercase()]);
        }
        for typed in &ways {
            assert_eq!(found(&eng, typed), vec![RecordRef::new(entity, id)], "{entity:?} by {typed}");
        }
        eng.delete(RecordRef::new(entity, id), None).unwrap();
        for typed in &ways {
            assert!(found(&eng, typed).is_empty(), "{entity:?}: deleted, still found by {typed}");
        }
        let filter = ListFilter { search: Some(name.clone()), ..Default::default() };
        assert_eq!(eng.list_count(entity, &filter).unwrap(), 0, "{entity:?}: nor listed");
    }
}

/// Search ranks names first: the only record named Zoë comes first however many records
/// hold "zoe" elsewhere (here in e-mails, twice, newer, and shorter), then the records a word
/// of whose name is Zoë, then names beginning with it, then the rest; newest first within
/// each.
pub fn exact_and_prefix_matches_of_names_come_first(mut eng: TestEngine) {
    let zoe = create(&mut eng, Entity::Lead, &[("title", "Appel entrant"), ("first_name", "Zoë")], &[]).id;
    let zoe_curie = create(&mut eng, Entity::Contact, &[("first_name", "Zoé"), ("last_name", "Curie")], &[]).id;
    let zoey = create(&mut eng, Entity::Lead, &[("title", "Devis"), ("first_name", "Zoey")], &[]).id;
    let company = create(&mut eng, Entity::Company, &[("title", "ZOE Conseil")], &[]).id;
    let mut by_mail = Vec::new();
    for n in 0..60 {
        let mail = format!("zoe{n}@zoe.example");
        by_mail.push(create(&mut eng, Entity::Lead, &[("title", "Devis")], &[&mail]).id);
    }
    let zoe_by_mail =
        create(&mut eng, Entity::Contact, &[("first_name", "Jean"), ("last_name", "Martin")], &["zoe@zoe.example"]).id;

    let hits = found(&eng, "Zoë");
    assert_eq!(hits.len(), 20, "the default limit");
    assert_eq!(hits[0], RecordRef::new(Entity::Lead, zoe), "the one named Zoë first: {hits:?}");
    for typed in ["zoe", "ZOE", "zoé"] {
        assert_eq!(found(&eng, typed)[0], RecordRef::new(Entity::Lead, zoe), "typed {typed}");
    }
    let all = eng.search("zoe", 100).unwrap().into_iter().map(|h| RecordRef::new(h.entity, h.id)).collect::<Vec<_>>();
    assert_eq!(all.len(), 65);
    assert_eq!(all[0], RecordRef::new(Entity::Lead, zoe));
    // A whole word of a name (ids of different kinds say nothing of which is newer).
    let mut words = all[1..3].to_vec();
    words.sort();
    assert_eq!(words, vec![RecordRef::new(Entity::Contact, zoe_curie), RecordRef::new(Entity::Company, company)]);
    // A name beginning with it.
    assert_eq!(all[3], RecordRef::new(Entity::Lead, zoey));
    // Then "zoe" in e-mails only, newest first.
    let leads: Vec<i64> = all[4..].iter().filter(|r| r.entity == Entity::Lead).map(|r| r.id).collect();
    assert_eq!(leads, by_mail.iter().rev().copied().collect::<Vec<_>>());
    assert!(all[4..].contains(&RecordRef::new(Entity::Contact, zoe_by_mail)));

    // Prefixes of a word of a name before the rest, as soon as two letters are typed.
    assert_eq!(found(&eng, "cur"), vec![RecordRef::new(Entity::Contact, zoe_curie)]);
    let mut named: Vec<RecordRef> = found(&eng, "zo")[..4].to_vec();
    named.sort();
    let mut expected = vec![
        RecordRef::new(Entity::Lead, zoey),
        RecordRef::new(Entity::Lead, zoe),
        RecordRef::new(Entity::Contact, zoe_curie),
        RecordRef::new(Entity::Company, company),
    ];
    expected.sort();
    assert_eq!(named, expected);
}

/// Whatever a person types, search and a list's search answer (maybe nothing) and never fail:
/// quotes, backslashes, the query languages' operators, SQL, control characters, other
/// scripts, very long words and many words.
pub fn whatever_is_typed_is_searched_without_error(mut eng: TestEngine) {
    let lead =
        create(&mut eng, Entity::Lead, &[("title", "O'Brien & Søn"), ("last_name", "İnce")], &["o'brien@example.ie"])
            .id;
    let long_word = "x".repeat(5000);
    let many_words = "ab ".repeat(300);
    let typed = [
        "'",
        "''",
        "\\",
        "\\'",
        "a'b",
        "a & b | !c",
        "(x",
        "x)",
        ":*",
        "'x':*",
        "zo:* | x",
        "\"quoted\"",
        "' OR 1=1 --",
        "$1",
        "%_%",
        "NEAR(a b)",
        "a AND b OR NOT c",
        "-x",
        "x*",
        "\0\u{1}\u{7f} ab",
        "😀 😀",
        "日本語",
        "İnce",
        "+33 (0) 6",
        "06-",
        "((12))",
        &long_word,
        &many_words,
    ];
    for text in typed {
        eng.search(text, 20).unwrap_or_else(|e| panic!("search {text:?}: {e}"));
        let filter = ListFilter { search: Some(text.to_string()), ..Default::default() };
        eng.list_count(Entity::Lead, &filter).unwrap_or_else(|e| panic!("list {text:?}: {e}"));
    }
    for text in ["o'brien", "O'BRIEN & SØN", "søn", "o'brien@example.ie"] {
        assert_eq!(found(&eng, text), vec![RecordRef::new(Entity::Lead, lead)], "{text}");
    }
}
