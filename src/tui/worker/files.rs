//! Effects that touch the file system and not the data file: Tab completion of a typed path
//! and the recent files list. Run before any store transaction: they take no lock.

use crate::tui::effect::{Effect, StoreEvent};
use std::path::{Path, PathBuf};

/// At most this many names are offered for one Tab: a folder of a hundred thousand files is
/// not listed whole.
const MOST: usize = 1000;

/// The events of a file-system effect; `None` for any other effect.
pub(super) fn run(effect: &Effect, lang: crate::i18n::Lang) -> Option<Vec<StoreEvent>> {
    match effect {
        Effect::CompletePath { typed } => {
            let home = std::env::var_os("HOME").map(PathBuf::from);
            let candidates = path_candidates(typed, home.as_deref());
            Some(vec![StoreEvent::PathCandidates { typed: typed.clone(), candidates }])
        }
        Effect::SaveRecent { to, files } => {
            // Not remembered is all a failure means: nothing to say.
            let _ = crate::config::save_recent(to, files);
            Some(vec![])
        }
        Effect::OpenUri { uri } => {
            let (message, failed) = match crate::io::open::open_detached(uri) {
                Ok(program) => (crate::io::open::opening(lang, uri, &program), false),
                Err(e) => (e.message(lang, uri), true),
            };
            Some(vec![StoreEvent::Opened { message, failed }])
        }
        _ => None,
    }
}

/// What a path typed so far may go on with, as whole paths in the form typed (`~/` kept):
/// the entries of its folder whose name starts with what follows the last `/`, folders
/// ending with `/`, sorted; hidden ones only when the name typed starts with `.`. `~` alone
/// is the home folder. A folder that cannot be read offers nothing.
pub fn path_candidates(typed: &str, home: Option<&Path>) -> Vec<String> {
    let typed = if typed == "~" { "~/" } else { typed };
    let (dir_text, prefix) = match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed),
    };
    let dir = match (dir_text.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        (Some(_), None) => return vec![],
        (None, _) if dir_text.is_empty() => PathBuf::from("."),
        (None, _) => PathBuf::from(dir_text),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else { return vec![] };
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let wanted = name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.'));
            // A link to a folder is a folder here (`metadata` follows links).
            wanted.then(|| {
                let slash = if e.path().metadata().is_ok_and(|m| m.is_dir()) { "/" } else { "" };
                format!("{dir_text}{name}{slash}")
            })
        })
        .take(MOST)
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_keep_the_form_typed_and_mark_folders() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["clients-2025.csv", "clients-2026.csv", "contacts.csv", ".hidden.csv"] {
            std::fs::write(dir.path().join(f), "a\n").unwrap();
        }
        std::fs::create_dir(dir.path().join("data")).unwrap();
        let base = format!("{}/", dir.path().display());
        assert_eq!(
            path_candidates(&format!("{base}cl"), None),
            [format!("{base}clients-2025.csv"), format!("{base}clients-2026.csv")]
        );
        assert_eq!(path_candidates(&format!("{base}d"), None), [format!("{base}data/")]);
        assert_eq!(path_candidates(&base, None).len(), 4, "no hidden file unless asked");
        assert_eq!(path_candidates(&format!("{base}."), None), [format!("{base}.hidden.csv")]);
        // `~/` is the home folder, and stays as typed.
        assert_eq!(path_candidates("~/co", Some(dir.path())), ["~/contacts.csv"]);
        assert_eq!(path_candidates("~", Some(dir.path())).len(), 4);
        assert!(path_candidates("~/co", None).is_empty());
        assert!(path_candidates("/nowhere/at/all/x", None).is_empty());
    }
}
