//! What vCard and iCalendar files share on the way in: recognising them by their content
//! (whatever the extension), reading them whole within a size limit, the line each card or
//! event starts on, and the structural faults that refuse a whole file before anything is
//! written. The parsing itself is the `calcard` crate's.

use crate::i18n::tr;
use calcard::Entry;
use std::io::Read;
use std::path::Path;

/// The largest vCard or iCalendar file read: it is read whole (a CSV is read as it goes).
pub const MAX_BYTES: u64 = 100 * 1024 * 1024;

/// Most properties one card or event may hold: a card of 10,000 telephones is not a person.
pub const MAX_PROPERTIES: usize = 1_000;

/// What a file to import holds, by its first non-blank line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `BEGIN:VCARD`: contacts.
    VCard,
    /// `BEGIN:VCALENDAR`: activities.
    ICalendar,
    /// Anything else: a CSV table.
    Csv,
}

/// The format of a file from its first bytes (a UTF-8 or UTF-16 byte order mark, blank
/// lines and spaces before the first line are passed over; case does not matter).
pub fn detect(head: &[u8]) -> Format {
    let (text, _) = crate::io::csv::decode(head, None);
    let first = text.trim_start_matches('\u{feff}').lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let first = first.to_ascii_uppercase();
    let first = first.trim_start_matches('\u{feff}');
    if first == "BEGIN:VCARD" {
        Format::VCard
    } else if first == "BEGIN:VCALENDAR" {
        Format::ICalendar
    } else {
        Format::Csv
    }
}

/// The format of the file at `path`, from its first 4 KB.
pub fn detect_file(path: &Path) -> std::io::Result<Format> {
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)?.take(4096).read_to_end(&mut head)?;
    Ok(detect(&head))
}

/// The whole text of a card or calendar file, decoded in `encoding` when given, else as the
/// CSV import decodes (UTF-8, UTF-16 with its mark, else Windows-1252), or why it cannot be
/// read, localised.
pub fn read_text(path: &Path, encoding: Option<&'static encoding_rs::Encoding>) -> Result<String, String> {
    let shown = path.display().to_string();
    let cannot = |e: std::io::Error| tr("cards.cannot_read", &[("path", &shown), ("error", &e.to_string())]);
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > MAX_BYTES {
        let mb = |n: u64| (n / (1024 * 1024)).to_string();
        return Err(tr("cards.too_big", &[("path", &shown), ("size", &mb(size)), ("max", &mb(MAX_BYTES))]));
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    Ok(crate::io::csv::decode_owned(bytes, encoding).0)
}

/// The lines (1 = first) where each `BEGIN:<name>` of `names` starts a component, in the
/// file's order: the n-th card or event `calcard` gives is the n-th of these (a folded line
/// goes on with a space, so a component's `BEGIN` always starts a line).
pub(crate) fn begin_lines(text: &str, names: &[&str]) -> Vec<u64> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_end().trim_start_matches('\u{feff}').as_bytes();
            l.len() > 6
                && l[..6].eq_ignore_ascii_case(b"BEGIN:")
                && names.iter().any(|n| l[6..].eq_ignore_ascii_case(n.as_bytes()))
        })
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

/// The innermost component begun and never ended (`VCARD` of a file cut short in its last
/// card), from the BEGIN and END lines: the parser takes a card cut short at the end of the
/// file for a whole one.
pub(crate) fn unclosed(text: &str) -> Option<String> {
    let mut open: Vec<String> = Vec::new();
    for l in text.lines() {
        let l = l.trim_end().trim_start_matches('\u{feff}');
        let b = l.as_bytes();
        if b.len() > 6 && b[..6].eq_ignore_ascii_case(b"BEGIN:") {
            open.push(l[6..].to_ascii_uppercase());
        } else if b.len() > 4 && b[..4].eq_ignore_ascii_case(b"END:") {
            let name = l[4..].to_ascii_uppercase();
            if let Some(at) = open.iter().rposition(|o| *o == name) {
                open.truncate(at);
            }
        }
    }
    open.pop()
}

/// The line of the first line that starts with `needle`, else of the first place it appears
/// (1 when it cannot be found).
fn line_of(text: &str, needle: &str) -> u64 {
    if needle.is_empty() {
        return 1;
    }
    let at = if text.starts_with(needle) {
        Some(0)
    } else {
        text.find(&format!("\n{needle}")).map(|at| at + 1).or_else(|| text.find(needle))
    };
    at.map(|at| text[..at].matches('\n').count() as u64 + 1).unwrap_or(1)
}

/// The fault that makes a whole file unreadable, said with its line: text outside any card
/// or calendar, a component begun and never ended (a file cut short), an end that closes
/// another one, too deep a nesting; `what` is the file's own kind (`VCARD`, `VCALENDAR`),
/// anything else found at the top is out of place.
pub(crate) fn fault(text: &str, entry: Entry, what: &str) -> String {
    match entry {
        Entry::InvalidLine(l) => {
            let shown: String = crate::domain::text::shown_line(l.trim()).chars().take(60).collect();
            tr("cards.invalid_line", &[("line", &line_of(text, l.trim()).to_string()), ("text", &shown)])
        }
        Entry::UnterminatedComponent(c) => tr("cards.unterminated", &[("component", &c.to_uppercase())]),
        Entry::UnexpectedComponentEnd { expected, found } => tr(
            "cards.unexpected_end",
            &[("expected", &expected.as_str().to_uppercase()), ("found", &found.as_str().to_uppercase())],
        ),
        Entry::TooManyComponents => tr("cards.too_many_components", &[]),
        Entry::VCard(_) => tr("cards.out_of_place", &[("found", "VCARD"), ("what", what)]),
        Entry::ICalendar(_) => tr("cards.out_of_place", &[("found", "VCALENDAR"), ("what", what)]),
        _ => tr("cards.unterminated", &[("component", what)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_read_from_the_first_line() {
        assert_eq!(detect(b"BEGIN:VCARD\r\nVERSION:3.0\r\n"), Format::VCard);
        assert_eq!(detect(b"\xef\xbb\xbf\r\n  begin:vcalendar\n"), Format::ICalendar);
        assert_eq!(detect(b"\n\nBEGIN:VCARD"), Format::VCard);
        assert_eq!(detect(b"first name,BEGIN:VCARD\n"), Format::Csv);
        assert_eq!(detect(b""), Format::Csv);
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("BEGIN:VCARD\r\n".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(detect(&utf16), Format::VCard);
    }

    #[test]
    fn a_component_cut_short_is_found() {
        assert_eq!(unclosed("BEGIN:VCARD\nFN:x\nEND:VCARD\nBEGIN:VCARD\nFN:y\n").as_deref(), Some("VCARD"));
        assert_eq!(unclosed("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VEVENT\nBEGIN:VTODO\n").as_deref(), Some("VTODO"));
        assert_eq!(unclosed("begin:vcard\r\nend:VCARD\r\n"), None);
        assert_eq!(unclosed("BEGIN:VCARDé\nEND:VCARDé\nBEGIN:\nEND:\n"), None);
    }

    #[test]
    fn a_stray_line_is_found_where_it_starts_a_line() {
        assert_eq!(line_of("NOTE:junk here\nEND:VCARD\njunk\n", "junk"), 3);
        assert_eq!(line_of("junk\n", "junk"), 1);
        assert_eq!(line_of("a\nb", "zz"), 1);
    }

    #[test]
    fn components_begin_where_their_line_says() {
        let text =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\n BEGIN:VTODO\nEND:VEVENT\nbegin:vtodo\nEND:VTODO\nFN:Zoë\n";
        assert_eq!(begin_lines(text, &["VEVENT", "VTODO"]), vec![2, 6]);
    }
}
