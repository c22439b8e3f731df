//! `prospect activity add|list|done|export` and `prospect status`.

use super::{Session, output};
use crate::domain::activity::{ActivityKind, Priority};
use crate::domain::agenda::{self, ActivityBucket};
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::record::{RecordRef, RefShown};
use crate::domain::when::from_ms;
use crate::i18n::{self, tr};
use crate::store::activities::{ActivityDetails, ActivityFilter, NewActivity};
use chrono::{DateTime, Local};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use std::path::PathBuf;

/// Activity kinds as typed.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KindArg {
    /// Phone call.
    Call,
    /// Meeting.
    Meeting,
    /// Task.
    Task,
    /// E-mail.
    Email,
}

/// Priorities as typed.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PriorityArg {
    /// Can wait.
    Low,
    /// Default.
    Medium,
    /// Urgent.
    High,
}

impl From<KindArg> for ActivityKind {
    fn from(k: KindArg) -> ActivityKind {
        match k {
            KindArg::Call => ActivityKind::Call,
            KindArg::Meeting => ActivityKind::Meeting,
            KindArg::Task => ActivityKind::Task,
            KindArg::Email => ActivityKind::Email,
        }
    }
}

impl From<PriorityArg> for Priority {
    fn from(p: PriorityArg) -> Priority {
        match p {
            PriorityArg::Low => Priority::Low,
            PriorityArg::Medium => Priority::Medium,
            PriorityArg::High => Priority::High,
        }
    }
}

/// `activity add`.
#[derive(Args, Debug)]
pub struct AddArgs {
    /// Lead it belongs to.
    #[arg(long, value_parser = super::args::parse_id, value_name = "ID")]
    pub lead: Option<i64>,
    /// Deal it belongs to.
    #[arg(long, value_parser = super::args::parse_id, value_name = "ID")]
    pub deal: Option<i64>,
    /// Contact it belongs to.
    #[arg(long, value_parser = super::args::parse_id, value_name = "ID")]
    pub contact: Option<i64>,
    /// Company it belongs to.
    #[arg(long, value_parser = super::args::parse_id, value_name = "ID")]
    pub company: Option<i64>,
    /// Kind.
    #[arg(long, value_enum, default_value = "call")]
    pub kind: KindArg,
    /// Subject (default: "Call <record>").
    #[arg(long, default_value = "")]
    pub subject: String,
    /// When: today 17:00, tomorrow 2 pm, demain midi, ce soir, next monday, lundi 9h, next week,
    /// dans 2 jours, in 3 hours, 24/11 14h30 (its next occurrence), 2026-11-24 14:30, +2d, +3h,
    /// +30min, +1w (default: in 3 working days, on the hour). A time already past is planned
    /// anyway, with a warning (in --json: "warnings").
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Length of a call or meeting: 30m, 1h, 1h30, 90.
    #[arg(long, value_name = "DURATION")]
    pub duration: Option<String>,
    /// Priority.
    #[arg(long, value_enum, default_value = "medium")]
    pub priority: PriorityArg,
    /// Responsible user (default: you).
    #[arg(long)]
    pub responsible: Option<String>,
    /// Reminder before it is due: 15m, 1h.
    #[arg(long, value_name = "DURATION")]
    pub reminder: Option<String>,
    /// Where (meetings).
    #[arg(long)]
    pub location: Option<String>,
    /// Incoming or outgoing, for calls and e-mails: in or out.
    #[arg(long, value_name = "in|out")]
    pub direction: Option<String>,
    /// Details.
    #[arg(long)]
    pub description: Option<String>,
    /// Log it as already done.
    #[arg(long)]
    pub done: bool,
}

/// `activity list --bucket`'s closed list (No activity is a board column, not a filter).
const BUCKETS: &[(&str, &[&str])] =
    &[("overdue", &[]), ("today", &[]), ("this-week", &["this_week"]), ("next-week", &["next_week"]), ("later", &[])];

/// Activity commands.
#[derive(Subcommand, Debug)]
pub enum ActivityCmd {
    /// Plan a call, meeting, task or e-mail on a record.
    Add(AddArgs),
    /// List open activities, soonest first.
    List {
        /// Only this bucket.
        #[arg(long, ignore_case = true, value_parser = super::help::one_of(BUCKETS))]
        bucket: Option<String>,
        /// Only this user's (login or name).
        #[arg(long)]
        responsible: Option<String>,
        /// Only this lead's.
        #[arg(long, value_parser = super::args::parse_id, value_name = "ID")]
        lead: Option<i64>,
        /// Completed ones too.
        #[arg(long)]
        all: bool,
        /// Most rows.
        #[arg(long, default_value_t = 100, value_parser = super::args::whole::<usize>("limit", 0, super::args::MAX_ROWS))]
        limit: usize,
    },
    /// Mark an activity done.
    Done {
        /// Activity id.
        #[arg(value_parser = super::args::parse_id)]
        id: i64,
    },
    /// Reschedule or edit an activity.
    Edit {
        /// Activity id.
        #[arg(value_parser = super::args::parse_id)]
        id: i64,
        /// New due time (same forms as `add --at`).
        #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
        at: Option<String>,
        /// New subject.
        #[arg(long)]
        subject: Option<String>,
        /// New priority.
        #[arg(long, value_enum)]
        priority: Option<PriorityArg>,
        /// New length of a call or meeting.
        #[arg(long, value_name = "DURATION")]
        duration: Option<String>,
    },
    /// Delete an activity (its records' timelines keep a note).
    Delete {
        /// Activity id.
        #[arg(value_parser = super::args::parse_id)]
        id: i64,
    },
    /// Export activities as iCalendar (RFC 5545).
    Export {
        /// iCalendar format (the only one for now).
        #[arg(long, required = true)]
        ics: bool,
        /// File to write (default, or `-`: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn now_local(s: &Session) -> DateTime<Local> {
    from_ms(s.store.now()).with_timezone(&Local)
}

fn bucket_range(b: ActivityBucket, now: &DateTime<Local>) -> (Option<i64>, Option<i64>) {
    let bounds = agenda::bounds(now);
    let ms = |d: &DateTime<Local>| d.timestamp_millis();
    match b {
        ActivityBucket::Overdue => (None, Some(ms(&bounds.now))),
        ActivityBucket::Today => (Some(ms(&bounds.now)), Some(ms(&bounds.tomorrow))),
        ActivityBucket::ThisWeek => (Some(ms(&bounds.tomorrow)), Some(ms(&bounds.next_week))),
        ActivityBucket::NextWeek => (Some(ms(&bounds.next_week)), Some(ms(&bounds.week_after))),
        ActivityBucket::Later | ActivityBucket::NoActivity => (Some(ms(&bounds.week_after)), None),
    }
}

/// Runs an activity command.
pub fn run(s: &mut Session, c: ActivityCmd) -> anyhow::Result<()> {
    match c {
        ActivityCmd::Add(a) => {
            let mut bindings = Vec::new();
            for (e, id) in [
                (Entity::Lead, a.lead),
                (Entity::Deal, a.deal),
                (Entity::Contact, a.contact),
                (Entity::Company, a.company),
            ] {
                if let Some(id) = id {
                    bindings.push(RecordRef::new(e, id));
                }
            }
            let now = now_local(s);
            let deadline = match &a.at {
                None => agenda::default_deadline(&now),
                Some(text) => agenda::read_when("at", text, &now)?,
            };
            let (kind, priority) = (ActivityKind::from(a.kind), Priority::from(a.priority));
            let responsible_id =
                super::args::given(&a.responsible).as_deref().map(|r| s.store.user_id_of(r)).transpose()?;
            let new = NewActivity {
                kind,
                subject: a.subject.clone(),
                deadline: deadline.timestamp_millis(),
                duration_minutes: a.duration.as_deref().map(|d| agenda::parse_minutes("duration", d)).transpose()?,
                priority,
                responsible_id,
                completed: a.done,
                bindings,
            };
            let more = ActivityDetails {
                description: a.description.clone(),
                direction: a
                    .direction
                    .as_deref()
                    .map(|d| crate::domain::activity::read_direction(kind, d))
                    .transpose()?,
                reminder_minutes: a.reminder.as_deref().map(|d| agenda::parse_minutes("reminder", d)).transpose()?,
                location: a.location.clone(),
            };
            // A time already past is planned as typed, and said (not for a call logged as done).
            let warnings = if a.done { vec![] } else { past_warning(&deadline, &now) };
            let id = s.store.plan_activity(new, &more)?;
            let row = s.store.activity(id)?;
            if s.json {
                output::json(&with_warnings(activity_json(&row, &s.store.users()?), warnings));
            } else {
                warn(&warnings);
                println!(
                    "{}",
                    tr(
                        "msg.activity_planned",
                        &[("id", &id.to_string()), ("subject", &row.subject), ("at", &output::time(row.deadline))]
                    )
                );
            }
        }
        ActivityCmd::List { bucket, responsible, lead, all, limit } => {
            let now = now_local(s);
            let (from, to) = match &bucket {
                Some(b) => {
                    let parsed =
                        ActivityBucket::parse(b).filter(|b| *b != ActivityBucket::NoActivity).ok_or_else(|| {
                            FieldError::new(
                                "bucket",
                                Problem::Choice {
                                    value: b.clone(),
                                    accepted: ["overdue", "today", "this-week", "next-week", "later"]
                                        .map(String::from)
                                        .to_vec(),
                                },
                            )
                        })?;
                    bucket_range(parsed, &now)
                }
                None => (None, None),
            };
            let responsible_id =
                super::args::given(&responsible).as_deref().map(|u| s.store.user_id_of(u)).transpose()?;
            let rows = s.store.activities(&ActivityFilter {
                from,
                to,
                responsible_id,
                record: lead.map(|l| RecordRef::new(Entity::Lead, l)),
                include_done: all,
                limit,
                after: None,
            })?;
            if s.json {
                let users = s.store.users()?;
                output::json(&json!(rows.iter().map(|r| activity_json(r, &users)).collect::<Vec<_>>()));
            } else if rows.is_empty() {
                println!("{}", tr("label.no_records", &[]));
            } else {
                let bounds = agenda::bounds(&now);
                let table: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        let due = from_ms(r.deadline).with_timezone(&Local);
                        let b = agenda::bucket_of(Some(&due), &bounds);
                        vec![
                            r.id.to_string(),
                            output::time(r.deadline),
                            tr(&format!("bucket.{}", b.code()), &[]),
                            tr(&format!("activity_kind.{}", r.kind.code()), &[]),
                            r.subject.clone(),
                            r.responsible.clone().unwrap_or_default(),
                            r.bindings
                                .iter()
                                .map(|(e, id, _)| RecordRef::new(*e, *id).to_string())
                                .collect::<Vec<_>>()
                                .join(", "),
                            if r.completed { tr("label.yes", &[]) } else { String::new() },
                        ]
                    })
                    .collect();
                let h = |k: &str| tr(k, &[]);
                output::table(
                    &[
                        h("label.id"),
                        h("label.due"),
                        h("label.bucket"),
                        h("label.type"),
                        h("label.subject"),
                        h("label.responsible"),
                        h("label.records"),
                        h("label.done"),
                    ],
                    &table,
                );
            }
        }
        ActivityCmd::Done { id } => {
            s.store.complete_activity(id)?;
            if s.json {
                output::json(&activity_json(&s.store.activity(id)?, &s.store.users()?));
            } else {
                println!("{}", tr("msg.activity_done", &[("id", &id.to_string())]));
            }
        }
        ActivityCmd::Edit { id, at, subject, priority, duration } => {
            let now = now_local(s);
            let at = at.as_deref().map(|text| agenda::read_when("at", text, &now)).transpose()?;
            let warnings = at.as_ref().map(|at| past_warning(at, &now)).unwrap_or_default();
            let deadline = at.map(|at| at.timestamp_millis());
            let change = crate::store::activities::ActivityChange {
                deadline,
                subject,
                priority: priority.map(Priority::from),
                duration_minutes: duration.as_deref().map(|d| agenda::parse_minutes("duration", d)).transpose()?,
                responsible_id: None,
            };
            s.store.update_activity(id, &change)?;
            let row = s.store.activity(id)?;
            if s.json {
                output::json(&with_warnings(activity_json(&row, &s.store.users()?), warnings));
            } else {
                warn(&warnings);
                println!(
                    "{}",
                    tr("msg.activity_changed", &[("id", &id.to_string()), ("at", &output::time(row.deadline))])
                );
            }
        }
        ActivityCmd::Delete { id } => {
            s.store.delete_activity(id)?;
            if s.json {
                output::json(&json!({"activity": id, "deleted": true}));
            } else {
                println!("{}", tr("msg.activity_deleted", &[("id", &id.to_string())]));
            }
        }
        ActivityCmd::Export { ics: _, out } => {
            // The same export as `prospect export --format ics`.
            let args = super::transfer::ExportArgs {
                entity: None,
                format: "ics".into(),
                excel: false,
                out,
                stage: None,
                search: None,
                responsible: None,
            };
            return super::transfer::run_export(s, args);
        }
    }
    Ok(())
}

/// `prospect status`: the current user's counters.
pub fn status(s: &mut Session) -> anyhow::Result<()> {
    let now = now_local(s);
    let b = agenda::bounds(&now);
    let user = s.store.user().cloned();
    let counters = match &user {
        Some(u) => s.store.counters(u.id, b.now.timestamp_millis(), b.tomorrow.timestamp_millis())?,
        None => Default::default(),
    };
    if s.json {
        output::json(&json!({"user": user.map(|u| u.login), "file": s.store.path(), "activities": counters}));
    } else {
        println!(
            "{}",
            tr(
                "msg.status",
                &[
                    ("user", &user.map(|u| u.login).unwrap_or_default()),
                    ("overdue", &counters.overdue.to_string()),
                    ("today", &counters.today.to_string()),
                    ("incoming", &counters.incoming.to_string()),
                ],
            )
        );
    }
    let _ = i18n::lang();
    Ok(())
}

/// An activity as JSON, its responsible a reference `{id, code, name}` as in every record's
/// JSON (the code is the login).
/// The warning for a due time already past (`agenda::is_past`), in the process language.
fn past_warning(at: &DateTime<Local>, now: &DateTime<Local>) -> Vec<String> {
    if agenda::is_past(at, now) {
        vec![tr("msg.past_time", &[("field", "at"), ("at", &output::time(at.timestamp_millis()))])]
    } else {
        vec![]
    }
}

/// `--json` output with its `warnings` (only when there are some).
fn with_warnings(mut v: serde_json::Value, warnings: Vec<String>) -> serde_json::Value {
    if !warnings.is_empty() {
        v["warnings"] = json!(warnings);
    }
    v
}

/// Text output's warnings, on standard error.
fn warn(warnings: &[String]) {
    for w in warnings {
        eprintln!("{w}");
    }
}

fn activity_json(
    row: &crate::store::activities::ActivityRow,
    users: &[crate::store::users::UserRow],
) -> serde_json::Value {
    let mut v = row.to_json();
    if let Some(login) = &row.responsible {
        // The login comes from the users table, so it is found.
        let user = users.iter().find(|u| &u.login == login);
        v["responsible"] =
            json!(user.map(|u| RefShown { id: u.id, code: u.login.clone(), name: u.display_name.clone() }));
    }
    v
}

/// `prospect remind --due`.
#[derive(clap::Args, Debug)]
pub struct RemindArgs {
    /// The reminders due now: an activity of yours whose reminder time came and whose
    /// deadline has not passed. Each is given once, to this run or to an open screen.
    #[arg(long, required = true)]
    pub due: bool,
}

/// Prints the reminders due now (a line each; `--json` their activities) and marks them given.
pub fn run_remind(s: &mut Session, _a: RemindArgs) -> anyhow::Result<()> {
    let due = s.store.take_due_reminders()?;
    if s.json {
        let users = s.store.users()?;
        output::json(&serde_json::Value::Array(due.iter().map(|r| activity_json(r, &users)).collect()));
        return Ok(());
    }
    let lang = i18n::lang();
    for a in &due {
        let record = a.bindings.first().map(|(e, id, t)| crate::present::heading(lang, *e, *id, t)).unwrap_or_default();
        let at = crate::present::time(lang, a.deadline);
        println!("{}", tr("tui.reminder", &[("subject", &a.subject), ("at", &at), ("record", &record)]));
    }
    Ok(())
}
