//! Lost reasons (issue 29): the list a failure stage offers, kept by an administrator in
//! English and French. A loss keeps its reason as text: the list's English name when one of
//! its entries was meant (typed in either language, case and spaces aside), else the words
//! typed, so free text stays allowed and "Prix" and "Price" are counted as one.

use crate::domain::{FieldError, Problem};
use crate::i18n::Lang;
use serde::Serialize;

/// One reason of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LostReason {
    /// Id.
    pub id: i64,
    /// Its name (English): what a loss keeps.
    pub name: String,
    /// Its French name, if given.
    pub name_fr: Option<String>,
}

fn key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl LostReason {
    /// Its name in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        match (lang, &self.name_fr) {
            (Lang::Fr, Some(fr)) if !fr.trim().is_empty() => fr,
            _ => &self.name,
        }
    }

    /// Whether `text` names it, in either language, case and spaces aside.
    pub fn is_named(&self, text: &str) -> bool {
        let k = key(text);
        key(&self.name) == k || self.name_fr.as_deref().is_some_and(|fr| key(fr) == k)
    }
}

/// What a loss keeps for the reason `text`: the entry's name when it names one, else the
/// text itself (trimmed, spaces collapsed); `None` for no reason.
pub fn kept(list: &[LostReason], text: Option<&str>) -> Option<String> {
    let text = text.map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty())?;
    Some(list.iter().find(|r| r.is_named(&text)).map_or(text, |r| r.name.clone()))
}

/// A kept reason as `lang` shows it: the entry's name in that language, or the text.
pub fn shown(list: &[LostReason], kept: &str, lang: Lang) -> String {
    list.iter().find(|r| r.is_named(kept)).map_or_else(|| kept.to_string(), |r| r.label(lang).to_string())
}

/// What a typed answer to "why lost?" means: `3` is the list's third entry (1-based), any
/// other text is itself.
pub fn answer(list: &[LostReason], typed: &str, lang: Lang) -> String {
    match typed.trim().parse::<usize>() {
        Ok(n) if n >= 1 && n <= list.len() => list[n - 1].label(lang).to_string(),
        _ => typed.trim().to_string(),
    }
}

/// A new entry's names checked: a name (80 characters at most), not already in the list in
/// either language.
pub fn check_new(
    list: &[LostReason],
    name: &str,
    name_fr: Option<&str>,
) -> Result<(String, Option<String>), FieldError> {
    let clean = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = clean(name);
    let name_fr = name_fr.map(clean).filter(|t| !t.is_empty());
    if name.is_empty() {
        return Err(FieldError::new("name", Problem::Required));
    }
    for (field, text) in [("name", Some(&name)), ("name_fr", name_fr.as_ref())] {
        let Some(text) = text else { continue };
        if text.chars().count() > 80 {
            return Err(FieldError::new(field, Problem::TooLong { max: 80 }));
        }
        if let Some(r) = list.iter().find(|r| r.is_named(text)) {
            return Err(FieldError::new(field, Problem::refused("lost_reason_exists", &[("name", &r.name)])));
        }
    }
    Ok((name, name_fr))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> Vec<LostReason> {
        vec![
            LostReason { id: 1, name: "Price".into(), name_fr: Some("Prix".into()) },
            LostReason { id: 2, name: "No budget".into(), name_fr: None },
        ]
    }

    #[test]
    fn a_reason_named_in_either_language_is_kept_by_its_english_name() {
        assert_eq!(kept(&list(), Some(" prix ")).as_deref(), Some("Price"));
        assert_eq!(kept(&list(), Some("no  BUDGET")).as_deref(), Some("No budget"));
        assert_eq!(kept(&list(), Some("Délai trop court")).as_deref(), Some("Délai trop court"));
        assert_eq!(kept(&list(), Some("  ")), None);
        assert_eq!(shown(&list(), "Price", Lang::Fr), "Prix");
        assert_eq!(shown(&list(), "No budget", Lang::Fr), "No budget");
        assert_eq!(answer(&list(), "2", Lang::En), "No budget");
        assert_eq!(answer(&list(), "3", Lang::En), "3");
        assert!(check_new(&list(), "PRIX", None).is_err());
        assert!(check_new(&list(), "Timing", Some("price")).is_err());
        assert_eq!(check_new(&list(), " Timing ", Some("Délai")).unwrap(), ("Timing".into(), Some("Délai".into())));
    }
}
