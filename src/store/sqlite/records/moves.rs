//! Stage moves inside the caller's transaction (SPEC L4, S1): the stage checked, the fields
//! its stage requires, the row, the timeline, the open activities a final stage completes,
//! then the stage's rules (`store::rules`), which may move linked records in the same chain.

use super::*;

/// The custom fields a record must fill before it moves to stage `to` (SPEC F2).
pub(crate) fn missing_for_move(
    tx: &Transaction,
    entity: Entity,
    id: i64,
    pipeline_id: i64,
    to: i64,
) -> Result<Vec<CustomField>> {
    let fields: Vec<CustomField> = crate::store::sqlite::custom_fields::fields_of(tx, Some(entity))?
        .into_iter()
        .filter(|f| !f.required_from.is_empty())
        .collect();
    if fields.is_empty() {
        return Ok(vec![]);
    }
    let pipeline: Vec<(i64, bool)> = refs::stages(tx, pipeline_id)?
        .into_iter()
        .map(|s| (s.id, s.semantics == crate::domain::stage::StageSemantics::Failure))
        .collect();
    let values = crate::store::sqlite::custom_fields::values_of(tx, entity, id)?;
    Ok(crate::domain::custom_field::missing_at(&fields, &values, to, &pipeline))
}

/// Moves a lead or deal to a stage inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn move_in(
    tx: &Transaction,
    ctx: &WriteCtx,
    entity: Entity,
    id: i64,
    stage: &str,
    reason: Option<&str>,
    expected: Option<i64>,
) -> Result<Moved> {
    move_chained(tx, ctx, entity, id, stage, reason, expected, &mut crate::store::rules::Chain::default())
}

/// A move inside a chain of rules (`move_in` begins one; a rule moving a linked record
/// goes on with its own).
#[allow(clippy::too_many_arguments)]
pub(crate) fn move_chained(
    tx: &Transaction,
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
    let sql = format!("SELECT version, stage_id FROM {} WHERE id = ?1", entity.table());
    let (version, from_id): (i64, i64) = tx
        .prepare_cached(&sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(StoreError::NotFound { entity, id })?;
    if let Some(exp) = expected
        && exp != version
    {
        return Err(StoreError::Conflict { entity, id, expected: exp, actual: version });
    }
    let from = refs::stage_by_id(tx, from_id)?;
    let to = refs::resolve_stage(tx, from.pipeline_id, stage)?;
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
    let missing = missing_for_move(tx, entity, id, from.pipeline_id, to.id)?;
    if !missing.is_empty() {
        return Err(StoreError::Rule(Rule::MissingFields { stage: to.name.clone(), fields: missing }));
    }
    let reason = plan.reason.as_deref();
    let sql = format!(
        "UPDATE {} SET stage_id = ?1, \
         stage_description = CASE WHEN ?7 THEN ?2 ELSE coalesce(?2, stage_description) END, moved_at = ?3, moved_by = ?4, \
         modified_at = ?3, modified_by = ?4, version = version + 1 WHERE id = ?5 AND version = ?6",
        entity.table()
    );
    // A failure stage's description is the reason of this loss (none given: none), never an
    // older note: the lost reasons report counts it.
    let failure = to.semantics == crate::domain::stage::StageSemantics::Failure;
    tx.prepare_cached(&sql)?.execute(params![to.id, reason, ctx.now, ctx.user_id, id, version, failure])?;
    let mut completed = 0;
    if plan.complete_activities {
        completed = tx
            .prepare_cached(
                "UPDATE activities SET completed = 1, completed_at = ?1, modified_at = ?1, modified_by = ?2, version = version + 1 \
                 WHERE completed = 0 AND id IN (SELECT activity_id FROM activity_bindings WHERE entity = ?3 AND entity_id = ?4)",
            )?
            .execute(params![ctx.now, ctx.user_id, entity.code(), id])?;
        super::super::activities::refresh_next(tx, entity, id)?;
    }
    timeline::add(
        tx,
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
    let edited = crate::store::rules::run(&mut super::super::rules::FileRules { tx, ctx, chain }, entity, id, to.id)?;
    log_change(tx, ctx, entity, id)?;
    // A chain of rules may have moved this record again (its lead's deal's rule moving it
    // back): the version is read back then, as it stands.
    let counted = edited.version.unwrap_or(version + 1);
    let version = if edited.names.is_empty() {
        counted
    } else {
        let sql = format!("SELECT version FROM {} WHERE id = ?1", entity.table());
        tx.prepare_cached(&sql)?.query_row([id], |r| r.get(0)).optional()?.unwrap_or(counted)
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
