//! `update` without a terminal: navigation, moves, quick create, filters, selection, forms,
//! palette and search, on real files.

use crate::common;
use crate::common::tui::Harness;
use prospect::domain::fields::Entity;
use prospect::i18n::Lang;
use prospect::store::{ListFilter, RecordInput, RecordRef};
use prospect::tui::action::InputKey;
use prospect::tui::action::{Action::*, Tab};
use prospect::tui::app::{Overlay, Screen};

fn focused_stage(h: &Harness) -> String {
    h.app.lead_board.column().and_then(|c| c.head.as_ref()).map(|h| h.stage.code.clone()).unwrap()
}

#[test]
fn empty_file_shows_welcome_and_demo_fills_it() {
    let mut h = Harness::new(0, Lang::En);
    assert_eq!(h.app.screen, Screen::Welcome);
    h.act(LoadDemo);
    assert_eq!(h.app.screen, Screen::Board(Entity::Lead));
    assert_eq!(h.app.lead_board.columns.iter().map(|c| c.count()).sum::<usize>(), 500);
}

#[test]
fn board_navigation_loads_only_a_window() {
    let mut h = Harness::new(2000, Lang::En);
    let board = &h.app.lead_board;
    assert_eq!(board.columns.len(), 5);
    let new_count = board.columns[0].count();
    assert!(new_count > 500, "{new_count}");
    assert!(board.columns[0].cards.len() <= 100, "only a page is loaded at first");
    h.acts(&[Down, Down, Up]);
    assert_eq!(h.app.lead_board.columns[0].cursor, 1);
    h.act(Up);
    h.act(Up);
    assert_eq!(h.app.lead_board.columns[0].cursor, 0, "clamped at the top");
    h.act(Bottom);
    let col = &h.app.lead_board.columns[0];
    assert_eq!(col.cursor, new_count - 1);
    let last = col.focused().expect("the last card is loaded after G");
    let oldest = h
        .store
        .list(
            Entity::Lead,
            &ListFilter { stage: Some("NEW".into()), oldest_first: true, limit: 1, ..Default::default() },
        )
        .unwrap();
    assert_eq!(last.id, oldest[0].id);
    assert!(col.cards.len() <= prospect::tui::app::WINDOW);
    // Walk up from the bottom through several pages: every focused card is loaded and in order.
    let mut previous = last.id;
    for _ in 0..250 {
        h.act(Up);
        let id = h.app.lead_board.columns[0].focused().expect("loaded while scrolling").id;
        assert!(id > previous, "newest first");
        previous = id;
    }
    h.act(Top);
    assert_eq!(h.app.lead_board.columns[0].cursor, 0);
    assert!(h.app.lead_board.columns[0].focused().is_some());
    h.acts(&[Right, Right, Right, Right, Right, Right]);
    assert_eq!(h.app.lead_board.focus, 4, "clamped at the last column");
    h.act(Left);
    assert_eq!(focused_stage(&h), "CONVERTED");
}

#[test]
fn moving_a_card_follows_it_and_asks_a_reason_for_failure() {
    let mut h = Harness::new(200, Lang::En);
    // An older card, so that it lands below the top of the next column.
    h.acts(&[Down, Down, Down, Down, Down, Down, Down, Down]);
    let card = h.app.lead_board.focused().unwrap().clone();
    h.act(MoveNext);
    assert_eq!(focused_stage(&h), "IN_PROCESS", "focus follows the card");
    assert_eq!(h.app.lead_board.focused().map(|c| c.id), Some(card.id));
    assert!(h.app.lead_board.columns[1].cursor > 0, "the card is not simply the first of its new column");
    h.act(MoveNext);
    assert_eq!(focused_stage(&h), "PROCESSED");
    assert_eq!(h.app.lead_board.focused().map(|c| c.id), Some(card.id));
    let stored = h.store.get(RecordRef::new(Entity::Lead, card.id)).unwrap();
    assert_eq!(stored.version, card.version + 2);
    // Picking a failure stage asks for a reason.
    h.act(PickStage);
    assert!(matches!(h.app.overlay, Overlay::Picker(_)));
    h.acts(&[Down, Down]);
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::Prompt(_)), "a reason is asked for Junk");
    h.type_text("No budget");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None));
    assert_eq!(focused_stage(&h), "JUNK");
    let tl = h.store.timeline(RecordRef::new(Entity::Lead, card.id), 1).unwrap();
    assert_eq!(tl[0].payload["reason"], "No budget");
    // No stage after the last one.
    h.act(MoveNext);
    assert!(h.app.status.as_ref().unwrap().0.contains("No stage further"));
}

#[test]
fn quick_create_puts_the_card_in_the_focused_column() {
    let mut h = Harness::new(50, Lang::En);
    h.act(Right);
    h.act(QuickCreate);
    h.type_text("Call back Mr Li");
    h.act(Submit);
    assert_eq!(focused_stage(&h), "IN_PROCESS");
    let card = h.app.lead_board.focused().unwrap();
    assert_eq!(card.title, "Call back Mr Li");
    assert_eq!(h.app.lead_board.columns[1].cursor, 0);
}

#[test]
fn list_filters_sort_and_bulk_actions() {
    let mut h = Harness::new(300, Lang::En);
    h.act(Show(Tab::LeadList));
    assert_eq!(h.app.screen, Screen::List(Entity::Lead));
    let list = &h.app.lists[&Entity::Lead];
    assert_eq!(list.rows.len(), 100, "first page");
    h.act(Bottom);
    h.act(PageDown);
    assert!(h.app.lists[&Entity::Lead].rows.len() >= 200, "scrolling loads the next page");

    h.act(FilterMine);
    assert!(h.app.lists[&Entity::Lead].rows.iter().all(|r| r.responsible.as_deref() == Some("alice")));
    h.act(ClearFilters);
    h.act(FilterText);
    h.type_text("dupont");
    h.act(Submit);
    let rows = &h.app.lists[&Entity::Lead].rows;
    assert!(!rows.is_empty() && rows.len() < 50, "{}", rows.len());
    h.act(ClearFilters);
    h.act(FilterStage);
    h.act(Down);
    h.act(Submit);
    assert!(h.app.lists[&Entity::Lead].rows.iter().all(|r| r.stage_code.as_deref() == Some("NEW")));
    h.act(ClearFilters);

    h.act(SortNext); // by title
    let titles: Vec<String> = h.app.lists[&Entity::Lead].rows.iter().map(|r| r.title.to_lowercase()).collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    h.act(SortNext); // by amount
    h.act(SortFlip);
    let amounts: Vec<i64> = h.app.lists[&Entity::Lead].rows.iter().map(|r| r.amount_minor.unwrap_or(-1)).collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "largest first after flip");

    // Select three rows (Space, then a range with v) and move them.
    h.acts(&[SortNext, SortNext, SortNext]);
    h.act(Top);
    h.act(ToggleSelect);
    h.act(Visual);
    h.act(Down);
    h.act(Visual);
    let selected: Vec<i64> = h.app.lists[&Entity::Lead].selected.iter().copied().collect();
    assert_eq!(selected.len(), 3, "{selected:?}");
    h.act(BulkMove);
    h.act(Down); // In progress
    h.act(Submit);
    for id in &selected {
        let r = h.store.get(RecordRef::new(Entity::Lead, *id)).unwrap();
        assert_eq!(r.get("stage").map(|s| s.text()), Some("In progress".to_string()));
    }
    h.act(BulkDelete);
    assert!(matches!(h.app.overlay, Overlay::Confirm(_)));
    h.act(Back);
    assert!(h.store.get(RecordRef::new(Entity::Lead, selected[0])).is_ok(), "Esc cancels");
    h.act(BulkDelete);
    h.act(Submit);
    assert!(h.store.get(RecordRef::new(Entity::Lead, selected[0])).is_err());
}

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
fn palette_and_search() {
    let mut h = Harness::new(100, Lang::Fr);
    h.act(Palette);
    h.type_text("liste");
    h.act(Submit);
    assert_eq!(h.app.screen, Screen::List(Entity::Lead), "palette matches French labels");
    h.act(Palette);
    h.type_text("deal board");
    h.act(Submit);
    assert_eq!(h.app.screen, Screen::Board(Entity::Deal), "and English ones");
    h.act(Search);
    h.type_text("dupont");
    let Overlay::Search(s) = &h.app.overlay else { panic!() };
    assert!(!s.hits.is_empty());
    let first = s.hits[0].clone();
    h.act(Submit);
    assert_eq!(h.app.screen, Screen::Form);
    assert_eq!(h.app.form.as_ref().unwrap().record.as_ref().unwrap().id, first.id);
    h.act(Palette);
    h.type_text("quitter");
    h.act(Submit);
    assert!(h.app.quit);
}

#[test]
fn changes_from_another_process_reload_the_screen() {
    let mut h = Harness::new(30, Lang::En);
    let before = h.app.lead_board.columns[4].count();
    let card = h.app.lead_board.focused().unwrap().clone();
    let mut other = h.other();
    other.move_stage(RecordRef::new(Entity::Lead, card.id), "JUNK", None, None).unwrap();
    let reload = prospect::tui::update::on_store(&mut h.app, prospect::tui::effect::StoreEvent::Changed(None));
    h.run(reload);
    assert_eq!(h.app.lead_board.columns[4].count(), before + 1);
    // A move asked from a stale screen, after someone else moved the card, says who moved it
    // where, and moves nothing.
    let seen_stage = h.app.lead_board.columns[0].head.as_ref().unwrap().stage.id;
    let stale = prospect::tui::effect::Effect::Move {
        entity: Entity::Lead,
        id: card.id,
        seen: Some(prospect::tui::app::Seen { stage: seen_stage }),
        stage_code: "IN_PROCESS".into(),
        reason: None,
    };
    h.run(vec![stale]);
    let (msg, _) = h.app.status.clone().unwrap();
    assert!(msg.contains("was moved to “Junk” by alice") && msg.contains("not made"), "{msg}");
    let now = other.get(RecordRef::new(Entity::Lead, card.id)).unwrap();
    assert_eq!(now.get("stage").unwrap().text(), "Junk");
}

#[test]
fn a_move_survives_another_users_edit_of_other_fields() {
    let mut h = Harness::new(30, Lang::En);
    let card = h.app.lead_board.focused().unwrap().clone();
    let mut other = h.other();
    let input = RecordInput { fields: vec![("comments".into(), "called back".into())], ..Default::default() };
    other.update(RecordRef::new(Entity::Lead, card.id), None, &input).unwrap();
    // The board still holds the old version: the move goes through, the comment stays.
    h.act(MoveNext);
    let now = other.get(RecordRef::new(Entity::Lead, card.id)).unwrap();
    assert_eq!(now.get("stage").unwrap().text(), "In progress");
    assert_eq!(now.get("comments").unwrap().text(), "called back");
}

/// Opens the focused lead's form and starts editing its title, as the user would.
fn start_title_edit(h: &mut Harness) -> i64 {
    h.act(Open);
    let form = h.app.form.as_ref().unwrap();
    let id = form.record.as_ref().unwrap().id;
    assert!(matches!(form.rows[form.cursor], prospect::tui::app::FormRow::Field("title")));
    h.act(Edit);
    for _ in 0..80 {
        h.act(Input(InputKey::Backspace));
    }
    id
}

#[test]
fn saving_over_another_users_edit_shows_both_versions_and_keeps_the_choice() {
    let mut h = Harness::new(30, Lang::En);
    let id = start_title_edit(&mut h);
    let was = h.other().get(RecordRef::new(Entity::Lead, id)).unwrap().title;
    h.type_text("Mine");
    // Meanwhile someone else renames it and fills the comments.
    let mut other = h.other();
    let theirs = RecordInput {
        fields: vec![("title".into(), "Theirs".into()), ("comments".into(), "from bruno".into())],
        ..Default::default()
    };
    other.update(RecordRef::new(Entity::Lead, id), None, &theirs).unwrap();
    let before = std::fs::read(h.dir.path().join("crm.db")).unwrap();
    h.act(Submit);
    // Nothing is written yet; the popup shows each field either side changed.
    assert_eq!(std::fs::read(h.dir.path().join("crm.db")).unwrap(), before);
    let Overlay::Conflict(c) = &h.app.overlay else { panic!("no conflict popup: {:?}", h.app.status) };
    let rows: Vec<_> = c
        .conflict
        .rows
        .iter()
        .map(|r| (r.key.as_str(), r.was.as_str(), r.yours.as_str(), r.theirs.as_str(), r.take_theirs))
        .collect();
    assert_eq!(rows, vec![("title", was.as_str(), "Mine", "Theirs", false), ("comments", "", "", "from bruno", true)]);
    h.act(Submit);
    let now = other.get(RecordRef::new(Entity::Lead, id)).unwrap();
    assert_eq!(now.title, "Mine", "the user's choice for the field they edited");
    assert_eq!(now.get("comments").unwrap().text(), "from bruno", "the other's change kept");
    assert!(matches!(h.app.overlay, Overlay::None));
}

#[test]
fn a_conflict_can_take_the_other_version_per_field_or_all_with_esc() {
    let mut h = Harness::new(30, Lang::En);
    let id = start_title_edit(&mut h);
    h.type_text("Mine");
    let mut other = h.other();
    let theirs = RecordInput { fields: vec![("title".into(), "Theirs".into())], ..Default::default() };
    other.update(RecordRef::new(Entity::Lead, id), None, &theirs).unwrap();
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::Conflict(_)));
    // Space flips the title to theirs; Enter then writes nothing.
    h.act(Input(InputKey::Char(' ')));
    let version = other.get(RecordRef::new(Entity::Lead, id)).unwrap().version;
    h.act(Submit);
    let now = other.get(RecordRef::new(Entity::Lead, id)).unwrap();
    assert_eq!((now.title.as_str(), now.version), ("Theirs", version));
    // Again, and Esc: theirs is kept, the form shows it.
    h.act(Edit);
    h.type_text(" and mine");
    other
        .update(
            RecordRef::new(Entity::Lead, id),
            None,
            &RecordInput { fields: vec![("title".into(), "Third".into())], ..Default::default() },
        )
        .unwrap();
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::Conflict(_)));
    h.act(Back);
    assert_eq!(other.get(RecordRef::new(Entity::Lead, id)).unwrap().title, "Third");
    assert_eq!(h.app.form.as_ref().unwrap().record.as_ref().unwrap().title, "Third");
    let (msg, _) = h.app.status.clone().unwrap();
    assert!(msg.contains("Kept the other user's version"), "{msg}");
}

#[test]
fn list_filters_by_responsible_source_and_dates() {
    let mut h = Harness::new(300, Lang::En);
    h.act(Show(Tab::LeadList));
    h.act(FilterResponsible);
    h.acts(&[Down, Down]); // (all), alice, bruno
    h.act(Submit);
    let rows = &h.app.lists[&Entity::Lead].rows;
    let who: std::collections::BTreeSet<_> = rows.iter().map(|r| r.responsible.clone()).collect();
    assert_eq!(who.into_iter().collect::<Vec<_>>(), [Some("bruno".to_string())], "users: {:?}", h.app.users);
    h.act(ClearFilters);
    h.act(FilterSource);
    h.act(Down); // Call
    h.act(Submit);
    let expected = h
        .store
        .list(Entity::Lead, &ListFilter { source: Some("CALL".into()), limit: 100, ..Default::default() })
        .unwrap();
    let got: Vec<i64> = h.app.lists[&Entity::Lead].rows.iter().map(|r| r.id).collect();
    assert_eq!(got, expected.iter().map(|r| r.id).collect::<Vec<_>>());
    assert!(!got.is_empty());
    h.act(ClearFilters);
    h.act(FilterCreated);
    h.type_text("someday");
    h.act(Submit);
    assert!(matches!(&h.app.overlay, Overlay::Prompt(p) if p.error.is_some()), "a bad range is refused in the prompt");
    h.act(Back);
    h.act(FilterCreated);
    h.type_text("2026-11-01..2026-11-10");
    h.act(Submit);
    let rows = &h.app.lists[&Entity::Lead].rows;
    let from = 1_793_491_200_000; // 2026-11-01T00:00Z
    let to = 1_794_355_200_000; // 2026-11-11T00:00Z
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.created_at >= from && r.created_at < to), "all rows in the range");
}

#[test]
fn plan_an_activity_from_the_board_and_the_form() {
    let mut h = Harness::new(20, Lang::En);
    let card = h.app.lead_board.focused().unwrap().clone();
    let before = h.app.counters;
    h.act(PlanActivity);
    assert!(matches!(h.app.overlay, Overlay::Plan(_)));
    // Kind: meeting; when: tomorrow 09:00; subject typed; priority high.
    h.act(prospect::tui::action::Action::Input(prospect::tui::action::InputKey::Right));
    h.act(Down);
    h.acts(&[prospect::tui::action::Action::Input(prospect::tui::action::InputKey::Right); 2]);
    h.acts(&[Down, Down]);
    h.type_text("Visit the shop");
    h.acts(&[Down, Down]);
    h.act(prospect::tui::action::Action::Input(prospect::tui::action::InputKey::Right));
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let planned = h.store.activities(&of_lead(card.id)).unwrap();
    let a = planned.iter().find(|a| a.subject == "Visit the shop").expect("planned");
    assert_eq!(a.kind, prospect::domain::activity::ActivityKind::Meeting);
    assert_eq!(a.priority, "high");
    assert_eq!(prospect::domain::when::rfc3339(a.deadline), "2026-11-24T09:00:00Z", "tomorrow 09:00 (TZ=UTC)");
    assert_eq!(a.responsible.as_deref(), Some("alice"));
    assert_eq!(h.app.counters.incoming, before.incoming + 1, "counters reload after planning");
    assert!(h.app.lead_board.focused().unwrap().next_activity.is_some());

    // From the form, a typed date; a bad one is refused inside the form.
    h.act(Open);
    h.act(PlanActivity);
    h.act(Down);
    h.act(Down);
    h.type_text("someday");
    h.act(Submit);
    match &h.app.overlay {
        Overlay::Plan(f) => {
            assert!(f.error.as_deref().unwrap_or("").contains("is not a date and time"), "{:?}", f.error)
        }
        other => panic!("{other:?}"),
    }
    for _ in 0..7 {
        h.act(prospect::tui::action::Action::Input(prospect::tui::action::InputKey::Backspace));
    }
    h.type_text("lundi 14h30");
    h.act(Submit);
    let form = h.app.form.as_ref().unwrap();
    assert_eq!(form.timeline[0].kind, prospect::domain::timeline::TimelineKind::ActivityPlanned);
    assert_eq!(form.timeline[0].payload["deadline"], 1_796_049_000_000i64, "Monday 30 Nov 14:30 UTC");
}

/// A column of the activities board loads a screenful first, and more as the cursor goes
/// down, in the same order.
#[test]
fn activities_board_columns_load_more_as_the_cursor_goes_down() {
    let mut h = Harness::new(1500, Lang::En);
    h.act(Show(Tab::Activities));
    let first_page = h.app.cards_per_screen() + 40;
    let (widest, _) = h.app.agenda.columns.iter().enumerate().max_by_key(|(_, c)| c.count).unwrap();
    assert!(h.app.agenda.columns[widest].count as usize > 2 * first_page, "a long column to scroll");
    while h.app.agenda.focus < widest {
        h.act(Right);
    }
    assert_eq!(h.app.agenda.columns[widest].rows.len(), first_page);
    for _ in 0..first_page {
        h.act(Down);
    }
    let col = &h.app.agenda.columns[widest];
    assert_eq!(col.rows.len(), 2 * first_page, "one more page, asked for before the cursor reached the end");
    assert_eq!(col.cursor, first_page);
    let due: Vec<Option<i64>> = col.rows.iter().map(|r| r.next_activity).collect();
    assert!(due.windows(2).all(|w| w[0] <= w[1]), "next activity order across pages: {due:?}");
}

#[test]
fn activities_board_buckets_and_drops() {
    use prospect::domain::agenda::{ActivityBucket, bounds, bucket_of};
    let mut h = Harness::new(120, Lang::En);
    h.act(Show(Tab::Activities));
    assert_eq!(h.app.screen, Screen::Agenda);
    let cols = &h.app.agenda.columns;
    assert_eq!(cols.len(), 6);
    let open_leads: i64 = h
        .store
        .stages(Entity::Lead, None)
        .unwrap()
        .1
        .iter()
        .filter(|s| s.stage.semantics == prospect::domain::stage::StageSemantics::InProgress)
        .map(|s| s.count)
        .sum();
    assert_eq!(cols.iter().map(|c| c.count).sum::<i64>(), open_leads, "every open lead sits in one column");
    let now = prospect::domain::when::from_ms(common::tui::NOW).with_timezone(&chrono::Local);
    let b = bounds(&now);
    // A first page is a screen of cards and what the cursor reaches before the next one.
    let first_page = (h.app.cards_per_screen() + 40) as i64;
    for col in cols {
        assert_eq!(col.rows.len() as i64, col.count.min(first_page));
        for r in &col.rows {
            let due = r.next_activity.map(|d| prospect::domain::when::from_ms(d).with_timezone(&chrono::Local));
            assert_eq!(bucket_of(due.as_ref(), &b), col.bucket, "lead #{} in the wrong column", r.id);
        }
    }
    // Dropping a card from Later into Next week plans a call there; the card follows.
    let later = ActivityBucket::ALL.iter().position(|b| *b == ActivityBucket::Later).unwrap();
    while h.app.agenda.focus < later {
        h.act(Right);
    }
    let card = h.app.agenda.columns[later].rows.first().expect("a lead with a later activity").clone();
    h.act(MovePrev);
    let next_week = &h.app.agenda.columns[later - 1];
    assert!(next_week.rows.iter().any(|r| r.id == card.id), "the card is now in Next week");
    // Overdue and No activity take no drops.
    h.act(Top);
    for _ in 0..later {
        h.act(Left);
    }
    h.act(Right); // Today
    let before = h.store.activities(&Default::default()).unwrap().len();
    h.act(MovePrev);
    assert!(h.app.status.as_ref().unwrap().0.contains("take no cards"));
    assert_eq!(h.store.activities(&Default::default()).unwrap().len(), before);
}

#[test]
fn calendar_navigation_and_done() {
    // Enough demo leads for the signed-in user to have activities today.
    let mut h = Harness::new(400, Lang::En);
    h.act(Show(Tab::Calendar));
    let today = prospect::domain::when::from_ms(common::tui::NOW).with_timezone(&chrono::Local).date_naive();
    assert_eq!(h.app.calendar.day, today);
    assert!(h.app.calendar.counts.values().sum::<i64>() > 0);
    assert!(!h.app.calendar.day_activities().is_empty(), "demo activities fill a weekday");
    h.act(Left);
    assert_eq!(h.app.calendar.day, today - chrono::Duration::days(1));
    h.act(Down);
    assert_eq!(h.app.calendar.day, today + chrono::Duration::days(6));
    h.act(NextMonth);
    assert_eq!(h.app.calendar.day.format("%Y-%m").to_string(), "2026-12");
    h.act(Today);
    assert_eq!(h.app.calendar.day, today);
    h.act(ToggleWeek);
    assert!(h.app.calendar.week);
    let open = h.app.calendar.day_activities().iter().find(|a| !a.completed).map(|a| a.id);
    let idx = h.app.calendar.day_activities().iter().position(|a| Some(a.id) == open).unwrap();
    for _ in 0..idx {
        h.act(PageDown);
    }
    h.act(CompleteActivity);
    assert!(h.store.activity(open.unwrap()).unwrap().completed);
    h.act(Open);
    assert_eq!(h.app.screen, Screen::Form);
}

/// A lead titled `title`, made through a second connection (another process), for calendar tests.
fn calendar_lead(store: &mut prospect::service::Service, title: &str) -> i64 {
    let input = prospect::store::RecordInput { fields: vec![("title".into(), title.into())], ..Default::default() };
    store.create(Entity::Lead, &input).unwrap().id
}

/// A call of `minutes` on `lead`, planned for whoever `store` is signed in as.
fn plan_call(store: &mut prospect::service::Service, lead: i64, subject: &str, deadline: i64, minutes: i64) -> i64 {
    let new = prospect::store::activities::NewActivity {
        kind: prospect::domain::activity::ActivityKind::Call,
        subject: subject.into(),
        deadline,
        duration_minutes: Some(minutes),
        priority: prospect::domain::activity::Priority::Medium,
        responsible_id: None,
        completed: false,
        bindings: vec![RecordRef::new(Entity::Lead, lead)],
    };
    store.plan_activity(new, &Default::default()).unwrap()
}

/// The day's list loads a page first and the next pages as the cursor goes down (J), in time
/// order with no activity twice; the week grid takes the whole week.
#[test]
fn the_calendar_day_list_loads_more_as_the_cursor_goes_down() {
    let mut h = Harness::new(0, Lang::En);
    let mut store = h.other();
    let lead = calendar_lead(&mut store, "Busy");
    for i in 0..150 {
        plan_call(&mut store, lead, &format!("Call {i}"), common::tui::NOW + 60_000 + i * 30_000, 15);
    }
    h.act(Show(Tab::Calendar));
    let page = h.app.rows_per_screen() / 2 + 40;
    assert!(page < 150, "a page is less than the day");
    assert_eq!(h.app.calendar.day_activities().len(), page, "a page first");
    for _ in 0..page {
        h.act(PageDown);
    }
    assert!(h.app.calendar.day_activities().len() > page, "the next page, before the cursor reached the end");
    for _ in 0..150 {
        h.act(PageDown);
    }
    let listed = h.app.calendar.day_activities();
    let subjects: Vec<&str> = listed.iter().map(|a| a.subject.as_str()).collect();
    assert_eq!(subjects, (0..150).map(|i| format!("Call {i}")).collect::<Vec<_>>(), "all, in order, once");
    assert_eq!(h.app.calendar.cursor, 149);
    h.act(ToggleWeek);
    // The week grid's cells are counted by the store, not from the list: the day's list is a
    // page again, and the cells hold all 150 (a week of the 100k demo holds 4,900 of a user).
    assert_eq!(h.app.calendar.day_activities().len(), page, "the day's list, a page");
    let cells = &h.app.calendar.hours;
    assert_eq!(cells.len(), 7 * 12);
    assert_eq!(cells.iter().map(|c| c.count).sum::<i64>(), 150, "every activity of the week in its cell");
    assert!(cells.iter().filter(|c| c.count > 0).all(|c| c.count > 1 && c.only.is_none()), "{cells:?}");
    assert!(cells.iter().all(|c| !c.overdue), "every call is to come");
    // A call an hour ago, not made: its cell (and only its cell) is overdue.
    let late = common::tui::NOW - 3_600_000;
    plan_call(&mut store, lead, "Late call", late, 15);
    h.act(ToggleWeek);
    h.act(ToggleWeek);
    let monday = prospect::tui::update::calendar_range(&h.app.calendar).0;
    let slots = prospect::domain::agenda::week_grid_slots(&chrono::Local, monday);
    let cells = &h.app.calendar.hours;
    let overdue: Vec<bool> = cells.iter().map(|c| c.overdue).collect();
    let expected: Vec<bool> = slots.iter().map(|&(from, to)| from <= late && late < to).collect();
    assert_eq!(overdue, expected);
    assert_eq!(cells.iter().map(|c| c.count).sum::<i64>(), 151);
}

#[test]
fn calendar_reschedules_and_deletes() {
    let mut h = Harness::new(0, Lang::En);
    let mut store = h.other();
    let lead = calendar_lead(&mut store, "Cal");
    let id = plan_call(&mut store, lead, "Ring", common::tui::NOW + 3_600_000, 30);
    h.act(Show(Tab::Calendar));
    assert_eq!(h.app.calendar.day_activities().len(), 1);
    h.act(Edit);
    assert!(matches!(&h.app.overlay, Overlay::Plan(f) if f.editing == Some(id) && f.subject.text == "Ring"));
    for _ in 0..20 {
        h.act(prospect::tui::action::Action::Input(prospect::tui::action::InputKey::Backspace));
    }
    h.type_text("demain 16h");
    h.act(Down); // subject
    h.type_text(" back");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let a = h.store.activity(id).unwrap();
    assert_eq!(prospect::domain::when::rfc3339(a.deadline), "2026-11-24T16:00:00Z");
    assert_eq!(a.subject, "Ring back");
    assert_eq!(a.end_at.unwrap() - a.start_at.unwrap(), 30 * 60_000, "the call keeps its length");
    assert!(h.app.calendar.day_activities().is_empty(), "moved off today");
    h.act(Right);
    assert_eq!(h.app.calendar.day_activities().len(), 1);
    h.act(DeleteActivity);
    h.act(Submit);
    assert!(h.store.activity(id).is_err());
}

#[test]
fn a_second_move_typed_while_the_board_reloads_is_not_lost() {
    let mut h = Harness::new(100, Lang::En);
    let card = h.app.lead_board.focused().unwrap().clone();
    // First L: its reload is still pending when the second L arrives.
    let pending = h.act_partly(MoveNext);
    let second = prospect::tui::update::update(&mut h.app, MoveNext);
    h.run(pending);
    h.run(second);
    let stored = h.store.get(RecordRef::new(Entity::Lead, card.id)).unwrap();
    assert_eq!(stored.get("stage").map(|s| s.text()), Some("Processed".into()), "both moves applied");
    assert_eq!(focused_stage(&h), "PROCESSED");
    assert_eq!(h.app.lead_board.focused().map(|c| c.id), Some(card.id));
}

#[test]
fn enter_typed_while_the_board_reloads_opens_the_moved_card() {
    let mut h = Harness::new(100, Lang::En);
    h.acts(&[Down, Down, Down]);
    let card = h.app.lead_board.focused().unwrap().clone();
    let pending = h.act_partly(MoveNext);
    // Enter arrives before the target column has reloaded.
    let open = prospect::tui::update::update(&mut h.app, Open);
    h.run(open);
    h.run(pending);
    assert_eq!(h.app.form.as_ref().and_then(|f| f.record.as_ref()).map(|r| r.id), Some(card.id));
}

#[test]
fn a_read_that_meets_a_busy_file_waits_and_says_so() {
    let h = Harness::new(20, Lang::En);
    let mut store = h.other();
    let path = h.dir.path().join("crm.db");
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("BEGIN EXCLUSIVE").unwrap();
        locked_tx.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(800));
        c.execute_batch("COMMIT").unwrap();
    });
    locked_rx.recv().unwrap();
    let mut heard = Vec::new();
    let events = prospect::tui::worker::run_waiting(
        &mut store,
        Lang::En,
        prospect::tui::effect::Effect::LoadBoard { entity: Entity::Lead, pipeline: None },
        std::time::Duration::from_secs(10),
        |ev| heard.push(format!("{ev:?}")),
    );
    holder.join().unwrap();
    assert_eq!(heard, ["Waiting(true)", "Waiting(false)"]);
    assert!(matches!(events.as_slice(), [prospect::tui::effect::StoreEvent::Board { .. }]), "{events:?}");
}

#[test]
fn x_completes_the_cards_next_activity() {
    let mut h = Harness::new(60, Lang::En);
    // A card with an open activity: its marker shows it.
    let col = &h.app.lead_board.columns[0];
    let idx = col.cards.iter().position(|c| c.next_activity.is_some()).expect("a card with an activity");
    for _ in 0..idx {
        h.act(Down);
    }
    let card = h.app.lead_board.focused().unwrap().clone();
    let open_before = h.store.activities(&of_lead(card.id)).unwrap();
    h.act(CompleteActivity);
    let open_after = h.store.activities(&of_lead(card.id)).unwrap();
    assert_eq!(open_after.len() + 1, open_before.len());
    assert!(!open_after.iter().any(|a| a.id == open_before[0].id), "the nearest one was completed");
    // A card without any open activity says so.
    let mut store = h.other();
    let bare = store
        .create(
            Entity::Lead,
            &prospect::store::RecordInput { fields: vec![("title".into(), "Bare".into())], ..Default::default() },
        )
        .unwrap();
    let done = prospect::tui::worker::run(
        &mut h.store,
        Lang::En,
        prospect::tui::effect::Effect::CompleteNext { entity: Entity::Lead, id: bare.id },
    );
    assert!(
        matches!(&done[..], [prospect::tui::effect::StoreEvent::Failed { message, .. }] if message.contains("no open activity"))
    );
}

#[test]
fn bulk_move_to_a_failure_stage_records_the_reason_and_skips_rows_already_there() {
    let mut h = Harness::new(40, Lang::En);
    h.act(Show(Tab::LeadList));
    let rows = h.app.lists[&Entity::Lead].rows.clone();
    let junk = rows.iter().position(|r| r.stage_code.as_deref() == Some("JUNK")).expect("a junk lead");
    let other = rows.iter().position(|r| r.stage_code.as_deref() != Some("JUNK")).unwrap();
    for target in [junk, other] {
        h.act(Top);
        for _ in 0..target {
            h.act(Down);
        }
        h.act(ToggleSelect);
    }
    h.act(BulkMove);
    h.acts(&[Down, Down, Down, Down]); // Junk
    h.act(Submit);
    h.type_text("No budget");
    let before = h.effects_run.len();
    h.act(Submit);
    let asked = &h.effects_run[before..];
    use prospect::tui::effect::Effect;
    assert!(
        asked
            .iter()
            .any(|e| matches!(e, Effect::BulkMove { ids, reason: Some(r), .. } if ids.len() == 2 && r == "No budget")),
        "one bulk move with the reason: {asked:?}"
    );
    assert!(
        !asked.iter().any(|e| matches!(e, Effect::Move { .. })),
        "no single moves that fail on the row already in Junk"
    );
    let (msg, level) = h.app.status.clone().unwrap();
    assert_eq!(level, prospect::tui::app::Level::Info, "{msg}");
    let moved = h.store.get(RecordRef::new(Entity::Lead, rows[other].id)).unwrap();
    assert_eq!(moved.get("stage").map(|s| s.text()), Some("Junk".into()));
    assert_eq!(moved.get("stage_description").map(|s| s.text()), Some("No budget".into()));
}

/// Focuses the first non-repeat lead of the "New" column.
fn focus_first_time_lead(h: &mut Harness) -> i64 {
    for _ in 0..50 {
        let card = h.app.lead_board.focused().cloned().expect("a card");
        if !card.is_repeat {
            return card.id;
        }
        h.act(Down);
    }
    panic!("no first-time lead near the top of the column");
}

#[test]
fn wizard_converts_a_lead_into_deal_contact_and_company() {
    use prospect::tui::app::WizardStep;
    let mut h = Harness::new(60, Lang::En);
    let id = focus_first_time_lead(&mut h);
    let lead = h.store.get(RecordRef::new(Entity::Lead, id)).unwrap();
    h.act(Convert);
    let Overlay::Convert(w) = &h.app.overlay else { panic!("the wizard opens: {:?}", h.app.overlay) };
    assert_eq!(w.step, WizardStep::Targets);
    assert_eq!(w.chosen(), prospect::domain::convert::Targets::DEFAULT, "deal + contact by default");
    h.act(Up); // Deal + Contact + Company
    h.act(Submit);
    let Overlay::Convert(w) = &h.app.overlay else { panic!() };
    assert_eq!(w.step, WizardStep::Matches);
    assert_eq!(w.match_rows(), vec![Entity::Contact, Entity::Company]);
    h.act(Submit);
    let Overlay::Convert(w) = &h.app.overlay else { panic!() };
    assert_eq!(w.step, WizardStep::Fields);
    // The contact's last name is prefilled from the lead; the user changes it.
    h.act(Down);
    for _ in 0..40 {
        h.act(Input(prospect::tui::action::InputKey::Backspace));
    }
    h.type_text("Renamed");
    h.act(Submit);
    let Overlay::Convert(w) = &h.app.overlay else { panic!() };
    assert_eq!(w.step, WizardStep::Summary);
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "closed after converting: {:?}", h.app.overlay);
    let status = h.app.status.clone().unwrap().0;
    assert!(status.contains(&format!("Lead #{id} converted")), "{status}");
    let lead_after = h.store.get(RecordRef::new(Entity::Lead, id)).unwrap();
    assert_eq!(lead_after.stage_semantics, Some(prospect::domain::stage::StageSemantics::Success));
    let linked: Vec<Entity> = lead_after.links.iter().map(|(e, _)| *e).collect();
    assert_eq!(linked, vec![Entity::Contact, Entity::Company, Entity::Deal]);
    let contact_id = lead_after.links[0].1.id;
    let contact = h.store.get(RecordRef::new(Entity::Contact, contact_id)).unwrap();
    assert_eq!(contact.get("last_name").unwrap().text(), "Renamed");
    assert_eq!(contact.get("first_name").unwrap().text(), lead.get("first_name").unwrap().text());
    // The converted card left the New column and sits in Converted.
    let converted = h.app.lead_board.columns.iter().position(|c| c.head.as_ref().unwrap().stage.code == "CONVERTED");
    assert!(h.app.lead_board.columns[0].cards.iter().all(|c| c.id != id));
    assert!(h.app.lead_board.columns[converted.unwrap()].head.as_ref().unwrap().count > 0);
}

#[test]
fn moving_a_lead_to_the_success_stage_opens_the_wizard_and_esc_leaves_it_in_place() {
    let mut h = Harness::new(60, Lang::En);
    // Third column is Processed; its next stage is Converted.
    h.acts(&[Right, Right]);
    let id = h.app.lead_board.focused().unwrap().id;
    h.act(MoveNext);
    assert!(matches!(h.app.overlay, Overlay::Convert(_)), "{:?}", h.app.overlay);
    for _ in 0..4 {
        h.act(Back);
    }
    assert!(matches!(h.app.overlay, Overlay::None));
    let lead = h.store.get(RecordRef::new(Entity::Lead, id)).unwrap();
    assert_eq!(lead.get("stage").unwrap().text(), "Processed", "cancelling the wizard moves nothing");
}

#[test]
fn a_refused_field_sends_the_wizard_back_to_it_and_writes_nothing() {
    use prospect::tui::app::WizardStep;
    let mut h = Harness::new(60, Lang::En);
    let id = focus_first_time_lead(&mut h);
    let before = std::fs::read(h.dir.path().join("crm.db")).unwrap();
    h.act(Convert);
    h.act(Submit); // deal + contact
    h.act(Submit); // create a new contact
    for _ in 0..40 {
        h.act(Input(prospect::tui::action::InputKey::Backspace)); // first name emptied
    }
    h.act(Submit);
    h.act(Submit);
    let Overlay::Convert(w) = &h.app.overlay else { panic!("the wizard stays open: {:?}", h.app.overlay) };
    assert_eq!(w.step, WizardStep::Fields);
    assert!(w.error.as_deref().unwrap_or("").contains("first name"), "{:?}", w.error);
    assert_eq!(std::fs::read(h.dir.path().join("crm.db")).unwrap(), before);
    assert_ne!(
        h.store.get(RecordRef::new(Entity::Lead, id)).unwrap().stage_semantics,
        Some(prospect::domain::stage::StageSemantics::Success)
    );
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
fn merging_selected_contacts_keeps_one_with_the_chosen_values() {
    let mut h = Harness::new(60, Lang::En);
    let count = h.store.count(Entity::Contact).unwrap();
    h.act(Show(Tab::Contacts));
    // Space selects and steps down: rows 0 and 1 selected, then back to row 0 (kept).
    h.acts(&[ToggleSelect, ToggleSelect, Up, Up]);
    let rows = h.app.lists[&Entity::Contact].rows.clone();
    let (keep, other) = (rows[0].id, rows[1].id);
    let other_last = h.store.get(RecordRef::new(Entity::Contact, other)).unwrap().get("last_name").unwrap().text();
    h.act(Merge);
    let Overlay::Merge(m) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert_eq!((m.keep, m.others.clone()), (keep, vec![other]));
    let conflicts = m.preview.as_ref().unwrap().conflicts.clone();
    let last = conflicts.iter().position(|c| c.field == "last_name").expect("demo contacts differ by name");
    for _ in 0..last {
        h.act(Down);
    }
    h.act(Input(prospect::tui::action::InputKey::Char(' ')));
    h.act(Submit);
    assert_eq!(h.store.count(Entity::Contact).unwrap(), count - 1);
    assert_eq!(
        h.store.get(RecordRef::new(Entity::Contact, keep)).unwrap().get("last_name").unwrap().text(),
        other_last
    );
    assert!(h.store.get(RecordRef::new(Entity::Contact, other)).is_err());
    assert!(h.app.lists[&Entity::Contact].rows.iter().all(|r| r.id != other), "the list reloaded");
}

#[test]
fn my_leads_leave_junk_out() {
    let mut h = Harness::new(60, Lang::En);
    h.act(Show(Tab::LeadList));
    h.act(FilterMine);
    let rows = h.app.lists[&Entity::Lead].rows.clone();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.stage_code.as_deref() != Some("JUNK")), "junk is not in my leads");
    let mine_junk = h
        .store
        .list(
            Entity::Lead,
            &ListFilter { stage: Some("JUNK".into()), responsible: Some("alice".into()), ..Default::default() },
        )
        .unwrap();
    assert!(!mine_junk.is_empty(), "the demo gives alice junk leads, so the test can fail");
}

#[test]
fn live_refresh_reloads_only_screens_that_show_what_changed() {
    use prospect::tui::effect::{Effect, StoreEvent};
    use prospect::tui::update::on_store;
    let mut h = Harness::new(30, Lang::En);
    let mut other = h.other();
    let from = h.store.last_change().unwrap();
    // Another user edits a contact: the change log says so, and the lead board stays put.
    let contact = other.list(Entity::Contact, &ListFilter::default()).unwrap()[0].id;
    let input = RecordInput { fields: vec![("comments".into(), "met at the fair".into())], ..Default::default() };
    other.update(RecordRef::new(Entity::Contact, contact), None, &input).unwrap();
    let (last, changed) = h.store.changes_since(from, 500).unwrap();
    assert_eq!(changed.as_deref(), Some(&[RecordRef::new(Entity::Contact, contact)][..]));
    assert!(last > from);
    let effects = on_store(&mut h.app, StoreEvent::Changed(changed));
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadBoard { .. })), "{effects:?}");
    // A lead changed: the lead board reloads.
    let lead = h.app.lead_board.focused().unwrap().id;
    other.comment(RecordRef::new(Entity::Lead, lead), "called").unwrap();
    let (_, changed) = h.store.changes_since(last, 500).unwrap();
    let effects = on_store(&mut h.app, StoreEvent::Changed(changed));
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadBoard { entity: Entity::Lead, .. })), "{effects:?}");
    // The contacts list does reload for the contact.
    h.act(Show(Tab::Contacts));
    let effects = on_store(&mut h.app, StoreEvent::Changed(Some(vec![RecordRef::new(Entity::Contact, contact)])));
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadList { .. })), "{effects:?}");
    // When the log cannot say (trimmed, or a settings change), everything reloads.
    assert_eq!(h.store.changes_since(-5, 500).unwrap().1, None);
    let effects = on_store(&mut h.app, StoreEvent::Changed(None));
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadList { .. })), "{effects:?}");
}

#[test]
fn a_save_that_outwaits_the_busy_limit_says_so_and_keeps_the_edit() {
    use prospect::service::Service;
    use prospect::store::{Clock, OpenOptions};
    let mut h = Harness::new(20, Lang::En);
    let path = h.dir.path().join("crm.db");
    // This user's file gives up after 300 ms.
    let opts = OpenOptions {
        clock: Clock::Fixed(common::tui::NOW),
        busy_limit: std::time::Duration::from_millis(300),
        ..Default::default()
    };
    h.store = Service::open(&path, opts).unwrap();
    h.store.sign_in("alice").unwrap();
    h.act(Open);
    let id = h.app.form.as_ref().unwrap().record.as_ref().unwrap().id;
    h.act(Edit);
    h.type_text(" (edited)");
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    h.act(Submit);
    let Overlay::Prompt(p) = &h.app.overlay else { panic!("the prompt is gone: {:?}", h.app.overlay) };
    assert!(p.input.text.ends_with(" (edited)"), "the edit is kept: {}", p.input.text);
    let err = p.error.clone().unwrap_or_default();
    assert!(err.contains("busy") && err.contains("crm.db") && err.contains("nothing was written"), "{err}");
    holder.execute_batch("COMMIT").unwrap();
    // Once the other user lets go, Enter again saves it.
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    assert!(h.other().get(RecordRef::new(Entity::Lead, id)).unwrap().title.ends_with(" (edited)"));
}

/// A lead's stage code and responsible, read from another connection.
fn stage_and_owner(h: &Harness, id: i64) -> (String, String) {
    let r = h.other().get(RecordRef::new(Entity::Lead, id)).unwrap();
    let code = |k: &str| match r.get(k) {
        Some(prospect::store::records::Shown::Ref(x)) => x.code.clone(),
        _ => String::new(),
    };
    (code("stage"), code("responsible"))
}

#[test]
fn triage_decides_in_one_to_three_keys_and_undoes() {
    let mut h = Harness::new(0, Lang::En);
    let mut ids = Vec::new();
    for i in 0..5 {
        let input = RecordInput { fields: vec![("title".into(), format!("Inbound {i}"))], ..Default::default() };
        ids.push(h.store.create(Entity::Lead, &input).unwrap().id);
    }
    h.act(Show(Tab::LeadBoard));
    h.act(Triage);
    assert_eq!(h.app.screen, Screen::Triage);
    let shown = |h: &Harness| h.app.triage.item.as_ref().map(|i| (i.record.id, i.remaining));
    assert_eq!(shown(&h), Some((ids[0], 5)), "the oldest first, with the count");
    // y: qualified, one key.
    h.act(TriageQualify);
    assert_eq!(stage_and_owner(&h, ids[0]).0, "IN_PROCESS");
    assert_eq!(shown(&h), Some((ids[1], 4)));
    // j, reason, Enter: junked with the reason.
    h.act(TriageJunk);
    h.type_text("spam");
    h.act(Submit);
    assert_eq!(stage_and_owner(&h, ids[1]).0, "JUNK");
    // c, a quick choice, Enter: a call planned; the lead leaves the inbox.
    h.act(PlanActivity);
    assert!(matches!(h.app.overlay, Overlay::Plan(_)));
    h.act(Submit);
    assert_eq!(h.other().activities(&of_lead(ids[2])).unwrap().len(), 1);
    assert_eq!(shown(&h), Some((ids[3], 2)));
    // s: skipped for now.
    h.act(TriageSkip);
    assert_eq!(shown(&h), Some((ids[4], 1)));
    // u, u, u: the skip, the call and the junk are taken back, last first.
    h.act(TriageUndo);
    assert_eq!(shown(&h).map(|s| s.0), Some(ids[3]));
    h.act(TriageUndo);
    assert_eq!(shown(&h).map(|s| s.0), Some(ids[2]));
    assert!(h.other().activities(&of_lead(ids[2])).unwrap().is_empty());
    h.act(TriageUndo);
    assert_eq!(shown(&h).map(|s| s.0), Some(ids[1]));
    assert_eq!(stage_and_owner(&h, ids[1]).0, "NEW");
    // a, pick, Enter: assigned to bruno... who must exist.
    let bruno =
        prospect::store::users::NewUser { login: "bruno".into(), display_name: None, department: None, admin: false };
    h.store.add_user(&bruno).unwrap();
    h.run(vec![prospect::tui::effect::Effect::LoadReference]);
    h.act(BulkAssign);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    let bruno = p.items.iter().position(|(l, _)| l == "bruno").unwrap();
    let cursor = p.cursor;
    for _ in cursor..bruno {
        h.act(Down);
    }
    h.act(Submit);
    assert_eq!(stage_and_owner(&h, ids[1]).1, "bruno");
    assert_ne!(shown(&h).map(|s| s.0), Some(ids[1]), "bruno's lead leaves alice's inbox");
    h.act(TriageUndo);
    assert_eq!(stage_and_owner(&h, ids[1]).1, "alice");
    // Nothing left: the screen says so.
    for _ in 0..10 {
        h.act(TriageSkip);
    }
    assert!(h.app.triage.item.is_none());
}

#[test]
fn a_list_exports_its_filter_or_its_selection_and_t_takes_a_lead() {
    let mut h = Harness::new(60, Lang::En);
    h.act(Show(Tab::LeadList));
    h.act(FilterMine);
    let mine = h
        .store
        .list(
            Entity::Lead,
            &ListFilter { responsible: Some("alice".into()), hide_failed: true, limit: 1000, ..Default::default() },
        )
        .unwrap()
        .len();
    let path = h.dir.path().join("mine.csv");
    h.act(Export);
    let Overlay::Prompt(p) = &h.app.overlay else { panic!() };
    assert!(p.input.text.ends_with(".csv"), "a default path: {}", p.input.text);
    for _ in 0..p.input.text.chars().count() {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text(path.to_str().unwrap());
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), mine + 1, "the filtered rows and a header");
    assert!(h.app.status.as_ref().unwrap().0.contains(&format!("{mine} records written")));
    // Two selected rows: those two only.
    h.act(ToggleSelect);
    h.act(ToggleSelect);
    h.act(Export);
    let sel = h.dir.path().join("two.csv");
    if let Overlay::Prompt(p) = &mut h.app.overlay {
        p.input = prospect::tui::app::TextInput::with(sel.to_str().unwrap());
    }
    // A 0600 file's export is 0600 (issue 21).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let db = h.dir.path().join("crm.db");
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    h.act(Submit);
    assert_eq!(std::fs::read_to_string(&sel).unwrap().lines().count(), 3);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&sel).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the interface's export of a 0600 file");
    }
    // `t` on the board takes an unassigned lead; a taken one says who has it.
    let input = RecordInput { fields: vec![("title".into(), "Nobody's".into())], ..Default::default() };
    let id = h.store.create(Entity::Lead, &input).unwrap().id;
    rusqlite::Connection::open(h.dir.path().join("crm.db"))
        .unwrap()
        .execute("UPDATE leads SET responsible_id = NULL WHERE id = ?1", [id])
        .unwrap();
    h.act(Show(Tab::LeadBoard));
    assert_eq!(h.app.lead_board.focused().unwrap().id, id);
    h.act(Take);
    assert_eq!(stage_and_owner(&h, id).1, "alice");
    h.act(Take);
    assert!(h.app.status.as_ref().unwrap().0.contains("already taken by alice"), "{:?}", h.app.status);
}

#[test]
fn the_import_wizard_reads_maps_and_imports() {
    use prospect::domain::import::Target;
    let mut h = Harness::new(0, Lang::En);
    let file = h.dir.path().join("in.csv");
    std::fs::write(
        &file,
        "Prénom;Nom;Téléphone;Couleur\nJean;Dupont;06 12 34 56 78;bleu\nAnn;Lee;06 98 76 54 32;vert\n",
    )
    .unwrap();
    h.act(Show(Tab::LeadList));
    h.act(Import);
    h.type_text(file.to_str().unwrap());
    h.act(Submit);
    let Overlay::Import(w) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    let p = w.preview.as_ref().expect("the file was read");
    assert_eq!((p.encoding.as_str(), p.separator.as_str(), p.rows), ("UTF-8", ";", 2));
    assert_eq!(p.targets[3], Target::Ignore, "an unknown column is left out");
    // Map "Couleur" to the comments by hand: Space cycles forward, h back.
    for _ in 0..3 {
        h.act(Down);
    }
    let choices = prospect::domain::import::targets_for(Entity::Lead);
    let comments = choices.iter().position(|t| *t == Target::Field("comments")).unwrap();
    for _ in 0..comments {
        h.act(Input(InputKey::Char(' ')));
    }
    h.act(Input(InputKey::Char(' ')));
    h.act(Input(InputKey::Char('h')));
    let Overlay::Import(w) = &h.app.overlay else { panic!() };
    assert_eq!(w.preview.as_ref().unwrap().targets[3], Target::Field("comments"));
    // r: a dry run reports and writes nothing; Enter goes back to the mapping.
    h.act(Input(InputKey::Char('r')));
    let Overlay::Import(w) = &h.app.overlay else { panic!() };
    assert!(w.result.as_deref().unwrap_or("").contains("nothing written"), "{:?}", w.result);
    assert!(h.store.list(Entity::Lead, &ListFilter::default()).unwrap().is_empty());
    h.act(Submit);
    let Overlay::Import(w) = &h.app.overlay else { panic!() };
    assert!(w.result.is_none() && w.preview.is_some());
    h.act(Submit);
    let Overlay::Import(w) = &h.app.overlay else { panic!() };
    let summary = w.result.clone().expect("a summary");
    assert!(summary.contains("2 created") && summary.contains("0 rejected"), "{summary}");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None));
    assert_eq!(h.app.lists[&Entity::Lead].rows.len(), 2, "the list shows them");
    let jean = h.store.list(Entity::Lead, &ListFilter { search: Some("Jean".into()), ..Default::default() }).unwrap();
    assert_eq!(h.store.get(RecordRef::new(Entity::Lead, jean[0].id)).unwrap().get("comments").unwrap().text(), "bleu");
    // A file that cannot be read says so in the wizard, and Esc leaves.
    h.act(Import);
    h.type_text("/nowhere/x.csv");
    h.act(Submit);
    let Overlay::Import(w) = &h.app.overlay else { panic!() };
    assert!(w.error.as_deref().unwrap_or("").contains("/nowhere/x.csv"), "{:?}", w.error);
    h.act(Back);
    assert!(matches!(h.app.overlay, Overlay::None));
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

/// A far date typed in the plan form is refused inside the form, with the accepted years:
/// `+99999999d` crashed the session.
#[test]
fn a_far_date_in_the_plan_form_is_refused_not_a_crash() {
    let mut h = Harness::new(3, Lang::En);
    h.act(PlanActivity);
    h.act(Down);
    h.act(Down);
    for far in ["+99999999d", "+999999999999h", "+3000000d"] {
        h.type_text(far);
        h.act(Submit);
        match &h.app.overlay {
            Overlay::Plan(f) => {
                let e = f.error.as_deref().unwrap_or("");
                assert!(e.contains("outside the accepted dates (years 1900 to 2200)"), "{far}: {e}");
            }
            other => panic!("{far}: {other:?}"),
        }
        for _ in 0..far.len() {
            h.act(prospect::tui::action::Action::Input(InputKey::Backspace));
        }
    }
}

/// Review of issue 21: a bulk move counted a record already in the stage as moved, and
/// swallowed every refusal (a deactivated user's move said "0 done" and nothing else).
#[test]
fn a_bulk_move_counts_only_real_moves_and_says_each_refusal() {
    let mut h = Harness::new(0, Lang::En);
    for title in ["Stays", "Goes"] {
        let input = RecordInput { fields: vec![("title".into(), title.into())], ..Default::default() };
        h.store.create(Entity::Lead, &input).unwrap();
    }
    h.store.move_stage(RecordRef::new(Entity::Lead, 1), "In progress", None, None).unwrap();
    h.act(Show(Tab::LeadList));
    h.act(Top);
    h.act(ToggleSelect);
    h.act(Down);
    h.act(ToggleSelect);
    h.act(BulkMove);
    h.act(Down); // In progress
    h.act(Submit);
    let (msg, _) = h.app.status.clone().unwrap();
    assert!(msg.contains("1 record done."), "one moved, one already there: {msg}");
    assert_eq!(
        h.store.get(RecordRef::new(Entity::Lead, 2)).unwrap().get("stage").map(|s| s.text()),
        Some("In progress".into())
    );
}

/// The filter of one lead's activities.
fn of_lead(id: i64) -> prospect::store::activities::ActivityFilter {
    prospect::store::activities::ActivityFilter { record: Some(RecordRef::new(Entity::Lead, id)), ..Default::default() }
}
