//! Numbered schema migrations, applied in place under an exclusive lock that re-reads the
//! version, so two clients upgrading one shared file at once cannot both apply a step.

use super::{Result, Store, StoreError};
use crate::domain::stage::{self, StageDef};
use crate::i18n::Lang;
use crate::store::engine::*;
use rusqlite::{Transaction, TransactionBehavior, params};

/// `PRAGMA application_id` of Prospect files ("PRSP").
pub const APPLICATION_ID: i64 = 0x5052_5350;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_next_activity.sql")),
    (3, include_str!("migrations/0003_agenda_indexes.sql")),
    (4, include_str!("migrations/0004_board_covering.sql")),
    (5, include_str!("migrations/0005_link_indexes.sql")),
    (6, include_str!("migrations/0006_intake_messages.sql")),
    (7, include_str!("migrations/0007_search_and_checks.sql")),
    (8, include_str!("migrations/0008_list_indexes.sql")),
    (9, include_str!("migrations/0009_stage_totals.sql")),
    (10, include_str!("migrations/0010_cheaper_indexes.sql")),
    (11, include_str!("migrations/0011_comms_owner_by_id.sql")),
    (12, include_str!("migrations/0012_ids_never_reused.sql")),
    (13, include_str!("migrations/0013_file_id.sql")),
    (14, include_str!("migrations/0014_activity_uid.sql")),
    (15, include_str!("migrations/0015_role_levels.sql")),
    (16, include_str!("migrations/0016_deal_contacts.sql")),
    (17, include_str!("migrations/0017_custom_fields.sql")),
    (18, include_str!("migrations/0018_list_views.sql")),
    (19, include_str!("migrations/0019_products_and_lines.sql")),
    (20, include_str!("migrations/0020_documents.sql")),
    (21, include_str!("migrations/0021_report_facts.sql")),
    (22, include_str!("migrations/0022_stage_moves.sql")),
    (23, concat!(include_str!("migrations/0023_report_tallies.sql"), include_str!("migrations/tallies_rebuild.sql"))),
    (
        24,
        concat!(
            include_str!("migrations/0024_forecast_and_weeks.sql"),
            include_str!("migrations/forecast_rebuild.sql")
        ),
    ),
    (25, include_str!("migrations/0025_stage_rules.sql")),
    (26, include_str!("migrations/0026_reminders.sql")),
    (27, include_str!("migrations/0027_next_activity_by_responsible.sql")),
];

/// Every report tally counted again from the records (a copy, a repair): what the triggers
/// of migrations 23 and 24 keep.
pub const TALLIES_REBUILD: &str =
    concat!(include_str!("migrations/tallies_rebuild.sql"), include_str!("migrations/forecast_rebuild.sql"));

/// Highest schema version this build knows.
pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

fn header(store: &Store) -> Result<(i64, i64, i64)> {
    // One statement, so one read snapshot: read separately, another client's first
    // migration could commit between the version (0) and the table count (> 0), and a brand
    // new file would look like another program's database.
    store
        .conn()
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), \
                    (SELECT application_id FROM pragma_application_id), \
                    (SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|e| store.err(e))
}

/// Brings the file to `LATEST`, refusing files of a newer version or of another program.
/// A busy file is reported as `StoreError::Busy`; `Store::open` waits and calls again.
pub fn run(store: &mut Store) -> Result<()> {
    run_once(store)
}

fn run_once(store: &mut Store) -> Result<()> {
    let (version, app, tables) = header(store)?;
    if app != 0 && app != APPLICATION_ID {
        return Err(StoreError::Foreign(store.path().to_path_buf()));
    }
    if version > LATEST {
        return Err(StoreError::NewerSchema { path: store.path().to_path_buf(), found: version, known: LATEST });
    }
    if version == LATEST {
        return Ok(());
    }
    if version == 0 && tables > 0 {
        return Err(StoreError::Foreign(store.path().to_path_buf()));
    }
    if store.read_only() {
        return Err(StoreError::ReadOnly(store.path().to_path_buf()));
    }
    if version > 0 {
        // An upgrade rewrites a file people depend on: keep a copy of how it was.
        // A retry after a busy wait keeps the copy made the first time.
        let copy = store.path().with_extension(format!("v{version}.backup.db"));
        if !copy.exists() {
            store.backup_to(&copy)?;
        }
    }
    // Another client may have upgraded while we waited: the version is re-read under the lock.
    apply_locked(store.conn(), store.path(), store.options().lang)
}

fn apply_locked(conn: &rusqlite::Connection, path: &std::path::Path, lang: Lang) -> Result<()> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Exclusive)
        .map_err(|e| StoreError::from_sqlite(e, path))?;
    let apply = || -> rusqlite::Result<()> {
        let now_version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > now_version) {
            tx.execute_batch(sql)?;
            if *v == 1 {
                seed(&tx, lang)?;
            }
            if *v == 7 {
                rewrite_in_checks(&tx)?;
            }
            if *v == 12 {
                never_reuse_ids(&tx)?;
                super::totals::recount_stage_totals(&tx).map_err(store_to_sqlite)?;
            }
            if *v == 15 {
                super::roles::seed_presets(&tx)?;
            }
            if *v == 18 {
                super::custom_fields::refresh_sort_keys(&tx, None).map_err(store_to_sqlite)?;
                super::views::seed_views(&tx, lang).map_err(store_to_sqlite)?;
            }
            tx.execute_batch(&format!("PRAGMA user_version = {v}"))?;
        }
        tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
        Ok(())
    };
    apply().map_err(|e| StoreError::from_sqlite(e, path))?;
    tx.commit().map_err(|e| StoreError::from_sqlite(e, path))?;
    Ok(())
}

/// The `CHECK (column IN (...))` constraints of three values or more, by table and column, as
/// 0001 wrote them: a migration rewrites that text, so the lists are not taken from today's
/// domain types (a value added to those later would make the text not match).
const IN_CHECKS: &[(&str, &str, &[&str])] = &[
    ("comms", "kind", &["phone", "email", "web", "messenger"]),
    ("activities", "kind", &["call", "meeting", "task", "email"]),
    ("activities", "priority", &["low", "medium", "high"]),
    ("stages", "semantics", &["in_progress", "success", "failure"]),
];

/// Version 7 writes each of `IN_CHECKS` as `column = 'a' OR column = 'b' ...`: the same rule,
/// but SQLite made a temporary b-tree for the IN list at every insert or update of the row
/// (two per phone or e-mail, two per activity), a tenth of a bulk import. The stored rows do
/// not change, so the table's text is changed in place, by SQLite's documented procedure for
/// such changes (writable_schema, then a new schema_version so every connection reads it).
fn rewrite_in_checks(tx: &Transaction) -> rusqlite::Result<()> {
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.execute_batch("PRAGMA writable_schema = ON")?;
    for (table, column, values) in IN_CHECKS {
        let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
        let old = format!("CHECK ({column} IN ({}))", quoted.join(", "));
        let new: Vec<String> = quoted.iter().map(|v| format!("{column} = {v}")).collect();
        let new = format!("CHECK ({})", new.join(" OR "));
        tx.execute(
            "UPDATE sqlite_schema SET sql = replace(sql, ?1, ?2) WHERE type = 'table' AND name = ?3",
            params![old, new, table],
        )?;
    }
    tx.execute_batch(&format!("PRAGMA schema_version = {}; PRAGMA writable_schema = OFF", version + 1))?;
    Ok(())
}

/// Tables whose ids name something a person or the timeline refers to, with the entity code
/// their timeline entries and change log use (none for the tables no history names).
const NEVER_REUSED: &[(&str, Option<&str>)] = &[
    ("leads", Some("lead")),
    ("contacts", Some("contact")),
    ("companies", Some("company")),
    ("deals", Some("deal")),
    ("activities", None),
    ("pipelines", None),
    ("stages", None),
    ("sources", None),
    ("users", None),
    ("departments", None),
    ("custom_fields", None),
];

/// Version 12 makes each table of `NEVER_REUSED` an AUTOINCREMENT table, so that SQLite
/// never hands out an id again once it was used, even after the newest row is deleted.
/// AUTOINCREMENT changes how the next id is chosen, not how rows are stored, so the table's
/// text is changed in place (as `rewrite_in_checks` does), and `sqlite_sequence` is seeded
/// with the highest id each table is known to have used: its rows, the timeline and change
/// log of its records, and the activities the timeline names.
fn never_reuse_ids(tx: &Transaction) -> rusqlite::Result<()> {
    // sqlite_sequence exists once any AUTOINCREMENT table was made, and stays.
    tx.execute_batch(
        "CREATE TABLE prospect_sequence_maker (id INTEGER PRIMARY KEY AUTOINCREMENT); DROP TABLE prospect_sequence_maker;",
    )?;
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.execute_batch("PRAGMA writable_schema = ON")?;
    for (table, entity) in NEVER_REUSED {
        let sql: String =
            tx.query_row("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))?;
        let rewritten = with_autoincrement(&sql).ok_or_else(|| {
            rusqlite::Error::ModuleError(format!("table {table}: its id column is not `id INTEGER PRIMARY KEY`"))
        })?;
        tx.execute("UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = ?2", params![rewritten, table])?;
        let mut highest: i64 = tx.query_row(&format!("SELECT coalesce(max(id), 0) FROM {table}"), [], |r| r.get(0))?;
        if let Some(code) = entity {
            let used: i64 = tx.query_row(
                "SELECT max(coalesce((SELECT max(entity_id) FROM timeline WHERE entity IN (?1, ?1 || ':reused')), 0), \
                            coalesce((SELECT max(entity_id) FROM changes WHERE entity = ?1), 0))",
                [code],
                |r| r.get(0),
            )?;
            highest = highest.max(used);
        }
        if *table == "activities" {
            let named: i64 = tx.query_row(
                "SELECT coalesce(max(CAST(json_extract(payload, '$.activity') AS INTEGER)), 0) FROM timeline \
                 WHERE kind LIKE 'activity%' AND json_valid(payload)",
                [],
                |r| r.get(0),
            )?;
            highest = highest.max(named);
        }
        tx.execute("DELETE FROM sqlite_sequence WHERE name = ?1", [table])?;
        tx.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)", params![table, highest])?;
    }
    tx.execute_batch(&format!("PRAGMA schema_version = {}; PRAGMA writable_schema = OFF", version + 1))?;
    Ok(())
}

/// `CREATE TABLE t (id INTEGER PRIMARY KEY, ...)` with `AUTOINCREMENT` after the id's key;
/// the text as it is when it says so already; `None` when it has no such column.
fn with_autoincrement(sql: &str) -> Option<String> {
    let key = "INTEGER PRIMARY KEY";
    let at = sql.find(key)?;
    let before = sql[..at].trim_end();
    let after = &sql[at + key.len()..];
    if !before.ends_with("id") {
        return None;
    }
    if after.trim_start().to_ascii_uppercase().starts_with("AUTOINCREMENT") {
        return Some(sql.to_string());
    }
    Some(format!("{}{key} AUTOINCREMENT{after}", &sql[..at]))
}

/// A store error met inside a migration, as the SQLite error the migration steps speak.
fn store_to_sqlite(e: StoreError) -> rusqlite::Error {
    rusqlite::Error::ModuleError(e.to_string())
}

/// A default name in the language of the file's creator (English when not translated).
fn local_name(lang: Lang, group: &str, code: &str, english: &str) -> String {
    let key = format!("{group}.{code}");
    let name = crate::i18n::tr_in(lang, &key, &[]);
    if name == key { english.to_string() } else { name }
}

fn localised(lang: Lang, stages: Vec<StageDef>) -> Vec<StageDef> {
    stages.into_iter().map(|s| StageDef { name: local_name(lang, "stage_name", &s.code, &s.name), ..s }).collect()
}

/// Default pipelines, stages and sources of a new file, named in its creator's language
/// (they are ordinary data afterwards: an administrator renames them at will).
fn seed(tx: &Transaction, lang: Lang) -> rusqlite::Result<()> {
    tx.execute("INSERT INTO pipelines (entity, name, sort) VALUES ('lead', 'Leads', 0)", [])?;
    insert_stages(tx, tx.last_insert_rowid(), &localised(lang, stage::default_lead_stages()))?;
    tx.execute(
        "INSERT INTO pipelines (entity, name, sort) VALUES ('deal', ?1, 0)",
        [local_name(lang, "pipeline_name", "default", "General")],
    )?;
    insert_stages(tx, tx.last_insert_rowid(), &localised(lang, stage::default_deal_stages()))?;
    for (i, (code, name)) in stage::default_sources().into_iter().enumerate() {
        tx.execute(
            "INSERT INTO sources (code, name, sort) VALUES (?1, ?2, ?3)",
            params![code, local_name(lang, "source_name", code, name), i as i64],
        )?;
    }
    tx.execute("INSERT INTO settings (key, value) VALUES ('crm_mode', 'classic')", [])?;
    Ok(())
}

/// Inserts stages in order; used by seeding and by new pipelines.
pub fn insert_stages(tx: &Transaction, pipeline_id: i64, stages: &[StageDef]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare(
        "INSERT INTO stages (pipeline_id, code, name, color, semantics, sort) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, s) in stages.iter().enumerate() {
        stmt.execute(params![pipeline_id, s.code, s.name, s.color, s.semantics.code(), i as i64 * 10])?;
    }
    Ok(())
}
