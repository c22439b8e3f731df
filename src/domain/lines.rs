//! The money rules of line items and documents (SPEC E4, E5; issue 28), in one place for the
//! store, the forms and the renderings:
//!
//! - a line's **base** is its quantity times its unit price, rounded half away from zero to
//!   the currency's minor unit; its **discount** is a percentage of the base (rounded the
//!   same way) or an amount; its **net** is the base less the discount;
//! - a document's **tax** is computed **per rate, on the rate's net total** (the sum of the
//!   nets of its lines at that rate), rounded half away from zero, not line by line;
//! - its **net total** is the sum of the line nets, its **tax total** the sum of the taxes
//!   per rate, its **gross total** the two added;
//! - a document holds one currency; quantities may be negative on a credit note's lines only.
//!
//! Quantities are kept in thousandths (`1.5` h is 1 500), percentages and tax rates in
//! hundredths of a percent (20 % is 2 000, 5,5 % is 550), amounts in minor units: nothing is
//! a float.

use crate::domain::error::{FieldError, Problem};
use crate::domain::money::Currency;

/// Thousandths in one unit of quantity.
pub const QTY_SCALE: i64 = 1_000;
/// Hundredths of a percent in 100 %.
pub const PERCENT_SCALE: i64 = 10_000;
/// The largest line, in minor units (a trillion euros): sums of many lines stay far from
/// the limits of 64 bits.
pub const MAX_LINE: i64 = 100_000_000_000_000;

/// A line's discount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Discount {
    /// No discount.
    None,
    /// A share of the line's base, in hundredths of a percent (10 % is 1 000).
    Percent(i64),
    /// An amount off the line, in minor units.
    Amount(i64),
}

/// One line of a lead, deal, quote or invoice, as the money rules read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineMoney {
    /// Quantity in thousandths.
    pub qty: i64,
    /// Unit price in minor units.
    pub unit_price: i64,
    /// Discount.
    pub discount: Discount,
    /// Tax rate in hundredths of a percent.
    pub tax_rate: i64,
}

/// The totals of one tax rate: the nets of the lines at that rate, and the tax on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RateTotal {
    /// The rate, in hundredths of a percent.
    pub rate: i64,
    /// Sum of the nets of the lines at this rate (minor units).
    pub net: i64,
    /// The tax on that sum (minor units).
    pub tax: i64,
}

/// A document's totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    /// Sum of the line nets.
    pub net: i64,
    /// Sum of the taxes per rate.
    pub tax: i64,
    /// Net plus tax.
    pub gross: i64,
    /// Per rate, lowest rate first.
    pub rates: Vec<RateTotal>,
}

/// `n / d` rounded half away from zero (`d` > 0).
pub fn div_round(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if 2 * r.abs() >= d { q + n.signum() } else { q }
}

/// Why a line's money was refused.
fn refused(field: &str, key: &'static str, value: &str) -> FieldError {
    FieldError::new(field, Problem::refused(key, &[("value", value)]))
}

impl LineMoney {
    /// The line's base: quantity times unit price, rounded to the minor unit (`check`
    /// refuses a line whose base is beyond `MAX_LINE`).
    pub fn base(&self) -> i64 {
        let base = div_round(i128::from(self.qty) * i128::from(self.unit_price), i128::from(QTY_SCALE));
        base.clamp(-i128::from(MAX_LINE), i128::from(MAX_LINE)) as i64
    }

    /// The amount its discount takes off, of the base's sign (a credit line's discount
    /// makes the credit smaller, as a sale's makes the sale smaller).
    pub fn discount_amount(&self) -> i64 {
        match self.discount {
            Discount::None => 0,
            Discount::Percent(p) => {
                div_round(i128::from(self.base()) * i128::from(p), i128::from(PERCENT_SCALE)) as i64
            }
            Discount::Amount(a) => a * self.base().signum(),
        }
    }

    /// The line's net: base less discount.
    pub fn net(&self) -> i64 {
        self.base() - self.discount_amount()
    }

    /// Refuses a line the rules do not take, naming the part: a negative quantity outside
    /// a credit note, a discount of more than the line, a rate outside 0-100 %.
    pub fn check(&self, credit: bool) -> Result<(), FieldError> {
        let shown = |n: i64, scale: i64| format!("{}", n as f64 / scale as f64);
        if self.qty == 0 || (self.qty < 0 && !credit) {
            return Err(refused("qty", "line_quantity", &shown(self.qty, QTY_SCALE)));
        }
        if self.unit_price < 0 {
            return Err(refused("price", "line_price", &self.unit_price.to_string()));
        }
        let exact = div_round(i128::from(self.qty) * i128::from(self.unit_price), i128::from(QTY_SCALE));
        if exact.abs() > i128::from(MAX_LINE) {
            return Err(refused("price", "line_too_large", &self.unit_price.to_string()));
        }
        match self.discount {
            Discount::Percent(p) if !(0..=PERCENT_SCALE).contains(&p) => {
                return Err(refused("discount", "line_discount_percent", &format!("{}%", shown(p, 100))));
            }
            Discount::Amount(a) if a < 0 || a > self.base().abs() => {
                return Err(refused("discount", "line_discount_amount", &a.to_string()));
            }
            _ => {}
        }
        if !(0..=PERCENT_SCALE).contains(&self.tax_rate) {
            return Err(refused("tax", "line_tax", &format!("{}%", shown(self.tax_rate, 100))));
        }
        Ok(())
    }
}

/// The totals of a document's lines (`lines`' rules above).
pub fn totals(lines: &[LineMoney]) -> Totals {
    let mut rates: Vec<RateTotal> = Vec::new();
    for l in lines {
        match rates.iter_mut().find(|r| r.rate == l.tax_rate) {
            Some(r) => r.net += l.net(),
            None => rates.push(RateTotal { rate: l.tax_rate, net: l.net(), tax: 0 }),
        }
    }
    rates.sort_by_key(|r| r.rate);
    for r in &mut rates {
        r.tax = div_round(i128::from(r.net) * i128::from(r.rate), i128::from(PERCENT_SCALE)) as i64;
    }
    let net = rates.iter().map(|r| r.net).sum();
    let tax = rates.iter().map(|r| r.tax).sum();
    Totals { net, tax, gross: net + tax, rates }
}

/// Refuses a document whose lines are in more than one currency, naming them.
pub fn one_currency(currencies: &[Currency]) -> Result<Option<Currency>, FieldError> {
    let first = currencies.first().copied();
    if let Some(other) = currencies.iter().find(|c| Some(**c) != first) {
        let both = format!("{}, {}", first.map(Currency::code).unwrap_or_default(), other.code());
        return Err(refused("currency", "document_currencies", &both));
    }
    Ok(first)
}

/// A decimal number typed in English or French style (`1.5`, `1,5`, `12`) in units of
/// `1 / scale`: `None` when it is not one, or holds more decimals than `scale` keeps.
fn scaled(text: &str, scale: i64) -> Option<i64> {
    let t: String = text.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    let (whole, frac) = t.split_once(['.', ',']).unwrap_or((&t, ""));
    if (whole.is_empty() && frac.is_empty()) || !whole.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = scale.to_string().len() - 1;
    if frac.len() > digits || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // `1,000` or `1.500`: a thousand, or one and a half? Refused rather than guessed, as
    // amounts are (`0,250` is a quarter).
    if frac.len() == 3 && whole.chars().any(|c| c != '0') {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<digits$}").parse().ok()? };
    let n = whole.checked_mul(scale)?.checked_add(frac)?;
    Some(if negative { -n } else { n })
}

/// A quantity as typed (`2`, `1,5`, `0.25`), in thousandths.
pub fn read_quantity(text: &str) -> Result<i64, FieldError> {
    scaled(text, QTY_SCALE)
        .filter(|q| q.abs() <= 1_000_000_000 * QTY_SCALE)
        .ok_or_else(|| refused("qty", "line_quantity_shape", text.trim()))
}

/// A tax rate as typed (`20`, `5,5`, `20 %`), in hundredths of a percent.
pub fn read_rate(text: &str) -> Result<i64, FieldError> {
    let t = text.trim().trim_end_matches('%');
    scaled(t, 100)
        .filter(|r| (0..=PERCENT_SCALE).contains(r))
        .ok_or_else(|| refused("tax", "line_tax_shape", text.trim()))
}

/// A discount as typed: `10%` (of the line) or an amount in `currency` (`50`, `12,50`).
pub fn read_discount(text: &str, currency: Currency) -> Result<Discount, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Discount::None);
    }
    if let Some(p) = t.strip_suffix('%') {
        let p = scaled(p, 100).ok_or_else(|| refused("discount", "line_discount_shape", t))?;
        if !(0..=PERCENT_SCALE).contains(&p) {
            return Err(refused("discount", "line_discount_percent", t));
        }
        return Ok(Discount::Percent(p));
    }
    crate::domain::money::parse_amount(t, currency)
        .ok()
        .filter(|a| *a >= 0)
        .map(Discount::Amount)
        .ok_or_else(|| refused("discount", "line_discount_shape", t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(qty: i64, unit_price: i64, discount: Discount, tax_rate: i64) -> LineMoney {
        LineMoney { qty, unit_price, discount, tax_rate }
    }

    #[test]
    fn a_line_is_quantity_times_price_less_its_discount_rounded_half_away_from_zero() {
        // 1.5 h at 33.33 = 49.995 -> 50.00.
        assert_eq!(line(1_500, 3_333, Discount::None, 2_000).base(), 5_000);
        // 10 % of 50.00 = 5.00; net 45.00.
        assert_eq!(line(1_500, 3_333, Discount::Percent(1_000), 2_000).net(), 4_500);
        // 12.5 % of 0.25 (0.03125) -> 0.03.
        assert_eq!(line(1_000, 25, Discount::Percent(1_250), 0).discount_amount(), 3);
        assert_eq!(line(2_000, 1_000, Discount::Amount(500), 0).net(), 1_500);
        // A credit line: -2 at 10.00 is -20.00; a discount makes the credit smaller.
        assert_eq!(line(-2_000, 1_000, Discount::None, 2_000).net(), -2_000);
        assert_eq!(line(-2_000, 1_000, Discount::Amount(500), 2_000).net(), -1_500);
        assert_eq!(line(-2_000, 1_000, Discount::Percent(1_000), 2_000).net(), -1_800);
        assert!(line(1_000_000_000, 1_000_000_000_000, Discount::None, 0).check(false).is_err(), "too large");
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(4, 10), 0);
    }

    #[test]
    fn tax_is_computed_per_rate_on_the_rates_net_total() {
        // Three lines of 0.05 at 10 %: per line the tax would be 0.01 x 3 = 0.03; on the
        // rate's total 0.15 it is 0.015 -> 0.02.
        let lines = [line(1_000, 5, Discount::None, 1_000); 3];
        let t = totals(&lines);
        assert_eq!(t.rates, [RateTotal { rate: 1_000, net: 15, tax: 2 }]);
        assert_eq!((t.net, t.tax, t.gross), (15, 2, 17));
        let mixed = totals(&[line(1_000, 10_000, Discount::None, 2_000), line(2_000, 1_000, Discount::None, 550)]);
        assert_eq!(
            mixed.rates,
            [RateTotal { rate: 550, net: 2_000, tax: 110 }, RateTotal { rate: 2_000, net: 10_000, tax: 2_000 }]
        );
        assert_eq!(mixed.gross, 14_110);
    }

    #[test]
    fn lines_the_rules_do_not_take_are_refused_naming_the_part() {
        assert_eq!(line(-1_000, 100, Discount::None, 0).check(false).unwrap_err().field, "qty");
        assert!(line(-1_000, 100, Discount::None, 0).check(true).is_ok(), "a credit line");
        assert_eq!(line(1_000, 100, Discount::Percent(10_001), 0).check(false).unwrap_err().field, "discount");
        assert_eq!(line(1_000, 100, Discount::Amount(101), 0).check(false).unwrap_err().field, "discount");
        assert_eq!(line(1_000, 100, Discount::None, 10_001).check(false).unwrap_err().field, "tax");
        assert_eq!(one_currency(&[Currency::EUR, Currency::parse("USD").unwrap()]).unwrap_err().field, "currency");
    }

    #[test]
    fn quantities_rates_and_discounts_read_as_typed() {
        assert_eq!(read_quantity("1,5").unwrap(), 1_500);
        assert_eq!(read_quantity("0.25").unwrap(), 250);
        assert_eq!(read_quantity("-2").unwrap(), -2_000);
        assert!(read_quantity("1.0001").is_err() && read_quantity("two").is_err());
        assert!(read_quantity("1,000").is_err(), "a thousand or one: not guessed");
        assert_eq!(read_quantity("0,250").unwrap(), 250);
        assert_eq!(read_rate("5,5").unwrap(), 550);
        assert_eq!(read_rate("20 %").unwrap(), 2_000);
        assert!(read_rate("120").is_err());
        assert_eq!(read_discount("10%", Currency::EUR).unwrap(), Discount::Percent(1_000));
        assert_eq!(read_discount("12,50", Currency::EUR).unwrap(), Discount::Amount(1_250));
        assert!(read_discount("110%", Currency::EUR).is_err());
    }

    proptest! {
        /// The totals are the sum of the lines: the net total is the sum of line nets, each
        /// rate's net the sum of its lines', the gross the net plus the taxes per rate; each
        /// tax is within half a minor unit of the exact value.
        #[test]
        fn totals_equal_the_sum_of_their_lines(
            raw in prop::collection::vec((1i64..100_000, 0i64..10_000_000, 0i64..=10_000, prop::sample::select(vec![0i64, 550, 1_000, 2_000])), 0..20)
        ) {
            let lines: Vec<LineMoney> =
                raw.iter().map(|(q, p, d, r)| line(*q, *p, Discount::Percent(*d), *r)).collect();
            let t = totals(&lines);
            prop_assert_eq!(t.net, lines.iter().map(LineMoney::net).sum::<i64>());
            prop_assert_eq!(t.gross, t.net + t.tax);
            for r in &t.rates {
                let net: i64 = lines.iter().filter(|l| l.tax_rate == r.rate).map(LineMoney::net).sum();
                prop_assert_eq!(r.net, net);
                let exact = i128::from(net) * i128::from(r.rate);
                prop_assert!((i128::from(r.tax) * i128::from(PERCENT_SCALE) - exact).abs() * 2 <= i128::from(PERCENT_SCALE));
            }
            for l in &lines {
                let exact = i128::from(l.qty) * i128::from(l.unit_price);
                prop_assert!((i128::from(l.base()) * i128::from(QTY_SCALE) - exact).abs() * 2 <= i128::from(QTY_SCALE));
                prop_assert!(l.net() >= 0 && l.net() <= l.base());
            }
        }
    }
}
