//! Lead conversion (SPEC L6): every choice of targets, linking existing records, repeat
//! leads, and all or nothing.

use crate::{TestEngine, counts, create, input, stage_of, text_of};
use prospect::domain::convert::Targets;
use prospect::domain::fields::Entity;
use prospect::store::convert::ConversionPlan;
use prospect::store::{RecordRef, StoreError};

/// People who are not in the file yet, so that no lead made from them is a repeat lead.
const NAMES: [&str; 8] = ["Lovelace", "Babbage", "Hopper", "Turing", "Noether", "Germain", "Lamarr", "Meitner"];

/// A first-time lead with every field a conversion copies: person `n` of `NAMES`.
fn full_lead(eng: &mut TestEngine, n: usize) -> i64 {
    let last = NAMES[n];
    create(
        eng,
        Entity::Lead,
        &[
            ("title", &format!("Printer deal {last}")),
            ("first_name", "Ada"),
            ("last_name", last),
            ("company_title", &format!("{last} Engines")),
            ("amount", "2500"),
            ("position", "CTO"),
        ],
        &[&format!("06 11 22 33 4{n}"), &format!("{}@engines.example", last.to_lowercase())],
    )
    .id
}

fn link_ids(eng: &crate::TestEngine, entity: Entity, id: i64, to: Entity) -> Vec<i64> {
    eng.get(RecordRef::new(entity, id)).unwrap().links.iter().filter(|(e, _)| *e == to).map(|(_, r)| r.id).collect()
}

pub fn every_choice_of_targets_creates_those_records_and_links_them(mut eng: TestEngine) {
    for (n, targets) in Targets::CHOICES.into_iter().enumerate() {
        let lead = full_lead(&mut eng, n);
        let last = NAMES[n];
        let before = counts(&eng);
        let done = eng.convert_lead(lead, &ConversionPlan::new(targets)).unwrap();
        let what = targets.code();

        // Exactly the chosen records, each created and keeping the lead's id.
        let made = [0, targets.contact as i64, targets.company as i64, targets.deal as i64];
        assert_eq!(counts(&eng), [0, 1, 2, 3].map(|i| before[i] + made[i]), "{what}");
        assert_eq!(
            (done.deal.is_some(), done.contact.is_some(), done.company.is_some()),
            (targets.deal, targets.contact, targets.company),
            "{what}"
        );
        for r in done.records() {
            assert!(r.created, "{what}: {r:?}");
            let lead_field = eng.get(RecordRef::new(r.entity, r.id)).unwrap().get("lead").cloned();
            assert!(
                matches!(&lead_field, Some(prospect::store::records::Shown::Ref(l)) if l.id == lead),
                "{what}: {r:?} keeps the lead: {lead_field:?}"
            );
        }
        assert_eq!(stage_of(&eng, Entity::Lead, lead), "CONVERTED", "{what}");
        assert_eq!(done.lead_id, lead);
        let lead_links = eng.get(RecordRef::new(Entity::Lead, lead)).unwrap().links;
        for r in done.records().filter(|r| r.entity != Entity::Deal) {
            assert!(
                lead_links.iter().any(|(e, l)| *e == r.entity && l.id == r.id),
                "{what}: lead links {lead_links:?}"
            );
        }

        // Copied values.
        if let Some(c) = &done.contact {
            assert_eq!(text_of(&eng, Entity::Contact, c.id, "last_name"), last, "{what}");
            assert_eq!(text_of(&eng, Entity::Contact, c.id, "position"), "CTO", "{what}");
            assert_eq!(
                eng.get(RecordRef::new(Entity::Contact, c.id)).unwrap().comms.len(),
                2,
                "{what}: phones and e-mails"
            );
        }
        if let Some(c) = &done.company {
            assert_eq!(text_of(&eng, Entity::Company, c.id, "title"), format!("{last} Engines"), "{what}");
        }
        if let Some(d) = &done.deal {
            assert_eq!(text_of(&eng, Entity::Deal, d.id, "title"), format!("Printer deal {last}"), "{what}");
            assert_eq!(text_of(&eng, Entity::Deal, d.id, "amount"), "2500.00", "{what}");
            // Linked to both the contact and the company made with it.
            let expect = |r: &Option<prospect::store::convert::ConvertedRecord>| r.as_ref().map(|r| r.id);
            assert_eq!(link_ids(&eng, Entity::Deal, d.id, Entity::Contact).first().copied(), expect(&done.contact));
            assert_eq!(link_ids(&eng, Entity::Deal, d.id, Entity::Company).first().copied(), expect(&done.company));
        }
        // The contact works at the company made with it.
        if let (Some(c), Some(co)) = (&done.contact, &done.company) {
            assert_eq!(link_ids(&eng, Entity::Contact, c.id, Entity::Company), vec![co.id], "{what}");
        }
    }
}

pub fn existing_records_can_be_linked_instead_of_created(mut eng: TestEngine) {
    let contact = create(&mut eng, Entity::Contact, &[("first_name", "Someone"), ("last_name", "Known")], &[]).id;
    let company = create(&mut eng, Entity::Company, &[("title", "Known Co")], &[]).id;
    let lead = full_lead(&mut eng, 7);
    let mut plan = ConversionPlan::new(Targets { deal: true, contact: true, company: true });
    plan.contact = Some(contact);
    plan.company = Some(company);
    let done = eng.convert_lead(lead, &plan).unwrap();
    assert_eq!(done.contact.as_ref().map(|c| (c.id, c.created)), Some((contact, false)));
    assert_eq!(done.company.as_ref().map(|c| (c.id, c.created)), Some((company, false)));
    assert_eq!(counts(&eng), [1, 1, 1, 1], "only the deal is new");
    let deal = done.deal.unwrap().id;
    assert_eq!(link_ids(&eng, Entity::Deal, deal, Entity::Contact), vec![contact]);
    assert_eq!(link_ids(&eng, Entity::Contact, contact, Entity::Company), vec![company]);
}

pub fn a_repeat_lead_becomes_a_deal_for_its_client_only(mut eng: TestEngine) {
    let contact =
        create(&mut eng, Entity::Contact, &[("first_name", "Marie"), ("last_name", "Curie")], &["06 12 34 56 78"]).id;
    let lead = create(&mut eng, Entity::Lead, &[("title", "Again")], &["+33 6 12 34 56 78"]).id;
    for targets in Targets::CHOICES.into_iter().filter(|t| *t != Targets::DEAL) {
        let e = eng.convert_lead(lead, &ConversionPlan::new(targets)).unwrap_err();
        assert!(matches!(&e, StoreError::Field(f) if f.field == "to"), "{}: {e:?}", targets.code());
    }
    assert_eq!(counts(&eng), [1, 1, 0, 0]);
    let done = eng.convert_lead(lead, &ConversionPlan::new(Targets::DEAL)).unwrap();
    assert_eq!(done.contact.as_ref().map(|c| (c.id, c.created)), Some((contact, false)));
    assert_eq!(link_ids(&eng, Entity::Deal, done.deal.unwrap().id, Entity::Contact), vec![contact]);
}

pub fn a_refused_conversion_writes_nothing(mut eng: TestEngine) {
    // The company would be made first, then the contact is refused: no name to give it.
    let lead = create(&mut eng, Entity::Lead, &[("company_title", "Nameless Ltd")], &["06 55 44 33 22"]).id;
    let version = eng.get(RecordRef::new(Entity::Lead, lead)).unwrap().version;
    let change = eng.last_change().unwrap();
    let plan = ConversionPlan::new(Targets { deal: true, contact: true, company: true });
    let e = eng.convert_lead(lead, &plan).unwrap_err();
    assert!(matches!(&e, StoreError::Field(f) if f.field.starts_with("contact.")), "{e:?}");
    assert_eq!(counts(&eng), [1, 0, 0, 0], "no company, contact or deal left behind");
    assert_eq!(stage_of(&eng, Entity::Lead, lead), "NEW");
    assert_eq!(eng.get(RecordRef::new(Entity::Lead, lead)).unwrap().version, version);
    assert_eq!(eng.last_change().unwrap(), change, "no change logged");
    assert!(eng.search("Nameless", 10).unwrap().iter().all(|h| h.entity == Entity::Lead));

    // With the names typed in the wizard it goes through.
    let mut plan = plan;
    plan.contact_fields = vec![("first_name".into(), "Unknown".into()), ("last_name".into(), "Person".into())];
    eng.convert_lead(lead, &plan).unwrap();
    assert_eq!(counts(&eng), [1, 1, 1, 1]);
}

pub fn a_converted_or_changed_lead_is_refused(mut eng: TestEngine) {
    let lead = full_lead(&mut eng, 7);
    let mut plan = ConversionPlan::new(Targets::DEAL);
    plan.expected_version = Some(1);
    eng.update(RecordRef::new(Entity::Lead, lead), None, &input(&[("comments", "edited meanwhile")])).unwrap();
    let e = eng.convert_lead(lead, &plan).unwrap_err();
    assert!(matches!(e, StoreError::Conflict { .. }), "{e:?}");
    assert_eq!(counts(&eng), [1, 0, 0, 0]);
    plan.expected_version = None;
    eng.convert_lead(lead, &plan).unwrap();
    let e = eng.convert_lead(lead, &plan).unwrap_err();
    assert!(matches!(e, StoreError::Rule(_)), "converted twice: {e:?}");
    assert_eq!(counts(&eng), [1, 0, 0, 1]);
}

pub fn every_choice_of_targets_is_all_or_nothing(mut eng: TestEngine) {
    for (n, targets) in Targets::CHOICES.into_iter().enumerate() {
        let what = targets.code();
        let lead = full_lead(&mut eng, n);
        // The last record written is refused: what was made before it must go too.
        let mut plan = ConversionPlan::new(targets);
        if targets.deal {
            plan.deal_fields = vec![("probability".into(), "140".into())];
        } else if targets.contact {
            plan.contact_fields = vec![("birth_date".into(), "someday".into())];
        } else {
            plan.company_fields = vec![("responsible".into(), "no-such-user".into())];
        }
        let before =
            (counts(&eng), eng.last_change().unwrap(), eng.get(RecordRef::new(Entity::Lead, lead)).unwrap().version);
        let e = eng.convert_lead(lead, &plan).unwrap_err();
        assert!(matches!(e, StoreError::Field(_)), "{what}: {e:?}");
        let after =
            (counts(&eng), eng.last_change().unwrap(), eng.get(RecordRef::new(Entity::Lead, lead)).unwrap().version);
        assert_eq!(after, before, "{what}: nothing written, nothing logged");
        assert_eq!(stage_of(&eng, Entity::Lead, lead), "NEW", "{what}");
        assert_eq!(eng.timeline(RecordRef::new(Entity::Lead, lead), 10).unwrap().len(), 1, "{what}: only its creation");
        let company = format!("{} Engines", NAMES[n]);
        let hits = eng.search(&company, 10).unwrap();
        assert!(hits.iter().all(|h| h.entity == Entity::Lead), "{what}: nothing left in the search: {hits:?}");

        // Corrected, it goes through once.
        let done = eng.convert_lead(lead, &ConversionPlan::new(targets)).unwrap();
        assert_eq!(
            done.records().count(),
            [targets.deal, targets.contact, targets.company].iter().filter(|t| **t).count()
        );
    }
}

/// Linking an existing contact adds the lead's phones and e-mails it lacks (compared by their
/// normal forms: the same number written another way is not added twice), and the conversion
/// says which; a linked company gets none (SPEC L6 copies comms into new records only).
pub fn a_linked_contact_gets_the_phones_and_emails_it_lacks(mut eng: TestEngine) {
    let lead = create(
        &mut eng,
        Entity::Lead,
        &[("title", "Printer deal"), ("first_name", "Ada"), ("last_name", "Lovelace")],
        &["06 11 22 33 44", "01 45 67 89 00", "ada@engines.example", "ADA@Analytical.example"],
    )
    .id;
    // Made after the lead (so the lead is no repeat lead): one phone of the lead's, written
    // another way, and an e-mail of its own.
    let contact = create(
        &mut eng,
        Entity::Contact,
        &[("first_name", "Ada"), ("last_name", "King")],
        &["+33 6 11 22 33 44", "ada@analytical.example", "countess@lovelace.example"],
    )
    .id;
    let company = create(&mut eng, Entity::Company, &[("title", "Engines")], &["contact@engines.example"]).id;
    let contact_version = eng.get(RecordRef::new(Entity::Contact, contact)).unwrap().version;
    let mut plan = ConversionPlan::new(Targets { deal: true, contact: true, company: true });
    plan.contact = Some(contact);
    plan.company = Some(company);
    let done = eng.convert_lead(lead, &plan).unwrap();

    let c = done.contact.as_ref().unwrap();
    assert_eq!((c.id, c.created), (contact, false));
    assert_eq!(c.added.phones, vec!["01 45 67 89 00".to_string()]);
    assert_eq!(c.added.emails, vec!["ada@engines.example".to_string()]);
    let values = |entity: Entity, id: i64| -> Vec<String> {
        eng.get(RecordRef::new(entity, id)).unwrap().comms.iter().map(|c| c.value.clone()).collect()
    };
    assert_eq!(
        values(Entity::Contact, contact),
        [
            "+33 6 11 22 33 44",
            "01 45 67 89 00",
            "ada@analytical.example",
            "countess@lovelace.example",
            "ada@engines.example"
        ]
        .map(String::from)
        .to_vec(),
        "phones, then e-mails: its own first, then the lead's it lacked"
    );
    let after = eng.get(RecordRef::new(Entity::Contact, contact)).unwrap();
    assert_eq!(after.version, contact_version + 1, "an edit of the contact");
    assert_eq!(eng.search("01 45 67 89", 10).unwrap().iter().filter(|h| h.entity == Entity::Contact).count(), 1);

    let co = done.company.as_ref().unwrap();
    assert!(co.added.phones.is_empty() && co.added.emails.is_empty(), "{co:?}");
    assert_eq!(values(Entity::Company, company), vec!["contact@engines.example".to_string()]);
    // Records the conversion made got everything: nothing is said added.
    let deal = done.deal.as_ref().unwrap();
    assert!(deal.added.phones.is_empty() && deal.added.emails.is_empty());

    // A contact that lacks nothing is not edited.
    let lead = create(&mut eng, Entity::Lead, &[("title", "Second"), ("first_name", "Ada")], &[]).id;
    let version = eng.get(RecordRef::new(Entity::Contact, contact)).unwrap().version;
    let mut plan = ConversionPlan::new(Targets { deal: false, contact: true, company: false });
    plan.contact = Some(contact);
    let done = eng.convert_lead(lead, &plan).unwrap();
    assert!(done.contact.as_ref().unwrap().added.phones.is_empty());
    assert_eq!(eng.get(RecordRef::new(Entity::Contact, contact)).unwrap().version, version);
}
