//! Activities board (SPEC V3): leads by their nearest open activity, Overdue to No activity.

use super::super::app::App;
use super::super::app::CARD_HEIGHT;
use super::board::card_lines;
use super::fit;
use crate::domain::agenda::ActivityBucket;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn bucket_color(b: ActivityBucket) -> Color {
    match b {
        ActivityBucket::Overdue => Color::Red,
        ActivityBucket::Today => Color::Yellow,
        ActivityBucket::ThisWeek => Color::Green,
        ActivityBucket::NextWeek => Color::Cyan,
        ActivityBucket::Later => Color::Blue,
        ActivityBucket::NoActivity => Color::Gray,
    }
}

/// Draws the activities board.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let board = &app.agenda;
    if !board.loaded || board.columns.is_empty() {
        f.render_widget(Paragraph::new(app.t("tui.loading")), area);
        return;
    }
    let n = board.columns.len();
    let visible = ((area.width / 18).max(1) as usize).min(n);
    let first = board.focus.saturating_sub(visible - 1).min(n - visible);
    let width = area.width / visible as u16;
    for (slot, idx) in (first..first + visible).enumerate() {
        let col = &board.columns[idx];
        let x = area.x + slot as u16 * width;
        let w = if slot + 1 == visible { area.x + area.width - x } else { width };
        let rect = Rect { x, y: area.y, width: w.saturating_sub(1).max(1), height: area.height };
        let focused = idx == board.focus;
        let color = bucket_color(col.bucket);
        let cw = rect.width as usize;
        let head_style = if focused {
            Style::default().fg(Color::Black).bg(color).add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(color).add_modifier(Modifier::BOLD)
        };
        let count = crate::domain::money::format_integer(col.count, app.lang.number_style());
        let mut lines = vec![
            Line::from(Span::styled(
                fit(&format!(" {} ({count})", app.t(&format!("bucket.{}", col.bucket.code()))), cw),
                head_style,
            )),
            Line::from(Span::styled(
                fit(&if col.bucket.accepts_drops() { String::new() } else { app.t("tui.no_drop_short") }, cw),
                Style::default().fg(Color::DarkGray),
            )),
        ];
        let room = (rect.height as usize).saturating_sub(2) / CARD_HEIGHT;
        for (i, card) in col.rows.iter().enumerate().skip(col.scroll).take(room) {
            let base = if i == col.cursor && focused {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            lines.extend(card_lines(app, card, base, color, cw));
            lines.push(Line::from(""));
        }
        f.render_widget(Paragraph::new(lines), rect);
    }
}
