//! Drawing the documents screen: a table, or columns by status with a card per document.

use super::DocumentsView;
use crate::domain::document::Document;
use crate::present;
use crate::tui::app::App;
use crate::tui::widgets::{fit, fit_pad, row_style};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Draws the screen into `area`.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let view = &app.documents;
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let kind = app.t(if view.kind == crate::domain::document::DocKind::Quote {
        "tui.docs_quotes"
    } else {
        "tui.docs_invoices"
    });
    // Counts only: a sum over drafts, cancelled invoices and credit notes would mislead (the
    // Kanban's columns sum each status).
    let heading = format!(" {kind} · {}", app.ta("tui.docs_count", &[("count", &view.docs.len().to_string())]));
    f.render_widget(
        Paragraph::new(Span::styled(fit(&heading, area.width as usize), Style::default().add_modifier(Modifier::BOLD))),
        title,
    );
    if view.loaded && view.docs.is_empty() {
        f.render_widget(Paragraph::new(format!(" {}", app.t("tui.docs_none"))), body);
        return;
    }
    if view.board { draw_board(app, view, f, body) } else { draw_list(app, view, f, body) }
}

/// A `YYYY-MM-DD` date as the language writes it.
fn day(app: &App, text: Option<&str>) -> String {
    text.and_then(|t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
        .map(|d| present::day(app.lang, d))
        .unwrap_or_default()
}

fn total(app: &App, d: &Document) -> String {
    present::money(app.lang, d.totals.gross, Some(d.currency.code()))
}

/// A status as a column or cell says it: capitalised.
fn status_word(
    app: &App,
    kind: crate::domain::document::DocKind,
    status: crate::domain::document::DocStatus,
) -> String {
    let word = present::doc_status(app.lang, kind, status);
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn draw_list(app: &App, view: &DocumentsView, f: &mut Frame, area: Rect) {
    let col = |key: &str| app.t(&format!("tui.docs_col_{key}"));
    // The total before the client: on 80 columns it is what is read.
    // The client takes what the others leave, 12 to 30 columns.
    let client = (area.width as usize).saturating_sub(16 + 11 + 14 + 10 + 10 + 6).clamp(12, 30);
    // A quote is valid until a day; an invoice is due on one.
    let until = if view.kind == crate::domain::document::DocKind::Quote { col("valid") } else { col("due") };
    let header: Vec<(String, usize)> = vec![
        (col("number"), 16),
        (col("status"), 11),
        (col("total"), 14),
        (col("client"), client),
        (col("issued"), 10),
        (until, 10),
    ];
    let rows: Vec<Vec<String>> = view
        .docs
        .iter()
        .map(|d| {
            let number = match d.kind {
                crate::domain::document::DocKind::CreditNote => format!("{} ↩", d.name()),
                _ => d.name(),
            };
            vec![
                number,
                status_word(app, d.kind, d.status),
                total(app, d),
                d.client.name.clone(),
                day(app, d.issue_date.as_deref()),
                day(app, d.due_date.as_deref().or(d.valid_until.as_deref())),
            ]
        })
        .collect();
    let lines = crate::tui::screens::team::table(&header, rows, view.cursor, area);
    f.render_widget(Paragraph::new(lines), area);
}

fn draw_board(app: &App, view: &DocumentsView, f: &mut Frame, area: Rect) {
    let columns = view.columns();
    if columns.is_empty() {
        return;
    }
    let areas = Layout::horizontal(vec![Constraint::Ratio(1, columns.len() as u32); columns.len()]).split(area);
    for (c, ((status, docs), rect)) in columns.iter().zip(areas.iter()).enumerate() {
        let focused_column = c == view.column;
        let name = status_word(app, view.kind, *status);
        // Invoices only: a credit note is not money owed.
        let sum: i64 = docs
            .iter()
            .filter(|d| d.kind != crate::domain::document::DocKind::CreditNote)
            .map(|d| d.totals.gross)
            .sum();
        let currency = docs.first().map(|d| d.currency.code());
        let mut title = format!(" {name} ({}) ", docs.len());
        let with_sum = format!(" {name} ({}) {} ", docs.len(), present::money(app.lang, sum, currency));
        // The column's sum where it fits, in one currency.
        let fits = unicode_width::UnicodeWidthStr::width(with_sum.as_str()) + 2 <= rect.width as usize;
        if fits && currency.is_some() && docs.iter().all(|d| Some(d.currency.code()) == currency) {
            title = with_sum;
        }
        let style = if focused_column { Style::default().add_modifier(Modifier::BOLD) } else { Style::default() };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, style));
        let inner = block.inner(*rect);
        f.render_widget(block, *rect);
        let width = inner.width as usize;
        let per_card = 2;
        let room = (inner.height as usize / per_card).max(1);
        let row = view.rows.get(c).copied().unwrap_or(0);
        let first = row.saturating_sub(room - 1);
        let mut lines = Vec::new();
        for (i, d) in docs.iter().enumerate().skip(first).take(room) {
            let focused = focused_column && i == row;
            let head = fit_pad(&d.name(), width);
            lines.push(Line::from(Span::styled(head, row_style(focused).add_modifier(Modifier::BOLD))));
            let second = format!("{} · {}", total(app, d), d.client.name);
            lines.push(Line::from(Span::styled(fit_pad(&second, width), row_style(focused))));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}
