//! The sales head's screen (SPEC V8, issue 29), tab 9: deals won and lost in a period beside
//! the one before, the lost reasons ranked, and the forecast of open deals by close month
//! (raw and weighted), as bar charts and tables. `p` changes the period. The figures are the
//! service's, as `prospect report` gives them.

mod draw;

pub use draw::draw;

use crate::domain::report::period::PeriodSpec;
use crate::service::{ConversionReport, ForecastReport, WonLostReport};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::keymap::{Binding, b, k};

/// What the screen shows, as the worker read it.
#[derive(Clone, Debug)]
pub struct ReportsData {
    /// Open deals by close month.
    pub forecast: ForecastReport,
    /// Won and lost in the period and the one before.
    pub won_lost: WonLostReport,
    /// What became of the leads that came in.
    pub conversion: ConversionReport,
}

/// The reports screen's state.
#[derive(Clone, Debug)]
pub struct ReportsView {
    /// The period shown.
    pub period: PeriodSpec,
    /// The figures (none before the first answer), and the period they are of (the one
    /// asked for may still be loading).
    pub data: Option<(PeriodSpec, Box<ReportsData>)>,
}

impl Default for ReportsView {
    fn default() -> Self {
        ReportsView { period: PeriodSpec::Month, data: None }
    }
}

/// The periods `p` goes through, in order.
const PERIODS: [PeriodSpec; 5] =
    [PeriodSpec::Week, PeriodSpec::Month, PeriodSpec::Quarter, PeriodSpec::Year, PeriodSpec::LastDays(30)];

/// Keys of the screen.
pub fn bindings() -> Vec<Binding> {
    vec![b(&[k('p')], Action::NextPeriod, "tui.key_report_period", true)]
}

/// What the screen asks for.
pub(crate) fn load(app: &App) -> Effect {
    Effect::LoadReports { period: app.reports.period }
}

/// An action on the screen.
pub(crate) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::NextPeriod => {
            let at = PERIODS.iter().position(|p| *p == app.reports.period).unwrap_or(0);
            app.reports.period = PERIODS[(at + 1) % PERIODS.len()];
            vec![load(app)]
        }
        _ => vec![],
    }
}

/// The worker's answer.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    if let StoreEvent::Reports { period, data } = ev {
        app.reports.data = Some((period, data));
    }
    vec![]
}
