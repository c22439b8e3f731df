//! The sales head's figures (SPEC V8, issue 29), each computed here once from the facts an
//! engine reads (the same on SQLite and PostgreSQL, in the TUI and the CLI). Definitions:
//!
//! - **A stage's probability**: its own when set; otherwise 100 % for the success stage, 0 %
//!   for failure stages, and for the k-th of n in-progress stages `round(100 k / (n + 1))`
//!   (New 20 %, … with four stages).
//! - **Forecast**: the open deals (in an in-progress stage), by the month of their expected
//!   close date (none: "no date"), per currency: count, amount, and amount weighted by the
//!   deal's own probability or else its stage's: the sum of amount × probability, rounded
//!   half away from zero to the minor unit once per row (the tallies of many deals add up to
//!   the same figure as the deals one by one).
//! - **Won and lost**: the deals that reached a success or failure stage in the period (by
//!   when they reached it, `closed_at`), counts and amounts per currency, the win rate
//!   won / (won + lost), and the failure reasons ranked by count (an empty one is "none").

pub mod activity;
pub mod funnel;
pub mod period;
pub mod reasons;

use crate::domain::stage::StageSemantics;
use crate::domain::when::UnixMs;
use chrono::NaiveDate;
use period::Bounds;
use std::collections::BTreeMap;

/// What a report needs of a deal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealFact {
    /// Id.
    pub id: i64,
    /// Stage it is in.
    pub stage_id: i64,
    /// Amount, minor units.
    pub amount_minor: Option<i64>,
    /// Its currency code.
    pub currency: Option<String>,
    /// Its own probability (percent).
    pub probability: Option<i64>,
    /// Expected close date.
    pub close_date: Option<NaiveDate>,
    /// When it reached a final stage.
    pub closed_at: Option<UnixMs>,
    /// Responsible's login.
    pub responsible: Option<String>,
    /// Source code.
    pub source: Option<String>,
    /// Responsible's department.
    pub department: Option<String>,
    /// Why it failed (a failure stage's reason).
    pub reason: Option<String>,
    /// How many deals it stands for: 1 for a deal, more for a tally of deals alike (the
    /// forecast's, whose `amount_minor` is then their sum and `close_date` the 1st of their month).
    pub records: i64,
}

/// A lead or deal left alone longer than its stage's rotting limit (SPEC V8, Pipedrive's
/// rotting): no change to it and no activity of it planned, changed or done since
/// `last_touch`, and its stage (in progress) has a limit that has passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaleFact {
    /// Id.
    pub id: i64,
    /// Its title (for a lead without one, its person's name or company).
    pub title: String,
    /// Stage it is in.
    pub stage_id: i64,
    /// The last change to it or to one of its activities.
    pub last_touch: UnixMs,
    /// Responsible's login.
    pub responsible: Option<String>,
    /// Amount, minor units.
    pub amount_minor: Option<i64>,
    /// Its currency code.
    pub currency: Option<String>,
}

/// Whole days from `since` to `now` (what "stale for 23 days" counts).
pub fn days_idle(now: UnixMs, since: UnixMs) -> i64 {
    (now - since).max(0) / 86_400_000
}

/// What a report needs of a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageFact {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its semantics.
    pub semantics: StageSemantics,
    /// Its probability (percent): its own or the default of its place.
    pub probability: i64,
}

/// The probability of each of a pipeline's stages (in order; `own` as set, `None` for the
/// default of its place).
pub fn stage_probabilities(stages: &[(StageSemantics, Option<i64>)]) -> Vec<i64> {
    let n = stages.iter().filter(|(s, _)| *s == StageSemantics::InProgress).count() as i64;
    let mut k = 0;
    stages
        .iter()
        .map(|(semantics, own)| {
            if *semantics == StageSemantics::InProgress {
                k += 1;
            }
            own.unwrap_or(match semantics {
                StageSemantics::Success => 100,
                StageSemantics::Failure => 0,
                StageSemantics::InProgress => (200 * k + n + 1) / (2 * (n + 1)),
            })
        })
        .collect()
}

/// A stage's probability as typed: `40`, `40 %`, or `default` / `défaut` (the default of its
/// place: `None`).
pub fn read_probability(text: &str) -> Result<Option<i64>, crate::domain::FieldError> {
    let t = text.trim().trim_end_matches('%').trim().to_lowercase();
    if matches!(t.as_str(), "default" | "défaut" | "defaut") {
        return Ok(None);
    }
    t.parse::<i64>().ok().filter(|p| (0..=100).contains(p)).map(Some).ok_or_else(|| {
        crate::domain::FieldError::new(
            "probability",
            crate::domain::Problem::Integer { value: text.trim().to_string(), min: 0, max: 100 },
        )
    })
}

/// A stage's rotting limit as typed: days (`14`), or `never` / `jamais` (`None`).
pub fn read_rot_days(text: &str) -> Result<Option<i64>, crate::domain::FieldError> {
    let t = text.trim().to_lowercase();
    if matches!(t.as_str(), "never" | "jamais" | "none" | "aucun") {
        return Ok(None);
    }
    let t = t.trim_end_matches(['d', 'j']).trim();
    t.parse::<i64>().ok().filter(|d| (1..=3650).contains(d)).map(Some).ok_or_else(|| {
        crate::domain::FieldError::new(
            "rotting",
            crate::domain::Problem::Integer { value: text.trim().to_string(), min: 1, max: 3650 },
        )
    })
}

/// Refuses a probability or a rotting limit given to a final stage: a won stage weighs
/// 100 %, a lost one 0 %, and a closed record does not rot. Giving them back (`None`) is taken.
pub fn check_terms(
    semantics: StageSemantics,
    stage: &str,
    probability: Option<Option<i64>>,
    rot_days: Option<Option<i64>>,
) -> Result<(), crate::domain::FieldError> {
    if semantics == StageSemantics::InProgress {
        return Ok(());
    }
    let field = match (probability.flatten(), rot_days.flatten()) {
        (Some(_), _) => "probability",
        (None, Some(_)) => "rotting",
        (None, None) => return Ok(()),
    };
    Err(crate::domain::FieldError::new(
        field,
        crate::domain::Problem::refused("final_stage_terms", &[("stage", stage)]),
    ))
}

/// Money per currency code, in minor units.
pub type Sums = BTreeMap<String, i64>;

fn add(sums: &mut Sums, d: &DealFact, minor: i64) {
    *sums.entry(d.currency.clone().unwrap_or_default()).or_default() += minor;
}

/// One month of the forecast, in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForecastRow {
    /// `2026-12`, or `None` for deals without a close date (and for the late ones).
    pub month: Option<String>,
    /// The open deals whose close date is before this month, together.
    pub late: bool,
    /// Currency code.
    pub currency: String,
    /// Open deals.
    pub count: i64,
    /// Their amount.
    pub amount: i64,
    /// Their amount weighted by probability.
    pub weighted: i64,
}

/// The forecast of `deals` (see the module's definitions): the late ones first (a close date
/// before `this_month`, `2026-12`), then month by month, no date last.
pub fn forecast(deals: &[DealFact], stages: &[StageFact], this_month: &str) -> Vec<ForecastRow> {
    // Each row's weighted amount is its exact sum (amount × percent), rounded once at the end.
    let mut rows: BTreeMap<(bool, Option<String>, String), (ForecastRow, i128)> = BTreeMap::new();
    for d in deals {
        let Some(stage) = stages.iter().find(|s| s.id == d.stage_id) else { continue };
        if stage.semantics != StageSemantics::InProgress {
            continue;
        }
        let month = d.close_date.map(|c| c.format("%Y-%m").to_string());
        let late = month.as_deref().is_some_and(|m| m < this_month);
        let month = if late { None } else { month };
        let currency = d.currency.clone().unwrap_or_default();
        let amount = d.amount_minor.unwrap_or(0);
        let (row, exact) = rows
            .entry((late, month.clone(), currency.clone()))
            .or_insert((ForecastRow { month, late, currency, count: 0, amount: 0, weighted: 0 }, 0));
        row.count += d.records;
        row.amount += amount;
        *exact += amount as i128 * d.probability.unwrap_or(stage.probability) as i128;
    }
    let rows = rows
        .into_values()
        .map(|(row, exact)| ForecastRow { weighted: crate::domain::lines::div_round(exact, 100) as i64, ..row });
    let mut out: Vec<ForecastRow> = rows.collect();
    let order = |r: &ForecastRow| (!r.late, r.month.is_none(), r.month.clone(), r.currency.clone());
    out.sort_by_key(order);
    out
}

/// Deals won and lost in a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WonLost {
    /// Deals won.
    pub won: i64,
    /// Deals lost.
    pub lost: i64,
    /// Amounts won per currency.
    pub won_amount: Sums,
    /// Amounts lost per currency.
    pub lost_amount: Sums,
    /// Deals won per currency.
    pub won_count: Sums,
    /// Deals lost per currency.
    pub lost_count: Sums,
    /// Failure reasons, most frequent first (`None`: no reason given).
    pub reasons: Vec<(Option<String>, i64)>,
}

impl WonLost {
    /// Won / (won + lost), in tenths of a percent (`667` is 66.7 %); none without any.
    pub fn win_rate_tenths(&self) -> Option<i64> {
        let all = self.won + self.lost;
        (all > 0).then(|| crate::domain::lines::div_round(self.won as i128 * 1000, all as i128) as i64)
    }
}

/// Deals of `deals` that reached a final stage within `period`.
pub fn won_lost(deals: &[DealFact], stages: &[StageFact], period: &Bounds) -> WonLost {
    let mut out = WonLost::default();
    // Reasons counted case and spaces aside, under the first spelling met.
    let mut reasons: BTreeMap<Option<String>, (String, i64)> = BTreeMap::new();
    for d in deals {
        if !d.closed_at.is_some_and(|t| period.holds(t)) {
            continue;
        }
        let Some(stage) = stages.iter().find(|s| s.id == d.stage_id) else { continue };
        let amount = d.amount_minor.unwrap_or(0);
        match stage.semantics {
            StageSemantics::Success => {
                out.won += 1;
                add(&mut out.won_amount, d, amount);
                add(&mut out.won_count, d, 1);
            }
            StageSemantics::Failure => {
                out.lost += 1;
                add(&mut out.lost_amount, d, amount);
                add(&mut out.lost_count, d, 1);
                let said = d.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
                let key = said.map(|r| r.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase());
                reasons.entry(key).or_insert_with(|| (said.unwrap_or_default().to_string(), 0)).1 += 1;
            }
            StageSemantics::InProgress => {}
        }
    }
    out.reasons = reasons.into_iter().map(|(k, (said, n))| (k.map(|_| said), n)).collect();
    out.reasons
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.is_none().cmp(&b.0.is_none())).then_with(|| a.0.cmp(&b.0)));
    out
}

/// What the conversion report needs of a lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadFact {
    /// Id.
    pub id: i64,
    /// Stage it is in.
    pub stage_id: i64,
    /// When it came in.
    pub created_at: UnixMs,
    /// When it reached a final stage (converted or junked).
    pub closed_at: Option<UnixMs>,
    /// Responsible's login.
    pub responsible: Option<String>,
    /// Source code.
    pub source: Option<String>,
    /// Responsible's department.
    pub department: Option<String>,
    /// How many leads this stands for: 1 for one lead, more for a tally of leads alike (no
    /// times then: the converted ones are read one by one for the median, or together with
    /// their `times`).
    pub records: i64,
    /// The times from coming in to being converted (ms) of the converted leads this stands
    /// for, when they are read together (a fact per stage and people rather than one per
    /// lead); empty otherwise.
    pub times: Vec<i64>,
}

/// What became of the leads that came in in a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conversion {
    /// Leads that came in.
    pub created: i64,
    /// Of them, converted (in the success stage now).
    pub converted: i64,
    /// Junked (in a failure stage now).
    pub junked: i64,
    /// Still open.
    pub open: i64,
    /// The median time from coming in to being converted, of those converted.
    pub median_ms: Option<i64>,
}

impl Conversion {
    /// Converted / came in, in tenths of a percent.
    pub fn rate_tenths(&self) -> Option<i64> {
        (self.created > 0)
            .then(|| crate::domain::lines::div_round(self.converted as i128 * 1000, self.created as i128) as i64)
    }
}

/// What became of `leads` (those that came in in the period): by their stage now; the
/// median of an even count is the mean of the two middle times, rounded down.
pub fn conversion(leads: &[LeadFact], stages: &[StageFact]) -> Conversion {
    let mut out = Conversion::default();
    let mut times = Vec::new();
    for l in leads {
        let Some(stage) = stages.iter().find(|s| s.id == l.stage_id) else { continue };
        out.created += l.records;
        match stage.semantics {
            StageSemantics::Success => {
                out.converted += l.records;
                times.extend(l.closed_at.map(|c| (c - l.created_at).max(0)));
                times.extend(l.times.iter().map(|t| (*t).max(0)));
            }
            StageSemantics::Failure => out.junked += l.records,
            StageSemantics::InProgress => out.open += l.records,
        }
    }
    times.sort_unstable();
    let n = times.len();
    out.median_ms = match n {
        0 => None,
        _ if n % 2 == 1 => Some(times[n / 2]),
        _ => Some((times[n / 2 - 1] + times[n / 2]) / 2),
    };
    out
}

/// `leads` split by `by`, as `group` splits deals.
pub fn group_leads(leads: &[LeadFact], by: GroupBy) -> Vec<(Option<String>, Vec<LeadFact>)> {
    split(leads, |l| match by {
        GroupBy::Responsible => l.responsible.clone(),
        GroupBy::Source => l.source.clone(),
        GroupBy::Department => l.department.clone(),
    })
}

/// `items` split by `key`, keys in order, none last (every report's groups).
pub fn split<T: Clone>(items: &[T], key: impl Fn(&T) -> Option<String>) -> Vec<(Option<String>, Vec<T>)> {
    let mut groups: BTreeMap<(bool, Option<String>), Vec<T>> = BTreeMap::new();
    for item in items {
        let k = key(item);
        groups.entry((k.is_none(), k)).or_default().push(item.clone());
    }
    groups.into_iter().map(|((_, k), v)| (k, v)).collect()
}

/// How a report's figures are split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    /// By responsible user.
    Responsible,
    /// By source.
    Source,
    /// By the responsible's department.
    Department,
}

impl GroupBy {
    /// `responsible` or `source` (French `responsable`).
    pub fn parse(text: &str) -> Option<GroupBy> {
        match text.trim().to_lowercase().as_str() {
            "responsible" | "responsable" => Some(GroupBy::Responsible),
            "source" => Some(GroupBy::Source),
            "department" | "departement" | "département" => Some(GroupBy::Department),
            _ => None,
        }
    }

    /// Its code.
    pub fn code(self) -> &'static str {
        match self {
            GroupBy::Responsible => "responsible",
            GroupBy::Source => "source",
            GroupBy::Department => "department",
        }
    }
}

/// `deals` split by `by` (`None`: nobody's, no source), keys in order, none last.
pub fn group(deals: &[DealFact], by: GroupBy) -> Vec<(Option<String>, Vec<DealFact>)> {
    split(deals, |d| match by {
        GroupBy::Responsible => d.responsible.clone(),
        GroupBy::Source => d.source.clone(),
        GroupBy::Department => d.department.clone(),
    })
}

#[cfg(test)]
mod tests;
