//! Kanban board: one column per stage, cards drawn from the loaded window only.

use super::super::app::{App, CARD_HEIGHT, Column};
use super::{color, fit};
use crate::domain::fields::Entity;
use crate::present;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const MIN_COLUMN_WIDTH: u16 = 18;

/// Draws the board of `entity`.
pub fn draw(app: &App, entity: Entity, f: &mut Frame, area: Rect) {
    let board = app.board(entity);
    if !board.loaded {
        f.render_widget(Paragraph::new(app.t("tui.loading")), area);
        return;
    }
    let n = board.columns.len();
    if n == 0 || area.width == 0 {
        return;
    }
    let title = match (&board.pipeline, entity) {
        (Some(p), Entity::Deal) => format!(" {} · {}", app.t("tui.tab_deals"), p.name),
        _ => String::new(),
    };
    let area = if title.is_empty() || area.height < 3 {
        area
    } else {
        f.render_widget(
            Paragraph::new(Span::styled(title, Style::default().add_modifier(Modifier::BOLD))),
            Rect { height: 1, ..area },
        );
        Rect { y: area.y + 1, height: area.height - 1, ..area }
    };
    let visible = ((area.width / MIN_COLUMN_WIDTH).max(1) as usize).min(n);
    let first = board.focus.saturating_sub(visible - 1).min(n - visible);
    let width = area.width / visible as u16;
    for (slot, idx) in (first..first + visible).enumerate() {
        let x = area.x + slot as u16 * width;
        let w = if slot + 1 == visible { area.x + area.width - x } else { width };
        let rect = Rect { x, y: area.y, width: w.saturating_sub(1).max(1), height: area.height };
        draw_column(app, &board.columns[idx], idx == board.focus, f, rect);
    }
}

/// The three lines of a card: title; amount and client; responsible, repeat marker and next
/// activity (red when overdue). Shared by the Kanban and the activities board.
pub fn card_lines(
    app: &App,
    card: &crate::store::RecordSummary,
    base: Style,
    color: Color,
    width: usize,
) -> [Line<'static>; 3] {
    let bar = Span::styled("▌", Style::default().fg(color));
    let amount = card.amount_minor.map(|m| present::money(app.lang, m, card.currency.as_deref())).unwrap_or_default();
    let second = match (amount.is_empty(), card.client.is_empty()) {
        (false, false) => format!("{amount} · {}", card.client),
        (false, true) => amount,
        (true, _) => card.client.clone(),
    };
    let repeat = if card.is_repeat { format!(" ↻ {}", app.t("label.repeat")) } else { String::new() };
    let mut third = format!("{}{repeat}", card.responsible.clone().unwrap_or_default());
    if let Some(d) = card.next_activity {
        third.push_str(&format!(" ⏰{}", present::short_time(app.lang, d)));
    }
    let overdue = card.next_activity.is_some_and(|d| d < app.now_ms);
    let inner = width.saturating_sub(1);
    [
        Line::from(vec![bar.clone(), Span::styled(fit(&card.title, inner), base.add_modifier(Modifier::BOLD))]),
        Line::from(vec![bar.clone(), Span::styled(fit(&second, inner), base)]),
        Line::from(vec![
            bar,
            Span::styled(fit(&third, inner), if overdue { base.fg(Color::Red) } else { base.fg(Color::Gray) }),
        ]),
    ]
}

fn draw_column(app: &App, col: &Column, focused: bool, f: &mut Frame, area: Rect) {
    let Some(head) = &col.head else { return };
    let w = area.width as usize;
    let stage_color = color(&head.stage.color);
    let count = crate::domain::money::format_integer(head.count, app.lang.number_style());
    let head_style = if focused {
        Style::default().fg(Color::Black).bg(stage_color).add_modifier(Modifier::BOLD)
    } else {
        Style::default().fg(stage_color).add_modifier(Modifier::BOLD)
    };
    let mut lines = vec![Line::from(Span::styled(fit(&format!(" {} ({count})", head.stage.name), w), head_style))];
    let sum = match head.sums.first() {
        Some((cur, minor)) => {
            let more = if head.sums.len() > 1 { " +" } else { "" };
            format!(" {}{more}", present::money(app.lang, *minor, Some(cur)))
        }
        None => String::from(" —"),
    };
    lines.push(Line::from(Span::styled(fit(&sum, w), Style::default().fg(Color::Gray))));
    let room = (area.height as usize).saturating_sub(2) / CARD_HEIGHT;
    for i in col.scroll..(col.scroll + room).min(col.count()) {
        let selected = i == col.cursor;
        let base = if selected && focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else if selected {
            Style::default().add_modifier(Modifier::UNDERLINED)
        } else {
            Style::default()
        };
        let bar = Span::styled("▌", Style::default().fg(stage_color));
        match col.card(i) {
            Some(card) => lines.extend(card_lines(app, card, base, stage_color, w)),
            None => {
                lines.push(Line::from(vec![bar, Span::styled("…", base)]));
                lines.push(Line::from(""));
                lines.push(Line::from(""));
            }
        }
        lines.push(Line::from(""));
    }
    if col.count() == 0 {
        lines.push(Line::from(Span::styled(fit(&app.t("tui.empty_column"), w), Style::default().fg(Color::DarkGray))));
    }
    f.render_widget(Paragraph::new(lines), area);
}
