//! The file's journal and the file system under it (SPEC S5): WAL only on explicit opt-in and
//! never on a network share; risky mounts are named at start.

use crate::common::Env;
use rusqlite::Connection;

fn journal_mode(env: &Env) -> String {
    let conn = Connection::open(&env.db).unwrap();
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap()
}

fn config(env: &Env, text: &str) {
    std::fs::write(env.dir.path().join("no-config.toml"), text).unwrap();
}

/// A mount table saying the temp dir is on `fs_type` mounted with `options`.
fn fake_mount(env: &Env, fs_type: &str, options: &str) -> std::path::PathBuf {
    let table = env.dir.path().join("mounts");
    let dir = std::fs::canonicalize(env.dir.path()).unwrap();
    std::fs::write(&table, format!("/dev/vda / ext4 rw 0 0\nserver:/x {} {fs_type} {options} 0 0\n", dir.display()))
        .unwrap();
    table
}

#[test]
fn a_new_file_uses_the_rollback_journal_with_full_sync() {
    let env = Env::new();
    env.ok(&["lead", "add", "--title", "x"]);
    assert_eq!(journal_mode(&env), "delete");
    assert!(!env.dir.path().join("crm.db-wal").exists());
}

#[test]
fn wal_is_opt_in_for_a_local_file_and_can_be_turned_back() {
    let env = Env::new();
    env.ok(&["lead", "add", "--title", "x"]);
    config(&env, "journal = \"wal\"\n");
    env.ok(&["lead", "add", "--title", "y"]);
    assert_eq!(journal_mode(&env), "wal");
    // Someone without the setting keeps the file as its owner chose.
    config(&env, "");
    env.ok(&["lead", "list"]);
    assert_eq!(journal_mode(&env), "wal");
    config(&env, "journal = \"rollback\"\n");
    env.ok(&["lead", "list"]);
    assert_eq!(journal_mode(&env), "delete");
    config(&env, "journal = \"fast\"\n");
    let err = env.fails(1, &["lead", "list"]);
    assert!(err.contains("journal 'fast' is not one of: rollback, wal"), "{err}");
}

#[test]
fn wal_is_refused_on_a_network_file_system_and_nothing_is_written() {
    let env = Env::new();
    env.ok(&["lead", "add", "--title", "x"]);
    let table = fake_mount(&env, "nfs4", "rw,hard,vers=4.2,local_lock=none");
    config(&env, "journal = \"wal\"\n");
    let before = std::fs::read(&env.db).unwrap();
    let out = env.cmd().env("PROSPECT_MOUNTS_FILE", &table).args(["lead", "add", "--title", "y"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("network file system (nfs4)") && err.contains("WAL"), "{err}");
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
    // A WAL file found on a share goes back to the rollback journal.
    config(&env, "journal = \"wal\"\n");
    env.ok(&["lead", "list"]);
    assert_eq!(journal_mode(&env), "wal");
    config(&env, "");
    let out = env.cmd().env("PROSPECT_MOUNTS_FILE", &table).args(["lead", "list"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(journal_mode(&env), "delete");
    // NFS with locking on: no warning.
    assert!(String::from_utf8_lossy(&out.stderr).is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn risky_mounts_are_named_on_stderr_and_work_goes_on() {
    let env = Env::new();
    env.ok(&["lead", "add", "--title", "x"]);
    for (fs, opts, expect) in [
        ("nfs", "rw,nolock,vers=3", "mounted with 'nolock'"),
        ("nfs4", "rw,local_lock=all", "mounted with 'local_lock=all'"),
        ("cifs", "rw,nobrl,vers=3.0", "mounted with 'nobrl'"),
        ("cifs", "rw,nostrictsync", "mounted with 'nostrictsync'"),
        ("fuse.sshfs", "rw,nosuid", "'fuse.sshfs' network file system"),
    ] {
        let table = fake_mount(&env, fs, opts);
        let out = env.cmd().env("PROSPECT_MOUNTS_FILE", &table).args(["lead", "list"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{fs}: {err}");
        assert!(err.starts_with("prospect: warning: ") && err.contains(expect), "{fs} {opts}: {err}");
        assert!(err.contains(&env.db.display().to_string()), "names the file: {err}");
    }
    // In French too.
    let table = fake_mount(&env, "cifs", "rw,nobrl");
    let out = env.cmd().env("PROSPECT_MOUNTS_FILE", &table).args(["--lang", "fr", "lead", "list"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("partage SMB monté avec « nobrl »"), "{err}");
}
