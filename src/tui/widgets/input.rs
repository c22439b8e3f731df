//! A one-line text field: its state, its editing keys, and how it is drawn.

use crate::tui::action::{Action, InputKey};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

/// A one-line text field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextInput {
    /// Text.
    pub text: String,
    /// Cursor, in characters.
    pub cursor: usize,
}

impl TextInput {
    /// A field holding `text`, cursor at the end.
    pub fn with(text: &str) -> TextInput {
        TextInput { text: text.to_string(), cursor: text.chars().count() }
    }
}

/// Applies an editing key to a field.
pub fn edit_text(input: &mut TextInput, key: InputKey) {
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
        InputKey::Clear => {
            chars.clear();
            input.cursor = 0;
        }
        _ => {}
    }
    input.text = chars.into_iter().collect();
}

/// How many characters at the start of a field are hidden so that its cursor shows within
/// `width` cells after `prefix` (0: none; else the first shown is replaced by `…`). A
/// `width` of 0 is no limit.
fn hidden_start(prefix: &str, input: &TextInput, width: usize) -> usize {
    use unicode_width::UnicodeWidthStr;
    let chars: Vec<char> = input.text.chars().collect();
    let c = input.cursor.min(chars.len());
    let cells = |from: usize| -> usize { chars[from..c].iter().collect::<String>().width() };
    let room = width.saturating_sub(prefix.width() + 1);
    if width == 0 || cells(0) <= room {
        return 0;
    }
    // `…` takes a cell: what stays after it fits in the rest.
    (1..=c).find(|s| cells(*s) < room).unwrap_or(c)
}

/// The field, its cursor reversed, after `prefix`; a text longer than `width` cells scrolls
/// so that the cursor shows, the hidden start marked `…`.
pub fn input_line(prefix: &str, input: &TextInput, width: usize) -> Line<'static> {
    let chars: Vec<char> = input.text.chars().collect();
    let c = input.cursor.min(chars.len());
    let skip = hidden_start(prefix, input, width);
    let mut before: String = if skip > 0 { "…".into() } else { String::new() };
    before.extend(&chars[skip.min(c)..c]);
    let at: String = chars.get(c).map(|ch| ch.to_string()).unwrap_or_else(|| " ".into());
    let after: String = chars.get(c + 1..).map(|s| s.iter().collect()).unwrap_or_default();
    // A break or control character shows as its picture, one cell for one character.
    let shown = |s: String| crate::domain::text::shown_line(&s).into_owned();
    Line::from(vec![
        Span::raw(prefix.to_string()),
        Span::raw(shown(before)),
        Span::styled(shown(at), Style::default().add_modifier(Modifier::REVERSED)),
        Span::raw(shown(after)),
    ])
}

/// Puts the terminal's cursor in a one-line field drawn by `input_line` on the first line
/// inside the popup `rect` (as wide as the popup inside its borders), so it shows even on an
/// empty field (the drawn block too).
pub fn set_field_cursor(f: &mut ratatui::Frame, rect: ratatui::layout::Rect, prefix: &str, input: &TextInput) {
    use unicode_width::UnicodeWidthStr;
    let skip = hidden_start(prefix, input, rect.width.saturating_sub(2) as usize);
    let mut before: String = if skip > 0 { "…".into() } else { String::new() };
    before.extend(input.text.chars().take(input.cursor).skip(skip));
    let x = rect.x as usize + 1 + prefix.width() + before.width();
    if x + 1 < (rect.x + rect.width) as usize && rect.height > 2 {
        f.set_cursor_position((x as u16, rect.y + 1));
    }
}

/// The field when focused, else its text or a grey placeholder.
pub fn input_or_text(input: &TextInput, focused: bool, placeholder: &str) -> Line<'static> {
    if focused {
        input_line("", input, 0)
    } else if input.text.is_empty() {
        Line::from(Span::styled(placeholder.to_string(), Style::default().fg(Color::DarkGray)))
    } else {
        Line::from(super::safe(&input.text).into_owned())
    }
}

/// What a key means in a popup that has text fields (prompt, palette, search, plan form,
/// conversion wizard): Esc, Enter, up and down (Tab, Shift-Tab), and every other key edits.
pub fn text_key(ev: &KeyEvent) -> Option<Action> {
    Some(match ev.code {
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
        KeyCode::Char('u') if ev.modifiers.contains(KeyModifiers::CONTROL) => Action::Input(InputKey::Clear),
        KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => Action::Input(InputKey::Char(c)),
        _ => return None,
    })
}
