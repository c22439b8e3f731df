//! The sales head's reports (SPEC V8, issue 29): the facts read by the engine within the
//! user's sight, the figures made by `domain::report` (one definition for the TUI, the CLI
//! and both engines).

use super::Service;
use crate::domain::fields::Entity;
use crate::domain::report::period::Bounds;
use crate::domain::report::{self, DealFact, ForecastRow, GroupBy, StageFact, WonLost};
use crate::store::Result;
use crate::store::engine::DealQuery;
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

impl Service {
    /// Every stage of the scope's pipeline(s) of `entity`, with its probability.
    fn stage_facts_of(&self, entity: Entity, pipeline: Option<&PipelineRow>) -> Result<Vec<StageFact>> {
        let pipelines = match pipeline {
            Some(p) => vec![p.clone()],
            None => self.engine.pipelines(entity)?,
        };
        let mut out = Vec::new();
        for p in pipelines {
            let name = (entity == Entity::Deal).then_some(p.name.as_str());
            let (_, stages) = self.engine.stages(entity, name)?;
            let own: Vec<_> = stages.iter().map(|s| (s.stage.semantics, s.stage.probability)).collect();
            for (s, probability) in stages.iter().zip(report::stage_probabilities(&own)) {
                let s = &s.stage;
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
        let mut now = self.engine.lead_facts((period.from, period.to), &sight)?;
        let mut before = self.engine.lead_facts((previous.from, previous.to), &sight)?;
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
        let pipeline = scope.pipeline.as_deref().map(|p| self.engine.pipeline(Entity::Deal, Some(p))).transpose()?;
        let query = DealQuery { pipeline: pipeline.as_ref().map(|p| p.id), ..query };
        let mut deals = self.engine.deal_facts(&query, &self.sight()?)?;
        if let Some(login) = self.login_of(scope)? {
            deals.retain(|d| d.responsible.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(&login)));
        }
        Ok((pipeline, deals))
    }

    fn groups(deals: Vec<DealFact>, by: Option<GroupBy>) -> Vec<(Option<String>, Vec<DealFact>)> {
        match by {
            Some(by) => report::group(&deals, by),
            None => vec![(None, deals)],
        }
    }

    /// Open deals by expected close month, raw and weighted (`domain::report::forecast`).
    pub fn report_forecast(&self, scope: &ReportScope) -> Result<ForecastReport> {
        let (pipeline, deals) = self.deal_facts(scope, DealQuery { open: true, ..Default::default() })?;
        let stages = self.stage_facts(pipeline.as_ref())?;
        // Months are the user's: a deal due on 31 December is late on 1 January in Paris.
        let this_month =
            crate::domain::when::from_ms(self.now()).with_timezone(&chrono::Local).format("%Y-%m").to_string();
        let groups = Self::groups(deals, scope.by)
            .into_iter()
            .map(|(k, d)| (k, report::forecast(&d, &stages, &this_month)))
            .collect();
        Ok(ForecastReport { pipeline, stages, groups })
    }

    /// The leads or deals left alone past their stage's rotting limit, longest first, with
    /// the stages (id, name) they are in.
    pub fn report_stale(&self, entity: Entity) -> Result<StaleReport> {
        let rows = self.engine.stale(entity, self.now(), &self.sight()?)?;
        let mut stages = Vec::new();
        for p in self.engine.pipelines(entity)? {
            let name = (entity == Entity::Deal).then_some(p.name.as_str());
            for s in self.engine.stages(entity, name)?.1 {
                stages.push((s.stage.id, s.stage.name.clone(), s.stage.rot_days));
            }
        }
        Ok(StaleReport { entity, now: self.now(), stages, rows })
    }

    /// Ids of the stale leads or deals the user may see: what the Kanban marks.
    pub fn stale_ids(&self, entity: Entity) -> Result<Vec<i64>> {
        Ok(self.engine.stale(entity, self.now(), &self.sight()?)?.into_iter().map(|s| s.id).collect())
    }

    /// Deals won and lost in `period` and in `previous` (`domain::report::won_lost`).
    pub fn report_won_lost(&self, scope: &ReportScope, period: Bounds, previous: Bounds) -> Result<WonLostReport> {
        let closed = Some((previous.from.min(period.from), period.to.max(previous.to)));
        let (pipeline, deals) = self.deal_facts(scope, DealQuery { closed, ..Default::default() })?;
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
}
