//! `prospect import FILE.vcf` and `prospect import FILE.ics`: a file is a vCard or a
//! calendar by its content, whatever its name (`io::cards::detect`); vCards become contacts
//! through the CSV import's own path (`Service::import`), a calendar's events and to-dos
//! become activities (`Service::import_calendar`). `transfer::run_import` hands over here.

use super::transfer::ImportArgs;
use super::{Session, output};
use crate::domain::calendar_in::{CalendarOutcome, CalendarReport};
use crate::domain::fields::Entity;
use crate::domain::import::{DuplicateMode, MatchOn};
use crate::domain::import_rows::{ImportReport, RowOutcome};
use crate::domain::record::RecordRef;
use crate::i18n::tr;
use crate::io::cards::{self, Format};
use anyhow::{Context, bail};
use clap::Args;
use serde_json::json;

/// `import` flags for calendar files: the records every event and to-do is bound to, on top
/// of those its attendees' e-mails find.
#[derive(Args, Debug, Clone, Default)]
pub struct CalendarArgs {
    /// iCalendar only: bind every event and to-do to this lead (also to the contacts and
    /// leads its attendees' e-mails match).
    #[arg(long, value_parser = super::args::parse_id, value_name = "ID")]
    pub lead: Option<i64>,
    /// iCalendar only: bind every event and to-do to this contact.
    #[arg(long, value_parser = super::args::parse_id, value_name = "ID")]
    pub contact: Option<i64>,
    /// iCalendar only: bind every event and to-do to this deal.
    #[arg(long, value_parser = super::args::parse_id, value_name = "ID")]
    pub deal: Option<i64>,
    /// iCalendar only: bind every event and to-do to this company.
    #[arg(long, value_parser = super::args::parse_id, value_name = "ID")]
    pub company: Option<i64>,
}

impl CalendarArgs {
    /// The records named.
    fn records(&self) -> Vec<RecordRef> {
        [
            (Entity::Lead, self.lead),
            (Entity::Contact, self.contact),
            (Entity::Deal, self.deal),
            (Entity::Company, self.company),
        ]
        .into_iter()
        .filter_map(|(e, id)| id.map(|id| RecordRef::new(e, id)))
        .collect()
    }
}

/// What the file to import holds: standard input and files that cannot be opened are left
/// to the CSV import, which reads them (and says why it cannot).
pub fn format_of(args: &ImportArgs) -> Format {
    if args.file.as_os_str() == "-" {
        return Format::Csv;
    }
    cards::detect_file(&args.file).unwrap_or(Format::Csv)
}

/// A CSV import refuses the calendar flags.
pub fn csv_only(args: &ImportArgs) -> anyhow::Result<()> {
    if !args.calendar.records().is_empty() {
        bail!("{}", tr("cards.calendar_only", &[("path", &args.file.display().to_string())]));
    }
    Ok(())
}

/// Refuses the flags that only mean something for a CSV table.
fn no_csv_flags(args: &ImportArgs, format: &str) -> anyhow::Result<()> {
    let given = [
        ("--map", !args.map.is_empty()),
        ("--preset", args.preset.is_some()),
        ("--separator", args.separator.is_some()),
        ("--report", args.report.is_some()),
    ];
    if let Some((flag, _)) = given.iter().find(|(_, g)| *g) {
        let path = args.file.display().to_string();
        bail!("{}", tr("cards.csv_only", &[("flag", flag), ("path", &path), ("format", format)]));
    }
    Ok(())
}

/// The file's text, decoded in `--encoding` when given.
fn text_of(args: &ImportArgs) -> anyhow::Result<String> {
    let encoding = args
        .encoding
        .as_deref()
        .map(crate::io::csv::encoding_for)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--encoding: {e}"))?;
    cards::read_text(&args.file, encoding).map_err(|e| anyhow::anyhow!("{e}"))
}

/// `prospect import FILE.vcf`: every card a contact, its ORG its company.
pub fn run_vcard(s: &mut Session, args: &ImportArgs) -> anyhow::Result<()> {
    no_csv_flags(args, "vCard")?;
    // The calendar flags are refused as for a CSV file.
    csv_only(args)?;
    let entity = args.entity.trim().to_lowercase();
    if !matches!(entity.as_str(), "lead" | "contact") {
        bail!("{}", tr("cards.entity", &[("entity", &entity)]));
    }
    let duplicates = DuplicateMode::parse(&args.duplicates)
        .with_context(|| format!("--duplicates: '{}' is not one of: skip, merge, replace, all", args.duplicates))?;
    let match_on = MatchOn::parse(&args.match_on)
        .map_err(|e| anyhow::anyhow!("--match: {}", crate::i18n::describe(&e.problem, "match", crate::i18n::lang())))?;
    let text = text_of(args)?;
    let file = args.file.display().to_string();
    let region = s.store.options().region;
    let rows = crate::io::vcard_in::read(&text, region).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    drop(text);
    let bulk = args.bulk || rows.len() >= crate::store::import::BULK_ROWS;
    let opts =
        crate::store::import::ImportOptions { duplicates, match_on, dry_run: args.dry_run, bulk, ..Default::default() };
    let report = s.store.import(Entity::Contact, |from| rows[from.min(rows.len())..].to_vec(), opts, |_| {})?;
    vcard_report(s, args, rows.len(), &report);
    Ok(())
}

/// Says what became of each card: counts, then the cards not created (text), or every card
/// (`--json`).
fn vcard_report(s: &Session, args: &ImportArgs, cards: usize, report: &ImportReport) {
    let file = args.file.display().to_string();
    if s.json {
        let items: Vec<serde_json::Value> = report
            .rows
            .iter()
            .map(|(line, outcome)| {
                let mut item = serde_json::to_value(&outcome).unwrap_or_default();
                item["line"] = json!(line);
                if !outcome.as_is() {
                    item["reason"] = json!(crate::io::import::outcome_words(&outcome).1);
                }
                item
            })
            .collect();
        output::json(&json!({
            "file": file,
            "format": "vcard",
            "entity": "contact",
            "cards": cards,
            "created": report.created,
            "merged": report.merged,
            "replaced": report.replaced,
            "skipped": report.skipped,
            "rejected": report.rejected,
            "items": items,
            "dry_run": args.dry_run,
        }));
        return;
    }
    let key = if args.dry_run { "cards.vcard_dry_run" } else { "cards.vcard_done" };
    println!(
        "{}",
        tr(
            key,
            &[
                ("file", &file),
                ("cards", &cards.to_string()),
                ("created", &report.created.to_string()),
                ("merged", &report.merged.to_string()),
                ("replaced", &report.replaced.to_string()),
                ("skipped", &report.skipped.to_string()),
                ("rejected", &report.rejected.to_string()),
            ],
        )
    );
    for (line, outcome) in report.rows.listed() {
        let line = line.to_string();
        match outcome {
            RowOutcome::Rejected { reason } => {
                println!("{}", tr("cards.card_rejected", &[("line", &line), ("reason", reason)]))
            }
            RowOutcome::Skipped { id, .. } => {
                let record = match id {
                    0 => tr("access.hidden_record", &[]),
                    id => RecordRef::new(Entity::Contact, *id).to_string(),
                };
                println!("{}", tr("cards.card_skipped", &[("line", &line), ("record", &record)]))
            }
            other => {
                let (what, why) = crate::io::import::outcome_words(other);
                println!("{}", tr("import.report_line", &[("line", &line), ("outcome", &what), ("reason", &why)]));
            }
        }
    }
}

/// `prospect import FILE.ics`: every event and to-do an activity, bound by its attendees'
/// e-mails and the records named by flags; the same UIDs again update them.
pub fn run_ics(s: &mut Session, args: &ImportArgs) -> anyhow::Result<()> {
    no_csv_flags(args, "iCalendar")?;
    let text = text_of(args)?;
    let file = args.file.display().to_string();
    let entries = crate::io::ics_in::read(&text).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    drop(text);
    let count = entries.len();
    let report = s.store.import_calendar(entries, &args.calendar.records(), args.dry_run)?;
    ics_report(s, args, count, &report);
    Ok(())
}

/// Says what became of each event and to-do.
fn ics_report(s: &Session, args: &ImportArgs, count: usize, report: &CalendarReport) {
    let file = args.file.display().to_string();
    if s.json {
        output::json(&json!({
            "file": file,
            "format": "icalendar",
            "entity": "activity",
            "entries": count,
            "created": report.created,
            "updated": report.updated,
            "not_imported": report.not_imported,
            "items": report.items,
            "dry_run": report.dry_run,
        }));
        return;
    }
    let key = if args.dry_run { "cards.ics_dry_run" } else { "cards.ics_done" };
    println!(
        "{}",
        tr(
            key,
            &[
                ("file", &file),
                ("entries", &count.to_string()),
                ("created", &report.created.to_string()),
                ("updated", &report.updated.to_string()),
                ("not_imported", &report.not_imported.to_string()),
            ],
        )
    );
    for item in &report.items {
        let Some(reason) = &item.reason else { continue };
        let key =
            if item.outcome == CalendarOutcome::NotImported { "cards.entry_not_imported" } else { "cards.entry_note" };
        let shown = |t: &Option<String>| crate::domain::text::shown_line(t.as_deref().unwrap_or("-")).into_owned();
        println!(
            "{}",
            tr(
                key,
                &[
                    ("line", &item.line.to_string()),
                    ("uid", &shown(&item.uid)),
                    ("subject", &shown(&item.subject)),
                    ("reason", reason)
                ]
            )
        );
    }
}
