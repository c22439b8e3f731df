//! Tests of the CSV reader and writer: encodings, separators, quoting, offsets, fuzz.

use super::*;
use proptest::prelude::*;

#[test]
fn encodings_are_recognised() {
    let text = "Prénom;Nom\nHélène;Müller\n";
    let (s, e) = decode(text.as_bytes(), None);
    assert_eq!((s.as_str(), e.name()), (text, "UTF-8"));
    assert_eq!(decode_owned(text.as_bytes().to_vec(), None), (s.clone(), e));
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    assert_eq!(decode(&bom, None).0, text);
    let (latin, _, _) = WINDOWS_1252.encode(text);
    let (s, e) = decode(&latin, None);
    assert_eq!(decode_owned(latin.to_vec(), None), (s.clone(), e));
    assert_eq!((s.as_str(), e.name()), (text, "windows-1252"));
    let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let (s, e) = decode(&utf16, None);
    assert_eq!((s.as_str(), e.name()), (text, "UTF-16LE"));
    assert!(encoding_for("latin1").is_ok());
    assert!(encoding_for("klingon").is_err());
}

#[test]
fn separators_are_sniffed_outside_quotes() {
    assert_eq!(sniff_separator("a;b;c\n1;2;3\n"), b';');
    assert_eq!(sniff_separator("a,b,c\n1,2,3\n"), b',');
    assert_eq!(sniff_separator("a\tb\n1\t2\n"), b'\t');
    // Commas inside quoted fields do not count.
    assert_eq!(sniff_separator("name;note\n\"Dupont, Jean\";\"a, b, c\"\n"), b';');
    // Decimal commas in a semicolon file.
    assert_eq!(sniff_separator("titre;montant\nA;1,5\nB;2,5\n"), b';');
}

#[test]
fn quoted_newlines_crlf_and_blank_lines() {
    let t = read_table("a,b\r\n\"x\r\ny\",2\r\n\r\n3,4\r\n", None).unwrap();
    assert_eq!(t.headers, vec!["a", "b"]);
    let rows = vec![(2, vec!["x\r\ny".to_string(), "2".into()]), (5, vec!["3".into(), "4".into()])];
    assert_eq!(t.rows(0).collect::<Vec<_>>(), rows);
    assert_eq!(t.rows(1).collect::<Vec<_>>(), rows[1..], "from a row on");
    assert_eq!(t.rows(2).count(), 0);
    assert_eq!(t.len(), 2);
    // A row that starts with U+FEFF keeps it, read from the start or from that row on.
    let t = read_table("a,b\n\u{feff},x\n", None).unwrap();
    assert_eq!(t.rows(0).collect::<Vec<_>>(), vec![(2, vec!["\u{feff}".to_string(), "x".into()])]);
    assert!(matches!(read_table("", None), Err(CsvError::Empty)));
}

#[test]
fn a_table_reads_its_rows_from_the_file() {
    // Thousands of rows (past the reader's buffers), quoted newlines, CRLF, blank lines:
    // each row's line as counted while the text is written.
    let mut text = String::from("Prénom;Note\r\n");
    let (mut line, mut expected) = (2u64, Vec::new());
    for i in 0..5000u64 {
        if i % 7 == 0 {
            text.push_str("\r\n");
            line += 1;
        }
        let note = if i % 3 == 0 { format!("\"a;\r\nb {i}\"") } else { format!("n{i}") };
        text.push_str(&format!("Hélène {i};{note}\r\n"));
        let cell = if i % 3 == 0 { format!("a;\r\nb {i}") } else { format!("n{i}") };
        expected.push((line, vec![format!("Hélène {i}"), cell]));
        line += if i % 3 == 0 { 2 } else { 1 };
    }
    let (latin, _, _) = WINDOWS_1252.encode(&text);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let dir = tempfile::tempdir().unwrap();
    for (bytes, encoding) in
        [(text.as_bytes(), "UTF-8"), (&bom[..], "UTF-8"), (&latin[..], "windows-1252"), (&utf16[..], "UTF-16LE")]
    {
        let path = dir.path().join("rows.csv");
        std::fs::write(&path, bytes).unwrap();
        let t = parse_file(File::open(&path).unwrap(), None, None).unwrap();
        assert_eq!((t.encoding, t.separator, t.len()), (encoding, b';', expected.len()));
        assert_eq!(t.headers, vec!["Prénom", "Note"]);
        assert_eq!(t.rows(0).collect::<Vec<_>>(), expected, "{encoding}");
        for from in (0..=expected.len()).step_by(97).chain([expected.len() - 1]) {
            assert_eq!(t.rows(from).collect::<Vec<_>>(), expected[from..], "{encoding} from {from}");
        }
    }
    // No copy of the text is held: a UTF-8 file changed in place reads back changed.
    let path = dir.path().join("rows.csv");
    std::fs::write(&path, text.as_bytes()).unwrap();
    let t = parse_file(File::open(&path).unwrap(), None, None).unwrap();
    std::fs::write(&path, text.replace("Hélène 4999", "Hélène XXXX")).unwrap();
    assert_eq!(t.rows(expected.len() - 1).next().unwrap().1[0], "Hélène XXXX");
}

#[test]
fn output_is_safe_in_a_spreadsheet() {
    assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
    assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(neutralize("+33 6 12 34 56 78"), "'+33 6 12 34 56 78");
    assert_eq!(neutralize("-12.50"), "-12.50");
    assert_eq!(neutralize("\tx"), "'\tx");
    assert_eq!(neutralize("Dupont"), "Dupont");
    let out = write_table(&["a".into()], &[vec!["=1+1".into()]]).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "a\n'=1+1\n");
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse(&bytes, None, None);
        let _ = parse(&bytes, Some(UTF_16BE), Some(b'\t'));
    }

    #[test]
    fn rows_read_from_any_row_on_are_the_same(
        lines in proptest::collection::vec(proptest::collection::vec("[a \"\r\n;,é]{0,6}", 0..4), 0..8),
    ) {
        // Quoted newlines, blank lines, CRLF and rows of any width.
        let text: String = std::iter::once("h1;h2".to_string())
            .chain(lines.iter().map(|cells| cells.join(";")))
            .collect::<Vec<_>>()
            .join("\n");
        if let Ok(t) = read_table(&text, Some(b';')) {
            let all: Vec<(u64, Vec<String>)> = t.rows(0).collect();
            prop_assert_eq!(all.len(), t.len());
            for from in 0..=t.len() {
                prop_assert_eq!(t.rows(from).collect::<Vec<_>>(), all[from..].to_vec());
            }
        }
    }

    #[test]
    fn written_tables_read_back(cells in proptest::collection::vec(proptest::collection::vec("[^\u{0}]{0,12}", 3), 1..6)) {
        let headers: Vec<String> = vec!["a".into(), "b".into(), "c".into()];
        let out = write_table(&headers, &cells).unwrap();
        let t = parse(&out, None, Some(b',')).unwrap();
        let back: Vec<Vec<String>> = t.rows(0).map(|(_, r)| r.iter().map(|c| crate::domain::import::unneutralize(c).to_string()).collect()).collect();
        // Rows that are blank as written are skipped on reading, like blank lines.
        let expected: Vec<Vec<String>> =
            cells.iter().filter(|r| !r.iter().all(|c| neutralize(c).trim().is_empty())).cloned().collect();
        prop_assert_eq!(back, expected);
    }
}
