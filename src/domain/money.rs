//! Money as integer minor units plus an ISO 4217 currency: never floating point.

use super::error::AmountProblem;
use serde::{Deserialize, Serialize};
use std::fmt;

/// ISO 4217 codes we accept, with their number of minor digits.
const CURRENCIES: &[(&str, u32)] = &[
    ("EUR", 2),
    ("USD", 2),
    ("GBP", 2),
    ("CHF", 2),
    ("CAD", 2),
    ("AUD", 2),
    ("NZD", 2),
    ("JPY", 0),
    ("CNY", 2),
    ("INR", 2),
    ("BRL", 2),
    ("MXN", 2),
    ("SEK", 2),
    ("NOK", 2),
    ("DKK", 2),
    ("PLN", 2),
    ("CZK", 2),
    ("HUF", 2),
    ("RON", 2),
    ("BGN", 2),
    ("TRY", 2),
    ("RUB", 2),
    ("UAH", 2),
    ("ZAR", 2),
    ("MAD", 2),
    ("DZD", 2),
    ("TND", 3),
    ("XOF", 0),
    ("XAF", 0),
    ("XPF", 0),
    ("EGP", 2),
    ("NGN", 2),
    ("KES", 2),
    ("AED", 2),
    ("SAR", 2),
    ("QAR", 2),
    ("KWD", 3),
    ("BHD", 3),
    ("OMR", 3),
    ("JOD", 3),
    ("ILS", 2),
    ("SGD", 2),
    ("HKD", 2),
    ("KRW", 0),
    ("TWD", 2),
    ("THB", 2),
    ("VND", 0),
    ("IDR", 2),
    ("MYR", 2),
    ("PHP", 2),
    ("CLP", 0),
    ("COP", 2),
    ("PEN", 2),
    ("ARS", 2),
    ("ISK", 0),
];

/// An ISO 4217 currency code known to Prospect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(&'static str);

impl Currency {
    /// The euro, default currency of a new file.
    pub const EUR: Currency = Currency("EUR");

    /// Looks a code up, case-insensitively. `None` for codes we do not know.
    pub fn parse(code: &str) -> Option<Currency> {
        let code = code.trim();
        CURRENCIES.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)).map(|(c, _)| Currency(c))
    }

    /// Every accepted code, for error messages.
    pub fn all_codes() -> Vec<String> {
        CURRENCIES.iter().map(|(c, _)| c.to_string()).collect()
    }

    /// Three-letter code.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// Digits after the decimal separator (2 for EUR, 0 for JPY, 3 for TND).
    pub fn minor_digits(self) -> u32 {
        CURRENCIES.iter().find(|(c, _)| *c == self.0).map(|(_, d)| *d).unwrap_or(2)
    }

    fn symbol(self) -> Option<&'static str> {
        match self.0 {
            "EUR" => Some("€"),
            "USD" => Some("$"),
            "GBP" => Some("£"),
            "JPY" => Some("¥"),
            _ => None,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown currency {s}")))
    }
}

/// An amount in minor units (cents) of a currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Minor units: 123450 is 1 234,50 EUR.
    pub minor: i64,
    /// ISO 4217 currency.
    pub currency: Currency,
}

/// The most whole units (euros, dollars...) one amount may hold: 999,999,999,999, so that
/// an amount is at most 12 digits before its decimal mark. Any larger figure is a typo or an
/// attack, and sums of bounded amounts stay far from the limits of 64-bit arithmetic (the
/// totals are counted in 128 bits all the same).
pub const MAX_WHOLE_UNITS: i64 = 999_999_999_999;

/// Parses an amount typed by a person in English or French style into minor units.
///
/// Accepts `1234.50`, `1234,50`, `1 234,50`, `1,234.50`, `1.234,50`, `1'234.50`, an optional
/// currency symbol or code, and a leading minus. Refuses what it would have to guess: `12.345`
/// in a 2-decimal currency could be twelve thousand or twelve, so it is an error.
pub fn parse_amount(text: &str, currency: Currency) -> Result<i64, AmountProblem> {
    let digits_allowed = currency.minor_digits();
    let mut s: String = text.trim().to_string();
    for strip in [currency.code(), currency.symbol().unwrap_or("\u{0}")] {
        if let Some(rest) = s.strip_prefix(strip) {
            s = rest.to_string();
        } else if let Some(rest) = s.strip_suffix(strip) {
            s = rest.to_string();
        }
    }
    let s = s.trim();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    };
    let cleaned: String = s.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '_')).collect();
    if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(AmountProblem::Syntax);
    }
    let dots = cleaned.matches('.').count();
    let commas = cleaned.matches(',').count();
    let decimal_sep: Option<char> = match (dots, commas) {
        (0, 0) => None,
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            if dots + commas > 1 {
                None // several of one kind: thousands grouping
            } else {
                let after = cleaned.len() - cleaned.find(sep).unwrap_or(0) - 1;
                if after == 3 && digits_allowed != 3 {
                    if digits_allowed == 0 {
                        None
                    } else {
                        return Err(AmountProblem::Ambiguous);
                    }
                } else {
                    Some(sep)
                }
            }
        }
        _ => {
            // Both kinds: the last one is the decimal separator and must appear once.
            let last = cleaned.rfind(['.', ',']).map(|i| cleaned.as_bytes()[i] as char);
            let sep = last.unwrap_or('.');
            if cleaned.matches(sep).count() != 1 {
                return Err(AmountProblem::Syntax);
            }
            Some(sep)
        }
    };
    let (int_part, frac_part) = match decimal_sep {
        Some(sep) => {
            let idx = cleaned.rfind(sep).unwrap_or(0);
            (&cleaned[..idx], &cleaned[idx + 1..])
        }
        None => (cleaned.as_str(), ""),
    };
    // Grouping separators must split the integer part into groups of three.
    let groups: Vec<&str> = int_part.split(['.', ',']).collect();
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(AmountProblem::Syntax);
        }
    }
    let int_digits: String = groups.concat();
    if int_digits.is_empty() && frac_part.is_empty() {
        return Err(AmountProblem::Syntax);
    }
    if !frac_part.chars().all(|c| c.is_ascii_digit()) {
        return Err(AmountProblem::Syntax);
    }
    if frac_part.len() as u32 > digits_allowed {
        return Err(AmountProblem::TooManyDecimals { max: digits_allowed });
    }
    if decimal_sep.is_some() && frac_part.is_empty() {
        return Err(AmountProblem::Syntax);
    }
    let scale = 10i64.pow(digits_allowed);
    let whole: i64 = if int_digits.is_empty() { 0 } else { int_digits.parse().map_err(|_| AmountProblem::TooLarge)? };
    let mut frac: i64 = if frac_part.is_empty() { 0 } else { frac_part.parse().map_err(|_| AmountProblem::Syntax)? };
    frac *= 10i64.pow(digits_allowed - frac_part.len() as u32);
    if whole > MAX_WHOLE_UNITS {
        return Err(AmountProblem::TooLarge);
    }
    let minor = whole.checked_mul(scale).and_then(|v| v.checked_add(frac)).ok_or(AmountProblem::TooLarge)?;
    Ok(if negative { -minor } else { minor })
}

/// Number style of a language, for amounts and counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberStyle {
    /// `1,234.50`
    English,
    /// `1 234,50` (narrow no-break space)
    French,
}

impl NumberStyle {
    /// The decimal mark: `.` in English, `,` in French.
    pub fn decimal_mark(self) -> char {
        match self {
            NumberStyle::English => '.',
            NumberStyle::French => ',',
        }
    }
}

/// Groups the digits of an integer in the given style.
pub fn format_integer(value: i64, style: NumberStyle) -> String {
    group_digits(value.into(), style)
}

/// `format_integer` for any sum: totals of many amounts are counted in 128 bits.
fn group_digits(value: i128, style: NumberStyle) -> String {
    let sep = match style {
        NumberStyle::English => ",",
        NumberStyle::French => "\u{202f}",
    };
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(ch);
    }
    if value < 0 {
        out.insert(0, '-');
    }
    out
}

/// Formats an amount for display: `€1,234.50` in English, `1 234,50 €` in French.
pub fn format_money(money: Money, style: NumberStyle) -> String {
    format_minor(money.minor.into(), money.currency, style)
}

/// Formats a number of minor units of `currency`, such as a column's total, which may not fit
/// in the 64 bits of one amount.
pub fn format_minor(minor: i128, currency: Currency, style: NumberStyle) -> String {
    let digits = currency.minor_digits();
    let scale = 10i128.pow(digits);
    let whole = group_digits(minor / scale, style);
    let whole = if minor < 0 && !whole.starts_with('-') { format!("-{whole}") } else { whole };
    let number = if digits == 0 {
        whole
    } else {
        let frac = (minor % scale).unsigned_abs();
        format!("{whole}{}{frac:0width$}", style.decimal_mark(), width = digits as usize)
    };
    match (style, currency.symbol()) {
        (NumberStyle::English, Some(sym)) => format!("{sym}{number}"),
        (NumberStyle::English, None) => format!("{} {number}", currency.code()),
        (NumberStyle::French, Some(sym)) => format!("{number}\u{a0}{sym}"),
        (NumberStyle::French, None) => format!("{number}\u{a0}{}", currency.code()),
    }
}

/// Plain machine form of an amount: `1234.50` (for CSV/JSON and round trips).
pub fn plain_amount(money: Money) -> String {
    let digits = money.currency.minor_digits();
    if digits == 0 {
        return money.minor.to_string();
    }
    let scale = 10i64.pow(digits);
    let sign = if money.minor < 0 { "-" } else { "" };
    let abs = money.minor.unsigned_abs();
    format!("{sign}{}.{:0width$}", abs / scale as u64, abs % scale as u64, width = digits as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(s: &str) -> Result<i64, AmountProblem> {
        parse_amount(s, Currency::EUR)
    }

    #[test]
    fn parses_english_and_french_forms() {
        assert_eq!(eur("1234.50"), Ok(123450));
        assert_eq!(eur("1 234,50"), Ok(123450));
        assert_eq!(eur("1\u{202f}234,50 €"), Ok(123450));
        assert_eq!(eur("1,234.50"), Ok(123450));
        assert_eq!(eur("1.234,50"), Ok(123450));
        assert_eq!(eur("1'234.5"), Ok(123450));
        assert_eq!(eur("EUR 12"), Ok(1200));
        assert_eq!(eur("0,5"), Ok(50));
        assert_eq!(eur("1.234.567"), Ok(123456700));
        assert_eq!(eur("-3,10"), Ok(-310));
    }

    #[test]
    fn refuses_what_it_would_have_to_guess() {
        assert_eq!(eur("12.345"), Err(AmountProblem::Ambiguous));
        assert_eq!(eur("1,234"), Err(AmountProblem::Ambiguous));
        assert_eq!(eur("12.3456"), Err(AmountProblem::TooManyDecimals { max: 2 }));
        assert_eq!(eur("12..3"), Err(AmountProblem::Syntax));
        assert_eq!(eur("1.23.4"), Err(AmountProblem::Syntax));
        assert_eq!(eur("abc"), Err(AmountProblem::Syntax));
        assert_eq!(eur(""), Err(AmountProblem::Syntax));
        assert_eq!(eur("12."), Err(AmountProblem::Syntax));
        assert_eq!(eur("99999999999999999999"), Err(AmountProblem::TooLarge));
    }

    #[test]
    fn currency_digits_decide_three_decimal_cases() {
        let tnd = Currency::parse("tnd").unwrap();
        assert_eq!(parse_amount("12.345", tnd), Ok(12345));
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(parse_amount("1.234", jpy), Ok(1234));
        assert_eq!(parse_amount("12.5", jpy), Err(AmountProblem::TooManyDecimals { max: 0 }));
    }

    #[test]
    fn formats_per_language() {
        let m = Money { minor: 123450, currency: Currency::EUR };
        assert_eq!(format_money(m, NumberStyle::English), "€1,234.50");
        assert_eq!(format_money(m, NumberStyle::French), "1\u{202f}234,50\u{a0}€");
        let chf = Money { minor: -5, currency: Currency::parse("CHF").unwrap() };
        assert_eq!(format_money(chf, NumberStyle::English), "CHF -0.05");
        assert_eq!(plain_amount(m), "1234.50");
        assert_eq!(plain_amount(chf), "-0.05");
    }

    proptest! {
        #[test]
        fn plain_form_round_trips(minor in -1_000_000_000_000i64..1_000_000_000_000i64) {
            let m = Money { minor, currency: Currency::EUR };
            prop_assert_eq!(eur(&plain_amount(m)), Ok(minor));
        }

        #[test]
        fn french_display_round_trips(minor in 0i64..1_000_000_000_000i64) {
            let m = Money { minor, currency: Currency::EUR };
            prop_assert_eq!(eur(&format_money(m, NumberStyle::French)), Ok(minor));
        }
    }
}
