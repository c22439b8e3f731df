//! Validation errors: which field, what was wrong, what is accepted.
//!
//! The wording lives in `crate::i18n` so that the same error reads in English or French.

/// One rejected input value. Carries enough to tell the user which field, what was wrong and
/// what would have been accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Field key as the user typed it (`email`, `amount`, `stage`...).
    pub field: String,
    /// What was wrong with it.
    pub problem: Problem,
}

impl FieldError {
    /// Builds an error for `field`.
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self { field: field.into(), problem }
    }
}

impl std::error::Error for FieldError {}

/// The ways an input value can be wrong. Rendered by `crate::i18n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required value is empty.
    Required,
    /// Not an e-mail address.
    Email { value: String },
    /// Not a phone number valid for the default region or in international form.
    Phone { value: String, region: String },
    /// Not a web address.
    Web { value: String },
    /// Not an amount of money in this currency.
    Amount { value: String, why: AmountProblem },
    /// Not a known ISO 4217 currency code.
    Currency { value: String },
    /// Not a calendar date.
    Date { value: String },
    /// Not a date and time.
    DateTime { value: String },
    /// Not a day (a list filter's day or a range's side: `when::read_day`).
    Day { value: String },
    /// A range whose end comes before its start.
    DayOrder { from: String, to: String },
    /// A relative time (`+2d`, `in 3 hours`) whose unit is not one of the accepted ones
    /// (`unit` is empty when there was none).
    TimeUnit { value: String, unit: String },
    /// Not a length of time (`30m`, `1h30`, `90`), or more than a week.
    Duration { value: String },
    /// A date or instant outside the accepted years (`when::MIN_YEAR..=when::MAX_YEAR`).
    DateRange { value: String, min: i32, max: i32 },
    /// Not yes/no.
    Bool { value: String },
    /// Not a whole number in range.
    Integer { value: String, min: i64, max: i64 },
    /// Not one of a fixed list of choices.
    Choice { value: String, accepted: Vec<String> },
    /// A stage, source, user, pipeline or record that does not exist.
    Unknown { what: &'static str, value: String, known: Vec<String> },
    /// Longer than the field allows (in characters).
    TooLong { max: usize },
    /// The field is not known for this kind of record.
    NoSuchField { accepted: Vec<String> },
    /// The field cannot be set this way (e.g. stage on edit: use move).
    NotEditable {
        /// For a stage: the kind of record (`lead`), whose `move` command changes it; none
        /// for a field set once, at creation.
        move_with: Option<&'static str>,
    },
    /// A rule of the CRM refuses the change; the text says which.
    Rule { message: String },
    /// A rule of the CRM refuses the change: `key` names its message in the catalogues'
    /// `[refused]` table, said in the reader's language with `args` filled in.
    Refused { key: &'static str, args: Vec<(&'static str, String)> },
}

impl Problem {
    /// The refusal `key` of the catalogues' `[refused]` table, with its placeholders' values.
    pub fn refused(key: &'static str, args: &[(&'static str, &str)]) -> Problem {
        Problem::Refused { key, args: args.iter().map(|(k, v)| (*k, v.to_string())).collect() }
    }
}

/// Why an amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountProblem {
    /// Not digits with optional grouping and decimal separator.
    Syntax,
    /// More decimals than the currency has (e.g. 3 for EUR).
    TooManyDecimals { max: u32 },
    /// `12.345` or `1,234` in a 2-decimal currency: grouping or decimals? Refused rather than guessed.
    Ambiguous,
    /// Below zero where only zero or more makes sense.
    Negative,
    /// Beyond what fits in 64-bit minor units.
    TooLarge,
}
