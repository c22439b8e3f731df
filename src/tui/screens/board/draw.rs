//! Drawing a Kanban board: its columns (as many as fit, the focused one kept in view), each
//! column's head with count and sums, and its window of cards; also where a click lands
//! (`column_slots`, `card_at`), from the same layout.

use super::*;

const MIN_COLUMN_WIDTH: u16 = 18;

/// The columns' area of a board drawn in `area`: below the pipeline's name on a deal board.
fn columns_area(app: &App, entity: Entity, area: Rect) -> Rect {
    let titled = entity == Entity::Deal && app.board(entity).pipeline.is_some();
    if !titled || area.height < 3 { area } else { Rect { y: area.y + 1, height: area.height - 1, ..area } }
}

/// Where each column shown is drawn, as (column index, its rectangle), for a board drawn in
/// `area`: as many columns as fit, the focused one among them. The view draws with it and the
/// mouse reads it.
pub fn column_slots(app: &App, entity: Entity, area: Rect) -> Vec<(usize, Rect)> {
    let board = app.board(entity);
    if !board.loaded {
        return vec![];
    }
    let area = columns_area(app, entity, area);
    crate::tui::widgets::board_slots(area, board.columns.len(), board.focus, MIN_COLUMN_WIDTH)
}

/// The card of a column drawn in `rect` at screen row `y`, if one is drawn there.
pub fn card_at(col: &Column, rect: Rect, y: u16) -> Option<usize> {
    crate::tui::widgets::card_in_column(rect, y, col.scroll, col.count(), CARD_HEIGHT)
}

/// Draws the board of `entity`.
pub fn draw(app: &App, entity: Entity, f: &mut Frame, area: Rect) {
    let board = app.board(entity);
    if !board.loaded {
        f.render_widget(Paragraph::new(app.t("tui.loading")), area);
        return;
    }
    if let (Some(p), Entity::Deal) = (&board.pipeline, entity)
        && area.height >= 3
    {
        f.render_widget(
            Paragraph::new(Span::styled(
                format!(" {} · {}", app.t("tui.tab_deals"), p.name),
                Style::default().add_modifier(Modifier::BOLD),
            )),
            Rect { height: 1, ..area },
        );
    }
    for (idx, rect) in column_slots(app, entity, area) {
        draw_column(app, entity, &board.columns[idx], idx == board.focus, f, rect);
    }
}

/// The three lines of a card: title; amount and client; responsible, repeat marker and next
/// activity (red when overdue). Shared by the Kanban and the activities board.
pub fn card_lines(
    app: &App,
    entity: Entity,
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
    // Left alone past its stage's rotting limit (`prospect stage terms --rotting`).
    let stale = app.board(entity).stale.contains(&card.id);
    if stale {
        third.push_str(&format!(" ⌛{}", app.t("tui.stale")));
    }
    if let Some(d) = card.next_activity {
        third.push_str(&format!(" ⏰{}", present::short_time(app.lang, d)));
    }
    let overdue = card.next_activity.is_some_and(|d| d < app.now_ms);
    let inner = width.saturating_sub(1);
    [
        Line::from(vec![
            bar.clone(),
            Span::styled(fit(&app.title_of(entity, card.id, &card.title), inner), base.add_modifier(Modifier::BOLD)),
        ]),
        Line::from(vec![bar.clone(), Span::styled(fit(&second, inner), base)]),
        Line::from(vec![
            bar,
            Span::styled(fit(&third, inner), if overdue || stale { base.fg(Color::Red) } else { base.fg(Color::Gray) }),
        ]),
    ]
}

fn draw_column(app: &App, entity: Entity, col: &Column, focused: bool, f: &mut Frame, area: Rect) {
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
            Some(card) => lines.extend(card_lines(app, entity, card, base, stage_color, w)),
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
