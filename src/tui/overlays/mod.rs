//! What floats above the screen, one module each: its state, its update, the store answers
//! it takes, its keys and its drawing. `update` gives an action to the overlay in view and keeps it open
//! unless the overlay closes itself; `draw` draws it above everything.

pub mod confirm;
pub mod conflict;
pub mod editor;
pub mod entry;
pub mod fill;
pub mod help;
pub mod import;
pub mod merge;
pub mod palette;
pub mod picker;
pub mod plan;
pub mod prompt;
pub mod question;
pub mod search;
pub mod wizard;

use super::action::Action;
use super::app::{App, Overlay};
use super::effect::Effect;
use super::widgets::input::text_key;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

/// Gives an action to the overlay in view. The overlay is taken out of the app first: each
/// overlay's `update` puts it back to stay open.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let overlay = std::mem::take(&mut app.overlay);
    match overlay {
        Overlay::None | Overlay::Help | Overlay::Notice(_) => vec![],
        Overlay::Plan(f) => plan::update(app, f, action),
        Overlay::Convert(w) => wizard::update(app, w, action),
        Overlay::Merge(m) => merge::update(app, m, action),
        Overlay::Conflict(c) => conflict::update(app, c, action),
        Overlay::Import(w) => import::update(app, w, action),
        Overlay::Confirm(c) => confirm::update(app, c, action),
        Overlay::Picker(p) => picker::update(app, p, action),
        Overlay::Palette(p) => palette::update(app, p, action),
        Overlay::Search(s) => search::update(app, s, action),
        Overlay::Prompt(p) => prompt::update(app, p, action),
        Overlay::Editor(e) => editor::update(app, e, action),
        Overlay::Question(q) => question::update(app, q, action),
        Overlay::Entry(e) => entry::update(app, e, action),
    }
}

/// The action a key means in the overlay in view: `None` when no overlay is open (the
/// screen's bindings apply), `Some(None)` when the overlay ignores the key.
pub fn action_for(overlay: &Overlay, ev: &KeyEvent) -> Option<Option<Action>> {
    Some(match overlay {
        Overlay::None => return None,
        Overlay::Prompt(p) if p.files.is_some() => prompt::path_key(ev),
        Overlay::Prompt(_) | Overlay::Palette(_) | Overlay::Search(_) | Overlay::Plan(_) | Overlay::Entry(_) => {
            text_key(ev)
        }
        Overlay::Convert(w) => wizard::key(w, ev),
        Overlay::Picker(_) => picker::key(ev),
        Overlay::Confirm(_) => confirm::key(ev),
        Overlay::Merge(_) | Overlay::Conflict(_) => merge::key(ev),
        Overlay::Import(w) => import::key(w, ev),
        Overlay::Editor(_) => editor::key(ev),
        Overlay::Question(_) => question::key(ev),
        // Any key closes them.
        Overlay::Help | Overlay::Notice(_) => Some(Action::Back),
    })
}

/// A write failed: the overlay that asked for it shows why and stays open. The message comes
/// back when no overlay takes it (the status bar says it then).
pub fn failed(app: &mut App, message: String, field: Option<&str>) -> Option<String> {
    match &mut app.overlay {
        Overlay::Import(w) => {
            w.running = false;
            w.reading = false;
            w.error = Some(message);
        }
        Overlay::Prompt(p) => p.error = Some(message),
        Overlay::Editor(e) => e.error = Some(message),
        Overlay::Plan(f) => f.error = Some(message),
        Overlay::Entry(e) => entry::failed(e, message, field),
        Overlay::Convert(w) => wizard::failed(w, message, field),
        _ => return Some(message),
    }
    None
}

/// Draws the overlay, if any, above everything.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help => help::draw(app, f, area),
        Overlay::Palette(p) => palette::draw(app, p, f, area),
        Overlay::Search(s) => search::draw(app, s, f, area),
        Overlay::Prompt(p) => prompt::draw(app, p, f, area),
        Overlay::Editor(e) => editor::draw(app, e, f, area),
        Overlay::Picker(p) => picker::draw(app, p, f, area),
        Overlay::Plan(p) => plan::draw(app, p, f, area),
        Overlay::Confirm(c) => confirm::draw(app, c, f, area),
        Overlay::Convert(w) => wizard::draw(app, w, f, area),
        Overlay::Merge(m) => merge::draw(app, m, f, area),
        Overlay::Conflict(c) => conflict::draw(app, c, f, area),
        Overlay::Import(w) => import::draw(app, w, f, area),
        Overlay::Notice(text) => help::draw_notice(app, text, f, area),
        Overlay::Question(q) => question::draw(app, q, f, area),
        Overlay::Entry(e) => entry::draw(app, e, f, area),
    }
}
