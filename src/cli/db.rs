//! `prospect db path|check|backup|vacuum|migrate-to` and `prospect demo`.

use super::{Session, output};
use crate::demo::DemoOptions;
use crate::i18n::tr;
use crate::service::Service;
use anyhow::bail;
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Data file commands.
#[derive(Subcommand, Debug)]
pub enum DbCmd {
    /// Print the data file's path.
    Path,
    /// Check integrity, foreign keys and Prospect's own rules (exit 1 if anything is wrong).
    Check {
        /// First count the Kanban's column totals again from the records and rebuild the search
        /// index (what Prospect keeps aside and can always remake), then check.
        #[arg(long)]
        repair: bool,
    },
    /// Write a consistent copy of the file, even while others are working in it.
    Backup {
        /// Destination file (must not exist, nor be a symbolic link; `-` is refused: a
        /// backup is a database file, not a stream).
        file: PathBuf,
    },
    /// Give back the file's empty pages (left by deletions or an upgrade) by rewriting it;
    /// others wait while it runs.
    Vacuum,
    /// Copy all the data into an empty PostgreSQL database (`postgres://user@host/db`) or a
    /// new SQLite file, in one transaction, then check every table's rows and checksum on
    /// both sides (exit 1 if any differs). A target holding users or records is refused.
    MigrateTo {
        /// The target: a `postgres://` URL or the path of a new file.
        target: PathBuf,
    },
}

/// `demo` flags.
#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// Number of leads (contacts: 1/5, companies: 1/10, deals: 1/10, activities: 2 per lead).
    #[arg(long, default_value_t = 500, value_parser = super::args::whole::<usize>("leads", 0, 2_000_000))]
    pub leads: usize,
    /// Seed: the same seed gives the same data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// Prints where the data file is.
pub fn print_path(path: &Path, json: bool) -> anyhow::Result<()> {
    let shown = Service::shown_target(path);
    if json {
        if Service::names_server(path) {
            output::json(&json!({"path": shown, "engine": "postgresql"}));
        } else {
            output::json(&json!({"path": path, "exists": path.exists(), "engine": "sqlite"}));
        }
    } else {
        println!("{shown}");
    }
    Ok(())
}

/// Runs a db command.
pub fn run_db(s: &mut Session, c: DbCmd) -> anyhow::Result<()> {
    match c {
        DbCmd::Path => print_path(s.store.path(), s.json),
        DbCmd::Check { repair } => {
            if repair {
                s.store.repair()?;
                if !s.json {
                    let path = s.store.path().display().to_string();
                    println!("{}", tr("store.repaired", &[("file", &path)]));
                }
            }
            let report = s.store.check()?;
            if s.json {
                output::json(&json!({"ok": report.is_ok(), "report": report}));
            } else if report.is_ok() {
                let leads = report
                    .counts
                    .iter()
                    .find(|(e, _)| *e == crate::domain::fields::Entity::Lead)
                    .map(|c| c.1)
                    .unwrap_or(0);
                println!(
                    "{}",
                    tr(
                        "msg.check_ok",
                        &[("path", &s.store.path().display().to_string()), ("leads", &leads.to_string())]
                    )
                );
            } else {
                for line in report.integrity.iter().chain(&report.foreign_keys).chain(&report.invariants) {
                    println!("{line}");
                }
            }
            if !s.json {
                for line in &report.notices {
                    println!("{line}");
                }
            }
            if !report.is_ok() {
                bail!("{}: problems found (listed above)", s.store.path().display());
            }
            // Worth a rewrite from a megabyte of empty pages.
            let free = s.store.free_bytes()?;
            if !s.json && free >= 1 << 20 {
                println!("{}", tr("msg.check_free", &[("mb", &crate::present::megabytes(crate::i18n::lang(), free))]));
            }
            Ok(())
        }
        DbCmd::Vacuum => {
            let done = s.store.vacuum()?;
            if s.json {
                output::json(&json!(done));
            } else {
                let path = s.store.path().display().to_string();
                let mb = |b| crate::present::megabytes(crate::i18n::lang(), b);
                let (before, after) = (mb(done.bytes_before), mb(done.bytes_after));
                println!("{}", tr("msg.vacuum_done", &[("path", &path), ("before", &before), ("after", &after)]));
            }
            Ok(())
        }
        DbCmd::MigrateTo { target } => migrate_to(s, &target),
        DbCmd::Backup { file } => {
            if file.as_os_str() == "-" {
                bail!("{}", tr("files.backup_to_stdout", &[]));
            }
            s.store.backup_to(&file)?;
            if s.json {
                output::json(&json!({"backup": file}));
            } else {
                println!("{}", tr("msg.backup_done", &[("path", &file.display().to_string())]));
            }
            Ok(())
        }
    }
}

/// Runs `db migrate-to`: the copy, then its table of checks.
fn migrate_to(s: &mut Session, target: &Path) -> anyhow::Result<()> {
    let done = s.store.migrate_to(target)?;
    let from = s.store.path().display().to_string();
    let to = done.target.display().to_string();
    if s.json {
        output::json(&json!({"source": from, "target": to, "ok": done.ok(), "tables": done.tables}));
    } else {
        let head = ["copy_table", "copy_rows", "copy_checksum", "copy_ok"].map(|k| tr(&format!("msg.{k}"), &[]));
        let rows: Vec<Vec<String>> = done
            .tables
            .iter()
            .map(|t| {
                let both = |a: String, b: String| if a == b { a } else { format!("{a} ≠ {b}") };
                vec![
                    t.table.clone(),
                    both(t.rows.to_string(), t.target_rows.to_string()),
                    both(t.checksum.clone(), t.target_checksum.clone()),
                    if t.ok { "ok".into() } else { "✗".into() },
                ]
            })
            .collect();
        output::table(&head, &rows);
        if done.ok() {
            let tables = done.tables.len().to_string();
            println!("{}", tr("msg.migrate_done", &[("from", &from), ("to", &to), ("tables", &tables)]));
        }
    }
    if !done.ok() {
        let off: Vec<&str> = done.tables.iter().filter(|t| !t.ok).map(|t| t.table.as_str()).collect();
        bail!("{}", tr("msg.migrate_differs", &[("from", &from), ("to", &to), ("tables", &off.join(", "))]));
    }
    Ok(())
}

/// Runs `demo`.
pub fn run_demo(s: &mut Session, a: DemoArgs) -> anyhow::Result<()> {
    let report = s.store.load_demo(DemoOptions { leads: a.leads, seed: a.seed })?;
    if s.json {
        output::json(&json!(report));
    } else {
        println!("{}", report.summary(crate::i18n::lang()));
    }
    Ok(())
}
