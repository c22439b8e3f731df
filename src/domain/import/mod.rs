//! Import rules (SPEC I2), without I/O: which field a column header means (English and
//! French names, and the exports of other CRMs: `presets`), what a reference value (a stage,
//! a source, a user) names (`values`), how a row of cells becomes a record's input, keeping
//! the lead when one value is bad (`row`), and how duplicates are handled.

mod presets;
mod row;
pub mod values;

pub use presets::Preset;
pub use row::{RowContext, RowValues, row_input};

use super::comm::CommKind;
use super::error::{FieldError, Problem};
use super::fields::Entity;

/// Where a column goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A field of the record, by key.
    Field(&'static str),
    /// A phone, e-mail, website or messenger (several values split by `|` or `;`).
    Comm(CommKind),
    /// The type of the phone, e-mail or website in the next column of that kind (`Mobile`,
    /// `* Work`: an address book's label column).
    CommType(CommKind),
    /// A full name, split into first and last name at the last space.
    FullName,
    /// A contact's company, by title or id (linked, created when missing).
    Company,
    /// A deal's other contacts, by id (several split by `|` or `;`).
    Contacts,
    /// When the record was created in the system it comes from (its `created_at`).
    CreatedAt,
    /// A country: the phones of the row are read as numbers of that country; part of the
    /// address too when `in_address`.
    Country {
        /// Also written in the address.
        in_address: bool,
    },
    /// A field of the team's own, by code (SPEC F1).
    Custom(String),
    /// Kept in the record's comments as `Column: value`, not to lose what no field holds.
    Note,
    /// Not imported.
    Ignore,
}

impl Target {
    /// How the target is written in `--map` and in the summary.
    pub fn code(&self) -> String {
        match self {
            Target::Field(k) => k.to_string(),
            Target::Comm(k) => k.code().to_string(),
            Target::CommType(k) => format!("{}_type", k.code()),
            Target::FullName => "full_name".into(),
            Target::Company => "company".into(),
            Target::Contacts => "contacts".into(),
            Target::CreatedAt => "created_at".into(),
            Target::Country { in_address: true } => "country".into(),
            Target::Country { in_address: false } => "phone_country".into(),
            Target::Custom(code) => code.clone(),
            Target::Note => "note".into(),
            Target::Ignore => "-".into(),
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
    ("country", Target::Country { in_address: true }),
    ("pays", Target::Country { in_address: true }),
    ("country region", Target::Country { in_address: true }),
    ("created", Target::CreatedAt),
    ("created at", Target::CreatedAt),
    ("create date", Target::CreatedAt),
    ("date created", Target::CreatedAt),
    ("creation date", Target::CreatedAt),
    ("date de creation", Target::CreatedAt),
    ("cree le", Target::CreatedAt),
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
    let company = if entity == Entity::Contact { Target::Company } else { Target::Field("company_title") };
    let from_preset = preset.and_then(|p| p.target(&h, company));
    let found = from_preset
        .or(specific)
        .or_else(|| GENERIC.iter().find(|(a, _)| *a == h).map(|(_, t)| t.clone()))
        // A key as Prospect writes it (`first_name`, `company_title`) maps to itself.
        .or_else(|| entity.field(&h.replace(' ', "_")).map(|s| Target::Field(s.key)))
        // A field's name as the interface shows it, in English or French (a spreadsheet
        // export's headers).
        .or_else(|| by_label(entity, &h));
    match found {
        Some(Target::Field(k)) if entity.field(k).is_none() => None,
        Some(Target::Company) if entity != Entity::Contact => None,
        Some(Target::Contacts) if entity != Entity::Deal => None,
        other => other,
    }
}

/// Where each column goes by its name (`auto_target`); a named column no name matches is
/// kept in the records' comments (`Note`) rather than dropped, an unnamed one is left out.
pub fn mapping(entity: Entity, preset: Option<Preset>, headers: &[String]) -> Vec<Target> {
    // An import's own report read back (its rows fixed): the four columns it puts before a
    // row's cells are not the row's.
    let report = report_columns(headers);
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| match auto_target(entity, preset, h) {
            _ if i < report => Target::Ignore,
            Some(t) => t,
            None if normalize_header(h).is_empty() => Target::Ignore,
            None => Target::Note,
        })
        .collect()
}

/// How many of the first columns are an import report's own (line, outcome, record, reason,
/// in English or French): 4 or 0.
fn report_columns(headers: &[String]) -> usize {
    use crate::i18n::{Lang, tr_in};
    let keys = ["import.col_line", "import.col_outcome", "import.col_record", "import.col_reason"];
    let is_report = [Lang::En, Lang::Fr].into_iter().any(|lang| {
        headers.len() >= keys.len()
            && keys.iter().zip(headers).all(|(k, h)| normalize_header(&tr_in(lang, k, &[])) == normalize_header(h))
    });
    if is_report { keys.len() } else { 0 }
}

/// The target whose label, in English or French, is the header `h` (normalised): a field's
/// (`Nom de l'entreprise`), a list of phones or e-mails (`Téléphones`), the creation time.
fn by_label(entity: Entity, h: &str) -> Option<Target> {
    use crate::i18n::{Lang, tr_in};
    let is = |key: &str| [Lang::En, Lang::Fr].into_iter().any(|lang| normalize_header(&tr_in(lang, key, &[])) == h);
    // A record's source lead and a deal's pipeline are set by Prospect, never imported.
    if let Some(spec) = entity
        .fields()
        .iter()
        .filter(|s| !matches!(s.key, "lead" | "pipeline"))
        .find(|s| is(&format!("field.{}", s.key)))
    {
        return Some(Target::Field(spec.key));
    }
    if is("field.lead") {
        return Some(Target::Ignore);
    }
    if entity == Entity::Contact && is("field.companies") {
        return Some(Target::Company);
    }
    if entity == Entity::Deal && is("field.contacts") {
        return Some(Target::Contacts);
    }
    if let Some(kind) = [CommKind::Phone, CommKind::Email, CommKind::Web, CommKind::Messenger]
        .into_iter()
        .find(|k| is(&format!("field.{}s", k.code())))
    {
        return Some(Target::Comm(kind));
    }
    if is("label.created") {
        return Some(Target::CreatedAt);
    }
    (is("label.modified") || is("label.id")).then_some(Target::Ignore)
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

/// Columns that name a field of the team's own: by its code (which no built-in field has,
/// so it wins over a column name's usual meaning: a `budget` field takes the `budget`
/// column), or, for a column no built-in field took, by its English or French label. Export
/// writes them under their codes, so an export reads back.
pub fn with_custom(targets: &mut [Target], headers: &[String], fields: &[crate::domain::custom_field::CustomField]) {
    for (target, header) in targets.iter_mut().zip(headers) {
        if *target == Target::Ignore {
            continue;
        }
        let h = normalize_header(header);
        let by_code = |f: &&crate::domain::custom_field::CustomField| {
            normalize_header(&f.code) == h || normalize_header(&f.code.replace('_', " ")) == h
        };
        let by_label = |f: &&crate::domain::custom_field::CustomField| {
            [Some(f.label.as_str()), f.label_fr.as_deref()].into_iter().flatten().any(|l| normalize_header(l) == h)
        };
        let found = match target {
            Target::Note => fields.iter().find(|f| by_code(f) || by_label(f)),
            _ => fields.iter().find(by_code),
        };
        if let Some(f) = found {
            *target = Target::Custom(f.code.clone());
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
    if entity == Entity::Deal {
        out.push(Target::Contacts);
    }
    out.extend([Target::CreatedAt, Target::Country { in_address: true }, Target::Country { in_address: false }]);
    out.push(Target::Note);
    out
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
    fn presets_win_and_unknown_columns_are_kept_as_notes() {
        let p = Some(Preset::Pipedrive);
        assert_eq!(auto_target(Entity::Lead, p, "Person - Name"), Some(Target::FullName));
        assert_eq!(auto_target(Entity::Lead, Some(Preset::Bitrix24), "Mobile"), Some(Target::Comm(CommKind::Phone)));
        assert_eq!(auto_target(Entity::Lead, Some(Preset::Bitrix24), "ID"), Some(Target::Ignore));
        assert_eq!(
            auto_target(Entity::Contact, Some(Preset::GoogleContacts), "Organization 1 - Name"),
            Some(Target::Company)
        );
        let headers: Vec<String> = ["Prénom", "Favourite colour", ""].map(String::from).to_vec();
        assert_eq!(
            mapping(Entity::Lead, None, &headers),
            vec![Target::Field("first_name"), Target::Note, Target::Ignore]
        );
        // A report read back: its own four columns are left out, the row's are read.
        let report: Vec<String> = ["ligne", "résultat", "fiche", "raison", "Prénom"].map(String::from).to_vec();
        let m = mapping(Entity::Lead, None, &report);
        assert_eq!((m[..4].to_vec(), m[4].clone()), (vec![Target::Ignore; 4], Target::Field("first_name")));
    }

    #[test]
    fn the_interfaces_own_labels_map_back_in_both_languages() {
        assert_eq!(t(Entity::Lead, "Note d'étape"), Some(Target::Field("stage_description")));
        assert_eq!(t(Entity::Lead, "Note sur la source"), Some(Target::Field("source_description")));
        assert_eq!(t(Entity::Lead, "Accessible à tous"), Some(Target::Field("opened")));
        assert_eq!(t(Entity::Company, "Chiffre d'affaires annuel"), Some(Target::Field("revenue")));
        assert_eq!(t(Entity::Lead, "Sites web"), Some(Target::Comm(CommKind::Web)));
        assert_eq!(t(Entity::Lead, "Messageries"), Some(Target::Comm(CommKind::Messenger)));
        assert_eq!(t(Entity::Lead, "Créé le"), Some(Target::CreatedAt));
        assert_eq!(t(Entity::Lead, "N°"), Some(Target::Ignore));
        assert_eq!(t(Entity::Contact, "Type de contact"), Some(Target::Field("contact_type")));
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
