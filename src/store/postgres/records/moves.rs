//! Stage moves inside the caller's transaction (SPEC L4, S1): the stage checked, the fields
//! its stage requires, the row, the timeline, the open activities a final stage completes,
//! then the stage's rules (`store::rules`), which may move linked records in the same chain.

use super::*;
use crate::domain::stage::{StageAt, plan_move};

/// The stage a record leaves (`f`) and the one it goes to (`n`), as `refs::stage_at` reads.
const FROM_COLUMNS: &str =
    "f.id, f.pipeline_id, f.code::text, f.name, f.color, f.semantics, f.sort, f.probability, f.rot_days";
const TO_COLUMNS: &str =
    "n.id, n.pipeline_id, n.code::text, n.name, n.color, n.semantics, n.sort, n.probability, n.rot_days";

/// Moves a lead or deal to a stage inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn move_in(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    stage: &str,
    reason: Option<&str>,
    expected: Option<i64>,
) -> Result<Moved> {
    move_chained(c, ctx, entity, id, stage, reason, expected, &mut crate::store::rules::Chain::default())
}

/// A move inside a chain of rules (`move_in` begins one; a rule moving a linked record
/// goes on with its own).
#[allow(clippy::too_many_arguments)]
pub(crate) fn move_chained(
    c: &mut impl GenericClient,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    stage: &str,
    reason: Option<&str>,
    expected: Option<i64>,
    chain: &mut crate::store::rules::Chain,
) -> Result<Moved> {
    if !entity.has_stages() {
        return Err(StoreError::Rule(Rule::NoStages { entity }));
    }
    // The version, the stage it leaves and the stage named by its code: one round trip.
    let sql = format!(
        "SELECT t.version, {FROM_COLUMNS}, {TO_COLUMNS} FROM {} t JOIN stages f ON f.id = t.stage_id \
         LEFT JOIN stages n ON n.pipeline_id = f.pipeline_id AND n.code = $2::text::citext WHERE t.id = $1",
        entity.table()
    );
    let st = ctx.prepared(c, &sql)?;
    let row = c.query_opt(&st, &[&id, &stage.trim()])?.ok_or(StoreError::NotFound { entity, id })?;
    let version: i64 = row.try_get(0)?;
    if let Some(exp) = expected
        && exp != version
    {
        return Err(StoreError::Conflict { entity, id, expected: exp, actual: version });
    }
    let from = refs::stage_at(&row, 1)?;
    let to = match row.try_get::<_, Option<i64>>(10)? {
        Some(_) => refs::stage_at(&row, 10)?,
        // Not a code: a name, or an error listing the pipeline's stages.
        None => refs::resolve_stage(c, from.pipeline_id, stage)?,
    };
    let plan = plan_move(from.id, StageAt { id: to.id, name: &to.name, semantics: to.semantics }, reason)?;
    if plan.unchanged {
        // Six scripts moving one lead to one stage all get what they asked for: a success
        // that writes nothing (no timeline entry, no new version).
        return Ok(Moved {
            id,
            from,
            to,
            version,
            completed_activities: 0,
            unchanged: true,
            rules: vec![],
            handed_to: None,
        });
    }
    let missing = missing_for_move(c, entity, id, from.pipeline_id, to.id)?;
    if !missing.is_empty() {
        return Err(StoreError::Rule(Rule::MissingFields { stage: to.name.clone(), fields: missing }));
    }
    let reason = plan.reason.as_deref();
    let sql = format!(
        "UPDATE {} SET stage_id = $1, \
         stage_description = CASE WHEN $7 THEN $2 ELSE coalesce($2, stage_description) END, moved_at = $3, moved_by = $4, \
         modified_at = $3, modified_by = $4, version = version + 1 WHERE id = $5 AND version = $6",
        entity.table()
    );
    let st = ctx.prepared(c, &sql)?;
    // A failure stage's description is the reason of this loss (none given: none), never an
    // older note: the lost reasons report counts it.
    let failure = to.semantics == crate::domain::stage::StageSemantics::Failure;
    c.execute(&st, &[&to.id, &reason, &ctx.now, &ctx.user_id, &id, &version, &failure])?;
    let mut completed = 0;
    if plan.complete_activities {
        completed = c.execute(
            "UPDATE activities SET completed = TRUE, completed_at = $1, modified_at = $1, modified_by = $2, version = version + 1 \
             WHERE NOT completed AND id IN (SELECT activity_id FROM activity_bindings WHERE entity = $3 AND entity_id = $4)",
            &[&ctx.now, &ctx.user_id, &entity.code(), &id],
        )? as usize;
        refresh_next_activity(c, &[RecordRef::new(entity, id)])?;
    }
    timeline::add(
        c,
        entity,
        id,
        TimelineKind::StageMoved,
        ctx,
        json!({
            "from": {"code": from.code, "name": from.name},
            "to": {"code": to.code, "name": to.name, "semantics": to.semantics.code()},
            "reason": reason,
            "completed_activities": completed,
        }),
    )?;
    // The stage's rules, in this transaction: a rule that refuses takes the move back too;
    // a rule's edit raises the version past the move's.
    let edited = crate::store::rules::run(&mut super::super::rules::ServerRules { c, ctx, chain }, entity, id, to.id)?;
    log_change(c, ctx, entity, id)?;
    // A chain of rules may have moved this record again (its lead's deal's rule moving it
    // back): the version is read back then, as it stands (unless a rule handed it out of
    // the mover's sight: then as counted).
    let counted = edited.version.unwrap_or(version + 1);
    let version = if edited.names.is_empty() {
        counted
    } else {
        let sql = format!("SELECT version FROM {} WHERE id = $1", entity.table());
        c.query_opt(&sql, &[&id])?.map_or(counted, |r| r.get(0))
    };
    Ok(Moved {
        id,
        from,
        to,
        version,
        completed_activities: completed,
        unchanged: false,
        rules: edited.names,
        handed_to: edited.handed_to,
    })
}

/// The custom fields a record must fill before it moves to stage `to` (SPEC F2).
pub(crate) fn missing_for_move(
    c: &mut impl GenericClient,
    entity: Entity,
    id: i64,
    pipeline_id: i64,
    to: i64,
) -> Result<Vec<CustomField>> {
    let fields: Vec<CustomField> = crate::store::postgres::custom_fields::fields_of(c, Some(entity))?
        .into_iter()
        .filter(|f| !f.required_from.is_empty())
        .collect();
    if fields.is_empty() {
        return Ok(vec![]);
    }
    let pipeline: Vec<(i64, bool)> = refs::stages(c, pipeline_id)?
        .into_iter()
        .map(|s| (s.id, s.semantics == crate::domain::stage::StageSemantics::Failure))
        .collect();
    let values = crate::store::postgres::custom_fields::values_of(c, entity, id)?;
    Ok(crate::domain::custom_field::missing_at(&fields, &values, to, &pipeline))
}
