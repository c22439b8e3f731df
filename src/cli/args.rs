//! Flags shared by the record commands, and their conversion into a `RecordInput`.

use crate::domain::comm::{Comm, CommKind};
use crate::domain::dedup::PhoneRegion;
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::list_view::ViewSpec;
use crate::domain::money::{Currency, Money, plain_amount};
use crate::store::{CommsChange, ListFilter, RecordInput};
use anyhow::{Context, bail};
use serde_json::Value as Json;
use std::io::Read;

/// Reads a record id as typed (`12`, `#12`).
pub(crate) fn parse_id(s: &str) -> Result<i64, String> {
    s.trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or_else(|| format!("'{s}' is not a record id (a whole number such as 12 or #12)"))
}

/// Declares a flags struct with one `--kebab-case` option per field key, and `pairs()` that
/// returns the given ones as `(key, text)`.
macro_rules! field_args {
    ($(#[$meta:meta])* $name:ident { $($field:ident $(| $alias:literal)? : $help:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(clap::Args, Debug, Default, Clone)]
        pub struct $name {
            $(
                #[arg(long, help = $help $(, visible_alias = $alias)?, value_name = "VALUE", allow_hyphen_values = true)]
                pub $field: Option<String>,
            )*
            /// Any field as KEY=VALUE (repeatable); an empty VALUE clears it.
            #[arg(long = "set", value_name = "KEY=VALUE")]
            pub set: Vec<String>,
        }
        impl $name {
            /// Given fields as `(key, text)`, `--set` last.
            pub fn pairs(&self) -> anyhow::Result<Vec<(String, String)>> {
                let mut v = Vec::new();
                $( if let Some(x) = &self.$field { v.push((stringify!($field).to_string(), x.clone())); } )*
                for s in &self.set {
                    let Some((k, val)) = s.split_once('=').filter(|(k, _)| !k.trim().is_empty()) else {
                        bail!("--set: '{s}' is not KEY=VALUE (for example --set position=CTO)");
                    };
                    v.push((k.trim().to_string(), val.to_string()));
                }
                Ok(v)
            }
        }
    };
}

field_args!(
    /// Lead fields.
    LeadFields {
        title: "Title (empty: \"Lead #id\")",
        honorific: "Honorific (Mr, Mrs, Dr...)",
        first_name: "First name",
        middle_name: "Middle name",
        last_name: "Last name",
        company_title | "company": "Company name",
        position: "Position",
        birth_date: "Birth date (YYYY-MM-DD or DD/MM/YYYY)",
        source: "Source, by code or name",
        source_description: "Source details",
        stage: "Stage, by code or name (add only; use `move` later)",
        stage_description: "Stage details",
        amount: "Amount (1234.50 or 1 234,50)",
        currency: "Currency code (default from config)",
        responsible: "Responsible user, by login or name (default: you)",
        comments: "Comments",
        address: "Address",
        opened: "Available to everyone (yes/no)",
    }
);

field_args!(
    /// Contact fields.
    ContactFields {
        honorific: "Honorific",
        first_name: "First name (required)",
        middle_name: "Middle name",
        last_name: "Last name (required; \"unknown\" is fine)",
        contact_type | "type": "client, supplier, partner or other",
        position: "Position",
        birth_date: "Birth date (YYYY-MM-DD or DD/MM/YYYY)",
        source: "Source, by code or name",
        source_description: "Source details",
        responsible: "Responsible user",
        comments: "Comments",
        address: "Address",
        opened: "Available to everyone (yes/no)",
    }
);

field_args!(
    /// Company fields.
    CompanyFields {
        title: "Company name (required)",
        company_type | "type": "customer, supplier, competitor, partner or other",
        industry: "Industry",
        employees: "1-49, 50-249, 250-499 or 500+",
        revenue: "Annual revenue",
        currency: "Currency of the revenue",
        address: "Address",
        source: "Source, by code or name",
        responsible: "Responsible user",
        comments: "Comments",
        opened: "Available to everyone (yes/no)",
    }
);

field_args!(
    /// Deal fields.
    DealFields {
        title: "Title (empty: \"Deal #id\")",
        pipeline: "Pipeline, by name (add only; default: the first)",
        stage: "Stage of that pipeline (add only; use `move` later)",
        amount: "Amount",
        currency: "Currency code",
        probability: "Probability, 0-100",
        responsible: "Responsible user",
        contact: "Contact id",
        company: "Company id or exact name",
        begin_date: "Start date (default: today)",
        close_date: "Expected close date (default: in 7 days)",
        source: "Source, by code or name",
        comments: "Comments",
        opened: "Available to everyone (yes/no)",
    }
);

/// Phones, e-mails, websites and messengers. On `add` they are added; on `edit`, `--phone`
/// replaces every phone while `--add-phone` and `--remove-phone` change one.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct CommArgs {
    /// Phone as [TYPE:]NUMBER, TYPE one of work, mobile, home, fax, other (repeatable).
    #[arg(long, value_name = "[TYPE:]NUMBER")]
    pub phone: Vec<String>,
    /// E-mail as [TYPE:]ADDRESS, TYPE one of work, home, other (repeatable).
    #[arg(long, value_name = "[TYPE:]ADDRESS")]
    pub email: Vec<String>,
    /// Website (repeatable).
    #[arg(long, value_name = "[TYPE:]URL")]
    pub web: Vec<String>,
    /// Messenger as [TYPE:]HANDLE, TYPE one of telegram, whatsapp, signal, skype, other (repeatable).
    #[arg(long, value_name = "[TYPE:]HANDLE")]
    pub messenger: Vec<String>,
}

/// Extra edit-only flags for phones and e-mails.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct CommEditArgs {
    /// Add a phone, keeping the others.
    #[arg(long, value_name = "[TYPE:]NUMBER")]
    pub add_phone: Vec<String>,
    /// Remove a phone (any format of the same number).
    #[arg(long, value_name = "NUMBER")]
    pub remove_phone: Vec<String>,
    /// Add an e-mail, keeping the others.
    #[arg(long, value_name = "[TYPE:]ADDRESS")]
    pub add_email: Vec<String>,
    /// Remove an e-mail.
    #[arg(long, value_name = "ADDRESS")]
    pub remove_email: Vec<String>,
}

fn parse_all(kind: CommKind, values: &[String], region: PhoneRegion) -> Result<Vec<Comm>, FieldError> {
    values.iter().map(|v| Comm::parse_typed(kind, v, region)).collect()
}

impl CommArgs {
    fn lists(&self) -> [(CommKind, &Vec<String>); 4] {
        [
            (CommKind::Phone, &self.phone),
            (CommKind::Email, &self.email),
            (CommKind::Web, &self.web),
            (CommKind::Messenger, &self.messenger),
        ]
    }

    /// For `add`: every value is added.
    pub fn for_add(&self, region: PhoneRegion) -> Result<CommsChange, FieldError> {
        let mut change = CommsChange::default();
        for (kind, values) in self.lists() {
            change.add.extend(parse_all(kind, values, region)?);
        }
        Ok(change)
    }

    /// For `edit`: a kind given replaces that kind's list; add/remove change single values.
    pub fn for_edit(&self, extra: &CommEditArgs, region: PhoneRegion) -> Result<CommsChange, FieldError> {
        let mut change = CommsChange::default();
        for (kind, values) in self.lists() {
            if !values.is_empty() {
                change.replace.insert(kind, parse_all(kind, values, region)?);
            }
        }
        change.add.extend(parse_all(CommKind::Phone, &extra.add_phone, region)?);
        change.add.extend(parse_all(CommKind::Email, &extra.add_email, region)?);
        change.remove.extend(parse_all(CommKind::Phone, &extra.remove_phone, region)?);
        change.remove.extend(parse_all(CommKind::Email, &extra.remove_email, region)?);
        Ok(change)
    }
}

impl ListArgs {
    /// What the flags say a view does (the sort, conditions, columns, "overdue"): put over
    /// a saved view's, then made a filter by `Service::apply_view`.
    pub fn spec(&self) -> ViewSpec {
        ViewSpec {
            overdue: self.overdue,
            wheres: self.wheres.clone(),
            sort: self.sort.clone(),
            reverse: self.reverse,
            columns: self.columns.clone(),
            ..ViewSpec::default()
        }
    }
}

/// Filters of `list`.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct ListArgs {
    /// Only this stage (code or name).
    #[arg(long)]
    pub stage: Option<String>,
    /// Deal pipeline (default: the first).
    #[arg(long)]
    pub pipeline: Option<String>,
    /// Only records of this user (login or name).
    #[arg(long)]
    pub responsible: Option<String>,
    /// Only this source (code or name).
    #[arg(long)]
    pub source: Option<String>,
    /// Only records lost for this reason (a lost reason of the list, in English or French,
    /// or the words given).
    #[arg(long)]
    pub reason: Option<String>,
    /// Only records matching this text (names, phones, e-mails, companies).
    #[arg(long)]
    pub search: Option<String>,
    /// Only repeat leads.
    #[arg(long, conflicts_with = "first_time")]
    pub repeat: bool,
    /// Only leads that are not repeat leads.
    #[arg(long)]
    pub first_time: bool,
    /// Created on or after this day: 2026-11-01, 01/11 (the latest 1 November), yesterday,
    /// hier, lundi, -7d, "3 days ago", "il y a 2 semaines".
    #[arg(long, value_name = "DAY", allow_hyphen_values = true)]
    pub created_from: Option<String>,
    /// Created on or before this day (same forms; a day without a year is the first such day
    /// on or after --created-from).
    #[arg(long, value_name = "DAY", allow_hyphen_values = true)]
    pub created_to: Option<String>,
    /// Only records in open stages (still in progress).
    #[arg(long, conflicts_with_all = ["won", "lost"])]
    pub open: bool,
    /// Only won deals (converted leads).
    #[arg(long, conflicts_with = "lost")]
    pub won: bool,
    /// Only lost deals (junk leads).
    #[arg(long)]
    pub lost: bool,
    /// Won or lost on or after this day (same forms as --created-from): with --won and
    /// --all-pipelines, the deals won in a period, as `report won-lost` counts them.
    #[arg(long, value_name = "DAY", allow_hyphen_values = true)]
    pub closed_from: Option<String>,
    /// Won or lost on or before this day (same forms).
    #[arg(long, value_name = "DAY", allow_hyphen_values = true)]
    pub closed_to: Option<String>,
    /// Deals of every pipeline at once (default: --pipeline's, else the first).
    #[arg(long, conflicts_with = "pipeline")]
    pub all_pipelines: bool,
    /// Most rows (default 50).
    #[arg(long, default_value_t = 50, value_parser = whole::<usize>("limit", 0, MAX_ROWS))]
    pub limit: usize,
    /// Next page: only ids below this one (the last id of the previous page).
    #[arg(long, value_name = "ID", conflicts_with = "sort", value_parser = parse_id)]
    pub before: Option<i64>,
    /// Order of the rows: newest (the default), title, amount, stage, responsible,
    /// next-activity (as the TUI list's `s` key sorts), or any other field's code, built-in
    /// (close_date) or your own (records without a value last). Responsible puts leads of nobody first; next-activity puts those without
    /// one last.
    #[arg(long, value_name = "ORDER")]
    pub sort: Option<String>,
    /// With a sort: the other way round (Z to A, largest first…).
    #[arg(long)]
    pub reverse: bool,
    /// With a sort: rows to skip (the next page starts at --offset + --limit).
    #[arg(long, default_value_t = 0, value_parser = whole::<usize>("offset", 0, MAX_ROWS))]
    pub offset: usize,
    /// Only records whose field (built-in or your own) passes: CODE=VALUE, CODE!=VALUE,
    /// CODE>=N, CODE<=N, CODE>N, CODE<N, CODE=A..B (numbers, amounts, days), CODE=a|b (any of
    /// these options), CODE~text (contains), CODE= (empty), CODE!= (filled). Repeat for
    /// several (all must pass). A stage, a user or a source: --stage, --responsible, --source.
    #[arg(long = "where", value_name = "COND")]
    pub wheres: Vec<String>,
    /// Fields of the team's own shown as columns, by code, in order, comma-separated (default:
    /// those marked --in-list).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Start from a saved view (`prospect view list`); the other flags go over it.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
    /// Only records whose next activity is past due.
    #[arg(long)]
    pub overdue: bool,
    /// Also print how many records match in all and the sum of their amounts.
    #[arg(long)]
    pub total: bool,
    /// Only mine (responsible = me), junk left out unless --with-failed or --stage.
    #[arg(long, conflicts_with = "responsible")]
    pub mine: bool,
    /// With --mine: keep records in failure stages too.
    #[arg(long, requires = "mine")]
    pub with_failed: bool,
}

/// Most rows a `--limit` or `--offset` takes: a bare `usize` let 18446744073709551615 through
/// to SQLite, which refused it as "datatype mismatch".
pub(crate) const MAX_ROWS: i64 = 1_000_000_000;

/// Parses a whole-number flag in `min..=max`, refusing anything else with the field and the
/// range (clap prints it as the flag's invalid value, exit 2).
pub(crate) fn whole<T: TryFrom<i64> + Clone + Send + Sync + 'static>(
    field: &'static str,
    min: i64,
    max: i64,
) -> impl Fn(&str) -> Result<T, FieldError> + Clone + Send + Sync + 'static {
    move |text: &str| {
        let refuse = || FieldError::new(field, Problem::Integer { value: text.to_string(), min, max });
        let n = text.trim().parse::<i64>().map_err(|_| refuse())?;
        if n < min || n > max {
            return Err(refuse());
        }
        T::try_from(n).map_err(|_| refuse())
    }
}

/// A yes/no flag (`yes`, `no`, `oui`, `non`, `true`, `0`...), refused naming what it takes.
pub(crate) fn yes_no(text: &str) -> Result<bool, FieldError> {
    crate::domain::fields::parse_bool(text)
        .ok_or_else(|| FieldError::new("active", Problem::Bool { value: text.to_string() }))
}

/// A filter flag's value, `None` when empty: an empty reference flag (`--stage=`) means its
/// default, here no filter, as on `add` it means the field's default.
pub(crate) fn given(flag: &Option<String>) -> Option<String> {
    flag.as_ref().filter(|s| !s.trim().is_empty()).cloned()
}

impl ListArgs {
    /// The store filter these flags describe, `now_ms` placing the created days typed
    /// without a year (`when::read_day_bounds`: `--created-from 01/11 --created-to 30/11`
    /// is the latest November, `--created-from -7d` the last week).
    pub fn filter(&self, now_ms: i64) -> Result<ListFilter, FieldError> {
        let now = crate::domain::when::from_ms(now_ms).with_timezone(&chrono::Local);
        let (created_from, created_to) = crate::domain::when::read_day_bounds(
            self.created_from.as_deref().map(|t| ("created-from", t)),
            self.created_to.as_deref().map(|t| ("created-to", t)),
            &now,
        )?;
        let (closed_from, closed_to) = crate::domain::when::read_day_bounds(
            self.closed_from.as_deref().map(|t| ("closed-from", t)),
            self.closed_to.as_deref().map(|t| ("closed-to", t)),
            &now,
        )?;
        use crate::domain::stage::StageSemantics;
        let stage_kind = [
            (self.open, StageSemantics::InProgress),
            (self.won, StageSemantics::Success),
            (self.lost, StageSemantics::Failure),
        ]
        .into_iter()
        .find_map(|(asked, kind)| asked.then_some(kind));
        Ok(ListFilter {
            stage: given(&self.stage),
            pipeline: given(&self.pipeline),
            responsible: given(&self.responsible),
            source: given(&self.source),
            reason: given(&self.reason),
            search: given(&self.search),
            repeat: if self.repeat {
                Some(true)
            } else if self.first_time {
                Some(false)
            } else {
                None
            },
            created_from,
            created_to,
            stage_kind,
            closed_from,
            closed_to,
            all_pipelines: self.all_pipelines,
            before_id: self.before,
            limit: self.limit,
            offset: self.offset,
            ..Default::default()
        })
    }
}

/// Keys of `show --json` output that input ignores, so a shown record can be fed back.
const READ_ONLY_KEYS: &[&str] = &[
    "entity",
    "id",
    "version",
    "display_title",
    "is_repeat",
    "stage_semantics",
    "links",
    // Attachments of `show`: lines change through `line`, documents through theirs.
    "lines",
    "documents",
    "created_at",
    "created_by",
    "modified_at",
    "modified_by",
    "moved_at",
    "moved_by",
    "next_activity_at",
    "from",
    "to",
    "completed_activities",
    "unchanged",
    "repeat_of",
    "duplicates",
    "changed",
    "timeline",
];

/// Reads one JSON object (from a file, or stdin for `-`) into a `RecordInput`. Accepts every
/// field key, references as text, ids or `{code|id}` objects, and `phones`/`emails`/`webs`/
/// `messengers` as lists of strings or `{type, value}` objects. Unknown keys are refused.
pub fn json_input(
    entity: Entity,
    source: &str,
    region: PhoneRegion,
    currency: Currency,
) -> anyhow::Result<RecordInput> {
    let text = if source == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("standard input: cannot read")?;
        s
    } else {
        std::fs::read_to_string(source).with_context(|| format!("{source}: cannot read"))?
    };
    let value: Json = serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON", if source == "-" { "standard input" } else { source }))?;
    let Json::Object(map) = value else {
        bail!(
            "JSON input must be one object, such as {{\"title\": \"Website enquiry\", \"phones\": [\"06 12 34 56 78\"]}}"
        );
    };
    let mut input = RecordInput { origin: Some("json".into()), ..Default::default() };
    let record_currency = map.get("currency").and_then(Json::as_str).and_then(Currency::parse).unwrap_or(currency);
    for (key, v) in &map {
        if READ_ONLY_KEYS.contains(&key.as_str()) {
            continue;
        }
        let comm_kind = match key.as_str() {
            "phones" => Some(CommKind::Phone),
            "emails" => Some(CommKind::Email),
            "webs" | "websites" => Some(CommKind::Web),
            "messengers" => Some(CommKind::Messenger),
            _ => None,
        };
        if let Some(kind) = comm_kind {
            let Json::Array(items) = v else { bail!("{key}: expected a list") };
            for item in items {
                let comm = match item {
                    Json::String(s) => Comm::parse_typed(kind, s, region)?,
                    Json::Object(o) => {
                        let value = o.get("value").and_then(Json::as_str).unwrap_or("");
                        let label = o.get("type").and_then(Json::as_str).unwrap_or("");
                        Comm::new(kind, label, value, region)?
                    }
                    _ => bail!("{key}: each item is a string or {{\"type\": ..., \"value\": ...}}"),
                };
                input.comms.add.push(comm);
            }
            continue;
        }
        if key == "fields" {
            // Custom fields by code (SPEC F1), as `show --json` gives them; a list's several
            // options as a JSON list or `a|b`.
            let Json::Object(values) = v else { bail!("fields: expected an object of CODE: value") };
            for (code, value) in values {
                let text = match value {
                    Json::Array(items) => items.iter().filter_map(json_text).collect::<Vec<_>>().join("|"),
                    other => json_text(other).unwrap_or_default(),
                };
                input.fields.push((code.clone(), text));
            }
            continue;
        }
        if key == "contacts" && entity == Entity::Deal {
            // The deal's contacts as shown (objects with an id) or typed (ids, names): they
            // replace its other contacts; the primary one, listed too, stays the `contact` field.
            let Json::Array(items) = v else { bail!("contacts: expected a list") };
            let texts = items.iter().map(|item| json_text(item).unwrap_or_default()).collect();
            input.contacts.replace = Some(texts);
            continue;
        }
        if key == "companies" && entity == Entity::Contact {
            let Json::Array(items) = v else { bail!("companies: expected a list") };
            for item in items {
                input.companies.push(json_text(item).unwrap_or_default());
            }
            continue;
        }
        if let Some(base) = key.strip_suffix("_minor") {
            // `amount_minor` stands for `amount` when the plain form is absent.
            if entity.field(base).is_some() && !map.contains_key(base) {
                let minor = v.as_i64().with_context(|| format!("{key}: expected a whole number of minor units"))?;
                input.fields.push((base.to_string(), plain_amount(Money { minor, currency: record_currency })));
            }
            continue;
        }
        if entity.field(key).is_none() {
            return Err(FieldError::new(
                key.clone(),
                Problem::NoSuchField { accepted: entity.fields().iter().map(|f| f.key.to_string()).collect() },
            )
            .into());
        }
        input.fields.push((key.clone(), json_text(v).unwrap_or_default()));
    }
    Ok(input)
}

/// A JSON value as field text: strings as is, numbers and booleans printed, `{code|login|id}`
/// objects by their code; null clears.
fn json_text(v: &Json) -> Option<String> {
    match v {
        Json::Null => Some(String::new()),
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        // A reference as shown (`{id, code, name}`, code null where there is none).
        Json::Object(o) => {
            ["code", "login", "id", "name"].iter().find_map(|k| o.get(*k).filter(|v| !v.is_null())).and_then(json_text)
        }
        Json::Array(_) => None,
    }
}
