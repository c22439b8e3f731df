//! Stage rules on a file: kept in `stage_rules` (migration 25), run inside a move's
//! transaction through `store::rules` (`FileRules` is what the file lends them).

use super::records::list::list_where;
use super::{Result, Store, WriteCtx};
use crate::domain::access::{Rights, Visibility};
use crate::domain::automation::StageRule;
use crate::domain::custom_field::{CustomField, ParseContext};
use crate::domain::fields::Entity;
use crate::domain::queue::Pick;
use crate::domain::timeline::TimelineKind;
use crate::domain::when::UnixMs;
use crate::store::activities::NewActivity;
use crate::store::engine::Automation;
use crate::store::records::{ListFilter, RecordInput};
use crate::store::rules::{Chain, RecordWords, RuleTx, Savepoint, rule_from, rule_to};
use crate::store::{RecordRef, Rule, StoreError};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

/// The columns `rule_from` reads, over `stage_rules r` joined to its stage's pipeline `p`.
const COLUMNS: &str = "r.id, r.name, p.entity, r.stage_id, r.conditions, r.actions, r.on_error, r.enabled";

/// Rules by stage then age; of one stage, of one kind of record, or all.
fn rules_in(
    conn: &Connection,
    entity: Option<Entity>,
    stage_id: Option<i64>,
    enabled_only: bool,
) -> Result<Vec<StageRule>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM stage_rules r JOIN stages s ON s.id = r.stage_id JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE (?1 IS NULL OR p.entity = ?1) AND (?2 IS NULL OR r.stage_id = ?2) AND (NOT ?3 OR r.enabled) \
         ORDER BY p.sort, p.id, s.sort, r.id"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map(params![entity.map(|e| e.code()), stage_id, enabled_only], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, entity, stage_id, conditions, actions, on_error, enabled): (
            i64,
            String,
            String,
            i64,
            String,
            String,
            String,
            bool,
        ) = row?;
        out.push(rule_from(id, name, &entity, stage_id, &conditions, &actions, &on_error, enabled)?);
    }
    Ok(out)
}

impl Automation for Store {
    fn stage_rules(&self, entity: Option<Entity>) -> Result<Vec<StageRule>> {
        self.reading(|s| rules_in(s.conn(), entity, None, false))
    }

    fn add_stage_rule(&mut self, rule: &StageRule) -> Result<i64> {
        self.write(|tx, ctx| {
            let (conditions, actions) = rule_to(rule)?;
            tx.prepare_cached(
                "INSERT INTO stage_rules (stage_id, name, conditions, actions, on_error, enabled, created_at, created_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                rule.stage_id,
                rule.name,
                conditions,
                actions,
                rule.on_error.code(),
                rule.enabled,
                ctx.now,
                ctx.user_id
            ])?;
            Ok(tx.last_insert_rowid())
        })
    }

    fn edit_stage_rule(&mut self, rule: &StageRule) -> Result<()> {
        self.write(|tx, _| {
            let (conditions, actions) = rule_to(rule)?;
            let n = tx
                .prepare_cached(
                    "UPDATE stage_rules SET name = ?2, conditions = ?3, actions = ?4, on_error = ?5, enabled = ?6 WHERE id = ?1",
                )?
                .execute(params![rule.id, rule.name, conditions, actions, rule.on_error.code(), rule.enabled])?;
            if n == 0 {
                return Err(StoreError::Rule(Rule::NoSuchStageRule { id: rule.id }));
            }
            Ok(())
        })
    }

    fn delete_stage_rule(&mut self, id: i64) -> Result<()> {
        self.write(|tx, _| {
            if tx.prepare_cached("DELETE FROM stage_rules WHERE id = ?1")?.execute([id])? == 0 {
                return Err(StoreError::Rule(Rule::NoSuchStageRule { id }));
            }
            Ok(())
        })
    }
}

/// What a file lends the rules inside a move's transaction.
pub(crate) struct FileRules<'t, 'a, 'c> {
    /// The move's transaction.
    pub tx: &'t rusqlite::Transaction<'a>,
    /// Its stamps.
    pub ctx: &'t WriteCtx<'c>,
    /// The rules running.
    pub chain: &'t mut Chain,
}

impl RuleTx for FileRules<'_, '_, '_> {
    fn chain(&mut self) -> &mut Chain {
        self.chain
    }

    fn queue_pick(&mut self) -> Result<Pick> {
        super::queue::pick_in(self.tx)
    }

    fn linked(&mut self, entity: Entity, id: i64) -> Result<Vec<RecordRef>> {
        let (sql, other) = match entity {
            Entity::Deal => ("SELECT lead_id FROM deals WHERE id = ?1 AND lead_id IS NOT NULL", Entity::Lead),
            Entity::Lead => ("SELECT id FROM deals WHERE lead_id = ?1 ORDER BY id", Entity::Deal),
            _ => return Ok(vec![]),
        };
        let mut st = self.tx.prepare_cached(sql)?;
        let ids = st.query_map([id], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids.into_iter().map(|id| RecordRef::new(other, id)).collect())
    }

    fn move_to(&mut self, target: RecordRef, stage: &str) -> Result<bool> {
        let moved =
            super::records::move_chained(self.tx, self.ctx, target.entity, target.id, stage, None, None, self.chain)?;
        Ok(!moved.unchanged)
    }

    fn rules_of(&mut self, entity: Entity, stage_id: i64) -> Result<Vec<StageRule>> {
        rules_in(self.tx, Some(entity), Some(stage_id), true)
    }

    fn own_fields(&mut self, entity: Entity) -> Result<Vec<CustomField>> {
        super::custom_fields::fields_of(self.tx, Some(entity))
    }

    fn parse_context(&mut self) -> Result<ParseContext> {
        Ok(crate::store::rules::parse_context(self.ctx.currency, self.ctx.region, self.ctx.now))
    }

    fn holds(&mut self, entity: Entity, id: i64, filter: &ListFilter) -> Result<bool> {
        let Some((wheres, mut params)) = list_where(self.tx, entity, &Visibility::All, filter)? else {
            return Ok(false);
        };
        params.push(rusqlite::types::Value::Integer(id));
        let sql = format!("SELECT 1 FROM {} t WHERE t.id = ?{} AND {wheres}", entity.table(), params.len());
        Ok(self.tx.prepare_cached(&sql)?.exists(params_from_iter(params.iter()))?)
    }

    fn words(&mut self, entity: Entity, id: i64) -> Result<RecordWords> {
        let sql = crate::store::rules::words_sql(entity, "?1");
        self.tx
            .prepare_cached(&sql)?
            .query_row([id], |r| Ok(RecordWords { title: r.get(0)?, client: r.get(1)?, responsible_id: r.get(2)? }))
            .optional()?
            .ok_or(StoreError::NotFound { entity, id })
    }

    fn active_user(&mut self, login: &str) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached("SELECT id FROM users WHERE login = ?1 COLLATE NOCASE AND active")?
            .query_row([login], |r| r.get(0))
            .optional()?)
    }

    fn mover(&mut self) -> Result<Option<(Rights, String)>> {
        let Some(user_id) = self.ctx.user_id else { return Ok(None) };
        let facts = super::roles::facts_in(self.tx, user_id)?;
        let login: String = self
            .tx
            .prepare_cached("SELECT login FROM users WHERE id = ?1")?
            .query_row([user_id], |r| r.get(0))
            .optional()?
            .unwrap_or_default();
        Ok(Some((crate::store::rules::rights_of(user_id, &facts), login)))
    }

    fn plan(&mut self, activity: &NewActivity) -> Result<i64> {
        super::activities::insert(self.tx, self.ctx, activity)
    }

    fn edit(&mut self, entity: Entity, id: i64, input: &RecordInput) -> Result<i64> {
        super::records::update_in(self.tx, self.ctx, entity, id, None, input).map(|s| s.version)
    }

    fn note(&mut self, entity: Entity, id: i64, kind: TimelineKind, payload: serde_json::Value) -> Result<()> {
        super::timeline::add(self.tx, entity, id, kind, self.ctx, payload)
    }

    fn now(&self) -> UnixMs {
        self.ctx.now
    }

    fn savepoint(&mut self, step: Savepoint) -> Result<()> {
        self.tx.execute_batch(crate::store::rules::savepoint_sql(step))?;
        Ok(())
    }
}
