//! A deal's quotes, invoices and credit notes on its form (SPEC E5, V5): a row each (kind,
//! number, status, total); `D` makes a new one from the deal's lines; Enter on one offers
//! what may be done with it now (send, approve, invoice, issue, pay, cancel, write it as PDF,
//! delete a draft), each through the service as the CLI does.

use super::*;
use crate::domain::document::{DocKind, DocStatus, Document};
use crate::tui::overlays::picker::PickPurpose;

/// What may be done with a document from its row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocAction {
    /// Set this status by hand.
    Status(DocStatus),
    /// Issue a draft invoice.
    Issue,
    /// Cancel an issued invoice by a credit note.
    Cancel,
    /// Make a draft invoice of a quote.
    Invoice,
    /// Delete a draft.
    Delete,
    /// Write it as a PDF (asks where).
    Render,
}

impl DocAction {
    fn code(&self) -> String {
        match self {
            DocAction::Status(s) => format!("status:{}", s.code()),
            DocAction::Issue => "issue".into(),
            DocAction::Cancel => "cancel".into(),
            DocAction::Invoice => "invoice".into(),
            DocAction::Delete => "delete".into(),
            DocAction::Render => "render".into(),
        }
    }

    fn parse(code: &str) -> Option<DocAction> {
        Some(match code {
            "issue" => DocAction::Issue,
            "cancel" => DocAction::Cancel,
            "invoice" => DocAction::Invoice,
            "delete" => DocAction::Delete,
            "render" => DocAction::Render,
            c => DocAction::Status(DocStatus::parse(c.strip_prefix("status:")?)?),
        })
    }
}

/// What a document of this kind and status offers, in order.
fn actions(doc: &Document) -> Vec<DocAction> {
    let mut out: Vec<DocAction> =
        crate::domain::document::next_statuses(doc.kind, doc.status).iter().map(|s| DocAction::Status(*s)).collect();
    match (doc.kind, doc.status) {
        (DocKind::Quote, DocStatus::Sent | DocStatus::Approved) => out.push(DocAction::Invoice),
        (DocKind::Invoice, DocStatus::Draft) => out.insert(0, DocAction::Issue),
        (DocKind::Invoice, DocStatus::Issued | DocStatus::Sent | DocStatus::Paid) => out.push(DocAction::Cancel),
        _ => {}
    }
    out.push(DocAction::Render);
    if doc.status == DocStatus::Draft {
        out.push(DocAction::Delete);
    }
    out
}

fn kind_word(app: &App, kind: DocKind) -> String {
    app.t(&format!("rule.doc_{}", kind.code()))
}

fn action_label(app: &App, kind: DocKind, a: &DocAction) -> String {
    match a {
        DocAction::Status(s) => app.ta("tui.doc_set_status", &[("status", &present::doc_status(app.lang, kind, *s))]),
        DocAction::Issue => app.t("tui.doc_issue"),
        DocAction::Cancel => app.t("tui.doc_cancel"),
        DocAction::Invoice => app.t("tui.doc_invoice"),
        DocAction::Delete => app.t("tui.doc_delete"),
        DocAction::Render => app.t("tui.doc_render"),
    }
}

/// `D`: which document to make of the deal's lines.
pub(crate) fn new_document(app: &mut App) -> Vec<Effect> {
    let Some(form) = app.form.as_ref() else { return vec![] };
    let (Entity::Deal, Some(r)) = (form.entity, &form.record) else {
        info(app, app.t("tui.documents_deals_only"));
        return vec![];
    };
    let deal = r.id;
    let title = app.ta("tui.pick_new_document", &[("title", &app.title_of(Entity::Deal, deal, &r.title))]);
    let items = [DocKind::Quote, DocKind::Invoice]
        .map(|k| (k.code().to_string(), app.ta("tui.doc_new", &[("kind", &kind_word(app, k))])))
        .to_vec();
    app.overlay = Overlay::Picker(Picker { purpose: PickPurpose::NewDocument { deal }, title, items, cursor: 0 });
    vec![]
}

/// The kind of document picked: made.
pub(crate) fn new_picked(deal: i64, value: String) -> Vec<Effect> {
    match DocKind::parse(&value) {
        Some(kind) => vec![Effect::NewDocument { deal, kind }],
        None => vec![],
    }
}

/// Enter on a document of the form: what may be done with it.
pub(crate) fn open(app: &mut App, i: usize) -> Vec<Effect> {
    let Some(doc) = app.form.as_ref().and_then(|f| f.documents.get(i)).cloned() else { return vec![] };
    offer(app, &doc)
}

/// What may be done with `doc` now, offered (its form's row, the documents screen).
pub(crate) fn offer(app: &mut App, doc: &Document) -> Vec<Effect> {
    let items = actions(doc).iter().map(|a| (a.code(), action_label(app, doc.kind, a))).collect();
    let title = format!("{} {}", kind_word(app, doc.kind), doc.name());
    app.overlay = Overlay::Picker(Picker {
        purpose: PickPurpose::DocumentAction { id: doc.id, kind: doc.kind },
        title,
        items,
        cursor: 0,
    });
    vec![]
}

/// An action picked: done, asked first when it cannot be undone, or its path asked.
pub(crate) fn action_picked(app: &mut App, id: i64, kind: DocKind, value: String) -> Vec<Effect> {
    let Some(action) = DocAction::parse(&value) else { return vec![] };
    let name = app
        .form
        .as_ref()
        .and_then(|f| f.documents.iter().find(|d| d.id == id))
        .or_else(|| app.documents.docs.iter().find(|d| d.id == id))
        .map(|d| d.name())
        .unwrap_or_else(|| format!("#{id}"));
    let effect = Effect::DocumentAction { id, kind, action: action.clone(), path: None };
    match action {
        DocAction::Render => {
            let start = format!("{}.pdf", name.replace(['/', '\\', ' ', '#'], "_"));
            app.overlay = Overlay::Prompt(Prompt {
                purpose: PromptPurpose::DocumentPath { id, kind },
                title: app.ta("tui.doc_render_where", &[("name", &name)]),
                input: TextInput::with(&start),
                error: None,
                files: Some(Default::default()),
            });
            vec![]
        }
        DocAction::Issue | DocAction::Cancel | DocAction::Delete => {
            let key = match action {
                DocAction::Issue => "tui.doc_confirm_issue",
                DocAction::Cancel => "tui.doc_confirm_cancel",
                _ => "tui.doc_confirm_delete",
            };
            app.overlay =
                Overlay::Confirm(crate::tui::app::Confirm { message: app.ta(key, &[("name", &name)]), on_yes: effect });
            vec![]
        }
        _ => vec![effect],
    }
}

/// Where to write the PDF, typed.
pub(crate) fn path_typed(app: &App, id: i64, kind: DocKind, text: String) -> crate::tui::overlays::prompt::Answered {
    use crate::tui::overlays::prompt::{Answered, path_required, typed_path};
    match typed_path(&text) {
        Some(path) => {
            Answered::Wait(vec![Effect::DocumentAction { id, kind, action: DocAction::Render, path: Some(path) }])
        }
        None => Answered::Refused(path_required(app)),
    }
}

/// The label and value of a document's row.
pub(crate) fn row_text(app: &App, doc: &Document) -> (String, String) {
    let money = present::money(app.lang, doc.totals.gross, Some(doc.currency.code()));
    let status = present::doc_status(app.lang, doc.kind, doc.status);
    let mut label = kind_word(app, doc.kind);
    if let Some(first) = label.get(..1) {
        label = first.to_uppercase() + &label[1..];
    }
    (format!("  {label}"), format!("{} · {status} · {money} ›", doc.name()))
}
