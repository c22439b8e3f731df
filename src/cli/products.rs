//! `prospect product …`: the product catalogue (SPEC E4). Everyone lists it; administrators
//! change it. Lines sell from it (`prospect deal line add ID --product CODE`).

use super::{Session, output};
use crate::domain::money::{Money, plain_amount};
use crate::domain::product::{Product, ProductInput, percent_text};
use crate::i18n::tr;
use clap::{Args, Subcommand};
use serde_json::{Value as Json, json};

/// A product's values, as `add` and `edit` take them (an edit changes only those given).
#[derive(Args, Debug, Clone, Default)]
pub struct ProductFlags {
    /// Name, as lines show it.
    #[arg(long)]
    pub name: Option<String>,
    /// Code or SKU, unique (case aside); empty clears it.
    #[arg(long)]
    pub code: Option<String>,
    /// Unit price before tax, in the product's currency (1200, 1 200,50).
    #[arg(long, allow_hyphen_values = true)]
    pub price: Option<String>,
    /// Currency (ISO 4217; default: the file's).
    #[arg(long)]
    pub currency: Option<String>,
    /// Tax rate in percent (20, 5,5).
    #[arg(long, allow_hyphen_values = true)]
    pub tax: Option<String>,
    /// Unit sold (h, day, pcs).
    #[arg(long)]
    pub unit: Option<String>,
    /// Longer description.
    #[arg(long)]
    pub description: Option<String>,
    /// Section of the catalogue.
    #[arg(long)]
    pub category: Option<String>,
    /// Offered for new lines: yes or no.
    #[arg(long, value_name = "YES|NO", value_parser = super::args::yes_no)]
    pub active: Option<bool>,
}

impl ProductFlags {
    fn input(self) -> ProductInput {
        ProductInput {
            name: self.name,
            code: self.code,
            description: self.description,
            unit: self.unit,
            price: self.price,
            currency: self.currency,
            tax: self.tax,
            active: self.active,
            category: self.category,
        }
    }
}

/// Product commands (changes: administrators only).
#[derive(Subcommand, Debug)]
pub enum ProductCmd {
    /// Add a product to the catalogue.
    Add(ProductFlags),
    /// The catalogue by name.
    List {
        /// Inactive products too.
        #[arg(long)]
        all: bool,
    },
    /// One product, by code or id.
    Show {
        /// Code or id.
        product: String,
    },
    /// Change a product (lines already written keep what they sold).
    Edit {
        /// Code or id.
        product: String,
        /// What changes.
        #[command(flatten)]
        flags: ProductFlags,
    },
    /// Delete a product (lines that sold it keep their copy of it).
    Delete {
        /// Code or id.
        product: String,
    },
}

/// Whether the command writes.
pub fn writes(c: &ProductCmd) -> bool {
    !matches!(c, ProductCmd::List { .. } | ProductCmd::Show { .. })
}

/// A product as `--json` gives it: the price as decimal text in its currency.
pub fn product_json(p: &Product) -> Json {
    json!({
        "id": p.id,
        "code": p.code,
        "name": p.name,
        "description": p.description,
        "unit": p.unit,
        "price": plain_amount(Money { minor: p.price, currency: p.currency }),
        "currency": p.currency.code(),
        "tax_rate": percent_text(p.tax_rate),
        "active": p.active,
        "category": p.category,
    })
}

fn print_table(products: &[Product]) {
    // The id first: a product without a code is named by it (`product edit 7`).
    let mut headers: Vec<String> = vec!["#".into()];
    headers.extend(
        ["code", "name", "price", "tax", "unit", "category", "active"].map(|k| tr(&format!("product.col_{k}"), &[])),
    );
    let rows: Vec<Vec<String>> = products
        .iter()
        .map(|p| {
            vec![
                p.id.to_string(),
                p.code.clone().unwrap_or_default(),
                p.name.clone(),
                output::money(p.price, Some(p.currency.code())),
                format!("{} %", crate::present::decimal(crate::i18n::lang(), &percent_text(p.tax_rate))),
                p.unit.clone().unwrap_or_default(),
                p.category.clone().unwrap_or_default(),
                tr(if p.active { "label.yes" } else { "label.no" }, &[]),
            ]
        })
        .collect();
    output::table(&headers, &rows);
}

/// Runs a product command.
pub fn run(s: &mut Session, c: ProductCmd) -> anyhow::Result<()> {
    let (product, said) = match c {
        ProductCmd::List { all } => {
            let products = s.store.products(all)?;
            if s.json {
                output::json(&Json::Array(products.iter().map(product_json).collect()));
            } else if products.is_empty() {
                println!("{}", tr("product.none", &[]));
            } else {
                print_table(&products);
            }
            return Ok(());
        }
        ProductCmd::Show { product } => (s.store.product(&product)?, None),
        ProductCmd::Add(flags) => {
            let p = s.store.add_product(&flags.input())?;
            let said = tr("product.added", &[("name", &p.name)]);
            (p, Some(said))
        }
        ProductCmd::Edit { product, flags } => {
            let p = s.store.edit_product(&product, &flags.input())?;
            let said = tr("product.changed", &[("name", &p.name)]);
            (p, Some(said))
        }
        ProductCmd::Delete { product } => {
            let (p, used) = s.store.delete_product(&product)?;
            if s.json {
                output::json(&json!({"deleted": product_json(&p), "lines_kept": used}));
            } else {
                println!("{}", crate::i18n::tr_n("product.deleted", used as u64, &[("name", &p.name)]));
            }
            return Ok(());
        }
    };
    if s.json {
        output::json(&product_json(&product));
        return Ok(());
    }
    if let Some(said) = said {
        println!("{said}");
    }
    print_table(std::slice::from_ref(&product));
    if let Some(d) = &product.description {
        println!("\n{}", output::safe(d));
    }
    Ok(())
}
