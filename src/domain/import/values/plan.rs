//! The plan of an import's reference values: what each distinct value of a column becomes,
//! answered once (as the rows are read, or all first by `scan`), the unknown ones counted.

use super::*;

/// What each value of each reference column becomes: found among its field's choices, else
/// the user's rule for it, else `unknown`. Values are answered as the rows are read (each
/// distinct one once, then remembered), and those that named nothing are counted on the way;
/// `scan` answers every value of the file up front instead (to show them before importing,
/// or to create the new ones first).
#[derive(Debug, Default)]
pub struct ValuePlan {
    columns: HashMap<usize, ColumnPlan>,
    seen: std::sync::Mutex<Seen>,
}

/// One reference column: its field's choices, the user's answers, the default for the rest.
#[derive(Debug)]
struct ColumnPlan {
    header: String,
    choices: FieldChoices,
    /// Folded value -> answer (`--value` rules, values created for the import).
    answers: HashMap<String, Resolution>,
    otherwise: Resolution,
}

/// What the rows read so far gave.
#[derive(Debug, Default)]
struct Seen {
    /// Column -> value as written -> its answer, and its place in `unknown` when it names
    /// nothing (each distinct value answered once).
    answered: HashMap<usize, HashMap<String, (Resolution, Option<usize>)>>,
    /// The values that named nothing, in the order first met, with their rows; spellings
    /// that differ only in case or accents are one value (one answer applies to them).
    unknown: Vec<UnknownValue>,
    /// (column, folded value) -> place in `unknown`.
    unknown_at: HashMap<(usize, String), usize>,
    /// Every value was answered by `scan`: rows are not counted again.
    scanned: bool,
    /// The last line counted (a batch read again after a busy file is not counted twice).
    counted_to: u64,
}

/// Unknown values offered a suggestion: past these, a file of thousands of distinct
/// values (campaign tags) is not compared with every name a thousand times over.
const SUGGESTED: usize = 500;

/// Longest value a suggestion is looked for.
const SUGGESTED_LEN: usize = 120;

impl Seen {
    /// The answer of `value` in `column` (met for the first time), and its place among the
    /// unknown values when it names nothing.
    fn answer(&mut self, column: usize, plan: &ColumnPlan, value: &str) -> (Resolution, Option<usize>) {
        let (r, known) = ValuePlan::answer(plan, value);
        if known {
            return (r, None);
        }
        let key = (column, fold(value));
        if let Some(at) = self.unknown_at.get(&key) {
            return (self.unknown[*at].resolution.clone(), Some(*at));
        }
        let suggestion = (self.unknown.len() < SUGGESTED && value.chars().count() <= SUGGESTED_LEN)
            .then(|| plan.choices.suggest(value).cloned())
            .flatten();
        self.unknown.push(UnknownValue {
            column,
            header: plan.header.clone(),
            field: plan.choices.field.clone(),
            value: value.to_string(),
            rows: 0,
            suggestion,
            resolution: r.clone(),
        });
        self.unknown_at.insert(key, self.unknown.len() - 1);
        (r, Some(self.unknown.len() - 1))
    }
}

impl ValuePlan {
    /// The plan of `targets`' reference columns: `choices` (one per listed field), the user's
    /// `rules`, and `unknown` for every other value that names nothing. A rule naming a column
    /// the file lacks or a value that names nothing is refused.
    pub fn new(
        headers: &[String],
        targets: &[Target],
        choices: &[FieldChoices],
        rules: &[ValueRule],
        unknown: Unknown,
    ) -> Result<ValuePlan, FieldError> {
        let field_of = |col: usize| match targets.get(col) {
            Some(Target::Field(k)) => choices.iter().find(|c| c.field == *k),
            _ => None,
        };
        let mut columns: HashMap<usize, ColumnPlan> = HashMap::new();
        for col in 0..targets.len() {
            let Some(fc) = field_of(col) else { continue };
            let otherwise = match unknown {
                Unknown::Create if can_create(&fc.field) => Resolution::Create(String::new()),
                Unknown::Reject => Resolution::Reject,
                _ => Resolution::Empty,
            };
            let header = headers.get(col).cloned().unwrap_or_default();
            columns.insert(col, ColumnPlan { header, choices: fc.clone(), answers: HashMap::new(), otherwise });
        }
        for rule in rules {
            let wanted = fold(&rule.column);
            let col = headers
                .iter()
                .position(|h| fold(h) == wanted)
                .or_else(|| targets.iter().position(|t| matches!(t, Target::Field(k) if fold(k) == wanted)))
                .filter(|c| columns.contains_key(c))
                .ok_or_else(|| {
                    let mut listed: Vec<(usize, String)> =
                        columns.iter().map(|(c, p)| (*c, p.header.clone())).collect();
                    listed.sort();
                    let known = listed.into_iter().map(|(_, h)| h).collect();
                    FieldError::new("value", Problem::Unknown { what: "column", value: rule.column.clone(), known })
                })?;
            let column = columns.get_mut(&col).expect("checked above");
            let mut r = rule.resolve(&column.choices)?;
            if matches!(r, Resolution::Create(_)) && !can_create(&column.choices.field) {
                r = Resolution::Empty;
            }
            column.answers.insert(fold(&rule.value), r);
        }
        Ok(ValuePlan { columns, seen: Default::default() })
    }

    /// What `value` becomes and whether the file knows it: the user's answer first (a rule
    /// for a value the file knows too overrides it), then the file's value, then `otherwise`.
    fn answer(column: &ColumnPlan, value: &str) -> (Resolution, bool) {
        let known = column.choices.find(value);
        if let Some(r) = column.answers.get(&fold(value)) {
            return (r.clone(), known.is_some());
        }
        if let Some(c) = known {
            return (Resolution::Code(c.code.clone()), true);
        }
        let r = match &column.otherwise {
            Resolution::Create(_) => Resolution::Create(value.to_string()),
            other => other.clone(),
        };
        (r, false)
    }

    /// What the value `cell` of column `column` on `line` becomes; `None`: not a reference
    /// column. A value that names nothing is counted (once per line).
    pub fn get(&self, line: u64, column: usize, cell: &str) -> Option<Resolution> {
        let plan = self.columns.get(&column)?;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let count = !seen.scanned && line > seen.counted_to;
        let found = seen.answered.get(&column).and_then(|v| v.get(cell)).cloned();
        let (r, at) = match found {
            Some(found) => found,
            None => {
                let found = seen.answer(column, plan, cell);
                seen.answered.entry(column).or_default().insert(cell.to_string(), found.clone());
                found
            }
        };
        if count && let Some(at) = at {
            seen.unknown[at].rows += 1;
        }
        Some(r)
    }

    /// The row on `line` is read: its values are counted, and a batch read again from an
    /// earlier line is not counted twice.
    pub fn row_done(&self, line: u64) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.counted_to = seen.counted_to.max(line);
    }

    /// Answers every value of the file (`counts`: each distinct value with its rows) now:
    /// the values that name nothing, with their rows, are then known before any row is read.
    pub fn scan(&mut self, counts: &ValueCounts) {
        let mut seen = Seen { scanned: true, ..Default::default() };
        for ((col, value), rows) in &counts.counts {
            let Some(plan) = self.columns.get(col) else { continue };
            let (r, at) = seen.answer(*col, plan, value);
            if let Some(at) = at {
                seen.unknown[at].rows += rows;
            }
            seen.answered.entry(*col).or_default().insert(value.clone(), (r, at));
        }
        self.seen = std::sync::Mutex::new(seen);
    }

    /// The values met so far that named nothing (all of them after `scan` or the import).
    pub fn unknown_values(&self) -> Vec<UnknownValue> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).unknown.clone()
    }

    /// The values to create before the rows are written: (field, name). Known after `scan`.
    pub fn to_create(&self) -> Vec<(String, String)> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<(String, String)> = Vec::new();
        for (col, values) in &seen.answered {
            let Some(plan) = self.columns.get(col) else { continue };
            for (r, _) in values.values() {
                if let Resolution::Create(name) = r
                    && !out.iter().any(|(f, n)| *f == plan.choices.field && fold(n) == fold(name))
                {
                    out.push((plan.choices.field.clone(), name.clone()));
                }
            }
        }
        out.sort();
        out
    }

    /// A value made for `(field, name)` has `code`: the values that asked for it now name it.
    pub fn created(&mut self, field: &str, name: &str, code: &str) {
        let seen = self.seen.get_mut().unwrap_or_else(|e| e.into_inner());
        for (col, values) in seen.answered.iter_mut() {
            if self.columns.get(col).is_none_or(|p| p.choices.field != field) {
                continue;
            }
            for (r, _) in values.values_mut() {
                if matches!(r, Resolution::Create(n) if fold(n) == fold(name)) {
                    *r = Resolution::Code(code.to_string());
                }
            }
        }
    }

    /// Whether the plan may create values (then every value must be answered by `scan`
    /// before the rows are written).
    pub fn may_create(&self) -> bool {
        self.columns.values().any(|p| {
            matches!(p.otherwise, Resolution::Create(_))
                || p.answers.values().any(|r| matches!(r, Resolution::Create(_)))
        })
    }
}

/// The plan of an import's values, every value answered now (`ValuePlan::new`, then `scan`),
/// and the values that named nothing, with their rows, a suggestion and their answer.
pub fn plan(
    headers: &[String],
    targets: &[Target],
    counts: &ValueCounts,
    choices: &[FieldChoices],
    rules: &[ValueRule],
    unknown: Unknown,
) -> Result<(ValuePlan, Vec<UnknownValue>), FieldError> {
    let mut plan = ValuePlan::new(headers, targets, choices, rules, unknown)?;
    plan.scan(counts);
    let unknown = plan.unknown_values();
    Ok((plan, unknown))
}
