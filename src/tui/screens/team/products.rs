//! The Products pane (SPEC E4): the catalogue, inactive products too. An administrator adds
//! (`a`), changes (`e`, Enter) and deletes (`D`) products, each change in one small form,
//! and imports a catalogue from CSV (`I`, as `prospect import --entity product` does).

use super::{AdminOp, table};
use crate::domain::product::percent_text;
use crate::present;
use crate::tui::action::Action;
use crate::tui::app::{App, Confirm, Overlay};
use crate::tui::effect::Effect;
use crate::tui::keymap::{Binding, b, code, k};
use crate::tui::overlays::entry::open_product;
use crate::tui::overlays::prompt::{Answered, PathHelp, Prompt, PromptPurpose, path_required, typed_path};
use crate::tui::widgets::input::TextInput;
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

/// Keys of the pane.
pub(super) fn bindings(admin: bool) -> Vec<Binding> {
    use Action::*;
    if !admin {
        return vec![];
    }
    vec![
        b(&[k('a')], AdminAdd, "team.key_add_product", true),
        b(&[k('e'), code(KeyCode::Enter)], Edit, "team.key_edit_product", true),
        b(&[k('I')], Import, "team.key_import_products", true),
        b(&[k('D')], AdminDelete, "team.key_delete_product", true),
    ]
}

pub(super) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let focused = app.team.data.products.get(app.team.cursor()).cloned();
    match (action, focused) {
        (Action::AdminAdd, _) => open_product(app, None),
        (Action::Edit, Some(p)) => open_product(app, Some(&p)),
        (Action::AdminDelete, Some(p)) => {
            let message = app.ta("team.confirm_delete_product", &[("name", &p.name)]);
            app.overlay =
                Overlay::Confirm(Confirm { message, on_yes: Effect::Admin(AdminOp::DeleteProduct { id: p.id }) });
        }
        (Action::Import, _) => {
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::ProductsPath,
                title: app.t("team.prompt_import_products"),
                input: TextInput::default(),
                error: None,
                files: PathHelp::new(true),
            });
        }
        _ => {}
    }
    vec![]
}

/// The catalogue file typed: imported (the pane reloads with what it added).
pub(crate) fn path_typed(app: &App, text: String) -> Answered {
    match typed_path(&text) {
        Some(path) => Answered::Wait(vec![Effect::Admin(AdminOp::ImportProducts { path })]),
        None => Answered::Refused(path_required(app)),
    }
}

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let products = &app.team.data.products;
    if products.is_empty() {
        f.render_widget(Paragraph::new(format!(" {}", app.t("team.no_products"))), area);
        return;
    }
    let rows: Vec<Vec<String>> = products
        .iter()
        .map(|p| {
            vec![
                p.code.clone().unwrap_or_default(),
                p.name.clone(),
                present::money(app.lang, p.price, Some(p.currency.code())),
                format!("{} %", present::decimal(app.lang, &percent_text(p.tax_rate))),
                p.unit.clone().unwrap_or_default(),
                p.category.clone().unwrap_or_default(),
                super::yes_no(app, p.active),
            ]
        })
        .collect();
    let col = |key: &str| app.t(&format!("product.col_{key}"));
    let header = vec![
        (col("code"), 10),
        (col("name"), 26),
        (col("price"), 14),
        (col("tax"), 7),
        (col("unit"), 6),
        (col("category"), 14),
        (col("active"), 8),
    ];
    f.render_widget(Paragraph::new(table(&header, rows, app.team.cursor(), area)), area);
}
