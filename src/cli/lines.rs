//! `prospect deal line …` and `prospect lead line …`: a record's line items (SPEC E4). The
//! record's amount is the gross total of its lines while it has any.

use super::args::parse_id;
use super::{Session, output};
use crate::domain::fields::Entity;
use crate::domain::money::Money;
use crate::domain::product::{LineInput, percent_text};
use crate::i18n::tr;
use crate::store::RecordRef;
use crate::store::lines::RecordLines;
use clap::{Args, Subcommand};

/// What a line sells and at what terms (an edit changes only those given).
#[derive(Args, Debug, Clone, Default)]
pub struct LineFlags {
    /// Sell this product of the catalogue (code or id): its name, unit, price and tax rate
    /// unless given.
    #[arg(long)]
    pub product: Option<String>,
    /// What the line sells, when not a product (or a product line's own wording).
    #[arg(long)]
    pub text: Option<String>,
    /// Unit price before tax, in the record's currency.
    #[arg(long, allow_hyphen_values = true)]
    pub price: Option<String>,
    /// Quantity (decimals allowed: 1,5; default 1).
    #[arg(long, allow_hyphen_values = true)]
    pub qty: Option<String>,
    /// Discount: a percentage (10%) or an amount off the line (50); empty: none.
    #[arg(long, allow_hyphen_values = true)]
    pub discount: Option<String>,
    /// Tax rate in percent (20, 5,5).
    #[arg(long, allow_hyphen_values = true)]
    pub tax: Option<String>,
    /// Unit sold (h, day, pcs).
    #[arg(long)]
    pub unit: Option<String>,
}

impl LineFlags {
    fn input(self) -> LineInput {
        LineInput {
            product: self.product,
            text: self.text,
            qty: self.qty,
            price: self.price,
            discount: self.discount,
            tax: self.tax,
            unit: self.unit,
        }
    }
}

/// Line item commands.
#[derive(Subcommand, Debug)]
pub enum LineCmd {
    /// Add a line after the others (a product, or --text with --price).
    Add {
        /// Record id.
        #[arg(value_parser = parse_id)]
        id: i64,
        /// The line.
        #[command(flatten)]
        flags: LineFlags,
    },
    /// The record's lines and their totals per tax rate.
    List {
        /// Record id.
        #[arg(value_parser = parse_id)]
        id: i64,
    },
    /// Change a line (its number as `line list` shows it).
    Edit {
        /// Record id.
        #[arg(value_parser = parse_id)]
        id: i64,
        /// Line number.
        #[arg(value_parser = parse_id)]
        line: i64,
        /// What changes.
        #[command(flatten)]
        flags: LineFlags,
    },
    /// Delete a line; the ones after it move up. Without lines, the amount stays as it was.
    Delete {
        /// Record id.
        #[arg(value_parser = parse_id)]
        id: i64,
        /// Line number.
        #[arg(value_parser = parse_id)]
        line: i64,
    },
}

/// Whether the command writes.
pub fn writes(c: &LineCmd) -> bool {
    !matches!(c, LineCmd::List { .. })
}

/// Prints a record's lines and totals (also under `show`).
pub fn print_lines(l: &RecordLines) {
    print_items(&l.lines, &l.totals, l.currency);
}

/// Prints lines and their totals in `currency`: a record's or a document's.
pub fn print_items(
    items: &[crate::domain::product::Line],
    totals: &crate::domain::lines::Totals,
    currency: crate::domain::money::Currency,
) {
    let money = |minor: i64| output::money(minor, Some(currency.code()));
    let lang = crate::i18n::lang();
    let decimal = |text: String| crate::present::decimal(lang, &text);
    let headers: Vec<String> = ["line", "name", "qty", "price", "discount", "tax", "net"]
        .map(|k| tr(&format!("product.line_{k}"), &[]))
        .into();
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|line| {
            let qty = match &line.unit {
                Some(u) => format!("{} {u}", decimal(line.qty_text())),
                None => decimal(line.qty_text()),
            };
            let discount = match line.money.discount {
                crate::domain::lines::Discount::Amount(a) => money(a),
                crate::domain::lines::Discount::Percent(p) => format!("{} %", decimal(percent_text(p))),
                crate::domain::lines::Discount::None => String::new(),
            };
            vec![
                line.position.to_string(),
                line.name.clone(),
                qty,
                money(line.money.unit_price),
                discount,
                format!("{} %", decimal(line.rate_text())),
                money(line.money.net()),
            ]
        })
        .collect();
    output::table(&headers, &rows);
    println!("  {:<28} {}", tr("product.total_net", &[]), money(totals.net));
    for r in &totals.rates {
        let label = tr("product.total_rate", &[("rate", &decimal(percent_text(r.rate))), ("net", &money(r.net))]);
        println!("  {label:<28} {}", money(r.tax));
    }
    println!("  {:<28} {}", tr("product.total_gross", &[]), money(totals.gross));
}

/// Runs a line command on a lead or deal.
pub fn run(s: &mut Session, entity: Entity, c: LineCmd) -> anyhow::Result<()> {
    let (lines, said) = match c {
        LineCmd::List { id } => (s.store.lines(RecordRef::new(entity, id))?, None),
        LineCmd::Add { id, flags } => {
            let l = s.store.add_line(RecordRef::new(entity, id), &flags.input())?;
            let n = l.lines.len() as i64;
            (l, Some(("product.line_added", n)))
        }
        LineCmd::Edit { id, line, flags } => {
            (s.store.edit_line(RecordRef::new(entity, id), line, &flags.input())?, Some(("product.line_changed", line)))
        }
        LineCmd::Delete { id, line } => {
            (s.store.delete_line(RecordRef::new(entity, id), line)?, Some(("product.line_deleted", line)))
        }
    };
    if s.json {
        let mut j = lines.to_json();
        j["entity"] = entity.code().into();
        j["id"] = lines.id.into();
        output::json(&j);
        return Ok(());
    }
    if let Some((key, line)) = said {
        let amount = crate::domain::money::format_money(
            Money { minor: lines.totals.gross, currency: lines.currency },
            crate::i18n::lang().number_style(),
        );
        let args = [
            ("line", line.to_string()),
            ("entity", tr(&format!("entity.{}", entity.code()), &[])),
            ("id", lines.id.to_string()),
            ("amount", amount),
        ];
        let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        println!("{}", tr(key, &refs));
    }
    if lines.lines.is_empty() {
        println!("{}", tr("product.no_lines", &[]));
    } else {
        print_lines(&lines);
    }
    Ok(())
}
