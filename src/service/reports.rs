//! The sales head's reports (SPEC V8, issue 29): the facts read by the engine within the
//! user's sight, the figures made by `domain::report` (one definition for the TUI, the CLI
//! and both engines).

use super::Service;
use crate::domain::fields::Entity;
use crate::domain::report::activity::{ActivityRow, activity_report};
use crate::domain::report::funnel::{Funnel, FunnelFact, funnel};
use crate::domain::report::period::Bounds;
use crate::domain::report::{self, DealFact, ForecastRow, GroupBy, StageFact, WonLost};
use crate::store::Result;
use crate::store::engine::{DealQuery, FunnelQuery};
use crate::store::refs::PipelineRow;

/// Which deals a report is about.
#[derive(Clone, Debug, Default)]
pub struct ReportScope {
    /// One deal pipeline by name (`None`: every one).
    pub pipeline: Option<String>,
    /// Split by responsible or source.
    pub by: Option<GroupBy>,
    /// One responsible's deals only (login).
    pub responsible: Option<String>,
}

/// The forecast, in groups (one, keyed `None`, when not split).
#[derive(Clone, Debug)]
pub struct ForecastReport {
    /// The pipeline (`None`: every one).
    pub pipeline: Option<PipelineRow>,
    /// The stages it weighs by.
    pub stages: Vec<StageFact>,
    /// Each group's months.
    pub groups: Vec<(Option<String>, Vec<ForecastRow>)>,
    /// The month it was read in (`2026-12`, the user's): deals due before it are late.
    pub this_month: String,
}

/// Won and lost in a period and the one before, in groups.
#[derive(Clone, Debug)]
pub struct WonLostReport {
    /// The pipeline (`None`: every one).
    pub pipeline: Option<PipelineRow>,
    /// The period.
    pub period: Bounds,
    /// The period before it.
    pub previous: Bounds,
    /// Each group: this period's figures and the previous one's.
    pub groups: Vec<(Option<String>, WonLost, WonLost)>,
}

/// What became of the leads that came in, in a period and the one before, in groups.
#[derive(Clone, Debug)]
pub struct ConversionReport {
    /// The period.
    pub period: Bounds,
    /// The period before it.
    pub previous: Bounds,
    /// Each group: this period's figures and the previous one's.
    pub groups: Vec<(Option<String>, report::Conversion, report::Conversion)>,
}

/// Records left alone too long.
#[derive(Clone, Debug)]
pub struct StaleReport {
    /// Leads or deals.
    pub entity: Entity,
    /// When it was read.
    pub now: crate::domain::when::UnixMs,
    /// Each stage: id, name, rotting limit in days.
    pub stages: Vec<(i64, String, Option<i64>)>,
    /// The stale records, longest left alone first.
    pub rows: Vec<crate::domain::report::StaleFact>,
}

/// Records a funnel follows: (entity, pipeline, made from the period's leads, this period's,
/// the previous one's).
type FollowedSet = (Entity, PipelineRow, bool, Vec<FunnelFact>, Vec<FunnelFact>);

/// One pipeline's funnel, this period and the one before.
#[derive(Clone, Debug)]
pub struct FunnelSection {
    /// Leads or deals.
    pub entity: Entity,
    /// The pipeline.
    pub pipeline: PipelineRow,
    /// Its records are the deals made from the period's leads (the leads-to-deals funnel).
    pub from_leads: bool,
    /// What its shares are of: the records that came in (the leads, for `from_leads`).
    pub base: i64,
    /// The period's funnel.
    pub funnel: Funnel,
    /// The previous period's `base`.
    pub previous_base: i64,
    /// The previous period's funnel.
    pub previous: Funnel,
}

/// The funnel report: each group's pipelines.
#[derive(Clone, Debug)]
pub struct FunnelReport {
    /// Leads (then the deals made from them) or deals.
    pub entity: Entity,
    /// The period.
    pub period: Bounds,
    /// The period before it.
    pub previous: Bounds,
    /// Each group's sections.
    pub groups: Vec<(Option<String>, Vec<FunnelSection>)>,
}

/// The activity report of a period.
#[derive(Clone, Debug)]
pub struct ActivityReport {
    /// The period.
    pub period: Bounds,
    /// Rows per person (or department) and kind.
    pub rows: Vec<ActivityRow>,
}

impl Service {
    /// Every stage of the scope's pipeline(s) of `entity`, with its probability.
    fn stage_facts_of(&self, entity: Entity, pipeline: Option<&PipelineRow>) -> Result<Vec<StageFact>> {
        let pipelines = match pipeline {
            Some(p) => vec![p.clone()],
            None => self.engine.pipelines(entity)?,
        };
        let mut out = Vec::new();
        for p in pipelines {
            let stages = self.engine.stages_of(p.id)?;
            let own: Vec<_> = stages.iter().map(|s| (s.semantics, s.probability)).collect();
            for (s, probability) in stages.iter().zip(report::stage_probabilities(&own)) {
                out.push(StageFact {
                    id: s.id,
                    code: s.code.clone(),
                    name: s.name.clone(),
                    semantics: s.semantics,
                    probability,
                });
            }
        }
        Ok(out)
    }

    /// The login of the scope's one responsible, named by login or name as every responsible
    /// flag takes it.
    fn login_of(&self, scope: &ReportScope) -> Result<Option<String>> {
        let Some(text) = &scope.responsible else { return Ok(None) };
        let id = self.engine.user_id_of(text)?;
        Ok(self.engine.users()?.into_iter().find(|u| u.id == id).map(|u| u.login))
    }

    fn stage_facts(&self, pipeline: Option<&PipelineRow>) -> Result<Vec<StageFact>> {
        self.stage_facts_of(Entity::Deal, pipeline)
    }

    /// What became of the leads that came in in `period` and in `previous`
    /// (`domain::report::conversion`), split as the scope asks.
    pub fn report_conversion(&self, scope: &ReportScope, period: Bounds, previous: Bounds) -> Result<ConversionReport> {
        let sight = self.sight()?;
        let stages = self.stage_facts_of(Entity::Lead, None)?;
        let mut now = self.engine.lead_facts((period.from, period.to), &sight, true)?;
        let mut before = self.engine.lead_facts((previous.from, previous.to), &sight, true)?;
        if let Some(login) = self.login_of(scope)? {
            for leads in [&mut now, &mut before] {
                leads.retain(|l| l.responsible.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(&login)));
            }
        }
        let split = |leads: &[report::LeadFact]| match scope.by {
            Some(by) => report::group_leads(leads, by),
            None => vec![(None, leads.to_vec())],
        };
        let before_groups = split(&before);
        let mut groups: Vec<(Option<String>, report::Conversion, report::Conversion)> = split(&now)
            .into_iter()
            .map(|(k, leads)| {
                let prev = before_groups.iter().find(|(b, _)| *b == k).map(|(_, l)| report::conversion(l, &stages));
                (k, report::conversion(&leads, &stages), prev.unwrap_or_default())
            })
            .collect();
        // A group only the previous period had still shows, at zero now.
        for (k, leads) in &before_groups {
            if !groups.iter().any(|(g, _, _)| g == k) {
                groups.push((k.clone(), report::Conversion::default(), report::conversion(leads, &stages)));
            }
        }
        Ok(ConversionReport { period, previous, groups })
    }

    /// The deals of the scope that `query` names and the user may see.
    fn deal_facts(&self, scope: &ReportScope, query: DealQuery) -> Result<(Option<PipelineRow>, Vec<DealFact>)> {
        let pipeline = self.scope_pipeline(scope)?;
        let query = DealQuery { pipeline: pipeline.as_ref().map(|p| p.id), ..query };
        let mut deals = self.engine.deal_facts(&query, &self.sight()?)?;
        self.keep_responsible(scope, &mut deals)?;
        Ok((pipeline, deals))
    }

    /// The deal pipeline the scope names, if it names one.
    fn scope_pipeline(&self, scope: &ReportScope) -> Result<Option<PipelineRow>> {
        scope.pipeline.as_deref().map(|p| self.engine.pipeline(Entity::Deal, Some(p))).transpose()
    }

    /// Keeps the deals of the scope's one responsible, when it names one.
    fn keep_responsible(&self, scope: &ReportScope, deals: &mut Vec<DealFact>) -> Result<()> {
        if let Some(login) = self.login_of(scope)? {
            deals.retain(|d| d.responsible.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(&login)));
        }
        Ok(())
    }

    fn groups(deals: Vec<DealFact>, by: Option<GroupBy>) -> Vec<(Option<String>, Vec<DealFact>)> {
        match by {
            Some(by) => report::group(&deals, by),
            None => vec![(None, deals)],
        }
    }

    /// Open deals by expected close month, raw and weighted (`domain::report::forecast`).
    pub fn report_forecast(&self, scope: &ReportScope) -> Result<ForecastReport> {
        self.forecast(scope, true)
    }

    /// The forecast read deal by deal, not from the tallies: what they must agree with (the
    /// contract suite compares both).
    pub fn report_forecast_from_records(&self, scope: &ReportScope) -> Result<ForecastReport> {
        self.forecast(scope, false)
    }

    fn forecast(&self, scope: &ReportScope, tallied: bool) -> Result<ForecastReport> {
        let pipeline = self.scope_pipeline(scope)?;
        let mut deals = self.engine.open_deal_facts(pipeline.as_ref().map(|p| p.id), &self.sight()?, tallied)?;
        self.keep_responsible(scope, &mut deals)?;
        let stages = self.stage_facts(pipeline.as_ref())?;
        // Months are the user's: a deal due on 31 December is late on 1 January in Paris.
        let this_month =
            crate::domain::when::from_ms(self.now()).with_timezone(&chrono::Local).format("%Y-%m").to_string();
        let groups = Self::groups(deals, scope.by)
            .into_iter()
            .map(|(k, d)| (k, report::forecast(&d, &stages, &this_month)))
            .collect();
        Ok(ForecastReport { pipeline, stages, groups, this_month })
    }

    /// The leads or deals left alone past their stage's rotting limit, longest first, with
    /// the stages (id, name) they are in.
    pub fn report_stale(&self, entity: Entity) -> Result<StaleReport> {
        let rows = self.engine.stale(entity, self.now(), &self.sight()?, None)?;
        let mut stages = Vec::new();
        for p in self.engine.pipelines(entity)? {
            for s in self.engine.stages_of(p.id)? {
                stages.push((s.id, s.name.clone(), s.rot_days));
            }
        }
        Ok(StaleReport { entity, now: self.now(), stages, rows })
    }

    /// Which of `among` (the cards a board column shows) are stale leads or deals the user
    /// may see: what the Kanban marks.
    pub fn stale_ids(&self, entity: Entity, among: &[i64]) -> Result<Vec<i64>> {
        if among.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.engine.stale(entity, self.now(), &self.sight()?, Some(among))?.into_iter().map(|s| s.id).collect())
    }

    /// Deals won and lost in `period` and in `previous` (`domain::report::won_lost`).
    pub fn report_won_lost(&self, scope: &ReportScope, period: Bounds, previous: Bounds) -> Result<WonLostReport> {
        let closed = Some((previous.from.min(period.from), period.to.max(previous.to)));
        let (pipeline, mut deals) = self.deal_facts(scope, DealQuery { closed, ..Default::default() })?;
        // Reasons typed before the list named them ("prix") count with the list's ("Price").
        let list = self.engine.lost_reasons()?;
        for d in &mut deals {
            d.reason = crate::domain::report::reasons::kept(&list, d.reason.as_deref());
        }
        let stages = self.stage_facts(pipeline.as_ref())?;
        let groups = Self::groups(deals, scope.by)
            .into_iter()
            .map(|(k, d)| {
                let now = report::won_lost(&d, &stages, &period);
                let before = report::won_lost(&d, &stages, &previous);
                (k, now, before)
            })
            .collect();
        Ok(WonLostReport { pipeline, period, previous, groups })
    }

    /// The funnel of the leads (then of the deals made from them) or of the deals that came
    /// in in `period` and in `previous` (`domain::report::funnel`), split as the scope asks.
    pub fn report_funnel(
        &self,
        scope: &ReportScope,
        entity: Entity,
        period: Bounds,
        previous: Bounds,
    ) -> Result<FunnelReport> {
        let sight = self.sight()?;
        let login = self.login_of(scope)?;
        let now = self.now();
        let chosen = self.scope_pipeline(scope)?;
        let deal_pipelines = match &chosen {
            Some(p) => vec![p.clone()],
            None => self.engine.pipelines(Entity::Deal)?,
        };
        // Each followed set: (entity, pipeline, from_leads, this period's, the previous one's).
        let mut sets: Vec<FollowedSet> = Vec::new();
        let read = |entity: Entity, pipeline: Option<i64>, from_leads: bool, b: &Bounds| -> Result<Vec<FunnelFact>> {
            // A period not ended yet is read as it stands now.
            let end = (b.to <= now).then_some(b.to);
            let query = FunnelQuery { entity, pipeline, created: (b.from, b.to), from_leads, end, tallied: true };
            let mut facts = self.engine.funnel_facts(&query, &sight)?;
            if let Some(login) = &login {
                facts.retain(|f| f.responsible.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(login)));
            }
            Ok(facts)
        };
        if entity == Entity::Lead {
            let p = self.engine.pipeline(Entity::Lead, None)?;
            sets.push((
                Entity::Lead,
                p,
                false,
                read(Entity::Lead, None, false, &period)?,
                read(Entity::Lead, None, false, &previous)?,
            ));
        }
        for (i, p) in deal_pipelines.into_iter().enumerate() {
            let from_leads = entity == Entity::Lead;
            let now = read(Entity::Deal, Some(p.id), from_leads, &period)?;
            let before = read(Entity::Deal, Some(p.id), from_leads, &previous)?;
            // Every pipeline's deals; from leads, those the leads went to (the first always).
            if !from_leads || i == 0 || chosen.is_some() || !now.is_empty() || !before.is_empty() {
                sets.push((Entity::Deal, p, from_leads, now, before));
            }
        }
        let key = |f: &FunnelFact| match scope.by {
            Some(GroupBy::Responsible) => f.responsible.clone(),
            Some(GroupBy::Source) => f.source.clone(),
            Some(GroupBy::Department) => f.department.clone(),
            None => None,
        };
        let all: Vec<FunnelFact> = sets.iter().flat_map(|s| s.3.iter().chain(&s.4)).cloned().collect();
        let keys: Vec<Option<String>> = report::split(&all, key).into_iter().map(|(k, _)| k).collect();
        let keys = if keys.is_empty() || scope.by.is_none() { vec![None] } else { keys };
        let mut groups = Vec::new();
        for k in keys {
            let mine = |facts: &[FunnelFact]| -> Vec<FunnelFact> {
                facts.iter().filter(|f| scope.by.is_none() || key(f) == k).cloned().collect()
            };
            let mut sections = Vec::new();
            let (mut base, mut previous_base) = (0, 0);
            for (entity, pipeline, from_leads, now, before) in &sets {
                let stages = self.stage_facts_of(*entity, Some(pipeline))?;
                let (now, before) = (funnel(&mine(now), &stages), funnel(&mine(before), &stages));
                if !from_leads {
                    (base, previous_base) = (now.records, before.records);
                }
                sections.push(FunnelSection {
                    entity: *entity,
                    pipeline: pipeline.clone(),
                    from_leads: *from_leads,
                    base,
                    funnel: now,
                    previous_base,
                    previous: before,
                });
            }
            groups.push((k, sections));
        }
        Ok(FunnelReport { entity, period, previous, groups })
    }

    /// The activities planned, done and overdue of `period` per person (or, `by`
    /// department, per department) and kind (`domain::report::activity`), those the user may
    /// read.
    pub fn report_activity(&self, scope: &ReportScope, period: Bounds) -> Result<ActivityReport> {
        use crate::domain::access::{Action, Subject, Visibility};
        let reach = match self.rights()? {
            Some(rights) => rights.reach(Subject::Activity, Action::Read),
            None => Visibility::All,
        };
        let now = self.now();
        let mut tallies = self.engine.activity_tallies((period.from, period.to), now, &reach, true)?;
        if let Some(login) = self.login_of(scope)? {
            tallies.retain(|f| f.responsible.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(&login)));
        }
        let rows = activity_report(&tallies, |a| match scope.by {
            Some(GroupBy::Department) => a.department.clone(),
            _ => a.responsible.clone(),
        });
        Ok(ActivityReport { period, rows })
    }
}
