//! The overview's bars as things to open: won and lost in the period and the one before,
//! then the forecast's months. `←`/`→` go through them in that order; `Enter` lists the deals
//! behind the one under the cursor, with the filters that make exactly the bar's figure (so
//! the list's count is the bar's, on every engine): the stage kind, the days they were won
//! or lost in, and for the forecast the close days and the currency.

use super::ReportsData;
use crate::domain::fields::Entity;
use crate::domain::stage::StageSemantics;
use crate::tui::app::{App, Screen};
use crate::tui::effect::Effect;
use crate::tui::screens::list::ListFilters;
use chrono::{Datelike, NaiveDate};

/// A bar of the overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OverviewBar {
    /// The deals won (`Success`) or lost (`Failure`) in the period, or in the one before.
    Closed {
        /// Won or lost.
        kind: StageSemantics,
        /// The period before the one shown.
        previous: bool,
    },
    /// The open deals due in a month (`None`: the late ones, due before this month), in the
    /// chart's currency.
    Forecast {
        /// `2026-12`, or `None` for the late ones.
        month: Option<String>,
        /// The currency the chart shows.
        currency: String,
    },
}

/// The four bars of won and lost, in the chart's order.
const CLOSED: [OverviewBar; 4] = [
    OverviewBar::Closed { kind: StageSemantics::Success, previous: false },
    OverviewBar::Closed { kind: StageSemantics::Success, previous: true },
    OverviewBar::Closed { kind: StageSemantics::Failure, previous: false },
    OverviewBar::Closed { kind: StageSemantics::Failure, previous: true },
];

/// The forecast chart's bars with their weighted amounts (minor units), in drawing order:
/// the late ones first when they weigh anything, then the months, in the first currency
/// (the file's usual one; the table beside shows every currency).
pub(super) fn forecast_bars(data: &ReportsData) -> Vec<(OverviewBar, i64)> {
    let rows = data.forecast.as_ref().and_then(|f| f.groups.first()).map(|(_, r)| r.as_slice()).unwrap_or(&[]);
    let Some(currency) = rows.iter().find(|r| !r.late).or(rows.first()).map(|r| r.currency.clone()) else {
        return vec![];
    };
    let mine = rows.iter().filter(|r| r.currency == currency);
    let late: i64 = mine.clone().filter(|r| r.late).map(|r| r.weighted).sum();
    let mut bars = Vec::new();
    if late > 0 {
        bars.push((OverviewBar::Forecast { month: None, currency: currency.clone() }, late));
    }
    for r in mine.filter(|r| !r.late) {
        if let Some(m) = &r.month {
            bars.push((OverviewBar::Forecast { month: Some(m.clone()), currency: currency.clone() }, r.weighted));
        }
    }
    bars
}

/// Every bar the cursor goes through, in order.
pub(super) fn overview_bars(app: &App) -> Vec<OverviewBar> {
    let Some((_, data)) = app.reports.data.as_ref() else { return vec![] };
    let mut bars = CLOSED.to_vec();
    bars.extend(forecast_bars(data).into_iter().map(|(bar, _)| bar));
    bars
}

/// The first and last day of a month typed `2026-12`.
fn month_days(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

/// The list filters that hold exactly the deals of `bar`.
fn bar_filters(data: &ReportsData, bar: &OverviewBar) -> Option<ListFilters> {
    // The reports count every pipeline's deals.
    let mut filters = ListFilters { all_pipelines: true, ..Default::default() };
    match bar {
        OverviewBar::Closed { kind, previous } => {
            let b = if *previous { data.won_lost.previous } else { data.won_lost.period };
            let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
            filters.stage_kind = Some(*kind);
            filters.closed = Some((Some(b.from), Some(b.to), format!("{}..{}", day(b.first_day), day(b.last_day))));
        }
        OverviewBar::Forecast { month, currency } => {
            filters.stage_kind = Some(StageSemantics::InProgress);
            filters.wheres.push(match month {
                Some(m) => {
                    let (first, last) = month_days(m)?;
                    format!("close_date={first}..{last}")
                }
                // Late: due before the month the forecast was read in (the screen may have
                // stayed open into the next).
                None => {
                    let this_month = data.forecast.as_ref().map(|f| f.this_month.clone())?;
                    format!("close_date<{this_month}-01")
                }
            });
            filters.wheres.push(format!("currency={currency}"));
        }
    }
    Some(filters)
}

/// `Enter` on the overview: the list of the deals behind the bar under the cursor.
pub(super) fn open_bar(app: &mut App) -> Vec<Effect> {
    let Some(bar) = overview_bars(app).get(app.reports.bar).cloned() else { return vec![] };
    let Some((_, data)) = app.reports.data.as_ref() else { return vec![] };
    let Some(filters) = bar_filters(data, &bar) else { return vec![] };
    drill(app, Entity::Deal, filters)
}

/// Opens the list of `entity` with `filters` over the reports; its own filters come back
/// when the reports show again (`super::load`).
pub(super) fn drill(app: &mut App, entity: Entity, filters: ListFilters) -> Vec<Effect> {
    app.back.push(app.screen.clone());
    let list = crate::tui::screens::list::list_mut(app, entity);
    // A saved view's conditions would cut the list short of the figure: it steps aside too.
    let kept = super::Drill { entity, filters: std::mem::replace(&mut list.filters, filters), view: list.view.take() };
    // Ticked rows of the list's own would go on to an export or a bulk action unseen.
    list.selected.clear();
    list.cursor = 0;
    list.scroll = 0;
    app.reports.drill = Some(kept);
    app.screen = Screen::List(entity);
    vec![crate::tui::screens::list::list_effect(app, entity, false)]
}

#[cfg(test)]
mod tests {
    use super::month_days;

    #[test]
    fn a_month_runs_from_its_first_to_its_last_day() {
        let days = |m| month_days(m).map(|(a, b)| (a.to_string(), b.to_string()));
        assert_eq!(days("2026-12"), Some(("2026-12-01".into(), "2026-12-31".into())));
        assert_eq!(days("2028-02"), Some(("2028-02-01".into(), "2028-02-29".into())));
        assert_eq!(days("2026-13"), None);
    }
}
