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
    /// Everyone's leads rather than the user's own (the default, as the status bar's
    /// counters): the list's "mine" choice, `M`.
    pub everyone: bool,
    /// A card just planned into another column, until the reloaded rows hold it: the cursor
    /// goes to it, and keys typed meanwhile act on it.
    pub follow: Option<Follow>,
}

/// The card the activities board's cursor follows after `H`/`L`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Follow {
    /// The column it was planned into.
    pub bucket: ActivityBucket,
    /// The lead.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Calls planned on it not saved yet: rows read before they are may show it elsewhere.
    pub plans: usize,
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
            b(&[k('x')], CompleteActivity, "tui.key_complete_next", false),
            b(&[code(KeyCode::Enter)], Open, "tui.key_open", true),
            b(&[k('M')], FilterMine, "tui.key_agenda_scope", true),
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

/// The leads of a bucket, by their nearest open activity, against `agenda_bounds`.
pub(crate) fn bucket_range(
    bucket: crate::domain::agenda::ActivityBucket,
    b: [i64; 4],
) -> crate::store::records::NextActivity {
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

/// What the board shows: leads, or deals in CRM simple mode (which has none).
pub fn agenda_entity(app: &App) -> Entity {
    app.crm_mode.first_entity()
}

/// Whose leads the board shows: the user's, or everyone's (`None`).
fn responsible(app: &App) -> Option<String> {
    (!app.agenda.everyone).then(|| app.user.clone())
}

/// The column counts of the board, for the leads it shows.
pub(crate) fn load(app: &App) -> Effect {
    Effect::LoadAgenda { entity: agenda_entity(app), bounds: agenda_bounds(app), responsible: responsible(app) }
}

fn agenda_page(app: &mut App, index: usize, offset: usize) -> Option<Effect> {
    let bounds = agenda_bounds(app);
    let responsible = responsible(app);
    let entity = agenda_entity(app);
    // A screen of cards and what the cursor reaches before the next page comes: six columns
    // of a full `PAGE` each were half of the board's time at 100k leads.
    let limit = (app.cards_per_screen() + 2 * LOAD_AHEAD).min(PAGE);
    let col = app.agenda.columns.get_mut(index)?;
    if col.pending {
        return None;
    }
    col.pending = true;
    Some(Effect::LoadAgendaPage {
        entity,
        bucket: col.bucket,
        range: bucket_range(col.bucket, bounds),
        responsible,
        offset,
        limit,
    })
}

/// An action on the activities board.
pub(crate) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    use crate::domain::agenda::{self, ActivityBucket};
    if app.agenda.columns.is_empty() {
        return vec![];
    }
    let per = app.cards_per_screen();
    if matches!(
        action,
        Action::Left
            | Action::Right
            | Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::FocusAt { .. }
            | Action::Wheel { .. }
    ) {
        // Moving the cursor by hand ends following a planned card.
        app.agenda.follow = None;
    }
    match action {
        Action::FilterMine => {
            app.agenda.everyone = !app.agenda.everyone;
            app.agenda.follow = None;
            for col in &mut app.agenda.columns {
                col.rows.clear();
                col.cursor = 0;
                col.scroll = 0;
            }
            return vec![load(app)];
        }
        Action::Left => app.agenda.focus = app.agenda.focus.saturating_sub(1),
        Action::Right => app.agenda.focus = (app.agenda.focus + 1).min(app.agenda.columns.len() - 1),
        // A click focuses a card, the wheel moves the cursor in the column under it.
        Action::Up | Action::Down | Action::Top | Action::Bottom | Action::FocusAt { .. } | Action::Wheel { .. } => {
            if let Action::FocusAt { column, .. } | Action::Wheel { column, .. } = action {
                if column >= app.agenda.columns.len() {
                    return vec![];
                }
                app.agenda.focus = column;
            }
            let focus = app.agenda.focus;
            let col = &mut app.agenda.columns[focus];
            let last = col.rows.len().saturating_sub(1);
            col.cursor = match action {
                Action::Up | Action::Wheel { down: false, .. } => col.cursor.saturating_sub(1),
                Action::Down | Action::Wheel { down: true, .. } => (col.cursor + 1).min(last),
                Action::FocusAt { row, .. } => row.min(last),
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
            // The card planned last while its new column reloads, else the focused one.
            let (from, id, title) = match &app.agenda.follow {
                Some(f) => {
                    (ActivityBucket::ALL.iter().position(|b| *b == f.bucket).unwrap_or(0), f.id, f.title.clone())
                }
                None => {
                    let focus = app.agenda.focus;
                    let Some(card) = app.agenda.columns[focus].rows.get(app.agenda.columns[focus].cursor) else {
                        return vec![];
                    };
                    (focus, card.id, card.title.clone())
                }
            };
            let target = if action == Action::MoveNext { from + 1 } else { from.wrapping_sub(1) };
            let Some(bucket) = ActivityBucket::ALL.get(target).copied() else { return vec![] };
            if !bucket.accepts_drops() {
                info(app, app.t("tui.no_drop"));
                return vec![];
            }
            let Some(deadline) = agenda::drop_deadline(bucket, &local_now(app)) else { return vec![] };
            // The cursor goes with the card, as on the Kanban: the next `H` moves it again.
            app.agenda.focus = target;
            let plans = app.agenda.follow.as_ref().filter(|f| f.id == id).map_or(0, |f| f.plans) + 1;
            app.agenda.follow = Some(Follow { bucket, id, title, plans });
            return vec![Effect::PlanActivity {
                targets: vec![RecordRef::new(agenda_entity(app), id)],
                kind: crate::domain::activity::ActivityKind::Call,
                subject: String::new(),
                deadline: deadline.timestamp_millis(),
                duration_minutes: Some(30),
                priority: crate::domain::activity::Priority::Medium,
                responsible: Some(app.user.clone()),
                reminder_minutes: None,
                direction: None,
                location: None,
                description: None,
            }];
        }
        Action::CompleteActivity | Action::Open | Action::PlanActivity => {
            let Some((id, title)) = target_card(app) else { return vec![] };
            match action {
                Action::CompleteActivity => return vec![Effect::CompleteNext { entity: agenda_entity(app), id }],
                Action::Open => return open_record(app, agenda_entity(app), id),
                _ => open_plan(app, vec![RecordRef::new(agenda_entity(app), id)], title),
            }
        }
        _ => {}
    }
    vec![]
}

/// The card keys act on: the one followed after a drop, else the focused one.
fn target_card(app: &App) -> Option<(i64, String)> {
    if let Some(f) = &app.agenda.follow {
        return Some((f.id, f.title.clone()));
    }
    let col = app.agenda.columns.get(app.agenda.focus)?;
    col.rows.get(col.cursor).map(|c| (c.id, c.title.clone()))
}

/// A write was saved: a call planned on the followed card, if one is awaited.
pub(crate) fn saved(app: &mut App) {
    if let Some(f) = &mut app.agenda.follow {
        f.plans = f.plans.saturating_sub(1);
    }
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
            let per = app.cards_per_screen();
            let Some(index) = app.agenda.columns.iter().position(|c| c.bucket == bucket) else { return vec![] };
            let col = &mut app.agenda.columns[index];
            col.pending = false;
            if offset == 0 {
                col.rows = rows;
            } else if offset == col.rows.len() {
                col.rows.extend(rows);
            }
            col.cursor = col.cursor.min(col.rows.len().saturating_sub(1));
            col.scroll = col.scroll.min(col.cursor);
            // The followed card, once every call planned on it is saved: wherever it now is
            // (a later call leaves it where its nearest one keeps it).
            let Some(follow) = app.agenda.follow.clone().filter(|f| f.plans == 0) else { return vec![] };
            match col.rows.iter().position(|r| r.id == follow.id) {
                Some(at) => {
                    col.cursor = at;
                    if col.cursor < col.scroll || col.cursor >= col.scroll + per {
                        col.scroll = col.cursor.saturating_sub(per / 2);
                    }
                    app.agenda.focus = index;
                    app.agenda.follow = None;
                    if bucket != follow.bucket {
                        // A nearer activity keeps the card where it is (SPEC V3): say so, or the
                        // key seems to have done nothing.
                        let name = |b: ActivityBucket| app.t(&format!("bucket.{}", b.code()));
                        let said = app.ta("tui.drop_stays", &[("to", &name(follow.bucket)), ("column", &name(bucket))]);
                        info(app, said);
                    }
                    vec![]
                }
                // Not among the rows of its new column loaded yet: the next page.
                None if follow.bucket == bucket && (col.rows.len() as i64) < col.count && !col.rows.is_empty() => {
                    let offset = col.rows.len();
                    agenda_page(app, index, offset).into_iter().collect()
                }
                None => vec![],
            }
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

/// Where each column shown is drawn, as (column index, its rectangle), for the board drawn
/// in `area`: below its header line, as many columns as fit, the focused one among them. The
/// view draws with it and the mouse reads it.
pub fn column_slots(app: &App, area: Rect) -> Vec<(usize, Rect)> {
    let board = &app.agenda;
    if !board.loaded {
        return vec![];
    }
    let area = if area.height < 3 { area } else { Rect { y: area.y + 1, height: area.height - 1, ..area } };
    crate::tui::widgets::board_slots(area, board.columns.len(), board.focus, 18)
}

/// The card of a column drawn in `rect` at screen row `y`, if one is drawn there.
pub fn card_at(col: &AgendaColumn, rect: Rect, y: u16) -> Option<usize> {
    crate::tui::widgets::card_in_column(rect, y, col.scroll, col.rows.len(), CARD_HEIGHT)
}

/// Draws the activities board.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let board = &app.agenda;
    if !board.loaded || board.columns.is_empty() {
        f.render_widget(Paragraph::new(app.t("tui.loading")), area);
        return;
    }
    // Whose leads: the header says it, as the list's filter chips do.
    let scope = app.t(if board.everyone { "tui.agenda_everyone" } else { "tui.agenda_mine" });
    let header = format!(" {} · {scope}", app.t("tui.tab_activities"));
    if area.height >= 3 {
        f.render_widget(
            Paragraph::new(Span::styled(
                fit(&header, area.width as usize),
                Style::default().add_modifier(Modifier::BOLD),
            )),
            Rect { height: 1, ..area },
        );
    }
    for (idx, rect) in column_slots(app, area) {
        let col = &board.columns[idx];
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
                // The count is never cut: the name gives way first.
                {
                    let tail = format!(" ({count})");
                    let room = cw.saturating_sub(unicode_width::UnicodeWidthStr::width(tail.as_str()) + 1);
                    format!(" {}{tail}", fit(&app.t(&format!("bucket.{}", col.bucket.code())), room))
                },
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
            lines.extend(card_lines(app, agenda_entity(app), card, base, color, cw));
            lines.push(Line::from(""));
        }
        f.render_widget(Paragraph::new(lines), rect);
    }
}
