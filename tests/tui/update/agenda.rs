//! The activities board: columns by nearest activity, paging, drops.

use super::*;

/// A column of the activities board loads a screenful first, and more as the cursor goes
/// down, in the same order.
#[test]
fn activities_board_columns_load_more_as_the_cursor_goes_down() {
    let mut h = Harness::new(1500, Lang::En);
    h.act(Show(Tab::Activities));
    h.act(FilterMine); // everyone's leads
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
    h.act(FilterMine); // everyone's leads
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

/// Issue 23: after `H`, the cursor stayed in the source column on the next card, so `H H H H`
/// planned calls on four different leads. It follows the card, as on the Kanban, typed fast
/// or not.
#[test]
fn activities_board_cursor_follows_the_card_it_plans() {
    use prospect::domain::agenda::ActivityBucket;
    let mut h = Harness::new(300, Lang::En);
    h.act(Show(Tab::Activities));
    h.act(FilterMine); // everyone's leads: more cards
    let later = ActivityBucket::ALL.iter().position(|b| *b == ActivityBucket::Later).unwrap();
    while h.app.agenda.focus < later {
        h.act(Right);
    }
    assert!(h.app.agenda.columns[later].rows.len() > 3, "a few later leads");
    h.acts(&[Down, Down]);
    let card = h.app.agenda.columns[later].rows[2].clone();
    let planned = |h: &Harness| h.other().activities(&of_lead(card.id)).unwrap().len();
    let before = planned(&h);
    let all_before = h.store.activities(&Default::default()).unwrap().len();
    h.act(MovePrev);
    let focused = |h: &Harness| {
        let col = &h.app.agenda.columns[h.app.agenda.focus];
        (col.bucket, col.rows.get(col.cursor).map(|r| r.id))
    };
    assert_eq!(focused(&h), (ActivityBucket::NextWeek, Some(card.id)), "the cursor went with the card");
    h.act(MovePrev);
    assert_eq!(focused(&h), (ActivityBucket::ThisWeek, Some(card.id)));
    assert_eq!(planned(&h), before + 2, "both calls on the same lead");
    // Typed faster than the board reloads: the second H still moves the same card.
    let pending = h.act_partly(MovePrev);
    let second = prospect::tui::update::update(&mut h.app, MoveNext);
    h.run(pending);
    h.run(second);
    assert_eq!(planned(&h), before + 4);
    assert_eq!(h.store.activities(&Default::default()).unwrap().len(), all_before + 4, "no other lead got a call");
    let (_, id) = focused(&h);
    assert_eq!(id, Some(card.id), "still on the card");
}

/// Issue 23: the board showed everyone's leads while the status bar counts the user's own.
/// It shows the user's by default, says so in its header, and `M` switches, as in the list.
#[test]
fn activities_board_shows_my_leads_unless_asked_for_everyones() {
    use prospect::store::ListFilter;
    let mut h = Harness::new(300, Lang::En);
    h.act(Show(Tab::Activities));
    let open = |responsible: Option<&str>| {
        let filter =
            ListFilter { open_stages_only: true, responsible: responsible.map(String::from), ..Default::default() };
        h.store.list_count(Entity::Lead, &filter).unwrap()
    };
    let (mine, everyone) = (open(Some("alice")), open(None));
    assert!(0 < mine && mine < everyone, "{mine} of {everyone}");
    let total = |h: &Harness| h.app.agenda.columns.iter().map(|c| c.count).sum::<i64>();
    assert_eq!(total(&h), mine);
    let owners: std::collections::BTreeSet<_> =
        h.app.agenda.columns.iter().flat_map(|c| &c.rows).map(|r| r.responsible.clone()).collect();
    assert_eq!(owners.len(), 1, "only alice's cards: {owners:?}");
    let keys = prospect::tui::keymap::bindings(prospect::tui::keymap::context(&h.app));
    assert!(keys.iter().any(|b| b.action == FilterMine && b.footer), "M is in the footer, help and palette");
    h.act(FilterMine);
    assert!(h.app.agenda.everyone);
    assert_eq!(total(&h), everyone);
    h.act(FilterMine);
    assert_eq!(total(&h), mine);
}

/// Found walking through issue 23: `L` on an overdue card planned a call for today, and the
/// card stayed in Overdue (its nearest activity keeps it there, SPEC V3) without a word, so
/// the key seemed to do nothing. The status says where the call went and why the card stays.
#[test]
fn a_call_planned_on_a_card_that_stays_says_so() {
    use prospect::domain::agenda::ActivityBucket;
    let mut h = Harness::new(300, Lang::En);
    h.act(Show(Tab::Activities));
    h.act(FilterMine);
    assert_eq!(h.app.agenda.columns[0].bucket, ActivityBucket::Overdue);
    assert!(!h.app.agenda.columns[0].rows.is_empty(), "an overdue lead");
    let card = h.app.agenda.columns[0].rows[0].id;
    h.act(MoveNext);
    let col = &h.app.agenda.columns[h.app.agenda.focus];
    assert_eq!((col.bucket, col.rows.get(col.cursor).map(|r| r.id)), (ActivityBucket::Overdue, Some(card)));
    let (msg, _) = h.app.status.clone().unwrap();
    assert!(msg.contains("Call planned (Today); the lead stays in Overdue"), "{msg}");
}

/// Issue 30 (SPEC A1): a reminder due shows as a notice with the bell, on one screen: a second
/// screen of the same user on the same file is not given it again.
#[test]
fn a_reminder_due_is_noticed_once_with_the_bell() {
    use prospect::domain::activity::{ActivityKind, Priority};
    use prospect::store::activities::{ActivityDetails, NewActivity};
    let mut h = Harness::new(0, Lang::En);
    let fields = vec![("title".into(), "Fours".into())];
    let lead = h.store.create(Entity::Lead, &RecordInput { fields, ..Default::default() }).unwrap().id;
    let call = NewActivity {
        kind: ActivityKind::Call,
        subject: "Call Fours".into(),
        deadline: common::tui::NOW + 20 * 60_000,
        duration_minutes: None,
        priority: Priority::Medium,
        responsible_id: None,
        completed: false,
        bindings: vec![RecordRef::new(Entity::Lead, lead)],
    };
    h.store.plan_activity(call, &ActivityDetails { reminder_minutes: Some(30), ..Default::default() }).unwrap();
    let mut second = common::tui::open_at(&h.dir.path().join("crm.db"), Lang::En, common::tui::NOW);
    let due = h.store.take_due_reminders().unwrap();
    assert!(second.take_due_reminders().unwrap().is_empty(), "the other screen is not given it again");
    prospect::tui::update::on_store(&mut h.app, prospect::tui::effect::StoreEvent::Reminders(due));
    let (said, _) = h.app.status.clone().expect("a notice");
    assert!(said.starts_with("Reminder: Call Fours at ") && said.contains("Lead #"), "{said}");
    assert!(h.app.bell, "the bell rings once, after the next frame");
    assert!(h.app.reminder.as_ref().is_some_and(|(m, _)| *m == said), "kept on the status bar a while");
}

/// Switching screens asks for the activity counters again only once the clock may have
/// changed them (`Counters::holds_until`) or after this app wrote: on a server they were a
/// few milliseconds of every switch.
#[test]
fn a_screen_switch_asks_for_the_counters_only_when_they_may_have_changed() {
    let mut h = Harness::new(50, Lang::En);
    let asked =
        |h: &Harness| h.effects_run.iter().filter(|e| matches!(e, prospect::tui::effect::Effect::LoadCounters)).count();
    assert!(h.app.counters.holds_until > h.app.now_ms, "known until later: {:?}", h.app.counters);
    h.effects_run.clear();
    h.act(Show(Tab::LeadList));
    h.act(Show(Tab::Activities));
    h.act(Show(Tab::LeadBoard));
    assert_eq!(asked(&h), 0, "nothing changed them");
    // The clock reaches the next deadline of today (the store's clock is fixed).
    h.app.counters.holds_until = h.app.now_ms;
    h.act(Show(Tab::LeadList));
    assert_eq!(asked(&h), 1, "the clock reached the next deadline of today");
    h.act(Show(Tab::LeadBoard));
    assert_eq!(asked(&h), 1);
    // A move on the board is a write of this app: the next switch asks again.
    h.act(MoveNext);
    h.effects_run.clear();
    h.act(Show(Tab::Activities));
    assert_eq!(asked(&h), 1, "after a write");
}
