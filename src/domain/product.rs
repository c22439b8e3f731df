//! The product catalogue and the line items that sell from it (SPEC E4, issue 28): what a
//! product and a line are, and how typed input becomes one (each refusal names its field and
//! what it accepts). The money of a line is `domain::lines`.

use crate::domain::error::{FieldError, Problem};
use crate::domain::lines::{self, Discount, LineMoney, PERCENT_SCALE, QTY_SCALE};
use crate::domain::money::{Currency, Money, parse_amount, plain_amount};
use crate::domain::text::clean_line;
use serde::Serialize;

/// The longest name, code, unit or category kept (characters).
pub const MAX_TEXT: usize = 200;

/// A product of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Product {
    /// Its id (0 before it is written).
    pub id: i64,
    /// Code or SKU, unique (case aside) when given.
    pub code: Option<String>,
    /// Name, as a line shows it.
    pub name: String,
    /// Longer description.
    pub description: Option<String>,
    /// Unit sold (`h`, `day`, `pcs`).
    pub unit: Option<String>,
    /// Unit price in minor units of `currency`, before tax.
    pub price: i64,
    /// The price's currency.
    pub currency: Currency,
    /// Tax rate, in hundredths of a percent.
    pub tax_rate: i64,
    /// Offered for new lines (an inactive one stays on the lines that sold it).
    pub active: bool,
    /// Section of the catalogue.
    pub category: Option<String>,
}

/// A product as typed: each `None` leaves the value as it was (an edit), an empty text
/// clears an optional one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductInput {
    /// `--name`.
    pub name: Option<String>,
    /// `--code`.
    pub code: Option<String>,
    /// `--description`.
    pub description: Option<String>,
    /// `--unit`.
    pub unit: Option<String>,
    /// `--price` (in the product's currency).
    pub price: Option<String>,
    /// `--currency`.
    pub currency: Option<String>,
    /// `--tax` (`20`, `5,5`).
    pub tax: Option<String>,
    /// `--active yes|no`.
    pub active: Option<bool>,
    /// `--category`.
    pub category: Option<String>,
}

/// One line of text, trimmed, at most `MAX_TEXT` characters; empty is `None`.
fn optional_line(field: &str, text: &str) -> Result<Option<String>, FieldError> {
    let t = clean_line(text).trim().to_string();
    if t.chars().count() > MAX_TEXT {
        return Err(FieldError::new(field, Problem::TooLong { max: MAX_TEXT }));
    }
    Ok(Some(t).filter(|t| !t.is_empty()))
}

impl ProductInput {
    /// The product `base` (a new one: `None`, priced in `default_currency`) with this input
    /// applied, or the first value refused.
    pub fn apply(&self, base: Option<&Product>, default_currency: Currency) -> Result<Product, FieldError> {
        let mut p = base.cloned().unwrap_or(Product {
            id: 0,
            code: None,
            name: String::new(),
            description: None,
            unit: None,
            price: 0,
            currency: default_currency,
            tax_rate: 0,
            active: true,
            category: None,
        });
        if let Some(name) = &self.name {
            p.name = optional_line("name", name)?.unwrap_or_default();
        }
        if p.name.is_empty() {
            return Err(FieldError::new("name", Problem::Required));
        }
        if let Some(code) = &self.code {
            p.code = optional_line("code", code)?;
            if let Some(c) = &p.code
                && c.chars().any(char::is_whitespace)
            {
                return Err(FieldError::new("code", Problem::refused("product_code", &[("value", c)])));
            }
        }
        if let Some(d) = &self.description {
            let d = crate::domain::text::clean_multiline(d).trim().to_string();
            p.description = Some(d).filter(|d| !d.is_empty());
        }
        if let Some(u) = &self.unit {
            p.unit = optional_line("unit", u)?;
        }
        if let Some(c) = &self.category {
            p.category = optional_line("category", c)?;
        }
        if let Some(c) = &self.currency {
            p.currency = Currency::parse(c.trim())
                .ok_or_else(|| FieldError::new("currency", Problem::Currency { value: c.trim().to_string() }))?;
        }
        match &self.price {
            Some(price) => p.price = read_price("price", price, p.currency)?,
            None if base.is_none() => return Err(FieldError::new("price", Problem::Required)),
            None => {}
        }
        if let Some(tax) = &self.tax {
            p.tax_rate = lines::read_rate(tax)?;
        }
        if let Some(a) = self.active {
            p.active = a;
        }
        Ok(p)
    }
}

/// A unit price as typed, in minor units of `currency`: 0 or more.
pub fn read_price(field: &str, text: &str, currency: Currency) -> Result<i64, FieldError> {
    let minor = parse_amount(text, currency)
        .map_err(|why| FieldError::new(field, Problem::Amount { value: text.trim().to_string(), why }))?;
    if minor < 0 {
        return Err(FieldError::new(field, Problem::refused("line_price", &[("value", text.trim())])));
    }
    Ok(minor)
}

/// One line item of a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Its id (0 before it is written).
    pub id: i64,
    /// Its place among the record's lines, from 1.
    pub position: i64,
    /// The product it sells, if from the catalogue (its own copy of name, unit, price and
    /// rate stays when the product changes).
    pub product_id: Option<i64>,
    /// What it sells.
    pub name: String,
    /// Unit sold.
    pub unit: Option<String>,
    /// Quantity, price, discount and rate.
    #[serde(skip)]
    pub money: LineMoney,
}

impl Line {
    /// The quantity as typed back (`1.5`, `2`).
    pub fn qty_text(&self) -> String {
        scaled_text(self.money.qty, QTY_SCALE)
    }

    /// The tax rate as typed back (`20`, `5.5`).
    pub fn rate_text(&self) -> String {
        scaled_text(self.money.tax_rate, 100)
    }

    /// The discount as typed back (`10%`, `50.00`, empty), in `currency`.
    pub fn discount_text(&self, currency: Currency) -> String {
        match self.money.discount {
            Discount::None => String::new(),
            Discount::Percent(p) => format!("{}%", scaled_text(p, 100)),
            Discount::Amount(a) => plain_amount(Money { minor: a, currency }),
        }
    }

    /// What the history keeps of the line, in one text without words of a language:
    /// `2 h × Consulting @ 600.00 EUR -10% · 20 %` (the last is the tax rate).
    pub fn summary(&self, currency: Currency) -> String {
        let unit = self.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
        let mut out = format!(
            "{}{unit} × {} @ {} {}",
            self.qty_text(),
            self.name,
            plain_amount(Money { minor: self.money.unit_price, currency }),
            currency.code()
        );
        let discount = self.discount_text(currency);
        if !discount.is_empty() {
            out.push_str(&format!(" -{discount}"));
        }
        out.push_str(&format!(" · {} %", self.rate_text()));
        out
    }
}

/// `n / scale` written with as few decimals as it needs (`1.5`, `2`, `0.25`).
pub fn scaled_text(n: i64, scale: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let (whole, frac) = (n.unsigned_abs() / scale as u64, n.unsigned_abs() % scale as u64);
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let width = scale.to_string().len() - 1;
    let frac = format!("{frac:0width$}");
    format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
}

/// A line as typed (`deal line add`, the lines screen): each `None` leaves the value as it
/// was (an edit) or takes the product's (a new line from the catalogue).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    /// `--product CODE|ID`: sell this product.
    pub product: Option<String>,
    /// `--text`: what a line without product sells (or a product line's own name).
    pub text: Option<String>,
    /// `--qty` (default 1).
    pub qty: Option<String>,
    /// `--price`, the unit price in the record's currency.
    pub price: Option<String>,
    /// `--discount` (`10%`, `50`; empty: none).
    pub discount: Option<String>,
    /// `--tax` (`20`, `5,5`).
    pub tax: Option<String>,
    /// `--unit`.
    pub unit: Option<String>,
}

impl LineInput {
    /// The line `base` (a new one: `None`) with this input applied, selling `product` when
    /// one was named (its name, unit, price and rate unless typed), in `currency` (the
    /// record's): the first value refused, or a line the money rules take.
    pub fn apply(
        &self,
        base: Option<&Line>,
        product: Option<&Product>,
        currency: Currency,
    ) -> Result<Line, FieldError> {
        let mut line = base.cloned().unwrap_or(Line {
            id: 0,
            position: 0,
            product_id: None,
            name: String::new(),
            unit: None,
            money: LineMoney { qty: QTY_SCALE, unit_price: 0, discount: Discount::None, tax_rate: 0 },
        });
        if let Some(p) = product {
            if p.currency != currency {
                let both = format!("{}, {}", currency.code(), p.currency.code());
                return Err(FieldError::new("product", Problem::refused("document_currencies", &[("value", &both)])));
            }
            line.product_id = Some(p.id);
            line.name = p.name.clone();
            line.unit = p.unit.clone();
            line.money.unit_price = p.price;
            line.money.tax_rate = p.tax_rate;
        }
        if let Some(text) = &self.text {
            line.name = optional_line("text", text)?.unwrap_or_default();
        }
        if line.name.is_empty() {
            // Neither a product nor a text: say both ways.
            return Err(FieldError::new("text", Problem::Required));
        }
        if product.is_none() && base.is_none() && self.price.is_none() {
            return Err(FieldError::new("price", Problem::Required));
        }
        if let Some(u) = &self.unit {
            line.unit = optional_line("unit", u)?;
        }
        if let Some(q) = &self.qty {
            line.money.qty = lines::read_quantity(q)?;
        }
        if let Some(p) = &self.price {
            line.money.unit_price = read_price("price", p, currency)?;
        }
        if let Some(d) = &self.discount {
            line.money.discount = lines::read_discount(d, currency)?;
        }
        if let Some(t) = &self.tax {
            line.money.tax_rate = lines::read_rate(t)?;
        }
        line.money.check(false)?;
        Ok(line)
    }
}

/// Lines and their totals as `--json` gives them (a record's, a document's): amounts as
/// decimal text in `currency`, quantities and rates written out, totals per rate.
pub fn lines_json(
    items: &[Line],
    totals: &lines::Totals,
    currency: Currency,
) -> (serde_json::Value, serde_json::Value) {
    use serde_json::json;
    let money = |minor: i64| plain_amount(Money { minor, currency });
    let listed: Vec<serde_json::Value> = items
        .iter()
        .map(|l| {
            json!({
                "line": l.position,
                "product_id": l.product_id,
                "name": l.name,
                "unit": l.unit,
                "qty": scaled_text(l.money.qty, QTY_SCALE),
                "unit_price": money(l.money.unit_price),
                "discount": l.discount_text(currency),
                "tax_rate": percent_text(l.money.tax_rate),
                "net": money(l.money.net()),
            })
        })
        .collect();
    let rates: Vec<serde_json::Value> = totals
        .rates
        .iter()
        .map(|r| json!({"rate": percent_text(r.rate), "net": money(r.net), "tax": money(r.tax)}))
        .collect();
    let totals = json!({
        "net": money(totals.net),
        "tax": money(totals.tax),
        "gross": money(totals.gross),
        "rates": rates,
    });
    (serde_json::Value::Array(listed), totals)
}

/// The money of a record's lines, for the totals.
pub fn money_of(lines: &[Line]) -> Vec<LineMoney> {
    lines.iter().map(|l| l.money).collect()
}

/// A percentage in hundredths, as text (`20`, `5.5`).
pub fn percent_text(hundredths: i64) -> String {
    scaled_text(hundredths, PERCENT_SCALE / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn typed(name: &str, price: &str) -> ProductInput {
        ProductInput { name: Some(name.into()), price: Some(price.into()), ..Default::default() }
    }

    #[test]
    fn a_product_takes_a_name_and_a_price_and_names_what_it_refuses() {
        let p = ProductInput { tax: Some("5,5".into()), code: Some(" CONS-1 ".into()), ..typed("Conseil", "1 200,50") }
            .apply(None, eur())
            .unwrap();
        assert_eq!((p.price, p.tax_rate, p.code.as_deref()), (120_050, 550, Some("CONS-1")));
        assert_eq!(typed("", "10").apply(None, eur()).unwrap_err().field, "name");
        assert_eq!(
            ProductInput { name: Some("x".into()), ..Default::default() }.apply(None, eur()).unwrap_err().field,
            "price"
        );
        assert_eq!(typed("x", "-3").apply(None, eur()).unwrap_err().field, "price");
        assert_eq!(typed("x", "douze").apply(None, eur()).unwrap_err().field, "price");
        let bad_code = ProductInput { code: Some("A B".into()), ..typed("x", "1") };
        assert_eq!(bad_code.apply(None, eur()).unwrap_err().field, "code");
        let bad_tax = ProductInput { tax: Some("120".into()), ..typed("x", "1") };
        assert_eq!(bad_tax.apply(None, eur()).unwrap_err().field, "tax");
        let edit = ProductInput { price: Some("99".into()), ..Default::default() }.apply(Some(&p), eur()).unwrap();
        assert_eq!((edit.name.as_str(), edit.price, edit.tax_rate), ("Conseil", 9_900, 550));
    }

    #[test]
    fn a_line_takes_its_products_values_unless_typed() {
        let p = ProductInput { tax: Some("20".into()), unit: Some("h".into()), ..typed("Conseil", "600") }
            .apply(None, eur())
            .unwrap();
        let p = Product { id: 7, ..p };
        let input = LineInput { qty: Some("1,5".into()), discount: Some("10%".into()), ..Default::default() };
        let line = input.apply(None, Some(&p), eur()).unwrap();
        assert_eq!((line.product_id, line.name.as_str(), line.unit.as_deref()), (Some(7), "Conseil", Some("h")));
        assert_eq!(
            line.money,
            LineMoney { qty: 1_500, unit_price: 60_000, discount: Discount::Percent(1_000), tax_rate: 2_000 }
        );
        assert_eq!(line.money.net(), 81_000);
        assert_eq!(line.summary(eur()), "1.5 h × Conseil @ 600.00 EUR -10% · 20 %");
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(LineInput::default().apply(None, Some(&p), usd).unwrap_err().field, "product");
    }

    #[test]
    fn a_free_line_needs_a_text_and_a_price_and_keeps_to_the_money_rules() {
        let free = |text: &str, price: Option<&str>, qty: &str, discount: &str| LineInput {
            text: Some(text.into()),
            price: price.map(str::to_string),
            qty: Some(qty.into()),
            discount: Some(discount.into()),
            ..Default::default()
        };
        assert!(free("Install", Some("100"), "2", "").apply(None, None, eur()).is_ok());
        assert_eq!(free("", Some("100"), "2", "").apply(None, None, eur()).unwrap_err().field, "text");
        assert_eq!(free("Install", None, "2", "").apply(None, None, eur()).unwrap_err().field, "price");
        assert_eq!(free("Install", Some("100"), "-1", "").apply(None, None, eur()).unwrap_err().field, "qty");
        assert_eq!(free("Install", Some("100"), "2", "300").apply(None, None, eur()).unwrap_err().field, "discount");
        assert_eq!(free("Install", Some("100"), "2", "101%").apply(None, None, eur()).unwrap_err().field, "discount");
    }

    #[test]
    fn scaled_numbers_are_written_with_the_decimals_they_need() {
        assert_eq!(scaled_text(1_500, 1_000), "1.5");
        assert_eq!(scaled_text(2_000, 1_000), "2");
        assert_eq!(scaled_text(250, 1_000), "0.25");
        assert_eq!(scaled_text(-1_000, 1_000), "-1");
        assert_eq!(percent_text(550), "5.5");
    }
}
