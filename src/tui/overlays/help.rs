//! Key help (`?`, drawn from the context's bindings) and notices to read before going on.

use crate::tui::app::App;
use crate::tui::keymap::{self, key_name};
use crate::tui::widgets::{fit, frame_block, popup};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::tui::keymap::bindings;

/// Draws the keys of the context: one column when they fit, two otherwise.
pub(crate) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let ctx = keymap::context(app);
    let list: Vec<keymap::Binding> =
        bindings(ctx).into_iter().filter(|b| keymap::offered(app.crm_mode, b.action)).collect();
    // One column when it fits, two otherwise; the popup never leaves the screen.
    let room = area.height.saturating_sub(2).max(1) as usize;
    let columns = if list.len() <= room { 1 } else { 2 };
    let per_column = list.len().div_ceil(columns);
    // On a screen too low for every key, the last line says how many are left out and where
    // they all are (the palette), rather than dropping them without a word.
    let shown_rows = if per_column > room { room.saturating_sub(1) } else { per_column };
    let left_out = list.len().saturating_sub(shown_rows * columns);
    let width = if columns == 1 { 64 } else { 110 };
    let rect = popup(area, width, (shown_rows + usize::from(left_out > 0)) as u16 + 2);
    let col_w = (rect.width.saturating_sub(2) as usize) / columns;
    let cell = |b: &keymap::Binding| {
        let keys = b.keys.iter().map(|k| key_name(app.lang, k)).collect::<Vec<_>>().join(" ");
        vec![
            Span::styled(format!(" {:<13} ", fit(&keys, 13)), Style::default().fg(Color::Yellow)),
            Span::raw(format!("{:<w$}", fit(&app.t(b.label), col_w.saturating_sub(16)), w = col_w.saturating_sub(15))),
        ]
    };
    let mut lines: Vec<Line> = (0..shown_rows)
        .map(|row| {
            let mut spans = Vec::new();
            for c in 0..columns {
                if let Some(b) = list.get(c * shown_rows + row) {
                    spans.extend(cell(b));
                }
            }
            Line::from(spans)
        })
        .collect();
    if left_out > 0 {
        let more = crate::i18n::tr_count(app.lang, "tui.help_more", left_out as u64, &[]);
        lines.push(Line::from(Span::styled(format!(" {more}"), Style::default().fg(Color::Gray))));
    }
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.help_title"))), rect);
}

/// Draws a notice (a risky mount at start).
pub(crate) fn draw_notice(app: &App, text: &str, f: &mut Frame, area: Rect) {
    let width = 72u16.min(area.width);
    let text_w = width.saturating_sub(2).max(1) as usize;
    let text_lines: usize = text.lines().map(|l| unicode_width::UnicodeWidthStr::width(l) / text_w + 1).sum::<usize>();
    let rect = popup(area, width, text_lines as u16 + 4);
    let mut lines: Vec<Line> = crate::tui::widgets::text_lines(text).into_iter().map(Line::from).collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(app.t("tui.notice_keys"), Style::default().fg(Color::Gray))));
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(frame_block(&app.t("tui.risky_title")).border_style(Style::default().fg(Color::Red))),
        rect,
    );
}
