//! Drawing the reports screen: won and lost with the period before, lost reasons, and the
//! forecast by month, charts beside tables.

use super::{ReportPage, ReportsData};
use crate::domain::report::period::PeriodSpec;
use crate::domain::report::{Conversion, Sums, WonLost};
use crate::present;
use crate::tui::app::App;
use crate::tui::widgets::{fit, fit_pad};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph};

/// Draws the screen into `area`.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let page = app.reports.page;
    // The period of the figures drawn, and its bounds with the period before.
    let figures = match page {
        ReportPage::Overview => app.reports.data.as_ref().map(|(p, d)| (*p, d.won_lost.period, d.won_lost.previous)),
        ReportPage::Funnel => app.reports.funnel.as_ref().map(|(p, r)| (*p, r.period, r.previous)),
        ReportPage::Activity => app.reports.activity.as_ref().map(|(p, r)| (*p, r.period, r.period)),
    };
    let Some((shown, period_bounds, previous_bounds)) = figures else {
        f.render_widget(Paragraph::new(format!(" {}", app.t("tui.loading"))), head);
        return;
    };
    let day = |d| present::day(app.lang, d);
    // The period of the figures drawn; the one asked for is said loading meanwhile.
    let mut period = app.t(&format!("tui.report_period_{}", period_code(shown)));
    if shown != app.reports.period {
        period = format!("{period} ({})", app.t("tui.loading"));
    }
    let heading = app.ta(
        "tui.report_heading",
        &[
            ("period", &period),
            ("from", &day(period_bounds.first_day)),
            ("to", &day(period_bounds.last_day)),
            ("before_from", &day(previous_bounds.first_day)),
            ("before_to", &day(previous_bounds.last_day)),
        ],
    );
    let page_name = app.t(match page {
        ReportPage::Overview => "tui.report_overview",
        ReportPage::Funnel => "tui.report_funnel",
        ReportPage::Activity => "tui.report_activity",
    });
    // The funnel's previous period is the CLI's (`Reached before`): the screen shows one.
    let heading = if page != ReportPage::Overview {
        app.ta(
            "tui.report_heading_one",
            &[("period", &period), ("from", &day(period_bounds.first_day)), ("to", &day(period_bounds.last_day))],
        )
    } else {
        heading
    };
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let text = format!(" {page_name} · {heading}");
    f.render_widget(Paragraph::new(Span::styled(fit(&text, area.width as usize), bold)), head);
    let data = match page {
        ReportPage::Funnel => return super::pages::draw_funnel(app, f, body),
        ReportPage::Activity => return super::pages::draw_activity(app, f, body),
        ReportPage::Overview => match app.reports.data.as_ref() {
            Some((_, data)) => data,
            None => return,
        },
    };
    let wl = &data.won_lost;
    let [top, bottom] = Layout::vertical([Constraint::Percentage(55), Constraint::Min(0)]).areas(body);
    let [won_area, forecast_area] = Layout::horizontal([Constraint::Percentage(45), Constraint::Min(0)]).areas(top);
    let [reasons_area, table_area] = Layout::horizontal([Constraint::Percentage(45), Constraint::Min(0)]).areas(bottom);
    let (now, before) = wl.groups.first().map(|(_, n, b)| (n.clone(), b.clone())).unwrap_or_default();
    // CRM simple mode has no leads to count: every intake was converted as it came.
    let leads = data
        .conversion
        .as_ref()
        .filter(|_| app.crm_mode.has_leads())
        .map(|c| c.groups.first().map(|(_, n, b)| (n.clone(), b.clone())).unwrap_or_default());
    draw_won_lost(app, f, won_area, &now, &before, leads.as_ref().map(|(n, b)| (n, b)));
    draw_reasons(app, f, reasons_area, &now);
    draw_forecast(app, data, f, forecast_area, table_area);
}

fn period_code(p: PeriodSpec) -> &'static str {
    match p {
        PeriodSpec::Week => "week",
        PeriodSpec::Month => "month",
        PeriodSpec::Quarter => "quarter",
        PeriodSpec::Year => "year",
        PeriodSpec::LastDays(_) | PeriodSpec::Days(..) => "days",
    }
}

fn sums(app: &App, s: &Sums) -> String {
    if s.is_empty() {
        return present::money(app.lang, 0, None);
    }
    s.iter().map(|(c, m)| present::money(app.lang, *m, Some(c))).collect::<Vec<_>>().join(" + ")
}

/// "300 in · 23 converted (7.7 %)".
fn converted(app: &App, c: &Conversion) -> String {
    let rate = c
        .rate_tenths()
        .map(|t| format!(" ({} %)", present::decimal(app.lang, &format!("{}.{}", t / 10, t % 10))))
        .unwrap_or_default();
    app.ta(
        "tui.report_converted",
        &[
            ("created", &present::count(app.lang, c.created)),
            ("converted", &present::count(app.lang, c.converted)),
            ("rate", &rate),
        ],
    )
}

fn rate(app: &App, w: &WonLost) -> String {
    w.win_rate_tenths()
        .map(|t| format!("{} %", present::decimal(app.lang, &format!("{}.{}", t / 10, t % 10))))
        .unwrap_or_else(|| "—".into())
}

fn draw_won_lost(
    app: &App,
    f: &mut Frame,
    area: Rect,
    now: &WonLost,
    before: &WonLost,
    leads: Option<(&Conversion, &Conversion)>,
) {
    let block = Block::default().borders(Borders::ALL).title(format!(" {} ", app.t("tui.report_won_lost")));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [text, chart] = Layout::vertical([Constraint::Length(6), Constraint::Min(0)]).areas(inner);
    let w = text.width as usize;
    let labels = [app.t("report.won"), app.t("report.lost"), app.t("report.win_rate"), app.t("tui.report_leads")];
    let pad = labels.iter().map(|l| unicode_width::UnicodeWidthStr::width(l.as_str())).max().unwrap_or(0);
    // Two columns, this period and the one before, each cut at its own end.
    let half = w.saturating_sub(pad + 2) / 2;
    let line = |label: String, a: String, b: String| {
        Line::from(fit(&format!("{} {} {}", fit_pad(&label, pad), fit_pad(&a, half), fit(&b, half)), w))
    };
    let heads = line(String::new(), app.t("tui.report_this"), app.t("tui.report_before"));
    let lines = vec![
        heads,
        line(
            app.t("report.won"),
            format!("{} · {}", present::count(app.lang, now.won), sums(app, &now.won_amount)),
            format!("{} · {}", present::count(app.lang, before.won), sums(app, &before.won_amount)),
        ),
        line(
            app.t("report.lost"),
            format!("{} · {}", present::count(app.lang, now.lost), sums(app, &now.lost_amount)),
            format!("{} · {}", present::count(app.lang, before.lost), sums(app, &before.lost_amount)),
        ),
        line(app.t("report.win_rate"), rate(app, now), rate(app, before)),
        match leads {
            Some((leads, leads_before)) => {
                line(app.t("tui.report_leads"), converted(app, leads), converted(app, leads_before))
            }
            None => line(app.t("tui.report_leads"), app.t("tui.loading"), String::new()),
        },
    ];
    f.render_widget(Paragraph::new(lines), text);
    if chart.height < 3 {
        return;
    }
    let this = app.t("tui.report_bar_this");
    let prev = app.t("tui.report_before");
    // The bar under the cursor (the first four of `bars::overview_bars`) has its label marked.
    let label = |text: &String, at: usize| selectable(text.clone(), app.reports.bar == at);
    let group = |label_text: String, a: i64, b: i64, color: Color, at: usize| {
        BarGroup::default().label(Line::from(label_text)).bars(&[
            Bar::default().value(a.max(0) as u64).label(label(&this, at)).style(Style::default().fg(color)),
            Bar::default()
                .value(b.max(0) as u64)
                .label(label(&prev, at + 1))
                .style(Style::default().fg(Color::DarkGray)),
        ])
    };
    let chart_widget = BarChart::default()
        .data(group(app.t("report.won"), now.won, before.won, Color::Green, 0))
        .data(group(app.t("report.lost"), now.lost, before.lost, Color::Red, 2))
        .bar_width(6)
        .bar_gap(1)
        .group_gap(3);
    f.render_widget(chart_widget, chart);
}

fn draw_reasons(app: &App, f: &mut Frame, area: Rect, now: &WonLost) {
    let block = Block::default().borders(Borders::ALL).title(format!(" {} ", app.t("report.lost_reasons")));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let total: i64 = now.reasons.iter().map(|(_, n)| n).sum();
    let lines: Vec<Line> = if now.reasons.is_empty() {
        vec![Line::from(fit(&app.t("report.nothing"), w))]
    } else {
        now.reasons
            .iter()
            .take(inner.height as usize)
            .map(|(reason, n)| {
                let reason = match reason {
                    Some(r) => crate::domain::report::reasons::shown(&app.lost_reasons, r, app.lang),
                    None => app.t("report.no_reason"),
                };
                let bar = "█".repeat(((*n * 12) / total.max(1)) as usize);
                Line::from(vec![
                    Span::raw(fit_pad(&reason, w.saturating_sub(18).max(4))),
                    Span::raw(format!(" {n:>3} ")),
                    Span::styled(bar, Style::default().fg(Color::Red)),
                ])
            })
            .collect()
    };
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_forecast(app: &App, data: &ReportsData, f: &mut Frame, chart_area: Rect, table_area: Rect) {
    let rows = data.forecast.as_ref().and_then(|f| f.groups.first()).map(|(_, r)| r.clone()).unwrap_or_default();
    // The chart shows the first currency's months (the file's usual one); the table all.
    let currency = rows.iter().find(|r| !r.late).or(rows.first()).map(|r| r.currency.clone());
    let title = match &currency {
        Some(c) => format!(" {} ({c}) ", app.t("tui.report_forecast")),
        None => format!(" {} ", app.t("tui.report_forecast")),
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(chart_area);
    f.render_widget(block, chart_area);
    // Deals whose close date went by are one bar, "late", first (the domain's late row); the
    // cursor's bar (after the four of won and lost) stays in view.
    let room = (inner.width as usize / 8).max(1);
    let drawn = super::bars::forecast_bars(data);
    let at = app.reports.bar.checked_sub(4);
    let skip = at.map_or(0, |at| (at + 1).saturating_sub(room));
    let bars: Vec<Bar> = drawn
        .iter()
        .enumerate()
        .skip(skip)
        .take(room)
        .map(|(i, (bar, weighted))| {
            let (text, color) = match bar {
                super::OverviewBar::Forecast { month: Some(m), .. } => {
                    (format!("{}/{}", &m[5..7], &m[2..4]), Color::Cyan)
                }
                _ => (app.t("tui.report_late"), Color::Red),
            };
            Bar::default()
                .value((weighted / 100).max(0) as u64)
                .label(selectable(text, at == Some(i)))
                .text_value(compact(app.lang, *weighted))
                .style(Style::default().fg(color))
        })
        .collect();
    if bars.is_empty() {
        f.render_widget(Paragraph::new(fit(&app.t("report.nothing"), inner.width as usize)), inner);
    } else {
        f.render_widget(BarChart::default().data(BarGroup::default().bars(&bars)).bar_width(7).bar_gap(1), inner);
    }
    let col = |k: &str| app.t(&format!("report.col_{k}"));
    let header = vec![(col("month"), 15), (col("count"), 7), (col("amount"), 16), (col("weighted"), 16)];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                match (&r.month, r.late) {
                    (_, true) => app.t("report.late"),
                    (Some(m), _) => m.clone(),
                    (None, _) => app.t("report.no_date"),
                },
                present::count(app.lang, r.count),
                present::money(app.lang, r.amount, Some(&r.currency)),
                present::money(app.lang, r.weighted, Some(&r.currency)),
            ]
        })
        .collect();
    let block = Block::default().borders(Borders::ALL).title(format!(" {} ", app.t("tui.report_forecast_table")));
    let inner = block.inner(table_area);
    f.render_widget(block, table_area);
    let w = inner.width as usize;
    let row = |cells: Vec<String>| {
        let text: String = cells.iter().zip(&header).map(|(c, (_, n))| format!(" {}", fit_pad(c, *n))).collect();
        fit(&text, w)
    };
    let mut lines = vec![Line::from(Span::styled(
        row(header.iter().map(|(h, _)| h.clone()).collect()),
        Style::default().add_modifier(Modifier::BOLD),
    ))];
    lines.extend(cells.into_iter().take(inner.height.saturating_sub(1) as usize).map(|c| Line::from(row(c))));
    f.render_widget(Paragraph::new(lines), inner);
}

/// A bar's label, reversed when the cursor is on the bar.
fn selectable(text: String, selected: bool) -> Line<'static> {
    if selected { Line::styled(text, Style::default().add_modifier(Modifier::REVERSED)) } else { Line::from(text) }
}

/// An amount in minor units, short: `12k`, `1.2M` (`1,2M` in French).
fn compact(lang: crate::i18n::Lang, minor: i64) -> String {
    let units = minor / 100;
    let sign = if units < 0 { "-" } else { "" };
    match units.unsigned_abs() {
        u @ 0..=9_999 => format!("{sign}{u}"),
        u @ 10_000..=999_999 => format!("{sign}{}k", u / 1_000),
        u => present::decimal(lang, &format!("{sign}{}.{}M", u / 1_000_000, (u % 1_000_000) / 100_000)),
    }
}

#[cfg(test)]
mod tests {
    use super::compact;
    use crate::i18n::Lang;

    #[test]
    fn a_compact_amount_keeps_its_sign_and_the_language_s_decimal_mark() {
        assert_eq!(compact(Lang::En, 68_842_260_000), "688.4M");
        assert_eq!(compact(Lang::Fr, 68_842_260_000), "688,4M");
        assert_eq!(compact(Lang::En, -150_000_000), "-1.5M");
        assert_eq!(compact(Lang::En, -2_500_000), "-25k");
        assert_eq!(compact(Lang::Fr, 999_900), "9999");
    }
}
