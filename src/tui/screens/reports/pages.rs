//! The funnel and activity reports of the reports screen: drawing them, the funnel's cursor
//! and `Enter` on a stage (the list of the leads or deals that came in in the period and
//! stand in it).

use crate::domain::fields::Entity;
use crate::domain::report::funnel::share_tenths;
use crate::present;
use crate::service::FunnelSection;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::widgets::{fit, fit_pad};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// The funnel's sections shown (the first group's: the screen is not split).
fn sections(app: &App) -> &[FunnelSection] {
    app.reports.funnel.as_ref().and_then(|(_, r)| r.groups.first()).map_or(&[], |(_, s)| s.as_slice())
}

/// Every stage row the cursor goes through: (section, row).
pub(super) fn funnel_rows(app: &App) -> Vec<(usize, usize)> {
    sections(app).iter().enumerate().flat_map(|(i, s)| (0..s.funnel.rows.len()).map(move |r| (i, r))).collect()
}

/// `Enter` on a stage: the list of the records of the period in it, filtered by stage and
/// creation days (none for the deals made from the period's leads: no list keeps to them).
pub(super) fn open_stage(app: &mut App) -> Vec<Effect> {
    let Some(&(s, r)) = funnel_rows(app).get(app.reports.cursor) else { return vec![] };
    let Some((_, report)) = app.reports.funnel.as_ref() else { return vec![] };
    let sec = &sections(app)[s];
    let (entity, code, from_leads) = (sec.entity, sec.funnel.rows[r].stage.code.clone(), sec.from_leads);
    // The list cannot say "made from the period's leads": rather nothing than other deals.
    if from_leads {
        crate::tui::app::info(app, app.t("tui.report_no_list_from_leads"));
        return vec![];
    }
    let pipeline = sec.pipeline.clone();
    let period = report.period;
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    if entity == Entity::Deal && app.deal_board.pipeline.as_ref().is_none_or(|p| p.id != pipeline.id) {
        app.deal_board.pipeline = Some(pipeline);
    }
    let typed = format!("{}..{}", day(period.first_day), day(period.last_day));
    let filters = crate::tui::screens::list::ListFilters {
        stage: Some(code),
        created: Some((Some(period.from), Some(period.to), typed)),
        ..Default::default()
    };
    super::bars::drill(app, entity, filters)
}

fn share_text(app: &App, tenths: Option<i64>) -> String {
    match tenths {
        Some(t) => format!("{} %", present::decimal(app.lang, &format!("{}.{}", t / 10, t % 10))),
        None => "—".into(),
    }
}

/// The funnel: a block per pipeline, a line per stage with a bar of the share that reached it.
pub(super) fn draw_funnel(app: &App, f: &mut Frame, area: Rect) {
    let block = Block::default().borders(Borders::ALL).title(format!(" {} ", app.t("tui.report_funnel")));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let name_w = 20;
    let bar_w = w.saturating_sub(name_w + 52).clamp(4, 40);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    let mut n = 0;
    for sec in sections(app) {
        let key = match (sec.entity, sec.from_leads) {
            (Entity::Lead, _) => "report.funnel_leads",
            (_, true) => "report.funnel_from_leads",
            _ => "report.funnel_deals",
        };
        let title = app.ta(key, &[("pipeline", &sec.pipeline.name)]);
        let came_key = if sec.from_leads { "report.funnel_made" } else { "report.funnel_records" };
        let came = app.ta(came_key, &[("count", &present::count(app.lang, sec.funnel.records))]);
        lines.push(Line::from(Span::styled(fit(&format!("{title} · {came}"), w), bold)));
        let head = format!(
            "  {} {:>9} {:>16} {:>8} {:>8}",
            fit_pad(&app.t("report.fun_stage"), name_w),
            fit(&app.t("tui.report_in_it"), 9),
            fit(&app.t("report.fun_amount"), 16),
            fit(&app.t("report.fun_reached"), 8),
            fit(&app.t("report.fun_share"), 8),
        );
        lines.push(Line::from(Span::styled(fit(&head, w), Style::default().fg(Color::DarkGray))));
        let currency = sec.funnel.main_currency();
        for row in &sec.funnel.rows {
            let tenths = share_tenths(row.reached, sec.base);
            let amount = currency
                .as_ref()
                .and_then(|c| row.amounts.get(c).filter(|m| **m != 0).map(|m| present::money(app.lang, *m, Some(c))))
                .unwrap_or_default();
            let cells = (tenths.unwrap_or(0).clamp(0, 1000) as usize * bar_w).div_ceil(1000);
            let colour = match row.stage.semantics {
                crate::domain::stage::StageSemantics::Success => Color::Green,
                crate::domain::stage::StageSemantics::Failure => Color::Red,
                crate::domain::stage::StageSemantics::InProgress => Color::Cyan,
            };
            let here = n == app.reports.cursor;
            if here {
                selected_line = lines.len();
            }
            let text = format!(
                "{} {} {:>9} {:>16} {:>8} {:>8} ",
                if here { "▶" } else { " " },
                fit_pad(&row.stage.name, name_w),
                present::count(app.lang, row.count),
                fit(&amount, 16),
                present::count(app.lang, row.reached),
                share_text(app, tenths),
            );
            let style = if here { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
            lines.push(Line::from(vec![
                Span::styled(fit(&text, w), style),
                Span::styled(
                    "█".repeat(cells.min(w.saturating_sub(text.chars().count()))),
                    Style::default().fg(colour),
                ),
            ]));
            n += 1;
        }
        lines.push(Line::from(""));
    }
    if lines.is_empty() {
        lines.push(Line::from(app.t("report.nothing")));
    }
    // The cursor's line stays in view.
    let height = inner.height as usize;
    let skip = selected_line.saturating_sub(height.saturating_sub(2));
    f.render_widget(Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()), inner);
}

/// The activities: a line per person and kind.
pub(super) fn draw_activity(app: &App, f: &mut Frame, area: Rect) {
    let block = Block::default().borders(Borders::ALL).title(format!(" {} ", app.t("tui.report_activity")));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let Some((_, report)) = app.reports.activity.as_ref() else { return };
    let cols = ["planned", "done", "done_late", "overdue"].map(|k| app.t(&format!("report.act_{k}")));
    // Four figures in what the names leave, 16 wide at most.
    let cw = (w.saturating_sub(34) / 4).saturating_sub(1).clamp(6, 20);
    let head = format!(
        " {} {} {}",
        fit_pad(&app.t("report.by_responsible"), 16),
        fit_pad(&app.t("report.act_kind"), 14),
        cols.iter().map(|c| format!("{:>cw$}", fit(c, cw))).collect::<Vec<_>>().join(" ")
    );
    let mut lines = vec![Line::from(Span::styled(fit(&head, w), Style::default().add_modifier(Modifier::BOLD)))];
    for x in report.rows.iter().take(inner.height.saturating_sub(1) as usize) {
        let who = x.who.clone().unwrap_or_else(|| app.t("report.nobody"));
        let figures = [x.planned, x.done, x.done_late, x.overdue]
            .map(|n| format!("{:>cw$}", present::count(app.lang, n)))
            .join(" ");
        let text =
            format!(" {} {} {figures}", fit_pad(&who, 16), fit_pad(&app.t(&format!("report.kind_{}", x.kind)), 14));
        let style = if x.overdue > 0 { Style::default().fg(Color::Red) } else { Style::default() };
        lines.push(Line::from(Span::styled(fit(&text, w), style)));
    }
    if report.rows.is_empty() {
        lines.push(Line::from(app.t("report.nothing")));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
