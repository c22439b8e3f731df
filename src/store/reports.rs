//! What both engines' report queries share: the SQL of a record's title for a report.

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
