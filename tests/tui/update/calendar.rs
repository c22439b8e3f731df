//! The calendar: navigation, the day's list and its pages, done, reschedule, delete.

use super::*;

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
    h.act(Down); // when
    h.act(Down); // date
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

/// Issue 23: the activity edit form starts on the same row as the new-activity form, says
/// why Enter on a bad value is refused, and warns (still saving) when a changed deadline is
/// already past; an unchanged past deadline says nothing.
#[test]
fn the_activity_edit_form_refuses_with_a_message_and_warns_of_a_past_time() {
    let mut h = Harness::new(0, Lang::En);
    let mut store = h.other();
    let lead = calendar_lead(&mut store, "Cal");
    h.act(Show(Tab::Calendar));
    h.act(Open);
    let id = plan_call(&mut store, lead, "Ring", common::tui::NOW + 3_600_000, 30);
    h.act(Show(Tab::Calendar));
    h.act(Edit);
    let plan_row = |h: &Harness| match &h.app.overlay {
        Overlay::Plan(f) => f.row,
        other => panic!("{other:?}"),
    };
    assert_eq!(plan_row(&h), 0, "the same first row as a new activity's form");
    h.act(Down);
    h.act(Down);
    for _ in 0..30 {
        h.act(prospect::tui::action::Action::Input(prospect::tui::action::InputKey::Backspace));
    }
    h.type_text("someday");
    h.act(Submit);
    match &h.app.overlay {
        Overlay::Plan(f) => assert!(f.error.as_deref().unwrap_or("").contains("someday"), "{:?}", f.error),
        other => panic!("the form stays, saying why: {other:?}"),
    }
    for _ in 0..7 {
        h.act(prospect::tui::action::Action::Input(prospect::tui::action::InputKey::Backspace));
    }
    // Yesterday, with a bad reminder: refused with the reminder's message.
    h.type_text("2026-11-22 10:00");
    for _ in 0..5 {
        h.act(Down);
    }
    h.type_text("soon");
    h.act(Submit);
    match &h.app.overlay {
        Overlay::Plan(f) => assert!(f.error.as_deref().unwrap_or("").contains("soon"), "{:?}", f.error),
        other => panic!("the form stays, saying why: {other:?}"),
    }
    for _ in 0..4 {
        h.act(prospect::tui::action::Action::Input(prospect::tui::action::InputKey::Backspace));
    }
    // Yesterday: saved, with a warning.
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    assert_eq!(prospect::domain::when::rfc3339(h.store.activity(id).unwrap().deadline), "2026-11-22T10:00:00Z");
    let (msg, level) = h.app.status.clone().unwrap();
    assert_eq!(level, prospect::tui::app::Level::Warning, "{msg}");
    assert!(msg.contains("already past"), "{msg}");
    // Its subject changed, its past deadline not: no warning.
    h.act(Today);
    h.act(Left);
    h.act(Edit);
    for _ in 0..3 {
        h.act(Down);
    }
    h.type_text(" again");
    h.act(Submit);
    assert_eq!(h.store.activity(id).unwrap().subject, "Ring again");
    let (msg, level) = h.app.status.clone().unwrap();
    assert_eq!(level, prospect::tui::app::Level::Info, "{msg}");
}

/// Issue 23: planning at a time already past warns in the status bar and still plans.
#[test]
fn planning_in_the_past_warns_and_plans() {
    let mut h = Harness::new(5, Lang::Fr);
    h.act(Open);
    h.act(PlanActivity);
    h.act(Down);
    h.act(Down);
    h.type_text("hier 10h");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let form = h.app.form.as_ref().unwrap();
    assert_eq!(form.timeline[0].kind, prospect::domain::timeline::TimelineKind::ActivityPlanned);
    let (msg, level) = h.app.status.clone().unwrap();
    assert_eq!(level, prospect::tui::app::Level::Warning, "{msg}");
    assert!(msg.contains("déjà passé"), "{msg}");
}

/// SPEC V4: `f` picks a date field; the grid counts the records falling on each day by it,
/// the day's agenda lists them after its activities, and Enter opens one.
#[test]
fn the_calendar_shows_records_by_a_date_field_picked_with_f() {
    let mut h = Harness::new(0, Lang::En);
    let mut store = h.other();
    let today = prospect::domain::when::from_ms(common::tui::NOW).with_timezone(&chrono::Local).date_naive();
    let deal = |store: &mut prospect::service::Service, title: &str, close: chrono::NaiveDate| {
        let fields = vec![("title".into(), title.into()), ("close_date".into(), close.to_string())];
        store.create(Entity::Deal, &RecordInput { fields, ..Default::default() }).unwrap().id
    };
    let zeta = deal(&mut store, "Zeta renewal", today);
    let alpha = deal(&mut store, "Alpha upsell", today);
    deal(&mut store, "Tomorrow's", today + chrono::Duration::days(1));
    let lead = calendar_lead(&mut store, "Called");
    plan_call(&mut store, lead, "Morning call", common::tui::NOW + 60_000, 15);
    h.act(Show(Tab::Calendar));
    assert!(h.app.calendar.dated.is_empty(), "activities only at first");
    h.act(CalendarBy);
    let at = match &h.app.overlay {
        Overlay::Picker(p) => p.items.iter().position(|(_, label)| label == "Deal · Close date").unwrap(),
        other => panic!("date fields to pick: {other:?}"),
    };
    for _ in 0..at {
        h.act(Down);
    }
    h.act(Submit);
    let cal = &h.app.calendar;
    assert_eq!(cal.by.as_ref().map(|b| b.name()).as_deref(), Some("deal:close_date"));
    assert_eq!(cal.dated_counts.get(&today), Some(&2));
    assert_eq!(cal.dated_counts.get(&(today + chrono::Duration::days(1))), Some(&1));
    let titles: Vec<&str> = cal.dated.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Alpha upsell", "Zeta renewal"], "by title, after the day's activity");
    // The cursor goes past the day's activity to the records; Enter opens the deal.
    assert_eq!(cal.day_activities().len(), 1);
    h.act(PageDown);
    h.act(Open);
    assert_eq!(h.app.screen, Screen::Form);
    let opened = h.app.form.as_ref().and_then(|f| f.record.as_ref().map(|r| (f.entity, r.id)));
    assert_eq!(opened, Some((Entity::Deal, alpha)));
    let _ = zeta;
    // Back to activities only (the picker starts on the field shown): the records go.
    h.act(Show(Tab::Calendar));
    h.act(CalendarBy);
    for _ in 0..at {
        h.act(Up);
    }
    h.act(Submit);
    assert!(h.app.calendar.by.is_none() && h.app.calendar.dated_counts.is_empty());
}
