//! How well a search matches a record's names (SPEC: search ranks exact and prefix matches of
//! names first). Words are compared as the search index compares them: case- and
//! accent-insensitive (`Zoë`, `ZOE` and `zoe` are one word), split at anything that is not
//! a letter or a digit. The one rule: every engine ranks its matches with it.

/// How a search matches a record's names, best first. A record's names are its person's
/// full name, its title, its company's title: each one on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameMatch {
    /// The words typed are one of the names, word for word (`Zoë` for a contact named Zoë,
    /// `acme corp` for the company "ACME Corp.").
    Exact,
    /// Every word typed is a whole word of one name (`zoe` for "Zoë Curie").
    Words,
    /// Every word typed begins a word of one name (`zo cu` for "Zoë Curie").
    Prefix,
    /// The record matched by something else (an e-mail, a phone, a position).
    Other,
}

/// The words of `text` as search compares them: lowercased, without accents.
pub fn words(text: &str) -> Vec<String> {
    split(text).map(|w| folded(w).collect()).collect()
}

/// The words of `text`, as typed.
fn split(text: &str) -> impl Iterator<Item = &str> + Clone {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// A word lowercased and without accents, a character at a time (search runs this on the
/// names of hundreds of records a keystroke: nothing is allocated).
fn folded(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars().flat_map(char::to_lowercase).map(nucleo_matcher::chars::normalize)
}

/// Whether `word`, folded, is `q` (a word of `words`).
fn same(word: &str, q: &str) -> bool {
    folded(word).eq(q.chars())
}

/// Whether `word`, folded, begins with `q`.
fn begins(word: &str, q: &str) -> bool {
    let mut w = folded(word);
    q.chars().all(|c| w.next() == Some(c))
}

/// How the words typed (`words(query)`) match a record's `names` (each a full name, a title;
/// `None` and empty ones are skipped).
pub fn name_match<'a>(query: &[String], names: impl IntoIterator<Item = Option<&'a str>>) -> NameMatch {
    if query.is_empty() {
        return NameMatch::Other;
    }
    let mut best = NameMatch::Other;
    for name in names.into_iter().flatten() {
        let name = split(name);
        let each = |hit: fn(&str, &str) -> bool| query.iter().all(|q| name.clone().any(|w| hit(w, q)));
        let this = if name.clone().count() == query.len() && name.clone().zip(query).all(|(w, q)| same(w, q)) {
            NameMatch::Exact
        } else if each(same) {
            NameMatch::Words
        } else if each(begins) {
            NameMatch::Prefix
        } else {
            NameMatch::Other
        };
        best = best.min(this);
        if best == NameMatch::Exact {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(query: &str, names: &[&str]) -> NameMatch {
        name_match(&words(query), names.iter().map(|n| Some(*n)))
    }

    #[test]
    fn words_ignore_case_accents_and_punctuation() {
        assert_eq!(words("Zoë  O'Brien-Éluard"), vec!["zoe", "o", "brien", "eluard"]);
        assert_eq!(words("ZOE"), words("zoë"));
        assert!(words(" -- ").is_empty());
    }

    #[test]
    fn exact_then_whole_words_then_prefixes_then_the_rest() {
        assert_eq!(of("Zoe", &["Zoë"]), NameMatch::Exact);
        assert_eq!(of("zoë curie", &["Zoë Curie"]), NameMatch::Exact);
        assert_eq!(of("acme corp", &["Devis", "ACME Corp."]), NameMatch::Exact);
        assert_eq!(of("zoe", &["Zoë Curie"]), NameMatch::Words);
        assert_eq!(of("curie zoe", &["Zoë Curie"]), NameMatch::Words);
        assert_eq!(of("zo", &["Zoë Curie"]), NameMatch::Prefix);
        assert_eq!(of("zo cu", &["Zoë Curie"]), NameMatch::Prefix);
        assert_eq!(of("zoe", &["Zoey Martin"]), NameMatch::Prefix);
        // Every word must be in the same name.
        assert_eq!(of("zoe acme", &["Zoë Curie", "ACME"]), NameMatch::Other);
        assert_eq!(of("zoe", &["Martin"]), NameMatch::Other);
        assert_eq!(of("oe", &["Zoë"]), NameMatch::Other);
        assert_eq!(name_match(&words("zoe"), [None, Some(""), Some("Zoé")]), NameMatch::Exact);
        assert_eq!(name_match(&[], [Some("Zoé")]), NameMatch::Other);
    }

    #[test]
    fn the_better_match_of_two_names_counts() {
        assert_eq!(of("zoe", &["Zoey Martin", "Zoé"]), NameMatch::Exact);
        assert_eq!(of("mart", &["Martin", "Mart"]), NameMatch::Exact);
    }
}
