//! A list of records (leads, deals, contacts, companies): a table paged by keyset or offset,
//! with sort, filters, selection and the bulk actions; its state, keys, store answers and
//! drawing.

use crate::domain::fields::Entity;
use crate::store::RecordSummary;
use crate::store::records::ListSort;
use crate::store::{ListFilter, RecordRef};
use crate::tui::action::Action;
use crate::tui::app::{App, Confirm, MergeForm, Overlay, PAGE, PickPurpose, Picker, Prompt, PromptPurpose, info};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::keymap::{Binding, b, code, ctrl, k};
use crate::tui::overlays::plan::open_plan;
use crate::tui::overlays::prompt::{Answered, PathHelp, path_required, typed_path};
use crate::tui::overlays::wizard::open_conversion;
use crate::tui::screens::board::stage_rows;
use crate::tui::screens::form::open_record;
use crate::tui::widgets::input::TextInput;
use crossterm::event::KeyCode;
use std::collections::BTreeSet;

pub use crate::store::records::SortField as SortKey;

mod draw;
mod filters;
mod load;
mod views;
pub use draw::draw;
pub(crate) use filters::{filter_created, filter_picked, filter_text};
use filters::{refiltered, shown_list};
pub(crate) use load::export;
pub use load::list_effect;
pub(crate) use views::{filter_where, view_named, view_picked, view_shared};

pub use views::{next_sort, sort_name};

/// Message key of a sort key's name.
pub fn sort_label_key(key: SortKey) -> &'static str {
    match key {
        SortKey::Newest => "tui.sort_newest",
        SortKey::Title => "label.title",
        SortKey::Amount => "label.amount",
        SortKey::Stage => "label.stage",
        SortKey::Responsible => "label.responsible",
        SortKey::NextActivity => "label.next_activity",
        SortKey::Field(_) | SortKey::Column { .. } => "tui.sort_field",
    }
}

/// Filters of a list, as chosen on screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilters {
    /// Only mine.
    pub mine: bool,
    /// Only created today.
    pub today: bool,
    /// Only repeat leads.
    pub repeat: bool,
    /// Stage code.
    pub stage: Option<String>,
    /// Text search.
    pub text: Option<String>,
    /// Responsible login.
    pub responsible: Option<String>,
    /// Source code.
    pub source: Option<String>,
    /// Lost reason (as kept: the list's English name, or free words).
    pub reason: Option<String>,
    /// Created from / to (unix ms, to exclusive) and how it was typed.
    pub created: Option<(Option<i64>, Option<i64>, String)>,
    /// Conditions on fields of the team's own (`w`), as typed.
    pub wheres: Vec<String>,
    /// Only records in open, won or lost stages (a report's bar opened).
    pub stage_kind: Option<crate::domain::stage::StageSemantics>,
    /// Won or lost from / to (unix ms, to exclusive) and the days it says.
    pub closed: Option<(Option<i64>, Option<i64>, String)>,
    /// Deals of every pipeline, not only the deal board's (the reports count them all).
    pub all_pipelines: bool,
}

/// A list of records.
#[derive(Clone, Debug, Default)]
pub struct ListView {
    /// Rows loaded so far.
    pub rows: Vec<RecordSummary>,
    /// Focused row.
    pub cursor: usize,
    /// First row drawn.
    pub scroll: usize,
    /// Selected ids.
    pub selected: BTreeSet<i64>,
    /// Row where range selection started.
    pub visual_from: Option<usize>,
    /// Filters.
    pub filters: ListFilters,
    /// Sort key (newest first by default).
    pub sort: SortKey,
    /// Reverse the sort.
    pub sort_desc: bool,
    /// The last page has been loaded.
    pub exhausted: bool,
    /// A page request is in flight.
    pub pending: bool,
    /// First page has arrived.
    pub loaded: bool,
    /// The saved view opened (`V`), whose filters, sort and columns go under the keys'.
    pub view: Option<crate::domain::list_view::SavedView>,
    /// The list's saved views, as last read (for `V`).
    pub views: Vec<crate::domain::list_view::SavedView>,
    /// Fields of the team's own shown as columns (the view's, else those marked "show in list").
    pub columns: Vec<crate::domain::custom_field::CustomField>,
    /// Every field of the team's own of the list's records (what `w` filters by).
    pub fields: Vec<crate::domain::custom_field::CustomField>,
    /// What the filter matches in all: the header's count and sums.
    pub totals: Option<crate::store::records::ListTotals>,
    /// The filter of the rows shown, as the store read it (the export writes the same rows).
    pub shown_filter: Option<ListFilter>,
}

impl ListView {
    /// Ids a bulk action applies to: the selection, or the focused row. Only rows on the
    /// list count: a selected record the list no longer shows is never a target.
    pub fn targets(&self) -> Vec<i64> {
        if self.selected.is_empty() {
            self.rows.get(self.cursor).map(|r| vec![r.id]).unwrap_or_default()
        } else {
            self.rows.iter().map(|r| r.id).filter(|id| self.selected.contains(id)).collect()
        }
    }

    /// Keeps in the selection only the records the list shows: run whenever its rows are
    /// replaced (a reload, a filter, a change in the file).
    pub fn prune_selection(&mut self) {
        let shown: BTreeSet<i64> = self.rows.iter().map(|r| r.id).collect();
        self.selected.retain(|id| shown.contains(id));
        if self.visual_from.is_some_and(|from| from >= self.rows.len()) {
            self.visual_from = None;
        }
    }
}

/// Rows one notch of the mouse wheel moves.
pub const WHEEL_ROWS: usize = 3;

/// The row of the list drawn in `area` at screen row `y`, if one is drawn there: the
/// list's first line says its sort and filters, the second names the columns.
pub fn row_at(list: &ListView, area: ratatui::layout::Rect, y: u16) -> Option<usize> {
    let below = y.checked_sub(area.y + 2)? as usize;
    let index = list.scroll + below;
    (y < area.y + area.height && index < list.rows.len()).then_some(index)
}

/// How many records a confirmation names before "and N more".
const NAMED: usize = 3;

/// The records a bulk action applies to, named as the list shows them: `#12 Foo, #15 Bar,
/// #18 Baz and 2 more`.
pub(crate) fn named_targets(app: &App, entity: Entity, ids: &[i64]) -> String {
    let rows = app.lists.get(&entity).map(|l| l.rows.as_slice()).unwrap_or_default();
    let mut names: Vec<String> = ids
        .iter()
        .take(NAMED)
        .map(|id| match rows.iter().find(|r| r.id == *id) {
            Some(r) => format!("#{id} {}", crate::tui::widgets::fit(&app.title_of(entity, r.id, &r.title), 40)),
            None => format!("#{id}"),
        })
        .collect();
    if ids.len() > NAMED {
        let more = app.ta("tui.and_more", &[("count", &(ids.len() - NAMED).to_string())]);
        let last = names.pop().unwrap_or_default();
        names.push(format!("{last} {more}"));
    }
    names.join(", ")
}

/// Keys of a list.
pub fn bindings() -> Vec<Binding> {
    use Action::*;
    vec![
        b(&[k('j'), code(KeyCode::Down)], Down, "tui.key_down", false),
        b(&[k('k'), code(KeyCode::Up)], Up, "tui.key_up", false),
        b(&[code(KeyCode::Enter)], Open, "tui.key_open", true),
        b(&[k(' ')], ToggleSelect, "tui.key_select", true),
        b(&[k('v')], Visual, "tui.key_visual", false),
        b(&[k('m')], BulkMove, "tui.key_bulk_move", true),
        b(&[k('A')], BulkAssign, "tui.key_bulk_assign", false),
        b(&[k('a')], PlanActivity, "tui.key_plan", false),
        b(&[k('x')], CompleteActivity, "tui.key_complete_next", false),
        b(&[k('D')], BulkDelete, "tui.key_bulk_delete", false),
        b(&[k('C')], Convert, "tui.key_convert", false),
        b(&[k('U')], Merge, "tui.key_merge", false),
        b(&[k('E')], Export, "tui.key_export", false),
        b(&[k('X')], ExportExcel, "tui.key_export_excel", false),
        b(&[k('I')], Import, "tui.key_import", false),
        b(&[k('s')], SortNext, "tui.key_sort", true),
        b(&[k('S')], SortFlip, "tui.key_sort_flip", false),
        b(&[k('f')], FilterText, "tui.key_filter_text", true),
        b(&[k('t')], FilterStage, "tui.key_filter_stage", false),
        b(&[k('r')], FilterResponsible, "tui.key_filter_responsible", false),
        b(&[k('o')], FilterSource, "tui.key_filter_source", false),
        b(&[k('L')], FilterReason, "tui.key_filter_reason", false),
        b(&[k('c')], FilterCreated, "tui.key_filter_created", false),
        b(&[k('M')], FilterMine, "tui.key_filter_mine", false),
        b(&[k('T')], FilterNewToday, "tui.key_filter_today", false),
        b(&[k('R')], FilterRepeat, "tui.key_filter_repeat", false),
        b(&[k('F')], ClearFilters, "tui.key_filter_clear", false),
        b(&[k('V')], PickView, "tui.key_pick_view", true),
        b(&[k('W')], SaveView, "tui.key_save_view", false),
        b(&[k('w')], FilterWhere, "tui.key_filter_where", false),
        b(&[k('N')], NewRecord, "tui.key_new", false),
        b(&[k('g'), code(KeyCode::Home)], Top, "tui.key_top", false),
        b(&[k('G'), code(KeyCode::End)], Bottom, "tui.key_bottom", false),
        b(&[code(KeyCode::PageDown), ctrl('d')], PageDown, "tui.key_page_down", false),
        b(&[code(KeyCode::PageUp), ctrl('u')], PageUp, "tui.key_page_up", false),
    ]
}

/// The list of `entity`, made when first shown.
pub(crate) fn list_mut(app: &mut App, entity: Entity) -> &mut ListView {
    app.lists.entry(entity).or_default()
}

/// An action on the list of `entity`.
pub(crate) fn update(app: &mut App, entity: Entity, action: Action) -> Vec<Effect> {
    let per = app.rows_per_screen();
    match action {
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown
        | Action::FocusAt { .. }
        | Action::Wheel { .. } => {
            let list = list_mut(app, entity);
            let last = list.rows.len().saturating_sub(1);
            list.cursor = match action {
                Action::Up => list.cursor.saturating_sub(1),
                Action::Down => (list.cursor + 1).min(last),
                Action::Top => 0,
                Action::Bottom => last,
                Action::PageUp => list.cursor.saturating_sub(per),
                Action::FocusAt { row, .. } => row.min(last),
                Action::Wheel { down: true, .. } => (list.cursor + WHEEL_ROWS).min(last),
                Action::Wheel { down: false, .. } => list.cursor.saturating_sub(WHEEL_ROWS),
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
            // Planned on several records, the form names them all, not the focused row.
            let title = match ids.len() {
                1 => {
                    app.lists.get(&entity).and_then(|l| l.rows.iter().find(|r| r.id == ids[0])).map(|r| r.title.clone())
                }
                _ => Some(named_targets(app, entity, &ids)),
            }
            .unwrap_or_default();
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
                    message: app
                        .ta("tui.confirm_delete", &[("count", &count), ("list", &named_targets(app, entity, &ids))]),
                    on_yes: Effect::BulkDelete { entity, ids },
                }),
            };
            vec![]
        }
        Action::SortNext | Action::SortFlip => {
            let list = list_mut(app, entity);
            if action == Action::SortNext {
                list.sort = next_sort(list);
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
                _ => {
                    list.filters = ListFilters::default();
                    list.view = None;
                }
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
                files: PathHelp::new(true),
            });
            vec![]
        }
        Action::Export | Action::ExportExcel => {
            let excel = action == Action::ExportExcel;
            let home = std::env::var("HOME").unwrap_or_else(|_| ".".into());
            let day = crate::domain::when::from_ms(app.now_ms).with_timezone(&chrono::Local).format("%Y-%m-%d");
            let kind = if excel { "-excel" } else { "" };
            let default = format!("{home}/prospect-{}s-{day}{kind}.csv", entity.code());
            let count = list_mut(app, entity).selected.len();
            let (all, selected) = if excel {
                ("tui.prompt_export_excel", "tui.prompt_export_excel_selected")
            } else {
                ("tui.prompt_export", "tui.prompt_export_selected")
            };
            let title = if count > 0 { app.ta(selected, &[("count", &count.to_string())]) } else { app.t(all) };
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::ExportPath { entity, excel },
                title,
                input: TextInput::with(&default),
                error: None,
                files: PathHelp::new(false),
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
                chosen: vec![],
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
        Action::FilterReason => {
            if !entity.has_stages() {
                info(app, app.t("tui.no_stages_here"));
                return vec![];
            }
            let mut items = vec![(String::new(), app.t("tui.all"))];
            items.extend(app.lost_reasons.iter().map(|r| (r.name.clone(), r.label(app.lang).to_string())));
            app.overlay = Overlay::Picker(Picker {
                purpose: PickPurpose::FilterReason,
                title: app.t("tui.lost_reason"),
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
                files: None,
            });
            vec![]
        }
        Action::PickView => vec![Effect::LoadViews { entity }],
        Action::FilterWhere => views::ask_where(app, entity),
        Action::SaveView => views::ask_view_name(app, entity),
        Action::FilterText => {
            let current = app.lists.get(&entity).and_then(|l| l.filters.text.clone()).unwrap_or_default();
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::FilterText,
                title: app.t("tui.prompt_filter"),
                input: TextInput::with(&current),
                error: None,
                files: None,
            });
            vec![]
        }
        _ => vec![],
    }
}

/// A page of the list.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::List { entity, rows, append, columns, fields, filter } => {
            let list = list_mut(app, entity);
            list.columns = columns;
            list.fields = fields;
            let totals = (!append).then(|| Effect::LoadListTotals { entity, filter: filter.clone() });
            list.shown_filter = Some(*filter);
            list.pending = false;
            list.loaded = true;
            list.exhausted = rows.len() < PAGE;
            if append {
                list.rows.extend(rows);
            } else {
                list.rows = rows;
                list.prune_selection();
            }
            list.cursor = list.cursor.min(list.rows.len().saturating_sub(1));
            totals.into_iter().collect()
        }
        StoreEvent::ListTotals { entity, totals } => {
            list_mut(app, entity).totals = Some(totals);
            vec![]
        }
        ev @ (StoreEvent::Views { .. } | StoreEvent::ViewSaved { .. }) => views::on_store(app, ev),
        _ => vec![],
    }
}
