//! Drawing pieces the screens and overlays share: safe text, colours, popups and their
//! frames, the header, status bar and footer, the text field.

pub mod bars;
pub mod input;

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

pub mod colour;
pub use colour::color;

/// The mark after the first line of a value that has more lines.
pub const MORE_LINES: &str = " ⏎…";

/// Text from the file, safe to draw on one line: its first line (blank lines before it
/// skipped), followed by `MORE_LINES` when more text follows, and any other control character
/// as its picture (`␛`, `text::shown_line`). No `\r` or `\n` ever reaches a cell or a line.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if !s.contains(['\r', '\n']) {
        return crate::domain::text::shown_line(s);
    }
    let start = s.trim_start();
    let end = start.find(['\r', '\n']).unwrap_or(start.len());
    let (first, rest) = start.split_at(end);
    let mut out = crate::domain::text::shown_line(first.trim_end()).into_owned();
    if !rest.trim().is_empty() {
        out.push_str(MORE_LINES);
    }
    Cow::Owned(out)
}

/// Whether a value holds more than one line of text (a multi-line comment).
pub fn has_more_lines(s: &str) -> bool {
    s.trim().contains(['\r', '\n'])
}

/// Text from the file as the lines it holds (`\r\n`, `\r` and `\n` all end a line), each
/// safe to draw (`text::shown_line`): for wrapped paragraphs that show every line.
pub fn text_lines(s: &str) -> Vec<String> {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    unified.trim_end_matches('\n').split('\n').map(|l| crate::domain::text::shown_line(l).into_owned()).collect()
}

/// `s` on lines of at most `width` terminal cells, cut between words where it can (a long
/// message, such as a refusal saying what is accepted, read whole). Safe to draw.
pub fn wrapped(s: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = width.max(1);
    let mut out = Vec::new();
    for line in text_lines(s) {
        let mut current = String::new();
        for word in line.split(' ') {
            let fits = UnicodeWidthStr::width(current.as_str()) + 1 + UnicodeWidthStr::width(word) <= width;
            if !current.is_empty() && !fits {
                out.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            while UnicodeWidthStr::width(current.as_str()) > width {
                let head: String = current.chars().take(width).collect();
                current = current.chars().skip(width).collect();
                out.push(head);
            }
        }
        out.push(current);
    }
    out
}

/// Cuts `s` to `width` terminal cells, ending with `…` when cut. Control characters are shown
/// as pictures first (`safe`).
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let s = &*safe(s);
    let mut out = String::new();
    let mut used = 0;
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return s.to_string();
    }
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `fit`, then padded with spaces to exactly `width` terminal cells: a column of a table
/// whose cells may hold wide (CJK) or combining characters, which `{:<width$}` (counting
/// characters, not cells) would leave too wide or too narrow.
pub fn fit_pad(s: &str, width: usize) -> String {
    let mut out = fit(s, width);
    let used = unicode_width::UnicodeWidthStr::width(out.as_str());
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// A centred popup of at most `width` × `height` in `area`.
pub fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 3, width: w, height: h }
}

/// A popup's border and bold title.
pub fn frame_block(title: &str) -> Block<'_> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(Color::Cyan))
        .title(Span::styled(format!(" {} ", safe(title)), Style::default().add_modifier(Modifier::BOLD)))
}

/// The style of a row: reversed when focused.
pub fn row_style(focused: bool) -> Style {
    if focused { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() }
}

/// A list cursor one step up or down, kept within `len` items.
pub fn step(cursor: usize, len: usize, down: bool) -> usize {
    if down { (cursor + 1).min(len.saturating_sub(1)) } else { cursor.saturating_sub(1) }
}

/// Where the columns of a board go in `area`: as many as fit at `min_width` cells each, the
/// focused one among them, as (column index, its rectangle). Kanban and activities board
/// alike; their views draw with it and the mouse reads it.
pub fn board_slots(
    area: ratatui::layout::Rect,
    n: usize,
    focus: usize,
    min_width: u16,
) -> Vec<(usize, ratatui::layout::Rect)> {
    use ratatui::layout::Rect;
    if n == 0 || area.width == 0 {
        return vec![];
    }
    let visible = ((area.width / min_width.max(1)).max(1) as usize).min(n);
    let first = focus.saturating_sub(visible - 1).min(n - visible);
    let width = area.width / visible as u16;
    (first..first + visible)
        .enumerate()
        .map(|(slot, idx)| {
            let x = area.x + slot as u16 * width;
            let w = if slot + 1 == visible { area.x + area.width - x } else { width };
            (idx, Rect { x, y: area.y, width: w.saturating_sub(1).max(1), height: area.height })
        })
        .collect()
}

/// The card of a board column drawn in `rect` (a head of two lines, then cards of
/// `card_height` lines from `scroll`) at screen row `y`, if one of its `count` is drawn there.
pub fn card_in_column(
    rect: ratatui::layout::Rect,
    y: u16,
    scroll: usize,
    count: usize,
    card_height: usize,
) -> Option<usize> {
    let below = y.checked_sub(rect.y + 2)? as usize;
    let index = scroll + below / card_height;
    (index < count && below < (rect.height as usize).saturating_sub(2) / card_height * card_height).then_some(index)
}
