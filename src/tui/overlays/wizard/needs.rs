//! The fields a conversion requires (SPEC F2, L6), asked in the wizard's fields step: read
//! for the targets and pipeline chosen, checked before the step is left.

use super::{ConvertWizard, WizardField, wizard_plan};
use crate::domain::fields::Entity;
use crate::tui::app::{App, Overlay};
use crate::tui::effect::Effect;
use crate::tui::widgets::input::TextInput;

/// What the conversion as chosen would lack: asked in the fields step.
pub(super) fn needs_effect(app: &App, w: &ConvertWizard) -> Effect {
    let mut plan = wizard_plan(app, w);
    plan.fill.clear();
    Effect::LoadConversionNeeds { lead_id: w.lead_id, plan: Box::new(plan) }
}

/// The first required field of the fields step left empty or refusing its value: its row,
/// and what to say (the step is not left then).
pub(super) fn unfilled(app: &App, w: &ConvertWizard) -> Option<(usize, String)> {
    let ctx = crate::domain::custom_field::ParseContext {
        currency: crate::domain::money::Currency::EUR,
        region: app.region,
        local_instant: crate::store::custom_fields::local_instant,
        now: Some(app.now_ms),
    };
    for (row, i) in w.field_rows().into_iter().enumerate() {
        let Some((field, entity, stage)) = &w.fields[i].required else { continue };
        let name = format!("{} · {}", app.t(&format!("entity.{}", entity.code())), field.label_in(app.lang));
        match field.parse(&w.fields[i].input.text, &ctx) {
            Ok(Some(_)) => {}
            Ok(None) => {
                return Some((row, app.ta("tui.convert_field_required", &[("field", &name), ("stage", stage)])));
            }
            Err(e) => {
                let why = crate::i18n::describe(&e.problem, &e.field, app.lang);
                return Some((row, format!("{name}{}{why}", app.t("tl.sep"))));
            }
        }
    }
    None
}

/// The required fields read for the lead being converted: they replace the step's own
/// (what was typed for a field still asked stays).
pub(super) fn needs_arrived(
    app: &mut App,
    lead_id: i64,
    needs: Vec<(Entity, crate::domain::custom_field::CustomField, String)>,
) {
    let Overlay::Convert(w) = &mut app.overlay else { return };
    if w.lead_id != lead_id {
        return;
    }
    let typed: Vec<(String, TextInput)> =
        w.fields.iter().filter(|f| f.required.is_some()).map(|f| (f.key.clone(), f.input.clone())).collect();
    w.fields.retain(|f| f.required.is_none());
    for (entity, field, stage) in needs {
        let key = format!("fill.{}", field.code);
        let input = typed.iter().find(|(k, _)| *k == key).map(|(_, i)| i.clone()).unwrap_or_default();
        w.fields.push(WizardField { key, input, required: Some((field, entity, stage)) });
    }
    // The pipeline row stays last: the cursor stays on a row there is.
    let rows = w.field_rows().len() + usize::from(w.chosen().deal);
    w.row = w.row.min(rows.saturating_sub(1));
}
