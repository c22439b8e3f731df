//! A multi-line text editor for long texts (a record's comments): Enter starts a new line,
//! Ctrl-s or Alt-Enter is done, Esc closes: at once when the text is as it was opened, else
//! after asking save / discard / keep editing. Its text goes where a prompt's would
//! (`prompt::answer`).

use crate::tui::action::{Action, InputKey};
use crate::tui::app::{App, Overlay, PromptPurpose};
use crate::tui::effect::Effect;
use crate::tui::overlays::prompt::{Answered, answer};
use crate::tui::widgets::input::{TextInput, edit_text};
use crate::tui::widgets::{fit, frame_block, popup};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The editor: the text (lines joined by `\n`) and its cursor, in characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Editor {
    /// What the text is for.
    pub purpose: PromptPurpose,
    /// Title shown above the text.
    pub title: String,
    /// The text, `\n` between lines.
    pub input: TextInput,
    /// Why the last submit was refused.
    pub error: Option<String>,
    /// The text as it was opened: Esc on a changed text asks before dropping it.
    pub original: String,
}

/// Opens the editor on `text` (line breaks of any kind become `\n`), cursor at the end.
pub(crate) fn open(app: &mut App, purpose: PromptPurpose, title: String, text: &str) {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let input = TextInput::with(&text);
    app.overlay = Overlay::Editor(Box::new(Editor { purpose, title, input, error: None, original: text }));
}

/// (line, column) of the cursor.
fn position(input: &TextInput) -> (usize, usize) {
    let before: String = input.text.chars().take(input.cursor).collect();
    let line = before.matches('\n').count();
    let col = before.chars().rev().take_while(|c| *c != '\n').count();
    (line, col)
}

/// The cursor on line `line` at column `col` (or the line's end).
fn place(input: &mut TextInput, line: usize, col: usize) {
    let mut at = 0;
    for (i, l) in input.text.split('\n').enumerate() {
        let len = l.chars().count();
        if i == line {
            input.cursor = at + col.min(len);
            return;
        }
        at += len + 1;
    }
}

/// Typing edits, Up/Down go between lines, Ctrl-s answers, Esc closes (asking first when
/// the text was changed).
pub(crate) fn update(app: &mut App, mut e: Box<Editor>, action: Action) -> Vec<Effect> {
    match action {
        Action::Back if e.input.text == e.original => return vec![],
        Action::Back => {
            crate::tui::overlays::question::leave_editor(app, e);
            return vec![];
        }
        // Home and End keep to the cursor's line.
        Action::Input(k @ (InputKey::Home | InputKey::End)) => {
            let (line, _) = position(&e.input);
            place(&mut e.input, line, if k == InputKey::Home { 0 } else { usize::MAX });
        }
        Action::Input(k) => {
            edit_text(&mut e.input, k);
            e.error = None;
        }
        Action::Up | Action::Down => {
            let (line, col) = position(&e.input);
            let lines = e.input.text.split('\n').count();
            let to = if action == Action::Up { line.saturating_sub(1) } else { (line + 1).min(lines - 1) };
            place(&mut e.input, to, col);
        }
        Action::Submit => {
            let text = e.input.text.trim().to_string();
            match answer(app, e.purpose.clone(), text) {
                Answered::Close(effects) => return effects,
                Answered::Wait(effects) => {
                    app.overlay = Overlay::Editor(e);
                    return effects;
                }
                Answered::Refused(message) => e.error = Some(message),
            }
        }
        _ => {}
    }
    app.overlay = Overlay::Editor(e);
    vec![]
}

/// Enter is a new line; Ctrl-s or Alt-Enter is done; the other keys edit as in a prompt.
pub(crate) fn key(ev: &KeyEvent) -> Option<Action> {
    match ev.code {
        KeyCode::Enter if ev.modifiers.contains(KeyModifiers::ALT) => Some(Action::Submit),
        KeyCode::Char('s') if ev.modifiers.contains(KeyModifiers::CONTROL) => Some(Action::Submit),
        KeyCode::Enter => Some(Action::Input(InputKey::Char('\n'))),
        KeyCode::Tab => None,
        _ => crate::tui::widgets::input::text_key(ev),
    }
}

/// Draws the lines around the cursor, the keys, and why the last answer was refused.
pub(crate) fn draw(app: &App, e: &Editor, f: &mut Frame, area: Rect) {
    let height = area.height.saturating_sub(4).clamp(6, 16);
    let rect = popup(area, 76, height);
    let w = rect.width.saturating_sub(2) as usize;
    let room = (rect.height as usize).saturating_sub(3 + usize::from(e.error.is_some())).max(1);
    let (line, col) = position(&e.input);
    let skip = (line + 1).saturating_sub(room);
    let mut lines: Vec<Line> = Vec::new();
    for (i, l) in e.input.text.split('\n').enumerate().skip(skip).take(room) {
        let chars: Vec<char> = l.chars().collect();
        // A long line shows its end around the cursor.
        let start = if i == line { col.saturating_sub(w.saturating_sub(2)) } else { 0 };
        let shown = |from: usize, to: usize| -> String {
            crate::domain::text::shown_line(
                &chars[from.min(chars.len())..to.min(chars.len())].iter().collect::<String>(),
            )
            .into_owned()
        };
        if i == line {
            let at = chars.get(col).map(|c| c.to_string()).unwrap_or_else(|| " ".into());
            lines.push(Line::from(vec![
                Span::raw(shown(start, col)),
                Span::styled(at, Style::default().add_modifier(Modifier::REVERSED)),
                Span::raw(fit(&shown(col + 1, chars.len()), w.saturating_sub(col - start + 1))),
            ]));
        } else {
            lines.push(Line::from(fit(&shown(0, chars.len()), w)));
        }
    }
    while lines.len() < room {
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled(fit(&app.t("tui.editor_keys"), w), Style::default().fg(Color::Gray))));
    if let Some(err) = &e.error {
        lines.push(Line::from(Span::styled(fit(err, w), Style::default().fg(Color::Red))));
    }
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&e.title)), rect);
}
