//! The catalogue and the documents in and out (SPEC E4, E5, I3): `prospect import --entity
//! product FILE.csv`, `prospect export --entity product|quote|invoice|credit-note|document`.
//! The columns are `io::products` and `io::documents::table`; the rules, the service's.

use super::transfer::{ExportArgs, ImportArgs};
use super::{Session, output};
use crate::domain::document::DocKind;
use crate::i18n::{tr, tr_n};
use anyhow::{Context, bail};
use serde_json::{Value as Json, json};

/// What `export --entity` names besides records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exported {
    /// The product catalogue.
    Products,
    /// Documents, of one kind or all.
    Documents(Option<DocKind>),
}

impl Exported {
    /// From `--entity`'s canonical word.
    pub fn named(word: &str) -> Option<Exported> {
        Some(match word {
            "product" => Exported::Products,
            "quote" => Exported::Documents(Some(DocKind::Quote)),
            "invoice" => Exported::Documents(Some(DocKind::Invoice)),
            "credit-note" => Exported::Documents(Some(DocKind::CreditNote)),
            "document" => Exported::Documents(None),
            _ => return None,
        })
    }
}

/// `export --entity product|quote|…`: the whole table is made before the file is.
pub fn export(s: &mut Session, args: &ExportArgs, what: Exported, format: &str) -> anyhow::Result<()> {
    if !matches!(format, "csv" | "json") || args.excel {
        bail!("{}", tr("export.commerce_formats", &[]));
    }
    if args.stage.is_some() || args.search.is_some() || args.responsible.is_some() {
        bail!("{}", tr("export.commerce_filters", &[]));
    }
    let (json, (headers, rows)) = match what {
        Exported::Products => {
            let products = s.store.products(true)?;
            (
                Json::Array(products.iter().map(super::products::product_json).collect()),
                crate::io::products::table(&products),
            )
        }
        Exported::Documents(kind) => {
            let mut docs = s.store.export_documents(kind)?;
            if kind == Some(DocKind::Invoice) {
                // `invoice list` shows credit notes with the invoices; their own export is theirs.
                docs.retain(|d| d.kind == DocKind::Invoice);
            }
            (Json::Array(docs.iter().map(|d| d.to_json()).collect()), crate::io::documents::table::table(&docs))
        }
    };
    let count = rows.len();
    let bytes = if format == "json" {
        let mut b = serde_json::to_vec_pretty(&json)?;
        b.push(b'\n');
        b
    } else {
        crate::io::csv::write_table(&headers, &rows)?
    };
    match args.out.as_deref().filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            use std::io::Write;
            let mut f = crate::files::create(s.store.path(), path)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            f.write_all(&bytes).and_then(|_| f.flush()).with_context(|| format!("{}: cannot write", path.display()))?;
            eprintln!("{}", tr_n("export.commerce_written", count as u64, &[("path", &path.display().to_string())]));
        }
        None => {
            use std::io::Write;
            std::io::stdout().lock().write_all(&bytes)?;
        }
    }
    Ok(())
}

/// `import --entity product FILE.csv`: each row adds a product, or updates the one with its
/// code; a refused row is named with its line and why, and the others go in.
pub fn import_products(s: &mut Session, args: &ImportArgs) -> anyhow::Result<()> {
    let (file, encoding, separator) = super::transfer::csv_input(args)?;
    let lang = crate::i18n::lang();
    let read = crate::io::products::read(file, encoding, separator, lang)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let left_out = read.left_out;
    let done = s.store.import_products(read.rows, args.dry_run)?;
    if s.json {
        let refused: Vec<Json> = done
            .refused
            .iter()
            .map(|(line, e)| json!({"line": line, "reason": crate::service::refused_row(e, lang)}))
            .collect();
        output::json(&json!({
            "entity": "product",
            "added": done.added,
            "updated": done.updated,
            "refused": refused,
            "left_out": left_out,
            "dry_run": done.dry_run,
        }));
        return Ok(());
    }
    let key = if done.dry_run { "import.products_would" } else { "import.products_done" };
    let (added, updated, refused) = (done.added.to_string(), done.updated.to_string(), done.refused.len().to_string());
    println!("{}", tr(key, &[("added", &added), ("updated", &updated), ("refused", &refused)]));
    if !left_out.is_empty() {
        println!("{}", tr("import.products_left_out", &[("columns", &left_out.join(", "))]));
    }
    for (line, e) in &done.refused {
        println!(
            "{}",
            tr(
                "import.products_refused_row",
                &[("line", &line.to_string()), ("reason", &crate::service::refused_row(e, lang))]
            )
        );
    }
    Ok(())
}
