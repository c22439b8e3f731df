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
