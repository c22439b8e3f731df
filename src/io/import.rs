//! A CSV table turned into rows to import, and the import's report written back: shared by
//! `prospect import` and the interface's import wizard.

use crate::domain::import::values::{ValueCounts, listed_columns};
use crate::domain::import::{self, RowContext, Target};
use crate::domain::import_rows::{ImportReport, ImportRow, RowOutcome};
use crate::domain::record::{CommsChange, RecordInput};
use crate::io::csv::Table;
use anyhow::Context;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The rows to import from the `from`-th on, each with its input or the reason it cannot be
/// one, made as the store takes them (never all at once): `Service::import`'s row source.
pub fn rows<'a>(ctx: RowContext<'a>, table: &'a Table, from: usize) -> impl Iterator<Item = ImportRow> + 'a {
    let n = table.headers.len();
    table.rows(from).map(move |(line, cells)| {
        if cells.len() != n {
            let reason = crate::i18n::tr(
                "refused.row_cells",
                &[("cells", &cells.len().to_string()), ("header", &n.to_string())],
            );
            return ImportRow { line, input: Err(reason), left_out: Vec::new(), created_at: None };
        }
        let made = import::row_input(&ctx, line, &cells);
        ctx.values.row_done(line);
        match made {
            Ok(v) => ImportRow {
                line,
                input: Ok(RecordInput {
                    fields: v.fields,
                    comms: CommsChange { add: v.comms, ..Default::default() },
                    companies: v.companies,
                    contacts: crate::domain::record::LinksChange { add: v.contacts, ..Default::default() },
                    origin: Some("import".into()),
                }),
                left_out: v.left_out,
                created_at: v.created_at,
            },
            Err(e) => {
                let reason = if e.field == "row" {
                    crate::i18n::describe(&e.problem, &e.field, crate::i18n::lang())
                } else {
                    format!("{}: {}", e.field, crate::i18n::describe(&e.problem, &e.field, crate::i18n::lang()))
                };
                ImportRow { line, input: Err(reason), left_out: Vec::new(), created_at: None }
            }
        }
    })
}

/// The distinct values of the columns whose values name a stage, source, user, currency or
/// type, with how many rows hold each (one pass over those columns only).
pub fn scan_values(entity: crate::domain::fields::Entity, table: &Table, targets: &[Target]) -> ValueCounts {
    let columns = listed_columns(entity, targets);
    let mut counts = ValueCounts::default();
    if columns.is_empty() {
        return counts;
    }
    let columns: Vec<usize> = columns.iter().map(|(c, _)| *c).collect();
    table.scan_columns(&columns, |col, cell| counts.add(col, cell));
    counts
}

/// How a separator is named to the user: `,` `;` or `tab`.
pub fn separator_name(separator: u8) -> String {
    match separator {
        b'\t' => "tab".to_string(),
        b => (b as char).to_string(),
    }
}

/// The first line of an import's result in `lang`: the file, how it was read, the counts and
/// the time (a dry run says nothing was written). The CLI and the wizard say the same.
pub fn summary(lang: crate::i18n::Lang, file: &Path, table: &Table, report: &ImportReport, seconds: f64) -> String {
    let key = if report.dry_run { "msg.import_dry_run" } else { "msg.import_done" };
    crate::i18n::tr_in(
        lang,
        key,
        &[
            ("file", &file.display().to_string()),
            ("encoding", table.encoding),
            ("separator", &separator_name(table.separator)),
            ("rows", &table.len().to_string()),
            ("created", &report.created.to_string()),
            ("merged", &report.merged.to_string()),
            ("replaced", &report.replaced.to_string()),
            ("skipped", &report.skipped.to_string()),
            ("rejected", &report.rejected.to_string()),
            ("seconds", &crate::present::seconds(lang, seconds)),
        ],
    )
}

/// Where the report goes by default: `NAME.report.csv` next to the file.
pub fn report_file_for(file: &Path) -> PathBuf {
    if file.as_os_str() == "-" {
        return PathBuf::from("import.report.csv");
    }
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}.report.csv"))
}

/// A report line's outcome and reason, in the user's language: what the report file, the
/// CLI and the wizard's result screen say of a row.
pub fn outcome_words(outcome: &RowOutcome) -> (String, String) {
    outcome_words_in(crate::i18n::lang(), outcome)
}

/// A report line's outcome and reason in `lang` (the TUI's language, which tests set apart
/// from the process's).
pub fn outcome_words_in(lang: crate::i18n::Lang, outcome: &RowOutcome) -> (String, String) {
    let tr = |key: &str, args: &[(&str, &str)]| crate::i18n::tr_in(lang, key, args);
    let left = |l: &[crate::domain::import_rows::LeftOut]| {
        l.iter()
            .map(|x| {
                tr(
                    "import.left_out_value",
                    &[
                        ("field", &crate::present::value_label(lang, &x.field)),
                        ("value", &x.value),
                        ("reason", &x.reason),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let by = |m: &[String]| crate::present::matched_by(lang, m);
    match outcome {
        RowOutcome::Created { id, left_out } => {
            (tr("import.outcome_partly", &[("id", &id.to_string())]), left(left_out))
        }
        RowOutcome::Merged { id, matched_by, left_out } => {
            let mut why = tr("import.matched_by", &[("by", &by(matched_by))]);
            if !left_out.is_empty() {
                why = format!("{why}; {}", left(left_out));
            }
            (tr("import.outcome_merged", &[("id", &id.to_string())]), why)
        }
        RowOutcome::Replaced { id, matched_by, left_out } => {
            let mut why = tr("import.matched_by", &[("by", &by(matched_by))]);
            if !left_out.is_empty() {
                why = format!("{why}; {}", left(left_out));
            }
            (tr("import.outcome_replaced", &[("id", &id.to_string())]), why)
        }
        RowOutcome::Skipped { id: 0, matched_by } => {
            (tr("import.outcome_skipped_hidden", &[]), tr("import.matched_by", &[("by", &by(matched_by))]))
        }
        RowOutcome::Skipped { id, matched_by } => (
            tr("import.outcome_skipped", &[("id", &id.to_string())]),
            tr("import.matched_by", &[("by", &by(matched_by))]),
        ),
        RowOutcome::Rejected { reason } => (tr("import.outcome_rejected", &[]), reason.clone()),
    }
}

/// Writes the report: one line per row that did not become a new record as it was (line,
/// outcome, record, reason, then the row's cells as the file had them), UTF-8 with a BOM so a
/// spreadsheet reads its accents, to `path` (`-`: standard output). The file gets the bits of
/// `data_file`, whose data it holds. Returns the lines written.
pub fn write_report(path: &Path, data_file: &Path, table: &Table, report: &ImportReport) -> anyhow::Result<usize> {
    use crate::i18n::tr;
    let mut headers = vec![
        tr("import.col_line", &[]),
        tr("import.col_outcome", &[]),
        tr("import.col_record", &[]),
        tr("import.col_reason", &[]),
    ];
    headers.extend(table.headers.iter().cloned());
    let listed: HashSet<u64> = report.rows.listed().map(|(line, _)| line).collect();
    let by_line: HashMap<u64, Vec<String>> = table.rows(0).filter(|(l, _)| listed.contains(l)).collect();
    let mut rows = Vec::new();
    for (line, outcome) in report.rows.listed() {
        let (what, why) = outcome_words(outcome);
        let record = outcome.record().map(|id| format!("#{id}")).unwrap_or_default();
        let mut row = vec![line.to_string(), what, record, why];
        if let Some(cells) = by_line.get(&line) {
            row.extend(cells.iter().cloned());
        }
        rows.push(row);
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(crate::io::csv::write_table(&headers, &rows)?);
    let cannot = || tr("import.cannot_write", &[("path", &path.display().to_string())]);
    if path.as_os_str() == "-" {
        std::io::stdout().lock().write_all(&bytes).with_context(cannot)?;
        return Ok(rows.len());
    }
    let mut file = crate::files::create(data_file, path).with_context(cannot)?;
    file.write_all(&bytes).with_context(cannot)?;
    Ok(rows.len())
}
