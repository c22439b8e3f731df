//! `db check`, `db check --repair`, `db vacuum` and `db backup` on PostgreSQL. The server
//! keeps its own pages and references (no integrity or foreign-key pass of ours); the check
//! is Prospect's own invariants, as a file's (`sqlite::maintenance`): stage order, records
//! in another pipeline's stage, column totals, histories mixed by a reused id, activity
//! dates, the search entries, and the phones, e-mails and activity bindings of records that
//! no longer exist (references a file does not declare either). A backup is a SQLite file
//! copied from one snapshot of the database (`store::copy`).

use super::{Result, Store, StoreError, refs, search};
use crate::domain::fields::Entity;
use crate::domain::stage;
use crate::store::copy;
use crate::store::engine::*;
use crate::store::maintenance::{CheckReport, Vacuumed};
use postgres::GenericClient;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Column totals: (stage, currency, '' for none) -> (records, amount; `None` where the sum
/// does not fit in 64 bits).
type Totals = BTreeMap<(i64, String), (i64, Option<i64>)>;

/// The column totals as the records give them, summed by the server in `numeric`.
fn totals_of_records(c: &mut impl GenericClient) -> Result<Totals> {
    let rows = c.query(
        "SELECT stage_id, coalesce(currency, ''), count(*), \
                CASE WHEN coalesce(sum(amount_minor), 0) BETWEEN -9223372036854775808 AND 9223372036854775807 \
                     THEN coalesce(sum(amount_minor), 0)::bigint END \
         FROM (SELECT stage_id, currency, amount_minor FROM leads \
               UNION ALL SELECT stage_id, currency, amount_minor FROM deals) r GROUP BY 1, 2",
        &[],
    )?;
    Ok(rows.iter().map(|r| ((r.get(0), r.get(1)), (r.get(2), r.get(3)))).collect())
}

/// The column totals as `stage_totals` keeps them (columns without records left out).
fn totals_kept(c: &mut impl GenericClient) -> Result<Totals> {
    let rows = c.query("SELECT stage_id, currency, records, amount_minor FROM stage_totals WHERE records <> 0", &[])?;
    Ok(rows.iter().map(|r| ((r.get(0), r.get(1)), (r.get(2), r.get(3)))).collect())
}

/// Counts `stage_totals` again from the records (a repair, the end of a copy).
pub(crate) fn recount_stage_totals(c: &mut impl GenericClient) -> Result<()> {
    c.batch_execute(
        "DELETE FROM stage_totals; \
         INSERT INTO stage_totals (stage_id, currency, records, amount_minor) \
         SELECT stage_id, coalesce(currency, ''), count(*), \
                CASE WHEN coalesce(sum(amount_minor), 0) BETWEEN -9223372036854775808 AND 9223372036854775807 \
                     THEN coalesce(sum(amount_minor), 0)::bigint END \
         FROM (SELECT stage_id, currency, amount_minor FROM leads \
               UNION ALL SELECT stage_id, currency, amount_minor FROM deals) r GROUP BY 1, 2",
    )?;
    Ok(())
}

/// Holds other writers of leads and deals off until the caller's transaction ends: a bulk
/// load (an import of many rows, the demo) writes the same few column totals and report
/// tallies for minutes, and a writer meeting them midway would wait, then fail or make the
/// load start again. They wait for it instead, as for a file's bulk load (README), and two
/// bulk loads take turns. The lock a member may take (it needs UPDATE or DELETE rights, not
/// ownership); taken before the load's first read, so it sees every commit before it.
pub(crate) fn hold_records(c: &mut impl GenericClient) -> Result<()> {
    c.batch_execute("LOCK TABLE leads, deals IN SHARE ROW EXCLUSIVE MODE")?;
    Ok(())
}

/// Sets the triggers that keep the Kanban's totals aside (`on: false`) or back, inside the
/// caller's transaction, for a copy into an empty database (`migrate-to`), which copies the
/// totals with the records. Only the tables' owner may, and the table lock holds other
/// writers of leads and deals until the copy commits. Other loads need not: new and removed
/// records are counted once per statement (migration 20).
pub(crate) fn totals_triggers(c: &mut impl GenericClient, on: bool) -> Result<()> {
    let verb = if on { "ENABLE" } else { "DISABLE" };
    let mut sql = String::new();
    for t in ["leads", "deals"] {
        sql.push_str(&format!(
            "ALTER TABLE {t} {verb} TRIGGER {t}_totals, {verb} TRIGGER {t}_totals_insert, {verb} TRIGGER {t}_totals_delete; "
        ));
    }
    c.batch_execute(&sql)?;
    Ok(())
}

/// Stage order and records sitting in a stage of another pipeline.
fn pipelines_wrong(c: &mut impl GenericClient, out: &mut Vec<String>) -> Result<()> {
    for entity in [Entity::Lead, Entity::Deal] {
        for p in refs::pipelines(c, entity)? {
            let list = refs::stages(c, p.id)?;
            if let Err(e) = stage::check_order(list.iter().map(|s| (s.code.as_str(), s.semantics))) {
                let problem = crate::store::rule::Rule::StageOrder(e).message(crate::i18n::lang());
                out.push(crate::i18n::tr(
                    "store.pipeline_order",
                    &[("entity", entity.code()), ("pipeline", &p.name), ("problem", &problem)],
                ));
            }
        }
    }
    let wrong = c.query(
        "SELECT 'lead #' || l.id FROM leads l JOIN stages s ON s.id = l.stage_id JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE p.entity <> 'lead' \
         UNION ALL SELECT 'deal #' || d.id FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.pipeline_id <> d.pipeline_id",
        &[],
    )?;
    for r in wrong {
        let record: String = r.get(0);
        out.push(crate::i18n::tr("store.other_pipeline", &[("record", &record)]));
    }
    Ok(())
}

/// Timelines where entries follow a `deleted` entry of the same record (a file's check).
fn mixed_histories(c: &mut impl GenericClient, out: &mut Vec<String>) -> Result<()> {
    let rows = c.query(
        "SELECT d.entity, d.entity_id, max(d.id) FROM timeline d WHERE d.kind = 'deleted' AND EXISTS \
         (SELECT 1 FROM timeline n WHERE n.entity_id = d.entity_id AND n.entity = d.entity AND n.id > d.id) \
         GROUP BY d.entity_id, d.entity ORDER BY d.entity, d.entity_id LIMIT 20",
        &[],
    )?;
    for r in rows {
        let (entity, id, entry): (String, i64, i64) = (r.get(0), r.get(1), r.get(2));
        out.push(crate::i18n::tr(
            "store.timeline_mixed",
            &[("entity", &entity), ("id", &id.to_string()), ("entry", &entry.to_string())],
        ));
    }
    Ok(())
}

/// Activities with an instant outside the accepted years (a file's check).
fn activities_out_of_range(c: &mut impl GenericClient, out: &mut Vec<String>) -> Result<()> {
    use crate::domain::when::{MAX_YEAR, MIN_YEAR};
    let mut found = 0;
    for r in c.query("SELECT id, deadline, start_at, end_at FROM activities ORDER BY id", &[])? {
        let (id, deadline, start, end): (i64, i64, Option<i64>, Option<i64>) = (r.get(0), r.get(1), r.get(2), r.get(3));
        if crate::domain::activity::times_in_range(deadline, start, end) {
            continue;
        }
        found += 1;
        if found <= 20 {
            out.push(crate::i18n::tr(
                "store.activity_out_of_range",
                &[("id", &id.to_string()), ("min", &MIN_YEAR.to_string()), ("max", &MAX_YEAR.to_string())],
            ));
        }
    }
    Ok(())
}

/// Phones and e-mails, and activity bindings, of records that do not exist: the server
/// does not know these references (a row names its record by kind and id).
fn dangling(c: &mut impl GenericClient, out: &mut Vec<String>) -> Result<()> {
    for table in ["comms", "activity_bindings"] {
        let mut rows = 0i64;
        let mut named = Vec::new();
        for entity in Entity::ALL {
            let sql = format!(
                "SELECT x.entity_id, count(*) FROM {table} x WHERE x.entity = $1 \
                 AND NOT EXISTS (SELECT 1 FROM {} t WHERE t.id = x.entity_id) GROUP BY 1 ORDER BY 1",
                entity.table()
            );
            for r in c.query(&sql, &[&entity.code()])? {
                let (id, n): (i64, i64) = (r.get(0), r.get(1));
                rows += n;
                if named.len() < 5 {
                    named.push(format!("{} #{id}", entity.code()));
                }
            }
        }
        if rows > 0 {
            out.push(crate::i18n::tr(
                "store.dangling",
                &[("table", table), ("rows", &rows.to_string()), ("records", &named.join(", "))],
            ));
        }
    }
    Ok(())
}

/// The search entries against the records: how many, and those that differ from what the
/// records give now (`search::stale_entries`).
fn search_wrong(c: &mut impl GenericClient, records: i64, out: &mut Vec<String>) -> Result<()> {
    let entries: i64 = c.query_one("SELECT count(*) FROM search", &[])?.get(0);
    if entries != records {
        out.push(crate::i18n::tr(
            "store.search_count",
            &[("entries", &entries.to_string()), ("records", &records.to_string())],
        ));
    }
    let stale: Vec<String> = search::stale_entries(c)?.iter().map(|r| r.to_string()).collect();
    if !stale.is_empty() {
        let first: Vec<&str> = stale.iter().take(5).map(String::as_str).collect();
        let key = if stale.len() > 5 { "store.search_stale_more" } else { "store.search_stale" };
        let more = stale.len().saturating_sub(5).to_string();
        out.push(crate::i18n::tr(key, &[("records", &first.join(", ")), ("more", &more)]));
    }
    Ok(())
}

/// Everything `check` reads, on one snapshot.
fn check_in(c: &mut impl GenericClient) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    let mut invariants = Vec::new();
    pipelines_wrong(c, &mut invariants)?;
    let mut records = 0;
    for entity in Entity::ALL {
        let n: i64 = c.query_one(&format!("SELECT count(*) FROM {}", entity.table()), &[])?.get(0);
        report.counts.push((entity, n));
        records += n;
    }
    let (truth, kept) = (totals_of_records(c)?, totals_kept(c)?);
    // A total kept as NULL says "count the records": only its count is compared.
    let agree = |k: &(i64, String)| match (truth.get(k), kept.get(k)) {
        (Some((n, sum)), Some((m, kept_sum))) => n == m && (kept_sum.is_none() || kept_sum == sum),
        _ => false,
    };
    let off: BTreeSet<&(i64, String)> = truth.keys().chain(kept.keys()).filter(|k| !agree(k)).collect();
    invariants.extend(off.into_iter().map(|(stage, currency)| {
        crate::i18n::tr("store.totals_differ", &[("stage", &stage.to_string()), ("currency", currency)])
    }));
    mixed_histories(c, &mut invariants)?;
    activities_out_of_range(c, &mut invariants)?;
    dangling(c, &mut invariants)?;
    search_wrong(c, records, &mut invariants)?;
    report.invariants = invariants;
    let r = c.query_one(
        "SELECT count(*), count(DISTINCT entity || entity_id) FROM timeline WHERE entity LIKE '%:reused'",
        &[],
    )?;
    let (entries, set_apart): (i64, i64) = (r.get(0), r.get(1));
    if entries > 0 {
        report.notices.push(crate::i18n::tr_n(
            "store.timeline_set_apart",
            entries as u64,
            &[("records", &set_apart.to_string())],
        ));
    }
    Ok(report)
}

impl Maintenance for Store {
    /// The server reuses the space of deleted rows by itself: nothing to give back by hand.
    fn free_bytes(&self) -> Result<u64> {
        Ok(0)
    }

    /// `VACUUM ANALYZE` (outside any transaction): the space of deleted rows made reusable
    /// and the planner's statistics made again. Others keep working meanwhile.
    fn vacuum(&mut self) -> Result<Vacuumed> {
        let size = |s: &Store| -> Result<u64> {
            let mut c = s.client();
            let bytes: i64 =
                c.query_one("SELECT pg_database_size(current_database())", &[]).map_err(|e| s.pg_err(e))?.get(0);
            Ok(bytes.max(0) as u64)
        };
        let bytes_before = size(self)?;
        self.client().batch_execute("VACUUM ANALYZE").map_err(|e| self.pg_err(e))?;
        Ok(Vacuumed { bytes_before, bytes_after: size(self)? })
    }

    /// The column totals counted again from the records, the search index made again.
    fn repair(&mut self) -> Result<()> {
        self.write(|tx, _| {
            recount_stage_totals(tx)?;
            // The reports' tallies, counted again from the records.
            tx.batch_execute(super::migrate::TALLIES_REBUILD)?;
            search::reindex_all(tx)
        })
    }

    /// Prospect's invariants, read on one snapshot (integrity and references are the
    /// server's).
    fn check(&self) -> Result<CheckReport> {
        self.reading(|s| {
            let mut c = s.client();
            check_in(&mut *c)
        })
    }

    /// A SQLite file of the whole database as one snapshot showed it (`store::copy`, read
    /// inside one `REPEATABLE READ` transaction), written under a temporary name and put in
    /// place when complete and checked. Refuses an existing `dest` or a symbolic link.
    fn backup_to(&self, dest: &Path) -> Result<()> {
        match std::fs::symlink_metadata(dest) {
            Ok(m) if m.file_type().is_symlink() => return Err(StoreError::TargetIsSymlink(dest.to_path_buf())),
            Ok(m) if m.is_dir() => return Err(StoreError::IsDirectory(dest.to_path_buf())),
            Ok(_) => return Err(StoreError::TargetExists(dest.to_path_buf())),
            Err(_) => {}
        }
        if let Some(dir) = dest.parent()
            && !dir.as_os_str().is_empty()
            && !dir.is_dir()
        {
            return Err(StoreError::NoTargetDirectory(dir.to_path_buf()));
        }
        let io = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::TargetExists(dest.to_path_buf()),
            std::io::ErrorKind::StorageFull => StoreError::DiskFull(dest.to_path_buf()),
            _ => StoreError::Io(dest.to_path_buf(), e),
        };
        // No data file to take permission bits from: owner only.
        let aside = crate::files::Aside::create(Path::new(""), dest).map_err(io)?;
        {
            let opts = crate::store::OpenOptions {
                create: true,
                journal: Some(crate::store::Journal::Rollback),
                ..self.options().clone()
            };
            let mut file = crate::store::sqlite::Store::open(aside.path(), opts).map_err(|e| e.with_path(dest))?;
            let checks = copy::copy_all(self, &mut file).map_err(|e| e.with_path(dest))?;
            let off: Vec<&str> = checks.iter().filter(|t| !t.ok).map(|t| t.table.as_str()).collect();
            if !off.is_empty() {
                let why = format!("the copy differs in {}", off.join(", "));
                return Err(StoreError::Engine(dest.to_path_buf(), why));
            }
        }
        aside.finish().map_err(io)
    }
}
