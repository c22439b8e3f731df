//! Multi-value communications (phones, e-mails, websites, messengers), each with a type and a
//! normal form indexed for duplicate matching.

use super::dedup::{self, PhoneRegion};
use super::error::{FieldError, Problem};
use serde::{Deserialize, Serialize};

/// What kind of channel a communication is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum CommKind {
    /// Telephone number, normalised to E.164.
    Phone,
    /// E-mail address, normalised to lowercase.
    Email,
    /// Website.
    Web,
    /// Messenger handle.
    Messenger,
}

impl CommKind {
    /// Stored form and CLI flag name.
    pub fn code(self) -> &'static str {
        match self {
            CommKind::Phone => "phone",
            CommKind::Email => "email",
            CommKind::Web => "web",
            CommKind::Messenger => "messenger",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Phone, Self::Email, Self::Web, Self::Messenger].into_iter().find(|k| k.code() == s)
    }

    /// The type a word names: its code (`mobile`) or its name in English or French
    /// (`travail`, `domicile`), as a spreadsheet export writes it.
    pub fn label_named(self, word: &str) -> Option<&'static str> {
        use crate::i18n::{Lang, tr_in};
        let word = word.trim().to_lowercase();
        // Codes first: what our own files and scripts write, without a catalogue lookup.
        self.labels().iter().copied().find(|l| *l == word).or_else(|| {
            self.labels().iter().copied().find(|l| {
                [Lang::En, Lang::Fr]
                    .into_iter()
                    .any(|lang| tr_in(lang, &format!("comm_label.{l}"), &[]).to_lowercase() == word)
            })
        })
    }

    /// The labels this kind accepts; the first is the default.
    pub fn labels(self) -> &'static [&'static str] {
        match self {
            CommKind::Phone => &["work", "mobile", "home", "fax", "other"],
            CommKind::Email => &["work", "home", "other"],
            CommKind::Web => &["work", "personal", "other"],
            CommKind::Messenger => &["telegram", "whatsapp", "signal", "skype", "other"],
        }
    }
}

/// One phone, e-mail, website or messenger of a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comm {
    /// Channel.
    pub kind: CommKind,
    /// Type within the channel (`mobile`, `work`...).
    #[serde(rename = "type")]
    pub label: String,
    /// As the user wrote it.
    pub value: String,
    /// Normal form used for matching (E.164, lowercase address...).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub normalized: String,
}

impl Comm {
    /// Validates and normalises one value. `label` empty means the kind's default.
    pub fn new(kind: CommKind, label: &str, value: &str, region: PhoneRegion) -> Result<Comm, FieldError> {
        let field = kind.code();
        let label = label.trim().to_lowercase();
        let label = if label.is_empty() { kind.labels()[0].to_string() } else { label };
        if !kind.labels().contains(&label.as_str()) {
            return Err(FieldError::new(
                field,
                Problem::Choice { value: label, accepted: kind.labels().iter().map(|s| s.to_string()).collect() },
            ));
        }
        // What was typed, kept as typed, less control characters and bidi controls.
        let value = super::text::clean_line(value).trim().to_string();
        if value.is_empty() {
            return Err(FieldError::new(field, Problem::Required));
        }
        if value.chars().count() > 255 {
            return Err(FieldError::new(field, Problem::TooLong { max: 255 }));
        }
        let normalized = match kind {
            CommKind::Phone => dedup::phone_key(&value, region).ok_or_else(|| {
                FieldError::new(field, Problem::Phone { value: value.clone(), region: region.code() })
            })?,
            CommKind::Email => {
                if !dedup::is_valid_email(&value) {
                    return Err(FieldError::new(field, Problem::Email { value }));
                }
                dedup::email_key(&value)
            }
            CommKind::Web => {
                if !dedup::is_valid_web(&value) {
                    return Err(FieldError::new(field, Problem::Web { value }));
                }
                dedup::web_key(&value)
            }
            CommKind::Messenger => value.to_lowercase(),
        };
        Ok(Comm { kind, label, value, normalized })
    }

    /// A phone's extension (`12` of `01 23 45 67 89 poste 12`), read from the value as typed.
    pub fn extension(&self) -> Option<&str> {
        (self.kind == CommKind::Phone).then(|| dedup::phone_parts(&self.value).extension).flatten()
    }

    /// The address a system handler opens for it (SPEC V5): `tel:+33612345678;ext=12` (RFC
    /// 3966), `mailto:ann@x.org`, a website as typed with `https://` when it has no scheme.
    /// A messenger handle has none.
    pub fn uri(&self) -> Option<String> {
        match self.kind {
            CommKind::Phone => {
                let number = if self.normalized.starts_with('+') {
                    self.normalized.clone()
                } else {
                    let typed = dedup::phone_parts(&self.value).number;
                    typed.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
                };
                let ext: String = self.extension().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
                Some(if ext.is_empty() { format!("tel:{number}") } else { format!("tel:{number};ext={ext}") })
            }
            CommKind::Email => Some(format!("mailto:{}", self.value.trim())),
            CommKind::Web => {
                let v = self.value.trim();
                let lower = v.to_ascii_lowercase();
                Some(if lower.starts_with("http://") || lower.starts_with("https://") {
                    v.to_string()
                } else {
                    format!("https://{v}")
                })
            }
            CommKind::Messenger => None,
        }
    }

    /// Parses the CLI form `[TYPE:]VALUE` (`mobile:06 12 34 56 78`, `https://x.fr` stays whole).
    pub fn parse_typed(kind: CommKind, text: &str, region: PhoneRegion) -> Result<Comm, FieldError> {
        if let Some((prefix, rest)) = text.split_once(':') {
            let p = prefix.trim().to_lowercase();
            if let Some(label) = kind.label_named(&p) {
                return Comm::new(kind, label, rest, region);
            }
            // `pager:0612...` names a type we do not know; a URL scheme is not a type.
            let word = !p.is_empty() && p.chars().all(|c| c.is_ascii_alphabetic());
            if word && kind != CommKind::Web && !rest.starts_with("//") {
                return Comm::new(kind, &p, rest, region);
            }
        }
        Comm::new(kind, "", text, region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values_parse() {
        let r = PhoneRegion::FR;
        let c = Comm::parse_typed(CommKind::Phone, "mobile:06 12 34 56 78", r).unwrap();
        assert_eq!((c.label.as_str(), c.normalized.as_str()), ("mobile", "+33612345678"));
        let w = Comm::parse_typed(CommKind::Web, "https://www.acme.fr/", r).unwrap();
        assert_eq!((w.label.as_str(), w.normalized.as_str()), ("work", "acme.fr"));
        let e = Comm::parse_typed(CommKind::Email, "home:Ann@X.org", r).unwrap();
        assert_eq!((e.label.as_str(), e.normalized.as_str()), ("home", "ann@x.org"));
    }

    #[test]
    fn each_kind_opens_as_its_uri() {
        let r = PhoneRegion::FR;
        let uri = |kind, typed: &str| Comm::parse_typed(kind, typed, r).unwrap().uri();
        assert_eq!(uri(CommKind::Phone, "06 12 34 56 78").as_deref(), Some("tel:+33612345678"));
        assert_eq!(uri(CommKind::Phone, "01 23 45 67 89 poste 12").as_deref(), Some("tel:+33123456789;ext=12"));
        assert_eq!(uri(CommKind::Email, "home:Ann@X.org").as_deref(), Some("mailto:Ann@X.org"));
        assert_eq!(uri(CommKind::Web, "www.acme.fr").as_deref(), Some("https://www.acme.fr"));
        assert_eq!(uri(CommKind::Web, "HTTP://acme.fr/a").as_deref(), Some("HTTP://acme.fr/a"));
        assert_eq!(uri(CommKind::Messenger, "telegram:@ann"), None);
        // A phone stored before numbers were normalised still dials what was typed.
        let old =
            Comm { kind: CommKind::Phone, label: "work".into(), value: "01 23 45".into(), normalized: String::new() };
        assert_eq!(old.uri().as_deref(), Some("tel:012345"));
    }

    #[test]
    fn phones_keep_what_was_typed() {
        let r = PhoneRegion::FR;
        for typed in
            ["01 23 45 67 89 poste 12", "+33 1 23 45 67 89 ext. 12", "+1 (555) 123-4567", "06 12 34 56 78 (perso)"]
        {
            let c = Comm::parse_typed(CommKind::Phone, typed, r).unwrap_or_else(|e| panic!("{typed}: {e:?}"));
            assert_eq!(c.value, typed);
        }
        let c = Comm::parse_typed(CommKind::Phone, "work:+33 1 23 45 67 89 ext. 12", r).unwrap();
        assert_eq!((c.normalized.as_str(), c.extension()), ("+33123456789", Some("12")));
        let c = Comm::parse_typed(CommKind::Phone, "06 12 34\u{1b} 56 78\u{7}", r).unwrap();
        assert_eq!(c.value, "06 12 34 56 78");
        let c = Comm::parse_typed(CommKind::Email, "a@b.fr\u{0}", r).unwrap();
        assert_eq!(c.value, "a@b.fr");
    }

    #[test]
    fn bad_values_name_the_field() {
        let r = PhoneRegion::FR;
        let err = Comm::parse_typed(CommKind::Email, "nope", r).unwrap_err();
        assert_eq!(err.field, "email");
        let err = Comm::parse_typed(CommKind::Phone, "12", r).unwrap_err();
        assert!(matches!(err.problem, Problem::Phone { .. }));
        let err = Comm::parse_typed(CommKind::Phone, "12 34", r).unwrap_err();
        assert!(matches!(err.problem, Problem::Phone { .. }));
        let err = Comm::parse_typed(CommKind::Phone, "no digits", r).unwrap_err();
        assert!(matches!(err.problem, Problem::Phone { .. }));
        let err = Comm::parse_typed(CommKind::Phone, "pager:0612345678", r).unwrap_err();
        assert!(matches!(err.problem, Problem::Choice { .. }));
    }
}
