//! A lead's conversion as asked (`ConversionPlan`) and as done (`Converted`).

use crate::domain::comm::{Comm, CommKind};
use crate::domain::convert::Targets;
pub use crate::domain::convert::lead_default_titles;
use crate::domain::fields::Entity;
use serde::Serialize;

/// What to convert a lead into and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversionPlan {
    /// Records the lead becomes.
    pub targets: Targets,
    /// Link this existing contact instead of creating one.
    pub contact: Option<i64>,
    /// Link this existing company instead of creating one.
    pub company: Option<i64>,
    /// Deal pipeline (name); the first one when `None`.
    pub pipeline: Option<String>,
    /// Values for a new contact, over those copied from the lead (`last_name`...).
    pub contact_fields: Vec<(String, String)>,
    /// Values for a new company, over those copied (`title`...).
    pub company_fields: Vec<(String, String)>,
    /// Values for the deal, over those copied (`title`...).
    pub deal_fields: Vec<(String, String)>,
    /// Refuse if the lead changed since this version.
    pub expected_version: Option<i64>,
    /// Values (code, as typed) for fields of the team's own the lead or a new record requires
    /// (SPEC F2, L6): each goes to the lead and to every new record whose kind has a field of
    /// that code.
    pub fill: Vec<(String, String)>,
}

impl ConversionPlan {
    /// Convert into `targets`, creating every record from the lead.
    pub fn new(targets: Targets) -> ConversionPlan {
        ConversionPlan {
            targets,
            contact: None,
            company: None,
            pipeline: None,
            contact_fields: vec![],
            company_fields: vec![],
            deal_fields: vec![],
            expected_version: None,
            fill: vec![],
        }
    }
}

/// How an intake converts in CRM simple mode (`domain::crm_mode::intake_targets`): into a
/// deal, with the contact and company the lead names.
pub fn intake_plan(lead: &crate::domain::record::Record) -> ConversionPlan {
    let named = |k: &str| !lead.input_text(k).trim().is_empty();
    let person = named("first_name") && named("last_name");
    ConversionPlan::new(crate::domain::crm_mode::intake_targets(lead.is_repeat, person, named("company_title")))
}

/// Whether a setting's value is simple mode.
pub(crate) fn is_simple(setting: Option<String>) -> bool {
    crate::domain::crm_mode::CrmMode::from_setting(setting.as_deref()) == crate::domain::crm_mode::CrmMode::Simple
}

/// A conversion refused, before anything is written, for the fields it lacks
/// (`domain::convert::conversion_lacks`): every one said at once, with the stages requiring
/// them; none lacking, none refused.
pub(crate) fn refuse_lacking(
    lacking: Vec<(Entity, crate::domain::custom_field::CustomField, String)>,
) -> crate::store::Result<()> {
    if lacking.is_empty() {
        return Ok(());
    }
    let mut at: Vec<String> = Vec::new();
    for (_, _, stage) in &lacking {
        if !at.contains(stage) {
            at.push(stage.clone());
        }
    }
    let fields = lacking.into_iter().map(|(_, f, _)| f).collect();
    Err(crate::store::StoreError::Rule(crate::store::Rule::MissingFields { stage: at.join(", "), fields }))
}

/// The values of `fill` (code, typed) whose code is one of `fields`': what one record of a
/// conversion receives of the values the user gave.
pub(crate) fn fill_for(
    fill: &[(String, String)],
    fields: &[crate::domain::custom_field::CustomField],
) -> Vec<(String, String)> {
    fill.iter().filter(|(code, _)| fields.iter().any(|f| f.code == *code)).cloned().collect()
}

/// One record a conversion produced or linked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConvertedRecord {
    /// Kind.
    pub entity: Entity,
    /// Id.
    pub id: i64,
    /// Display title.
    pub title: String,
    /// Created by the conversion (false: an existing record was linked).
    pub created: bool,
    /// What a linked record received of the lead (`domain::convert::comms_for_linked`);
    /// empty for a record the conversion created, which received everything.
    pub added: AddedComms,
}

/// The lead's phones and e-mails a conversion added to an existing record it linked, as
/// written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AddedComms {
    /// Phones.
    pub phones: Vec<String>,
    /// E-mail addresses.
    pub emails: Vec<String>,
}

impl AddedComms {
    /// The phones and e-mails among `comms`.
    pub fn of(comms: &[Comm]) -> AddedComms {
        let values = |kind| comms.iter().filter(|c| c.kind == kind).map(|c| c.value.clone()).collect();
        AddedComms { phones: values(CommKind::Phone), emails: values(CommKind::Email) }
    }

    /// Nothing added.
    pub fn is_empty(&self) -> bool {
        self.phones.is_empty() && self.emails.is_empty()
    }
}

/// What a conversion did.
#[derive(Clone, Debug, Serialize)]
pub struct Converted {
    /// The lead.
    pub lead_id: i64,
    /// Its version after the conversion.
    pub version: i64,
    /// Targets chosen.
    pub targets: String,
    /// The deal, if any.
    pub deal: Option<ConvertedRecord>,
    /// The contact, if any.
    pub contact: Option<ConvertedRecord>,
    /// The company, if any.
    pub company: Option<ConvertedRecord>,
    /// Stage the lead moved to.
    pub stage: String,
}

impl Converted {
    /// Records involved, company first (creation order).
    pub fn records(&self) -> impl Iterator<Item = &ConvertedRecord> {
        [&self.company, &self.contact, &self.deal].into_iter().flatten()
    }
}
