//! Numbered schema migrations of a PostgreSQL database, applied in one transaction under an
//! advisory lock that re-reads the version: two clients upgrading one database at once
//! cannot both apply a step. A database from a newer Prospect, or another program's, is
//! refused as a file would be.

use super::{Result, Store, StoreError};
use crate::domain::stage::{self, StageDef};
use crate::i18n::Lang;
use crate::store::engine::*;
use postgres::GenericClient;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_search_by_kind.sql")),
    (3, include_str!("migrations/0003_role_levels.sql")),
    (4, include_str!("migrations/0004_row_security.sql")),
    (5, include_str!("migrations/0005_deal_contacts.sql")),
    (6, include_str!("migrations/0006_custom_fields.sql")),
    (7, include_str!("migrations/0007_list_views.sql")),
    (8, include_str!("migrations/0008_views_row_security.sql")),
    (9, include_str!("migrations/0009_products_and_lines.sql")),
    (10, include_str!("migrations/0010_documents.sql")),
    (11, include_str!("migrations/0011_report_facts.sql")),
    (12, include_str!("migrations/0012_stage_moves.sql")),
    (13, concat!(include_str!("migrations/0013_report_tallies.sql"), include_str!("migrations/tallies_rebuild.sql"))),
    (
        14,
        concat!(
            include_str!("migrations/0014_forecast_and_weeks.sql"),
            include_str!("migrations/forecast_rebuild.sql")
        ),
    ),
    (15, include_str!("migrations/0015_stage_rules.sql")),
    (16, include_str!("migrations/0016_reminders.sql")),
    (17, include_str!("migrations/0017_hand_over.sql")),
    (18, include_str!("migrations/0018_hand_over_path.sql")),
    (19, include_str!("migrations/0019_next_activity_by_responsible.sql")),
    (20, include_str!("migrations/0020_totals_per_statement.sql")),
];

/// Every report tally counted again from the records (a copy, a repair): what the triggers
/// of migrations 13 and 14 keep.
pub const TALLIES_REBUILD: &str =
    concat!(include_str!("migrations/tallies_rebuild.sql"), include_str!("migrations/forecast_rebuild.sql"));

/// Highest schema version this build knows.
pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The advisory lock key of schema changes ("PRSP" and 1).
const SCHEMA_LOCK: i64 = 0x5052_5350_0000_0001;

/// Brings the database to `LATEST`, refusing databases of a newer version or of another program.
pub fn run(store: &mut Store) -> Result<()> {
    let path = store.path().to_path_buf();
    let lang = store.options().lang;
    let read_only = store.read_only();
    let mut client = store.client();
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
    // Read under the lock: another client may have upgraded while we waited for it.
    let (version, tables) = version_of(&mut tx)?;
    if version > LATEST {
        return Err(StoreError::NewerSchema { path, found: version, known: LATEST });
    }
    if version == LATEST {
        tx.commit()?;
        return Ok(());
    }
    if version == 0 && tables > 0 {
        return Err(StoreError::Foreign(path));
    }
    if read_only {
        return Err(StoreError::ReadOnly(path));
    }
    if version == 0 {
        tx.batch_execute("CREATE TABLE prospect_schema (version BIGINT NOT NULL)")?;
        tx.execute("INSERT INTO prospect_schema (version) VALUES (0)", &[])?;
    }
    for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > version) {
        tx.batch_execute(sql)?;
        if *v == 1 {
            seed(&mut tx, lang)?;
        }
        if *v == 3 {
            super::roles::seed_presets(&mut tx)?;
        }
        if *v == 7 {
            super::custom_fields::refresh_sort_keys(&mut tx, None)?;
            super::views::seed_views(&mut tx, lang)?;
        }
        tx.execute("UPDATE prospect_schema SET version = $1", &[v])?;
    }
    // Users' own database roles get the tables a migration made as their other rights say
    // (a grant names the tables that exist when it runs): without it, a role made before
    // version 12 could not write a lead, whose trigger reads `stage_moves`.
    let roles: Vec<(String, bool)> = tx
        .query("SELECT db_role, is_admin FROM users WHERE db_role IN (SELECT rolname::text FROM pg_roles)", &[])?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    for (role, admin) in roles {
        super::db_roles::grant(&mut tx, &role, admin)?;
    }
    tx.commit()?;
    Ok(())
}

fn version_of(c: &mut impl GenericClient) -> Result<(i64, i64)> {
    let exists: bool = c.query_one("SELECT to_regclass('prospect_schema') IS NOT NULL", &[])?.get(0);
    let tables: i64 = c.query_one("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", &[])?.get(0);
    if !exists {
        return Ok((0, tables));
    }
    let v: i64 = c.query_one("SELECT coalesce(max(version), 0) FROM prospect_schema", &[])?.get(0);
    Ok((v, tables))
}

/// A default name in the language of the database's creator (English when not translated).
fn local_name(lang: Lang, group: &str, code: &str, english: &str) -> String {
    let key = format!("{group}.{code}");
    let name = crate::i18n::tr_in(lang, &key, &[]);
    if name == key { english.to_string() } else { name }
}

fn localised(lang: Lang, stages: Vec<StageDef>) -> Vec<StageDef> {
    stages.into_iter().map(|s| StageDef { name: local_name(lang, "stage_name", &s.code, &s.name), ..s }).collect()
}

/// Default pipelines, stages and sources of a new database, named in its creator's language.
fn seed(tx: &mut impl GenericClient, lang: Lang) -> Result<()> {
    let leads: i64 = tx
        .query_one("INSERT INTO pipelines (entity, name, sort) VALUES ('lead', 'Leads', 0) RETURNING id", &[])?
        .get(0);
    insert_stages(tx, leads, &localised(lang, stage::default_lead_stages()))?;
    let general = local_name(lang, "pipeline_name", "default", "General");
    let deals: i64 = tx
        .query_one("INSERT INTO pipelines (entity, name, sort) VALUES ('deal', $1, 0) RETURNING id", &[&general])?
        .get(0);
    insert_stages(tx, deals, &localised(lang, stage::default_deal_stages()))?;
    for (i, (code, name)) in stage::default_sources().into_iter().enumerate() {
        tx.execute(
            "INSERT INTO sources (code, name, sort) VALUES ($1, $2, $3)",
            &[&code, &local_name(lang, "source_name", code, name), &(i as i64)],
        )?;
    }
    tx.execute("INSERT INTO settings (key, value) VALUES ('crm_mode', 'classic')", &[])?;
    Ok(())
}

/// Inserts stages in order; used by seeding and by new pipelines.
pub fn insert_stages(tx: &mut impl GenericClient, pipeline_id: i64, stages: &[StageDef]) -> Result<()> {
    let stmt = tx.prepare(
        "INSERT INTO stages (pipeline_id, code, name, color, semantics, sort) VALUES ($1, $2, $3, $4, $5, $6)",
    )?;
    for (i, s) in stages.iter().enumerate() {
        tx.execute(&stmt, &[&pipeline_id, &s.code, &s.name, &s.color, &s.semantics.code(), &(i as i64 * 10)])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::scratch::{ScratchDb, server};

    fn indexes(c: &mut impl GenericClient) -> Vec<String> {
        let rows =
            c.query("SELECT indexname::text FROM pg_indexes WHERE tablename = 'search' ORDER BY 1", &[]).unwrap();
        rows.iter().map(|r| r.get(0)).collect()
    }

    /// A user's own database role made before a migration added tables gets them too: a
    /// role made at version 11 writes a lead after the upgrade to 12, whose trigger writes
    /// `stage_moves`, and reads the lost reasons.
    #[test]
    fn roles_made_before_an_upgrade_get_its_tables() {
        use crate::store::engine::*;
        let Some(admin) = server() else { return };
        let db = ScratchDb::create(&admin).unwrap();
        let login = "prospect_regrant_test";
        let password = "regrant-pw-1";
        {
            let mut store = Store::open(&db.url, Default::default()).unwrap();
            crate::store::postgres::scratch::add_member(&mut store, login, password);
            let mut c = store.client();
            // Back to version 11: the tables of 12 gone, the role granted what 11 had.
            c.batch_execute(
                "DROP FUNCTION prospect_statement_totals CASCADE; DROP TRIGGER leads_totals ON leads; DROP TRIGGER deals_totals ON deals; CREATE TRIGGER leads_totals AFTER INSERT OR DELETE OR UPDATE OF stage_id, currency, amount_minor ON leads FOR EACH ROW EXECUTE FUNCTION prospect_totals(); CREATE TRIGGER deals_totals AFTER INSERT OR DELETE OR UPDATE OF stage_id, currency, amount_minor ON deals FOR EACH ROW EXECUTE FUNCTION prospect_totals(); DROP INDEX leads_responsible_next, deals_responsible_next; DROP FUNCTION prospect_hand_over; DROP INDEX activities_reminders; ALTER TABLE activities DROP COLUMN reminded_at; DROP FUNCTION prospect_reminder_reset CASCADE; DROP TABLE stage_rules; DROP TABLE forecast_tallies; DROP FUNCTION prospect_forecast_tallies CASCADE; DROP INDEX deals_created; DROP TABLE record_tallies, activity_tallies, tally_units; DROP FUNCTION prospect_record_tallies CASCADE; DROP FUNCTION prospect_activity_tallies CASCADE; DROP FUNCTION prospect_release_lead CASCADE; DROP FUNCTION prospect_tally_record; DROP FUNCTION prospect_visited; DROP INDEX leads_stage_created; DROP TABLE stage_moves, lost_reasons; DROP FUNCTION prospect_stage_moves CASCADE;
                 UPDATE prospect_schema SET version = 11;",
            )
            .unwrap();
        }
        drop(Store::open(&db.url, Default::default()).unwrap());
        let url = crate::store::postgres::scratch::with_user(&db.url, login, password);
        let mut own = Store::open(&url, Default::default()).unwrap();
        let input = crate::store::RecordInput {
            fields: vec![("title".into(), "After the upgrade".into())],
            ..Default::default()
        };
        own.create(crate::domain::fields::Entity::Lead, &input)
            .expect("a lead written by a role made before the upgrade");
        assert!(!own.lost_reasons().unwrap().is_empty());
    }

    /// A database of schema 1 is upgraded in place on open: its records stay, the search
    /// gets an index per kind of record, and the version says so.
    #[test]
    fn a_schema_1_database_is_upgraded_in_place() {
        let Some(admin) = server() else { return };
        let db = ScratchDb::create(&admin).unwrap();
        {
            let store = Store::open(&db.url, Default::default()).unwrap();
            let mut c = store.client();
            // Back to schema 1 as that build left it, with one search entry.
            c.batch_execute(
                "DROP INDEX search_words_lead, search_words_deal, search_words_contact, search_words_company;
                 CREATE INDEX search_words ON search USING GIN (words);
                 INSERT INTO search (entity, entity_id, body, words) VALUES ('lead', 7, 'kept', 'kept');
                 DROP TABLE role_grants, deal_contacts, list_views, line_items, products, documents, document_counters;
                 DROP INDEX custom_values_order; ALTER TABLE custom_values DROP COLUMN sort_key;
                 ALTER TABLE custom_fields DROP COLUMN label_fr, DROP COLUMN link_to, DROP COLUMN default_value,
                     DROP COLUMN in_list, DROP COLUMN required_from;
                 DROP INDEX leads_responsible_stage, deals_responsible_stage;
                 DO $$ DECLARE r record; BEGIN
                     FOR r IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = current_schema() LOOP
                         EXECUTE format('DROP POLICY %I ON %I', r.policyname, r.tablename);
                     END LOOP;
                 END $$;
                 DROP FUNCTION prospect_sees, prospect_reach, prospect_level, prospect_rank,
                     prospect_user_id, prospect_is_admin;
                 ALTER TABLE users DROP COLUMN db_role;
                 DROP FUNCTION prospect_statement_totals CASCADE; DROP TRIGGER leads_totals ON leads; DROP TRIGGER deals_totals ON deals; CREATE TRIGGER leads_totals AFTER INSERT OR DELETE OR UPDATE OF stage_id, currency, amount_minor ON leads FOR EACH ROW EXECUTE FUNCTION prospect_totals(); CREATE TRIGGER deals_totals AFTER INSERT OR DELETE OR UPDATE OF stage_id, currency, amount_minor ON deals FOR EACH ROW EXECUTE FUNCTION prospect_totals(); DROP INDEX leads_responsible_next, deals_responsible_next; DROP FUNCTION prospect_hand_over; DROP INDEX activities_reminders; ALTER TABLE activities DROP COLUMN reminded_at; DROP FUNCTION prospect_reminder_reset CASCADE; DROP TABLE stage_rules; DROP TABLE forecast_tallies; DROP FUNCTION prospect_forecast_tallies CASCADE; DROP INDEX deals_created; DROP TABLE record_tallies, activity_tallies, tally_units; DROP FUNCTION prospect_record_tallies CASCADE; DROP FUNCTION prospect_activity_tallies CASCADE; DROP FUNCTION prospect_release_lead CASCADE; DROP FUNCTION prospect_tally_record; DROP FUNCTION prospect_visited; DROP INDEX leads_stage_created; DROP TABLE stage_moves, lost_reasons; DROP FUNCTION prospect_stage_moves CASCADE;
                 DROP TRIGGER leads_closed_insert ON leads; DROP TRIGGER leads_closed_move ON leads;
                 DROP TRIGGER deals_closed_insert ON deals; DROP TRIGGER deals_closed_move ON deals;
                 DROP FUNCTION prospect_closed_at;
                 ALTER TABLE leads DROP COLUMN closed_at; ALTER TABLE deals DROP COLUMN closed_at;
                 ALTER TABLE stages DROP COLUMN probability, DROP COLUMN rot_days;
                 UPDATE prospect_schema SET version = 1;",
            )
            .unwrap();
        }
        let store = Store::open(&db.url, Default::default()).unwrap();
        let mut c = store.client();
        let version: i64 = c.query_one("SELECT version FROM prospect_schema", &[]).unwrap().get(0);
        assert_eq!(version, LATEST);
        assert_eq!(
            indexes(&mut *c),
            [
                "search_kind",
                "search_pkey",
                "search_words_company",
                "search_words_contact",
                "search_words_deal",
                "search_words_lead"
            ]
        );
        let kept: i64 = c.query_one("SELECT count(*) FROM search WHERE entity_id = 7", &[]).unwrap().get(0);
        assert_eq!(kept, 1);
        // Version 3: each preset role has its 30 levels.
        let levels: i64 = c.query_one("SELECT count(*) FROM role_grants", &[]).unwrap().get(0);
        assert_eq!(levels, 4 * 30);
    }
}
