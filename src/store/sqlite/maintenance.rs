//! `db check`, `db backup` and `db vacuum`: integrity, foreign keys and our own invariants;
//! consistent online copies through SQLite's backup API; giving back empty pages.

use super::{Result, Store, StoreError, refs};
use crate::domain::fields::Entity;
use crate::domain::stage;
use crate::store::engine::*;
pub(crate) use crate::store::maintenance::*;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

fn strings(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let n = stmt.column_count();
    let rows = stmt.query_map([], |r| {
        let mut parts = Vec::new();
        for i in 0..n {
            let v: rusqlite::types::Value = r.get(i)?;
            parts.push(match v {
                rusqlite::types::Value::Null => "NULL".into(),
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Real(f) => f.to_string(),
                rusqlite::types::Value::Text(t) => t,
                rusqlite::types::Value::Blob(_) => "<blob>".into(),
            });
        }
        Ok(parts.join(" "))
    })?;
    rows.collect()
}

/// Timelines where entries follow a `deleted` entry of the same record: the history of a
/// deleted record shown on a later one that got its id (ids were reused before schema 12,
/// whose upgrade sets such entries apart; this finds any left or made since).
fn mixed_histories(c: &Connection) -> Result<Vec<String>> {
    let mut stmt = c.prepare(
        "SELECT d.entity, d.entity_id, max(d.id) FROM timeline d WHERE d.kind = 'deleted' AND EXISTS \
         (SELECT 1 FROM timeline n WHERE n.entity_id = d.entity_id AND n.entity = d.entity AND n.id > d.id) \
         GROUP BY d.entity_id, d.entity ORDER BY d.entity, d.entity_id LIMIT 20",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (entity, id, entry) = row?;
        out.push(crate::i18n::tr(
            "store.timeline_mixed",
            &[("entity", &entity), ("id", &id.to_string()), ("entry", &entry.to_string())],
        ));
    }
    Ok(out)
}

/// Activities stored with an instant outside the accepted years (typed before that rule
/// existed, such as `+3000000d`): calendars cannot read them, so exports leave them out.
fn activities_out_of_range(c: &Connection) -> Result<Vec<String>> {
    use crate::domain::when::{MAX_YEAR, MIN_YEAR};
    let mut stmt = c.prepare("SELECT id, deadline, start_at, end_at FROM activities")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, Option<i64>>(2)?, r.get::<_, Option<i64>>(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, deadline, start, end) = row?;
        if crate::domain::activity::times_in_range(deadline, start, end) {
            continue;
        }
        if out.len() < 20 {
            out.push(crate::i18n::tr(
                "store.activity_out_of_range",
                &[("id", &id.to_string()), ("min", &MIN_YEAR.to_string()), ("max", &MAX_YEAR.to_string())],
            ));
        }
    }
    Ok(out)
}

/// Amounts stored as something else than a whole number (no path of the app writes one; a
/// script or another tool might), which the totals would count wrong.
fn amounts_not_whole(c: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for table in ["leads", "deals"] {
        let mut stmt = c.prepare(&format!(
            "SELECT id, CAST(amount_minor AS TEXT) FROM {table} WHERE typeof(amount_minor) NOT IN ('integer', 'null') LIMIT 20"
        ))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?)))?;
        for row in rows {
            let (id, value) = row?;
            out.push(crate::i18n::tr(
                "store.amount_not_whole",
                &[("table", table), ("id", &id.to_string()), ("value", &value.unwrap_or_default())],
            ));
        }
    }
    // A total that is not a whole number (what SQLite's `+` made on overflow before schema
    // 12, or another tool): readers count such a column from its records, but it is wrong.
    let mut stmt = c.prepare(
        "SELECT stage_id, currency, CAST(amount_minor AS TEXT) FROM stage_totals \
         WHERE typeof(amount_minor) NOT IN ('integer', 'null') LIMIT 20",
    )?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))?;
    for row in rows {
        let (stage, currency, value) = row?;
        out.push(crate::i18n::tr(
            "store.total_not_whole",
            &[("stage", &stage.to_string()), ("currency", &currency), ("value", &value.unwrap_or_default())],
        ));
    }
    Ok(out)
}

impl Maintenance for Store {
    /// Pages of the file that hold nothing (left by deletions and upgrades), in bytes: what
    /// `vacuum` would give back.
    fn free_bytes(&self) -> Result<u64> {
        let c = self.conn();
        let pages: i64 = c.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
        let size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        Ok((pages.max(0) * size.max(0)) as u64)
    }

    /// Rewrites the file without its free pages (`VACUUM`): an upgrade that rebuilt the
    /// search index, or many deletions, leave pages that only a rewrite gives back. The
    /// service asks for an administrator when someone is signed in (`db` commands sign no
    /// one in, like `db backup`). Others wait while it runs (it locks the whole file); it waits for them like
    /// a write.
    fn vacuum(&mut self) -> Result<Vacuumed> {
        if self.read_only() {
            return Err(StoreError::ReadOnly(self.path().to_path_buf()));
        }
        let size = |s: &Store| std::fs::metadata(s.path()).map(|m| m.len()).unwrap_or(0);
        let bytes_before = size(self);
        self.retry_while_busy(|s| s.conn().execute_batch("VACUUM").map_err(|e| s.err(e)))?;
        Ok(Vacuumed { bytes_before, bytes_after: size(self) })
    }

    /// Remakes what the file keeps aside from its records and can always count again: the
    /// Kanban's column totals and the search index (`db check --repair`, administrators).
    fn repair(&mut self) -> Result<()> {
        self.write(|tx, _| {
            super::totals::recount_stage_totals(tx)?;
            // The reports' tallies, counted again from the records.
            tx.execute_batch(super::migrate::TALLIES_REBUILD)?;
            super::search::reindex_all(tx)
        })
    }

    /// Checks the file: SQLite integrity, foreign keys, and Prospect's invariants.
    fn check(&self) -> Result<CheckReport> {
        let c = self.conn();
        let mut report = CheckReport {
            integrity: strings(c, "PRAGMA integrity_check")?.into_iter().filter(|l| l != "ok").collect(),
            foreign_keys: strings(c, "PRAGMA foreign_key_check")?,
            ..Default::default()
        };
        for entity in [Entity::Lead, Entity::Deal] {
            for p in refs::pipelines(c, entity)? {
                let list = refs::stages(c, p.id)?;
                if let Err(e) = stage::check_order(list.iter().map(|s| (s.code.as_str(), s.semantics))) {
                    let problem = crate::store::rule::Rule::StageOrder(e).message(crate::i18n::lang());
                    report.invariants.push(crate::i18n::tr(
                        "store.pipeline_order",
                        &[("entity", entity.code()), ("pipeline", &p.name), ("problem", &problem)],
                    ));
                }
            }
        }
        let wrong = strings(
            c,
            "SELECT 'lead #' || l.id FROM leads l JOIN stages s ON s.id = l.stage_id JOIN pipelines p ON p.id = s.pipeline_id WHERE p.entity <> 'lead' \
             UNION ALL SELECT 'deal #' || d.id FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.pipeline_id <> d.pipeline_id",
        )?;
        report.invariants.extend(wrong.into_iter().map(|w| crate::i18n::tr("store.other_pipeline", &[("record", &w)])));
        let mut indexed_total = 0;
        for entity in Entity::ALL {
            let n: i64 = c.query_row(&format!("SELECT count(*) FROM {}", entity.table()), [], |r| r.get(0))?;
            report.counts.push((entity, n));
            indexed_total += n;
        }
        // The Kanban's column heads (migration 0009) against the records they count.
        let (truth, kept) = (super::totals::stage_totals_of_records(c)?, super::totals::stage_totals_kept(c)?);
        // A total kept as NULL says "count the records" (it did not fit in 64 bits): only its
        // count is compared.
        let agree = |k: &(i64, String)| match (truth.get(k), kept.get(k)) {
            (Some((n, sum)), Some((m, kept_sum))) => n == m && (kept_sum.is_none() || kept_sum == sum),
            _ => false,
        };
        let off = truth.keys().chain(kept.keys()).filter(|k| !agree(k));
        let off: std::collections::BTreeSet<_> = off.collect();
        report.invariants.extend(off.into_iter().map(|(stage, currency)| {
            crate::i18n::tr("store.totals_differ", &[("stage", &stage.to_string()), ("currency", currency)])
        }));
        report.invariants.extend(mixed_histories(c)?);
        report.invariants.extend(activities_out_of_range(c)?);
        report.invariants.extend(amounts_not_whole(c)?);
        let (entries, records): (i64, i64) = c.query_row(
            "SELECT count(*), count(DISTINCT entity || entity_id) FROM timeline WHERE entity LIKE '%:reused'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if entries > 0 {
            report.notices.push(crate::i18n::tr_n(
                "store.timeline_set_apart",
                entries as u64,
                &[("records", &records.to_string())],
            ));
        }
        let fts: i64 = c.query_row("SELECT count(*) FROM search", [], |r| r.get(0))?;
        if fts != indexed_total {
            report.invariants.push(crate::i18n::tr(
                "store.search_count",
                &[("entries", &fts.to_string()), ("records", &indexed_total.to_string())],
            ));
        }
        let stale = super::search::stale_entries(c)?;
        if !stale.is_empty() {
            let first: Vec<String> = stale.iter().take(5).map(|r| r.to_string()).collect();
            let key = if stale.len() > 5 { "store.search_stale_more" } else { "store.search_stale" };
            let more = stale.len().saturating_sub(5).to_string();
            report.invariants.push(crate::i18n::tr(key, &[("records", &first.join(", ")), ("more", &more)]));
        }
        Ok(report)
    }

    /// Writes a consistent copy of the file to `dest` while others may be writing. Refuses to
    /// overwrite an existing file or to follow a symbolic link (dangling or not). The copy is
    /// made under a temporary name next to `dest` and put in place when complete, so a
    /// failure (a full disk) leaves nothing behind; it gets the data file's permission bits.
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
        let aside = crate::files::Aside::create(self.path(), dest).map_err(io)?;
        {
            let mut out = Connection::open_with_flags(aside.path(), OpenFlags::SQLITE_OPEN_READ_WRITE)
                .map_err(|e| StoreError::from_sqlite(e, dest))?;
            let backup =
                rusqlite::backup::Backup::new(self.conn(), &mut out).map_err(|e| StoreError::from_sqlite(e, dest))?;
            backup
                .run_to_completion(256, std::time::Duration::from_millis(20), None)
                .map_err(|e| StoreError::from_sqlite(e, dest))?;
        }
        aside.finish().map_err(io)
    }
}
