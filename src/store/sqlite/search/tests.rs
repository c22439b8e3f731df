use super::*;

#[test]
fn a_packed_entry_is_its_rowid_zero_padded_then_its_text() {
    for rowid in [0, 7, 4_000_001, i64::MAX] {
        let packed = packed_entry(rowid, "Jean Dupont");
        assert_eq!(packed, Value::Text(format!("{rowid:019}Jean Dupont")));
        assert_eq!(rowid_of_packed(&packed), rowid);
    }
}

/// A file's search table, as the migrations make it, holding `(rowid, body)` entries.
fn index_of(entries: &[(i64, &str)]) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("search.db")).unwrap();
    conn.execute_batch(
        "CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', \
         prefix = '2 3', content = '', contentless_delete = 1)",
    )
    .unwrap();
    for (rowid, body) in entries {
        conn.execute("INSERT INTO search (rowid, body) VALUES (?1, ?2)", params![rowid, body]).unwrap();
    }
    (dir, conn)
}

#[test]
fn the_newest_candidates_of_each_kind_are_read() {
    // Leads 1 to 4 (rowid = id * 4), contact 1 (rowid 5), older than leads 2 to 4.
    let (_dir, conn) = index_of(&[
        (4, "Martin"),
        (8, "Martin Dupuis"),
        (12, "Martin Dupuis Consulting Lyon"),
        (16, "Martin Dupuis Consulting Lyon Paris Rennes"),
        (5, "Martin Durand Conseil"),
    ]);
    let q = fts_query("mart").unwrap();
    assert_eq!(newest_per_kind(&conn, &q, 4).unwrap(), vec![16, 12, 8, 4, 5]);
    // Two candidates a kind: the two newest leads, and the contact all the same.
    assert_eq!(newest_per_kind(&conn, &q, 2).unwrap(), vec![16, 12, 5]);
    assert_eq!(newest_matches(&conn, &q, 3).unwrap(), vec![16, 12, 8]);
}

#[test]
fn names_first_reading_only_as_many_names_as_needed() {
    // Leads 1 to 40: "Dupont" (a name beginning with "dup") but leads 5 ("Dup", exactly)
    // and 10 ("Pierre Dup", a whole word), and leads 31 to 40 with "dup" only in an e-mail.
    let mut entries = Vec::new();
    let mut names = Vec::new();
    for id in 1..=40i64 {
        let (name, entry) = match id {
            5 => ("Dup".to_string(), "Dup".to_string()),
            10 => ("Pierre Dup".to_string(), "Pierre Dup".to_string()),
            31.. => (format!("Martin {id}"), format!("Martin {id} dup{id}@example.org")),
            _ => (format!("Dupont {id}"), format!("Dupont {id}")),
        };
        entries.push((id * 4, entry));
        names.push((id, name));
    }
    let entries: Vec<(i64, &str)> = entries.iter().map(|(r, e)| (*r, e.as_str())).collect();
    let (_dir, conn) = index_of(&entries);
    rusqlite::vtab::array::load_module(&conn).unwrap();
    conn.execute_batch(
        "CREATE TABLE leads (id INTEGER PRIMARY KEY, first_name, middle_name, last_name, title, company_title); \
         CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name, middle_name, last_name); \
         CREATE TABLE companies (id INTEGER PRIMARY KEY, title); CREATE TABLE deals (id INTEGER PRIMARY KEY, title);",
    )
    .unwrap();
    for (id, name) in &names {
        conn.execute("INSERT INTO leads (id, title) VALUES (?1, ?2)", params![id, name]).unwrap();
    }
    let q = fts_query("dup").unwrap();
    for short in [false, true] {
        let ranked = by_names(&conn, "dup", &q, short, 120, 4).unwrap();
        // Exactly, word for word, then the newest names beginning with it.
        assert_eq!(ranked[..4], [5 * 4, 10 * 4, 30 * 4, 29 * 4], "short: {short}");
        assert_eq!(ranked.len(), 40, "every match, the rest after");
        let all = by_names(&conn, "dup", &q, short, 120, 120).unwrap();
        let mut expected: Vec<i64> = vec![20, 40];
        expected.extend((1..=30).rev().filter(|id| *id != 5 && *id != 10).map(|id| id * 4));
        expected.extend((31..=40).rev().map(|id| id * 4));
        assert_eq!(all, expected, "short: {short}");
    }
}

#[test]
fn an_entry_holds_names_then_comms_and_a_phone_as_bare_digits_both_ways() {
    let text = entry_text(
        [Some("Devis"), None, Some(""), Some("Jeanne")],
        [
            (CommKind::Phone, "06 12.34-56/78", "+33612345678"),
            (CommKind::Email, "jeanne@example.fr", "jeanne@example.fr"),
            (CommKind::Web, "www.example.fr", "example.fr"),
        ],
    );
    assert_eq!(text, "Devis Jeanne 0612345678 33612345678 jeanne@example.fr www.example.fr");
    // What a person types finds it: the phone as typed, in international form, a name.
    let (_dir, conn) = index_of(&[(4, &text)]);
    for typed in ["06 12", "0612", "+33 6 12", "jean", "devis"] {
        let q = fts_query(typed).unwrap();
        assert_eq!(newest_matches(&conn, &q, 5).unwrap(), vec![4], "{typed}");
    }
}

#[test]
fn queries_from_typing() {
    assert_eq!(fts_query("06 12"), Some("\"0612\"*".into()));
    assert_eq!(fts_query("+33 6"), Some("\"336\"*".into()));
    assert_eq!(fts_query("jean dup"), Some("\"jean\"* \"dup\"*".into()));
    assert_eq!(fts_query("o'brien \"x"), Some("\"o\"* \"brien\"* \"x\"*".into()));
    assert_eq!(fts_query("  -- "), None);
}
