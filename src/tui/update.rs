//! The router: `update(&mut App, Action) -> Vec<Effect>` and `on_store(&mut App,
//! StoreEvent)`. Global keys (quit, help, palette, search, tabs, back, refresh) are handled
//! here; any other action goes to the overlay in view, else to the screen in view; each store
//! answer goes to the screen or overlay it is for. Every change of TUI state happens in these
//! two functions and the modules they call, without I/O, so it is tested without a terminal.

use super::action::{Action, Tab};
use super::app::{App, FormView, Overlay, Screen, SearchBox, TriageView, error, info};
use super::effect::{Effect, StoreEvent};
use super::overlays::{self, conflict, import, merge, palette, search, wizard};
use super::screens::{agenda, board, calendar, form, list, team, triage};
use crate::domain::fields::Entity;
use crate::store::RecordRef;

pub use super::screens::agenda::agenda_bounds;
pub use super::screens::calendar::calendar_range;
pub use super::screens::list::list_effect;

/// How long the status bar keeps a reminder when no other message is shown.
pub const REMINDER_SHOWN_MS: i64 = 5 * 60_000;

/// What the app asks for when it starts.
pub fn start(app: &mut App) -> Vec<Effect> {
    // A risky mount is said first; the status bar keeps a marker afterwards.
    if let Some(first) = app.risks.first() {
        error(app, first.clone());
        app.overlay = Overlay::Notice(app.risks.join("\n\n"));
    }
    vec![Effect::LoadBoard { entity: Entity::Lead, pipeline: None }, Effect::LoadReference, Effect::LoadCounters]
}

/// Applies an action; returns the I/O it needs.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let effects = act(app, action);
    counters_after(app, &effects);
    effects
}

/// A write this app asks for may change the activity counters: the next screen switch asks
/// for them again (others' writes come through the change feed, which reloads them).
fn counters_after(app: &mut App, effects: &[Effect]) {
    if effects.iter().any(|e| !crate::tui::worker::is_read(e)) {
        app.counters.holds_until = 0;
        app.last_write_ms = app.now_ms;
    }
}

/// Counters answered this soon after this app asked for a write may have been read before
/// it was made: they are shown, but asked again at the next screen switch.
const COUNTERS_AFTER_WRITE_MS: i64 = 10_000;

/// However long the clock leaves the counters as they are, a screen switch asks again after
/// this: a bound on any change the feed did not tell.
const COUNTERS_HELD_AT_MOST_MS: i64 = 60_000;

fn act(app: &mut App, action: Action) -> Vec<Effect> {
    if !matches!(app.overlay, Overlay::None) {
        return overlays::update(app, action);
    }
    if !matches!(action, Action::Input(_)) {
        app.status = None;
    }
    // The user acts on the screen: a palette command still waiting for its data is dropped.
    app.pending_command = None;
    // Leaving a form with unsaved changes (quit, back, another tab or screen) asks first.
    if app.screen == Screen::Form
        && app.form.as_ref().is_some_and(FormView::dirty)
        && matches!(
            action,
            Action::Quit
                | Action::Back
                | Action::Show(_)
                | Action::NextTab
                | Action::Triage
                | Action::Team
                | Action::NewRecord
        )
    {
        overlays::question::leave_form(app, overlays::question::Leave::Action(action));
        return vec![];
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
            palette::open(app);
            vec![]
        }
        Action::Search => {
            app.overlay = Overlay::Search(SearchBox::default());
            vec![]
        }
        Action::Show(tab) => show_tab(app, tab),
        Action::NextTab => {
            let tabs = app.tabs();
            let i = tabs.iter().position(|t| *t == app.tab).unwrap_or(0);
            show_tab(app, tabs[(i + 1) % tabs.len()])
        }
        Action::Refresh => {
            // Pipelines, users and sources may have been added meanwhile (by the CLI, say).
            let mut effects = reload_screen(app);
            effects.push(Effect::LoadReference);
            effects
        }
        Action::Back => {
            if let Some(prev) = app.back.pop() {
                app.screen = prev;
                app.form = None;
                switched_screen(app)
            } else {
                vec![]
            }
        }
        Action::Triage if !app.crm_mode.has_leads() => {
            super::app::warn(app, app.t("tui.simple_no_leads"));
            vec![]
        }
        Action::Triage => {
            if app.screen != Screen::Triage {
                app.back.push(app.screen.clone());
            }
            app.screen = Screen::Triage;
            app.triage = TriageView { loading: true, ..Default::default() };
            vec![Effect::LoadTriage { exclude: vec![], first: None }]
        }
        Action::Team => team::open(app, None),
        Action::Documents => super::screens::documents::open(app),
        Action::LoadDemo => {
            info(app, app.t("tui.demo_loading"));
            vec![Effect::LoadDemo { leads: 500 }]
        }
        Action::NewRecord => {
            let entity = match &app.screen {
                Screen::Board(e) | Screen::List(e) => *e,
                Screen::Form => app.form.as_ref().map(|f| f.entity).unwrap_or(Entity::Lead),
                Screen::Welcome | Screen::Agenda | Screen::Calendar | Screen::Triage | Screen::Team => Entity::Lead,
                Screen::Documents | Screen::Reports => Entity::Deal,
            };
            // Simple mode: a new lead or deal is typed as an intake (a lead's fields: the
            // client's name, phone, company), saved as a deal with its client.
            let entity = match entity {
                Entity::Lead | Entity::Deal if !app.crm_mode.has_leads() => Entity::Lead,
                other => other,
            };
            form::open_draft(app, entity);
            vec![]
        }
        other => match app.screen.clone() {
            Screen::Board(entity) => board::update(app, entity, other),
            Screen::List(entity) => list::update(app, entity, other),
            Screen::Form => form::update(app, other),
            Screen::Agenda => agenda::update(app, other),
            Screen::Calendar => calendar::update(app, other),
            Screen::Triage => triage::update(app, other),
            Screen::Team => team::update(app, other),
            Screen::Documents => super::screens::documents::update(app, other),
            Screen::Reports => super::screens::reports::update(app, other),
            Screen::Welcome => vec![],
        },
    }
}

/// Shows a tab's screen and asks for what it shows.
pub(crate) fn show_tab(app: &mut App, tab: Tab) -> Vec<Effect> {
    let tab = app.shown_tab(tab);
    app.tab = tab;
    app.back.clear();
    app.form = None;
    // A card the activities board was following is not followed into another screen.
    app.agenda.follow = None;
    app.screen = match tab {
        Tab::LeadBoard => Screen::Board(Entity::Lead),
        Tab::LeadList => Screen::List(Entity::Lead),
        Tab::DealBoard => Screen::Board(Entity::Deal),
        Tab::DealList => Screen::List(Entity::Deal),
        Tab::Contacts => Screen::List(Entity::Contact),
        Tab::Companies => Screen::List(Entity::Company),
        Tab::Activities => Screen::Agenda,
        Tab::Calendar => Screen::Calendar,
        Tab::Reports => Screen::Reports,
    };
    switched_screen(app)
}

/// Requests what the screen just switched to shows, and the counters once the clock may
/// have changed them (`Counters::holds_until`): a server took 3 ms a switch for a user with
/// 18k open activities. A write of this app or of others asks for them in any case.
fn switched_screen(app: &mut App) -> Vec<Effect> {
    let mut effects = screen_effects(app);
    if app.now_ms >= app.counters.holds_until {
        effects.push(Effect::LoadCounters);
    }
    effects
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
        // Records do not change what it shows; settings (`None`) do.
        Screen::Team => false,
        // A deal changed may have had a document made, sent, issued or cancelled.
        Screen::Documents => changed.iter().any(|c| c.entity == Entity::Deal),
        // The conversion line counts leads.
        Screen::Reports => changed.iter().any(|c| matches!(c.entity, Entity::Deal | Entity::Lead)),
    }
}

fn screen_effects(app: &mut App) -> Vec<Effect> {
    match app.screen.clone() {
        Screen::Agenda => vec![agenda::load(app)],
        Screen::Calendar => vec![calendar::calendar_effect(app)],
        Screen::Triage => vec![Effect::LoadTriage { exclude: app.triage.handled.clone(), first: None }],
        Screen::Team => vec![team::load(app)],
        Screen::Documents => vec![super::screens::documents::load(app)],
        Screen::Reports => vec![super::screens::reports::load(app)],
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

/// Applies an answer of the store worker; returns follow-up I/O. A palette command run from
/// another screen (`App::pending_command`) runs once that screen's data has arrived.
pub fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    let data_of = screen_of_data(&ev);
    let mut effects = answer(app, ev);
    if let Some(screen) = data_of
        && app.screen == screen
        && app.pending_command.as_ref().is_some_and(|(s, _)| *s == screen)
        && data_ready(app)
        && let Some((_, action)) = app.pending_command.take()
    {
        effects.extend(update(app, action));
    }
    counters_after(app, &effects);
    effects
}

/// The screen a store answer brings the data of, if it is a screen's own data.
fn screen_of_data(ev: &StoreEvent) -> Option<Screen> {
    match ev {
        StoreEvent::Board { entity, .. } | StoreEvent::Cards { entity, .. } => Some(Screen::Board(*entity)),
        StoreEvent::List { entity, .. } => Some(Screen::List(*entity)),
        StoreEvent::AgendaCounts(_) | StoreEvent::AgendaPage { .. } => Some(Screen::Agenda),
        StoreEvent::Triage(_) => Some(Screen::Triage),
        StoreEvent::CalendarData { .. } => Some(Screen::Calendar),
        StoreEvent::Team(_) => Some(Screen::Team),
        StoreEvent::Documents { .. } => Some(Screen::Documents),
        StoreEvent::Reports { .. }
        | StoreEvent::ReportConversion { .. }
        | StoreEvent::ReportForecast { .. }
        | StoreEvent::ReportFunnel { .. }
        | StoreEvent::ReportActivity { .. } => Some(Screen::Reports),
        _ => None,
    }
}

/// Whether the screen in view holds what a command acts on: the focused column's cards,
/// the list's rows, the lead in triage.
fn data_ready(app: &App) -> bool {
    match &app.screen {
        Screen::Board(entity) => {
            let board = app.board(*entity);
            board.loaded && board.column().is_none_or(|c| !c.pending)
        }
        Screen::List(entity) => app.lists.get(entity).is_some_and(|l| l.loaded && !l.pending),
        Screen::Agenda => app.agenda.loaded && app.agenda.columns.get(app.agenda.focus).is_none_or(|c| !c.pending),
        Screen::Triage => !app.triage.loading,
        Screen::Calendar => true,
        Screen::Team => app.team.loaded,
        Screen::Documents => app.documents.loaded,
        Screen::Reports => super::screens::reports::loaded(app),
        Screen::Form | Screen::Welcome => false,
    }
}

/// Hands a store answer to the screen or overlay it is for.
fn answer(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        ev @ (StoreEvent::Board { .. } | StoreEvent::Cards { .. } | StoreEvent::Moved { .. }) => {
            board::on_store(app, ev)
        }
        ev @ (StoreEvent::List { .. }
        | StoreEvent::ListTotals { .. }
        | StoreEvent::Views { .. }
        | StoreEvent::ViewSaved { .. }) => list::on_store(app, ev),
        ev @ (StoreEvent::Record { .. } | StoreEvent::Products(_)) => form::on_store(app, ev),
        ev @ StoreEvent::Triage(_) => triage::on_store(app, ev),
        ev @ (StoreEvent::AgendaCounts(_) | StoreEvent::AgendaPage { .. }) => agenda::on_store(app, ev),
        ev @ (StoreEvent::CalendarData { .. } | StoreEvent::CalendarPage { .. } | StoreEvent::DateFields(_)) => {
            calendar::on_store(app, ev)
        }
        ev @ (StoreEvent::ImportPreview(_)
        | StoreEvent::ImportDone { .. }
        | StoreEvent::ImportValues { .. }
        | StoreEvent::CardsPreview { .. }) => import::on_store(app, ev),
        ev @ (StoreEvent::PathCandidates { .. } | StoreEvent::FileUsed(_)) => overlays::prompt::on_store(app, ev),
        ev @ StoreEvent::Conflict(_) => conflict::on_store(app, ev),
        ev @ StoreEvent::SearchResults { .. } => search::on_store(app, ev),
        ev @ (StoreEvent::Conversion { .. } | StoreEvent::Converted(_) | StoreEvent::ConversionNeeds { .. }) => {
            wizard::on_store(app, ev)
        }
        ev @ StoreEvent::PossibleDuplicates { .. } => overlays::question::on_store(app, ev),
        ev @ StoreEvent::MergePreview(_) => merge::on_store(app, ev),
        StoreEvent::FieldsNeeded(fill) => {
            // The card a board showed moved before the answer goes back until the fields
            // are given (or the prompt is left).
            let shown_early = match app.screen {
                Screen::Board(entity) => app.board_mut(entity).undo_shown_move(),
                _ => false,
            };
            let mut effects = if shown_early { reload_screen(app) } else { vec![] };
            effects.extend(crate::tui::overlays::fill::ask(app, *fill));
            effects
        }
        ev @ (StoreEvent::Team(_) | StoreEvent::AdminDone { .. }) => team::on_store(app, ev),
        ev @ StoreEvent::Documents { .. } => super::screens::documents::on_store(app, ev),
        ev @ (StoreEvent::Reports { .. }
        | StoreEvent::ReportConversion { .. }
        | StoreEvent::ReportForecast { .. }
        | StoreEvent::ReportFunnel { .. }
        | StoreEvent::ReportActivity { .. }) => super::screens::reports::on_store(app, ev),
        StoreEvent::Opened { message, failed } => {
            if failed {
                error(app, message);
            } else {
                info(app, message);
            }
            vec![]
        }
        StoreEvent::Reference { users, pipelines, sources, lost_reasons, admin, crm_mode } => {
            app.admin = admin;
            app.lost_reasons = lost_reasons;
            app.users = users;
            app.pipelines = pipelines;
            app.sources = sources;
            app.crm_mode = crm_mode;
            // Simple mode has no lead screens: one showing goes to the deals.
            let on_leads =
                matches!(app.screen, Screen::Board(Entity::Lead) | Screen::List(Entity::Lead) | Screen::Triage);
            if !crm_mode.has_leads() && on_leads {
                return show_tab(app, Tab::DealBoard);
            }
            vec![]
        }
        StoreEvent::Saved { entity, id, message, open, moved_to } => {
            if app.screen == Screen::Triage {
                triage::triage_saved(app);
            }
            if app.screen == Screen::Agenda {
                agenda::saved(app);
            }
            if matches!(app.overlay, Overlay::Prompt(_) | Overlay::Editor(_) | Overlay::Plan(_) | Overlay::Entry(_)) {
                app.overlay = Overlay::None;
            }
            match app.status.take() {
                // A warning given as the write was asked (a time already past) stays said.
                Some((warning, super::app::Level::Warning)) => super::app::warn(app, format!("{message} {warning}")),
                _ => info(app, message),
            }
            if let Some(stage) = moved_to {
                app.board_mut(entity).follow = Some((stage, id));
            }
            if open {
                if let Some(f) = &app.form
                    && f.record.is_none()
                {
                    let leave = f.leave_after.clone();
                    app.form = None;
                    app.screen = app.back.pop().unwrap_or(Screen::Board(entity));
                    // Saved as the form was being left: it is left as asked.
                    match leave {
                        Some(overlays::question::Leave::Action(Action::Back)) => return reload_screen(app),
                        Some(overlays::question::Leave::Action(action)) => return update(app, action),
                        Some(overlays::question::Leave::Open(r)) => return form::open_record(app, r.entity, r.id),
                        None => {}
                    }
                }
                return form::open_record(app, entity, id);
            }
            let mut effects = reload_screen(app);
            if app.screen == Screen::Form {
                // The board behind the form reloads too, so Esc shows the change.
                effects.push(Effect::LoadBoard { entity, pipeline: app.board(entity).pipeline.as_ref().map(|p| p.id) });
            }
            effects
        }
        StoreEvent::Failed { message, field, conflict } => {
            app.triage.pending = None;
            app.pending_command = None;
            if let Some(f) = app.form.as_mut() {
                // A draft that could not be saved stays, and so does the user.
                f.leave_after = None;
            }
            app.agenda.follow = None;
            // An import's failure is its own: nothing else reloads.
            let importing = matches!(app.overlay, Overlay::Import(_));
            if let Some(message) = overlays::failed(app, message, field.as_deref()) {
                error(app, message);
            }
            // A move shown before its answer (board::Board::show_moved) is undone by a reload.
            let shown_early = match app.screen {
                Screen::Board(entity) => app.board_mut(entity).undo_shown_move(),
                _ => false,
            };
            if (conflict || shown_early) && !importing { reload_screen(app) } else { vec![] }
        }
        StoreEvent::Changed(changed) => {
            let shown = changed.as_deref().is_none_or(|list| shows_any_of(app, list));
            let mut effects = if shown { screen_effects(app) } else { vec![] };
            effects.push(Effect::LoadCounters);
            // A pipeline, user or source added elsewhere logs no record change.
            effects.push(Effect::LoadReference);
            effects
        }
        StoreEvent::Reminders(due) => {
            // One line for the soonest, the others counted; the bell once.
            if let Some(first) = due.iter().min_by_key(|a| a.deadline) {
                let at = crate::present::time(app.lang, first.deadline);
                let record = first
                    .bindings
                    .first()
                    .map(|(e, id, t)| crate::present::heading(app.lang, *e, *id, t))
                    .unwrap_or_default();
                let mut said = app.ta("tui.reminder", &[("subject", &first.subject), ("at", &at), ("record", &record)]);
                if due.len() > 1 {
                    said.push_str(&app.ta("tui.reminder_more", &[("count", &(due.len() - 1).to_string())]));
                }
                app.reminder = Some((said.clone(), app.now_ms + REMINDER_SHOWN_MS));
                app.desktop_note = Some(said.clone());
                crate::tui::app::warn(app, said);
                app.bell = true;
            }
            vec![Effect::LoadCounters]
        }
        StoreEvent::Waiting(w) => {
            app.waiting = w;
            vec![]
        }
        StoreEvent::Counters(c) => {
            app.counters = c;
            app.counters.holds_until = c.holds_until.min(app.now_ms + COUNTERS_HELD_AT_MOST_MS);
            if app.last_write_ms > 0 && app.now_ms - app.last_write_ms < COUNTERS_AFTER_WRITE_MS {
                app.counters.holds_until = 0;
            }
            vec![]
        }
    }
}
