//! Drawing: `draw(&App, &mut Frame)` renders the whole screen from state and never queries:
//! the header, the screen in view (each screen draws itself, in `screens/`), the status bar,
//! the footer, then the overlay. Every area is clamped to the frame, so no terminal size can
//! make drawing panic.

use super::app::{App, Screen};
use super::overlays;
use super::screens::{agenda, board, calendar, form, list, team, triage, welcome};
use super::widgets::bars;
pub use super::widgets::{color, fit, safe};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::Paragraph;

/// Whether a terminal of `width` × `height` is too small to show a screen: only a message
/// asking for a larger one is drawn, and only quitting is obeyed (a key acting on what
/// cannot be seen would move cards blind).
pub fn too_small(width: u16, height: u16) -> bool {
    width < 20 || height < 6
}

/// Draws the whole screen.
pub fn draw(app: &App, f: &mut Frame) {
    let area = f.area();
    if too_small(area.width, area.height) {
        let msg = fit(&app.t("tui.too_small"), area.width as usize);
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    let [header, body, status, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1), Constraint::Length(1)])
            .areas(area);
    bars::draw_header(app, f, header);
    match &app.screen {
        Screen::Welcome => welcome::draw(app, f, body),
        Screen::Board(entity) => board::draw(app, *entity, f, body),
        Screen::List(entity) => list::draw(app, *entity, f, body),
        Screen::Form => form::draw(app, f, body),
        Screen::Agenda => agenda::draw(app, f, body),
        Screen::Calendar => calendar::draw(app, f, body),
        Screen::Triage => triage::draw(app, f, body),
        Screen::Team => team::draw(app, f, body),
        Screen::Documents => super::screens::documents::draw(app, f, body),
        Screen::Reports => super::screens::reports::draw(app, f, body),
    }
    if bars::status_takes_footer(app, status.width) {
        bars::draw_status(app, f, status, Some(footer));
    } else {
        bars::draw_status(app, f, status, None);
        bars::draw_footer(app, f, footer);
    }
    overlays::draw(app, f, area);
    scrub(f.buffer_mut());
}

/// The last line of defence: whatever text reached a cell without `safe` (ratatui appends
/// zero-width characters such as ESC to the cell before), its control and bidi characters
/// are dropped before the frame goes to the terminal.
pub fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        let symbol = cell.symbol();
        // Most cells are one printable ASCII byte: only C0/DEL bytes and the lead bytes of
        // C1 (0xC2) and bidi controls (0xE2) need a closer look.
        if let &[b] = symbol.as_bytes()
            && (0x20..0x7f).contains(&b)
        {
            continue;
        }
        let suspect = symbol.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2);
        if suspect && symbol.chars().any(|c| c.is_control() || crate::domain::text::is_bidi_control(c)) {
            let kept: String =
                symbol.chars().filter(|c| !c.is_control() && !crate::domain::text::is_bidi_control(*c)).collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}
