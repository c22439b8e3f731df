//! A yes/no question whose yes is an effect (delete these, save despite duplicates).

use crate::tui::action::Action;
use crate::tui::app::{App, Overlay};
use crate::tui::effect::Effect;
use crate::tui::widgets::{frame_block, popup};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

/// A yes/no question.
#[derive(Clone, Debug, PartialEq)]
pub struct Confirm {
    /// The question.
    pub message: String,
    /// What yes does.
    pub on_yes: crate::tui::effect::Effect,
}

/// Enter (or `y`) runs the effect; Esc (or `n`) drops it.
pub(crate) fn update(app: &mut App, c: Confirm, action: Action) -> Vec<Effect> {
    match action {
        Action::Submit => vec![c.on_yes],
        Action::Back => vec![],
        _ => {
            app.overlay = Overlay::Confirm(c);
            vec![]
        }
    }
}

/// Draws the question.
pub(crate) fn draw(app: &App, c: &Confirm, f: &mut Frame, area: Rect) {
    let width = 64u16;
    let text_w = width.saturating_sub(2).max(1) as usize;
    let text_lines = (unicode_width::UnicodeWidthStr::width(c.message.as_str()) / text_w + 1) as u16;
    let rect = popup(area, width, text_lines + 4);
    let lines = vec![
        Line::from(c.message.clone()),
        Line::from(""),
        Line::from(Span::styled(app.t("tui.confirm_keys"), Style::default().fg(Color::Gray))),
    ];
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(frame_block(&app.t("tui.confirm_title"))),
        rect,
    );
}

/// What a key means: Enter, `y` or `o` (French "oui", as the French hint says) is yes; Esc,
/// `n` or `q` no.
pub(crate) fn key(ev: &KeyEvent) -> Option<Action> {
    match ev.code {
        KeyCode::Char('n') => Some(Action::Back),
        KeyCode::Char('o') => Some(Action::Submit),
        _ => super::picker::key(ev),
    }
}
