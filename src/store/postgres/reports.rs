//! Reads for the sales head's reports on the server (`engine::Reports`), as a file's.

use super::records::{Params, refs, visibility_sql};
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
    EVERY_ACTIVITY_TALLY, HOUR, Names, SPAN_PARAMS, Spans, funnel_spans, made_filter, made_since, moved_filter, spans,
    spans_before, spans_params, spans_rows, taken_back, visited_ids,
};

/// The lost reasons, in order.
fn reasons_in(c: &mut impl postgres::GenericClient) -> Result<Vec<LostReason>> {
    let rows = c.query("SELECT id, name::text, name_fr FROM lost_reasons ORDER BY sort, id", &[])?;
    Ok(rows.iter().map(|r| LostReason { id: r.get(0), name: r.get(1), name_fr: r.get(2) }).collect())
}

/// The people's and sources' names a report's rows give by id.
fn names_in(s: &Store) -> Result<Names> {
    let mut names = Names::default();
    for r in s.client().query(Names::SQL, &[]).map_err(|e| s.pg_err(e))? {
        names.add((r.get(0), r.get(1), r.get(2), r.get(3)));
    }
    Ok(names)
}

impl Reports for Store {
    fn deal_facts(&self, query: &DealQuery, sight: &Sight) -> Result<Vec<DealFact>> {
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Deal), "d", 5);
        let (from, to) = query.closed.unwrap_or((0, 0));
        // People by id, named after the read; the rows streamed (a year's closed deals).
        let sql = format!(
            "SELECT d.id, d.stage_id, d.amount_minor, d.currency, d.probability::bigint, d.close_date, d.closed_at, \
                    d.responsible_id, d.source_id, d.stage_description \
             FROM deals d \
             WHERE ($1::bigint IS NULL OR d.pipeline_id = $1) \
               AND (($2 AND d.closed_at IS NULL) OR (d.closed_at >= $3 AND d.closed_at < $4)) AND {vis} \
             ORDER BY d.id"
        );
        let mut params: Params = vec![Box::new(query.pipeline), Box::new(query.open), Box::new(from), Box::new(to)];
        params.extend(vis_params);
        self.reading(|s| {
            let names = names_in(s)?;
            let mut client = s.client();
            let rows = client.query_raw(&sql, refs(&params)).map_err(|e| s.pg_err(e))?;
            use postgres::fallible_iterator::FallibleIterator;
            rows.map(|r| {
                let close: Option<String> = r.get(5);
                let (responsible, department) = names.person(r.get(7));
                Ok(DealFact {
                    id: r.get(0),
                    stage_id: r.get(1),
                    amount_minor: r.get(2),
                    currency: r.get(3),
                    probability: r.get(4),
                    close_date: close.and_then(|c| chrono::NaiveDate::parse_from_str(&c, "%Y-%m-%d").ok()),
                    closed_at: r.get(6),
                    responsible,
                    source: names.source(r.get(8)),
                    reason: r.get(9),
                    department,
                    records: 1,
                })
            })
            .collect()
            .map_err(|e| s.pg_err(e))
        })
    }

    fn open_deal_facts(&self, pipeline: Option<i64>, sight: &Sight, tallied: bool) -> Result<Vec<DealFact>> {
        if !tallied {
            return self.deal_facts(&DealQuery { pipeline, open: true, closed: None }, sight);
        }
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Deal), "t", 2);
        let sql = format!(
            "SELECT t.stage_id, t.amount_minor, nullif(t.currency, ''), nullif(t.probability, -1), nullif(t.month, ''), \
                    u.login::text, src.code::text, dep.name::text, t.deals \
             FROM (SELECT stage_id, nullif(responsible_id, 0) AS responsible_id, nullif(source_id, 0) AS source_id, \
                           month, probability, currency, deals, amount_minor \
                      FROM forecast_tallies WHERE ($1::bigint IS NULL OR pipeline_id = $1) AND deals <> 0 \
                      AND stage_id IN (SELECT id FROM stages WHERE semantics = 'in_progress')) t {people} \
             WHERE {vis}",
            people = crate::store::reports::people_joins("t"),
        );
        let mut params: Params = vec![Box::new(pipeline)];
        params.extend(vis_params);
        self.reading(|s| {
            let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
            Ok(rows
                .iter()
                .map(|r| {
                    let month: Option<String> = r.get(4);
                    crate::store::reports::forecast_fact(
                        r.get(0),
                        r.get(1),
                        r.get(2),
                        r.get(3),
                        month.as_deref(),
                        [r.get(5), r.get(6), r.get(7)],
                        r.get(8),
                    )
                })
                .collect())
        })
    }

    fn lead_facts(&self, created: (UnixMs, UnixMs), sight: &Sight, tallied: bool) -> Result<Vec<LeadFact>> {
        let (vis, vis_params) = visibility_sql(sight.of(Entity::Lead), "t", 3);
        let spans = spans(created).filter(|_| tallied);
        // Over whole hours the converted leads alone are read from the records, their times
        // together in one row per stage and people (a year's are a hundred thousand); their
        // stages given as values, so that the planner reads the converted leads' index rather
        // than the period's every lead. People by id, named after the read.
        let stages_mark = 3 + vis_params.len();
        let sql = if spans.is_some() {
            format!(
                "SELECT 0::bigint, t.stage_id, 0::bigint, NULL::bigint, t.responsible_id, t.source_id, count(*)::bigint, \
                        coalesce(array_agg(t.closed_at - t.created_at) FILTER (WHERE t.closed_at IS NOT NULL), '{{}}') \
                 FROM leads t WHERE t.created_at >= $1 AND t.created_at < $2 \
                  AND t.stage_id = ANY (${stages_mark}::bigint[]) AND {vis} \
                 GROUP BY t.stage_id, t.responsible_id, t.source_id"
            )
        } else {
            format!(
                "SELECT t.id, t.stage_id, t.created_at, t.closed_at, t.responsible_id, t.source_id, 1::bigint, \
                        '{{}}'::bigint[] \
                 FROM leads t WHERE t.created_at >= $1 AND t.created_at < $2 AND {vis}"
            )
        };
        let mut params: Params = vec![Box::new(created.0), Box::new(created.1)];
        params.extend(vis_params);
        let tallies = spans.map(|spans| {
            let (vis, vis_params) = visibility_sql(sight.of(Entity::Lead), "t", 1 + SPAN_PARAMS);
            let sql = format!(
                "SELECT 0::bigint, t.stage_id, 0::bigint, NULL::bigint, t.responsible_id, t.source_id, t.records, \
                        '{{}}'::bigint[] \
                 FROM (SELECT stage_id, nullif(responsible_id, 0) AS responsible_id, nullif(source_id, 0) AS source_id, \
                              sum(records)::bigint AS records FROM {within} r \
                        WHERE stage_id NOT IN (SELECT id FROM stages WHERE semantics = 'success') \
                        GROUP BY stage_id, responsible_id, source_id HAVING sum(records) <> 0) t WHERE {vis}",
                within = spans_rows("record_tallies", "entity = 'lead'", "bucket", 1, |i| format!("${i}")),
            );
            let mut params: Params = Vec::new();
            for v in spans_params(&spans) {
                params.push(Box::new(v));
            }
            params.extend(vis_params);
            (sql, params)
        });
        self.reading(|s| {
            if spans.is_some() {
                let success: Vec<i64> = s
                    .client()
                    .query_one("SELECT coalesce(array_agg(id), '{}') FROM stages WHERE semantics = 'success'", &[])
                    .map_err(|e| s.pg_err(e))?
                    .get(0);
                params.push(Box::new(success));
            }
            let names = names_in(s)?;
            let read = |sql: &str, params: &Params| -> Result<Vec<LeadFact>> {
                let mut client = s.client();
                let rows = client.query_raw(sql, refs(params)).map_err(|e| s.pg_err(e))?;
                use postgres::fallible_iterator::FallibleIterator;
                rows.map(|r| {
                    Ok(LeadFact {
                        id: r.get(0),
                        created_at: r.get(2),
                        closed_at: r.get(3),
                        ..names.lead_fact(r.get(1), r.get(4), r.get(5), r.get(6), r.get(7))
                    })
                })
                .collect()
                .map_err(|e| s.pg_err(e))
            };
            let mut out = read(&sql, &params)?;
            if let Some((sql, params)) = &tallies {
                out.extend(read(sql, params)?);
            }
            Ok(out)
        })
    }

    fn funnel_facts(&self, query: &FunnelQuery, sight: &Sight) -> Result<Vec<FunnelFact>> {
        let Some(spans) = funnel_spans(query) else {
            return self.reading(|s| funnel_records(s, query, sight, None));
        };
        let entity = query.entity;
        let vis = visibility_sql(sight.of(entity), "t", 4 + SPAN_PARAMS).0;
        let bucket = if query.from_leads { "lead_bucket" } else { "bucket" };
        let sql = format!(
            "SELECT t.stage_id, t.visited, t.records, t.amount_minor, t.currency, u.login::text, src.code::text, dep.name::text \
             FROM (SELECT stage_id, visited, nullif(responsible_id, 0) AS responsible_id, nullif(source_id, 0) AS source_id, \
                          nullif(currency, '') AS currency, sum(records)::bigint AS records, \
                          sum(amount_minor)::bigint AS amount_minor \
                     FROM {within} r WHERE (${pipe}::bigint IS NULL OR pipeline_id = ${pipe}) \
                    GROUP BY stage_id, visited, responsible_id, source_id, currency HAVING sum(records) <> 0) t \
             {people} WHERE {vis}",
            within = spans_rows(
                "record_tallies",
                &made_filter("$1", &format!("${}::bigint", 3 + SPAN_PARAMS)),
                bucket,
                2,
                |i| format!("${i}")
            ),
            people = crate::store::reports::people_joins("t"),
            pipe = 2 + SPAN_PARAMS,
        );
        self.reading(|s| {
            let read = |spans: &Spans, made_since: Option<i64>| -> Result<Vec<FunnelFact>> {
                let mut params: Params = vec![Box::new(entity.code().to_string())];
                for v in spans_params(spans) {
                    params.push(Box::new(v));
                }
                params.push(Box::new(query.pipeline.filter(|_| entity == Entity::Deal)));
                params.push(Box::new(made_since));
                params.extend(visibility_sql(sight.of(entity), "t", 4 + SPAN_PARAMS).1);
                let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
                Ok(rows
                    .iter()
                    .map(|r| FunnelFact {
                        id: 0,
                        stage_id: r.get(0),
                        visited: visited_ids(r.get(1)),
                        records: r.get(2),
                        amount_minor: r.get(3),
                        currency: r.get(4),
                        responsible: r.get(5),
                        source: r.get(6),
                        department: r.get(7),
                    })
                    .collect())
            };
            let mut out = read(&spans, None)?;
            // The tallies count each record as it is now; a past period's records moved since
            // its end count as they were then, and the deals made since from its leads not at all.
            if let Some(end) = query.end {
                let now = FunnelQuery { end: None, ..*query };
                out.extend(funnel_records(s, &now, sight, Some(end))?.into_iter().map(taken_back));
                out.extend(funnel_records(s, query, sight, Some(end))?);
                if query.from_leads {
                    let (made, end_hour) = made_since(query.created, end);
                    out.extend(read(&made, Some(end_hour))?.into_iter().map(taken_back));
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
        let Some(spans) = spans(period).filter(|_| tallied) else {
            let (vis, vis_params) = visibility_sql(reach, "t", 4);
            let sql = format!(
                "SELECT t.id, t.kind, u.login::text, dep.name::text, t.deadline, t.completed_at, t.completed \
                 FROM activities t \
                 LEFT JOIN users u ON u.id = t.responsible_id LEFT JOIN departments dep ON dep.id = u.department_id \
                 WHERE ((t.deadline >= $1 AND t.deadline < $2) OR (t.completed_at >= $1 AND t.completed_at < $2) \
                        OR (NOT t.completed AND t.deadline < $3)) AND {vis} ORDER BY t.id"
            );
            let mut params: Params = vec![Box::new(period.0), Box::new(period.1), Box::new(now)];
            params.extend(vis_params);
            return self.reading(|s| {
                let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
                Ok(rows
                    .iter()
                    .map(|r| ActivityFact {
                        id: r.get(0),
                        kind: r.get(1),
                        responsible: r.get(2),
                        department: r.get(3),
                        deadline: r.get(4),
                        completed_at: r.get(5),
                        completed: r.get(6),
                    })
                    .filter_map(|a| ActivityTally::of(&a, period, now))
                    .collect())
            });
        };
        // The period's whole hours and the hours before this one from the tallies; the open
        // activities due earlier in this hour one by one.
        let (vis, vis_params) = visibility_sql(reach, "t", 3 + 2 * SPAN_PARAMS);
        let sql = format!(
            "SELECT t.kind, u.login::text, dep.name::text, sum(t.planned)::bigint, sum(t.done)::bigint, \
                    sum(t.late)::bigint, sum(t.overdue)::bigint \
             FROM (SELECT kind, nullif(responsible_id, 0) AS responsible_id, planned, done, late, overdue FROM ( \
                     SELECT kind, responsible_id, CASE WHEN what IN ('due_open', 'due_done') THEN n ELSE 0 END AS planned, \
                            CASE WHEN what IN ('done', 'late') THEN n ELSE 0 END AS done, \
                            CASE WHEN what = 'late' THEN n ELSE 0 END AS late, 0::bigint AS overdue \
                       FROM {within} r \
                     UNION ALL \
                     SELECT kind, responsible_id, 0, 0, 0, n FROM {before} b \
                     UNION ALL \
                     SELECT kind, coalesce(responsible_id, 0), 0, 0, 0, 1 FROM activities \
                      WHERE NOT completed AND deadline >= ${hour} AND deadline < ${now}) x) t \
             LEFT JOIN users u ON u.id = t.responsible_id LEFT JOIN departments dep ON dep.id = u.department_id \
             WHERE {vis} GROUP BY t.kind, t.responsible_id, u.login, dep.name",
            within = spans_rows("activity_tallies", EVERY_ACTIVITY_TALLY, "bucket", 1, |i| format!("${i}")),
            before =
                spans_rows("activity_tallies", "what = 'due_open'", "bucket", 1 + SPAN_PARAMS, |i| format!("${i}")),
            hour = 1 + 2 * SPAN_PARAMS,
            now = 2 + 2 * SPAN_PARAMS,
        );
        let this_hour = now.div_euclid(HOUR) * HOUR;
        let mut params: Params = Vec::new();
        for v in spans_params(&spans).into_iter().chain(spans_params(&spans_before(this_hour))).chain([this_hour, now])
        {
            params.push(Box::new(v));
        }
        params.extend(vis_params);
        self.reading(|s| {
            let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
            Ok(rows
                .iter()
                .map(|r| ActivityTally {
                    kind: r.get(0),
                    responsible: r.get(1),
                    department: r.get(2),
                    planned: r.get(3),
                    done: r.get(4),
                    done_late: r.get(5),
                    overdue: r.get(6),
                })
                .collect())
        })
    }

    fn stale(&self, entity: Entity, now: UnixMs, sight: &Sight, among: Option<&[i64]>) -> Result<Vec<StaleFact>> {
        if !entity.has_stages() || among.is_some_and(|ids| ids.is_empty()) {
            return Ok(vec![]);
        }
        let (vis, vis_params) = visibility_sql(sight.of(entity), "t", 4);
        let title = crate::store::reports::title_sql(entity);
        let sql = format!(
            "SELECT id, title, stage_id, touched, login, amount_minor, currency FROM ( \
               SELECT t.id, {title} AS title, t.stage_id, t.amount_minor, t.currency, u.login::text AS login, s.rot_days, \
                      greatest(t.modified_at, coalesce((SELECT max(a.modified_at) FROM activity_bindings b \
                          JOIN activities a ON a.id = b.activity_id WHERE b.entity_id = t.id AND b.entity = $2), 0)) AS touched \
               FROM {table} t JOIN stages s ON s.id = t.stage_id LEFT JOIN users u ON u.id = t.responsible_id \
               WHERE s.rot_days IS NOT NULL AND s.semantics = 'in_progress' \
                 AND ($3::bigint[] IS NULL OR t.id = ANY($3)) AND {vis}) x \
             WHERE touched < $1 - rot_days * 86400000 ORDER BY touched, id",
            table = entity.table(),
        );
        let mut params: Params =
            vec![Box::new(now), Box::new(entity.code().to_string()), Box::new(among.map(<[i64]>::to_vec))];
        params.extend(vis_params);
        self.reading(|s| {
            let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
            Ok(rows
                .iter()
                .map(|r| StaleFact {
                    id: r.get(0),
                    title: r.get::<_, Option<String>>(1).unwrap_or_default(),
                    stage_id: r.get(2),
                    last_touch: r.get(3),
                    responsible: r.get(4),
                    amount_minor: r.get(5),
                    currency: r.get(6),
                })
                .collect())
        })
    }

    fn lost_reasons(&self) -> Result<Vec<LostReason>> {
        reasons_in(&mut *self.client()).map_err(|e| self.fill_path(e))
    }

    fn add_lost_reason(&mut self, name: &str, name_fr: Option<&str>) -> Result<LostReason> {
        self.write(|tx, _| {
            let (name, name_fr) = reasons::check_new(&reasons_in(tx)?, name, name_fr)?;
            let id: i64 = tx
                .query_one(
                    "INSERT INTO lost_reasons (name, name_fr, sort) VALUES ($1::text::citext, $2, \
                     (SELECT coalesce(max(sort), 0) + 1 FROM lost_reasons)) RETURNING id",
                    &[&name, &name_fr],
                )?
                .try_get(0)?;
            Ok(LostReason { id, name, name_fr })
        })
    }

    fn remove_lost_reason(&mut self, name: &str) -> Result<LostReason> {
        self.write(|tx, _| {
            let list = reasons_in(tx)?;
            let found = crate::store::reports::reason_named(&list, name)?;
            tx.execute("DELETE FROM lost_reasons WHERE id = $1", &[&found.id])?;
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
    let (vis, vis_params) = visibility_sql(sight.of(entity), "t", 7);
    // A deal made after the period's end was not there then (made from one of its leads).
    let cohort = match (query.from_leads, moved_since.is_some()) {
        // The records moved since: a few, each one's lead looked up.
        (true, true) => {
            "EXISTS (SELECT 1 FROM leads l WHERE l.id = t.lead_id AND l.created_at >= $2 AND l.created_at < $3)"
        }
        (true, false) => "t.lead_id IN (SELECT id FROM leads WHERE created_at >= $2 AND created_at < $3)",
        (false, _) => "t.created_at >= $2 AND t.created_at < $3",
    };
    let pipeline =
        if entity == Entity::Deal { "($5::bigint IS NULL OR t.pipeline_id = $5)" } else { "$5::bigint IS NULL" };
    let moved = moved_filter(moved_since.is_some(), query.from_leads, "$1", "$6::bigint");
    let sql = format!(
        "SELECT t.id, t.stage_id, t.amount_minor, t.currency, u.login::text, src.code::text, dep.name::text, \
            CASE WHEN $4::bigint IS NULL THEN t.stage_id ELSE (SELECT m.stage_id FROM stage_moves m \
              WHERE m.entity = $1 AND m.record_id = t.id AND m.at < $4 ORDER BY m.at DESC, m.id DESC LIMIT 1) END, \
            (SELECT string_agg(DISTINCT m.stage_id::text, ',') FROM stage_moves m \
              WHERE m.entity = $1 AND m.record_id = t.id AND ($4::bigint IS NULL OR m.at < $4)) \
         FROM {table} t {people} \
         WHERE {cohort} AND {pipeline} AND ($4::bigint IS NULL OR t.created_at < $4) {moved} AND {vis} ORDER BY t.id",
        table = entity.table(),
        people = crate::store::reports::people_joins("t"),
    );
    let mut params: Params = vec![
        Box::new(entity.code().to_string()),
        Box::new(query.created.0),
        Box::new(query.created.1),
        Box::new(query.end),
        Box::new(query.pipeline),
        Box::new(moved_since),
    ];
    params.extend(vis_params);
    let rows = s.client().query(&sql, &refs(&params)).map_err(|e| s.pg_err(e))?;
    Ok(rows
        .iter()
        .map(|r| {
            let now: i64 = r.get(1);
            let visited: Option<String> = r.get(8);
            crate::store::reports::funnel_fact(
                r.get(0),
                r.get::<_, Option<i64>>(7).unwrap_or(now),
                visited.as_deref(),
                FunnelFact {
                    id: 0,
                    stage_id: 0,
                    visited: vec![],
                    amount_minor: r.get(2),
                    currency: r.get(3),
                    responsible: r.get(4),
                    source: r.get(5),
                    department: r.get(6),
                    records: 1,
                },
            )
        })
        .collect())
}
