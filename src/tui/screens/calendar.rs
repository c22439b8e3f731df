//! The calendar (SPEC V4): a month or week grid of activity counts and the selected day's
//! activities beside it, and records by a date field chosen with `f` (deals by close date,
//! leads by a "callback" field of the team's own); its state, keys, store answers and drawing.

use crate::domain::dated::DateField;
use crate::domain::when::from_ms;
use crate::tui::action::Action;
use crate::tui::app::{App, Confirm, Overlay};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::keymap::{Binding, b, code, k};
use crate::tui::overlays::plan::open_edit_activity;
use crate::tui::screens::agenda::{LOAD_AHEAD, local_now};
use crate::tui::screens::form::open_record;
use crate::tui::widgets::fit;
use chrono::{Datelike, Duration, Local, Timelike};
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

impl Calendar {
    /// Activities of the selected day, in time order (the agenda beside the grid).
    pub fn day_activities(&self) -> Vec<&crate::store::activities::ActivityRow> {
        self.activities
            .iter()
            .filter(|a| crate::domain::when::from_ms(a.deadline).with_timezone(&chrono::Local).date_naive() == self.day)
            .collect()
    }

    /// What the day's agenda lists: its activities, then its records by the date field.
    fn items(&self) -> usize {
        self.day_activities().len() + self.dated.len()
    }
}

/// The calendar (SPEC V4).
#[derive(Clone, Debug)]
pub struct Calendar {
    /// Selected day.
    pub day: chrono::NaiveDate,
    /// Week grid instead of month grid.
    pub week: bool,
    /// Activities per day of the shown range.
    pub counts: std::collections::BTreeMap<chrono::NaiveDate, i64>,
    /// Activities of the selected day, a page at a time.
    pub activities: Vec<crate::store::activities::ActivityRow>,
    /// The week grid's cells (`agenda::week_grid_slots`), day by day, hour by hour; empty
    /// for the month grid.
    pub hours: Vec<crate::store::activities::ActivitySlot>,
    /// Focused activity of the selected day's agenda.
    pub cursor: usize,
    /// A next page of the day's list is on its way.
    pub pending: bool,
    /// The date field records are shown by beside the activities, if one is chosen.
    pub by: Option<DateField>,
    /// The date fields there are to choose from (read when `f` is pressed).
    pub choices: Vec<DateField>,
    /// Records per day of the shown range by that field.
    pub dated_counts: std::collections::BTreeMap<chrono::NaiveDate, i64>,
    /// The selected day's records by that field, after its activities in the agenda.
    pub dated: Vec<crate::store::records::RecordSummary>,
}

/// Keys of the calendar.
pub fn bindings() -> Vec<Binding> {
    use Action::*;
    vec![
        b(&[k('h'), code(KeyCode::Left)], Left, "tui.key_prev_day", false),
        b(&[k('l'), code(KeyCode::Right)], Right, "tui.key_next_day", false),
        b(&[k('k'), code(KeyCode::Up)], Up, "tui.key_prev_week", false),
        b(&[k('j'), code(KeyCode::Down)], Down, "tui.key_next_week", false),
        b(&[k('[')], PrevMonth, "tui.key_prev_month", true),
        b(&[k(']')], NextMonth, "tui.key_next_month", true),
        b(&[k('t')], Today, "tui.key_today", true),
        b(&[k('w')], ToggleWeek, "tui.key_week", true),
        b(&[k('f')], CalendarBy, "tui.key_calendar_by", true),
        b(&[k('J')], PageDown, "tui.key_agenda_down", false),
        b(&[k('K')], PageUp, "tui.key_agenda_up", false),
        b(&[k('x')], CompleteActivity, "tui.key_complete", false),
        b(&[k('e')], Edit, "tui.key_reschedule", true),
        b(&[k('D')], DeleteActivity, "tui.key_delete_activity", false),
        b(&[code(KeyCode::Enter)], Open, "tui.key_open_activity", true),
    ]
}

/// First and last (exclusive) day the calendar shows: six weeks from the Monday on or before
/// the 1st of the month, or the selected day's week.
pub fn calendar_range(cal: &Calendar) -> (chrono::NaiveDate, chrono::NaiveDate) {
    use chrono::Datelike;
    if cal.week {
        let monday = cal.day - chrono::Duration::days(cal.day.weekday().num_days_from_monday() as i64);
        (monday, monday + chrono::Duration::days(7))
    } else {
        let first = cal.day.with_day(1).unwrap_or(cal.day);
        let start = first - chrono::Duration::days(first.weekday().num_days_from_monday() as i64);
        (start, start + chrono::Duration::days(42))
    }
}

/// What the calendar asks for: the counts of the days shown (and the week grid's cells), and a
/// page of the selected day's activities.
pub(crate) fn calendar_effect(app: &App) -> Effect {
    use crate::domain::agenda::day_start;
    let (from, to) = calendar_range(&app.calendar);
    let ms = |d: chrono::NaiveDate| day_start(&chrono::Local, d).timestamp_millis();
    let (list_from, list_to) = day_range(app.calendar.day);
    let days = (0..(to - from).num_days())
        .map(|i| from + chrono::Duration::days(i))
        .map(|d| (d, ms(d), ms(d + chrono::Duration::days(1))))
        .collect();
    // The week grid's cells are counted by the store (a week of the dense 100k demo holds
    // 4,900 activities of one user); the selected day's list takes a page, and more as the
    // cursor goes down.
    let hours = if app.calendar.week { crate::domain::agenda::week_grid_slots(&chrono::Local, from) } else { vec![] };
    let by = app.calendar.by.clone();
    Effect::LoadCalendar { days, list_from, list_to, limit: calendar_page(app), hours, by, day: app.calendar.day }
}

/// `[start, end)` of a local day, in unix ms.
fn day_range(day: chrono::NaiveDate) -> (i64, i64) {
    let ms = |d: chrono::NaiveDate| crate::domain::agenda::day_start(&chrono::Local, d).timestamp_millis();
    (ms(day), ms(day + chrono::Duration::days(1)))
}

/// A page of the day's list: a screenful (two lines an activity) and what the cursor reaches
/// before the next page comes. A day of the dense 100k demo holds about 970 activities, and
/// loading them all was most of the calendar's time.
fn calendar_page(app: &App) -> usize {
    app.rows_per_screen() / 2 + 2 * LOAD_AHEAD
}

/// The next page of the day's list, when the cursor comes near the end of what is loaded and
/// the day's count says there is more.
fn calendar_more(app: &mut App) -> Vec<Effect> {
    let limit = calendar_page(app);
    let cal = &mut app.calendar;
    let loaded = cal.day_activities().len();
    let total = cal.counts.get(&cal.day).copied().unwrap_or(0) as usize;
    if cal.pending || loaded >= total || cal.cursor + LOAD_AHEAD < loaded {
        return vec![];
    }
    let Some(last) = cal.activities.last() else { return vec![] };
    let (list_from, list_to) = day_range(cal.day);
    cal.pending = true;
    vec![Effect::LoadCalendarPage { list_from, list_to, after: (last.deadline, last.id), limit }]
}

/// An action on the calendar.
pub(crate) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let today = local_now(app).date_naive();
    let cal = &mut app.calendar;
    let day = cal.day;
    match action {
        Action::Left => cal.day = day - chrono::Duration::days(1),
        Action::Right => cal.day = day + chrono::Duration::days(1),
        Action::Up => cal.day = day - chrono::Duration::days(7),
        Action::Down => cal.day = day + chrono::Duration::days(7),
        Action::PrevMonth => cal.day = day.checked_sub_months(chrono::Months::new(1)).unwrap_or(day),
        Action::NextMonth => cal.day = day.checked_add_months(chrono::Months::new(1)).unwrap_or(day),
        Action::Today => cal.day = today,
        Action::ToggleWeek => cal.week = !cal.week,
        Action::PageDown => {
            // The day's records follow its activities once all of them are loaded: a page
            // arriving later would slide the records under the cursor.
            let loaded = cal.day_activities().len();
            let all_in = loaded as i64 >= cal.counts.get(&cal.day).copied().unwrap_or(0);
            let last = if all_in { cal.items() } else { loaded }.saturating_sub(1);
            cal.cursor = (cal.cursor + 1).min(last);
            return calendar_more(app);
        }
        Action::CalendarBy => return vec![Effect::LoadDateFields],
        Action::PageUp => {
            cal.cursor = cal.cursor.saturating_sub(1);
            return vec![];
        }
        Action::Open => {
            let activities = cal.day_activities();
            let target = match activities.get(cal.cursor) {
                Some(a) => a.record(),
                None => {
                    let record = cal.dated.get(cal.cursor - activities.len());
                    record.zip(cal.by.as_ref()).map(|(r, by)| crate::store::RecordRef::new(by.entity, r.id))
                }
            };
            return match target {
                Some(r) => open_record(app, r.entity, r.id),
                None => vec![],
            };
        }
        Action::CompleteActivity => {
            return match cal.day_activities().get(cal.cursor) {
                Some(a) if !a.completed => vec![Effect::CompleteActivity { id: a.id }],
                _ => vec![],
            };
        }
        Action::Edit | Action::DeleteActivity => {
            let Some(a) = cal.day_activities().get(cal.cursor).map(|a| (*a).clone()) else { return vec![] };
            if action == Action::Edit {
                open_edit_activity(app, &a);
            } else {
                app.overlay = Overlay::Confirm(Confirm {
                    message: app.ta("tui.confirm_delete_activity", &[("subject", &a.subject)]),
                    on_yes: Effect::DeleteActivity { id: a.id },
                });
            }
            return vec![];
        }
        _ => return vec![],
    }
    if app.calendar.day != day {
        app.calendar.cursor = 0;
    }
    vec![calendar_effect(app)]
}

/// The range's counts, the day's activities and pages of them.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::CalendarData { counts, activities, hours, dated_counts, dated } => {
            let cal = &mut app.calendar;
            cal.counts = counts.into_iter().collect();
            cal.activities = activities;
            cal.hours = hours;
            cal.dated_counts = dated_counts.into_iter().collect();
            cal.dated = dated;
            cal.pending = false;
            cal.cursor = cal.cursor.min(cal.items().saturating_sub(1));
            vec![]
        }
        StoreEvent::DateFields(fields) => {
            let current = app.calendar.by.as_ref().map(DateField::name).unwrap_or_default();
            let mut items = vec![(String::new(), app.t("tui.calendar_by_none"))];
            items.extend(fields.iter().map(|f| (f.name(), date_field_label(app, f))));
            let cursor = items.iter().position(|(name, _)| *name == current).unwrap_or(0);
            app.calendar.choices = fields;
            let title = app.t("tui.act_calendar_by");
            app.overlay = Overlay::Picker(crate::tui::overlays::picker::Picker {
                purpose: crate::tui::overlays::picker::PickPurpose::CalendarBy,
                title,
                items,
                cursor,
            });
            vec![]
        }
        StoreEvent::CalendarPage { list_from, activities } => {
            let cal = &mut app.calendar;
            // A page of a day no longer shown (the selection moved, or the list was loaded
            // again, meanwhile) is dropped.
            if cal.pending && day_range(cal.day).0 == list_from {
                cal.activities.extend(activities);
                cal.pending = false;
            }
            vec![]
        }
        _ => vec![],
    }
}

/// A date field picked (`entity:code`; empty: activities only): the calendar loads again.
pub(crate) fn by_picked(app: &mut App, value: String) -> Vec<Effect> {
    app.calendar.by = app.calendar.choices.iter().find(|f| f.name() == value).cloned();
    app.calendar.dated.clear();
    app.calendar.dated_counts.clear();
    app.calendar.cursor = 0;
    vec![calendar_effect(app)]
}

/// A date field as the calendar names it: "Deal · Close date".
fn date_field_label(app: &App, f: &DateField) -> String {
    let label = match f.custom_label(app.lang) {
        Some(l) => l.to_string(),
        None => app.t(&format!("field.{}", f.code)),
    };
    format!("{} · {label}", app.t(&format!("entity.{}", f.entity.code())))
}

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
                let dated = cal.dated_counts.get(&day).copied().unwrap_or(0);
                let mut lines =
                    vec![Line::from(Span::styled(fit(&format!("{:>2}", day.day()), rect.width as usize), style))];
                let mut marks = Vec::new();
                if count > 0 {
                    marks.push(Span::styled(format!("•{count} "), Style::default().fg(Color::Yellow)));
                }
                if dated > 0 {
                    marks.push(Span::styled(format!("◆{dated}"), Style::default().fg(Color::Magenta)));
                }
                if !marks.is_empty() {
                    lines.push(Line::from(marks));
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
        let dated = match cal.dated_counts.get(&day) {
            Some(m) => format!(" ◆{m}"),
            None => String::new(),
        };
        head.push(Span::styled(
            format!("{:<w$}", fit(&format!("{:02} ({n}){dated}", day.day()), cell_w as usize), w = cell_w as usize),
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
    // The line of the focused item, so the list starts where it stays in view.
    let mut focus_line = 0;
    if items.is_empty() {
        lines.push(Line::from(Span::styled(app.t("tui.no_activity_day"), Style::default().fg(Color::Gray))));
    }
    let focused =
        |i: usize| if i == cal.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
    for (i, a) in items.iter().enumerate() {
        let t = from_ms(a.deadline).with_timezone(&Local);
        let mark = if a.completed {
            "✓"
        } else if a.deadline < app.now_ms {
            "!"
        } else {
            " "
        };
        if i == cal.cursor {
            focus_line = lines.len();
        }
        let kind = app.t(&format!("activity_kind.{}", a.kind.code()));
        lines.push(Line::from(Span::styled(
            fit(&format!("{mark}{:02}:{:02} {kind} · {}", t.hour(), t.minute(), a.subject), w),
            focused(i),
        )));
        if let Some((e, id, title)) = a.bindings.first() {
            let who = app.t(&format!("entity.{}", e.code()));
            lines.push(Line::from(Span::styled(
                fit(&format!("   {who} #{id} {title}"), w),
                Style::default().fg(Color::Gray),
            )));
        }
    }
    if let Some(by) = &cal.by {
        draw_dated(app, by, items.len(), &mut lines, &mut focus_line, w);
    }
    let room = area.height.saturating_sub(1) as usize;
    let first = (focus_line + 2).saturating_sub(room);
    let lines: Vec<Line> = lines.into_iter().skip(first).collect();
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// The day's records by the date field chosen, under its activities: a heading naming the
/// field and how many fall on the day, then one line each (`first`: the first one's index
/// among the agenda's items).
fn draw_dated(app: &App, by: &DateField, first: usize, lines: &mut Vec<Line>, focus_line: &mut usize, w: usize) {
    let cal = &app.calendar;
    let count = cal.dated_counts.get(&cal.day).copied().unwrap_or(0);
    lines.push(Line::from(""));
    let heading = app.ta("tui.calendar_dated", &[("field", &date_field_label(app, by)), ("count", &count.to_string())]);
    lines.push(Line::from(Span::styled(
        fit(&heading, w),
        Style::default().fg(Color::Magenta).add_modifier(Modifier::BOLD),
    )));
    for (i, r) in cal.dated.iter().enumerate() {
        let at = if by.with_time {
            let stored = r.fields.get(&by.code).and_then(|v| v.parse::<i64>().ok());
            stored.map(|ms| from_ms(ms).with_timezone(&Local).format("%H:%M ").to_string()).unwrap_or_default()
        } else {
            String::new()
        };
        let amount = match (r.amount_minor, r.currency.as_deref()) {
            (Some(minor), cur @ Some(_)) if minor != 0 => format!(" · {}", crate::present::money(app.lang, minor, cur)),
            _ => String::new(),
        };
        if first + i == cal.cursor {
            *focus_line = lines.len();
        }
        let style =
            if first + i == cal.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
        lines.push(Line::from(Span::styled(fit(&format!("◆ {at}#{} {}{amount}", r.id, r.title), w), style)));
    }
    let more = count - cal.dated.len() as i64;
    if more > 0 {
        let text = app.ta("tui.calendar_dated_more", &[("count", &more.to_string())]);
        lines.push(Line::from(Span::styled(fit(&text, w), Style::default().fg(Color::Gray))));
    }
}
