//! The sales head's screen (SPEC V8, issue 29), tab 9, three reports `v` goes through: the
//! overview (deals won and lost in a period beside the one before, the lost reasons ranked,
//! the forecast of open deals by close month, raw and weighted; `←`/`→` go through its bars
//! and `Enter` lists the deals behind one), the funnel of the period's leads then of the
//! deals made from them (`Enter` on a stage lists its leads), and the activities per person
//! and kind. `p` changes the period. The figures are the service's, as `prospect report`
//! gives them.

mod bars;
mod draw;
mod pages;

pub use bars::OverviewBar;

pub use draw::draw;

use crate::domain::report::period::PeriodSpec;
use crate::service::{ActivityReport, ConversionReport, ForecastReport, FunnelReport, WonLostReport};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::keymap::{Binding, b, k};

/// What the screen shows, as the worker read it.
#[derive(Clone, Debug)]
pub struct ReportsData {
    /// Won and lost in the period and the one before: read first.
    pub won_lost: WonLostReport,
    /// Open deals by close month: read after (every open deal is read), `None` until then.
    pub forecast: Option<ForecastReport>,
    /// What became of the leads that came in: read after the rest (on a large file it takes
    /// longest), `None` until then.
    pub conversion: Option<ConversionReport>,
}

/// Which report the screen shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReportPage {
    /// Won and lost, lost reasons, forecast.
    #[default]
    Overview,
    /// The funnel of the period's leads, then of the deals made from them.
    Funnel,
    /// Activities per person and kind.
    Activity,
}

/// The reports screen's state.
#[derive(Clone, Debug)]
pub struct ReportsView {
    /// The period shown.
    pub period: PeriodSpec,
    /// The report shown.
    pub page: ReportPage,
    /// The overview's figures (none before the first answer), and the period they are of
    /// (the one asked for may still be loading).
    pub data: Option<(PeriodSpec, Box<ReportsData>)>,
    /// The funnel, and its period.
    pub funnel: Option<(PeriodSpec, Box<FunnelReport>)>,
    /// The activity report, and its period.
    pub activity: Option<(PeriodSpec, Box<ActivityReport>)>,
    /// The funnel's stage under the cursor (over every section's stages).
    pub cursor: usize,
    /// The overview's bar under the cursor (`bars::overview_bars`' order).
    pub bar: usize,
    /// A list opened from a bar or a stage (`Enter`), given back its own filters and view
    /// when the reports show again.
    pub drill: Option<Drill>,
}

/// A list opened from the reports and what it had before.
#[derive(Clone, Debug)]
pub struct Drill {
    /// The list's records.
    pub entity: crate::domain::fields::Entity,
    /// Its own filters.
    pub filters: crate::tui::screens::list::ListFilters,
    /// Its own saved view.
    pub view: Option<crate::domain::list_view::SavedView>,
}

impl Default for ReportsView {
    fn default() -> Self {
        ReportsView {
            period: PeriodSpec::Month,
            page: ReportPage::Overview,
            data: None,
            funnel: None,
            activity: None,
            cursor: 0,
            bar: 0,
            drill: None,
        }
    }
}

/// Whether the report shown has its figures.
pub(crate) fn loaded(app: &App) -> bool {
    match app.reports.page {
        ReportPage::Overview => app.reports.data.is_some(),
        ReportPage::Funnel => app.reports.funnel.is_some(),
        ReportPage::Activity => app.reports.activity.is_some(),
    }
}

/// The periods `p` goes through, in order.
const PERIODS: [PeriodSpec; 5] =
    [PeriodSpec::Week, PeriodSpec::Month, PeriodSpec::Quarter, PeriodSpec::Year, PeriodSpec::LastDays(30)];

/// Keys of the screen, with those of the report shown.
pub fn bindings(page: ReportPage) -> Vec<Binding> {
    use crate::tui::keymap::code;
    use crossterm::event::KeyCode;
    let mut v = vec![
        b(&[k('v')], Action::NextReport, "tui.key_report_next", true),
        b(&[k('p')], Action::NextPeriod, "tui.key_report_period", true),
    ];
    match page {
        // The overview's bars, left to right, and Enter lists the deals behind one.
        ReportPage::Overview => v.extend([
            b(&[code(KeyCode::Enter)], Action::Open, "tui.key_report_open_bar", true),
            b(&[k('l'), code(KeyCode::Right)], Action::Right, "tui.key_report_next_bar", false),
            b(&[k('h'), code(KeyCode::Left)], Action::Left, "tui.key_report_previous_bar", false),
        ]),
        // The funnel's stages: a cursor, and Enter lists one's records.
        ReportPage::Funnel => v.extend([
            b(&[code(KeyCode::Enter)], Action::Open, "tui.key_report_open", true),
            b(&[k('j'), code(KeyCode::Down)], Action::Down, "tui.key_down", false),
            b(&[k('k'), code(KeyCode::Up)], Action::Up, "tui.key_up", false),
        ]),
        ReportPage::Activity => {}
    }
    v
}

/// What the screen asks for (shown again: a list opened from it gets its own filters
/// back).
pub(crate) fn load(app: &mut App) -> Effect {
    if let Some(Drill { entity, filters, view }) = app.reports.drill.take() {
        let list = crate::tui::screens::list::list_mut(app, entity);
        list.filters = filters;
        list.view = view;
    }
    let period = app.reports.period;
    match app.reports.page {
        ReportPage::Overview => Effect::LoadReports { period },
        ReportPage::Funnel => Effect::LoadReportFunnel { period },
        ReportPage::Activity => Effect::LoadReportActivity { period },
    }
}

/// An action on the screen.
pub(crate) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::NextPeriod => {
            let at = PERIODS.iter().position(|p| *p == app.reports.period).unwrap_or(0);
            app.reports.period = PERIODS[(at + 1) % PERIODS.len()];
            vec![load(app)]
        }
        Action::NextReport => {
            app.reports.page = match app.reports.page {
                ReportPage::Overview => ReportPage::Funnel,
                ReportPage::Funnel => ReportPage::Activity,
                ReportPage::Activity => ReportPage::Overview,
            };
            vec![load(app)]
        }
        Action::Down | Action::Up if app.reports.page == ReportPage::Funnel => {
            let rows = pages::funnel_rows(app).len();
            let c = &mut app.reports.cursor;
            *c = if action == Action::Down { (*c + 1).min(rows.saturating_sub(1)) } else { c.saturating_sub(1) };
            vec![]
        }
        Action::Open if app.reports.page == ReportPage::Funnel => pages::open_stage(app),
        Action::Left | Action::Right if app.reports.page == ReportPage::Overview => {
            let bars = bars::overview_bars(app).len();
            let c = &mut app.reports.bar;
            *c = if action == Action::Right { (*c + 1).min(bars.saturating_sub(1)) } else { c.saturating_sub(1) };
            vec![]
        }
        Action::Open if app.reports.page == ReportPage::Overview => bars::open_bar(app),
        _ => vec![],
    }
}

/// The worker's answer.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::Reports { period, data } => {
            // The leads' figures and the forecast follow won and lost: asked for once these
            // are drawn.
            let follow = data.conversion.is_none();
            // The cursor is kept on a forecast bar meanwhile: the forecast follows.
            app.reports.data = Some((period, data));
            if follow {
                return vec![Effect::LoadReportConversion { period }, Effect::LoadReportForecast { period }];
            }
        }
        StoreEvent::ReportForecast { period, report } => {
            if let Some((shown, data)) = app.reports.data.as_mut()
                && *shown == period
            {
                data.forecast = Some(*report);
            }
            clamp_bar(app);
        }
        StoreEvent::ReportConversion { period, report } => {
            if let Some((shown, data)) = app.reports.data.as_mut()
                && *shown == period
            {
                data.conversion = Some(*report);
            }
        }
        StoreEvent::ReportFunnel { period, report } => {
            app.reports.funnel = Some((period, report));
            app.reports.cursor = app.reports.cursor.min(pages::funnel_rows(app).len().saturating_sub(1));
        }
        StoreEvent::ReportActivity { period, report } => app.reports.activity = Some((period, report)),
        _ => {}
    }
    vec![]
}

/// The overview's cursor kept on a bar there is (the forecast came with fewer months).
fn clamp_bar(app: &mut App) {
    let bars = bars::overview_bars(app).len();
    app.reports.bar = app.reports.bar.min(bars.saturating_sub(1));
}
