//! Each person's own PostgreSQL role (migration 4): made or found by `prospect user add`,
//! given the privileges Prospect's tables need, and mapped to the user (`users.db_role`).
//! Row-level security then applies the user's levels to that role's every statement, and a
//! connection as that role signs in as that user whatever `--user` says.

use super::Result;
use postgres::GenericClient;

/// Tables a user's role reads only: the team, the pipelines, the settings of the database.
const READ_ONLY: &[&str] = &[
    "prospect_schema",
    "departments",
    "users",
    "roles",
    "user_roles",
    "role_grants",
    "pipelines",
    "stages",
    "sources",
    "lost_reasons",
    "custom_fields",
    "stage_totals",
    "products",
    "stage_moves",
    "record_tallies",
    "activity_tallies",
    "forecast_tallies",
    "stage_rules",
];

/// Tables a user's role reads and writes, under row-level security where they hold records
/// or what belongs to one. (`settings` holds the queue's last pick, written by whoever
/// takes a lead in.)
const READ_WRITE: &[&str] = &[
    "settings",
    "leads",
    "deals",
    "contacts",
    "companies",
    "contact_companies",
    "deal_contacts",
    "comms",
    "activities",
    "activity_bindings",
    "timeline",
    "changes",
    "custom_values",
    "list_views",
    "line_items",
    "documents",
    "document_counters",
    "intake_messages",
    "search",
];

/// The login of the user whose database role this connection is, if any.
pub(super) fn bound_login(c: &mut impl GenericClient) -> Result<Option<String>> {
    Ok(c.query_opt("SELECT login::text FROM users WHERE db_role = session_user", &[])?.map(|r| r.get(0)))
}

/// Makes (or finds) the database role `login` for user `user_id` and grants it what
/// Prospect needs, when the connected role may make roles; otherwise leaves the user without
/// one (they connect as the administrators do, and the service's rules alone apply).
pub(super) fn give_role(tx: &mut impl GenericClient, user_id: i64, login: &str, password: Option<&str>) -> Result<()> {
    let may: bool =
        tx.query_one("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user", &[])?.get(0);
    if !may {
        return Ok(());
    }
    // An existing role is adopted as it is, unless row-level security would not hold it (a
    // superuser, a role that bypasses it) or it is the connection's own (the owner's).
    let existing = tx.query_opt(
        "SELECT rolsuper OR rolbypassrls OR rolname = current_user OR pg_has_role(rolname, current_user, 'MEMBER') \
         FROM pg_roles WHERE rolname = $1",
        &[&login],
    )?;
    if existing.as_ref().is_some_and(|r| r.get::<_, bool>(0)) {
        return Ok(());
    }
    if existing.is_none() {
        let sql: String = match password {
            Some(p) => {
                tx.query_one("SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)", &[&login, &p])?
            }
            None => tx.query_one("SELECT format('CREATE ROLE %I LOGIN', $1::text)", &[&login])?,
        }
        .get(0);
        // Another database on the server may make the same person's role at this moment.
        let mut sp = tx.transaction()?;
        match sp.batch_execute(&sql) {
            Ok(()) => sp.commit()?,
            Err(e) if e.code().is_some_and(|c| c.code() == "42710" || c.code() == "23505") => sp.rollback()?,
            Err(e) => return Err(e.into()),
        }
    }
    tx.execute("UPDATE users SET db_role = $1 WHERE id = $2", &[&login, &user_id])?;
    let admin: bool = tx.query_one("SELECT is_admin FROM users WHERE id = $1", &[&user_id])?.get(0);
    grant(tx, login, admin)
}

/// Gives role `role` what Prospect needs: an administrator's reads and writes of every table
/// (they change pipelines, users and settings; row-level security lets them see all), anyone
/// else's the reads and writes of `READ_ONLY` and `READ_WRITE`, whatever they had before. Only
/// the tables' owner can grant: another administrator's grants are warnings that change
/// nothing (PostgreSQL's rule), so roles follow admin changes made by the owner.
pub(super) fn grant(tx: &mut impl GenericClient, role: &str, admin: bool) -> Result<()> {
    let on = |what: &str, tables: &[&str]| -> String {
        format!("GRANT {what} ON {} TO %2$I", tables.iter().map(|t| format!("%1$I.{t}")).collect::<Vec<_>>().join(", "))
    };
    let mut templates = vec![
        "GRANT USAGE ON SCHEMA %1$I TO %2$I".to_string(),
        "REVOKE ALL ON ALL TABLES IN SCHEMA %1$I FROM %2$I".to_string(),
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA %1$I TO %2$I".to_string(),
        // Giving one's record to another (migration 18: not everyone's to call).
        "GRANT EXECUTE ON FUNCTION %1$I.prospect_hand_over(text, bigint, bigint) TO %2$I".to_string(),
    ];
    if admin {
        // Rows only: no TRIGGER, TRUNCATE or REFERENCES, which would reach the owner's rights.
        templates.push("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %1$I TO %2$I".to_string());
    } else {
        templates.push(on("SELECT", READ_ONLY));
        templates.push(on("SELECT, INSERT, UPDATE, DELETE", READ_WRITE));
    }
    for template in templates {
        let sql: String =
            tx.query_one("SELECT format($1::text, current_schema(), $2::text)", &[&template, &role])?.get(0);
        tx.batch_execute(&sql)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Every table the data lives in is granted to a user's role, one way or the other: a
    /// table added to the schema (and so to the copy's list) without a grant here would be
    /// out of every restricted user's reach.
    #[test]
    fn every_table_of_the_data_is_granted() {
        for table in crate::store::copy::TABLES {
            assert!(super::READ_ONLY.contains(table) || super::READ_WRITE.contains(table), "{table}");
        }
    }
}
