//! The Kanban board of leads or deals: one column per stage, each a window of cards loaded
//! around the cursor (`WINDOW`, `PAGE`); its state, keys, store answers and drawing.

use crate::domain::fields::Entity;
use crate::domain::stage::StageSemantics;
use crate::present;
use crate::store::RecordInput;
use crate::store::RecordRef;
use crate::store::RecordSummary;
use crate::store::refs::PipelineRow;
use crate::store::refs::StageRow;
use crate::store::totals::ColumnHead;
use crate::tui::action::Action;
use crate::tui::app::{
    App, CARD_HEIGHT, Overlay, PickPurpose, Picker, Prompt, PromptPurpose, Screen, Seen, error, info,
};
use crate::tui::effect::{Anchor, Effect, StoreEvent};
use crate::tui::keymap::{Binding, b, code, column_navigation, ctrl, k};
use crate::tui::overlays::plan::open_plan;
use crate::tui::overlays::prompt::Answered;
use crate::tui::overlays::wizard::open_conversion;
use crate::tui::screens::form::open_record;
use crate::tui::widgets::input::TextInput;
use crate::tui::widgets::{color, fit};
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

mod draw;
mod window;
pub use draw::{card_at, card_lines, column_slots, draw};
pub(crate) use window::{apply_cards, ensure_window, fix_scroll};

/// Most cards a column keeps in memory; pages beyond are dropped and reloaded on demand.
pub const WINDOW: usize = 300;

/// A Kanban column: its head and a window of its cards.
#[derive(Clone, Debug, Default)]
pub struct Column {
    /// Stage, count and sums.
    pub head: Option<ColumnHead>,
    /// Loaded cards, newest first.
    pub cards: Vec<RecordSummary>,
    /// Column index of `cards[0]`.
    pub start: usize,
    /// Column index of the focused card.
    pub cursor: usize,
    /// Column index of the first card drawn.
    pub scroll: usize,
    /// A page request is in flight.
    pub pending: bool,
}

impl Column {
    /// Records in the column.
    pub fn count(&self) -> usize {
        self.head.as_ref().map(|h| h.count.max(0) as usize).unwrap_or(0)
    }

    /// The card at a column index, if loaded.
    pub fn card(&self, index: usize) -> Option<&RecordSummary> {
        index.checked_sub(self.start).and_then(|i| self.cards.get(i))
    }

    /// The focused card, if loaded.
    pub fn focused(&self) -> Option<&RecordSummary> {
        self.card(self.cursor)
    }
}

/// A Kanban board of leads or deals.
#[derive(Clone, Debug, Default)]
pub struct Board {
    /// Ids of its records left alone past their stage's rotting limit.
    pub stale: std::collections::HashSet<i64>,
    /// Pipeline shown.
    pub pipeline: Option<PipelineRow>,
    /// Columns, one per stage.
    pub columns: Vec<Column>,
    /// Focused column.
    pub focus: usize,
    /// Heads have arrived.
    pub loaded: bool,
    /// Card to focus once its column page arrives (after a move or create).
    pub follow: Option<(i64, i64)>,
    /// A card just moved whose column is still reloading: (id, stage id). Moves typed
    /// meanwhile apply to it, so "L L" typed fast moves the card twice.
    pub pending_move: Option<(i64, i64)>,
    /// A move shown before the store confirmed it (`show_moved`), as (card id, the stage
    /// it came from): a refusal reloads the board and focuses the card where it stayed.
    pub unconfirmed: Option<(i64, i64)>,
}

impl Board {
    /// The focused column.
    pub fn column(&self) -> Option<&Column> {
        self.columns.get(self.focus)
    }

    /// The focused card.
    pub fn focused(&self) -> Option<&RecordSummary> {
        self.column().and_then(Column::focused)
    }

    /// Index of the column of a stage.
    pub fn column_of(&self, stage_id: i64) -> Option<usize> {
        self.columns.iter().position(|c| c.head.as_ref().map(|h| h.stage.id) == Some(stage_id))
    }

    /// The card moves act on, as (id, column): the one just moved while its column reloads,
    /// else the focused one.
    pub fn move_target(&self) -> Option<(i64, usize)> {
        match self.pending_move {
            Some((id, stage)) => self.column_of(stage).map(|c| (id, c)),
            None => self.focused().map(|c| (c.id, self.focus)),
        }
    }
}

impl Board {
    /// Shows card `id` moved from column `from` to column `to` before the store answers: the
    /// write's syncs on a shared file take 10-25 ms, and the user should see the card go at
    /// once. The reload that follows the answer corrects what this guessed (sums, order);
    /// a refusal reloads the board (`unconfirmed`).
    pub fn show_moved(&mut self, id: i64, from: usize, to: usize, per: usize) {
        if from == to || to >= self.columns.len() {
            return;
        }
        let Some(src) = self.columns.get_mut(from) else { return };
        let Some(idx) = src.cards.iter().position(|c| c.id == id) else { return };
        let Some(from_stage) = src.head.as_ref().map(|h| h.stage.id) else { return };
        let mut card = src.cards.remove(idx);
        if let Some(h) = src.head.as_mut() {
            h.count = (h.count - 1).max(0);
        }
        src.cursor = src.cursor.min(src.count().saturating_sub(1));
        fix_scroll(src, per);
        let dst = &mut self.columns[to];
        if let Some(h) = dst.head.as_ref() {
            card.stage = Some(h.stage.name.clone());
            card.stage_code = Some(h.stage.code.clone());
        }
        if let Some(h) = dst.head.as_mut() {
            h.count += 1;
        }
        // Cards go newest (highest id) first: place it if its place is in the loaded window.
        let place = dst.cards.iter().position(|c| c.id < id);
        let loaded_to_end = dst.start + dst.cards.len() + 1 >= dst.count();
        let at = match place {
            Some(p) if p > 0 || dst.start == 0 => Some(p),
            None if loaded_to_end => Some(dst.cards.len()),
            _ => None,
        };
        if let Some(p) = at {
            dst.cards.insert(p, card);
            dst.cursor = dst.start + p;
            fix_scroll(dst, per);
        }
        self.focus = to;
        self.unconfirmed = Some((id, from_stage));
    }
}

impl Board {
    /// The store refused a move shown early: follow the card back to where it stayed. Whether
    /// there was one (then the board must reload).
    pub fn undo_shown_move(&mut self) -> bool {
        let Some((id, stage)) = self.unconfirmed.take() else { return false };
        self.pending_move = None;
        self.follow = Some((stage, id));
        if let Some(c) = self.column_of(stage) {
            self.focus = c;
        }
        true
    }
}

/// The stages of a board, in column order.
pub(crate) fn stage_rows(board: &Board) -> Vec<StageRow> {
    board.columns.iter().filter_map(|c| c.head.as_ref().map(|h| h.stage.clone())).collect()
}

/// Moves records (as the user saw them) to `stage`: a failure stage asks for a reason first.
pub(crate) fn request_move(
    app: &mut App,
    entity: Entity,
    ids: Vec<(i64, Option<Seen>)>,
    stage: &StageRow,
) -> Vec<Effect> {
    if stage.semantics == StageSemantics::Failure {
        app.overlay = Overlay::Prompt(Prompt {
            purpose: PromptPurpose::FailureReason { entity, ids, stage_code: stage.code.clone() },
            title: app.ta("tui.prompt_reason", &[("stage", &stage.name)]),
            input: TextInput::default(),
            error: None,
            files: None,
        });
        return vec![];
    }
    // Reaching the success stage is conversion (SPEC L4): the wizard moves the lead.
    if stage.semantics == StageSemantics::Success && entity == Entity::Lead {
        return match ids.as_slice() {
            [(id, _)] => open_conversion(*id),
            _ => {
                error(app, app.t("tui.convert_one_at_a_time"));
                vec![]
            }
        };
    }
    ids.into_iter()
        .map(|(id, seen)| Effect::Move { entity, id, seen, stage_code: stage.code.clone(), reason: None })
        .collect()
}

/// Focuses a column and the card `to(cursor)` of it (a click, the wheel).
fn focus_card(app: &mut App, entity: Entity, column: usize, to: impl Fn(usize) -> usize) -> Vec<Effect> {
    let per = app.cards_per_screen();
    let pipeline_id = app.board(entity).pipeline.as_ref().map(|p| p.id);
    let board = app.board_mut(entity);
    if column >= board.columns.len() {
        return vec![];
    }
    board.pending_move = None;
    board.focus = column;
    let col = &mut board.columns[column];
    col.cursor = to(col.cursor);
    fix_scroll(col, per);
    ensure_window(entity, pipeline_id, col, per)
}

/// Keys of the board of `entity`: leads add triage, take and convert; deals, the pipeline.
pub fn bindings(entity: Entity) -> Vec<Binding> {
    use Action::*;
    let mut v = [
        column_navigation(),
        vec![
            b(&[k('H')], MovePrev, "tui.key_move_prev", true),
            b(&[k('L')], MoveNext, "tui.key_move_next", true),
            b(&[k('m')], PickStage, "tui.key_pick_stage", true),
            b(&[k('n')], QuickCreate, "tui.key_quick_create", true),
            b(&[k('a')], PlanActivity, "tui.key_plan", true),
            b(&[k('x')], CompleteActivity, "tui.key_complete_next", false),
            b(&[k('N')], NewRecord, "tui.key_new", false),
            b(&[code(KeyCode::Enter)], Open, "tui.key_open", true),
            b(&[code(KeyCode::PageDown), ctrl('d')], PageDown, "tui.key_page_down", false),
            b(&[code(KeyCode::PageUp), ctrl('u')], PageUp, "tui.key_page_up", false),
        ],
    ]
    .concat();
    if entity == Entity::Lead {
        v.extend([
            b(&[k('C')], Convert, "tui.key_convert", false),
            b(&[k('T')], Triage, "tui.key_triage", false),
            b(&[k('t')], Take, "tui.key_take", false),
        ]);
    } else {
        v.push(b(&[k('p')], SwitchPipeline, "tui.key_pipeline", false));
    }
    v
}

/// The title typed for a card made in the focused column: the store creates it there and
/// the prompt waits for the save.
pub(crate) fn quick_create(entity: Entity, stage_code: String, title: String) -> Answered {
    let mut fields = vec![("title".to_string(), title)];
    if entity.has_stages() {
        fields.push(("stage".into(), stage_code));
    }
    let input = RecordInput { fields, origin: Some("manual".into()), ..Default::default() };
    Answered::Wait(vec![Effect::Create { entity, input, open: false }])
}

/// The reason typed for a move to a failure stage (empty: none): the moves themselves.
pub(crate) fn move_with_reason(
    entity: Entity,
    ids: Vec<(i64, Option<Seen>)>,
    stage_code: String,
    text: String,
) -> Answered {
    let reason = (!text.is_empty()).then_some(text);
    // Rows of a list carry no version: one bulk move, which skips rows already there.
    if ids.iter().all(|(_, v)| v.is_none()) {
        let ids = ids.into_iter().map(|(id, _)| id).collect();
        return Answered::Close(vec![Effect::BulkMove { entity, ids, stage_code, reason, fill: vec![] }]);
    }
    Answered::Close(
        ids.into_iter()
            .map(|(id, seen)| Effect::Move { entity, id, seen, stage_code: stage_code.clone(), reason: reason.clone() })
            .collect(),
    )
}

/// An action on the board of `entity`.
pub(crate) fn update(app: &mut App, entity: Entity, action: Action) -> Vec<Effect> {
    let per = app.cards_per_screen();
    let pipeline_id = app.board(entity).pipeline.as_ref().map(|p| p.id);
    match action {
        Action::Left
        | Action::Right
        | Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => {
            let board = app.board_mut(entity);
            // Moving the focus by hand ends following a moved card.
            board.pending_move = None;
            if board.columns.is_empty() {
                return vec![];
            }
            match action {
                Action::Left => board.focus = board.focus.saturating_sub(1),
                Action::Right => board.focus = (board.focus + 1).min(board.columns.len() - 1),
                _ => {}
            }
            let col = &mut board.columns[board.focus];
            let last = col.count().saturating_sub(1);
            match action {
                Action::Up => col.cursor = col.cursor.saturating_sub(1),
                Action::Down => col.cursor = (col.cursor + 1).min(last),
                Action::Top => col.cursor = 0,
                Action::Bottom => col.cursor = last,
                Action::PageUp => col.cursor = col.cursor.saturating_sub(per),
                Action::PageDown => col.cursor = (col.cursor + per).min(last),
                _ => {}
            }
            fix_scroll(col, per);
            ensure_window(entity, pipeline_id, col, per)
        }
        Action::FocusAt { column, row } => focus_card(app, entity, column, |_| row),
        Action::Wheel { column, down } => {
            focus_card(app, entity, column, |c| if down { c + 1 } else { c.saturating_sub(1) })
        }
        Action::MovePrev | Action::MoveNext => {
            let board = app.board(entity);
            let Some((id, column)) = board.move_target() else { return vec![] };
            let stages = stage_rows(board);
            let seen = stages.get(column).map(|s| Seen { stage: s.id });
            let target = if action == Action::MoveNext { column + 1 } else { column.wrapping_sub(1) };
            match stages.get(target) {
                Some(stage) => {
                    let effects = request_move(app, entity, vec![(id, seen)], stage);
                    if matches!(effects.as_slice(), [Effect::Move { .. }]) {
                        let board = app.board_mut(entity);
                        board.show_moved(id, column, target, per);
                        board.pending_move = Some((id, stage.id));
                    }
                    effects
                }
                None => {
                    info(app, app.t("tui.no_further_stage"));
                    vec![]
                }
            }
        }
        Action::PickStage => {
            let board = app.board(entity);
            let Some((id, column)) = board.move_target() else {
                return vec![];
            };
            let title = board
                .focused()
                .filter(|c| c.id == id)
                .map(|c| app.title_of(entity, id, &c.title))
                .unwrap_or_else(|| format!("#{id}"));
            let stages = stage_rows(board);
            let seen = stages.get(column).map(|s| Seen { stage: s.id });
            let items = stages.into_iter().map(|s| (s.code.clone(), s.name.clone())).collect();
            app.overlay = Overlay::Picker(Picker {
                purpose: PickPurpose::Move { entity, ids: vec![(id, seen)] },
                title: app.ta("tui.pick_stage_for", &[("title", &title)]),
                items,
                cursor: column,
            });
            vec![]
        }
        Action::PlanActivity => match app.board(entity).move_target() {
            Some((id, _)) => {
                let title =
                    app.board(entity).focused().filter(|c| c.id == id).map(|c| c.title.clone()).unwrap_or_default();
                open_plan(app, vec![RecordRef::new(entity, id)], title);
                vec![]
            }
            None => vec![],
        },
        Action::CompleteActivity => match app.board(entity).move_target() {
            Some((id, _)) => vec![Effect::CompleteNext { entity, id }],
            None => vec![],
        },
        Action::QuickCreate => {
            let Some(head) = app.board(entity).column().and_then(|c| c.head.clone()) else {
                return vec![];
            };
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::QuickCreate { entity, stage_code: head.stage.code.clone() },
                title: app.ta("tui.prompt_quick_create", &[("stage", &head.stage.name)]),
                input: TextInput::default(),
                error: None,
                files: None,
            });
            vec![]
        }
        Action::Open => match app.board(entity).move_target() {
            Some((id, _)) => open_record(app, entity, id),
            None => vec![],
        },
        Action::Take if entity == Entity::Lead => match app.board(entity).move_target() {
            Some((id, _)) => vec![Effect::Take { id }],
            None => vec![],
        },
        Action::Convert if entity == Entity::Lead => match app.board(entity).move_target() {
            Some((id, _)) => open_conversion(id),
            None => vec![],
        },
        Action::SwitchPipeline => {
            if entity != Entity::Deal || app.pipelines.len() < 2 {
                info(app, app.t("tui.one_pipeline"));
                return vec![];
            }
            let current = app.deal_board.pipeline.as_ref().map(|p| p.id);
            app.overlay = Overlay::Picker(Picker {
                purpose: PickPurpose::Pipeline,
                title: app.t("label.pipeline"),
                items: app.pipelines.iter().map(|p| (p.id.to_string(), p.name.clone())).collect(),
                cursor: app.pipelines.iter().position(|p| Some(p.id) == current).unwrap_or(0),
            });
            vec![]
        }
        _ => vec![],
    }
}

/// Board heads, a page of cards, a card moved.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    let per = app.cards_per_screen();
    match ev {
        StoreEvent::Board { entity, pipeline, heads, empty_file } => {
            if empty_file && entity == Entity::Lead && matches!(app.screen, Screen::Board(Entity::Lead)) {
                app.screen = Screen::Welcome;
            } else if !empty_file && app.screen == Screen::Welcome {
                // CRM simple mode has no lead board.
                app.screen = Screen::Board(app.crm_mode.first_entity());
            }
            let board = app.board_mut(entity);
            let follow = board.follow;
            let mut old = std::mem::take(&mut board.columns);
            board.pipeline = Some(pipeline.clone());
            board.loaded = true;
            board.unconfirmed = None;
            let mut effects = Vec::new();
            for head in heads {
                let mut col = match old.iter().position(|c| c.head.as_ref().map(|h| h.stage.id) == Some(head.stage.id))
                {
                    Some(i) => old.swap_remove(i),
                    None => Column::default(),
                };
                let anchor_card = col.card(col.scroll).map(|c| c.id);
                col.head = Some(head);
                col.pending = true;
                fix_scroll(&mut col, per);
                let anchor = match anchor_card {
                    Some(id) if col.scroll > 0 => Anchor::At(id),
                    _ => Anchor::Top,
                };
                if let Some(h) = &col.head {
                    effects.push(Effect::LoadCards {
                        entity,
                        pipeline: Some(pipeline.id),
                        stage_id: h.stage.id,
                        stage_code: h.stage.code.clone(),
                        anchor,
                        rots: h.stage.rot_days.is_some(),
                    });
                }
                board.columns.push(col);
            }
            if let Some((stage_id, card)) = follow
                && let Some(i) =
                    board.columns.iter().position(|c| c.head.as_ref().map(|h| h.stage.id) == Some(stage_id))
            {
                board.focus = i;
                if let Some(Effect::LoadCards { anchor, .. }) = effects.get_mut(i) {
                    *anchor = Anchor::At(card);
                }
            }
            board.focus = board.focus.min(board.columns.len().saturating_sub(1));
            effects
        }
        StoreEvent::Cards { entity, stage_id, anchor, rows, position, stale } => {
            let pipeline = app.board(entity).pipeline.as_ref().map(|p| p.id);
            let board = app.board_mut(entity);
            for r in &rows {
                board.stale.remove(&r.id);
            }
            board.stale.extend(stale);
            let follow = board.follow;
            let Some(i) = board.columns.iter().position(|c| c.head.as_ref().map(|h| h.stage.id) == Some(stage_id))
            else {
                return vec![];
            };
            let col = &mut board.columns[i];
            apply_cards(col, anchor, rows, position);
            if let Some((s, card)) = follow
                && s == stage_id
                && let Some(idx) = col.cards.iter().position(|c| c.id == card)
            {
                col.cursor = col.start + idx;
                board.follow = None;
                board.pending_move = None;
            }
            let col = &mut board.columns[i];
            fix_scroll(col, per);
            ensure_window(entity, pipeline, col, per)
        }
        StoreEvent::Moved { entity, id, stage_id } => {
            let board = app.board_mut(entity);
            if let Some(c) = board.column_of(stage_id) {
                board.focus = c;
            }
            board.pending_move = Some((id, stage_id));
            vec![]
        }
        _ => vec![],
    }
}
