//! The product catalogue and line items (SPEC E4): the catalogue is read by everyone and
//! changed by administrators; a record's lines are changed by whoever may edit the record,
//! and make its amount.

use super::Service;
use crate::domain::access::Action;
use crate::domain::money::parse_amount;
use crate::domain::product::{LineInput, Product, ProductInput};
use crate::domain::{FieldError, Problem};
use crate::store::lines::{LineChange, RecordLines, holds_lines, require_holder};
use crate::store::records::{RecordInput, RecordRef};
use crate::store::{AdminTask, Result, Rule, StoreError};

impl Service {
    /// The catalogue by name (inactive products too with `all`).
    pub fn products(&self, all: bool) -> Result<Vec<Product>> {
        self.engine.products(all)
    }

    /// One product by id or code.
    pub fn product(&self, key: &str) -> Result<Product> {
        self.engine.product(key)
    }

    /// Adds a product to the catalogue (administrators only), priced in the file's currency
    /// unless the input names one.
    pub fn add_product(&mut self, input: &ProductInput) -> Result<Product> {
        self.require_admin(AdminTask::ChangeProducts)?;
        let product = input.apply(None, self.options().currency)?;
        self.engine.save_product(&product)
    }

    /// Changes a product (administrators only); the lines that sold it keep what they sold.
    pub fn edit_product(&mut self, key: &str, input: &ProductInput) -> Result<Product> {
        self.require_admin(AdminTask::ChangeProducts)?;
        let current = self.engine.product(key)?;
        let product = input.apply(Some(&current), self.options().currency)?;
        self.engine.save_product(&product)
    }

    /// Deletes a product (administrators only): the product, and how many lines sold it
    /// (they keep their copy of it).
    pub fn delete_product(&mut self, key: &str) -> Result<(Product, i64)> {
        self.require_admin(AdminTask::ChangeProducts)?;
        let product = self.engine.product(key)?;
        let used = self.engine.delete_product(product.id)?;
        Ok((product, used))
    }

    /// Imports a catalogue, row by row (administrators only): a row whose code is already
    /// in the catalogue (case aside) updates that product, any other adds one. A refused
    /// row is reported with its line and the rest still go in; with `dry_run` nothing is
    /// written and the same report is made.
    pub fn import_products(
        &mut self,
        rows: impl IntoIterator<Item = (u64, std::result::Result<ProductInput, FieldError>)>,
        dry_run: bool,
    ) -> Result<ProductImport> {
        self.require_admin(AdminTask::ChangeProducts)?;
        let currency = self.options().currency;
        let key = |code: &str| code.trim().to_lowercase();
        let all = self.engine.products(true)?;
        let mut uncoded: Vec<Product> = all.iter().filter(|p| p.code.is_none()).cloned().collect();
        let mut by_code: std::collections::HashMap<String, Product> =
            all.into_iter().filter_map(|p| Some((key(p.code.as_deref()?), p))).collect();
        let mut report = ProductImport { dry_run, ..Default::default() };
        for (line, row) in rows {
            let input = match row {
                Ok(input) => input,
                Err(e) => {
                    report.refused.push((line, StoreError::Field(e)));
                    continue;
                }
            };
            // A row without a code is the product of its name that has none (an export of
            // the catalogue goes back in without doubling them).
            let nameless: Option<&Product> = match (&input.code, &input.name) {
                (None, Some(name)) => {
                    let mut same = uncoded.iter().filter(|p| p.name.to_lowercase() == name.trim().to_lowercase());
                    match (same.next(), same.next()) {
                        (Some(p), None) => Some(p),
                        _ => None,
                    }
                }
                _ => None,
            };
            let current = input.code.as_deref().and_then(|c| by_code.get(&key(c))).or(nameless);
            let updating = current.is_some();
            // `cons` names CONS: the catalogue keeps its spelling of the code.
            let input = if updating { ProductInput { code: None, ..input } } else { input };
            let product = match input.apply(current, currency) {
                Ok(p) => p,
                Err(e) => {
                    report.refused.push((line, StoreError::Field(e)));
                    continue;
                }
            };
            let saved = if dry_run {
                product
            } else {
                match self.engine.save_product(&product) {
                    Ok(saved) => saved,
                    Err(e @ (StoreError::Field(_) | StoreError::Rule(_))) => {
                        report.refused.push((line, e));
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            };
            if updating {
                report.updated += 1;
            } else {
                report.added += 1;
            }
            match saved.code.as_deref() {
                Some(code) => {
                    by_code.insert(key(code), saved.clone());
                }
                None if !updating => uncoded.push(saved.clone()),
                None => {}
            }
        }
        Ok(report)
    }

    /// A record's lines and totals.
    pub fn lines(&self, record: RecordRef) -> Result<RecordLines> {
        require_holder(record.entity)?;
        self.require_visible(record)?;
        self.engine.lines(record)
    }

    /// The product a line input names, refused when it is no longer offered.
    fn line_product(&self, input: &LineInput) -> Result<Option<Product>> {
        let Some(key) = input.product.as_deref().filter(|k| !k.trim().is_empty()) else { return Ok(None) };
        let product = self.engine.product(key)?;
        if !product.active {
            let name = product.name.clone();
            return Err(FieldError::new("product", Problem::refused("product_inactive", &[("value", &name)])).into());
        }
        Ok(Some(product))
    }

    /// Adds a line after the record's others; the record's amount becomes its lines' total.
    /// A record without lines takes the currency of the product sold first.
    pub fn add_line(&mut self, record: RecordRef, input: &LineInput) -> Result<RecordLines> {
        require_holder(record.entity)?;
        self.require(Action::Update, record)?;
        let current = self.engine.lines(record)?;
        let product = self.line_product(input)?;
        let currency = match &product {
            Some(p) if current.lines.is_empty() => p.currency,
            _ => current.currency,
        };
        let line = input.apply(None, product.as_ref(), currency)?;
        self.engine.change_lines(record, currency, &LineChange::Add(line))
    }

    /// Changes the line at `place` (1 is the first) with what `input` gives.
    pub fn edit_line(&mut self, record: RecordRef, place: i64, input: &LineInput) -> Result<RecordLines> {
        require_holder(record.entity)?;
        self.require(Action::Update, record)?;
        let current = self.engine.lines(record)?;
        let base = usize::try_from(place - 1)
            .ok()
            .and_then(|i| current.lines.get(i))
            .ok_or(StoreError::Rule(Rule::NoSuchLine { entity: record.entity, id: record.id, line: place }))?;
        let product = self.line_product(input)?;
        let line = input.apply(Some(base), product.as_ref(), current.currency)?;
        self.engine.change_lines(record, current.currency, &LineChange::Edit(place, line))
    }

    /// Deletes the line at `place`; a record left without lines keeps the amount it had.
    pub fn delete_line(&mut self, record: RecordRef, place: i64) -> Result<RecordLines> {
        require_holder(record.entity)?;
        self.require(Action::Update, record)?;
        let current = self.engine.lines(record)?;
        self.engine.change_lines(record, current.currency, &LineChange::Delete(place))
    }

    /// Refuses an amount or currency typed on a record whose lines make its amount (the same
    /// value typed again is taken: a shown record fed back).
    pub(super) fn require_amount_free(&self, record: RecordRef, input: &RecordInput) -> Result<()> {
        if !holds_lines(record.entity) {
            return Ok(());
        }
        let typed = |key: &str| input.fields.iter().rev().find(|(k, _)| k.trim() == key).map(|(_, v)| v.trim());
        let (amount, currency) = (typed("amount"), typed("currency"));
        if amount.is_none() && currency.is_none() {
            return Ok(());
        }
        let held = self.engine.lines(record)?;
        if held.lines.is_empty() {
            return Ok(());
        }
        let same_currency = currency.is_none_or(|c| c.eq_ignore_ascii_case(held.currency.code()));
        let same_amount = amount.is_none_or(|a| parse_amount(a, held.currency) == Ok(held.totals.gross));
        if same_currency && same_amount {
            return Ok(());
        }
        Err(StoreError::Rule(Rule::AmountFromLines { entity: record.entity, id: record.id }))
    }
}

/// What a catalogue import did (or, dry, would do).
#[derive(Debug, Default)]
pub struct ProductImport {
    /// Products added.
    pub added: usize,
    /// Products updated (their code was in the catalogue).
    pub updated: usize,
    /// Rows refused: (line of the file, why).
    pub refused: Vec<(u64, StoreError)>,
    /// Nothing was written.
    pub dry_run: bool,
}

/// Why a catalogue row was refused, in `lang`, its field named as the catalogue's columns
/// are (`Prix unitaire : « douze » n'est pas un montant`), not by its key.
pub fn refused_row(e: &StoreError, lang: crate::i18n::Lang) -> String {
    let StoreError::Field(f) = e else { return e.message(lang) };
    let key = format!("product.col_{}", f.field);
    let label = crate::i18n::tr_in(lang, &key, &[]);
    let label = if label == key { f.field.clone() } else { label };
    let sep = if lang == crate::i18n::Lang::Fr { " : " } else { ": " };
    format!("{label}{sep}{}", crate::i18n::describe(&f.problem, &f.field, lang))
}
