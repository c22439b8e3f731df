//! The exports of other CRMs and address books (Bitrix24, HubSpot, Pipedrive, Google Contacts,
//! Outlook): which one a header row is (by a set of distinctive column names, never one), what
//! each of their columns means, and what their standard values (sources, statuses) are here.

use super::Target;
use super::normalize_header;
use crate::domain::comm::CommKind;

/// Export formats of other CRMs and address books whose columns and values are known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Bitrix24 CSV export (English or French interface).
    Bitrix24,
    /// HubSpot contacts/leads export.
    HubSpot,
    /// Pipedrive leads/people export (`Person - Name`...).
    Pipedrive,
    /// Google Contacts CSV (the current form and the older "Google CSV").
    GoogleContacts,
    /// Outlook / Microsoft 365 contacts CSV.
    Outlook,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 5] =
        [Preset::Bitrix24, Preset::HubSpot, Preset::Pipedrive, Preset::GoogleContacts, Preset::Outlook];

    /// Name in `--preset`.
    pub fn code(self) -> &'static str {
        match self {
            Preset::Bitrix24 => "bitrix24",
            Preset::HubSpot => "hubspot",
            Preset::Pipedrive => "pipedrive",
            Preset::GoogleContacts => "google",
            Preset::Outlook => "outlook",
        }
    }

    /// The vendor's name as people write it: `HubSpot`, `Google Contacts`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Bitrix24 => "Bitrix24",
            Preset::HubSpot => "HubSpot",
            Preset::Pipedrive => "Pipedrive",
            Preset::GoogleContacts => "Google Contacts",
            Preset::Outlook => "Outlook",
        }
    }

    /// Parses `--preset`.
    pub fn parse(s: &str) -> Option<Preset> {
        let s = s.trim();
        Preset::ALL
            .into_iter()
            .find(|p| p.code().eq_ignore_ascii_case(s))
            .or_else(|| s.eq_ignore_ascii_case("google-contacts").then_some(Preset::GoogleContacts))
    }

    /// The preset whose distinctive columns the header row has most of: at least two of them
    /// (one shared name such as "Organization Name" or "Created" proves nothing).
    pub fn detect(headers: &[String]) -> Option<Preset> {
        let h: Vec<String> = headers.iter().map(|x| without_numbers(&normalize_header(x))).collect();
        let score = |p: Preset| -> usize {
            match p {
                // Pipedrive names every column `Lead - …`, `Person - …`, `Organization - …`.
                Preset::Pipedrive => h.iter().filter(|x| x.starts_with("person ") || x.starts_with("lead ")).count(),
                p => p.signature().iter().filter(|s| h.iter().any(|x| x == *s)).count(),
            }
        };
        Preset::ALL.into_iter().map(|p| (score(p), p)).filter(|(n, _)| *n >= 2).max_by_key(|(n, _)| *n).map(|(_, p)| p)
    }

    /// Column names (normalised, numbers left out) found in this vendor's exports and rarely
    /// elsewhere.
    fn signature(self) -> &'static [&'static str] {
        match self {
            Preset::Bitrix24 => &[
                "lead name",
                "nom du prospect",
                "status information",
                "informations sur le statut",
                "source information",
                "informations sur la source",
                "responsible person",
                "personne responsable",
                "work e mail",
                "e mail professionnel",
                "second name",
                "deuxieme prenom",
                "opportunity",
                "opportunite",
                "corporate website",
            ],
            Preset::HubSpot => &[
                "record id",
                "lead status",
                "contact owner",
                "lifecycle stage",
                "original source",
                "original source drill down",
                "associated company",
                "phone number",
                "mobile phone number",
                "country region",
            ],
            Preset::Pipedrive => &[],
            Preset::GoogleContacts => &[
                "given name",
                "family name",
                "additional name",
                "group membership",
                "e mail value",
                "e mail type",
                "e mail label",
                "phone value",
                "phone label",
                "organization title",
                "file as",
                "phonetic first name",
                "labels",
                "address formatted",
            ],
            Preset::Outlook => &[
                "e mail address",
                "e mail display name",
                "business phone",
                "home phone",
                "primary phone",
                "business street",
                "business city",
                "business postal code",
                "business country region",
                "home street",
                "other street",
                "web page",
                "adresse de messagerie",
                "telephone bureau",
                "rue bureau",
            ],
        }
    }

    /// What a column of this vendor's export means, by its normalised name (numbers left
    /// out: `E-mail 2 - Value` is `e mail value`). `None`: not one of its columns.
    pub(super) fn target(self, header: &str, company: Target) -> Option<Target> {
        use Target::*;
        let h = without_numbers(header);
        let h = h.as_str();
        let phone = Comm(CommKind::Phone);
        let email = Comm(CommKind::Email);
        let web = Comm(CommKind::Web);
        Some(match self {
            Preset::Bitrix24 => match h {
                "lead name" | "nom du prospect" => Field("title"),
                "status" | "statut" => Field("stage"),
                "status information" | "informations sur le statut" => Field("stage_description"),
                "second name" | "deuxieme prenom" => Field("middle_name"),
                "salutation" => Field("honorific"),
                "work phone" | "mobile" | "mobile phone" | "telephone professionnel" | "telephone mobile" => phone,
                "work e mail" | "home e mail" | "e mail professionnel" | "e mail personnel" => email,
                "company name" | "nom de l entreprise" => company,
                "source information" | "informations sur la source" => Field("source_description"),
                "responsible person" | "personne responsable" | "responsible" | "responsable" => Field("responsible"),
                "opportunity" | "opportunite" => Field("amount"),
                "comment" | "commentaire" => Field("comments"),
                "corporate website" | "site web de l entreprise" => web,
                "birthdate" | "date de naissance" => Field("birth_date"),
                "created" | "cree le" | "date created" | "date de creation" => CreatedAt,
                "id" | "modified" | "modifie le" => Ignore,
                _ => return None,
            },
            Preset::HubSpot => match h {
                "record id" => Ignore,
                "phone number" | "mobile phone number" => phone,
                "company name" | "associated company" => company,
                "job title" => Field("position"),
                "lead status" => Field("stage"),
                "contact owner" => Field("responsible"),
                "street address" | "city" | "postal code" | "state region" => Field("address"),
                "country region" => Country { in_address: true },
                "create date" => CreatedAt,
                "original source" => Field("source"),
                "website url" => web,
                "message" => Field("comments"),
                _ => return None,
            },
            Preset::Pipedrive => match h {
                "lead title" => Field("title"),
                "lead value" => Field("amount"),
                "lead currency of value" => Field("currency"),
                "lead owner" => Field("responsible"),
                "lead source" => Field("source"),
                "lead created" | "lead add time" | "person add time" => CreatedAt,
                "person name" => FullName,
                "person first name" => Field("first_name"),
                "person last name" => Field("last_name"),
                "person job title" => Field("position"),
                "organization name" => company,
                "organization address" => Field("address"),
                "organization address country" => Country { in_address: false },
                "note content" | "lead notes" => Field("comments"),
                "lead id" | "person id" | "organization id" => Ignore,
                _ if h.starts_with("person email") => email,
                _ if h.starts_with("person phone") => phone,
                _ => return None,
            },
            Preset::GoogleContacts => match h {
                "name" => FullName,
                "first name" | "given name" => Field("first_name"),
                "middle name" | "additional name" => Field("middle_name"),
                "last name" | "family name" => Field("last_name"),
                "name prefix" => Field("honorific"),
                "organization name" => company,
                "organization title" => Field("position"),
                "birthday" => Field("birth_date"),
                "notes" => Field("comments"),
                "e mail value" => email,
                "phone value" => phone,
                "website value" => web,
                "address formatted" => Field("address"),
                "address country" => Country { in_address: false },
                "e mail type" | "e mail label" => CommType(CommKind::Email),
                "phone type" | "phone label" => CommType(CommKind::Phone),
                "website type" | "website label" => CommType(CommKind::Web),
                "address type"
                | "address label"
                | "address street"
                | "address city"
                | "address po box"
                | "address region"
                | "address postal code"
                | "address extended address"
                | "photo"
                | "file as"
                | "group membership"
                | "labels"
                | "yomi name"
                | "given name yomi"
                | "additional name yomi"
                | "family name yomi"
                | "phonetic first name"
                | "phonetic middle name"
                | "phonetic last name" => Ignore,
                _ => return None,
            },
            Preset::Outlook => match h {
                "first name" | "prenom" => Field("first_name"),
                "middle name" | "deuxieme prenom" => Field("middle_name"),
                "last name" | "nom" => Field("last_name"),
                // Outlook's "Title" is the honorific (Mr., Dr.); the job is "Job Title".
                "title" | "civilite" => Field("honorific"),
                "job title" | "fonction" => Field("position"),
                "company" | "societe" => company,
                "e mail address" | "adresse de messagerie" => email,
                "business phone" | "home phone" | "mobile phone" | "primary phone" | "other phone" | "car phone"
                | "company main phone" | "telephone bureau" | "telephone domicile" | "tel mobile" => phone,
                "business street"
                | "business city"
                | "business state"
                | "business postal code"
                | "rue bureau"
                | "ville bureau"
                | "code postal bureau" => Field("address"),
                "business country region" | "pays region bureau" => Country { in_address: true },
                "web page" | "personal web page" | "page web" => web,
                "birthday" | "anniversaire" => Field("birth_date"),
                "notes" => Field("comments"),
                "e mail display name"
                | "e mail type"
                | "given yomi"
                | "surname yomi"
                | "company yomi"
                | "initials"
                | "priority"
                | "sensitivity"
                | "private" => Ignore,
                _ => return None,
            },
        })
    }

    /// This vendor's standard values of a reference field, as (its value, our code): HubSpot's
    /// `ORGANIC_SEARCH` is our `WEB`. Matched like any other name of the code (case, accents
    /// and punctuation aside), so `Organic search` and `ORGANIC_SEARCH` are one.
    pub fn values(self, field: &str) -> &'static [(&'static str, &'static str)] {
        match (self, field) {
            (Preset::HubSpot, "source") => &[
                ("ORGANIC_SEARCH", "WEB"),
                ("PAID_SEARCH", "ADVERTISING"),
                ("EMAIL_MARKETING", "EMAIL"),
                ("SOCIAL_MEDIA", "ADVERTISING"),
                ("PAID_SOCIAL", "ADVERTISING"),
                ("REFERRALS", "RECOMMENDATION"),
                ("DIRECT_TRAFFIC", "WEB"),
                ("OFFLINE", "OTHER"),
                ("OFFLINE_SOURCES", "OTHER"),
                ("OTHER_CAMPAIGNS", "ADVERTISING"),
                ("AI_REFERRALS", "RECOMMENDATION"),
            ],
            (Preset::HubSpot, "stage") => &[
                ("NEW", "NEW"),
                ("OPEN", "NEW"),
                ("ATTEMPTED_TO_CONTACT", "IN_PROCESS"),
                ("CONNECTED", "IN_PROCESS"),
                ("IN_PROGRESS", "IN_PROCESS"),
                ("OPEN_DEAL", "PROCESSED"),
                ("BAD_TIMING", "JUNK"),
                ("UNQUALIFIED", "JUNK"),
            ],
            (Preset::Pipedrive, "source") => &[
                ("Manually created", "OTHER"),
                ("Web forms", "WEBFORM"),
                ("Chatbot", "WEB"),
                ("Live chat", "WEB"),
                ("Website visitors", "WEB"),
                ("Prospector", "OTHER"),
                ("Messaging inbox", "EMAIL"),
                ("Import", "OTHER"),
                ("API", "OTHER"),
                ("Workflow automation", "OTHER"),
            ],
            (Preset::Bitrix24, "stage") => &[
                ("Unassigned", "NEW"),
                ("Not processed", "NEW"),
                ("Non attribué", "NEW"),
                ("Non traité", "NEW"),
                ("In progress", "IN_PROCESS"),
                ("Processed", "PROCESSED"),
                ("Good lead", "CONVERTED"),
                ("Quality lead", "CONVERTED"),
                ("Bon prospect", "CONVERTED"),
                ("Prospect de qualité", "CONVERTED"),
                ("Junk lead", "JUNK"),
                ("Bad lead", "JUNK"),
                ("Prospect de mauvaise qualité", "JUNK"),
                ("Mauvais prospect", "JUNK"),
            ],
            (Preset::Bitrix24, "source") => &[
                ("By recommendation", "RECOMMENDATION"),
                ("Par recommandation", "RECOMMENDATION"),
                ("Show/Exhibition", "TRADE_SHOW"),
                ("Exposition", "TRADE_SHOW"),
                ("CRM form", "WEBFORM"),
                ("Formulaire CRM", "WEBFORM"),
                ("Online store", "STORE"),
                ("Boutique en ligne", "STORE"),
                ("Sales boost", "OTHER"),
                ("RC_GENERATOR", "OTHER"),
                ("Open Channel", "OTHER"),
            ],
            _ => &[],
        }
    }
}

/// A normalised header without its numbers: `e mail 2 value` is `e mail value`.
fn without_numbers(h: &str) -> String {
    h.split(' ').filter(|w| !w.chars().all(|c| c.is_ascii_digit())).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn presets_are_detected_by_several_columns() {
        let hub = headers(&["Record ID", "First Name", "Lead Status", "Contact owner"]);
        assert_eq!(Preset::detect(&hub), Some(Preset::HubSpot));
        let pd = headers(&["Lead - Title", "Person - Name", "Organization - Name"]);
        assert_eq!(Preset::detect(&pd), Some(Preset::Pipedrive));
        let bx = headers(&["ID", "Nom du prospect", "Statut", "Téléphone mobile", "Informations sur la source"]);
        assert_eq!(Preset::detect(&bx), Some(Preset::Bitrix24));
        let google = headers(&[
            "First Name",
            "Last Name",
            "Organization Name",
            "Organization Title",
            "E-mail 1 - Label",
            "E-mail 1 - Value",
            "Phone 1 - Value",
        ]);
        assert_eq!(Preset::detect(&google), Some(Preset::GoogleContacts), "not Pipedrive for its Organization");
        let old_google = headers(&["Name", "Given Name", "Family Name", "Group Membership", "E-mail 1 - Value"]);
        assert_eq!(Preset::detect(&old_google), Some(Preset::GoogleContacts));
        let outlook = headers(&["First Name", "Last Name", "E-mail Address", "Business Phone", "Mobile Phone"]);
        assert_eq!(Preset::detect(&outlook), Some(Preset::Outlook));
        // One vendor-like name is not enough.
        assert_eq!(Preset::detect(&headers(&["Prénom", "Nom", "Opportunity"])), None);
        assert_eq!(Preset::detect(&headers(&["Prénom"])), None);
    }

    #[test]
    fn numbered_columns_read_as_one() {
        let company = Target::Field("company_title");
        let t = |p: Preset, h: &str| p.target(&normalize_header(h), company.clone());
        assert_eq!(t(Preset::GoogleContacts, "E-mail 2 - Value"), Some(Target::Comm(CommKind::Email)));
        assert_eq!(t(Preset::GoogleContacts, "Phone 1 - Label"), Some(Target::CommType(CommKind::Phone)));
        assert_eq!(t(Preset::Outlook, "E-mail 2 Address"), Some(Target::Comm(CommKind::Email)));
        assert_eq!(t(Preset::Outlook, "Title"), Some(Target::Field("honorific")));
        assert_eq!(t(Preset::Pipedrive, "Person - Email - Work"), Some(Target::Comm(CommKind::Email)));
        assert_eq!(t(Preset::HubSpot, "Create Date"), Some(Target::CreatedAt));
        assert_eq!(t(Preset::HubSpot, "Favourite colour"), None);
    }
}
