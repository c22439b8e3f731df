//! Import rules (SPEC I2), without I/O: which field a column header means (English and
//! French names, and the exports of Bitrix24, HubSpot and Pipedrive), how a row of cells
//! becomes a record's input, and how duplicates are handled.

use super::comm::{Comm, CommKind};
use super::dedup::PhoneRegion;
use super::error::{FieldError, Problem};
use super::fields::Entity;

/// Where a column goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A field of the record, by key.
    Field(&'static str),
    /// A phone, e-mail, website or messenger (several values split by `|` or `;`).
    Comm(CommKind),
    /// A full name, split into first and last name at the last space.
    FullName,
    /// A contact's company, by title or id (linked, created when missing).
    Company,
    /// Not imported.
    Ignore,
}

impl Target {
    /// How the target is written in `--map` and in the summary.
    pub fn code(&self) -> String {
        match self {
            Target::Field(k) => k.to_string(),
            Target::Comm(k) => k.code().to_string(),
            Target::FullName => "full_name".into(),
            Target::Company => "company".into(),
            Target::Ignore => "-".into(),
        }
    }
}

/// Export formats of other CRMs whose column names are known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Bitrix24 CSV export (English or French interface).
    Bitrix24,
    /// HubSpot contacts/leads export.
    HubSpot,
    /// Pipedrive leads/people export (`Person - Name`...).
    Pipedrive,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 3] = [Preset::Bitrix24, Preset::HubSpot, Preset::Pipedrive];

    /// Name in `--preset`.
    pub fn code(self) -> &'static str {
        match self {
            Preset::Bitrix24 => "bitrix24",
            Preset::HubSpot => "hubspot",
            Preset::Pipedrive => "pipedrive",
        }
    }

    /// Parses `--preset`.
    pub fn parse(s: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.code().eq_ignore_ascii_case(s.trim()))
    }

    /// The preset whose signature columns the header row has, if any.
    pub fn detect(headers: &[String]) -> Option<Preset> {
        let h: Vec<String> = headers.iter().map(|x| normalize_header(x)).collect();
        let has = |name: &str| h.iter().any(|x| x == name);
        if h.iter().any(|x| x.starts_with("person ") || x.starts_with("organization ") || x.starts_with("lead title")) {
            Some(Preset::Pipedrive)
        } else if has("record id") || has("lead status") && has("contact owner") {
            Some(Preset::HubSpot)
        } else if has("lead name") || has("nom du prospect") || has("work e mail") || has("e mail professionnel") {
            Some(Preset::Bitrix24)
        } else {
            None
        }
    }

    fn aliases(self) -> &'static [(&'static str, Target)] {
        use Target::*;
        match self {
            Preset::Bitrix24 => &[
                ("lead name", Field("title")),
                ("nom du prospect", Field("title")),
                ("status", Field("stage")),
                ("statut", Field("stage")),
                ("second name", Field("middle_name")),
                ("deuxieme prenom", Field("middle_name")),
                ("work phone", Comm(CommKind::Phone)),
                ("mobile", Comm(CommKind::Phone)),
                ("telephone professionnel", Comm(CommKind::Phone)),
                ("telephone mobile", Comm(CommKind::Phone)),
                ("work e mail", Comm(CommKind::Email)),
                ("home e mail", Comm(CommKind::Email)),
                ("e mail professionnel", Comm(CommKind::Email)),
                ("e mail personnel", Comm(CommKind::Email)),
                ("company name", Field("company_title")),
                ("nom de l entreprise", Field("company_title")),
                ("source information", Field("source_description")),
                ("informations sur la source", Field("source_description")),
                ("opportunity", Field("amount")),
                ("opportunite", Field("amount")),
                ("comment", Field("comments")),
                ("commentaire", Field("comments")),
                ("corporate website", Comm(CommKind::Web)),
                ("site web de l entreprise", Comm(CommKind::Web)),
                ("id", Ignore),
                ("created", Ignore),
                ("cree le", Ignore),
            ],
            Preset::HubSpot => &[
                ("record id", Ignore),
                ("phone number", Comm(CommKind::Phone)),
                ("mobile phone number", Comm(CommKind::Phone)),
                ("company name", Field("company_title")),
                ("job title", Field("position")),
                ("lead status", Field("stage")),
                ("contact owner", Field("responsible")),
                ("street address", Field("address")),
                ("city", Field("address")),
                ("postal code", Field("address")),
                ("country region", Field("address")),
                ("create date", Ignore),
                ("original source", Field("source")),
                ("website url", Comm(CommKind::Web)),
            ],
            Preset::Pipedrive => &[
                ("lead title", Field("title")),
                ("lead value", Field("amount")),
                ("lead currency of value", Field("currency")),
                ("lead owner", Field("responsible")),
                ("lead source", Field("source")),
                ("lead labels", Ignore),
                ("person name", FullName),
                ("person first name", Field("first_name")),
                ("person last name", Field("last_name")),
                ("person email", Comm(CommKind::Email)),
                ("person phone", Comm(CommKind::Phone)),
                ("person job title", Field("position")),
                ("organization name", Field("company_title")),
                ("organization address", Field("address")),
                ("note content", Field("comments")),
                ("lead id", Ignore),
            ],
        }
    }
}

/// Column names in English and French, for every entity (the entity-specific rules in
/// `auto_target` come first).
const GENERIC: &[(&str, Target)] = &[
    ("title", Target::Field("title")),
    ("titre", Target::Field("title")),
    ("subject", Target::Field("title")),
    ("objet", Target::Field("title")),
    ("intitule", Target::Field("title")),
    ("first name", Target::Field("first_name")),
    ("firstname", Target::Field("first_name")),
    ("given name", Target::Field("first_name")),
    ("prenom", Target::Field("first_name")),
    ("last name", Target::Field("last_name")),
    ("lastname", Target::Field("last_name")),
    ("surname", Target::Field("last_name")),
    ("family name", Target::Field("last_name")),
    ("nom de famille", Target::Field("last_name")),
    ("middle name", Target::Field("middle_name")),
    ("honorific", Target::Field("honorific")),
    ("salutation", Target::Field("honorific")),
    ("civilite", Target::Field("honorific")),
    ("position", Target::Field("position")),
    ("job title", Target::Field("position")),
    ("poste", Target::Field("position")),
    ("fonction", Target::Field("position")),
    ("birth date", Target::Field("birth_date")),
    ("birthday", Target::Field("birth_date")),
    ("date of birth", Target::Field("birth_date")),
    ("date de naissance", Target::Field("birth_date")),
    ("address", Target::Field("address")),
    ("adresse", Target::Field("address")),
    ("source", Target::Field("source")),
    ("lead source", Target::Field("source")),
    ("origine", Target::Field("source")),
    ("source description", Target::Field("source_description")),
    ("description de la source", Target::Field("source_description")),
    ("comments", Target::Field("comments")),
    ("comment", Target::Field("comments")),
    ("notes", Target::Field("comments")),
    ("note", Target::Field("comments")),
    ("commentaire", Target::Field("comments")),
    ("commentaires", Target::Field("comments")),
    ("description", Target::Field("comments")),
    ("stage", Target::Field("stage")),
    ("status", Target::Field("stage")),
    ("etape", Target::Field("stage")),
    ("statut", Target::Field("stage")),
    ("stage description", Target::Field("stage_description")),
    ("amount", Target::Field("amount")),
    ("montant", Target::Field("amount")),
    ("value", Target::Field("amount")),
    ("valeur", Target::Field("amount")),
    ("budget", Target::Field("amount")),
    ("currency", Target::Field("currency")),
    ("devise", Target::Field("currency")),
    ("monnaie", Target::Field("currency")),
    ("responsible", Target::Field("responsible")),
    ("owner", Target::Field("responsible")),
    ("assigned to", Target::Field("responsible")),
    ("responsable", Target::Field("responsible")),
    ("assigne a", Target::Field("responsible")),
    ("opened", Target::Field("opened")),
    ("available to everyone", Target::Field("opened")),
    ("industry", Target::Field("industry")),
    ("secteur", Target::Field("industry")),
    ("secteur d activite", Target::Field("industry")),
    ("employees", Target::Field("employees")),
    ("number of employees", Target::Field("employees")),
    ("effectif", Target::Field("employees")),
    ("revenue", Target::Field("revenue")),
    ("annual revenue", Target::Field("revenue")),
    ("chiffre d affaires", Target::Field("revenue")),
    ("contact type", Target::Field("contact_type")),
    ("company type", Target::Field("company_type")),
    ("type", Target::Field("contact_type")),
    ("phone", Target::Comm(CommKind::Phone)),
    ("phones", Target::Comm(CommKind::Phone)),
    ("telephone", Target::Comm(CommKind::Phone)),
    ("telephones", Target::Comm(CommKind::Phone)),
    ("tel", Target::Comm(CommKind::Phone)),
    ("mobile", Target::Comm(CommKind::Phone)),
    ("mobile phone", Target::Comm(CommKind::Phone)),
    ("portable", Target::Comm(CommKind::Phone)),
    ("phone number", Target::Comm(CommKind::Phone)),
    ("work phone", Target::Comm(CommKind::Phone)),
    ("email", Target::Comm(CommKind::Email)),
    ("emails", Target::Comm(CommKind::Email)),
    ("e mail", Target::Comm(CommKind::Email)),
    ("e mails", Target::Comm(CommKind::Email)),
    ("mail", Target::Comm(CommKind::Email)),
    ("email address", Target::Comm(CommKind::Email)),
    ("adresse e mail", Target::Comm(CommKind::Email)),
    ("courriel", Target::Comm(CommKind::Email)),
    ("website", Target::Comm(CommKind::Web)),
    ("websites", Target::Comm(CommKind::Web)),
    ("webs", Target::Comm(CommKind::Web)),
    ("web", Target::Comm(CommKind::Web)),
    ("site web", Target::Comm(CommKind::Web)),
    ("url", Target::Comm(CommKind::Web)),
    ("messenger", Target::Comm(CommKind::Messenger)),
    ("messengers", Target::Comm(CommKind::Messenger)),
    ("messagerie", Target::Comm(CommKind::Messenger)),
    ("full name", Target::FullName),
    ("nom complet", Target::FullName),
    ("contact name", Target::FullName),
    ("id", Target::Ignore),
];

/// A header as compared: lowercase, accents removed, punctuation and spacing collapsed to
/// single spaces ("E-mail professionnel" → "e mail professionnel").
pub fn normalize_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut space = false;
    for c in h.trim().trim_start_matches('\u{feff}').chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' | 'õ' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            'œ' => 'o',
            c => c,
        };
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// The target a header means for `entity`, trying the preset's names first; `None` when the
/// column is not recognised (it is then left out, and the summary says so).
pub fn auto_target(entity: Entity, preset: Option<Preset>, header: &str) -> Option<Target> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    // Names that mean different things per entity.
    let specific = match (entity, h.as_str()) {
        (
            Entity::Company,
            "name" | "nom" | "company" | "company name" | "societe" | "entreprise" | "raison sociale",
        ) => Some(Target::Field("title")),
        (Entity::Company, "type") => Some(Target::Field("company_type")),
        (Entity::Contact, "company" | "company name" | "societe" | "entreprise" | "organisation" | "organization") => {
            Some(Target::Company)
        }
        (Entity::Contact, "name") => Some(Target::FullName),
        (Entity::Lead, "company" | "company name" | "societe" | "entreprise" | "organisation" | "organization") => {
            Some(Target::Field("company_title"))
        }
        (Entity::Lead, "name" | "lead name" | "lead title") => Some(Target::Field("title")),
        (Entity::Lead | Entity::Contact, "nom") => Some(Target::Field("last_name")),
        _ => None,
    };
    let from_preset = preset.and_then(|p| p.aliases().iter().find(|(a, _)| *a == h).map(|(_, t)| t.clone()));
    let found = from_preset
        .or(specific)
        .or_else(|| GENERIC.iter().find(|(a, _)| *a == h).map(|(_, t)| t.clone()))
        // A key as Prospect writes it (`first_name`, `company_title`) maps to itself.
        .or_else(|| entity.field(&h.replace(' ', "_")).map(|s| Target::Field(s.key)));
    match found {
        Some(Target::Field(k)) if entity.field(k).is_none() => None,
        Some(Target::Company) if entity != Entity::Contact => None,
        other => other,
    }
}

/// Parses the right side of `--map "Column=field"`: a field key, `phone`/`email`/`web`/
/// `messenger`, `full_name`, `company` (contacts), or empty / `-` to leave the column out.
pub fn parse_target(entity: Entity, text: &str) -> Result<Target, FieldError> {
    let t = text.trim().to_lowercase();
    if matches!(t.as_str(), "" | "-" | "ignore") {
        return Ok(Target::Ignore);
    }
    let all = targets_for(entity);
    let key = entity.field(&t).map(|s| s.key.to_string()).unwrap_or(t);
    match all.iter().find(|x| **x != Target::Ignore && x.code() == key) {
        Some(target) => Ok(target.clone()),
        None => {
            let mut accepted: Vec<String> = all.iter().skip(1).map(Target::code).collect();
            accepted.push("- (leave out)".into());
            Err(FieldError::new("map", Problem::NoSuchField { accepted }))
        }
    }
}

/// What to do with a row that matches an existing record (SPEC I2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateMode {
    /// Create it anyway.
    All,
    /// Leave it out.
    Skip,
    /// Fill the existing record's empty fields and add its phones and e-mails.
    Merge,
    /// Overwrite the existing record's fields with the row's non-empty values.
    Replace,
}

impl DuplicateMode {
    /// Parses `--duplicates`.
    pub fn parse(s: &str) -> Option<DuplicateMode> {
        match s.trim().to_lowercase().as_str() {
            "all" | "import" | "create" => Some(DuplicateMode::All),
            "skip" => Some(DuplicateMode::Skip),
            "merge" | "fill" => Some(DuplicateMode::Merge),
            "replace" | "overwrite" => Some(DuplicateMode::Replace),
            _ => None,
        }
    }
}

/// Which keys make two records the same for an import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchOn {
    /// Person name (or company title for companies).
    pub name: bool,
    /// A lead's company title.
    pub company: bool,
    /// A shared phone.
    pub phone: bool,
    /// A shared e-mail.
    pub email: bool,
}

impl Default for MatchOn {
    fn default() -> Self {
        MatchOn { name: false, company: false, phone: true, email: true }
    }
}

impl MatchOn {
    /// Parses `--match name,phone,email`.
    pub fn parse(s: &str) -> Result<MatchOn, FieldError> {
        let mut m = MatchOn { name: false, company: false, phone: false, email: false };
        for part in s.split(',').map(|p| p.trim().to_lowercase()).filter(|p| !p.is_empty()) {
            match part.as_str() {
                "name" => m.name = true,
                "company" => m.company = true,
                "phone" => m.phone = true,
                "email" | "e-mail" => m.email = true,
                other => {
                    return Err(FieldError::new(
                        "match",
                        Problem::Choice {
                            value: other.to_string(),
                            accepted: ["name", "company", "phone", "email"].map(String::from).to_vec(),
                        },
                    ));
                }
            }
        }
        Ok(m)
    }
}

/// A cell as a spreadsheet-safe export wrote it: a leading `'` put before `= + - @`, tab or
/// CR (formula injection) is taken off again.
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// First and last name from a full name: "Jean-Paul Martin" splits at the last space,
/// "Martin, Jean-Paul" at the comma; a single word is a last name. One rule for CSV columns
/// and e-mail senders.
pub fn split_full_name(name: &str) -> (String, String) {
    let name = name.trim().trim_matches('"').trim();
    if let Some((last, first)) = name.split_once(',') {
        return (first.trim().to_string(), last.trim().to_string());
    }
    match name.rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
        None => (String::new(), name.to_string()),
    }
}

/// Every target a column of `entity` can take: what `--map` accepts and the order the
/// wizard cycles through.
pub fn targets_for(entity: Entity) -> Vec<Target> {
    let mut out = vec![Target::Ignore];
    out.extend(entity.fields().iter().filter(|s| s.key != "lead").map(|s| Target::Field(s.key)));
    out.extend([CommKind::Phone, CommKind::Email, CommKind::Web, CommKind::Messenger].map(Target::Comm));
    if entity.field("first_name").is_some() {
        out.push(Target::FullName);
    }
    if entity == Entity::Contact {
        out.push(Target::Company);
    }
    out
}

/// How several columns mapped to one text field are joined.
fn joiner(key: &str) -> &'static str {
    match key {
        "address" => ", ",
        _ => "\n",
    }
}

/// What one row gives: field values as typed, communications, a contact's companies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowValues {
    /// (field key, text).
    pub fields: Vec<(String, String)>,
    /// Phones, e-mails, websites, messengers.
    pub comms: Vec<Comm>,
    /// Companies by title or `#id` (contacts).
    pub companies: Vec<String>,
}

/// The values one row makes, or the first problem of the row (which field, what was wrong).
pub fn row_input(
    entity: Entity,
    targets: &[Target],
    cells: &[String],
    region: PhoneRegion,
) -> Result<RowValues, FieldError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut comms: Vec<Comm> = Vec::new();
    let mut companies: Vec<String> = Vec::new();
    for (target, raw) in targets.iter().zip(cells) {
        let cell = unneutralize(raw.trim()).trim();
        if cell.is_empty() {
            continue;
        }
        match target {
            Target::Ignore => {}
            Target::Field(key) => match fields.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => {
                    v.push_str(joiner(key));
                    v.push_str(cell);
                }
                None => fields.push((key.to_string(), cell.to_string())),
            },
            Target::Comm(kind) => {
                for value in cell.split(['|', ';']).map(str::trim).filter(|v| !v.is_empty()) {
                    let c = Comm::parse_typed(*kind, value, region)?;
                    if !comms.iter().any(|x| x.kind == c.kind && x.normalized == c.normalized) {
                        comms.push(c);
                    }
                }
            }
            Target::FullName => {
                let (first, last) = split_full_name(cell);
                for (key, v) in [("first_name", first), ("last_name", last)] {
                    if !v.is_empty() && !fields.iter().any(|(k, _)| k == key) && entity.field(key).is_some() {
                        fields.push((key.to_string(), v));
                    }
                }
            }
            Target::Company => companies.push(cell.to_string()),
        }
    }
    // A lead without a title is named after its person or company, so lists and the board
    // do not fill with "Lead #123".
    if entity == Entity::Lead && !fields.iter().any(|(k, _)| k == "title") {
        let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("");
        let person = format!("{} {}", get("first_name"), get("last_name")).trim().to_string();
        let title = match (person.is_empty(), get("company_title")) {
            (false, "") => person,
            (false, company) => format!("{person} — {company}"),
            (true, company) => company.to_string(),
        };
        if !title.is_empty() {
            fields.push(("title".into(), title.chars().take(255).collect()));
        }
    }
    Ok(RowValues { fields, comms, companies })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(entity: Entity, h: &str) -> Option<Target> {
        auto_target(entity, None, h)
    }

    #[test]
    fn french_and_english_headers_map_to_fields() {
        assert_eq!(t(Entity::Lead, "Prénom"), Some(Target::Field("first_name")));
        assert_eq!(t(Entity::Lead, "Nom"), Some(Target::Field("last_name")));
        assert_eq!(t(Entity::Lead, "Téléphone"), Some(Target::Comm(CommKind::Phone)));
        assert_eq!(t(Entity::Lead, "Société"), Some(Target::Field("company_title")));
        assert_eq!(t(Entity::Lead, "E-mail"), Some(Target::Comm(CommKind::Email)));
        assert_eq!(t(Entity::Lead, "Étape"), Some(Target::Field("stage")));
        assert_eq!(t(Entity::Lead, "Montant"), Some(Target::Field("amount")));
        assert_eq!(t(Entity::Lead, "Responsable"), Some(Target::Field("responsible")));
        assert_eq!(t(Entity::Lead, "  First Name "), Some(Target::Field("first_name")));
        assert_eq!(t(Entity::Lead, "company_title"), Some(Target::Field("company_title")));
        assert_eq!(t(Entity::Lead, "Favourite colour"), None);
    }

    #[test]
    fn the_same_word_means_what_the_entity_has() {
        assert_eq!(t(Entity::Company, "Nom"), Some(Target::Field("title")));
        assert_eq!(t(Entity::Contact, "Société"), Some(Target::Company));
        assert_eq!(t(Entity::Contact, "Name"), Some(Target::FullName));
        assert_eq!(t(Entity::Company, "Type"), Some(Target::Field("company_type")));
        // A field the entity does not have is not a target.
        assert_eq!(t(Entity::Contact, "Stage"), None);
        assert_eq!(t(Entity::Company, "Prénom"), None);
    }

    #[test]
    fn presets_are_detected_and_win() {
        let hub: Vec<String> = ["Record ID", "First Name", "Lead Status", "Contact owner"].map(String::from).to_vec();
        assert_eq!(Preset::detect(&hub), Some(Preset::HubSpot));
        let pd: Vec<String> = ["Lead - Title", "Person - Name", "Organization - Name"].map(String::from).to_vec();
        assert_eq!(Preset::detect(&pd), Some(Preset::Pipedrive));
        let bx: Vec<String> = ["ID", "Nom du prospect", "Statut", "Téléphone mobile"].map(String::from).to_vec();
        assert_eq!(Preset::detect(&bx), Some(Preset::Bitrix24));
        assert_eq!(Preset::detect(&["Prénom".to_string()]), None);
        let p = Some(Preset::Pipedrive);
        assert_eq!(auto_target(Entity::Lead, p, "Person - Name"), Some(Target::FullName));
        assert_eq!(auto_target(Entity::Lead, Some(Preset::Bitrix24), "Mobile"), Some(Target::Comm(CommKind::Phone)));
        assert_eq!(auto_target(Entity::Lead, Some(Preset::Bitrix24), "ID"), Some(Target::Ignore));
    }

    #[test]
    fn rows_join_columns_split_names_and_read_several_phones() {
        let targets = vec![
            Target::FullName,
            Target::Comm(CommKind::Phone),
            Target::Comm(CommKind::Phone),
            Target::Field("address"),
            Target::Field("address"),
            Target::Ignore,
        ];
        let cells: Vec<String> =
            ["Jean-Paul Martin", "06 12 34 56 78 | work: 01 44 55 66 77", "+33 6 12 34 56 78", "1 rue X", "Lyon", "x"]
                .map(String::from)
                .to_vec();
        let RowValues { fields, comms, .. } = row_input(Entity::Lead, &targets, &cells, PhoneRegion::FR).unwrap();
        assert_eq!(
            fields,
            vec![
                ("first_name".into(), "Jean-Paul".into()),
                ("last_name".into(), "Martin".into()),
                ("address".into(), "1 rue X, Lyon".into()),
                ("title".into(), "Jean-Paul Martin".into())
            ]
        );
        assert_eq!(comms.len(), 2, "the same number twice counts once: {comms:?}");
        assert_eq!(comms[1].label, "work");
        let bad =
            row_input(Entity::Lead, &[Target::Comm(CommKind::Email)], &["not-an-address".into()], PhoneRegion::FR);
        assert_eq!(bad.unwrap_err().field, "email");
    }

    #[test]
    fn neutralised_cells_come_back() {
        assert_eq!(unneutralize("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralize("'+33 6 12"), "+33 6 12");
        assert_eq!(unneutralize("'quoted"), "'quoted");
        assert_eq!(unneutralize("plain"), "plain");
    }

    #[test]
    fn map_targets_and_match_criteria_parse_or_say_what_is_accepted() {
        assert_eq!(parse_target(Entity::Lead, "first_name").unwrap(), Target::Field("first_name"));
        assert_eq!(parse_target(Entity::Lead, "phone").unwrap(), Target::Comm(CommKind::Phone));
        assert_eq!(parse_target(Entity::Lead, "").unwrap(), Target::Ignore);
        let e = parse_target(Entity::Lead, "colour").unwrap_err();
        assert!(matches!(e.problem, Problem::NoSuchField { ref accepted } if accepted.contains(&"title".to_string())));
        assert_eq!(
            MatchOn::parse("name, phone").unwrap(),
            MatchOn { name: true, company: false, phone: true, email: false }
        );
        assert!(MatchOn::parse("name,age").is_err());
        assert_eq!(DuplicateMode::parse("Merge"), Some(DuplicateMode::Merge));
    }
}
