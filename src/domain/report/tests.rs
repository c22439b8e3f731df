use super::*;
use crate::domain::stage::StageSemantics::*;

fn stages() -> Vec<StageFact> {
    let defs =
        [("NEW", InProgress, None), ("OFFER", InProgress, Some(60)), ("WON", Success, None), ("LOSE", Failure, None)];
    let probs = stage_probabilities(&defs.iter().map(|(_, s, p)| (*s, *p)).collect::<Vec<_>>());
    defs.iter()
        .zip(probs)
        .enumerate()
        .map(|(i, ((code, semantics, _), probability))| StageFact {
            id: i as i64 + 1,
            code: code.to_string(),
            name: code.to_string(),
            semantics: *semantics,
            probability,
        })
        .collect()
}

fn deal(id: i64, stage: i64, amount: i64, close: Option<&str>) -> DealFact {
    DealFact {
        id,
        stage_id: stage,
        amount_minor: Some(amount),
        currency: Some("EUR".into()),
        probability: None,
        close_date: close.map(|c| NaiveDate::parse_from_str(c, "%Y-%m-%d").unwrap()),
        closed_at: None,
        responsible: None,
        source: None,
        department: None,
        reason: None,
        records: 1,
    }
}

#[test]
fn default_probabilities_spread_over_the_stages_in_progress() {
    let p = stage_probabilities(&[
        (InProgress, None),
        (InProgress, None),
        (InProgress, None),
        (Success, None),
        (Failure, None),
    ]);
    assert_eq!(p, [25, 50, 75, 100, 0]);
    let p = stage_probabilities(&[(InProgress, None), (InProgress, Some(5)), (Success, Some(90))]);
    assert_eq!(p, [33, 5, 90]);
    assert_eq!(stages().iter().map(|s| s.probability).collect::<Vec<_>>(), [33, 60, 100, 0]);
}

#[test]
fn the_forecast_weighs_each_open_deal_by_its_probability() {
    let mut own = deal(3, 1, 1_001, Some("2026-12-31"));
    own.probability = Some(50);
    let mut usd = deal(5, 2, 300, Some("2026-12-01"));
    usd.currency = Some("USD".into());
    let deals = [
        deal(1, 1, 100_000, Some("2026-12-15")), // NEW 33 %: 33 000
        deal(2, 2, 50_000, Some("2026-12-20")),  // OFFER 60 %: 30 000
        own,                                     // its own 50 %: 500.5 -> 501
        deal(4, 2, 20_000, Some("2027-01-05")),  // 12 000
        usd,                                     // 180 USD
        deal(6, 1, 999, None),                   // no date: 329.67 -> 330
        deal(7, 3, 70_000, Some("2026-12-01")),  // won: not forecast
    ];
    let rows = forecast(&deals, &stages(), "2026-12");
    type Row<'a> = (Option<&'a str>, bool, &'a str, i64, i64, i64);
    let got: Vec<Row> =
        rows.iter().map(|r| (r.month.as_deref(), r.late, r.currency.as_str(), r.count, r.amount, r.weighted)).collect();
    assert_eq!(
        got,
        [
            (Some("2026-12"), false, "EUR", 3, 151_001, 63_501),
            (Some("2026-12"), false, "USD", 1, 300, 180),
            (Some("2027-01"), false, "EUR", 1, 20_000, 12_000),
            (None, false, "EUR", 1, 999, 330),
        ]
    );
    // Seen from January, December's are late: one row, first.
    let rows = forecast(&deals, &stages(), "2027-01");
    assert_eq!((rows[0].late, rows[0].month.as_deref(), rows[0].count, rows[0].weighted), (true, None, 3, 63_501));
    // A row is rounded once: three deals of 1 cent at 50 % weigh 1.5 -> 2 cents, not 3 (one
    // each); a tally of the three (one fact, `records` 3) weighs the same.
    let cent = |id| DealFact { probability: Some(50), ..deal(id, 1, 1, Some("2027-02-01")) };
    let rows = forecast(&[cent(1), cent(2), cent(3)], &stages(), "2026-12");
    assert_eq!((rows[0].count, rows[0].amount, rows[0].weighted), (3, 3, 2));
    let tally = DealFact { amount_minor: Some(3), records: 3, ..cent(0) };
    assert_eq!(forecast(&[tally], &stages(), "2026-12"), rows);
}

#[test]
fn won_and_lost_count_what_closed_in_the_period_with_reasons_ranked() {
    let period = Bounds { from: 1_000, to: 2_000, first_day: NaiveDate::MIN, last_day: NaiveDate::MIN };
    let closed = |id, stage, amount, at, reason: Option<&str>| DealFact {
        closed_at: Some(at),
        reason: reason.map(str::to_string),
        ..deal(id, stage, amount, None)
    };
    let deals = [
        closed(1, 3, 10_000, 1_000, None),
        closed(2, 3, 5_000, 1_999, None),
        closed(3, 4, 7_000, 1_500, Some("Price")),
        closed(4, 4, 1_000, 1_600, Some(" price ")),
        closed(5, 4, 2_000, 1_700, Some("Timing")),
        closed(6, 4, 3_000, 1_800, Some("")),
        closed(7, 3, 99_000, 2_000, None),        // the next period's
        closed(8, 4, 99_000, 999, Some("Price")), // the last one's
        deal(9, 1, 1, None),
    ];
    let wl = won_lost(&deals, &stages(), &period);
    assert_eq!((wl.won, wl.lost), (2, 4));
    assert_eq!(wl.won_amount.get("EUR"), Some(&15_000));
    assert_eq!((wl.won_count.get("EUR"), wl.lost_count.get("EUR")), (Some(&2), Some(&4)));
    assert_eq!(wl.lost_amount.get("EUR"), Some(&13_000));
    assert_eq!(wl.win_rate_tenths(), Some(333));
    assert_eq!(wl.reasons, [(Some("Price".into()), 2), (Some("Timing".into()), 1), (None, 1)]);
    assert_eq!(WonLost::default().win_rate_tenths(), None);
}

#[test]
fn probabilities_and_rotting_limits_are_read_as_typed() {
    assert_eq!(read_probability("40 %").unwrap(), Some(40));
    assert_eq!(read_probability("défaut").unwrap(), None);
    assert_eq!(read_probability("101").unwrap_err().field, "probability");
    assert_eq!(read_rot_days("14j").unwrap(), Some(14));
    assert_eq!(read_rot_days("jamais").unwrap(), None);
    assert!(read_rot_days("0").is_err());
}

#[test]
fn conversion_counts_what_became_of_the_leads_and_the_median_time() {
    const H: i64 = 3_600_000;
    let lead = |id, stage, created, closed: Option<i64>| LeadFact {
        id,
        stage_id: stage,
        created_at: created,
        closed_at: closed,
        responsible: None,
        source: None,
        department: None,
        records: 1,
        times: Vec::new(),
    };
    let leads = [
        lead(1, 3, 0, Some(10 * H)),
        lead(2, 3, 5 * H, Some(9 * H)),
        lead(3, 3, 0, Some(30 * H)),
        lead(4, 3, 0, Some(2 * H)),
        lead(5, 4, 0, Some(H)),
        lead(6, 1, 0, None),
    ];
    let c = conversion(&leads, &stages());
    assert_eq!((c.created, c.converted, c.junked, c.open), (6, 4, 1, 1));
    // 2 h, 4 h, 10 h, 30 h: the median is 7 h.
    assert_eq!(c.median_ms, Some(7 * H));
    assert_eq!(c.rate_tenths(), Some(667));
    assert_eq!(conversion(&leads[..3], &stages()).median_ms, Some(10 * H));
    assert_eq!(Conversion::default().rate_tenths(), None);
    // The converted four read together (one fact, their times): the same figures.
    let together = LeadFact { records: 4, times: vec![10 * H, 4 * H, 30 * H, 2 * H], ..lead(0, 3, 0, None) };
    assert_eq!(conversion(&[together, leads[4].clone(), leads[5].clone()], &stages()), c);
}

#[test]
fn a_final_stage_takes_no_probability_nor_rotting_limit() {
    assert!(check_terms(InProgress, "New", Some(Some(40)), Some(Some(14))).is_ok());
    assert_eq!(check_terms(Success, "Won", Some(Some(50)), None).unwrap_err().field, "probability");
    assert_eq!(check_terms(Failure, "Lost", None, Some(Some(5))).unwrap_err().field, "rotting");
    assert!(check_terms(Success, "Won", Some(None), Some(None)).is_ok(), "back to the defaults is taken");
}

#[test]
fn groups_come_in_order_with_nobody_last() {
    let mut a = deal(1, 1, 1, None);
    a.responsible = Some("bob".into());
    let mut b = deal(2, 1, 1, None);
    b.responsible = Some("alice".into());
    let c = deal(3, 1, 1, None);
    let keys: Vec<Option<String>> = group(&[a, b, c], GroupBy::Responsible).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, [Some("alice".into()), Some("bob".into()), None]);
}
