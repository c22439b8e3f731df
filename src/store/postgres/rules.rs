//! Stage rules on the server: kept in `stage_rules` (migration 15), run inside a move's
//! transaction through `store::rules` (`ServerRules` is what the server lends them).

use super::records::list::list_where;
use super::records::refs as borrowed;
use super::{Result, Store, WriteCtx};
use crate::domain::access::{Rights, Visibility};
use crate::domain::automation::StageRule;
use crate::domain::custom_field::{CustomField, ParseContext};
use crate::domain::fields::Entity;
use crate::domain::queue::Pick;
use crate::domain::timeline::TimelineKind;
use crate::domain::when::UnixMs;
use crate::store::activities::{ActivityDetails, NewActivity};
use crate::store::engine::Automation;
use crate::store::records::{ListFilter, RecordInput};
use crate::store::rules::{Chain, RecordWords, RuleTx, Savepoint, rule_from, rule_to};
use crate::store::{RecordRef, Rule, StoreError};
use postgres::GenericClient;

/// The columns `rule_from` reads, over `stage_rules r` joined to its stage's pipeline `p`.
const COLUMNS: &str = "r.id, r.name, p.entity, r.stage_id, r.conditions, r.actions, r.on_error, r.enabled";

/// Rules by stage then age; of one stage, of one kind of record, or all.
fn rules_in(
    c: &mut impl GenericClient,
    entity: Option<Entity>,
    stage_id: Option<i64>,
    enabled_only: bool,
) -> Result<Vec<StageRule>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM stage_rules r JOIN stages s ON s.id = r.stage_id JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE ($1::text IS NULL OR p.entity = $1) AND ($2::bigint IS NULL OR r.stage_id = $2) AND (NOT $3 OR r.enabled) \
         ORDER BY p.sort, p.id, s.sort, r.id"
    );
    let rows = c.query(&sql, &[&entity.map(|e| e.code()), &stage_id, &enabled_only])?;
    rows.iter()
        .map(|r| {
            let entity: String = r.get(2);
            let (conditions, actions, on_error): (String, String, String) = (r.get(4), r.get(5), r.get(6));
            rule_from(r.get(0), r.get(1), &entity, r.get(3), &conditions, &actions, &on_error, r.get(7))
        })
        .collect()
}

impl Automation for Store {
    fn stage_rules(&self, entity: Option<Entity>) -> Result<Vec<StageRule>> {
        rules_in(&mut *self.client(), entity, None, false).map_err(|e| self.fill_path(e))
    }

    fn add_stage_rule(&mut self, rule: &StageRule) -> Result<i64> {
        self.write(|tx, ctx| {
            let (conditions, actions) = rule_to(rule)?;
            Ok(tx
                .query_one(
                    "INSERT INTO stage_rules (stage_id, name, conditions, actions, on_error, enabled, created_at, created_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        &rule.stage_id,
                        &rule.name,
                        &conditions,
                        &actions,
                        &rule.on_error.code(),
                        &rule.enabled,
                        &ctx.now,
                        &ctx.user_id,
                    ],
                )?
                .get(0))
        })
    }

    fn edit_stage_rule(&mut self, rule: &StageRule) -> Result<()> {
        self.write(|tx, _| {
            let (conditions, actions) = rule_to(rule)?;
            let n = tx.execute(
                "UPDATE stage_rules SET name = $2, conditions = $3, actions = $4, on_error = $5, enabled = $6 WHERE id = $1",
                &[&rule.id, &rule.name, &conditions, &actions, &rule.on_error.code(), &rule.enabled],
            )?;
            if n == 0 {
                return Err(StoreError::Rule(Rule::NoSuchStageRule { id: rule.id }));
            }
            Ok(())
        })
    }

    fn delete_stage_rule(&mut self, id: i64) -> Result<()> {
        self.write(|tx, _| {
            if tx.execute("DELETE FROM stage_rules WHERE id = $1", &[&id])? == 0 {
                return Err(StoreError::Rule(Rule::NoSuchStageRule { id }));
            }
            Ok(())
        })
    }
}

/// What the server lends the rules inside a move's transaction.
pub(crate) struct ServerRules<'t, C: GenericClient> {
    /// The move's transaction.
    pub c: &'t mut C,
    /// Its stamps and statements.
    pub ctx: &'t WriteCtx<'t>,
    /// The rules running.
    pub chain: &'t mut Chain,
}

impl<C: GenericClient> RuleTx for ServerRules<'_, C> {
    fn chain(&mut self) -> &mut Chain {
        self.chain
    }

    fn queue_pick(&mut self) -> Result<Pick> {
        super::queue::pick_in(self.c)
    }

    fn linked(&mut self, entity: Entity, id: i64) -> Result<Vec<RecordRef>> {
        let (sql, other) = match entity {
            Entity::Deal => ("SELECT lead_id FROM deals WHERE id = $1 AND lead_id IS NOT NULL", Entity::Lead),
            Entity::Lead => ("SELECT id FROM deals WHERE lead_id = $1 ORDER BY id", Entity::Deal),
            _ => return Ok(vec![]),
        };
        let rows = self.c.query(sql, &[&id])?;
        Ok(rows.iter().map(|r| RecordRef::new(other, r.get(0))).collect())
    }

    fn move_to(&mut self, target: RecordRef, stage: &str) -> Result<bool> {
        let moved =
            super::records::move_chained(self.c, self.ctx, target.entity, target.id, stage, None, None, self.chain)?;
        Ok(!moved.unchanged)
    }

    fn rules_of(&mut self, entity: Entity, stage_id: i64) -> Result<Vec<StageRule>> {
        rules_in(self.c, Some(entity), Some(stage_id), true)
    }

    fn own_fields(&mut self, entity: Entity) -> Result<Vec<CustomField>> {
        super::custom_fields::fields_of(self.c, Some(entity))
    }

    fn parse_context(&mut self) -> Result<ParseContext> {
        Ok(crate::store::rules::parse_context(self.ctx.currency, self.ctx.region, self.ctx.now))
    }

    fn holds(&mut self, entity: Entity, id: i64, filter: &ListFilter) -> Result<bool> {
        let Some((wheres, mut params)) = list_where(self.c, self.ctx.stmts, entity, &Visibility::All, filter)? else {
            return Ok(false);
        };
        params.push(Box::new(id));
        let sql = format!("SELECT 1 FROM {} t WHERE t.id = ${} AND {wheres}", entity.table(), params.len());
        Ok(self.c.query_opt(&sql, &borrowed(&params))?.is_some())
    }

    fn words(&mut self, entity: Entity, id: i64) -> Result<RecordWords> {
        let sql = crate::store::rules::words_sql(entity, "$1");
        let row = self.c.query_opt(&sql, &[&id])?.ok_or(StoreError::NotFound { entity, id })?;
        Ok(RecordWords { title: row.get(0), client: row.get(1), responsible_id: row.get(2) })
    }

    fn active_user(&mut self, login: &str) -> Result<Option<i64>> {
        Ok(self
            .c
            .query_opt("SELECT id FROM users WHERE login = $1::text::citext AND active", &[&login])?
            .map(|r| r.get(0)))
    }

    fn mover(&mut self) -> Result<Option<(Rights, String)>> {
        let Some(user_id) = self.ctx.user_id else { return Ok(None) };
        let facts = super::roles::facts_in(self.c, user_id)?;
        let login: String = self
            .c
            .query_opt("SELECT login::text FROM users WHERE id = $1", &[&user_id])?
            .map(|r| r.get(0))
            .unwrap_or_default();
        Ok(Some((crate::store::rules::rights_of(user_id, &facts), login)))
    }

    fn plan(&mut self, activity: &NewActivity) -> Result<i64> {
        super::activities::insert_with(self.c, self.ctx, activity, &ActivityDetails::default(), true)
    }

    fn edit(&mut self, entity: Entity, id: i64, input: &RecordInput) -> Result<i64> {
        super::records::update_in(self.c, self.ctx, entity, id, None, input).map(|s| s.version)
    }

    fn note(&mut self, entity: Entity, id: i64, kind: TimelineKind, payload: serde_json::Value) -> Result<()> {
        super::timeline::add(self.c, entity, id, kind, self.ctx, payload)
    }

    fn now(&self) -> UnixMs {
        self.ctx.now
    }

    fn savepoint(&mut self, step: Savepoint) -> Result<()> {
        self.c.batch_execute(crate::store::rules::savepoint_sql(step))?;
        Ok(())
    }
}
