//! The edit-conflict popup (SPEC S1): another user saved the record meanwhile; per field,
//! yours or theirs.

use crate::store::RecordInput;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, error, info};
use crate::tui::effect::{EditConflict, Effect, StoreEvent};
use crate::tui::update::reload_screen;
use crate::tui::widgets::{fit, frame_block, popup, row_style};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The conflict popup: the two versions and the focused field.
#[derive(Clone, Debug)]
pub struct ConflictView {
    /// Both versions, with the choice per field.
    pub conflict: crate::tui::effect::EditConflict,
    /// Focused row.
    pub row: usize,
}

/// The conflict popup: Space flips the focused field between yours and theirs; Enter saves
/// the fields where yours is kept (against the version now in the file); Esc keeps theirs.
pub(crate) fn update(app: &mut App, mut c: Box<ConflictView>, action: Action) -> Vec<Effect> {
    let n = c.conflict.rows.len();
    match action {
        Action::Back => {
            info(app, app.t("tui.conflict_kept_theirs"));
            return reload_screen(app);
        }
        Action::Up => c.row = c.row.saturating_sub(1),
        Action::Down => c.row = (c.row + 1).min(n.saturating_sub(1)),
        Action::ChoiceNext => {
            if let Some(r) = c.conflict.rows.get_mut(c.row) {
                r.take_theirs = !r.take_theirs;
            }
        }
        Action::Submit => {
            let fields = c.conflict.resolution();
            if fields.is_empty() {
                info(app, app.t("tui.conflict_kept_theirs"));
                return reload_screen(app);
            }
            let EditConflict { entity, id, version, .. } = c.conflict;
            let base = c.conflict.rows.iter().map(|r| (r.key.clone(), r.theirs.clone())).collect();
            let input = RecordInput { fields, ..Default::default() };
            return vec![Effect::Update { entity, id, version, input, field: None, base }];
        }
        _ => {}
    }
    app.overlay = Overlay::Conflict(c);
    vec![]
}

/// A save met a newer version: the popup opens.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::Conflict(conflict) => {
            // The prompt's text lives on in the popup as "yours".
            app.overlay = Overlay::Conflict(Box::new(ConflictView { conflict: *conflict, row: 0 }));
            error(app, app.t("tui.conflict_status"));
            vec![]
        }
        _ => vec![],
    }
}

/// Someone else saved the record meanwhile: each field either side changed, with the value
/// when opened, the user's and the file's, one under the other so long values stay readable,
/// and which one will be kept.
pub(crate) fn draw(app: &App, v: &ConflictView, f: &mut Frame, area: Rect) {
    use unicode_width::UnicodeWidthStr;
    let gray = Style::default().fg(Color::Gray);
    let c = &v.conflict;
    let width = 100u16.min(area.width);
    let w = width.saturating_sub(2) as usize;
    let by = c.by.clone().unwrap_or_else(|| "?".into());
    let when = crate::present::time(app.lang, c.at);
    let intro = app.ta("tui.conflict_by", &[("user", &by), ("at", &when)]);
    let mut lines: Vec<Line> = Vec::new();
    // The introduction wraps by hand so the popup's height is known.
    let mut current = String::new();
    for word in intro.split(' ') {
        if !current.is_empty() && current.width() + 1 + word.width() > w.saturating_sub(1) {
            lines.push(Line::from(Span::styled(format!(" {current}"), Style::default().fg(Color::Yellow))));
            current.clear();
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(Line::from(Span::styled(format!(" {current}"), Style::default().fg(Color::Yellow))));
    let names = [app.t("tui.conflict_was"), app.t("tui.conflict_yours"), app.t("tui.conflict_theirs")];
    let name_w = names.iter().map(|n| n.width()).max().unwrap_or(0) + 1;
    let shown = |t: &str| if t.is_empty() { "—".to_string() } else { t.to_string() };
    for (i, r) in c.rows.iter().enumerate() {
        lines.push(Line::from(Span::styled(
            fit(&format!(" {}", app.t(&format!("field.{}", r.key))), w),
            row_style(i == v.row).add_modifier(Modifier::BOLD),
        )));
        let mut side = |mark: &str, name: &str, value: &str, style: Style| {
            let text = format!("   {mark} {name:<name_w$}{}", shown(value));
            lines.push(Line::from(Span::styled(fit(&text, w), style)));
        };
        side("   ", &names[0], &r.was, gray);
        let (yours, theirs) = if r.take_theirs { ("( )", "(•)") } else { ("(•)", "( )") };
        let on = Style::default().fg(Color::Green).add_modifier(Modifier::BOLD);
        side(yours, &names[1], &r.yours, if r.take_theirs { Style::default() } else { on });
        side(theirs, &names[2], &r.theirs, if r.take_theirs { on } else { Style::default() });
    }
    if c.rows.is_empty() {
        lines.push(Line::from(fit(&app.t("tui.conflict_same"), w)));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(fit(&app.t("tui.conflict_keys"), w), gray)));
    let rect = popup(area, width, lines.len() as u16 + 2);
    let entity = app.t(&format!("entity.{}", c.entity.code()));
    let title = app.ta("tui.conflict_title", &[("entity", &entity), ("id", &c.id.to_string()), ("title", &c.title)]);
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&title)), rect);
}
