//! Text as it may be stored and shown: control characters and bidi overrides out of what is
//! typed, and made visible in what older files already hold.
//!
//! A title holding `ESC ] 0 ; … BEL` renames the terminal of whoever lists it, and a NUL hides
//! the rest of a value from search; bidi overrides (U+202A–U+202E, U+2066–U+2069) make a value
//! read differently from what it is. Every typed value goes through `clean_line` or
//! `clean_multiline` on its way in (`fields::parse_value`, `comm::Comm::new`, comments,
//! activities, e-mail intake), and every stored value through `shown` on its way out (CLI text
//! output, TUI drawing). The left-to-right and right-to-left marks (U+200E, U+200F) are kept:
//! they reorder nothing beyond their own neighbours and names in Hebrew or Arabic use them.

use std::borrow::Cow;

/// Whether `c` is an explicit bidi embedding, override or isolate (U+202A–U+202E,
/// U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` never belongs in stored text: C0 controls (tab and newline aside, which the
/// callers decide about), DEL, C1 controls and bidi controls.
fn is_unwanted(c: char) -> bool {
    // A byte-order mark inside a value (files joined together) is never meant.
    c.is_control() || is_bidi_control(c) || c == '\u{feff}'
}

/// A single-line value (a title, a name, a phone): tabs and line breaks become a space, other
/// control characters and bidi controls are removed. Borrowed when nothing changes.
pub fn clean_line(text: &str) -> Cow<'_, str> {
    clean(text, false)
}

/// A multi-line value (comments, a description, an address): newlines and tabs are kept
/// (`\r\n` and a lone `\r` become `\n`), other control characters and bidi controls are
/// removed. Borrowed when nothing changes.
pub fn clean_multiline(text: &str) -> Cow<'_, str> {
    clean(text, true)
}

/// `clean_line` and `clean_multiline`: one pass, the line breaks and tabs kept or made spaces.
fn clean(text: &str, multiline: bool) -> Cow<'_, str> {
    let kept = |c: char| multiline && (c == '\n' || c == '\t');
    if !text.chars().any(|c| is_unwanted(c) && !kept(c)) {
        return Cow::Borrowed(text);
    }
    let (line_break, tab) = if multiline { ('\n', '\t') } else { (' ', ' ') };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A Windows line break is one break.
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push(line_break),
            '\t' => out.push(tab),
            c if is_unwanted(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Stored text made safe to print or draw: C0 controls other than newline and tab become
/// their visible pictures (`ESC` → `␛`, `NUL` → `␀`, DEL → `␡`), C1 and bidi controls
/// their code (`<U+009B>`, `<U+202E>`). What older files hold (written before cleaning, or by
/// another program) can then never drive the terminal. Borrowed when nothing changes.
pub fn shown(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && c != '\t' && is_unwanted(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            '\u{0}'..='\u{1F}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')),
            '\u{7F}' => out.push('\u{2421}'),
            c if is_unwanted(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `shown` on one line: newlines and tabs too become pictures (`␊`, `␉`), for cells and
/// lines of a table or a screen that a break would tear.
pub fn shown_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unwanted) {
        return Cow::Borrowed(text);
    }
    let shown = shown(text);
    if !shown.contains(['\n', '\t']) {
        return shown;
    }
    Cow::Owned(shown.replace('\n', "\u{240A}").replace('\t', "\u{2409}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hostile_titles_lose_their_controls() {
        assert_eq!(clean_line("Hello\u{1b}]0;PWNED\u{7}\u{1b}[2J"), "Hello]0;PWNED[2J");
        assert_eq!(clean_line("Quote\u{0}hidden"), "Quotehidden");
        assert_eq!(clean_line("a\tb\r\nc\nd"), "a b c d");
        assert_eq!(clean_line("evil\u{202E}txt.exe\u{2066}"), "eviltxt.exe");
        assert_eq!(clean_line("x\u{9b}31m"), "x31m");
        assert!(matches!(clean_line("Élodie \u{200F}שלום"), Cow::Borrowed(_)));
    }

    #[test]
    fn multi_line_text_keeps_its_lines_and_tabs() {
        assert_eq!(clean_multiline("a\r\nb\rc\n\td\u{7}"), "a\nb\nc\n\td");
        assert!(matches!(clean_multiline("line 1\nline 2"), Cow::Borrowed(_)));
    }

    #[test]
    fn stored_controls_are_shown_as_pictures() {
        assert_eq!(shown("Hello\u{1b}]0;PWNED\u{7}"), "Hello␛]0;PWNED␇");
        assert_eq!(shown("a\u{0}b\u{7f}\u{9b}\u{202E}"), "a␀b␡<U+009B><U+202E>");
        assert_eq!(shown("a\nb"), "a\nb");
        assert_eq!(shown_line("a\nb\tc\u{1b}"), "a␊b␉c␛");
        assert_eq!(shown_line("a\nb"), "a\nb".replace('\n', "␊"));
        assert!(matches!(shown_line("plain"), Cow::Borrowed(_)));
    }

    proptest! {
        #[test]
        fn cleaned_text_has_no_controls(s in "\\PC*|[\\x00-\\x{3000}]{0,40}") {
            let line = clean_line(&s);
            prop_assert!(!line.chars().any(is_unwanted));
            let multi = clean_multiline(&s);
            prop_assert!(!multi.chars().any(|c| c != '\n' && c != '\t' && is_unwanted(c)));
            prop_assert_eq!(clean_line(&line), line.clone());
            prop_assert!(!shown_line(&s).chars().any(is_unwanted));
            prop_assert!(!shown(&s).chars().any(|c| c != '\n' && c != '\t' && is_unwanted(c)));
        }
    }
}
