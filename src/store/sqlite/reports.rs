//! Reads for the sales head's reports on a file (`engine::Reports`).

use super::records::list::visibility_sql;
use super::{Result, Store};
use crate::domain::access::{Sight, Visibility};
use crate::domain::fields::Entity;
use crate::domain::report::activity::{ActivityFact, ActivityTally};
use crate::domain::report::funnel::FunnelFact;
use crate::domain::report::reasons::{self, LostReason};
use crate::domain::report::{DealFact, LeadFact, StaleFact};
use crate::domain::when::UnixMs;
use crate::store::engine::*;
use crate::store::reports::{
    EVERY_ACTIVITY_TALLY, HOUR, Names, SPAN_PARAMS, Spans, converted_together, funnel_spans, made_filter, made_since,
    moved_filter, spans, spans_before, spans_params, spans_rows, taken_back, visited_ids,
};
use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

/// The lost reasons, in order, as a transaction or a connection reads them.
fn reasons_in(c: &rusqlite::Connection) -> Result<Vec<LostReason>> {
    let mut stmt = c.prepare_cached("SELECT id, name, name_fr FROM lost_reasons ORDER BY sort, id")?;
    let rows = stmt.query_map([], |r| Ok(LostReason { id: r.get(0)?, name: r.get(1)?, name_fr: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The people's and sources' names a report's rows give by id.
fn names_in(s: &Store) -> Result<Names> {
    let mut names = Names::default();
    let mut stmt = s.conn().prepare_cached(Names::SQL)?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))? {
        names.add(row?);
    }
    Ok(names)
}

impl Reports for Store {
    fn deal_facts(&self, query: &DealQuery, sight: &Sight) -> Result<Vec<DealFact>> {
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Deal), "d");
        let (from, to) = query.closed.unwrap_or((0, 0));
        let sql = format!(
            "SELECT d.id, d.stage_id, d.amount_minor, d.currency, d.probability, d.close_date, d.closed_at, \
                    u.login, src.code, d.stage_description, dep.name \
             FROM deals d {people} \
             WHERE (?1 IS NULL OR d.pipeline_id = ?1) \
               AND ((?2 AND d.closed_at IS NULL) OR (d.closed_at >= ?3 AND d.closed_at < ?4)) AND {vis} \
             ORDER BY d.id",
            people = crate::store::reports::people_joins("d"),
        );
        let mut params: Vec<Sql> = vec![
            query.pipeline.map_or(Sql::Null, Sql::Integer),
            Sql::Integer(query.open as i64),
            Sql::Integer(from),
            Sql::Integer(to),
        ];
        params.extend(vis_params);
        self.reading(|s| {
            let mut stmt = s.conn().prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
                let close: Option<String> = r.get(5)?;
                Ok(DealFact {
                    id: r.get(0)?,
                    stage_id: r.get(1)?,
                    amount_minor: r.get(2)?,
                    currency: r.get(3)?,
                    probability: r.get(4)?,
                    close_date: close.and_then(|c| chrono::NaiveDate::parse_from_str(&c, "%Y-%m-%d").ok()),
                    closed_at: r.get(6)?,
                    responsible: r.get(7)?,
                    source: r.get(8)?,
                    reason: r.get(9)?,
                    department: r.get(10)?,
                    records: 1,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn open_deal_facts(&self, pipeline: Option<i64>, sight: &Sight, tallied: bool) -> Result<Vec<DealFact>> {
        if !tallied {
            return self.deal_facts(&DealQuery { pipeline, open: true, closed: None }, sight);
        }
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Deal), "t");
        let sql = format!(
            "SELECT t.stage_id, t.amount_minor, nullif(t.currency, ''), nullif(t.probability, -1), nullif(t.month, ''), \
                    u.login, src.code, dep.name, t.deals \
             FROM (SELECT stage_id, nullif(responsible_id, 0) AS responsible_id, nullif(source_id, 0) AS source_id, \
                           month, probability, currency, deals, amount_minor \
                      FROM forecast_tallies WHERE (?1 IS NULL OR pipeline_id = ?1) AND deals <> 0 \
                      AND stage_id IN (SELECT id FROM stages WHERE semantics = 'in_progress')) t {people} \
             WHERE {vis}",
            people = crate::store::reports::people_joins("t"),
        );
        let mut params: Vec<Sql> = vec![pipeline.map_or(Sql::Null, Sql::Integer)];
        params.extend(vis_params);
        self.reading(|s| {
            let mut stmt = s.conn().prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
                let month: Option<String> = r.get(4)?;
                Ok(crate::store::reports::forecast_fact(
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    month.as_deref(),
                    [r.get(5)?, r.get(6)?, r.get(7)?],
                    r.get(8)?,
                ))
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn lead_facts(&self, created: (UnixMs, UnixMs), sight: &Sight, tallied: bool) -> Result<Vec<LeadFact>> {
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Lead), "t");
        let mut params: Vec<Sql> = vec![Sql::Integer(created.0), Sql::Integer(created.1)];
        params.extend(vis_params.iter().cloned());
        let Some(spans) = spans(created).filter(|_| tallied) else {
            let sql = format!(
                "SELECT t.id, t.stage_id, t.created_at, t.closed_at, u.login, src.code, dep.name FROM leads t {people} \
                 WHERE t.created_at >= ?1 AND t.created_at < ?2 AND {vis}",
                people = crate::store::reports::people_joins("t"),
                vis = unindexed(&vis),
            );
            return self.reading(|s| {
                let mut stmt = s.conn().prepare_cached(&sql)?;
                let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
                    Ok(LeadFact {
                        id: r.get(0)?,
                        stage_id: r.get(1)?,
                        created_at: r.get(2)?,
                        closed_at: r.get(3)?,
                        responsible: r.get(4)?,
                        source: r.get(5)?,
                        department: r.get(6)?,
                        records: 1,
                        times: Vec::new(),
                    })
                })?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            });
        };
        // Over whole hours: the leads not converted from the tallies, the converted ones from
        // the records (their times), together by stage and people; names read once.
        let converted = format!(
            "SELECT t.stage_id, t.responsible_id, t.source_id, t.closed_at - t.created_at FROM leads t \
             WHERE t.created_at >= ?1 AND t.created_at < ?2 \
               AND t.stage_id IN (SELECT id FROM stages WHERE semantics = 'success') AND {vis}",
            vis = unindexed(&vis),
        );
        let sql = format!(
            "SELECT t.stage_id, t.responsible_id, t.source_id, t.records FROM ( \
               SELECT stage_id, nullif(responsible_id, 0) AS responsible_id, nullif(source_id, 0) AS source_id, \
                      sum(records) AS records FROM {within} r \
                WHERE stage_id NOT IN (SELECT id FROM stages WHERE semantics = 'success') \
                GROUP BY stage_id, responsible_id, source_id HAVING sum(records) <> 0) t WHERE {vis}",
            within = spans_rows("record_tallies", "entity = 'lead'", "bucket", 1, |i| format!("?{i}")),
        );
        let mut tally_params: Vec<Sql> = spans_params(&spans).into_iter().map(Sql::Integer).collect();
        tally_params.extend(vis_params.iter().cloned());
        self.reading(|s| {
            let names = names_in(s)?;
            let mut stmt = s.conn().prepare_cached(&converted)?;
            let rows =
                stmt.query_map(params_from_iter(params.iter()), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            let mut out = converted_together(rows.collect::<rusqlite::Result<Vec<_>>>()?, &names);
            let mut stmt = s.conn().prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(tally_params.iter()), |r| {
                Ok(names.lead_fact(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, Vec::new()))
            })?;
            out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
            Ok(out)
        })
    }

    fn funnel_facts(&self, query: &FunnelQuery, sight: &Sight) -> Result<Vec<FunnelFact>> {
        let Some(spans) = funnel_spans(query) else {
            return self.reading(|s| funnel_records(s, query, sight, None));
        };
        let entity = query.entity;
        let (vis, vis_params) = visibility_sql(sight.of(entity), "t");
        let bucket = if query.from_leads { "lead_bucket" } else { "bucket" };
        let sql = format!(
            "SELECT t.stage_id, t.visited, t.records, t.amount_minor, t.currency, u.login, src.code, dep.name FROM ( \
               SELECT stage_id, visited, nullif(responsible_id, 0) AS responsible_id, nullif(source_id, 0) AS source_id, \
                      nullif(currency, '') AS currency, sum(records) AS records, sum(amount_minor) AS amount_minor \
                 FROM {within} r WHERE (?{pipe} IS NULL OR pipeline_id = ?{pipe}) \
                GROUP BY stage_id, visited, responsible_id, source_id, currency HAVING sum(records) <> 0) t \
             {people} WHERE {vis}",
            within = spans_rows(
                "record_tallies",
                &made_filter("?1", &format!("?{}", 3 + SPAN_PARAMS)),
                bucket,
                2,
                |i| format!("?{i}")
            ),
            people = crate::store::reports::people_joins("t"),
            pipe = 2 + SPAN_PARAMS,
        );
        let params = |spans: &Spans, made_since: Option<i64>| {
            let mut params: Vec<Sql> = vec![Sql::Text(entity.code().into())];
            params.extend(spans_params(spans).into_iter().map(Sql::Integer));
            params.push(query.pipeline.filter(|_| entity == Entity::Deal).map_or(Sql::Null, Sql::Integer));
            params.push(made_since.map_or(Sql::Null, Sql::Integer));
            params.extend(vis_params.iter().cloned());
            params
        };
        self.reading(|s| {
            let read = |params: Vec<Sql>| -> Result<Vec<FunnelFact>> {
                let mut stmt = s.conn().prepare_cached(&sql)?;
                let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
                    let visited: String = r.get(1)?;
                    Ok(FunnelFact {
                        id: 0,
                        stage_id: r.get(0)?,
                        visited: visited_ids(&visited),
                        records: r.get(2)?,
                        amount_minor: r.get(3)?,
                        currency: r.get(4)?,
                        responsible: r.get(5)?,
                        source: r.get(6)?,
                        department: r.get(7)?,
                    })
                })?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            };
            let mut out = read(params(&spans, None))?;
            // The tallies count each record as it is now; a past period's records moved since
            // its end count as they were then, and the deals made since from its leads not at all.
            if let Some(end) = query.end {
                let now = FunnelQuery { end: None, ..*query };
                out.extend(funnel_records(s, &now, sight, Some(end))?.into_iter().map(taken_back));
                out.extend(funnel_records(s, query, sight, Some(end))?);
                if query.from_leads {
                    let (made, end_hour) = made_since(query.created, end);
                    out.extend(read(params(&made, Some(end_hour)))?.into_iter().map(taken_back));
                }
            }
            Ok(out)
        })
    }

    fn activity_tallies(
        &self,
        period: (UnixMs, UnixMs),
        now: UnixMs,
        reach: &Visibility,
        tallied: bool,
    ) -> Result<Vec<ActivityTally>> {
        let (vis, vis_params) = visibility_sql(reach, "t");
        let Some(spans) = spans(period).filter(|_| tallied) else {
            let sql = format!(
                "SELECT t.id, t.kind, u.login, dep.name, t.deadline, t.completed_at, t.completed FROM activities t \
                 LEFT JOIN users u ON u.id = t.responsible_id LEFT JOIN departments dep ON dep.id = u.department_id \
                 WHERE ((t.deadline >= ?1 AND t.deadline < ?2) OR (t.completed_at >= ?1 AND t.completed_at < ?2) \
                        OR (t.completed = 0 AND t.deadline < ?3)) AND {vis} ORDER BY t.id"
            );
            let mut params: Vec<Sql> = vec![Sql::Integer(period.0), Sql::Integer(period.1), Sql::Integer(now)];
            params.extend(vis_params);
            return self.reading(|s| {
                let mut stmt = s.conn().prepare_cached(&sql)?;
                let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
                    Ok(ActivityFact {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        responsible: r.get(2)?,
                        department: r.get(3)?,
                        deadline: r.get(4)?,
                        completed_at: r.get(5)?,
                        completed: r.get(6)?,
                    })
                })?;
                let facts = rows.collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(facts.iter().filter_map(|a| ActivityTally::of(a, period, now)).collect())
            });
        };
        // The period's whole hours and the hours before this one from the tallies; the open
        // activities due earlier in this hour one by one.
        let sql = format!(
            "SELECT t.kind, u.login, dep.name, sum(t.planned), sum(t.done), sum(t.late), sum(t.overdue) FROM ( \
               SELECT kind, nullif(responsible_id, 0) AS responsible_id, planned, done, late, overdue FROM ( \
                 SELECT kind, responsible_id, CASE WHEN what IN ('due_open', 'due_done') THEN n ELSE 0 END AS planned, \
                        CASE WHEN what IN ('done', 'late') THEN n ELSE 0 END AS done, \
                        CASE WHEN what = 'late' THEN n ELSE 0 END AS late, 0 AS overdue \
                   FROM {within} r \
                 UNION ALL \
                 SELECT kind, responsible_id, 0, 0, 0, n FROM {before} b \
                 UNION ALL \
                 SELECT kind, coalesce(responsible_id, 0), 0, 0, 0, 1 FROM activities \
                  WHERE completed = 0 AND deadline >= ?{hour} AND deadline < ?{now})) t \
             LEFT JOIN users u ON u.id = t.responsible_id LEFT JOIN departments dep ON dep.id = u.department_id \
             WHERE {vis} GROUP BY t.kind, t.responsible_id",
            within = spans_rows("activity_tallies", EVERY_ACTIVITY_TALLY, "bucket", 1, |i| format!("?{i}")),
            before =
                spans_rows("activity_tallies", "what = 'due_open'", "bucket", 1 + SPAN_PARAMS, |i| format!("?{i}")),
            hour = 1 + 2 * SPAN_PARAMS,
            now = 2 + 2 * SPAN_PARAMS,
        );
        let this_hour = now.div_euclid(HOUR) * HOUR;
        let mut params: Vec<Sql> = spans_params(&spans).into_iter().map(Sql::Integer).collect();
        params.extend(spans_params(&spans_before(this_hour)).into_iter().map(Sql::Integer));
        params.extend([Sql::Integer(this_hour), Sql::Integer(now)]);
        params.extend(vis_params);
        self.reading(|s| {
            let mut stmt = s.conn().prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
                Ok(ActivityTally {
                    kind: r.get(0)?,
                    responsible: r.get(1)?,
                    department: r.get(2)?,
                    planned: r.get(3)?,
                    done: r.get(4)?,
                    done_late: r.get(5)?,
                    overdue: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn stale(&self, entity: Entity, now: UnixMs, sight: &Sight, among: Option<&[i64]>) -> Result<Vec<StaleFact>> {
        if !entity.has_stages() || among.is_some_and(|ids| ids.is_empty()) {
            return Ok(vec![]);
        }
        let (vis, vis_params) = visibility_sql(sight.of(entity), "t");
        let among_sql = match among {
            Some(_) => "t.id IN (SELECT value FROM json_each(?3))",
            None => "?3 IS NULL",
        };
        let sql = format!(
            "SELECT id, title, stage_id, touched, login, amount_minor, currency FROM ( \
               SELECT t.id, {title} AS title, t.stage_id, t.amount_minor, t.currency, u.login, s.rot_days, \
                      max(t.modified_at, coalesce((SELECT max(a.modified_at) FROM activity_bindings b \
                          JOIN activities a ON a.id = b.activity_id WHERE b.entity_id = t.id AND b.entity = ?2), 0)) AS touched \
               FROM {table} t JOIN stages s ON s.id = t.stage_id LEFT JOIN users u ON u.id = t.responsible_id \
               WHERE s.rot_days IS NOT NULL AND s.semantics = 'in_progress' AND {among_sql} AND {vis}) x \
             WHERE touched < ?1 - rot_days * 86400000 ORDER BY touched, id",
            title = crate::store::reports::title_sql(entity),
            table = entity.table(),
        );
        let among = match among {
            Some(ids) => Sql::Text(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())),
            None => Sql::Null,
        };
        let mut params: Vec<Sql> = vec![Sql::Integer(now), Sql::Text(entity.code().into()), among];
        params.extend(vis_params);
        self.reading(|s| {
            let mut stmt = s.conn().prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
                Ok(StaleFact {
                    id: r.get(0)?,
                    title: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    stage_id: r.get(2)?,
                    last_touch: r.get(3)?,
                    responsible: r.get(4)?,
                    amount_minor: r.get(5)?,
                    currency: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn lost_reasons(&self) -> Result<Vec<LostReason>> {
        self.reading(|s| reasons_in(s.conn()))
    }

    fn add_lost_reason(&mut self, name: &str, name_fr: Option<&str>) -> Result<LostReason> {
        self.write(|tx, _| {
            let (name, name_fr) = reasons::check_new(&reasons_in(tx)?, name, name_fr)?;
            tx.prepare_cached(
                "INSERT INTO lost_reasons (name, name_fr, sort) VALUES (?1, ?2, (SELECT coalesce(max(sort), 0) + 1 FROM lost_reasons))",
            )?
            .execute(rusqlite::params![name, name_fr])?;
            Ok(LostReason { id: tx.last_insert_rowid(), name, name_fr })
        })
    }

    fn remove_lost_reason(&mut self, name: &str) -> Result<LostReason> {
        self.write(|tx, _| {
            let list = reasons_in(tx)?;
            let found = crate::store::reports::reason_named(&list, name)?;
            tx.prepare_cached("DELETE FROM lost_reasons WHERE id = ?1")?.execute([found.id])?;
            Ok(found)
        })
    }
}

/// The funnel's records one by one: all of them (`FunnelQuery` without tallies), or beside
/// the tallies those moved since `moved_since` (`moved_filter`).
fn funnel_records(
    s: &Store,
    query: &FunnelQuery,
    sight: &Sight,
    moved_since: Option<UnixMs>,
) -> Result<Vec<FunnelFact>> {
    let entity = query.entity;
    let (vis, vis_params) = visibility_sql(sight.of(entity), "t");
    // A deal made after the period's end was not there then (made from one of its leads).
    let cohort = match (query.from_leads, moved_since.is_some()) {
        // The records moved since: a few, each one's lead looked up.
        (true, true) => {
            "EXISTS (SELECT 1 FROM leads l WHERE l.id = t.lead_id AND l.created_at >= ?2 AND l.created_at < ?3)"
        }
        (true, false) => "t.lead_id IN (SELECT id FROM leads WHERE created_at >= ?2 AND created_at < ?3)",
        (false, _) => "t.created_at >= ?2 AND t.created_at < ?3",
    };
    let pipeline = if entity == Entity::Deal { "(?5 IS NULL OR t.pipeline_id = ?5)" } else { "?5 IS NULL" };
    let moved = moved_filter(moved_since.is_some(), query.from_leads, "?1", "?6");
    let sql = format!(
        "SELECT t.id, t.stage_id, t.amount_minor, t.currency, u.login, src.code, dep.name, \
            CASE WHEN ?4 IS NULL THEN t.stage_id ELSE (SELECT m.stage_id FROM stage_moves m \
              WHERE m.entity = ?1 AND m.record_id = t.id AND m.at < ?4 ORDER BY m.at DESC, m.id DESC LIMIT 1) END, \
            (SELECT group_concat(DISTINCT m.stage_id) FROM stage_moves m \
              WHERE m.entity = ?1 AND m.record_id = t.id AND (?4 IS NULL OR m.at < ?4)) \
         FROM {table} t {people} \
         WHERE {cohort} AND {pipeline} AND (?4 IS NULL OR t.created_at < ?4) {moved} AND {vis} ORDER BY t.id",
        table = entity.table(),
        people = crate::store::reports::people_joins("t"),
        vis = unindexed(&vis),
    );
    let mut params: Vec<Sql> = vec![
        Sql::Text(entity.code().into()),
        Sql::Integer(query.created.0),
        Sql::Integer(query.created.1),
        query.end.map_or(Sql::Null, Sql::Integer),
        query.pipeline.map_or(Sql::Null, Sql::Integer),
        moved_since.map_or(Sql::Null, Sql::Integer),
    ];
    params.extend(vis_params);
    let mut stmt = s.conn().prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
        let now: i64 = r.get(1)?;
        let visited: Option<String> = r.get(8)?;
        Ok(crate::store::reports::funnel_fact(
            r.get(0)?,
            r.get::<_, Option<i64>>(7)?.unwrap_or(now),
            visited.as_deref(),
            FunnelFact {
                id: 0,
                stage_id: 0,
                visited: vec![],
                amount_minor: r.get(2)?,
                currency: r.get(3)?,
                responsible: r.get(4)?,
                source: r.get(5)?,
                department: r.get(6)?,
                records: 1,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A visibility condition the planner does not answer from the responsible's indexes: a
/// report's records are found by when they came in or moved, and SQLite would otherwise
/// read every record of the people the user sees.
fn unindexed(vis: &str) -> String {
    vis.replace("t.responsible_id", "+t.responsible_id")
}
