//! Key bindings as data. The keymap, the footer and the `?` help all read these tables, so
//! help can never drift from behaviour.

use super::action::{Action, Tab};
use super::app::{App, Screen};
use super::screens::team::TeamPane;
use crate::domain::fields::Entity;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// One key or chord.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    /// Key code.
    pub code: KeyCode,
    /// Modifiers that must be held (Shift is implied by upper-case letters).
    pub mods: KeyModifiers,
}

/// A key: a character.
pub const fn k(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::NONE }
}
/// A key: a key code.
pub const fn code(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}
/// A key: Ctrl and a character.
pub const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}

/// A binding: keys, what they do, how help names it, whether the footer shows it.
#[derive(Clone, Debug)]
pub struct Binding {
    /// Keys that trigger it.
    pub keys: Vec<Key>,
    /// What happens.
    pub action: Action,
    /// Message key of the description.
    pub label: &'static str,
    /// Shown in the footer.
    pub footer: bool,
}

/// A binding.
pub fn b(keys: &[Key], action: Action, label: &'static str, footer: bool) -> Binding {
    Binding { keys: keys.to_vec(), action, label, footer }
}

/// The context whose bindings apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// The Kanban board of leads or deals.
    Board(Entity),
    /// A list.
    List,
    /// A record form.
    Form,
    /// The welcome screen.
    Welcome,
    /// The activities board.
    Agenda,
    /// The calendar.
    Calendar,
    /// Triage.
    Triage,
    /// The administration screens: the pane, and whether the user administers (the keys
    /// that write are theirs only).
    Team(super::screens::team::TeamPane, bool),
    /// Quotes and invoices.
    Documents,
    /// The sales head's reports, with the keys of the report shown (a bar or a stage, Enter).
    Reports(crate::tui::screens::reports::ReportPage),
}

/// `h`/`l` between columns, `j`/`k` within one, `g`/`G` to its ends: the Kanban boards and
/// the activities board.
pub fn column_navigation() -> Vec<Binding> {
    use Action::*;
    vec![
        b(&[k('h'), code(KeyCode::Left)], Left, "tui.key_prev_column", false),
        b(&[k('l'), code(KeyCode::Right)], Right, "tui.key_next_column", false),
        b(&[k('j'), code(KeyCode::Down)], Down, "tui.key_down", false),
        b(&[k('k'), code(KeyCode::Up)], Up, "tui.key_up", false),
        b(&[k('g'), code(KeyCode::Home)], Top, "tui.key_top", false),
        b(&[k('G'), code(KeyCode::End)], Bottom, "tui.key_bottom", false),
    ]
}

/// Whether `action` is offered (the `?` help, the palette) in `mode`: CRM simple mode has no
/// lead screens, so their tabs and triage are not offered (`1` and `2` still work: they show
/// the deals).
pub fn offered(mode: crate::domain::crm_mode::CrmMode, action: Action) -> bool {
    mode.has_leads()
        || !matches!(
            action,
            Action::Show(Tab::LeadBoard)
                | Action::Show(Tab::LeadList)
                | Action::Triage
                | Action::Convert
                | Action::Take
                | Action::FilterRepeat
        )
}

/// Whether the commands of `ctx` are offered in `mode` (the lead board and triage are not, in
/// CRM simple mode).
pub fn context_offered(mode: crate::domain::crm_mode::CrmMode, ctx: Context) -> bool {
    mode.has_leads() || !matches!(ctx, Context::Board(Entity::Lead) | Context::Triage)
}

/// Bindings of a context, most useful first (each screen's, from its module); global ones at
/// the end.
pub fn bindings(ctx: Context) -> Vec<Binding> {
    use super::screens::{agenda, board, calendar, documents, form, list, reports, team, triage, welcome};
    let mut v = match ctx {
        Context::Board(entity) => board::bindings(entity),
        Context::List => list::bindings(),
        Context::Form => form::bindings(),
        Context::Agenda => agenda::bindings(),
        Context::Calendar => calendar::bindings(),
        Context::Triage => triage::bindings(),
        Context::Welcome => welcome::bindings(),
        Context::Team(pane, admin) => team::bindings(pane, admin),
        Context::Documents => documents::bindings(),
        Context::Reports(page) => reports::bindings(page),
    };
    v.extend(global_bindings(ctx));
    v
}

/// Every context, in the order the palette offers their commands.
pub const CONTEXTS: [Context; 19] = [
    Context::Board(Entity::Lead),
    Context::Board(Entity::Deal),
    Context::List,
    Context::Agenda,
    Context::Calendar,
    Context::Triage,
    Context::Form,
    Context::Documents,
    Context::Reports(super::screens::reports::ReportPage::Overview),
    Context::Reports(super::screens::reports::ReportPage::Funnel),
    Context::Reports(super::screens::reports::ReportPage::Activity),
    Context::Welcome,
    Context::Team(TeamPane::Users, true),
    Context::Team(TeamPane::Roles, true),
    Context::Team(TeamPane::Departments, true),
    Context::Team(TeamPane::Stages, true),
    Context::Team(TeamPane::Sources, true),
    Context::Team(TeamPane::Queue, true),
    Context::Team(TeamPane::Fields, true),
];

/// The keys of every screen: search, palette, help, back, the tabs, refresh, quit.
pub fn global_bindings(ctx: Context) -> Vec<Binding> {
    use Action::*;
    vec![
        b(&[k('/')], Search, "tui.key_search", true),
        b(&[k(':')], Palette, "tui.key_palette", true),
        b(&[k('?')], Help, "tui.key_help", true),
        b(&[code(KeyCode::Esc)], Back, "tui.key_back", ctx == Context::Form),
        b(&[k('1')], Show(Tab::LeadBoard), "tui.act_show_leads", false),
        b(&[k('2')], Show(Tab::LeadList), "tui.act_show_list", false),
        b(&[k('3')], Show(Tab::DealBoard), "tui.act_show_deals", false),
        b(&[k('4')], Show(Tab::DealList), "tui.act_show_deal_list", false),
        b(&[k('5')], Show(Tab::Contacts), "tui.act_show_contacts", false),
        b(&[k('6')], Show(Tab::Companies), "tui.act_show_companies", false),
        b(&[k('7')], Show(Tab::Activities), "tui.act_show_activities", false),
        b(&[k('8')], Show(Tab::Calendar), "tui.act_show_calendar", false),
        b(&[k('9')], Show(Tab::Reports), "tui.act_show_reports", false),
        b(&[k(',')], Team, "team.key_show", false),
        b(&[k('0')], Documents, "tui.act_show_documents", false),
        b(&[code(KeyCode::Tab)], NextTab, "tui.key_next_tab", false),
        b(&[ctrl('r')], Refresh, "tui.act_refresh", false),
        b(&[k('q')], Quit, "tui.key_quit", true),
    ]
}

/// The context of what is on screen.
pub fn context(app: &App) -> Context {
    match &app.screen {
        Screen::Welcome => Context::Welcome,
        Screen::Board(entity) => Context::Board(*entity),
        Screen::List(_) => Context::List,
        Screen::Form => Context::Form,
        Screen::Agenda => Context::Agenda,
        Screen::Calendar => Context::Calendar,
        Screen::Triage => Context::Triage,
        Screen::Team => Context::Team(app.team.pane, app.admin),
        Screen::Documents => Context::Documents,
        Screen::Reports => Context::Reports(app.reports.page),
    }
}

/// The action of the first of `list` that `ev` triggers: an overlay's bindings as data.
pub fn binding_for(list: &[Binding], ev: &KeyEvent) -> Option<Action> {
    list.iter().find(|bnd| bnd.keys.iter().any(|key| matches(key, ev))).map(|bnd| bnd.action)
}

/// The footer line of `list`: each binding the footer shows, by its first key.
pub fn footer_line(lang: crate::i18n::Lang, list: &[Binding]) -> String {
    list.iter()
        .filter(|bnd| bnd.footer)
        .map(|bnd| {
            let key = bnd.keys.first().map(|key| key_name(lang, key)).unwrap_or_default();
            format!("{key} {}", crate::i18n::tr_in(lang, bnd.label, &[]))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    match (key.code, ev.code) {
        (KeyCode::Char(a), KeyCode::Char(b)) => a == b && key.mods == mods,
        (a, b) => a == b && key.mods == mods,
    }
}

/// Human form of a key for the footer and help: `h`, `Enter`, `Ctrl-s`.
pub fn key_name(lang: crate::i18n::Lang, key: &Key) -> String {
    let word = |k: &str| crate::i18n::tr_in(lang, &format!("key_name.{k}"), &[]);
    let base = match key.code {
        KeyCode::Char(' ') => word("space"),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => word("enter"),
        KeyCode::Esc => word("esc"),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Home => word("home"),
        KeyCode::End => word("end"),
        KeyCode::PageUp => word("page_up"),
        KeyCode::PageDown => word("page_down"),
        KeyCode::Tab => "Tab".into(),
        other => format!("{other:?}"),
    };
    if key.mods.contains(KeyModifiers::CONTROL) { format!("Ctrl-{base}") } else { base }
}

/// The action a key press means here, if any. Text overlays take typed keys as input.
pub fn action_for(app: &App, ev: KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    if ev.modifiers.contains(KeyModifiers::CONTROL) && ev.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if let Some(action) = super::overlays::action_for(&app.overlay, &ev) {
        return action;
    }
    bindings(context(app)).into_iter().find(|bnd| bnd.keys.iter().any(|key| matches(key, &ev))).map(|bnd| bnd.action)
}

/// The action a mouse event means here, if any: the wheel scrolls a list, a board's or the
/// activities board's column, or a form's timeline; a click focuses a tab, a row or a card. Where things are is worked out with the
/// layout functions the views draw with, from `app.size`; an open popup takes no mouse.
pub fn mouse_action(app: &App, ev: MouseEvent) -> Option<Action> {
    use super::screens::{agenda, board, form, list};
    let (width, height) = app.size;
    if !matches!(app.overlay, super::app::Overlay::None) || super::views::too_small(width, height) {
        return None;
    }
    let down = match ev.kind {
        MouseEventKind::ScrollDown => Some(true),
        MouseEventKind::ScrollUp => Some(false),
        MouseEventKind::Down(MouseButton::Left) => None,
        _ => return None,
    };
    let (x, y) = (ev.column, ev.row);
    if y == 0 {
        return match down {
            None => super::widgets::bars::tab_at(app, width, x).map(Action::Show),
            Some(_) => None,
        };
    }
    let body = ratatui::layout::Rect { x: 0, y: 1, width, height: height.saturating_sub(3) };
    if y >= body.y + body.height {
        return None;
    }
    match &app.screen {
        Screen::List(entity) => {
            let Some(down) = down else {
                let row = list::row_at(app.lists.get(entity)?, body, y)?;
                return Some(Action::FocusAt { column: 0, row });
            };
            Some(Action::Wheel { column: 0, down })
        }
        Screen::Board(entity) => {
            let (column, rect) =
                board::column_slots(app, *entity, body).into_iter().find(|(_, r)| x >= r.x && x < r.x + r.width + 1)?;
            match down {
                Some(down) => Some(Action::Wheel { column, down }),
                None => {
                    let col = app.board(*entity).columns.get(column)?;
                    let row = board::card_at(col, rect, y).unwrap_or(col.cursor);
                    Some(Action::FocusAt { column, row })
                }
            }
        }
        Screen::Agenda => {
            let (column, rect) =
                agenda::column_slots(app, body).into_iter().find(|(_, r)| x >= r.x && x < r.x + r.width + 1)?;
            match down {
                Some(down) => Some(Action::Wheel { column, down }),
                None => {
                    let col = app.agenda.columns.get(column)?;
                    let row = agenda::card_at(col, rect, y).unwrap_or(col.cursor);
                    Some(Action::FocusAt { column, row })
                }
            }
        }
        // The wheel scrolls the timeline, or moves the cursor over the fields.
        Screen::Form => {
            let form_view = app.form.as_ref().filter(|f| !f.loading)?;
            let down = down?;
            let [_, _, left, right] = form::areas(body);
            let column = if x >= right.x && y >= right.y && !form_view.timeline.is_empty() {
                form::WHEEL_TIMELINE
            } else if x < left.x + left.width && y >= left.y {
                form::WHEEL_FIELDS
            } else {
                return None;
            };
            Some(Action::Wheel { column, down })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let team = TeamPane::ALL.into_iter().flat_map(|p| [Context::Team(p, true), Context::Team(p, false)]);
        for ctx in team.chain([
            Context::Board(Entity::Lead),
            Context::Board(Entity::Deal),
            Context::List,
            Context::Form,
            Context::Welcome,
            Context::Agenda,
            Context::Calendar,
            Context::Triage,
        ]) {
            let mut seen: Vec<Key> = Vec::new();
            for b in bindings(ctx) {
                for key in b.keys {
                    assert!(!seen.contains(&key), "{ctx:?}: {} bound twice", key_name(crate::i18n::Lang::En, &key));
                    seen.push(key);
                }
            }
        }
    }

    #[test]
    fn an_open_overlay_reads_keys_its_own_way() {
        use crate::tui::app::{Confirm, ImportWizard, Overlay, PickPurpose, Picker, Prompt, PromptPurpose};
        use crate::tui::effect::Effect;
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let mut app = App::new(crate::i18n::Lang::En, "alice", "crm.db", 0);
        assert_eq!(action_for(&app, key('q')), Some(Action::Quit));
        app.overlay = Overlay::Confirm(Confirm { message: "?".into(), on_yes: Effect::LoadCounters });
        assert_eq!(action_for(&app, key('n')), Some(Action::Back));
        assert_eq!(action_for(&app, key('y')), Some(Action::Submit));
        let picker = Picker { purpose: PickPurpose::Pipeline, title: "p".into(), items: vec![], cursor: 0 };
        app.overlay = Overlay::Picker(picker);
        assert_eq!(action_for(&app, key('n')), None);
        assert_eq!(action_for(&app, key('j')), Some(Action::Down));
        let input = Default::default();
        app.overlay = Overlay::Prompt(Prompt {
            purpose: PromptPurpose::FilterText,
            title: "f".into(),
            input,
            error: None,
            files: None,
        });
        assert_eq!(action_for(&app, key('q')), Some(Action::Input(crate::tui::action::InputKey::Char('q'))));
        app.overlay = Overlay::Import(Box::new(ImportWizard::new(crate::domain::fields::Entity::Lead, "a.csv".into())));
        assert_eq!(action_for(&app, key('h')), Some(Action::ChoicePrev));
        assert_eq!(action_for(&app, key('r')), Some(Action::ImportDryRun));
        assert_eq!(action_for(&app, key('d')), Some(Action::ImportMode));
        // Its values step and result screen: their own keys (issue 24), `?` their help.
        if let Overlay::Import(w) = &mut app.overlay {
            w.values = Some(crate::tui::overlays::import::ValuesStep::new(vec![], &[], &[]));
        }
        assert_eq!(action_for(&app, key(' ')), Some(Action::ChoiceNext));
        assert_eq!(action_for(&app, key('d')), None, "no duplicate mode in the values step");
        assert_eq!(action_for(&app, key('?')), Some(Action::Help));
        if let Overlay::Import(w) = &mut app.overlay {
            w.result = Some("done".into());
        }
        assert_eq!(action_for(&app, code_key(KeyCode::Enter)), Some(Action::Back), "no rows: Enter leaves");
        if let Overlay::Import(w) = &mut app.overlay {
            let row =
                crate::tui::effect::ReportRow { line: 2, outcome: "x".into(), reason: String::new(), record: None };
            w.rows = vec![row];
        }
        assert_eq!(action_for(&app, code_key(KeyCode::Enter)), Some(Action::Submit));
        assert_eq!(action_for(&app, code_key(KeyCode::PageDown)), Some(Action::PageDown));
        assert_eq!(action_for(&app, key(' ')), None);
        if let Overlay::Import(w) = &mut app.overlay {
            w.help = true;
        }
        assert_eq!(action_for(&app, key('x')), Some(Action::Back), "any key leaves the help");
        app.overlay = Overlay::Help;
        assert_eq!(action_for(&app, key('x')), Some(Action::Back));
        // The wizard: j moves on a step without text fields.
        let w = crate::tui::app::ConvertWizard {
            lead_id: 1,
            version: 1,
            title: "t".into(),
            is_repeat: false,
            client: None,
            step: crate::tui::app::WizardStep::Targets,
            targets: 0,
            contact_matches: vec![],
            company_matches: vec![],
            hidden_matches: vec![],
            contact_choice: 0,
            company_choice: 0,
            fields: vec![],
            pipeline: 0,
            row: 0,
            error: None,
            editing: false,
            open_activities: 0,
        };
        app.overlay = Overlay::Convert(Box::new(w.clone()));
        assert_eq!(action_for(&app, key('j')), Some(Action::Down));
        // Step 3: j moves too; letters are text only in a field being edited (after `e`).
        let fields = crate::tui::app::ConvertWizard { step: crate::tui::app::WizardStep::Fields, ..w };
        app.overlay = Overlay::Convert(Box::new(fields.clone()));
        assert_eq!(action_for(&app, key('j')), Some(Action::Down));
        assert_eq!(action_for(&app, key('e')), Some(Action::Edit));
        assert_eq!(action_for(&app, key('x')), None);
        app.overlay = Overlay::Convert(Box::new(crate::tui::app::ConvertWizard { editing: true, ..fields }));
        assert_eq!(action_for(&app, key('j')), Some(Action::Input(crate::tui::action::InputKey::Char('j'))));
    }
}
