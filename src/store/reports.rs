//! What both engines' report queries share: the SQL of a record's title for a report, the
//! hours the tallies count by.

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
    let mut stages: Vec<i64> = visited.unwrap_or("").split(',').filter_map(|s| s.trim().parse().ok()).collect();
    if !stages.contains(&at_end) {
        stages.push(at_end);
    }
    stages.sort_unstable();
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

/// The tallies' unit of time (`hour` columns: ms / `HOUR`).
pub const HOUR: i64 = 3_600_000;

/// `[from, to)` in the tallies' hours when both ends fall on an hour (a local midnight in a
/// whole-hour time zone), none otherwise (the records are then read one by one).
pub fn whole_hours((from, to): (i64, i64)) -> Option<(i64, i64)> {
    (from.rem_euclid(HOUR) == 0 && to.rem_euclid(HOUR) == 0).then(|| (from / HOUR, to / HOUR))
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
