//! Pick one item of a list (a stage, a user, a pipeline, a filter value) and what it is for.

use crate::domain::fields::Entity;
use crate::domain::stage::StageSemantics;
use crate::tui::action::Action;
use crate::tui::app::{App, Board, Confirm, Overlay, Screen, Seen};
use crate::tui::effect::Effect;
use crate::tui::screens::board::{request_move, stage_rows};
use crate::tui::screens::list::named_targets;
use crate::tui::widgets::{fit, frame_block, popup, step};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// What a picked item is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickPurpose {
    /// Move these (id, version) records to the picked stage.
    Move { entity: Entity, ids: Vec<(i64, Option<Seen>)> },
    /// Move list rows.
    BulkMove { entity: Entity, ids: Vec<i64> },
    /// Assign list rows.
    BulkAssign { entity: Entity, ids: Vec<i64> },
    /// Show this deal pipeline.
    Pipeline,
    /// Filter the list by stage.
    FilterStage,
    /// Filter the list by responsible.
    FilterResponsible,
    /// Filter the list by source.
    FilterSource,
    /// A lost reason to filter the list by.
    FilterReason,
    /// Open a saved view of the list (by id; empty: none).
    View,
    /// Who sees the view about to be saved under `name`.
    ViewShared { entity: Entity, name: String },
    /// A choice of the administration screens.
    Team(crate::tui::screens::team::TeamPick),
    /// The date field the calendar shows records by (`entity:code`; empty: none).
    CalendarBy,
    /// What a new line of this record sells: a product's id (empty: free text).
    LineProduct { record: crate::store::RecordRef },
    /// Which document to make of a deal's lines.
    NewDocument { deal: i64 },
    /// What to do with a document.
    DocumentAction { id: i64, kind: crate::domain::document::DocKind },
}

/// A list to pick from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picker {
    /// What the pick is for.
    pub purpose: PickPurpose,
    /// Title.
    pub title: String,
    /// (value, label).
    pub items: Vec<(String, String)>,
    /// Focused item.
    pub cursor: usize,
}

/// Up and down through the items; Enter picks.
pub(crate) fn update(app: &mut App, mut p: Picker, action: Action) -> Vec<Effect> {
    match action {
        Action::Back => vec![],
        Action::Up | Action::Down => {
            p.cursor = step(p.cursor, p.items.len(), action == Action::Down);
            app.overlay = Overlay::Picker(p);
            vec![]
        }
        Action::Submit => picked(app, p),
        _ => {
            app.overlay = Overlay::Picker(p);
            vec![]
        }
    }
}

/// The focused item was picked: what it was for happens.
pub(crate) fn picked(app: &mut App, p: Picker) -> Vec<Effect> {
    let Some((value, _)) = p.items.get(p.cursor).cloned() else {
        return vec![];
    };
    match p.purpose {
        PickPurpose::Move { entity, ids } => {
            let stages = match (&app.screen, &app.form) {
                (Screen::Form, Some(f)) => f.stages.clone(),
                _ => stage_rows(app.board(entity)),
            };
            match stages.iter().find(|s| s.code == value) {
                Some(stage) => request_move(app, entity, ids, &stage.clone()),
                None => vec![],
            }
        }
        PickPurpose::BulkMove { entity, ids } => {
            let stages = stage_rows(app.board(entity));
            match stages.iter().find(|s| s.code == value) {
                Some(s) if s.semantics == StageSemantics::Failure => {
                    let named = named_targets(app, entity, &ids);
                    let ids = ids.into_iter().map(|i| (i, None)).collect();
                    let effects = request_move(app, entity, ids, &s.clone());
                    // The reason's prompt is the confirmation: it names the records too.
                    if let Overlay::Prompt(prompt) = &mut app.overlay {
                        prompt.title = format!("{} · {named}", prompt.title);
                    }
                    effects
                }
                Some(s) => {
                    let message = app.ta(
                        "tui.bulk_move_confirm",
                        &[
                            ("count", &ids.len().to_string()),
                            ("stage", &s.name),
                            ("list", &named_targets(app, entity, &ids)),
                        ],
                    );
                    let on_yes = Effect::BulkMove { entity, ids, stage_code: value, reason: None, fill: vec![] };
                    app.overlay = Overlay::Confirm(Confirm { message, on_yes });
                    vec![]
                }
                None => vec![],
            }
        }
        // Triage assigns the one lead it shows: nothing to name.
        PickPurpose::BulkAssign { entity, ids } if !matches!(app.screen, Screen::List(_)) => {
            vec![Effect::BulkAssign { entity, ids, login: value }]
        }
        PickPurpose::BulkAssign { entity, ids } => {
            let user = p.items.get(p.cursor).map(|(_, name)| name.clone()).unwrap_or_default();
            let message = app.ta(
                "tui.bulk_assign_confirm",
                &[("count", &ids.len().to_string()), ("user", &user), ("list", &named_targets(app, entity, &ids))],
            );
            app.overlay =
                Overlay::Confirm(Confirm { message, on_yes: Effect::BulkAssign { entity, ids, login: value } });
            vec![]
        }
        PickPurpose::Pipeline => {
            let id = value.parse().ok();
            app.deal_board = Board::default();
            vec![Effect::LoadBoard { entity: Entity::Deal, pipeline: id }]
        }
        PickPurpose::Team(pick) => crate::tui::screens::team::picked(app, pick, value),
        PickPurpose::View => crate::tui::screens::list::view_picked(app, value),
        PickPurpose::CalendarBy => crate::tui::screens::calendar::by_picked(app, value),
        PickPurpose::LineProduct { record } => crate::tui::screens::form::lines::product_picked(app, record, value),
        PickPurpose::NewDocument { deal } => crate::tui::screens::form::documents::new_picked(deal, value),
        PickPurpose::DocumentAction { id, kind } => {
            crate::tui::screens::form::documents::action_picked(app, id, kind, value)
        }
        PickPurpose::ViewShared { entity, name } => crate::tui::screens::list::view_shared(app, entity, name, value),
        PickPurpose::FilterStage
        | PickPurpose::FilterResponsible
        | PickPurpose::FilterSource
        | PickPurpose::FilterReason => crate::tui::screens::list::filter_picked(app, &p.purpose, value),
    }
}

/// Draws the items.
pub(crate) fn draw(_app: &App, p: &Picker, f: &mut Frame, area: Rect) {
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
            let style =
                if i == p.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
            Line::from(Span::styled(fit(&format!(" {label}"), w), style))
        })
        .collect();
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&p.title)), rect);
}

/// What a key means in the list: Esc or `q` closes, Enter or `y` picks, `j`/`k` move.
pub(crate) fn key(ev: &KeyEvent) -> Option<Action> {
    match ev.code {
        KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
        KeyCode::Enter | KeyCode::Char('y') => Some(Action::Submit),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
        _ => None,
    }
}
