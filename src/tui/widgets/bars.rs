//! The bars around every screen: the header with its tabs, the status bar (user, file,
//! counters, notices, the last message) and the footer (the context's main keys).

use super::fit;
use crate::tui::action::Tab;
use crate::tui::app::{App, Level};
use crate::tui::keymap::{self, bindings, key_name};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// How the tabs are written: the first that fits the header's width is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TabStyle {
    /// Full names, the brand, roomy (` 1 Leads `).
    Roomy,
    /// Full names, the brand, tight (`1 Leads`).
    Full,
    /// Short names (`tui.tab_*_short`), the brand.
    Short,
    /// Short names, no brand.
    ShortNoBrand,
    /// Numbers, and the current tab's short name.
    Numbers,
}

const BRAND: &str = " Prospect ";

/// The header's tabs in `style`: (brand or not, each tab's text, the gap before each).
pub fn tab_texts(app: &App, style: TabStyle) -> (bool, Vec<String>, &'static str) {
    let name = |t: Tab, short: bool| app.t(if short { t.short_label_key() } else { t.label_key() });
    let texts = app
        .tabs()
        .into_iter()
        .map(|t| {
            // Numbered as their keys are, even with the lead tabs hidden (simple mode).
            let n = Tab::ALL.iter().position(|x| *x == t).unwrap_or(0) + 1;
            let t = &t;
            match style {
                TabStyle::Roomy => format!(" {n} {} ", name(*t, false)),
                TabStyle::Full => format!("{n} {}", name(*t, false)),
                TabStyle::Short | TabStyle::ShortNoBrand => format!("{n} {}", name(*t, true)),
                TabStyle::Numbers if *t == app.tab => format!("{n} {}", name(*t, true)),
                TabStyle::Numbers => n.to_string(),
            }
        })
        .collect();
    let brand = matches!(style, TabStyle::Roomy | TabStyle::Full | TabStyle::Short);
    (brand, texts, " ")
}

/// How the tabs are written at `width` columns: names shorten before they go, and when they
/// go, they all go but the current one's.
pub fn tab_style(app: &App, width: usize) -> TabStyle {
    use unicode_width::UnicodeWidthStr;
    let styles = [TabStyle::Roomy, TabStyle::Full, TabStyle::Short, TabStyle::ShortNoBrand];
    styles
        .into_iter()
        .find(|style| {
            let (brand, texts, gap) = tab_texts(app, *style);
            let used =
                if brand { BRAND.width() } else { 0 } + texts.iter().map(|t| t.width() + gap.width()).sum::<usize>();
            used <= width
        })
        .unwrap_or(TabStyle::Numbers)
}

/// The tab drawn at column `x` of a header `width` columns wide.
pub fn tab_at(app: &App, width: u16, x: u16) -> Option<Tab> {
    use unicode_width::UnicodeWidthStr;
    let (brand, texts, gap) = tab_texts(app, tab_style(app, width as usize));
    let mut at = if brand { BRAND.width() } else { 0 };
    for (tab, text) in app.tabs().iter().zip(texts) {
        at += gap.width();
        let end = at + text.width();
        if (at..end).contains(&(x as usize)) {
            return Some(*tab);
        }
        at = end;
    }
    None
}

/// The header: the brand and the tabs.
pub fn draw_header(app: &App, f: &mut Frame, area: Rect) {
    let (brand, texts, gap) = tab_texts(app, tab_style(app, area.width as usize));
    let mut spans = Vec::new();
    if brand {
        spans.push(Span::styled(BRAND, Style::default().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD)));
    }
    for (tab, label) in app.tabs().iter().zip(texts) {
        // The administration and the documents screens are no tab: none is lit there.
        let here = !matches!(app.screen, crate::tui::app::Screen::Team | crate::tui::app::Screen::Documents);
        let style = if here && *tab == app.tab {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default().fg(Color::Gray)
        };
        spans.push(Span::raw(gap));
        spans.push(Span::styled(label, style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The status bar's message, on one line, and its style.
fn status_message(app: &App) -> Option<(String, Style)> {
    // A reminder stays said for a while, under any newer message.
    let reminder = app.reminder.as_ref().filter(|(_, until)| app.now_ms < *until).map(|(m, _)| (m, &Level::Warning));
    let (msg, level) = app.status.as_ref().map(|(m, l)| (m, l)).or(reminder)?;
    let style = match level {
        Level::Info => Style::default().fg(Color::Green),
        Level::Error => Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        Level::Warning => Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
    };
    // A message naming a record's text stays on the status line, whatever breaks it holds.
    Some((format!(" {}", super::text_lines(msg).join(" ")), style))
}

/// Whether the status message needs the footer's line too (it is longer than one line): the
/// user reads what was done and any warning in full, the keys come back with the next message.
pub fn status_takes_footer(app: &App, width: u16) -> bool {
    status_message(app).is_some_and(|(m, _)| UnicodeWidthStr::width(m.as_str()) > width as usize)
}

/// The status bar: who and which file, the counters, the risks and waits, and the last
/// message. A message comes first when they do not all fit (the counters give way, the
/// user and file first), and may take the footer's line (`status_takes_footer`).
pub fn draw_status(app: &App, f: &mut Frame, area: Rect, footer: Option<Rect>) {
    let left = format!(" {} · {} ", app.user, app.file);
    let mut fixed = vec![Span::styled(left.clone(), Style::default().fg(Color::Black).bg(Color::Gray))];
    let c = app.counters;
    if c.overdue > 0 {
        fixed.push(Span::styled(
            format!(" {} ", app.ta("tui.counter_overdue", &[("count", &c.overdue.to_string())])),
            Style::default().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    fixed.push(Span::styled(
        format!(
            " {} ",
            app.ta("tui.counter_today", &[("count", &c.today.to_string()), ("coming", &c.incoming.to_string())])
        ),
        Style::default().fg(Color::Black).bg(Color::Cyan),
    ));
    let mut alerts = Vec::new();
    if !app.risks.is_empty() {
        alerts.push(Span::styled(
            format!(" {} ", app.t("tui.risky_mount")),
            Style::default().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    if app.waiting {
        alerts.push(Span::styled(
            format!(
                " {} ",
                app.ta(if app.on_server { "tui.waiting_server" } else { "tui.waiting" }, &[("file", &app.file)])
            ),
            Style::default().fg(Color::Black).bg(Color::Yellow),
        ));
    }
    let Some((msg, style)) = status_message(app) else {
        fixed.extend(alerts);
        f.render_widget(Paragraph::new(Line::from(fixed)), area);
        return;
    };
    let width = area.width as usize;
    let msg_w = UnicodeWidthStr::width(msg.as_str());
    let span_w = |v: &[Span]| v.iter().map(|s| UnicodeWidthStr::width(s.content.as_ref())).sum::<usize>();
    // Drop the user and file, then the counters, until the message fits beside them.
    while !fixed.is_empty() && span_w(&fixed) + span_w(&alerts) + msg_w > width {
        fixed.remove(0);
    }
    let mut spans = fixed;
    spans.extend(alerts);
    match footer {
        Some(footer) if span_w(&spans) + msg_w > width => {
            // Two lines: the message wraps onto the footer's.
            let cells: Vec<char> = msg.chars().collect();
            let mut first = String::new();
            let mut used = span_w(&spans);
            let mut rest_at = cells.len();
            for (i, ch) in cells.iter().enumerate() {
                let w = unicode_width::UnicodeWidthChar::width(*ch).unwrap_or(0);
                if used + w > width {
                    rest_at = i;
                    break;
                }
                first.push(*ch);
                used += w;
            }
            let rest: String = cells[rest_at..].iter().collect();
            spans.push(Span::styled(first, style));
            f.render_widget(Paragraph::new(Line::from(spans)), area);
            f.render_widget(Paragraph::new(Span::styled(fit(&rest, footer.width as usize), style)), footer);
        }
        _ => {
            spans.push(Span::styled(msg, style));
            f.render_widget(Paragraph::new(Line::from(spans)), area);
        }
    }
}

/// The footer: the context's keys that fit, help and quit always.
pub fn draw_footer(app: &App, f: &mut Frame, area: Rect) {
    use unicode_width::UnicodeWidthStr;
    let ctx = keymap::context(app);
    let item = |b: &keymap::Binding| {
        let key = b.keys.iter().take(1).map(|k| key_name(app.lang, k)).collect::<Vec<_>>().join("/");
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
