//! Quotes and invoices of every deal the user may see (SPEC E5): a list, or a Kanban by
//! status (`v`), of quotes or of invoices with their credit notes (`t`). Enter offers what
//! may be done with the focused one now, as on its deal's form; `o` opens the deal.

mod draw;

pub use draw::draw;

use crate::domain::document::{DocKind, DocStatus, Document};
use crate::domain::fields::Entity;
use crate::tui::action::Action;
use crate::tui::app::{App, Screen};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::keymap::{Binding, b, code, k};
use crossterm::event::KeyCode;

/// The documents screen's state.
#[derive(Clone, Debug)]
pub struct DocumentsView {
    /// Quotes, or invoices (with their credit notes).
    pub kind: DocKind,
    /// A Kanban by status rather than a list.
    pub board: bool,
    /// The documents, newest first.
    pub docs: Vec<Document>,
    /// The list's focused row.
    pub cursor: usize,
    /// The board's focused column, and row in each column.
    pub column: usize,
    /// Focused row per column.
    pub rows: Vec<usize>,
    /// The first answer has come.
    pub loaded: bool,
}

impl Default for DocumentsView {
    fn default() -> Self {
        DocumentsView {
            kind: DocKind::Quote,
            board: false,
            docs: vec![],
            cursor: 0,
            column: 0,
            rows: vec![],
            loaded: false,
        }
    }
}

impl DocumentsView {
    /// The board's columns: each status of the kind with its documents, newest first.
    pub fn columns(&self) -> Vec<(DocStatus, Vec<&Document>)> {
        self.kind.statuses().iter().map(|s| (*s, self.docs.iter().filter(|d| d.status == *s).collect())).collect()
    }

    /// The document in focus.
    pub fn focused(&self) -> Option<&Document> {
        if self.board {
            let columns = self.columns();
            let (_, docs) = columns.get(self.column)?;
            docs.get(self.rows.get(self.column).copied().unwrap_or(0)).copied()
        } else {
            self.docs.get(self.cursor)
        }
    }

    /// Keeps the focus on the rows there are.
    fn clamp(&mut self) {
        self.cursor = self.cursor.min(self.docs.len().saturating_sub(1));
        let columns: Vec<usize> = self.columns().iter().map(|(_, d)| d.len()).collect();
        self.column = self.column.min(columns.len().saturating_sub(1));
        self.rows.resize(columns.len(), 0);
        for (row, len) in self.rows.iter_mut().zip(columns) {
            *row = (*row).min(len.saturating_sub(1));
        }
    }
}

/// Keys of the screen.
pub fn bindings() -> Vec<Binding> {
    use Action::*;
    let mut v = vec![
        b(&[code(KeyCode::Enter)], Open, "tui.key_doc_actions", true),
        b(&[k('v')], ToggleBoard, "tui.key_doc_board", true),
        b(&[k('t')], NextKind, "tui.key_doc_kind", true),
        b(&[k('o')], OpenDeal, "tui.key_open_deal", true),
    ];
    v.extend(crate::tui::keymap::column_navigation());
    v
}

/// Opens the screen (`0`), on what it showed last.
pub(crate) fn open(app: &mut App) -> Vec<Effect> {
    if !matches!(app.screen, Screen::Documents) {
        app.back.push(app.screen.clone());
    }
    app.screen = Screen::Documents;
    app.form = None;
    vec![load(app)]
}

/// What the screen shows.
pub(crate) fn load(app: &App) -> Effect {
    Effect::LoadDocuments { kind: app.documents.kind }
}

/// An action on the screen.
pub(crate) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let view = &mut app.documents;
    let board = view.board;
    match action {
        Action::NextKind => {
            view.kind = if view.kind == DocKind::Quote { DocKind::Invoice } else { DocKind::Quote };
            *view = DocumentsView { kind: view.kind, board, ..Default::default() };
            return vec![load(app)];
        }
        Action::ToggleBoard => {
            view.board = !view.board;
            // The focus stays on the same document.
            let id = if board { view.focused_in_board() } else { view.docs.get(view.cursor).map(|d| d.id) };
            view.focus(id);
            view.focus_a_card();
        }
        Action::Down if board => bump(&mut view.rows, view.column, 1),
        Action::Up if board => bump(&mut view.rows, view.column, -1),
        Action::Left if board => view.column = view.column.saturating_sub(1),
        Action::Right if board => view.column += 1,
        Action::Top if board => view.rows.get_mut(view.column).into_iter().for_each(|r| *r = 0),
        Action::Bottom if board => view.rows.get_mut(view.column).into_iter().for_each(|r| *r = usize::MAX),
        Action::Down => view.cursor += 1,
        Action::Up => view.cursor = view.cursor.saturating_sub(1),
        Action::Top => view.cursor = 0,
        Action::Bottom => view.cursor = usize::MAX,
        Action::Open => {
            let Some(doc) = view.focused().cloned() else { return vec![] };
            return crate::tui::screens::form::documents::offer(app, &doc);
        }
        Action::OpenDeal => {
            let Some(deal) = view.focused().map(|d| d.deal_id) else { return vec![] };
            return crate::tui::screens::form::open_record(app, Entity::Deal, deal);
        }
        _ => {}
    }
    app.documents.clamp();
    vec![]
}

impl DocumentsView {
    /// On the Kanban with the focus in an empty column: the first column with cards.
    fn focus_a_card(&mut self) {
        let columns = self.columns();
        if !self.board || columns.get(self.column).is_some_and(|(_, d)| !d.is_empty()) {
            return;
        }
        if let Some(c) = columns.iter().position(|(_, d)| !d.is_empty()) {
            self.column = c;
        }
    }

    fn focused_in_board(&self) -> Option<i64> {
        let columns = self.columns();
        let (_, docs) = columns.get(self.column)?;
        docs.get(self.rows.get(self.column).copied().unwrap_or(0)).map(|d| d.id)
    }

    /// Puts the focus on document `id` in the view shown.
    fn focus(&mut self, id: Option<i64>) {
        let Some(id) = id else { return };
        if let Some(i) = self.docs.iter().position(|d| d.id == id) {
            self.cursor = i;
        }
        let found = self
            .columns()
            .iter()
            .enumerate()
            .find_map(|(c, (_, docs))| docs.iter().position(|d| d.id == id).map(|r| (c, r)));
        if let Some((c, r)) = found {
            self.column = c;
            self.rows.resize(self.kind.statuses().len(), 0);
            self.rows[c] = r;
        }
    }
}

fn bump(rows: &mut [usize], column: usize, by: isize) {
    if let Some(r) = rows.get_mut(column) {
        *r = r.saturating_add_signed(by);
    }
}

/// The store's answer: the documents, the focus kept on the one it was on.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    if let StoreEvent::Documents { kind, docs } = ev {
        let view = &mut app.documents;
        if kind != view.kind {
            return vec![];
        }
        let id = if view.board { view.focused_in_board() } else { view.docs.get(view.cursor).map(|d| d.id) };
        view.docs = docs;
        view.loaded = true;
        view.clamp();
        view.focus(id);
        view.focus_a_card();
    }
    vec![]
}
