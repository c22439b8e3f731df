//! CSV in and out: the encoding and separator of a file made by a spreadsheet or another CRM
//! (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252 / ISO-8859-1; comma, semicolon
//! or tab), quoted fields with newlines and CRLF, and spreadsheet-safe output.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::sync::Arc;

/// A table read from a file: the header row, and where each data row starts in the file's
/// UTF-8 text. No copy of the text is held: the rows are read from the file as they are taken
/// (`rows`), so a million-row import holds 16 bytes a row here, not the whole text. A file
/// that is not UTF-8 is decoded once into an unnamed temporary file the rows are read from.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// Column names.
    pub headers: Vec<String>,
    /// The UTF-8 text the rows are read from: a file, from a byte offset (after a BOM).
    source: Option<Source>,
    /// (line where the row starts, byte offset of the row in the text) of every data row.
    starts: Vec<(u64, u64)>,
    /// Encoding used to read the file.
    pub encoding: &'static str,
    /// Separator used.
    pub separator: u8,
}

/// UTF-8 text in a file, from `base` on.
#[derive(Clone, Debug)]
struct Source {
    file: Arc<File>,
    base: u64,
}

/// Reads a `Source` from an offset on, by positional reads: readers of one file do not
/// share a cursor (`rows` may be taken twice at once).
struct At {
    file: Arc<File>,
    at: u64,
}

impl Read for At {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(&*self.file, buf, self.at)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(&*self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

impl Source {
    fn from(&self, offset: u64) -> At {
        At { file: Arc::clone(&self.file), at: self.base + offset }
    }
}

impl Table {
    /// Data rows (blank lines left out).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether the file has a header only.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The data rows from the `from`-th on, as (line, cells), each read from the file when
    /// it is taken.
    pub fn rows(&self, from: usize) -> impl Iterator<Item = (u64, Vec<String>)> + '_ {
        let starts = self.starts.get(from..).unwrap_or_default();
        let records = self.source.as_ref().filter(|_| !starts.is_empty()).map(|source| {
            // `read_table` found these very records in the same text, blank ones skipped
            // alike. The parser drops a byte-order mark at the start of its input: a line
            // ending first (a blank line, skipped) keeps a row that starts with U+FEFF as it is.
            let rest = Read::chain(&b"\n"[..], source.from(starts[0].1));
            reader(rest, self.separator).into_records().map_while(Result::ok)
        });
        starts
            .iter()
            .zip(records.into_iter().flatten().filter(|r| !blank(r.as_byte_record())))
            .map(|((line, _), r)| (*line, r.iter().map(str::to_string).collect()))
    }
}

impl Table {
    /// Calls `seen(column, cell)` for the cells of `columns` of every data row, in order: a
    /// pass over the file that makes no string of the other cells (an import's reference
    /// values are counted before its rows are made).
    pub fn scan_columns(&self, columns: &[usize], mut seen: impl FnMut(usize, &str)) {
        let Some(source) = self.source.as_ref().filter(|_| !self.starts.is_empty() && !columns.is_empty()) else {
            return;
        };
        let rest = Read::chain(&b"\n"[..], source.from(self.starts[0].1));
        let mut record = csv::ByteRecord::new();
        let mut reader = reader(rest, self.separator);
        while reader.read_byte_record(&mut record).unwrap_or(false) {
            if blank(&record) {
                continue;
            }
            for col in columns {
                if let Some(cell) = record.get(*col).and_then(|c| std::str::from_utf8(c).ok()) {
                    seen(*col, cell);
                }
            }
        }
    }
}

fn reader<R: std::io::Read>(text: R, separator: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text)
}

/// A row with nothing but spaces: skipped like a blank line.
fn blank(r: &csv::ByteRecord) -> bool {
    r.iter().all(|c| std::str::from_utf8(c).is_ok_and(|c| c.trim().is_empty()))
}

/// Why a file could not be read as a table; said in the user's language (`[csv]`).
#[derive(Debug)]
pub enum CsvError {
    /// `--encoding` names no known encoding.
    UnknownEncoding(String),
    /// `--separator` is not one character.
    BadSeparator(String),
    /// The file has no header row.
    Empty,
    /// The file could not be read.
    Io(std::io::Error),
    /// The file ends inside a quoted value: it was cut short.
    Truncated {
        /// Line where the last row starts.
        line: u64,
    },
    /// The text could not be split into fields.
    Malformed {
        /// Line of the problem.
        line: u64,
        /// What the parser said.
        message: String,
    },
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::i18n::tr;
        let text = match self {
            CsvError::UnknownEncoding(e) => tr("csv.unknown_encoding", &[("value", e)]),
            CsvError::BadSeparator(s) => tr("csv.bad_separator", &[("value", s)]),
            CsvError::Empty => tr("csv.empty", &[]),
            CsvError::Io(e) => e.to_string(),
            CsvError::Truncated { line } => tr("csv.truncated", &[("line", &line.to_string())]),
            CsvError::Malformed { line, message } => {
                tr("csv.malformed", &[("line", &line.to_string()), ("message", message)])
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for CsvError {}

impl From<std::io::Error> for CsvError {
    fn from(e: std::io::Error) -> Self {
        CsvError::Io(e)
    }
}

/// Reads `--encoding` (any WHATWG label: utf-8, utf-16le, windows-1252, latin1, iso-8859-1...).
pub fn encoding_for(label: &str) -> Result<&'static Encoding, CsvError> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| CsvError::UnknownEncoding(label.to_string()))
}

/// Reads `--separator`: `,`, `;`, `tab` or `\t`.
pub fn separator_for(text: &str) -> Result<u8, CsvError> {
    match text {
        "," => Ok(b','),
        ";" => Ok(b';'),
        "\t" | "\\t" | "tab" | "TAB" => Ok(b'\t'),
        other => Err(CsvError::BadSeparator(other.to_string())),
    }
}

/// Decodes a file: a BOM wins, then the given encoding, then UTF-8 if the bytes are valid
/// UTF-8, else Windows-1252 (a superset of ISO-8859-1's printable characters, which is what
/// spreadsheets on Windows write). Undecodable bytes become U+FFFD; nothing panics.
pub fn decode(bytes: &[u8], given: Option<&'static Encoding>) -> (String, &'static Encoding) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc);
    }
    let enc = match given {
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None if looks_utf16(bytes).is_some() => looks_utf16(bytes).unwrap_or(UTF_16LE),
        None => WINDOWS_1252,
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc)
}

/// `decode`, taking the bytes: valid UTF-8 without a BOM (most files) becomes the text
/// without a copy, so a large file is held once, not twice, while it is imported.
pub fn decode_owned(bytes: Vec<u8>, given: Option<&'static Encoding>) -> (String, &'static Encoding) {
    let plain_utf8 = Encoding::for_bom(&bytes).is_none() && given.is_none_or(|e| e == UTF_8);
    if plain_utf8 {
        match String::from_utf8(bytes) {
            Ok(text) => return (text, UTF_8),
            Err(e) => return decode(e.as_bytes(), given),
        }
    }
    decode(&bytes, given)
}

/// UTF-16 without a BOM: every other byte of ASCII text is zero.
fn looks_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(400) & !1];
    let zeros_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let zeros_odd = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let half = sample.len() / 2;
    if zeros_odd * 10 > half * 9 {
        Some(UTF_16LE)
    } else if zeros_even * 10 > half * 9 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The separator of a text: among `,` `;` and tab, the one found most often outside quotes
/// in the first lines, preferring one that gives every line the same count.
pub fn sniff_separator(text: &str) -> u8 {
    sniff_lines(&logical_lines(text.bytes(), 10))
}

fn sniff_lines(lines: &[Vec<u8>]) -> u8 {
    let mut best = (b',', 0usize, false);
    for sep in [b';', b'\t', b','] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, sep)).collect();
        let Some(first) = counts.first().copied() else { continue };
        let steady = counts.iter().all(|c| *c == first);
        let better = (steady && first > 0 && !best.2) || (steady == best.2 && first > best.1);
        if first > 0 && better {
            best = (sep, first, steady);
        }
    }
    best.0
}

/// Up to `n` lines of UTF-8 text, joining lines inside quoted fields. Bytes, not characters:
/// a quote and a line end are ASCII, never part of another character's bytes.
fn logical_lines(text: impl IntoIterator<Item = u8>, n: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut quoted = false;
    for b in text {
        match b {
            b'"' => {
                quoted = !quoted;
                current.push(b);
            }
            b'\n' if !quoted => {
                out.push(std::mem::take(&mut current));
                if out.len() == n {
                    return out;
                }
            }
            _ => current.push(b),
        }
    }
    if !String::from_utf8_lossy(&current).trim().is_empty() {
        out.push(current);
    }
    out
}

fn count_outside_quotes(line: &[u8], sep: u8) -> usize {
    let mut quoted = false;
    line.iter()
        .filter(|b| {
            if **b == b'"' {
                quoted = !quoted;
            }
            !quoted && **b == sep
        })
        .count()
}

/// Splits a decoded text into a table: the header, and where each row starts. Every row is
/// read once here, so a malformed file is refused before anything is imported. Rows keep
/// their own number of cells (a row with the wrong count is the caller's to refuse, with its
/// line); blank lines are skipped. The text is put in an unnamed temporary file.
pub fn read_table(text: &str, separator: Option<u8>) -> Result<Table, CsvError> {
    let mut file = tempfile::tempfile()?;
    file.write_all(text.as_bytes())?;
    table_of(Source { file: Arc::new(file), base: 0 }, separator)
}

/// A reader that notes where each line end (`\r`, `\n`) it passes on is, until taken.
struct Marked<R> {
    inner: R,
    at: u64,
    ends: std::rc::Rc<std::cell::RefCell<VecDeque<(u64, bool)>>>,
}

impl<R: Read> Read for Marked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut ends = self.ends.borrow_mut();
        for (i, b) in buf[..n].iter().enumerate() {
            if matches!(b, b'\r' | b'\n') {
                ends.push_back((self.at + i as u64, *b == b'\n'));
            }
        }
        self.at += n as u64;
        Ok(n)
    }
}

fn table_of(source: Source, separator: Option<u8>) -> Result<Table, CsvError> {
    let sep = match separator {
        Some(sep) => sep,
        None => {
            let bytes = std::io::BufReader::new(source.from(0)).bytes().map_while(Result::ok);
            sniff_lines(&logical_lines(bytes, 10))
        }
    };
    let ends = std::rc::Rc::default();
    let mut reader = reader(Marked { inner: source.from(0), at: 0, ends: std::rc::Rc::clone(&ends) }, sep);
    let mut record = csv::StringRecord::new();
    let headers: Vec<String> = loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Err(CsvError::Empty),
            Err(e) => return Err(malformed(&e)),
            Ok(true) if blank(record.as_byte_record()) => continue,
            Ok(true) => break record.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_string()).collect(),
        }
    };
    // Line numbers as an editor shows them, counted from the byte offsets (the parser's own
    // count does not match what a person sees with quoted newlines and CRLF): the line ends
    // the reader passed on before a row's start, taken as the rows come.
    let mut line = 1u64;
    let mut starts = Vec::new();
    // Bytes, not strings: the text is valid UTF-8 already, and checking every cell of every
    // row again was a fifth of this pass, which a bulk import waits for before its first row.
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(|e| malformed(&e))? {
        let at = record.position().map(|p| p.byte()).unwrap_or(0);
        let kept = !blank(&record);
        // The parser's offset can sit on the line end before the record: step over it.
        let mut start = at;
        let mut ends = ends.borrow_mut();
        while let Some(&(pos, newline)) = ends.front() {
            if pos >= at {
                if !kept || pos != start {
                    break;
                }
                start += 1;
            }
            line += u64::from(newline);
            ends.pop_front();
        }
        if kept {
            starts.push((line, at));
        }
    }
    drop(reader);
    if let Some((line, at)) = starts.last()
        && cut_in_a_quote(source.from(*at))
    {
        return Err(CsvError::Truncated { line: *line });
    }
    Ok(Table { headers, source: Some(source), starts, encoding: "", separator: sep })
}

/// Whether the last row (its text to the end of the file) opens a quote it never closes
/// and runs over several lines: a file cut short inside a quoted value, which the parser
/// would take as one last value holding the rest of the file. (A lone `"` in an unquoted
/// value on one line, `5" screen`, is not.)
fn cut_in_a_quote(text: impl Read) -> bool {
    let mut quotes = 0u64;
    let mut breaks = 0u64;
    let mut last_break = false;
    for b in std::io::BufReader::new(text).bytes().map_while(Result::ok) {
        match b {
            b'"' => quotes += 1,
            b'\n' => breaks += 1,
            _ => {}
        }
        last_break = b == b'\n' || (b == b'\r' && last_break);
    }
    // The row's own line end does not count.
    let inner = breaks.saturating_sub(u64::from(last_break));
    quotes % 2 == 1 && inner > 0
}

fn malformed(e: &csv::Error) -> CsvError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    CsvError::Malformed { line, message: e.to_string() }
}

/// Reads a whole file's bytes into a table (put in an unnamed temporary file: `parse_file`).
pub fn parse(bytes: &[u8], encoding: Option<&'static Encoding>, separator: Option<u8>) -> Result<Table, CsvError> {
    let mut file = tempfile::tempfile()?;
    file.write_all(bytes)?;
    file.rewind()?;
    parse_file(file, encoding, separator)
}

/// Reads a file into a table without holding its text (`decode` on a stream): a BOM wins,
/// then the given encoding, then UTF-8 if the bytes are valid UTF-8, else UTF-16 without a
/// BOM or Windows-1252. Valid UTF-8 is read from the file itself; anything else is decoded
/// once into an unnamed temporary file.
pub fn parse_file(file: File, given: Option<&'static Encoding>, separator: Option<u8>) -> Result<Table, CsvError> {
    let file = Arc::new(file);
    let mut head = Vec::with_capacity(400);
    Read::take(At { file: Arc::clone(&file), at: 0 }, 400).read_to_end(&mut head)?;
    let (enc, bom, valid) = match Encoding::for_bom(&head) {
        Some((enc, bom)) => (enc, bom as u64, None),
        None => match given {
            Some(enc) => (enc, 0, None),
            None if valid_utf8(&file, 0)? => (UTF_8, 0, Some(true)),
            None => (looks_utf16(&head).unwrap_or(WINDOWS_1252), 0, None),
        },
    };
    let valid = match valid {
        Some(v) => v,
        None => enc == UTF_8 && valid_utf8(&file, bom)?,
    };
    let source = if valid {
        Source { file, base: bom }
    } else {
        Source { file: Arc::new(transcode(&file, bom, enc)?), base: 0 }
    };
    let mut table = table_of(source, separator)?;
    table.encoding = enc.name();
    Ok(table)
}

/// Whether a file's bytes from `from` on are valid UTF-8, read a block at a time.
fn valid_utf8(file: &Arc<File>, from: u64) -> std::io::Result<bool> {
    let mut input = At { file: Arc::clone(file), at: from };
    let mut buf = vec![0u8; 1 << 16];
    let mut kept = 0;
    loop {
        let n = input.read(&mut buf[kept..])?;
        if n == 0 {
            return Ok(kept == 0);
        }
        let end = kept + n;
        match std::str::from_utf8(&buf[..end]) {
            Ok(_) => kept = 0,
            // A character cut by the end of the block: kept for the next one.
            Err(e) if e.error_len().is_none() => {
                buf.copy_within(e.valid_up_to()..end, 0);
                kept = end - e.valid_up_to();
            }
            Err(_) => return Ok(false),
        }
    }
}

/// A file's bytes from `from` on decoded as `enc` into an unnamed temporary file, as UTF-8
/// (undecodable bytes become U+FFFD, as with `decode`).
fn transcode(file: &Arc<File>, from: u64, enc: &'static Encoding) -> std::io::Result<File> {
    let mut input = At { file: Arc::clone(file), at: from };
    let mut out = std::io::BufWriter::new(tempfile::tempfile()?);
    let mut decoder = enc.new_decoder_without_bom_handling();
    let (mut src, mut dst) = (vec![0u8; 1 << 16], vec![0u8; 1 << 17]);
    loop {
        let n = input.read(&mut src)?;
        let last = n == 0;
        let mut rest = &src[..n];
        loop {
            let (result, read, written, _) = decoder.decode_to_utf8(rest, &mut dst, last);
            out.write_all(&dst[..written])?;
            rest = &rest[read..];
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
        if last {
            return out.into_inner().map_err(|e| e.into_error());
        }
    }
}

/// A cell a spreadsheet will not run as a formula: values starting with `=`, `+`, `-`, `@`,
/// tab or CR get a leading `'` (OWASP's advice; `domain::import::unneutralize` takes it
/// back on import). Plain numbers such as `-12.50` stay as they are.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    // A cell that already starts with `'` before one of those gets a second one, so that
    // taking one off on import gives it back unchanged.
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
        || cell.starts_with('\'') && cell.trim_start_matches('\'').starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.parse::<f64>().is_ok() && !cell.starts_with('+');
    if risky && !number { std::borrow::Cow::Owned(format!("'{cell}")) } else { std::borrow::Cow::Borrowed(cell) }
}

/// Writes rows as CSV (comma, LF, UTF-8), every cell neutralised; rows may be shorter than
/// the header (a refused row is written back as it was).
pub fn write_table(headers: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    w.write_record(headers.iter().map(|h| neutralize(h).into_owned()))?;
    for r in rows {
        w.write_record(r.iter().map(|c| neutralize(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests;
