//! Fields a stage requires (SPEC F2): a move refused for empty required fields asks for
//! them one prompt each, checked as typed, then moves with them filled
//! (`Service::move_filling`).

use crate::domain::custom_field::{CustomField, ParseContext};
use crate::domain::fields::Entity;
use crate::domain::money::Currency;
use crate::tui::app::{App, Overlay, Prompt, PromptPurpose};
use crate::tui::effect::Effect;
use crate::tui::overlays::prompt::Answered;
use crate::tui::widgets::input::TextInput;

/// A move waiting for the fields its stage requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FillForMove {
    /// The record.
    pub entity: Entity,
    /// Its id.
    pub id: i64,
    /// The stage asked for, by code.
    pub stage_code: String,
    /// Its name, for the prompts.
    pub stage: String,
    /// Why (failure stages).
    pub reason: Option<String>,
    /// The stage the user saw it in (a move from a board): another user's move meanwhile
    /// still stops it.
    pub seen: Option<i64>,
    /// The fields still to ask, the one asked first.
    pub fields: Vec<CustomField>,
    /// What was typed so far: (code, text).
    pub filled: Vec<(String, String)>,
    /// The other records of a bulk move that lack these fields: the values typed go to each
    /// (only where it lacks them).
    pub more: Vec<i64>,
    /// A conversion of lead `id` waiting for these fields (SPEC L6): made again with them.
    pub convert: Option<Box<crate::store::convert::ConversionPlan>>,
}

/// Asks for the first field of `fill` (the move goes once none is left).
pub(crate) fn ask(app: &mut App, fill: FillForMove) -> Vec<Effect> {
    let Some(field) = fill.fields.first() else {
        let FillForMove { entity, id, stage_code, reason, filled, seen, more, convert, .. } = fill;
        if let Some(plan) = convert {
            let mut plan = *plan;
            plan.fill.extend(filled);
            return vec![Effect::Convert { lead_id: id, plan }];
        }
        if !more.is_empty() {
            let ids = std::iter::once(id).chain(more).collect();
            return vec![Effect::BulkMove { entity, ids, stage_code, reason, fill: filled }];
        }
        return vec![Effect::MoveFilling { entity, id, stage_code, reason, fill: filled, seen }];
    };
    let mut title = app.ta("tui.fill_for_move", &[("stage", &fill.stage), ("field", field.label_in(app.lang))]);
    if !fill.more.is_empty() {
        title =
            format!("{title} · {}", app.ta("tui.fill_for_records", &[("count", &(fill.more.len() + 1).to_string())]));
    }
    if field.kind.has_options() {
        title = format!("{title} ({})", field.options.join(", "));
    }
    let start = field.default.clone().map(|d| field.plain(&d)).unwrap_or_default();
    app.overlay = Overlay::Prompt(Prompt {
        purpose: PromptPurpose::FillForMove(Box::new(fill)),
        title,
        input: TextInput::with(&start),
        error: None,
        files: None,
    });
    vec![]
}

/// A value typed for the field asked: refused in the prompt when the field does not take
/// it, else kept, and the next field asked (or the move made).
pub(crate) fn answered(app: &mut App, mut fill: FillForMove, text: String) -> Answered {
    let Some(field) = fill.fields.first().cloned() else { return Answered::Close(vec![]) };
    let ctx = ParseContext {
        currency: Currency::EUR,
        region: app.region,
        local_instant: crate::store::custom_fields::local_instant,
        now: Some(app.now_ms),
    };
    // Said with the field's name: "Budget : est obligatoire".
    let said = |problem: &crate::domain::Problem| {
        format!(
            "{}{}{}",
            field.label_in(app.lang),
            app.t("tl.sep"),
            crate::i18n::describe(problem, &field.code, app.lang)
        )
    };
    match field.parse(&text, &ctx) {
        Ok(Some(_)) => {}
        Ok(None) => return Answered::Refused(said(&crate::domain::Problem::Required)),
        Err(e) => return Answered::Refused(said(&e.problem)),
    }
    fill.fields.remove(0);
    fill.filled.push((field.code, text));
    Answered::Close(ask(app, fill))
}
