//! Search as you type across every kind of record; Enter opens the hit.

use crate::store::search::Hit;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::screens::form::open_record;
use crate::tui::widgets::input::{TextInput, edit_text, input_line, set_field_cursor};
use crate::tui::widgets::{fit, frame_block, popup, step};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Search as you type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchBox {
    /// What was typed.
    pub input: TextInput,
    /// Results, grouped by entity when drawn.
    pub hits: Vec<Hit>,
    /// Focused result.
    pub cursor: usize,
    /// Generation of the last request (stale answers are dropped).
    pub generation: u64,
}

/// Each key typed asks again; Enter opens the focused hit.
pub(crate) fn update(app: &mut App, mut s: SearchBox, action: Action) -> Vec<Effect> {
    match action {
        Action::Back => vec![],
        Action::Input(k) => {
            edit_text(&mut s.input, k);
            s.generation += 1;
            s.cursor = 0;
            let effect = Effect::Search { text: s.input.text.clone(), generation: s.generation };
            if s.input.text.trim().is_empty() {
                s.hits.clear();
            }
            app.overlay = Overlay::Search(s);
            vec![effect]
        }
        Action::Up | Action::Down => {
            s.cursor = step(s.cursor, s.hits.len(), action == Action::Down);
            app.overlay = Overlay::Search(s);
            vec![]
        }
        Action::Submit => match s.hits.get(s.cursor).cloned() {
            Some(hit) => open_record(app, hit.entity, hit.id),
            None => {
                app.overlay = Overlay::Search(s);
                vec![]
            }
        },
        _ => {
            app.overlay = Overlay::Search(s);
            vec![]
        }
    }
}

/// Hits of the last request (stale ones are dropped).
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::SearchResults { generation, hits } => {
            if let Overlay::Search(s) = &mut app.overlay
                && s.generation == generation
            {
                s.hits = hits;
                s.cursor = s.cursor.min(s.hits.len().saturating_sub(1));
            }
            vec![]
        }
        _ => vec![],
    }
}

/// Draws the field and the hits, grouped by kind.
pub(crate) fn draw(app: &App, s: &SearchBox, f: &mut Frame, area: Rect) {
    let rect = popup(area, 70, 20);
    let w = rect.width.saturating_sub(2) as usize;
    let mut lines = vec![input_line("/ ", &s.input, w), Line::from("")];
    let mut last = None;
    for (i, hit) in s.hits.iter().enumerate() {
        if last != Some(hit.entity) {
            lines.push(Line::from(Span::styled(
                app.t(&format!("entity.{}", hit.entity.code())),
                Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            )));
            last = Some(hit.entity);
        }
        let style = if i == s.cursor { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
        lines.push(Line::from(Span::styled(fit(&hit_line(app, hit), w), style)));
    }
    if s.hits.is_empty() && !s.input.text.trim().is_empty() {
        lines.push(Line::from(Span::styled(app.t("label.no_records"), Style::default().fg(Color::Gray))));
    }
    let cursor_line = lines
        .iter()
        .position(|l| {
            l.spans.iter().any(|sp| sp.style.add_modifier.contains(Modifier::REVERSED) && sp.content.starts_with("  #"))
        })
        .unwrap_or(0);
    let room = rect.height.saturating_sub(2) as usize;
    let skip = cursor_line.saturating_sub(room.saturating_sub(1));
    let lines: Vec<Line> =
        lines.into_iter().enumerate().filter(|(i, _)| *i < 2 || *i >= skip + 2).map(|(_, l)| l).collect();
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&app.t("tui.search_title"))), rect);
    set_field_cursor(f, rect, "/ ", &s.input);
}

/// A hit as listed: `#12 Salon — Acme · Zoë Lindqvist`; a lead's person and company follow
/// its title unless the title already says them.
fn hit_line(app: &App, hit: &crate::store::search::Hit) -> String {
    let mut title = app.title_of(hit.entity, hit.id, &hit.title);
    if let Some(number) = &hit.document {
        // Found by a quote's or invoice's number: the number first.
        title = format!("{number} · {title}");
    }
    let said = |part: &str| title.to_lowercase().contains(&part.to_lowercase());
    let client: Vec<&str> = hit.client.split(" · ").filter(|p| !p.is_empty() && !said(p)).collect();
    if client.is_empty() {
        format!("  #{} {title}", hit.id)
    } else {
        format!("  #{} {title} · {}", hit.id, client.join(" · "))
    }
}
