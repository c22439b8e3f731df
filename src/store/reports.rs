//! What both engines' report queries share: the SQL of a record's title for a report, the
//! hours and days the tallies count by.

use crate::domain::fields::Entity;
use crate::domain::report::funnel::FunnelFact;

/// SQL (over alias `t`) of a record's title in a report: a lead without one is named by its
/// person, or its company. The same text runs on SQLite and PostgreSQL.
pub fn title_sql(entity: Entity) -> &'static str {
    match entity {
        Entity::Lead => {
            "coalesce(nullif(t.title, ''), nullif(trim(coalesce(t.first_name, '') || ' ' || coalesce(t.last_name, '')), ''), \
             t.company_title, '')"
        }
        _ => "coalesce(t.title, '')",
    }
}

/// SQL joining a record (alias `alias`) to its responsible (`u`), their department (`dep`)
/// and its source (`src`): what every report's facts name a record's people by, the same
/// text on SQLite and PostgreSQL.
pub fn people_joins(alias: &str) -> String {
    format!(
        "LEFT JOIN users u ON u.id = {alias}.responsible_id LEFT JOIN sources src ON src.id = {alias}.source_id \
         LEFT JOIN departments dep ON dep.id = u.department_id"
    )
}

/// A funnel's record as both engines read it: `at_end` the stage it was in at the period's
/// end (its stage now when no move is kept from before), `visited` the ids of the stages it
/// had been in, comma-separated.
pub fn funnel_fact(id: i64, at_end: i64, visited: Option<&str>, rest: FunnelFact) -> FunnelFact {
    let mut stages = visited_ids(visited.unwrap_or(""));
    if let Err(at) = stages.binary_search(&at_end) {
        stages.insert(at, at_end);
    }
    FunnelFact { id, stage_id: at_end, visited: stages, ..rest }
}

/// The list's reason `name` names (either language), or an error listing the list.
pub fn reason_named(
    list: &[crate::domain::report::reasons::LostReason],
    name: &str,
) -> crate::store::Result<crate::domain::report::reasons::LostReason> {
    list.iter().find(|r| r.is_named(name)).cloned().ok_or_else(|| {
        crate::domain::FieldError::new(
            "reason",
            crate::domain::Problem::Choice {
                value: name.trim().to_string(),
                accepted: list.iter().map(|r| r.name.clone()).collect(),
            },
        )
        .into()
    })
}

/// The tallies' units of time (`unit` columns; `bucket` is ms / unit): hours, and UTC days.
pub const HOUR: i64 = 3_600_000;
/// See `HOUR`.
pub const DAY: i64 = 86_400_000;

/// A span of time in the tallies' buckets: three `(unit, first, end)` pieces, the hours up
/// to the first UTC midnight, the whole days, the hours after the last midnight (an empty
/// piece has `first == end`).
pub type Spans = [(i64, i64, i64); 3];

/// `[from, to)` in the tallies' buckets when both ends fall on an hour (a local midnight in
/// a whole-hour time zone), none otherwise (the records are then read one by one).
pub fn spans((from, to): (i64, i64)) -> Option<Spans> {
    if from.rem_euclid(HOUR) != 0 || to.rem_euclid(HOUR) != 0 {
        return None;
    }
    let (first_day, end_day) = ((from + DAY - 1).div_euclid(DAY), to.div_euclid(DAY));
    Some(if first_day < end_day {
        [(HOUR, from / HOUR, first_day * 24), (DAY, first_day, end_day), (HOUR, end_day * 24, to / HOUR)]
    } else {
        [(HOUR, from / HOUR, (to / HOUR).max(from / HOUR)), (DAY, 0, 0), (HOUR, 0, 0)]
    })
}

/// What a funnel reads of the tallies for its query: the period's spans, and the hour its
/// records must have come in before (deals made from a past period's leads: one made after
/// the period's end was not there then, so they are read by the hour, where that is exact).
pub fn funnel_spans(query: &crate::store::engine::FunnelQuery) -> Option<(Spans, Option<i64>)> {
    let spans = spans(query.created).filter(|_| query.tallied)?;
    Some(match query.end {
        Some(end) if query.from_leads => {
            ([(HOUR, query.created.0 / HOUR, query.created.1 / HOUR), (DAY, 0, 0), (HOUR, 0, 0)], Some(end / HOUR))
        }
        _ => (spans, None),
    })
}

/// Everything before `to` (on an hour) in the tallies' buckets.
pub fn spans_before(to: i64) -> Spans {
    let end_day = to.div_euclid(DAY);
    [(DAY, i64::MIN, end_day), (HOUR, end_day * 24, to.div_euclid(HOUR)), (HOUR, 0, 0)]
}

/// SQL of a tally table's rows in `spans` that `filter` keeps, as three index ranges read one
/// after the other (a planner without statistics reads the whole table for an OR of them);
/// the nine parameters are named by `mark` from `first` (`?N` on SQLite, `$N` on PostgreSQL)
/// and `spans_params` gives their values in order.
pub fn spans_rows(table: &str, filter: &str, column: &str, first: usize, mark: impl Fn(usize) -> String) -> String {
    let piece = |k: usize| {
        let (u, a, b) = (mark(first + 3 * k), mark(first + 3 * k + 1), mark(first + 3 * k + 2));
        format!("SELECT * FROM {table} WHERE {filter} AND unit = {u} AND {column} >= {a} AND {column} < {b}")
    };
    format!("({} UNION ALL {} UNION ALL {})", piece(0), piece(1), piece(2))
}

/// Every row of `activity_tallies` (its key begins with `what`): the filter of a read of all
/// of them by index.
pub const EVERY_ACTIVITY_TALLY: &str = "what IN ('due_open', 'due_done', 'done', 'late')";

/// The values of `spans_rows`'s parameters.
pub fn spans_params(spans: &Spans) -> Vec<i64> {
    spans.iter().flat_map(|(u, a, b)| [*u, *a, *b]).collect()
}

/// A tally's stages-visited text (`1,4,7`) as ids.
pub fn visited_ids(text: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = text.split(',').filter_map(|s| s.trim().parse().ok()).collect();
    ids.sort_unstable();
    ids
}

/// A record's facts counted the other way: a past period's funnel takes back what a record
/// moved since counts for now, then adds what it counted for at the period's end.
pub fn taken_back(mut fact: FunnelFact) -> FunnelFact {
    fact.records = -fact.records;
    fact.amount_minor = fact.amount_minor.map(|a| -a);
    fact
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_its_whole_days_and_the_hours_at_its_ends() {
        // Paris, March 2026: 28 Feb 23:00 UTC to 31 Mar 22:00 UTC.
        let (from, to) = (1_772_319_600_000, 1_774_994_400_000);
        let s = spans((from, to)).unwrap();
        assert_eq!(s[0], (HOUR, from / HOUR, from / HOUR + 1), "the hour before the first UTC midnight");
        assert_eq!((s[1].0, s[1].2 - s[1].1), (DAY, 30), "1 to 30 March, whole UTC days");
        assert_eq!((s[2].0, s[2].2 - s[2].1), (HOUR, 22), "31 March until 22:00 UTC");
        let hours: i64 = s.iter().map(|(u, a, b)| (b - a) * u / HOUR).sum();
        assert_eq!(hours * HOUR, to - from);
        // Within one day: hours alone; not on an hour: none.
        assert_eq!(spans((from, from + 5 * HOUR)).unwrap()[0], (HOUR, from / HOUR, from / HOUR + 5));
        assert_eq!(spans((from + 1, to)), None);
        let before = spans_before(from);
        assert_eq!((before[0].2, before[1]), (from / DAY, (HOUR, from / DAY * 24, from / HOUR)));
    }
}
