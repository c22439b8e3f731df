//! A small form of several text fields saved at once: a record's line item (SPEC E4) or a
//! product of the catalogue. ↑/↓ (Tab) go between fields, Enter saves, Esc leaves (a second
//! Esc when something was typed: nothing typed is lost to one key). A refusal names its field,
//! whose row the cursor goes to; the form stays open with what was typed.

use crate::domain::product::{Line as ItemLine, LineInput, Product, ProductInput, percent_text};
use crate::store::RecordRef;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay};
use crate::tui::effect::Effect;
use crate::tui::screens::team::AdminOp;
use crate::tui::widgets::input::{TextInput, edit_text, input_or_text};
use crate::tui::widgets::{fit, frame_block, popup, wrapped};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// What an entry form saves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryPurpose {
    /// A line of `record`: a new one (`place` none) selling `product` (none: free text),
    /// or the line at `place`.
    Line { record: RecordRef, place: Option<i64>, product: Option<i64> },
    /// A product: a new one, or the one of this id.
    Product { id: Option<i64> },
    /// A stage automation rule on entering `at` (named `stage`).
    StageRule {
        at: crate::service::RuleStage,
        stage: String,
        /// The rule being changed (`None`: a new one).
        editing: Option<Box<crate::domain::automation::StageRule>>,
    },
}

/// One field of the form: the input's field key (a refusal's `field` finds its row), its
/// label's message key, and what was typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRow {
    /// The field key a refusal names (`qty`, `price`...).
    pub key: &'static str,
    /// Message key of its label.
    pub label: &'static str,
    /// Its text.
    pub input: TextInput,
    /// What an empty field means, shown greyed in it.
    pub hint: String,
}

/// The form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryForm {
    /// What it saves.
    pub purpose: EntryPurpose,
    /// Its title.
    pub title: String,
    /// Its fields.
    pub rows: Vec<EntryRow>,
    /// The focused field.
    pub row: usize,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// Something was typed since it opened.
    pub typed: bool,
    /// Esc was pressed once over typed values: a second one leaves.
    pub leaving: bool,
}

fn row(key: &'static str, label: &'static str, text: &str) -> EntryRow {
    EntryRow { key, label, input: TextInput::with(text), hint: String::new() }
}

/// Opens the form of a line of `record`: `line` (at its place) to change, or a new one
/// selling `product` (its values filled in) or free text.
pub(crate) fn open_line(
    app: &mut App,
    record: RecordRef,
    title: String,
    line: Option<&ItemLine>,
    product: Option<&Product>,
) {
    let lang = app.lang;
    let decimal = |t: String| crate::present::decimal(lang, &t);
    let money = |minor: i64, c: crate::domain::money::Currency| {
        crate::present::decimal(
            lang,
            &crate::domain::money::plain_amount(crate::domain::money::Money { minor, currency: c }),
        )
    };
    let currency =
        app.form.as_ref().and_then(|f| f.lines.as_ref()).map_or(crate::domain::money::Currency::EUR, |l| l.currency);
    let (text, qty, price, discount, tax, unit) = match (line, product) {
        (Some(l), _) => (
            l.name.clone(),
            decimal(l.qty_text()),
            money(l.money.unit_price, currency),
            decimal(l.discount_text(currency)),
            decimal(l.rate_text()),
            l.unit.clone().unwrap_or_default(),
        ),
        (None, Some(p)) => (
            p.name.clone(),
            String::new(),
            money(p.price, p.currency),
            String::new(),
            decimal(percent_text(p.tax_rate)),
            p.unit.clone().unwrap_or_default(),
        ),
        (None, None) => (String::new(), String::new(), String::new(), String::new(), "0".into(), String::new()),
    };
    // A product's line opens on its quantity, a free one on its text.
    let first = if product.is_some() { 1 } else { 0 };
    app.overlay = Overlay::Entry(Box::new(EntryForm {
        purpose: EntryPurpose::Line { record, place: line.map(|l| l.position), product: product.map(|p| p.id) },
        title,
        rows: vec![
            row("text", "tui.line_text", &text),
            EntryRow { hint: "1".into(), ..row("qty", "field.qty", &qty) },
            row("price", "field.price", &price),
            row("discount", "field.discount", &discount),
            row("tax", "field.tax", &tax),
            row("unit", "field.unit", &unit),
        ],
        row: first,
        error: None,
        typed: false,
        leaving: false,
    }));
}

/// Opens the form of a product: `product` to change, or a new one.
pub(crate) fn open_product(app: &mut App, product: Option<&Product>) {
    let lang = app.lang;
    let p = product.cloned();
    let text = |f: fn(&Product) -> Option<String>| p.as_ref().and_then(f).unwrap_or_default();
    let price = p.as_ref().map(|p| {
        crate::present::decimal(
            lang,
            &crate::domain::money::plain_amount(crate::domain::money::Money { minor: p.price, currency: p.currency }),
        )
    });
    let title = match &p {
        Some(p) => app.ta("tui.product_edit_title", &[("name", &p.name)]),
        None => app.t("tui.product_add_title"),
    };
    let active = p.as_ref().is_none_or(|p| p.active);
    let tax =
        p.as_ref().map(|p| crate::present::decimal(lang, &percent_text(p.tax_rate))).unwrap_or_else(|| "20".into());
    app.overlay = Overlay::Entry(Box::new(EntryForm {
        purpose: EntryPurpose::Product { id: p.as_ref().map(|p| p.id) },
        title,
        rows: vec![
            row("name", "product.col_name", &text(|p| Some(p.name.clone()))),
            row("code", "product.col_code", &text(|p| p.code.clone())),
            row("price", "product.col_price", &price.unwrap_or_default()),
            row("currency", "field.currency", &text(|p| Some(p.currency.code().to_string()))),
            row("tax", "field.tax", &tax),
            row("unit", "field.unit", &text(|p| p.unit.clone())),
            row("category", "product.col_category", &text(|p| p.category.clone())),
            row("active", "product.col_active", &app.t(if active { "label.yes" } else { "label.no" })),
        ],
        row: 0,
        error: None,
        typed: false,
        leaving: false,
    }));
}

/// Opens the form of a rule on entering `at` (the stage named `stage`), new or `editing` one
/// made before (its parts filled in): the rule's name, conditions, the activity it plans, a
/// field it sets, whom it hands the record to, a comment, and what a failure does; each row
/// says what it takes.
pub(crate) fn open_stage_rule(
    app: &mut App,
    at: crate::service::RuleStage,
    stage: String,
    editing: Option<crate::domain::automation::StageRule>,
) {
    let typed = editing.as_ref().map(crate::domain::automation::RuleDraft::of).unwrap_or_default();
    let text = |key: &str| -> String {
        match key {
            "name" => typed.name.clone(),
            "where" => typed.when.join("; "),
            "plan" => typed.plan.clone(),
            "subject" => typed.subject.clone(),
            "in" => typed.due_in.clone(),
            "responsible" => typed.responsible.clone(),
            "set" => typed.sets.join("; "),
            "assign" => typed.assign.clone(),
            "move-linked" => typed.move_linked.clone(),
            "comment" => typed.comment.clone(),
            "on-error" if editing.is_some() => typed.on_error.clone(),
            _ => String::new(),
        }
    };
    let hinted =
        |key: &'static str, label: &'static str, hint: String| EntryRow { hint, ..row(key, label, &text(key)) };
    // The linked records' stages: a lead's deals, a deal's source lead.
    let linked_hint = match at.entity {
        Some(crate::domain::fields::Entity::Deal) => "PROCESSED, JUNK, …",
        _ => "WON, LOSE, …",
    }
    .to_string();
    let rows = vec![
        hinted("name", "automation.form_name", app.ta("automation.default_name", &[("stage", &stage)])),
        // Keyed as a condition's refusal names its field.
        hinted("where", "automation.form_when", "amount>=10000; priority=high".into()),
        hinted("plan", "automation.form_plan", "call, meeting, task, email".into()),
        hinted("subject", "automation.form_subject", app.t("automation.form_subject_hint")),
        hinted("in", "automation.form_in", "1d, 3d, 4h".into()),
        hinted("responsible", "automation.form_responsible", app.t("automation.form_responsible_hint")),
        hinted("set", "automation.form_set", "priority=high".into()),
        hinted("assign", "automation.form_assign", app.t("automation.form_assign_hint")),
        hinted("move-linked", "automation.form_move_linked", linked_hint),
        hinted("comment", "automation.form_comment", String::new()),
        hinted("on-error", "automation.form_on_error", "refuse, skip".into()),
    ];
    let title = match &editing {
        Some(rule) => app.ta("automation.form_edit_title", &[("name", &rule.name), ("stage", &stage)]),
        None => app.ta("automation.form_title", &[("stage", &stage)]),
    };
    app.overlay = Overlay::Entry(Box::new(EntryForm {
        purpose: EntryPurpose::StageRule { at, stage, editing: editing.map(Box::new) },
        title,
        rows,
        row: 0,
        error: None,
        typed: false,
        leaving: false,
    }));
}

/// The text of the field `key`.
fn value(f: &EntryForm, key: &str) -> String {
    f.rows.iter().find(|r| r.key == key).map(|r| r.input.text.clone()).unwrap_or_default()
}

/// What saving the form asks of the store, or why it cannot (a yes/no field not one).
fn save(app: &App, f: &EntryForm) -> Result<Effect, String> {
    let some = |key: &str| Some(value(f, key));
    match &f.purpose {
        EntryPurpose::Line { record, place, product } => {
            let input = LineInput {
                product: product.map(|p| p.to_string()),
                text: some("text"),
                // An empty quantity is one (its hint says so).
                qty: Some(value(f, "qty")).filter(|q| !q.trim().is_empty()),
                price: some("price"),
                discount: some("discount"),
                tax: some("tax"),
                unit: some("unit"),
            };
            Ok(Effect::SaveLine { record: *record, place: *place, input: Box::new(input) })
        }
        EntryPurpose::Product { id } => {
            let typed = value(f, "active");
            let active = crate::domain::fields::parse_bool(&typed).ok_or_else(|| {
                crate::i18n::describe(&crate::domain::Problem::Bool { value: typed.clone() }, "active", app.lang)
            })?;
            let input = ProductInput {
                name: some("name"),
                code: some("code"),
                description: None,
                unit: some("unit"),
                price: some("price"),
                // No currency typed: the file's.
                currency: Some(value(f, "currency")).filter(|c| !c.trim().is_empty()),
                tax: some("tax"),
                active: Some(active),
                category: some("category"),
            };
            Ok(Effect::Admin(AdminOp::SaveProduct { id: *id, input: Box::new(input) }))
        }
        EntryPurpose::StageRule { at, stage, editing } => {
            // Several conditions or fields set, one after the other with `;`.
            let many = |key: &str| value(f, key).split(';').map(|p| p.trim().to_string()).collect::<Vec<_>>();
            let draft = crate::domain::automation::RuleDraft {
                name: value(f, "name"),
                when: many("where"),
                plan: value(f, "plan"),
                subject: value(f, "subject"),
                due_in: value(f, "in"),
                responsible: value(f, "responsible"),
                assign: value(f, "assign"),
                move_linked: value(f, "move-linked"),
                sets: many("set"),
                comment: value(f, "comment"),
                on_error: value(f, "on-error"),
            };
            let entity = at.entity.unwrap_or(crate::domain::fields::Entity::Lead);
            let mut rule =
                draft.rule(entity, &app.ta("automation.default_name", &[("stage", stage)])).map_err(|e| {
                    // Named by the form's own label: "Subject: is required".
                    let said = crate::i18n::describe(&e.problem, &e.field, app.lang);
                    match f.rows.iter().find(|r| r.key == e.field) {
                        Some(row) => format!("{}{}{said}", app.t(row.label), app.t("tl.sep")),
                        None => said,
                    }
                })?;
            match editing {
                Some(old) => {
                    // The same rule, on the same stage, as on or off as it was.
                    (rule.id, rule.stage_id, rule.enabled) = (old.id, old.stage_id, old.enabled);
                    Ok(Effect::Admin(AdminOp::EditStageRule { rule: Box::new(rule) }))
                }
                None => Ok(Effect::Admin(AdminOp::AddStageRule { at: at.clone(), rule: Box::new(rule) })),
            }
        }
    }
}

/// An action in the form.
pub(crate) fn update(app: &mut App, mut f: Box<EntryForm>, action: Action) -> Vec<Effect> {
    let rows = f.rows.len();
    match action {
        Action::Back if f.typed && !f.leaving => {
            f.leaving = true;
            f.error = Some(app.t("tui.entry_leave_again"));
        }
        Action::Back => return vec![],
        Action::Up => f.row = (f.row + rows - 1) % rows,
        Action::Down => f.row = (f.row + 1) % rows,
        Action::Submit => {
            f.leaving = false;
            match save(app, &f) {
                Ok(effect) => {
                    f.error = None;
                    app.overlay = Overlay::Entry(f);
                    return vec![effect];
                }
                Err(msg) => f.error = Some(msg),
            }
        }
        Action::Input(key) => {
            f.error = None;
            f.leaving = false;
            f.typed = true;
            let r = f.row;
            edit_text(&mut f.rows[r].input, key);
        }
        _ => {}
    }
    app.overlay = Overlay::Entry(f);
    vec![]
}

/// A refusal of the save: said under the fields, the cursor on the field it names.
pub(crate) fn failed(f: &mut EntryForm, message: String, field: Option<&str>) {
    if let Some(i) = field.and_then(|k| f.rows.iter().position(|r| r.key == k)) {
        f.row = i;
    }
    f.error = Some(message);
}

/// Draws the form.
pub(crate) fn draw(app: &App, e: &EntryForm, f: &mut Frame, area: Rect) {
    let width = 64u16;
    let inner_w = width.saturating_sub(2) as usize;
    let error_lines = e.error.as_deref().map_or(0, |m| wrapped(m, inner_w).len());
    let rect = popup(area, width, e.rows.len() as u16 + 3 + error_lines as u16);
    let w = rect.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for (i, r) in e.rows.iter().enumerate() {
        let focused = i == e.row;
        let label_style =
            if focused { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default().fg(Color::Gray) };
        let mut spans = vec![Span::styled(format!(" {:<16}", fit(&app.t(r.label), 16)), label_style), Span::raw(" ")];
        spans.extend(input_or_text(&r.input, focused, &r.hint).spans);
        if focused && r.input.text.is_empty() && !r.hint.is_empty() {
            spans.push(Span::styled(format!(" {}", r.hint), Style::default().fg(Color::DarkGray)));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(fit(&app.t("tui.entry_keys"), w), Style::default().fg(Color::Gray))));
    if let Some(m) = &e.error {
        for part in wrapped(m, w) {
            lines.push(Line::from(Span::styled(part, Style::default().fg(Color::Red))));
        }
    }
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(lines).block(frame_block(&fit(&e.title, w.saturating_sub(4)))), rect);
}
