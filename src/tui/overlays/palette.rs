//! The command palette: every action by name, fuzzy-matched in the app's language and in
//! English.

use crate::domain::fields::Entity;
use crate::tui::action::{Action, Tab};
use crate::tui::app::{App, Overlay, info};
use crate::tui::effect::Effect;
use crate::tui::keymap::{self, Binding, Context};
use crate::tui::widgets::input::{TextInput, edit_text, input_line, set_field_cursor};
use crate::tui::widgets::{fit, frame_block, popup, step};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// A command of the palette: what it does, its name, its key and the screen it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// What it does.
    pub action: Action,
    /// Message key of its name.
    pub label: &'static str,
    /// Its key, as help names it (`m`, `Ctrl-r`), if it has one.
    pub key: Option<String>,
    /// The screen it runs on; `None`: anywhere.
    pub context: Option<Context>,
}

/// The command palette.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Palette {
    /// What was typed.
    pub input: TextInput,
    /// Every command of the app (`commands`).
    pub commands: Vec<Command>,
    /// Indices into `commands`, best match first.
    pub matches: Vec<usize>,
    /// Focused match.
    pub cursor: usize,
}

/// Actions that move within a screen or answer a popup: keys, not commands.
fn is_navigation(action: Action) -> bool {
    use Action::*;
    matches!(
        action,
        Up | Down
            | Left
            | Right
            | Top
            | Bottom
            | PageUp
            | PageDown
            | Back
            | Palette
            | Submit
            | Input(_)
            | ChoiceNext
            | ChoicePrev
            | FocusAt { .. }
            | Wheel { .. }
    )
}

/// Actions the router runs whatever the screen.
fn is_global(action: Action) -> bool {
    use Action::*;
    matches!(action, Quit | Help | Search | Show(_) | NextTab | Refresh | Triage | LoadDemo | NewRecord)
}

/// Every command of the app, each once: the global ones, then each screen's (the screen in
/// view first, so a command several screens have runs here), then the named actions no key
/// reaches.
pub fn commands(app: &App) -> Vec<Command> {
    let here = keymap::context(app);
    let named = Action::palette();
    let name = |action: Action, fallback: &'static str| {
        named.iter().find(|(a, _)| *a == action).map(|(_, label)| *label).unwrap_or(fallback)
    };
    let mut out: Vec<Command> = Vec::new();
    let mut add = |action: Action, label: &'static str, key: Option<String>, context: Option<Context>| {
        if !is_navigation(action) && keymap::offered(app.crm_mode, action) && !out.iter().any(|c| c.action == action) {
            let context = if is_global(action) { None } else { context };
            out.push(Command { action, label: name(action, label), key, context });
        }
    };
    let first_key = |b: &Binding| b.keys.first().map(|k| keymap::key_name(app.lang, k));
    for b in keymap::global_bindings(here) {
        add(b.action, b.label, first_key(&b), None);
    }
    let contexts = std::iter::once(here).chain(keymap::CONTEXTS.into_iter().filter(|c| *c != here));
    // The administration's writing keys are offered to administrators only.
    for ctx in contexts
        .filter(|c| app.admin || !matches!(c, Context::Team(_, true)))
        .filter(|c| keymap::context_offered(app.crm_mode, *c))
    {
        for b in keymap::bindings(ctx) {
            add(b.action, b.label, first_key(&b), Some(ctx));
        }
    }
    for (action, label) in named.clone() {
        add(action, label, None, None);
    }
    out
}

/// Opens the palette on every command.
pub(crate) fn open(app: &mut App) {
    let mut p = Palette { commands: commands(app), ..Default::default() };
    refilter_palette(app.lang, &mut p);
    app.overlay = Overlay::Palette(p);
}

/// Message key of a screen's name, as the palette says where a command runs.
fn screen_key(ctx: Context) -> &'static str {
    match ctx {
        Context::Board(_) => "tui.screen_board",
        Context::List => "tui.screen_list",
        Context::Form => "tui.screen_form",
        Context::Welcome => "tui.screen_welcome",
        Context::Agenda => "tui.tab_activities",
        Context::Calendar => "tui.tab_calendar",
        Context::Triage => "tui.screen_triage",
        Context::Team(..) => "team.title",
        Context::Documents => "tui.screen_documents",
        Context::Reports(_) => "tui.tab_reports",
    }
}

/// Runs a command: on its screen, which is shown first when another is in view. There it
/// waits for the screen's data (`App::pending_command`, run by `update::on_store`): a command
/// on the focused row or card would find none before they arrive.
fn run(app: &mut App, c: &Command) -> Vec<Effect> {
    use crate::tui::update::{show_tab, update};
    let here = keymap::context(app);
    let go = match c.context {
        None | Some(Context::Welcome) => return update(app, c.action),
        Some(ctx) if ctx == here => return update(app, c.action),
        Some(Context::Form) => {
            info(app, app.t("tui.palette_needs_record"));
            return vec![];
        }
        Some(Context::Triage) => update(app, Action::Triage),
        Some(Context::Board(Entity::Deal)) => show_tab(app, Tab::DealBoard),
        Some(Context::Board(_)) => show_tab(app, Tab::LeadBoard),
        Some(Context::List) => show_tab(app, Tab::LeadList),
        Some(Context::Agenda) => show_tab(app, Tab::Activities),
        Some(Context::Calendar) => show_tab(app, Tab::Calendar),
        Some(Context::Team(pane, _)) => crate::tui::screens::team::open(app, Some(pane)),
        Some(Context::Documents) => crate::tui::screens::documents::open(app),
        Some(Context::Reports(_)) => show_tab(app, Tab::Reports),
    };
    if go.is_empty() {
        // Nothing to wait for: the screen already holds its data.
        return update(app, c.action);
    }
    app.pending_command = Some((app.screen.clone(), c.action));
    go
}

/// Typing narrows the commands; Enter runs the focused one.
pub(crate) fn update(app: &mut App, mut p: Palette, action: Action) -> Vec<Effect> {
    match action {
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
        Action::Submit => match p.matches.get(p.cursor).and_then(|i| p.commands.get(*i)) {
            Some(chosen) => run(app, &chosen.clone()),
            None => vec![],
        },
        _ => {
            app.overlay = Overlay::Palette(p);
            vec![]
        }
    }
}

/// Matches the typed text against every command, best first.
pub(crate) fn refilter_palette(lang: crate::i18n::Lang, p: &mut Palette) {
    use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
    use nucleo_matcher::{Config, Matcher, Utf32Str};
    let entries = &p.commands;
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
            .filter_map(|(i, c)| {
                let local = crate::i18n::tr_in(lang, c.label, &[]);
                let english = crate::i18n::tr_in(crate::i18n::Lang::En, c.label, &[]);
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

/// Draws the field and the matching commands, each with its key and its screen.
pub(crate) fn draw(app: &App, p: &Palette, f: &mut Frame, area: Rect) {
    use unicode_width::UnicodeWidthStr;
    let rect = popup(area, 72, 18);
    let w = rect.width.saturating_sub(2) as usize;
    let mut lines = vec![input_line(": ", &p.input, w), Line::from("")];
    let room = rect.height.saturating_sub(4) as usize;
    let first = p.cursor.saturating_sub(room.saturating_sub(1));
    for (n, i) in p.matches.iter().enumerate().skip(first).take(room) {
        let Some(c) = p.commands.get(*i) else { continue };
        let mut right: Vec<String> = c.key.iter().cloned().collect();
        if let Some(ctx) = c.context {
            right.push(app.t(screen_key(ctx)));
        }
        let right = format!("{} ", right.join(" · "));
        let left_w = w.saturating_sub(right.width() + 1);
        // A key's short label (`import CSV`) reads as a command name too.
        let name = app.t(c.label);
        let mut chars = name.chars();
        let name: String = chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default();
        let left = fit(&format!(" {name}"), left_w);
        let pad = w.saturating_sub(left.width() + right.width());
        let text = fit(&format!("{left}{}{right}", " ".repeat(pad)), w);
        let style = if n == p.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
        lines.push(Line::from(Span::styled(text, style)));
    }
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.palette_title"))), rect);
    set_field_cursor(f, rect, ": ", &p.input);
}
