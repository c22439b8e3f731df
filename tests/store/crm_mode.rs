//! CRM simple mode (issue 30, SPEC L8) on both engines: with no leads, every intake (typed,
//! e-mailed, imported) becomes a deal with its contact and/or company in the write that
//! makes it, a known client linked (duplicate rules); a conversion refused keeps the lead,
//! saying why; switching modes asks what becomes of the open leads, and switching back is
//! possible; only administrators switch.

use crate::{NOW, TestEngine, create, input_with, stage_of, text_of};
use prospect::domain::crm_mode::{CrmMode, OpenLeads};
use prospect::domain::custom_field::{CustomField, FieldType};
use prospect::domain::fields::Entity;
use prospect::store::import::{ImportOptions, ImportRow, RowOutcome};
use prospect::store::{RecordRef, StoreError};

/// The deal, contact and company a lead links to.
fn became(eng: &TestEngine, lead: i64) -> (Option<i64>, Option<i64>, Option<i64>) {
    let record = eng.get(RecordRef::new(Entity::Lead, lead)).unwrap();
    let of = |e: Entity| record.links.iter().find(|(x, _)| *x == e).map(|(_, r)| r.id);
    (of(Entity::Deal), of(Entity::Contact), of(Entity::Company))
}

pub fn in_simple_mode_every_intake_becomes_a_deal_with_its_client(mut eng: TestEngine) {
    assert_eq!(eng.crm_mode().unwrap(), CrmMode::Classic);
    eng.set_crm_mode(CrmMode::Simple, None).unwrap();
    assert_eq!(eng.crm_mode().unwrap(), CrmMode::Simple);
    // Typed in: a deal, its contact and its company.
    let typed = [("title", "Fours"), ("first_name", "Jean"), ("last_name", "Morel"), ("company_title", "Morel SA")];
    let lead = create(&mut eng, Entity::Lead, &typed, &["+33 1 42 00 00 00"]).id;
    let (deal, contact, company) = became(&eng, lead);
    let deal = deal.expect("a deal");
    assert_eq!(text_of(&eng, Entity::Deal, deal, "title"), "Fours");
    assert_eq!(text_of(&eng, Entity::Deal, deal, "contact"), "Jean Morel");
    assert_eq!(text_of(&eng, Entity::Deal, deal, "company"), "Morel SA");
    assert!(contact.is_some() && company.is_some());
    assert_eq!(stage_of(&eng, Entity::Lead, lead), "CONVERTED", "no lead is left open");
    assert_eq!(eng.intake_deal(lead).unwrap(), Some(deal));
    // The same client again (by phone): a new deal for the known contact, no new contact.
    let again = create(&mut eng, Entity::Lead, &[("title", "Vitrine"), ("last_name", "Morel")], &["01 42 00 00 00"]).id;
    let (deal2, contact2, _) = became(&eng, again);
    assert!(deal2.is_some_and(|d| d != deal));
    assert_eq!(contact2, contact, "the known client is linked");
    assert_eq!(eng.count(Entity::Contact).unwrap(), 1);
    // An e-mail.
    let mail = prospect::domain::intake::Message {
        key: "simple-1".into(),
        from_name: Some("Hélène Dupré".into()),
        from_address: Some("helene@dupre.example".into()),
        subject: Some("Un devis".into()),
        body: "Bonjour".into(),
        date: Some(NOW),
    };
    let prospect::store::intake::IntakeOutcome::Created { id: mailed, .. } = eng.intake_email(&mail, false).unwrap()
    else {
        panic!("nothing made")
    };
    let (mail_deal, mail_contact, _) = became(&eng, mailed);
    assert!(mail_deal.is_some() && mail_contact.is_some());
    // The same sender writes again: a comment on their open deal, no other deal.
    let deals = eng.count(Entity::Deal).unwrap();
    let follow = prospect::domain::intake::Message { key: "simple-2".into(), subject: Some("Relance".into()), ..mail };
    let outcome = eng.intake_email(&follow, false).unwrap();
    let deal_id = mail_deal.unwrap();
    assert_eq!(outcome, prospect::store::intake::IntakeOutcome::Commented { id: deal_id, entity: Entity::Deal });
    assert_eq!(eng.count(Entity::Deal).unwrap(), deals);
    let entry = &eng.timeline(RecordRef::new(Entity::Deal, deal_id), 1).unwrap()[0];
    assert!(entry.payload["text"].as_str().is_some_and(|t| t.starts_with("Relance")), "{}", entry.payload);
    assert_eq!(
        eng.intake_email(&follow, false).unwrap(),
        prospect::store::intake::IntakeOutcome::AlreadyImported { id: deal_id, entity: Entity::Deal }
    );
    // A mailbox account that changes every lead but not every deal may not take mail in
    // simple mode (a message may go to anyone's deal).
    use prospect::domain::access::{Action, Level, Subject};
    eng.add_role("Mailbox", Some("Manager")).unwrap();
    for subject in [Subject::Lead, Subject::Deal, Subject::Contact, Subject::Company] {
        eng.set_level("Mailbox", subject, Action::Add, Level::All).unwrap();
    }
    eng.set_level("Mailbox", Subject::Lead, Action::Update, Level::All).unwrap();
    let mut mailbox = eng.session_as("mailbox", &["Mailbox"], None);
    let third = prospect::domain::intake::Message { key: "simple-3".into(), ..follow.clone() };
    let e = mailbox.intake_email(&third, false).unwrap_err();
    assert!(e.message(prospect::i18n::Lang::En).contains("mailbox"), "{e}");
    // An import of leads: each row a deal (a row with a company and no person: no contact).
    let rows = [
        ImportRow::new(2, Ok(input_with(&[("title", "Salon"), ("first_name", "Ana"), ("last_name", "Lopez")], &[]))),
        ImportRow::new(3, Ok(input_with(&[("title", "Atelier"), ("company_title", "Atelier Roux")], &[]))),
    ];
    let report = eng.import(Entity::Lead, |from| rows[from.min(2)..].to_vec(), ImportOptions::default(), |_| {});
    let ids: Vec<i64> = report
        .unwrap()
        .rows
        .iter()
        .map(|(_, o)| match o {
            RowOutcome::Created { id, .. } => id,
            other => panic!("{other:?}"),
        })
        .collect();
    let (d1, c1, co1) = became(&eng, ids[0]);
    let (d2, c2, co2) = became(&eng, ids[1]);
    assert!(d1.is_some() && c1.is_some() && co1.is_none());
    assert!(d2.is_some() && c2.is_none() && co2.is_some());
    assert_eq!(eng.count(Entity::Deal).unwrap(), 5);
    // A deal that cannot be made (a field its first stage requires): the lead is kept, open,
    // its timeline saying why; nothing that came in is lost.
    let stage = eng.stages(Entity::Deal, None).unwrap().1.into_iter().find(|s| s.stage.code == "NEW").unwrap();
    let mut step = CustomField::new(Entity::Deal, "next_step", FieldType::Text);
    step.label = "Next step".into();
    step.required_from = vec![stage.stage.id];
    eng.add_custom_field(&step).unwrap();
    let kept =
        create(&mut eng, Entity::Lead, &[("title", "Kept"), ("first_name", "Léa"), ("last_name", "Roy")], &[]).id;
    assert_eq!(became(&eng, kept), (None, None, None));
    assert_eq!(stage_of(&eng, Entity::Lead, kept), "NEW");
    let entry = &eng.timeline(RecordRef::new(Entity::Lead, kept), 1).unwrap()[0];
    assert_eq!(entry.kind.code(), "intake_kept");
    assert!(entry.payload["why"].as_str().unwrap().contains("Next step"), "{}", entry.payload);
    assert_eq!(eng.count(Entity::Contact).unwrap(), 3, "the refused conversion's contact is taken back");
}

pub fn switching_modes_says_what_becomes_of_the_open_leads(mut eng: TestEngine) {
    let a = create(&mut eng, Entity::Lead, &[("title", "A"), ("first_name", "Ana"), ("last_name", "Lopez")], &[]).id;
    let b = create(&mut eng, Entity::Lead, &[("title", "B"), ("company_title", "Bois SA")], &[]).id;
    // Without a choice: refused, naming how many, nothing changed.
    let e = eng.set_crm_mode(CrmMode::Simple, None).unwrap_err();
    assert!(matches!(e, StoreError::Rule(_)) && e.message(prospect::i18n::Lang::En).contains("2 leads"), "{e}");
    assert_eq!(eng.crm_mode().unwrap(), CrmMode::Classic);
    // Kept: they stay leads; back to classic, new leads are leads again.
    let kept = eng.set_crm_mode(CrmMode::Simple, Some(OpenLeads::Keep)).unwrap();
    assert_eq!((kept.kept, kept.converted.len()), (2, 0));
    assert_eq!(became(&eng, a), (None, None, None));
    eng.set_crm_mode(CrmMode::Classic, None).unwrap();
    let c = create(&mut eng, Entity::Lead, &[("title", "C")], &[]).id;
    assert_eq!(stage_of(&eng, Entity::Lead, c), "NEW");
    // Converted: each open lead becomes a deal with its client.
    let done = eng.set_crm_mode(CrmMode::Simple, Some(OpenLeads::Convert)).unwrap();
    assert_eq!(done.converted.len(), 3, "{done:?}");
    let (deal_a, contact_a, _) = became(&eng, a);
    let (deal_b, contact_b, company_b) = became(&eng, b);
    assert!(deal_a.is_some() && contact_a.is_some());
    assert!(deal_b.is_some() && contact_b.is_none() && company_b.is_some());
    // Only administrators switch.
    let mut bob = eng.session_as("bob", &["Manager"], None);
    let e = bob.set_crm_mode(CrmMode::Classic, None).unwrap_err();
    assert!(e.message(prospect::i18n::Lang::En).contains("CRM mode"), "{e}");
    assert_eq!(bob.crm_mode().unwrap(), CrmMode::Simple, "reading it is anyone's");
}
