//! The welcome screen of an empty file: first steps (a first lead, the demo).

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::{Binding, b, k};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Keys of the welcome screen.
pub fn bindings() -> Vec<Binding> {
    use Action::*;
    vec![b(&[k('n')], NewRecord, "tui.key_first_lead", true), b(&[k('d')], LoadDemo, "tui.key_demo", true)]
}

/// Draws the first steps.
pub(crate) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let lines = vec![
        Line::from(""),
        Line::from(Span::styled(app.t("tui.welcome_title"), Style::default().add_modifier(Modifier::BOLD))),
        Line::from(""),
        Line::from(app.t("tui.welcome_text")),
        Line::from(""),
        Line::from(vec![
            Span::styled(" n ", Style::default().add_modifier(Modifier::REVERSED)),
            Span::raw(format!("  {}", app.t("tui.key_first_lead"))),
        ]),
        Line::from(vec![
            Span::styled(" d ", Style::default().add_modifier(Modifier::REVERSED)),
            Span::raw(format!("  {}", app.t("tui.key_demo"))),
        ]),
        Line::from(vec![
            Span::styled(" q ", Style::default().add_modifier(Modifier::REVERSED)),
            Span::raw(format!("  {}", app.t("tui.key_quit"))),
        ]),
    ];
    f.render_widget(Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }), area);
}
