//! The sales head's figures (SPEC V8, issue 29) on both engines, with a fixed clock per step
//! and hand-computed expectations: a deal closed at 00:30 on 1 March in Paris is March's
//! (23:30 UTC the day before), one at 00:30 on 1 April is not; a deal lost then won counts as
//! won when it was won; a deal reopened is open again; a restricted user counts only what
//! they may see.

use crate::{TestEngine, create, input};
use chrono::TimeZone;
use chrono_tz::Europe::Paris;
use prospect::domain::fields::Entity;
use prospect::domain::report::period::PeriodSpec;
use prospect::domain::stage::StageSemantics;
use prospect::service::ReportScope;
use prospect::store::RecordRef;
use prospect::store::records::{ListFilter, ListSort, SortField};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    Paris.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().timestamp_millis()
}

fn deal(eng: &mut TestEngine, title: &str, amount: &str, more: &[(&str, &str)]) -> i64 {
    let mut fields = vec![("title", title), ("amount", amount)];
    fields.extend_from_slice(more);
    create(eng, Entity::Deal, &fields, &[]).id
}

fn move_at(eng: &TestEngine, when: i64, id: i64, stage: &str, reason: Option<&str>) {
    eng.at(when).move_stage(RecordRef::new(Entity::Deal, id), stage, reason, None).unwrap();
}

pub fn won_lost_and_forecast_count_by_when_and_whom(mut eng: TestEngine) {
    let bob = eng.session_as("bob", &["Manager"], None);
    let d1 = deal(&mut eng, "Fours", "10000", &[]);
    let d2 = deal(&mut eng, "Vitrines", "5000", &[]);
    let d3 = deal(&mut eng, "Caisse", "7000", &[]);
    let d4 = deal(&mut eng, "Pétrin", "3000", &[]);
    let d5 = deal(&mut eng, "Balance", "2000", &[]);
    let d6 = deal(&mut eng, "Four mixte", "6000", &[("close_date", "2027-04-15")]);
    let d7 = deal(&mut eng, "Chambre froide", "1000", &[("responsible", "bob")]);
    let d8 = deal(&mut eng, "Laminoir", "4000", &[]);
    deal(&mut eng, "Trancheuse", "10000", &[("close_date", "2027-04-20"), ("stage", "PREPARATION")]);
    deal(&mut eng, "Batteur", "1000", &[("close_date", "2027-05-01"), ("probability", "90")]);
    move_at(&eng, at(2026, 3, 1, 0, 30), d1, "WON", None); // 28 Feb 23:30 UTC: March in Paris
    move_at(&eng, at(2026, 3, 31, 23, 30), d2, "WON", None);
    move_at(&eng, at(2026, 4, 1, 0, 30), d3, "LOSE", Some("Price")); // April's
    move_at(&eng, at(2026, 3, 10, 9, 0), d4, "LOSE", Some("Price"));
    move_at(&eng, at(2026, 2, 10, 9, 0), d5, "LOSE", Some("Timing"));
    move_at(&eng, at(2026, 3, 5, 9, 0), d6, "LOSE", Some("Budget"));
    move_at(&eng, at(2026, 3, 6, 9, 0), d6, "NEW", None); // reopened: open again
    move_at(&eng, at(2026, 3, 12, 9, 0), d7, "WON", None);
    move_at(&eng, at(2026, 3, 2, 9, 0), d8, "LOSE", Some("Price"));
    move_at(&eng, at(2026, 3, 20, 9, 0), d8, "WON", None); // lost, then won: won on the 20th
    eng.set_stage_terms(Entity::Deal, None, "PREPARATION", Some("60"), Some("14")).unwrap();
    let (march, february) = PeriodSpec::Month.bounds(&Paris.with_ymd_and_hms(2026, 3, 15, 12, 0, 0).unwrap());

    let r = eng.report_won_lost(&ReportScope::default(), march, february).unwrap();
    let (_, now, before) = &r.groups[0];
    assert_eq!((now.won, now.lost), (4, 1), "{now:?}");
    assert_eq!(now.won_amount.get("EUR"), Some(&2_000_000));
    assert_eq!(now.lost_amount.get("EUR"), Some(&300_000));
    assert_eq!(now.win_rate_tenths(), Some(800));
    assert_eq!(now.reasons, [(Some("Price".to_string()), 1)]);
    assert_eq!((before.won, before.lost, before.win_rate_tenths()), (0, 1, Some(0)));
    assert_eq!(before.reasons, [(Some("Timing".to_string()), 1)]);

    // By responsible: alice's and bob's apart.
    let by = ReportScope { by: Some(prospect::domain::report::GroupBy::Responsible), ..Default::default() };
    let r = eng.report_won_lost(&by, march, february).unwrap();
    let won: Vec<(Option<&str>, i64)> = r.groups.iter().map(|(k, w, _)| (k.as_deref(), w.won)).collect();
    assert_eq!(won, [(Some("alice"), 3), (Some("bob"), 1)]);

    // Bob sees his deal only.
    let r = bob.report_won_lost(&ReportScope::default(), march, february).unwrap();
    let (_, now, before) = &r.groups[0];
    assert_eq!((now.won, now.lost, now.won_amount.get("EUR")), (1, 0, Some(&100_000)));
    assert_eq!((before.won, before.lost), (0, 0));

    // The forecast: open deals by close month, weighted by the deal's own probability or its
    // stage's (Preparation set to 60 %; New 17 %, the first of five stages in progress).
    let f = eng.report_forecast(&ReportScope::default()).unwrap();
    let rows: Vec<(Option<&str>, i64, i64, i64)> =
        f.groups[0].1.iter().map(|r| (r.month.as_deref(), r.count, r.amount, r.weighted)).collect();
    assert_eq!(rows, [(Some("2027-04"), 2, 1_600_000, 702_000), (Some("2027-05"), 1, 100_000, 90_000)]);
    let forecast_stages: Vec<(&str, i64)> = f.stages.iter().map(|s| (s.code.as_str(), s.probability)).take(2).collect();
    assert_eq!(forecast_stages, [("NEW", 17), ("PREPARATION", 60)]);
    assert!(bob.report_forecast(&ReportScope::default()).unwrap().groups[0].1.is_empty());
    // One responsible, by name or login; a pipeline that does not exist is named.
    let alice_only = ReportScope { responsible: Some("alice".into()), ..Default::default() };
    assert_eq!(eng.report_won_lost(&alice_only, march, february).unwrap().groups[0].1.won, 3);
    let nowhere = ReportScope { pipeline: Some("Nowhere".into()), ..Default::default() };
    assert!(eng.report_forecast(&nowhere).is_err());
    // The lists behind the bars (`Enter` on one, `deal list --won --closed-from`): the same
    // deals as the figures, every pipeline's (sorted by stage too), what the user may see.
    eng.add_pipeline("Partners").unwrap();
    let (_, partners) = eng.stages(Entity::Deal, Some("Partners")).unwrap();
    let partner_won =
        partners.iter().find(|s| s.stage.semantics == StageSemantics::Success).unwrap().stage.code.clone();
    let d9 = deal(&mut eng, "Vitrine partenaire", "2000", &[("pipeline", "Partners")]);
    move_at(&eng, at(2026, 3, 21, 9, 0), d9, &partner_won, None);
    let listed = |e: &TestEngine, kind: StageSemantics, b: prospect::domain::report::period::Bounds| {
        let filter = ListFilter {
            stage_kind: Some(kind),
            closed_from: Some(b.from),
            closed_to: Some(b.to),
            all_pipelines: true,
            ..Default::default()
        };
        let mut ids: Vec<i64> = e.list(Entity::Deal, &filter).unwrap().iter().map(|r| r.id).collect();
        let by_stage = ListFilter { sort: Some(ListSort { key: SortField::Stage, reverse: false }), ..filter };
        let mut sorted: Vec<i64> = e.list(Entity::Deal, &by_stage).unwrap().iter().map(|r| r.id).collect();
        ids.sort();
        sorted.sort();
        assert_eq!(ids, sorted, "sorted by stage, every pipeline's deals");
        ids
    };
    let won = eng.report_won_lost(&ReportScope::default(), march, february).unwrap().groups[0].1.won;
    assert_eq!(won, 5, "the report counts the other pipeline's deal");
    assert_eq!(listed(&eng, StageSemantics::Success, march), [d1, d2, d7, d8, d9]);
    assert_eq!(listed(&eng, StageSemantics::Failure, march), [d4]);
    assert_eq!(listed(&eng, StageSemantics::Failure, february), [d5]);
    assert_eq!(listed(&bob, StageSemantics::Success, march), [d7]);
    let open = ListFilter { stage_kind: Some(StageSemantics::InProgress), ..Default::default() };
    assert_eq!(eng.list(Entity::Deal, &open).unwrap().len(), 3, "the forecast's three open deals");
    let refused = eng.list(Entity::Contact, &open).unwrap_err().to_string();
    assert!(refused.contains("stage"), "{refused}");
    // Lost again without a reason, the reopened deal does not count its old "Budget".
    move_at(&eng, at(2026, 3, 25, 9, 0), d6, "LOSE", None);
    let r = eng.report_won_lost(&ReportScope::default(), march, february).unwrap();
    let (_, now, _) = &r.groups[0];
    assert_eq!(now.reasons, [(Some("Price".to_string()), 1), (None, 1)]);
}

/// A deal left alone past its stage's limit is stale; a change or an activity (planned,
/// moved, done) since keeps it fresh; a closed deal never rots; a restricted user sees theirs.
pub fn records_left_alone_past_their_stages_limit_are_stale(mut eng: TestEngine) {
    use prospect::domain::activity::{ActivityKind, Priority};
    use prospect::store::activities::{ActivityDetails, NewActivity};
    const DAY: i64 = 86_400_000;
    let t0 = at(2026, 3, 1, 9, 0);
    let bob = eng.session_as("bob", &["Manager"], None);
    let mut early = eng.at(t0);
    let alone = deal(&mut early, "Seul", "1000", &[]);
    let called = deal(&mut early, "Appelé", "2000", &[]);
    let edited = deal(&mut early, "Modifié", "3000", &[]);
    let won = deal(&mut early, "Gagné", "4000", &[]);
    let bobs = deal(&mut early, "De Bob", "5000", &[("responsible", "bob")]);
    drop(early);
    assert!(eng.at(t0 + 30 * DAY).report_stale(Entity::Deal).unwrap().rows.is_empty(), "no limit: nothing rots");
    eng.set_stage_terms(Entity::Deal, None, "NEW", None, Some("14")).unwrap();
    let call = NewActivity {
        kind: ActivityKind::Call,
        subject: "Relance".into(),
        deadline: t0 + 20 * DAY,
        duration_minutes: Some(30),
        priority: Priority::Medium,
        responsible_id: None,
        completed: false,
        bindings: vec![RecordRef::new(Entity::Deal, called)],
    };
    eng.at(t0 + 10 * DAY).plan_activity(call, &ActivityDetails::default()).unwrap();
    eng.at(t0 + 10 * DAY)
        .update(RecordRef::new(Entity::Deal, edited), None, &crate::input(&[("comments", "Rappeler")]))
        .unwrap();
    move_at(&eng, t0 + DAY, won, "WON", None);
    // Fifteen days on: the untouched deals are stale, the oldest first; not the won one.
    let r = eng.at(t0 + 15 * DAY).report_stale(Entity::Deal).unwrap();
    let ids: Vec<i64> = r.rows.iter().map(|s| s.id).collect();
    assert_eq!(ids, [alone, bobs]);
    assert_eq!(prospect::domain::report::days_idle(r.now, r.rows[0].last_touch), 15);
    assert_eq!(r.rows[0].title, "Seul");
    // Twenty-five days on, the call and the edit are fifteen days old too.
    let ids: Vec<i64> = eng.at(t0 + 25 * DAY).report_stale(Entity::Deal).unwrap().rows.iter().map(|s| s.id).collect();
    assert_eq!(ids, [alone, bobs, called, edited], "the longest left alone first");
    // Bob's own only, on his board too.
    let bob_later = bob.stale_ids(Entity::Deal, &[alone, called, edited, won, bobs]).unwrap();
    assert_eq!(bob_later, [bobs]);
    assert_eq!(
        eng.at(t0 + 15 * DAY).stale_ids(Entity::Deal, &[called, bobs, won]).unwrap(),
        [bobs],
        "among those asked"
    );
    // A lead without a title is named by its person.
    eng.set_stage_terms(Entity::Lead, None, "NEW", None, Some("1")).unwrap();
    let mut early = eng.at(t0);
    create(&mut early, Entity::Lead, &[("first_name", "Zoé"), ("last_name", "Roux")], &[]);
    drop(early);
    let leads = eng.at(t0 + 3 * DAY).report_stale(Entity::Lead).unwrap();
    assert_eq!(leads.rows.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(), ["Zoé Roux"]);
}

/// The leads that came in in a period (in Paris), what became of them, and the median time
/// to convert; a restricted user counts theirs.
pub fn conversion_counts_the_leads_that_came_in_and_what_became_of_them(mut eng: TestEngine) {
    const H: i64 = 3_600_000;
    let bob = eng.session_as("bob", &["Manager"], None);
    let lead = |eng: &mut TestEngine, when: i64, name: &str, more: &[(&str, &str)]| {
        let mut later = eng.at(when);
        let mut fields = vec![("title", name)];
        fields.extend_from_slice(more);
        create(&mut later, Entity::Lead, &fields, &[]).id
    };
    let first = at(2026, 3, 1, 0, 30); // 28 February 23:30 UTC: March's in Paris
    let a = lead(&mut eng, first, "A", &[]);
    let b = lead(&mut eng, at(2026, 3, 10, 9, 0), "B", &[]);
    let c = lead(&mut eng, at(2026, 3, 11, 9, 0), "C", &[("responsible", "bob")]);
    let d = lead(&mut eng, at(2026, 3, 12, 9, 0), "D", &[]);
    lead(&mut eng, at(2026, 4, 1, 0, 30), "April's", &[]);
    lead(&mut eng, at(2026, 2, 27, 9, 0), "February's", &[]);
    let move_lead = |when: i64, id: i64, stage: &str| {
        eng.at(when).move_stage(RecordRef::new(Entity::Lead, id), stage, None, None).unwrap();
    };
    move_lead(first + 10 * H, a, "CONVERTED");
    move_lead(at(2026, 3, 10, 9, 0) + 30 * H, b, "CONVERTED");
    move_lead(at(2026, 3, 11, 9, 0) + 2 * H, c, "CONVERTED");
    move_lead(at(2026, 3, 13, 9, 0), d, "JUNK");
    let (march, february) = PeriodSpec::Month.bounds(&Paris.with_ymd_and_hms(2026, 3, 15, 12, 0, 0).unwrap());
    let r = eng.report_conversion(&ReportScope::default(), march, february).unwrap();
    let (_, now, before) = &r.groups[0];
    assert_eq!((now.created, now.converted, now.junked, now.open), (4, 3, 1, 0), "{now:?}");
    assert_eq!(now.median_ms, Some(10 * H), "2 h, 10 h, 30 h");
    assert_eq!(now.rate_tenths(), Some(750));
    assert_eq!((before.created, before.open), (1, 1));
    let r = bob.report_conversion(&ReportScope::default(), march, february).unwrap();
    let (_, now, _) = &r.groups[0];
    assert_eq!((now.created, now.converted, now.median_ms), (1, 1, Some(2 * H)));
}

/// The funnel of March's leads in Paris, then of the deals made from them: a lead that went
/// back keeps the stage it reached, one junked keeps "In progress", one converted straight
/// from New passed through the stages between, and a move after the period's end does not
/// count; a restricted user follows theirs.
pub fn the_funnel_counts_what_each_stage_held_and_what_reached_it(mut eng: TestEngine) {
    use prospect::domain::convert::Targets;
    use prospect::store::convert::ConversionPlan;
    const DAY: i64 = 86_400_000;
    let bob = eng.session_as("bob", &["Manager"], None);
    let lead = |eng: &mut TestEngine, when: i64, name: &str, amount: &str, more: &[(&str, &str)]| {
        let mut later = eng.at(when);
        let mut fields = vec![("title", name), ("amount", amount)];
        fields.extend_from_slice(more);
        create(&mut later, Entity::Lead, &fields, &[]).id
    };
    let move_lead = |eng: &TestEngine, when: i64, id: i64, stage: &str| {
        eng.at(when).move_stage(RecordRef::new(Entity::Lead, id), stage, None, None).unwrap();
    };
    let a = lead(&mut eng, at(2026, 3, 1, 0, 30), "A", "1000", &[]); // 28 Feb 23:30 UTC: March's
    let b = lead(&mut eng, at(2026, 3, 10, 9, 0), "B", "2000", &[]);
    let c = lead(&mut eng, at(2026, 3, 11, 9, 0), "C", "3000", &[("responsible", "bob")]);
    let d = lead(&mut eng, at(2026, 3, 12, 9, 0), "D", "4000", &[]);
    let e = lead(&mut eng, at(2026, 3, 20, 9, 0), "E", "500", &[]);
    lead(&mut eng, at(2026, 4, 1, 0, 30), "April's", "100", &[]);
    let g = lead(&mut eng, at(2026, 2, 27, 9, 0), "February's", "100", &[]);
    move_lead(&eng, at(2026, 3, 2, 9, 0), a, "IN_PROCESS");
    move_lead(&eng, at(2026, 3, 3, 9, 0), a, "PROCESSED");
    move_lead(&eng, at(2026, 3, 4, 9, 0), a, "IN_PROCESS"); // backwards
    move_lead(&eng, at(2026, 3, 11, 9, 0), b, "IN_PROCESS");
    move_lead(&eng, at(2026, 3, 12, 9, 0), b, "JUNK");
    let converted = eng
        .at(at(2026, 3, 12, 10, 0))
        .convert_lead(c, &ConversionPlan::new(Targets { deal: true, contact: false, company: false }))
        .unwrap();
    let deal = converted.deal.unwrap().id;
    eng.at(at(2026, 3, 13, 9, 0)).move_stage(RecordRef::new(Entity::Deal, deal), "PREPARATION", None, None).unwrap();
    move_lead(&eng, at(2026, 3, 14, 9, 0), d, "CONVERTED"); // straight from New
    move_lead(&eng, at(2026, 4, 2, 9, 0), e, "IN_PROCESS"); // after March
    move_lead(&eng, at(2026, 3, 5, 9, 0), g, "IN_PROCESS"); // after February
    // February's lead converted in March: its deal was not there at February's end.
    eng.at(at(2026, 3, 20, 9, 0)).convert_lead(g, &ConversionPlan::new(Targets::DEAL)).unwrap();
    let (march, february) = PeriodSpec::Month.bounds(&Paris.with_ymd_and_hms(2026, 3, 15, 12, 0, 0).unwrap());
    let later = eng.at(at(2026, 4, 10, 9, 0));

    let r = later.report_funnel(&ReportScope::default(), Entity::Lead, march, february).unwrap();
    let sections = &r.groups[0].1;
    let leads = &sections[0];
    assert_eq!((leads.entity, leads.funnel.records, leads.base), (Entity::Lead, 5, 5));
    let rows: Vec<(&str, i64, i64, i64)> = leads
        .funnel
        .rows
        .iter()
        .map(|r| (r.stage.code.as_str(), r.count, r.amounts.values().sum::<i64>(), r.reached))
        .collect();
    assert_eq!(
        rows,
        [
            ("NEW", 1, 50_000, 5),
            ("IN_PROCESS", 1, 100_000, 4),
            ("PROCESSED", 0, 0, 3),
            ("CONVERTED", 2, 700_000, 2),
            ("JUNK", 1, 200_000, 1)
        ]
    );
    // Read before March is over, the funnel is the records as they stand: E, which the test
    // moved with a clock of 2 April, already counts in progress (no real move is later than
    // the moment a report is read).
    let during = eng.at(at(2026, 3, 31, 12, 0)).report_funnel(&ReportScope::default(), Entity::Lead, march, february);
    let during: Vec<(i64, i64)> =
        during.unwrap().groups[0].1[0].funnel.rows.iter().map(|r| (r.count, r.reached)).collect();
    assert_eq!(during, [(0, 5), (2, 5), (0, 3), (2, 2), (1, 1)], "E stands in progress now");
    // February's one lead was still new at the end of February.
    let before: Vec<i64> = leads.previous.rows.iter().map(|r| r.reached).collect();
    assert_eq!((leads.previous.records, before), (1, vec![1, 0, 0, 0, 0]));
    // The deal made from C, in Preparation; its shares are of the leads that came in.
    let deals = &sections[1];
    assert!(deals.from_leads && deals.base == 5);
    assert_eq!(deals.previous.records, 0, "made after February: not in February's funnel");
    let held: Vec<(&str, i64, i64)> =
        deals.funnel.rows.iter().take(2).map(|r| (r.stage.code.as_str(), r.count, r.reached)).collect();
    assert_eq!(held, [("NEW", 0, 1), ("PREPARATION", 1, 1)]);
    // The deals that came in in March: C's and February's lead's.
    let r = later.report_funnel(&ReportScope::default(), Entity::Deal, march, february).unwrap();
    assert_eq!(r.groups[0].1[0].funnel.records, 2);
    // By responsible: alice's four, bob's one.
    let by = ReportScope { by: Some(prospect::domain::report::GroupBy::Responsible), ..Default::default() };
    let r = later.report_funnel(&by, Entity::Lead, march, february).unwrap();
    let split: Vec<(Option<&str>, i64)> = r.groups.iter().map(|(k, s)| (k.as_deref(), s[0].funnel.records)).collect();
    assert_eq!(split, [(Some("alice"), 4), (Some("bob"), 1)]);
    // Bob follows his lead only.
    let r = bob.report_funnel(&ReportScope::default(), Entity::Lead, march, february).unwrap();
    let mine = &r.groups[0].1[0];
    assert_eq!((mine.funnel.records, mine.funnel.rows[3].count), (1, 1));
    let _ = DAY;
}

/// Activities planned, done (late) and overdue per person and kind, in Paris's March at a
/// fixed now; a restricted user counts theirs.
pub fn the_activity_report_counts_planned_done_and_overdue(mut eng: TestEngine) {
    use prospect::domain::activity::{ActivityKind, Priority};
    use prospect::store::activities::{ActivityDetails, NewActivity};
    let bob = eng.session_as("bob", &["Manager"], None);
    let bob_id = eng.user_id_of("bob").unwrap();
    let hers = deal(&mut eng, "Fours", "1000", &[]);
    let his = deal(&mut eng, "Vitrines", "1000", &[("responsible", "bob")]);
    let plan = |eng: &mut TestEngine, kind, deadline: i64, responsible_id: Option<i64>| {
        let on = if responsible_id.is_some() { his } else { hers };
        let a = NewActivity {
            kind,
            subject: "Suivi".into(),
            deadline,
            duration_minutes: Some(30),
            priority: Priority::Medium,
            responsible_id,
            completed: false,
            bindings: vec![RecordRef::new(Entity::Deal, on)],
        };
        eng.at(at(2026, 2, 1, 9, 0)).plan_activity(a, &ActivityDetails::default()).unwrap()
    };
    let a1 = plan(&mut eng, ActivityKind::Call, at(2026, 3, 10, 9, 0), None);
    plan(&mut eng, ActivityKind::Call, at(2026, 3, 20, 9, 0), None);
    plan(&mut eng, ActivityKind::Task, at(2026, 2, 25, 9, 0), None);
    let a4 = plan(&mut eng, ActivityKind::Meeting, at(2026, 2, 20, 9, 0), None);
    plan(&mut eng, ActivityKind::Call, at(2026, 3, 5, 9, 0), Some(bob_id));
    plan(&mut eng, ActivityKind::Email, at(2026, 4, 1, 0, 30), None); // April's in Paris
    eng.at(at(2026, 3, 12, 9, 0)).complete_activity(a1).unwrap();
    eng.at(at(2026, 3, 2, 9, 0)).complete_activity(a4).unwrap();
    let (march, _) = PeriodSpec::Month.bounds(&Paris.with_ymd_and_hms(2026, 3, 15, 12, 0, 0).unwrap());
    let now = at(2026, 3, 15, 12, 0);
    let r = eng.at(now).report_activity(&ReportScope::default(), march).unwrap();
    type Row<'a> = (Option<&'a str>, &'a str, i64, i64, i64, i64);
    let rows: Vec<Row> =
        r.rows.iter().map(|x| (x.who.as_deref(), x.kind.as_str(), x.planned, x.done, x.done_late, x.overdue)).collect();
    assert_eq!(
        rows,
        [
            (Some("alice"), "call", 2, 1, 1, 0),
            (Some("alice"), "meeting", 0, 1, 1, 0),
            (Some("alice"), "task", 0, 0, 0, 1),
            (Some("bob"), "call", 1, 0, 0, 1),
        ]
    );
    let theirs = bob.report_activity(&ReportScope::default(), march).unwrap();
    assert!(theirs.rows.iter().all(|x| x.who.as_deref() == Some("bob")) && theirs.rows.len() == 1, "{:?}", theirs.rows);
}

/// The lost reasons' list: a loss named in French keeps the list's English name (reports
/// count one reason), free words stay as typed, lists find losses by reason in either
/// language; an administrator adds and removes reasons, a name is listed once.
pub fn lost_reasons_are_a_list_in_two_languages_and_lists_filter_on_them(mut eng: TestEngine) {
    use prospect::store::ListFilter;
    let bob = eng.session_as("bob", &["Manager"], None);
    let names: Vec<String> = eng.lost_reasons().unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(names[0], "Price", "the list starts with defaults: {names:?}");
    let added = eng.add_lost_reason(" Went  silent ", Some("Plus de nouvelles")).unwrap();
    assert_eq!(added.name, "Went silent");
    assert!(eng.add_lost_reason("PRIX", None).is_err(), "named once, in either language");
    let mut bob = bob;
    assert!(bob.add_lost_reason("Other", None).is_err(), "an administrator's list");
    let a = deal(&mut eng, "Fours", "1000", &[]);
    let b = deal(&mut eng, "Vitrines", "1000", &[]);
    let c = deal(&mut eng, "Caisse", "1000", &[]);
    move_at(&eng, at(2026, 3, 2, 9, 0), a, "LOSE", Some(" prix "));
    move_at(&eng, at(2026, 3, 3, 9, 0), b, "LOSE", Some("plus de nouvelles"));
    move_at(&eng, at(2026, 3, 4, 9, 0), c, "LOSE", Some("Délai trop court"));
    let (march, february) = PeriodSpec::Month.bounds(&Paris.with_ymd_and_hms(2026, 3, 15, 12, 0, 0).unwrap());
    let r = eng.report_won_lost(&ReportScope::default(), march, february).unwrap();
    let mut reasons: Vec<(String, i64)> =
        r.groups[0].1.reasons.iter().map(|(r, n)| (r.clone().unwrap_or_default(), *n)).collect();
    reasons.sort();
    assert_eq!(reasons, [("Délai trop court".into(), 1), ("Price".into(), 1), ("Went silent".into(), 1)]);
    let lost_for = |eng: &TestEngine, reason: &str| -> Vec<i64> {
        let filter = ListFilter { reason: Some(reason.into()), limit: 50, ..Default::default() };
        eng.list(Entity::Deal, &filter).unwrap().iter().map(|r| r.id).collect()
    };
    assert_eq!(lost_for(&eng, "Prix"), [a]);
    assert_eq!(lost_for(&eng, "price"), [a]);
    assert_eq!(lost_for(&eng, "délai trop court"), [c]);
    // A reason typed while the list did not name it counts with the list's name once it does.
    eng.remove_lost_reason("Price").unwrap();
    let d = deal(&mut eng, "Balance", "1000", &[]);
    move_at(&eng, at(2026, 3, 5, 9, 0), d, "LOSE", Some("prix"));
    eng.add_lost_reason("Price", Some("Prix")).unwrap();
    let r = eng.report_won_lost(&ReportScope::default(), march, february).unwrap();
    assert!(r.groups[0].1.reasons.contains(&(Some("Price".to_string()), 2)), "{:?}", r.groups[0].1.reasons);
    // Taken off the list, a reason stays on the losses that kept it.
    eng.remove_lost_reason("Plus de nouvelles").unwrap();
    assert!(!eng.lost_reasons().unwrap().iter().any(|r| r.name == "Went silent"));
    assert_eq!(lost_for(&eng, "Went silent"), [b]);
    assert!(eng.remove_lost_reason("Nowhere").is_err());
}

/// The tallies the engine keeps give the figures reading each record gives: after creations,
/// moves there and back, conversions, reassignments, amount changes, deletions and activities
/// planned, done, moved and deleted, the reports over March and February in Paris (whole
/// hours: the tallies) equal the same reports over bounds a millisecond earlier (not on an
/// hour: record by record), for everyone and for a restricted user, by responsible.
pub fn report_tallies_agree_with_the_records(mut eng: TestEngine) {
    use prospect::domain::activity::{ActivityKind, Priority};
    use prospect::domain::convert::Targets;
    use prospect::domain::report::GroupBy;
    use prospect::domain::report::period::Bounds;
    use prospect::store::activities::{ActivityChange, ActivityDetails, NewActivity};
    use prospect::store::convert::ConversionPlan;
    const MIN: i64 = 60_000;
    let bob = eng.session_as("bob", &["Manager"], None);
    let bob_id = eng.user_id_of("bob").unwrap();
    let mut seed: u64 = 0x5eed;
    let mut roll = move |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let start = at(2026, 2, 1, 8, 0);
    let now = at(2026, 3, 15, 12, 20);
    // A moment `k` minutes (and a few seconds) after the first: never on an hour's edge.
    let when = |k: u64| start + k as i64 * MIN + 7_000;
    let span = ((now - start) / MIN) as u64;
    // Up to three moves to random stages at random later moments (a refused one is left);
    // the minute of the last.
    let wander = |eng: &TestEngine, roll: &mut dyn FnMut(u64) -> u64, record: RecordRef, t0: u64, stages: &[&str]| {
        let mut t = t0;
        for _ in 0..roll(4) {
            t += 1 + roll(3000);
            if t >= span {
                break;
            }
            let stage = stages[roll(stages.len() as u64) as usize];
            let reason = (stage == "LOSE").then_some("Price");
            let _ = eng.at(when(t)).move_stage(record, stage, reason, None);
        }
        t
    };
    let lead_stages = ["NEW", "IN_PROCESS", "PROCESSED", "QUALIFIED", "JUNK"];
    let deal_stages = ["NEW", "PREPARATION", "EXECUTING", "WON", "LOSE"];
    let mut leads = Vec::new();
    for i in 0..36 {
        let t = roll(span - 600);
        let who = ["alice", "bob"][roll(2) as usize];
        let amount = (100 * (1 + roll(50))).to_string();
        let mut fields = vec![("title", "Piste"), ("responsible", who), ("amount", amount.as_str())];
        if i % 3 == 0 {
            fields.push(("source", "WEB"));
        }
        let id = create(&mut eng.at(when(t)), Entity::Lead, &fields, &[]).id;
        leads.push((id, t));
    }
    let mut deals = Vec::new();
    for (n, &(id, t0)) in leads.iter().enumerate() {
        let t = wander(&eng, &mut roll, RecordRef::new(Entity::Lead, id), t0, &lead_stages);
        match n % 9 {
            0 if t + 10 < span => {
                let plan = ConversionPlan::new(Targets::DEAL);
                if let Ok(done) = eng.at(when(t + 5)).convert_lead(id, &plan) {
                    deals.extend(done.records().filter(|r| r.entity == Entity::Deal).map(|r| (r.id, t + 5)));
                }
            }
            1 => {
                let change = input(&[("responsible", "alice"), ("amount", "999")]);
                eng.at(when(t + 1)).update(RecordRef::new(Entity::Lead, id), None, &change).unwrap();
            }
            2 => {
                let change = input(&[("source", "TRADE_SHOW")]);
                eng.at(when(t + 1)).update(RecordRef::new(Entity::Lead, id), None, &change).unwrap();
            }
            3 if n > 20 => eng.at(when(t + 1)).delete(RecordRef::new(Entity::Lead, id), None).unwrap(),
            _ => {}
        }
    }
    // A February lead whose deal was made in March: not in February's leads-to-deals funnel.
    for (came, made) in
        [(at(2026, 2, 20, 9, 10), at(2026, 3, 5, 10, 10)), (at(2026, 2, 21, 9, 10), at(2026, 2, 22, 9, 10))]
    {
        let id = create(&mut eng.at(came), Entity::Lead, &[("title", "Tardive"), ("amount", "700")], &[]).id;
        let done = eng.at(made).convert_lead(id, &ConversionPlan::new(Targets::DEAL)).unwrap();
        deals
            .extend(done.records().filter(|r| r.entity == Entity::Deal).map(|r| (r.id, ((made - start) / MIN) as u64)));
        // The second's lead deleted: its deal was made from no lead of February's then.
        if made < at(2026, 3, 1, 0, 0) {
            eng.at(at(2026, 3, 3, 9, 10)).delete(RecordRef::new(Entity::Lead, id), None).unwrap();
        }
    }
    for _ in 0..12 {
        let t = roll(span - 600);
        let who = ["alice", "bob"][roll(2) as usize];
        let id = create(
            &mut eng.at(when(t)),
            Entity::Deal,
            &[("title", "Affaire"), ("responsible", who), ("amount", "500")],
            &[],
        )
        .id;
        deals.push((id, t));
    }
    for &(id, t0) in &deals {
        let t = wander(&eng, &mut roll, RecordRef::new(Entity::Deal, id), t0, &deal_stages);
        if roll(4) == 0 {
            let change = input(&[("responsible", "bob"), ("amount", "1234")]);
            eng.at(when(t + 1)).update(RecordRef::new(Entity::Deal, id), None, &change).unwrap();
        }
        // The forecast's keys: a close date in another month, a probability of its own.
        match roll(4) {
            0 => {
                let change = input(&[("close_date", "2026-05-17")]);
                eng.at(when(t + 2)).update(RecordRef::new(Entity::Deal, id), None, &change).unwrap();
            }
            1 => {
                let change = input(&[("probability", "35"), ("close_date", "")]);
                eng.at(when(t + 2)).update(RecordRef::new(Entity::Deal, id), None, &change).unwrap();
            }
            _ => {}
        }
    }
    // An open deal nobody is responsible for: every user's forecast counts it.
    let unassigned = deals.iter().map(|d| d.0).find(|&id| {
        let deal = eng.get(RecordRef::new(Entity::Deal, id)).unwrap();
        deal.stage_semantics == Some(prospect::domain::stage::StageSemantics::InProgress)
    });
    let unassigned = unassigned.expect("an open deal");
    eng.at(now).update(RecordRef::new(Entity::Deal, unassigned), None, &input(&[("responsible", "")])).unwrap();
    let mut planned = Vec::new();
    for i in 0..40 {
        let deadline = when(roll(span + 3000));
        let kind = [ActivityKind::Call, ActivityKind::Meeting, ActivityKind::Task, ActivityKind::Email][i % 4];
        let on = deals[roll(deals.len() as u64) as usize].0;
        let a = NewActivity {
            kind,
            subject: "Suivi".into(),
            deadline,
            duration_minutes: Some(30),
            priority: Priority::Medium,
            responsible_id: (roll(3) == 0).then_some(bob_id),
            completed: false,
            bindings: vec![RecordRef::new(Entity::Deal, on)],
        };
        planned.push(eng.at(start).plan_activity(a, &ActivityDetails::default()).unwrap());
    }
    for &a in &planned {
        let t = when(roll(span));
        match roll(6) {
            0 | 1 => eng.at(t).complete_activity(a).unwrap(),
            2 => {
                let change = ActivityChange { deadline: Some(when(roll(span))), ..Default::default() };
                eng.at(t).update_activity(a, &change).unwrap();
            }
            3 => {
                let change = ActivityChange { responsible_id: Some(bob_id), ..Default::default() };
                eng.at(t).update_activity(a, &change).unwrap();
            }
            4 if roll(3) == 0 => eng.at(t).delete_activity(a).unwrap(),
            _ => {}
        }
    }

    let paris_now = Paris.with_ymd_and_hms(2026, 3, 15, 12, 0, 0).unwrap();
    let early = |b: Bounds| Bounds { from: b.from - 1, to: b.to - 1, ..b };
    let scopes = [ReportScope::default(), ReportScope { by: Some(GroupBy::Responsible), ..Default::default() }];
    let mut counted = 0;
    // A month reads weeks and days, a quarter and a year four weeks too.
    let periods = [PeriodSpec::Month, PeriodSpec::Quarter, PeriodSpec::Year];
    for (who, user) in [("alice", eng.at(now)), ("bob", bob)] {
        for scope in &scopes {
            let tallied = user.report_forecast(scope).unwrap();
            let records = user.report_forecast_from_records(scope).unwrap();
            assert_eq!(tallied.groups, records.groups, "{who}'s forecast, {scope:?}");
            counted += tallied.groups.iter().flat_map(|(_, rows)| rows).map(|r| r.count).sum::<i64>();
        }
        for (scope, spec) in scopes.iter().flat_map(|s| periods.iter().map(move |p| (s, p))) {
            let (period, previous) = spec.bounds(&paris_now);
            for entity in [Entity::Lead, Entity::Deal] {
                let tallied = user.report_funnel(scope, entity, period, previous).unwrap();
                let records = user.report_funnel(scope, entity, early(period), early(previous)).unwrap();
                let figures = |r: &prospect::service::FunnelReport| -> Vec<String> {
                    r.groups
                        .iter()
                        .flat_map(|(k, s)| {
                            s.iter().map(move |s| format!("{k:?} {:?} {:?} {:?}", s.base, s.funnel, s.previous))
                        })
                        .collect()
                };
                assert_eq!(figures(&tallied), figures(&records), "{who}'s {entity:?} funnel, {scope:?}, {spec:?}");
                counted += tallied
                    .groups
                    .iter()
                    .flat_map(|(_, s)| s)
                    .map(|s| s.funnel.records + s.previous.records)
                    .sum::<i64>();
            }
            let tallied = user.report_conversion(scope, period, previous).unwrap();
            let records = user.report_conversion(scope, early(period), early(previous)).unwrap();
            assert_eq!(tallied.groups, records.groups, "{who}'s conversion, {scope:?}, {spec:?}");
            let tallied = user.report_activity(scope, period).unwrap();
            let records = user.report_activity(scope, early(period)).unwrap();
            assert_eq!(tallied.rows, records.rows, "{who}'s activities, {scope:?}, {spec:?}");
            counted += tallied.rows.iter().map(|r| r.planned + r.done + r.overdue).sum::<i64>();
        }
    }
    assert!(counted > 100, "the scenario counts something: {counted}");
}
