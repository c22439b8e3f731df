//! A new record's defaults (SPEC L1, E1): what a create fills in when the input leaves a
//! field out. Decided here from the checked input, so the store (any engine) only writes
//! what this says and a bulk load gets the very same defaults as a typed create.

use super::fields::{Entity, FieldKind, FieldSpec, FieldValue};
use super::money::Currency;
use super::queue;
use chrono::{Days, NaiveDate};

/// Which pipeline a new record goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewPipeline<'a> {
    /// Contacts and companies have no stages.
    None,
    /// Leads: the one lead pipeline.
    OnlyOne,
    /// Deals: the pipeline named in the input (code, name or id as typed), else the first one.
    Chosen(Option<&'a str>),
}

/// What a create fills in when the input leaves it out. Each field is the default to write,
/// or `None`/`false` when the input gave a value (an empty value counts as not given).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDefaults<'a> {
    /// The record's pipeline.
    pub pipeline: NewPipeline<'a>,
    /// No stage given: the pipeline's first stage.
    pub first_stage: bool,
    /// No responsible given: whoever creates it (when someone is signed in).
    pub responsible_is_creator: bool,
    /// An amount without a currency is in the file's currency.
    pub currency: Option<Currency>,
    /// A deal begins today.
    pub begin_date: Option<NaiveDate>,
    /// A deal is expected to close a week from today.
    pub close_date: Option<NaiveDate>,
    /// A lead that arrived by itself (import, e-mail, JSON intake) with no responsible goes
    /// to whoever the distribution queue says (SPEC I6).
    pub by_queue: bool,
}

/// Days from a new deal's begin date to its expected close date.
pub const CLOSE_AFTER_DAYS: u64 = 7;

/// The defaults of a new `entity` whose checked values are `values` (`fields::validate_input`),
/// created `today` from `origin` (`manual`, `import`, `email`…) in a file whose currency is
/// `currency`.
pub fn new_defaults<'a>(
    entity: Entity,
    values: &'a [(&'static FieldSpec, FieldValue)],
    origin: Option<&str>,
    today: NaiveDate,
    currency: Currency,
) -> NewDefaults<'a> {
    let given = |key: &str| values.iter().any(|(s, v)| s.key == key && *v != FieldValue::Null);
    let kind_given = |kind: FieldKind| values.iter().any(|(s, v)| s.kind == kind && *v != FieldValue::Null);
    let pipeline = match entity {
        Entity::Deal => {
            NewPipeline::Chosen(values.iter().find(|(s, _)| s.key == "pipeline").and_then(|(_, v)| match v {
                FieldValue::Ref(_, t) => Some(t.as_str()),
                _ => None,
            }))
        }
        Entity::Lead => NewPipeline::OnlyOne,
        _ => NewPipeline::None,
    };
    let deal = entity == Entity::Deal;
    NewDefaults {
        pipeline,
        first_stage: pipeline != NewPipeline::None && !given("stage"),
        responsible_is_creator: !given("responsible"),
        currency: (kind_given(FieldKind::Amount) && !kind_given(FieldKind::Currency)).then_some(currency),
        begin_date: (deal && !given("begin_date")).then_some(today),
        close_date: (deal && !given("close_date")).then(|| today + Days::new(CLOSE_AFTER_DAYS)),
        by_queue: !given("responsible") && queue::hands_out(entity, origin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fields::{InputContext, validate_input};

    fn checked(entity: Entity, pairs: &[(&str, &str)]) -> Vec<(&'static FieldSpec, FieldValue)> {
        let input: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        validate_input(entity, &input, InputContext { currency: Currency::EUR, creating: true }).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_bare_deal_gets_every_default() {
        let values = checked(Entity::Deal, &[("title", "Big order"), ("amount", "100")]);
        let d = new_defaults(Entity::Deal, &values, None, day(2026, 12, 28), Currency::EUR);
        assert_eq!(
            d,
            NewDefaults {
                pipeline: NewPipeline::Chosen(None),
                first_stage: true,
                responsible_is_creator: true,
                currency: Some(Currency::EUR),
                begin_date: Some(day(2026, 12, 28)),
                close_date: Some(day(2027, 1, 4)),
                by_queue: false,
            }
        );
    }

    #[test]
    fn given_values_are_kept_and_empty_ones_count_as_not_given() {
        let values = checked(
            Entity::Deal,
            &[
                ("pipeline", "Partners"),
                ("stage", "WON"),
                ("responsible", "ann"),
                ("amount", "5"),
                ("currency", "USD"),
                ("begin_date", "2026-01-02"),
                ("close_date", ""),
            ],
        );
        let d = new_defaults(Entity::Deal, &values, Some("import"), day(2026, 3, 1), Currency::EUR);
        assert_eq!(d.pipeline, NewPipeline::Chosen(Some("Partners")));
        assert!(!d.first_stage && !d.responsible_is_creator && !d.by_queue);
        assert_eq!((d.currency, d.begin_date, d.close_date), (None, None, Some(day(2026, 3, 8))));
    }

    #[test]
    fn leads_from_intake_go_by_the_queue_and_contacts_have_no_stage() {
        let values = checked(Entity::Lead, &[("title", "Call back")]);
        for (origin, queued) in [(Some("import"), true), (Some("email"), true), (Some("json"), true), (None, false)] {
            let d = new_defaults(Entity::Lead, &values, origin, day(2026, 3, 1), Currency::EUR);
            assert_eq!(d.by_queue, queued, "{origin:?}");
            assert_eq!((d.pipeline, d.first_stage, d.close_date), (NewPipeline::OnlyOne, true, None));
        }
        let mine = checked(Entity::Lead, &[("responsible", "ann")]);
        assert!(!new_defaults(Entity::Lead, &mine, Some("email"), day(2026, 3, 1), Currency::EUR).by_queue);
        let values = checked(Entity::Contact, &[("first_name", "Jean"), ("last_name", "Dupont")]);
        let d = new_defaults(Entity::Contact, &values, Some("import"), day(2026, 3, 1), Currency::EUR);
        assert_eq!((d.pipeline, d.first_stage, d.by_queue, d.begin_date), (NewPipeline::None, false, false, None));
        assert!(d.responsible_is_creator);
    }
}
