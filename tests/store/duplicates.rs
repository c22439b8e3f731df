//! Repeat leads (SPEC L5), the "possible duplicate" warning before a save and the dedup scan,
//! by the matching rules of SPEC D1: names trimmed, case-folded and spaces collapsed; phones
//! compared in their normal form whatever the format typed; e-mails trimmed and lowercased.

use crate::{TestEngine, counts, create, input, input_with};
use prospect::domain::fields::Entity;
use prospect::store::RecordRef;
use prospect::store::records::RepeatLink;

/// Ways of typing the same French mobile number.
const SAME_PHONE: [&str; 4] = ["06 12 34 56 78", "+33 6 12 34 56 78", "06.12.34.56.78", "+33612345678"];

pub fn a_lead_matching_a_client_is_a_repeat_lead_linked_to_it(mut eng: TestEngine) {
    let company = create(&mut eng, Entity::Company, &[("title", "Acme")], &[]);
    let mut contact_input = input_with(&[("first_name", "Marie"), ("last_name", "Curie")], &["+33 6 12 34 56 78"]);
    contact_input.companies = vec!["Acme".into()];
    let contact = eng.create(Entity::Contact, &contact_input).unwrap();

    // The phone typed another way still matches; the contact brings its company.
    let lead = create(&mut eng, Entity::Lead, &[("title", "Again")], &["06.12.34.56.78"]);
    assert_eq!(
        lead.repeat_of,
        vec![
            RepeatLink { entity: Entity::Contact, id: contact.id, matched_by: "phone".into() },
            RepeatLink { entity: Entity::Company, id: company.id, matched_by: "contact".into() },
        ]
    );
    let rec = eng.get(RecordRef::new(Entity::Lead, lead.id)).unwrap();
    assert!(rec.is_repeat);
    assert!(rec.links.iter().any(|(e, r)| *e == Entity::Contact && r.id == contact.id), "{:?}", rec.links);
    let repeats = prospect::store::ListFilter { repeat: Some(true), ..Default::default() };
    assert_eq!(eng.list_count(Entity::Lead, &repeats).unwrap(), 1);

    // By e-mail (case and spaces aside) and by company title.
    eng.update(RecordRef::new(Entity::Contact, contact.id), None, &input_with(&[], &["marie@example.com"])).unwrap();
    let by_mail = create(&mut eng, Entity::Lead, &[("title", "Mail")], &[" Marie@Example.COM "]);
    assert_eq!(by_mail.repeat_of.first().map(|r| (r.entity, r.id)), Some((Entity::Contact, contact.id)));
    let by_company = create(&mut eng, Entity::Lead, &[("company_title", "  ACME ")], &[]);
    assert_eq!(by_company.repeat_of.first().map(|r| (r.entity, r.id)), Some((Entity::Company, company.id)));
}

pub fn a_lead_matching_no_client_is_a_first_time_lead(mut eng: TestEngine) {
    create(&mut eng, Entity::Contact, &[("first_name", "Marie"), ("last_name", "Curie")], &["06 12 34 56 78"]);
    // Another number, and a lead that only matches another lead.
    let first = create(&mut eng, Entity::Lead, &[("title", "New")], &["06 99 99 99 99"]);
    let second = create(&mut eng, Entity::Lead, &[("title", "New too")], &["06 99 99 99 99"]);
    for saved in [first, second] {
        assert!(saved.repeat_of.is_empty(), "{:?}", saved.repeat_of);
        assert!(!eng.get(RecordRef::new(Entity::Lead, saved.id)).unwrap().is_repeat);
    }
}

pub fn a_possible_duplicate_is_found_before_saving_and_nothing_is_written(mut eng: TestEngine) {
    let marie = create(&mut eng, Entity::Contact, &[("first_name", "Marie"), ("last_name", "Curie")], &[SAME_PHONE[0]]);
    let before = (counts(&eng), eng.last_change().unwrap());
    for phone in SAME_PHONE {
        let typed = input_with(&[("first_name", "Someone"), ("last_name", "Else")], &[phone]);
        let found = eng.duplicates_of_input(Entity::Contact, None, &typed).unwrap();
        assert_eq!(found.len(), 1, "{phone}: {found:?}");
        assert_eq!(found[0].id, marie.id);
        assert_eq!(found[0].matched_by, vec!["phone".to_string()], "{phone}");
    }
    let by_name = input(&[("first_name", "  MARIE "), ("last_name", "curie")]);
    let found = eng.duplicates_of_input(Entity::Contact, None, &by_name).unwrap();
    assert_eq!(found.iter().map(|m| m.id).collect::<Vec<_>>(), vec![marie.id]);
    assert!(found[0].matched_by.contains(&"name".to_string()), "{found:?}");
    // The record itself is not its own duplicate when edited.
    assert!(eng.duplicates_of_input(Entity::Contact, Some(marie.id), &by_name).unwrap().is_empty());
    let other = input(&[("first_name", "Pierre"), ("last_name", "Curie")]);
    assert!(eng.duplicates_of_input(Entity::Contact, None, &other).unwrap().is_empty());
    assert_eq!((counts(&eng), eng.last_change().unwrap()), before, "looking wrote nothing");
}

pub fn the_scan_groups_records_by_the_matching_rules(mut eng: TestEngine) {
    let same_phone: Vec<i64> =
        SAME_PHONE.iter().map(|p| create(&mut eng, Entity::Lead, &[("title", "Phone")], &[p]).id).collect();
    let mail_a = create(&mut eng, Entity::Lead, &[("title", "Mail")], &["jean.dupont@example.fr"]).id;
    let mail_b = create(&mut eng, Entity::Lead, &[("title", "Mail")], &["Jean.Dupont@EXAMPLE.fr"]).id;
    let name_a = create(&mut eng, Entity::Lead, &[("first_name", "Jean"), ("last_name", "Martin")], &[]).id;
    let name_b = create(&mut eng, Entity::Lead, &[("first_name", " jean "), ("last_name", "MARTIN")], &[]).id;
    let alone = create(&mut eng, Entity::Lead, &[("title", "Alone")], &["07 00 00 00 01"]).id;

    let groups = eng.duplicate_groups(Entity::Lead, 100).unwrap();
    let members = |ids: &[i64]| groups.iter().find(|g| g.members.iter().map(|m| m.0).collect::<Vec<_>>() == ids);
    let phones = members(&same_phone).unwrap_or_else(|| panic!("phone group missing: {groups:?}"));
    assert!(phones.matched_by.contains(&"phone".to_string()));
    let mails = members(&[mail_a, mail_b]).unwrap_or_else(|| panic!("e-mail group missing: {groups:?}"));
    assert!(mails.matched_by.contains(&"email".to_string()));
    let names = members(&[name_a, name_b]).unwrap_or_else(|| panic!("name group missing: {groups:?}"));
    assert!(names.matched_by.contains(&"name".to_string()));
    assert!(!groups.iter().any(|g| g.members.iter().any(|m| m.0 == alone)), "{groups:?}");
    assert_eq!(groups.len(), 3, "{groups:?}");

    // Companies by title, contacts by full name.
    let acme = create(&mut eng, Entity::Company, &[("title", "Acme  Corp")], &[]).id;
    let acme2 = create(&mut eng, Entity::Company, &[("title", "acme corp")], &[]).id;
    create(&mut eng, Entity::Company, &[("title", "Other")], &[]);
    let groups = eng.duplicate_groups(Entity::Company, 100).unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0].members.iter().map(|m| m.0).collect::<Vec<_>>(), vec![acme, acme2]);
}

pub fn a_stored_lead_finds_the_contacts_and_companies_it_matches(mut eng: TestEngine) {
    let acme = create(&mut eng, Entity::Company, &[("title", "Acme")], &[]).id;
    create(&mut eng, Entity::Company, &[("title", "Other Ltd")], &[]);
    let marie =
        create(&mut eng, Entity::Contact, &[("first_name", "Marie"), ("last_name", "Curie")], &["06 12 34 56 78"]).id;
    let jean =
        create(&mut eng, Entity::Contact, &[("first_name", "Jean"), ("last_name", "Perrin")], &["jean@perrin.fr"]).id;
    create(&mut eng, Entity::Contact, &[("first_name", "Paul"), ("last_name", "Langevin")], &[]);
    let lead = create(
        &mut eng,
        Entity::Lead,
        &[("title", "Enquiry"), ("company_title", " acme "), ("first_name", "Jean"), ("last_name", "Perrin")],
        &["+33612345678", "JEAN@perrin.fr"],
    )
    .id;
    let before = (counts(&eng), eng.last_change().unwrap());

    let people = eng.duplicates_of_record(RecordRef::new(Entity::Lead, lead), Entity::Contact).unwrap();
    let mut ids: Vec<i64> = people.iter().map(|m| m.id).collect();
    ids.sort();
    assert_eq!(ids, vec![marie, jean], "{people:?}");
    assert!(people.iter().all(|m| m.entity == Entity::Contact));
    let by = |id: i64| people.iter().find(|m| m.id == id).unwrap().matched_by.clone();
    assert!(by(marie).contains(&"phone".to_string()), "{people:?}");
    assert!(by(jean).contains(&"email".to_string()), "{people:?}");
    let firms = eng.duplicates_of_record(RecordRef::new(Entity::Lead, lead), Entity::Company).unwrap();
    assert_eq!(firms.iter().map(|m| (m.entity, m.id)).collect::<Vec<_>>(), vec![(Entity::Company, acme)]);
    assert_eq!((counts(&eng), eng.last_change().unwrap()), before, "looking wrote nothing");
    assert!(eng.duplicates_of_record(RecordRef::new(Entity::Lead, 999), Entity::Contact).is_err(), "a missing lead");
}
