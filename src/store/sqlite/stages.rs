//! Stage and source administration (SPEC L2, L3): add, rename, reorder, delete, always keeping
//! the order rule of `domain::stage`.

use super::refs::{self, PipelineRow, SourceRow, StageRow};
use super::rule::Rule;
use super::{Result, Store, StoreError, log_change, timeline};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::stage::{self, StageSemantics};
use crate::domain::timeline::TimelineKind;
use crate::store::engine::*;
use crate::store::ref_admin::{self, WITH_SOURCE};
use crate::store::rule::Named;
pub(crate) use crate::store::stages::*;
use rusqlite::{Connection, params};

fn check_color(c: &str) -> Result<String> {
    let c = c.trim();
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|h| h.is_ascii_hexdigit());
    if !ok {
        return Err(FieldError::new("color", Problem::refused("colour", &[("value", c)])).into());
    }
    Ok(c.to_lowercase())
}

fn check_order(list: &[StageRow]) -> Result<()> {
    stage::check_order(list.iter().map(|s| (s.code.as_str(), s.semantics)))
        .map_err(|e| StoreError::Rule(Rule::StageOrder(e)))
}

fn renumber(conn: &Connection, list: &[StageRow]) -> Result<()> {
    let mut stmt = conn.prepare_cached("UPDATE stages SET sort = ?1 WHERE id = ?2")?;
    for (i, s) in list.iter().enumerate() {
        stmt.execute(params![i as i64 * 10, s.id])?;
    }
    Ok(())
}

impl Pipelines for Store {
    /// Stages of a lead pipeline or deal pipeline with their record counts.
    fn stages(&self, entity: Entity, pipeline: Option<&str>) -> Result<(PipelineRow, Vec<StageCount>)> {
        let p = self.pipeline(entity, pipeline)?;
        let mut out = Vec::new();
        for s in refs::stages(self.conn(), p.id)? {
            let count = refs::count_in_stage(self.conn(), entity, s.id)?;
            out.push(StageCount { stage: s, count });
        }
        Ok((p, out))
    }

    /// The stages of the pipeline a stage belongs to, in order (the form's stage bar).
    fn sibling_stages(&self, stage_id: i64) -> Result<Vec<StageRow>> {
        let stage = refs::stage_by_id(self.conn(), stage_id)?;
        refs::stages(self.conn(), stage.pipeline_id)
    }

    fn stages_of(&self, pipeline_id: i64) -> Result<Vec<StageRow>> {
        refs::stages(self.conn(), pipeline_id)
    }

    /// A pipeline of `entity` by name (leads have one).
    fn pipeline(&self, entity: Entity, name: Option<&str>) -> Result<PipelineRow> {
        if !entity.has_stages() {
            return Err(StoreError::Rule(Rule::NoStages { entity }));
        }
        if entity == Entity::Lead && name.is_some() {
            return Err(StoreError::Rule(Rule::LeadsHaveOnePipeline));
        }
        refs::resolve_pipeline(self.conn(), entity, name)
    }

    /// Every pipeline of `entity`.
    fn pipelines(&self, entity: Entity) -> Result<Vec<PipelineRow>> {
        refs::pipelines(self.conn(), entity)
    }

    /// Adds a deal pipeline with the default deal stages (the service asks for an administrator).
    fn add_pipeline(&mut self, name: &str) -> Result<PipelineRow> {
        let name = crate::domain::text::clean_line(name).trim().to_string();
        if name.is_empty() {
            return Err(FieldError::new("name", Problem::Required).into());
        }
        if refs::resolve_pipeline(self.conn(), Entity::Deal, Some(&name)).is_ok() {
            return Err(StoreError::Rule(Rule::PipelineExists { name: name.to_string() }));
        }
        self.write(|tx, _| {
            tx.execute(
                "INSERT INTO pipelines (entity, name, sort) VALUES ('deal', ?1, (SELECT coalesce(max(sort), 0) + 1 FROM pipelines))",
                [&name],
            )?;
            let id = tx.last_insert_rowid();
            super::migrate::insert_stages(tx, id, &stage::default_deal_stages())?;
            Ok(PipelineRow { id, entity: Entity::Deal, name: name.clone() })
        })
    }

    /// Adds a stage, keeping in-progress / success / failure order.
    fn add_stage(&mut self, entity: Entity, pipeline: Option<&str>, new: &NewStage) -> Result<StageRow> {
        let p = self.pipeline(entity, pipeline)?;
        let name = crate::domain::text::clean_line(&new.name).trim().to_string();
        if name.is_empty() {
            return Err(FieldError::new("name", Problem::Required).into());
        }
        let code = new.code.clone().map(|c| stage::code_from_name(&c)).unwrap_or_else(|| stage::code_from_name(&name));
        if code.is_empty() {
            return Err(FieldError::new("code", Problem::Required).into());
        }
        let color = match &new.color {
            Some(c) => check_color(c)?,
            None => match new.semantics {
                StageSemantics::InProgress => "#2fc6f6".into(),
                StageSemantics::Success => "#7bd500".into(),
                StageSemantics::Failure => "#ff5752".into(),
            },
        };
        self.write(|tx, _| {
            let mut list = refs::stages(tx, p.id)?;
            if list.iter().any(|s| s.code.eq_ignore_ascii_case(&code) || s.name.eq_ignore_ascii_case(&name)) {
                return Err(StoreError::Rule(Rule::StageExists {
                    pipeline: p.name.clone(),
                    name: name.to_string(),
                    code: code.to_string(),
                }));
            }
            let sems: Vec<StageSemantics> = list.iter().map(|s| s.semantics).collect();
            let pos = match new.position {
                Some(n) if n >= 1 => (n - 1).min(list.len()),
                Some(_) => {
                    return Err(FieldError::new(
                        "position",
                        Problem::Integer { value: "0".into(), min: 1, max: list.len() as i64 + 1 },
                    )
                    .into());
                }
                None => stage::default_insert_position(&sems, new.semantics),
            };
            tx.prepare_cached(
                "INSERT INTO stages (pipeline_id, code, name, color, semantics, sort) VALUES (?1, ?2, ?3, ?4, ?5, 0)",
            )?
            .execute(params![p.id, code, name, color, new.semantics.code()])?;
            let row = refs::stage_by_id(tx, tx.last_insert_rowid())?;
            list.insert(pos, row.clone());
            check_order(&list)?;
            renumber(tx, &list)?;
            refs::stage_by_id(tx, row.id)
        })
    }

    /// Renames a stage (its code stays, so scripts keep working).
    fn rename_stage(&mut self, entity: Entity, pipeline: Option<&str>, stage: &str, name: &str) -> Result<StageRow> {
        let p = self.pipeline(entity, pipeline)?;
        let name = crate::domain::text::clean_line(name).trim().to_string();
        if name.is_empty() {
            return Err(FieldError::new("name", Problem::Required).into());
        }
        self.write(|tx, _| {
            let s = refs::resolve_stage(tx, p.id, stage)?;
            let clash = refs::stages(tx, p.id)?.into_iter().any(|o| o.id != s.id && o.name.eq_ignore_ascii_case(&name));
            if clash {
                return Err(StoreError::Rule(Rule::StageNameTaken {
                    pipeline: p.name.clone(),
                    name: name.to_string(),
                }));
            }
            tx.prepare_cached("UPDATE stages SET name = ?1 WHERE id = ?2")?.execute(params![name, s.id])?;
            refs::stage_by_id(tx, s.id)
        })
    }

    /// Changes a stage's colour.
    fn recolor_stage(&mut self, entity: Entity, pipeline: Option<&str>, stage: &str, color: &str) -> Result<StageRow> {
        let p = self.pipeline(entity, pipeline)?;
        let color = check_color(color)?;
        self.write(|tx, _| {
            let s = refs::resolve_stage(tx, p.id, stage)?;
            tx.prepare_cached("UPDATE stages SET color = ?1 WHERE id = ?2")?.execute(params![color, s.id])?;
            refs::stage_by_id(tx, s.id)
        })
    }

    fn set_stage_terms(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        probability: Option<Option<i64>>,
        rot_days: Option<Option<i64>>,
    ) -> Result<StageRow> {
        let p = self.pipeline(entity, pipeline)?;
        self.write(|tx, _| {
            let s = refs::resolve_stage(tx, p.id, stage)?;
            crate::domain::report::check_terms(s.semantics, &s.name, probability, rot_days)?;
            let probability = probability.unwrap_or(s.probability);
            let rot_days = rot_days.unwrap_or(s.rot_days);
            tx.prepare_cached("UPDATE stages SET probability = ?1, rot_days = ?2 WHERE id = ?3")?.execute(params![
                probability,
                rot_days,
                s.id
            ])?;
            refs::stage_by_id(tx, s.id)
        })
    }

    /// Moves a stage to a 1-based position, refusing orders that break the semantics rule.
    fn reorder_stage(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        position: usize,
    ) -> Result<Vec<StageRow>> {
        let p = self.pipeline(entity, pipeline)?;
        self.write(|tx, _| {
            let mut list = refs::stages(tx, p.id)?;
            let s = refs::resolve_stage(tx, p.id, stage)?;
            if position == 0 || position > list.len() {
                return Err(FieldError::new(
                    "position",
                    Problem::Integer { value: position.to_string(), min: 1, max: list.len() as i64 },
                )
                .into());
            }
            list.retain(|o| o.id != s.id);
            list.insert(position - 1, s.clone());
            check_order(&list)?;
            renumber(tx, &list)?;
            refs::stages(tx, p.id)
        })
    }

    /// Deletes a stage. Records in it must be moved to `move_to` (each move is written to
    /// their timeline); without it, a non-empty stage is refused with the count.
    fn delete_stage(
        &mut self,
        entity: Entity,
        pipeline: Option<&str>,
        stage: &str,
        move_to: Option<&str>,
    ) -> Result<i64> {
        let p = self.pipeline(entity, pipeline)?;
        self.write(|tx, ctx| {
            let s = refs::resolve_stage(tx, p.id, stage)?;
            let mut list = refs::stages(tx, p.id)?;
            list.retain(|o| o.id != s.id);
            check_order(&list)?;
            let count = refs::count_in_stage(tx, entity, s.id)?;
            if count > 0 {
                let Some(target) = move_to else {
                    return Err(StoreError::Rule(Rule::StageNotEmpty { stage: s.name.clone(), count, entity }));
                };
                let to = refs::resolve_stage(tx, p.id, target)?;
                if to.id == s.id {
                    return Err(StoreError::Rule(Rule::MoveToSameStage));
                }
                let ids: Vec<i64> = tx
                    .prepare(&format!("SELECT id FROM {} WHERE stage_id = ?1", entity.table()))?
                    .query_map([s.id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                tx.prepare(&format!(
                    "UPDATE {} SET stage_id = ?1, moved_at = ?2, moved_by = ?3, modified_at = ?2, modified_by = ?3, version = version + 1 WHERE stage_id = ?4",
                    entity.table()
                ))?
                .execute(params![to.id, ctx.now, ctx.user_id, s.id])?;
                for id in ids {
                    timeline::add(
                        tx,
                        entity,
                        id,
                        TimelineKind::StageMoved,
                        ctx,
                        serde_json::json!({"from": {"code": s.code, "name": s.name}, "to": {"code": to.code, "name": to.name}, "reason": "stage deleted"}),
                    )?;
                    log_change(tx, ctx, entity, id)?;
                }
            }
            tx.prepare_cached("DELETE FROM stages WHERE id = ?1")?.execute([s.id])?;
            renumber(tx, &list)?;
            Ok(count)
        })
    }

    /// Every source.
    fn sources(&self) -> Result<Vec<SourceRow>> {
        refs::sources(self.conn())
    }

    /// Adds a source (the service asks for an administrator).
    fn add_source(&mut self, name: &str, code: Option<&str>) -> Result<SourceRow> {
        let name = crate::domain::text::clean_line(name).trim().to_string();
        if name.is_empty() {
            return Err(FieldError::new("name", Problem::Required).into());
        }
        let code = stage::code_from_name(code.unwrap_or(&name));
        self.write(|tx, _| {
            let clash = refs::sources(tx)?.into_iter().any(|s| s.code.eq_ignore_ascii_case(&code) || s.name.eq_ignore_ascii_case(&name));
            if clash {
                return Err(StoreError::Rule(Rule::SourceExists { name: name.to_string(), code: code.to_string() }));
            }
            tx.prepare_cached("INSERT INTO sources (code, name, sort) VALUES (?1, ?2, (SELECT coalesce(max(sort), 0) + 1 FROM sources))")?
                .execute(params![code, name])?;
            Ok(SourceRow { id: tx.last_insert_rowid(), code: code.clone(), name: name.clone() })
        })
    }

    /// Renames a source found by code or name (its code stays, so scripts keep working).
    fn rename_source(&mut self, source: &str, name: &str) -> Result<SourceRow> {
        self.write(|tx, _| {
            let s = refs::resolve_source(tx, source)?;
            let all = refs::sources(tx)?;
            let others = all.iter().filter(|o| o.id != s.id).map(|o| (o.name.as_str(), ref_admin::shown_source(o)));
            let name = ref_admin::new_name(Named::Source, name, others)?;
            tx.prepare_cached("UPDATE sources SET name = ?1 WHERE id = ?2")?.execute(params![name, s.id])?;
            Ok(SourceRow { name, ..s })
        })
    }

    /// Moves a source to a 1-based position among the sources; the new order.
    fn reorder_source(&mut self, source: &str, position: usize) -> Result<Vec<SourceRow>> {
        self.write(|tx, _| {
            let s = refs::resolve_source(tx, source)?;
            let list = ref_admin::reordered(refs::sources(tx)?, s.id, position)?;
            let mut stmt = tx.prepare_cached("UPDATE sources SET sort = ?1 WHERE id = ?2")?;
            for (i, o) in list.iter().enumerate() {
                stmt.execute(params![i as i64 + 1, o.id])?;
            }
            refs::sources(tx)
        })
    }

    /// Deletes a source, its records moved to `move_to` (refused without it when in use).
    fn delete_source(&mut self, source: &str, move_to: Option<&str>) -> Result<i64> {
        self.write(|tx, ctx| {
            let s = refs::resolve_source(tx, source)?;
            let to = match move_to {
                Some(t) => Some(refs::resolve_source(tx, t)?),
                None => None,
            };
            if to.as_ref().is_some_and(|t| t.id == s.id) {
                return Err(StoreError::Rule(Rule::ToItself { what: Named::Source }));
            }
            let mut using = Vec::new();
            for entity in WITH_SOURCE {
                let ids: Vec<i64> = tx
                    .prepare_cached(&format!("SELECT id FROM {} WHERE source_id = ?1 ORDER BY id", entity.table()))?
                    .query_map([s.id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                using.push((entity, ids));
            }
            let count = using.iter().map(|(_, ids)| ids.len() as i64).sum();
            if count > 0 {
                let Some(to) = to else {
                    return Err(StoreError::Rule(Rule::SourceInUse { source: ref_admin::shown_source(&s), count }));
                };
                let entry = ref_admin::source_moved(&s, &to);
                for (entity, ids) in using {
                    tx.prepare_cached(&format!(
                        "UPDATE {} SET source_id = ?1, modified_at = ?2, modified_by = ?3, version = version + 1 WHERE source_id = ?4",
                        entity.table()
                    ))?
                    .execute(params![to.id, ctx.now, ctx.user_id, s.id])?;
                    for id in ids {
                        timeline::add(tx, entity, id, TimelineKind::FieldsChanged, ctx, entry.clone())?;
                        log_change(tx, ctx, entity, id)?;
                    }
                }
            }
            tx.prepare_cached("DELETE FROM sources WHERE id = ?1")?.execute([s.id])?;
            Ok(count)
        })
    }

    /// Renames a deal pipeline (by name or id).
    fn rename_pipeline(&mut self, pipeline: &str, name: &str) -> Result<PipelineRow> {
        self.write(|tx, _| {
            let p = deal_pipeline(tx, pipeline)?;
            let all = refs::pipelines(tx, Entity::Deal)?;
            let others = all.iter().filter(|o| o.id != p.id).map(|o| (o.name.as_str(), o.name.clone()));
            let name = ref_admin::new_name(Named::Pipeline, name, others)?;
            tx.prepare_cached("UPDATE pipelines SET name = ?1 WHERE id = ?2")?.execute(params![name, p.id])?;
            Ok(PipelineRow { name, ..p })
        })
    }

    /// Deletes a deal pipeline and its stages, its deals moved to `move_to`.
    fn delete_pipeline(&mut self, pipeline: &str, move_to: Option<&str>) -> Result<i64> {
        self.write(|tx, ctx| {
            let p = deal_pipeline(tx, pipeline)?;
            let to = match move_to {
                Some(t) => Some(deal_pipeline(tx, t)?),
                None => None,
            };
            if to.as_ref().is_some_and(|t| t.id == p.id) {
                return Err(StoreError::Rule(Rule::ToItself { what: Named::Pipeline }));
            }
            if refs::pipelines(tx, Entity::Deal)?.len() < 2 {
                return Err(StoreError::Rule(Rule::LastPipeline { pipeline: p.name.clone() }));
            }
            let count: i64 =
                tx.prepare_cached("SELECT count(*) FROM deals WHERE pipeline_id = ?1")?.query_row([p.id], |r| r.get(0))?;
            if count > 0 {
                let Some(to) = to else {
                    return Err(StoreError::Rule(Rule::PipelineNotEmpty { pipeline: p.name.clone(), count }));
                };
                let targets = refs::stages(tx, to.id)?;
                for from in refs::stages(tx, p.id)? {
                    let stage = ref_admin::stage_for(&from, &targets).ok_or(Rule::PipelineEmpty { id: to.id })?;
                    let ids: Vec<i64> = tx
                        .prepare_cached("SELECT id FROM deals WHERE pipeline_id = ?1 AND stage_id = ?2 ORDER BY id")?
                        .query_map([p.id, from.id], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?;
                    tx.prepare_cached(
                        "UPDATE deals SET pipeline_id = ?1, stage_id = ?2, moved_at = ?3, moved_by = ?4, modified_at = ?3, \
                         modified_by = ?4, version = version + 1 WHERE pipeline_id = ?5 AND stage_id = ?6",
                    )?
                    .execute(params![to.id, stage.id, ctx.now, ctx.user_id, p.id, from.id])?;
                    let entry = ref_admin::pipeline_moved(&from, &p.name, stage, &to.name);
                    for id in ids {
                        timeline::add(tx, Entity::Deal, id, TimelineKind::StageMoved, ctx, entry.clone())?;
                        log_change(tx, ctx, Entity::Deal, id)?;
                    }
                }
            }
            // Its stages go with it (ON DELETE CASCADE); a deal left in a stage of another
            // pipeline (a damaged file) keeps the delete from happening.
            tx.prepare_cached("DELETE FROM pipelines WHERE id = ?1")?.execute([p.id])?;
            Ok(count)
        })
    }
}

/// A deal pipeline named by what a person typed: an empty name is refused here rather than
/// taken as "the first pipeline", which `refs::resolve_pipeline` gives for none.
fn deal_pipeline(conn: &Connection, text: &str) -> Result<PipelineRow> {
    if text.trim().is_empty() {
        return Err(FieldError::new("pipeline", Problem::Required).into());
    }
    refs::resolve_pipeline(conn, Entity::Deal, Some(text))
}
