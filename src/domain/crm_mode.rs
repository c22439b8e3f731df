//! CRM mode (SPEC L8, issue 30): classic, where what comes in is a lead to qualify first, or
//! simple, where there are no leads: every intake (typed, imported, e-mailed) becomes a deal
//! with its contact and/or company at once. The engines keep the mode in `settings`
//! (`KEY`) and carry out an intake's conversion in the write that makes it.

use super::convert::Targets;
use super::error::{FieldError, Problem};
use super::fields::Entity;

/// The setting's key.
pub const KEY: &str = "crm.mode";

/// How the team's CRM takes what comes in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrmMode {
    /// Leads first, converted by hand (the default).
    #[default]
    Classic,
    /// No leads: each intake is a deal with its client straight away.
    Simple,
}

impl CrmMode {
    /// Stored form and CLI name.
    pub fn code(self) -> &'static str {
        match self {
            CrmMode::Classic => "classic",
            CrmMode::Simple => "simple",
        }
    }

    /// The mode a setting holds (none, or a value from a newer Prospect: classic).
    pub fn from_setting(value: Option<&str>) -> CrmMode {
        match value {
            Some("simple") => CrmMode::Simple,
            _ => CrmMode::Classic,
        }
    }

    /// Reads a typed mode.
    pub fn parse(text: &str) -> Result<CrmMode, FieldError> {
        match text.trim().to_lowercase().as_str() {
            "classic" | "classique" => Ok(CrmMode::Classic),
            "simple" => Ok(CrmMode::Simple),
            _ => Err(FieldError::new(
                "crm-mode",
                Problem::Choice { value: text.trim().into(), accepted: vec!["simple".into(), "classic".into()] },
            )),
        }
    }

    /// Whether leads are kept as such (screens, triage, lead reports).
    pub fn has_leads(self) -> bool {
        self == CrmMode::Classic
    }

    /// The kind of record the pipeline's work starts from (the activities board, the
    /// funnel, the first board): leads, or deals in simple mode.
    pub fn first_entity(self) -> Entity {
        if self.has_leads() { Entity::Lead } else { Entity::Deal }
    }
}

/// What switching to simple mode does with the leads still open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenLeads {
    /// Each becomes a deal with its client, as an intake would.
    Convert,
    /// They stay as they are, readable (`prospect lead list`), out of the screens.
    Keep,
}

impl OpenLeads {
    /// Reads `convert` or `keep`.
    pub fn parse(text: &str) -> Result<OpenLeads, FieldError> {
        match text.trim().to_lowercase().as_str() {
            "convert" | "convertir" => Ok(OpenLeads::Convert),
            "keep" | "garder" => Ok(OpenLeads::Keep),
            _ => Err(FieldError::new(
                "open-leads",
                Problem::Choice { value: text.trim().into(), accepted: vec!["convert".into(), "keep".into()] },
            )),
        }
    }
}

/// What an intake becomes in simple mode: a deal, with a contact when it names a person (a
/// first and a last name, as a contact needs) and a company when it names one; a repeat of a
/// known client, a deal linked to that client (duplicate rules). What names neither stays
/// on the intake's lead, which the deal links to.
pub fn intake_targets(is_repeat: bool, names_person: bool, names_company: bool) -> Targets {
    if is_repeat {
        return Targets::DEAL;
    }
    Targets { deal: true, contact: names_person, company: names_company }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_choices_read_in_both_languages() {
        assert_eq!(CrmMode::parse(" Simple "), Ok(CrmMode::Simple));
        assert_eq!(CrmMode::parse("classique"), Ok(CrmMode::Classic));
        assert!(CrmMode::parse("easy").is_err());
        assert_eq!(CrmMode::from_setting(None), CrmMode::Classic);
        assert_eq!(CrmMode::from_setting(Some("simple")), CrmMode::Simple);
        assert_eq!(OpenLeads::parse("garder"), Ok(OpenLeads::Keep));
        assert!(OpenLeads::parse("drop").is_err());
        assert_eq!((CrmMode::Classic.first_entity(), CrmMode::Simple.first_entity()), (Entity::Lead, Entity::Deal));
    }

    #[test]
    fn an_intake_becomes_a_deal_with_the_client_it_names() {
        let t = |d, c, co| Targets { deal: d, contact: c, company: co };
        assert_eq!(intake_targets(false, true, false), t(true, true, false));
        assert_eq!(intake_targets(false, false, true), t(true, false, true));
        assert_eq!(intake_targets(false, true, true), t(true, true, true));
        assert_eq!(intake_targets(false, false, false), Targets::DEAL);
        assert_eq!(intake_targets(true, true, true), Targets::DEAL);
    }
}
