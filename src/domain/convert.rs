//! Lead conversion rules (SPEC L5, L6): which targets may be chosen and which lead fields each
//! target receives. The store runs the conversion; the TUI wizard and the CLI only choose.

use super::comm::{Comm, CommKind};
use super::error::{FieldError, Problem};
use super::fields::Entity;
use super::record::{Record, Shown};
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
            return Err(FieldError::new("to", Problem::refused("no_target", &[])));
        }
        if is_repeat && self != Targets::DEAL {
            return Err(FieldError::new("to", Problem::refused("repeat_deal_only", &[("asked", &self.code())])));
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

/// Default deal and company titles of a lead as read (`default_titles`).
pub fn lead_default_titles(lead: &Record) -> DefaultTitles {
    let text = |key: &str| lead.get(key).map(Shown::text).unwrap_or_default();
    default_titles(&text("title"), &text("company_title"), &text("first_name"), &text("last_name"), &lead.title)
}

/// Checks what was given with the targets: an existing contact or company to link, or a
/// deal pipeline, only with that target chosen.
pub fn check_given(t: Targets, contact: bool, company: bool, pipeline: bool) -> Result<(), FieldError> {
    let targets = t.code();
    let refuse = |field: &str, key| Err(FieldError::new(field, Problem::refused(key, &[("targets", &targets)])));
    if contact && !t.contact {
        return refuse("contact", "contact_not_target");
    }
    if company && !t.company {
        return refuse("company", "company_not_target");
    }
    if pipeline && !t.deal {
        return refuse("pipeline", "pipeline_not_target");
    }
    Ok(())
}

/// The origin written in a record's history when a conversion creates it.
pub const ORIGIN: &str = "conversion";

/// Whether a new record of `target` receives the lead's phones, e-mails, websites and
/// messengers: a contact and a company do, a deal does not.
pub fn receives_comms(target: Entity) -> bool {
    target != Entity::Deal
}

/// Text of a shown value as input takes it back: codes for references.
fn input_text(v: &Shown) -> String {
    match v {
        Shown::Ref(r) => r.code.clone(),
        Shown::Bool(b) => if *b { "yes" } else { "no" }.into(),
        other => other.text(),
    }
}

/// Copies `(lead key, target key)` pairs that hold a value, then applies the typed values.
fn copied(lead: &Record, pairs: &[(&str, &str)], typed: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (from, to) in pairs {
        if let Some(v) = lead.get(from).filter(|v| **v != Shown::Null) {
            let text = input_text(v);
            if !text.trim().is_empty() {
                out.push((to.to_string(), text));
            }
        }
    }
    for (k, v) in typed {
        out.retain(|(key, _)| key != k);
        out.push((k.clone(), v.clone()));
    }
    out
}

fn has_text(fields: &[(String, String)], key: &str) -> bool {
    fields.iter().any(|(k, v)| k == key && !v.trim().is_empty())
}

/// Sets `key` to `value` unless it already holds text.
fn or_default(fields: &mut Vec<(String, String)>, key: &str, value: &str) {
    if !has_text(fields, key) {
        fields.retain(|(k, _)| k != key);
        fields.push((key.to_string(), value.to_string()));
    }
}

/// A new company's fields: copied from the lead (`COMPANY_COPY`), the typed values over
/// them, and the default title when none is left.
pub fn company_fields(lead: &Record, typed: &[(String, String)]) -> Vec<(String, String)> {
    let mut fields = copied(lead, COMPANY_COPY, typed);
    or_default(&mut fields, "title", &lead_default_titles(lead).company);
    fields
}

/// A new contact's fields: copied from the lead (`CONTACT_COPY`) with the typed values over
/// them. A contact needs a first and a last name: refused (naming `contact.first_name` or
/// `contact.last_name`) when neither the lead nor the typed values give one.
pub fn contact_fields(lead: &Record, typed: &[(String, String)]) -> Result<Vec<(String, String)>, FieldError> {
    let fields = copied(lead, CONTACT_COPY, typed);
    for key in ["first_name", "last_name"] {
        if !has_text(&fields, key) {
            let said = if key == "first_name" { "contact_first_name" } else { "contact_last_name" };
            return Err(FieldError::new(format!("contact.{key}"), Problem::refused(said, &[])));
        }
    }
    Ok(fields)
}

/// A new deal's fields: copied from the lead (`DEAL_COPY`), the typed values over them, the
/// default title when none is left, then its pipeline and the contact and company it
/// belongs to (by id).
pub fn deal_fields(
    lead: &Record,
    typed: &[(String, String)],
    pipeline: Option<&str>,
    contact: Option<i64>,
    company: Option<i64>,
) -> Vec<(String, String)> {
    let mut fields = copied(lead, DEAL_COPY, typed);
    or_default(&mut fields, "title", &lead_default_titles(lead).deal);
    if let Some(p) = pipeline {
        fields.push(("pipeline".into(), p.to_string()));
    }
    if let Some(c) = contact {
        fields.push(("contact".into(), c.to_string()));
    }
    if let Some(c) = company {
        fields.push(("company".into(), c.to_string()));
    }
    fields
}

/// Whether the wizard links an existing record by default rather than creating one, from
/// what it matched the lead by (SPEC D1 keys: `name`, `company`, `phone`, `email`): a company
/// of the lead's very company name; a contact of the lead's name reached at the same phone or
/// e-mail (the same person). Enter through the wizard then makes no duplicate.
pub fn links_by_default(target: Entity, matched_by: &[String]) -> bool {
    let by = |key: &str| matched_by.iter().any(|m| m == key);
    match target {
        Entity::Company => by("company") || by("name"),
        Entity::Contact => by("name") && (by("phone") || by("email")),
        _ => false,
    }
}

/// What an existing record linked by a conversion receives of the lead's phones, e-mails,
/// websites and messengers: a contact gets the lead's phones and e-mails it lacks (compared
/// by their normal forms, `dedup::phone_key` and `dedup::email_key`: the same number written
/// another way is not added twice), in the lead's order. A linked company and a deal get
/// nothing: SPEC L6 copies comms into new records only, and the lead's phones and e-mails
/// are the person's.
pub fn comms_for_linked(target: Entity, lead: &[Comm], existing: &[Comm]) -> Vec<Comm> {
    if target != Entity::Contact {
        return Vec::new();
    }
    // A value kept without a normal form (never the case for what is typed) compares as written.
    let key =
        |c: &Comm| (c.kind, if c.normalized.is_empty() { c.value.trim().to_lowercase() } else { c.normalized.clone() });
    let mut added: Vec<Comm> = Vec::new();
    for c in lead.iter().filter(|c| matches!(c.kind, CommKind::Phone | CommKind::Email)) {
        let k = key(c);
        if !existing.iter().chain(&added).any(|x| key(x) == k) {
            added.push(c.clone());
        }
    }
    added
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

/// The lead's values of its fields of its own that the target has too, same code and type
/// (SPEC L6): (code, value as input takes it), to come before what the user typed.
/// A value the target's field does not take (a list option it lacks) is not copied.
pub fn custom_copies(
    lead: &Record,
    target: &[crate::domain::custom_field::CustomField],
    ctx: &crate::domain::custom_field::ParseContext,
) -> Vec<(String, String)> {
    lead.custom
        .iter()
        .filter_map(|(f, v)| {
            let plain = f.plain(v.as_deref()?);
            let takes = target.iter().any(|t| t.code == f.code && t.kind == f.kind && t.parse(&plain, ctx).is_ok());
            takes.then(|| (f.code.clone(), plain))
        })
        .collect()
}

/// The fields of its own a new deal would lack in its first stage (SPEC F2, L6): required
/// there (`required_at`; `pipeline`: the deal pipeline's stages in order, each `(id,
/// is_failure)`), without a default, and neither copied from the lead (`copied`) nor given
/// (`given`: codes). Asked with the lead's own before anything is written.
fn deal_lacks(
    deal_fields: &[crate::domain::custom_field::CustomField],
    first_stage: i64,
    pipeline: &[(i64, bool)],
    copied: &[(String, String)],
    given: &[String],
) -> Vec<crate::domain::custom_field::CustomField> {
    deal_fields
        .iter()
        .filter(|f| crate::domain::custom_field::required_at(f, first_stage, pipeline))
        .filter(|f| f.default.is_none() && !given.contains(&f.code) && !copied.iter().any(|(c, _)| *c == f.code))
        .cloned()
        .collect()
}

/// A stage that requires fields of the team's own: its id and name, its pipeline's stages in
/// order (each `(id, is_failure)`), and the fields of its kind of record.
pub struct RequiringStage<'a> {
    /// The stage's id.
    pub id: i64,
    /// Its name, as a refusal says it.
    pub name: &'a str,
    /// Its pipeline's stages in order.
    pub order: &'a [(i64, bool)],
    /// The fields of its kind of record.
    pub fields: &'a [crate::domain::custom_field::CustomField],
}

/// The fields a conversion would lack (SPEC F2, L6), each with the stage requiring it: the
/// lead's own at its success stage (`converted`) without a value, then the new deal's at its
/// first stage (`deal`, when a deal is made) neither copied from the lead nor defaulted;
/// none that `given` (codes) gives, and a code the lead lacks too only once (the value goes
/// to both). The one rule the wizard asks by and the engines refuse by.
pub fn conversion_lacks(
    lead: &Record,
    converted: Option<RequiringStage>,
    deal: Option<RequiringStage>,
    ctx: &crate::domain::custom_field::ParseContext,
    given: &[String],
) -> Vec<(Entity, crate::domain::custom_field::CustomField, String)> {
    let mut lacking: Vec<(Entity, crate::domain::custom_field::CustomField, String)> = Vec::new();
    if let Some(s) = converted {
        let values: Vec<(i64, String)> = lead.custom.iter().filter_map(|(f, v)| Some((f.id, v.clone()?))).collect();
        let missing = crate::domain::custom_field::missing_at(s.fields, &values, s.id, s.order);
        lacking
            .extend(missing.into_iter().filter(|f| !given.contains(&f.code)).map(|f| (Entity::Lead, f, s.name.into())));
    }
    if let Some(s) = deal {
        let copied = custom_copies(lead, s.fields, ctx);
        for f in deal_lacks(s.fields, s.id, s.order, &copied, given) {
            if !lacking.iter().any(|(_, g, _)| g.code == f.code) {
                lacking.push((Entity::Deal, f, s.name.into()));
            }
        }
    }
    lacking
}

#[cfg(test)]
mod tests {

    #[test]
    fn links_by_default_only_the_same_company_or_the_same_person() {
        let by = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        assert!(links_by_default(Entity::Company, &by(&["company"])));
        assert!(!links_by_default(Entity::Company, &by(&["phone"])));
        assert!(links_by_default(Entity::Contact, &by(&["phone", "name"])));
        assert!(links_by_default(Entity::Contact, &by(&["name", "email"])));
        assert!(!links_by_default(Entity::Contact, &by(&["phone"])), "a shared switchboard is no person");
        assert!(!links_by_default(Entity::Contact, &by(&["name"])), "a namesake is no person");
        assert!(!links_by_default(Entity::Deal, &by(&["name", "phone"])));
    }
    use super::*;

    #[test]
    fn a_linked_contact_gets_the_leads_phones_and_emails_it_lacks_only() {
        let region = crate::domain::dedup::PhoneRegion::FR;
        let comm = |kind, v: &str| Comm::new(kind, "", v, region).unwrap();
        let lead = [
            comm(CommKind::Phone, "06 11 22 33 44"),
            comm(CommKind::Phone, "01 45 67 89 00"),
            comm(CommKind::Email, "ADA@example.org"),
            comm(CommKind::Email, "ada@engines.example"),
            comm(CommKind::Web, "engines.example"),
            comm(CommKind::Phone, "01.45.67.89.00"),
        ];
        let existing = [comm(CommKind::Phone, "+33 6 11 22 33 44"), comm(CommKind::Email, "ada@example.org")];
        let added = comms_for_linked(Entity::Contact, &lead, &existing);
        let values: Vec<&str> = added.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, vec!["01 45 67 89 00", "ada@engines.example"]);
        assert!(comms_for_linked(Entity::Company, &lead, &[]).is_empty());
        assert!(comms_for_linked(Entity::Deal, &lead, &[]).is_empty());
    }

    use crate::domain::record::RefShown;

    /// A lead as read, with these shown values.
    fn lead(values: &[(&str, Shown)]) -> Record {
        Record {
            entity: Entity::Lead,
            id: 9,
            version: 1,
            title: "Lead #9".into(),
            values: values.iter().map(|(k, v)| (Entity::Lead.field(k).unwrap(), v.clone())).collect(),
            comms: vec![],
            stage_semantics: None,
            is_repeat: false,
            links: vec![],
            custom: vec![],
            created_at: 0,
            created_by: None,
            modified_at: 0,
            modified_by: None,
            moved_at: None,
            moved_by: None,
            next_activity_at: None,
        }
    }

    fn text(t: &str) -> Shown {
        Shown::Text(t.into())
    }

    fn typed(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn get<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
        fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_company_gets_its_fields_from_the_lead_and_typed_values_win() {
        let ann = Shown::Ref(RefShown { id: 3, code: "ann".into(), name: "Ann Smith".into() });
        let l = lead(&[
            ("company_title", text("Acme")),
            ("address", text("1 rue de la Paix")),
            ("comments", text("  ")),
            ("responsible", ann),
            ("first_name", text("Jean")),
        ]);
        let f = company_fields(&l, &typed(&[("address", "2 rue Neuve")]));
        assert_eq!(get(&f, "title"), Some("Acme"));
        assert_eq!(get(&f, "address"), Some("2 rue Neuve"));
        // References go back by code; blank and unlisted fields are not copied.
        assert_eq!(get(&f, "responsible"), Some("ann"));
        assert_eq!((get(&f, "comments"), get(&f, "first_name")), (None, None));
        // A typed blank title falls back to the default one.
        let f = company_fields(&lead(&[("title", text("Big order"))]), &typed(&[("title", " ")]));
        assert_eq!(get(&f, "title"), Some("Big order"));
        assert_eq!(f.iter().filter(|(k, _)| k == "title").count(), 1);
    }

    #[test]
    fn a_contact_needs_both_names_from_the_lead_or_typed() {
        let l = lead(&[("first_name", text("Jean")), ("position", text("CEO"))]);
        let e = contact_fields(&l, &[]).unwrap_err();
        assert_eq!(e.field, "contact.last_name");
        let f = contact_fields(&l, &typed(&[("last_name", "unknown")])).unwrap();
        assert_eq!((get(&f, "first_name"), get(&f, "last_name")), (Some("Jean"), Some("unknown")));
        assert_eq!(get(&f, "position"), Some("CEO"));
        assert_eq!(contact_fields(&lead(&[]), &[]).unwrap_err().field, "contact.first_name");
    }

    #[test]
    fn a_deal_gets_its_title_amount_and_links() {
        let l = lead(&[("first_name", text("Jean")), ("last_name", text("Dupont")), ("currency", text("USD"))]);
        let f = deal_fields(&l, &[], Some("Partners"), Some(4), None);
        assert_eq!(get(&f, "title"), Some("Jean Dupont"));
        assert_eq!(get(&f, "currency"), Some("USD"));
        assert_eq!((get(&f, "pipeline"), get(&f, "contact"), get(&f, "company")), (Some("Partners"), Some("4"), None));
        assert!(receives_comms(Entity::Contact) && receives_comms(Entity::Company) && !receives_comms(Entity::Deal));
    }

    #[test]
    fn what_is_given_must_match_the_targets() {
        let deal_contact = Targets::DEFAULT;
        assert!(check_given(deal_contact, true, false, true).is_ok());
        assert_eq!(check_given(deal_contact, false, true, false).unwrap_err().field, "company");
        assert_eq!(check_given(Targets::DEAL, true, false, false).unwrap_err().field, "contact");
        assert_eq!(check_given(Targets::CHOICES[4], false, false, true).unwrap_err().field, "pipeline");
    }

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
