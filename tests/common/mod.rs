//! Helpers for tests that run the real `prospect` binary on files in temp dirs.
#![allow(dead_code)]

pub mod tui;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A temp dir with a data file path in it, or the URL of a scratch PostgreSQL database.
pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
    /// The scratch database `db` names, dropped with the Env.
    pub pg: Option<prospect::store::postgres::scratch::ScratchDb>,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("crm.db");
        Env { dir, db, pg: None }
    }

    /// An Env on a fresh PostgreSQL database (`--db postgres://…`), or `None`, said once,
    /// when no test server is set up (`prospect::store::postgres::scratch::server`).
    pub fn postgres() -> Option<Env> {
        use prospect::store::postgres::scratch;
        static SAID: std::sync::Once = std::sync::Once::new();
        let Some(server) = scratch::server() else {
            SAID.call_once(|| eprintln!("{}", scratch::unavailable()));
            return None;
        };
        let db = scratch::ScratchDb::create(&server).expect("a scratch database on the test server");
        let dir = tempfile::tempdir().unwrap();
        Some(Env { dir, db: PathBuf::from(&db.url), pg: Some(db) })
    }

    /// `prospect --db <file> --user alice` with a clean environment (no user config, English).
    pub fn cmd(&self) -> Command {
        self.cmd_as("alice")
    }

    pub fn cmd_as(&self, user: &str) -> Command {
        let mut c = self.cmd_db(&self.db);
        c.arg("--user").arg(user);
        c
    }

    /// `prospect --db <path>` with a clean environment, no user.
    pub fn cmd_db(&self, path: &Path) -> Command {
        let mut c = Command::cargo_bin("prospect").unwrap();
        c.env_clear()
            .env("PROSPECT_CONFIG", self.dir.path().join("no-config.toml"))
            .env("LANG", "C")
            .env("HOME", self.dir.path())
            .arg("--db")
            .arg(path);
        c
    }

    /// Runs with `--json`, expects success, parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd().arg("--json").args(args).output().unwrap();
        assert!(out.status.success(), "prospect {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: bad JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// Runs, expects success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "prospect {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs, expects failure with `code`, returns stderr; checks the file did not change.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let before = std::fs::read(&self.db).ok();
        let out = self.cmd().args(args).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "prospect {args:?}: expected exit {code}, stderr: {stderr}");
        assert_eq!(std::fs::read(&self.db).ok(), before, "prospect {args:?} changed the file while failing");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line on stderr expected: {stderr}");
        stderr
    }
}

/// Bytes of a file, for before/after comparisons.
pub fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// Asserts that `keys` are in ascending order, descending with `reverse` (ties included:
/// a key ends with the record's id).
#[track_caller]
pub fn assert_in_order<K: Ord + Clone + std::fmt::Debug>(keys: &[K], reverse: bool, what: &str) {
    let mut expected = keys.to_vec();
    expected.sort();
    if reverse {
        expected.reverse();
    }
    assert_eq!(keys, expected, "{what}");
}

/// The ids of the pages of `size` of a `len`-row list, read from offset 0 to one page past
/// its end, one after the other.
pub fn paged(len: usize, size: usize, page: impl FnMut(usize) -> Vec<i64>) -> Vec<i64> {
    (0..len + size).step_by(size).flat_map(page).collect()
}

/// A small tmpfs mounted on a temp dir, to see what a full disk does; unmounted when dropped.
/// `None` (the caller skips, saying why) where mounting is not allowed: tests run as root in
/// CI, not everywhere.
pub struct Tmpfs {
    pub dir: TempDir,
}

impl Tmpfs {
    pub fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!("skipped: cannot mount a tmpfs ({})", String::from_utf8_lossy(&out.stderr).trim());
            return None;
        }
        Some(Tmpfs { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Takes every free byte of the file system with a filler file.
    pub fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.path().join("filler")).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.write_all(&[0]);
        let _ = f.sync_all();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Permission bits of a file.
#[cfg(unix)]
pub fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}
