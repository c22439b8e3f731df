//! Pipelines, stages, sources, users and records looked up by what a person types: a code, a
//! display name or an id; the same spellings as a file accepts (`sqlite::refs`).

use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::{Entity, RefKind, display_title};
use crate::domain::stage::StageSemantics;
use crate::store::postgres::{INT8, TEXT};
pub(crate) use crate::store::refs::*;
use crate::store::rule::Rule;
use crate::store::{Result, StoreError};
use postgres::{GenericClient, Row};

fn unknown(what: &'static str, value: &str, known: Vec<String>) -> StoreError {
    StoreError::Field(FieldError::new(what, Problem::Unknown { what, value: value.to_string(), known }))
}

const STAGE_COLUMNS: &str = "id, pipeline_id, code::text, name, color, semantics, sort, probability, rot_days";

/// Stages of a pipeline, in order.
pub fn stages(c: &mut impl GenericClient, pipeline_id: i64) -> Result<Vec<StageRow>> {
    let sql = format!("SELECT {STAGE_COLUMNS} FROM stages WHERE pipeline_id = $1 ORDER BY sort, id");
    Ok(c.query_typed(&sql, &[(&pipeline_id, INT8)])?.iter().map(stage_row).collect())
}

/// A stage read from `STAGE_COLUMNS`' nine columns starting at `at` in a wider row.
pub(crate) fn stage_at(r: &Row, at: usize) -> Result<StageRow> {
    let sem: String = r.try_get(at + 5)?;
    Ok(StageRow {
        id: r.try_get(at)?,
        pipeline_id: r.try_get(at + 1)?,
        code: r.try_get(at + 2)?,
        name: r.try_get(at + 3)?,
        color: r.try_get(at + 4)?,
        semantics: StageSemantics::parse(&sem).unwrap_or(StageSemantics::InProgress),
        sort: r.try_get(at + 6)?,
        probability: r.try_get(at + 7)?,
        rot_days: r.try_get(at + 8)?,
    })
}

fn stage_row(r: &Row) -> StageRow {
    let sem: String = r.get(5);
    StageRow {
        id: r.get(0),
        pipeline_id: r.get(1),
        code: r.get(2),
        name: r.get(3),
        color: r.get(4),
        semantics: StageSemantics::parse(&sem).unwrap_or(StageSemantics::InProgress),
        sort: r.get(6),
        probability: r.get(7),
        rot_days: r.get(8),
    }
}

/// A stage by id.
pub fn stage_by_id(c: &mut impl GenericClient, id: i64) -> Result<StageRow> {
    let sql = format!("SELECT {STAGE_COLUMNS} FROM stages WHERE id = $1");
    c.query_typed_opt(&sql, &[(&id, INT8)])?.map(|r| stage_row(&r)).ok_or(StoreError::Rule(Rule::StageMissing { id }))
}

/// Finds a stage of `pipeline_id` by code or name (case-insensitive).
pub fn resolve_stage(c: &mut impl GenericClient, pipeline_id: i64, text: &str) -> Result<StageRow> {
    let t = text.trim();
    let sql = format!("SELECT {STAGE_COLUMNS} FROM stages WHERE pipeline_id = $1 AND code = $2::text::citext");
    if let Some(r) = c.query_typed_opt(&sql, &[(&pipeline_id, INT8), (&t, TEXT)])? {
        return Ok(stage_row(&r));
    }
    let all = stages(c, pipeline_id)?;
    all.iter()
        .find(|s| s.code.eq_ignore_ascii_case(t))
        .or_else(|| all.iter().find(|s| s.name.to_lowercase() == t.to_lowercase()))
        .cloned()
        .ok_or_else(|| unknown("stage", t, all.iter().map(|s| format!("{} ({})", s.name, s.code)).collect()))
}

/// Pipelines of an entity, in order.
pub fn pipelines(c: &mut impl GenericClient, entity: Entity) -> Result<Vec<PipelineRow>> {
    let rows = c.query_typed(
        "SELECT id, name::text FROM pipelines WHERE entity = $1 ORDER BY sort, id",
        &[(&entity.code(), TEXT)],
    )?;
    Ok(rows.iter().map(|r| PipelineRow { id: r.get(0), entity, name: r.get(1) }).collect())
}

/// The pipeline named `text`, or the entity's first when `None`. Leads have exactly one.
pub fn resolve_pipeline(c: &mut impl GenericClient, entity: Entity, text: Option<&str>) -> Result<PipelineRow> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return c
            .query_typed_opt(
                "SELECT id, name::text FROM pipelines WHERE entity = $1 ORDER BY sort, id LIMIT 1",
                &[(&entity.code(), TEXT)],
            )?
            .map(|r| PipelineRow { id: r.get(0), entity, name: r.get(1) })
            .ok_or(StoreError::Rule(Rule::NoPipeline { entity }));
    };
    let all = pipelines(c, entity)?;
    all.iter()
        .find(|p| p.name.to_lowercase() == t.to_lowercase() || p.id.to_string() == t)
        .cloned()
        .ok_or_else(|| unknown("pipeline", t, all.iter().map(|p| p.name.clone()).collect()))
}

/// Active and inactive sources, in order.
pub fn sources(c: &mut impl GenericClient) -> Result<Vec<SourceRow>> {
    let rows = c.query_typed("SELECT id, code::text, name FROM sources ORDER BY sort, id", &[])?;
    Ok(rows.iter().map(|r| SourceRow { id: r.get(0), code: r.get(1), name: r.get(2) }).collect())
}

/// Finds a source by code or name.
pub fn resolve_source(c: &mut impl GenericClient, text: &str) -> Result<SourceRow> {
    let t = text.trim();
    let by_code = "SELECT id, code::text, name FROM sources WHERE code = $1::text::citext";
    if let Some(r) = c.query_typed_opt(by_code, &[(&t, TEXT)])? {
        return Ok(SourceRow { id: r.get(0), code: r.get(1), name: r.get(2) });
    }
    let all = sources(c)?;
    all.iter()
        .find(|s| s.code.eq_ignore_ascii_case(t))
        .or_else(|| all.iter().find(|s| s.name.to_lowercase() == t.to_lowercase()))
        .cloned()
        .ok_or_else(|| unknown("source", t, all.iter().map(|s| format!("{} ({})", s.name, s.code)).collect()))
}

/// Finds a user by login or display name; returns id and login.
pub fn resolve_user(c: &mut impl GenericClient, text: &str) -> Result<(i64, String)> {
    let t = text.trim();
    // Sent with its type, in one round trip: a list's filter by responsible asks each time.
    let login = "SELECT id, login::text FROM users WHERE login = $1::text::citext";
    if let Some(r) = c.query_typed_opt(login, &[(&t, TEXT)])? {
        return Ok((r.get(0), r.get(1)));
    }
    let by_name: Vec<(i64, String)> = c
        .query("SELECT id, login::text FROM users WHERE lower(display_name) = lower($1) ORDER BY id", &[&t])?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    match by_name.len() {
        1 => Ok(by_name.into_iter().next().unwrap_or_default()),
        0 => {
            let known: Vec<String> =
                c.query("SELECT login::text FROM users ORDER BY login", &[])?.iter().map(|r| r.get(0)).collect();
            Err(unknown("user", t, known))
        }
        _ => Err(StoreError::Rule(Rule::SeveralUsers {
            name: t.to_string(),
            logins: by_name.iter().map(|(_, l)| l.clone()).collect(),
        })),
    }
}

/// Finds a record by id (`12`, `#12`) or, for companies, by exact title.
pub fn resolve_record(c: &mut impl GenericClient, entity: Entity, text: &str) -> Result<i64> {
    let t = text.trim().trim_start_matches('#');
    if let Ok(id) = t.parse::<i64>() {
        let sql = format!("SELECT 1 FROM {} WHERE id = $1", entity.table());
        if c.query_opt(&sql, &[&id])?.is_some() {
            return Ok(id);
        }
        return Err(unknown(entity.code(), t, vec![]));
    }
    if entity == Entity::Company {
        let key = crate::domain::dedup::name_key([t]);
        let ids: Vec<i64> = c
            .query("SELECT id FROM companies WHERE title_key = $1 ORDER BY id", &[&key])?
            .iter()
            .map(|r| r.get(0))
            .collect();
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
pub fn resolve(c: &mut impl GenericClient, kind: RefKind, text: &str, pipeline_id: Option<i64>) -> Result<i64> {
    Ok(match kind {
        RefKind::Stage => {
            let p = pipeline_id.ok_or(StoreError::Rule(Rule::StageNeedsPipeline))?;
            resolve_stage(c, p, text)?.id
        }
        RefKind::Source => resolve_source(c, text)?.id,
        RefKind::User => resolve_user(c, text)?.0,
        RefKind::Pipeline => resolve_pipeline(c, Entity::Deal, Some(text))?.id,
        RefKind::Contact => resolve_record(c, Entity::Contact, text)?,
        RefKind::Company => resolve_record(c, Entity::Company, text)?,
        RefKind::Lead => resolve_record(c, Entity::Lead, text)?,
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
pub fn describe(c: &mut impl GenericClient, kind: RefKind, id: i64) -> Result<RefShown> {
    let (sql, entity): (String, Option<Entity>) = match kind {
        RefKind::Stage => ("SELECT code::text, name FROM stages WHERE id = $1".into(), None),
        RefKind::Source => ("SELECT code::text, name FROM sources WHERE id = $1".into(), None),
        RefKind::User => ("SELECT login::text, display_name FROM users WHERE id = $1".into(), None),
        RefKind::Pipeline => ("SELECT name::text, name::text FROM pipelines WHERE id = $1".into(), None),
        RefKind::Contact | RefKind::Company | RefKind::Lead => {
            let entity = match kind {
                RefKind::Contact => Entity::Contact,
                RefKind::Company => Entity::Company,
                _ => Entity::Lead,
            };
            (format!("SELECT id::text, {} FROM {} WHERE id = $1", title_sql(entity), entity.table()), Some(entity))
        }
    };
    let found: Option<(String, String)> = c.query_typed_opt(&sql, &[(&id, INT8)])?.map(|r| {
        (r.get::<_, Option<String>>(0).unwrap_or_default(), r.get::<_, Option<String>>(1).unwrap_or_default())
    });
    let (code, name) = found.unwrap_or_else(|| (id.to_string(), format!("#{id}")));
    let name = match entity {
        Some(e) => display_title(e, id, Some(&name)),
        None => name,
    };
    Ok(RefShown { id, code, name })
}

/// A pipeline's first stage, where new records start.
pub fn first_stage(c: &mut impl GenericClient, pipeline_id: i64) -> Result<StageRow> {
    stages(c, pipeline_id)?.into_iter().next().ok_or(StoreError::Rule(Rule::PipelineEmpty { id: pipeline_id }))
}

/// Number of records of `entity` in a stage.
pub fn count_in_stage(c: &mut impl GenericClient, entity: Entity, stage_id: i64) -> Result<i64> {
    let sql = format!("SELECT count(*) FROM {} WHERE stage_id = $1", entity.table());
    Ok(c.query_one(&sql, &[&stage_id])?.get(0))
}
