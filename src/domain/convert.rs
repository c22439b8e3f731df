//! Lead conversion rules (SPEC L5, L6): which targets may be chosen and which lead fields each
//! target receives. The store runs the conversion; the TUI wizard and the CLI only choose.

use super::error::{FieldError, Problem};
use serde::Serialize;

/// What a lead becomes: any non-empty mix of a deal, a contact and a company.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Targets {
    /// Create a deal.
    pub deal: bool,
    /// Create (or link) a contact.
    pub contact: bool,
    /// Create (or link) a company.
    pub company: bool,
}

impl Targets {
    /// Deal + contact: the wizard's default choice.
    pub const DEFAULT: Targets = Targets { deal: true, contact: true, company: false };
    /// A deal alone: the only choice for a repeat lead.
    pub const DEAL: Targets = Targets { deal: true, contact: false, company: false };

    /// The seven choices, in the wizard's order (SPEC L6).
    pub const CHOICES: [Targets; 7] = [
        Targets { deal: true, contact: true, company: true },
        Targets::DEFAULT,
        Targets { deal: true, contact: false, company: true },
        Targets::DEAL,
        Targets { deal: false, contact: true, company: true },
        Targets { deal: false, contact: true, company: false },
        Targets { deal: false, contact: false, company: true },
    ];

    /// Parses `deal,contact,company` (any order, English or French words, `+` or `,`).
    pub fn parse(text: &str) -> Result<Targets, FieldError> {
        let mut t = Targets { deal: false, contact: false, company: false };
        let accepted = || Problem::Choice {
            value: text.trim().to_string(),
            accepted: vec!["deal".into(), "contact".into(), "company".into()],
        };
        for word in text.split([',', '+', ' ']).map(str::trim).filter(|w| !w.is_empty()) {
            match word.to_lowercase().as_str() {
                "deal" | "deals" | "affaire" | "transaction" => t.deal = true,
                "contact" | "contacts" => t.contact = true,
                "company" | "companies" | "société" | "societe" | "entreprise" => t.company = true,
                _ => return Err(FieldError::new("to", accepted())),
            }
        }
        if t.is_empty() {
            return Err(FieldError::new("to", accepted()));
        }
        Ok(t)
    }

    /// The first choice offered: deal + contact, or a deal alone for a repeat lead.
    pub fn default_for(is_repeat: bool) -> Targets {
        if is_repeat { Targets::DEAL } else { Targets::DEFAULT }
    }

    /// Nothing chosen.
    pub fn is_empty(self) -> bool {
        !(self.deal || self.contact || self.company)
    }

    /// Canonical text (`deal,contact`), as the CLI takes it back.
    pub fn code(self) -> String {
        let mut parts = Vec::new();
        if self.deal {
            parts.push("deal");
        }
        if self.contact {
            parts.push("contact");
        }
        if self.company {
            parts.push("company");
        }
        parts.join(",")
    }

    /// Checks the choice against the lead: a repeat lead becomes a deal for its existing
    /// client and nothing else (SPEC L5).
    pub fn check(self, is_repeat: bool) -> Result<(), FieldError> {
        if self.is_empty() {
            return Err(FieldError::new("to", Problem::Rule { message: "choose at least one target".into() }));
        }
        if is_repeat && self != Targets::DEAL {
            return Err(FieldError::new(
                "to",
                Problem::Rule {
                    message: format!(
                        "a repeat lead can only become a deal for its existing client (asked: {}); use --to deal",
                        self.code()
                    ),
                },
            ));
        }
        Ok(())
    }
}

/// Lead fields copied into a new contact: `(lead key, contact key)` (SPEC L6).
pub const CONTACT_COPY: &[(&str, &str)] = &[
    ("honorific", "honorific"),
    ("first_name", "first_name"),
    ("middle_name", "middle_name"),
    ("last_name", "last_name"),
    ("position", "position"),
    ("birth_date", "birth_date"),
    ("address", "address"),
    ("comments", "comments"),
    ("source", "source"),
    ("source_description", "source_description"),
    ("responsible", "responsible"),
];

/// Lead fields copied into a new company. Its title comes from the lead's company title, or
/// the lead's title when that is empty.
pub const COMPANY_COPY: &[(&str, &str)] = &[
    ("company_title", "title"),
    ("address", "address"),
    ("comments", "comments"),
    ("source", "source"),
    ("responsible", "responsible"),
];

/// Lead fields copied into a new deal. Its title falls back to the lead's display title.
pub const DEAL_COPY: &[(&str, &str)] = &[
    ("title", "title"),
    ("amount", "amount"),
    ("currency", "currency"),
    ("source", "source"),
    ("responsible", "responsible"),
    ("comments", "comments"),
];

/// Titles a new deal and a new company take when none is typed (SPEC L6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultTitles {
    /// The lead's title, else its company title, else the person's name, else `display`.
    pub deal: String,
    /// The lead's company title, else the deal's default title.
    pub company: String,
}

/// Default titles from a lead's title, company title, person names and display title
/// (`Lead #id`). The wizard prefills them and the store falls back to them, so both agree.
pub fn default_titles(
    title: &str,
    company_title: &str,
    first_name: &str,
    last_name: &str,
    display: &str,
) -> DefaultTitles {
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let person = some(&format!("{} {}", first_name.trim(), last_name.trim()));
    let deal = some(title).or(some(company_title)).or(person).unwrap_or_else(|| display.to_string());
    let company = some(company_title).unwrap_or_else(|| deal.clone());
    DefaultTitles { deal, company }
}

/// The choice made for a contact or company target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetChoice {
    /// Create a new record from the lead (with these field values overriding the copied ones).
    New,
    /// Link the existing record with this id.
    Existing(i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_choice_back_from_its_code() {
        for t in Targets::CHOICES {
            assert_eq!(Targets::parse(&t.code()).unwrap(), t);
        }
        assert_eq!(Targets::parse("company + deal").unwrap(), Targets::CHOICES[2]);
        assert_eq!(Targets::parse("affaire,société").unwrap(), Targets::CHOICES[2]);
    }

    #[test]
    fn refuses_unknown_words_and_nothing() {
        assert_eq!(Targets::parse("deal,invoice").unwrap_err().field, "to");
        assert!(Targets::parse(" , ").is_err());
    }

    #[test]
    fn default_titles_fall_back_in_order() {
        let t = default_titles("Big order", "Acme", "Jean", "Dupont", "Lead #1");
        assert_eq!((t.deal.as_str(), t.company.as_str()), ("Big order", "Acme"));
        let t = default_titles(" ", "", "Jean", "", "Lead #1");
        assert_eq!((t.deal.as_str(), t.company.as_str()), ("Jean", "Jean"));
        let t = default_titles("", "", "", "", "Lead #1");
        assert_eq!((t.deal.as_str(), t.company.as_str()), ("Lead #1", "Lead #1"));
    }

    #[test]
    fn a_repeat_lead_becomes_a_deal_only() {
        assert!(Targets::DEAL.check(true).is_ok());
        for t in Targets::CHOICES.into_iter().filter(|t| *t != Targets::DEAL) {
            assert!(t.check(true).is_err(), "{t:?}");
            assert!(t.check(false).is_ok());
        }
    }
}
