//! A question with more than yes and no: each choice has its key, Enter takes the first
//! and Esc goes back. Asked before leaving a form with unsaved changes (save / discard /
//! keep editing), before closing the editor on a changed text (the same three), and before
//! saving a record that looks like others (open the existing
//! record / save anyway / back to the form).

use crate::store::RecordRef;
use crate::tui::action::{Action, InputKey};
use crate::tui::app::{App, Overlay};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::widgets::{frame_block, popup};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

/// What a choice does.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Run this effect (save despite duplicates).
    Run(Box<Effect>),
    /// Open this record (the existing one a new record looks like).
    Open(RecordRef),
    /// Save the form's draft, then do what was asked.
    SaveDraft(Leave),
    /// Throw the form's draft away, then do what was asked (leave, quit, another tab).
    Discard(Leave),
    /// Save the text of the editor the question was asked over (`Question::resume`).
    SaveText,
    /// Throw the text of that editor away and close it.
    DiscardText,
}

/// How a form with unsaved changes was being left.
#[derive(Clone, Debug, PartialEq)]
pub enum Leave {
    /// By an action: quit, back, another tab or screen, a new record.
    Action(Action),
    /// By opening another record (a search result).
    Open(RecordRef),
}

/// One choice: its key, what it says, what it does.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The key that takes it.
    pub key: char,
    /// What it says.
    pub label: String,
    /// What it does.
    pub answer: Answer,
}

/// A question and its choices; Esc is always "back" (`back` says what that means here).
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Title of the popup.
    pub title: String,
    /// The question.
    pub message: String,
    /// The choices, the first taken by Enter.
    pub choices: Vec<Choice>,
    /// What Esc does, worded (keep editing, back to the form).
    pub back: String,
    /// The editor whose changed text the question is about: Esc goes back to it.
    pub resume: Option<Box<crate::tui::overlays::editor::Editor>>,
}

/// A key takes its choice; Enter the first; Esc closes.
pub(crate) fn update(app: &mut App, q: Question, action: Action) -> Vec<Effect> {
    let chosen = match action {
        Action::Back => {
            if let Some(e) = q.resume {
                app.overlay = Overlay::Editor(e);
            }
            return vec![];
        }
        Action::Submit => q.choices.first(),
        Action::Input(InputKey::Char(c)) => q.choices.iter().find(|ch| ch.key == c),
        _ => None,
    };
    let Some(choice) = chosen.cloned() else {
        app.overlay = Overlay::Question(q);
        return vec![];
    };
    match choice.answer {
        Answer::Run(effect) => vec![*effect],
        Answer::SaveText => match q.resume {
            Some(e) => crate::tui::overlays::editor::update(app, e, Action::Submit),
            None => vec![],
        },
        Answer::DiscardText => vec![],
        Answer::Open(r) => {
            // The draft (if any) is left for the record it looked like.
            if let Some(form) = app.form.as_mut() {
                form.draft.clear();
                form.draft_comms.clear();
            }
            crate::tui::screens::form::open_record(app, r.entity, r.id)
        }
        Answer::SaveDraft(then) => {
            let effects = crate::tui::screens::form::update(app, Action::Save);
            if let Some(form) = app.form.as_mut() {
                form.leave_after = Some(then);
            }
            effects
        }
        Answer::Discard(then) => {
            if let Some(form) = app.form.as_mut() {
                form.draft.clear();
                form.draft_comms.clear();
            }
            match then {
                Leave::Action(action) => crate::tui::update::update(app, action),
                Leave::Open(r) => crate::tui::screens::form::open_record(app, r.entity, r.id),
            }
        }
    }
}

/// The question before leaving a form with unsaved changes by `then`.
pub(crate) fn leave_form(app: &mut App, then: Leave) {
    app.overlay = Overlay::Question(Question {
        title: app.t("tui.unsaved_title"),
        message: app.t("tui.unsaved_question"),
        choices: vec![
            Choice { key: 's', label: app.t("tui.unsaved_save"), answer: Answer::SaveDraft(then.clone()) },
            Choice { key: 'd', label: app.t("tui.unsaved_discard"), answer: Answer::Discard(then) },
        ],
        back: app.t("tui.unsaved_keep"),
        resume: None,
    });
}

/// The question before closing the editor on a changed text: save it, discard it, or keep
/// editing (Esc).
pub(crate) fn leave_editor(app: &mut App, e: Box<crate::tui::overlays::editor::Editor>) {
    app.overlay = Overlay::Question(Question {
        title: app.t("tui.unsaved_title"),
        message: app.t("tui.editor_unsaved_question"),
        choices: vec![
            Choice { key: 's', label: app.t("tui.editor_unsaved_save"), answer: Answer::SaveText },
            Choice { key: 'd', label: app.t("tui.editor_unsaved_discard"), answer: Answer::DiscardText },
        ],
        back: app.t("tui.unsaved_keep"),
        resume: Some(e),
    });
}

/// A record about to be saved looks like others: open the first, save anyway, or go back.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    let StoreEvent::PossibleDuplicates { matches, then } = ev else { return vec![] };
    let list: Vec<String> = matches
        .iter()
        .take(3)
        .map(|m| {
            let by = crate::present::matched_by(app.lang, &m.matched_by);
            if m.hidden {
                return format!("{} ({by})", app.t("access.hidden_record"));
            }
            let title = app.title_of(m.entity, m.id, &m.title);
            format!("#{} {title} ({by})", m.id)
        })
        .collect();
    let mut text = list.join("; ");
    if matches.len() > 3 {
        text.push_str(&format!(" +{}", matches.len() - 3));
    }
    let mut choices = vec![Choice { key: 'y', label: app.t("tui.duplicate_save_anyway"), answer: Answer::Run(then) }];
    if let Some(first) = matches.iter().find(|m| !m.hidden) {
        let title = app.title_of(first.entity, first.id, &first.title);
        let label = app.ta("tui.duplicate_open", &[("id", &first.id.to_string()), ("title", &title)]);
        choices.push(Choice { key: 'v', label, answer: Answer::Open(RecordRef::new(first.entity, first.id)) });
    }
    app.overlay = Overlay::Question(Question {
        title: app.t("tui.duplicate_title"),
        message: app.ta("tui.duplicate_found", &[("list", &text)]),
        choices,
        back: app.t("tui.duplicate_back"),
        resume: None,
    });
    vec![]
}

/// Every key reaches `update`: a letter as typed, Enter, Esc (and `q`: back, never quit).
pub(crate) fn key(ev: &KeyEvent) -> Option<Action> {
    match ev.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('n') => Some(Action::Back),
        KeyCode::Enter => Some(Action::Submit),
        KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => Some(Action::Input(InputKey::Char(c))),
        _ => None,
    }
}

/// Draws the question, one line per choice with its key, and what Esc does.
pub(crate) fn draw(app: &App, q: &Question, f: &mut Frame, area: Rect) {
    use unicode_width::UnicodeWidthStr;
    // As wide as the terminal allows, up to 100 columns: a choice naming a record is read whole.
    let width = area.width.saturating_sub(4).clamp(20, 100);
    let text_w = width.saturating_sub(2).max(1) as usize;
    let message = crate::tui::widgets::text_lines(&q.message).join(" ");
    let lines_of = |s: &str, w: usize| (UnicodeWidthStr::width(s) / w.max(1) + 1) as u16;
    let key_style = Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    let keys: Vec<String> = q
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| if i == 0 { format!("{} / {}", c.key, app.t("tui.key_enter")) } else { c.key.to_string() })
        .chain(std::iter::once(app.t("tui.key_esc")))
        .collect();
    let key_w = keys.iter().map(|k| UnicodeWidthStr::width(k.as_str())).max().unwrap_or(0) + 2;
    let label_w = text_w.saturating_sub(key_w + 1);
    let labels: Vec<String> = q
        .choices
        .iter()
        .map(|c| crate::tui::widgets::safe(&c.label).into_owned())
        .chain(std::iter::once(q.back.clone()))
        .collect();
    let mut lines = vec![Line::from(message.clone()), Line::from("")];
    let mut height = lines_of(&message, text_w) + 1;
    for (key, label) in keys.iter().zip(&labels) {
        // A label longer than its room goes on over the next lines, under itself.
        let chars: Vec<char> = label.chars().collect();
        let mut first = true;
        for chunk in chars.chunks(label_w.max(1)) {
            let head = if first { format!(" {key:<w$}", w = key_w) } else { " ".repeat(key_w + 1) };
            lines.push(Line::from(vec![Span::styled(head, key_style), Span::raw(chunk.iter().collect::<String>())]));
            height += 1;
            first = false;
        }
    }
    let rect = popup(area, width, height + 3);
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(frame_block(&q.title)), rect);
}
