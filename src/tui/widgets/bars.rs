//! The bars around every screen: the header with its tabs, the status bar (user, file,
//! counters, notices, the last message) and the footer (the context's main keys).

use crate::tui::action::Tab;
use crate::tui::app::{App, Level};
use crate::tui::keymap::{self, bindings, key_name};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The header: the brand and the tabs.
pub fn draw_header(app: &App, f: &mut Frame, area: Rect) {
    use unicode_width::UnicodeWidthStr;
    let brand = " Prospect ";
    let full: Vec<String> =
        Tab::ALL.iter().enumerate().map(|(i, t)| format!(" {} {} ", i + 1, app.t(t.label_key()))).collect();
    let needed = brand.width() + full.iter().map(|l| l.width() + 1).sum::<usize>();
    // Too narrow for every name: numbers only, with the name of the current tab.
    let compact = needed > area.width as usize;
    let mut spans =
        vec![Span::styled(brand, Style::default().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD))];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let current = *tab == app.tab;
        let label = if compact && !current { format!(" {} ", i + 1) } else { full[i].clone() };
        let style = if current {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default().fg(Color::Gray)
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(label, style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The status bar.
pub fn draw_status(app: &App, f: &mut Frame, area: Rect) {
    let left = format!(" {} · {} ", app.user, app.file);
    let mut spans = vec![Span::styled(left.clone(), Style::default().fg(Color::Black).bg(Color::Gray))];
    let c = app.counters;
    if c.overdue > 0 {
        spans.push(Span::styled(
            format!(" {} ", app.ta("tui.counter_overdue", &[("count", &c.overdue.to_string())])),
            Style::default().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    spans.push(Span::styled(
        format!(
            " {} ",
            app.ta("tui.counter_today", &[("count", &c.today.to_string()), ("coming", &c.incoming.to_string())])
        ),
        Style::default().fg(Color::Black).bg(Color::Cyan),
    ));
    if !app.risks.is_empty() {
        spans.push(Span::styled(
            format!(" {} ", app.t("tui.risky_mount")),
            Style::default().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    if app.waiting {
        spans.push(Span::styled(
            format!(" {} ", app.ta("tui.waiting", &[("file", &app.file)])),
            Style::default().fg(Color::Black).bg(Color::Yellow),
        ));
    }
    if let Some((msg, level)) = &app.status {
        let style = match level {
            Level::Info => Style::default().fg(Color::Green),
            Level::Error => Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            Level::Warning => Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        };
        // A message naming a record's text stays on the status line, whatever breaks it holds.
        spans.push(Span::styled(format!(" {}", super::text_lines(msg).join(" ")), style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The footer: the context's keys that fit, help and quit always.
pub fn draw_footer(app: &App, f: &mut Frame, area: Rect) {
    use unicode_width::UnicodeWidthStr;
    let ctx = keymap::context(app);
    let item = |b: &keymap::Binding| {
        let key = b.keys.iter().take(1).map(key_name).collect::<Vec<_>>().join("/");
        (format!(" {key} "), format!(" {} ", app.t(b.label)))
    };
    let shown: Vec<_> = bindings(ctx).into_iter().filter(|b| b.footer).collect();
    // Whole items only; help and quit (the last two) always stay.
    let (main, tail) = shown.split_at(shown.len().saturating_sub(2));
    let tail: Vec<_> = tail.iter().map(item).collect();
    let tail_width: usize = tail.iter().map(|(k, l)| k.width() + l.width()).sum();
    let mut room = (area.width as usize).saturating_sub(tail_width);
    let mut items = Vec::new();
    for b in main {
        let (k, l) = item(b);
        let w = k.width() + l.width();
        if w > room {
            break;
        }
        room -= w;
        items.push((k, l));
    }
    items.extend(tail);
    let mut spans = Vec::new();
    for (k, l) in items {
        spans.push(Span::styled(k, Style::default().add_modifier(Modifier::REVERSED)));
        spans.push(Span::raw(l));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
