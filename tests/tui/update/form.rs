//! Record forms: editing with validation, comments, drafts, duplicates asked about.

use super::*;

#[test]
fn form_edits_with_validation_and_comments() {
    let mut h = Harness::new(20, Lang::En);
    let id = h.app.lead_board.focused().unwrap().id;
    h.act(Open);
    assert_eq!(h.app.screen, Screen::Form);
    let form = h.app.form.as_ref().unwrap();
    assert_eq!(form.record.as_ref().unwrap().id, id);
    assert!(!form.timeline.is_empty());
    // Edit the amount with a bad value: the prompt stays with the message.
    let amount_row = form.rows.iter().position(|r| *r == prospect::tui::app::FormRow::Field("amount")).unwrap();
    for _ in 0..amount_row {
        h.act(Down);
    }
    h.act(Edit);
    for _ in 0..20 {
        h.act(prospect::tui::action::Action::Input(prospect::tui::action::InputKey::Backspace));
    }
    h.type_text("12.345");
    h.act(Submit);
    match &h.app.overlay {
        Overlay::Prompt(p) => assert!(p.error.as_deref().unwrap_or("").contains("ambiguous"), "{:?}", p.error),
        other => panic!("prompt expected, got {other:?}"),
    }
    for _ in 0..6 {
        h.act(prospect::tui::action::Action::Input(prospect::tui::action::InputKey::Backspace));
    }
    h.type_text("1 500,00");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None));
    let r = h.store.get(RecordRef::new(Entity::Lead, id)).unwrap();
    assert_eq!(r.get("amount").map(|a| a.text()), Some("1500.00".into()));
    // Comment.
    h.act(Comment);
    h.type_text("Called, wants a quote");
    h.act(Submit);
    let form = h.app.form.as_ref().unwrap();
    assert_eq!(form.timeline[0].payload["text"], "Called, wants a quote");
    // Add a phone, then a bad one.
    h.act(AddPhone);
    h.type_text("mobile:06 99 88 77 66");
    h.act(Submit);
    assert!(
        h.store.get(RecordRef::new(Entity::Lead, id)).unwrap().comms.iter().any(|c| c.normalized == "+33699887766")
    );
    h.act(AddEmail);
    h.type_text("nope");
    h.act(Submit);
    assert!(matches!(&h.app.overlay, Overlay::Prompt(p) if p.error.is_some()));
    h.act(Back);
    h.act(Back);
    assert_eq!(h.app.screen, Screen::Board(Entity::Lead));
}

#[test]
fn new_record_form_saves_a_draft() {
    let mut h = Harness::new(5, Lang::En);
    h.act(NewRecord);
    h.act(Edit); // title
    h.type_text("Salon Lyon");
    h.act(Submit);
    h.act(AddPhone);
    h.type_text("06 12 12 12 12");
    h.act(Submit);
    h.act(Save);
    let form = h.app.form.as_ref().unwrap();
    let r = form.record.as_ref().expect("saved and reopened");
    assert_eq!(r.title, "Salon Lyon");
    assert_eq!(r.comms.len(), 1);
}

#[test]
fn new_contact_matching_an_existing_one_asks_before_saving() {
    let mut h = Harness::new(60, Lang::En);
    let existing = h.store.list(Entity::Contact, &ListFilter::default()).unwrap()[0].clone();
    let record = h.store.get(RecordRef::new(Entity::Contact, existing.id)).unwrap();
    let count = h.store.count(Entity::Contact).unwrap();
    h.act(Show(Tab::Contacts));
    h.act(NewRecord);
    for (key, value) in [
        ("first_name", record.get("first_name").unwrap().text()),
        ("last_name", record.get("last_name").unwrap().text().to_uppercase()),
    ] {
        let row = h
            .app
            .form
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .position(|r| *r == prospect::tui::app::FormRow::Field(key))
            .unwrap();
        h.app.form.as_mut().unwrap().cursor = row;
        h.act(Edit);
        h.type_text(&value);
        h.act(Submit);
    }
    h.act(Save);
    let Overlay::Confirm(c) = &h.app.overlay else { panic!("asks first: {:?}", h.app.overlay) };
    assert!(c.message.contains(&format!("#{}", existing.id)), "{}", c.message);
    assert_eq!(h.store.count(Entity::Contact).unwrap(), count, "nothing saved yet");
    h.act(Submit);
    assert_eq!(h.store.count(Entity::Contact).unwrap(), count + 1);
}

#[test]
fn a_refused_rule_reads_in_the_interface_language() {
    // Issue 21: rule refusals were English `format!` text whatever the interface spoke.
    let mut h = Harness::new(0, Lang::Fr);
    let input = RecordInput { fields: vec![("title".into(), "Personne".into())], ..Default::default() };
    let id = h.store.create(Entity::Lead, &input).unwrap().id;
    rusqlite::Connection::open(h.dir.path().join("crm.db"))
        .unwrap()
        .execute("UPDATE leads SET responsible_id = NULL WHERE id = ?1", [id])
        .unwrap();
    h.act(Show(Tab::LeadBoard));
    h.act(Take);
    h.act(Take);
    let status = &h.app.status.as_ref().unwrap().0;
    assert!(status.contains("déjà pris par alice"), "{status}");
}
