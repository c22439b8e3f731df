//! Leads that arrive by themselves and their triage: an e-mail becomes a lead, a comment on
//! its sender's lead, or nothing when read before (SPEC I4); triage hands out the oldest
//! unprocessed lead of the user or of nobody (SPEC V6).

use crate::{HOUR, NOW, TestEngine, create, input, text_of};
use prospect::domain::activity::{ActivityKind, Priority};
use prospect::domain::fields::Entity;
use prospect::domain::intake::Message;
use prospect::domain::timeline::TimelineKind;
use prospect::store::RecordRef;
use prospect::store::activities::{ActivityDetails, NewActivity};
use prospect::store::intake::IntakeOutcome;

fn message(key: &str, from: &str, subject: &str, body: &str) -> Message {
    Message {
        key: key.into(),
        from_name: Some("Hélène Dupré".into()),
        from_address: Some(from.into()),
        subject: Some(subject.into()),
        body: body.into(),
        date: Some(NOW - HOUR),
    }
}

pub fn an_email_becomes_a_lead_then_comments_and_is_read_once(mut eng: TestEngine) {
    let first = message("<devis-1@etoile.fr>", "helene@etoile.fr", "Devis pour 3 fours", "Bonjour, un devis ?");
    let IntakeOutcome::Created { id, repeat: false } = eng.intake_email(&first, false).unwrap() else {
        panic!("a new sender makes a new lead");
    };
    let lead = eng.get(RecordRef::new(Entity::Lead, id)).unwrap();
    assert_eq!(lead.input_text("title"), "Devis pour 3 fours");
    assert_eq!(lead.input_text("last_name"), "Dupré");
    assert!(lead.input_text("comments").contains("un devis"), "the body: {:?}", lead.input_text("comments"));
    assert!(lead.comms.iter().any(|c| c.normalized == "helene@etoile.fr"), "{:?}", lead.comms);

    // The same message again does nothing; another one from her is a comment on her lead.
    assert_eq!(eng.intake_email(&first, false).unwrap(), IntakeOutcome::AlreadyImported { id, entity: Entity::Lead });
    let second = message("<devis-2@etoile.fr>", "Helene@Etoile.fr", "Re: devis", "Et 4 fours ?");
    assert_eq!(eng.intake_email(&second, false).unwrap(), IntakeOutcome::Commented { id, entity: Entity::Lead });
    assert_eq!(eng.count(Entity::Lead).unwrap(), 1);
    let timeline = eng.timeline(RecordRef::new(Entity::Lead, id), 10).unwrap();
    assert!(timeline.iter().any(|t| t.kind == TimelineKind::Comment && t.payload.to_string().contains("4 fours")));
    // Unless a new lead is asked for.
    let third = message("<devis-3@etoile.fr>", "helene@etoile.fr", "Autre projet", "");
    assert!(matches!(eng.intake_email(&third, true).unwrap(), IntakeOutcome::Created { .. }));
    assert_eq!(eng.count(Entity::Lead).unwrap(), 2);
}

pub fn an_email_from_a_client_is_a_repeat_lead(mut eng: TestEngine) {
    create(&mut eng, Entity::Contact, &[("first_name", "Hélène"), ("last_name", "Dupré")], &["helene@etoile.fr"]);
    let msg = message("<x@etoile.fr>", "HELENE@etoile.fr", "Nouvelle commande", "");
    let outcome = eng.intake_email(&msg, false).unwrap();
    assert!(matches!(outcome, IntakeOutcome::Created { repeat: true, .. }), "{outcome:?}");
}

pub fn triage_hands_out_the_oldest_unprocessed_lead_of_mine_or_nobodys(mut eng: TestEngine) {
    eng.session("bob");
    let mine = create(&mut eng, Entity::Lead, &[("title", "Mine")], &[]).id;
    let nobodys = create(&mut eng, Entity::Lead, &[("title", "Nobody's")], &[]).id;
    eng.update(RecordRef::new(Entity::Lead, nobodys), None, &input(&[("responsible", "")])).unwrap();
    assert_eq!(text_of(&eng, Entity::Lead, nobodys, "responsible"), "");
    let bobs = create(&mut eng, Entity::Lead, &[("title", "Bob's"), ("responsible", "bob")], &[]).id;
    let moved = create(&mut eng, Entity::Lead, &[("title", "In progress")], &[]).id;
    eng.move_stage(RecordRef::new(Entity::Lead, moved), "IN_PROCESS", None, None).unwrap();
    let planned = create(&mut eng, Entity::Lead, &[("title", "Planned")], &[]).id;
    let call = NewActivity {
        kind: ActivityKind::Call,
        subject: "Call".into(),
        deadline: NOW + HOUR,
        duration_minutes: Some(15),
        priority: Priority::Medium,
        responsible_id: None,
        completed: false,
        bindings: vec![RecordRef::new(Entity::Lead, planned)],
    };
    eng.plan_activity(call, &ActivityDetails::default()).unwrap();

    let first = eng.triage_next(&[], None).unwrap().expect("two leads to triage");
    assert_eq!((first.record.id, first.remaining), (mine, 2));
    assert!(first.timeline.iter().any(|t| t.kind == TimelineKind::Created));
    let next = eng.triage_next(&[mine], None).unwrap().expect("one left");
    assert_eq!((next.record.id, next.remaining), (nobodys, 1));
    assert!(eng.triage_next(&[mine, nobodys], None).unwrap().is_none(), "not {bobs}, {moved} or {planned}");
    // An undone decision shows its lead again.
    assert_eq!(eng.triage_next(&[mine, nobodys], Some(mine)).unwrap().map(|t| t.record.id), Some(mine));
}
