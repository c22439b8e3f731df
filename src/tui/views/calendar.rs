//! Calendar (SPEC V4): month grid or week grid with hours, and the selected day's agenda.

use super::super::app::App;
use super::super::update::calendar_range;
use super::fit;
use crate::domain::when::from_ms;
use chrono::{Datelike, Duration, Local, Timelike};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

const DAY_KEYS: [&str; 7] = ["tui.mon", "tui.tue", "tui.wed", "tui.thu", "tui.fri", "tui.sat", "tui.sun"];

/// Draws the calendar.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let cal = &app.calendar;
    let today = from_ms(app.now_ms).with_timezone(&Local).date_naive();
    let [grid_area, agenda_area] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(area);
    let month = app.t(&format!("tui.month_{}", cal.day.month()));
    let title = format!(" {month} {} ", cal.day.year());
    if grid_area.height < 3 || grid_area.width < 14 {
        return;
    }
    f.render_widget(
        Paragraph::new(Span::styled(title, Style::default().add_modifier(Modifier::BOLD))),
        Rect { height: 1, ..grid_area },
    );
    let grid = Rect { y: grid_area.y + 1, height: grid_area.height - 1, ..grid_area };
    let cell_w = (grid.width / 7).max(1);
    // Day names.
    let names: Vec<Span> = DAY_KEYS
        .iter()
        .map(|k| {
            Span::styled(
                format!("{:<w$}", fit(&app.t(k), cell_w as usize), w = cell_w as usize),
                Style::default().fg(Color::Gray),
            )
        })
        .collect();
    f.render_widget(Paragraph::new(Line::from(names)), Rect { height: 1, ..grid });
    let body = Rect { y: grid.y + 1, height: grid.height.saturating_sub(1), ..grid };
    let (start, end) = calendar_range(cal);
    if cal.week {
        draw_week(app, f, body, start, cell_w);
    } else {
        let weeks = ((end - start).num_days() / 7) as u16;
        let cell_h = (body.height / weeks.max(1)).max(1);
        for w in 0..weeks {
            for d in 0..7u16 {
                let day = start + Duration::days((w * 7 + d) as i64);
                let rect = Rect {
                    x: body.x + d * cell_w,
                    y: body.y + w * cell_h,
                    width: cell_w.saturating_sub(1).max(1),
                    height: cell_h,
                };
                if rect.y >= body.y + body.height {
                    continue;
                }
                let rect = rect.intersection(body);
                let mut style = Style::default();
                if day.month() != cal.day.month() {
                    style = style.fg(Color::DarkGray);
                }
                if day == today {
                    style = style.add_modifier(Modifier::BOLD).fg(Color::Cyan);
                }
                if day == cal.day {
                    style = style.add_modifier(Modifier::REVERSED);
                }
                let count = cal.counts.get(&day).copied().unwrap_or(0);
                let mut lines =
                    vec![Line::from(Span::styled(fit(&format!("{:>2}", day.day()), rect.width as usize), style))];
                if count > 0 {
                    lines.push(Line::from(Span::styled(
                        fit(&format!("•{count}"), rect.width as usize),
                        Style::default().fg(Color::Yellow),
                    )));
                }
                f.render_widget(Paragraph::new(lines), rect);
            }
        }
    }
    draw_agenda(app, f, agenda_area);
}

fn draw_week(app: &App, f: &mut Frame, body: Rect, monday: chrono::NaiveDate, cell_w: u16) {
    let cal = &app.calendar;
    // Header with dates, then one row per hour from 08:00 to 19:00.
    let mut head = Vec::new();
    for d in 0..7 {
        let day = monday + Duration::days(d);
        let style = if day == cal.day { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
        let n = cal.counts.get(&day).copied().unwrap_or(0);
        head.push(Span::styled(
            format!("{:<w$}", fit(&format!("{:02} ({n})", day.day()), cell_w as usize), w = cell_w as usize),
            style,
        ));
    }
    let mut lines = vec![Line::from(head)];
    let no_activity = crate::store::activities::ActivitySlot::default();
    for hour in crate::domain::agenda::WEEK_GRID_HOURS {
        let mut spans = Vec::new();
        for d in 0..7 {
            // The store counted each cell (`agenda::week_grid_slots`).
            let cell = cal.hours.get(crate::domain::agenda::week_grid_cell(d, hour)).unwrap_or(&no_activity);
            let text = match (cell.count, &cell.only) {
                (0, _) => {
                    if d == 0 {
                        format!("{hour:02}h")
                    } else {
                        String::new()
                    }
                }
                (1, Some((deadline, subject))) => {
                    let t = from_ms(*deadline).with_timezone(&Local);
                    format!("{:02}:{:02} {subject}", t.hour(), t.minute())
                }
                (n, _) => format!("{hour:02}h ×{n}"),
            };
            let style = if cell.overdue { Style::default().fg(Color::Red) } else { Style::default() };
            spans.push(Span::styled(
                format!("{:<w$}", fit(&text, cell_w.saturating_sub(1) as usize), w = cell_w as usize),
                style,
            ));
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), body);
}

fn draw_agenda(app: &App, f: &mut Frame, area: Rect) {
    let cal = &app.calendar;
    let day = crate::present::date(app.lang, crate::domain::agenda::day_start(&Local, cal.day).timestamp_millis());
    let block = Block::default()
        .borders(Borders::LEFT)
        .title(Span::styled(format!(" {day} "), Style::default().add_modifier(Modifier::BOLD)));
    let w = area.width.saturating_sub(2) as usize;
    let items = cal.day_activities();
    let mut lines = Vec::new();
    if items.is_empty() {
        lines.push(Line::from(Span::styled(app.t("tui.no_activity_day"), Style::default().fg(Color::Gray))));
    }
    // Two lines an activity: the list starts where the cursor stays in view.
    let room = (area.height as usize / 2).max(1);
    let first = cal.cursor.saturating_sub(room - 1);
    for (i, a) in items.iter().enumerate().skip(first) {
        let t = from_ms(a.deadline).with_timezone(&Local);
        let mark = if a.completed {
            "✓"
        } else if a.deadline < app.now_ms {
            "!"
        } else {
            " "
        };
        let style = if i == cal.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
        let kind = app.t(&format!("activity_kind.{}", a.kind.code()));
        lines.push(Line::from(Span::styled(
            fit(&format!("{mark}{:02}:{:02} {kind} · {}", t.hour(), t.minute(), a.subject), w),
            style,
        )));
        if let Some((e, id, title)) = a.bindings.first() {
            let who = app.t(&format!("entity.{}", e.code()));
            lines.push(Line::from(Span::styled(
                fit(&format!("   {who} #{id} {title}"), w),
                Style::default().fg(Color::Gray),
            )));
        }
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}
