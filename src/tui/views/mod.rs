//! Drawing: `draw(&App, &mut Frame)` renders the whole screen from state and never queries.
//! Every area is clamped to the frame, so no terminal size can make drawing panic.

pub mod agenda;
pub mod board;
pub mod calendar;
pub mod form;
pub mod list;
pub mod overlays;
pub mod triage;

use super::action::Tab;
use super::app::{App, Level, Screen};
use super::keymap::{self, bindings, key_name};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub use super::colour::color;

/// Text from the file, safe to draw (`text::shown_line`): a control character shows as its
/// picture (`␛`) instead of reaching the terminal.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    crate::domain::text::shown_line(s)
}

/// Cuts `s` to `width` terminal cells, ending with `…` when cut. Control characters are shown
/// as pictures first (`safe`).
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let s = &*safe(s);
    let mut out = String::new();
    let mut used = 0;
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return s.to_string();
    }
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Whether a terminal of `width` × `height` is too small to show a screen: only a message
/// asking for a larger one is drawn, and only quitting is obeyed (a key acting on what
/// cannot be seen would move cards blind).
pub fn too_small(width: u16, height: u16) -> bool {
    width < 20 || height < 6
}

/// Draws the whole screen.
pub fn draw(app: &App, f: &mut Frame) {
    let area = f.area();
    if too_small(area.width, area.height) {
        let msg = fit(&app.t("tui.too_small"), area.width as usize);
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    let [header, body, status, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1), Constraint::Length(1)])
            .areas(area);
    draw_header(app, f, header);
    match &app.screen {
        Screen::Welcome => draw_welcome(app, f, body),
        Screen::Board(entity) => board::draw(app, *entity, f, body),
        Screen::List(entity) => list::draw(app, *entity, f, body),
        Screen::Form => form::draw(app, f, body),
        Screen::Agenda => agenda::draw(app, f, body),
        Screen::Calendar => calendar::draw(app, f, body),
        Screen::Triage => triage::draw(app, f, body),
    }
    draw_status(app, f, status);
    draw_footer(app, f, footer);
    overlays::draw(app, f, area);
    scrub(f.buffer_mut());
}

/// The last line of defence: whatever text reached a cell without `safe` (ratatui appends
/// zero-width characters such as ESC to the cell before), its control and bidi characters
/// are dropped before the frame goes to the terminal.
pub fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        let symbol = cell.symbol();
        // Most cells are one printable ASCII byte: only C0/DEL bytes and the lead bytes of
        // C1 (0xC2) and bidi controls (0xE2) need a closer look.
        if let &[b] = symbol.as_bytes()
            && (0x20..0x7f).contains(&b)
        {
            continue;
        }
        let suspect = symbol.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2);
        if suspect && symbol.chars().any(|c| c.is_control() || crate::domain::text::is_bidi_control(c)) {
            let kept: String =
                symbol.chars().filter(|c| !c.is_control() && !crate::domain::text::is_bidi_control(*c)).collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

fn draw_header(app: &App, f: &mut Frame, area: Rect) {
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

fn draw_status(app: &App, f: &mut Frame, area: Rect) {
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
        };
        spans.push(Span::styled(format!(" {msg}"), style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(app: &App, f: &mut Frame, area: Rect) {
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

fn draw_welcome(app: &App, f: &mut Frame, area: Rect) {
    let lines = vec![
        Line::from(""),
        Line::from(Span::styled(app.t("tui.welcome_title"), Style::default().add_modifier(Modifier::BOLD))),
        Line::from(""),
        Line::from(app.t("tui.welcome_text")),
        Line::from(""),
        Line::from(vec![
            Span::styled(" n ", Style::default().add_modifier(Modifier::REVERSED)),
            Span::raw(format!("  {}", app.t("tui.key_first_lead"))),
        ]),
        Line::from(vec![
            Span::styled(" d ", Style::default().add_modifier(Modifier::REVERSED)),
            Span::raw(format!("  {}", app.t("tui.key_demo"))),
        ]),
        Line::from(vec![
            Span::styled(" q ", Style::default().add_modifier(Modifier::REVERSED)),
            Span::raw(format!("  {}", app.t("tui.key_quit"))),
        ]),
    ];
    f.render_widget(Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }), area);
}
