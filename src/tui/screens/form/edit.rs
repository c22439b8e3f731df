//! Enter on a form's row: a field's prompt (or editor for several lines), a phone or e-mail
//! handed to the system's handler, a linked record opened.

use super::*;

/// What Enter (or `e`) does on the focused row of `form`.
pub(super) fn edit_row(app: &mut App, form: &FormView) -> Vec<Effect> {
    let entity = form.entity;
    let Some(row) = form.rows.get(form.cursor).cloned() else {
        return vec![];
    };
    let (purpose, current, label) = match (&form.record, row) {
        (Some(r), FormRow::Field(key)) => {
            let current = r.input_text(key);
            let base = r.input_texts();
            (
                PromptPurpose::EditField { entity, id: r.id, version: r.version, key: key.to_string(), base },
                current,
                crate::i18n::tr_in(app.lang, &format!("field.{key}"), &[]),
            )
        }
        (Some(r), FormRow::Comm(i)) => {
            // Enter calls, writes or browses (SPEC V5); changing one is x then P/E.
            return match r.comms.get(i).and_then(|c| c.uri()) {
                Some(uri) => vec![Effect::OpenUri { uri }],
                None => {
                    info(app, app.t("tui.comm_edit_hint"));
                    vec![]
                }
            };
        }
        (None, FormRow::Field(key)) => {
            let current = form.draft.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
            (
                PromptPurpose::DraftField { key: key.to_string() },
                current,
                crate::i18n::tr_in(app.lang, &format!("field.{key}"), &[]),
            )
        }
        (Some(r), FormRow::Custom(i)) => {
            let Some((field, value)) = r.custom.get(i) else { return vec![] };
            let key = field.code.clone();
            // A day and time as the user types it, in local time (stored in UTC).
            let instant = value.as_deref().and_then(|v| v.parse::<i64>().ok());
            let current = match (field.kind, instant) {
                (crate::domain::custom_field::FieldType::DateTime, Some(ms)) => {
                    crate::domain::when::from_ms(ms).with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string()
                }
                _ => r.custom_text(&key),
            };
            let base = r.input_texts();
            let label = field.label_in(app.lang).to_string();
            (PromptPurpose::EditField { entity, id: r.id, version: r.version, key, base }, current, label)
        }
        (
            None,
            FormRow::Comm(_)
            | FormRow::Link(_)
            | FormRow::Activity(_)
            | FormRow::Custom(_)
            | FormRow::Lines
            | FormRow::Line(_)
            | FormRow::Document(_),
        ) => {
            return vec![];
        }
        (Some(_), FormRow::Activity(_) | FormRow::Lines | FormRow::Line(_) | FormRow::Document(_)) => {
            return vec![];
        }
        (Some(r), FormRow::Link(i)) => {
            return match r.links.get(i) {
                Some((e, link)) => open_record(app, *e, link.id),
                None => vec![],
            };
        }
    };
    let multiline = match form.rows.get(form.cursor) {
        Some(FormRow::Field(key)) => entity.field(key).is_some_and(|s| s.multiline()),
        Some(FormRow::Custom(i)) => form
            .record
            .as_ref()
            .and_then(|r| r.custom.get(*i))
            .is_some_and(|(f, _)| f.kind == crate::domain::custom_field::FieldType::Multiline),
        _ => false,
    };
    if multiline || has_more_lines(&current) {
        crate::tui::overlays::editor::open(app, purpose, label, &current);
    } else {
        app.overlay = Overlay::Prompt(Prompt {
            purpose,
            title: label,
            input: TextInput::with(&current),
            error: None,
            files: None,
        });
    }
    vec![]
}
