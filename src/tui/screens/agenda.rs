//! The activities board (SPEC V3): leads by their nearest open activity, in six columns from
//! Overdue to No activity; `H`/`L` plan a call into the column on that side. Its state,
//! keys, store answers and drawing.

use crate::domain::agenda::ActivityBucket;
use crate::domain::fields::Entity;
use crate::store::RecordRef;
use crate::store::RecordSummary;
use crate::tui::action::Action;
use crate::tui::app::{App, CARD_HEIGHT, PAGE, info};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::keymap::{Binding, b, code, column_navigation, k};
use crate::tui::overlays::plan::open_plan;
use crate::tui::screens::board::card_lines;
use crate::tui::screens::form::open_record;
use crate::tui::widgets::fit;
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// A column of the activities board.
#[derive(Clone, Debug)]
pub struct AgendaColumn {
    /// Which bucket.
    pub bucket: crate::domain::agenda::ActivityBucket,
    /// Records in it.
    pub count: i64,
    /// Loaded rows, soonest activity first.
    pub rows: Vec<RecordSummary>,
    /// Focused row.
    pub cursor: usize,
    /// First row drawn.
    pub scroll: usize,
    /// A page request is in flight.
    pub pending: bool,
}

/// The activities board (SPEC V3).
#[derive(Clone, Debug, Default)]
pub struct AgendaBoard {
    /// Six columns, Overdue to No activity.
    pub columns: Vec<AgendaColumn>,
    /// Focused column.
    pub focus: usize,
    /// Counts have arrived.
    pub loaded: bool,
}

/// Keys of the activities board.
pub fn bindings() -> Vec<Binding> {
    use Action::*;
    [
        column_navigation(),
        vec![
            b(&[k('H')], MovePrev, "tui.key_drop_prev", true),
            b(&[k('L')], MoveNext, "tui.key_drop_next", true),
            b(&[k('a')], PlanActivity, "tui.key_plan", true),
            b(&[code(KeyCode::Enter)], Open, "tui.key_open", true),
        ],
    ]
    .concat()
}

/// The app's "now" in local time.
pub(crate) fn local_now(app: &App) -> chrono::DateTime<chrono::Local> {
    crate::domain::when::from_ms(app.now_ms).with_timezone(&chrono::Local)
}

/// Bucket bounds from the app's now: now, tomorrow, next week, week after (unix ms).
pub fn agenda_bounds(app: &App) -> [i64; 4] {
    let b = crate::domain::agenda::bounds(&local_now(app));
    [
        b.now.timestamp_millis(),
        b.tomorrow.timestamp_millis(),
        b.next_week.timestamp_millis(),
        b.week_after.timestamp_millis(),
    ]
}

fn bucket_range(bucket: crate::domain::agenda::ActivityBucket, b: [i64; 4]) -> crate::store::records::NextActivity {
    use crate::domain::agenda::ActivityBucket::*;
    use crate::store::records::NextActivity::*;
    match bucket {
        Overdue => Between(None, Some(b[0])),
        Today => Between(Some(b[0]), Some(b[1])),
        ThisWeek => Between(Some(b[1]), Some(b[2])),
        NextWeek => Between(Some(b[2]), Some(b[3])),
        Later => Between(Some(b[3]), None),
        NoActivity => Nothing,
    }
}

/// Rows of a paged column or list (activities board, calendar day) the cursor may come
/// within before the next page is asked for. A first page is a screenful and twice this.
pub(crate) const LOAD_AHEAD: usize = 20;

fn agenda_page(app: &mut App, index: usize, offset: usize) -> Option<Effect> {
    let bounds = agenda_bounds(app);
    // A screen of cards and what the cursor reaches before the next page comes: six columns
    // of a full `PAGE` each were half of the board's time at 100k leads.
    let limit = (app.cards_per_screen() + 2 * LOAD_AHEAD).min(PAGE);
    let col = app.agenda.columns.get_mut(index)?;
    if col.pending {
        return None;
    }
    col.pending = true;
    Some(Effect::LoadAgendaPage { bucket: col.bucket, range: bucket_range(col.bucket, bounds), offset, limit })
}

/// An action on the activities board.
pub(crate) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    use crate::domain::agenda::{self, ActivityBucket};
    if app.agenda.columns.is_empty() {
        return vec![];
    }
    let per = app.cards_per_screen();
    match action {
        Action::Left => app.agenda.focus = app.agenda.focus.saturating_sub(1),
        Action::Right => app.agenda.focus = (app.agenda.focus + 1).min(app.agenda.columns.len() - 1),
        Action::Up | Action::Down | Action::Top | Action::Bottom => {
            let focus = app.agenda.focus;
            let col = &mut app.agenda.columns[focus];
            let last = col.rows.len().saturating_sub(1);
            col.cursor = match action {
                Action::Up => col.cursor.saturating_sub(1),
                Action::Down => (col.cursor + 1).min(last),
                Action::Top => 0,
                _ => last,
            };
            if col.cursor < col.scroll {
                col.scroll = col.cursor;
            }
            if col.cursor >= col.scroll + per {
                col.scroll = col.cursor + 1 - per;
            }
            if col.cursor + LOAD_AHEAD >= col.rows.len() && (col.rows.len() as i64) < col.count {
                let offset = col.rows.len();
                return agenda_page(app, focus, offset).into_iter().collect();
            }
        }
        Action::MovePrev | Action::MoveNext => {
            let focus = app.agenda.focus;
            let Some(card) = app.agenda.columns[focus].rows.get(app.agenda.columns[focus].cursor).cloned() else {
                return vec![];
            };
            let target = if action == Action::MoveNext { focus + 1 } else { focus.wrapping_sub(1) };
            let Some(bucket) = ActivityBucket::ALL.get(target).copied() else { return vec![] };
            if !bucket.accepts_drops() {
                info(app, app.t("tui.no_drop"));
                return vec![];
            }
            let Some(deadline) = agenda::drop_deadline(bucket, &local_now(app)) else { return vec![] };
            return vec![Effect::PlanActivity {
                targets: vec![RecordRef::new(Entity::Lead, card.id)],
                kind: crate::domain::activity::ActivityKind::Call,
                subject: String::new(),
                deadline: deadline.timestamp_millis(),
                duration_minutes: Some(30),
                priority: crate::domain::activity::Priority::Medium,
                responsible: Some(app.user.clone()),
                reminder_minutes: None,
            }];
        }
        Action::CompleteActivity => {
            let col = &app.agenda.columns[app.agenda.focus];
            if let Some(card) = col.rows.get(col.cursor) {
                return vec![Effect::CompleteNext { entity: Entity::Lead, id: card.id }];
            }
        }
        Action::Open | Action::PlanActivity => {
            let col = &app.agenda.columns[app.agenda.focus];
            if let Some(card) = col.rows.get(col.cursor).cloned() {
                if action == Action::Open {
                    return open_record(app, Entity::Lead, card.id);
                }
                open_plan(app, vec![RecordRef::new(Entity::Lead, card.id)], card.title);
            }
        }
        _ => {}
    }
    vec![]
}

/// Column counts and pages.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::AgendaCounts(counts) => {
            if app.agenda.columns.is_empty() {
                app.agenda.columns = crate::domain::agenda::ActivityBucket::ALL
                    .iter()
                    .map(|b| AgendaColumn { bucket: *b, count: 0, rows: vec![], cursor: 0, scroll: 0, pending: false })
                    .collect();
            }
            app.agenda.loaded = true;
            for (col, n) in app.agenda.columns.iter_mut().zip(counts) {
                col.count = n;
                col.pending = false;
            }
            (0..app.agenda.columns.len()).filter_map(|i| agenda_page(app, i, 0)).collect()
        }
        StoreEvent::AgendaPage { bucket, offset, rows } => {
            if let Some(col) = app.agenda.columns.iter_mut().find(|c| c.bucket == bucket) {
                col.pending = false;
                if offset == 0 {
                    col.rows = rows;
                } else if offset == col.rows.len() {
                    col.rows.extend(rows);
                }
                col.cursor = col.cursor.min(col.rows.len().saturating_sub(1));
                col.scroll = col.scroll.min(col.cursor);
            }
            vec![]
        }
        _ => vec![],
    }
}

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
