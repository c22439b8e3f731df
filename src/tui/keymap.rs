//! Key bindings as data. The keymap, the footer and the `?` help all read these tables, so
//! help can never drift from behaviour.

use super::action::{Action, InputKey, Tab};
use super::app::{App, Overlay, Screen};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// One key or chord.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    /// Key code.
    pub code: KeyCode,
    /// Modifiers that must be held (Shift is implied by upper-case letters).
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::NONE }
}
const fn code(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}
const fn ctrl(c: char) -> Key {
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

fn b(keys: &[Key], action: Action, label: &'static str, footer: bool) -> Binding {
    Binding { keys: keys.to_vec(), action, label, footer }
}

/// The context whose bindings apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// A Kanban board.
    Board,
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
}

/// `h`/`l` between columns, `j`/`k` within one, `g`/`G` to its ends: the Kanban boards and
/// the activities board.
fn column_navigation() -> Vec<Binding> {
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

/// Bindings of a context, most useful first; global ones at the end.
pub fn bindings(ctx: Context) -> Vec<Binding> {
    use Action::*;
    let mut v = match ctx {
        Context::Board => [
            column_navigation(),
            vec![
                b(&[k('H')], MovePrev, "tui.key_move_prev", true),
                b(&[k('L')], MoveNext, "tui.key_move_next", true),
                b(&[k('m')], PickStage, "tui.key_pick_stage", true),
                b(&[k('n')], QuickCreate, "tui.key_quick_create", true),
                b(&[k('a')], PlanActivity, "tui.key_plan", true),
                b(&[k('C')], Convert, "tui.key_convert", false),
                b(&[k('N')], NewRecord, "tui.key_new", false),
                b(&[code(KeyCode::Enter)], Open, "tui.key_open", true),
                b(&[code(KeyCode::PageDown), ctrl('d')], PageDown, "tui.key_page_down", false),
                b(&[code(KeyCode::PageUp), ctrl('u')], PageUp, "tui.key_page_up", false),
                b(&[k('p')], SwitchPipeline, "tui.key_pipeline", false),
                b(&[k('T')], Triage, "tui.key_triage", false),
                b(&[k('t')], Take, "tui.key_take", false),
            ],
        ]
        .concat(),
        Context::List => vec![
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
            b(&[k('I')], Import, "tui.key_import", false),
            b(&[k('s')], SortNext, "tui.key_sort", true),
            b(&[k('S')], SortFlip, "tui.key_sort_flip", false),
            b(&[k('f')], FilterText, "tui.key_filter_text", true),
            b(&[k('t')], FilterStage, "tui.key_filter_stage", false),
            b(&[k('r')], FilterResponsible, "tui.key_filter_responsible", false),
            b(&[k('o')], FilterSource, "tui.key_filter_source", false),
            b(&[k('c')], FilterCreated, "tui.key_filter_created", false),
            b(&[k('M')], FilterMine, "tui.key_filter_mine", false),
            b(&[k('T')], FilterNewToday, "tui.key_filter_today", false),
            b(&[k('R')], FilterRepeat, "tui.key_filter_repeat", false),
            b(&[k('F')], ClearFilters, "tui.key_filter_clear", false),
            b(&[k('N')], NewRecord, "tui.key_new", false),
            b(&[k('g'), code(KeyCode::Home)], Top, "tui.key_top", false),
            b(&[k('G'), code(KeyCode::End)], Bottom, "tui.key_bottom", false),
            b(&[code(KeyCode::PageDown), ctrl('d')], PageDown, "tui.key_page_down", false),
            b(&[code(KeyCode::PageUp), ctrl('u')], PageUp, "tui.key_page_up", false),
        ],
        Context::Form => vec![
            b(&[k('j'), code(KeyCode::Down)], Down, "tui.key_down", false),
            b(&[k('k'), code(KeyCode::Up)], Up, "tui.key_up", false),
            b(&[k('g'), code(KeyCode::Home)], Top, "tui.key_top", false),
            b(&[k('G'), code(KeyCode::End)], Bottom, "tui.key_bottom", false),
            b(&[k('e'), code(KeyCode::Enter)], Edit, "tui.key_edit", true),
            b(&[k('c')], Comment, "tui.key_comment", true),
            b(&[k('a')], PlanActivity, "tui.key_plan", true),
            b(&[k('H')], MovePrev, "tui.key_move_prev", false),
            b(&[k('L')], MoveNext, "tui.key_move_next", false),
            b(&[k('m')], PickStage, "tui.key_pick_stage", true),
            b(&[k('P')], AddPhone, "tui.key_add_phone", false),
            b(&[k('E')], AddEmail, "tui.key_add_email", false),
            b(&[k('x')], RemoveComm, "tui.key_remove_comm", false),
            b(&[k('C')], Convert, "tui.key_convert", false),
            b(&[k('t')], Take, "tui.key_take", false),
            b(&[ctrl('s')], Save, "tui.key_save", true),
        ],
        Context::Agenda => [
            column_navigation(),
            vec![
                b(&[k('H')], MovePrev, "tui.key_drop_prev", true),
                b(&[k('L')], MoveNext, "tui.key_drop_next", true),
                b(&[k('a')], PlanActivity, "tui.key_plan", true),
                b(&[code(KeyCode::Enter)], Open, "tui.key_open", true),
            ],
        ]
        .concat(),
        Context::Calendar => vec![
            b(&[k('h'), code(KeyCode::Left)], Left, "tui.key_prev_day", false),
            b(&[k('l'), code(KeyCode::Right)], Right, "tui.key_next_day", false),
            b(&[k('k'), code(KeyCode::Up)], Up, "tui.key_prev_week", false),
            b(&[k('j'), code(KeyCode::Down)], Down, "tui.key_next_week", false),
            b(&[k('[')], PrevMonth, "tui.key_prev_month", true),
            b(&[k(']')], NextMonth, "tui.key_next_month", true),
            b(&[k('t')], Today, "tui.key_today", true),
            b(&[k('w')], ToggleWeek, "tui.key_week", true),
            b(&[k('J')], PageDown, "tui.key_agenda_down", false),
            b(&[k('K')], PageUp, "tui.key_agenda_up", false),
            b(&[k('x')], CompleteActivity, "tui.key_complete", false),
            b(&[k('e')], Edit, "tui.key_reschedule", true),
            b(&[k('D')], DeleteActivity, "tui.key_delete_activity", false),
            b(&[code(KeyCode::Enter)], Open, "tui.key_open_activity", true),
        ],
        Context::Triage => vec![
            b(&[k('y')], TriageQualify, "tui.key_qualify", true),
            b(&[k('j')], TriageJunk, "tui.key_junk", true),
            b(&[k('c')], PlanActivity, "tui.key_call", true),
            b(&[k('a')], BulkAssign, "tui.key_assign", true),
            b(&[k('C')], Convert, "tui.key_convert", true),
            b(&[k('s')], TriageSkip, "tui.key_skip", true),
            b(&[k('u')], TriageUndo, "tui.key_undo", true),
            b(&[code(KeyCode::Enter)], Open, "tui.key_open", false),
        ],
        Context::Welcome => {
            vec![b(&[k('n')], NewRecord, "tui.key_first_lead", true), b(&[k('d')], LoadDemo, "tui.key_demo", true)]
        }
    };
    v.extend([
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
        b(&[code(KeyCode::Tab)], NextTab, "tui.key_next_tab", false),
        b(&[ctrl('r')], Refresh, "tui.act_refresh", false),
        b(&[k('q')], Quit, "tui.key_quit", true),
    ]);
    v
}

/// The context of what is on screen.
pub fn context(app: &App) -> Context {
    match &app.screen {
        Screen::Welcome => Context::Welcome,
        Screen::Board(_) => Context::Board,
        Screen::List(_) => Context::List,
        Screen::Form => Context::Form,
        Screen::Agenda => Context::Agenda,
        Screen::Calendar => Context::Calendar,
        Screen::Triage => Context::Triage,
    }
}

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    match (key.code, ev.code) {
        (KeyCode::Char(a), KeyCode::Char(b)) => a == b && key.mods == mods,
        (a, b) => a == b && key.mods == mods,
    }
}

/// Human form of a key for the footer and help: `h`, `Enter`, `Ctrl-s`.
pub fn key_name(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
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
    match &app.overlay {
        Overlay::Prompt(_) | Overlay::Palette(_) | Overlay::Search(_) | Overlay::Plan(_) | Overlay::Convert(_) => {
            return Some(match ev.code {
                KeyCode::Esc => Action::Back,
                KeyCode::Enter => Action::Submit,
                KeyCode::Up => Action::Up,
                KeyCode::Down => Action::Down,
                KeyCode::Tab => Action::Down,
                KeyCode::BackTab => Action::Up,
                KeyCode::Backspace => Action::Input(InputKey::Backspace),
                KeyCode::Delete => Action::Input(InputKey::Delete),
                KeyCode::Left => Action::Input(InputKey::Left),
                KeyCode::Right => Action::Input(InputKey::Right),
                KeyCode::Home => Action::Input(InputKey::Home),
                KeyCode::End => Action::Input(InputKey::End),
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => Action::Input(InputKey::Char(c)),
                _ => return None,
            });
        }
        Overlay::Picker(_) | Overlay::Confirm(_) => {
            return match ev.code {
                KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
                KeyCode::Enter | KeyCode::Char('y') => Some(Action::Submit),
                KeyCode::Char('n') if matches!(app.overlay, Overlay::Confirm(_)) => Some(Action::Back),
                KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
                _ => None,
            };
        }
        Overlay::Merge(_) | Overlay::Conflict(_) => {
            return match ev.code {
                KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
                KeyCode::Enter => Some(Action::Submit),
                KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
                KeyCode::Char(' ' | 'h' | 'l') | KeyCode::Left | KeyCode::Right => {
                    Some(Action::Input(InputKey::Char(' ')))
                }
                _ => None,
            };
        }
        Overlay::Help | Overlay::Notice(_) => return Some(Action::Back),
        Overlay::Import(_) => {
            return match ev.code {
                KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
                KeyCode::Enter => Some(Action::Submit),
                KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
                KeyCode::Char(' ' | 'l') | KeyCode::Right => Some(Action::Input(InputKey::Char(' '))),
                KeyCode::Char('h') | KeyCode::Left => Some(Action::Input(InputKey::Char('h'))),
                KeyCode::Char(c @ ('d' | 'm' | 'r')) => Some(Action::Input(InputKey::Char(c))),
                _ => None,
            };
        }
        Overlay::None => {}
    }
    bindings(context(app)).into_iter().find(|bnd| bnd.keys.iter().any(|key| matches(key, &ev))).map(|bnd| bnd.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for ctx in [
            Context::Board,
            Context::List,
            Context::Form,
            Context::Welcome,
            Context::Agenda,
            Context::Calendar,
            Context::Triage,
        ] {
            let mut seen: Vec<Key> = Vec::new();
            for b in bindings(ctx) {
                for key in b.keys {
                    assert!(!seen.contains(&key), "{ctx:?}: {} bound twice", key_name(&key));
                    seen.push(key);
                }
            }
        }
    }
}
