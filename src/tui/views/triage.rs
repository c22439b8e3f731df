//! Triage: the lead to decide about, full screen: who and what, whether it repeats a client
//! or looks like another lead, its history, and how many are left.

use super::super::app::App;
use super::fit;
use crate::present;
use crate::store::records::Shown;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// Draws the triage screen.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.triage;
    let Some(item) = t.item.as_ref() else {
        let text = if t.loading { app.t("tui.loading") } else { app.t("tui.triage_done") };
        f.render_widget(Paragraph::new(format!(" {text}")).wrap(Wrap { trim: true }), area);
        return;
    };
    let r = &item.record;
    let rows = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).split(area);
    let head =
        app.ta("tui.triage_head", &[("count", &item.remaining.to_string()), ("decided", &t.history.len().to_string())]);
    let title = format!(" #{} {}", r.id, r.title);
    f.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(fit(&head, area.width as usize), Style::default().fg(Color::Cyan))),
            Line::from(Span::styled(fit(&title, area.width as usize), Style::default().add_modifier(Modifier::BOLD))),
        ]),
        rows[0],
    );
    let cols = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).split(rows[1]);
    let w = cols[0].width as usize;
    let label_w = 16.min(w / 3);
    let mut lines: Vec<Line> = Vec::new();
    let mut field = |label: String, value: String| {
        if !value.trim().is_empty() {
            lines.push(Line::from(vec![
                Span::styled(format!(" {:<label_w$}", fit(&label, label_w)), Style::default().fg(Color::Gray)),
                Span::raw(fit(&format!(" {value}"), w.saturating_sub(label_w + 1))),
            ]));
        }
    };
    let text = |k: &str| match r.get(k) {
        Some(Shown::Money(m)) => present::money(app.lang, m.minor, Some(m.currency.code())),
        Some(v) => v.text(),
        None => String::new(),
    };
    let name = ["honorific", "first_name", "middle_name", "last_name"]
        .iter()
        .map(|k| text(k))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    field(app.t("section.person"), name);
    for key in ["company_title", "position", "stage", "source", "source_description", "amount", "responsible"] {
        field(app.t(&format!("field.{key}")), text(key));
    }
    for c in &r.comms {
        field(app.t(&format!("field.{}s", c.kind.code())), format!("{} ({})", c.value, c.label));
    }
    field(app.t("label.created"), present::time(app.lang, r.created_at));
    field(app.t("field.comments"), text("comments").replace('\n', " "));
    lines.push(Line::from(""));
    if r.is_repeat {
        lines.push(Line::from(Span::styled(
            fit(&format!(" {}", app.t("tui.triage_repeat")), w),
            Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        )));
    }
    for d in item.duplicates.iter().take(3) {
        let by = present::matched_by(app.lang, &d.matched_by);
        lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    " {}",
                    app.ta("tui.triage_duplicate", &[("id", &d.id.to_string()), ("title", &d.title), ("by", &by)])
                ),
                w,
            ),
            Style::default().fg(Color::Yellow),
        )));
    }
    f.render_widget(Paragraph::new(lines), cols[0]);
    let block = Block::default()
        .borders(Borders::LEFT)
        .title(Span::styled(format!(" {} ", app.t("label.timeline")), Style::default().add_modifier(Modifier::BOLD)));
    let inner_w = cols[1].width.saturating_sub(2) as usize;
    let mut tl: Vec<Line> = Vec::new();
    for e in &item.timeline {
        tl.push(Line::from(Span::styled(
            fit(&format!("{} · {}", present::time(app.lang, e.at), e.user.clone().unwrap_or_default()), inner_w),
            Style::default().fg(Color::Gray),
        )));
        tl.push(Line::from(present::timeline_line(app.lang, e)));
    }
    f.render_widget(Paragraph::new(tl).block(block).wrap(Wrap { trim: true }), cols[1]);
}
