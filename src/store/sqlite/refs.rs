//! Pipelines, stages, sources, users and records looked up by what a person types: a code, a
//! display name or an id. One place, so the CLI, import and TUI accept the same spellings.

use super::rule::Rule;
use super::{Result, StoreError};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::{Entity, RefKind, display_title};
use crate::domain::stage::StageSemantics;
pub(crate) use crate::store::refs::*;
use rusqlite::{Connection, OptionalExtension, params};

fn unknown(what: &'static str, value: &str, known: Vec<String>) -> StoreError {
    StoreError::Field(FieldError::new(what, Problem::Unknown { what, value: value.to_string(), known }))
}

/// Stages of a pipeline, in order.
pub fn stages(conn: &Connection, pipeline_id: i64) -> Result<Vec<StageRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, pipeline_id, code, name, color, semantics, sort, probability, rot_days FROM stages WHERE pipeline_id = ?1 ORDER BY sort, id",
    )?;
    let rows = stmt.query_map([pipeline_id], stage_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn stage_row(r: &rusqlite::Row) -> rusqlite::Result<StageRow> {
    let sem: String = r.get(5)?;
    Ok(StageRow {
        id: r.get(0)?,
        pipeline_id: r.get(1)?,
        code: r.get(2)?,
        name: r.get(3)?,
        color: r.get(4)?,
        semantics: StageSemantics::parse(&sem).unwrap_or(StageSemantics::InProgress),
        sort: r.get(6)?,
        probability: r.get(7)?,
        rot_days: r.get(8)?,
    })
}

/// A stage by id.
pub fn stage_by_id(conn: &Connection, id: i64) -> Result<StageRow> {
    conn.prepare_cached(
        "SELECT id, pipeline_id, code, name, color, semantics, sort, probability, rot_days FROM stages WHERE id = ?1",
    )?
    .query_row([id], stage_row)
    .optional()?
    .ok_or(StoreError::Rule(Rule::StageMissing { id }))
}

/// Finds a stage of `pipeline_id` by code or name (case-insensitive).
pub fn resolve_stage(conn: &Connection, pipeline_id: i64, text: &str) -> Result<StageRow> {
    let t = text.trim();
    // By code first, in one indexed row: what scripts, imports and the demo pass.
    let by_code = conn
        .prepare_cached(
            "SELECT id, pipeline_id, code, name, color, semantics, sort, probability, rot_days FROM stages \
             WHERE pipeline_id = ?1 AND code = ?2 COLLATE NOCASE",
        )?
        .query_row(rusqlite::params![pipeline_id, t], stage_row)
        .optional()?;
    if let Some(s) = by_code {
        return Ok(s);
    }
    let all = stages(conn, pipeline_id)?;
    all.iter()
        .find(|s| s.code.eq_ignore_ascii_case(t))
        .or_else(|| all.iter().find(|s| s.name.to_lowercase() == t.to_lowercase()))
        .cloned()
        .ok_or_else(|| unknown("stage", t, all.iter().map(|s| format!("{} ({})", s.name, s.code)).collect()))
}

/// Pipelines of an entity, in order.
pub fn pipelines(conn: &Connection, entity: Entity) -> Result<Vec<PipelineRow>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM pipelines WHERE entity = ?1 ORDER BY sort, id")?;
    let rows = stmt.query_map([entity.code()], |r| Ok(PipelineRow { id: r.get(0)?, entity, name: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The pipeline named `text`, or the entity's first when `None`. Leads have exactly one.
pub fn resolve_pipeline(conn: &Connection, entity: Entity, text: Option<&str>) -> Result<PipelineRow> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        // The first one in one row: every lead created asks for it.
        return conn
            .prepare_cached("SELECT id, name FROM pipelines WHERE entity = ?1 ORDER BY sort, id LIMIT 1")?
            .query_row([entity.code()], |r| Ok(PipelineRow { id: r.get(0)?, entity, name: r.get(1)? }))
            .optional()?
            .ok_or(StoreError::Rule(Rule::NoPipeline { entity }));
    };
    let all = pipelines(conn, entity)?;
    all.iter()
        .find(|p| p.name.to_lowercase() == t.to_lowercase() || p.id.to_string() == t)
        .cloned()
        .ok_or_else(|| unknown("pipeline", t, all.iter().map(|p| p.name.clone()).collect()))
}

/// Active and inactive sources, in order.
pub fn sources(conn: &Connection) -> Result<Vec<SourceRow>> {
    let mut stmt = conn.prepare_cached("SELECT id, code, name FROM sources ORDER BY sort, id")?;
    let rows = stmt.query_map([], |r| Ok(SourceRow { id: r.get(0)?, code: r.get(1)?, name: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Finds a source by code or name.
pub fn resolve_source(conn: &Connection, text: &str) -> Result<SourceRow> {
    let t = text.trim();
    let by_code = conn
        .prepare_cached("SELECT id, code, name FROM sources WHERE code = ?1 COLLATE NOCASE")?
        .query_row([t], |r| Ok(SourceRow { id: r.get(0)?, code: r.get(1)?, name: r.get(2)? }))
        .optional()?;
    if let Some(s) = by_code {
        return Ok(s);
    }
    let all = sources(conn)?;
    all.iter()
        .find(|s| s.code.eq_ignore_ascii_case(t))
        .or_else(|| all.iter().find(|s| s.name.to_lowercase() == t.to_lowercase()))
        .cloned()
        .ok_or_else(|| unknown("source", t, all.iter().map(|s| format!("{} ({})", s.name, s.code)).collect()))
}

/// Finds a user by login or display name; returns id and login.
pub fn resolve_user(conn: &Connection, text: &str) -> Result<(i64, String)> {
    let t = text.trim();
    let by_login: Option<(i64, String)> = conn
        .prepare_cached("SELECT id, login FROM users WHERE login = ?1 COLLATE NOCASE")?
        .query_row([t], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some(found) = by_login {
        return Ok(found);
    }
    let mut stmt = conn.prepare_cached("SELECT id, login FROM users WHERE lower(display_name) = lower(?1)")?;
    let by_name: Vec<(i64, String)> =
        stmt.query_map([t], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    match by_name.len() {
        1 => Ok(by_name.into_iter().next().unwrap_or_default()),
        0 => {
            let mut stmt = conn.prepare_cached("SELECT login FROM users ORDER BY login")?;
            let known = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Err(unknown("user", t, known))
        }
        _ => Err(StoreError::Rule(Rule::SeveralUsers {
            name: t.to_string(),
            logins: by_name.iter().map(|(_, l)| l.clone()).collect(),
        })),
    }
}

/// Finds a record by id (`12`, `#12`) or, for companies, by exact title.
pub fn resolve_record(conn: &Connection, entity: Entity, text: &str) -> Result<i64> {
    let t = text.trim().trim_start_matches('#');
    if let Ok(id) = t.parse::<i64>() {
        let sql = format!("SELECT 1 FROM {} WHERE id = ?1", entity.table());
        if conn.prepare_cached(&sql)?.exists([id])? {
            return Ok(id);
        }
        return Err(unknown(entity.code(), t, vec![]));
    }
    if entity == Entity::Company {
        let key = crate::domain::dedup::name_key([t]);
        let ids: Vec<i64> = conn
            .prepare_cached("SELECT id FROM companies WHERE title_key = ?1 ORDER BY id")?
            .query_map([key], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.len() {
            1 => return Ok(ids[0]),
            n if n > 1 => {
                return Err(StoreError::Rule(Rule::SeveralCompanies { name: t.to_string(), ids }));
            }
            _ => {}
        }
    }
    Err(unknown(entity.code(), t, vec![]))
}

/// Resolves any reference kind to an id. Stages need the pipeline they belong to.
pub fn resolve(conn: &Connection, kind: RefKind, text: &str, pipeline_id: Option<i64>) -> Result<i64> {
    Ok(match kind {
        RefKind::Stage => {
            let p = pipeline_id.ok_or(StoreError::Rule(Rule::StageNeedsPipeline))?;
            resolve_stage(conn, p, text)?.id
        }
        RefKind::Source => resolve_source(conn, text)?.id,
        RefKind::User => resolve_user(conn, text)?.0,
        RefKind::Pipeline => resolve_pipeline(conn, Entity::Deal, Some(text))?.id,
        RefKind::Contact => resolve_record(conn, Entity::Contact, text)?,
        RefKind::Company => resolve_record(conn, Entity::Company, text)?,
        RefKind::Lead => resolve_record(conn, Entity::Lead, text)?,
    })
}

/// The SQL expression of a record's title, as `describe` and batch readers show it (then
/// through `display_title`): one rule for every place that names a record.
pub(crate) fn title_sql(entity: Entity) -> &'static str {
    match entity {
        Entity::Contact => "trim(coalesce(first_name,'') || ' ' || coalesce(last_name,''))",
        Entity::Lead | Entity::Deal | Entity::Company => "title",
    }
}

/// Describes a stored reference id for display.
pub fn describe(conn: &Connection, kind: RefKind, id: i64) -> Result<RefShown> {
    let (sql, entity): (&str, Option<Entity>) = match kind {
        RefKind::Stage => ("SELECT code, name FROM stages WHERE id = ?1", None),
        RefKind::Source => ("SELECT code, name FROM sources WHERE id = ?1", None),
        RefKind::User => ("SELECT login, display_name FROM users WHERE id = ?1", None),
        RefKind::Pipeline => ("SELECT name, name FROM pipelines WHERE id = ?1", None),
        RefKind::Contact | RefKind::Company | RefKind::Lead => {
            let entity = match kind {
                RefKind::Contact => Entity::Contact,
                RefKind::Company => Entity::Company,
                _ => Entity::Lead,
            };
            let sql = format!("SELECT id, {} FROM {} WHERE id = ?1", title_sql(entity), entity.table());
            return describe_with(conn, &sql, Some(entity), id);
        }
    };
    describe_with(conn, sql, entity, id)
}

fn describe_with(conn: &Connection, sql: &str, entity: Option<Entity>, id: i64) -> Result<RefShown> {
    let found: Option<(String, String)> = conn
        .prepare_cached(sql)?
        .query_row([id], |r| {
            let code: rusqlite::types::Value = r.get(0)?;
            let code = match code {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                _ => String::new(),
            };
            Ok((code, r.get::<_, Option<String>>(1)?.unwrap_or_default()))
        })
        .optional()?;
    let (code, name) = found.unwrap_or_else(|| (id.to_string(), format!("#{id}")));
    let name = match entity {
        Some(e) => display_title(e, id, Some(&name)),
        None => name,
    };
    Ok(RefShown { id, code, name })
}

/// Id of a pipeline's stage by semantics position: the first in-progress stage, where new
/// records start.
pub fn first_stage(conn: &Connection, pipeline_id: i64) -> Result<StageRow> {
    stages(conn, pipeline_id)?.into_iter().next().ok_or(StoreError::Rule(Rule::PipelineEmpty { id: pipeline_id }))
}

/// Number of records of `entity` in a stage.
pub fn count_in_stage(conn: &Connection, entity: Entity, stage_id: i64) -> Result<i64> {
    let sql = format!("SELECT count(*) FROM {} WHERE stage_id = ?1", entity.table());
    Ok(conn.prepare_cached(&sql)?.query_row(params![stage_id], |r| r.get(0))?)
}
