//! Activities (SPEC A1-A2): plan, complete, reschedule, delete, and the overdue / today /
//! incoming buckets as the status bar counts them.

use crate::{HOUR, NOW, TestEngine, create};
use prospect::domain::activity::{ActivityKind, Priority};
use prospect::domain::fields::Entity;
use prospect::store::RecordRef;
use prospect::store::activities::{ActivityChange, ActivityDetails, ActivityFilter, Counters, NewActivity};

/// Midnight after `NOW` (UTC): where "today" ends.
const TOMORROW: i64 = NOW + 15 * HOUR;

fn call(on: RecordRef, subject: &str, deadline: i64) -> NewActivity {
    NewActivity {
        kind: ActivityKind::Call,
        subject: subject.into(),
        deadline,
        duration_minutes: Some(30),
        priority: Priority::High,
        responsible_id: None,
        completed: false,
        bindings: vec![on],
    }
}

/// The counts alone (`holds_until` has its own case).
fn counters(eng: &crate::TestEngine) -> Counters {
    Counters { holds_until: 0, ..eng.counters(eng.user().unwrap().id, NOW, TOMORROW).unwrap() }
}

pub fn activities_are_planned_completed_rescheduled_and_deleted_in_their_buckets(mut eng: TestEngine) {
    let lead = create(&mut eng, Entity::Lead, &[("title", "Busy lead")], &[]).id;
    let none = ActivityDetails::default();
    let late = eng.plan_activity(call(RecordRef::new(Entity::Lead, lead), "Late", NOW - 2 * HOUR), &none).unwrap();
    let today = eng.plan_activity(call(RecordRef::new(Entity::Lead, lead), "Today", NOW + 2 * HOUR), &none).unwrap();
    let later = eng.plan_activity(call(RecordRef::new(Entity::Lead, lead), "Later", NOW + 48 * HOUR), &none).unwrap();
    assert_eq!(counters(&eng), Counters { overdue: 1, today: 1, incoming: 1, holds_until: 0 });

    let row = eng.activity(today).unwrap();
    assert_eq!((row.subject.as_str(), row.deadline, row.completed), ("Today", NOW + 2 * HOUR, false));
    assert_eq!(row.end_at, Some(NOW + 2 * HOUR + 30 * 60_000), "a call lasts its duration");
    assert_eq!(row.responsible.as_deref(), Some("alice"), "the planner by default");
    assert_eq!(row.record(), Some(RecordRef::new(Entity::Lead, lead)));
    assert_eq!(eng.get(RecordRef::new(Entity::Lead, lead)).unwrap().next_activity_at, Some(NOW - 2 * HOUR));

    eng.complete_activity(late).unwrap();
    assert!(eng.activity(late).unwrap().completed);
    assert_eq!(counters(&eng), Counters { overdue: 0, today: 1, incoming: 1, holds_until: 0 });
    assert_eq!(
        eng.get(RecordRef::new(Entity::Lead, lead)).unwrap().next_activity_at,
        Some(NOW + 2 * HOUR),
        "the nearest open one"
    );

    // Rescheduled from later to overdue; a call keeps its length.
    eng.update_activity(later, &ActivityChange { deadline: Some(NOW - HOUR), ..Default::default() }).unwrap();
    assert_eq!(counters(&eng), Counters { overdue: 1, today: 1, incoming: 0, holds_until: 0 });
    let moved = eng.activity(later).unwrap();
    assert_eq!((moved.deadline, moved.end_at), (NOW - HOUR, Some(NOW - HOUR + 30 * 60_000)));

    eng.delete_activity(today).unwrap();
    assert!(eng.activity(today).is_err());
    assert_eq!(counters(&eng), Counters { overdue: 1, today: 0, incoming: 0, holds_until: 0 });

    let open = eng
        .activities(&ActivityFilter { record: Some(RecordRef::new(Entity::Lead, lead)), ..Default::default() })
        .unwrap();
    assert_eq!(open.iter().map(|a| a.id).collect::<Vec<_>>(), vec![later]);
    let all =
        ActivityFilter { record: Some(RecordRef::new(Entity::Lead, lead)), include_done: true, ..Default::default() };
    assert_eq!(eng.activities(&all).unwrap().len(), 2);
}

/// The counters hold until the next open deadline of today passes (an activity then turns
/// overdue), or until tomorrow starts when none is left today: a screen switch before then
/// need not ask for them again.
pub fn the_counters_say_until_when_the_clock_leaves_them_as_they_are(mut eng: TestEngine) {
    let me = eng.user().unwrap().id;
    assert_eq!(eng.counters(me, NOW, TOMORROW).unwrap().holds_until, TOMORROW, "no activity at all");
    let lead = create(&mut eng, Entity::Lead, &[("title", "Busy lead")], &[]).id;
    let on = RecordRef::new(Entity::Lead, lead);
    let none = ActivityDetails::default();
    eng.plan_activity(call(on, "Late", NOW - 2 * HOUR), &none).unwrap();
    eng.plan_activity(call(on, "Later", NOW + 48 * HOUR), &none).unwrap();
    assert_eq!(eng.counters(me, NOW, TOMORROW).unwrap().holds_until, TOMORROW, "none due later today");
    let soon = eng.plan_activity(call(on, "Soon", NOW + 3 * HOUR), &none).unwrap();
    eng.plan_activity(call(on, "Sooner", NOW + HOUR), &none).unwrap();
    let c = eng.counters(me, NOW, TOMORROW).unwrap();
    assert_eq!((c.overdue, c.today, c.incoming, c.holds_until), (1, 2, 1, NOW + HOUR));
    // A done one no longer turns overdue.
    let sooner = eng.activities(&ActivityFilter::default()).unwrap().into_iter().find(|a| a.subject == "Sooner");
    eng.complete_activity(sooner.unwrap().id).unwrap();
    assert_eq!(eng.counters(me, NOW, TOMORROW).unwrap().holds_until, NOW + 3 * HOUR);
    eng.complete_activity(soon).unwrap();
    assert_eq!(eng.counters(me, NOW, TOMORROW).unwrap().holds_until, TOMORROW);
}

pub fn a_final_stage_completes_the_open_activities(mut eng: TestEngine) {
    let deal = create(&mut eng, Entity::Deal, &[("title", "Closing")], &[]).id;
    let none = ActivityDetails::default();
    eng.plan_activity(call(RecordRef::new(Entity::Deal, deal), "One", NOW + HOUR), &none).unwrap();
    eng.plan_activity(call(RecordRef::new(Entity::Deal, deal), "Two", NOW + 72 * HOUR), &none).unwrap();
    assert_eq!(counters(&eng), Counters { overdue: 0, today: 1, incoming: 1, holds_until: 0 });
    let moved = eng.move_stage(RecordRef::new(Entity::Deal, deal), "WON", None, None).unwrap();
    assert_eq!(moved.completed_activities, 2);
    assert_eq!(counters(&eng), Counters::default());
    assert_eq!(eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().next_activity_at, None);
}

pub fn an_activity_needs_an_existing_record_and_counts_only_its_responsible(mut eng: TestEngine) {
    let none = ActivityDetails::default();
    assert!(eng.plan_activity(call(RecordRef::new(Entity::Lead, 42), "Nobody", NOW), &none).is_err());
    let mut no_record = call(RecordRef::new(Entity::Lead, 42), "Nowhere", NOW);
    no_record.bindings.clear();
    assert!(eng.plan_activity(no_record, &none).is_err());

    let bob = eng.session("bob");
    let lead = create(&mut eng, Entity::Lead, &[("title", "Shared")], &[]).id;
    let mut for_bob = call(RecordRef::new(Entity::Lead, lead), "Bob's call", NOW + HOUR);
    for_bob.responsible_id = Some(bob.user().unwrap().id);
    eng.plan_activity(for_bob, &none).unwrap();
    assert_eq!(counters(&eng), Counters::default(), "not alice's");
    assert_eq!(counters(&bob), Counters { overdue: 0, today: 1, incoming: 0, holds_until: 0 });
}

/// The activities board's bucket bounds at `NOW`: `[now, tomorrow, next week, week after]`
/// (Monday 2026-11-23: next week starts Monday 30th, the week after Monday 7th).
const BOUNDS: [i64; 4] = [NOW, TOMORROW, TOMORROW + 6 * 24 * HOUR, TOMORROW + 13 * 24 * HOUR];

pub fn the_activities_board_counts_each_record_by_its_nearest_open_activity(mut eng: TestEngine) {
    let none = ActivityDetails::default();
    let lead_due = |eng: &mut TestEngine, title: &str, deadlines: &[i64]| {
        let lead = create(eng, Entity::Lead, &[("title", title)], &[]).id;
        let ids: Vec<i64> = deadlines
            .iter()
            .map(|d| eng.plan_activity(call(RecordRef::new(Entity::Lead, lead), title, *d), &none).unwrap())
            .collect();
        (lead, ids)
    };
    // Overdue, and later too: it counts once, by the nearest.
    let (_, overdue) = lead_due(&mut eng, "Overdue", &[NOW - HOUR, NOW + 30 * 24 * HOUR]);
    let (_, today) = lead_due(&mut eng, "Today", &[NOW + 2 * HOUR]);
    let (_, this_week) = lead_due(&mut eng, "This week", &[NOW + 3 * 24 * HOUR]);
    lead_due(&mut eng, "Next week", &[NOW + 9 * 24 * HOUR]);
    lead_due(&mut eng, "Later", &[NOW + 30 * 24 * HOUR]);
    lead_due(&mut eng, "Nothing", &[]);
    lead_due(&mut eng, "Nothing either", &[]);
    // A lead in a final stage is on no column, whatever it had planned.
    let (junk, _) = lead_due(&mut eng, "Junk", &[NOW - HOUR]);
    eng.move_stage(RecordRef::new(Entity::Lead, junk), "JUNK", None, None).unwrap();
    let (closed, _) = lead_due(&mut eng, "Closed", &[]);
    eng.move_stage(RecordRef::new(Entity::Lead, closed), "CONVERTED", None, None).unwrap();

    let board = |eng: &TestEngine| eng.activity_board_counts(Entity::Lead, BOUNDS).unwrap();
    assert_eq!(board(&eng), [1, 1, 1, 1, 1, 2]);
    assert_eq!(eng.activity_board_counts(Entity::Deal, BOUNDS).unwrap(), [0; 6], "deals apart");

    // Each column is the list of the same range (what the board shows under it).
    let list_of = |from: Option<i64>, to: Option<i64>| prospect::store::ListFilter {
        next_activity: Some(prospect::store::records::NextActivity::Between(from, to)),
        open_stages_only: true,
        ..Default::default()
    };
    let today_list = eng.list(Entity::Lead, &list_of(Some(NOW), Some(TOMORROW))).unwrap();
    assert_eq!(today_list.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), vec!["Today"]);

    // Completing the overdue one puts its record under its next activity (later).
    eng.complete_activity(overdue[0]).unwrap();
    assert_eq!(board(&eng), [0, 1, 1, 1, 2, 2]);
    // Rescheduled into the past: overdue.
    eng.update_activity(today[0], &ActivityChange { deadline: Some(NOW - 3 * HOUR), ..Default::default() }).unwrap();
    assert_eq!(board(&eng), [1, 0, 1, 1, 2, 2]);
    // Deleted: nothing planned.
    eng.delete_activity(this_week[0]).unwrap();
    assert_eq!(board(&eng), [1, 0, 0, 1, 2, 3]);
    // The same day-bounds seen from the next day: today's bucket is tomorrow's.
    let later = [TOMORROW, TOMORROW + 24 * HOUR, BOUNDS[2], BOUNDS[3]];
    let (_, tomorrow) = lead_due(&mut eng, "Tomorrow", &[TOMORROW + 2 * HOUR]);
    assert_eq!(eng.activity_board_counts(Entity::Lead, later).unwrap()[1], 1);
    assert_eq!(board(&eng), [1, 0, 1, 1, 2, 3], "tomorrow is in this week's column today");
    assert_eq!(counters(&eng), Counters { overdue: 1, today: 0, incoming: 4, holds_until: 0 });
    eng.complete_activity(tomorrow[0]).unwrap();
    assert_eq!(board(&eng), [1, 0, 0, 1, 2, 4]);
}

pub fn a_refused_move_to_a_final_stage_leaves_the_activities_open(mut eng: TestEngine) {
    let mut bob = eng.session("bob");
    let deal = create(&mut eng, Entity::Deal, &[("title", "Not yet")], &[]).id;
    let none = ActivityDetails::default();
    let call = eng.plan_activity(call(RecordRef::new(Entity::Deal, deal), "Follow up", NOW + HOUR), &none).unwrap();
    bob.update(RecordRef::new(Entity::Deal, deal), None, &crate::input(&[("comments", "bob")])).unwrap();
    let mark = eng.last_change().unwrap();

    // A stale version, then a reason on a success stage: both refused before anything moves.
    let e = eng.move_stage(RecordRef::new(Entity::Deal, deal), "WON", None, Some(1)).unwrap_err();
    assert!(matches!(e, prospect::store::StoreError::Conflict { .. }), "{e:?}");
    let e = eng.move_stage(RecordRef::new(Entity::Deal, deal), "WON", Some("because"), None).unwrap_err();
    assert!(matches!(e, prospect::store::StoreError::Field(_)), "{e:?}");
    assert!(!eng.activity(call).unwrap().completed, "still open");
    assert_eq!(counters(&eng), Counters { overdue: 0, today: 1, incoming: 0, holds_until: 0 });
    assert_eq!(eng.get(RecordRef::new(Entity::Deal, deal)).unwrap().next_activity_at, Some(NOW + HOUR));
    assert_eq!(eng.last_change().unwrap(), mark, "nothing logged");

    // A failure stage completes them too, and keeps the reason.
    let moved = eng.move_stage(RecordRef::new(Entity::Deal, deal), "LOSE", Some("budget"), Some(2)).unwrap();
    assert_eq!(moved.completed_activities, 1);
    assert!(eng.activity(call).unwrap().completed);
    assert_eq!(counters(&eng), Counters::default());
}

fn entry(uid: &str, subject: &str, deadline: i64, emails: &[&str]) -> prospect::domain::calendar_in::CalendarEntry {
    prospect::domain::calendar_in::CalendarEntry {
        line: 2,
        uid: uid.into(),
        kind: ActivityKind::Meeting,
        subject: subject.into(),
        description: Some("Agenda".into()),
        location: None,
        deadline,
        duration_minutes: Some(45),
        priority: Priority::Medium,
        completed: false,
        emails: emails.iter().map(|e| e.to_string()).collect(),
        recurring: false,
        reminder_minutes: None,
    }
}

pub fn a_calendar_import_binds_by_email_and_updates_by_uid(mut eng: TestEngine) {
    use prospect::domain::calendar_in::CalendarOutcome::{Created, NotImported, Updated};
    let contact =
        create(&mut eng, Entity::Contact, &[("first_name", "Jean"), ("last_name", "Dupont")], &["jean@acme.fr"]).id;
    let lead = create(&mut eng, Entity::Lead, &[("title", "Acme")], &["Jean@Acme.fr"]).id;
    let planned = eng
        .plan_activity(call(RecordRef::new(Entity::Lead, lead), "Planned here", NOW), &ActivityDetails::default())
        .unwrap();
    let outcomes = |r: &prospect::domain::calendar_in::CalendarReport| -> Vec<_> {
        r.items.iter().map(|i| (i.outcome.clone(), i.id, i.records.clone())).collect()
    };
    let entries = || {
        vec![
            Ok(entry("a@cal", "Demo", NOW + HOUR, &["jean@acme.fr"])),
            Ok(entry("b@cal", "Nobody", NOW + HOUR, &["who@else.org"])),
        ]
    };
    // A dry run says what would happen and keeps nothing.
    let dry = eng.import_calendar(entries(), &[], true).unwrap();
    assert_eq!((dry.created, dry.updated, dry.not_imported), (1, 0, 1));
    assert_eq!(eng.activities(&ActivityFilter { include_done: true, ..Default::default() }).unwrap().len(), 1);

    let first = eng.import_calendar(entries(), &[], false).unwrap();
    let both = vec![format!("contact #{contact}"), format!("lead #{lead}")];
    let made = first.items[0].id.unwrap();
    assert_eq!(outcomes(&first), vec![(Created, Some(made), both.clone()), (NotImported, None, vec![])]);
    let row = eng.activity(made).unwrap();
    assert_eq!((row.subject.as_str(), row.deadline, row.end_at), ("Demo", NOW + HOUR, Some(NOW + HOUR + 45 * 60_000)));
    assert_eq!(row.bindings.len(), 2);

    // The same UID again updates it; a record named by the caller binds the other one.
    let mut again = entries();
    again[0] = Ok(entry("a@cal", "Demo, moved", NOW + 2 * HOUR, &["jean@acme.fr"]));
    let company = create(&mut eng, Entity::Company, &[("title", "Acme")], &[]).id;
    let second = eng.import_calendar(again, &[RecordRef::new(Entity::Company, company)], false).unwrap();
    assert_eq!((second.created, second.updated, second.not_imported), (1, 1, 0));
    assert_eq!(second.items[0].id, Some(made));
    let row = eng.activity(made).unwrap();
    assert_eq!((row.subject.as_str(), row.deadline), ("Demo, moved", NOW + 2 * HOUR));
    assert_eq!(row.bindings.len(), 3, "the company is added to the records it had");

    // The file's own export names an activity by its id: it is updated, not doubled.
    let own = prospect::domain::activity::uid_of(planned, &format!("{}.prospect", eng.file_id().unwrap()));
    let third = eng.import_calendar(vec![Ok(entry(&own, "Planned, renamed", NOW, &[]))], &[], false).unwrap();
    assert_eq!(outcomes(&third), vec![(Updated, Some(planned), vec![])]);
    assert_eq!(eng.activity(planned).unwrap().subject, "Planned, renamed");
    assert_eq!(eng.activities(&ActivityFilter { include_done: true, ..Default::default() }).unwrap().len(), 3);

    // A record that does not exist refuses the whole import.
    let missing = eng.import_calendar(entries(), &[RecordRef::new(Entity::Deal, 999)], false);
    assert!(missing.is_err());
    assert_eq!(eng.activity(made).unwrap().subject, "Demo, moved");
}

/// The calendar's month (activities per day) and week grid (per hour: how many, one
/// overdue, the only one's time and subject) count a user's activities, done ones included.
pub fn the_calendar_counts_a_users_activities_per_day_and_hour(mut eng: TestEngine) {
    use prospect::store::activities::ActivitySlot;
    let lead = RecordRef::new(Entity::Lead, create(&mut eng, Entity::Lead, &[("title", "Planned")], &[]).id);
    let none = ActivityDetails::default();
    let plan = |eng: &mut TestEngine, subject: &str, at: i64, done: bool, who: Option<i64>| {
        let a = NewActivity { completed: done, responsible_id: who, ..call(lead, subject, at) };
        eng.plan_activity(a, &none).unwrap()
    };
    plan(&mut eng, "Done early", NOW - 3 * HOUR + 5 * 60_000, true, None);
    plan(&mut eng, "Late", NOW - 2 * HOUR + 10 * 60_000, false, None);
    let finished = plan(&mut eng, "Finished", NOW - 2 * HOUR + 20 * 60_000, false, None);
    eng.complete_activity(finished).unwrap();
    plan(&mut eng, "Soon", NOW + 30 * 60_000, false, None);
    plan(&mut eng, "Tomorrow", NOW + 20 * HOUR, false, None);
    eng.session("bob");
    let bob = eng.user_id_of("bob").unwrap();
    plan(&mut eng, "Bob's", NOW + HOUR + 60_000, false, Some(bob));
    let me = eng.user().unwrap().id;

    let hours = [
        (NOW - 3 * HOUR, NOW - 2 * HOUR),
        (NOW - 2 * HOUR, NOW - HOUR),
        (NOW - HOUR, NOW + HOUR),
        (NOW + HOUR, NOW + 2 * HOUR),
    ];
    let slot = |count, overdue, only: Option<(i64, &str)>| ActivitySlot {
        count,
        overdue,
        only: only.map(|(at, s)| (at, s.to_string())),
    };
    assert_eq!(
        eng.activity_slots(me, &hours, NOW).unwrap(),
        vec![
            slot(1, false, Some((NOW - 3 * HOUR + 5 * 60_000, "Done early"))),
            slot(2, true, None),
            slot(1, false, Some((NOW + 30 * 60_000, "Soon"))),
            slot(0, false, None),
        ]
    );
    assert_eq!(
        eng.activity_slots(bob, &hours[3..], NOW).unwrap(),
        vec![slot(1, false, Some((NOW + HOUR + 60_000, "Bob's")))]
    );

    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let days = [
        (day(1), NOW - 48 * HOUR, NOW - 3 * HOUR),
        (day(2), NOW - 3 * HOUR, NOW + 2 * HOUR),
        (day(3), NOW + 2 * HOUR, NOW + 24 * HOUR),
    ];
    assert_eq!(eng.activity_day_counts(me, &days).unwrap(), vec![(day(2), 4), (day(3), 1)], "empty days left out");
    assert_eq!(eng.activity_day_counts(bob, &days).unwrap(), vec![(day(2), 1)]);
}

/// Issue 30 (SPEC A1): an activity's reminder is due from its offset before the deadline
/// until the deadline; it is given once to its responsible, whichever of two open screens
/// asks first; another user gets none of it; a new deadline makes it due again.
pub fn a_reminder_is_given_once_to_its_responsible(mut eng: TestEngine) {
    let lead = create(&mut eng, Entity::Lead, &[("title", "Fours")], &[]).id;
    let mut bob = eng.session("bob");
    let plan = |eng: &mut TestEngine, subject: &str, deadline: i64| {
        let a = NewActivity {
            kind: ActivityKind::Call,
            subject: subject.into(),
            deadline,
            duration_minutes: None,
            priority: Priority::Medium,
            responsible_id: None,
            completed: false,
            bindings: vec![RecordRef::new(Entity::Lead, lead)],
        };
        eng.plan_activity(a, &ActivityDetails { reminder_minutes: Some(60), ..Default::default() }).unwrap()
    };
    let soon = plan(&mut eng, "Soon", NOW + 30 * 60_000);
    plan(&mut eng, "Later", NOW + 5 * HOUR);
    plan(&mut eng, "Gone by", NOW - 60_000);
    let subjects =
        |due: Vec<prospect::domain::activity::ActivityRow>| due.into_iter().map(|a| a.subject).collect::<Vec<_>>();
    // Two screens of alice's: one gets it, the other nothing; bob gets none of hers.
    let mut second = eng.at(NOW);
    assert!(subjects(bob.take_due_reminders().unwrap()).is_empty());
    assert_eq!(subjects(eng.take_due_reminders().unwrap()), ["Soon"]);
    assert!(second.take_due_reminders().unwrap().is_empty(), "given once");
    // Later, "Later" comes due; "Soon" moved to then comes due again.
    let mut later = eng.at(NOW + 4 * HOUR + 1);
    let change = ActivityChange { deadline: Some(NOW + 4 * HOUR + 30 * 60_000), ..Default::default() };
    later.update_activity(soon, &change).unwrap();
    let mut due = subjects(later.take_due_reminders().unwrap());
    due.sort();
    assert_eq!(due, ["Later", "Soon"]);
}
