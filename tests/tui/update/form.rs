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
    let Overlay::Question(q) = &h.app.overlay else { panic!("asks first: {:?}", h.app.overlay) };
    assert!(q.message.contains(&format!("#{}", existing.id)), "{}", q.message);
    assert_eq!(h.store.count(Entity::Contact).unwrap(), count, "nothing saved yet");
    h.act(Submit);
    assert_eq!(h.store.count(Entity::Contact).unwrap(), count + 1);
}

/// A new contact typed like an existing one, saved: the question's choices.
fn draft_like_existing(h: &mut Harness) -> i64 {
    let existing = h.store.list(Entity::Contact, &ListFilter::default()).unwrap()[0].clone();
    let record = h.store.get(RecordRef::new(Entity::Contact, existing.id)).unwrap();
    h.act(Show(Tab::Contacts));
    h.act(NewRecord);
    for (key, value) in [
        ("first_name", record.get("first_name").unwrap().text()),
        ("last_name", record.get("last_name").unwrap().text()),
    ] {
        let rows = &h.app.form.as_ref().unwrap().rows;
        h.app.form.as_mut().unwrap().cursor =
            rows.iter().position(|r| *r == prospect::tui::app::FormRow::Field(key)).unwrap();
        h.act(Edit);
        h.type_text(&value);
        h.act(Submit);
    }
    h.act(Save);
    existing.id
}

/// Issue 23: the duplicate question offers to open the existing record (nothing saved), to
/// save anyway, or to go back to the form with the draft kept.
#[test]
fn the_duplicate_question_opens_the_existing_record_or_goes_back() {
    let mut h = Harness::new(60, Lang::En);
    let count = h.store.count(Entity::Contact).unwrap();
    let existing = draft_like_existing(&mut h);
    let Overlay::Question(q) = &h.app.overlay else { panic!("asks first: {:?}", h.app.overlay) };
    assert!(q.choices.iter().any(|c| c.key == 'v' && c.label.contains(&format!("#{existing}"))), "{q:?}");
    // Esc: back to the form, the draft kept.
    h.act(Back);
    assert!(matches!(h.app.overlay, Overlay::None));
    assert!(h.app.form.as_ref().unwrap().dirty(), "the draft is kept");
    h.act(Save);
    h.act(Input(InputKey::Char('v')));
    assert_eq!(h.app.screen, Screen::Form);
    let form = h.app.form.as_ref().unwrap();
    assert_eq!(form.record.as_ref().map(|r| r.id), Some(existing), "the existing record is open");
    assert_eq!(h.store.count(Entity::Contact).unwrap(), count, "nothing saved");
    h.act(Back);
    assert_eq!(h.app.screen, Screen::List(Entity::Contact), "Esc from it goes back to the list, no question");
}

/// Issue 23: leaving a new record's form with typed values asks: save, discard or keep
/// editing; `q` never quits from it.
#[test]
fn leaving_an_unsaved_form_asks_first() {
    let mut h = Harness::new(5, Lang::En);
    h.act(NewRecord);
    // An empty draft leaves without a word.
    h.act(Back);
    assert_eq!(h.app.screen, Screen::Board(Entity::Lead));
    h.act(NewRecord);
    h.act(Edit);
    h.type_text("Salon Lyon");
    h.act(Submit);
    for leave in [Quit, Back, Show(Tab::Contacts), NextTab, Triage, NewRecord] {
        h.act(leave);
        let Overlay::Question(q) = &h.app.overlay else { panic!("{leave:?} asks first: {:?}", h.app.overlay) };
        assert!(q.message.contains("not saved"), "{}", q.message);
        assert!(!h.app.quit);
        // q and Esc: keep editing.
        h.act(Back);
        assert!(matches!(h.app.overlay, Overlay::None));
        assert_eq!(h.app.screen, Screen::Form);
        assert!(h.app.form.as_ref().unwrap().dirty());
    }
    // A search result opened over the draft asks too; discarding opens it.
    let other = h.store.list(Entity::Lead, &ListFilter::default()).unwrap()[0].title.clone();
    h.act(Search);
    h.type_text(other.split(' ').next().unwrap());
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::Question(_)), "{:?}", h.app.overlay);
    h.act(Back);
    assert!(h.app.form.as_ref().unwrap().dirty());
    // Discard, then the asked action (quit) is done.
    h.act(Quit);
    h.act(Input(InputKey::Char('d')));
    assert!(h.app.quit, "discarded, then quit");
    // Save: the draft is saved, then left as asked (back to the board).
    h.app.quit = false;
    h.act(NewRecord);
    h.act(Edit);
    h.type_text("Salon Nantes");
    h.act(Submit);
    h.act(Back);
    h.act(Input(InputKey::Char('s')));
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    assert_eq!(h.app.screen, Screen::Board(Entity::Lead));
    assert!(h.app.form.is_none());
    let found = h.store.list(Entity::Lead, &ListFilter { search: Some("Salon Nantes".into()), ..Default::default() });
    assert_eq!(found.unwrap().len(), 1);
    // A save refused (a contact's last name is required): the form stays.
    h.act(Show(Tab::Contacts));
    h.act(NewRecord);
    let rows = &h.app.form.as_ref().unwrap().rows;
    let first = rows.iter().position(|r| *r == prospect::tui::app::FormRow::Field("first_name")).unwrap();
    h.app.form.as_mut().unwrap().cursor = first;
    h.act(Edit);
    h.type_text("Jeanne");
    h.act(Submit);
    h.act(Quit);
    h.act(Input(InputKey::Char('s')));
    assert!(!h.app.quit, "not saved: not left");
    assert_eq!(h.app.screen, Screen::Form);
    assert!(h.app.form.as_ref().unwrap().leave_after.is_none());
    let (msg, _) = h.app.status.clone().unwrap();
    assert!(msg.contains("required"), "{msg}");
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

/// Issue 23: the form lists the record's open activities (Enter reschedules, `x` marks done,
/// `D` deletes), its timeline scrolls with `J`/`K`, and an activity entry says when it is due.
#[test]
fn the_form_lists_open_activities_and_scrolls_its_timeline() {
    let mut h = Harness::new(0, Lang::En);
    let input = RecordInput { fields: vec![("title".into(), "Bakery".into())], ..Default::default() };
    let id = h.store.create(Entity::Lead, &input).unwrap().id;
    let mut store = h.other();
    let plan = |store: &mut prospect::service::Service, subject: &str, deadline: i64| {
        let new = prospect::store::activities::NewActivity {
            kind: prospect::domain::activity::ActivityKind::Call,
            subject: subject.into(),
            deadline,
            duration_minutes: None,
            priority: prospect::domain::activity::Priority::Medium,
            responsible_id: None,
            completed: false,
            bindings: vec![RecordRef::new(Entity::Lead, id)],
        };
        store.plan_activity(new, &Default::default()).unwrap()
    };
    let first = plan(&mut store, "Call one", common::tui::NOW + 3_600_000);
    let second = plan(&mut store, "Call two", common::tui::NOW + 7_200_000);
    let third = plan(&mut store, "Call three", common::tui::NOW + 10_800_000);
    for i in 0..10 {
        store.comment(RecordRef::new(Entity::Lead, id), &format!("note {i}")).unwrap();
    }
    h.act(Show(Tab::LeadBoard));
    h.act(Open);
    let form = h.app.form.as_ref().unwrap();
    assert_eq!(form.activities.iter().map(|a| a.id).collect::<Vec<_>>(), vec![first, second, third]);
    // The timeline entry of a planned activity says when it is due (local time, TZ=UTC).
    let planned = form.timeline.iter().find(|t| t.kind == prospect::domain::timeline::TimelineKind::ActivityPlanned);
    let line = prospect::present::timeline_line(Lang::En, planned.unwrap());
    assert!(line.contains("(due 2026-11-23 1"), "{line}");
    // J / K scroll the timeline.
    let total = form.timeline.len();
    assert!(total > 10);
    h.act(PageDown);
    assert_eq!(h.app.form.as_ref().unwrap().timeline_scroll, 3);
    for _ in 0..20 {
        h.act(PageDown);
    }
    assert_eq!(h.app.form.as_ref().unwrap().timeline_scroll, total - 1, "stops at the last entry");
    h.act(PageUp);
    assert_eq!(h.app.form.as_ref().unwrap().timeline_scroll, total - 4);
    // The activity rows: x marks one done.
    let row = |h: &Harness, i: usize| {
        h.app.form.as_ref().unwrap().rows.iter().position(|r| *r == prospect::tui::app::FormRow::Activity(i)).unwrap()
    };
    h.app.form.as_mut().unwrap().cursor = row(&h, 0);
    h.act(RemoveComm);
    assert!(h.store.activity(first).unwrap().completed);
    let form = h.app.form.as_ref().unwrap();
    assert_eq!(form.activities.iter().map(|a| a.id).collect::<Vec<_>>(), vec![second, third], "reloaded");
    assert_eq!(form.timeline_scroll, total - 4, "the timeline keeps its place on reload");
    // D deletes, after a question.
    h.app.form.as_mut().unwrap().cursor = row(&h, 1);
    h.act(DeleteActivity);
    assert!(matches!(h.app.overlay, Overlay::Confirm(_)));
    h.act(Submit);
    assert!(h.store.activity(third).is_err());
    // Enter reschedules in the activity form.
    h.app.form.as_mut().unwrap().cursor = row(&h, 0);
    h.act(Edit);
    match &h.app.overlay {
        Overlay::Plan(f) => assert_eq!(f.editing, Some(second)),
        other => panic!("{other:?}"),
    }
    h.act(Down);
    h.act(Down);
    for _ in 0..20 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("tomorrow 15:00");
    h.act(Submit);
    assert_eq!(prospect::domain::when::rfc3339(h.store.activity(second).unwrap().deadline), "2026-11-24T15:00:00Z");
    assert_eq!(h.app.screen, Screen::Form);
    assert_eq!(h.app.form.as_ref().unwrap().activities[0].deadline, h.store.activity(second).unwrap().deadline);
}

/// Issue 23: a multi-line field (comments) is edited in the editor: Enter makes a new line,
/// Submit (Ctrl-s) saves every line.
#[test]
fn comments_are_edited_on_several_lines() {
    let mut h = Harness::new(0, Lang::En);
    let input = RecordInput {
        fields: vec![("title".into(), "Bakery".into()), ("comments".into(), "First\r\nSecond".into())],
        ..Default::default()
    };
    let id = h.store.create(Entity::Lead, &input).unwrap().id;
    h.act(Show(Tab::LeadBoard));
    h.act(Open);
    let rows = &h.app.form.as_ref().unwrap().rows;
    let row = rows.iter().position(|r| *r == prospect::tui::app::FormRow::Field("comments")).unwrap();
    h.app.form.as_mut().unwrap().cursor = row;
    h.act(Edit);
    let Overlay::Editor(e) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert_eq!(e.input.text, "First\nSecond", "every line, to read and edit");
    h.act(Input(InputKey::Char('\n')));
    h.type_text("Third");
    h.act(Up);
    h.act(Input(InputKey::Home));
    h.type_text("2: ");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let r = h.store.get(RecordRef::new(Entity::Lead, id)).unwrap();
    assert_eq!(r.get("comments").map(|v| v.text()), Some("First\n2: Second\nThird".into()));
}

/// SPEC E3 in the TUI: `o` links another contact to the open deal by its number (anything
/// else is refused in the prompt), the form lists it after the primary one, `x` on it
/// unlinks it, and `x` on the primary one says where to change it.
#[test]
fn a_deal_form_links_and_unlinks_other_contacts() {
    let mut h = Harness::new(0, Lang::En);
    let person = |h: &mut Harness, name: &str| {
        let fields = vec![("first_name".into(), name.into()), ("last_name".into(), "Roux".into())];
        let input = RecordInput { fields, ..Default::default() };
        h.store.create(Entity::Contact, &input).unwrap().id
    };
    let (anne, marc) = (person(&mut h, "Anne"), person(&mut h, "Marc"));
    let input = RecordInput {
        fields: vec![("title".into(), "Kiosks".into()), ("contact".into(), anne.to_string())],
        ..Default::default()
    };
    let deal = h.store.create(Entity::Deal, &input).unwrap().id;
    h.act(Show(Tab::DealBoard));
    h.act(Open);
    assert_eq!(h.app.form.as_ref().unwrap().record.as_ref().unwrap().id, deal);
    h.act(LinkContact);
    h.type_text("Marc");
    h.act(Submit);
    match &h.app.overlay {
        Overlay::Prompt(p) => {
            assert!(p.error.as_deref().unwrap_or("").contains("not a contact number"), "{:?}", p.error)
        }
        other => panic!("prompt expected, got {other:?}"),
    }
    for _ in 0..4 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text(&format!("#{marc}"));
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let linked = |h: &Harness| -> Vec<i64> {
        let r = h.app.form.as_ref().unwrap().record.as_ref().unwrap();
        r.links.iter().filter(|(e, _)| *e == Entity::Contact).map(|(_, l)| l.id).collect()
    };
    assert_eq!(linked(&h), [anne, marc]);
    let link_row = |h: &Harness, at: usize| {
        h.app.form.as_ref().unwrap().rows.iter().position(|r| *r == prospect::tui::app::FormRow::Link(at)).unwrap()
    };
    // The primary one stays: x says where it changes.
    h.app.form.as_mut().unwrap().cursor = link_row(&h, 0);
    h.act(RemoveComm);
    assert!(h.app.status.as_ref().unwrap().0.contains("primary one in its Contact field"), "{:?}", h.app.status);
    assert_eq!(linked(&h), [anne, marc]);
    h.app.form.as_mut().unwrap().cursor = link_row(&h, 1);
    h.act(RemoveComm);
    assert_eq!(linked(&h), [anne]);
    let stored = h.store.get(RecordRef::new(Entity::Deal, deal)).unwrap();
    assert_eq!(stored.links.iter().filter(|(e, _)| *e == Entity::Contact).count(), 1);
}

/// Issue 27 in the TUI: a field of the team's own shows on the form in its section and is
/// edited there; moving a lead to a stage that requires it asks for it (a value the field
/// does not take is refused in the prompt), then moves.
#[test]
fn a_required_custom_field_is_asked_for_on_a_move_and_edited_on_the_form() {
    use prospect::domain::custom_field::{CustomField, FieldType};
    let mut h = Harness::new(0, Lang::Fr);
    let (_, stages) = h.store.stages(Entity::Lead, None).unwrap();
    let in_process = stages.iter().find(|s| s.stage.code == "IN_PROCESS").unwrap().stage.id;
    let interest = CustomField {
        id: 0,
        entity: Entity::Lead,
        code: "interest".into(),
        kind: FieldType::List,
        label: "Product of interest".into(),
        label_fr: Some("Produit souhaité".into()),
        section: "Qualification".into(),
        position: 0,
        default: None,
        in_list: false,
        options: vec!["CRM".into(), "ERP".into()],
        required_from: vec![in_process],
    };
    h.store.add_custom_field(&interest).unwrap();
    let input = RecordInput { fields: vec![("title".into(), "Kiosque".into())], ..Default::default() };
    let id = h.store.create(Entity::Lead, &input).unwrap().id;
    h.act(Show(Tab::LeadBoard));
    let in_new = h.app.lead_board.columns[0].count();
    h.act(MoveNext);
    let Overlay::Prompt(p) = &h.app.overlay else { panic!("a prompt for the field: {:?}", h.app.overlay) };
    assert!(p.title.contains("Produit souhaité") && p.title.contains("CRM, ERP"), "{}", p.title);
    assert_eq!(h.app.lead_board.columns[0].count(), in_new, "the card is back until the field is given");
    h.type_text("Facturation");
    h.act(Submit);
    let Overlay::Prompt(p) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert!(p.error.as_deref().unwrap_or("").contains("Facturation"), "{:?}", p.error);
    for _ in 0..20 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("erp");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let lead = h.store.get(RecordRef::new(Entity::Lead, id)).unwrap();
    assert_eq!(lead.custom_text("interest"), "ERP");
    assert!(matches!(lead.get("stage"), Some(prospect::store::records::Shown::Ref(s)) if s.code == "IN_PROCESS"));

    // On the form: its row, edited like any field.
    h.act(Open);
    let form = h.app.form.as_ref().unwrap();
    let row = form.rows.iter().position(|r| *r == prospect::tui::app::FormRow::Custom(0)).unwrap();
    h.app.form.as_mut().unwrap().cursor = row;
    h.act(Edit);
    let Overlay::Prompt(p) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert_eq!((p.title.as_str(), p.input.text.as_str()), ("Produit souhaité", "ERP"));
    for _ in 0..5 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("crm");
    h.act(Submit);
    assert_eq!(h.store.get(RecordRef::new(Entity::Lead, id)).unwrap().custom_text("interest"), "CRM");
}

/// Enter on a phone, e-mail or website of the form hands it to the system's handler (SPEC
/// V5); with none here the status line says what to install.
#[test]
fn enter_on_a_phone_opens_it() {
    let mut h = Harness::new(0, Lang::En);
    let region = h.store.options().region;
    let comms = prospect::store::CommsChange {
        add: vec![
            prospect::domain::comm::Comm::new(
                prospect::domain::comm::CommKind::Phone,
                "mobile",
                "06 12 34 56 78",
                region,
            )
            .unwrap(),
            prospect::domain::comm::Comm::new(prospect::domain::comm::CommKind::Email, "", "zoe@acme.fr", region)
                .unwrap(),
        ],
        ..Default::default()
    };
    let fields = vec![("first_name".into(), "Zoé".into()), ("last_name".into(), "Roux".into())];
    let id = h.store.create(Entity::Contact, &RecordInput { fields, comms, ..Default::default() }).unwrap().id;
    h.act(Show(Tab::Contacts));
    h.act(Open);
    assert_eq!(h.app.form.as_ref().unwrap().record.as_ref().unwrap().id, id);
    let form = h.app.form.as_ref().unwrap();
    let at = |i| form.rows.iter().position(|r| *r == prospect::tui::app::FormRow::Comm(i)).unwrap();
    let (phone, email) = (at(0), at(1));
    h.app.form.as_mut().unwrap().cursor = phone;
    let effects = prospect::tui::update::update(&mut h.app, Edit);
    assert_eq!(format!("{effects:?}"), r#"[OpenUri { uri: "tel:+33612345678" }]"#);
    h.app.form.as_mut().unwrap().cursor = email;
    let effects = prospect::tui::update::update(&mut h.app, Edit);
    assert_eq!(format!("{effects:?}"), r#"[OpenUri { uri: "mailto:zoe@acme.fr" }]"#);
    // A program that is not there: said, nothing else happens.
    // SAFETY: tests of this binary do not read PROSPECT_OPENER elsewhere.
    unsafe { std::env::set_var("PROSPECT_OPENER", "/nonexistent/opener") };
    h.run(effects);
    let status = h.app.status.as_ref().unwrap().0.clone();
    assert!(status.contains("Could not open mailto:zoe@acme.fr: no program /nonexistent/opener"), "{status}");
    assert_eq!(h.app.screen, Screen::Form);
}
