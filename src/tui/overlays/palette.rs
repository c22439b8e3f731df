//! The command palette: every action by name, fuzzy-matched in the app's language and in
//! English.

use crate::tui::action::Action;
use crate::tui::app::{App, Overlay};
use crate::tui::effect::Effect;
use crate::tui::widgets::input::{TextInput, edit_text, input_line};
use crate::tui::widgets::{fit, frame_block, popup, step};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The command palette.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Palette {
    /// What was typed.
    pub input: TextInput,
    /// Indices into `Action::palette()`, best match first.
    pub matches: Vec<usize>,
    /// Focused match.
    pub cursor: usize,
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
        Action::Submit => match p.matches.get(p.cursor).and_then(|i| Action::palette().get(*i).map(|e| e.0)) {
            Some(chosen) => crate::tui::update::update(app, chosen),
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

/// Draws the field and the matching commands.
pub(crate) fn draw(app: &App, p: &Palette, f: &mut Frame, area: Rect) {
    let rect = popup(area, 60, 16);
    let w = rect.width.saturating_sub(2) as usize;
    let entries = Action::palette();
    let mut lines = vec![input_line(": ", &p.input, w), Line::from("")];
    let room = rect.height.saturating_sub(4) as usize;
    let first = p.cursor.saturating_sub(room.saturating_sub(1));
    for (n, i) in p.matches.iter().enumerate().skip(first).take(room) {
        let label = app.t(entries[*i].1);
        let style = if n == p.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
        lines.push(Line::from(Span::styled(fit(&format!(" {label}"), w), style)));
    }
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.palette_title"))), rect);
}
