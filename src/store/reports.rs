//! What both engines' report queries share: the SQL of a record's title for a report.

use crate::domain::fields::Entity;

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
