//! The product catalogue as CSV (SPEC E4, I3): out with every column, in again by those
//! columns' names in English or French (`name`/`nom`, `price`/`prix`, `tax`/`tva`…), a
//! spreadsheet's own export included. A row is one product; a code already in the catalogue
//! updates that product, so an exported catalogue edited in a spreadsheet goes back in.

use crate::domain::fields::parse_bool;
use crate::domain::import::unneutralize;
use crate::domain::money::{Money, plain_amount};
use crate::domain::product::{Product, ProductInput, percent_text};
use crate::domain::{FieldError, Problem};

/// A column of a catalogue file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProductColumn {
    /// Name (required).
    Name,
    /// Code or SKU.
    Code,
    /// Description.
    Description,
    /// Unit (`h`, `day`).
    Unit,
    /// Unit price, net of tax.
    Price,
    /// Currency code.
    Currency,
    /// Tax rate in percent.
    Tax,
    /// yes/no.
    Active,
    /// Section or category.
    Category,
}

/// Columns in the order an export writes them, with the header it writes.
pub const COLUMNS: [(ProductColumn, &str); 9] = [
    (ProductColumn::Code, "code"),
    (ProductColumn::Name, "name"),
    (ProductColumn::Description, "description"),
    (ProductColumn::Unit, "unit"),
    (ProductColumn::Price, "price"),
    (ProductColumn::Currency, "currency"),
    (ProductColumn::Tax, "tax"),
    (ProductColumn::Active, "active"),
    (ProductColumn::Category, "category"),
];

impl ProductColumn {
    /// The column a header names, in English or French, case and accents aside.
    pub fn named(header: &str) -> Option<ProductColumn> {
        let mut words = crate::domain::search::words(header);
        // `Prix unitaire HT`, `Price excl. VAT`: a price is net of tax here anyway.
        for tail in [&["ht"][..], &["hors", "taxe"], &["hors", "taxes"], &["excl", "vat"], &["excl", "tax"], &["net"]] {
            if words.len() > tail.len() && words.ends_with(&tail.iter().map(|w| w.to_string()).collect::<Vec<_>>()) {
                words.truncate(words.len() - tail.len());
            }
        }
        let h = words.join(" ");
        use ProductColumn::*;
        Some(match h.as_str() {
            "name" | "nom" | "product" | "produit" | "product name" | "nom du produit" | "designation" | "libelle" => {
                Name
            }
            "code" | "sku" | "ref" | "reference" | "product code" | "code produit" | "article" => Code,
            "description" | "details" | "detail" => Description,
            "unit" | "unite" | "uom" => Unit,
            "price" | "prix" | "unit price" | "prix unitaire" | "pu" | "net price" | "prix net" => Price,
            "currency" | "devise" | "monnaie" => Currency,
            "tax" | "tax rate" | "vat" | "vat rate" | "tva" | "taux de tva" | "taux tva" | "taxe" => Tax,
            "active" | "actif" | "enabled" | "in use" => Active,
            "category" | "categorie" | "section" | "family" | "famille" => Category,
            _ => return None,
        })
    }
}

/// What each column of a file is (`None`: left out), or the file refused because it has no
/// column of names.
pub fn columns_of(headers: &[String]) -> Result<Vec<Option<ProductColumn>>, Vec<String>> {
    let mut seen = Vec::new();
    let cols: Vec<Option<ProductColumn>> = headers
        .iter()
        .map(|h| {
            // The first column of a kind counts; a second one of it is left out.
            let c = ProductColumn::named(h).filter(|c| !seen.contains(c));
            seen.extend(c);
            c
        })
        .collect();
    if cols.contains(&Some(ProductColumn::Name)) { Ok(cols) } else { Err(headers.to_vec()) }
}

/// One row as a product's input; a cell left empty changes nothing of a product updated
/// (a new one takes the defaults).
pub fn input_of(cols: &[Option<ProductColumn>], row: &[String]) -> Result<ProductInput, FieldError> {
    let mut input = ProductInput::default();
    for (col, cell) in cols.iter().zip(row) {
        let Some(col) = col else { continue };
        let cell = unneutralize(cell).trim();
        if cell.is_empty() {
            continue;
        }
        let text = Some(cell.to_string());
        match col {
            ProductColumn::Name => input.name = text,
            ProductColumn::Code => input.code = text,
            ProductColumn::Description => input.description = text,
            ProductColumn::Unit => input.unit = text,
            ProductColumn::Price => input.price = text,
            ProductColumn::Currency => input.currency = text,
            ProductColumn::Tax => input.tax = Some(cell.trim_end_matches('%').trim().to_string()),
            ProductColumn::Category => input.category = text,
            ProductColumn::Active => {
                input.active = Some(
                    parse_bool(cell)
                        .ok_or_else(|| FieldError::new("active", Problem::Bool { value: cell.to_string() }))?,
                )
            }
        }
    }
    // A row without a name is refused as the form refuses it, whatever else it holds.
    if input.name.is_none() {
        return Err(FieldError::new("name", Problem::Required));
    }
    Ok(input)
}

/// A catalogue file read: each row as a product's input (or why not), and the columns
/// left out.
pub struct CatalogueFile {
    /// (line of the file, the row read).
    pub rows: Vec<(u64, Result<ProductInput, FieldError>)>,
    /// Headers that name no product column.
    pub left_out: Vec<String>,
}

/// Reads a catalogue CSV (encoding and separator detected unless given); a file that is not
/// CSV, or has no column of names, is refused with a message in `lang`.
pub fn read(
    file: std::fs::File,
    encoding: Option<&'static encoding_rs::Encoding>,
    separator: Option<u8>,
    lang: crate::i18n::Lang,
) -> Result<CatalogueFile, String> {
    let table = crate::io::csv::parse_file(file, encoding, separator).map_err(|e| e.to_string())?;
    let cols = columns_of(&table.headers)
        .map_err(|headers| crate::i18n::tr_in(lang, "import.products_no_name", &[("columns", &headers.join(", "))]))?;
    let left_out = table.headers.iter().zip(&cols).filter(|(_, c)| c.is_none()).map(|(h, _)| h.clone()).collect();
    let rows = table.rows(0).map(|(line, row)| (line, input_of(&cols, &row))).collect();
    Ok(CatalogueFile { rows, left_out })
}

/// Header and rows of a catalogue export: prices as plain amounts (`1200.50`), rates as
/// percent (`5.5`), active as `yes`/`no`: what `input_of` reads back.
pub fn table(products: &[Product]) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = COLUMNS.iter().map(|(_, h)| h.to_string()).collect();
    let rows = products
        .iter()
        .map(|p| {
            COLUMNS
                .iter()
                .map(|(c, _)| match c {
                    ProductColumn::Code => p.code.clone().unwrap_or_default(),
                    ProductColumn::Name => p.name.clone(),
                    ProductColumn::Description => p.description.clone().unwrap_or_default(),
                    ProductColumn::Unit => p.unit.clone().unwrap_or_default(),
                    ProductColumn::Price => plain_amount(Money { minor: p.price, currency: p.currency }),
                    ProductColumn::Currency => p.currency.code().to_string(),
                    ProductColumn::Tax => percent_text(p.tax_rate),
                    ProductColumn::Active => (if p.active { "yes" } else { "no" }).to_string(),
                    ProductColumn::Category => p.category.clone().unwrap_or_default(),
                })
                .collect()
        })
        .collect();
    (headers, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn french_headers_are_read() {
        let cols =
            columns_of(&strings(&["Référence", "Désignation", "Prix unitaire HT", "TVA", "Unité", "Notes"])).unwrap();
        use ProductColumn::*;
        assert_eq!(cols, [Some(Code), Some(Name), Some(Price), Some(Tax), Some(Unit), None]);
        assert_eq!(ProductColumn::named("Unit price (excl. VAT)"), Some(Price));
        assert_eq!(ProductColumn::named("HT"), None);
        let cols = columns_of(&strings(&["Nom", "Prix HT", "Catégorie", "Actif"])).unwrap();
        assert_eq!(cols, [Some(Name), Some(Price), Some(Category), Some(Active)]);
        assert_eq!(columns_of(&strings(&["code", "price"])), Err(strings(&["code", "price"])));
    }

    #[test]
    fn a_row_reads_as_input_and_a_bad_flag_is_named() {
        use ProductColumn::*;
        let cols = [Some(Name), Some(Price), Some(Tax), Some(Active), None];
        let i = input_of(&cols, &strings(&["Conseil", "1 200,50", "5,5 %", "oui", "x"])).unwrap();
        assert_eq!(
            (i.name.as_deref(), i.price.as_deref(), i.tax.as_deref(), i.active),
            (Some("Conseil"), Some("1 200,50"), Some("5,5"), Some(true))
        );
        let e = input_of(&cols, &strings(&["Conseil", "10", "20", "maybe"])).unwrap_err();
        assert_eq!(e.field, "active");
        assert_eq!(input_of(&cols, &strings(&["", "10"])).unwrap_err().field, "name");
    }
}
