//! Stages, sources, users, pipelines, demo data and the data file commands.

use crate::common;
use crate::common::Env;
use serde_json::Value;

mod refs;

fn codes(v: &Value) -> Vec<String> {
    v["stages"].as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn stages_are_edited_in_order() {
    let env = Env::new();
    env.fails(1, &["stage", "list"]); // no file yet: reading does not create it
    env.json(&["user", "add", "bob"]);
    let s = env.json(&["stage", "list"]);
    assert_eq!(codes(&s), ["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"]);
    let s = env.json(&["stage", "add", "Qualifié"]);
    assert_eq!(
        codes(&s),
        ["NEW", "IN_PROCESS", "PROCESSED", "QUALIFIÉ", "CONVERTED", "JUNK"],
        "in-progress stages stay before success"
    );
    let s = env.json(&["stage", "add", "Duplicate", "--semantics", "failure", "--color", "#AA0000"]);
    assert_eq!(codes(&s).last().unwrap(), "DUPLICATE");
    assert_eq!(s["stages"][6]["color"], "#aa0000");
    let s = env.json(&["stage", "reorder", "qualifié", "2"]);
    assert_eq!(codes(&s)[1], "QUALIFIÉ");
    let s = env.json(&["stage", "rename", "QUALIFIÉ", "Qualified"]);
    assert_eq!(s["stages"][1]["name"], "Qualified");
    assert_eq!(s["stages"][1]["code"], "QUALIFIÉ");

    let lead = env.json(&["lead", "add", "--stage", "Qualified"]);
    env.json(&["lead", "add"]);
    let s = env.json(&["stage", "delete", "Qualified", "--move-to", "PROCESSED"]);
    assert!(!codes(&s).contains(&"QUALIFIÉ".to_string()));
    let moved = env.json(&["lead", "show", &lead["id"].to_string()]);
    assert_eq!(moved["stage"]["code"], "PROCESSED");
    assert_eq!(moved["timeline"][0]["kind"], "stage_moved");
    assert_eq!(moved["timeline"][0]["payload"]["reason"], "stage deleted");
    let counts: Vec<i64> = env.json(&["stage", "list"])["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [1, 0, 1, 0, 0, 0]);

    let d = env.json(&["stage", "list", "--entity", "deal"]);
    assert_eq!(codes(&d).len(), 8);
    env.json(&["pipeline", "add", "Partners"]);
    let p = env.json(&["stage", "add", "Signed NDA", "--entity", "deal", "--pipeline", "Partners", "--position", "2"]);
    assert_eq!(p["pipeline"]["name"], "Partners");
    assert_eq!(codes(&p)[1], "SIGNED_NDA");
    let deal = env.json(&["deal", "add", "--pipeline", "partners", "--stage", "Signed NDA"]);
    assert_eq!(deal["stage"]["code"], "SIGNED_NDA");
    assert_eq!(env.json(&["deal", "list", "--pipeline", "Partners"]).as_array().unwrap().len(), 1);
    assert_eq!(env.json(&["deal", "list"]).as_array().unwrap().len(), 0, "the default pipeline is General");
    env.ok(&["db", "check"]);
}

#[test]
fn sources_and_users() {
    let env = Env::new();
    let sources = env.json(&["source", "add", "LinkedIn"]);
    assert_eq!(sources.as_array().unwrap().last().unwrap()["code"], "LINKEDIN");
    env.json(&["lead", "add", "--source", "linkedin"]);
    let users = env.json(&["user", "add", "bob", "--name", "Bob Martin", "--department", "Ventes Paris"]);
    let bob = users.as_array().unwrap().iter().find(|u| u["login"] == "bob").unwrap();
    assert_eq!(bob["department"], "Ventes Paris");
    assert_eq!(bob["is_admin"], false);
    assert_eq!(bob["roles"][0], "Manager");
    let alice = users.as_array().unwrap().iter().find(|u| u["login"] == "alice").unwrap();
    assert_eq!(alice["is_admin"], true, "the first user of a file is its administrator");
    let lead = env.json(&["lead", "add", "--responsible", "Bob Martin"]);
    assert_eq!(lead["responsible"]["code"], "bob");
}

#[test]
fn demo_is_deterministic_and_consistent() {
    let a = Env::new();
    let b = Env::new();
    for env in [&a, &b] {
        let r = env.json(&["demo", "--leads", "200", "--seed", "7"]);
        assert_eq!(r["leads"], 200);
        assert_eq!(r["contacts"], 40);
        assert_eq!(r["activities"], 400);
    }
    let strip = |v: Value| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut r = r.clone();
                for k in ["created_at", "modified_at", "moved_at"] {
                    r.as_object_mut().unwrap().remove(k);
                }
                r
            })
            .collect()
    };
    assert_eq!(strip(a.json(&["lead", "list", "--limit", "200"])), strip(b.json(&["lead", "list", "--limit", "200"])));
    let leads = a.json(&["lead", "list", "--limit", "200"]);
    let stages: std::collections::BTreeSet<&str> =
        leads.as_array().unwrap().iter().map(|l| l["stage"]["code"].as_str().unwrap()).collect();
    assert_eq!(stages.len(), 5, "demo leads spread over every stage");
    assert!(!a.json(&["lead", "list", "--repeat"]).as_array().unwrap().is_empty(), "some demo leads are repeat leads");
    assert!(a.json(&["user", "list"]).as_array().unwrap().len() >= 5);
    let check = a.json(&["db", "check"]);
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(a.json(&["search", "dupont"]).as_array().map(|h| !h.is_empty()), Some(true));
}

#[test]
fn db_path_check_and_backup() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Keep me"]);
    assert_eq!(env.ok(&["db", "path"]).trim(), env.db.to_str().unwrap());
    assert!(env.ok(&["db", "check"]).contains("integrity ok"));
    let copy = env.dir.path().join("copy.db");
    env.ok(&["db", "backup", copy.to_str().unwrap()]);
    let from_copy = env.cmd_db(&copy).args(["--user", "alice", "--json", "lead", "list"]).output().unwrap();
    let rows: Value = serde_json::from_slice(&from_copy.stdout).unwrap();
    assert_eq!(rows[0]["title"], "Keep me");
    let err = env.fails(1, &["db", "backup", copy.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");

    // An existing file is opened in place, never recreated.
    env.json(&["lead", "add", "--title", "Second"]);
    assert_eq!(env.json(&["lead", "list"]).as_array().unwrap().len(), 2);

    // A damaged invariant is reported and the exit status says so: a title changed behind
    // Prospect's back, which search would not find by its new words...
    let first = env.json(&["lead", "list"])[1]["id"].as_i64().unwrap();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute("UPDATE leads SET title = 'Changed behind' WHERE id = ?1", [first]).unwrap();
    let out = env.cmd().args(["db", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains(&format!("search entries of lead #{first} differ from their records")), "{said}");
    // ... and a search index without its entries.
    conn.execute_batch("DELETE FROM search").unwrap();
    let out = env.cmd().args(["db", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().contains("search index has 0 entries for 2 records"));
    // In French too, with its counts in the singular where French says them so.
    let out = env.cmd().args(["--lang", "fr", "db", "check"]).output().unwrap();
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("l’index de recherche a 0 entrée pour 2 fiches"), "{said}");
}

#[test]
fn db_vacuum_gives_back_empty_pages_and_check_says_when_there_are_some() {
    let env = Env::new();
    env.ok(&["demo", "--leads", "5000"]);
    assert!(!env.ok(&["db", "check"]).contains("db vacuum"), "a new file has nothing to give back");
    // Deletions leave pages that hold nothing.
    rusqlite::Connection::open(&env.db).unwrap().execute_batch("DELETE FROM timeline").unwrap();
    let said = env.ok(&["db", "check"]);
    assert!(said.contains("MB of the file hold nothing") && said.contains("prospect db vacuum"), "{said}");
    let before = std::fs::metadata(&env.db).unwrap().len();
    let done = env.json(&["db", "vacuum"]);
    let after = std::fs::metadata(&env.db).unwrap().len();
    assert_eq!(done["bytes_before"], before);
    assert_eq!(done["bytes_after"], after);
    assert!(after + (1 << 20) <= before, "at least a megabyte given back: {before} -> {after}");
    let said = env.ok(&["db", "check"]);
    assert!(said.contains("integrity ok") && !said.contains("db vacuum"), "{said}");
    assert_eq!(env.json(&["lead", "list", "--limit", "5"]).as_array().unwrap().len(), 5, "the records are all there");
}

#[test]
fn no_command_prints_help() {
    let env = Env::new();
    let out = env.cmd().output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("lead") && text.contains("demo") && text.contains("--db"));
    assert!(!env.db.exists(), "printing help creates no file");
}

#[test]
fn a_version_1_file_is_upgraded_in_place_with_a_backup_first() {
    let env = Env::new();
    let lead = env.json(&["lead", "add", "--title", "From version 1"]);
    let id = lead["id"].to_string();
    env.json(&["activity", "add", "--lead", &id, "--at", "+2d"]);
    // Turn the file back into what version 1 wrote.
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch(
        "ALTER TABLE custom_fields DROP COLUMN label_fr; ALTER TABLE custom_fields DROP COLUMN link_to; ALTER TABLE custom_fields DROP COLUMN default_value; ALTER TABLE custom_fields DROP COLUMN in_list; ALTER TABLE custom_fields DROP COLUMN required_from;
         DROP TABLE document_counters; DROP TABLE documents; DROP TABLE line_items; DROP TABLE products; DROP TABLE list_views; DROP INDEX custom_values_order; ALTER TABLE custom_values DROP COLUMN sort_key; DROP TABLE deal_contacts; DROP TABLE role_grants; DROP INDEX leads_responsible_stage; DROP INDEX deals_responsible_stage;
         ALTER TABLE users DROP COLUMN db_role;
         DROP INDEX leads_responsible_next; DROP INDEX deals_responsible_next; DROP TRIGGER activities_reminder_reset; DROP INDEX activities_reminders; ALTER TABLE activities DROP COLUMN reminded_at; DROP TABLE stage_rules; DROP TRIGGER deals_forecast_insert; DROP TRIGGER deals_forecast_change; DROP TRIGGER deals_forecast_delete; DROP TABLE forecast_tallies; DROP INDEX deals_created; DROP TRIGGER leads_tally_release; DROP TRIGGER leads_tally_insert; DROP TRIGGER leads_tally_change; DROP TRIGGER leads_tally_delete; DROP TRIGGER deals_tally_insert; DROP TRIGGER deals_tally_change; DROP TRIGGER deals_tally_delete; DROP TRIGGER activities_tally_insert; DROP TRIGGER activities_tally_change; DROP TRIGGER activities_tally_delete; DROP TABLE record_tallies; DROP TABLE activity_tallies; DROP TABLE tally_units; DROP INDEX leads_stage_created; DROP TABLE stage_moves; DROP TABLE lost_reasons; DROP TRIGGER leads_closed_insert; DROP TRIGGER leads_open_insert; DROP TRIGGER leads_closed_move; DROP TRIGGER deals_closed_insert; DROP TRIGGER deals_open_insert; DROP TRIGGER deals_closed_move; DROP INDEX deals_closed; DROP INDEX leads_closed; ALTER TABLE leads DROP COLUMN closed_at; ALTER TABLE deals DROP COLUMN closed_at; ALTER TABLE stages DROP COLUMN probability; ALTER TABLE stages DROP COLUMN rot_days;
         DROP INDEX leads_title_order; DROP INDEX leads_amount_order; DROP INDEX activities_deadline;
         DROP INDEX leads_stage_next_activity; DROP INDEX deals_stage_next_activity; DROP INDEX activities_responsible_deadline;
         DROP INDEX leads_contact; DROP INDEX leads_company; DROP INDEX deals_lead;
         DROP INDEX contacts_lead; DROP INDEX companies_lead; DROP TABLE intake_messages;
         DROP TRIGGER leads_totals_insert; DROP TRIGGER leads_totals_delete; DROP TRIGGER leads_totals_update;
         DROP TRIGGER deals_totals_insert; DROP TRIGGER deals_totals_delete; DROP TRIGGER deals_totals_update;
         DROP TABLE stage_totals;
         ALTER TABLE leads DROP COLUMN next_activity_at; ALTER TABLE deals DROP COLUMN next_activity_at;
         ALTER TABLE contacts DROP COLUMN next_activity_at; ALTER TABLE companies DROP COLUMN next_activity_at;
         DROP TABLE search;
         CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
         INSERT INTO search (rowid, body) SELECT id * 4, title FROM leads;
         DROP INDEX activities_uid; ALTER TABLE activities DROP COLUMN uid;
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(c);
    let rows = env.json(&["lead", "list"]);
    assert_eq!(rows[0]["title"], "From version 1", "same file, same data");
    assert!(rows[0]["next_activity_at"].is_string(), "the new column is filled from existing activities");
    let backup = env.db.with_extension("v1.backup.db");
    assert!(backup.exists(), "a copy of the version-1 file is kept");
    let old = rusqlite::Connection::open(&backup).unwrap();
    let v: i64 = old.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 1);
    let now: i64 =
        rusqlite::Connection::open(&env.db).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(now, prospect::store::sqlite::SCHEMA_VERSION);
    assert_eq!(env.json(&["db", "check"])["ok"], true);
    // The same schema as a new file's, the CHECKs rewritten included.
    let fresh = Env::new();
    fresh.json(&["user", "add", "bob"]);
    assert_eq!(schema_of(&env.db), schema_of(&fresh.db));
    // The search entries were carried into the contentless index, and stay deletable.
    assert_eq!(env.json(&["search", "version"])[0]["title"], "From version 1");
    env.json(&["lead", "edit", &id, "--title", "Renamed"]);
    assert_eq!(env.json(&["search", "version"]).as_array().unwrap().len(), 0);
    assert_eq!(env.json(&["search", "renamed"])[0]["title"], "Renamed");
}

#[test]
fn demo_data_rebuilds_every_index_it_set_aside() {
    let env = Env::new();
    env.ok(&["lead", "add", "--title", "before the demo"]);
    // The column-total triggers are set aside too.
    let indexes = || -> Vec<(String, String)> {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL \
                 ORDER BY name",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let before = indexes();
    assert!(before.len() > 20, "{before:?}");
    env.ok(&["demo", "--leads", "200"]);
    assert_eq!(indexes(), before);
    let check = env.json(&["db", "check"]);
    assert_eq!(check["ok"], true, "{check}");
}

#[test]
fn the_kinds_of_comms_and_activities_are_checked_without_a_temporary_table_per_row() {
    let env = Env::new();
    env.json(&["user", "add", "bob"]);
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let inserts = [
        "INSERT INTO comms (entity, entity_id, kind, label, value, normalized, sort) VALUES ('lead', 1, ?1, 'work', 'x', 'x', 0)",
        "INSERT INTO activities (kind, subject, deadline, created_at, modified_at) VALUES (?1, 's', 0, 0, 0)",
        "INSERT INTO activities (kind, subject, priority, deadline, created_at, modified_at) VALUES ('call', 's', ?1, 0, 0, 0)",
        "INSERT INTO stages (pipeline_id, code, name, color, semantics, sort) VALUES (1, 'x', 'x', 'x', ?1, 99)",
    ];
    for sql in inserts {
        let plan: Vec<String> = c
            .prepare(&format!("EXPLAIN {sql}"))
            .unwrap()
            .query_map(["x"], |r| r.get::<_, String>(1))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!plan.iter().any(|op| op == "OpenEphemeral"), "{sql}: {plan:?}");
        // The rule still holds.
        let err = c.execute(sql, ["fax"]).unwrap_err().to_string();
        assert!(err.contains("CHECK constraint failed"), "{sql}: {err}");
    }
    c.execute(inserts[0], ["phone"]).unwrap();
    c.execute(inserts[2], ["high"]).unwrap();
    // Nor does an insert into any other table (a CHECK added later with an IN list would).
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.len() > 20, "{tables:?}");
    for table in tables {
        let sql = format!("EXPLAIN INSERT INTO \"{table}\" DEFAULT VALUES");
        let plan: Vec<String> = c
            .prepare(&sql)
            .unwrap()
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!plan.iter().any(|op| op == "OpenEphemeral"), "{table}: {plan:?}");
    }
}

/// A demo into a new file indexes its search entries aside, in a scratch directory of the
/// temporary directory that it removes (`search::IndexAside`); without a usable temporary
/// directory it writes them itself. Either way every record is found as its fields say.
#[test]
fn demo_data_is_found_with_or_without_a_temporary_directory() {
    for usable in [true, false] {
        let env = Env::new();
        let tmp = env.dir.path().join("tmp");
        if usable {
            std::fs::create_dir(&tmp).unwrap();
        }
        let out = env.cmd().env("TMPDIR", &tmp).args(["demo", "--leads", "300"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        if usable {
            assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "the scratch directory is removed");
        }
        assert!(!env.json(&["search", "dupont"]).as_array().unwrap().is_empty(), "usable: {usable}");
        let check = env.json(&["db", "check"]);
        assert_eq!(check["ok"], true, "usable: {usable}: {check}");
    }
}

/// Issue 21: a version-11 file whose ids were reused (a deleted lead's history shown on the
/// lead that got its id) and whose column total overflowed into a floating-point number is
/// upgraded in place: ids are never given again, the earlier record's entries are set apart
/// (kept, counted by `db check`, no longer shown on the newer lead), the totals recounted.
#[test]
fn a_version_11_file_with_reused_ids_and_an_overflowed_total_is_upgraded() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "kept"]);
    env.json(&["lead", "add", "--title", "doomed"]);
    env.ok(&["lead", "comment", "2", "secret note"]);
    env.ok(&["lead", "delete", "2"]);
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let stage: i64 = c.query_row("SELECT stage_id FROM leads WHERE id = 1", [], |r| r.get(0)).unwrap();
    // Lead 1 carries the history of a lead merged into it, which had itself taken a deleted
    // lead's id: only the deleted lead's span is set apart, never lead 1's own entries.
    c.execute_batch(
        "INSERT INTO timeline (entity, entity_id, kind, at, payload) VALUES ('lead', 1, 'created', 1, '{}');
         INSERT INTO timeline (entity, entity_id, kind, at, payload) VALUES ('lead', 1, 'deleted', 1, '{}');
         INSERT INTO timeline (entity, entity_id, kind, at, payload) VALUES ('lead', 1, 'comment', 1, '{\"text\":\"merged in\"}');",
    )
    .unwrap();
    // What version 11 did: the next lead took id 2 again, its timeline after the old one's.
    c.execute_batch(&format!(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = replace(sql, 'PRIMARY KEY AUTOINCREMENT', 'PRIMARY KEY') WHERE type = 'table';
         PRAGMA writable_schema = OFF;
         DELETE FROM sqlite_sequence;
         INSERT INTO leads (id, title, stage_id, created_at, modified_at, moved_at) VALUES (2, 'fresh', {stage}, 0, 0, 0);
         INSERT INTO timeline (entity, entity_id, kind, at, payload) VALUES ('lead', 2, 'created', 1, '{{}}');
         INSERT INTO search (rowid, body) VALUES (8, 'fresh');
         DROP TRIGGER leads_totals_insert; DROP TRIGGER leads_totals_delete; DROP TRIGGER leads_totals_update;
         DROP TRIGGER deals_totals_insert; DROP TRIGGER deals_totals_delete; DROP TRIGGER deals_totals_update;
         DROP TABLE stage_totals;
         CREATE TABLE stage_totals (stage_id INTEGER NOT NULL, currency TEXT NOT NULL, records INTEGER NOT NULL,
             amount_minor INTEGER NOT NULL, PRIMARY KEY (stage_id, currency)) WITHOUT ROWID;
         INSERT INTO stage_totals VALUES ({stage}, '', 2, 1.0e19);
         ALTER TABLE custom_fields DROP COLUMN label_fr; ALTER TABLE custom_fields DROP COLUMN link_to; ALTER TABLE custom_fields DROP COLUMN default_value; ALTER TABLE custom_fields DROP COLUMN in_list; ALTER TABLE custom_fields DROP COLUMN required_from;
         DROP TABLE document_counters; DROP TABLE documents; DROP TABLE line_items; DROP TABLE products; DROP TABLE list_views; DROP INDEX custom_values_order; ALTER TABLE custom_values DROP COLUMN sort_key; DROP TABLE deal_contacts; DROP TABLE role_grants; DROP INDEX leads_responsible_stage; DROP INDEX deals_responsible_stage;
         ALTER TABLE users DROP COLUMN db_role;
         DROP INDEX leads_responsible_next; DROP INDEX deals_responsible_next; DROP TRIGGER activities_reminder_reset; DROP INDEX activities_reminders; ALTER TABLE activities DROP COLUMN reminded_at; DROP TABLE stage_rules; DROP TRIGGER deals_forecast_insert; DROP TRIGGER deals_forecast_change; DROP TRIGGER deals_forecast_delete; DROP TABLE forecast_tallies; DROP INDEX deals_created; DROP TRIGGER leads_tally_release; DROP TRIGGER leads_tally_insert; DROP TRIGGER leads_tally_change; DROP TRIGGER leads_tally_delete; DROP TRIGGER deals_tally_insert; DROP TRIGGER deals_tally_change; DROP TRIGGER deals_tally_delete; DROP TRIGGER activities_tally_insert; DROP TRIGGER activities_tally_change; DROP TRIGGER activities_tally_delete; DROP TABLE record_tallies; DROP TABLE activity_tallies; DROP TABLE tally_units; DROP INDEX leads_stage_created; DROP TABLE stage_moves; DROP TABLE lost_reasons; DROP TRIGGER leads_closed_insert; DROP TRIGGER leads_open_insert; DROP TRIGGER leads_closed_move; DROP TRIGGER deals_closed_insert; DROP TRIGGER deals_open_insert; DROP TRIGGER deals_closed_move; DROP INDEX deals_closed; DROP INDEX leads_closed; ALTER TABLE leads DROP COLUMN closed_at; ALTER TABLE deals DROP COLUMN closed_at; ALTER TABLE stages DROP COLUMN probability; ALTER TABLE stages DROP COLUMN rot_days;
         DROP INDEX activities_uid; ALTER TABLE activities DROP COLUMN uid;
         PRAGMA user_version = 11;"
    ))
    .unwrap();
    drop(c);
    let shown = env.ok(&["lead", "show", "2"]);
    assert!(shown.contains("fresh") && !shown.contains("secret note"), "{shown}");
    let check = env.ok(&["db", "check"]);
    assert!(check.contains("integrity ok") && check.contains("5 timeline entries of 2 deleted records"), "{check}");
    assert_eq!(env.json(&["lead", "add", "--title", "newest"])["id"], 3, "no id is given again");
    assert!(env.db.with_extension("v11.backup.db").exists());
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let kept: (i64, Option<i64>) = c
        .query_row("SELECT records, amount_minor FROM stage_totals WHERE stage_id = ?1", [stage], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(kept, (3, Some(0)), "the totals are counted again from the records");
    let apart: i64 = c
        .query_row("SELECT count(*) FROM timeline WHERE entity = 'lead:reused' AND entity_id = 2", [], |r| r.get(0))
        .unwrap();
    assert_eq!(apart, 3, "created, comment and deleted of the earlier lead are kept, apart");
    let own: Vec<String> = c
        .prepare("SELECT kind FROM timeline WHERE entity = 'lead' AND entity_id = 1 ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(own, ["created", "comment"], "lead 1's own entries stay; the merged-in span is set apart");
    drop(c);
    // The same schema as a new file's.
    let fresh = Env::new();
    fresh.json(&["user", "add", "bob"]);
    assert_eq!(schema_of(&env.db), schema_of(&fresh.db));
}

/// Issue 21: `db check --repair` counts a broken column total again.
#[test]
fn db_check_repair_counts_column_totals_again() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "x", "--amount", "10"]);
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch("UPDATE stage_totals SET amount_minor = 77, records = 9").unwrap();
    drop(c);
    let out = env.cmd().args(["db", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("column totals of stage"));
    let out = env.ok(&["db", "check", "--repair"]);
    assert!(out.contains("counted again") && out.contains("integrity ok"), "{out}");
    // A kept total that is not a whole number (what overflow made before schema 12) is named.
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch("UPDATE stage_totals SET amount_minor = 1.8e19").unwrap();
    drop(c);
    let out = env.cmd().args(["db", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("the kept amount is not a whole number"));
    env.ok(&["db", "check", "--repair"]);
}

#[test]
fn completions_and_the_manual_page_come_from_the_command_tree_without_the_file() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = env.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("lead") && text.contains("completions"), "{shell}: {}", &text[..text.len().min(300)]);
    }
    let out = env.cmd().arg("manpage").output().unwrap();
    assert!(out.status.success());
    let man = String::from_utf8(out.stdout).unwrap();
    // clap_mangen puts two roff string definitions (.ie/.el) before the title line.
    assert!(
        man.lines().find(|l| !l.starts_with(".ie") && !l.starts_with(".el")).unwrap().starts_with(".TH prospect 1")
    );
    assert!(man.contains("lead") && man.contains("Exit codes"), "{man}");
    assert!(!env.db.exists(), "completions and manpage must not create the data file");
}

#[test]
fn help_shows_global_options_apart_examples_exit_codes_and_choices() {
    let env = Env::new();
    let help = |args: &[&str]| {
        let out = env.cmd().args(args).arg("--help").output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    // Help is wrapped to the terminal's width: compare with single spaces.
    let flat = |text: String| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let add = help(&["lead", "add"]);
    assert!(add.contains("Examples:\n  prospect lead add"), "{add}");
    let (own, global) = add.split_once("Global options:").expect("a Global options heading");
    assert!(global.contains("--db <PATH>") && global.contains("--json") && !own.contains("--db <PATH>"), "{add}");
    let top = help(&[]);
    for code in ["Exit codes:", "0  success", "2  usage", "3  conflict", "4  not found", "5  busy"] {
        assert!(top.contains(code), "{code} missing in {top}");
    }
    assert!(flat(help(&["export"])).contains("[possible values: csv, json, vcard, ics]"));
    assert!(flat(help(&["import"])).contains("[possible values: skip, merge, replace, all]"));
    assert!(flat(help(&["lead", "list"])).contains("[possible values: en, fr]"));
    assert!(!env.db.exists());
}

/// A 0600 file's copies are 0600: `db backup` and the upgrade's copy (issue 21).
#[cfg(unix)]
#[test]
fn copies_of_the_file_get_its_permissions() {
    use crate::common::mode;
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Secret"]);
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let copy = env.dir.path().join("copy.db");
    env.ok(&["db", "backup", copy.to_str().unwrap()]);
    assert_eq!(mode(&copy), 0o600, "the backup of a 0600 file");
    // An upgrade from version 11 copies the file first (file_id is added in place).
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute_batch(
            "ALTER TABLE custom_fields DROP COLUMN label_fr; ALTER TABLE custom_fields DROP COLUMN link_to; ALTER TABLE custom_fields DROP COLUMN default_value; ALTER TABLE custom_fields DROP COLUMN in_list; ALTER TABLE custom_fields DROP COLUMN required_from;
         DROP TABLE document_counters; DROP TABLE documents; DROP TABLE line_items; DROP TABLE products; DROP TABLE list_views; DROP INDEX custom_values_order; ALTER TABLE custom_values DROP COLUMN sort_key; DROP TABLE deal_contacts; DROP TABLE role_grants; DROP INDEX leads_responsible_stage; DROP INDEX deals_responsible_stage;
         ALTER TABLE users DROP COLUMN db_role;
         DROP INDEX leads_responsible_next; DROP INDEX deals_responsible_next; DROP TRIGGER activities_reminder_reset; DROP INDEX activities_reminders; ALTER TABLE activities DROP COLUMN reminded_at; DROP TABLE stage_rules; DROP TRIGGER deals_forecast_insert; DROP TRIGGER deals_forecast_change; DROP TRIGGER deals_forecast_delete; DROP TABLE forecast_tallies; DROP INDEX deals_created; DROP TRIGGER leads_tally_release; DROP TRIGGER leads_tally_insert; DROP TRIGGER leads_tally_change; DROP TRIGGER leads_tally_delete; DROP TRIGGER deals_tally_insert; DROP TRIGGER deals_tally_change; DROP TRIGGER deals_tally_delete; DROP TRIGGER activities_tally_insert; DROP TRIGGER activities_tally_change; DROP TRIGGER activities_tally_delete; DROP TABLE record_tallies; DROP TABLE activity_tallies; DROP TABLE tally_units; DROP INDEX leads_stage_created; DROP TABLE stage_moves; DROP TABLE lost_reasons; DROP TRIGGER leads_closed_insert; DROP TRIGGER leads_open_insert; DROP TRIGGER leads_closed_move; DROP TRIGGER deals_closed_insert; DROP TRIGGER deals_open_insert; DROP TRIGGER deals_closed_move; DROP INDEX deals_closed; DROP INDEX leads_closed; ALTER TABLE leads DROP COLUMN closed_at; ALTER TABLE deals DROP COLUMN closed_at; ALTER TABLE stages DROP COLUMN probability; ALTER TABLE stages DROP COLUMN rot_days;
         DROP INDEX activities_uid; ALTER TABLE activities DROP COLUMN uid; PRAGMA user_version = 11",
        )
        .unwrap();
    env.json(&["lead", "list"]);
    let upgrade_copy = env.db.with_extension("v11.backup.db");
    assert_eq!(mode(&upgrade_copy), 0o600, "the upgrade's copy of a 0600 file");
    // A 0640 file: the group keeps reading its copies, no one else does.
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o640)).unwrap();
    let copy = env.dir.path().join("copy2.db");
    env.ok(&["db", "backup", copy.to_str().unwrap()]);
    assert_eq!(mode(&copy), 0o640);
}

/// `db backup` writes a new file only: not through a symbolic link, dangling or not, and not
/// to standard output; nothing is left behind by a refusal.
#[cfg(unix)]
#[test]
fn a_backup_refuses_links_and_standard_output() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "Keep me"]);
    let target = env.dir.path().join("elsewhere.db");
    let link = env.dir.path().join("link.db");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let err = env.fails(1, &["db", "backup", link.to_str().unwrap()]);
    assert!(err.contains("link.db: is a symbolic link"), "{err}");
    assert!(!target.exists(), "the dangling link was followed");
    let err = env.fails(1, &["db", "backup", env.dir.path().to_str().unwrap()]);
    assert!(err.contains("is a directory"), "a folder is named as one: {err}");
    let fr = env.cmd().args(["--lang", "fr", "db", "backup", link.to_str().unwrap()]).output().unwrap();
    assert!(String::from_utf8_lossy(&fr.stderr).contains("link.db : est un lien symbolique"), "{fr:?}");
    std::fs::write(&target, b"mine").unwrap();
    let err = env.fails(1, &["db", "backup", link.to_str().unwrap()]);
    assert!(err.contains("is a symbolic link"), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), b"mine");
    let out = env.cmd().current_dir(env.dir.path()).args(["db", "backup", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard output") && err.contains("not accepted"), "{err}");
    assert!(!env.dir.path().join("-").exists(), "a file named '-' was written");
    assert!(out.stdout.is_empty());
}

/// A backup that meets a full disk leaves nothing, so the retry is not refused with "already
/// exists"; the message names the file (issue 21). Needs a tmpfs (root): skipped otherwise.
#[test]
fn a_backup_on_a_full_disk_leaves_nothing_and_the_retry_works() {
    let Some(small) = common::Tmpfs::mount("200k") else { return };
    let env = Env::new();
    env.ok(&["demo", "--leads", "300"]);
    let dest = small.path().join("copy.db");
    let out = env.cmd().args(["db", "backup", dest.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}: the disk is full", dest.display())), "{err}");
    let left: Vec<_> = std::fs::read_dir(small.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "a failed backup left {left:?}");
    // Room again (a bigger disk): the same command succeeds.
    drop(small);
    let room = env.dir.path().join("room");
    std::fs::create_dir(&room).unwrap();
    env.ok(&["db", "backup", room.join("copy.db").to_str().unwrap()]);
}

/// On a full disk, the message names the data file (it read `prospect: : the disk is full`).
#[test]
fn a_full_disk_is_reported_with_the_files_name() {
    let Some(small) = common::Tmpfs::mount("640k") else { return };
    let env = Env::new();
    let db = small.path().join("crm.db");
    let run = |args: &[&str]| env.cmd_db(&db).arg("--user").arg("alice").args(args).output().unwrap();
    assert!(run(&["lead", "add", "--title", "First"]).status.success());
    small.fill();
    let before = std::fs::read(&db).unwrap();
    let out = run(&["lead", "add", "--title", "Second", "--comments", &"x".repeat(9_000)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("prospect: : "), "{err}");
    assert!(err.contains(&format!("{}: ", db.display())), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing was written");
}

/// Issue 21: a bulk load killed midway leaves its scratch search index (the words of every
/// record) in the temporary folder; the next start removes it, not only the next load.
#[test]
fn a_scratch_index_left_by_a_killed_load_is_removed_at_the_next_start() {
    let env = Env::new();
    env.json(&["lead", "add", "--title", "x"]);
    let tmp = env.dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // A process id that no longer runs: a child that has ended.
    let dead = std::process::Command::new("true").spawn().unwrap();
    let pid = dead.id();
    let mut dead = dead;
    dead.wait().unwrap();
    let leftover = tmp.join(format!("prospect-search-{pid}-abc"));
    std::fs::create_dir(&leftover).unwrap();
    std::fs::write(leftover.join("search.db"), b"every word").unwrap();
    env.cmd().env("TMPDIR", &tmp).args(["lead", "add", "--title", "y"]).assert().success();
    assert!(!leftover.exists(), "the killed load's scratch index is removed at the next start");
}

/// Every table, index and trigger of a file with its text: an upgraded file must have a new
/// file's schema.
fn schema_of(db: &std::path::Path) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut stmt = c.prepare("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
}
