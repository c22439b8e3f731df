//! A Kanban column's window: at most `WINDOW` cards around the cursor, loaded `PAGE` at a
//! time by keyset (`Anchor`), so a column of 30,000 cards costs what a screenful does.

use super::{Column, WINDOW};
use crate::domain::fields::Entity;
use crate::tui::app::PAGE;
use crate::tui::effect::{Anchor, Effect};

/// Asks for the page the cursor or the scroll is about to need, if any (one at a time).
pub(crate) fn ensure_window(entity: Entity, pipeline: Option<i64>, col: &mut Column, per: usize) -> Vec<Effect> {
    let Some(head) = &col.head else { return vec![] };
    let count = col.count();
    if col.pending || count == 0 {
        return vec![];
    }
    let end = col.start + col.cards.len();
    let want_end = (col.scroll + per).max(col.cursor + 1).min(count);
    let anchor = if col.cards.is_empty() {
        Some(if col.cursor + PAGE >= count && col.cursor >= PAGE { Anchor::Bottom } else { Anchor::Top })
    } else if col.cursor >= end + PAGE || col.scroll >= end + PAGE {
        Some(if col.cursor + PAGE >= count {
            Anchor::Bottom
        } else {
            Anchor::Before(col.cards[col.cards.len() - 1].id)
        })
    } else if col.cursor + PAGE < col.start {
        Some(if col.cursor < PAGE { Anchor::Top } else { Anchor::After(col.cards[0].id) })
    } else if end < count && want_end + 20 > end {
        Some(Anchor::Before(col.cards[col.cards.len() - 1].id))
    } else if col.start > 0 && col.scroll < col.start + 20 {
        Some(Anchor::After(col.cards[0].id))
    } else {
        None
    };
    match anchor {
        Some(anchor) => {
            col.pending = true;
            vec![Effect::LoadCards {
                entity,
                pipeline,
                stage_id: head.stage.id,
                stage_code: head.stage.code.clone(),
                anchor,
                rots: head.stage.rot_days.is_some(),
            }]
        }
        None => vec![],
    }
}

/// Keeps the cursor within the column and on screen.
pub(crate) fn fix_scroll(col: &mut Column, per: usize) {
    let count = col.count();
    col.cursor = col.cursor.min(count.saturating_sub(1));
    if col.cursor < col.scroll {
        col.scroll = col.cursor;
    }
    if col.cursor >= col.scroll + per {
        col.scroll = col.cursor + 1 - per;
    }
    col.scroll = col.scroll.min(count.saturating_sub(per.min(count)));
}

/// A page of cards arrived: it joins the window, which drops what is beyond `WINDOW`.
pub(crate) fn apply_cards(
    col: &mut Column,
    anchor: Anchor,
    mut rows: Vec<crate::store::RecordSummary>,
    position: Option<usize>,
) {
    col.pending = false;
    match anchor {
        Anchor::Top => {
            col.cards = rows;
            col.start = 0;
        }
        Anchor::Bottom => {
            rows.reverse();
            col.start = col.count().saturating_sub(rows.len());
            col.cards = rows;
        }
        Anchor::At(_) => {
            col.cards = rows;
            col.start = position.unwrap_or(0);
        }
        Anchor::Before(id) => {
            if col.cards.last().map(|c| c.id) == Some(id) {
                col.cards.extend(rows);
            }
        }
        Anchor::After(id) => {
            if col.cards.first().map(|c| c.id) == Some(id) {
                rows.reverse();
                col.start = col.start.saturating_sub(rows.len());
                rows.extend(std::mem::take(&mut col.cards));
                col.cards = rows;
            }
        }
    }
    if col.cards.len() > WINDOW {
        let excess = col.cards.len() - WINDOW;
        if col.cursor.saturating_sub(col.start) > col.cards.len() / 2 {
            col.cards.drain(..excess);
            col.start += excess;
        } else {
            col.cards.truncate(WINDOW);
        }
    }
}
