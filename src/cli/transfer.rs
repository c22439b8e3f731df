//! `prospect import` and `prospect export`: CSV in (SPEC I2), CSV/JSON/vCard/iCalendar out
//! (SPEC I3). The rules live in `domain::import`, the formats in `io`, the writing in
//! `store::import`; this is the command line around them.

use super::{Session, output};
use crate::domain::fields::Entity;
use crate::domain::import::values::{Resolution, Unknown, UnknownValue, ValueRule};
use crate::domain::import::{self, DuplicateMode, MatchOn, Preset, Target};
use crate::i18n::{tr, tr_n};
use crate::io::csv as csvio;
use crate::service::ImportSetup;
use crate::store::ListFilter;
use crate::store::import::ImportOptions;
use anyhow::{Context, bail};
use clap::Args;
use serde_json::json;
use std::path::PathBuf;

/// `import --entity`'s closed list (with hidden aliases).
const IMPORTABLE: &[(&str, &[&str])] =
    &[("lead", &[]), ("contact", &[]), ("company", &[]), ("product", &["products", "produit", "produits"])];
/// `export --entity`'s.
const EXPORTABLE: &[(&str, &[&str])] = &[
    ("lead", &[]),
    ("contact", &[]),
    ("company", &[]),
    ("deal", &[]),
    ("activity", &["activities"]),
    ("product", &["products"]),
    ("quote", &["quotes"]),
    ("invoice", &["invoices"]),
    ("credit-note", &["credit-notes", "credit_note"]),
    ("document", &["documents"]),
];
/// `export --format`'s.
const FORMATS: &[(&str, &[&str])] =
    &[("csv", &[]), ("json", &[]), ("vcard", &["vcf"]), ("ics", &["ical", "icalendar"])];
/// `import --duplicates`' (the aliases `DuplicateMode::parse` knows).
const DUPLICATES: &[(&str, &[&str])] =
    &[("skip", &[]), ("merge", &["fill"]), ("replace", &["overwrite"]), ("all", &["import", "create"])];
/// `import --preset`'s.
const PRESETS: &[(&str, &[&str])] =
    &[("bitrix24", &[]), ("hubspot", &[]), ("pipedrive", &[]), ("google", &["google-contacts"]), ("outlook", &[])];
/// `import --unknown`'s.
const UNKNOWN: &[(&str, &[&str])] = &[("empty", &["keep"]), ("create", &[]), ("reject", &[])];

/// `import` flags.
#[derive(Args, Debug, Clone)]
pub struct ImportArgs {
    /// CSV, vCard (.vcf: contacts) or iCalendar (.ics: activities) file to import, told
    /// apart by content (`-` reads a CSV from standard input).
    pub file: PathBuf,
    /// What each row is: lead, contact, company, or product (a catalogue: name, code,
    /// price, tax… in English or French; a code already there updates its product).
    #[arg(long, default_value = "lead", ignore_case = true, value_parser = super::help::one_of(IMPORTABLE))]
    pub entity: String,
    /// Encoding of the file (default: detected): utf-8, utf-16, windows-1252, iso-8859-1...
    #[arg(long)]
    pub encoding: Option<String>,
    /// Separator (default: detected): `,` `;` or `tab`.
    #[arg(long)]
    pub separator: Option<String>,
    /// Column to field, repeatable: --map "Tél. portable=phone"; "Column=" leaves it out.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// Column names of another CRM's export (default: detected).
    #[arg(long, ignore_case = true, value_parser = super::help::one_of(PRESETS))]
    pub preset: Option<String>,
    /// Rows matching an existing record: skip, merge (fill its empty fields), replace
    /// (overwrite them), or all (import anyway).
    #[arg(long, default_value = "skip", ignore_case = true, value_parser = super::help::one_of(DUPLICATES))]
    pub duplicates: String,
    /// What makes a match, comma-separated: name, company, phone, email.
    #[arg(long = "match", default_value = "phone,email")]
    pub match_on: String,
    /// A value of a column and what it means here, repeatable: --value "Source:Salon=TRADE_SHOW"
    /// (a code or name; "Source:Salon=" leaves the field empty; "Source:Salon=+" creates it).
    #[arg(long = "value", value_name = "COLUMN:VALUE=TARGET")]
    pub values: Vec<String>,
    /// Values of stage, source, responsible, currency or type columns that name nothing here:
    /// empty (leave the field empty, the text kept on the record's history), create (new
    /// sources and stages; administrators), or reject (refuse the row).
    #[arg(long, default_value = "empty", ignore_case = true, value_parser = super::help::one_of(UNKNOWN))]
    pub unknown: String,
    /// Refuse a row for its first bad value instead of leaving the value out.
    #[arg(long)]
    pub strict: bool,
    /// Check every row and report what would happen, with the values that name nothing;
    /// write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Where the report goes: one line per row not created as it was (refused, skipped as a
    /// duplicate, merged, values left out), with the reason (default: FILE.report.csv; `-`:
    /// standard output, the summary then going to standard error).
    #[arg(long, alias = "rejects")]
    pub report: Option<PathBuf>,
    /// Load as one transaction with indexes built at the end: about twice as fast, but the
    /// file stays locked for the whole import (the default from 20,000 rows).
    #[arg(long)]
    pub bulk: bool,
    /// The records a calendar's events are bound to.
    #[command(flatten)]
    pub calendar: super::import_cards::CalendarArgs,
}

/// `export` flags.
#[derive(Args, Debug, Clone)]
pub struct ExportArgs {
    /// Records to export: lead, contact, company or deal (default: lead). With `--format
    /// ics`, the activities of these records only. Or the catalogue (product) or documents
    /// (quote, invoice, credit-note, document: all), as csv or json.
    #[arg(long, ignore_case = true, value_parser = super::help::one_of(EXPORTABLE))]
    pub entity: Option<String>,
    /// csv (spreadsheet-safe, every field), json, vcard (people) or ics (activities).
    #[arg(long, default_value = "csv", ignore_case = true, value_parser = super::help::one_of(FORMATS))]
    pub format: String,
    /// A table for a spreadsheet (French Excel) rather than the round-trip CSV: UTF-8 with
    /// BOM, `;`, decimal commas, headers in your language, ids and local dates.
    #[arg(long, conflicts_with = "format")]
    pub excel: bool,
    /// File to write (default, or `-`: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Only records in this stage (code or name).
    #[arg(long)]
    pub stage: Option<String>,
    /// Only records matching this search.
    #[arg(long)]
    pub search: Option<String>,
    /// Only records of this responsible user (login or name); with `--format ics`, only the
    /// activities this user is responsible for.
    #[arg(long)]
    pub responsible: Option<String>,
}

/// The CSV file of an import (standard input, `-`, copied to an unnamed temporary file
/// first: the rows are read as they are taken, never held whole) with the encoding and
/// separator given, if any.
pub fn csv_input(
    args: &ImportArgs,
) -> anyhow::Result<(std::fs::File, Option<&'static encoding_rs::Encoding>, Option<u8>)> {
    let encoding = args
        .encoding
        .as_deref()
        .map(csvio::encoding_for)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--encoding: {e}"))?;
    let separator = args
        .separator
        .as_deref()
        .map(csvio::separator_for)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--separator: {e}"))?;
    let file = if args.file.as_os_str() == "-" {
        let mut file = tempfile::tempfile().context("cannot read standard input")?;
        std::io::copy(&mut std::io::stdin().lock(), &mut file).context("cannot read standard input")?;
        file
    } else {
        std::fs::File::open(&args.file).with_context(|| format!("{}: cannot read", args.file.display()))?
    };
    Ok((file, encoding, separator))
}

/// Whether a path given for output means standard output (`-`, as in every Unix tool).
fn is_stdout(path: &std::path::Path) -> bool {
    path.as_os_str() == "-"
}

fn importable(text: &str) -> anyhow::Result<Entity> {
    match Entity::parse(text.trim()) {
        Some(e @ (Entity::Lead | Entity::Contact | Entity::Company)) => Ok(e),
        _ => bail!("--entity: '{text}' cannot be imported; use lead, contact or company"),
    }
}

/// How each column is mapped: `--map` first (by exact or normalised name), then the preset
/// and the English/French names.
fn targets(
    entity: Entity,
    headers: &[String],
    args: &ImportArgs,
    custom: &[crate::domain::custom_field::CustomField],
) -> anyhow::Result<(Vec<Target>, Option<Preset>)> {
    let preset = match &args.preset {
        Some(p) => Some(Preset::parse(p).with_context(|| {
            format!("--preset: '{p}' is not known; use {}", Preset::ALL.map(|p| p.code()).join(", "))
        })?),
        None => Preset::detect(headers),
    };
    let mut targets: Vec<Target> = import::mapping(entity, preset, headers);
    import::with_custom(&mut targets, headers, custom);
    for m in &args.map {
        let Some((column, field)) = m.split_once('=') else {
            bail!("{}", tr("import.map_form", &[("given", m)]));
        };
        // A field of the team's own by its code, else a built-in one.
        let own = custom.iter().find(|f| f.code == field.trim().to_lowercase()).map(|f| Target::Custom(f.code.clone()));
        let target = own.map_or_else(|| import::parse_target(entity, field), Ok).map_err(|e| {
            anyhow::anyhow!("--map {m}: {}", crate::i18n::describe(&e.problem, field.trim(), crate::i18n::lang()))
        })?;
        let wanted = import::normalize_header(column);
        let Some(i) = headers
            .iter()
            .position(|h| h.trim() == column.trim())
            .or_else(|| headers.iter().position(|h| import::normalize_header(h) == wanted))
        else {
            let columns = headers.iter().map(String::as_str).collect::<Vec<_>>();
            bail!("{}", tr("import.map_no_column", &[("column", column.trim()), ("columns", &some_of(&columns))]));
        };
        targets[i] = target;
    }
    // Columns only kept in the comments make no record: say so rather than refuse every row.
    if targets.iter().all(|t| matches!(t, Target::Ignore | Target::Note)) {
        let what = tr(&format!("entity.{}", entity.code()), &[]).to_lowercase();
        let columns = headers.iter().map(String::as_str).collect::<Vec<_>>();
        bail!("{}", tr("import.nothing_mapped", &[("entity", &what), ("columns", &some_of(&columns))]));
    }
    Ok((targets, preset))
}

/// Runs `prospect import`.
pub fn run_import(s: &mut Session, args: ImportArgs) -> anyhow::Result<()> {
    if args.entity == "product" {
        return super::commerce::import_products(s, &args);
    }
    // A vCard or a calendar, by its content whatever its name, goes its own way.
    match super::import_cards::format_of(&args) {
        crate::io::cards::Format::VCard => return super::import_cards::run_vcard(s, &args),
        crate::io::cards::Format::ICalendar => return super::import_cards::run_ics(s, &args),
        crate::io::cards::Format::Csv => super::import_cards::csv_only(&args)?,
    }
    let entity = importable(&args.entity)?;
    let duplicates = DuplicateMode::parse(&args.duplicates)
        .with_context(|| format!("--duplicates: '{}' is not one of: skip, merge, replace, all", args.duplicates))?;
    let match_on = MatchOn::parse(&args.match_on)
        .map_err(|e| anyhow::anyhow!("--match: {}", crate::i18n::describe(&e.problem, "match", crate::i18n::lang())))?;
    let unknown = Unknown::parse(&args.unknown)
        .with_context(|| format!("--unknown: '{}' is not one of: empty, create, reject", args.unknown))?;
    let rules =
        args.values.iter().map(|v| ValueRule::parse(v)).collect::<Result<Vec<_>, _>>().map_err(|e| {
            anyhow::anyhow!("--value: {}", crate::i18n::describe(&e.problem, "value", crate::i18n::lang()))
        })?;
    let report_to_stdout = args.report.as_deref().is_some_and(is_stdout);
    if report_to_stdout && s.json {
        bail!("{}", tr("files.rejects_stdout_json", &[]));
    }
    let (file, encoding, separator) = csv_input(&args)?;
    let table =
        csvio::parse_file(file, encoding, separator).map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let custom = s.store.custom_fields(Some(entity))?;
    let (targets, preset) = targets(entity, &table.headers, &args, &custom)?;
    let total = table.len();
    // Large files go in as one transaction with indexes built once (see ImportOptions::bulk).
    let bulk = args.bulk || total >= crate::store::import::BULK_ROWS;
    let opts = ImportOptions { duplicates, match_on, dry_run: args.dry_run, bulk, ..Default::default() };
    let setup = ImportSetup { entity, targets, preset, rules, unknown, strict: args.strict, opts };
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr()) && !s.json;
    let started = std::time::Instant::now();
    let done = s.store.import_table(&table, &setup, |done| {
        if tty && total > 1000 {
            eprint!("\r{done}/{total}");
        }
    })?;
    if tty && total > 1000 {
        eprintln!();
    }
    let seconds = started.elapsed().as_secs_f64();
    let report = &done.report;
    let listed = report.rows.listed().count();
    // A dry run writes no file unless one is asked for.
    let report_path = (listed > 0 && (!args.dry_run || args.report.is_some()))
        .then(|| args.report.clone().unwrap_or_else(|| crate::io::import::report_file_for(&args.file)));
    if let Some(path) = &report_path {
        crate::io::import::write_report(path, s.store.path(), &table, report)?;
    }
    let sep = crate::io::import::separator_name(table.separator);
    let mapping: Vec<serde_json::Value> = table
        .headers
        .iter()
        .zip(&setup.targets)
        .map(|(h, t)| json!({"column": h, "field": (t != &Target::Ignore).then(|| t.code())}))
        .collect();
    let column_list = |wanted: &dyn Fn(&Target) -> bool| -> Vec<&str> {
        table.headers.iter().zip(&setup.targets).filter(|(_, t)| wanted(t)).map(|(h, _)| h.as_str()).collect()
    };
    let left_out = column_list(&|t| *t == Target::Ignore);
    let noted = column_list(&|t| *t == Target::Note);
    if s.json {
        let rows: Vec<serde_json::Value> = report
            .rows
            .listed()
            .map(|(line, outcome)| {
                let mut row = serde_json::to_value(outcome).unwrap_or_default();
                row["line"] = json!(line);
                row["reason"] = json!(crate::io::import::outcome_words(outcome).1);
                row
            })
            .collect();
        let created_values: Vec<serde_json::Value> = done
            .created_values
            .iter()
            .map(|(field, name, code)| json!({"field": field, "name": name, "code": code}))
            .collect();
        output::json(&json!({
            "entity": entity.code(),
            "encoding": table.encoding,
            "separator": sep,
            "preset": preset.map(|p| p.code()),
            "mapping": mapping,
            "kept_in_comments": noted,
            "rows": total,
            "created": report.created,
            "created_with_values_left_out": report.partly,
            "merged": report.merged,
            "replaced": report.replaced,
            "skipped": report.skipped,
            "rejected": report.rejected,
            "report": rows,
            "unknown_values": done.unknown_values,
            "created_values": created_values,
            "report_file": report_path,
            "dry_run": args.dry_run,
            "seconds": seconds,
        }));
        return Ok(());
    }
    // With the report on standard output, the summary goes to standard error.
    let say = |text: String| if report_to_stdout { eprintln!("{text}") } else { println!("{text}") };
    say(crate::io::import::summary(crate::i18n::lang(), &args.file, &table, report, seconds));
    if let Some(p) = preset {
        say(tr("msg.import_preset", &[("preset", p.name())]));
    }
    if report.partly > 0 {
        say(tr_n("msg.import_partly", report.partly as u64, &[]));
    }
    if !noted.is_empty() {
        say(tr("msg.import_noted", &[("columns", &some_of(&noted))]));
    }
    if !left_out.is_empty() {
        say(tr("msg.import_left_out", &[("columns", &some_of(&left_out))]));
    }
    for (field, name, code) in &done.created_values {
        say(tr(
            "msg.import_value_created",
            &[("field", &crate::present::field_label(crate::i18n::lang(), field)), ("name", name), ("code", code)],
        ));
    }
    if !done.unknown_values.is_empty() {
        say(tr("msg.import_unknown_values", &[]));
        // The first 30, then how many more (`--json` has them all).
        for u in done.unknown_values.iter().take(30) {
            say(unknown_value_line(u));
        }
        if done.unknown_values.len() > 30 {
            say(format!("  …{}", tr_n("msg.and_more", (done.unknown_values.len() - 30) as u64, &[])));
        }
    }
    if let Some(p) = report_path.as_ref().filter(|_| !report_to_stdout) {
        say(tr_n("msg.import_report", listed as u64, &[("path", &p.display().to_string())]));
    }
    Ok(())
}

/// The first 30 names of a list, then how many more (a file of 10,000 columns says so in a
/// line, not a page).
fn some_of(names: &[&str]) -> String {
    const SHOWN: usize = 30;
    let mut text = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&tr_n("msg.and_more", (names.len() - SHOWN) as u64, &[]));
    }
    text
}

/// `  Source 'Salon de Lyon' (3 rows): left empty, the text kept; maybe Trade show (TRADE_SHOW)`
fn unknown_value_line(u: &UnknownValue) -> String {
    let action = match &u.resolution {
        Resolution::Code(code) => tr("import.value_mapped", &[("code", code)]),
        Resolution::Create(_) => tr("import.value_create", &[]),
        Resolution::Empty => tr("import.value_empty", &[]),
        Resolution::Reject => tr("import.value_reject", &[]),
    };
    let mut line =
        tr_n("import.value_line", u.rows as u64, &[("column", &u.header), ("value", &u.value), ("action", &action)]);
    if let Some(c) = &u.suggestion {
        line.push_str(&tr(
            "import.value_suggestion",
            &[("name", &c.name), ("code", &c.code), ("column", &u.header), ("value", &u.value)],
        ));
    }
    line
}

/// Runs `prospect export`.
pub fn run_export(s: &mut Session, args: ExportArgs) -> anyhow::Result<()> {
    use std::io::Write;
    let format = args.format.trim().to_lowercase();
    // Arguments are checked before the output file is created.
    if !matches!(format.as_str(), "ics" | "ical" | "icalendar" | "csv" | "json" | "vcard" | "vcf") {
        bail!("--format: '{format}' is not one of: csv, json, vcard, ics");
    }
    if let Some(what) = args.entity.as_deref().and_then(super::commerce::Exported::named) {
        return super::commerce::export(s, &args, what, &format);
    }
    let ics = matches!(format.as_str(), "ics" | "ical" | "icalendar");
    // `--entity activity` with iCalendar: every activity, as without `--entity`.
    let given = args.entity.as_deref().filter(|e| !(ics && matches!(e.trim(), "activity" | "activities")));
    let entity = match given.map(|e| (e, Entity::parse(e.trim()))) {
        None => Entity::Lead,
        Some((_, Some(e))) => e,
        Some((text, None)) => bail!("--entity: '{text}' is not one of: lead, contact, company, deal"),
    };
    if matches!(format.as_str(), "vcard" | "vcf") && !matches!(entity, Entity::Contact | Entity::Lead) {
        bail!("--format vcard: only people have cards; use --entity contact or lead");
    }
    let path = args.out.as_deref().filter(|p| !is_stdout(p));
    // What the export selects is read before the file is made: a refused filter (an
    // unknown stage) leaves no empty file behind.
    let calendar = if ics { Some(ics_calendar(s, &args, given.map(|_| entity))?) } else { None };
    let file_id = s.store.file_id()?;
    let existed = path.is_some_and(|p| std::fs::symlink_metadata(p).is_ok());
    let mut out: Box<dyn Write> = match path {
        // The file holds what the data file holds: it gets its permission bits.
        Some(path) => Box::new(std::io::BufWriter::new(
            crate::files::create(s.store.path(), path).with_context(|| format!("{}: cannot write", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let write = || -> anyhow::Result<(usize, &'static str)> {
        let done = match calendar {
            Some((text, count)) => {
                out.write_all(text.as_bytes())?;
                (count, "msg.exported")
            }
            None => {
                let filter = ListFilter {
                    stage: super::args::given(&args.stage),
                    search: super::args::given(&args.search),
                    responsible: super::args::given(&args.responsible),
                    ..Default::default()
                };
                let count = match format.as_str() {
                    "csv" if args.excel => {
                        crate::io::export::write_excel(entity, crate::i18n::lang(), &mut out, |page| {
                            s.store.for_each_page(entity, &filter, None, page)
                        })?
                    }
                    "csv" => crate::io::export::write_csv(entity, &mut out, |page| {
                        s.store.for_each_page(entity, &filter, None, page)
                    })?,
                    "json" => {
                        let mut first = true;
                        let n = s.store.for_each_page(entity, &filter, None, |records| -> anyhow::Result<()> {
                            for r in records {
                                out.write_all(if first { b"[\n" } else { b",\n" })?;
                                out.write_all(serde_json::to_string_pretty(&r.to_json())?.as_bytes())?;
                                first = false;
                            }
                            Ok(())
                        })?;
                        out.write_all(if n == 0 { b"[]\n" } else { b"\n]\n" })?;
                        n
                    }
                    _ => s.store.for_each_page(entity, &filter, None, |records| -> anyhow::Result<()> {
                        out.write_all(crate::io::export::vcards(records, &file_id).as_bytes())?;
                        Ok(())
                    })?,
                };
                (count, "msg.records_exported")
            }
        };
        out.flush()?;
        Ok(done)
    };
    let (count, key) = match write() {
        Ok(done) => done,
        Err(e) => {
            // A file this export made is not left half written.
            drop(out);
            if let Some(p) = path
                && !existed
            {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
    };
    drop(out);
    if let Some(path) = path {
        eprintln!("{}", tr_n(key, count as u64, &[("path", &path.display().to_string())]));
    }
    Ok(())
}

/// The iCalendar export and how many activities it holds. `--entity` (`entity`, when given),
/// `--stage` and `--search` select records as a list does (leads when only a stage or a
/// search is given), and the calendar holds the activities bound to them; `--responsible`
/// keeps the activities that user is responsible for (whoever the records belong to). No
/// filter: every activity of the file.
fn ics_calendar(s: &Session, args: &ExportArgs, entity: Option<Entity>) -> anyhow::Result<(String, usize)> {
    let (stage, search) = (super::args::given(&args.stage), super::args::given(&args.search));
    let responsible = super::args::given(&args.responsible);
    let responsible_id = responsible.as_deref().map(|u| s.store.user_id_of(u)).transpose()?;
    let mut rows = s.store.activities(&crate::store::activities::ActivityFilter {
        include_done: true,
        limit: usize::MAX / 2,
        responsible_id,
        ..Default::default()
    })?;
    if entity.is_some() || stage.is_some() || search.is_some() {
        let entity = entity.unwrap_or(Entity::Lead);
        let filter = ListFilter { stage, search, ..Default::default() };
        let mut ids = std::collections::HashSet::new();
        let mut after = None;
        loop {
            let page = ListFilter { after_id: after, oldest_first: true, limit: 500, ..filter.clone() };
            let found = s.store.list(entity, &page)?;
            let Some(last) = found.last() else { break };
            after = Some(last.id);
            ids.extend(found.iter().map(|r| r.id));
        }
        rows.retain(|a| a.bindings.iter().any(|(e, id, _)| *e == entity && ids.contains(id)));
    }
    // An activity stored before dates were bounded (year 10240) cannot be written: left out,
    // and `db check` names it.
    rows.retain(crate::io::ics::writable);
    let file_id = s.store.file_id()?;
    Ok((crate::io::ics::calendar(&rows, s.store.now(), &format!("{file_id}.prospect")), rows.len()))
}
