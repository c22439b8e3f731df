//! The reports tab (SPEC V8): won and lost in the period beside the one before, the lost
//! reasons and the forecast, from the service's figures; `p` changes the period.

use super::*;
use prospect::domain::report::period::PeriodSpec;

#[test]
fn the_reports_tab_shows_the_periods_figures_and_p_changes_the_period() {
    let mut h = Harness::new(0, Lang::En);
    let mut deal = |title: &str, amount: &str, close: &str| {
        let fields =
            vec![("title".into(), title.into()), ("amount".into(), amount.into()), ("close_date".into(), close.into())];
        h.store.create(Entity::Deal, &RecordInput { fields, ..Default::default() }).unwrap().id
    };
    let won = deal("Fours", "10000", "2026-12-15");
    let lost = deal("Caisse", "7000", "2026-12-20");
    let open = deal("Pétrin", "3000", "2026-12-31");
    let late = deal("Balance", "1000", "2026-10-15");
    h.store.move_stage(RecordRef::new(Entity::Deal, won), "WON", None, None).unwrap();
    h.store.move_stage(RecordRef::new(Entity::Deal, lost), "LOSE", Some("Price"), None).unwrap();
    h.act(Show(Tab::Reports));
    assert_eq!(h.app.screen, Screen::Reports);
    let (shown, data) = h.app.reports.data.as_ref().expect("the figures");
    assert_eq!(*shown, PeriodSpec::Month);
    let (_, now, _) = &data.won_lost.groups[0];
    assert_eq!((now.won, now.lost, now.win_rate_tenths()), (1, 1, Some(500)));
    assert!(data.conversion.is_some(), "the leads' figures follow the deals'");
    assert_eq!(now.reasons, [(Some("Price".to_string()), 1)]);
    let rows = &data.forecast.as_ref().expect("the forecast follows won and lost").groups[0].1;
    assert_eq!((rows[0].late, rows[0].amount), (true, 100_000), "the late deal first");
    assert_eq!((rows[1].month.as_deref(), rows[1].amount, rows[1].weighted), (Some("2026-12"), 300_000, 51_000));
    // November 23rd (the tests' clock): this month is November, the deals closed today.
    assert_eq!(data.won_lost.period.first_day.to_string(), "2026-11-01");
    // Enter on a bar lists the deals behind it: the won ones of the month, then (past won
    // and lost, this period and the one before) the open ones due in December.
    let listed = |h: &Harness| h.app.lists[&Entity::Deal].rows.iter().map(|r| r.id).collect::<Vec<_>>();
    h.act(Open);
    assert_eq!(h.app.screen, Screen::List(Entity::Deal));
    assert_eq!(listed(&h), [won]);
    h.act(Back);
    assert_eq!(h.app.lists[&Entity::Deal].filters, Default::default(), "the list's own filters come back");
    h.act(Right);
    h.act(Right);
    h.act(Open);
    assert_eq!(listed(&h), [lost], "lost this month");
    h.act(Back);
    for _ in 0..9 {
        h.act(Right);
    }
    h.act(Open);
    assert_eq!(listed(&h), [open], "the forecast's December, its last bar");
    let filters = &h.app.lists[&Entity::Deal].filters;
    assert_eq!(filters.wheres, ["close_date=2026-12-01..2026-12-31", "currency=EUR"]);
    h.act(Back);
    // One bar left, the late deals: due before the month the forecast was read in.
    h.act(Left);
    h.act(Open);
    assert_eq!(listed(&h), [late]);
    assert_eq!(h.app.lists[&Entity::Deal].filters.wheres[0], "close_date<2026-11-01");
    h.act(Back);
    h.act(NextPeriod);
    assert_eq!(h.app.reports.period, PeriodSpec::Quarter);
    let (shown, data) = h.app.reports.data.as_ref().unwrap();
    assert_eq!((*shown, data.won_lost.period.first_day.to_string().as_str()), (PeriodSpec::Quarter, "2026-10-01"));
    // Asked for but not answered yet: the figures drawn say which period they are of.
    let pending = prospect::tui::update::update(&mut h.app, NextPeriod);
    assert_eq!(pending.len(), 1);
    assert_eq!(h.app.reports.data.as_ref().unwrap().0, PeriodSpec::Quarter);
}

/// A card left alone past its stage's rotting limit is marked on the Kanban.
#[test]
fn stale_cards_are_marked_on_the_kanban() {
    let mut h = Harness::new(0, Lang::En);
    let fields = vec![("title".into(), "Fours".into())];
    let id = h.store.create(Entity::Deal, &RecordInput { fields, ..Default::default() }).unwrap().id;
    h.act(Show(Tab::DealBoard));
    assert!(h.app.deal_board.stale.is_empty());
    // The tests' clock stands still: a limit of one day is passed by a record changed a
    // day and more ago only. Its stage's limit set, the record's last change put back.
    h.store.set_stage_terms(Entity::Deal, None, "NEW", None, Some("1")).unwrap();
    let later = common::tui::open_at(&h.dir.path().join("crm.db"), Lang::En, common::tui::NOW + 2 * 86_400_000);
    h.store = later;
    h.act(Refresh);
    assert!(h.app.deal_board.stale.contains(&id), "{:?}", h.app.deal_board.stale);
}

/// `v` goes to the funnel of the month's leads; `j` then `Enter` on "In progress" lists the
/// month's leads standing in it; `v` again shows the activities.
#[test]
fn the_funnel_and_activities_are_reports_of_the_tab_and_enter_lists_a_stage() {
    let mut h = Harness::new(0, Lang::En);
    let mut lead = |title: &str| {
        let fields = vec![("title".into(), title.into())];
        h.store.create(Entity::Lead, &RecordInput { fields, ..Default::default() }).unwrap().id
    };
    let a = lead("Salon");
    lead("Site");
    h.store.move_stage(RecordRef::new(Entity::Lead, a), "IN_PROCESS", None, None).unwrap();
    h.act(Show(Tab::Reports));
    h.act(NextReport);
    let (_, report) = h.app.reports.funnel.as_ref().expect("the funnel");
    let leads = &report.groups[0].1[0];
    let rows: Vec<(&str, i64, i64)> =
        leads.funnel.rows.iter().map(|r| (r.stage.code.as_str(), r.count, r.reached)).take(2).collect();
    assert_eq!(rows, [("NEW", 1, 2), ("IN_PROCESS", 1, 1)]);
    h.act(Down);
    h.act(Open);
    assert_eq!(h.app.screen, Screen::List(Entity::Lead));
    let list = &h.app.lists[&Entity::Lead];
    assert_eq!(list.filters.stage.as_deref(), Some("IN_PROCESS"));
    assert_eq!(list.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [a]);
    h.act(Back);
    assert_eq!(h.app.screen, Screen::Reports);
    assert_eq!(h.app.lists[&Entity::Lead].filters.stage, None, "the list's own filters come back");
    // The deals made from the leads: no list can keep to them, so none is opened.
    let rows = h.app.reports.funnel.as_ref().unwrap().1.groups[0].1[0].funnel.rows.len();
    for _ in 0..rows {
        h.act(Down);
    }
    h.act(Open);
    assert_eq!(h.app.screen, Screen::Reports);
    assert!(h.app.status.as_ref().unwrap().0.contains("No list"), "{:?}", h.app.status);
    h.act(NextReport);
    assert!(h.app.reports.activity.is_some(), "the activities of the month");
}
