//! A lead's or deal's line items on its form (SPEC E4): the "Products" section (its totals
//! row, then a row per line), `i` to add one (a product of the catalogue or free text), Enter
//! to change one, `x` to delete one. The record's amount follows its lines.

use super::*;
use crate::domain::product::Product;
use crate::store::lines::{RecordLines, holds_lines};
use crate::tui::overlays::entry::open_line;
use crate::tui::overlays::picker::PickPurpose;

/// The picker's value for a line without product.
const FREE_TEXT: &str = "";

/// `i`: the products to sell are loaded, then offered (free text last).
pub(crate) fn add(app: &mut App) -> Vec<Effect> {
    match app.form.as_ref() {
        Some(FormView { record: Some(_), entity, .. }) if holds_lines(*entity) => vec![Effect::LoadProducts],
        Some(FormView { record: None, entity, .. }) if holds_lines(*entity) => {
            info(app, app.t("tui.lines_after_save"));
            vec![]
        }
        _ => {
            info(app, app.t("tui.lines_leads_deals"));
            vec![]
        }
    }
}

/// The catalogue arrived: pick what the new line sells.
pub(crate) fn products_loaded(app: &mut App, products: Vec<Product>) -> Vec<Effect> {
    let Some(form) = app.form.as_ref() else { return vec![] };
    let Some(r) = &form.record else { return vec![] };
    let record = RecordRef::new(form.entity, r.id);
    // A record with lines sells in their currency only: the others are not offered.
    let held = form.lines.as_ref().filter(|l| !l.lines.is_empty()).map(|l| l.currency);
    let title = app_title(app, record);
    let lang = app.lang;
    let products: Vec<Product> = products.into_iter().filter(|p| held.is_none_or(|c| c == p.currency)).collect();
    let mut items: Vec<(String, String)> = products
        .iter()
        .map(|p| {
            let price = present::money(lang, p.price, Some(p.currency.code()));
            let code = p.code.as_deref().map(|c| format!("{c} · ")).unwrap_or_default();
            (p.id.to_string(), format!("{code}{} · {price}", p.name))
        })
        .collect();
    items.push((FREE_TEXT.into(), app.t("tui.line_free_text")));
    if let Some(f) = app.form.as_mut() {
        f.products = products;
    }
    app.overlay = Overlay::Picker(Picker {
        purpose: PickPurpose::LineProduct { record },
        title: app.ta("tui.pick_line_product", &[("title", &title)]),
        items,
        cursor: 0,
    });
    vec![]
}

fn app_title(app: &App, record: RecordRef) -> String {
    let title = app.form.as_ref().and_then(|f| f.record.as_ref()).map(|r| r.title.clone()).unwrap_or_default();
    app.title_of(record.entity, record.id, &title)
}

/// A product (or free text) picked: the line's form, its values filled in.
pub(crate) fn product_picked(app: &mut App, record: RecordRef, value: String) -> Vec<Effect> {
    let product = app.form.as_ref().and_then(|f| f.products.iter().find(|p| p.id.to_string() == value)).cloned();
    let title = app.ta("tui.line_add_title", &[("title", &app_title(app, record))]);
    open_line(app, record, title, None, product.as_ref());
    vec![]
}

/// Enter on a line: its form; on the totals row: a new line.
pub(crate) fn edit(app: &mut App, row: &FormRow) -> Vec<Effect> {
    let Some(form) = app.form.as_ref() else { return vec![] };
    let (Some(r), Some(lines)) = (&form.record, &form.lines) else { return vec![] };
    let record = RecordRef::new(form.entity, r.id);
    match row {
        FormRow::Line(i) => {
            let Some(line) = lines.lines.get(*i).cloned() else { return vec![] };
            let title = app
                .ta("tui.line_edit_title", &[("line", &line.position.to_string()), ("title", &app_title(app, record))]);
            open_line(app, record, title, Some(&line), None);
            vec![]
        }
        _ => add(app),
    }
}

/// `x` on a line: asked, then deleted.
pub(crate) fn delete(app: &mut App, i: usize) -> Vec<Effect> {
    let Some(form) = app.form.as_ref() else { return vec![] };
    let (Some(r), Some(lines)) = (&form.record, &form.lines) else { return vec![] };
    let Some(line) = lines.lines.get(i) else { return vec![] };
    let record = RecordRef::new(form.entity, r.id);
    let message = app.ta("tui.confirm_delete_line", &[("line", &line.position.to_string()), ("name", &line.name)]);
    app.overlay = Overlay::Confirm(crate::tui::app::Confirm {
        message,
        on_yes: Effect::DeleteLine { record, place: line.position },
    });
    vec![]
}

/// The label and value of the totals row and of a line's row.
pub(crate) fn row_text(app: &App, lines: &RecordLines, row: &FormRow) -> Option<(String, String)> {
    let money = |minor: i64| present::money(app.lang, minor, Some(lines.currency.code()));
    let decimal = |t: String| present::decimal(app.lang, &t);
    match row {
        FormRow::Lines if lines.lines.is_empty() => Some((app.t("tui.lines_label"), app.t("tui.lines_none"))),
        FormRow::Lines => {
            let t = &lines.totals;
            let said = app.ta(
                "tui.lines_totals",
                &[
                    ("count", &lines.lines.len().to_string()),
                    ("net", &money(t.net)),
                    ("tax", &money(t.tax)),
                    ("gross", &money(t.gross)),
                ],
            );
            Some((crate::i18n::tr_count(app.lang, "tui.lines_count", lines.lines.len() as u64, &[]), said))
        }
        FormRow::Line(i) => {
            let l = lines.lines.get(*i)?;
            let unit = l.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            let discount = match l.money.discount {
                crate::domain::lines::Discount::None => String::new(),
                crate::domain::lines::Discount::Percent(p) => {
                    format!(" −{} %", decimal(crate::domain::product::percent_text(p)))
                }
                crate::domain::lines::Discount::Amount(a) => format!(" −{}", money(a)),
            };
            let value = format!(
                "{}{unit} × {}{discount} · {} % · {}",
                decimal(l.qty_text()),
                money(l.money.unit_price),
                decimal(l.rate_text()),
                money(l.money.net())
            );
            Some((format!("  {}. {}", l.position, l.name), value))
        }
        _ => None,
    }
}
