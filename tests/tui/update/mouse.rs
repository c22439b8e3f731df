//! The mouse: where a click or the wheel lands, found with the views' own layout.

use super::*;
use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use prospect::tui::keymap::mouse_action;

fn click(column: u16, row: u16) -> MouseEvent {
    MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column, row, modifiers: KeyModifiers::NONE }
}

fn wheel(column: u16, row: u16, down: bool) -> MouseEvent {
    let kind = if down { MouseEventKind::ScrollDown } else { MouseEventKind::ScrollUp };
    MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }
}

/// The header line as drawn.
fn header(app: &prospect::tui::app::App) -> String {
    let (w, h) = app.size;
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| prospect::tui::views::draw(app, f)).unwrap();
    let buf = t.backend().buffer();
    (0..w).map(|x| buf[(x, 0)].symbol().to_string()).collect()
}

#[test]
fn a_click_on_a_tab_shows_it() {
    for (lang, size) in [(Lang::En, (120, 35)), (Lang::Fr, (120, 35)), (Lang::En, (80, 24)), (Lang::Fr, (80, 24))] {
        let mut h = Harness::new(5, lang);
        h.app.size = size;
        let line = header(&h.app);
        let label = prospect::i18n::tr_in(lang, Tab::Calendar.short_label_key(), &[]);
        let full = prospect::i18n::tr_in(lang, Tab::Calendar.label_key(), &[]);
        let at = line.find(&format!("8 {full}")).or_else(|| line.find(&format!("8 {label}"))).expect(&line);
        let x = line[..at].chars().count() as u16 + 2;
        let action = mouse_action(&h.app, click(x, 0));
        assert_eq!(action, Some(Show(Tab::Calendar)), "{lang:?} {size:?}: {line}");
        h.act(action.unwrap());
        assert_eq!(h.app.screen, Screen::Calendar);
        if line.starts_with(" Prospect ") {
            assert_eq!(mouse_action(&h.app, click(1, 0)), None, "the brand is no tab");
        }
    }
}

#[test]
fn a_click_focuses_a_row_and_the_wheel_scrolls_the_list() {
    let mut h = Harness::new(60, Lang::En);
    h.act(Show(Tab::LeadList));
    // Body starts at line 1: the sort line, the column names, then the rows.
    let action = mouse_action(&h.app, click(30, 1 + 2 + 4));
    assert_eq!(action, Some(FocusAt { column: 0, row: 4 }));
    h.act(action.unwrap());
    assert_eq!(h.app.lists[&Entity::Lead].cursor, 4);
    assert_eq!(mouse_action(&h.app, click(30, 2)), None, "the column names are no row");
    let down = mouse_action(&h.app, wheel(30, 10, true)).unwrap();
    h.acts(&[down; 10]);
    let list = &h.app.lists[&Entity::Lead];
    assert_eq!(list.cursor, 34);
    assert!(list.scroll > 0, "the list scrolled");
    let up = mouse_action(&h.app, wheel(30, 10, false)).unwrap();
    h.act(up);
    assert_eq!(h.app.lists[&Entity::Lead].cursor, 31);
    // A popup takes no mouse.
    h.act(FilterText);
    assert_eq!(mouse_action(&h.app, click(30, 7)), None);
}

#[test]
fn a_click_focuses_a_card_and_the_wheel_scrolls_its_column() {
    let mut h = Harness::new(60, Lang::En);
    let board = &h.app.lead_board;
    let n = board.columns.len();
    let (w, _) = h.app.size;
    let visible = (w as usize / 18).min(n);
    let width = w as usize / visible;
    let column = (0..n).find(|c| board.columns[*c].count() >= 3).expect("a column of three cards");
    assert!(column < visible);
    // Second card: below the column's two head lines and one card of four lines.
    let (x, y) = ((column * width + 3) as u16, 1 + 2 + 4 + 1);
    let action = mouse_action(&h.app, click(x, y));
    assert_eq!(action, Some(FocusAt { column, row: 1 }));
    h.act(action.unwrap());
    assert_eq!((h.app.lead_board.focus, h.app.lead_board.columns[column].cursor), (column, 1));
    let down = mouse_action(&h.app, wheel(x, 20, true)).unwrap();
    assert_eq!(down, Wheel { column, down: true });
    h.act(down);
    assert_eq!(h.app.lead_board.columns[column].cursor, 2);
    // The wheel over another column scrolls that one.
    let other = (column + 1) % visible;
    let action = mouse_action(&h.app, wheel((other * width + 3) as u16, 20, true)).unwrap();
    h.act(action);
    assert_eq!(h.app.lead_board.focus, other);
}

/// Issue 23: a click focuses a card of the activities board, the wheel moves the cursor in
/// the column under it (its layout: the header line, then each column's two head lines).
#[test]
fn a_click_focuses_an_activities_card_and_the_wheel_scrolls_its_column() {
    let mut h = Harness::new(120, Lang::En);
    h.act(Show(Tab::Activities));
    h.act(FilterMine); // everyone's leads
    let (w, _) = h.app.size;
    let n = h.app.agenda.columns.len();
    let visible = (w as usize / 18).min(n);
    let width = w as usize / visible;
    let column = (1..visible).find(|c| h.app.agenda.columns[*c].rows.len() >= 3).expect("a column of three cards");
    // Second card: below the header line, the column's two head lines and one card.
    let (x, y) = ((column * width + 3) as u16, 1 + 1 + 2 + 4 + 1);
    let action = mouse_action(&h.app, click(x, y));
    assert_eq!(action, Some(FocusAt { column, row: 1 }));
    h.act(action.unwrap());
    assert_eq!((h.app.agenda.focus, h.app.agenda.columns[column].cursor), (column, 1));
    let down = mouse_action(&h.app, wheel(x, 20, true)).unwrap();
    assert_eq!(down, Wheel { column, down: true });
    h.act(down);
    assert_eq!(h.app.agenda.columns[column].cursor, 2);
    h.act(mouse_action(&h.app, wheel(x, 20, false)).unwrap());
    assert_eq!(h.app.agenda.columns[column].cursor, 1);
    // The wheel over another column focuses and scrolls that one.
    let action = mouse_action(&h.app, wheel(3, 20, true)).unwrap();
    assert_eq!(action, Wheel { column: 0, down: true });
    h.act(action);
    assert_eq!(h.app.agenda.focus, 0);
    // Enter opens the card the click focused.
    h.act(mouse_action(&h.app, click(x, y)).unwrap());
    let id = h.app.agenda.columns[column].rows[1].id;
    h.act(Open);
    assert_eq!(h.app.form.as_ref().and_then(|f| f.record.as_ref()).map(|r| r.id), Some(id));
}

/// Issue 23: the wheel over a form's timeline scrolls it, an entry a notch; over its fields
/// it moves the cursor.
#[test]
fn the_wheel_scrolls_a_forms_timeline() {
    let mut h = Harness::new(20, Lang::En);
    let id = h.app.lead_board.focused().unwrap().id;
    for text in ["one", "two", "three"] {
        h.store.comment(prospect::store::RecordRef::new(Entity::Lead, id), text).unwrap();
    }
    h.act(Open);
    let form = h.app.form.as_ref().unwrap();
    assert!(form.timeline.len() >= 4, "{}", form.timeline.len());
    assert_eq!((form.timeline_scroll, form.cursor), (0, 0));
    // The timeline is the right part (45%) of a 120-column screen.
    let down = mouse_action(&h.app, wheel(100, 10, true)).expect("the wheel over the timeline");
    h.acts(&[down, down]);
    assert_eq!(h.app.form.as_ref().unwrap().timeline_scroll, 2);
    h.act(mouse_action(&h.app, wheel(100, 10, false)).unwrap());
    assert_eq!(h.app.form.as_ref().unwrap().timeline_scroll, 1);
    // Over the fields, the cursor moves; the timeline stays.
    h.act(mouse_action(&h.app, wheel(10, 10, true)).expect("the wheel over the fields"));
    let form = h.app.form.as_ref().unwrap();
    assert_eq!((form.timeline_scroll, form.cursor), (1, 1));
}
