//! A CSV table turned into rows to import, and the refused rows written back: shared by
//! `prospect import` and the interface's import wizard.

use crate::domain::dedup::PhoneRegion;
use crate::domain::fields::Entity;
use crate::domain::import::{self, Target};
use crate::domain::import_rows::{ImportReport, ImportRow};
use crate::domain::record::{CommsChange, RecordInput};
use crate::io::csv::{Table, write_table};
use anyhow::Context;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The rows to import from the `from`-th on, each with its input or the reason it cannot be
/// one, made as the store takes them (never all at once): `Service::import`'s row source.
pub fn rows<'a>(
    entity: Entity,
    table: &'a Table,
    targets: &'a [Target],
    region: PhoneRegion,
    from: usize,
) -> impl Iterator<Item = ImportRow> + 'a {
    let n = table.headers.len();
    table.rows(from).map(move |(line, cells)| {
        let input = if cells.len() != n {
            Err(crate::i18n::tr(
                "refused.row_cells",
                &[("cells", &cells.len().to_string()), ("header", &n.to_string())],
            ))
        } else {
            import::row_input(entity, targets, &cells, region)
                .map(|v| RecordInput {
                    fields: v.fields,
                    comms: CommsChange { add: v.comms, ..Default::default() },
                    companies: v.companies,
                    origin: Some("import".into()),
                })
                .map_err(|e| {
                    format!("{}: {}", e.field, crate::i18n::describe(&e.problem, &e.field, crate::i18n::lang()))
                })
        };
        ImportRow { line, input }
    })
}

/// Where refused rows go by default: `NAME.rejects.csv` next to the file.
pub fn rejects_file_for(file: &Path) -> PathBuf {
    if file.as_os_str() == "-" {
        return PathBuf::from("import.rejects.csv");
    }
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}.rejects.csv"))
}

/// Writes the refused rows as they were in the file, with their line and reason first, to
/// `path` (`-`: standard output). The file gets the bits of `data_file`, whose data it holds.
pub fn write_rejects(path: &Path, data_file: &Path, table: &Table, report: &ImportReport) -> anyhow::Result<()> {
    let mut headers = vec!["line".to_string(), "reason".to_string()];
    headers.extend(table.headers.iter().cloned());
    let refused: HashSet<u64> = report.rows.rejected().map(|(line, _)| line).collect();
    let by_line: HashMap<u64, Vec<String>> = table.rows(0).filter(|(l, _)| refused.contains(l)).collect();
    let mut rows = Vec::new();
    for (line, reason) in report.rows.rejected() {
        let mut row = vec![line.to_string(), reason.to_string()];
        if let Some(cells) = by_line.get(&line) {
            row.extend(cells.iter().cloned());
        }
        rows.push(row);
    }
    let bytes = write_table(&headers, &rows)?;
    let cannot = || format!("{}: cannot write the rejected rows", path.display());
    if path.as_os_str() == "-" {
        return std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes).with_context(cannot);
    }
    let mut file = crate::files::create(data_file, path).with_context(cannot)?;
    std::io::Write::write_all(&mut file, &bytes).with_context(cannot)
}
