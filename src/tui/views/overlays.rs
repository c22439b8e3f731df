//! Popups: help, command palette, search, prompts, pickers and confirmations.

use super::super::action::Action;
use super::super::app::{App, Overlay, PlanForm, TextInput, WHEN_CHOICES};
use super::super::keymap::{self, bindings, key_name};
use super::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 3, width: w, height: h }
}

fn frame_block(title: &str) -> Block<'_> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(Color::Cyan))
        .title(Span::styled(format!(" {title} "), Style::default().add_modifier(Modifier::BOLD)))
}

fn input_line(prefix: &str, input: &TextInput, width: usize) -> Line<'static> {
    let chars: Vec<char> = input.text.chars().collect();
    let c = input.cursor.min(chars.len());
    let before: String = chars[..c].iter().collect();
    let at: String = chars.get(c).map(|ch| ch.to_string()).unwrap_or_else(|| " ".into());
    let after: String = chars.get(c + 1..).map(|s| s.iter().collect()).unwrap_or_default();
    let _ = width;
    Line::from(vec![
        Span::raw(prefix.to_string()),
        Span::raw(before),
        Span::styled(at, Style::default().add_modifier(Modifier::REVERSED)),
        Span::raw(after),
    ])
}

fn input_or_text(input: &TextInput, focused: bool, placeholder: &str) -> Line<'static> {
    if focused {
        input_line("", input, 0)
    } else if input.text.is_empty() {
        Line::from(Span::styled(placeholder.to_string(), Style::default().fg(Color::DarkGray)))
    } else {
        Line::from(input.text.clone())
    }
}

/// Draws the overlay, if any, above everything.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help => {
            let ctx = keymap::context(app);
            let list = bindings(ctx);
            // One column when it fits, two otherwise; the popup never leaves the screen.
            let room = area.height.saturating_sub(2).max(1) as usize;
            let columns = if list.len() <= room { 1 } else { 2 };
            let per_column = list.len().div_ceil(columns);
            let width = if columns == 1 { 64 } else { 110 };
            let rect = popup(area, width, per_column as u16 + 2);
            let col_w = (rect.width.saturating_sub(2) as usize) / columns;
            let cell = |b: &keymap::Binding| {
                let keys = b.keys.iter().map(key_name).collect::<Vec<_>>().join(" ");
                vec![
                    Span::styled(format!(" {:<13}", fit(&keys, 13)), Style::default().fg(Color::Yellow)),
                    Span::raw(format!(
                        "{:<w$}",
                        fit(&app.t(b.label), col_w.saturating_sub(15)),
                        w = col_w.saturating_sub(14)
                    )),
                ]
            };
            let lines: Vec<Line> = (0..per_column)
                .map(|row| {
                    let mut spans = Vec::new();
                    for c in 0..columns {
                        if let Some(b) = list.get(c * per_column + row) {
                            spans.extend(cell(b));
                        }
                    }
                    Line::from(spans)
                })
                .collect();
            f.render_widget(Clear, rect);
            f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.help_title"))), rect);
        }
        Overlay::Palette(p) => {
            let rect = popup(area, 60, 16);
            let w = rect.width.saturating_sub(2) as usize;
            let entries = Action::palette();
            let mut lines = vec![input_line(": ", &p.input, w), Line::from("")];
            let room = rect.height.saturating_sub(4) as usize;
            let first = p.cursor.saturating_sub(room.saturating_sub(1));
            for (n, i) in p.matches.iter().enumerate().skip(first).take(room) {
                let label = app.t(entries[*i].1);
                let style =
                    if n == p.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
                lines.push(Line::from(Span::styled(fit(&format!(" {label}"), w), style)));
            }
            f.render_widget(Clear, rect);
            f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.palette_title"))), rect);
        }
        Overlay::Search(s) => {
            let rect = popup(area, 70, 20);
            let w = rect.width.saturating_sub(2) as usize;
            let mut lines = vec![input_line("/ ", &s.input, w), Line::from("")];
            let mut last = None;
            for (i, hit) in s.hits.iter().enumerate() {
                if last != Some(hit.entity) {
                    lines.push(Line::from(Span::styled(
                        app.t(&format!("entity.{}", hit.entity.code())),
                        Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                    )));
                    last = Some(hit.entity);
                }
                let style =
                    if i == s.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
                lines.push(Line::from(Span::styled(fit(&format!("  #{} {}", hit.id, hit.title), w), style)));
            }
            if s.hits.is_empty() && !s.input.text.trim().is_empty() {
                lines.push(Line::from(Span::styled(app.t("label.no_records"), Style::default().fg(Color::Gray))));
            }
            let cursor_line = lines
                .iter()
                .position(|l| {
                    l.spans
                        .iter()
                        .any(|sp| sp.style.add_modifier.contains(Modifier::REVERSED) && sp.content.starts_with("  #"))
                })
                .unwrap_or(0);
            let room = rect.height.saturating_sub(2) as usize;
            let skip = cursor_line.saturating_sub(room.saturating_sub(1));
            let lines: Vec<Line> =
                lines.into_iter().enumerate().filter(|(i, _)| *i < 2 || *i >= skip + 2).map(|(_, l)| l).collect();
            f.render_widget(Clear, rect);
            f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.search_title"))), rect);
        }
        Overlay::Prompt(p) => {
            let rect = popup(area, 64, if p.error.is_some() { 6 } else { 5 });
            let w = rect.width.saturating_sub(2) as usize;
            let mut lines = vec![
                input_line("> ", &p.input, w),
                Line::from(Span::styled(app.t("tui.prompt_hint"), Style::default().fg(Color::Gray))),
            ];
            if let Some(e) = &p.error {
                lines.push(Line::from(Span::styled(fit(e, w), Style::default().fg(Color::Red))));
            }
            f.render_widget(Clear, rect);
            f.render_widget(Paragraph::new(lines).block(frame_block(&p.title)), rect);
        }
        Overlay::Picker(p) => {
            let rect = popup(area, 50, p.items.len() as u16 + 2);
            let w = rect.width.saturating_sub(2) as usize;
            let room = rect.height.saturating_sub(2) as usize;
            let first = p.cursor.saturating_sub(room.saturating_sub(1));
            let lines: Vec<Line> = p
                .items
                .iter()
                .enumerate()
                .skip(first)
                .take(room)
                .map(|(i, (_, label))| {
                    let style = if i == p.cursor {
                        Style::default().add_modifier(Modifier::REVERSED)
                    } else {
                        Style::default()
                    };
                    Line::from(Span::styled(fit(&format!(" {label}"), w), style))
                })
                .collect();
            f.render_widget(Clear, rect);
            f.render_widget(Paragraph::new(lines).block(frame_block(&p.title)), rect);
        }
        Overlay::Plan(p) => {
            let rect = popup(area, 66, PlanForm::ROWS.len() as u16 + if p.error.is_some() { 5 } else { 4 });
            let w = rect.width.saturating_sub(2) as usize;
            let kinds = ["call", "meeting", "task", "email"];
            let priorities = ["low", "medium", "high"];
            let mut lines = Vec::new();
            for (i, (label, _)) in PlanForm::ROWS.iter().enumerate() {
                let focused = i == p.row;
                let value: Line = match i {
                    0 => Line::from(format!("‹ {} ›", app.t(&format!("activity_kind.{}", kinds[p.kind % 4])))),
                    1 => Line::from(format!("‹ {} ›", app.t(WHEN_CHOICES[p.when % WHEN_CHOICES.len()]))),
                    2 => input_or_text(&p.date, focused, &app.t("tui.plan_date_hint")),
                    3 => input_or_text(
                        &p.subject,
                        focused,
                        &format!("{} {}", app.t(&format!("activity.{}", kinds[p.kind % 4])), p.record_title),
                    ),
                    4 => input_or_text(&p.duration, focused, ""),
                    5 => Line::from(format!("‹ {} ›", app.t(&format!("tui.priority_{}", priorities[p.priority % 3])))),
                    6 => Line::from(format!(
                        "‹ {} ›",
                        app.users.get(p.responsible).map(|u| u.1.clone()).unwrap_or_default()
                    )),
                    _ => input_or_text(&p.reminder, focused, &app.t("tui.plan_no_reminder")),
                };
                let label_style = if focused {
                    Style::default().add_modifier(Modifier::REVERSED)
                } else {
                    Style::default().fg(Color::Gray)
                };
                let mut spans =
                    vec![Span::styled(format!(" {:<16}", fit(&app.t(label), 16)), label_style), Span::raw(" ")];
                spans.extend(value.spans);
                lines.push(Line::from(spans));
            }
            lines.push(Line::from(Span::styled(fit(&app.t("tui.plan_keys"), w), Style::default().fg(Color::Gray))));
            if let Some(e) = &p.error {
                lines.push(Line::from(Span::styled(fit(e, w), Style::default().fg(Color::Red))));
            }
            f.render_widget(Clear, rect);
            let key = if p.editing.is_some() { "tui.edit_activity_title" } else { "tui.plan_title" };
            let title = app.ta(key, &[("title", &p.record_title)]);
            f.render_widget(Paragraph::new(lines).block(frame_block(&fit(&title, w.saturating_sub(4)))), rect);
        }
        Overlay::Confirm(c) => {
            let rect = popup(area, 56, 5);
            let w = rect.width.saturating_sub(2) as usize;
            let lines = vec![
                Line::from(fit(&c.message, w)),
                Line::from(""),
                Line::from(Span::styled(app.t("tui.confirm_keys"), Style::default().fg(Color::Gray))),
            ];
            f.render_widget(Clear, rect);
            f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.confirm_title"))), rect);
        }
    }
}
