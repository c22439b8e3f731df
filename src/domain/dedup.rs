//! Duplicate matching (SPEC D1): the normal forms that make two spellings of a name, an e-mail
//! or a phone number compare equal. Both repeat-lead detection and duplicate search use these.

use phonenumber::country::Id as CountryId;
use std::str::FromStr;

/// Default region for phone numbers written without a country code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhoneRegion(CountryId);

impl PhoneRegion {
    /// France: the default for a new configuration.
    pub const FR: PhoneRegion = PhoneRegion(CountryId::FR);

    /// Parses a two-letter ISO 3166 code (`FR`, `be`, `CA`).
    pub fn parse(code: &str) -> Option<PhoneRegion> {
        CountryId::from_str(&code.trim().to_ascii_uppercase()).ok().map(PhoneRegion)
    }

    /// Two-letter code.
    pub fn code(self) -> String {
        format!("{:?}", self.0)
    }
}

/// Normal form of a person's or company's name: trimmed, case-folded, inner spaces collapsed.
/// Returns `None` when nothing is left.
pub fn name_key<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut out = String::new();
    for word in parts.into_iter().flat_map(|p| p.split_whitespace()) {
        if !out.is_empty() {
            out.push(' ');
        }
        // Most names are ASCII: lowercased in place rather than a character at a time.
        if word.is_ascii() {
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Normal form of an e-mail address: trimmed and lowercased.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Whether `email` is an address we accept (RFC 5322 addr-spec with a dotted domain).
pub fn is_valid_email(email: &str) -> bool {
    let e = email.trim();
    email_address::EmailAddress::from_str(e).is_ok()
        && e.rsplit('@').next().is_some_and(|d| d.contains('.') && !d.ends_with('.'))
}

/// Builds the phone number rules now. The first phone parsed in a process builds the rules
/// of every region (the `phonenumber` crate parses some 4,800 regular expressions): about
/// 95 ms, 560 million instructions.
fn prepare_phone_rules() {
    let _ = phonenumber::parse(None, "+33 6 12 34 56 78");
}

/// Builds the phone rules on a thread of their own, while the caller goes on: the TUI, so
/// that the first phone typed in a form does not freeze the screen, and the bulk loads, so
/// that their rows do not wait for the rules once the file is open and the CSV read. A
/// phone parsed before they are ready waits for them (no work is done twice).
pub fn prepare_phone_rules_in_background() {
    let _ = std::thread::Builder::new().name("phone-rules".into()).spawn(prepare_phone_rules);
}

/// Normal form of a phone number, for matching: E.164 (`+33612345678`) of its number part
/// (`phone_parts`). Numbers without a country code are read in `region`. A number is
/// matched whenever its length is *possible* for its country (`is_possible_phone`), even if
/// today's metadata does not know its range: a client's new number must be savable and
/// found. The extension is left out, by rule: `+33 1 23 45 67 89 ext. 12` matches
/// `01 23 45 67 89` and `01 23 45 67 89 poste 40`, since they reach the same client's
/// switchboard. `None` when the number part holds letters, no digits, or an impossible
/// length.
pub fn phone_key(phone: &str, region: PhoneRegion) -> Option<String> {
    let number = phone_parts(phone).number;
    if number.is_empty() || number.chars().any(|c| c.is_alphabetic()) || !number.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let parsed = phonenumber::parse(Some(region.0), number).ok()?;
    if !is_possible_phone(&parsed) {
        return None;
    }
    Some(parsed.format().mode(phonenumber::Mode::E164).to_string())
}

/// A phone number as typed, in its parts: `06 12 34 56 78 poste 12 (perso)` is the number
/// `06 12 34 56 78`, the extension `12` and the note `perso`. The stored value stays what
/// was typed; these parts are read from it when needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhoneParts<'a> {
    /// The number itself, as typed.
    pub number: &'a str,
    /// Its extension's digits, after `ext`, `ext.`, `extension`, `x`, `poste` or `#`.
    pub extension: Option<&'a str>,
    /// A trailing note in parentheses without digits (`perso`), ignored for matching.
    pub note: Option<&'a str>,
}

/// Splits a typed phone number into its parts (`PhoneParts`), by scanning its end: no
/// regular expression, so the import's reading thread pays next to nothing for it.
pub fn phone_parts(text: &str) -> PhoneParts<'_> {
    let mut rest = text.trim();
    let mut note = None;
    if let Some(inner_end) = rest.strip_suffix(')')
        && let Some(open) = inner_end.rfind('(')
    {
        let inner = &inner_end[open + 1..];
        if !inner.chars().any(|c| c.is_ascii_digit()) {
            note = Some(inner.trim()).filter(|n| !n.is_empty());
            rest = inner_end[..open].trim_end();
        }
    }
    let mut extension = None;
    let digits_start = rest.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits_start < rest.len() {
        let before = rest[..digits_start].trim_end_matches([' ', '.', ':', '\t']);
        for marker in ["extension", "poste", "ext", "x", "#"] {
            let Some(at) = before.len().checked_sub(marker.len()) else { continue };
            if !before.is_char_boundary(at) || !before[at..].eq_ignore_ascii_case(marker) {
                continue;
            }
            // A word of its own (`box 12` is not an extension), after some digits.
            let number = before[..at].trim_end();
            let word_start = !before[..at].ends_with(|c: char| c.is_alphabetic());
            if word_start && number.chars().any(|c| c.is_ascii_digit()) {
                extension = Some(&rest[digits_start..]);
                rest = number;
            }
            break;
        }
    }
    PhoneParts { number: rest, extension, note }
}

/// Whether the number's national part has a length that numbers of its country have
/// (libphonenumber's "possible" test, by length alone): cheaper than `is_valid_phone` and
/// not tied to which ranges today's metadata knows to be allocated.
pub fn is_possible_phone(number: &phonenumber::PhoneNumber) -> bool {
    let len = number.national().to_string().len();
    let db: &'static phonenumber::metadata::Database = &phonenumber::metadata::DATABASE;
    let Some(metas) = db.by_code(&number.code().value()) else {
        return false;
    };
    let len = len as u16;
    metas.into_iter().any(|meta| {
        let d = meta.descriptors();
        if !d.general().possible_length().is_empty() {
            return d.general().possible_length().contains(&len);
        }
        // The metadata leaves the general lengths empty when they are the union of the
        // types' (libphonenumber's build computes it): ask each type.
        let mut any = false;
        for t in number_types(d).into_iter().flatten() {
            let lengths = t.possible_length();
            any |= !lengths.is_empty();
            if lengths.contains(&len) {
                return true;
            }
        }
        !any && (2..=17).contains(&len)
    })
}

/// `phonenumber::is_valid`: the same rules, read from the same metadata, with each pattern
/// compiled once per thread. The crate looks each pattern up in one cache shared by every
/// thread, behind a lock and by the pattern's text, hashed at every use: that was 60% of
/// checking a phone, and the thread reading a 100k-row import spent a sixth of its time there.
pub fn is_valid_phone(number: &phonenumber::PhoneNumber) -> bool {
    let national = number.national().to_string();
    metadata_for(number.code().value(), &national).is_some_and(|meta| is_valid_in(meta, &national))
}

/// The region whose rules a number of country `code` follows (`phonenumber::validator::source_for`):
/// the only one, or the first whose leading digits (or, without any, whose number types) match.
fn metadata_for(code: u16, national: &str) -> Option<&'static phonenumber::Metadata> {
    let db: &'static phonenumber::metadata::Database = &phonenumber::metadata::DATABASE;
    let regions = db.region(&code)?;
    if let [only] = regions[..] {
        return if only == "001" {
            db.by_code(&code)?.into_iter().next()
        } else {
            db.by_id(only.parse::<CountryId>().ok()?.as_ref())
        };
    }
    regions.into_iter().filter_map(|r| db.by_id(r)).find(|meta| match meta.leading_digits() {
        Some(digits) => matches_from_start(digits.as_str(), national),
        None => is_valid_in(meta, national),
    })
}

/// Whether `national` is a number of some type in `meta` (`phonenumber::validator::number_type`
/// is not `Unknown`).
fn is_valid_in(meta: &'static phonenumber::Metadata, national: &str) -> bool {
    let d = meta.descriptors();
    describes(d.general(), national) && number_types(d).into_iter().flatten().any(|t| describes(t, national))
}

/// The descriptors of each type of number a region has (`phonenumber::validator::number_type`
/// asks them in this order), for the possible-length and validity checks alike.
fn number_types(
    d: &'static phonenumber::metadata::Descriptors,
) -> [Option<&'static phonenumber::metadata::Descriptor>; 10] {
    [
        d.premium_rate(),
        d.toll_free(),
        d.shared_cost(),
        d.voip(),
        d.personal_number(),
        d.pager(),
        d.uan(),
        d.voicemail(),
        d.fixed_line(),
        d.mobile(),
    ]
}

/// `phonenumber::metadata::Descriptor::is_match`.
fn describes(desc: &'static phonenumber::metadata::Descriptor, national: &str) -> bool {
    let lengths = desc.possible_length();
    (lengths.is_empty() || lengths.contains(&(national.len() as u16)))
        && matches_from_start(desc.national_number().as_str(), national)
}

/// Whether `pattern` (of the phone metadata, which lives as long as the process) finds a
/// match at the start of `text`, as the crate asks it (its leftmost match starts there).
/// Anchored, so that a search stops at the first character that cannot match.
fn matches_from_start(pattern: &'static str, text: &str) -> bool {
    thread_local! {
        /// By the pattern's place in memory: each is one string of the metadata.
        static COMPILED: std::cell::RefCell<std::collections::HashMap<(usize, usize), Option<regex::Regex>, foldhash::fast::RandomState>> =
            Default::default();
    }
    COMPILED.with_borrow_mut(|compiled| {
        compiled
            .entry((pattern.as_ptr() as usize, pattern.len()))
            .or_insert_with(|| {
                // National numbers are ASCII digits: `\d` as 0-9 compiles to a fraction of
                // the Unicode class's automaton (compiling was a tenth of what the thread
                // reading a 20k-row import did). A pattern that needs Unicode gets it.
                let anchored = format!("^(?:{pattern})");
                let build =
                    |unicode| regex::RegexBuilder::new(&anchored).ignore_whitespace(true).unicode(unicode).build();
                build(false).or_else(|_| build(true)).ok()
            })
            .as_ref()
            .is_some_and(|re| re.is_match(text))
    })
}

/// Normal form of a web address: lowercase, without scheme, `www.` or trailing slash.
pub fn web_key(url: &str) -> String {
    let lower = url.trim().to_lowercase();
    let no_scheme = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).unwrap_or(&lower);
    let no_www = no_scheme.strip_prefix("www.").unwrap_or(no_scheme);
    no_www.trim_end_matches('/').to_string()
}

/// Whether `url` looks like a web address: a dotted host, no spaces.
pub fn is_valid_web(url: &str) -> bool {
    let key = web_key(url);
    let host = key.split('/').next().unwrap_or("");
    !key.contains(char::is_whitespace) && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
}

/// The normal forms a record is matched by (SPEC D1): its person name, its company title
/// (a lead's company or a company's own title), its phones and e-mails.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchKeys {
    /// `name_key` of the person's full name.
    pub name: Option<String>,
    /// `name_key` of the company title.
    pub company: Option<String>,
    /// Phones in E.164.
    pub phones: Vec<String>,
    /// E-mails in normal form.
    pub emails: Vec<String>,
}

impl MatchKeys {
    /// Keys of a record of `entity` from its field values (`get(key)`) and normalised comms
    /// `(kind code, normal form)`. Deals are not matched and give empty keys.
    pub fn of<'a>(
        entity: crate::domain::fields::Entity,
        get: impl Fn(&str) -> Option<&'a str>,
        comms: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> MatchKeys {
        use crate::domain::fields::Entity;
        let person = || name_key(["first_name", "middle_name", "last_name"].map(|k| get(k).unwrap_or("")));
        let (name, company) = match entity {
            Entity::Lead => (person(), name_key([get("company_title").unwrap_or("")])),
            Entity::Contact => (person(), None),
            Entity::Company => (None, name_key([get("title").unwrap_or("")])),
            Entity::Deal => return MatchKeys::default(),
        };
        let mut keys = MatchKeys { name, company, ..Default::default() };
        for (kind, normal) in comms {
            let list = match kind {
                "phone" => &mut keys.phones,
                "email" => &mut keys.emails,
                _ => continue,
            };
            if !normal.is_empty() && !list.iter().any(|x| x == normal) {
                list.push(normal.to_string());
            }
        }
        keys
    }

    /// Nothing to match by.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.company.is_none() && self.phones.is_empty() && self.emails.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every example number of every region and type in the metadata, and each with a digit
    /// more and a digit less: valid or not as `phonenumber` says.
    #[test]
    fn phone_validity_is_the_phonenumber_crates() {
        let (mut checked, mut valid) = (0, 0);
        for meta in phonenumber::metadata::DATABASE.iter() {
            let d = meta.descriptors();
            let kinds = [Some(d.general()), d.fixed_line(), d.mobile(), d.toll_free(), d.premium_rate()];
            for example in kinds.into_iter().flatten().filter_map(|k| k.example()) {
                let shorter = &example[..example.len().saturating_sub(1)];
                for national in [example.to_string(), format!("{example}7"), shorter.to_string()] {
                    let Ok(number) = phonenumber::parse(None, format!("+{} {national}", meta.country_code())) else {
                        continue;
                    };
                    let expected = phonenumber::is_valid(&number);
                    assert_eq!(
                        is_valid_phone(&number),
                        expected,
                        "+{} {national} ({})",
                        meta.country_code(),
                        meta.id()
                    );
                    checked += 1;
                    valid += usize::from(expected);
                }
            }
        }
        assert!(checked > 2000 && valid > 800 && checked - valid > 1000, "{checked} checked, {valid} valid");
    }

    #[test]
    fn names_fold_case_and_spaces() {
        assert_eq!(name_key(["  Jean ", "DUPONT"]), Some("jean dupont".into()));
        assert_eq!(name_key(["Élodie   Martin"]), Some("élodie martin".into()));
        assert_eq!(name_key(["", "  "]), None);
    }

    #[test]
    fn phones_compare_across_formats() {
        let fr = PhoneRegion::FR;
        let a = phone_key("06 12 34 56 78", fr).unwrap();
        assert_eq!(a, "+33612345678");
        assert_eq!(phone_key("+33 6 12 34 56 78", fr).unwrap(), a);
        assert_eq!(phone_key("+33 (0)6.12.34.56.78", fr).unwrap(), a);
        assert_eq!(phone_key("0033 612345678", fr).unwrap(), a);
        // Another region reads the national form differently.
        let be = PhoneRegion::parse("BE").unwrap();
        assert_ne!(phone_key("0470 12 34 56", be), phone_key("0470 12 34 56", fr));
        assert_eq!(phone_key("12", fr), None);
        assert_eq!(phone_key("call me", fr), None);
    }

    #[test]
    fn phones_as_clients_give_them() {
        let fr = PhoneRegion::FR;
        let paris = Some("+33123456789".to_string());
        assert_eq!(phone_key("01 23 45 67 89 poste 12", fr), paris);
        assert_eq!(phone_key("+33 1 23 45 67 89 ext. 12", fr), paris);
        assert_eq!(phone_key("01 23 45 67 89 x12", fr), paris);
        assert_eq!(phone_key("01 23 45 67 89 #12", fr), paris);
        assert_eq!(phone_key("01 23 45 67 89", fr), paris);
        assert_eq!(phone_key("06 12 34 56 78 (perso)", fr), Some("+33612345678".into()));
        // Possible (ten digits in +1) though 555 is no allocated area code.
        assert_eq!(phone_key("+1 (555) 123-4567", fr), Some("+15551234567".into()));
        assert_eq!(phone_key("12 34", fr), None);
        assert_eq!(phone_key("01 23 45 67 89 12 34", fr), None);
        assert_eq!(phone_key("(perso)", fr), None);
        assert_eq!(phone_key("0612345678 ask for Bob", fr), None);
        let p = phone_parts("+33 1 23 45 67 89 ext. 12 (standard)");
        assert_eq!(p, PhoneParts { number: "+33 1 23 45 67 89", extension: Some("12"), note: Some("standard") });
        assert_eq!(phone_parts("PO box 12").extension, None);
        assert_eq!(phone_parts("+1 (555) 123-4567").number, "+1 (555) 123-4567");
    }

    #[test]
    fn emails_and_webs() {
        assert_eq!(email_key("  Jean.Dupont@Example.FR "), "jean.dupont@example.fr");
        assert!(is_valid_email("a.b@c.fr"));
        assert!(!is_valid_email("a.b@c"));
        assert!(!is_valid_email("not an email"));
        assert!(!is_valid_email("x@"));
        assert_eq!(web_key("https://www.Example.com/"), "example.com");
        assert!(is_valid_web("example.com/contact"));
        assert!(!is_valid_web("no spaces.com allowed"));
        assert!(!is_valid_web("localhost"));
    }

    /// Metropolitan French mobiles: 06 0x-08x (06 9x and 06 3x are partly overseas or
    /// unassigned) and 07 3x-07 9x.
    fn french_mobile() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec![
                "60", "61", "62", "64", "65", "66", "67", "68", "73", "74", "75", "76", "77", "78", "79",
            ]),
            0u32..10_000_000,
        )
            .prop_map(|(p, n)| format!("{p}{n:07}"))
    }

    proptest! {
        #[test]
        fn phone_key_ignores_formatting(digits in french_mobile(), style in 0usize..5) {
            let d = &digits;
            let rest = &d[1..];
            let pairs: Vec<&str> = (0..rest.len()).step_by(2).map(|i| &rest[i..i + 2]).collect();
            let written = match style {
                0 => format!("0{d}"),
                1 => format!("+33 {d}"),
                2 => format!("0{} {}", &d[..1], pairs.join(" ")),
                3 => format!("+33 (0){}", d),
                _ => format!("0033{d}"),
            };
            let key = phone_key(&written, PhoneRegion::FR);
            prop_assert_eq!(key.clone(), Some(format!("+33{d}")));
            // Idempotent: the normal form normalises to itself.
            prop_assert_eq!(phone_key(&key.unwrap(), PhoneRegion::FR), Some(format!("+33{d}")));
        }

        #[test]
        fn email_key_is_idempotent(local in "[A-Za-z0-9._]{1,12}", domain in "[A-Za-z]{1,10}\\.[A-Za-z]{2,3}") {
            let e = format!("  {local}@{domain} ");
            let k = email_key(&e);
            prop_assert_eq!(email_key(&k), k.clone());
            prop_assert_eq!(email_key(&e.to_uppercase()), k);
        }

        #[test]
        fn name_key_lowercases_each_character(s in "[ a-zA-ZÉéÀàŒœİß]{0,20}") {
            let words: Vec<String> = s.split_whitespace().map(|w| w.chars().flat_map(char::to_lowercase).collect()).collect();
            prop_assert_eq!(name_key([s.as_str()]), (!words.is_empty()).then(|| words.join(" ")));
        }

        #[test]
        fn name_key_is_idempotent(s in "\\PC{0,30}") {
            if let Some(k) = name_key([s.as_str()]) {
                prop_assert_eq!(name_key([k.as_str()]), Some(k.clone()));
            }
        }
    }
}
