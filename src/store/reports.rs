//! What both engines' report queries share: the SQL of a record's title for a report, the
//! units the tallies count by (hours, days, weeks, four weeks) and how a period reads them,
//! the names of people and sources read once.

use crate::domain::fields::Entity;
use crate::domain::report::LeadFact;
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

/// The tallies' units of time (`unit` columns; `bucket` is ms / unit), each a whole number of
/// the one before from the epoch on: hours, UTC days, weeks of seven days, and four weeks.
/// A period reads its longest whole units and the shorter ones at its ends.
pub const HOUR: i64 = 3_600_000;
/// See `HOUR`.
pub const DAY: i64 = 86_400_000;
/// See `HOUR`.
pub const WEEK: i64 = 7 * DAY;
/// See `HOUR`.
pub const FOUR_WEEKS: i64 = 4 * WEEK;
/// Every unit, shortest first.
pub const UNITS: [i64; 4] = [HOUR, DAY, WEEK, FOUR_WEEKS];

/// How many `(unit, first, end)` pieces a span of time has: the longest units in the middle
/// and, at each end, at most one piece of each shorter unit.
pub const PIECES: usize = 2 * UNITS.len() - 1;
/// How many parameters `spans_rows` takes (three a piece).
pub const SPAN_PARAMS: usize = 3 * PIECES;

/// A span of time in the tallies' buckets: `(unit, first, end)` pieces that together cover it
/// once (an empty piece has `first == end`).
pub type Spans = [(i64, i64, i64); PIECES];

/// The pieces of `[from, to)` (both on an hour) in units up to `UNITS[level]`.
fn pieces(from: i64, to: i64, level: usize, out: &mut Vec<(i64, i64, i64)>) {
    let unit = UNITS[level];
    if level == 0 {
        if from < to {
            out.push((unit, from / unit, to / unit));
        }
        return;
    }
    let (first, end) = ((from + unit - 1).div_euclid(unit), to.div_euclid(unit));
    if first >= end {
        return pieces(from, to, level - 1, out);
    }
    pieces(from, first * unit, level - 1, out);
    out.push((unit, first, end));
    pieces(end * unit, to, level - 1, out);
}

fn padded(mut v: Vec<(i64, i64, i64)>) -> Spans {
    debug_assert!(v.len() <= PIECES);
    v.resize(PIECES, (HOUR, 0, 0));
    v.try_into().unwrap_or([(HOUR, 0, 0); PIECES])
}

/// `[from, to)` in the tallies' buckets when both ends fall on an hour (a local midnight in
/// a whole-hour time zone), none otherwise (the records are then read one by one).
pub fn spans((from, to): (i64, i64)) -> Option<Spans> {
    if from.rem_euclid(HOUR) != 0 || to.rem_euclid(HOUR) != 0 {
        return None;
    }
    let mut v = Vec::with_capacity(PIECES);
    pieces(from, to, UNITS.len() - 1, &mut v);
    Some(padded(v))
}

/// The spans a funnel reads of the tallies for its query, when they serve.
pub fn funnel_spans(query: &crate::store::engine::FunnelQuery) -> Option<Spans> {
    spans(query.created).filter(|_| query.tallied)
}

/// The tallies of the deals made at or after `end` (an hour) from the leads that came in in
/// `created` (a past period's leads-to-deals funnel: the period's end did not see them), read
/// by the hour, where both moments are exact: the spans of the leads' hours, and the hour the
/// deals' bucket must reach (`made_filter`).
pub fn made_since(created: (i64, i64), end: i64) -> (Spans, i64) {
    (padded(vec![(HOUR, created.0 / HOUR, created.1 / HOUR)]), end / HOUR)
}

/// The funnel tallies' filter: the entity (`entity`'s mark), and for `made_since` the records
/// made at or after the hour its mark `made` gives (none: every one).
pub fn made_filter(entity: &str, made: &str) -> String {
    format!("entity = {entity} AND ({made} IS NULL OR bucket >= {made})")
}

/// SQL keeping a funnel's records (alias `t`) moved since the moment `since` (a move after
/// their first; the entity's code `entity`), or every one when `moved` is false and `since`
/// is none: the tallies count a moved record as it is now, a past period's funnel as it was
/// at its end. The same text on both engines.
pub fn moved_filter(moved: bool, from_leads: bool, entity: &str, since: &str) -> String {
    let moved_since =
        format!("t.id IN (SELECT record_id FROM stage_moves WHERE entity = {entity} AND at >= {since} AND first = 0)");
    match (moved, from_leads) {
        (false, _) => format!("AND {since} IS NULL"),
        (true, false) => format!("AND {moved_since}"),
        // Deals made since from the period's leads are taken back from the tallies apart.
        (true, true) => format!("AND {moved_since} AND t.created_at < {since}"),
    }
}

/// Everything before `to` (on an hour) in the tallies' buckets.
pub fn spans_before(to: i64) -> Spans {
    let end = to.div_euclid(FOUR_WEEKS);
    let mut v = vec![(FOUR_WEEKS, i64::MIN, end)];
    pieces(end * FOUR_WEEKS, to, UNITS.len() - 2, &mut v);
    padded(v)
}

/// SQL of a tally table's rows in `spans` that `filter` keeps, as index ranges read one after
/// the other (a planner without statistics reads the whole table for an OR of them); the
/// `SPAN_PARAMS` parameters are named by `mark` from `first` (`?N` on SQLite, `$N` on
/// PostgreSQL) and `spans_params` gives their values in order.
pub fn spans_rows(table: &str, filter: &str, column: &str, first: usize, mark: impl Fn(usize) -> String) -> String {
    let piece = |k: usize| {
        let (u, a, b) = (mark(first + 3 * k), mark(first + 3 * k + 1), mark(first + 3 * k + 2));
        format!("SELECT * FROM {table} WHERE {filter} AND unit = {u} AND {column} >= {a} AND {column} < {b}")
    };
    format!("({})", (0..PIECES).map(piece).collect::<Vec<_>>().join(" UNION ALL "))
}

/// Every row of `activity_tallies` (its key begins with `what`): the filter of a read of all
/// of them by index.
pub const EVERY_ACTIVITY_TALLY: &str = "what IN ('due_open', 'due_done', 'done', 'late')";

/// The values of `spans_rows`'s parameters.
pub fn spans_params(spans: &Spans) -> Vec<i64> {
    spans.iter().flat_map(|(u, a, b)| [*u, *a, *b]).collect()
}

/// A forecast tally's row as a fact standing for `records` deals: `month` (`2026-12`) as
/// the 1st of that month (none when it is not a month), `people` its responsible's login,
/// source code and department.
pub fn forecast_fact(
    stage_id: i64,
    amount: i64,
    currency: Option<String>,
    probability: Option<i64>,
    month: Option<&str>,
    [responsible, source, department]: [Option<String>; 3],
    records: i64,
) -> crate::domain::report::DealFact {
    crate::domain::report::DealFact {
        id: 0,
        stage_id,
        amount_minor: Some(amount),
        currency,
        probability,
        close_date: month.and_then(|m| chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok()),
        closed_at: None,
        responsible,
        source,
        department,
        reason: None,
        records,
    }
}

/// The names a report's rows give by id, read once rather than joined to every row: a
/// user's login and department, a source's code.
#[derive(Default)]
pub struct Names {
    people: std::collections::HashMap<i64, (Option<String>, Option<String>)>,
    sources: std::collections::HashMap<i64, Option<String>>,
}

impl Names {
    /// The query both engines read `Names` with: (1 for a user, 0 for a source, id, login or
    /// code, department).
    pub const SQL: &str = "SELECT CAST(1 AS BIGINT), u.id, CAST(u.login AS TEXT), CAST(dep.name AS TEXT) FROM users u \
         LEFT JOIN departments dep ON dep.id = u.department_id \
         UNION ALL SELECT CAST(0 AS BIGINT), id, CAST(code AS TEXT), NULL FROM sources";

    /// Takes one row of `SQL`.
    pub fn add(&mut self, (kind, id, name, department): (i64, i64, Option<String>, Option<String>)) {
        if kind == 1 {
            self.people.insert(id, (name, department));
        } else {
            self.sources.insert(id, name);
        }
    }

    /// A user's login and department by id.
    pub fn person(&self, id: Option<i64>) -> (Option<String>, Option<String>) {
        id.and_then(|id| self.people.get(&id).cloned()).unwrap_or((None, None))
    }

    /// A source's code by id.
    pub fn source(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.sources.get(&id).cloned().flatten())
    }

    /// A fact of `records` leads of one stage and people (ids), converted ones with `times`.
    pub fn lead_fact(
        &self,
        stage_id: i64,
        responsible: Option<i64>,
        source: Option<i64>,
        records: i64,
        times: Vec<i64>,
    ) -> LeadFact {
        let (responsible, department) = self.person(responsible);
        LeadFact {
            id: 0,
            stage_id,
            created_at: 0,
            closed_at: None,
            responsible,
            source: self.source(source),
            department,
            records,
            times,
        }
    }
}

/// A converted lead as `converted_together` takes it: stage, responsible, source (ids), time
/// from coming in to being converted (ms; none without a time).
pub type Converted = (i64, Option<i64>, Option<i64>, Option<i64>);

/// The converted leads `(stage, responsible, source, time to convert)` as one fact per stage
/// and people, with their times (`LeadFact::times`): a year's are a hundred thousand.
pub fn converted_together(rows: impl IntoIterator<Item = Converted>, names: &Names) -> Vec<LeadFact> {
    type Key = (i64, Option<i64>, Option<i64>);
    let mut groups: std::collections::BTreeMap<Key, (i64, Vec<i64>)> = Default::default();
    for (stage, responsible, source, time) in rows {
        let (n, times) = groups.entry((stage, responsible, source)).or_default();
        *n += 1;
        times.extend(time);
    }
    groups.into_iter().map(|((stage, r, s), (n, times))| names.lead_fact(stage, r, s, n, times)).collect()
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

    /// Hours a span covers, each piece checked to lie within `[from, to)`.
    fn hours(s: &Spans, (from, to): (i64, i64)) -> i64 {
        s.iter()
            .filter(|(_, a, b)| a < b)
            .map(|(u, a, b)| {
                assert!(a * u >= from && b * u <= to, "{:?} within {from}..{to}", (u, a, b));
                (b - a) * u / HOUR
            })
            .sum()
    }

    #[test]
    fn a_period_is_its_longest_whole_units_and_shorter_ones_at_its_ends() {
        // Paris, March 2026: 28 Feb 23:00 UTC to 31 Mar 22:00 UTC.
        let (from, to) = (1_772_319_600_000, 1_774_994_400_000);
        let s = spans((from, to)).unwrap();
        assert_eq!(s[0], (HOUR, from / HOUR, from / HOUR + 1), "the hour before the first UTC midnight");
        assert_eq!(hours(&s, (from, to)) * HOUR, to - from);
        let longest: Vec<_> = s.iter().filter(|(u, a, b)| *u >= WEEK && a < b).collect();
        assert_eq!(longest.len(), 1, "{s:?}");
        assert_eq!(s.iter().filter(|(u, a, b)| *u == HOUR && a < b).count(), 2);
        // Within one day: hours alone; not on an hour: none.
        assert_eq!(spans((from, from + 5 * HOUR)).unwrap()[0], (HOUR, from / HOUR, from / HOUR + 5));
        assert_eq!(spans((from + 1, to)), None);
        // A year: a dozen four-week pieces and a few shorter ones, every hour once.
        let year = (1_767_222_000_000, 1_798_758_000_000);
        let s = spans(year).unwrap();
        assert_eq!(hours(&s, year) * HOUR, year.1 - year.0);
        assert!(s.iter().any(|(u, a, b)| *u == FOUR_WEEKS && b - a >= 12), "{s:?}");
        // Every span, short or long, covers its hours once.
        for start in [0, 5, 23, 24 * 3 + 7, 24 * 40 + 22] {
            for len in [1, 22, 24, 25, 24 * 7, 24 * 7 + 3, 24 * 30, 24 * 91, 24 * 400] {
                let p = (from + start * HOUR, from + (start + len) * HOUR);
                assert_eq!(hours(&spans(p).unwrap(), p), len, "{p:?}");
            }
        }
        let before = spans_before(from);
        assert_eq!(before[0], (FOUR_WEEKS, i64::MIN, from.div_euclid(FOUR_WEEKS)));
        let rest = (from.div_euclid(FOUR_WEEKS) * FOUR_WEEKS, from);
        assert_eq!(hours(&padded(before[1..].to_vec()), rest) * HOUR, rest.1 - rest.0);
    }
}
