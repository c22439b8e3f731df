//! `update(&mut App, Action) -> Vec<Effect>` and `on_store(&mut App, StoreEvent)`: every
//! change of TUI state happens here, without I/O, so it is tested without a terminal.

use super::action::{Action, InputKey, Tab};
use super::app::*;
use super::effect::{Anchor, EditConflict, Effect, StoreEvent};
use crate::domain::comm::{Comm, CommKind};
use crate::domain::fields::{Entity, InputContext, validate_input};
use crate::domain::money::Currency;
use crate::domain::stage::StageSemantics;
use crate::store::convert::ConversionPlan;
use crate::store::duplicates::DuplicateMatch;
use crate::store::merge::Prefer;
use crate::store::records::{ListSort, Shown};
use crate::store::refs::StageRow;
use crate::store::{CommsChange, ListFilter, RecordInput, RecordRef};

/// What the app asks for when it starts.
pub fn start(app: &mut App) -> Vec<Effect> {
    // A risky mount is said first; the status bar keeps a marker afterwards.
    if let Some(first) = app.risks.first() {
        error(app, first.clone());
        app.overlay = Overlay::Notice(app.risks.join("\n\n"));
    }
    vec![Effect::LoadBoard { entity: Entity::Lead, pipeline: None }, Effect::LoadReference, Effect::LoadCounters]
}

fn info(app: &mut App, msg: String) {
    app.status = Some((msg, Level::Info));
}

fn error(app: &mut App, msg: String) {
    app.status = Some((msg, Level::Error));
}

fn edit_text(input: &mut TextInput, key: InputKey) {
    let mut chars: Vec<char> = input.text.chars().collect();
    let c = input.cursor.min(chars.len());
    match key {
        InputKey::Char(ch) => {
            chars.insert(c, ch);
            input.cursor = c + 1;
        }
        InputKey::Backspace if c > 0 => {
            chars.remove(c - 1);
            input.cursor = c - 1;
        }
        InputKey::Delete if c < chars.len() => {
            chars.remove(c);
        }
        InputKey::Left => input.cursor = c.saturating_sub(1),
        InputKey::Right => input.cursor = (c + 1).min(chars.len()),
        InputKey::Home => input.cursor = 0,
        InputKey::End => input.cursor = chars.len(),
        _ => {}
    }
    input.text = chars.into_iter().collect();
}

/// Applies an action; returns the I/O it needs.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if !matches!(app.overlay, Overlay::None) {
        return overlay_update(app, action);
    }
    if !matches!(action, Action::Input(_)) {
        app.status = None;
    }
    match action {
        Action::Quit => {
            app.quit = true;
            vec![]
        }
        Action::Help => {
            app.overlay = Overlay::Help;
            vec![]
        }
        Action::Palette => {
            let mut p = Palette::default();
            refilter_palette(app.lang, &mut p);
            app.overlay = Overlay::Palette(p);
            vec![]
        }
        Action::Search => {
            app.overlay = Overlay::Search(SearchBox::default());
            vec![]
        }
        Action::Show(tab) => show_tab(app, tab),
        Action::NextTab => {
            let i = Tab::ALL.iter().position(|t| *t == app.tab).unwrap_or(0);
            show_tab(app, Tab::ALL[(i + 1) % Tab::ALL.len()])
        }
        Action::Refresh => reload_screen(app),
        Action::Back => {
            if let Some(prev) = app.back.pop() {
                app.screen = prev;
                app.form = None;
                reload_screen(app)
            } else {
                vec![]
            }
        }
        Action::Triage => {
            if app.screen != Screen::Triage {
                app.back.push(app.screen.clone());
            }
            app.screen = Screen::Triage;
            app.triage = TriageView { loading: true, ..Default::default() };
            vec![Effect::LoadTriage { exclude: vec![], first: None }]
        }
        Action::LoadDemo => {
            info(app, app.t("tui.demo_loading"));
            vec![Effect::LoadDemo { leads: 500 }]
        }
        Action::NewRecord => {
            let entity = match &app.screen {
                Screen::Board(e) | Screen::List(e) => *e,
                Screen::Form => app.form.as_ref().map(|f| f.entity).unwrap_or(Entity::Lead),
                Screen::Welcome | Screen::Agenda | Screen::Calendar | Screen::Triage => Entity::Lead,
            };
            open_draft(app, entity);
            vec![]
        }
        other => match app.screen.clone() {
            Screen::Board(entity) => board_update(app, entity, other),
            Screen::List(entity) => list_update(app, entity, other),
            Screen::Form => form_update(app, other),
            Screen::Agenda => agenda_update(app, other),
            Screen::Calendar => calendar_update(app, other),
            Screen::Triage => triage_update(app, other),
            Screen::Welcome => vec![],
        },
    }
}

fn show_tab(app: &mut App, tab: Tab) -> Vec<Effect> {
    app.tab = tab;
    app.back.clear();
    app.form = None;
    app.screen = match tab {
        Tab::LeadBoard => Screen::Board(Entity::Lead),
        Tab::LeadList => Screen::List(Entity::Lead),
        Tab::DealBoard => Screen::Board(Entity::Deal),
        Tab::DealList => Screen::List(Entity::Deal),
        Tab::Contacts => Screen::List(Entity::Contact),
        Tab::Companies => Screen::List(Entity::Company),
        Tab::Activities => Screen::Agenda,
        Tab::Calendar => Screen::Calendar,
    };
    reload_screen(app)
}

/// Requests what the current screen shows, keeping positions, and the counters.
pub fn reload_screen(app: &mut App) -> Vec<Effect> {
    let mut effects = screen_effects(app);
    effects.push(Effect::LoadCounters);
    effects
}

/// Whether the screen in view shows one of these records (or could: a board or list of
/// their kind, since a change may bring a record in or take it out).
fn shows_any_of(app: &App, changed: &[RecordRef]) -> bool {
    match &app.screen {
        Screen::Board(e) | Screen::List(e) => changed.iter().any(|c| c.entity == *e),
        Screen::Form => match &app.form {
            Some(FormView { record: Some(r), entity, .. }) => changed.iter().any(|c| {
                *c == RecordRef::new(*entity, r.id) || r.links.iter().any(|(e, l)| *c == RecordRef::new(*e, l.id))
            }),
            _ => false,
        },
        // Activities belong to records of every kind.
        Screen::Agenda | Screen::Calendar | Screen::Welcome => !changed.is_empty(),
        Screen::Triage => changed.iter().any(|c| c.entity == Entity::Lead),
    }
}

fn screen_effects(app: &mut App) -> Vec<Effect> {
    match app.screen.clone() {
        Screen::Agenda => vec![Effect::LoadAgenda { bounds: agenda_bounds(app) }],
        Screen::Calendar => vec![calendar_effect(app)],
        Screen::Triage => vec![Effect::LoadTriage { exclude: app.triage.handled.clone(), first: None }],
        Screen::Welcome => vec![Effect::LoadBoard { entity: Entity::Lead, pipeline: None }],
        Screen::Board(entity) => {
            vec![Effect::LoadBoard { entity, pipeline: app.board(entity).pipeline.as_ref().map(|p| p.id) }]
        }
        Screen::List(entity) => vec![list_effect(app, entity, false)],
        Screen::Form => match &app.form {
            Some(FormView { record: Some(r), entity, .. }) => vec![Effect::LoadRecord { entity: *entity, id: r.id }],
            _ => vec![],
        },
    }
}

fn open_record(app: &mut App, entity: Entity, id: i64) -> Vec<Effect> {
    if app.screen != Screen::Form {
        app.back.push(app.screen.clone());
    }
    app.screen = Screen::Form;
    app.form = Some(FormView {
        entity,
        record: None,
        timeline: vec![],
        stages: vec![],
        rows: vec![],
        cursor: 0,
        draft: vec![],
        draft_comms: vec![],
        loading: true,
    });
    vec![Effect::LoadRecord { entity, id }]
}

fn open_draft(app: &mut App, entity: Entity) {
    if app.screen != Screen::Form {
        app.back.push(app.screen.clone());
    }
    app.screen = Screen::Form;
    let rows = entity.fields().iter().filter(|f| f.editable).map(|f| FormRow::Field(f.key)).collect();
    app.form = Some(FormView {
        entity,
        record: None,
        timeline: vec![],
        stages: vec![],
        rows,
        cursor: 0,
        draft: vec![],
        draft_comms: vec![],
        loading: false,
    });
}

// ---------------------------------------------------------------- boards

fn stage_rows(board: &Board) -> Vec<StageRow> {
    board.columns.iter().filter_map(|c| c.head.as_ref().map(|h| h.stage.clone())).collect()
}

/// Moves records (as the user saw them) to `stage`: a failure stage asks for a reason first.
fn request_move(app: &mut App, entity: Entity, ids: Vec<(i64, Option<Seen>)>, stage: &StageRow) -> Vec<Effect> {
    if stage.semantics == StageSemantics::Failure {
        app.overlay = Overlay::Prompt(Prompt {
            purpose: PromptPurpose::FailureReason { entity, ids, stage_code: stage.code.clone() },
            title: app.ta("tui.prompt_reason", &[("stage", &stage.name)]),
            input: TextInput::default(),
            error: None,
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

fn ensure_window(entity: Entity, pipeline: Option<i64>, col: &mut Column, per: usize) -> Vec<Effect> {
    let Some(head) = &col.head else { return vec![] };
    let count = col.count();
    if col.pending || count == 0 {
        return vec![];
    }
    let end = col.start + col.cards.len();
    let want_end = (col.scroll + per).max(col.cursor + 1).min(count);
    let anchor = if col.cards.is_empty() {
        Some(if col.cursor + PAGE >= count && col.cursor >= PAGE { Anchor::Bottom } else { Anchor::Top })
    } else if col.cursor >= end + PAGE || col.scroll >= end + PAGE {
        Some(if col.cursor + PAGE >= count {
            Anchor::Bottom
        } else {
            Anchor::Before(col.cards[col.cards.len() - 1].id)
        })
    } else if col.cursor + PAGE < col.start {
        Some(if col.cursor < PAGE { Anchor::Top } else { Anchor::After(col.cards[0].id) })
    } else if end < count && want_end + 20 > end {
        Some(Anchor::Before(col.cards[col.cards.len() - 1].id))
    } else if col.start > 0 && col.scroll < col.start + 20 {
        Some(Anchor::After(col.cards[0].id))
    } else {
        None
    };
    match anchor {
        Some(anchor) => {
            col.pending = true;
            vec![Effect::LoadCards {
                entity,
                pipeline,
                stage_id: head.stage.id,
                stage_code: head.stage.code.clone(),
                anchor,
            }]
        }
        None => vec![],
    }
}

fn fix_scroll(col: &mut Column, per: usize) {
    let count = col.count();
    col.cursor = col.cursor.min(count.saturating_sub(1));
    if col.cursor < col.scroll {
        col.scroll = col.cursor;
    }
    if col.cursor >= col.scroll + per {
        col.scroll = col.cursor + 1 - per;
    }
    col.scroll = col.scroll.min(count.saturating_sub(per.min(count)));
}

fn board_update(app: &mut App, entity: Entity, action: Action) -> Vec<Effect> {
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
        Action::MovePrev | Action::MoveNext => {
            let board = app.board(entity);
            let Some((id, column)) = board.move_target() else { return vec![] };
            let stages = stage_rows(board);
            let seen = stages.get(column).map(|s| Seen { stage: s.id });
            let target = if action == Action::MoveNext { column + 1 } else { column.wrapping_sub(1) };
            match stages.get(target) {
                Some(stage) => request_move(app, entity, vec![(id, seen)], stage),
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
            let title =
                board.focused().filter(|c| c.id == id).map(|c| c.title.clone()).unwrap_or_else(|| format!("#{id}"));
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

// ---------------------------------------------------------------- lists

fn list_mut(app: &mut App, entity: Entity) -> &mut ListView {
    app.lists.entry(entity).or_default()
}

/// The store filter a list view asks for; `append` continues after the loaded rows.
pub fn list_effect(app: &mut App, entity: Entity, append: bool) -> Effect {
    let user = app.user.clone();
    let today_start = {
        use chrono::TimeZone;
        let now = crate::domain::when::from_ms(app.now_ms).with_timezone(&chrono::Local);
        chrono::Local
            .from_local_datetime(&now.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|d| d.timestamp_millis())
            .unwrap_or(app.now_ms)
    };
    // The deal list shows the pipeline the deal board shows.
    let pipeline = (entity == Entity::Deal).then(|| app.deal_board.pipeline.as_ref().map(|p| p.name.clone())).flatten();
    let list = list_mut(app, entity);
    let f = &list.filters;
    let mut filter = ListFilter {
        pipeline,
        stage: f.stage.clone(),
        responsible: if f.mine { Some(user) } else { f.responsible.clone() },
        // "My leads" are the ones still to work on: junk stays out unless asked for by stage.
        hide_failed: f.mine && f.stage.is_none(),
        source: f.source.clone(),
        search: f.text.clone(),
        repeat: f.repeat.then_some(true),
        created_from: if f.today { Some(today_start) } else { f.created.as_ref().and_then(|c| c.0) },
        created_to: f.created.as_ref().and_then(|c| c.1),
        limit: PAGE,
        ..Default::default()
    };
    match list.sort {
        SortKey::Newest if !list.sort_desc => {
            filter.before_id = if append { list.rows.last().map(|r| r.id) } else { None };
        }
        key => {
            filter.sort = Some(ListSort { key, reverse: list.sort_desc });
            filter.offset = if append { list.rows.len() } else { 0 };
        }
    }
    list.pending = true;
    if !append {
        list.exhausted = false;
    }
    Effect::LoadList { entity, filter, append }
}

fn list_update(app: &mut App, entity: Entity, action: Action) -> Vec<Effect> {
    let per = app.rows_per_screen();
    match action {
        Action::Up | Action::Down | Action::Top | Action::Bottom | Action::PageUp | Action::PageDown => {
            let list = list_mut(app, entity);
            let last = list.rows.len().saturating_sub(1);
            list.cursor = match action {
                Action::Up => list.cursor.saturating_sub(1),
                Action::Down => (list.cursor + 1).min(last),
                Action::Top => 0,
                Action::Bottom => last,
                Action::PageUp => list.cursor.saturating_sub(per),
                _ => (list.cursor + per).min(last),
            };
            if list.cursor < list.scroll {
                list.scroll = list.cursor;
            }
            if list.cursor >= list.scroll + per {
                list.scroll = list.cursor + 1 - per;
            }
            if let Some(from) = list.visual_from {
                let (a, b) = (from.min(list.cursor), from.max(list.cursor));
                let ids: Vec<i64> = list.rows[a..=b.min(last)].iter().map(|r| r.id).collect();
                list.selected.extend(ids);
            }
            if !list.pending && !list.exhausted && list.cursor + per + 10 >= list.rows.len() {
                return vec![list_effect(app, entity, true)];
            }
            vec![]
        }
        Action::PlanActivity => {
            let ids = app.lists.get(&entity).map(ListView::targets).unwrap_or_default();
            let title =
                app.lists.get(&entity).and_then(|l| l.rows.get(l.cursor)).map(|r| r.title.clone()).unwrap_or_default();
            if !ids.is_empty() {
                open_plan(app, ids.into_iter().map(|id| RecordRef::new(entity, id)).collect(), title);
            }
            vec![]
        }
        Action::CompleteActivity => match app.lists.get(&entity).and_then(|l| l.rows.get(l.cursor)).map(|r| r.id) {
            Some(id) => vec![Effect::CompleteNext { entity, id }],
            None => vec![],
        },
        Action::Open => match app.lists.get(&entity).and_then(|l| l.rows.get(l.cursor)).map(|r| r.id) {
            Some(id) => open_record(app, entity, id),
            None => vec![],
        },
        Action::ToggleSelect => {
            let list = list_mut(app, entity);
            if let Some(id) = list.rows.get(list.cursor).map(|r| r.id)
                && !list.selected.remove(&id)
            {
                list.selected.insert(id);
            }
            let last = list.rows.len().saturating_sub(1);
            list.cursor = (list.cursor + 1).min(last);
            vec![]
        }
        Action::Visual => {
            let list = list_mut(app, entity);
            list.visual_from = match list.visual_from {
                Some(_) => None,
                None => {
                    if let Some(r) = list.rows.get(list.cursor) {
                        list.selected.insert(r.id);
                    }
                    Some(list.cursor)
                }
            };
            vec![]
        }
        Action::BulkMove | Action::BulkAssign | Action::BulkDelete => {
            if action == Action::BulkMove && !entity.has_stages() {
                info(app, app.t("tui.no_stages_here"));
                return vec![];
            }
            let ids = app.lists.get(&entity).map(ListView::targets).unwrap_or_default();
            if ids.is_empty() {
                return vec![];
            }
            let count = ids.len().to_string();
            app.overlay = match action {
                Action::BulkMove => Overlay::Picker(Picker {
                    title: app.ta("tui.bulk_move_title", &[("count", &count)]),
                    purpose: PickPurpose::BulkMove { entity, ids },
                    items: stage_rows(app.board(entity)).into_iter().map(|s| (s.code, s.name)).collect(),
                    cursor: 0,
                }),
                Action::BulkAssign => Overlay::Picker(Picker {
                    title: app.ta("tui.bulk_assign_title", &[("count", &count)]),
                    purpose: PickPurpose::BulkAssign { entity, ids },
                    items: app.users.clone(),
                    cursor: 0,
                }),
                _ => Overlay::Confirm(Confirm {
                    message: app.ta("tui.confirm_delete", &[("count", &count)]),
                    on_yes: Effect::BulkDelete { entity, ids },
                }),
            };
            vec![]
        }
        Action::SortNext | Action::SortFlip => {
            let list = list_mut(app, entity);
            if action == Action::SortNext {
                list.sort = next_sort(list.sort);
                list.sort_desc = false;
            } else {
                list.sort_desc = !list.sort_desc;
            }
            list.cursor = 0;
            list.scroll = 0;
            vec![list_effect(app, entity, false)]
        }
        Action::FilterMine | Action::FilterNewToday | Action::FilterRepeat | Action::ClearFilters => {
            let list = list_mut(app, entity);
            match action {
                Action::FilterMine => list.filters.mine = !list.filters.mine,
                Action::FilterNewToday => list.filters.today = !list.filters.today,
                Action::FilterRepeat => list.filters.repeat = !list.filters.repeat,
                _ => list.filters = ListFilters::default(),
            }
            if action == Action::FilterRepeat && entity != Entity::Lead {
                list.filters.repeat = false;
            }
            list.cursor = 0;
            list.scroll = 0;
            list.selected.clear();
            vec![list_effect(app, entity, false)]
        }
        Action::Convert => {
            let focused = app.lists.get(&entity).and_then(|l| l.rows.get(l.cursor)).map(|r| r.id);
            match focused {
                Some(id) if entity == Entity::Lead => open_conversion(id),
                _ => vec![],
            }
        }
        Action::Import if matches!(entity, Entity::Lead | Entity::Contact | Entity::Company) => {
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::ImportPath { entity },
                title: app.t("tui.prompt_import"),
                input: TextInput::default(),
                error: None,
            });
            vec![]
        }
        Action::Export => {
            let home = std::env::var("HOME").unwrap_or_else(|_| ".".into());
            let day = crate::domain::when::from_ms(app.now_ms).with_timezone(&chrono::Local).format("%Y-%m-%d");
            let default = format!("{home}/prospect-{}s-{day}.csv", entity.code());
            let count = list_mut(app, entity).selected.len();
            let title = if count > 0 {
                app.ta("tui.prompt_export_selected", &[("count", &count.to_string())])
            } else {
                app.t("tui.prompt_export")
            };
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::ExportPath { entity },
                title,
                input: TextInput::with(&default),
                error: None,
            });
            vec![]
        }
        Action::Merge => {
            if !matches!(entity, Entity::Lead | Entity::Contact | Entity::Company) {
                info(app, app.t("tui.merge_only"));
                return vec![];
            }
            let list = list_mut(app, entity);
            let ids: Vec<i64> = list.selected.iter().copied().collect();
            if ids.len() < 2 {
                info(app, app.t("tui.merge_need_two"));
                return vec![];
            }
            // The focused row is kept when it is selected; else the oldest record.
            let focused = list.rows.get(list.cursor).map(|r| r.id).filter(|id| ids.contains(id));
            let keep = focused.unwrap_or(ids[0]);
            let others: Vec<i64> = ids.into_iter().filter(|i| *i != keep).collect();
            app.overlay = Overlay::Merge(Box::new(MergeForm {
                entity,
                keep,
                others: others.clone(),
                preview: None,
                take_other: vec![],
                row: 0,
            }));
            vec![Effect::LoadMergePreview { entity, keep, others }]
        }
        Action::FilterStage => {
            if !entity.has_stages() {
                info(app, app.t("tui.no_stages_here"));
                return vec![];
            }
            let mut items = vec![(String::new(), app.t("tui.all_stages"))];
            items.extend(stage_rows(app.board(entity)).into_iter().map(|s| (s.code, s.name)));
            app.overlay = Overlay::Picker(Picker {
                purpose: PickPurpose::FilterStage,
                title: app.t("label.stage"),
                items,
                cursor: 0,
            });
            vec![]
        }
        Action::FilterResponsible | Action::FilterSource => {
            let (purpose, title, options) = if action == Action::FilterResponsible {
                (PickPurpose::FilterResponsible, app.t("label.responsible"), app.users.clone())
            } else {
                (PickPurpose::FilterSource, app.t("label.source"), app.sources.clone())
            };
            let mut items = vec![(String::new(), app.t("tui.all"))];
            items.extend(options);
            app.overlay = Overlay::Picker(Picker { purpose, title, items, cursor: 0 });
            vec![]
        }
        Action::FilterCreated => {
            let current = app
                .lists
                .get(&entity)
                .and_then(|l| l.filters.created.as_ref().map(|c| c.2.clone()))
                .unwrap_or_default();
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::FilterCreated,
                title: app.t("tui.prompt_created"),
                input: TextInput::with(&current),
                error: None,
            });
            vec![]
        }
        Action::FilterText => {
            let current = app.lists.get(&entity).and_then(|l| l.filters.text.clone()).unwrap_or_default();
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::FilterText,
                title: app.t("tui.prompt_filter"),
                input: TextInput::with(&current),
                error: None,
            });
            vec![]
        }
        _ => vec![],
    }
}

// ---------------------------------------------------------------- forms

fn form_rows(record: &crate::store::Record) -> Vec<FormRow> {
    let mut rows: Vec<FormRow> =
        record.values.iter().filter(|(s, _)| s.editable).map(|(s, _)| FormRow::Field(s.key)).collect();
    rows.extend((0..record.comms.len()).map(FormRow::Comm));
    rows.extend((0..record.links.len()).map(FormRow::Link));
    rows
}

fn form_update(app: &mut App, action: Action) -> Vec<Effect> {
    if let (Some(form), Action::Up | Action::Down | Action::Top | Action::Bottom) = (app.form.as_mut(), action) {
        let last = form.rows.len().saturating_sub(1);
        form.cursor = match action {
            Action::Up => form.cursor.saturating_sub(1),
            Action::Down => (form.cursor + 1).min(last),
            Action::Top => 0,
            _ => last,
        };
        return vec![];
    }
    // A snapshot: the arms below read the form and then change other parts of the app.
    let Some(form) = app.form.clone() else { return vec![] };
    let entity = form.entity;
    match action {
        Action::Edit => {
            let Some(row) = form.rows.get(form.cursor).cloned() else {
                return vec![];
            };
            let (purpose, current, label) = match (&form.record, row) {
                (Some(r), FormRow::Field(key)) => {
                    let current = r.input_text(key);
                    let base = r.input_texts();
                    (
                        PromptPurpose::EditField { entity, id: r.id, version: r.version, key: key.to_string(), base },
                        current,
                        crate::i18n::tr_in(app.lang, &format!("field.{key}"), &[]),
                    )
                }
                (Some(_), FormRow::Comm(_)) => {
                    info(app, app.t("tui.comm_edit_hint"));
                    return vec![];
                }
                (None, FormRow::Field(key)) => {
                    let current =
                        form.draft.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
                    (
                        PromptPurpose::DraftField { key: key.to_string() },
                        current,
                        crate::i18n::tr_in(app.lang, &format!("field.{key}"), &[]),
                    )
                }
                (None, FormRow::Comm(_) | FormRow::Link(_)) => return vec![],
                (Some(r), FormRow::Link(i)) => {
                    return match r.links.get(i) {
                        Some((e, link)) => open_record(app, *e, link.id),
                        None => vec![],
                    };
                }
            };
            app.overlay =
                Overlay::Prompt(Prompt { purpose, title: label, input: TextInput::with(&current), error: None });
            vec![]
        }
        Action::PlanActivity => {
            if let Some(r) = &form.record {
                open_plan(app, vec![RecordRef::new(entity, r.id)], r.title.clone());
            }
            vec![]
        }
        Action::Convert => match &form.record {
            Some(r) if entity == Entity::Lead => open_conversion(r.id),
            _ => vec![],
        },
        Action::Take => match &form.record {
            Some(r) if entity == Entity::Lead => vec![Effect::Take { id: r.id }],
            _ => vec![],
        },
        Action::Comment => {
            let Some(r) = &form.record else { return vec![] };
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::Comment { entity, id: r.id },
                title: app.t("tui.prompt_comment"),
                input: TextInput::default(),
                error: None,
            });
            vec![]
        }
        Action::AddPhone | Action::AddEmail => {
            let kind = if action == Action::AddPhone { CommKind::Phone } else { CommKind::Email };
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::AddComm { kind },
                title: app.t(if kind == CommKind::Phone { "tui.prompt_phone" } else { "tui.prompt_email" }),
                input: TextInput::default(),
                error: None,
            });
            vec![]
        }
        Action::RemoveComm => {
            let (Some(r), Some(FormRow::Comm(i))) = (&form.record, form.rows.get(form.cursor).cloned()) else {
                return vec![];
            };
            let Some(c) = r.comms.get(i).cloned() else {
                return vec![];
            };
            let input =
                RecordInput { comms: CommsChange { remove: vec![c], ..Default::default() }, ..Default::default() };
            vec![Effect::Update { entity, id: r.id, version: r.version, input, field: None, base: vec![] }]
        }
        Action::MovePrev | Action::MoveNext | Action::PickStage => {
            let Some(r) = &form.record else { return vec![] };
            let current = match r.get("stage") {
                Some(Shown::Ref(s)) => s.id,
                _ => return vec![],
            };
            let stages = form.stages.clone();
            let pos = stages.iter().position(|s| s.id == current).unwrap_or(0);
            let ids = vec![(r.id, Some(Seen { stage: current }))];
            if action == Action::PickStage {
                let title = app.ta("tui.pick_stage_for", &[("title", &r.title)]);
                app.overlay = Overlay::Picker(Picker {
                    purpose: PickPurpose::Move { entity, ids },
                    title,
                    items: stages.iter().map(|s| (s.code.clone(), s.name.clone())).collect(),
                    cursor: pos,
                });
                return vec![];
            }
            let target = if action == Action::MoveNext { pos + 1 } else { pos.wrapping_sub(1) };
            match stages.get(target) {
                Some(s) => request_move(app, entity, ids, s),
                None => {
                    info(app, app.t("tui.no_further_stage"));
                    vec![]
                }
            }
        }
        Action::Save => {
            if form.record.is_some() {
                info(app, app.t("tui.saved_already"));
                return vec![];
            }
            let mut input =
                RecordInput { fields: form.draft.clone(), origin: Some("manual".into()), ..Default::default() };
            for (kind, text) in &form.draft_comms {
                match Comm::parse_typed(*kind, text, app.region) {
                    Ok(c) => input.comms.add.push(c),
                    Err(e) => {
                        error(app, crate::i18n::describe(&e.problem, &e.field, app.lang));
                        return vec![];
                    }
                }
            }
            let then = Box::new(Effect::Create { entity, input: input.clone(), open: true });
            vec![Effect::CheckDuplicates { entity, id: None, input, then }]
        }
        _ => vec![],
    }
}

// ---------------------------------------------------------------- activities board and calendar

fn local_now(app: &App) -> chrono::DateTime<chrono::Local> {
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
const LOAD_AHEAD: usize = 20;

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

fn agenda_update(app: &mut App, action: Action) -> Vec<Effect> {
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

fn calendar_effect(app: &App) -> Effect {
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
    Effect::LoadCalendar { days, list_from, list_to, limit: calendar_page(app), hours }
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

fn calendar_update(app: &mut App, action: Action) -> Vec<Effect> {
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
            cal.cursor = (cal.cursor + 1).min(cal.day_activities().len().saturating_sub(1));
            return calendar_more(app);
        }
        Action::PageUp => {
            cal.cursor = cal.cursor.saturating_sub(1);
            return vec![];
        }
        Action::Open => {
            let target = cal.day_activities().get(cal.cursor).and_then(|a| a.record());
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

// ---------------------------------------------------------------- planning activities

const KINDS: [crate::domain::activity::ActivityKind; 4] = [
    crate::domain::activity::ActivityKind::Call,
    crate::domain::activity::ActivityKind::Meeting,
    crate::domain::activity::ActivityKind::Task,
    crate::domain::activity::ActivityKind::Email,
];
const PRIORITIES: [crate::domain::activity::Priority; 3] = [
    crate::domain::activity::Priority::Low,
    crate::domain::activity::Priority::Medium,
    crate::domain::activity::Priority::High,
];

fn open_plan(app: &mut App, targets: Vec<RecordRef>, record_title: String) {
    let me = app.users.iter().position(|(l, _)| *l == app.user).unwrap_or(0);
    app.overlay = Overlay::Plan(Box::new(PlanForm {
        editing: None,
        targets,
        record_title,
        row: 0,
        kind: 0,
        when: 0,
        date: TextInput::default(),
        subject: TextInput::default(),
        duration: TextInput::with("30m"),
        priority: 1,
        responsible: me,
        reminder: TextInput::default(),
        error: None,
    }));
}

/// Opens the plan form on an existing activity, to reschedule or edit it.
fn open_edit_activity(app: &mut App, a: &crate::store::activities::ActivityRow) {
    let kind = KINDS.iter().position(|k| *k == a.kind).unwrap_or(0);
    let priority = PRIORITIES.iter().position(|p| p.code() == a.priority).unwrap_or(1);
    let responsible = app.users.iter().position(|(l, _)| Some(l) == a.responsible.as_ref()).unwrap_or(0);
    let duration = a.start_at.zip(a.end_at).map(|(s, e)| format!("{}m", (e - s) / 60_000)).unwrap_or_default();
    app.overlay = Overlay::Plan(Box::new(PlanForm {
        editing: Some(a.id),
        targets: a.bindings.iter().map(|b| RecordRef::new(b.0, b.1)).collect(),
        record_title: a.bindings.first().map(|b| b.2.clone()).unwrap_or_default(),
        row: 2,
        kind,
        when: WHEN_CHOICES.len() - 1,
        date: TextInput::with(&crate::present::time(app.lang, a.deadline)),
        subject: TextInput::with(&a.subject),
        duration: TextInput::with(&duration),
        priority,
        responsible,
        reminder: TextInput::with(&a.reminder_minutes.map(|m| format!("{m}m")).unwrap_or_default()),
        error: None,
    }));
}

fn cycle(value: &mut usize, len: usize, forward: bool) {
    *value = if forward { (*value + 1) % len } else { (*value + len - 1) % len };
}

/// The effect a filled plan form asks for, or the message saying what is wrong.
fn plan_effect(app: &App, f: &PlanForm) -> Result<Effect, String> {
    use crate::domain::agenda;
    let now = crate::domain::when::from_ms(app.now_ms).with_timezone(&chrono::Local);
    let describe = |e: crate::domain::FieldError| crate::i18n::describe(&e.problem, &e.field, app.lang);
    let deadline = match f.when {
        0 => agenda::default_deadline(&now),
        1 => agenda::at_local(&chrono::Local, now.date_naive(), 17, 0),
        2 => agenda::at_local(&chrono::Local, now.date_naive() + chrono::Duration::days(1), 9, 0),
        3 => agenda::parse_when("next monday 9:00", &now).unwrap_or_else(|| agenda::default_deadline(&now)),
        _ => agenda::read_when("date", &f.date.text, &now).map_err(describe)?,
    };
    let minutes = |field: &str, t: &TextInput| -> Result<Option<i64>, String> {
        if t.text.trim().is_empty() {
            Ok(None)
        } else {
            agenda::parse_minutes(field, &t.text).map(Some).map_err(describe)
        }
    };
    if let Some(id) = f.editing {
        return Ok(Effect::UpdateActivity {
            id,
            deadline: deadline.timestamp_millis(),
            subject: f.subject.text.trim().to_string(),
            priority: PRIORITIES[f.priority % PRIORITIES.len()],
            duration_minutes: minutes("duration", &f.duration)?,
            responsible: app.users.get(f.responsible).map(|u| u.0.clone()),
        });
    }
    Ok(Effect::PlanActivity {
        targets: f.targets.clone(),
        kind: KINDS[f.kind % KINDS.len()],
        subject: f.subject.text.trim().to_string(),
        deadline: deadline.timestamp_millis(),
        duration_minutes: minutes("duration", &f.duration)?,
        priority: PRIORITIES[f.priority % PRIORITIES.len()],
        responsible: app.users.get(f.responsible).map(|u| u.0.clone()),
        reminder_minutes: minutes("reminder", &f.reminder)?,
    })
}

fn plan_update(app: &mut App, mut f: Box<PlanForm>, action: Action) -> Vec<Effect> {
    let rows = PlanForm::ROWS.len();
    match action {
        Action::Back => return vec![],
        Action::Up => f.row = (f.row + rows - 1) % rows,
        Action::Down => f.row = (f.row + 1) % rows,
        Action::Submit => match plan_effect(app, &f) {
            Ok(effect) => {
                app.overlay = Overlay::Plan(f);
                return vec![effect];
            }
            Err(msg) => f.error = Some(msg),
        },
        Action::Input(key) => {
            f.error = None;
            let text_row = PlanForm::ROWS[f.row].1;
            if text_row {
                let field = match f.row {
                    2 => {
                        f.when = WHEN_CHOICES.len() - 1;
                        &mut f.date
                    }
                    3 => &mut f.subject,
                    4 => &mut f.duration,
                    _ => &mut f.reminder,
                };
                edit_text(field, key);
            } else {
                let forward = !matches!(key, InputKey::Left | InputKey::Backspace);
                if matches!(key, InputKey::Left | InputKey::Right | InputKey::Char(' ')) {
                    let users = app.users.len().max(1);
                    match f.row {
                        // The kind of an existing activity stays: it decides start/end or deadline.
                        0 if f.editing.is_some() => {}
                        0 => cycle(&mut f.kind, KINDS.len(), forward),
                        1 => cycle(&mut f.when, WHEN_CHOICES.len(), forward),
                        5 => cycle(&mut f.priority, PRIORITIES.len(), forward),
                        _ => cycle(&mut f.responsible, users, forward),
                    }
                }
            }
        }
        _ => {}
    }
    app.overlay = Overlay::Plan(f);
    vec![]
}

// ---------------------------------------------------------------- conversion and merge

fn open_conversion(lead_id: i64) -> Vec<Effect> {
    vec![Effect::LoadConversion { lead_id }]
}

/// The wizard for a lead just read, its fields prefilled from it.
fn new_wizard(
    record: &crate::store::Record,
    contacts: Vec<DuplicateMatch>,
    companies: Vec<DuplicateMatch>,
) -> ConvertWizard {
    use crate::domain::convert::Targets;
    let text = |k: &str| record.get(k).map(|v| v.text()).unwrap_or_default();
    let titles = crate::store::convert::lead_default_titles(record);
    let choice = Targets::default_for(record.is_repeat);
    let targets = Targets::CHOICES.iter().position(|t| *t == choice).unwrap_or(0);
    let field = |key: &'static str, value: String| WizardField { key, input: TextInput::with(&value) };
    ConvertWizard {
        lead_id: record.id,
        version: record.version,
        title: record.title.clone(),
        is_repeat: record.is_repeat,
        step: WizardStep::Targets,
        targets,
        contact_matches: contacts,
        company_matches: companies,
        contact_choice: 0,
        company_choice: 0,
        fields: vec![
            field("contact.first_name", text("first_name")),
            field("contact.last_name", text("last_name")),
            field("company.title", titles.company),
            field("deal.title", titles.deal),
        ],
        pipeline: 0,
        // A repeat lead's step 1 has one row.
        row: if record.is_repeat { 0 } else { targets },
        error: None,
    }
}

/// The plan the wizard's choices describe.
fn wizard_plan(app: &App, w: &ConvertWizard) -> ConversionPlan {
    let t = w.chosen();
    let mut plan = ConversionPlan::new(t);
    plan.expected_version = Some(w.version);
    if t.contact && w.contact_choice > 0 {
        plan.contact = w.contact_matches.get(w.contact_choice - 1).map(|m| m.id);
    }
    if t.company && w.company_choice > 0 {
        plan.company = w.company_matches.get(w.company_choice - 1).map(|m| m.id);
    }
    if t.deal {
        plan.pipeline = app.pipelines.get(w.pipeline).map(|p| p.name.clone());
    }
    for i in w.field_rows() {
        let f = &w.fields[i];
        let (target, key) = f.key.split_once('.').unwrap_or(("", f.key));
        let pair = (key.to_string(), f.input.text.trim().to_string());
        match target {
            "contact" => plan.contact_fields.push(pair),
            "company" => plan.company_fields.push(pair),
            _ => plan.deal_fields.push(pair),
        }
    }
    plan
}

/// The step after (or before) `step` for these choices: steps with nothing to ask are skipped.
fn wizard_next(w: &ConvertWizard, forward: bool) -> Option<WizardStep> {
    use WizardStep::*;
    let order = [Targets, Matches, Fields, Summary];
    let mut i = order.iter().position(|s| *s == w.step)?;
    loop {
        i = if forward { i.checked_add(1)? } else { i.checked_sub(1)? };
        let step = *order.get(i)?;
        let useful = match step {
            Matches => !w.match_rows().is_empty(),
            Fields => !w.field_rows().is_empty() || w.chosen().deal,
            _ => true,
        };
        if useful {
            return Some(step);
        }
    }
}

fn wizard_update(app: &mut App, mut w: Box<ConvertWizard>, action: Action) -> Vec<Effect> {
    // Rows of the current step; the last field row of step 3 is the pipeline when a deal is made.
    let rows = match w.step {
        WizardStep::Targets => {
            if w.is_repeat {
                1
            } else {
                crate::domain::convert::Targets::CHOICES.len()
            }
        }
        WizardStep::Matches => w.match_rows().len(),
        WizardStep::Fields => w.field_rows().len() + usize::from(w.chosen().deal),
        WizardStep::Summary => 1,
    }
    .max(1);
    let text_step = w.step == WizardStep::Fields;
    let pipeline_row = text_step && w.chosen().deal && w.row == rows - 1;
    // Outside text fields, letters navigate like everywhere else.
    let action = match action {
        Action::Input(InputKey::Char('j')) if !text_step => Action::Down,
        Action::Input(InputKey::Char('k')) if !text_step => Action::Up,
        other => other,
    };
    match action {
        Action::Back => match wizard_next(&w, false) {
            Some(step) => {
                w.step = step;
                w.row = if step == WizardStep::Targets && !w.is_repeat { w.targets } else { 0 };
                w.error = None;
            }
            None => return vec![],
        },
        Action::Up | Action::Down => {
            w.row = if action == Action::Up { (w.row + rows - 1) % rows } else { (w.row + 1) % rows };
            // The choice of targets follows the cursor, like a radio list.
            if w.step == WizardStep::Targets && !w.is_repeat {
                w.targets = w.row;
            }
        }
        Action::Submit => {
            if w.step == WizardStep::Targets && !w.is_repeat {
                w.targets = w.row.min(crate::domain::convert::Targets::CHOICES.len() - 1);
            }
            match wizard_next(&w, true) {
                Some(step) => {
                    w.step = step;
                    w.row = 0;
                    w.error = None;
                }
                None => {
                    let plan = wizard_plan(app, &w);
                    let lead_id = w.lead_id;
                    app.overlay = Overlay::Convert(w);
                    return vec![Effect::Convert { lead_id, plan }];
                }
            }
        }
        Action::Input(key) => {
            w.error = None;
            let cycle_key = matches!(key, InputKey::Left | InputKey::Right | InputKey::Char(' '));
            let forward = key != InputKey::Left;
            match w.step {
                WizardStep::Matches if cycle_key => {
                    let rows = w.match_rows();
                    match rows.get(w.row) {
                        Some(Entity::Contact) => {
                            let n = w.contact_matches.len() + 1;
                            cycle(&mut w.contact_choice, n, forward);
                        }
                        Some(Entity::Company) => {
                            let n = w.company_matches.len() + 1;
                            cycle(&mut w.company_choice, n, forward);
                        }
                        _ => {}
                    }
                }
                WizardStep::Fields if pipeline_row && cycle_key => {
                    cycle(&mut w.pipeline, app.pipelines.len().max(1), forward);
                }
                WizardStep::Fields if pipeline_row => {}
                WizardStep::Fields => {
                    if let Some(i) = w.field_rows().get(w.row).copied() {
                        edit_text(&mut w.fields[i].input, key);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
    app.overlay = Overlay::Convert(w);
    vec![]
}

fn merge_update(app: &mut App, mut m: Box<MergeForm>, action: Action) -> Vec<Effect> {
    let n = m.take_other.len();
    match action {
        Action::Back => return vec![],
        Action::Up => m.row = m.row.saturating_sub(1),
        Action::Down => m.row = (m.row + 1).min(n.saturating_sub(1)),
        Action::Input(_) => {
            if let Some(t) = m.take_other.get_mut(m.row) {
                *t = !*t;
            }
        }
        Action::Submit => {
            let Some(preview) = &m.preview else {
                app.overlay = Overlay::Merge(m);
                return vec![];
            };
            let mut choices = crate::store::merge::MergeChoices::default();
            for (c, other) in preview.conflicts.iter().zip(&m.take_other) {
                let side = if *other { Prefer::Other } else { Prefer::Keep };
                choices.fields.insert(c.field.clone(), side);
            }
            list_mut(app, m.entity).selected.clear();
            return vec![Effect::Merge { entity: m.entity, keep: m.keep, others: m.others.clone(), choices }];
        }
        _ => {}
    }
    app.overlay = Overlay::Merge(m);
    vec![]
}

/// Triage (SPEC V6): each key decides about the lead on screen; the next one loads once the
/// decision is saved, and `u` takes the last decision back.
fn triage_update(app: &mut App, action: Action) -> Vec<Effect> {
    let next = |app: &App| Effect::LoadTriage { exclude: app.triage.handled.clone(), first: None };
    if action == Action::TriageUndo {
        let Some(step) = app.triage.history.pop() else {
            info(app, app.t("tui.triage_nothing_to_undo"));
            return vec![];
        };
        let id = step.id();
        app.triage.handled.retain(|h| *h != id);
        let mut effects = match &step {
            TriageStep::Moved { from, .. } => {
                vec![Effect::Move { entity: Entity::Lead, id, seen: None, stage_code: from.clone(), reason: None }]
            }
            TriageStep::Assigned { from, .. } => {
                vec![Effect::BulkAssign {
                    entity: Entity::Lead,
                    ids: vec![id],
                    login: from.clone().unwrap_or_default(),
                }]
            }
            TriageStep::Planned { .. } => vec![Effect::UndoPlanned { lead: id }],
            TriageStep::Skipped { .. } => vec![],
        };
        info(app, app.ta("tui.triage_undone", &[("id", &id.to_string())]));
        effects.push(Effect::LoadTriage { exclude: app.triage.handled.clone(), first: Some(id) });
        return effects;
    }
    let Some(item) = app.triage.item.as_ref() else { return vec![] };
    let r = &item.record;
    let id = r.id;
    let (stage_id, stage_code) = match r.get("stage") {
        Some(Shown::Ref(s)) => (s.id, s.code.clone()),
        _ => return vec![],
    };
    let seen = Some(Seen { stage: stage_id });
    let title = r.title.clone();
    let responsible = match r.get("responsible") {
        Some(Shown::Ref(u)) => Some(u.code.clone()),
        _ => None,
    };
    let stages = stage_rows(app.board(Entity::Lead));
    match action {
        Action::TriageQualify => {
            // The next stage, as `L` on the board: the success stage means the conversion wizard
            // (not undoable, so not in the history).
            let pos = stages.iter().position(|s| s.id == stage_id).unwrap_or(0);
            match stages.get(pos + 1).cloned() {
                Some(next) => {
                    app.triage.pending = (next.semantics != StageSemantics::Success)
                        .then_some(TriageStep::Moved { id, from: stage_code });
                    request_move(app, Entity::Lead, vec![(id, seen)], &next)
                }
                None => open_conversion(id),
            }
        }
        Action::TriageJunk => match stages.iter().find(|s| s.semantics == StageSemantics::Failure).cloned() {
            Some(junk) => {
                app.triage.pending = Some(TriageStep::Moved { id, from: stage_code });
                request_move(app, Entity::Lead, vec![(id, seen)], &junk)
            }
            None => vec![],
        },
        Action::PlanActivity => {
            app.triage.pending = Some(TriageStep::Planned { id });
            open_plan(app, vec![RecordRef::new(Entity::Lead, id)], title);
            vec![]
        }
        Action::BulkAssign => {
            app.triage.pending = Some(TriageStep::Assigned { id, from: responsible });
            let cursor = app.users.iter().position(|(l, _)| *l == app.user).unwrap_or(0);
            app.overlay = Overlay::Picker(Picker {
                title: app.ta("tui.pick_assign_for", &[("title", &title)]),
                purpose: PickPurpose::BulkAssign { entity: Entity::Lead, ids: vec![id] },
                items: app.users.clone(),
                cursor,
            });
            vec![]
        }
        Action::Convert => {
            app.triage.pending = None;
            open_conversion(id)
        }
        Action::TriageSkip => {
            app.triage.history.push(TriageStep::Skipped { id });
            app.triage.handled.push(id);
            app.triage.loading = true;
            vec![next(app)]
        }
        Action::Open => open_record(app, Entity::Lead, id),
        _ => vec![],
    }
}

/// The import wizard: a field per column (Space/l forward, h back through the choices), `d`
/// for the duplicate mode, Enter imports; once done, Enter or Esc closes and the list reloads.
fn import_update(app: &mut App, mut w: Box<ImportWizard>, action: Action) -> Vec<Effect> {
    if w.result.is_some() || (w.preview.is_none() && w.error.is_some()) {
        if matches!(action, Action::Submit | Action::Back) {
            if w.dry_run && w.result.is_some() {
                // Back to the mapping, to change it or import for real.
                w.result = None;
                w.dry_run = false;
                app.overlay = Overlay::Import(w);
                return vec![];
            }
            return reload_screen(app);
        }
        app.overlay = Overlay::Import(w);
        return vec![];
    }
    if action == Action::Back {
        return vec![];
    }
    if w.running {
        app.overlay = Overlay::Import(w);
        return vec![];
    }
    let choices = crate::domain::import::targets_for(w.entity);
    if let Some(p) = w.preview.as_mut() {
        let n = p.headers.len();
        match action {
            Action::Up => w.cursor = w.cursor.saturating_sub(1),
            Action::Down => w.cursor = (w.cursor + 1).min(n.saturating_sub(1)),
            Action::Input(InputKey::Char('d')) => w.mode = (w.mode + 1) % IMPORT_MODES.len(),
            Action::Input(InputKey::Char('m')) => w.matching = (w.matching + 1) % IMPORT_MATCHES.len(),
            Action::Input(InputKey::Char(c @ (' ' | 'h'))) => {
                if let Some(t) = p.targets.get_mut(w.cursor) {
                    let at = choices.iter().position(|x| x == t).unwrap_or(0);
                    let len = choices.len();
                    let next = if c == 'h' { (at + len - 1) % len } else { (at + 1) % len };
                    *t = choices[next].clone();
                }
            }
            Action::Submit | Action::Input(InputKey::Char('r')) => {
                use crate::domain::import::Target;
                if p.targets.iter().all(|t| *t == Target::Ignore) {
                    w.error = Some(app.t("tui.import_nothing_mapped"));
                } else {
                    w.running = true;
                    w.error = None;
                    w.dry_run = action != Action::Submit;
                    let effect = Effect::RunImport {
                        entity: w.entity,
                        path: w.path.clone(),
                        targets: p.targets.clone(),
                        duplicates: IMPORT_MODES[w.mode],
                        match_on: IMPORT_MATCHES[w.matching],
                        dry_run: w.dry_run,
                    };
                    app.overlay = Overlay::Import(w);
                    return vec![effect];
                }
            }
            _ => {}
        }
    }
    app.overlay = Overlay::Import(w);
    vec![]
}

/// A file path as typed in a prompt (`~/` is the home folder); `None` when empty.
fn typed_path(text: &str) -> Option<std::path::PathBuf> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match text.strip_prefix("~/") {
        Some(rest) => std::path::PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| ".".into())).join(rest),
        None => std::path::PathBuf::from(text),
    })
}

/// A triage decision was saved: it joins the history, and the next lead loads.
fn triage_saved(app: &mut App) {
    if let Some(step) = app.triage.pending.take() {
        app.triage.handled.push(step.id());
        app.triage.history.push(step);
    }
}

/// The conflict popup: Space flips the focused field between yours and theirs; Enter saves
/// the fields where yours is kept (against the version now in the file); Esc keeps theirs.
fn conflict_update(app: &mut App, mut c: Box<ConflictView>, action: Action) -> Vec<Effect> {
    let n = c.conflict.rows.len();
    match action {
        Action::Back => {
            info(app, app.t("tui.conflict_kept_theirs"));
            return reload_screen(app);
        }
        Action::Up => c.row = c.row.saturating_sub(1),
        Action::Down => c.row = (c.row + 1).min(n.saturating_sub(1)),
        Action::Input(_) => {
            if let Some(r) = c.conflict.rows.get_mut(c.row) {
                r.take_theirs = !r.take_theirs;
            }
        }
        Action::Submit => {
            let fields = c.conflict.resolution();
            if fields.is_empty() {
                info(app, app.t("tui.conflict_kept_theirs"));
                return reload_screen(app);
            }
            let EditConflict { entity, id, version, .. } = c.conflict;
            let base = c.conflict.rows.iter().map(|r| (r.key.clone(), r.theirs.clone())).collect();
            let input = RecordInput { fields, ..Default::default() };
            return vec![Effect::Update { entity, id, version, input, field: None, base }];
        }
        _ => {}
    }
    app.overlay = Overlay::Conflict(c);
    vec![]
}

// ---------------------------------------------------------------- overlays

fn refilter_palette(lang: crate::i18n::Lang, p: &mut Palette) {
    use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
    use nucleo_matcher::{Config, Matcher, Utf32Str};
    let entries = Action::palette();
    let text = p.input.text.trim();
    if text.is_empty() {
        p.matches = (0..entries.len()).collect();
    } else {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let pattern = Pattern::parse(text, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, (_, key))| {
                let local = crate::i18n::tr_in(lang, key, &[]);
                let english = crate::i18n::tr_in(crate::i18n::Lang::En, key, &[]);
                let a = pattern.score(Utf32Str::new(&local, &mut buf), &mut matcher);
                let b = pattern.score(Utf32Str::new(&english, &mut buf), &mut matcher);
                a.max(b).map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        p.matches = scored.into_iter().map(|(_, i)| i).collect();
    }
    p.cursor = 0;
}

/// A list cursor one step up or down, kept within `len` items.
fn step(cursor: usize, len: usize, down: bool) -> usize {
    if down { (cursor + 1).min(len.saturating_sub(1)) } else { cursor.saturating_sub(1) }
}

fn overlay_update(app: &mut App, action: Action) -> Vec<Effect> {
    let overlay = std::mem::take(&mut app.overlay);
    match overlay {
        Overlay::None | Overlay::Help | Overlay::Notice(_) => vec![],
        Overlay::Plan(f) => plan_update(app, f, action),
        Overlay::Convert(w) => wizard_update(app, w, action),
        Overlay::Merge(m) => merge_update(app, m, action),
        Overlay::Conflict(c) => conflict_update(app, c, action),
        Overlay::Import(w) => import_update(app, w, action),
        Overlay::Confirm(c) => match action {
            Action::Submit => vec![c.on_yes],
            Action::Back => vec![],
            _ => {
                app.overlay = Overlay::Confirm(c);
                vec![]
            }
        },
        Overlay::Picker(mut p) => match action {
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
        },
        Overlay::Palette(mut p) => match action {
            Action::Back => vec![],
            Action::Input(k) => {
                edit_text(&mut p.input, k);
                refilter_palette(app.lang, &mut p);
                app.overlay = Overlay::Palette(p);
                vec![]
            }
            Action::Up | Action::Down => {
                p.cursor = step(p.cursor, p.matches.len(), action == Action::Down);
                app.overlay = Overlay::Palette(p);
                vec![]
            }
            Action::Submit => match p.matches.get(p.cursor).and_then(|i| Action::palette().get(*i).map(|e| e.0)) {
                Some(chosen) => update(app, chosen),
                None => vec![],
            },
            _ => {
                app.overlay = Overlay::Palette(p);
                vec![]
            }
        },
        Overlay::Search(mut s) => match action {
            Action::Back => vec![],
            Action::Input(k) => {
                edit_text(&mut s.input, k);
                s.generation += 1;
                s.cursor = 0;
                let effect = Effect::Search { text: s.input.text.clone(), generation: s.generation };
                if s.input.text.trim().is_empty() {
                    s.hits.clear();
                }
                app.overlay = Overlay::Search(s);
                vec![effect]
            }
            Action::Up | Action::Down => {
                s.cursor = step(s.cursor, s.hits.len(), action == Action::Down);
                app.overlay = Overlay::Search(s);
                vec![]
            }
            Action::Submit => match s.hits.get(s.cursor).cloned() {
                Some(hit) => open_record(app, hit.entity, hit.id),
                None => {
                    app.overlay = Overlay::Search(s);
                    vec![]
                }
            },
            _ => {
                app.overlay = Overlay::Search(s);
                vec![]
            }
        },
        Overlay::Prompt(mut p) => match action {
            Action::Back => vec![],
            Action::Input(k) => {
                edit_text(&mut p.input, k);
                p.error = None;
                app.overlay = Overlay::Prompt(p);
                vec![]
            }
            Action::Submit => submit_prompt(app, p),
            _ => {
                app.overlay = Overlay::Prompt(p);
                vec![]
            }
        },
    }
}

fn picked(app: &mut App, p: Picker) -> Vec<Effect> {
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
                    let ids = ids.into_iter().map(|i| (i, None)).collect();
                    request_move(app, entity, ids, &s.clone())
                }
                Some(_) => vec![Effect::BulkMove { entity, ids, stage_code: value, reason: None }],
                None => vec![],
            }
        }
        PickPurpose::BulkAssign { entity, ids } => vec![Effect::BulkAssign { entity, ids, login: value }],
        PickPurpose::Pipeline => {
            let id = value.parse().ok();
            app.deal_board = Board::default();
            vec![Effect::LoadBoard { entity: Entity::Deal, pipeline: id }]
        }
        PickPurpose::FilterStage | PickPurpose::FilterResponsible | PickPurpose::FilterSource => {
            let entity = match app.screen {
                Screen::List(e) => e,
                _ => return vec![],
            };
            let list = list_mut(app, entity);
            let chosen = (!value.is_empty()).then_some(value);
            match p.purpose {
                PickPurpose::FilterStage => list.filters.stage = chosen,
                PickPurpose::FilterResponsible => {
                    list.filters.mine = false;
                    list.filters.responsible = chosen;
                }
                _ => list.filters.source = chosen,
            }
            list.cursor = 0;
            list.scroll = 0;
            vec![list_effect(app, entity, false)]
        }
    }
}

fn submit_prompt(app: &mut App, mut p: Prompt) -> Vec<Effect> {
    let text = p.input.text.trim().to_string();
    let keep = |app: &mut App, p: Prompt| app.overlay = Overlay::Prompt(p);
    match p.purpose.clone() {
        PromptPurpose::QuickCreate { entity, stage_code } => {
            let mut fields = vec![("title".to_string(), text)];
            if entity.has_stages() {
                fields.push(("stage".into(), stage_code));
            }
            keep(app, p);
            vec![Effect::Create {
                entity,
                input: RecordInput { fields, origin: Some("manual".into()), ..Default::default() },
                open: false,
            }]
        }
        PromptPurpose::FailureReason { entity, ids, stage_code } => {
            let reason = (!text.is_empty()).then_some(text);
            // Rows of a list carry no version: one bulk move, which skips rows already there.
            if ids.iter().all(|(_, v)| v.is_none()) {
                let ids = ids.into_iter().map(|(id, _)| id).collect();
                return vec![Effect::BulkMove { entity, ids, stage_code, reason }];
            }
            ids.into_iter()
                .map(|(id, seen)| Effect::Move {
                    entity,
                    id,
                    seen,
                    stage_code: stage_code.clone(),
                    reason: reason.clone(),
                })
                .collect()
        }
        PromptPurpose::Comment { entity, id } => {
            if text.is_empty() {
                p.error = Some(crate::i18n::describe(&crate::domain::Problem::Required, "comment", app.lang));
                keep(app, p);
                return vec![];
            }
            keep(app, p);
            vec![Effect::Comment { entity, id, text }]
        }
        PromptPurpose::EditField { entity, id, version, key, base } => {
            keep(app, p);
            let input = RecordInput { fields: vec![(key.clone(), text)], ..Default::default() };
            let then = Box::new(Effect::Update { entity, id, version, input: input.clone(), field: Some(key), base });
            vec![Effect::CheckDuplicates { entity, id: Some(id), input, then }]
        }
        PromptPurpose::ImportPath { entity } => {
            let Some(path) = typed_path(&text) else {
                p.error = Some(crate::i18n::describe(&crate::domain::Problem::Required, "file", app.lang));
                keep(app, p);
                return vec![];
            };
            app.overlay = Overlay::Import(Box::new(ImportWizard {
                entity,
                path: path.clone(),
                preview: None,
                cursor: 0,
                mode: 0,
                matching: 0,
                dry_run: false,
                running: false,
                result: None,
                error: None,
            }));
            vec![Effect::PreviewImport { entity, path }]
        }
        PromptPurpose::ExportPath { entity } => {
            let Some(path) = typed_path(&text) else {
                p.error = Some(crate::i18n::describe(&crate::domain::Problem::Required, "file", app.lang));
                keep(app, p);
                return vec![];
            };
            let Effect::LoadList { filter, .. } = list_effect(app, entity, false) else { return vec![] };
            let selected: Vec<i64> = list_mut(app, entity).selected.iter().copied().collect();
            let ids = (!selected.is_empty()).then_some(selected);
            keep(app, p);
            vec![Effect::Export { entity, filter, ids, path }]
        }
        PromptPurpose::DraftField { key } => {
            let Some(form) = app.form.as_mut() else { return vec![] };
            let ctx = InputContext { currency: Currency::EUR, creating: false };
            match validate_input(form.entity, &[(key.clone(), text.clone())], ctx) {
                Ok(_) => {
                    form.draft.retain(|(k, _)| *k != key);
                    form.draft.push((key, text));
                    vec![]
                }
                Err(e) => {
                    p.error = Some(crate::i18n::describe(&e.problem, &e.field, app.lang));
                    keep(app, p);
                    vec![]
                }
            }
        }
        PromptPurpose::AddComm { kind } => {
            let comm = match Comm::parse_typed(kind, &text, app.region) {
                Ok(c) => c,
                Err(e) => {
                    p.error = Some(crate::i18n::describe(&e.problem, &e.field, app.lang));
                    keep(app, p);
                    return vec![];
                }
            };
            let Some(form) = app.form.as_mut() else { return vec![] };
            match &form.record {
                Some(r) => {
                    let (entity, id, version) = (form.entity, r.id, r.version);
                    keep(app, p);
                    let input = RecordInput {
                        comms: CommsChange { add: vec![comm], ..Default::default() },
                        ..Default::default()
                    };
                    let then = Box::new(Effect::Update {
                        entity,
                        id,
                        version,
                        input: input.clone(),
                        field: Some(kind.code().to_string()),
                        base: vec![],
                    });
                    vec![Effect::CheckDuplicates { entity, id: Some(id), input, then }]
                }
                None => {
                    form.draft_comms.push((kind, text));
                    vec![]
                }
            }
        }
        PromptPurpose::FilterCreated => {
            let entity = match app.screen {
                Screen::List(e) => e,
                _ => return vec![],
            };
            let range = if text.is_empty() {
                None
            } else {
                match parse_range(&text) {
                    Some((from, to)) => Some((from, to, text.clone())),
                    None => {
                        p.error = Some(app.t("tui.bad_range"));
                        keep(app, p);
                        return vec![];
                    }
                }
            };
            let list = list_mut(app, entity);
            list.filters.today = false;
            list.filters.created = range;
            list.cursor = 0;
            list.scroll = 0;
            vec![list_effect(app, entity, false)]
        }
        PromptPurpose::FilterText => {
            let entity = match app.screen {
                Screen::List(e) => e,
                _ => return vec![],
            };
            let list = list_mut(app, entity);
            list.filters.text = (!text.is_empty()).then_some(text);
            list.cursor = 0;
            list.scroll = 0;
            vec![list_effect(app, entity, false)]
        }
    }
}

/// Reads `FROM..TO` in local time (`when::parse_day_range`).
fn parse_range(text: &str) -> Option<(Option<i64>, Option<i64>)> {
    crate::domain::when::parse_day_range(text, &chrono::Local)
}

// ---------------------------------------------------------------- store events

fn apply_cards(col: &mut Column, anchor: Anchor, mut rows: Vec<crate::store::RecordSummary>, position: Option<usize>) {
    col.pending = false;
    match anchor {
        Anchor::Top => {
            col.cards = rows;
            col.start = 0;
        }
        Anchor::Bottom => {
            rows.reverse();
            col.start = col.count().saturating_sub(rows.len());
            col.cards = rows;
        }
        Anchor::At(_) => {
            col.cards = rows;
            col.start = position.unwrap_or(0);
        }
        Anchor::Before(id) => {
            if col.cards.last().map(|c| c.id) == Some(id) {
                col.cards.extend(rows);
            }
        }
        Anchor::After(id) => {
            if col.cards.first().map(|c| c.id) == Some(id) {
                rows.reverse();
                col.start = col.start.saturating_sub(rows.len());
                rows.extend(std::mem::take(&mut col.cards));
                col.cards = rows;
            }
        }
    }
    if col.cards.len() > WINDOW {
        let excess = col.cards.len() - WINDOW;
        if col.cursor.saturating_sub(col.start) > col.cards.len() / 2 {
            col.cards.drain(..excess);
            col.start += excess;
        } else {
            col.cards.truncate(WINDOW);
        }
    }
}

/// Applies an answer of the store worker; returns follow-up I/O.
pub fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    let per = app.cards_per_screen();
    match ev {
        StoreEvent::Board { entity, pipeline, heads, empty_file } => {
            if empty_file && entity == Entity::Lead && matches!(app.screen, Screen::Board(Entity::Lead)) {
                app.screen = Screen::Welcome;
            } else if !empty_file && app.screen == Screen::Welcome {
                app.screen = Screen::Board(Entity::Lead);
            }
            let board = app.board_mut(entity);
            let follow = board.follow;
            let mut old = std::mem::take(&mut board.columns);
            board.pipeline = Some(pipeline.clone());
            board.loaded = true;
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
        StoreEvent::Cards { entity, stage_id, anchor, rows, position } => {
            let pipeline = app.board(entity).pipeline.as_ref().map(|p| p.id);
            let board = app.board_mut(entity);
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
        StoreEvent::List { entity, rows, append } => {
            let list = list_mut(app, entity);
            list.pending = false;
            list.loaded = true;
            list.exhausted = rows.len() < PAGE;
            if append {
                list.rows.extend(rows);
            } else {
                list.rows = rows;
                list.selected.retain(|_| true);
            }
            list.cursor = list.cursor.min(list.rows.len().saturating_sub(1));
            vec![]
        }
        StoreEvent::Record { record, timeline, stages } => {
            let Some(form) = app.form.as_mut() else { return vec![] };
            if form.entity != record.entity {
                return vec![];
            }
            form.rows = form_rows(&record);
            form.cursor = form.cursor.min(form.rows.len().saturating_sub(1));
            form.record = Some(record);
            form.timeline = timeline;
            form.stages = stages;
            form.loading = false;
            vec![]
        }
        StoreEvent::Reference { users, pipelines, sources } => {
            app.users = users;
            app.pipelines = pipelines;
            app.sources = sources;
            vec![]
        }
        StoreEvent::Moved { entity, id, stage_id } => {
            let board = app.board_mut(entity);
            if let Some(c) = board.column_of(stage_id) {
                board.focus = c;
            }
            board.pending_move = Some((id, stage_id));
            vec![]
        }
        StoreEvent::Saved { entity, id, message, open, moved_to } => {
            if app.screen == Screen::Triage {
                triage_saved(app);
            }
            if matches!(app.overlay, Overlay::Prompt(_) | Overlay::Plan(_)) {
                app.overlay = Overlay::None;
            }
            info(app, message);
            if let Some(stage) = moved_to {
                app.board_mut(entity).follow = Some((stage, id));
            }
            if open {
                if let Some(f) = &app.form
                    && f.record.is_none()
                {
                    app.form = None;
                    app.screen = app.back.pop().unwrap_or(Screen::Board(entity));
                }
                return open_record(app, entity, id);
            }
            let mut effects = reload_screen(app);
            if app.screen == Screen::Form {
                // The board behind the form reloads too, so Esc shows the change.
                effects.push(Effect::LoadBoard { entity, pipeline: app.board(entity).pipeline.as_ref().map(|p| p.id) });
            }
            effects
        }
        StoreEvent::ImportPreview(preview) => {
            if let Overlay::Import(w) = &mut app.overlay {
                w.preview = Some(*preview);
                w.error = None;
            }
            vec![]
        }
        StoreEvent::ImportDone { summary } => {
            if let Overlay::Import(w) = &mut app.overlay {
                w.running = false;
                w.result = Some(summary.clone());
            }
            info(app, summary);
            vec![]
        }
        StoreEvent::Triage(item) => {
            app.triage.item = item;
            app.triage.loading = false;
            vec![]
        }
        StoreEvent::Conflict(conflict) => {
            // The prompt's text lives on in the popup as "yours".
            app.overlay = Overlay::Conflict(Box::new(ConflictView { conflict: *conflict, row: 0 }));
            error(app, app.t("tui.conflict_status"));
            vec![]
        }
        StoreEvent::Failed { message, field, conflict } => {
            app.triage.pending = None;
            if let Overlay::Import(w) = &mut app.overlay {
                w.running = false;
                w.error = Some(message);
                return vec![];
            }
            match &mut app.overlay {
                Overlay::Prompt(p) => p.error = Some(message),
                Overlay::Plan(f) => f.error = Some(message),
                Overlay::Convert(w) => {
                    // A field the store refused sends the user back to where it is typed.
                    if field.as_deref().is_some_and(|f| f.contains('.')) {
                        w.step = WizardStep::Fields;
                        w.row = 0;
                    }
                    w.error = Some(message)
                }
                _ => error(app, message),
            }
            if conflict { reload_screen(app) } else { vec![] }
        }
        StoreEvent::SearchResults { generation, hits } => {
            if let Overlay::Search(s) = &mut app.overlay
                && s.generation == generation
            {
                s.hits = hits;
                s.cursor = s.cursor.min(s.hits.len().saturating_sub(1));
            }
            vec![]
        }
        StoreEvent::Changed(changed) => {
            let shown = changed.as_deref().is_none_or(|list| shows_any_of(app, list));
            let mut effects = if shown { screen_effects(app) } else { vec![] };
            effects.push(Effect::LoadCounters);
            effects
        }
        StoreEvent::Conversion { record, contacts, companies } => {
            if record.stage_semantics == Some(StageSemantics::Success) {
                info(app, app.t("tui.already_converted"));
                return vec![];
            }
            let w = new_wizard(&record, contacts, companies);
            app.overlay = Overlay::Convert(Box::new(w));
            vec![]
        }
        StoreEvent::Converted(done) => {
            if matches!(app.overlay, Overlay::Convert(_)) {
                app.overlay = Overlay::None;
            }
            let records: Vec<String> = done
                .records()
                .map(|r| format!("{} #{} {}", app.t(&format!("entity.{}", r.entity.code())), r.id, r.title))
                .collect();
            info(app, app.ta("tui.converted", &[("id", &done.lead_id.to_string()), ("records", &records.join(", "))]));
            reload_screen(app)
        }
        StoreEvent::PossibleDuplicates { matches, then } => {
            let list: Vec<String> = matches
                .iter()
                .take(3)
                .map(|m| format!("#{} {} ({})", m.id, m.title, crate::present::matched_by(app.lang, &m.matched_by)))
                .collect();
            let mut text = list.join("; ");
            if matches.len() > 3 {
                text.push_str(&format!(" +{}", matches.len() - 3));
            }
            app.overlay = Overlay::Confirm(Confirm {
                message: app.ta("tui.duplicate_question", &[("list", &text)]),
                on_yes: *then,
            });
            vec![]
        }
        StoreEvent::MergePreview(preview) => {
            if let Overlay::Merge(m) = &mut app.overlay {
                m.take_other = vec![false; preview.conflicts.len()];
                m.preview = Some(preview);
            }
            vec![]
        }
        StoreEvent::Waiting(w) => {
            app.waiting = w;
            vec![]
        }
        StoreEvent::Counters(c) => {
            app.counters = c;
            vec![]
        }
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
        StoreEvent::CalendarData { counts, activities, hours } => {
            let cal = &mut app.calendar;
            cal.counts = counts.into_iter().collect();
            cal.activities = activities;
            cal.hours = hours;
            cal.pending = false;
            cal.cursor = cal.cursor.min(cal.day_activities().len().saturating_sub(1));
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
    }
}
